//! What-if: the components the user marked failed, and what that does, from sim-core's
//! blast radius. A service is red when down, amber when up but something it depends on
//! is down (it lost redundancy), green otherwise.

use std::collections::BTreeSet;

use sim_core::analysis::findings::{blast, Blast};
use sim_core::model::{ElementId, Model, NodeRef};

use crate::analysis::Facts;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServiceState {
    Up,
    Degraded,
    Down,
}

impl ServiceState {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceState::Up => "up",
            ServiceState::Degraded => "degraded",
            ServiceState::Down => "down",
        }
    }
}

/// The result of failing a set of components.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub blast: Blast,
    /// Elements down because of the failures (not the failed ones).
    pub affected: BTreeSet<ElementId>,
    /// Per service in model order.
    pub services: Vec<ServiceState>,
}

/// The failed set, and its outcome on the current model.
#[derive(Clone, Debug, Default)]
pub struct WhatIf {
    /// By element name, so the set survives re-analysis of an edited text.
    pub failed: BTreeSet<String>,
    pub outcome: Option<Outcome>,
}

impl WhatIf {
    pub fn is_failed(&self, name: &str) -> bool {
        self.failed.contains(name)
    }

    pub fn toggle(&mut self, name: &str, facts: &Facts) {
        if !self.failed.remove(name) {
            self.failed.insert(name.to_string());
        }
        self.recompute(facts);
    }

    pub fn clear(&mut self) {
        self.failed.clear();
        self.outcome = None;
    }

    /// Recomputes the outcome against `facts` (after a toggle or a re-analysis);
    /// names that no longer exist are dropped.
    pub fn recompute(&mut self, facts: &Facts) {
        let model = &facts.model;
        self.failed.retain(|n| model.element_by_name(n).is_some());
        if self.failed.is_empty() {
            self.outcome = None;
            return;
        }
        let ids: Vec<ElementId> = self.failed.iter().filter_map(|n| model.element_by_name(n)).map(|e| e.id).collect();
        let blast = blast(model, &ids);
        self.outcome = Some(outcome(model, facts, blast, &ids));
    }
}

fn outcome(model: &Model, facts: &Facts, blast: Blast, failed: &[ElementId]) -> Outcome {
    let affected: BTreeSet<ElementId> =
        blast.down_elements.iter().filter_map(|n| model.element_by_name(n)).map(|e| e.id).collect();
    let mut hit: BTreeSet<NodeRef> = affected.iter().chain(failed).map(|&e| NodeRef::Element(e)).collect();
    for g in &blast.down_groups {
        if let Some(g) = model.groups.iter().find(|x| &x.name == g) {
            hit.insert(NodeRef::Group(g.id));
        }
    }
    let services = model
        .services
        .iter()
        .enumerate()
        .map(|(i, s)| {
            if blast.services_down.iter().any(|(name, _)| name == &s.name) {
                ServiceState::Down
            } else if facts.support[i].iter().any(|n| hit.contains(n)) {
                ServiceState::Degraded
            } else {
                ServiceState::Up
            }
        })
        .collect();
    Outcome { blast, affected, services }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn a_spof_takes_its_service_down_and_a_redundant_part_degrades_it() {
        let text = crate::examples::default_example().text;
        let facts = Facts::of(Arc::new(sim_core::load(text).model.unwrap()));
        let mut w = WhatIf::default();
        w.toggle("sw-1", &facts);
        let o = w.outcome.clone().unwrap();
        assert!(o.services.iter().all(|&s| s == ServiceState::Degraded), "{:?}", o.services);
        w.toggle("sw-2", &facts);
        let o = w.outcome.clone().unwrap();
        assert!(o.services.iter().all(|&s| s == ServiceState::Down), "{:?}", o.services);
        assert_eq!(o.blast.services_down.len(), o.services.len());
        w.clear();
        // Both PDUs: everything powered goes down with them.
        w.toggle("pdu-a", &facts);
        w.toggle("pdu-b", &facts);
        let o = w.outcome.clone().unwrap();
        let sw1 = facts.model.element_by_name("sw-1").unwrap().id;
        assert!(o.affected.contains(&sw1));
        w.toggle("pdu-a", &facts);
        w.toggle("pdu-b", &facts);
        assert!(w.outcome.is_none() && w.failed.is_empty());
    }
}
