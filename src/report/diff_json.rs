//! `diff --format json`: the design diff as versioned JSON (`spofsim-diff` v1).

use serde_json::{json, Value};
use sim_core::diff::{DesignDiff, ServiceFigures};

fn figures(f: &Option<ServiceFigures>) -> Value {
    match f {
        None => Value::Null,
        Some(f) => json!({
            "availability": f.availability,
            "availability_bounds": f.availability_bounds.map(|(lowest, highest)| json!({ "lowest": lowest, "highest": highest })),
            "availability_with_timings": f.availability_with_timings,
            "downtime_secs_per_year": f.downtime_per_year_secs(),
            // Numbers; a count beyond 2^64 (never seen in practice) is written as a
            // decimal string, since JSON numbers that large lose digits in most readers.
            "cut_sets_by_order": f.cut_sets_by_order.iter().map(|&n| match u64::try_from(n) {
                Ok(small) => json!(small),
                Err(_) => json!(n.to_string()),
            }).collect::<Vec<_>>(),
            "worst_data_lost_secs": f.worst_data_lost_secs,
            "data_lost_entirely": f.data_lost_entirely,
            "longest_outage_secs": f.longest_outage_secs,
            "notes": f.notes,
        }),
    }
}

/// Whether some version has no exact figure: only then are fault trees compared
/// (`same_fault_tree` is null otherwise).
fn some_bounded(s: &sim_core::diff::ServiceDiff) -> bool {
    let bounded = |f: &Option<ServiceFigures>| f.as_ref().is_some_and(|f| f.availability.is_none());
    bounded(&s.before) || bounded(&s.after)
}

pub fn render(before: &str, after: &str, d: &DesignDiff) -> String {
    let finding = |(code, subject, message): &(String, String, String)| json!({ "code": code, "subject": subject, "message": message });
    let v = json!({
        "format": "spofsim-diff",
        "version": 1,
        "spofsim": sim_core::VERSION,
        "before": before,
        "after": after,
        "spofs_added": d.spofs_added,
        "spofs_removed": d.spofs_removed,
        "services": d.services.iter().map(|s| json!({ "name": s.name, "before": figures(&s.before), "after": figures(&s.after), "same_fault_tree": some_bounded(s).then_some(s.same_fault_tree), "same_data_inputs": s.same_data_inputs })).collect::<Vec<_>>(),
        "findings_added": d.findings_added.iter().map(finding).collect::<Vec<_>>(),
        "findings_removed": d.findings_removed.iter().map(finding).collect::<Vec<_>>(),
        "simulation": { "seed": d.simulation.seed, "years": d.simulation.years, "replications": d.simulation.replications },
        "notes": d.notes,
        "regressions": d.regressions(),
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
