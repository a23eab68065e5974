//! Compiling a fault tree into a BDD of its top event. Variables are ordered by first
//! visit in a depth-first walk from the top, which keeps related events adjacent
//! (arguments first to last, or last to first for imported trees:
//! [`FaultTree::order_from_last_argument`]).
//!
//! Minimal cut sets of a non-coherent tree (NOT, XOR) are the minimal sets of events
//! whose failure, with every other event working, makes the top event true: Rauzy's
//! minimal-solutions recursion on this same exact BDD yields exactly those, as SCRAM
//! reports them by default.

use std::borrow::Cow;

use rustc_hash::FxHashMap as HashMap;

use super::bdd::{Bdd, NodeId, FALSE, TRUE};
use super::fault_tree::{FaultTree, Gate, Ref};

/// Nodes allowed beyond twice the live ones before garbage is collected.
const GC_SLACK: usize = 1 << 20;

/// A compiled tree: level → event index, and the BDD of the top event.
pub struct Compiled {
    pub bdd: Bdd,
    /// `order[level]` is the event index at that BDD level.
    pub order: Vec<u32>,
    pub top: NodeId,
}

impl Compiled {
    /// The top event's probability under `tree`'s event probabilities and solved
    /// modules, when `tree` has exactly the gates, top event, events and modules of
    /// `from`, the tree this was compiled from: one pass over the BDD, O(|BDD|). `None`
    /// when the structures differ in anything (the caller then compiles `tree`).
    pub fn probability_of_same_structure(&self, from: &FaultTree, tree: &FaultTree) -> Option<f64> {
        let same_events = from.events.len() == tree.events.len()
            && from.events.iter().zip(&tree.events).all(|(a, b)| a.name == b.name);
        let same_modules = from.modules.len() == tree.modules.len()
            && from.modules.iter().zip(&tree.modules).all(|(a, b)| a.events == b.events);
        if !(same_events && same_modules && from.top == tree.top && from.gates == tree.gates) {
            return None;
        }
        let p: Vec<f64> = self.order.iter().map(|&e| tree.events[e as usize].probability).collect();
        Some(if tree.modules.is_empty() {
            self.bdd.probability(self.top, &p)
        } else {
            self.bdd.probability_with_blocks(self.top, &p, &module_blocks(tree, &self.order))
        })
    }
}

/// Depth-first event order from the top (events not under the top are left out).
fn variable_order<'a>(
    tree: &FaultTree,
    top: Ref,
    args_of: &dyn Fn(u32) -> Cow<'a, [Ref]>,
    from_last: bool,
) -> Vec<u32> {
    let mut order = Vec::new();
    let mut seen_event = vec![false; tree.events.len()];
    let mut seen_gate = vec![false; tree.gates.len()];
    let mut stack = vec![top];
    while let Some(r) = stack.pop() {
        match r {
            Ref::Event(e) if !seen_event[e as usize] => {
                seen_event[e as usize] = true;
                order.push(e);
            }
            Ref::Gate(g) if !seen_gate[g as usize] => {
                seen_gate[g as usize] = true;
                let args = args_of(g);
                if from_last {
                    stack.extend(args.iter());
                } else {
                    stack.extend(args.iter().rev());
                }
            }
            _ => {}
        }
    }
    order
}

/// Compiles the tree's top event, within `max_nodes` BDD nodes.
pub fn compile(tree: &FaultTree, max_nodes: usize) -> Result<Compiled, super::AnalysisError> {
    compile_within(tree, max_nodes, super::budget::Budget::UNLIMITED)
}

/// [`compile`], stopping when `budget` is spent.
///
/// Network reachability is written twice by the scenario builder: unrolled into gates,
/// and as [`Gate::Reach`] gates ([`FaultTree::reach_equivalents`]). The unrolled gates
/// are compiled first; when their BDD outgrows the node budget, the tree is compiled
/// again with each unrolled gate replaced by its Reach gate, which frontier search
/// ([`super::frontier`]) builds without unrolling, in the tree's `order_hint`.
pub fn compile_within(
    tree: &FaultTree,
    max_nodes: usize,
    budget: super::budget::Budget,
) -> Result<Compiled, super::AnalysisError> {
    let first = compile_gates(tree, max_nodes, budget, false);
    match first {
        Err(Stop::Analysis(super::AnalysisError::TooLarge { .. })) if !tree.reach_equivalents.is_empty() => {
            compile_gates(tree, max_nodes, budget, true).map_err(|e| e.into_error(max_nodes))
        }
        other => other.map_err(|e| e.into_error(max_nodes)),
    }
}

/// Why [`compile_gates`] stopped.
enum Stop {
    Analysis(super::AnalysisError),
    FrontierGaveUp,
}

impl Stop {
    fn into_error(self, max_nodes: usize) -> super::AnalysisError {
        match self {
            Stop::Analysis(e) => e,
            Stop::FrontierGaveUp => super::AnalysisError::TooLarge { max_bdd_nodes: max_nodes },
        }
    }
}

fn compile_gates(
    tree: &FaultTree,
    max_nodes: usize,
    budget: super::budget::Budget,
    frontier: bool,
) -> Result<Compiled, Stop> {
    let replaced: HashMap<u32, Ref> = if frontier {
        tree.reach_equivalents
            .iter()
            .filter_map(|&(u, r)| match u {
                Ref::Gate(g) => Some((g, r)),
                _ => None,
            })
            .collect()
    } else {
        HashMap::default()
    };
    let args_of = |g: u32| match replaced.get(&g) {
        Some(r) => Cow::Borrowed(std::slice::from_ref(r)),
        None => tree.gates[g as usize].gate.args(),
    };
    let top = tree.top.ok_or(Stop::Analysis(super::AnalysisError::NoTopEvent))?;
    let order = levels(tree, top, &args_of, frontier, tree.order_from_last_argument);
    let mut level_of = vec![u32::MAX; tree.events.len()];
    for (level, &e) in order.iter().enumerate() {
        level_of[e as usize] = level as u32;
    }
    let mut bdd = Bdd::with_limit(max_nodes);
    bdd.charge_to(budget);
    // Per gate, its BDD once compiled (indexed by gate: no hashing on millions of gates).
    let mut memo: Vec<Option<NodeId>> = vec![None; tree.gates.len()];
    let mut live_after_collect = 0usize;
    let mut vals: Vec<NodeId> = Vec::new();
    for g in post_order(top, tree.gates.len(), &args_of) {
        let args = args_of(g);
        vals.clear();
        for &a in args.iter() {
            vals.push(match a {
                Ref::Const(true) => TRUE,
                Ref::Const(false) => FALSE,
                Ref::Event(e) => bdd.var(level_of[e as usize]),
                // Post order: every argument gate is compiled before its parent.
                Ref::Gate(x) => memo[x as usize].expect("post order compiles a gate's arguments first"),
            });
        }
        let n = match &tree.gates[g as usize].gate {
            // Replaced by its Reach gate: the one argument is that gate's value.
            _ if replaced.contains_key(&g) => vals[0],
            Gate::And(_) => vals.iter().fold(TRUE, |acc, &v| bdd.and(acc, v)),
            Gate::Or(_) => vals.iter().fold(FALSE, |acc, &v| bdd.or(acc, v)),
            Gate::Xor(_) => vals.iter().fold(FALSE, |acc, &v| bdd.xor(acc, v)),
            Gate::Not(_) => bdd.not(vals[0]),
            Gate::AtLeast(k, _) => bdd.at_least(*k as usize, &vals),
            Gate::Reach(reach) => {
                let args = super::frontier::ReachBdds::new(reach, &vals);
                match super::frontier::no_chain(&mut bdd, &args) {
                    Ok(n) => n,
                    Err(super::frontier::GaveUp) if bdd.exceeded() => FALSE, // reported just below
                    Err(super::frontier::GaveUp) => return Err(Stop::FrontierGaveUp),
                }
            }
        };
        if bdd.exceeded() {
            return Err(Stop::Analysis(if let Some(spent) = bdd.spent() {
                super::AnalysisError::OutOfBudget(spent)
            } else {
                super::AnalysisError::TooLarge { max_bdd_nodes: max_nodes }
            }));
        }
        memo[g as usize] = Some(n);
        // Frontier search leaves much garbage behind; collect it once it dominates.
        if bdd.len() > 2 * live_after_collect + GC_SLACK {
            // The compiled gates, in gate order.
            let keys: Vec<usize> = (0..memo.len()).filter(|&k| memo[k].is_some()).collect();
            let mut roots: Vec<NodeId> = keys.iter().filter_map(|&k| memo[k]).collect();
            bdd.collect(&mut roots);
            for (&k, r) in keys.iter().zip(roots) {
                memo[k] = Some(r);
            }
            live_after_collect = bdd.len();
        }
    }
    let top_node = match top {
        Ref::Const(true) => TRUE,
        Ref::Const(false) => FALSE,
        Ref::Event(e) => bdd.var(level_of[e as usize]),
        Ref::Gate(g) => memo[g as usize].expect("the top gate is compiled last"),
    };
    // A top that is one event makes its node here, past every gate's check: a manager
    // stopped already (a budget spent by an earlier step) answers FALSE, which must not
    // pass for "never fails".
    if bdd.exceeded() {
        return Err(Stop::Analysis(match bdd.spent() {
            Some(spent) => super::AnalysisError::OutOfBudget(spent),
            None => super::AnalysisError::TooLarge { max_bdd_nodes: max_nodes },
        }));
    }
    Ok(Compiled { bdd, order, top: top_node })
}

/// The BDD variable order (event index per level): depth-first from the top through
/// `args_of` (each gate's arguments last to first with `from_last`), the tree's `order_hint` first when `frontier` search will run, and each
/// dynamic module's events on adjacent levels.
pub(super) fn levels<'a>(
    tree: &FaultTree,
    top: Ref,
    args_of: &dyn Fn(u32) -> Cow<'a, [Ref]>,
    frontier: bool,
    from_last: bool,
) -> Vec<u32> {
    let mut order = variable_order(tree, top, args_of, from_last);
    // The outward order keeps frontier search's conditions small; the unrolled gates
    // do better in depth-first order.
    if frontier && !tree.order_hint.is_empty() {
        let mut used = vec![false; tree.events.len()];
        for &e in &order {
            used[e as usize] = true;
        }
        let mut hinted: Vec<u32> = Vec::with_capacity(order.len());
        for &e in &tree.order_hint {
            if std::mem::take(&mut used[e as usize]) {
                hinted.push(e);
            }
        }
        hinted.extend(order.iter().copied().filter(|&e| used[e as usize]));
        order = hinted;
    }
    // A dynamic module's events sit on adjacent levels (where its first one was), so its
    // joint distribution applies to one block of levels.
    for m in &tree.modules {
        let Some(first) = order.iter().position(|e| m.events.contains(e)) else { continue };
        let inside: Vec<u32> = m.events.iter().copied().filter(|e| order.contains(e)).collect();
        order.retain(|e| !m.events.contains(e));
        let at = first.min(order.len());
        order.splice(at..at, inside);
    }
    order
}

/// `Some(by_count)` when `joint` (over k variables, 2^k entries) gives every
/// combination with the same number of true variables the same probability, to 1e-12
/// relative (sums taken in different orders): the probability of one combination with
/// c true, index c. O(2^k).
fn exchangeable(joint: &[f64]) -> Option<Vec<f64>> {
    let k = joint.len().trailing_zeros() as usize;
    let mut by_count: Vec<Option<f64>> = vec![None; k + 1];
    for (mask, &pr) in joint.iter().enumerate() {
        let c = mask.count_ones() as usize;
        match by_count[c] {
            None => by_count[c] = Some(pr),
            Some(first) if (pr - first).abs() <= 1e-12 * first.abs().max(pr.abs()) => {}
            Some(_) => return None,
        }
    }
    by_count.into_iter().collect()
}

/// The joint distributions of the tree's solved dynamic modules, on the levels of
/// `order` (events of a module outside the tree summed out).
pub(super) fn module_blocks(tree: &FaultTree, order: &[u32]) -> Vec<super::bdd::Block> {
    let level_of = |e: u32| order.iter().position(|&x| x == e).map(|l| l as u32);
    tree.modules
        .iter()
        .filter_map(|m| {
            let present: Vec<(usize, u32)> =
                m.events.iter().enumerate().filter_map(|(i, &e)| Some((i, level_of(e)?))).collect();
            if present.is_empty() {
                return None;
            }
            let mut joint = vec![0.0; 1 << present.len()];
            for (mask, &pr) in m.joint.iter().enumerate() {
                let sub = present.iter().enumerate().fold(0, |acc, (k, &(i, _))| acc | ((mask >> i) & 1) << k);
                joint[sub] += pr;
            }
            let levels: Vec<u32> = present.iter().map(|x| x.1).collect();
            let by_count = levels.windows(2).all(|w| w[0] < w[1]).then(|| exchangeable(&joint)).flatten();
            Some(super::bdd::Block { levels, joint, by_count })
        })
        .collect()
}

/// The gates under `top`, each after all gates among its arguments (`args_of`), each once.
/// Iterative, so deep trees cannot overflow the stack. O(gates + arguments).
pub fn post_order<'a>(top: Ref, gates: usize, args_of: &dyn Fn(u32) -> Cow<'a, [Ref]>) -> Vec<u32> {
    // A bitmap, not a hash set: trees with unrolled reachability have millions of gates.
    let mut done = vec![false; gates];
    let mut out = Vec::new();
    let mut stack = vec![(top, false)];
    while let Some((r, expanded)) = stack.pop() {
        let Ref::Gate(g) = r else { continue };
        if done[g as usize] {
            continue;
        }
        if expanded {
            done[g as usize] = true;
            out.push(g);
            continue;
        }
        stack.push((r, true));
        stack
            .extend(args_of(g).iter().filter(|a| matches!(a, Ref::Gate(x) if !done[*x as usize])).map(|&a| (a, false)));
    }
    out
}
