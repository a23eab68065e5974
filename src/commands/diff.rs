//! `spofsim diff A B`: what changed between two versions of a design. Exit 1 with
//! `--fail-on-regression` when something got worse.

use std::io::Write;

use crate::flags::{DiffArgs, DiffFormat};
use crate::render::ColorMode;
use crate::report::{diff_json, diff_markdown, diff_text};
use crate::{inputs, Status};

pub fn run(args: &DiffArgs, color: ColorMode) -> Status {
    let before = inputs::model_at(&args.before, color);
    let after = inputs::model_at(&args.after, color);
    let (Ok(before), Ok(after)) = (before, after) else { return Status::Invalid };
    let d = sim_core::diff::compare(&before, &after);
    let (b, a) = (args.before.display().to_string(), args.after.display().to_string());
    let out = match args.format {
        DiffFormat::Text => diff_text::render(&b, &a, &d),
        DiffFormat::Json => diff_json::render(&b, &a, &d),
        DiffFormat::Markdown => diff_markdown::render(&b, &a, &d),
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    if args.fail_on_regression && !d.regressions().is_empty() {
        Status::Findings
    } else {
        Status::Ok
    }
}
