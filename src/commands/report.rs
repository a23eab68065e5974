//! `spofsim report FILE --out DIR`: the analysis, the expectations and a simulation,
//! written as plots (PNG and SVG) plus a self-contained `index.html`.

use crate::flags::ReportArgs;
use crate::render::ColorMode;
use crate::{inputs, Status};

pub fn run(args: &ReportArgs, color: ColorMode) -> Status {
    let (text, model) = match inputs::scenario_at(&args.file, color) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    let check = sim_core::check::check(&model);
    let options = args.run.options();
    let pool = match inputs::thread_pool(args.threads) {
        Ok(p) => p,
        Err(status) => return status,
    };
    let compiled = sim_core::simulate::Compiled::new(&model, options.clone());
    let bar = crate::progress::bar(options.replications, "replications simulated", args.quiet);
    let fold = pool.install(|| sim_core::simulate::run_folded(&compiled, 0..options.replications, &|| bar.inc(1)));
    bar.finish_and_clear();
    let names = sim_core::simulate::service_names(&model);
    let sim = fold.report(&model.name, &names, &options).with_notes(compiled.approximations());
    let worst = sim_core::simulate::worst_year_timelines(&compiled, &fold.worst_years());
    let shown = args.file.display().to_string();
    let page = crate::report::folder::Page {
        shown: &shown,
        text: &text,
        model: &model,
        check: &check,
        sim: &sim,
        worst: &worst,
    };
    match crate::report::folder::write(&args.out, &page) {
        Ok((index, plots)) => {
            if !args.quiet {
                eprintln!("wrote {} and {plots} plots (PNG and SVG) to {}", index.display(), args.out.display());
            }
            Status::Ok
        }
        Err(e) => {
            eprintln!("error: {e}");
            Status::Invalid
        }
    }
}
