//! `diff --format markdown`: the design diff for a pull-request comment.

use std::fmt::Write;

use sim_core::diff::DesignDiff;
use sim_core::units::Duration;

pub fn render(before: &str, after: &str, d: &DesignDiff) -> String {
    let mut o = format!("## spofsim diff\n\n`{before}` → `{after}`\n\n");
    let _ = writeln!(
        o,
        "| service | availability before | after | with timings before | after | downtime/year before | after | worst data loss | longest outage |\n|---|---|---|---|---|---|---|---|---|"
    );
    let pct = |f: Option<&sim_core::diff::ServiceFigures>| match f.map(|f| (f.availability, f.availability_bounds)) {
        Some((Some(a), _)) => format!("{:.6}%", a * 100.0),
        Some((None, Some((low, high)))) => {
            let (low, high) = super::availability_bounds_percent(1.0 - high, 1.0 - low);
            format!("{low} – {high} (bounds)")
        }
        _ => "–".into(),
    };
    let pct_timed = |a: Option<f64>| a.map_or("–".into(), |a| format!("{:.6}%", a * 100.0));
    let down = |s: Option<f64>| s.map_or("–".into(), |s| Duration::from_secs(s).human());
    for s in &d.services {
        let (b, a) = (s.before.as_ref(), s.after.as_ref());
        let change = |f: fn(&sim_core::diff::ServiceFigures) -> f64| format!("{} → {}", down(b.map(f)), down(a.map(f)));
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            s.name,
            pct(b),
            pct(a),
            pct_timed(b.and_then(|f| f.availability_with_timings)),
            pct_timed(a.and_then(|f| f.availability_with_timings)),
            down(b.and_then(|f| f.downtime_per_year_secs())),
            down(a.and_then(|f| f.downtime_per_year_secs())),
            {
                // Losing all the data has no length: it is shown as such.
                let loss = |f: Option<&sim_core::diff::ServiceFigures>| match f {
                    Some(f) if f.data_lost_entirely > 0 => format!("all data lost {}×", f.data_lost_entirely),
                    f => down(f.map(|f| f.worst_data_lost_secs)),
                };
                format!("{} → {}", loss(b), loss(a))
            },
            change(|f| f.longest_outage_secs)
        );
    }
    let _ = writeln!(
        o,
        "\nAvailability and downtime are the exact static figures (instant failover), or certified bounds where the exact analysis did not finish within `--budget-secs`; *with timings* adds detection and failover times to first order, the figure `spofsim check` judges availability targets on. Data loss and outages are simulated with seed {}, {} replications × {} years. The longest outage is shown, not judged: one run's maximum moves with the random draws. So does the worst data loss, which is judged only where something the service depends on changed (its elements, groups, backups or data copies).",
        d.simulation.seed, d.simulation.replications, d.simulation.years
    );
    let list = |title: &str, items: Vec<String>, o: &mut String| {
        if !items.is_empty() {
            let _ = writeln!(
                o,
                "\n**{title}**\n\n{}",
                items.iter().map(|i| format!("- {i}")).collect::<Vec<_>>().join("\n")
            );
        }
    };
    if !d.spofs_added.is_empty() || !d.spofs_removed.is_empty() {
        let _ = writeln!(o, "\n{}.", super::diff_text::SPOF_NOTE);
    }
    list("New single points of failure", d.spofs_added.iter().map(|s| format!("`{s}`")).collect(), &mut o);
    list("Single points of failure removed", d.spofs_removed.iter().map(|s| format!("`{s}`")).collect(), &mut o);
    list("New findings", d.findings_added.iter().map(|(c, s, m)| format!("{c} `{s}`: {m}")).collect(), &mut o);
    list("Findings resolved", d.findings_removed.iter().map(|(c, s, m)| format!("{c} `{s}`: {m}")).collect(), &mut o);
    let notes: Vec<String> = d
        .services
        .iter()
        .flat_map(|s| {
            let unchanged = s
                .same_fault_tree
                .then(|| format!("{}: same fault tree in both versions, so its availability is unchanged", s.name));
            unchanged.into_iter().chain(s.notes().into_iter().map(|n| format!("{}: {n}", s.name)))
        })
        .chain(d.notes.iter().cloned())
        .collect();
    list("Notes", notes, &mut o);
    let regressions = d.regressions();
    if regressions.is_empty() {
        let _ = writeln!(o, "\nRegressions: none");
    } else {
        list(&format!("Regressions ({})", regressions.len()), regressions, &mut o);
    }
    o
}
