//! Database clusters (Corosync votequorum(5), corosync-qdevice(8)).
//!
//! Active-standby (Pacemaker + Corosync, MSSQL FCI): nodes exchange heartbeats; after
//! `deadtime` without one, the standby takes over (`takeover`). If heartbeats are lost
//! while both nodes live, only a quorum / voting device decides who runs: without it,
//! split brain. Active-active: shared everything (all nodes on the same disks; RAC) or
//! shared nothing (each node owns a partition; losing a node loses its partition
//! unless partitions are replicated, as in MySQL Cluster).

use schemars::JsonSchema;
use serde::Deserialize;

use super::power::{lower_power, PowerSpec};
use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Arrangement, Attr, EdgeKind, Layer, LowerCx, NodeRef, Req, Switchover, Target, Visibility};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[&KindOf::<QuorumDeviceSpec>::NEW, &KindOf::<ClusterSpec>::NEW];

/// A quorum / voting device (disk or qdevice) that breaks ties.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuorumDeviceSpec {
    /// Power sources (PDUs, UPSes or feeds), one PSU on each: `"power": ["pdu-a", "pdu-b"]`;
    /// omitted, power is not modelled.
    pub power: Option<PowerSpec>,
    /// Power draw in watts (positive); with PSU capacities, decides how many PSUs it
    /// needs, e.g. `"draw_watts": 350`.
    pub draw_watts: Option<f64>,
    /// The storage it lives on, for a quorum disk (a LUN on an array, as Windows Server
    /// Failover Clustering's disk witness or the Linux `sbd`/`qdisk` devices): a
    /// `storage-array` or `raid` group, e.g. `"in": "array"`. It fails with that storage
    /// and is reached over it, not over the network.
    #[serde(rename = "in")]
    pub in_storage: Option<Ref>,
}

impl Spec for QuorumDeviceSpec {
    const INFO: KindInfo = KindInfo {
        name: "quorum-device",
        section: Section::Components,
        layer: Layer::Software,
        doc: "A quorum / voting device that breaks a cluster's tie.",
        failure: Some(("10y", "4h")),
        // Restart: a server's (a qdevice host; see `server`).
        restart: Some("10m"),
    };
    fn lower(&self, cx: &mut LowerCx) {
        lower_power(cx, &self.power, self.draw_watts);
        if let (Some(storage), Some(me)) = (&self.in_storage, cx.me_element()) {
            match cx.resolve(storage, &["storage-array", "raid"], "the storage a quorum disk lives on") {
                Some(Target::Element(e)) => cx.need(me, Req::Element(e), EdgeKind::Storage),
                Some(Target::Group(r)) => cx.need(me, Req::Group(r), EdgeKind::Storage),
                _ => {}
            }
        }
    }
}

/// A quorum disk `in` a RAID group also needs the group's host, which holds the disks
/// (a RAID group is its host's storage, not the other way round), and that host must be
/// shared storage: a quorum disk on a server's local RAID is an error. Runs after every
/// group is lowered (RAID groups lower after the components that refer to them).
pub fn finish_quorum_disks(b: &mut crate::model::ModelBuilder) {
    let devices: Vec<crate::model::ElementId> =
        b.model.elements.iter().filter(|e| e.kind == "quorum-device").map(|e| e.id).collect();
    for device in devices {
        let mut groups = Vec::new();
        b.model.elements[device.0 as usize].needs.visit(&mut |r| {
            if let Req::Group(g) = r {
                groups.push(*g);
            }
        });
        for g in groups {
            let hosts: Vec<crate::model::ElementId> = b
                .model
                .elements
                .iter()
                .filter(|e| e.id != device)
                .filter(|e| {
                    let mut needs_group = false;
                    e.needs.visit(&mut |r| needs_group |= *r == Req::Group(g));
                    needs_group
                })
                .map(|e| e.id)
                .collect();
            for host in hosts {
                let (kind, host_name) =
                    (b.model.elements[host.0 as usize].kind, b.model.elements[host.0 as usize].name.clone());
                if kind == "storage-array" {
                    let el = &mut b.model.elements[device.0 as usize];
                    el.needs = std::mem::replace(&mut el.needs, Req::Always).and(Req::Element(host));
                    b.edge(NodeRef::Element(device), NodeRef::Element(host), EdgeKind::Storage);
                } else {
                    let span = b.model.elements[device.0 as usize].span;
                    let name = b.model.elements[device.0 as usize].name.clone();
                    b.error(
                        Code::WrongKind,
                        span,
                        format!("quorum disk {name} is on a RAID group in {host_name}, a {kind}: no other node can reach it"),
                        "a quorum disk lives on shared storage: put it \"in\" a storage-array, or a RAID group in one",
                    );
                }
            }
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ClusterMode {
    ActiveStandby,
    ActiveActive,
}

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Sharing {
    /// Every node sees the same disks (Oracle RAC).
    SharedEverything,
    /// Each node owns a partition (MySQL Cluster, most clouds).
    SharedNothing,
}

/// Whether an active-standby cluster's standby runs (and wears) while it waits.
#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Standby {
    /// Powered and running: it can fail while it waits (the default).
    #[default]
    Hot,
    /// Powered off until needed: it does not fail while it waits.
    Cold,
}

/// Heartbeat settings.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HeartbeatSpec {
    /// Time between heartbeats (default 1s).
    pub interval: Option<Duration>,
    /// Silence after which a node is declared dead (default 10s; must exceed the interval).
    pub deadtime: Option<Duration>,
}

/// STONITH fencing ("shoot the other node in the head"): before a standby takes over,
/// it powers the old active off through a fencing device, so a partition never leaves
/// two primaries (ClusterLabs, "Pacemaker Explained", chapter "Fencing": "a cluster
/// without fencing is not supported").
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FencingSpec {
    /// The fencing device: a component (a BMC such as IPMI or iLO, a switched PDU, a cloud
    /// API). It can fail: while it is down, no takeover can happen (a failover
    /// precondition), e.g. `"device": "ipmi-a"`. Omitted: fencing that cannot fail on its
    /// own, such as SBD watchdog self-fencing (sbd(8): a node that loses quorum resets
    /// itself through its hardware watchdog).
    pub device: Option<Ref>,
    /// Fence delay (Pacemaker `pcmk_delay_base`, default 0s), waited before each takeover
    /// so two nodes do not shoot each other at once, e.g. `"delay": "5s"`.
    pub delay: Option<Duration>,
}

/// A database cluster.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClusterSpec {
    /// "active-standby" (the standby takes over after deadtime + takeover) or
    /// "active-active" (needs `sharing`).
    pub mode: ClusterMode,
    /// DB servers or processes (at least two); for active-standby, the preferred active first.
    pub members: Vec<Ref>,
    /// Heartbeat timing (defaults: interval 1s, deadtime 10s), e.g.
    /// `"heartbeat": { "interval": "1s", "deadtime": "10s" }`.
    pub heartbeat: Option<HeartbeatSpec>,
    /// The tie-breaker: a `quorum-device`. Without one a two-node cluster can split-brain.
    pub quorum: Option<Ref>,
    /// Time to start the service on the standby after detection (default 30s).
    pub takeover: Option<Duration>,
    /// Active-active only, and required there: "shared-everything" or "shared-nothing".
    pub sharing: Option<Sharing>,
    /// Shared storage (a `raid` group or `storage-array`) the nodes use.
    pub storage: Option<Ref>,
    /// Active-standby only: "hot" (default, running) or "cold" (off until needed).
    pub standby: Option<Standby>,
    /// Shared nothing: whether each partition is replicated to another node (default
    /// false: losing a node loses its partition).
    pub replicated_partitions: Option<bool>,
    /// Failover preconditions: components, links or sites a takeover needs at that
    /// moment but not in steady state (a regional control plane, an orchestrator), e.g.
    /// `"require": ["control-plane"]`. A takeover waits until they work again.
    #[serde(default)]
    pub require: Vec<Ref>,
    /// STONITH: the device that powers off the old active before a takeover, e.g.
    /// `"fencing": { "device": "ipmi-a", "delay": "5s" }`. Active-standby only.
    pub fencing: Option<FencingSpec>,
}

impl Spec for ClusterSpec {
    const INFO: KindInfo = KindInfo {
        name: "cluster",
        section: Section::Groups,
        layer: Layer::Software,
        doc: "A DB cluster: active-standby with heartbeat and quorum, or active-active.",
        failure: None,
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some(g) = cx.me_group() else { return };
        super::check_distinct(cx, &self.members, "the cluster");
        let members = super::resolve_elements(cx, &self.members, &["server", "process"], "a cluster member");
        if self.members.len() < 2 {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("a cluster needs at least two members, found {}", self.members.len()),
                "add the standby node",
            );
            return;
        }
        let interval = self.heartbeat.as_ref().and_then(|h| h.interval).map_or(1.0, |d| d.secs);
        let deadtime = self.heartbeat.as_ref().and_then(|h| h.deadtime).map_or(10.0, |d| d.secs);
        if interval <= 0.0 || deadtime <= interval {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!(
                    "deadtime ({}) must exceed the heartbeat interval ({})",
                    Duration::from_secs(deadtime),
                    Duration::from_secs(interval)
                ),
                "a node is declared dead after several missed heartbeats: e.g. interval 1s, deadtime 10s",
            );
            return;
        }
        let fence_delay = self.fencing.as_ref().and_then(|f| f.delay).map_or(0.0, |d| d.secs);
        let takeover = self.takeover.map_or(30.0, |d| d.secs) + fence_delay;
        match (self.mode, self.sharing) {
            (ClusterMode::ActiveStandby, Some(_)) => cx.error(
                Code::ImpossibleValue,
                cx.span,
                "\"sharing\" applies to active-active clusters only",
                "drop \"sharing\" or set \"mode\": \"active-active\"",
            ),
            (ClusterMode::ActiveActive, None) => cx.error(
                Code::MissingField,
                cx.span,
                "an active-active cluster needs \"sharing\"",
                "write \"sharing\": \"shared-everything\" or \"shared-nothing\"",
            ),
            _ => {}
        }
        let n = members.len() as u32;
        let replicated = self.replicated_partitions.unwrap_or(false);
        cx.set_members(members);
        let (arrangement, sharing) = match (self.mode, self.sharing) {
            (ClusterMode::ActiveActive, Some(Sharing::SharedNothing)) => {
                (Arrangement::ActiveActive { need: if replicated { 1 } else { n } }, "shared-nothing")
            }
            (ClusterMode::ActiveActive, _) => (Arrangement::ActiveActive { need: 1 }, "shared-everything"),
            (ClusterMode::ActiveStandby, _) => (Arrangement::ActiveStandby, "none"),
        };
        if let Some(grp) = cx.group_mut() {
            grp.arrangement = arrangement;
            grp.switchover =
                Some(Switchover { detect_secs: deadtime, takeover_secs: takeover, sees: Visibility::Peers });
        }
        match (self.mode, self.standby) {
            (ClusterMode::ActiveActive, Some(_)) => cx.error(
                Code::ImpossibleValue,
                cx.span,
                "\"standby\" applies to active-standby clusters only",
                "drop \"standby\" or set \"mode\": \"active-standby\"",
            ),
            (_, Some(Standby::Cold)) => {
                cx.attr("standby", Attr::Text("cold".into()));
                if let Some(grp) = cx.group_mut() {
                    grp.dynamics = Some(crate::model::Dynamics::ColdStandby);
                }
            }
            _ => {}
        }
        match self.mode {
            // A database cluster stays on the member it promoted: no preemption. A
            // takeover needs the fencing device too: Pacemaker fences a lost node before
            // it recovers its resources elsewhere.
            ClusterMode::ActiveStandby => {
                let mut needs = self.require.clone();
                if let Some(f) = &self.fencing {
                    let device = f.device.as_ref().map_or("watchdog", |d| d.value.as_str());
                    cx.attr("fencing", Attr::Text(device.to_string()));
                    if let Some(d) = f.device.as_ref().filter(|d| !needs.iter().any(|r| r.value == d.value)) {
                        needs.push(d.clone());
                    }
                }
                super::precondition::lower_requires(cx, &needs, false);
            }
            ClusterMode::ActiveActive => {
                let fix = "set \"mode\": \"active-standby\"";
                if self.fencing.is_some() {
                    super::precondition::no_takeover(cx, "fencing", "an active-active cluster", fix);
                }
                if !self.require.is_empty() {
                    super::precondition::no_takeover(cx, "require", "an active-active cluster", fix);
                }
            }
        }
        cx.attr("heartbeat_interval", Attr::Secs(interval));
        cx.attr("deadtime", Attr::Secs(deadtime));
        cx.attr("sharing", Attr::Text(sharing.into()));
        let mut has_device = false;
        if let Some(q) = &self.quorum {
            if let Some(qd) = cx.resolve_element(q, &["quorum-device"], "a cluster's quorum") {
                has_device = true;
                cx.attr("quorum", Attr::Text(q.value.clone()));
                cx.builder.edge(crate::model::NodeRef::Group(g), crate::model::NodeRef::Element(qd), EdgeKind::Quorum);
            }
        }
        // Vote quorum (docs/SEMANTICS.md §3): Corosync's votequorum gives each node one
        // vote and a qdevice one more; a partition runs resources only with a majority
        // (Pacemaker `no-quorum-policy=stop`, the default). Two nodes and no device have
        // no majority to lose: `two_node` mode, where either node may run.
        if let Some(grp) = cx.group_mut() {
            grp.vote_quorum = self.mode == ClusterMode::ActiveStandby && (has_device || grp.members.len() >= 3);
        }
        if let Some(s) = &self.storage {
            match cx.resolve(s, &["raid", "storage-array"], "a cluster's shared storage") {
                Some(Target::Element(e)) => cx.group_need(g, Req::Element(e), EdgeKind::Storage),
                Some(Target::Group(r)) => cx.group_need(g, Req::Group(r), EdgeKind::Storage),
                _ => {}
            }
        }
    }
}

/// Simulated timing: active-standby fails over after deadtime + takeover (and can split
/// brain without a quorum device); shared nothing loses a partition's share; shared
/// everything absorbs a node's loss.
pub fn profile(_: &crate::model::Model, g: &crate::model::Group) -> crate::simulate::SimProfile {
    use crate::simulate::{Behaviour, SimProfile};
    let behaviour = match (&g.arrangement, g.attrs.get("sharing")) {
        (crate::model::Arrangement::ActiveStandby, _) => Behaviour::Switchover,
        (_, Some(crate::model::Attr::Text(s))) if s == "shared-nothing" => Behaviour::Share,
        _ => Behaviour::Absorb,
    };
    let cold = crate::model::text_attr(&g.attrs, "standby") == Some("cold");
    let fences = crate::model::text_attr(&g.attrs, "fencing").is_some();
    SimProfile {
        counts_split_brain: true,
        keeps_promoted: true,
        cold_standby: cold,
        fences,
        ..SimProfile::plain(behaviour)
    }
}
