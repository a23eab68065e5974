//! The `expect` verdicts a slice at a time: the check's static half, then its crude
//! simulation a few replications per slice, then the verdicts. The page has one thread,
//! and the 10,000-year simulation behind `models_agree` would otherwise freeze it for
//! seconds (about 8 s for the full single-site example). The verdicts equal
//! `sim_core::check::check`'s: the chunked simulation's report is the one-call report.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use sim_core::check::{PreparedCheck, ScenarioCheck, CHECK_SIMULATION};
use sim_core::model::Model;
use sim_core::simulate::Chunked;

use crate::sim_run::Running as Simulation;

enum Stage {
    Prepare,
    Simulate(Box<PreparedCheck>, Simulation),
    Done,
}

/// A check of one model, advanced by [`CheckSteps::step`].
pub struct CheckSteps {
    model: Arc<Model>,
    stage: Stage,
    /// Replications of the check's simulation done so far (shown by the UI).
    progress: Arc<AtomicU64>,
}

impl CheckSteps {
    /// `progress` receives the number of simulated replications done (of
    /// `CHECK_SIMULATION.replications`).
    pub fn new(model: Arc<Model>, progress: Arc<AtomicU64>) -> CheckSteps {
        progress.store(0, Ordering::Relaxed);
        CheckSteps { model, stage: Stage::Prepare, progress }
    }

    /// Works until `budget_secs` of wall time have passed (at least one unit: the
    /// static half, or one replication). Returns the check when it is done, once.
    pub fn step(&mut self, budget_secs: f64) -> Option<ScenarioCheck> {
        let start = web_time::Instant::now();
        let over = || start.elapsed().as_secs_f64() >= budget_secs;
        loop {
            match std::mem::replace(&mut self.stage, Stage::Done) {
                Stage::Done => return None,
                Stage::Prepare => {
                    let prepared = PreparedCheck::of(&self.model);
                    if !prepared.needs_simulation {
                        return Some(prepared.finish(&self.model, None, &CHECK_SIMULATION));
                    }
                    let simulation = Simulation::new(self.model.clone(), |m| Chunked::new(m, CHECK_SIMULATION));
                    self.stage = Stage::Simulate(Box::new(prepared), simulation);
                }
                Stage::Simulate(prepared, mut simulation) => {
                    let progress = &self.progress;
                    let finished = simulation.with_dependent_mut(|_, run| loop {
                        progress.store(run.step(1), Ordering::Relaxed);
                        if run.finished() || over() {
                            return run.finished();
                        }
                    });
                    if finished {
                        let report = simulation.borrow_dependent().report();
                        return Some(prepared.finish(&self.model, Some(&report), &CHECK_SIMULATION));
                    }
                    self.stage = Stage::Simulate(prepared, simulation);
                }
            }
            if over() {
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Slices of a few milliseconds give the verdicts, notes and findings of one call,
    /// for a check that simulates (shop-two-tier's `models_agree`) and one that does not.
    #[test]
    fn sliced_checks_equal_one_call() {
        for (file, simulates) in [("shop-two-tier.jsonc", true), ("anti-patterns/psus-on-one-pdu.jsonc", false)] {
            let text = crate::examples::find(file).unwrap().text;
            let model = Arc::new(sim_core::load(text).model.unwrap());
            assert_eq!(PreparedCheck::of(&model).needs_simulation, simulates, "{file}");
            let progress = Arc::new(AtomicU64::new(0));
            let mut steps = CheckSteps::new(model.clone(), progress.clone());
            let mut slices = 0;
            let sliced = loop {
                slices += 1;
                if let Some(check) = steps.step(0.005) {
                    break check;
                }
            };
            assert!(steps.step(0.005).is_none(), "the check is given once");
            let whole = sim_core::check::check(&model);
            assert!(!whole.verdicts.is_empty(), "{file} has verdicts to compare");
            assert_eq!(format!("{:?}", sliced.verdicts), format!("{:?}", whole.verdicts), "{file}");
            assert_eq!(sliced.notes, whole.notes, "{file}");
            assert_eq!(format!("{:?}", sliced.spofs), format!("{:?}", whole.spofs), "{file}");
            if simulates {
                assert!(slices > 2, "{file}: the check ran in {slices} slice(s), not in slices");
                assert_eq!(progress.load(Ordering::Relaxed), CHECK_SIMULATION.replications);
            }
        }
    }
}
