//! `spofsim analyze FILE`: exact availability, minimal cut sets and importance, for a
//! scenario (one result per service) or an Open-PSA MEF fault tree (`.xml`).

use std::io::Write;

use sim_core::analysis::{analyze_tree, FaultTree, Options};

use crate::flags::{AnalyzeArgs, ReportFormat};
use crate::render::{self, ColorMode};
use crate::report::{analysis_json, analysis_text, Analysed, LintRow};
use crate::{inputs, Status};

pub fn run(args: &AnalyzeArgs, color: ColorMode) -> Status {
    let input = inputs::read(args.file.clone());
    let mut stderr = std::io::stderr().lock();
    let text = match input.text {
        Ok(t) => t,
        Err(e) => {
            let _ = stderr.write_all(render::file_error(&input.path, &e).as_bytes());
            return Status::Invalid;
        }
    };
    let is_mef = input.path.extension().is_some_and(|e| e == "xml");
    let mut model = None;
    let (trees, what): (Vec<FaultTree>, &'static str) = if is_mef {
        let imported = sim_core::mef::import(&text);
        let _ = stderr.write_all(render::diagnostics_text(&input.path, &text, &imported.diagnostics, color).as_bytes());
        if imported.diagnostics.iter().any(|d| d.is_error()) {
            return Status::Invalid;
        }
        (imported.trees, "fault tree")
    } else {
        let loaded = sim_core::load(&text);
        let _ = stderr.write_all(render::diagnostics_text(&input.path, &text, &loaded.diagnostics, color).as_bytes());
        let Some(m) = loaded.model else { return Status::Invalid };
        let trees = sim_core::analysis::structure::service_trees(&m);
        model = Some(m);
        (trees, "service")
    };
    let trees: Vec<FaultTree> = match &args.service {
        Some(s) => {
            let picked: Vec<FaultTree> = trees.into_iter().filter(|t| &t.name == s).collect();
            if picked.is_empty() {
                let _ = writeln!(stderr, "error: no {what} named \"{s}\" in {}", input.path.display());
                return Status::Invalid;
            }
            picked
        }
        None => trees,
    };
    let max_order = args.order.0;
    let options =
        Options { max_order: max_order.unwrap_or(usize::MAX), max_listed: 1000, importance: !args.no_importance };
    let items: Vec<Analysed> = trees
        .iter()
        .filter_map(|t| {
            analyze_tree(t, &options).map(|result| Analysed { name: t.name.clone(), what, tree: t, result })
        })
        .collect();
    // Single points of failure, explained, for scenarios (all services, not only --service).
    let spofs = match &model {
        Some(m) => {
            let structures = sim_core::analysis::structure::service_structures(m);
            let results: Vec<_> = structures
                .iter()
                .filter_map(|st| analyze_tree(&st.tree, &Options { max_order: 1, max_listed: 0, importance: false }))
                .collect();
            sim_core::analysis::findings::spofs(m, &structures, &results)
        }
        None => Vec::new(),
    };
    let lints = model.as_ref().map(sim_core::lints::run).unwrap_or_default();
    let index = sim_core::syntax::LineIndex::new(&text);
    let lint_rows: Vec<LintRow> = lints
        .iter()
        .map(|f| {
            let (line, column) = index.line_col(&text, f.span.start as usize);
            LintRow { finding: f, line, column }
        })
        .collect();
    let shown = input.path.display().to_string();
    let out = match args.format {
        ReportFormat::Text => analysis_text::render(&shown, max_order, &items, &spofs, &lint_rows),
        ReportFormat::Json => analysis_json::render(&shown, max_order, &items, &spofs, &lint_rows),
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    Status::Ok
}
