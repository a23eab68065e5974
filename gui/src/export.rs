//! Export: the topology as SVG (drawn from the same scene and looks as the screen) or
//! PNG (a screenshot of the canvas, cropped), and the report folder through the CLI's
//! renderer (`spofsim report`), native only.

use std::fmt::Write;
use std::sync::{Arc, Mutex};

use egui::{Color32, ColorImage, Rect};

use crate::app::App;
use crate::layout::Scene;
use crate::style::{edge_looks, node_looks, LookInputs, SPOF_RED};

fn hex(c: Color32) -> String {
    format!("#{:02x}{:02x}{:02x}", c.r(), c.g(), c.b())
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The topology as a standalone SVG document.
pub fn svg(scene: &Scene, inputs: &LookInputs, title: &str) -> String {
    const MARGIN: f32 = 20.0;
    let b = scene.bounds;
    let (w, h) = (b.width() + 2.0 * MARGIN, b.height() + 2.0 * MARGIN + 24.0);
    let at = |p: egui::Pos2| (p.x - b.min.x + MARGIN, p.y - b.min.y + MARGIN + 24.0);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="0 0 {w:.0} {h:.0}" font-family="sans-serif">"#
    );
    let _ = writeln!(out, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(out, r#"<text x="{MARGIN}" y="18" font-size="14" font-weight="bold">{}</text>"#, escape(title));
    for f in &scene.frames {
        let (x, y) = at(f.rect.min);
        let _ = writeln!(
            out,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" rx="10" fill="none" stroke="#7a7a7a" stroke-width="1.5"/><text x="{:.1}" y="{:.1}" font-size="12" fill="#555">{}</text>"##,
            f.rect.width(),
            f.rect.height(),
            x + 8.0,
            y + 14.0,
            escape(&f.label)
        );
    }
    for (title, y) in &scene.rows {
        let (_, y) = at(egui::pos2(0.0, *y + crate::layout::NODE_SIZE.y / 2.0));
        let _ = writeln!(out, r##"<text x="{MARGIN}" y="{y:.1}" font-size="11" fill="#888">{}</text>"##, escape(title));
    }
    for o in &scene.outlines {
        let (x, y) = at(o.rect.min);
        let _ = writeln!(
            out,
            r##"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" rx="8" fill="none" stroke="#5b8" stroke-dasharray="5 4"><title>{}</title></rect>"##,
            o.rect.width(),
            o.rect.height(),
            escape(&o.label)
        );
    }
    for (e, look) in scene.edges.iter().zip(edge_looks(scene, inputs)) {
        let points: Vec<String> = edge_path(scene, e.a, e.b)
            .into_iter()
            .map(|p| {
                let (x, y) = at(p);
                format!("{x:.1},{y:.1}")
            })
            .collect();
        let dash = if look.dashed { r#" stroke-dasharray="6 4""# } else { "" };
        let _ = writeln!(
            out,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="{}"{dash}/>"#,
            points.join(" "),
            hex(look.color),
            look.width
        );
    }
    for (n, look) in scene.nodes.iter().zip(node_looks(scene, inputs)) {
        let (x, y) = at(n.rect.min);
        let _ = writeln!(
            out,
            r#"<g><title>{}</title><rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" rx="6" fill="{}" stroke="{}" stroke-width="{}"/>"#,
            escape(&n.label),
            n.rect.width(),
            n.rect.height(),
            hex(look.fill),
            hex(look.stroke),
            look.stroke_width
        );
        let _ = writeln!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="middle" fill="{}">{}</text><text x="{:.1}" y="{:.1}" font-size="9" text-anchor="middle" fill="{}">{}</text>"#,
            x + n.rect.width() / 2.0,
            y + 19.0,
            hex(look.text),
            escape(&n.label),
            x + n.rect.width() / 2.0,
            y + 34.0,
            hex(look.text),
            escape(&n.kind)
        );
        if look.spofs > 0 {
            let _ = writeln!(
                out,
                r#"<rect x="{:.1}" y="{:.1}" width="34" height="14" rx="7" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="9" text-anchor="middle" fill="white">SPOF</text>"#,
                x + n.rect.width() - 26.0,
                y - 7.0,
                hex(SPOF_RED),
                x + n.rect.width() - 9.0,
                y + 3.5
            );
        }
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    out
}

/// Where an edge between two nodes starts and ends: facing sides.
pub fn edge_points(scene: &Scene, a: usize, b: usize) -> (egui::Pos2, egui::Pos2) {
    let (ra, rb) = (scene.nodes[a].rect, scene.nodes[b].rect);
    if (ra.center().y - rb.center().y).abs() < 1.0 {
        if ra.center().x < rb.center().x {
            (ra.right_center(), rb.left_center())
        } else {
            (ra.left_center(), rb.right_center())
        }
    } else if ra.center().y < rb.center().y {
        (ra.center_bottom(), rb.center_top())
    } else {
        (ra.center_top(), rb.center_bottom())
    }
}

/// Whether the segment `p`–`q` crosses `r` (sampled every 2 units: nodes are far larger).
fn segment_crosses(p: egui::Pos2, q: egui::Pos2, r: Rect) -> bool {
    let steps = ((q - p).length() / 2.0).ceil().max(1.0) as usize;
    (0..=steps).any(|i| r.contains(p + (q - p) * (i as f32 / steps as f32)))
}

/// The frames (sites) an edge's ends sit in, as one rectangle: a detour should stay
/// inside it. None when an end is in no frame.
pub fn edge_frame(scene: &Scene, a: usize, b: usize) -> Option<Rect> {
    let frame_of = |n: usize| {
        let c = scene.nodes[n].rect.center();
        scene.frames.iter().filter(|f| f.rect.contains(c)).map(|f| f.rect).reduce(|u, r| u.intersect(r))
    };
    Some(frame_of(a)?.union(frame_of(b)?))
}

/// The polyline an edge is drawn along: straight between its nodes, or, when that line
/// would pass behind another node (and look like a cable through it), bent around the
/// side of the nodes in the way: the first detour, left or right at growing distance,
/// that clears every node, preferring one that stays inside its ends' frames
/// ([`edge_frame`]). O(nodes) per try, a few tries.
pub fn edge_path(scene: &Scene, a: usize, b: usize) -> Vec<egui::Pos2> {
    let (p, q) = edge_points(scene, a, b);
    let frame = edge_frame(scene, a, b).map(|r| r.shrink(2.0));
    let inside = |path: &[egui::Pos2]| frame.is_none_or(|f| path.iter().all(|&x| f.contains(x)));
    let others =
        || scene.nodes.iter().enumerate().filter(move |&(i, _)| i != a && i != b).map(|(_, n)| n.rect.expand(3.0));
    let clear = |path: &[egui::Pos2]| path.windows(2).all(|w| others().all(|r| !segment_crosses(w[0], w[1], r)));
    let straight = vec![p, q];
    let blockers: Vec<Rect> = others().filter(|&r| segment_crosses(p, q, r)).collect();
    let Some(blocked) = blockers.iter().copied().reduce(|u, r| u.union(r)) else { return straight };
    let mid = blocked.center();
    let horizontal = (q.x - p.x).abs() > (q.y - p.y).abs();
    let mut outside = None;
    for step in 1..=4 {
        let margin = 14.0 * step as f32;
        // Around the left or right of the nodes in the way ...
        let mut beside: Vec<Vec<egui::Pos2>> = [blocked.min.x - margin, blocked.max.x + margin]
            .into_iter()
            .map(|x| {
                let (top, bottom) = (
                    p.y.min(q.y).max(blocked.min.y - 6.0).min(mid.y),
                    p.y.max(q.y).min(blocked.max.y + 6.0).max(mid.y),
                );
                let (first, second) = if p.y <= q.y { (top, bottom) } else { (bottom, top) };
                vec![p, egui::pos2(x, first), egui::pos2(x, second), q]
            })
            .collect();
        // ... or over or under them (an edge along a row).
        let mut around: Vec<Vec<egui::Pos2>> = [blocked.min.y - margin, blocked.max.y + margin]
            .into_iter()
            .map(|y| vec![p, egui::pos2(p.x, y), egui::pos2(q.x, y), q])
            .collect();
        let (near_x, near_y) = ((p.x + q.x) / 2.0, (p.y + q.y) / 2.0);
        beside.sort_by(|u, v| (u[1].x - near_x).abs().total_cmp(&(v[1].x - near_x).abs()));
        around.sort_by(|u, v| (u[1].y - near_y).abs().total_cmp(&(v[1].y - near_y).abs()));
        let candidates = if horizontal { around.into_iter().chain(beside) } else { beside.into_iter().chain(around) };
        for path in candidates {
            if clear(&path) {
                if inside(&path) {
                    return path;
                }
                outside.get_or_insert(path);
            }
        }
    }
    outside.unwrap_or(straight)
}

/// A PNG wanted of the canvas: the screenshot lands in `slot`.
pub struct PngRequest {
    pub path: std::path::PathBuf,
    pub slot: Arc<Mutex<Option<Arc<ColorImage>>>>,
    pub rect: Rect,
    /// Close the window once written (`spofsim-gui --screenshot`).
    pub then_quit: bool,
}

/// Asks for a screenshot; [`poll_screenshot`] writes the PNG when it arrives.
pub fn request_png(ui: &egui::Ui, app: &mut App, path: std::path::PathBuf) {
    let slot = Arc::new(Mutex::new(None));
    let filled = slot.clone();
    let ctx = ui.ctx().clone();
    ui.ctx().request_screenshot(move |image| {
        if let Ok(mut s) = filled.lock() {
            *s = Some(image);
        }
        ctx.request_repaint();
    });
    app.png_request = Some(PngRequest { path, slot, rect: app.canvas_rect, then_quit: false });
}

pub fn poll_screenshot(ui: &egui::Ui, app: &mut App) {
    let Some(request) = &app.png_request else { return };
    let image = request.slot.lock().ok().and_then(|mut s| s.take());
    let Some(image) = image else { return };
    let ppp = ui.ctx().pixels_per_point();
    let result = encode_png(&image.region(&request.rect, Some(ppp)));
    let path = request.path.clone();
    let quit = request.then_quit;
    app.png_request = None;
    match result.and_then(|bytes| write_file(&path, &bytes)) {
        Ok(()) => app.report(format!("wrote {}", path.display())),
        Err(e) => app.report_error(e),
    }
    if quit {
        app.screenshot_and_quit = None;
        ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
    }
}

/// RGBA PNG bytes of an image.
pub fn encode_png(image: &ColorImage) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, image.size[0] as u32, image.size[1] as u32);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| format!("PNG: {e}"))?;
        let raw: Vec<u8> = image.pixels.iter().flat_map(|p| p.to_array()).collect();
        writer.write_image_data(&raw).map_err(|e| format!("PNG: {e}"))?;
    }
    Ok(bytes)
}

#[cfg(not(target_arch = "wasm32"))]
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// In the browser "writing" a file downloads it under its file name.
#[cfg(target_arch = "wasm32")]
pub fn write_file(path: &std::path::Path, bytes: &[u8]) -> Result<(), String> {
    let name = path.file_name().map_or("download".into(), |n| n.to_string_lossy().into_owned());
    crate::files::download(&name, bytes)
}

/// The report as one self-contained HTML page (plots inline as SVG), with the last
/// simulation the panel ran.
pub fn report_html(app: &App) -> Result<String, String> {
    let facts = app.doc.facts.as_ref().ok_or("the design has errors; fix them first")?;
    let (_, sim) = app.sim.report.as_ref().ok_or("run a simulation first")?;
    let check = sim_core::check::check(&facts.model);
    let shown = app.doc.source.label();
    spofsim::report::folder::html(&spofsim::report::folder::Page {
        shown: &shown,
        text: &app.doc.analysed_text,
        model: &facts.model,
        check: &check,
        sim,
        worst: &app.sim.worst,
    })
}

/// "Download report": now if a simulation has run, else after one with the panel's
/// settings (the page has no threads; it runs in chunks like the panel's).
pub fn request_report(app: &mut App) {
    if let Some(facts) = &app.doc.facts {
        if app.sim.report.is_none() && !app.sim.is_running() {
            let model = facts.model.clone();
            app.sim.start(model, &app.settings.sim);
        }
        app.report_pending = true;
        app.report("the report follows once the simulation has run".into());
    } else {
        app.report_error("the design has errors; fix them first".into());
    }
}

/// Delivers a pending report once its simulation is done.
pub fn poll_report(app: &mut App) {
    if !app.report_pending || app.sim.is_running() || app.sim.report.is_none() {
        return;
    }
    app.report_pending = false;
    let name =
        format!("spofsim-report-{}.html", app.doc.facts.as_ref().map_or("design".into(), |f| f.model.name.clone()));
    match report_html(app) {
        Ok(html) => crate::files::deliver(app, &name, html.as_bytes()),
        Err(e) => app.report_error(e),
    }
}

/// Writes the report folder (plots and index.html) for the open design, with the
/// simulation the panel last ran (or one with the panel's settings).
#[cfg(not(target_arch = "wasm32"))]
pub fn report_folder(app: &mut App, out: &std::path::Path) -> Result<std::path::PathBuf, String> {
    let facts = app.doc.facts.as_ref().ok_or("the design has errors; fix them first")?;
    let model = facts.model.clone();
    let (sim, worst) = match &app.sim.report {
        Some((_, report)) => (report.clone(), app.sim.worst.clone()),
        None => {
            use sim_core::simulate as sim;
            let options = app.settings.sim.options();
            let compiled = sim::Compiled::new(&model, options.clone());
            let fold = sim::run_folded(&compiled, 0..options.replications, &|| {});
            let report = fold.report(&model.name, &sim::service_names(&model), &options);
            (report, sim::worst_year_timelines(&compiled, &fold.worst_years()))
        }
    };
    let check = sim_core::check::check(&model);
    let shown = app.doc.source.label();
    let page = spofsim::report::folder::Page {
        shown: &shown,
        text: &app.doc.analysed_text,
        model: &model,
        check: &check,
        sim: &sim,
        worst: &worst,
    };
    let (index, _) = spofsim::report::folder::write(out, &page)?;
    Ok(index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Facts;
    use crate::whatif::WhatIf;
    use std::collections::BTreeSet;

    #[test]
    fn the_svg_shows_every_node_and_marks_spofs() {
        let text = crate::examples::find("anti-patterns/single-load-balancer.jsonc").unwrap().text;
        let facts = Facts::of(Arc::new(sim_core::load(text).model.unwrap()));
        let scene = crate::layout::layout(&facts.model, &Default::default());
        let none = BTreeSet::new();
        let inputs =
            LookInputs { facts: &facts, whatif: &WhatIf::default(), selected: None, highlight: &none, blocked: &none };
        let svg = svg(&scene, &inputs, "single LB");
        let doc = roxmltree::Document::parse(&svg).expect("well-formed SVG");
        assert_eq!(doc.root_element().tag_name().name(), "svg");
        for n in &scene.nodes {
            assert!(svg.contains(&format!("<title>{}</title>", escape(&n.label))), "{}", n.label);
        }
        assert_eq!(
            svg.matches(">SPOF</text>").count(),
            node_looks(&scene, &inputs).iter().filter(|l| l.spofs > 0).count()
        );
        assert!(svg.contains(">SPOF</text>"));
    }

    #[test]
    fn png_encoding_round_trips_size() {
        let image = ColorImage::new([3, 2], vec![Color32::RED; 6]);
        let bytes = encode_png(&image).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let reader = decoder.read_info().unwrap();
        assert_eq!((reader.info().width, reader.info().height), (3, 2));
    }
}
