//! Drill expectations: a named drill's outcome gated in CI. Each drill an expectation
//! names (with the other drills of that name) is run without the rest
//! ([`crate::simulate::named_drill`]: no random failures, default seed, so the outcome is
//! the same on every run and machine) and judged on its longest outage, its worst data
//! loss, its time partly serving and whether two primaries ever coexisted.

use std::collections::BTreeMap;

use super::Verdict;
use crate::model::{DrillTargets, Expectation, Model};
use crate::simulate::{named_drill, ReplicationRecord, ServiceRecord};
use crate::units::Duration;

/// A duration is a difference of two instants in seconds since the drill's start (f64):
/// rounding leaves it within a microsecond of the exact value, so a target written as
/// the exact figure ("5m0.1s") is met by an outage the clock measures as 300.1000000001 s.
const CLOCK_ROUNDING_SECS: f64 = 1e-6;

/// The verdicts of every drill expectation of `model`; each named drill runs once.
pub fn drill_verdicts(model: &Model) -> Vec<Verdict> {
    let mut runs: BTreeMap<&str, Option<ReplicationRecord>> = BTreeMap::new();
    let mut out = Vec::new();
    for x in &model.expectations {
        let Some(targets) = &x.drill else { continue };
        let record = runs.entry(targets.name.as_str()).or_insert_with(|| named_drill(model, &targets.name));
        out.extend(judge(model, x, targets, record.as_ref()));
    }
    out
}

fn judge(model: &Model, x: &Expectation, t: &DrillTargets, record: Option<&ReplicationRecord>) -> Vec<Verdict> {
    // The services judged: the one named, else every service (the worst decides).
    let services: Vec<(&str, &ServiceRecord)> = match record {
        Some(r) => model
            .services
            .iter()
            .zip(&r.services)
            .enumerate()
            .filter(|(i, _)| x.service.is_none_or(|s| s == *i))
            .map(|(_, (s, rec))| (s.name.as_str(), rec))
            .collect(),
        None => Vec::new(),
    };
    let missing = || format!("drill {} did not run (it has no target in this model)", t.name);
    let who = |name: &str| if x.service.is_some() { String::new() } else { format!("{name}: ") };
    let verdict = |measure: &'static str, target: String, measured: Result<String, String>, passed: bool| Verdict {
        service: x.service.map(|s| model.services[s].name.clone()),
        measure,
        target: format!("{target} (drill {})", t.name),
        measured,
        passed,
        span: x.span,
        drill: Some(t.name.clone()),
        measured_by: super::measured_by::DRILL,
    };
    let mut out = Vec::new();
    if let Some(max) = t.max_outage_secs {
        let worst = services.iter().max_by(|a, b| a.1.max_outage_secs.total_cmp(&b.1.max_outage_secs));
        // Degraded time (part of the requests failing) is not an outage, but is said.
        let degraded = services
            .iter()
            .filter(|(_, r)| r.degraded_secs > 0.0)
            .map(|(name, r)| format!("; {}degraded {}", who(name), human(r.degraded_secs)))
            .collect::<String>();
        let measured = match (record, worst) {
            (None, _) => Err(missing()),
            (Some(_), None) => Err("the scenario has no service to judge".into()),
            (Some(_), Some((_, r))) if r.outages == 0 => Ok(format!("no outage{degraded}")),
            (Some(_), Some((name, r))) => Ok(format!(
                "{}longest outage {} ({} outage(s), {} down in all){degraded}",
                who(name),
                human(r.max_outage_secs),
                r.outages,
                human(r.outage_secs)
            )),
        };
        let passed = measured.is_ok() && worst.is_some_and(|(_, r)| r.max_outage_secs <= max + CLOCK_ROUNDING_SECS);
        out.push(verdict("max_outage", format!("≤ {}", human(max)), measured, passed));
    }
    if let Some(max) = t.max_data_loss_secs {
        // Split brain: the two primaries' writes diverge, and the side that is not kept
        // has its writes discarded when they meet again; all of that time is at risk
        // (pessimistic when clients wrote only to the side that was kept).
        let lost = |r: &ServiceRecord| r.max_data_lost_secs.max(r.split_brain_secs);
        let total = services.iter().find(|(_, r)| r.total_losses > 0);
        let worst = services.iter().max_by(|a, b| lost(a.1).total_cmp(&lost(b.1)));
        let measured = match (record, total, worst) {
            (None, _, _) => Err(missing()),
            (Some(_), Some((name, _)), _) => Ok(format!("{}all data lost: no copy and no backup survived", who(name))),
            (Some(_), None, Some((_, r))) if r.rpo_events == 0 && r.split_brain_secs == 0.0 => {
                Ok("no data lost".to_string())
            }
            (Some(_), None, Some((name, r))) if r.split_brain_secs > r.max_data_lost_secs => Ok(format!(
                "{}{} of writes at risk: two primaries took writes for that long, and one side's are discarded",
                who(name),
                human(r.split_brain_secs)
            )),
            (Some(_), None, Some((name, r))) => {
                Ok(format!("{}{} of writes lost", who(name), human(r.max_data_lost_secs)))
            }
            (Some(_), None, None) => Err("the scenario has no service to judge".into()),
        };
        let passed =
            measured.is_ok() && total.is_none() && worst.is_some_and(|(_, r)| lost(r) <= max + CLOCK_ROUNDING_SECS);
        out.push(verdict("max_data_loss", format!("≤ {}", human(max)), measured, passed));
    }
    if let Some(max) = t.max_degraded_secs {
        let worst = services.iter().max_by(|a, b| a.1.degraded_secs.total_cmp(&b.1.degraded_secs));
        let measured = match (record, worst) {
            (None, _) => Err(missing()),
            (Some(_), None) => Err("the scenario has no service to judge".into()),
            (Some(_), Some((_, r))) if r.degraded_secs == 0.0 => Ok("never degraded".to_string()),
            (Some(_), Some((name, r))) => Ok(format!("{}degraded {} in all", who(name), human(r.degraded_secs))),
        };
        let passed = measured.is_ok() && worst.is_some_and(|(_, r)| r.degraded_secs <= max + CLOCK_ROUNDING_SECS);
        out.push(verdict("max_degraded", format!("≤ {}", human(max)), measured, passed));
    }
    if t.no_split_brain {
        let split: Vec<&(&str, &ServiceRecord)> = services.iter().filter(|(_, r)| r.split_brain_events > 0).collect();
        let measured = match (record, split.first()) {
            (None, _) => Err(missing()),
            (Some(_), None) => Ok("no split brain".to_string()),
            (Some(_), Some((name, r))) => Ok(format!(
                "{}{} split-brain event(s), two primaries for {}",
                who(name),
                r.split_brain_events,
                human(r.split_brain_secs)
            )),
        };
        let passed = measured.is_ok() && split.is_empty();
        out.push(verdict("no_split_brain", "none".into(), measured, passed));
    }
    if t.no_two_masters {
        let dual: Vec<&(&str, &ServiceRecord)> = services.iter().filter(|(_, r)| r.dual_master_events > 0).collect();
        let measured = match (record, dual.first()) {
            (None, _) => Err(missing()),
            (Some(_), None) => Ok("never two masters".to_string()),
            (Some(_), Some((name, r))) => Ok(format!(
                "{}{} time(s) two VRRP/HSRP masters, for {}",
                who(name),
                r.dual_master_events,
                human(r.dual_master_secs)
            )),
        };
        let passed = measured.is_ok() && dual.is_empty();
        out.push(verdict("no_two_masters", "none".into(), measured, passed));
    }
    out
}

/// To the millisecond: drill outcomes are exact, and a 3.609 s VRRP failover that fails
/// a 3.6 s target must not read as 3.6 s.
fn human(secs: f64) -> String {
    Duration::from_secs(secs).exact()
}

#[cfg(test)]
mod tests {
    /// Two app servers in an active-standby cluster: when the active one dies, the
    /// standby takes over after the heartbeat deadtime plus the takeover time. Figures
    /// derived by hand from the scenario's own timers: 10 s + 20 s = 30 s of outage;
    /// when the drill ends, nothing moves back, so one outage.
    const TEXT: &str = r#"{
      "components": { "users": { "kind": "entry" }, "sw": { "kind": "switch" },
        "a": { "kind": "server", "nics": ["sw"], "runs": ["db"] },
        "b": { "kind": "server", "nics": ["sw"], "runs": ["db"] } },
      "links": [ { "between": ["users", "sw"] } ],
      "groups": { "pair": { "kind": "cluster", "mode": "active-standby", "members": ["a/db", "b/db"],
                            "heartbeat": { "interval": "1s", "deadtime": "10s" }, "takeover": "20s" } },
      "services": { "app": { "from": "users", "through": ["pair"] } },
      "drills": [ { "name": "a-dies", "fail": "a", "at": "1h", "for": "10m" },
                  { "name": "switch-dies", "fail": "sw", "at": "1h", "for": "10m" },
                  { "name": "switch-twice", "fail": "sw", "at": "1h", "for": "10m" },
                  { "name": "switch-twice", "fail": "sw", "at": "3h", "for": "10m" } ],
      "expect": [ { "drill": "a-dies", "service": "app", "max_outage": "30s", "no_split_brain": true },
                  { "drill": "switch-dies", "max_outage": "5m" },
                  { "drill": "switch-twice", "service": "app", "max_outage": "10m", "max_degraded": "0s" } ] }"#;

    fn rows(text: &str) -> Vec<(String, String, bool)> {
        let loaded = crate::load(text);
        let model = loaded.model.unwrap_or_else(|| panic!("{:#?}", loaded.diagnostics));
        let mut v: Vec<(String, String, bool)> = super::drill_verdicts(&model)
            .into_iter()
            .map(|v| (format!("{} {}", v.measure, v.target), v.measured.unwrap_or_else(|e| e), v.passed))
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_drill_is_judged_on_its_own_outcome() {
        assert_eq!(
            rows(TEXT),
            [
                // Drills sharing a name run together: the switch fails twice, the service
                // is down for each 10 minutes.
                ("max_degraded ≤ 0s (drill switch-twice)".to_string(), "never degraded".to_string(), true),
                (
                    "max_outage ≤ 10m (drill switch-twice)".to_string(),
                    "longest outage 10m (2 outage(s), 20m down in all)".to_string(),
                    true
                ),
                (
                    "max_outage ≤ 30s (drill a-dies)".to_string(),
                    "longest outage 30s (1 outage(s), 30s down in all)".to_string(),
                    true
                ),
                // The one switch is down for the whole 10 minutes.
                (
                    "max_outage ≤ 5m (drill switch-dies)".to_string(),
                    "app: longest outage 10m (1 outage(s), 10m down in all)".to_string(),
                    false
                ),
                ("no_split_brain none (drill a-dies)".to_string(), "no split brain".to_string(), true),
            ]
        );
    }

    /// Two gateways whose adverts cross sw-1 – isl – sw-2: cutting the inter-switch link
    /// for 10 minutes leaves each hearing nothing, and gw-2 claims the virtual IP after
    /// its Master_Down_Interval (3 + 156/256 = 3.609375 s): two masters for
    /// 600 − 3.609375 = 596.390625 s. Failing gw-2's own link instead puts it in FAULT:
    /// never two masters.
    #[test]
    fn two_masters_are_judged_apart_from_split_brain() {
        let text = r#"{
          "components": { "users": { "kind": "entry" }, "gw-1": { "kind": "router" }, "gw-2": { "kind": "router" },
            "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
            "web": { "kind": "server", "nics": ["sw-1"], "runs": ["web"] } },
          "links": [ { "between": ["users", "gw-1"] }, { "between": ["users", "gw-2"] },
                     { "between": ["gw-1", "sw-1"] }, { "between": ["gw-2", "sw-2"] },
                     { "id": "isl", "between": ["sw-1", "sw-2"] } ],
          "groups": { "gw-vip": { "kind": "vrrp", "members": ["gw-1", "gw-2"] } },
          "services": { "site": { "from": "users", "through": ["gw-vip", "web/web"] } },
          "drills": [ { "name": "isl-cut", "fail": "isl", "at": "1h", "for": "10m" },
                      { "name": "gw-2-link", "fail": "gw-2~sw-2", "at": "1h", "for": "10m" } ],
          "expect": [ { "drill": "isl-cut", "no_two_masters": true, "no_split_brain": true },
                      { "drill": "gw-2-link", "no_two_masters": true } ] }"#;
        assert_eq!(
            rows(text),
            [
                ("no_split_brain none (drill isl-cut)".to_string(), "no split brain".to_string(), true),
                ("no_two_masters none (drill gw-2-link)".to_string(), "never two masters".to_string(), true),
                (
                    "no_two_masters none (drill isl-cut)".to_string(),
                    "site: 1 time(s) two VRRP/HSRP masters, for 9m 56.391s".to_string(),
                    false
                ),
            ]
        );
    }
}
