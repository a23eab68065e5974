//! `check` as JUnit XML: one testsuite per scenario, one testcase per expectation, with
//! a failure message stating target against measured. Invalid scenarios are errors.

use std::fmt::Write;

use super::Checked;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `suite` names the run ("spofsim check", "spofsim analyze").
pub fn render(checked: &[Checked], suite: &str) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let tests: usize = checked.iter().map(|c| c.result.as_ref().map_or(1, |r| r.verdicts.len())).sum();
    let failures: usize = checked.iter().filter_map(|c| c.result.as_ref().ok()).map(|r| r.failed()).sum();
    let errors = checked.iter().filter(|c| c.result.is_err()).count();
    let _ = writeln!(
        out,
        "<testsuites name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">",
        esc(suite)
    );
    for c in checked {
        match &c.result {
            Err(why) => {
                let _ =
                    writeln!(out, "  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\">", esc(&c.path));
                let _ = writeln!(
                    out,
                    "    <testcase name=\"load\" classname=\"{}\"><error message=\"{}\"/></testcase>",
                    esc(&c.path),
                    esc(why)
                );
            }
            Ok(r) => {
                let _ = writeln!(
                    out,
                    "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\">",
                    esc(&c.path),
                    r.verdicts.len(),
                    r.failed()
                );
                for v in &r.verdicts {
                    let drill = v.drill.as_ref().map(|d| format!(" (drill {d})")).unwrap_or_default();
                    // The target too, so two targets on one measure are two distinct tests.
                    let name =
                        format!("{} {} {}{drill}", v.service.as_deref().unwrap_or("(design)"), v.measure, v.target);
                    if v.passed {
                        let _ = writeln!(
                            out,
                            "    <testcase name=\"{}\" classname=\"{}\"><system-out>{}</system-out></testcase>",
                            esc(&name),
                            esc(&c.path),
                            esc(&v.measured_text_by())
                        );
                    } else {
                        let measured = v.measured_text_by();
                        let message = format!("target {}, {measured}", v.target);
                        let _ = writeln!(
                            out,
                            "    <testcase name=\"{}\" classname=\"{}\"><failure message=\"{}\"/></testcase>",
                            esc(&name),
                            esc(&c.path),
                            esc(&message)
                        );
                    }
                }
            }
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}
