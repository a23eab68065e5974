//! Compiling a fault tree into a BDD of its top event. Variables are ordered by first
//! visit in a depth-first walk from the top, which keeps related events adjacent.
//!
//! Minimal cut sets of a non-coherent tree (NOT, XOR) are the minimal sets of events
//! whose failure, with every other event working, makes the top event true: Rauzy's
//! minimal-solutions recursion on this same exact BDD yields exactly those, as SCRAM
//! reports them by default.

use rustc_hash::FxHashMap as HashMap;

use super::bdd::{Bdd, NodeId, FALSE, TRUE};
use super::fault_tree::{FaultTree, Gate, Ref};

/// A compiled tree: level → event index, and the BDD of the top event.
pub struct Compiled {
    pub bdd: Bdd,
    /// `order[level]` is the event index at that BDD level.
    pub order: Vec<u32>,
    pub top: NodeId,
}

/// Depth-first event order from the top (events not under the top are left out).
fn variable_order(tree: &FaultTree, top: Ref) -> Vec<u32> {
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
                stack.extend(tree.gates[g as usize].gate.args().iter().rev());
            }
            _ => {}
        }
    }
    order
}

/// Compiles the tree's top event, within `max_nodes` BDD nodes.
pub fn compile(tree: &FaultTree, max_nodes: usize) -> Result<Compiled, super::AnalysisError> {
    compile_with_cancel(tree, max_nodes, None)
}

/// [`compile`], stopping when `cancel` is set.
pub fn compile_with_cancel(
    tree: &FaultTree,
    max_nodes: usize,
    cancel: Option<&'static std::sync::atomic::AtomicBool>,
) -> Result<Compiled, super::AnalysisError> {
    let top = tree.top.ok_or(super::AnalysisError::NoTopEvent)?;
    let mut order = variable_order(tree, top);
    // A dynamic module's events sit on adjacent levels (where its first one was), so its
    // joint distribution applies to one block of levels.
    for m in &tree.modules {
        let Some(first) = order.iter().position(|e| m.events.contains(e)) else { continue };
        let inside: Vec<u32> = m.events.iter().copied().filter(|e| order.contains(e)).collect();
        order.retain(|e| !m.events.contains(e));
        let at = first.min(order.len());
        order.splice(at..at, inside);
    }
    let mut level_of = vec![u32::MAX; tree.events.len()];
    for (level, &e) in order.iter().enumerate() {
        level_of[e as usize] = level as u32;
    }
    let mut bdd = Bdd::with_limit(max_nodes);
    bdd.cancel_on(cancel);
    let mut memo: HashMap<u32, NodeId> = HashMap::default();
    // Iterative post-order over gates, so deep trees cannot overflow the stack.
    let mut stack = vec![(top, false)];
    while let Some((r, expanded)) = stack.pop() {
        let Ref::Gate(g) = r else { continue };
        if memo.contains_key(&g) {
            continue;
        }
        let args = tree.gates[g as usize].gate.args();
        if !expanded {
            stack.push((r, true));
            stack.extend(
                args.iter().filter(|a| matches!(a, Ref::Gate(x) if !memo.contains_key(x))).map(|&a| (a, false)),
            );
            continue;
        }
        let value = |bdd: &mut Bdd, a: Ref| match a {
            Ref::Const(true) => TRUE,
            Ref::Const(false) => FALSE,
            Ref::Event(e) => bdd.var(level_of[e as usize]),
            Ref::Gate(x) => memo[&x],
        };
        let vals: Vec<NodeId> = args.iter().map(|&a| value(&mut bdd, a)).collect();
        let n = match &tree.gates[g as usize].gate {
            Gate::And(_) => vals.iter().fold(TRUE, |acc, &v| bdd.and(acc, v)),
            Gate::Or(_) => vals.iter().fold(FALSE, |acc, &v| bdd.or(acc, v)),
            Gate::Xor(_) => vals.iter().fold(FALSE, |acc, &v| bdd.xor(acc, v)),
            Gate::Not(_) => bdd.not(vals[0]),
            Gate::AtLeast(k, _) => bdd.at_least(*k as usize, &vals),
        };
        if bdd.exceeded() {
            return Err(if bdd.cancelled() {
                super::AnalysisError::TimeLimit
            } else {
                super::AnalysisError::TooLarge { max_bdd_nodes: max_nodes }
            });
        }
        memo.insert(g, n);
    }
    let top_node = match top {
        Ref::Const(true) => TRUE,
        Ref::Const(false) => FALSE,
        Ref::Event(e) => bdd.var(level_of[e as usize]),
        Ref::Gate(g) => memo[&g],
    };
    Ok(Compiled { bdd, order, top: top_node })
}
