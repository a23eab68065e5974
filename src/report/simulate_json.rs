//! `simulate --format json`: the versioned wire format. Sorted, no timestamps, so two
//! runs with the same seed diff clean; it names the seed, the spofsim version and a
//! hash of the scenario. Documented in ARCHITECTURE.md ("Simulation JSON").

use serde_json::{json, Value};

pub const FORMAT: &str = "spofsim-simulate";
pub const VERSION: u32 = 1;

/// A run with no interval (drills only, or under two simulated years) writes both
/// intervals as `null` and says why in `ci95_na` (as the text says "n/a"); a batch-means
/// interval over one year, or over a replay with nothing random, would be a
/// zero-width interval that claims a certainty the run does not have.
pub fn render(report: &sim_core::simulate::SimReport, scenario_hash: &str) -> String {
    let mut body = serde_json::to_value(report).unwrap_or(Value::Null);
    if let Some(reason) = super::no_ci95_reason(report.simulated_years, report.random_failures) {
        let services = body.get_mut("services").and_then(Value::as_array_mut).into_iter().flatten();
        for service in services.filter_map(Value::as_object_mut) {
            service.insert("availability_ci95".into(), Value::Null);
            service.insert("full_service_ci95".into(), Value::Null);
            service.insert("ci95_na".into(), Value::String(reason.clone()));
        }
    }
    envelope(FORMAT, VERSION, &body, scenario_hash)
}

/// `body`'s fields after the header every simulation format starts with: its format
/// name and version, spofsim's version and the scenario's hash.
pub fn envelope(format: &str, version: u32, body: &impl serde::Serialize, scenario_hash: &str) -> String {
    let mut body = serde_json::to_value(body).unwrap_or(Value::Null);
    let mut out = json!({
        "format": format,
        "version": version,
        "spofsim": sim_core::VERSION,
        "scenario_hash": scenario_hash,
    });
    if let (Some(o), Some(b)) = (out.as_object_mut(), body.as_object_mut()) {
        o.append(b);
    }
    serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
}
