//! `diff --format text`: what changed between two versions of a design.

use std::fmt::Write;

use sim_core::diff::{DesignDiff, ServiceFigures};
use sim_core::units::Duration;

fn human(secs: f64) -> String {
    Duration::from_secs(secs).human()
}

fn signed(secs: f64) -> String {
    if secs < 0.0 {
        format!("-{}", human(-secs))
    } else {
        format!("+{}", human(secs))
    }
}

fn pct(a: Option<f64>) -> String {
    a.map_or("not computed".into(), |a| format!("{:.6}%", a * 100.0))
}

/// The availability: exact, or its certified bounds rounded outward.
fn availability(f: &ServiceFigures) -> String {
    match (f.availability, f.availability_bounds) {
        (None, Some((low, high))) => {
            let (low, high) = super::availability_bounds_percent(1.0 - high, 1.0 - low);
            format!("between {low} and {high} (certified bounds)")
        }
        (a, _) => pct(a),
    }
}

/// The change in percentage points: six decimals, or three significant digits where a
/// real change would round to zero (the gate judges the unrounded figures).
fn pp_delta(before: f64, after: f64) -> String {
    let d = (after - before) * 100.0;
    if d != 0.0 && d.abs() < 5e-7 {
        format!(" ({d:+.2e} pp)")
    } else {
        format!(" ({d:+.6} pp)")
    }
}

fn nines(a: Option<f64>) -> String {
    a.map_or("-".into(), |a| format!("{:.2}", super::nines(1.0 - a)))
}

/// Why a SPOF can change while the order-1 cut sets do not.
pub const SPOF_NOTE: &str = "Single points of failure include those the timed drills find (a failover that leaves the service down until a repair) and those that hold only while a group serves from its second member, which are not order-1 cut sets of the static figure; `spofsim analyze` explains each";

pub fn render(before: &str, after: &str, d: &DesignDiff) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "diff {before} -> {after}");
    let _ = writeln!(o, "single points of failure: +{} -{}", d.spofs_added.len(), d.spofs_removed.len());
    for s in &d.spofs_added {
        let _ = writeln!(o, "  + {s}");
    }
    for s in &d.spofs_removed {
        let _ = writeln!(o, "  - {s}");
    }
    if !d.spofs_added.is_empty() || !d.spofs_removed.is_empty() {
        let _ = writeln!(o, "  note: {SPOF_NOTE}");
    }
    let empty = ServiceFigures {
        availability: None,
        availability_bounds: None,
        availability_with_timings: None,
        cut_sets_by_order: vec![],
        worst_data_lost_secs: 0.0,
        data_lost_entirely: 0,
        longest_outage_secs: 0.0,
        notes: vec![],
    };
    for s in &d.services {
        let state = match (&s.before, &s.after) {
            (None, Some(_)) => " (added)",
            (Some(_), None) => " (removed)",
            _ => "",
        };
        let _ = writeln!(o, "service {}{state}", s.name);
        let (b, a) = (s.before.as_ref().unwrap_or(&empty), s.after.as_ref().unwrap_or(&empty));
        let delta = match (b.availability, a.availability) {
            (Some(x), Some(y)) => pp_delta(x, y),
            _ => String::new(),
        };
        let unchanged = if s.same_fault_tree { " (same fault tree: unchanged)" } else { "" };
        let _ = writeln!(o, "  availability     {} -> {}{delta}{unchanged}", availability(b), availability(a));
        let _ = writeln!(o, "  nines            {} -> {}", nines(b.availability), nines(a.availability));
        let timed_delta = match (b.availability_with_timings, a.availability_with_timings) {
            (Some(x), Some(y)) => pp_delta(x, y),
            _ => String::new(),
        };
        let _ = writeln!(
            o,
            "  with timings     {} -> {}{timed_delta}",
            pct(b.availability_with_timings),
            pct(a.availability_with_timings)
        );
        if let (Some(x), Some(y)) = (b.downtime_per_year_secs(), a.downtime_per_year_secs()) {
            let _ = writeln!(o, "  downtime/year    {} -> {} ({})", human(x), human(y), signed(y - x));
        }
        let orders = b.cut_sets_by_order.len().max(a.cut_sets_by_order.len());
        let cuts: Vec<String> = (1..orders)
            .map(|k| {
                let get = |side: &Option<ServiceFigures>| {
                    side.as_ref()
                        .filter(|f| !f.cut_sets_by_order.is_empty())
                        .map_or("-".to_string(), |f| f.cut_sets_by_order.get(k).copied().unwrap_or(0).to_string())
                };
                format!("order {k}: {} -> {}", get(&s.before), get(&s.after))
            })
            .collect();
        if !cuts.is_empty() {
            let _ = writeln!(o, "  cut sets         {}", cuts.join(", "));
        }
        // A side the service is missing from shows "-", not a perfect figure.
        let simulated = |side: &Option<ServiceFigures>, f: fn(&ServiceFigures) -> f64| {
            side.as_ref().map_or("-".to_string(), |x| human(f(x)))
        };
        // One run's worst loss is judged only where what the data's loss rests on changed.
        let judged = if s.same_data_inputs {
            "neither is judged: nothing the service depends on changed (its elements, groups, backups and data copies), so a different worst loss is the random draws"
        } else {
            "the longest outage is not judged"
        };
        let entirely =
            |side: &Option<ServiceFigures>| side.as_ref().map_or("-".to_string(), |x| x.data_lost_entirely.to_string());
        let all_lost = if b.data_lost_entirely + a.data_lost_entirely > 0 {
            format!("; all data lost {} -> {} times", entirely(&s.before), entirely(&s.after))
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "  worst data loss  {} -> {}{all_lost}; longest outage {} -> {} (simulated; {judged})",
            simulated(&s.before, |f| f.worst_data_lost_secs),
            simulated(&s.after, |f| f.worst_data_lost_secs),
            simulated(&s.before, |f| f.longest_outage_secs),
            simulated(&s.after, |f| f.longest_outage_secs)
        );
        if b.data_lost_entirely + a.data_lost_entirely > 0 {
            let _ = writeln!(
                o,
                "  note: a version that lost all the data counts the service up again once its hosts work, on an empty database, where a surviving backup is restored first: its availability with timings is optimistic by the rebuilding it leaves out, so it can look better than a restore"
            );
        }
        for n in s.notes() {
            let _ = writeln!(o, "  note: {n}");
        }
    }
    let _ = writeln!(
        o,
        "(availability, nines and downtime: exact static figures with instant failover, or certified bounds where the exact analysis did not finish within --budget-secs; `with timings` adds detection and failover times to first order, the figure `spofsim check` judges availability targets on; data loss and outages are simulated with seed {}, {} replications × {} years)",
        d.simulation.seed, d.simulation.replications, d.simulation.years
    );
    for n in &d.notes {
        let _ = writeln!(o, "note: {n}");
    }
    let _ = writeln!(o, "findings: +{} -{}", d.findings_added.len(), d.findings_removed.len());
    for (code, subject, message) in &d.findings_added {
        let _ = writeln!(o, "  + {code} {subject}: {message}");
    }
    for (code, subject, message) in &d.findings_removed {
        let _ = writeln!(o, "  - {code} {subject}: {message}");
    }
    let regressions = d.regressions();
    let _ = writeln!(o, "regressions: {}", regressions.len());
    for r in regressions {
        let _ = writeln!(o, "  {r}");
    }
    o
}
