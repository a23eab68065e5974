//! SPOF-L006 lb-no-peer: a load balancer with no redundant peer.

use super::{edge_targets, groups_of_kind, hit, Hit, Lint, Severity};
use crate::model::{EdgeKind, Model, NodeRef};

pub static LINT: Lint = Lint {
    code: "SPOF-L006",
    name: "lb-no-peer",
    severity: Severity::Error,
    summary: "A pool's balancer is a single load balancer.",
    rationale: "keepalived documentation, 'Introduction': a load-balanced design must account for the availability of the load balancer itself, which is a SPOF unless it is redundant (e.g. Keepalived + VRRP, RFC 5798, with a virtual IP, HAProxy pair).",
    fix: "Add a second load balancer and share a VIP over VRRP; point the pool's balancer at the vrrp group.",
    example: r#""lb-vip": { "kind": "vrrp", "members": ["lb-1", "lb-2"], "vip": "203.0.113.10" }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for g in groups_of_kind(model, "lb-pool") {
        for t in edge_targets(model, NodeRef::Group(g.id), EdgeKind::Serves) {
            if let NodeRef::Element(lb) = t {
                if model.element(lb).kind == "load-balancer" {
                    out.push(hit(g.span, &g.name, format!("{} depends on {} alone", g.name, model.element(lb).name)));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BAD: &str = r#"{ "components": { "web-1": { "kind": "server" }, "lb-1": { "kind": "load-balancer" }, "lb-2": { "kind": "load-balancer" } },
      "groups": { "web": { "kind": "lb-pool", "balancer": "lb-1", "members": ["web-1"] } } }"#;

    #[test]
    fn fires_on_a_single_balancer() {
        assert!(codes_for(BAD).contains(&"SPOF-L006 web".to_string()));
    }

    #[test]
    fn quiet_behind_an_lb_pair() {
        let good = BAD
            .replace(r#""balancer": "lb-1""#, r#""balancer": "vip""#)
            .replace(r#""groups": {"#, r#""groups": { "vip": { "kind": "vrrp", "members": ["lb-1", "lb-2"] },"#);
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L006")), "{:?}", codes_for(&good));
    }
}
