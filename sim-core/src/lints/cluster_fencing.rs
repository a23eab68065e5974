//! SPOF-L024 cluster-no-fencing: a two-node cluster with a quorum device but no fencing.

use super::{groups_of_kind, hit, text_attr, Hit, Lint, Severity};
use crate::model::{Arrangement, Model};

pub static LINT: Lint = Lint {
    code: "SPOF-L024",
    name: "cluster-no-fencing",
    severity: Severity::Warning,
    summary: "A two-node active-standby cluster has a quorum device but no fencing (STONITH).",
    rationale: "A quorum device breaks a vote tie between two nodes (corosync-qdevice(8)), but it cannot stop a node that is hung, or cut off, from writing: only fencing powers it off before the survivor takes over (ClusterLabs, \"Pacemaker Explained\", chapter \"Fencing\": a cluster without fencing is not supported, because a node that stops responding may still be writing to shared data). Without it a primary that froze for longer than the deadtime wakes up still believing it is primary.",
    fix: "Add fencing to the cluster: a fencing device each node can reach (a BMC such as IPMI or iLO, a switched PDU, a cloud API), with a small delay on one node against fence races.",
    example: r#""db": { "kind": "cluster", "mode": "active-standby", "members": ["db-1/db", "db-2/db"], "quorum": "qdev", "fencing": { "device": "ipmi", "delay": "5s" } }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    groups_of_kind(model, "cluster")
        .filter(|g| {
            g.arrangement == Arrangement::ActiveStandby
                && g.members.len() == 2
                && text_attr(&g.attrs, "quorum").is_some()
                && text_attr(&g.attrs, "fencing").is_none()
        })
        .map(|g| {
            hit(
                g.span,
                &g.name,
                format!(
                    "{}: the quorum device breaks a vote tie, but nothing stops a hung primary from writing",
                    g.name
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lints::only;

    const BAD: &str = r#"{ "components": { "db-1": { "kind": "server" }, "db-2": { "kind": "server" }, "q": { "kind": "quorum-device" },
        "ipmi": { "kind": "server" } },
      "groups": { "db": { "kind": "cluster", "mode": "active-standby", "members": ["db-1", "db-2"], "quorum": "q" } } }"#;

    #[test]
    fn fires_with_a_quorum_device_and_no_fencing() {
        assert_eq!(only("SPOF-L024", BAD), ["SPOF-L024 db"]);
    }

    #[test]
    fn quiet_with_fencing_and_for_other_clusters() {
        let fenced = BAD.replace(r#""quorum": "q" }"#, r#""quorum": "q", "fencing": { "device": "ipmi" } }"#);
        assert!(only("SPOF-L024", &fenced).is_empty());
        // Without a quorum device it is SPOF-L010's finding, not this one.
        let bare = BAD.replace(r#", "quorum": "q""#, "");
        assert!(only("SPOF-L024", &bare).is_empty());
    }
}
