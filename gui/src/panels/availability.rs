//! Availability per service: exact availability, nines and downtime per year against
//! the scenario's `expect` targets, and every `expect` verdict (as `spofsim check`).

use crate::analysis::{downtime_per_year, nines, percent};
use crate::app::App;
use crate::style::{GREEN, SPOF_RED};

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
                Err(why) => {
                    ui.label("not computed").on_hover_text(crate::analysis::plain(why));
                    ui.label("");
                    ui.label("");
                    ui.label("");
                }
            }
            ui.end_row();
        }
    });
    ui.separator();
    let check = &exact.check;
    ui.heading(format!("Expectations: {} passed, {} failed", check.verdicts.len() - check.failed(), check.failed()));
    if check.verdicts.is_empty() {
        ui.weak("The scenario has no expect block.");
    }
    egui::Grid::new("verdicts").num_columns(4).striped(true).show(ui, |ui| {
        for v in &check.verdicts {
            let (color, mark) = if v.passed { (GREEN, "pass") } else { (SPOF_RED, "FAIL") };
            ui.colored_label(color, mark);
            ui.label(v.service.as_deref().unwrap_or("(design)"));
            ui.label(crate::analysis::plain(&format!("{} {}", v.measure, v.target)));
            ui.label(crate::analysis::plain(&v.measured_cell()));
            ui.end_row();
        }
    });
}
