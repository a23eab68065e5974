//! SPOF-L027 vrrp-untracked-uplink: a VRRP/HSRP master whose uplink fails keeps the
//! virtual IP, because its adverts still reach the backup, and black-holes traffic.

use super::{hit, Hit, Lint, Severity};
use crate::model::eval::Evaluator;
use crate::model::{ElementId, Group, Model, NetworkIndex, NodeRef};

pub static LINT: Lint = Lint {
    code: "SPOF-L027",
    name: "vrrp-untracked-uplink",
    severity: Severity::Warning,
    summary: "A VRRP/HSRP master does not track a link that only it forwards over: when that link fails it keeps the virtual IP and black-holes traffic until the repair.",
    rationale: "RFC 5798 §6.4.3: a master keeps the role while it sends adverts, and §6.4.2: a backup takes over only when adverts stop or carry a lower priority. Adverts cross the segment the virtual IP lives on, not the uplink, so an uplink failure is invisible to the backups. Keepalived's track_interface / track_script and Cisco's `standby track` exist for this: the master lowers its priority (or goes to FAULT) when a tracked object fails. Without it the failover does not see the failure; spofsim counts the link as a single point of failure (the drill keeps the service down for the whole repair). With a decrement, the master's lowered priority must fall below the backup's, and the backup must preempt, or the tracking changes nothing.",
    fix: "A link not tracked: track the master's uplinks in the group (\"track\": { \"gw-1\": [\"edge~gw-1\"] }). Tracked with a decrement that moves nothing: make \"track_decrement\" larger than the gap to the best backup's priority, and turn preemption on (\"preempt\": true), or drop the decrement so the master goes to FAULT. If the link named is on the virtual IP's own segment (its adverts stop with it), name that segment's switches instead (\"segment\": [\"sw\"]): the members also share another switch.",
    example: r#""gw-vip": { "kind": "vrrp", "members": ["gw-1", "gw-2"], "track": { "gw-1": ["edge~gw-1"], "gw-2": ["edge~gw-2"] } }"#,
    check,
};

/// Groups whose members hold a virtual IP by adverts.
const GATEWAY_GROUPS: &[&str] = &["vrrp", "hsrp"];

fn check(model: &Model) -> Vec<Hit> {
    let net = NetworkIndex::new(model);
    let mut evaluator = Evaluator::new(model);
    let mut out = Vec::new();
    for g in model.groups.iter().filter(|g| GATEWAY_GROUPS.contains(&g.kind) && g.members.len() >= 2) {
        // Every service: a gateway pair on the path black-holes as much as one named as
        // a tier (the held evaluation below decides which services it takes down).
        let services: Vec<usize> = (0..model.services.len()).collect();
        if services.is_empty() || !on_some_path(model, &net, g) {
            continue;
        }
        if let Some(t) = &g.track {
            if let Some(message) = weak_decrement(model, g, t) {
                out.push(hit(g.span, &g.name, message));
            }
        }
        // With preemption the first member is master whenever it works; without it,
        // any member may hold the role for good after a failover.
        let preempts = matches!(g.attrs.get("preempt"), Some(crate::model::Attr::Flag(true)));
        let masters = if preempts { 1 } else { g.members.len() };
        for (i, &master) in g.members.iter().enumerate().take(masters) {
            out.extend(untracked_links(model, &net, &mut evaluator, g, i, master, &services));
        }
    }
    out
}

/// Whether the group is a tier of some service or its members are cabled to the
/// network at all (a pair with no cable carries no service's traffic).
fn on_some_path(model: &Model, net: &NetworkIndex, g: &Group) -> bool {
    model.services.iter().any(|s| s.through.contains(&NodeRef::Group(g.id)))
        || g.members.iter().any(|m| !net.adjacency[m.0 as usize].is_empty())
}

/// The links of member `i` (as master) that only it forwards over, that it does not
/// track, and whose failure its peers cannot hear.
fn untracked_links(
    model: &Model,
    net: &NetworkIndex,
    evaluator: &mut Evaluator,
    g: &Group,
    i: usize,
    master: ElementId,
    services: &[usize],
) -> Vec<Hit> {
    let mut out = Vec::new();
    let master_name = &model.element(master).name;
    let tracked: Vec<ElementId> = g.track.as_ref().map(|t| t.objects[i].clone()).unwrap_or_default();
    let others: Vec<ElementId> = g.members.iter().copied().filter(|&m| m != master).collect();
    {
        for &(far, link) in &net.adjacency[master.0 as usize] {
            if tracked.contains(&link)
                || tracked.contains(&far)
                || !super::adverts_reach(net, g, master, |w| g.members.contains(&w), Some(link), true)
            {
                continue;
            }
            // The master keeps the role: its peers stay alive (a bond may still probe
            // them) but neither hold the virtual IP nor route for it.
            let mut failed = vec![false; model.elements.len()];
            failed[link.0 as usize] = true;
            let alone = evaluator.evaluate(&failed);
            let held = evaluator.evaluate_held(&failed, g.id, master);
            let freed: Vec<&str> = evaluator.freed_peers().iter().map(|&m| model.element(m).name.as_str()).collect();
            let strict = evaluator.evaluate_held_without_detours(&failed, g.id, master);
            let lost = |by: &crate::model::eval::Evaluation| -> Vec<&str> {
                services
                    .iter()
                    .filter(|&&s| alone.service_up[s] && !by.service_up[s])
                    .map(|&s| model.services[s].name.as_str())
                    .collect()
            };
            let (black_holed, detoured) = (lost(&held), lost(&strict));
            let link_name = &model.element(link).name;
            let backups: Vec<&str> = others.iter().map(|&m| model.element(m).name.as_str()).collect();
            let when = if i == 0 { "" } else { " (as master after a failover: the group does not preempt)" };
            if !black_holed.is_empty() {
                out.push(hit(
                    g.span,
                    &g.name,
                    format!(
                        "{master_name} does not track {link_name}: when it fails, {master_name}{when} keeps the virtual IP (its adverts still reach {}) and black-holes {} until the repair",
                        backups.join(", "),
                        black_holed.join(", ")
                    ),
                ));
            } else if !detoured.is_empty() {
                // The figures count the detour through a peer that is master of another
                // group (RFC 5798 §4.2); it holds only while that group's role stays
                // there and the master routes through it.
                out.push(hit(
                    g.span,
                    &g.name,
                    format!(
                        "{master_name} does not track {link_name}: when it fails, {master_name}{when} keeps the virtual IP (its adverts still reach {}) and {} {} only by a detour through {}, master of another group: a detour the figures count, but that ends if that group's role moves or {master_name} has no route through it",
                        backups.join(", "),
                        detoured.join(", "),
                        if detoured.len() == 1 { "survives" } else { "survive" },
                        freed.join(", ")
                    ),
                ));
            }
        }
    }
    out
}

/// With a decrement, one failed object must take the master below the best backup's
/// priority, and the backups must preempt, else the tracking never moves the VIP.
fn weak_decrement(model: &Model, g: &Group, t: &crate::model::Track) -> Option<String> {
    let decrement = t.decrement?;
    let master = &model.element(g.members[0]).name;
    if t.objects[0].is_empty() {
        return None;
    }
    if !matches!(g.attrs.get("preempt"), Some(crate::model::Attr::Flag(true))) {
        // The defaults differ by protocol (HSRP off, as Cisco without `standby
        // preempt`; VRRP on, RFC 5798 §5.2.7), so the message names both.
        return Some(format!(
            "{master} tracks with a priority decrement, but preemption is off (\"preempt\": false, or unset on HSRP, whose default it is): a backup never takes over from a master that still advertises (write \"preempt\": true)"
        ));
    }
    let lowered = t.priorities[0].saturating_sub(decrement);
    let best = t.priorities[1..].iter().copied().max().unwrap_or(0);
    let given = if t.decrement_given { "" } else { " (the default)" };
    (lowered >= best).then(|| {
        format!(
            "track_decrement {decrement}{given} leaves {master} at priority {lowered}, not below the backup's {best}: a tracked failure never moves the virtual IP"
        )
    })
}

#[cfg(test)]
mod tests {
    use crate::lints::only;

    /// The gateway pair of scenarios/anti-patterns/vrrp-untracked-uplink.jsonc.
    const UNTRACKED: &str = r#"{ "components": { "internet": { "kind": "entry" },
        "gw-1": { "kind": "router" }, "gw-2": { "kind": "router" }, "sw": { "kind": "switch" },
        "web": { "kind": "server", "nics": ["sw"], "runs": ["web"] } },
      "links": [ { "between": ["internet", "gw-1"] }, { "between": ["internet", "gw-2"] },
                 { "between": ["gw-1", "sw"] }, { "between": ["gw-2", "sw"] } ],
      "groups": { "gw-vip": { "kind": "vrrp", "members": ["gw-1", "gw-2"] } },
      "services": { "site": { "from": "internet", "through": ["gw-vip", "web/web"] } } }"#;

    #[test]
    fn fires_on_the_masters_untracked_uplink_only() {
        // gw-1~sw carries the adverts: its failure is seen, so only the uplink is named.
        let hits = crate::lints::run(&crate::load(UNTRACKED).model.unwrap());
        let ours: Vec<&str> = hits.iter().filter(|h| h.code == "SPOF-L027").map(|h| h.message.as_str()).collect();
        assert_eq!(ours, ["gw-1 does not track internet~gw-1: when it fails, gw-1 keeps the virtual IP (its adverts still reach gw-2) and black-holes site until the repair"]);
    }

    #[test]
    fn fires_on_a_gateway_pair_that_is_only_on_the_path() {
        let on_path = UNTRACKED.replace(r#""through": ["gw-vip", "web/web"]"#, r#""through": ["web/web"]"#);
        assert_ne!(on_path, UNTRACKED);
        let hits = crate::lints::run(&crate::load(&on_path).model.unwrap());
        let ours: Vec<&str> = hits.iter().filter(|h| h.code == "SPOF-L027").map(|h| h.message.as_str()).collect();
        assert_eq!(ours, ["gw-1 does not track internet~gw-1: when it fails, gw-1 keeps the virtual IP (its adverts still reach gw-2) and black-holes site until the repair"]);
    }

    #[test]
    fn without_preemption_every_members_uplink_counts() {
        let no_preempt = UNTRACKED.replace(
            r#""members": ["gw-1", "gw-2"] }"#,
            r#""members": ["gw-1", "gw-2"], "preempt": false, "track": { "gw-1": ["internet~gw-1"] } }"#,
        );
        let hits = crate::lints::run(&crate::load(&no_preempt).model.unwrap());
        let ours: Vec<&str> = hits.iter().filter(|h| h.code == "SPOF-L027").map(|h| h.message.as_str()).collect();
        assert_eq!(ours, ["gw-2 does not track internet~gw-2: when it fails, gw-2 (as master after a failover: the group does not preempt) keeps the virtual IP (its adverts still reach gw-1) and black-holes site until the repair"]);
    }

    /// A bond that probes both routers with arp_all_targets all needs the backup alive;
    /// the held virtual IP must not be played by failing it (trial 17: the lint named
    /// site-all for cables whose loss the bond survives by its other NIC).
    #[test]
    fn names_what_the_held_vip_black_holes_not_what_the_backups_failure_would() {
        let all = r#"{ "components": { "internet": { "kind": "entry" },
            "gw-1": { "kind": "router" }, "gw-2": { "kind": "router" },
            "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
            "web-all": { "kind": "server", "runs": ["web"], "bond": { "mode": "active-backup", "to": ["sw-1", "sw-2"],
                "monitor": { "arp": { "targets": ["gw-1", "gw-2"], "validate": "all", "all_targets": "all" } } } } },
          "links": [ { "between": ["internet", "gw-1"] }, { "between": ["internet", "gw-2"] },
                     { "between": ["gw-1", "sw-1"] }, { "between": ["gw-1", "sw-2"] },
                     { "between": ["gw-2", "sw-1"] }, { "between": ["gw-2", "sw-2"] } ],
          "groups": { "gw": { "kind": "vrrp", "members": ["gw-1", "gw-2"], "track": { "gw-1": ["internet~gw-1"], "gw-2": ["internet~gw-2"] } } },
          "services": { "site-all": { "from": "internet", "through": ["gw", "web-all/web"] } } }"#;
        assert!(only("SPOF-L027", all).is_empty(), "{:?}", only("SPOF-L027", all));
        // Untracked, the uplink's loss black-holes site-all as it does site: gw-2 is
        // alive (the bond's probes pass) but does not carry traffic for the held VIP.
        let untracked = all.replace(r#", "track": { "gw-1": ["internet~gw-1"], "gw-2": ["internet~gw-2"] }"#, "");
        let hits = crate::lints::run(&crate::load(&untracked).model.unwrap());
        let ours: Vec<&str> = hits.iter().filter(|h| h.code == "SPOF-L027").map(|h| h.message.as_str()).collect();
        assert_eq!(ours, ["gw-1 does not track internet~gw-1: when it fails, gw-1 keeps the virtual IP (its adverts still reach gw-2) and black-holes site-all until the repair"]);
    }

    #[test]
    fn quiet_when_the_uplink_is_tracked() {
        let good = UNTRACKED.replace(
            r#""members": ["gw-1", "gw-2"] }"#,
            r#""members": ["gw-1", "gw-2"], "track": { "gw-1": ["internet~gw-1"] } }"#,
        );
        assert!(only("SPOF-L027", &good).is_empty());
    }

    #[test]
    fn fires_when_the_decrement_cannot_move_the_vip() {
        let weak = UNTRACKED.replace(
            r#""members": ["gw-1", "gw-2"] }"#,
            r#""members": ["gw-1", "gw-2"], "track": { "gw-1": ["internet~gw-1"] }, "track_decrement": 20 }"#,
        );
        let hits = crate::lints::run(&crate::load(&weak).model.unwrap());
        let ours: Vec<&str> = hits.iter().filter(|h| h.code == "SPOF-L027").map(|h| h.message.as_str()).collect();
        assert_eq!(ours, ["track_decrement 20 leaves gw-1 at priority 180, not below the backup's 100: a tracked failure never moves the virtual IP"]);
        let strong = weak.replace("\"track_decrement\": 20", "\"track_decrement\": 150");
        assert!(only("SPOF-L027", &strong).is_empty());
    }

    /// Two VRRP groups over one pair with opposite priorities (RFC 5798 §4.2, "Sample
    /// Configuration 2"): gw-2 stays master of the second group when gw-1's uplink
    /// fails, so it forwards the request on to gw-1, which keeps the first group's
    /// virtual IP. No black hole, whether or not a service names the second group (a
    /// drill of internet~gw-1 on this design loses nothing: test
    /// `a_master_of_another_group_carries_the_held_vips_traffic` in simulate). With the
    /// same priorities in both groups gw-2 is backup of both and forwards nothing.
    #[test]
    fn a_peer_that_is_master_of_another_group_carries_the_traffic() {
        let second = |members: &str| {
            UNTRACKED.replace(
                r#""gw-vip": { "kind": "vrrp", "members": ["gw-1", "gw-2"] } }"#,
                &format!(r#""gw-vip": {{ "kind": "vrrp", "members": ["gw-1", "gw-2"] }}, "gw-other": {{ "kind": "vrrp", "members": {members} }} }}"#),
            )
        };
        let messages = |text: &str| -> Vec<String> {
            let hits = crate::lints::run(&crate::load(text).model.unwrap());
            hits.into_iter().filter(|h| h.code == "SPOF-L027" && h.subject == "gw-vip").map(|h| h.message).collect()
        };
        // Still a warning (tracking is what keeps the design off the detour), but no
        // black hole: the figures count the detour, and the message says so.
        let detour = "gw-1 does not track internet~gw-1: when it fails, gw-1 keeps the virtual IP (its adverts still reach gw-2) and site survives only by a detour through gw-2, master of another group: a detour the figures count, but that ends if that group's role moves or gw-1 has no route through it";
        let opposite = second(r#"["gw-2", "gw-1"]"#);
        assert_ne!(opposite, UNTRACKED);
        assert_eq!(messages(&opposite), [detour]);
        // Both groups tiers: the request crosses gw-2 as the second group's holder anyway.
        let both_tiers =
            opposite.replace(r#""through": ["gw-vip", "web/web"]"#, r#""through": ["gw-vip", "gw-other", "web/web"]"#);
        assert_ne!(both_tiers, opposite);
        assert!(messages(&both_tiers).is_empty(), "{:?}", messages(&both_tiers));
        // gw-2 is backup of both: it forwards nothing, so the held VIP black-holes.
        let same = second(r#"["gw-1", "gw-2"]"#);
        let hits = crate::lints::run(&crate::load(&same).model.unwrap());
        let ours: Vec<&str> = hits.iter().filter(|h| h.code == "SPOF-L027").map(|h| h.message.as_str()).collect();
        assert!(ours.contains(&"gw-1 does not track internet~gw-1: when it fails, gw-1 keeps the virtual IP (its adverts still reach gw-2) and black-holes site until the repair"), "{ours:?}");
        // Without preemption the second group's master depends on history: nobody is freed.
        let no_preempt =
            opposite.replace(r#""members": ["gw-2", "gw-1"] }"#, r#""members": ["gw-2", "gw-1"], "preempt": false }"#);
        assert_ne!(no_preempt, opposite);
        assert_eq!(messages(&no_preempt), ["gw-1 does not track internet~gw-1: when it fails, gw-1 keeps the virtual IP (its adverts still reach gw-2) and black-holes site until the repair"]);
    }
}
