//! `spofsim export FILE --to dot|mermaid`: draw the model.

use std::io::Write;

use crate::flags::{ExportArgs, ExportFormat};
use crate::render::ColorMode;
use crate::{inputs, Status};

pub fn run(args: &ExportArgs, color: ColorMode) -> Status {
    let model = match inputs::model_at(&args.file, color) {
        Ok(m) => m,
        Err(status) => return status,
    };
    let mut stderr = std::io::stderr().lock();
    let out = match args.to {
        ExportFormat::Dot => {
            sim_core::export::to_dot(&model, &sim_core::export::DiagramOptions::for_model(&model, args.expand))
        }
        ExportFormat::Mermaid => {
            sim_core::export::to_mermaid(&model, &sim_core::export::DiagramOptions::for_model(&model, args.expand))
        }
        ExportFormat::ModelJson => sim_core::export::to_model_json(&model),
        ExportFormat::Openpsa => {
            let mut trees = Vec::new();
            for t in sim_core::analysis::structure::service_trees(&model) {
                match t {
                    Ok(t) => trees.push(t),
                    Err(e) if args.service.as_ref().is_none_or(|s| *s == e.service) => {
                        let _ = writeln!(stderr, "error: {}: {e}", args.file.display());
                        return Status::Invalid;
                    }
                    Err(_) => {}
                }
            }
            let names: Vec<&str> = trees.iter().map(|t| t.name.as_str()).collect();
            let picked = match (&args.service, trees.len()) {
                (Some(s), _) => trees.iter().find(|t| &t.name == s),
                (None, 1) => trees.first(),
                (None, _) => None,
            };
            let Some(tree) = picked else {
                let why = match &args.service {
                    Some(s) => format!("no service named \"{s}\""),
                    None if names.is_empty() => "the scenario declares no service".to_string(),
                    None => "several services; pick one with --service".to_string(),
                };
                let _ = writeln!(stderr, "error: {}: {why} (services: {})", args.file.display(), names.join(", "));
                return Status::Invalid;
            };
            match sim_core::mef::to_mef(tree) {
                Ok(text) => text,
                Err(why) => {
                    let _ = writeln!(stderr, "error: {}: service {}: {why}", args.file.display(), tree.name);
                    return Status::Invalid;
                }
            }
        }
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    Status::Ok
}
