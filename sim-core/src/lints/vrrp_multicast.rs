//! SPOF-L029 vrrp-multicast-dropped: a VRRP/HSRP group whose multicast adverts must
//! cross a switch that drops multicast: the members never hear each other, and each
//! becomes master.

use super::{hit, Hit, Lint, Severity};
use crate::model::{Model, NetworkIndex};

pub static LINT: Lint = Lint {
    code: "SPOF-L029",
    name: "vrrp-multicast-dropped",
    severity: Severity::Warning,
    summary: "A VRRP/HSRP group sends its adverts by multicast across a switch that drops multicast (\"multicast\": false: a cloud network, a filtering virtual switch): its members never hear each other and all become master.",
    rationale: "RFC 5798 §5.1.1.2 sends VRRP adverts to the multicast group 224.0.0.18; Cisco HSRP hellos go to 224.0.0.2 (version 1) or 224.0.0.102 (version 2). A backup that hears no adverts for Master_Down_Interval becomes master (RFC 5798 §6.4.2), so where the network drops multicast (Amazon VPC forwards no multicast outside a Transit Gateway multicast domain; a virtual switch with IGMP snooping and no querier, or a security policy, filters it) every member claims the virtual IP at once: two gateways answer ARP for one address, and traffic splits or flaps between them. keepalived's unicast_peer sends the adverts to each peer's address instead, which any IP network carries. spofsim plays it: the members never hear each other and the simulation counts the time with two masters.",
    fix: "VRRP: send the adverts by unicast (\"adverts\": \"unicast\", keepalived unicast_peer). HSRP has no unicast mode: let the switch carry multicast (an IGMP querier, or a policy that admits 224.0.0.2 and 224.0.0.102; for VRRP 224.0.0.18), or cable the members to a switch that carries it and name it as the group's \"segment\".",
    example: r#""gw-vip": { "kind": "vrrp", "members": ["gw-1", "gw-2"], "adverts": "unicast" }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let net = NetworkIndex::new(model);
    let mut out = Vec::new();
    for g in model.groups.iter().filter(|g| !g.advert_blockers.is_empty() && g.members.len() >= 2) {
        let first = g.members[0];
        let cut_off: Vec<&str> = g.members[1..]
            .iter()
            .filter(|&&m| {
                super::adverts_reach(&net, g, first, |w| w == m, None, true)
                    != super::adverts_reach(&net, g, first, |w| w == m, None, false)
            })
            .map(|&m| model.element(m).name.as_str())
            .collect();
        if cut_off.is_empty() {
            continue;
        }
        let mut droppers: Vec<&str> = g
            .advert_blockers
            .iter()
            .filter(|&&b| g.members.iter().any(|&m| super::adverts_reach(&net, g, m, |w| w == b, None, true)))
            .map(|&b| model.element(b).name.as_str())
            .collect();
        droppers.sort_unstable();
        out.push(hit(
            g.span,
            &g.name,
            format!(
                "{} sends its adverts by multicast, which {} drop{} (\"multicast\": false): {} and {} never hear each other, so {} becomes master and answers for the virtual IP",
                g.name,
                droppers.join(", "),
                if droppers.len() == 1 { "s" } else { "" },
                model.element(first).name,
                cut_off.join(" and "),
                if cut_off.len() == 1 { "each" } else { "more than one" }
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::only;

    /// Two keepalived gateways on a virtual switch that drops multicast.
    fn design(vrrp: &str, multicast: &str) -> String {
        format!(
            r#"{{ "components": {{ "internet": {{ "kind": "entry" }},
                "gw-1": {{ "kind": "router" }}, "gw-2": {{ "kind": "router" }},
                "vsw": {{ "kind": "switch" {multicast} }},
                "web": {{ "kind": "server", "nics": ["vsw"], "runs": ["web"] }} }},
              "links": [ {{ "between": ["internet", "gw-1"] }}, {{ "between": ["internet", "gw-2"] }},
                         {{ "between": ["gw-1", "vsw"] }}, {{ "between": ["gw-2", "vsw"] }} ],
              "groups": {{ "gw-vip": {vrrp} }},
              "services": {{ "site": {{ "from": "internet", "through": ["gw-vip", "web/web"] }} }} }}"#
        )
    }

    fn messages(text: &str) -> Vec<String> {
        let model = crate::load(text).model.expect("fixture loads");
        super::check(&model).into_iter().map(|h| h.message).collect()
    }

    #[test]
    fn multicast_adverts_across_a_dropping_switch_are_flagged() {
        let hits = messages(&design(r#"{ "kind": "vrrp", "members": ["gw-1", "gw-2"] }"#, r#", "multicast": false"#));
        assert_eq!(hits.len(), 1, "{hits:#?}");
        assert!(hits[0].contains("which vsw drops"), "{}", hits[0]);
        assert!(hits[0].contains("gw-1 and gw-2 never hear each other, so each becomes master"), "{}", hits[0]);
        // HSRP hellos are multicast too.
        let hsrp =
            only("SPOF-L029", &design(r#"{ "kind": "hsrp", "members": ["gw-1", "gw-2"] }"#, r#", "multicast": false"#));
        assert_eq!(hsrp.len(), 1, "{hsrp:#?}");
    }

    #[test]
    fn unicast_adverts_or_a_multicast_network_are_fine() {
        let unicast = r#"{ "kind": "vrrp", "members": ["gw-1", "gw-2"], "adverts": "unicast" }"#;
        assert!(only("SPOF-L029", &design(unicast, r#", "multicast": false"#)).is_empty());
        let plain = r#"{ "kind": "vrrp", "members": ["gw-1", "gw-2"] }"#;
        assert!(only("SPOF-L029", &design(plain, "")).is_empty());
        assert!(only("SPOF-L029", &design(plain, r#", "multicast": true"#)).is_empty());
    }
}
