//! The active spanning tree of an STP domain: breadth-first from the root bridge over
//! working inter-switch links, lower link ids first (standing in for port cost and
//! id). Ports not on the tree are blocked. O(V + E) per computation.

use std::collections::VecDeque;

use crate::model::{ElementId, Model};

/// Where a switch gets its path to the root.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RootPort {
    /// It is the root bridge.
    Root,
    /// Through this link.
    Via(ElementId),
    /// No working path to the root.
    Isolated,
}

/// One inter-switch link inside the domain: (member index a, member index b, link element).
pub type DomainLink = (usize, usize, ElementId);

/// The root port of each member; `root` is the elected root bridge (member index).
pub fn root_ports(
    members: usize,
    root: Option<usize>,
    links: &[DomainLink],
    works: impl Fn(usize) -> bool,
    link_works: impl Fn(ElementId) -> bool,
) -> Vec<RootPort> {
    let mut ports = vec![RootPort::Isolated; members];
    let Some(root) = root else { return ports };
    ports[root] = RootPort::Root;
    let mut queue = VecDeque::from([root]);
    while let Some(u) = queue.pop_front() {
        for &(a, b, link) in links {
            let v = if a == u {
                b
            } else if b == u {
                a
            } else {
                continue;
            };
            if ports[v] == RootPort::Isolated && v != root && works(v) && link_works(link) {
                ports[v] = RootPort::Via(link);
                queue.push_back(v);
            }
        }
    }
    ports
}

/// The inter-switch links every STP domain of `model` blocks while the elements for
/// which `works` holds work: the domain's working links that are no switch's root port.
/// Sorted. For display (dashed links); the simulator tracks the tree over time itself.
pub fn blocked_links(model: &Model, works: impl Fn(ElementId) -> bool) -> Vec<ElementId> {
    let mut blocked = Vec::new();
    for g in &model.groups {
        let Some(timers) = crate::mechanisms::profile(model, g).stp else { continue };
        let index_of = |e: ElementId| g.members.iter().position(|&m| m == e);
        let links: Vec<DomainLink> =
            model.links.iter().filter_map(|l| Some((index_of(l.a)?, index_of(l.b)?, l.element))).collect();
        let configured = timers.root.and_then(index_of);
        let root =
            configured.filter(|&r| works(g.members[r])).or_else(|| (0..g.members.len()).find(|&i| works(g.members[i])));
        let ports = root_ports(g.members.len(), root, &links, |i| works(g.members[i]), &works);
        for &(a, b, link) in &links {
            let on_tree = ports.contains(&RootPort::Via(link));
            if !on_tree && works(link) && works(g.members[a]) && works(g.members[b]) {
                blocked.push(link);
            }
        }
    }
    blocked.sort();
    blocked.dedup();
    blocked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_tree_link_moves_the_switch_to_its_blocked_port() {
        // Square: 0 (root) – 1 – 2 – 3 – 0; links 10..13.
        let links = [(0, 1, ElementId(10)), (1, 2, ElementId(11)), (2, 3, ElementId(12)), (3, 0, ElementId(13))];
        let all = root_ports(4, Some(0), &links, |_| true, |_| true);
        assert_eq!(
            all,
            [RootPort::Root, RootPort::Via(ElementId(10)), RootPort::Via(ElementId(11)), RootPort::Via(ElementId(13))]
        );
        let cut = root_ports(4, Some(0), &links, |_| true, |l| l != ElementId(10));
        assert_eq!(cut[1], RootPort::Via(ElementId(11)));
        assert_eq!(cut[2], RootPort::Via(ElementId(12)));
        let none = root_ports(4, None, &links, |_| true, |_| true);
        assert!(none.iter().all(|p| *p == RootPort::Isolated));
    }

    #[test]
    fn a_ladder_blocks_one_link_until_a_tree_link_fails() {
        let text = include_str!("../../../scenarios/network/l2-ladder-cross.jsonc");
        let model = crate::load(text).model.unwrap();
        let blocked = blocked_links(&model, |_| true);
        assert!(!blocked.is_empty());
        // Failing a blocked link's switch pair's tree link unblocks it; failing the
        // blocked link itself leaves nothing blocked in its domain.
        let first = blocked[0];
        let again = blocked_links(&model, |e| e != first);
        assert!(!again.contains(&first));
        assert_eq!(again.len(), blocked.len() - 1);
    }
}
