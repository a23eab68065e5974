//! SPOF-L021 unreachable-member: a redundancy group's member with no network at all.

use super::{hit, Hit, Lint, Severity};
use crate::model::Model;
use crate::model::NetworkIndex;

pub static LINT: Lint = Lint {
    code: "SPOF-L021",
    name: "unreachable-member",
    severity: Severity::Warning,
    summary: "A member of a pool, DNS/GSLB name or cluster has no network link at all, so it can never serve.",
    rationale: "docs/SEMANTICS.md §1: a member serves only while a working path reaches it; a member with no NIC, bond or link is never reached, so the group has one member fewer than it lists. The analysis counts it so (its SPOFs are right), but a redundancy that exists only on paper is almost always a modelling slip: a forgotten `nics` or `bond`.",
    fix: "Cable the member: give its server `nics` or a `bond` to the switches the other members use, or remove it from the group.",
    example: r#""web-2": { "kind": "server", "bond": { "to": ["sw-1", "sw-2"] }, "runs": ["web"] }"#,
    check,
};

/// Groups whose members receive requests over the network.
const SERVING: &[&str] = &["lb-pool", "dns-rr", "gslb", "cluster"];

fn check(model: &Model) -> Vec<Hit> {
    let net = NetworkIndex::new(model);
    let mut out = Vec::new();
    for g in model.groups.iter().filter(|g| SERVING.contains(&g.kind)) {
        for &m in &g.members {
            let cabled = net.closure(m).iter().any(|e| !net.adjacency[e.0 as usize].is_empty());
            if !cabled {
                let name = &model.element(m).name;
                out.push(hit(
                    g.span,
                    &g.name,
                    format!("{name} is a member of {} but has no network link: it can never be reached", g.name),
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::only;

    const BAD: &str = r#"{ "components": { "sw": { "kind": "switch" }, "lb": { "kind": "load-balancer" },
        "web-1": { "kind": "server", "nics": ["sw"], "runs": ["web"] }, "web-2": { "kind": "server", "runs": ["web"] } },
      "links": [ { "between": ["lb", "sw"] } ],
      "groups": { "pool": { "kind": "lb-pool", "balancer": "lb", "check": {}, "members": ["web-1/web", "web-2/web"] } } }"#;

    #[test]
    fn fires_on_a_member_without_network() {
        assert_eq!(only("SPOF-L021", BAD), ["SPOF-L021 pool"]);
    }

    #[test]
    fn quiet_when_every_member_is_cabled() {
        let good = BAD.replace(
            r#""web-2": { "kind": "server", "runs""#,
            r#""web-2": { "kind": "server", "nics": ["sw"], "runs""#,
        );
        assert!(only("SPOF-L021", &good).is_empty());
    }
}
