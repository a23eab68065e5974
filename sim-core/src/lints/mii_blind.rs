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
    for g in groups_of_kind(model, "bond").filter(|g| text_attr(&g.attrs, "monitor") == Some("mii")) {
        let mut blind: Vec<&str> = Vec::new();
        for l in model.links.iter().filter(|l| l.medium == Medium::Access && g.members.contains(&l.a)) {
            let uplinks =
                model.links.iter().filter(|u| u.medium != Medium::Access && (u.a == l.b || u.b == l.b)).count();
            if uplinks < 2 {
                blind.push(&model.element(l.b).name);
            }
        }
        blind.sort_unstable();
        blind.dedup();
        if !blind.is_empty() {
            out.push(hit(
                g.span,
                &g.name,
                if blind.len() == 1 {
                    format!("{} uses MII, but {} has a single uplink whose failure MII cannot see", g.name, blind[0])
                } else {
                    format!(
                        "{} uses MII, but {} each have a single uplink whose failure MII cannot see",
                        g.name,
                        blind.join(" and ")
                    )
                },
            ));
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

    #[test]
    fn quiet_with_arp_monitoring() {
        let good =
            BAD.replace(r#"["sw-1", "sw-2"] }"#, r#"["sw-1", "sw-2"], "monitor": { "arp": { "target": "gw" } } }"#);
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L003")), "{:?}", codes_for(&good));
    }
}
