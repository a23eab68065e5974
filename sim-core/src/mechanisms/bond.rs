//! NICs and Linux bonding (Linux kernel Documentation/networking/bonding.rst, 'Link Monitoring'
//! and 'Configuring Bonding for High Availability').
//!
//! A bond is a switchover group over NICs. Active-backup fails over after its monitor
//! notices: MII (miimon, default 100 ms, times downdelay) sees only the local port, so
//! a failure upstream of the switch goes unnoticed; ARP monitoring (arp_interval ×
//! missed probes) sees the path to its target. LACP (802.3ad) uses all members at once.
//! Without `primary` an active-backup bond stays on whichever NIC a failover chose; with
//! it (and `primary_reselect` "always", the kernel's default) it returns to the primary
//! as soon as that NIC works ('primary', 'primary_reselect').

use schemars::JsonSchema;
use serde::Deserialize;

use super::Ref;
use crate::diagnostics::Code;
use crate::model::{
    Arrangement, Attr, EdgeKind, ElementId, GroupId, Layer, LowerCx, Medium, Req, Switchover, Target, Visibility,
};
use crate::scenario::{Kind, KindInfo, KindOf, Section, Spec};
use crate::units::Duration;

pub static KINDS: &[&dyn Kind] = &[&KindOf::<NicSpec>::NEW, &KindOf::<BondSpec>::NEW];

/// A network interface card port, cabled to a switch.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NicSpec {
    /// The server the NIC is in.
    pub server: Ref,
    /// The switch (or router) its cable goes to.
    pub switch: Ref,
}

impl Spec for NicSpec {
    const INFO: KindInfo = KindInfo {
        name: "nic",
        section: Section::Components,
        layer: Layer::Network,
        doc: "A NIC port in a server, cabled to a switch.",
        failure: Some(("30y", "4h")),
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some(me) = cx.me_element() else { return };
        let server = cx.resolve_element(&self.server, &["server"], "a NIC's server");
        let switch = cx.resolve_element(&self.switch, &["switch", "router"], "a NIC's switch");
        if let (Some(server), Some(switch)) = (server, switch) {
            cable(cx, server, me, &self.switch, switch);
        }
    }
}

#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum BondMode {
    /// One NIC carries traffic; another takes over when it is seen to fail.
    #[default]
    ActiveBackup,
    /// IEEE 802.3ad link aggregation: all NICs carry traffic.
    Lacp,
}

/// How the bond notices a failed member: `{ "mii": { ... } }` or `{ "arp": { ... } }`.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum BondMonitor {
    /// Link state of the local port (no traffic; blind beyond the switch port).
    Mii {
        /// Polling interval (Linux miimon; default 100ms).
        interval: Option<Duration>,
        /// How long a link must stay down before failover (Linux downdelay, a multiple of
        /// miimon; default 0), e.g. `"downdelay": "200ms"`.
        downdelay: Option<Duration>,
    },
    /// ARP probes to a target address (sees failures further away; costs broadcasts).
    Arp {
        /// Probe interval (Linux arp_interval). Default 1s, spofsim's own choice: the
        /// kernel's default of 0 turns ARP monitoring off, so a real ARP monitor always
        /// sets it; give the configured value.
        interval: Option<Duration>,
        /// The component whose address is probed (Linux arp_ip_target), usually the
        /// gateway router. A group, such as a `vrrp` VIP, is refused (name its routers
        /// in `targets`), and so are links and sites, which have no address.
        target: Option<Ref>,
        /// Several probed components instead of one `target` (Linux takes up to 16
        /// arp_ip_target addresses); a validated NIC counts as up while it reaches any
        /// of them (Linux's default `arp_all_targets any`) or, with `"all_targets":
        /// "all"`, only while it reaches every one, e.g. `"targets": ["gw-1", "gw-2"]`.
        targets: Option<Vec<Ref>>,
        /// How many targets a validated NIC must reach to count as up (Linux
        /// arp_all_targets, bonding.rst): "any" (the kernel's default, 0) or "all" (1).
        /// It applies to validated NICs only (`validate`), as in the kernel. With
        /// "all", losing any one target (the VRRP backup router too) takes every NIC
        /// down, so each target becomes a single point of failure of the server.
        all_targets: Option<crate::de::Spanned<ArpAllTargets>>,
        /// Missed probes before failover, at least 1 (Linux arp_missed_max; default 2).
        missed: Option<u32>,
        /// Which NICs check that what they receive answers their own probes (Linux
        /// arp_validate): "none" (the kernel's default), "active", "backup" or "all".
        /// Without validation of the active NIC, any traffic it receives (other hosts'
        /// ARP broadcasts on its switch) keeps it "up", so the monitor sees no further
        /// than its switch, as MII. With it ("active" or "all"), a NIC that reaches no
        /// target is down, so when every target is lost the whole bond is down: the
        /// targets join what the server's network needs.
        validate: Option<ArpValidate>,
    },
}

/// Linux `arp_validate` (Documentation/networking/bonding.rst, "arp_validate").
#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ArpValidate {
    /// No validation (the kernel's default, 0): any traffic counts.
    #[default]
    None,
    /// Only the active NIC's replies are validated (1).
    Active,
    /// Only the backups' (2).
    Backup,
    /// Every NIC's (3).
    All,
}

impl ArpValidate {
    /// Whether the active NIC's liveness rests on replies to its own probes.
    pub fn validates_active(self) -> bool {
        matches!(self, ArpValidate::Active | ArpValidate::All)
    }
}

/// Linux `arp_all_targets` (Documentation/networking/bonding.rst, "arp_all_targets").
#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ArpAllTargets {
    /// A NIC is up while any target answers (the kernel's default, 0).
    #[default]
    Any,
    /// A NIC is up only while every target answers (1).
    All,
}

/// Linux `primary_reselect` (Documentation/networking/bonding.rst, "primary_reselect"):
/// when the `primary` NIC, back up, takes the traffic again.
#[derive(Clone, Copy, Debug, Default, Deserialize, JsonSchema, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum PrimaryReselect {
    /// As soon as it is back (the kernel's default, 0): the bond fails back.
    #[default]
    Always,
    /// Only if its speed and duplex beat the active NIC's (1). spofsim does not model
    /// link speeds, so it takes the NICs as equal: no fail-back.
    Better,
    /// Only when the active NIC fails (2): no fail-back.
    Failure,
}

/// A bond's preferred NIC, as written: the NIC and when it takes the traffic back.
#[derive(Clone, Copy, Debug)]
struct Primary<'a> {
    nic: &'a Ref,
    reselect: PrimaryReselect,
}

/// A bond written inside a server: one NIC per switch in `to`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InlineBond {
    /// "active-backup" (default: one NIC carries traffic, another takes over) or "lacp"
    /// (IEEE 802.3ad: all NICs carry traffic).
    #[serde(default)]
    pub mode: BondMode,
    /// One NIC cabled to each of these switches or routers (at least two), named
    /// `eth0`, `eth1`, ... in this order (after the server's other inline NICs).
    pub to: Vec<Ref>,
    /// How a failed member is noticed: MII by default (Linux miimon, 100ms), e.g.
    /// `"monitor": { "arp": { "target": "gw-1" } }`.
    pub monitor: Option<BondMonitor>,
    /// The NIC that carries traffic whenever it works (Linux `primary`), by its name in
    /// the server (`"eth0"`) or its id (`"web-1/eth0"`); active-backup only. Without
    /// it the bond starts on its first NIC and stays wherever a failover put it (no
    /// fail-back).
    pub primary: Option<Ref>,
    /// When the primary takes the traffic back (Linux `primary_reselect`): "always"
    /// (the kernel's default), "better" or "failure"; needs `primary`.
    pub primary_reselect: Option<PrimaryReselect>,
}

/// A bond over NICs declared on their own.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BondSpec {
    /// "active-backup" (default: one NIC carries traffic, another takes over) or "lacp"
    /// (IEEE 802.3ad: all NICs carry traffic).
    #[serde(default)]
    pub mode: BondMode,
    /// The member NICs (at least two, in one server); the first is active at start.
    pub members: Vec<Ref>,
    /// How a failed member is noticed: MII by default (Linux miimon, 100ms), e.g.
    /// `"monitor": { "arp": { "targets": ["gw-1", "gw-2"], "validate": "all" } }`.
    pub monitor: Option<BondMonitor>,
    /// The member NIC that carries traffic whenever it works (Linux `primary`), by id;
    /// active-backup only. Without it the bond starts on its first member and stays
    /// wherever a failover put it (no fail-back).
    pub primary: Option<Ref>,
    /// When the primary takes the traffic back (Linux `primary_reselect`): "always"
    /// (the kernel's default), "better" or "failure"; needs `primary`.
    pub primary_reselect: Option<PrimaryReselect>,
}

/// The primary as written, or an error when `primary_reselect` comes without it.
fn primary_of<'a>(
    cx: &mut LowerCx,
    primary: &'a Option<Ref>,
    reselect: Option<PrimaryReselect>,
) -> Result<Option<Primary<'a>>, ()> {
    match (primary, reselect) {
        (Some(nic), reselect) => Ok(Some(Primary { nic, reselect: reselect.unwrap_or_default() })),
        (None, Some(_)) => {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "primary_reselect without primary: it says when the primary NIC takes the traffic back",
                "name the preferred NIC (Linux bonding `primary`): \"primary\": \"eth0\" in a server's inline bond, a member's id in a bond group; or drop primary_reselect",
            );
            Err(())
        }
        (None, None) => Ok(None),
    }
}

impl Spec for BondSpec {
    const INFO: KindInfo = KindInfo {
        name: "bond",
        section: Section::Groups,
        layer: Layer::Network,
        doc: "A Linux bond over NICs: active-backup or LACP, monitored by MII or ARP.",
        failure: None,
        restart: None,
    };

    fn lower(&self, cx: &mut LowerCx) {
        let Some(g) = cx.me_group() else { return };
        super::check_distinct(cx, &self.members, "bond members");
        let nics = super::resolve_elements(cx, &self.members, &["nic"], "a bond member");
        if nics.len() != self.members.len() {
            return;
        }
        let servers: Vec<ElementId> = nics.iter().filter_map(|&n| host_of(cx, n)).collect();
        if servers.windows(2).any(|w| w[0] != w[1]) {
            cx.error(
                Code::ImpossibleValue,
                cx.span,
                "bond members are in different servers",
                "a bond joins NICs of one server",
            );
            return;
        }
        let Ok(primary) = primary_of(cx, &self.primary, self.primary_reselect) else { return };
        lower_bond(cx, g, servers.first().copied(), nics, self.mode, &self.monitor, primary);
    }
}

fn host_of(cx: &LowerCx, nic: ElementId) -> Option<ElementId> {
    match &cx.builder.model.elements[nic.0 as usize].needs {
        Req::Element(h) => Some(*h),
        Req::All(of) => of.iter().find_map(|r| match r {
            Req::Element(h) if cx.builder.model.elements[h.0 as usize].layer == Layer::Compute => Some(*h),
            _ => None,
        }),
        _ => None,
    }
}

/// Cables `nic` (in `server`) to `switch`: it needs its server, network paths pass
/// from the server through it, and an access link (itself an element) joins the switch.
fn cable(cx: &mut LowerCx, server: ElementId, nic: ElementId, switch_ref: &Ref, switch: ElementId) {
    cx.need(nic, Req::Element(server), EdgeKind::Hosting);
    cx.attach(server, nic);
    let name = cx.element_name(nic);
    cx.link(format!("{name}~{}", switch_ref.value), nic, switch, Medium::Access, switch_ref.span);
}

/// Creates the part `<server>/eth<index>` cabled to `switch_ref`.
pub fn inline_nic(
    cx: &mut LowerCx,
    server: ElementId,
    index: usize,
    switch_ref: &Ref,
    role: &str,
) -> Option<ElementId> {
    let switch = cx.resolve_element(switch_ref, &["switch", "router"], role)?;
    let name = cx.element_name(server);
    let nic = cx.part(format!("{name}/eth{index}"), "nic", Layer::Network, switch_ref.span);
    cable(cx, server, nic, switch_ref, switch);
    Some(nic)
}

/// Creates `<server>/ethN` parts and a `<server>/bond` group.
pub fn lower_inline_bond(cx: &mut LowerCx, server: ElementId, bond: &InlineBond, first_index: usize) {
    let name = cx.me_name();
    let mut nics = Vec::new();
    for (i, switch) in bond.to.iter().enumerate() {
        let Some(nic) = inline_nic(cx, server, first_index + i, switch, "a bond's switch") else {
            continue;
        };
        nics.push(nic);
    }
    if nics.len() != bond.to.len() {
        return;
    }
    let Ok(primary) = primary_of(cx, &bond.primary, bond.primary_reselect) else { return };
    let span = cx.span;
    let g = cx.part_group(format!("{name}/bond"), "bond", span);
    let outer = cx.me;
    cx.me = Target::Group(g);
    lower_bond(cx, g, Some(server), nics, bond.mode, &bond.monitor, primary);
    cx.me = outer;
}

fn lower_bond(
    cx: &mut LowerCx,
    g: GroupId,
    server: Option<ElementId>,
    mut nics: Vec<ElementId>,
    mode: BondMode,
    monitor: &Option<BondMonitor>,
    primary: Option<Primary>,
) {
    if nics.len() < 2 {
        cx.error(
            Code::ImpossibleValue,
            cx.span,
            format!("a bond needs at least two members, found {}", nics.len()),
            "add a second NIC (ideally to a second switch), or drop the bond",
        );
        return;
    }
    // With only the active NIC validated: the targets it probes, and whether it must
    // reach all of them.
    let mut validated_active_only: Option<Vec<ElementId>> = None;
    let mut all_targets_active_only = false;
    let (detect_secs, sees, label) = match monitor {
        None => (0.1, Visibility::LocalLink, "mii"),
        Some(BondMonitor::Mii { interval, downdelay }) => {
            let i = interval.map_or(0.1, |d| d.secs);
            (i + downdelay.map_or(0.0, |d| d.secs), Visibility::LocalLink, "mii")
        }
        Some(BondMonitor::Arp { interval, target, targets, missed, validate, all_targets }) => {
            let refs: Vec<&Ref> = match (target, targets) {
                (Some(t), None) => vec![t],
                (None, Some(ts)) if !ts.is_empty() => ts.iter().collect(),
                (Some(t), Some(_)) => {
                    cx.error(
                        Code::ImpossibleValue,
                        t.span,
                        "ARP monitoring takes \"target\" or \"targets\", not both",
                        "keep one: \"targets\": [\"gw-1\", \"gw-2\"] lists every address probed (Linux arp_ip_target)",
                    );
                    return;
                }
                (None, _) => {
                    cx.error(
                        Code::ImpossibleValue,
                        cx.span,
                        "ARP monitoring needs the address it probes: \"target\", or a non-empty \"targets\" list",
                        "write \"target\": \"gw-1\", or \"targets\": [\"gw-1\", \"gw-2\"] (Linux arp_ip_target)",
                    );
                    return;
                }
            };
            let mut resolved = Vec::new();
            for r in &refs {
                // A virtual IP is a group: say what to write instead.
                if let Some((Target::Group(_), kind)) = cx.builder.lookup(&r.value) {
                    cx.error(
                        Code::WrongKind,
                        r.span,
                        format!(
                            "\"{}\" is a {kind} group; spofsim does not take a virtual IP as an ARP target",
                            r.value
                        ),
                        "probe its routers instead: \"targets\": [\"gw-1\", \"gw-2\"] with their ids",
                    );
                    continue;
                }
                let Some(t) = cx.resolve_any_element(r, "an ARP target") else { continue };
                // ARP is answered by a device with an address, not by a cable or a site.
                let kind = cx.builder.model.elements[t.0 as usize].kind;
                if !crate::model::has_address(kind) {
                    cx.error(
                        Code::WrongKind,
                        r.span,
                        format!("\"{}\" is a {kind}, which cannot answer ARP probes", r.value),
                        "name the device whose address is probed: usually the gateway router",
                    );
                    continue;
                }
                resolved.push(t);
            }
            if resolved.len() != refs.len() {
                return;
            }
            let missed = missed.unwrap_or(2);
            if missed == 0 {
                cx.error(
                    Code::ImpossibleValue,
                    refs[0].span,
                    "ARP monitoring needs at least one missed probe",
                    "set \"missed\" to 1 or more (Linux default 2)",
                );
            }
            // Without validation of the active NIC, other hosts' broadcasts on its switch
            // keep it up: it sees its own link and switch, no further. With it, a NIC
            // that reaches no target is marked down, so when no NIC reaches one the bond
            // has no NIC left and carries nothing (bonding.rst, "ARP Monitor Operation").
            // With "active" alone, the backups are not validated: the bond flaps from
            // NIC to NIC, each marked down after its missed probes; spofsim counts the
            // bond down throughout, the conservative reading.
            let validated = validate.unwrap_or_default().validates_active();
            let all = all_targets.as_ref().is_some_and(|a| a.value == ArpAllTargets::All);
            if let Some(a) = all_targets.as_ref().filter(|_| all && !validated) {
                cx.warn(
                    a.span,
                    "\"all_targets\" has no effect on the active NIC without validation: the kernel applies arp_all_targets to validated NICs only",
                    "add \"validate\": \"active\" or \"all\" (Linux arp_validate), or drop \"all_targets\"",
                );
            }
            if validate.unwrap_or_default() == ArpValidate::Active {
                validated_active_only = Some(resolved.clone());
                all_targets_active_only = all;
            }
            let sees = if validated {
                // Some NIC's probes pass: it reaches some target, or (all) every one. A
                // path from a NIC may leave by a sibling NIC of its server, which is
                // the same for "some NIC reaches some target"; "every target" must be
                // reached by one NIC, so its probes leave by its own cable.
                let passing: Vec<Req> = if all {
                    nics.iter()
                        .flat_map(|&nic| own_links(cx, nic))
                        .map(|(link, far)| {
                            let mut each = vec![Req::Element(link)];
                            each.extend(resolved.iter().map(|&t| Req::Path { from: far, to: t, probe: true }));
                            Req::All(each)
                        })
                        .collect()
                } else {
                    nics.iter()
                        .flat_map(|&nic| resolved.iter().map(move |&t| Req::Path { from: nic, to: t, probe: true }))
                        .collect()
                };
                // Each NIC needs some NIC's probes to pass (not the bond group: the
                // group is down during its own switchover, which would take the NIC it
                // switches to down with it).
                for &nic in &nics {
                    cx.need(nic, Req::any(passing.clone()), EdgeKind::Network);
                }
                Visibility::PathTo { targets: resolved, l2: true, all }
            } else {
                Visibility::LocalLink
            };
            cx.attr("arp_validate", Attr::Text(format!("{:?}", validate.unwrap_or_default()).to_lowercase()));
            (interval.map_or(1.0, |d| d.secs) * f64::from(missed.max(1)), sees, "arp")
        }
    };
    if detect_secs <= 0.0 {
        cx.error(
            Code::ImpossibleValue,
            cx.span,
            "a bond monitor interval must be longer than zero",
            "Linux defaults: miimon 100ms, arp_interval 1s",
        );
    }
    // The primary goes first: the group starts on its first member and, preempting,
    // returns to it.
    let preempt = match primary {
        None => None,
        Some(p) => {
            let Some(k) = primary_index(cx, &nics, server, mode, p) else { return };
            let nic = nics.remove(k);
            nics.insert(0, nic);
            Some(p.reselect == PrimaryReselect::Always)
        }
    };
    // A primary that, as a backup, is not validated (arp_validate active) counts as up
    // on any traffic, so reselect "always" takes it back while its probes still fail,
    // it is marked down after its missed probes, and the bond flaps for as long as the
    // primary reaches no target: counted down for all of it (conservative).
    if let (Some(true), Some(targets)) = (preempt, &validated_active_only) {
        // Its probes leave by its own cable (not through the other NICs of its server).
        let primary_paths: Vec<Req> = own_links(cx, nics[0])
            .iter()
            .flat_map(|&(link, far)| {
                let paths = targets
                    .iter()
                    .map(move |&t| Req::All(vec![Req::Element(link), Req::Path { from: far, to: t, probe: true }]));
                if all_targets_active_only {
                    vec![Req::All(paths.collect())]
                } else {
                    paths.collect()
                }
            })
            .collect();
        // On every NIC, as the validated probes' need is: the bond carries nothing.
        for &nic in &nics {
            cx.need(nic, Req::any(primary_paths.clone()), EdgeKind::Network);
        }
    }
    cx.set_members(nics);
    if let Some(preempt) = preempt {
        cx.attr("preempt", Attr::Flag(preempt));
    }
    let group = &mut cx.builder.model.groups[g.0 as usize];
    group.arrangement = match mode {
        BondMode::ActiveBackup => Arrangement::ActiveStandby,
        BondMode::Lacp => Arrangement::ActiveActive { need: 1 },
    };
    group.switchover = Some(Switchover { detect_secs, takeover_secs: 0.0, sees });
    cx.attr("mode", Attr::Text(if mode == BondMode::Lacp { "lacp" } else { "active-backup" }.into()));
    cx.attr("monitor", Attr::Text(label.into()));
    if let Some(server) = server {
        let server_name = cx.element_name(server);
        cx.attr("server", Attr::Text(server_name));
    }
}

/// The cables of `nic` as (link, far end): where its own probes leave.
fn own_links(cx: &LowerCx, nic: ElementId) -> Vec<(ElementId, ElementId)> {
    cx.builder
        .model
        .links
        .iter()
        .filter_map(|l| match (l.a == nic, l.b == nic) {
            (true, _) => Some((l.element, l.b)),
            (_, true) => Some((l.element, l.a)),
            _ => None,
        })
        .collect()
}

/// Which of `nics` the primary names: by id, or by its name inside `server` (`eth0`);
/// `None` after an error when it names none, or the bond is not active-backup.
fn primary_index(
    cx: &mut LowerCx,
    nics: &[ElementId],
    server: Option<ElementId>,
    mode: BondMode,
    p: Primary,
) -> Option<usize> {
    if mode != BondMode::ActiveBackup {
        cx.error(
            Code::ImpossibleValue,
            p.nic.span,
            "a primary NIC applies to active-backup bonds only: LACP carries traffic on every NIC at once",
            "drop \"primary\", or use \"mode\": \"active-backup\"",
        );
        return None;
    }
    let prefix = server.map(|s| format!("{}/", cx.element_name(s)));
    let names: Vec<String> = nics.iter().map(|&n| cx.element_name(n)).collect();
    let short = |name: &str| prefix.as_deref().and_then(|p| name.strip_prefix(p)).unwrap_or(name).to_string();
    if let Some(k) = names.iter().position(|n| *n == p.nic.value || short(n) == p.nic.value) {
        return Some(k);
    }
    let members: Vec<String> = names.iter().map(|n| format!("\"{}\"", short(n))).collect();
    cx.error(
        Code::UnknownId,
        p.nic.span,
        format!("the primary \"{}\" is not a NIC of this bond", p.nic.value),
        format!("name one of its NICs: {}", members.join(", ")),
    );
    None
}

/// The switch attribute naming its MLAG peer (`"mlag_peer"` on a switch, lowered by
/// `mechanisms::network`).
pub const MLAG_PEER: &str = "mlag_peer";

/// The switch (or router) each of a bond's NICs is cabled to, as (NIC, far end).
fn nic_switches<'m>(
    model: &'m crate::model::Model,
    g: &'m crate::model::Group,
) -> impl Iterator<Item = (ElementId, ElementId)> + 'm {
    model.links.iter().filter(move |l| l.medium == Medium::Access && g.members.contains(&l.a)).map(|l| (l.a, l.b))
}

/// The switch the bond starts on: its first NIC's.
pub fn first_switch(model: &crate::model::Model, g: &crate::model::Group) -> Option<ElementId> {
    nic_switches(model, g).find(|(nic, _)| g.members.first() == Some(nic)).map(|(_, far)| far)
}

/// The switches (or routers) a bond's NICs are cabled to, sorted, each once.
pub fn bond_switches(model: &crate::model::Model, g: &crate::model::Group) -> Vec<ElementId> {
    let mut far: Vec<ElementId> = nic_switches(model, g).map(|(_, far)| far).collect();
    far.sort_unstable();
    far.dedup();
    far
}

/// Whether two switches are declared an MLAG pair (either names the other).
pub fn mlag_pair(model: &crate::model::Model, a: ElementId, b: ElementId) -> bool {
    let names = |x: ElementId, y: ElementId| matches!(model.element(x).attrs.get(MLAG_PEER), Some(Attr::Text(p)) if *p == model.element(y).name);
    names(a, b) || names(b, a)
}

/// Whether a LACP bond's NICs end on switches that cannot form one aggregate: two or
/// more switches, not one MLAG pair.
pub fn lacp_without_mlag(model: &crate::model::Model, g: &crate::model::Group) -> bool {
    if g.kind != BondSpec::INFO.name || !matches!(g.attrs.get("mode"), Some(Attr::Text(m)) if m == "lacp") {
        return false;
    }
    match bond_switches(model, g).as_slice() {
        [] | [_] => false,
        [a, b] => !mlag_pair(model, *a, *b),
        _ => true,
    }
}

/// A LACP bond across switches that are not one MLAG pair forms one aggregator per
/// switch (each answers LACP with its own system id) and carries traffic on one of them
/// at a time: Linux bonding.rst, 'ad_select': with the default `stable`, "reselection of
/// the active aggregator occurs only when all slaves of the active aggregator are down".
/// So it fails over as an active-backup bond monitored by MII (802.3ad mode forces
/// miimon to 100 ms when unset: drivers/net/bonding/bond_main.c, bond_check_params) and
/// does not fail back.
pub fn finish(b: &mut crate::model::ModelBuilder) {
    let split: Vec<usize> =
        (0..b.model.groups.len()).filter(|&j| lacp_without_mlag(&b.model, &b.model.groups[j])).collect();
    for j in split {
        let g = &mut b.model.groups[j];
        g.arrangement = Arrangement::ActiveStandby;
        g.attrs.insert("aggregators", Attr::Text("one per switch".into()));
    }
}

/// Simulated timing: active-backup switches over after its monitor (MII or ARP) sees
/// the loss; LACP spreads traffic over the links and absorbs a loss.
/// The idle NIC of an active-backup bond carries nothing (Linux bonding docs, "active-backup").
/// With a `primary` and `primary_reselect` "always" it takes the traffic back as soon as
/// it works again, with no gap (the backup carries until then).
pub fn profile(_: &crate::model::Model, g: &crate::model::Group) -> crate::simulate::SimProfile {
    use crate::simulate::{Behaviour, SimProfile};
    match g.arrangement {
        crate::model::Arrangement::ActiveStandby => SimProfile {
            standby_blocks_transit: true,
            host_local: true,
            preempt: matches!(g.attrs.get("preempt"), Some(Attr::Flag(true))),
            ..SimProfile::plain(Behaviour::Switchover)
        },
        crate::model::Arrangement::ActiveActive { .. } => {
            SimProfile { host_local: true, ..SimProfile::plain(Behaviour::Absorb) }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::{analyze_tree, structure, Options};

    /// One server's cabling, switches, server and process at 100%, so that only the
    /// routers fail: gw-1 with q₁ = 1e-3, gw-2 with q₂ = 2e-3, each cabled to both
    /// switches and the internet.
    fn design(monitor: &str) -> String {
        format!(
            r#"{{ "defaults": {{ "link": {{ "availability": "100%" }}, "nic": {{ "availability": "100%" }},
                "switch": {{ "availability": "100%" }}, "server": {{ "availability": "100%" }},
                "process": {{ "availability": "100%" }} }},
              "components": {{ "internet": {{ "kind": "entry" }},
                "gw-1": {{ "kind": "router", "availability": "99.9%" }}, "gw-2": {{ "kind": "router", "availability": "99.8%" }},
                "sw-1": {{ "kind": "switch" }}, "sw-2": {{ "kind": "switch" }},
                "web-1": {{ "kind": "server", "runs": ["web"], "bond": {{ "to": ["sw-1", "sw-2"], "monitor": {{ "arp": {monitor} }} }} }} }},
              "links": [ {{ "between": ["internet", "gw-1"] }}, {{ "between": ["internet", "gw-2"] }},
                {{ "between": ["gw-1", "sw-1"] }}, {{ "between": ["gw-1", "sw-2"] }},
                {{ "between": ["gw-2", "sw-1"] }}, {{ "between": ["gw-2", "sw-2"] }} ],
              "groups": {{ "gw": {{ "kind": "vrrp", "members": ["gw-1", "gw-2"] }} }},
              "services": {{ "s": {{ "from": "internet", "through": ["gw", "web-1/web"] }} }} }}"#
        )
    }

    fn unavailability(monitor: &str) -> (f64, Vec<String>) {
        let loaded = crate::load(&design(monitor));
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        let m = loaded.model.unwrap();
        let tree = structure::service_trees(&m).remove(0).unwrap();
        let u = analyze_tree(&tree, &Options::default()).unwrap().probability;
        let singles = crate::analysis::single_failures::single_failures(&m);
        let spofs = singles[0].clone().unwrap_or_default().iter().map(|&e| m.element(e).name.clone()).collect();
        (u, spofs)
    }

    /// Closed forms from Linux bonding.rst ("ARP Monitor Operation", "arp_validate"):
    /// with the active NIC validated, a NIC is up only while a target answers, so with
    /// one target the service needs gw-1 (U = q₁); with both, or without validation,
    /// either router carries it (U = q₁q₂).
    #[test]
    fn validated_targets_join_what_the_server_needs() {
        let (u, spofs) = unavailability(r#"{ "target": "gw-1", "validate": "all" }"#);
        assert!((u - 1e-3).abs() < 1e-12, "{u:e}");
        assert_eq!(spofs, ["gw-1"]);
        let (u, spofs) = unavailability(r#"{ "target": "gw-1", "validate": "active" }"#);
        assert!((u - 1e-3).abs() < 1e-12, "{u:e}");
        assert_eq!(spofs, ["gw-1"]);
        for monitor in [
            r#"{ "targets": ["gw-1", "gw-2"], "validate": "all" }"#,
            r#"{ "target": "gw-1" }"#,
            r#"{ "target": "gw-1", "validate": "backup" }"#,
        ] {
            let (u, spofs) = unavailability(monitor);
            assert!((u - 2e-6).abs() < 1e-15, "{monitor}: {u:e}");
            assert!(spofs.is_empty(), "{monitor}: {spofs:?}");
        }
    }

    /// bonding.rst, "arp_all_targets": with "all", a validated NIC is up only while
    /// every target answers, so the service needs both routers: U = 1 − (1 − q₁)(1 − q₂)
    /// = q₁ + q₂ − q₁q₂, and each router is a SPOF. The kernel applies it to validated
    /// NICs only: without validation it changes nothing (U = q₁q₂), with a warning.
    #[test]
    fn all_targets_makes_every_target_needed() {
        for validate in ["all", "active"] {
            let monitor =
                format!(r#"{{ "targets": ["gw-1", "gw-2"], "validate": "{validate}", "all_targets": "all" }}"#);
            let (u, spofs) = unavailability(&monitor);
            assert!((u - (1e-3 + 2e-3 - 2e-6)).abs() < 1e-15, "{monitor}: {u:e}");
            assert_eq!(spofs, ["gw-1", "gw-2"], "{monitor}");
        }
        let monitor = r#"{ "targets": ["gw-1", "gw-2"], "validate": "all", "all_targets": "any" }"#;
        let (u, spofs) = unavailability(monitor);
        assert!((u - 2e-6).abs() < 1e-15, "{monitor}: {u:e}");
        assert!(spofs.is_empty(), "{monitor}: {spofs:?}");
        let monitor = r#"{ "targets": ["gw-1", "gw-2"], "all_targets": "all" }"#;
        let (u, spofs) = unavailability(monitor);
        assert!((u - 2e-6).abs() < 1e-15, "{monitor}: {u:e}");
        assert!(spofs.is_empty(), "{monitor}: {spofs:?}");
        let loaded = crate::load(&design(monitor));
        assert!(
            loaded
                .diagnostics
                .iter()
                .any(|d| !d.is_error() && d.message.contains("no effect on the active NIC without validation")),
            "{:#?}",
            loaded.diagnostics
        );
    }

    /// A mistake in a server's bond is read by more than one reader; it is reported once,
    /// at the key, and a bad value names the choices.
    #[test]
    fn a_misspelt_or_bad_all_targets_is_reported_once() {
        let loaded = crate::load(&design(r#"{ "targets": ["gw-1", "gw-2"], "validate": "all", "all_target": "all" }"#));
        let errors: Vec<&str> =
            loaded.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.message.as_str()).collect();
        assert_eq!(errors, ["unknown field \"all_target\""], "{:#?}", loaded.diagnostics);
        let text = design(r#"{ "targets": ["gw-1", "gw-2"], "all_targets": "all" }"#);
        let loaded = crate::load(&text);
        let warning = loaded.diagnostics.iter().find(|d| d.message.contains("no effect")).expect("a warning");
        let at = warning.span.expect("a position").start as usize;
        assert!(text[at..].starts_with("\"all\""), "the warning points at the value: {}", &text[at..at + 20]);
    }

    #[test]
    fn bad_targets_are_clear_errors() {
        for (monitor, expected) in [
            (r#"{ "target": "gw-1", "targets": ["gw-2"] }"#, "\"target\" or \"targets\", not both"),
            (r#"{ "targets": [] }"#, "a non-empty \"targets\" list"),
            (r#"{ "validate": "all" }"#, "a non-empty \"targets\" list"),
            (r#"{ "target": "gw" }"#, "\"gw\" is a vrrp group; spofsim does not take a virtual IP as an ARP target"),
            (r#"{ "targets": ["gw-1", "gw-1~sw-1"] }"#, "\"gw-1~sw-1\" is a link, which cannot answer ARP probes"),
            (r#"{ "targets": ["gw-1", "gw-3"] }"#, "gw-3"),
        ] {
            let loaded = crate::load(&design(monitor));
            let errors: Vec<&str> =
                loaded.diagnostics.iter().filter(|d| d.is_error()).map(|d| d.message.as_str()).collect();
            assert!(errors.iter().any(|e| e.contains(expected)), "{monitor}: {errors:?}");
        }
    }

    /// A one-server design whose bond carries `keys` besides its two NICs.
    fn primary_design(keys: &str) -> String {
        format!(
            r#"{{ "components": {{ "internet": {{ "kind": "entry" }}, "sw-1": {{ "kind": "switch" }}, "sw-2": {{ "kind": "switch" }},
                "web-1": {{ "kind": "server", "runs": ["web"], "bond": {{ "to": ["sw-1", "sw-2"], {keys} }} }} }},
              "links": [ {{ "between": ["internet", "sw-1"] }}, {{ "between": ["internet", "sw-2"] }} ],
              "services": {{ "s": {{ "from": "internet", "through": ["web-1/web"] }} }} }}"#
        )
    }

    /// bonding.rst: `primary` is an active-backup member, by its name; the bond starts on
    /// it and (`primary_reselect` always, the default) returns to it.
    #[test]
    fn the_primary_goes_first_and_fails_back_only_when_reselected_always() {
        for (keys, first, preempt) in [
            (r#""primary": "eth1""#, "web-1/eth1", Some(true)),
            (r#""primary": "web-1/eth0", "primary_reselect": "always""#, "web-1/eth0", Some(true)),
            (r#""primary": "eth1", "primary_reselect": "failure""#, "web-1/eth1", Some(false)),
            (r#""primary": "eth1", "primary_reselect": "better""#, "web-1/eth1", Some(false)),
            (r#""mode": "active-backup""#, "web-1/eth0", None),
        ] {
            let loaded = crate::load(&primary_design(keys));
            assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{keys}: {:#?}", loaded.diagnostics);
            let m = loaded.model.unwrap();
            let bond = m.groups.iter().find(|g| g.kind == "bond").unwrap();
            assert_eq!(m.element(bond.members[0]).name, first, "{keys}");
            let flag = match bond.attrs.get("preempt") {
                Some(crate::model::Attr::Flag(f)) => Some(*f),
                _ => None,
            };
            assert_eq!(flag, preempt, "{keys}");
            assert_eq!(super::profile(&m, bond).preempt, preempt == Some(true), "{keys}");
        }
    }

    #[test]
    fn a_bad_primary_is_a_clear_error() {
        for (keys, expected) in [
            (r#""primary": "eth2""#, "the primary \"eth2\" is not a NIC of this bond"),
            (r#""primary": "sw-1""#, "the primary \"sw-1\" is not a NIC of this bond"),
            (r#""mode": "lacp", "primary": "eth0""#, "active-backup bonds only"),
            (r#""primary_reselect": "failure""#, "primary_reselect without primary"),
        ] {
            let loaded = crate::load(&primary_design(keys));
            let errors: Vec<(&str, &str)> = loaded
                .diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| (d.message.as_str(), d.help.as_deref().unwrap_or("")))
                .collect();
            assert!(errors.iter().any(|(e, _)| e.contains(expected)), "{keys}: {errors:?}");
            if expected.contains("not a NIC") {
                assert!(errors.iter().any(|(_, h)| h.contains("\"eth0\", \"eth1\"")), "{keys}: {errors:?}");
            }
        }
    }

    /// An active-backup bond uses one NIC at a time (Linux bonding.rst,
    /// "active-backup"), so a request arrives and leaves web-1 through the same NIC.
    /// Its NICs go to two switches that share no link; the balancer is cabled to both,
    /// the database to sw-2 only. Through eth1 the request comes over lb~sw-2; through
    /// eth0 it comes over lb~sw-1 but reaches the database only back through the
    /// balancer and lb~sw-2. Either way the service needs lb~sw-2: U = q(lb~sw-2) =
    /// 1e-3, and lb~sw-2 is a SPOF. Judging each hop with both NICs would give U = 0
    /// (in through eth0, out through eth1 straight to sw-2). The ideal simulation
    /// (perfect detection puts the bond on the NIC that serves) is down exactly while
    /// lb~sw-2 is.
    #[test]
    fn a_request_through_an_active_backup_bond_uses_one_nic() {
        let text = r#"{ "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" },
                "switch": { "availability": "100%" }, "server": { "availability": "100%" },
                "process": { "availability": "100%" }, "load-balancer": { "availability": "100%" } },
              "components": { "internet": { "kind": "entry" }, "lb": { "kind": "load-balancer" },
                "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
                "web-1": { "kind": "server", "runs": ["web"], "bond": { "to": ["sw-1", "sw-2"] } },
                "db-1": { "kind": "server", "runs": ["db"], "nics": ["sw-2"] } },
              "links": [ { "between": ["internet", "lb"] }, { "between": ["lb", "sw-1"] },
                { "between": ["lb", "sw-2"], "availability": "99.9%" } ],
              "services": { "s": { "from": "internet", "through": ["lb", "web-1/web", "db-1/db"] } } }"#;
        let loaded = crate::load(text);
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        let m = loaded.model.unwrap();
        let tree = structure::service_trees(&m).remove(0).unwrap();
        let u = analyze_tree(&tree, &Options::default()).unwrap().probability;
        assert!((u - 1e-3).abs() < 1e-12, "{u:e}");
        assert!(!tree.notes.iter().any(|n| n.contains("one NIC at a time")), "{:#?}", tree.notes);
        let singles = crate::analysis::single_failures::single_failures(&m);
        let spofs: Vec<String> =
            singles[0].clone().unwrap_or_default().iter().map(|&e| m.element(e).name.clone()).collect();
        assert_eq!(spofs, ["lb~sw-2"]);
        let options =
            crate::simulate::SimOptions { years: 1, replications: 1, seed: 1, random_failures: false, ideal: true };
        let mut compiled = crate::simulate::Compiled::new(&m, options);
        assert_eq!(crate::simulate::failure_set_downtime(&mut compiled, &[], 3600.0), [0.0]);
        let link = m.elements.iter().find(|e| e.name == "lb~sw-2").unwrap().id;
        assert_eq!(crate::simulate::failure_set_downtime(&mut compiled, &[link], 3600.0), [3600.0]);
    }

    /// Nine bonded servers that each run two tiers (web and ap) make 2⁹ = 512 choices
    /// of which NIC each uses, past the cap of 256 (a bond on a host of two tiers is
    /// chosen once for both hops, so in the global product): the bonds are not chosen,
    /// and the analysis says so for the service whose chain they carry. With one tier
    /// per host each bond is chosen per member, which has no cap: nothing is said. With
    /// the pool as the last tier no request leaves through them: nothing is said.
    #[test]
    fn bonds_past_the_choice_cap_are_noted() {
        let design = |runs: &str, pools: &str, through: &str| {
            let servers: Vec<String> = (1..=9)
                .map(|i| {
                    format!(
                        r#""web-{i}": {{ "kind": "server", "runs": {runs}, "bond": {{ "to": ["sw-1", "sw-2"] }} }}"#
                    )
                })
                .collect();
            let members = |p: &str| (1..=9).map(|i| format!(r#""web-{i}/{p}""#)).collect::<Vec<String>>().join(", ");
            let groups: Vec<String> = pools
                .split(',')
                .map(|p| {
                    format!(r#""{p}-pool": {{ "kind": "lb-pool", "balancer": "lb", "members": [{}] }}"#, members(p))
                })
                .collect();
            format!(
                r#"{{ "components": {{ "internet": {{ "kind": "entry" }}, "lb": {{ "kind": "load-balancer" }},
                    "sw-1": {{ "kind": "switch" }}, "sw-2": {{ "kind": "switch" }}, {},
                    "db-1": {{ "kind": "server", "runs": ["db"], "nics": ["sw-2"] }} }},
                  "links": [ {{ "between": ["internet", "lb"] }}, {{ "between": ["lb", "sw-1"] }}, {{ "between": ["lb", "sw-2"] }} ],
                  "groups": {{ {} }},
                  "services": {{ "s": {{ "from": "internet", "through": {through} }} }} }}"#,
                servers.join(", "),
                groups.join(", ")
            )
        };
        let ideal =
            || crate::simulate::SimOptions { years: 1, replications: 1, seed: 1, random_failures: true, ideal: true };
        let two_tiers = design(r#"["web", "ap"]"#, "web,ap", r#"["web-pool", "ap-pool", "db-1/db"]"#);
        let loaded = crate::load(&two_tiers);
        assert!(!loaded.diagnostics.iter().any(|d| d.is_error()), "{:#?}", loaded.diagnostics);
        let m = loaded.model.unwrap();
        let tree = structure::service_trees(&m).remove(0).unwrap();
        let notes: Vec<&String> = tree.notes.iter().filter(|n| n.contains("one NIC at a time")).collect();
        assert_eq!(notes.len(), 1, "{:#?}", tree.notes);
        assert!(
            notes[0]
                .starts_with("s: web-1/ap (bond web-1/bond), web-1/web (bond web-1/bond), web-2/ap (bond web-2/bond)")
                && notes[0].contains("web-9/web (bond web-9/bond) receive requests and send them on")
                && notes[0].contains("more than 256 choices"),
            "{}",
            notes[0]
        );
        // The ideal simulation walks the same choices, and says so too.
        let notes = crate::simulate::Compiled::new(&m, ideal()).approximations();
        assert!(notes.len() == 1 && notes[0].contains("more than 256 choices"), "{notes:#?}");
        for (runs, pools, through) in
            [(r#"["web"]"#, "web", r#"["web-pool", "db-1/db"]"#), (r#"["web"]"#, "web", r#"["web-pool"]"#)]
        {
            let m = crate::load(&design(runs, pools, through)).model.unwrap();
            let tree = structure::service_trees(&m).remove(0).unwrap();
            assert!(!tree.notes.iter().any(|n| n.contains("one NIC at a time")), "{through}: {:#?}", tree.notes);
            assert!(crate::simulate::Compiled::new(&m, ideal()).approximations().is_empty(), "{through}");
        }
    }
}
