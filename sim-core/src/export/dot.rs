//! Graphviz DOT export (`dot -Tsvg`).

use std::fmt::Write;

use super::{drawn_edges, drawn_elements};
use crate::model::{EdgeKind, Layer, Medium, Model, NodeRef};

fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn node_id(model: &Model, n: NodeRef) -> String {
    match n {
        NodeRef::Element(e) => quote(&model.element(e).name),
        NodeRef::Group(g) => quote(&format!("group:{}", model.group(g).name)),
        NodeRef::Service(s) => quote(&format!("service:{}", model.services[s as usize].name)),
    }
}

fn layer_style(layer: Layer) -> &'static str {
    match layer {
        Layer::Power => "shape=box, style=filled, fillcolor=\"#fde2b4\"",
        Layer::Entry => "shape=doublecircle, style=filled, fillcolor=\"#e0e0e0\"",
        Layer::Network => "shape=box, style=\"rounded,filled\", fillcolor=\"#cfe3ff\"",
        Layer::Compute => "shape=box3d, style=filled, fillcolor=\"#d9f2d9\"",
        Layer::Storage => "shape=cylinder, style=filled, fillcolor=\"#e8dcf5\"",
        Layer::Software => "shape=component, style=filled, fillcolor=\"#f5f5dc\"",
        Layer::Operations => "shape=note, style=filled, fillcolor=\"#f0f0f0\"",
        Layer::Site => "shape=folder",
    }
}

fn edge_style(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Power => "color=\"#d98200\", style=bold",
        EdgeKind::Network => "color=\"#1f5fbf\"",
        EdgeKind::Storage => "color=\"#7a3fb0\", style=bold",
        EdgeKind::Hosting => "color=\"#555555\"",
        EdgeKind::Member => "style=dotted, arrowhead=none",
        EdgeKind::Quorum => "color=\"#b03030\", style=dashed",
        EdgeKind::Replication => "color=\"#2d8a2d\", style=dashed",
        EdgeKind::Monitors | EdgeKind::Backs => "color=\"#999999\", style=dashed",
        EdgeKind::Site => "style=invis",
        EdgeKind::Serves => "color=\"#333333\"",
    }
}

/// Renders the model as a DOT digraph; `a -> b` reads "a depends on b".
pub fn to_dot(model: &Model) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(if model.name.is_empty() { "scenario" } else { &model.name }));
    out.push_str("  rankdir=TB;\n  compound=true;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=8];\n");
    let sites: Vec<_> = model.elements.iter().filter(|e| e.kind == "site").collect();
    let elements: Vec<_> = drawn_elements(model).collect();
    let write_node = |out: &mut String, e: &crate::model::Element, indent: &str| {
        let _ = writeln!(
            out,
            "{indent}{} [label={}, {}];",
            quote(&e.name),
            quote(&format!("{}\n{}", e.name, e.kind)),
            layer_style(e.layer)
        );
    };
    for site in &sites {
        let _ = writeln!(
            out,
            "  subgraph {} {{\n    label={};\n    style=\"rounded,dashed\";",
            quote(&format!("cluster_{}", site.name)),
            quote(&format!("site {}", site.name))
        );
        for e in elements.iter().filter(|e| e.site == Some(site.id)) {
            write_node(&mut out, e, "    ");
        }
        out.push_str("  }\n");
    }
    for e in elements.iter().filter(|e| e.site.is_none()) {
        write_node(&mut out, e, "  ");
    }
    for g in &model.groups {
        let _ = writeln!(
            out,
            "  {} [label={}, shape=hexagon, style=dashed];",
            node_id(model, NodeRef::Group(g.id)),
            quote(&format!("{}\n{}", g.name, g.kind))
        );
    }
    for (i, s) in model.services.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {} [label={}, shape=house, style=filled, fillcolor=\"#ffd6d6\"];",
            node_id(model, NodeRef::Service(i as u32)),
            quote(&format!("service {}", s.name))
        );
    }
    for l in &model.links {
        let style = match &l.medium {
            Medium::FibreChannel => "color=\"#7a3fb0\", penwidth=2",
            Medium::Trunk { .. } => "color=\"#1f5fbf\", penwidth=3",
            _ => "color=\"#1f5fbf\", penwidth=1.5",
        };
        let _ = writeln!(
            out,
            "  {} -> {} [dir=none, {style}, tooltip={}];",
            quote(&model.element(l.a).name),
            quote(&model.element(l.b).name),
            quote(&model.element(l.element).name)
        );
    }
    for (a, b, k) in drawn_edges(model) {
        let _ = writeln!(
            out,
            "  {} -> {} [{}, tooltip={}];",
            node_id(model, a),
            node_id(model, b),
            edge_style(k),
            quote(k.as_str())
        );
    }
    out.push_str("}\n");
    out
}
