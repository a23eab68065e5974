//! Availability per service: exact availability, nines and downtime per year against
//! the scenario's `expect` targets, and every `expect` verdict (as `spofsim check`).

use crate::analysis::{downtime_per_year, nines, percent};
use crate::app::App;
use crate::style::{AMBER, GREEN, SPOF_RED};

pub fn availability_ui(ui: &mut egui::Ui, app: &mut App) {
    let Some(facts) = &app.doc.facts else {
        ui.label("The design has errors; see the editor.");
        return;
    };
    let Some(exact) = &app.doc.exact else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("exact analysis running…");
        });
        return;
    };
    ui.heading("Exact availability");
    ui.weak("Steady state, independent failures, instant failover (the simulation measures the delays).");
    egui::Grid::new("availability").num_columns(5).striped(true).show(ui, |ui| {
        for h in ["service", "availability", "nines", "downtime / year", "target"] {
            ui.strong(h);
        }
        ui.end_row();
        for s in &exact.services {
            ui.label(&s.name);
            match &s.unavailability {
                Ok(u) => {
                    ui.label(percent(1.0 - u));
                    ui.label(format!("{:.2}", nines(*u)));
                    ui.label(downtime_per_year(*u));
                    let target = facts
                        .model
                        .expectations
                        .iter()
                        .filter(|x| x.service.is_some_and(|i| facts.model.services[i].name == s.name))
                        .find_map(|x| x.min_availability);
                    match target {
                        Some(t) => {
                            let (color, mark) = if 1.0 - u >= t { (GREEN, "pass") } else { (SPOF_RED, "FAIL") };
                            ui.colored_label(color, format!("{mark}: >= {}", percent(t)));
                        }
                        None => {
                            ui.weak("none");
                        }
                    }
                }
                Err(why) => match s.bounds {
                    Some(b) => {
                        ui.colored_label(
                            AMBER,
                            format!("{} .. {} (certified bounds)", percent(1.0 - b.upper), percent(1.0 - b.lower)),
                        )
                        .on_hover_text(format!("{}\n\n{}", why, BOUNDS_HOVER));
                        ui.label(format!("{:.2} .. {:.2}", nines(b.upper), nines(b.lower)));
                        ui.label(format!("{} .. {}", downtime_per_year(b.lower), downtime_per_year(b.upper)));
                        ui.label("");
                    }
                    None => {
                        ui.label("not computed").on_hover_text(why.to_string());
                        ui.label("");
                        ui.label("");
                        ui.label("");
                    }
                },
            }
            ui.end_row();
        }
    });
    // What each figure rests on beyond the standard assumptions: never silent.
    for s in &exact.services {
        for m in &s.modules {
            ui.label(format!("{}: solved exactly: {m}", s.name));
        }
        for n in &s.notes {
            ui.colored_label(AMBER, format!("{}: note: {n}", s.name));
        }
    }
    ui.separator();
    let Some(check) = &app.doc.check else {
        ui.heading("Expectations");
        ui.horizontal(|ui| {
            ui.spinner();
            let done = app.doc.check_progress.load(std::sync::atomic::Ordering::Relaxed);
            let run = sim_core::check::CHECK_SIMULATION;
            let years = u64::from(run.years) * run.replications;
            if done > 0 {
                ui.label(format!(
                    "checking the expect blocks: simulated {} of {years} years…",
                    done * u64::from(run.years)
                ));
            } else {
                ui.label(format!("checking the expect blocks (drills and a {years}-year simulation)…"));
            }
        });
        return;
    };
    ui.heading(format!("Expectations: {} passed, {} failed", check.verdicts.len() - check.failed(), check.failed()));
    if check.verdicts.is_empty() {
        ui.weak("The scenario has no expect block.");
    }
    egui::Grid::new("verdicts").num_columns(5).striped(true).show(ui, |ui| {
        for v in &check.verdicts {
            let (color, mark) = if v.passed { (GREEN, "pass") } else { (SPOF_RED, "FAIL") };
            ui.colored_label(color, mark);
            ui.label(v.service.as_deref().unwrap_or("(design)"));
            ui.label(format!("{} {}", v.measure, v.target));
            ui.label(v.measured_cell());
            ui.weak(v.measured_by);
            ui.end_row();
        }
    });
}

/// What certified bounds mean, on hover.
const BOUNDS_HOVER: &str = "Certified bounds: every state with at most three failures is decided (a failed single point of failure, a failed order-2 cut set, then each remaining triple, as far as the page's budget allows); the rest is left undecided. They are computed on the static model, which credits no hot spare, cold standby or UPS battery and queues no repair for a crew: where the design has such parts the highest availability shown is 100%, and with repair_crews the lowest is 0%, so the interval holds the true figure. The simulation measures the figure with timings.";
