//! Gateway redundancy: VRRP (RFC 5798; timers: §6.1) and HSRP (RFC 2281); load-balancer
//! pairs: keepalived documentation.
//!
//! Members share a virtual IP; the highest priority is master. Backups declare the
//! master down after VRRP's Master_Down_Interval = 3 × advert + skew, with
//! skew = (256 − priority) / 256 s (≈3.6 s at defaults), or HSRP's hold time (10 s).
//! Used for L3 gateways and for load-balancer pairs (Keepalived).

use crate::de::Spanned;
use schemars::JsonSchema;
use serde::Deserialize;

use super::Ref;
use crate::diagnostics::Code;
use crate::model::{Arrangement, Attr, Layer, LowerCx, Switchover, Visibility};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[&KindOf::<VrrpSpec>::NEW, &KindOf::<HsrpSpec>::NEW];

/// Kinds that can hold a virtual IP.
pub const VIP_HOLDERS: &[&str] = &["router", "switch", "load-balancer", "firewall"];

/// A VRRP group: members share a virtual IP, master first.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VrrpSpec {
    /// Members (routers, switches, load balancers or firewalls; at least two), highest
    /// priority first.
    pub members: Vec<Ref>,
    /// Priorities (1–254), in member order; default 200, 100, ...
    #[serde(default)]
    pub priorities: Vec<Spanned<u32>>,
    /// Advertisement interval (default 1s, RFC 5798 §5.2.7; whole seconds 1–255 in
    /// version 2, centiseconds up to 40.95s in version 3).
    pub advert_interval: Option<Duration>,
    /// Protocol version: 3 (RFC 5798, the default) or 2 (RFC 3768). It decides how the
    /// skew time scales (§6.1 of each).
    pub version: Option<u8>,
    /// Whether a recovered higher-priority member takes the VIP back (default true, as
    /// RFC 5798's Preempt_Mode).
    pub preempt: Option<bool>,
    /// Failover preconditions: components, links or sites a takeover needs at that
    /// moment but not in steady state (a regional control plane, an orchestrator), e.g.
    /// `"require": ["control-plane"]`. A takeover waits until they work again.
    #[serde(default)]
    pub require: Vec<Ref>,
    /// The virtual IP address, for reports.
    pub vip: Option<String>,
    /// Interface and object tracking (keepalived `track_interface`/`track_script`): per
    /// member, the links or components it watches, e.g.
    /// `"track": { "gw-1": ["edge~gw-1"], "gw-2": ["edge~gw-2"] }`. Adverts alone never
    /// show that a master lost its uplink; a tracked failure hands the VIP over.
    #[serde(default)]
    pub track: std::collections::BTreeMap<String, Vec<Ref>>,
    /// Priority a member loses per failed tracked object, 1–255 (keepalived's negative
    /// `weight`, written positive). Default:
    /// none, so the member goes to FAULT and serves no more while a tracked object is
    /// down (keepalived's default, weight 0), sending priority 0 so the backup takes over
    /// after Skew_Time (RFC 5798 §6.4.2). With a decrement the backup preempts only if the
    /// master falls below it, after its Master_Down_Interval.
    pub track_decrement: Option<Spanned<i64>>,
    /// The switches of the L2 segment the virtual IP and the adverts live on (the VRRP
    /// instance's interface), e.g. `"segment": ["sw-1", "sw-2"]`. Default: any switched
    /// path between the members, which also counts a shared upstream switch (then a
    /// failure on the virtual IP's side looks unseen: pessimistic).
    #[serde(default)]
    pub segment: Vec<Ref>,
    /// How adverts travel: `"multicast"` (default: to 224.0.0.18, RFC 5798 §5.1.1.2) or
    /// `"unicast"` (keepalived `unicast_peer`: straight to each peer, which any IP
    /// network carries). Multicast adverts cannot cross a switch with
    /// `"multicast": false`; then each member hears nothing and both become master.
    pub adverts: Option<AdvertMode>,
}

/// How VRRP adverts travel ([`VrrpSpec::adverts`]).
#[derive(Clone, Copy, Debug, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum AdvertMode {
    /// To the VRRP multicast group 224.0.0.18 (RFC 5798 §5.1.1.2).
    Multicast,
    /// To each peer's address (keepalived `unicast_peer`).
    Unicast,
}

/// An HSRP group (Cisco): active and standby routers.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HsrpSpec {
    /// Members (routers, switches, load balancers or firewalls; at least two), highest
    /// priority first.
    pub members: Vec<Ref>,
    /// Priorities (0–255; Cisco default 100), in member order, highest first; they do not
    /// change the timing.
    #[serde(default)]
    pub priorities: Vec<Spanned<u32>>,
    /// Hello interval (default 3s).
    pub hello: Option<Duration>,
    /// Hold time (default 10s; must exceed hello): the standby takes over after it.
    pub hold: Option<Duration>,
    /// Whether a recovered higher-priority member takes the VIP back, and whether a
    /// standby takes over from an active whose tracked objects lowered its priority
    /// (default false, as Cisco IOS: without `standby preempt` a router becomes active
    /// only when no router is active; write `"preempt": true` for `standby preempt`).
    pub preempt: Option<bool>,
    /// Failover preconditions: components, links or sites a takeover needs at that
    /// moment but not in steady state (a regional control plane, an orchestrator), e.g.
    /// `"require": ["control-plane"]`. A takeover waits until they work again.
    #[serde(default)]
    pub require: Vec<Ref>,
    /// The virtual IP address, for reports, e.g. `"vip": "10.0.0.1"`.
    pub vip: Option<String>,
    /// Object tracking (Cisco `standby track`): per member, the links or components it
    /// watches, e.g. `"track": { "r1": ["r1~core"] }`. A failed object lowers the
    /// member's priority by `track_decrement`; a standby with a higher priority then
    /// takes over at its next hello (preemption).
    #[serde(default)]
    pub track: std::collections::BTreeMap<String, Vec<Ref>>,
    /// Priority lost per failed tracked object, 1–255 (default 10, Cisco IOS
    /// `standby track`).
    pub track_decrement: Option<Spanned<i64>>,
    /// The switches of the L2 segment the virtual IP and the adverts live on (the VRRP
    /// instance's interface), e.g. `"segment": ["sw-1", "sw-2"]`. Default: any switched
    /// path between the members, which also counts a shared upstream switch (then a
    /// failure on the virtual IP's side looks unseen: pessimistic). Hellos are
    /// multicast (224.0.0.2 in version 1, 224.0.0.102 in version 2; Cisco has no
    /// unicast mode), so they cannot cross a switch with `"multicast": false`.
    #[serde(default)]
    pub segment: Vec<Ref>,
}

/// Lowers `track` into the group's [`Track`]: each key must be a member, each object a
/// component or link other than a member. A tracked link also stands for the device at
/// its far end (a dead neighbour drops the carrier, which interface tracking sees).
/// `priorities` are per member (defaults filled in); `decrement` as written (checked
/// here: 1–255) or the kind's `default_decrement`; `switch_secs` per mode, as
/// [`Track::switch_secs`].
fn lower_track(
    cx: &mut LowerCx,
    members: &[Ref],
    track: &std::collections::BTreeMap<String, Vec<Ref>>,
    priorities: Vec<u32>,
    decrement: Option<&Spanned<i64>>,
    default_decrement: Option<u32>,
    switch_secs: impl Fn(bool, usize) -> f64,
) {
    if let Some(d) = decrement {
        if track.is_empty() {
            cx.error(
                Code::ImpossibleValue,
                d.span,
                "track_decrement without track: nothing can lower a member's priority",
                "name what each member watches, e.g. \"track\": { \"gw-1\": [\"edge~gw-1\"] }",
            );
        } else if !(1..=255).contains(&d.value) {
            cx.error(
                Code::ImpossibleValue,
                d.span,
                format!("track_decrement {} is out of range 1–255", d.value),
                "write the priority a failed object takes off as a positive number (a keepalived weight of -50 is 50); leave track_decrement out for FAULT (keepalived's weight 0)",
            );
        }
    }
    if track.is_empty() {
        return;
    }
    let ids = cx.me_group().map(|g| cx.builder.model.groups[g.0 as usize].members.clone()).unwrap_or_default();
    let mut objects = vec![Vec::new(); members.len()];
    for (member, tracked) in track {
        let Some(i) = members.iter().position(|m| &m.value == member) else {
            let names: Vec<&str> = members.iter().map(|m| m.value.as_str()).collect();
            // (Map keys carry no position: point at the member's first tracked object.)
            let span = tracked.first().map_or(cx.span, |r| r.span);
            cx.error(
                Code::UnknownId,
                span,
                format!("track: \"{member}\" is not a member of this group"),
                format!("track lists objects per member: {}", names.join(", ")),
            );
            continue;
        };
        if tracked.is_empty() {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("track: {member} tracks nothing"),
                "list the links or components it watches, or leave the member out of track",
            );
        }
        super::check_distinct(cx, tracked, "a member's tracked objects");
        for r in tracked {
            let Some(e) = cx.resolve_any_element(r, "a tracked object") else { continue };
            if ids.get(i) == Some(&e) {
                cx.error(
                    Code::ImpossibleValue,
                    r.span,
                    format!("{member} cannot track itself: its own failure already ends its adverts"),
                    "track its uplinks (links or the upstream device), e.g. \"edge~gw-1\"",
                );
                continue;
            }
            if ids.contains(&e) {
                cx.error(
                    Code::ImpossibleValue,
                    r.span,
                    format!(
                        "{member} tracks {}, another member of this group: the pair would go down together",
                        r.value
                    ),
                    "track the links or devices on the member's own path; the peers' adverts already cover each other",
                );
                continue;
            }
            objects[i].push(e);
            let far = cx.builder.model.links.iter().find(|l| l.element == e).and_then(|l| match ids.get(i) {
                Some(&m) if l.a == m => Some(l.b),
                Some(&m) if l.b == m => Some(l.a),
                _ => None,
            });
            if let Some(far) = far.filter(|f| !ids.contains(f) && !objects[i].contains(f)) {
                objects[i].push(far);
            }
        }
    }
    let given = decrement.map(|d| d.value.clamp(1, 255) as u32);
    let decrement = given.or(default_decrement);
    let switch = (0..members.len()).map(|i| switch_secs(decrement.is_some(), i)).collect();
    if let Some(g) = cx.group_mut() {
        g.track = Some(crate::model::Track {
            objects,
            priorities,
            decrement,
            decrement_given: given.is_some(),
            switch_secs: switch,
        });
    }
}

/// Multicast adverts cannot cross a switch that drops multicast: the group keeps them
/// as its `advert_blockers` (read when adverts are searched for).
fn lower_multicast(cx: &mut LowerCx, multicast: bool) {
    let blockers: Vec<_> = if multicast { cx.builder.drops_multicast.iter().copied().collect() } else { Vec::new() };
    if let Some(g) = cx.group_mut() {
        g.advert_blockers = blockers;
    }
}

/// Lowers `segment`: switches only.
fn lower_segment(cx: &mut LowerCx, segment: &[Ref]) {
    super::check_distinct(cx, segment, "the segment's switches");
    let mut ids = Vec::new();
    for r in segment {
        if let Some(crate::model::Target::Element(e)) =
            cx.resolve(r, crate::model::SWITCHING, "a switch of the segment")
        {
            ids.push(e);
        }
    }
    if let Some(g) = cx.group_mut() {
        g.advert_segment = ids;
    }
}

/// The priority a member gets when none is given: 200 for the first, then 100.
fn default_priority(index: usize) -> u8 {
    if index == 0 {
        200
    } else {
        100
    }
}

/// Master_Down_Interval of a backup at `priority`: 3 × Advertisement_Interval +
/// Skew_Time, where Skew_Time is (256 − priority) / 256 s in version 2 (RFC 3768 §6.1)
/// and (256 − priority) × Advertisement_Interval / 256 in version 3 (RFC 5798 §6.1).
pub fn master_down_secs(version: u8, advert_secs: f64, priority: u8) -> f64 {
    let skew_units = (256.0 - f64::from(priority)) / 256.0;
    let skew = if version == 2 { skew_units } else { skew_units * advert_secs };
    3.0 * advert_secs + skew
}

/// The priorities as bytes, with a range error at each value outside `range`.
fn priorities_in_range(
    cx: &mut LowerCx,
    given: &[Spanned<u32>],
    range: std::ops::RangeInclusive<u32>,
    protocol: &str,
    help: &str,
) -> Vec<u8> {
    for p in given.iter().filter(|p| !range.contains(&p.value)) {
        cx.error(
            Code::ImpossibleValue,
            p.span,
            format!("{protocol} priority {} is out of range {}–{}", p.value, range.start(), range.end()),
            help,
        );
    }
    given.iter().map(|p| p.value.clamp(*range.start(), *range.end()) as u8).collect()
}

fn lower_pair(
    cx: &mut LowerCx,
    members: &[Ref],
    priorities: &[u8],
    detect_secs: f64,
    preempt: bool,
    vip: &Option<String>,
    require: &[Ref],
) {
    super::check_distinct(cx, members, "the group's members");
    let resolved = super::resolve_elements(cx, members, VIP_HOLDERS, "a virtual-IP member");
    if members.len() < 2 {
        cx.error(
            Code::ImpossibleValue,
            cx.span,
            format!("a redundancy group needs at least two members, found {}", members.len()),
            "add the standby member",
        );
        return;
    }
    if !priorities.is_empty() && priorities.len() != members.len() {
        cx.error(
            Code::ImpossibleValue,
            cx.span,
            format!("{} priorities for {} members", priorities.len(), members.len()),
            "give one priority per member, in the same order",
        );
    }
    if priorities.windows(2).any(|w| w[0] < w[1]) {
        cx.error(
            Code::ImpossibleValue,
            cx.span,
            format!("priorities {priorities:?} are not highest first"),
            "list the members highest priority first (the first is the master)",
        );
    }
    cx.set_members(resolved);
    if let Some(g) = cx.group_mut() {
        g.arrangement = Arrangement::ActiveStandby;
        g.switchover = Some(Switchover { detect_secs, takeover_secs: 0.0, sees: Visibility::Peers });
    }
    cx.attr("preempt", Attr::Flag(preempt));
    super::precondition::lower_requires(cx, require, preempt);
    if let Some(v) = vip {
        cx.attr("vip", Attr::Text(v.clone()));
    }
}

impl Spec for VrrpSpec {
    const INFO: KindInfo = KindInfo {
        name: "vrrp",
        section: Section::Groups,
        layer: Layer::Network,
        doc: "A VRRP group sharing a virtual IP (gateways, Keepalived LB pairs).",
        failure: None,
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let advert = self.advert_interval.map_or(1.0, |d| d.secs);
        if advert <= 0.0 {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "advert_interval must be longer than zero",
                "RFC 5798 default: 1s",
            );
            return;
        }
        let priorities = priorities_in_range(
            cx,
            &self.priorities,
            1..=254,
            "VRRP",
            "RFC 5798 §5.2.4: 255 belongs to the address owner and 0 means the master resigns; backups use 1–254",
        );
        let version = self.version.unwrap_or(3);
        match version {
            2 if advert.fract() != 0.0 || advert > 255.0 => cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("VRRP version 2 advertises in whole seconds (1–255), not {}", Duration::from_secs(advert)),
                "RFC 3768 §5.3.7: use a whole number of seconds, or \"version\": 3 for centiseconds",
            ),
            3 if (advert * 100.0 - (advert * 100.0).round()).abs() > 1e-9 || advert > 40.95 => cx.error(
                Code::ImpossibleValue,
                cx.span,
                if advert > 40.95 {
                    format!("VRRP version 3 advertises at most every 40.95s, not {}", Duration::from_secs(advert))
                } else {
                    format!(
                        "VRRP version 3 counts its advert interval in whole centiseconds (10 ms steps), not {}",
                        Duration::from_secs(advert)
                    )
                },
                "RFC 5798 §5.2.7: a 12-bit count of centiseconds",
            ),
            2 | 3 => {}
            v => cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("VRRP version {v} does not exist"),
                "use 3 (RFC 5798, the default) or 2 (RFC 3768)",
            ),
        }
        // The group's detection time (analyze's timed figure): the highest-priority
        // backup's, the first to declare the first member down.
        let backup_priority = (1..self.members.len())
            .map(|i| priorities.get(i).copied().unwrap_or(default_priority(i)))
            .max()
            .unwrap_or(100);
        let master_down = master_down_secs(version, advert, backup_priority);
        // Each backup waits its own interval: the one that takes over decides how long
        // the gateway is gone (a backup at 100 waits 3.61 s, one at 200 3.22 s).
        let member_master_down: Vec<f64> = (0..self.members.len())
            .map(|i| master_down_secs(version, advert, priorities.get(i).copied().unwrap_or(default_priority(i))))
            .collect();
        cx.attr("advert_interval", Attr::Secs(advert));
        cx.attr("version", Attr::Count(version.into()));
        cx.attr("master_down", Attr::Secs(master_down));
        // RFC 5798 §6.1: Preempt_Mode defaults to True.
        let preempt = self.preempt.unwrap_or(true);
        lower_pair(cx, &self.members, &priorities, master_down, preempt, &self.vip, &self.require);
        // FAULT sends priority 0: the backup waits Skew_Time only (RFC 5798 §6.4.2). A
        // lowered priority is discarded by a preempting backup, whose Master_Down_Timer
        // then runs out: Master_Down_Interval after the last advert it accepted, the
        // worst case from the failure (2 adverts + skew after the first lower one).
        let per_member = (0..self.members.len())
            .map(|i| u32::from(priorities.get(i).copied().unwrap_or(default_priority(i))))
            .collect();
        if let Some(g) = cx.group_mut() {
            g.member_detect_secs = member_master_down.clone();
            g.member_preempt_secs = member_master_down.clone();
        }
        let switch = |lowered: bool, i: usize| {
            let own = member_master_down[i];
            if lowered {
                own
            } else {
                own - 3.0 * advert
            }
        };
        lower_track(cx, &self.members, &self.track, per_member, self.track_decrement.as_ref(), None, switch);
        lower_segment(cx, &self.segment);
        lower_multicast(cx, self.adverts != Some(AdvertMode::Unicast));
    }
}

impl Spec for HsrpSpec {
    const INFO: KindInfo = KindInfo {
        name: "hsrp",
        section: Section::Groups,
        layer: Layer::Network,
        doc: "An HSRP group (active/standby gateways with a virtual IP).",
        failure: None,
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let hello = self.hello.map_or(3.0, |d| d.secs);
        let hold = self.hold.map_or(10.0, |d| d.secs);
        if hold <= hello {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("hold time ({}) must exceed hello ({})", Duration::from_secs(hold), Duration::from_secs(hello)),
                "make hold longer than hello: Cisco's defaults are hello 3s, hold 10s, and it recommends hold ≥ 3 × hello",
            );
            return;
        }
        let priorities =
            priorities_in_range(cx, &self.priorities, 0..=255, "HSRP", "Cisco HSRP priorities are 0–255 (default 100)");
        cx.attr("hello", Attr::Secs(hello));
        cx.attr("hold", Attr::Secs(hold));
        // Cisco IOS `standby preempt`: off unless configured.
        let preempt = self.preempt.unwrap_or(false);
        lower_pair(cx, &self.members, &priorities, hold, preempt, &self.vip, &self.require);
        let n = self.members.len();
        if let Some(g) = cx.group_mut() {
            g.member_preempt_secs = vec![hello; n];
        }
        // Cisco: a standby with a higher priority and preemption sends a coup on the
        // active's next hello, which carries the lowered priority.
        let per_member =
            (0..self.members.len()).map(|i| u32::from(priorities.get(i).copied().unwrap_or(100))).collect();
        // At most one hello: the worst case from the failure.
        lower_track(cx, &self.members, &self.track, per_member, self.track_decrement.as_ref(), Some(10), |_, _| hello);
        lower_segment(cx, &self.segment);
        lower_multicast(cx, true);
    }
}

/// Simulated timing (VRRP and HSRP): the backup takes over after Master_Down / hold time.
/// A backup router does not own the virtual IP, so it forwards no gateway traffic
/// (RFC 5798 §6.4.2); adverts are link-local multicast (RFC 5798 §5.1.1.3).
pub fn profile(model: &crate::model::Model, g: &crate::model::Group) -> crate::simulate::SimProfile {
    use crate::simulate::{Behaviour, SimProfile};
    // A backup router, firewall or balancer forwards nothing for the virtual IP; a
    // backup L3 switch still bridges its VLANs, so traffic crosses it as before (as the
    // analysis has it).
    let all_switches = g.members.iter().all(|&m| super::network::bridges(model.element(m).kind));
    SimProfile {
        standby_blocks_transit: !all_switches,
        peers_same_segment: true,
        preempt: matches!(g.attrs.get("preempt"), Some(Attr::Flag(true))),
        listens_before_claiming: true,
        preempt_timer_from_ready: g.kind == VrrpSpec::INFO.name,
        // Two masters answer for the virtual IP while the adverts are cut.
        counts_dual_masters: true,
        ..SimProfile::plain(Behaviour::Switchover)
    }
}

#[cfg(test)]
mod tests {
    use super::master_down_secs;

    /// The RFCs' formulas, worked by hand (exact binary fractions, so compared exactly).
    #[test]
    fn master_down_follows_each_version() {
        assert_eq!(master_down_secs(3, 1.0, 100), 3.609375);
        assert_eq!(master_down_secs(3, 2.0, 100), 7.21875);
        assert_eq!(master_down_secs(3, 1.0, 150), 3.4140625);
        assert_eq!(master_down_secs(2, 1.0, 100), 3.609375);
        assert_eq!(master_down_secs(2, 2.0, 100), 6.609375);
    }
}
