//! Everything a replication needs that does not change during a run: the circuit,
//! each group's timing parameters, each element's detectors and battery. Built once
//! per model; `ideal` mode zeroes every delay and makes every detector perfect here,
//! so the engine has a single code path.

use petgraph::visit::EdgeRef;

use super::circuit::Circuit;
use super::spanning_tree::DomainLink;
use super::{Behaviour, SimOptions};
use crate::model::{secs_attr, text_attr, Arrangement, EdgeKind, ElementId, Group, Model, NodeRef, Visibility};

pub use crate::mechanisms::monitor::Detector;

#[derive(Clone, Debug)]
pub struct StpParams {
    pub mode: &'static str,
    pub direct_secs: f64,
    pub indirect_secs: f64,
    /// The configured root bridge (member index), elected first while it works.
    pub root: usize,
    pub links: Vec<DomainLink>,
}

#[derive(Clone, Debug)]
pub struct GroupParams {
    pub behaviour: Behaviour,
    pub need: usize,
    pub detect_secs: f64,
    pub takeover_secs: f64,
    pub sees: Visibility,
    pub preempt: bool,
    /// Per member: the DR recovery time of its site (0 when none).
    pub dr_rto_secs: Vec<f64>,
    /// Per member: (link, far end) of each of its network links, for local-link detectors.
    pub local_links: Vec<Vec<(ElementId, ElementId)>>,
    pub rebuild_secs: f64,
    pub hot_spares: u32,
    /// A standby member forwards nobody's traffic (see [`super::SimProfile`]).
    pub blocks_transit: bool,
    /// The failover is local to one host (a bond).
    pub host_local: bool,
    /// Backup covering the group's data: (interval, restore time).
    pub backup: Option<(f64, f64)>,
    /// Replication: data lost when the primary is lost (async lag; 0 for sync).
    pub lag_secs: f64,
    pub records_rpo: bool,
    pub loses_sessions: bool,
    pub stp: Option<StpParams>,
    /// A cluster: two actives (a standby promoted while the active still runs) is split
    /// brain, counted; a quorum device prevents it.
    pub counts_split_brain: bool,
    /// Vote quorum (docs/SEMANTICS.md §3): who votes.
    pub votes: Option<crate::model::Votes>,
    /// Members talk over the network, so peer detectors depend on it.
    pub peers_networked: bool,
    /// Peers hear each other only within one L2 segment (VRRP and HSRP adverts are
    /// link-local multicast: they never cross a router, let alone the internet).
    pub peers_same_segment: bool,
    /// A cold standby: members not serving do not fail while they wait.
    pub cold: bool,
    /// A cold standby with no replication to it: taking over at (or back from) a DR
    /// site restores the last backup, so the data since that backup is lost.
    pub restores_on_takeover: bool,
}

pub struct Compiled<'m> {
    pub model: &'m Model,
    pub options: SimOptions,
    pub circuit: Circuit,
    pub groups: Vec<GroupParams>,
    /// Per element: its detectors, fastest first.
    pub detectors: Vec<Vec<Detector>>,
    pub battery_secs: Vec<f64>,
    pub noticed_by_users_secs: f64,
    pub repair_crews: Option<u32>,
    /// Drills as (element, at, for), sorted.
    pub drills: Vec<(u32, f64, f64)>,
}

impl<'m> Compiled<'m> {
    pub fn new(model: &'m Model, options: SimOptions) -> Compiled<'m> {
        let circuit = Circuit::new(model);
        let ideal = options.ideal;
        let zero = |x: f64| if ideal { 0.0 } else { x };
        let groups = model.groups.iter().map(|g| group_params(model, &circuit, g, ideal)).collect();
        let detectors = crate::mechanisms::monitor::detectors(model)
            .into_iter()
            .map(|list| {
                list.into_iter().map(|d| Detector { detect_secs: zero(d.detect_secs), loss: zero(d.loss) }).collect()
            })
            .collect();
        // Batteries stay in `ideal` mode: the analyzer credits them too (a steady-state
        // effect, not a delay).
        let battery_secs =
            model.elements.iter().map(|e| secs_attr(&e.attrs, "battery_runtime").unwrap_or(0.0)).collect();
        let mut drills: Vec<(u32, f64, f64)> =
            model.drills.iter().map(|d| (d.element.0, d.at_secs, d.for_secs)).collect();
        drills.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)).then(a.2.total_cmp(&b.2)));
        Compiled {
            model,
            noticed_by_users_secs: zero(model.noticed_by_users_secs),
            repair_crews: model.repair_crews,
            options,
            circuit,
            groups,
            detectors,
            battery_secs,
            drills,
        }
    }
}

fn group_params(model: &Model, circuit: &Circuit, g: &Group, ideal: bool) -> GroupParams {
    let zero = |x: f64| if ideal { 0.0 } else { x };
    let profile = crate::mechanisms::profile(model, g);
    // Ideal failover is the analyzer's: any working member serves, at once.
    let behaviour = match profile.behaviour {
        Behaviour::Switchover if ideal => Behaviour::Primary,
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
    let dr_rto_secs = g
        .members
        .iter()
        .map(|&m| {
            let site = model.element(m).site;
            zero(site.and_then(|s| secs_attr(&model.element(s).attrs, "dr_rto")).unwrap_or(0.0))
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
            direct_secs: zero(timers.direct_secs),
            indirect_secs: zero(timers.indirect_secs),
            root: timers.root.and_then(index_of).unwrap_or(0),
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
    let rebuild = profile.rebuild.unwrap_or(crate::simulate::RebuildTiming { rebuild_secs: 0.0, hot_spares: 0 });
    GroupParams {
        behaviour,
        need,
        detect_secs,
        takeover_secs,
        sees,
        preempt: profile.preempt,
        dr_rto_secs,
        local_links,
        rebuild_secs: rebuild.rebuild_secs,
        hot_spares: rebuild.hot_spares,
        blocks_transit: profile.standby_blocks_transit,
        host_local: profile.host_local,
        backup: backup_of(model, g).map(|(i, r)| (i, zero(r))),
        lag_secs: profile.replication_lag_secs.unwrap_or(0.0),
        records_rpo: profile.replication_lag_secs.is_some(),
        loses_sessions: profile.loses_sessions,
        stp,
        counts_split_brain: profile.counts_split_brain,
        votes,
        peers_networked: networked && !ideal,
        peers_same_segment: profile.peers_same_segment,
        cold: profile.cold_standby,
        restores_on_takeover: profile.restores_on_takeover,
    }
}

/// The backup that restores a RAID group's data: one targeting a member, or an element
/// that needs the group (its array or server). Data backups first, then the most frequent.
fn backup_of(model: &Model, g: &Group) -> Option<(f64, f64)> {
    let needs_group = |t: ElementId| {
        let mut hit = false;
        model.element(t).needs.visit(&mut |r| hit |= *r == crate::model::Req::Group(g.id));
        hit
    };
    // A member, what sits on the group (its array or server), or a process on that.
    let covers = |t: ElementId| {
        g.members.contains(&t) || needs_group(t) || {
            let mut hit = false;
            model.element(t).needs.visit(&mut |r| hit |= matches!(r, crate::model::Req::Element(h) if needs_group(*h)));
            hit
        }
    };
    model
        .elements
        .iter()
        .filter(|e| e.kind == "backup")
        .filter(|b| {
            let node = model.node_of[&NodeRef::Element(b.id)];
            model.graph.edges(node).any(|e| {
                *e.weight() == EdgeKind::Backs && matches!(model.graph[e.target()], NodeRef::Element(t) if covers(t))
            })
        })
        .filter_map(|b| {
            let data = text_attr(&b.attrs, "type") == Some("data");
            Some((!data, secs_attr(&b.attrs, "interval")?, secs_attr(&b.attrs, "restore")?))
        })
        .min_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.total_cmp(&b.2)))
        .map(|(_, i, r)| (i, r))
}
