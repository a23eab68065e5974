//! The report (`spofsim report --out DIR`, and "Export report" in the desktop app and
//! the browser demo): every plot as PNG and SVG plus a self-contained `index.html`, or
//! that page alone with its plots inline.

#[cfg(not(target_arch = "wasm32"))]
use std::path::{Path, PathBuf};

use sim_core::check::ScenarioCheck;
use sim_core::model::Model;
use sim_core::simulate::SimReport;

/// (service, min availability) of every `expect` target, for the availability plot.
pub fn targets(model: &Model) -> Vec<(String, f64)> {
    model
        .expectations
        .iter()
        .filter_map(|x| Some((model.services[x.service?].name.clone(), x.min_availability?)))
        .collect()
}

/// Writes the plots and `index.html` of `model` into `out` (created if missing).
#[cfg(not(target_arch = "wasm32"))]
/// `shown` is how the scenario is named in the page; `text` its source, for the hash.
/// Returns the index path and the number of plots.
pub fn write(
    out: &Path,
    shown: &str,
    text: &str,
    model: &Model,
    check: &ScenarioCheck,
    sim: &SimReport,
) -> Result<(PathBuf, usize), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let plots = crate::plots::write_all(sim, &targets(model), out)?;
    let hash = sim_core::simulate::shard::scenario_hash(text);
    let page = super::html::render(shown, &hash, check, sim, &plots);
    let index = out.join("index.html");
    std::fs::write(&index, page).map_err(|e| format!("cannot write {}: {e}", index.display()))?;
    Ok((index, plots.len()))
}

/// The same `index.html` as one string, its plots inline, no files written.
pub fn html(shown: &str, text: &str, model: &Model, check: &ScenarioCheck, sim: &SimReport) -> Result<String, String> {
    let plots = crate::plots::svg_all(sim, &targets(model))?;
    let hash = sim_core::simulate::shard::scenario_hash(text);
    Ok(super::html::render(shown, &hash, check, sim, &plots))
}
