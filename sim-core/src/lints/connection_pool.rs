//! SPOF-L011 connection-pool: pool sizes that pay set-up cost again, or idle pooled
//! connections that a firewall silently drops.

use super::{count_attr, hit, Hit, Lint, Severity};
use crate::model::Model;
use crate::units::Duration;

pub static LINT: Lint = Lint {
    code: "SPOF-L011",
    name: "connection-pool",
    severity: Severity::Warning,
    summary: "A connection pool has min ≠ max, or keeps connections idle longer than a firewall allows.",
    rationale: "HikariCP documentation, 'minimumIdle' and 'keepaliveTime': a fixed-size pool (min = max; HikariCP's minimumIdle defaults to maximumPoolSize) pays connection set-up once; idle pooled connections can be timed out by network infrastructure, so a firewall between AP and DB may drop them unless a keepalive runs within its idle timeout. Where the pool declares its quiet stretches (`quiet`), the finding says what each costs: the wait for the dead connections at its end (HikariCP's check on borrow, 5 s each up to the 30 s connectionTimeout; without one, the socket timeout or TCP's give-up), which the simulator plays and the figure with timings adds as its idle-drop term.",
    fix: "For a growing pool, set min = max. For idle drops, send a keepalive more often than the firewall's idle timeout (\"keepalive\" shorter than it), or raise the firewall's idle timeout above the longest quiet stretch.",
    example: r#""ds": { "kind": "connection-pool", "on": "ap-1/ap", "to": "db-1/db", "through": ["fw"], "min": 20, "max": 20, "idle_timeout": "1h", "keepalive": "10m" }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for pool in model.elements.iter().filter(|e| e.kind == "connection-pool") {
        let (min, max) = (count_attr(&pool.attrs, "min").unwrap_or(0), count_attr(&pool.attrs, "max").unwrap_or(0));
        if min != max {
            out.push(hit(
                pool.span,
                &pool.name,
                format!("{} grows from {min} to {max} connections: set-up cost is paid under load", pool.name),
            ));
        }
        let Some(typed) = &pool.connection_pool else { continue };
        let idle = typed.idle_timeout_secs.unwrap_or(f64::INFINITY);
        let keepalive = typed.keepalive_secs.unwrap_or(f64::INFINITY);
        for (fw, fw_idle) in crate::mechanisms::firewall::idle_droppers(model, typed) {
            let fw = model.element(fw);
            let drops = format!("{} drops idle connections after {}", fw.name, Duration::from_secs(fw_idle));
            // Name the setting to change: a keepalive that runs too rarely, or none.
            let message = match (keepalive.is_finite(), idle.is_finite()) {
                (true, _) => format!(
                    "{} keeps its connections alive every {}, but {drops}: the keepalive interval is too long",
                    pool.name,
                    Duration::from_secs(keepalive)
                ),
                (false, true) => format!(
                    "{} keeps idle connections up to {} with no keepalive, but {drops}",
                    pool.name,
                    Duration::from_secs(idle)
                ),
                (false, false) => {
                    format!("{} never closes idle connections and sends no keepalive, but {drops}", pool.name)
                }
            };
            // What the declared quiet stretches cost (the simulator plays it).
            // A pair member drops them only while it forwards them.
            let pair = typed.through.iter().find_map(|r| match r {
                crate::model::Req::Group(g) if model.group(*g).members.contains(&fw.id) => Some(*g),
                _ => None,
            });
            let while_it_forwards =
                pair.map_or(String::new(), |g| format!(" while {} holds {}'s address", fw.name, model.group(g).name));
            let message = match typed.quiet {
                Some(q) if q.lasts_secs > fw_idle => format!(
                    "{message}; after each {} quiet stretch it serves nothing for {}{while_it_forwards}",
                    Duration::from_secs(q.lasts_secs),
                    Duration::from_secs(typed.after_quiet_hang_secs()).human()
                ),
                _ => message,
            };
            out.push(hit(pool.span, &pool.name, message));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BAD: &str = r#"{ "components": { "fw": { "kind": "firewall", "idle_timeout": "30m" }, "ap": { "kind": "server" }, "db": { "kind": "server" },
        "pool": { "kind": "connection-pool", "on": "ap", "to": "db", "through": ["fw"], "min": 5, "max": 20 } } }"#;

    #[test]
    fn fires_on_growing_pools_and_idle_drops() {
        assert_eq!(codes_for(BAD).iter().filter(|c| c.starts_with("SPOF-L011")).count(), 2);
    }

    /// A firewall pair on the path: either member may hold the connections, so the
    /// shorter idle timeout of the two decides.
    #[test]
    fn judges_each_member_of_a_firewall_pair_on_the_path() {
        let pair = r#"{ "components": { "fw-1": { "kind": "firewall", "idle_timeout": "2h" },
                "fw-2": { "kind": "firewall", "idle_timeout": "30m" },
                "ap": { "kind": "server" }, "db": { "kind": "server" },
                "pool": { "kind": "connection-pool", "on": "ap", "to": "db", "through": ["fw-vip"], "min": 5, "max": 5, "keepalive": "45m" } },
            "groups": { "fw-vip": { "kind": "vrrp", "members": ["fw-1", "fw-2"] } } }"#;
        let loaded = crate::load(pair);
        let messages: Vec<String> = crate::lints::run(loaded.model.as_ref().expect("loads"))
            .into_iter()
            .filter(|f| f.code == "SPOF-L011")
            .map(|f| f.message)
            .collect();
        assert_eq!(messages.len(), 1, "{messages:?}");
        assert!(messages[0].contains("fw-2 drops idle connections after 30m"), "{}", messages[0]);
    }

    /// The message names the setting at fault: a keepalive that runs too rarely is not
    /// "keeping idle connections forever".
    #[test]
    fn names_the_keepalive_when_it_is_too_long() {
        let slow = BAD.replace(r#""min": 5, "max": 20"#, r#""min": 20, "max": 20, "keepalive": "45m""#);
        let loaded = crate::load(&slow);
        let messages: Vec<String> = crate::lints::run(loaded.model.as_ref().unwrap())
            .into_iter()
            .filter(|f| f.code == "SPOF-L011")
            .map(|f| f.message)
            .collect();
        assert_eq!(
            messages,
            ["pool keeps its connections alive every 45m, but fw drops idle connections after 30m: the keepalive interval is too long"]
        );
    }

    #[test]
    fn quiet_with_fixed_size_and_keepalive() {
        let good = BAD.replace(r#""min": 5, "max": 20"#, r#""min": 20, "max": 20, "keepalive": "10m""#);
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L011")), "{:?}", codes_for(&good));
    }
}
