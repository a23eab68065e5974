//! The scenario editor: the text side by side with the picture, validated as you type.
//! Diagnostics are listed with line and column; clicking one moves the cursor there.
//! A valid edit re-analyses at once (large files after a short pause), so the
//! topology, findings and availability follow the text.

use egui::text::{CCursor, CCursorRange};

use crate::app::App;
use crate::style::{AMBER, SPOF_RED};

/// Texts above this size are re-analysed after a pause in typing, not on every key.
pub const IMMEDIATE_BELOW_BYTES: usize = 60_000;
/// The pause, in seconds.
pub const DEBOUNCE_SECS: f64 = 0.4;

pub fn editor_ui(ui: &mut egui::Ui, app: &mut App) {
    let id = ui.scope_id().with("scenario-text");
    ui.horizontal(|ui| {
        ui.strong("Scenario");
        if app.doc.dirty() {
            ui.label("(unsaved edits)");
        }
        #[cfg(not(target_arch = "wasm32"))]
        if ui.button("Save").clicked() {
            crate::files::save(app);
        }
    });
    let problems_height = (app.doc.problems.len().min(8) as f32 * 20.0 + 30.0).min(ui.available_height() / 3.0);
    let mut jump_line: Option<usize> = None;
    if let Some(offset) = app.editor_jump.take() {
        let chars = app.doc.text.get(..offset.min(app.doc.text.len())).map_or(0, |t| t.chars().count());
        if let Some(mut state) = egui::TextEdit::load_state(ui.ctx(), id) {
            state.cursor.set_char_range(Some(CCursorRange::one(CCursor::new(chars))));
            state.store(ui.ctx(), id);
        }
        ui.memory_mut(|m| m.request_focus(id));
        jump_line = Some(app.doc.text[..offset.min(app.doc.text.len())].matches('\n').count());
    }
    let mut scroll =
        egui::ScrollArea::vertical().id_salt("editor-scroll").max_height(ui.available_height() - problems_height);
    if let Some(line) = jump_line {
        let row = ui.text_style_height(&egui::TextStyle::Monospace);
        scroll = scroll.vertical_scroll_offset((line as f32 * row - 60.0).max(0.0));
    }
    let mut text = app.doc.text.clone();
    let changed = scroll
        .show(ui, |ui| {
            ui.add(
                egui::TextEdit::multiline(&mut text).id(id).code_editor().desired_width(f32::INFINITY).desired_rows(30),
            )
            .changed()
        })
        .inner;
    if changed {
        if text.len() < IMMEDIATE_BELOW_BYTES {
            app.edit(text);
        } else {
            app.doc.text = text;
            app.edit_pending_since = Some(ui.input(|i| i.time));
        }
    }
    ui.separator();
    problems_ui(ui, app);
}

fn problems_ui(ui: &mut egui::Ui, app: &mut App) {
    if app.doc.problems.is_empty() {
        ui.colored_label(crate::style::GREEN, "valid: no problems");
        return;
    }
    let mut jump = None;
    egui::ScrollArea::vertical().id_salt("problems").show(ui, |ui| {
        for p in &app.doc.problems {
            let color = if p.error { SPOF_RED } else { AMBER };
            let file = p.file.as_deref().map(|f| format!("{f}:")).unwrap_or_default();
            let text =
                egui::RichText::new(format!("{file}{}:{} {} {}", p.line, p.column, p.code, p.message)).color(color);
            if ui.link(text).clicked() && p.file.is_none() {
                jump = Some(p.offset);
            }
        }
    });
    if jump.is_some() {
        app.editor_jump = jump;
    }
}
