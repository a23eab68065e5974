//! `check` as a table for people: per scenario, each expectation's verdict, service,
//! target and measured value with the estimator that measured it; then the lint findings that fail the run, accepted
//! findings with their reasons, and a one-line total. Colour only on request or a tty.

use std::fmt::Write;

use sim_core::lints::Severity;

use super::Checked;
use crate::render::ColorMode;

/// The table, one block per scenario; columns are as wide as their widest cell (the
/// target column at most 48 characters) and
/// the verdict is coloured when `color` says so.
pub fn render(checked: &[Checked], fail_on: Option<Severity>, color: ColorMode) -> String {
    let mut out = String::new();
    let (mut passed, mut failed) = (0, 0);
    let rows: Vec<[String; 3]> = checked
        .iter()
        .flat_map(|c| c.result.iter().flat_map(|r| &r.verdicts))
        .map(|v| {
            let service = v.service.as_deref().unwrap_or("(design)").to_string();
            [service, v.measure.to_string(), v.target.clone()]
        })
        .collect();
    let width = |i: usize, header: &str| {
        rows.iter().map(|r| r[i].chars().count()).chain([header.chars().count()]).max().unwrap_or(0)
    };
    // A long target (an exact SPOF list) keeps its row readable without widening every
    // other row: past this width a cell runs on and only its own row loses alignment.
    const MAX_TARGET: usize = 48;
    let w = [width(0, "service"), width(1, "expectation"), width(2, "target").min(MAX_TARGET)];
    // No header over a table with no rows (every scenario invalid or without targets).
    if !rows.is_empty() {
        let _ = writeln!(
            out,
            "verdict  {:<w0$}  {:<w1$}  {:<w2$}  measured",
            "service",
            "expectation",
            "target",
            w0 = w[0],
            w1 = w[1],
            w2 = w[2]
        );
    }
    for c in checked {
        match &c.result {
            Err(why) => {
                let _ = writeln!(out, "{}: {why}", c.path);
            }
            Ok(r) if r.verdicts.is_empty() => {
                let _ = writeln!(out, "{}: (no expectations)", c.path);
            }
            Ok(r) => {
                let _ = writeln!(out, "{}", c.path);
                for v in &r.verdicts {
                    if v.passed {
                        passed += 1;
                    } else {
                        failed += 1;
                    }
                    let verdict = color.verdict(if v.passed { "pass" } else { "FAIL" }, v.passed);
                    let service = v.service.as_deref().unwrap_or("(design)");
                    let line = format!(
                        "  {verdict}   {service:<w0$}  {:<w1$}  {:<w2$}  {} [by {}]",
                        v.measure,
                        v.target,
                        v.measured_cell(),
                        v.measured_by,
                        w0 = w[0],
                        w1 = w[1],
                        w2 = w[2]
                    );
                    let _ = writeln!(out, "{}", line.trim_end());
                }
            }
        }
    }
    let mut gating = 0;
    for c in checked {
        for f in c.result.iter().flat_map(|r| r.lints.iter()).filter(|f| f.fails_run(fail_on)) {
            gating += 1;
            // Where the finding points: in an imported base, the base's file and line.
            let (path, line, column) = c.sources.position(f.span);
            let _ =
                writeln!(out, "{path}:{line}:{column}: {} {} [{}] {}", f.severity.as_str(), f.code, f.name, f.message);
        }
    }
    for c in checked {
        let Ok(r) = &c.result else { continue };
        for f in r.lints.iter().filter(|f| f.suppressed.is_some()) {
            let reason = f.suppressed.as_deref().unwrap_or_default();
            // The message, not only the subject: one subject can carry two findings of a code.
            let (path, line, column) = c.sources.position(f.span);
            let _ = writeln!(
                out,
                "{path}:{line}:{column}: accepted {} [{}] {} (reason: {reason})",
                f.code, f.name, f.message
            );
        }
        for s in r.spofs.iter().filter(|s| s.suppressed.is_some()) {
            let reason = s.suppressed.as_deref().unwrap_or_default();
            let _ = writeln!(
                out,
                "{}: accepted SPOF-S001 [single-point-of-failure] {} (reason: {reason})",
                c.path, s.element
            );
        }
        for n in &r.notes {
            let _ = writeln!(out, "{}: note: {n}", c.path);
        }
        for s in &r.unused_suppressions {
            let subject = s.subject.as_deref().unwrap_or("(any)");
            let _ =
                writeln!(out, "{}: warning: suppression of {} {subject} matches no finding; remove it", c.path, s.code);
        }
    }
    let known = checked.iter().flat_map(|c| c.result.iter()).flat_map(|r| &r.lints).filter(|f| f.in_baseline).count();
    if known > 0 {
        let _ = writeln!(out, "{known} finding(s) already in the baseline do not fail the run");
    }
    // Invalid scenarios were not checked at all: the summary says so rather than
    // reading as a clean "0 failed".
    let invalid = checked.iter().filter(|c| c.result.is_err()).count();
    let not_checked = if invalid > 0 { format!(", {invalid} invalid and not checked") } else { String::new() };
    let _ = writeln!(
        out,
        "\n{passed} passed, {failed} failed, {gating} failing finding(s), {} scenario(s){not_checked}",
        checked.len()
    );
    out
}
