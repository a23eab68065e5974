//! What one replication measured ([`ReplicationRecord`], mergeable and serialisable,
//! the unit of sharding) and the statistics over all of them ([`SimReport`]).
//! Aggregation walks the records in index order only, so the report is the same
//! however the records were produced.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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
    pub down_secs_by_year: Vec<f64>,
    /// Time not fully serving (down or degraded), per year: the analyzer's "down".
    pub not_full_secs_by_year: Vec<f64>,
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
    pub services: Vec<ServiceStats>,
}

/// Nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
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

/// Mean and 95% interval of per-year fractions up (batch means over simulated years,
/// with Student's t for n − 1 degrees of freedom, so a short run gets the wide interval
/// it deserves).
fn mean_ci(values: &[f64]) -> (f64, [f64; 2]) {
    let n = values.len() as f64;
    if values.is_empty() {
        return (1.0, [1.0, 1.0]);
    }
    let mean = values.iter().sum::<f64>() / n;
    if values.len() < 2 {
        return (mean, [mean, mean]);
    }
    let var = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    let half = t975(values.len() - 1) * (var / n).sqrt();
    (mean, [mean - half, (mean + half).min(1.0)])
}

/// Statistics over `records` (any order) of the scenario `scenario` with these services.
pub fn aggregate(
    scenario: &str,
    service_names: &[String],
    options: &SimOptions,
    records: &[ReplicationRecord],
) -> SimReport {
    let mut records: Vec<&ReplicationRecord> = records.iter().collect();
    records.sort_by_key(|r| r.index);
    let simulated_years = records.len() as f64 * f64::from(options.years);
    // Services by name, so reports do not depend on declaration order.
    let mut order: Vec<usize> = (0..service_names.len()).collect();
    order.sort_by(|&a, &b| service_names[a].cmp(&service_names[b]));
    let services = order
        .into_iter()
        .map(|s| (s, &service_names[s]))
        .map(|(s, name)| {
            let rs: Vec<&ServiceRecord> = records.iter().filter_map(|r| r.services.get(s)).collect();
            let mut down: Vec<f64> = rs.iter().flat_map(|r| r.down_secs_by_year.iter().copied()).collect();
            let up_by_year: Vec<f64> = down.iter().map(|d| 1.0 - d / YEAR_SECS).collect();
            let full_by_year: Vec<f64> =
                rs.iter().flat_map(|r| r.not_full_secs_by_year.iter().map(|d| 1.0 - d / YEAR_SECS)).collect();
            let (availability, availability_ci95) = mean_ci(&up_by_year);
            let (full_service, full_service_ci95) = mean_ci(&full_by_year);
            let total_secs = simulated_years * YEAR_SECS;
            let total_down: f64 = down.iter().sum();
            let lost: f64 = rs.iter().map(|r| r.lost_request_secs).sum();
            down.sort_by(f64::total_cmp);
            let outages: u64 = rs.iter().map(|r| r.outages).sum();
            let outage_secs: f64 = rs.iter().map(|r| r.outage_secs).sum();
            let mut histogram = vec![0; OUTAGE_BINS.len() + 1];
            let mut by_mechanism: BTreeMap<String, Vec<u64>> = BTreeMap::new();
            let mut attribution: BTreeMap<(String, String), f64> = BTreeMap::new();
            for r in &rs {
                for (b, c) in r.outage_histogram.iter().enumerate() {
                    histogram[b] += c;
                }
                for (m, bins) in &r.by_mechanism {
                    let entry = by_mechanism.entry(m.clone()).or_insert_with(|| vec![0; OUTAGE_BINS.len() + 1]);
                    for (b, c) in bins.iter().enumerate() {
                        entry[b] += c;
                    }
                }
                for (component, mechanisms) in &r.attribution {
                    for (mechanism, secs) in mechanisms {
                        *attribution.entry((component.clone(), mechanism.clone())).or_default() += secs;
                    }
                }
            }
            let attributed: f64 = attribution.values().sum();
            let mut attribution: Vec<AttributionRow> = attribution
                .into_iter()
                .map(|((component, mechanism), downtime_secs)| AttributionRow {
                    component,
                    mechanism,
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
            let timeline = records
                .first()
                .filter(|r| r.index == 0)
                .and_then(|r| r.services.get(s))
                .map(|r| r.timeline.clone())
                .unwrap_or_default();
            ServiceStats {
                name: name.clone(),
                availability,
                availability_ci95,
                full_service,
                full_service_ci95,
                requests_served: if total_secs > 0.0 { 1.0 - lost / total_secs } else { 1.0 },
                downtime_secs_per_year: Quantiles {
                    mean: if down.is_empty() { 0.0 } else { total_down / down.len() as f64 },
                    p50: percentile(&down, 0.50),
                    p95: percentile(&down, 0.95),
                    p99: percentile(&down, 0.99),
                    max: down.last().copied().unwrap_or(0.0),
                },
                downtime_histogram: {
                    let mut h = vec![0; OUTAGE_BINS.len() + 1];
                    for d in &down {
                        h[outage_bin(*d)] += 1;
                    }
                    h
                },
                degraded_secs_per_year: if simulated_years > 0.0 {
                    rs.iter().map(|r| r.degraded_secs).sum::<f64>() / simulated_years
                } else {
                    0.0
                },
                outages,
                outages_per_year: if simulated_years > 0.0 { outages as f64 / simulated_years } else { 0.0 },
                mean_outage_secs: if outages > 0 { outage_secs / outages as f64 } else { 0.0 },
                max_outage_secs: rs.iter().map(|r| r.max_outage_secs).fold(0.0, f64::max),
                outage_histogram: histogram,
                outage_histogram_by_mechanism: by_mechanism,
                mtbf_secs: (outages > 0).then(|| (total_secs - total_down) / outages as f64),
                mttr_secs: (outages > 0).then(|| outage_secs / outages as f64),
                rpo_events: rs.iter().map(|r| r.rpo_events).sum(),
                total_losses: rs.iter().map(|r| r.total_losses).sum(),
                data_lost_secs: rs.iter().map(|r| r.data_lost_secs).sum(),
                max_data_lost_secs: rs.iter().map(|r| r.max_data_lost_secs).fold(0.0, f64::max),
                split_brain_events: rs.iter().map(|r| r.split_brain_events).sum(),
                split_brain_secs: rs.iter().map(|r| r.split_brain_secs).sum(),
                dual_master_events: rs.iter().map(|r| r.dual_master_events).sum(),
                dual_master_secs: rs.iter().map(|r| r.dual_master_secs).sum(),
                sessions_lost: rs.iter().map(|r| r.sessions_lost).sum(),
                attribution,
                timeline,
            }
        })
        .collect();
    SimReport {
        scenario: scenario.to_string(),
        seed: options.seed,
        years: options.years,
        replications: records.len() as u64,
        ideal: options.ideal,
        random_failures: options.random_failures,
        simulated_years,
        events: records.iter().map(|r| r.events).sum(),
        outage_bins: OUTAGE_BIN_LABELS.to_vec(),
        services,
    }
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
        let (mean, [lo, hi]) = super::mean_ci(&[0.9999, 0.99998]);
        let normal_half = 1.96 * (0.00008f64 / 2f64.sqrt() / 2f64.sqrt());
        assert!(mean - lo > 6.0 * normal_half, "[{lo}, {hi}]");
    }
}
