//! SPOF-L010 cluster-no-quorum: an active-standby cluster with no tie-breaker.

use super::{groups_of_kind, hit, text_attr, Hit, Lint, Severity};
use crate::model::{Arrangement, Model};

pub static LINT: Lint = Lint {
    code: "SPOF-L010",
    name: "cluster-no-quorum",
    severity: Severity::Warning,
    summary: "A two-node active-standby cluster has neither a quorum (voting) device nor fencing.",
    rationale: "Corosync votequorum(5), OVERVIEW and 'two_node': operations proceed only while a majority of votes is present, which neither half of a two-node cluster has; if heartbeats are lost while both nodes live, the cluster cannot decide: split brain (both active, data diverges) unless a quorum device breaks the tie (corosync-qdevice(8): highly recommended for 2 node clusters). Three nodes or more decide by majority and need no device. Fencing (STONITH) also ends the split: the survivor powers the other node off before it takes over (ClusterLabs, Pacemaker Explained, \"Fencing\").",
    fix: "Add a quorum-device and name it in the cluster's \"quorum\", and fencing (\"fencing\": { \"device\": ... }) so a hung primary cannot keep writing.",
    example: r#""db": { "kind": "cluster", "mode": "active-standby", "members": ["db-1/db", "db-2/db"], "quorum": "qdev" }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    groups_of_kind(model, "cluster")
        // Three nodes or more decide by majority (docs/SEMANTICS.md §3): no tie to break.
        .filter(|g| {
            g.arrangement == Arrangement::ActiveStandby
                && text_attr(&g.attrs, "quorum").is_none()
                && text_attr(&g.attrs, "fencing").is_none()
                && g.members.len() < 3
        })
        .map(|g| hit(g.span, &g.name, format!("{}: lost heartbeats with both nodes alive means split brain: no quorum device breaks the tie and no fencing stops the other node", g.name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BAD: &str = r#"{ "components": { "db-1": { "kind": "server" }, "db-2": { "kind": "server" }, "q": { "kind": "quorum-device" } },
      "groups": { "db": { "kind": "cluster", "mode": "active-standby", "members": ["db-1", "db-2"] } } }"#;

    #[test]
    fn fires_without_quorum() {
        assert!(codes_for(BAD).contains(&"SPOF-L010 db".to_string()));
    }

    #[test]
    fn quiet_with_a_quorum_device() {
        let good = BAD.replace(r#""members": ["db-1", "db-2"]"#, r#""members": ["db-1", "db-2"], "quorum": "q""#);
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L010")));
    }

    #[test]
    fn quiet_with_fencing() {
        let fenced = BAD
            .replace(r#""members": ["db-1", "db-2"]"#, r#""members": ["db-1", "db-2"], "fencing": { "device": "q" }"#);
        assert!(!codes_for(&fenced).iter().any(|c| c.starts_with("SPOF-L010")));
    }

    #[test]
    fn quiet_for_three_nodes_which_decide_by_majority() {
        let three = BAD
            .replace(
                r#""db-2": { "kind": "server" },"#,
                r#""db-2": { "kind": "server" }, "db-3": { "kind": "server" },"#,
            )
            .replace(r#""members": ["db-1", "db-2"]"#, r#""members": ["db-1", "db-2", "db-3"]"#);
        assert!(three.contains("db-3"));
        assert!(!codes_for(&three).iter().any(|c| c.starts_with("SPOF-L010")));
    }
}
