//! `check` as GitHub Actions workflow commands: an `::error` annotation (file, line,
//! column) for each failed expectation and each lint finding that fails the run, a
//! `::warning` for other findings.

use std::fmt::Write;

use sim_core::lints::Severity;
use sim_core::syntax::Span;

use super::Checked;

/// Escapes a message: GitHub decodes %25, %0D and %0A.
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value (file, title): also ':' and ','.
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

fn annotation(out: &mut String, level: &str, c: &Checked, span: Span, title: &str, message: &str) {
    let (path, line, col) = c.sources.position(span);
    let _ = writeln!(
        out,
        "::{level} file={},line={line},col={col},title={}::{}",
        property(path),
        property(title),
        data(message)
    );
}

pub fn render(checked: &[Checked], fail_on: Option<Severity>) -> String {
    let mut out = String::new();
    for c in checked {
        let r = match &c.result {
            Ok(r) => r,
            Err(why) => {
                let _ = writeln!(out, "::error file={},title=spofsim::{}", property(&c.path), data(why));
                continue;
            }
        };
        for v in r.verdicts.iter().filter(|v| !v.passed) {
            let measured = v.measured_text_by();
            let service = v.service.as_deref().unwrap_or("(design)");
            let title = format!("spofsim {} {}", service, v.measure);
            annotation(
                &mut out,
                "error",
                c,
                v.span,
                &title,
                &format!("{service} {}: target {}, {measured}", v.measure, v.target),
            );
        }
        // Each SPOF at its declaration, as SARIF reports them (the failing target, if
        // any, is the error above): accepted ones as notices with their reason.
        for sp in &r.spofs {
            let (level, text) = match &sp.suppressed {
                Some(why) => ("notice", format!("{} is a single point of failure (accepted: {why})", sp.element)),
                None => ("warning", format!("{} is a single point of failure: {}", sp.element, sp.blast.chain_text())),
            };
            let title = format!("{} single-point-of-failure", sim_core::explain::SPOF_FINDING);
            annotation(&mut out, level, c, sp.span, &title, &text);
        }
        for f in &r.lints {
            let level = match (&f.suppressed, f.fails_run(fail_on)) {
                (Some(_), _) => "notice",
                (None, true) => "error",
                (None, false) => "warning",
            };
            annotation(
                &mut out,
                level,
                c,
                f.span,
                &format!("{} {}", f.code, f.name),
                &match &f.suppressed {
                    Some(why) => format!("{} (accepted: {why})", f.message),
                    None => format!("{} Fix: {}", f.message, f.fix),
                },
            );
        }
    }
    out
}
