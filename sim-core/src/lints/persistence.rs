//! SPOF-L007 persistence-without-replication: sticky sessions that die with their server.

use std::collections::BTreeSet;

use super::{groups_of_kind, hit, text_attr, Hit, Lint, Severity};
use crate::model::{ElementId, Model};

pub static LINT: Lint = Lint {
    code: "SPOF-L007",
    name: "persistence-without-replication",
    severity: Severity::Warning,
    summary: "A pool uses persistence but its members do not replicate sessions.",
    rationale: "HAProxy Configuration Manual, 'cookie' and 'option redispatch': persistence keeps a client on its server, and when that server is down the client is redispatched to another, where its session is lost unless sessions are replicated (Oracle WebLogic Server, 'HTTP Session State Replication': a primary copy on the serving server, a secondary replica on another).",
    fix: "Add a \"session-replication\" group over the pool's members, or keep sessions outside the servers.",
    example: r#""sessions": { "kind": "session-replication", "members": ["ap-1/ap", "ap-2/ap"] }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let replicated: BTreeSet<ElementId> =
        groups_of_kind(model, "session-replication").flat_map(|g| g.members.iter().copied()).collect();
    let mut out = Vec::new();
    for g in groups_of_kind(model, "lb-pool") {
        let persistence = text_attr(&g.attrs, "persistence").unwrap_or("none");
        if persistence == "none" {
            continue;
        }
        let bare: Vec<&str> =
            g.members.iter().filter(|m| !replicated.contains(m)).map(|m| model.element(*m).name.as_str()).collect();
        if !bare.is_empty() {
            out.push(hit(
                g.span,
                &g.name,
                format!(
                    "{} keeps clients on one member ({persistence}), but {} replicate no sessions: failover loses them",
                    g.name,
                    bare.join(", ")
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BAD: &str = r#"{ "components": { "ap-1": { "kind": "server" }, "ap-2": { "kind": "server" }, "lb": { "kind": "load-balancer" } },
      "groups": { "ap": { "kind": "lb-pool", "balancer": "lb", "members": ["ap-1", "ap-2"], "persistence": "cookie" } } }"#;

    #[test]
    fn fires_on_persistence_without_replication() {
        assert!(codes_for(BAD).contains(&"SPOF-L007 ap".to_string()));
    }

    #[test]
    fn quiet_with_session_replication() {
        let good = BAD.replace(
            r#""groups": {"#,
            r#""groups": { "sr": { "kind": "session-replication", "members": ["ap-1", "ap-2"] },"#,
        );
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L007")));
    }
}
