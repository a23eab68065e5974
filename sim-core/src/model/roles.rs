//! Which groups forward through their role holder only, and the holder choices the
//! static engines enumerate (docs/SEMANTICS.md §4, "Only the holder forwards").
//!
//! A VRRP or HSRP backup router, firewall or balancer does not own the virtual IP, so
//! it forwards nothing for it (RFC 5798 §6.4.2); the simulator holds such a standby
//! off every path (`SimProfile::standby_blocks_transit`, set by the mechanism). The
//! static engines judge the state after failover, where the holder may be any eligible
//! member: they ask whether *some* choice of one holder per such group carries the
//! chain, with the other members forwarding nothing. Each choice is a branch; the
//! service is down when every branch is.

use super::{Arrangement, ElementId, GroupId, Model, NetworkIndex, NodeRef};

/// Above this many holder choices (the product of the groups' sizes) the static
/// engines stop enumerating and let every member forward, saying so in a note: the
/// figure can then be optimistic where a path crosses a standby member.
pub const MAX_HOLDER_CHOICES: usize = 256;

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

/// One holder per group of [`holder_only_groups`], every combination, in member
/// order; `None` when there are more than [`MAX_HOLDER_CHOICES`]. With no such group,
/// one empty choice (nothing blocked).
pub fn holder_choices(model: &Model, net: &NetworkIndex) -> Option<Vec<Vec<(GroupId, ElementId)>>> {
    let groups = holder_only_groups(model, net);
    let count = groups.iter().try_fold(1usize, |acc, &g| acc.checked_mul(model.group(g).members.len()))?;
    if count > MAX_HOLDER_CHOICES {
        return None;
    }
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

/// The members that choice `choice` stops forwarding: of each of its groups, every
/// member but the holder.
pub fn standbys<'a>(model: &'a Model, choice: &'a [(GroupId, ElementId)]) -> impl Iterator<Item = ElementId> + 'a {
    choice.iter().flat_map(move |&(g, holder)| model.group(g).members.iter().copied().filter(move |&m| m != holder))
}

/// Per element: whether choice `choice` stops it forwarding ([`standbys`]).
pub fn blocked_by(model: &Model, choice: &[(GroupId, ElementId)]) -> Vec<bool> {
    let mut blocked = vec![false; model.elements.len()];
    for m in standbys(model, choice) {
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
