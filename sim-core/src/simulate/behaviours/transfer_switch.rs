//! Automatic transfer switches (`mechanisms::transfer_switch`): fed from the preferred
//! input while it has power, from the alternate while it has not, back when it returns.
//! Each move while the output carries load breaks it for the switch's gap (its
//! transfer, when longer than the loads' ride-through; else no break at all): the
//! loads lose their power and boot once it is back (`restart`). An output that had no
//! power comes back with either input and no break.

use crate::simulate::engine::{Event, Sim};

impl<'c, 'm> Sim<'c, 'm> {
    /// Element `i`, up with an input that has power: whether its output is off for a
    /// transfer. Starts the break when the input it should be on just changed. O(1);
    /// false for every element that is not a transfer switch.
    pub(in crate::simulate) fn transfer_break(&mut self, i: usize) -> bool {
        let Some(ts) = self.cx.transfer_switches[i] else { return false };
        let alternate = !self.value[ts.preferred as usize];
        if alternate != self.on_alternate[i] {
            self.on_alternate[i] = alternate;
            // `value[i]` is still the output before this change: a move while carrying.
            if ts.gap_secs > 0.0 && self.value[i] {
                self.transfer_token[i] += 1;
                self.transfer_until[i] = Some(self.now + ts.gap_secs);
                let token = self.transfer_token[i];
                self.schedule(self.now + ts.gap_secs, Event::Transferred { element: i as u32, token });
            }
        }
        match self.transfer_until[i] {
            Some(until) if self.now < until => true,
            _ => {
                self.transfer_until[i] = None;
                false
            }
        }
    }

    /// A transfer's break ended: the output carries the load again.
    pub(in crate::simulate) fn on_transferred(&mut self, element: u32, token: u32) {
        if self.transfer_token[element as usize] == token {
            // Over now, even when the switch failed meanwhile (no evaluation would
            // clear it until its repair, and the run would not look quiescent).
            self.transfer_until[element as usize] = None;
            self.mark(element);
        }
    }

    /// Whether an element that depends on element `source` (its power, through PSUs and
    /// PDUs; or anything that needs it, such as a site's contents) and for which
    /// `counts` holds is down. O(elements that depend on it); called only while a
    /// break, a generator's start or a site disaster lasts.
    pub(in crate::simulate) fn powers_down_element(&self, source: usize, counts: &dyn Fn(usize) -> bool) -> bool {
        let circuit = &self.cx.circuit;
        let elements = circuit.element_count() as usize;
        let mut seen = vec![false; elements];
        let mut stack = vec![source];
        while let Some(x) = stack.pop() {
            for &d in &circuit.dependents[x] {
                let d = d as usize;
                if d < elements && !std::mem::replace(&mut seen[d], true) {
                    if counts(d) && !self.value[d] {
                        return true;
                    }
                    stack.push(d);
                }
            }
        }
        false
    }
}
