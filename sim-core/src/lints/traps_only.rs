//! SPOF-L013 traps-only: SNMP traps are a component's only alert path.

use super::{edge_sources, hit, text_attr, Hit, Lint, Severity};
use crate::model::{EdgeKind, Model, NodeRef};

pub static LINT: Lint = Lint {
    code: "SPOF-L013",
    name: "traps-only",
    severity: Severity::Warning,
    summary: "A component's failures reach operators only as SNMP traps.",
    rationale: "RFC 3413 (SNMP-NOTIFICATION-MIB, snmpNotifyType): traps are Unconfirmed-Class PDUs, so no response comes back and nothing retransmits them; a trap lost in a failure is gone (use polling or mail where every notice must arrive).",
    fix: "Add a polling monitor (ping or snmp-poll) for the component.",
    example: r#""poll": { "method": "snmp-poll", "targets": ["sw-1"], "interval": "1m" }"#,
    check,
};

fn check(model: &Model) -> Vec<Hit> {
    let mut out = Vec::new();
    for e in &model.elements {
        let monitors = edge_sources(model, NodeRef::Element(e.id), EdgeKind::Monitors);
        let methods: Vec<&str> = monitors
            .iter()
            .filter_map(|m| match m {
                NodeRef::Element(m) => text_attr(&model.element(*m).attrs, "method"),
                _ => None,
            })
            .collect();
        if !methods.is_empty() && methods.iter().all(|&m| m == "snmp-trap") {
            out.push(hit(
                e.span,
                &e.name,
                format!("{} is watched only by SNMP traps, which are lost when the network fails with it", e.name),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lints::codes_for;

    const BAD: &str = r#"{ "components": { "ups": { "kind": "ups", "feed": "f", "battery_runtime": "10m" }, "f": { "kind": "power-feed" } },
      "monitors": { "traps": { "method": "snmp-trap", "targets": ["ups"] } } }"#;

    #[test]
    fn fires_on_traps_only() {
        assert!(codes_for(BAD).contains(&"SPOF-L013 ups".to_string()));
    }

    #[test]
    fn quiet_with_polling_too() {
        let good = BAD.replace(r#"} } }"#, r#"}, "poll": { "method": "snmp-poll", "targets": ["ups"] } } }"#);
        assert!(!codes_for(&good).iter().any(|c| c.starts_with("SPOF-L013")), "{:?}", codes_for(&good));
    }
}
