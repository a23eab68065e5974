//! External verification against SCRAM 0.16 (Debian package `scram`): minimal cut-set
//! counts (in total and per order) must match exactly, and the top-event probability
//! must equal SCRAM's to the 6 significant digits SCRAM prints. CI installs SCRAM and
//! sets SPOFSIM_REQUIRE_SCRAM=1; elsewhere the live comparison is skipped with a note,
//! while the Aralia reference answers (from the dataset README) are always checked.

use std::path::Path;
use std::process::Command;

use crate::harness::{files, root, spofsim};

/// (tree, minimal cut sets, top-event probability) from tests/data/aralia/README.md.
const ARALIA: &[(&str, u64, &str)] = &[
    ("chinese", 392, "0.00117058"),
    ("baobab2", 4805, "0.000713018"),
    ("das9201", 14217, "0.0134237"),
    ("das9601", 4259, "0.0042344"),
    ("isp9605", 5630, "1.37171e-05"),
    ("edf9205", 21308, "0.209351"),
    ("ftr10", 305, "0.448677"),
    ("isp9607", 150436, "9.4951e-07"),
    ("das9205", 17280, "1.38408e-08"),
    ("edf9202", 130112, "0.781302"),
    ("elf9601", 151348, "0.0966291"),
];

struct Figures {
    total: u64,
    by_order: Vec<u64>,
    probability: f64,
}

/// The JSON report of `spofsim analyze FILE --no-importance --format json EXTRA...`.
fn analyze_json(path: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["analyze", path, "--no-importance", "--format", "json"];
    args.extend_from_slice(extra);
    let run = spofsim(&args);
    assert_eq!(run.code, 0, "{path}: {}", run.stderr);
    serde_json::from_str(&run.stdout).expect("JSON report")
}

/// Our figures for the one result of `spofsim analyze FILE --order all --format json`.
fn ours(path: &str, extra: &[&str]) -> Figures {
    let mut args = vec!["--order", "all"];
    args.extend_from_slice(extra);
    let v = analyze_json(path, &args);
    let r = &v["results"][0];
    let counts = r["cut_sets"]["counts_by_order"].as_object().unwrap();
    let max = counts.keys().filter_map(|k| k.parse::<usize>().ok()).max().unwrap_or(0);
    let by_order = (1..=max).map(|o| counts.get(&o.to_string()).and_then(|c| c.as_u64()).unwrap_or(0)).collect();
    Figures {
        total: r["cut_sets"]["total"].as_u64().unwrap(),
        by_order,
        probability: r["unavailability"].as_f64().unwrap(),
    }
}

/// SCRAM prints probabilities with 6 significant digits: compare at that precision.
fn same_6_digits(ours: f64, scram: &str) -> bool {
    let theirs: f64 = scram.parse().unwrap();
    format!("{ours:.5e}") == format!("{theirs:.5e}")
}

#[test]
fn aralia_trees_match_the_reference_answers() {
    for &(tree, count, probability) in ARALIA {
        let f = ours(&format!("tests/data/aralia/{tree}.xml"), &[]);
        assert_eq!(f.total, count, "{tree}: minimal cut sets");
        assert!(same_6_digits(f.probability, probability), "{tree}: probability {} vs {probability}", f.probability);
    }
}

fn scram_available() -> bool {
    let ok = Command::new("scram").arg("--version").output().is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var_os("SPOFSIM_REQUIRE_SCRAM").is_none(),
            "SCRAM is required (CI installs the Debian package `scram`)"
        );
        eprintln!("skipped: scram not installed");
    }
    ok
}

/// Runs SCRAM on an MEF file: (products, distribution by order, probability text).
fn scram(mef: &Path) -> (u64, Vec<u64>, String) {
    let out = std::env::temp_dir().join(format!(
        "spofsim-scram-{}-{}.xml",
        std::process::id(),
        mef.file_stem().unwrap().to_string_lossy()
    ));
    let status = Command::new("scram")
        .args(["--bdd", "--probability", "true", "--limit-order", "64"])
        .arg(mef)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("scram runs");
    assert!(status.status.success(), "scram failed on {}: {}", mef.display(), String::from_utf8_lossy(&status.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let doc = roxmltree::Document::parse(&text).unwrap();
    let sop: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("sum-of-products")).collect();
    assert_eq!(sop.len(), 1, "{}: SCRAM found {} top events", mef.display(), sop.len());
    let n = sop[0];
    let mut dist: Vec<u64> =
        n.attribute("distribution").unwrap_or("").split_whitespace().map(|d| d.parse().unwrap()).collect();
    while dist.last() == Some(&0) {
        dist.pop();
    }
    (n.attribute("products").unwrap().parse().unwrap(), dist, n.attribute("probability").unwrap().to_string())
}

fn compare(label: &str, ours: &Figures, theirs: (u64, Vec<u64>, String)) {
    assert_eq!(ours.total, theirs.0, "{label}: minimal cut sets, spofsim vs SCRAM");
    assert_eq!(ours.by_order, theirs.1, "{label}: cut sets per order, spofsim vs SCRAM");
    assert!(
        same_6_digits(ours.probability, &theirs.2),
        "{label}: probability {} vs SCRAM {}",
        ours.probability,
        theirs.2
    );
}

#[test]
fn aralia_trees_match_live_scram() {
    if !scram_available() {
        return;
    }
    for &(tree, _, _) in ARALIA {
        let path = format!("tests/data/aralia/{tree}.xml");
        compare(tree, &ours(&path, &[]), scram(&root().join(&path)));
    }
}

#[test]
fn every_bundled_scenario_matches_live_scram() {
    if !scram_available() {
        return;
    }
    let mut compared = 0;
    for scenario in files("scenarios", "jsonc") {
        let path = scenario.to_str().unwrap();
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        let model = sim_core::load(&text).model.expect("bundled scenarios load");
        for s in &model.services {
            let run = spofsim(&["export", path, "--to", "openpsa", "--service", &s.name]);
            assert_eq!(run.code, 0, "{}", run.stderr);
            let mef = std::env::temp_dir().join(format!(
                "spofsim-{}-{}-{}.xml",
                std::process::id(),
                scenario.file_stem().unwrap().to_string_lossy(),
                s.name
            ));
            std::fs::write(&mef, &run.stdout).unwrap();
            let label = format!("{path} service {}", s.name);
            compare(&label, &ours(path, &["--service", &s.name]), scram(&mef));
            // Our own analysis of the exported MEF agrees too (import/export round trip).
            compare(&format!("{label} (MEF)"), &ours(mef.to_str().unwrap(), &[]), scram(&mef));
            let _ = std::fs::remove_file(&mef);
            compared += 1;
        }
    }
    assert!(compared >= 2, "compared {compared} services");
}

/// Birnbaum (MIF), criticality (CIF), Fussell-Vesely (DIF), RAW and RRW of every basic
/// event equal SCRAM's `--importance` output to its 6 printed digits on coherent trees.
/// On the non-coherent das9601 only |MIF| is compared: SCRAM flips the sign of events
/// it complements internally and derives RAW/RRW from that (negative RAW values).
#[test]
fn importance_matches_live_scram() {
    if !scram_available() {
        return;
    }
    for &(tree, _, _) in ARALIA {
        let path = format!("tests/data/aralia/{tree}.xml");
        let out = std::env::temp_dir().join(format!("spofsim-imp-{}-{tree}.xml", std::process::id()));
        let status = Command::new("scram")
            .args(["--bdd", "--probability", "true", "--importance", "true"])
            .arg(root().join(&path))
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        assert!(status.status.success());
        let text = std::fs::read_to_string(&out).unwrap();
        let _ = std::fs::remove_file(&out);
        let doc = roxmltree::Document::parse(&text).unwrap();
        let theirs: Vec<_> =
            doc.descendants().filter(|n| n.has_tag_name("basic-event") && n.attribute("MIF").is_some()).collect();
        let run = spofsim(&["analyze", &path, "--order", "1", "--format", "json"]);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        let ours = v["results"][0]["importance"].as_array().unwrap();
        // Both list the events that occur in some minimal cut set.
        assert_eq!(ours.len(), theirs.len(), "{tree}: events with importance");
        for t in theirs {
            let name = t.attribute("name").unwrap();
            let o =
                ours.iter().find(|o| o["event"] == name).unwrap_or_else(|| panic!("{tree}: no importance for {name}"));
            let coherent = v["results"][0]["coherent"].as_bool().unwrap();
            let measures: &[(&str, &str)] = if coherent {
                &[
                    ("MIF", "birnbaum"),
                    ("CIF", "criticality"),
                    ("DIF", "fussell_vesely"),
                    ("RAW", "raw"),
                    ("RRW", "rrw"),
                ]
            } else {
                &[("MIF", "birnbaum")]
            };
            for &(attr, field) in measures {
                // An infinite factor (RRW when the event is in every cut set) is JSON null.
                let (mut ours, mut theirs) = (o[field].as_f64().unwrap_or(f64::INFINITY), t.attribute(attr).unwrap());
                if !coherent {
                    ours = ours.abs();
                    theirs = theirs.trim_start_matches('-');
                }
                // Factors far below the top probability carry rounding noise in either tool.
                let noise = 1e-9 * v["results"][0]["unavailability"].as_f64().unwrap();
                let parsed: f64 = theirs.parse().unwrap();
                // Where P(top | ¬e) = 0, RRW is infinite; SCRAM derives it as P / (P − p·MIF)
                // and prints rounding noise of huge magnitude (e.g. −8.4e15) instead.
                let infinite = ours.is_infinite() && (parsed.is_infinite() || parsed.abs() > 1e12);
                let close = infinite || same_6_digits(ours, theirs) || (ours - parsed).abs() <= noise;
                assert!(close, "{tree} {name} {attr}: {ours} vs SCRAM {theirs}");
            }
        }
    }
}

/// das9701 and nus9601 are beyond SCRAM (neither finishes in 300 s). das9701 is exact
/// given time: its figure agrees with a crude Monte Carlo of the tree written apart
/// (tests/data/aralia/README.md). Beyond the exact analysis's node budget both get
/// certified bounds from the tree's approximating BDDs, and das9701's contain its exact
/// figure.
#[test]
fn aralia_trees_beyond_scram_get_exact_figures_or_certified_bounds() {
    let exact = {
        let v = analyze_json("tests/data/aralia/das9701.xml", &["--order", "2", "--budget-secs", "300"]);
        let p = v["results"][0]["unavailability"].as_f64().expect("exact figure");
        assert!(same_6_digits(p, "0.0744694"), "das9701: {p}");
        // Monte Carlo: 0.074398 ± 0.000210 (95%).
        assert!((p - 0.074398).abs() < 0.000210, "das9701: {p} outside the Monte Carlo interval");
        let mut singles: Vec<String> = v["results"][0]["cut_sets"]["listed"]
            .as_array()
            .map(|l| {
                l.iter()
                    .filter(|c| c["order"] == 1)
                    .flat_map(|c| c["events"].as_array().unwrap().iter().map(|e| e.as_str().unwrap().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        singles.sort();
        (p, singles)
    };
    let (exact, exact_singles) = exact;
    assert_eq!(exact_singles.len(), 6, "{exact_singles:?}");
    // A small node budget stops the exact analysis within a second; the bounds then get
    // the time limit.
    for tree in ["das9701", "nus9601"] {
        let path = format!("tests/data/aralia/{tree}.xml");
        let v = analyze_json(&path, &["--max-bdd-nodes", "1000000", "--budget-secs", "30"]);
        let b = &v["results"][0]["bounds"];
        let (lower, upper) = (b["unavailability_lower"].as_f64(), b["unavailability_upper"].as_f64());
        let (Some(lower), Some(upper)) = (lower, upper) else { panic!("{tree}: no bounds in {}", v["results"][0]) };
        assert!(0.0 < lower && lower <= upper && upper < 1.0, "{tree}: [{lower}, {upper}]");
        assert!(b["subsetting_cuts"].as_u64().is_some(), "{tree}: {b}");
        if tree == "das9701" {
            assert!(lower <= exact && exact <= upper, "das9701: {exact} not in [{lower}, {upper}]");
            // Order-1 cut sets by direct evaluation, against the exact BDD/ZBDD's.
            let direct: Vec<String> = serde_json::from_value(v["results"][0]["single_events"].clone()).unwrap();
            assert_eq!(direct, exact_singles);
        }
    }
}
