//! The status bar: the last message (errors in red, each reported once) and what the
//! engine is doing.

use crate::app::App;

pub fn status_ui(ui: &mut egui::Ui, app: &mut App) {
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal(|ui| {
            if let Some(status) = &app.status {
                let color = if status.error { crate::style::SPOF_RED } else { ui.visuals().text_color() };
                ui.label(egui::RichText::new(&status.text).color(color));
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if app.doc.exact_pending() {
                    ui.spinner();
                    ui.label("exact analysis running…");
                }
                let errors = app.doc.problems.iter().filter(|p| p.error).count();
                if errors > 0 {
                    ui.label(egui::RichText::new(format!("{errors} error(s)")).color(crate::style::SPOF_RED));
                }
            });
        });
    });
}
