//! Unrolling [`Reach`] gates into AND/OR gates, for tools that know only the standard
//! gates (Open-PSA MEF export, SCRAM) and as a second, independent construction that
//! the frontier search is tested against.
//!
//! Per hop t ≥ 1, in failure logic, with `NR(h)` = "hub h is not reached from a holder
//! of layer t − 1":
//!
//! - `NR₀(h) = ⋀ over paths (h, d) of holders m of layer t − 1: broken(m) ∨ d ∨ down(h)`
//! - `NRᵢ₊₁(h) = NRᵢ(h) ∧ ⋀ over links (h, g, l): NRᵢ(g) ∨ down(l) ∨ down(h)`, for as
//!   many rounds as there are hubs, which covers every simple path;
//! - `broken(m) = out(m) ∨ ⋀ over m's paths (h, d): d ∨ NR(h)`, and for layer 0
//!   `broken(m) = out(m)`.
//!
//! The gate is `⋀ broken(m)` over the last layer. Size: O(layers × hubs × (hubs +
//! links)) gates, which is why analysis uses frontier search instead.

use super::fault_tree::{FaultTree, Gate, Reach, Ref};

/// Trees larger than this are not unrolled.
pub const MAX_UNROLLED_GATES: usize = 2_000_000;

/// A copy of `tree` with every [`Gate::Reach`] replaced by unrolled gates, or `None`
/// when that would exceed [`MAX_UNROLLED_GATES`].
pub fn unrolled(tree: &FaultTree) -> Option<FaultTree> {
    let mut out = tree.clone();
    let used = tree.used_gates();
    for (g, def) in tree.gates.iter().enumerate() {
        let Gate::Reach(reach) = &def.gate else { continue };
        if !used[g] {
            continue;
        }
        let rounds = reach.hubs.len() + 1;
        let size = reach.layers.len() * rounds * (reach.hubs.len() + reach.links.len());
        if out.gates.len() + size > MAX_UNROLLED_GATES {
            return None;
        }
        let name = def.name.clone();
        let value = unroll(&mut out, reach, &name);
        // The gate keeps its index (other gates refer to it): an OR of one argument.
        out.gates[g].gate = Gate::Or(vec![value, Ref::Const(false)]);
    }
    Some(out)
}

fn or(tree: &mut FaultTree, name: &str, args: Vec<Ref>) -> Ref {
    tree.fold(name.to_string(), args, true)
}

fn and(tree: &mut FaultTree, name: &str, args: Vec<Ref>) -> Ref {
    tree.fold(name.to_string(), args, false)
}

fn unroll(tree: &mut FaultTree, reach: &Reach, name: &str) -> Ref {
    let n = reach.hubs.len();
    let mut broken: Vec<Ref> = reach.layers[0].iter().map(|m| m.out).collect();
    for t in 1..reach.layers.len() {
        let mut nr: Vec<Ref> = (0..n)
            .map(|h| {
                let mut terms = Vec::new();
                for (m, member) in reach.layers[t - 1].iter().enumerate() {
                    for &(hub, d) in &member.paths {
                        if hub as usize == h {
                            terms.push(or(tree, name, vec![broken[m], d, reach.hubs[h]]));
                        }
                    }
                }
                and(tree, name, terms)
            })
            .collect();
        for _ in 0..n {
            let mut next = nr.clone();
            for (h, slot) in next.iter_mut().enumerate() {
                let mut terms = vec![nr[h]];
                for &(a, b, l) in &reach.links {
                    let other = if a as usize == h {
                        b
                    } else if b as usize == h {
                        a
                    } else {
                        continue;
                    };
                    terms.push(or(tree, name, vec![nr[other as usize], l, reach.hubs[h]]));
                }
                *slot = and(tree, name, terms);
            }
            if next == nr {
                break;
            }
            nr = next;
        }
        broken = reach.layers[t]
            .iter()
            .map(|m| {
                let lost: Vec<Ref> = m.paths.iter().map(|&(h, d)| or(tree, name, vec![d, nr[h as usize]])).collect();
                let lost = and(tree, name, lost);
                or(tree, name, vec![m.out, lost])
            })
            .collect();
    }
    and(tree, name, broken)
}
