//! SPOF-L002 bond-one-switch: every member of a bond is cabled to the same switch.

use super::{groups_of_kind, hit, Hit, Lint, Severity};
use crate::model::{Medium, Model};

pub static LINT: Lint = Lint {
    code: "SPOF-L002",
    name: "bond-one-switch",
    severity: Severity::Error,
    summary: "All NICs of a bond go to one switch.",
    rationale: "Linux kernel Documentation/networking/bonding.rst, 'High Availability in a Single Switch Topology': with one switch there is no alternative access to fail over to if it fails, so a bond whose members all go to the same switch does not survive that switch.",
    fix: "Cable the bond's NICs to two different switches (and keep those switches on different power sides).",
    example: r#""web-1": { "kind": "server", "bond": { "to": ["sw-1", "sw-2"] } }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for g in groups_of_kind(model, "bond") {
        let mut switches: Vec<&str> = model
            .links
            .iter()
            .filter(|l| l.medium == Medium::Access && g.members.contains(&l.a))
            .map(|l| model.element(l.b).name.as_str())
            .collect();
        switches.sort_unstable();
        switches.dedup();
        if g.members.len() > 1 && switches.len() == 1 {
            out.push(hit(g.span, &g.name, format!("every NIC of {} is cabled to {}", g.name, switches[0])));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BAD: &str = r#"{ "components": {
        "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
        "web-1": { "kind": "server", "bond": { "to": ["sw-1", "sw-1"] } } } }"#;

    #[test]
    fn fires_on_a_bond_into_one_switch() {
        assert!(codes_for(BAD).contains(&"SPOF-L002 web-1/bond".to_string()));
    }

    #[test]
    fn quiet_on_a_bond_across_two_switches() {
        let good = BAD.replace(r#"["sw-1", "sw-1"]"#, r#"["sw-1", "sw-2"]"#);
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L002")));
    }
}
