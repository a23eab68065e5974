//! Human-readable analysis report. SPOFs and lint severities are coloured when the
//! caller's colour mode says so (a terminal, no NO_COLOR, or `--color always`).

use std::fmt::Write;

use sim_core::units::{Duration, SECS_PER_YEAR};

use sim_core::analysis::findings::Spof;

use super::{failover_text, nines, Analysed, LintRow, ASSUMPTIONS, TIMED_NOTE};
use crate::render::ColorMode;

const LISTED: usize = 20;

pub fn render(
    input: &str,
    scenario: bool,
    max_order: Option<usize>,
    items: &[Analysed],
    spofs: &[Spof],
    lints: &[LintRow],
    color: ColorMode,
) -> String {
    let mut out = String::new();
    let order = max_order.map_or("all".to_string(), |n| n.to_string());
    let _ = writeln!(out, "spofsim {} analysis of {input} (cut sets up to order {order})", sim_core::VERSION);
    if scenario && items.is_empty() {
        let _ = writeln!(out, "\nno services: declare one in \"services\" (an entry and the tiers a request passes) to analyse availability");
    }
    if scenario {
        let open = spofs.iter().filter(|s| s.suppressed.is_none()).count();
        let count = color.verdict(&spofs.len().to_string(), open == 0);
        let accepted = match spofs.len() - open {
            0 => String::new(),
            n => format!(" ({n} accepted by the scenario's suppress list)"),
        };
        let _ = writeln!(out, "\nsingle points of failure: {count}{accepted}");
        for s in spofs {
            let services: Vec<&str> = s.blast.services_down.iter().map(|(n, _)| n.as_str()).collect();
            let _ = writeln!(
                out,
                "  {} ({}, unavailability {:.2e}{}) takes down {}{}",
                color.verdict(&s.element, false),
                s.kind,
                s.probability,
                super::detected_and_battery_text(s),
                services.join(", "),
                super::only_while_text(s)
            );
            if let Some(why) = &s.suppressed {
                let _ = writeln!(out, "    accepted: {why}");
            }
            let _ = writeln!(out, "    why: {}", s.blast.chain_text());
            for d in &s.blast.defeats {
                let _ = writeln!(out, "    defeats {d}");
            }
        }
        let _ = writeln!(out, "\ndesign lints: {}", lints.len());
        for l in lints {
            let f = l.finding;
            let _ = writeln!(
                out,
                "  {}:{}:{} {} {} [{}] {}",
                l.file,
                l.line,
                l.column,
                color.severity(f.severity.as_str(), f.severity == sim_core::lints::Severity::Error),
                f.code,
                f.name,
                f.message
            );
            if let Some(why) = &f.suppressed {
                let _ = writeln!(out, "    accepted: {why}");
            }
            let _ = writeln!(out, "    fix: {}", f.fix);
        }
    }
    for a in items {
        let _ = writeln!(out, "\n{} {}", a.what, a.name);
        let (tree, r) = match &a.result {
            Ok((tree, r)) => (*tree, r),
            Err(why) => {
                let _ = writeln!(out, "  exact figure not computed: {why}");
                if let Some(b) = a.bounds {
                    let (lower_u, upper_u) = super::unavailability_bounds_sci(b.lower, b.upper);
                    let _ = writeln!(
                        out,
                        "  unavailability      between {lower_u} and {upper_u} (certified; gap {:.2}% of the upper bound{})",
                        b.relative_gap() * 100.0,
                        match super::bounds_halt(&b) {
                            h if h.is_empty() => h,
                            h => format!(", {h}"),
                        }
                    );
                    let (low, high) = super::availability_bounds_percent(b.lower, b.upper);
                    let _ = writeln!(out, "  availability        between {low} and {high}");
                    if let Some((s, why)) = a.static_bounds {
                        let (lower_u, upper_u) = super::unavailability_bounds_sci(s.lower, s.upper);
                        let _ = writeln!(out, "  static model        unavailability between {lower_u} and {upper_u}");
                        let _ = writeln!(out, "  note: {why}; `spofsim simulate` measures the true figure");
                    }
                    for note in super::bounds_notes(&b) {
                        let _ = writeln!(out, "  note: {note}");
                    }
                }
                if let Some(events) = &a.single_events {
                    let list = if events.is_empty() { "none".to_string() } else { events.join(", ") };
                    let _ = writeln!(
                        out,
                        "  single points of failure (events that alone cause the top event): {} ({list})",
                        events.len()
                    );
                }
                continue;
            }
        };
        let name = |e: u32| tree.events[e as usize].name.as_str();
        if a.what == "service" {
            let downtime = Duration::from_secs(r.probability * SECS_PER_YEAR).human();
            let _ = writeln!(
                out,
                "  availability        {:.6}%  ({:.2} nines, {} down per year)",
                (1.0 - r.probability) * 100.0,
                nines(r.probability),
                downtime
            );
        }
        if r.probability >= 1.0 - 1e-12 {
            let _ = writeln!(
                out,
                "  down with nothing failed: no chain of working members carries it, even with every failover perfect (docs/SEMANTICS.md §4)"
            );
        }
        if let Some(timed) = &a.timed {
            match timed {
                Ok(t) => {
                    let u = t.unavailability();
                    if t.down_as_elected {
                        let _ = writeln!(
                            out,
                            "  with timings        ≥ 0%  (down with nothing failed, SPOF-L033: a lower bound, not an estimate; `spofsim simulate` measures it)"
                        );
                    } else {
                        let _ = writeln!(
                            out,
                            "  with timings        {:.6}%  ({:.2} nines, {} down per year)",
                            (1.0 - u) * 100.0,
                            nines(u),
                            Duration::from_secs(u * SECS_PER_YEAR).human()
                        );
                    }
                    // Inside a solved Markov chain the detection delay lengthens the
                    // repair, holding a crew while nobody works on it (pessimistic with
                    // repair_crews; a cold standby's chain is sensitive to the shape).
                    let exactness = if r.crew_chains {
                        "exact outside the parts solved with repair crews; inside them detection and repair are one repair that holds a crew, which errs pessimistic"
                    } else {
                        "exact"
                    };
                    let _ = writeln!(
                        out,
                        "    with detection    {:.6e} unavailability (repairs start when noticed; {exactness})",
                        t.detected
                    );
                    let _ = writeln!(out, "    failover, restart +{}", failover_text(t));
                    if let Some(idle) = super::idle_drops_text(t) {
                        let _ = writeln!(out, "    idle drops        +{idle}");
                    }
                }
                Err(why) => {
                    let _ = writeln!(out, "  with timings        not computed: {why}");
                }
            }
        }
        let _ = writeln!(out, "  top-event probability {:.6e}", r.probability);
        for m in &r.modules {
            let _ = writeln!(out, "  solved exactly      {m}");
        }
        if !r.modules.is_empty() {
            let _ = writeln!(
                out,
                "  (not the figure: the same tree read with every part independent and static, blind to how the solved parts tie their events together, gives {:.6e}; cut-set probabilities and importance use the solved parts' joint distributions)",
                r.static_probability
            );
        }
        for n in &r.notes {
            let _ = writeln!(out, "  note: {n}");
        }
        let counts: Vec<String> = r
            .counts_by_order
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, &n)| n > 0)
            .map(|(o, n)| format!("order {o}: {n}"))
            .collect();
        let _ = writeln!(
            out,
            "  minimal cut sets    {} ({})",
            r.total_cut_sets(),
            if counts.is_empty() { "none".to_string() } else { counts.join(", ") }
        );
        if !r.cut_sets.is_empty() {
            let _ = writeln!(out, "  most probable cut sets:");
            for c in r.cut_sets.iter().take(LISTED) {
                let names: Vec<&str> = c.events.iter().map(|&e| name(e)).collect();
                let _ = writeln!(out, "    {:.3e}  {}", c.probability, names.join(" + "));
            }
            if r.cut_sets.len() > LISTED || r.truncated {
                let _ = writeln!(out, "    ... (--format json lists up to 1000)");
            }
        }
        if !r.importance.is_empty() {
            let mut imp: Vec<_> = r.importance.iter().collect();
            imp.sort_by(|a, b| {
                b.fussell_vesely.total_cmp(&a.fussell_vesely).then_with(|| name(a.event).cmp(name(b.event)))
            });
            let _ = writeln!(out, "  importance (top {} by Fussell-Vesely):", imp.len().min(10));
            let _ = writeln!(out, "    {:<24} {:>10} {:>10} {:>10} {:>10}", "event", "F-V", "Birnbaum", "RAW", "RRW");
            for i in imp.iter().take(10) {
                let _ = writeln!(
                    out,
                    "    {:<24} {:>10.3e} {:>10.3e} {:>10.3e} {:>10.4}",
                    name(i.event),
                    i.fussell_vesely,
                    i.birnbaum,
                    i.raw,
                    i.rrw
                );
            }
        }
    }
    let _ = writeln!(out, "\nassumptions: {}.", ASSUMPTIONS.join("; "));
    if items.iter().any(|a| matches!(a.timed, Some(Ok(_)))) {
        let _ = writeln!(out, "with timings: {TIMED_NOTE}.");
    }
    out
}
