//! `simulate --format markdown`, for pull-request comments and wikis: the run (seed,
//! years, scenario hash), one summary row per service, then per service the outages
//! by mechanism and the top causes of downtime. Services are sorted by name.

use std::fmt::Write;

use sim_core::simulate::SimReport;
use sim_core::units::Duration;

fn human(secs: f64) -> String {
    Duration::from_secs(secs).human()
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn render(report: &SimReport, scenario_hash: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## spofsim simulation of `{}`\n", cell(&report.scenario));
    let mode = match (report.ideal, report.random_failures) {
        (_, false) => ", drills only",
        (true, _) => ", ideal (no delays)",
        _ => "",
    };
    let _ = writeln!(
        out,
        "{} × {} = {}, seed **{}**{mode}; scenario `{scenario_hash}`, spofsim {}. Downtime/year p99 from a histogram: at most {}% above the exact value.\n",
        super::plural(report.replications, "replication"),
        super::plural(u64::from(report.years), "year"),
        super::plural(report.simulated_years as u64, "simulated year"),
        report.seed,
        sim_core::VERSION,
        report.percentile_relative_error * 100.0
    );
    for n in &report.notes {
        let _ = writeln!(out, "> **Note:** {}\n", cell(n));
    }
    let _ = writeln!(
        out,
        "| service | availability (95% CI) | downtime/year mean | p99 | worst year | outages/year | longest outage | data lost (worst) |"
    );
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    for s in &report.services {
        let d = &s.downtime_secs_per_year;
        let _ = writeln!(
            out,
            "| {} | {:.5}% ({}) | {} | {} | {} | {:.3} | {} | {} |",
            cell(&s.name),
            s.availability * 100.0,
            super::ci95_text(s.availability_ci95, report.simulated_years, report.random_failures, " .. "),
            human(d.mean),
            human(d.p99),
            human(d.max),
            s.outages_per_year,
            human(s.max_outage_secs),
            if s.total_losses > 0 {
                format!("all data lost {}×; otherwise {}", s.total_losses, human(s.max_data_lost_secs))
            } else {
                human(s.max_data_lost_secs)
            }
        );
    }
    for s in &report.services {
        if s.outages == 0 && s.attribution.is_empty() && s.split_brain_events == 0 && s.dual_master_events == 0 {
            continue;
        }
        let _ = writeln!(out, "\n### {}\n", cell(&s.name));
        if !s.outage_histogram_by_mechanism.is_empty() {
            let _ = writeln!(out, "| mechanism | outages |\n|---|---|");
            for (mechanism, bins) in &s.outage_histogram_by_mechanism {
                let _ = writeln!(out, "| {} | {} |", cell(mechanism), bins.iter().sum::<u64>());
            }
        }
        if !s.attribution.is_empty() {
            let _ = writeln!(out, "\n| share of downtime | component | mechanism | downtime |\n|---|---|---|---|");
            for row in s.attribution.iter().take(10) {
                let _ = writeln!(
                    out,
                    "| {:.2}% | `{}` | {} | {} |",
                    row.share * 100.0,
                    cell(&row.component),
                    cell(&row.mechanism),
                    human(row.downtime_secs)
                );
            }
        }
        if s.split_brain_events > 0 || s.sessions_lost > 0 {
            let _ = writeln!(
                out,
                "\nSplit brain: {} events ({}). Sessions lost: {} failovers.",
                s.split_brain_events,
                human(s.split_brain_secs),
                s.sessions_lost
            );
        }
        if s.dual_master_events > 0 {
            let _ = writeln!(
                out,
                "\nTwo VRRP/HSRP masters answering for one virtual IP: {} events ({}), {}.",
                s.dual_master_events,
                human(s.dual_master_secs),
                super::dual_master_caveat(s.dual_master_secs)
            );
        }
    }
    out
}
