//! Servers and the software on them (docs/SEMANTICS.md §1–§2).
//!
//! A server needs its power (see `power`); its NICs, bond, disks and processes hang off
//! it. The common case is written inline: `"power": ["pdu-a", "pdu-b"]`,
//! `"bond": { "to": ["sw-1", "sw-2"] }`, `"runs": ["web"]`. A process needs its host
//! and is attached to it for network paths.

use schemars::JsonSchema;
use serde::Deserialize;

use super::bond::{inline_nic, lower_inline_bond, InlineBond};
use super::power::{lower_power, PowerSpec};
use super::Ref;
use crate::model::{Attr, EdgeKind, Layer, LowerCx, Req};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};

pub static KINDS: &[&dyn Kind] = &[&KindOf::<ServerSpec>::NEW, &KindOf::<ProcessSpec>::NEW];

/// A physical or virtual server.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServerSpec {
    /// Power sources (PDUs, UPSes or feeds), one PSU on each: `"power": ["pdu-a", "pdu-b"]`;
    /// omitted, power is not modelled.
    pub power: Option<PowerSpec>,
    /// Power draw in watts (positive); with PSU capacities, decides how many PSUs it
    /// needs, e.g. `"draw_watts": 450`.
    pub draw_watts: Option<f64>,
    /// A bond of NICs (`<server>/bond`), one NIC per listed switch or router, e.g.
    /// `"bond": { "to": ["sw-1", "sw-2"] }`.
    pub bond: Option<InlineBond>,
    /// Unbonded NICs: one NIC (`<server>/ethN`) per listed switch or router.
    #[serde(default)]
    pub nics: Vec<Ref>,
    /// Processes this server runs, by role ("web", "ap", "db", "other"): creates
    /// `<server>/<role>`, e.g. `"runs": ["web"]`.
    #[serde(default)]
    pub runs: Vec<Role>,
}

#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A web server process (Apache, NGINX).
    Web,
    /// An application (AP) server process.
    Ap,
    /// A database process.
    Db,
    Other,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Web => "web",
            Role::Ap => "ap",
            Role::Db => "db",
            Role::Other => "other",
        }
    }
}

impl Spec for ServerSpec {
    const INFO: KindInfo = KindInfo {
        name: "server",
        section: Section::Components,
        layer: Layer::Compute,
        doc: "A server: power, NICs, disks, and the processes it hosts.",
        // Vendor-quoted server MTBFs are several years; 4 h is a typical on-site support contract.
        failure: Some(("5y", "4h")),
        // Restart: AWS bare-metal reboots measured 202-820 s until SSH answered (Red Hat
        // Testing Farm, infrastructure MR !1526); NetApp allows "up to 20 minutes" for an x86
        // appliance to reboot and rejoin (StorageGRID SG110/SG1100, "Power off and on").
        restart: Some("10m"),
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some(me) = cx.me_element() else { return };
        lower_power(cx, &self.power, self.draw_watts);
        let name = cx.me_name();
        super::check_distinct(cx, &self.nics, "nics");
        for (i, switch) in self.nics.iter().enumerate() {
            inline_nic(cx, me, i, switch, "a NIC's switch");
        }
        if let Some(bond) = &self.bond {
            lower_inline_bond(cx, me, bond, self.nics.len());
        }
        let mut roles = self.runs.clone();
        roles.sort();
        for (i, role) in roles.iter().enumerate() {
            if roles[..i].contains(role) {
                continue;
            }
            let p = cx.part(format!("{name}/{}", role.as_str()), "process", Layer::Software, cx.span);
            cx.element_attr(p, "role", Attr::Text(role.as_str().into()));
            cx.need(p, Req::Element(me), EdgeKind::Hosting);
            cx.attach(me, p);
        }
    }
}

/// A process (web, AP or DB server software) running on a server.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProcessSpec {
    /// The server it runs on.
    pub on: Ref,
    /// What it runs: "web", "ap" (application server), "db" (holds data) or "other".
    pub role: Role,
    /// Worker processes or threads; a saturated web server answers with errors at once.
    pub workers: Option<u32>,
}

impl Spec for ProcessSpec {
    const INFO: KindInfo = KindInfo {
        name: "process",
        section: Section::Components,
        layer: Layer::Software,
        doc: "A web, AP or DB process on a server.",
        // Software faults: crashes and hangs a few times a year, fixed by a restart.
        failure: Some(("26w", "15m")),
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some(me) = cx.me_element() else { return };
        cx.attr("role", Attr::Text(self.role.as_str().into()));
        if let Some(w) = self.workers {
            cx.attr("workers", Attr::Count(w.into()));
        }
        if let Some(host) = cx.resolve_element(&self.on, &["server"], "a process's host") {
            cx.need(me, Req::Element(host), EdgeKind::Hosting);
            cx.attach(host, me);
        }
    }
}

/// A database process: it holds data that a site disaster can destroy.
pub fn holds_data(e: &crate::model::Element) -> bool {
    e.kind == "process" && crate::model::text_attr(&e.attrs, "role") == Some("db")
}

/// A process (a role a server runs): the work a host does.
pub fn is_process(e: &crate::model::Element) -> bool {
    e.kind == "process"
}
