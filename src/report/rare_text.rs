//! `simulate --rare-event` as text: per service, the estimated unavailability with its
//! interval, what it implies (availability, downtime and outages per year), how many
//! cycles saw the service down and the effective sample size, and every reason not to
//! trust the figure.

use std::fmt::Write;

use sim_core::simulate::rare::{Estimate, RareReport};
use sim_core::units::Duration;

/// An estimate as "1.234e-9 (95% CI 1.1e-9 .. 1.3e-9, ±8.1%)".
pub fn estimate_text(e: &Estimate) -> String {
    let relative = if e.relative_half_width.is_finite() {
        format!(", ±{:.1}%", 100.0 * e.relative_half_width)
    } else {
        String::new()
    };
    format!("{:.4e} (95% CI {:.3e} .. {:.3e}{relative})", e.value, e.ci95[0], e.ci95[1])
}

pub fn render(report: &RareReport, scenario_hash: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "simulate {} --rare-event: {} in {} {}, seed {}, {} events{}",
        report.scenario,
        super::plural(report.cycles, "regenerative cycle"),
        report.batches,
        if report.batches == 1 { "batch" } else { "batches" },
        report.seed,
        report.events,
        if report.ideal { " (ideal: no delays, perfect detection)" } else { "" }
    );
    let _ = writeln!(out, "scenario {scenario_hash}, spofsim {}", sim_core::VERSION);
    let _ = writeln!(out, "estimator: {}", report.estimator);
    let _ = writeln!(
        out,
        "force cap {} per wait (pilot); mean cycle {}; likelihood ratio mean {:.4} (1 expected), variance {:.3}{}",
        report.force_cap,
        Duration::from_secs(report.mean_cycle_secs).human(),
        report.likelihood_ratio_mean,
        report.likelihood_ratio_variance,
        if report.truncated_cycles > 0 {
            format!("; {} cycle(s) cut short", report.truncated_cycles)
        } else {
            String::new()
        }
    );
    for n in &report.notes {
        let _ = writeln!(out, "note: {n}");
    }
    for s in &report.services {
        let _ = writeln!(out, "\nservice {}", s.name);
        let u = &s.unavailability;
        let nines = super::nines(u.value);
        let nines = if nines.is_finite() { format!(", {nines:.2} nines") } else { String::new() };
        let _ = writeln!(out, "  unavailability   {}", estimate_text(u));
        let _ = writeln!(out, "  availability     {:.9}%{nines}", 100.0 * (1.0 - u.value));
        let _ = writeln!(
            out,
            "  below full       {}{}",
            estimate_text(&s.full_service_unavailability),
            if report.ideal { " (what `analyze` computes)" } else { " (with --ideal: what `analyze` computes)" }
        );
        let _ = writeln!(out, "  downtime/year    {}", Duration::from_secs(s.downtime_secs_per_year).human());
        let _ = writeln!(out, "  outages/year     {}", estimate_text(&s.outages_per_year));
        let _ = writeln!(
            out,
            "  evidence         {} of {} cycles down; effective sample size {:.0}",
            s.cycles_with_downtime, report.cycles, s.effective_sample_size
        );
        if s.reliable {
            let _ = writeln!(out, "  verdict          reliable");
        }
        for w in &s.warnings {
            let _ = writeln!(out, "  unreliable       {w}");
        }
    }
    out
}
