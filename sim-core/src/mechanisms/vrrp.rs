//! Gateway redundancy: VRRP (RFC 5798) and HSRP (RFC 2281) (DOMAIN.md §6, §3).
//!
//! Members share a virtual IP; the highest priority is master. Backups declare the
//! master down after VRRP's Master_Down_Interval = 3 × advert + skew, with
//! skew = (256 − priority) / 256 s (≈3.6 s at defaults), or HSRP's hold time (10 s).
//! Used for L3 gateways and for load-balancer pairs (Keepalived).

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
    /// Members, highest priority first.
    pub members: Vec<Ref>,
    /// Priorities (1–254), in member order; default 200, 100, ...
    #[serde(default)]
    pub priorities: Vec<u8>,
    /// Advertisement interval (default 1s).
    pub advert_interval: Option<Duration>,
    /// Whether a recovered higher-priority member takes the VIP back (default true).
    pub preempt: Option<bool>,
    /// The virtual IP address, for reports.
    pub vip: Option<String>,
}

/// An HSRP group (Cisco): active and standby routers.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HsrpSpec {
    /// Members, highest priority first.
    pub members: Vec<Ref>,
    /// Priorities (0–255), in member order; default 110, 100, ...
    #[serde(default)]
    pub priorities: Vec<u8>,
    /// Hello interval (default 3s).
    pub hello: Option<Duration>,
    /// Hold time (default 10s).
    pub hold: Option<Duration>,
    pub preempt: Option<bool>,
    pub vip: Option<String>,
}

fn lower_pair(
    cx: &mut LowerCx,
    members: &[Ref],
    priorities: &[u8],
    detect_secs: f64,
    preempt: Option<bool>,
    vip: &Option<String>,
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
    cx.set_members(resolved);
    if let Some(g) = cx.group_mut() {
        g.arrangement = Arrangement::ActiveStandby;
        g.switchover = Some(Switchover { detect_secs, takeover_secs: 0.0, sees: Visibility::Peers });
    }
    cx.attr("preempt", Attr::Flag(preempt.unwrap_or(true)));
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
        if let Some(p) = self.priorities.iter().find(|&&p| p == 0 || p == 255) {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("VRRP priority {p} is reserved"),
                "use 1–254 (255 belongs to the address owner, 0 means resigning)",
            );
        }
        // The backup (second member) decides when the master is down.
        let backup_priority = self.priorities.get(1).copied().unwrap_or(100);
        let skew = (256.0 - f64::from(backup_priority)) / 256.0;
        let master_down = 3.0 * advert + skew;
        cx.attr("advert_interval", Attr::Secs(advert));
        cx.attr("master_down", Attr::Secs(master_down));
        lower_pair(cx, &self.members, &self.priorities, master_down, self.preempt, &self.vip);
    }
}

impl Spec for HsrpSpec {
    const INFO: KindInfo = KindInfo {
        name: "hsrp",
        section: Section::Groups,
        layer: Layer::Network,
        doc: "An HSRP group (active/standby gateways with a virtual IP).",
        failure: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let hello = self.hello.map_or(3.0, |d| d.secs);
        let hold = self.hold.map_or(10.0, |d| d.secs);
        if hold <= hello {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                format!("hold time ({}) must exceed hello ({})", Duration::from_secs(hold), Duration::from_secs(hello)),
                "HSRP defaults: hello 3s, hold 10s (hold ≥ 3 × hello)",
            );
            return;
        }
        cx.attr("hello", Attr::Secs(hello));
        cx.attr("hold", Attr::Secs(hold));
        lower_pair(cx, &self.members, &self.priorities, hold, self.preempt, &self.vip);
    }
}

/// Simulated timing (VRRP and HSRP): the backup takes over after Master_Down / hold time.
/// A backup router does not own the virtual IP, so it forwards no gateway traffic
/// (RFC 5798 §6.4.2); adverts are link-local multicast (RFC 5798 §5.1.1.3).
pub fn profile(_: &crate::model::Model, g: &crate::model::Group) -> crate::simulate::SimProfile {
    use crate::simulate::{Behaviour, SimProfile};
    SimProfile {
        standby_blocks_transit: true,
        peers_same_segment: true,
        preempt: matches!(g.attrs.get("preempt"), Some(Attr::Flag(true))),
        ..SimProfile::plain(Behaviour::Switchover)
    }
}
