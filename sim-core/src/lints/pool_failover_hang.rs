//! SPOF-L037 pool-failover-hang: a connection pool across a firewall pair that does not
//! share its connection table, with no socket timeout short enough to drop dead
//! connections: every move of the pair's address leaves the pool hung.

use super::{hit, Hit, Lint, Severity};
use crate::model::{Model, Req};
use crate::units::Duration;

pub static LINT: Lint = Lint {
    code: "SPOF-L037",
    name: "pool-failover-hang",
    severity: Severity::Warning,
    summary: "A connection pool crosses a firewall pair without session sync, and its dead connections take longer than HikariCP's 30 s connection timeout to fail.",
    rationale: "A stateful firewall forwards a TCP segment only for a connection in its table; without a stateful failover link 'all active connections are dropped' when the standby takes over (Cisco ASA configuration guide, Failover), and FortiGate's session pickup is disabled by default (FortiOS Administration Guide, FGCP). The pool's connections are then dead but look open: a request on one waits for the JDBC driver's socket timeout (0, none, by default in PgJDBC and Connector/J), else until TCP gives up, 924.6 s with Linux's default tcp_retries2 = 15 (Documentation/networking/ip-sysctl.rst). A busy pool reuses its connections within HikariCP's 500 ms validation bypass, so checking on borrow does not catch them, and once every connection hangs, requests fail after HikariCP's connectionTimeout (30 s). A pair that preempts does it again when the repaired member takes its address back.",
    fix: "Share the firewalls' connection tables (\"session_sync\": true on both members: FortiGate session-pickup, Cisco ASA stateful failover, PAN-OS HA2 session synchronization, pfsync), or give the pool's driver a socket timeout of 30 s or less (\"socket_timeout\").",
    example: r#""ap-1-ds": { "kind": "connection-pool", "on": "ap-1/ap", "to": "db", "through": ["fw-vip"], "min": 20, "max": 20, "keepalive": "10m", "socket_timeout": "30s" }"#,
    check,
};

use crate::mechanisms::firewall::{CONNECTION_TIMEOUT_SECS as POOL_CONNECTION_TIMEOUT_SECS, TCP_GIVE_UP_SECS};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for e in &model.elements {
        let Some(pool) = &e.connection_pool else { continue };
        if pool.hang_secs() <= POOL_CONNECTION_TIMEOUT_SECS {
            continue;
        }
        for r in &pool.through {
            let Req::Group(g) = r else { continue };
            let pair = model.group(*g);
            let unsynced: Vec<&str> = crate::mechanisms::firewall::unsynced_members(model, *g)
                .into_iter()
                .map(|m| model.element(m).name.as_str())
                .collect();
            if unsynced.is_empty() {
                continue;
            }
            let hang = Duration::from_secs(pool.hang_secs()).span();
            let wait = match pool.socket_timeout_secs {
                Some(t) if t <= TCP_GIVE_UP_SECS => format!("its {hang} socket timeout"),
                Some(t) => {
                    format!("TCP's give-up, {hang}, before its {} socket timeout", Duration::from_secs(t).span())
                }
                None => format!("TCP's give-up, {hang}, as it has no socket timeout"),
            };
            out.push(hit(
                e.span,
                &e.name,
                format!(
                    "{} crosses {}, whose members do not share their connection tables ({} without session_sync): each move of its address (a failover, and the fail-back where the pair preempts) leaves every pooled connection dead, and a request on one waits for {wait}",
                    e.name,
                    pair.name,
                    unsynced.join(", ")
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    fn design(firewall_extra: &str, pool_extra: &str) -> String {
        format!(
            r#"{{ "components": {{ "fw-1": {{ "kind": "firewall"{firewall_extra} }}, "fw-2": {{ "kind": "firewall"{firewall_extra} }},
                "ap": {{ "kind": "server" }}, "db": {{ "kind": "server" }},
                "pool": {{ "kind": "connection-pool", "on": "ap", "to": "db", "through": ["fw-vip"], "min": 5, "max": 5, "keepalive": "10m"{pool_extra} }} }},
              "groups": {{ "fw-vip": {{ "kind": "vrrp", "members": ["fw-1", "fw-2"] }} }} }}"#
        )
    }

    fn count(text: &str) -> usize {
        codes_for(text).iter().filter(|c| c.starts_with("SPOF-L037")).count()
    }

    #[test]
    fn fires_on_an_unsynced_pair_without_a_socket_timeout() {
        assert_eq!(count(&design("", "")), 1);
        let loaded = crate::load(&design("", ""));
        let message = crate::lints::run(loaded.model.as_ref().expect("loads"))
            .into_iter()
            .find(|f| f.code == "SPOF-L037")
            .expect("fires")
            .message;
        assert!(message.contains("fw-1, fw-2 without session_sync"), "{message}");
        assert!(message.contains("15m 25s"), "{message}");
    }

    #[test]
    fn quiet_with_session_sync_or_a_short_socket_timeout() {
        assert_eq!(count(&design(r#", "session_sync": true"#, "")), 0);
        assert_eq!(count(&design("", r#", "socket_timeout": "30s""#)), 0);
        assert_eq!(count(&design("", r#", "socket_timeout": "2m""#)), 1);
    }
}
