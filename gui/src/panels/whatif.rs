//! What-if: the failed components (click one to repair it), the services' states,
//! what went down with them and the redundancy the failures defeat; one click clears.

use crate::app::App;
use crate::style::{AMBER, GREEN, SPOF_RED};
use crate::whatif::ServiceState;

pub fn whatif_ui(ui: &mut egui::Ui, app: &mut App) {
    let Some(facts) = &app.doc.facts else { return };
    let model = facts.model.clone();
    if app.whatif.failed.is_empty() {
        ui.label("Nothing failed. Tick \"Failed (what-if)\" in the inspector, or right-click a component.");
        return;
    }
    let mut repair: Option<String> = None;
    ui.horizontal(|ui| {
        ui.heading(format!("Failed ({})", app.whatif.failed.len()));
        if ui.button("Clear all failures").clicked() {
            repair = Some(String::new());
        }
    });
    ui.horizontal_wrapped(|ui| {
        for name in &app.whatif.failed {
            if ui.button(format!("repair {name}")).on_hover_text("mark it working again").clicked() {
                repair = Some(name.clone());
            }
        }
    });
    if let Some(o) = &app.whatif.outcome {
        ui.separator();
        let mut order: Vec<usize> = (0..model.services.len()).collect();
        order.sort_by(|&a, &b| model.services[a].name.cmp(&model.services[b].name));
        for i in order {
            let state = o.services[i];
            let color = match state {
                ServiceState::Up => GREEN,
                ServiceState::Degraded => AMBER,
                ServiceState::Down => SPOF_RED,
            };
            ui.colored_label(color, format!("service {}: {}", model.services[i].name, state.as_str()));
        }
        ui.separator();
        ui.label(o.blast.chain_text());
        for d in &o.blast.defeats {
            ui.label(format!("defeats: {}", d));
        }
        ui.collapsing(format!("Affected components ({})", o.blast.down_elements.len()), |ui| {
            for n in &o.blast.down_elements {
                ui.label(n);
            }
        });
        if !o.blast.down_groups.is_empty() {
            ui.collapsing(format!("Groups down ({})", o.blast.down_groups.len()), |ui| {
                for g in &o.blast.down_groups {
                    ui.label(g);
                }
            });
        }
    }
    match repair {
        Some(n) if n.is_empty() => app.clear_failures(),
        Some(n) => app.toggle_failed(&n),
        None => {}
    }
}
