//! Share: members share the requests; a lost member's share fails until the health
//! check takes it out of rotation (load-balancer pools, DNS round robin). A member taken
//! out re-enters after `rise` good checks (load-balancer pools).
//!
//! Sessions (persistence without session replication) live in a member's memory: they
//! are lost when the member dies, or when the balancer takes a still-running member out
//! of rotation and sends its clients elsewhere. A member briefly out of reach for less
//! than the check's detection time keeps them, and so does a balancer failover (the
//! cookie names the member; the new master checks the same pool).

use crate::model::{ElementId, Visibility};
use crate::simulate::engine::{Event, Sim};
use crate::simulate::Behaviour;

impl<'c, 'm> Sim<'c, 'm> {
    /// Member `i` of share group `j` works and whoever checks it reaches it (a backend
    /// the active balancer cannot reach fails its health checks).
    pub(in crate::simulate) fn healthy(&mut self, j: usize, i: usize) -> bool {
        let m = self.cx.model.groups[j].members[i];
        if !self.works(m) {
            return false;
        }
        let checkers: Vec<ElementId> = match self.cx.groups[j].checked_from {
            // Probed from the clients' side (an all-answer GSLB).
            None if matches!(self.cx.groups[j].sees, Visibility::Probes { .. }) => return self.probed_ok(j, i),
            None => return true,
            // A balancer that is down checks nothing (and a restarted one starts from
            // its members' last state, HAProxy's servers being up at start).
            Some(crate::model::NodeRef::Element(e)) if self.works(e) => vec![e],
            Some(crate::model::NodeRef::Element(_)) => Vec::new(),
            Some(crate::model::NodeRef::Group(g)) => {
                // Every member that acts as master checks (two during a split).
                let k = g.0 as usize;
                let st = &self.groups[k];
                let members = &self.cx.model.groups[k].members;
                let acting: Vec<ElementId> = match self.cx.groups[k].behaviour {
                    Behaviour::Switchover => {
                        [st.active, st.also_active].iter().flatten().map(|&a| members[a]).collect()
                    }
                    // An all-answer GSLB: the balancers it sends clients to (one it
                    // dropped gets no requests to forward).
                    Behaviour::Share => {
                        members.iter().enumerate().filter(|&(i, _)| st.in_rotation[i]).map(|(_, &m)| m).collect()
                    }
                    _ => members.clone(),
                };
                // A dead master checks nothing.
                acting.into_iter().filter(|&a| self.works(a)).collect()
            }
            Some(crate::model::NodeRef::Service(_)) => return true,
        };
        // No balancer checks now (it is failing over): the member keeps its last verdict.
        if checkers.is_empty() {
            return self.groups[j].healthy[i];
        }
        // Checks stay inside the data centre: through carrying devices, never out
        // through the internet and back.
        self.checks_reach(&checkers, m)
    }

    /// Some checker reaches `target` through carrying devices other than the entry.
    pub(in crate::simulate) fn checks_reach(&mut self, checkers: &[ElementId], target: ElementId) -> bool {
        self.reach_in_data_centre(checkers, target, false)
    }

    /// `sources` reach `target` through carrying devices other than the entry (never
    /// out through the internet and back); `anchors_eligible`: the sources and the
    /// target need only work (see [`Self::reach_from`]).
    pub(in crate::simulate) fn reach_in_data_centre(
        &mut self,
        sources: &[ElementId],
        target: ElementId,
        anchors_eligible: bool,
    ) -> bool {
        self.in_data_centre = true;
        let found = self.reach_from(sources, &[target], true, None, false, anchors_eligible);
        self.in_data_centre = false;
        found
    }

    pub(in crate::simulate) fn react_share(&mut self, j: usize) {
        let cx = self.cx;
        let p = &cx.groups[j];
        let members = &cx.model.groups[j].members;
        // Another balancer now runs the rotation (a GSLB or VRRP failover): it has been
        // checking all along (HAProxy checks from every instance), so a member it
        // reaches is in its rotation at once, with no `rise` to wait for. At the start
        // of a run the balancers have been checking for long: a member none reaches is
        // out at once (at the end of the instant, once the network has settled).
        if std::mem::take(&mut self.groups[j].checker_switched) {
            for i in 0..members.len() {
                let works = self.healthy(j, i);
                let st = &mut self.groups[j];
                st.healthy[i] = works;
                if works {
                    st.in_rotation[i] = true;
                    if st.removal_pending[i] || st.readmit_pending[i] {
                        st.removal_pending[i] = false;
                        st.readmit_pending[i] = false;
                        st.removal_token[i] += 1;
                    }
                } else if self.now == 0.0 && st.in_rotation[i] {
                    st.readmit_pending[i] = false;
                    st.removal_pending[i] = true;
                    st.removal_token[i] += 1;
                    let token = st.removal_token[i];
                    self.schedule(self.now, Event::OutOfRotation { group: j as u32, member: i as u32, token });
                }
            }
        }
        for (i, &member) in members.iter().enumerate() {
            let alive = self.works(member);
            if self.groups[j].was_working[i] && !alive && p.loses_sessions {
                self.lose_sessions(j);
            }
            let works = self.healthy(j, i);
            self.groups[j].healthy[i] = works;
            let mut sent_away = false;
            let st = &mut self.groups[j];
            if works {
                if st.removal_pending[i] {
                    st.removal_pending[i] = false;
                    st.removal_token[i] += 1;
                }
                if !st.in_rotation[i] && p.readmit_secs > 0.0 {
                    // Back only after `rise` good checks in a row.
                    if !st.readmit_pending[i] {
                        st.readmit_pending[i] = true;
                        st.removal_token[i] += 1;
                        let token = st.removal_token[i];
                        let at = self.now + p.readmit_secs;
                        self.schedule(at, Event::BackInRotation { group: j as u32, member: i as u32, token });
                    }
                } else {
                    st.in_rotation[i] = true;
                }
            } else if st.readmit_pending[i] {
                // Failed a check while rising: the count starts again when it is healthy.
                st.readmit_pending[i] = false;
                st.removal_token[i] += 1;
            } else if st.in_rotation[i] && !st.removal_pending[i] {
                if p.detect_secs <= 0.0 && p.sees != Visibility::Nothing {
                    st.in_rotation[i] = false;
                    sent_away = alive;
                } else if p.sees != Visibility::Nothing {
                    st.removal_pending[i] = true;
                    st.removal_token[i] += 1;
                    let token = st.removal_token[i];
                    let at = self.now + p.detect_secs;
                    self.schedule(at, Event::OutOfRotation { group: j as u32, member: i as u32, token });
                }
            }
            if sent_away && p.loses_sessions {
                self.lose_sessions(j);
            }
        }
    }

    /// The health check has marked a member down: it leaves the rotation.
    pub(in crate::simulate) fn on_out_of_rotation(&mut self, group: u32, member: u32, token: u32) {
        let (j, i) = (group as usize, member as usize);
        let st = &mut self.groups[j];
        if st.removal_token[i] == token && st.removal_pending[i] {
            st.removal_pending[i] = false;
            st.in_rotation[i] = false;
            self.checkers_changed(j);
            // A running member sent out of rotation: its clients move, their sessions go.
            if self.cx.groups[j].loses_sessions && self.works(self.cx.model.groups[j].members[i]) {
                self.lose_sessions(j);
            }
        }
    }

    /// A member passed its `rise` checks: it serves again.
    pub(in crate::simulate) fn on_back_in_rotation(&mut self, group: u32, member: u32, token: u32) {
        let (j, i) = (group as usize, member as usize);
        let st = &mut self.groups[j];
        if st.removal_token[i] == token && st.readmit_pending[i] {
            st.readmit_pending[i] = false;
            st.in_rotation[i] = true;
            self.checkers_changed(j);
        }
    }

    /// Share group `j`'s rotation changed: the pools whose checks its members in
    /// rotation run (an all-answer GSLB's) judge by the balancers now forwarding.
    fn checkers_changed(&mut self, j: usize) {
        for k in 0..self.checked_by[j].len() {
            let pool = self.checked_by[j][k];
            self.groups[pool as usize].checker_switched = true;
            self.touch(pool);
        }
    }

    /// One member's sessions are lost, for every service through the group.
    fn lose_sessions(&mut self, j: usize) {
        for s in self.services_with_group(j) {
            self.services[s].record.sessions_lost += 1;
        }
    }
}
