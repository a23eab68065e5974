//! The one definition of "the service is up" in the simulator (docs/SEMANTICS.md §4):
//! a chain of eligible members through the service's tiers.
//!
//! Kept incrementally, so an event costs O(log tiers), not O(tiers): hop `h` is a
//! boolean matrix, rows the eligible members of tier `h - 1` (the entry for `h = 0`),
//! columns those of tier `h`, a one where the row's member reaches the column's. The
//! chain exists iff the product of the hops has a one. A segment tree holds the
//! products of ranges of hops; a change to a member's endpoint or eligibility
//! recomputes its two hops and their O(log tiers) ancestors, a topology change every
//! hop. [`Sim::chain_direct`] walks the tiers the simple way; debug builds check every
//! answer against it.

use crate::model::ElementId;
use crate::simulate::engine::Sim;

/// A boolean matrix, one bit per (row, column), rows of `words` 64-bit words.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(in crate::simulate) struct BitMatrix {
    rows: usize,
    cols: usize,
    words: usize,
    bits: Vec<u64>,
}

impl BitMatrix {
    fn new(rows: usize, cols: usize) -> BitMatrix {
        let words = cols.div_ceil(64);
        BitMatrix { rows, cols, words, bits: vec![0; rows * words] }
    }

    fn set(&mut self, r: usize, c: usize) {
        self.bits[r * self.words + c / 64] |= 1 << (c % 64);
    }

    fn get(&self, r: usize, c: usize) -> bool {
        self.bits[r * self.words + c / 64] & (1 << (c % 64)) != 0
    }

    fn any(&self) -> bool {
        self.bits.iter().any(|&w| w != 0)
    }

    /// The boolean product into `out` (its buffer reused): O(rows × inner × words of
    /// `other`).
    fn times_into(&self, other: &BitMatrix, out: &mut BitMatrix) {
        debug_assert_eq!(self.cols, other.rows);
        out.rows = self.rows;
        out.cols = other.cols;
        out.words = other.words;
        out.bits.clear();
        out.bits.resize(self.rows * other.words, 0);
        for r in 0..self.rows {
            for k in 0..self.cols {
                if self.get(r, k) {
                    let (dst, src) = (r * out.words, k * other.words);
                    for w in 0..out.words {
                        out.bits[dst + w] |= other.bits[src + w];
                    }
                }
            }
        }
    }
}

/// One service's hops and their segment tree (leaves at `size..size + hops`; `None`
/// is the identity, for padding).
#[derive(Clone, Debug, Default)]
pub(in crate::simulate) struct ChainState {
    size: usize,
    tree: Vec<Option<BitMatrix>>,
    dirty: Vec<u32>,
    is_dirty: Vec<bool>,
    all_dirty: bool,
    /// A spare buffer for products.
    scratch: BitMatrix,
}

impl ChainState {
    pub(in crate::simulate) fn new(hops: usize) -> ChainState {
        let size = hops.max(1).next_power_of_two();
        ChainState {
            size,
            tree: vec![None; 2 * size],
            dirty: Vec::new(),
            is_dirty: vec![false; hops],
            all_dirty: true,
            scratch: BitMatrix::default(),
        }
    }

    /// Hop `h` must be recomputed before the next answer.
    pub(in crate::simulate) fn dirty(&mut self, h: u32) {
        if !self.all_dirty && !std::mem::replace(&mut self.is_dirty[h as usize], true) {
            self.dirty.push(h);
        }
    }

    /// Every hop must be recomputed (the topology changed).
    pub(in crate::simulate) fn all_dirty(&mut self) {
        self.all_dirty = true;
    }

    /// Node `i` becomes the product of its children, reusing its buffer; whether it
    /// changed.
    fn combine(&mut self, i: usize) -> bool {
        let old = self.tree[i].take();
        let mut out = std::mem::take(&mut self.scratch);
        match (&self.tree[2 * i], &self.tree[2 * i + 1]) {
            (Some(x), Some(y)) => x.times_into(y, &mut out),
            (Some(x), None) | (None, Some(x)) => out.clone_from(x),
            (None, None) => {
                self.scratch = out;
                return old.is_some();
            }
        }
        let changed = old.as_ref() != Some(&out);
        self.tree[i] = Some(out);
        self.scratch = old.unwrap_or_default();
        changed
    }
}

impl<'c, 'm> Sim<'c, 'm> {
    /// docs/SEMANTICS.md §4: a chain of eligible members through the service's tiers,
    /// each reached from the previous one's member (the entry first).
    pub(in crate::simulate) fn chain(&mut self, s: usize) -> bool {
        // Ideal runs judge every choice of holders whole: one choice must carry the
        // chain and put k members of each such tier on chains (mixing choices was
        // optimistic, found by an independent audit).
        if let Some(choices) = &self.cx.ideal_holder_choices {
            let cx = self.cx;
            let entry = ElementId(cx.circuit.services[s].entry);
            if !self.carries(entry) {
                return false;
            }
            if cx.circuit.services[s].chain.is_empty() {
                return true;
            }
            return choices.iter().any(|choice| {
                self.chain_with_holders(s, choice)
                    && self.on_chain_with_holders(s, choice).iter().all(|(t, on)| {
                        let p = &cx.groups[cx.circuit.services[s].chain[*t].1.expect("a group tier").0 as usize];
                        p.behaviour == crate::simulate::Behaviour::Share || on.iter().filter(|&&x| x).count() >= p.need
                    })
            });
        }
        self.chain_runs(s) && self.enough_on_chain(s)
    }

    /// A tier that needs k ≥ 2 members, other than a load-sharing pool (whose shortfall
    /// is a share of requests, `Sim::service_fraction`), holds only with k members on a
    /// chain (docs/SEMANTICS.md §4): a shared-nothing cluster whose node is cut off
    /// serves none of that node's data. O(tiers × members) searches for such a service,
    /// none otherwise.
    fn enough_on_chain(&mut self, s: usize) -> bool {
        let cx = self.cx;
        for t in 0..cx.circuit.services[s].chain.len() {
            let Some(g) = cx.circuit.services[s].chain[t].1 else { continue };
            let p = &cx.groups[g.0 as usize];
            if p.need >= 2 && p.behaviour != crate::simulate::Behaviour::Share {
                let on = self.on_chain(s, t);
                if on.iter().filter(|&&x| x).count() < p.need {
                    return false;
                }
            }
        }
        true
    }

    /// Which members of tier `t` of service `s` lie on a chain now (docs/SEMANTICS.md
    /// §4): eligible, reached by the chain from the entry, and carrying it on through
    /// every later tier ([`Self::carries_onward`]). O(tiers × members) searches.
    pub(in crate::simulate) fn on_chain(&mut self, s: usize, t: usize) -> Vec<bool> {
        let cx = self.cx;
        let sn = &cx.circuit.services[s];
        let n = sn.chain[t].0.len();
        let entry = ElementId(sn.entry);
        if !self.carries(entry) {
            return vec![false; n];
        }
        let mut ends = vec![entry];
        for (members, group) in &sn.chain[..t] {
            let eligible = self.eligible_members(members, *group);
            let reached = self.reach_each(&ends, &eligible);
            ends = eligible.into_iter().zip(reached).filter(|x| x.1).map(|x| x.0).collect();
            if ends.is_empty() {
                return vec![false; n];
            }
        }
        (0..n)
            .map(|i| {
                self.tier_eligible(s, t, i)
                    && self.reach_each(&ends, &[sn.chain[t].0[i]])[0]
                    && self.carries_onward(s, t, i, usize::MAX)
            })
            .collect()
    }

    /// docs/SEMANTICS.md §4: some chain of eligible members runs through the service's
    /// tiers (how many members of each tier lie on one is [`Self::enough_on_chain`]'s).
    fn chain_runs(&mut self, s: usize) -> bool {
        let entry = ElementId(self.cx.circuit.services[s].entry);
        if !self.carries(entry) {
            return false;
        }
        let hops = self.cx.circuit.services[s].chain.len();
        if hops == 0 {
            return true;
        }
        let mut st = std::mem::take(&mut self.chains[s]);
        if st.all_dirty {
            for h in 0..hops {
                st.tree[st.size + h] = Some(self.hop(s, h));
            }
            for i in (1..st.size).rev() {
                st.combine(i);
            }
        } else {
            for k in 0..st.dirty.len() {
                let h = st.dirty[k] as usize;
                let mut i = st.size + h;
                let leaf = Some(self.hop(s, h));
                if st.tree[i] == leaf {
                    continue;
                }
                st.tree[i] = leaf;
                // Up to the root, or to the first product that did not change.
                while i > 1 {
                    i /= 2;
                    if !st.combine(i) {
                        break;
                    }
                }
            }
        }
        for &h in &st.dirty {
            st.is_dirty[h as usize] = false;
        }
        st.dirty.clear();
        st.all_dirty = false;
        let up = st.tree[1].as_ref().is_some_and(BitMatrix::any);
        self.chains[s] = st;
        debug_assert_eq!(up, self.chain_direct(s), "the incremental chain disagrees with the direct walk");
        up
    }

    /// Whether member `i` of tier `t` of service `s` may carry the tier now.
    fn tier_eligible(&mut self, s: usize, t: usize, i: usize) -> bool {
        let (members, group) = &self.cx.circuit.services[s].chain[t];
        match group {
            Some(g) => self.eligible(g.0 as usize, i),
            // A device named as a tier of its own is up when it works, as in the
            // analysis: a VRRP backup still answers on its own addresses (RFC 5798
            // §6.4.2 refuses only the virtual router's), and its group's standby state
            // is judged where the group is the tier (docs/SEMANTICS.md §4).
            None => self.works(members[i]),
        }
    }

    /// Hop `h` of service `s`: which eligible member of tier `h - 1` (the entry for
    /// `h = 0`) reaches which eligible member of tier `h`.
    fn hop(&mut self, s: usize, h: usize) -> BitMatrix {
        let cx = self.cx;
        let sn = &cx.circuit.services[s];
        let from: Vec<Option<ElementId>> = if h == 0 {
            vec![Some(ElementId(sn.entry))]
        } else {
            (0..sn.chain[h - 1].0.len())
                .map(|i| self.tier_eligible(s, h - 1, i).then_some(sn.chain[h - 1].0[i]))
                .collect()
        };
        let to: Vec<Option<ElementId>> =
            (0..sn.chain[h].0.len()).map(|i| self.tier_eligible(s, h, i).then_some(sn.chain[h].0[i])).collect();
        let mut m = BitMatrix::new(from.len(), to.len());
        for (r, a) in from.iter().enumerate() {
            let Some(a) = *a else { continue };
            for (c, b) in to.iter().enumerate() {
                if let Some(b) = *b {
                    if self.reach_from(&[a], &[b], true, None, false, true) {
                        m.set(r, c);
                    }
                }
            }
        }
        m
    }

    /// The chain walked tier by tier from scratch: O(tiers) searches. The reference
    /// for [`Self::chain`].
    #[cfg_attr(not(debug_assertions), allow(dead_code))]
    pub(in crate::simulate) fn chain_direct(&mut self, s: usize) -> bool {
        let cx = self.cx;
        let sn = &cx.circuit.services[s];
        let entry = ElementId(sn.entry);
        if !self.carries(entry) {
            return false;
        }
        let mut ends = vec![entry];
        for (members, group) in &sn.chain {
            let eligible = self.eligible_members(members, *group);
            let reached = self.reach_each(&ends, &eligible);
            ends = eligible.into_iter().zip(reached).filter(|x| x.1).map(|x| x.0).collect();
            if ends.is_empty() {
                return false;
            }
        }
        true
    }

    /// The ideal chain under one choice of role holders (docs/SEMANTICS.md §4, "Only the
    /// holder forwards"): a group tier whose standbys forward nothing offers only its
    /// chosen holder, and the other members of those groups carry nothing while the
    /// walk runs. By search, not labels (the labels do not know the choice). O(tiers)
    /// searches.
    fn chain_with_holders(&mut self, s: usize, choice: &[(crate::model::GroupId, ElementId)]) -> bool {
        let cx = self.cx;
        let sn = &cx.circuit.services[s];
        let tiers = self.tiers_with_holders(s, choice);
        let (standbys, lifted) = self.block_for_holders(s, choice);
        // Chain ends are variants of members: (member, NICs used, NICs idle) of its bonds
        // chosen per member (`Compiled::ideal_variants`; none for most members).
        type Variant = (ElementId, Vec<ElementId>, Vec<ElementId>);
        let variants = |m: ElementId| -> Vec<Variant> {
            let of = &cx.ideal_variants[m.0 as usize];
            if of.is_empty() {
                vec![(m, Vec::new(), Vec::new())]
            } else {
                of.iter().map(|(used, idle)| (m, used.clone(), idle.clone())).collect()
            }
        };
        let mut ends: Vec<Variant> = variants(ElementId(sn.entry));
        let mut up = true;
        for eligible in tiers {
            let targets: Vec<Variant> = eligible.iter().flat_map(|&b| variants(b)).collect();
            // One search from every end at once: a NIC one end uses is seeded (the
            // union of the ends' searches is the search from their union), one that
            // every end leaves idle carries nothing.
            let seeded: Vec<ElementId> = ends.iter().flat_map(|e| e.1.iter().copied()).collect();
            let unused: Vec<ElementId> =
                ends.iter().flat_map(|e| e.2.iter().copied()).filter(|v| !seeded.contains(v)).collect();
            let mut sources: Vec<ElementId> = ends.iter().map(|e| e.0).collect();
            sources.dedup();
            let reached: Vec<bool> = targets
                .iter()
                .map(|(b, used, idle)| {
                    let on: Vec<ElementId> = seeded.iter().chain(used).copied().collect();
                    let off: Vec<ElementId> = unused.iter().chain(idle).copied().collect();
                    let saved: Vec<(usize, u32)> =
                        on.iter().chain(&off).map(|v| (v.0 as usize, self.transit_blocked[v.0 as usize])).collect();
                    for v in &on {
                        self.transit_blocked[v.0 as usize] = 0;
                    }
                    for v in &off {
                        self.transit_blocked[v.0 as usize] = 1;
                    }
                    let found = self.reach_search(&sources, &[*b], true, None, false, true);
                    for &(i, was) in saved.iter().rev() {
                        self.transit_blocked[i] = was;
                    }
                    found
                })
                .collect();
            ends = targets.into_iter().zip(reached).filter(|x| x.1).map(|x| x.0).collect();
            if ends.is_empty() {
                up = false;
                break;
            }
        }
        self.unblock_for_holders(&standbys, &lifted);
        up
    }

    /// Per tier of service `s`, its eligible members that `choice` keeps (a holder
    /// group's chosen holder only). Judged before any blocking: quorum asks its own
    /// questions of the network, unblocked.
    fn tiers_with_holders(&mut self, s: usize, choice: &[(crate::model::GroupId, ElementId)]) -> Vec<Vec<ElementId>> {
        let cx = self.cx;
        cx.circuit.services[s]
            .chain
            .iter()
            .map(|(members, group)| {
                let tier =
                    group.map_or_else(|| crate::model::NodeRef::Element(members[0]), crate::model::NodeRef::Group);
                let kept = crate::model::roles::chain_members(tier, members, choice);
                let eligible = self.eligible_members(members, *group);
                eligible.into_iter().filter(|m| kept.iter().any(|&i| members[i] == *m)).collect()
            })
            .collect()
    }

    /// Blocks `choice`'s standbys from carrying transit and lifts its holders' own
    /// blocks, for a walk under that choice; returns both lists, for
    /// [`Self::unblock_for_holders`].
    fn block_for_holders(&mut self, s: usize, choice: &[(crate::model::GroupId, ElementId)]) -> (Vec<u32>, Vec<u32>) {
        let cx = self.cx;
        let through = &cx.model.services[s].through;
        let standbys: Vec<u32> = crate::model::roles::standbys(cx.model, choice, through).map(|m| m.0).collect();
        for &m in &standbys {
            self.transit_blocked[m as usize] += 1;
        }
        // The chosen holders carry, whichever member their groups' own elections hold
        // off now (an ideal bond keeps its first working NIC, which need not be the
        // one that serves): the live block of a member is one, whatever its reasons.
        let mut lifted: Vec<u32> =
            choice.iter().map(|&(_, holder)| holder.0).filter(|&h| self.transit_roles[h as usize].blocks()).collect();
        lifted.sort_unstable();
        lifted.dedup();
        for &m in &lifted {
            self.transit_blocked[m as usize] -= 1;
        }
        (standbys, lifted)
    }

    fn unblock_for_holders(&mut self, standbys: &[u32], lifted: &[u32]) {
        for &m in standbys {
            self.transit_blocked[m as usize] -= 1;
        }
        for &m in lifted {
            self.transit_blocked[m as usize] += 1;
        }
    }

    /// Per tier that needs k ≥ 2 members (by chain index), which of its members lie on
    /// a chain under one choice of holders (ideal runs, docs/SEMANTICS.md §4): reached
    /// from the entry through the kept members, and reaching on to the last tier, with
    /// the choice's standbys carrying nothing. The bond NIC a member uses is the live
    /// one here (the chain itself tries every variant). O(tiers × members) searches.
    pub(in crate::simulate) fn on_chain_with_holders(
        &mut self,
        s: usize,
        choice: &[(crate::model::GroupId, ElementId)],
    ) -> Vec<(usize, Vec<bool>)> {
        let cx = self.cx;
        let sn = &cx.circuit.services[s];
        let needy: Vec<usize> =
            (0..sn.chain.len()).filter(|&t| sn.chain[t].1.is_some_and(|g| cx.groups[g.0 as usize].need >= 2)).collect();
        let Some(&first) = needy.first() else { return Vec::new() };
        let entry = ElementId(sn.entry);
        let tiers = self.tiers_with_holders(s, choice);
        let none = || needy.iter().map(|&t| (t, vec![false; sn.chain[t].0.len()])).collect();
        if !self.carries(entry) {
            return none();
        }
        let (standbys, lifted) = self.block_for_holders(s, choice);
        // By search, not labels (the labels do not know the choice).
        let mut forward: Vec<Vec<ElementId>> = Vec::new();
        let mut ends = vec![entry];
        for tier in &tiers {
            ends = tier.iter().copied().filter(|&b| self.reach_search(&ends, &[b], true, None, false, true)).collect();
            forward.push(ends.clone());
        }
        let last = tiers.len() - 1;
        let mut onward: Vec<Vec<ElementId>> = vec![Vec::new(); tiers.len()];
        onward[last] = tiers[last].clone();
        for t in (first..last).rev() {
            let next = onward[t + 1].clone();
            onward[t] = tiers[t]
                .iter()
                .copied()
                .filter(|&m| !next.is_empty() && self.reach_search(&[m], &next, true, None, false, true))
                .collect();
        }
        self.unblock_for_holders(&standbys, &lifted);
        needy
            .iter()
            .map(|&t| {
                let on = sn.chain[t].0.iter().map(|m| forward[t].contains(m) && onward[t].contains(m)).collect();
                (t, on)
            })
            .collect()
    }

    /// The members of a tier (`members`, of `group` when the tier is a group) that may
    /// carry it now ([`Self::tier_eligible`]'s rule).
    fn eligible_members(&mut self, members: &[ElementId], group: Option<crate::model::GroupId>) -> Vec<ElementId> {
        members
            .iter()
            .enumerate()
            .filter(|&(i, &m)| match group {
                Some(g) => self.eligible(g.0 as usize, i),
                None => self.works(m),
            })
            .map(|(_, &m)| m)
            .collect()
    }

    /// Whether member `i` of tier `t` of service `s` carries a request onward through
    /// the next `depth` tiers (fewer when the chain ends first): the chain of the
    /// definition above, from that member, whatever its own group's role (a GSLB's
    /// standby site, a pool member). A health check that makes a request and the share
    /// of requests a pool member receives are judged this way. O(depth) searches.
    pub(in crate::simulate) fn carries_onward(&mut self, s: usize, t: usize, i: usize, depth: usize) -> bool {
        let cx = self.cx;
        let sn = &cx.circuit.services[s];
        let end = sn.chain.len().min(t.saturating_add(1).saturating_add(depth));
        let mut ends = vec![sn.chain[t].0[i]];
        for (members, group) in &sn.chain[t + 1..end] {
            let eligible = self.eligible_members(members, *group);
            // A balancer sends to the pool members its own checks pass: those it
            // reaches inside the data centre, not through the internet and back.
            let reached = match group {
                Some(g) if cx.groups[g.0 as usize].checked_from.is_some() => {
                    eligible.iter().map(|&m| self.reach_in_data_centre(&ends, m, true)).collect()
                }
                _ => self.reach_each(&ends, &eligible),
            };
            ends = eligible.into_iter().zip(reached).filter(|x| x.1).map(|x| x.0).collect();
            if ends.is_empty() {
                return false;
            }
        }
        true
    }

    /// Member `i` of group `j` may carry the tier now: it works, this group does not hold
    /// it as standby (other groups' roles do not matter: a router backup for one VLAN
    /// is master for another), it is not reconverging and, under vote quorum, its
    /// partition holds a majority.
    pub(in crate::simulate) fn eligible(&mut self, j: usize, i: usize) -> bool {
        let m = self.cx.model.groups[j].members[i];
        self.works(m) && !self.groups[j].excluding[i] && self.reconverging[m.0 as usize] == 0 && self.has_majority(j, i)
    }

    /// docs/SEMANTICS.md §3: the votes member `i`'s node can count in its partition (its
    /// own node, the voting nodes it reaches, the device if reached) exceed half.
    pub(in crate::simulate) fn has_majority(&mut self, j: usize, i: usize) -> bool {
        let Some(votes) = &self.cx.groups[j].votes else { return true };
        let mine = votes.nodes[votes.node_of_member[i]];
        let mut count = 0;
        for &node in votes.nodes.iter().chain(&votes.device) {
            if self.works(node) && (node == mine || self.communicates(mine, node)) {
                count += 1;
            }
        }
        count >= votes.majority()
    }
}
