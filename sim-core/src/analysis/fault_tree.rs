//! A fault tree: basic events (with a probability) and gates over them, in failure
//! logic (the top event is "the service is down"). Both the scenario model and
//! imported Open-PSA MEF files become this form; the BDD analysis consumes it.

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

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FaultTree {
    pub name: String,
    pub events: Vec<BasicEvent>,
    pub gates: Vec<GateDef>,
    pub top: Option<Ref>,
}

impl FaultTree {
    pub fn add_gate(&mut self, name: String, gate: Gate) -> Ref {
        self.gates.push(GateDef { name, gate });
        Ref::Gate(self.gates.len() as u32 - 1)
    }

    /// Whether no gate negates (NOT, XOR). Minimal cut sets of a non-coherent tree are
    /// the minimal failure sets that raise the top event (others working).
    pub fn is_coherent(&self) -> bool {
        !self
            .gates
            .iter()
            .any(|g| matches!(g.gate, Gate::Not(_) | Gate::Xor(_)))
    }
}

impl Gate {
    pub fn args(&self) -> Vec<Ref> {
        match self {
            Gate::And(a) | Gate::Or(a) | Gate::AtLeast(_, a) | Gate::Xor(a) => a.clone(),
            Gate::Not(a) => vec![*a],
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
                    stack.extend(self.gates[g as usize].gate.args());
                }
            }
        }
        used
    }

    /// Values of every gate with the given events failed (true) and the rest working.
    pub fn evaluate(&self, failed: &[bool]) -> Vec<bool> {
        let mut value: Vec<Option<bool>> = vec![None; self.gates.len()];
        let used = self.used_gates();
        // Gates only refer to earlier gates when built bottom-up; evaluate on demand.
        fn eval(t: &FaultTree, r: Ref, failed: &[bool], value: &mut Vec<Option<bool>>) -> bool {
            match r {
                Ref::Const(b) => b,
                Ref::Event(e) => failed.get(e as usize).copied().unwrap_or(false),
                Ref::Gate(g) => {
                    if let Some(v) = value[g as usize] {
                        return v;
                    }
                    let args = t.gates[g as usize].gate.args();
                    let vals: Vec<bool> = args.iter().map(|&a| eval(t, a, failed, value)).collect();
                    let v = match &t.gates[g as usize].gate {
                        Gate::And(_) => vals.iter().all(|&b| b),
                        Gate::Or(_) => vals.iter().any(|&b| b),
                        Gate::Xor(_) => vals.iter().filter(|&&b| b).count() % 2 == 1,
                        Gate::Not(_) => !vals[0],
                        Gate::AtLeast(k, _) => vals.iter().filter(|&&b| b).count() >= *k as usize,
                    };
                    value[g as usize] = Some(v);
                    v
                }
            }
        }
        for (g, _) in used.iter().enumerate().filter(|(_, &u)| u) {
            eval(self, Ref::Gate(g as u32), failed, &mut value);
        }
        value.into_iter().map(|v| v.unwrap_or(false)).collect()
    }

    /// Value of a reference after [`FaultTree::evaluate`].
    pub fn value_of(r: Ref, failed: &[bool], gates: &[bool]) -> bool {
        match r {
            Ref::Const(b) => b,
            Ref::Event(e) => failed.get(e as usize).copied().unwrap_or(false),
            Ref::Gate(g) => gates[g as usize],
        }
    }
}
