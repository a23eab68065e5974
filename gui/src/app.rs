//! The app's state and its frame: menus on top, the topology in the middle, the
//! editor on the left, one panel at a time on the right. State lives here and in the
//! modules it owns; each `*_ui` function in `panels/` draws one panel from it.

use std::collections::BTreeSet;

use sim_core::model::ElementId;

use crate::document::{Document, Source};
use crate::files::Settings;
use crate::layout::{LayoutOptions, Scene};
use crate::sim_run::SimRun;
use crate::whatif::WhatIf;

/// The right-hand panel on show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Tab {
    Inspector,
    Findings,
    Availability,
    WhatIf,
    Simulation,
}

impl Tab {
    pub const ALL: [Tab; 5] = [Tab::Inspector, Tab::Findings, Tab::Availability, Tab::WhatIf, Tab::Simulation];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Inspector => "Inspector",
            Tab::Findings => "Findings",
            Tab::Availability => "Availability",
            Tab::WhatIf => "What-if",
            Tab::Simulation => "Simulation",
        }
    }
}

/// What the inspector shows: an element by name, or a collapsed node by key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    Element(String),
    /// A redundancy group (bond, VRRP, cluster, pool …), by name.
    Group(String),
    Collapsed(String),
}

/// Pan and zoom of the topology canvas, and what the layout depends on.
pub struct View {
    pub layout: LayoutOptions,
    pub scene: Scene,
    /// World point at the canvas centre.
    pub center: egui::Pos2,
    pub zoom: f32,
    /// Fit the whole picture on the next frame.
    pub fit_pending: bool,
    /// Centre on this element on the next frame.
    pub focus: Option<ElementId>,
    pub search: String,
    pub show_groups: bool,
    /// STP-blocked links under the current what-if.
    pub blocked: BTreeSet<ElementId>,
}

/// A message for the status bar: every error is reported here, once.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

pub struct App {
    pub doc: Document,
    pub whatif: WhatIf,
    pub sim: SimRun,
    pub settings: Settings,
    pub view: View,
    pub selection: Option<Selection>,
    /// Elements of the finding the user clicked, highlighted in the topology.
    pub highlight: BTreeSet<ElementId>,
    pub highlight_label: String,
    pub tab: Tab,
    pub status: Option<Status>,
    /// Move the editor's cursor to this byte offset on the next frame.
    pub editor_jump: Option<usize>,
    /// Where to write the PNG of the topology when the screenshot arrives.
    pub png_request: Option<crate::export::PngRequest>,
    pub canvas_rect: egui::Rect,
    /// When the text last changed without being re-analysed yet (large files).
    pub edit_pending_since: Option<f64>,
    /// `--screenshot`: write the window to this PNG once settled, then close.
    pub screenshot_and_quit: Option<std::path::PathBuf>,
    frames: u64,
    /// Designs read asynchronously (browser file picker, dropped files, `?scenario=`).
    pub inbox: crate::files::Inbox,
    /// A report download waits for its simulation.
    pub report_pending: bool,
    /// A share link the user asked for (`#s=…`); the web page puts it in the URL.
    pub share_link: Option<String>,
    /// File → Import from NetBox (live URL): the open form (desktop only).
    pub netbox_form: Option<crate::files::NetboxForm>,
}

impl App {
    /// A window on `source`, with persisted `settings`.
    pub fn new(source: Source, text: String, settings: Settings) -> App {
        let doc = Document::new(source, text);
        let mut app = App {
            doc,
            whatif: WhatIf::default(),
            sim: SimRun::default(),
            settings,
            view: View {
                layout: LayoutOptions::default(),
                scene: Scene::default(),
                center: egui::Pos2::ZERO,
                zoom: 1.0,
                fit_pending: true,
                focus: None,
                search: String::new(),
                show_groups: true,
                blocked: BTreeSet::new(),
            },
            selection: None,
            highlight: BTreeSet::new(),
            highlight_label: String::new(),
            tab: Tab::Findings,
            status: None,
            editor_jump: None,
            png_request: None,
            canvas_rect: egui::Rect::NOTHING,
            edit_pending_since: None,
            screenshot_and_quit: None,
            frames: 0,
            inbox: Default::default(),
            report_pending: false,
            share_link: None,
            netbox_form: None,
        };
        app.view.layout.show_power = app.settings.show_power;
        app.model_changed();
        app
    }

    /// Opens the bundled example with this path.
    pub fn open_example(&mut self, file: &str) {
        match crate::examples::find(file) {
            Some(e) => self.open(Source::Example(e.file.to_string()), e.text.to_string()),
            None => self.report_error(format!("no bundled example {file}")),
        }
    }

    /// Replaces the document; what-if, selection and simulation start afresh.
    pub fn open(&mut self, source: Source, text: String) {
        self.doc = Document::new(source.clone(), text);
        self.settings.remember(&source);
        self.whatif.clear();
        self.sim.reset();
        self.selection = None;
        self.highlight.clear();
        self.view.layout.expanded.clear();
        self.view.fit_pending = true;
        self.model_changed();
        let errors = self.doc.problems.iter().filter(|p| p.error).count();
        if errors > 0 {
            self.report_error(format!("{}: {errors} error(s); see the editor", source.label()));
        } else {
            self.status = Some(Status { text: format!("opened {}", source.label()), error: false });
        }
    }

    /// Replaces the text (editor, inspector) and re-analyses when it is valid.
    pub fn edit(&mut self, text: String) {
        if self.doc.set_text(text) {
            self.model_changed();
        }
    }

    /// After a new model: layout, what-if and STP state follow it.
    pub fn model_changed(&mut self) {
        if let Some(facts) = &self.doc.facts {
            self.view.scene = crate::layout::layout(&facts.model, &self.view.layout);
            self.whatif.recompute(facts);
            if self.sim.report.as_ref().is_some_and(|(_, r)| r.scenario != facts.model.name) {
                self.sim.reset();
            }
        }
        self.refresh_blocked();
    }

    pub fn relayout(&mut self) {
        if let Some(facts) = &self.doc.facts {
            self.view.scene = crate::layout::layout(&facts.model, &self.view.layout);
        }
    }

    /// STP-blocked links with the what-if failures applied.
    pub fn refresh_blocked(&mut self) {
        self.view.blocked = match &self.doc.facts {
            Some(facts) => {
                let model = &facts.model;
                let down: BTreeSet<ElementId> = self
                    .whatif
                    .outcome
                    .iter()
                    .flat_map(|o| o.affected.iter().copied())
                    .chain(self.whatif.failed.iter().filter_map(|n| model.element_by_name(n)).map(|e| e.id))
                    .collect();
                sim_core::simulate::spanning_tree::blocked_links(model, |e| !down.contains(&e)).into_iter().collect()
            }
            None => BTreeSet::new(),
        };
    }

    pub fn toggle_failed(&mut self, name: &str) {
        if let Some(facts) = &self.doc.facts {
            self.whatif.toggle(name, facts);
            self.refresh_blocked();
        }
    }

    pub fn clear_failures(&mut self) {
        self.whatif.clear();
        self.refresh_blocked();
    }

    /// Selects an element and shows it in the inspector, expanding what hides it.
    pub fn select_element(&mut self, name: &str) {
        let Some(facts) = &self.doc.facts else { return };
        let Some(e) = facts.model.element_by_name(name) else {
            self.report_error(format!("no component named {name}"));
            return;
        };
        let id = e.id;
        if self.view.scene.node_of.get(&id).is_some_and(|&i| self.view.scene.nodes[i].collapsed()) {
            self.expand_to(id);
        }
        self.selection = Some(Selection::Element(name.to_string()));
        self.view.focus = Some(id);
        self.tab = Tab::Inspector;
    }

    /// Shows a redundancy group in the inspector and highlights its members.
    pub fn select_group(&mut self, name: &str) {
        let Some(facts) = &self.doc.facts else { return };
        let Some(g) = facts.model.groups.iter().find(|g| g.name == name) else {
            self.report_error(format!("no group named {name}"));
            return;
        };
        let members: Vec<String> = g.members.iter().map(|&m| facts.model.element(m).name.clone()).collect();
        self.highlight_names(&format!("group {name}"), members.iter().map(String::as_str));
        self.selection = Some(Selection::Group(name.to_string()));
        self.tab = Tab::Inspector;
    }

    /// Expands collapsed nodes until `id` is drawn on its own node.
    fn expand_to(&mut self, id: ElementId) {
        for _ in 0..4 {
            let Some(&i) = self.view.scene.node_of.get(&id) else { return };
            if !self.view.scene.nodes[i].collapsed() {
                return;
            }
            let key = self.view.scene.nodes[i].key.clone();
            self.view.layout.expanded.insert(key);
            self.relayout();
        }
    }

    /// Highlights elements (a finding's chain) in the topology.
    pub fn highlight_names<'a>(&mut self, label: &str, names: impl IntoIterator<Item = &'a str>) {
        let Some(facts) = &self.doc.facts else { return };
        let names: Vec<&str> = names.into_iter().collect();
        self.highlight = names.iter().filter_map(|n| facts.model.element_by_name(n)).map(|e| e.id).collect();
        self.highlight_label = label.to_string();
        // Centre on the finding's own element (the first name), expanding what hides it.
        if let Some(first) = names.first().and_then(|n| facts.model.element_by_name(n)).map(|e| e.id) {
            self.expand_to(first);
            self.view.focus = Some(first);
        }
    }

    pub fn report_error(&mut self, text: String) {
        self.status = Some(Status { text, error: true });
    }

    pub fn report(&mut self, text: String) {
        self.status = Some(Status { text, error: false });
    }

    /// Draws the whole window. `ui` is the root (no margin).
    pub fn ui(&mut self, ui: &mut egui::Ui) {
        if self.frames == 0 {
            crate::style::install_fonts(ui.ctx());
        }
        let ctx = ui.ctx().clone();
        let frame = ctx.cumulative_frame_nr();
        self.doc.poll_exact(frame, move || ctx.request_repaint());
        self.frames += 1;
        self.screenshot_when_settled(ui);
        if let Some(since) = self.edit_pending_since {
            let now = ui.input(|i| i.time);
            if now - since > crate::panels::editor::DEBOUNCE_SECS {
                self.edit_pending_since = None;
                let text = self.doc.text.clone();
                self.edit(text);
            } else {
                ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
            }
        }
        if self.sim.is_running() {
            if self.sim.step(crate::panels::simulation::FRAME_BUDGET_SECS) {
                let done = self.sim.report.as_ref().map_or(0, |(s, _)| s.replications);
                self.report(format!("simulation finished: {done} replications"));
            }
            ui.ctx().request_repaint();
        }
        crate::export::poll_report(self);
        crate::files::handle_dropped_files(ui, self);
        crate::files::drain_inbox(ui.ctx(), self);
        crate::export::poll_screenshot(ui, self);
        crate::panels::menu::menu_ui(ui, self);
        #[cfg(not(target_arch = "wasm32"))]
        crate::files::netbox_form_ui(ui, self);
        crate::panels::status::status_ui(ui, self);
        if self.settings.show_editor {
            egui::Panel::left("editor").default_size(440.0).resizable(true).show(ui, |ui| {
                crate::panels::editor::editor_ui(ui, self);
            });
        }
        egui::Panel::right("panels").default_size(420.0).resizable(true).show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                for tab in Tab::ALL {
                    ui.selectable_value(&mut self.tab, tab, tab.title());
                }
            });
            ui.separator();
            egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| match self.tab {
                Tab::Inspector => crate::panels::inspector::inspector_ui(ui, self),
                Tab::Findings => crate::panels::findings::findings_ui(ui, self),
                Tab::Availability => crate::panels::availability::availability_ui(ui, self),
                Tab::WhatIf => crate::panels::whatif::whatif_ui(ui, self),
                Tab::Simulation => crate::panels::simulation::simulation_ui(ui, self),
            });
        });
        egui::CentralPanel::default().show(ui, |ui| {
            crate::panels::topology::topology_ui(ui, self);
        });
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        App::ui(self, ui);
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.settings);
    }

    #[cfg(target_arch = "wasm32")]
    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        Some(&mut *self)
    }
}

impl App {
    /// `--screenshot`: once the exact analysis is in and a few frames have settled the
    /// layout, capture the whole window, write it and close.
    fn screenshot_when_settled(&mut self, ui: &egui::Ui) {
        let Some(path) = &self.screenshot_and_quit else { return };
        if self.png_request.is_none() && self.frames > 5 && !self.doc.exact_pending() {
            let path = path.clone();
            let whole = ui.ctx().content_rect();
            crate::export::request_png(ui, self, path);
            if let Some(r) = &mut self.png_request {
                r.rect = whole;
                r.then_quit = true;
            }
        }
        ui.ctx().request_repaint();
    }
}
