//! Exports of the model as diagrams (Graphviz DOT, Mermaid) and as plain JSON. Sites are clusters
//! (subgraphs); power, network, storage and other dependencies are styled apart; links
//! are undirected edges; groups are nodes joined to their members by dotted edges.
//! Single points of failure are drawn in red (accepted ones in orange, dashed), and a
//! server's parts (PSUs, NICs, bond, processes) are folded into the server unless
//! [`DiagramOptions::expand`] asks for them.
//! Output is sorted by id, so the same model always gives the same text.

mod dot;
mod mermaid;
mod model_json;

use std::collections::{BTreeMap, BTreeSet};

pub use dot::to_dot;
pub use mermaid::to_mermaid;
pub use model_json::to_model_json;

use crate::model::{EdgeKind, ElementId, Model, NodeRef};

/// What a diagram marks and how much it shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DiagramOptions {
    /// Single points of failure by element name; `true` when the scenario accepts it
    /// (its `suppress` list).
    pub spofs: BTreeMap<String, bool>,
    /// Draw a server's parts (PSUs, NICs, bond, processes: ids `host/part`) as nodes of
    /// their own instead of folding them into the host.
    pub expand: bool,
}

impl DiagramOptions {
    /// The model's SPOFs (any service, as `analyze` reports them, with the scenario's
    /// acceptances applied), folded unless `expand`.
    pub fn for_model(model: &Model, expand: bool) -> DiagramOptions {
        let points = crate::timed::single_points(model);
        let mut spofs = crate::analysis::findings::spofs(model, &points.all, &points.unseen);
        let mut lints = crate::lints::run(model);
        crate::check::accept_findings(model, &mut spofs, &mut lints);
        DiagramOptions { spofs: spofs.into_iter().map(|s| (s.element, s.suppressed.is_some())).collect(), expand }
    }
}

/// How each element is drawn: on its own, or folded into the node of its host.
struct Folding {
    /// Per element: the element whose node stands for it.
    node_of: Vec<ElementId>,
    /// Per group: the host it is a part of (a server's bond `web-1/bond`), when folded.
    group_host: Vec<Option<ElementId>>,
}

impl Folding {
    fn new(model: &Model, options: &DiagramOptions) -> Folding {
        let node_of = model
            .elements
            .iter()
            .map(|e| {
                if options.expand {
                    return e.id;
                }
                // `host/part`: the host's node, when the host is a drawn element.
                e.name
                    .split_once('/')
                    .and_then(|(host, _)| model.element_by_name(host))
                    .filter(|h| h.kind != "site")
                    .map_or(e.id, |h| h.id)
            })
            .collect();
        let group_host = model
            .groups
            .iter()
            .map(|g| {
                let (host, _) = g.name.split_once('/')?;
                model.element_by_name(host).filter(|h| !options.expand && h.kind != "site").map(|h| h.id)
            })
            .collect();
        Folding { node_of, group_host }
    }

    fn node(&self, n: NodeRef) -> NodeRef {
        match n {
            NodeRef::Element(e) => NodeRef::Element(self.node_of[e.0 as usize]),
            NodeRef::Group(g) => self.group_host[g.0 as usize].map_or(n, NodeRef::Element),
            other => other,
        }
    }

    /// Whether group `g` is drawn as its own node.
    fn group_drawn(&self, g: crate::model::GroupId) -> bool {
        self.group_host[g.0 as usize].is_none()
    }

    fn folded(&self, e: ElementId) -> bool {
        self.node_of[e.0 as usize] != e
    }

    /// The parts folded into `host`, by their short names.
    fn parts<'m>(&self, model: &'m Model, host: ElementId) -> Vec<&'m str> {
        let short = |name: &'m str| name.split_once('/').map_or(name, |(_, part)| part);
        let mut parts: Vec<&str> = model
            .elements
            .iter()
            // Cables from a part (`web-1/eth0~sw-1`) are drawn as edges, not named.
            .filter(|e| e.id != host && self.node_of[e.id.0 as usize] == host && !e.name.contains('~'))
            .map(|e| short(&e.name))
            .chain(
                model.groups.iter().filter(|g| self.group_host[g.id.0 as usize] == Some(host)).map(|g| short(&g.name)),
            )
            .collect();
        parts.sort_unstable();
        parts
    }
}

/// How a node is marked: not a SPOF, a SPOF, an accepted SPOF, or a host holding a
/// SPOF among its folded parts (named).
#[derive(Clone, Debug, PartialEq)]
enum Mark {
    None,
    Spof,
    Accepted,
    PartIsSpof(Vec<String>),
}

fn mark(model: &Model, folding: &Folding, options: &DiagramOptions, e: ElementId) -> Mark {
    let name = &model.element(e).name;
    match options.spofs.get(name) {
        Some(false) => return Mark::Spof,
        Some(true) => return Mark::Accepted,
        None => {}
    }
    let parts: Vec<String> = model
        .elements
        .iter()
        .filter(|p| p.id != e && folding.node_of[p.id.0 as usize] == e)
        .filter(|p| options.spofs.get(&p.name) == Some(&false))
        .map(|p| p.name.clone())
        .collect();
    if parts.is_empty() {
        Mark::None
    } else {
        Mark::PartIsSpof(parts)
    }
}

/// The text under a node's name: its kind, folded parts and SPOF mark.
fn caption(model: &Model, folding: &Folding, options: &DiagramOptions, e: &crate::model::Element) -> Vec<String> {
    let mut lines = vec![e.kind.to_string()];
    let parts = folding.parts(model, e.id);
    // Every folded part is named, four to a line.
    for (i, chunk) in parts.chunks(4).enumerate() {
        lines.push(format!("{} {}", if i == 0 { "+" } else { " " }, chunk.join(", ")));
    }
    match mark(model, folding, options, e.id) {
        Mark::None => {}
        Mark::Spof => lines.push("SPOF".into()),
        Mark::Accepted => lines.push("SPOF (accepted)".into()),
        Mark::PartIsSpof(p) => lines.push(format!("SPOF: {}", p.join(", "))),
    }
    lines
}

/// Dependency edges worth drawing (links are drawn as links; site membership as
/// clusters), between the nodes that stand for their ends; an edge inside one folded
/// node is not drawn, and edges that fold onto the same pair are drawn once.
fn drawn_edges(model: &Model, folding: &Folding) -> Vec<(NodeRef, NodeRef, EdgeKind)> {
    let link_elements: BTreeSet<ElementId> = model.links.iter().map(|l| l.element).collect();
    let mut out: Vec<_> = model
        .graph
        .edge_indices()
        .filter_map(|e| {
            let (a, b) = model.graph.edge_endpoints(e)?;
            Some((model.graph[a], model.graph[b], model.graph[e]))
        })
        .filter(|(a, _, k)| *k != EdgeKind::Site && !matches!(a, NodeRef::Element(e) if link_elements.contains(e)))
        .map(|(a, b, k)| (folding.node(a), folding.node(b), k))
        .filter(|(a, b, _)| a != b)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Links between the nodes that stand for their ends, once per pair and medium of
/// drawing, with the link ids they stand for.
fn drawn_links<'m>(
    model: &'m Model,
    folding: &Folding,
) -> Vec<(ElementId, ElementId, &'m crate::model::Link, Vec<&'m str>)> {
    let mut by_pair: BTreeMap<(ElementId, ElementId), (&crate::model::Link, Vec<&str>)> = BTreeMap::new();
    for l in &model.links {
        let (a, b) = (folding.node_of[l.a.0 as usize], folding.node_of[l.b.0 as usize]);
        if a == b {
            continue;
        }
        let entry = by_pair.entry((a.min(b), a.max(b))).or_insert((l, Vec::new()));
        entry.1.push(model.element(l.element).name.as_str());
    }
    by_pair.into_iter().map(|((a, b), (l, names))| (a, b, l, names)).collect()
}

/// Elements drawn as nodes: everything but links, sites and folded parts.
fn drawn_elements<'m>(model: &'m Model, folding: &'m Folding) -> impl Iterator<Item = &'m crate::model::Element> {
    let links: BTreeSet<ElementId> = model.links.iter().map(|l| l.element).collect();
    model.elements.iter().filter(move |e| !links.contains(&e.id) && e.kind != "site" && !folding.folded(e.id))
}
