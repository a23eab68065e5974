//! SPOF-L031 vrrp-segment-split: one link or switch alone carries a VRRP/HSRP group's
//! adverts between its members; when it fails, the members stop hearing each other and
//! each becomes master.

use super::{hit, Hit, Lint, Severity};
use crate::model::{ElementId, Model, NetworkIndex, NodeRef};

pub static LINT: Lint = Lint {
    code: "SPOF-L031",
    name: "vrrp-segment-split",
    severity: Severity::Warning,
    summary: "One link or switch alone carries a VRRP/HSRP group's adverts between its members: when it fails they stop hearing each other, both become master and answer for one virtual IP, and the servers cut off from the old master lose their gateway until the backup's detection time runs out.",
    rationale: "RFC 5798 §5.1.1.3: VRRP adverts are link-local multicast and cross only the segment the virtual IP lives on (Cisco HSRP hellos too, to 224.0.0.2 or 224.0.0.102); §6.4.2: a backup that hears no advert for Master_Down_Interval becomes master, while the old master, still alive and still hearing no higher priority, stays master (§6.4.3). A single inter-switch link between two gateways' switches is therefore a partition waiting to happen: two routers answer ARP for the virtual IP, the hosts on the old master's far side wait Master_Down_Interval (3.61 s at VRRP defaults, the 10 s hold time for HSRP) before their side's router takes over, and returning traffic follows whichever router the upstream picks. When the link returns the two hold an election and the higher priority keeps the role. spofsim plays it: the simulation counts the time with two masters and the outage while the backup detects.",
    fix: "Give the adverts a second path that shares nothing with the first (not the same conduit: a shared risk `via` both counts as one): a second link between the switches, with both switches in one RSTP domain so the pair is not a loop (SPOF-L004; classic STP would leave the adverts cut for its 30 s reconvergence), or cable each member to both switches.",
    example: r#""l2": { "kind": "stp", "mode": "rstp", "switches": ["sw-1", "sw-2"], "root": "sw-1" }"#,
    check,
};

/// O(groups × S × (V + E) × members), S the links and switches the adverts cross and
/// the shared risks (SRLGs) those links run through.
fn check(model: &Model) -> Vec<Hit> {
    let net = NetworkIndex::new(model);
    let mut evaluator = crate::model::eval::Evaluator::new(model);
    let mut failed = vec![false; model.elements.len()];
    let mut out = Vec::new();
    let baseline = evaluator.evaluate(&failed).service_up;
    for g in
        model.groups.iter().filter(|g| g.members.len() >= 2 && crate::mechanisms::profile(model, g).counts_dual_masters)
    {
        // A group a service names, or one on a service's path without being named (a
        // gateway pair the requests cross): losing all its members takes a working
        // service down. A group on no service's path is not judged.
        let named = model.services.iter().any(|s| s.through.contains(&NodeRef::Group(g.id)));
        let used = named || {
            for &m in &g.members {
                failed[m.0 as usize] = true;
            }
            let up = evaluator.evaluate(&failed).service_up;
            for &m in &g.members {
                failed[m.0 as usize] = false;
            }
            up.iter().zip(&baseline).any(|(&now, &before)| before && !now)
        };
        // Members that already never hear each other are SPOF-L029's (multicast dropped).
        if !used || net.master_sets(g, |_| true).len() > 1 {
            continue;
        }
        let mut splitters: Vec<(ElementId, Vec<Vec<ElementId>>)> = Vec::new();
        for x in crossed(&net, model, g) {
            // What fails with x: a shared risk takes every link through it.
            failed[x.0 as usize] = true;
            let works = evaluator.evaluate(&failed).element_works;
            failed[x.0 as usize] = false;
            let sets = net.master_sets(g, |e| works[e.0 as usize]);
            if sets.len() > 1 {
                splitters.push((x, sets));
            }
        }
        splitters.sort_by(|a, b| model.element(a.0).name.cmp(&model.element(b.0).name));
        let names = |v: &[ElementId]| v.iter().map(|&m| model.element(m).name.as_str()).collect::<Vec<_>>().join(", ");
        for (x, sets) in splitters {
            let sides: Vec<String> = sets.iter().map(|s| names(s)).collect();
            out.push(hit(
                g.span,
                &g.name,
                format!(
                    "{}'s adverts between {} cross {} alone: when it fails they stop hearing each other and {}, answering for one virtual IP until it returns",
                    g.name,
                    sides.join(" and "),
                    model.element(x).name,
                    if sets.len() == 2 && sets.iter().all(|s| s.len() == 1) { "both become master" } else { "each side has its own master" },
                ),
            ));
        }
    }
    out
}

/// The links and switches the group's adverts cross with everything working, from any
/// member (a cable between two members included), and the shared risk link groups those
/// links run through; sorted, each once.
fn crossed(net: &NetworkIndex, model: &Model, g: &crate::model::Group) -> Vec<ElementId> {
    let mut seen = vec![false; net.adjacency.len()];
    let mut out = Vec::new();
    let mut stack: Vec<ElementId> = g.members.clone();
    for &m in &g.members {
        seen[m.0 as usize] = true;
    }
    while let Some(v) = stack.pop() {
        for &(w, link) in &net.adjacency[v.0 as usize] {
            // A cable straight to another member carries the adverts too (a pair's
            // dedicated cable), though the member passes them no further.
            if !net.carries_adverts(g, w, true) && !g.members.contains(&w) {
                continue;
            }
            if !out.contains(&link) {
                out.push(link);
                model.element(link).needs.visit(&mut |r| {
                    if let crate::model::Req::Element(risk) = r {
                        if crate::mechanisms::srlg::is_shared_risk(model.element(*risk)) && !out.contains(risk) {
                            out.push(*risk);
                        }
                    }
                });
            }
            if !seen[w.0 as usize] {
                seen[w.0 as usize] = true;
                out.push(w);
                stack.push(w);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::only;

    /// Two gateways, each on its own switch, the switches joined by `isl` links; the
    /// servers hang on sw-2.
    fn design(group: &str, isl: usize) -> String {
        let isl = vec![r#"{ "between": ["sw-1", "sw-2"] }"#; isl].join(", ");
        format!(
            r#"{{ "components": {{ "internet": {{ "kind": "entry" }},
                "gw-1": {{ "kind": "router" }}, "gw-2": {{ "kind": "router" }},
                "sw-1": {{ "kind": "switch" }}, "sw-2": {{ "kind": "switch" }},
                "web": {{ "kind": "server", "nics": ["sw-2"], "runs": ["web"] }} }},
              "links": [ {{ "between": ["internet", "gw-1"] }}, {{ "between": ["internet", "gw-2"] }},
                         {{ "between": ["gw-1", "sw-1"] }}, {{ "between": ["gw-2", "sw-2"] }} {} {isl} ],
              "groups": {{ "gw-vip": {group} }},
              "services": {{ "site": {{ "from": "internet", "through": ["gw-vip", "web/web"] }} }} }}"#,
            if isl.is_empty() { "" } else { "," }
        )
    }

    fn messages(text: &str) -> Vec<String> {
        let model = crate::load(text).model.expect("fixture loads");
        super::check(&model).into_iter().map(|h| h.message).collect()
    }

    #[test]
    fn a_single_inter_switch_link_is_flagged() {
        for kind in ["vrrp", "hsrp"] {
            let group = format!(r#"{{ "kind": "{kind}", "members": ["gw-1", "gw-2"] }}"#);
            let hits = messages(&design(&group, 1));
            assert_eq!(hits.len(), 1, "{kind}: {hits:#?}");
            assert!(hits[0].contains("gw-vip's adverts between gw-1 and gw-2 cross sw-1~sw-2 alone"), "{}", hits[0]);
            assert!(hits[0].contains("both become master"), "{}", hits[0]);
        }
    }

    #[test]
    fn a_member_own_switch_or_cable_is_not_a_split() {
        // sw-1 and gw-1~sw-1 are on the only path too, but when either fails gw-1's
        // interface on the segment is down (FAULT / Init): one master, not two.
        let hits = messages(&design(r#"{ "kind": "vrrp", "members": ["gw-1", "gw-2"] }"#, 1));
        assert!(hits.iter().all(|h| !h.contains("cross sw-1 alone") && !h.contains("gw-1~sw-1")), "{hits:#?}");
    }

    #[test]
    fn a_members_leg_into_another_vlan_is_not_on_the_segment() {
        // gw-1 also has a cable to sw-x, which no other member reaches: when gw-1~sw-1
        // fails, gw-1's interface on the segment is down all the same (one master).
        let text = design(r#"{ "kind": "vrrp", "members": ["gw-1", "gw-2"] }"#, 1)
            .replace(
                r#""sw-2": { "kind": "switch" },"#,
                r#""sw-2": { "kind": "switch" }, "sw-x": { "kind": "switch" },"#,
            )
            .replace(
                r#"{ "between": ["gw-1", "sw-1"] },"#,
                r#"{ "between": ["gw-1", "sw-1"] }, { "between": ["gw-1", "sw-x"] },"#,
            );
        assert!(text.contains(r#"["gw-1", "sw-x"]"#), "{text}");
        let hits = messages(&text);
        assert!(hits.iter().all(|h| !h.contains("gw-1~sw-1")), "{hits:#?}");
        assert!(hits.iter().any(|h| h.contains("cross sw-1~sw-2 alone")), "{hits:#?}");
    }

    #[test]
    fn two_links_or_a_shared_switch_are_fine() {
        let group = r#"{ "kind": "vrrp", "members": ["gw-1", "gw-2"] }"#;
        assert!(only("SPOF-L031", &design(group, 2)).is_empty());
        // A group on no service's path is not judged: a second pair of routers that
        // no request crosses.
        let unused =
            design(group, 1).replace(r#""through": ["gw-vip", "web/web"]"#, r#""through": ["web/web"]"#).replace(
                r#"{ "between": ["internet", "gw-1"] }, { "between": ["internet", "gw-2"] },"#,
                r#"{ "between": ["internet", "sw-2"] },"#,
            );
        assert!(only("SPOF-L031", &unused).is_empty(), "{unused}");
        // Members that never hear each other are SPOF-L029's, not this lint's.
        assert!(only("SPOF-L031", &design(group, 0)).is_empty());
    }

    /// Found by a new-user trial: two balancers whose adverts cross only the cable
    /// between them (each on its own back-end switch) split when it fails.
    #[test]
    fn a_single_cable_between_the_members_is_flagged() {
        let text = r#"{ "components": { "internet": { "kind": "entry" },
                "lb-1": { "kind": "load-balancer" }, "lb-2": { "kind": "load-balancer" },
                "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
                "web-1": { "kind": "server", "nics": ["sw-1"], "runs": ["web"] },
                "web-2": { "kind": "server", "nics": ["sw-2"], "runs": ["web"] } },
              "links": [ { "between": ["internet", "lb-1"] }, { "between": ["internet", "lb-2"] },
                         { "between": ["lb-1", "sw-1"] }, { "between": ["lb-2", "sw-2"] }, LB_CABLES ],
              "groups": { "vip": { "kind": "vrrp", "members": ["lb-1", "lb-2"] },
                          "web": { "kind": "lb-pool", "members": ["web-1/web", "web-2/web"], "balancer": "vip" } },
              "services": { "s": { "from": "internet", "through": ["vip", "web"] } } }"#;
        let one = text.replace("LB_CABLES", r#"{ "between": ["lb-1", "lb-2"] }"#);
        let hits = messages(&one);
        assert_eq!(hits.len(), 1, "{hits:#?}");
        assert!(hits[0].contains("vip's adverts between lb-1 and lb-2 cross lb-1~lb-2 alone"), "{}", hits[0]);
        assert!(hits[0].contains("both become master"), "{}", hits[0]);
        let two = text.replace("LB_CABLES", r#"{ "between": ["lb-1", "lb-2"] }, { "between": ["lb-1", "lb-2"] }"#);
        assert!(only("SPOF-L031", &two).is_empty(), "{two}");
    }

    /// Found by a new-user trial: a gateway pair the requests cross without the service
    /// naming it splits the same way.
    #[test]
    fn a_group_on_the_path_but_not_named_is_judged() {
        let group = r#"{ "kind": "vrrp", "members": ["gw-1", "gw-2"] }"#;
        let on_path = design(group, 1).replace(r#""through": ["gw-vip", "web/web"]"#, r#""through": ["web/web"]"#);
        let hits = messages(&on_path);
        assert_eq!(hits.len(), 1, "{hits:#?}");
        assert!(hits[0].contains("gw-vip's adverts between gw-1 and gw-2 cross sw-1~sw-2 alone"), "{}", hits[0]);
    }

    #[test]
    fn two_links_through_one_conduit_are_flagged() {
        let group = r#"{ "kind": "vrrp", "members": ["gw-1", "gw-2"] }"#;
        let text = design(group, 2)
            .replace(r#"{ "between": ["sw-1", "sw-2"] }"#, r#"{ "between": ["sw-1", "sw-2"], "via": ["trench"] }"#)
            .replace(
                r#""internet": { "kind": "entry" },"#,
                r#""internet": { "kind": "entry" }, "trench": { "kind": "srlg" },"#,
            );
        assert_eq!(text.matches(r#""via": ["trench"]"#).count(), 2, "{text}");
        let hits = messages(&text);
        assert_eq!(hits.len(), 1, "{hits:#?}");
        assert!(hits[0].contains("gw-vip's adverts between gw-1 and gw-2 cross trench alone"), "{}", hits[0]);
    }
}
