//! `check` as Markdown, for pull-request comments and GitHub step summaries.

use std::fmt::Write;

use super::Checked;

fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

pub fn render(checked: &[Checked]) -> String {
    let mut out = String::from("## spofsim check\n\n| scenario | service | expectation | target | measured | measured by | verdict |\n|---|---|---|---|---|---|---|\n");
    for c in checked {
        match &c.result {
            Err(why) => {
                let _ = writeln!(out, "| `{}` | | | | {} | | ❌ invalid |", cell(&c.path), cell(why));
            }
            Ok(r) => {
                for v in &r.verdicts {
                    let measured = v.measured_cell();
                    let verdict = if v.passed { "✅ pass" } else { "❌ fail" };
                    let service = v.service.as_deref().unwrap_or("(design)");
                    let _ = writeln!(
                        out,
                        "| `{}` | {} | {} | {} | {} | {} | {verdict} |",
                        cell(&c.path),
                        cell(service),
                        v.measure,
                        cell(&v.target),
                        cell(&measured),
                        v.measured_by
                    );
                }
            }
        }
    }
    let spofs: Vec<String> = checked
        .iter()
        .filter_map(|c| c.result.as_ref().ok().map(|r| (c, r)))
        .flat_map(|(c, r)| {
            r.spofs.iter().map(move |s| {
                let accepted = s.suppressed.as_ref().map_or(String::new(), |why| format!(" (accepted: {why})"));
                format!("- `{}`: **{}** — {}{accepted}", c.path, s.element, s.blast.chain_text())
            })
        })
        .collect();
    if !spofs.is_empty() {
        let _ = writeln!(out, "\n### Single points of failure\n\n{}", spofs.join("\n"));
    }
    out
}
