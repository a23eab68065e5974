//! SPOF-L008 sync-single-standby: synchronous replication to one standby, blocking.

use super::{groups_of_kind, hit, text_attr, Hit, Lint, Severity};
use crate::model::Model;

pub static LINT: Lint = Lint {
    code: "SPOF-L008",
    name: "sync-single-standby",
    severity: Severity::Error,
    summary: "Synchronous replication to a single standby with no fallback: writes block when it is down.",
    rationale: "PostgreSQL documentation, 'Synchronous Replication': a commit waits until a synchronous standby confirms it has the commit record (RPO 0); 'Planning for High Availability': such commits may never complete if the last, or only, synchronous standby crashes, so the standby becomes a single point of failure for writes.",
    fix: "Add a second synchronous standby, or set \"when_replica_down\": \"degrade-to-async\".",
    example: r#""pg-repl": { "kind": "replication", "from": "pg-1/db", "to": ["pg-2/db"], "mode": "sync", "when_replica_down": "degrade-to-async" }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    groups_of_kind(model, "replication")
        .filter(|g| {
            text_attr(&g.attrs, "mode") == Some("sync")
                && text_attr(&g.attrs, "when_replica_down") == Some("block")
                && g.members.len() == 2
        })
        .map(|g| {
            hit(
                g.span,
                &g.name,
                format!(
                    "{}: commits wait for {} alone and block while it is down",
                    g.name,
                    model.element(g.members[1]).name
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BAD: &str = r#"{ "components": { "db-1": { "kind": "server" }, "db-2": { "kind": "server" } },
      "groups": { "repl": { "kind": "replication", "from": "db-1", "to": ["db-2"], "mode": "sync" } } }"#;

    #[test]
    fn fires_on_blocking_sync_to_one_standby() {
        assert_eq!(codes_for(BAD).iter().filter(|c| c.starts_with("SPOF-L008")).count(), 1);
    }

    #[test]
    fn quiet_when_it_degrades_to_async() {
        let good = BAD.replace(r#""mode": "sync""#, r#""mode": "sync", "when_replica_down": "degrade-to-async""#);
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L008")));
    }
}
