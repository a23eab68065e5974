//! Port roles of an STP domain, as IEEE 802.1D-1998 §8.6 computes them with equal port
//! path costs: the converged tree of every connected part of the domain, and the
//! roles right after a failure, before stale information ages out.
//!
//! Bridge identifiers stand in as ranks: the configured root bridge first, then the
//! members in their listed order (the order `stp.switches` gives). Port identifiers are
//! the link element ids. Each computation is O(V + E) per domain.

use std::collections::VecDeque;

use crate::model::{ElementId, Model};

/// One inter-switch link inside the domain: (member index a, member index b, link element).
pub type DomainLink = (usize, usize, ElementId);

/// What a bridge believes about its root (IEEE 802.1D-1998 §8.5.3 "Designated Root",
/// "Root Path Cost"): the root bridge's rank and the hop count to it (the root path
/// cost with equal port path costs). Lower is better, root first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Belief {
    pub root_rank: u32,
    pub cost: u32,
}

/// The port roles of one domain.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Roles {
    /// Per member: what it believes; `None` while it is down.
    pub belief: Vec<Option<Belief>>,
    /// Per member: its root port (an index into the domain's links); `None` for a root
    /// bridge or a member that is down.
    pub root_port: Vec<Option<usize>>,
    /// Per domain link, per end (0 = `a`, 1 = `b`): the port's role is root or
    /// designated, so it forwards once it has listened and learned (§8.4). False for
    /// a blocked port (neither role) and for a port whose link or bridge is down.
    pub forwarding_role: Vec<[bool; 2]>,
}

/// Bridge ranks: the configured root bridge (member index `configured_root`) is best,
/// then the members in their listed order.
pub fn bridge_ranks(members: usize, configured_root: usize) -> Vec<u32> {
    (0..members).map(|i| if i == configured_root { 0 } else { i as u32 + 1 }).collect()
}

/// Per domain link: it and both its bridges work.
fn links_working(
    links: &[DomainLink],
    works: impl Fn(usize) -> bool,
    link_works: impl Fn(ElementId) -> bool,
) -> Vec<bool> {
    links.iter().map(|&(a, b, l)| works(a) && works(b) && link_works(l)).collect()
}

/// The converged roles (§8.6.8 root selection, §8.6.9 designated ports): every
/// connected part of the working domain elects its best-ranked bridge as root; a
/// bridge's root port is the link to the neighbour with the lowest (root path cost,
/// bridge rank, link id); each link's designated port is at the end with the better
/// (root path cost, rank). `works(i)` says member i works; `link_works(l)` says link l
/// does.
pub fn converged(
    ranks: &[u32],
    links: &[DomainLink],
    works: impl Fn(usize) -> bool,
    link_works: impl Fn(ElementId) -> bool,
) -> Roles {
    let n = ranks.len();
    let working = links_working(links, &works, &link_works);
    let up = |k: usize| working[k];
    let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (k, &(a, b, _)) in links.iter().enumerate() {
        if a != b && up(k) {
            adjacency[a].push(k);
            adjacency[b].push(k);
        }
    }
    let far = |k: usize, i: usize| if links[k].0 == i { links[k].1 } else { links[k].0 };
    let mut belief: Vec<Option<Belief>> = vec![None; n];
    // Parts in order of their best rank, so a part's root is its first bridge reached.
    let mut order: Vec<usize> = (0..n).filter(|&i| works(i)).collect();
    order.sort_by_key(|&i| ranks[i]);
    for root in order {
        if belief[root].is_some() {
            continue;
        }
        belief[root] = Some(Belief { root_rank: ranks[root], cost: 0 });
        let mut queue = VecDeque::from([root]);
        while let Some(u) = queue.pop_front() {
            let cost = belief[u].map_or(0, |b| b.cost) + 1;
            for &k in &adjacency[u] {
                let v = far(k, u);
                if belief[v].is_none() {
                    belief[v] = Some(Belief { root_rank: ranks[root], cost });
                    queue.push_back(v);
                }
            }
        }
    }
    let mut root_port: Vec<Option<usize>> = vec![None; n];
    for i in 0..n {
        let Some(mine) = belief[i] else { continue };
        root_port[i] = adjacency[i]
            .iter()
            .copied()
            .filter(|&k| belief[far(k, i)].is_some_and(|b| b.cost + 1 == mine.cost))
            .min_by_key(|&k| (ranks[far(k, i)], links[k].2));
    }
    let forwarding_role = (0..links.len())
        .map(|k| {
            if !up(k) || links[k].0 == links[k].1 {
                return [false; 2];
            }
            let (a, b, _) = links[k];
            let key = |i: usize| (belief[i], ranks[i]);
            let designated_a = key(a) < key(b);
            [designated_a || root_port[a] == Some(k), !designated_a || root_port[b] == Some(k)]
        })
        .collect();
    Roles { belief, root_port, forwarding_role }
}

/// The roles right after elements failed, while the other bridges still hold their
/// stored information (IEEE 802.1D-1998 §8.6.2.2: inferior information from a port's
/// designated bridge is not recorded; it is kept until its message age reaches max age,
/// §8.6.2.3, §8.7: the Message Age timer). Only a bridge that lost its root port directly (its link or the bridge at
/// its far end went down: loss of carrier, §8.8.2) reacts at once: it makes root the
/// best of its blocked ports whose designated bridge still works (an alternate), or,
/// with none, claims to be root. Its other ports keep their roles; so do all other
/// bridges' ports, except those whose link or bridge is down. `prev` are the roles in
/// force before the failure.
pub fn after_direct_losses(
    prev: &Roles,
    ranks: &[u32],
    links: &[DomainLink],
    works: impl Fn(usize) -> bool,
    link_works: impl Fn(ElementId) -> bool,
) -> Roles {
    let n = ranks.len();
    let working = links_working(links, &works, &link_works);
    let up = |k: usize| working[k];
    let far = |k: usize, i: usize| if links[k].0 == i { links[k].1 } else { links[k].0 };
    let end = |k: usize, i: usize| usize::from(links[k].0 != i);
    let mut next = prev.clone();
    for (k, roles) in next.forwarding_role.iter_mut().enumerate() {
        if !up(k) {
            *roles = [false; 2];
        }
    }
    for i in 0..n {
        if !works(i) {
            next.belief[i] = None;
            next.root_port[i] = None;
            continue;
        }
        let Some(old_root_port) = prev.root_port[i] else { continue };
        if up(old_root_port) {
            continue;
        }
        let alternate = (0..links.len())
            .filter(|&k| up(k) && (links[k].0 == i || links[k].1 == i) && links[k].0 != links[k].1)
            .filter(|&k| !prev.forwarding_role[k][end(k, i)])
            .filter_map(|k| Some((prev.belief[far(k, i)]?, ranks[far(k, i)], links[k].2, k)))
            .min();
        match alternate {
            Some((designated, _, _, k)) => {
                next.belief[i] = Some(Belief { root_rank: designated.root_rank, cost: designated.cost + 1 });
                next.root_port[i] = Some(k);
                next.forwarding_role[k][end(k, i)] = true;
            }
            None => {
                next.belief[i] = Some(Belief { root_rank: ranks[i], cost: 0 });
                next.root_port[i] = None;
            }
        }
    }
    next
}

/// The inter-switch links every STP domain of `model` blocks while the elements for
/// which `works` holds work: the domain's working links with a blocked end in the
/// converged tree. Sorted. For display (dashed links); the simulator tracks the ports
/// over time itself.
pub fn blocked_links(model: &Model, works: impl Fn(ElementId) -> bool) -> Vec<ElementId> {
    let mut blocked = Vec::new();
    for g in &model.groups {
        let Some(timers) = crate::mechanisms::profile(model, g).stp else { continue };
        let index_of = |e: ElementId| g.members.iter().position(|&m| m == e);
        let links: Vec<DomainLink> =
            model.links.iter().filter_map(|l| Some((index_of(l.a)?, index_of(l.b)?, l.element))).collect();
        let ranks = bridge_ranks(g.members.len(), timers.root.and_then(index_of).unwrap_or(0));
        let roles = converged(&ranks, &links, |i| works(g.members[i]), &works);
        for (k, &(a, b, link)) in links.iter().enumerate() {
            let working = works(link) && works(g.members[a]) && works(g.members[b]);
            if working && roles.forwarding_role[k] != [true; 2] {
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

    // Expected roles below are worked by hand from 802.1D-1998 §8.6 (lowest root path
    // cost, then lowest designated bridge id, then port id), not from this code.

    fn triangle() -> Vec<DomainLink> {
        // s0 (root) – s1 (link 10), s0 – s2 (link 11), s1 – s2 (link 12).
        vec![(0, 1, ElementId(10)), (0, 2, ElementId(11)), (1, 2, ElementId(12))]
    }

    #[test]
    fn a_triangle_blocks_the_worse_bridges_end_of_the_link_off_the_tree() {
        let roles = converged(&bridge_ranks(3, 0), &triangle(), |_| true, |_| true);
        assert_eq!(roles.root_port, [None, Some(0), Some(1)]);
        // s1 and s2 both cost 1; s1 has the lower bridge id, so it is designated on
        // s1–s2 and s2's end blocks.
        assert_eq!(roles.forwarding_role, [[true, true], [true, true], [true, false]]);
    }

    #[test]
    fn losing_the_root_port_moves_to_an_alternate_only_where_the_far_end_was_designated() {
        let links = triangle();
        let ranks = bridge_ranks(3, 0);
        let before = converged(&ranks, &links, |_| true, |_| true);
        // s0–s2 fails: s2's blocked end on s1–s2 holds s1's information, an alternate.
        let moved = after_direct_losses(&before, &ranks, &links, |_| true, |l| l != ElementId(11));
        assert_eq!(moved.root_port[2], Some(2));
        assert_eq!(moved.forwarding_role[2], [true, true]);
        assert_eq!(moved.belief[2], Some(Belief { root_rank: 0, cost: 2 }));
        // s0–s1 fails: s1 is designated on s1–s2, so it has no alternate and claims to
        // be root; s2 keeps its stale information and its blocked end.
        let alone = after_direct_losses(&before, &ranks, &links, |_| true, |l| l != ElementId(10));
        assert_eq!(alone.root_port[1], None);
        assert_eq!(alone.belief[1], Some(Belief { root_rank: 2, cost: 0 }));
        assert_eq!(alone.forwarding_role[2], [true, false]);
        // Once that ages out, s2 is designated on s1–s2 and s1's root port is there.
        let after = converged(&ranks, &links, |_| true, |l| l != ElementId(10));
        assert_eq!(after.root_port[1], Some(2));
        assert_eq!(after.forwarding_role[2], [true, true]);
    }

    #[test]
    fn a_part_cut_off_from_the_root_elects_its_own() {
        // Chain s0 – s2 – s1 (links 10, 11); s0 dies: s1 has the better id of the two left.
        let links = vec![(0, 2, ElementId(10)), (2, 1, ElementId(11))];
        let roles = converged(&bridge_ranks(3, 0), &links, |i| i != 0, |_| true);
        assert_eq!(roles.belief[1], Some(Belief { root_rank: 2, cost: 0 }));
        assert_eq!(roles.root_port, [None, None, Some(1)]);
        assert_eq!(roles.forwarding_role[1], [true, true]);
    }

    #[test]
    fn parallel_links_forward_on_the_lower_port_id() {
        let links = vec![(0, 1, ElementId(7)), (0, 1, ElementId(5))];
        let roles = converged(&bridge_ranks(2, 0), &links, |_| true, |_| true);
        assert_eq!(roles.root_port[1], Some(1));
        assert_eq!(roles.forwarding_role, [[true, false], [true, true]]);
    }

    #[test]
    fn a_ladder_blocks_one_link_until_a_tree_link_fails() {
        let text = include_str!("../../../scenarios/network/l2-ladder-cross.jsonc");
        let model = crate::load(text).model.unwrap();
        let blocked = blocked_links(&model, |_| true);
        assert!(!blocked.is_empty());
        // Failing a blocked link leaves one fewer blocked in its domain.
        let first = blocked[0];
        let again = blocked_links(&model, |e| e != first);
        assert!(!again.contains(&first));
        assert_eq!(again.len(), blocked.len() - 1);
    }
}
