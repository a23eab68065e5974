//! Graphviz DOT export (`dot -Tsvg`).

use std::fmt::Write;

use super::{caption, drawn_edges, drawn_elements, drawn_links, mark, DiagramOptions, Folding, Mark};
use crate::model::{EdgeKind, Layer, Medium, Model, NodeRef};

const SPOF_RED: &str = "#d00000";
const ACCEPTED_ORANGE: &str = "#d08000";

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
        // Drawn from the source to what it powers (the edge still reads "depends on").
        EdgeKind::Power => "color=\"#d98200\", style=bold, dir=back",
        EdgeKind::Network => "color=\"#1f5fbf\"",
        EdgeKind::Storage => "color=\"#7a3fb0\", style=bold",
        EdgeKind::Hosting => "color=\"#555555\"",
        EdgeKind::Member => "style=dotted, arrowhead=none",
        EdgeKind::Quorum => "color=\"#b03030\", style=dashed",
        EdgeKind::Replication => "color=\"#2d8a2d\", style=dashed",
        EdgeKind::Monitors | EdgeKind::Backs => "color=\"#999999\", style=dashed",
        EdgeKind::Site => "style=invis",
        EdgeKind::Serves => "color=\"#333333\"",
        EdgeKind::Precondition => "color=\"#b03030\", style=dotted",
    }
}

/// Renders the model as a DOT digraph; `a -> b` reads "a depends on b" (power edges
/// carry `dir=back`, so their arrow shows power flowing from the source). SPOFs are red
/// (accepted ones orange and dashed); a server's parts fold into it unless
/// `options.expand`.
pub fn to_dot(model: &Model, options: &DiagramOptions) -> String {
    let folding = Folding::new(model, options);
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(if model.name.is_empty() { "scenario" } else { &model.name }));
    out.push_str("  rankdir=TB;\n  compound=true;\n  node [fontname=\"Helvetica\", fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=8];\n");
    let sites: Vec<_> = model.elements.iter().filter(|e| e.kind == "site").collect();
    let elements: Vec<_> = drawn_elements(model, &folding).collect();
    let write_node = |out: &mut String, e: &crate::model::Element, indent: &str| {
        let mut label = vec![e.name.clone()];
        label.extend(caption(model, &folding, options, e));
        let emphasis = match mark(model, &folding, options, e.id) {
            Mark::None => String::new(),
            Mark::Spof | Mark::PartIsSpof(_) => format!(", color=\"{SPOF_RED}\", fontcolor=\"{SPOF_RED}\", penwidth=3"),
            Mark::Accepted => format!(", color=\"{ACCEPTED_ORANGE}\", fontcolor=\"{ACCEPTED_ORANGE}\", penwidth=2"),
        };
        let _ = writeln!(
            out,
            "{indent}{} [label={}, {}{emphasis}];",
            quote(&e.name),
            quote(&label.join("\n")),
            layer_style(e.layer)
        );
    };
    for site in &sites {
        let site_mark = match options.spofs.get(&site.name) {
            Some(false) => format!("\n    color=\"{SPOF_RED}\";\n    fontcolor=\"{SPOF_RED}\";\n    penwidth=3;"),
            Some(true) => format!("\n    color=\"{ACCEPTED_ORANGE}\";\n    fontcolor=\"{ACCEPTED_ORANGE}\";"),
            None => String::new(),
        };
        let title = match options.spofs.get(&site.name) {
            Some(false) => format!("site {} (SPOF)", site.name),
            Some(true) => format!("site {} (SPOF, accepted)", site.name),
            None => format!("site {}", site.name),
        };
        let _ = writeln!(
            out,
            "  subgraph {} {{\n    label={};\n    style=\"rounded,dashed\";{site_mark}",
            quote(&format!("cluster_{}", site.name)),
            quote(&title)
        );
        for e in elements.iter().filter(|e| e.site == Some(site.id)) {
            write_node(&mut out, e, "    ");
        }
        out.push_str("  }\n");
    }
    for e in elements.iter().filter(|e| e.site.is_none()) {
        write_node(&mut out, e, "  ");
    }
    for g in model.groups.iter().filter(|g| folding.group_drawn(g.id)) {
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
    for (a, b, l, names) in drawn_links(model, &folding) {
        let style = match &l.medium {
            Medium::FibreChannel => "color=\"#7a3fb0\", penwidth=2",
            Medium::Trunk { .. } => "color=\"#1f5fbf\", penwidth=3",
            _ => "color=\"#1f5fbf\", penwidth=1.5",
        };
        let spof: Vec<&str> = names.iter().copied().filter(|n| options.spofs.get(*n) == Some(&false)).collect();
        let style = if spof.is_empty() {
            style.to_string()
        } else {
            format!(
                "color=\"{SPOF_RED}\", penwidth=3, fontcolor=\"{SPOF_RED}\", label={}",
                quote(&format!("SPOF {}", spof.join(", ")))
            )
        };
        let _ = writeln!(
            out,
            "  {} -> {} [dir=none, {style}, tooltip={}];",
            quote(&model.element(a).name),
            quote(&model.element(b).name),
            quote(&names.join(", "))
        );
    }
    for (a, b, k) in drawn_edges(model, &folding) {
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
