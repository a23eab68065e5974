//! Restart after a power loss (`mechanisms::restart`): a device whose PSUs lost their
//! power while it worked is starved; when its needs hold again it boots for its
//! restart time before it works again (a device that only lost its storage or a
//! network need does not reboot). A second loss during the boot starves
//! it again (the boot starts over when power returns). A device that fails itself is
//! no longer starved: its repair brings it back booted.

use crate::simulate::engine::{Event, Sim};

impl<'c, 'm> Sim<'c, 'm> {
    /// Whether element `i`, up itself with its needs held, has finished booting. Starts
    /// the boot when its needs just came back. O(1).
    pub(in crate::simulate) fn restart_done(&mut self, i: usize) -> bool {
        let secs = self.cx.restart_secs[i];
        if secs <= 0.0 {
            return true;
        }
        if std::mem::take(&mut self.restart_starved[i]) {
            self.restart_token[i] += 1;
            self.restart_until[i] = Some(self.now + secs);
            let token = self.restart_token[i];
            self.schedule(self.now + secs, Event::Restarted { element: i as u32, token });
            // Its services stay down, now for the boot: observe them so the outage's
            // mechanism says so (O(services), once per boot).
            for s in 0..self.cx.circuit.service_elements.len() {
                if self.cx.circuit.service_elements[s][i] {
                    self.observe_service(s as u32);
                }
            }
        }
        match self.restart_until[i] {
            Some(until) if self.now < until => false,
            _ => {
                self.restart_until[i] = None;
                true
            }
        }
    }

    /// Element `i` is down: `starved` when it works itself but lacks its needs (it will
    /// boot when they return); otherwise (it failed) its repair includes the boot.
    pub(in crate::simulate) fn restart_lost(&mut self, i: usize, starved: bool) {
        if self.cx.restart_secs[i] <= 0.0 {
            return;
        }
        self.restart_starved[i] = starved;
        if self.restart_until[i].take().is_some() {
            self.restart_token[i] += 1;
        }
    }

    /// A boot ended: the element works again if nothing interrupted it.
    pub(in crate::simulate) fn on_restarted(&mut self, element: u32, token: u32) {
        if self.restart_token[element as usize] == token {
            self.mark(element);
        }
    }

    /// Whether element `i`'s PSUs are out (fewer working than it needs); false when its
    /// power is not modelled. O(PSUs).
    pub(in crate::simulate) fn unpowered(&self, i: usize) -> bool {
        let e = &self.cx.model.elements[i];
        !e.psus.is_empty() && e.psus.iter().filter(|&&p| self.works(p)).count() < e.psus_needed as usize
    }

    /// Whether element `e` is booting now (for attribution).
    pub(in crate::simulate) fn restarting(&self, e: usize) -> bool {
        self.restart_until[e].is_some_and(|until| self.now < until)
    }
}
