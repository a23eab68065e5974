//! SPOF-L032 arp-all-targets: a bond validates ARP replies with `arp_all_targets all`,
//! and a target is one member of a redundant group (a VRRP/HSRP pair): that member's
//! failure, the backup's too, marks every NIC down although the group fails over.

use super::{groups_of_kind, hit, Hit, Lint, Severity};
use crate::model::{Model, Visibility};

pub static LINT: Lint = Lint {
    code: "SPOF-L032",
    name: "arp-all-targets",
    severity: Severity::Warning,
    summary: "A bond validates ARP replies with arp_all_targets all, and its targets include a member of a redundant group (a VRRP/HSRP pair): when any one target fails, the group's backup too, every NIC of the bond is marked down and the server leaves the network, although the group fails over.",
    rationale: "Linux kernel Documentation/networking/bonding.rst, 'arp_all_targets': with 'all' the ARP monitor considers a slave up only when all of the arp_ip_targets are reachable (for validated slaves). Probing both routers of a gateway pair that way turns the pair's redundancy into a series: each router is a single point of failure of the server, and the unavailability is q1 + q2 - q1q2 instead of q1q2. spofsim models exactly that in every engine.",
    fix: "Use \"all_targets\": \"any\" (the kernel's default, arp_all_targets=0), so a NIC stays up while any router answers; keep \"all\" only for targets that must all be reachable for the server to be of use, none of them a member of a redundant group.",
    example: r#""web-1": { "kind": "server", "bond": { "to": ["sw-1", "sw-2"], "monitor": { "arp": { "targets": ["gw-1", "gw-2"], "validate": "all", "all_targets": "any" } } } }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for g in groups_of_kind(model, "bond") {
        let Some(Visibility::PathTo { targets, all: true, .. }) = g.switchover.as_ref().map(|s| &s.sees) else {
            continue;
        };
        if targets.len() < 2 {
            continue;
        }
        // The targets that belong to a redundant group other than the bond.
        let mut paired: Vec<(&str, &str, &str)> = targets
            .iter()
            .filter_map(|&t| {
                super::redundant_group_of(model, g, t)
                    .map(|r| (model.element(t).name.as_str(), r.kind, r.name.as_str()))
            })
            .collect();
        paired.sort_unstable();
        if paired.is_empty() {
            continue;
        }
        let names: Vec<&str> = paired.iter().map(|(t, _, _)| *t).collect();
        let (_, kind, group) = paired[0];
        out.push(hit(
            g.span,
            &g.name,
            format!(
                "{} needs replies from every target (arp_all_targets all): when any of {} fails, every NIC is marked down and the server leaves the network, though {kind} {group} fails over",
                g.name,
                names.join(", "),
            ),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::only;

    /// arp_single_target's design, probing both routers with arp_all_targets all.
    fn all() -> String {
        crate::lints::arp_single_target::tests::ONE.replace(
            r#""target": "gw-1", "validate": "all""#,
            r#""targets": ["gw-1", "gw-2"], "validate": "all", "all_targets": "all""#,
        )
    }

    #[test]
    fn fires_on_all_targets_over_a_gateway_pair() {
        assert_eq!(only("SPOF-L032", &all()), ["SPOF-L032 web-1/bond"]);
    }

    #[test]
    fn quiet_with_any_without_validation_or_without_a_pair() {
        let any = all().replace(r#""all_targets": "all""#, r#""all_targets": "any""#);
        assert!(only("SPOF-L032", &any).is_empty());
        // Without validation of the active NIC, arp_all_targets does nothing.
        let unvalidated = all().replace(r#""validate": "all""#, r#""validate": "backup""#);
        assert!(only("SPOF-L032", &unvalidated).is_empty());
        let unpaired = all().replace(r#""groups": { "gw": { "kind": "vrrp", "members": ["gw-1", "gw-2"] } },"#, "");
        let unpaired = unpaired.replace(r#""through": ["gw", "web-1/web"]"#, r#""through": ["web-1/web"]"#);
        assert!(only("SPOF-L032", &unpaired).is_empty());
    }
}
