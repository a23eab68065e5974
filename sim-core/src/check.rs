//! Expectations: evaluates a scenario's `expect` blocks against what the analysis
//! measures, for the CI gate (`spofsim check`): availability and downtime (exact BDD),
//! single points of failure (dataflow), and RPO and RTO from a simulation with the
//! fixed [`CHECK_SIMULATION`] settings (run only when an expectation needs them), so
//! CI results are stable. A figure that cannot be measured fails, never passes silently.

mod drills;

use crate::analysis::{analyze_tree_keeping, findings, structure, Options};
use crate::lints::{self, Finding};
use crate::model::{Expectation, Model};
use crate::simulate::rare::{self, RareReport, RareServiceStats};
use crate::simulate::{SimOptions, SimReport, DEFAULT_SEED};
use crate::syntax::Span;
use crate::units::{Duration, SECS_PER_YEAR};

/// The verdict on one target of one `expect` block.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    /// The service, or `None` for a design-wide expectation.
    pub service: Option<String>,
    /// "min_availability", "max_spofs", "spofs", "findings", "max_downtime_per_year",
    /// "max_simulated_downtime_per_year", "max_p99_downtime_per_year", "max_rpo", "max_rto",
    /// and for a named drill "max_outage", "max_data_loss", "max_degraded", "no_split_brain", "no_two_masters".
    pub measure: &'static str,
    pub target: String,
    /// The measured value, or why it could not be measured.
    pub measured: Result<String, String>,
    pub passed: bool,
    pub span: Span,
    /// The named drill a drill target judges (`"drill": NAME`), else `None`.
    pub drill: Option<String>,
    /// Which estimator measured it: one of [`measured_by`]'s constants.
    pub measured_by: &'static str,
}

/// The estimators a verdict can rest on, as every report names them.
pub mod measured_by {
    /// The exact BDD of the static model (instant failover).
    pub const EXACT: &str = "exact BDD";
    /// The exact BDD plus detection delays and the first-order failover term.
    pub const EXACT_TIMED: &str = "exact BDD + first-order timings";
    /// Certified bounds (the exact analysis did not finish).
    pub const BOUNDS: &str = "certified bounds";
    /// The single-failure dataflow (one run per element).
    pub const DATAFLOW: &str = "single-failure dataflow";
    /// The design lints and the dataflow (`findings` targets).
    pub const FINDINGS: &str = "lints and dataflow";
    /// The crude Monte Carlo simulation ([`super::CHECK_SIMULATION`]).
    pub const CRUDE: &str = "crude Monte Carlo";
    /// The rare-event estimator (`simulate --rare-event`, [`super::CHECK_RARE_CYCLES`]).
    pub const RARE_EVENT: &str = "rare-event importance sampling";
    /// A deterministic drill with every mechanism's timing.
    pub const DRILL: &str = "drill";
}

impl Verdict {
    /// The measured value for a table cell, or "not measured: why".
    pub fn measured_cell(&self) -> String {
        match &self.measured {
            Ok(m) => m.clone(),
            Err(why) => format!("not measured: {why}"),
        }
    }

    /// "measured 99.9% [by exact BDD]", or "not measured: why", for failure messages.
    pub fn measured_text_by(&self) -> String {
        format!("{} [by {}]", self.measured_text(), self.measured_by)
    }

    /// "measured 99.9%", or "not measured: why", for failure messages.
    pub fn measured_text(&self) -> String {
        match &self.measured {
            Ok(m) => format!("measured {m}"),
            Err(_) => self.measured_cell(),
        }
    }
}

/// Everything `check` needs about one scenario.
#[derive(Clone, Debug)]
pub struct ScenarioCheck {
    pub verdicts: Vec<Verdict>,
    pub spofs: Vec<findings::Spof>,
    pub lints: Vec<Finding>,
    /// Suppressions that matched no finding (stale: the design changed).
    pub unused_suppressions: Vec<crate::model::Suppression>,
    /// Assumptions the exact figures behind the verdicts rest on, beyond the standard
    /// ones ("service: note"), sorted.
    pub notes: Vec<String>,
}

impl ScenarioCheck {
    pub fn failed(&self) -> usize {
        self.verdicts.iter().filter(|v| !v.passed).count()
    }
}

/// The reason reports give for a finding the scenario's `expect` block asserts.
pub const EXPECTED_FINDING: &str = "expected: the scenario asserts this finding (expect.findings)";

/// An availability as text: six decimals, and more for higher availabilities, so that
/// the unavailability keeps two significant digits (1 - 1.13e-9 is "99.9999998870%", not
/// "100.000000%"); at most twelve.
pub fn percent(a: f64) -> String {
    let u = 1.0 - a;
    // (less a thousandth of a decade, so 1 - (1 - 1e-9) rounding below 1e-9 keeps ten decimals)
    let decimals = if u > 0.0 { ((-u.log10() - 1e-3).ceil() as i64 + 1).clamp(6, 12) as usize } else { 6 };
    format!("{:.*}%", decimals, a * 100.0)
}

/// A percentage to ten decimals, for two-sided targets that pin a derived figure.
pub fn percent_fine(a: f64) -> String {
    format!("{:.10}%", a * 100.0)
}

/// The simulation behind RPO and RTO verdicts: fixed, so a CI run is reproducible, and
/// the same run size as `simulate` and `report` by default.
pub const CHECK_SIMULATION: SimOptions = SimOptions {
    years: crate::simulate::DEFAULT_YEARS,
    replications: crate::simulate::DEFAULT_REPLICATIONS,
    seed: DEFAULT_SEED,
    random_failures: true,
    ideal: false,
};

/// The rare-event run behind a simulated verdict that the crude run cannot measure (it
/// saw fewer than [`MIN_REPAIR_OUTAGES`] outages ending in a repair): fixed, so a CI run
/// is reproducible, with the seed of [`CHECK_SIMULATION`]. It is the default of
/// `simulate --rare-event` (docs/RARE_EVENTS.md).
pub const CHECK_RARE_CYCLES: u64 = rare::DEFAULT_CYCLES;

/// Evaluates every expectation of the model.
pub fn check(model: &Model) -> ScenarioCheck {
    check_with(model, crate::analysis::budget::Budget::UNLIMITED, CHECK_BOUNDS_UNITS)
}

/// The certified bounds' work budget of [`check`]: five seconds' worth of dataflow
/// units, counted in work rather than time so every machine reaches the same verdict.
pub const CHECK_BOUNDS_UNITS: u64 = 5 * crate::analysis::budget::DATAFLOW_UNITS_PER_SEC;

/// An availability figure behind a verdict: exact (`low == high`), or certified bounds
/// on the unavailability when the exact analysis did not finish.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Unavailability {
    low: f64,
    high: f64,
    exact: bool,
}

impl Unavailability {
    /// Text for a figure derived from the unavailability by `f` (decreasing or not).
    fn show(&self, f: impl Fn(f64) -> f64, fmt: impl Fn(f64) -> String) -> String {
        if self.exact {
            fmt(f(self.low))
        } else {
            let (a, b) = (f(self.low), f(self.high));
            let (a, b) = if a <= b { (a, b) } else { (b, a) };
            format!("between {} and {} (certified bounds; the exact analysis did not finish)", fmt(a), fmt(b))
        }
    }
}

/// Marks the findings a scenario accepts, the one notion of "accepted" every command and
/// report uses: a SPOF or lint covered by a `suppress` entry carries its reason, and a
/// lint an expectation names (`findings`, the scenario's lesson) is reported but fails
/// nothing. Returns, per suppression, whether it matched a finding.
pub fn accept_findings(model: &Model, spofs: &mut [findings::Spof], lints: &mut [lints::Finding]) -> Vec<bool> {
    let mut used = vec![false; model.suppressions.len()];
    let mut accept = |code: &str, subject: &str| {
        let i = model.suppressions.iter().position(|s| s.covers(code, subject))?;
        used[i] = true;
        Some(model.suppressions[i].reason.clone())
    };
    for f in lints.iter_mut() {
        f.suppressed = accept(f.code, &f.subject);
    }
    for s in spofs.iter_mut() {
        s.suppressed = accept(crate::explain::SPOF_FINDING, &s.element);
    }
    // A finding an expectation asserts is expected where that expectation looks: on a
    // subject that concerns its service (or anywhere, with no service).
    let scope = FindingScope::new(model);
    for f in lints.iter_mut().filter(|f| f.suppressed.is_none()) {
        let asserted = model
            .expectations
            .iter()
            .any(|x| x.findings.contains(&f.code) && scope.concerns(model, x.service, &f.subject));
        if asserted {
            f.suppressed = Some(EXPECTED_FINDING.to_string());
        }
    }
    used
}

/// Which findings concern a service: those on an element or group in its dependency
/// cone, and those on a subject in no service's cone (a monitor, a backup, an unused
/// device), which concern every service. Built only when an expectation ties findings
/// to a service.
struct FindingScope {
    /// Per service: (elements, groups) in its cone; empty when no expectation needs it.
    cones: Vec<(Vec<bool>, Vec<bool>)>,
}

impl FindingScope {
    fn new(model: &Model) -> FindingScope {
        let needed = model.expectations.iter().any(|x| x.service.is_some() && !x.findings.is_empty());
        FindingScope { cones: if needed { crate::simulate::service_cones(model) } else { Vec::new() } }
    }

    /// Whether a finding on `subject` (an element's or group's name) concerns `service`
    /// (`None`: the whole scenario, which every finding does).
    fn concerns(&self, model: &Model, service: Option<usize>, subject: &str) -> bool {
        let Some(s) = service else { return true };
        let Some((elements, groups)) = self.cones.get(s) else { return true };
        if let Some(e) = model.element_by_name(subject) {
            let i = e.id.0 as usize;
            return elements[i] || !self.cones.iter().any(|(other, _)| other[i]);
        }
        if let Some(j) = model.groups.iter().position(|g| g.name == subject) {
            return groups[j] || !self.cones.iter().any(|(_, other)| other[j]);
        }
        true
    }
}

/// The SPOF verdicts alone, for `analyze`'s findings reports: every `max_spofs` and
/// `spofs` target of the scenario's expectations, judged as `check` judges them, and for
/// each service without such a target, "no single point of failure" (accepted SPOFs do
/// not count). `spofs` must have been through [`accept_findings`].
pub fn spof_verdicts(
    model: &Model,
    singles: &[Option<Vec<crate::model::ElementId>>],
    spofs: &[findings::Spof],
) -> Vec<Verdict> {
    let accepted: Vec<&str> = spofs.iter().filter(|s| s.suppressed.is_some()).map(|s| s.element.as_str()).collect();
    let mut verdicts: Vec<Verdict> = model
        .expectations
        .iter()
        .filter(|x| x.max_spofs.is_some() || x.spofs.is_some())
        .flat_map(|x| spof_targets(model, x, singles, &accepted))
        .collect();
    for (i, s) in model.services.iter().enumerate() {
        let targeted = model
            .expectations
            .iter()
            .any(|x| (x.service == Some(i) || x.service.is_none()) && (x.max_spofs.is_some() || x.spofs.is_some()));
        if targeted {
            continue;
        }
        let mut open: Vec<&str> = spofs
            .iter()
            .filter(|f| f.suppressed.is_none() && f.blast.services_down.iter().any(|(n, _)| *n == s.name))
            .map(|f| f.element.as_str())
            .collect();
        open.sort_unstable();
        let accepted_here =
            spofs.iter().filter(|f| f.suppressed.is_some() && f.blast.services_down.iter().any(|(n, _)| *n == s.name));
        let extra = match accepted_here.count() {
            0 => String::new(),
            n => format!(" (+{n} accepted)"),
        };
        verdicts.push(Verdict {
            service: Some(s.name.clone()),
            measure: "spofs",
            target: "= none".into(),
            measured: Ok(if open.is_empty() { format!("none{extra}") } else { format!("{}{extra}", open.join(", ")) }),
            passed: open.is_empty(),
            span: s.span,
            drill: None,
            measured_by: measured_by::DATAFLOW,
        });
    }
    verdicts
        .sort_by(|a, b| (&a.service, a.measure, a.span, &a.target).cmp(&(&b.service, b.measure, b.span, &b.target)));
    verdicts
}

/// [`check`], with the exact analysis stopped when `budget` is spent; the
/// availability verdicts then rest on certified bounds, and a verdict the bounds
/// cannot decide fails with a note.
///
/// `bounds_units` is the certified bounds' own work budget, in dataflow units
/// ([`crate::analysis::budget::DATAFLOW_UNITS_PER_SEC`]), spent on the static model and
/// again on the model with detection-lengthened repairs.
pub fn check_with(model: &Model, budget: crate::analysis::budget::Budget, bounds_units: u64) -> ScenarioCheck {
    check_with_simulation(model, budget, bounds_units, &CHECK_SIMULATION)
}

/// [`check_with`] with the crude simulation's run size and seed given (`check --years
/// --replications --seed`); the rare-event run, when one is needed, takes the same seed.
/// A smaller run widens the simulated intervals, so fewer verdicts are decided.
pub fn check_with_simulation(
    model: &Model,
    budget: crate::analysis::budget::Budget,
    bounds_units: u64,
    simulation: &SimOptions,
) -> ScenarioCheck {
    let prepared = PreparedCheck::new(model, budget, bounds_units);
    let simulated = prepared.needs_simulation.then(|| crate::simulate::simulate(model, simulation));
    prepared.finish(model, simulated.as_ref(), simulation)
}

/// A check in two halves around its crude simulation, for callers that must not block
/// for the whole run (the browser runs the simulation a few replications per frame
/// with [`crate::simulate::Chunked`], whose report equals [`crate::simulate::simulate`]'s).
/// [`check_with_simulation`] is `new`, the simulation when [`Self::needs_simulation`],
/// then [`Self::finish`]: the verdicts are the same either way.
pub struct PreparedCheck {
    singles: Vec<Option<Vec<crate::model::ElementId>>>,
    spofs: Vec<findings::Spof>,
    lints: Vec<Finding>,
    used: Vec<bool>,
    unavailability: Vec<Result<Unavailability, String>>,
    timed: Vec<Result<crate::timed::TimedFigure, String>>,
    notes: Vec<String>,
    /// Whether a verdict needs the crude simulation of the design.
    pub needs_simulation: bool,
}

impl PreparedCheck {
    /// [`check`]'s first half: the same budgets; finish with [`CHECK_SIMULATION`].
    pub fn of(model: &Model) -> PreparedCheck {
        PreparedCheck::new(model, crate::analysis::budget::Budget::UNLIMITED, CHECK_BOUNDS_UNITS)
    }

    /// Everything before the simulation: SPOFs (with the timed drills), lints, exact
    /// figures or certified bounds, and the figures with timings.
    pub fn new(model: &Model, budget: crate::analysis::budget::Budget, bounds_units: u64) -> PreparedCheck {
        let points = crate::timed::single_points(model);
        let singles = points.all.clone();
        let mut spofs = findings::spofs(model, &singles, &points.unseen);
        let mut lints = lints::run(model);
        let used = accept_findings(model, &mut spofs, &mut lints);
        // Exact unavailability per service (by index), when the exact analysis is possible.
        let mut order: Vec<usize> = (0..model.services.len()).collect();
        order.sort_by(|&a, &b| model.services[a].name.cmp(&model.services[b].name));
        let mut unavailability: Vec<Result<Unavailability, String>> = vec![Err(String::new()); model.services.len()];
        // Certified bounds with timings, computed once for every service that needs them:
        // (static bounds, bounds of the model with detection-lengthened repairs).
        let mut bounds: Option<Vec<(crate::analysis::bounds::Bounds, crate::analysis::bounds::Bounds)>> = None;
        let mut notes: Vec<String> = Vec::new();
        if let Some(why) = &points.unseen_not_checked {
            notes.push(why.clone());
        }
        let needed = |s: usize| {
            model.expectations.iter().any(|x| {
                x.service == Some(s)
                    && (x.min_availability.is_some()
                        || x.availability_between.is_some()
                        || x.max_downtime_per_year_secs.is_some())
            })
        };
        // Per service, its tree and compiled BDD: the figure with timings reuses them.
        let mut kept: Vec<Option<(crate::analysis::FaultTree, crate::analysis::compile::Compiled)>> =
            (0..model.services.len()).map(|_| None).collect();
        for (i, t) in order.iter().zip(structure::service_trees(model)) {
            if !needed(*i) {
                continue;
            }
            let options = Options { max_order: 1, max_listed: 0, importance: false, budget, ..Options::default() };
            // What the bounds' static model leaves out (`bounds::uncredited`).
            let (dynamic, crews) = crate::analysis::bounds::uncredited(model, t.as_ref().ok());
            let exact = match t {
                Ok(tree) => analyze_tree_keeping(&tree, &options)
                    .map(|(r, c)| {
                        notes.extend(r.notes.iter().map(|n| format!("{}: {n}", model.services[*i].name)));
                        kept[*i] = Some((tree, c));
                        Unavailability { low: r.probability, high: r.probability, exact: true }
                    })
                    .map_err(|e| e.to_string()),
                Err(e) => Err(format!("exact figure not computed: {e}")),
            };
            unavailability[*i] = exact.or_else(|why| {
            // A work budget of their own, not a clock, so the gate's verdict is the same on
            // every machine.
            let (b, detected) = bounds.get_or_insert_with(|| {
                let within = |m: &Model| {
                    let budget = crate::analysis::budget::Budget::of_work(bounds_units, None);
                    crate::analysis::bounds::certified_bounds_within(m, budget)
                };
                let detected = crate::timed::detected_model(model, &points.drills);
                within(model).into_iter().zip(within(&detected)).collect()
            })[*i];
            // The figure with timings lies above the static one, and below the detected
            // model's upper bound plus the first-order failover downtime.
            let name = &model.services[*i].name;
            let (high, high_restarts, timings) = match crate::timed::failover_term(model, &points.static_singles, &points.drills, *i) {
                Ok((failover, _)) => (
                    (detected.upper + failover).min(1.0),
                    (detected.upper_with_restarts + failover).min(1.0),
                    format!("the upper one is the model's with every repair lengthened by its detection delay, plus the first-order failover downtime ({failover:e})"),
                ),
                Err(e) => (b.upper, b.upper_with_restarts, format!("failover timings not included ({e}), so a target may pass that the simulation misses")),
            };
            let timed = crate::analysis::bounds::Bounds { upper: high, upper_with_restarts: high_restarts, ..b };
            let widened = timed.for_true_figure(dynamic, crews);
            let (low, high) = (widened.lower, widened.upper);
            let widened = match crate::analysis::bounds::widening_note(dynamic, crews, timed.widens_for_restarts()) {
                None => String::new(),
                Some(w) if crews => format!("; {w}: no availability target passes on these bounds; give the analysis more time (--budget-secs) or gate on max_simulated_downtime_per_year, which queues repairs"),
                Some(w) => format!("; {w}"),
            };
            notes.push(format!(
                "{name}: {why}; the verdicts use certified bounds [{low:e}, {high:e}] on the unavailability with timings: the static model's lower bound ({:e}), {timings}{widened}",
                b.lower
            ));
            Ok(Unavailability { low, high, exact: false })
        });
        }
        // The figure with timings (detection and failover), for availability targets.
        let mut wanted = vec![false; model.services.len()];
        for x in &model.expectations {
            if let (Some(s), true) = (x.service, x.min_availability.is_some() || x.max_downtime_per_year_secs.is_some())
            {
                wanted[s] = unavailability[s].as_ref().is_ok_and(|u| u.exact);
            }
        }
        let timed = if wanted.iter().any(|w| *w) {
            let options = Options { max_order: 1, max_listed: 0, importance: false, budget, ..Options::default() };
            let reuse: Vec<Option<crate::timed::CompiledTree>> =
                kept.iter().map(|k| k.as_ref().map(|(t, c)| (t, c))).collect();
            crate::timed::timed_figures_reusing(
                model,
                &points.static_singles,
                &wanted,
                &options,
                &points.drills,
                &reuse,
            )
        } else {
            vec![Err("not requested".into()); model.services.len()]
        };
        let needs_simulation = model.expectations.iter().any(|x| {
            x.max_rpo_secs.is_some()
                || x.max_rto_secs.is_some()
                || x.max_simulated_downtime_secs.is_some()
                || x.max_p99_downtime_secs.is_some()
                || x.service.is_some_and(|s| timed[s].is_ok())
        });
        PreparedCheck { singles, spofs, lints, used, unavailability, timed, notes, needs_simulation }
    }

    /// The verdicts, given the crude simulation run with `simulation` (`None` when
    /// [`Self::needs_simulation`] is false). May run the rare-event estimator.
    pub fn finish(self, model: &Model, simulated: Option<&SimReport>, simulation: &SimOptions) -> ScenarioCheck {
        let PreparedCheck { singles, spofs, lints, mut used, unavailability, timed, mut notes, .. } = self;
        let accepted: Vec<&str> = spofs.iter().filter(|s| s.suppressed.is_some()).map(|s| s.element.as_str()).collect();
        // Where a service's simulated figure rests on too few outages ending in a repair, the
        // rare-event estimator measures it (one run for the whole design).
        // Services with a verdict the crude run cannot decide ([`crude_undecided`]).
        let needs_rare: Vec<bool> = (0..model.services.len())
            .map(|s| {
                let stats = simulated.as_ref().and_then(|report| stats_of(report, model, s));
                stats.is_some_and(|st| crude_undecided(model, s, &timed[s], st))
            })
            .collect();
        let rare = simulated.as_ref().and_then(|_| {
            needs_rare.iter().any(|&n| n).then(|| match rare::unsupported(model) {
                none if none.is_empty() => Ok(rare::estimate(model, simulation.seed, CHECK_RARE_CYCLES, false)),
                why => Err(format!("the rare-event estimator cannot run on this design: {}", why.join("; "))),
            })
        });
        let mut verdicts = Vec::new();
        let scope = FindingScope::new(model);
        for x in &model.expectations {
            let figures = Figures { exact: &unavailability, timed: &timed };
            let runs = simulated.as_ref().map(|crude| Runs { crude, rare: rare.as_ref() });
            verdicts.extend(evaluate(model, x, &singles, figures, runs, &accepted));
            verdicts.extend(expected_findings(x, &spofs, &lints, model, &scope));
        }
        verdicts.extend(drills::drill_verdicts(model));
        // One agreement verdict per service whose availability is gated with timings.
        let mut gated: Vec<usize> = model
            .expectations
            .iter()
            .filter_map(|x| x.service.filter(|&s| timed[s].is_ok()).map(|s| (s, x.span)))
            .map(|(s, _)| s)
            .collect();
        gated.sort_unstable();
        gated.dedup();
        for s in gated {
            let (Ok(t), Some(report)) = (&timed[s], &simulated) else { continue };
            let Some(stats) = stats_of(report, model, s) else { continue };
            let span = model.expectations.iter().find(|x| x.service == Some(s)).map(|x| x.span).unwrap_or_default();
            let reason = model
                .suppressions
                .iter()
                .position(|p| p.covers(crate::explain::MODELS_DISAGREE, &model.services[s].name))
                .map(|i| {
                    used[i] = true;
                    model.suppressions[i].reason.clone()
                });
            let runs = Runs { crude: report, rare: rare.as_ref() };
            verdicts.push(models_agree(model, s, t, stats, runs, reason, span));
        }
        let unused_suppressions =
            model.suppressions.iter().zip(&used).filter(|(_, u)| !**u).map(|(s, _)| s.clone()).collect();
        verdicts.sort_by(|a, b| {
            (&a.service, a.measure, a.span, &a.target).cmp(&(&b.service, b.measure, b.span, &b.target))
        });
        notes.sort();
        notes.dedup();
        ScenarioCheck { verdicts, spofs, lints, unused_suppressions, notes }
    }
}

/// One verdict per finding the expectation asserts: reported (on which subjects) or not.
/// With a service, only findings that concern it count (a SPOF that takes it down; a
/// lint on a subject in its dependencies, or in no service's).
fn expected_findings(
    x: &Expectation,
    spofs: &[findings::Spof],
    lints: &[Finding],
    model: &Model,
    scope: &FindingScope,
) -> Vec<Verdict> {
    let service = x.service.map(|s| model.services[s].name.as_str());
    x.findings
        .iter()
        .map(|&code| {
            let mut subjects: Vec<&str> = if code == crate::explain::SPOF_FINDING {
                spofs
                    .iter()
                    .filter(|s| service.is_none_or(|name| s.blast.services_down.iter().any(|(d, _)| d == name)))
                    .map(|s| s.element.as_str())
                    .collect()
            } else {
                lints
                    .iter()
                    .filter(|f| f.code == code && scope.concerns(model, x.service, &f.subject))
                    .map(|f| f.subject.as_str())
                    .collect()
            };
            subjects.sort();
            subjects.dedup();
            let name = crate::explain::explain(code).map_or("", |e| e.name);
            Verdict {
                service: x.service.map(|s| model.services[s].name.clone()),
                measure: "findings",
                target: format!("{code} {name}"),
                measured: Ok(if subjects.is_empty() {
                    "not reported".to_string()
                } else {
                    format!("reported on {}", subjects.join(", "))
                }),
                passed: !subjects.is_empty(),
                span: x.span,
                drill: None,
                measured_by: if code == crate::explain::SPOF_FINDING {
                    measured_by::DATAFLOW
                } else {
                    measured_by::FINDINGS
                },
            }
        })
        .collect()
}

/// The simulated RPO with its reason: all data lost, the worst loss of the changes of
/// primary and restores (with the digits that tell it from the target `max`), or why
/// nothing was lost.
fn rpo_text(st: &crate::simulate::ServiceStats, run: &str, max: f64) -> String {
    let text = rpo_loss_text(st, run, max);
    // Writes on both sides of a split brain may be lost when the two are reconciled;
    // the RPO does not count them, so the verdict says they exist.
    if st.split_brain_events > 0 {
        return format!(
            "{text}; not counted: {} split-brain events, {} with two actives in all (writes at risk, which a drill's max_data_loss counts)",
            st.split_brain_events,
            crate::units::Duration::from_secs(st.split_brain_secs).human()
        );
    }
    text
}

fn rpo_loss_text(st: &crate::simulate::ServiceStats, run: &str, max: f64) -> String {
    if st.total_losses > 0 {
        return format!(
            "all data lost {} times (no copy and no backup survived (a site disaster, or a RAID array lost with no backup)) in {run}",
            st.total_losses
        );
    }
    if st.rpo_events > 0 {
        return format!(
            "{} (worst of {} promotions and restores in {run})",
            human_beside(st.max_data_lost_secs, &[max]),
            st.rpo_events
        );
    }
    let failovers: u64 = st
        .outage_histogram_by_mechanism
        .iter()
        .filter(|(m, _)| m.ends_with("failover"))
        .map(|(_, bins)| bins.iter().sum::<u64>())
        .sum();
    match failovers {
        0 => format!("0s (no failover or restore in {run})"),
        n => format!("0s: {n} failovers in {run}, none lost data (no copy of the data was behind)"),
    }
}

/// Relative tolerance of the agreement check: the simulated 95% interval, widened by
/// this share of the static unavailability with timings, must contain that figure. It
/// covers the first-order failover term's error (overlapping failures, the member active
/// at the time of a failure) and is printed with every verdict.
pub const AGREEMENT_TOLERANCE: f64 = 0.1;

/// Below this many simulated outages ending in a repair, a simulated figure better than
/// the static one is not evidence against it (rare double failures went unsampled).
pub const MIN_REPAIR_OUTAGES: u64 = 30;

/// The crude simulation's statistics of service `s`.
fn stats_of<'a>(report: &'a SimReport, model: &Model, s: usize) -> Option<&'a crate::simulate::ServiceStats> {
    report.services.iter().find(|st| st.name == model.services[s].name)
}

/// Outages the crude simulation saw end in a repair: the multiple failures behind the
/// exact part, as opposed to failover windows.
fn repair_outages(stats: &crate::simulate::ServiceStats) -> u64 {
    stats.outage_histogram_by_mechanism.get("repair").map_or(0, |bins| bins.iter().sum())
}

/// The crude run's 95% interval of service `s`'s unavailability: below full service
/// when its static figure counts a capacity shortfall as down (like with like).
fn crude_unavailability(model: &Model, s: usize, stats: &crate::simulate::ServiceStats) -> [f64; 2] {
    let [lo, hi] =
        if crate::timed::capacity_counts(model, s) { stats.full_service_ci95 } else { stats.availability_ci95 };
    [1.0 - hi, 1.0 - lo]
}

/// A duration target as the architect wrote it, to the millisecond ("35.5s", "8h",
/// "1h 0m 30s"): rounding it would show a 35.5 s target as 36 s.
fn target_text(secs: f64) -> String {
    Duration::from_secs(secs).exact()
}

/// `secs` as [`Duration::human`], with the seconds to as many decimals (up to 6) as it
/// takes to tell it from each of `others` that differs ("5.28s" beside a target of 5 s,
/// not "5s").
fn human_beside(secs: f64, others: &[f64]) -> String {
    let human = |x: f64| Duration::from_secs(x).human();
    let shown = human(secs);
    if !others.iter().any(|&o| o != secs && human(o) == shown) {
        return shown;
    }
    let mut precise = String::new();
    for decimals in 1..=6 {
        precise = format!("{secs:.decimals$}s");
        if !others.iter().any(|&o| o != secs && format!("{o:.decimals$}s") == precise) {
            break;
        }
    }
    if secs < 60.0 {
        precise
    } else {
        format!("{shown} ({precise})")
    }
}

/// The crude run saw fewer than [`MIN_REPAIR_OUTAGES`] outages ending in a repair: its
/// figure rests on a handful of multiple failures, or none.
fn thin_evidence(stats: &crate::simulate::ServiceStats) -> bool {
    repair_outages(stats) < MIN_REPAIR_OUTAGES
}

/// The agreement check of service `s` cannot be decided by the crude run: its evidence
/// is thin and it shows the service better than the (first-order) static figure with
/// timings. Unsampled multiple failures could only make it worse, so the rare-event
/// estimator measures it. Where the crude interval holds the static figure, or lies
/// above it, the crude run decides alone.
fn agreement_undecided(
    model: &Model,
    s: usize,
    timed: Option<&crate::timed::TimedFigure>,
    stats: &crate::simulate::ServiceStats,
) -> bool {
    let [_, u_hi] = crude_unavailability(model, s, stats);
    thin_evidence(stats)
        && timed.is_some_and(|t| {
            let u = t.unavailability();
            t.first_order_holds() && u > u_hi + AGREEMENT_TOLERANCE * u
        })
}

/// A mean-year target of `max_secs` cannot be decided by the crude run: its evidence is
/// thin and its 95% interval does not already put the mean year above the target (a
/// crude mean above it from a few lucky multiple failures is not evidence either).
fn mean_year_undecided(stats: &crate::simulate::ServiceStats, max_secs: f64) -> bool {
    let lowest_mean_year = (1.0 - stats.availability_ci95[1]) * SECS_PER_YEAR;
    thin_evidence(stats) && lowest_mean_year <= max_secs
}

/// Service `s` has a verdict the crude run cannot decide ([`agreement_undecided`],
/// [`mean_year_undecided`]).
fn crude_undecided(
    model: &Model,
    s: usize,
    timed: &Result<crate::timed::TimedFigure, String>,
    stats: &crate::simulate::ServiceStats,
) -> bool {
    agreement_undecided(model, s, timed.as_ref().ok(), stats)
        || model.expectations.iter().any(|x| {
            x.service == Some(s) && x.max_simulated_downtime_secs.is_some_and(|max| mean_year_undecided(stats, max))
        })
}

/// The simulation runs behind simulated verdicts.
#[derive(Clone, Copy)]
struct Runs<'a> {
    crude: &'a SimReport,
    /// Run only when the crude run cannot decide some service's verdict
    /// ([`crude_undecided`]); `Err` when the design cannot be estimated
    /// (non-exponential lifetimes).
    rare: Option<&'a Result<RareReport, String>>,
}

impl<'a> Runs<'a> {
    /// The rare-event estimate of service `name`, for a verdict the crude run cannot
    /// decide: `Ok` when it can be trusted, else why not (for the verdict's text).
    /// `None` when no estimate was made.
    fn rare_for(&self, name: &str) -> Option<Result<(&'a RareReport, &'a RareServiceStats), String>> {
        Some(match self.rare? {
            Err(why) => Err(why.clone()),
            Ok(report) => match report.services.iter().find(|r| r.name == name) {
                Some(r) if r.reliable => Ok((report, r)),
                Some(r) => Err(format!("the rare-event estimator could not decide either: {}", r.warnings.join("; "))),
                None => Err("the rare-event estimator did not measure this service".into()),
            },
        })
    }
}

/// The verdict on whether the simulation and the static figure with timings agree. The
/// crude simulation judges, or where it saw fewer than [`MIN_REPAIR_OUTAGES`] outages
/// ending in a repair, the rare-event estimator when it can be trusted.
fn models_agree(
    model: &Model,
    s: usize,
    t: &crate::timed::TimedFigure,
    stats: &crate::simulate::ServiceStats,
    runs: Runs,
    accepted: Option<String>,
    span: Span,
) -> Verdict {
    let u = t.unavailability();
    // Compare like with like: a static figure that counts a capacity shortfall as down
    // is the simulation's full-service share.
    let full = crate::timed::capacity_counts(model, s);
    let slack = AGREEMENT_TOLERANCE * u;
    let repairs = repair_outages(stats);
    let report = runs.crude;
    let beyond_first_order = |text: &mut String| {
        if !t.first_order_holds() {
            text.push_str(&format!(
                "; the failover term {:.3e} is beyond first order (> {:e}): the delays rival the time between failures",
                t.failover,
                crate::timed::FIRST_ORDER_LIMIT
            ));
        }
    };
    let verdict = |mut text: String, agree: bool, measured_by: &'static str| {
        if let Some(reason) = &accepted {
            text.push_str(&format!("; accepted: {reason}"));
        }
        Verdict {
            service: Some(model.services[s].name.clone()),
            measure: "models_agree",
            target: format!("in simulated 95% CI ±{:.0}%", AGREEMENT_TOLERANCE * 100.0),
            measured: Ok(text),
            passed: agree || accepted.is_some(),
            span,
            drill: None,
            measured_by,
        }
    };
    // Down with nothing failed (SPOF-L033): the static side has only the bound 0 %, no
    // figure to compare.
    if t.down_as_elected {
        let text = format!(
            "static with timings: only the bound 0% (down with nothing failed as the groups elect, SPOF-L033), no figure to compare; simulated {} ({} simulated years, seed {})",
            percent(if full { stats.full_service } else { stats.availability }),
            runs.crude.simulated_years,
            runs.crude.seed
        );
        return verdict(text, false, measured_by::CRUDE);
    }
    // Only the (first-order) static figure above the crude interval with thin evidence
    // needs the estimator; then the crude run alone can only pass it.
    let undecided = agreement_undecided(model, s, Some(t), stats);
    let rare = if undecided { runs.rare_for(&model.services[s].name) } else { None };
    if let Some(Ok((rare_report, r))) = rare {
        // The crude run did not sample the multiple failures; the estimator did, so a
        // static figure outside its interval either way is a disagreement.
        let e = if full { &r.full_service_unavailability } else { &r.unavailability };
        let agree = t.first_order_holds() && u >= e.ci95[0] - slack && u <= e.ci95[1] + slack;
        let mut text = format!(
            "static with timings unavailability {:.4e}, rare-event {}{:.4e} (95% CI {:.4e} .. {:.4e}, ±{:.1}%; {} cycles, seed {}); the crude run saw {repairs} outages ending in a repair in {} simulated years",
            u,
            if full { "below full service " } else { "" },
            e.value,
            e.ci95[0],
            e.ci95[1],
            e.relative_half_width * 100.0,
            rare_report.cycles,
            rare_report.seed,
            report.simulated_years
        );
        beyond_first_order(&mut text);
        return verdict(text, agree, measured_by::RARE_EVENT);
    }
    let (simulated, [lo, hi]) = if full {
        (stats.full_service, stats.full_service_ci95)
    } else {
        (stats.availability, stats.availability_ci95)
    };
    let [u_lo, u_hi] = crude_unavailability(model, s, stats);
    // A crude run that saw few outages ending in a repair cannot say the static figure is
    // too pessimistic (the double failures behind the exact part went unsampled), only
    // that it is too optimistic.
    let static_worse = u > u_hi + slack;
    let agree = t.first_order_holds() && u >= u_lo - slack && (!static_worse || undecided);
    let mut text = format!(
        "static with timings {}, simulated {}{} (95% CI {} .. {}; {} simulated years, seed {})",
        percent(1.0 - u),
        if full { "full service " } else { "" },
        percent(simulated),
        percent(lo),
        percent(hi),
        report.simulated_years,
        report.seed
    );
    beyond_first_order(&mut text);
    if undecided && agree {
        text.push_str(&format!(
            "; the simulation is more available, but it saw only {repairs} outages ending in a repair (fewer than {MIN_REPAIR_OUTAGES}): rare multiple failures are under-sampled, so only a simulated figure worse than the static one would be a disagreement"
        ));
    }
    if let Some(Err(why)) = &rare {
        text.push_str(&format!("; {why}"));
    }
    if !agree {
        let top: Vec<String> = stats
            .attribution
            .iter()
            .take(3)
            .map(|r| format!("{} ({}) {:.0}%", r.component, r.mechanism, r.share * 100.0))
            .collect();
        if !top.is_empty() {
            text.push_str(&format!("; simulated downtime mostly from {}", top.join(", ")));
        }
    }
    verdict(text, agree, measured_by::CRUDE)
}

/// The figures behind availability verdicts, by service index.
#[derive(Clone, Copy)]
struct Figures<'a> {
    /// Exact (or certified bounds), instant failover.
    exact: &'a [Result<Unavailability, String>],
    /// With detection and failover time, when computed.
    timed: &'a [Result<crate::timed::TimedFigure, String>],
}

/// Makes the verdicts of one expectation (its service and span).
fn verdict_of<'a>(
    model: &'a Model,
    x: &'a Expectation,
) -> impl Fn(&'static str, String, Result<String, String>, bool, &'static str) -> Verdict + 'a {
    let service = x.service.map(|s| model.services[s].name.clone());
    move |measure, target, measured, passed, measured_by| Verdict {
        service: service.clone(),
        measure,
        target,
        measured,
        passed,
        span: x.span,
        drill: None,
        measured_by,
    }
}

/// The verdicts of an expectation's `max_spofs` and `spofs` targets.
fn spof_targets(
    model: &Model,
    x: &Expectation,
    singles: &[Option<Vec<crate::model::ElementId>>],
    accepted: &[&str],
) -> Vec<Verdict> {
    let verdict = verdict_of(model, x);
    let mut out = Vec::new();
    if let Some(max) = x.max_spofs {
        // Accepted (suppressed) SPOFs do not count against the target; the cell says so.
        let names = |list: Vec<&crate::model::ElementId>| -> Vec<String> {
            list.into_iter().map(|e| model.element(*e).name.clone()).collect()
        };
        let all = match x.service {
            Some(s) => singles[s].as_ref().map(|l| names(l.iter().collect())),
            None => {
                let mut all: Vec<_> = singles.iter().flatten().flatten().collect();
                all.sort();
                all.dedup();
                Some(names(all))
            }
        };
        let measured = all
            .map(|mut l| {
                l.sort();
                let (acc, open): (Vec<String>, Vec<String>) =
                    l.into_iter().partition(|n| accepted.contains(&n.as_str()));
                (open, acc.len())
            })
            .ok_or_else(|| "the service can never work: every element is critical".to_string());
        let passed = measured.as_ref().is_ok_and(|(open, _)| open.len() <= max as usize);
        // The count, and the SPOFs themselves when any fails the target.
        let shown = measured.map(|(open, a)| {
            let names = if open.len() > max as usize { format!(": {}", open.join(", ")) } else { String::new() };
            let accepted = if a == 0 { String::new() } else { format!(" (+{a} accepted)") };
            format!("{}{accepted}{names}", open.len())
        });
        out.push(verdict("max_spofs", format!("≤ {max}"), shown, passed, measured_by::DATAFLOW));
    }
    if let Some(want) = &x.spofs {
        let names = |ids: &mut dyn Iterator<Item = &crate::model::ElementId>| -> Vec<String> {
            let mut v: Vec<String> = ids.map(|e| model.element(*e).name.clone()).collect();
            v.sort();
            v.dedup();
            v
        };
        let want = names(&mut want.iter());
        let found = match x.service {
            Some(s) => singles[s].as_ref().map(|l| names(&mut l.iter())),
            None => Some(names(&mut singles.iter().flatten().flatten())),
        }
        .ok_or_else(|| "the service can never work: every element is critical".to_string());
        let list = |v: &[String]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
        let passed = found.as_ref().is_ok_and(|f| *f == want);
        // On a mismatch, the difference first: the lists can be long.
        let shown = found.map(|f| {
            if f == want {
                return list(&f);
            }
            let unexpected: Vec<String> = f.iter().filter(|n| !want.contains(n)).cloned().collect();
            let missing: Vec<String> = want.iter().filter(|n| !f.contains(n)).cloned().collect();
            let mut diff = Vec::new();
            if !unexpected.is_empty() {
                diff.push(format!("unexpected {}", unexpected.join(", ")));
            }
            if !missing.is_empty() {
                diff.push(format!("not a SPOF {}", missing.join(", ")));
            }
            format!("{} ({})", list(&f), diff.join("; "))
        });
        out.push(verdict("spofs", format!("= {}", list(&want)), shown, passed, measured_by::DATAFLOW));
    }
    out
}

fn evaluate(
    model: &Model,
    x: &Expectation,
    singles: &[Option<Vec<crate::model::ElementId>>],
    figures: Figures,
    runs: Option<Runs>,
    accepted: &[&str],
) -> Vec<Verdict> {
    let unavailability = figures.exact;
    let verdict = verdict_of(model, x);
    let mut out = Vec::new();
    let whole_design = || "design-wide availability is not defined; name a service".to_string();
    let figure = |s: Option<usize>| match s {
        Some(s) => unavailability[s].clone(),
        None => Err(whole_design()),
    };
    // With timings when computed: the worse of the two figures decides.
    let timed = |s: Option<usize>| s.and_then(|s| figures.timed[s].as_ref().ok());
    let with_timings = |u: Unavailability| match timed(x.service) {
        Some(t) => Unavailability { low: u.low.max(t.unavailability()), high: u.high.max(t.unavailability()), ..u },
        None => u,
    };
    // Which estimator a figure came from; `timings`: the verdict adds the timed figure.
    let by = |m: &Result<Unavailability, String>, timings: bool| match m {
        Ok(u) if !u.exact => measured_by::BOUNDS,
        _ if timings && timed(x.service).is_some() => measured_by::EXACT_TIMED,
        _ => measured_by::EXACT,
    };
    let instant = |u: &Unavailability, f: &dyn Fn(f64) -> String| match timed(x.service) {
        Some(_) => format!(" with timings (instant failover: {})", u.show(|u| 1.0 - u, f)),
        None => String::new(),
    };
    if let Some(min) = x.min_availability {
        let measured = figure(x.service);
        // With bounds: passes only if the worst case (highest unavailability) does.
        let passed = measured.as_ref().is_ok_and(|&u| 1.0 - with_timings(u).high >= min);
        let by = by(&measured, true);
        let text = measured.map(|u| format!("{}{}", with_timings(u).show(|u| 1.0 - u, percent), instant(&u, &percent)));
        out.push(verdict("min_availability", format!("≥ {}", percent(min)), text, passed, by));
    }
    if let Some((low, high)) = x.availability_between {
        let measured = figure(x.service);
        let passed = measured.as_ref().is_ok_and(|u| 1.0 - u.high >= low && 1.0 - u.low <= high);
        let target = format!("{} .. {}", percent_fine(low), percent_fine(high));
        let by = by(&measured, false);
        let text = measured.map(|u| {
            // The pinned figure is the exact one (instant failover), not the one with
            // timings that min_availability judges.
            let shown = format!("{} instant failover", u.show(|u| 1.0 - u, percent_fine));
            let a = 1.0 - u.low;
            if u.exact && a < low {
                format!("{shown}, below the range by {:.3e}", low - a)
            } else if u.exact && a > high {
                format!("{shown}, above the range by {:.3e}", a - high)
            } else {
                shown
            }
        });
        out.push(verdict("availability_between", target, text, passed, by));
    }
    if let Some(max) = x.max_downtime_per_year_secs {
        let measured = figure(x.service);
        let passed = measured.as_ref().is_ok_and(|&u| with_timings(u).high * SECS_PER_YEAR <= max);
        let human = |d: f64| human_beside(d, &[max]);
        let by = by(&measured, true);
        let text = measured.map(|u| {
            let instant = match timed(x.service) {
                Some(_) => format!(" with timings (instant failover: {})", u.show(|u| u * SECS_PER_YEAR, human)),
                None => String::new(),
            };
            format!("{}{instant}", with_timings(u).show(|u| u * SECS_PER_YEAR, human))
        });
        out.push(verdict("max_downtime_per_year", format!("≤ {}", target_text(max)), text, passed, by));
    }
    out.extend(spof_targets(model, x, singles, accepted));
    let stats = x.service.and_then(|s| stats_of(runs?.crude, model, s));
    let run =
        runs.map_or(String::new(), |r| format!("{} simulated years, seed {}", r.crude.simulated_years, r.crude.seed));
    let design_wide = || "simulated figures are per service; name a service".to_string();
    // (target, measure, worst value, event count, what a zero count means, what the count counts)
    if let Some(max) = x.max_rpo_secs {
        let measured = stats.map(|st| rpo_text(st, &run, max)).ok_or_else(design_wide);
        let passed = measured
            .as_ref()
            .is_ok_and(|_| stats.is_some_and(|st| st.total_losses == 0 && st.max_data_lost_secs <= max));
        out.push(verdict("max_rpo", format!("≤ {}", target_text(max)), measured, passed, measured_by::CRUDE));
    }
    type Pick = fn(&crate::simulate::ServiceStats) -> (f64, u64);
    let simulated_targets: [(Option<f64>, &'static str, Pick, &str, &str); 3] = [
        (x.max_rto_secs, "max_rto", |st| (st.max_outage_secs, st.outages), "no outage", "longest of {} outages"),
        (
            x.max_simulated_downtime_secs,
            "max_simulated_downtime_per_year",
            |st| (st.downtime_secs_per_year.mean, st.outages),
            "no outage",
            "mean year, {} outages",
        ),
        (
            x.max_p99_downtime_secs,
            "max_p99_downtime_per_year",
            |st| (st.downtime_secs_per_year.p99, st.outages),
            "no outage",
            "99th percentile year, {} outages",
        ),
    ];
    for (target, measure, pick, none, some) in simulated_targets {
        let Some(max) = target else { continue };
        // The mean year from the rare-event estimator, where the crude run saw too few
        // multiple failures and the estimator can be trusted.
        let rare = match (measure, runs, stats) {
            ("max_simulated_downtime_per_year", Some(runs), Some(st)) if mean_year_undecided(st, max) => {
                runs.rare_for(&st.name)
            }
            _ => None,
        };
        if let Some(Ok((report, r))) = rare {
            let [lo, hi] = r.unavailability.ci95;
            let (lo, hi) = (lo * SECS_PER_YEAR, hi * SECS_PER_YEAR);
            let shown = format!(
                "{} (mean year, rare-event estimate, 95% CI {} .. {}; {} cycles, seed {}; the crude run saw {} outages ending in a repair in {run})",
                human_beside(r.downtime_secs_per_year, &[max]),
                human_beside(lo, &[hi]),
                human_beside(hi, &[lo]),
                report.cycles,
                report.seed,
                stats.map_or(0, repair_outages)
            );
            let passed = r.downtime_secs_per_year <= max;
            out.push(verdict(measure, format!("≤ {}", target_text(max)), Ok(shown), passed, measured_by::RARE_EVENT));
            continue;
        }
        let measured = stats.map(pick).ok_or_else(design_wide);
        // A mean year the crude run cannot decide, and the estimator could not measure,
        // is not measured: the target fails rather than pass on a blind figure.
        let unmeasured = matches!(rare, Some(Err(_)));
        let passed = !unmeasured && measured.as_ref().is_ok_and(|&(d, _)| d <= max);
        let repairs = stats.map_or(0, repair_outages);
        let why_not_rare = match &rare {
            Some(Err(why)) => format!(
                "; not measured: too few outages ending in a repair (fewer than {MIN_REPAIR_OUTAGES}) to trust it, and {why}"
            ),
            _ if measure == "max_simulated_downtime_per_year" && stats.is_some_and(thin_evidence) => format!(
                "; it rests on {repairs} outages ending in a repair (fewer than {MIN_REPAIR_OUTAGES}), but its 95% interval already puts the mean year above the target"
            ),
            _ => String::new(),
        };
        let shown = measured.map(|(d, n)| match n {
            0 => format!("0s ({none} in {run}){why_not_rare}"),
            n => format!("{} ({} in {run}){why_not_rare}", human_beside(d, &[max]), some.replace("{}", &n.to_string())),
        });
        out.push(verdict(measure, format!("≤ {}", target_text(max)), shown, passed, measured_by::CRUDE));
    }
    out
}

#[cfg(test)]
mod tests {
    const TEXT: &str = r#"{ "components": { "internet": { "kind": "entry" }, "gw": { "kind": "router", "availability": "99.9%", "mttr": "1h" } },
      "links": [ { "between": ["internet", "gw"], "availability": "100%" } ],
      "services": { "web": { "from": "internet", "through": ["gw"] } },
      "expect": [ { "service": "web", "min_availability": "99.8%", "max_spofs": 0, "max_downtime_per_year": "8h", "max_rpo": "5s", "max_rto": "30m" } ] }"#;

    #[test]
    fn durations_beside_a_target_show_the_difference() {
        assert_eq!(super::human_beside(5.28, &[5.0]), "5.3s");
        assert_eq!(super::human_beside(36.05, &[35.5]), "36.1s");
        assert_eq!(super::human_beside(5.04, &[5.0]), "5.04s");
        assert_eq!(super::human_beside(35.5, &[36.05]), "35.5s");
        assert_eq!(super::human_beside(2.0, &[3.0]), "2s");
        assert_eq!(super::human_beside(7200.4, &[7200.0]), "2h (7200.4s)");
    }

    /// A target judged on certified bounds (the exact analysis out of budget) includes
    /// failover timings, as one judged on the exact figure does: a VRRP pair whose
    /// takeover takes 10 s × 3 + skew ≈ 36 s (RFC 5798 §6.1), with the master failing
    /// 12 times a year, is down ≈ 433 s a year ≈ 1.37e-5 of the time, so 99.999% fails
    /// although the static figure (≈ (1h / 30d)² ≈ 1.9e-6) would pass it.
    #[test]
    fn targets_on_certified_bounds_include_failover_timings() {
        let text = r#"{ "defaults": { "link": { "availability": "100%" }, "switch": { "availability": "100%" },
            "server": { "availability": "100%" } },
          "components": { "internet": { "kind": "entry" },
            "gw-1": { "kind": "router", "mtbf": "30d", "mttr": "1h" }, "gw-2": { "kind": "router", "mtbf": "30d", "mttr": "1h" },
            "sw": { "kind": "switch" }, "web-1": { "kind": "server", "nics": ["sw"] } },
          "links": [{ "between": ["internet", "gw-1"] }, { "between": ["internet", "gw-2"] },
                    { "between": ["gw-1", "sw"] }, { "between": ["gw-2", "sw"] }],
          "groups": { "gw": { "kind": "vrrp", "members": ["gw-1", "gw-2"], "advert_interval": "10s" } },
          "services": { "site": { "from": "internet", "through": ["gw", "web-1"] } },
          "expect": [ { "service": "site", "min_availability": "99.999%" } ] }"#;
        let model = crate::load(text).model.unwrap();
        let pick = |c: &super::ScenarioCheck| {
            c.verdicts.iter().find(|v| v.measure == "min_availability").cloned().expect("verdict")
        };
        let exact = pick(&super::check(&model));
        assert!(!exact.passed, "{exact:?}");
        assert_eq!(exact.measured_by, super::measured_by::EXACT_TIMED);
        let out_of_budget = crate::analysis::budget::Budget::of_work(0, None);
        let checked = super::check_with(&model, out_of_budget, 5 * crate::analysis::budget::DATAFLOW_UNITS_PER_SEC);
        let on_bounds = pick(&checked);
        assert_eq!(on_bounds.measured_by, super::measured_by::BOUNDS, "{on_bounds:?}");
        assert!(!on_bounds.passed, "{on_bounds:?} {:?}", checked.notes);
        assert!(checked.notes.iter().any(|n| n.contains("first-order failover downtime")), "{:?}", checked.notes);
    }

    /// Certified bounds hold for the exact figure only where nothing they leave out moves
    /// it their way. Cold standby with one repair crew (two servers, MTBF 1000 h, MTTR
    /// 100 h): the CTMC gives U = ρ²/(1+ρ+ρ²) = 9.009e-3 with ρ = 0.1, above the static
    /// model's q² = 8.264e-3, so bounds on the static model would pass a 99.15% target
    /// (U ≤ 8.5e-3) the design misses; and since the cold standby lowers the
    /// unavailability, a range pinned on the static figure would pass too.
    #[test]
    fn bounds_pass_no_target_that_crews_or_dynamic_parts_could_break() {
        let text = include_str!("../../tests/cases/exact/cold-standby-one-crew.jsonc").replace(
            r#""availability_between": [
        "99.09909909819810%",
        "99.09909909999990%"
      ]"#,
            r#""min_availability": "99.15%" }, { "service": "s", "availability_between": ["99.17%", "99.18%"]"#,
        );
        let model = crate::load(&text).model.expect("model");
        let pick = |c: &super::ScenarioCheck, measure: &str| {
            c.verdicts.iter().find(|v| v.measure == measure).cloned().expect("verdict")
        };
        let exact = super::check(&model);
        assert!(!pick(&exact, "min_availability").passed, "{:?}", exact.verdicts);
        assert!(!pick(&exact, "availability_between").passed, "{:?}", exact.verdicts);
        let out_of_budget = crate::analysis::budget::Budget::of_work(0, None);
        let checked = super::check_with(&model, out_of_budget, 5 * crate::analysis::budget::DATAFLOW_UNITS_PER_SEC);
        for measure in ["min_availability", "availability_between"] {
            let v = pick(&checked, measure);
            assert_eq!(v.measured_by, super::measured_by::BOUNDS, "{v:?}");
            assert!(!v.passed, "{v:?} {:?}", checked.notes);
        }
        let note = checked.notes.iter().find(|n| n.contains("certified bounds")).expect("a note on the bounds");
        assert!(note.contains("[0e0, 1e0]"), "{note}");
        assert!(note.contains("repair_crews") && note.contains("do not credit"), "{note}");
        // The static bounds themselves bracket q² (checked apart from the widening).
        let q = 100.0 / 1100.0;
        let b = crate::analysis::bounds::certified_bounds(&model)[0];
        assert!(b.lower <= q * q * (1.0 + 1e-9) && q * q <= b.upper * (1.0 + 1e-9), "{b:?}");
    }

    /// A UPS battery alone (no repair crews): the bounds' static model counts every feed
    /// outage in full (q_feed = 3.4e-4) where the battery bridges part of it (the exact
    /// U = q_feed · e^(−T/MTTR) = 3.15e-4), so only the lower bound is widened (to 0): a
    /// range pinned on the true figure cannot pass on bounds, but a lower availability
    /// target the static upper bound clears still does.
    #[test]
    fn bounds_credit_no_battery_so_only_their_lower_end_is_widened() {
        let text = include_str!("../../tests/cases/exact/ups-battery.jsonc")
            .replace(r#""service": "s","#, r#""service": "s", "min_availability": "99.9%","#);
        let model = crate::load(&text).model.expect("model");
        assert!(model.repair_crews.is_none());
        let out_of_budget = crate::analysis::budget::Budget::of_work(0, None);
        let checked = super::check_with(&model, out_of_budget, 5 * crate::analysis::budget::DATAFLOW_UNITS_PER_SEC);
        let pick = |measure: &str| checked.verdicts.iter().find(|v| v.measure == measure).cloned().expect("verdict");
        let (min, between) = (pick("min_availability"), pick("availability_between"));
        assert_eq!(min.measured_by, super::measured_by::BOUNDS, "{min:?}");
        assert!(min.passed, "{min:?} {:?}", checked.notes);
        assert!(!between.passed, "{between:?}");
        let note = checked.notes.iter().find(|n| n.contains("certified bounds")).expect("a note on the bounds");
        assert!(note.contains("[0e0, ") && !note.contains(", 1e0]"), "{note}");
        assert!(note.contains("do not credit") && !note.contains("repair_crews"), "{note}");
    }

    /// A target reads as written: 35.5 s is not "36s", 8 h stays "8h".
    #[test]
    fn targets_keep_the_digits_they_were_written_with() {
        let text = TEXT.replace(r#""max_downtime_per_year": "8h""#, r#""max_downtime_per_year": "35.5s""#);
        let model = crate::load(&text).model.unwrap();
        let targets: Vec<String> = super::check(&model).verdicts.iter().map(|v| v.target.clone()).collect();
        assert!(targets.iter().any(|t| t == "≤ 35.5s"), "{targets:?}");
        assert!(targets.iter().any(|t| t == "≤ 30m"), "{targets:?}");
        assert_eq!(super::target_text(8.0 * 3600.0), "8h");
        assert_eq!(super::target_text(3630.0), "1h 0m 30s");
    }

    #[test]
    fn percentages_keep_the_unavailability_visible() {
        assert_eq!(super::percent(0.999), "99.900000%");
        assert_eq!(super::percent(1.0 - 1.13e-9), "99.9999998870%");
        assert_eq!(super::percent(1.0 - 2e-7), "99.99998000%");
        assert_eq!(super::percent(1.0), "100.000000%");
        assert_eq!(super::percent(1.0 - 1e-13), "99.999999999990%");
    }

    #[test]
    fn verdicts_state_target_and_measure() {
        let model = crate::load(TEXT).model.unwrap();
        let c = super::check(&model);
        let rows: Vec<(&str, &str, String, bool)> = c
            .verdicts
            .iter()
            .map(|v| (v.measure, v.target.as_str(), v.measured.clone().unwrap_or_else(|e| e), v.passed))
            .filter(|r| r.0 != "max_rto")
            .collect();
        assert_eq!(
            rows,
            [
                // Unmonitored: users notice after an hour, so each 1 h repair lasts 2 h
                // on average (q = 2 h / (999 h + 2 h)), twice the instant-detection figure.
                (
                    "max_downtime_per_year",
                    "≤ 8h",
                    // 0.1% of 8,760 h is 8 h 45.6 min: rounded to the minute.
                    "17h 30m with timings (instant failover: 8h 46m)".to_string(),
                    false
                ),
                (
                    "max_rpo",
                    "≤ 5s",
                    "0s (no failover or restore in 10000 simulated years, seed 20261122)".to_string(),
                    true
                ),
                ("max_spofs", "≤ 0", "1: gw".to_string(), false),
                (
                    "min_availability",
                    "≥ 99.800000%",
                    "99.800200% with timings (instant failover: 99.900000%)".to_string(),
                    true
                ),
                (
                    "models_agree",
                    "in simulated 95% CI ±10%",
                    "static with timings 99.800200%, simulated 99.800176% (95% CI 99.798688% .. 99.801663%; 10000 simulated years, seed 20261122)".to_string(),
                    true
                ),
            ]
        );
        // The router's repairs (MTTR 1h, exponential) run far past 30 minutes.
        let rto = c.verdicts.iter().find(|v| v.measure == "max_rto").expect("max_rto verdict");
        let measured = rto.measured.as_ref().expect("measured");
        assert!(!rto.passed && measured.contains("(longest of ") && measured.ends_with("seed 20261122)"), "{measured}");
        assert_eq!(c.failed(), 3);
    }

    /// Where the crude run sees no outage, `check` measures simulated targets with the
    /// rare-event estimator. Oracle: the closed form in the scenario's header, U = q³
    /// with q = 25 h / (999 d + 25 h), 35.66 ms of downtime a year (derived by hand,
    /// apart from the code); 20 ms must fail and 50 ms hold, which the crude run (no
    /// outage in 10,000 years) cannot tell apart.
    #[test]
    fn thin_crude_evidence_hands_simulated_targets_to_the_rare_event_estimator() {
        let text = include_str!("../../tests/cases/check/rare-three-way.jsonc");
        let model = crate::load(text).model.unwrap();
        let c = super::check(&model);
        let q = 25.0 / (999.0 * 24.0 + 25.0);
        let closed_form_secs = q * q * q * crate::units::SECS_PER_YEAR;
        assert!((closed_form_secs - 0.03566).abs() < 1e-4, "{closed_form_secs}");
        let downtime: Vec<&super::Verdict> =
            c.verdicts.iter().filter(|v| v.measure == "max_simulated_downtime_per_year").collect();
        assert_eq!(downtime.len(), 2);
        for v in &downtime {
            assert_eq!(v.measured_by, super::measured_by::RARE_EVENT);
            let m = v.measured.as_ref().unwrap();
            assert!(m.contains("the crude run saw 0 outages ending in a repair"), "{m}");
            // "95% CI 0.034s .. 0.038s": the interval holds the closed form.
            let ci = m.split("95% CI ").nth(1).unwrap();
            let bound = |s: &str| s.trim().trim_end_matches('s').parse::<f64>().unwrap();
            let (lo, hi) = (
                bound(ci.split(" .. ").next().unwrap()),
                bound(ci.split(" .. ").nth(1).unwrap().split(';').next().unwrap()),
            );
            assert!(lo <= closed_form_secs && closed_form_secs <= hi, "{m}");
        }
        assert_eq!(
            downtime.iter().map(|v| (v.target.as_str(), v.passed)).collect::<Vec<_>>(),
            [("≤ 0.02s", false), ("≤ 0.05s", true)]
        );
        let agree = c.verdicts.iter().find(|v| v.measure == "models_agree").unwrap();
        assert_eq!((agree.measured_by, agree.passed), (super::measured_by::RARE_EVENT, true), "{:?}", agree.measured);
        let min = c.verdicts.iter().find(|v| v.measure == "min_availability").unwrap();
        assert_eq!(min.measured_by, super::measured_by::EXACT_TIMED);
        assert!(min.measured.as_ref().unwrap().starts_with("99.9999998870%"), "{:?}", min.measured);
    }

    /// The same design with Weibull lifetimes (q³ holds for any lifetime shape, so it is
    /// down about 36 ms a year): the crude run sees no outage and the estimator cannot
    /// run, so a mean-year target is not measured and fails, where a blind 0 s would pass.
    #[test]
    fn a_mean_year_target_nothing_can_measure_fails() {
        let text = include_str!("../../tests/cases/check/rare-three-way.jsonc");
        let weibull = text
            .replace(r#""kind": "server","#, r#""kind": "server", "distribution": { "weibull": { "shape": 1.5 } },"#);
        assert_ne!(weibull, text, "the servers must get Weibull lifetimes");
        let model = crate::load(&weibull).model.unwrap();
        let c = super::check(&model);
        let downtime: Vec<&super::Verdict> =
            c.verdicts.iter().filter(|v| v.measure == "max_simulated_downtime_per_year").collect();
        assert_eq!(downtime.len(), 2);
        for v in downtime {
            let m = v.measured.as_ref().unwrap();
            assert!(!v.passed, "{m}");
            assert!(m.contains("not measured") && m.contains("not memoryless"), "{m}");
        }
    }

    #[test]
    fn expected_spofs_and_findings_are_proven() {
        // Two switches on one PDU: it and its feed are the SPOFs; the pool has no health check.
        let text = r#"{ "components": { "internet": { "kind": "entry" }, "feed": { "kind": "power-feed" }, "pdu-a": { "kind": "pdu", "from": "feed" },
            "sw-1": { "kind": "switch", "power": ["pdu-a"] }, "sw-2": { "kind": "switch", "power": ["pdu-a"] },
            "web-1": { "kind": "server", "nics": ["sw-1"], "runs": ["web"] },
            "web-2": { "kind": "server", "nics": ["sw-2"], "runs": ["web"] } },
          "links": [ { "between": ["internet", "sw-1"], "availability": "100%" },
                     { "between": ["internet", "sw-2"], "availability": "100%" } ],
          "groups": { "rr": { "kind": "dns-rr", "members": ["web-1/web", "web-2/web"] } },
          "services": { "site": { "from": "internet", "through": ["rr"] } },
          "expect": [ { "service": "site", "spofs": ["pdu-a", "feed"], "findings": ["dns-rr-no-health-check", "SPOF-S001"] },
                      { "service": "site", "spofs": [], "findings": ["SPOF-L002"] },
                      { "service": "site", "spofs": ["pdu-a", "sw-1"] } ] }"#;
        let model = crate::load(text).model.unwrap();
        let c = super::check(&model);
        let rows: Vec<(&str, &str, String, bool)> = c
            .verdicts
            .iter()
            .map(|v| (v.measure, v.target.as_str(), v.measured.clone().unwrap_or_else(|e| e), v.passed))
            .collect();
        assert_eq!(
            rows,
            [
                ("findings", "SPOF-L005 dns-rr-no-health-check", "reported on rr".to_string(), true),
                ("findings", "SPOF-S001 single-point-of-failure", "reported on feed, pdu-a".to_string(), true),
                ("findings", "SPOF-L002 bond-one-switch", "not reported".to_string(), false),
                ("spofs", "= feed, pdu-a", "feed, pdu-a".to_string(), true),
                ("spofs", "= none", "feed, pdu-a (unexpected feed, pdu-a)".to_string(), false),
                ("spofs", "= pdu-a, sw-1", "feed, pdu-a (unexpected feed; not a SPOF sw-1)".to_string(), false),
            ]
        );
        // The expected lint fails nothing; the unexpected one (no monitors) still could.
        let dns = c.lints.iter().find(|f| f.code == "SPOF-L005").unwrap();
        assert_eq!(dns.suppressed.as_deref(), Some(super::EXPECTED_FINDING));
        assert!(c.lints.iter().filter(|f| f.code != "SPOF-L005").all(|f| f.suppressed.is_none()));
    }

    /// An expectation on a service asserts findings about that service: a lint on
    /// another service's pool, or a SPOF that only takes another service down, does not
    /// satisfy it, and is not accepted by it either.
    #[test]
    fn findings_asserted_for_a_service_are_the_services_own() {
        let text = r#"{ "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" } },
          "components": { "internet": { "kind": "entry" }, "sw": { "kind": "switch" },
            "ap-a": { "kind": "server", "nics": ["sw"], "runs": ["ap"] },
            "ap-b": { "kind": "server", "nics": ["sw"], "runs": ["ap"] },
            "db": { "kind": "server", "nics": ["sw"], "runs": ["db"] },
            "fw": { "kind": "firewall" },
            "pool-a": { "kind": "connection-pool", "on": "ap-a/ap", "to": "db/db", "through": ["fw"], "min": 5, "max": 5, "keepalive": "10m" },
            "pool-b": { "kind": "connection-pool", "on": "ap-b/ap", "to": "db/db", "through": ["fw"], "min": 5, "max": 20, "keepalive": "10m" } },
          "links": [ { "between": ["internet", "sw"] }, { "between": ["fw", "sw"] } ],
          "services": { "a": { "from": "internet", "through": ["ap-a/ap", "db/db"] },
                        "b": { "from": "internet", "through": ["ap-b/ap", "db/db"] } },
          "expect": [ { "service": "a", "findings": ["connection-pool", "SPOF-S001"] },
                      { "service": "b", "findings": ["connection-pool"] } ] }"#;
        let model = crate::load(text).model.unwrap();
        let c = super::check(&model);
        let rows: Vec<(Option<&str>, &str, String, bool)> = c
            .verdicts
            .iter()
            .filter(|v| v.measure == "findings")
            .map(|v| (v.service.as_deref(), v.target.as_str(), v.measured.clone().unwrap_or_else(|e| e), v.passed))
            .collect();
        // pool-a never grows: SPOF-L011 is reported on pool-b alone, which serves b.
        // The SPOFs of a: its own AP server and process, the pool, and what both share.
        assert_eq!(
            rows,
            [
                (Some("a"), "SPOF-L011 connection-pool", "not reported".to_string(), false),
                (
                    Some("a"),
                    "SPOF-S001 single-point-of-failure",
                    "reported on ap-a, ap-a/ap, db, db/db, fw, sw".to_string(),
                    true
                ),
                (Some("b"), "SPOF-L011 connection-pool", "reported on pool-b".to_string(), true),
            ]
        );
    }
}
