//! `spofsim check PATH...`: evaluate every scenario's expectations for CI. Every file
//! is reported; one bad file never hides the others. Exit 0 when everything passes, 1
//! when an expectation fails or a lint finding reaches `--fail-on`, 2 on invalid input.

use std::io::Write;

use sim_core::lints::Severity;

use crate::flags::{CheckArgs, CheckFormat, FailOn};
use crate::render::{self, ColorMode};
use crate::report::{check_github, check_json, check_junit, check_markdown, check_sarif, check_text, Checked};
use crate::{inputs, Status};

pub fn run(args: &CheckArgs, color: ColorMode, stdout_color: ColorMode) -> Status {
    let mut checked = Vec::new();
    let mut invalid = false;
    let inputs = inputs::skip_extended_bases(inputs::collect(&args.paths));
    let bar = crate::progress::bar(inputs.len() as u64, "scenarios checked", args.quiet);
    for input in inputs {
        bar.inc(1);
        let path = input.path.display().to_string();
        let text = match input.text {
            Ok(t) => t,
            Err(e) => {
                eprint!("{}", render::file_error(&input.path, &e));
                invalid = true;
                checked.push(Checked { path, result: Err(e), sources: Default::default() });
                continue;
            }
        };
        let (sources, model) = inputs::load_scenario_explained(&input.path, &text, color);
        match model {
            Ok(model) => {
                let stop = crate::progress::deadline(
                    args.budget_secs,
                    sim_core::analysis::budget::BDD_REQUESTS_PER_SEC,
                    "exact analysis",
                    true,
                );
                let bounds_units =
                    crate::progress::work_units(args.budget_secs, sim_core::analysis::budget::DATAFLOW_UNITS_PER_SEC);
                let result =
                    sim_core::check::check_with_simulation(&model, stop.budget, bounds_units, &args.run.options());
                stop.finish();
                checked.push(Checked { path, result: Ok(result), sources })
            }
            Err(errors) => {
                invalid = true;
                // The errors themselves, so a report read apart from the terminal (a
                // CI's JUnit or Markdown summary) says what to fix.
                let why = if errors.is_empty() {
                    "invalid scenario (see the diagnostics above)".to_string()
                } else {
                    format!("invalid scenario: {}", errors.join("; "))
                };
                checked.push(Checked { path, result: Err(why), sources });
            }
        }
    }
    bar.finish_and_clear();
    checked.sort_by(|a, b| a.path.cmp(&b.path));
    if let Some(file) = &args.baseline {
        match baseline(file) {
            Ok(known) => {
                for c in &mut checked {
                    let Ok(r) = &mut c.result else { continue };
                    for f in &mut r.lints {
                        f.in_baseline = known.contains(&(c.path.clone(), f.code.to_string(), f.subject.clone()));
                    }
                }
            }
            Err(why) => {
                eprintln!(
                    "error: {}: {why}\n  help: pass a report written by `spofsim check --format json`",
                    file.display()
                );
                return Status::Invalid;
            }
        }
    }
    let threshold = match args.fail_on {
        FailOn::Never => None,
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Error => Some(Severity::Error),
    };
    let in_actions = std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true");
    let format = args.format.unwrap_or(if in_actions { CheckFormat::Github } else { CheckFormat::Text });
    if format == CheckFormat::Github {
        if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY") {
            let appended = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&summary)
                .and_then(|mut f| f.write_all(check_markdown::render(&checked).as_bytes()));
            if let Err(e) = appended {
                eprintln!(
                    "warning: cannot write the step summary to {}: {e}",
                    std::path::Path::new(&summary).display()
                );
            }
        }
    }
    let report = match format {
        CheckFormat::Github => check_github::render(&checked, threshold),
        CheckFormat::Text => check_text::render(&checked, threshold, stdout_color),
        CheckFormat::Json => check_json::render(&checked, threshold, &args.run.options()),
        CheckFormat::Markdown => check_markdown::render(&checked),
        CheckFormat::Junit => check_junit::render(&checked, "spofsim check"),
        CheckFormat::Sarif => check_sarif::render(&checked, threshold, args.baseline.is_some()),
    };
    match &args.output {
        Some(file) => {
            if let Err(e) = std::fs::write(file, &report) {
                eprintln!("error: cannot write {}: {e}", file.display());
                return Status::Invalid;
            }
            if !args.quiet {
                eprint!("{}", check_text::render(&checked, threshold, color));
            }
        }
        None => {
            let _ = std::io::stdout().write_all(report.as_bytes());
        }
    }
    let failing = checked
        .iter()
        .filter_map(|c| c.result.as_ref().ok())
        .any(|c| c.failed() > 0 || threshold.is_some_and(|t| c.lints.iter().any(|f| f.fails_run(Some(t)))));
    if invalid {
        Status::Invalid
    } else if failing {
        Status::Findings
    } else {
        Status::Ok
    }
}

/// The findings of a baseline report, as (scenario path, code, subject).
fn baseline(file: &std::path::Path) -> Result<std::collections::BTreeSet<(String, String, String)>, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read it: {e}"))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    if v["version"] != 1 || !v["scenarios"].is_array() {
        return Err("not a `check --format json` report (version 1)".into());
    }
    let mut known = std::collections::BTreeSet::new();
    for s in v["scenarios"].as_array().into_iter().flatten() {
        let path = s["path"].as_str().unwrap_or_default().to_string();
        for f in s["findings"].as_array().into_iter().flatten() {
            let field = |k: &str| f[k].as_str().unwrap_or_default().to_string();
            known.insert((path.clone(), field("code"), field("subject")));
        }
    }
    Ok(known)
}
