//! `spofsim init [NAME]`: write a commented starter scenario (every layer doubled, one
//! service, an expectation that holds) and, beside it, the JSON Schema its `$schema`
//! names. Never overwrites a file.

use std::path::{Path, PathBuf};

use crate::flags::InitArgs;
use crate::Status;

static STARTER: &str = include_str!("starter.jsonc");

pub fn run(args: &InitArgs) -> Status {
    let name = args.name.clone().unwrap_or_else(|| "scenario".into());
    let file = if name.extension().is_some_and(|e| e == "jsonc" || e == "json") {
        name.clone()
    } else {
        PathBuf::from(format!("{}.jsonc", name.display()))
    };
    let stem = file.file_stem().map_or("scenario".into(), |s| s.to_string_lossy().into_owned());
    if file.exists() {
        eprintln!(
            "error: {} already exists\n  help: pick another name (`spofsim init NAME`) or move the file away",
            file.display()
        );
        return Status::Invalid;
    }
    let dir = file.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return Status::Invalid;
    }
    let text = STARTER.replace("\"name\": \"NAME\"", &format!("\"name\": {}", serde_json::Value::String(stem)));
    let text = text.replace("FILE", &file.display().to_string());
    if let Err(e) = std::fs::write(&file, text) {
        eprintln!("error: cannot write {}: {e}", file.display());
        return Status::Invalid;
    }
    let schema = dir.join("scenario.schema.json");
    let wrote_schema = !schema.exists();
    if wrote_schema {
        if let Err(e) = std::fs::write(&schema, sim_core::schema::scenario_schema_text()) {
            eprintln!("error: cannot write {}: {e}", schema.display());
            return Status::Invalid;
        }
    }
    eprintln!(
        "wrote {}{}\nnext: spofsim check {}",
        file.display(),
        if wrote_schema { format!(" and {}", schema.display()) } else { String::new() },
        file.display()
    );
    Status::Ok
}
