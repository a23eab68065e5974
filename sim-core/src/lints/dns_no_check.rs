//! SPOF-L005 dns-rr-no-health-check: DNS round robin hands out dead servers.

use super::{groups_of_kind, hit, Hit, Lint, Severity};
use crate::model::Model;

pub static LINT: Lint = Lint {
    code: "SPOF-L005",
    name: "dns-rr-no-health-check",
    severity: Severity::Warning,
    summary: "DNS round robin distributes load with no health check.",
    rationale: "RFC 1034 §3.6: an address record is cached by resolvers for its TTL, and nothing in DNS checks that the address answers; round robin keeps handing out a dead server's address (clients fail until TTL/retry), and it knows nothing of sessions.",
    fix: "Put a load balancer with a health check in front of the servers, or use GSLB with a check.",
    example: r#""web-pool": { "kind": "lb-pool", "balancer": "lb-vip", "members": ["web-1/web", "web-2/web"], "check": { "type": "http", "url": "/health" } }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    groups_of_kind(model, "dns-rr")
        .map(|g| hit(g.span, &g.name, format!("{} keeps answering with dead members until clients give up", g.name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BAD: &str = r#"{ "components": { "web-1": { "kind": "server" }, "web-2": { "kind": "server" }, "lb": { "kind": "load-balancer" } },
      "groups": { "www": { "kind": "dns-rr", "members": ["web-1", "web-2"] } } }"#;

    #[test]
    fn fires_on_dns_round_robin() {
        assert!(codes_for(BAD).contains(&"SPOF-L005 www".to_string()));
    }

    #[test]
    fn quiet_behind_a_checked_pool() {
        let good = BAD.replace(
            r#""kind": "dns-rr", "members""#,
            r#""kind": "lb-pool", "balancer": "lb", "check": {}, "members""#,
        );
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L005")), "{:?}", codes_for(&good));
    }
}
