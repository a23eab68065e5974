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
