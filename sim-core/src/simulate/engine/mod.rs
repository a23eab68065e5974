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

use crate::model::{ElementId, Visibility};
use crate::simulate::circuit::{Expr, NodeKind};
use crate::simulate::params::Compiled;
use crate::simulate::record::{Interval, ReplicationRecord, ServiceRecord};
use crate::simulate::sample;
use crate::simulate::{Behaviour, YEAR_SECS};

mod account;
mod chain;
mod cycles;
mod reach;

#[derive(Clone, Copy, Debug)]
pub(in crate::simulate) enum Event {
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
    /// A device's boot after a power loss ended.
    Restarted {
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
    /// A healthy member passed its `rise` checks: back in the rotation.
    BackInRotation {
        group: u32,
        member: u32,
        token: u32,
    },
    SlotRebuilt {
        group: u32,
        member: u32,
        token: u32,
        serial: u32,
    },
    /// The hot spare holding RAID slot `member` failed (`behaviours::rebuild`).
    SpareFailed {
        group: u32,
        member: u32,
        token: u32,
    },
    /// One of a RAID group's idle hot spares failed (`behaviours::rebuild`).
    IdleSpareFailed {
        group: u32,
        token: u32,
    },
    /// A failed hot spare's failure was noticed: its replacement queues for a crew.
    SpareNoticed {
        group: u32,
        member: u32,
    },
    /// A failed hot spare was replaced: the group has one more spare.
    SpareReplaced {
        group: u32,
    },
    /// A standby generator's start time ended.
    GeneratorStarted {
        generator: u32,
        token: u32,
    },
    /// A transfer switch's break ended: its output is back.
    Transferred {
        element: u32,
        token: u32,
    },
    /// A pool's dead connections timed out (`behaviours::pool`).
    PoolReconnected {
        element: u32,
        token: u32,
    },
    /// A pool's quiet stretch ended with its idle connections dropped (`behaviours::pool`).
    QuietEnded {
        element: u32,
    },
    /// A rebuild with no redundancy left met an unrecoverable read error.
    ReadError {
        group: u32,
        member: u32,
        token: u32,
        serial: u32,
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
    /// A balancer's own verdict on a pool member turns (its `interval × fall` or
    /// `interval × rise` has run) while the balancers' pair is split: the pool's served
    /// share is judged again (`behaviours::share::split_share`).
    SplitVerdict {
        group: u32,
    },
    /// A preempting member's timer fires: it takes the role (`behaviours::switchover`).
    Preempt {
        group: u32,
        member: u32,
        token: u32,
    },
    /// A data set's restore from backup finished.
    DataRestored {
        set: u32,
        token: u32,
    },
}

/// A failure waiting for a repair crew: an element, or a RAID group's failed hot spare
/// (a disk that is no element of the design; it fails and is replaced like the slot's
/// own disk).
#[derive(Clone, Copy, Debug)]
pub(in crate::simulate) enum RepairJob {
    Element(u32),
    Spare { group: u32, member: u32 },
}

pub(in crate::simulate) struct Scheduled {
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
pub(in crate::simulate) struct GroupState {
    pub(in crate::simulate) token: u32,
    // Switchover
    pub(in crate::simulate) active: Option<usize>,
    pub(in crate::simulate) excluding: Vec<bool>,
    /// Per member: excluded because a switchover window is open (every member is).
    pub(in crate::simulate) switching: Vec<bool>,
    pub(in crate::simulate) switching_to: Option<usize>,
    pub(in crate::simulate) window: bool,
    /// The active member a running window started from, and when its detection ends:
    /// if it is seen working again before then, the failover is called off.
    pub(in crate::simulate) window_from: Option<usize>,
    pub(in crate::simulate) detect_until: f64,
    /// When the running window opened (the failure its members detect).
    pub(in crate::simulate) window_since: f64,
    /// When the running switchover window's takeover (or a cut-off standby's
    /// self-promotion) is due.
    pub(in crate::simulate) window_until: f64,
    /// The running window was opened by tracking (a resigning or outranked master):
    /// another member that takes over waits its tracked switch time, not its detection.
    pub(in crate::simulate) window_by_track: bool,
    /// The window's takeover waits for a failover precondition to work again.
    pub(in crate::simulate) awaiting_requires: bool,
    /// The member that held the role last: taking it back needs no takeover.
    pub(in crate::simulate) last_active: Option<usize>,
    /// A VRRP or HSRP member that returned while its failover was still being detected,
    /// and when: it listens from then (its Master_Down_Timer runs from its return, RFC
    /// 5798 §6.4.1), so a preemption after the backup takes over fires that long after
    /// the return, not after the takeover.
    pub(in crate::simulate) listening_since: Option<(usize, f64)>,
    /// Per member: since when it has outranked the active with its own state (see
    /// `SimProfile::preempt_timer_from_ready`); `None` while it does not.
    pub(in crate::simulate) outranks_since: Vec<Option<f64>>,
    // Share
    pub(in crate::simulate) in_rotation: Vec<bool>,
    /// Works and is reached by whoever checks it, at the last reaction.
    pub(in crate::simulate) healthy: Vec<bool>,
    pub(in crate::simulate) removal_token: Vec<u32>,
    pub(in crate::simulate) removal_pending: Vec<bool>,
    /// Healthy again, waiting for its `rise` checks to re-enter the rotation.
    pub(in crate::simulate) readmit_pending: Vec<bool>,
    // Rebuild
    pub(in crate::simulate) slot_ok: Vec<bool>,
    pub(in crate::simulate) on_spare: Vec<bool>,
    pub(in crate::simulate) rebuilding: Vec<bool>,
    /// The slot's running rebuild writes onto a hot spare (not the replaced disk).
    pub(in crate::simulate) onto_spare: Vec<bool>,
    /// Per slot: the failure clock of the hot spare holding it (`SpareFailed` token).
    pub(in crate::simulate) spare_clock: Vec<u32>,
    /// The idle spares' failure clock (`IdleSpareFailed` token), and the count of idle
    /// spares it was drawn for.
    pub(in crate::simulate) idle_spare_clock: u32,
    pub(in crate::simulate) idle_clock_spares: Option<u32>,
    /// Per slot: counts the rebuilds started, so that a rebuild cut short (its spare
    /// failed) does not end the next one (`SlotRebuilt` and `ReadError` carry it).
    pub(in crate::simulate) rebuild_serial: Vec<u32>,
    pub(in crate::simulate) spares: u32,
    pub(in crate::simulate) data_lost: bool,
    pub(in crate::simulate) restoring: bool,
    /// How long the restore of lost data takes (the backup chosen when it was lost).
    pub(in crate::simulate) restore_secs: f64,
    /// Per slot: when its running rebuild ends.
    pub(in crate::simulate) rebuild_ends_at: Vec<f64>,
    /// Per slot: its running rebuild's read-error risk was decided (it became exposed).
    pub(in crate::simulate) exposure_decided: Vec<bool>,
    /// Per slot: the group's loss count when a read error was scheduled; a loss since
    /// (the array recreated) voids it.
    pub(in crate::simulate) read_error_epoch: Vec<u32>,
    /// How many times the group's data was lost.
    pub(in crate::simulate) losses: u32,
    // Reconverge
    pub(in crate::simulate) stp: crate::simulate::behaviours::reconverge::StpState,
    // Primary
    pub(in crate::simulate) primary: Option<usize>,
    // A standby that stopped hearing the active and promoted itself (both serve).
    pub(in crate::simulate) also_active: Option<usize>,
    pub(in crate::simulate) promote_pending: bool,
    /// The promotion's detection is over but a failover precondition (a fencing device,
    /// a `require`) is down: once it works again the promotion takes the takeover time
    /// only (docs/MECHANISMS.md, failover preconditions). `promote_pending` stays set.
    pub(in crate::simulate) promote_awaiting_requires: bool,
    /// The member whose preemption is under way (its timer runs, the active serves).
    pub(in crate::simulate) preempt_pending: Option<usize>,
    pub(in crate::simulate) preempt_token: u32,
    /// A member deposed for losing quorum in a partition, kept out until it is heard again.
    pub(in crate::simulate) fenced: Option<usize>,
    pub(in crate::simulate) split_since: Option<f64>,
    // Members seen working at the last reaction.
    pub(in crate::simulate) was_working: Vec<bool>,
    /// Share: the group running the checks changed its active member since the last
    /// reaction (set and used within one instant).
    pub(in crate::simulate) checker_switched: bool,
    /// Probing groups: each member's verdict at the last re-judging (`behaviours::probes`).
    pub(in crate::simulate) probe_verdicts: Vec<bool>,
    /// A pool checked by a group of balancers: per balancer (in that group's member
    /// order) and pool member, what that balancer's own checks say
    /// (`behaviours::share::CheckView`); empty until the pool first reacts.
    pub(in crate::simulate) check_views: Vec<Vec<crate::simulate::behaviours::share::CheckView>>,
    /// Per balancer of `check_views`: it worked at the pool's last reaction.
    pub(in crate::simulate) check_balancer_up: Vec<bool>,
}

impl GroupState {
    fn new(m: usize, spares: u32) -> GroupState {
        GroupState {
            excluding: vec![false; m],
            switching: vec![false; m],
            in_rotation: vec![true; m],
            check_views: Vec::new(),
            healthy: vec![true; m],
            removal_token: vec![0; m],
            removal_pending: vec![false; m],
            readmit_pending: vec![false; m],
            slot_ok: vec![true; m],
            on_spare: vec![false; m],
            rebuilding: vec![false; m],
            onto_spare: vec![false; m],
            spare_clock: vec![0; m],
            rebuild_serial: vec![0; m],
            rebuild_ends_at: vec![0.0; m],
            exposure_decided: vec![false; m],
            read_error_epoch: vec![0; m],
            spares,
            was_working: vec![true; m],
            outranks_since: vec![None; m],
            ..GroupState::default()
        }
    }
}

/// Per service: what is being accounted.
#[derive(Default)]
pub(in crate::simulate) struct Track {
    pub(in crate::simulate) fraction: f64,
    /// A share group sending some of the requests to a member in rotation that cannot
    /// carry them on, at the last [`Sim::service_fraction`].
    pub(in crate::simulate) stranded: Option<u32>,
    /// What keeps the service from full service now ("" when fully up).
    pub(in crate::simulate) mechanism: String,
    pub(in crate::simulate) since: f64,
    /// The open outage: its start and root cause, and its seconds per mechanism.
    pub(in crate::simulate) outage: Option<(f64, String)>,
    pub(in crate::simulate) slices: BTreeMap<String, f64>,
    /// The simulated year being accounted, and its seconds down and below full service
    /// so far (closed into `record.years` when time passes into a later year).
    pub(in crate::simulate) year: u32,
    pub(in crate::simulate) year_down_secs: f64,
    pub(in crate::simulate) year_not_full_secs: f64,
    pub(in crate::simulate) record: ServiceRecord,
}

pub fn run(cx: &Compiled, index: u64) -> ReplicationRecord {
    Sim::new(cx, index).run()
}

/// Replication `index` again (the same random stream, so the same record), keeping the
/// timeline of simulated year `year` (0-based) instead of the first.
pub fn run_for_year(cx: &Compiled, index: u64, year: u32) -> ReplicationRecord {
    let mut sim = Sim::new(cx, index);
    sim.record_timeline = true;
    sim.timeline_year = year;
    sim.run()
}

/// Batch `index` of a rare-event run: `cycles` regenerative cycles with forced,
/// biased failures ([`cycles`]).
pub fn run_cycles(cx: &Compiled, index: u64, cycles: u64, force_cap: f64) -> crate::simulate::rare::RareBatch {
    Sim::new(cx, index).run_cycles(cycles, force_cap)
}

/// [`run`] with every query answered again and every network-watching group woken at
/// every instant, as if nothing were incremental: the reference the incremental
/// dependency tracking is tested against (the records must be identical).
#[cfg(test)]
pub fn run_exhaustive(cx: &Compiled, index: u64) -> ReplicationRecord {
    let mut sim = Sim::new(cx, index);
    sim.exhaustive = true;
    sim.run()
}

pub(in crate::simulate) struct Sim<'c, 'm> {
    pub(in crate::simulate) cx: &'c Compiled<'m>,
    pub(in crate::simulate) index: u64,
    pub(in crate::simulate) rng: ChaCha8Rng,
    pub(in crate::simulate) horizon: f64,
    pub(in crate::simulate) now: f64,
    pub(in crate::simulate) queue: BinaryHeap<Reverse<Scheduled>>,
    pub(in crate::simulate) seq: u64,
    pub(in crate::simulate) events: u64,
    pub(in crate::simulate) failed: Vec<bool>,
    /// A cold standby's failure clock, stopped while it waits.
    pub(in crate::simulate) paused: Vec<bool>,
    pub(in crate::simulate) crews_busy: u32,
    pub(in crate::simulate) repair_queue: std::collections::VecDeque<RepairJob>,
    pub(in crate::simulate) drilled: Vec<u32>,
    /// Per element: a drill asked that the next rebuild of this disk meet a read error.
    pub(in crate::simulate) read_error_due: Vec<bool>,
    /// Per element: a standby generator not carrying load (its feed has utility power,
    /// it is starting, or its start failed). Idle counts as down.
    pub(in crate::simulate) generator_idle: Vec<bool>,
    pub(in crate::simulate) generator_token: Vec<u32>,
    /// Per element: a standby generator starting (its feed lost, the start not over):
    /// the outage's label while it lasts.
    pub(in crate::simulate) generator_starting: Vec<bool>,
    /// Per element: a transfer switch fed from its alternate input.
    pub(in crate::simulate) on_alternate: Vec<bool>,
    /// Per element: the end of a transfer switch's break (its output off meanwhile).
    pub(in crate::simulate) transfer_until: Vec<Option<f64>>,
    pub(in crate::simulate) transfer_token: Vec<u32>,
    /// Per pool and stretch of its path: the firewall its connections cross now
    /// (`behaviours::pool`); empty for other elements.
    pub(in crate::simulate) pool_carriers: Vec<Vec<Option<u32>>>,
    pub(in crate::simulate) pool_until: Vec<Option<f64>>,
    pub(in crate::simulate) pool_token: Vec<u32>,
    pub(in crate::simulate) value: Vec<bool>,
    /// Per element: one if transit-blocking groups hold it as standby and none as
    /// master, plus STP domains it is reconverging in. Above zero it forwards nobody's
    /// traffic.
    pub(in crate::simulate) transit_blocked: Vec<u32>,
    /// Per element: its roles in the transit-blocking groups it belongs to. A router
    /// that is master for one virtual router and backup for another forwards (RFC 5798
    /// §4.2, "Sample Configuration 2": a backup refuses only its own group's virtual
    /// addresses, §6.4.2), so the groups' states are kept per (group, member) in
    /// `GroupState::excluding` and only counted here.
    pub(in crate::simulate) transit_roles: Vec<RoleCounts>,
    /// Per element: STP domains it is reconverging in.
    pub(in crate::simulate) reconverging: Vec<u32>,
    pub(in crate::simulate) battery_since: Vec<Option<f64>>,
    pub(in crate::simulate) battery_token: Vec<u32>,
    /// Per UPS on battery: the element whose loss put it there (the outage beyond the
    /// battery is that element's, not the UPS's).
    pub(in crate::simulate) battery_cause: Vec<Option<u32>>,
    /// Per element that boots: lost its needs while working (boots when they return);
    /// when its boot ends; the boot's token (behaviours/restart.rs).
    pub(in crate::simulate) restart_starved: Vec<bool>,
    pub(in crate::simulate) restart_until: Vec<Option<f64>>,
    pub(in crate::simulate) restart_token: Vec<u32>,
    pub(in crate::simulate) groups: Vec<GroupState>,
    /// Per data set: its primary and destroyed copies.
    pub(in crate::simulate) data: Vec<crate::simulate::data::DataState>,
    pub(in crate::simulate) dirty: BinaryHeap<Reverse<(u32, u32)>>,
    pub(in crate::simulate) in_dirty: Vec<bool>,
    pub(in crate::simulate) touched: Vec<bool>,
    pub(in crate::simulate) touched_list: Vec<u32>,
    pub(in crate::simulate) net_changed: bool,
    /// Groups that watch the whole network (path detectors, STP, heartbeats).
    pub(in crate::simulate) net_watchers: Vec<u32>,
    /// Groups whose probes look behind their members (`behaviours::probes`).
    pub(in crate::simulate) probe_groups: Vec<u32>,
    /// Per element: groups watching it besides those it is a member of.
    pub(in crate::simulate) watchers: Vec<Vec<u32>>,
    /// Elements that changed at the latest instant with element events, in event order:
    /// an outage that starts on a timer (a switchover, a drained battery) is blamed on them.
    pub(in crate::simulate) causes: Vec<u32>,
    pub(in crate::simulate) causes_at: f64,
    pub(in crate::simulate) services: Vec<Track>,
    pub(in crate::simulate) record_timeline: bool,
    /// With random failures: the simulated year whose intervals the timeline keeps
    /// (0 by default; [`run_for_year`] picks another).
    pub(in crate::simulate) timeline_year: u32,
    pub(in crate::simulate) timeline: Vec<Vec<Interval>>,
    // Breadth-first search scratch, stamped to avoid clearing.
    pub(in crate::simulate) stamp: u32,
    pub(in crate::simulate) source_mark: Vec<u32>,
    pub(in crate::simulate) target_mark: Vec<u32>,
    pub(in crate::simulate) reached_mark: Vec<u32>,
    pub(in crate::simulate) queue_scratch: Vec<u32>,
    /// The running search may not cross an entry (see [`Self::checks_reach`]).
    pub(in crate::simulate) in_data_centre: bool,
    /// Per label set ([`reach::label_variant`]): each forwarding device's component, and
    /// whether it is up to date.
    pub(in crate::simulate) labels: Vec<Vec<u32>>,
    pub(in crate::simulate) labels_fresh: [bool; 8],
    /// Forwarding devices that forward nobody's traffic now (a standby router): while
    /// there are none, the labels with and without standby members are the same.
    pub(in crate::simulate) blocked_forwarders: u32,
    /// Per service: its hops, kept incrementally ([`chain`]).
    pub(in crate::simulate) chains: Vec<chain::ChainState>,
    /// Per service: how many of its tier nodes are down.
    pub(in crate::simulate) tiers_down: Vec<u32>,
    /// Per element: network-watching groups it is an endpoint for (a member's closure,
    /// a checker's, a detector target's, a voter's).
    pub(in crate::simulate) endpoint_groups: Vec<Vec<u32>>,
    /// Per group: the share groups whose health checks it runs (a pool behind a VRRP
    /// pair or a GSLB name); they re-judge their members when its active member changes.
    pub(in crate::simulate) checked_by: Vec<Vec<u32>>,
    /// Services to observe at the end of the instant (besides every degraded one).
    pub(in crate::simulate) observe_mark: Vec<bool>,
    pub(in crate::simulate) observe_list: Vec<u32>,
    /// Services below full service now.
    pub(in crate::simulate) degraded: std::collections::BTreeSet<u32>,
    /// Per element: data sets it holds a copy of or stores the backup of; per group:
    /// data sets whose copy it chooses.
    pub(in crate::simulate) data_watch: Vec<Vec<u32>>,
    pub(in crate::simulate) group_data: Vec<Vec<u32>>,
    /// Data sets to react at the end of the instant.
    pub(in crate::simulate) data_dirty: Vec<bool>,
    pub(in crate::simulate) data_list: Vec<u32>,
    /// Per service: data sets of it being restored from backup (down while above 0);
    /// per data set: the running restore's token.
    pub(in crate::simulate) data_restoring: Vec<u32>,
    pub(in crate::simulate) data_restore_token: Vec<u32>,
    /// Test reference mode ([`run_exhaustive`]).
    pub(in crate::simulate) exhaustive: bool,
    /// Rare-event runs only: regenerative cycles with failure biasing ([`cycles`]).
    pub(in crate::simulate) rare: Option<Box<cycles::Cycles>>,
}

impl<'c, 'm> Sim<'c, 'm> {
    pub(in crate::simulate) fn new(cx: &'c Compiled<'m>, index: u64) -> Sim<'c, 'm> {
        let model = cx.model;
        let n = model.elements.len();
        let nodes = cx.circuit.kinds.len();
        let mut watchers = vec![Vec::new(); n];
        let mut net_watchers = Vec::new();
        for (j, p) in cx.groups.iter().enumerate() {
            if matches!(p.sees, Visibility::PathTo { .. })
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
            // A takeover waiting for its preconditions resumes when they return.
            for &e in &p.takeover_requires {
                watchers[e.0 as usize].push(j as u32);
            }
            // A tracked object's failure or return moves the virtual IP.
            for &e in p.track.iter().flat_map(|t| t.objects.iter().flatten()) {
                watchers[e.0 as usize].push(j as u32);
            }
        }
        for w in &mut watchers {
            w.sort_unstable();
            w.dedup();
        }
        // Network watchers react to their endpoints' changes (and to every topology change).
        let mut endpoint_groups = vec![Vec::new(); n];
        for &j in &net_watchers {
            let p = &cx.groups[j as usize];
            let mut anchors = model.groups[j as usize].members.clone();
            if let Visibility::PathTo { targets, .. } = &p.sees {
                anchors.extend(targets);
            }
            if let Some(from) = p.checked_from {
                anchors.extend(model.anchors(from));
            }
            if let Some(votes) = &p.votes {
                anchors.extend(votes.nodes.iter().chain(&votes.device));
            }
            for a in anchors {
                for x in crate::simulate::circuit::endpoint_elements(&cx.circuit.net, a) {
                    endpoint_groups[x.0 as usize].push(j);
                }
            }
        }
        for w in &mut endpoint_groups {
            w.sort_unstable();
            w.dedup();
        }
        let mut checked_by = vec![Vec::new(); model.groups.len()];
        for (k, p) in cx.groups.iter().enumerate() {
            if let Some(crate::model::NodeRef::Group(g)) = p.checked_from {
                checked_by[g.0 as usize].push(k as u32);
            }
        }
        let mut data_watch = vec![Vec::new(); n];
        let mut group_data = vec![Vec::new(); model.groups.len()];
        for (d, set) in cx.data_sets.iter().enumerate() {
            for c in set.copies.iter().copied().chain(set.backups.sites()) {
                data_watch[c.0 as usize].push(d as u32);
            }
            for &(j, _, _) in &cx.data_choosers[d] {
                group_data[j].push(d as u32);
            }
        }
        for w in data_watch.iter_mut().chain(&mut group_data) {
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
            read_error_due: vec![false; n],
            generator_idle: cx.model.elements.iter().map(|e| e.generator.is_some()).collect(),
            generator_token: vec![0; n],
            generator_starting: vec![false; n],
            on_alternate: vec![false; n],
            transfer_until: vec![None; n],
            transfer_token: vec![0; n],
            pool_carriers: cx.pools.iter().map(|p| p.as_ref().map_or(Vec::new(), |p| vec![None; p.crossings.len()])).collect(),
            pool_until: vec![None; n],
            pool_token: vec![0; n],
            value: vec![false; nodes],
            transit_blocked: vec![0; n],
            transit_roles: {
                let mut counts = vec![RoleCounts::default(); n];
                for (j, g) in model.groups.iter().enumerate() {
                    if cx.groups[j].blocks_transit {
                        for m in &g.members {
                            counts[m.0 as usize].holding += 1;
                        }
                    }
                }
                counts
            },
            reconverging: vec![0; n],
            battery_since: vec![None; n],
            battery_token: vec![0; n],
            battery_cause: vec![None; n],
            restart_starved: vec![false; n],
            restart_until: vec![None; n],
            restart_token: vec![0; n],
            groups: model
                .groups
                .iter()
                .zip(&cx.groups)
                .map(|(g, p)| GroupState::new(g.members.len(), p.hot_spares))
                .collect(),
            data: cx.data_sets.iter().map(crate::simulate::data::DataState::new).collect(),
            dirty: BinaryHeap::new(),
            in_dirty: vec![false; nodes],
            touched: vec![false; model.groups.len()],
            touched_list: Vec::new(),
            net_changed: false,
            net_watchers,
            probe_groups: cx
                .groups
                .iter()
                .enumerate()
                .filter(|(_, p)| matches!(&p.sees, Visibility::Probes { onward_tiers } if onward_tiers.iter().any(|&d| d > 0)))
                .map(|(j, _)| j as u32)
                .collect(),
            watchers,
            causes: Vec::new(),
            causes_at: -1.0,
            services: (0..model.services.len())
                .map(|_| Track { record: empty_service_record(), ..Track::default() })
                .collect(),
            record_timeline: index == 0,
            timeline_year: 0,
            timeline: vec![Vec::new(); model.services.len()],
            stamp: 0,
            source_mark: vec![0; n],
            target_mark: vec![0; n],
            reached_mark: vec![0; n],
            queue_scratch: Vec::new(),
            in_data_centre: false,
            labels: vec![Vec::new(); 8],
            labels_fresh: [false; 8],
            blocked_forwarders: 0,
            chains: cx.circuit.services.iter().map(|sn| chain::ChainState::new(sn.chain.len())).collect(),
            tiers_down: cx
                .circuit
                .services
                .iter()
                .map(|sn| sn.tiers.iter().filter(|&&t| t != cx.circuit.net_node()).count() as u32)
                .collect(),
            endpoint_groups,
            checked_by,
            observe_mark: vec![false; model.services.len()],
            observe_list: Vec::new(),
            degraded: std::collections::BTreeSet::new(),
            data_watch,
            group_data,
            data_dirty: vec![false; cx.data_sets.len()],
            data_list: Vec::new(),
            data_restoring: vec![0; model.services.len()],
            data_restore_token: vec![0; cx.data_sets.len()],
            exhaustive: false,
            rare: None,
        }
    }

    pub(in crate::simulate) fn schedule(&mut self, at: f64, event: Event) {
        self.seq += 1;
        self.queue.push(Reverse(Scheduled { at, seq: self.seq, event }));
    }

    pub(in crate::simulate) fn up(&self, e: u32) -> bool {
        !self.failed[e as usize] && self.drilled[e as usize] == 0 && !self.generator_idle[e as usize]
    }

    pub(in crate::simulate) fn works(&self, e: ElementId) -> bool {
        self.value[e.0 as usize]
    }

    /// Works and forwards traffic: no transit-blocking group holds it as standby, and,
    /// for a link, no reconverging STP domain holds its port out of forwarding.
    pub(in crate::simulate) fn carries(&self, e: ElementId) -> bool {
        self.value[e.0 as usize] && self.transit_blocked[e.0 as usize] == 0
    }

    pub(in crate::simulate) fn run(mut self) -> ReplicationRecord {
        let cx = self.cx;
        let model = cx.model;
        if cx.options.random_failures {
            for e in &model.elements {
                if e.failure.is_some() {
                    self.schedule_failure(e.id.0);
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
        if cx.quiet_ends > 0 {
            self.schedule_quiet_ends();
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
            if self.exhaustive {
                self.wake_everything();
            }
            self.settle();
            self.react_data();
            self.observe();
        }
        self.advance(self.horizon);
        self.finish()
    }

    /// Every node evaluated once, then each group's initial state.
    pub(in crate::simulate) fn initialise(&mut self) {
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
            if p.stp.is_some() {
                self.start_spanning_tree(j);
            }
            if p.behaviour == Behaviour::Rebuild {
                self.idle_spares_changed(j);
            }
            self.mark(self.cx.circuit.group_node(crate::model::GroupId(j as u32)));
            // At time 0 the balancers have been checking for long: a member one cannot
            // reach is out of its rotation already.
            if p.behaviour == Behaviour::Share && p.checked_from.is_some() {
                self.groups[j].checker_switched = true;
                self.touch(j as u32);
            }
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
        // Health judged from the services' entries needs the settled network (spanning
        // trees elected): judge again, so no member starts out as failing its checks.
        for j in 0..self.groups.len() {
            if self.cx.groups[j].checked_from_entries {
                self.touch(j as u32);
            }
        }
        self.settle();
        // Those checks have been running for long: a member failing them at the start
        // is out of rotation already (as a pool's unreachable members are).
        for j in 0..self.groups.len() {
            if self.cx.groups[j].checked_from_entries && self.cx.groups[j].behaviour == Behaviour::Share {
                let st = &mut self.groups[j];
                for i in 0..st.healthy.len() {
                    if !st.healthy[i] && st.in_rotation[i] {
                        st.in_rotation[i] = false;
                        st.removal_pending[i] = false;
                        st.removal_token[i] += 1;
                    }
                }
            }
        }
        for s in 0..self.services.len() {
            let (f, mechanism) = self.service_state(s);
            if f < 1.0 {
                self.degraded.insert(s as u32);
            }
            let track = &mut self.services[s];
            track.fraction = f;
            track.mechanism = mechanism;
            track.since = 0.0;
            if f == 0.0 {
                track.outage = Some((0.0, "from the start".into()));
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

    pub(in crate::simulate) fn handle(&mut self, event: Event) {
        let cx = self.cx;
        match event {
            // A backup's storage site is asked whether it is up, not whether it works.
            Event::Fail(e) | Event::Repair(e) | Event::DrillStart(e) | Event::DrillEnd(e) => {
                for k in 0..self.data_watch[e as usize].len() {
                    self.data_changed(self.data_watch[e as usize][k]);
                }
            }
            Event::SwitchDone { group, .. }
            | Event::OutOfRotation { group, .. }
            | Event::BackInRotation { group, .. }
            | Event::SlotRebuilt { group, .. }
            | Event::SpareFailed { group, .. }
            | Event::SpareReplaced { group, .. }
            | Event::ReadError { group, .. }
            | Event::RestoreDone { group, .. }
            | Event::Reconverged { group }
            | Event::Promote { group, .. }
            | Event::Preempt { group, .. }
            | Event::SplitVerdict { group } => self.group_changed(group as usize),
            _ => {}
        }
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
                self.repair_queue.push_back(RepairJob::Element(e));
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
                self.schedule_failure(e);
                self.mark(e);
            }
            Event::DrillStart(e) => {
                if self.up(e) {
                    self.site_event(e, true);
                }
                self.drilled[e as usize] += 1;
                if cx.forced_read_errors.binary_search(&e).is_ok() {
                    self.read_error_due[e as usize] = true;
                }
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
            Event::Restarted { element, token } => self.on_restarted(element, token),
            Event::SwitchDone { group, token } => self.on_switch_done(group, token),
            Event::OutOfRotation { group, member, token } => self.on_out_of_rotation(group, member, token),
            Event::BackInRotation { group, member, token } => self.on_back_in_rotation(group, member, token),
            Event::SlotRebuilt { group, member, token, serial } => self.on_slot_rebuilt(group, member, token, serial),
            Event::ReadError { group, member, token, serial } => self.on_read_error(group, member, token, serial),
            Event::SpareFailed { group, member, token } => self.on_spare_failed(group, member, token),
            Event::IdleSpareFailed { group, token } => self.on_idle_spare_failed(group, token),
            Event::SpareNoticed { group, member } => {
                self.repair_queue.push_back(RepairJob::Spare { group, member });
                self.start_repairs();
            }
            Event::SpareReplaced { group } => self.on_spare_replaced(group),
            Event::GeneratorStarted { generator, token } => self.on_generator_started(generator, token),
            Event::Transferred { element, token } => self.on_transferred(element, token),
            Event::PoolReconnected { element, token } => self.on_pool_reconnected(element, token),
            Event::QuietEnded { element } => self.on_quiet_ended(element),
            Event::RestoreDone { group, token } => self.on_restore_done(group, token),
            Event::Reconverged { group } => self.on_reconverged(group),
            Event::Promote { group, member, token } => self.on_promote(group, member, token),
            Event::Preempt { group, member, token } => self.on_preempt(group, member, token),
            Event::SplitVerdict { .. } => {}
            Event::DataRestored { set, token } => self.on_data_restored(set, token),
        }
    }

    /// Draws element `e`'s next failure from now (its lifetime distribution; in
    /// rare-event runs, exponential at the current mode's rate).
    pub(in crate::simulate) fn schedule_failure(&mut self, e: u32) {
        // Rare-event runs decide failures themselves (cycles.rs).
        if self.rare.is_some() {
            return;
        }
        let failure = self.cx.model.elements[e as usize].failure.expect("only failing elements are scheduled");
        let at = self.now + sample::time_to_failure(&mut self.rng, &failure);
        self.schedule(at, Event::Fail(e));
    }

    pub(in crate::simulate) fn cause(&mut self, e: u32) {
        if self.causes_at != self.now {
            self.causes.clear();
            self.causes_at = self.now;
        }
        self.causes.push(e);
    }

    /// Starts queued repairs while crews are free (first noticed, first repaired).
    pub(in crate::simulate) fn start_repairs(&mut self) {
        let crews = self.cx.repair_crews.unwrap_or(u32::MAX);
        while self.crews_busy < crews {
            let Some(job) = self.repair_queue.pop_front() else { break };
            self.crews_busy += 1;
            let e = match job {
                RepairJob::Element(e) => e,
                RepairJob::Spare { group, member } => {
                    let disk = self.cx.model.groups[group as usize].members[member as usize].0;
                    let failure =
                        self.cx.model.elements[disk as usize].failure.expect("only failing disks' spares fail");
                    let repair = sample::exponential(&mut self.rng, failure.mttr_secs);
                    self.schedule(self.now + repair, Event::SpareReplaced { group });
                    continue;
                }
            };
            let failure = self.cx.model.elements[e as usize].failure.expect("only failing elements are repaired");
            let repair = sample::exponential(&mut self.rng, failure.mttr_secs);
            self.schedule(self.now + repair, Event::Repair(e));
        }
    }

    /// How long a failure of `e` goes unnoticed: its fastest monitor whose alert is not
    /// lost, else the users.
    pub(in crate::simulate) fn detection_delay(&mut self, e: u32) -> f64 {
        let cx = self.cx;
        for d in &cx.detectors[e as usize] {
            if !sample::chance(&mut self.rng, d.loss) {
                return d.detect_secs;
            }
        }
        cx.noticed_by_users_secs
    }

    pub(in crate::simulate) fn mark(&mut self, node: u32) {
        if !self.in_dirty[node as usize] {
            self.in_dirty[node as usize] = true;
            self.dirty.push(Reverse((self.cx.circuit.rank[node as usize], node)));
        }
    }

    pub(in crate::simulate) fn mark_group(&mut self, j: usize) {
        self.mark(self.cx.circuit.group_node(crate::model::GroupId(j as u32)));
        self.mark_pools_through(j);
    }

    pub(in crate::simulate) fn touch(&mut self, j: u32) {
        if !self.touched[j as usize] {
            self.touched[j as usize] = true;
            self.touched_list.push(j);
        }
    }

    /// Adds (`on`) or removes one reason for `e` to forward no traffic.
    pub(in crate::simulate) fn set_transit_blocked(&mut self, e: u32, on: bool) {
        if bump(&mut self.transit_blocked[e as usize], on) {
            if self.cx.circuit.net.forwarding[e as usize] {
                bump(&mut self.blocked_forwarders, on);
            }
            if self.cx.circuit.topological[e as usize] {
                self.topology_changed_at(e);
                self.mark(self.cx.circuit.net_node());
            } else {
                self.endpoint_changed(e, true);
            }
        }
    }

    /// Adds or removes one STP domain reconverging link `e`: its port forwards nothing
    /// meanwhile (traffic and VRRP adverts alike).
    pub(in crate::simulate) fn set_reconverging(&mut self, e: u32, on: bool) {
        bump(&mut self.reconverging[e as usize], on);
        self.set_transit_blocked(e, on);
    }

    pub(in crate::simulate) fn propagate(&mut self) {
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
    pub(in crate::simulate) fn solve_component(&mut self, members: &[u32]) {
        let old: Vec<bool> = members.iter().map(|&m| self.value[m as usize]).collect();
        let cycle = members.len() > 1;
        for &m in members {
            self.value[m as usize] = match self.cx.circuit.kinds[m as usize] {
                NodeKind::Element(e) => self.up(e),
                _ => true,
            };
        }
        if cycle {
            self.topology_changed();
        }
        loop {
            let mut changed = false;
            for &m in members {
                // Values inside a cycle move without notice: its chains are walked
                // afresh, and the labels go stale when a forwarding device moves.
                if let (true, NodeKind::Service(s)) = (cycle, self.cx.circuit.kinds[m as usize]) {
                    self.chains[s as usize].all_dirty();
                }
                let v = self.eval(m);
                if v != self.value[m as usize] {
                    self.value[m as usize] = v;
                    changed = true;
                    if let NodeKind::Element(e) = self.cx.circuit.kinds[m as usize] {
                        if self.cx.circuit.topological[e as usize] {
                            self.topology_changed();
                        }
                    }
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

    pub(in crate::simulate) fn changed(&mut self, node: u32) {
        self.changed_outside(node, u32::MAX);
    }

    /// Marks the dependents of a changed node (outside component `c`) and wakes the
    /// groups that watch it.
    pub(in crate::simulate) fn changed_outside(&mut self, node: u32, c: u32) {
        let circuit = &self.cx.circuit;
        for &d in &circuit.dependents[node as usize] {
            if circuit.component_of[d as usize] != c {
                self.mark(d);
            }
        }
        let up = self.value[node as usize];
        for &s in &circuit.tier_of_node[node as usize] {
            bump(&mut self.tiers_down[s as usize], !up);
        }
        match circuit.kinds[node as usize] {
            NodeKind::Element(e) => {
                if self.cx.generators[e as usize].is_some() {
                    self.feed_changed(e);
                }
                for &g in &circuit.member_of[e as usize] {
                    self.touch(g.0);
                }
                for k in 0..self.watchers[e as usize].len() {
                    self.touch(self.watchers[e as usize][k]);
                }
                if circuit.topological[e as usize] {
                    self.topology_changed_at(e);
                } else {
                    // Its query nodes are among the dependents marked above.
                    self.endpoint_changed(e, false);
                }
                for k in 0..self.data_watch[e as usize].len() {
                    let d = self.data_watch[e as usize][k];
                    self.data_changed(d);
                }
            }
            NodeKind::Net => {
                self.net_changed = true;
                for st in &mut self.chains {
                    st.all_dirty();
                }
            }
            _ => {}
        }
    }

    /// Something about element `e` other than the topology changed (it stopped or
    /// started working or carrying): the queries it is an endpoint of must be answered
    /// again. `mark_nodes`: also mark their nodes (not needed after a value change,
    /// which marks its dependents).
    pub(in crate::simulate) fn endpoint_changed(&mut self, e: u32, mark_nodes: bool) {
        let circuit = &self.cx.circuit;
        if mark_nodes {
            for &node in &circuit.endpoint_nodes[e as usize] {
                self.mark(node);
            }
        }
        for &(s, h) in &circuit.hops_of[e as usize] {
            self.chains[s as usize].dirty(h);
        }
        for k in 0..self.endpoint_groups[e as usize].len() {
            self.touch(self.endpoint_groups[e as usize][k]);
        }
    }

    /// Data set `d` must react at the end of the instant.
    pub(in crate::simulate) fn data_changed(&mut self, d: u32) {
        if !std::mem::replace(&mut self.data_dirty[d as usize], true) {
            self.data_list.push(d);
        }
    }

    /// Group `j`'s state changed: the services that depend on it are observed and the
    /// data sets whose copy it chooses react.
    pub(in crate::simulate) fn group_changed(&mut self, j: usize) {
        for k in 0..self.cx.circuit.group_services[j].len() {
            self.observe_service(self.cx.circuit.group_services[j][k]);
        }
        for k in 0..self.group_data[j].len() {
            self.data_changed(self.group_data[j][k]);
        }
    }

    /// Service `s` is observed at the end of the instant.
    pub(in crate::simulate) fn observe_service(&mut self, s: u32) {
        if !std::mem::replace(&mut self.observe_mark[s as usize], true) {
            self.observe_list.push(s);
        }
    }

    pub(in crate::simulate) fn eval(&mut self, node: u32) -> bool {
        match self.cx.circuit.kinds[node as usize] {
            NodeKind::Element(e) => self.eval_element(e),
            NodeKind::Group(g) => self.eval_group(g as usize),
            NodeKind::Path(p) => {
                let q = &self.cx.circuit.paths[p as usize];
                self.reach_within(&q.sources, &q.targets, q.honour_exclusion, None, q.segment)
            }
            NodeKind::Service(s) => {
                self.observe_service(s);
                let sn = &self.cx.circuit.services[s as usize];
                self.value[sn.entry as usize] && self.tiers_down[s as usize] == 0 && self.chain(s as usize)
            }
            NodeKind::Net => true,
        }
    }

    pub(in crate::simulate) fn holds(&self, e: &Expr) -> bool {
        match e {
            Expr::True => true,
            Expr::Node(x) => self.value[*x as usize],
            Expr::All(of) => of.iter().all(|x| self.holds(x)),
            Expr::AtLeast(k, of) => of.iter().filter(|x| self.holds(x)).count() >= *k as usize,
        }
    }

    pub(in crate::simulate) fn eval_element(&mut self, e: u32) -> bool {
        let i = e as usize;
        if !self.up(e) {
            self.restart_lost(i, false);
            return false;
        }
        // Before its needs: a pool's connections die with its firewall's state even
        // while the firewall is down.
        let hung = self.pool_hung(i);
        if self.holds(&self.cx.circuit.element_needs[i]) {
            if self.battery_since[i].take().is_some() {
                self.battery_token[i] += 1;
            }
            if self.transfer_break(i) || hung {
                return false;
            }
            return self.restart_done(i);
        }
        self.restart_lost(i, self.unpowered(i));
        // A UPS rides through a lost input on its battery, not through the loss of its
        // own site: that destroys the battery with it.
        let runtime = self.cx.battery_secs[i];
        if runtime <= 0.0 {
            return false;
        }
        if !self.holds(&self.cx.circuit.battery_own_needs[i]) {
            if self.battery_since[i].take().is_some() {
                self.battery_token[i] += 1;
            }
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

    pub(in crate::simulate) fn eval_group(&mut self, j: usize) -> bool {
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
                let holding = |i: usize| st.slot_ok[i] && (st.on_spare[i] || self.works(group.members[i]));
                !st.data_lost && crate::simulate::behaviours::rebuild::holds_data(p, group.members.len(), holding)
            }
        }
    }

    /// Reference mode: every query node and chain is stale, every network watcher wakes,
    /// every data set reacts and every service is observed.
    fn wake_everything(&mut self) {
        self.requery_everything();
        for k in 0..self.net_watchers.len() {
            self.touch(self.net_watchers[k]);
        }
        for d in 0..self.data.len() {
            self.data_changed(d as u32);
        }
        for s in 0..self.services.len() {
            self.observe_service(s as u32);
        }
    }

    fn requery_everything(&mut self) {
        self.topology_changed();
        for st in &mut self.chains {
            st.all_dirty();
        }
        for node in 0..self.cx.circuit.kinds.len() as u32 {
            if matches!(self.cx.circuit.kinds[node as usize], NodeKind::Path(_) | NodeKind::Service(_))
                || matches!(self.cx.circuit.kinds[node as usize], NodeKind::Group(j) if self.cx.groups[j as usize].votes.is_some())
            {
                self.mark(node);
            }
        }
    }

    pub(in crate::simulate) fn settle(&mut self) {
        for _ in 0..256 {
            if self.exhaustive {
                self.requery_everything();
            }
            self.propagate();
            if std::mem::take(&mut self.net_changed) {
                for k in 0..self.net_watchers.len() {
                    self.touch(self.net_watchers[k]);
                }
            }
            // Once the rest has settled, probes that look behind their members judge
            // again what lies there.
            if self.touched_list.is_empty() && !self.probes_changed() {
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

    pub(in crate::simulate) fn react(&mut self, j: usize) {
        self.group_changed(j);
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
}

/// Counts one reason up or down; true when the count crossed zero.
pub(in crate::simulate) fn bump(count: &mut u32, on: bool) -> bool {
    let was = *count > 0;
    if on {
        *count += 1;
    } else {
        *count -= 1;
    }
    was != (*count > 0)
}

/// How many transit-blocking groups hold an element as standby, hold it in the role,
/// or are switching over (a window, when no member holds the role yet).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(in crate::simulate) struct RoleCounts {
    pub(in crate::simulate) standby: u32,
    pub(in crate::simulate) holding: u32,
    pub(in crate::simulate) switching: u32,
}

impl RoleCounts {
    /// Forwards nothing: a group it belongs to is switching over (hosts using that
    /// virtual IP have no gateway meanwhile, and a path cannot tell whose traffic it
    /// carries), or some group holds it as standby and none in the role.
    pub(in crate::simulate) fn blocks(self) -> bool {
        self.switching > 0 || (self.standby > 0 && self.holding == 0)
    }
}

/// An empty per-service record.
pub fn empty_service_record() -> ServiceRecord {
    ServiceRecord {
        outage_histogram: vec![0; super::record::OUTAGE_BINS.len() + 1],
        attribution: BTreeMap::new(),
        ..ServiceRecord::default()
    }
}
