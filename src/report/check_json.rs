//! `check` as JSON. Wire format (version 1), sorted, no timestamps:
//! `{ version, spofsim, simulation: { seed, years, replications }, scenarios: [ { path,
//!   scenario_hash, error?, failed, verdicts: [ { service, measure, drill?, target,
//!   measured | not_measured, measured_by, passed } ], spofs: [..names], accepted_spofs: [ { element, reason } ],
//!   findings: [ { code, name, severity, subject, message, fails_run, suppressed,
//!   in_baseline } ], unused_suppressions } ] }`. The simulation block is the fixed run
//!   behind RPO and RTO verdicts, and the rare-event run that takes over where it saw too
//!   few outages ending in a repair; `measured_by` names the estimator of each verdict.

use serde_json::{json, Value};
use sim_core::lints::Severity;

use super::Checked;

fn hash(c: &Checked) -> Value {
    if c.sources.is_empty() {
        Value::Null
    } else {
        json!(sim_core::simulate::shard::scenario_hash(&c.sources.joined()))
    }
}

pub fn render(checked: &[Checked], fail_on: Option<Severity>, sim: &sim_core::simulate::SimOptions) -> String {
    let scenarios: Vec<Value> = checked
        .iter()
        .map(|c| match &c.result {
            Err(why) => json!({ "path": c.path, "scenario_hash": hash(c), "error": why }),
            Ok(r) => {
                let verdicts: Vec<Value> = r
                    .verdicts
                    .iter()
                    .map(|v| {
                        let mut o = json!({ "service": v.service, "measure": v.measure, "target": v.target, "passed": v.passed, "measured_by": v.measured_by });
                        if let Some(d) = &v.drill {
                            o["drill"] = json!(d);
                        }
                        match &v.measured {
                            Ok(m) => o["measured"] = json!(m),
                            Err(why) => o["not_measured"] = json!(why),
                        }
                        o
                    })
                    .collect();
                let findings: Vec<Value> = r
                    .lints
                    .iter()
                    .map(|f| {
                        json!({ "code": f.code, "name": f.name, "severity": f.severity.as_str(), "subject": f.subject,
                                "message": f.message, "fails_run": f.fails_run(fail_on), "suppressed": f.suppressed, "in_baseline": f.in_baseline })
                    })
                    .collect();
                let accepted: Vec<Value> = r
                    .spofs
                    .iter()
                    .filter_map(|s| Some(json!({ "element": s.element, "reason": s.suppressed.as_ref()? })))
                    .collect();
                let unused: Vec<Value> = r
                    .unused_suppressions
                    .iter()
                    .map(|s| json!({ "code": s.code, "subject": s.subject, "reason": s.reason }))
                    .collect();
                json!({ "path": c.path, "scenario_hash": hash(c), "failed": r.failed(), "verdicts": verdicts,
                        "spofs": r.spofs.iter().filter(|s| s.suppressed.is_none()).map(|s| s.element.clone()).collect::<Vec<_>>(),
                        "accepted_spofs": accepted, "findings": findings, "unused_suppressions": unused, "notes": r.notes })
            }
        })
        .collect();
    let rare_event = json!({ "cycles": sim_core::check::CHECK_RARE_CYCLES, "seed": sim.seed,
                             "when_fewer_repair_outages_than": sim_core::check::MIN_REPAIR_OUTAGES });
    let simulation =
        json!({ "seed": sim.seed, "years": sim.years, "replications": sim.replications, "rare_event": rare_event });
    let v = json!({ "format": "spofsim-check", "version": 1, "spofsim": sim_core::VERSION, "simulation": simulation, "scenarios": scenarios });
    format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
}
