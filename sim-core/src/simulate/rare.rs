//! Rare-event estimation of steady-state unavailability for designs that almost never
//! fail, where crude simulation sees no outage at all.
//!
//! Method: regenerative importance sampling with forced, balanced failure biasing.
//! - A *cycle* runs from the regeneration state (everything up, nothing in progress,
//!   every group in its initial role) back to it. Steady-state unavailability is the
//!   ratio U = E[downtime in a cycle] / E[cycle length] (the regenerative method,
//!   Crane & Iglehart 1975).
//! - Away from all-up, the engine forces a failure before the next queued event (a
//!   repair, a detector or failover timer) with probability
//!   max(P(original), min([`FORCE_PROBABILITY`], 1 − e^(−β·Δ))), Δ the time to that
//!   event and β = [`FORCE_RATE_PER_REPAIR`] over the mean repair time (forcing: Lewis
//!   & Böhm 1984), and picks the failing element half uniformly, half by its rate
//!   (balanced failure biasing: Shahabuddin 1994, Management Science 40(3)). In the
//!   all-up state failures come as they are.
//! - Each cycle carries the likelihood ratio of those choices (engine/cycles.rs); every
//!   factor is bounded, whatever the repair times. Σ L·D / Σ L·T is a consistent
//!   estimator of U whatever the biasing; the biasing decides only its variance.
//!   Protocol timings, detectors, rebuilds and every other mechanism run unchanged.
//! - The 95% interval is the delta-method interval of the ratio estimator over cycles
//!   (Glynn & Iglehart 1989, "Importance sampling for stochastic simulations",
//!   Management Science 35(11)). The report gives the effective sample size, the mean
//!   and variance of the likelihood ratio (1 in expectation), and says plainly when the
//!   figure should not be trusted.
//!
//! Requires exponential lifetimes (memoryless, so running clocks can be redrawn at a
//! new rate): [`unsupported`] lists the elements that are not. Batches of cycles are
//! the unit of work and of sharding: batch `i` uses random stream `(seed, i)` and its
//! sums are added in index order, so any thread count and any shard split give the
//! same bytes.

use serde::{Deserialize, Serialize};

use super::{engine, Compiled, YEAR_SECS};
use crate::model::{Distribution, Model};

/// Cycles in one batch (the last batch may hold fewer).
pub const CYCLES_PER_BATCH: u64 = 1000;
/// The default number of cycles of `simulate --rare-event`.
pub const DEFAULT_CYCLES: u64 = 200_000;
/// The most a failure is forced before the next queued event, away from all-up, in
/// the order a pilot run tries them ([`choose_force_cap`]). 1/2 is the failure-biasing
/// probability of Shahabuddin (1994); each wait without a forced failure multiplies the
/// likelihood ratio by up to 1/(1 − cap), so designs with many long waits per
/// excursion (several repairs, failovers that do not fail back) need a smaller cap.
pub const FORCE_CAPS: [f64; 3] = [0.5, 0.25, 0.1];
/// A cap is kept when its pilot's likelihood ratios have at most this variance.
pub const MAX_PILOT_RATIO_VARIANCE: f64 = 2.0;
/// Cycles of each pilot run.
pub const PILOT_CYCLES: u64 = 10_000;
/// A cycle with more events than this is cut short (and the estimate flagged): a guard
/// against designs that rarely or never return to their initial roles.
pub const MAX_EVENTS_PER_CYCLE: u64 = 20_000;
/// The likelihood ratios' variance above which an estimate is called unreliable.
pub const MAX_RATIO_VARIANCE: f64 = 10.0;
/// Away from all-up, failures are forced at this many per mean repair time (β·τ),
/// capped per wait by one of [`FORCE_CAPS`]. Tuned on the closed forms of
/// `simulate/tests.rs`: 0.5 gave the smallest interval per second among 0.5, 1 and 2
/// (±2.8% against ±3.0% and ±3.4% for 10⁶ cycles of the 1-of-3 pool, U = 1e-9).
pub const FORCE_RATE_PER_REPAIR: f64 = 0.5;
/// Below this many cycles with downtime (or this effective sample size) an estimate is
/// called unreliable.
pub const MIN_CYCLES_SEEN: u64 = 30;

/// What the estimator reports about how it measured.
pub const ESTIMATOR: &str = "regenerative importance sampling: failures forced before each queued event (0.5 per mean \
     repair time, capped per wait), half balanced, half by rate; delta-method 95% interval over cycles";

/// Σx, Σx² and Σx·(L·T) of one per-cycle quantity x (already weighted by L).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    pub sum: f64,
    pub sum_sq: f64,
    pub sum_with_length: f64,
}

impl Moments {
    fn add(&mut self, x: f64, weighted_length: f64) {
        self.sum += x;
        self.sum_sq += x * x;
        self.sum_with_length += x * weighted_length;
    }

    fn merge(&mut self, other: &Moments) {
        self.sum += other.sum;
        self.sum_sq += other.sum_sq;
        self.sum_with_length += other.sum_with_length;
    }
}

/// One service's sums over a batch's cycles.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RareServiceSums {
    /// L · seconds down (no request served).
    pub down: Moments,
    /// L · seconds below full service (what the static analysis counts).
    pub not_full: Moments,
    /// L · outages started.
    pub outages: Moments,
    pub cycles_down: u64,
    pub cycles_not_full: u64,
}

/// The sums of one batch of cycles: the unit of work, of sharding and of merging.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RareBatch {
    pub index: u64,
    pub cycles: u64,
    /// Cycles cut short before they returned to the regeneration state.
    pub truncated: u64,
    pub events: u64,
    /// The design replicates data (a data set with two or more copies): see
    /// [`RareReport::notes`].
    #[serde(default)]
    pub replicated_data: bool,
    /// The design restores data from scheduled backups: see [`RareReport::notes`].
    #[serde(default)]
    pub scheduled_backups: bool,
    /// The most a failure was forced per wait ([`FORCE_CAPS`], chosen by the pilot).
    #[serde(default)]
    pub force_cap: f64,
    /// L · cycle length (seconds).
    pub length: Moments,
    /// The likelihood ratio L itself.
    pub ratio: Moments,
    pub services: Vec<RareServiceSums>,
}

/// One finished cycle, as the engine hands it over.
pub(super) struct CycleSums<'a> {
    pub ratio: f64,
    pub length_secs: f64,
    pub down_secs: &'a [f64],
    pub not_full_secs: &'a [f64],
    pub outages: &'a [f64],
}

impl RareBatch {
    pub(super) fn new(index: u64, services: usize) -> RareBatch {
        RareBatch {
            index,
            cycles: 0,
            truncated: 0,
            events: 0,
            replicated_data: false,
            scheduled_backups: false,
            force_cap: 0.0,
            length: Moments::default(),
            ratio: Moments::default(),
            services: vec![RareServiceSums::default(); services],
        }
    }

    pub(super) fn add_cycle(&mut self, c: &CycleSums) {
        let lt = c.ratio * c.length_secs;
        self.cycles += 1;
        self.length.add(lt, lt);
        self.ratio.add(c.ratio, lt);
        for (s, sums) in self.services.iter_mut().enumerate() {
            sums.down.add(c.ratio * c.down_secs[s], lt);
            sums.not_full.add(c.ratio * c.not_full_secs[s], lt);
            sums.outages.add(c.ratio * c.outages[s], lt);
            sums.cycles_down += u64::from(c.down_secs[s] > 0.0);
            sums.cycles_not_full += u64::from(c.not_full_secs[s] > 0.0);
        }
    }
}

/// Elements the estimator cannot bias, with why: lifetimes that are not exponential.
/// Empty when the design is fit for it.
pub fn unsupported(model: &Model) -> Vec<String> {
    let mut out: Vec<String> = model
        .elements
        .iter()
        .filter_map(|e| {
            let f = e.failure?;
            let shape = match f.distribution {
                Distribution::Exponential => return None,
                Distribution::Weibull { shape } => format!("Weibull (shape {shape})"),
                Distribution::Lognormal { sigma } => format!("lognormal (sigma {sigma})"),
            };
            Some(format!("{}: {shape} lifetimes are not memoryless", e.name))
        })
        .collect();
    out.sort();
    out
}

/// The biased total failure rate β away from all-up: [`FORCE_RATE_PER_REPAIR`] over
/// the mean repair time of a failure (MTTR weighted by failure rate), per second.
pub fn force_rate(model: &Model) -> f64 {
    let failing: Vec<(f64, f64)> =
        model.elements.iter().filter_map(|e| e.failure.map(|f| (1.0 / f.mtbf_secs, f.mttr_secs))).collect();
    let total: f64 = failing.iter().map(|(l, _)| l).sum();
    if total <= 0.0 {
        return 0.0;
    }
    let mean_repair = failing.iter().map(|(l, r)| l * r).sum::<f64>() / total;
    FORCE_RATE_PER_REPAIR / mean_repair.max(1e-9)
}

/// How many cycles batch `index` of a `cycles`-cycle run holds.
pub fn batch_cycles(index: u64, cycles: u64) -> u64 {
    cycles.saturating_sub(index * CYCLES_PER_BATCH).min(CYCLES_PER_BATCH)
}

/// How many batches a `cycles`-cycle run has.
pub fn batch_count(cycles: u64) -> u64 {
    cycles.div_ceil(CYCLES_PER_BATCH)
}

/// Runs batches `range` of a `cycles`-cycle run, in index order (on the rayon pool with
/// the `parallel` feature), calling `done` after each. `compiled` must be built with
/// random failures on.
pub fn run_batches(
    compiled: &Compiled,
    range: std::ops::Range<u64>,
    cycles: u64,
    force_cap: f64,
    done: &(dyn Fn() + Sync),
) -> Vec<RareBatch> {
    run_indexed(compiled, range.collect(), &|i| batch_cycles(i, cycles), force_cap, done)
}

/// Batches `indices` (on the rayon pool with the `parallel` feature), in that order.
fn run_indexed(
    compiled: &Compiled,
    indices: Vec<u64>,
    cycles_of: &(dyn Fn(u64) -> u64 + Sync),
    force_cap: f64,
    done: &(dyn Fn() + Sync),
) -> Vec<RareBatch> {
    let one = |i: u64| {
        let mut b = engine::run_cycles(compiled, i, cycles_of(i), force_cap);
        b.force_cap = force_cap;
        b.replicated_data = compiled.data_sets.iter().any(|d| d.copies.len() > 1);
        b.scheduled_backups = compiled.data_sets.iter().any(|d| !d.backups.0.is_empty());
        done();
        b
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        indices.par_iter().map(|&i| one(i)).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        indices.into_iter().map(one).collect()
    }
}

/// The largest of [`FORCE_CAPS`] whose pilot run ([`PILOT_CYCLES`] cycles, or the
/// run's own count when smaller, on random
/// streams of their own, apart from the run's) gives likelihood ratios with variance at
/// most [`MAX_PILOT_RATIO_VARIANCE`]; the smallest when none does. Every shard computes
/// the same choice, so shards still merge byte for byte.
pub fn choose_force_cap(compiled: &Compiled, cycles: u64) -> f64 {
    // Never longer than the run itself.
    let pilot_batches = batch_count(PILOT_CYCLES.min(cycles));
    for (k, &cap) in FORCE_CAPS.iter().enumerate() {
        // Streams far from the run's batches (which count up from 0).
        let first = u64::MAX / 2 + k as u64 * pilot_batches;
        let batches =
            run_indexed(compiled, (first..first + pilot_batches).collect(), &|_| CYCLES_PER_BATCH, cap, &|| {});
        let (n, sum, sum_sq) = batches
            .iter()
            .fold((0.0, 0.0, 0.0), |(n, s, q), b| (n + b.cycles as f64, s + b.ratio.sum, q + b.ratio.sum_sq));
        let variance = if n > 1.0 { (sum_sq - sum * sum / n) / (n - 1.0) } else { 0.0 };
        if variance <= MAX_PILOT_RATIO_VARIANCE {
            return cap;
        }
    }
    FORCE_CAPS[FORCE_CAPS.len() - 1]
}

/// An estimate with its 95% interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    pub value: f64,
    pub ci95: [f64; 2],
    /// Half-width over the value (`null`/infinite when the value is 0).
    pub relative_half_width: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RareServiceStats {
    pub name: String,
    /// Fraction of time down (no request served).
    pub unavailability: Estimate,
    /// Fraction of time below full service: what `analyze` computes.
    pub full_service_unavailability: Estimate,
    pub downtime_secs_per_year: f64,
    pub outages_per_year: Estimate,
    /// Cycles in which the service was down at all.
    pub cycles_with_downtime: u64,
    /// (Σ L·D)² / Σ (L·D)²: how many equal cycles the estimate is worth.
    pub effective_sample_size: f64,
    /// The estimate can be trusted (see `warnings` when not).
    pub reliable: bool,
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RareReport {
    pub scenario: String,
    pub estimator: &'static str,
    pub seed: u64,
    pub cycles: u64,
    pub batches: u64,
    pub truncated_cycles: u64,
    pub ideal: bool,
    pub events: u64,
    /// The most a failure was forced per wait, as the pilot run chose it.
    pub force_cap: f64,
    pub mean_cycle_secs: f64,
    /// Mean of the cycles' likelihood ratios: 1 in expectation; far from 1 means the
    /// biasing is too strong for the design.
    pub likelihood_ratio_mean: f64,
    pub likelihood_ratio_variance: f64,
    /// Assumptions the figures rest on beyond exponential lifetimes, with the size or
    /// direction of their error where known.
    pub notes: Vec<String>,
    pub services: Vec<RareServiceStats>,
}

/// The assumptions of a run (see [`RareReport::notes`]).
fn notes(replicated_data: bool, scheduled_backups: bool) -> Vec<String> {
    let mut notes = Vec::new();
    if scheduled_backups {
        notes.push(
            "backups run on a wall-clock schedule, which a cycle's start does not reset: the schedule's phase at a cycle \
             start is taken as it comes, not averaged; only outages and losses that restore from backup depend on it"
                .to_string(),
        );
    }
    if replicated_data {
        notes.push(
            "a cycle ends when every element is up and every group holds its first role, wherever a data set's primary copy \
             is then (the simulator leaves it where a failover put it): exact when the copies are alike; otherwise only \
             outages that restore data from backup depend on which copy is primary"
                .to_string(),
        );
    }
    notes
}

/// The ratio estimate ΣY / ΣT and its delta-method interval over `n` cycles.
fn ratio_estimate(y: &Moments, t: &Moments, n: f64) -> Estimate {
    if n < 2.0 || t.sum <= 0.0 {
        return Estimate { value: 0.0, ci95: [0.0, 0.0], relative_half_width: f64::INFINITY };
    }
    let value = y.sum / t.sum;
    let (ybar, tbar) = (y.sum / n, t.sum / n);
    let s_yy = y.sum_sq - n * ybar * ybar;
    let s_yt = y.sum_with_length - n * ybar * tbar;
    let s_tt = t.sum_sq - n * tbar * tbar;
    let var = ((s_yy - 2.0 * value * s_yt + value * value * s_tt) / (n - 1.0)).max(0.0);
    let half = 1.959_964 * (var / n).sqrt() / tbar;
    let relative_half_width = if value > 0.0 { half / value } else { f64::INFINITY };
    Estimate { value, ci95: [(value - half).max(0.0), value + half], relative_half_width }
}

/// The report over `batches` (any order) of a run of scenario `scenario`.
pub fn aggregate(
    scenario: &str,
    service_names: &[String],
    seed: u64,
    ideal: bool,
    batches: &[RareBatch],
) -> RareReport {
    let mut batches: Vec<&RareBatch> = batches.iter().collect();
    batches.sort_by_key(|b| b.index);
    let mut length = Moments::default();
    let mut ratio = Moments::default();
    let mut services = vec![RareServiceSums::default(); service_names.len()];
    let (mut cycles, mut truncated, mut events) = (0u64, 0u64, 0u64);
    for b in &batches {
        cycles += b.cycles;
        truncated += b.truncated;
        events += b.events;
        length.merge(&b.length);
        ratio.merge(&b.ratio);
        for (acc, s) in services.iter_mut().zip(&b.services) {
            acc.down.merge(&s.down);
            acc.not_full.merge(&s.not_full);
            acc.outages.merge(&s.outages);
            acc.cycles_down += s.cycles_down;
            acc.cycles_not_full += s.cycles_not_full;
        }
    }
    let n = cycles as f64;
    let lr_mean = if cycles > 0 { ratio.sum / n } else { 1.0 };
    let lr_var = if cycles > 1 { ((ratio.sum_sq - n * lr_mean * lr_mean) / (n - 1.0)).max(0.0) } else { 0.0 };
    // The ratios average to 1 in expectation; beyond 4 standard errors they do not.
    let lr_off = cycles > 1 && (lr_mean - 1.0).abs() > 4.0 * (lr_var / n).sqrt().max(1e-12);
    let mut order: Vec<usize> = (0..service_names.len()).collect();
    order.sort_by(|&a, &b| service_names[a].cmp(&service_names[b]));
    let services = order
        .into_iter()
        .map(|s| {
            let sums = &services[s];
            let unavailability = ratio_estimate(&sums.down, &length, n);
            let full = ratio_estimate(&sums.not_full, &length, n);
            let per_year = ratio_estimate(&sums.outages, &length, n);
            let outages_per_year = Estimate {
                value: per_year.value * YEAR_SECS,
                ci95: [per_year.ci95[0] * YEAR_SECS, per_year.ci95[1] * YEAR_SECS],
                relative_half_width: per_year.relative_half_width,
            };
            // Judged on the headline figure (down), and on the full-service one beside it.
            let ess = if sums.down.sum_sq > 0.0 { sums.down.sum * sums.down.sum / sums.down.sum_sq } else { 0.0 };
            let mut warnings = Vec::new();
            if sums.cycles_down == 0 && sums.cycles_not_full > 0 {
                warnings.push(format!(
                    "no cycle of {cycles} saw the service down (only below full service): the unavailability cannot be given"
                ));
            } else if sums.cycles_down > 0 && sums.cycles_down < MIN_CYCLES_SEEN {
                warnings.push(format!(
                    "only {} of {cycles} cycles saw the service down: too few to trust the interval; run more cycles (--cycles)",
                    sums.cycles_down
                ));
            }
            if cycles == 0 {
                warnings.push(
                    "no cycle ended: nothing in the design fails (every element at 100%), so the service is never down, or no cycles were asked for; there is no interval to give".into(),
                );
            } else if sums.cycles_not_full == 0 {
                warnings.push(format!(
                    "no cycle of {cycles} left full service, even with failures biased: no figure can be given (no single or multiple failure seen brought it down)"
                ));
            } else if sums.cycles_not_full < MIN_CYCLES_SEEN {
                warnings.push(format!(
                    "only {} of {cycles} cycles saw the service below full service: too few to trust the interval; run more cycles (--cycles)",
                    sums.cycles_not_full
                ));
            }
            if sums.cycles_down > 0 && ess < MIN_CYCLES_SEEN as f64 {
                warnings.push(format!(
                    "a few cycles carry the estimate (effective sample size {ess:.1}): the likelihood ratios vary too much to trust the interval"
                ));
            }
            if unavailability.relative_half_width > 0.5 && unavailability.value > 0.0 {
                warnings.push(format!(
                    "the 95% interval of the unavailability is ±{:.0}% of the estimate",
                    100.0 * unavailability.relative_half_width
                ));
            }
            if full.relative_half_width > 0.5 && full.value > 0.0 {
                warnings.push(format!(
                    "the 95% interval below full service is ±{:.0}% of the estimate",
                    100.0 * full.relative_half_width
                ));
            }
            if truncated > 0 {
                warnings.push(format!("{truncated} cycle(s) never returned to the all-up state and were cut short"));
            }
            if lr_var > MAX_RATIO_VARIANCE {
                warnings.push(format!(
                    "the likelihood ratios' variance is {lr_var:.1} (above {MAX_RATIO_VARIANCE}): rare, heavily weighted cycles decide the figure, which is then usually too low"
                ));
            }
            if lr_off && truncated == 0 {
                warnings.push(format!(
                    "the likelihood ratios average {lr_mean:.4}, not 1: the biasing is too strong for this design"
                ));
            }
            RareServiceStats {
                name: service_names[s].clone(),
                downtime_secs_per_year: unavailability.value * YEAR_SECS,
                unavailability,
                full_service_unavailability: full,
                outages_per_year,
                cycles_with_downtime: sums.cycles_down,
                effective_sample_size: ess,
                reliable: warnings.is_empty(),
                warnings,
            }
        })
        .collect();
    RareReport {
        scenario: scenario.to_string(),
        estimator: ESTIMATOR,
        seed,
        cycles,
        batches: batches.len() as u64,
        truncated_cycles: truncated,
        ideal,
        events,
        force_cap: batches.first().map_or(0.0, |b| b.force_cap),
        mean_cycle_secs: if cycles > 0 { length.sum / n } else { 0.0 },
        likelihood_ratio_mean: lr_mean,
        likelihood_ratio_variance: lr_var,
        notes: notes(batches.iter().any(|b| b.replicated_data), batches.iter().any(|b| b.scheduled_backups)),
        services,
    }
}

/// A whole rare-event run of `cycles` cycles under `seed` (`ideal`: no delays, as in
/// [`super::SimOptions::ideal`]), on the current rayon pool.
pub fn estimate(model: &Model, seed: u64, cycles: u64, ideal: bool) -> RareReport {
    let compiled = Compiled::new(model, options(seed, cycles, ideal));
    let cap = choose_force_cap(&compiled, cycles);
    let batches = run_batches(&compiled, 0..batch_count(cycles), cycles, cap, &|| {});
    aggregate(&model.name, &super::service_names(model), seed, ideal, &batches)
}

/// The simulator options a rare-event run compiles its model with.
pub fn options(seed: u64, cycles: u64, ideal: bool) -> super::SimOptions {
    super::SimOptions { years: 1, replications: batch_count(cycles), seed, random_failures: true, ideal }
}
