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

/// A running work budget ([`sim_core::analysis::budget::Budget`]): `secs` seconds of
/// work on the reference machine, counted in work units so the result is the same on
/// every machine and under any load, with a wall-clock safety net at [`CLOCK_FACTOR`]
/// times `secs`. A spinner names the work on stderr once it has run a second (not with
/// `--quiet` or off a terminal).
pub struct Deadline {
    pub budget: sim_core::analysis::budget::Budget,
    done: std::sync::Arc<std::sync::atomic::AtomicBool>,
    spinner: indicatif::ProgressBar,
}

/// The wall-clock limit, as a multiple of the work budget's seconds: only a machine (or
/// a load) this many times slower than the reference machine reaches it first.
pub const CLOCK_FACTOR: f64 = 4.0;

impl Deadline {
    /// Stops the work now (its result is no longer wanted).
    pub fn stop_now(&self) {
        if let Some(clock) = self.budget.clock {
            clock.store(true, std::sync::atomic::Ordering::Relaxed);
        }
    }

    pub fn finish(self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        self.spinner.finish_and_clear();
    }
}

/// `secs` seconds of work at `units_per_sec` (one of the calibrations in
/// [`sim_core::analysis::budget`]), as work units; negative seconds are none.
pub fn work_units(secs: f64, units_per_sec: u64) -> u64 {
    (secs.max(0.0) * units_per_sec as f64).min(u64::MAX as f64) as u64
}

/// A budget of `secs` seconds' work at `units_per_sec` (one of the calibrations in
/// [`sim_core::analysis::budget`]).
pub fn deadline(secs: f64, units_per_sec: u64, what: &str, quiet: bool) -> Deadline {
    use std::sync::atomic::{AtomicBool, Ordering};
    // One flag per budget, leaked: a few bytes per analysed service.
    let flag: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
    let units = work_units(secs, units_per_sec);
    let budget = sim_core::analysis::budget::Budget::of_work(units, Some(flag));
    let done = std::sync::Arc::new(AtomicBool::new(false));
    let spinner = if quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr())
    };
    if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
        spinner.set_style(style);
    }
    let message = format!("{what} (budget {secs} s of work)");
    let (timer_done, timer_spinner) = (done.clone(), spinner.clone());
    let start = std::time::Instant::now();
    std::thread::spawn(move || {
        let limit = std::time::Duration::from_secs_f64((CLOCK_FACTOR * secs).max(0.0));
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
    Deadline { budget, done, spinner }
}
