//! How the topology looks, decided once for the screen and the SVG export: fill by
//! kind, red for single points of failure, dark red for what-if failures, grey for
//! their blast radius, dashed for STP-blocked links, highlight for a selected finding.

use std::collections::BTreeSet;

use egui::Color32;
use sim_core::model::ElementId;

use crate::analysis::Facts;
use crate::layout::{EdgeStyle, Scene};
use crate::whatif::WhatIf;

pub const SPOF_RED: Color32 = Color32::from_rgb(214, 39, 40);
pub const FAILED: Color32 = Color32::from_rgb(120, 20, 20);
pub const AFFECTED: Color32 = Color32::from_rgb(150, 150, 150);
pub const HIGHLIGHT: Color32 = Color32::from_rgb(255, 190, 0);
/// A node of which only a part is in the highlighted chain: it stays up.
pub const TOUCHED: Color32 = Color32::from_rgb(235, 215, 150);
pub const SELECTED: Color32 = Color32::from_rgb(30, 110, 255);
pub const GREEN: Color32 = Color32::from_rgb(44, 160, 44);
pub const AMBER: Color32 = Color32::from_rgb(230, 150, 0);
/// A SPOF the scenario accepts (`suppress`): still shown, but not as an open problem.
pub const ACCEPTED: Color32 = Color32::from_rgb(208, 128, 0);

/// Adds DejaVu Sans (the plots' font, bundled) after egui's own fonts, so the engine's
/// text shows as the CLI writes it: arrows (→), comparisons (≥, ≤) and check marks have
/// a glyph instead of a missing-glyph box.
pub fn install_fonts(ctx: &egui::Context) {
    let mut fonts = egui::FontDefinitions::default();
    fonts.font_data.insert(
        "dejavu-sans".to_owned(),
        std::sync::Arc::new(egui::FontData::from_static(include_bytes!("../../src/plots/font/DejaVuSans.ttf"))),
    );
    for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
        fonts.families.entry(family).or_default().push("dejavu-sans".to_owned());
    }
    ctx.set_fonts(fonts);
}

/// The fill of a node by kind.
pub fn kind_fill(kind: &str) -> Color32 {
    match kind {
        "entry" | "dns-server" | "gslb" => Color32::from_rgb(200, 220, 240),
        "router" | "firewall" => Color32::from_rgb(190, 210, 250),
        "switch" | "san-switch" => Color32::from_rgb(210, 230, 255),
        "load-balancer" => Color32::from_rgb(220, 205, 245),
        "server" => Color32::from_rgb(220, 240, 220),
        "storage-array" | "quorum-device" => Color32::from_rgb(245, 230, 200),
        "monitor" | "backup" => Color32::from_rgb(235, 235, 235),
        "power-feed" | "ups" | "pdu" => Color32::from_rgb(255, 240, 190),
        "rack" | "pod" => Color32::from_rgb(230, 230, 210),
        _ => Color32::from_rgb(240, 240, 240),
    }
}

/// The look of one node.
#[derive(Clone, Debug, PartialEq)]
pub struct NodeLook {
    pub fill: Color32,
    pub stroke: Color32,
    pub stroke_width: f32,
    pub text: Color32,
    /// Number of open SPOFs shown by this node (itself or its parts); drawn as a badge.
    pub spofs: usize,
    /// Number of accepted SPOFs shown by this node; an orange "accepted" badge.
    pub accepted: usize,
    pub failed: bool,
    pub affected: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EdgeLook {
    pub color: Color32,
    pub width: f32,
    pub dashed: bool,
}

/// Inputs to the look besides the scene.
pub struct LookInputs<'a> {
    pub facts: &'a Facts,
    pub whatif: &'a WhatIf,
    pub selected: Option<usize>,
    /// Elements of the selected finding's chain.
    pub highlight: &'a BTreeSet<ElementId>,
    /// STP-blocked links.
    pub blocked: &'a BTreeSet<ElementId>,
}

pub fn node_looks(scene: &Scene, inputs: &LookInputs) -> Vec<NodeLook> {
    let model = &inputs.facts.model;
    let outcome = inputs.whatif.outcome.as_ref();
    scene
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let spofs = n.elements.iter().filter(|&&e| inputs.facts.open_spof(e)).count();
            let accepted = n.elements.iter().filter(|&&e| inputs.facts.accepted_spof(e)).count();
            let failed = n.elements.iter().any(|&e| inputs.whatif.is_failed(&model.element(e).name));
            let affected = !failed
                && outcome.is_some_and(|o| {
                    n.main.map_or(n.elements.iter().all(|e| o.affected.contains(e)), |m| o.affected.contains(&m))
                });
            // Down: the node's own element (or, collapsed, all of it) is in the chain.
            // Touched: only some part is (a PSU of a server that stays up).
            let lit =
                n.main.map_or(!n.elements.is_empty() && n.elements.iter().all(|e| inputs.highlight.contains(e)), |m| {
                    inputs.highlight.contains(&m)
                });
            let touched = !lit && n.elements.iter().any(|e| inputs.highlight.contains(e));
            let (fill, text) = if failed {
                (FAILED, Color32::WHITE)
            } else if affected {
                (AFFECTED, Color32::from_gray(60))
            } else {
                (kind_fill(&n.kind), Color32::from_gray(20))
            };
            let (stroke, stroke_width) = if inputs.selected == Some(i) {
                (SELECTED, 3.0)
            } else if lit {
                (HIGHLIGHT, 3.5)
            } else if spofs > 0 {
                (SPOF_RED, 2.5)
            } else if touched {
                (TOUCHED, 1.5)
            } else if accepted > 0 {
                (ACCEPTED, 2.0)
            } else {
                (Color32::from_gray(90), 1.0)
            };
            NodeLook { fill, stroke, stroke_width, text, spofs, accepted, failed, affected }
        })
        .collect()
}

pub fn edge_looks(scene: &Scene, inputs: &LookInputs) -> Vec<EdgeLook> {
    let model = &inputs.facts.model;
    let outcome = inputs.whatif.outcome.as_ref();
    scene
        .edges
        .iter()
        .map(|e| {
            let down = !e.links.is_empty()
                && e.links.iter().all(|&l| {
                    inputs.whatif.is_failed(&model.element(l).name) || outcome.is_some_and(|o| o.affected.contains(&l))
                });
            let spof = e.links.iter().any(|&l| inputs.facts.open_spof(l));
            let lit = e.links.iter().any(|l| inputs.highlight.contains(l));
            let dashed = !e.links.is_empty() && e.links.iter().all(|l| inputs.blocked.contains(l));
            let (color, width) = if down {
                (FAILED, 2.0)
            } else if lit {
                (HIGHLIGHT, 3.0)
            } else if spof {
                (SPOF_RED, 2.0)
            } else {
                match e.style {
                    EdgeStyle::Power => (Color32::from_rgb(200, 160, 0), 1.0),
                    EdgeStyle::Storage | EdgeStyle::FibreChannel => (Color32::from_rgb(160, 110, 40), 1.5),
                    EdgeStyle::InterSwitch => (Color32::from_rgb(40, 80, 160), 2.0),
                    _ => (Color32::from_gray(110), 1.2),
                }
            };
            EdgeLook { color, width, dashed: dashed || e.style == EdgeStyle::Power }
        })
        .collect()
}
