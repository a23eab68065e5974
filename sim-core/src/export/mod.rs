//! Exports of the model as diagrams (Graphviz DOT, Mermaid) and as plain JSON. Sites are clusters
//! (subgraphs); power, network, storage and other dependencies are styled apart; links
//! are undirected edges; groups are nodes joined to their members by dotted edges.
//! Output is sorted by id, so the same model always gives the same text.

mod dot;
mod mermaid;
mod model_json;

pub use dot::to_dot;
pub use mermaid::to_mermaid;
pub use model_json::to_model_json;

use crate::model::{EdgeKind, ElementId, Model, NodeRef};

/// Dependency edges worth drawing (links are drawn as links; site membership as clusters).
fn drawn_edges(model: &Model) -> Vec<(NodeRef, NodeRef, EdgeKind)> {
    let link_elements: std::collections::BTreeSet<ElementId> = model.links.iter().map(|l| l.element).collect();
    let mut out: Vec<_> = model
        .graph
        .edge_indices()
        .filter_map(|e| {
            let (a, b) = model.graph.edge_endpoints(e)?;
            Some((model.graph[a], model.graph[b], model.graph[e]))
        })
        .filter(|(a, _, k)| *k != EdgeKind::Site && !matches!(a, NodeRef::Element(e) if link_elements.contains(e)))
        .collect();
    out.sort();
    out
}

/// Elements drawn as nodes: everything but links and sites.
fn drawn_elements(model: &Model) -> impl Iterator<Item = &crate::model::Element> {
    let links: std::collections::BTreeSet<ElementId> = model.links.iter().map(|l| l.element).collect();
    model.elements.iter().filter(move |e| !links.contains(&e.id) && e.kind != "site")
}
