//! `spofsim blast FILE ID...`: everything that goes down with the given components,
//! the dependency chain, the services affected and the redundancy defeated. It shows
//! the state once failover has completed (plus what the failover never sees, from a
//! drill that fails them all at one instant); every output says so, since the outage while failover runs is a
//! drill's to measure.

use std::io::Write;

use serde_json::json;
use sim_core::analysis::findings::blast_with_timings;
use sim_core::diagnostics::did_you_mean;

use crate::flags::{BlastArgs, ReportFormat};
use crate::render::ColorMode;
use crate::{inputs, Status};

pub fn run(args: &BlastArgs, color: ColorMode) -> Status {
    let model = match inputs::model_at(&args.file, color) {
        Ok(m) => m,
        Err(status) => return status,
    };
    let mut stderr = std::io::stderr().lock();
    let mut failed = Vec::new();
    let mut unknown = false;
    for name in &args.failed {
        match model.element_by_name(name) {
            Some(e) => failed.push(e.id),
            None => {
                let hint = did_you_mean(name, model.elements.iter().map(|e| e.name.as_str()))
                    .unwrap_or_else(|| "name a component, link or site of the scenario".to_string());
                let _ = writeln!(
                    stderr,
                    "error: {}: no component, link or site named \"{name}\"; {hint}",
                    args.file.display()
                );
                unknown = true;
            }
        }
    }
    if unknown {
        return Status::Invalid;
    }
    failed.sort();
    failed.dedup();
    let b = blast_with_timings(&model, &failed);
    // A failure that bites only while a group serves from its second member: a drill
    // from the all-up state shows nothing, so say how to reach that state first.
    let drill = match b.held_on_second.first() {
        Some(h) => format!(
            "add drills that fail {} first (so {} serves from {} and stays there) and {} after it, e.g. {{ \"fail\": \"{}\", \"at\": \"1h\", \"for\": \"10m\" }}, {{ \"fail\": \"{}\", \"at\": \"2h\", \"for\": \"1h\" }}",
            h.first,
            h.group,
            h.second,
            b.failed.join(" and "),
            h.first,
            b.failed.join("\", \"at\": \"2h\", \"for\": \"1h\" }, { \"fail\": \"")
        ),
        None => match drilled_with(&model, &failed) {
            Some(others) if others.is_empty() => {
                format!("the scenario's `drills` already fail {}", b.failed.join(" and "))
            }
            Some(others) => format!(
                "the scenario's `drills` already fail {}, though together with {} (whose effect the timeline shows too)",
                b.failed.join(" and "),
                others.join(", ")
            ),
            None => format!("add one that fails {} to the scenario's `drills`", b.failed.join(" and ")),
        },
    };
    let view = format!(
        "the state once failover has completed, with failures the failover never sees{}; the outage while it runs (detection and takeover) is not shown: a drill measures it ({drill}, then `spofsim simulate {} --drills-only`)",
        if failed.len() == 1 { "" } else { " (all of them failed at one instant, for the longest of their detection delays plus repair times)" },
        args.file.display()
    );
    let out = match args.format {
        ReportFormat::Json => {
            let v = json!({
                "format": "spofsim-blast",
                "version": 1,
                "spofsim": sim_core::VERSION,
                "input": args.file.display().to_string(),
                "failed": b.failed,
                "explanation": b.chain_text(),
                "chain": b.chain,
                "down_elements": b.down_elements,
                "down_groups": b.down_groups,
                "services_down": b.services_down.iter().map(|(s, r)| json!({ "service": s, "reasons": r })).collect::<Vec<_>>(),
                "defeats": b.defeats,
                "transfers": b.transfers,
                "connections_lost": b.connections_lost,
                "batteries": b.batteries,
                "two_masters": b.two_masters,
                "view": view,
            });
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
        ReportFormat::Text => {
            let mut o = format!("blast radius of {} in {}\n", b.failed.join(" + "), args.file.display());
            o.push_str(&format!("  why: {}\n", b.chain_text()));
            let list = |v: &[String]| if v.is_empty() { "none".to_string() } else { v.join(", ") };
            o.push_str(&format!("  down with it ({}): {}\n", b.down_elements.len(), list(&b.down_elements)));
            o.push_str(&format!("  groups stopped ({}): {}\n", b.down_groups.len(), list(&b.down_groups)));
            if b.services_down.is_empty() {
                o.push_str("  services: all still up\n");
            }
            for (s, reasons) in &b.services_down {
                o.push_str(&format!("  service {s} down: {}\n", reasons.join("; ")));
            }
            for d in &b.defeats {
                o.push_str(&format!("  defeats {d}\n"));
            }
            for t in &b.transfers {
                o.push_str(&format!("  transfer {t}\n"));
            }
            for t in &b.batteries {
                o.push_str(&format!("  battery {t}\n"));
            }
            for t in &b.connections_lost {
                o.push_str(&format!("  connections lost {t}\n"));
            }
            for t in &b.two_masters {
                o.push_str(&format!(
                    "  two masters {t}: the members no longer hear each other's adverts, so each side's first becomes master once its detection time (Master_Down_Interval, HSRP's hold time) passes and answers for the virtual IP until they do; meanwhile hosts on the side cut off from the old master have no gateway\n"
                ));
            }
            o.push_str(&format!("  view: {view}\n"));
            o
        }
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    Status::Ok
}

/// When the scenario's `drills` fail every element of `failed` at one instant: the
/// other elements their drills fail while those run (sorted names; empty when they run
/// alone), whose effect the timeline shows too. `None` when no such drill exists.
fn drilled_with(model: &sim_core::model::Model, failed: &[sim_core::model::ElementId]) -> Option<Vec<String>> {
    let &first = failed.first()?;
    model
        .drills
        .iter()
        .filter(|d| d.element == first)
        .filter_map(|d0| {
            let at = d0.at_secs;
            let together: Vec<&sim_core::model::Drill> = failed
                .iter()
                .filter_map(|&f| model.drills.iter().find(|d| d.element == f && d.at_secs == at))
                .collect();
            if together.len() != failed.len() {
                return None;
            }
            let end = together.iter().map(|d| d.at_secs + d.for_secs).fold(at, f64::max);
            let mut others: Vec<String> = model
                .drills
                .iter()
                .filter(|d| !failed.contains(&d.element) && d.at_secs < end && d.at_secs + d.for_secs > at)
                .map(|d| model.element(d.element).name.clone())
                .collect();
            others.sort();
            others.dedup();
            Some(others)
        })
        .min_by_key(|others| others.len())
}
