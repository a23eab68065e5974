//! One replication: an event queue over simulated time.
//!
//! Each instant runs in three steps: apply the events due (failures, repairs, drills,
//! timers), *settle* (propagate through the circuit, then let each touched group react
//! — start a switchover, take a member out of rotation, rebuild a slot, reconverge —
//! until nothing changes), then *observe* each service's served fraction and account
//! the time since the previous instant. Zero-length blips inside one instant are never
//! observed. Ties in time are broken by insertion order, so a run is a pure function
//! of `(compiled model, seed, replication index)`.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap};

use rand_chacha::ChaCha8Rng;

use super::circuit::{Expr, NodeKind};
use super::data::Loss;
use super::params::Compiled;
use super::record::{outage_bin, Interval, IntervalState, ReplicationRecord, ServiceRecord};
use super::sample;
use super::spanning_tree::{root_ports, RootPort};
use super::{Behaviour, YEAR_SECS};
use crate::model::{ElementId, Visibility};

#[derive(Clone, Copy, Debug)]
enum Event {
    Fail(u32),
    /// A failure has been noticed: its repair starts (or queues for a crew).
    Noticed(u32),
    Repair(u32),
    DrillStart(u32),
    DrillEnd(u32),
    BatteryEmpty {
        element: u32,
        token: u32,
    },
    SwitchDone {
        group: u32,
        token: u32,
    },
    OutOfRotation {
        group: u32,
        member: u32,
        token: u32,
    },
    SlotRebuilt {
        group: u32,
        member: u32,
        token: u32,
    },
    RestoreDone {
        group: u32,
        token: u32,
    },
    Reconverged {
        group: u32,
    },
    Promote {
        group: u32,
        member: u32,
        token: u32,
    },
}

struct Scheduled {
    at: f64,
    seq: u64,
    event: Event,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> Ordering {
        self.at.total_cmp(&other.at).then(self.seq.cmp(&other.seq))
    }
}

/// Mutable state of one group.
#[derive(Clone, Default)]
struct GroupState {
    token: u32,
    // Switchover
    active: Option<usize>,
    excluding: Vec<bool>,
    switching_to: Option<usize>,
    window: bool,
    /// The active member a running window started from, and when its detection ends:
    /// if it is seen working again before then, the failover is called off.
    window_from: Option<usize>,
    detect_until: f64,
    // Share
    in_rotation: Vec<bool>,
    /// Works and is reached by whoever checks it, at the last reaction.
    healthy: Vec<bool>,
    removal_token: Vec<u32>,
    removal_pending: Vec<bool>,
    // Rebuild
    slot_ok: Vec<bool>,
    on_spare: Vec<bool>,
    rebuilding: Vec<bool>,
    /// The slot's running rebuild writes onto a hot spare (not the replaced disk).
    onto_spare: Vec<bool>,
    spares: u32,
    data_lost: bool,
    restoring: bool,
    // Reconverge
    ports: Vec<RootPort>,
    root: Option<usize>,
    reconverging_until: Vec<f64>,
    // Primary
    primary: Option<usize>,
    // A standby that stopped hearing the active and promoted itself (both serve).
    also_active: Option<usize>,
    promote_pending: bool,
    /// A member deposed for losing quorum in a partition, kept out until it is heard again.
    fenced: Option<usize>,
    split_since: Option<f64>,
    // Members seen working at the last reaction.
    was_working: Vec<bool>,
}

impl GroupState {
    fn new(m: usize, spares: u32) -> GroupState {
        GroupState {
            excluding: vec![false; m],
            in_rotation: vec![true; m],
            healthy: vec![true; m],
            removal_token: vec![0; m],
            removal_pending: vec![false; m],
            slot_ok: vec![true; m],
            on_spare: vec![false; m],
            rebuilding: vec![false; m],
            onto_spare: vec![false; m],
            spares,
            reconverging_until: vec![0.0; m],
            was_working: vec![true; m],
            ..GroupState::default()
        }
    }
}

/// Per service: what is being accounted.
#[derive(Default)]
struct Track {
    fraction: f64,
    /// What keeps the service from full service now ("" when fully up).
    mechanism: String,
    since: f64,
    /// The open outage: its start and root cause, and its seconds per mechanism.
    outage: Option<(f64, String)>,
    slices: BTreeMap<String, f64>,
    record: ServiceRecord,
}

pub fn run(cx: &Compiled, index: u64) -> ReplicationRecord {
    Sim::new(cx, index).run()
}

struct Sim<'c, 'm> {
    cx: &'c Compiled<'m>,
    index: u64,
    rng: ChaCha8Rng,
    horizon: f64,
    now: f64,
    queue: BinaryHeap<Reverse<Scheduled>>,
    seq: u64,
    events: u64,
    failed: Vec<bool>,
    /// A cold standby's failure clock, stopped while it waits.
    paused: Vec<bool>,
    crews_busy: u32,
    repair_queue: std::collections::VecDeque<u32>,
    drilled: Vec<u32>,
    value: Vec<bool>,
    /// Per element: how many transit-blocking groups hold it as standby, plus STP
    /// domains it is reconverging in. Above zero it forwards nobody's traffic.
    transit_blocked: Vec<u32>,
    /// Per element: how many groups of any kind hold it as standby (a service naming the
    /// element itself as a tier cannot use it then).
    standby_in: Vec<u32>,
    /// Per element: STP domains it is reconverging in.
    reconverging: Vec<u32>,
    battery_since: Vec<Option<f64>>,
    battery_token: Vec<u32>,
    /// Per UPS on battery: the element whose loss put it there (the outage beyond the
    /// battery is that element's, not the UPS's).
    battery_cause: Vec<Option<u32>>,
    groups: Vec<GroupState>,
    /// Per data set: its primary and destroyed copies.
    data: Vec<super::data::DataState>,
    dirty: BinaryHeap<Reverse<(u32, u32)>>,
    in_dirty: Vec<bool>,
    touched: Vec<bool>,
    touched_list: Vec<u32>,
    net_changed: bool,
    /// Groups that watch the whole network (path detectors, STP, heartbeats).
    net_watchers: Vec<u32>,
    /// Per element: groups watching it besides those it is a member of.
    watchers: Vec<Vec<u32>>,
    /// Elements that changed at the latest instant with element events, in event order:
    /// an outage that starts on a timer (a switchover, a drained battery) is blamed on them.
    causes: Vec<u32>,
    causes_at: f64,
    services: Vec<Track>,
    record_timeline: bool,
    timeline: Vec<Vec<Interval>>,
    // Breadth-first search scratch, stamped to avoid clearing.
    stamp: u32,
    source_mark: Vec<u32>,
    target_mark: Vec<u32>,
    reached_mark: Vec<u32>,
    queue_scratch: Vec<u32>,
    /// The running search may not cross an entry (see [`Self::checks_reach`]).
    in_data_centre: bool,
}

impl<'c, 'm> Sim<'c, 'm> {
    fn new(cx: &'c Compiled<'m>, index: u64) -> Sim<'c, 'm> {
        let model = cx.model;
        let n = model.elements.len();
        let nodes = cx.circuit.kinds.len();
        let mut watchers = vec![Vec::new(); n];
        let mut net_watchers = Vec::new();
        for (j, p) in cx.groups.iter().enumerate() {
            if matches!(p.sees, Visibility::PathTo(_))
                || p.stp.is_some()
                || p.peers_networked
                || p.checked_from.is_some()
            {
                net_watchers.push(j as u32);
            }
            if let Some(stp) = &p.stp {
                for &(_, _, l) in &stp.links {
                    watchers[l.0 as usize].push(j as u32);
                }
            }
            for links in &p.local_links {
                for &(l, far) in links {
                    watchers[l.0 as usize].push(j as u32);
                    watchers[far.0 as usize].push(j as u32);
                }
            }
        }
        for w in &mut watchers {
            w.sort_unstable();
            w.dedup();
        }
        let horizon = f64::from(cx.options.years) * YEAR_SECS;
        Sim {
            cx,
            index,
            rng: sample::stream(cx.options.seed, index),
            horizon,
            now: 0.0,
            queue: BinaryHeap::new(),
            seq: 0,
            events: 0,
            failed: vec![false; n],
            paused: vec![false; n],
            crews_busy: 0,
            repair_queue: std::collections::VecDeque::new(),
            drilled: vec![0; n],
            value: vec![false; nodes],
            transit_blocked: vec![0; n],
            standby_in: vec![0; n],
            reconverging: vec![0; n],
            battery_since: vec![None; n],
            battery_token: vec![0; n],
            battery_cause: vec![None; n],
            groups: model
                .groups
                .iter()
                .zip(&cx.groups)
                .map(|(g, p)| GroupState::new(g.members.len(), p.hot_spares))
                .collect(),
            data: cx.data_sets.iter().map(super::data::DataState::new).collect(),
            dirty: BinaryHeap::new(),
            in_dirty: vec![false; nodes],
            touched: vec![false; model.groups.len()],
            touched_list: Vec::new(),
            net_changed: false,
            net_watchers,
            watchers,
            causes: Vec::new(),
            causes_at: -1.0,
            services: (0..model.services.len())
                .map(|_| Track { record: empty_service_record(cx.options.years), ..Track::default() })
                .collect(),
            record_timeline: index == 0,
            timeline: vec![Vec::new(); model.services.len()],
            stamp: 0,
            source_mark: vec![0; n],
            target_mark: vec![0; n],
            reached_mark: vec![0; n],
            queue_scratch: Vec::new(),
            in_data_centre: false,
        }
    }

    fn schedule(&mut self, at: f64, event: Event) {
        self.seq += 1;
        self.queue.push(Reverse(Scheduled { at, seq: self.seq, event }));
    }

    fn up(&self, e: u32) -> bool {
        !self.failed[e as usize] && self.drilled[e as usize] == 0
    }

    fn works(&self, e: ElementId) -> bool {
        self.value[e.0 as usize]
    }

    /// Works and forwards traffic: no transit-blocking group holds it as standby and it
    /// is not reconverging.
    fn carries(&self, e: ElementId) -> bool {
        self.value[e.0 as usize] && self.transit_blocked[e.0 as usize] == 0
    }

    fn run(mut self) -> ReplicationRecord {
        let cx = self.cx;
        let model = cx.model;
        if cx.options.random_failures {
            for e in &model.elements {
                if let Some(f) = e.failure {
                    let at = sample::time_to_failure(&mut self.rng, &f);
                    self.schedule(at, Event::Fail(e.id.0));
                }
            }
        }
        // Drills are scripted: they play in drill runs only, never on top of random
        // failures (they would bias every figure of a random run).
        if !cx.options.random_failures {
            for &(e, at, dur) in &cx.drills {
                self.schedule(at, Event::DrillStart(e));
                self.schedule(at + dur, Event::DrillEnd(e));
            }
        }
        self.initialise();
        while let Some(Reverse(next)) = self.queue.peek() {
            if next.at > self.horizon {
                break;
            }
            let at = next.at;
            self.advance(at);
            while let Some(Reverse(s)) = self.queue.peek() {
                if s.at != at {
                    break;
                }
                let Some(Reverse(s)) = self.queue.pop() else { break };
                self.events += 1;
                self.handle(s.event);
            }
            self.settle();
            self.react_data();
            self.observe();
        }
        self.advance(self.horizon);
        self.finish()
    }

    /// Every node evaluated once, then each group's initial state.
    fn initialise(&mut self) {
        let circuit = &self.cx.circuit;
        for c in 0..circuit.components.len() {
            let members = circuit.components[c].clone();
            self.solve_component(&members);
        }
        for j in 0..self.groups.len() {
            let p = &self.cx.groups[j];
            let members = &self.cx.model.groups[j].members;
            let m = members.len();
            let working: Vec<bool> = members.iter().map(|&e| self.works(e)).collect();
            let st = &mut self.groups[j];
            st.was_working = working.clone();
            st.primary = working.iter().position(|w| *w);
            if p.behaviour == Behaviour::Switchover {
                let first = (0..m).find(|&i| working[i]);
                self.set_active(j, first);
            }
            if let Some(stp) = &p.stp {
                let root = self.elect_root(j);
                let ports = self.ports_of(j, root);
                let st = &mut self.groups[j];
                st.root = root;
                st.ports = ports;
                let _ = stp;
            }
            self.mark(self.cx.circuit.group_node(crate::model::GroupId(j as u32)));
        }
        self.settle();
        // A group whose members depend on later groups (a cluster on multipathed
        // storage) found none working in the pass above: at time 0 nothing has failed,
        // so it starts on its first working member, with no switchover.
        for _ in 0..self.groups.len() {
            let mut changed = false;
            for j in 0..self.groups.len() {
                if self.cx.groups[j].behaviour != Behaviour::Switchover {
                    continue;
                }
                let members = &self.cx.model.groups[j].members;
                let active_works = self.groups[j].active.is_some_and(|a| self.works(members[a]));
                if !active_works {
                    if let Some(first) = (0..members.len()).find(|&i| self.works(members[i])) {
                        let working: Vec<bool> = members.iter().map(|&e| self.works(e)).collect();
                        let st = &mut self.groups[j];
                        st.window = false;
                        st.switching_to = None;
                        st.token += 1;
                        st.was_working = working;
                        self.set_active(j, Some(first));
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
            self.settle();
        }
        for s in 0..self.services.len() {
            let (f, mechanism) = self.service_state(s);
            let track = &mut self.services[s];
            track.fraction = f;
            track.mechanism = mechanism;
            track.since = 0.0;
            if f == 0.0 {
                track.outage = Some((0.0, "initial state".into()));
            }
        }
        // Each data set starts on the copy its cluster made active (else its source).
        for d in 0..self.data.len() {
            let start = self.cx.data_choosers[d]
                .iter()
                .find_map(|&(j, i, k)| (self.groups[j].active == Some(i)).then_some(k))
                .unwrap_or(0);
            self.data[d].primary = start;
        }
    }

    fn handle(&mut self, event: Event) {
        let cx = self.cx;
        match event {
            Event::Fail(e) if self.cold_standby(e) => self.paused[e as usize] = true,
            Event::Fail(e) => {
                self.failed[e as usize] = true;
                self.site_event(e, true);
                self.cause(e);
                let failure = cx.model.elements[e as usize].failure.expect("only failing elements are scheduled");
                let detect = self.detection_delay(e);
                if cx.repair_crews.is_some() {
                    self.schedule(self.now + detect, Event::Noticed(e));
                } else {
                    let repair = sample::exponential(&mut self.rng, failure.mttr_secs);
                    self.schedule(self.now + detect + repair, Event::Repair(e));
                }
                self.mark(e);
            }
            Event::Noticed(e) => {
                self.repair_queue.push_back(e);
                self.start_repairs();
            }
            Event::Repair(e) => {
                if cx.repair_crews.is_some() {
                    self.crews_busy -= 1;
                    self.start_repairs();
                }
                self.failed[e as usize] = false;
                if self.up(e) {
                    self.site_event(e, false);
                }
                self.cause(e);
                let failure = cx.model.elements[e as usize].failure.expect("only failing elements are scheduled");
                let next = sample::time_to_failure(&mut self.rng, &failure);
                self.schedule(self.now + next, Event::Fail(e));
                self.mark(e);
            }
            Event::DrillStart(e) => {
                if self.up(e) {
                    self.site_event(e, true);
                }
                self.drilled[e as usize] += 1;
                self.cause(e);
                self.mark(e);
            }
            Event::DrillEnd(e) => {
                self.drilled[e as usize] -= 1;
                if self.up(e) {
                    self.site_event(e, false);
                }
                self.cause(e);
                self.mark(e);
            }
            Event::BatteryEmpty { element, token } => {
                if self.battery_token[element as usize] == token {
                    let cause = self.battery_cause[element as usize].unwrap_or(element);
                    self.cause(cause);
                    self.mark(element);
                }
            }
            Event::SwitchDone { group, token } => {
                let j = group as usize;
                if self.groups[j].token == token && self.groups[j].window {
                    self.groups[j].window = false;
                    self.groups[j].window_from = None;
                    let target = self.groups[j].switching_to.take();
                    let choice = target.filter(|&i| self.seen_ok(j, i)).or_else(|| self.first_ok(j, None));
                    self.set_active(j, choice);
                    self.touch(group);
                }
            }
            Event::OutOfRotation { group, member, token } => {
                let (j, i) = (group as usize, member as usize);
                let st = &mut self.groups[j];
                if st.removal_token[i] == token && st.removal_pending[i] {
                    st.removal_pending[i] = false;
                    st.in_rotation[i] = false;
                }
            }
            Event::SlotRebuilt { group, member, token } => {
                let (j, i) = (group as usize, member as usize);
                if self.groups[j].token == token && self.groups[j].rebuilding[i] {
                    let disk_back = self.up(self.cx.model.groups[j].members[i].0);
                    let st = &mut self.groups[j];
                    st.rebuilding[i] = false;
                    st.slot_ok[i] = true;
                    if std::mem::take(&mut st.onto_spare[i]) {
                        // The spare now holds the slot. A disk replaced meanwhile becomes
                        // the new spare (it must not be lost: the spare would leak).
                        if disk_back {
                            st.spares += 1;
                            st.on_spare[i] = false;
                        } else {
                            st.on_spare[i] = true;
                        }
                    } else {
                        st.on_spare[i] = false;
                    }
                    self.mark_group(j);
                    self.touch(group);
                }
            }
            Event::RestoreDone { group, token } => {
                let j = group as usize;
                if self.groups[j].token == token && self.groups[j].restoring {
                    self.groups[j].restoring = false;
                    self.groups[j].data_lost = false;
                    self.mark_group(j);
                }
            }
            Event::Reconverged { group } => {
                let j = group as usize;
                let members = &cx.model.groups[j].members;
                for (i, m) in members.iter().enumerate() {
                    let until = self.groups[j].reconverging_until[i];
                    if until > 0.0 && until <= self.now {
                        self.groups[j].reconverging_until[i] = 0.0;
                        self.set_reconverging(m.0, false);
                    }
                }
            }
            Event::Promote { group, member, token } => {
                let (j, i) = (group as usize, member as usize);
                if self.groups[j].token == token && self.groups[j].promote_pending {
                    self.groups[j].promote_pending = false;
                    let active = self.groups[j].active;
                    let m = cx.model.groups[j].members[i];
                    let segment = cx.groups[j].peers_same_segment;
                    let partitioned = match active {
                        Some(a) => {
                            let am = cx.model.groups[j].members[a];
                            self.works(am) && self.works(m) && !self.reach_within(&[am], &[m], false, None, segment)
                        }
                        None => false,
                    };
                    if partitioned {
                        self.groups[j].also_active = Some(i);
                        self.apply_exclusion(j);
                        self.mark_group(j);
                        if cx.groups[j].counts_split_brain {
                            self.groups[j].split_since = Some(self.now);
                            for s in self.services_with_group(j) {
                                self.services[s].record.split_brain_events += 1;
                            }
                        }
                    }
                }
            }
        }
    }

    fn cause(&mut self, e: u32) {
        if self.causes_at != self.now {
            self.causes.clear();
            self.causes_at = self.now;
        }
        self.causes.push(e);
    }

    /// Starts queued repairs while crews are free (first noticed, first repaired).
    fn start_repairs(&mut self) {
        let crews = self.cx.repair_crews.unwrap_or(u32::MAX);
        while self.crews_busy < crews {
            let Some(e) = self.repair_queue.pop_front() else { break };
            self.crews_busy += 1;
            let failure = self.cx.model.elements[e as usize].failure.expect("only failing elements are repaired");
            let repair = sample::exponential(&mut self.rng, failure.mttr_secs);
            self.schedule(self.now + repair, Event::Repair(e));
        }
    }

    /// The member group `j` serves with now, if it has one serving member.
    fn serving(&self, j: usize) -> Option<usize> {
        match self.cx.groups[j].behaviour {
            Behaviour::Switchover => self.groups[j].active,
            _ => self.groups[j].primary,
        }
    }

    /// Waiting in a cold standby: its failure clock is stopped. That holds for the
    /// member and for its host when the host runs nothing else (powered off with it).
    fn cold_standby(&self, e: u32) -> bool {
        let waiting = |j: usize, member: u32| {
            self.cx.groups[j].cold && self.serving(j).map(|i| self.cx.model.groups[j].members[i].0) != Some(member)
        };
        let hosted = &self.cx.cold_hosted[e as usize];
        self.cx.circuit.member_of[e as usize].iter().any(|g| waiting(g.0 as usize, e))
            || (!hosted.is_empty() && hosted.iter().all(|&(j, i)| waiting(j, self.cx.model.groups[j].members[i].0)))
    }

    /// A cold standby that starts serving starts ageing: its next failure is drawn now
    /// (exact for exponential lifetimes, which are memoryless).
    fn wake_cold(&mut self, j: usize) {
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
                if std::mem::replace(&mut self.paused[e as usize], false) {
                    if let Some(f) = self.cx.model.elements[e as usize].failure {
                        let at = self.now + sample::time_to_failure(&mut self.rng, &f);
                        self.schedule(at, Event::Fail(e));
                    }
                }
            }
        }
    }

    /// How long a failure of `e` goes unnoticed: its fastest monitor whose alert is not
    /// lost, else the users.
    fn detection_delay(&mut self, e: u32) -> f64 {
        let cx = self.cx;
        for d in &cx.detectors[e as usize] {
            if !sample::chance(&mut self.rng, d.loss) {
                return d.detect_secs;
            }
        }
        cx.noticed_by_users_secs
    }

    // ---------------------------------------------------------------- propagation

    fn mark(&mut self, node: u32) {
        if !self.in_dirty[node as usize] {
            self.in_dirty[node as usize] = true;
            self.dirty.push(Reverse((self.cx.circuit.rank[node as usize], node)));
        }
    }

    fn mark_group(&mut self, j: usize) {
        self.mark(self.cx.circuit.group_node(crate::model::GroupId(j as u32)));
    }

    fn touch(&mut self, j: u32) {
        if !self.touched[j as usize] {
            self.touched[j as usize] = true;
            self.touched_list.push(j);
        }
    }

    /// Adds (`on`) or removes one reason for `e` to forward no traffic.
    fn set_transit_blocked(&mut self, e: u32, on: bool) {
        if bump(&mut self.transit_blocked[e as usize], on) && self.cx.circuit.networked[e as usize] {
            self.mark(self.cx.circuit.net_node());
        }
    }

    /// Adds or removes one STP domain reconverging `e`: it forwards nothing meanwhile.
    fn set_reconverging(&mut self, e: u32, on: bool) {
        bump(&mut self.reconverging[e as usize], on);
        self.set_transit_blocked(e, on);
    }

    fn propagate(&mut self) {
        let circuit = &self.cx.circuit;
        while let Some(Reverse((_, node))) = self.dirty.pop() {
            if !self.in_dirty[node as usize] {
                continue;
            }
            self.in_dirty[node as usize] = false;
            let c = circuit.component_of[node as usize] as usize;
            if circuit.components[c].len() == 1 {
                let v = self.eval(node);
                if node == circuit.net_node() || v != self.value[node as usize] {
                    self.value[node as usize] = v;
                    self.changed(node);
                }
            } else {
                let members = circuit.components[c].clone();
                for &m in &members {
                    self.in_dirty[m as usize] = false;
                }
                self.solve_component(&members);
            }
        }
    }

    /// Greatest fixpoint over a strongly connected component: start optimistic, knock out.
    fn solve_component(&mut self, members: &[u32]) {
        let old: Vec<bool> = members.iter().map(|&m| self.value[m as usize]).collect();
        for &m in members {
            self.value[m as usize] = match self.cx.circuit.kinds[m as usize] {
                NodeKind::Element(e) => self.up(e),
                _ => true,
            };
        }
        loop {
            let mut changed = false;
            for &m in members {
                let v = self.eval(m);
                if v != self.value[m as usize] {
                    self.value[m as usize] = v;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let c = self.cx.circuit.component_of[members[0] as usize];
        for (k, &m) in members.iter().enumerate() {
            if self.value[m as usize] != old[k] || m == self.cx.circuit.net_node() {
                self.changed_outside(m, c);
            }
        }
    }

    fn changed(&mut self, node: u32) {
        self.changed_outside(node, u32::MAX);
    }

    /// Marks the dependents of a changed node (outside component `c`) and wakes the
    /// groups that watch it.
    fn changed_outside(&mut self, node: u32, c: u32) {
        let circuit = &self.cx.circuit;
        for &d in &circuit.dependents[node as usize] {
            if circuit.component_of[d as usize] != c {
                self.mark(d);
            }
        }
        match circuit.kinds[node as usize] {
            NodeKind::Element(e) => {
                for &g in &circuit.member_of[e as usize] {
                    self.touch(g.0);
                }
                for k in 0..self.watchers[e as usize].len() {
                    self.touch(self.watchers[e as usize][k]);
                }
            }
            NodeKind::Net => self.net_changed = true,
            _ => {}
        }
    }

    fn eval(&mut self, node: u32) -> bool {
        match self.cx.circuit.kinds[node as usize] {
            NodeKind::Element(e) => self.eval_element(e),
            NodeKind::Group(g) => self.eval_group(g as usize),
            NodeKind::Path(p) => {
                let q = &self.cx.circuit.paths[p as usize];
                self.reach(&q.sources, &q.targets, true, None)
            }
            NodeKind::Service(s) => {
                let sn = &self.cx.circuit.services[s as usize];
                self.value[sn.entry as usize]
                    && sn.tiers.iter().all(|&t| self.value[t as usize])
                    && self.chain(s as usize)
            }
            NodeKind::Net => true,
        }
    }

    fn holds(&self, e: &Expr) -> bool {
        match e {
            Expr::True => true,
            Expr::Node(x) => self.value[*x as usize],
            Expr::All(of) => of.iter().all(|x| self.holds(x)),
            Expr::AtLeast(k, of) => of.iter().filter(|x| self.holds(x)).count() >= *k as usize,
        }
    }

    fn eval_element(&mut self, e: u32) -> bool {
        if !self.up(e) {
            return false;
        }
        let i = e as usize;
        if self.holds(&self.cx.circuit.element_needs[i]) {
            if self.battery_since[i].take().is_some() {
                self.battery_token[i] += 1;
            }
            return true;
        }
        // A UPS rides through a lost input on its battery.
        let runtime = self.cx.battery_secs[i];
        if runtime <= 0.0 {
            return false;
        }
        match self.battery_since[i] {
            None => {
                self.battery_since[i] = Some(self.now);
                self.battery_cause[i] = (self.causes_at == self.now).then(|| self.causes.first().copied()).flatten();
                self.battery_token[i] += 1;
                let token = self.battery_token[i];
                self.schedule(self.now + runtime, Event::BatteryEmpty { element: e, token });
                true
            }
            Some(since) => self.now < since + runtime,
        }
    }

    /// docs/SEMANTICS.md §4: a chain of eligible members through the service's tiers,
    /// each reached from the previous one's member (the entry first).
    fn chain(&mut self, s: usize) -> bool {
        let cx = self.cx;
        let sn = &cx.circuit.services[s];
        let entry = ElementId(sn.entry);
        if !self.carries(entry) {
            return false;
        }
        let mut ends = vec![entry];
        for (members, group) in &sn.chain {
            let eligible: Vec<ElementId> = members
                .iter()
                .enumerate()
                .filter(|&(i, &m)| match group {
                    Some(g) => self.eligible(g.0 as usize, i),
                    None => self.carries(m) && self.standby_in[m.0 as usize] == 0,
                })
                .map(|(_, &m)| m)
                .collect();
            let reached = self.reach_each(&ends, &eligible);
            ends = eligible.into_iter().zip(reached).filter(|x| x.1).map(|x| x.0).collect();
            if ends.is_empty() {
                return false;
            }
        }
        true
    }

    /// Member `i` of group `j` may carry the tier now: it works, this group does not hold
    /// it as standby (other groups' roles do not matter: a router backup for one VLAN
    /// is master for another), it is not reconverging and, under vote quorum, its
    /// partition holds a majority.
    fn eligible(&mut self, j: usize, i: usize) -> bool {
        let m = self.cx.model.groups[j].members[i];
        self.works(m) && !self.groups[j].excluding[i] && self.reconverging[m.0 as usize] == 0 && self.has_majority(j, i)
    }

    /// docs/SEMANTICS.md §3: the votes member `i`'s node can count in its partition (its
    /// own node, the voting nodes it reaches, the device if reached) exceed half.
    fn has_majority(&mut self, j: usize, i: usize) -> bool {
        let Some(votes) = &self.cx.groups[j].votes else { return true };
        let mine = votes.nodes[votes.node_of_member[i]];
        let mut count = 0;
        for &node in votes.nodes.iter().chain(&votes.device) {
            if self.works(node) && (node == mine || self.communicates(mine, node)) {
                count += 1;
            }
        }
        count >= votes.majority()
    }

    /// `Comm(x, y)`: a working path, or either is off the network.
    fn communicates(&mut self, x: ElementId, y: ElementId) -> bool {
        let circuit = &self.cx.circuit;
        let on_network = |e: ElementId| {
            circuit.closures[e.0 as usize].iter().any(|v| !circuit.net.adjacency[v.0 as usize].is_empty())
        };
        !on_network(x) || !on_network(y) || self.reach(&[x], &[y], false, None)
    }

    fn eval_group(&mut self, j: usize) -> bool {
        let cx = self.cx;
        let p = &cx.groups[j];
        let group = &cx.model.groups[j];
        if !self.holds(&cx.circuit.group_needs[j]) {
            return false;
        }
        let working = group.members.iter().filter(|&&m| self.works(m)).count();
        let st = &self.groups[j];
        match p.behaviour {
            Behaviour::Switchover => {
                let actives: Vec<usize> = [st.active, st.also_active].iter().flatten().copied().collect();
                !st.window && actives.into_iter().any(|a| self.works(group.members[a]) && self.has_majority(j, a))
            }
            Behaviour::Primary if p.votes.is_some() => (0..group.members.len()).any(|i| self.eligible(j, i)),
            Behaviour::Primary => working >= 1,
            Behaviour::Share => working >= 1,
            Behaviour::Absorb | Behaviour::Reconverge => working >= p.need,
            Behaviour::Rebuild => {
                !st.data_lost
                    && group
                        .members
                        .iter()
                        .enumerate()
                        .filter(|&(i, &m)| st.slot_ok[i] && (st.on_spare[i] || self.works(m)))
                        .count()
                        >= p.need
            }
        }
    }

    /// Some carrying source reaches some carrying target, crossing only forwarding
    /// devices. `honour_exclusion: false` lets standby members take part (heartbeats,
    /// path detectors); `force` counts one element as carrying.
    fn reach(
        &mut self,
        sources: &[ElementId],
        targets: &[ElementId],
        honour_exclusion: bool,
        force: Option<ElementId>,
    ) -> bool {
        self.reach_within(sources, targets, honour_exclusion, force, false)
    }

    /// Per target: whether some source reaches it (docs/SEMANTICS.md §2). Sources and
    /// targets were found eligible for their tiers; only what lies between must carry.
    fn reach_each(&mut self, sources: &[ElementId], targets: &[ElementId]) -> Vec<bool> {
        // Few targets per tier: one search per target keeps the early exit.
        targets.iter().map(|&b| self.reach_from(sources, &[b], true, None, false, true)).collect()
    }

    /// [`Self::reach`], optionally forwarding through switches only (one L2 segment).
    fn reach_within(
        &mut self,
        sources: &[ElementId],
        targets: &[ElementId],
        honour_exclusion: bool,
        force: Option<ElementId>,
        segment: bool,
    ) -> bool {
        self.reach_from(sources, targets, honour_exclusion, force, segment, false)
    }

    /// The search behind every reach query; `anchors_eligible`: the sources and targets
    /// themselves need only work (their tier's eligibility was checked by the caller).
    fn reach_from(
        &mut self,
        sources: &[ElementId],
        targets: &[ElementId],
        honour_exclusion: bool,
        force: Option<ElementId>,
        segment: bool,
        anchors_eligible: bool,
    ) -> bool {
        let circuit = &self.cx.circuit;
        let inside = self.in_data_centre;
        let forwards = |u: usize| {
            circuit.net.forwarding[u] && (!segment || circuit.net.switching[u]) && !(inside && circuit.entry[u])
        };
        let ok = |s: &Self, e: ElementId| {
            Some(e) == force && s.works(e)
                || anchors_eligible && (sources.contains(&e) || targets.contains(&e)) && s.works(e)
                || if honour_exclusion { s.carries(e) } else { s.works(e) }
        };
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.source_mark.fill(0);
            self.target_mark.fill(0);
            self.reached_mark.fill(0);
            self.stamp = 1;
        }
        let stamp = self.stamp;
        let mut queue = std::mem::take(&mut self.queue_scratch);
        queue.clear();
        for &b in targets {
            if ok(self, b) {
                for v in &circuit.closures[b.0 as usize] {
                    self.target_mark[v.0 as usize] = stamp;
                }
            }
        }
        for &a in sources {
            if !ok(self, a) {
                continue;
            }
            for &v in &circuit.closures[a.0 as usize] {
                let vi = v.0 as usize;
                self.source_mark[vi] = stamp;
                if ok(self, v) && self.reached_mark[vi] != stamp {
                    if self.target_mark[vi] == stamp {
                        self.queue_scratch = queue;
                        return true;
                    }
                    self.reached_mark[vi] = stamp;
                    queue.push(v.0);
                }
            }
        }
        let mut head = 0;
        let mut found = false;
        'bfs: while head < queue.len() {
            let u = queue[head] as usize;
            head += 1;
            if !(forwards(u) || self.source_mark[u] == stamp) {
                continue;
            }
            for &(w, link) in &circuit.net.adjacency[u] {
                let wi = w.0 as usize;
                if self.reached_mark[wi] != stamp
                    && ok(self, w)
                    && self.works(link)
                    && (forwards(wi) || self.target_mark[wi] == stamp)
                {
                    if self.target_mark[wi] == stamp {
                        found = true;
                        break 'bfs;
                    }
                    self.reached_mark[wi] = stamp;
                    queue.push(w.0);
                }
            }
        }
        self.queue_scratch = queue;
        found
    }

    // ---------------------------------------------------------------- reactions

    fn settle(&mut self) {
        for _ in 0..256 {
            self.propagate();
            if std::mem::take(&mut self.net_changed) {
                for k in 0..self.net_watchers.len() {
                    self.touch(self.net_watchers[k]);
                }
            }
            if self.touched_list.is_empty() {
                break;
            }
            let touched = std::mem::take(&mut self.touched_list);
            for &j in &touched {
                self.touched[j as usize] = false;
            }
            for j in touched {
                self.react(j as usize);
            }
        }
    }

    fn react(&mut self, j: usize) {
        match self.cx.groups[j].behaviour {
            Behaviour::Switchover => self.react_switchover(j),
            Behaviour::Share => self.react_share(j),
            Behaviour::Rebuild => self.react_rebuild(j),
            Behaviour::Reconverge => self.react_reconverge(j),
            Behaviour::Primary => self.react_primary(j),
            Behaviour::Absorb => {}
        }
        let working: Vec<bool> = self.cx.model.groups[j].members.iter().map(|&m| self.works(m)).collect();
        self.groups[j].was_working = working;
    }

    /// Whether the group's detector sees member `i` as healthy. Peers judge the active
    /// member by its adverts; a standby judges itself, so it stands in when it hears nothing.
    fn seen_ok(&mut self, j: usize, i: usize) -> bool {
        let cx = self.cx;
        let m = cx.model.groups[j].members[i];
        match &cx.groups[j].sees {
            Visibility::Peers if self.groups[j].active == Some(i) => self.works(m) && self.peers_hear(j, m),
            Visibility::Peers => self.works(m),
            Visibility::Nothing => true,
            Visibility::LocalLink => {
                self.works(m) && cx.groups[j].local_links[i].iter().all(|&(l, far)| self.works(l) && self.works(far))
            }
            Visibility::PathTo(t) => self.works(m) && self.reach(&[m], &[*t], true, Some(m)),
        }
    }

    /// Adverts and heartbeats cross the network: peers that cannot hear a member take
    /// it for dead even if it runs (a member with no working peer is not judged).
    fn peers_hear(&mut self, j: usize, m: ElementId) -> bool {
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
        let segment = self.cx.groups[j].peers_same_segment;
        peers.is_empty() || self.reach_within(&[m], &peers, false, None, segment)
    }

    /// `m` (or what it is attached to) has a working link to a working forwarding device
    /// from a working port (its NIC).
    fn attached(&self, m: ElementId) -> bool {
        let circuit = &self.cx.circuit;
        circuit.closures[m.0 as usize].iter().any(|x| {
            self.works(*x)
                && circuit.net.adjacency[x.0 as usize]
                    .iter()
                    .any(|&(far, link)| self.works(link) && self.works(far) && circuit.net.forwarding[far.0 as usize])
        })
    }

    /// The standby that promotes itself when the active goes silent: every cut-off
    /// standby would, but only one that still reaches the network can serve, so prefer
    /// a standby with a working link to a working forwarding device.
    fn promote_candidate(&mut self, j: usize, active: usize) -> Option<usize> {
        let members = &self.cx.model.groups[j].members;
        let attached = |s: &Self, m: ElementId| s.attached(m);
        let fenced = self.groups[j].fenced;
        let candidates: Vec<usize> = (0..members.len())
            .filter(|&i| i != active && Some(i) != fenced && self.works(members[i]) && self.seen_ok(j, i))
            .collect();
        candidates.iter().copied().find(|&i| attached(self, members[i])).or(candidates.first().copied())
    }

    fn first_ok(&mut self, j: usize, except: Option<usize>) -> Option<usize> {
        let n = self.cx.model.groups[j].members.len();
        let fenced = self.groups[j].fenced;
        (0..n).find(|&i| {
            Some(i) != except
                && Some(i) != fenced
                && self.works(self.cx.model.groups[j].members[i])
                && self.seen_ok(j, i)
        })
    }

    /// Standby members (and every member during a switchover) carry no traffic.
    fn apply_exclusion(&mut self, j: usize) {
        // Which member carries changes the chain of the services passing through.
        for k in 0..self.cx.circuit.tier_services[j].len() {
            self.mark(self.cx.circuit.tier_services[j][k]);
        }
        let members = &self.cx.model.groups[j].members;
        let blocks_transit = self.cx.groups[j].blocks_transit;
        for (i, m) in members.iter().enumerate() {
            let st = &self.groups[j];
            let want = st.window || (st.active != Some(i) && st.also_active != Some(i));
            if want != st.excluding[i] {
                self.groups[j].excluding[i] = want;
                if bump(&mut self.standby_in[m.0 as usize], want) {
                    // Services naming the member itself as a tier.
                    self.mark(self.cx.circuit.net_node());
                }
                if blocks_transit {
                    self.set_transit_blocked(m.0, want);
                }
            }
        }
    }

    fn set_active(&mut self, j: usize, active: Option<usize>) {
        self.groups[j].active = active;
        self.apply_exclusion(j);
        self.mark_group(j);
        self.wake_cold(j);
    }

    fn begin_window(&mut self, j: usize, target: usize, delay: f64) {
        if delay <= 0.0 {
            self.set_active(j, Some(target));
            return;
        }
        let st = &mut self.groups[j];
        st.active = None;
        st.window = true;
        st.window_from = None;
        st.switching_to = Some(target);
        st.token += 1;
        let token = st.token;
        self.apply_exclusion(j);
        self.mark_group(j);
        self.schedule(self.now + delay, Event::SwitchDone { group: j as u32, token });
    }

    fn react_switchover(&mut self, j: usize) {
        let p = &self.cx.groups[j];
        if self.groups[j].window {
            // Still detecting, and the active is back (a stall shorter than the
            // deadtime, such as a 5 s multipath switch): no failover after all.
            if let Some(a) = self.groups[j].window_from {
                if self.now < self.groups[j].detect_until && self.seen_ok(j, a) {
                    let st = &mut self.groups[j];
                    st.window = false;
                    st.switching_to = None;
                    st.window_from = None;
                    st.token += 1;
                    self.set_active(j, Some(a));
                }
            }
            return;
        }
        let members = &self.cx.model.groups[j].members;
        if let (Some(f), Some(a)) = (self.groups[j].fenced, self.groups[j].active) {
            if !self.works(members[f]) || self.reach(&[members[a]], &[members[f]], false, None) {
                self.groups[j].fenced = None;
            }
        }
        match self.groups[j].active {
            Some(a) => {
                if let Some(b) = self.groups[j].also_active {
                    // A partition: heal when the two hear each other again, or keep the
                    // survivor when one of them dies.
                    let (am, bm) = (members[a], members[b]);
                    let segment = p.peers_same_segment;
                    let healed =
                        !self.works(am) || !self.works(bm) || self.reach_within(&[am], &[bm], false, None, segment);
                    if healed {
                        self.end_split(j);
                        self.groups[j].also_active = None;
                        // A database cluster keeps the copy it promoted (the deposed
                        // primary rejoins as its replica, as Patroni and orchestrator do);
                        // gateways keep the preferred master (the higher VRRP priority).
                        let keep = if p.counts_split_brain {
                            if self.works(bm) || !self.works(am) {
                                b
                            } else {
                                a
                            }
                        } else if self.works(am) || !self.works(bm) {
                            a
                        } else {
                            b
                        };
                        self.set_active(j, Some(keep));
                    }
                    return;
                }
                let works = self.works(members[a]);
                if works && p.sees == Visibility::Peers && p.peers_networked && !self.peers_hear(j, members[a]) {
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
                            let delay = p.detect_secs + p.takeover_secs.max(p.dr_rto_secs[t]);
                            self.groups[j].fenced = Some(a);
                            self.begin_window(j, t, delay);
                        }
                    } else if !self.groups[j].promote_pending {
                        if let Some(t) = self.promote_candidate(j, a) {
                            let st = &mut self.groups[j];
                            st.promote_pending = true;
                            st.token += 1;
                            let token = st.token;
                            let at = self.now + p.detect_secs + p.takeover_secs.max(p.dr_rto_secs[t]);
                            self.schedule(at, Event::Promote { group: j as u32, member: t as u32, token });
                        }
                    }
                    return;
                }
                if self.groups[j].promote_pending {
                    self.groups[j].promote_pending = false;
                }
                if !self.seen_ok(j, a) {
                    match self.first_ok(j, Some(a)) {
                        Some(t) => {
                            let delay = p.detect_secs + p.takeover_secs.max(p.dr_rto_secs[t]);
                            self.begin_window(j, t, delay);
                            if self.groups[j].window {
                                let st = &mut self.groups[j];
                                st.window_from = Some(a);
                                st.detect_until = self.now + p.detect_secs;
                            }
                        }
                        None if !works => {
                            // Nobody to take over: the role waits. The member that held
                            // it keeps it if it is back within the detection time.
                            let st = &mut self.groups[j];
                            st.window_from = Some(a);
                            st.detect_until = self.now + p.detect_secs;
                            self.set_active(j, None);
                        }
                        None => {}
                    }
                } else if p.preempt {
                    if let Some(better) = (0..a).find(|&i| self.works(members[i])) {
                        self.set_active(j, Some(better));
                    }
                }
            }
            None => {
                if let Some(t) = self.first_ok(j, None) {
                    let back_in_time = self.groups[j].window_from == Some(t) && self.now < self.groups[j].detect_until;
                    if back_in_time {
                        self.groups[j].window_from = None;
                        self.set_active(j, Some(t));
                        return;
                    }
                    let delay = p.takeover_secs.max(p.dr_rto_secs[t]);
                    self.begin_window(j, t, delay);
                }
            }
        }
    }

    fn end_split(&mut self, j: usize) {
        if let Some(since) = self.groups[j].split_since.take() {
            let secs = self.now - since;
            for s in self.services_with_group(j) {
                self.services[s].record.split_brain_secs += secs;
            }
        }
    }

    /// Member `i` of share group `j` works and whoever checks it reaches it (a backend
    /// the active balancer cannot reach fails its health checks).
    fn healthy(&mut self, j: usize, i: usize) -> bool {
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
    fn checks_reach(&mut self, checkers: &[ElementId], target: ElementId) -> bool {
        self.in_data_centre = true;
        let found = self.reach(checkers, &[target], true, None);
        self.in_data_centre = false;
        found
    }

    fn react_share(&mut self, j: usize) {
        let cx = self.cx;
        let p = &cx.groups[j];
        let members = &cx.model.groups[j].members;
        for i in 0..members.len() {
            let works = self.healthy(j, i);
            self.groups[j].healthy[i] = works;
            let was = self.groups[j].was_working[i];
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

    fn react_rebuild(&mut self, j: usize) {
        let cx = self.cx;
        let p = &cx.groups[j];
        let members = &cx.model.groups[j].members;
        let mut changed = false;
        for (i, &m) in members.iter().enumerate() {
            let up = self.up(m.0);
            let works = self.works(m);
            let st = &mut self.groups[j];
            if !up && st.slot_ok[i] && !st.on_spare[i] {
                // The disk and its data are gone; a hot spare takes its place at once.
                st.slot_ok[i] = false;
                changed = true;
                if st.spares > 0 {
                    st.spares -= 1;
                    st.rebuilding[i] = true;
                    st.onto_spare[i] = true;
                    let token = st.token;
                    self.schedule(
                        self.now + p.rebuild_secs,
                        Event::SlotRebuilt { group: j as u32, member: i as u32, token },
                    );
                }
            } else if up && st.on_spare[i] {
                // The replaced disk comes back as the new spare.
                st.on_spare[i] = false;
                st.spares += 1;
            } else if up && works && !st.slot_ok[i] && !st.rebuilding[i] {
                // (A rebuild needs the disk powered and its site standing.)
                st.rebuilding[i] = true;
                let token = st.token;
                self.schedule(
                    self.now + p.rebuild_secs,
                    Event::SlotRebuilt { group: j as u32, member: i as u32, token },
                );
            }
        }
        let st = &mut self.groups[j];
        let ok_slots = st.slot_ok.iter().filter(|x| **x).count();
        if ok_slots < p.need && !st.data_lost {
            st.data_lost = true;
            changed = true;
            self.restore_from_backup(j, None);
        }
        let st = &mut self.groups[j];
        if st.data_lost && !st.restoring && ok_slots >= p.need {
            // The shared token stays: bumping it would orphan rebuilds still running.
            st.restoring = true;
            let token = st.token;
            let restore = p.backup.map_or(0.0, |b| b.restore_secs);
            self.schedule(self.now + restore, Event::RestoreDone { group: j as u32, token });
        }
        if changed {
            self.mark_group(j);
        }
    }

    fn elect_root(&self, j: usize) -> Option<usize> {
        let members = &self.cx.model.groups[j].members;
        let configured = self.cx.groups[j].stp.as_ref().map_or(0, |s| s.root);
        if self.works(members[configured]) {
            return Some(configured);
        }
        (0..members.len()).find(|&i| self.works(members[i]))
    }

    fn ports_of(&self, j: usize, root: Option<usize>) -> Vec<RootPort> {
        let members = &self.cx.model.groups[j].members;
        let stp = self.cx.groups[j].stp.as_ref().expect("STP group");
        root_ports(members.len(), root, &stp.links, |i| self.works(members[i]), |l| self.works(l))
    }

    /// Member `i`'s path to the root in the tree before this change still works.
    fn old_path_works(&self, j: usize, i: usize) -> bool {
        let members = &self.cx.model.groups[j].members;
        let Some(stp) = &self.cx.groups[j].stp else { return false };
        let ports = &self.groups[j].ports;
        let mut at = i;
        for _ in 0..members.len() {
            match ports[at] {
                RootPort::Root => return true,
                RootPort::Isolated => return false,
                RootPort::Via(l) => {
                    let Some(&(a, b, _)) = stp.links.iter().find(|x| x.2 == l) else { return false };
                    at = if a == at { b } else { a };
                    if !self.works(l) || !self.works(members[at]) {
                        return false;
                    }
                }
            }
        }
        false
    }

    fn react_reconverge(&mut self, j: usize) {
        let cx = self.cx;
        let Some(stp) = &cx.groups[j].stp else { return };
        let members = &cx.model.groups[j].members;
        let root = self.elect_root(j);
        let ports = self.ports_of(j, root);
        let old_root = self.groups[j].root;
        let mut latest: f64 = 0.0;
        for i in 0..members.len() {
            let (old, new) = (self.groups[j].ports[i], ports[i]);
            if old == new || new == RootPort::Isolated || !self.works(members[i]) {
                continue;
            }
            // IEEE 802.1D §8.6.2.2 (BackboneFast notes: "max_age plus two times forward
            // delay"). A switch moves after listening + learning (direct) when it gets
            // better information at once: its root port died and it has an alternate
            // (a blocked port of its own, towards the root), or its old path still works
            // and a better one appeared (a repair). It waits max_age first (indirect)
            // when it must age out stale information: the root died, or its path broke
            // and it has no alternate, or the break was upstream.
            let root_died = old_root != root && old_root.is_some_and(|r| !self.works(members[r]));
            let old_ports = &self.groups[j].ports;
            let direct = match old {
                RootPort::Via(l) if !self.works(l) => {
                    // Its own root port died: an alternate is a link that was no switch's
                    // root port (so its far end does not hang below this switch).
                    matches!(new, RootPort::Via(nl) if !old_ports.contains(&RootPort::Via(nl)))
                }
                RootPort::Via(_) => self.old_path_works(j, i),
                _ => true,
            };
            let cost = if root_died || !direct { stp.indirect_secs } else { stp.direct_secs };
            if cost <= 0.0 {
                continue;
            }
            let until = self.now + cost;
            if self.groups[j].reconverging_until[i] == 0.0 {
                self.set_reconverging(members[i].0, true);
            }
            let st = &mut self.groups[j];
            st.reconverging_until[i] = st.reconverging_until[i].max(until);
            latest = latest.max(until);
        }
        let st = &mut self.groups[j];
        st.ports = ports;
        st.root = root;
        if latest > 0.0 {
            self.schedule(latest, Event::Reconverged { group: j as u32 });
        }
    }

    /// The first working member serves; what a change of primary loses is the data
    /// sets' business ([`Self::react_data`]).
    fn react_primary(&mut self, j: usize) {
        let members = &self.cx.model.groups[j].members;
        let primary = (0..members.len()).find(|&i| self.works(members[i]));
        self.groups[j].primary = primary;
        self.wake_cold(j);
    }

    /// Group `j` comes back from its last backup run that succeeded: the data since then
    /// is lost for every service that uses the group. With no backup, or one stored at a
    /// site that is down (or, after a site disaster, anywhere not named), all is lost.
    fn restore_from_backup(&mut self, j: usize, disaster: Option<u32>) {
        let services = self.services_with_group(j);
        let standing = |s: &Self, site: ElementId| s.up(site.0);
        let loss = match self.cx.groups[j].backup {
            Some(b) if disaster.is_none() && b.stored_at.is_none_or(|site| standing(self, site)) => {
                Loss::Secs(b.since_last_good(self.now, &mut self.rng))
            }
            Some(b) if disaster.is_some() && b.stored_at.is_some_and(|site| standing(self, site)) => {
                Loss::Secs(b.since_last_good(self.now, &mut self.rng))
            }
            _ => Loss::All,
        };
        self.record_loss(&services, loss);
    }

    /// One data-loss (RPO) event for each of `services`.
    fn record_loss(&mut self, services: &[usize], loss: Loss) {
        match loss {
            Loss::Secs(secs) => self.record_data_loss(services, secs),
            Loss::All => {
                for &s in services {
                    let r = &mut self.services[s].record;
                    r.rpo_events += 1;
                    r.total_losses += 1;
                }
            }
        }
    }

    // ---------------------------------------------------------------- data

    /// Each data set's primary follows its copies ([`super::data::react`]).
    fn react_data(&mut self) {
        let cx = self.cx;
        for d in 0..cx.data_sets.len() {
            let set = &cx.data_sets[d];
            let promoted = cx.data_choosers[d].iter().find_map(|&(j, i, k)| {
                let st = &self.groups[j];
                (st.also_active == Some(i) || (st.also_active.is_none() && st.active == Some(i))).then_some(k)
            });
            let works: Vec<bool> = set.copies.iter().map(|&c| self.works(c)).collect();
            // Only the backup's storage site is ever asked about.
            let storage_up = set.backup.and_then(|b| b.stored_at).is_some_and(|s| self.up(s.0));
            let mut state = std::mem::take(&mut self.data[d]);
            let loss =
                super::data::react(set, &mut state, &|i| works[i], promoted, &|_| storage_up, self.now, &mut self.rng);
            self.data[d] = state;
            if let Some(loss) = loss {
                let services = cx.data_services[d].clone();
                self.record_loss(&services, loss);
            }
        }
    }

    /// A site goes down (`down`) or comes back: copies and RAID disks held there are
    /// destroyed, or rebuilt from the primary.
    fn site_event(&mut self, site: u32, down: bool) {
        let cx = self.cx;
        if !cx.holds_data[site as usize] {
            return;
        }
        let site_id = ElementId(site);
        for d in 0..cx.data_sets.len() {
            if down {
                super::data::destroy_at(&cx.data_sets[d], &mut self.data[d], site_id);
            } else {
                super::data::rebuild_at(&cx.data_sets[d], &mut self.data[d], site_id);
            }
        }
        if !down {
            return;
        }
        for j in 0..cx.raid_sites.len() {
            if !cx.raid_sites[j].contains(&site_id) {
                continue;
            }
            // Every disk at the site is gone with its data, spares included.
            let members = &cx.model.groups[j].members;
            let st = &mut self.groups[j];
            let mut hit = false;
            for (i, &m) in members.iter().enumerate() {
                if super::data::site_of(cx.model, m) == Some(site_id) {
                    st.slot_ok[i] = false;
                    st.on_spare[i] = false;
                    st.rebuilding[i] = false;
                    st.onto_spare[i] = false;
                    hit = true;
                }
            }
            if hit {
                st.spares = 0;
                st.token += 1;
                let need = cx.groups[j].need;
                if st.slot_ok.iter().filter(|x| **x).count() < need && !st.data_lost {
                    st.data_lost = true;
                    // A database at the site records the loss through its data set.
                    let counted = cx.data_sets.iter().any(|set| set.sites.contains(&Some(site_id)));
                    if !counted {
                        self.restore_from_backup(j, Some(site));
                    }
                }
                self.mark_group(j);
                self.touch(j as u32);
            }
        }
    }

    /// One data-loss (RPO) event of `lost_secs` for each of `services`.
    fn record_data_loss(&mut self, services: &[usize], lost_secs: f64) {
        for &s in services {
            let r = &mut self.services[s].record;
            r.rpo_events += 1;
            r.data_lost_secs += lost_secs;
            r.max_data_lost_secs = r.max_data_lost_secs.max(lost_secs);
        }
    }

    fn services_with_group(&self, j: usize) -> Vec<usize> {
        let g = crate::model::GroupId(j as u32);
        (0..self.services.len()).filter(|&s| self.cx.circuit.service_groups[s].contains(&g)).collect()
    }

    // ---------------------------------------------------------------- accounting

    /// The share of requests service `s` serves now.
    fn service_fraction(&self, s: usize) -> f64 {
        let circuit = &self.cx.circuit;
        if !self.value[circuit.service_node(s)] {
            return 0.0;
        }
        let mut f = 1.0;
        for g in &circuit.service_groups[s] {
            let j = g.0 as usize;
            if self.cx.groups[j].behaviour != Behaviour::Share {
                continue;
            }
            let members = &self.cx.model.groups[j].members;
            let st = &self.groups[j];
            let rotation = st.in_rotation.iter().filter(|x| **x).count();
            let serving = (0..members.len()).filter(|&i| st.in_rotation[i] && st.healthy[i]).count();
            let working = st.healthy.iter().filter(|h| **h).count();
            if rotation == 0 {
                return 0.0;
            }
            let need = self.cx.groups[j].need.max(1);
            // Requests to members still in rotation but dead fail; what is left is capped
            // by the capacity of the working members.
            f *= (serving as f64 / rotation as f64).min(working as f64 / need as f64);
        }
        f
    }

    /// What keeps service `s` down now, for attribution.
    fn mechanism(&self, s: usize) -> String {
        let cx = self.cx;
        for g in &cx.circuit.service_groups[s] {
            let j = g.0 as usize;
            let st = &self.groups[j];
            let kind = cx.model.groups[j].kind;
            match cx.groups[j].behaviour {
                Behaviour::Switchover if st.window || st.promote_pending => return format!("{kind} failover"),
                Behaviour::Switchover
                    if st.active.is_some_and(|a| !self.works(cx.model.groups[j].members[a]))
                        && cx.model.groups[j].members.iter().any(|&m| self.works(m)) =>
                {
                    return format!("{kind} blind spot");
                }
                Behaviour::Rebuild if st.data_lost && st.restoring => return "restore from backup".into(),
                _ => {}
            }
        }
        // Network failovers (bonds, gateways, multipath) reach services through paths,
        // not needs: groups no service needs directly, whose standby forwards nothing.
        // Prefer one whose members are in this service's cone (its own bond), then any
        // (a gateway pair on the path). A group nothing uses is never to blame.
        let failing_over = |j: usize| {
            let st = &self.groups[j];
            cx.groups[j].behaviour == Behaviour::Switchover
                && cx.groups[j].blocks_transit
                && (st.window || st.promote_pending)
                && !cx.circuit.needed[j]
        };
        let near = &cx.circuit.service_near_groups[s];
        let own = |j: &usize| near[*j];
        let mut network = (0..cx.groups.len()).filter(|&j| failing_over(j));
        let chosen = network.clone().find(own).or_else(|| network.find(|j| !cx.groups[*j].host_local));
        if let Some(j) = chosen {
            return format!("{} failover", cx.model.groups[j].kind);
        }
        // A reconverging domain this service hangs on, else any (its traffic may cross it).
        let reconverging =
            |j: &usize| cx.groups[*j].stp.is_some() && self.groups[*j].reconverging_until.iter().any(|&u| u > self.now);
        let mut domains = (0..cx.groups.len()).filter(reconverging);
        if let Some(j) = domains.clone().find(own).or_else(|| domains.next()) {
            let mode = cx.groups[j].stp.as_ref().map_or("stp", |stp| stp.mode);
            return format!("{mode} reconvergence");
        }
        // A UPS in the service's cone ran out of battery: the outage is its input's,
        // beyond what the battery bridges.
        let cone = &cx.circuit.service_elements[s];
        let drained = (0..cx.model.elements.len()).find(|&e| {
            cone[e]
                && self.battery_since[e].is_some_and(|since| self.now >= since + cx.battery_secs[e])
                && !self.value[e]
        });
        if let Some(e) = drained {
            return format!("beyond {} battery", cx.model.elements[e].name);
        }
        "repair".into()
    }

    /// Accounts the time from the last instant to `t` at the current fractions.
    fn advance(&mut self, t: f64) {
        let t = t.min(self.horizon);
        if t <= self.now {
            return;
        }
        let from = self.now;
        for track in &mut self.services {
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
            let r = &mut track.record;
            if f < 1.0 {
                r.lost_request_secs += (1.0 - f) * dt;
                let mut a = from;
                while a < t {
                    let year = ((a / YEAR_SECS) as usize).min(r.down_secs_by_year.len().saturating_sub(1));
                    let end = (((year + 1) as f64) * YEAR_SECS).min(t);
                    let end = if end <= a { t } else { end };
                    r.not_full_secs_by_year[year] += end - a;
                    if f == 0.0 {
                        r.down_secs_by_year[year] += end - a;
                    }
                    a = end;
                }
                if f > 0.0 {
                    r.degraded_secs += dt;
                }
            }
        }
        self.now = t;
    }

    /// The served fraction of service `s` and, below 1, the mechanism holding it back.
    fn service_state(&self, s: usize) -> (f64, String) {
        let f = self.service_fraction(s);
        let mechanism = if f == 0.0 {
            self.mechanism(s)
        } else if f < 1.0 {
            self.mechanism_degraded(s)
        } else {
            String::new()
        };
        (f, mechanism)
    }

    fn observe(&mut self) {
        for s in 0..self.services.len() {
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
                // The instant's first change inside the service's own dependencies, else the last.
                let cone = &self.cx.circuit.service_elements[s];
                let cause = self
                    .causes
                    .iter()
                    .find(|&&e| cone[e as usize])
                    .or(self.causes.last())
                    .map_or("unknown".to_string(), |&e| self.cx.model.elements[e as usize].name.clone());
                self.services[s].outage = Some((self.now, cause));
            }
            let track = &mut self.services[s];
            track.fraction = f;
            track.mechanism = mechanism;
            track.since = self.now;
        }
    }

    fn push_interval(&mut self, s: usize) {
        let track = &self.services[s];
        // Random runs keep the first year (for the timeline plot); drill runs keep all.
        let kept = !self.cx.options.random_failures || track.since < YEAR_SECS;
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

    fn mechanism_degraded(&self, s: usize) -> String {
        for g in &self.cx.circuit.service_groups[s] {
            let j = g.0 as usize;
            if self.cx.groups[j].behaviour == Behaviour::Share {
                let st = &self.groups[j];
                let members = &self.cx.model.groups[j].members;
                if (0..members.len()).any(|i| st.in_rotation[i] && !st.healthy[i]) {
                    let kind = self.cx.model.groups[j].kind;
                    return match self.cx.groups[j].sees {
                        Visibility::Nothing => format!("{kind} serves a dead address"),
                        _ => format!("{kind} detection"),
                    };
                }
                if st.healthy.iter().any(|h| !h) {
                    return format!("{} capacity", self.cx.model.groups[j].kind);
                }
            }
        }
        "partial".into()
    }

    /// Closes the open outage; it is counted under the mechanism that held it longest.
    fn end_outage(&mut self, s: usize) {
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

    fn finish(mut self) -> ReplicationRecord {
        for s in 0..self.services.len() {
            if self.record_timeline {
                self.push_interval(s);
            }
            if self.services[s].fraction == 0.0 {
                self.end_outage(s);
            }
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

/// Counts one reason up or down; true when the count crossed zero.
fn bump(count: &mut u32, on: bool) -> bool {
    let was = *count > 0;
    if on {
        *count += 1;
    } else {
        *count -= 1;
    }
    was != (*count > 0)
}

/// Per-service record with the year vectors sized.
pub fn empty_service_record(years: u32) -> ServiceRecord {
    ServiceRecord {
        down_secs_by_year: vec![0.0; years.max(1) as usize],
        not_full_secs_by_year: vec![0.0; years.max(1) as usize],
        outage_histogram: vec![0; super::record::OUTAGE_BINS.len() + 1],
        attribution: BTreeMap::new(),
        ..ServiceRecord::default()
    }
}
