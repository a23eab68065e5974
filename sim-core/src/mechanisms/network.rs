//! L2/L3 network: switches, routers (gateways), the entry point users come from, and links
//! (docs/SEMANTICS.md §2; VLAN trunks: IEEE 802.1Q). Links are elements too: cables and
//! ports fail. Two switches are cascaded by a link; a trunk carries several VLANs.

use schemars::JsonSchema;
use serde::Deserialize;

use super::power::{lower_power, PowerSpec};
use super::{Ref, NETWORK_NODES};
use crate::diagnostics::Code;
use crate::model::{Attr, EdgeKind, Layer, LowerCx, Medium, NodeRef};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};

pub static KINDS: &[&dyn Kind] =
    &[&KindOf::<EntrySpec>::NEW, &KindOf::<SwitchSpec>::NEW, &KindOf::<RouterSpec>::NEW, &KindOf::<LinkSpec>::NEW];

/// Where users come from (the internet, a branch office). It never fails by itself.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntrySpec {}

impl Spec for EntrySpec {
    const INFO: KindInfo = KindInfo {
        name: "entry",
        section: Section::Components,
        layer: Layer::Entry,
        doc: "The outside world users come from; services start here.",
        failure: None,
        restart: None,
    };
    fn lower(&self, _: &mut LowerCx) {}
}

/// An L2 switch (or L3 switch used at L2).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SwitchSpec {
    /// Power sources (PDUs, UPSes or feeds), one PSU on each: `"power": ["pdu-a", "pdu-b"]`;
    /// omitted, power is not modelled.
    pub power: Option<PowerSpec>,
    /// Power draw in watts (positive); with PSU capacities, decides how many PSUs it
    /// needs, e.g. `"draw_watts": 350`.
    pub draw_watts: Option<f64>,
    /// VLANs configured on the switch.
    #[serde(default)]
    pub vlans: Vec<u16>,
    /// Whether it forwards multicast (default true). `false` for a network that drops
    /// it: a cloud virtual network (an AWS VPC carries no multicast without a Transit
    /// Gateway multicast domain) or a virtual switch whose IGMP snooping or security
    /// policy filters it. VRRP/HSRP multicast adverts cannot cross such a switch.
    pub multicast: Option<bool>,
    /// The switch it pairs with in multi-chassis link aggregation (MLAG: Cisco vPC,
    /// Arista MLAG, Juniper MC-LAG; IEEE 802.1AX-2014 calls it a Distributed Resilient
    /// Network Interconnect): the two answer LACP as one partner, so a server's LACP
    /// bond across them carries traffic on both. Declared on either switch of the pair,
    /// e.g. `"mlag_peer": "sw-2"`. Without it, a LACP bond across two switches uses one
    /// at a time (see `bond`).
    pub mlag_peer: Option<Ref>,
}

impl Spec for SwitchSpec {
    const INFO: KindInfo = KindInfo {
        name: "switch",
        section: Section::Components,
        layer: Layer::Network,
        doc: "An L2 switch.",
        // Enterprise access switches: vendor MTBFs of 20+ years; 4 h hardware replacement.
        failure: Some(("20y", "4h")),
        // Restart: "It may take up to five minutes to turn on the system" (NVIDIA SN2010
        // Quick Installation Guide; the same in the Spectrum SN2000 Hardware User Manual).
        restart: Some("5m"),
    };
    fn lower(&self, cx: &mut LowerCx) {
        lower_power(cx, &self.power, self.draw_watts);
        if !self.vlans.is_empty() {
            cx.attr("vlans", Attr::Text(join_vlans(&self.vlans)));
        }
        if self.multicast == Some(false) {
            if let Some(me) = cx.me_element() {
                cx.builder.drops_multicast.insert(me);
            }
        }
        if let Some(peer) = &self.mlag_peer {
            if let Some(p) = cx.resolve_element(peer, &["switch"], "an MLAG peer") {
                if Some(p) == cx.me_element() {
                    cx.error(
                        Code::ImpossibleValue,
                        peer.span,
                        "a switch cannot be its own MLAG peer",
                        "name the other switch of the pair (the one the vPC / MLAG peer link joins it to)",
                    );
                } else {
                    let name = cx.element_name(p);
                    cx.attr(super::bond::MLAG_PEER, Attr::Text(name));
                }
            }
        }
    }
}

/// An L3 gateway: a router or L3 switch. Pair two with VRRP or HSRP.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouterSpec {
    /// Power sources (PDUs, UPSes or feeds), one PSU on each: `"power": ["pdu-a", "pdu-b"]`;
    /// omitted, power is not modelled.
    pub power: Option<PowerSpec>,
    /// Power draw in watts (positive); with PSU capacities, decides how many PSUs it
    /// needs, e.g. `"draw_watts": 350`.
    pub draw_watts: Option<f64>,
}

impl Spec for RouterSpec {
    const INFO: KindInfo = KindInfo {
        name: "router",
        section: Section::Components,
        layer: Layer::Network,
        doc: "An L3 gateway (router or L3 switch).",
        failure: Some(("15y", "4h")),
        // Restart: no vendor figure found; a spofsim default, as for switches (NVIDIA: up to
        // five minutes).
        restart: Some("5m"),
    };
    fn lower(&self, cx: &mut LowerCx) {
        lower_power(cx, &self.power, self.draw_watts);
    }
}

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum MediumSpec {
    Access,
    Cascade,
    Trunk,
    Uplink,
    Fc,
}

/// A cable between two devices: `{ "between": ["sw-1", "sw-2"] }`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LinkSpec {
    /// An id, if drills or reports need a name; otherwise "a~b" ("a~b#2" for a parallel one).
    pub id: Option<String>,
    /// The two ends, two different devices, e.g. `"between": ["sw-1", "sw-2"]`; Fibre
    /// Channel ends (hba, san-switch) link only to each other or a storage array.
    pub between: Vec<Ref>,
    /// Inferred when absent: fc if an end is an hba, san-switch or storage-array, trunk if
    /// `vlans` are listed, cascade between two switches, uplink otherwise.
    pub medium: Option<MediumSpec>,
    /// VLANs carried; with no `medium`, they make the link a trunk.
    #[serde(default)]
    pub vlans: Vec<u16>,
    /// Shared risks (`srlg` components: a conduit, fibre trunk or circuit) this link is
    /// routed through; it fails when any of them fails, e.g. `"via": ["campus-fibre"]`.
    #[serde(default)]
    pub via: Vec<Ref>,
    /// A link aggregation (IEEE 802.1AX, LACP; a port-channel): links between the same
    /// two devices with the same `lag` name are members of one aggregate, which is up
    /// while any member is. They are no loop (SPOF-L004 counts them as one link); each
    /// member still fails on its own, e.g. `"lag": "po1"`. Inside a spanning-tree
    /// domain the simulator still sees each member as a port (one forwarding, the
    /// others blocked), so a member's loss costs a reconvergence LACP would not: pessimistic
    /// by that time.
    pub lag: Option<String>,
}

/// The link attribute naming its aggregate ([`LinkSpec::lag`]).
pub const LAG_ATTR: &str = "lag";

/// The aggregate link element `link` is a member of, if any.
pub fn lag_of(model: &crate::model::Model, link: crate::model::ElementId) -> Option<&str> {
    crate::model::text_attr(&model.element(link).attrs, LAG_ATTR)
}

/// Kinds on the storage network.
pub const SAN_NODES: &[&str] = &["hba", "san-switch", "storage-array"];

/// Whether a link may join kinds `a` and `b` (both already link ends): Fibre Channel
/// (hba, san-switch) and Ethernet are separate networks; a storage array sits on both.
pub fn ends_share_a_network(a: &str, b: &str) -> bool {
    SAN_NODES.contains(&a) == SAN_NODES.contains(&b) || a == "storage-array" || b == "storage-array"
}

/// Whether a device of `kind` bridges frames (an L2 or L3 switch): it keeps forwarding
/// whatever role a gateway group gives it.
pub fn bridges(kind: &str) -> bool {
    kind == "switch"
}

impl Spec for LinkSpec {
    const INFO: KindInfo = KindInfo {
        name: "link",
        section: Section::Links,
        layer: Layer::Network,
        doc: "A cable and its two ports.",
        // Cables and transceivers: rarely fail, quickly replaced.
        failure: Some(("50y", "1h")),
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some(me) = cx.me_element() else { return };
        if self.between.len() != 2 {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("a link joins exactly two ends, found {}", self.between.len()),
                "write \"between\": [\"a\", \"b\"]",
            );
            return;
        }
        if self.between[0].value == self.between[1].value {
            cx.error(
                Code::ImpossibleValue,
                self.between[1].span,
                "a link cannot join a device to itself",
                "name two different devices",
            );
            return;
        }
        let mut ends: Vec<&str> = NETWORK_NODES.iter().chain(SAN_NODES).copied().collect();
        ends.sort_unstable();
        ends.dedup();
        let a = cx.resolve_element(&self.between[0], &ends, "a link end");
        let b = cx.resolve_element(&self.between[1], &ends, "a link end");
        let (Some(a), Some(b)) = (a, b) else { return };
        let (ka, kb) = (cx.element_kind(a), cx.element_kind(b));
        let san = (SAN_NODES.contains(&ka), SAN_NODES.contains(&kb));
        if !ends_share_a_network(ka, kb) {
            cx.error(
                Code::WrongKind,
                self.between[1].span,
                format!("cannot link a {ka} to a {kb}"),
                "Fibre Channel (hba, san-switch) and Ethernet are separate networks",
            );
            return;
        }
        let medium = match self.medium {
            Some(MediumSpec::Access) => Medium::Access,
            Some(MediumSpec::Cascade) => Medium::Cascade,
            Some(MediumSpec::Uplink) => Medium::Uplink,
            Some(MediumSpec::Fc) => Medium::FibreChannel,
            Some(MediumSpec::Trunk) => Medium::Trunk { vlans: self.vlans.clone() },
            None if san.0 || san.1 => Medium::FibreChannel,
            None if !self.vlans.is_empty() => Medium::Trunk { vlans: self.vlans.clone() },
            None if ka == "switch" && kb == "switch" => Medium::Cascade,
            None => Medium::Uplink,
        };
        if !self.vlans.is_empty() && !matches!(medium, Medium::Trunk { .. }) {
            cx.warn(
                cx.span,
                "VLANs listed on a link that is not a trunk",
                "set \"medium\": \"trunk\" or drop \"vlans\"",
            );
        }
        if !self.vlans.is_empty() {
            cx.attr("vlans", Attr::Text(join_vlans(&self.vlans)));
        }
        if let Some(lag) = &self.lag {
            cx.attr(LAG_ATTR, Attr::Text(lag.clone()));
        }
        for end in [a, b] {
            cx.builder.edge(NodeRef::Element(me), NodeRef::Element(end), EdgeKind::Network);
        }
        super::srlg::lower_via(cx, &self.via);
        cx.builder.model.links.push(crate::model::Link { element: me, a, b, medium });
    }
}

fn join_vlans(vlans: &[u16]) -> String {
    let mut v = vlans.to_vec();
    v.sort_unstable();
    v.dedup();
    v.iter().map(u16::to_string).collect::<Vec<_>>().join(",")
}
