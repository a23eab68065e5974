//! Finding and reading scenario files. Folders are searched recursively; files come
//! back sorted so output never depends on directory order.

use std::path::{Path, PathBuf};

/// A scenario file's text, or why it could not be read.
pub struct Input {
    pub path: PathBuf,
    pub text: Result<String, String>,
}

fn is_scenario(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    (name.ends_with(".json") || name.ends_with(".jsonc")) && !name.ends_with(".schema.json")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, errors: &mut Vec<(PathBuf, String)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => return errors.push((dir.to_path_buf(), e.to_string())),
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out, errors);
        } else if is_scenario(&path) {
            out.push(path);
        }
    }
}

/// What spofsim output a JSON text is (a check, analyze, simulate or diff report, a
/// shard, a SARIF log), from its top-level `"format"` or `"$schema"`; `None` for
/// anything else, scenarios included (they have neither).
pub fn spofsim_output(text: &str) -> Option<String> {
    let serde_json::Value::Object(top) = serde_json::from_str::<serde_json::Value>(text).ok()? else {
        return None;
    };
    if let Some(format) = top.get("format").and_then(|f| f.as_str()).filter(|f| f.starts_with("spofsim-")) {
        return Some(format.to_string());
    }
    let sarif = top.get("$schema").and_then(|s| s.as_str()).is_some_and(|s| s.contains("sarif"));
    sarif.then(|| "a SARIF log".to_string())
}

/// Expands `paths` into scenario inputs. Unreadable paths become inputs with an error.
/// Files under a folder that are spofsim's own outputs (reports, shards, baselines) are
/// skipped with one line on stderr; such a file named directly is an input error.
pub fn collect(paths: &[PathBuf]) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut files = Vec::new();
            let mut errors = Vec::new();
            walk(path, &mut files, &mut errors);
            files.sort();
            let mut skipped = Vec::new();
            let mut scenarios = Vec::new();
            for input in files.into_iter().map(read) {
                match input.text.as_deref().ok().and_then(spofsim_output) {
                    Some(_) => skipped.push(input.path.display().to_string()),
                    None => scenarios.push(input),
                }
            }
            if !skipped.is_empty() {
                eprintln!(
                    "note: skipped {} spofsim output file(s) under {} (reports, shards, baselines): {}",
                    skipped.len(),
                    path.display(),
                    skipped.join(", ")
                );
            }
            if scenarios.is_empty() && errors.is_empty() {
                errors.push((path.clone(), "no .json or .jsonc scenario files in this folder".into()));
            }
            inputs.extend(errors.into_iter().map(|(path, e)| Input { path, text: Err(e) }));
            inputs.extend(scenarios);
        } else {
            let mut input = read(path.clone());
            if let Some(format) = input.text.as_deref().ok().and_then(spofsim_output) {
                input.text = Err(format!(
                    "this is spofsim output ({format}), not a scenario; pass the scenario file it was made from"
                ));
            }
            inputs.push(input);
        }
    }
    inputs
}

pub fn read(path: PathBuf) -> Input {
    let text = match std::fs::read(&path) {
        Err(e) => Err(e.to_string()),
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|e| format!("not valid UTF-8 at byte {}; save the file as UTF-8", e.utf8_error().valid_up_to())),
    };
    Input { path, text }
}

/// Reads one file, reporting a read error on stderr as an invalid-input status.
pub fn read_text(path: &Path) -> Result<String, crate::Status> {
    match read(path.to_path_buf()).text {
        Ok(t) => Ok(t),
        Err(e) => {
            eprint!("{}", crate::render::file_error(path, &e));
            Err(crate::Status::Invalid)
        }
    }
}

/// Loads a scenario text, printing its diagnostics; the model unless there were errors.
pub fn load_model(
    path: &Path,
    text: &str,
    color: crate::render::ColorMode,
) -> Result<sim_core::model::Model, crate::Status> {
    let loaded = sim_core::load(text);
    eprint!("{}", crate::render::diagnostics_text(path, text, &loaded.diagnostics, color));
    loaded.model.ok_or(crate::Status::Invalid)
}

/// [`read_text`] then [`load_model`], keeping the text (for hashes and positions).
pub fn scenario_at(
    path: &Path,
    color: crate::render::ColorMode,
) -> Result<(String, sim_core::model::Model), crate::Status> {
    let text = read_text(path)?;
    let model = load_model(path, &text, color)?;
    Ok((text, model))
}

/// A rayon pool of `threads` workers (default: one per core); results never depend on it.
pub fn thread_pool(threads: Option<u32>) -> Result<rayon::ThreadPool, crate::Status> {
    rayon::ThreadPoolBuilder::new().num_threads(threads.unwrap_or(0) as usize).build().map_err(|e| {
        eprintln!("error: cannot start worker threads: {e}");
        crate::Status::Invalid
    })
}

/// [`read_text`] then [`load_model`]: the scenario at `path`, or the exit status.
pub fn model_at(path: &Path, color: crate::render::ColorMode) -> Result<sim_core::model::Model, crate::Status> {
    let text = read_text(path)?;
    load_model(path, &text, color)
}
