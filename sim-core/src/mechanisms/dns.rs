//! DNS round robin and GSLB (caching for the TTL: RFC 1034 §3.6).
//!
//! Round robin hands out every address in turn and checks no health: clients keep
//! reaching a dead member until they retry or the TTL expires (a partial outage).
//! GSLB answers with one healthy site's address, after its check notices a failure;
//! clients hold the old answer for the TTL (a full outage for single-answer GSLB).

use schemars::JsonSchema;
use serde::Deserialize;

use super::load_balancer::{lower_check, CheckSpec};
use super::power::{lower_power, PowerSpec};
use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Arrangement, Attr, EdgeKind, Layer, LowerCx, Req, Switchover, Visibility};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] =
    &[&KindOf::<DnsServerSpec>::NEW, &KindOf::<RoundRobinSpec>::NEW, &KindOf::<GslbSpec>::NEW];

/// An authoritative DNS server.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnsServerSpec {
    pub power: Option<PowerSpec>,
    pub draw_watts: Option<f64>,
}

impl Spec for DnsServerSpec {
    const INFO: KindInfo = KindInfo {
        name: "dns-server",
        section: Section::Components,
        layer: Layer::Network,
        doc: "An authoritative DNS server (or a managed DNS service).",
        failure: Some(("10y", "2h")),
    };
    fn lower(&self, cx: &mut LowerCx) {
        lower_power(cx, &self.power, self.draw_watts);
    }
}

/// Members a name can resolve to.
const ANSWERS: &[&str] = &["server", "process", "load-balancer", "router", "firewall"];

/// DNS round robin: one name, several addresses, no health check.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundRobinSpec {
    /// The DNS name, for reports.
    pub name: Option<String>,
    /// The addresses handed out.
    pub members: Vec<Ref>,
    /// Record TTL (default 300s).
    pub ttl: Option<Duration>,
    /// Authoritative servers answering for the name.
    #[serde(default)]
    pub servers: Vec<Ref>,
}

/// Global server load balancing across sites.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GslbSpec {
    pub name: Option<String>,
    /// Each site's front door (its load balancer, VIP holder or web server).
    pub members: Vec<Ref>,
    pub ttl: Option<Duration>,
    /// How GSLB notices a dead site.
    pub check: Option<CheckSpec>,
    /// "single": one address per answer (failover); "all": every healthy address.
    #[serde(default)]
    pub answers: Answers,
    #[serde(default)]
    pub servers: Vec<Ref>,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Answers {
    #[default]
    Single,
    All,
}

fn lower_dns(
    cx: &mut LowerCx,
    members: &[Ref],
    servers: &[Ref],
    ttl: Option<Duration>,
    name: &Option<String>,
) -> Option<f64> {
    super::check_distinct(cx, members, "the DNS answers");
    let resolved = super::resolve_elements(cx, members, ANSWERS, "a DNS answer");
    let dns = super::resolve_elements(cx, servers, &["dns-server"], "a DNS server");
    if members.len() < 2 {
        cx.error(
            Code::ImpossibleValue,
            cx.span,
            format!("DNS load distribution needs at least two answers, found {}", members.len()),
            "list every address the name resolves to",
        );
        return None;
    }
    let ttl = ttl.map_or(300.0, |d| d.secs);
    cx.set_members(resolved);
    cx.attr("ttl", Attr::Secs(ttl));
    if let Some(n) = name {
        cx.attr("dns_name", Attr::Text(n.clone()));
    }
    if let (Some(g), false) = (cx.me_group(), dns.is_empty()) {
        cx.group_need(g, Req::any(dns.into_iter().map(Req::Element).collect()), EdgeKind::Serves);
    }
    Some(ttl)
}

impl Spec for RoundRobinSpec {
    const INFO: KindInfo = KindInfo {
        name: "dns-rr",
        section: Section::Groups,
        layer: Layer::Network,
        doc: "DNS round robin: several addresses, no health check.",
        failure: None,
    };
    fn lower(&self, cx: &mut LowerCx) {
        let Some(ttl) = lower_dns(cx, &self.members, &self.servers, self.ttl, &self.name) else {
            return;
        };
        if let Some(g) = cx.group_mut() {
            g.arrangement = Arrangement::ActiveActive { need: 1 };
            // Nobody detects; clients give up on the dead address after the TTL.
            g.switchover = Some(Switchover { detect_secs: ttl, takeover_secs: 0.0, sees: Visibility::Nothing });
        }
    }
}

impl Spec for GslbSpec {
    const INFO: KindInfo = KindInfo {
        name: "gslb",
        section: Section::Groups,
        layer: Layer::Network,
        doc: "Global server load balancing: DNS answers with a healthy site.",
        failure: None,
    };
    fn lower(&self, cx: &mut LowerCx) {
        let Some(ttl) = lower_dns(cx, &self.members, &self.servers, self.ttl, &self.name) else {
            return;
        };
        let detect = match &self.check {
            Some(c) => match lower_check(cx, c) {
                Some((d, _)) => d,
                None => return,
            },
            None => {
                cx.warn(
                    cx.span,
                    "GSLB without a health check never moves clients off a dead site",
                    "add \"check\": { \"type\": \"http\" }",
                );
                f64::INFINITY
            }
        };
        cx.attr("answers", Attr::Text(if self.answers == Answers::All { "all" } else { "single" }.into()));
        if let Some(g) = cx.group_mut() {
            g.arrangement = match self.answers {
                Answers::Single => Arrangement::ActiveStandby,
                Answers::All => Arrangement::ActiveActive { need: 1 },
            };
            g.switchover = detect.is_finite().then_some(Switchover {
                detect_secs: detect,
                takeover_secs: ttl,
                sees: Visibility::Peers,
            });
        }
    }
}

/// Simulated timing: round robin keeps handing out a dead address (its share fails);
/// single-answer GSLB switches after check + TTL; all-answer GSLB shares.
pub fn profile(_: &crate::model::Model, g: &crate::model::Group) -> crate::simulate::SimProfile {
    use crate::simulate::{Behaviour, SimProfile};
    SimProfile::plain(match g.arrangement {
        crate::model::Arrangement::ActiveStandby if g.switchover.is_some() => Behaviour::Switchover,
        crate::model::Arrangement::ActiveStandby => Behaviour::Primary,
        crate::model::Arrangement::ActiveActive { .. } => Behaviour::Share,
    })
}
