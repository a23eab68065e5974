//! Mermaid flowchart export (renders in GitHub Markdown).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{drawn_edges, drawn_elements};
use crate::model::{EdgeKind, Layer, Model, NodeRef};

fn label(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// Renders the model as a Mermaid `flowchart`; `a --> b` reads "a depends on b".
pub fn to_mermaid(model: &Model) -> String {
    let mut ids: BTreeMap<NodeRef, String> = BTreeMap::new();
    for e in &model.elements {
        ids.insert(NodeRef::Element(e.id), format!("e{}", e.id.0));
    }
    for g in &model.groups {
        ids.insert(NodeRef::Group(g.id), format!("g{}", g.id.0));
    }
    for i in 0..model.services.len() {
        ids.insert(NodeRef::Service(i as u32), format!("s{i}"));
    }
    let mut out = String::from("flowchart TB\n");
    let elements: Vec<_> = drawn_elements(model).collect();
    let node = |e: &crate::model::Element| {
        let text = label(&format!("{}<br/><small>{}</small>", e.name, e.kind));
        match e.layer {
            Layer::Storage => format!("e{}[(\"{text}\")]", e.id.0),
            Layer::Entry => format!("e{}((\"{text}\"))", e.id.0),
            _ => format!("e{}[\"{text}\"]", e.id.0),
        }
    };
    for site in model.elements.iter().filter(|e| e.kind == "site") {
        let _ = writeln!(out, "  subgraph site_{}[\"site {}\"]", site.id.0, label(&site.name));
        for e in elements.iter().filter(|e| e.site == Some(site.id)) {
            let _ = writeln!(out, "    {}", node(e));
        }
        out.push_str("  end\n");
    }
    for e in elements.iter().filter(|e| e.site.is_none()) {
        let _ = writeln!(out, "  {}", node(e));
    }
    for g in &model.groups {
        let _ = writeln!(out, "  g{}{{{{\"{}<br/><small>{}</small>\"}}}}", g.id.0, label(&g.name), g.kind);
    }
    for (i, s) in model.services.iter().enumerate() {
        let _ = writeln!(out, "  s{i}[/\"service {}\"\\]", label(&s.name));
    }
    for l in &model.links {
        let _ = writeln!(out, "  e{} ---|\"{}\"| e{}", l.a.0, label(&model.element(l.element).name), l.b.0);
    }
    for (a, b, k) in drawn_edges(model) {
        let arrow = match k {
            EdgeKind::Member => "-.-",
            EdgeKind::Power | EdgeKind::Storage => "==>",
            _ => "-->",
        };
        let _ = writeln!(out, "  {} {arrow}|{}| {}", ids[&a], k.as_str(), ids[&b]);
    }
    for (layer, color) in [
        (Layer::Power, "#fde2b4"),
        (Layer::Network, "#cfe3ff"),
        (Layer::Compute, "#d9f2d9"),
        (Layer::Storage, "#e8dcf5"),
        (Layer::Software, "#f5f5dc"),
    ] {
        let members: Vec<String> =
            elements.iter().filter(|e| e.layer == layer).map(|e| format!("e{}", e.id.0)).collect();
        if !members.is_empty() {
            let _ = writeln!(out, "  classDef {} fill:{color}", layer.as_str());
            let _ = writeln!(out, "  class {} {}", members.join(","), layer.as_str());
        }
    }
    out
}
