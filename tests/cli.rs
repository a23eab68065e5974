//! Command-line behaviour: exit codes, streams, colour, help and version, export.

use crate::harness::{expect_file, spofsim, spofsim_env};

const GOOD: &str = "scenarios/shop-two-tier.jsonc";
const BAD: &str = "tests/cases/malformed/unknown-id.jsonc";

#[test]
fn version_and_help() {
    let run = spofsim(&["--version"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, concat!("spofsim ", env!("CARGO_PKG_VERSION"), "\n")));
    let run = spofsim(&["--help"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("Examples:") && run.stdout.contains("Exit status: 0 ok, 1 findings"), "{}", run.stdout);
    for sub in ["validate", "schema", "export"] {
        let run = spofsim(&[sub, "--help"]);
        assert!(run.code == 0 && run.stdout.contains("Example"), "{sub}: {}", run.stdout);
    }
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(spofsim(&["frobnicate"]).code, 2);
    assert_eq!(spofsim(&["validate"]).code, 2);
    assert_eq!(spofsim(&["export", GOOD, "--to", "png"]).code, 2);
}

#[test]
fn every_file_is_reported_and_one_bad_file_fails_the_run() {
    let run = spofsim(&["--color", "never", "validate", GOOD, "does/not/exist.jsonc", BAD]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.contains(&format!("ok    {GOOD}")), "{}", run.stdout);
    assert!(run.stdout.contains(&format!("error {BAD}: 1 error(s)")), "{}", run.stdout);
    assert!(run.stderr.contains("error: does/not/exist.jsonc: No such file or directory"), "{}", run.stderr);
    assert!(run.stderr.ends_with("1 valid, 2 invalid\n"), "{}", run.stderr);
}

/// `check` on an invalid scenario exits 2 and its summary says the file was not
/// checked, rather than reading as a clean "0 failed" under an empty table.
#[test]
fn check_says_an_invalid_scenario_was_not_checked() {
    let run = spofsim(&["--color", "never", "check", BAD]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("1 scenario(s), 1 invalid and not checked"), "{}", run.stdout);
    assert!(!run.stdout.contains("verdict  service"), "{}", run.stdout);
}

#[test]
fn colour_follows_flag_and_no_color() {
    let ansi = spofsim(&["--color", "always", "validate", BAD]);
    assert!(ansi.stderr.contains("\u{1b}["), "{}", ansi.stderr);
    // Not a terminal: auto is plain; NO_COLOR keeps it plain too.
    let auto = spofsim_env(&["validate", BAD], &[("NO_COLOR", "1")]);
    assert!(!auto.stderr.contains("\u{1b}["), "{}", auto.stderr);
    assert_eq!(auto.stderr, spofsim(&["--color", "never", "validate", BAD]).stderr);
}

#[test]
fn json_report_is_machine_readable() {
    let run = spofsim(&["validate", "--format", "json", GOOD, BAD]);
    assert_eq!(run.code, 2);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("stdout is JSON");
    assert_eq!(v["spofsim"], env!("CARGO_PKG_VERSION"));
    assert_eq!(v["files"][0]["valid"], true);
    assert_eq!(v["files"][0]["model"]["services"], 1);
    let d = &v["files"][1]["diagnostics"][0];
    assert_eq!((d["code"].as_str(), d["line"].as_u64(), d["column"].as_u64()), (Some("E301"), Some(5), Some(44)));
    assert_eq!(d["message"], "unknown id \"pdu-c\"");
    assert_eq!(d["help"], "did you mean `pdu-a`?");
}

#[test]
fn export_dot_renders_with_graphviz() {
    let run = spofsim(&["export", GOOD, "--to", "dot"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.starts_with("digraph \"shop-two-tier\" {"));
    assert!(run.stdout.contains("subgraph") || !run.stdout.contains("site"), "sites are clusters");
    let dot = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = dot else {
        assert!(std::env::var_os("SPOFSIM_REQUIRE_GRAPHVIZ").is_none(), "graphviz `dot` is required (CI installs it)");
        eprintln!("skipped: graphviz `dot` not installed");
        return;
    };
    use std::io::Write;
    child.stdin.take().unwrap().write_all(run.stdout.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "dot failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "dot warned: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
}

/// Diagrams mark every SPOF `analyze` reports (red; accepted ones orange) and fold a
/// server's parts into it unless `--expand`.
#[test]
fn diagrams_mark_spofs_and_fold_server_parts() {
    let file = "scenarios/anti-patterns/two-switches-one-pdu.jsonc";
    let analysis: serde_json::Value =
        serde_json::from_str(&spofsim(&["analyze", file, "--format", "json"]).stdout).unwrap();
    let spofs: Vec<&str> =
        analysis["spofs"].as_array().unwrap().iter().map(|s| s["element"].as_str().unwrap()).collect();
    assert!(!spofs.is_empty());
    let dot = spofsim(&["export", file, "--to", "dot"]).stdout;
    let mermaid = spofsim(&["export", file, "--to", "mermaid"]).stdout;
    for spof in &spofs {
        let node = dot.lines().find(|l| l.trim_start().starts_with(&format!("\"{spof}\" [label="))).unwrap();
        let label_end = dot[dot.find(node).unwrap()..].find("];").unwrap();
        let whole = &dot[dot.find(node).unwrap()..][..label_end];
        assert!(whole.contains("SPOF") && whole.contains("color=\"#d00000\""), "{spof} not marked: {whole}");
        assert!(mermaid.contains(&format!("{spof}<br/><small>")), "{spof} missing from mermaid");
    }
    assert!(mermaid.contains("classDef spof"), "{mermaid}");
    // Folded: parts are named on their server, not drawn as nodes.
    assert!(!dot.contains("\"web-1/psu-1\" [label=") && dot.contains("\"web-1\" [label=\"web-1\nserver\n+ "), "{dot}");
    let expanded = spofsim(&["export", file, "--to", "dot", "--expand"]).stdout;
    assert!(expanded.contains("\"web-1/psu-1\" [label="), "{expanded}");
    assert!(expanded.lines().count() > dot.lines().count());
    // An accepted SPOF is drawn apart from an open one.
    let accepted = spofsim(&["export", "scenarios/full-single-site.jsonc", "--to", "mermaid"]).stdout;
    assert!(accepted.contains("SPOF (accepted)") && accepted.contains("classDef accepted"), "{accepted}");
}

#[test]
fn export_mermaid_and_invalid_input() {
    let run = spofsim(&["export", GOOD, "--to", "mermaid"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.starts_with("flowchart TB\n") && run.stdout.contains("---|"), "{}", run.stdout);
    let run = spofsim(&["--color", "never", "export", BAD, "--to", "dot"]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert!(run.stderr.contains("unknown id"));
}

#[test]
fn blast_radius_of_a_set_of_components() {
    let run = spofsim(&["blast", "scenarios/full-single-site.jsonc", "sw-1", "sw-2", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["failed"], serde_json::json!(["sw-1", "sw-2"]));
    // With both switches gone no NIC reaches a gateway its ARP monitor probes: the
    // bonds stop too.
    assert_eq!(v["down_groups"], serde_json::json!(["ap-1/bond", "ap-2/bond", "core"]));
    assert_eq!(v["services_down"][0]["service"], "shop");
    assert!(v["defeats"].as_array().unwrap().iter().any(|d| d == "stp core: sw-1 and sw-2 down together"));
    assert!(v["view"].as_str().unwrap().contains("is not shown: a drill measures it"), "{}", v["view"]);
    // One PDU is survivable in the reference design (it takes fw-1; the pools cross the
    // firewall pair, so fw-2 carries them).
    let run = spofsim(&["blast", "scenarios/full-single-site.jsonc", "pdu-a"]);
    assert!(
        run.stdout.contains("services: all still up") && run.stdout.contains("down with it (18)"),
        "{}",
        run.stdout
    );
    // "All still up" is the state after failover; the output says the failover's own
    // outage is not in it, and how to measure it.
    assert!(run.stdout.contains("view: the state once failover has completed"), "{}", run.stdout);
    assert!(run.stdout.contains("--drills-only"), "{}", run.stdout);
    let run = spofsim(&["blast", "scenarios/full-single-site.jsonc", "sw-3"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("no component, link or site named \"sw-3\"; did you mean `sw-1`?"), "{}", run.stderr);
}

/// A cut between two gateways' switches leaves every service up once failover is
/// over, but both routers master: blast says so, and points at the drill the scenario
/// already has (the drill's figures are in tests/cases/drills/*.timeline).
#[test]
fn blast_names_two_masters_and_the_drill_to_run() {
    let file = "tests/cases/drills/vrrp-partition-heals-election.jsonc";
    let run = spofsim(&["blast", file, "sw1~sw2", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["services_down"], serde_json::json!([]));
    assert_eq!(v["two_masters"], serde_json::json!(["hsrp gw-a: r1 | r2"]));
    let view = v["view"].as_str().unwrap();
    // Its drill runs beside the other pair's (sw3~sw4 at the same time): said so.
    assert!(view.contains("the scenario's `drills` already fail sw1~sw2, though together with sw3~sw4"), "{view}");
    assert!(view.contains("--drills-only`)"), "{view}");
    // A member's own switch puts it in FAULT (Init): one master, not two.
    let run = spofsim(&["blast", file, "sw1", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["two_masters"], serde_json::json!([]));
    // Not drilled: the advice is to add a drill.
    let run = spofsim(&["blast", file, "internet~r2"]);
    assert!(run.stdout.contains("add one that fails internet~r2 to the scenario's `drills`"), "{}", run.stdout);
}

#[test]
fn analyze_reports_spofs_availability_and_lints() {
    let run = spofsim(&["analyze", GOOD, "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(v["version"], 1);
    let spofs: Vec<&str> = v["spofs"].as_array().unwrap().iter().map(|s| s["element"].as_str().unwrap()).collect();
    assert_eq!(spofs, ["gw", "internet~gw"]);
    let r = &v["results"][0];
    assert_eq!(r["cut_sets"]["counts_by_order"]["1"], 2);
    let a = r["availability"].as_f64().unwrap();
    assert!((a - (1.0 - r["unavailability"].as_f64().unwrap())).abs() < 1e-15);
    assert!(r["downtime_per_year_secs"].as_f64().unwrap() > 0.0);
    let codes: Vec<&str> = v["lints"].as_array().unwrap().iter().map(|l| l["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"SPOF-L010"), "{codes:?}");
    let text = spofsim(&["analyze", GOOD]).stdout;
    assert!(text.contains("nines") && text.contains("down per year") && text.contains("assumptions:"), "{text}");
}

/// `check`: exit codes, and each format's output kept as a snapshot.
#[test]
fn check_gates_ci_in_every_format() {
    let holds = "tests/cases/check/holds.jsonc";
    let fails = "tests/cases/check/fails.jsonc";
    assert_eq!(spofsim(&["check", holds]).code, 0);
    assert_eq!(spofsim(&["check", fails]).code, 1);
    assert_eq!(spofsim(&["check", holds, fails]).code, 1);
    assert_eq!(spofsim(&["--color", "never", "check", holds, BAD]).code, 2, "invalid input wins");
    // A report read apart from the terminal (a CI's JUnit, a Markdown summary, JSON)
    // carries the errors themselves, with file, line and column.
    for format in ["json", "markdown", "junit"] {
        let run = spofsim(&["--color", "never", "check", BAD, "--format", format]);
        assert_eq!(run.code, 2, "{format}");
        assert!(run.stdout.contains("unknown-id.jsonc:5:44: error[E301]: unknown id"), "{format}: {}", run.stdout);
    }
    // A warning-level lint fails the run only when asked to.
    assert_eq!(spofsim(&["check", "scenarios/anti-patterns/db-pair-one-array.jsonc"]).code, 0);
    assert_eq!(spofsim(&["check", "scenarios/anti-patterns/db-pair-one-array.jsonc", "--fail-on", "warning"]).code, 1);
    for (format, ext) in [("text", "txt"), ("json", "json"), ("markdown", "md"), ("junit", "xml")] {
        let run = spofsim(&["check", "tests/cases/check/", "--format", format]);
        assert_eq!(run.code, 1, "{format}: {}", run.stderr);
        // Kept outside the scanned folder, or check would load them as scenarios.
        expect_file(std::path::Path::new(&format!("tests/cases/check-reports/report.{ext}")), &run.stdout);
    }
    let junit = spofsim(&["check", "tests/cases/check/", "--format", "junit"]).stdout;
    let doc = roxmltree::Document::parse(&junit).expect("JUnit is XML");
    let root = doc.root_element();
    assert_eq!((root.attribute("tests"), root.attribute("failures")), (Some("14"), Some("5")));
    let failure = doc.descendants().find(|n| n.has_tag_name("failure")).unwrap();
    assert!(failure.attribute("message").unwrap().starts_with("target "), "{junit}");
    // --output writes the report and keeps the human table on stderr.
    let out = std::env::temp_dir().join(format!("spofsim-check-{}.json", std::process::id()));
    let run = spofsim(&["check", "tests/cases/check/", "--format", "json", "--output", out.to_str().unwrap()]);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("9 passed, 5 failed"), "{}", run.stderr);
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["version"], 1);
    let _ = std::fs::remove_file(out);
    // --years/--replications/--seed size the simulation behind simulated verdicts; the
    // report says which run it was.
    let shop = "scenarios/shop-two-tier.jsonc";
    let run = spofsim(&["check", shop, "--years", "7", "--replications", "3", "--seed", "5", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!((v["simulation"]["years"].as_u64(), v["simulation"]["replications"].as_u64()), (Some(7), Some(3)));
    assert_eq!(v["simulation"]["seed"].as_u64(), Some(5));
    let rpo = v["scenarios"][0]["verdicts"].as_array().unwrap().iter().find(|x| x["measure"] == "max_rpo").unwrap();
    assert!(rpo["measured"].as_str().unwrap().ends_with("in 21 simulated years, seed 5)"), "{rpo}");
    assert_eq!(spofsim(&["check", shop, "--years", "0"]).code, 2, "a run of no years is a usage error");
}

/// In GitHub Actions, `check` annotates files and lines and writes the step summary.
#[test]
fn check_speaks_github_actions() {
    let summary = std::env::temp_dir().join(format!("spofsim-summary-{}.md", std::process::id()));
    let env = [("GITHUB_ACTIONS", "true"), ("GITHUB_STEP_SUMMARY", summary.to_str().unwrap())];
    let run = spofsim_env(&["check", "tests/cases/check/"], &env);
    assert_eq!(run.code, 1);
    crate::harness::expect_file(std::path::Path::new("tests/cases/check-reports/report.github"), &run.stdout);
    assert!(run.stdout.contains("::error file=tests/cases/check/fails.jsonc,line=11,col=28,title=spofsim site max_spofs::site max_spofs: target ≤ 0, measured 6"), "{}", run.stdout);
    assert!(run.stdout.contains("%25"), "percent signs are escaped: {}", run.stdout);
    let written = std::fs::read_to_string(&summary).expect("step summary written");
    assert!(written.starts_with("## spofsim check"), "{written}");
    let _ = std::fs::remove_file(summary);
}

/// Same seed, same bytes: for 1 and 2 threads, and for shards merged later.
#[test]
fn simulate_is_deterministic_across_threads_and_shards() {
    let file = "scenarios/shop-two-tier.jsonc";
    let base = ["simulate", file, "--years", "20", "--replications", "6", "--seed", "9", "--format", "json", "-q"];
    let one = spofsim(&[&base[..], &["--threads", "1"]].concat());
    let two = spofsim(&[&base[..], &["--threads", "2"]].concat());
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(one.stdout, two.stdout);
    let v: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    assert_eq!(v["format"], "spofsim-simulate");
    assert_eq!(v["seed"], 9);
    assert!(v["scenario_hash"].as_str().unwrap().starts_with("fnv1a64:"));
    let dir = std::env::temp_dir().join(format!("spofsim-shards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut shards = Vec::new();
    for i in 0..3 {
        let out = dir.join(format!("shard-{i}.json"));
        let out_s = out.to_str().unwrap().to_string();
        let shard = format!("{i}/3");
        let run = spofsim(&[&base[..], &["--shard", &shard, "--output", &out_s]].concat());
        assert_eq!(run.code, 0, "{}", run.stderr);
        shards.push(out_s);
    }
    // Shards in any order.
    let merged = spofsim(&["merge", &shards[2], &shards[0], &shards[1], "--format", "json"]);
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    assert_eq!(merged.stdout, one.stdout);
    // A missing shard and a shard from another run are refused, each named.
    let missing = spofsim(&["merge", &shards[0], &shards[1]]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("missing shards: 2/3"), "{}", missing.stderr);
    let other = dir.join("other.json");
    let other_s = other.to_str().unwrap();
    let run = spofsim(&[
        "simulate",
        file,
        "--years",
        "20",
        "--replications",
        "6",
        "--seed",
        "10",
        "--shard",
        "2/3",
        "--output",
        other_s,
        "-q",
    ]);
    assert_eq!(run.code, 0);
    let mixed = spofsim(&["merge", &shards[0], &shards[1], other_s]);
    assert_eq!(mixed.code, 2);
    assert!(mixed.stderr.contains("other.json: from a different run"), "{}", mixed.stderr);
    assert!(mixed.stderr.contains("seed 10 vs"), "names what differs: {}", mixed.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `simulate --rare-event`: same seed, same bytes on 1 and 2 threads and from shards
/// merged in any order; the report names its estimator and the pilot's choice; a
/// design with Weibull lifetimes is refused with the elements named.
#[test]
fn rare_event_runs_are_deterministic_and_shard_like_crude_ones() {
    let file = "scenarios/servers/lb-pair.jsonc";
    let base = ["simulate", file, "--rare-event", "--cycles", "3500", "--seed", "4", "--format", "json", "-q"];
    let one = spofsim(&[&base[..], &["--threads", "1"]].concat());
    let two = spofsim(&[&base[..], &["--threads", "2"]].concat());
    assert_eq!(one.code, 0, "{}", one.stderr);
    assert_eq!(one.stdout, two.stdout);
    let v: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    assert_eq!(v["format"], "spofsim-rare-event");
    assert_eq!(v["cycles"], 3500);
    assert_eq!(v["batches"], 4);
    assert!(v["estimator"].as_str().unwrap().contains("regenerative importance sampling"));
    assert!(v["force_cap"].as_f64().unwrap() > 0.0);
    let dir = std::env::temp_dir().join(format!("spofsim-rare-shards-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let shards: Vec<String> = (0..3)
        .map(|i| {
            let out = dir.join(format!("shard-{i}.json")).to_str().unwrap().to_string();
            let shard = format!("{i}/3");
            let run = spofsim(&[&base[..], &["--shard", &shard, "--output", &out]].concat());
            assert_eq!(run.code, 0, "{}", run.stderr);
            out
        })
        .collect();
    let merged = spofsim(&["merge", &shards[1], &shards[2], &shards[0], "--format", "json"]);
    assert_eq!(merged.code, 0, "{}", merged.stderr);
    assert_eq!(merged.stdout, one.stdout);
    // A shard of a run with another cycle count: the error names the difference.
    let other = dir.join("other-cycles.json").to_str().unwrap().to_string();
    let mut other_run = base.to_vec();
    other_run[4] = "7000";
    let run = spofsim(&[&other_run[..], &["--shard", "2/3", "--output", &other]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mixed = spofsim(&["merge", &shards[0], &shards[1], &other]);
    assert_eq!(mixed.code, 2);
    assert!(mixed.stderr.contains("--cycles 7000 vs 3500"), "{}", mixed.stderr);
    let markdown = spofsim(&[&base[..7], &["--format", "markdown", "-q"]].concat());
    assert!(markdown.stdout.contains("Force cap "), "{}", markdown.stdout);
    let text = spofsim(&["simulate", file, "--rare-event", "--cycles", "2000", "-q"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    assert!(text.stdout.contains("unavailability   "), "{}", text.stdout);
    assert!(text.stdout.contains("(pilot)"), "{}", text.stdout);
    let weibull = dir.join("weibull.jsonc");
    std::fs::write(
        &weibull,
        r#"{ "components": { "internet": { "kind": "entry" },
             "w": { "kind": "server", "mtbf": "1y", "mttr": "4h", "distribution": { "weibull": { "shape": 1.5 } } } },
           "links": [ { "between": ["internet", "w"] } ],
           "services": { "s": { "from": "internet", "through": ["w"] } } }"#,
    )
    .unwrap();
    let refused = spofsim(&["simulate", weibull.to_str().unwrap(), "--rare-event", "-q"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("w: Weibull"), "{}", refused.stderr);
    let conflict = spofsim(&["simulate", file, "--rare-event", "--years", "5"]);
    assert_eq!(conflict.code, 2, "{}", conflict.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn simulate_rejects_bad_flags_and_empty_drills() {
    let bad = spofsim(&["simulate", "scenarios/shop-two-tier.jsonc", "--shard", "3/3"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("expected i/n with 0 <= i < n"), "{}", bad.stderr);
    let none = spofsim(&["simulate", "scenarios/shop-two-tier.jsonc", "--drills-only"]);
    assert_eq!(none.code, 2);
    assert!(none.stderr.contains("has no drills"), "{}", none.stderr);
}

#[test]
fn explain_prints_meaning_rationale_fix_and_example() {
    let list = spofsim(&["explain"]);
    assert_eq!(list.code, 0);
    let codes: Vec<&str> = list.stdout.lines().map(|l| l.split_whitespace().next().unwrap()).collect();
    assert!(codes.len() >= 18 && codes.windows(2).all(|w| w[0] < w[1]), "{codes:?}");
    for code in codes {
        let run = spofsim(&["explain", code]);
        assert_eq!(run.code, 0, "{code}");
        for part in ["Why it matters", "How to fix it", "Example"] {
            assert!(run.stdout.contains(part), "{code}: no {part}\n{}", run.stdout);
        }
        let sources = sim_core::explain::CITED_SOURCES;
        assert!(sources.iter().any(|s| run.stdout.contains(s)), "{code}: no source");
    }
    expect_file(
        std::path::Path::new("tests/cases/explain/raid-no-spare.txt"),
        &spofsim(&["explain", "raid-no-spare"]).stdout,
    );
    // Diagnostic codes explain themselves too (a warning prints W501).
    let warning = spofsim(&["explain", "W501"]);
    assert!(warning.code == 0 && warning.stdout.contains("Why it matters"), "{}", warning.stderr);
    let unknown = spofsim(&["explain", "SPOF-L999"]);
    assert_eq!(unknown.code, 2);
    assert!(unknown.stderr.contains("known codes: E101") && unknown.stderr.contains("SPOF-L001"), "{}", unknown.stderr);
}

/// SARIF 2.1.0, validated against the OASIS schema (tests/data/sarif/), with every
/// failed expectation, SPOF and lint located by file, line and column.
#[test]
fn check_sarif_validates_against_the_schema() {
    let run = spofsim(&["check", "tests/cases/check/", "scenarios/", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    // `analyze --format sarif` shares the renderer; it must validate too.
    let analyzed = spofsim(&["analyze", "scenarios/full-single-site.jsonc", "--format", "sarif"]);
    let analyzed: serde_json::Value = serde_json::from_str(&analyzed.stdout).unwrap();
    let schema_text =
        std::fs::read_to_string(crate::harness::root().join("tests/data/sarif/sarif-2.1.0-rtm.5.json")).unwrap();
    // The published schema's `run.language` pattern has a stray `]`, which the validator's
    // regex dialect rejects when it checks the schema itself; use its evident intent.
    let schema_text = schema_text.replace(r"^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$", r"^[a-zA-Z]{2}(-[a-zA-Z]{2})?$");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema compiles");
    let errors: Vec<String> = [&sarif, &analyzed]
        .into_iter()
        .flat_map(|doc| {
            validator.iter_errors(doc).map(|e| format!("{} at {}", e, e.instance_path())).collect::<Vec<_>>()
        })
        .collect();
    assert!(errors.is_empty(), "SARIF does not validate:\n{}", errors.join("\n"));
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let rules: Vec<&str> = results.iter().map(|r| r["ruleId"].as_str().unwrap()).collect();
    for code in ["SPOF-X001", "SPOF-S001", "SPOF-L012"] {
        assert!(rules.contains(&code), "no {code} result in {rules:?}");
    }
    for r in results {
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1 && region["startColumn"].as_u64().unwrap() >= 1);
        let index = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(sarif["runs"][0]["tool"]["driver"]["rules"][index]["id"], r["ruleId"]);
    }
    expect_file(
        std::path::Path::new("tests/cases/check-reports/report.sarif"),
        &spofsim(&["check", "tests/cases/check/", "--format", "sarif"]).stdout,
    );
}

/// docs/RULES.md is `spofsim explain --markdown`, so the SARIF help links never rot.
#[test]
fn rules_doc_is_generated() {
    let run = spofsim(&["explain", "--markdown"]);
    assert_eq!(run.code, 0);
    expect_file(std::path::Path::new("docs/RULES.md"), &run.stdout);
}

/// Accepted findings keep their reason in every report and fail nothing; a stale
/// suppression is reported.
#[test]
fn suppressed_findings_are_shown_with_their_reason_and_fail_nothing() {
    let file = "tests/cases/suppress/accepted.jsonc";
    let text = spofsim(&["check", file, "--fail-on", "warning"]);
    assert_eq!(text.code, 0, "{}{}", text.stdout, text.stderr);
    for part in [
        "0 (+1 accepted)",
        "accepted SPOF-S001 [single-point-of-failure] gw (reason: the ISP's managed router",
        "accepted SPOF-L012 [unmonitored]",
        "suppression of SPOF-L009 data matches no finding",
    ] {
        assert!(text.stdout.contains(part), "no {part:?} in\n{}", text.stdout);
    }
    let json: serde_json::Value = serde_json::from_str(&spofsim(&["check", file, "--format", "json"]).stdout).unwrap();
    let scenario = &json["scenarios"][0];
    assert_eq!(scenario["accepted_spofs"][0]["element"], "gw");
    assert!(scenario["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| !f["suppressed"].is_null() && f["fails_run"] == false));
    let sarif: serde_json::Value =
        serde_json::from_str(&spofsim(&["check", file, "--format", "sarif"]).stdout).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(results.iter().all(|r| r["suppressions"][0]["kind"] == "inSource"), "{results:?}");
    let github = spofsim_env(&["check", file, "--format", "github"], &[("GITHUB_STEP_SUMMARY", "/dev/null")]);
    assert!(
        github.stdout.contains("::notice") && github.stdout.contains("accepted: monitored by the NOC"),
        "{}",
        github.stdout
    );
    // Without the suppression the same design fails.
    let bare = std::fs::read_to_string(crate::harness::root().join(file)).unwrap();
    let bare =
        bare.replace(r#"{ "code": "SPOF-S001", "subject": "gw","#, r#"{ "code": "SPOF-S001", "subject": "nothing","#);
    let path = std::env::temp_dir().join(format!("spofsim-unsuppressed-{}.jsonc", std::process::id()));
    std::fs::write(&path, bare).unwrap();
    assert_eq!(spofsim(&["check", path.to_str().unwrap()]).code, 1);
    let _ = std::fs::remove_file(path);
}

/// With `--baseline`, only findings new since the baseline report fail the run.
#[test]
fn baseline_fails_only_on_new_findings() {
    let dir = std::env::temp_dir().join(format!("spofsim-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let scenario = dir.join("design.jsonc");
    let design = |raids: &str| {
        format!(
            r#"{{ "name": "b", "components": {{ "internet": {{ "kind": "entry" }}, "db": {{ "kind": "server" }} }},
                 "links": [{{ "between": ["internet", "db"] }}],
                 "groups": {{ {raids} }},
                 "services": {{ "s": {{ "from": "internet", "through": ["db"] }} }} }}"#
        )
    };
    let data = r#""data": { "kind": "raid", "level": 5, "in": "db", "disk_count": 4 }"#;
    std::fs::write(&scenario, design(data)).unwrap();
    let path = scenario.to_str().unwrap();
    let base = dir.join("baseline.json");
    let run = spofsim(&["check", path, "--format", "json", "--output", base.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let gated = ["check", path, "--fail-on", "warning"];
    assert_eq!(spofsim(&gated).code, 1, "the design has warnings");
    let known = spofsim(&[&gated[..], &["--baseline", base.to_str().unwrap()]].concat());
    assert_eq!(known.code, 0, "{}", known.stdout);
    assert!(known.stdout.contains("already in the baseline do not fail the run"), "{}", known.stdout);
    // A second RAID without a spare is new: it fails, and only it is listed as failing.
    let logs = r#""logs": { "kind": "raid", "level": 1, "in": "db", "disk_count": 2 }"#;
    std::fs::write(&scenario, design(&format!("{data}, {logs}"))).unwrap();
    let new = spofsim(&[&gated[..], &["--baseline", base.to_str().unwrap()]].concat());
    assert_eq!(new.code, 1, "{}", new.stdout);
    let failing: Vec<&str> = new.stdout.lines().filter(|l| l.contains(": warning SPOF-")).collect();
    assert_eq!(failing.len(), 1, "{}", new.stdout);
    assert!(failing[0].contains("logs"), "{}", failing[0]);
    let sarif = spofsim(&["check", path, "--format", "sarif", "--baseline", base.to_str().unwrap()]);
    assert!(
        sarif.stdout.contains(r#""baselineState": "new""#) && sarif.stdout.contains(r#""baselineState": "unchanged""#)
    );
    let bad = spofsim(&["check", path, "--baseline", path]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("not a `check --format json` report"), "{}", bad.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// The report folder: every plot as PNG and SVG (drawn with the embedded font), and one
/// self-contained index.html with the plots inlined.
#[test]
fn report_writes_plots_and_a_self_contained_page() {
    let dir = std::env::temp_dir().join(format!("spofsim-report-{}", std::process::id()));
    let run = spofsim(&[
        "report",
        "scenarios/shop-two-tier.jsonc",
        "--out",
        dir.to_str().unwrap(),
        "--years",
        "20",
        "--replications",
        "4",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let stems = ["availability", "timeline", "downtime-shop", "outages-shop", "attribution-shop"];
    for stem in stems {
        let png = std::fs::read(dir.join(format!("{stem}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 5_000, "{stem}.png is not a drawn PNG");
        let svg = std::fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap();
        assert!(svg.contains("<svg") && svg.contains("<text"), "{stem}.svg has no labels");
    }
    let html = std::fs::read_to_string(dir.join("index.html")).unwrap();
    // The topology is drawn (and inlined) when Graphviz is installed; its DOT is always written.
    let drawn = dir.join("topology.svg").exists();
    assert!(drawn || std::env::var_os("SPOFSIM_REQUIRE_GRAPHVIZ").is_none(), "graphviz is required in CI");
    assert_eq!(html.matches("<svg").count(), stems.len() + usize::from(drawn), "every plot inlined once");
    let dot = std::fs::read_to_string(dir.join("topology.dot")).unwrap();
    assert!(dot.contains("\"gw\" [label=\"gw\nrouter\n+ psu-1, psu-2\nSPOF\""), "the topology marks the SPOFs: {dot}");
    let timeline = std::fs::read_to_string(dir.join("timeline.svg")).unwrap();
    assert!(timeline.contains("Worst simulated year"), "the timeline shows the worst year");
    let availability = std::fs::read_to_string(dir.join("availability.svg")).unwrap();
    assert!(availability.contains("target (expect min_availability)"), "the target line has a legend");
    for part in
        ["Expectations", "Topology", "Single points of failure (2)", "Design lints", "Simulation", "seed 20261122"]
    {
        assert!(html.contains(part), "index.html lacks {part:?}");
    }
    assert!(!html.contains("<script") && !html.contains("src=\"http"), "index.html must open from disk alone");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `diff A B` in every format (snapshots), and `--fail-on-regression` in both directions.
#[test]
fn diff_reports_changes_and_gates_regressions() {
    let (before, after) = ("tests/cases/diff/before.jsonc", "tests/cases/diff/after.jsonc");
    for (format, ext) in [("text", "txt"), ("json", "json"), ("markdown", "md")] {
        let run = spofsim(&["diff", before, after, "--format", format]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        expect_file(std::path::Path::new(&format!("tests/cases/diff/diff.{ext}")), &run.stdout);
    }
    let better = spofsim(&["diff", before, after, "--fail-on-regression"]);
    assert_eq!(better.code, 0, "{}", better.stdout);
    assert!(better.stdout.contains("single points of failure: +0 -3"), "{}", better.stdout);
    let worse = spofsim(&["diff", after, before, "--fail-on-regression", "--format", "json"]);
    assert_eq!(worse.code, 1);
    let v: serde_json::Value = serde_json::from_str(&worse.stdout).unwrap();
    assert_eq!(v["spofs_added"], serde_json::json!(["gw", "gw~sw", "internet~gw"]));
    assert!(v["regressions"].as_array().unwrap().iter().any(|r| r == "site: availability down"));
    assert!(v["services"][0]["before"]["cut_sets_by_order"][1].is_u64(), "counts are numbers");
    // The pull-request comment lists each regression, not only their number.
    let worse_md = spofsim(&["diff", after, before, "--format", "markdown"]);
    expect_file(std::path::Path::new("tests/cases/diff/regressions.md"), &worse_md.stdout);
    assert!(worse_md.stdout.contains("- site: availability down"), "{}", worse_md.stdout);
}

/// `analyze` past its budget on a design with cold standby and one repair crew: the
/// CTMC gives U = 9.009e-3, above the static model's bounds (q² = 8.26e-3), so the
/// certified bounds are widened to hold it (0 and 1, as `check` and `diff` take them),
/// and the static model's are shown apart, with the reason.
#[test]
fn analyze_past_its_budget_widens_bounds_the_true_figure_could_leave() {
    let case = "tests/cases/exact/cold-standby-one-crew.jsonc";
    let json = spofsim(&["analyze", case, "--budget-secs", "1e-9", "--format", "json", "-q"]);
    assert_eq!(json.code, 0, "{}", json.stderr);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let service = v["results"].as_array().unwrap().iter().find(|s| s["name"] == "s").expect("service s").clone();
    let bounds = &service["bounds"];
    assert_eq!(bounds["unavailability_lower"].as_f64(), Some(0.0), "{bounds}");
    assert_eq!(bounds["unavailability_upper"].as_f64(), Some(1.0), "{bounds}");
    let true_u = 1.0 / 111.0; // ρ²/(1+ρ+ρ²), ρ = 0.1
    let static_upper = bounds["static_model"]["unavailability_upper"].as_f64().unwrap();
    assert!(static_upper < true_u, "the static model's upper bound leaves the true figure out: {bounds}");
    assert!(bounds["static_model"]["widened_because"].as_str().unwrap().contains("repair_crews"), "{bounds}");
    let text = spofsim(&["analyze", case, "--budget-secs", "1e-9", "-q"]);
    assert!(text.stdout.contains("  availability        between 0.000000% and 100.000000%\n"), "{}", text.stdout);
    assert!(text.stdout.contains("  static model        unavailability between "), "{}", text.stdout);
}

/// `diff` on a design whose exact analysis does not fit `--budget-secs`: certified bounds
/// stand in for the figure and say so, an unchanged design is no regression (same fault
/// tree), and a change the bounds cannot decide fails the gate, while the exact analysis
/// (default budget) shows that it is a real regression.
/// Past its budget, `analyze` prints certified bounds that still hold with the UPS
/// batteries the static model does not credit: on a one-site three-tier design the exact
/// figure (its battery module solved, DERIVATIONS case 4) lies inside them, below the
/// static model's own lower bound, and the certified lower bound stays near it instead
/// of dropping to 0.
#[test]
fn bounds_past_the_budget_hold_with_ups_batteries_and_stay_tight() {
    let dir = std::env::temp_dir().join(format!("spofsim-bounds-ups-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let generated = spofsim(&["generate", "three-tier", "--sites", "1", "--racks", "1", "--servers-per-rack", "6"]);
    assert_eq!(generated.code, 0, "{}", generated.stderr);
    let file = dir.join("tt.json");
    std::fs::write(&file, &generated.stdout).unwrap();
    let path = file.to_str().unwrap();
    let json = |extra: &[&str]| {
        let mut args = vec!["analyze", path, "--format", "json", "-q", "--no-importance"];
        args.extend(extra);
        let run = spofsim(&args);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap_or_else(|_| panic!("{}", run.stdout));
        v["results"][0].clone()
    };
    let exact = json(&[]);
    let exact_u = exact["unavailability"].as_f64().expect("an exact figure within the default budget");
    let bounded = json(&["--budget-secs", "0.01"]);
    let b = &bounded["bounds"];
    let (lower, upper) = (b["unavailability_lower"].as_f64().unwrap(), b["unavailability_upper"].as_f64().unwrap());
    assert!(lower <= exact_u && exact_u <= upper, "{exact_u:e} not in [{lower:e}, {upper:e}]");
    // The site is a SPOF (3.83e-4 of the 3.84e-4), so the lower bound holds most of it
    // however early the budget stops the enumeration.
    assert!(lower >= 0.99 * exact_u, "lower {lower:e} against exact {exact_u:e}");
    assert!(b["static_model"]["widened_because"].as_str().unwrap().contains("UPS batteries"), "{b}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn diff_past_its_budget_compares_certified_bounds() {
    let dir = std::env::temp_dir().join(format!("spofsim-diff-budget-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let generated = spofsim(&["generate", "three-tier", "--sites", "1", "--racks", "1", "--servers-per-rack", "6"]);
    assert_eq!(generated.code, 0, "{}", generated.stderr);
    let before = dir.join("before.json");
    std::fs::write(&before, &generated.stdout).unwrap();
    let mut worse: serde_json::Value = serde_json::from_str(&generated.stdout).unwrap();
    // One web server repaired in 5 h instead of the default: slightly less available.
    worse["components"]["s0-r0-web-3"]["mttr"] = serde_json::json!("5h");
    let after = dir.join("after.json");
    std::fs::write(&after, serde_json::to_string_pretty(&worse).unwrap()).unwrap();
    let (b, a) = (before.to_str().unwrap(), after.to_str().unwrap());
    let small_run = ["--years", "1", "--replications", "2", "--fail-on-regression"];
    let diff = |x: &str, y: &str, budget: &str| {
        let mut args = vec!["diff", x, y, "--budget-secs", budget];
        args.extend(small_run);
        spofsim(&args)
    };
    let same = diff(b, b, "0.001");
    assert_eq!(same.code, 0, "{}", same.stdout);
    assert!(
        same.stdout.contains("(certified bounds)") && same.stdout.contains("(same fault tree: unchanged)"),
        "{}",
        same.stdout
    );
    // Either version's note (their texts differ when the wall-clock safety limit, 4 × a
    // budget this small, stops one of them first on a loaded machine).
    assert!(same.stdout.contains("no exact figure: "), "says why: {}", same.stdout);
    assert!(
        same.stdout.contains("simulated with seed 20261122, 2 replications × 1 years"),
        "prints the run: {}",
        same.stdout
    );
    let undecided = diff(b, a, "0.001");
    assert_eq!(undecided.code, 1, "{}", undecided.stdout);
    assert!(undecided.stdout.contains("shop: availability may be down (before bounds "), "{}", undecided.stdout);
    // A slower VRRP advert changes no fault tree, only the figure with timings, which
    // the bounds do not cover: not compared, so the gate fails rather than pass it.
    let mut slower: serde_json::Value = serde_json::from_str(&generated.stdout).unwrap();
    slower["groups"]["s0-gw"]["advert_interval"] = serde_json::json!("10s");
    let slower_path = dir.join("slower.json");
    std::fs::write(&slower_path, serde_json::to_string_pretty(&slower).unwrap()).unwrap();
    let timings = diff(b, slower_path.to_str().unwrap(), "0.001");
    assert_eq!(timings.code, 1, "{}", timings.stdout);
    assert!(timings.stdout.contains("(same fault tree: unchanged)"), "{}", timings.stdout);
    assert!(timings.stdout.contains("shop: availability with failover timings not compared"), "{}", timings.stdout);
    let exact = diff(b, a, "5");
    assert_eq!(exact.code, 1, "{}", exact.stdout);
    assert!(exact.stdout.contains("  shop: availability down\n"), "{}", exact.stdout);
    assert!(!exact.stdout.contains("certified bounds)"), "{}", exact.stdout);
    let json = {
        let mut args = vec!["diff", b, a, "--budget-secs", "0.001", "--format", "json"];
        args.extend(small_run);
        spofsim(&args)
    };
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let bounds = &v["services"][0]["after"]["availability_bounds"];
    assert!(bounds["lowest"].as_f64().unwrap() < bounds["highest"].as_f64().unwrap(), "{bounds}");
    assert!(v["services"][0]["after"]["availability"].is_null());
    assert_eq!(v["simulation"]["seed"], 20261122);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `init` writes a starter that `check` passes (no SPOF, its availability target met),
/// with the schema beside it, and never overwrites.
#[test]
fn init_writes_a_starter_that_check_passes() {
    let dir = std::env::temp_dir().join(format!("spofsim-init-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let name = dir.join("shop");
    let run = spofsim(&["init", name.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let file = dir.join("shop.jsonc");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("\"$schema\": \"./scenario.schema.json\"") && text.contains("\"name\": \"shop\""));
    assert!(dir.join("scenario.schema.json").exists());
    let check = spofsim(&["check", file.to_str().unwrap()]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
    assert!(check.stdout.contains("max_spofs") && check.stdout.contains("3 passed, 0 failed"), "{}", check.stdout);
    let again = spofsim(&["init", name.to_str().unwrap()]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), text, "init must not overwrite");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn generators_write_valid_scenarios() {
    let dir = std::env::temp_dir().join(format!("spofsim-generate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: [(&str, &[&str]); 4] = [
        ("ft48.json", &["generate", "fat-tree", "--k", "48"]),
        ("tt1.json", &["generate", "three-tier", "--sites", "1", "--racks", "2", "--servers-per-rack", "6"]),
        ("tt3.json", &["generate", "three-tier", "--sites", "3", "--racks", "4", "--servers-per-rack", "10"]),
        ("random.json", &["generate", "random", "--components", "30", "--seed", "5"]),
    ];
    for (file, args) in cases {
        let run = spofsim(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        let path = dir.join(file);
        std::fs::write(&path, &run.stdout).unwrap();
        let valid = spofsim(&["--color", "never", "validate", path.to_str().unwrap()]);
        assert_eq!(valid.code, 0, "{args:?}: {}", valid.stderr);
        assert_eq!(spofsim(args).stdout, run.stdout, "{args:?}: deterministic");
    }
    // fat-tree k = 48: 27,648 hosts and 2,880 switches.
    let ft = std::fs::read_to_string(dir.join("ft48.json")).unwrap();
    assert_eq!(
        (ft.matches("\"kind\": \"server\"").count(), ft.matches("\"kind\": \"router\"").count()),
        (27_648, 2_880)
    );
    // One site with every layer doubled: the site itself is the only SPOF.
    let one = spofsim(&["analyze", dir.join("tt1.json").to_str().unwrap(), "--format", "json", "--no-importance"]);
    let v: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    let spofs: Vec<&str> = v["spofs"].as_array().unwrap().iter().map(|s| s["element"].as_str().unwrap()).collect();
    assert_eq!(spofs, ["s0"]);
    let bad = spofsim(&["generate", "three-tier", "--racks", "1", "--servers-per-rack", "2"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("three servers, one per tier"), "{}", bad.stderr);
    // Three servers in one site make one database node: no cluster (E401 before).
    let one_db = spofsim(&["generate", "three-tier", "--racks", "1", "--servers-per-rack", "3"]);
    assert_eq!(one_db.code, 2);
    assert!(one_db.stderr.contains("the database cluster needs two nodes"), "{}", one_db.stderr);
    assert!(one_db.stdout.is_empty());
    let _ = std::fs::remove_dir_all(&dir);
}

/// GUIDE.md cannot rot: every command in its `sh` blocks runs from the repository
/// root with the exit code it states (`# exit N`, else 0), and every line of the
/// `text` block that follows appears in the last command's output.
#[test]
fn guide_commands_run_as_written() {
    let guide = std::fs::read_to_string(crate::harness::root().join("GUIDE.md")).unwrap();
    let _ = std::fs::remove_dir_all(crate::harness::root().join("target/guide"));
    let (mut fence, mut output, mut commands, mut excerpts) = (None::<String>, String::new(), 0, 0);
    for line in guide.lines() {
        if let Some(lang) = line.strip_prefix("```") {
            fence = if fence.is_some() { None } else { Some(lang.to_string()) };
            continue;
        }
        let text = line.trim();
        match fence.as_deref() {
            Some("sh") if !text.is_empty() => {
                let (command, code) = match text.split_once("# exit ") {
                    Some((c, n)) => (c.trim(), n.trim().parse::<i32>().unwrap()),
                    None => (text, 0),
                };
                let args: Vec<&str> = command.split_whitespace().collect();
                assert_eq!(args[0], "spofsim", "GUIDE.md runs only spofsim: {text}");
                let run = spofsim(&args[1..]);
                assert_eq!(run.code, code, "GUIDE.md: `{command}`\n{}{}", run.stdout, run.stderr);
                output = format!("{}{}", run.stdout, run.stderr);
                commands += 1;
            }
            Some("text") if !text.is_empty() => {
                assert!(output.contains(text), "GUIDE.md: `{text}` is not in the output:\n{output}");
                excerpts += 1;
            }
            _ => {}
        }
    }
    assert!(commands >= 12 && excerpts >= 20, "{commands} commands, {excerpts} excerpt lines");
    assert!(crate::harness::root().join("target/guide/report/index.html").exists());
    assert!(crate::harness::root().join("target/guide/check.sarif").exists());
}

#[test]
fn text_reports_colour_only_on_request_or_a_terminal() {
    let coloured = spofsim(&["--color", "always", "check", "scenarios/power/"]);
    assert!(coloured.stdout.contains("\u{1b}[1;32mpass\u{1b}[0m"), "{}", coloured.stdout);
    let analysed = spofsim(&["--color", "always", "analyze", "scenarios/shop-two-tier.jsonc"]);
    assert!(analysed.stdout.contains("\u{1b}[1;31mgw\u{1b}[0m"), "{}", analysed.stdout);
    // Tests run without a terminal: `auto` stays plain, and so does NO_COLOR.
    assert!(!spofsim(&["check", "scenarios/power/"]).stdout.contains('\u{1b}'));
    let no_color = spofsim_env(&["check", "scenarios/power/"], &[("NO_COLOR", "1")]);
    assert!(!no_color.stdout.contains('\u{1b}') && !no_color.stderr.contains('\u{1b}'));
}

#[test]
fn analyze_output_writes_the_report_and_summarises_on_stderr() {
    let file = std::env::temp_dir().join(format!("spofsim-analyze-{}.md", std::process::id()));
    let args = ["analyze", "scenarios/shop-two-tier.jsonc", "--format", "markdown"];
    let run = spofsim(&[&args[..], &["--output", file.to_str().unwrap()]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    assert!(run.stderr.contains("1 service(s), 2 single point(s) of failure"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), spofsim(&args).stdout);
    let quiet = spofsim(&[&args[..], &["--output", file.to_str().unwrap(), "-q"]].concat());
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
    // The findings formats need a scenario; a fault tree gets a clear error.
    let tree = spofsim(&["analyze", "tests/data/aralia/baobab2.xml", "--format", "sarif"]);
    assert_eq!(tree.code, 2);
    assert!(tree.stderr.contains("use --format text, json or markdown"), "{}", tree.stderr);
    let _ = std::fs::remove_file(&file);
}

/// The README's sample outputs stay true: after each "(`spofsim …`, trimmed):" the
/// `text` block's lines (but "...") appear in that command's output.
#[test]
fn readme_samples_match_the_commands() {
    let readme = std::fs::read_to_string(crate::harness::root().join("README.md")).unwrap();
    let mut samples = 0;
    for (at, _) in readme.match_indices("(`spofsim ") {
        let rest = &readme[at + 2..];
        let command = rest[..rest.find('`').unwrap()].replace('\n', " ");
        if !rest[command.len()..].starts_with("`, trimmed)") {
            continue;
        }
        let block = &rest[rest.find("```text\n").unwrap() + 8..];
        let block = &block[..block.find("```").unwrap()];
        let args: Vec<&str> = command.split_whitespace().skip(1).collect();
        let run = spofsim(&args);
        for line in block.lines().filter(|l| !l.trim().is_empty() && l.trim() != "...") {
            assert!(
                run.stdout.contains(line),
                "README sample of `{command}`: `{line}` is not in the output:\n{}",
                run.stdout
            );
        }
        samples += 1;
    }
    assert!(samples >= 2, "{samples} samples");
    // The trimmed scenario states the file's own expectation.
    let expect = readme.lines().find(|l| l.trim_start().starts_with("\"expect\": [ {")).expect("README scenario");
    let inner = &expect[expect.find('{').unwrap()..=expect.rfind('}').unwrap()];
    let file = std::fs::read_to_string(crate::harness::root().join("scenarios/shop-two-tier.jsonc")).unwrap();
    assert!(file.contains(inner), "README's {inner} is not the expectation of scenarios/shop-two-tier.jsonc");
}

/// One notion of accepted findings: `analyze`'s findings formats accept what `check`
/// accepts (the `suppress` list), judge the file's `max_spofs` as `check` does, and name
/// their own suite; the text report shows each acceptance with its reason.
#[test]
fn analyze_and_check_accept_the_same_findings() {
    let file = "scenarios/full-single-site.jsonc";
    let junit = spofsim(&["analyze", file, "--format", "junit"]).stdout;
    let doc = roxmltree::Document::parse(&junit).expect("JUnit is XML");
    let root = doc.root_element();
    assert_eq!(root.attribute("name"), Some("spofsim analyze"), "{junit}");
    assert_eq!(root.attribute("failures"), Some("0"), "accepted SPOFs fail nothing: {junit}");
    let case = doc.descendants().find(|n| n.has_tag_name("testcase")).unwrap();
    assert_eq!(case.attribute("name"), Some("shop max_spofs ≤ 0"), "the file's own target: {junit}");
    let check = spofsim(&["check", file, "--format", "junit"]).stdout;
    assert!(check.contains("name=\"spofsim check\""), "{check}");
    // SARIF and GitHub annotations mark the same SPOFs as suppressed, with the reason.
    let sarif: serde_json::Value =
        serde_json::from_str(&spofsim(&["analyze", file, "--format", "sarif"]).stdout).unwrap();
    let spof_results: Vec<&serde_json::Value> =
        sarif["runs"][0]["results"].as_array().unwrap().iter().filter(|r| r["ruleId"] == "SPOF-S001").collect();
    assert_eq!(spof_results.len(), 2);
    assert!(spof_results.iter().all(|r| r["suppressions"][0]["justification"].is_string()), "{spof_results:?}");
    let text = spofsim(&["analyze", file]).stdout;
    assert!(text.contains("single points of failure: 2 (2 accepted by the scenario's suppress list)"), "{text}");
    assert!(text.contains("    accepted: dual-controller array"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&spofsim(&["analyze", file, "--format", "json"]).stdout).unwrap();
    assert!(json["spofs"].as_array().unwrap().iter().all(|s| s["accepted"].is_string()), "{}", json["spofs"]);
    // A design with an open SPOF and no target still fails "no single point of failure".
    let path = std::env::temp_dir().join(format!("spofsim-open-spof-{}.jsonc", std::process::id()));
    std::fs::write(
        &path,
        r#"{ "components": { "internet": {"kind": "entry"}, "sw": {"kind": "switch"},
             "web-1": {"kind": "server", "nics": ["sw"], "runs": ["web"]} },
             "links": [ {"between": ["internet", "sw"]} ],
             "services": { "shop": {"from": "internet", "through": ["web-1/web"]} } }"#,
    )
    .unwrap();
    let open = spofsim(&["analyze", path.to_str().unwrap(), "--format", "junit"]).stdout;
    let _ = std::fs::remove_file(&path);
    assert!(open.contains("name=\"shop spofs = none\""), "{open}");
    assert!(open.contains("<failure message=\"target = none"), "{open}");
}

/// A folder that also holds spofsim's own outputs (a JSON report used as a baseline, a
/// shard, a SARIF log) is checked without them, in one line; such a file named directly
/// is an input error that says what it is.
#[test]
fn check_of_a_folder_skips_spofsims_own_outputs() {
    let dir = std::env::temp_dir().join(format!("spofsim-outputs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy("scenarios/shop-two-tier.jsonc", dir.join("shop.jsonc")).unwrap();
    let shop = dir.join("shop.jsonc");
    let shop = shop.to_str().unwrap();
    for (name, args) in [
        ("baseline.json", vec!["check", shop, "--format", "json"]),
        ("report.sarif.json", vec!["check", shop, "--format", "sarif"]),
        ("analysis.json", vec!["analyze", shop, "--format", "json"]),
    ] {
        let run = spofsim(&args);
        std::fs::write(dir.join(name), run.stdout).unwrap();
    }
    let shard = dir.join("shard-0.json");
    let run = spofsim(&[
        "simulate",
        shop,
        "--years",
        "1",
        "--replications",
        "2",
        "--shard",
        "0/2",
        "--output",
        shard.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let folder = spofsim(&["check", dir.to_str().unwrap()]);
    assert_eq!(folder.code, 0, "{}{}", folder.stdout, folder.stderr);
    assert_eq!(folder.stderr.matches("note: skipped 4 spofsim output file(s)").count(), 1, "{}", folder.stderr);
    assert!(folder.stdout.contains("1 scenario(s)"), "{}", folder.stdout);
    let direct = spofsim(&["validate", dir.join("baseline.json").to_str().unwrap()]);
    assert_eq!(direct.code, 2);
    assert!(direct.stderr.contains("this is spofsim output (spofsim-check), not a scenario"), "{}", direct.stderr);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Found by an independent trial: two hot-standby pairs that share one repair crew.
/// Alone in the design they are now solved as one chain (exact case
/// tests/cases/exact/crews-shared.jsonc). With a router that fails too, its repairs
/// also queue for the crew and no chain holds them: each pair keeps the crew to itself
/// and the router's repair starts at once, optimistic, and the note says so, counting
/// the elements left out.
#[test]
fn crews_shared_with_repairs_no_chain_holds_are_noted() {
    let path = std::env::temp_dir().join(format!("spofsim-crews-{}.jsonc", std::process::id()));
    std::fs::write(
        &path,
        r#"{ "name": "crew2", "repair_crews": 1,
      "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" } },
      "components": { "internet": { "kind": "entry" }, "r": { "kind": "router" },
        "a-1": { "kind": "server", "nics": ["r"], "mtbf": "10d", "mttr": "2d" },
        "a-2": { "kind": "server", "nics": ["r"], "mtbf": "10d", "mttr": "2d" },
        "b-1": { "kind": "server", "nics": ["r"], "mtbf": "10d", "mttr": "2d" },
        "b-2": { "kind": "server", "nics": ["r"], "mtbf": "10d", "mttr": "2d" } },
      "links": [ { "between": ["internet", "r"] } ],
      "groups": { "ca": { "kind": "cluster", "mode": "active-standby", "members": ["a-1", "a-2"] },
                  "cb": { "kind": "cluster", "mode": "active-standby", "members": ["b-1", "b-2"] } },
      "services": { "svc": { "from": "internet", "through": ["ca", "cb"] } } }"#,
    )
    .unwrap();
    let run = spofsim(&["analyze", path.to_str().unwrap(), "-q", "--no-importance"]);
    std::fs::remove_file(&path).ok();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("note: repair_crews = 1:")
            && run.stdout.contains(
                "each of the 2 part(s) solved as Markov chains is given every crew to itself, and the repairs of the design's 1 other failing element(s) start at once"
            )
            && run.stdout.contains("errs pessimistic"),
        "{}",
        run.stdout
    );
}
