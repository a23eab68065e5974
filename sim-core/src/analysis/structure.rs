//! Scenario model → one fault tree per service, in failure logic ("service down"),
//! following docs/SEMANTICS.md.
//!
//! - An element is down if it failed itself or a requirement fails (power, hosting,
//!   storage, site, ...): `down(e) = x_e ∨ needs_down(e)`.
//! - A group is down when too few members work: active-standby when no member is
//!   eligible, active-active when more than n − need are down. Under vote quorum a
//!   member is eligible only if its node's partition holds a majority of votes (one per
//!   node, plus the quorum device), so partitions count.
//! - Network reachability is exact: multi-source reachability is unrolled as gates
//!   (see `Builder::not_reached`), for as many rounds as there are forwarding nodes
//!   (+2), which covers every simple path. Traffic may cross only forwarding devices
//!   (switches, routers, firewalls, load balancers, SAN switches, the entry); servers
//!   are endpoints, reached through their NICs.
//! - A service is down when its entry or a tier is down, or no chain of eligible
//!   members runs through the tiers: the sources of each hop are the previous tier's
//!   members, each active only if a chain reaches it, so the member that receives is
//!   the one that forwards.
//!
//! Gate counts: O(rounds × nodes) per hop; constants are folded as gates are built. A
//! loop of needs (an ARP bond's probe paths through its own NICs, sync replication both
//! ways) builds its nodes once per open loop rather than once (`loop_memo`).

use std::collections::{BTreeMap, BTreeSet};

use super::dynamic;
use super::fault_tree::{BasicEvent, CrewChain, FaultTree, Gate, Module, Reach, ReachMember, Ref};
use crate::model::{
    edge_targets, Arrangement, Dynamics, EdgeKind, ElementId, GroupId, Model, NetworkIndex, NodeRef, Req,
};

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
    // The holder choices depend on the model alone: worked out once for all services.
    let net = NetworkIndex::new(model);
    let roles = HolderRoles {
        choices: crate::model::roles::holder_choices(model, &net),
        bonds_left_out: crate::model::roles::choice_groups(model, &net).is_some_and(|(_, left_out)| left_out),
        per_member: crate::model::roles::member_interface_groups(model, &net),
    };
    order.into_iter().map(|s| Builder::new(model, &roles).service(s)).collect()
}

/// The choices of role holders every service's chain is judged under
/// (`model::roles::holder_choices`; `None` past the cap), and whether active-backup
/// bonds were left out of them for the cap.
struct HolderRoles {
    choices: Option<Vec<Vec<(GroupId, ElementId)>>>,
    bonds_left_out: bool,
    /// The bonds whose NIC is chosen per chain member (`model::roles::member_variants`).
    per_member: Vec<GroupId>,
}

struct Builder<'m> {
    model: &'m Model,
    roles: &'m HolderRoles,
    tree: FaultTree,
    event_of: BTreeMap<ElementId, u32>,
    down_memo: BTreeMap<ElementId, Ref>,
    group_memo: BTreeMap<GroupId, Ref>,
    ineligible_memo: BTreeMap<(GroupId, usize), Ref>,
    /// Per element: seconds a failure keeps it out beyond its repair (a RAID slot's
    /// rebuild onto the replaced disk).
    extra_down_secs: Vec<f64>,
    /// Battery modules by (input element, runtime bits): one gate per pair, so UPSes on
    /// one feed with one runtime share the outage they ride through.
    battery_memo: BTreeMap<(ElementId, u64), Ref>,
    in_progress: BTreeSet<NodeRef>,
    /// Loops found (a node met while in progress), innermost last: a value built on an
    /// open loop assumed its node working, so it goes to `loop_memo`, not the memos
    /// that hold for every context ([`Builder::close_loops`]).
    loop_hits: Vec<NodeRef>,
    /// Values built on open loops, with the nodes they assumed working: reused while
    /// every one of those is still in progress (the same assumptions give the same
    /// function), so a loop's nodes are built once per open loop, not once per use.
    loop_memo: BTreeMap<NodeRef, (Ref, Vec<NodeRef>)>,
    /// Groups whose dynamic parts were looked at (modules and notes are made once).
    dynamics_done: BTreeSet<GroupId>,
    net: NetworkIndex,
    /// Forwarding devices of the largest network that was too big to unroll.
    too_large: Option<usize>,
    /// Per element: its rank outward from the service's entry (`usize::MAX` when
    /// unreached); orders hubs and BDD variables for frontier search.
    rank: Vec<usize>,
    /// Reach gates built so far (the same question asked twice is one gate).
    reach_memo: std::collections::HashMap<Reach, Ref>,
}

impl<'m> Builder<'m> {
    fn new(model: &'m Model, roles: &'m HolderRoles) -> Builder<'m> {
        Builder {
            model,
            roles,
            tree: FaultTree::default(),
            event_of: BTreeMap::new(),
            down_memo: BTreeMap::new(),
            group_memo: BTreeMap::new(),
            ineligible_memo: BTreeMap::new(),
            extra_down_secs: rebuild_windows(model),
            battery_memo: BTreeMap::new(),
            in_progress: BTreeSet::new(),
            loop_hits: Vec::new(),
            loop_memo: BTreeMap::new(),
            dynamics_done: BTreeSet::new(),
            net: NetworkIndex::new(model),
            too_large: None,
            rank: Vec::new(),
            reach_memo: std::collections::HashMap::new(),
        }
    }

    // --- gates with constant folding ---

    fn or(&mut self, name: String, args: Vec<Ref>) -> Ref {
        self.fold(name, args, true)
    }

    fn and(&mut self, name: String, args: Vec<Ref>) -> Ref {
        self.fold(name, args, false)
    }

    fn fold(&mut self, name: String, args: Vec<Ref>, disjunction: bool) -> Ref {
        self.tree.fold(name, args, disjunction)
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
        if el.failure.is_none() && el.generator.is_none() {
            return Ref::Const(false);
        }
        // A RAID slot is unprotected from the failure until its rebuild ends.
        self.tree.events.push(BasicEvent {
            name: el.name.clone(),
            probability: el.unavailability(self.extra_down_secs[e.0 as usize]),
            element: Some(e),
        });
        let ev = self.tree.events.len() as u32 - 1;
        self.event_of.insert(e, ev);
        if let Some(g) = el.generator.filter(|g| g.fail_to_start > 0.0) {
            // The feed without power: its own failure or what it needs (its site).
            let feed = self.model.element(g.feed);
            let up = feed
                .needs
                .strictly_required()
                .iter()
                .map(|&d| 1.0 - self.model.element(d).unavailability(0.0))
                .product::<f64>()
                * (1.0 - feed.unavailability(0.0));
            self.tree.notes.push(format!(
                "{}: a failed start (probability {} per start) is not retried: the load waits for {}'s power to return, so this figure is pessimistic, by up to {} of unavailability ({} × P({} without power)) where a retry would succeed at once; `spofsim simulate` plays the same rule",
                el.name,
                significant(g.fail_to_start),
                feed.name,
                significant(g.fail_to_start * (1.0 - up)),
                significant(g.fail_to_start),
                feed.name
            ));
        }
        if let Some(g) = el.generator {
            if crate::mechanisms::generator::transfer_switches(self.model, e).is_empty() {
                self.tree.notes.push(format!(
                    "{}: its transfer switch is implicit and never fails: optimistic, by up to that switch's unavailability (2.28e-5 at an `ats`'s default MTBF 20y and MTTR 4h) where the load has no other power; name it as an `ats` with \"from\": [\"{}\", \"{}\"] to count it",
                    el.name,
                    self.model.element(g.feed).name,
                    el.name
                ));
            }
        }
        Ref::Event(ev)
    }

    fn down(&mut self, e: ElementId) -> Ref {
        if let Some(&r) = self.down_memo.get(&e) {
            return r;
        }
        if let Some(r) = self.loop_value(NodeRef::Element(e)) {
            return r;
        }
        // A dependency loop (through network paths, or sync replication both ways)
        // counts as working: the greatest fixpoint, as in the evaluator.
        if !self.in_progress.insert(NodeRef::Element(e)) {
            self.loop_hits.push(NodeRef::Element(e));
            return Ref::Const(false);
        }
        let mark = self.loop_hits.len();
        let x = self.event(e);
        let needs = self.model.element(e).needs.clone();
        let needs_down = match self.model.element(e).battery_runtime_secs {
            Some(battery) if battery > 0.0 => self.needs_down_on_battery(e, battery),
            _ => self.req_down(&needs, &self.model.element(e).name.clone()),
        };
        let r = self.or(format!("down:{}", self.model.element(e).name), vec![x, needs_down]);
        self.in_progress.remove(&NodeRef::Element(e));
        if self.close_loops(mark, NodeRef::Element(e), r) {
            self.down_memo.insert(e, r);
        }
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
            // A probe (ARP) crosses switches only: docs/SEMANTICS.md §2 `Probe`.
            Req::Path { from, to, probe } => {
                let label = format!("{owner}:{}", if *probe { "probe" } else { "path" });
                self.unreachable(&[*from], &[*to], &label, *probe)
            }
        }
    }

    /// A UPS's needs, with its power input's own outages counted only beyond the
    /// battery: the input's event x and a new event y, "the outage outlasts the
    /// battery", form a module with P(y) = q · e^(−T/MTTR) ([`dynamic::beyond_battery`])
    /// and y ⇒ x. The input's own dependencies (its site) are not bridged.
    fn needs_down_on_battery(&mut self, ups: ElementId, battery_secs: f64) -> Ref {
        let el = self.model.element(ups);
        let name = el.name.clone();
        let inputs: Vec<ElementId> = edge_targets(self.model, NodeRef::Element(ups), EdgeKind::Power)
            .into_iter()
            .filter_map(|n| match n {
                NodeRef::Element(x) => Some(x),
                _ => None,
            })
            .collect();
        let items = match &el.needs {
            Req::All(of) => of.clone(),
            other => vec![other.clone()],
        };
        let mut parts = Vec::new();
        for r in items {
            match &r {
                Req::Element(input) => match self.bridged_input_down(ups, &inputs, *input, battery_secs) {
                    Some((beyond, needs_down)) => parts.extend([beyond, needs_down]),
                    None => {
                        self.note_unbridged(ups, *input);
                        parts.push(self.down(*input));
                    }
                },
                // A feed backed by a generator (`mechanisms::generator`): the battery
                // bridges the feed's outages, and the generator stands in for the rest.
                Req::AtLeast { k: 1, of } if of.len() == 2 => {
                    let (Req::Element(input), other) = (&of[0], &of[1]) else {
                        parts.push(self.req_down(&r, &name));
                        continue;
                    };
                    let input_down = match self.bridged_input_down(ups, &inputs, *input, battery_secs) {
                        Some((beyond, needs_down)) => self.or(format!("bridged:{name}"), vec![beyond, needs_down]),
                        None => {
                            self.note_unbridged(ups, *input);
                            self.down(*input)
                        }
                    };
                    let other_down = self.req_down(other, &name);
                    parts.push(self.and(format!("needs-either:{name}"), vec![input_down, other_down]));
                }
                _ => parts.push(self.req_down(&r, &name)),
            }
        }
        self.or(format!("needs:{name}"), parts)
    }

    /// Notes (and flags for the bounds) what UPS `ups`'s battery is not credited for on
    /// its input `input`: what the input needs, which fails it too and which the
    /// simulator bridges as well, is counted whole here (pessimistic), except what the
    /// UPS needs itself (its site), which takes it down battery or not. The input's own
    /// outages are bridged by the battery module when it has failures of its own.
    fn note_unbridged(&mut self, ups: ElementId, input: ElementId) {
        fn elements_only(r: &Req) -> bool {
            match r {
                Req::Always | Req::Element(_) => true,
                Req::All(of) => of.iter().all(elements_only),
                _ => false,
            }
        }
        let name = self.model.element(ups).name.clone();
        let input_el = self.model.element(input);
        let input_name = input_el.name.clone();
        let input_needs = input_el.needs.clone();
        let own = self.model.element(ups).needs.strictly_required();
        let mut unbridged: Vec<String> = input_needs
            .strictly_required()
            .into_iter()
            .filter(|d| !own.contains(d))
            .map(|d| self.model.element(d).name.clone())
            .collect();
        unbridged.sort();
        unbridged.dedup();
        if unbridged.is_empty() && elements_only(&input_needs) {
            return;
        }
        let what = if unbridged.is_empty() { "what it needs".to_string() } else { unbridged.join(", ") };
        self.tree.unsolved_dynamics = true;
        let own_outages = if input_el.failure.is_some() {
            format!("{input_name}'s own outages, not for those of {what}")
        } else {
            format!("nothing: {input_name} does not fail itself, and outages of {what}")
        };
        // The battery would bridge, of each such outage (exponential repair), the
        // share that ends within it: q − q · e^(−T/MTTR).
        let battery_secs = self.model.element(ups).battery_runtime_secs.unwrap_or(0.0);
        let bridged: f64 = input_needs
            .strictly_required()
            .into_iter()
            .filter(|d| !own.contains(d))
            .filter_map(|d| {
                let w = dynamic::outage_window(self.model, d)?;
                let q = self.model.element(d).unavailability(0.0);
                Some(q - dynamic::beyond_battery_delayed(q, w, battery_secs))
            })
            .sum();
        let size = if bridged > 0.0 {
            format!(
                ", by up to about {} of unavailability (Σ q · (1 − e^(−battery / MTTR)) over them)",
                significant(bridged)
            )
        } else {
            String::new()
        };
        self.tree.notes.push(format!(
            "{name}: its battery is credited for {own_outages}, which are counted whole: pessimistic where such an outage is shorter than the battery{size}; `spofsim simulate` bridges them too"
        ));
    }

    /// A UPS input's outages beyond the battery, and its own needs failing: `None` when
    /// the input has no failure of its own to bridge (it is then counted whole).
    fn bridged_input_down(
        &mut self,
        ups: ElementId,
        inputs: &[ElementId],
        input: ElementId,
        battery_secs: f64,
    ) -> Option<(Ref, Ref)> {
        if !inputs.contains(&input) {
            return None;
        }
        let y = self.beyond_battery(ups, input, battery_secs)?;
        let input_needs = self.model.element(input).needs.clone();
        let input_name = self.model.element(input).name.clone();
        if let Some(needs_down) = self.switch_needs_down_on_battery(ups, input, battery_secs) {
            return Some((y, needs_down));
        }
        if let Some(needs_down) = self.chain_down_on_battery(ups, &input_needs, battery_secs, 0) {
            return Some((y, needs_down));
        }
        self.note_unbridged(ups, input);
        Some((y, self.req_down(&input_needs, &input_name)))
    }

    /// The event "`input` out beyond UPS `ups`'s battery" (its module with the input's
    /// own event, one per input and runtime); `None` when the input does not fail itself.
    fn beyond_battery(&mut self, ups: ElementId, input: ElementId, battery_secs: f64) -> Option<Ref> {
        let name = self.model.element(ups).name.clone();
        self.model.element(input).failure?;
        let x = self.event(input);
        let key = (input, battery_secs.to_bits());
        let y = match self.battery_memo.get(&key) {
            Some(&y) => y,
            None if self.tree.modules.iter().any(|m| matches!(x, Ref::Event(e) if m.events.contains(&e))) => {
                // The same input behind batteries of different runtimes: one module, the
                // longer battery's outages nested in the shorter's.
                if let Some(y) = self.nest_battery(ups, input, battery_secs) {
                    self.battery_memo.insert(key, y);
                    return Some(y);
                }
                self.tree.unsolved_dynamics = true;
                let input_name = &self.model.element(input).name;
                let bridged = self.tree.events.iter().find(|e| e.element == Some(input)).map_or(0.0, |e| {
                    let q = e.probability;
                    dynamic::outage_window(self.model, input)
                        .map_or(0.0, |w| q - dynamic::beyond_battery_delayed(q, w, battery_secs))
                });
                self.tree.notes.push(format!(
                    "{name}: its battery is not credited ({input_name} also feeds UPSes of other runtimes, past the {MAX_NESTED_BATTERIES} that one input's solved part nests, or its outages are solved in another part): pessimistic, by up to {} of unavailability (its outages within the battery)",
                    significant(bridged)
                ));
                self.battery_memo.insert(key, x);
                x
            }
            None => {
                let Ref::Event(xe) = x else { return None };
                let q = self.tree.events[xe as usize].probability;
                let (ye, beyond) = self.push_beyond_battery(ups, input, q, battery_secs)?;
                let input_name = self.model.element(input).name.clone();
                self.tree.modules.push(Module {
                    events: vec![xe, ye],
                    // y implies x: no state with y alone.
                    joint: vec![1.0 - q, q - beyond, 0.0, beyond],
                    what: format!(
                        "{name}: {input_name} outages beyond the {} battery",
                        crate::units::Duration::from_secs(battery_secs)
                    ),
                    crews: None,
                    crew_chains: Vec::new(),
                });
                self.battery_memo.insert(key, Ref::Event(ye));
                Ref::Event(ye)
            }
        };
        Some(y)
    }

    /// Adds the event "`input` out beyond UPS `ups`'s battery" (`q` the input's own
    /// unavailability) and returns it with its probability, E[(W − T)⁺] / (MTBF + E[W])
    /// for the input's outage W ([`dynamic::outage_window`]); `None` when the input
    /// does not fail.
    fn push_beyond_battery(
        &mut self,
        ups: ElementId,
        input: ElementId,
        q: f64,
        battery_secs: f64,
    ) -> Option<(u32, f64)> {
        let w = dynamic::outage_window(self.model, input)?;
        let beyond = dynamic::beyond_battery_delayed(q, w, battery_secs);
        let name = &self.model.element(ups).name;
        let input_name = &self.model.element(input).name;
        self.tree.events.push(BasicEvent {
            name: format!("{input_name} (beyond {name}'s battery)"),
            probability: beyond,
            element: Some(input),
        });
        Some((self.tree.events.len() as u32 - 1, beyond))
    }

    /// `input` behind one more battery, of another runtime than those already solved
    /// for it: its battery module ([`Self::beyond_battery`]) grows by the event "out
    /// beyond this battery". An outage outlasts a longer battery only if it outlasts
    /// every shorter one, so with the runtimes sorted T₁ < ... < Tₙ and bᵢ = P(out
    /// beyond Tᵢ) the states are: up (1 − q), down within T₁ (q − b₁), beyond Tᵢ but
    /// not Tᵢ₊₁ (bᵢ − bᵢ₊₁), beyond all (bₙ); every other combination has chance 0.
    /// `None` when the input's event sits in a module of another kind (the caller
    /// then leaves the battery uncredited, with a note). At most
    /// [`MAX_NESTED_BATTERIES`] runtimes per input (the joint has 2ⁿ⁺¹ states).
    fn nest_battery(&mut self, ups: ElementId, input: ElementId, battery_secs: f64) -> Option<Ref> {
        let Ref::Event(xe) = self.event(input) else { return None };
        let k = self.tree.modules.iter().position(|m| m.events.contains(&xe))?;
        let module = &self.tree.modules[k];
        let is_battery_module = module.events[0] == xe
            && module.crews.is_none()
            && module.crew_chains.is_empty()
            && module.events[1..].iter().all(|&e| self.tree.events[e as usize].element == Some(input));
        if !is_battery_module || module.events.len() > MAX_NESTED_BATTERIES {
            return None;
        }
        let q = self.tree.events[xe as usize].probability;
        let (ye, _) = self.push_beyond_battery(ups, input, q, battery_secs)?;
        let name = self.model.element(ups).name.clone();
        let input_name = self.model.element(input).name.clone();
        let mut events = self.tree.modules[k].events.clone();
        events.push(ye);
        // The beyond-battery events by falling chance (rising runtime), with their bits.
        let mut ys: Vec<(f64, usize)> =
            (1..events.len()).map(|i| (self.tree.events[events[i] as usize].probability, i)).collect();
        ys.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut joint = vec![0.0; 1 << events.len()];
        joint[0] = 1.0 - q;
        let mut mask = 1usize;
        let mut last = q;
        for &(b, bit) in &ys {
            joint[mask] = last - b;
            mask |= 1 << bit;
            last = b;
        }
        joint[mask] = last;
        let runtimes = self.tree.modules[k].what.clone();
        self.tree.modules[k] = Module {
            events,
            joint,
            what: format!(
                "{runtimes}; {name}: {input_name} outages beyond the {} battery, nested",
                crate::units::Duration::from_secs(battery_secs)
            ),
            crews: None,
            crew_chains: Vec::new(),
        };
        Some(Ref::Event(ye))
    }

    /// What a UPS input needs, when that is a chain of plain elements (a PDU on a power
    /// panel, as NetBox records a feed): the battery bridges each one's own outages as
    /// it bridges the input's, so "down" is, per element, its outages beyond the battery
    /// or what it needs in turn; what the UPS needs itself (its site) takes it down
    /// battery or not. Each element's beyond-battery event is a module like the
    /// input's ([`Self::beyond_battery`]). Overlapping outages of two of
    /// them are second order in their unavailabilities, as for a transfer switch's.
    /// `None` when `needs` is not such a chain (the caller counts it whole, with a note).
    fn chain_down_on_battery(&mut self, ups: ElementId, needs: &Req, battery_secs: f64, depth: usize) -> Option<Ref> {
        // Power chains are short; a loop would be a design error found elsewhere.
        if depth > 32 {
            return None;
        }
        let conjuncts = match needs {
            Req::All(of) => of.clone(),
            other => vec![other.clone()],
        };
        if !conjuncts.iter().all(|r| matches!(r, Req::Always | Req::Element(_))) {
            return None;
        }
        let own = self.model.element(ups).needs.strictly_required();
        let name = self.model.element(ups).name.clone();
        let mut parts = Vec::new();
        for r in conjuncts {
            let Req::Element(d) = r else { continue };
            if own.contains(&d) {
                parts.push(self.down(d));
                continue;
            }
            // Its own outages beyond the battery (none when it does not fail itself),
            // then what it needs, bridged in turn one level further up.
            parts.extend(self.beyond_battery(ups, d, battery_secs));
            let upstream = self.model.element(d).needs.clone();
            let upstream_down = match self.switch_needs_down_on_battery(ups, d, battery_secs) {
                Some(down) => down,
                None => match self.chain_down_on_battery(ups, &upstream, battery_secs, depth + 1) {
                    Some(down) => down,
                    None => {
                        self.note_unbridged(ups, d);
                        let d_name = self.model.element(d).name.clone();
                        self.req_down(&upstream, &d_name)
                    }
                },
            };
            parts.push(upstream_down);
        }
        Some(self.or(format!("bridged-chain:{name}"), parts))
    }

    /// What a UPS's input `ats` needs, when it is a utility/generator transfer switch
    /// (`mechanisms::generator`) and needs nothing the UPS does not besides its two
    /// inputs: the battery bridges the utility's own outages as if the UPS were on the
    /// feed, and the generator stands in for the rest, so "down" is (the utility beyond
    /// the battery, or what it needs) and the generator down. `None` otherwise.
    fn switch_needs_down_on_battery(&mut self, ups: ElementId, ats: ElementId, battery_secs: f64) -> Option<Ref> {
        let t = self.model.element(ats).transfer_switch?;
        self.model.element(t.alternate).generator.filter(|g| g.feed == t.preferred)?;
        let either = Req::AtLeast { k: 1, of: vec![Req::Element(t.preferred), Req::Element(t.alternate)] };
        let own = self.model.element(ups).needs.strictly_required();
        let conjuncts = match &self.model.element(ats).needs {
            Req::All(of) => of.clone(),
            other => vec![other.clone()],
        };
        let rest_own = conjuncts.iter().all(|r| *r == either || matches!(r, Req::Element(d) if own.contains(d)));
        if !rest_own || !conjuncts.contains(&either) {
            return None;
        }
        let name = self.model.element(ups).name.clone();
        let preferred_down = match self.bridged_input_down(ups, &[t.preferred], t.preferred, battery_secs) {
            Some((beyond, needs_down)) => self.or(format!("bridged:{name}"), vec![beyond, needs_down]),
            None => {
                self.note_unbridged(ups, t.preferred);
                self.down(t.preferred)
            }
        };
        let generator_down = self.down(t.alternate);
        let mut parts = vec![self.and(format!("needs-either:{name}"), vec![preferred_down, generator_down])];
        // The switch's own site, which the UPS shares: down with it, battery or not.
        for r in conjuncts.iter().filter(|r| **r != either) {
            parts.push(self.req_down(r, &name));
        }
        Some(self.or(format!("switch-needs:{name}"), parts))
    }

    /// Registers the joint distribution of a dynamic group's members' own failures
    /// (RAID with hot spares, cold standby, limited repair crews), solved as a Markov
    /// chain; notes what could not be solved.
    fn dynamic_members(&mut self, g: GroupId) {
        if !self.dynamics_done.insert(g) {
            return;
        }
        let group = self.model.group(g).clone();
        if super::bounds::cold_lifetimes_not_memoryless(self.model, &group) {
            // A member that takes over starts a fresh lifetime (its host's too): with a
            // shape below 1 it fails early, which no chain (memoryless) or static
            // reading bounds.
            self.tree.uncertified_upper = true;
            self.tree.notes.push(format!(
                "{}: a cold standby's member that takes over starts a fresh lifetime, and so does its host (powered off with it while idle), but these lifetimes are not exponential (Weibull or lognormal): one that fails early when the hazard falls with age (4.5x this figure, simulated, on a pair with a Weibull shape of 0.3) can make this figure optimistic or pessimistic by more than any bound, so certified bounds put their upper end at 1; `spofsim simulate --ideal` plays the distributions",
                group.name
            ));
        }
        let crews = self.model.repair_crews;
        let n = group.members.len();
        // A RAID chain lumps identical slots by count (a few hundred states), so only
        // its joint distribution over the slots (2^n) bounds it; the standby and crew
        // chains follow each member (up to n! orderings of the repair queue).
        let most = if matches!(group.dynamics, Some(Dynamics::Rebuild { .. })) { MAX_RAID_SLOTS } else { 6 };
        if !(2..=most).contains(&n) {
            self.note_unsolved_dynamics(&group);
            return;
        }
        let failures: Vec<Option<crate::model::FailureModel>> =
            group.members.iter().map(|&m| self.model.element(m).failure).collect();
        let Some(failures) = failures.into_iter().collect::<Option<Vec<_>>>() else {
            let hosted = group.members.iter().any(|&m| {
                let member = self.model.element(m);
                member.failure.is_none() && !matches!(member.needs, Req::Always)
            });
            if let Some(c) = crews.filter(|_| hosted) {
                self.tree.notes.push(format!(
                    "{}: with repair_crews = {c}, its members do not fail themselves (what fails is what they depend on, such as their hosts), so no chain queues their repairs for a crew and they start at once: optimistic where a repair would wait; `spofsim simulate` queues them",
                    group.name
                ));
            }
            self.note_unsolved_dynamics(&group);
            return;
        };
        let chain = crew_chain(self.model, g);
        let (joint, what) = match (&group.dynamics, &group.arrangement) {
            (Some(Dynamics::Rebuild { hot_spares, .. }), _) if *hot_spares == 0 => {
                self.note_unsolved_dynamics(&group);
                return;
            }
            (Some(Dynamics::Rebuild { rebuild_secs, hot_spares, .. }), _) => {
                if failures.iter().any(|f| *f != failures[0]) {
                    self.note_unsolved_dynamics(&group);
                    return;
                }
                let f = failures[0];
                let Some(by_count) = dynamic::SolvedRaidChain::new(
                    n,
                    *hot_spares as usize,
                    f.mtbf_secs,
                    f.mttr_secs,
                    *rebuild_secs,
                    crews,
                )
                .map(|c| c.unprotected_by_count()) else {
                    self.note_unsolved_dynamics(&group);
                    return;
                };
                // Identical slots: each set of k unprotected slots is equally likely.
                let joint: Vec<f64> = (0..1usize << n)
                    .map(|mask| {
                        let k = mask.count_ones() as usize;
                        by_count[k] / super::bdd::binomial(n, k)
                    })
                    .collect();
                if !f.memoryless() {
                    // Spares start fresh lifetimes in their slots, which no
                    // memoryless chain bounds (an independent audit: 0.045 simulated
                    // against 0.030 for the exponential reading, Weibull shape 0.5).
                    self.tree.uncertified_upper = true;
                    self.tree.notes.push(format!(
                        "{}: the hot-spare chain takes the disks' lifetimes as exponential with their MTBF, but they are not (Weibull or lognormal): a spare that takes a slot starts a fresh lifetime, so this figure can be optimistic or pessimistic by more than any bound, and certified bounds put their upper end at 1; `spofsim simulate --ideal` plays the distributions",
                        group.name
                    ));
                }
                let spares =
                    if *hot_spares == 1 { "1 hot spare".to_string() } else { format!("{hot_spares} hot spares") };
                self.tree.notes.push(format!(
                    "{}: the hot-spare chain takes rebuild and replacement times as exponential (memoryless), while the simulator rebuilds in a fixed time. Where rebuilds are short against MTBF a second failure during one then waits half as long on average, so this figure is pessimistic, by up to about 2x as rebuild / MTBF goes to 0 (1.52x on RAID 1 with one spare: tests/cases/exact/raid1-hot-spare.jsonc gives 1.89e-6 exact against 1.24e-6 simulated); where they are long, a fixed rebuild is more often cut short by the failure of the disk being rebuilt onto, so it is optimistic (12.9% low at rebuild = 0.3 MTBF, 25.2% at 0.6 MTBF, on RAID 1 with one spare: tests/oracles/DERIVATIONS.md case 27). Here rebuild / MTBF = {}; `spofsim simulate --ideal` measures it",
                    group.name,
                    significant(rebuild_secs / f.mtbf_secs)
                ));
                (
                    joint,
                    format!(
                        "{}: {n} slots, {spares}, rebuild {} (Markov chain)",
                        group.name,
                        crate::units::Duration::from_secs(*rebuild_secs)
                    ),
                )
            }
            // Members that all run (active-active) fail and queue for the crews as hot
            // standbys do: the same chain gives the joint distribution of failed members,
            // and the tree asks its own question of it (k of n).
            (None, Arrangement::ActiveActive { .. }) if crews.is_some() => {
                let units: Vec<dynamic::Unit> = failures.iter().map(dynamic::Unit::of).collect();
                let Some(joint) = dynamic::standby_failed_sets(&units, false, crews) else {
                    self.note_unsolved_dynamics(&group);
                    return;
                };
                let crew_text = match crews {
                    Some(1) => "1 repair crew".to_string(),
                    Some(c) => format!("{c} repair crews"),
                    None => String::new(),
                };
                (joint, format!("{}: {n} members all running, {crew_text} (Markov chain)", group.name))
            }
            (dynamics, Arrangement::ActiveStandby) if !group.vote_quorum && (dynamics.is_some() || crews.is_some()) => {
                let cold = matches!(dynamics, Some(Dynamics::ColdStandby));
                let units: Vec<dynamic::Unit> = failures.iter().map(dynamic::Unit::of).collect();
                let Some(joint) = dynamic::standby_failed_sets(&units, cold, crews) else {
                    self.note_unsolved_dynamics(&group);
                    return;
                };
                if cold && group.members.iter().any(|&m| !matches!(self.model.element(m).needs, Req::Always)) {
                    self.tree.notes.push(format!(
                        "{}: the cold standby's chain counts only the members' own failures; what they depend on (their hosts, which the simulator powers off with an idle member so that they do not age) fails at its own rate whether the member serves or not: pessimistic, by up to those dependencies' share of this part's unavailability (1.8x on a pair whose hosts fail 100x as often as its processes); `spofsim simulate --ideal` plays it out",
                        group.name
                    ));
                }
                let how = if cold { "cold standby" } else { "standby" };
                let crew_text = match crews {
                    Some(1) => ", 1 repair crew".to_string(),
                    Some(c) => format!(", {c} repair crews"),
                    None => String::new(),
                };
                (joint, format!("{}: {how} of {n}{crew_text} (Markov chain)", group.name))
            }
            _ => {
                self.note_unsolved_dynamics(&group);
                return;
            }
        };
        let events: Vec<u32> = group
            .members
            .iter()
            .filter_map(|&m| match self.event(m) {
                Ref::Event(e) => Some(e),
                _ => None,
            })
            .collect();
        let taken = self.tree.modules.iter().any(|m| m.events.iter().any(|e| events.contains(e)));
        if events.len() != n || taken {
            self.tree.unsolved_dynamics = true;
            self.tree.notes.push(format!("{}: not solved as a module (its members are shared with another dynamic part): each member is taken as independent", group.name));
            return;
        }
        self.tree.modules.push(Module { events, joint, what, crews, crew_chains: chain.into_iter().collect() });
    }

    /// `repair_crews` are shared by every repair in the design. The groups solved as
    /// crew chains in this tree are solved again as one chain with every other crew
    /// chain of the design, when every element of the design whose repairs queue for a
    /// crew is a member of one (so the chain is the whole queue: exact), with at most
    /// [`MAX_SHARED_CREW_MEMBERS`] members in all; members outside this tree are summed
    /// out. Otherwise a note says the figure is optimistic, and why.
    fn share_crews(&mut self) {
        let Some(c) = self.model.repair_crews else { return };
        let model = self.model;
        // Every element of the design that fails and is repaired by a crew.
        let queued: BTreeSet<ElementId> = model
            .elements
            .iter()
            .filter(|e| (e.failure.is_some() || e.generator.is_some()) && e.unavailability(0.0) > 0.0)
            .map(|e| e.id)
            .collect();
        // No more failing elements than crews: no repair ever waits.
        if queued.len() <= c as usize {
            return;
        }
        // The design's crew chains, each group's members once.
        let chains: Vec<CrewChain> =
            (0..model.groups.len() as u32).filter_map(|g| crew_chain(model, GroupId(g))).collect();
        let members: Vec<ElementId> =
            chains.iter().flat_map(|ch| model.group(ch.group).members.iter().copied()).collect();
        let disjoint = members.iter().collect::<BTreeSet<_>>().len() == members.len();
        let whole_queue = disjoint && queued.iter().all(|e| members.contains(e));
        let here: Vec<usize> =
            (0..self.tree.modules.len()).filter(|&k| !self.tree.modules[k].crew_chains.is_empty()).collect();
        let other_crew_parts =
            self.tree.modules.iter().filter(|m| m.crews.is_some() && m.crew_chains.is_empty()).count();
        // Failing events of this tree whose repairs queue but that no chain holds.
        let in_modules: BTreeSet<u32> = self.tree.modules.iter().flat_map(|m| m.events.iter().copied()).collect();
        let loose = (0..self.tree.events.len() as u32)
            .filter(|e| !in_modules.contains(e) && self.tree.events[*e as usize].probability > 0.0)
            .count();
        if whole_queue && other_crew_parts == 0 && loose == 0 && chains.len() == 1 {
            // The one chain is the whole queue: exact already (up to 6 members).
            return;
        }
        if whole_queue && other_crew_parts == 0 && loose == 0 && members.len() <= MAX_SHARED_CREW_MEMBERS {
            let units: Vec<dynamic::Unit> = chains.iter().flat_map(|ch| ch.units.iter().copied()).collect();
            let group_of: Vec<usize> =
                chains.iter().enumerate().flat_map(|(k, ch)| std::iter::repeat_n(k, ch.units.len())).collect();
            let cold: Vec<bool> = chains.iter().map(|ch| ch.cold).collect();
            if let Some(all) = dynamic::shared_crew_failed_sets(&units, &group_of, &cold, Some(c)) {
                if self.merge_crew_chains(&here, &chains, &all, c) {
                    return;
                }
            }
        }
        let solved = here.len() + other_crew_parts;
        let in_chains: usize = here.iter().map(|&k| self.tree.modules[k].events.len()).sum();
        let outside = queued.len().saturating_sub(in_chains);
        let why = if solved == 0 {
            format!(
                "every repair is taken to start at once, though {} elements of the design queue for them",
                queued.len()
            )
        } else if !disjoint {
            "a member of two groups solved as chains cannot queue in both, so each part solved as a Markov chain is given every crew to itself and every other repair starts at once".to_string()
        } else if whole_queue && members.len() > MAX_SHARED_CREW_MEMBERS {
            format!(
                "the groups sharing them have {} members, past the {MAX_SHARED_CREW_MEMBERS} one chain solves, so each part solved as a Markov chain is given every crew to itself",
                members.len()
            )
        } else {
            format!(
                "each of the {solved} part(s) solved as Markov chains is given every crew to itself, and the repairs of the design's {outside} other failing element(s) start at once"
            )
        };
        self.tree.notes.push(format!(
            "repair_crews = {c}: {why}; when failures overlap a crew may be busy elsewhere, so the figure is optimistic by up to the share of downtime spent waiting for a crew; `spofsim simulate` queues repairs for the whole design"
        ));
        // The analysis estimates that share from the cut sets (`analysis::crew_wait`).
        // An event down longer than its repair (a RAID slot's rebuild, a detection
        // delay: time no crew spends) has no chain of its own here: left out.
        let rates = self
            .tree
            .events
            .iter()
            .map(|ev| {
                ev.element
                    .filter(|e| self.extra_down_secs[e.0 as usize] == 0.0)
                    .and_then(|e| model.element(e).failure)
                    .map(|f| dynamic::Unit::of(&f))
            })
            .collect();
        self.tree.crew_queue = Some((c, rates));
    }

    /// Replaces this tree's crew-chain modules (`here`) by one module: the joint
    /// distribution `all` over every member of `chains` (in their order), summed over
    /// the members that are not events of this tree.
    /// `false` when a module's chain is not among `chains` (nothing replaced).
    fn merge_crew_chains(&mut self, here: &[usize], chains: &[CrewChain], all: &[f64], crews: u32) -> bool {
        if here.is_empty() {
            return true;
        }
        // Position of each module member in the chains' order.
        let offsets: Vec<usize> = chains
            .iter()
            .scan(0, |at, ch| {
                let o = *at;
                *at += ch.units.len();
                Some(o)
            })
            .collect();
        let mut events = Vec::new();
        let mut bits = Vec::new();
        let mut names = Vec::new();
        for &k in here {
            let m = &self.tree.modules[k];
            for ch in &m.crew_chains {
                let Some(at) = chains.iter().position(|x| x.group == ch.group) else { return false };
                names.push(self.model.group(ch.group).name.clone());
                for i in 0..ch.units.len() {
                    bits.push(offsets[at] + i);
                }
            }
            events.extend(m.events.iter().copied());
        }
        if events.len() != bits.len() {
            return false;
        }
        let mut joint = vec![0.0; 1 << events.len()];
        for (mask, &p) in all.iter().enumerate() {
            let sub = bits.iter().enumerate().fold(0usize, |acc, (k, &b)| acc | ((mask >> b) & 1) << k);
            joint[sub] += p;
        }
        let elsewhere: Vec<String> =
            chains.iter().map(|ch| self.model.group(ch.group).name.clone()).filter(|n| !names.contains(n)).collect();
        let also = if elsewhere.is_empty() {
            String::new()
        } else {
            format!(", with {} elsewhere in the design", elsewhere.join(", "))
        };
        let crew_text = if crews == 1 { "1 repair crew".to_string() } else { format!("{crews} repair crews") };
        let what =
            format!("{}: {crew_text} shared first come, first served{also} (one Markov chain)", names.join(", "));
        let chains_here: Vec<CrewChain> = here.iter().flat_map(|&k| self.tree.modules[k].crew_chains.clone()).collect();
        let mut kept: Vec<Module> =
            self.tree.modules.drain(..).enumerate().filter(|(k, _)| !here.contains(k)).map(|(_, m)| m).collect();
        kept.push(Module { events, joint, what, crews: Some(crews), crew_chains: chains_here });
        self.tree.modules = kept;
        true
    }

    fn group_down(&mut self, g: GroupId) -> Ref {
        if let Some(&r) = self.group_memo.get(&g) {
            return r;
        }
        if let Some(r) = self.loop_value(NodeRef::Group(g)) {
            return r;
        }
        if !self.in_progress.insert(NodeRef::Group(g)) {
            self.loop_hits.push(NodeRef::Group(g));
            return Ref::Const(false);
        }
        let mark = self.loop_hits.len();
        let group = self.model.group(g).clone();
        self.dynamic_members(g);
        self.note_read_errors(&group);
        if let Some(t) = &group.takeover_requires {
            let first = self.model.element(group.members[0]).name.clone();
            // Read as static (pessimistic): bounds widen their lower end for it.
            self.tree.unsolved_dynamics = true;
            self.tree.notes.push(if t.preempts {
                format!(
                    "{}: its takeover needs preconditions, counted as needed whenever another member than {first} carries: pessimistic, since a takeover done before a precondition failed needs it no more; the error is at most P({first} down or cut off, and a precondition down); `spofsim simulate --ideal` measures it",
                    group.name
                )
            } else {
                format!(
                    "{}: its takeover needs preconditions and it does not fail back, so which member is active is not known statically; a precondition is counted as needed whenever any member is down: pessimistic, by at most P(a member down and a precondition down); a member that works but is cut off by a partition is not counted as down, so a precondition failing then is missed (optimistic, by at most P(a member cut off and a precondition down)); `spofsim simulate --ideal` measures both",
                    group.name
                )
            });
        }
        let downs: Vec<Ref> = group.members.iter().map(|&m| self.down(m)).collect();
        let n = downs.len();
        let arrangement = match &group.arrangement {
            Arrangement::ActiveStandby if group.vote_quorum || group.takeover_requires.is_some() => {
                let inel: Vec<Ref> = (0..n).map(|i| self.ineligible(g, i)).collect();
                self.and(format!("members-down:{}", group.name), inel)
            }
            Arrangement::ActiveStandby => self.and(format!("members-down:{}", group.name), downs),
            Arrangement::ActiveActive { need } => {
                let k = n + 1 - (*need as usize).min(n + 1);
                self.at_least(format!("members-down:{}", group.name), k, downs)
            }
        };
        let needs = self.req_down(&group.needs, &group.name);
        let r = self.or(format!("group-down:{}", group.name), vec![arrangement, needs]);
        self.in_progress.remove(&NodeRef::Group(g));
        if self.close_loops(mark, NodeRef::Group(g), r) {
            self.group_memo.insert(g, r);
        }
        r
    }

    /// Closes the loops through `node` found since `mark` and says whether the value
    /// just built for `node` may be memoized for every context: only when it rests on
    /// no loop still open further up (else it is kept in `loop_memo` with those loops). A value built while an outer node was assumed working is right only
    /// under that assumption; memoized, it would be reused where the outer node can fail
    /// (db-1 and db-2 replicating synchronously to each other: db-1's value built inside
    /// db-2's would ignore db-2's failure everywhere else).
    fn close_loops(&mut self, mark: usize, node: NodeRef, value: Ref) -> bool {
        let mut open: Vec<NodeRef> = self.loop_hits.drain(mark..).filter(|&x| x != node).collect();
        open.sort_unstable();
        open.dedup();
        let closed = open.is_empty();
        if !closed {
            self.loop_memo.insert(node, (value, open.clone()));
        }
        self.loop_hits.extend(open);
        closed
    }

    /// A value built on open loops whose nodes are all still in progress: the same
    /// assumptions, so the same value (it rests on them again, for the caller).
    fn loop_value(&mut self, node: NodeRef) -> Option<Ref> {
        let (r, open) = self.loop_memo.get(&node)?;
        if !open.iter().all(|n| self.in_progress.contains(n)) {
            return None;
        }
        let r = *r;
        let open = open.clone();
        self.loop_hits.extend(open);
        Some(r)
    }

    // --- network reachability ---

    /// "No working source reaches any working target" (docs/SEMANTICS.md §2).
    fn unreachable(&mut self, sources: &[ElementId], targets: &[ElementId], label: &str, switches_only: bool) -> Ref {
        let seeds: Vec<(ElementId, Ref)> = sources.iter().map(|&a| (a, self.down(a))).collect();
        let lost = self.not_reached(&seeds, targets, label, switches_only, &[], &[]);
        let unrolled = self.and(format!("unreachable:{label}"), lost);
        let last: Vec<(ElementId, Ref)> = targets.iter().map(|&b| (b, self.down(b))).collect();
        let reach = self.reach_gate(&[seeds, last], label, switches_only, &[], &[]);
        self.equivalent(unrolled, reach)
    }

    /// Records that the unrolled gate `unrolled` and the [`Reach`] gate `reach` are one
    /// function, so compilation can take either ([`FaultTree::reach_equivalents`]).
    fn equivalent(&mut self, unrolled: Ref, reach: Ref) -> Ref {
        if let (Ref::Gate(_), Ref::Gate(_)) = (unrolled, reach) {
            self.tree.reach_equivalents.push((unrolled, reach));
        }
        unrolled
    }

    /// A [`Reach`] gate for a chain of layers of (member, "cannot hold the chain")
    /// (docs/SEMANTICS.md §2, §4). Hubs are the forwarding devices, plus an endpoint
    /// that two members' closures share (both sides reach it without any link) and a
    /// link between two endpoints (it joins the two and nothing else). A member's paths
    /// are its closure's forwarding devices, its shared endpoints, and each closure
    /// endpoint's links to a forwarding device (down with the endpoint or the link) or
    /// to another member's endpoint. Hubs are ordered outward from the entry.
    /// With `switches_only`, switches are the only forwarding devices (a probe's path);
    /// elements marked in `blocked` forward nothing (standby members, `model::roles`);
    /// `idle[l][i]`, where given, leaves the closure of member i of layer l (a bond's
    /// NIC that this variant of the member does not use, `model::roles::member_variants`).
    fn reach_gate(
        &mut self,
        layers: &[Vec<(ElementId, Ref)>],
        label: &str,
        switches_only: bool,
        blocked: &[bool],
        idle: &[Vec<Vec<ElementId>>],
    ) -> Ref {
        let forwarding = self.net.forwarders_except(switches_only, blocked);
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
        enum Hub {
            Device(ElementId),
            Shared(ElementId),
            Cable(ElementId),
        }
        let closures: Vec<Vec<Vec<ElementId>>> = layers
            .iter()
            .enumerate()
            .map(|(k, l)| {
                l.iter()
                    .enumerate()
                    .map(|(i, &(m, _))| self.net.closure_of_variant(m, blocked, idle.get(k).and_then(|x| x.get(i))))
                    .collect()
            })
            .collect();
        let mut in_closures: BTreeMap<ElementId, usize> = BTreeMap::new();
        for c in closures.iter().flatten() {
            for &v in c {
                *in_closures.entry(v).or_default() += 1;
            }
        }
        let fwd = |v: ElementId| forwarding[v.0 as usize];
        // Forwarding devices reachable from the members' closures over device links.
        let mut devices: BTreeSet<ElementId> = BTreeSet::new();
        let mut stack: Vec<ElementId> = Vec::new();
        for c in closures.iter().flatten() {
            for &v in c {
                if fwd(v) {
                    stack.push(v);
                }
                stack.extend(self.net.adjacency[v.0 as usize].iter().map(|x| x.0).filter(|&w| fwd(w)));
            }
        }
        while let Some(v) = stack.pop() {
            if devices.insert(v) {
                stack.extend(self.net.adjacency[v.0 as usize].iter().map(|x| x.0).filter(|&w| fwd(w)));
            }
        }
        // Each member's paths, on hub keys.
        let mut hubs: BTreeSet<Hub> = devices.iter().map(|&v| Hub::Device(v)).collect();
        // Per layer, per member: (hub, the elements the path needs besides the hub).
        type Paths = Vec<(Hub, Vec<ElementId>)>;
        let mut member_paths: Vec<Vec<Paths>> = Vec::new();
        for layer in &closures {
            let mut lp = Vec::new();
            for c in layer {
                let mut paths: Vec<(Hub, Vec<ElementId>)> = Vec::new();
                for &v in c {
                    if fwd(v) {
                        paths.push((Hub::Device(v), Vec::new()));
                        continue;
                    }
                    if in_closures[&v] > 1 {
                        hubs.insert(Hub::Shared(v));
                        paths.push((Hub::Shared(v), Vec::new()));
                    }
                    for &(w, link) in &self.net.adjacency[v.0 as usize] {
                        if fwd(w) {
                            paths.push((Hub::Device(w), vec![v, link]));
                        } else if in_closures.contains_key(&w) {
                            hubs.insert(Hub::Cable(link));
                            paths.push((Hub::Cable(link), vec![v]));
                        }
                    }
                }
                lp.push(paths);
            }
            member_paths.push(lp);
        }
        let rank = |h: &Hub| match *h {
            Hub::Device(v) | Hub::Shared(v) => self.rank[v.0 as usize],
            Hub::Cable(l) => self.rank[l.0 as usize],
        };
        let mut ordered: Vec<Hub> = hubs.into_iter().collect();
        ordered.sort_by_key(|h| (rank(h), *h));
        let index: BTreeMap<Hub, u32> = ordered.iter().enumerate().map(|(i, &h)| (h, i as u32)).collect();
        let hub_refs: Vec<Ref> = ordered
            .iter()
            .map(|h| match *h {
                Hub::Device(v) | Hub::Shared(v) | Hub::Cable(v) => self.down(v),
            })
            .collect();
        let mut links = Vec::new();
        for (i, h) in ordered.iter().enumerate() {
            let Hub::Device(v) = *h else { continue };
            for &(w, link) in &self.net.adjacency[v.0 as usize].clone() {
                match index.get(&Hub::Device(w)) {
                    Some(&j) if j as usize > i => {
                        let dl = self.down(link);
                        links.push((i as u32, j, dl));
                    }
                    _ => {}
                }
            }
        }
        let mut spec_layers = Vec::new();
        for (t, layer) in layers.iter().enumerate() {
            let mut members = Vec::new();
            for (i, &(m, out)) in layer.iter().enumerate() {
                let mut paths = Vec::new();
                for (hub, on) in &member_paths[t][i] {
                    let downs: Vec<Ref> = on.iter().map(|&x| self.down(x)).collect();
                    let name = format!("path-down:{label}:{}", self.model.element(m).name);
                    let d = self.or(name, downs);
                    if d != Ref::Const(true) {
                        paths.push((index[hub], d));
                    }
                }
                members.push(ReachMember { out, paths });
            }
            spec_layers.push(members);
        }
        let reach = Reach { hubs: hub_refs, links, layers: spec_layers };
        if let Some(&r) = self.reach_memo.get(&reach) {
            return r;
        }
        let r = self.tree.add_gate(format!("no-chain:{label}"), Gate::Reach(Box::new(reach.clone())));
        self.reach_memo.insert(reach, r);
        r
    }

    /// Per target b: "b is down or not reached" (`¬Reach(S, b)`, docs/SEMANTICS.md §2),
    /// where each source `a` of `seeds` is active unless its gate `inactive` holds.
    /// Reachability is unrolled as gates, U_{i+1}(v) = U_i(v) ∧ ⋀_{(u,l)} (S(u) ∨ down(l)
    /// ∨ down(v)) with S(u) = U_i(u) for a forwarding u and the seed for an endpoint
    /// (endpoints never forward), for as many rounds as there are forwarding nodes + 2.
    /// With `switches_only`, switches are the only forwarding devices (a probe's path);
    /// elements marked in `blocked` forward nothing (standby members, `model::roles`).
    /// `idle[0][i]` and `idle[1][j]`, where given, leave the closures of seed i and
    /// target j (the NICs a member's variant does not use, `model::roles::member_variants`).
    fn not_reached(
        &mut self,
        seeds: &[(ElementId, Ref)],
        targets: &[ElementId],
        label: &str,
        switches_only: bool,
        blocked: &[bool],
        idle: &[&[Vec<ElementId>]],
    ) -> Vec<Ref> {
        let forwarding = self.net.forwarders_except(switches_only, blocked);
        let n = self.model.elements.len();
        let mut target_side = vec![false; n];
        // seed(v): v is not seeded as a working element of an active source's closure.
        let mut seed: BTreeMap<ElementId, Ref> = BTreeMap::new();
        for (i, &(a, inactive)) in seeds.iter().enumerate() {
            for v in self.net.closure_of_variant(a, blocked, idle.first().and_then(|x| x.get(i))) {
                let dv = self.down(v);
                let name = format!("unseeded:{label}:{}", self.model.element(v).name);
                let not_here = self.or(name.clone(), vec![inactive, dv]);
                let prev = seed.get(&v).copied().unwrap_or(Ref::Const(true));
                let both = self.and(name, vec![prev, not_here]);
                seed.insert(v, both);
            }
        }
        let source_side = |v: ElementId| seed.contains_key(&v);
        let target_closures: Vec<(ElementId, Vec<ElementId>)> = targets
            .iter()
            .enumerate()
            .map(|(i, &b)| (b, self.net.closure_of_variant(b, blocked, idle.get(1).and_then(|x| x.get(i)))))
            .collect();
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
                if !relevant[wi] && (forwarding[wi] || source_side(w)) {
                    relevant[wi] = true;
                    if forwarding[wi] {
                        queue.push(w);
                    }
                }
            }
        }
        let rounds = forwarding.iter().zip(&relevant).filter(|(&f, &r)| f && r).count() + 2;
        let nodes = relevant.iter().filter(|&&r| r).count();
        if self.too_large.is_some() || rounds.saturating_mul(nodes) + self.tree.gates.len() > MAX_GATES {
            self.too_large = Some(self.too_large.unwrap_or(0).max(rounds - 2));
            return vec![Ref::Const(false); targets.len()];
        }
        // U(v): v is not reached.
        let mut u: BTreeMap<ElementId, Ref> = seed.clone();
        for round in 1..=rounds {
            let mut next = u.clone();
            let mut changed = false;
            // Senders: forwarding nodes reached so far, and seeded endpoints.
            let sends = |v: ElementId| forwarding[v.0 as usize] || seed.contains_key(&v);
            let frontier: BTreeSet<ElementId> = u
                .keys()
                .filter(|&&s| sends(s))
                .flat_map(|&s| self.net.adjacency[s.0 as usize].iter().map(|&(w, _)| w))
                .filter(|w| forwarding[w.0 as usize] || target_side[w.0 as usize])
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
                let can_receive = forwarding[v.0 as usize] || target_side[v.0 as usize];
                if can_receive {
                    for (w, link) in neighbours {
                        let sender = if forwarding[w.0 as usize] { u.get(&w) } else { seed.get(&w) };
                        let Some(&uw) = sender else { continue };
                        if uw == Ref::Const(true) {
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
        per_target
    }

    /// `¬Comm(x, y)`: no working path from x to y; never, when either is off the network.
    fn no_comm(&mut self, x: ElementId, y: ElementId) -> Ref {
        if !self.net.on_network(x) || !self.net.on_network(y) {
            return Ref::Const(false);
        }
        let dx = self.down(x);
        let label = format!("comm:{}->{}", self.model.element(x).name, self.model.element(y).name);
        let unrolled = self.not_reached(&[(x, dx)], &[y], &label, false, &[], &[])[0];
        let dy = self.down(y);
        let reach = self.reach_gate(&[vec![(x, dx)], vec![(y, dy)]], &label, false, &[], &[]);
        self.equivalent(unrolled, reach)
    }

    /// Member `i` of group `g` may not carry the tier (docs/SEMANTICS.md §3): it is down,
    /// or, under vote quorum, its partition holds no majority.
    fn ineligible(&mut self, g: GroupId, i: usize) -> Ref {
        if let Some(&r) = self.ineligible_memo.get(&(g, i)) {
            return r;
        }
        let mark = self.loop_hits.len();
        let m = self.model.group(g).members[i];
        let dm = self.down(m);
        let dm = match self.model.group(g).takeover_requires.clone() {
            None => dm,
            Some(t) => self.precondition_ineligible(g, i, dm, &t),
        };
        let r = match self.model.votes(g) {
            None => dm,
            Some(votes) => {
                let mine = votes.nodes[votes.node_of_member[i]];
                let mut lost = Vec::new();
                for &node in &votes.nodes {
                    let dn = self.down(node);
                    if node == mine {
                        lost.push(dn);
                    } else {
                        let cut = self.no_comm(mine, node);
                        lost.push(self.or(
                            format!("vote-lost:{}:{}", self.model.element(node).name, self.model.element(m).name),
                            vec![dn, cut],
                        ));
                    }
                }
                if let Some(d) = votes.device {
                    let dd = self.down(d);
                    let cut = self.no_comm(mine, d);
                    lost.push(self.or(
                        format!("vote-lost:{}:{}", self.model.element(d).name, self.model.element(m).name),
                        vec![dd, cut],
                    ));
                }
                let total = votes.total();
                let no_majority = self.at_least(
                    format!("no-quorum:{}:{}", self.model.group(g).name, self.model.element(m).name),
                    total - votes.majority() + 1,
                    lost,
                );
                self.or(
                    format!("ineligible:{}:{}", self.model.group(g).name, self.model.element(m).name),
                    vec![dm, no_majority],
                )
            }
        };
        if self.loop_hits.len() == mark {
            self.ineligible_memo.insert((g, i), r);
        }
        r
    }

    /// Member `i` down, or needing a takeover whose preconditions are down (docs/SEMANTICS.md
    /// §3): with preemption every member but the first needs one; without it, any member
    /// while another is down (which one is active is not known statically).
    fn precondition_ineligible(&mut self, g: GroupId, i: usize, dm: Ref, t: &crate::model::TakeoverRequires) -> Ref {
        let group = self.model.group(g).clone();
        let (gname, mname) = (group.name.clone(), self.model.element(group.members[i]).name.clone());
        let req = self.req_down(&t.req, &gname);
        let takeover_needed = if t.preempts {
            if i == 0 {
                return dm;
            }
            req
        } else {
            let downs: Vec<Ref> = group.members.iter().map(|&m| self.down(m)).collect();
            let any = self.or(format!("a-member-down:{gname}"), downs);
            self.and(format!("takeover-blocked:{gname}"), vec![req, any])
        };
        self.or(format!("cannot-take-over:{gname}:{mname}"), vec![dm, takeover_needed])
    }

    /// Per member of a tier: it holds no chain (docs/SEMANTICS.md §4).
    fn tier_ineligible(&mut self, node: NodeRef) -> Vec<Ref> {
        match node {
            NodeRef::Element(e) => vec![self.down(e)],
            NodeRef::Group(g) => (0..self.model.group(g).members.len()).map(|i| self.ineligible(g, i)).collect(),
            NodeRef::Service(_) => Vec::new(),
        }
    }

    /// A RAID group whose exposed rebuilds can meet unrecoverable read errors: how often
    /// that loses the data. The exact figure is the ideal view, where a restore takes no
    /// time, so the note gives the loss rate the figures with timings and `simulate` act on.
    fn note_read_errors(&mut self, group: &crate::model::Group) {
        let (
            Some(Dynamics::Rebuild { rebuild_secs, hot_spares, read_errors: Some(risk), .. }),
            Arrangement::ActiveActive { need },
        ) = (&group.dynamics, &group.arrangement)
        else {
            return;
        };
        let q = risk.failure_probability();
        let slots = group.members.len();
        let need = *need as usize;
        let failures: Vec<_> = group.members.iter().map(|&m| self.model.element(m).failure).collect();
        let rate = match failures.first().copied().flatten() {
            Some(f) if failures.iter().all(|x| *x == Some(f)) => dynamic::SolvedRaidChain::new(
                slots,
                *hot_spares as usize,
                f.mtbf_secs,
                f.mttr_secs,
                *rebuild_secs,
                self.model.repair_crews,
            )
            .map(|chain| {
                chain.exposed_rebuilds(
                    |ok_others| {
                        if risk.always_exposed {
                            ok_others >= need
                        } else {
                            ok_others == need
                        }
                    },
                )
            }),
            _ => None,
        };
        if q <= 0.0 {
            return;
        }
        let year = crate::simulate::YEAR_SECS;
        let how_often = match rate {
            Some(r) => format!(
                "about {} exposed rebuilds a year (from the Markov chain with exponential rebuild and replacement times; a fixed rebuild, as simulated, exposes fewer when spares are involved), so at most {} array losses a year from read errors (two rebuilds exposed by one incident count twice)",
                significant(r * year),
                significant(r * q * year)
            ),
            None => "their rate is not computed (disks differ in timing, or too many states)".to_string(),
        };
        let timed = if risk.exposed(slots - 1, need) {
            "the figure with timings adds q × the restore to each disk's failure"
        } else {
            "exposure needs two losses, so the figure with timings (first order) leaves these restores out"
        };
        self.tree.notes.push(format!(
            "{}: a rebuild with no redundancy left fails on an unrecoverable read error with probability {}%; {how_often}. Each loses the array's data: the backup is restored, or the array comes back empty. The exact figure takes restores as instant (the ideal view); {timed}; `spofsim simulate` plays every rebuild",
            group.name,
            significant(q * 100.0)
        ));
    }

    /// Notes for dynamic groups that could not be solved as modules.
    fn note_unsolved_dynamics(&mut self, group: &crate::model::Group) {
        let note = match &group.dynamics {
            Some(Dynamics::Rebuild { hot_spares: 0, rebuild_secs, .. }) => {
                // Slots are independent, each unprotected for MTTR + rebuild per
                // failure; a replacement disk that fails during its own rebuild starts
                // the slot over, which is left out (optimistic).
                let worst = group
                    .members
                    .iter()
                    .filter_map(|&m| self.model.element(m).failure)
                    .map(|f| rebuild_secs / f.mtbf_secs)
                    .fold(0.0, f64::max);
                let Some(beyond) = crate::mechanisms::raid::smallest_loss(group) else { return };
                let estimate = (1.0 + worst).powi(beyond as i32) - 1.0;
                format!(
                    "{}: a replacement disk that fails during its own rebuild (which starts the slot over) is left out, each slot counted unprotected for MTTR + rebuild once per failure: optimistic, by up to about {}% of this part's unavailability at first order ((1 + rebuild / MTBF)^{beyond} − 1; the closed form of tests/cases/exact/raid1-rebuild.jsonc leaves it out too); `spofsim simulate --ideal` plays it out",
                    group.name,
                    significant(estimate * 100.0)
                )
            }
            Some(Dynamics::Rebuild { hot_spares, rebuild_secs, .. }) if *hot_spares > 0 => {
                self.tree.unsolved_dynamics = true;
                let why = if group.members.len() > MAX_RAID_SLOTS {
                    format!(
                        "it has {} slots, past the {MAX_RAID_SLOTS} whose joint distribution the exact analysis holds",
                        group.members.len()
                    )
                } else if group
                    .members
                    .windows(2)
                    .any(|w| self.model.element(w[0]).failure != self.model.element(w[1]).failure)
                {
                    "its disks differ in lifetime or repair, and the chain lumps identical slots".to_string()
                } else {
                    format!("{hot_spares} hot spares make its chain too large")
                };
                // With a spare free a slot is unprotected for the rebuild alone, without
                // one for the repair too: per slot (MTTR + rebuild) / rebuild, to the
                // power of the failures that lose the data.
                let ratio = group
                    .members
                    .iter()
                    .filter_map(|&m| self.model.element(m).failure)
                    .map(|f| (f.mttr_secs + rebuild_secs) / rebuild_secs.max(1e-9))
                    .fold(1.0, f64::max);
                let beyond = crate::mechanisms::raid::smallest_loss(group).unwrap_or(1);
                format!(
                    "{}: its hot spares are not credited ({why}): each slot is counted unprotected for repair + rebuild, which is pessimistic, by up to about {}x this part's unavailability at first order (((MTTR + rebuild) / rebuild)^{beyond}, where spares never run out); `spofsim simulate` plays the spares out",
                    group.name,
                    significant(ratio.powi(beyond as i32))
                )
            }
            Some(Dynamics::ColdStandby) => {
                self.tree.unsolved_dynamics = true;
                format!(
                "{}: the cold standby is analysed as hot (vote quorum, more than 6 members, or members that do not fail themselves): pessimistic; `spofsim simulate` plays it out",
                group.name
                )
            }
            _ => return,
        };
        self.tree.notes.push(note);
    }

    fn tier_down(&mut self, node: NodeRef) -> Ref {
        match node {
            NodeRef::Element(e) => self.down(e),
            NodeRef::Group(g) => self.group_down(g),
            NodeRef::Service(_) => Ref::Const(false),
        }
    }

    /// Breadth-first ranks from `entry` over links and attachments (a path
    /// decomposition of layered fabrics: one layer of switches at a time).
    fn ranks_from(&self, entry: ElementId) -> Vec<usize> {
        let n = self.model.elements.len();
        let mut rank = vec![usize::MAX; n];
        let mut next = 0usize;
        let mut queue = std::collections::VecDeque::new();
        for s in self.net.closure(entry) {
            rank[s.0 as usize] = next;
            next += 1;
            queue.push_back(s);
        }
        while let Some(v) = queue.pop_front() {
            let links = self.net.adjacency[v.0 as usize].iter().map(|&(w, _)| w);
            for w in links.chain(self.net.attached[v.0 as usize].iter().copied()) {
                if rank[w.0 as usize] == usize::MAX {
                    rank[w.0 as usize] = next;
                    next += 1;
                    queue.push_back(w);
                }
            }
        }
        // Links rank right after their later end.
        for v in 0..n {
            for &(w, link) in &self.net.adjacency[v] {
                let later = rank[v].max(rank[w.0 as usize]);
                if later != usize::MAX {
                    rank[link.0 as usize] = rank[link.0 as usize].min(later);
                }
            }
        }
        rank
    }

    /// A BDD variable order that follows the network outward from the entry, so the
    /// frontier search's conditions stay small: network elements by rank (a link
    /// after its later end), and each requirement just before the first element that
    /// needs it (shared power ahead of everything it feeds).
    fn order_hint(&self) -> Vec<u32> {
        let n = self.model.elements.len();
        let mut pos: Vec<f64> = (0..n)
            .map(|i| match self.rank[i] {
                usize::MAX => f64::INFINITY,
                r => r as f64,
            })
            .collect();
        for l in &self.model.links {
            let p = &mut pos[l.element.0 as usize];
            if p.is_finite() {
                *p += 0.5;
            }
        }
        let mut direct: Vec<Vec<ElementId>> = vec![Vec::new(); n];
        for (i, el) in self.model.elements.iter().enumerate() {
            let mut stack = vec![&el.needs];
            let mut seen_groups = BTreeSet::new();
            while let Some(r) = stack.pop() {
                match r {
                    Req::Always | Req::Path { .. } => {}
                    Req::Element(d) => direct[i].push(*d),
                    Req::Group(g) => {
                        if seen_groups.insert(*g) {
                            let group = self.model.group(*g);
                            direct[i].extend(group.members.iter().copied());
                            stack.push(&group.needs);
                        }
                    }
                    Req::All(of) | Req::AtLeast { of, .. } => stack.extend(of.iter()),
                }
            }
        }
        // Requirements move just ahead of their first dependant, transitively.
        for _ in 0..64 {
            let mut changed = false;
            for i in 0..n {
                if pos[i].is_finite() {
                    for &d in &direct[i] {
                        let p = pos[i] - 0.01;
                        if p < pos[d.0 as usize] {
                            pos[d.0 as usize] = p;
                            changed = true;
                        }
                    }
                }
            }
            if !changed {
                break;
            }
        }
        let mut events: Vec<(f64, u32)> = self
            .tree
            .events
            .iter()
            .enumerate()
            .filter_map(|(i, ev)| ev.element.map(|e| (pos[e.0 as usize], i as u32)))
            .filter(|(p, _)| p.is_finite())
            .collect();
        events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        events.into_iter().map(|(_, e)| e).collect()
    }

    fn service(mut self, s: usize) -> Result<ServiceTree, TooLarge> {
        let svc = self.model.services[s].clone();
        self.tree.name = svc.name.clone();
        self.rank = self.ranks_from(svc.from);
        let mut terms = Vec::new();
        let entry_down = self.down(svc.from);
        terms.push((format!("entry {} down", self.model.element(svc.from).name), entry_down));
        // The chain (docs/SEMANTICS.md §4), once per choice of holders for the groups
        // whose standby members forward nothing (`model::roles`): the service needs
        // some choice to carry it, so each hop's term is the conjunction over choices.
        let choices = match self.roles.choices.clone() {
            Some(choices) => choices,
            None => {
                self.tree.notes.push(format!(
                    "more than {} {} for the groups whose standby members forward nothing: every member is taken to forward, so a path may cross a standby (optimistic where one must)",
                    crate::model::roles::MAX_HOLDER_CHOICES,
                    crate::model::roles::CHOICE_CAP_WORDS
                ));
                vec![Vec::new()]
            }
        };
        if self.roles.bonds_left_out {
            if let Some(note) = self.split_bond_note(&svc) {
                self.tree.notes.push(note);
            }
        }
        // A tier that needs k ≥ 2 members (a pool's capacity, a shared-nothing cluster's
        // partitions) holds only when k of them lie on a chain (docs/SEMANTICS.md §4):
        // reached by the chain from the tier before and carrying it on to the last
        // tier. Counting every member that works, as this did before, was optimistic
        // (found by an independent trial: 6.3 % unavailability where counting only the
        // members the balancer reaches gives 15.3 %; DERIVATIONS case 25: 26x).
        let needs: Vec<usize> = svc.through.iter().map(|&t| self.model.tier_need(t)).collect();
        // Those tiers, by name with their k.
        let needy: Vec<(String, usize)> = svc
            .through
            .iter()
            .zip(&needs)
            .filter(|(_, &k)| k >= 2)
            .map(|(&t, &k)| (self.model.name_of(t).to_string(), k))
            .collect();
        let mut short_terms: Vec<Ref> = Vec::new();
        // The k members may lie on chains through different members of another tier
        // that serves from one member at a time (a single-answer GSLB, a database
        // cluster): only the groups whose standbys forward nothing are chosen one holder
        // per choice, so for the others this count is the union over their members.
        if !needy.is_empty() {
            let chosen: BTreeSet<GroupId> = choices.iter().flatten().map(|&(g, _)| g).collect();
            let short: Vec<String> = needy.iter().map(|(name, k)| format!("{name} ({k})")).collect();
            for &tier in &svc.through {
                let NodeRef::Group(g) = tier else { continue };
                let group = self.model.group(g);
                if group.arrangement == Arrangement::ActiveStandby && group.members.len() >= 2 && !chosen.contains(&g) {
                    self.tree.notes.push(format!(
                        "{} need that many members on chains, counted over chains through any member of {} {}, which serves from one member at a time: optimistic where one member alone carries chains to fewer (a single-answer GSLB whose sites each reach one pool member); `spofsim simulate` measures it",
                        short.join(", "),
                        group.kind,
                        group.name
                    ));
                }
            }
        }
        let mut tier_terms: Vec<(String, Ref)> = Vec::new();
        let mut hop_cuts: Vec<(String, Vec<Ref>)> = Vec::new();
        for choice in &choices {
            let blocked = crate::model::roles::blocked_by(self.model, choice, &svc.through);
            let suffix = if choices.len() > 1 {
                let holders: Vec<&str> = choice.iter().map(|&(_, h)| self.model.element(h).name.as_str()).collect();
                format!("@{}", holders.join(","))
            } else {
                String::new()
            };
            // `no_chain[m]` holds when no chain of eligible members reaches member m of
            // the current tier.
            let mut previous = NodeRef::Element(svc.from);
            // A chain end is a variant of a member: the NICs of its per-member bonds it
            // does not use (`model::roles::member_variants`) are in `ends_idle`.
            let entry_variants = self.variants(svc.from);
            let mut chain_ends: Vec<(ElementId, Ref)> = entry_variants.iter().map(|_| (svc.from, entry_down)).collect();
            let mut ends_idle: Vec<Vec<ElementId>> = entry_variants;
            // The same chain as Reach gates, one per prefix of the tiers (frontier search).
            let mut layers: Vec<Vec<(ElementId, Ref)>> = vec![chain_ends.clone()];
            let mut layers_idle: Vec<Vec<Vec<ElementId>>> = vec![ends_idle.clone()];
            let mut on_tiers: Vec<TierOnChain> = Vec::new();
            for (t, &tier) in svc.through.iter().enumerate() {
                let tier_name = self.model.name_of(tier).to_string();
                let td = self.tier_down(tier);
                if tier_terms.len() == t {
                    tier_terms.push((format!("tier {tier_name} down"), td));
                }
                let prev_name = self.model.name_of(previous).to_string();
                // Of a holder-only group, the chain runs through this choice's holder.
                let anchors = self.model.anchors(tier);
                let kept = crate::model::roles::chain_members(tier, &anchors, choice);
                let ineligible_all = self.tier_ineligible(tier);
                // Every variant of every kept member, with its name suffix and idle NICs.
                let mut members: Vec<ElementId> = Vec::new();
                let mut ineligible: Vec<Ref> = Vec::new();
                let mut idle: Vec<Vec<ElementId>> = Vec::new();
                let mut variant_names: Vec<String> = Vec::new();
                for &i in &kept {
                    let variants = self.variants(anchors[i]);
                    let named = variants.len() > 1;
                    for v in variants {
                        variant_names.push(if named { self.variant_name(anchors[i], &v) } else { String::new() });
                        members.push(anchors[i]);
                        ineligible.push(ineligible_all[i]);
                        idle.push(v);
                    }
                }
                let label = format!("{prev_name}->{tier_name}{suffix}");
                let unreached = self.not_reached(
                    &chain_ends,
                    &members,
                    &label,
                    false,
                    &blocked,
                    &[ends_idle.as_slice(), idle.as_slice()],
                );
                let members_ineligible: Vec<(ElementId, Ref)> =
                    members.iter().copied().zip(ineligible.clone()).collect();
                let tier_ineligible = ineligible.clone();
                chain_ends = members
                    .iter()
                    .zip(unreached.into_iter().zip(ineligible))
                    .zip(&variant_names)
                    .map(|((&m, (lost, inel)), variant)| {
                        let name = format!("no-chain:{}:{}{variant}{suffix}", svc.name, self.model.element(m).name);
                        (m, self.or(name, vec![lost, inel]))
                    })
                    .collect();
                ends_idle = idle.clone();
                on_tiers.push(TierOnChain {
                    members: members.clone(),
                    no_chain: chain_ends.iter().map(|c| c.1).collect(),
                    ineligible: tier_ineligible,
                    idle: idle.clone(),
                });
                let broken = chain_ends.iter().map(|c| c.1).collect();
                let cut = self.and(format!("no-chain:{}:{tier_name}{suffix}", svc.name), broken);
                layers.push(members_ineligible);
                layers_idle.push(idle);
                let chain_label = format!("{}:{prev_name}->{tier_name}{suffix}", svc.name);
                let reach = self.reach_gate(&layers, &chain_label, false, &blocked, &layers_idle);
                let cut = self.equivalent(cut, reach);
                if hop_cuts.len() == t {
                    hop_cuts.push((format!("{prev_name} cannot reach {tier_name}"), Vec::new()));
                }
                hop_cuts[t].1.push(cut);
                previous = tier;
            }
            if let Some(short) = self.short_of_members(&svc, &needs, &on_tiers, &blocked, &suffix) {
                short_terms.push(short);
            }
        }
        for (tier_term, (hop, cuts)) in tier_terms.into_iter().zip(hop_cuts) {
            terms.push(tier_term);
            let cut = match cuts.as_slice() {
                [one] => *one,
                _ => self.and(format!("no-chain-any-holder:{}:{hop}", svc.name), cuts),
            };
            terms.push((hop, cut));
        }
        // Some one choice of holders must put enough members of every such tier on
        // chains (a choice that does runs a chain through every tier, too).
        if !short_terms.is_empty() {
            let short_tiers: Vec<String> =
                needy.iter().map(|(name, k)| format!("{k} members of {name} on a chain")).collect();
            let cut = self.and(format!("short-of-members:{}", svc.name), short_terms);
            terms.push((format!("fewer than {}", short_tiers.join(", or fewer than ")), cut));
        }
        let top = self.or(format!("service-down:{}", svc.name), terms.iter().map(|t| t.1).collect());
        if let Some(forwarding_devices) = self.too_large {
            return Err(TooLarge { service: svc.name.clone(), forwarding_devices });
        }
        self.tree.top = Some(top);
        self.tree.order_hint = self.order_hint();
        self.share_crews();
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

/// One tier of a chain under one choice of holders, for the members-on-a-chain count:
/// per variant of a kept member, "no chain reaches it" and "it may not carry the tier".
struct TierOnChain {
    members: Vec<ElementId>,
    no_chain: Vec<Ref>,
    ineligible: Vec<Ref>,
    idle: Vec<Vec<ElementId>>,
}

impl Builder<'_> {
    /// "Some tier that needs k ≥ 2 members has fewer than k on a chain" under one choice
    /// of holders (docs/SEMANTICS.md §4), or `None` when no tier needs more than one.
    /// A member lies on a chain when the chain from the entry reaches it (`no_chain`,
    /// from the forward pass) and it carries a chain on to the last tier: a backward
    /// pass from the last tier, `off[t][v] = ineligible(v) ∨ ¬Reach({w ∈ t+1 : ¬off[t+1][w]}, v)`,
    /// paths taken as undirected (a link carries both ways and a device that forwards,
    /// forwards both ways). A member with several variants (the NICs of a per-member
    /// bond) is on a chain when one of its variants is. Gates: one unrolled `Reach` per
    /// hop after the first such tier.
    fn short_of_members(
        &mut self,
        svc: &crate::model::Service,
        needs: &[usize],
        tiers: &[TierOnChain],
        blocked: &[bool],
        suffix: &str,
    ) -> Option<Ref> {
        let first = needs.iter().position(|&k| k >= 2)?;
        let last = tiers.len().checked_sub(1)?;
        let mut off: Vec<Vec<Ref>> = vec![Vec::new(); tiers.len()];
        off[last] = tiers[last].ineligible.clone();
        for t in (first..last).rev() {
            let seeds: Vec<(ElementId, Ref)> =
                tiers[t + 1].members.iter().copied().zip(off[t + 1].iter().copied()).collect();
            let from = self.model.name_of(svc.through[t + 1]).to_string();
            let to = self.model.name_of(svc.through[t]).to_string();
            let label = format!("{}:{to}<-{from}{suffix}", svc.name);
            let idle = [tiers[t + 1].idle.as_slice(), tiers[t].idle.as_slice()];
            let lost = self.not_reached(&seeds, &tiers[t].members, &label, false, blocked, &idle);
            off[t] = lost
                .into_iter()
                .zip(&tiers[t].ineligible)
                .zip(&tiers[t].members)
                .map(|((lost, &inel), &m)| {
                    let name = format!("no-chain-onward:{label}:{}", self.model.element(m).name);
                    self.or(name, vec![lost, inel])
                })
                .collect();
        }
        let mut shorts = Vec::new();
        for t in (first..=last).filter(|&t| needs[t] >= 2) {
            let tier = self.model.name_of(svc.through[t]).to_string();
            let mut by_member: BTreeMap<ElementId, Vec<Ref>> = BTreeMap::new();
            for (v, &m) in tiers[t].members.iter().enumerate() {
                let name = format!("off-chain:{}:{}{suffix}", svc.name, self.model.element(m).name);
                let o = self.or(name, vec![tiers[t].no_chain[v], off[t][v]]);
                by_member.entry(m).or_default().push(o);
            }
            let offs: Vec<Ref> = by_member
                .into_iter()
                .map(|(m, variants)| {
                    let name = format!("off-chain-every-variant:{}:{}{suffix}", svc.name, self.model.element(m).name);
                    self.and(name, variants)
                })
                .collect();
            let n = offs.len();
            let name = format!("short:{}:{tier}{suffix}", svc.name);
            shorts.push(self.at_least(name, (n + 1).saturating_sub(needs[t]), offs));
        }
        Some(self.or(format!("short-of-members:{}{suffix}", svc.name), shorts))
    }

    /// The variants of chain member `m`: per choice of NIC for each of its per-member
    /// bonds, the NICs left idle (`model::roles::member_variants`).
    fn variants(&self, m: ElementId) -> Vec<Vec<ElementId>> {
        crate::model::roles::member_variants(self.model, &self.net, &self.roles.per_member, m)
    }

    /// A variant's name suffix: `@` and the NICs it uses, of the bonds it chooses for.
    fn variant_name(&self, m: ElementId, idle: &[ElementId]) -> String {
        let closure = self.net.closure(m);
        let used: Vec<&str> = self
            .roles
            .per_member
            .iter()
            .flat_map(|&g| self.model.group(g).members.iter())
            .filter(|v| closure.contains(v) && !idle.contains(v))
            .map(|&v| self.model.element(v).name.as_str())
            .collect();
        format!("@{}", used.join(","))
    }

    /// The note for a service whose chain passes a member (one that receives requests
    /// and sends them on) on a host with an active-backup bond that the holder choices
    /// leave out for their cap (`model::roles::choice_groups`): its hops are then
    /// judged with both NICs, so a request may arrive through one and leave through the
    /// other, where the bond uses one at a time (Linux bonding.rst, "active-backup");
    /// the simulator, which sends through the active NIC only, measures it.
    /// O(bonds × chain members × closure).
    fn split_bond_note(&self, svc: &crate::model::Service) -> Option<String> {
        let sending = crate::model::roles::sending_anchors(self.model, svc);
        let mut found: BTreeSet<(String, String)> = BTreeSet::new();
        for g in crate::model::roles::interface_groups(self.model, &self.net) {
            if self.roles.per_member.contains(&g) {
                continue;
            }
            let nics = &self.model.group(g).members;
            for &m in &sending {
                if self.net.closure(m).iter().any(|x| nics.contains(x)) {
                    found.insert((self.model.element(m).name.clone(), self.model.group(g).name.clone()));
                }
            }
        }
        let named: Vec<String> = found.iter().map(|(m, b)| format!("{m} (bond {b})")).collect();
        let (verb, list) = match named.split_last() {
            Some((last, [])) => ("receives requests and sends", last.clone()),
            Some((last, rest)) => ("receive requests and send", format!("{} and {last}", rest.join(", "))),
            None => return None,
        };
        Some(format!(
            "{}: {list} {verb} them on, but with its active-backup bonds there would be more than {} {}, so the bonds are not chosen: a request may arrive through one NIC and leave through the other, while such a bond uses one NIC at a time (optimistic where the two directions work only through different NICs; `spofsim simulate` sends through the active NIC only and measures it)",
            svc.name,
            crate::model::roles::MAX_HOLDER_CHOICES,
            crate::model::roles::CHOICE_CAP_WORDS,
        ))
    }
}

/// Most slots of a RAID group whose hot spares the exact analysis solves (its spares
/// not counted): the slots' joint distribution has 2^n entries (65,536 at 16), which
/// each cut set's probability sums over; the BDD counts over the exchangeable slots
/// instead (`Bdd::probability_with_blocks`). Common arrays (RAID 6 of 8 to 16 disks,
/// RAID 10 of 8 to 16) fit: a RAID 6 of 16 analyses in 0.04 s.
const MAX_RAID_SLOTS: usize = 16;

/// The most batteries of different runtimes one input's module nests
/// ([`Builder::nest_battery`]): its joint has 2ⁿ⁺¹ states, all but n + 2 of chance 0.
const MAX_NESTED_BATTERIES: usize = 8;

/// Most members in all that one shared-crew chain solves (Σ n!/(n−k)! ordered queues: 326
/// states at 5, 1,957 at 6, each solved densely in O(states³) once per service).
const MAX_SHARED_CREW_MEMBERS: usize = 5;

/// The chain group `g`'s failed members queue in for the repair crews, when it is solved
/// as one ([`Builder::dynamic_members`]): `repair_crews` set, 2–6 members that each fail
/// themselves, and either all running (active-active, no RAID) or standby (active-standby
/// without vote quorum, hot or cold).
fn crew_chain(model: &Model, g: GroupId) -> Option<CrewChain> {
    model.repair_crews?;
    let group = model.group(g);
    if !(2..=6).contains(&group.members.len()) {
        return None;
    }
    let cold = match (&group.dynamics, &group.arrangement) {
        (None, Arrangement::ActiveActive { .. }) => false,
        (None, Arrangement::ActiveStandby) if !group.vote_quorum => false,
        (Some(Dynamics::ColdStandby), Arrangement::ActiveStandby) if !group.vote_quorum => true,
        _ => return None,
    };
    let units = group
        .members
        .iter()
        .map(|&m| model.element(m).failure.map(|f| dynamic::Unit::of(&f)))
        .collect::<Option<Vec<_>>>()?;
    Some(CrewChain { group: g, units, cold })
}

/// Per element: the rebuild time a RAID slot adds to each failure of its disk, for
/// RAID groups without hot spares and for those whose spares cannot be solved as a
/// module (then the spares are not credited: pessimistic, and noted).
pub(crate) fn rebuild_windows(model: &Model) -> Vec<f64> {
    let mut extra = vec![0.0; model.elements.len()];
    for g in &model.groups {
        if let Some(Dynamics::Rebuild { rebuild_secs, .. }) = g.dynamics {
            for &m in &g.members {
                extra[m.0 as usize] = rebuild_secs;
            }
        }
    }
    extra
}

/// A figure with three significant digits, in scientific notation below 0.01.
fn significant(x: f64) -> String {
    if x != 0.0 && x.abs() < 0.01 {
        format!("{x:.2e}")
    } else if x.abs() >= 100.0 {
        format!("{x:.0}")
    } else if x.abs() >= 10.0 {
        format!("{x:.1}")
    } else if x.abs() >= 1.0 {
        format!("{x:.2}")
    } else {
        format!("{x:.3}")
    }
}
