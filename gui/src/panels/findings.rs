//! Findings: single points of failure (with their chains), minimal cut sets by order
//! per service, and design lints with their codes. Clicking a finding highlights its
//! elements in the topology; "explain" shows `spofsim explain CODE` inline.

use crate::app::App;
use crate::style::{AMBER, SPOF_RED};

/// Cut sets shown per service before "… and N more".
const SHOWN_CUT_SETS: usize = 30;

pub fn findings_ui(ui: &mut egui::Ui, app: &mut App) {
    let Some(facts) = &app.doc.facts else {
        ui.label("The design has errors; see the editor.");
        return;
    };
    let model = facts.model.clone();
    let mut highlight: Option<(String, Vec<String>)> = None;
    let mut jump: Option<usize> = None;

    ui.heading(format!("Single points of failure ({})", facts.spofs.len()));
    if facts.spofs.is_empty() {
        ui.colored_label(crate::style::GREEN, "None: no single component failure takes a service down.");
    }
    for spof in &facts.spofs {
        ui.horizontal(|ui| {
            // An accepted SPOF in the canvas's orange, an open one in red.
            let color = if spof.suppressed.is_some() { crate::style::ACCEPTED } else { SPOF_RED };
            let text = egui::RichText::new(format!("SPOF {} ({})", spof.element, spof.kind)).color(color).strong();
            if ui.link(text).on_hover_text("highlight its chain in the topology").clicked() {
                let mut names = vec![spof.element.clone()];
                names.extend(spof.blast.down_elements.iter().cloned());
                highlight = Some((format!("SPOF {}", spof.element), names));
            }
            if let Some(reason) = &spof.suppressed {
                ui.weak(format!("accepted: {}", reason));
            }
        });
        ui.label(spof.blast.chain_text());
    }
    explain_ui(ui, sim_core::explain::SPOF_FINDING);

    ui.separator();
    ui.heading("Minimal cut sets");
    match &app.doc.exact {
        None => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("exact analysis running…");
            });
        }
        Some(exact) => {
            for s in &exact.services {
                egui::CollapsingHeader::new(format!("service {}", s.name)).default_open(true).show(ui, |ui| {
                    if let Err(why) = &s.unavailability {
                        ui.colored_label(AMBER, why.to_string());
                        return;
                    }
                    let counts: Vec<String> = s
                        .counts_by_order
                        .iter()
                        .enumerate()
                        .skip(1)
                        .map(|(order, n)| format!("order {order}: {n}"))
                        .collect();
                    ui.label(counts.join(" · "));
                    for (events, p) in s.cut_sets.iter().take(SHOWN_CUT_SETS) {
                        let text = format!("{{{}}}  p = {p:.3e}", events.join(", "));
                        if ui.link(text).clicked() {
                            highlight = Some((format!("cut set {{{}}}", events.join(", ")), events.clone()));
                        }
                    }
                    if s.cut_sets.len() > SHOWN_CUT_SETS {
                        ui.weak(format!(
                            "… and {} more listed by `spofsim analyze`",
                            s.cut_sets.len() - SHOWN_CUT_SETS
                        ));
                    }
                });
            }
        }
    }

    ui.separator();
    ui.heading(format!("Lints ({})", facts.lints.len()));
    let index = sim_core::syntax::LineIndex::new(&app.doc.analysed_text);
    for f in &facts.lints {
        let (at, local) = match app.doc.place(f.span) {
            crate::document::Place::Here(local) => {
                let (line, column) = index.line_col(&app.doc.analysed_text, local.start as usize);
                (format!("line {line}:{column}"), Some(local.start as usize))
            }
            crate::document::Place::Base { file, line, column } => (format!("{file}:{line}:{column}"), None),
        };
        ui.horizontal_wrapped(|ui| {
            let color = if f.severity == sim_core::lints::Severity::Error { SPOF_RED } else { AMBER };
            let head = egui::RichText::new(format!("{} {}", f.code, f.subject)).color(color).strong();
            if ui.link(head).on_hover_text("highlight it and show the line in the editor").clicked() {
                highlight = Some((format!("{} {}", f.code, f.subject), vec![f.subject.clone()]));
                jump = local;
            }
            ui.weak(at);
        });
        ui.label(f.message.to_string());
        explain_ui(ui, f.code);
    }
    if let Some((label, names)) = highlight {
        let mut names = names;
        // A group subject lights its members.
        for g in &model.groups {
            if names.contains(&g.name) {
                names.extend(g.members.iter().map(|&m| model.element(m).name.clone()));
            }
        }
        app.highlight_names(&label, names.iter().map(String::as_str));
    }
    if let Some(offset) = jump {
        app.editor_jump = Some(offset);
        app.settings.show_editor = true;
    }
}

/// `spofsim explain CODE`, folded.
fn explain_ui(ui: &mut egui::Ui, code: &str) {
    let Some(x) = sim_core::explain::explain(code) else { return };
    egui::CollapsingHeader::new(format!("explain {code}: {}", x.name))
        .id_salt(("explain", code, ui.next_auto_id()))
        .show(ui, |ui| {
            ui.label(x.summary.to_string());
            ui.label(format!("Why: {}", x.rationale));
            ui.label(format!("Fix: {}", x.fix));
            ui.monospace(x.example.to_string());
        });
}
