//! `check --format sarif`: SARIF 2.1.0 for code-scanning tools. One run; rules are
//! the lint codes plus SPOF-S001 (single point of failure) and SPOF-X001 (failed
//! expectation), each with its explanation and a help URI; results carry file, line
//! and column. Files that could not be checked become tool-execution notifications.
//! Validated against the OASIS schema in tests (tests/data/sarif/).

use serde_json::{json, Value};
use sim_core::explain::{self, EXPECTATION_FINDING, SPOF_FINDING};
use sim_core::lints::Severity;
use sim_core::syntax::Span;

use super::Checked;

/// Where each rule is documented: `spofsim explain CODE` prints the same text.
pub const RULES_DOC: &str = "https://github.com/spofsim/spofsim/blob/main/docs/RULES.md";

fn location(c: &Checked, span: Span) -> Value {
    let (path, line, column) = c.sources.position(span);
    json!({ "physicalLocation": {
        "artifactLocation": { "uri": path.replace('\\', "/") },
        "region": { "startLine": line, "startColumn": column },
    } })
}

/// Marks a result accepted in the scenario ("inSource"), with its written reason.
fn suppressed(mut result: Value, reason: &Option<String>) -> Value {
    if let Some(reason) = reason {
        result["suppressions"] = json!([{ "kind": "inSource", "justification": reason }]);
    }
    result
}

fn rule(code: &str) -> Value {
    let e = explain::explain(code).expect("every reported code is explainable");
    json!({
        "id": e.code,
        "name": e.name,
        "shortDescription": { "text": e.summary },
        "fullDescription": { "text": e.rationale },
        "help": {
            "text": format!("{}\nExample: {}", e.fix, e.example),
            "markdown": format!("{}\n\n```jsonc\n{}\n```", e.fix, e.example),
        },
        "helpUri": format!("{RULES_DOC}#{}", e.code.to_lowercase()),
    })
}

/// `baseline`: a `--baseline` was given, so each lint result says whether it is new.
pub fn render(checked: &[Checked], fail_on: Option<Severity>, baseline: bool) -> String {
    let codes: Vec<&str> = explain::codes().into_iter().map(|(c, _)| c).collect();
    let rule_index = |code: &str| codes.iter().position(|c| *c == code).unwrap_or(0);
    let mut results = Vec::new();
    let mut notifications = Vec::new();
    for c in checked {
        let r = match &c.result {
            Ok(r) => r,
            Err(why) => {
                notifications.push(json!({
                    "level": "error",
                    "message": { "text": format!("{}: {why}", c.path) },
                    "locations": [{ "physicalLocation": { "artifactLocation": { "uri": c.path.replace('\\', "/") } } }],
                }));
                continue;
            }
        };
        for v in r.verdicts.iter().filter(|v| !v.passed) {
            let measured = v.measured_text_by();
            let service = v.service.as_deref().unwrap_or("(design)");
            results.push(json!({
                "ruleId": EXPECTATION_FINDING,
                "ruleIndex": rule_index(EXPECTATION_FINDING),
                "level": "error",
                "message": { "text": format!("{service} {}: target {}, {measured}", v.measure, v.target) },
                "locations": [location(c, v.span)],
            }));
        }
        for s in &r.spofs {
            results.push(suppressed(json!({
                "ruleId": SPOF_FINDING,
                "ruleIndex": rule_index(SPOF_FINDING),
                "level": "warning",
                "message": { "text": format!("{} is a single point of failure: {}", s.element, s.blast.chain_text()) },
                "locations": [location(c, s.span)],
            }), &s.suppressed));
        }
        for f in &r.lints {
            let level = if f.fails_run(fail_on) { "error" } else { "warning" };
            let mut result = json!({
                "ruleId": f.code,
                "ruleIndex": rule_index(f.code),
                "level": level,
                "message": { "text": format!("{} Fix: {}", f.message, f.fix) },
                "locations": [location(c, f.span)],
            });
            if baseline {
                result["baselineState"] = json!(if f.in_baseline { "unchanged" } else { "new" });
            }
            results.push(suppressed(result, &f.suppressed));
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "spofsim",
                "version": sim_core::VERSION,
                "informationUri": RULES_DOC,
                "rules": codes.iter().map(|c| rule(c)).collect::<Vec<_>>(),
            } },
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).unwrap_or_default() + "\n"
}
