//! Reachability queries over the network: whether a working source reaches a working
//! target through forwarding devices (docs/SEMANTICS.md §2).

use crate::model::ElementId;
use crate::simulate::engine::Sim;

impl<'c, 'm> Sim<'c, 'm> {
    /// `Comm(x, y)`: a working path, or either is off the network.
    pub(in crate::simulate) fn communicates(&mut self, x: ElementId, y: ElementId) -> bool {
        let circuit = &self.cx.circuit;
        let on_network = |e: ElementId| {
            circuit.closures[e.0 as usize].iter().any(|v| !circuit.net.adjacency[v.0 as usize].is_empty())
        };
        !on_network(x) || !on_network(y) || self.reach(&[x], &[y], false, None)
    }

    /// Some carrying source reaches some carrying target, crossing only forwarding
    /// devices. `honour_exclusion: false` lets standby members take part (heartbeats,
    /// path detectors); `force` counts one element as carrying.
    pub(in crate::simulate) fn reach(
        &mut self,
        sources: &[ElementId],
        targets: &[ElementId],
        honour_exclusion: bool,
        force: Option<ElementId>,
    ) -> bool {
        self.reach_within(sources, targets, honour_exclusion, force, false)
    }

    /// Per target: whether some source reaches it (docs/SEMANTICS.md §2). Sources and
    /// targets were found eligible for their tiers; only what lies between must carry.
    pub(in crate::simulate) fn reach_each(&mut self, sources: &[ElementId], targets: &[ElementId]) -> Vec<bool> {
        // Few targets per tier: one search per target keeps the early exit.
        targets.iter().map(|&b| self.reach_from(sources, &[b], true, None, false, true)).collect()
    }

    /// [`Self::reach`], optionally forwarding through switches only (one L2 segment).
    pub(in crate::simulate) fn reach_within(
        &mut self,
        sources: &[ElementId],
        targets: &[ElementId],
        honour_exclusion: bool,
        force: Option<ElementId>,
        segment: bool,
    ) -> bool {
        self.reach_from(sources, targets, honour_exclusion, force, segment, false)
    }

    /// The search behind every reach query; `anchors_eligible`: the sources and targets
    /// themselves need only work (their tier's eligibility was checked by the caller).
    pub(in crate::simulate) fn reach_from(
        &mut self,
        sources: &[ElementId],
        targets: &[ElementId],
        honour_exclusion: bool,
        force: Option<ElementId>,
        segment: bool,
        anchors_eligible: bool,
    ) -> bool {
        let circuit = &self.cx.circuit;
        let inside = self.in_data_centre;
        let forwards = |u: usize| {
            circuit.net.forwarding[u] && (!segment || circuit.net.switching[u]) && !(inside && circuit.entry[u])
        };
        let ok = |s: &Self, e: ElementId| {
            Some(e) == force && s.works(e)
                || anchors_eligible && (sources.contains(&e) || targets.contains(&e)) && s.works(e)
                || if honour_exclusion { s.carries(e) } else { s.works(e) }
        };
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.source_mark.fill(0);
            self.target_mark.fill(0);
            self.reached_mark.fill(0);
            self.stamp = 1;
        }
        let stamp = self.stamp;
        let mut queue = std::mem::take(&mut self.queue_scratch);
        queue.clear();
        for &b in targets {
            if ok(self, b) {
                for v in &circuit.closures[b.0 as usize] {
                    self.target_mark[v.0 as usize] = stamp;
                }
            }
        }
        for &a in sources {
            if !ok(self, a) {
                continue;
            }
            for &v in &circuit.closures[a.0 as usize] {
                let vi = v.0 as usize;
                self.source_mark[vi] = stamp;
                if ok(self, v) && self.reached_mark[vi] != stamp {
                    if self.target_mark[vi] == stamp {
                        self.queue_scratch = queue;
                        return true;
                    }
                    self.reached_mark[vi] = stamp;
                    queue.push(v.0);
                }
            }
        }
        let mut head = 0;
        let mut found = false;
        'bfs: while head < queue.len() {
            let u = queue[head] as usize;
            head += 1;
            if !(forwards(u) || self.source_mark[u] == stamp) {
                continue;
            }
            for &(w, link) in &circuit.net.adjacency[u] {
                let wi = w.0 as usize;
                if self.reached_mark[wi] != stamp
                    && ok(self, w)
                    && self.works(link)
                    && (forwards(wi) || self.target_mark[wi] == stamp)
                {
                    if self.target_mark[wi] == stamp {
                        found = true;
                        break 'bfs;
                    }
                    self.reached_mark[wi] = stamp;
                    queue.push(w.0);
                }
            }
        }
        self.queue_scratch = queue;
        found
    }

    /// `m` (or what it is attached to) has a working link to a working forwarding device
    /// from a working port (its NIC).
    pub(in crate::simulate) fn attached(&self, m: ElementId) -> bool {
        let circuit = &self.cx.circuit;
        circuit.closures[m.0 as usize].iter().any(|x| {
            self.works(*x)
                && circuit.net.adjacency[x.0 as usize]
                    .iter()
                    .any(|&(far, link)| self.works(link) && self.works(far) && circuit.net.forwarding[far.0 as usize])
        })
    }
}
