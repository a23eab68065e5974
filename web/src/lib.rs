//! spofsim browser demo: the `gui` app compiled to wasm32 with wasm-bindgen, served as
//! a static folder (`web/build.sh` → `target/site/`). The page-specific parts are
//! here: what the URL asks to open (`#s=` share links, `?scenario=`), the status
//! object tests and scripts read (`window.spofsim`), and the in-page benchmarks. They
//! are pure functions, tested natively; `page` (wasm32 only) wires them to the browser.

use serde_json::json;
use spofsim_gui::app::App;

pub use spofsim_gui::examples::{default_example, Example, EXAMPLES};

#[cfg(target_arch = "wasm32")]
mod page;

/// What the page opens first.
#[derive(Clone, Debug, PartialEq)]
pub enum Initial {
    /// The full single-site example.
    Default,
    /// A design from a share link.
    Shared(String),
    /// A share link that could not be read: open the default and say why.
    BadLink(String),
    /// `?scenario=URL`, resolved against the page (same origin only).
    Fetch(String),
}

/// Decides from the URL's fragment (`#s=…`) and query (`?scenario=…`); the
/// fragment wins.
pub fn initial(fragment: &str, query: &str) -> Initial {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    if fragment.split('&').any(|p| p.starts_with(spofsim_gui::share::PREFIX)) {
        return match spofsim_gui::share::decode(fragment) {
            Ok(text) => Initial::Shared(text),
            Err(e) => Initial::BadLink(e),
        };
    }
    let query = query.strip_prefix('?').unwrap_or(query);
    query
        .split('&')
        .find_map(|p| p.strip_prefix("scenario="))
        .filter(|v| !v.is_empty())
        .map_or(Initial::Default, |v| Initial::Fetch(percent_decode(v)))
}

/// `%2F` → `/` (query values are percent-encoded).
fn percent_decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The status the page publishes as `window.spofsim` (for tests and scripts): what is
/// open, whether it is analysed, its SPOFs and each service's exact availability.
pub fn status(app: &App, first_analysed_ms: Option<f64>) -> serde_json::Value {
    let doc = &app.doc;
    let facts = doc.facts.as_ref();
    let spofs: Vec<&str> = facts.map(|f| f.spofs.iter().map(|s| s.element.as_str()).collect()).unwrap_or_default();
    let services: Vec<serde_json::Value> = doc
        .exact
        .iter()
        .flat_map(|x| &x.services)
        .map(|s| json!({ "name": s.name, "unavailability": s.unavailability.as_ref().ok() }))
        .collect();
    let state = if facts.is_none() {
        "invalid"
    } else if doc.exact.is_some() {
        "ready"
    } else {
        "analysing"
    };
    json!({
        "state": state,
        "source": doc.source.label(),
        "scenario": facts.map(|f| f.model.name.clone()),
        "spofs": spofs,
        "spof_count": spofs.len(),
        "services": services,
        "errors": doc.problems.iter().filter(|p| p.error).count(),
        "failed": app.whatif.failed.iter().collect::<Vec<_>>(),
        "service_states": app.whatif.outcome.as_ref().map(|o| {
            facts.map(|f| f.model.services.iter().zip(&o.services).map(|(s, st)| (s.name.clone(), st.as_str())).collect::<std::collections::BTreeMap<_, _>>())
        }),
        "selected": match &app.selection {
            Some(spofsim_gui::app::Selection::Element(n) | spofsim_gui::app::Selection::Group(n)) => Some(n.as_str()),
            _ => None,
        },
        "tab": app.tab.title(),
        "nodes": node_positions(app),
        "status": app.status.as_ref().map(|s| json!({ "text": s.text, "error": s.error })),
        "simulation": app.sim.report.as_ref().map(|(_, r)| json!({ "seed": r.seed, "replications": r.replications, "years": r.years, "events": r.events })),
        "first_analysed_ms": first_analysed_ms,
        // The `expect` verdicts once computed (after the figures, in slices), as the
        // CLI's `check --format json` lists them.
        "verdicts": doc.check.as_ref().map(|c| c.verdicts.iter().map(|v| json!({
            "service": v.service,
            "measure": v.measure,
            "target": v.target,
            "passed": v.passed,
            "measured": v.measured_cell(),
        })).collect::<Vec<_>>()),
    })
}

/// Where each drawn node's centre is on the page (CSS pixels), so a test can click it;
/// left out above 200 nodes.
fn node_positions(app: &App) -> Option<std::collections::BTreeMap<String, [f32; 2]>> {
    let scene = &app.view.scene;
    if scene.nodes.len() > 200 || !app.canvas_rect.is_positive() {
        return None;
    }
    let (canvas, center, zoom) = (app.canvas_rect.center(), app.view.center, app.view.zoom);
    Some(
        scene
            .nodes
            .iter()
            .map(|n| {
                let p = canvas + (n.rect.center() - center) * zoom;
                (n.key.clone(), [p.x.round(), p.y.round()])
            })
            .collect(),
    )
}

/// `spofsim simulate FILE --years Y --replications R --seed S --format json`, byte for
/// byte, for a scenario text (the page's proof that it computes what the CLI does).
pub fn simulate_json(text: &str, years: u32, replications: u64, seed: u64) -> Result<String, String> {
    let model = load(text)?;
    let options = sim_core::simulate::SimOptions { years, replications, seed, random_failures: true, ideal: false };
    let report = sim_core::simulate::simulate(&model, &options);
    Ok(spofsim::report::simulate_json::render(&report, &sim_core::simulate::shard::scenario_hash(text)))
}

fn load(text: &str) -> Result<sim_core::model::Model, String> {
    let loaded = sim_core::load(text);
    loaded.model.ok_or_else(|| {
        let errors: Vec<String> =
            loaded.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.message.clone()).collect();
        format!("the scenario has errors: {}", errors.join("; "))
    })
}

/// Times the analysis of a generated design with at least `components` components
/// (elements of the model) with `now` (milliseconds): loading, the fast findings
/// (SPOFs, lints: what the picture shows), and the exact analysis.
pub fn bench_analysis(components: usize, seed: u64, now: &dyn Fn() -> f64) -> serde_json::Value {
    // The random generator's budget counts more than elements; grow it until enough.
    let mut budget = components;
    let mut text = sim_core::generate::random(budget, seed);
    for _ in 0..8 {
        let elements = sim_core::load(&text).model.map_or(0, |m| m.elements.len());
        if elements >= components {
            break;
        }
        budget = budget * components / elements.max(1) + 16;
        text = sim_core::generate::random(budget, seed);
    }
    let t0 = now();
    let model = match load(&text) {
        Ok(m) => std::sync::Arc::new(m),
        Err(e) => return json!({ "error": e }),
    };
    let t1 = now();
    let facts = spofsim_gui::analysis::Facts::of(model.clone());
    let t2 = now();
    let exact = spofsim_gui::analysis::Exact::of(&model);
    let t3 = now();
    json!({
        "components": components,
        "generator_budget": budget,
        "elements": model.elements.len(),
        "spofs": facts.spofs.len(),
        "exact_services": exact.services.iter().filter(|s| s.unavailability.is_ok()).count(),
        "load_ms": t1 - t0,
        "fast_ms": t2 - t1,
        "exact_ms": t3 - t2,
        "total_ms": t3 - t0,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_on_the_full_single_site_example() {
        let e = default_example();
        assert_eq!(e.file, "full-single-site.jsonc");
        assert!(sim_core::load(e.text).model.is_some());
    }

    #[test]
    fn the_url_decides_what_opens() {
        assert_eq!(initial("", ""), Initial::Default);
        assert_eq!(initial("#about", "?x=1"), Initial::Default);
        assert_eq!(
            initial("", "?scenario=scenarios%2Fshop-two-tier.jsonc"),
            Initial::Fetch("scenarios/shop-two-tier.jsonc".into())
        );
        let text = EXAMPLES[3].text;
        let link = spofsim_gui::share::encode(text);
        assert_eq!(initial(&format!("#{link}"), "?scenario=x.jsonc"), Initial::Shared(text.into()));
        assert!(matches!(initial("#s=%%%", ""), Initial::BadLink(e) if e.contains("damaged")));
        assert_eq!(percent_decode("a%20b+c%2"), "a b c%2");
    }

    #[test]
    fn the_status_names_the_design_and_its_spofs() {
        let e = default_example();
        let mut app =
            App::new(spofsim_gui::document::Source::Example(e.file.into()), e.text.into(), Default::default());
        assert_eq!(status(&app, None)["state"], "analysing");
        app.doc.wait_exact();
        let s = status(&app, Some(12.5));
        assert_eq!(s["state"], "ready");
        assert_eq!(s["scenario"], "full-single-site");
        assert_eq!(s["spofs"], json!(["array", "dc1"]));
        assert_eq!(s["services"][0]["name"], "shop");
        assert!(s["services"][0]["unavailability"].as_f64().unwrap() > 0.0);
    }

    #[test]
    fn simulate_json_is_the_clis_format() {
        let out = simulate_json(EXAMPLES[0].text, 2, 3, 7).unwrap();
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["format"], "spofsim-simulate");
        assert_eq!(v["seed"], 7);
        assert!(simulate_json("{", 1, 1, 1).unwrap_err().contains("errors"));
    }

    #[test]
    fn the_analysis_benchmark_reports_its_phases() {
        let clock = std::cell::Cell::new(0.0);
        let now = || {
            clock.set(clock.get() + 1.0);
            clock.get()
        };
        let b = bench_analysis(300, 1, &now);
        assert_eq!(b["total_ms"], 3.0);
        assert!(b["elements"].as_u64().unwrap() >= 300, "{b}");
    }
}
