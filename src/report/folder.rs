//! The report (`spofsim report --out DIR`, and "Export report" in the desktop app and
//! the browser demo): every plot as PNG and SVG plus a self-contained `index.html`, or
//! that page alone with its plots inline.

#[cfg(not(target_arch = "wasm32"))]
use std::path::{Path, PathBuf};

use sim_core::check::ScenarioCheck;
use sim_core::model::Model;
use sim_core::simulate::{SimReport, WorstYear};

/// The topology as `index.html` shows it: the DOT source (SPOFs marked, servers'
/// parts folded) and, when Graphviz could draw it, the SVG.
pub struct Topology {
    pub dot: String,
    pub svg: Option<String>,
}

impl Topology {
    /// The DOT source of `model`, not yet drawn.
    pub fn of(model: &Model) -> Topology {
        let options = sim_core::export::DiagramOptions::for_model(model, false);
        Topology { dot: sim_core::export::to_dot(model, &options), svg: None }
    }

    /// Draws the picture with Graphviz (`dot -Tsvg`) when it is installed; `None`
    /// leaves the page with the DOT source and how to draw it.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn drawn(mut self) -> Topology {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let child =
            Command::new("dot").arg("-Tsvg").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn();
        if let Ok(mut child) = child {
            let fed = child.stdin.take().is_some_and(|mut stdin| stdin.write_all(self.dot.as_bytes()).is_ok());
            if let Ok(out) = child.wait_with_output() {
                if fed && out.status.success() {
                    self.svg = String::from_utf8(out.stdout).ok();
                }
            }
        }
        self
    }
}

/// What a report shows: `shown` names the scenario in the page, `text` is its source
/// (for the hash), `worst` each service's worst simulated year
/// (`simulate::worst_year_timelines`) or empty to draw the first year.
#[derive(Clone, Copy)]
pub struct Page<'a> {
    pub shown: &'a str,
    pub text: &'a str,
    pub model: &'a Model,
    pub check: &'a ScenarioCheck,
    pub sim: &'a SimReport,
    pub worst: &'a [WorstYear],
}

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
/// The topology is drawn with Graphviz when installed and
/// written beside the plots as `topology.dot` (and `topology.svg`).
pub fn write(out: &Path, page: &Page) -> Result<(PathBuf, usize), String> {
    let Page { shown, text, model, check, sim, worst } = *page;
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let plots = crate::plots::write_all(sim, &targets(model), worst, out)?;
    let hash = sim_core::simulate::shard::scenario_hash(text);
    let topology = Topology::of(model).drawn();
    let dot_path = out.join("topology.dot");
    std::fs::write(&dot_path, &topology.dot).map_err(|e| format!("cannot write {}: {e}", dot_path.display()))?;
    if let Some(svg) = &topology.svg {
        let svg_path = out.join("topology.svg");
        std::fs::write(&svg_path, svg).map_err(|e| format!("cannot write {}: {e}", svg_path.display()))?;
    }
    let page = super::html::render(shown, &hash, check, sim, &plots, &topology);
    let index = out.join("index.html");
    std::fs::write(&index, page).map_err(|e| format!("cannot write {}: {e}", index.display()))?;
    Ok((index, plots.len()))
}

/// The same `index.html` as one string, its plots inline, no files written.
/// Without Graphviz (the browser has none), the topology is the DOT source.
pub fn html(page: &Page) -> Result<String, String> {
    let Page { shown, text, model, check, sim, worst } = *page;
    let plots = crate::plots::svg_all(sim, &targets(model), worst)?;
    let hash = sim_core::simulate::shard::scenario_hash(text);
    #[cfg(not(target_arch = "wasm32"))]
    let topology = Topology::of(model).drawn();
    #[cfg(target_arch = "wasm32")]
    let topology = Topology::of(model);
    Ok(super::html::render(shown, &hash, check, sim, &plots, &topology))
}
