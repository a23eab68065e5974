//! A simulation run inside the UI loop: a few replications per frame within a time
//! budget (the browser has no threads, and the desktop shares the code), with progress
//! and cancel. The seed is explicit; the result is the same as the CLI's for the same
//! settings, because it is the same engine run in index order.

use std::sync::Arc;

use sim_core::model::Model;
use sim_core::simulate::{Chunked, SimOptions, SimReport, WorstYear, DEFAULT_SEED};

self_cell::self_cell!(
    /// The model and the run that borrows it (also the `expect` check's simulation).
    pub(crate) struct Running {
        owner: Arc<Model>,
        #[covariant]
        dependent: Chunked,
    }
);

/// The settings the panel edits.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SimSettings {
    pub years: u32,
    pub replications: u64,
    pub seed: u64,
}

impl Default for SimSettings {
    fn default() -> Self {
        SimSettings { years: 10, replications: 50, seed: DEFAULT_SEED }
    }
}

impl SimSettings {
    pub fn options(&self) -> SimOptions {
        SimOptions {
            years: self.years.max(1),
            replications: self.replications.max(1),
            seed: self.seed,
            random_failures: true,
            ideal: false,
        }
    }
}

#[derive(Default)]
pub struct SimRun {
    running: Option<Running>,
    done: u64,
    total: u64,
    /// The last finished run, with the settings it used.
    pub report: Option<(SimSettings, SimReport)>,
    /// Each service's worst simulated year of that run (report order), as the CLI's
    /// `report` draws it.
    pub worst: Vec<WorstYear>,
    settings_running: Option<SimSettings>,
}

impl SimRun {
    pub fn start(&mut self, model: Arc<Model>, settings: &SimSettings) {
        let options = settings.options();
        self.total = options.replications;
        self.done = 0;
        self.settings_running = Some(settings.clone());
        self.running = Some(Running::new(model, |m| Chunked::new(m, options)));
    }

    pub fn cancel(&mut self) {
        self.running = None;
        self.settings_running = None;
    }

    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// (done, total) replications of the run in progress.
    pub fn progress(&self) -> (u64, u64) {
        (self.done, self.total)
    }

    /// Runs replications one at a time until `budget_secs` of wall time have passed
    /// (at least one). Returns true when the run finished in this step.
    pub fn step(&mut self, budget_secs: f64) -> bool {
        let Some(running) = &mut self.running else { return false };
        let start = web_time::Instant::now();
        let finished = running.with_dependent_mut(|_, run| {
            loop {
                self.done = run.step(1);
                if run.finished() || start.elapsed().as_secs_f64() >= budget_secs {
                    break;
                }
            }
            run.finished()
        });
        if finished {
            let report = running.borrow_dependent().report();
            self.worst = running.borrow_dependent().worst_years();
            let settings = self.settings_running.take().unwrap_or_default();
            self.report = Some((settings, report));
            self.running = None;
        }
        finished
    }

    /// Forgets results of an older model.
    pub fn reset(&mut self) {
        self.cancel();
        self.report = None;
        self.worst.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_runs_give_the_same_report_as_one_call() {
        let text = crate::examples::find("shop-two-tier.jsonc").unwrap().text;
        let model = Arc::new(sim_core::load(text).model.unwrap());
        let settings = SimSettings { years: 5, replications: 7, seed: 42 };
        let mut run = SimRun::default();
        run.start(model.clone(), &settings);
        let mut frames = 0;
        while !run.step(0.0) {
            frames += 1;
            assert!(run.progress().0 < 7);
        }
        assert_eq!(frames, 6, "one replication per zero-budget frame");
        let (used, report) = run.report.clone().unwrap();
        assert_eq!(used, settings);
        assert_eq!(report, sim_core::simulate::simulate(&model, &settings.options()));
        // The worst years are those `spofsim report` draws for the same run.
        let compiled = sim_core::simulate::Compiled::new(&model, settings.options());
        let fold = sim_core::simulate::run_folded(&compiled, 0..settings.replications, &|| {});
        assert_eq!(run.worst, sim_core::simulate::worst_year_timelines(&compiled, &fold.worst_years()));
        assert_eq!(run.worst.len(), report.services.len());
        let records = sim_core::simulate::run_replications(&compiled, 0..settings.replications);
        for (index, (worst, service)) in run.worst.iter().zip(&report.services).enumerate() {
            let most = records.iter().map(|r| r.services[index].years.worst_down_secs).fold(0.0, f64::max);
            assert_eq!(worst.down_secs, most, "{}: the year with the most downtime", service.name);
        }
        // Cancel stops a run and keeps the last report.
        run.start(model, &settings);
        run.step(0.0);
        run.cancel();
        assert!(!run.is_running() && run.report.is_some());
    }
}
