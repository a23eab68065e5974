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

/// A running deadline: `flag` is set after `secs`, and a spinner names the work on
/// stderr once it has run a second (not with `--quiet` or off a terminal).
pub struct Deadline {
    pub flag: &'static std::sync::atomic::AtomicBool,
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    spinner: indicatif::ProgressBar,
}

impl Deadline {
    pub fn finish(self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        self.spinner.finish_and_clear();
    }
}

pub fn deadline(secs: f64, what: &str, quiet: bool) -> Deadline {
    use std::sync::atomic::{AtomicBool, Ordering};
    // One flag per deadline, leaked: a few bytes per analysed service.
    let flag: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
    let done = std::sync::Arc::new(AtomicBool::new(false));
    let spinner = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr())
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        spinner.set_style(style);
    }
    let message = format!("{what} (budget {secs} s)");
    let (timer_done, timer_spinner) = (done.clone(), spinner.clone());
    let start = std::time::Instant::now();
    std::thread::spawn(move || {
        let limit = std::time::Duration::from_secs_f64(secs.max(0.0));
        while !timer_done.load(Ordering::Relaxed) {
            let elapsed = start.elapsed();
            if elapsed >= limit {
                flag.store(true, Ordering::Relaxed);
                return;
            }
            if elapsed >= std::time::Duration::from_secs(1) {
                timer_spinner.set_message(message.clone());
                timer_spinner.tick();
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    });
    Deadline { flag, done, spinner }
}
