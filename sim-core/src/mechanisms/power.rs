//! Power: feeds → UPS → PDUs / rack taps → PSUs → devices (NIST SP 800-34 Rev. 1 §5.1.3).
//!
//! Lowers to: a UPS needs its feed (its battery only bridges outages shorter than
//! `battery_runtime`, which the simulator plays out); a PDU needs its source; a PSU
//! needs its PDU; a device needs at least k of its PSUs, where k is the fewest PSUs
//! whose capacity covers the device's draw. Redundancy is only real when ONE PSU can
//! carry the whole draw: otherwise k = 2 and each PSU becomes a single point of failure.

use std::fmt;

use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::{Ref, POWER_SOURCES};
use crate::diagnostics::Code;
use crate::model::{Attr, EdgeKind, ElementId, Layer, LowerCx, ModelBuilder, Req};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[
    &KindOf::<FeedSpec>::NEW,
    &KindOf::<UpsSpec>::NEW,
    &KindOf::<PduSpec>::NEW,
    &KindOf::<EnclosureSpec>::NEW,
    &KindOf::<PsuSpec>::NEW,
];

/// A utility power feed.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedSpec {}

impl Spec for FeedSpec {
    const INFO: KindInfo = KindInfo {
        name: "power-feed",
        section: Section::Components,
        layer: Layer::Power,
        doc: "A utility power feed.",
        // Utility grids: of the order of one sustained outage a year, a few hours long.
        failure: Some(("1y", "3h")),
        restart: None,
    };
    fn lower(&self, _: &mut LowerCx) {}
}

/// An uninterruptible power supply on a feed.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UpsSpec {
    /// The feed that charges the UPS: a `power-feed`, an `ats` (such as the
    /// utility/generator transfer switch in front of it), or a `pdu` (a rack UPS on a
    /// PDU outlet; NetBox's imported power feeds are PDUs).
    pub feed: Ref,
    /// How long the battery carries the load when the feed fails, e.g. "15m".
    pub battery_runtime: Duration,
    /// The most the UPS can deliver, in watts; the draws below it must fit (SPOF-L001),
    /// e.g. `"capacity_watts": 3000`.
    pub capacity_watts: Option<f64>,
}

impl Spec for UpsSpec {
    const INFO: KindInfo = KindInfo {
        name: "ups",
        section: Section::Components,
        layer: Layer::Power,
        doc: "A UPS: bridges feed outages for its battery runtime.",
        failure: Some(("10y", "8h")),
        restart: None,
    };
    fn lower(&self, cx: &mut LowerCx) {
        let Some(me) = cx.me_element() else { return };
        cx.attr("battery_runtime", Attr::Secs(self.battery_runtime.secs));
        cx.builder.model.elements[me.0 as usize].battery_runtime_secs = Some(self.battery_runtime.secs);
        if let Some(w) = positive_watts(cx, self.capacity_watts, "capacity_watts") {
            cx.attr("capacity_watts", Attr::Watts(w));
        }
        if let Some(feed) = cx.resolve_element(&self.feed, &["power-feed", "ats", "pdu"], "a UPS's feed") {
            cx.need(me, Req::Element(feed), EdgeKind::Power);
        }
    }
}

/// A power distribution unit or rack power tap.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PduSpec {
    /// What feeds this PDU: a UPS, a feed, or an upstream PDU.
    pub from: Ref,
    /// The most the PDU can deliver, in watts; the draws of the devices on it must fit
    /// (SPOF-L001), e.g. `"capacity_watts": 1000`.
    pub capacity_watts: Option<f64>,
    /// The housing this PDU shares with others (an `enclosure`): a dual-inlet PDU is one
    /// PDU per inlet, each fed on its own, all in one enclosure whose failure stops every
    /// one of them, e.g. `"enclosure": "pdu-1"`.
    pub enclosure: Option<Ref>,
}

impl Spec for PduSpec {
    const INFO: KindInfo = KindInfo {
        name: "pdu",
        section: Section::Components,
        layer: Layer::Power,
        doc: "A PDU / rack power tap: one power side of a rack.",
        failure: Some(("25y", "4h")),
        restart: None,
    };
    fn lower(&self, cx: &mut LowerCx) {
        let Some(me) = cx.me_element() else { return };
        if let Some(w) = positive_watts(cx, self.capacity_watts, "capacity_watts") {
            cx.attr("capacity_watts", Attr::Watts(w));
        }
        if let Some(src) = cx.resolve_element(&self.from, POWER_SOURCES, "a PDU's source") {
            cx.need(me, Req::Element(src), EdgeKind::Power);
        }
        if let Some(enclosure) = &self.enclosure {
            if let Some(unit) = cx.resolve_element(enclosure, &["enclosure"], "a PDU's enclosure") {
                cx.need(me, Req::Element(unit), EdgeKind::Power);
            }
        }
    }
}

/// The housing of a unit that is several power paths in one box: a dual-inlet (dual
/// circuit) PDU, whose inlets each feed their own outlets (NetBox records this as the
/// outlets' `power_port`). Each inlet's PDU fails on its own (a tripped breaker, its
/// cord); the enclosure's failure (its controller, its replacement) stops them all.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnclosureSpec {}

impl Spec for EnclosureSpec {
    const INFO: KindInfo = KindInfo {
        name: "enclosure",
        section: Section::Components,
        layer: Layer::Power,
        doc: "The housing several PDUs share (a dual-inlet PDU): its failure stops every PDU in it.",
        // As a PDU's own: the unit it houses.
        failure: Some(("25y", "4h")),
        restart: None,
    };
    fn lower(&self, _: &mut LowerCx) {}
}

/// A power supply unit written on its own (usually written inline with `power`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PsuSpec {
    /// The device this PSU is in.
    pub device: Ref,
    /// The PDU (or UPS, or feed) it is plugged into.
    pub from: Ref,
    /// What this PSU delivers, in watts; with the device's `draw_watts`, decides how many
    /// PSUs the device needs (unknown: one is enough), e.g. `"capacity_watts": 500`.
    pub capacity_watts: Option<f64>,
}

/// Kinds that have PSUs.
pub const POWERED: &[&str] = &[
    "server",
    "switch",
    "router",
    "firewall",
    "load-balancer",
    "storage-array",
    "san-switch",
    "dns-server",
    "quorum-device",
];

impl Spec for PsuSpec {
    const INFO: KindInfo = KindInfo {
        name: "psu",
        section: Section::Components,
        layer: Layer::Power,
        doc: "A power supply unit inside a device.",
        failure: Some(("15y", "4h")),
        restart: None,
    };
    fn lower(&self, cx: &mut LowerCx) {
        let Some(me) = cx.me_element() else { return };
        let capacity = positive_watts(cx, self.capacity_watts, "capacity_watts");
        let device = cx.resolve_element(&self.device, POWERED, "a PSU's device");
        let src = cx.resolve_element(&self.from, POWER_SOURCES, "a PSU's source");
        if let (Some(device), Some(src)) = (device, src) {
            cx.need(me, Req::Element(src), EdgeKind::Power);
            if let Some(w) = capacity {
                cx.attr("capacity_watts", Attr::Watts(w));
            }
            cx.builder.power_inputs.entry(device).or_default().push((me, capacity));
        }
    }
}

/// A device's power inputs: `["pdu-a", "pdu-b"]` (one PSU on each), or
/// `{ "from": ["pdu-a", "pdu-b"], "psu_capacity_watts": 500 }`.
#[derive(Debug, JsonSchema)]
#[schemars(untagged)]
pub enum PowerSpec {
    /// One PSU on each source.
    Sources(Vec<Ref>),
    Detailed(PowerDetail),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PowerDetail {
    /// One PSU on each of these sources.
    pub from: Vec<Ref>,
    /// Capacity of each PSU in watts; with `draw_watts`, decides how many PSUs the device
    /// needs (unknown: one is enough).
    pub psu_capacity_watts: Option<f64>,
}

impl<'de> Deserialize<'de> for PowerSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = PowerSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of power sources or an object with \"from\"")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PowerSpec, A::Error> {
                let mut refs = Vec::new();
                while let Some(r) = seq.next_element()? {
                    refs.push(r);
                }
                Ok(PowerSpec::Sources(refs))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PowerSpec, A::Error> {
                PowerDetail::deserialize(de::value::MapAccessDeserializer::new(map)).map(PowerSpec::Detailed)
            }
        }
        d.deserialize_any(V)
    }
}

/// `watts` when it is a positive finite number; otherwise an error on `field` and `None`.
pub(crate) fn positive_watts(cx: &mut LowerCx, watts: Option<f64>, field: &str) -> Option<f64> {
    let w = watts?;
    if !(w > 0.0 && w.is_finite()) {
        cx.error(
            Code::ImpossibleValue,
            cx.span,
            format!("{field} must be a positive number of watts, not {w}"),
            format!("e.g. \"{field}\": 500"),
        );
        return None;
    }
    Some(w)
}

/// Lowers a powered device's `power` and `draw_watts`: one PSU part per source.
pub fn lower_power(cx: &mut LowerCx, power: &Option<PowerSpec>, draw_watts: Option<f64>) {
    let Some(me) = cx.me_element() else { return };
    if let Some(draw) = positive_watts(cx, draw_watts, "draw_watts") {
        cx.attr("draw_watts", Attr::Watts(draw));
        cx.builder.power_draw.insert(me, draw);
    }
    let (sources, capacity) = match power {
        None => return,
        Some(PowerSpec::Sources(s)) => (s, None),
        Some(PowerSpec::Detailed(d)) => (&d.from, positive_watts(cx, d.psu_capacity_watts, "psu_capacity_watts")),
    };
    // A source listed twice is two PSUs plugged into it (NetBox records such devices):
    // legal, and the analysis shows that source as the single point of failure it is.
    let name = cx.me_name();
    for (i, source) in sources.iter().enumerate() {
        let Some(src) = cx.resolve_element(source, POWER_SOURCES, "a power source") else {
            // Its source is already reported: a reference to the PSU it would have
            // been stays silent, not a second error.
            cx.builder.broken(format!("{name}/psu-{}", i + 1));
            continue;
        };
        let psu = cx.part(format!("{name}/psu-{}", i + 1), "psu", Layer::Power, source.span);
        if let Some(w) = capacity {
            cx.element_attr(psu, "capacity_watts", Attr::Watts(w));
        }
        cx.need(psu, Req::Element(src), EdgeKind::Power);
        cx.builder.power_inputs.entry(me).or_default().push((psu, capacity));
    }
}

/// After all kinds lowered: each device needs the fewest PSUs that carry its draw.
pub fn finish(b: &mut ModelBuilder) {
    let inputs = std::mem::take(&mut b.power_inputs);
    for (device, psus) in inputs {
        let draw = b.power_draw.get(&device).copied();
        let k = needed_psus(draw, &psus);
        let span = b.model.elements[device.0 as usize].span;
        let name = b.model.elements[device.0 as usize].name.clone();
        let k = match k {
            Some(k) => k,
            None => {
                let total: f64 = psus.iter().filter_map(|p| p.1).sum();
                b.error(
                    Code::ImpossibleValue,
                    span,
                    format!("\"{name}\" draws {} W but its PSUs together deliver only {total} W", draw.unwrap_or(0.0)),
                    "use larger PSUs, add PSUs, or lower draw_watts",
                );
                continue;
            }
        };
        let of: Vec<Req> = psus.iter().map(|&(p, _)| Req::Element(p)).collect();
        b.model.elements[device.0 as usize].psus = psus.iter().map(|&(p, _)| p).collect();
        b.model.elements[device.0 as usize].psus_needed = k;
        let mut cx = LowerCx { builder: b, me: crate::model::Target::Element(device), span, site: None };
        cx.element_attr(device, "psus_needed", Attr::Count(k as u64));
        cx.need(device, Req::AtLeast { k, of }, EdgeKind::Power);
    }
}

/// Whether `e` is on a device's supply: one of its PSUs, or a power source (a PDU, a
/// UPS, a feed, a transfer switch) it draws from directly.
pub fn is_supply(e: &crate::model::Element) -> bool {
    e.kind == PsuSpec::INFO.name || crate::mechanisms::POWER_SOURCES.contains(&e.kind)
}

/// The power sources element `e` (a PSU, a PDU, a transfer switch) draws from, up to
/// the feeds, each once, in walk order (depth first, inputs in order).
pub fn upstream_power(model: &crate::model::Model, e: ElementId) -> Vec<ElementId> {
    let sources_of = |e: ElementId| {
        let mut named = Vec::new();
        model.element(e).needs.visit(&mut |r| {
            if let Req::Element(x) = r {
                named.push(*x);
            }
        });
        named
            .into_iter()
            .filter(|s| crate::mechanisms::POWER_SOURCES.contains(&model.element(*s).kind))
            .collect::<Vec<_>>()
    };
    let mut fed: Vec<ElementId> = Vec::new();
    let mut to_visit: Vec<ElementId> = sources_of(e);
    to_visit.reverse();
    while let Some(src) = to_visit.pop() {
        if fed.contains(&src) {
            continue;
        }
        fed.push(src);
        let mut up = sources_of(src);
        up.reverse();
        to_visit.extend(up);
    }
    fed
}

/// The fewest PSUs (largest first) whose capacity covers `draw`; 1 if unknown.
fn needed_psus(draw: Option<f64>, psus: &[(ElementId, Option<f64>)]) -> Option<u32> {
    let Some(draw) = draw else { return Some(1) };
    if psus.iter().any(|p| p.1.is_none()) {
        return Some(1);
    }
    let mut caps: Vec<f64> = psus.iter().filter_map(|p| p.1).collect();
    caps.sort_by(|a, b| b.total_cmp(a));
    let mut sum = 0.0;
    for (i, c) in caps.iter().enumerate() {
        sum += c;
        if sum >= draw {
            return Some(i as u32 + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn psus_needed() {
        let p = |w: f64| (ElementId(0), Some(w));
        assert_eq!(needed_psus(Some(400.0), &[p(500.0), p(500.0)]), Some(1));
        assert_eq!(needed_psus(Some(700.0), &[p(500.0), p(500.0)]), Some(2));
        assert_eq!(needed_psus(Some(1200.0), &[p(500.0), p(500.0)]), None);
        assert_eq!(needed_psus(None, &[p(500.0)]), Some(1));
    }

    /// A dual-inlet PDU: inlet A on feed-a, inlet B on feed-b, one enclosure. A server
    /// with a PSU on each inlet survives either feed or either inlet, not the enclosure.
    /// Closed form (everything else never fails): U = 1 − (1 − q_e)(1 − (1 − a)²) with
    /// a = (1 − q_feed)(1 − q_inlet) the availability of one inlet's path.
    #[test]
    fn a_dual_inlet_pdu_is_two_supplies_in_one_enclosure() {
        let text = r#"{ "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" },
              "psu": { "availability": "100%" }, "process": { "availability": "100%" } },
          "components": { "internet": { "kind": "entry" },
            "feed-a": { "kind": "power-feed", "mtbf": "1y", "mttr": "3h" },
            "feed-b": { "kind": "power-feed", "mtbf": "1y", "mttr": "3h" },
            "pdu-1": { "kind": "enclosure", "mtbf": "25y", "mttr": "4h" },
            "pdu-1-a": { "kind": "pdu", "from": "feed-a", "enclosure": "pdu-1", "mtbf": "20y", "mttr": "5h" },
            "pdu-1-b": { "kind": "pdu", "from": "feed-b", "enclosure": "pdu-1", "mtbf": "20y", "mttr": "5h" },
            "sw": { "kind": "switch", "availability": "100%" },
            "app": { "kind": "server", "nics": ["sw"], "runs": ["web"], "availability": "100%",
                     "power": ["pdu-1-a", "pdu-1-b"] } },
          "links": [{ "between": ["internet", "sw"] }],
          "services": { "s": { "from": "internet", "through": ["app/web"] } } }"#;
        let loaded = crate::load(text);
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        let m = loaded.model.unwrap();
        let year = 8760.0; // hours; spofsim's year is 365 days (units.rs)
        let q = |mtbf_h: f64, mttr_h: f64| mttr_h / (mtbf_h + mttr_h);
        let (q_feed, q_inlet, q_enclosure) = (q(year, 3.0), q(20.0 * year, 5.0), q(25.0 * year, 4.0));
        let a = (1.0 - q_feed) * (1.0 - q_inlet);
        let expected = 1.0 - (1.0 - q_enclosure) * (1.0 - (1.0 - a) * (1.0 - a));
        let tree = crate::analysis::structure::service_trees(&m).remove(0).unwrap();
        let u = crate::analysis::analyze_tree(&tree, &crate::analysis::Options::default()).unwrap().probability;
        assert!((u - expected).abs() < 1e-9 * expected, "{u:e} against {expected:e}");
        let singles = crate::analysis::single_failures::single_failures(&m);
        let names: Vec<&str> =
            singles[0].as_deref().unwrap().iter().map(|e| m.elements[e.0 as usize].name.as_str()).collect();
        assert_eq!(names, ["pdu-1"], "only the enclosure is a SPOF");
        // An enclosure must be an enclosure.
        let wrong = crate::load(
            &text.replace(r#""enclosure": "pdu-1", "mtbf": "20y""#, r#""enclosure": "feed-a", "mtbf": "20y""#),
        );
        assert!(
            wrong
                .diagnostics
                .iter()
                .any(|d| d.is_error() && d.message.contains("a PDU's enclosure must be an enclosure")),
            "{:#?}",
            wrong.diagnostics
        );
    }

    /// A UPS on a PDU on a panel (how NetBox records a feed: the import makes the feed a
    /// `pdu` on its panel's `power-feed`): the battery bridges the outages of both, each
    /// up to the battery's runtime, as the simulator plays them. Everything else perfect,
    /// the service is down when either is out beyond the battery: with exponential
    /// repairs, 1 − (1 − q₁ e^(−T/MTTR₁)) (1 − q₂ e^(−T/MTTR₂)) (independent outages; an
    /// overlap of the two is second order). The panel's outages were counted whole
    /// before, with a note (pessimistic by 2.0e-5 here, a quarter of the figure).
    #[test]
    fn a_ups_bridges_the_outages_of_its_feeds_whole_chain() {
        let text = r#"{ "defaults": { "server": { "availability": "100%" }, "nic": { "availability": "100%" },
              "switch": { "availability": "100%" }, "link": { "availability": "100%" },
              "process": { "availability": "100%" }, "psu": { "availability": "100%" } },
            "components": { "internet": { "kind": "entry" },
              "panel": { "kind": "power-feed", "mtbf": "1y", "mttr": "20m" },
              "feed-pdu": { "kind": "pdu", "from": "panel", "mtbf": "2y", "mttr": "10m" },
              "ups": { "kind": "ups", "feed": "feed-pdu", "battery_runtime": "15m", "availability": "100%" },
              "pdu": { "kind": "pdu", "from": "ups", "availability": "100%" },
              "sw": { "kind": "switch", "power": ["pdu"] },
              "srv": { "kind": "server", "power": ["pdu"], "nics": ["sw"], "runs": ["web"] } },
            "links": [ { "between": ["internet", "sw"] } ],
            "services": { "s": { "from": "internet", "through": ["srv/web"] } } }"#;
        let loaded = crate::load(text);
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        let m = loaded.model.unwrap();
        let (year, minute) = (365.0 * 86_400.0, 60.0);
        let beyond = |mtbf: f64, mttr: f64| mttr / (mtbf + mttr) * (-15.0 * minute / mttr).exp();
        let expected = 1.0 - (1.0 - beyond(year, 20.0 * minute)) * (1.0 - beyond(2.0 * year, 10.0 * minute));
        let tree = crate::analysis::structure::service_trees(&m).remove(0).unwrap();
        assert!(!tree.notes.iter().any(|n| n.contains("counted whole")), "{:?}", tree.notes);
        let u = crate::analysis::analyze_tree(&tree, &crate::analysis::Options::default()).unwrap().probability;
        assert!((u - expected).abs() < 1e-9 * expected, "{u:e} against {expected:e}");
    }

    /// Found by a new-user trial: one feed behind two UPSes of different runtimes (5 min
    /// and 1 h). An outage outlasts the longer battery only if it outlasts the shorter,
    /// so "beyond 1 h" lies inside "beyond 5 min". Closed forms, exponential repair
    /// (DERIVATIONS.md case 4), with b(T) = q · e^(−T/MTTR):
    /// - the switch on the 5 min UPS, the server on the 1 h one: down beyond 5 min,
    ///   U = b(5 min) (the shorter battery was not credited before: U = q, 33% high);
    /// - two servers in a pool, one on each UPS: down only when both are, beyond 1 h,
    ///   U = b(1 h); read as independent events it would be b(5 min) · b(1 h), which is
    ///   optimistic by a factor of 1 / b(5 min).
    #[test]
    fn batteries_of_different_runtimes_on_one_feed_nest_their_outages() {
        let design = |servers: &str, through: &str| {
            format!(
                r#"{{ "defaults": {{ "server": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }},
                  "switch": {{ "availability": "100%" }}, "link": {{ "availability": "100%" }},
                  "process": {{ "availability": "100%" }}, "psu": {{ "availability": "100%" }} }},
                "components": {{ "internet": {{ "kind": "entry" }},
                  "feed": {{ "kind": "power-feed", "mtbf": "30d", "mttr": "20m" }},
                  "ups-s": {{ "kind": "ups", "feed": "feed", "battery_runtime": "5m", "availability": "100%" }},
                  "ups-l": {{ "kind": "ups", "feed": "feed", "battery_runtime": "1h", "availability": "100%" }},
                  {servers} }},
                "links": [ {{ "between": ["internet", "sw"] }} ],
                {through} }}"#
            )
        };
        let (day, minute) = (86_400.0, 60.0);
        let q = 20.0 * minute / (30.0 * day + 20.0 * minute);
        let b = |t: f64| q * (-t / (20.0 * minute)).exp();
        let figure = |text: &str| {
            let loaded = crate::load(text);
            assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
            let tree = crate::analysis::structure::service_trees(&loaded.model.unwrap()).remove(0).unwrap();
            assert!(!tree.notes.iter().any(|n| n.contains("not credited")), "{:?}", tree.notes);
            crate::analysis::analyze_tree(&tree, &crate::analysis::Options::default()).unwrap().probability
        };
        let split = design(
            r#""sw": { "kind": "switch", "power": ["ups-s"] },
               "srv": { "kind": "server", "power": ["ups-l"], "nics": ["sw"], "runs": ["web"] }"#,
            r#""services": { "s": { "from": "internet", "through": ["srv/web"] } }"#,
        );
        let u = figure(&split);
        assert!((u - b(5.0 * minute)).abs() < 1e-9 * u, "{u:e} against {:e}", b(5.0 * minute));
        let pool = design(
            r#""sw": { "kind": "switch" },
               "srv-1": { "kind": "server", "power": ["ups-s"], "nics": ["sw"], "runs": ["web"] },
               "srv-2": { "kind": "server", "power": ["ups-l"], "nics": ["sw"], "runs": ["web"] }"#,
            r#""groups": { "pool": { "kind": "cluster", "mode": "active-active", "sharing": "shared-everything", "members": ["srv-1/web", "srv-2/web"] } },
               "services": { "s": { "from": "internet", "through": ["pool"] } }"#,
        );
        let u = figure(&pool);
        assert!((u - b(3600.0)).abs() < 1e-9 * u, "{u:e} against {:e}", b(3600.0));
    }

    /// Found by a new-user trial: a UPS in a site that fails is destroyed with it, its
    /// battery too. The simulator used to ride through the site's loss on the battery
    /// (its site was one of its needs, like its feed), so the load outside the site
    /// stayed up for the battery's runtime and the downtime after it was labelled
    /// "beyond ups battery". Here a 5 min drill of the UPS's site, against a 15 min
    /// battery, costs the switch its power at once: 5 min down, then its 5 min boot
    /// (the switch's default restart); the site is a SPOF.
    #[test]
    fn a_ups_does_not_ride_through_the_loss_of_its_own_site() {
        let text = r#"{ "defaults": { "server": { "availability": "100%" }, "nic": { "availability": "100%" },
              "switch": { "availability": "100%" }, "link": { "availability": "100%" },
              "process": { "availability": "100%" }, "pdu": { "availability": "100%" } },
            "sites": { "dc": { "mtbf": "10y", "mttr": "1d" } },
            "components": { "internet": { "kind": "entry" },
              "feed": { "kind": "power-feed", "mtbf": "5y", "mttr": "10m" },
              "ups": { "kind": "ups", "feed": "feed", "battery_runtime": "15m", "site": "dc", "availability": "100%" },
              "pdu": { "kind": "pdu", "from": "ups" },
              "sw": { "kind": "switch", "power": ["pdu"] },
              "srv": { "kind": "server", "nics": ["sw"], "runs": ["web"] } },
            "links": [ { "between": ["internet", "sw"] } ],
            "services": { "s": { "from": "internet", "through": ["srv/web"] } },
            "drills": [ { "fail": "dc", "at": "1h", "for": "5m" }, { "fail": "feed", "at": "2h", "for": "5m" } ] }"#;
        let loaded = crate::load(text);
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        let m = loaded.model.unwrap();
        let singles = crate::analysis::single_failures::single_failures(&m);
        let names: Vec<&str> =
            singles[0].as_deref().unwrap().iter().map(|e| m.elements[e.0 as usize].name.as_str()).collect();
        assert!(names.contains(&"dc"), "{names:?}");
        let options =
            crate::simulate::SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: false };
        let s = &crate::simulate::simulate(&m, &options).services[0];
        // The site's drill: 5 min + the 5 min boot; the feed's (bridged): nothing.
        assert_eq!((s.outages, s.max_outage_secs), (1, 600.0));
        assert!(s.attribution.iter().all(|c| !c.mechanism.contains("battery")), "{:?}", s.attribution);
        // Labelled by what it waits for, though the site holds nothing on the
        // service's path but the switch's power.
        assert_eq!(s.timeline[0].mechanism, "dc disaster", "{:?}", s.timeline);
        // `blast` says the same: the feed's loss goes on battery first, the site's
        // does not.
        let id = |n: &str| m.element_by_name(n).unwrap().id;
        let feed = crate::analysis::findings::blast(&m, &[id("feed")]);
        assert!(feed.down_elements.contains(&"sw".to_string()), "{feed:?}");
        assert_eq!(
            feed.batteries,
            ["ups carries its load on its 15m battery first: a failure shorter than that takes none of its loads down (the lists above are the state once the battery has run out)"]
        );
        assert!(crate::analysis::findings::blast(&m, &[id("dc")]).batteries.is_empty());
        assert!(crate::analysis::findings::blast(&m, &[id("ups")]).batteries.is_empty());
    }
}
