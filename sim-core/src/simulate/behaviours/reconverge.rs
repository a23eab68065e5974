//! Reconverge: the ports of a spanning-tree domain over time (IEEE 802.1D-1998 §8;
//! RSTP: IEEE 802.1D-2004 §17).
//!
//! Each domain keeps its port roles in force and, per port, the time from which it
//! forwards. A port that takes the root or designated role while blocked listens and
//! learns before it forwards (802.1D: 2 × forward_delay, §8.4; RSTP: the
//! proposal/agreement handshake, counted as `to_forwarding_secs`); one that keeps
//! forwarding through a role change (root ↔ designated) never stops (§8.6.11–12); one
//! that loses both roles blocks at once. After a failure under 802.1D only the bridges
//! that lost their root port directly react at once; the others keep their stale
//! information until it ages out at max_age (`stale_info_secs`), and then the domain
//! takes its converged roles. A repair brings better information, accepted at once.
//! RSTP accepts inferior information at once (§17.27), so its stale time is zero.
//! While any port of the domain waits, a link carries traffic (and VRRP adverts) only
//! when both its ends forward; once all forward as the tree wants, the tree connects
//! what the links do, and the blocked links are left carrying.

use crate::simulate::engine::{Event, Sim};
use crate::simulate::spanning_tree::{after_direct_losses, converged, Roles};

/// One domain's ports over time.
#[derive(Clone, Debug, Default)]
pub(in crate::simulate) struct StpState {
    pub(in crate::simulate) roles: Roles,
    /// Per domain link, per end: the time from which it forwards (`INFINITY`: blocked).
    pub(in crate::simulate) forward_at: Vec<[f64; 2]>,
    /// When the bridges' stale information ages out (802.1D, after a failure).
    pub(in crate::simulate) age_out_at: Option<f64>,
    /// Per domain link: held out of forwarding now.
    pub(in crate::simulate) held: Vec<bool>,
    /// Members and links seen working at the last reaction.
    members_up: Vec<bool>,
    links_up: Vec<bool>,
}

impl StpState {
    /// Some port of the domain still waits to forward, or stale information to age out.
    pub(in crate::simulate) fn in_transition(&self, now: f64) -> bool {
        self.age_out_at.is_some() || self.forward_at.iter().flatten().any(|&t| t.is_finite() && t > now)
    }

    /// When the last port now waiting forwards (after the age-out, if one is due).
    pub(in crate::simulate) fn settles_at(&self, now: f64, to_forwarding_secs: f64) -> f64 {
        let waiting = self.forward_at.iter().flatten().copied().filter(|t| t.is_finite() && *t > now);
        let aged = self.age_out_at.map_or(now, |t| t + to_forwarding_secs);
        waiting.fold(aged, f64::max)
    }
}

impl<'c, 'm> Sim<'c, 'm> {
    fn stp_roles_now(&self, j: usize) -> Roles {
        let members = &self.cx.model.groups[j].members;
        let stp = self.cx.groups[j].stp.as_ref().expect("STP group");
        converged(&stp.ranks, &stp.links, |i| self.works(members[i]), |l| self.works(l))
    }

    /// The converged tree at the start of a run: every port as the tree wants, at once.
    pub(in crate::simulate) fn start_spanning_tree(&mut self, j: usize) {
        let roles = self.stp_roles_now(j);
        let (members_up, links_up) = self.stp_seen(j);
        let st = &mut self.groups[j].stp;
        st.forward_at = roles.forwarding_role.iter().map(|r| r.map(|f| if f { 0.0 } else { f64::INFINITY })).collect();
        st.held = vec![false; roles.forwarding_role.len()];
        st.roles = roles;
        st.age_out_at = None;
        st.members_up = members_up;
        st.links_up = links_up;
    }

    fn stp_seen(&self, j: usize) -> (Vec<bool>, Vec<bool>) {
        let members = &self.cx.model.groups[j].members;
        let stp = self.cx.groups[j].stp.as_ref().expect("STP group");
        (members.iter().map(|&m| self.works(m)).collect(), stp.links.iter().map(|&(_, _, l)| self.works(l)).collect())
    }

    pub(in crate::simulate) fn react_reconverge(&mut self, j: usize) {
        let cx = self.cx;
        let Some(stp) = &cx.groups[j].stp else { return };
        let members = &cx.model.groups[j].members;
        let (members_up, links_up) = self.stp_seen(j);
        let st = &self.groups[j].stp;
        if members_up == st.members_up && links_up == st.links_up {
            return;
        }
        let lost =
            members_up.iter().zip(&st.members_up).chain(links_up.iter().zip(&st.links_up)).any(|(&n, &o)| o && !n);
        let settled = self.stp_roles_now(j);
        let roles = if lost && stp.stale_info_secs > 0.0 {
            let now_roles =
                after_direct_losses(&st.roles, &stp.ranks, &stp.links, |i| self.works(members[i]), |l| self.works(l));
            if now_roles.forwarding_role == settled.forwarding_role {
                self.groups[j].stp.age_out_at = None;
                settled
            } else {
                // A failure while stale information waits: the new stale information
                // ages out max_age after it.
                let at = self.now + stp.stale_info_secs;
                self.groups[j].stp.age_out_at = Some(at);
                self.schedule(at, Event::Reconverged { group: j as u32 });
                now_roles
            }
        } else {
            // A repair: better information is accepted at once (§8.6.2.2), and the
            // tree it builds replaces any stale information still waiting.
            self.groups[j].stp.age_out_at = None;
            settled
        };
        let st = &mut self.groups[j].stp;
        st.members_up = members_up;
        st.links_up = links_up;
        self.apply_roles(j, roles);
    }

    /// Puts `roles` in force: blocked ports that take a forwarding role start listening.
    fn apply_roles(&mut self, j: usize, roles: Roles) {
        let stp = self.cx.groups[j].stp.as_ref().expect("STP group");
        let now = self.now;
        let ready = now + stp.to_forwarding_secs;
        let mut wake = Vec::new();
        let st = &mut self.groups[j].stp;
        for (at, role) in st.forward_at.iter_mut().zip(&roles.forwarding_role) {
            for end in 0..2 {
                if !role[end] {
                    at[end] = f64::INFINITY;
                } else if at[end].is_infinite() {
                    at[end] = ready;
                    wake.push(ready);
                }
            }
        }
        st.roles = roles;
        wake.dedup();
        for at in wake {
            self.schedule(at, Event::Reconverged { group: j as u32 });
        }
        self.sync_held(j);
    }

    /// Holds the links that cannot carry while the domain is in transition.
    fn sync_held(&mut self, j: usize) {
        let cx = self.cx;
        let stp = cx.groups[j].stp.as_ref().expect("STP group");
        let now = self.now;
        let transition = self.groups[j].stp.in_transition(now);
        for (k, &(_, _, link)) in stp.links.iter().enumerate() {
            let st = &self.groups[j].stp;
            let want = transition && st.forward_at[k].iter().any(|&t| t > now);
            if want != st.held[k] {
                self.groups[j].stp.held[k] = want;
                self.set_reconverging(link.0, want);
            }
        }
    }

    /// A port's listening and learning ended, or stale information aged out.
    pub(in crate::simulate) fn on_reconverged(&mut self, group: u32) {
        let j = group as usize;
        if self.groups[j].stp.age_out_at.is_some_and(|t| t <= self.now) {
            self.groups[j].stp.age_out_at = None;
            let roles = self.stp_roles_now(j);
            self.apply_roles(j, roles);
        } else {
            self.sync_held(j);
        }
    }
}
