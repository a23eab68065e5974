//! The menu bar: File (open, examples, recent, save, export), View, and a service
//! summary chip per service (green, amber, red under the current what-if).

use crate::app::App;
use crate::document::Source;
use crate::whatif::ServiceState;

pub fn menu_ui(ui: &mut egui::Ui, app: &mut App) {
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| file_menu_ui(ui, app));
            ui.menu_button("Examples", |ui| examples_menu_ui(ui, app));
            ui.menu_button("View", |ui| view_menu_ui(ui, app));
            ui.separator();
            let dirty = if app.doc.dirty() { " (edited)" } else { "" };
            ui.label(egui::RichText::new(format!("{}{dirty}", app.doc.source.label())).strong());
            ui.separator();
            services_ui(ui, app);
        });
    });
}

fn file_menu_ui(ui: &mut egui::Ui, app: &mut App) {
    if ui.button("Open…").clicked() {
        ui.close();
        crate::files::open_dialog(app);
    }
    ui.menu_button("Open recent", |ui| {
        if app.settings.recent.is_empty() {
            ui.weak("(none yet)");
        }
        for source in app.settings.recent.clone() {
            if ui.button(source.label()).clicked() {
                ui.close();
                crate::files::reopen(app, &source);
            }
        }
    });
    #[cfg(not(target_arch = "wasm32"))]
    {
        ui.separator();
        if ui.button("Save").clicked() {
            ui.close();
            crate::files::save(app);
        }
        if ui.button("Save as…").clicked() {
            ui.close();
            crate::files::save_as_dialog(app);
        }
        ui.separator();
        if ui.button("Export picture as SVG…").clicked() {
            ui.close();
            export_svg(app);
        }
        if ui.button("Export picture as PNG…").clicked() {
            ui.close();
            if let Some(path) =
                rfd::FileDialog::new().add_filter("PNG", &["png"]).set_file_name("topology.png").save_file()
            {
                crate::export::request_png(ui, app, path);
            }
        }
        if ui.button("Export report as one HTML file…").clicked() {
            ui.close();
            crate::export::request_report(app);
        }
        if ui.button("Export report folder…").clicked() {
            ui.close();
            if let Some(dir) = rfd::FileDialog::new().pick_folder() {
                match crate::export::report_folder(app, &dir) {
                    Ok(index) => app.report(format!("wrote the report to {}", index.display())),
                    Err(e) => app.report_error(e),
                }
            }
        }
    }
    #[cfg(target_arch = "wasm32")]
    {
        ui.separator();
        if ui.button("Download scenario").clicked() {
            ui.close();
            let name = download_name(app);
            let text = app.doc.text.clone();
            crate::files::deliver(app, &name, text.as_bytes());
        }
        if ui.button("Download report (HTML)").clicked() {
            ui.close();
            crate::export::request_report(app);
        }
        if ui.button("Download picture (SVG)").clicked() {
            ui.close();
            match crate::panels::topology::svg_of(app) {
                Some(svg) => crate::files::deliver(app, "topology.svg", svg.as_bytes()),
                None => app.report_error("nothing to export: the design has errors".into()),
            }
        }
        if ui.button("Download picture (PNG)").clicked() {
            ui.close();
            crate::export::request_png(ui, app, "topology.png".into());
        }
        ui.separator();
        let layered = !app.doc.bases.is_empty();
        let hover = if layered {
            "a link carries one file, and this design extends another: share both files instead"
        } else {
            "put the design in the page address, to copy and send"
        };
        if ui
            .add_enabled(!layered, egui::Button::new("Share link"))
            .on_hover_text(hover)
            .on_disabled_hover_text(hover)
            .clicked()
        {
            ui.close();
            app.share_link = Some(crate::share::encode(&app.doc.text));
        }
    }
    // Last, so the items above keep their places (the browser test clicks by position).
    ui.separator();
    if ui.button("Import from NetBox (saved responses)…").clicked() {
        ui.close();
        crate::files::import_netbox_dialog(app);
    }
    #[cfg(not(target_arch = "wasm32"))]
    if ui.button("Import from NetBox (live URL)…").clicked() {
        ui.close();
        app.netbox_form = Some(crate::files::NetboxForm {
            url: std::env::var("NETBOX_URL").unwrap_or_default(),
            token: String::new(),
        });
    }
}

/// The file name a download of the scenario gets.
#[cfg(target_arch = "wasm32")]
fn download_name(app: &App) -> String {
    match &app.doc.source {
        Source::Example(f) => f.rsplit('/').next().unwrap_or("scenario.jsonc").to_string(),
        Source::Unsaved(n) => n.clone(),
        Source::File(p) => p.file_name().map_or("scenario.jsonc".into(), |n| n.to_string_lossy().into_owned()),
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn export_svg(app: &mut App) {
    let Some(path) = rfd::FileDialog::new().add_filter("SVG", &["svg"]).set_file_name("topology.svg").save_file()
    else {
        return;
    };
    match crate::panels::topology::svg_of(app).ok_or_else(|| "nothing to export: the design has errors".to_string()) {
        Ok(svg) => match crate::export::write_file(&path, svg.as_bytes()) {
            Ok(()) => app.report(format!("wrote {}", path.display())),
            Err(e) => app.report_error(e),
        },
        Err(e) => app.report_error(e),
    }
}

fn examples_menu_ui(ui: &mut egui::Ui, app: &mut App) {
    let mut folder = "";
    let examples = crate::examples::EXAMPLES;
    // Top-level examples first, then one submenu per folder (both sorted).
    for e in examples.iter().filter(|e| e.folder().is_empty()) {
        if ui.button(e.title()).clicked() {
            ui.close();
            app.open(Source::Example(e.file.to_string()), e.text.to_string());
        }
    }
    ui.separator();
    for e in examples {
        if e.folder().is_empty() || e.folder() == folder {
            continue;
        }
        folder = e.folder();
        ui.menu_button(folder, |ui| {
            for e in examples.iter().filter(|x| x.folder() == folder) {
                if ui.button(e.title()).clicked() {
                    ui.close();
                    app.open(Source::Example(e.file.to_string()), e.text.to_string());
                }
            }
        });
    }
}

fn view_menu_ui(ui: &mut egui::Ui, app: &mut App) {
    if ui.checkbox(&mut app.settings.show_editor, "Scenario editor").changed() {
        ui.close();
    }
    if ui.checkbox(&mut app.view.layout.show_power, "Power layer").changed() {
        app.settings.show_power = app.view.layout.show_power;
        app.relayout();
    }
    ui.checkbox(&mut app.view.show_groups, "Redundancy group outlines");
    if ui.button("Fit to window").clicked() {
        app.view.fit_pending = true;
        ui.close();
    }
    if ui.button("Collapse everything").clicked() {
        app.view.layout.expanded.clear();
        app.relayout();
        app.view.fit_pending = true;
        ui.close();
    }
}

fn services_ui(ui: &mut egui::Ui, app: &mut App) {
    let Some(facts) = &app.doc.facts else { return };
    let mut order: Vec<usize> = (0..facts.model.services.len()).collect();
    order.sort_by(|&a, &b| facts.model.services[a].name.cmp(&facts.model.services[b].name));
    for i in order {
        let name = &facts.model.services[i].name;
        let state = app.whatif.outcome.as_ref().map_or(ServiceState::Up, |o| o.services[i]);
        let color = match state {
            ServiceState::Up => crate::style::GREEN,
            ServiceState::Degraded => crate::style::AMBER,
            ServiceState::Down => crate::style::SPOF_RED,
        };
        let spofs = facts
            .spofs
            .iter()
            .filter(|s| s.suppressed.is_none() && s.blast.services_down.iter().any(|(n, _)| n == name))
            .count();
        ui.label(egui::RichText::new(format!("{name}: {}", state.as_str())).color(color))
            .on_hover_text("service state under the current what-if");
        // A SPOF count is a problem, whatever the service's state.
        let (spof_text, spof_color) = match spofs {
            0 => ("no SPOF".to_string(), crate::style::GREEN),
            n => (format!("{n} SPOF"), crate::style::SPOF_RED),
        };
        ui.label(egui::RichText::new(spof_text).color(spof_color).strong())
            .on_hover_text("open single points of failure of this service (accepted ones not counted)");
    }
    if app.doc.stale() {
        ui.label(egui::RichText::new("(analysis of the last valid text)").italics());
    }
}
