//! SPOF-L039 lb-pool-no-health-check: a load-balancer pool with no health check sends
//! each member its share of requests whether it works or not.

use super::{groups_of_kind, hit, Hit, Lint, Severity};
use crate::model::{Model, Visibility};

pub static LINT: Lint = Lint {
    code: "SPOF-L039",
    name: "lb-pool-no-health-check",
    severity: Severity::Warning,
    summary: "A load-balancer pool has no health check: a dead or unreachable member keeps its share of the requests until it is repaired.",
    rationale: "HAProxy sends to a server without `check` whatever its state (HAProxy configuration manual, doc/configuration.txt, 'check': \"This option enables health checks on the server. By default, a server is always considered available.\"); spofsim models the balancer without retries (HAProxy's `option redispatch` with `retries`, or nginx's default `proxy_next_upstream error timeout`, resend a failed connection to another server and lose fewer requests: pessimistic there). A member that fails, or that the active balancer can no longer reach, therefore keeps receiving its share of the requests, which fail, for the whole repair: the service stays up, so the availability figure does not move, while every member's every failure costs its share of the requests. spofsim plays it: the simulation's requests served and full service count that share.",
    fix: "Give the pool a health check (\"check\": { \"type\": \"http\", \"url\": \"/health\" }): the balancer then takes a dead member out after interval × fall.",
    example: r#""web-pool": { "kind": "lb-pool", "balancer": "lb-vip", "members": ["web-1/web", "web-2/web"], "check": { "type": "http", "url": "/health" } }"#,
    check,
};

/// O(groups).
fn check(model: &Model) -> Vec<Hit> {
    groups_of_kind(model, "lb-pool")
        .filter(|g| g.members.len() >= 2 && g.switchover.as_ref().is_some_and(|s| s.sees == Visibility::Nothing))
        .map(|g| {
            hit(
                g.span,
                &g.name,
                format!(
                    "{} has no health check: a member that fails or that its balancer cannot reach keeps its share of the requests (1 in {}), all of them failing, until it is repaired",
                    g.name,
                    g.members.len()
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BAD: &str = r#"{ "components": { "internet": { "kind": "entry" }, "lb": { "kind": "load-balancer" }, "sw": { "kind": "switch" },
        "web-1": { "kind": "server", "nics": ["sw"], "runs": ["web"] }, "web-2": { "kind": "server", "nics": ["sw"], "runs": ["web"] } },
      "links": [ { "between": ["internet", "lb"] }, { "between": ["lb", "sw"] } ],
      "groups": { "pool": { "kind": "lb-pool", "balancer": "lb", "members": ["web-1/web", "web-2/web"] } },
      "services": { "s": { "from": "internet", "through": ["pool"] } } }"#;

    #[test]
    fn fires_on_a_pool_without_a_check() {
        assert!(codes_for(BAD).contains(&"SPOF-L039 pool".to_string()), "{:?}", codes_for(BAD));
    }

    #[test]
    fn quiet_on_a_checked_pool() {
        let good = BAD.replace(r#""balancer": "lb","#, r#""balancer": "lb", "check": { "type": "http" },"#);
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L039")), "{:?}", codes_for(&good));
    }
}
