//! Benchmark: spofsim's hand-written BDD engine (`sim_core::analysis::compile` and
//! `Bdd::probability`) against OxiDD 0.13.0 (plain BDDs and complement-edge BCDDs,
//! with 1 and 2 worker threads) on the Aralia fault trees. Both build the top event
//! in the same variable order and gate order and compute its exact probability; the
//! two must agree to 1e-9 relative, or the program exits with status 1. Prints a
//! Markdown table of medians over `RUNS` runs (default 5).
//!
//! Usage: `oxidd-bench DIR [--skip NAME]...` (NAME without `.xml`). `nus9601` is always
//! skipped (too large for either engine); `das9701` is measured once.

mod dd;

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use oxidd::bcdd::BCDDFunction;
use oxidd::bdd::BDDFunction;
use sim_core::analysis::compile::compile;
use sim_core::analysis::{FaultTree, DEFAULT_MAX_BDD_NODES};

/// Too large for either engine: never run.
const ALWAYS_SKIPPED: &[&str] = &["nus9601"];
/// About 15 s and 1 GB for our engine: one run, whatever `RUNS` says.
const ONE_RUN: &[&str] = &["das9701"];
/// Relative tolerance between the two probabilities.
const TOLERANCE: f64 = 1e-9;

/// OxiDD manager settings: inner-node capacity, apply-cache capacity.
#[derive(Clone, Copy)]
struct Capacity {
    nodes: usize,
    cache: usize,
}

/// One OxiDD configuration's figures on one tree.
enum Outcome {
    Done {
        nodes: usize,
        ms: f64,
        probability: f64,
    },
    /// The manager ran out of node slots.
    OutOfMemory,
}

struct Row {
    name: String,
    events: usize,
    runs: usize,
    our_nodes: usize,
    our_ms: f64,
    probability: f64,
    /// BDD 1 thread, BDD 2 threads, BCDD 1 thread, BCDD 2 threads.
    oxidd: [Outcome; 4],
}

const CONFIGS: [(&str, u32); 4] = [("BDD", 1), ("BDD", 2), ("BCDD", 1), ("BCDD", 2)];

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn env_usize(name: &str, default: usize) -> usize {
    match std::env::var(name) {
        Ok(v) => v.parse().unwrap_or_else(|_| panic!("{name}={v}: expected a positive integer")),
        Err(_) => default,
    }
}

/// What one timed OxiDD run gives: the time of manager creation + build + probability,
/// the time of manager creation alone, the probability and the top function's
/// inner-node count (counted untimed).
struct OxiddRun {
    total: Duration,
    creation: Duration,
    probability: f64,
    nodes: usize,
}

/// One timed OxiDD run (`None`: the manager ran out of node slots).
fn run_oxidd(kind: &str, threads: u32, cap: Capacity, tree: &FaultTree, order: &[u32], p: &[f64]) -> Option<OxiddRun> {
    match kind {
        "BDD" => timed::<BDDFunction>(|| oxidd::bdd::new_manager(cap.nodes, cap.cache, threads), tree, order, p),
        _ => timed::<BCDDFunction>(|| oxidd::bcdd::new_manager(cap.nodes, cap.cache, threads), tree, order, p),
    }
}

/// Times creating a manager with `new`, building the top event and its probability.
fn timed<F>(new: impl FnOnce() -> F::ManagerRef, tree: &FaultTree, order: &[u32], p: &[f64]) -> Option<OxiddRun>
where
    F: oxidd::BooleanFunction + Send,
    F::ManagerRef: oxidd::HasWorkers,
    for<'id> <F::Manager<'id> as oxidd::Manager>::InnerNode: oxidd::HasLevel,
{
    let t0 = Instant::now();
    let mref = new();
    let creation = t0.elapsed();
    let (top, probability) = dd::build_and_probability::<F>(&mref, tree, order, p).ok()?;
    let total = t0.elapsed();
    Some(OxiddRun { total, creation, probability, nodes: dd::inner_nodes(&top) })
}

/// Runs both engines `runs` times on one tree; manager-creation times are appended to
/// `creation_ms` (per configuration).
fn measure(
    name: &str,
    path: &Path,
    runs: usize,
    cap: Capacity,
    creation_ms: &mut [Vec<f64>; 4],
) -> Result<Row, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let imported = sim_core::mef::import(&text);
    let tree = imported.trees.into_iter().next().ok_or_else(|| format!("{name}: no fault tree"))?;
    let mut our_ms = Vec::new();
    let mut oxidd_ms: [Vec<f64>; 4] = Default::default();
    let mut oxidd_fig: [Option<(f64, usize)>; 4] = [None; 4];
    let mut out_of_memory = [false; 4];
    let (mut our_nodes, mut probability, mut order, mut p) = (0, 0.0, Vec::new(), Vec::new());
    for run in 0..runs {
        // Ours: compile (variable order included) and probability.
        let t0 = Instant::now();
        let c = compile(&tree, DEFAULT_MAX_BDD_NODES).map_err(|e| format!("{name}: {e}"))?;
        let levels: Vec<f64> = c.order.iter().map(|&e| tree.events[e as usize].probability).collect();
        let pr = c.bdd.probability(c.top, &levels);
        our_ms.push(ms(t0.elapsed()));
        if run == 0 {
            our_nodes = c.bdd.size(c.top);
            probability = pr;
            order = c.order.clone();
            p = levels;
        }
        drop(c);
        // OxiDD, in our variable order.
        for (i, &(kind, threads)) in CONFIGS.iter().enumerate() {
            if out_of_memory[i] {
                continue;
            }
            match run_oxidd(kind, threads, cap, &tree, &order, &p) {
                Some(r) => {
                    oxidd_ms[i].push(ms(r.total));
                    creation_ms[i].push(ms(r.creation));
                    oxidd_fig[i] = Some((r.probability, r.nodes));
                }
                None => out_of_memory[i] = true,
            }
        }
        eprintln!("{name}: run {}/{runs} done", run + 1);
    }
    let oxidd = std::array::from_fn(|i| match oxidd_fig[i] {
        Some((probability, nodes)) if !out_of_memory[i] => {
            Outcome::Done { nodes, ms: median(std::mem::take(&mut oxidd_ms[i])), probability }
        }
        _ => Outcome::OutOfMemory,
    });
    Ok(Row {
        name: name.to_string(),
        events: tree.events.len(),
        runs,
        our_nodes,
        our_ms: median(our_ms),
        probability,
        oxidd,
    })
}

fn agrees(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= TOLERANCE * a.abs().max(b.abs())
}

fn command_output(cmd: &str, args: &[&str]) -> String {
    Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "?".into())
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "?".into())
}

fn cell(o: &Outcome, f: impl Fn(usize, f64, f64) -> String) -> String {
    match *o {
        Outcome::Done { nodes, ms, probability } => f(nodes, ms, probability),
        Outcome::OutOfMemory => "out of nodes".into(),
    }
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let mut skip: Vec<String> = ALWAYS_SKIPPED.iter().map(|s| s.to_string()).collect();
    let mut shown_args: Vec<String> = Vec::new();
    while let Some(a) = args.next() {
        shown_args.push(a.clone());
        if a == "--skip" {
            let Some(n) = args.next() else {
                eprintln!("--skip needs a tree name");
                return ExitCode::from(2);
            };
            shown_args.push(n.clone());
            skip.push(n.trim_end_matches(".xml").to_string());
        } else if dir.is_none() {
            dir = Some(PathBuf::from(a));
        } else {
            eprintln!("usage: oxidd-bench DIR [--skip NAME]...");
            return ExitCode::from(2);
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: oxidd-bench DIR [--skip NAME]...");
        return ExitCode::from(2);
    };
    let runs = env_usize("RUNS", 5).max(1);
    let cap = Capacity { nodes: env_usize("OXIDD_NODES", 1 << 24), cache: env_usize("OXIDD_CACHE", 1 << 22) };

    let mut files: Vec<(String, PathBuf)> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "xml"))
            .filter_map(|p| Some((p.file_stem()?.to_string_lossy().into_owned(), p)))
            .filter(|(n, _)| !skip.contains(n))
            .collect(),
        Err(e) => {
            eprintln!("{}: {e}", dir.display());
            return ExitCode::from(2);
        }
    };
    files.sort();

    let mut rows = Vec::new();
    let mut creation_ms: [Vec<f64>; 4] = Default::default();
    for (name, path) in &files {
        let r = if ONE_RUN.contains(&name.as_str()) { 1 } else { runs };
        match measure(name, path, r, cap, &mut creation_ms) {
            Ok(row) => rows.push(row),
            Err(e) => {
                eprintln!("{e}");
                return ExitCode::from(2);
            }
        }
    }

    println!(
        "Date: {}. Machine: {} cores ({}). Command: `RUNS={runs} cargo run --release --manifest-path bench/oxidd/Cargo.toml -- {}`.",
        command_output("date", &["-u"]),
        command_output("nproc", &[]),
        cpu_model(),
        shown_args.join(" "),
    );
    println!();
    println!(
        "OxiDD 0.13.0 (default features), `new_manager({}, {}, threads)` (inner-node capacity, apply-cache capacity); \
         timed: manager creation + build + probability. spofsim timed: `compile` (variable order included) + \
         `probability`. Same variable order and gate order in both. Median of {runs} runs ({} once).",
        cap.nodes,
        cap.cache,
        ONE_RUN.join(", "),
    );
    println!();
    println!("| tree | events | our BDD nodes | OxiDD nodes | spofsim ms | OxiDD BDD ms (1 thread) | OxiDD ms (2 threads) | P(top) |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for r in &rows {
        let name = if r.runs == 1 && runs > 1 { format!("{} (1 run)", r.name) } else { r.name.clone() };
        println!(
            "| {} | {} | {} | {} | {:.2} | {} | {} | {:.9e} |",
            name,
            r.events,
            r.our_nodes,
            cell(&r.oxidd[0], |n, _, _| n.to_string()),
            r.our_ms,
            cell(&r.oxidd[0], |_, ms, _| format!("{ms:.2}")),
            cell(&r.oxidd[1], |_, ms, _| format!("{ms:.2}")),
            r.probability,
        );
    }
    println!();
    println!("Complement-edge BDDs (`oxidd::bcdd`), same trees and order:");
    println!();
    println!("| tree | OxiDD BCDD nodes | OxiDD BCDD ms (1 thread) | OxiDD BCDD ms (2 threads) |");
    println!("|---|---:|---:|---:|");
    for r in &rows {
        println!(
            "| {} | {} | {} | {} |",
            r.name,
            cell(&r.oxidd[2], |n, _, _| n.to_string()),
            cell(&r.oxidd[2], |_, ms, _| format!("{ms:.2}")),
            cell(&r.oxidd[3], |_, ms, _| format!("{ms:.2}")),
        );
    }
    println!();
    if creation_ms.iter().all(|c| !c.is_empty()) {
        let c: Vec<String> = CONFIGS
            .iter()
            .zip(creation_ms)
            .map(|(&(kind, threads), c)| format!("{kind} {threads} thread(s) {:.2} ms", median(c)))
            .collect();
        println!("OxiDD manager creation alone (included in the OxiDD times), median over all runs: {}.", c.join(", "));
        println!();
    }

    let mut ok = true;
    for r in &rows {
        for (o, (kind, threads)) in r.oxidd.iter().zip(CONFIGS) {
            if let Outcome::Done { probability, .. } = *o {
                if !agrees(r.probability, probability) {
                    ok = false;
                    println!(
                        "MISMATCH {}: spofsim {:.17e}, OxiDD {kind} ({threads} threads) {probability:.17e}",
                        r.name, r.probability
                    );
                }
            }
        }
    }
    if ok {
        println!("Every OxiDD probability agrees with spofsim's to {TOLERANCE:e} relative.");
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
