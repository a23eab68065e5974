//! Reachability queries over the network: whether a working source reaches a working
//! target through forwarding devices (docs/SEMANTICS.md §2).
//!
//! Queries are answered from *labels*: the connected components of the working
//! forwarding devices and the working links between them, kept per kind of query
//! (standby members excluded or not, one L2 segment or not, the entry crossed or not)
//! and rebuilt lazily after a topology change, O(V + E). A query then looks only at its
//! endpoints: O(closure size × degree) instead of a search over the network, so a
//! server's failure costs the same in a rack as in a data centre. The search the labels
//! replace stays as the reference: debug builds check every answer against it.

/// How many devices a search for a split may visit before the labels are rebuilt.
const SPLIT_SEARCH_BUDGET: usize = 256;

/// No label: not a working forwarding device.
pub(in crate::simulate) const NO_LABEL: u32 = u32::MAX;

/// The label set a query uses: standby members excluded (`honour`), switches only
/// (`segment`), the entry not crossed (`inside`).
pub(in crate::simulate) fn label_variant(honour: bool, segment: bool, inside: bool) -> usize {
    usize::from(honour) | usize::from(segment) << 1 | usize::from(inside) << 2
}

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
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
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

    /// Every reach query; `anchors_eligible`: the sources and targets themselves need
    /// only work (their tier's eligibility was checked by the caller). Answered from the
    /// labels unless one element is forced to count as carrying.
    pub(in crate::simulate) fn reach_from(
        &mut self,
        sources: &[ElementId],
        targets: &[ElementId],
        honour_exclusion: bool,
        force: Option<ElementId>,
        segment: bool,
        anchors_eligible: bool,
    ) -> bool {
        if force.is_some() {
            return self.reach_search(sources, targets, honour_exclusion, force, segment, anchors_eligible);
        }
        let found = self.reach_labelled(sources, targets, honour_exclusion, segment, anchors_eligible);
        debug_assert_eq!(
            found,
            self.reach_search(sources, targets, honour_exclusion, None, segment, anchors_eligible),
            "labelled reach disagrees with the search: {sources:?} -> {targets:?}"
        );
        found
    }

    /// Forgets the labels: a forwarding device or a link between two changed.
    pub(in crate::simulate) fn topology_changed(&mut self) {
        self.labels_fresh = [false; 8];
    }

    /// A forwarding device or a link between two changed (`e`): each up-to-date label
    /// set is repaired where it can be, cheaply, and goes stale where it cannot. A device
    /// that returns next to one component joins it; one that leaves (or a link that
    /// breaks) keeps the labels if its neighbours still reach each other within
    /// [`SPLIT_SEARCH_BUDGET`] devices. Merges and splits make the set stale.
    pub(in crate::simulate) fn topology_changed_at(&mut self, e: u32) {
        for v in 0..self.labels_fresh.len() {
            if self.labels_fresh[v] && !self.repair_labels(v, e) {
                self.labels_fresh[v] = false;
            }
        }
    }

    /// Whether forwarding device `u` belongs to label set `v` now.
    fn in_label_set(&self, v: usize, u: usize) -> bool {
        let circuit = &self.cx.circuit;
        let (honour, segment, inside) = (v & 1 != 0, v & 2 != 0, v & 4 != 0);
        circuit.net.forwarding[u]
            && (!segment || circuit.net.switching[u])
            && !(inside && circuit.entry[u])
            && if honour { self.carries(ElementId(u as u32)) } else { self.works(ElementId(u as u32)) }
    }

    /// Repairs label set `v` after `e` changed; false when it must be rebuilt. The set
    /// describes the state before the change for `e` alone (changes are applied one at
    /// a time, as they happen).
    fn repair_labels(&mut self, v: usize, e: u32) -> bool {
        let circuit = &self.cx.circuit;
        let ei = e as usize;
        let mut labels = std::mem::take(&mut self.labels[v]);
        let working = |s: &Self, l: u32| s.carries(ElementId(l));
        let kept = if circuit.net.forwarding[ei] {
            let now = self.in_label_set(v, ei);
            let was = labels[ei] != NO_LABEL;
            let neighbours: Vec<u32> = circuit.forwarder_links[ei]
                .iter()
                .filter(|&&(w, l)| labels[w as usize] != NO_LABEL && working(self, l))
                .map(|&(w, _)| w)
                .collect();
            if now == was {
                true
            } else if now {
                // Joins its neighbours' component, if they share one.
                let first = neighbours.first().map(|&w| labels[w as usize]);
                match first {
                    Some(l) if neighbours.iter().all(|&w| labels[w as usize] == l) => {
                        labels[ei] = l;
                        true
                    }
                    _ => false,
                }
            } else {
                labels[ei] = NO_LABEL;
                self.still_connected(&labels, &neighbours)
            }
        } else {
            match circuit.link_ends[ei] {
                Some((a, b)) if labels[a as usize] != NO_LABEL && labels[b as usize] != NO_LABEL => {
                    if working(self, e) {
                        labels[a as usize] == labels[b as usize]
                    } else {
                        labels[a as usize] != labels[b as usize] || self.still_connected(&labels, &[a, b])
                    }
                }
                _ => true,
            }
        };
        self.labels[v] = labels;
        kept
    }

    /// Whether `ends` (labelled devices) still reach each other over labelled devices
    /// and working links, searching at most [`SPLIT_SEARCH_BUDGET`] devices.
    fn still_connected(&mut self, labels: &[u32], ends: &[u32]) -> bool {
        if ends.len() <= 1 {
            return true;
        }
        let circuit = &self.cx.circuit;
        let stamp = self.next_stamp();
        for &x in &ends[1..] {
            self.target_mark[x as usize] = stamp;
        }
        let mut left = ends.len() - 1;
        let mut stack = std::mem::take(&mut self.queue_scratch);
        stack.clear();
        stack.push(ends[0]);
        self.source_mark[ends[0] as usize] = stamp;
        let mut visited = 0;
        while let Some(x) = stack.pop() {
            visited += 1;
            if visited > SPLIT_SEARCH_BUDGET {
                break;
            }
            for &(w, l) in &circuit.forwarder_links[x as usize] {
                let wi = w as usize;
                if labels[wi] == NO_LABEL || self.source_mark[wi] == stamp || !self.carries(ElementId(l)) {
                    continue;
                }
                self.source_mark[wi] = stamp;
                if self.target_mark[wi] == stamp {
                    left -= 1;
                    if left == 0 {
                        self.queue_scratch = stack;
                        return true;
                    }
                }
                stack.push(w);
            }
        }
        self.queue_scratch = stack;
        false
    }

    /// Builds label set `v` if a topology change made it stale: each working forwarding
    /// device is labelled with the lowest-found device of its component. O(V + E).
    fn ensure_labels(&mut self, v: usize) {
        if self.labels_fresh[v] {
            return;
        }
        let circuit = &self.cx.circuit;
        let (honour, segment, inside) = (v & 1 != 0, v & 2 != 0, v & 4 != 0);
        let mut labels = std::mem::take(&mut self.labels[v]);
        if labels.is_empty() {
            labels = vec![NO_LABEL; circuit.closures.len()];
        }
        let included = |s: &Self, u: usize| {
            (!segment || circuit.net.switching[u])
                && !(inside && circuit.entry[u])
                && if honour { s.carries(ElementId(u as u32)) } else { s.works(ElementId(u as u32)) }
        };
        for &u in &circuit.forwarders {
            labels[u as usize] = NO_LABEL;
        }
        let mut stack = std::mem::take(&mut self.queue_scratch);
        for &u in &circuit.forwarders {
            if labels[u as usize] != NO_LABEL || !included(self, u as usize) {
                continue;
            }
            labels[u as usize] = u;
            stack.clear();
            stack.push(u);
            while let Some(x) = stack.pop() {
                for &(w, link) in &circuit.forwarder_links[x as usize] {
                    let wi = w as usize;
                    if labels[wi] == NO_LABEL && self.carries(ElementId(link)) && included(self, wi) {
                        labels[wi] = u;
                        stack.push(w);
                    }
                }
            }
        }
        self.queue_scratch = stack;
        // With no standby forwarding device, standby members change nothing: the labels
        // with them are the same.
        if self.blocked_forwarders == 0 && !self.labels_fresh[v ^ 1] {
            let mut twin = std::mem::take(&mut self.labels[v ^ 1]);
            twin.clone_from(&labels);
            self.labels[v ^ 1] = twin;
            self.labels_fresh[v ^ 1] = true;
        }
        self.labels[v] = labels;
        self.labels_fresh[v] = true;
    }

    /// [`Self::reach_search`] from the labels: the targets' endpoints mark the labels
    /// next to them, then a source's endpoint either shares an element with a target's,
    /// is cabled to one, or touches a marked label.
    fn reach_labelled(
        &mut self,
        sources: &[ElementId],
        targets: &[ElementId],
        honour_exclusion: bool,
        segment: bool,
        anchors_eligible: bool,
    ) -> bool {
        let v = label_variant(honour_exclusion, segment, self.in_data_centre);
        self.ensure_labels(v);
        let labels = std::mem::take(&mut self.labels[v]);
        let circuit = &self.cx.circuit;
        let ok = |s: &Self, e: ElementId| {
            anchors_eligible && (sources.contains(&e) || targets.contains(&e)) && s.works(e)
                || if honour_exclusion { s.carries(e) } else { s.works(e) }
        };
        let stamp = self.next_stamp();
        for &b in targets {
            if !ok(self, b) {
                continue;
            }
            for &x in &circuit.closures[b.0 as usize] {
                if !ok(self, x) {
                    continue;
                }
                let xi = x.0 as usize;
                self.target_mark[xi] = stamp;
                if labels[xi] != NO_LABEL {
                    self.reached_mark[labels[xi] as usize] = stamp;
                }
                for &(w, link) in &circuit.net.adjacency[xi] {
                    let l = labels[w.0 as usize];
                    if l != NO_LABEL && self.carries(link) {
                        self.reached_mark[l as usize] = stamp;
                    }
                }
            }
        }
        let mut found = false;
        'sources: for &a in sources {
            if !ok(self, a) {
                continue;
            }
            for &x in &circuit.closures[a.0 as usize] {
                if !ok(self, x) {
                    continue;
                }
                let xi = x.0 as usize;
                if self.target_mark[xi] == stamp
                    || labels[xi] != NO_LABEL && self.reached_mark[labels[xi] as usize] == stamp
                {
                    found = true;
                    break 'sources;
                }
                for &(w, link) in &circuit.net.adjacency[xi] {
                    let wi = w.0 as usize;
                    let marked = self.target_mark[wi] == stamp
                        || labels[wi] != NO_LABEL && self.reached_mark[labels[wi] as usize] == stamp;
                    if marked && self.carries(link) {
                        found = true;
                        break 'sources;
                    }
                }
            }
        }
        self.labels[v] = labels;
        found
    }

    /// A fresh stamp for the mark arrays (cleared when it wraps).
    fn next_stamp(&mut self) -> u32 {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.source_mark.fill(0);
            self.target_mark.fill(0);
            self.reached_mark.fill(0);
            self.stamp = 1;
        }
        self.stamp
    }

    /// The breadth-first search behind [`Self::reach_from`], kept as the reference for
    /// the labels and for queries with a forced element. O(V + E).
    pub(in crate::simulate) fn reach_search(
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
        let stamp = self.next_stamp();
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
                    && self.carries(link)
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
                    .any(|&(far, link)| self.carries(link) && self.works(far) && circuit.net.forwarding[far.0 as usize])
        })
    }
}
