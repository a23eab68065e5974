//! Progress bars for long work (simulations, many scenarios): on stderr, hidden with
//! `--quiet` and whenever stderr is not a terminal (indicatif's stderr target draws
//! nothing then), so pipes, files and CI logs stay clean.

/// A bar counting `total` units of `what` ("replications", "scenarios").
pub fn bar(total: u64, what: &str, quiet: bool) -> indicatif::ProgressBar {
    if quiet {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(Some(total), indicatif::ProgressDrawTarget::stderr());
    let template = format!("{{spinner}} {{pos}}/{{len}} {what} {{wide_bar}} {{eta}}");
    if let Ok(style) = indicatif::ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}
