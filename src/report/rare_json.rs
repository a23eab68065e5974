//! `simulate --rare-event --format json`: the rare-event report as versioned JSON
//! (sorted services, no timestamps), with the seed, spofsim's version and the
//! scenario's hash. An interval that cannot be given (no cycle saw the service down)
//! has a `null` relative half-width.

use serde_json::{json, Value};

pub const FORMAT: &str = "spofsim-rare-event";
pub const VERSION: u32 = 1;

pub fn render(report: &sim_core::simulate::rare::RareReport, scenario_hash: &str) -> String {
    let mut body = serde_json::to_value(report).unwrap_or(Value::Null);
    let mut out = json!({
        "format": FORMAT,
        "version": VERSION,
        "spofsim": sim_core::VERSION,
        "scenario_hash": scenario_hash,
    });
    if let (Some(o), Some(b)) = (out.as_object_mut(), body.as_object_mut()) {
        o.append(b);
    }
    serde_json::to_string_pretty(&out).unwrap_or_default() + "\n"
}
