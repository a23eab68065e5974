//! SPOF-L022 stp-as-tier: a service that passes "through" a spanning-tree group.

use super::{hit, Hit, Lint, Severity};
use crate::model::{Model, NodeRef};

pub static LINT: Lint = Lint {
    code: "SPOF-L022",
    name: "stp-as-tier",
    severity: Severity::Warning,
    summary: "A service lists a spanning-tree group as one of its tiers.",
    rationale: "IEEE 802.1D-2004 §17: a spanning tree is a property of the bridged network, not a place a request is served; requests cross it on their way between tiers whether or not it is named. As a tier it means \"some switch of the tree reaches the next tier\", which hides the path from the tier before it and makes the switches look like servers.",
    fix: "Remove the stp group from `through`; list the tiers that serve requests (balancer, pool, cluster). The switches and the tree still carry the traffic between them.",
    example: r#""shop": { "from": "internet", "through": ["lb-vip", "web-pool", "db"] }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for s in &model.services {
        for &t in &s.through {
            if let NodeRef::Group(g) = t {
                let g = model.group(g);
                if g.kind == "stp" {
                    out.push(hit(
                        s.span,
                        &s.name,
                        format!("{} passes through the spanning tree {} as if it served requests", s.name, g.name),
                    ));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::only;

    const BAD: &str = r#"{ "components": { "internet": { "kind": "entry" }, "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
        "web": { "kind": "server", "nics": ["sw-2"], "runs": ["web"] } },
      "links": [ { "between": ["internet", "sw-1"] }, { "between": ["sw-1", "sw-2"] } ],
      "groups": { "l2": { "kind": "stp", "switches": ["sw-1", "sw-2"] } },
      "services": { "s": { "from": "internet", "through": ["l2", "web/web"] } } }"#;

    #[test]
    fn fires_on_an_stp_tier() {
        assert_eq!(only("SPOF-L022", BAD), ["SPOF-L022 s"]);
    }

    #[test]
    fn quiet_when_the_tree_only_carries_traffic() {
        let good = BAD.replace(r#""through": ["l2", "web/web"]"#, r#""through": ["web/web"]"#);
        assert!(only("SPOF-L022", &good).is_empty());
    }
}
