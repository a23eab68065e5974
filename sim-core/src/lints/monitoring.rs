//! SPOF-L012 unmonitored: a component no monitor covers.

use super::{edge_sources, hit, Hit, Lint, Severity};
use crate::model::{EdgeKind, Model, NodeRef};

pub static LINT: Lint = Lint {
    code: "SPOF-L012",
    name: "unmonitored",
    severity: Severity::Warning,
    summary: "A component is covered by no monitor.",
    rationale: "docs/SEMANTICS.md §5 (Detection): a repair starts only when a monitor whose alert is not lost notices the failure, else when users do, so detection delay is part of every outage. Liveness (ping) belongs on every device.",
    fix: "Add the component to a monitor's targets (ping for devices, process checks for important processes).",
    example: r#""ping": { "method": "ping", "targets": ["sw-1", "sw-2", "web-1", "web-2"], "interval": "30s", "threshold": 3 }"#,
    check,
};

/// Kinds an operator must watch: every powered device, plus processes and the power
/// chain (parts written inline are covered through their device). A standby generator
/// most of all: idle, its failure shows only at the next demand.
fn watched(kind: &str) -> bool {
    crate::mechanisms::power::POWERED.contains(&kind)
        || ["process", "ups", "pdu", "enclosure", "generator", "ats"].contains(&kind)
}

fn check(model: &Model) -> Vec<Hit> {
    let watched: Vec<_> =
        model.elements.iter().filter(|e| watched(e.kind) && !e.name.contains('/') && e.failure.is_some()).collect();
    if !model.elements.iter().any(|e| e.kind == "monitor") {
        if let Some(first) = watched.first() {
            let subject = if model.name.is_empty() { "scenario" } else { model.name.as_str() };
            return vec![hit(
                first.span,
                subject,
                format!(
                    "no monitors at all: none of {} components is watched, failures wait for users to notice",
                    watched.len()
                ),
            )];
        }
        return Vec::new();
    }
    watched
        .into_iter()
        .filter(|e| edge_sources(model, NodeRef::Element(e.id), EdgeKind::Monitors).is_empty())
        .map(|e| hit(e.span, &e.name, format!("no monitor watches {} ({})", e.name, e.kind)))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::lints::{codes_for, only};

    const BAD: &str = r#"{ "components": { "sw-1": { "kind": "switch" }, "web-1": { "kind": "server" } },
      "monitors": { "ping": { "method": "ping", "targets": ["sw-1"] } } }"#;

    #[test]
    fn fires_on_an_unwatched_server() {
        assert_eq!(only("SPOF-L012", BAD), ["SPOF-L012 web-1"]);
    }

    #[test]
    fn quiet_when_everything_is_watched() {
        let good = BAD.replace(r#""targets": ["sw-1"]"#, r#""targets": ["sw-1", "web-1"]"#);
        assert!(codes_for(&good).is_empty(), "{:?}", codes_for(&good));
    }
}
