//! DNS round robin and GSLB (caching for the TTL: RFC 1034 §3.6).
//!
//! Round robin hands out every address in turn and checks no health: clients keep
//! reaching a dead member until they retry or the TTL expires (a partial outage).
//! GSLB answers with one healthy site's address, after its check notices a failure;
//! clients hold the old answer for the TTL (a full outage for single-answer GSLB).
//!
//! Clients may cache an answer longer than its TTL (`client_cache`): the JVM keeps a
//! successful lookup for `networkaddress.cache.ttl`, 30 s by default and forever when a
//! security manager is installed (Java SE `java.security` file, "networkaddress.cache.ttl";
//! `InetAddress` API documentation, "InetAddress Caching"), and connection pools hold
//! their connections' addresses until they reconnect. They then hold a dead answer for
//! max(TTL, cache); with `"forever"` they never move off it (until the client restarts,
//! which spofsim does not model): a single-answer GSLB then fails over nobody, and a dead
//! round-robin address keeps its share until its repair.

use schemars::JsonSchema;
use serde::Deserialize;

use super::load_balancer::{lower_check, CheckSpec};
use super::power::{lower_power, PowerSpec};
use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Arrangement, Attr, EdgeKind, Layer, LowerCx, Req, Switchover, Visibility};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

/// How long clients keep a DNS answer whatever its TTL: a duration, or `"forever"`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ClientCache {
    For(Duration),
    Forever,
}

impl<'de> Deserialize<'de> for ClientCache {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = ClientCache;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a duration such as \"30s\", or \"forever\"")
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<ClientCache, E> {
                if s.trim() == "forever" {
                    return Ok(ClientCache::Forever);
                }
                crate::units::parse_duration(s)
                    .map(ClientCache::For)
                    .map_err(|(m, h)| crate::de::value_error(m, format!("{h}, or \"forever\"")))
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for ClientCache {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ClientCache".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^(forever|([0-9]+(\\.[0-9]+)?(ms|s|m|h|d|w|y))+)$",
            "description": "How long clients keep an answer whatever its TTL: a duration (e.g. \"30s\", the JVM's default networkaddress.cache.ttl) or \"forever\".",
            "examples": ["30s", "forever"]
        })
    }
}

/// How long clients hold an answer: its TTL, or longer with a client cache; infinite
/// for a cache that never expires.
fn held_secs(ttl: f64, cache: Option<ClientCache>) -> f64 {
    match cache {
        None => ttl,
        Some(ClientCache::For(d)) => ttl.max(d.secs),
        Some(ClientCache::Forever) => f64::INFINITY,
    }
}

pub static KINDS: &[&dyn Kind] =
    &[&KindOf::<DnsServerSpec>::NEW, &KindOf::<RoundRobinSpec>::NEW, &KindOf::<GslbSpec>::NEW];

/// An authoritative DNS server.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DnsServerSpec {
    /// Power sources (PDUs, UPSes or feeds), one PSU on each: `"power": ["pdu-a", "pdu-b"]`;
    /// omitted, power is not modelled.
    pub power: Option<PowerSpec>,
    /// Power draw in watts (positive); with PSU capacities, decides how many PSUs it
    /// needs, e.g. `"draw_watts": 350`.
    pub draw_watts: Option<f64>,
}

impl Spec for DnsServerSpec {
    const INFO: KindInfo = KindInfo {
        name: "dns-server",
        section: Section::Components,
        layer: Layer::Network,
        doc: "An authoritative DNS server (or a managed DNS service).",
        failure: Some(("10y", "2h")),
        // Restart: a server's (see `server`).
        restart: Some("10m"),
    };
    fn lower(&self, cx: &mut LowerCx) {
        lower_power(cx, &self.power, self.draw_watts);
    }
}

/// A name resolves only while a resolver reaches one of its authoritative servers. A
/// `dns-server` cabled into the design (an end of some link) must therefore be reached,
/// over working paths, from the entry of every service that resolves the name: its
/// switch or uplink is then on the service's failure logic like any other (RFC 1034
/// §2.4: resolvers query the name servers over the network). One written without links
/// stands for a name service off the design's network (a managed or anycast DNS
/// provider) and only has to work, as a quorum device without cables is reached by
/// every node (docs/SEMANTICS.md §3).
///
/// A name resolved by services with different entries needs its cabled servers reached
/// from each (one set of needs per group; pessimistic for the services whose entry still
/// reaches them), and the scenario gets a warning saying so.
///
/// Runs after every service is lowered (the entries are known then; it relies on
/// `load_balancer::finish` having run, which puts balancers into `through`); O(groups ×
/// services + size of the DNS groups' needs + network size).
pub fn finish(b: &mut crate::model::ModelBuilder) {
    use crate::model::{ElementId, GroupId, NodeRef};
    let net = crate::model::NetworkIndex::new(&b.model);
    let linked: Vec<bool> = b.model.elements.iter().map(|e| net.on_network(e.id)).collect();
    let mut shared = Vec::new();
    for g in 0..b.model.groups.len() {
        if !matches!(b.model.groups[g].kind, "gslb" | "dns-rr") {
            continue;
        }
        let tier = NodeRef::Group(GroupId(g as u32));
        let mut entries: Vec<ElementId> =
            b.model.services.iter().filter(|s| s.through.contains(&tier)).map(|s| s.from).collect();
        entries.sort_unstable();
        entries.dedup();
        if entries.is_empty() {
            continue;
        }
        let elements = &b.model.elements;
        let group = &b.model.groups[g];
        let mut cabled = false;
        group.needs.visit(&mut |r| {
            if let Req::Element(d) = r {
                cabled |= elements[d.0 as usize].kind == "dns-server" && linked[d.0 as usize];
            }
        });
        if cabled && entries.len() > 1 {
            let names: Vec<String> = entries.iter().map(|e| elements[e.0 as usize].name.clone()).collect();
            shared.push((group.span, group.name.clone(), names));
        }
        let reached = |d: ElementId| -> Option<Req> {
            (elements[d.0 as usize].kind == "dns-server" && linked[d.0 as usize]).then(|| {
                let paths = entries.iter().map(|&from| Req::Path { from, to: d, probe: false });
                Req::All(std::iter::once(Req::Element(d)).chain(paths).collect())
            })
        };
        let needs = std::mem::replace(&mut b.model.groups[g].needs, Req::Always);
        b.model.groups[g].needs = needs.with_elements_replaced(&reached);
    }
    for (span, name, entries) in shared {
        b.warn(
            span,
            format!("{name} is resolved by services entering at {}: its cabled name servers must be reached from each of them, so one entry's lost path to them takes every service through {name} down (pessimistic for the others)", entries.join(" and ")),
            "give each entry's services their own name (a gslb or dns-rr group each), or leave the name servers uncabled when the resolvers reach them outside this design",
        );
    }
}

/// Members a name can resolve to.
const ANSWERS: &[&str] = &["server", "process", "load-balancer", "router", "firewall"];

/// DNS round robin: one name, several addresses, no health check.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundRobinSpec {
    /// The DNS name, for reports, e.g. `"name": "www.example.com"`.
    pub name: Option<String>,
    /// The addresses handed out (at least two): servers, processes, load balancers,
    /// routers or firewalls.
    pub members: Vec<Ref>,
    /// Record TTL (default 300s): clients keep a dead address this long, e.g. `"ttl": "60s"`.
    pub ttl: Option<Duration>,
    /// Clients cache answers this long whatever the TTL (default: they honour the TTL,
    /// RFC 1034 §3.6), e.g. `"client_cache": "30s"` (the JVM's default) or `"forever"`.
    pub client_cache: Option<ClientCache>,
    /// Authoritative `dns-server`s for the name; it resolves while any of them works.
    #[serde(default)]
    pub servers: Vec<Ref>,
}

/// Global server load balancing across sites.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GslbSpec {
    /// The DNS name, for reports, e.g. `"name": "www.example.com"`.
    pub name: Option<String>,
    /// Each site's front door, at least two: a load balancer, router, firewall, server or
    /// process (not a group such as a `vrrp` VIP).
    pub members: Vec<Ref>,
    /// Record TTL (default 300s): clients keep the old answer this long after a failover,
    /// e.g. `"ttl": "60s"`.
    pub ttl: Option<Duration>,
    /// Clients cache answers this long whatever the TTL (default: they honour the TTL,
    /// RFC 1034 §3.6), e.g. `"client_cache": "30s"` (the JVM's default) or `"forever"`.
    pub client_cache: Option<ClientCache>,
    /// How GSLB notices a dead site (interval × fall), e.g. `"check": { "type": "http" }`;
    /// without one it never moves clients off a dead site.
    pub check: Option<CheckSpec>,
    /// "single" (default): one address per answer (failover); "all": every healthy address.
    #[serde(default)]
    pub answers: Answers,
    /// Authoritative `dns-server`s for the name; it resolves while any of them works.
    #[serde(default)]
    pub servers: Vec<Ref>,
    /// Failover preconditions: components, links or sites a takeover needs at that
    /// moment but not in steady state (a DNS provider's API, an orchestrator), e.g.
    /// `"require": ["dns-api"]`. A takeover waits until they work again. Single answers
    /// only.
    #[serde(default)]
    pub require: Vec<Ref>,
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum Answers {
    #[default]
    Single,
    All,
}

/// Lowers what DNS round robin and GSLB share; with `first_only`, the group keeps only
/// the first answer as a member (a GSLB that never moves clients off it).
fn lower_dns(
    cx: &mut LowerCx,
    members: &[Ref],
    servers: &[Ref],
    ttl: Option<Duration>,
    name: &Option<String>,
    first_only: bool,
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
    let resolved = if first_only { resolved.into_iter().take(1).collect() } else { resolved };
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
        restart: None,
    };
    fn lower(&self, cx: &mut LowerCx) {
        let Some(ttl) = lower_dns(cx, &self.members, &self.servers, self.ttl, &self.name, false) else {
            return;
        };
        let held = held_secs(ttl, self.client_cache);
        if let Some(ClientCache::For(d)) = self.client_cache {
            cx.attr("client_cache", Attr::Secs(d.secs));
        }
        if let Some(g) = cx.group_mut() {
            g.arrangement = Arrangement::ActiveActive { need: 1 };
            // Nobody detects; clients give up on the dead address after the TTL (or
            // their cache), never with a cache that does not expire.
            g.switchover = held.is_finite().then_some(Switchover {
                detect_secs: held,
                takeover_secs: 0.0,
                sees: Visibility::Nothing,
            });
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
        restart: None,
    };
    fn lower(&self, cx: &mut LowerCx) {
        // Without a health check a single-answer GSLB keeps handing out its first
        // answer, so that site alone serves; an all-answer GSLB keeps handing out every
        // address, a dead one too, as DNS round robin does.
        // A client cache that never expires keeps clients on the first answer too.
        let forever = self.client_cache == Some(ClientCache::Forever);
        let unchecked_single = (self.check.is_none() || forever) && self.answers == Answers::Single;
        let Some(ttl) = lower_dns(cx, &self.members, &self.servers, self.ttl, &self.name, unchecked_single) else {
            return;
        };
        let held = held_secs(ttl, self.client_cache);
        if let Some(ClientCache::For(d)) = self.client_cache {
            cx.attr("client_cache", Attr::Secs(d.secs));
        }
        if forever {
            cx.warn(
                cx.span,
                "clients cache the answer forever, so a failover reaches none of them: the first answer's site alone serves (and a dead address keeps its share)",
                "bound the cache, e.g. networkaddress.cache.ttl=30 in the JVM's java.security, and write \"client_cache\": \"30s\"",
            );
        }
        let detect = match &self.check {
            Some(c) => match lower_check(cx, c) {
                Some((d, _)) => d,
                None => return,
            },
            None => {
                let first = self.members.first().map_or(String::new(), |m| m.value.clone());
                let message = if unchecked_single {
                    format!("GSLB without a health check never moves clients off a dead site: it keeps answering {first}, so the service depends on it alone")
                } else {
                    "GSLB without a health check keeps answering with dead sites: their share of clients fails until the site is repaired".to_string()
                };
                cx.warn(cx.span, message, "add \"check\": { \"type\": \"http\" }");
                f64::INFINITY
            }
        };
        match self.answers {
            // A healthy first site gets its clients back: preemption.
            Answers::Single => super::precondition::lower_requires(cx, &self.require, true),
            Answers::All if !self.require.is_empty() => super::precondition::no_takeover(
                cx,
                "require",
                "a GSLB answering with every site",
                "answer with one site: \"answers\": \"single\"",
            ),
            Answers::All => {}
        }
        cx.attr("answers", Attr::Text(if self.answers == Answers::All { "all" } else { "single" }.into()));
        let depths = probe_depths(cx, self.check.as_ref());
        if let Some(g) = cx.group_mut() {
            g.arrangement = match self.answers {
                Answers::Single => Arrangement::ActiveStandby,
                Answers::All => Arrangement::ActiveActive { need: 1 },
            };
            g.switchover = match (detect.is_finite() && held.is_finite(), self.answers) {
                (true, _) => Some(Switchover {
                    detect_secs: detect,
                    takeover_secs: held,
                    sees: Visibility::Probes { onward_tiers: depths },
                }),
                // As DNS round robin: nobody detects, a dead address keeps its share.
                (false, Answers::All) => held.is_finite().then_some(Switchover {
                    detect_secs: held,
                    takeover_secs: 0.0,
                    sees: Visibility::Nothing,
                }),
                // One member: nothing to switch to.
                (false, Answers::Single) => None,
            };
        }
    }
}

/// Per member (the group's resolved members), how far along the service a GSLB check's
/// request travels ([`Visibility::Probes`]): a `tcp` check connects to the front door
/// only; an `http` check's status comes from the member itself when it is a server or
/// process, and from the next tier when the member passes requests on (a load balancer
/// answers 503 with no server to send to: HAProxy Configuration Manual, "503 Service
/// Unavailable"; a router or firewall lets the request through); a `content` check's
/// page (its `url`) exercises every tier.
fn probe_depths(cx: &LowerCx, check: Option<&CheckSpec>) -> Vec<u32> {
    use super::load_balancer::CheckKind;
    let members = cx.me_group().map_or_else(Vec::new, |g| cx.builder.model.groups[g.0 as usize].members.clone());
    members
        .iter()
        .map(|&m| match check.map(|c| c.check) {
            None | Some(CheckKind::Tcp) => 0,
            Some(CheckKind::Content) => u32::MAX,
            Some(CheckKind::Http) => match cx.builder.model.element(m).kind {
                "server" | "process" => 0,
                _ => 1,
            },
        })
        .collect()
}

/// Simulated timing: round robin keeps handing out a dead address (its share fails);
/// single-answer GSLB switches after check + TTL (or the outage ends sooner, when the
/// member that served is back: clients still holding its answer reach it), and answers its first site again once
/// that site is healthy (fail-back, with no outage: clients still holding the other
/// answer reach a working site), except towards a DR site, whose failback is a planned
/// operation; all-answer GSLB shares.
pub fn profile(model: &crate::model::Model, g: &crate::model::Group) -> crate::simulate::SimProfile {
    use crate::simulate::{Behaviour, SimProfile};
    let behaviour = match g.arrangement {
        crate::model::Arrangement::ActiveStandby if g.switchover.is_some() => Behaviour::Switchover,
        crate::model::Arrangement::ActiveStandby => Behaviour::Primary,
        crate::model::Arrangement::ActiveActive { .. } => Behaviour::Share,
    };
    SimProfile {
        // BIG-IP DNS "Global Availability" answers the first available pool member;
        // Route 53 failover routing answers the primary whenever its check passes.
        preempt: behaviour == Behaviour::Switchover
            && g.members.iter().all(|&m| model.element(m).site.and_then(|s| model.element(s).dr_rto_secs).is_none()),
        // The takeover is the TTL running out in clients' caches.
        takeover_is_client_caches: behaviour == Behaviour::Switchover,
        // Its checkers probe from the internet, where the clients are: a site they
        // cannot reach is dropped (all answers) or failed over from (single answer).
        checked_from_entries: g
            .switchover
            .as_ref()
            .is_some_and(|s| matches!(s.sees, crate::model::Visibility::Probes { .. })),
        ..SimProfile::plain(behaviour)
    }
}

#[cfg(test)]
mod tests {
    /// Two sites behind GSLB, each one server on its own switch.
    fn two_sites(gslb: &str) -> String {
        format!(
            r#"{{ "components": {{ "internet": {{"kind": "entry"}},
                "a-sw": {{"kind": "switch"}}, "b-sw": {{"kind": "switch"}},
                "a-web": {{"kind": "server", "nics": ["a-sw"], "runs": ["web"]}},
                "b-web": {{"kind": "server", "nics": ["b-sw"], "runs": ["web"]}} }},
              "links": [ {{"between": ["internet", "a-sw"]}}, {{"between": ["internet", "b-sw"]}} ],
              "groups": {{ "g": {gslb} }},
              "services": {{ "shop": {{"from": "internet", "through": ["g"]}} }} }}"#
        )
    }

    fn spofs(gslb: &str) -> Vec<String> {
        let loaded = crate::load(&two_sites(gslb));
        let model = loaded.model.expect("valid");
        let singles = crate::analysis::single_failures::single_failures(&model);
        let mut names: Vec<String> =
            singles[0].as_ref().unwrap().iter().map(|&e| model.element(e).name.clone()).collect();
        names.sort();
        names
    }

    /// A single-answer GSLB with no health check keeps answering its first site: every
    /// part of that site's path is a SPOF (the warning said so while the figures did
    /// not). With a check, or answering with every site, no single failure stops it.
    #[test]
    fn an_unchecked_single_answer_gslb_depends_on_its_first_site() {
        let unchecked = spofs(r#"{ "kind": "gslb", "members": ["a-web/web", "b-web/web"] }"#);
        assert_eq!(unchecked, ["a-sw", "a-web", "a-web/eth0", "a-web/eth0~a-sw", "a-web/web", "internet~a-sw"]);
        let checked =
            spofs(r#"{ "kind": "gslb", "members": ["a-web/web", "b-web/web"], "check": { "type": "http" } }"#);
        assert!(checked.is_empty(), "{checked:?}");
        let all = spofs(r#"{ "kind": "gslb", "members": ["a-web/web", "b-web/web"], "answers": "all" }"#);
        assert!(all.is_empty(), "{all:?}");
        let text = two_sites(r#"{ "kind": "gslb", "members": ["a-web/web", "b-web/web"] }"#);
        let warnings: Vec<String> = crate::load(&text).diagnostics.iter().map(|d| d.message.clone()).collect();
        assert!(warnings.iter().any(|w| w.contains("keeps answering a-web/web")), "{warnings:?}");
    }

    /// Clients that cache answers forever never follow a failover: a checked,
    /// single-answer GSLB then depends on its first site as if unchecked, and says so.
    /// A bounded cache changes no SPOF (only the failover time, `tests/cases/drills/
    /// dns-client-cache.jsonc`).
    #[test]
    fn a_client_cache_that_never_expires_pins_the_first_site() {
        let checked = r#"{ "kind": "gslb", "members": ["a-web/web", "b-web/web"], "check": { "type": "http" } }"#;
        assert!(spofs(checked).is_empty());
        let bounded = checked.replace(r#""check""#, r#""client_cache": "30s", "check""#);
        assert!(spofs(&bounded).is_empty());
        let forever = checked.replace(r#""check""#, r#""client_cache": "forever", "check""#);
        assert_eq!(spofs(&forever), ["a-sw", "a-web", "a-web/eth0", "a-web/eth0~a-sw", "a-web/web", "internet~a-sw"]);
        let loaded = crate::load(&two_sites(&forever));
        assert!(loaded.diagnostics.iter().any(|d| d.message.contains("cache the answer forever")));
        let bad = crate::load(&two_sites(&checked.replace(r#""check""#, r#""client_cache": "always", "check""#)));
        assert!(
            bad.diagnostics.iter().any(|d| d.is_error() && d.help.as_deref().is_some_and(|h| h.contains("forever"))),
            "{:#?}",
            bad.diagnostics
        );
    }
}
