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

/// One scenario per mechanism (sim-core/src/mechanisms/) loads and compiles to the expected model.
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
            || matches!(kind, "site" | "link" | "monitor" | "backup" | "service")
            || kind == "array-controller" && all.contains("\"controllers\"");
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

/// Every scenario under `scenarios/`, recursively.
fn library() -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let p = entry.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "jsonc") {
                out.push(p.strip_prefix(crate::harness::root()).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(&crate::harness::root().join("scenarios"), &mut out);
    out.sort();
    out
}

/// The scenario library teaches: every file states a lesson and expectations that
/// hold (`check` passes on each), and its analysis, check report and drill timeline
/// are kept as golden outputs under `tests/golden/`.
#[test]
fn library_expectations_hold_and_outputs_match_their_goldens() {
    let cases = library();
    assert!(cases.len() >= 30, "{} scenarios", cases.len());
    for case in cases {
        let path = case.to_str().unwrap();
        let text = std::fs::read_to_string(crate::harness::root().join(&case)).unwrap();
        assert!(text.starts_with("//") && text.contains("\"description\""), "{path}: no lesson comment or description");
        // An imported base (NetBox) holds no services: the file that extends it is checked.
        if text.starts_with("// Imported from NetBox") {
            continue;
        }
        let run = spofsim(&["check", path, "--format", "json"]);
        assert_eq!(run.code, 0, "{path}: check failed\n{}{}", run.stdout, run.stderr);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let verdicts = v["scenarios"][0]["verdicts"].as_array().unwrap();
        assert!(!verdicts.is_empty(), "{path}: no expectation");
        assert!(verdicts.iter().all(|x| x["passed"] == true), "{path}: {verdicts:?}");
        let golden = std::path::Path::new("tests/golden").join(case.strip_prefix("scenarios").unwrap());
        expect_file(&golden.with_extension("analysis"), &spofsim(&["analyze", path]).stdout);
        expect_file(&golden.with_extension("check"), &spofsim(&["--color", "never", "check", path]).stdout);
        if text.contains("\"drills\"") {
            let drills = spofsim(&["simulate", path, "--drills-only", "--years", "1", "--replications", "1", "-q"]);
            assert_eq!(drills.code, 0, "{path}: {}", drills.stderr);
            expect_file(&golden.with_extension("drills"), &drills.stdout);
        }
    }
}

/// Designs that look redundant but are not: each anti-pattern's `expect` block names
/// the finding (and SPOFs) it must yield, proven by `check`; every SPOF comes with an
/// explanation chain, and a hidden one names the redundancy it defeats.
#[test]
fn anti_patterns_name_their_finding_and_explain_their_spofs() {
    let cases: Vec<_> = library().into_iter().filter(|p| p.starts_with("scenarios/anti-patterns")).collect();
    assert!(cases.len() >= 10, "{} anti-patterns", cases.len());
    for case in cases {
        let path = case.to_str().unwrap();
        let run = spofsim(&["check", path, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let verdicts = v["scenarios"][0]["verdicts"].as_array().unwrap();
        assert!(verdicts.iter().any(|x| x["measure"] == "findings" && x["passed"] == true), "{path}: names no finding");
        let run = spofsim(&["analyze", path, "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let spofs = v["spofs"].as_array().unwrap();
        for s in spofs {
            let why = s["explanation"].as_str().unwrap();
            assert!(
                why.starts_with(&format!("{} fails → ", s["element"].as_str().unwrap())) && why.contains("→ service "),
                "{path}: {why}"
            );
        }
        // A hidden SPOF is one that defeats a redundancy the design meant to have.
        assert!(
            spofs.is_empty() || spofs.iter().any(|s| !s["defeats"].as_array().unwrap().is_empty()),
            "{path}: no SPOF defeats a redundancy"
        );
    }
}

/// `check scenarios/` covers every mechanism: each kind in the registry is used by
/// at least one library scenario.
#[test]
fn library_uses_every_mechanism() {
    let texts: Vec<String> =
        library().iter().map(|p| std::fs::read_to_string(crate::harness::root().join(p)).unwrap()).collect();
    let missing: Vec<&str> = sim_core::mechanisms::all()
        .map(|k| k.info().name)
        .filter(|&k| !["service", "site", "entry"].contains(&k))
        .filter(|&k| {
            // Kinds with a shorthand or a section of their own are used that way.
            let written = match k {
                "process" => "\"runs\"".to_string(),
                "nic" => "\"nics\"".to_string(),
                "bond" => "\"bond\": {".to_string(),
                "disk" => "\"disk_count\"".to_string(),
                "link" => "\"links\"".to_string(),
                "monitor" => "\"monitors\"".to_string(),
                "backup" => "\"backups\"".to_string(),
                "array-controller" => "\"controllers\"".to_string(),
                _ => format!("\"kind\": \"{k}\""),
            };
            !texts.iter().any(|t| t.contains(&written))
        })
        .collect();
    assert!(missing.is_empty(), "no library scenario uses: {missing:?}");
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

/// One drill scenario per mechanism, run with no random failures. Each file lists every
/// period its services are not fully up, in order, with exact durations:
/// `// expect-outage: SERVICE down|degraded@FRACTION DURATION MECHANISM`, and may check a
/// figure: `// expect-field: SERVICE FIELD VALUE`. The text report is a snapshot.
#[test]
fn drills_give_exact_outage_timings() {
    let cases = files("tests/cases/drills", "jsonc");
    assert!(cases.len() >= 12, "one drill scenario per mechanism");
    for case in cases {
        let path = case.to_str().unwrap();
        let text = std::fs::read_to_string(crate::harness::root().join(&case)).unwrap();
        let run =
            spofsim(&["simulate", path, "--drills-only", "--years", "1", "--replications", "1", "--format", "json"]);
        assert_eq!(run.code, 0, "{path}: {}", run.stderr);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let mut actual = Vec::new();
        for s in v["services"].as_array().unwrap() {
            // A replay of the drills has nothing random to bound: no interval, and why.
            assert_eq!(s["availability_ci95"], serde_json::Value::Null, "{path}");
            assert_eq!(s["full_service_ci95"], serde_json::Value::Null, "{path}");
            assert_eq!(s["ci95_na"], "drills only", "{path}");
            for i in s["timeline"].as_array().unwrap() {
                let secs = i["end_secs"].as_f64().unwrap() - i["start_secs"].as_f64().unwrap();
                let state = match i["state"].as_str().unwrap() {
                    "down" => "down".to_string(),
                    other => format!("{other}@{}", i["fraction"].as_f64().unwrap()),
                };
                actual.push((
                    s["name"].as_str().unwrap().to_string(),
                    state,
                    secs,
                    i["mechanism"].as_str().unwrap().to_string(),
                ));
            }
        }
        let expected: Vec<(String, String, f64, String)> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("// expect-outage:"))
            .map(|l| {
                let words: Vec<&str> = l.split_whitespace().collect();
                let secs = sim_core::units::parse_duration(words[2]).unwrap_or_else(|e| panic!("{path}: {}", e.0)).secs;
                (words[0].to_string(), words[1].to_string(), secs, words[3..].join(" "))
            })
            .collect();
        // Services in any order; each one's periods in time order.
        let mut expected = expected;
        expected.sort_by(|a, b| a.0.cmp(&b.0));
        actual.sort_by(|a, b| a.0.cmp(&b.0));
        let show = |xs: &[(String, String, f64, String)]| {
            xs.iter().map(|(s, st, d, m)| format!("{s} {st} {d}s {m}")).collect::<Vec<_>>().join("\n")
        };
        let same = actual.len() == expected.len()
            && actual
                .iter()
                .zip(&expected)
                .all(|(a, e)| a.0 == e.0 && a.1 == e.1 && (a.2 - e.2).abs() < 1e-6 && a.3 == e.3);
        assert!(same, "{path}: outages\n--- expected\n{}\n--- actual\n{}", show(&expected), show(&actual));
        for l in text.lines().filter_map(|l| l.trim().strip_prefix("// expect-field:")) {
            let words: Vec<&str> = l.split_whitespace().collect();
            let service = v["services"].as_array().unwrap().iter().find(|s| s["name"] == words[0]).unwrap();
            let want: f64 = words[2].parse().unwrap();
            let got = service[words[1]].as_f64().unwrap_or_else(|| panic!("{path}: no field {}", words[1]));
            assert!((got - want).abs() < 1e-6, "{path}: {} {} = {got}, expected {want}", words[0], words[1]);
        }
        let report = spofsim(&["simulate", path, "--drills-only", "--years", "1", "--replications", "1"]);
        expect_file(&case.with_extension("timeline"), &report.stdout);
    }
}

/// `scenarios/README.md` indexes the whole library: every file, with its description.
#[test]
fn library_index_lists_every_scenario() {
    let index = std::fs::read_to_string(crate::harness::root().join("scenarios/README.md")).unwrap();
    for case in library() {
        let rel = case.strip_prefix("scenarios").unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(crate::harness::root().join(&case)).unwrap();
        let description = text
            .lines()
            .find_map(|l| l.trim().strip_prefix("\"description\": \""))
            .and_then(|l| l.strip_suffix("\","))
            .unwrap_or_else(|| panic!("{rel}: no description line"));
        assert!(
            index.contains(&format!("[`{rel}`]({rel}) | {description} |")),
            "scenarios/README.md does not list {rel} with its description"
        );
    }
}

/// Every output format of `check`, `analyze` and `simulate`, on the bundled library,
/// kept as golden files in `tests/golden/formats/` (all are deterministic).
#[test]
fn every_format_matches_its_golden_output() {
    let dir = std::path::Path::new("tests/golden/formats");
    for (format, ext) in [
        ("text", "txt"),
        ("json", "json"),
        ("markdown", "md"),
        ("junit", "xml"),
        ("sarif", "sarif"),
        ("github", "github"),
    ] {
        let check = spofsim(&["--color", "never", "check", "scenarios/", "--format", format]);
        assert_eq!(check.code, 0, "check --format {format}: {}", check.stderr);
        expect_file(&dir.join(format!("check.{ext}")), &check.stdout);
        let analyze = spofsim(&["analyze", "scenarios/full-single-site.jsonc", "--format", format]);
        assert_eq!(analyze.code, 0, "analyze --format {format}: {}", analyze.stderr);
        expect_file(&dir.join(format!("analyze-full-single-site.{ext}")), &analyze.stdout);
    }
    for (format, ext) in [("text", "txt"), ("json", "json"), ("markdown", "md")] {
        let args = ["simulate", "scenarios/shop-two-tier.jsonc", "--years", "20", "--replications", "4", "-q"];
        let run = spofsim(&[&args[..], &["--format", format]].concat());
        assert_eq!(run.code, 0, "simulate --format {format}: {}", run.stderr);
        expect_file(&dir.join(format!("simulate-shop-two-tier.{ext}")), &run.stdout);
    }
}

/// Figures derived independently (tests/oracles/DERIVATIONS.md: closed forms, Markov
/// chains solved in exact rationals, enumeration), pinned by two-sided targets to 1e-9
/// relative in unavailability: series, parallel, majority quorum with a partition,
/// votes per node, RAID rebuild windows and hot spares, cold standby with one crew, two
/// running servers sharing one crew, a UPS battery, two VRRP groups over one router
/// pair, Fibre Channel beside Ethernet, the tier chain's SPOFs, and tiers that need k ≥ 2
/// members on chains.
#[test]
fn exact_figures_match_their_independent_derivations() {
    let dir = crate::harness::root().join("tests/cases/exact");
    let mut cases: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.path()).collect();
    cases.sort();
    assert!(cases.len() >= 10, "{} cases", cases.len());
    for case in cases {
        let path = case.strip_prefix(crate::harness::root()).unwrap().to_str().unwrap().to_string();
        let run = spofsim(&["check", &path, "--format", "json"]);
        assert_eq!(run.code, 0, "{path}: check failed\n{}{}", run.stdout, run.stderr);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let verdicts = v["scenarios"][0]["verdicts"].as_array().unwrap();
        assert!(
            verdicts.iter().any(|x| x["measure"] == "availability_between" || x["measure"] == "spofs"),
            "{path}: pins nothing"
        );
        assert!(verdicts.iter().all(|x| x["passed"] == true), "{path}: {verdicts:?}");
    }
}
