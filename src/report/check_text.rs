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
                    let measured = match &v.measured {
                        Ok(m) => m.clone(),
                        Err(why) => format!("not measured: {why}"),
                    };
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
    if let Some(t) = fail_on {
        for c in checked {
            for f in c.result.iter().flat_map(|r| r.lints.iter()).filter(|f| f.severity >= t) {
                gating += 1;
                let _ = writeln!(out, "{}: {} {} [{}] {}", c.path, f.severity.as_str(), f.code, f.name, f.message);
            }
        }
    }
    let _ =
        writeln!(out, "\n{passed} passed, {failed} failed, {gating} failing finding(s), {} scenario(s)", checked.len());
    out
}
