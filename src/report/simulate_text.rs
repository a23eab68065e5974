//! `simulate --format text`: per service, availability with its interval, downtime
//! percentiles, outages by duration and mechanism, data loss, and the top causes.

use std::fmt::Write;

use sim_core::simulate::{IntervalState, SimReport};
use sim_core::units::Duration;

fn human(secs: f64) -> String {
    Duration::from_secs(secs).human()
}

fn pct(x: f64) -> String {
    format!("{:.5}%", x * 100.0)
}

pub fn render(report: &SimReport, scenario_hash: &str) -> String {
    render_with_drills(report, scenario_hash, &[])
}

/// [`render`], with the scenario's drills for a drills-only run: each timeline line
/// names the drills it follows, and a drill a service does not notice says so (a
/// replay in which a drill leaves no line would otherwise look as if it never ran).
pub fn render_with_drills(report: &SimReport, scenario_hash: &str, drills: &[super::DrillLine]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "simulate {}: {} x {} = {}, seed {}, {} events{}",
        report.scenario,
        super::plural(report.replications, "replication"),
        super::plural(u64::from(report.years), "year"),
        super::plural(report.simulated_years as u64, "simulated year"),
        report.seed,
        report.events,
        match (report.ideal, report.random_failures) {
            (_, false) => " (drills only)",
            (true, _) => " (ideal: no delays, perfect detection)",
            _ => "",
        }
    );
    let _ = writeln!(out, "scenario {scenario_hash}, spofsim {}", sim_core::VERSION);
    // One simulated year has exact percentiles (each is that year, capped at its exact value).
    if report.simulated_years > 1.0 {
        let _ = writeln!(
            out,
            "downtime/year percentiles from a histogram: each at most {}% above the exact value",
            report.percentile_relative_error * 100.0
        );
    }
    for n in &report.notes {
        let _ = writeln!(out, "note: {n}");
    }
    for s in &report.services {
        let _ = writeln!(out, "\nservice {}", s.name);
        let with_ci = |x: f64, ci: [f64; 2]| {
            format!(
                "{} (95% CI {})",
                pct(x),
                super::ci95_text(ci, report.simulated_years, report.random_failures, " .. ")
            )
        };
        let nines = super::nines(1.0 - s.availability);
        let nines = if nines.is_finite() { format!("{nines:.2} nines") } else { "no downtime".into() };
        let _ = writeln!(out, "  availability     {}, {nines}", with_ci(s.availability, s.availability_ci95));
        let _ = writeln!(
            out,
            "  full service     {}; requests served {}",
            with_ci(s.full_service, s.full_service_ci95),
            pct(s.requests_served)
        );
        let d = &s.downtime_secs_per_year;
        let _ = writeln!(
            out,
            "  downtime/year    mean {}, p50 {}, p95 {}, p99 {}, worst {}",
            human(d.mean),
            human(d.p50),
            human(d.p95),
            human(d.p99),
            human(d.max)
        );
        let _ = writeln!(out, "  degraded/year    {}", human(s.degraded_secs_per_year));
        let _ = write!(out, "  outages          {} ({:.3}/year)", s.outages, s.outages_per_year);
        if let (Some(mtbf), Some(mttr)) = (s.mtbf_secs, s.mttr_secs) {
            let _ = write!(out, ", MTBF {}, MTTR {}, longest {}", human(mtbf), human(mttr), human(s.max_outage_secs));
        }
        let _ = writeln!(out);
        if report.random_failures && s.outages < 30 {
            let _ = writeln!(
                out,
                "  note             only {} outage(s) seen: the interval rests on so few events that it understates the uncertainty of rare failures; simulate more years (--years, --replications)",
                s.outages
            );
        }
        if s.outages > 0 {
            let bins: Vec<String> = report
                .outage_bins
                .iter()
                .zip(&s.outage_histogram)
                .filter(|(_, c)| **c > 0)
                .map(|(label, c)| format!("{label}: {c}"))
                .collect();
            let _ = writeln!(out, "  durations        {}", bins.join(", "));
            for (mechanism, bins) in &s.outage_histogram_by_mechanism {
                let count: u64 = bins.iter().sum();
                let _ = writeln!(out, "    {mechanism}: {count}");
            }
        }
        // Total losses have no length: they are counted on their own line below.
        let timed_losses = s.rpo_events - s.total_losses;
        // Every promotion of another copy and every restore; those that lost all the
        // data are counted on their own line.
        let other = if s.total_losses > 0 { "other " } else { "" };
        let changes = if timed_losses == 1 {
            format!("1 {other}change of primary or restore")
        } else {
            format!("{timed_losses} {other}changes of primary and restores")
        };
        if timed_losses > 0 && s.data_lost_secs == 0.0 {
            // Promotions of a synchronous standby, or of a replica that had caught up.
            let _ = writeln!(out, "  data loss (RPO)  none in {changes}, each from an up-to-date copy");
        } else if timed_losses > 0 {
            let _ = writeln!(
                out,
                "  data loss (RPO)  {changes}, {} lost in all, worst {}",
                human(s.data_lost_secs),
                human(s.max_data_lost_secs)
            );
        } else if s.total_losses == 0 {
            let _ = writeln!(out, "  data loss (RPO)  none");
        }
        if s.total_losses > 0 {
            let _ = writeln!(
                out,
                "  ALL DATA LOST    {} times: no copy and no backup survived (a site disaster, or a RAID array lost with no backup); the service is counted up again once its hosts work, on an empty database, so its availability and outages leave out rebuilding the data (optimistic)",
                s.total_losses
            );
        }
        if s.split_brain_events > 0 {
            let _ = writeln!(
                out,
                "  split brain      {} events, {} with two actives (writes at risk)",
                s.split_brain_events,
                human(s.split_brain_secs)
            );
        }
        if s.dual_master_events > 0 {
            let _ = writeln!(
                out,
                "  two masters      {} event{}, {} with two VRRP/HSRP masters answering for one virtual IP ({})",
                s.dual_master_events,
                if s.dual_master_events == 1 { "" } else { "s" },
                human(s.dual_master_secs),
                super::dual_master_caveat(s.dual_master_secs)
            );
        }
        if s.sessions_lost > 0 {
            let _ = writeln!(
                out,
                "  sessions lost    {} times a member's sessions were lost (it died, or the balancer took it out of rotation)",
                s.sessions_lost
            );
        }
        if !s.attribution.is_empty() {
            let _ = writeln!(out, "  downtime by cause:");
            for row in s.attribution.iter().take(10) {
                let _ = writeln!(
                    out,
                    "    {:>6.2}%  {:<24} {:<24} {}",
                    row.share * 100.0,
                    row.component,
                    row.mechanism,
                    human(row.downtime_secs)
                );
            }
        }
        if !report.random_failures && !s.timeline.is_empty() {
            let _ = writeln!(out, "  timeline:");
            for i in &s.timeline {
                let state = match i.state {
                    IntervalState::Down => "down".to_string(),
                    IntervalState::Degraded => format!("degraded ({:.1}% served)", i.fraction * 100.0),
                };
                let after = match super::drills_before(drills, i.start_secs) {
                    (_, d) if d.is_empty() => String::new(),
                    (when, d) => format!("  ({when} {})", d.iter().map(|d| d.text()).collect::<Vec<_>>().join(", ")),
                };
                let _ = writeln!(
                    out,
                    "    {} → {}  {}  {} for {}{after}",
                    Duration::from_secs(i.start_secs).clock(),
                    Duration::from_secs(i.end_secs).clock(),
                    state,
                    i.mechanism,
                    Duration::from_secs(i.end_secs - i.start_secs).span()
                );
            }
        }
        if !report.random_failures {
            for d in super::unnoticed_drills(drills, &s.timeline) {
                let _ = writeln!(out, "  no effect: {}", d.text());
            }
        }
    }
    out
}
