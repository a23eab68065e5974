//! Which groups forward through their role holder only, and the holder choices the
//! static engines enumerate (docs/SEMANTICS.md §4, "Only the holder forwards").
//!
//! A VRRP or HSRP backup router, firewall or balancer does not own the virtual IP, so
//! it forwards nothing for it (RFC 5798 §6.4.2); the simulator holds such a standby
//! off every path (`SimProfile::standby_blocks_transit`, set by the mechanism). The
//! static engines judge the state after failover, where the holder may be any eligible
//! member: they ask whether *some* choice of one holder per such group carries the
//! chain, with the other members forwarding nothing. Each choice is a branch; the
//! service is down when every branch is. An active-backup bond is chosen where it
//! matters to a chain (its idle NIC carries nothing, so a request arrives and leaves
//! through one NIC): per chain member when its host is one chain position
//! ([`member_interface_groups`], [`member_variants`]), else the same way as the holders.

use super::{Arrangement, ElementId, GroupId, Model, NetworkIndex, NodeRef};

/// Above this many holder choices (the product of the groups' sizes) the static
/// engines stop enumerating and let every member forward, saying so in a note: the
/// figure can then be optimistic where a path crosses a standby member.
pub const MAX_HOLDER_CHOICES: usize = 256;

/// The words every analysis note about passing [`MAX_HOLDER_CHOICES`] holds, so a
/// caller can tell such a note (`analyze` names the cap as a cause of the single
/// failures its figure leaves out).
pub const CHOICE_CAP_WORDS: &str = "choices of role holders";

/// The active-standby groups whose standby members forward no traffic and that have
/// at least two forwarding members (with fewer, who holds changes no path). In group
/// order. O(groups × members).
pub fn holder_only_groups(model: &Model, net: &NetworkIndex) -> Vec<GroupId> {
    let forwarding = net.forwarders(false);
    model
        .groups
        .iter()
        .filter(|g| matches!(g.arrangement, Arrangement::ActiveStandby))
        .filter(|g| g.members.iter().filter(|m| forwarding[m.0 as usize]).count() >= 2)
        .filter(|g| crate::mechanisms::profile(model, g).standby_blocks_transit)
        .map(|g| g.id)
        .collect()
}

/// The host-local groups whose standby members carry nothing (an active-backup bond:
/// one NIC at a time, Linux bonding.rst "active-backup") where the choice can change a
/// chain: the host is in the closure of a member of a tier that sends requests on
/// (every tier but a service's last), and its members reach different neighbours. A
/// request must then arrive and leave through the same NIC. In group order.
/// O(services × tiers × members × closure).
pub fn interface_groups(model: &Model, net: &NetworkIndex) -> Vec<GroupId> {
    let mut sending = vec![false; model.elements.len()];
    for svc in &model.services {
        for m in sending_anchors(model, svc) {
            for v in net.closure(m) {
                sending[v.0 as usize] = true;
            }
        }
    }
    model
        .groups
        .iter()
        .filter(|g| matches!(g.arrangement, Arrangement::ActiveStandby))
        .filter(|g| {
            let p = crate::mechanisms::profile(model, g);
            p.host_local && p.standby_blocks_transit
        })
        .filter(|g| g.members.iter().all(|m| sending[m.0 as usize]))
        .filter(|g| {
            let mut sides: Vec<Vec<ElementId>> = g
                .members
                .iter()
                .map(|m| {
                    let mut far: Vec<ElementId> = net.adjacency[m.0 as usize].iter().map(|x| x.0).collect();
                    far.sort();
                    far
                })
                .collect();
            sides.sort();
            sides.dedup();
            sides.len() >= 2
        })
        .map(|g| g.id)
        .collect()
}

/// The members of the tiers of `svc` that receive requests and send them on (every
/// tier but the last), in tier order: where an interface group's choice matters.
pub fn sending_anchors(model: &Model, svc: &super::Service) -> Vec<ElementId> {
    svc.through[..svc.through.len().saturating_sub(1)].iter().flat_map(|&t| model.anchors(t)).collect()
}

/// The [`interface_groups`] whose NIC is chosen per chain member instead of in the
/// global product ([`member_variants`]): none of their members forwards (so their choice
/// changes a `Reach` only where they lie in the closure of its source or target), and in
/// every service they lie in the closures of one chain position at most (the entry, or
/// the members of one tier). A request then meets the group at one member only, which
/// it enters and leaves through the same NIC; judging that member's two hops under one
/// choice of its own is the same as choosing for every host at once, at a cost that
/// adds over hosts instead of multiplying. A host running two tiers of one service
/// stays in the global product (its hops in both tiers must use one NIC). In group
/// order. O(services × tiers × members × closure + interface groups × members).
pub fn member_interface_groups(model: &Model, net: &NetworkIndex) -> Vec<GroupId> {
    // Per element: the (service, chain position) pairs whose members' closures hold it.
    let mut positions: Vec<Vec<(usize, usize)>> = vec![Vec::new(); model.elements.len()];
    for (s, svc) in model.services.iter().enumerate() {
        let tiers = std::iter::once(vec![svc.from]).chain(svc.through.iter().map(|&t| model.anchors(t)));
        for (k, members) in tiers.enumerate() {
            for m in members {
                for v in net.closure(m) {
                    positions[v.0 as usize].push((s, k));
                }
            }
        }
    }
    interface_groups(model, net)
        .into_iter()
        .filter(|&g| {
            let members = &model.group(g).members;
            let mut touched: Vec<(usize, usize)> =
                members.iter().flat_map(|m| positions[m.0 as usize].iter().copied()).collect();
            touched.sort();
            touched.dedup();
            members.iter().all(|m| !net.forwarding[m.0 as usize]) && touched.windows(2).all(|w| w[0].0 != w[1].0)
        })
        .collect()
}

/// The ways chain member `m` may carry a request given the [`member_interface_groups`]
/// `local`: per combination of one holder for each of them that has a member in `m`'s
/// closure, the members left idle (they carry nothing for `m`; see
/// [`NetworkIndex::closure_except`]). One empty combination when there is none. In
/// member order, the first group's holder varying slowest.
pub fn member_variants(model: &Model, net: &NetworkIndex, local: &[GroupId], m: ElementId) -> Vec<Vec<ElementId>> {
    let closure = net.closure(m);
    let mut variants: Vec<Vec<ElementId>> = vec![Vec::new()];
    for &g in local {
        let members = &model.group(g).members;
        if !members.iter().any(|v| closure.contains(v)) {
            continue;
        }
        variants = variants
            .into_iter()
            .flat_map(|idle| {
                members.iter().map(move |&holder| {
                    let mut next = idle.clone();
                    next.extend(members.iter().copied().filter(|&x| x != holder));
                    next
                })
            })
            .collect();
    }
    variants
}

/// The groups the static engines choose a holder for: every group of
/// [`holder_only_groups`], then the [`interface_groups`] that are not chosen per member
/// ([`member_interface_groups`]) when all of them fit within [`MAX_HOLDER_CHOICES`] too.
/// The flag says that interface groups were left out for the cap (the figure may then
/// let a request arrive through one NIC of a bond and leave through the other:
/// optimistic, and noted). `None` when the holder-only groups alone pass the cap.
pub fn choice_groups(model: &Model, net: &NetworkIndex) -> Option<(Vec<GroupId>, bool)> {
    let count =
        |groups: &[GroupId]| groups.iter().try_fold(1usize, |acc, &g| acc.checked_mul(model.group(g).members.len()));
    let mut groups = holder_only_groups(model, net);
    if count(&groups).is_none_or(|c| c > MAX_HOLDER_CHOICES) {
        return None;
    }
    let per_member = member_interface_groups(model, net);
    let interfaces: Vec<GroupId> =
        interface_groups(model, net).into_iter().filter(|g| !per_member.contains(g)).collect();
    let before = groups.len();
    groups.extend(interfaces.iter().copied());
    if count(&groups).is_none_or(|c| c > MAX_HOLDER_CHOICES) {
        groups.truncate(before);
        return Some((groups, !interfaces.is_empty()));
    }
    Some((groups, false))
}

/// One holder per group of [`choice_groups`], every combination, in member order;
/// `None` when the holder-only groups alone have more than [`MAX_HOLDER_CHOICES`].
/// With no such group, one empty choice (nothing blocked).
pub fn holder_choices(model: &Model, net: &NetworkIndex) -> Option<Vec<Vec<(GroupId, ElementId)>>> {
    let (groups, _) = choice_groups(model, net)?;
    let mut choices: Vec<Vec<(GroupId, ElementId)>> = vec![Vec::new()];
    for g in groups {
        choices = choices
            .into_iter()
            .flat_map(|choice| {
                model.group(g).members.iter().map(move |&m| {
                    let mut next = choice.clone();
                    next.push((g, m));
                    next
                })
            })
            .collect();
    }
    Some(choices)
}

/// The members that choice `choice` stops forwarding, for a service through `tiers`: of
/// each of its groups, every member but the holder, unless it holds a group of the
/// choice that is one of the service's tiers (a router that is master for one virtual
/// router and backup for another forwards: RFC 5798 §4.2, "Sample Configuration 2"; a
/// backup refuses only its own group's addresses, §6.4.2). Only a tier's holder is
/// chosen to serve (perfect failover puts that role where it carries the chain); who
/// holds a group the service does not name is its own election's business, so holding
/// it frees nothing here (pessimistic where its election puts the role on a router
/// the service needs; the simulator plays the elections). A blocked member that does
/// not forward (a bond's idle NIC) carries nothing at all
/// ([`NetworkIndex::closure_except`]). May repeat a member.
pub fn standbys<'a>(
    model: &'a Model,
    choice: &'a [(GroupId, ElementId)],
    tiers: &'a [NodeRef],
) -> impl Iterator<Item = ElementId> + 'a {
    let holds = move |m: ElementId| choice.iter().any(|&(g, h)| h == m && tiers.contains(&NodeRef::Group(g)));
    choice
        .iter()
        .flat_map(move |&(g, holder)| model.group(g).members.iter().copied().filter(move |&m| m != holder && !holds(m)))
}

/// Per element: whether choice `choice` stops it forwarding for a service through
/// `tiers` ([`standbys`]).
pub fn blocked_by(model: &Model, choice: &[(GroupId, ElementId)], tiers: &[NodeRef]) -> Vec<bool> {
    let mut blocked = vec![false; model.elements.len()];
    for m in standbys(model, choice, tiers) {
        blocked[m.0 as usize] = true;
    }
    blocked
}

/// The indices, in `members`, of the tier members a chain may run through under
/// `choice`: of a group the choice covers, its holder only; else every member.
pub fn chain_members(tier: NodeRef, members: &[ElementId], choice: &[(GroupId, ElementId)]) -> Vec<usize> {
    let holder = match tier {
        NodeRef::Group(g) => choice.iter().find(|c| c.0 == g).map(|c| c.1),
        _ => None,
    };
    (0..members.len()).filter(|&i| holder.is_none_or(|h| h == members[i])).collect()
}

#[cfg(test)]
mod tests {
    /// Nine VRRP pairs in series make 2⁹ = 512 choices of holders, past
    /// [`super::MAX_HOLDER_CHOICES`]: the fault tree lets every member forward, the ideal
    /// simulation keeps each group's own election, and both say so; the direct evaluator
    /// judges as the fault tree does (it agrees with the tree on every state of up to
    /// two failures).
    #[test]
    fn past_the_cap_every_engine_lets_every_member_forward_and_says_so() {
        let mut components = vec![r#""internet": { "kind": "entry" }"#.to_string()];
        let mut links = Vec::new();
        let mut groups = Vec::new();
        let mut through = Vec::new();
        for i in 1..=9 {
            let upstream = if i == 1 { "internet".to_string() } else { format!("sw-{}", i - 1) };
            for side in ["a", "b"] {
                components.push(format!(r#""r{i}{side}": {{ "kind": "router" }}"#));
                links.push(format!(r#"{{ "between": ["{upstream}", "r{i}{side}"] }}"#));
                links.push(format!(r#"{{ "between": ["r{i}{side}", "sw-{i}"] }}"#));
            }
            components.push(format!(r#""sw-{i}": {{ "kind": "switch" }}"#));
            groups.push(format!(r#""g{i}": {{ "kind": "vrrp", "members": ["r{i}a", "r{i}b"] }}"#));
            through.push(format!(r#""g{i}""#));
        }
        components.push(r#""web-1": { "kind": "server", "nics": ["sw-9"] }"#.to_string());
        through.push(r#""web-1""#.to_string());
        let text = format!(
            r#"{{ "components": {{ {} }}, "links": [ {} ], "groups": {{ {} }},
                "services": {{ "s": {{ "from": "internet", "through": [{}] }} }} }}"#,
            components.join(", "),
            links.join(", "),
            groups.join(", "),
            through.join(", ")
        );
        let loaded = crate::load(&text);
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        let model = loaded.model.unwrap();
        let net = crate::model::NetworkIndex::new(&model);
        assert_eq!(super::holder_only_groups(&model, &net).len(), 9);
        assert!(super::choice_groups(&model, &net).is_none());
        let structure = crate::analysis::structure::service_structures(&model).remove(0).expect("tree");
        let cap_note = "more than 256 choices of role holders for the groups whose standby members forward nothing";
        assert!(
            structure.tree.notes.iter().any(|n| n.starts_with(cap_note) && n.contains("optimistic")),
            "{:#?}",
            structure.tree.notes
        );
        let ideal =
            crate::simulate::SimOptions { years: 1, replications: 1, seed: 1, random_failures: true, ideal: true };
        let notes = crate::simulate::Compiled::new(&model, ideal).approximations();
        assert!(
            notes.len() == 1 && notes[0].starts_with(cap_note) && notes[0].contains("its own election"),
            "{notes:#?}"
        );
        let failable: Vec<crate::model::ElementId> =
            model.elements.iter().filter(|e| e.failure.is_some()).map(|e| e.id).collect();
        let mut ev = crate::model::eval::Evaluator::new(&model);
        let mut down = 0;
        for (i, &x) in failable.iter().enumerate() {
            for &y in &failable[i..] {
                let mut failed = vec![false; model.elements.len()];
                let mut events = vec![false; structure.tree.events.len()];
                for e in [x, y] {
                    failed[e.0 as usize] = true;
                    if let Some(&k) = structure.event_of.get(&e) {
                        events[k as usize] = true;
                    }
                }
                let up = ev.evaluate(&failed).service_up[0];
                assert_eq!(
                    up,
                    !structure.tree.top_happens(&events),
                    "{} {}",
                    model.element(x).name,
                    model.element(y).name
                );
                down += usize::from(!up);
            }
        }
        assert!(down > 100, "{down}");
    }
}
