//! What changed between two versions of a design: single points of failure, cut-set
//! counts per order, exact availability (with nines and downtime) with instant failover
//! and with failover timings (the figure `check` judges), worst data loss and
//! longest outage from the `check` simulation, and lint findings. Services, SPOFs and
//! findings are matched by name; every list is sorted.

use std::collections::BTreeSet;

use crate::analysis::compile::Compiled;
use crate::analysis::{analyze_tree_keeping, findings, structure, Options, TreeResult};
use crate::check::CHECK_SIMULATION;
use crate::model::Model;
use crate::units::SECS_PER_YEAR;

/// One service's figures in one version; `None` where the exact analysis was skipped.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceFigures {
    /// Exact static availability, instant failover.
    pub availability: Option<f64>,
    /// The same with detection and failover times (first order, as `check` judges
    /// availability targets); `None` where either was not computed.
    pub availability_with_timings: Option<f64>,
    pub cut_sets_by_order: Vec<u128>,
    pub worst_data_lost_secs: f64,
    pub longest_outage_secs: f64,
}

impl ServiceFigures {
    pub fn downtime_per_year_secs(&self) -> Option<f64> {
        self.availability.map(|a| (1.0 - a) * SECS_PER_YEAR)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceDiff {
    pub name: String,
    pub before: Option<ServiceFigures>,
    pub after: Option<ServiceFigures>,
}

/// A finding, as compared: (code, subject, message).
pub type FindingKey = (String, String, String);

#[derive(Clone, Debug, PartialEq)]
pub struct DesignDiff {
    /// (element, services it takes down), added and removed.
    pub spofs_added: Vec<String>,
    pub spofs_removed: Vec<String>,
    pub services: Vec<ServiceDiff>,
    pub findings_added: Vec<FindingKey>,
    pub findings_removed: Vec<FindingKey>,
}

impl DesignDiff {
    /// What got worse: new SPOFs, new findings, lower availability, longer worst data
    /// loss or outage, a service gone.
    pub fn regressions(&self) -> Vec<String> {
        let mut out: Vec<String> =
            self.spofs_added.iter().map(|s| format!("new single point of failure {s}")).collect();
        out.extend(self.findings_added.iter().map(|(c, s, _)| format!("new finding {c} on {s}")));
        for s in &self.services {
            match (&s.before, &s.after) {
                (Some(_), None) => out.push(format!("service {} removed", s.name)),
                (Some(b), Some(a)) => {
                    if let (Some(x), Some(y)) = (b.availability, a.availability) {
                        if y < x {
                            out.push(format!("{}: availability down", s.name));
                        }
                    }
                    if let (Some(x), Some(y)) = (b.availability_with_timings, a.availability_with_timings) {
                        if y < x {
                            out.push(format!("{}: availability with failover timings down", s.name));
                        }
                    }
                    if a.worst_data_lost_secs > b.worst_data_lost_secs {
                        out.push(format!("{}: worst data loss longer", s.name));
                    }
                    if a.longest_outage_secs > b.longest_outage_secs {
                        out.push(format!("{}: longest outage longer", s.name));
                    }
                }
                _ => {}
            }
        }
        out
    }
}

/// A service's fault tree, with its exact result and BDD when the analysis finished.
type Analysed = (crate::analysis::FaultTree, Option<(TreeResult, Compiled)>);

fn figures(model: &Model) -> Vec<(String, ServiceFigures)> {
    let sim = crate::simulate::simulate(model, &CHECK_SIMULATION);
    let mut names: Vec<(usize, String)> = model.services.iter().map(|s| s.name.clone()).enumerate().collect();
    names.sort_by(|a, b| a.1.cmp(&b.1));
    let options = Options { max_order: 3, max_listed: 0, importance: false, ..Options::default() };
    // Per service (by index): its tree, and the result and BDD of its exact analysis,
    // which the figure with timings reuses.
    let mut analysed: Vec<Option<Analysed>> = (0..model.services.len()).map(|_| None).collect();
    for ((index, _), tree) in names.iter().zip(structure::service_trees(model)) {
        analysed[*index] = tree.ok().map(|t| {
            let r = analyze_tree_keeping(&t, &options).ok();
            (t, r)
        });
    }
    let points = crate::timed::single_points(model);
    let wanted = vec![true; model.services.len()];
    let reuse: Vec<Option<crate::timed::CompiledTree>> =
        analysed.iter().map(|a| a.as_ref().and_then(|(t, r)| r.as_ref().map(|(_, c)| (t, c)))).collect();
    let timed =
        crate::timed::timed_figures_reusing(model, &points.static_singles, &wanted, &options, &points.drills, &reuse);
    names
        .into_iter()
        .map(|(index, name)| {
            let result = analysed[index].take().and_then(|(_, r)| r.map(|(r, _)| r));
            let stats = sim.services.iter().find(|s| s.name == name);
            let with_timings = timed[index].as_ref().ok().map(|t| 1.0 - t.unavailability());
            let figures = ServiceFigures {
                availability_with_timings: result.as_ref().and(with_timings),
                availability: result.as_ref().map(|r| 1.0 - r.probability),
                cut_sets_by_order: result.map(|r| r.counts_by_order).unwrap_or_default(),
                worst_data_lost_secs: stats.map_or(0.0, |s| s.max_data_lost_secs),
                longest_outage_secs: stats.map_or(0.0, |s| s.max_outage_secs),
            };
            (name, figures)
        })
        .collect()
}

fn spofs(model: &Model) -> BTreeSet<String> {
    let points = crate::timed::single_points(model);
    findings::spofs(model, &points.all, &points.unseen).into_iter().map(|s| s.element).collect()
}

fn lint_keys(model: &Model) -> Vec<FindingKey> {
    // A finding about the whole design names the scenario: renaming the scenario is not
    // a new finding.
    let design = |subject: String| if subject == model.name { "(design)".to_string() } else { subject };
    crate::lints::run(model).into_iter().map(|f| (f.code.to_string(), design(f.subject), f.message)).collect()
}

/// Findings of `a` whose (code, subject) `b` does not have: a reworded message (a count
/// that changed) is the same finding.
fn only_in(a: &[FindingKey], b: &[FindingKey]) -> Vec<FindingKey> {
    let keys: BTreeSet<(&str, &str)> = b.iter().map(|(c, s, _)| (c.as_str(), s.as_str())).collect();
    a.iter().filter(|(c, s, _)| !keys.contains(&(c.as_str(), s.as_str()))).cloned().collect()
}

pub fn compare(before: &Model, after: &Model) -> DesignDiff {
    let (sb, sa) = (spofs(before), spofs(after));
    let (lb, la) = (lint_keys(before), lint_keys(after));
    let (fb, fa) = (figures(before), figures(after));
    let names: BTreeSet<&String> = fb.iter().chain(&fa).map(|(n, _)| n).collect();
    let services = names
        .into_iter()
        .map(|n| ServiceDiff {
            name: n.clone(),
            before: fb.iter().find(|(m, _)| m == n).map(|(_, f)| f.clone()),
            after: fa.iter().find(|(m, _)| m == n).map(|(_, f)| f.clone()),
        })
        .collect();
    DesignDiff {
        spofs_added: sa.difference(&sb).cloned().collect(),
        spofs_removed: sb.difference(&sa).cloned().collect(),
        services,
        findings_added: only_in(&la, &lb),
        findings_removed: only_in(&lb, &la),
    }
}

#[cfg(test)]
mod tests {
    fn model(text: &str) -> crate::model::Model {
        crate::load(text).model.expect("model")
    }

    const ONE: &str = r#"{ "name": "v", "components": { "internet": { "kind": "entry" },
        "gw": { "kind": "router" }, "web-1": { "kind": "server", "nics": ["sw"] }, "sw": { "kind": "switch" } },
        "links": [{ "between": ["internet", "gw"] }, { "between": ["gw", "sw"] }],
        "services": { "site": { "from": "internet", "through": ["web-1"] } } }"#;

    /// A slower VRRP advert leaves the instant-failover figure as it was, but every
    /// failover takes longer: the figure with timings drops, and that is a regression.
    #[test]
    fn slower_failover_is_a_regression_the_static_figure_hides() {
        let pair = r#"{ "components": { "internet": { "kind": "entry" },
            "gw-1": { "kind": "router" }, "gw-2": { "kind": "router" }, "sw": { "kind": "switch" },
            "web-1": { "kind": "server", "nics": ["sw"] } },
          "links": [{ "between": ["internet", "gw-1"] }, { "between": ["internet", "gw-2"] },
                    { "between": ["gw-1", "sw"] }, { "between": ["gw-2", "sw"] }],
          "groups": { "gw": { "kind": "vrrp", "members": ["gw-1", "gw-2"], "advert_interval": "1s" } },
          "services": { "site": { "from": "internet", "through": ["gw", "web-1"] } } }"#;
        let slow = pair.replace(r#""advert_interval": "1s""#, r#""advert_interval": "10s""#);
        let d = super::compare(&model(pair), &model(&slow));
        let s = &d.services[0];
        let (b, a) = (s.before.as_ref().unwrap(), s.after.as_ref().unwrap());
        assert_eq!(a.availability, b.availability);
        // Master_Down_Interval (RFC 5798 §6.1) grows from about 3 s to about 30 s per
        // failure of the master: the figure with timings must fall.
        assert!(a.availability_with_timings.unwrap() < b.availability_with_timings.unwrap(), "{b:?} -> {a:?}");
        assert!(
            d.regressions().iter().any(|r| r == "site: availability with failover timings down"),
            "{:?}",
            d.regressions()
        );
    }

    #[test]
    fn a_second_gateway_removes_a_spof_and_raises_availability() {
        let two = ONE
            .replace(r#""gw": { "kind": "router" },"#, r#""gw": { "kind": "router" }, "gw-2": { "kind": "router" },"#)
            .replace(
                r#"{ "between": ["gw", "sw"] }"#,
                r#"{ "between": ["gw", "sw"] }, { "between": ["internet", "gw-2"] }, { "between": ["gw-2", "sw"] }"#,
            );
        let d = super::compare(&model(ONE), &model(&two));
        // The gateway and both its links stop being single points of failure.
        assert_eq!(d.spofs_removed, ["gw", "gw~sw", "internet~gw"]);
        assert!(d.spofs_added.is_empty());
        let s = &d.services[0];
        let (b, a) = (s.before.as_ref().unwrap(), s.after.as_ref().unwrap());
        assert!(a.availability.unwrap() > b.availability.unwrap());
        assert_eq!(b.cut_sets_by_order[1], a.cut_sets_by_order[1] + 3);
        assert!(d.regressions().is_empty(), "{:?}", d.regressions());
        // And back: the same change reversed is a regression.
        let back = super::compare(&model(&two), &model(ONE));
        assert_eq!(back.spofs_added, ["gw", "gw~sw", "internet~gw"]);
        assert!(back.regressions().iter().any(|r| r == "new single point of failure gw"));
    }
}
