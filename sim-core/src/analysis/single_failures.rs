//! Single points of failure at scale, without fault trees: the single-failure dataflow.
//!
//! For every element, D(e) is the set of single failures that take e down (its own
//! failure and what its requirements inherit). Reachability uses
//! K(v) = K₀(v) ∩ ⋂_{(u,l)} (K(u) ∪ D(l) ∪ D(v)), the set of single failures after
//! which v is no longer reached, computed as a greatest fixpoint with a worklist (cycles
//! converge from "everything"). A service's SPOFs are D(entry) ∪ the tiers' sets ∪ the
//! set after which no chain of eligible members runs through the tiers. The semantics
//! are docs/SEMANTICS.md; tests check this against the fault trees' order-1 cut sets
//! and the direct evaluator.
//!
//! Sets are sorted vectors (sparse); `None` stands for "every element". Cost:
//! O(Σ updates × degree × set size), near linear on data-centre fabrics.

use std::collections::BTreeMap;

use crate::model::{Arrangement, ElementId, GroupId, Model, NetworkIndex, NodeRef, Req};

/// A set of single failures; `None` = all. Shared: memoized sets are handed out
/// without copying.
type Set = Option<std::rc::Rc<Vec<u32>>>;

fn set(v: Vec<u32>) -> Set {
    Some(std::rc::Rc::new(v))
}

fn empty() -> Set {
    set(Vec::new())
}

thread_local! {
    /// Set elements merged by [`union`] and [`intersect`] on this thread: most of a run's
    /// work, counted for [`single_failures_counted`].
    static MERGED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

fn merged(units: usize) {
    MERGED.with(|m| m.set(m.get() + units as u64));
}

fn union(a: &Set, b: &Set) -> Set {
    let (Some(a), Some(b)) = (a, b) else { return None };
    merged(a.len() + b.len());
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    set(out)
}

fn intersect(a: &Set, b: &Set) -> Set {
    match (a, b) {
        (None, x) | (x, None) => x.clone(),
        (Some(a), Some(b)) => {
            merged(a.len() + b.len());
            let mut out = Vec::new();
            let (mut i, mut j) = (0, 0);
            while i < a.len() && j < b.len() {
                match a[i].cmp(&b[j]) {
                    std::cmp::Ordering::Less => i += 1,
                    std::cmp::Ordering::Greater => j += 1,
                    std::cmp::Ordering::Equal => {
                        out.push(a[i]);
                        i += 1;
                        j += 1;
                    }
                }
            }
            set(out)
        }
    }
}

/// Whether every element of `a` is in `b`.
fn subset(a: &Set, b: &Set) -> bool {
    match (a, b) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => {
            merged(a.len() + b.len());
            let mut j = 0;
            a.iter().all(|x| {
                while j < b.len() && b[j] < *x {
                    j += 1;
                }
                j < b.len() && b[j] == *x
            })
        }
    }
}

/// One holder per group ([`crate::model::roles::holder_choices`]).
type Choice = Vec<(GroupId, ElementId)>;

/// The holder choices reordered so that the first ones differ in every group: the
/// choice of each group's first member, then of each group's second, and so on (each
/// group's members taken cyclically), then the rest in their order. The service's set
/// intersects the choices' sets, and the loop stops once that intersection lies in
/// what fails the service anyway; choices that share no holder shrink it fastest.
fn spread_first(model: &Model, choices: Vec<Choice>) -> Vec<Choice> {
    let widest = choices.first().map_or(0, |c| c.iter().map(|&(g, _)| model.group(g).members.len()).max().unwrap_or(0));
    let diagonal = |c: &Choice| {
        let picks: Vec<usize> =
            c.iter().map(|&(g, h)| model.group(g).members.iter().position(|&m| m == h).unwrap_or(0)).collect();
        (0..widest).find(|&j| c.iter().zip(&picks).all(|(&(g, _), &p)| p == j % model.group(g).members.len()))
    };
    let mut keyed: Vec<(usize, usize, Choice)> =
        choices.into_iter().enumerate().map(|(i, c)| (diagonal(&c).unwrap_or(usize::MAX), i, c)).collect();
    keyed.sort_by_key(|&(d, i, _)| (d, i));
    keyed.into_iter().map(|(_, _, c)| c).collect()
}

/// Elements present in at least `k` of `sets`.
fn at_least(k: usize, sets: &[Set]) -> Set {
    if k == 0 {
        return None;
    }
    let universe = sets.iter().filter(|s| s.is_none()).count();
    if universe >= k {
        return None;
    }
    let mut counts: BTreeMap<u32, usize> = BTreeMap::new();
    for s in sets.iter().flatten() {
        for &x in s.iter() {
            *counts.entry(x).or_default() += 1;
        }
    }
    set(counts.into_iter().filter(|&(_, c)| c + universe >= k).map(|(x, _)| x).collect())
}

struct Flow<'m> {
    model: &'m Model,
    down: Vec<Option<Set>>,
    group_down: Vec<Option<Set>>,
    net: NetworkIndex,
    in_progress: Vec<bool>,
    /// Elements found in progress (a loop), innermost last; see [`Flow::down`].
    cycle_hits: Vec<u32>,
    /// Elements failed before the single failure (their D is "every element").
    pre_failed: Vec<bool>,
    /// Work done, in deterministic units (see [`single_failures_counted`]).
    work: u64,
}

impl Flow<'_> {
    fn down(&mut self, e: ElementId) -> Set {
        if let Some(s) = &self.down[e.0 as usize] {
            return s.clone();
        }
        if self.pre_failed[e.0 as usize] {
            return None;
        }
        if std::mem::replace(&mut self.in_progress[e.0 as usize], true) {
            // A loop (through a network path) counts as working, as in the fault tree;
            // whatever is computed under this assumption is provisional.
            self.cycle_hits.push(e.0);
            return empty();
        }
        let mark = self.cycle_hits.len();
        let el = self.model.element(e);
        let own: Set = set(if el.failure.is_some() { vec![e.0] } else { Vec::new() });
        let needs = el.needs.clone();
        let s = union(&own, &self.req(&needs));
        self.in_progress[e.0 as usize] = false;
        // Memoize only values that rest on no loop still open further up.
        let open: Vec<u32> = self.cycle_hits.drain(mark..).filter(|&x| x != e.0).collect();
        if open.is_empty() {
            self.down[e.0 as usize] = Some(s.clone());
        }
        self.cycle_hits.extend(open);
        s
    }

    fn req(&mut self, req: &Req) -> Set {
        match req {
            Req::Always => empty(),
            Req::Element(d) => self.down(*d),
            Req::Group(g) => self.group(*g),
            Req::All(rs) => {
                let mut acc = empty();
                for r in rs {
                    acc = union(&acc, &self.req(r));
                    if acc.is_none() {
                        break;
                    }
                }
                acc
            }
            Req::AtLeast { k, of } => {
                let sets: Vec<Set> = of.iter().map(|r| self.req(r)).collect();
                at_least(sets.len() + 1 - (*k as usize).min(sets.len() + 1), &sets)
            }
            Req::Path { from, to, probe } => self.unreachable(&[*from], &[*to], *probe),
        }
    }

    fn group(&mut self, g: GroupId) -> Set {
        if let Some(s) = &self.group_down[g.0 as usize] {
            return s.clone();
        }
        let mark = self.cycle_hits.len();
        let group = self.model.group(g).clone();
        let sets: Vec<Set> = group.members.iter().map(|&m| self.down(m)).collect();
        let n = sets.len();
        let arrangement = match &group.arrangement {
            Arrangement::ActiveStandby if group.vote_quorum || group.takeover_requires.is_some() => {
                let inel: Vec<Set> = (0..n).map(|i| self.ineligible(g, i)).collect();
                at_least(n, &inel)
            }
            Arrangement::ActiveStandby => at_least(n, &sets),
            Arrangement::ActiveActive { need } => at_least(n + 1 - (*need as usize).min(n + 1), &sets),
        };
        let s = union(&arrangement, &self.req(&group.needs));
        if self.cycle_hits.len() == mark {
            self.group_down[g.0 as usize] = Some(s.clone());
        }
        s
    }

    /// Single failures after which no working source reaches any working target.
    fn unreachable(&mut self, sources: &[ElementId], targets: &[ElementId], switches_only: bool) -> Set {
        let seeds: Vec<(ElementId, Set)> = sources.iter().map(|&a| (a, self.down(a))).collect();
        self.not_reached_via(&seeds, targets, switches_only, &[], &[]).iter().fold(None, |acc, t| intersect(&acc, t))
    }

    /// Per target b: the single failures after which b is down or not reached
    /// (docs/SEMANTICS.md §2), each source `a` of `seeds` being inactive after the
    /// failures of its set.
    fn not_reached(&mut self, seeds: &[(ElementId, Set)], targets: &[ElementId]) -> Vec<Set> {
        self.not_reached_via(seeds, targets, false, &[], &[])
    }

    /// [`Self::not_reached`], with `switches_only` for a probe that stays within one L2
    /// segment (docs/SEMANTICS.md §2 `Probe`), and with the elements marked in
    /// `blocked` forwarding nothing (standby members, `model::roles`). `idle[0][i]` and
    /// `idle[1][j]`, where given, leave the closures of seed i and target j (the NICs a
    /// member's variant does not use, `model::roles::member_variants`).
    fn not_reached_via(
        &mut self,
        seeds: &[(ElementId, Set)],
        targets: &[ElementId],
        switches_only: bool,
        blocked: &[bool],
        idle: &[&[Vec<ElementId>]],
    ) -> Vec<Set> {
        let forwarding = self.net.forwarders_except(switches_only, blocked);
        let n = self.model.elements.len();
        self.work += n as u64;
        let mut source_side = vec![false; n];
        let mut target_side = vec![false; n];
        let mut k: Vec<Set> = vec![None; n];
        let mut seed: Vec<Set> = vec![None; n];
        for (i, (a, inactive)) in seeds.iter().enumerate() {
            for v in self.net.closure_of_variant(*a, blocked, idle.first().and_then(|x| x.get(i))) {
                source_side[v.0 as usize] = true;
                let dv = self.down(v);
                seed[v.0 as usize] = intersect(&seed[v.0 as usize], &union(inactive, &dv));
            }
        }
        let target_closures: Vec<(ElementId, Vec<ElementId>)> = targets
            .iter()
            .enumerate()
            .map(|(j, &b)| (b, self.net.closure_of_variant(b, blocked, idle.get(1).and_then(|x| x.get(j)))))
            .collect();
        for (_, c) in &target_closures {
            for v in c {
                target_side[v.0 as usize] = true;
            }
        }
        // Link and node failure sets are needed only for nodes on the way.
        let mut queue: std::collections::VecDeque<ElementId> = std::collections::VecDeque::new();
        let mut queued = vec![false; n];
        for v in 0..n {
            if source_side[v] {
                k[v] = seed[v].clone();
                queue.push_back(ElementId(v as u32));
                queued[v] = true;
            }
        }
        while let Some(u) = queue.pop_front() {
            let ui = u.0 as usize;
            queued[ui] = false;
            // Endpoints never forward: a seeded endpoint sends only what it was seeded with.
            let sent = if forwarding[ui] {
                k[ui].clone()
            } else if source_side[ui] {
                seed[ui].clone()
            } else {
                continue;
            };
            for i in 0..self.net.adjacency[ui].len() {
                let (v, link) = self.net.adjacency[ui][i];
                let vi = v.0 as usize;
                if !(forwarding[vi] || target_side[vi]) {
                    continue;
                }
                let (dl, dv) = (self.down(link), self.down(v));
                self.work += 1 + k[vi].as_ref().map_or(0, |s| s.len() as u64);
                // K only shrinks, so folding in the changed sender's term is exact:
                // K(v) ← K(v) ∩ (K(u) ∪ D(l) ∪ D(v)).
                let next = {
                    let (ku, dl, dv) = (&sent, &dl, &dv);
                    match &k[vi] {
                        None => union(&union(ku, dl), dv),
                        Some(kv) => {
                            let keep = |x: &u32| {
                                [ku, dl, dv].iter().any(|s| s.as_ref().is_none_or(|s| s.binary_search(x).is_ok()))
                            };
                            set(kv.iter().copied().filter(keep).collect())
                        }
                    }
                };
                let next = intersect(&next, &seed[vi]);
                if next != k[vi] {
                    k[vi] = next;
                    if !queued[vi] {
                        queued[vi] = true;
                        queue.push_back(v);
                    }
                }
            }
        }
        target_closures
            .into_iter()
            .map(|(b, closure)| {
                let db = self.down(b);
                let unreached = closure.iter().fold(None, |acc: Set, w| intersect(&acc, &k[w.0 as usize]));
                union(&db, &unreached)
            })
            .collect()
    }

    /// `¬Comm(x, y)`; never, when either is off the network.
    fn no_comm(&mut self, x: ElementId, y: ElementId) -> Set {
        if !self.net.on_network(x) || !self.net.on_network(y) {
            return empty();
        }
        let dx = self.down(x);
        self.not_reached(&[(x, dx)], &[y]).swap_remove(0)
    }

    /// Single failures after which member `i` of group `g` is not eligible (down, or
    /// under vote quorum without a majority in its partition).
    fn ineligible(&mut self, g: GroupId, i: usize) -> Set {
        let m = self.model.group(g).members[i];
        let mut dm = self.down(m);
        // Failover preconditions (docs/SEMANTICS.md §3): a takeover needs them.
        if let Some(t) = self.model.group(g).takeover_requires.clone() {
            let members = self.model.group(g).members.clone();
            let req = self.req(&t.req);
            let needed = if t.preempts {
                (i > 0).then_some(req)
            } else {
                let downs: Vec<Set> = members.iter().map(|&x| self.down(x)).collect();
                let any = downs.iter().fold(empty(), |acc, d| union(&acc, d));
                Some(intersect(&req, &any))
            };
            if let Some(needed) = needed {
                dm = union(&dm, &needed);
            }
        }
        let Some(votes) = self.model.votes(g) else { return dm };
        let mine = votes.nodes[votes.node_of_member[i]];
        let mut lost = Vec::new();
        for &node in &votes.nodes {
            let dn = self.down(node);
            lost.push(if node == mine { dn } else { union(&dn, &self.no_comm(mine, node)) });
        }
        if let Some(d) = votes.device {
            let dd = self.down(d);
            lost.push(union(&dd, &self.no_comm(mine, d)));
        }
        union(&dm, &at_least(votes.total() - votes.majority() + 1, &lost))
    }

    /// Per member of a tier: the single failures after which it is not eligible.
    fn tier_ineligible(&mut self, node: NodeRef) -> Vec<Set> {
        match node {
            NodeRef::Element(e) => vec![self.down(e)],
            NodeRef::Group(g) => (0..self.model.group(g).members.len()).map(|i| self.ineligible(g, i)).collect(),
            NodeRef::Service(_) => Vec::new(),
        }
    }

    fn tier(&mut self, node: NodeRef) -> Set {
        match node {
            NodeRef::Element(e) => self.down(e),
            NodeRef::Group(g) => self.group(g),
            NodeRef::Service(_) => empty(),
        }
    }
}

/// For each service (by index), the elements whose failure alone stops it, sorted by
/// name. `None` means every element would (the service can never work).
pub fn single_failures(model: &Model) -> Vec<Option<Vec<ElementId>>> {
    single_failures_given(model, &vec![false; model.elements.len()])
        .into_iter()
        .map(|set| {
            set.map(|ids| {
                let mut ids: Vec<ElementId> = ids.into_iter().map(ElementId).collect();
                ids.sort_by(|a, b| model.element(*a).name.cmp(&model.element(*b).name));
                ids
            })
        })
        .collect()
}

/// For each service (by index), with the elements of `pre_failed` already failed: the
/// single further failures that stop it, as sorted element ids; `None` when it is
/// down already (or for every further failure). With one element pre-failed this
/// gives the order-2 cut sets through it, in one near-linear pass.
pub fn single_failures_given(model: &Model, pre_failed: &[bool]) -> Vec<Option<Vec<u32>>> {
    single_failures_counted(model, pre_failed).0
}

/// [`single_failures_given`], with the work the run did in deterministic units: the
/// design's size per pass over it (setup, and each tier's reachability) plus one per
/// link relaxation and per set element it filters or merges. The certified bounds charge it to
/// their budget ([`super::budget::DATAFLOW_UNITS_PER_SEC`] calibrates it), so they stop
/// at the same run on every machine.
pub fn single_failures_counted(model: &Model, pre_failed: &[bool]) -> (Vec<Option<Vec<u32>>>, u64) {
    let n = model.elements.len();
    let mut flow = Flow {
        model,
        down: vec![None; n],
        group_down: vec![None; model.groups.len()],
        net: NetworkIndex::new(model),
        in_progress: vec![false; n],
        cycle_hits: Vec::new(),
        pre_failed: pre_failed.to_vec(),
        work: n as u64,
    };
    let merged_before = MERGED.with(|m| m.get());
    let choices =
        spread_first(model, crate::model::roles::holder_choices(model, &flow.net).unwrap_or_else(|| vec![Vec::new()]));
    // Per element: its variants, one per choice of NIC for its per-member bonds.
    let per_member = crate::model::roles::member_interface_groups(model, &flow.net);
    let mut variants_of: BTreeMap<ElementId, Vec<Vec<ElementId>>> = BTreeMap::new();
    for svc in &model.services {
        for m in std::iter::once(svc.from).chain(svc.through.iter().flat_map(|&t| model.anchors(t))) {
            variants_of
                .entry(m)
                .or_insert_with(|| crate::model::roles::member_variants(model, &flow.net, &per_member, m));
        }
    }
    let variants = |m: ElementId| variants_of.get(&m).cloned().unwrap_or_else(|| vec![Vec::new()]);
    let sets = model
        .services
        .iter()
        .map(|svc| {
            // The chain (docs/SEMANTICS.md §4), per choice of holders for the groups
            // whose standby members forward nothing (`model::roles`; past the cap,
            // every member forwards): per member of the current tier, the single
            // failures after which no chain of eligible members reaches it. The
            // service needs some choice to carry it.
            let mut set = flow.down(svc.from);
            for &tier in &svc.through {
                set = union(&set, &flow.tier(tier));
            }
            let mut no_chain: Set = None;
            for choice in &choices {
                // set ∪ (no_chain ∩ anything) = set: the other choices cannot change it.
                if subset(&no_chain, &set) {
                    break;
                }
                let blocked = crate::model::roles::blocked_by(model, choice, &svc.through);
                // A chain end is a variant of a member (`model::roles::member_variants`).
                let mut ends_idle: Vec<Vec<ElementId>> = variants(svc.from);
                let entry_down = flow.down(svc.from);
                let mut chain_ends: Vec<(ElementId, Set)> =
                    ends_idle.iter().map(|_| (svc.from, entry_down.clone())).collect();
                // Per tier: (variants' members, "no chain reaches it", "ineligible", idle NICs).
                type TierSets = (Vec<ElementId>, Vec<Set>, Vec<Set>, Vec<Vec<ElementId>>);
                let mut on_tiers: Vec<TierSets> = Vec::new();
                for &tier in &svc.through {
                    let anchors = model.anchors(tier);
                    let kept = crate::model::roles::chain_members(tier, &anchors, choice);
                    let mut members: Vec<ElementId> = Vec::new();
                    let mut of_anchor: Vec<usize> = Vec::new();
                    let mut idle: Vec<Vec<ElementId>> = Vec::new();
                    for &i in &kept {
                        for v in variants(anchors[i]) {
                            members.push(anchors[i]);
                            of_anchor.push(i);
                            idle.push(v);
                        }
                    }
                    let unreached = flow.not_reached_via(
                        &chain_ends,
                        &members,
                        false,
                        &blocked,
                        &[ends_idle.as_slice(), idle.as_slice()],
                    );
                    let ineligible = flow.tier_ineligible(tier);
                    chain_ends = members
                        .iter()
                        .zip(unreached.iter().zip(of_anchor.iter().map(|&i| &ineligible[i])))
                        .map(|(&m, (lost, inel))| (m, union(lost, inel)))
                        .collect();
                    let variant_ineligible = of_anchor.iter().map(|&i| ineligible[i].clone()).collect();
                    on_tiers.push((
                        members,
                        chain_ends.iter().map(|c| c.1.clone()).collect(),
                        variant_ineligible,
                        idle.clone(),
                    ));
                    ends_idle = idle;
                }
                let mut this_choice = chain_ends.iter().fold(None, |acc: Set, c| intersect(&acc, &c.1));
                // A tier that needs k ≥ 2 members: the failures after which fewer than k
                // lie on a chain (reached from the entry, and carrying it on to the last
                // tier: a backward pass over undirected paths, as the fault tree's).
                let needs: Vec<usize> = svc.through.iter().map(|&t| model.tier_need(t)).collect();
                if let (Some(first), Some(last)) = (needs.iter().position(|&k| k >= 2), on_tiers.len().checked_sub(1)) {
                    let mut off: Vec<Vec<Set>> = vec![Vec::new(); on_tiers.len()];
                    off[last] = on_tiers[last].2.clone();
                    for t in (first..last).rev() {
                        let seeds: Vec<(ElementId, Set)> =
                            on_tiers[t + 1].0.iter().copied().zip(off[t + 1].iter().cloned()).collect();
                        let idle = [on_tiers[t + 1].3.as_slice(), on_tiers[t].3.as_slice()];
                        let lost = flow.not_reached_via(&seeds, &on_tiers[t].0, false, &blocked, &idle);
                        off[t] = lost.iter().zip(&on_tiers[t].2).map(|(l, i)| union(l, i)).collect();
                    }
                    for t in (first..=last).filter(|&t| needs[t] >= 2) {
                        let mut by_member: BTreeMap<ElementId, Set> = BTreeMap::new();
                        for (v, &m) in on_tiers[t].0.iter().enumerate() {
                            let o = union(&on_tiers[t].1[v], &off[t][v]);
                            let every = by_member.remove(&m).map_or(o.clone(), |acc| intersect(&acc, &o));
                            by_member.insert(m, every);
                        }
                        let offs: Vec<Set> = by_member.into_values().collect();
                        let short = at_least((offs.len() + 1).saturating_sub(needs[t]), &offs);
                        this_choice = union(&this_choice, &short);
                    }
                }
                no_chain = intersect(&no_chain, &this_choice);
            }
            union(&set, &no_chain).map(|rc| std::rc::Rc::try_unwrap(rc).unwrap_or_else(|rc| rc.to_vec()))
        })
        .collect();
    (sets, flow.work + MERGED.with(|m| m.get()) - merged_before)
}

#[cfg(test)]
mod tests {
    /// A loop through a network path (a blocking synchronous primary needs a path from
    /// its replica's host to its own host, whose closure holds the primary itself):
    /// values computed while the primary was in progress must not be memoized, or the
    /// host drops out of its process's failure set. First found by the fuzzer on a
    /// multipath whose HBA sat in its own server (HBAs left server closures since: Fibre
    /// Channel carries no IP); the fault tree is the oracle.
    #[test]
    fn loops_through_paths_do_not_poison_memoized_sets() {
        // db-1/db → replica reached: path db-2 → db-1 → closure of db-1 → db-1/db, open.
        let text = r#"{ "name": "loop",
          "components": {
            "internet": { "kind": "entry" }, "sw": { "kind": "switch" }, "sw-2": { "kind": "switch" },
            "db-1": { "kind": "server", "nics": ["sw"], "runs": ["db"] },
            "db-2": { "kind": "server", "nics": ["sw-2"], "runs": ["db"] },
            "db-3": { "kind": "server", "nics": ["sw", "sw-2"], "runs": ["db"] } },
          "links": [ { "between": ["internet", "sw"] }, { "between": ["sw", "sw-2"] } ],
          "groups": { "repl": { "kind": "replication", "from": "db-1/db", "to": ["db-2/db"], "mode": "sync" },
                      "back": { "kind": "replication", "from": "db-2/db", "to": ["db-1/db", "db-3/db"], "mode": "sync" } },
          "services": { "multi": { "from": "internet", "through": ["db-1/db"] },
                        "single-path": { "from": "internet", "through": ["db-2/db"] } } }"#;
        let model = crate::load(text).model.expect("model");
        let singles = super::single_failures(&model);
        let options =
            crate::analysis::Options { max_order: 1, max_listed: 100, importance: false, ..Default::default() };
        for st in crate::analysis::structure::service_structures(&model).into_iter().flatten() {
            let r = crate::analysis::analyze_tree(&st.tree, &options).expect("analysis");
            let mut from_tree: Vec<&str> =
                r.single_points.iter().map(|&e| st.tree.events[e as usize].name.as_str()).collect();
            from_tree.sort_unstable();
            let flow = singles[st.service].as_ref().expect("the service can work");
            let mut from_flow: Vec<&str> = flow.iter().map(|e| model.element(*e).name.as_str()).collect();
            from_flow.sort_unstable();
            assert_eq!(from_flow, from_tree, "service {}", model.services[st.service].name);
        }
        let single = model.services.iter().position(|s| s.name == "single-path").expect("service");
        let flow = singles[single].as_ref().expect("works");
        for host in ["db-2", "sw-2", "sw~sw-2"] {
            assert!(flow.iter().any(|e| model.element(*e).name == host), "{host} missing");
        }
    }
}
