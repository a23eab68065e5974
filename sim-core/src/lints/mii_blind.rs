//! SPOF-L003 mii-blind-upstream: MII monitoring where only ARP monitoring would see the
//! failure.

use super::{groups_of_kind, hit, text_attr, Hit, Lint, Severity};
use crate::model::{Medium, Model};

pub static LINT: Lint = Lint {
    code: "SPOF-L003",
    name: "mii-blind-upstream",
    severity: Severity::Warning,
    summary: "A bond monitors link state (MII) while its switch hangs on a single uplink.",
    rationale: "Linux kernel Documentation/networking/bonding.rst, 'MII Monitor Operation' and 'HA Link Monitoring Selection for Multiple Switch Topology': MII sees only the local carrier state; ARP monitoring sees failures further away. When the switch's only uplink fails, the port stays up, MII never fails over, and the server is cut off until repair.",
    fix: "Use ARP monitoring toward the gateway, with validation (\"monitor\": { \"arp\": { \"target\": \"gw\", \"validate\": \"all\" } }), or give each member switch two uplinks.",
    example: r#""web-1": { "kind": "server", "bond": { "to": ["sw-1", "sw-2"], "monitor": { "arp": { "target": "gw", "interval": "1s", "missed": 3, "validate": "all" } } } }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    // A LACP bond that aggregates (one switch, or an MLAG pair) uses every link at once:
    // a switch's uplink lost leaves the other's (through the peer link).
    let aggregates = |g: &crate::model::Group| matches!(g.arrangement, crate::model::Arrangement::ActiveActive { .. });
    for g in groups_of_kind(model, "bond").filter(|g| text_attr(&g.attrs, "monitor") == Some("mii") && !aggregates(g)) {
        // Per member switch: how many uplinks it has, when fewer than two.
        let mut blind: Vec<(&str, usize)> = Vec::new();
        for l in model.links.iter().filter(|l| l.medium == Medium::Access && g.members.contains(&l.a)) {
            let uplinks =
                model.links.iter().filter(|u| u.medium != Medium::Access && (u.a == l.b || u.b == l.b)).count();
            if uplinks < 2 {
                blind.push((&model.element(l.b).name, uplinks));
            }
        }
        blind.sort_unstable();
        blind.dedup();
        let names = |n: usize| blind.iter().filter(|b| b.1 == n).map(|b| b.0).collect::<Vec<_>>();
        let (none, single) = (names(0), names(1));
        let mut parts = Vec::new();
        match none.as_slice() {
            [] => {}
            [one] => parts.push(format!("{one} has no uplink")),
            many => parts.push(format!("{} have no uplink", many.join(" and "))),
        }
        match single.as_slice() {
            [] => {}
            [one] => parts.push(format!("{one} has a single uplink whose failure MII cannot see")),
            many => {
                parts.push(format!("{} each have a single uplink whose failure MII cannot see", many.join(" and ")))
            }
        }
        if !parts.is_empty() {
            out.push(hit(g.span, &g.name, format!("{} uses MII, but {}", g.name, parts.join(", and "))));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BAD: &str = r#"{ "components": {
        "gw": { "kind": "router" }, "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
        "web-1": { "kind": "server", "bond": { "to": ["sw-1", "sw-2"] } } },
      "links": [ { "between": ["gw", "sw-1"] }, { "between": ["gw", "sw-2"] } ] }"#;

    #[test]
    fn fires_on_mii_with_single_uplinks() {
        assert!(codes_for(BAD).contains(&"SPOF-L003 web-1/bond".to_string()));
    }

    /// A member switch with no uplink at all is named as such, not as "a single uplink".
    #[test]
    fn names_a_switch_with_no_uplink() {
        let text = BAD.replace(r#", { "between": ["gw", "sw-2"] }"#, "");
        let hits = crate::lints::run(&crate::load(&text).model.unwrap());
        let message = hits.iter().find(|h| h.code == "SPOF-L003").map(|h| h.message.clone()).unwrap_or_default();
        assert_eq!(
            message,
            "web-1/bond uses MII, but sw-2 has no uplink, and sw-1 has a single uplink whose failure MII cannot see"
        );
    }

    #[test]
    fn quiet_with_arp_monitoring() {
        let good =
            BAD.replace(r#"["sw-1", "sw-2"] }"#, r#"["sw-1", "sw-2"], "monitor": { "arp": { "target": "gw" } } }"#);
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L003")), "{:?}", codes_for(&good));
    }
}
