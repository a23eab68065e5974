//! Load balancers and their pools (HAProxy Configuration Manual: `check`, `inter`, `fall`, `rise`,
//! `cookie`, `option redispatch`; keepalived documentation, 'Introduction').
//!
//! A pool spreads requests over its members (round robin, least connections, response
//! time, source hash). A health or content check (HAProxy defaults: every 2 s, 3 misses
//! to mark down, 2 successes to mark up) removes a dead member; until then its share of
//! requests fails. Persistence keeps a client on one member, and loses its session on
//! failover unless sessions are replicated. The balancer itself is a SPOF unless it is
//! a pair sharing a VIP (a `vrrp` group of load balancers).

use schemars::JsonSchema;
use serde::Deserialize;

use super::power::{lower_power, PowerSpec};
use super::Ref;
use crate::diagnostics::Code;
use crate::model::{
    Arrangement, Attr, EdgeKind, Layer, LowerCx, ModelBuilder, NodeRef, Req, Switchover, Target, Visibility,
};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[&KindOf::<LoadBalancerSpec>::NEW, &KindOf::<PoolSpec>::NEW];

/// A load balancer (appliance or software such as HAProxy or NGINX).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LoadBalancerSpec {
    /// Power sources (PDUs, UPSes or feeds), one PSU on each: `"power": ["pdu-a", "pdu-b"]`;
    /// omitted, power is not modelled.
    pub power: Option<PowerSpec>,
    /// Power draw in watts (positive); with PSU capacities, decides how many PSUs it
    /// needs, e.g. `"draw_watts": 350`.
    pub draw_watts: Option<f64>,
    /// OSI layer it balances at: 4 (TCP) or 7 (HTTP), e.g. `"layer": 7`.
    pub layer: Option<u8>,
}

impl Spec for LoadBalancerSpec {
    const INFO: KindInfo = KindInfo {
        name: "load-balancer",
        section: Section::Components,
        layer: Layer::Network,
        doc: "A load balancer (L4/L7).",
        failure: Some(("10y", "4h")),
        // Restart: no vendor figure found; a spofsim default, as for switches (NVIDIA: up to
        // five minutes).
        restart: Some("5m"),
    };
    fn lower(&self, cx: &mut LowerCx) {
        lower_power(cx, &self.power, self.draw_watts);
        match self.layer {
            None => {}
            Some(l @ (4 | 7)) => cx.attr("osi_layer", Attr::Count(l.into())),
            Some(l) => cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("load balancers work at layer 4 or 7, not {l}"),
                "write \"layer\": 4 or \"layer\": 7",
            ),
        }
    }
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    #[default]
    RoundRobin,
    LeastConnections,
    ResponseTime,
    SourceHash,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Persistence {
    #[default]
    None,
    /// An inserted cookie names the member.
    Cookie,
    /// Client address hashing.
    SourceIp,
    /// The balancer's session table.
    SessionTable,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum CheckKind {
    /// TCP connect.
    #[default]
    Tcp,
    /// HTTP GET, status only.
    Http,
    /// HTTP GET of a registered URL, checking the content.
    Content,
}

/// A health or content check.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    /// "tcp" (default: TCP connect), "http" (HTTP GET, status only) or "content" (the
    /// page's content; needs `url`).
    #[serde(default, rename = "type")]
    pub check: CheckKind,
    /// The URL fetched by http and content checks (required for content), e.g.
    /// `"url": "/health"`.
    pub url: Option<String>,
    /// Time between checks (HAProxy default 2s).
    pub interval: Option<Duration>,
    /// Failed checks before a member is marked down (HAProxy default 3).
    pub fall: Option<u32>,
    /// Successful checks before it is marked up again (HAProxy default 2).
    pub rise: Option<u32>,
}

/// Lowers a check to (detection delay, recovery delay) and records it.
pub fn lower_check(cx: &mut LowerCx, check: &CheckSpec) -> Option<(f64, f64)> {
    let interval = check.interval.map_or(2.0, |d| d.secs);
    let fall = check.fall.unwrap_or(3);
    let rise = check.rise.unwrap_or(2);
    if interval <= 0.0 || fall == 0 || rise == 0 {
        cx.error(
            Code::ImpossibleValue,
            cx.span,
            "check interval, fall and rise must be above zero",
            "HAProxy defaults: interval 2s, fall 3, rise 2",
        );
        return None;
    }
    if check.check == CheckKind::Content && check.url.is_none() {
        cx.error(
            Code::MissingField,
            cx.span,
            "a content check needs a \"url\"",
            "add \"url\": \"/health\" (a page that exercises the application)",
        );
    }
    let kind = match check.check {
        CheckKind::Tcp => "tcp",
        CheckKind::Http => "http",
        CheckKind::Content => "content",
    };
    cx.attr("check", Attr::Text(kind.into()));
    cx.attr("check_interval", Attr::Secs(interval));
    cx.attr("check_fall", Attr::Count(fall.into()));
    cx.attr("check_rise", Attr::Count(rise.into()));
    Some((interval * f64::from(fall), interval * f64::from(rise)))
}

/// A pool of members behind a load balancer (or an LB pair's VRRP group).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PoolSpec {
    /// The load balancer, the `vrrp` group of an LB pair, or a `gslb` across sites.
    pub balancer: Ref,
    /// Servers or processes that serve the requests.
    pub members: Vec<Ref>,
    /// "round-robin" (default), "least-connections", "response-time" or "source-hash";
    /// recorded only: it does not change the analysis.
    #[serde(default)]
    pub algorithm: Algorithm,
    /// Health check that takes a dead member out after interval × fall, e.g.
    /// `"check": { "type": "http" }`; without one its share of requests fails until repair.
    pub check: Option<CheckSpec>,
    /// "none" (default), "cookie", "source-ip" or "session-table": pinned clients lose
    /// their session on failover unless the members are in a `session-replication` group.
    #[serde(default)]
    pub persistence: Persistence,
    /// Members needed to carry the load (default 1; at most the member count).
    pub need: Option<u32>,
}

impl Spec for PoolSpec {
    const INFO: KindInfo = KindInfo {
        name: "lb-pool",
        section: Section::Groups,
        layer: Layer::Compute,
        doc: "Members behind a load balancer, with algorithm, health check and persistence.",
        failure: None,
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some(g) = cx.me_group() else { return };
        let balancer = cx.resolve(&self.balancer, &["load-balancer", "vrrp", "gslb"], "a pool's balancer");
        super::check_distinct(cx, &self.members, "the pool");
        let members = super::resolve_elements(cx, &self.members, &["server", "process"], "a pool member");
        let need = self.need.unwrap_or(1);
        if need == 0 || need as usize > self.members.len() {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("need = {need} but the pool has {} members", self.members.len()),
                "need is how many members must work to carry the load: between 1 and the member count",
            );
            return;
        }
        // Without a check nobody takes a dead member out of rotation: its share of the
        // requests fails until it is repaired (HAProxy sends to a server without `check`
        // whatever its state). The service stays up through the others, degraded.
        let (detect, sees) = match &self.check {
            Some(c) => match lower_check(cx, c) {
                Some((d, rise)) => {
                    cx.attr("readmit", Attr::Secs(rise));
                    (d, Visibility::Peers)
                }
                None => return,
            },
            None => (0.0, Visibility::Nothing),
        };
        cx.set_members(members);
        if let Some(grp) = cx.group_mut() {
            grp.arrangement = Arrangement::ActiveActive { need };
            grp.switchover = Some(Switchover { detect_secs: detect, takeover_secs: 0.0, sees });
        }
        let alg = match self.algorithm {
            Algorithm::RoundRobin => "round-robin",
            Algorithm::LeastConnections => "least-connections",
            Algorithm::ResponseTime => "response-time",
            Algorithm::SourceHash => "source-hash",
        };
        let persistence = match self.persistence {
            Persistence::None => "none",
            Persistence::Cookie => "cookie",
            Persistence::SourceIp => "source-ip",
            Persistence::SessionTable => "session-table",
        };
        cx.attr("algorithm", Attr::Text(alg.into()));
        cx.attr("persistence", Attr::Text(persistence.into()));
        match balancer {
            Some(Target::Element(b)) => cx.group_need(g, Req::Element(b), EdgeKind::Serves),
            Some(Target::Group(b)) => cx.group_need(g, Req::Group(b), EdgeKind::Serves),
            _ => return,
        }
        cx.attr("balancer", Attr::Text(self.balancer.value.clone()));
    }
}

/// After all kinds lowered: requests reach a pool through its balancer, so a service
/// that names the pool but not the balancer passes through the balancer first (its
/// cables and switch are then on the path, as they are in the rack).
pub fn finish(b: &mut ModelBuilder) {
    for s in 0..b.model.services.len() {
        let mut through = Vec::new();
        for tier in b.model.services[s].through.clone() {
            if let NodeRef::Group(g) = tier {
                let balancer = match b.model.groups[g.0 as usize].attrs.get("balancer") {
                    Some(Attr::Text(name)) => match b.lookup(name) {
                        Some((Target::Element(e), _)) => Some(NodeRef::Element(e)),
                        Some((Target::Group(v), _)) => Some(NodeRef::Group(v)),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(lb) = balancer.filter(|lb| !through.contains(lb)) {
                    through.push(lb);
                    b.edge(NodeRef::Service(s as u32), lb, EdgeKind::Serves);
                }
            }
            through.push(tier);
        }
        b.model.services[s].through = through;
    }
}

/// Simulated timing: a dead backend keeps its share of requests (failing) until the
/// health check takes it out (interval × fall).
pub fn profile(model: &crate::model::Model, g: &crate::model::Group) -> crate::simulate::SimProfile {
    use crate::simulate::{Behaviour, SimProfile};
    let pinned = crate::model::text_attr(&g.attrs, "persistence").is_some_and(|p| p != "none");
    // The balancer checks the backends over the network (HAProxy `check`): what it
    // cannot reach fails its checks.
    let checked_from = crate::model::text_attr(&g.attrs, "balancer").and_then(|name| {
        model
            .element_by_name(name)
            .map(|e| crate::model::NodeRef::Element(e.id))
            .or_else(|| model.groups.iter().find(|o| o.name == name).map(|o| crate::model::NodeRef::Group(o.id)))
    });
    SimProfile {
        loses_sessions: pinned && !g.members.iter().all(|&m| super::session::replicated(model, m)),
        checked_from,
        // A repaired backend serves again after `rise` good checks.
        readmit_secs: crate::model::secs_attr(&g.attrs, "readmit").unwrap_or(0.0),
        check_interval_secs: crate::model::secs_attr(&g.attrs, "check_interval").unwrap_or(0.0),
        ..SimProfile::plain(Behaviour::Share)
    }
}
