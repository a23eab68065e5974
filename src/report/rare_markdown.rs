//! `simulate --rare-event --format markdown`: one table row per service, then the
//! estimator and the reasons not to trust a figure.

use std::fmt::Write;

use sim_core::simulate::rare::RareReport;
use sim_core::units::Duration;

use super::rare_text::estimate_text;

pub fn render(report: &RareReport, scenario_hash: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Rare-event estimate: {}\n", report.scenario);
    let _ = writeln!(
        out,
        "{} cycles in {} batches, seed {}, {} events{}; scenario `{scenario_hash}`, spofsim {}.\n",
        report.cycles,
        report.batches,
        report.seed,
        report.events,
        if report.ideal { " (ideal: no delays, perfect detection)" } else { "" },
        sim_core::VERSION
    );
    let _ = writeln!(out, "| service | unavailability | below full service | downtime/year | outages/year | cycles down | effective sample size | reliable |");
    let _ = writeln!(out, "|---|---|---|---|---|---:|---:|---|");
    for s in &report.services {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {:.0} | {} |",
            s.name,
            estimate_text(&s.unavailability),
            estimate_text(&s.full_service_unavailability),
            Duration::from_secs(s.downtime_secs_per_year).human(),
            estimate_text(&s.outages_per_year),
            s.cycles_with_downtime,
            s.effective_sample_size,
            if s.reliable { "yes" } else { "**no**" }
        );
    }
    let _ = writeln!(
        out,
        "\nEstimator: {}. Force cap {} per wait (pilot). Likelihood ratio mean {:.4} (1 expected), variance {:.3}.",
        report.estimator, report.force_cap, report.likelihood_ratio_mean, report.likelihood_ratio_variance
    );
    for n in &report.notes {
        let _ = writeln!(out, "\nNote: {n}");
    }
    for s in report.services.iter().filter(|s| !s.reliable) {
        for w in &s.warnings {
            let _ = writeln!(out, "\n- **{}**: {w}", s.name);
        }
    }
    out
}
