//! Accounting: each service's served fraction, what holds it back (attribution), and
//! the time, outages and intervals recorded per replication.

use crate::model::Visibility;
use crate::simulate::engine::{Sim, Track};
use crate::simulate::record::{outage_bin, Interval, IntervalState, ReplicationRecord};
use crate::simulate::{Behaviour, YEAR_SECS};

impl<'c, 'm> Sim<'c, 'm> {
    /// The share of requests service `s` serves now.
    pub(in crate::simulate) fn service_fraction(&mut self, s: usize) -> f64 {
        let cx = self.cx;
        let circuit = &cx.circuit;
        if !self.value[circuit.service_node(s)] || self.data_restoring[s] > 0 {
            return 0.0;
        }
        let mut f = 1.0;
        self.services[s].stranded = None;
        // Only the first load-sharing tier of the chain strands requests: whether its
        // member carries them on already counts what lies behind (a later tier's member
        // that cannot would be charged twice for one failure).
        // (Ideal runs detect it at once, as the analyzer assumes: no such member.)
        let stranding = circuit.services[s]
            .chain
            .iter()
            .enumerate()
            .find_map(|(t, &(_, g))| g.filter(|g| circuit.share_groups[s].contains(g)).map(|g| (g, t)))
            .filter(|_| !cx.options.ideal);
        // Ideal runs with choices of holders: the load-sharing tiers' share under the
        // best single choice (each member counted on chains under that choice).
        let share_tier = |g: &crate::model::GroupId| circuit.services[s].chain.iter().any(|&(_, cg)| cg == Some(*g));
        if cx.options.ideal {
            if let Some(choices) = &cx.ideal_holder_choices {
                let mut best: f64 = 0.0;
                for choice in choices {
                    let mut share = 1.0;
                    for (t, on) in self.on_chain_with_holders(s, choice) {
                        let Some(g) = circuit.services[s].chain[t].1 else { continue };
                        let j = g.0 as usize;
                        if cx.groups[j].behaviour != Behaviour::Share || !circuit.share_groups[s].contains(&g) {
                            continue;
                        }
                        let st = &self.groups[j];
                        let serving = (0..on.len()).filter(|&i| st.in_rotation[i] && st.healthy[i] && on[i]).count();
                        share *= (serving as f64 / cx.groups[j].need.max(1) as f64).min(1.0);
                    }
                    best = best.max(share);
                }
                f *= best;
                if f == 0.0 {
                    return 0.0;
                }
            }
        }
        for g in &circuit.share_groups[s] {
            let j = g.0 as usize;
            let members = &cx.model.groups[j].members;
            if cx.options.ideal && cx.ideal_holder_choices.is_some() && share_tier(g) && cx.groups[j].need >= 2 {
                continue; // counted above
            }
            // Ideal detection is perfect and instant: a member off every chain (cut off
            // from its balancer, or from the tiers behind it) is out of rotation at
            // once, as the analyzer counts it (docs/SEMANTICS.md §4).
            let ideal_on_chain = match circuit.services[s].chain.iter().position(|&(_, cg)| cg == Some(*g)) {
                Some(t) if cx.options.ideal => Some(self.on_chain(s, t)),
                _ => None,
            };
            if let Some(on) = &ideal_on_chain {
                let st = &self.groups[j];
                let serving = (0..members.len()).filter(|&i| st.in_rotation[i] && st.healthy[i] && on[i]).count();
                if serving == 0 {
                    return 0.0;
                }
                f *= (serving as f64 / self.cx.groups[j].need.max(1) as f64).min(1.0);
                continue;
            }
            let rotation = self.groups[j].in_rotation.iter().filter(|x| **x).count();
            // A request sent to a member fails unless the member carries it on through
            // the service's later tiers (docs/SEMANTICS.md §4, from that member): a
            // pool member cut off from the database, a GSLB site whose backends are
            // gone while its front door still answers the checks.
            let tier = stranding.filter(|&(sg, _)| sg == *g).map(|(_, t)| t);
            // Two masters balancing the pool: each over its own rotation.
            if let Some(share) = (!cx.options.ideal).then(|| self.split_share(s, j, tier)).flatten() {
                if share == 0.0 {
                    return 0.0;
                }
                f *= share;
                continue;
            }
            let mut serving = 0;
            for i in 0..members.len() {
                let st = &self.groups[j];
                if !(st.in_rotation[i] && st.healthy[i]) {
                    continue;
                }
                match tier {
                    Some(t) if !self.carries_onward(s, t, i, usize::MAX) => {
                        self.services[s].stranded = Some(j as u32);
                    }
                    _ => serving += 1,
                }
            }
            if rotation == 0 {
                return 0.0;
            }
            let need = self.cx.groups[j].need.max(1);
            // Requests to members still in rotation but dead fail; what is left is capped
            // by the capacity of the members serving (a healthy member waiting for its
            // `rise` checks takes no requests yet).
            f *= (serving as f64 / rotation as f64).min(serving as f64 / need as f64);
        }
        f
    }

    /// What keeps service `s` down now, for attribution.
    pub(in crate::simulate) fn mechanism(&self, s: usize) -> String {
        let cx = self.cx;
        if self.data_restoring[s] > 0 && self.value[cx.circuit.service_node(s)] {
            return "restore from backup".into();
        }
        let near = &cx.circuit.service_near_groups[s];
        let own = |j: &usize| near[*j];
        // A reconverging domain this service hangs on, else any (its traffic may cross
        // it), with the time its last waiting port forwards.
        let reconverging = |j: &usize| cx.groups[*j].stp.is_some() && self.groups[*j].stp.in_transition(self.now);
        let mut domains = (0..cx.groups.len()).filter(reconverging);
        let reconvergence = domains.clone().find(own).or_else(|| domains.next()).map(|j| {
            let stp = cx.groups[j].stp.as_ref().expect("STP group");
            (format!("{} reconvergence", stp.mode), self.groups[j].stp.settles_at(self.now, stp.to_forwarding_secs))
        });
        // A switchover away from a member that still works, whose takeover would come
        // after the domain forwards again (a backup that stopped hearing adverts while
        // a port relearned), is not what the outage waits for: the reconvergence is.
        let failover = |j: usize| {
            let st = &self.groups[j];
            let left_works = st.window_from.or(st.active).is_some_and(|a| self.works(cx.model.groups[j].members[a]));
            match &reconvergence {
                Some((label, settles)) if left_works && *settles < st.window_until => label.clone(),
                _ => format!("{} failover", cx.model.groups[j].kind),
            }
        };
        for g in &cx.circuit.service_groups[s] {
            let j = g.0 as usize;
            let st = &self.groups[j];
            let kind = cx.model.groups[j].kind;
            match cx.groups[j].behaviour {
                Behaviour::Switchover if st.window || st.promote_pending => return failover(j),
                Behaviour::Switchover
                    if st.active.is_some_and(|a| !self.works(cx.model.groups[j].members[a]))
                        && cx.model.groups[j].members.iter().any(|&m| self.works(m)) =>
                {
                    return format!("{kind} blind spot");
                }
                Behaviour::Rebuild if st.data_lost && st.restoring => {
                    return if cx.groups[j].backups.0.is_empty() {
                        "array recreated empty (no backup)".into()
                    } else {
                        "restore from backup".into()
                    };
                }
                // The data is lost and the restore waits for enough slots: rebuilds
                // onto spares or replacements, not a repair.
                Behaviour::Rebuild if st.data_lost && st.rebuilding.iter().any(|&r| r) => {
                    return if cx.groups[j].backups.0.is_empty() {
                        format!("{kind} rebuild (data lost, no backup)")
                    } else {
                        format!("{kind} rebuild before restore")
                    };
                }
                _ => {}
            }
        }
        // Network failovers (bonds, gateways, multipath) reach services through paths,
        // not needs: groups no service needs directly, whose standby forwards nothing.
        // Prefer one whose members are in this service's cone (its own bond), then any
        // (a gateway pair on the path). A group nothing uses is never to blame, nor one
        // whose election holds back no working member (its standby is master of
        // another group over the same devices, and forwards).
        let failing_over = |j: usize| {
            let st = &self.groups[j];
            cx.groups[j].behaviour == Behaviour::Switchover
                && cx.groups[j].blocks_transit
                && (st.window || st.promote_pending)
                && !cx.circuit.needed[j]
                && cx.model.groups[j].members.iter().any(|m| self.value[m.0 as usize] && !self.carries(*m))
        };
        let mut network = (0..cx.groups.len()).filter(|&j| failing_over(j));
        let chosen = network.clone().find(own).or_else(|| network.find(|j| !cx.groups[*j].host_local));
        if let Some(j) = chosen {
            return failover(j);
        }
        // A device the service needs, or a forwarding device (its path), still booting
        // after its power came back (before a reconvergence that ends within the boot).
        let cone = &cx.circuit.service_elements[s];
        let on_path = |e: usize| cone[e] || cx.circuit.topological[e];
        // A forwarding device outside the cone booting somewhere is not what an outage
        // waits for while the failure that began it, inside the cone, is still there,
        // unless that device's own supply runs through the cone (a firewall in series
        // failed while another service's firewall reboots on its own feed: the repair;
        // a UPS the servers share failed and the switch behind it reboots: the boot).
        let began_with_own_failure = self.services[s]
            .outage
            .as_ref()
            .and_then(|(_, name)| cx.model.element_by_name(name))
            .is_some_and(|c| cone[c.id.0 as usize] && !self.up(c.id.0));
        let supplied_through_cone = |e: usize| {
            // Its PSUs (or a source it draws from directly) and everything above them.
            let mut supplies = Vec::new();
            cx.model.elements[e].needs.visit(&mut |r| {
                if let crate::model::Req::Element(d) = r {
                    supplies.push(*d);
                }
            });
            supplies.retain(|&d| crate::mechanisms::power::is_supply(cx.model.element(d)));
            supplies.iter().any(|&d| {
                cone[d.0 as usize]
                    || crate::mechanisms::power::upstream_power(cx.model, d).iter().any(|src| cone[src.0 as usize])
            })
        };
        let may_wait_for =
            |e: usize| cone[e] || (cx.circuit.topological[e] && (!began_with_own_failure || supplied_through_cone(e)));
        if (0..cx.model.elements.len()).any(|e| may_wait_for(e) && !self.value[e] && self.restarting(e)) {
            return "restart after power loss".into();
        }
        // A pool the service needs whose connections died with their firewall's state,
        // still waiting for them to time out.
        if let Some(e) = (0..cx.model.elements.len()).find(|&e| cone[e] && !self.value[e] && self.pool_hanging(e)) {
            return format!("{} dead connections", cx.model.elements[e].name);
        }
        if let Some((label, _)) = reconvergence {
            return label;
        }
        // A transfer switch moving its load while something the service needs, or a
        // forwarding device, that it powers is down: the break its loads did not ride
        // through.
        if let Some(e) = (0..cx.model.elements.len())
            .find(|&e| self.transfer_until[e].is_some_and(|t| self.now < t) && self.powers_down_element(e, &on_path))
        {
            return format!("{} transfer", cx.model.elements[e].name);
        }
        // A standby generator in the service's cone still starting: the outage waits
        // for it (a UPS battery shorter than the start ran out before it).
        let starting = |e: usize| {
            self.generator_starting[e]
                && !self.failed[e]
                && self.drilled[e] == 0
                && self.holds(&cx.circuit.element_needs[e])
        };
        // In the cone, or powering a forwarding device on the path (a switch).
        let reaches = |e: usize| cone[e] || self.powers_down_element(e, &on_path);
        if let Some(e) = (0..cx.model.elements.len()).find(|&e| starting(e) && reaches(e)) {
            return format!("{} start", cx.model.elements[e].name);
        }
        // A UPS in the service's cone, or powering a forwarding device on its path (a
        // switch), ran out of battery: the outage is its input's, beyond what the
        // battery bridges. The one to blame is the one whose running out began the
        // outage: of those drained by the outage's start, the last to run out (the
        // second of two redundant feeds' UPSes; of a shorter and a longer battery in
        // series, the shorter). One that ran out only after the service was already
        // down (its loads were lost past another, unprotected way) is not.
        let outage_start = self.services[s].outage.as_ref().map_or(self.now, |o| o.0);
        let drained = (0..cx.model.elements.len())
            .filter_map(|e| {
                let since = self.battery_since[e]?;
                let empty_at = since + cx.battery_secs[e];
                (empty_at <= outage_start && !self.value[e] && reaches(e)).then_some((empty_at, e))
            })
            .max_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)))
            .map(|(_, e)| e);
        if let Some(e) = drained {
            return format!("beyond {} battery", cx.model.elements[e].name);
        }
        // A pool whose healthy members all wait for their `rise` checks.
        for g in &cx.circuit.service_groups[s] {
            let st = &self.groups[g.0 as usize];
            if cx.groups[g.0 as usize].behaviour == Behaviour::Share
                && st.readmit_pending.iter().any(|&w| w)
                && !st.in_rotation.iter().zip(&st.healthy).any(|(&r, &h)| r && h)
            {
                return format!("{} rise checks", cx.model.groups[g.0 as usize].kind);
            }
        }
        // A site disaster in the service's cone, when it is what the outage waits for:
        // the outage began with the site or with something inside it, or what began it
        // is back. Another site on an alternative path (a branch the routed network
        // could cross), lost while the service waits for its own repair, is not.
        let cause = match &self.services[s].outage {
            Some((_, name)) => cx.model.element_by_name(name).map(|e| e.id.0),
            None => self.instant_cause(s),
        };
        let inside = |e: u32, site: usize| {
            let mut at = cx.model.elements[e as usize].site;
            for _ in 0..32 {
                match at {
                    Some(x) if x.0 as usize == site => return true,
                    Some(x) => at = cx.model.elements[x.0 as usize].site,
                    None => return false,
                }
            }
            false
        };
        let waits_for = |site: usize| cause.is_none_or(|c| c as usize == site || inside(c, site) || self.up(c));
        if let Some(e) = (0..cx.model.elements.len()).find(|&e| {
            cx.model.elements[e].layer == crate::model::Layer::Site && !self.up(e as u32) && reaches(e) && waits_for(e)
        }) {
            return format!("{} disaster", cx.model.elements[e].name);
        }
        "repair".into()
    }

    /// The instant's first change inside service `s`'s own dependencies, else in a
    /// spanning-tree domain it hangs on (its links are paths, not dependencies), else
    /// the last: what starts an outage that begins now.
    fn instant_cause(&self, s: usize) -> Option<u32> {
        let cx = self.cx;
        let cone = &cx.circuit.service_elements[s];
        let near = &cx.circuit.service_near_groups[s];
        let in_near_domain = |e: u32| {
            cx.groups.iter().enumerate().any(|(j, p)| {
                near[j]
                    && p.stp.as_ref().is_some_and(|stp| {
                        stp.links.iter().any(|&(_, _, l)| l.0 == e)
                            || cx.model.groups[j].members.iter().any(|m| m.0 == e)
                    })
            })
        };
        self.causes
            .iter()
            .find(|&&e| cone[e as usize])
            .or_else(|| self.causes.iter().find(|&&e| in_near_domain(e)))
            .or(self.causes.last())
            .copied()
    }

    /// Accounts the time from the last instant to `t` at the current fractions.
    pub(in crate::simulate) fn advance(&mut self, t: f64) {
        let t = t.min(self.horizon);
        if t <= self.now {
            return;
        }
        let from = self.now;
        if self.rare.is_some() {
            let degraded: Vec<(usize, f64)> =
                self.degraded.iter().map(|&s| (s as usize, self.services[s as usize].fraction)).collect();
            for (s, f) in degraded {
                self.cycle_account(s, f, t - from);
            }
            self.now = t;
            return;
        }
        // Services at full service accrue nothing.
        let years = self.cx.options.years.max(1);
        for &s in &self.degraded {
            let track = &mut self.services[s as usize];
            let f = track.fraction;
            let dt = t - from;
            if let (0.0, Some((_, cause))) = (f, &track.outage) {
                *track.slices.entry(track.mechanism.clone()).or_default() += dt;
                *track
                    .record
                    .attribution
                    .entry(cause.clone())
                    .or_default()
                    .entry(track.mechanism.clone())
                    .or_default() += dt;
            }
            if f < 1.0 {
                track.record.lost_request_secs += (1.0 - f) * dt;
                let mut a = from;
                while a < t {
                    let year = ((a / YEAR_SECS) as u32).min(years.saturating_sub(1));
                    let end = ((f64::from(year) + 1.0) * YEAR_SECS).min(t);
                    let end = if end <= a { t } else { end };
                    if year != track.year {
                        close_year(track);
                        track.year = year;
                    }
                    track.year_not_full_secs += end - a;
                    if f == 0.0 {
                        track.year_down_secs += end - a;
                    }
                    a = end;
                }
                let r = &mut track.record;
                if f > 0.0 {
                    r.degraded_secs += dt;
                }
            }
        }
        self.now = t;
    }

    /// The served fraction of service `s` and, below 1, the mechanism holding it back.
    pub(in crate::simulate) fn service_state(&mut self, s: usize) -> (f64, String) {
        let f = self.service_fraction(s);
        // Rare-event runs estimate time and outages only: no attribution.
        let mechanism = if self.rare.is_some() {
            String::new()
        } else if f == 0.0 {
            self.mechanism(s)
        } else if f < 1.0 {
            self.mechanism_degraded(s)
        } else {
            String::new()
        };
        (f, mechanism)
    }

    /// Observes the services marked this instant and every degraded one (what holds a
    /// degraded service back can change anywhere).
    pub(in crate::simulate) fn observe(&mut self) {
        let mut list = std::mem::take(&mut self.observe_list);
        for &s in &list {
            self.observe_mark[s as usize] = false;
        }
        list.extend(self.degraded.iter().copied());
        list.sort_unstable();
        list.dedup();
        for s in list.drain(..).map(|s| s as usize) {
            let (f, mechanism) = self.service_state(s);
            let old = self.services[s].fraction;
            if f == old && mechanism == self.services[s].mechanism {
                continue;
            }
            if self.record_timeline {
                self.push_interval(s);
            }
            if old == 0.0 && f != 0.0 {
                self.end_outage(s);
            }
            if f == 0.0 && old != 0.0 {
                let cause = self
                    .instant_cause(s)
                    .map_or("unknown".to_string(), |e| self.cx.model.elements[e as usize].name.clone());
                self.services[s].outage = Some((self.now, cause));
                self.cycle_outage(s);
            }
            if f < 1.0 {
                self.degraded.insert(s as u32);
            } else {
                self.degraded.remove(&(s as u32));
            }
            let track = &mut self.services[s];
            track.fraction = f;
            track.mechanism = mechanism;
            track.since = self.now;
        }
        self.observe_list = list;
    }

    pub(in crate::simulate) fn push_interval(&mut self, s: usize) {
        let track = &self.services[s];
        // Random runs keep one year (the first, or the one asked for: the timeline
        // plot shows the worst); drill runs keep all.
        let year_start = f64::from(self.timeline_year) * YEAR_SECS;
        let kept = !self.cx.options.random_failures || (track.since < year_start + YEAR_SECS && self.now > year_start);
        if track.fraction >= 1.0 || self.now <= track.since || !kept {
            return;
        }
        let state = if track.fraction == 0.0 { IntervalState::Down } else { IntervalState::Degraded };
        let interval = Interval {
            start_secs: track.since,
            end_secs: self.now,
            state,
            fraction: track.fraction,
            mechanism: track.mechanism.clone(),
        };
        self.timeline[s].push(interval);
    }

    pub(in crate::simulate) fn mechanism_degraded(&self, s: usize) -> String {
        if let Some(j) = self.services[s].stranded {
            // Requests go to a member that cannot carry them on: nothing takes it out.
            return format!("{} sends to a member cut off from the next tier", self.cx.model.groups[j as usize].kind);
        }
        // A pool whose balancers are split: each master sends to members it may not
        // reach (`behaviours::share::split_share`).
        for g in &self.cx.circuit.service_groups[s] {
            let j = g.0 as usize;
            if !self.cx.options.ideal && self.split_balancers(j).is_some() {
                return format!("{} balanced by two masters", self.cx.model.groups[j].kind);
            }
        }
        // A member still in rotation while unhealthy (waiting for detection) comes
        // first, in any group: it is why requests fail now.
        for g in &self.cx.circuit.service_groups[s] {
            let j = g.0 as usize;
            if self.cx.groups[j].behaviour == Behaviour::Share {
                let st = &self.groups[j];
                if st.in_rotation.iter().zip(&st.healthy).any(|(&r, &h)| r && !h) {
                    let kind = self.cx.model.groups[j].kind;
                    return match self.cx.groups[j].sees {
                        Visibility::Nothing => format!("{kind} serves a dead address"),
                        _ => format!("{kind} detection"),
                    };
                }
            }
        }
        for g in &self.cx.circuit.service_groups[s] {
            let j = g.0 as usize;
            if self.cx.groups[j].behaviour == Behaviour::Share {
                let st = &self.groups[j];
                if st.healthy.iter().any(|h| !h) {
                    return format!("{} capacity", self.cx.model.groups[j].kind);
                }
                if st.readmit_pending.iter().any(|&w| w) {
                    return format!("{} rise checks", self.cx.model.groups[j].kind);
                }
            }
        }
        "partial".into()
    }

    /// Closes the open outage; it is counted under the mechanism that held it longest.
    pub(in crate::simulate) fn end_outage(&mut self, s: usize) {
        let track = &mut self.services[s];
        if let Some((start, _)) = track.outage.take() {
            let secs = self.now - start;
            let slices = std::mem::take(&mut track.slices);
            let mechanism = slices
                .iter()
                .max_by(|a, b| a.1.total_cmp(b.1).then_with(|| b.0.cmp(a.0)))
                .map_or_else(|| track.mechanism.clone(), |(m, _)| m.clone());
            let r = &mut track.record;
            r.outages += 1;
            r.outage_secs += secs;
            r.max_outage_secs = r.max_outage_secs.max(secs);
            let bin = outage_bin(secs);
            r.outage_histogram[bin] += 1;
            r.by_mechanism.entry(mechanism).or_insert_with(|| vec![0; r.outage_histogram.len()])[bin] += 1;
        }
    }

    pub(in crate::simulate) fn finish(mut self) -> ReplicationRecord {
        for s in 0..self.services.len() {
            if self.record_timeline {
                self.push_interval(s);
            }
            if self.services[s].fraction == 0.0 {
                self.end_outage(s);
            }
            let track = &mut self.services[s];
            close_year(track);
            track.record.years.finish(self.cx.options.years);
        }
        for j in 0..self.groups.len() {
            self.end_split(j);
        }
        let timeline = std::mem::take(&mut self.timeline);
        let services = self
            .services
            .into_iter()
            .zip(timeline)
            .map(|(t, tl)| {
                let mut r = t.record;
                r.timeline = tl;
                r
            })
            .collect();
        ReplicationRecord { index: self.index, events: self.events, services }
    }
}

/// Counts the track's open year into its record, if anything was accounted in it.
fn close_year(track: &mut Track) {
    if track.year_not_full_secs > 0.0 {
        track.record.years.add_year(track.year, track.year_down_secs, track.year_not_full_secs);
    }
    track.year_down_secs = 0.0;
    track.year_not_full_secs = 0.0;
}
