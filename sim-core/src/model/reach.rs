//! Network reachability with everything up, used to reject services that have no
//! path at all. Union-find over links and attachments: O((V + E) α(V)).
//! (Reachability under failures belongs to the analysis, not to loading.)

use super::{Model, NodeRef};

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb) as usize] = ra.min(rb);
    }
}

/// The network endpoints that stand for a tier: the element itself, or a group's members.
fn anchors(model: &Model, node: NodeRef) -> Vec<u32> {
    match node {
        NodeRef::Element(e) => vec![e.0],
        NodeRef::Group(g) => model.group(g).members.iter().map(|m| m.0).collect(),
        NodeRef::Service(_) => Vec::new(),
    }
}

/// For each service, the consecutive tier pairs `(i, i + 1)` with no network path
/// between them even when nothing has failed. Tier 0 is the service's entry point.
pub fn service_path_gaps(model: &Model) -> Vec<(usize, usize)> {
    let mut parent: Vec<u32> = (0..model.elements.len() as u32).collect();
    for l in &model.links {
        union(&mut parent, l.a.0, l.element.0);
        union(&mut parent, l.element.0, l.b.0);
    }
    for &(a, b) in &model.attachments {
        union(&mut parent, a.0, b.0);
    }
    let mut gaps = Vec::new();
    for (si, s) in model.services.iter().enumerate() {
        let tiers: Vec<NodeRef> = std::iter::once(NodeRef::Element(s.from)).chain(s.through.iter().copied()).collect();
        for (i, pair) in tiers.windows(2).enumerate() {
            let left = anchors(model, pair[0]);
            let right = anchors(model, pair[1]);
            let connected = left.iter().any(|&a| right.iter().any(|&b| find(&mut parent, a) == find(&mut parent, b)));
            if !connected {
                gaps.push((si, i));
            }
        }
    }
    gaps
}
