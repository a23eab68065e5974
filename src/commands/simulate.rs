//! `spofsim simulate FILE` and `spofsim merge SHARD...`: the discrete-event simulation,
//! on every core, optionally one shard of it at a time. Reports are the same for any
//! thread count, and merged shards give the single run's report byte for byte.

use std::io::Write;
use std::path::{Path, PathBuf};

use sim_core::model::Model;
use sim_core::simulate::shard::{self, Shard};
use sim_core::simulate::{self, rare, Compiled, SimOptions};

use crate::flags::{MergeArgs, SimFormat, SimulateArgs};
use crate::render::ColorMode;
use crate::report::{rare_json, rare_markdown, rare_text, simulate_json, simulate_markdown, simulate_text};
use crate::{inputs, Status};

pub fn run(args: &SimulateArgs, color: ColorMode) -> Status {
    let (text, model) = match inputs::scenario_at(&args.file, color) {
        Ok(loaded) => loaded,
        Err(status) => return status,
    };
    if args.drills_only && model.drills.is_empty() {
        eprintln!(
            "error: {} has no drills to run\n  help: add e.g. \"drills\": [{{ \"fail\": \"sw-1\", \"at\": \"1h\", \"for\": \"10m\" }}], or drop --drills-only",
            args.file.display()
        );
        return Status::Invalid;
    }
    let run = if args.drills_only { args.run.drills_options(&model) } else { args.run.options() };
    let horizon_secs = f64::from(run.years) * sim_core::units::SECS_PER_YEAR;
    for d in model.drills.iter().filter(|d| d.at_secs >= horizon_secs) {
        let name = d.name.as_deref().map(|n| format!(" {n}")).unwrap_or_default();
        eprintln!(
            "warning: drill{name} on {} starts at {}, after the {}-year run ends: it never happens\n  help: run with --years {}",
            model.element(d.element).name,
            sim_core::units::Duration::from_secs(d.at_secs).human(),
            run.years,
            (d.at_secs / sim_core::units::SECS_PER_YEAR).floor() as u64 + 1
        );
    }
    if model.services.is_empty() {
        eprintln!("warning: {} declares no services: there is nothing to measure", args.file.display());
    }
    if args.rare_event {
        return run_rare(args, &text, &model);
    }
    let options = SimOptions { ideal: args.ideal, ..run };
    let compiled = Compiled::new(&model, options.clone());
    let range = match args.shard {
        Some(s) => shard::shard_range(s.index, s.count, options.replications),
        None => 0..options.replications,
    };
    let pool = match inputs::thread_pool(args.threads) {
        Ok(p) => p,
        Err(status) => return status,
    };
    let bar = crate::progress::bar(range.end - range.start, "replications simulated", args.quiet);
    let hash = shard::scenario_hash(&text);
    let services = simulate::service_names(&model);
    let out = match args.shard {
        Some(s) => {
            // A shard keeps its records (each O(histogram buckets), never O(years)) for
            // `merge` to fold in index order with the other shards'.
            let records = pool.install(|| simulate::run_replications_with(&compiled, range, &|| bar.inc(1)));
            bar.finish_and_clear();
            let shard = Shard {
                records,
                notes: compiled.approximations(),
                ..Shard::new(&model.name, hash, services, &options, [s.index, s.count])
            };
            if !args.quiet {
                eprintln!(
                    "shard {}/{}: {} replications of {}; merge all {} with `spofsim merge`",
                    s.index,
                    s.count,
                    shard.records.len(),
                    options.replications,
                    s.count
                );
            }
            match encode_shard(&shard) {
                Ok(t) => t,
                Err(status) => return status,
            }
        }
        None => {
            let fold = pool.install(|| simulate::run_folded(&compiled, range, &|| bar.inc(1)));
            bar.finish_and_clear();
            let report = fold.report(&model.name, &services, &options).with_notes(compiled.approximations());
            match args.format {
                SimFormat::Text if !report.random_failures => {
                    simulate_text::render_with_drills(&report, &hash, &drill_lines(&model))
                }
                format => render(&report, &hash, format),
            }
        }
    };
    write_out(args.output.as_deref(), &out)
}

pub fn merge(args: &MergeArgs) -> Status {
    let mut shards = Vec::new();
    let mut errors = Vec::new();
    for path in &args.shards {
        match std::fs::read_to_string(path) {
            Ok(t) => match serde_json::from_str::<Shard>(&t) {
                Ok(s) => shards.push((path.display().to_string(), s)),
                Err(e) => errors.push(format!("{}: not a spofsim shard: {e}", path.display())),
            },
            Err(e) => errors.push(format!("{}: cannot read: {e}", path.display())),
        }
    }
    let merged = if errors.is_empty() { shard::merge(shards) } else { Err(errors) };
    let merged = match merged {
        Ok(m) => m,
        Err(errors) => {
            for e in errors {
                eprintln!("error: {e}");
            }
            return Status::Invalid;
        }
    };
    if merged.rare_cycles.is_some() {
        let report = rare::aggregate(
            &merged.scenario,
            &merged.services,
            merged.options.seed,
            merged.options.ideal,
            &merged.batches,
        );
        return write_out(args.output.as_deref(), &render_rare(&report, &merged.scenario_hash, args.format));
    }
    let report = simulate::aggregate(&merged.scenario, &merged.services, &merged.options, &merged.records)
        .with_notes(merged.notes);
    write_out(args.output.as_deref(), &render(&report, &merged.scenario_hash, args.format))
}

/// `simulate --rare-event`: batches of regenerative cycles, or one shard of them.
fn run_rare(args: &SimulateArgs, text: &str, model: &Model) -> Status {
    let unsupported = rare::unsupported(model);
    if !unsupported.is_empty() {
        eprintln!(
            "error: {}: --rare-event needs exponential lifetimes (it forces failures and redraws running failure clocks, which only memoryless lifetimes allow); {} element(s) have others:",
            args.file.display(),
            unsupported.len()
        );
        for u in &unsupported {
            eprintln!("  {u}");
        }
        eprintln!("  help: drop their \"distribution\" (exponential is the default), or run the crude simulation without --rare-event");
        return Status::Invalid;
    }
    let options = rare::options(args.run.seed, args.cycles, args.ideal);
    let compiled = Compiled::new(model, options.clone());
    let batches = rare::batch_count(args.cycles);
    let range = match args.shard {
        Some(s) => shard::shard_range(s.index, s.count, batches),
        None => 0..batches,
    };
    let pool = match inputs::thread_pool(args.threads) {
        Ok(p) => p,
        Err(status) => return status,
    };
    let bar = crate::progress::bar(range.end - range.start, "batches of 1,000 cycles simulated", args.quiet);
    let done = pool.install(|| {
        let cap = rare::choose_force_cap(&compiled, args.cycles);
        rare::run_batches(&compiled, range, args.cycles, cap, &|| bar.inc(1))
    });
    bar.finish_and_clear();
    let hash = shard::scenario_hash(text);
    let services = simulate::service_names(model);
    let out = match args.shard {
        Some(s) => {
            let shard = Shard {
                rare_cycles: Some(args.cycles),
                batches: done,
                ..Shard::new(&model.name, hash, services, &options, [s.index, s.count])
            };
            if !args.quiet {
                eprintln!(
                    "shard {}/{}: {} batches of {} (rare-event, {} cycles); merge all {} with `spofsim merge`",
                    s.index,
                    s.count,
                    shard.batches.len(),
                    batches,
                    args.cycles,
                    s.count
                );
            }
            match encode_shard(&shard) {
                Ok(t) => t,
                Err(status) => return status,
            }
        }
        None => {
            let report = rare::aggregate(&model.name, &services, options.seed, options.ideal, &done);
            render_rare(&report, &hash, args.format)
        }
    };
    write_out(args.output.as_deref(), &out)
}

/// The scenario's drills, by start, then component.
fn drill_lines(model: &sim_core::model::Model) -> Vec<crate::report::DrillLine> {
    let mut lines: Vec<crate::report::DrillLine> = model
        .drills
        .iter()
        .map(|d| crate::report::DrillLine {
            component: model.element(d.element).name.clone(),
            name: d.name.clone(),
            at_secs: d.at_secs,
            for_secs: d.for_secs,
        })
        .collect();
    lines.sort_by(|a, b| a.at_secs.total_cmp(&b.at_secs).then_with(|| a.component.cmp(&b.component)));
    lines
}

/// A shard as one line of JSON.
fn encode_shard(shard: &Shard) -> Result<String, Status> {
    serde_json::to_string(shard).map(|t| t + "\n").map_err(|e| {
        eprintln!("error: cannot encode the shard: {e}");
        Status::Invalid
    })
}

fn render_rare(report: &rare::RareReport, hash: &str, format: SimFormat) -> String {
    match format {
        SimFormat::Text => rare_text::render(report, hash),
        SimFormat::Json => rare_json::render(report, hash),
        SimFormat::Markdown => rare_markdown::render(report, hash),
    }
}

fn render(report: &simulate::SimReport, hash: &str, format: SimFormat) -> String {
    match format {
        SimFormat::Text => simulate_text::render(report, hash),
        SimFormat::Json => simulate_json::render(report, hash),
        SimFormat::Markdown => simulate_markdown::render(report, hash),
    }
}

fn write_out(output: Option<&Path>, text: &str) -> Status {
    match output {
        Some(file) => {
            if let Err(e) = std::fs::write(file, text) {
                eprintln!("error: cannot write {}: {e}", PathBuf::from(file).display());
                return Status::Invalid;
            }
        }
        None => {
            let _ = std::io::stdout().write_all(text.as_bytes());
        }
    }
    Status::Ok
}
