//! `spofsim export FILE --to dot|mermaid`: draw the model.

use std::io::Write;

use crate::flags::{ExportArgs, ExportFormat};
use crate::render::{self, ColorMode};
use crate::{inputs, Status};

pub fn run(args: &ExportArgs, color: ColorMode) -> Status {
    let input = inputs::read(args.file.clone());
    let mut stderr = std::io::stderr().lock();
    let text = match input.text {
        Ok(t) => t,
        Err(e) => {
            let _ = stderr.write_all(render::file_error(&input.path, &e).as_bytes());
            return Status::Invalid;
        }
    };
    let loaded = sim_core::load(&text);
    let _ = stderr.write_all(
        render::diagnostics_text(&input.path, &text, &loaded.diagnostics, color).as_bytes(),
    );
    let Some(model) = loaded.model else {
        return Status::Invalid;
    };
    let out = match args.to {
        ExportFormat::Dot => sim_core::export::to_dot(&model),
        ExportFormat::Mermaid => sim_core::export::to_mermaid(&model),
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    Status::Ok
}
