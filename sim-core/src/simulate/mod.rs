//! The discrete-event simulator: years of failures and repairs with real failover
//! timings, measured per service.
//!
//! Pipeline: [`Model`] → [`Compiled`] (circuit + timing parameters, built once and
//! shared by every replication) → one [`engine`] run per replication → a
//! [`ReplicationRecord`] each → [`aggregate`] → [`SimReport`]. A replication depends
//! only on `(seed, index)`, and aggregation always runs over the records in index
//! order, so one run, any thread count, and shards merged later give byte-identical
//! reports.
//!
//! Timing behaviour comes from the mechanisms: each group kind declares a
//! [`SimProfile`] in its mechanism file ([`crate::mechanisms::profile`]): its
//! [`Behaviour`] and typed timing, with its delays in the group's switchover.

mod behaviours;
mod circuit;
pub use behaviours::data;
mod engine;
mod notes;
mod params;
mod profile;
pub mod rare;
pub mod record;
mod sample;
pub mod shard;
pub mod spanning_tree;
pub mod years;

#[cfg(test)]
mod tests;

pub use data::{BackupPlan, Backups};
pub use params::{Compiled, GroupParams};
pub use profile::{RebuildTiming, SimProfile, StpTimers};
pub use record::{
    aggregate, dual_master_caveat, Aggregate, AttributionRow, Interval, IntervalState, ReplicationRecord,
    ServiceRecord, ServiceStats, SimReport, OUTAGE_BINS,
};
pub use spanning_tree::{converged, Belief, Roles};

use crate::model::Model;

/// Seconds in a simulated year (8,760 hours, as availability tables count).
pub const YEAR_SECS: f64 = 8760.0 * 3600.0;

/// The default seed, so CI runs are stable unless told otherwise.
pub const DEFAULT_SEED: u64 = 20_261_122;
/// The default run size of `simulate`, `check` and `report` alike (100 × 100 = 10,000
/// simulated years), so the three show the same figure for one design.
pub const DEFAULT_YEARS: u32 = 100;
pub const DEFAULT_REPLICATIONS: u64 = 100;

/// How a group behaves over time when members fail and return.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Behaviour {
    /// Members serve together; a loss is absorbed with no gap while `need` remain
    /// (LACP bond, shared-everything cluster, round-robin multipath).
    Absorb,
    /// One member serves. Its loss must be seen by the group's detector; then the group
    /// is down for detect + takeover (VRRP, HSRP, active-backup bond, cluster, GSLB).
    Switchover,
    /// Members share the requests. A lost member's share fails until the detector takes
    /// it out of rotation; below `need` members the capacity falls short (load-balancer
    /// pool, DNS round robin, shared-nothing cluster). The service is degraded, not down.
    Share,
    /// RAID: a lost disk's slot is back only after a rebuild (onto a hot spare at once,
    /// or onto the replacement); beyond tolerance the data is lost and restored from backup.
    Rebuild,
    /// STP: a change of the active tree stops the switches whose root port changed while
    /// they reconverge.
    Reconverge,
    /// Replication: the first working member is the primary; when it is lost, async
    /// replication loses its lag.
    Primary,
}

/// What to simulate.
#[derive(Clone, Debug, PartialEq)]
pub struct SimOptions {
    pub years: u32,
    pub replications: u64,
    pub seed: u64,
    /// Random failures on (off: only the scenario's drills happen, for exact timings).
    pub random_failures: bool,
    /// Every detection and failover delay zero and every detector perfect, while RAID
    /// rebuilds, hot spares, UPS batteries, cold standby and repair crews stay: the
    /// analyzer's model, used to check the simulator against the exact figures.
    pub ideal: bool,
}

impl Default for SimOptions {
    fn default() -> SimOptions {
        SimOptions {
            years: DEFAULT_YEARS,
            replications: DEFAULT_REPLICATIONS,
            seed: DEFAULT_SEED,
            random_failures: true,
            ideal: false,
        }
    }
}

/// Runs replications `range` (in index order) of `compiled`. With the `parallel`
/// feature they run on the current rayon pool; the records come back in index order
/// either way.
pub fn run_replications(compiled: &Compiled, range: std::ops::Range<u64>) -> Vec<ReplicationRecord> {
    run_replications_with(compiled, range, &|| {})
}

/// [`run_replications`], calling `done` after each replication (for progress bars).
pub fn run_replications_with(
    compiled: &Compiled,
    range: std::ops::Range<u64>,
    done: &(dyn Fn() + Sync),
) -> Vec<ReplicationRecord> {
    let one = |i: u64| {
        let r = engine::run(compiled, i);
        done();
        r
    };
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        let indices: Vec<u64> = range.collect();
        indices.par_iter().map(|&i| one(i)).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        range.map(one).collect()
    }
}

/// Replications held in memory at once by [`run_folded`]: two per thread, enough to
/// keep every core busy, few enough that a run of any length needs the same memory.
fn fold_chunk() -> u64 {
    #[cfg(feature = "parallel")]
    let threads = rayon::current_num_threads() as u64;
    #[cfg(not(feature = "parallel"))]
    let threads = 1;
    2 * threads
}

/// Runs replications `range` of `compiled` and folds them into an [`Aggregate`] in index
/// order, a chunk at a time, calling `done` after each replication. Memory is
/// O(services × histogram buckets + chunk), whatever the run's length; the result is
/// the one [`aggregate`] gives over [`run_replications`]' records, bit for bit.
pub fn run_folded(compiled: &Compiled, range: std::ops::Range<u64>, done: &(dyn Fn() + Sync)) -> Aggregate {
    let mut fold = Aggregate::new(compiled.model.services.len());
    let chunk = fold_chunk();
    let mut start = range.start;
    while start < range.end {
        let end = (start + chunk).min(range.end);
        for r in run_replications_with(compiled, start..end, done) {
            fold.add(&r);
        }
        start = end;
    }
    fold
}

/// The worst simulated year of each service (most downtime; the earliest on ties):
/// its replication, its year (0-based) and its intervals with times measured from the
/// start of that year. `worst` is [`Aggregate::worst_years`] of a run of `compiled`;
/// each replication named is run again with the same random stream, so the intervals
/// are those the run counted.
pub fn worst_year_timelines(compiled: &Compiled, worst: &[(u64, u32, f64)]) -> Vec<WorstYear> {
    let mut reruns: std::collections::BTreeMap<(u64, u32), ReplicationRecord> = std::collections::BTreeMap::new();
    worst
        .iter()
        .enumerate()
        .map(|(s, &(replication, year, down_secs))| {
            let record =
                reruns.entry((replication, year)).or_insert_with(|| engine::run_for_year(compiled, replication, year));
            let start = f64::from(year) * YEAR_SECS;
            let intervals = record.services[s]
                .timeline
                .iter()
                .map(|iv| Interval {
                    start_secs: (iv.start_secs - start).max(0.0),
                    end_secs: (iv.end_secs - start).min(YEAR_SECS),
                    ..iv.clone()
                })
                .collect();
            WorstYear { replication, year, down_secs: down_secs.max(0.0), intervals }
        })
        .collect()
}

/// One service's worst simulated year ([`worst_year_timelines`]).
#[derive(Clone, Debug, PartialEq)]
pub struct WorstYear {
    pub replication: u64,
    pub year: u32,
    pub down_secs: f64,
    /// Times from the start of that year.
    pub intervals: Vec<Interval>,
}

/// Runs every replication and aggregates them.
pub fn simulate(model: &Model, options: &SimOptions) -> SimReport {
    simulate_reporting(model, options, &|| {})
}

/// [`simulate`], calling `done` once per finished replication (for a progress bar; from
/// any worker thread). The report does not depend on it.
pub fn simulate_reporting(model: &Model, options: &SimOptions, done: &(dyn Fn() + Sync)) -> SimReport {
    let compiled = Compiled::new(model, options.clone());
    run_folded(&compiled, 0..options.replications, done)
        .report(&model.name, &service_names(model), options)
        .with_notes(compiled.approximations())
}

/// Per service (index order): the elements and the groups its result depends on, its
/// dependency cone (as the simulator's attribution takes it: needs, with the NICs and
/// cables that attach them to the network), each as a mask by index.
pub fn service_cones(model: &Model) -> Vec<(Vec<bool>, Vec<bool>)> {
    let circuit = circuit::Circuit::new(model);
    (0..model.services.len())
        .map(|s| {
            let mut groups = vec![false; model.groups.len()];
            for g in &circuit.service_groups[s] {
                groups[g.0 as usize] = true;
            }
            (circuit.service_elements[s].clone(), groups)
        })
        .collect()
}

/// When a single failure starts in a [`single_failure_downtime`] drill (after every
/// group has settled from time 0).
const SINGLE_FAILURE_AT_SECS: f64 = 3600.0;

/// Seconds each service is down (in service index order) when `element` alone fails
/// from the all-up state for `for_secs` and is then back, with every mechanism's
/// timing: a drill run on `compiled`, whose options must have random failures off.
/// The run lasts until a year after the return, so delays up to a year are seen whole.
/// With `read_error`, the rebuild the failure starts meets an unrecoverable read error
/// when it has no redundancy left (`mechanisms::raid`).
pub fn single_failure_downtime(
    compiled: &mut Compiled,
    element: crate::model::ElementId,
    for_secs: f64,
    read_error: bool,
) -> Vec<f64> {
    compiled.forced_read_errors = if read_error { vec![element.0] } else { Vec::new() };
    set_failure_downtime(compiled, &[element], for_secs)
}

/// As [`single_failure_downtime`] (no read errors), with every element of `elements`
/// failed at the same instant for the same `for_secs`.
pub fn failure_set_downtime(compiled: &mut Compiled, elements: &[crate::model::ElementId], for_secs: f64) -> Vec<f64> {
    compiled.forced_read_errors = Vec::new();
    set_failure_downtime(compiled, elements, for_secs)
}

fn set_failure_downtime(compiled: &mut Compiled, elements: &[crate::model::ElementId], for_secs: f64) -> Vec<f64> {
    debug_assert!(!compiled.options.random_failures);
    compiled.drills = elements.iter().map(|e| (e.0, SINGLE_FAILURE_AT_SECS, for_secs)).collect();
    compiled.options.years = ((SINGLE_FAILURE_AT_SECS + for_secs) / YEAR_SECS).ceil() as u32 + 1;
    let record = engine::run(compiled, 0);
    record.services.iter().map(|s| s.years.down_secs()).collect()
}

/// In a [`single_failure_downtime_after`] drill, how long after the members ahead
/// return the failure starts: time for the failover and what it sets off to settle.
const SETTLE_SECS: f64 = 3600.0;

/// Each service's downtime (in service index order) over a drill that first fails the
/// members in `ahead` together for `ahead_secs` and returns them, so that a group that
/// does not fail back is left serving from the member after them, then fails the
/// `elements` (none, one or several, together) for `for_secs` once that has settled. The caller subtracts the run
/// without `element` to keep the failure's own part. Options as for
/// [`single_failure_downtime`].
pub fn single_failure_downtime_after(
    compiled: &mut Compiled,
    ahead: &[crate::model::ElementId],
    ahead_secs: f64,
    elements: &[crate::model::ElementId],
    for_secs: f64,
) -> Vec<f64> {
    debug_assert!(!compiled.options.random_failures);
    let at_secs = SINGLE_FAILURE_AT_SECS + ahead_secs + SETTLE_SECS;
    let mut drills: Vec<(u32, f64, f64)> = ahead.iter().map(|m| (m.0, SINGLE_FAILURE_AT_SECS, ahead_secs)).collect();
    drills.extend(elements.iter().map(|e| (e.0, at_secs, for_secs)));
    compiled.drills = drills;
    compiled.forced_read_errors = Vec::new();
    compiled.options.years = ((at_secs + for_secs) / YEAR_SECS).ceil() as u32 + 1;
    let record = engine::run(compiled, 0);
    record.services.iter().map(|s| s.years.down_secs()).collect()
}

/// The outage that pools' quiet stretches cause (`behaviours::pool`), for the pools
/// sharing one period.
#[derive(Clone, Debug, PartialEq)]
pub struct QuietOutage {
    /// Seconds between the ends of two stretches.
    pub every_secs: f64,
    /// The pools with this period whose idle connections a firewall drops, in element
    /// order.
    pub pools: Vec<crate::model::ElementId>,
    /// Per service (index order): seconds down after one stretch's end, with nothing
    /// failed.
    pub down_secs: Vec<f64>,
}

/// Per period of the pools' quiet stretches that leave their connections dead (sorted by
/// period): each service's outage after one end, from the all-up state with every
/// mechanism's timing. The pools sharing a period end their stretches together (the
/// same night for every owner), so a tier whose members' pools all hang at once is
/// down. Pools of different periods are played apart. One run per period and a
/// baseline without the stretches; `compiled` as for [`single_failure_downtime`], its
/// pools and quiet ends restored on return.
pub fn quiet_outages(compiled: &mut Compiled) -> Vec<QuietOutage> {
    debug_assert!(!compiled.options.random_failures);
    let saved = compiled.pools.clone();
    let saved_ends = compiled.quiet_ends;
    let quiet: Vec<(usize, behaviours::pool::AfterQuiet)> =
        saved.iter().enumerate().filter_map(|(i, p)| Some((i, p.as_ref()?.after_quiet.clone()?))).collect();
    let mut periods: Vec<f64> = quiet.iter().map(|(_, q)| q.every_secs).collect();
    periods.sort_by(f64::total_cmp);
    periods.dedup();
    let Some(span_secs) = quiet.iter().map(|(_, q)| q.every_secs + q.hang_secs).reduce(f64::max) else {
        return Vec::new();
    };
    // Past the last hang, with time for what it set off (a health check's re-admission).
    let span_secs = span_secs + SETTLE_SECS;
    compiled.quiet_ends = 0;
    let baseline = single_failure_downtime_after(compiled, &[], 0.0, &[], span_secs);
    let mut out = Vec::new();
    for every_secs in periods {
        for (i, p) in compiled.pools.iter_mut().enumerate() {
            if let Some(p) = p {
                p.after_quiet =
                    saved[i].as_ref().and_then(|s| s.after_quiet.clone()).filter(|q| q.every_secs == every_secs);
            }
        }
        compiled.quiet_ends = 1;
        let down = single_failure_downtime_after(compiled, &[], 0.0, &[], span_secs);
        compiled.quiet_ends = 0;
        out.push(QuietOutage {
            every_secs,
            pools: quiet
                .iter()
                .filter(|(_, q)| q.every_secs == every_secs)
                .map(|&(i, _)| crate::model::ElementId(i as u32))
                .collect(),
            down_secs: down.iter().zip(&baseline).map(|(d, b)| (d - b).max(0.0)).collect(),
        });
    }
    compiled.pools = saved;
    compiled.quiet_ends = saved_ends;
    out
}

/// The drills of the model named `name` (one rehearsal: drills that share a name run
/// together), run without the others from the all-up state, with no random failures and
/// the default seed (as `simulate --drills-only` runs them, so the outcome is the same on
/// every run): the one replication's record, which runs until a year after the last
/// failure ends, so slow recoveries are seen whole. `None` when no drill has the name.
pub fn named_drill(model: &Model, name: &str) -> Option<ReplicationRecord> {
    let drills: Vec<(u32, f64, f64)> = model
        .drills
        .iter()
        .filter(|d| d.name.as_deref() == Some(name))
        .map(|d| (d.element.0, d.at_secs, d.for_secs))
        .collect();
    let forced_read_errors = forced_read_errors(model.drills.iter().filter(|d| d.name.as_deref() == Some(name)));
    let end_secs = drills.iter().map(|&(_, at, dur)| at + dur).reduce(f64::max)?;
    let years = (end_secs / YEAR_SECS).ceil() as u32 + 1;
    let options = SimOptions { years, replications: 1, seed: DEFAULT_SEED, random_failures: false, ideal: false };
    let mut compiled = Compiled::new(model, options);
    compiled.drills = drills;
    compiled.forced_read_errors = forced_read_errors;
    Some(engine::run(&compiled, 0))
}

/// The disks whose drilled failure's rebuild is to meet a read error, sorted.
pub(crate) fn forced_read_errors<'a>(drills: impl Iterator<Item = &'a crate::model::Drill>) -> Vec<u32> {
    let mut elements: Vec<u32> = drills.filter(|d| d.read_error).map(|d| d.element.0).collect();
    elements.sort_unstable();
    elements.dedup();
    elements
}

pub fn service_names(model: &Model) -> Vec<String> {
    model.services.iter().map(|s| s.name.clone()).collect()
}

/// A simulation run a few replications at a time, for callers that must not block
/// (the browser runs one chunk per frame). It keeps the folded statistics, not the
/// records.
pub struct Chunked<'m> {
    model: &'m Model,
    compiled: Compiled<'m>,
    fold: Aggregate,
}

impl<'m> Chunked<'m> {
    pub fn new(model: &'m Model, options: SimOptions) -> Chunked<'m> {
        Chunked { model, compiled: Compiled::new(model, options), fold: Aggregate::new(model.services.len()) }
    }

    /// Runs up to `count` more replications; returns how many are done in all.
    pub fn step(&mut self, count: u64) -> u64 {
        let done = self.fold.replications();
        let end = (done + count).min(self.compiled.options.replications);
        for i in done..end {
            self.fold.add(&engine::run(&self.compiled, i));
        }
        self.fold.replications()
    }

    pub fn finished(&self) -> bool {
        self.fold.replications() >= self.compiled.options.replications
    }

    pub fn report(&self) -> SimReport {
        self.fold
            .report(&self.model.name, &service_names(self.model), &self.compiled.options)
            .with_notes(self.compiled.approximations())
    }

    /// Each service's worst simulated year among the replications run so far
    /// ([`worst_year_timelines`]; replays one year per service).
    pub fn worst_years(&self) -> Vec<WorstYear> {
        worst_year_timelines(&self.compiled, &self.fold.worst_years())
    }
}
