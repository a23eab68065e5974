//! JSON analysis report. Wire format (version 1), sorted, without timestamps:
//! `{ version, spofsim, input, input_hash (FNV-1a of the file), options: { max_order },
//!    assumptions: [..],
//!    results: [ { name, kind, unavailability, availability, nines, (or `skipped`: why)
//!                 downtime_per_year_secs, bdd_nodes, coherent,
//!                 with_timings: { unavailability, availability, detection_unavailability,
//!                                 failover_unavailability, first_order_holds, down_as_elected,
//!                                 contributors: [ { element, outage_secs, averaged_over_serving_member, share } ],
//!                                 idle_drop_unavailability, quiet: [ { pools, every_secs, outage_secs } ], note }
//!                               (or { skipped: why }; absent for fault trees),
//!                 cut_sets: { total, counts_by_order: { "1": n, .. }, truncated,
//!                             listed: [ { order, probability, events: [..] } ] },
//!                 importance: [ { event, birnbaum, criticality, fussell_vesely,
//!                                 raw, rrw } ] } ],
//!    spofs: [ { element, kind, unavailability, services: [ { service, reasons } ], accepted (reason or null),
//!               explanation, chain: [[..]], defeats: [..] } ],
//!    lints: [ { code, name, severity, subject, message, fix, line, column, accepted } ] }`.
//! Numbers that do not fit JSON (infinite RRW) are written as null.

use serde_json::{json, Map, Value};
use sim_core::units::SECS_PER_YEAR;

use sim_core::analysis::findings::Spof;

use super::{nines, Analysed, LintRow, ASSUMPTIONS};

fn num(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
}

pub fn render(
    input: &str,
    input_hash: &str,
    max_order: Option<usize>,
    items: &[Analysed],
    spofs: &[Spof],
    lints: &[LintRow],
) -> String {
    let results: Vec<Value> = items
        .iter()
        .map(|a| {
            let (tree, r) = match &a.result {
                Ok((tree, r)) => (*tree, r),
                Err(why) => {
                    let bounds = a.bounds.map(|b| {
                        json!({ "unavailability_lower": num(b.lower), "unavailability_upper": num(b.upper),
                                "relative_gap": num(b.relative_gap()), "complete": b.complete,
                                "stopped": (!b.complete).then(|| super::bounds_halt(&b)),
                                "certified": true, "notes": super::bounds_notes(&b),
                                "subsetting_cuts": b.subsetting_cuts,
                                "static_model": a.static_bounds.map(|(s, why)| json!({
                                    "unavailability_lower": num(s.lower), "unavailability_upper": num(s.upper),
                                    "widened_because": why })) })
                    });
                    return json!({ "name": a.name, "kind": a.what, "skipped": why, "bounds": bounds,
                                   "single_events": a.single_events });
                }
            };
            let name = |e: u32| tree.events[e as usize].name.clone();
            let mut counts = Map::new();
            for (order, &n) in r.counts_by_order.iter().enumerate().skip(1) {
                counts.insert(order.to_string(), json!(u64::try_from(n).unwrap_or(u64::MAX)));
            }
            let listed: Vec<Value> = r
                .cut_sets
                .iter()
                .map(|c| json!({ "order": c.events.len(), "probability": num(c.probability), "events": c.events.iter().map(|&e| name(e)).collect::<Vec<_>>() }))
                .collect();
            let importance: Vec<Value> = r
                .importance
                .iter()
                .map(|i| {
                    json!({ "event": name(i.event), "birnbaum": num(i.birnbaum), "criticality": num(i.criticality),
                            "fussell_vesely": num(i.fussell_vesely), "raw": num(i.raw), "rrw": num(i.rrw) })
                })
                .collect();
            json!({
                "name": a.name,
                "kind": a.what,
                "unavailability": num(r.probability),
                "availability": num(1.0 - r.probability),
                "nines": num(nines(r.probability)),
                "downtime_per_year_secs": num(r.probability * SECS_PER_YEAR),
                "static_unavailability": num(r.static_probability),
                "solved_modules": r.modules,
                "notes": r.notes,
                "bdd_nodes": r.bdd_nodes,
                "coherent": r.coherent,
                "cut_sets": {
                    "total": u64::try_from(r.total_cut_sets()).unwrap_or(u64::MAX),
                    "counts_by_order": counts,
                    "truncated": r.truncated,
                    "listed": listed,
                },
                "importance": importance,
                "with_timings": a.timed.as_ref().map(|t| match t {
                    Ok(t) => json!({
                        "unavailability": num(t.unavailability()),
                        "availability": num(1.0 - t.unavailability()),
                        "detection_unavailability": num(t.detected),
                        "failover_unavailability": num(t.failover),
                        "first_order_holds": t.first_order_holds(),
                        "down_as_elected": t.down_as_elected,
                        "contributors": t.contributors.iter().map(|c| json!({
                            "element": c.element, "outage_secs": num(c.outage_secs),
                            "averaged_over_serving_member": c.averaged_over_serving_member, "share": num(c.share)
                        })).collect::<Vec<_>>(),
                        "idle_drop_unavailability": num(t.idle_drops),
                        "quiet": t.quiet.iter().map(|q| json!({
                            "pools": q.pools, "every_secs": num(q.every_secs), "outage_secs": num(q.outage_secs)
                        })).collect::<Vec<_>>(),
                        "note": super::TIMED_NOTE,
                    }),
                    Err(why) => json!({ "skipped": why }),
                }),
            })
        })
        .collect();
    let spofs: Vec<Value> = spofs
        .iter()
        .map(|s| {
            json!({
                "element": s.element,
                "kind": s.kind,
                "unavailability": num(s.probability),
                "with_detection": num(s.detected_probability),
                "detection_mean_secs": num(s.detection_mean_secs),
                "beyond_battery": s.beyond_battery.as_ref().map(|b| json!({
                    "ups": b.ups, "battery_secs": num(b.battery_secs), "unavailability": num(b.unavailability),
                    "with_detection": num(b.with_detection)
                })),
                "only_while": s.only_while.as_ref().map(|h| json!({
                    "group": h.group, "first": h.first, "serving_from": h.second, "share": num(h.share)
                })),
                "services": s.blast.services_down.iter().map(|(n, r)| json!({ "service": n, "reasons": r })).collect::<Vec<_>>(),
                "explanation": s.blast.chain_text(),
                "chain": s.blast.chain,
                "defeats": s.blast.defeats,
                "accepted": s.suppressed,
            })
        })
        .collect();
    let lints: Vec<Value> = lints
        .iter()
        .map(|l| {
            let f = l.finding;
            json!({ "code": f.code, "name": f.name, "severity": f.severity.as_str(), "subject": f.subject,
                    "message": f.message, "fix": f.fix, "line": l.line, "column": l.column, "accepted": f.suppressed })
        })
        .collect();
    let report = json!({
        "format": "spofsim-analyze",
        "version": 1,
        "spofs": spofs,
        "lints": lints,
        "spofsim": sim_core::VERSION,
        "input": input,
        "input_hash": input_hash,
        "options": { "max_order": max_order },
        "assumptions": ASSUMPTIONS,
        "results": results,
    });
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}
