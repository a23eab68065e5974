//! Mermaid flowchart export (renders in GitHub Markdown).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{caption, drawn_edges, drawn_elements, drawn_links, mark, DiagramOptions, Folding, Mark};
use crate::model::{EdgeKind, Layer, Model, NodeRef};

fn label(s: &str) -> String {
    s.replace('"', "#quot;")
}

/// Renders the model as a Mermaid `flowchart`; `a --> b` reads "a depends on b", except
/// power, drawn from the source to what it powers (`pdu ==>|powers| server`). SPOFs
/// get the `spof` class (red; accepted ones `accepted`, orange); a server's parts fold
/// into it unless `options.expand`.
pub fn to_mermaid(model: &Model, options: &DiagramOptions) -> String {
    let folding = Folding::new(model, options);
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
    let elements: Vec<_> = drawn_elements(model, &folding).collect();
    let node = |e: &crate::model::Element| {
        let text =
            label(&format!("{}<br/><small>{}</small>", e.name, caption(model, &folding, options, e).join("<br/>")));
        match e.layer {
            Layer::Storage => format!("e{}[(\"{text}\")]", e.id.0),
            Layer::Entry => format!("e{}((\"{text}\"))", e.id.0),
            _ => format!("e{}[\"{text}\"]", e.id.0),
        }
    };
    for site in model.elements.iter().filter(|e| e.kind == "site") {
        let title = match options.spofs.get(&site.name) {
            Some(false) => format!("site {} (SPOF)", site.name),
            Some(true) => format!("site {} (SPOF, accepted)", site.name),
            None => format!("site {}", site.name),
        };
        let _ = writeln!(out, "  subgraph site_{}[\"{}\"]", site.id.0, label(&title));
        for e in elements.iter().filter(|e| e.site == Some(site.id)) {
            let _ = writeln!(out, "    {}", node(e));
        }
        out.push_str("  end\n");
    }
    for e in elements.iter().filter(|e| e.site.is_none()) {
        let _ = writeln!(out, "  {}", node(e));
    }
    for g in model.groups.iter().filter(|g| folding.group_drawn(g.id)) {
        let _ = writeln!(out, "  g{}{{{{\"{}<br/><small>{}</small>\"}}}}", g.id.0, label(&g.name), g.kind);
    }
    for (i, s) in model.services.iter().enumerate() {
        let _ = writeln!(out, "  s{i}[/\"service {}\"\\]", label(&s.name));
    }
    let mut spof_links = Vec::new();
    for (i, (a, b, _, names)) in drawn_links(model, &folding).into_iter().enumerate() {
        let spof: Vec<&str> = names.iter().copied().filter(|n| options.spofs.get(*n) == Some(&false)).collect();
        let text = if spof.is_empty() { names.join(", ") } else { format!("SPOF {}", spof.join(", ")) };
        if !spof.is_empty() {
            spof_links.push(i.to_string());
        }
        let _ = writeln!(out, "  e{} ---|\"{}\"| e{}", a.0, label(&text), b.0);
    }
    for (a, b, k) in drawn_edges(model, &folding) {
        let arrow = match k {
            EdgeKind::Member => "-.-",
            EdgeKind::Power | EdgeKind::Storage => "==>",
            _ => "-->",
        };
        if k == EdgeKind::Power {
            // Power is drawn flowing from its source to what it powers.
            let _ = writeln!(out, "  {} {arrow}|powers| {}", ids[&b], ids[&a]);
        } else {
            let _ = writeln!(out, "  {} {arrow}|{}| {}", ids[&a], k.as_str(), ids[&b]);
        }
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
    let marked = |wanted: fn(&Mark) -> bool| -> Vec<String> {
        elements
            .iter()
            .filter(|e| wanted(&mark(model, &folding, options, e.id)))
            .map(|e| format!("e{}", e.id.0))
            .collect()
    };
    let spofs = marked(|m| matches!(m, Mark::Spof | Mark::PartIsSpof(_)));
    if !spofs.is_empty() {
        out.push_str("  classDef spof stroke:#d00000,stroke-width:3px,color:#d00000\n");
        let _ = writeln!(out, "  class {} spof", spofs.join(","));
    }
    let accepted = marked(|m| matches!(m, Mark::Accepted));
    if !accepted.is_empty() {
        out.push_str("  classDef accepted stroke:#d08000,stroke-width:2px,stroke-dasharray:4 2,color:#d08000\n");
        let _ = writeln!(out, "  class {} accepted", accepted.join(","));
    }
    if !spof_links.is_empty() {
        let _ = writeln!(out, "  linkStyle {} stroke:#d00000,stroke-width:3px", spof_links.join(","));
    }
    out
}
