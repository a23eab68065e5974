//! Share: members share the requests; a lost member's share fails until the health
//! check takes it out of rotation (load-balancer pools, DNS round robin).

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
            None => return true,
            Some(crate::model::NodeRef::Element(e)) => vec![e],
            Some(crate::model::NodeRef::Group(g)) => {
                // Every member that acts as master checks (two during a split).
                let k = g.0 as usize;
                let st = &self.groups[k];
                let members = &self.cx.model.groups[k].members;
                match self.cx.groups[k].behaviour {
                    Behaviour::Switchover => {
                        [st.active, st.also_active].iter().flatten().map(|&a| members[a]).collect()
                    }
                    _ => members.clone(),
                }
            }
            Some(crate::model::NodeRef::Service(_)) => return true,
        };
        // Checks stay inside the data centre: through carrying devices, never out
        // through the internet and back.
        self.checks_reach(&checkers, m)
    }

    /// Some checker reaches `target` through carrying devices other than the entry.
    pub(in crate::simulate) fn checks_reach(&mut self, checkers: &[ElementId], target: ElementId) -> bool {
        self.in_data_centre = true;
        let found = self.reach(checkers, &[target], true, None);
        self.in_data_centre = false;
        found
    }

    pub(in crate::simulate) fn react_share(&mut self, j: usize) {
        let cx = self.cx;
        let p = &cx.groups[j];
        let members = &cx.model.groups[j].members;
        for i in 0..members.len() {
            let works = self.healthy(j, i);
            // Sessions are lost when the member stops serving the balancer (dies or
            // drops out of its reach), once per loss: compared with the last reaction's
            // health, not with whether the member itself ran.
            let was = std::mem::replace(&mut self.groups[j].healthy[i], works);
            if !works && was && p.loses_sessions {
                for s in self.services_with_group(j) {
                    self.services[s].record.sessions_lost += 1;
                }
            }
            let st = &mut self.groups[j];
            if works {
                if st.removal_pending[i] {
                    st.removal_pending[i] = false;
                    st.removal_token[i] += 1;
                }
                st.in_rotation[i] = true;
            } else if st.in_rotation[i] && !st.removal_pending[i] {
                if p.detect_secs <= 0.0 && p.sees != Visibility::Nothing {
                    st.in_rotation[i] = false;
                } else if p.sees != Visibility::Nothing {
                    st.removal_pending[i] = true;
                    st.removal_token[i] += 1;
                    let token = st.removal_token[i];
                    let at = self.now + p.detect_secs;
                    self.schedule(at, Event::OutOfRotation { group: j as u32, member: i as u32, token });
                }
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
        }
    }
}
