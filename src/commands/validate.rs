//! `spofsim validate`: load every scenario, report every diagnostic, summarise.

use std::io::Write;

use serde_json::json;
use sim_core::syntax::LineIndex;
use sim_core::Diagnostic;

use crate::flags::{ValidateArgs, ValidateFormat};
use crate::render::{self, ColorMode};
use crate::{inputs, Status};
use spofsim::report::Sources;

fn diagnostic_json(sources: &Sources, d: &Diagnostic) -> serde_json::Value {
    let (file, text, local) = match d.span {
        Some(span) => {
            let (file, text, local) = sources.locate(span);
            (file, text, Some(local))
        }
        None => sources.layers.last().map_or(("", "", None), |(p, t)| (p.as_str(), t.as_str(), None)),
    };
    let index = LineIndex::new(text);
    let (line, column) = local.map_or((0, 0), |s| index.line_col(text, s.start as usize));
    let (end_line, end_column) = local.map_or((0, 0), |s| index.line_col(text, s.end as usize));
    json!({
        "file": file,
        "severity": if d.is_error() { "error" } else { "warning" },
        "code": d.code.as_str(),
        "message": d.message,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "help": d.help,
    })
}

pub fn run(args: &ValidateArgs, color: ColorMode) -> Status {
    let mut status = Status::Ok;
    let mut stdout = std::io::stdout().lock();
    let mut stderr = std::io::stderr().lock();
    let mut files = Vec::new();
    let (mut ok, mut bad) = (0, 0);
    for input in inputs::collect(&args.paths) {
        let path = input.path.display().to_string();
        let text = match input.text {
            Ok(t) => t,
            Err(e) => {
                let _ = stderr.write_all(render::file_error(&input.path, &e).as_bytes());
                status = Status::Invalid;
                bad += 1;
                files.push(json!({ "path": path, "valid": false, "error": e }));
                continue;
            }
        };
        let (sources, loaded) = match inputs::resolve_layers(&input.path, &text) {
            Ok(sources) if sources.layers.len() > 1 => {
                let loaded = sim_core::load_layers(&sources.texts());
                (sources, loaded)
            }
            Ok(sources) => (sources, sim_core::load(&text)),
            Err(e) => {
                let loaded = sim_core::Loaded { model: None, diagnostics: vec![e.diagnostic] };
                (Sources::single(&e.file.display().to_string(), &e.text), loaded)
            }
        };
        let _ = stderr.write_all(render::layered_diagnostics_text(&sources, &loaded.diagnostics, color).as_bytes());
        let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
        let warnings = loaded.diagnostics.len() - errors;
        if errors > 0 {
            status = Status::Invalid;
            bad += 1;
        } else {
            ok += 1;
        }
        match args.format {
            ValidateFormat::Text => {
                let line = match &loaded.model {
                    Some(m) => format!(
                        "ok    {path}: {}, {}, {}, {}{}\n",
                        crate::report::plural(m.elements.len() as u64, "element"),
                        crate::report::plural(m.links.len() as u64, "link"),
                        crate::report::plural(m.groups.len() as u64, "group"),
                        crate::report::plural(m.services.len() as u64, "service"),
                        if warnings > 0 { format!(", {warnings} warning(s)") } else { String::new() }
                    ),
                    None => format!("error {path}: {errors} error(s), {warnings} warning(s)\n"),
                };
                let _ = stdout.write_all(line.as_bytes());
                if let (true, Some(m)) = (args.verbose, &loaded.model) {
                    let _ = stdout.write_all(m.summary().as_bytes());
                }
            }
            ValidateFormat::Json => {
                let diagnostics: Vec<_> = loaded.diagnostics.iter().map(|d| diagnostic_json(&sources, d)).collect();
                let model = loaded.model.as_ref().map(|m| {
                    json!({ "name": m.name, "elements": m.elements.len(), "links": m.links.len(), "groups": m.groups.len(), "services": m.services.len() })
                });
                files.push(json!({ "path": path, "valid": errors == 0, "diagnostics": diagnostics, "model": model }));
            }
        }
    }
    if args.format == ValidateFormat::Json {
        let report = json!({ "spofsim": sim_core::VERSION, "format": 1, "files": files });
        let _ = writeln!(stdout, "{}", serde_json::to_string_pretty(&report).unwrap_or_default());
    }
    let _ = writeln!(stderr, "{ok} valid, {bad} invalid");
    status
}
