//! `check` as a table for people: scenario × expectation with target, measured and
//! verdict, then the lint findings that fail the run, then a one-line total.

use std::fmt::Write;

use sim_core::lints::Severity;

use super::Checked;

pub fn render(checked: &[Checked], fail_on: Option<Severity>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<40} {:<14} {:<22} {:<14} {:<24} verdict",
        "scenario", "service", "expectation", "target", "measured"
    );
    let (mut passed, mut failed) = (0, 0);
    for c in checked {
        match &c.result {
            Err(why) => {
                let _ = writeln!(out, "{:<40} {why}", c.path);
            }
            Ok(r) if r.verdicts.is_empty() => {
                let _ = writeln!(out, "{:<40} (no expectations)", c.path);
            }
            Ok(r) => {
                for v in &r.verdicts {
                    let measured = v.measured_cell();
                    let verdict = if v.passed { "pass" } else { "FAIL" };
                    if v.passed {
                        passed += 1;
                    } else {
                        failed += 1;
                    }
                    let service = v.service.as_deref().unwrap_or("(design)");
                    let _ = writeln!(
                        out,
                        "{:<40} {:<14} {:<22} {:<14} {:<24} {verdict}",
                        c.path, service, v.measure, v.target, measured
                    );
                }
            }
        }
    }
    let mut gating = 0;
    for c in checked {
        for f in c.result.iter().flat_map(|r| r.lints.iter()).filter(|f| f.fails_run(fail_on)) {
            gating += 1;
            let _ = writeln!(out, "{}: {} {} [{}] {}", c.path, f.severity.as_str(), f.code, f.name, f.message);
        }
    }
    for c in checked {
        let Ok(r) = &c.result else { continue };
        for f in r.lints.iter().filter(|f| f.suppressed.is_some()) {
            let reason = f.suppressed.as_deref().unwrap_or_default();
            let _ = writeln!(out, "{}: accepted {} [{}] {}: {reason}", c.path, f.code, f.name, f.subject);
        }
        for s in r.spofs.iter().filter(|s| s.suppressed.is_some()) {
            let reason = s.suppressed.as_deref().unwrap_or_default();
            let _ = writeln!(out, "{}: accepted SPOF-S001 [single-point-of-failure] {}: {reason}", c.path, s.element);
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
    let _ =
        writeln!(out, "\n{passed} passed, {failed} failed, {gating} failing finding(s), {} scenario(s)", checked.len());
    out
}
