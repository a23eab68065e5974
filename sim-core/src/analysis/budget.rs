//! How long an exact computation may run, counted in work so that where it stops, and
//! so every figure it prints, is the same on every machine and under any load.
//!
//! A [`Budget`] holds a count of work units left and, optionally, a wall-clock flag
//! that the caller's timer sets. Work is charged by the one thread doing it (the BDD
//! manager per node request, the certified bounds per dataflow run, by the work it did), so the point where
//! the count runs out is fixed by the input alone. The clock is only a safety net for a
//! machine far slower than the reference one: when it stops the work first, the result
//! depends on the machine and the outputs say so ([`Spent::Clock`]).
//!
//! Units are calibrated on the reference machine (2-core AMD EPYC, virtualised, release
//! build): [`BDD_REQUESTS_PER_SEC`] and [`DATAFLOW_UNITS_PER_SEC`]. `--budget-secs S`
//! in the CLI is S seconds' worth of work there.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// BDD node requests (`mk` calls that are not reductions) per second on the reference
/// machine: 8M requests took 3.6–4.5 s on the generated 2×2×3 and 1×4×10 three-tier
/// designs and the k=8 and k=16 fat-trees, where the exact analysis runs until stopped
/// (2026-12-03, with the certified bounds on the other core).
pub const BDD_REQUESTS_PER_SEC: u64 = 2_000_000;

/// Single-failure dataflow work units per second on the reference machine (the units of
/// [`super::single_failures::single_failures_counted`]), charged by the certified bounds:
/// 40M units took 0.58–1.40 s on the same five designs (2026-12-03), so this rate is
/// the slowest's, and the others finish their budget up to 2.4 times sooner.
pub const DATAFLOW_UNITS_PER_SEC: u64 = 30_000_000;

/// Which limit stopped a computation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Spent {
    /// The work budget ran out: the same on every machine.
    Work,
    /// The caller's wall-clock limit came first: the result depends on this machine's
    /// speed and load.
    Clock,
}

/// A work budget with an optional wall-clock safety flag. `Copy`, so that one budget is
/// shared by every step of a computation (the unrolled attempt, frontier search, the
/// figure with timings); a default budget never stops anything.
#[derive(Clone, Copy, Debug, Default)]
pub struct Budget {
    /// Work units left; None is unlimited.
    pub work_left: Option<&'static AtomicU64>,
    /// Set by the caller's timer when its wall-clock limit passes.
    pub clock: Option<&'static AtomicBool>,
}

impl Budget {
    /// No limit at all.
    pub const UNLIMITED: Budget = Budget { work_left: None, clock: None };

    /// A budget of `units` work units (leaked: a few bytes per analysis), with the
    /// caller's clock flag if any.
    pub fn of_work(units: u64, clock: Option<&'static AtomicBool>) -> Budget {
        Budget { work_left: Some(Box::leak(Box::new(AtomicU64::new(units)))), clock }
    }

    /// Charges `units` of work and says whether (and why) the computation must stop
    /// instead: when fewer than `units` are left, or the clock flag is set. Once the
    /// work is spent, every later charge says so too.
    pub fn charge(&self, units: u64) -> Option<Spent> {
        if let Some(left) = self.work_left {
            let before =
                left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |l| Some(l.saturating_sub(units))).unwrap_or(0);
            if before < units {
                return Some(Spent::Work);
            }
        }
        self.clock.filter(|c| c.load(Ordering::Relaxed)).map(|_| Spent::Clock)
    }

    /// Work units left (`u64::MAX` when unlimited).
    pub fn left(&self) -> u64 {
        self.work_left.map_or(u64::MAX, |l| l.load(Ordering::Relaxed))
    }

    /// Whether the budget is spent, without charging anything.
    pub fn spent(&self) -> Option<Spent> {
        if self.work_left.is_some_and(|l| l.load(Ordering::Relaxed) == 0) {
            return Some(Spent::Work);
        }
        self.clock.filter(|c| c.load(Ordering::Relaxed)).map(|_| Spent::Clock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_runs_out_at_the_same_charge_every_time() {
        let b = Budget::of_work(10, None);
        assert_eq!(b.charge(4), None);
        assert_eq!(b.charge(5), None);
        assert_eq!(b.charge(1), None);
        assert_eq!(b.spent(), Some(Spent::Work));
        assert_eq!(b.charge(1), Some(Spent::Work));
        assert_eq!(Budget::of_work(3, None).charge(4), Some(Spent::Work));
    }

    #[test]
    fn the_clock_stops_work_that_is_left() {
        static CLOCK: AtomicBool = AtomicBool::new(false);
        let b = Budget::of_work(100, Some(&CLOCK));
        assert_eq!(b.charge(1), None);
        CLOCK.store(true, Ordering::Relaxed);
        assert_eq!(b.charge(1), Some(Spent::Clock));
        assert_eq!(Budget::UNLIMITED.charge(u64::MAX), None);
    }
}
