//! Data-driven cases: malformed inputs with their exact diagnostics, and one scenario
//! per mechanism with its compiled model.

use crate::harness::{expect_file, files, spofsim};

/// Every malformed input yields exit 2 (warn-* cases: 0) and exactly the expected
/// diagnostics: message, file:line:column, snippet and help.
#[test]
fn malformed_inputs_report_exact_diagnostics() {
    let cases = files("tests/cases/malformed", "jsonc");
    assert!(cases.len() >= 40, "the corpus must hold at least 40 malformed inputs, found {}", cases.len());
    for case in cases {
        let path = case.to_str().unwrap();
        let run = spofsim(&["--color", "never", "validate", path]);
        let warn_only = case.file_name().unwrap().to_str().unwrap().starts_with("warn-");
        assert_eq!(run.code, if warn_only { 0 } else { 2 }, "{path}: exit code\n{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("{path}:")),
            "{path}: diagnostics must name file:line:column\n{}",
            run.stderr
        );
        let reported = run.stderr.matches("error[").count() + run.stderr.matches("warning[").count();
        assert_eq!(
            run.stderr.matches("= help: ").count(),
            reported,
            "{path}: every diagnostic needs a help line\n{}",
            run.stderr
        );
        expect_file(&case.with_extension("stderr"), &run.stderr);
    }
}

/// One scenario per DOMAIN.md mechanism loads and compiles to the expected model.
#[test]
fn every_mechanism_loads_into_the_model() {
    let cases = files("tests/cases/mechanisms", "jsonc");
    for case in &cases {
        let path = case.to_str().unwrap();
        let run = spofsim(&["--color", "never", "validate", "-v", path]);
        assert_eq!(run.code, 0, "{path}\n{}", run.stderr);
        assert!(!run.stderr.contains("error"), "{path}\n{}", run.stderr);
        expect_file(&case.with_extension("model"), &run.stdout);
    }
    // Every registered kind is exercised by at least one mechanism scenario.
    let all: String = cases.iter().map(|c| std::fs::read_to_string(crate::harness::root().join(c)).unwrap()).collect();
    for kind in sim_core::mechanisms::all().map(|k| k.info().name) {
        let mentioned = all.contains(&format!("\"kind\": \"{kind}\""))
            || matches!(kind, "site" | "link" | "monitor" | "backup" | "service");
        assert!(mentioned, "no mechanism scenario uses kind \"{kind}\"");
    }
}

/// The bundled scenarios are valid.
#[test]
fn bundled_scenarios_validate() {
    let run = spofsim(&["--color", "never", "validate", "scenarios/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.ends_with(" invalid\n") && run.stderr.contains(" 0 invalid"), "{}", run.stderr);
}

/// Designs that look redundant but are not: each file names the SPOFs it must yield
/// (`// expect-spofs: a, b`), and the explained report is kept as a snapshot.
#[test]
fn hidden_spofs_are_found_and_explained() {
    let cases = files("tests/cases/hidden-spofs", "jsonc");
    assert!(cases.len() >= 6);
    for case in cases {
        let path = case.to_str().unwrap();
        let text = std::fs::read_to_string(crate::harness::root().join(&case)).unwrap();
        let expected: Vec<&str> = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("// expect-spofs:"))
            .unwrap_or_else(|| panic!("{path}: no `// expect-spofs:` line"))
            .split(',')
            .map(str::trim)
            .collect();
        let run = spofsim(&["analyze", path, "--format", "json"]);
        assert_eq!(run.code, 0, "{path}: {}", run.stderr);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let mut found: Vec<&str> =
            v["spofs"].as_array().unwrap().iter().map(|s| s["element"].as_str().unwrap()).collect();
        found.sort_unstable();
        assert_eq!(found, expected, "{path}: single points of failure");
        for s in v["spofs"].as_array().unwrap() {
            let why = s["explanation"].as_str().unwrap();
            assert!(
                why.starts_with(&format!("{} fails → ", s["element"].as_str().unwrap())) && why.contains("→ service "),
                "{path}: {why}"
            );
            assert!(
                !s["defeats"].as_array().unwrap().is_empty(),
                "{path}: {} names no defeated redundancy",
                s["element"]
            );
        }
        let report = spofsim(&["analyze", path]);
        expect_file(&case.with_extension("analysis"), &report.stdout);
    }
}

/// Malformed or unsupported MEF input gets located, explained errors (exit 2).
#[test]
fn malformed_mef_reports_exact_diagnostics() {
    let cases = files("tests/cases/mef-malformed", "xml");
    assert!(cases.len() >= 5);
    for case in cases {
        let path = case.to_str().unwrap();
        let run = spofsim(&["--color", "never", "analyze", path]);
        assert_eq!(run.code, 2, "{path}: exit code\n{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("{path}:")),
            "{path}: diagnostics must name file:line:column\n{}",
            run.stderr
        );
        expect_file(&case.with_extension("stderr"), &run.stderr);
    }
}
