//! The mechanism registry. Each file declares the kinds of one mechanism (its
//! vocabulary), what they lower into, and their timing parameters. Adding a mechanism
//! means adding a file and one line to [`REGISTRY`].

pub mod backup;
pub mod bond;
pub mod cluster;
pub mod dns;
pub mod firewall;
pub mod generator;
pub mod load_balancer;
pub mod monitor;
pub mod network;
pub mod power;
pub mod precondition;
pub mod raid;
pub mod replication;
pub mod restart;
pub mod san;
pub mod server;
pub mod service;
pub mod session;
pub mod site;
pub mod srlg;
pub mod stp;
pub mod transfer_switch;
pub mod vrrp;

use crate::de::Spanned;
use crate::model::{ElementId, GroupId, LowerCx, Target};
use crate::scenario::Kind;

/// One line per mechanism file.
pub static REGISTRY: &[&[&dyn Kind]] = &[
    site::KINDS,
    power::KINDS,
    generator::KINDS,
    transfer_switch::KINDS,
    server::KINDS,
    bond::KINDS,
    raid::KINDS,
    san::KINDS,
    network::KINDS,
    srlg::KINDS,
    stp::KINDS,
    vrrp::KINDS,
    load_balancer::KINDS,
    dns::KINDS,
    session::KINDS,
    firewall::KINDS,
    cluster::KINDS,
    replication::KINDS,
    monitor::KINDS,
    backup::KINDS,
    service::KINDS,
];

/// Passes that need every declaration lowered first (e.g. PSUs declared apart from
/// their device), run in this order after lowering.
pub static FINISHERS: &[fn(&mut crate::model::ModelBuilder)] = &[
    power::finish,
    bond::finish,
    generator::finish,
    load_balancer::finish,
    dns::finish,
    replication::finish,
    cluster::finish_quorum_disks,
    restart::finish,
];

/// A mechanism's typed simulator parameters for one of its groups.
pub type ProfileOf = fn(&crate::model::Model, &crate::model::Group) -> crate::simulate::SimProfile;

/// How each group kind behaves in the simulator: one line per mechanism file.
pub static PROFILES: &[(&str, ProfileOf)] = &[
    ("bond", bond::profile),
    ("raid", raid::profile),
    ("multipath", san::profile),
    ("stp", stp::profile),
    ("vrrp", vrrp::profile),
    ("hsrp", vrrp::profile),
    ("lb-pool", load_balancer::profile),
    ("dns-rr", dns::profile),
    ("gslb", dns::profile),
    ("session-replication", session::profile),
    ("cluster", cluster::profile),
    ("replication", replication::profile),
];

/// The simulator's view of a group; kinds without an entry follow their arrangement.
pub fn profile(model: &crate::model::Model, g: &crate::model::Group) -> crate::simulate::SimProfile {
    use crate::simulate::{Behaviour, SimProfile};
    match PROFILES.iter().find(|(kind, _)| *kind == g.kind) {
        Some((_, f)) => f(model, g),
        None => SimProfile::plain(match (&g.arrangement, &g.switchover) {
            (crate::model::Arrangement::ActiveStandby, Some(_)) => Behaviour::Switchover,
            (crate::model::Arrangement::ActiveStandby, None) => Behaviour::Primary,
            (crate::model::Arrangement::ActiveActive { .. }, _) => Behaviour::Absorb,
        }),
    }
}

/// The simulated behaviour of a group.
pub fn behaviour(model: &crate::model::Model, g: &crate::model::Group) -> crate::simulate::Behaviour {
    profile(model, g).behaviour
}

/// Every registered kind, in registry order.
pub fn all() -> impl Iterator<Item = &'static dyn Kind> {
    REGISTRY.iter().flat_map(|kinds| kinds.iter().copied())
}

pub fn find(name: &str) -> Option<&'static dyn Kind> {
    all().find(|k| k.info().name == name)
}

/// A reference to another declaration by id, with its span.
pub type Ref = Spanned<String>;

/// Kinds a network link may join.
pub const NETWORK_NODES: &[&str] = &[
    "switch",
    "router",
    "firewall",
    "load-balancer",
    "entry",
    "server",
    "storage-array",
    "dns-server",
    "quorum-device",
];
/// Kinds that run on power inputs.
pub const POWER_SOURCES: &[&str] = &["pdu", "ups", "power-feed", "ats"];
/// Things a process, pool or cluster can stand for.
pub const HOSTS: &[&str] = &["server"];

/// Resolves a list of element references, skipping (and reporting) bad ones.
pub fn resolve_elements(cx: &mut LowerCx, refs: &[Ref], kinds: &[&str], role: &str) -> Vec<ElementId> {
    // An unknown entry is not told to be one the list already names.
    let listed: Vec<&str> = refs.iter().map(|r| r.value.as_str()).collect();
    refs.iter().filter_map(|r| cx.resolve_listed_element(r, kinds, role, &listed)).collect()
}

/// Resolves a reference that may name an element or a group.
pub fn resolve_node(cx: &mut LowerCx, r: &Ref, kinds: &[&str], role: &str) -> Option<Target> {
    cx.resolve(r, kinds, role)
}

/// The members of a group target, or the element itself.
pub fn members_of(cx: &LowerCx, t: Target) -> Vec<ElementId> {
    match t {
        Target::Element(e) => vec![e],
        Target::Group(GroupId(g)) => cx.builder.model.groups[g as usize].members.clone(),
        Target::Service(_) => Vec::new(),
    }
}

/// Reports a list that repeats an id.
pub fn check_distinct(cx: &mut LowerCx, refs: &[Ref], what: &str) {
    for (i, r) in refs.iter().enumerate() {
        if refs[..i].iter().any(|p| p.value == r.value) {
            cx.error(
                crate::diagnostics::Code::DuplicateId,
                r.span,
                format!("\"{}\" is listed twice in {what}", r.value),
                "list each member once",
            );
        }
    }
}
