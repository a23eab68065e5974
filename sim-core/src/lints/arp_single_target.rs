//! SPOF-L030 arp-single-target: a bond that validates ARP replies (arp_validate
//! active/all) probes one router of a redundant gateway pair, so that router's failure
//! marks every NIC down although the gateway group fails over.

use super::{groups_of_kind, hit, Hit, Lint, Severity};
use crate::model::{Model, Visibility};

pub static LINT: Lint = Lint {
    code: "SPOF-L030",
    name: "arp-single-target",
    severity: Severity::Warning,
    summary: "A bond validates ARP replies from one target only, and that target is one member of a redundant group (a VRRP/HSRP pair): when it fails, every NIC of the bond is marked down and the server leaves the network, although the group fails over.",
    rationale: "Linux kernel Documentation/networking/bonding.rst, 'ARP Monitor Operation' and 'arp_validate': with validation a NIC counts as up only while replies from an arp_ip_target arrive, so with one target and no reply no NIC is up and the bond carries nothing until the target returns. The kernel takes up to 16 targets (arp_ip_target, with arp_all_targets any: a NIC is up while any target answers). spofsim models exactly that: the target joins what the bond's NICs need, so the single router is a single point of failure of the server.",
    fix: "Probe every router of the pair (\"targets\": [\"gw-1\", \"gw-2\"], Linux arp_ip_target=IP1,IP2 with arp_all_targets any). Then the backup's replies keep a NIC up whose switch lost its link to the master, which spofsim reports as a failure the failover does not see where the cabling allows it; Linux's other usual choice, the virtual IP as the one target, is not modelled yet. Or monitor by MII, which needs no target (and sees no further than the switch).",
    example: r#""web-1": { "kind": "server", "bond": { "to": ["sw-1", "sw-2"], "monitor": { "arp": { "targets": ["gw-1", "gw-2"], "validate": "all" } } } }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for g in groups_of_kind(model, "bond") {
        let Some(Visibility::PathTo { targets, .. }) = g.switchover.as_ref().map(|s| &s.sees) else { continue };
        let [target] = targets.as_slice() else { continue };
        let Some(r) = super::redundant_group_of(model, g, *target) else { continue };
        let target_name = &model.element(*target).name;
        let mut others: Vec<&str> =
            r.members.iter().filter(|m| *m != target).map(|m| model.element(*m).name.as_str()).collect();
        others.sort_unstable();
        out.push(hit(
            g.span,
            &g.name,
            format!(
                "{} validates ARP replies from {target_name} alone: when {target_name} fails, every NIC is marked down and the server leaves the network, though {} {} fails over to {}",
                g.name,
                r.kind,
                r.name,
                others.join(", ")
            ),
        ));
    }
    out
}

#[cfg(test)]
pub(super) mod tests {
    use crate::lints::only;

    /// A validated ARP bond probing gw-1 alone, of a cross-cabled VRRP pair.
    pub(in crate::lints) const ONE: &str = r#"{ "components": { "internet": { "kind": "entry" },
        "gw-1": { "kind": "router" }, "gw-2": { "kind": "router" },
        "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
        "web-1": { "kind": "server", "runs": ["web"],
                   "bond": { "to": ["sw-1", "sw-2"], "monitor": { "arp": { "target": "gw-1", "validate": "all" } } } } },
      "links": [ { "between": ["internet", "gw-1"] }, { "between": ["internet", "gw-2"] },
                 { "between": ["gw-1", "sw-1"] }, { "between": ["gw-2", "sw-2"] },
                 { "between": ["gw-1", "sw-2"] }, { "between": ["gw-2", "sw-1"] } ],
      "groups": { "gw": { "kind": "vrrp", "members": ["gw-1", "gw-2"] } },
      "services": { "s": { "from": "internet", "through": ["gw", "web-1/web"] } } }"#;

    #[test]
    fn fires_on_one_validated_target_in_a_gateway_pair() {
        assert_eq!(only("SPOF-L030", ONE), ["SPOF-L030 web-1/bond"]);
    }

    #[test]
    fn quiet_with_both_routers_probed_or_without_validation() {
        let both = ONE.replace(r#""target": "gw-1""#, r#""targets": ["gw-1", "gw-2"]"#);
        assert!(only("SPOF-L030", &both).is_empty());
        // Without validation of the active NIC the target is not needed (SPOF-L028's
        // business where the switch is shared).
        let unvalidated = ONE.replace(r#""validate": "all""#, r#""validate": "backup""#);
        assert!(only("SPOF-L030", &unvalidated).is_empty());
    }
}
