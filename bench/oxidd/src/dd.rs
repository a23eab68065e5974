//! The fault tree's top event in OxiDD: gates compiled bottom-up exactly as
//! `sim_core::analysis::compile` does (same gate order, AND/OR/XOR folds, NOT, and the
//! at-least-k dynamic programme over `ite`), with OxiDD variable `i` on level `i` for
//! our level `i`. Then the top-event probability by a memoised walk over OxiDD's nodes,
//! which follows complement edges for BCDDs, and an (untimed) count of inner nodes.

use std::collections::{HashMap, HashSet};

use oxidd::util::{AllocResult, Ref};
use oxidd::{BooleanFunction, Function, HasLevel, HasWorkers, InnerNode, Manager, ManagerRef, Node, NodeID};
use oxidd::{VarNo, WorkerPool};
use sim_core::analysis::{FaultTree, Gate, Ref as TreeRef};

/// Builds the top event of `tree` in the manager `mref`, with the variables created in
/// `order` (`order[level]` = event index, as in `Compiled::order`).
pub fn build<F: BooleanFunction>(mref: &F::ManagerRef, tree: &FaultTree, order: &[u32]) -> AllocResult<F> {
    let vars: Vec<F> = mref.with_manager_exclusive(|m| {
        let levels = m.add_vars(order.len() as VarNo);
        levels.map(|v| F::var(m, v)).collect::<AllocResult<Vec<F>>>()
    })?;
    let (t, f) = mref.with_manager_shared(|m| (F::t(m), F::f(m)));
    let mut var_of_event: Vec<Option<usize>> = vec![None; tree.events.len()];
    for (level, &e) in order.iter().enumerate() {
        var_of_event[e as usize] = Some(level);
    }
    let top = tree.top.expect("imported trees have a top event");
    let mut memo: HashMap<u32, F> = HashMap::new();
    let value = |memo: &HashMap<u32, F>, a: TreeRef| -> F {
        match a {
            TreeRef::Const(true) => t.clone(),
            TreeRef::Const(false) => f.clone(),
            TreeRef::Event(e) => vars[var_of_event[e as usize].expect("event under the top")].clone(),
            TreeRef::Gate(g) => memo[&g].clone(),
        }
    };
    // The same gate order as our engine, so the operations run in the same sequence.
    let args_of = |g: u32| tree.gates[g as usize].gate.args();
    for g in sim_core::analysis::compile::post_order(top, &args_of) {
        let gate = &tree.gates[g as usize].gate;
        let vals: Vec<F> = gate.args().into_iter().map(|a| value(&memo, a)).collect();
        let n = match gate {
            Gate::And(_) => vals.iter().try_fold(t.clone(), |acc, v| acc.and(v))?,
            Gate::Or(_) => vals.iter().try_fold(f.clone(), |acc, v| acc.or(v))?,
            Gate::Xor(_) => vals.iter().try_fold(f.clone(), |acc, v| acc.xor(v))?,
            Gate::Not(_) => vals[0].not()?,
            Gate::AtLeast(k, _) => at_least(*k as usize, &vals, &t, &f)?,
            Gate::Reach(_) => panic!("Reach gates never occur in imported trees"),
        };
        memo.insert(g, n);
    }
    Ok(value(&memo, top))
}

/// At least `k` of `fs`: `row[j]` = "at least j of fs[i..]", built from the end with
/// `row[j] = ite(f, row[j-1], row[j])`, as `Bdd::at_least` does.
fn at_least<F: BooleanFunction>(k: usize, fs: &[F], t: &F, f: &F) -> AllocResult<F> {
    if k == 0 {
        return Ok(t.clone());
    }
    if k > fs.len() {
        return Ok(f.clone());
    }
    let mut row: Vec<F> = vec![f.clone(); k + 1];
    row[0] = t.clone();
    for x in fs.iter().rev() {
        for j in (1..=k).rev() {
            row[j] = x.ite(&row[j - 1], &row[j])?;
        }
    }
    Ok(row.swap_remove(k))
}

/// Build and probability in a fresh manager `mref`, inside its worker pool (so the
/// apply algorithms split across its threads from the start). Returns the top function
/// (to count its nodes afterwards, untimed) and its probability.
pub fn build_and_probability<F>(
    mref: &F::ManagerRef,
    tree: &FaultTree,
    order: &[u32],
    p: &[f64],
) -> AllocResult<(F, f64)>
where
    F: BooleanFunction + Send,
    F::ManagerRef: HasWorkers,
    for<'id> <F::Manager<'id> as Manager>::InnerNode: HasLevel,
{
    mref.workers().install(|| {
        let top: F = build(mref, tree, order)?;
        let pr = probability(&top, p);
        Ok((top, pr))
    })
}

/// P(f) when the variable on level `l` is true with probability `p[l]`, independently.
/// Memoised on (node, parity of complement edges on the way), so a complemented edge
/// is followed to the terminals rather than computed as `1 - P`, which would lose the
/// relative precision of small probabilities.
pub fn probability<F>(f: &F, p: &[f64]) -> f64
where
    F: BooleanFunction,
    for<'id> <F::Manager<'id> as Manager>::InnerNode: HasLevel,
{
    f.with_manager_shared(|m, e| {
        let t = F::t(m);
        let true_terminal = t.as_edge(m).node_id();
        let mut memo: HashMap<(NodeID, bool), f64> = HashMap::new();
        prob_rec(m, e, false, true_terminal, p, &mut memo)
    })
}

fn prob_rec<M: Manager>(
    m: &M,
    e: Ref<'_, M::Edge>,
    negated: bool,
    true_terminal: NodeID,
    p: &[f64],
    memo: &mut HashMap<(NodeID, bool), f64>,
) -> f64
where
    M::InnerNode: HasLevel,
{
    // A tag other than the default one is a complement edge (BCDD); plain BDDs have
    // no tags and two terminals.
    let negated = negated ^ (e.tag() != Default::default());
    match m.get_node(e) {
        Node::Terminal(_) => {
            if (e.node_id() == true_terminal) != negated {
                1.0
            } else {
                0.0
            }
        }
        Node::Inner(node) => {
            let key = (e.node_id(), negated);
            if let Some(&r) = memo.get(&key) {
                return r;
            }
            let pv = p[node.level() as usize];
            // Child 0 is the "then" (variable true) edge, child 1 the "else" edge.
            let hi = prob_rec(m, node.child(0), negated, true_terminal, p, memo);
            let lo = prob_rec(m, node.child(1), negated, true_terminal, p, memo);
            let r = pv * hi + (1.0 - pv) * lo;
            memo.insert(key, r);
            r
        }
    }
}

/// Inner nodes reachable from `f` (terminals not counted, as in `Bdd::size`).
pub fn inner_nodes<F: Function>(f: &F) -> usize {
    f.with_manager_shared(|m, e| {
        let mut seen: HashSet<NodeID> = HashSet::new();
        let mut edges = vec![e];
        while let Some(e) = edges.pop() {
            if let Node::Inner(node) = m.get_node(e) {
                if seen.insert(e.node_id()) {
                    edges.extend(node.children());
                }
            }
        }
        seen.len()
    })
}
