//! Per-year downtime, streamed: what a run needs of every simulated year's downtime
//! (the mean and interval of availability, percentiles, the worst year) without keeping
//! one number per year, so memory stays the same whatever `--years` is.
//!
//! A year's downtime is counted in whole microseconds (rounded; at most 0.5 µs per year,
//! an unavailability error below 1.6e-14). Sums and sums of squares are exact integers,
//! so any grouping of replications (threads, chunks, shards merged later) adds up to
//! the same bits. Percentiles come from an HdrHistogram (Tene; the `hdrhistogram`
//! crate) with 3 significant digits: a reported percentile is the upper end of the
//! bucket that holds the nearest-rank value, at most 0.1% above it, and never above
//! the exact maximum. A replication keeps only the buckets its years touched (a sparse
//! map keyed by each bucket's lowest value), so a record is at most one entry per
//! bucket: O(buckets), never O(years).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

use super::record::{outage_bin, OUTAGE_BINS};
use super::YEAR_SECS;

/// Microseconds per second: the unit years are counted in.
const MICROS: f64 = 1e6;
/// Significant digits of the percentile histogram (0.1% relative resolution).
pub const PERCENTILE_SIGFIG: u8 = 3;
/// How far above the exact nearest-rank value a reported percentile can be: one part in
/// 10^[`PERCENTILE_SIGFIG`].
pub fn percentile_relative_error() -> f64 {
    10f64.powi(-i32::from(PERCENTILE_SIGFIG))
}
/// Largest value the histogram holds: a whole year down, in microseconds.
const YEAR_MICROS: u64 = (YEAR_SECS * MICROS) as u64;

/// The bucket layout every histogram shares (lowest discernible 1 µs, highest a year).
fn layout() -> &'static Histogram<u64> {
    static LAYOUT: OnceLock<Histogram<u64>> = OnceLock::new();
    LAYOUT.get_or_init(empty_histogram)
}

fn empty_histogram() -> Histogram<u64> {
    // The bounds are constants that satisfy the crate's rules (1 ≤ low, high ≥ 2·low,
    // sigfig ≤ 5), so creation cannot fail.
    Histogram::new_with_bounds(1, YEAR_MICROS, PERCENTILE_SIGFIG).expect("constant histogram bounds are valid")
}

fn to_micros(secs: f64) -> u64 {
    (secs.max(0.0) * MICROS).round().min(YEAR_MICROS as f64) as u64
}

/// Σx and Σx² of per-year values in microseconds, exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sums {
    pub micros: u128,
    pub micros_sq: u128,
}

impl Sums {
    fn add_value(&mut self, micros: u64) {
        let x = u128::from(micros);
        self.micros += x;
        self.micros_sq = self.micros_sq.saturating_add(x * x);
    }

    fn add(&mut self, other: &Sums) {
        self.micros += other.micros;
        self.micros_sq = self.micros_sq.saturating_add(other.micros_sq);
    }

    /// Mean and sample variance (n − 1) of the per-year values over `years`, in seconds
    /// and seconds².
    pub fn mean_var_secs(&self, years: u64) -> (f64, f64) {
        if years == 0 {
            return (0.0, 0.0);
        }
        let n = years as f64;
        let sum = self.micros as f64;
        let mean = sum / n;
        let var = if years > 1 { ((self.micros_sq as f64 - mean * sum) / (n - 1.0)).max(0.0) } else { 0.0 };
        (mean / MICROS, var / (MICROS * MICROS))
    }
}

/// One replication's (or, merged, a run's) per-year downtime of one service.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct YearTally {
    /// Simulated years counted (every year of the run, with or without downtime).
    pub years: u64,
    /// Time down, per year.
    pub down: Sums,
    /// Time not fully serving (down or degraded), per year: the analyzer's "down".
    pub not_full: Sums,
    /// Years by their downtime, in the outage-duration bins of `record::OUTAGE_BINS`.
    pub down_bins: Vec<u64>,
    /// Years with downtime: the lowest value of each HdrHistogram bucket → years.
    /// Years without downtime are `years` minus the rest.
    pub down_buckets: BTreeMap<u64, u64>,
    /// The year with the most downtime (the earliest on ties) and its exact seconds.
    pub worst_year: u32,
    pub worst_down_secs: f64,
}

impl YearTally {
    /// Counts one closed year `year` (years close in increasing order; a year with no
    /// time below full service need not be counted: [`YearTally::finish`] adds it).
    pub fn add_year(&mut self, year: u32, down_secs: f64, not_full_secs: f64) {
        if self.down_bins.is_empty() {
            self.down_bins = vec![0; OUTAGE_BINS.len() + 1];
        }
        let down = to_micros(down_secs);
        self.down.add_value(down);
        self.not_full.add_value(to_micros(not_full_secs));
        if down_secs > 0.0 {
            self.down_bins[outage_bin(down_secs)] += 1;
            *self.down_buckets.entry(layout().lowest_equivalent(down)).or_default() += 1;
        }
        if down_secs > self.worst_down_secs {
            self.worst_year = year;
            self.worst_down_secs = down_secs;
        }
    }

    /// Closes a replication of `years` years: the years never counted had no downtime.
    pub fn finish(&mut self, years: u32) {
        if self.down_bins.is_empty() {
            self.down_bins = vec![0; OUTAGE_BINS.len() + 1];
        }
        self.years = u64::from(years.max(1));
        let with_down: u64 = self.down_buckets.values().sum();
        self.down_bins[0] += self.years.saturating_sub(with_down);
    }

    /// Total seconds down (exact to the microsecond per year).
    pub fn down_secs(&self) -> f64 {
        self.down.micros as f64 / MICROS
    }
}

/// A run's per-year downtime of one service: the replications' tallies added up, with
/// the percentile histogram.
#[derive(Clone, Debug)]
pub struct RunYears {
    pub years: u64,
    pub down: Sums,
    pub not_full: Sums,
    pub down_bins: Vec<u64>,
    histogram: Histogram<u64>,
    years_with_down: u64,
    /// (replication, year, seconds) of the worst year; the earliest on ties.
    pub worst: Option<(u64, u32, f64)>,
}

impl Default for RunYears {
    fn default() -> RunYears {
        RunYears {
            years: 0,
            down: Sums::default(),
            not_full: Sums::default(),
            down_bins: vec![0; OUTAGE_BINS.len() + 1],
            histogram: empty_histogram(),
            years_with_down: 0,
            worst: None,
        }
    }
}

impl RunYears {
    /// Adds replication `replication`'s tally (replications in any order give the same
    /// sums, histogram and worst year).
    pub fn add(&mut self, replication: u64, tally: &YearTally) {
        self.years += tally.years;
        self.down.add(&tally.down);
        self.not_full.add(&tally.not_full);
        for (b, c) in tally.down_bins.iter().enumerate() {
            if let Some(slot) = self.down_bins.get_mut(b) {
                *slot += c;
            }
        }
        for (&value, &count) in &tally.down_buckets {
            self.histogram.saturating_record_n(value, count);
            self.years_with_down += count;
        }
        let candidate = (replication, tally.worst_year, tally.worst_down_secs);
        let better = match self.worst {
            None => true,
            Some((r, y, d)) => candidate.2 > d || (candidate.2 == d && (candidate.0, candidate.1) < (r, y)),
        };
        if better {
            self.worst = Some(candidate);
        }
    }

    /// The nearest-rank `q` quantile of per-year downtime (seconds): the upper end of
    /// its histogram bucket, at most 0.1% above it and never above the maximum.
    pub fn percentile_secs(&self, q: f64) -> f64 {
        if self.years == 0 {
            return 0.0;
        }
        let zeros = self.years.saturating_sub(self.years_with_down);
        let rank = ((q * self.years as f64).ceil() as u64).clamp(1, self.years);
        if rank <= zeros {
            return 0.0;
        }
        // The rank among the years with downtime, as the histogram's own quantile.
        let q_within = (rank - zeros) as f64 / self.years_with_down as f64;
        let micros = self.histogram.value_at_quantile(q_within.min(1.0));
        (micros as f64 / MICROS).min(self.max_secs())
    }

    pub fn max_secs(&self) -> f64 {
        self.worst.map_or(0.0, |w| w.2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force, written apart from the histogram: nearest-rank percentile of a
    /// sorted list (the definition the stored-list aggregation used).
    fn nearest_rank(sorted: &[f64], q: f64) -> f64 {
        let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        sorted[rank - 1]
    }

    fn tally_of(years: &[f64]) -> YearTally {
        let mut t = YearTally::default();
        for (y, &d) in years.iter().enumerate() {
            if d > 0.0 {
                t.add_year(y as u32, d, d);
            }
        }
        t.finish(years.len() as u32);
        t
    }

    #[test]
    fn percentiles_are_within_a_thousandth_of_the_stored_list_ones() {
        // Deterministic pseudo-random downtimes: mostly zero, some seconds, some hours.
        let mut x: u64 = 12345;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let reps: Vec<Vec<f64>> = (0..7)
            .map(|_| {
                (0..500)
                    .map(|_| match next() % 10 {
                        0..=5 => 0.0,
                        6..=7 => (next() % 100_000) as f64 / 1000.0,
                        _ => (next() % 36_000_000) as f64 / 1000.0,
                    })
                    .collect()
            })
            .collect();
        let mut run = RunYears::default();
        for (i, r) in reps.iter().enumerate() {
            run.add(i as u64, &tally_of(r));
        }
        let mut all: Vec<f64> = reps.iter().flatten().copied().collect();
        all.sort_by(f64::total_cmp);
        for q in [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0] {
            let want = nearest_rank(&all, q);
            let got = run.percentile_secs(q);
            assert!(got >= want - 1e-6 && got <= want * 1.001 + 1e-6, "q {q}: {got} vs {want}");
        }
        assert_eq!(run.max_secs(), *all.last().unwrap());
        // Mean and variance against the list.
        let n = all.len() as f64;
        let mean = all.iter().sum::<f64>() / n;
        let var = all.iter().map(|d| (d - mean) * (d - mean)).sum::<f64>() / (n - 1.0);
        let (m, v) = run.down.mean_var_secs(run.years);
        assert!((m - mean).abs() < 1e-6 * mean.max(1.0), "{m} vs {mean}");
        assert!((v - var).abs() < 1e-6 * var, "{v} vs {var}");
        assert_eq!(run.years, 3500);
    }

    #[test]
    fn any_grouping_of_replications_gives_the_same_bits() {
        let reps: Vec<YearTally> =
            (0..5).map(|i| tally_of(&[0.0, 1.5 * f64::from(i), 0.1, 3600.0 / f64::from(i + 1)])).collect();
        let mut forward = RunYears::default();
        for (i, t) in reps.iter().enumerate() {
            forward.add(i as u64, t);
        }
        let mut backward = RunYears::default();
        for (i, t) in reps.iter().enumerate().rev() {
            backward.add(i as u64, t);
        }
        assert_eq!(forward.down, backward.down);
        assert_eq!(forward.worst, backward.worst);
        assert_eq!(forward.worst, Some((0, 3, 3600.0)));
        for q in [0.5, 0.95, 0.99] {
            assert_eq!(forward.percentile_secs(q).to_bits(), backward.percentile_secs(q).to_bits());
        }
    }

    #[test]
    fn a_run_with_no_downtime_reports_zeros() {
        let mut run = RunYears::default();
        run.add(0, &tally_of(&[0.0; 10]));
        assert_eq!(run.percentile_secs(0.99), 0.0);
        assert_eq!(run.max_secs(), 0.0);
        assert_eq!(run.down_bins[0], 10);
        assert_eq!(run.worst, Some((0, 0, 0.0)));
    }

    #[test]
    fn tallies_round_trip_through_json() {
        let t = tally_of(&[0.0, 12.25, 7200.5, 0.0, 1e-3]);
        let text = serde_json::to_string(&t).unwrap();
        let back: YearTally = serde_json::from_str(&text).unwrap();
        assert_eq!(back, t);
    }
}
