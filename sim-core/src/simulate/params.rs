//! Everything a replication needs that does not change during a run: the circuit,
//! each group's timing parameters, each element's detectors and battery. Built once
//! per model; `ideal` mode zeroes every delay and makes every detector perfect here,
//! so the engine has a single code path.

use super::circuit::Circuit;
use super::spanning_tree::DomainLink;
use super::{Behaviour, SimOptions};
use crate::model::{Arrangement, ElementId, Group, Model, Visibility};

use super::data::{BackupPlan, Backups, DataSet};
pub use crate::mechanisms::monitor::Detector;

#[derive(Clone, Debug)]
pub struct StpParams {
    pub mode: &'static str,
    /// How long bridges keep information their designated bridge no longer sends.
    pub stale_info_secs: f64,
    /// A blocked port that takes a forwarding role: the time until it forwards.
    pub to_forwarding_secs: f64,
    /// Per member: its bridge rank (the configured root first, then listed order).
    pub ranks: Vec<u32>,
    pub links: Vec<DomainLink>,
}

#[derive(Clone, Debug)]
pub struct GroupParams {
    pub behaviour: Behaviour,
    pub need: usize,
    pub detect_secs: f64,
    /// Per member: its detection time as the member that takes over (VRRP: its own
    /// Master_Down_Interval); `detect_secs` for each when the kind has one for all.
    pub member_detect_secs: Vec<f64>,
    /// Per member: how long its preemption takes, the active serving meanwhile
    /// ([`crate::model::Group::member_preempt_secs`]); 0 in `ideal` runs.
    pub member_preempt_secs: Vec<f64>,
    pub takeover_secs: f64,
    pub sees: Visibility,
    pub preempt: bool,
    /// [`crate::simulate::SimProfile::takeover_is_client_caches`].
    pub takeover_is_client_caches: bool,
    /// Per member: the DR recovery time of its site (0 when none).
    pub dr_rto_secs: Vec<f64>,
    /// Per member: (link, far end) of each of its network links, for local-link detectors.
    pub local_links: Vec<Vec<(ElementId, ElementId)>>,
    pub rebuild_secs: f64,
    pub hot_spares: u32,
    /// Rebuilds with no redundancy left can fail on a read error (`mechanisms::raid`).
    pub read_errors: Option<crate::model::ReadErrorRisk>,
    /// RAID 10: slots (0, 1), (2, 3), … mirror each other; the slot logic decides
    /// (`behaviours::rebuild`), not the members' own states.
    pub mirror_pairs: bool,
    /// A healthy member re-enters the rotation after this long (zero in `ideal` mode).
    pub readmit_secs: f64,
    /// Seconds between the members' health checks; 0 without a check (or in `ideal`
    /// mode).
    pub check_interval_secs: f64,
    /// A standby member forwards nobody's traffic (see [`super::SimProfile`]).
    pub blocks_transit: bool,
    /// The failover is local to one host (a bond).
    pub host_local: bool,
    /// Who runs the members' health checks (see [`super::SimProfile::checked_from`]).
    pub checked_from: Option<crate::model::NodeRef>,
    /// See [`super::SimProfile::checked_from_entries`]; off in `ideal` runs.
    pub checked_from_entries: bool,
    /// Backup covering the group's data (RAID).
    pub backups: Backups,
    pub loses_sessions: bool,
    pub stp: Option<StpParams>,
    /// A cluster: two actives (a standby promoted while the active still runs) is split
    /// brain, counted; a quorum device prevents it.
    pub counts_split_brain: bool,
    /// VRRP/HSRP: two masters at once are counted as such.
    pub counts_dual_masters: bool,
    pub keeps_promoted: bool,
    /// STONITH: a promoting standby powers the old active off first (no split brain).
    pub fences: bool,
    /// See [`super::SimProfile::listens_before_claiming`].
    pub listens_before_claiming: bool,
    /// See [`super::SimProfile::preempt_timer_from_ready`].
    pub preempt_timer_from_ready: bool,
    /// Vote quorum (docs/SEMANTICS.md §3): who votes.
    pub votes: Option<crate::model::Votes>,
    /// Members talk over the network, so peer detectors depend on it.
    pub peers_networked: bool,
    /// Peers hear each other only within one L2 segment (VRRP and HSRP adverts are
    /// link-local multicast: they never cross a router, let alone the internet).
    pub peers_same_segment: bool,
    /// A cold standby: members not serving do not fail while they wait.
    pub cold: bool,
    /// Failover preconditions (`mechanisms::precondition`): elements a takeover needs
    /// at that moment; empty when it needs none.
    pub takeover_requires: Vec<ElementId>,
    /// Interface and object tracking (VRRP/HSRP; `behaviours::switchover`).
    pub track: Option<crate::model::Track>,
    /// With preconditions: the group returns to its first member whenever it works, so
    /// moving to the first member needs none.
    pub takeover_preempts: bool,
}

/// A feed's standby generator, as the simulator plays it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct GeneratorBackup {
    pub generator: u32,
    /// Zero in `ideal` mode (a delay).
    pub start_secs: f64,
}

/// An automatic transfer switch, as the simulator plays it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TransferGap {
    /// The input it returns to whenever that input has power.
    pub preferred: u32,
    /// How long each move drops its loads: its transfer when longer than their ride
    /// through, else 0 (unnoticed); 0 in `ideal` mode (a delay).
    pub gap_secs: f64,
}

pub struct Compiled<'m> {
    pub model: &'m Model,
    pub options: SimOptions,
    pub circuit: Circuit,
    pub groups: Vec<GroupParams>,
    /// Per element: its detectors, fastest first.
    pub detectors: Vec<Vec<Detector>>,
    pub battery_secs: Vec<f64>,
    /// Per element: its boot after a power loss (`mechanisms::restart`); 0 with `ideal`.
    pub restart_secs: Vec<f64>,
    pub noticed_by_users_secs: f64,
    pub repair_crews: Option<u32>,
    /// Drills as (element, at, for), sorted.
    pub drills: Vec<(u32, f64, f64)>,
    /// Disks whose drilled failure's rebuild meets a read error when it has no
    /// redundancy left (a drill's `read_error`), sorted.
    pub forced_read_errors: Vec<u32>,
    /// Per element: the standby generator backing this feed, if any.
    pub generators: Vec<Option<GeneratorBackup>>,
    /// Per element: its transfer switch's inputs and break, if it is one.
    pub transfer_switches: Vec<Option<TransferGap>>,
    /// Per element: the firewalls its pooled connections cross, if it is such a pool
    /// (`behaviours::pool`).
    pub(in crate::simulate) pools: Vec<Option<super::behaviours::pool::PoolParams>>,
    /// Per group: the pools whose connections cross it.
    pub(in crate::simulate) pools_through_group: Vec<Vec<u32>>,
    /// How many of each pool's quiet stretch ends play (`behaviours::pool`): all
    /// (`u32::MAX`) in random runs, none in drills (whose outcome is the drilled
    /// failure's); [`super::quiet_outages`] plays one.
    pub quiet_ends: u32,
    /// Every database's copies ([`super::data`]).
    pub data_sets: Vec<DataSet>,
    /// Per data set: the services whose dependencies hold one of its copies.
    pub data_services: Vec<Vec<usize>>,
    /// Per data set: (switchover group, member index, copy index) for members that are
    /// copies: the cluster's choice of active decides the primary.
    pub data_choosers: Vec<Vec<(usize, usize, usize)>>,
    /// Per element: a site holding a copy or a RAID disk (its failure destroys data).
    pub holds_data: Vec<bool>,
    /// Per RAID group: the sites of its disks.
    pub raid_sites: Vec<Vec<ElementId>>,
    /// Per element: the cold-standby roles it hosts, (group, member index), when it
    /// hosts nothing else: powered off with them while none of them serves.
    pub cold_hosted: Vec<Vec<(usize, usize)>>,
    /// With `ideal`, when some group's standby members forward nothing: every choice of
    /// one holder per such group (`model::roles`). The ideal chain holds when some
    /// choice carries it, as in the exact analysis (docs/SEMANTICS.md §4).
    pub ideal_holder_choices: Option<Vec<Vec<(crate::model::GroupId, ElementId)>>>,
    /// With `ideal`, per element: its variants as a chain member, one per choice of NIC
    /// for its bonds chosen per member (`model::roles::member_variants`), each as (the
    /// NICs it uses, the NICs it leaves idle). Empty for an element without such bonds.
    pub ideal_variants: Vec<Vec<(Vec<ElementId>, Vec<ElementId>)>>,
}

impl<'m> Compiled<'m> {
    pub fn new(model: &'m Model, options: SimOptions) -> Compiled<'m> {
        let circuit = Circuit::new(model);
        let ideal = options.ideal;
        let quiet_ends = if options.random_failures { u32::MAX } else { 0 };
        let zero = |x: f64| if ideal { 0.0 } else { x };
        let groups: Vec<GroupParams> = model.groups.iter().map(|g| group_params(model, &circuit, g, ideal)).collect();
        let (pools, pools_through_group) = super::behaviours::pool::compile(model, ideal);
        let detectors = crate::mechanisms::monitor::detectors(model)
            .into_iter()
            .map(|list| {
                list.into_iter().map(|d| Detector { detect_secs: zero(d.detect_secs), loss: zero(d.loss) }).collect()
            })
            .collect();
        // Batteries stay in `ideal` mode: the analyzer credits them too (a steady-state
        // effect, not a delay).
        let battery_secs = model.elements.iter().map(|e| e.battery_runtime_secs.unwrap_or(0.0)).collect();
        let mut drills: Vec<(u32, f64, f64)> =
            model.drills.iter().map(|d| (d.element.0, d.at_secs, d.for_secs)).collect();
        drills.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)).then(a.2.total_cmp(&b.2)));
        let data_sets = super::data::data_sets(model);
        let data_services = data_sets
            .iter()
            .map(|set| (0..model.services.len()).filter(|&s| set.used_by(&circuit.service_elements[s])).collect())
            .collect();
        let data_choosers = data_sets
            .iter()
            .map(|set| {
                let mut list = Vec::new();
                for (j, g) in model.groups.iter().enumerate() {
                    if circuit.behaviours[j] != Behaviour::Switchover {
                        continue;
                    }
                    for (i, m) in g.members.iter().enumerate() {
                        if let Some(k) = set.copies.iter().position(|c| c == m) {
                            list.push((j, i, k));
                        }
                    }
                }
                list
            })
            .collect();
        let raid_sites: Vec<Vec<ElementId>> = model
            .groups
            .iter()
            .enumerate()
            .map(|(j, g)| {
                if circuit.behaviours[j] != Behaviour::Rebuild {
                    return Vec::new();
                }
                let mut sites: Vec<ElementId> =
                    g.members.iter().filter_map(|&m| super::data::site_of(model, m)).collect();
                sites.sort();
                sites.dedup();
                sites
            })
            .collect();
        let mut holds_data = vec![false; model.elements.len()];
        for site in data_sets.iter().flat_map(|s| s.sites.iter().flatten()).chain(raid_sites.iter().flatten()) {
            holds_data[site.0 as usize] = true;
        }
        // A host whose every process is a cold-standby member (its NICs and PSUs are
        // parts of it, not other work).
        let mut hosted: Vec<Vec<ElementId>> = vec![Vec::new(); model.elements.len()];
        for e in model.elements.iter().filter(|e| crate::mechanisms::server::is_process(e)) {
            let host = model.host_node(e.id);
            if host != e.id {
                hosted[host.0 as usize].push(e.id);
            }
        }
        let cold_hosted = hosted
            .iter()
            .map(|list| {
                let roles: Vec<(usize, usize)> = list
                    .iter()
                    .filter_map(|&p| {
                        groups.iter().enumerate().find_map(|(j, g): (usize, &GroupParams)| {
                            let i = model.groups[j].members.iter().position(|&m| m == p)?;
                            g.cold.then_some((j, i))
                        })
                    })
                    .collect();
                if roles.len() == list.len() {
                    roles
                } else {
                    Vec::new()
                }
            })
            .collect();
        let per_member =
            if ideal { crate::model::roles::member_interface_groups(model, &circuit.net) } else { Vec::new() };
        let mut ideal_variants: Vec<Vec<(Vec<ElementId>, Vec<ElementId>)>> = vec![Vec::new(); model.elements.len()];
        if !per_member.is_empty() {
            for svc in &model.services {
                for m in std::iter::once(svc.from).chain(svc.through.iter().flat_map(|&t| model.anchors(t))) {
                    let closure = circuit.net.closure(m);
                    let nics: Vec<ElementId> = per_member
                        .iter()
                        .flat_map(|&g| model.group(g).members.iter().copied())
                        .filter(|v| closure.contains(v))
                        .collect();
                    if nics.is_empty() {
                        continue;
                    }
                    ideal_variants[m.0 as usize] =
                        crate::model::roles::member_variants(model, &circuit.net, &per_member, m)
                            .into_iter()
                            .map(|idle| (nics.iter().copied().filter(|v| !idle.contains(v)).collect(), idle))
                            .collect();
                }
            }
        }
        // The ideal chain walks the choices whenever there is more than one, or a member
        // has variants.
        let ideal_holder_choices = if ideal {
            crate::model::roles::holder_choices(model, &circuit.net)
                .filter(|choices| choices.len() > 1 || !per_member.is_empty())
        } else {
            None
        };
        Compiled {
            ideal_holder_choices,
            ideal_variants,
            cold_hosted,
            data_sets,
            data_services,
            data_choosers,
            holds_data,
            raid_sites,
            model,
            noticed_by_users_secs: zero(model.noticed_by_users_secs),
            repair_crews: model.repair_crews,
            options,
            circuit,
            groups,
            detectors,
            battery_secs,
            restart_secs: model.elements.iter().map(|e| zero(e.restart_secs)).collect(),
            drills,
            forced_read_errors: super::forced_read_errors(model.drills.iter()),
            generators: {
                let mut by_feed = vec![None; model.elements.len()];
                for e in &model.elements {
                    if let Some(g) = e.generator {
                        by_feed[g.feed.0 as usize] =
                            Some(GeneratorBackup { generator: e.id.0, start_secs: zero(g.start_secs) });
                    }
                }
                by_feed
            },
            pools,
            pools_through_group,
            quiet_ends,
            transfer_switches: model
                .elements
                .iter()
                .map(|e| {
                    e.transfer_switch.map(|t| TransferGap {
                        preferred: t.preferred.0,
                        gap_secs: if t.transfer_secs > t.ride_through_secs { zero(t.transfer_secs) } else { 0.0 },
                    })
                })
                .collect(),
        }
    }
}

fn group_params(model: &Model, circuit: &Circuit, g: &Group, ideal: bool) -> GroupParams {
    let zero = |x: f64| if ideal { 0.0 } else { x };
    let profile = crate::mechanisms::profile(model, g);
    // Ideal failover is the analyzer's: any working member serves, at once. A takeover
    // with preconditions still plays them (instantly), so `--ideal` measures how
    // pessimistic the analyzer's static view of them is. A cold standby keeps its
    // switchover too: which member serves decides which one ages, and a cluster does
    // not fail back (the analyzer's chain, `analysis::dynamic`, says the same).
    let behaviour = match profile.behaviour {
        Behaviour::Switchover if ideal && g.takeover_requires.is_none() && !profile.cold_standby => Behaviour::Primary,
        b => b,
    };
    let need = match g.arrangement {
        Arrangement::ActiveActive { need } => need as usize,
        Arrangement::ActiveStandby => 1,
    };
    let (detect_secs, takeover_secs, sees) = match &g.switchover {
        Some(s) => (zero(s.detect_secs), zero(s.takeover_secs), if ideal { Visibility::Peers } else { s.sees.clone() }),
        None => (0.0, 0.0, Visibility::Peers),
    };
    let member_detect_secs = if g.member_detect_secs.len() == g.members.len() && g.switchover.is_some() {
        g.member_detect_secs.iter().map(|&s| zero(s)).collect()
    } else {
        vec![detect_secs; g.members.len()]
    };
    let member_preempt_secs = if g.member_preempt_secs.len() == g.members.len() && g.switchover.is_some() {
        g.member_preempt_secs.iter().map(|&s| zero(s)).collect()
    } else {
        vec![0.0; g.members.len()]
    };
    let dr_rto_secs = g
        .members
        .iter()
        .map(|&m| {
            let site = model.element(m).site;
            zero(site.and_then(|s| model.element(s).dr_rto_secs).unwrap_or(0.0))
        })
        .collect();
    let local_links = g
        .members
        .iter()
        .map(|&m| circuit.net.adjacency[m.0 as usize].iter().map(|&(far, l)| (l, far)).collect())
        .collect();
    let stp = profile.stp.as_ref().filter(|_| behaviour == Behaviour::Reconverge).map(|timers| {
        let index_of = |e: ElementId| g.members.iter().position(|&m| m == e);
        let links =
            model.links.iter().filter_map(|l| Some((index_of(l.a)?, index_of(l.b)?, l.element))).collect::<Vec<_>>();
        StpParams {
            mode: timers.mode,
            stale_info_secs: zero(timers.stale_info_secs),
            to_forwarding_secs: zero(timers.to_forwarding_secs),
            ranks: super::spanning_tree::bridge_ranks(g.members.len(), timers.root.and_then(index_of).unwrap_or(0)),
            links,
        }
    });
    let votes = model.votes(g.id);
    let networked = g
        .members
        .iter()
        .all(|&m| circuit.closures[m.0 as usize].iter().any(|x| !circuit.net.adjacency[x.0 as usize].is_empty()));
    // Rebuild windows stay in `ideal` mode: the analyzer counts them (docs/SEMANTICS.md
    // is about who serves; how long a slot is unprotected is steady-state).
    let rebuild = profile.rebuild.unwrap_or(crate::simulate::RebuildTiming {
        rebuild_secs: 0.0,
        hot_spares: 0,
        read_errors: None,
        mirror_pairs: false,
    });
    GroupParams {
        behaviour,
        need,
        detect_secs,
        member_detect_secs,
        member_preempt_secs,
        takeover_secs,
        sees,
        preempt: profile.preempt,
        takeover_is_client_caches: profile.takeover_is_client_caches,
        dr_rto_secs,
        local_links,
        rebuild_secs: rebuild.rebuild_secs,
        hot_spares: rebuild.hot_spares,
        read_errors: rebuild.read_errors,
        mirror_pairs: rebuild.mirror_pairs,
        readmit_secs: if ideal { 0.0 } else { profile.readmit_secs },
        check_interval_secs: if ideal { 0.0 } else { profile.check_interval_secs },
        blocks_transit: profile.standby_blocks_transit,
        host_local: profile.host_local,
        checked_from: if ideal { None } else { profile.checked_from },
        checked_from_entries: profile.checked_from_entries && networked && !ideal,
        backups: Backups(
            backups_of(model, g)
                .0
                .into_iter()
                .map(|b| BackupPlan { restore_secs: zero(b.restore_secs), ..b })
                .collect(),
        ),
        loses_sessions: profile.loses_sessions,
        stp,
        counts_split_brain: profile.counts_split_brain,
        counts_dual_masters: profile.counts_dual_masters,
        keeps_promoted: profile.keeps_promoted,
        fences: profile.fences,
        listens_before_claiming: profile.listens_before_claiming,
        preempt_timer_from_ready: profile.preempt_timer_from_ready,
        votes,
        // An ideal run keeps the switchover of a group with preconditions (to play
        // them); its peers must then see a partition too, or a cut-off active that
        // lost its quorum would keep the role for the whole partition.
        peers_networked: networked && (!ideal || g.takeover_requires.is_some()),
        peers_same_segment: profile.peers_same_segment,
        cold: profile.cold_standby,
        track: g.track.clone(),
        takeover_requires: g.takeover_requires.as_ref().map_or_else(Vec::new, |t| {
            let mut ids = Vec::new();
            t.req.visit(&mut |r| {
                if let crate::model::Req::Element(e) = r {
                    ids.push(*e);
                }
            });
            ids
        }),
        takeover_preempts: g.takeover_requires.as_ref().is_some_and(|t| t.preempts),
    }
}

/// The backups that restore a RAID group's data: those targeting a member, or an
/// element that needs the group (its array or server), or a process on that; best first.
fn backups_of(model: &Model, g: &Group) -> Backups {
    let needs_group = |t: ElementId| {
        let mut hit = false;
        model.element(t).needs.visit(&mut |r| hit |= *r == crate::model::Req::Group(g.id));
        hit
    };
    let covers = |t: ElementId| {
        g.members.contains(&t) || needs_group(t) || {
            let mut hit = false;
            model.element(t).needs.visit(&mut |r| hit |= matches!(r, crate::model::Req::Element(h) if needs_group(*h)));
            hit
        }
    };
    crate::mechanisms::backup::backups(model, &covers)
}
