//! Standby generators (`mechanisms::generator`): idle while the feed they back has
//! utility power; started when it loses it, carrying the load after the start time
//! unless the start fails (sampled per demand in random runs; drills start cleanly, and
//! a drill that fails the generator rehearses a failed start). Back to idle when the
//! utility returns. A generator repaired during an outage carries the load at once.

use crate::simulate::engine::{Event, Sim};
use crate::simulate::sample;

impl<'c, 'm> Sim<'c, 'm> {
    /// The utility of `feed` was lost or came back: its own failure or drill, or
    /// anything it needs (its site, a substation it hangs on). The ATS sees only
    /// whether the feed carries voltage, so every cause starts the generator.
    pub(in crate::simulate) fn feed_changed(&mut self, feed: u32) {
        let Some(backup) = self.cx.generators[feed as usize] else { return };
        let g = backup.generator as usize;
        self.generator_token[g] += 1;
        self.generator_starting[g] = false;
        if self.value[feed as usize] {
            if !self.generator_idle[g] {
                self.generator_idle[g] = true;
                self.mark(backup.generator);
            }
        } else if self.generator_idle[g] {
            let token = self.generator_token[g];
            if backup.start_secs == 0.0 {
                // Within this propagation: an event at `now` would first be observed
                // as an outage of no length.
                self.on_generator_started(backup.generator, token);
            } else {
                self.generator_starting[g] = true;
                self.schedule(
                    self.now + backup.start_secs,
                    Event::GeneratorStarted { generator: backup.generator, token },
                );
            }
        }
    }

    /// A generator's start ended: it carries the load, or failed to start and leaves it
    /// to the utility's return.
    pub(in crate::simulate) fn on_generator_started(&mut self, generator: u32, token: u32) {
        let g = generator as usize;
        if self.generator_token[g] != token {
            return;
        }
        self.generator_starting[g] = false;
        let Some(p) = self.cx.model.elements[g].generator else { return };
        if self.cx.options.random_failures && sample::chance(&mut self.rng, p.fail_to_start) {
            return;
        }
        self.generator_idle[g] = false;
        self.cause(generator);
        self.mark(generator);
    }
}
