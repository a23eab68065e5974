//! SPOF-L018 quorum-device-uncabled: a cluster's quorum device with no network link.

use super::{hit, Hit, Lint, Severity};
use crate::model::Model;

pub static LINT: Lint = Lint {
    code: "SPOF-L018",
    name: "quorum-device-uncabled",
    severity: Severity::Warning,
    summary: "A cluster's quorum device has no network link, so the analysis cannot tell which partition it votes with.",
    rationale: "A quorum device votes over the network (corosync-qdevice(8): the qdevice daemon talks to corosync-qnetd over TCP) and gives its vote to one partition only. Left uncabled, the model takes it as reachable from everywhere (docs/SEMANTICS.md §3), so both sides of a partition count its vote: the static figure and the simulation then decide a split by assumption, not by the design, and both can be optimistic.",
    fix: "Cable the quorum device to the network it is reached over (in a third site for a two-site cluster): a link such as { \"between\": [\"witness-qd\", \"core-sw\"] }.",
    example: r#""witness-qd": { "kind": "quorum-device", "site": "witness" }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    let net = crate::model::NetworkIndex::new(model);
    // On the network: it, or something attached to it (a NIC), has a link.
    let on_network =
        |e: crate::model::ElementId| net.closure(e).iter().any(|x| !net.adjacency[x.0 as usize].is_empty());
    for g in &model.groups {
        let Some(device) = model.quorum_device(g.id) else { continue };
        // A quorum disk (`in` a storage array) is reached over the storage, not cabled.
        let on_storage =
            !crate::model::edge_targets(model, crate::model::NodeRef::Element(device), crate::model::EdgeKind::Storage)
                .is_empty();
        if !on_network(device) && !on_storage && g.members.iter().any(|&m| on_network(m)) {
            let name = &model.element(device).name;
            out.push(hit(
                g.span,
                &g.name,
                format!(
                    "quorum device {name} of {} has no network link: both sides of a partition would count its vote",
                    g.name
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BASE: &str = r#"{ "components": { "internet": { "kind": "entry" }, "sw": { "kind": "switch" },
        "db-1": { "kind": "server", "nics": ["sw"], "runs": ["db"] }, "db-2": { "kind": "server", "nics": ["sw"], "runs": ["db"] },
        "qd": { "kind": "quorum-device" } },
      "links": [ { "between": ["internet", "sw"] } LINK ],
      "groups": { "db": { "kind": "cluster", "mode": "active-standby", "members": ["db-1/db", "db-2/db"], "quorum": "qd" } } }"#;

    #[test]
    fn fires_on_an_uncabled_device_only() {
        let bare = BASE.replace("LINK", "");
        assert!(codes_for(&bare).contains(&"SPOF-L018 db".to_string()), "{:?}", codes_for(&bare));
        let cabled = BASE.replace("LINK", r#", { "between": ["qd", "sw"] }"#);
        assert!(!codes_for(&cabled).iter().any(|c| c.starts_with("SPOF-L018")), "{:?}", codes_for(&cabled));
    }
}
