//! Data replication (PostgreSQL documentation, 'Synchronous Replication'): synchronous (a
//! commit waits for the replica: RPO 0, slower, and a down replica can block commits) or
//! asynchronous (fast; RPO = replication lag). MySQL replication, PostgreSQL streaming,
//! AlwaysOn, remote copy.
//!
//! Lowers to: a replication group (primary first); with sync replication that blocks
//! when no replica answers, the primary needs at least one working replica.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Arrangement, Attr, EdgeKind, ElementId, Layer, LowerCx, Req};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[&KindOf::<ReplicationSpec>::NEW];

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ReplicationMode {
    Sync,
    Async,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum WhenReplicaDown {
    /// Commits wait for the replica: writes stop (PostgreSQL synchronous_commit).
    #[default]
    Block,
    /// Fall back to asynchronous until the replica returns (MySQL semi-sync timeout).
    DegradeToAsync,
}

/// Replication from a primary to replicas.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplicationSpec {
    /// The primary: a DB process, a server or a storage array (not a cluster or other
    /// group: name its active member).
    pub from: Ref,
    /// The replicas (at least one): DB processes, servers or storage arrays.
    pub to: Vec<Ref>,
    /// "sync" (a commit waits for a replica: RPO 0) or "async" (RPO = `lag`).
    pub mode: ReplicationMode,
    /// Async only: typical lag, the data lost on failover (default 1s), e.g. `"lag": "5s"`.
    pub lag: Option<Duration>,
    /// Sync only: what writes do when no replica answers: "block" (default) or
    /// "degrade-to-async".
    pub when_replica_down: Option<WhenReplicaDown>,
}

const DATA_HOLDERS: &[&str] = &["process", "server", "storage-array"];

impl Spec for ReplicationSpec {
    const INFO: KindInfo = KindInfo {
        name: "replication",
        section: Section::Groups,
        layer: Layer::Storage,
        doc: "Sync or async replication; sets the RPO.",
        failure: None,
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        if self.to.is_empty() {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "replication needs at least one replica",
                "list the replicas in \"to\"",
            );
            return;
        }
        if self.to.iter().any(|t| t.value == self.from.value) {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "a database cannot replicate to itself",
                "name a different replica",
            );
            return;
        }
        super::check_distinct(cx, &self.to, "the replicas");
        let from = cx.resolve_element(&self.from, DATA_HOLDERS, "a replication primary");
        let to = super::resolve_elements(cx, &self.to, DATA_HOLDERS, "a replica");
        match (self.mode, self.lag, self.when_replica_down) {
            (ReplicationMode::Sync, Some(_), _) => cx.error(
                Code::ImpossibleValue,
                cx.span,
                "synchronous replication has no lag",
                "drop \"lag\", or use \"mode\": \"async\"",
            ),
            (ReplicationMode::Async, _, Some(_)) => cx.error(
                Code::ImpossibleValue,
                cx.span,
                "\"when_replica_down\" applies to sync replication only",
                "async replication never waits for the replica",
            ),
            _ => {}
        }
        let Some(from) = from else { return };
        let replicas = to.clone();
        let mut members = vec![from];
        members.extend(to);
        cx.set_members(members);
        if let Some(g) = cx.group_mut() {
            g.arrangement = Arrangement::ActiveStandby;
        }
        match self.mode {
            ReplicationMode::Sync => {
                cx.attr("mode", Attr::Text("sync".into()));
                cx.attr("rpo", Attr::Secs(0.0));
                let down = match self.when_replica_down.unwrap_or_default() {
                    WhenReplicaDown::Block => "block",
                    WhenReplicaDown::DegradeToAsync => "degrade-to-async",
                };
                cx.attr("when_replica_down", Attr::Text(down.into()));
                if down == "block" && replicas.len() == self.to.len() {
                    // A commit waits for a replica: with none working, writes stop.
                    let any_replica = Req::any(replicas.into_iter().map(Req::Element).collect());
                    cx.need(from, any_replica, EdgeKind::Replication);
                }
            }
            ReplicationMode::Async => {
                cx.attr("mode", Attr::Text("async".into()));
                cx.attr("rpo", Attr::Secs(self.lag.map_or(1.0, |d| d.secs)));
            }
        }
    }
}

/// A synchronous commit waits for a replica's acknowledgement, which travels over the
/// network (PostgreSQL documentation, 'Synchronous Replication': with no synchronous
/// standby connected, commits wait). So with `when_replica_down: block` the primary
/// needs a replica that works and that its host reaches: a replica's server on the
/// network must have a working path to the primary's server (`Reach({replica host},
/// primary host)`), and the single inter-site link of a sync pair is a single point of
/// failure of the primary. A replica or primary off the network (no link in its closure)
/// only has to work, as before.
///
/// Only a primary hosted on a server (a database process) gets the path: the path is
/// asked of its host, whose state does not depend on the primary. A primary that is a
/// server or an array itself keeps the replica's working as its only need (its path
/// would depend on its own state), in every engine, and the scenario gets a warning
/// saying so.
///
/// Runs after every link is lowered. O(replication groups × (replicas + edges) +
/// network size).
pub fn finish(b: &mut crate::model::ModelBuilder) {
    let net = crate::model::NetworkIndex::new(&b.model);
    let mut rewrites = Vec::new();
    let mut unrouted = Vec::new();
    for g in b.model.groups.iter().filter(|g| is_replication(g)) {
        let blocks = crate::model::text_attr(&g.attrs, "mode") == Some("sync")
            && crate::model::text_attr(&g.attrs, "when_replica_down") == Some("block");
        let Some((&primary, replicas)) = g.members.split_first() else { continue };
        let primary_host = b.host_of(primary);
        if !blocks || !net.on_network(primary_host) {
            continue;
        }
        if primary_host == primary {
            if replicas.iter().any(|&r| net.on_network(b.host_of(r))) {
                unrouted.push((g.span, b.model.elements[primary.0 as usize].name.clone()));
            }
            continue;
        }
        let reached: Vec<(ElementId, Req)> = replicas
            .iter()
            .map(|&r| {
                let host = b.host_of(r);
                let need = if net.on_network(host) {
                    Req::All(vec![Req::Element(r), Req::Path { from: host, to: primary_host, probe: false }])
                } else {
                    Req::Element(r)
                };
                (r, need)
            })
            .collect();
        rewrites.push((primary, reached));
    }
    for (primary, reached) in rewrites {
        let needs = &mut b.model.elements[primary.0 as usize].needs;
        let reached = |e: ElementId| reached.iter().find(|(r, _)| *r == e).map(|(_, need)| need.clone());
        *needs = std::mem::replace(needs, Req::Always).with_elements_replaced(&reached);
    }
    let help = "name the database process as the primary, e.g. \"from\": \"db-1/db\" (with \"runs\": [\"db\"] on db-1); an array's remote copy has no process to name: where a link or switch between the arrays can stop commits, write \"when_replica_down\": \"degrade-to-async\" or check the path with a drill";
    for (span, primary) in unrouted {
        b.warn(
            span,
            format!("sync replication from {primary}, which is not a process on a host: commits block without a replica, but the network path of the replicas' acknowledgements is not modelled, so a link or switch between them that can stop commits is missed (optimistic), and a lost replica takes down everything on {primary}, not only its writes (pessimistic for what else it serves)"),
            help,
        );
    }
}

/// Simulated timing: the first working member serves; what a change of primary loses
/// is in [`copies`], read by the simulator's data sets.
pub fn profile(_: &crate::model::Model, _: &crate::model::Group) -> crate::simulate::SimProfile {
    crate::simulate::SimProfile::plain(crate::simulate::Behaviour::Primary)
}

/// Per replication source: its replicas and how far each runs behind (the async lag,
/// 0 for sync), from every replication group, sources in group order.
pub fn copies(model: &crate::model::Model) -> Vec<(crate::model::ElementId, Vec<(crate::model::ElementId, f64)>)> {
    let mut out: Vec<(crate::model::ElementId, Vec<(crate::model::ElementId, f64)>)> = Vec::new();
    for g in model.groups.iter().filter(|g| is_replication(g)) {
        let Some((&source, replicas)) = g.members.split_first() else { continue };
        let lag = match crate::model::text_attr(&g.attrs, "mode") {
            Some("async") => crate::model::secs_attr(&g.attrs, "rpo").unwrap_or(0.0),
            _ => 0.0,
        };
        let entry = match out.iter().position(|(s, _)| *s == source) {
            Some(i) => &mut out[i].1,
            None => {
                out.push((source, Vec::new()));
                &mut out.last_mut().expect("just pushed").1
            }
        };
        entry.extend(replicas.iter().map(|&r| (r, lag)));
    }
    out
}

/// A replication group (its members are copies, not a cluster of peers).
pub fn is_replication(g: &crate::model::Group) -> bool {
    g.kind == "replication"
}
