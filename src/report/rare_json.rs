//! `simulate --rare-event --format json`: the rare-event report as versioned JSON
//! (sorted services, no timestamps), with the seed, spofsim's version and the
//! scenario's hash. An interval that cannot be given (no cycle saw the service down)
//! has a `null` relative half-width.

pub const FORMAT: &str = "spofsim-rare-event";
pub const VERSION: u32 = 1;

pub fn render(report: &sim_core::simulate::rare::RareReport, scenario_hash: &str) -> String {
    super::simulate_json::envelope(FORMAT, VERSION, report, scenario_hash)
}
