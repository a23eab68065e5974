//! Disks and RAID (md(4): DESCRIPTION, 'RECOVERY').
//!
//! A RAID group is a logical unit over disks: it works while enough disks work
//! (RAID0: all; RAID1: one; RAID5: all but one; RAID6: all but two; RAID10: one of each
//! mirrored pair). A failed disk leaves the data intact but the redundancy broken until
//! a hot spare is rebuilt (`rebuild`); another failure in that window loses data.

use schemars::JsonSchema;
use serde::Deserialize;

use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Arrangement, Attr, EdgeKind, Layer, LowerCx, Req, Target};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[&KindOf::<DiskSpec>::NEW, &KindOf::<RaidSpec>::NEW];

/// A disk in a server or a storage array.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiskSpec {
    /// The server or storage array the disk is in.
    #[serde(rename = "in")]
    pub host: Ref,
}

impl Spec for DiskSpec {
    const INFO: KindInfo = KindInfo {
        name: "disk",
        section: Section::Components,
        layer: Layer::Storage,
        doc: "A disk in a server or storage array.",
        // ~1–2% annualised failure rate (Backblaze drive stats) ≈ 50–100 y MTBF; 1 d to swap.
        failure: Some(("60y", "1d")),
    };

    fn lower(&self, cx: &mut LowerCx) {
        if cx.resolve_element(&self.host, HOSTS, "a disk's host").is_some() {
            cx.attr("in", Attr::Text(self.host.value.clone()));
        }
    }
}

const HOSTS: &[&str] = &["server", "storage-array"];

/// A RAID group (logical unit) over disks.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RaidSpec {
    /// RAID level: 0, 1, 5, 6 or 10.
    pub level: u8,
    /// The server or array whose storage this is; it needs the group to work.
    #[serde(rename = "in")]
    pub host: Ref,
    /// Disks declared on their own...
    #[serde(default)]
    pub disks: Vec<Ref>,
    /// ...or a number of disks to create inline (`<raid>/disk-N`).
    pub disk_count: Option<u32>,
    /// Hot spares that start a rebuild automatically.
    #[serde(default)]
    pub hot_spares: u32,
    /// Time to rebuild onto a spare (default 12h).
    pub rebuild: Option<Duration>,
}

/// The fewest disks a level needs, and whether the count must be even.
fn level_rules(level: u8) -> Option<(usize, bool)> {
    match level {
        0 => Some((2, false)),
        1 => Some((2, false)),
        5 => Some((3, false)),
        6 => Some((4, false)),
        10 => Some((4, true)),
        _ => None,
    }
}

impl Spec for RaidSpec {
    const INFO: KindInfo = KindInfo {
        name: "raid",
        section: Section::Groups,
        layer: Layer::Storage,
        doc: "A RAID group (0, 1, 5, 6, 10) with hot spares and rebuild time.",
        failure: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some((min, even)) = level_rules(self.level) else {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("unknown RAID level {}", self.level),
                "use 0, 1, 5, 6 or 10",
            );
            return;
        };
        if !self.disks.is_empty() && self.disk_count.is_some() {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "both \"disks\" and \"disk_count\" are given",
                "list the disks, or give a count to create them inline, not both",
            );
            return;
        }
        let Some(host) = cx.resolve_element(&self.host, HOSTS, "a RAID group's host") else {
            return;
        };
        super::check_distinct(cx, &self.disks, "a RAID group");
        let mut disks = super::resolve_elements(cx, &self.disks, &["disk"], "a RAID member");
        if disks.len() != self.disks.len() {
            return;
        }
        let name = cx.me_name();
        // Inline disks stand where their host stands.
        let outer_site = cx.site;
        cx.site = cx.builder.model.elements[host.0 as usize].site;
        for i in 0..self.disk_count.unwrap_or(0).min(1024) {
            let d = cx.part(format!("{name}/disk-{}", i + 1), "disk", Layer::Storage, cx.span);
            disks.push(d);
        }
        cx.site = outer_site;
        let n = disks.len();
        if n < min || (even && n % 2 == 1) {
            let parity = if even { " (an even number)" } else { "" };
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("RAID{} needs at least {min} disks{parity}, found {n}", self.level),
                format!("add disks, or choose a level that fits {n} disks"),
            );
            return;
        }
        let rebuild = self.rebuild.map_or(12.0 * 3600.0, |d| d.secs);
        let need = match self.level {
            0 => n,
            1 => 1,
            5 => n - 1,
            6 => n - 2,
            _ => n / 2,
        } as u32;
        let pairs: Vec<Req> = if self.level == 10 {
            disks.chunks(2).map(|p| Req::any(p.iter().map(|&d| Req::Element(d)).collect())).collect()
        } else {
            Vec::new()
        };
        cx.set_members(disks);
        let Target::Group(g) = cx.me else { return };
        cx.builder.model.groups[g.0 as usize].arrangement = Arrangement::ActiveActive { need };
        cx.builder.model.groups[g.0 as usize].dynamics =
            Some(crate::model::Dynamics::Rebuild { rebuild_secs: rebuild, hot_spares: self.hot_spares });
        if !pairs.is_empty() {
            cx.group_need(g, Req::All(pairs), EdgeKind::Member);
        }
        cx.attr("level", Attr::Count(self.level.into()));
        cx.attr("hot_spares", Attr::Count(self.hot_spares.into()));
        cx.attr("rebuild", Attr::Secs(rebuild));
        cx.need(host, Req::Group(g), EdgeKind::Storage);
    }
}

/// Simulated timing: a lost disk leaves the array degraded until its slot is rebuilt.
pub fn profile(_: &crate::model::Model, g: &crate::model::Group) -> crate::simulate::SimProfile {
    use crate::simulate::{Behaviour, RebuildTiming, SimProfile};
    let rebuild = match g.dynamics {
        Some(crate::model::Dynamics::Rebuild { rebuild_secs, hot_spares }) => {
            Some(RebuildTiming { rebuild_secs, hot_spares })
        }
        _ => None,
    };
    SimProfile { rebuild, ..SimProfile::plain(Behaviour::Rebuild) }
}
