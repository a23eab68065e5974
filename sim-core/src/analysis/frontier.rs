//! Frontier search: the BDD of a [`Reach`] gate, built hub by hub without unrolling
//! reachability.
//!
//! The method is the frontier-based construction of network reliability BDDs (Minato's
//! frontier search as in TdZDD and Graphillion; Hardy, Lucet & Limnios, "K-terminal
//! network reliability measures with binary decision diagrams", IEEE Trans. Reliability
//! 56(3), 2007, which also lets nodes fail), extended in two ways:
//!
//! - **Conditions are BDDs.** A hub's or link's "down" is any function of the basic
//!   events (a switch is down when its PSUs or its PDU are), so hubs that share a power
//!   feed are not independent. Each search state therefore carries the exact condition
//!   under which the processed part of the network is in that state, as a BDD over all
//!   events; branching on an element conjoins its condition or its negation. States that
//!   agree merge by disjunction.
//! - **Chains, not terminals.** A state is the partition of the frontier hubs into
//!   components (a dead hub has none), plus, per layer of the chain, the sets of
//!   components that one working member touches ("bridges"; a single component is a
//!   bit). The chain of layers 0 … k holds when a layer-0 bridge, then a layer-1 bridge
//!   meeting it, …, then a layer-k bridge line up (see [`Reach`]). Adding hubs and links
//!   only adds connectivity, so a state whose chain already holds is final ("up"), and
//!   a component that left the frontier and meets no multi-component bridge either
//!   completes the chain by itself or never will, so it is dropped.
//!
//! Hubs are taken in the order given (breadth-first from the entry, which follows a
//! path decomposition of layered data-centre fabrics); a link is taken when its later
//! end is, a member when its last hub is, and a hub leaves the frontier after its last
//! link and member.
//!
//! Cost: O(Σ over steps of states × BDD operation), where the number of states is
//! bounded by the partitions of the frontier (the Bell number of its width) times the
//! bridge patterns; on layered fabrics the frontier is one or two layers of switches.

use rustc_hash::FxHashMap as HashMap;

use super::bdd::{Bdd, NodeId, FALSE, TRUE};
use super::fault_tree::Reach;

const DEAD: u16 = u16::MAX;

/// The frontier search gives up beyond this many states after one item ...
pub const MAX_STATES: usize = 2_000_000;
/// ... or past this many states over all items (memory: each state is kept until the
/// backward pass).
pub const MAX_WORK: usize = 20_000_000;

/// A member's "out" and its (hub, path down) paths, compiled.
pub type MemberBdds = (NodeId, Vec<(u32, NodeId)>);

/// The search gave up: the BDD manager stopped (node budget or deadline) or the
/// states exceeded [`MAX_STATES`] or [`MAX_WORK`].
#[derive(Debug)]
pub struct GaveUp;

/// A [`Reach`] gate with every argument compiled: `hubs[h]`, `links[l].2`, each
/// member's `out` and path conditions are BDDs of "down".
pub struct ReachBdds {
    pub hubs: Vec<NodeId>,
    pub links: Vec<(u32, u32, NodeId)>,
    /// Per layer, per member: (out, [(hub, path down)]).
    pub layers: Vec<Vec<MemberBdds>>,
}

impl ReachBdds {
    /// Reads the compiled arguments in [`Reach::args`] order.
    pub fn new(reach: &Reach, vals: &[NodeId]) -> ReachBdds {
        let mut at = 0;
        let mut take = || {
            at += 1;
            vals[at - 1]
        };
        let hubs = reach.hubs.iter().map(|_| take()).collect();
        let links = reach.links.iter().map(|&(a, b, _)| (a, b, take())).collect();
        let layers = reach
            .layers
            .iter()
            .map(|layer| layer.iter().map(|m| (take(), m.paths.iter().map(|&(h, _)| (h, take())).collect())).collect())
            .collect();
        ReachBdds { hubs, links, layers }
    }
}

/// One search state: a component label per frontier hub, the bridges, and the
/// components the member being taken touches so far (None between members).
#[derive(Clone, PartialEq, Eq, Hash)]
struct State {
    labels: Vec<u16>,
    /// (layer, sorted component labels), sorted, none a subset of another of its layer.
    bridges: Vec<(u8, Vec<u16>)>,
    pending: Option<Vec<u16>>,
}

enum Outcome {
    Open(State),
    Up,
    Down,
}

/// One decision or bookkeeping step of the search, in order.
#[derive(Clone, Copy)]
enum Item {
    /// Hub h works (a fresh component) or not.
    Hub(u32),
    /// The link joins its ends' components.
    Link(usize),
    /// Member (layer, index) can hold the chain.
    MemberIn(usize, usize),
    /// The member's path j works.
    Path(usize, usize, usize),
    /// The member's touched components become a bridge.
    MemberEnd(usize),
    /// Hubs leave the frontier after this hub's step.
    Retire(u32),
}

/// The items in search order: a hub, then the links whose later end it is, the members
/// whose last hub it is, and the hubs whose last use it was. Also the number of
/// members per layer that the search takes (those with a path).
fn schedule(r: &ReachBdds) -> (Vec<Item>, Vec<usize>, Vec<Vec<u32>>) {
    let n = r.hubs.len();
    let mut links_at = vec![Vec::new(); n];
    let mut last_use: Vec<usize> = (0..n).collect();
    for (l, &(a, b, _)) in r.links.iter().enumerate() {
        let at = a.max(b) as usize;
        links_at[at].push(l);
        last_use[a as usize] = last_use[a as usize].max(at);
        last_use[b as usize] = last_use[b as usize].max(at);
    }
    let mut members_at = vec![Vec::new(); n];
    let mut members_per_layer = vec![0; r.layers.len()];
    for (t, layer) in r.layers.iter().enumerate() {
        for (i, (_, paths)) in layer.iter().enumerate() {
            let Some(at) = paths.iter().map(|p| p.0 as usize).max() else { continue };
            members_at[at].push((t, i));
            for p in paths {
                last_use[p.0 as usize] = last_use[p.0 as usize].max(at);
            }
            members_per_layer[t] += 1;
        }
    }
    let mut retire_at = vec![Vec::new(); n];
    for (h, &at) in last_use.iter().enumerate() {
        retire_at[at].push(h as u32);
    }
    let mut items = Vec::new();
    for h in 0..n {
        items.push(Item::Hub(h as u32));
        items.extend(links_at[h].iter().map(|&l| Item::Link(l)));
        for &(t, i) in &members_at[h] {
            items.push(Item::MemberIn(t, i));
            items.extend((0..r.layers[t][i].1.len()).map(|j| Item::Path(t, i, j)));
            items.push(Item::MemberEnd(t));
        }
        if !retire_at[h].is_empty() {
            items.push(Item::Retire(h as u32));
        }
    }
    (items, members_per_layer, retire_at)
}

/// Where a branch of a state leads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    Up,
    Down,
    State(u32),
}

/// The BDD of the gate (true: no chain holds), or [`GaveUp`].
///
/// Two passes. The forward pass enumerates the states after each item and records, per
/// state, where its "condition holds" and "fails" branches lead (equal states merge).
/// The backward pass turns those transitions into a diagram over one decision per
/// item and substitutes each item's condition (a BDD over the basic events) for its
/// decision, bottom-up: node(item, hi, lo) = ite(condition, hi, lo).
pub fn no_chain(bdd: &mut Bdd, r: &ReachBdds) -> Result<NodeId, GaveUp> {
    let layers = r.layers.len();
    if layers > u8::MAX as usize {
        return Err(GaveUp);
    }
    if layers < 2 {
        return Ok(TRUE);
    }
    let (items, members_per_layer, retire_at) = schedule(r);
    // A layer no member can join: the chain never holds.
    if members_per_layer.contains(&0) {
        return Ok(TRUE);
    }
    let mut remaining = members_per_layer;
    let mut active: Vec<u32> = Vec::new();
    let slot = |active: &[u32], h: u32| active.iter().position(|&x| x == h).expect("hub on the frontier");
    // Per item: its condition and, per state before it, (holds, fails) successors.
    let mut transitions: Vec<(NodeId, Vec<(Next, Next)>)> = Vec::with_capacity(items.len());
    let mut states: Vec<State> = vec![State { labels: Vec::new(), bridges: Vec::new(), pending: None }];
    let mut work = 0usize;
    for item in &items {
        let processed = states.len();
        work += processed;
        let mut index: HashMap<State, u32> = HashMap::default();
        let mut next_states: Vec<State> = Vec::new();
        let mut settle_into = |s: State, remaining: &[usize]| -> Next {
            match settle(s, remaining) {
                Outcome::Up => Next::Up,
                Outcome::Down => Next::Down,
                Outcome::Open(s) => {
                    let len = next_states.len() as u32;
                    let id = *index.entry(s.clone()).or_insert(len);
                    if id == len {
                        next_states.push(s);
                    }
                    Next::State(id)
                }
            }
        };
        let mut moves: Vec<(Next, Next)> = Vec::with_capacity(states.len());
        // Both successors of a decision, except the one a constant condition rules
        // out: a part that never fails (or always does) must not spawn states that
        // cannot happen, which would only multiply the search.
        macro_rules! branch {
            ($condition:expr, $holds:expr, $fails:expr) => {
                match $condition {
                    TRUE => {
                        let hi = settle_into($holds, &remaining);
                        (hi, hi)
                    }
                    FALSE => {
                        let lo = settle_into($fails, &remaining);
                        (lo, lo)
                    }
                    _ => (settle_into($holds, &remaining), settle_into($fails, &remaining)),
                }
            };
        }
        let condition: NodeId;
        match *item {
            Item::Hub(h) => {
                condition = bdd.not(r.hubs[h as usize]);
                active.push(h);
                for s in states.drain(..) {
                    let fresh = s
                        .labels
                        .iter()
                        .chain(s.bridges.iter().flat_map(|b| b.1.iter()))
                        .filter(|&&l| l != DEAD)
                        .max()
                        .map_or(0, |m| m + 1);
                    let mut up = s.clone();
                    up.labels.push(fresh);
                    let mut dead = s;
                    dead.labels.push(DEAD);
                    moves.push(branch!(condition, up, dead));
                }
            }
            Item::Link(l) => {
                let (a, b, link_down) = r.links[l];
                condition = bdd.not(link_down);
                let (sa, sb) = (slot(&active, a), slot(&active, b));
                for s in states.drain(..) {
                    let (la, lb) = (s.labels[sa], s.labels[sb]);
                    if la == DEAD || lb == DEAD || la == lb {
                        let same = settle_into(s, &remaining);
                        moves.push((same, same));
                        continue;
                    }
                    let mut merged = s.clone();
                    for x in merged.labels.iter_mut().chain(merged.bridges.iter_mut().flat_map(|b| b.1.iter_mut())) {
                        if *x == lb {
                            *x = la;
                        }
                    }
                    moves.push(branch!(condition, merged, s));
                }
            }
            Item::MemberIn(t, i) => {
                condition = bdd.not(r.layers[t][i].0);
                for s in states.drain(..) {
                    let mut joining = s.clone();
                    joining.pending = Some(Vec::new());
                    moves.push(branch!(condition, joining, s));
                }
            }
            Item::Path(t, i, j) => {
                let (h, path_down) = r.layers[t][i].1[j];
                condition = bdd.not(path_down);
                let sh = slot(&active, h);
                for s in states.drain(..) {
                    let label = s.labels[sh];
                    let adds = match &s.pending {
                        Some(p) => label != DEAD && !p.contains(&label),
                        None => false,
                    };
                    if !adds {
                        let same = settle_into(s, &remaining);
                        moves.push((same, same));
                        continue;
                    }
                    let mut with = s.clone();
                    if let Some(p) = with.pending.as_mut() {
                        p.push(label);
                        p.sort_unstable();
                    }
                    moves.push(branch!(condition, with, s));
                }
            }
            Item::MemberEnd(t) => {
                condition = TRUE;
                remaining[t] -= 1;
                for mut s in states.drain(..) {
                    if let Some(touched) = s.pending.take() {
                        if !touched.is_empty() {
                            s.bridges.push((t as u8, touched));
                        }
                    }
                    let same = settle_into(s, &remaining);
                    moves.push((same, same));
                }
            }
            Item::Retire(h) => {
                condition = TRUE;
                let retiring: Vec<usize> = retire_at[h as usize].iter().map(|&x| slot(&active, x)).collect();
                let keep: Vec<bool> = (0..active.len()).map(|k| !retiring.contains(&k)).collect();
                active = active.iter().zip(&keep).filter(|(_, &k)| k).map(|(&x, _)| x).collect();
                for s in states.drain(..) {
                    let labels = s.labels.iter().zip(&keep).filter(|(_, &k)| k).map(|(&l, _)| l).collect();
                    let same = settle_into(State { labels, ..s }, &remaining);
                    moves.push((same, same));
                }
            }
        }
        transitions.push((condition, moves));
        // The states are work the node requests do not count: charged to the same
        // budget, so a search that cannot finish stops within it.
        bdd.charge_work(processed as u64);
        states = next_states;
        if bdd.exceeded() || states.len() > MAX_STATES || work > MAX_WORK {
            return Err(GaveUp);
        }
    }
    // Backward: states left after the last item cannot complete the chain.
    let mut below: Vec<NodeId> = vec![TRUE; states.len()];
    for (condition, moves) in transitions.iter().rev() {
        let value = |n: Next, below: &[NodeId]| match n {
            Next::Up => FALSE,
            Next::Down => TRUE,
            Next::State(id) => below[id as usize],
        };
        let mut here = Vec::with_capacity(moves.len());
        for &(hi, lo) in moves {
            let (h, l) = (value(hi, &below), value(lo, &below));
            here.push(if h == l { h } else { bdd.ite(*condition, h, l) });
        }
        below = here;
        if bdd.exceeded() {
            return Err(GaveUp);
        }
    }
    Ok(below[0])
}

/// Canonical form of a state, or its final outcome.
fn settle(mut s: State, remaining: &[usize]) -> Outcome {
    let layers = remaining.len();
    let on_frontier = |l: u16, s: &State| s.labels.contains(&l);
    for b in s.bridges.iter_mut() {
        b.1.sort_unstable();
        b.1.dedup();
    }
    s.bridges.sort();
    s.bridges.dedup();
    // A closed component in no multi-component bridge: it completes the chain alone
    // (a bit for every layer) or never takes part again.
    let mut closed: Vec<u16> =
        s.bridges.iter().flat_map(|b| b.1.iter().copied()).filter(|&l| !on_frontier(l, &s)).collect();
    closed.sort_unstable();
    closed.dedup();
    for c in closed {
        if s.bridges.iter().any(|b| b.1.len() > 1 && b.1.contains(&c)) {
            continue;
        }
        let bits = s.bridges.iter().filter(|b| b.1 == [c]).count(); // one per layer: deduplicated
        if bits == layers {
            return Outcome::Up;
        }
        s.bridges.retain(|b| b.1 != [c]);
    }
    // Relabel: frontier order first, then closed components in bridge order.
    let mut map: HashMap<u16, u16> = HashMap::default();
    let mut fresh = 0u16;
    for x in s.labels.iter_mut() {
        if *x != DEAD {
            *x = *map.entry(*x).or_insert_with(|| {
                fresh += 1;
                fresh - 1
            });
        }
    }
    s.bridges.sort();
    for b in s.bridges.iter_mut() {
        for x in b.1.iter_mut() {
            *x = *map.entry(*x).or_insert_with(|| {
                fresh += 1;
                fresh - 1
            });
        }
        b.1.sort_unstable();
        b.1.dedup();
    }
    s.bridges.sort();
    s.bridges.dedup();
    // Drop bridges contained in another of the same layer: the larger one does more.
    let all = s.bridges.clone();
    s.bridges
        .retain(|b| !all.iter().any(|o| o.0 == b.0 && o.1.len() > b.1.len() && b.1.iter().all(|x| o.1.contains(x))));
    // Does the chain hold already?
    let mut held: Vec<u16> = s.bridges.iter().filter(|b| b.0 == 0).flat_map(|b| b.1.iter().copied()).collect();
    for t in 1..layers {
        let mut next: Vec<u16> = Vec::new();
        for b in s.bridges.iter().filter(|b| b.0 as usize == t) {
            if b.1.iter().any(|x| held.contains(x)) {
                next.extend(b.1.iter().copied());
            }
        }
        held = next;
        if held.is_empty() {
            break;
        }
    }
    if !held.is_empty() {
        return Outcome::Up;
    }
    // A layer whose members are all taken, with no bridge: the chain never holds.
    for (t, &left) in remaining.iter().enumerate() {
        if left == 0 && !s.bridges.iter().any(|b| b.0 as usize == t) {
            return Outcome::Down;
        }
    }
    Outcome::Open(s)
}

#[cfg(test)]
mod tests {
    use rand::{RngExt, SeedableRng};

    use crate::analysis::fault_tree::{BasicEvent, FaultTree, Gate, Reach, ReachMember, Ref};
    use crate::analysis::{analyze_tree, unroll, Options};

    fn event(tree: &mut FaultTree, p: f64) -> Ref {
        tree.events.push(BasicEvent { name: format!("e{}", tree.events.len()), probability: p, element: None });
        Ref::Event(tree.events.len() as u32 - 1)
    }

    /// A random Reach gate over at most 14 events: hubs and links fail on their own
    /// or share an event (a common power feed), members have paths to 1–3 hubs.
    fn random_tree(seed: u64) -> FaultTree {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        let mut tree = FaultTree { name: format!("reach-{seed}"), ..FaultTree::default() };
        let shared = event(&mut tree, 0.2);
        let hubs_n = rng.random_range(1..=5u32);
        let mut hubs = Vec::new();
        for _ in 0..hubs_n {
            let r = match rng.random_range(0..4) {
                0 => Ref::Const(false),
                1 => shared,
                _ => event(&mut tree, rng.random_range(0.05..0.5)),
            };
            hubs.push(r);
        }
        let mut links = Vec::new();
        for a in 0..hubs_n {
            for b in a + 1..hubs_n {
                if rng.random_bool(0.5) && tree.events.len() < 11 {
                    let l = if rng.random_bool(0.3) { Ref::Const(false) } else { event(&mut tree, 0.3) };
                    links.push((a, b, l));
                }
            }
        }
        let layers_n = rng.random_range(2..=4);
        let mut layers = Vec::new();
        for _ in 0..layers_n {
            let mut layer = Vec::new();
            for _ in 0..rng.random_range(1..=2) {
                let out = if tree.events.len() < 13 && rng.random_bool(0.6) {
                    event(&mut tree, 0.25)
                } else {
                    Ref::Const(false)
                };
                let mut paths = Vec::new();
                for _ in 0..rng.random_range(0..=3) {
                    let h = rng.random_range(0..hubs_n);
                    let d = if tree.events.len() < 14 && rng.random_bool(0.4) {
                        event(&mut tree, 0.2)
                    } else {
                        Ref::Const(false)
                    };
                    paths.push((h, d));
                }
                layer.push(ReachMember { out, paths });
            }
            layers.push(layer);
        }
        let top = tree.add_gate("no-chain".into(), Gate::Reach(Box::new(Reach { hubs, links, layers })));
        tree.top = Some(top);
        tree
    }

    /// Σ over all event states of P(state) where `top` holds, by the gate's own
    /// union-find evaluator ([`Reach::evaluate`]), not by the search.
    fn enumerated(tree: &FaultTree) -> f64 {
        let n = tree.events.len();
        (0..1u32 << n)
            .map(|mask| {
                let failed: Vec<bool> = (0..n).map(|i| mask >> i & 1 == 1).collect();
                if !tree.top_happens(&failed) {
                    return 0.0;
                }
                tree.events
                    .iter()
                    .zip(&failed)
                    .map(|(e, &f)| if f { e.probability } else { 1.0 - e.probability })
                    .product()
            })
            .sum()
    }

    #[test]
    fn frontier_search_matches_enumeration_and_unrolling_on_random_gates() {
        let options = Options { importance: false, max_order: usize::MAX, ..Options::default() };
        let mut nontrivial = 0;
        for seed in 0..400 {
            let tree = random_tree(seed);
            let exact = enumerated(&tree);
            let searched = analyze_tree(&tree, &options).expect("small gates compile").probability;
            assert!((searched - exact).abs() < 1e-12, "seed {seed}: frontier {searched} vs enumeration {exact}");
            let unrolled = unroll::unrolled(&tree).expect("small");
            let by_gates = analyze_tree(&unrolled, &options).expect("small trees compile").probability;
            assert!((by_gates - exact).abs() < 1e-12, "seed {seed}: unrolled {by_gates} vs enumeration {exact}");
            if exact > 0.0 && exact < 1.0 {
                nontrivial += 1;
            }
        }
        assert!(nontrivial > 200, "only {nontrivial} of 400 random gates were neither certain nor impossible");
    }

    /// Two-terminal unreliability of a 3×3 grid whose 12 links fail with q = 0.01, by
    /// enumerating all 4,096 link states independently (Python, union-find):
    /// 2.079859768e-4. Graphillion's `GraphSet.reliability` gives the same figure.
    #[test]
    fn grid_three_by_three_two_terminal() {
        let mut tree = FaultTree::default();
        let n = 3u32;
        let hub = |i: u32, j: u32| i * n + j;
        let mut links = Vec::new();
        for i in 0..n {
            for j in 0..n {
                if j + 1 < n {
                    links.push((hub(i, j), hub(i, j + 1), event(&mut tree, 0.01)));
                }
                if i + 1 < n {
                    links.push((hub(i, j), hub(i + 1, j), event(&mut tree, 0.01)));
                }
            }
        }
        let ends = |h: u32| vec![ReachMember { out: Ref::Const(false), paths: vec![(h, Ref::Const(false))] }];
        let reach = Reach { hubs: vec![Ref::Const(false); 9], links, layers: vec![ends(0), ends(8)] };
        let top = tree.add_gate("no-chain".into(), Gate::Reach(Box::new(reach)));
        tree.top = Some(top);
        let options = Options { importance: false, ..Options::default() };
        let p = analyze_tree(&tree, &options).expect("compiles").probability;
        assert!((p - 2.079859768e-4).abs() < 1e-12, "{p}");
    }
}
