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

/// What one balancer's own health checks say of one pool member. Every balancer of a
/// pair checks the pool all the time (HAProxy and keepalived's checkers run on the
/// backup too), so the balancer that takes over brings its own verdicts: a member it
/// has reached for less than `rise` checks is not in its rotation yet, and one it has
/// not reached for `fall` checks is out already.
#[derive(Clone, Copy, Debug)]
pub(in crate::simulate) struct CheckView {
    /// The balancer's checks reach the member (both work, a path joins them).
    reach: bool,
    /// Since when (seconds; minus infinity: since long before the run).
    since_secs: f64,
    /// Whether the member was in this balancer's rotation when `reach` last changed.
    in_rotation_then: bool,
}

impl CheckView {
    /// In this balancer's rotation at `now_secs`: a member out re-enters after
    /// `readmit_secs` of reach (`rise` × `inter`), one in leaves after `detect_secs`
    /// without (`fall` × `inter`).
    fn in_rotation(&self, now_secs: f64, detect_secs: f64, readmit_secs: f64) -> bool {
        // The same sums the events that turn a verdict are scheduled at (a
        // difference could fall short of the timer by a rounding).
        if self.reach {
            self.in_rotation_then || now_secs >= self.since_secs + readmit_secs
        } else {
            self.in_rotation_then && now_secs < self.since_secs + detect_secs
        }
    }
}

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

    /// Some checker reaches `target` through carrying devices other than the entry. The
    /// checkers are their group's acting masters and the target is checked for working
    /// by the caller, so both need only work: a balancer that is a backup in another
    /// group over the same devices (RFC 5798 §4.2, "Sample Configuration 2") still
    /// checks for the group it is master of.
    pub(in crate::simulate) fn checks_reach(&mut self, checkers: &[ElementId], target: ElementId) -> bool {
        self.reach_in_data_centre(checkers, target, true)
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
        // Another balancer now runs the rotation (a VRRP failover): it has been checking
        // all along, so its own verdicts hold (`CheckView`). Where the checkers are not
        // one balancer of a pair (an all-answer GSLB's balancers, two masters during a
        // split), a member one of them reaches is in rotation at once, with no `rise` to
        // wait for (the approximation `notes` states). At the start of a run the
        // balancers have been checking for long: a member none reaches is out at once
        // (at the end of the instant, once the network has settled).
        self.update_check_views(j);
        if std::mem::take(&mut self.groups[j].checker_switched) {
            if let Some(c) = self.sole_checking_balancer(j) {
                // The new balancer's own verdicts: a member it has not reached for long
                // enough is out, one it reaches again waits out the rest of its `rise`.
                for i in 0..members.len() {
                    let v = self.groups[j].check_views[c][i];
                    let in_rotation = v.in_rotation(self.now, p.detect_secs, p.readmit_secs);
                    let st = &mut self.groups[j];
                    st.healthy[i] = v.reach;
                    st.in_rotation[i] = in_rotation;
                    st.removal_pending[i] = false;
                    st.readmit_pending[i] = false;
                    st.removal_token[i] += 1;
                    let token = st.removal_token[i];
                    if v.reach && !in_rotation {
                        st.readmit_pending[i] = true;
                        let at = v.since_secs + p.readmit_secs;
                        self.schedule(at, Event::BackInRotation { group: j as u32, member: i as u32, token });
                    } else if !v.reach && in_rotation {
                        st.removal_pending[i] = true;
                        let at = v.since_secs + p.detect_secs;
                        self.schedule(at, Event::OutOfRotation { group: j as u32, member: i as u32, token });
                    }
                }
            } else {
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
                    } else if self.now == 0.0 && st.in_rotation[i] && p.sees != Visibility::Nothing {
                        // (A pool nobody checks sends to every member configured,
                        // reached or not, from the start as later: HAProxy without
                        // `check`.)
                        st.readmit_pending[i] = false;
                        st.removal_pending[i] = true;
                        st.removal_token[i] += 1;
                        let token = st.removal_token[i];
                        self.schedule(self.now, Event::OutOfRotation { group: j as u32, member: i as u32, token });
                    }
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
                if !st.in_rotation[i] && p.readmit_secs > 0.0 && self.now > 0.0 {
                    // Back only after `rise` good checks in a row (at the start of the
                    // run, once the network has settled, the checks have long passed).
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

    /// The balancers of the active-standby group that checks share group `j`, if any
    /// (and `j` checks at all): each one's checks are followed on their own.
    fn check_balancers(&self, j: usize) -> Option<usize> {
        match self.cx.groups[j].checked_from {
            Some(crate::model::NodeRef::Group(g))
                if self.cx.groups[g.0 as usize].behaviour == Behaviour::Switchover
                    && self.cx.groups[j].sees != Visibility::Nothing =>
            {
                Some(g.0 as usize)
            }
            _ => None,
        }
    }

    /// Brings each working balancer's `CheckView`s of share group `j` up to now. A
    /// balancer that is down checks nothing. One that comes back starts afresh: HAProxy
    /// starts its servers up and marks one down at its first failed check (one
    /// `inter`), before a VRRP member that returns can hold the role (it listens for its
    /// Master_Down_Interval first, over 3 advert intervals), so its verdicts are taken
    /// as the reach it finds. At the start of the run every balancer has been checking
    /// for long.
    fn update_check_views(&mut self, j: usize) {
        let Some(k) = self.check_balancers(j) else { return };
        let (p, now) = (&self.cx.groups[j], self.now);
        let members = &self.cx.model.groups[j].members;
        let balancers = &self.cx.model.groups[k].members;
        let first = self.groups[j].check_views.is_empty();
        if first {
            let blank = CheckView { reach: true, since_secs: f64::NEG_INFINITY, in_rotation_then: true };
            self.groups[j].check_views = vec![vec![blank; members.len()]; balancers.len()];
            self.groups[j].check_balancer_up = vec![true; balancers.len()];
        }
        for (c, &b) in balancers.iter().enumerate() {
            let up = self.works(b);
            let restarted = up && !self.groups[j].check_balancer_up[c];
            self.groups[j].check_balancer_up[c] = up;
            if !up {
                continue;
            }
            for (i, &m) in members.iter().enumerate() {
                // A standby checks too: it need only work itself (its own interfaces).
                let reach = self.works(m) && self.reach_in_data_centre(&[b], m, true);
                let v = &mut self.groups[j].check_views[c][i];
                // Until the network has settled at the start of the run (spanning
                // trees elected), every verdict is one of long standing.
                if first || now == 0.0 || restarted {
                    *v = CheckView { reach, since_secs: f64::NEG_INFINITY, in_rotation_then: reach };
                } else if reach != v.reach {
                    let in_rotation_then = v.in_rotation(now, p.detect_secs, p.readmit_secs);
                    *v = CheckView { reach, since_secs: now, in_rotation_then };
                    // Its verdict turns later: judged again then while the pair is
                    // split (a split's share follows each balancer's own rotation;
                    // `split_verdicts_ahead` covers a split that starts meanwhile).
                    let turn_secs = if reach { p.readmit_secs } else { p.detect_secs };
                    if turn_secs > 0.0 && self.groups[k].also_active.is_some() {
                        self.schedule(now + turn_secs, Event::SplitVerdict { group: j as u32 });
                    }
                }
            }
        }
    }

    /// The served share of pool `j` for service `s` while the VRRP pair that balances it
    /// is split (two masters; `None` otherwise): each master the service's entry reaches
    /// sends its requests over its own rotation (its own verdicts, `CheckView`; every
    /// member configured without a check), and a request succeeds only on a member that
    /// master reaches and that carries it on (`tier`, as the caller's rule). The
    /// masters take equal shares of the requests (which one the upstream routers or
    /// hosts pick is not modelled): the mean of each one's serving / in rotation,
    /// capped by the capacity of the members serving either, |serving| / need.
    /// O(masters × members) searches.
    pub(in crate::simulate) fn split_share(&mut self, s: usize, j: usize, tier: Option<usize>) -> Option<f64> {
        let (k, a, b) = self.split_balancers(j)?;
        let balancers = &self.cx.model.groups[k].members;
        let entry = self.cx.model.services[s].from;
        let masters: Vec<usize> = [a, b]
            .into_iter()
            .filter(|&c| {
                self.works(balancers[c]) && self.reach_search(&[entry], &[balancers[c]], true, None, false, true)
            })
            .collect();
        if masters.is_empty() {
            return None;
        }
        let (p, members) = (&self.cx.groups[j], &self.cx.model.groups[j].members);
        let need = p.need.max(1) as f64;
        let mut sum = 0.0;
        let mut serving_any = vec![false; members.len()];
        for &c in &masters {
            let (mut rotation, mut serving) = (0usize, 0usize);
            for (i, &m) in members.iter().enumerate() {
                let views = &self.groups[j].check_views;
                let in_rotation = match views.get(c) {
                    Some(v) => v[i].in_rotation(self.now, p.detect_secs, p.readmit_secs),
                    None => self.groups[j].in_rotation[i],
                };
                if !in_rotation {
                    continue;
                }
                rotation += 1;
                if self.works(m)
                    && self.reach_in_data_centre(&[balancers[c]], m, true)
                    && tier.is_none_or(|t| self.carries_onward(s, t, i, usize::MAX))
                {
                    serving += 1;
                    serving_any[i] = true;
                }
            }
            if rotation > 0 {
                sum += serving as f64 / rotation as f64;
            }
        }
        let capacity = serving_any.iter().filter(|&&x| x).count() as f64 / need;
        Some((sum / masters.len() as f64).min(capacity))
    }

    /// The active-standby group balancing share group `j` and its two masters, while it
    /// has two (a split); `None` otherwise.
    pub(in crate::simulate) fn split_balancers(&self, j: usize) -> Option<(usize, usize, usize)> {
        let Some(crate::model::NodeRef::Group(g)) = self.cx.groups[j].checked_from else { return None };
        let k = g.0 as usize;
        if self.cx.groups[j].behaviour != Behaviour::Share || self.cx.groups[k].behaviour != Behaviour::Switchover {
            return None;
        }
        match (self.groups[k].active, self.groups[k].also_active) {
            (Some(a), Some(b)) => Some((k, a, b)),
            _ => None,
        }
    }

    /// Balancer group `k` has just split (two masters): every pool it checks is judged
    /// again when one of its balancers' own verdicts turns from now on.
    pub(in crate::simulate) fn split_verdicts_ahead(&mut self, k: usize) {
        let now = self.now;
        for j in 0..self.groups.len() {
            if self.check_balancers(j) != Some(k) {
                continue;
            }
            let p = &self.cx.groups[j];
            let mut turns: Vec<f64> = Vec::new();
            for views in &self.groups[j].check_views {
                for v in views {
                    let turn = v.since_secs + if v.reach { p.readmit_secs } else { p.detect_secs };
                    if turn > now && turn.is_finite() {
                        turns.push(turn);
                    }
                }
            }
            turns.sort_by(f64::total_cmp);
            turns.dedup();
            for at in turns {
                self.schedule(at, Event::SplitVerdict { group: j as u32 });
            }
        }
    }

    /// The one balancer now running share group `j`'s checks, by its index in the
    /// balancers' group, when a single member of an active-standby group does.
    fn sole_checking_balancer(&self, j: usize) -> Option<usize> {
        let k = self.check_balancers(j)?;
        let st = &self.groups[k];
        match (st.active, st.also_active) {
            (Some(a), None) if self.works(self.cx.model.groups[k].members[a]) => Some(a),
            _ => None,
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
