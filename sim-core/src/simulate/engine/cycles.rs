//! Regenerative cycles with forced, biased failures: the engine side of the
//! rare-event estimator ([`crate::simulate::rare`]).
//!
//! A cycle starts in the regeneration state (every element up, nothing in progress,
//! every group in its initial role) and ends at the next instant the run is back in it.
//! Failures are not queued clock by clock here: after every instant the engine decides
//! the next failure itself. Lifetimes are exponential, so from now the next failure
//! comes after Exp(Λ) (Λ the sum of the running clocks' rates) and hits element i with
//! probability λᵢ/Λ, whatever happened before. With `Δ` the time to the next queued
//! event (a repair, a timer):
//!
//! - with nothing queued (all up), the next failure is drawn as it is: ratio 1;
//! - otherwise, with probability p = max(1 − e^(−ΛΔ), min(½, 1 − e^(−βΔ))) (β from
//!   [`crate::simulate::rare::force_rate`]) a failure is *forced* inside
//!   [now, now + Δ): its time from Exp(Λ) truncated to Δ, its element from
//!   qᵢ = ½·(1/F) + ½·(λᵢ/Λ) (balanced and proportional mixed); the likelihood ratio
//!   gains (λᵢ/Λ)(1 − e^(−ΛΔ)) / (p·qᵢ);
//! - with probability 1 − p none happens before the queued event: the ratio gains
//!   e^(−ΛΔ) / (1 − p), at most 2.
//!
//! Every factor is bounded whatever the repair times, so long repairs do not blow up
//! the variance (as a rate increase over the whole excursion would: e^((λ′−λ)·t)).
//! Forcing is Lewis & Böhm's (1984, "Monte Carlo simulation of Markov unreliability
//! models", Nucl. Eng. Des. 77); the balanced choice is Shahabuddin's (1994). Repairs,
//! delays and every other random choice are drawn as usual.

use super::{Event, Sim};
use crate::simulate::rare::{CycleSums, RareBatch, MAX_EVENTS_PER_CYCLE};
use crate::simulate::sample;

/// The estimator's state inside one batch of cycles.
pub(in crate::simulate) struct Cycles {
    /// Per element: 1/MTBF (0 for elements that never fail).
    rate: Vec<f64>,
    /// The biased total failure rate β away from all-up (per second).
    force_rate: f64,
    /// The most a failure is forced per wait ([`crate::simulate::rare::FORCE_CAPS`]).
    force_cap: f64,
    /// The one failure decided and queued, as (element, time).
    pending: Option<(u32, f64)>,
    log_lr: f64,
    /// The mean of the cycle's first all-up sojourn, 1/Λ at its start: the sojourn
    /// itself is replaced by its mean (conditional Monte Carlo: it is independent of
    /// the rest of the cycle and its weight is 1), which takes its variance out of the
    /// cycle length.
    mean_first_sojourn: f64,
    /// When the cycle's first failure came (`None` before it).
    excursion_start: Option<f64>,
    /// Per service, this cycle: seconds down, seconds not at full service, outages.
    down: Vec<f64>,
    not_full: Vec<f64>,
    outages: Vec<f64>,
    /// The regeneration state's key ([`Sim::regeneration_key`]).
    initial: Vec<u64>,
}

impl<'c, 'm> Sim<'c, 'm> {
    /// Runs `cycles` regenerative cycles (a batch) and returns their sums.
    pub(in crate::simulate) fn run_cycles(mut self, cycles: u64, force_cap: f64) -> RareBatch {
        let model = self.cx.model;
        let services = model.services.len();
        self.horizon = f64::INFINITY;
        self.record_timeline = false;
        self.rare = Some(Box::new(Cycles {
            rate: model.elements.iter().map(|e| e.failure.map_or(0.0, |f| 1.0 / f.mtbf_secs)).collect(),
            pending: None,
            force_rate: crate::simulate::rare::force_rate(model),
            force_cap,
            log_lr: 0.0,
            mean_first_sojourn: 0.0,
            excursion_start: None,
            down: vec![0.0; services],
            not_full: vec![0.0; services],
            outages: vec![0.0; services],
            initial: Vec::new(),
        }));
        self.initialise();
        self.settle_start_up();
        let initial = self.regeneration_key();
        self.cycles_mut().initial = initial;
        self.start_cycle();
        let mut batch = RareBatch::new(self.index, services);
        let mut cycle_events = 0u64;
        self.decide_failure();
        while batch.cycles < cycles {
            let Some(std::cmp::Reverse(next)) = self.queue.peek() else { break };
            let handled = self.step_to(next.at);
            self.events += handled;
            cycle_events += handled;
            if self.quiet() && self.regeneration_key() == self.cycles_mut().initial {
                self.end_cycle(&mut batch, false);
                cycle_events = 0;
                // Nothing valid is left in the queue (every timer belongs to something
                // in progress, and nothing is): start the next cycle afresh.
                self.queue.clear();
                self.cycles_mut().pending = None;
                self.start_cycle();
            } else if cycle_events > MAX_EVENTS_PER_CYCLE {
                self.end_cycle(&mut batch, true);
                break;
            }
            if self.cycles_mut().pending.is_none() {
                self.decide_failure();
            }
        }
        batch.events = self.events;
        batch
    }

    /// Runs the timers set at time 0 out, with no failures, until the run is quiet: the
    /// regeneration state is where the design settles, not its first instant. (A VRRP
    /// backup that hears no advertisement becomes master after Master_Down_Interval,
    /// RFC 5798 §6.4.2, so two routers with no segment between them are both master
    /// from then on; a cycle that began before would never see its state again.) What
    /// the start-up accounted is dropped: it belongs to no cycle.
    fn settle_start_up(&mut self) {
        let mut events = 0u64;
        while !self.quiet() && events <= MAX_EVENTS_PER_CYCLE {
            let Some(std::cmp::Reverse(next)) = self.queue.peek() else { break };
            events += self.step_to(next.at);
        }
        let c = self.cycles_mut();
        c.log_lr = 0.0;
        c.excursion_start = None;
        c.down.iter_mut().for_each(|x| *x = 0.0);
        c.not_full.iter_mut().for_each(|x| *x = 0.0);
        c.outages.iter_mut().for_each(|x| *x = 0.0);
    }

    /// Advances to `at`, handles every event queued for that instant (a failure only
    /// when it is the one decided: [`Self::decide_failure`]) and settles: the number of
    /// events handled.
    fn step_to(&mut self, at: f64) -> u64 {
        self.advance(at);
        let mut handled = 0;
        while let Some(std::cmp::Reverse(s)) = self.queue.peek() {
            if s.at != at {
                break;
            }
            let Some(std::cmp::Reverse(s)) = self.queue.pop() else { break };
            if let Event::Fail(e) = s.event {
                if self.cycles_mut().pending != Some((e, at)) {
                    continue;
                }
                let c = self.cycles_mut();
                c.pending = None;
                c.excursion_start.get_or_insert(at);
            }
            handled += 1;
            self.handle(s.event);
        }
        self.settle();
        self.react_data();
        self.observe();
        handled
    }

    /// At a regeneration: the mean of the all-up sojourn that follows.
    fn start_cycle(&mut self) {
        let model = self.cx.model;
        let total: f64 = (0..model.elements.len())
            .filter(|&i| model.elements[i].failure.is_some() && !self.failed[i] && !self.paused[i])
            .map(|i| self.rare.as_ref().expect("only in rare-event runs").rate[i])
            .sum();
        self.cycles_mut().mean_first_sojourn = if total > 0.0 { 1.0 / total } else { 0.0 };
    }

    fn cycles_mut(&mut self) -> &mut Cycles {
        self.rare.as_mut().expect("only in rare-event runs")
    }

    /// Decides whether and when the next failure comes before the next queued event,
    /// and queues it (see the module).
    fn decide_failure(&mut self) {
        let model = self.cx.model;
        let running = |sim: &Self, i: usize| model.elements[i].failure.is_some() && !sim.failed[i] && !sim.paused[i];
        let rates = &self.rare.as_ref().expect("only in rare-event runs").rate;
        let (mut total, mut count) = (0.0, 0usize);
        for (i, &r) in rates.iter().enumerate() {
            if running(self, i) {
                total += r;
                count += 1;
            }
        }
        if total <= 0.0 {
            return;
        }
        let window = self.queue.peek().map_or(f64::INFINITY, |s| s.0.at - self.now);
        if window <= 0.0 {
            return;
        }
        let hit = -(-total * window).exp_m1();
        let biased = -(-self.cycles_mut().force_rate * window).exp_m1();
        let force = hit.max(biased.min(self.cycles_mut().force_cap));
        let (element, at) = if window.is_infinite() {
            // Nothing queued: the failure as it comes, element by its rate (ratio 1).
            let at = self.now + sample::exponential(&mut self.rng, 1.0 / total);
            let pick = sample::uniform(&mut self.rng) * total;
            (self.pick(|r| r, pick, &running), at)
        } else if sample::uniform(&mut self.rng) < force {
            let offset = -(-sample::uniform(&mut self.rng) * hit).ln_1p() / total;
            let at = (self.now + offset).min(self.now + window);
            // Balanced and proportional, half each.
            let uniform_share = 0.5 / count as f64;
            let q = |r: f64| uniform_share + 0.5 * r / total;
            let pick = sample::uniform(&mut self.rng);
            let e = self.pick(q, pick, &running);
            let r = self.cycles_mut().rate[e as usize];
            self.cycles_mut().log_lr += ((r / total) * hit / (force * q(r))).ln();
            (e, at)
        } else {
            self.cycles_mut().log_lr += -total * window - (1.0 - force).ln();
            return;
        };
        self.cycles_mut().pending = Some((element, at));
        self.schedule(at, Event::Fail(element));
    }

    /// The running element where the running sum of `weight(rate)` passes `target`
    /// (the last running one on rounding).
    fn pick(&self, weight: impl Fn(f64) -> f64, target: f64, running: &impl Fn(&Self, usize) -> bool) -> u32 {
        let rates = &self.rare.as_ref().expect("only in rare-event runs").rate;
        let mut sum = 0.0;
        let mut last = 0;
        for (i, &r) in rates.iter().enumerate() {
            if running(self, i) {
                sum += weight(r);
                last = i;
                if sum > target {
                    return i as u32;
                }
            }
        }
        last as u32
    }
    /// Adds the finished cycle to `batch` and starts the next.
    fn end_cycle(&mut self, batch: &mut RareBatch, truncated: bool) {
        let now = self.now;
        let c = self.rare.as_mut().expect("only in rare-event runs");
        let ratio = c.log_lr.exp();
        let length = c.mean_first_sojourn + c.excursion_start.map_or(0.0, |at| now - at);
        batch.add_cycle(&CycleSums {
            ratio,
            length_secs: length,
            down_secs: &c.down,
            not_full_secs: &c.not_full,
            outages: &c.outages,
        });
        if truncated {
            batch.truncated += 1;
        }
        c.log_lr = 0.0;
        c.excursion_start = None;
        c.down.iter_mut().for_each(|x| *x = 0.0);
        c.not_full.iter_mut().for_each(|x| *x = 0.0);
        c.outages.iter_mut().for_each(|x| *x = 0.0);
    }

    /// Accounts `dt` seconds of service `s` at served fraction `f` in the cycle.
    pub(in crate::simulate) fn cycle_account(&mut self, s: usize, f: f64, dt: f64) {
        if let Some(c) = self.rare.as_mut() {
            if f < 1.0 {
                c.not_full[s] += dt;
            }
            if f == 0.0 {
                c.down[s] += dt;
            }
        }
    }

    /// Counts an outage of service `s` starting now, in the cycle.
    pub(in crate::simulate) fn cycle_outage(&mut self, s: usize) {
        if let Some(c) = self.rare.as_mut() {
            c.outages[s] += 1.0;
        }
    }

    /// Every element up and nothing in progress: no repair, boot, battery, rebuild,
    /// window, removal, reconvergence or restore, and every service at full
    /// service. (Which member holds a role is compared by [`Self::regeneration_key`].)
    fn quiet(&self) -> bool {
        let groups_quiet = self.groups.iter().all(|g| {
            !g.window
                && g.switching_to.is_none()
                && !g.awaiting_requires
                && !g.promote_pending
                && g.fenced.is_none()
                && !g.data_lost
                && !g.restoring
                && g.removal_pending.iter().all(|&x| !x)
                && g.readmit_pending.iter().all(|&x| !x)
                && g.rebuilding.iter().all(|&x| !x)
                && g.slot_ok.iter().all(|&x| x)
                && !g.stp.in_transition(self.now)
        });
        groups_quiet
            && self.degraded.is_empty()
            && self.failed.iter().all(|&f| !f)
            && self.crews_busy == 0
            && self.repair_queue.is_empty()
            && self.restart_until.iter().all(Option::is_none)
            && self.restart_starved.iter().all(|&x| !x)
            && self.battery_since.iter().all(Option::is_none)
            && self.transfer_until.iter().all(Option::is_none)
            && self.reconverging.iter().all(|&r| r == 0)
            && self.data_restoring.iter().all(|&d| d == 0)
            && self.data.iter().all(|d| !d.awaiting_restore && !d.restore_started && d.destroyed.iter().all(|&x| !x))
    }

    /// Everything that decides the run's future besides the failure clocks (and the
    /// data sets' primaries, below): the circuit's values, what forwards, idle
    /// generators, and each group's roles, rotation, spares and spanning tree. Cold standbys whose clock fired while they
    /// waited are left out: a waiting standby does not age either way.
    fn regeneration_key(&self) -> Vec<u64> {
        let mut key: Vec<u64> = Vec::with_capacity(self.value.len() + 8 * self.groups.len());
        let flag = |b: bool| u64::from(b);
        let slot = |x: Option<usize>| x.map_or(u64::MAX, |v| v as u64);
        key.extend(self.value.iter().map(|&v| flag(v)));
        key.extend(self.transit_blocked.iter().map(|&v| u64::from(v)));
        key.extend(self.generator_idle.iter().map(|&v| flag(v)));
        key.extend(self.on_alternate.iter().map(|&v| flag(v)));
        key.extend(self.drilled.iter().map(|&v| u64::from(v)));
        for g in &self.groups {
            // Two masters that cannot hear each other are a state the design can settle
            // in (see `settle_start_up`), so they are part of the key, not a reason to wait.
            key.extend([slot(g.active), slot(g.also_active), flag(g.split_since.is_some())]);
            key.extend([slot(g.primary), slot(g.last_active), u64::from(g.spares)]);
            for list in [&g.excluding, &g.in_rotation, &g.healthy, &g.on_spare, &g.onto_spare, &g.was_working] {
                key.push(list.len() as u64);
                key.extend(list.iter().map(|&v| flag(v)));
            }
            key.extend(g.stp.roles.root_port.iter().map(|&p| slot(p)));
            key.extend(g.stp.roles.forwarding_role.iter().flatten().map(|&f| flag(f)));
        }
        // Not the data sets' primary copies: the simulator leaves a primary where a
        // failover put it, so a design whose cluster fails back may never return to
        // its first copy. A cycle may therefore start with the primary on a replica
        // (see `rare::RareReport::notes`).
        key
    }
}
