//! Certified bounds on a fault tree's top-event probability when its exact BDD is out
//! of reach: every gate is compiled twice, into a BDD below it (L ≤ gate) and one above
//! it (gate ≤ U), and whenever either grows past a size, its least probable part is cut
//! off: the nodes carrying the least probability mass are replaced by false in L and by
//! true in U (under- and over-approximation by subsetting, Ravi & Somenzi, "High-density
//! reachability analysis", ICCAD 1995; here weighted by the events' probabilities as in
//! the truncation of Rauzy's and XFTA's probabilistic cutoffs).
//!
//! AND, OR and k-out-of-n are monotone, so they map lower bounds of their arguments to a
//! lower bound and upper bounds to an upper bound; NOT swaps the two; XOR combines
//! them as (a ∧ ¬b) ∨ (¬a ∧ b) with the bound that makes each term smallest or
//! largest. So L ≤ top ≤ U holds for every state of the events, and P(L) ≤ P(top) ≤
//! P(U) holds for any joint distribution of them, including the dependent blocks of
//! solved dynamic modules. The gap P(U) − P(L) is computed exactly, never estimated.
//!
//! Cost: each operation is an ordinary BDD operation on operands of at most the kept
//! size, plus O(|f| log |f|) per cut.

use rustc_hash::FxHashMap as HashMap;

use super::bdd::{Bdd, NodeId, FALSE, TRUE};
use super::fault_tree::{FaultTree, Gate, Ref};

/// Certified bounds on the probability of a tree's top event.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProbabilityBounds {
    pub lower: f64,
    pub upper: f64,
    /// How many times a BDD was cut back to size (0: the bounds are the exact figure).
    pub cuts: usize,
}

/// A gate's two bounding functions.
#[derive(Clone, Copy)]
struct Pair {
    lower: NodeId,
    upper: NodeId,
}

/// Node sizes tried in turn by [`ladder`]: each about four times the work of the one
/// before, and tighter (measured on the Aralia trees das9701 and nus9601).
pub const KEEP_LADDER: [usize; 3] = [1 << 12, 1 << 14, 1 << 16];

/// [`probability_bounds`] at each size of [`KEEP_LADDER`] in turn, each in both
/// depth-first variable orders (neither is better on every tree: das9701's bounds are
/// tighter walking arguments last to first, nus9601's first to last), until `budget` is
/// spent or an operation outgrows `max_nodes`. Every result is certified, so their
/// intersection is returned, with what stopped the ladder early (None: every attempt
/// finished). None when none did.
pub fn ladder(
    tree: &FaultTree,
    max_nodes: usize,
    budget: super::budget::Budget,
) -> Option<(ProbabilityBounds, Option<super::budget::Spent>)> {
    let mut best: Option<ProbabilityBounds> = None;
    let mut stopped = None;
    'sizes: for keep in KEEP_LADDER {
        for from_last in [tree.order_from_last_argument, !tree.order_from_last_argument] {
            match probability_bounds(tree, keep, from_last, max_nodes, budget) {
                Ok(b) => {
                    best = Some(match best {
                        None => b,
                        Some(a) => ProbabilityBounds {
                            lower: a.lower.max(b.lower),
                            upper: a.upper.min(b.upper).max(a.lower.max(b.lower)),
                            cuts: a.cuts + b.cuts,
                        },
                    });
                    if b.cuts == 0 {
                        break 'sizes;
                    }
                }
                Err(super::AnalysisError::OutOfBudget(spent)) => {
                    stopped = Some(spent);
                    break 'sizes;
                }
                // Too large at this size in this order: the other order or the next
                // size may still fit.
                Err(_) => {}
            }
        }
    }
    best.map(|b| (b, stopped))
}

/// Which way a cut errs.
#[derive(Clone, Copy, PartialEq)]
enum Side {
    Lower,
    Upper,
}

/// Bounds on P(top), with no BDD of either side kept above `keep_nodes` nodes between
/// operations, and the manager stopped at `max_nodes` (or by `budget`). The variable
/// order is [`super::compile`]'s, walking each gate's arguments from the last when
/// `from_last`. `p[event]` is each event's probability; solved
/// dynamic modules enter through their joint distributions as in the exact analysis.
///
/// Errors: [`super::AnalysisError::TooLarge`] when one operation alone outgrows
/// `max_nodes`, [`super::AnalysisError::OutOfBudget`] when `budget` is spent.
pub fn probability_bounds(
    tree: &FaultTree,
    keep_nodes: usize,
    from_last: bool,
    max_nodes: usize,
    budget: super::budget::Budget,
) -> Result<ProbabilityBounds, super::AnalysisError> {
    let top = tree.top.ok_or(super::AnalysisError::NoTopEvent)?;
    let args_of = |g: u32| tree.gates[g as usize].gate.args();
    let order = super::compile::levels(tree, top, &args_of, false, from_last);
    let mut level_of = vec![u32::MAX; tree.events.len()];
    for (level, &e) in order.iter().enumerate() {
        level_of[e as usize] = level as u32;
    }
    let p: Vec<f64> = order.iter().map(|&e| tree.events[e as usize].probability).collect();
    let mut bdd = Bdd::with_limit(max_nodes);
    bdd.charge_to(budget);
    let mut cutter = Cutter { p: &p, keep: keep_nodes.max(2), cuts: 0 };
    let mut memo: HashMap<u32, Pair> = HashMap::default();
    let mut live_after_collect = 0usize;
    let stopped = |bdd: &Bdd| {
        if let Some(spent) = bdd.spent() {
            super::AnalysisError::OutOfBudget(spent)
        } else {
            super::AnalysisError::TooLarge { max_bdd_nodes: max_nodes }
        }
    };
    for g in super::compile::post_order(top, tree.gates.len(), &args_of) {
        let args = args_of(g);
        let vals: Vec<Pair> = args
            .iter()
            .map(|&a| match a {
                Ref::Const(true) => Pair { lower: TRUE, upper: TRUE },
                Ref::Const(false) => Pair { lower: FALSE, upper: FALSE },
                Ref::Event(e) => {
                    let v = bdd.var(level_of[e as usize]);
                    Pair { lower: v, upper: v }
                }
                Ref::Gate(x) => memo[&x],
            })
            .collect();
        let pair = match &tree.gates[g as usize].gate {
            Gate::And(_) => cutter.fold(&mut bdd, &vals, TRUE, Bdd::and),
            Gate::Or(_) => cutter.fold(&mut bdd, &vals, FALSE, Bdd::or),
            Gate::Xor(_) => {
                let mut acc = Pair { lower: FALSE, upper: FALSE };
                for v in &vals {
                    acc = xor_bounds(&mut bdd, acc, *v);
                    acc = cutter.cut_pair(&mut bdd, acc);
                }
                acc
            }
            Gate::Not(_) => {
                let lower = bdd.not(vals[0].upper);
                let upper = bdd.not(vals[0].lower);
                Pair { lower, upper }
            }
            Gate::AtLeast(k, _) => {
                let lows: Vec<NodeId> = vals.iter().map(|v| v.lower).collect();
                let ups: Vec<NodeId> = vals.iter().map(|v| v.upper).collect();
                let lower = bdd.at_least(*k as usize, &lows);
                let upper = bdd.at_least(*k as usize, &ups);
                cutter.cut_pair(&mut bdd, Pair { lower, upper })
            }
            Gate::Reach(reach) => {
                // "No chain" only grows as hubs and links go down, so it is monotone too.
                let side = |bdd: &mut Bdd, pick: fn(&Pair) -> NodeId| {
                    let args: Vec<NodeId> = vals.iter().map(pick).collect();
                    let args = super::frontier::ReachBdds::new(reach, &args);
                    super::frontier::no_chain(bdd, &args)
                };
                let lower = side(&mut bdd, |v| v.lower);
                let upper = side(&mut bdd, |v| v.upper);
                match (lower, upper) {
                    (Ok(lower), Ok(upper)) => cutter.cut_pair(&mut bdd, Pair { lower, upper }),
                    // Stopped by the budget (frontier search charges its states to it).
                    _ if bdd.exceeded() => return Err(stopped(&bdd)),
                    _ => return Err(super::AnalysisError::TooLarge { max_bdd_nodes: max_nodes }),
                }
            }
        };
        if bdd.exceeded() {
            return Err(stopped(&bdd));
        }
        memo.insert(g, pair);
        // The kept BDDs are small, so garbage dominates: collect well before the limit.
        if bdd.len() > (2 * live_after_collect + (1 << 20)).min(max_nodes / 2).max(2 * live_after_collect) {
            let mut keys: Vec<u32> = memo.keys().copied().collect();
            keys.sort_unstable();
            let mut roots: Vec<NodeId> = keys.iter().flat_map(|k| [memo[k].lower, memo[k].upper]).collect();
            bdd.collect(&mut roots);
            for (k, r) in keys.iter().zip(roots.chunks(2)) {
                memo.insert(*k, Pair { lower: r[0], upper: r[1] });
            }
            live_after_collect = bdd.len();
        }
    }
    let result = match top {
        Ref::Const(c) => {
            let v = if c { TRUE } else { FALSE };
            Pair { lower: v, upper: v }
        }
        Ref::Event(e) => {
            let v = bdd.var(level_of[e as usize]);
            Pair { lower: v, upper: v }
        }
        Ref::Gate(g) => memo[&g],
    };
    let blocks = super::compile::module_blocks(tree, &order);
    let probability = |f: NodeId| {
        if blocks.is_empty() {
            bdd.probability(f, &p)
        } else {
            bdd.probability_with_blocks(f, &p, &blocks)
        }
    };
    let (lower, upper) = (probability(result.lower), probability(result.upper));
    Ok(ProbabilityBounds { lower: lower.min(upper), upper: upper.max(lower), cuts: cutter.cuts })
}

/// Bounds on a ⊕ b from bounds on a and b: a ⊕ b = (a ∧ ¬b) ∨ (¬a ∧ b), and each term
/// is smallest with the smaller bound of the plain argument and the larger of the
/// negated one.
fn xor_bounds(bdd: &mut Bdd, a: Pair, b: Pair) -> Pair {
    let side = |bdd: &mut Bdd, small: bool| {
        let (a_plain, a_neg, b_plain, b_neg) =
            if small { (a.lower, a.upper, b.lower, b.upper) } else { (a.upper, a.lower, b.upper, b.lower) };
        let not_b = bdd.not(b_neg);
        let not_a = bdd.not(a_neg);
        let left = bdd.and(a_plain, not_b);
        let right = bdd.and(not_a, b_plain);
        bdd.or(left, right)
    };
    let lower = side(bdd, true);
    let upper = side(bdd, false);
    Pair { lower, upper }
}

/// Cuts BDDs back to `keep` nodes.
struct Cutter<'a> {
    /// Probability of each level.
    p: &'a [f64],
    keep: usize,
    cuts: usize,
}

impl Cutter<'_> {
    /// Folds `op` over the arguments' lower and upper bounds, cutting after each step.
    fn fold(&mut self, bdd: &mut Bdd, vals: &[Pair], unit: NodeId, op: fn(&mut Bdd, NodeId, NodeId) -> NodeId) -> Pair {
        let mut acc = Pair { lower: unit, upper: unit };
        for v in vals {
            acc.lower = op(bdd, acc.lower, v.lower);
            acc.upper = op(bdd, acc.upper, v.upper);
            acc = self.cut_pair(bdd, acc);
        }
        acc
    }

    fn cut_pair(&mut self, bdd: &mut Bdd, pair: Pair) -> Pair {
        if bdd.exceeded() {
            return pair;
        }
        Pair { lower: self.cut(bdd, pair.lower, Side::Lower), upper: self.cut(bdd, pair.upper, Side::Upper) }
    }

    /// `f` itself when it has at most `keep` nodes; otherwise the function with the
    /// nodes whose replacement costs least probability replaced by false (lower) or
    /// true (upper), keeping `keep / 2` of them. Replacing node n by false loses at most
    /// mass(n) · P(n), by true adds at most mass(n) · (1 − P(n)), where mass(n) is the
    /// probability that a random state's path passes through n.
    fn cut(&mut self, bdd: &mut Bdd, f: NodeId, side: Side) -> NodeId {
        let mut nodes: Vec<NodeId> = Vec::new();
        let mut index: HashMap<NodeId, usize> = HashMap::default();
        let mut stack = vec![f];
        while let Some(g) = stack.pop() {
            if g > TRUE && !index.contains_key(&g) {
                index.insert(g, nodes.len());
                nodes.push(g);
                let (lo, hi) = bdd.children(g);
                stack.extend([lo, hi]);
            }
        }
        if nodes.len() <= self.keep {
            return f;
        }
        self.cuts += 1;
        // Parents test earlier levels than their children.
        nodes.sort_by_key(|&g| (bdd.var_of(g), g));
        let levels: Vec<u32> = nodes.iter().map(|&g| bdd.var_of(g).unwrap_or(u32::MAX)).collect();
        let slot: HashMap<NodeId, usize> = nodes.iter().enumerate().map(|(i, &g)| (g, i)).collect();
        let mut probability = vec![0.0; nodes.len()];
        let value = |g: NodeId, probability: &[f64]| match g {
            FALSE => 0.0,
            TRUE => 1.0,
            _ => probability[slot[&g]],
        };
        for i in (0..nodes.len()).rev() {
            let (lo, hi) = bdd.children(nodes[i]);
            let pv = self.p[levels[i] as usize];
            probability[i] = pv * value(hi, &probability) + (1.0 - pv) * value(lo, &probability);
        }
        let mut mass = vec![0.0; nodes.len()];
        mass[0] = 1.0;
        for i in 0..nodes.len() {
            let (lo, hi) = bdd.children(nodes[i]);
            let pv = self.p[levels[i] as usize];
            if hi > TRUE {
                mass[slot[&hi]] += mass[i] * pv;
            }
            if lo > TRUE {
                mass[slot[&lo]] += mass[i] * (1.0 - pv);
            }
        }
        let cost = |i: usize| match side {
            Side::Lower => mass[i] * probability[i],
            Side::Upper => mass[i] * (1.0 - probability[i]),
        };
        let mut ranked: Vec<usize> = (1..nodes.len()).collect();
        ranked.sort_by(|&a, &b| cost(b).total_cmp(&cost(a)).then(a.cmp(&b)));
        let mut kept = vec![false; nodes.len()];
        kept[0] = true;
        for &i in ranked.iter().take(self.keep / 2) {
            kept[i] = true;
        }
        let replacement = if side == Side::Lower { FALSE } else { TRUE };
        // Rebuild bottom-up: children before parents.
        let mut rebuilt = vec![FALSE; nodes.len()];
        let image = |g: NodeId, rebuilt: &[NodeId]| match g {
            FALSE | TRUE => g,
            _ => rebuilt[slot[&g]],
        };
        for i in (0..nodes.len()).rev() {
            rebuilt[i] = if kept[i] {
                let (lo, hi) = bdd.children(nodes[i]);
                let (lo, hi) = (image(lo, &rebuilt), image(hi, &rebuilt));
                bdd.mk(levels[i], lo, hi)
            } else {
                replacement
            };
        }
        rebuilt[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze_tree, Options};

    /// Random trees with shared events, NOT and XOR: the bounds hold, and with room
    /// for everything they are the exact figure. The oracle is the exact BDD analysis.
    #[test]
    fn bounds_contain_the_exact_figure_of_random_trees() {
        let mut rng = 0x2545_f491_4f6c_dd1du64;
        let mut next = |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n
        };
        let mut cut_somewhere = 0;
        for round in 0..200 {
            let mut tree = FaultTree::default();
            let events = 6 + next(10) as usize;
            for e in 0..events {
                tree.events.push(crate::analysis::fault_tree::BasicEvent {
                    name: format!("e{e}"),
                    probability: 0.02 + next(300) as f64 / 1000.0,
                    element: None,
                });
            }
            let gates = 4 + next(12) as usize;
            for g in 0..gates {
                let fan = 2 + next(3) as usize;
                let args: Vec<Ref> = (0..fan)
                    .map(|_| {
                        if g > 0 && next(3) == 0 {
                            Ref::Gate(next(g as u64) as u32)
                        } else {
                            Ref::Event(next(events as u64) as u32)
                        }
                    })
                    .collect();
                let gate = match next(10) {
                    0 => Gate::Not(args[0]),
                    1 => Gate::Xor(args),
                    2 if fan > 2 => Gate::AtLeast(2, args),
                    3..=5 => Gate::And(args),
                    _ => Gate::Or(args),
                };
                tree.add_gate(format!("g{g}"), gate);
            }
            tree.top = Some(Ref::Gate(gates as u32 - 1));
            let exact = analyze_tree(&tree, &Options { importance: false, ..Options::default() }).unwrap().probability;
            let roomy =
                probability_bounds(&tree, 1 << 20, false, usize::MAX, crate::analysis::budget::Budget::UNLIMITED)
                    .unwrap();
            assert_eq!(roomy.cuts, 0);
            assert!((roomy.lower - exact).abs() < 1e-12 && (roomy.upper - exact).abs() < 1e-12, "round {round}");
            for keep in [2, 4, 8] {
                let b =
                    probability_bounds(&tree, keep, keep == 4, usize::MAX, crate::analysis::budget::Budget::UNLIMITED)
                        .unwrap();
                assert!(
                    b.lower <= exact + 1e-12 && exact <= b.upper + 1e-12,
                    "round {round} keep {keep}: {exact} not in [{}, {}]",
                    b.lower,
                    b.upper
                );
                if b.cuts > 0 {
                    cut_somewhere += 1;
                }
            }
        }
        assert!(cut_somewhere > 50, "the cuts were exercised only {cut_somewhere} times");
    }
}
