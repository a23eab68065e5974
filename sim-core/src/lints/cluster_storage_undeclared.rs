//! SPOF-L035 cluster-storage-undeclared: a cluster of databases with neither shared
//! storage nor replication between its members, so where its data lives is unstated.
//!
//! The simulator then takes the members to share one copy of the data (lag 0 between
//! members at one site): a failover loses nothing, and nothing under that copy fails.
//! Removing a replication group from such a design therefore reads as an improvement
//! in `diff` (no more lag to lose), which is why the design gets a warning.

use super::{groups_of_kind, hit, text_attr, Hit, Lint, Severity};
use crate::model::{EdgeKind, ElementId, Model, NodeRef, Req};

pub static LINT: Lint = Lint {
    code: "SPOF-L035",
    name: "cluster-storage-undeclared",
    severity: Severity::Warning,
    summary: "A cluster of databases declares neither shared storage nor replication between its members.",
    rationale: "A standby can only take over a database whose data it can reach: on storage every node reaches (a SAN LUN, as a Windows Server failover cluster instance requires; Microsoft, 'Failover Clustering hardware requirements and storage options') or on a copy kept by replication (ClusterLabs, 'Clusters from Scratch', chapter 'Replicate Storage Using DRBD'; PostgreSQL documentation, 'High Availability, Load Balancing, and Replication'). With neither declared, spofsim takes the members to share one copy of the data: a failover loses nothing and the storage under that copy never fails, which is optimistic for both the RPO and the availability.",
    fix: "Declare the shared storage the members use (\"storage\": a storage-array or raid group), or the replication between them (a `replication` group from the primary's database to the others).",
    example: r#""db": { "kind": "cluster", "mode": "active-standby", "members": ["db-1/db", "db-2/db"], "quorum": "qdev", "storage": "san-array" }"#,
    check,
};

/// Storage arrays and RAID groups `e` stands on, following needs through elements and
/// groups (a process's host, its multipath, the array behind it), each node once.
fn storage_under(model: &Model, e: ElementId) -> Vec<NodeRef> {
    let mut seen: Vec<NodeRef> = vec![NodeRef::Element(e)];
    let mut found = Vec::new();
    let mut i = 0;
    while i < seen.len() {
        let node = seen[i];
        i += 1;
        let (kind, needs, members): (&str, &Req, &[ElementId]) = match node {
            NodeRef::Element(x) => {
                let el = model.element(x);
                (el.kind, &el.needs, &[])
            }
            NodeRef::Group(g) => {
                let grp = &model.groups[g.0 as usize];
                (grp.kind, &grp.needs, &grp.members)
            }
            NodeRef::Service(_) => continue,
        };
        if kind == "storage-array" || kind == "raid" {
            found.push(node);
        }
        let mut next: Vec<NodeRef> = members.iter().map(|&m| NodeRef::Element(m)).collect();
        needs.visit(&mut |r| match r {
            Req::Element(x) => next.push(NodeRef::Element(*x)),
            Req::Group(g) => next.push(NodeRef::Group(*g)),
            // A multipath group needs a path from an HBA to its array.
            Req::Path { from, to, .. } => next.extend([NodeRef::Element(*from), NodeRef::Element(*to)]),
            _ => {}
        });
        for n in next {
            if !seen.contains(&n) {
                seen.push(n);
            }
        }
    }
    found
}

fn check(model: &Model) -> Vec<Hit> {
    let replicated: Vec<ElementId> = crate::mechanisms::replication::copies(model)
        .into_iter()
        .flat_map(|(source, replicas)| std::iter::once(source).chain(replicas.into_iter().map(|(r, _)| r)))
        .collect();
    groups_of_kind(model, "cluster")
        .filter(|g| {
            g.members.len() >= 2
                && g.members.iter().all(|&m| crate::mechanisms::server::holds_data(model.element(m)))
                && text_attr(&g.attrs, "sharing") != Some("shared-nothing")
                && crate::model::edge_targets(model, NodeRef::Group(g.id), EdgeKind::Storage).is_empty()
        })
        .filter_map(|g| {
            // Members that all stand on one array share storage the design does declare.
            let under: Vec<Vec<NodeRef>> = g.members.iter().map(|&m| storage_under(model, m)).collect();
            if under[0].iter().any(|s| under[1..].iter().all(|u| u.contains(s))) {
                return None;
            }
            // A member no replication names is taken to share the copy of a member at its
            // site; one at a site no other member is at restores the backup when it takes
            // over (cold DR), as declared.
            let site = |m: ElementId| crate::simulate::data::site_of(model, m);
            let sharing: Vec<&str> = g
                .members
                .iter()
                .filter(|&&m| !replicated.contains(&m) && !super::req_elements(&model.element(m).needs).iter().any(|h| replicated.contains(h)))
                .filter(|&&m| g.members.iter().any(|&o| o != m && site(o) == site(m)))
                .map(|&m| model.element(m).name.as_str())
                .collect();
            (!sharing.is_empty()).then(|| {
                hit(
                    g.span,
                    &g.name,
                    format!(
                        "{}: nothing says where the data of {} lives (no \"storage\", and no replication names them): \
                         spofsim takes each to share the copy of a member at its site, so a failover between them loses \
                         no data and no storage under the copy fails",
                        g.name,
                        sharing.join(", ")
                    ),
                )
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lints::only;

    const BAD: &str = r#"{ "components": { "db-1": { "kind": "server", "runs": ["db"] }, "db-2": { "kind": "server", "runs": ["db"] },
        "san": { "kind": "storage-array" } },
      "groups": { "db": { "kind": "cluster", "mode": "active-standby", "members": ["db-1/db", "db-2/db"] } } }"#;

    #[test]
    fn fires_when_nothing_says_where_the_data_lives() {
        assert_eq!(only("SPOF-L035", BAD), ["SPOF-L035 db"]);
    }

    #[test]
    fn quiet_with_shared_storage_or_replication() {
        let storage = BAD.replace(
            r#""members": ["db-1/db", "db-2/db"] }"#,
            r#""members": ["db-1/db", "db-2/db"], "storage": "san" }"#,
        );
        assert!(only("SPOF-L035", &storage).is_empty(), "{:?}", only("SPOF-L035", &storage));
        let replication = BAD.replace(
            r#"} } }"#,
            r#"}, "repl": { "kind": "replication", "from": "db-1/db", "to": ["db-2/db"], "mode": "async" } } }"#,
        );
        assert!(only("SPOF-L035", &replication).is_empty(), "{:?}", only("SPOF-L035", &replication));
        // A third member that no replication names still shares a copy unstated.
        let third = replication
            .replace(
                r#""san": { "kind": "storage-array" }"#,
                r#""san": { "kind": "storage-array" }, "db-3": { "kind": "server", "runs": ["db"] }"#,
            )
            .replace(r#""members": ["db-1/db", "db-2/db"]"#, r#""members": ["db-1/db", "db-2/db", "db-3/db"]"#);
        assert_eq!(only("SPOF-L035", &third), ["SPOF-L035 db"]);
        // Replication from one member to a copy outside the cluster leaves the other unstated.
        let outside = BAD
            .replace(
                r#""san": { "kind": "storage-array" }"#,
                r#""san": { "kind": "storage-array" }, "dr": { "kind": "server", "runs": ["db"] }"#,
            )
            .replace(
                r#"} } }"#,
                r#"}, "repl": { "kind": "replication", "from": "db-1/db", "to": ["dr/db"], "mode": "async" } } }"#,
            );
        assert_eq!(only("SPOF-L035", &outside), ["SPOF-L035 db"]);
        // Both hosts on the same array through their multipath groups: storage is declared.
        let hosts_on_san = BAD
            .replace(
                r#""san": { "kind": "storage-array" } }"#,
                r#""san": { "kind": "storage-array" }, "hba-1": { "kind": "hba", "server": "db-1" }, "hba-2": { "kind": "hba", "server": "db-2" } },
                  "links": [ { "between": ["hba-1", "san"] }, { "between": ["hba-2", "san"] } ]"#,
            )
            .replace(
                r#"} } }"#,
                r#"}, "p-1": { "kind": "multipath", "server": "db-1", "hbas": ["hba-1"], "array": "san" }, "p-2": { "kind": "multipath", "server": "db-2", "hbas": ["hba-2"], "array": "san" } } }"#,
            );
        assert!(only("SPOF-L035", &hosts_on_san).is_empty(), "{:?}", only("SPOF-L035", &hosts_on_san));
        // One host on the array is not enough: the other's data is still unplaced.
        let one_host = hosts_on_san
            .replace(r#", "p-2": { "kind": "multipath", "server": "db-2", "hbas": ["hba-2"], "array": "san" }"#, "");
        assert_eq!(only("SPOF-L035", &one_host), ["SPOF-L035 db"]);
    }

    #[test]
    fn quiet_for_clusters_of_other_processes_and_shared_nothing() {
        let web = BAD.replace(r#""runs": ["db"]"#, r#""runs": ["web"]"#).replace("/db", "/web");
        assert!(only("SPOF-L035", &web).is_empty());
        let shared_nothing =
            BAD.replace(r#""mode": "active-standby""#, r#""mode": "active-active", "sharing": "shared-nothing""#);
        assert!(only("SPOF-L035", &shared_nothing).is_empty());
    }
}
