//! Storage networks: HBAs, SAN switches, storage arrays and multipath (multipath.conf(5):
//! `polling_interval`, `path_checker`).
//!
//! A server reaches its array over Fibre Channel paths (HBA → SAN switch → array,
//! written as `fc` links). DM-Multipath spreads I/O over the paths and fails over when
//! its path checker (polling_interval, default 5 s) sees a path fail.

use schemars::JsonSchema;
use serde::Deserialize;

use super::power::{lower_power, PowerSpec};
use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Arrangement, Attr, EdgeKind, Layer, LowerCx, Req, Switchover, Visibility};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[
    &KindOf::<HbaSpec>::NEW,
    &KindOf::<SanSwitchSpec>::NEW,
    &KindOf::<ArraySpec>::NEW,
    &KindOf::<ControllerSpec>::NEW,
    &KindOf::<MultipathSpec>::NEW,
];

/// A host bus adapter (FC port) in a server.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HbaSpec {
    /// The server the HBA is in.
    pub server: Ref,
    /// World-wide name, for reports.
    pub wwn: Option<String>,
}

impl Spec for HbaSpec {
    const INFO: KindInfo = KindInfo {
        name: "hba",
        section: Section::Components,
        layer: Layer::Storage,
        doc: "A Fibre Channel host bus adapter in a server.",
        failure: Some(("30y", "4h")),
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        if cx.me_element().is_none() {
            return;
        }
        // Neither attached nor needed: the server needs its storage through the HBA
        // (its multipath group), and Fibre Channel carries no IP, so the fabric is no
        // path for the server's network traffic, heartbeats or acknowledgements
        // (docs/SEMANTICS.md §2: a server's closure is its processes and NICs).
        if cx.resolve_element(&self.server, &["server"], "an HBA's server").is_some() {
            cx.attr("server", Attr::Text(self.server.value.clone()));
        }
        if let Some(w) = &self.wwn {
            cx.attr("wwn", Attr::Text(w.clone()));
        }
    }
}

/// A Fibre Channel switch.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SanSwitchSpec {
    /// Power sources (PDUs, UPSes or feeds), one PSU on each: `"power": ["pdu-a", "pdu-b"]`;
    /// omitted, power is not modelled.
    pub power: Option<PowerSpec>,
    /// Power draw in watts (positive); with PSU capacities, decides how many PSUs it
    /// needs, e.g. `"draw_watts": 350`.
    pub draw_watts: Option<f64>,
}

impl Spec for SanSwitchSpec {
    const INFO: KindInfo = KindInfo {
        name: "san-switch",
        section: Section::Components,
        layer: Layer::Storage,
        doc: "A Fibre Channel SAN switch.",
        failure: Some(("20y", "4h")),
        // Restart: "Boot time with POST is usually about 1 to 3 minutes" (EMC Connectrix
        // DS-5300B hardware reference manual).
        restart: Some("3m"),
    };
    fn lower(&self, cx: &mut LowerCx) {
        lower_power(cx, &self.power, self.draw_watts);
    }
}

/// A storage array (its disks and RAID groups are declared with `in`).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ArraySpec {
    /// Power sources (PDUs, UPSes or feeds), one PSU on each: `"power": ["pdu-a", "pdu-b"]`;
    /// omitted, power is not modelled.
    pub power: Option<PowerSpec>,
    /// Power draw in watts (positive); with PSU capacities, decides how many PSUs it
    /// needs, e.g. `"draw_watts": 350`.
    pub draw_watts: Option<f64>,
    /// Controllers inside the array (default 2, the dual-controller design of midrange
    /// arrays). Each is a part `{array}/ctrl-N` of kind `array-controller` that fails
    /// on its own; the array serves while one works.
    #[schemars(range(min = 1))]
    pub controllers: Option<u32>,
}

impl Spec for ArraySpec {
    const INFO: KindInfo = KindInfo {
        name: "storage-array",
        section: Section::Components,
        layer: Layer::Storage,
        doc: "A storage array (SAN or IP storage). Its own failure is the chassis \
              (midplane, enclosure); its controllers fail separately (`controllers`); \
              a partner controller's takeover is taken as instant.",
        failure: Some(("30y", "6h")),
        // Restart: "Initial booting may take up to eight minutes" (NetApp AFF A400 detailed
        // installation guide; the same in the AFF/FAS/ASA guides).
        restart: Some("8m"),
    };
    fn lower(&self, cx: &mut LowerCx) {
        lower_power(cx, &self.power, self.draw_watts);
        let Some(me) = cx.me_element() else { return };
        let count = match self.controllers {
            Some(0) => {
                cx.error(
                    Code::ImpossibleValue,
                    cx.span,
                    "an array needs at least one controller",
                    "most arrays have 2",
                );
                return;
            }
            c => c.unwrap_or(2),
        };
        cx.attr("controllers", Attr::Count(count.into()));
        let name = cx.me_name();
        let span = cx.span;
        let of: Vec<Req> = (1..=count)
            .map(|i| Req::Element(cx.part(format!("{name}/ctrl-{i}"), "array-controller", Layer::Storage, span)))
            .collect();
        // Takeover by the partner controller is taken as instant: hosts switch paths
        // (ALUA) through multipath, whose path checker is timed there.
        cx.need(me, Req::AtLeast { k: 1, of }, EdgeKind::Storage);
    }
}

/// A storage array's controller: written as the array's `controllers` count, never
/// declared on its own; its failure figures can be set under `"defaults"`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ControllerSpec {}

impl Spec for ControllerSpec {
    const INFO: KindInfo = KindInfo {
        name: "array-controller",
        section: Section::Components,
        layer: Layer::Storage,
        doc: "A storage array's controller (a part of the array: set `controllers` on the array).",
        // A field-replaceable unit swapped under a 4-hour support contract; the MTBF is
        // an assumption to override with the vendor's figure.
        failure: Some(("10y", "4h")),
        restart: None,
    };
    fn lower(&self, cx: &mut LowerCx) {
        cx.error(
            Code::ImpossibleValue,
            cx.span,
            "an array controller is declared through its array",
            "set \"controllers\": N on the storage-array",
        );
    }
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum PathPolicy {
    /// One path at a time; fail over to the next.
    #[default]
    Failover,
    /// I/O spread over all working paths.
    RoundRobin,
}

/// DM-Multipath: a server's storage paths to an array.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MultipathSpec {
    /// The server whose storage paths these are; it needs the group.
    pub server: Ref,
    /// The HBAs the paths start from (at least one; two for a redundant path).
    pub hbas: Vec<Ref>,
    /// The storage array the paths lead to.
    pub array: Ref,
    /// "failover" (default: one path at a time, dm-multipath path_grouping_policy
    /// failover) or "round-robin" (I/O over all working paths).
    #[serde(default)]
    pub policy: PathPolicy,
    /// Path checker interval (DM-Multipath polling_interval; default 5s).
    pub polling_interval: Option<Duration>,
}

impl Spec for MultipathSpec {
    const INFO: KindInfo = KindInfo {
        name: "multipath",
        section: Section::Groups,
        layer: Layer::Storage,
        doc: "DM-Multipath over a server's HBAs to a storage array.",
        failure: None,
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let server = cx.resolve_element(&self.server, &["server"], "a multipath server");
        let array = cx.resolve_element(&self.array, &["storage-array"], "a multipath array");
        super::check_distinct(cx, &self.hbas, "multipath HBAs");
        let hbas = super::resolve_elements(cx, &self.hbas, &["hba"], "a multipath HBA");
        let (Some(server), Some(array)) = (server, array) else {
            return;
        };
        // An HBA listed but not resolved already has its own error; "needs at least one"
        // on top of it would be a follow-on, not a second mistake.
        if hbas.is_empty() && self.hbas.is_empty() {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "multipath needs at least one HBA",
                "list the server's HBAs in \"hbas\"",
            );
            return;
        }
        if hbas.is_empty() {
            return;
        }
        for spec in &self.hbas {
            let Some(h) = hbas.iter().copied().find(|&h| cx.builder.model.element(h).name == spec.value) else {
                continue;
            };
            let in_server = crate::model::text_attr(&cx.builder.model.element(h).attrs, "server").map(str::to_string);
            if in_server.as_deref().is_some_and(|s| s != self.server.value) {
                cx.warn(
                    spec.span,
                    format!(
                        "HBA {} is in server {}, not in {}: its paths carry another server's I/O",
                        spec.value,
                        in_server.unwrap_or_default(),
                        self.server.value
                    ),
                    "list the HBAs of the multipath's own server",
                );
            }
        }
        if hbas.len() == 1 {
            cx.warn(
                cx.span,
                "multipath over a single HBA has no redundant path",
                "add a second HBA, cabled to a second SAN switch",
            );
        }
        let poll = self.polling_interval.map_or(5.0, |d| d.secs);
        let paths: Vec<Req> = hbas.iter().map(|&h| Req::Path { from: h, to: array, probe: false }).collect();
        cx.set_members(hbas);
        if let Some(g) = cx.group_mut() {
            g.arrangement = match self.policy {
                PathPolicy::Failover => Arrangement::ActiveStandby,
                PathPolicy::RoundRobin => Arrangement::ActiveActive { need: 1 },
            };
            g.switchover = Some(Switchover {
                detect_secs: poll,
                takeover_secs: 0.0,
                sees: Visibility::PathTo { targets: vec![array], l2: false, all: false },
            });
        }
        let Some(g) = cx.me_group() else { return };
        cx.group_need(g, Req::any(paths), EdgeKind::Storage);
        cx.need(server, Req::Group(g), EdgeKind::Storage);
    }
}

/// Simulated timing: failover multipath switches after the path checker sees the loss;
/// round robin absorbs it.
/// Failover multipath sends I/O down the active path only (dm-multipath
/// `path_grouping_policy failover`): a standby path carries nothing.
pub fn profile(_: &crate::model::Model, g: &crate::model::Group) -> crate::simulate::SimProfile {
    use crate::simulate::{Behaviour, SimProfile};
    match g.arrangement {
        crate::model::Arrangement::ActiveStandby => {
            SimProfile { standby_blocks_transit: true, ..SimProfile::plain(Behaviour::Switchover) }
        }
        crate::model::Arrangement::ActiveActive { .. } => SimProfile::plain(Behaviour::Absorb),
    }
}
