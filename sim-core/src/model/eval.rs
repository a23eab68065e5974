//! Direct evaluation of the model for one set of failed elements: which elements,
//! groups and services work once every failover has completed. It shares no code with
//! the fault-tree path ([`crate::analysis::structure`]), so each checks the other:
//! elements by a greatest fixpoint, network paths by breadth-first search.
//! Complexity: O(iterations × (V + E)) per evaluation.

use std::collections::VecDeque;

use super::{Arrangement, ElementId, GroupId, Model, NetworkIndex, NodeRef, Req};

pub struct Evaluation {
    pub element_works: Vec<bool>,
    pub group_works: Vec<bool>,
    pub service_up: Vec<bool>,
}

/// Evaluates many failure sets of one model; the network tables are built once.
pub struct Evaluator<'m> {
    model: &'m Model,
    works: Vec<bool>,
    net: NetworkIndex,
}

/// Evaluates the model with `failed[e]` elements failed.
pub fn evaluate(model: &Model, failed: &[bool]) -> Evaluation {
    Evaluator::new(model).evaluate(failed)
}

impl<'m> Evaluator<'m> {
    pub fn new(model: &'m Model) -> Evaluator<'m> {
        Evaluator { model, works: vec![true; model.elements.len()], net: NetworkIndex::new(model) }
    }

    pub fn evaluate(&mut self, failed: &[bool]) -> Evaluation {
        let model = self.model;
        let n = model.elements.len();
        self.works = (0..n).map(|i| !failed.get(i).copied().unwrap_or(false)).collect();
        // Greatest fixpoint: start from "everything not failed works", knock out until stable.
        loop {
            let mut changed = false;
            for i in 0..n {
                if self.works[i] && !self.holds(&model.elements[i].needs) {
                    self.works[i] = false;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        let group_works = (0..model.groups.len() as u32).map(|g| self.group(GroupId(g))).collect();
        let service_up = (0..model.services.len()).map(|s| self.service(s)).collect();
        Evaluation { element_works: self.works.clone(), group_works, service_up }
    }
}

impl<'m> Evaluator<'m> {
    pub fn model(&self) -> &'m Model {
        self.model
    }
}

impl Evaluator<'_> {
    fn holds(&self, req: &Req) -> bool {
        match req {
            Req::Always => true,
            Req::Element(e) => self.works[e.0 as usize],
            Req::Group(g) => self.group(*g),
            Req::All(rs) => rs.iter().all(|r| self.holds(r)),
            Req::AtLeast { k, of } => of.iter().filter(|r| self.holds(r)).count() >= *k as usize,
            Req::Path { from, to } => self.connected(&[*from], &[*to]),
        }
    }

    fn group(&self, g: GroupId) -> bool {
        let group = self.model.group(g);
        let up = group.members.iter().filter(|m| self.works[m.0 as usize]).count();
        let arrangement_ok = match &group.arrangement {
            Arrangement::ActiveActive { need } => up >= *need as usize,
            Arrangement::ActiveStandby => match self.model.quorum_device(g) {
                None => up >= 1,
                Some(q) => {
                    let votes = group.members.len() + 1;
                    let present = up + usize::from(self.works[q.0 as usize]);
                    up >= 1 && present > votes / 2
                }
            },
        };
        arrangement_ok && self.holds(&group.needs)
    }

    /// Some working source reaches some working target over working links, crossing
    /// only forwarding devices in between.
    fn connected(&self, sources: &[ElementId], targets: &[ElementId]) -> bool {
        let n = self.model.elements.len();
        let mut source_side = vec![false; n];
        let mut target_side = vec![false; n];
        let mut reached = vec![false; n];
        let mut queue = VecDeque::new();
        for &a in sources.iter().filter(|a| self.works[a.0 as usize]) {
            for v in self.net.closure(a) {
                source_side[v.0 as usize] = true;
                if self.works[v.0 as usize] && !reached[v.0 as usize] {
                    reached[v.0 as usize] = true;
                    queue.push_back(v);
                }
            }
        }
        let target_closures: Vec<(ElementId, Vec<ElementId>)> =
            targets.iter().map(|&b| (b, self.net.closure(b))).collect();
        for (_, c) in &target_closures {
            for v in c {
                target_side[v.0 as usize] = true;
            }
        }
        while let Some(u) = queue.pop_front() {
            let ui = u.0 as usize;
            if !(self.net.forwarding[ui] || source_side[ui]) {
                continue;
            }
            for &(w, link) in &self.net.adjacency[ui] {
                let wi = w.0 as usize;
                if !reached[wi]
                    && self.works[wi]
                    && self.works[link.0 as usize]
                    && (self.net.forwarding[wi] || target_side[wi])
                {
                    reached[wi] = true;
                    queue.push_back(w);
                }
            }
        }
        target_closures.iter().any(|(b, c)| self.works[b.0 as usize] && c.iter().any(|v| reached[v.0 as usize]))
    }

    fn tier_works(&self, node: NodeRef) -> bool {
        match node {
            NodeRef::Element(e) => self.works[e.0 as usize],
            NodeRef::Group(g) => self.group(g),
            NodeRef::Service(_) => true,
        }
    }

    fn service(&self, s: usize) -> bool {
        self.service_reasons(s).is_empty()
    }

    /// Why service `s` is down after the last [`Evaluator::evaluate`], in the words of
    /// the fault tree's top-level terms; empty when it is up.
    pub fn service_reasons(&self, s: usize) -> Vec<String> {
        let svc = &self.model.services[s];
        let mut reasons = Vec::new();
        if !self.works[svc.from.0 as usize] {
            reasons.push(format!("entry {} down", self.model.element(svc.from).name));
        }
        let mut previous = NodeRef::Element(svc.from);
        for &tier in &svc.through {
            let tier_name = self.model.name_of(tier);
            if !self.tier_works(tier) {
                reasons.push(format!("tier {tier_name} down"));
            }
            if !self.connected(&self.model.anchors(previous), &self.model.anchors(tier)) {
                reasons.push(format!("{} cannot reach {tier_name}", self.model.name_of(previous)));
            }
            previous = tier;
        }
        reasons
    }
}
