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

/// Drops inputs that another input `extends` (a NetBox import under the architect's
/// file): they are checked as part of that file, and alone they have no services.
/// One line on stderr names each.
pub fn skip_extended_bases(inputs: Vec<Input>) -> Vec<Input> {
    let mut bases: Vec<(PathBuf, PathBuf)> = Vec::new();
    for input in &inputs {
        let Ok(text) = &input.text else { continue };
        if let Ok(sources) = resolve_layers(&input.path, text) {
            for (base, _) in sources.layers.iter().rev().skip(1) {
                bases.push((PathBuf::from(base), input.path.clone()));
            }
        }
    }
    inputs
        .into_iter()
        .filter(|input| match bases.iter().find(|(b, _)| same_file(b, &input.path)) {
            Some((_, by)) => {
                eprintln!("note: {} is checked through {}, which extends it", input.path.display(), by.display());
                false
            }
            None => true,
        })
        .collect()
}

/// An `extends` that cannot be followed: the diagnostic, and the file (path and text) it
/// points into.
pub struct LayerError {
    pub file: PathBuf,
    pub text: String,
    pub diagnostic: sim_core::Diagnostic,
}

/// The files a scenario is made of: itself and, through `extends`, its bases (base
/// first), read from disk relative to the file naming them
/// ([`sim_core::scenario::resolve_bases`]).
pub fn resolve_layers(path: &Path, text: &str) -> Result<spofsim::report::Sources, Box<LayerError>> {
    let key = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf()).display().to_string();
    let top =
        sim_core::scenario::LayerFile { name: path.display().to_string(), key: key(path), text: text.to_string() };
    let layers = sim_core::scenario::resolve_bases(top, |naming, base| {
        let base_path = Path::new(&naming.name).parent().unwrap_or(Path::new("")).join(base);
        match read(base_path.clone()).text {
            Ok(text) => {
                Ok(sim_core::scenario::LayerFile { name: base_path.display().to_string(), key: key(&base_path), text })
            }
            Err(e) => Err(format!("{}: {e}", base_path.display())),
        }
    })
    .map_err(|e| Box::new(LayerError { file: PathBuf::from(e.file), text: e.text, diagnostic: e.diagnostic }))?;
    Ok(spofsim::report::Sources { layers: layers.into_iter().map(|l| (l.name, l.text)).collect() })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// Loads a scenario (with the bases it `extends`), printing its diagnostics, each in the
/// file it points into. Returns the files read and the model unless there were errors.
pub fn load_scenario(
    path: &Path,
    text: &str,
    color: crate::render::ColorMode,
) -> (spofsim::report::Sources, Result<sim_core::model::Model, crate::Status>) {
    let (sources, model) = load_scenario_explained(path, text, color);
    (sources, model.map_err(|_| crate::Status::Invalid))
}

/// [`load_scenario`], with the errors on one line each (`file:line:column: error[CODE]:
/// message`, sorted as reported) when the scenario is invalid, for reports that carry
/// them (check's JSON, Markdown, JUnit and SARIF).
pub fn load_scenario_explained(
    path: &Path,
    text: &str,
    color: crate::render::ColorMode,
) -> (spofsim::report::Sources, Result<sim_core::model::Model, Vec<String>>) {
    let one_line = |sources: &spofsim::report::Sources, d: &sim_core::diagnostics::Diagnostic| match d.span {
        Some(span) => {
            let (file, line, column) = sources.position(span);
            format!("{file}:{line}:{column}: error[{}]: {}", d.code.as_str(), d.message)
        }
        None => format!("{}: error[{}]: {}", path.display(), d.code.as_str(), d.message),
    };
    let sources = match resolve_layers(path, text) {
        Ok(s) => s,
        Err(e) => {
            eprint!(
                "{}",
                crate::render::diagnostics_text(&e.file, &e.text, std::slice::from_ref(&e.diagnostic), color)
            );
            let base = spofsim::report::Sources::single(&e.file.display().to_string(), &e.text);
            let errors = vec![one_line(&base, &e.diagnostic)];
            return (spofsim::report::Sources::single(&path.display().to_string(), text), Err(errors));
        }
    };
    let loaded = if sources.layers.len() == 1 { sim_core::load(text) } else { sim_core::load_layers(&sources.texts()) };
    eprint!("{}", crate::render::layered_diagnostics_text(&sources, &loaded.diagnostics, color));
    let errors: Vec<String> =
        loaded.diagnostics.iter().filter(|d| d.is_error()).map(|d| one_line(&sources, d)).collect();
    let model = loaded.model.ok_or(errors);
    (sources, model)
}

/// [`load_scenario`] without the sources: the model unless there were errors.
pub fn load_model(
    path: &Path,
    text: &str,
    color: crate::render::ColorMode,
) -> Result<sim_core::model::Model, crate::Status> {
    load_scenario(path, text, color).1
}

/// [`read_text`] then [`load_scenario`], keeping every file's text joined (for hashes):
/// a change to a base file changes the scenario's hash too.
pub fn scenario_at(
    path: &Path,
    color: crate::render::ColorMode,
) -> Result<(String, sim_core::model::Model), crate::Status> {
    let text = read_text(path)?;
    let (sources, model) = load_scenario(path, &text, color);
    Ok((sources.joined(), model?))
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
