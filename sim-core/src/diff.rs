//! What changed between two versions of a design: single points of failure, cut-set
//! counts per order, availability (with nines and downtime) with instant failover and
//! with failover timings (the figure `check` judges), worst data loss and longest
//! outage from a crude simulation, and lint findings. Services, SPOFs and findings are
//! matched by name; every list is sorted.
//!
//! Each version is measured within a work budget, as `analyze` and `check` are: where
//! the exact analysis does not finish, certified bounds on the unavailability stand in
//! for it and say so, and a change the bounds cannot decide is reported as a possible
//! regression (a gate must not pass what it could not measure).

use std::collections::BTreeSet;

use crate::analysis::budget::Budget;
use crate::analysis::compile::Compiled;
use crate::analysis::{analyze_tree_keeping, findings, structure, Options, TreeResult};
use crate::check::CHECK_SIMULATION;
use crate::model::Model;
use crate::simulate::{SimOptions, SimReport};
use crate::units::SECS_PER_YEAR;

/// One service's figures in one version.
#[derive(Clone, Debug, PartialEq)]
pub struct ServiceFigures {
    /// Exact static availability, instant failover; `None` where the exact analysis
    /// did not finish (see [`Self::availability_bounds`]) or could not run.
    pub availability: Option<f64>,
    /// Certified bounds (lowest, highest) on the availability, where the exact analysis
    /// did not finish within its budget; `None` when it did. They come from the static
    /// model, which credits no hot spare, cold standby or UPS battery (so where the
    /// service's tree has such a part the highest is 1) and charges no shortage of
    /// repair crews (so with `repair_crews` the lowest is 0): only then do they hold
    /// for the figure an exact analysis gives.
    pub availability_bounds: Option<(f64, f64)>,
    /// The exact figure with detection and failover times (first order, as `check`
    /// judges availability targets); `None` where the exact figure is missing.
    pub availability_with_timings: Option<f64>,
    /// Minimal cut sets per order (index = order, up to 3); empty without the exact analysis.
    pub cut_sets_by_order: Vec<u128>,
    /// Seconds of writes lost in the worst event of the crude simulation
    /// ([`DesignDiff::simulation`]); 0 before it is added. One run's maximum: judged
    /// only where [`ServiceDiff::same_data_inputs`] does not hold.
    pub worst_data_lost_secs: f64,
    /// Events of the same simulation in which all the data was lost (no copy and no
    /// backup survived); judged as [`Self::worst_data_lost_secs`] is.
    pub data_lost_entirely: u64,
    /// Seconds of the longest outage in the same simulation (shown, not judged).
    pub longest_outage_secs: f64,
    /// What the figures rest on: the analysis's own notes (assumptions, approximations),
    /// why the exact figure is missing, and how the bounds were stopped. Sorted.
    pub notes: Vec<String>,
}

impl ServiceFigures {
    /// Seconds down per year, from the exact availability.
    pub fn downtime_per_year_secs(&self) -> Option<f64> {
        self.availability.map(|a| (1.0 - a) * SECS_PER_YEAR)
    }

    /// The availability as an interval (lowest, highest): a point when exact.
    pub fn availability_interval(&self) -> Option<(f64, f64)> {
        self.availability.map(|a| (a, a)).or(self.availability_bounds)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceDiff {
    pub name: String,
    pub before: Option<ServiceFigures>,
    pub after: Option<ServiceFigures>,
    /// Some version has no exact figure (the shared budget can leave a service exact on
    /// one side and bounded on the other), and their fault trees are the same event for
    /// event and gate for gate (probabilities included): the static availability did not
    /// change, whatever the bounds say. False when both figures are exact (they decide).
    pub same_fault_tree: bool,
    /// What the figure with timings rests on besides the fault tree is the same in both
    /// versions: every element's mean detection delay and the service's first-order
    /// failover downtime. With [`Self::same_fault_tree`], the figure with timings did
    /// not change either.
    pub same_timing_inputs: bool,
    /// Nothing the service's data loss can depend on changed: the elements and groups
    /// of its dependency cone, the backups covering them and its data sets
    /// ([`crate::simulate::data::service_data_inputs`]). A different simulated worst loss
    /// is then the random draws (any change to the design moves them), not a regression.
    /// Only the appearance of total losses (none before) is judged, not their count.
    pub same_data_inputs: bool,
}

impl ServiceDiff {
    /// Both versions' notes on this service, as [`either_or_both`] gives them.
    pub fn notes(&self) -> Vec<String> {
        let of = |f: &Option<ServiceFigures>| f.as_ref().map(|f| f.notes.clone()).unwrap_or_default();
        either_or_both(&of(&self.before), &of(&self.after))
    }
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
    /// The crude simulation behind data loss and outages (seed, years, replications),
    /// the same for both versions.
    pub simulation: SimOptions,
    /// Both versions' notes from the single-failure pass and the simulation, as
    /// [`either_or_both`] gives them.
    pub notes: Vec<String>,
}

impl DesignDiff {
    /// What got worse: new SPOFs, new findings (neither accepted by the scenario's
    /// `suppress` or `expect.findings`), lower availability (or availability bounds that
    /// cannot rule that out), a longer simulated worst data loss or data lost entirely
    /// where something the service depends on changed, a service gone or a
    /// figure that could not be computed after the change. The simulated longest outage is reported,
    /// not judged (a single run's maximum).
    pub fn regressions(&self) -> Vec<String> {
        let mut out: Vec<String> =
            self.spofs_added.iter().map(|s| format!("new single point of failure {s}")).collect();
        out.extend(self.findings_added.iter().map(|(c, s, _)| format!("new finding {c} on {s}")));
        for s in &self.services {
            match (&s.before, &s.after) {
                (Some(_), None) => out.push(format!("service {} removed", s.name)),
                (Some(b), Some(a)) => {
                    let shown = |(low, high): (f64, f64)| {
                        if low == high {
                            format!("exact {}", crate::check::percent_fine(low))
                        } else {
                            format!(
                                "bounds {} .. {}",
                                crate::check::percent_fine(low),
                                crate::check::percent_fine(high)
                            )
                        }
                    };
                    match (b.availability_interval(), a.availability_interval()) {
                        // The same fault tree is the same static figure, whatever the
                        // bounds' rounding says.
                        (Some(_), Some(_)) if s.same_fault_tree => {}
                        (Some(x), Some(y)) => {
                            if y.1 < x.0 {
                                out.push(format!("{}: availability down", s.name));
                            } else if y.0 < x.1 {
                                // Only bounds can overlap this way: exact figures that
                                // are not lower are not a regression.
                                out.push(format!(
                                    "{}: availability may be down (before {}, after {}: they overlap; a longer --budget-secs may decide it)",
                                    s.name,
                                    shown(x),
                                    shown(y)
                                ));
                            }
                        }
                        (Some(_), None) => out.push(format!("{}: availability not computed after the change", s.name)),
                        _ => {}
                    }
                    match (b.availability_with_timings, a.availability_with_timings) {
                        (Some(x), Some(y)) => {
                            if y < x {
                                out.push(format!("{}: availability with failover timings down", s.name));
                            }
                        }
                        // Detection and failover times are not in the fault tree: the same
                        // tree with the same timing inputs is the same figure; else the
                        // change in it is unknown, and a gate must not pass it.
                        _ if s.same_fault_tree && s.same_timing_inputs => {}
                        (Some(_), None) | (None, _) => out.push(format!(
                            "{}: availability with failover timings not compared (no exact figure on both sides; a longer --budget-secs may decide it)",
                            s.name
                        )),
                    }
                    // One run's worst loss moves with the random draws; only a change to
                    // what the data's loss rests on can make it a regression.
                    if !s.same_data_inputs {
                        if a.data_lost_entirely > 0 && b.data_lost_entirely == 0 {
                            out.push(format!(
                                "{}: all data lost in {} simulated events (none before; something the service depends on changed)",
                                s.name, a.data_lost_entirely
                            ));
                        }
                        // Losing all the data is worse than any loss with a length: a
                        // version that lost it all has no worse worst loss to fall to.
                        if b.data_lost_entirely == 0 && a.worst_data_lost_secs > b.worst_data_lost_secs {
                            out.push(format!(
                                "{}: worst data loss longer (simulated; something the service depends on changed)",
                                s.name
                            ));
                        }
                    }
                    // The longest outage is not gated: one run's maximum of random repair
                    // times moves with any change to the random draws (a faster repair
                    // elsewhere can lengthen it), and the availability with timings
                    // already judges outages.
                }
                _ => {}
            }
        }
        out
    }
}

/// One version of a design, measured: [`measure`], then [`Version::add_simulation`].
#[derive(Clone, Debug)]
pub struct Version {
    spofs: BTreeSet<String>,
    lints: Vec<FindingKey>,
    /// (service name, figures), sorted by name.
    services: Vec<(String, ServiceFigures)>,
    /// The fault trees of the services without an exact figure, by name.
    /// Every service's fault tree (by name), to tell an unchanged service whose figure
    /// is bounded on some side.
    trees: Vec<(String, crate::analysis::FaultTree)>,
    /// Every element's mean detection delay in seconds, by name.
    detection_secs: Vec<(String, f64)>,
    /// Per service, by name: its first-order failover downtime (a fraction of time).
    failover: Vec<(String, Result<f64, String>)>,
    /// Per service, by name: what its data loss rests on
    /// ([`crate::simulate::data::service_data_inputs`]).
    data_inputs: Vec<(String, String)>,
    notes: Vec<String>,
}

impl Version {
    /// Adds data loss and outages from a crude simulation of the same model (run with
    /// [`crate::simulate::simulate`] or its progress-reporting twin).
    pub fn add_simulation(&mut self, report: &SimReport) {
        for (name, figures) in &mut self.services {
            if let Some(stats) = report.services.iter().find(|s| &s.name == name) {
                figures.worst_data_lost_secs = stats.max_data_lost_secs;
                figures.data_lost_entirely = stats.total_losses;
                figures.longest_outage_secs = stats.max_outage_secs;
            }
        }
        self.notes.extend(report.notes.iter().cloned());
    }
}

/// A service's fault tree, with its exact result and BDD when the analysis finished.
type Analysed = (crate::analysis::FaultTree, Result<(TreeResult, Compiled), String>);

/// Everything but the simulation of one version: SPOFs, lints, and per service the
/// exact figures (the exact analysis shares `budget`; cut sets counted to order 3), or
/// certified bounds within `bounds_units` dataflow units
/// ([`crate::analysis::budget::DATAFLOW_UNITS_PER_SEC`]) where it did not finish.
pub fn measure(model: &Model, budget: Budget, bounds_units: u64) -> Version {
    let points = crate::timed::single_points(model);
    // Accepted findings (`suppress`, `expect.findings`) are the design's decisions, not
    // changes to flag, as in `check`.
    let mut spofs = findings::spofs(model, &points.all, &points.unseen);
    let mut lints = crate::lints::run(model);
    crate::check::accept_findings(model, &mut spofs, &mut lints);
    let spofs = spofs.into_iter().filter(|s| s.suppressed.is_none()).map(|s| s.element).collect();
    let mut names: Vec<(usize, String)> = model.services.iter().map(|s| s.name.clone()).enumerate().collect();
    names.sort_by(|a, b| a.1.cmp(&b.1));
    let options = Options { max_order: 3, max_listed: 0, importance: false, budget, ..Options::default() };
    // Per service (by index): its tree, and the result and BDD of its exact analysis,
    // which the figure with timings reuses.
    let mut analysed: Vec<Option<Analysed>> = (0..model.services.len()).map(|_| None).collect();
    let mut tree_errors: Vec<Option<String>> = vec![None; model.services.len()];
    let mut trees = Vec::new();
    for ((index, _), tree) in names.iter().zip(structure::service_trees(model)) {
        match tree {
            Ok(t) => {
                let r = analyze_tree_keeping(&t, &options).map_err(|e| e.to_string());
                analysed[*index] = Some((t, r));
            }
            Err(e) => tree_errors[*index] = Some(format!("exact figure not computed: {e}")),
        }
    }
    let wanted: Vec<bool> = analysed.iter().map(|a| a.as_ref().is_some_and(|(_, r)| r.is_ok())).collect();
    let reuse: Vec<Option<crate::timed::CompiledTree>> =
        analysed.iter().map(|a| a.as_ref().and_then(|(t, r)| r.as_ref().ok().map(|(_, c)| (t, c)))).collect();
    let timed =
        crate::timed::timed_figures_reusing(model, &points.static_singles, &wanted, &options, &points.drills, &reuse);
    // Certified bounds, once for the whole design, when some service has no exact figure.
    let bounds = (!wanted.iter().all(|w| *w))
        .then(|| crate::analysis::bounds::certified_bounds_within(model, Budget::of_work(bounds_units, None)));
    let detection_secs =
        model.elements.iter().zip(&points.drills.detection).map(|(e, &d)| (e.name.clone(), d)).collect();
    let failover = names
        .iter()
        .map(|(index, name)| {
            let term = crate::timed::failover_term(model, &points.static_singles, &points.drills, *index);
            (name.clone(), term.map(|(f, _)| f))
        })
        .collect();
    let inputs = crate::simulate::data::service_data_inputs(model);
    let data_inputs = names.iter().map(|(index, name)| (name.clone(), inputs[*index].clone())).collect();
    let services = names
        .into_iter()
        .map(|(index, name)| {
            let mut notes: Vec<String> = Vec::new();
            // `dynamic`: the tree has dynamic parts (solved or read as static) the bounds do not credit.
            let (result, dynamic) = match analysed[index].take() {
                Some((tree, Ok((r, _)))) => {
                    trees.push((name.clone(), tree));
                    (Some(r), false)
                }
                Some((tree, Err(why))) => {
                    let dynamic = crate::analysis::bounds::uncredited(model, Some(&tree)).0;
                    trees.push((name.clone(), tree));
                    notes.push(format!("no exact figure: {why}"));
                    (None, dynamic)
                }
                None => {
                    notes.extend(tree_errors[index].take());
                    (None, crate::analysis::bounds::uncredited(model, None).0)
                }
            };
            let availability_bounds = match (&result, &bounds) {
                (None, Some(all)) => all.get(index).map(|b| {
                    let crews = model.repair_crews.is_some();
                    notes.push(format!(
                        "availability from certified bounds on the static model (independent failures, instant failover){}{}",
                        crate::analysis::bounds::widening_note(dynamic, crews, b.widens_for_restarts()).map_or(String::new(), |w| format!("; {w}")),
                        if b.complete { String::new() } else { "; the enumeration behind them stopped at its work budget".to_string() }
                    ));
                    let b = b.for_true_figure(dynamic, crews);
                    (1.0 - b.upper, 1.0 - b.lower)
                }),
                _ => None,
            };
            if let Some(r) = &result {
                notes.extend(r.notes.iter().cloned());
            }
            let with_timings = timed[index].as_ref().ok().map(|t| 1.0 - t.unavailability());
            if result.is_some() {
                if let Err(e) = &timed[index] {
                    notes.push(format!("availability with timings not computed: {e}"));
                }
            }
            notes.sort();
            notes.dedup();
            let figures = ServiceFigures {
                availability_with_timings: result.as_ref().and(with_timings),
                availability: result.as_ref().map(|r| 1.0 - r.probability),
                availability_bounds,
                cut_sets_by_order: result.map(|r| r.counts_by_order).unwrap_or_default(),
                worst_data_lost_secs: 0.0,
                data_lost_entirely: 0,
                longest_outage_secs: 0.0,
                notes,
            };
            (name, figures)
        })
        .collect();
    let notes = points.unseen_not_checked.iter().cloned().collect();
    Version { spofs, lints: lint_keys(model, lints), services, trees, detection_secs, failover, data_inputs, notes }
}

fn lint_keys(model: &Model, lints: Vec<crate::lints::Finding>) -> Vec<FindingKey> {
    // A finding about the whole design names the scenario: renaming the scenario is not
    // a new finding.
    let design = |subject: String| if subject == model.name { "(design)".to_string() } else { subject };
    lints
        .into_iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| (f.code.to_string(), design(f.subject), f.message))
        .collect()
}

/// Findings of `a` whose (code, subject) `b` does not have: a reworded message (a count
/// that changed) is the same finding.
fn only_in(a: &[FindingKey], b: &[FindingKey]) -> Vec<FindingKey> {
    let keys: BTreeSet<(&str, &str)> = b.iter().map(|(c, s, _)| (c.as_str(), s.as_str())).collect();
    a.iter().filter(|(c, s, _)| !keys.contains(&(c.as_str(), s.as_str()))).cloned().collect()
}

/// The diff of two measured versions whose simulations ran with `simulation`.
pub fn compare_versions(before: &Version, after: &Version, simulation: &SimOptions) -> DesignDiff {
    let names: BTreeSet<&String> = before.services.iter().chain(&after.services).map(|(n, _)| n).collect();
    let find = |v: &Version, n: &String| v.services.iter().find(|(m, _)| m == n).map(|(_, f)| f.clone());
    let exact = |v: &Version, n: &String| find(v, n).is_some_and(|f| f.availability.is_some());
    fn tree<'v>(v: &'v Version, n: &String) -> Option<&'v crate::analysis::FaultTree> {
        v.trees.iter().find(|(m, _)| m == n).map(|(_, t)| t)
    }
    let services = names
        .into_iter()
        .map(|n| ServiceDiff {
            name: n.clone(),
            before: find(before, n),
            after: find(after, n),
            same_fault_tree: !(exact(before, n) && exact(after, n))
                && matches!((tree(before, n), tree(after, n)), (Some(x), Some(y)) if x == y),
            same_timing_inputs: before.detection_secs == after.detection_secs && {
                let failover = |v: &Version| v.failover.iter().find(|(m, _)| m == n).map(|(_, f)| f.clone());
                failover(before).is_some() && failover(before) == failover(after)
            },
            same_data_inputs: {
                let inputs = |v: &Version| v.data_inputs.iter().find(|(m, _)| m == n).map(|(_, d)| d.clone());
                inputs(before).is_some() && inputs(before) == inputs(after)
            },
        })
        .collect();
    let notes = either_or_both(&before.notes, &after.notes);
    DesignDiff {
        spofs_added: after.spofs.difference(&before.spofs).cloned().collect(),
        spofs_removed: before.spofs.difference(&after.spofs).cloned().collect(),
        services,
        findings_added: only_in(&after.lints, &before.lints),
        findings_removed: only_in(&before.lints, &after.lints),
        simulation: simulation.clone(),
        notes,
    }
}

/// Notes of two versions, sorted: one in both as it is, the others prefixed with
/// `before: ` or `after: `.
pub fn either_or_both(before: &[String], after: &[String]) -> Vec<String> {
    let mut notes: Vec<String> = before
        .iter()
        .map(|n| if after.contains(n) { n.clone() } else { format!("before: {n}") })
        .chain(after.iter().filter(|n| !before.contains(n)).map(|n| format!("after: {n}")))
        .collect();
    notes.sort();
    notes.dedup();
    notes
}

/// The work budget of [`compare`]'s exact analysis per version: 5 s of BDD work, the
/// default of `spofsim diff --budget-secs`.
pub const DEFAULT_BUDGET_SECS: u64 = 5;

/// Both versions measured with the default budgets (no wall clock, so the same result on
/// every machine) and simulated with [`CHECK_SIMULATION`].
pub fn compare(before: &Model, after: &Model) -> DesignDiff {
    let version = |m: &Model| {
        let work = DEFAULT_BUDGET_SECS * crate::analysis::budget::BDD_REQUESTS_PER_SEC;
        let mut v = measure(
            m,
            Budget::of_work(work, None),
            DEFAULT_BUDGET_SECS * crate::analysis::budget::DATAFLOW_UNITS_PER_SEC,
        );
        v.add_simulation(&crate::simulate::simulate(m, &CHECK_SIMULATION));
        v
    };
    compare_versions(&version(before), &version(after), &CHECK_SIMULATION)
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

    /// A diff of one service "s" with these figures and `[same_fault_tree,
    /// same_timing_inputs, same_data_inputs]`.
    fn one_service(before: super::ServiceFigures, after: super::ServiceFigures, same: [bool; 3]) -> super::DesignDiff {
        super::DesignDiff {
            spofs_added: vec![],
            spofs_removed: vec![],
            services: vec![super::ServiceDiff {
                name: "s".into(),
                before: Some(before),
                after: Some(after),
                same_fault_tree: same[0],
                same_timing_inputs: same[1],
                same_data_inputs: same[2],
            }],
            findings_added: vec![],
            findings_removed: vec![],
            simulation: crate::check::CHECK_SIMULATION,
            notes: vec![],
        }
    }

    /// The gate on availability, case by case: exact figures compare as numbers; bounds
    /// that overlap cannot rule out a drop (a regression, unless the fault tree is the
    /// same); bounds wholly below are a drop; bounds wholly above are not.
    #[test]
    fn bounds_gate_availability_only_where_they_decide_it() {
        let figures = |availability: Option<f64>, bounds: Option<(f64, f64)>| super::ServiceFigures {
            availability,
            availability_bounds: bounds,
            // The figure with timings follows the exact one; bounds carry their inputs.
            availability_with_timings: availability,
            cut_sets_by_order: vec![],
            worst_data_lost_secs: 0.0,
            data_lost_entirely: 0,
            longest_outage_secs: 0.0,
            notes: vec![],
        };
        let gate_timed = |before, after, same_fault_tree, same_timing_inputs| {
            one_service(before, after, [same_fault_tree, same_timing_inputs, true]).regressions()
        };
        // Unless said otherwise, the detection delays and failover terms are the same.
        let gate = |before, after, same_fault_tree| gate_timed(before, after, same_fault_tree, true);
        let exact = |a: f64| figures(Some(a), None);
        let bounds = |low: f64, high: f64| figures(None, Some((low, high)));
        assert_eq!(
            gate(exact(0.999), exact(0.998), false),
            ["s: availability down", "s: availability with failover timings down"]
        );
        assert!(gate(exact(0.999), exact(0.999), false).is_empty());
        assert!(gate(exact(0.998), exact(0.999), false).is_empty());
        // Without an exact figure on both sides the figure with timings is not compared,
        // unless the tree and the timing inputs are the same.
        let not_compared = "s: availability with failover timings not compared (no exact figure on both sides; a longer --budget-secs may decide it)";
        // Overlapping bounds, even identical ones, may hide a drop.
        let undecided = gate(bounds(0.997, 0.999), bounds(0.997, 0.999), false);
        assert_eq!(undecided.len(), 2);
        assert_eq!(
            undecided[0],
            "s: availability may be down (before bounds 99.7000000000% .. 99.9000000000%, after bounds 99.7000000000% .. 99.9000000000%: they overlap; a longer --budget-secs may decide it)"
        );
        assert_eq!(undecided[1], not_compared);
        assert_eq!(gate(exact(0.998), bounds(0.9975, 0.999), false).len(), 2);
        // The same fault tree with the same timing inputs has the same figures, whatever
        // its bounds; other timing inputs leave the figure with timings unknown.
        assert!(gate(bounds(0.997, 0.999), bounds(0.997, 0.999), true).is_empty());
        assert_eq!(gate_timed(bounds(0.997, 0.999), bounds(0.997, 0.999), true, false), [not_compared]);
        assert_eq!(gate(bounds(0.998, 0.999), bounds(0.996, 0.9979), false), ["s: availability down", not_compared]);
        assert_eq!(gate(bounds(0.996, 0.9979), bounds(0.998, 0.999), false), [not_compared]);
        assert_eq!(gate(bounds(0.996, 0.998), exact(0.998), false), [not_compared]);
        // A figure lost after the change is reported, not skipped.
        assert_eq!(
            gate(exact(0.999), figures(None, None), false),
            ["s: availability not computed after the change", not_compared]
        );
    }

    /// The simulated worst data loss and total losses are one run's draws: judged only
    /// where what the data's loss rests on changed.
    #[test]
    fn simulated_data_loss_is_judged_only_where_the_data_inputs_changed() {
        let figures = |worst: f64, entirely: u64| super::ServiceFigures {
            availability: Some(0.999),
            availability_bounds: None,
            availability_with_timings: Some(0.999),
            cut_sets_by_order: vec![],
            worst_data_lost_secs: worst,
            data_lost_entirely: entirely,
            longest_outage_secs: 0.0,
            notes: vec![],
        };
        let gate =
            |before, after, same_data_inputs| one_service(before, after, [false, true, same_data_inputs]).regressions();
        assert!(gate(figures(80_000.0, 0), figures(86_000.0, 3), true).is_empty());
        assert_eq!(
            gate(figures(80_000.0, 0), figures(86_000.0, 3), false),
            [
                "s: all data lost in 3 simulated events (none before; something the service depends on changed)",
                "s: worst data loss longer (simulated; something the service depends on changed)"
            ]
        );
        assert!(gate(figures(86_000.0, 1), figures(80_000.0, 2), false).is_empty());
        // A backup moved off the data's site: restores that lose a day replace losing it all.
        assert!(gate(figures(0.0, 216), figures(86_000.0, 0), false).is_empty());
    }

    /// An unused switch moves every later random draw, and with it the simulated worst
    /// loss of a nightly backup's restores: not a regression, since nothing the service
    /// depends on changed. A longer backup interval, larger disks in its RAID array, or
    /// another order of the cluster that promotes its copies is judged.
    #[test]
    fn an_unrelated_change_is_no_data_loss_regression() {
        let text = r#"{ "components": { "internet": {"kind":"entry"}, "sw": {"kind":"switch"},
              "db-1": {"kind":"server","nics":["sw"],"runs":["db"]} },
            "links": [ {"between":["internet","sw"]} ],
            "groups": { "lun": {"kind":"raid","level":5,"in":"db-1","disk_count":4,"rebuild":"12h"} },
            "backups": { "nightly": {"type":"data","of":["db-1/db"],"interval":"1d","restore":"4h"} },
            "services": { "s": {"from":"internet","through":["db-1/db"]} } }"#;
        let with_switch =
            text.replace(r#""sw": {"kind":"switch"},"#, r#""sw": {"kind":"switch"}, "spare-sw": {"kind":"switch"},"#);
        let weekly = text.replace(r#""interval":"1d""#, r#""interval":"7d""#);
        // A RAID array lost more often loses the data more often (found by review).
        let large_disks = text.replace(r#""rebuild":"12h""#, r#""rebuild":"12h","disk_size_tb":16"#);
        let inputs = |t: &str| crate::simulate::data::service_data_inputs(&model(t));
        assert_eq!(inputs(text), inputs(&with_switch));
        assert_ne!(inputs(text), inputs(&weekly));
        assert_ne!(inputs(text), inputs(&large_disks));
        assert!(inputs(text)[0].contains("every 86400s restore 14400s"), "{:?}", inputs(text));
        // Which copy a cluster promotes follows its member order: the async copy first
        // loses its lag on every failover (found by review).
        let cluster = r#"{ "components": { "internet": {"kind":"entry"}, "sw": {"kind":"switch"},
              "db-1": {"kind":"server","nics":["sw"],"runs":["db"]}, "db-2": {"kind":"server","nics":["sw"],"runs":["db"]},
              "db-3": {"kind":"server","nics":["sw"],"runs":["db"]} },
            "links": [ {"between":["internet","sw"]} ],
            "groups": { "sync": {"kind":"replication","from":"db-1/db","to":["db-2/db"],"mode":"sync"},
                        "async": {"kind":"replication","from":"db-1/db","to":["db-3/db"],"mode":"async","lag":"5m"},
                        "db": {"kind":"cluster","mode":"active-standby","members":["db-1/db","db-2/db","db-3/db"]} },
            "services": { "s": {"from":"internet","through":["db"]} } }"#;
        let reordered = cluster.replace(r#"["db-1/db","db-2/db","db-3/db"]"#, r#"["db-1/db","db-3/db","db-2/db"]"#);
        assert_ne!(inputs(cluster), inputs(&reordered));
    }

    /// The same design, exact on one side and bounded on the other (a shared budget can
    /// leave one service exact in one version only): the same fault tree, so no
    /// regression, where the overlapping figures alone would fail the gate.
    #[test]
    fn an_unchanged_service_exact_on_one_side_only_is_unchanged() {
        use crate::analysis::budget::{Budget, BDD_REQUESTS_PER_SEC, DATAFLOW_UNITS_PER_SEC};
        let m = model(ONE);
        let units = 5 * DATAFLOW_UNITS_PER_SEC;
        let exact = super::measure(&m, Budget::of_work(5 * BDD_REQUESTS_PER_SEC, None), units);
        let bounded = super::measure(&m, Budget::of_work(0, None), units);
        for (before, after) in [(&exact, &bounded), (&bounded, &exact)] {
            let d = super::compare_versions(before, after, &crate::check::CHECK_SIMULATION);
            let s = &d.services[0];
            let exact_sides = [&s.before, &s.after].map(|f| f.as_ref().unwrap().availability.is_some());
            assert_eq!(exact_sides.iter().filter(|e| **e).count(), 1, "{s:?}");
            assert!(s.same_fault_tree && s.same_timing_inputs, "{s:?}");
            assert!(d.regressions().is_empty(), "{:?}", d.regressions());
        }
        // Both exact: the figures decide, and the trees are not compared.
        let d = super::compare_versions(&exact, &exact, &crate::check::CHECK_SIMULATION);
        assert!(!d.services[0].same_fault_tree && d.regressions().is_empty(), "{:?}", d.services[0]);
        // A changed tree on the bounded side is not taken as unchanged.
        let slower = ONE.replace(r#""gw": { "kind": "router" }"#, r#""gw": { "kind": "router", "mttr": "9h" }"#);
        assert_ne!(slower, ONE);
        let changed = super::measure(&model(&slower), Budget::of_work(0, None), units);
        let d = super::compare_versions(&exact, &changed, &crate::check::CHECK_SIMULATION);
        assert!(!d.services[0].same_fault_tree, "{:?}", d.services[0]);
        assert!(!d.regressions().is_empty());
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
        // Unless the scenario accepts a SPOF, as `check` does: then it is no change.
        let accepted = ONE.replacen(
            r#""name": "v","#,
            r#""name": "v", "suppress": [{ "code": "SPOF-S001", "subject": "gw", "reason": "a spare router on the shelf" }],"#,
            1,
        );
        let back = super::compare(&model(&two), &model(&accepted));
        assert_eq!(back.spofs_added, ["gw~sw", "internet~gw"]);
        assert!(!back.regressions().iter().any(|r| r == "new single point of failure gw"), "{:?}", back.regressions());
    }
}
