//! The inspector: the selected component's kind, site, failure figures, importance per
//! service, what it depends on and what depends on it, its parts, a what-if toggle,
//! and its declaration's properties, editable (written back into the scenario text).

use sim_core::model::{EdgeKind, ElementId, NodeRef};

use crate::app::{App, Selection};
use crate::properties;
use crate::style::SPOF_RED;

/// Edge kinds listed under "depends on" / "needed by", in this order.
const EDGE_KINDS: [EdgeKind; 11] = [
    EdgeKind::Power,
    EdgeKind::Network,
    EdgeKind::Storage,
    EdgeKind::Hosting,
    EdgeKind::Member,
    EdgeKind::Quorum,
    EdgeKind::Replication,
    EdgeKind::Site,
    EdgeKind::Monitors,
    EdgeKind::Backs,
    EdgeKind::Serves,
];

pub fn inspector_ui(ui: &mut egui::Ui, app: &mut App) {
    match app.selection.clone() {
        None => {
            ui.label("Click a component in the topology (or search its id) to inspect it.");
        }
        Some(Selection::Collapsed(key)) => collapsed_ui(ui, app, &key),
        Some(Selection::Group(name)) => group_ui(ui, app, &name),
        Some(Selection::Element(name)) => element_ui(ui, app, &name),
    }
}

fn collapsed_ui(ui: &mut egui::Ui, app: &mut App, key: &str) {
    let Some(i) = app.view.scene.node_by_key(key) else { return };
    ui.heading(&app.view.scene.nodes[i].label);
    if ui.button("Expand").clicked() {
        app.view.layout.expanded.insert(key.to_string());
        app.relayout();
    }
}

fn element_ui(ui: &mut egui::Ui, app: &mut App, name: &str) {
    let Some(facts) = &app.doc.facts else { return };
    let model = facts.model.clone();
    let Some(e) = model.element_by_name(name) else {
        ui.label(format!("{name} is no longer in the design."));
        return;
    };
    ui.heading(&e.name);
    ui.label(if e.kind == "site" {
        "site: everything placed in it fails with it".to_string()
    } else {
        format!(
            "{} · layer {} · {}",
            e.kind,
            e.layer.as_str(),
            e.site.map_or("no site".to_string(), |s| format!("site {}", model.element(s).name))
        )
    });
    let spof = facts.spof_of(e.id).cloned();
    let parts: Vec<(String, bool)> = app
        .view
        .scene
        .node_of
        .get(&e.id)
        .map(|&i| app.view.scene.nodes[i].elements.iter().filter(|&&p| p != e.id).copied().collect::<Vec<ElementId>>())
        .unwrap_or_default()
        .into_iter()
        .map(|p| (model.element(p).name.clone(), facts.spof_of(p).is_some()))
        .collect();
    let mut failed = app.whatif.is_failed(&e.name);
    if ui.checkbox(&mut failed, "Failed (what-if)").changed() {
        app.toggle_failed(&e.name);
    }
    if let Some(spof) = spof {
        match &spof.suppressed {
            None => ui.colored_label(SPOF_RED, "Single point of failure"),
            Some(why) => ui.colored_label(crate::style::ACCEPTED, format!("Single point of failure, accepted: {why}")),
        };
        ui.label(spof.blast.chain_text());
        if !spof.blast.defeats.is_empty() {
            ui.label(format!("defeats: {}", spof.blast.defeats.join("; ")));
        }
    }
    ui.separator();
    match e.failure {
        Some(f) => {
            let d = |s: f64| sim_core::units::Duration::from_secs(s).to_string();
            ui.label(format!(
                "MTBF {} · MTTR {} · availability {}",
                d(f.mtbf_secs),
                d(f.mttr_secs),
                crate::analysis::percent(f.availability())
            ));
        }
        None => {
            ui.label("never fails on its own");
        }
    }
    importance_ui(ui, app, &e.name);
    ui.separator();
    let mut go: Option<String> = None;
    let mut go_group: Option<String> = None;
    if !parts.is_empty() {
        egui::CollapsingHeader::new(format!("Parts ({})", parts.len())).default_open(true).show(ui, |ui| {
            for (part, spof) in &parts {
                let text =
                    if *spof { egui::RichText::new(format!("{part}  SPOF")).color(SPOF_RED) } else { part.into() };
                if ui.link(text).clicked() {
                    go = Some(part.clone());
                }
            }
        });
    }
    let node = NodeRef::Element(e.id);
    for (title, outgoing) in [("Depends on", true), ("Needed by", false)] {
        egui::CollapsingHeader::new(title).default_open(true).show(ui, |ui| {
            let mut any = false;
            for kind in EDGE_KINDS {
                let targets = if outgoing {
                    sim_core::model::edge_targets(&model, node, kind)
                } else {
                    sim_core::model::edge_sources(&model, node, kind)
                };
                if targets.is_empty() {
                    continue;
                }
                any = true;
                ui.horizontal_wrapped(|ui| {
                    ui.label(format!("{}:", kind.as_str()));
                    for t in targets {
                        let label = match t {
                            NodeRef::Group(g) => format!("group {}", model.group(g).name),
                            NodeRef::Service(_) => format!("service {}", model.name_of(t)),
                            NodeRef::Element(_) => model.name_of(t).to_string(),
                        };
                        match t {
                            NodeRef::Element(x) => {
                                if ui.link(label).clicked() {
                                    go = Some(model.element(x).name.clone());
                                }
                            }
                            NodeRef::Group(g) => {
                                if ui.link(label).clicked() {
                                    go_group = Some(model.group(g).name.clone());
                                }
                            }
                            NodeRef::Service(_) => {
                                ui.label(label);
                            }
                        }
                    }
                });
            }
            if !any {
                ui.weak("nothing");
            }
        });
    }
    if let Some(n) = go {
        app.select_element(&n);
        return;
    }
    if let Some(g) = go_group {
        app.select_group(&g);
        return;
    }
    ui.separator();
    properties_ui(ui, app, e.span, &e.name, e.failure.is_some());
}

/// A redundancy group: kind, arrangement, members, failover timing and its fields
/// (timers, mode), editable like a component's.
fn group_ui(ui: &mut egui::Ui, app: &mut App, name: &str) {
    let Some(facts) = &app.doc.facts else { return };
    let model = facts.model.clone();
    let Some(g) = model.groups.iter().find(|g| g.name == name) else {
        ui.label(format!("{name} is no longer in the design."));
        return;
    };
    ui.heading(&g.name);
    let arrangement = match g.arrangement {
        sim_core::model::Arrangement::ActiveStandby => "active-standby".to_string(),
        sim_core::model::Arrangement::ActiveActive { need } => format!("active-active, needs {need}"),
    };
    ui.label(format!("{} group · {arrangement}", g.kind));
    if let Some(s) = &g.switchover {
        let d = |x: f64| sim_core::units::Duration::from_secs(x).to_string();
        ui.label(format!(
            "failover: detect {} + takeover {} · detector sees {:?}",
            d(s.detect_secs),
            d(s.takeover_secs),
            s.sees
        ));
    }
    for (key, value) in &g.attrs {
        ui.label(format!("{key} = {}", value));
    }
    let mut go = None;
    ui.horizontal_wrapped(|ui| {
        ui.label("members:");
        for &m in &g.members {
            let member = model.element(m);
            if ui.link(&member.name).clicked() {
                go = Some(member.name.clone());
            }
        }
    });
    if let Some(n) = go {
        app.select_element(&n);
        return;
    }
    ui.separator();
    properties_ui(ui, app, g.span, &g.name, false);
}

fn importance_ui(ui: &mut egui::Ui, app: &App, name: &str) {
    let Some(exact) = &app.doc.exact else {
        if app.doc.exact_pending() {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("computing importance…");
            });
        }
        return;
    };
    for s in &exact.services {
        if let Some((birnbaum, fv)) = s.importance.get(name) {
            ui.label(format!("service {}: Birnbaum {birnbaum:.3e} · Fussell-Vesely {fv:.3e}", s.name));
        }
    }
}

/// The declaration's fields; MTBF and MTTR are always offered.
fn properties_ui(ui: &mut egui::Ui, app: &mut App, span: sim_core::syntax::Span, name: &str, fails: bool) {
    let span = match app.doc.place(span) {
        crate::document::Place::Here(local) => local,
        crate::document::Place::Base { file, line, column } => {
            ui.weak(format!(
                "{name} is declared in {file}:{line}:{column}, which this file extends; to change a field, \
                 write an entry with the same id in this file (it overrides only the fields you write)."
            ));
            return;
        }
    };
    let mut fields = properties::fields(&app.doc.text, span);
    if fields.is_empty() {
        ui.weak(format!("{name} is declared inside another component; edit it there (or in the editor)."));
        return;
    }
    if fails {
        for key in ["mtbf", "mttr"] {
            if !fields.iter().any(|f| f.path == key) {
                fields.push(properties::Field { path: key.into(), shown: String::new(), is_string: true, span });
            }
        }
    }
    ui.strong("Properties (written back into the scenario)");
    let id = ui.scope_id().with(("props", name));
    let mut commit: Option<(String, String)> = None;
    egui::Grid::new(id).num_columns(2).striped(true).show(ui, |ui| {
        for f in &fields {
            let label = ui.label(&f.path);
            let key = id.with(&f.path);
            let mut value = ui.data_mut(|d| d.get_temp::<String>(key)).unwrap_or_else(|| f.shown.clone());
            let hint = if f.shown.is_empty() { "kind default" } else { "" };
            let response = ui
                .add(egui::TextEdit::singleline(&mut value).hint_text(hint).desired_width(160.0))
                .labelled_by(label.id);
            if response.changed() {
                ui.data_mut(|d| d.insert_temp(key, value.clone()));
            }
            if response.lost_focus() && value != f.shown && !value.is_empty() {
                commit = Some((f.path.clone(), value.clone()));
            }
            ui.end_row();
        }
    });
    if let Some((path, value)) = commit {
        ui.data_mut(|d| d.remove::<String>(id.with(&path)));
        set_property(app, span, &path, &value);
    }
}

/// Writes one property into the text and re-analyses.
pub fn set_property(app: &mut App, span: sim_core::syntax::Span, path: &str, value: &str) {
    match properties::set_field(&app.doc.text, span, path, value) {
        Ok(text) => {
            app.edit(text);
            if app.doc.has_errors() {
                app.report_error(format!("{path} = {value}: the scenario no longer validates; see the editor"));
            } else {
                app.report(format!("{path} set to {value}"));
            }
        }
        Err(e) => app.report_error(e),
    }
}
