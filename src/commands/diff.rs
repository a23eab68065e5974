//! `spofsim diff A B`: what changed between two versions of a design. Exit 1 with
//! `--fail-on-regression` when something got worse. Each version's exact analysis runs
//! within `--budget-secs` of work (certified bounds past it) and its simulation with a
//! progress bar, so a large design never leaves the terminal silent.

use std::io::Write;

use sim_core::analysis::budget::{BDD_REQUESTS_PER_SEC, DATAFLOW_UNITS_PER_SEC};

use crate::flags::{DiffArgs, DiffFormat};
use crate::render::ColorMode;
use crate::report::{diff_json, diff_markdown, diff_text};
use crate::{inputs, Status};

pub fn run(args: &DiffArgs, color: ColorMode) -> Status {
    let before = inputs::model_at(&args.before, color);
    let after = inputs::model_at(&args.after, color);
    let (Ok(before), Ok(after)) = (before, after) else { return Status::Invalid };
    let simulation = args.run.options();
    let bounds_units = crate::progress::work_units(args.budget_secs, DATAFLOW_UNITS_PER_SEC);
    let measure = |model: &sim_core::model::Model, which: &str| {
        let stop = crate::progress::deadline(
            args.budget_secs,
            BDD_REQUESTS_PER_SEC,
            &format!("exact analysis of the design {which}"),
            args.quiet,
        );
        let version = sim_core::diff::measure(model, stop.budget, bounds_units);
        stop.finish();
        version
    };
    let (mut version_before, mut version_after) = (measure(&before, "before"), measure(&after, "after"));
    let bar = crate::progress::bar(2 * simulation.replications, "replications simulated (both versions)", args.quiet);
    version_before.add_simulation(&sim_core::simulate::simulate_reporting(&before, &simulation, &|| bar.inc(1)));
    version_after.add_simulation(&sim_core::simulate::simulate_reporting(&after, &simulation, &|| bar.inc(1)));
    bar.finish_and_clear();
    let d = sim_core::diff::compare_versions(&version_before, &version_after, &simulation);
    let (b, a) = (args.before.display().to_string(), args.after.display().to_string());
    let out = match args.format {
        DiffFormat::Text => diff_text::render(&b, &a, &d),
        DiffFormat::Json => diff_json::render(&b, &a, &d),
        DiffFormat::Markdown => diff_markdown::render(&b, &a, &d),
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    if args.fail_on_regression && !d.regressions().is_empty() {
        Status::Findings
    } else {
        Status::Ok
    }
}
