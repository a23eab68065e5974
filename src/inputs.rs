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

/// Expands `paths` into scenario inputs. Unreadable paths become inputs with an error.
pub fn collect(paths: &[PathBuf]) -> Vec<Input> {
    let mut inputs = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut files = Vec::new();
            let mut errors = Vec::new();
            walk(path, &mut files, &mut errors);
            files.sort();
            if files.is_empty() && errors.is_empty() {
                errors.push((path.clone(), "no .json or .jsonc scenario files in this folder".into()));
            }
            inputs.extend(errors.into_iter().map(|(path, e)| Input { path, text: Err(e) }));
            inputs.extend(files.into_iter().map(read));
        } else {
            inputs.push(read(path.clone()));
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
