//! Probes from the clients' side ([`Visibility::Probes`]): a GSLB's checkers sit on
//! the internet, where the clients are, so a site they cannot reach fails its checks
//! even while it runs. A check that makes a request (`http` through a balancer,
//! `content`) also fails when the site cannot carry that request along the service's
//! chain: a balancer with no backend answers 503, a health page whose database is
//! gone answers an error.
//!
//! What lies behind a member changes without touching the group (a backend dies, a
//! cluster fails over), so groups whose probes look behind their members are
//! re-judged at the end of every instant, once the rest has settled
//! ([`Sim::probes_changed`]).

use crate::model::{ElementId, Visibility};
use crate::simulate::engine::Sim;
use crate::simulate::Behaviour;

impl<'c, 'm> Sim<'c, 'm> {
    /// Member `i` of group `j` passes its probes now: the entries of the services
    /// through the group reach it (when its members are on the network; a standby's own
    /// address is probed too), and the request is carried the member's `onward_tiers`
    /// tiers along some service's chain. True for groups that do not probe.
    pub(in crate::simulate) fn probed_ok(&mut self, j: usize, i: usize) -> bool {
        let cx = self.cx;
        let Visibility::Probes { onward_tiers } = &cx.groups[j].sees else { return true };
        let m = cx.model.groups[j].members[i];
        if cx.groups[j].checked_from_entries {
            let entries: Vec<ElementId> =
                self.services_with_group(j).into_iter().map(|s| cx.model.services[s].from).collect();
            if !entries.is_empty() && !self.reach(&entries, &[m], false, None) {
                return false;
            }
        }
        // A standby at a DR site is brought into service by the DR plan, within its
        // site's recovery time (which the takeover takes), not found ready by a check:
        // until it serves, only its front door is judged. The member a running
        // switchover left is judged in full: taking the role back is serving again.
        let p = &cx.groups[j];
        if p.behaviour == Behaviour::Switchover
            && p.dr_rto_secs[i] > 0.0
            && self.serving(j) != Some(i)
            && self.groups[j].window_from != Some(i)
        {
            return true;
        }
        let depth = onward_tiers.get(i).copied().unwrap_or(0);
        let tiers = &cx.circuit.group_tiers[j];
        depth == 0
            || tiers.is_empty()
            || tiers.iter().any(|&(s, t)| self.carries_onward(s as usize, t as usize, i, depth as usize))
    }

    /// Re-judges the groups whose probes look behind their members; whether any
    /// verdict changed (those groups are touched, to react).
    pub(in crate::simulate) fn probes_changed(&mut self) -> bool {
        let mut changed = false;
        for k in 0..self.probe_groups.len() {
            let j = self.probe_groups[k] as usize;
            let members = &self.cx.model.groups[j].members;
            let verdicts: Vec<bool> =
                (0..members.len()).map(|i| self.works(members[i]) && self.probed_ok(j, i)).collect();
            if verdicts != self.groups[j].probe_verdicts {
                self.groups[j].probe_verdicts = verdicts;
                self.touch(j as u32);
                changed = true;
            }
        }
        changed
    }
}
