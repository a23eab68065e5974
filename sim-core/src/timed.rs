//! The static figure with timings: what the exact analysis leaves out because it
//! treats every failover as instant and every repair as starting at once.
//!
//! Two terms, both from the delays the simulator plays:
//! - **Detection.** A repair starts only when a monitor (or, failing that, the users)
//!   notices the failure, so each element is down for its mean detection delay D plus
//!   its MTTR. Its steady-state unavailability is (D + MTTR) / (MTBF + D + MTTR) for any
//!   lifetime distribution (a renewal argument). The structure is the same with these
//!   probabilities, so the exact analysis's BDD is evaluated again with them (one pass;
//!   compiled anew only when the callers have no BDD, or the trees differ).
//! - **Failover.** Each element e that is not a single point of failure is failed once
//!   from the all-up state, for D + MTTR, in a drill: the seconds the service is then
//!   down (a switchover's detect + takeover, a spanning-tree reconvergence, a failure a
//!   bond's monitor cannot see) are its outage per failure, o_e; for a single point of
//!   failure, only what outlasts its return (its own outage is in the exact figure).
//!   The term is
//!   Σ_e o_e / (MTBF_e + D_e + MTTR_e): failures per second times outage per failure.
//!   For a RAID disk whose rebuild can meet an unrecoverable read error with chance q,
//!   o_e = (1 − q) · o_clean + q · o_error, both drilled (the error costs a restore).
//!
//! - **Idle drops.** A connection pool whose quiet stretches outlast a firewall's idle
//!   timeout finds its connections dead at each stretch's end (`mechanisms::firewall`);
//!   the pools sharing a period are played together once, from the all-up state
//!   ([`crate::simulate::quiet_outages`]), and the term is Σ_period outage / period:
//!   exact for the all-up state (the stretches are scheduled, not random), first order
//!   in the other elements' unavailability.
//!
//! The failover term is first order. It counts each failure as if everything else were
//! up, and takes each group as serving from its first member, except a group that does
//! not fail back: each failure is drilled again while it serves from its second member
//! ([`FromSecond`]), and the two outages are weighted by each member's share of the
//! time (docs/SEMANTICS.md §5), the groups' states taken as independent (shortenings
//! compound: [`failover_term`]); the relative error is otherwise of the order of the
//! other elements' unavailability. When
//! the term is not small (above [`FIRST_ORDER_LIMIT`]) the delays are comparable to the
//! time between failures and only `simulate` can say how available the service is;
//! every output says so.

use crate::analysis::compile::Compiled as CompiledBdd;
use crate::analysis::{analyze_tree, structure, FaultTree, Options};
use crate::model::{ElementId, Model};
use crate::simulate::{Compiled, SimOptions};

/// Above this failover term (a fraction of time) the first-order sum is no longer an
/// estimate: the delays are comparable to the time between failures.
pub const FIRST_ORDER_LIMIT: f64 = 0.01;

/// Drills run for at most this many elements; beyond, the failover term is left out and
/// a note says so (each drill costs one simulator run over the whole model).
pub const MAX_DRILLED_ELEMENTS: usize = 3000;

/// An element behind a service's failover term.
#[derive(Clone, Debug, PartialEq)]
pub struct Contributor {
    pub element: String,
    /// Seconds the service is down per failure of the element (beyond what the exact
    /// figure already counts), averaged over which member serves when
    /// `averaged_over_serving_member`.
    pub outage_secs: f64,
    /// Whether `outage_secs` is a mean over the serving member of groups that do not
    /// fail back (the failure costs more from one member than from the other).
    pub averaged_over_serving_member: bool,
    /// Its share of the failover term, 0..1.
    pub share: f64,
}

/// One service's figure with timings.
#[derive(Clone, Debug, PartialEq)]
pub struct TimedFigure {
    /// Exact unavailability with every repair lengthened by its mean detection delay.
    pub detected: f64,
    /// First-order failover downtime, as a fraction of time.
    pub failover: f64,
    /// The biggest contributors to `failover`, largest first (at most three).
    pub contributors: Vec<Contributor>,
    /// Down with nothing failed, the groups as elected ([`Drills::down_as_elected`],
    /// SPOF-L033): the figure is then 1 (`failover` is 1 − `detected`), a bound rather
    /// than a first-order sum, since the service is up only while failures move a role
    /// to a member that can carry it (the simulation measures that).
    pub down_as_elected: bool,
    /// Downtime after pools' quiet stretches left their connections dead, as a fraction
    /// of time (0 without such pools).
    pub idle_drops: f64,
    /// The quiet stretches behind `idle_drops`, by period (shortest first).
    pub quiet: Vec<QuietTerm>,
}

/// Pools whose quiet stretches, ending together, take a service down.
#[derive(Clone, Debug, PartialEq)]
pub struct QuietTerm {
    /// The pools with this period in the service's dependencies, by name.
    pub pools: Vec<String>,
    /// Seconds between the ends of two stretches.
    pub every_secs: f64,
    /// Seconds the service is down after each end.
    pub outage_secs: f64,
}

impl TimedFigure {
    /// The unavailability with timings, capped at 1.
    pub fn unavailability(&self) -> f64 {
        (self.detected + self.failover + self.idle_drops).min(1.0)
    }

    /// The first-order failover term is within its range (a service down as elected
    /// has no first-order term: its figure is the bound 1).
    pub fn first_order_holds(&self) -> bool {
        self.down_as_elected || self.failover <= FIRST_ORDER_LIMIT
    }
}

/// Whether the static figure of service `s` counts a shortfall of capacity as down: it
/// passes a pool whose members share the load and that needs more than one of them.
/// The simulation calls that state degraded, so its comparable figure is then the
/// share of time in full service, not the share of time with some service.
pub fn capacity_counts(model: &Model, s: usize) -> bool {
    model.services[s].through.iter().any(|t| match t {
        crate::model::NodeRef::Group(g) => {
            let g = &model.groups[g.0 as usize];
            matches!(g.arrangement, crate::model::Arrangement::ActiveActive { need } if need > 1)
                && crate::mechanisms::behaviour(model, g) == crate::simulate::Behaviour::Share
        }
        _ => false,
    })
}

/// The simulator's options for single-failure drills: no random failures, every timing
/// on (`simulate::single_failure_downtime` sets the length of the run).
const DRILL_OPTIONS: SimOptions =
    SimOptions { years: 1, replications: 1, seed: crate::simulate::DEFAULT_SEED, random_failures: false, ideal: false };

/// Per element: its mean detection delay in seconds (`mechanisms::monitor`).
fn detection_secs(model: &Model) -> Vec<f64> {
    means(&detection_delays(model))
}

/// The mean of each distribution of (probability, seconds) pairs.
fn means(delays: &[Vec<(f64, f64)>]) -> Vec<f64> {
    delays.iter().map(|d| crate::mechanisms::monitor::mean_delay_secs(d)).collect()
}

/// Per element: the distribution of its detection delay, (probability, seconds) pairs
/// (`mechanisms::monitor::detection_delays`).
fn detection_delays(model: &Model) -> Vec<Vec<(f64, f64)>> {
    crate::mechanisms::monitor::detectors(model)
        .iter()
        .map(|list| crate::mechanisms::monitor::detection_delays(list, model.noticed_by_users_secs))
        .collect()
}

/// The failure of a battery-bridged element drilled once more per stretch of outage
/// lengths between the batteries' runtimes ([`battery_stretches`]).
#[derive(Clone, Debug)]
struct BatteryWindow {
    /// The chance that an outage's length falls in this stretch.
    weight: f64,
    /// The mean outage length within it, seconds: the drill's window.
    window_secs: f64,
    outage_secs: Vec<f64>,
    ideal_outage_secs: Vec<f64>,
}

/// The stretches of outage lengths W (D + X: detection delay, then exponential repair)
/// between the runtimes of the batteries that carry element `e`'s loads and the start
/// times of the generators backing it: [0, T₁), [T₁, T₂), ..., [Tₙ, ∞), each as
/// (P(W in it), E[W | W in it]), those of chance above 1e-12. Within one stretch every
/// battery either carries the whole outage or runs out, and every generator has started
/// or not, so a drill's outage is linear in the window there (what outlasts a battery
/// until the feed or a generator returns, then a boot of fixed length), and one drill
/// at the stretch's mean length gives its expected outage exactly. One drill at the mean of all lengths does not: it counts a boot
/// after every outage when the mean outlasts the battery, and none when it does not.
fn battery_stretches(outage: crate::analysis::dynamic::DelayedRepair, runtimes: &[f64]) -> Vec<(f64, f64)> {
    let mut cuts: Vec<f64> = runtimes.iter().copied().filter(|&t| t > 0.0).collect();
    cuts.sort_by(f64::total_cmp);
    cuts.dedup();
    let mut edges = vec![0.0];
    edges.extend(cuts);
    edges.push(f64::INFINITY);
    edges
        .windows(2)
        .filter_map(|ab| {
            let (p, w) = outage.within(ab[0], ab[1]);
            (p > 1e-12).then(|| (p, w / p))
        })
        .collect()
}

/// One element failed alone from the all-up state, for its mean detection delay plus
/// its MTTR, in a drill with every mechanism's timing.
#[derive(Clone, Debug)]
struct Drilled {
    element: ElementId,
    /// Failures per second: 1 / (MTBF + D + MTTR).
    rate: f64,
    /// How long the drilled failure lasts, D + MTTR, in seconds.
    window_secs: f64,
    /// Seconds each service (by index) is down.
    outage_secs: Vec<f64>,
    /// The same drill with instant failover and instant restarts (batteries kept, as
    /// the exact analysis has them): the part of the outage the exact figure already
    /// counts (a SPOF's window, or only what outlasts a UPS battery).
    ideal_outage_secs: Vec<f64>,
    /// Per [`FromSecond`] state (in [`Drills::from_second`]'s order): seconds each
    /// service is down when the element fails while that group serves from its second
    /// member (the first member too: failed again once it is back, as a standby).
    /// `None` when it cannot differ from the all-up drill, so was not run: that drill took
    /// no service down, and no service is down in the exact view with the element failed
    /// and every group held to the member it serves from (its other members taken out,
    /// so no failover, seen or not, is counted on), and it is no spanning-tree bridge
    /// or link touching one (a reconvergence interrupts whichever member serves).
    from_second_secs: Vec<Option<Vec<f64>>>,
    /// For an element whose loss UPS batteries carry at first, or a feed a standby
    /// generator backs: its drills over the stretches of outage lengths between their
    /// runtimes and the generators' start times ([`battery_stretches`]), which replace
    /// the drill at the mean window in the failover term (also where that drill took
    /// nothing down: a longer outage can outlast a battery). Empty otherwise.
    battery_windows: Vec<BatteryWindow>,
    /// For a feed a standby generator backs: the same failure with the generator down
    /// (failed, or failing to start), drilled at each battery stretch (else at the mean
    /// window), as (weight, outage per service, the ideal outage per service): weight
    /// = the stretch's chance × the generator's unavailability on demand. What the
    /// exact figure counts of it is the ideal outage (the cut set {the feed beyond the
    /// battery, the generator}); the rest is the boot after the feed returns.
    generator_down: Vec<(f64, Vec<f64>, Vec<f64>)>,
    /// The chance that every generator backing this feed runs when called on: the
    /// weight of the drills above with the generators up (1 for any other element).
    generator_ok: f64,
}

/// A group that does not fail back (no preemption: a bond without a `primary` that
/// reselects always, HSRP's default, VRRP with `preempt: false`), drilled again from
/// the state it is left in after its first member's failure: serving from the second.
#[derive(Clone, Debug)]
pub struct FromSecond {
    pub group: crate::model::GroupId,
    /// The first member, failed for [`FromSecond::handover_secs`] and returned.
    first: ElementId,
    /// The member then serving.
    pub second: ElementId,
    handover_secs: f64,
    /// Share of time the second member serves, r₁ / (r₁ + r₂ + r₁₂): each serves until
    /// a failure its detector sees, at rate rᵢ (single failures that take the member
    /// down; for a detector that watches its links, those links and their far ends;
    /// objects it tracks in FAULT mode; for VRRP/HSRP, the member's own interface on
    /// the segment: its link there, that switch), and a failure of both at once (r₁₂:
    /// their server, its power) starts the group again on its first member, so stints
    /// alternate with means 1/r₁ and 1/(r₂ + r₁₂). Members beyond the second serve only while the first two are both
    /// out: left out (second order).
    pub share: f64,
    /// Each service's downtime over the hand-over alone.
    baseline_secs: Vec<f64>,
}

/// Drills run from the second member's state at most this many times in all (groups
/// that do not fail back × failing elements); beyond, none is, and every output's note
/// says the term then errs optimistic.
pub const MAX_FROM_SECOND_DRILLS: usize = 20_000;

/// Failures per second of `e` (1 / (MTBF + MTTR)), 0 when it does not fail.
fn failure_rate(model: &Model, e: ElementId) -> f64 {
    model.element(e).failure.map_or(0.0, |f| 1.0 / (f.mtbf_secs + f.mttr_secs))
}

/// The groups that do not fail back, each with its second member's share of the time
/// and the hand-over's own downtime (one simulator run per group, one evaluation of the
/// model per failing element).
fn from_second_states(model: &Model, compiled: &mut Compiled) -> Vec<FromSecond> {
    use crate::model::{Arrangement, Visibility};
    let groups: Vec<&crate::model::Group> = model
        .groups
        .iter()
        .filter(|g| {
            g.switchover.is_some() && g.members.len() >= 2 && g.arrangement == Arrangement::ActiveStandby && {
                let profile = crate::mechanisms::profile(model, g);
                !profile.preempt && profile.behaviour == crate::simulate::Behaviour::Switchover
            }
        })
        .collect();
    if groups.is_empty() {
        return Vec::new();
    }
    // Per group: the rates at which the first and the second member, serving, are seen
    // to fail, and at which both go down together (after which the group starts again
    // on its first member, as a rebooted server's bond does).
    let mut rates = vec![(0.0, 0.0, 0.0); groups.len()];
    let mut evaluator = crate::model::eval::Evaluator::new(model);
    let mut mask = vec![false; model.elements.len()];
    let net = crate::model::NetworkIndex::new(model);
    let resigns_off_segment: Vec<bool> =
        groups.iter().map(|g| crate::mechanisms::profile(model, g).counts_dual_masters).collect();
    for e in model.elements.iter().filter(|e| e.failure.is_some()) {
        mask[e.id.0 as usize] = true;
        let works = evaluator.evaluate(&mask).element_works;
        mask[e.id.0 as usize] = false;
        let r = failure_rate(model, e.id);
        for ((g, rate), &resigns) in groups.iter().zip(rates.iter_mut()).zip(&resigns_off_segment) {
            let (first, second) = (g.members[0], g.members[1]);
            // A VRRP/HSRP router that loses its interface on the segment resigns.
            let off_segment = |m: ElementId| resigns && !net.segment_link_up(g, m, |x| works[x.0 as usize]);
            let watches_links = matches!(
                g.switchover.as_ref().map(|s| &s.sees),
                Some(Visibility::LocalLink | Visibility::PathTo { .. })
            );
            // A detector that watches its member's links sees them and their far ends.
            let on_link_of = |m: ElementId| {
                watches_links
                    && model.links.iter().any(|l| {
                        (l.a == m && (l.element == e.id || l.b == e.id))
                            || (l.b == m && (l.element == e.id || l.a == e.id))
                    })
            };
            // A tracked object in FAULT mode (no decrement) hands the role over too; a
            // decrement does not, in a group that does not preempt.
            let tracked_by =
                |i: usize| g.track.as_ref().is_some_and(|t| t.decrement.is_none() && t.objects[i].contains(&e.id));
            let first_out = !works[first.0 as usize] || on_link_of(first) || tracked_by(0) || off_segment(first);
            let second_out = !works[second.0 as usize] || on_link_of(second) || tracked_by(1) || off_segment(second);
            match (first_out, second_out) {
                (true, true) => rate.2 += r,
                (true, false) => rate.0 += r,
                (false, true) => rate.1 += r,
                (false, false) => {}
            }
        }
    }
    let mut out = Vec::new();
    for (g, &(r1, r2, both)) in groups.iter().zip(&rates) {
        if r1 <= 0.0 {
            continue;
        }
        let switchover = g.switchover.as_ref().expect("filtered on a switchover");
        let (first, second) = (g.members[0], g.members[1]);
        // Long enough for the takeover to complete before the first member returns.
        let handover_secs = switchover.detect_secs + switchover.takeover_secs + 60.0;
        let baseline_secs = crate::simulate::single_failure_downtime_after(compiled, &[first], handover_secs, &[], 0.0);
        // Stints on the first member end at rate r1, on the second at r2 + both.
        let share = r1 / (r1 + r2 + both);
        out.push(FromSecond { group: g.id, first, second, handover_secs, share, baseline_secs });
    }
    out
}

/// Per element: whether its failure makes a group reconverge (a spanning-tree bridge, or
/// a link between two), which interrupts paths whichever member serves: always drilled.
fn reconverging(model: &Model) -> Vec<bool> {
    let mut out = vec![false; model.elements.len()];
    for g in &model.groups {
        if crate::mechanisms::behaviour(model, g) != crate::simulate::Behaviour::Reconverge {
            continue;
        }
        for &m in &g.members {
            out[m.0 as usize] = true;
        }
        for l in &model.links {
            if g.members.contains(&l.a) || g.members.contains(&l.b) {
                out[l.element.0 as usize] = true;
            }
        }
    }
    out
}

/// Per element: whether it is a standby member (not the first) of an active-standby
/// group with a switchover.
fn standbys(model: &Model) -> Vec<bool> {
    let mut held = vec![false; model.elements.len()];
    for g in &model.groups {
        if g.switchover.is_some() && g.arrangement == crate::model::Arrangement::ActiveStandby {
            for m in g.members.iter().skip(1) {
                held[m.0 as usize] = true;
            }
        }
    }
    held
}

/// Whether every service is up in the exact view with `e` failed while `state`'s group
/// serves from its second member and every other group from its first, each held there
/// (its other members taken out): then no failover is needed, seen or not.
fn harmless_held(
    evaluator: &mut crate::model::eval::Evaluator,
    standbys: &[bool],
    state: &FromSecond,
    e: ElementId,
) -> bool {
    let mut mask = standbys.to_vec();
    mask[state.first.0 as usize] = true;
    mask[state.second.0 as usize] = false;
    mask[e.0 as usize] = true;
    evaluator.evaluate(&mask).service_up.iter().all(|&up| up)
}

/// Each service's downtime when the elements `failed` fail together for `window_secs`
/// while `state`'s group serves from its second member, the hand-over's own downtime
/// taken off.
fn downtime_from_second(
    compiled: &mut Compiled,
    state: &FromSecond,
    failed: &[ElementId],
    window_secs: f64,
) -> Vec<f64> {
    let total = crate::simulate::single_failure_downtime_after(
        compiled,
        &[state.first],
        state.handover_secs,
        failed,
        window_secs,
    );
    total.iter().zip(&state.baseline_secs).map(|(t, b)| (t - b).max(0.0)).collect()
}

/// Every failing element's single-failure drill, run once and shared by the figure with
/// timings ([`timed_figures`]) and the failures the failover does not see
/// ([`unseen_single_failures`]).
#[derive(Clone, Debug)]
pub struct Drills {
    /// Per element: the mean detection delay in seconds (`mechanisms::monitor`).
    pub(crate) detection: Vec<f64>,
    /// Per element: the detection delay's distribution, (probability, seconds).
    delays: Vec<Vec<(f64, f64)>>,
    runs: Result<Vec<Drilled>, String>,
    /// The groups drilled again serving from their second member.
    pub from_second: Vec<FromSecond>,
    /// Per service: down with nothing failed, the groups as elected (a VRRP master that
    /// cannot carry what only a backup reaches, SPOF-L033). Every drill then shows it
    /// down throughout, which says nothing about the drilled failure, so none of those
    /// drills names a failure the failover does not see.
    pub down_as_elected: Vec<bool>,
    /// Per service: the pools' quiet stretches that take it down, shortest period first.
    pub quiet: Vec<Vec<QuietTerm>>,
}

/// Down longer than this in a run with nothing failed: down as elected, not a start-up
/// transient (an election or spanning-tree convergence lasts seconds).
const DOWN_AS_ELECTED_SECS: f64 = 3600.0;

/// Per service: whether a drill-less run from the all-up state has it down for more
/// than [`DOWN_AS_ELECTED_SECS`]. One simulator run.
fn down_as_elected(compiled: &mut Compiled) -> Vec<bool> {
    let baseline = crate::simulate::single_failure_downtime_after(compiled, &[], 0.0, &[], 0.0);
    baseline.iter().map(|&down_secs| down_secs > DOWN_AS_ELECTED_SECS).collect()
}

impl Drills {
    /// Runs one drill per failing element (at most [`MAX_DRILLED_ELEMENTS`]; beyond,
    /// the error says why none ran). Cost: one simulator run over the model per element.
    pub fn run(model: &Model) -> Drills {
        let delays = detection_delays(model);
        let detection = means(&delays);
        let failing: Vec<ElementId> = model.elements.iter().filter(|e| e.failure.is_some()).map(|e| e.id).collect();
        if failing.len() > MAX_DRILLED_ELEMENTS {
            let runs = Err(format!(
                "failover time not computed, and single failures the failover does not see not looked for: {} failing elements, above the {MAX_DRILLED_ELEMENTS} drilled one by one; \
                 measure them with `spofsim simulate`",
                failing.len()
            ));
            return Drills {
                detection,
                delays,
                runs,
                from_second: Vec::new(),
                down_as_elected: vec![false; model.services.len()],
                quiet: vec![Vec::new(); model.services.len()],
            };
        }
        let mut compiled = Compiled::new(model, DRILL_OPTIONS);
        let down_as_elected = down_as_elected(&mut compiled);
        let quiet = quiet_terms(model, &mut compiled);
        let mut evaluator = crate::model::eval::Evaluator::new(model);
        let held = standbys(model);
        let reconverges = reconverging(model);
        let mut from_second = from_second_states(model, &mut compiled);
        if from_second.len() * failing.len() > MAX_FROM_SECOND_DRILLS {
            from_second.clear();
        }
        let mut ideal = Compiled::new(model, SimOptions { ideal: true, ..DRILL_OPTIONS });
        let read_error = read_error_chances(model);
        let runtimes = crate::analysis::bounds::battery_runtimes_bridging(model);
        let runs = failing
            .iter()
            .map(|&e| {
                let f = model.element(e).failure.expect("failing element");
                let window_secs = detection[e.0 as usize] + f.mttr_secs;
                let rate = 1.0 / (f.mtbf_secs + window_secs);
                let mut outage_secs = crate::simulate::single_failure_downtime(&mut compiled, e, window_secs, false);
                // A disk whose rebuild meets a read error with chance q: the expected
                // outage over both outcomes.
                let q = read_error[e.0 as usize];
                if q > 0.0 {
                    let failed = crate::simulate::single_failure_downtime(&mut compiled, e, window_secs, true);
                    for (o, f) in outage_secs.iter_mut().zip(failed) {
                        *o = (1.0 - q) * *o + q * f;
                    }
                }
                // Only a drill that took a service down can have a part the exact
                // figure counts.
                let ideal_outage_secs = if outage_secs.iter().any(|&o| o > 0.0) {
                    crate::simulate::single_failure_downtime(&mut ideal, e, window_secs, false)
                } else {
                    vec![0.0; outage_secs.len()]
                };
                let quiet = outage_secs.iter().all(|&o| o == 0.0) && !reconverges[e.0 as usize];
                let from_second_secs = from_second
                    .iter()
                    .map(|state| {
                        (!quiet || !harmless_held(&mut evaluator, &held, state, e))
                            .then(|| downtime_from_second(&mut compiled, state, &[e], window_secs))
                    })
                    .collect();
                let mut battery_windows = Vec::new();
                let mut bridged: Vec<f64> = runtimes[e.0 as usize].iter().copied().filter(|&t| t > 0.0).collect();
                // A standby generator backing this feed carries the load from its start
                // on: the outage stops growing with the window there, so its start is a
                // cut as well (a battery shorter than the start runs out, the load waits
                // for the generator, then boots).
                let generators: Vec<&crate::model::Element> =
                    model.elements.iter().filter(|g| g.generator.is_some_and(|b| b.feed == e)).collect();
                bridged
                    .extend(generators.iter().filter_map(|g| g.generator).map(|b| b.start_secs).filter(|&t| t > 0.0));
                // Also when the drill at the mean window took nothing down: longer
                // outages than the mean can outlast a battery.
                if !bridged.is_empty() {
                    let mean_delay = detection[e.0 as usize];
                    let outage = crate::analysis::dynamic::DelayedRepair {
                        delays: &delays[e.0 as usize],
                        repair_secs: f.mttr_secs,
                    };
                    debug_assert!(
                        (outage.mean_secs() - (mean_delay + f.mttr_secs)).abs() <= 1e-6 * window_secs.max(1.0)
                    );
                    for (weight, window_secs) in battery_stretches(outage, &bridged) {
                        battery_windows.push(BatteryWindow {
                            weight,
                            window_secs,
                            outage_secs: crate::simulate::single_failure_downtime(&mut compiled, e, window_secs, false),
                            ideal_outage_secs: crate::simulate::single_failure_downtime(
                                &mut ideal,
                                e,
                                window_secs,
                                false,
                            ),
                        });
                    }
                }
                // A second failure that often comes with this one: the generator
                // backing this feed is down or fails to start.
                let mut generator_down = Vec::new();
                let mut generator_ok = 1.0;
                for g in generators {
                    let on_demand = g.unavailability(detection[g.id.0 as usize]);
                    generator_ok *= 1.0 - on_demand;
                    let windows: Vec<(f64, f64)> = if battery_windows.is_empty() {
                        vec![(1.0, window_secs)]
                    } else {
                        battery_windows.iter().map(|w| (w.weight, w.window_secs)).collect()
                    };
                    for (weight, secs) in windows {
                        let both = [e, g.id];
                        generator_down.push((
                            weight * on_demand,
                            crate::simulate::failure_set_downtime(&mut compiled, &both, secs),
                            crate::simulate::failure_set_downtime(&mut ideal, &both, secs),
                        ));
                    }
                }
                Drilled {
                    element: e,
                    rate,
                    window_secs,
                    outage_secs,
                    ideal_outage_secs,
                    from_second_secs,
                    battery_windows,
                    generator_down,
                    generator_ok,
                }
            })
            .collect();
        Drills { detection, delays, runs: Ok(runs), from_second, down_as_elected, quiet }
    }
}

/// Per service: the pools' quiet stretches that take it down (the outage after one end
/// of each period, the pools of that period in its dependencies named).
fn quiet_terms(model: &Model, compiled: &mut Compiled) -> Vec<Vec<QuietTerm>> {
    let outages = crate::simulate::quiet_outages(compiled);
    (0..model.services.len())
        .map(|s| {
            let cone = &compiled.circuit.service_elements[s];
            outages
                .iter()
                .filter(|o| o.down_secs[s] > 0.0)
                .map(|o| {
                    // The period's pools the service depends on; all of them if it
                    // depends on none directly (its outage still followed theirs).
                    let in_cone: Vec<_> = o.pools.iter().filter(|p| cone[p.0 as usize]).collect();
                    let named = if in_cone.is_empty() { o.pools.iter().collect() } else { in_cone };
                    let mut pools: Vec<String> = named.into_iter().map(|&p| model.element(p).name.clone()).collect();
                    pools.sort();
                    QuietTerm { pools, every_secs: o.every_secs, outage_secs: o.down_secs[s] }
                })
                .collect()
        })
        .collect()
}

/// A single failure the failover does not see: alone, from the all-up state, it keeps
/// a service down for as long as it lasts, although the exact analysis (every failover
/// instant and every detector perfect) finds a member to carry on. A VRRP master whose
/// uplink fails keeps the virtual IP while its adverts still reach the backup; an MII
/// bond keeps a NIC whose switch lost its uplink. It is a single point of failure.
#[derive(Clone, Debug, PartialEq)]
pub struct Unseen {
    pub element: ElementId,
    /// The service, by index.
    pub service: usize,
    /// Seconds the drilled service was down.
    pub outage_secs: f64,
    /// Seconds the drilled failure lasted (mean detection delay + MTTR).
    pub window_secs: f64,
    /// When the failover does see it but takes longer than the repair (a move to a DR
    /// site whose recovery time exceeds the repair, called off when the primary
    /// returns): the outage when the failure lasts a year longer, the takeover's own
    /// length. `None` when the failover does not see it at all.
    pub takeover_secs: Option<f64>,
    /// When it takes the service down only while a group that does not fail back serves
    /// from its second member ([`FromSecond`]): the group, that member and its share.
    pub serving_from: Option<ServingFrom>,
}

/// A group that does not fail back, serving from its second member ([`FromSecond`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ServingFrom {
    pub group: crate::model::GroupId,
    /// The member it was left on by its first member's failure.
    pub member: ElementId,
    /// Share of time that member serves, 0..1 ([`FromSecond::share`]).
    pub share: f64,
}

/// The outage of service `s` when the elements `failed` fail together for a year longer
/// than `window_secs`, when it ends before the failure does: the failover sees the
/// failure but takes longer than the repair. One simulator run.
fn takeover_beyond_repair(compiled: &mut Compiled, failed: &[ElementId], s: usize, window_secs: f64) -> Option<f64> {
    let long_secs = window_secs + crate::simulate::YEAR_SECS;
    let outage = crate::simulate::failure_set_downtime(compiled, failed, long_secs)[s];
    (outage < long_secs * (1.0 - 1e-9)).then_some(outage)
}

/// Per service (by index): the failures the failover does not see ([`Unseen`]), sorted
/// by element; elements already in `singles` are not repeated. The error says why the
/// drills did not run (too many elements).
pub fn unseen_single_failures(
    model: &Model,
    singles: &[Option<Vec<ElementId>>],
    drills: &Drills,
) -> Result<Vec<Vec<Unseen>>, String> {
    let runs = drills.runs.as_ref().map_err(Clone::clone)?;
    let mut out = vec![Vec::new(); model.services.len()];
    let mut compiled = Compiled::new(model, DRILL_OPTIONS);
    for d in runs {
        for (s, &outage_secs) in d.outage_secs.iter().enumerate() {
            let static_spof = singles[s].as_ref().is_none_or(|l| l.contains(&d.element));
            if static_spof || drills.down_as_elected[s] {
                continue;
            }
            // Down until the failure ends: the service's outage covers the whole window
            // (to a nanosecond per second: the drill's clock adds up floating seconds).
            if outage_secs >= d.window_secs * (1.0 - 1e-9) {
                let takeover_secs = takeover_beyond_repair(&mut compiled, &[d.element], s, d.window_secs);
                out[s].push(Unseen {
                    element: d.element,
                    service: s,
                    outage_secs,
                    window_secs: d.window_secs,
                    takeover_secs,
                    serving_from: None,
                });
                continue;
            }
            // Or only while a group that does not fail back serves from its second member.
            let from_second = drills.from_second.iter().zip(&d.from_second_secs).find_map(|(state, secs)| {
                let o = secs.as_ref()?[s];
                (o >= d.window_secs * (1.0 - 1e-9)).then_some((state, o))
            });
            if let Some((state, o)) = from_second {
                out[s].push(Unseen {
                    element: d.element,
                    service: s,
                    outage_secs: o,
                    window_secs: d.window_secs,
                    takeover_secs: None,
                    serving_from: Some(ServingFrom { group: state.group, member: state.second, share: state.share }),
                });
            }
        }
    }
    Ok(out)
}

/// The services (by index) that the elements `failed`, failing together, take down only
/// because the failover does not see it ([`Unseen`], its `element` the first of
/// `failed`): up in the exact view, down for all of a drill that fails them at one
/// instant for the longest of their mean detection delays plus MTTRs. Empty when none
/// of them fails. A few simulator runs.
pub fn unseen_failures(model: &Model, failed: &[ElementId]) -> Vec<Unseen> {
    let detection = detection_secs(model);
    let Some(window_secs) = failed
        .iter()
        .filter_map(|&e| model.element(e).failure.map(|f| detection[e.0 as usize] + f.mttr_secs))
        .reduce(f64::max)
    else {
        return Vec::new();
    };
    let mut compiled = Compiled::new(model, DRILL_OPTIONS);
    let elected = down_as_elected(&mut compiled);
    let outage = crate::simulate::failure_set_downtime(&mut compiled, failed, window_secs);
    let mut mask = vec![false; model.elements.len()];
    for e in failed {
        mask[e.0 as usize] = true;
    }
    let mut exact = crate::model::eval::evaluate(model, &mask);
    // A service down as elected is down in every drill: no drill names an unseen failure.
    for (up, &down) in exact.service_up.iter_mut().zip(&elected) {
        *up &= !down;
    }
    let whole = |o: f64| o >= window_secs * (1.0 - 1e-9);
    let element = failed[0];
    let mut out: Vec<Unseen> = Vec::new();
    for (service, &outage_secs) in outage.iter().enumerate() {
        if exact.service_up[service] && whole(outage_secs) {
            let takeover_secs = takeover_beyond_repair(&mut compiled, failed, service, window_secs);
            out.push(Unseen { element, service, outage_secs, window_secs, takeover_secs, serving_from: None });
        }
    }
    // As in [`unseen_single_failures`]: or only while a group that does not fail back
    // serves from its second member.
    let states = from_second_states(model, &mut compiled);
    for (s, &o_all_up) in outage.iter().enumerate() {
        if !exact.service_up[s] || whole(o_all_up) {
            continue;
        }
        for state in &states {
            let o = downtime_from_second(&mut compiled, state, failed, window_secs)[s];
            if whole(o) {
                out.push(Unseen {
                    element,
                    service: s,
                    outage_secs: o,
                    window_secs,
                    takeover_secs: None,
                    serving_from: Some(ServingFrom { group: state.group, member: state.second, share: state.share }),
                });
                break;
            }
        }
    }
    out.sort_by_key(|u| u.service);
    out
}

/// `singles` with the failures the failover does not see added (each list sorted by
/// element id): the single points of failure a person acts on.
pub fn with_unseen(singles: &[Option<Vec<ElementId>>], unseen: &[Vec<Unseen>]) -> Vec<Option<Vec<ElementId>>> {
    singles
        .iter()
        .zip(unseen)
        .map(|(list, extra)| {
            list.as_ref().map(|l| {
                let mut all = l.clone();
                all.extend(extra.iter().map(|u| u.element));
                all.sort_unstable();
                all.dedup();
                all
            })
        })
        .collect()
}

/// The single points of failure a person acts on, per service (by index).
#[derive(Clone, Debug)]
pub struct SinglePoints {
    /// From the single-failure dataflow (instant failover, perfect detectors).
    pub static_singles: Vec<Option<Vec<ElementId>>>,
    /// The failures the failover does not see, per service; empty when not drilled.
    pub unseen: Vec<Vec<Unseen>>,
    /// Why the drills did not run, if they did not.
    pub unseen_not_checked: Option<String>,
    /// Both, per service, sorted by element id.
    pub all: Vec<Option<Vec<ElementId>>>,
    /// The drills, for [`timed_figures`].
    pub drills: Drills,
}

/// [`SinglePoints`] of `model`: the dataflow, then one drill per failing element.
pub fn single_points(model: &Model) -> SinglePoints {
    let static_singles = crate::analysis::single_failures::single_failures(model);
    let drills = Drills::run(model);
    let (unseen, unseen_not_checked) = match unseen_single_failures(model, &static_singles, &drills) {
        Ok(u) => (u, None),
        Err(why) => (vec![Vec::new(); model.services.len()], Some(why)),
    };
    let all = with_unseen(&static_singles, &unseen);
    SinglePoints { static_singles, unseen, unseen_not_checked, all, drills }
}

/// Per service (by index): its figure with timings, or why there is none. `singles` are
/// the static single points of failure (without the unseen ones: their outage is not in
/// the exact figure, so all of it is failover time).
pub fn timed_figures(
    model: &Model,
    singles: &[Option<Vec<ElementId>>],
    wanted: &[bool],
    options: &Options,
    drills: &Drills,
) -> Vec<Result<TimedFigure, String>> {
    timed_figures_reusing(model, singles, wanted, options, drills, &[])
}

/// A service's fault tree and its compiled BDD, from the exact analysis.
pub type CompiledTree<'a> = (&'a FaultTree, &'a CompiledBdd);

/// [`timed_figures`], with the exact analysis's compiled trees per service (by index;
/// shorter or `None` where there is none): the detection-lengthened model has the same
/// structure with other probabilities, so its figure is one pass over that BDD instead
/// of a second compile (checked gate for gate; compiled anew when anything differs).
pub fn timed_figures_reusing(
    model: &Model,
    singles: &[Option<Vec<ElementId>>],
    wanted: &[bool],
    options: &Options,
    drills: &Drills,
    compiled: &[Option<CompiledTree>],
) -> Vec<Result<TimedFigure, String>> {
    // The exact figure with detection-lengthened repairs.
    let detected_model = detected_model(model, drills);
    let mut order: Vec<usize> = (0..model.services.len()).collect();
    order.sort_by(|&a, &b| model.services[a].name.cmp(&model.services[b].name));
    let mut detected: Vec<Result<f64, String>> = vec![Err("not requested".into()); model.services.len()];
    for (&s, tree) in order.iter().zip(structure::service_trees(&detected_model)) {
        if !wanted[s] {
            continue;
        }
        let same = |tree: &FaultTree| {
            let (from, c) = compiled.get(s).copied().flatten()?;
            c.probability_of_same_structure(from, tree)
        };
        detected[s] = match tree {
            Ok(tree) => match same(&tree) {
                Some(p) => Ok(p),
                None => analyze_tree(&tree, options).map(|r| r.probability).map_err(|e| e.to_string()),
            },
            Err(e) => Err(format!("exact figure not computed: {e}")),
        };
    }
    (0..model.services.len())
        .map(|s| {
            if !wanted[s] {
                return Err("not requested".into());
            }
            let detected = detected[s].clone()?;
            // Down with nothing failed even with perfect failover: the figure is exact
            // (0 %), not a bound on what the election leaves (SPOF-L033).
            if detected >= 1.0 - 1e-12 {
                return Ok(TimedFigure {
                    detected,
                    failover: 0.0,
                    contributors: Vec::new(),
                    down_as_elected: false,
                    idle_drops: 0.0,
                    quiet: Vec::new(),
                });
            }
            if drills.down_as_elected[s] {
                let failover = (1.0 - detected).max(0.0);
                return Ok(TimedFigure {
                    detected,
                    failover,
                    contributors: Vec::new(),
                    down_as_elected: true,
                    idle_drops: 0.0,
                    quiet: Vec::new(),
                });
            }
            let (failover, contributors) = failover_term(model, singles, drills, s)?;
            let quiet = drills.quiet[s].clone();
            let idle_drops = quiet.iter().fold(0.0, |acc, q| acc + q.outage_secs / q.every_secs);
            Ok(TimedFigure { detected, failover, contributors, down_as_elected: false, idle_drops, quiet })
        })
        .collect()
}

/// `model` with every repair lengthened by its mean detection delay (the drills'): the
/// model whose static figure is the "detected" part of the figure with timings.
pub fn detected_model(model: &Model, drills: &Drills) -> Model {
    let mut detected = model.clone();
    for (e, d) in detected.elements.iter_mut().zip(&drills.detection) {
        if let Some(f) = &mut e.failure {
            f.mttr_secs += d;
        }
    }
    // A battery outlasts a delay and a repair differently from one repair of their
    // summed mean: the battery modules take them apart.
    detected.repair_delays = drills.delays.clone();
    detected
}

/// Service `s`'s first-order failover downtime as a fraction of time, with its biggest
/// contributors (at most three), from one drill per single failure; `singles` as in
/// [`timed_figures`].
pub fn failover_term(
    model: &Model,
    singles: &[Option<Vec<ElementId>>],
    drills: &Drills,
    s: usize,
) -> Result<(f64, Vec<Contributor>), String> {
    let from_second = &drills.from_second;
    let drills = drills.runs.as_ref().map_err(Clone::clone)?;
    let spofs = singles[s].as_deref().unwrap_or(&[]);
    // What the exact figure counts of a failure's outage (a SPOF's own window, or
    // what outlasts a UPS battery: the same drill with instant failover and
    // restarts) is not added again; only what outlasts it (a takeover, a
    // reconvergence, a boot) is. A failure the exact view finds harmless adds
    // its whole outage.
    let mut terms: Vec<(ElementId, f64, f64, bool)> = drills
        .iter()
        .map(|d| {
            let spof = spofs.contains(&d.element);
            // Each group that does not fail back serves from its second member for its
            // share of the time: the failure's outage then, in place of the all-up one
            // (a SPOF's outage is its own window either way). The groups' states are
            // independent. One that shortens the outage (its second member carries on)
            // does so unless another already has: those shortenings compound, the
            // outage kept being Π (1 − share_g · cut_g) with cut_g the fraction it
            // saves (four bonds each rescuing a failure alone, a quarter of the time
            // each, keep 0.75⁴ of it, not 1 − 4 × 0.25 = none). One that lengthens it
            // adds share_g × the extra, first order.
            let outage = d.outage_secs[s];
            let (mut kept, mut added, mut averaged) = (1.0, 0.0, false);
            if !spof {
                for (state, secs) in from_second.iter().zip(&d.from_second_secs) {
                    let Some(secs) = secs.as_ref() else { continue };
                    let difference = secs[s] - outage;
                    averaged |= difference != 0.0;
                    if difference < 0.0 {
                        kept *= 1.0 - state.share * (-difference / outage);
                    } else {
                        added += state.share * difference;
                    }
                }
            }
            let down = outage * kept + added;
            let counted = if spof { d.ideal_outage_secs[s].min(d.window_secs) } else { 0.0 };
            let mut extra = (down - counted).max(0.0);
            if !d.battery_windows.is_empty() {
                // Behind batteries: the expected extra over the outage's length, stretch
                // by stretch, with what serving from a second member changed at the
                // mean window kept as it is.
                let from_second_change = down - outage;
                extra = d
                    .battery_windows
                    .iter()
                    .map(|w| {
                        let counted = if spof { w.ideal_outage_secs[s].min(w.window_secs) } else { 0.0 };
                        w.weight * (w.outage_secs[s] - counted).max(0.0)
                    })
                    .sum::<f64>()
                    + from_second_change;
                extra = extra.max(0.0);
            }
            // The drills so far ran with the feed's generators up: weighted by that
            // chance. With a generator down as well: what the exact figure leaves out
            // of that pair (the boot after the feed returns), weighted by its chance.
            extra *= d.generator_ok;
            extra += d
                .generator_down
                .iter()
                .map(|(weight, outage, ideal)| weight * (outage[s] - ideal[s]).max(0.0))
                .sum::<f64>();
            (d.element, d.rate * extra, extra, averaged)
        })
        .filter(|t| t.1 > 0.0)
        .collect();

    // (`sum` of no terms is −0.0; start from +0.0.)
    let failover: f64 = terms.iter().fold(0.0, |acc, t| acc + t.1);
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let contributors = terms
        .iter()
        .take(3)
        .map(|&(e, term, outage, averaged)| Contributor {
            element: model.element(e).name.clone(),
            outage_secs: outage,
            averaged_over_serving_member: averaged,
            share: term / failover,
        })
        .collect();
    Ok((failover, contributors))
}

/// Per element: the chance that the rebuild after its failure from the all-up state
/// meets a read error (a disk of a RAID group whose rebuild then has no redundancy left:
/// RAID1 of two, RAID5, RAID10), else 0.
fn read_error_chances(model: &Model) -> Vec<f64> {
    let mut q = vec![0.0; model.elements.len()];
    for g in &model.groups {
        let Some(crate::model::Dynamics::Rebuild { read_errors: Some(risk), .. }) = g.dynamics else { continue };
        let crate::model::Arrangement::ActiveActive { need } = g.arrangement else { continue };
        if risk.exposed(g.members.len() - 1, need as usize) {
            for &m in &g.members {
                q[m.0 as usize] = risk.failure_probability();
            }
        }
    }
    q
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The figure with detection delays from the exact analysis's own BDD equals the one
    /// from compiling the detection-lengthened model anew, to the bit, on designs with
    /// solved modules (UPS batteries, a RAID rebuild) and without; a tree of another
    /// structure is refused, not evaluated on the wrong BDD.
    #[test]
    fn the_detected_figure_reuses_the_exact_bdd_only_for_the_same_structure() {
        let texts = [
            include_str!("../../tests/cases/timed/failover-pair.jsonc"),
            include_str!("../../tests/cases/exact/ups-unequal-batteries.jsonc"),
            include_str!("../../tests/cases/exact/raid1-hot-spare.jsonc"),
        ];
        let trees: Vec<(Model, FaultTree)> = texts
            .iter()
            .map(|t| {
                let model = crate::load(t).model.expect("model");
                let tree = structure::service_trees(&model).remove(0).expect("tree");
                (model, tree)
            })
            .collect();
        for (k, (model, tree)) in trees.iter().enumerate() {
            let (_, compiled) = crate::analysis::analyze_tree_keeping(tree, &Options::default()).expect("exact");
            let singles = crate::analysis::single_failures::single_failures(model);
            let drills = Drills::run(model);
            let fresh = timed_figures(model, &singles, &[true], &Options::default(), &drills).remove(0).expect("fresh");
            let detected_tree = structure::service_trees(&detected_model(model, &drills)).remove(0).expect("tree");
            assert!(
                compiled.probability_of_same_structure(tree, &detected_tree).is_some(),
                "case {k}: same structure, other probabilities"
            );
            let reused = timed_figures_reusing(
                model,
                &singles,
                &[true],
                &Options::default(),
                &drills,
                &[Some((tree, &compiled))],
            )
            .remove(0)
            .expect("reused");
            assert_eq!(fresh.detected.to_bits(), reused.detected.to_bits(), "case {k}");
            assert!(fresh.detected > 0.0);
            for (j, (_, other)) in trees.iter().enumerate().filter(|&(j, _)| j != k) {
                assert_eq!(compiled.probability_of_same_structure(tree, other), None, "case {k} against {j}");
            }
        }
    }

    fn figure(text: &str) -> TimedFigure {
        let loaded = crate::load(text);
        let model = loaded.model.expect("model");
        let singles = crate::analysis::single_failures::single_failures(&model);
        timed_figures(&model, &singles, &[true], &Options::default(), &Drills::run(&model))
            .remove(0)
            .expect("timed figure")
    }

    /// tests/oracles/DERIVATIONS.md case 9: exact U = 1.228635e-4 from a semi-Markov
    /// model with deterministic delays. The first-order figure must be within its stated
    /// error (the other member's unavailability, 1%); it is in fact within 0.1%.
    #[test]
    fn a_failover_pair_matches_its_semi_markov_model() {
        let text = include_str!("../../tests/cases/timed/failover-pair.jsonc");
        let t = figure(text);
        assert!((t.detected - 9.802960e-5).abs() < 1e-10, "detected {}", t.detected);
        let exact = 1.228635e-4;
        let err = (t.unavailability() - exact).abs() / exact;
        assert!(err < 1e-3, "with timings {} vs exact {exact}: relative error {err}", t.unavailability());
        assert!(t.first_order_holds());
        // The cluster does not fail back: each member serves half the time (equal
        // rates), and its failure costs the 90 s failover only then.
        let contributors: Vec<(&str, f64)> =
            t.contributors.iter().map(|c| (c.element.as_str(), c.outage_secs)).collect();
        assert_eq!(contributors, [("db-1/db", 45.0), ("db-2/db", 45.0)]);
    }

    /// A utility feed behind a UPS, everything else never failing: the figure with
    /// timings against closed forms derived from the documented behaviour (a helper,
    /// from the docs alone): the outage is W = D + X, D the detection delay (a trap lost
    /// half the time, so 2 min or the users' 1 h), X exponential of mean MTTR; the
    /// service is down E[(W − T)⁺] per failure beyond the battery T, plus a 10 min boot
    /// of the server (the switch's 5 min boot runs beside it) whenever W > T. Before,
    /// the battery module read W as exponential of mean D + MTTR, and one drill at the
    /// mean window decided the boot for every failure: with MTTR 20 min and a 1 h
    /// battery the mean window (51 min) is shorter, so no boot was counted at all.
    #[test]
    fn boots_after_a_battery_runs_out_count_with_the_chance_the_outage_outlasts_it() {
        let design = |mttr: &str, battery: &str| {
            format!(
                r#"{{ "defaults": {{ "psu": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }},
                   "process": {{ "availability": "100%" }}, "link": {{ "availability": "100%" }} }},
                  "components": {{ "internet": {{ "kind": "entry" }},
                    "utility": {{ "kind": "power-feed", "mtbf": "1y", "mttr": "{mttr}" }},
                    "ups-1": {{ "kind": "ups", "feed": "utility", "battery_runtime": "{battery}", "availability": "100%" }},
                    "sw": {{ "kind": "switch", "power": ["ups-1"], "availability": "100%" }},
                    "web-1": {{ "kind": "server", "nics": ["sw"], "runs": ["web"], "power": ["ups-1"], "availability": "100%" }} }},
                  "links": [ {{ "between": ["internet", "sw"] }} ],
                  "monitors": {{ "trap": {{ "method": "snmp-trap", "targets": ["utility"], "trap_loss": "50%", "response": "2m" }} }},
                  "services": {{ "shop": {{ "from": "internet", "through": ["web-1/web"] }} }} }}"#
            )
        };
        let year = 365.0 * 86_400.0;
        let boot = 600.0;
        // (delay probability, delay seconds)
        let delays = [(0.5, 120.0), (0.5, 3600.0)];
        for (mttr_text, mttr, battery_text, battery) in [("20m", 1200.0, "1h", 3600.0), ("3h", 10_800.0, "15m", 900.0)]
        {
            let mean_w: f64 = delays.iter().map(|&(p, d)| p * d).sum::<f64>() + mttr;
            let excess: f64 = delays
                .iter()
                .map(|&(p, d): &(f64, f64)| {
                    p * if d >= battery { d - battery + mttr } else { mttr * (-(battery - d) / mttr).exp() }
                })
                .sum();
            let outlasts: f64 = delays
                .iter()
                .map(|&(p, d): &(f64, f64)| p * if d >= battery { 1.0 } else { (-(battery - d) / mttr).exp() })
                .sum();
            let cycle = year + mean_w;
            let t = figure(&design(mttr_text, battery_text));
            let rel = |a: f64, b: f64| (a - b).abs() / b;
            assert!(
                rel(t.detected, excess / cycle) < 1e-9,
                "MTTR {mttr_text}: detected {:e} vs {:e}",
                t.detected,
                excess / cycle
            );
            assert!(
                rel(t.failover, outlasts * boot / cycle) < 1e-6,
                "MTTR {mttr_text}: failover term {:e} vs {:e}",
                t.failover,
                outlasts * boot / cycle
            );
        }
        // And the simulator, which plays the delays and boots, agrees on the first.
        let model = crate::load(&design("20m", "1h")).model.expect("model");
        let t = figure(&design("20m", "1h"));
        let [lo, hi] = simulated_ci95(&model);
        let a = 1.0 - t.unavailability();
        assert!(lo <= a && a <= hi, "with timings {a} outside the simulated {lo}..{hi}");
    }

    /// A utility feed (30 d, repair `utility_mttr`, pinged: seen after 30 s) backed by a
    /// generator (start `start`, fails to start one time in five, 2 y / 8 h, polled each
    /// minute) and a UPS of `battery` before a server (`server_extra` added to it);
    /// everything else never fails.
    fn generator_design(utility_mttr: &str, start: &str, battery: &str, server_extra: &str) -> String {
        format!(
            r#"{{ "defaults": {{ "psu": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }},
               "process": {{ "availability": "100%" }}, "link": {{ "availability": "100%" }} }},
              "components": {{ "internet": {{ "kind": "entry" }},
                "utility": {{ "kind": "power-feed", "mtbf": "30d", "mttr": "{utility_mttr}" }},
                "genset": {{ "kind": "generator", "backs": "utility", "start": "{start}", "fail_to_start": 0.2, "mtbf": "2y", "mttr": "8h" }},
                "ups": {{ "kind": "ups", "feed": "utility", "battery_runtime": "{battery}", "availability": "100%" }},
                "sw": {{ "kind": "switch", "availability": "100%" }},
                "srv": {{ "kind": "server", "power": ["ups"], "nics": ["sw"], "runs": ["web"], "availability": "100%"{server_extra} }} }},
              "links": [ {{ "between": ["internet", "sw"] }} ],
              "monitors": {{ "m": {{ "method": "ping", "targets": ["utility"], "interval": "10s", "threshold": 3 }},
                            "p": {{ "method": "snmp-poll", "targets": ["genset"], "interval": "1m" }} }},
              "services": {{ "svc": {{ "from": "internet", "through": ["srv/web"] }} }} }}"#
        )
    }

    /// [`generator_design`]'s generator, unavailable on demand: failed (2 y / 8 h, its
    /// 1 min poll added to the repair) or failing to start (0.2), independently.
    fn genset_on_demand() -> f64 {
        let (hour, year) = (3600.0, 365.0 * 86_400.0);
        let u_gen = (60.0 + 8.0 * hour) / (2.0 * year + 60.0 + 8.0 * hour);
        1.0 - (1.0 - u_gen) * (1.0 - 0.2)
    }

    /// A utility feed with a standby generator that fails to start one time in five,
    /// behind a 10 min UPS; everything else never fails. The generator starts within
    /// the battery, so a utility outage alone costs nothing; with the generator down
    /// (failed, or failing to start: g = 1 − (1 − U_g)(1 − 0.2), U_g with its 1 min
    /// poll), an outage that outlasts the battery drops the server, which boots for
    /// 10 min once the utility returns. The exact part counts the pair's outage beyond
    /// the battery; the failover term adds the boot: rate_u · g · P(W > 10 min) · 600 s,
    /// W = 30 s (the utility's ping) + an exponential repair of 3 h. Left out before
    /// (the audit's design with this generator: 5% optimistic against `simulate`).
    #[test]
    fn the_boot_after_a_failed_generator_start_counts() {
        let text = &generator_design("3h", "10s", "10m", "");
        let (day, hour): (f64, f64) = (86_400.0, 3600.0);
        let g = genset_on_demand();
        let rate_u = 1.0 / (30.0 * day + 30.0 + 3.0 * hour);
        let outlasts = (-(600.0 - 30.0) / (3.0 * hour)).exp();
        let expected = rate_u * g * outlasts * 600.0;
        let t = figure(text);
        assert!((t.failover - expected).abs() < 1e-6 * expected, "failover term {:e} vs {expected:e}", t.failover);
        let model = crate::load(text).model.expect("model");
        let [lo, hi] = simulated_ci95(&model);
        let a = 1.0 - t.unavailability();
        assert!(lo <= a && a <= hi, "with timings {a} outside the simulated {lo}..{hi}");
    }

    /// The same feed with a 1 min battery and a generator that starts in 2 min, the
    /// repair 5 min: the battery runs out before the generator carries. With the
    /// generator running (chance 1 − g), an outage W = 30 s + Exp(5 min) beyond the
    /// battery drops the server until the feed or the generator returns, then it boots:
    /// min((W − 60 s)⁺, 60 s) + 600 s · [W > 60 s], whose mean is 300 (e^(−0.1) −
    /// e^(−0.3)) + 600 e^(−0.1); with it down (chance g) the exact part counts the
    /// outage and the boot is left: 600 e^(−0.1). The term is rate_u · ((1 − g) · the
    /// first + g · the second). Before, the first was counted with weight 1 and drilled
    /// at the stretch's mean, past the start (60 s + 600 s each time).
    #[test]
    fn a_battery_shorter_than_the_generator_start_counts_the_gap_with_the_generator_running() {
        let text = &generator_design("5m", "2m", "1m", r#", "restart": "10m""#);
        let day: f64 = 86_400.0;
        let g = genset_on_demand();
        let rate_u = 1.0 / (30.0 * day + 30.0 + 300.0);
        let outlasts = (-0.1f64).exp();
        let gap = 300.0 * ((-0.1f64).exp() - (-0.3f64).exp());
        let expected = rate_u * ((1.0 - g) * (gap + 600.0 * outlasts) + g * 600.0 * outlasts);
        let t = figure(text);
        assert!((t.failover - expected).abs() < 1e-6 * expected, "failover term {:e} vs {expected:e}", t.failover);
        let model = crate::load(text).model.expect("model");
        // 200,000 years: the term is 92% of the figure, so its sampling error
        // decides (100 × 100 years gave an interval 0.6% wide).
        let options = SimOptions { years: 1000, replications: 200, random_failures: true, ..DRILL_OPTIONS };
        let [lo, hi] = crate::simulate::simulate(&model, &options).services[0].availability_ci95;
        let a = 1.0 - t.unavailability();
        assert!(lo <= a && a <= hi, "with timings {a} outside the simulated {lo}..{hi}");
    }

    /// An MII bond without `primary` (Linux does not fail back), whose second switch's
    /// uplink fails once a year: MII cannot see it, so it takes the server down whenever
    /// the bond serves from eth1, and only then. Oracle: the simulator, which plays
    /// every failover and repair (100 replications × 100 years, the default seed). The
    /// figure drilled from the first member alone (as before the second member's state
    /// was drilled) is optimistic, outside the simulated 95% interval; with the second
    /// member's share it falls inside.
    #[test]
    fn a_bond_that_does_not_fail_back_is_drilled_from_its_second_nic() {
        let text = r#"{ "components": { "internet": { "kind": "entry" }, "gw": { "kind": "router" },
            "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
            "a": { "kind": "server", "runs": ["web"], "bond": { "to": ["sw-1", "sw-2"] } } },
          "links": [ { "between": ["internet", "gw"] }, { "id": "sw-1-uplink", "between": ["gw", "sw-1"] },
            { "id": "sw-2-uplink", "between": ["gw", "sw-2"], "mtbf": "1y" } ],
          "services": { "s": { "from": "internet", "through": ["a/web"] } } }"#;
        let model = crate::load(text).model.expect("model");
        let singles = crate::analysis::single_failures::single_failures(&model);
        let drills = Drills::run(&model);
        assert_eq!(drills.from_second.len(), 1);
        let bond = &drills.from_second[0];
        assert_eq!(model.element(bond.second).name, "a/eth1");
        // Symmetric sides, and the server's own failures restart the bond on eth0.
        assert!(bond.share > 0.0 && bond.share < 0.5, "share {}", bond.share);
        let figure =
            |d: &Drills| timed_figures(&model, &singles, &[true], &Options::default(), d).remove(0).expect("figure");
        let with_second = 1.0 - figure(&drills).unavailability();
        let mut first_only = drills.clone();
        first_only.from_second.clear();
        let first_only = 1.0 - figure(&first_only).unavailability();
        let [lo, hi] = simulated_ci95(&model);
        assert!(first_only > hi, "first member only {first_only} vs simulated [{lo}, {hi}]");
        assert!(lo <= with_second && with_second <= hi, "{with_second} vs simulated [{lo}, {hi}]");
        // sw-2's uplink is a single failure the failover does not see, from eth1.
        let unseen = unseen_single_failures(&model, &singles, &drills).expect("drilled");
        let uplink = unseen[0].iter().find(|u| model.element(u.element).name == "sw-2-uplink").expect("listed");
        let from = uplink.serving_from.expect("only from eth1");
        assert_eq!((from.group, from.member, from.share), (bond.group, bond.second, bond.share));
    }

    /// The simulated 95% interval of the first service's availability: 100 replications
    /// × 100 years, the default seed (`simulate`'s and `check`'s default run).
    fn simulated_ci95(model: &Model) -> [f64; 2] {
        let options = SimOptions {
            years: 100,
            replications: 100,
            seed: crate::simulate::DEFAULT_SEED,
            random_failures: true,
            ideal: false,
        };
        crate::simulate::simulate(model, &options).services[0].availability_ci95
    }

    /// VRRP without preemption whose first router tracks its uplink (FAULT mode): each
    /// failure of that uplink hands the role to gw-2, which keeps it, and there gw-2's
    /// own untracked uplink takes the service down. The tracked failures count in the
    /// first member's rate, so gw-2 serves most of the time. Oracle: the simulator (a
    /// share that left the tracked uplink out put the figure 40% optimistic on
    /// unavailability, outside the simulated interval; found by a new-user trial).
    #[test]
    fn a_tracked_failure_hands_over_in_the_share_of_a_group_that_does_not_fail_back() {
        let text = r#"{ "defaults": { "process": { "availability": "100%" } },
          "components": { "internet": { "kind": "entry" }, "gw-1": { "kind": "router" }, "gw-2": { "kind": "router" },
            "sw": { "kind": "switch" }, "app": { "kind": "server", "availability": "100%", "runs": ["web"], "nics": ["sw"] } },
          "links": [ { "id": "up-1", "between": ["internet", "gw-1"], "mtbf": "1y" },
            { "id": "up-2", "between": ["internet", "gw-2"], "mtbf": "1y" },
            { "between": ["gw-1", "sw"] }, { "between": ["gw-2", "sw"] } ],
          "groups": { "gw": { "kind": "vrrp", "members": ["gw-1", "gw-2"], "preempt": false, "track": { "gw-1": ["up-1"] } } },
          "monitors": { "ping": { "method": "ping", "targets": ["gw-1", "gw-2", "sw", "app"], "interval": "30s" } },
          "services": { "web": { "from": "internet", "through": ["gw", "app/web"] } } }"#;
        let model = crate::load(text).model.expect("model");
        let singles = crate::analysis::single_failures::single_failures(&model);
        let drills = Drills::run(&model);
        assert_eq!(drills.from_second.len(), 1);
        assert!(drills.from_second[0].share > 0.85, "share {}", drills.from_second[0].share);
        let figure = timed_figures(&model, &singles, &[true], &Options::default(), &drills).remove(0).unwrap();
        let [lo, hi] = simulated_ci95(&model);
        let a = 1.0 - figure.unavailability();
        assert!(lo <= a && a <= hi, "{a} vs simulated [{lo}, {hi}]");
    }

    /// VRRP without preemption, each router on the server switch by its own cable (the
    /// only elements that fail). A router whose cable there fails resigns (keepalived
    /// FAULT) and, without preemption, the other keeps the role after the repair, so
    /// the cables move the group as the routers' own failures would. Oracle: the closed
    /// form of that alternating renewal process: stints on the first member end at the
    /// rate r₁ of its cable's failures, stints on the second at r₂, so the second
    /// serves r₁ / (r₁ + r₂) of the time, rᵢ = 1 / (MTBFᵢ + MTTRᵢ). (Before the cable
    /// counted, no failure moved the group: no share at all.)
    #[test]
    fn a_segment_cable_failure_counts_in_the_share_of_a_group_that_does_not_fail_back() {
        let text = r#"{ "defaults": { "process": { "availability": "100%" }, "link": { "availability": "100%" }, "nic": { "availability": "100%" } },
          "components": { "internet": { "kind": "entry" },
            "gw-1": { "kind": "router", "availability": "100%" }, "gw-2": { "kind": "router", "availability": "100%" },
            "sw": { "kind": "switch", "availability": "100%" },
            "app": { "kind": "server", "availability": "100%", "runs": ["web"], "nics": ["sw"] } },
          "links": [ { "between": ["internet", "gw-1"] }, { "between": ["internet", "gw-2"] },
            { "id": "seg-1", "between": ["gw-1", "sw"], "mtbf": "8760h", "mttr": "4h" },
            { "id": "seg-2", "between": ["gw-2", "sw"], "mtbf": "17520h", "mttr": "8h" } ],
          "groups": { "gw": { "kind": "vrrp", "members": ["gw-1", "gw-2"], "preempt": false, "segment": ["sw"] } },
          "services": { "web": { "from": "internet", "through": ["gw", "app/web"] } } }"#;
        let model = crate::load(text).model.expect("model");
        let drills = Drills::run(&model);
        assert_eq!(drills.from_second.len(), 1);
        let (r1, r2) = (1.0 / (8760.0 + 4.0), 1.0 / (17520.0 + 8.0));
        let expected = r1 / (r1 + r2);
        let share = drills.from_second[0].share;
        assert!((share - expected).abs() < 1e-12, "share {share}, closed form {expected}");
    }

    /// The same pair with a 10-year takeover: the exact figure is 0.9888 (case 9); the
    /// first-order sum is far beyond its range, so the figure is capped and says so.
    #[test]
    fn a_takeover_longer_than_the_time_between_failures_is_flagged() {
        let text = include_str!("../../tests/cases/timed/failover-pair.jsonc").replace("\"60s\" }", "\"10y\" }");
        assert!(text.contains("\"10y\""));
        let t = figure(&text);
        assert!(!t.first_order_holds(), "failover term {}", t.failover);
        assert_eq!(t.unavailability(), 1.0);
    }

    /// Four pool members behind active-backup bonds (MII, no fail-back), the balancer
    /// cabled to both switches, which share no link. lb~sw-1's failure is unseen by a
    /// bond on eth0 and harmless to one on eth1; the service is down while every bond is
    /// on eth0. The bonds' states are independent, so the drill's outage is kept with
    /// probability Π (1 − share_g) = (1 − share)⁴, not 1 − 4 × share (which is below
    /// zero here and dropped the term to nothing).
    #[test]
    fn groups_that_do_not_fail_back_shorten_an_outage_together_not_additively() {
        let servers: Vec<String> = (1..=4)
            .map(|i| format!(r#""web-{i}": {{ "kind": "server", "runs": ["web"], "bond": {{ "mode": "active-backup", "to": ["sw-1", "sw-2"] }} }}"#))
            .collect();
        let text = format!(
            r#"{{ "defaults": {{ "server": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }},
                "process": {{ "availability": "100%" }}, "switch": {{ "availability": "100%" }},
                "load-balancer": {{ "availability": "100%" }}, "link": {{ "mtbf": "2y", "mttr": "2d" }} }},
              "components": {{ "internet": {{ "kind": "entry" }}, "lb": {{ "kind": "load-balancer" }},
                "sw-1": {{ "kind": "switch" }}, "sw-2": {{ "kind": "switch" }}, {},
                "db-1": {{ "kind": "server", "runs": ["db"], "nics": ["sw-1", "sw-2"] }} }},
              "links": [ {{ "between": ["internet", "lb"], "availability": "100%" }},
                {{ "between": ["lb", "sw-1"], "mtbf": "8760h", "mttr": "2h" }},
                {{ "between": ["lb", "sw-2"], "availability": "100%" }} ],
              "groups": {{ "pool": {{ "kind": "lb-pool", "balancer": "lb", "members": ["web-1/web", "web-2/web", "web-3/web", "web-4/web"] }} }},
              "services": {{ "app": {{ "from": "internet", "through": ["pool", "db-1/db"] }} }} }}"#,
            servers.join(", ")
        );
        let model = crate::load(&text).model.expect("model");
        let drills = Drills::run(&model);
        assert_eq!(drills.from_second.len(), 4, "{:?}", drills.from_second.iter().map(|f| f.group).collect::<Vec<_>>());
        let link = model.elements.iter().find(|e| e.name == "lb~sw-1").expect("link").id;
        let run = drills.runs.as_ref().expect("drilled").iter().find(|d| d.element == link).expect("drill");
        // From the all-up state (every bond on eth0) the drill is down for the whole
        // failure; from any bond's second NIC it is up.
        assert!((run.outage_secs[0] - run.window_secs).abs() < 1e-6, "{} vs {}", run.outage_secs[0], run.window_secs);
        for secs in &run.from_second_secs {
            assert_eq!(secs.as_ref().expect("drilled from the second NIC")[0], 0.0);
        }
        let kept: f64 = drills.from_second.iter().map(|f| 1.0 - f.share).product();
        assert!(
            drills.from_second.iter().all(|f| f.share > 0.25),
            "{:?}",
            drills.from_second.iter().map(|f| f.share).collect::<Vec<_>>()
        );
        let singles = crate::analysis::single_failures::single_failures(&model);
        let (_, contributors) = failover_term(&model, &singles, &drills, 0).expect("term");
        let c = contributors.iter().find(|c| c.element == "lb~sw-1").expect("lb~sw-1 contributes");
        let expected = run.window_secs * kept;
        assert!((c.outage_secs - expected).abs() < 1e-6 * expected, "{} vs {expected}", c.outage_secs);
        assert!(c.averaged_over_serving_member);
    }

    /// web-1's one-NIC-at-a-time bond spans two switches that share no link, the
    /// balancer on sw-1 only and the database on sw-2 only: no chain exists even with
    /// perfect failover, so the exact figure is 1 and the figure with timings is that
    /// same exact 1, not a bound on an election (SPOF-L033).
    #[test]
    fn a_service_down_even_with_perfect_failover_gets_an_exact_figure_not_a_bound() {
        let t = figure(
            r#"{ "components": { "internet": { "kind": "entry" }, "lb": { "kind": "load-balancer" },
                "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
                "web-1": { "kind": "server", "runs": ["web"], "bond": { "to": ["sw-1", "sw-2"] } },
                "db-1": { "kind": "server", "runs": ["db"], "nics": ["sw-2"] } },
              "links": [ { "between": ["internet", "lb"] }, { "between": ["lb", "sw-1"] } ],
              "services": { "s": { "from": "internet", "through": ["lb", "web-1/web", "db-1/db"] } } }"#,
        );
        assert!(!t.down_as_elected);
        assert_eq!(t.unavailability(), 1.0);
        assert_eq!(t.failover, 0.0);
    }
}
