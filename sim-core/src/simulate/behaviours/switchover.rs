//! Switchover: one member serves; a loss is detected, then the group is down for the
//! takeover (VRRP, HSRP, active-backup bonds, clusters, GSLB). Also partitions (a standby
//! promoting itself), fencing and cold standby.

use crate::model::{ElementId, Visibility};
use crate::simulate::engine::{Event, Sim};
use crate::simulate::Behaviour;

impl<'c, 'm> Sim<'c, 'm> {
    /// The member group `j` serves with now, if it has one serving member.
    pub(in crate::simulate) fn serving(&self, j: usize) -> Option<usize> {
        match self.cx.groups[j].behaviour {
            Behaviour::Switchover => self.groups[j].active,
            _ => self.groups[j].primary,
        }
    }

    /// Waiting in a cold standby: its failure clock is stopped. That holds for the
    /// member and for its host when the host runs nothing else (powered off with it).
    pub(in crate::simulate) fn cold_standby(&self, e: u32) -> bool {
        let waiting = |j: usize, member: u32| {
            self.cx.groups[j].cold && self.serving(j).map(|i| self.cx.model.groups[j].members[i].0) != Some(member)
        };
        let hosted = &self.cx.cold_hosted[e as usize];
        self.cx.circuit.member_of[e as usize].iter().any(|g| waiting(g.0 as usize, e))
            || (!hosted.is_empty() && hosted.iter().all(|&(j, i)| waiting(j, self.cx.model.groups[j].members[i].0)))
    }

    /// A cold standby that starts serving starts ageing: its next failure is drawn now
    /// (exact for exponential lifetimes, which are memoryless).
    pub(in crate::simulate) fn wake_cold(&mut self, j: usize) {
        if !self.cx.groups[j].cold {
            return;
        }
        let serving = self.serving(j);
        // (A takeover at a cold DR site restores the last backup: the data sets'
        // business, see `react_data`.)
        if let Some(i) = serving {
            let member = self.cx.model.groups[j].members[i];
            let host = self.cx.model.host_node(member);
            for e in [member.0, host.0] {
                if std::mem::replace(&mut self.paused[e as usize], false)
                    && self.cx.model.elements[e as usize].failure.is_some()
                {
                    self.schedule_failure(e);
                }
            }
        }
    }

    /// Whether the group's detector sees member `i` as healthy. Peers judge the active
    /// member by its adverts; a standby judges itself, so it stands in when it hears nothing.
    pub(in crate::simulate) fn seen_ok(&mut self, j: usize, i: usize) -> bool {
        let cx = self.cx;
        let m = cx.model.groups[j].members[i];
        match &cx.groups[j].sees {
            Visibility::Peers if self.groups[j].active == Some(i) => {
                self.works(m)
                    && !self.in_fault(j, i)
                    && !self.track_faulted(j, i)
                    && !self.track_outranked(j, i)
                    && self.peers_hear(j, m)
            }
            Visibility::Peers => self.works(m) && !self.in_fault(j, i) && !self.track_faulted(j, i),
            Visibility::Nothing => true,
            Visibility::LocalLink => {
                self.works(m) && cx.groups[j].local_links[i].iter().all(|&(l, far)| self.works(l) && self.works(far))
            }
            // An ARP probe leaves by the NIC's own cable, crosses switches only, and
            // any router answers it, master or backup (not through a sibling NIC, which
            // sharing the server would otherwise allow); a path checker's probe takes
            // the data path.
            Visibility::PathTo { targets, l2: true, all } => {
                self.works(m)
                    && cx.groups[j].local_links[i].iter().any(|&(link, far)| {
                        self.works(link)
                            && self.works(far)
                            && if *all {
                                targets.iter().all(|&t| self.reach_within(&[far], &[t], false, None, true))
                            } else {
                                self.reach_within(&[far], targets, false, None, true)
                            }
                    })
            }
            Visibility::PathTo { targets, l2: false, .. } => self.works(m) && self.reach(&[m], targets, true, Some(m)),
            Visibility::Probes { .. } => self.works(m) && self.probed_ok(j, i),
        }
    }

    /// Whether member `i` may hold the role now: seen working and, with tracking by
    /// decrement, not outranked by another working member (else handing the role back
    /// and forth at one instant).
    fn may_hold(&mut self, j: usize, i: usize) -> bool {
        self.seen_ok(j, i) && !self.track_outranked(j, i)
    }

    /// Member `i`, holding the role, would stand down for want of quorum: under vote
    /// quorum its peers do not hear it and its side of the partition holds no majority
    /// with a working link into the network (docs/SEMANTICS.md §3).
    fn lacks_quorum(&mut self, j: usize, i: usize) -> bool {
        let p = &self.cx.groups[j];
        let m = self.cx.model.groups[j].members[i];
        p.votes.is_some()
            && p.sees == Visibility::Peers
            && p.peers_networked
            && self.works(m)
            && !self.peers_hear(j, m)
            && !(self.has_majority(j, i) && self.attached(m))
    }

    /// Member `i`, which held the role before a switchover window opened, may take it
    /// back: it may hold it, and it has its quorum again.
    fn may_take_back(&mut self, j: usize, i: usize) -> bool {
        self.may_hold(j, i) && !self.lacks_quorum(j, i)
    }

    /// Tracking in FAULT mode (no decrement): a tracked object of member `i` is down, so
    /// it gives up the role and takes none.
    fn track_faulted(&self, j: usize, i: usize) -> bool {
        let Some(t) = &self.cx.groups[j].track else { return false };
        t.decrement.is_none() && t.objects[i].iter().any(|&e| !self.works(e))
    }

    /// Member `i`'s priority with its tracked objects' decrements taken off (VRRP
    /// priorities stop at 0, HSRP's too).
    fn tracked_priority(&self, j: usize, i: usize) -> i64 {
        let Some(t) = &self.cx.groups[j].track else { return 0 };
        let down = t.objects[i].iter().filter(|&&e| !self.works(e)).count() as i64;
        (i64::from(t.priorities[i]) - down * i64::from(t.decrement.unwrap_or(0))).max(0)
    }

    /// Tracking with a decrement: member `i` lost priority to a failed tracked object
    /// and now advertises less than another working member, which preempts (RFC 5798
    /// §6.4.2: a backup with Preempt_Mode discards lower-priority adverts; equal
    /// priority does not preempt). (A member outranked only because another one's
    /// objects returned is preempted at once, with no gap: `preempts_over`.)
    fn track_outranked(&self, j: usize, i: usize) -> bool {
        let p = &self.cx.groups[j];
        let Some(t) = &p.track else { return false };
        if t.decrement.is_none() || !p.preempt || t.objects[i].iter().all(|&e| self.works(e)) {
            return false;
        }
        let mine = self.tracked_priority(j, i);
        let members = &self.cx.model.groups[j].members;
        (0..members.len()).any(|k| k != i && self.works(members[k]) && self.tracked_priority(j, k) > mine)
    }

    /// Whether the active member `a`, working and heard, gives up the role only because
    /// of its tracking: the backup then takes over after [`crate::model::Track::switch_secs`].
    fn track_handover(&mut self, j: usize, a: usize) -> bool {
        let m = self.cx.model.groups[j].members[a];
        self.cx.groups[j].track.is_some()
            && self.works(m)
            && (self.track_faulted(j, a) || self.track_outranked(j, a))
            && self.peers_hear(j, m)
    }

    /// Whether member `i` would take the role from the active `a` under preemption: it
    /// works, is not in FAULT, and (with tracking) its priority now beats `a`'s.
    /// Keeps `outranks_since` up to date: each member that, out of FAULT, outranks the
    /// active now (whether or not it hears it: a spanning tree may still hold the port
    /// its adverts cross), from when it first did.
    fn note_outranking(&mut self, j: usize) {
        let n = self.cx.model.groups[j].members.len();
        for i in 0..n {
            let outranks = match self.groups[j].active {
                Some(a) if a != i => !self.in_fault(j, i) && self.preempts_over(j, i, a),
                _ => false,
            };
            let since = &mut self.groups[j].outranks_since[i];
            match (outranks, *since) {
                (true, None) => *since = Some(self.now),
                (false, Some(_)) => *since = None,
                _ => {}
            }
        }
    }

    fn preempts_over(&self, j: usize, i: usize, a: usize) -> bool {
        let m = self.cx.model.groups[j].members[i];
        if !self.works(m) || self.track_faulted(j, i) {
            return false;
        }
        match &self.cx.groups[j].track {
            Some(t) if t.decrement.is_some() => self.tracked_priority(j, i) > self.tracked_priority(j, a),
            // Members are listed highest priority first.
            _ => i < a,
        }
    }

    /// Which of two working masters that hear each other again keeps the role: the
    /// higher priority, tracked decrements taken off, whatever preemption says (RFC
    /// 5798 §6.4.3: a master that receives an advert of greater priority becomes
    /// backup; RFC 2281 §5: an Active router that hears a higher-priority Active
    /// router's Hello goes to Speak). A member in FAULT through tracking loses. Among
    /// equals the one listed first wins: it stands in for the higher primary address,
    /// the protocols' tie-break, which a scenario does not record.
    fn election_winner(&self, j: usize, a: usize, b: usize) -> usize {
        let (fa, fb) = (self.track_faulted(j, a), self.track_faulted(j, b));
        if fa != fb {
            return if fa { b } else { a };
        }
        let (pa, pb) = match &self.cx.groups[j].track {
            Some(t) if t.decrement.is_some() => (self.tracked_priority(j, a), self.tracked_priority(j, b)),
            // Members are listed highest priority first.
            _ => (0, 0),
        };
        match pa.cmp(&pb) {
            std::cmp::Ordering::Greater => a,
            std::cmp::Ordering::Less => b,
            std::cmp::Ordering::Equal => a.min(b),
        }
    }

    /// Adverts and heartbeats cross the network: peers that cannot hear a member take
    /// it for dead even if it runs (a member with no working peer is not judged).
    pub(in crate::simulate) fn peers_hear(&mut self, j: usize, m: ElementId) -> bool {
        if !self.cx.groups[j].peers_networked {
            return true;
        }
        let fenced = self.groups[j].fenced.map(|f| self.cx.model.groups[j].members[f]);
        let peers: Vec<ElementId> = self.cx.model.groups[j]
            .members
            .iter()
            .copied()
            .filter(|&o| o != m && self.works(o) && Some(o) != fenced)
            .collect();
        peers.is_empty() || self.adverts_reach(j, m, &peers)
    }

    /// Whether `from`'s adverts or heartbeats reach one of `to`: over the group's
    /// declared advert segment (its switches only) when it has one (VRRP/HSRP
    /// `segment`), else over any path its mechanism allows (one L2 segment for VRRP),
    /// never across a switch that drops the group's multicast adverts. O(V + E) when
    /// searched, else a label lookup.
    pub(in crate::simulate) fn adverts_reach(&mut self, j: usize, from: ElementId, to: &[ElementId]) -> bool {
        let cx = self.cx;
        let segment = &cx.model.groups[j].advert_segment;
        let blockers = &cx.model.groups[j].advert_blockers;
        if segment.is_empty() && blockers.is_empty() {
            return self.reach_within(&[from], to, false, None, cx.groups[j].peers_same_segment);
        }
        let net = &cx.circuit.net;
        let same_segment = cx.groups[j].peers_same_segment;
        let carries = |w: ElementId| {
            let i = w.0 as usize;
            !blockers.contains(&w)
                && if segment.is_empty() {
                    net.forwarding[i] && (!same_segment || net.switching[i])
                } else {
                    segment.contains(&w)
                }
        };
        let mut seen = vec![from];
        let mut stack = vec![from];
        while let Some(v) = stack.pop() {
            for &(w, link) in &cx.circuit.net.adjacency[v.0 as usize] {
                if seen.contains(&w) || !self.carries(link) || !self.works(w) {
                    continue;
                }
                if to.contains(&w) {
                    return true;
                }
                seen.push(w);
                if carries(w) {
                    stack.push(w);
                }
            }
        }
        false
    }

    /// Whether member `m`'s interface on the group's advert segment is up
    /// ([`crate::model::NetworkIndex::segment_link_up`]).
    fn segment_link_up(&self, j: usize, m: ElementId) -> bool {
        self.cx.circuit.net.segment_link_up(&self.cx.model.groups[j], m, |e| self.works(e))
    }

    /// A VRRP/HSRP member whose own interface on the advert segment is down is in FAULT
    /// (keepalived) or Init (HSRP): it neither holds nor claims the virtual IP, so a
    /// master that loses that interface resigns rather than serving on as a second
    /// master, and its peers take over once they stop hearing it.
    fn in_fault(&self, j: usize, i: usize) -> bool {
        self.cx.groups[j].counts_dual_masters && !self.segment_link_up(j, self.cx.model.groups[j].members[i])
    }

    /// Whether a backup would become master beside the active `a` although another
    /// backup still hears `a`: working, not in FAULT, and out of reach of `a`'s
    /// adverts (a group of three or more split with a backup alone on its side: it
    /// hears no advert for Master_Down_Interval and becomes master, RFC 5798 §6.4.2).
    fn deaf_backup(&mut self, j: usize, a: usize) -> bool {
        self.promote_candidate(j, a).is_some()
    }

    /// The standby that promotes itself when the active goes silent: every cut-off
    /// standby would, but only one that still reaches the network can serve, so prefer
    /// a standby with a working link to a working forwarding device.
    pub(in crate::simulate) fn promote_candidate(&mut self, j: usize, active: usize) -> Option<usize> {
        let members = &self.cx.model.groups[j].members;
        let attached = |s: &Self, m: ElementId| s.attached(m);
        let fenced = self.groups[j].fenced;
        // `seen_ok` leaves out members in FAULT (`in_fault`): they claim nothing. A
        // backup that still hears the active stays backup.
        let am = members[active];
        let candidates: Vec<usize> = (0..members.len())
            .filter(|&i| {
                i != active
                    && Some(i) != fenced
                    && self.works(members[i])
                    && self.seen_ok(j, i)
                    && !self.adverts_reach(j, am, &[members[i]])
            })
            .collect();
        candidates.iter().copied().find(|&i| attached(self, members[i])).or(candidates.first().copied())
    }

    /// How long member `t` takes to detect that it must take over, on its own clock: its
    /// tracked switch time when the active resigned or was outranked by tracking
    /// (`by_track`), else its detection time (VRRP: its own Master_Down_Interval).
    fn takeover_detect_secs(&self, j: usize, t: usize, by_track: bool) -> f64 {
        let p = &self.cx.groups[j];
        match &p.track {
            Some(track) if by_track => track.switch_secs[t],
            _ => p.member_detect_secs[t],
        }
    }

    pub(in crate::simulate) fn first_ok(&mut self, j: usize, except: Option<usize>) -> Option<usize> {
        let n = self.cx.model.groups[j].members.len();
        let fenced = self.groups[j].fenced;
        (0..n).find(|&i| {
            Some(i) != except
                && Some(i) != fenced
                && self.works(self.cx.model.groups[j].members[i])
                && self.may_hold(j, i)
        })
    }

    /// Standby members (and every member during a switchover) carry no traffic.
    pub(in crate::simulate) fn apply_exclusion(&mut self, j: usize) {
        // Pools whose checks this group's active member runs judge by the new one.
        for k in 0..self.checked_by[j].len() {
            let pool = self.checked_by[j][k];
            self.groups[pool as usize].checker_switched = true;
            self.touch(pool);
        }
        // Which member carries changes the chain of the services passing through.
        for k in 0..self.cx.circuit.tier_services[j].len() {
            self.mark(self.cx.circuit.tier_services[j][k]);
        }
        // The group's tier feeds its two hops.
        for &(s, tier) in &self.cx.circuit.group_tiers[j] {
            let hops = self.cx.circuit.services[s as usize].chain.len() as u32;
            for h in crate::simulate::circuit::hops_fed_by_tier(tier, hops) {
                self.chains[s as usize].dirty(h);
            }
        }
        let members = &self.cx.model.groups[j].members;
        let blocks_transit = self.cx.groups[j].blocks_transit;
        for (i, m) in members.iter().enumerate() {
            let st = &self.groups[j];
            // A member whose preemption is under way is a backup still, but it forwards
            // again (only the virtual IP waits for its timer): the old master keeps
            // the role until then.
            let want =
                st.window || (st.active != Some(i) && st.also_active != Some(i) && st.preempt_pending != Some(i));
            let switching = want && st.window;
            if want != st.excluding[i] || switching != st.switching[i] {
                let was_role = (st.excluding[i], st.switching[i]);
                self.groups[j].excluding[i] = want;
                self.groups[j].switching[i] = switching;
                if blocks_transit {
                    let counts = &mut self.transit_roles[m.0 as usize];
                    let was = counts.blocks();
                    match was_role {
                        (false, _) => counts.holding -= 1,
                        (true, false) => counts.standby -= 1,
                        (true, true) => counts.switching -= 1,
                    }
                    match (want, switching) {
                        (false, _) => counts.holding += 1,
                        (true, false) => counts.standby += 1,
                        (true, true) => counts.switching += 1,
                    }
                    let now = counts.blocks();
                    if now != was {
                        self.set_transit_blocked(m.0, now);
                    }
                }
            }
        }
    }

    pub(in crate::simulate) fn set_active(&mut self, j: usize, active: Option<usize>) {
        self.groups[j].active = active;
        self.cancel_preempt(j);
        if active.is_some() {
            self.groups[j].last_active = active;
        }
        self.apply_exclusion(j);
        self.mark_group(j);
        self.wake_cold(j);
    }

    pub(in crate::simulate) fn begin_window(&mut self, j: usize, target: usize, delay: f64) {
        self.cancel_preempt(j);
        if delay <= 0.0 && !self.takeover_allowed(j, target) {
            // An instant takeover (an ideal run) still waits for its preconditions.
            let st = &mut self.groups[j];
            st.active = None;
            st.window = true;
            st.window_from = None;
            st.switching_to = Some(target);
            st.awaiting_requires = true;
            st.token += 1;
            self.apply_exclusion(j);
            self.mark_group(j);
            return;
        }
        if delay <= 0.0 {
            // An instant takeover closes any window still open (a member back after a
            // takeover that waited for its preconditions, in an ideal run): left open,
            // it kept every member out of service for good.
            let st = &mut self.groups[j];
            st.window = false;
            st.awaiting_requires = false;
            st.switching_to = None;
            st.token += 1;
            self.set_active(j, Some(target));
            return;
        }
        let st = &mut self.groups[j];
        st.active = None;
        st.window = true;
        st.window_from = None;
        st.window_since = self.now;
        st.window_until = self.now + delay;
        st.window_by_track = false;
        st.switching_to = Some(target);
        st.token += 1;
        let token = st.token;
        self.apply_exclusion(j);
        self.mark_group(j);
        self.schedule(self.now + delay, Event::SwitchDone { group: j as u32, token });
    }

    /// A window [`Self::begin_window`] opened (none when the takeover was instant) left
    /// member `a`: it keeps the role if it is back within `detect_secs`, and takes it
    /// back from a move to DR that has not ended.
    fn window_opened_from(&mut self, j: usize, a: usize, detect_secs: f64) {
        if self.groups[j].window {
            let st = &mut self.groups[j];
            st.window_from = Some(a);
            st.detect_until = self.now + detect_secs;
        }
    }

    /// Member `a` takes the role back: if it stood down for want of quorum (fenced), it
    /// is not fenced off it any more.
    fn unfence(&mut self, j: usize, a: usize) {
        if self.groups[j].fenced == Some(a) {
            self.groups[j].fenced = None;
        }
    }

    /// Calls off the running switchover window: member `a` holds the role again, with no
    /// takeover (its pending `SwitchDone` is dropped by the new token).
    fn call_off_window(&mut self, j: usize, a: usize) {
        self.unfence(j, a);
        let st = &mut self.groups[j];
        st.window = false;
        st.awaiting_requires = false;
        st.switching_to = None;
        st.window_from = None;
        st.token += 1;
        self.set_active(j, Some(a));
    }

    /// Whether member `i` may take the role now: a takeover needs its preconditions to
    /// work, except a return to the first member of a group that preempts.
    pub(in crate::simulate) fn takeover_allowed(&self, j: usize, i: usize) -> bool {
        let p = &self.cx.groups[j];
        (p.takeover_preempts && i == 0)
            || self.groups[j].last_active == Some(i)
            || p.takeover_requires.iter().all(|&e| self.works(e))
    }

    pub(in crate::simulate) fn react_switchover(&mut self, j: usize) {
        let p = &self.cx.groups[j];
        // A listening member that failed again starts over when it next returns.
        if let Some((m, _)) = self.groups[j].listening_since {
            if !self.works(self.cx.model.groups[j].members[m]) {
                self.groups[j].listening_since = None;
            }
        }
        if p.preempt && p.preempt_timer_from_ready {
            self.note_outranking(j);
        }
        if self.groups[j].window && self.groups[j].awaiting_requires {
            // The takeover waits for its preconditions: the member that held the role
            // (or, preempting, the first) takes it back if it returns first; otherwise
            // the takeover runs its usual time once the preconditions work again.
            let back = self.groups[j].window_from.filter(|&a| self.may_take_back(j, a));
            let back = back.or_else(|| (p.takeover_preempts && self.may_hold(j, 0)).then_some(0));
            if let Some(a) = back {
                // Back within detection, or a GSLB whose clients still hold its answer
                // (the answer never changed): it serves again at once.
                if self.now < self.groups[j].detect_until || p.takeover_is_client_caches {
                    self.call_off_window(j, a);
                } else {
                    // Back after its peers declared it gone: it restarts in the takeover
                    // time (docs/MECHANISMS.md, failover preconditions), as a member
                    // that was not waited for would (a VRRP master, whose takeover is
                    // nothing, resumes at once).
                    let st = &mut self.groups[j];
                    st.awaiting_requires = false;
                    st.window_from = None;
                    st.switching_to = None;
                    self.unfence(j, a);
                    self.begin_window(j, a, p.takeover_secs);
                }
                return;
            }
            // The member chosen, else any member seen working that may take over now.
            let n = self.cx.model.groups[j].members.len();
            let fenced = self.groups[j].fenced;
            let chosen = self.groups[j].switching_to.into_iter().chain(0..n);
            let target = chosen.filter(|&i| Some(i) != fenced).find(|&i| {
                self.works(self.cx.model.groups[j].members[i]) && self.seen_ok(j, i) && self.takeover_allowed(j, i)
            });
            if let Some(t) = target {
                let st = &mut self.groups[j];
                st.awaiting_requires = false;
                st.switching_to = Some(t);
                st.token += 1;
                let token = st.token;
                let delay = p.takeover_secs.max(p.dr_rto_secs[t]);
                self.schedule(self.now + delay, Event::SwitchDone { group: j as u32, token });
            }
            return;
        }
        if self.groups[j].window {
            // Still detecting, and the active is back (a stall shorter than the
            // deadtime, such as a 5 s multipath switch): no failover after all.
            if let Some(a) = self.groups[j].window_from {
                // Clients still holding the answer for the member that served reach it
                // again once it works, however long their caches have left to run.
                let caches_still_point_back =
                    p.takeover_is_client_caches && self.groups[j].switching_to.is_none_or(|t| p.dr_rto_secs[t] <= 0.0);
                let back_in_time = self.now < self.groups[j].detect_until && self.may_take_back(j, a);
                if back_in_time && p.listens_before_claiming {
                    // A VRRP or HSRP router back from a failure starts over: it listens
                    // for its own Master_Down_Interval (or hold time) from its return
                    // before it claims the address (RFC 5798 §6.4.1; an address owner,
                    // priority 255, would not wait, and spofsim refuses 255). Whoever's
                    // timer runs out first claims it: the returning member if before the
                    // backup's takeover (which it calls off), else the backup, which
                    // it then preempts, its timer still counted from its return.
                    let claim_at = self.now + p.member_detect_secs[a] + p.takeover_secs.max(p.dr_rto_secs[a]);
                    self.groups[j].window_from = None;
                    if claim_at <= self.groups[j].window_until {
                        self.unfence(j, a);
                        self.begin_window(j, a, claim_at - self.now);
                    } else {
                        self.groups[j].listening_since = Some((a, self.now));
                    }
                } else if (back_in_time || caches_still_point_back) && self.may_take_back(j, a) {
                    self.call_off_window(j, a);
                } else if self.groups[j].switching_to.is_some_and(|t| p.dr_rto_secs[t] > 0.0)
                    && !self.groups[j].awaiting_requires
                    && self.may_take_back(j, a)
                {
                    // A DR site is not brought up for a primary that came back first
                    // (a local failover behind it ended, a link returned): the move to
                    // DR is called off, and the member that served takes the role back
                    // after its own takeover time (a GSLB's clients, sent to the DR
                    // site, return within the TTL).
                    let st = &mut self.groups[j];
                    st.window_from = None;
                    st.switching_to = None;
                    self.unfence(j, a);
                    self.begin_window(j, a, p.takeover_secs);
                }
            }
            return;
        }
        let members = &self.cx.model.groups[j].members;
        if let Some(f) = self.groups[j].fenced {
            // A fenced node rejoins once it is heard again: by the active, or, with no
            // member holding the role (the survivor died too), by a quorate partition
            // (its own, under vote quorum: Pacemaker starts resources on a node that
            // rejoins with quorum).
            let heard = match self.groups[j].active {
                Some(a) => self.reach(&[members[a]], &[members[f]], false, None),
                None => p.votes.is_some() && self.has_majority(j, f),
            };
            if !self.works(members[f]) || heard {
                self.groups[j].fenced = None;
            }
        }
        match self.groups[j].active {
            Some(a) => {
                if let Some(b) = self.groups[j].also_active {
                    // A partition: heal when the two hear each other again, or keep the
                    // survivor when one of them dies or resigns (FAULT: its interface on
                    // the segment or a tracked object is down, RFC 5798 §6.4.3 / keepalived
                    // track_interface).
                    let (am, bm) = (members[a], members[b]);
                    let a_out = !self.works(am) || self.in_fault(j, a) || self.track_faulted(j, a);
                    let b_out = !self.works(bm) || self.in_fault(j, b) || self.track_faulted(j, b);
                    let healed = a_out || b_out || self.adverts_reach(j, am, &[bm]);
                    if healed {
                        self.end_split(j);
                        self.groups[j].also_active = None;
                        // A database cluster keeps the copy it promoted (the deposed
                        // primary rejoins as its replica, as Patroni and orchestrator do);
                        // two gateway masters that hear each other hold an election.
                        let keep = if p.keeps_promoted {
                            if self.works(bm) || !self.works(am) {
                                b
                            } else {
                                a
                            }
                        } else if b_out {
                            a
                        } else if a_out {
                            b
                        } else {
                            self.election_winner(j, a, b)
                        };
                        self.set_active(j, Some(keep));
                    }
                    return;
                }
                let works = self.works(members[a]);
                // A master in FAULT (its segment interface or a tracked object down)
                // resigns (below) instead of splitting the group.
                if works
                    && p.sees == Visibility::Peers
                    && p.peers_networked
                    && !self.in_fault(j, a)
                    && !self.track_faulted(j, a)
                    && (!self.peers_hear(j, members[a])
                        || (p.votes.is_none() && p.counts_dual_masters && self.deaf_backup(j, a)))
                {
                    // The standby hears nothing. With a quorum device the cut-off active
                    // loses quorum and stands down: a plain switchover. Without one the
                    // standby promotes itself while the active keeps running.
                    if p.votes.is_some() {
                        // The partition with a majority keeps the role (docs/SEMANTICS.md
                        // §3). When both sides count one (a quorum device off the network
                        // votes with either), the device sides with the active while the
                        // active still has a working link into the network.
                        if self.has_majority(j, a) && self.attached(members[a]) {
                            return;
                        }
                        let candidates: Vec<usize> = (0..members.len())
                            .filter(|&i| {
                                i != a && self.works(members[i]) && self.seen_ok(j, i) && self.has_majority(j, i)
                            })
                            .collect();
                        let target = candidates
                            .iter()
                            .copied()
                            .find(|&i| self.attached(members[i]))
                            .or(candidates.first().copied());
                        if let Some(t) = target {
                            let detect = p.member_detect_secs[t];
                            let delay = detect + p.takeover_secs.max(p.dr_rto_secs[t]);
                            self.groups[j].fenced = Some(a);
                            self.begin_window(j, t, delay);
                            // The member that stood down is the one a partition that heals
                            // before the takeover ends gives the role back to (below).
                            self.window_opened_from(j, a, detect);
                        }
                    } else if self.groups[j].promote_awaiting_requires {
                        // Detection is long done: the promotion that waited for its
                        // preconditions runs its takeover once they work again.
                        if let Some(t) = self.promote_candidate(j, a).filter(|&t| self.takeover_allowed(j, t)) {
                            let st = &mut self.groups[j];
                            st.promote_awaiting_requires = false;
                            st.token += 1;
                            let token = st.token;
                            let at = self.now + p.takeover_secs.max(p.dr_rto_secs[t]);
                            self.groups[j].window_until = at;
                            self.schedule(at, Event::Promote { group: j as u32, member: t as u32, token });
                        }
                    } else if !self.groups[j].promote_pending {
                        if let Some(t) = self.promote_candidate(j, a) {
                            let st = &mut self.groups[j];
                            st.promote_pending = true;
                            st.token += 1;
                            let token = st.token;
                            let at = self.now + p.member_detect_secs[t] + p.takeover_secs.max(p.dr_rto_secs[t]);
                            self.groups[j].window_until = at;
                            self.schedule(at, Event::Promote { group: j as u32, member: t as u32, token });
                        }
                    }
                    return;
                }
                if self.groups[j].promote_pending {
                    self.groups[j].promote_pending = false;
                    self.groups[j].promote_awaiting_requires = false;
                }
                if !self.seen_ok(j, a) {
                    match self.first_ok(j, Some(a)) {
                        Some(t) => {
                            let by_track = self.track_handover(j, a);
                            let detect = self.takeover_detect_secs(j, t, by_track);
                            let delay = detect + p.takeover_secs.max(p.dr_rto_secs[t]);
                            self.begin_window(j, t, delay);
                            self.groups[j].window_by_track = by_track;
                            self.window_opened_from(j, a, detect);
                        }
                        None if !works => {
                            // Nobody to take over: the role waits. The member that held
                            // it keeps it if it is back within the detection time.
                            let st = &mut self.groups[j];
                            st.window_from = Some(a);
                            st.detect_until = self.now + p.detect_secs;
                            self.set_active(j, None);
                        }
                        None if self.in_fault(j, a) || self.track_faulted(j, a) => {
                            // Every member is in FAULT (a shared segment switch or a
                            // tracked object down on all of them): the master drops the
                            // virtual IP too (keepalived FAULT, HSRP Init). On the way
                            // back each member enters BACKUP and waits its own
                            // Master_Down_Interval, so the highest priority claims the
                            // role whoever held it before (RFC 5798 §6.4.1-6.4.2), even
                            // without preemption (branch `None` below).
                            self.groups[j].window_from = None;
                            self.set_active(j, None);
                        }
                        None => {}
                    }
                } else if p.preempt {
                    // The preempting member with the highest priority (the first listed
                    // among equals).
                    let n = members.len();
                    let mut better: Option<usize> = None;
                    // A member preempts only once its detector sees it working: a GSLB
                    // answers its first site again when the site's check passes, a bond
                    // returns to its primary NIC when MII sees the link up (or its ARP
                    // probes are answered), not merely when the NIC itself works.
                    let mut candidates: Vec<usize> =
                        (0..n).filter(|&i| i != a && self.preempts_over(j, i, a)).collect();
                    candidates.retain(|&i| self.seen_ok(j, i));
                    for i in candidates {
                        let beats = better.is_none_or(|b| self.preempts_over(j, i, b) && !self.preempts_over(j, b, i));
                        if beats {
                            better = Some(i);
                        }
                    }
                    match better {
                        // A VRRP backup preempts when its Master_Down_Timer fires (it
                        // discards the master's lower-priority adverts meanwhile), an
                        // HSRP router with its coup: the active serves until then.
                        // Already under way (only a member with a timer is ever pending).
                        Some(better) if self.groups[j].preempt_pending == Some(better) => {}
                        Some(better) if p.member_preempt_secs[better] > 0.0 => {
                            let st = &mut self.groups[j];
                            st.preempt_pending = Some(better);
                            st.preempt_token += 1;
                            let token = st.preempt_token;
                            // A member that has been listening since it returned during
                            // the failover fires its timer counted from then.
                            let since = match st.listening_since.take() {
                                Some((m, t)) if m == better => t,
                                _ if p.preempt_timer_from_ready => st.outranks_since[better].unwrap_or(self.now),
                                _ => self.now,
                            };
                            let at = (since + p.member_preempt_secs[better]).max(self.now);
                            self.schedule(at, Event::Preempt { group: j as u32, member: better as u32, token });
                            self.apply_exclusion(j);
                            self.mark_group(j);
                        }
                        Some(better) => self.set_active(j, Some(better)),
                        None if self.groups[j].preempt_pending.is_some() => {
                            self.cancel_preempt(j);
                            self.apply_exclusion(j);
                            self.mark_group(j);
                        }
                        None => {}
                    }
                }
            }
            None => {
                // Under vote quorum only a member whose partition holds a majority may
                // claim the role (docs/SEMANTICS.md §3).
                let t = self.first_ok(j, None);
                let t = match t {
                    Some(t) if p.votes.is_some() && !self.has_majority(j, t) => {
                        let fenced = self.groups[j].fenced;
                        (0..members.len()).find(|&i| {
                            Some(i) != fenced && self.works(members[i]) && self.seen_ok(j, i) && self.has_majority(j, i)
                        })
                    }
                    t => t,
                };
                if let Some(t) = t {
                    let back_in_time = self.groups[j].window_from == Some(t) && self.now < self.groups[j].detect_until;
                    if back_in_time {
                        self.groups[j].window_from = None;
                        self.set_active(j, Some(t));
                        return;
                    }
                    // A VRRP or HSRP router that starts with no master listens first, for
                    // its own Master_Down_Interval (RFC 5798 §6.4.1) or the hold time.
                    let listen = if p.listens_before_claiming { p.member_detect_secs[t] } else { 0.0 };
                    let delay = listen + p.takeover_secs.max(p.dr_rto_secs[t]);
                    self.begin_window(j, t, delay);
                }
            }
        }
    }

    pub(in crate::simulate) fn end_split(&mut self, j: usize) {
        if let Some(since) = self.groups[j].split_since.take() {
            let secs = self.now - since;
            let split = self.cx.groups[j].counts_split_brain;
            for s in self.services_with_group(j) {
                let record = &mut self.services[s].record;
                if split {
                    record.split_brain_secs += secs;
                } else {
                    record.dual_master_secs += secs;
                }
            }
        }
    }

    /// Its switchover window ends: the chosen member (or the first one seen working) serves.
    pub(in crate::simulate) fn on_switch_done(&mut self, group: u32, token: u32) {
        let j = group as usize;
        if self.groups[j].token == token && self.groups[j].window {
            let target = self.groups[j].switching_to.take();
            let choice = target.filter(|&i| self.seen_ok(j, i)).or_else(|| self.first_ok(j, None));
            if let Some(c) = choice.filter(|&c| target.is_some_and(|t| t != c) && self.groups[j].window_from != Some(c))
            {
                // The member that was to take over failed while it counted down. The next
                // one has been counting since the same failure, on its own clock (a VRRP
                // backup at lower priority waits a longer Master_Down_Interval).
                let p = &self.cx.groups[j];
                let detect = self.takeover_detect_secs(j, c, self.groups[j].window_by_track);
                let due = self.groups[j].window_since + detect + p.takeover_secs.max(p.dr_rto_secs[c]);
                if due > self.now {
                    self.groups[j].switching_to = Some(c);
                    self.schedule(due, Event::SwitchDone { group, token });
                    return;
                }
            }
            if let Some(i) = choice.filter(|&i| !self.takeover_allowed(j, i)) {
                // A precondition is down: the window stays open until it returns (and
                // the member that held the role may still take it back).
                let st = &mut self.groups[j];
                st.switching_to = Some(i);
                st.awaiting_requires = true;
                return;
            }
            self.groups[j].window = false;
            self.groups[j].window_from = None;
            self.set_active(j, choice);
            self.touch(group);
        }
    }

    /// Calls off a preemption under way (the role moved otherwise, or the member no
    /// longer outranks the active).
    fn cancel_preempt(&mut self, j: usize) {
        let st = &mut self.groups[j];
        if st.preempt_pending.take().is_some() {
            st.preempt_token += 1;
        }
    }

    /// A preempting member's timer fires: it takes the role if it still outranks the
    /// active, which served until now (no gap).
    pub(in crate::simulate) fn on_preempt(&mut self, group: u32, member: u32, token: u32) {
        let (j, i) = (group as usize, member as usize);
        if self.groups[j].preempt_token != token || self.groups[j].preempt_pending != Some(i) {
            return;
        }
        self.groups[j].preempt_pending = None;
        let still = match self.groups[j].active {
            Some(a) => {
                !self.groups[j].window
                    && self.groups[j].also_active.is_none()
                    && self.preempts_over(j, i, a)
                    && self.seen_ok(j, i)
            }
            None => false,
        };
        if still {
            self.set_active(j, Some(i));
        }
        self.touch(group);
    }

    /// A standby that stopped hearing the active promotes itself; if the active still runs on the other side of a partition, both serve (split brain).
    pub(in crate::simulate) fn on_promote(&mut self, group: u32, member: u32, token: u32) {
        let cx = self.cx;
        let (j, i) = (group as usize, member as usize);
        if self.groups[j].token == token && self.groups[j].promote_pending {
            if !self.takeover_allowed(j, i) {
                // No promotion without its preconditions; the group tries again when
                // they return (they are watched), with the takeover time only. The
                // service stays in this failover meanwhile.
                self.groups[j].promote_awaiting_requires = true;
                return;
            }
            self.groups[j].promote_pending = false;
            let active = self.groups[j].active;
            let m = cx.model.groups[j].members[i];
            let partitioned = match active {
                Some(a) => {
                    let am = cx.model.groups[j].members[a];
                    self.works(am) && self.works(m) && !self.adverts_reach(j, am, &[m])
                }
                None => false,
            };
            if partitioned && cx.groups[j].fences {
                // STONITH: the old active is powered off before the standby serves.
                if let Some(a) = active {
                    self.groups[j].fenced = Some(a);
                }
                self.set_active(j, Some(i));
            } else if partitioned {
                self.groups[j].also_active = Some(i);
                self.apply_exclusion(j);
                self.mark_group(j);
                self.split_verdicts_ahead(j);
                let (split, dual) = (cx.groups[j].counts_split_brain, cx.groups[j].counts_dual_masters);
                if split || dual {
                    self.groups[j].split_since = Some(self.now);
                    for s in self.services_with_group(j) {
                        let record = &mut self.services[s].record;
                        if split {
                            record.split_brain_events += 1;
                        } else {
                            record.dual_master_events += 1;
                        }
                    }
                }
            }
        }
    }
}
