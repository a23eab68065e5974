//! Scenario model → one fault tree per service, in failure logic ("service down").
//!
//! - An element is down if it failed itself or a requirement fails (power, hosting,
//!   storage, site, ...): `down(e) = x_e ∨ needs_down(e)`.
//! - A group is down when too few members work: active-standby when all are down,
//!   active-active when more than n − need are down; a cluster with a quorum device
//!   needs a majority of votes (members + device).
//! - Network reachability is exact: multi-source reachability is unrolled as gates,
//!   `U_{i+1}(v) = U_i(v) ∧ ⋀_{(u,l)} (U_i(u) ∨ down(l) ∨ down(v))`, for as many rounds
//!   as there are forwarding nodes (+2), which covers every simple path. Traffic may
//!   cross only forwarding devices (switches, routers, firewalls, load balancers, SAN
//!   switches, the entry); servers are endpoints, reached through their NICs.
//! - A service is down when its entry or a tier is down, or two consecutive tiers
//!   cannot reach each other.
//!
//! Gate counts: O(rounds × nodes) per tier pair; constants are folded as gates are built.

use std::collections::{BTreeMap, BTreeSet};

use super::fault_tree::{BasicEvent, FaultTree, Gate, Ref};
use crate::model::{Arrangement, ElementId, GroupId, Model, NetworkIndex, NodeRef, Req};

pub use crate::model::FORWARDING;

/// A service's fault tree plus where each element's and group's "down" gate is, so
/// findings can explain themselves.
#[derive(Clone, Debug)]
pub struct ServiceTree {
    pub service: usize,
    pub tree: FaultTree,
    pub element_down: BTreeMap<ElementId, Ref>,
    pub group_down: BTreeMap<GroupId, Ref>,
    /// Top-level reasons, in order: ("entry internet down" / "tier web-pool down" /
    /// "lb-vip cannot reach web-pool", gate).
    pub terms: Vec<(String, Ref)>,
    /// The basic event of each failable element.
    pub event_of: BTreeMap<ElementId, u32>,
}

/// Exact fault trees are built only up to this many gates (reachability unrolling is
/// quadratic in the network's size); larger designs get single-failure analysis only.
pub const MAX_GATES: usize = 2_000_000;

/// A service whose exact fault tree would exceed [`MAX_GATES`].
#[derive(Clone, Debug, PartialEq)]
pub struct TooLarge {
    pub service: String,
    pub forwarding_devices: usize,
}

impl std::fmt::Display for TooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(
            f,
            "service {}: the exact fault tree would exceed {MAX_GATES} gates ({} forwarding devices on its paths); single points of failure still come from the single-failure dataflow",
            self.service, self.forwarding_devices
        )
    }
}

/// One fault tree per service, in service-name order.
pub fn service_trees(model: &Model) -> Vec<Result<FaultTree, TooLarge>> {
    service_structures(model).into_iter().map(|s| s.map(|s| s.tree)).collect()
}

/// One structure per service, in service-name order.
pub fn service_structures(model: &Model) -> Vec<Result<ServiceTree, TooLarge>> {
    let mut order: Vec<usize> = (0..model.services.len()).collect();
    order.sort_by(|&a, &b| model.services[a].name.cmp(&model.services[b].name));
    order.into_iter().map(|s| Builder::new(model).service(s)).collect()
}

struct Builder<'m> {
    model: &'m Model,
    tree: FaultTree,
    event_of: BTreeMap<ElementId, u32>,
    down_memo: BTreeMap<ElementId, Ref>,
    group_memo: BTreeMap<GroupId, Ref>,
    in_progress: BTreeSet<NodeRef>,
    net: NetworkIndex,
    /// Forwarding devices of the largest network that was too big to unroll.
    too_large: Option<usize>,
}

impl<'m> Builder<'m> {
    fn new(model: &'m Model) -> Builder<'m> {
        Builder {
            model,
            tree: FaultTree::default(),
            event_of: BTreeMap::new(),
            down_memo: BTreeMap::new(),
            group_memo: BTreeMap::new(),
            in_progress: BTreeSet::new(),
            net: NetworkIndex::new(model),
            too_large: None,
        }
    }

    // --- gates with constant folding ---

    fn or(&mut self, name: String, args: Vec<Ref>) -> Ref {
        self.fold(name, args, true)
    }

    fn and(&mut self, name: String, args: Vec<Ref>) -> Ref {
        self.fold(name, args, false)
    }

    /// OR (`disjunction`) or AND of `args`, folding constants and repeats: the
    /// absorbing constant wins, the neutral one drops out, one argument needs no gate.
    fn fold(&mut self, name: String, args: Vec<Ref>, disjunction: bool) -> Ref {
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
            _ if disjunction => self.tree.add_gate(name, Gate::Or(kept)),
            _ => self.tree.add_gate(name, Gate::And(kept)),
        }
    }

    /// At least `k` of `args` are true (duplicates count separately).
    fn at_least(&mut self, name: String, k: usize, args: Vec<Ref>) -> Ref {
        let trues = args.iter().filter(|a| **a == Ref::Const(true)).count();
        let rest: Vec<Ref> = args.into_iter().filter(|a| !matches!(a, Ref::Const(_))).collect();
        let k = k.saturating_sub(trues);
        if k == 0 {
            return Ref::Const(true);
        }
        if k > rest.len() {
            return Ref::Const(false);
        }
        if k == 1 {
            return self.or(name, rest);
        }
        if k == rest.len() {
            return self.and(name, rest);
        }
        self.tree.add_gate(name, Gate::AtLeast(k as u32, rest))
    }

    // --- elements, requirements, groups ---

    fn event(&mut self, e: ElementId) -> Ref {
        if let Some(&ev) = self.event_of.get(&e) {
            return Ref::Event(ev);
        }
        let el = self.model.element(e);
        let Some(f) = el.failure else {
            return Ref::Const(false);
        };
        self.tree.events.push(BasicEvent {
            name: el.name.clone(),
            probability: 1.0 - f.availability(),
            element: Some(e),
        });
        let ev = self.tree.events.len() as u32 - 1;
        self.event_of.insert(e, ev);
        Ref::Event(ev)
    }

    fn down(&mut self, e: ElementId) -> Ref {
        if let Some(&r) = self.down_memo.get(&e) {
            return r;
        }
        // A dependency loop (only possible through network paths) counts as working.
        if !self.in_progress.insert(NodeRef::Element(e)) {
            return Ref::Const(false);
        }
        let x = self.event(e);
        let needs = self.model.element(e).needs.clone();
        let needs_down = self.req_down(&needs, &self.model.element(e).name.clone());
        let r = self.or(format!("down:{}", self.model.element(e).name), vec![x, needs_down]);
        self.in_progress.remove(&NodeRef::Element(e));
        self.down_memo.insert(e, r);
        r
    }

    fn req_down(&mut self, req: &Req, owner: &str) -> Ref {
        match req {
            Req::Always => Ref::Const(false),
            Req::Element(d) => self.down(*d),
            Req::Group(g) => self.group_down(*g),
            Req::All(rs) => {
                let parts = rs.iter().map(|r| self.req_down(r, owner)).collect();
                self.or(format!("needs:{owner}"), parts)
            }
            Req::AtLeast { k, of } => {
                let parts: Vec<Ref> = of.iter().map(|r| self.req_down(r, owner)).collect();
                let n = parts.len();
                self.at_least(format!("needs-{k}-of-{n}:{owner}"), n + 1 - (*k as usize).min(n + 1), parts)
            }
            Req::Path { from, to } => self.unreachable(&[*from], &[*to], &format!("{owner}:path")),
        }
    }

    fn group_down(&mut self, g: GroupId) -> Ref {
        if let Some(&r) = self.group_memo.get(&g) {
            return r;
        }
        if !self.in_progress.insert(NodeRef::Group(g)) {
            return Ref::Const(false);
        }
        let group = self.model.group(g).clone();
        let downs: Vec<Ref> = group.members.iter().map(|&m| self.down(m)).collect();
        let n = downs.len();
        let quorum = self.model.quorum_device(g);
        let arrangement = match (&group.arrangement, quorum) {
            (Arrangement::ActiveStandby, Some(q)) => {
                // Votes: members + the device; a majority must stand.
                let votes = n + 1;
                let majority = votes / 2 + 1;
                let mut all = downs.clone();
                all.push(self.down(q));
                let lost = self.at_least(format!("quorum-lost:{}", group.name), votes - majority + 1, all);
                let all_down = self.and(format!("all-down:{}", group.name), downs);
                self.or(format!("members-down:{}", group.name), vec![lost, all_down])
            }
            (Arrangement::ActiveStandby, None) => self.and(format!("members-down:{}", group.name), downs),
            (Arrangement::ActiveActive { need }, _) => {
                let k = n + 1 - (*need as usize).min(n + 1);
                self.at_least(format!("members-down:{}", group.name), k, downs)
            }
        };
        let needs = self.req_down(&group.needs, &group.name);
        let r = self.or(format!("group-down:{}", group.name), vec![arrangement, needs]);
        self.in_progress.remove(&NodeRef::Group(g));
        self.group_memo.insert(g, r);
        r
    }

    // --- network reachability ---

    /// "No working source reaches any working target".
    fn unreachable(&mut self, sources: &[ElementId], targets: &[ElementId], label: &str) -> Ref {
        let n = self.model.elements.len();
        let mut source_side = vec![false; n];
        let mut target_side = vec![false; n];
        // U(v): v is not reached (as a working node) from a working source.
        let mut u: BTreeMap<ElementId, Ref> = BTreeMap::new();
        for &a in sources {
            let da = self.down(a);
            for v in self.net.closure(a) {
                source_side[v.0 as usize] = true;
                let dv = self.down(v);
                let not_here = self.or(format!("unreached0:{label}:{}", self.model.element(v).name), vec![da, dv]);
                let prev = u.get(&v).copied().unwrap_or(Ref::Const(true));
                let both = self.and(format!("unreached0:{label}:{}", self.model.element(v).name), vec![prev, not_here]);
                u.insert(v, both);
            }
        }
        let target_closures: Vec<(ElementId, Vec<ElementId>)> =
            targets.iter().map(|&b| (b, self.net.closure(b))).collect();
        for (_, c) in &target_closures {
            for v in c {
                target_side[v.0 as usize] = true;
            }
        }
        // Only nodes from which a target can still be reached matter.
        let mut relevant = target_side.clone();
        let mut queue: Vec<ElementId> = (0..n as u32).map(ElementId).filter(|v| target_side[v.0 as usize]).collect();
        while let Some(x) = queue.pop() {
            for &(w, _) in &self.net.adjacency[x.0 as usize] {
                let wi = w.0 as usize;
                if !relevant[wi] && (self.net.forwarding[wi] || source_side[wi]) {
                    relevant[wi] = true;
                    if self.net.forwarding[wi] {
                        queue.push(w);
                    }
                }
            }
        }
        let rounds = self.net.forwarding.iter().zip(&relevant).filter(|(&f, &r)| f && r).count() + 2;
        let nodes = relevant.iter().filter(|&&r| r).count();
        if self.too_large.is_some() || rounds.saturating_mul(nodes) + self.tree.gates.len() > MAX_GATES {
            self.too_large = Some(self.too_large.unwrap_or(0).max(rounds - 2));
            return Ref::Const(false);
        }
        for round in 1..=rounds {
            let mut next = u.clone();
            let mut changed = false;
            // Candidates: neighbours of nodes reached so far.
            let frontier: BTreeSet<ElementId> = u
                .keys()
                .filter(|&&s| self.net.forwarding[s.0 as usize] || source_side[s.0 as usize])
                .flat_map(|&s| self.net.adjacency[s.0 as usize].iter().map(|&(w, _)| w))
                .filter(|w| self.net.forwarding[w.0 as usize] || target_side[w.0 as usize])
                .collect();
            let mut receivers: BTreeSet<ElementId> = u.keys().copied().collect();
            receivers.extend(frontier);
            for v in receivers {
                if !relevant[v.0 as usize] {
                    continue;
                }
                let name = self.model.element(v).name.clone();
                let dv = self.down(v);
                let mut terms = vec![u.get(&v).copied().unwrap_or(Ref::Const(true))];
                let neighbours = self.net.adjacency[v.0 as usize].clone();
                let can_receive = self.net.forwarding[v.0 as usize] || target_side[v.0 as usize];
                if can_receive {
                    for (w, link) in neighbours {
                        let can_send = self.net.forwarding[w.0 as usize] || source_side[w.0 as usize];
                        let Some(&uw) = u.get(&w) else { continue };
                        if !can_send || uw == Ref::Const(true) {
                            continue;
                        }
                        let dl = self.down(link);
                        terms.push(self.or(
                            format!("unreached{round}:{label}:{name}<-{}", self.model.element(w).name),
                            vec![uw, dl, dv],
                        ));
                    }
                }
                let r = self.and(format!("unreached{round}:{label}:{name}"), terms);
                if u.get(&v) != Some(&r) {
                    changed = true;
                }
                next.insert(v, r);
            }
            u = next;
            if !changed {
                break;
            }
        }
        let mut per_target = Vec::new();
        for (b, closure) in target_closures {
            let db = self.down(b);
            let unreached: Vec<Ref> = closure.iter().map(|v| u.get(v).copied().unwrap_or(Ref::Const(true))).collect();
            let none = self.and(format!("unreached:{label}:{}", self.model.element(b).name), unreached);
            per_target.push(self.or(format!("lost:{label}:{}", self.model.element(b).name), vec![db, none]));
        }
        self.and(format!("unreachable:{label}"), per_target)
    }

    fn tier_down(&mut self, node: NodeRef) -> Ref {
        match node {
            NodeRef::Element(e) => self.down(e),
            NodeRef::Group(g) => self.group_down(g),
            NodeRef::Service(_) => Ref::Const(false),
        }
    }

    fn service(mut self, s: usize) -> Result<ServiceTree, TooLarge> {
        let svc = self.model.services[s].clone();
        self.tree.name = svc.name.clone();
        let mut terms = Vec::new();
        let entry_down = self.down(svc.from);
        terms.push((format!("entry {} down", self.model.element(svc.from).name), entry_down));
        let mut previous = NodeRef::Element(svc.from);
        for &tier in &svc.through {
            let tier_name = self.model.name_of(tier).to_string();
            let td = self.tier_down(tier);
            terms.push((format!("tier {tier_name} down"), td));
            let from = self.model.anchors(previous);
            let to = self.model.anchors(tier);
            let prev_name = self.model.name_of(previous).to_string();
            let cut = self.unreachable(&from, &to, &format!("{prev_name}->{tier_name}"));
            terms.push((format!("{prev_name} cannot reach {tier_name}"), cut));
            previous = tier;
        }
        let top = self.or(format!("service-down:{}", svc.name), terms.iter().map(|t| t.1).collect());
        if let Some(forwarding_devices) = self.too_large {
            return Err(TooLarge { service: svc.name.clone(), forwarding_devices });
        }
        self.tree.top = Some(top);
        Ok(ServiceTree {
            service: s,
            tree: self.tree,
            element_down: self.down_memo,
            group_down: self.group_memo,
            terms,
            event_of: self.event_of,
        })
    }
}
