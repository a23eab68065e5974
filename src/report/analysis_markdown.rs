//! `analyze` as Markdown, for pull-request comments and wikis: per service the exact
//! availability, then the SPOFs with their explanation chains, the design lints and
//! the most probable cut sets. Lists keep the analysis's order (SPOFs by
//! unavailability, lints by code, cut sets by probability).

use std::fmt::Write;

use sim_core::analysis::findings::Spof;
use sim_core::units::{Duration, SECS_PER_YEAR};

use super::{nines, Analysed, LintRow, ASSUMPTIONS};

const LISTED: usize = 10;

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn render(input: &str, max_order: Option<usize>, items: &[Analysed], spofs: &[Spof], lints: &[LintRow]) -> String {
    let mut out = String::new();
    let order = max_order.map_or("all".to_string(), |n| n.to_string());
    let _ = writeln!(out, "## spofsim analysis of `{}`\n", cell(input));
    let _ = writeln!(out, "spofsim {}, cut sets up to order {order}.\n", sim_core::VERSION);
    let _ = writeln!(out, "| top event | availability | nines | downtime per year | minimal cut sets |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for a in items {
        match &a.result {
            Ok((_, r)) => {
                let _ = writeln!(
                    out,
                    "| {} {} | {:.6}% | {:.2} | {} | {} |",
                    a.what,
                    cell(&a.name),
                    (1.0 - r.probability) * 100.0,
                    nines(r.probability),
                    Duration::from_secs(r.probability * SECS_PER_YEAR).human(),
                    r.total_cut_sets()
                );
                if let Some(Ok(t)) = &a.timed {
                    let u = t.unavailability();
                    let _ = writeln!(
                        out,
                        "| ↳ with timings | {:.6}% | {:.2} | {} | failover and restart {} |",
                        (1.0 - u) * 100.0,
                        nines(u),
                        Duration::from_secs(u * SECS_PER_YEAR).human(),
                        cell(&match super::idle_drops_text(t) {
                            Some(idle) => format!("{}; idle drops {idle}", super::failover_text(t)),
                            None => super::failover_text(t),
                        })
                    );
                }
            }
            Err(why) => match a.bounds {
                Some(b) => {
                    let (low, high) = super::availability_bounds_percent(b.lower, b.upper);
                    let _ = writeln!(
                        out,
                        "| {} {} | {low} .. {high} (certified bounds{}; exact figure not computed: {}) | {:.2} .. {:.2} | {} .. {} | |",
                        a.what,
                        cell(&a.name),
                        match super::bounds_halt(&b) {
                            h if h.is_empty() => h,
                            h => format!(", {}", cell(&h)),
                        },
                        cell(why),
                        nines(b.upper),
                        nines(b.lower),
                        Duration::from_secs(b.lower * SECS_PER_YEAR).human(),
                        Duration::from_secs(b.upper * SECS_PER_YEAR).human()
                    );
                }
                None => {
                    let _ = writeln!(out, "| {} {} | not computed: {} | | | |", a.what, cell(&a.name), cell(why));
                }
            },
        }
    }
    // A fault tree's single points of failure are its order-1 cut sets.
    for a in items.iter().filter(|a| a.what == "fault tree") {
        let events: Vec<String> = match &a.result {
            Ok((t, r)) => r.single_points.iter().map(|&e| t.events[e as usize].name.clone()).collect(),
            Err(_) => a.single_events.clone().unwrap_or_default(),
        };
        let _ = writeln!(
            out,
            "\n### Single points of failure of fault tree `{}` (order-1 cut sets): {}\n",
            cell(&a.name),
            events.len()
        );
        if !events.is_empty() {
            let _ = writeln!(out, "{}", events.iter().map(|e| format!("`{}`", cell(e))).collect::<Vec<_>>().join(", "));
        }
    }
    let scenario = items.iter().all(|a| a.what != "fault tree");
    if scenario {
        let _ = writeln!(out, "\n### Single points of failure: {}\n", spofs.len());
    }
    if !spofs.is_empty() {
        let _ = writeln!(out, "| element | kind | unavailability | why |\n|---|---|---|---|");
        for s in spofs {
            let _ = writeln!(
                out,
                "| `{}` | {} | {:.2e}{} | {} |",
                cell(&s.element),
                s.kind,
                s.probability,
                cell(&super::detected_and_battery_text(s)),
                match &s.suppressed {
                    Some(why) => cell(&format!("accepted: {why}. {}", s.blast.chain_text())),
                    None => cell(&format!("{}{}", s.blast.chain_text(), super::only_while_text(s))),
                }
            );
        }
    }
    let _ = writeln!(out, "\n### Design lints: {}\n", lints.len());
    if !lints.is_empty() {
        let _ = writeln!(out, "| where | severity | code | finding | fix |\n|---|---|---|---|---|");
        for l in lints {
            let f = l.finding;
            let _ = writeln!(
                out,
                "| `{}:{}:{}` | {} | {} `{}` | {} | {} |",
                cell(&l.file),
                l.line,
                l.column,
                f.severity.as_str(),
                f.code,
                f.name,
                cell(&f.message),
                cell(f.fix)
            );
        }
    }
    for a in items {
        let Ok((tree, r)) = &a.result else { continue };
        if r.cut_sets.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n### Most probable cut sets of {} `{}`\n", a.what, cell(&a.name));
        let _ = writeln!(out, "| probability | events |\n|---|---|");
        for c in r.cut_sets.iter().take(LISTED) {
            let names: Vec<&str> = c.events.iter().map(|&e| tree.events[e as usize].name.as_str()).collect();
            let _ = writeln!(out, "| {:.3e} | {} |", c.probability, cell(&names.join(" + ")));
        }
    }
    let mut notes: Vec<&str> = items.iter().filter_map(|a| a.bounds.as_ref()).flat_map(super::bounds_notes).collect();
    notes.extend(items.iter().filter_map(|a| a.static_bounds.map(|(_, why)| why)));
    notes.sort_unstable();
    notes.dedup();
    for note in notes {
        let _ = writeln!(out, "\n- **Certified bounds**: {}.", cell(note));
    }
    for a in items {
        if let Ok((_, r)) = &a.result {
            for m in &r.modules {
                let _ = writeln!(out, "\n- {} {}: solved exactly: {}", a.what, cell(&a.name), cell(m));
            }
            for n in &r.notes {
                let _ = writeln!(out, "\n- **Note** ({} {}): {}", a.what, cell(&a.name), cell(n));
            }
        }
    }
    let _ = writeln!(out, "\n*Assumptions: {}.*", ASSUMPTIONS.join("; "));
    out
}
