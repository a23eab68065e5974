//! Network tables shared by every analysis: who is linked to whom (and through which
//! link element), what is attached without a link, and which devices forward traffic.

use petgraph::visit::EdgeRef;

use super::{EdgeKind, ElementId, GroupId, Model, NodeRef};

/// Kinds that forward traffic between other devices; servers are endpoints.
/// Kinds that forward frames within one L2 segment.
pub const SWITCHING: &[&str] = &["switch"];

pub const FORWARDING: &[&str] = &["switch", "router", "firewall", "load-balancer", "san-switch", "entry"];

/// Kinds with no IP address of their own, so no probe (ARP, ICMP) can be answered by
/// them: a cable, a site, the outside world.
const WITHOUT_ADDRESS: &[&str] = &["link", "site", "entry"];

/// Whether `kind` names a device with an address that a probe can get an answer from.
pub fn has_address(kind: &str) -> bool {
    !WITHOUT_ADDRESS.contains(&kind)
}

pub struct NetworkIndex {
    /// Per element: (neighbour, link element) over network links.
    pub adjacency: Vec<Vec<(ElementId, ElementId)>>,
    /// Per element: elements attached to it (a NIC in its server, a process on its host).
    pub attached: Vec<Vec<ElementId>>,
    pub forwarding: Vec<bool>,
    /// Per element: forwards inside one L2 segment only (a switch), so link-local
    /// multicast such as VRRP adverts crosses it while it stops at a router.
    pub switching: Vec<bool>,
}

impl NetworkIndex {
    /// O(V + E).
    pub fn new(model: &Model) -> NetworkIndex {
        let n = model.elements.len();
        let mut adjacency = vec![Vec::new(); n];
        for l in &model.links {
            adjacency[l.a.0 as usize].push((l.b, l.element));
            adjacency[l.b.0 as usize].push((l.a, l.element));
        }
        let mut attached = vec![Vec::new(); n];
        for &(a, b) in &model.attachments {
            attached[a.0 as usize].push(b);
            attached[b.0 as usize].push(a);
        }
        let forwarding = model.elements.iter().map(|e| FORWARDING.contains(&e.kind)).collect();
        let switching = model.elements.iter().map(|e| SWITCHING.contains(&e.kind)).collect();
        NetworkIndex { adjacency, attached, forwarding, switching }
    }

    /// Whether member `m`'s interface on an advert segment is up: a link that `works` to
    /// a switch of `segment` that `works` (any switch when `segment` is empty). True
    /// when `m` is cabled to no such switch (the segment is not modelled). A VRRP/HSRP
    /// router whose interface is down is in FAULT (keepalived) or Init (Cisco HSRP) and
    /// holds no virtual IP. O(degree of `m`).
    pub fn segment_link_up(&self, segment: &[ElementId], m: ElementId, works: impl Fn(ElementId) -> bool) -> bool {
        let on_segment =
            |w: ElementId| if segment.is_empty() { self.switching[w.0 as usize] } else { segment.contains(&w) };
        let mut links = self.adjacency[m.0 as usize].iter().filter(|&&(w, _)| on_segment(w)).peekable();
        links.peek().is_none() || links.any(|&(w, link)| works(link) && works(w))
    }

    /// Everything attached to `e`, transitively (a process, its server, its NICs), `e` first.
    pub fn closure(&self, e: ElementId) -> Vec<ElementId> {
        let mut seen = vec![e];
        let mut i = 0;
        while i < seen.len() {
            for &w in &self.attached[seen[i].0 as usize] {
                if !seen.contains(&w) {
                    seen.push(w);
                }
            }
            i += 1;
        }
        seen
    }
}

impl Model {
    /// The quorum device a cluster votes with, if any.
    pub fn quorum_device(&self, g: GroupId) -> Option<ElementId> {
        let node = *self.node_of.get(&NodeRef::Group(g))?;
        self.graph.edges(node).find_map(|e| match (*e.weight(), self.graph[e.target()]) {
            (EdgeKind::Quorum, NodeRef::Element(q)) => Some(q),
            _ => None,
        })
    }

    /// The elements standing for a tier: the element, or a group's members.
    pub fn anchors(&self, node: NodeRef) -> Vec<ElementId> {
        match node {
            NodeRef::Element(e) => vec![e],
            NodeRef::Group(g) => self.group(g).members.clone(),
            NodeRef::Service(_) => Vec::new(),
        }
    }
}
