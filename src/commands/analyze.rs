//! `spofsim analyze FILE`: single points of failure (explained), exact availability,
//! minimal cut sets, importance and design lints for a scenario (one result per
//! service), or cut sets, probability and importance for an Open-PSA MEF fault tree
//! (`.xml`). Always exits 0 on valid input: it reports; `check` gates.

use std::io::Write;

use sim_core::analysis::{analyze_tree_keeping, findings, structure, FaultTree, Options};

use crate::flags::{AnalyzeArgs, AnalyzeFormat};
use crate::progress::deadline;
use crate::render::{self, ColorMode};
use crate::report::{
    analysis_json, analysis_markdown, analysis_text, check_github, check_junit, check_sarif, Analysed, Checked, LintRow,
};
use crate::{inputs, Status};
use sim_core::analysis::bounds::certified_bounds_within;
use sim_core::analysis::budget::{BDD_REQUESTS_PER_SEC, DATAFLOW_UNITS_PER_SEC};

/// A top event's name with its exact tree, or why there is none.
type Named = (String, Result<FaultTree, String>);

pub fn run(args: &AnalyzeArgs, color: ColorMode, stdout_color: ColorMode) -> Status {
    let text = match inputs::read_text(&args.file) {
        Ok(t) => t,
        Err(status) => return status,
    };
    let mut stderr = std::io::stderr().lock();
    let is_mef = args.file.extension().is_some_and(|e| e == "xml");
    let mut model = None;
    let mut sources = spofsim::report::Sources::single(&args.file.display().to_string(), &text);
    let (trees, what): (Vec<Named>, &'static str) = if is_mef {
        let imported = sim_core::mef::import(&text);
        let _ = stderr.write_all(render::diagnostics_text(&args.file, &text, &imported.diagnostics, color).as_bytes());
        if imported.diagnostics.iter().any(|d| d.is_error()) {
            return Status::Invalid;
        }
        (imported.trees.into_iter().map(|t| (t.name.clone(), Ok(t))).collect(), "fault tree")
    } else {
        let (files, loaded) = inputs::load_scenario(&args.file, &text, color);
        let m = match loaded {
            Ok(m) => m,
            Err(status) => return status,
        };
        sources = files;
        let mut names: Vec<String> = m.services.iter().map(|s| s.name.clone()).collect();
        names.sort();
        let trees = names
            .into_iter()
            .zip(structure::service_trees(&m))
            .map(|(n, t)| (n, t.map_err(|e| e.to_string())))
            .collect();
        model = Some(m);
        (trees, "service")
    };
    let trees: Vec<Named> = match &args.service {
        Some(s) => {
            let picked: Vec<_> = trees.into_iter().filter(|(n, _)| n == s).collect();
            if picked.is_empty() {
                let _ = writeln!(stderr, "error: no {what} named \"{s}\" in {}", args.file.display());
                return Status::Invalid;
            }
            picked
        }
        None => trees,
    };
    let max_order = args.order.0;
    let options = Options {
        max_order: max_order.unwrap_or(usize::MAX),
        max_listed: 1000,
        importance: !args.no_importance,
        max_bdd_nodes: args.max_bdd_nodes,
        ..Options::default()
    };
    // Certified bounds run beside the exact analysis (on the other core), so a design
    // beyond exact reach costs one budget, not two; unused when every service is exact.
    let bounds_stop = deadline(2.0 * args.budget_secs, DATAFLOW_UNITS_PER_SEC, "certified bounds", true);
    let (items, compiled, bounds) = std::thread::scope(|scope| {
        let worker = model.as_ref().map(|m| scope.spawn(|| certified_bounds_within(m, bounds_stop.budget)));
        let mut items: Vec<Analysed> = Vec::new();
        // Per item, its compiled BDD: the figure with timings reuses it.
        let mut compiled: Vec<Option<sim_core::analysis::compile::Compiled>> = Vec::new();
        for (name, tree) in &trees {
            let mut kept = None;
            let result = tree.as_ref().map_err(Clone::clone).and_then(|t| {
                let stop = deadline(
                    args.budget_secs,
                    BDD_REQUESTS_PER_SEC,
                    &format!("exact analysis of {what} {name}"),
                    args.quiet,
                );
                let r = analyze_tree_keeping(t, &Options { budget: stop.budget, ..options });
                stop.finish();
                r.map(|(r, c)| {
                    kept = Some(c);
                    (t, r)
                })
                .map_err(|e| if is_mef { e.brief() } else { e.to_string() })
            });
            // A fault tree beyond the exact analysis still gets its order-1 cut sets, by
            // direct evaluation (a scenario's SPOFs come from the dataflow instead).
            let single_events = match (&result, tree) {
                (Err(_), Ok(t)) if is_mef => {
                    let mut names: Vec<String> =
                        t.single_event_cut_sets().iter().map(|&e| t.events[e as usize].name.clone()).collect();
                    names.sort();
                    Some(names)
                }
                _ => None,
            };
            items.push(Analysed {
                name: name.clone(),
                what,
                result,
                bounds: None,
                static_bounds: None,
                timed: None,
                single_events,
            });
            compiled.push(kept);
        }
        if items.iter().all(|a| a.result.is_ok()) {
            bounds_stop.stop_now();
        }
        (items, compiled, worker.and_then(|w| w.join().ok()))
    });
    bounds_stop.finish();
    let mut items = items;
    if let (Some(b), Some(m)) = (&bounds, &model) {
        for a in items.iter_mut().filter(|a| a.result.is_err()) {
            a.bounds = m.services.iter().position(|s| s.name == a.name).map(|i| b[i]);
        }
    }
    // Beyond exact reach, the tree's own approximating BDDs bound the figure too: for
    // fault trees, and for services whose failure-state bounds are wider than 1% and
    // whose tree has no solved dynamic part. With a dynamic part read as static, their
    // lower end holds for the static model only (`Bounds::from_subsetting`).
    for (a, (_, tree)) in items.iter_mut().zip(&trees) {
        let (Err(_), Ok(tree)) = (&a.result, tree) else { continue };
        if a.bounds.is_some_and(|b| b.relative_gap() <= 0.01 || !tree.modules.is_empty()) {
            continue;
        }
        let stop = deadline(
            args.budget_secs,
            BDD_REQUESTS_PER_SEC,
            &format!("certified bounds of {what} {}", a.name),
            args.quiet,
        );
        // Their live BDDs stay small (cut back to at most 65,536 nodes), so they keep
        // the default node limit even when the exact analysis was given less.
        let limit = options.max_bdd_nodes.max(sim_core::analysis::DEFAULT_MAX_BDD_NODES);
        let found = sim_core::analysis::approx::ladder(tree, limit, stop.budget);
        stop.finish();
        let Some((b, stopped)) = found else { continue };
        let restarts = model.as_ref().map_or(1.0, sim_core::analysis::bounds::restart_factor);
        let dynamic = model.as_ref().is_some_and(|m| sim_core::analysis::bounds::uncredited(m, Some(tree)).0);
        let from_tree = sim_core::analysis::bounds::Bounds::from_subsetting(b, stopped, restarts, dynamic);
        a.bounds = Some(match a.bounds {
            Some(states) => states.intersect(from_tree),
            None => from_tree,
        });
    }
    // Both kinds of bounds are on the static model (the tree's, too, leaves repair crews
    // outside its solved parts uncharged): widened to hold for the true figure, as
    // `check` and `diff` take them.
    for (a, (_, tree)) in items.iter_mut().zip(&trees) {
        let (Some(b), Some(m)) = (a.bounds, &model) else { continue };
        let (dynamic, crews) = sim_core::analysis::bounds::uncredited(m, tree.as_ref().ok());
        if let Some(why) = sim_core::analysis::bounds::widening_note(dynamic, crews, b.widens_for_restarts()) {
            a.static_bounds = Some((b, why));
            a.bounds = Some(b.for_true_figure(dynamic, crews));
        }
    }
    // Single points of failure of every service, explained: the dataflow's (fast at any
    // size) and the failures the failover does not see (one drill per element).
    let points = model.as_ref().map(sim_core::timed::single_points);
    let singles = points.as_ref().map(|p| p.all.clone()).unwrap_or_default();
    let mut spofs = match (&model, &points) {
        (Some(m), Some(p)) => findings::spofs(m, &p.all, &p.unseen),
        _ => Vec::new(),
    };
    // The figure with timings, for every service with an exact figure.
    if let (Some(m), Some(points)) = (&model, &points) {
        let index_of = |name: &str| m.services.iter().position(|s| s.name == name);
        let mut wanted = vec![false; m.services.len()];
        for a in items.iter().filter(|a| a.result.is_ok()) {
            if let Some(i) = index_of(&a.name) {
                wanted[i] = true;
            }
        }
        if wanted.iter().any(|w| *w) {
            let stop = deadline(args.budget_secs, BDD_REQUESTS_PER_SEC, "detection and failover time", args.quiet);
            let mut reuse: Vec<Option<sim_core::timed::CompiledTree>> = vec![None; m.services.len()];
            for (a, c) in items.iter().zip(&compiled) {
                if let (Ok((tree, _)), Some(c), Some(i)) = (&a.result, c, index_of(&a.name)) {
                    reuse[i] = Some((*tree, c));
                }
            }
            let figures = sim_core::timed::timed_figures_reusing(
                m,
                &points.static_singles,
                &wanted,
                &Options { budget: stop.budget, ..options },
                &points.drills,
                &reuse,
            );
            stop.finish();
            for a in items.iter_mut().filter(|a| a.result.is_ok()) {
                a.timed = index_of(&a.name).map(|i| figures[i].clone());
            }
        }
        // The exact figure, its cut sets and importance assume every detector sees every
        // failure: say which single points of failure they leave out.
        for a in items.iter_mut() {
            let (Some(i), Ok((tree, r))) = (index_of(&a.name), &mut a.result) else { continue };
            if let Some(wrong) = points.static_singles[i]
                .as_deref()
                .and_then(|flow| sim_core::analysis::findings::engines_disagree(m, tree, r, flow))
            {
                r.notes.push(wrong);
            }
            let mut names: Vec<&str> = points.unseen[i].iter().map(|u| m.element(u.element).name.as_str()).collect();
            names.sort_unstable();
            if !names.is_empty() {
                // Past the cap on choices the analysis lets standbys or idle bond NICs
                // carry (its own note says so): a drill that fails such a path is down
                // for that reason, not because a detector misses it.
                let capped = r.notes.iter().any(|n| n.contains(sim_core::model::roles::CHOICE_CAP_WORDS));
                let why = if capped {
                    "alone, each takes the service down in a drill: a failure the failover does not see, or one this figure misses because past the cap on choices it lets a path cross a standby or an idle bond NIC (note above); the figure with timings counts both"
                } else {
                    "alone, a failure the failover does not see takes the service down; the figure with timings counts that"
                };
                r.notes.push(format!(
                    "counted only beside other failures in this figure, its cut sets and importance: {} ({why})",
                    names.join(", ")
                ));
            }
        }
    }
    let mut lints = model.as_ref().map(sim_core::lints::run).unwrap_or_default();
    // Accepted as `check` accepts them: every report shows the reason.
    let used_suppressions =
        model.as_ref().map(|m| sim_core::check::accept_findings(m, &mut spofs, &mut lints)).unwrap_or_default();
    let lint_rows: Vec<LintRow> = lints
        .iter()
        .map(|f| {
            let (file, line, column) = sources.position(f.span);
            LintRow { finding: f, file: file.to_string(), line, column }
        })
        .collect();
    let shown = args.file.display().to_string();
    let findings = |model: &sim_core::model::Model| {
        findings_as_check(&shown, &sources, model, &singles, (&spofs, &lints), &used_suppressions)
    };
    let out = match (args.format, &model) {
        (AnalyzeFormat::Text, _) => {
            analysis_text::render(&shown, !is_mef, max_order, &items, &spofs, &lint_rows, stdout_color)
        }
        (AnalyzeFormat::Json, _) => {
            let hash = sim_core::simulate::shard::scenario_hash(&text);
            analysis_json::render(&shown, &hash, max_order, &items, &spofs, &lint_rows)
        }
        (AnalyzeFormat::Markdown, _) => analysis_markdown::render(&shown, max_order, &items, &spofs, &lint_rows),
        (AnalyzeFormat::Junit, Some(m)) => check_junit::render(&[findings(m)], "spofsim analyze"),
        (AnalyzeFormat::Sarif, Some(m)) => check_sarif::render(&[findings(m)], None, false),
        (AnalyzeFormat::Github, Some(m)) => check_github::render(&[findings(m)], None),
        (_, None) => {
            let _ = writeln!(
                stderr,
                "error: --format junit, sarif and github report a scenario's findings; a fault tree has none\n  help: use --format text, json or markdown for {}",
                args.file.display()
            );
            return Status::Invalid;
        }
    };
    match &args.output {
        Some(file) => {
            if let Err(e) = std::fs::write(file, &out) {
                let _ = writeln!(stderr, "error: cannot write {}: {e}", file.display());
                return Status::Invalid;
            }
            if !args.quiet {
                let _ = writeln!(
                    stderr,
                    "{}: {} {what}(s), {} single point(s) of failure, {} lint finding(s); report written to {}",
                    shown,
                    items.len(),
                    spofs.len(),
                    lints.len(),
                    file.display()
                );
            }
        }
        None => {
            let _ = std::io::stdout().write_all(out.as_bytes());
        }
    }
    Status::Ok
}

/// The analysis as `check` results for the findings formats: the SPOFs and lints as
/// [`sim_core::check::accept_findings`] marked them (`used`: which suppressions matched),
/// the scenario's SPOF targets (`max_spofs`, `spofs`) judged as `check` judges them, and
/// "no single point of failure" for every other service.
fn findings_as_check(
    path: &str,
    sources: &spofsim::report::Sources,
    model: &sim_core::model::Model,
    singles: &[Option<Vec<sim_core::model::ElementId>>],
    (spofs, lints): (&[findings::Spof], &[sim_core::lints::Finding]),
    used: &[bool],
) -> Checked {
    // models-disagree suppressions are `check`'s alone (analyze runs no simulation).
    let unused_suppressions = model
        .suppressions
        .iter()
        .zip(used)
        .filter(|(s, u)| !**u && s.code != sim_core::explain::MODELS_DISAGREE)
        .map(|(s, _)| s.clone())
        .collect();
    let result = sim_core::check::ScenarioCheck {
        verdicts: sim_core::check::spof_verdicts(model, singles, spofs),
        spofs: spofs.to_vec(),
        lints: lints.to_vec(),
        unused_suppressions,
        notes: Vec::new(),
    };
    Checked { path: path.to_string(), result: Ok(result), sources: sources.clone() }
}
