//! The active spanning tree of an STP domain: breadth-first from the root bridge over
//! working inter-switch links, lower link ids first (standing in for port cost and
//! id). Ports not on the tree are blocked. O(V + E) per computation.

use std::collections::VecDeque;

use crate::model::ElementId;

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
}
