//! `spofsim report FILE --out DIR`: the analysis, the expectations and a simulation,
//! written as plots (PNG and SVG) plus a self-contained `index.html`.

use crate::flags::ReportArgs;
use crate::render::ColorMode;
use crate::report::html;
use crate::{inputs, Status};

pub fn run(args: &ReportArgs, color: ColorMode) -> Status {
    let (text, model) = match inputs::scenario_at(&args.file, color) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("error: cannot create {}: {e}", args.out.display());
        return Status::Invalid;
    }
    let check = sim_core::check::check(&model);
    let options = sim_core::simulate::SimOptions {
        years: args.years,
        replications: args.replications,
        seed: args.seed,
        random_failures: true,
        ideal: false,
    };
    let pool = match inputs::thread_pool(args.threads) {
        Ok(p) => p,
        Err(status) => return status,
    };
    let compiled = sim_core::simulate::Compiled::new(&model, options.clone());
    let bar = crate::progress::bar(options.replications, "replications simulated", args.quiet);
    let records =
        pool.install(|| sim_core::simulate::run_replications_with(&compiled, 0..options.replications, &|| bar.inc(1)));
    bar.finish_and_clear();
    let names = sim_core::simulate::service_names(&model);
    let sim = sim_core::simulate::aggregate(&model.name, &names, &options, &records);
    let targets: Vec<(String, f64)> = model
        .expectations
        .iter()
        .filter_map(|x| Some((model.services[x.service?].name.clone(), x.min_availability?)))
        .collect();
    let plots = match crate::plots::write_all(&sim, &targets, &args.out) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return Status::Invalid;
        }
    };
    let hash = sim_core::simulate::shard::scenario_hash(&text);
    let page = html::render(&args.file.display().to_string(), &hash, &check, &sim, &plots);
    let index = args.out.join("index.html");
    if let Err(e) = std::fs::write(&index, page) {
        eprintln!("error: cannot write {}: {e}", index.display());
        return Status::Invalid;
    }
    if !args.quiet {
        eprintln!("wrote {} and {} plots (PNG and SVG) to {}", index.display(), plots.len(), args.out.display());
    }
    Status::Ok
}
