//! A fault tree: basic events (with a probability) and gates over them, in failure
//! logic (the top event is "the service is down"). Both the scenario model and
//! imported Open-PSA MEF files become this form; the BDD analysis consumes it.

use std::borrow::Cow;

use crate::model::ElementId;

/// A reference to an event, a gate or a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ref {
    Event(u32),
    Gate(u32),
    Const(bool),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Gate {
    And(Vec<Ref>),
    Or(Vec<Ref>),
    AtLeast(u32, Vec<Ref>),
    Not(Ref),
    Xor(Vec<Ref>),
    /// True when no chain runs through a network ([`Reach`]); compiled by frontier
    /// search ([`crate::analysis::frontier`]), not unrolled.
    Reach(Box<Reach>),
}

/// "No chain of members runs through every layer" over a network whose hubs and links
/// can fail (docs/SEMANTICS.md §2 and §4), in failure logic: every [`Ref`] here is true
/// when its thing is down.
///
/// - The working hubs, joined by working links, form components.
/// - A member *touches* the component of hub `h` through a path `(h, down)` when the
///   path and the hub work.
/// - A member of layer 0 (a source) holds the chain when it is not `out`; a member of
///   layer t ≥ 1 holds it when it is not `out` and touches a component that a holder of
///   layer t − 1 touches.
/// - The gate is true when no member of the last layer holds the chain.
///
/// Hubs are listed in the order the frontier search adds them (outward from the
/// entry), which keeps the frontier narrow.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reach {
    /// Per hub: its "down" event or gate.
    pub hubs: Vec<Ref>,
    /// (hub a, hub b, link down).
    pub links: Vec<(u32, u32, Ref)>,
    /// `layers[0]` are the sources; at least two layers.
    pub layers: Vec<Vec<ReachMember>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ReachMember {
    /// The member cannot hold the chain (down, ineligible, an inactive source).
    pub out: Ref,
    /// (hub, path down): the member's ways onto the network.
    pub paths: Vec<(u32, Ref)>,
}

impl Reach {
    /// Every reference the gate reads, in a fixed order: hubs, links, then per member
    /// its `out` and its paths.
    pub fn args(&self) -> Vec<Ref> {
        let mut a: Vec<Ref> = self.hubs.clone();
        a.extend(self.links.iter().map(|l| l.2));
        for m in self.layers.iter().flatten() {
            a.push(m.out);
            a.extend(m.paths.iter().map(|p| p.1));
        }
        a
    }

    /// The gate's value for one state, given each argument's value in [`Reach::args`]
    /// order (true = down). Union-find over the working hubs, then the layers in turn:
    /// O((hubs + links) α + paths).
    pub fn evaluate(&self, args: &[bool]) -> bool {
        let n = self.hubs.len();
        let hub_down = &args[..n];
        let link_down = &args[n..n + self.links.len()];
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for (l, &(a, b, _)) in self.links.iter().enumerate() {
            let (a, b) = (a as usize, b as usize);
            if !link_down[l] && !hub_down[a] && !hub_down[b] {
                let (ra, rb) = (find(&mut parent, a), find(&mut parent, b));
                parent[ra] = rb;
            }
        }
        let mut at = n + self.links.len();
        let mut holding: Vec<bool> = vec![false; n];
        for (t, layer) in self.layers.iter().enumerate() {
            let mut next = vec![false; n];
            for m in layer {
                let out = args[at];
                at += 1;
                let touched: Vec<usize> = m
                    .paths
                    .iter()
                    .enumerate()
                    .filter(|(j, &(h, _))| !args[at + j] && !hub_down[h as usize])
                    .map(|(_, &(h, _))| find(&mut parent, h as usize))
                    .collect();
                at += m.paths.len();
                if !out && (t == 0 || touched.iter().any(|&c| holding[c])) {
                    for c in touched {
                        next[c] = true;
                    }
                }
            }
            holding = next;
        }
        !holding.iter().any(|&h| h)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct BasicEvent {
    pub name: String,
    pub probability: f64,
    /// The model element this event stands for (none for imported trees).
    pub element: Option<ElementId>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GateDef {
    pub name: String,
    pub gate: Gate,
}

/// A dynamic part solved on its own ([`crate::analysis::dynamic`]): its events are not
/// independent but follow `joint`, the steady-state probability of each combination
/// (index: bit i set = `events[i]` happened). The tree's structure is unchanged, so cut
/// sets stay per component; the exact probability conditions on the module's state.
#[derive(Clone, Debug, PartialEq)]
pub struct Module {
    pub events: Vec<u32>,
    pub joint: Vec<f64>,
    /// What was solved and how, for reports ("raid-1: 2 slots, 1 hot spare, Markov chain").
    pub what: String,
    /// The repair crews its Markov chain queues repairs for (`repair_crews`); `None` when
    /// repairs start at once or the part is a closed form (a UPS battery).
    pub crews: Option<u32>,
    /// The groups whose members' repairs queue together for the crews in this chain, in
    /// the order of `events`; empty for other parts (RAID, batteries, no crews).
    pub crew_chains: Vec<CrewChain>,
}

/// A group solved as a chain whose failed members queue for the repair crews
/// ([`crate::analysis::dynamic::shared_crew_failed_sets`]): what it takes to solve it
/// again together with other groups that share the crews.
#[derive(Clone, Debug, PartialEq)]
pub struct CrewChain {
    pub group: crate::model::GroupId,
    /// Its members' own failure and repair rates, in member order.
    pub units: Vec<crate::analysis::dynamic::Unit>,
    /// A cold standby: only the serving member fails.
    pub cold: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultTree {
    pub name: String,
    pub events: Vec<BasicEvent>,
    pub gates: Vec<GateDef>,
    pub top: Option<Ref>,
    pub modules: Vec<Module>,
    /// The tree meets a dynamic part that it does not solve and reads as static instead
    /// (hot spares not credited, a cold standby analysed as hot, a UPS battery not
    /// credited): its figure is pessimistic there, so bounds on the static model
    /// widen their lower end as they do for solved modules
    /// ([`crate::analysis::bounds::uncredited`]).
    pub unsolved_dynamics: bool,
    /// The tree's figure can sit below the true one by more than any bound it knows (a
    /// cold standby whose members or hosts have non-exponential lifetimes): certified bounds then
    /// take 1 as their upper end.
    pub uncertified_upper: bool,
    /// Assumptions this tree's figure rests on beyond the standard ones, each with the
    /// direction or size of its error.
    pub notes: Vec<String>,
    /// With `repair_crews` that the figure does not charge (a note says so): the crews,
    /// and per event its element's own failure and repair rates (`None` for an event
    /// without), for the estimate of what queueing adds ([`crate::analysis::crew_wait`]).
    pub crew_queue: Option<(u32, Vec<Option<crate::analysis::dynamic::Unit>>)>,
    /// A preferred BDD variable order (event indices, first level first), from the
    /// structure the tree was built from; events not listed follow in depth-first order.
    pub order_hint: Vec<u32>,
    /// Pairs (unrolled gate, [`Gate::Reach`] gate) that are the same function: the
    /// builder writes network reachability both ways. Compilation takes the unrolled
    /// gates and, when their BDD grows past its budget, frontier search on the Reach
    /// gates instead ([`crate::analysis::compile`]).
    pub reach_equivalents: Vec<(Ref, Ref)>,
    /// Walk each gate's arguments from the last for the depth-first variable order.
    /// Set for imported Open-PSA trees: on the Aralia trees it gives smaller BDDs
    /// (edf9202 8,476 nodes against 413,295; elf9601 4,668 against 118,553; no tree
    /// worse by more than 26%), while the scenario builder's trees do better first to
    /// last (BENCHMARKS.md).
    pub order_from_last_argument: bool,
}

impl FaultTree {
    /// OR (`disjunction`) or AND of `args`, folding constants and repeats: the
    /// absorbing constant wins, the neutral one drops out, one argument needs no gate.
    pub fn fold(&mut self, name: String, args: Vec<Ref>, disjunction: bool) -> Ref {
        let absorbing = Ref::Const(disjunction);
        let mut kept: Vec<Ref> = Vec::new();
        for a in args {
            if a == absorbing {
                return absorbing;
            }
            if !matches!(a, Ref::Const(_)) && !kept.contains(&a) {
                kept.push(a);
            }
        }
        match kept.len() {
            0 => Ref::Const(!disjunction),
            1 => kept[0],
            _ if disjunction => self.add_gate(name, Gate::Or(kept)),
            _ => self.add_gate(name, Gate::And(kept)),
        }
    }

    pub fn add_gate(&mut self, name: String, gate: Gate) -> Ref {
        self.gates.push(GateDef { name, gate });
        Ref::Gate(self.gates.len() as u32 - 1)
    }

    /// Whether no gate negates (NOT, XOR). Minimal cut sets of a non-coherent tree are
    /// the minimal failure sets that raise the top event (others working).
    pub fn is_coherent(&self) -> bool {
        !self.gates.iter().any(|g| matches!(g.gate, Gate::Not(_) | Gate::Xor(_)))
    }
}

impl Gate {
    /// The gate's arguments: borrowed for the logic gates (no copy: compiling a tree
    /// walks every gate's arguments three times), built for a [`Reach`] gate.
    pub fn args(&self) -> Cow<'_, [Ref]> {
        match self {
            Gate::And(a) | Gate::Or(a) | Gate::AtLeast(_, a) | Gate::Xor(a) => Cow::Borrowed(a),
            Gate::Not(a) => Cow::Borrowed(std::slice::from_ref(a)),
            Gate::Reach(r) => Cow::Owned(r.args()),
        }
    }
}

impl FaultTree {
    /// Gates reachable from the top, as a mask (gates built and then folded away are not).
    pub fn used_gates(&self) -> Vec<bool> {
        let mut used = vec![false; self.gates.len()];
        let mut stack: Vec<Ref> = self.top.into_iter().collect();
        while let Some(r) = stack.pop() {
            if let Ref::Gate(g) = r {
                if !std::mem::replace(&mut used[g as usize], true) {
                    stack.extend(self.gates[g as usize].gate.args().iter().copied());
                }
            }
        }
        used
    }

    /// Values of the gates under `r` with the given events failed (true) and the rest
    /// working; gates not under `r` stay `None`. Iterative, so deep trees are fine.
    pub fn evaluate_from(&self, r: Ref, failed: &[bool]) -> Vec<Option<bool>> {
        let mut value: Vec<Option<bool>> = vec![None; self.gates.len()];
        let leaf = |a: Ref, value: &[Option<bool>]| match a {
            Ref::Const(b) => Some(b),
            Ref::Event(e) => Some(failed.get(e as usize).copied().unwrap_or(false)),
            Ref::Gate(g) => value[g as usize],
        };
        let mut stack = vec![r];
        while let Some(top) = stack.last().copied() {
            let Ref::Gate(g) = top else {
                stack.pop();
                continue;
            };
            if value[g as usize].is_some() {
                stack.pop();
                continue;
            }
            let gate = &self.gates[g as usize].gate;
            let args = gate.args();
            let pending: Vec<Ref> = args.iter().copied().filter(|&a| leaf(a, &value).is_none()).collect();
            if !pending.is_empty() {
                stack.extend(pending);
                continue;
            }
            let mut vals = args.iter().map(|&a| leaf(a, &value).unwrap_or(false));
            let v = match gate {
                Gate::And(_) => vals.all(|b| b),
                Gate::Or(_) => vals.any(|b| b),
                Gate::Xor(_) => vals.filter(|&b| b).count() % 2 == 1,
                Gate::Not(_) => !vals.take(1).any(|b| b),
                Gate::AtLeast(k, _) => vals.filter(|&b| b).count() >= *k as usize,
                Gate::Reach(r) => r.evaluate(&vals.collect::<Vec<bool>>()),
            };
            value[g as usize] = Some(v);
            stack.pop();
        }
        value
    }

    /// Whether the top event happens with these events failed.
    pub fn top_happens(&self, failed: &[bool]) -> bool {
        self.is_true(self.top.unwrap_or(Ref::Const(false)), failed)
    }

    /// The order-1 minimal cut sets, by direct evaluation: the events whose failure
    /// alone (every other event working) makes the top event happen, when it does not
    /// happen with none failed. Exact whatever the BDD's fate, for trees beyond it.
    /// O(events × gates).
    pub fn single_event_cut_sets(&self) -> Vec<u32> {
        let mut failed = vec![false; self.events.len()];
        if self.top_happens(&failed) {
            return Vec::new();
        }
        (0..self.events.len() as u32)
            .filter(|&e| {
                failed[e as usize] = true;
                let happens = self.top_happens(&failed);
                failed[e as usize] = false;
                happens
            })
            .collect()
    }

    /// Whether `r` is true with these events failed.
    pub fn is_true(&self, r: Ref, failed: &[bool]) -> bool {
        match r {
            Ref::Const(b) => b,
            Ref::Event(e) => failed.get(e as usize).copied().unwrap_or(false),
            Ref::Gate(g) => self.evaluate_from(r, failed)[g as usize].unwrap_or(false),
        }
    }
}
