//! The topology canvas: the layered picture with pan (drag), zoom (scroll or pinch,
//! around the pointer), fit to window, search by id, hover tooltips with the SPOF
//! chain, click to inspect (or expand a collapsed rack or pod), right-click to fail.

use egui::{pos2, vec2, Align2, Color32, CornerRadius, FontId, Pos2, Rect, Sense, Shape, Stroke, StrokeKind};

use crate::app::{App, Selection};
use crate::layout::Scene;
use crate::style::{edge_looks, node_looks, LookInputs, NodeLook, ACCEPTED, SPOF_RED};

/// Text is not drawn below this zoom (it would be unreadable).
const MIN_TEXT_ZOOM: f32 = 0.35;

fn look_inputs<'a>(app: &'a App, facts: &'a crate::analysis::Facts) -> (LookInputs<'a>, Option<usize>) {
    let selected = match &app.selection {
        Some(Selection::Element(name)) => {
            facts.model.element_by_name(name).and_then(|e| app.view.scene.node_of.get(&e.id).copied())
        }
        Some(Selection::Collapsed(key)) => app.view.scene.node_by_key(key),
        Some(Selection::Group(_)) | None => None,
    };
    (
        LookInputs { facts, whatif: &app.whatif, selected, highlight: &app.highlight, blocked: &app.view.blocked },
        selected,
    )
}

/// The picture as SVG, as it is on screen.
pub fn svg_of(app: &App) -> Option<String> {
    let facts = app.doc.facts.as_ref()?;
    let (inputs, _) = look_inputs(app, facts);
    Some(crate::export::svg(&app.view.scene, &inputs, &facts.model.name))
}

pub fn topology_ui(ui: &mut egui::Ui, app: &mut App) {
    toolbar_ui(ui, app);
    let (canvas, background) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    app.canvas_rect = canvas;
    let painter = ui.painter_at(canvas);
    painter.rect_filled(canvas, 0.0, Color32::from_gray(250));
    if app.doc.facts.is_none() {
        painter.text(
            canvas.center(),
            Align2::CENTER_CENTER,
            "The design has errors: see the editor (View → Scenario editor).",
            FontId::proportional(16.0),
            SPOF_RED,
        );
        return;
    }
    navigate(ui, app, canvas, &background);
    let view_center = app.view.center;
    let zoom = app.view.zoom;
    let to_screen = move |p: Pos2| canvas.center() + (p - view_center) * zoom;
    let scene = &app.view.scene;
    let facts = app.doc.facts.as_ref().expect("checked above");
    let (inputs, _) = look_inputs(app, facts);
    let nodes = node_looks(scene, &inputs);
    let edges = edge_looks(scene, &inputs);
    let text = zoom >= MIN_TEXT_ZOOM;

    for f in &scene.frames {
        let r = Rect::from_min_max(to_screen(f.rect.min), to_screen(f.rect.max));
        let spof = f.site.is_some_and(|s| facts.open_spof(s));
        let accepted = f.site.is_some_and(|s| facts.accepted_spof(s));
        let (color, width) = if spof {
            (SPOF_RED, 2.5)
        } else if accepted {
            (ACCEPTED, 2.0)
        } else {
            (Color32::from_gray(130), 1.5)
        };
        painter.rect_stroke(r, CornerRadius::same(10), Stroke::new(width, color), StrokeKind::Inside);
        if text {
            let label = if spof {
                format!("{} (SPOF: the whole site)", f.label)
            } else if accepted {
                format!("{} (SPOF, accepted)", f.label)
            } else {
                f.label.clone()
            };
            painter.text(
                r.min + vec2(8.0, 4.0),
                Align2::LEFT_TOP,
                label,
                FontId::proportional(13.0 * zoom.min(1.5)),
                color,
            );
        }
    }
    if text {
        for (title, y) in &scene.rows {
            let p = to_screen(pos2(
                scene.frames.first().map_or(0.0, |f| f.rect.min.x),
                *y + crate::layout::NODE_SIZE.y / 2.0,
            ));
            painter.text(
                p - vec2(8.0, 0.0),
                Align2::RIGHT_CENTER,
                title,
                FontId::proportional(13.0 * zoom.min(1.5)),
                Color32::from_gray(80),
            );
        }
    }
    let mut clicked_group: Option<String> = None;
    if app.view.show_groups {
        let green = Color32::from_rgb(60, 150, 100);
        let mut placed: Vec<Rect> = Vec::new();
        for o in &scene.outlines {
            let r = Rect::from_min_max(to_screen(o.rect.min), to_screen(o.rect.max));
            if !canvas.intersects(r) {
                continue;
            }
            let corners = [r.left_top(), r.right_top(), r.right_bottom(), r.left_bottom(), r.left_top()];
            painter.extend(Shape::dashed_line(&corners, Stroke::new(1.2, green), 6.0, 4.0));
            if text {
                // The group's name on its outline; click it to inspect the group. Groups
                // over the same members share a corner: each label moves right of the
                // ones already placed, so none is printed over another.
                let font = FontId::proportional(11.0 * zoom.min(1.5));
                let galley = painter.layout_no_wrap(o.label.clone(), font, green);
                let mut at = r.left_top() + vec2(4.0, -2.0 - galley.size().y);
                let mut label = Rect::from_min_size(at, galley.size());
                while let Some(taken) = placed.iter().find(|p: &&Rect| p.intersects(label)) {
                    at.x = taken.max.x + 8.0;
                    label = Rect::from_min_size(at, galley.size());
                }
                placed.push(label);
                painter.galley(at, galley, green);
                let group = &facts.model.group(o.group).name;
                let response =
                    ui.interact(label.intersect(canvas), ui.scope_id().with(("group", group)), Sense::click());
                response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &o.label));
                if response.on_hover_text("inspect this redundancy group").clicked() {
                    clicked_group = Some(group.clone());
                }
            }
        }
    }
    for (e, look) in scene.edges.iter().zip(&edges) {
        let path: Vec<Pos2> = crate::export::edge_path(scene, e.a, e.b).into_iter().map(to_screen).collect();
        if !canvas.intersects(Rect::from_points(&path)) {
            continue;
        }
        let stroke = Stroke::new(look.width * zoom.clamp(0.5, 2.0), look.color);
        if look.dashed {
            painter.extend(Shape::dashed_line(&path, stroke, 7.0, 5.0));
        } else {
            painter.line(path, stroke);
        }
    }
    let mut clicked: Option<usize> = None;
    let mut toggled: Option<String> = None;
    for (i, (node, look)) in scene.nodes.iter().zip(&nodes).enumerate() {
        let r = Rect::from_min_max(to_screen(node.rect.min), to_screen(node.rect.max));
        if !canvas.intersects(r) {
            continue;
        }
        draw_node(&painter, r, node, look, text, zoom);
        let response = ui.interact(r.intersect(canvas), ui.scope_id().with(("node", &node.key)), Sense::click());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &node.label));
        let response = response.on_hover_ui(|ui| node_tooltip_ui(ui, app, i));
        if response.clicked() {
            clicked = Some(i);
        }
        if let Some(main) = node.main {
            let name = facts.model.element(main).name.clone();
            let failed = app.whatif.is_failed(&name);
            response.context_menu(|ui| {
                if ui.button(if failed { "Repair (what-if)" } else { "Fail (what-if)" }).clicked() {
                    toggled = Some(name.clone());
                    ui.close();
                }
            });
        }
    }
    let show_power = hidden_ui(ui, app, canvas, &painter);
    services_overlay(app, canvas, &painter);
    if let Some(label) = (!app.highlight.is_empty()).then(|| app.highlight_label.clone()) {
        painter.text(
            canvas.left_bottom() + vec2(8.0, -8.0),
            Align2::LEFT_BOTTOM,
            format!("highlighted: {label}"),
            FontId::proportional(12.0),
            Color32::from_rgb(160, 110, 0),
        );
    }
    if let Some(i) = clicked {
        let node = &app.view.scene.nodes[i];
        if node.collapsed() {
            let key = node.key.clone();
            app.view.layout.expanded.insert(key);
            app.relayout();
        } else if let Some(main) = node.main {
            let name = facts.model.element(main).name.clone();
            app.selection = Some(Selection::Element(name));
            app.tab = crate::app::Tab::Inspector;
        }
    }
    if let Some(name) = toggled {
        app.toggle_failed(&name);
    }
    if show_power {
        app.view.layout.show_power = true;
        app.settings.show_power = true;
        app.relayout();
    }
    if let Some(group) = clicked_group {
        app.select_group(&group);
    }
}

/// The canvas says when a SPOF or the selection is in a layer it does not draw, with a
/// button that shows the power layer. Returns whether it was clicked.
fn hidden_ui(ui: &mut egui::Ui, app: &App, canvas: Rect, painter: &egui::Painter) -> bool {
    let Some(facts) = &app.doc.facts else { return false };
    let scene = &app.view.scene;
    let mut lines = Vec::new();
    let drawn_links = scene.edges.iter().flat_map(|e| e.links.iter().copied()).collect();
    let hidden = facts.hidden_spofs(&scene.node_of, &drawn_links);
    if !hidden.is_empty() {
        let shown: Vec<&str> = hidden.iter().copied().take(6).collect();
        let more = if hidden.len() > 6 { format!(" and {} more", hidden.len() - 6) } else { String::new() };
        lines.push(format!(
            "{} single point(s) of failure not drawn (power layer hidden): {}{more}",
            hidden.len(),
            shown.join(", ")
        ));
    }
    if let Some(Selection::Element(name)) = &app.selection {
        if facts.model.element_by_name(name).is_some_and(|e| !scene.node_of.contains_key(&e.id)) {
            lines.push(format!("the selected {name} is in a hidden layer"));
        }
    }
    if lines.is_empty() {
        return false;
    }
    let text = lines.join("\n");
    let at = canvas.left_top() + vec2(8.0, 8.0);
    let galley = painter.layout_no_wrap(text.clone(), FontId::proportional(14.0), SPOF_RED);
    let frame = Rect::from_min_size(at, galley.size() + vec2(16.0, 12.0));
    painter.rect_filled(frame, CornerRadius::same(6), Color32::from_rgba_unmultiplied(255, 235, 235, 240));
    painter.rect_stroke(frame, CornerRadius::same(6), Stroke::new(1.5, SPOF_RED), StrokeKind::Inside);
    painter.galley(at + vec2(8.0, 6.0), galley, SPOF_RED);
    let button = Rect::from_min_size(frame.left_bottom() + vec2(0.0, 4.0), vec2(150.0, 24.0));
    ui.put(button, egui::Button::new("Show the power layer")).clicked()
}

/// Each service's availability on the canvas (the exact figure, or the bounds), top right.
fn services_overlay(app: &App, canvas: Rect, painter: &egui::Painter) {
    let (Some(facts), Some(exact)) = (&app.doc.facts, &app.doc.exact) else { return };
    let mut names: Vec<&str> = facts.model.services.iter().map(|s| s.name.as_str()).collect();
    names.sort_unstable();
    let lines: Vec<String> = names
        .iter()
        .filter_map(|name| {
            let e = exact.service(name)?;
            let figure = match &e.unavailability {
                Ok(u) => crate::analysis::percent(1.0 - u),
                Err(_) => "not computed".to_string(),
            };
            let spofs = facts
                .spofs
                .iter()
                .filter(|s| s.suppressed.is_none())
                .filter(|s| s.blast.services_down.iter().any(|(n, _)| n == name))
                .count();
            Some(format!("{name}: {figure} available, {spofs} SPOF"))
        })
        .collect();
    if lines.is_empty() {
        return;
    }
    let galley = painter.layout_no_wrap(lines.join("\n"), FontId::proportional(14.0), Color32::from_gray(30));
    let frame =
        Rect::from_min_size(canvas.right_top() + vec2(-galley.size().x - 24.0, 8.0), galley.size() + vec2(16.0, 12.0));
    painter.rect_filled(frame, CornerRadius::same(6), Color32::from_rgba_unmultiplied(255, 255, 255, 235));
    painter.rect_stroke(frame, CornerRadius::same(6), Stroke::new(1.0, Color32::from_gray(150)), StrokeKind::Inside);
    painter.galley(frame.min + vec2(8.0, 6.0), galley, Color32::from_gray(30));
}

fn draw_node(painter: &egui::Painter, r: Rect, node: &crate::layout::Node, look: &NodeLook, text: bool, zoom: f32) {
    let radius = CornerRadius::same((6.0 * zoom).clamp(1.0, 12.0) as u8);
    painter.rect_filled(r, radius, look.fill);
    painter.rect_stroke(r, radius, Stroke::new(look.stroke_width, look.stroke), StrokeKind::Inside);
    if node.collapsed() {
        let inner = r.shrink(3.0 * zoom);
        painter.rect_stroke(inner, radius, Stroke::new(1.0, Color32::from_gray(120)), StrokeKind::Inside);
    }
    if text {
        painter.text(
            r.center() - vec2(0.0, 7.0 * zoom),
            Align2::CENTER_CENTER,
            &node.label,
            FontId::proportional(12.0 * zoom),
            look.text,
        );
        let sub = if node.collapsed() { "click to expand".to_string() } else { node.kind.clone() };
        painter.text(
            r.center() + vec2(0.0, 10.0 * zoom),
            Align2::CENTER_CENTER,
            sub,
            FontId::proportional(10.5 * zoom),
            look.text,
        );
    }
    if look.spofs > 0 {
        let badge =
            Rect::from_center_size(r.right_top() + vec2(-12.0 * zoom, 0.0), vec2(38.0, 15.0) * zoom.clamp(0.6, 1.5));
        painter.rect_filled(badge, CornerRadius::same(7), SPOF_RED);
        let label = if look.spofs == 1 { "SPOF".to_string() } else { format!("{} SPOF", look.spofs) };
        painter.text(
            badge.center(),
            Align2::CENTER_CENTER,
            label,
            FontId::proportional(9.0 * zoom.clamp(0.6, 1.5)),
            Color32::WHITE,
        );
    }
    if look.spofs == 0 && look.accepted > 0 {
        let badge =
            Rect::from_center_size(r.right_top() + vec2(-12.0 * zoom, 0.0), vec2(52.0, 15.0) * zoom.clamp(0.6, 1.5));
        painter.rect_filled(badge, CornerRadius::same(7), ACCEPTED);
        painter.text(
            badge.center(),
            Align2::CENTER_CENTER,
            "accepted",
            FontId::proportional(9.0 * zoom.clamp(0.6, 1.5)),
            Color32::WHITE,
        );
    }
    if look.failed {
        let s = Stroke::new(2.5, Color32::WHITE);
        painter.line_segment([r.left_top() + vec2(4.0, 4.0), r.right_bottom() - vec2(4.0, 4.0)], s);
        painter.line_segment([r.right_top() + vec2(-4.0, 4.0), r.left_bottom() + vec2(4.0, -4.0)], s);
    }
}

fn node_tooltip_ui(ui: &mut egui::Ui, app: &App, i: usize) {
    let Some(facts) = &app.doc.facts else { return };
    let node = &app.view.scene.nodes[i];
    let model = &facts.model;
    ui.strong(&node.label);
    if node.collapsed() {
        ui.label(format!("{} elements; click to expand", node.elements.len()));
    } else if let Some(main) = node.main {
        let e = model.element(main);
        ui.label(format!(
            "{} · {}",
            e.kind,
            e.site.map_or("no site".into(), |s| format!("site {}", model.element(s).name))
        ));
        if node.elements.len() > 1 {
            ui.label(format!("{} parts inside", node.elements.len() - 1));
        }
    }
    for &e in &node.elements {
        if let Some(spof) = facts.spof_of(e) {
            ui.separator();
            ui.colored_label(SPOF_RED, format!("Single point of failure: {}", spof.element));
            ui.label(spof.blast.chain_text());
        }
    }
    if let Some(o) = &app.whatif.outcome {
        if node.elements.iter().any(|e| o.affected.contains(e)) {
            ui.separator();
            ui.label(format!("down in the what-if: {}", o.blast.chain_text()));
        }
    }
}

fn toolbar_ui(ui: &mut egui::Ui, app: &mut App) {
    ui.horizontal(|ui| {
        if ui.button("Fit").on_hover_text("fit the whole design in the window").clicked() {
            app.view.fit_pending = true;
        }
        if ui.checkbox(&mut app.view.layout.show_power, "Power").changed() {
            app.settings.show_power = app.view.layout.show_power;
            app.relayout();
        }
        ui.checkbox(&mut app.view.show_groups, "Groups");
        let search = ui.add(
            egui::TextEdit::singleline(&mut app.view.search).hint_text("find component by id").desired_width(180.0),
        );
        let go = search.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        if (go || ui.button("Find").clicked()) && !app.view.search.trim().is_empty() {
            find(app);
        }
        let scene = &app.view.scene;
        ui.label(format!("{:.0}% · {} nodes", app.view.zoom * 100.0, scene.nodes.len()));
        if scene.collapsed > 0 {
            ui.label(format!("({} collapsed: click one to expand)", scene.collapsed));
        }
    });
}

/// Jumps to the component whose id is typed (exact, else the first that contains it).
fn find(app: &mut App) {
    let Some(facts) = &app.doc.facts else { return };
    let wanted = app.view.search.trim().to_string();
    let name = match facts.model.element_by_name(&wanted) {
        Some(e) => Some(e.name.clone()),
        None => {
            let mut names: Vec<&str> =
                facts.model.elements.iter().map(|e| e.name.as_str()).filter(|n| n.contains(&wanted)).collect();
            names.sort_by(|a, b| crate::layout::natural_cmp(a, b));
            names.first().map(|n| n.to_string())
        }
    };
    match name {
        Some(n) => app.select_element(&n),
        None => app.report_error(format!("no component id contains \"{wanted}\"")),
    }
}

/// Pan, zoom, fit and focus.
fn navigate(ui: &egui::Ui, app: &mut App, canvas: Rect, background: &egui::Response) {
    let scene: &Scene = &app.view.scene;
    if app.view.fit_pending && canvas.width() > 10.0 {
        let b = scene.bounds.expand(20.0);
        app.view.zoom = (canvas.width() / b.width()).min(canvas.height() / b.height()).clamp(0.05, 1.5);
        app.view.center = b.center();
        app.view.fit_pending = false;
    }
    if let Some(id) = app.view.focus.take() {
        if let Some(&i) = scene.node_of.get(&id) {
            app.view.center = scene.nodes[i].rect.center();
            app.view.zoom = app.view.zoom.max(0.8);
        }
    }
    if background.dragged() {
        app.view.center -= background.drag_delta() / app.view.zoom;
    }
    if background.hovered() {
        let (scroll, pinch) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = pinch * (scroll * 0.0015).exp();
        if (factor - 1.0).abs() > 1e-4 {
            let pointer = ui.input(|i| i.pointer.hover_pos()).unwrap_or(canvas.center());
            let before = app.view.center + (pointer - canvas.center()) / app.view.zoom;
            app.view.zoom = (app.view.zoom * factor).clamp(0.05, 4.0);
            app.view.center = before - (pointer - canvas.center()) / app.view.zoom;
        }
    }
}
