//! What one replication measured ([`ReplicationRecord`], mergeable and serialisable,
//! the unit of sharding) and the statistics over all of them ([`SimReport`]).
//! Aggregation walks the records in index order only, so the report is the same
//! however the records were produced.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::years::{RunYears, YearTally};
use super::{SimOptions, YEAR_SECS};

/// Upper bounds of the outage-duration histogram bins (seconds); one more bin above.
pub const OUTAGE_BINS: &[f64] = &[1.0, 10.0, 60.0, 600.0, 3600.0, 4.0 * 3600.0, 86_400.0];
/// Labels of the histogram bins, one more than [`OUTAGE_BINS`].
pub const OUTAGE_BIN_LABELS: &[&str] = &["<1s", "1-10s", "10s-1m", "1-10m", "10m-1h", "1-4h", "4h-1d", ">=1d"];

pub fn outage_bin(secs: f64) -> usize {
    OUTAGE_BINS.iter().position(|&b| secs < b).unwrap_or(OUTAGE_BINS.len())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum IntervalState {
    Down,
    Degraded,
}

/// A period when a service was not fully up.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub start_secs: f64,
    pub end_secs: f64,
    pub state: IntervalState,
    /// Share of requests served during the interval.
    pub fraction: f64,
    pub mechanism: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ServiceRecord {
    /// Downtime and time below full service per simulated year, streamed
    /// ([`YearTally`]: sums, a sparse percentile histogram, the worst year).
    pub years: YearTally,
    pub degraded_secs: f64,
    /// ∫ (1 − served fraction) dt.
    pub lost_request_secs: f64,
    pub outages: u64,
    pub outage_secs: f64,
    pub max_outage_secs: f64,
    pub outage_histogram: Vec<u64>,
    pub by_mechanism: BTreeMap<String, Vec<u64>>,
    /// Root-cause component → mechanism → downtime seconds.
    pub attribution: BTreeMap<String, BTreeMap<String, f64>>,
    pub rpo_events: u64,
    pub data_lost_secs: f64,
    pub max_data_lost_secs: f64,
    /// Events where no copy and no backup survived: all the data was lost.
    pub total_losses: u64,
    pub split_brain_events: u64,
    pub split_brain_secs: f64,
    /// VRRP/HSRP partitions: two masters answering for one virtual IP (not writes at
    /// risk, so apart from split brain).
    #[serde(default)]
    pub dual_master_events: u64,
    #[serde(default)]
    pub dual_master_secs: f64,
    pub sessions_lost: u64,
    /// Replication 0 only: every period not fully up.
    pub timeline: Vec<Interval>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplicationRecord {
    pub index: u64,
    pub events: u64,
    pub services: Vec<ServiceRecord>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttributionRow {
    pub component: String,
    pub mechanism: String,
    pub downtime_secs: f64,
    /// Share of the service's total downtime.
    pub share: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Quantiles {
    pub mean: f64,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub max: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ServiceStats {
    pub name: String,
    /// Fraction of time not down (degraded counts as up).
    pub availability: f64,
    /// 95% confidence interval from batch means over simulated years.
    pub availability_ci95: [f64; 2],
    /// Fraction of time fully serving: what the static analysis computes.
    pub full_service: f64,
    pub full_service_ci95: [f64; 2],
    /// Time-average share of requests served.
    pub requests_served: f64,
    pub downtime_secs_per_year: Quantiles,
    /// Simulated years by their downtime, in the outage-duration bins (a year with no
    /// downtime counts in the first).
    pub downtime_histogram: Vec<u64>,
    pub degraded_secs_per_year: f64,
    pub outages: u64,
    pub outages_per_year: f64,
    pub mean_outage_secs: f64,
    /// The longest outage: the worst recovery time achieved.
    pub max_outage_secs: f64,
    pub outage_histogram: Vec<u64>,
    pub outage_histogram_by_mechanism: BTreeMap<String, Vec<u64>>,
    pub mtbf_secs: Option<f64>,
    pub mttr_secs: Option<f64>,
    pub rpo_events: u64,
    pub data_lost_secs: f64,
    pub max_data_lost_secs: f64,
    /// Events where no copy and no backup survived: all the data was lost.
    pub total_losses: u64,
    pub split_brain_events: u64,
    pub split_brain_secs: f64,
    /// Times two VRRP/HSRP masters answered for one virtual IP, and for how long.
    pub dual_master_events: u64,
    pub dual_master_secs: f64,
    pub sessions_lost: u64,
    pub attribution: Vec<AttributionRow>,
    pub timeline: Vec<Interval>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SimReport {
    pub scenario: String,
    pub seed: u64,
    pub years: u32,
    pub replications: u64,
    pub ideal: bool,
    pub random_failures: bool,
    pub simulated_years: f64,
    pub events: u64,
    pub outage_bins: Vec<&'static str>,
    /// Per-year downtime percentiles (p50, p95, p99) come from a histogram: each is at
    /// most this fraction above the exact nearest-rank value (`years::PERCENTILE_SIGFIG`).
    pub percentile_relative_error: f64,
    /// The simulator's simplifications this scenario meets, with the direction and
    /// size of their error (`Compiled::approximations`); sorted.
    pub notes: Vec<String>,
    pub services: Vec<ServiceStats>,
}

impl SimReport {
    /// The report with the simplifications it rests on: `notes` (sorted) plus what
    /// this run's figures themselves rest on (two masters counted as up). Idempotent,
    /// so a merged report can pass its shards' notes through again.
    pub fn with_notes(mut self, mut notes: Vec<String>) -> SimReport {
        // A shard's own two-master note gives way to the one from the merged figures.
        notes.retain(|n| !n.starts_with(TWO_MASTERS_NOTE));
        let two_masters = self.services.iter().map(|s| s.dual_master_secs).fold(0.0, f64::max);
        if two_masters > 0.0 {
            // Summed over the run (and over the groups of a service that split at
            // once), so also per simulated year, at most a year.
            let per_year = (two_masters / self.simulated_years.max(1.0)).min(crate::units::SECS_PER_YEAR);
            notes.push(format!(
                "{TWO_MASTERS_NOTE}: {} in {} simulated years, {} per year on average",
                dual_master_loss(two_masters),
                self.simulated_years,
                crate::units::Duration::from_secs(per_year).human()
            ));
        }
        notes.sort();
        notes.dedup();
        self.notes = notes;
        self
    }
}

const TWO_MASTERS_NOTE: &str =
    "two masters at once (a VRRP/HSRP group split by a failure between its members) are counted as up for every service";

/// What a figure that counts two masters as up leaves out, for `secs` of two-master
/// time: the requests the cut-off master receives. Every report states it next to the
/// two-master time.
pub fn dual_master_caveat(secs: f64) -> String {
    format!("counted as up, though {}", dual_master_loss(secs))
}

fn dual_master_loss(secs: f64) -> String {
    format!(
        "traffic that the upstream routers or the hosts' ARP caches send to the master cut off from the servers is lost: not modelled (a pool balanced by both masters is: its requests served count each master's own rotation), optimistic by up to {}",
        crate::units::Duration::from_secs(secs).human()
    )
}

/// Student's t quantile t(0.975, df): the table for df ≤ 30 (Abramowitz & Stegun,
/// table 26.10), then the Cornish–Fisher expansion around z = 1.959964 (A&S 26.7.5),
/// within 0.001 of the exact quantile there.
fn t975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    if (1..=30).contains(&df) {
        return TABLE[df - 1];
    }
    let z = 1.959_964f64;
    let n = df.max(1) as f64;
    z + (z.powi(3) + z) / (4.0 * n) + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * n * n)
}

/// Mean and 95% interval of the per-year fraction of time up, from the per-year
/// time-down sums over `years` years (batch means over simulated years, with Student's t
/// for n − 1 degrees of freedom, so a short run gets the wide interval it deserves).
fn mean_ci(sums: &super::years::Sums, years: u64) -> (f64, [f64; 2]) {
    if years == 0 {
        return (1.0, [1.0, 1.0]);
    }
    let (mean_down, var_down) = sums.mean_var_secs(years);
    let mean = 1.0 - mean_down / YEAR_SECS;
    if years < 2 {
        return (mean, [mean, mean]);
    }
    let half = t975((years - 1) as usize) * (var_down / years as f64).sqrt() / YEAR_SECS;
    (mean, [mean - half, (mean + half).min(1.0)])
}

/// One service's statistics, folded replication by replication in index order.
#[derive(Default)]
struct ServiceFold {
    years: RunYears,
    lost_request_secs: f64,
    degraded_secs: f64,
    outages: u64,
    outage_secs: f64,
    max_outage_secs: f64,
    histogram: Vec<u64>,
    by_mechanism: BTreeMap<String, Vec<u64>>,
    attribution: BTreeMap<(String, String), f64>,
    rpo_events: u64,
    total_losses: u64,
    data_lost_secs: f64,
    max_data_lost_secs: f64,
    split_brain_events: u64,
    split_brain_secs: f64,
    dual_master_events: u64,
    dual_master_secs: f64,
    sessions_lost: u64,
    timeline: Vec<Interval>,
}

impl ServiceFold {
    fn add(&mut self, index: u64, r: &ServiceRecord) {
        self.years.add(index, &r.years);
        self.lost_request_secs += r.lost_request_secs;
        self.degraded_secs += r.degraded_secs;
        self.outages += r.outages;
        self.outage_secs += r.outage_secs;
        self.max_outage_secs = self.max_outage_secs.max(r.max_outage_secs);
        if self.histogram.is_empty() {
            self.histogram = vec![0; OUTAGE_BINS.len() + 1];
        }
        for (b, c) in r.outage_histogram.iter().enumerate() {
            self.histogram[b] += c;
        }
        for (m, bins) in &r.by_mechanism {
            let entry = self.by_mechanism.entry(m.clone()).or_insert_with(|| vec![0; OUTAGE_BINS.len() + 1]);
            for (b, c) in bins.iter().enumerate() {
                entry[b] += c;
            }
        }
        for (component, mechanisms) in &r.attribution {
            for (mechanism, secs) in mechanisms {
                *self.attribution.entry((component.clone(), mechanism.clone())).or_default() += secs;
            }
        }
        self.rpo_events += r.rpo_events;
        self.total_losses += r.total_losses;
        self.data_lost_secs += r.data_lost_secs;
        self.max_data_lost_secs = self.max_data_lost_secs.max(r.max_data_lost_secs);
        self.split_brain_events += r.split_brain_events;
        self.split_brain_secs += r.split_brain_secs;
        self.dual_master_events += r.dual_master_events;
        self.dual_master_secs += r.dual_master_secs;
        self.sessions_lost += r.sessions_lost;
        if index == 0 {
            self.timeline = r.timeline.clone();
        }
    }

    fn stats(&self, name: &str, simulated_years: f64) -> ServiceStats {
        let y = &self.years;
        let (availability, availability_ci95) = mean_ci(&y.down, y.years);
        let (full_service, full_service_ci95) = mean_ci(&y.not_full, y.years);
        let total_secs = simulated_years * YEAR_SECS;
        let total_down = y.down.micros as f64 / 1e6;
        let outages = self.outages;
        let attributed: f64 = self.attribution.values().sum();
        let mut attribution: Vec<AttributionRow> = self
            .attribution
            .iter()
            .map(|((component, mechanism), &downtime_secs)| AttributionRow {
                component: component.clone(),
                mechanism: mechanism.clone(),
                downtime_secs,
                share: if attributed > 0.0 { downtime_secs / attributed } else { 0.0 },
            })
            .collect();
        attribution.sort_by(|a, b| {
            b.downtime_secs
                .total_cmp(&a.downtime_secs)
                .then_with(|| a.component.cmp(&b.component))
                .then_with(|| a.mechanism.cmp(&b.mechanism))
        });
        ServiceStats {
            name: name.to_string(),
            availability,
            availability_ci95,
            full_service,
            full_service_ci95,
            requests_served: if total_secs > 0.0 { 1.0 - self.lost_request_secs / total_secs } else { 1.0 },
            downtime_secs_per_year: Quantiles {
                mean: if y.years == 0 { 0.0 } else { total_down / y.years as f64 },
                p50: y.percentile_secs(0.50),
                p95: y.percentile_secs(0.95),
                p99: y.percentile_secs(0.99),
                max: y.max_secs(),
            },
            downtime_histogram: y.down_bins.clone(),
            degraded_secs_per_year: if simulated_years > 0.0 { self.degraded_secs / simulated_years } else { 0.0 },
            outages,
            outages_per_year: if simulated_years > 0.0 { outages as f64 / simulated_years } else { 0.0 },
            mean_outage_secs: if outages > 0 { self.outage_secs / outages as f64 } else { 0.0 },
            max_outage_secs: self.max_outage_secs,
            outage_histogram: if self.histogram.is_empty() {
                vec![0; OUTAGE_BINS.len() + 1]
            } else {
                self.histogram.clone()
            },
            outage_histogram_by_mechanism: self.by_mechanism.clone(),
            mtbf_secs: (outages > 0).then(|| (total_secs - total_down) / outages as f64),
            mttr_secs: (outages > 0).then(|| self.outage_secs / outages as f64),
            rpo_events: self.rpo_events,
            total_losses: self.total_losses,
            data_lost_secs: self.data_lost_secs,
            max_data_lost_secs: self.max_data_lost_secs,
            split_brain_events: self.split_brain_events,
            split_brain_secs: self.split_brain_secs,
            dual_master_events: self.dual_master_events,
            dual_master_secs: self.dual_master_secs,
            sessions_lost: self.sessions_lost,
            attribution,
            timeline: self.timeline.clone(),
        }
    }
}

/// A run's statistics, folded one replication at a time, so memory does not grow with
/// the run: O(services × histogram buckets). Records must come in index order (the
/// floating-point sums are then the same whatever produced the records: threads,
/// chunks or shards).
pub struct Aggregate {
    services: Vec<ServiceFold>,
    replications: u64,
    events: u64,
    next_index: Option<u64>,
}

impl Aggregate {
    pub fn new(service_count: usize) -> Aggregate {
        Aggregate {
            services: (0..service_count).map(|_| ServiceFold::default()).collect(),
            replications: 0,
            events: 0,
            next_index: None,
        }
    }

    /// Folds in the next replication. Records must arrive in increasing index order
    /// (checked in debug builds).
    pub fn add(&mut self, record: &ReplicationRecord) {
        debug_assert!(self.next_index.is_none_or(|n| record.index >= n), "records out of index order");
        self.next_index = Some(record.index + 1);
        self.replications += 1;
        self.events += record.events;
        for (fold, r) in self.services.iter_mut().zip(&record.services) {
            fold.add(record.index, r);
        }
    }

    /// Replications folded so far.
    pub fn replications(&self) -> u64 {
        self.replications
    }

    /// Each service's worst simulated year so far: (replication, year, seconds down);
    /// the earliest on ties, (0, 0, 0) before any replication.
    pub fn worst_years(&self) -> Vec<(u64, u32, f64)> {
        self.services.iter().map(|s| s.years.worst.unwrap_or((0, 0, 0.0))).collect()
    }

    /// The report of the scenario `scenario` with these services (in declaration order).
    pub fn report(&self, scenario: &str, service_names: &[String], options: &SimOptions) -> SimReport {
        let simulated_years = self.replications as f64 * f64::from(options.years);
        // Services by name, so reports do not depend on declaration order.
        let mut order: Vec<usize> = (0..service_names.len()).collect();
        order.sort_by(|&a, &b| service_names[a].cmp(&service_names[b]));
        let empty = ServiceFold::default();
        let services = order
            .into_iter()
            .map(|s| self.services.get(s).unwrap_or(&empty).stats(&service_names[s], simulated_years))
            .collect();
        SimReport {
            scenario: scenario.to_string(),
            seed: options.seed,
            years: options.years,
            replications: self.replications,
            ideal: options.ideal,
            random_failures: options.random_failures,
            simulated_years,
            events: self.events,
            outage_bins: OUTAGE_BIN_LABELS.to_vec(),
            percentile_relative_error: super::years::percentile_relative_error(),
            notes: Vec::new(),
            services,
        }
    }
}

/// Statistics over `records` (any order) of the scenario `scenario` with these services.
pub fn aggregate(
    scenario: &str,
    service_names: &[String],
    options: &SimOptions,
    records: &[ReplicationRecord],
) -> SimReport {
    let mut sorted: Vec<&ReplicationRecord> = records.iter().collect();
    sorted.sort_by_key(|r| r.index);
    let mut fold = Aggregate::new(service_names.len());
    for r in sorted {
        fold.add(r);
    }
    fold.report(scenario, service_names, options)
}

#[cfg(test)]
mod interval_tests {
    /// Student's t quantiles against published values (Abramowitz & Stegun table 26.10:
    /// 2.000 at 60, 1.980 at 120 degrees of freedom; 1.962 at 1000).
    #[test]
    fn t_quantiles_match_the_tables() {
        assert_eq!(super::t975(1), 12.706);
        for (df, t) in [(60, 2.000), (120, 1.980), (1000, 1.962)] {
            assert!((super::t975(df) - t).abs() < 1.5e-3, "t({df}) = {}", super::t975(df));
        }
        // Two simulated years: the interval is t(1)/1.96 = 6.5 times the normal one.
        // (The upper end is capped at 1, so the half-width is read below the mean.)
        // Years 99.99% and 99.998% up: down 0.0001 and 0.00002 of a year.
        let mut tally = super::YearTally::default();
        tally.add_year(0, 0.0001 * super::YEAR_SECS, 0.0001 * super::YEAR_SECS);
        tally.add_year(1, 0.00002 * super::YEAR_SECS, 0.00002 * super::YEAR_SECS);
        tally.finish(2);
        let (mean, [lo, hi]) = super::mean_ci(&tally.down, tally.years);
        assert!((mean - 0.99994).abs() < 1e-12, "{mean}");
        let normal_half = 1.96 * (0.00008f64 / 2f64.sqrt() / 2f64.sqrt());
        assert!(mean - lo > 6.0 * normal_half, "[{lo}, {hi}]");
        // t(1) · s/√n exactly: s = 0.00008/√2 of a year.
        assert!(((mean - lo) - 12.706 * 0.00008 / 2.0).abs() < 1e-9, "[{lo}, {hi}]");
    }
}
