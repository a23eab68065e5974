//! SPOF-L028 arp-no-validate: an ARP-monitored bond without `arp_validate` on a switch
//! shared with other hosts sees no further than MII does.

use super::{groups_of_kind, hit, text_attr, Hit, Lint, Severity};
use crate::model::Model;

pub static LINT: Lint = Lint {
    code: "SPOF-L028",
    name: "arp-no-validate",
    severity: Severity::Warning,
    summary: "A bond monitors by ARP without validating the active NIC (arp_validate none, the kernel's default) on a switch that anything else is linked to: that device's broadcasts (a gateway's, another host's) keep the NIC up.",
    rationale: "Linux kernel Documentation/networking/bonding.rst, 'arp_validate': without validation a NIC counts as up when it has received any traffic recently, and on a shared segment other hosts' ARP broadcasts arrive whether or not the probed target answers. The ARP monitor then sees the NIC's own link and switch but no failure beyond the switch, exactly what it was chosen to see (an upstream switch or uplink failure black-holes the server until the repair). spofsim models the monitor so: as link-state only.",
    fix: "Set validation for the active NIC (\"validate\": \"active\" or \"all\", Linux arp_validate=active/all; with arp_all_targets for several targets).",
    example: r#""web-1": { "kind": "server", "bond": { "to": ["sw-1", "sw-2"], "monitor": { "arp": { "target": "gw", "validate": "all" } } } }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for g in groups_of_kind(model, "bond").filter(|g| text_attr(&g.attrs, "monitor") == Some("arp")) {
        let validate = text_attr(&g.attrs, "arp_validate").unwrap_or("none");
        if matches!(validate, "active" | "all") {
            continue;
        }
        // A switch of the bond that another device is linked to (other servers, the
        // gateway): its broadcasts reach the NIC.
        let mut shared: Vec<&str> = Vec::new();
        for l in model.links.iter().filter(|l| g.members.contains(&l.a) || g.members.contains(&l.b)) {
            let switch = if g.members.contains(&l.a) { l.b } else { l.a };
            let others = model
                .links
                .iter()
                .any(|o| (o.a == switch && !g.members.contains(&o.b)) || (o.b == switch && !g.members.contains(&o.a)));
            if others {
                shared.push(&model.element(switch).name);
            }
        }
        shared.sort_unstable();
        shared.dedup();
        if !shared.is_empty() {
            out.push(hit(
                g.span,
                &g.name,
                format!(
                    "{} monitors by ARP with arp_validate \"{validate}\": broadcasts from the other devices on {} (the gateway's, other hosts') keep the active NIC up, so a failure beyond the switch goes unseen",
                    g.name,
                    shared.join(", ")
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::only;

    const SHARED: &str = r#"{ "components": { "internet": { "kind": "entry" }, "gw": { "kind": "router" },
        "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
        "web-1": { "kind": "server", "runs": ["web"], "bond": { "to": ["sw-1", "sw-2"], "monitor": { "arp": { "target": "gw" } } } },
        "web-2": { "kind": "server", "runs": ["web"], "nics": ["sw-1"] } },
      "links": [ { "between": ["internet", "gw"] }, { "between": ["gw", "sw-1"] }, { "between": ["gw", "sw-2"] } ],
      "services": { "s": { "from": "internet", "through": ["web-1/web"] } } }"#;

    #[test]
    fn fires_without_validation_on_a_shared_switch() {
        assert_eq!(only("SPOF-L028", SHARED), ["SPOF-L028 web-1/bond"]);
        let backup = SHARED.replace(r#""target": "gw" }"#, r#""target": "gw", "validate": "backup" }"#);
        assert_eq!(only("SPOF-L028", &backup), ["SPOF-L028 web-1/bond"]);
    }

    #[test]
    fn quiet_when_the_active_nic_is_validated() {
        for v in ["active", "all"] {
            let good = SHARED.replace(r#""target": "gw" }"#, &format!(r#""target": "gw", "validate": "{v}" }}"#));
            assert!(only("SPOF-L028", &good).is_empty(), "{v}");
        }
    }
}
