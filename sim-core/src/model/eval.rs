//! The direct evaluator: for one set of failed elements, which elements, groups and
//! services work once every failover has completed (the ideal view, perfect detection).
//!
//! It implements `docs/SEMANTICS.md` literally, written from that page alone, and shares
//! no logic with the other engines (the fault tree of `analysis::structure`, the
//! single-failure dataflow, the simulator): it is the brute-force oracle the property
//! tests check them against. So it is written as plainly as the page reads:
//!
//! - §1 elements: the greatest fixpoint. Start from "everything not failed works" and
//!   switch off every element whose `needs` fail under the current vector (needs may
//!   ask for groups and network paths, evaluated against that same vector) until
//!   nothing changes.
//! - §2 `Reach(S, b)`: one explicit breadth-first search per question.
//! - §3 groups: vote quorum counted member by member, with a pairwise `Comm` between
//!   the member's node and every other voting node and the device.
//! - §4 services: the chain as layers, `L_0 = {entry}` and `L_i` = the eligible members
//!   of tier `T_i` reached from some member of `L_(i-1)`; a chain exists iff `L_k` is
//!   not empty.
//!
//! Complexity, with n elements and l links and attachments: one `Reach` is O(n + l)
//! (closures are precomputed). An active-standby cluster with vote quorum and m
//! members costs O(m² · (n + l)) (one `Comm` per member and node); any other group
//! O(m). The fixpoint runs at most n + 1 sweeps over every requirement, so an
//! evaluation is O(n · q · m² · (n + l)) in the worst case, q being the number of
//! requirement terms; a service adds O(Σ |T_i| · |T_(i+1)| · (n + l)) for its chain.
//! Nothing is cached between questions: this is the oracle, not the fast path.

use std::collections::BTreeMap;
use std::collections::VecDeque;

use super::{Arrangement, ElementId, GroupId, Model, NetworkIndex, NodeRef, Req};

pub struct Evaluation {
    pub element_works: Vec<bool>,
    pub group_works: Vec<bool>,
    pub service_up: Vec<bool>,
}

/// The votes of a cluster with vote quorum (§3), fixed by the model's structure.
struct Ballot {
    /// Per member, in the group's member order: its node, the server hosting it (a
    /// member that is a server is its own node).
    node_of_member: Vec<ElementId>,
    /// The distinct nodes; members on one server share its vote.
    nodes: Vec<ElementId>,
    /// The quorum device, one vote.
    device: Option<ElementId>,
    /// V = distinct nodes + (1 if a device).
    total: usize,
}

/// Evaluates many failure sets of one model; the structural tables are built once.
pub struct Evaluator<'m> {
    model: &'m Model,
    net: NetworkIndex,
    /// Per element: its closure, everything attached to it transitively (itself first).
    closure: Vec<Vec<ElementId>>,
    /// Per element: whether some element of its closure has a network link. One that
    /// has none is not on the network and communicates with everyone (§3).
    on_network: Vec<bool>,
    /// Per group: its ballot when vote quorum applies, else `None`.
    ballots: Vec<Option<Ballot>>,
    /// Which elements work, after the last [`Evaluator::evaluate`].
    works: Vec<bool>,
    /// During [`Evaluator::evaluate_held`]: the group and the member that holds its
    /// role; the group's other members are alive but neither eligible nor forwarding.
    held: Option<(GroupId, ElementId)>,
    /// During [`Evaluator::evaluate_held`], once the needs are settled: the held group's
    /// other members that are the master another group's own election gives (see
    /// [`Evaluator::natural_masters`]); they forward for that group as any master does.
    held_freed: Vec<ElementId>,
    /// `held_freed` of the last held evaluation ([`Evaluator::freed_peers`]).
    last_freed: Vec<ElementId>,
    /// Whether [`Evaluator::held_freed`] is filled (see `evaluate_held_without_detours`).
    held_detours: bool,
    /// The static engines' decision at their cap on holder choices
    /// ([`crate::model::roles::choice_groups`]): `None` when they choose no holder at
    /// all, `Some(true)` when they leave the bonds out, `Some(false)` when they choose
    /// every group. The evaluator follows it (the cap is a rule of the engines, not of
    /// the definition), so its explanations agree with their figures.
    engines_choose: Option<bool>,
}

/// Evaluates the model with `failed[e]` elements failed.
pub fn evaluate(model: &Model, failed: &[bool]) -> Evaluation {
    Evaluator::new(model).evaluate(failed)
}

impl<'m> Evaluator<'m> {
    pub fn new(model: &'m Model) -> Evaluator<'m> {
        let net = NetworkIndex::new(model);
        let closure: Vec<Vec<ElementId>> = model.elements.iter().map(|e| net.closure(e.id)).collect();
        let on_network = closure.iter().map(|c| c.iter().any(|v| !net.adjacency[v.0 as usize].is_empty())).collect();
        let ballots = (0..model.groups.len() as u32).map(|g| ballot(model, GroupId(g))).collect();
        let engines_choose = crate::model::roles::choice_groups(model, &net).map(|(_, bonds_left_out)| bonds_left_out);
        Evaluator {
            model,
            net,
            closure,
            on_network,
            ballots,
            works: vec![true; model.elements.len()],
            held: None,
            held_freed: Vec::new(),
            last_freed: Vec::new(),
            held_detours: true,
            engines_choose,
        }
    }

    pub fn model(&self) -> &'m Model {
        self.model
    }

    /// [`Evaluator::evaluate`] with member `holder` of group `g` holding the group's
    /// role whatever happens, as a VRRP master whose adverts still reach its peers
    /// keeps the virtual IP (RFC 5798 §6.4.3): the other members work (they still
    /// answer probes and hold their own state) but are not eligible, and carry no
    /// traffic, since the routes through them lead to a virtual IP they do not hold,
    /// except a peer that is master of another group by that group's own election
    /// ([`Evaluator::natural_masters`]; it forwards for that group, RFC 5798 §4.2) and,
    /// in a chain, one that holds a group the service passes through. Used by lints that
    /// ask what a held role black-holes; [`Evaluator::freed_peers`] names the peers so
    /// freed.
    pub fn evaluate_held(&mut self, failed: &[bool], g: GroupId, holder: ElementId) -> Evaluation {
        self.held_with(failed, g, holder, true)
    }

    /// [`Evaluator::evaluate_held`] without freeing the peers that are master of another
    /// group: what the held role costs where that other group's election, or routing
    /// between the routers, does not carry the traffic. (A peer holding a group the
    /// service passes through still forwards in the chain: the service crosses it as
    /// that group's holder.)
    pub fn evaluate_held_without_detours(&mut self, failed: &[bool], g: GroupId, holder: ElementId) -> Evaluation {
        self.held_with(failed, g, holder, false)
    }

    fn held_with(&mut self, failed: &[bool], g: GroupId, holder: ElementId, detours: bool) -> Evaluation {
        self.held = Some((g, holder));
        self.held_detours = detours;
        let evaluation = self.evaluate(failed);
        self.held = None;
        self.last_freed = std::mem::take(&mut self.held_freed);
        evaluation
    }

    /// The held group's peers that the last [`Evaluator::evaluate_held`] let forward as
    /// masters of other groups.
    pub fn freed_peers(&self) -> &[ElementId] {
        &self.last_freed
    }

    /// Whether `e` is a peer of a held group's holder ([`Evaluator::evaluate_held`])
    /// that forwards nothing: one that is master of another group forwards for it
    /// (RFC 5798 §4.2, each router master for one virtual router and backup for the
    /// other), and so does, in a chain, one that holds a group the service passes
    /// through (the chain frees those itself, per choice of holders).
    fn held_peer(&self, e: ElementId) -> bool {
        self.held.is_some_and(|(g, holder)| {
            e != holder && self.model.group(g).members.contains(&e) && !self.held_freed.contains(&e)
        })
    }

    /// While a group's role is held ([`Evaluator::evaluate_held`]), the members of the
    /// held group that are master of another group by that group's own election: the
    /// group's standbys forward nothing (`standby_blocks_transit`), it preempts, so its
    /// master is its first member (highest priority) that is eligible, and nothing that
    /// member tracks has failed (a tracked failure may move the role; then nobody is
    /// freed, the pessimistic side). Without preemption who holds the role depends on
    /// history, so nobody is freed either.
    fn natural_masters(&self, held: GroupId) -> Vec<ElementId> {
        let model = self.model;
        let peers = &model.group(held).members;
        let mut out = Vec::new();
        for g in model.groups.iter().filter(|g| g.id != held && g.arrangement == Arrangement::ActiveStandby) {
            let profile = crate::mechanisms::profile(model, g);
            if !profile.standby_blocks_transit || !profile.preempt {
                continue;
            }
            let Some(i) = (0..g.members.len()).find(|&i| self.eligible(g.id, i)) else { continue };
            let master = g.members[i];
            let tracked_failed =
                g.track.as_ref().is_some_and(|t| t.objects.get(i).is_some_and(|o| o.iter().any(|&x| !self.works(x))));
            if peers.contains(&master) && !tracked_failed {
                out.push(master);
            }
        }
        out
    }

    pub fn evaluate(&mut self, failed: &[bool]) -> Evaluation {
        let model = self.model;
        let n = model.elements.len();
        // §1: greatest fixpoint. Start from "everything not failed works"; switch off
        // every element whose needs fail under the current vector, until stable.
        self.works = (0..n).map(|i| !failed.get(i).copied().unwrap_or(false)).collect();
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
        // The needs above were judged with every held peer blocked (pessimistic); the
        // chain frees the peers that are master of another group.
        if let Some((g, _)) = self.held.filter(|_| self.held_detours) {
            self.held_freed = self.natural_masters(g);
        }
        let group_works = (0..model.groups.len() as u32).map(|g| self.group_works(GroupId(g))).collect();
        let service_up = (0..model.services.len()).map(|s| self.service_up(s)).collect();
        Evaluation { element_works: self.works.clone(), group_works, service_up }
    }

    /// Why service `s` is down after the last [`Evaluator::evaluate`]; empty when it is
    /// up. In tier order: "entry X down", "tier T down", "C has no quorum: …" (an
    /// active-standby cluster whose working members all lack a majority of votes), and
    /// "A cannot reach B" at the first hop where no eligible member of B is reached by
    /// a chain (A is the previous tier, or the entry), when B itself works.
    pub fn service_reasons(&self, s: usize) -> Vec<String> {
        let model = self.model;
        let svc = &model.services[s];
        let mut reasons = Vec::new();
        if !self.works(svc.from) {
            reasons.push(format!("entry {} down", model.element(svc.from).name));
        }
        let outcome = self.chain_outcome(s);
        let broken = match outcome {
            ChainOutcome::Broken(i) => Some(i),
            _ => None,
        };
        let mut previous = model.element(svc.from).name.as_str();
        for (i, &tier) in svc.through.iter().enumerate() {
            let name = model.name_of(tier);
            if !self.tier_works(tier) {
                reasons.push(format!("tier {name} down"));
            }
            if let NodeRef::Group(g) = tier {
                if let Some(text) = self.no_quorum(g) {
                    reasons.push(text);
                }
            }
            // A tier that is down is not reached either: saying so would blame the
            // network for what the tier's own state explains.
            if broken == Some(i) && self.tier_works(tier) {
                reasons.push(format!("{previous} cannot reach {name}"));
            }
            previous = name;
        }
        if let ChainOutcome::Short(tiers) = outcome {
            for (i, on_chain) in tiers {
                let tier = svc.through[i];
                if self.tier_works(tier) {
                    let need = model.tier_need(tier);
                    reasons
                        .push(format!("{}: {on_chain} of the {need} members it needs on a chain", model.name_of(tier)));
                }
            }
        }
        reasons
    }
}

/// What the chain of a service comes to over every choice of role holders
/// ([`Evaluator::chain_outcome`]).
#[derive(Clone, Debug, PartialEq, Eq)]
enum ChainOutcome {
    /// Some choice runs a chain through every tier with enough members on chains.
    Carried,
    /// No choice runs a chain: the first tier whose layer is empty under the choice
    /// that gets furthest.
    Broken(usize),
    /// Chains run, but every choice that runs one leaves a tier that needs k ≥ 2
    /// members short: (tier index, members on a chain) under the first such choice.
    Short(Vec<(usize, usize)>),
}

/// §3: the ballot of group `g` if vote quorum applies to it (the cluster mechanism
/// decides that: an active-standby cluster with a quorum device or at least three
/// members); the counting below is this file's own.
fn ballot(model: &Model, g: GroupId) -> Option<Ballot> {
    let group = model.group(g);
    if !group.vote_quorum {
        return None;
    }
    let device = model.quorum_device(g);
    let node_of_member: Vec<ElementId> = group.members.iter().map(|&m| model.host_node(m)).collect();
    let mut nodes = node_of_member.clone();
    nodes.sort();
    nodes.dedup();
    let total = nodes.len() + usize::from(device.is_some());
    Some(Ballot { node_of_member, nodes, device, total })
}

impl Evaluator<'_> {
    fn works(&self, e: ElementId) -> bool {
        self.works[e.0 as usize]
    }

    /// Whether a requirement holds under the current `works` vector (the state last
    /// evaluated).
    pub fn holds(&self, req: &Req) -> bool {
        match req {
            Req::Always => true,
            Req::Element(e) => self.works(*e),
            Req::Group(g) => self.group_works(*g),
            Req::All(of) => of.iter().all(|r| self.holds(r)),
            Req::AtLeast { k, of } => of.iter().filter(|r| self.holds(r)).count() >= *k as usize,
            // A working network path from one endpoint to the other; a probe's crosses
            // switches only (§2 `Probe`).
            Req::Path { from, to, probe } => self.reach_via(&[*from], *to, *probe, &[], &[]),
        }
    }

    /// §2 `Reach(S, b)`. Traffic starts at every working element of the closure of
    /// every working a ∈ S (the seeded elements). It crosses a working link from u to
    /// w when u is reached and is forwarding or seeded, w works, and w is forwarding
    /// or in closure(b). b is reached when b works and some element of closure(b) is
    /// reached.
    fn reach(&self, sources: &[ElementId], b: ElementId) -> bool {
        self.reach_via(sources, b, false, &[], &[])
    }

    /// `Reach(S, b)`, or with `switches_only` §2 `Probe(S, b)`: the same with switches
    /// as the only forwarding devices (ARP stays within one L2 segment). Elements in
    /// `standbys` forward nothing (§4, a chain under one choice of role holders);
    /// `tier_holders` (that choice's holders of the service's tier groups) forward even
    /// as a held group's peers ([`Evaluator::evaluate_held`]).
    fn reach_via(
        &self,
        sources: &[ElementId],
        b: ElementId,
        switches_only: bool,
        standbys: &[ElementId],
        tier_holders: &[ElementId],
    ) -> bool {
        let forwarding = self.net.forwarders(switches_only);
        let n = self.model.elements.len();
        // A standby that forwards nothing in any case (a bond's idle NIC) carries
        // nothing at all: it neither sends nor receives.
        let idle = |v: ElementId| standbys.contains(&v) && !self.net.forwarding[v.0 as usize];
        let mut seeded = vec![false; n];
        let mut reached = vec![false; n];
        let mut queue = VecDeque::new();
        for &a in sources {
            if !self.works(a) {
                continue;
            }
            for &v in &self.closure[a.0 as usize] {
                if self.works(v) && !idle(v) && !seeded[v.0 as usize] {
                    seeded[v.0 as usize] = true;
                    reached[v.0 as usize] = true;
                    queue.push_back(v);
                }
            }
        }
        let mut in_closure_b = vec![false; n];
        for &v in &self.closure[b.0 as usize] {
            in_closure_b[v.0 as usize] = !idle(v);
        }
        while let Some(u) = queue.pop_front() {
            let ui = u.0 as usize;
            // Endpoints never forward: only a forwarding device or a seed sends on.
            // A held group's peer that is master of another group forwards for that group,
            // whatever the choice of holders says (its election is settled).
            let forwards = |v: ElementId| {
                forwarding[v.0 as usize]
                    && (self.held_freed.contains(&v)
                        || ((!self.held_peer(v) || tier_holders.contains(&v)) && !standbys.contains(&v)))
            };
            if !(forwards(u) || seeded[ui]) {
                continue;
            }
            for &(w, link) in &self.net.adjacency[ui] {
                let wi = w.0 as usize;
                if self.works(link) && self.works(w) && (forwards(w) || in_closure_b[wi]) && !reached[wi] {
                    reached[wi] = true;
                    queue.push_back(w);
                }
            }
        }
        self.works(b) && self.closure[b.0 as usize].iter().any(|v| reached[v.0 as usize])
    }

    /// §3 `Comm(x, y)`: `Reach({x}, y)`, except that an element whose closure has no
    /// network link at all communicates with everyone.
    fn comm(&self, x: ElementId, y: ElementId) -> bool {
        if !self.on_network[x.0 as usize] || !self.on_network[y.0 as usize] {
            return true;
        }
        self.reach(&[x], y)
    }

    /// §3: the votes in member `i`'s partition: its own node's, every other voting
    /// node's it communicates with, and the device's if it works and communicates. A
    /// node votes when its server works.
    fn votes_held(&self, ballot: &Ballot, i: usize) -> usize {
        let own = ballot.node_of_member[i];
        let mut held = usize::from(self.works(own));
        for &node in &ballot.nodes {
            if node != own && self.works(node) && self.comm(own, node) {
                held += 1;
            }
        }
        if let Some(device) = ballot.device {
            if self.works(device) && self.comm(own, device) {
                held += 1;
            }
        }
        held
    }

    /// §3: member `i` of group `g` is eligible when it works and, for a cluster with
    /// vote quorum, holds more than V / 2 votes in its partition.
    fn eligible(&self, g: GroupId, i: usize) -> bool {
        let group = self.model.group(g);
        let member = group.members[i];
        if !self.works(member) || self.held.is_some_and(|(h, holder)| h == g && member != holder) {
            return false;
        }
        // §3, failover preconditions: a member that must take over to carry is eligible
        // only while what a takeover needs works.
        if let Some(t) = &group.takeover_requires {
            let no_takeover_needed = if t.preempts { i == 0 } else { group.members.iter().all(|&m| self.works(m)) };
            if !no_takeover_needed && !self.holds(&t.req) {
                return false;
            }
        }
        match &self.ballots[g.0 as usize] {
            None => true,
            Some(ballot) => 2 * self.votes_held(ballot, i) > ballot.total,
        }
    }

    /// §3: a group works when its needs hold and, active-standby, some member is
    /// eligible; active-active with `need` k, at least k members work.
    fn group_works(&self, g: GroupId) -> bool {
        let group = self.model.group(g);
        if !self.holds(&group.needs) {
            return false;
        }
        match group.arrangement {
            Arrangement::ActiveStandby => (0..group.members.len()).any(|i| self.eligible(g, i)),
            Arrangement::ActiveActive { need } => {
                group.members.iter().filter(|&&m| self.works(m)).count() >= need as usize
            }
        }
    }

    /// §4: an element tier works when the element works; a group tier when the group
    /// works. (Services are never tiers; the lowering does not produce one.)
    fn tier_works(&self, tier: NodeRef) -> bool {
        match tier {
            NodeRef::Element(e) => self.works(e),
            NodeRef::Group(g) => self.group_works(g),
            NodeRef::Service(_) => false,
        }
    }

    /// §4: the eligible members of a tier. An element tier's member is the element,
    /// eligible when it works; a group tier's members are the group's.
    fn eligible_members(&self, tier: NodeRef) -> Vec<ElementId> {
        match tier {
            NodeRef::Element(e) => [e].into_iter().filter(|&e| self.works(e)).collect(),
            NodeRef::Group(g) => {
                let members = &self.model.group(g).members;
                (0..members.len()).filter(|&i| self.eligible(g, i)).map(|i| members[i]).collect()
            }
            NodeRef::Service(_) => Vec::new(),
        }
    }

    /// §4, the chain, layer by layer, once per choice of role holders: `L_0 = {entry}`,
    /// `L_i` = the eligible members m of tier i with `Reach({p}, m)` for some p in
    /// `L_(i-1)`, where a group tier whose standbys forward nothing offers only its
    /// chosen holder and every other member of such a group forwards nothing. Returns
    /// the first tier index whose layer is empty under the choice that gets furthest
    /// (no chain), or `Carried` when some choice runs a chain through every tier and,
    /// for every tier that needs k ≥ 2 members, puts k of them on chains (a member is
    /// on a chain when `L_i` holds it and it reaches, hop by hop, some eligible member
    /// of every later tier).
    ///
    /// A host-local group none of whose members forwards (an active-backup bond: its
    /// idle NIC carries nothing) changes a `Reach` only where its members lie in the
    /// closure of the source or of the target (nothing is sent on through them). When
    /// they lie in the closures of one chain position only (the entry, or the members
    /// of one tier), its choice is made per member instead of globally: a layer holds
    /// (member, holders of the member's own such groups), and the hops into and out of
    /// that member both use those holders, so a request leaves through the NIC it
    /// arrived on. This is the same "some choice carries the chain" as enumerating
    /// every combination, whose count is the product over all hosts (2^40 for 40
    /// bonded servers); here it is a sum. Groups touching two positions (two tiers on
    /// one host) stay in the global enumeration, up to the static engines' cap
    /// ([`crate::model::roles::MAX_HOLDER_CHOICES`]). O(global choices × tiers ×
    /// (members × local choices)² × (V + E)), global choices ≤ 256.
    fn chain_outcome(&self, s: usize) -> ChainOutcome {
        let model = self.model;
        let svc = &model.services[s];
        // Every group whose standby members forward nothing, as the simulator plays it
        // (`standby_blocks_transit`), with its members: one holder each, all choices.
        // Groups with a forwarding member (an endpoint forwards nothing anyway), and
        // host-local ones (an active-backup bond, whose idle NIC carries nothing).
        let forwarding = self.net.forwarders(false);
        let exclusive: Vec<(GroupId, &Vec<ElementId>)> = model
            .groups
            .iter()
            .filter(|g| g.arrangement == Arrangement::ActiveStandby)
            .filter(|g| {
                g.members.iter().any(|m| forwarding[m.0 as usize]) || crate::mechanisms::profile(model, g).host_local
            })
            .filter(|g| crate::mechanisms::profile(model, g).standby_blocks_transit)
            .map(|g| (g.id, &g.members))
            .collect();
        // Chain positions: 0 the entry, i + 1 tier i. Which positions' closures hold a
        // member of each host-local, non-forwarding group.
        let positions: Vec<Vec<ElementId>> = std::iter::once(vec![svc.from])
            .chain(svc.through.iter().map(|&t| match t {
                NodeRef::Element(e) => vec![e],
                NodeRef::Group(g) => model.group(g).members.clone(),
                NodeRef::Service(_) => Vec::new(),
            }))
            .collect();
        let mut at_position: BTreeMap<ElementId, Vec<usize>> = BTreeMap::new();
        for (k, members) in positions.iter().enumerate() {
            for &m in members {
                for &v in &self.closure[m.0 as usize] {
                    at_position.entry(v).or_default().push(k);
                }
            }
        }
        let is_local = |members: &[ElementId]| {
            let mut touched: Vec<usize> =
                members.iter().flat_map(|v| at_position.get(v).into_iter().flatten().copied()).collect();
            touched.sort();
            touched.dedup();
            touched.len() <= 1 && members.iter().all(|m| !self.net.forwarding[m.0 as usize])
        };
        let host_local = |g: GroupId| crate::mechanisms::profile(model, model.group(g)).host_local;
        let (local, mut global): (Vec<_>, Vec<_>) =
            exclusive.into_iter().partition(|&(g, members)| host_local(g) && is_local(members));
        // Past the static engines' cap on the product of holder choices, they stop
        // choosing and let every member forward, and say so (docs/SEMANTICS.md §4): bonds
        // first, then, when the holder groups alone pass it, every group. The evaluator
        // takes their decision, so explanations agree with their figures, and a design
        // of many bonded two-tier hosts cannot make this search exponential.
        let over = |groups: &[(GroupId, &Vec<ElementId>)]| {
            groups
                .iter()
                .try_fold(1usize, |acc, (_, members)| acc.checked_mul(members.len()))
                .is_none_or(|c| c > crate::model::roles::MAX_HOLDER_CHOICES)
        };
        match self.engines_choose {
            None => global.clear(),
            Some(true) => global.retain(|&(g, _)| !host_local(g)),
            Some(false) => {}
        }
        // A safety net: groups the engines do not count can still pass the cap here.
        if over(&global) {
            global.retain(|&(g, _)| !host_local(g));
            if over(&global) {
                global.clear();
            }
        }
        // Per element of a chain position: its local groups' holder choices, each as
        // the idle members it blocks (one empty choice when it has none). Written apart
        // from `roles::member_variants` on purpose: this is the oracle the engines that
        // use that function are tested against.
        let local_choices = |m: ElementId| -> Vec<Vec<ElementId>> {
            let closure = &self.closure[m.0 as usize];
            let mut choices: Vec<Vec<ElementId>> = vec![Vec::new()];
            for (_, members) in local.iter().filter(|(_, ms)| ms.iter().any(|v| closure.contains(v))) {
                choices = choices
                    .into_iter()
                    .flat_map(|idle| {
                        members.iter().map(move |&holder| {
                            let mut next = idle.clone();
                            next.extend(members.iter().copied().filter(|&x| x != holder));
                            next
                        })
                    })
                    .collect();
            }
            choices
        };
        let needs: Vec<usize> = svc.through.iter().map(|&t| model.tier_need(t)).collect();
        let mut pick = vec![0usize; global.len()];
        let mut furthest: Option<usize> = Some(0);
        let mut short: Option<Vec<(usize, usize)>> = None;
        loop {
            let holder_of = |g: GroupId| global.iter().position(|x| x.0 == g).map(|k| global[k].1[pick[k]]);
            // A member holding a group the service passes through forwards, even where
            // it is another's standby (RFC 5798 §4.2: each router master for one
            // virtual router, backup for the other); holding a group the service does
            // not name frees nothing (its own election decides who holds it).
            let tier_holders: Vec<ElementId> = global
                .iter()
                .zip(&pick)
                .filter(|((g, _), _)| svc.through.contains(&NodeRef::Group(*g)))
                .map(|((_, members), &k)| members[k])
                .collect();
            let standbys: Vec<ElementId> = global
                .iter()
                .zip(&pick)
                .flat_map(|((_, members), &k)| {
                    members.iter().enumerate().filter(move |&(i, _)| i != k).map(|(_, &m)| m)
                })
                .filter(|m| !tier_holders.contains(m))
                .collect();
            // The candidates of tier i: its eligible members (the chosen holder only,
            // for a holder group), each with every choice of its local groups.
            let candidates = |i: usize| -> Vec<(ElementId, Vec<ElementId>)> {
                let tier = svc.through[i];
                let holder = match tier {
                    NodeRef::Group(g) => holder_of(g),
                    _ => None,
                };
                self.eligible_members(tier)
                    .into_iter()
                    .filter(|&m| holder.is_none_or(|h| h == m))
                    .flat_map(|m| local_choices(m).into_iter().map(move |idle| (m, idle)))
                    .collect()
            };
            let hop = |(p, p_idle): &(ElementId, Vec<ElementId>), (m, idle): &(ElementId, Vec<ElementId>)| {
                let blocked: Vec<ElementId> = standbys.iter().chain(p_idle).chain(idle).copied().collect();
                self.reach_via(&[*p], *m, false, &blocked, &tier_holders)
            };
            let mut layer: Vec<(ElementId, Vec<ElementId>)> =
                local_choices(svc.from).into_iter().map(|idle| (svc.from, idle)).collect();
            let mut forward: Vec<Vec<(ElementId, Vec<ElementId>)>> = Vec::new();
            let mut broken = None;
            for i in 0..svc.through.len() {
                let next: Vec<(ElementId, Vec<ElementId>)> =
                    candidates(i).into_iter().filter(|c| layer.iter().any(|p| hop(p, c))).collect();
                if next.is_empty() {
                    broken = Some(i);
                    break;
                }
                forward.push(next.clone());
                layer = next;
            }
            // A tier that needs k ≥ 2 members: k of them on a chain, reached from the
            // entry (forward) and carrying it on to the last tier (backward, walked
            // here in the request's direction).
            let mut shortfall = Vec::new();
            if broken.is_none() {
                if let Some(first) = needs.iter().position(|&k| k >= 2) {
                    let last = svc.through.len() - 1;
                    let mut onward = candidates(last);
                    for i in (first..=last).rev() {
                        if i < last {
                            onward = candidates(i).into_iter().filter(|c| onward.iter().any(|n| hop(c, n))).collect();
                        }
                        if needs[i] >= 2 {
                            let mut on_chain: Vec<ElementId> =
                                forward[i].iter().filter(|c| onward.contains(c)).map(|c| c.0).collect();
                            on_chain.sort();
                            on_chain.dedup();
                            if on_chain.len() < needs[i] {
                                shortfall.push((i, on_chain.len()));
                            }
                        }
                    }
                    shortfall.sort();
                }
            }
            if broken.is_none() && shortfall.is_empty() {
                return ChainOutcome::Carried;
            }
            if broken.is_none() && short.is_none() {
                short = Some(shortfall);
            }
            furthest = match (furthest, broken) {
                (_, None) | (None, _) => None,
                (Some(a), Some(b)) => Some(a.max(b)),
            };
            // The next choice, odometer style; done when it wraps.
            let mut k = 0;
            while k < pick.len() {
                pick[k] += 1;
                if pick[k] < global[k].1.len() {
                    break;
                }
                pick[k] = 0;
                k += 1;
            }
            if k == pick.len() {
                return match (short, furthest) {
                    (Some(tiers), _) => ChainOutcome::Short(tiers),
                    (None, Some(i)) => ChainOutcome::Broken(i),
                    (None, None) => ChainOutcome::Carried,
                };
            }
        }
    }

    /// §4: the service is up when its entry works, every tier works, and a chain of
    /// eligible members runs from the entry through every tier.
    fn service_up(&self, s: usize) -> bool {
        let svc = &self.model.services[s];
        self.works(svc.from)
            && svc.through.iter().all(|&t| self.tier_works(t))
            && self.chain_outcome(s) == ChainOutcome::Carried
    }

    /// The requirements of `group`'s needs that fail in the state last evaluated, in the
    /// architect's words ("ns-1 down", "no working path from internet to ns-2"), sorted; empty
    /// when its needs hold.
    pub fn failing_needs(&self, group: GroupId) -> Vec<String> {
        self.failing(&self.model.groups[group.0 as usize].needs)
    }

    /// The parts of `req` that fail, sorted, each once.
    fn failing(&self, req: &Req) -> Vec<String> {
        let mut out = Vec::new();
        self.collect_failing(req, &mut out);
        out.sort();
        out.dedup();
        out
    }

    /// The failover preconditions of `group` (`require`, a fencing device) that fail in
    /// the state last evaluated, in the same words as [`Evaluator::failing_needs`];
    /// empty when it has none or they hold.
    pub fn failing_takeover_requires(&self, group: GroupId) -> Vec<String> {
        self.model.groups[group.0 as usize].takeover_requires.as_ref().map_or_else(Vec::new, |t| self.failing(&t.req))
    }

    fn collect_failing(&self, req: &Req, out: &mut Vec<String>) {
        if self.holds(req) {
            return;
        }
        match req {
            Req::Always => {}
            Req::Element(e) => out.push(format!("{} down", self.model.element(*e).name)),
            Req::Group(g) => out.push(format!("{} {} down", self.model.group(*g).kind, self.model.group(*g).name)),
            Req::All(of) | Req::AtLeast { of, .. } => of.iter().for_each(|r| self.collect_failing(r, out)),
            // An end that is down is the reason, not the path.
            Req::Path { from, to, .. } => match [*from, *to].into_iter().find(|&e| !self.works(e)) {
                Some(e) => out.push(format!("{} down", self.model.element(e).name)),
                None => out.push(format!(
                    "no working path from {} to {}",
                    self.model.element(*from).name,
                    self.model.element(*to).name
                )),
            },
        }
    }

    /// Why a cluster with vote quorum has no member that may take over, in an
    /// architect's words: "b-db/db cannot take over: it holds 1 of 4 votes, a majority
    /// is 3 (s-db-1, s-db-2 and s-qd were lost with seoul)". `None` unless some member
    /// works and none holds a majority, in the state last evaluated.
    pub fn quorum_shortfall(&self, g: GroupId) -> Option<String> {
        let ballot = self.ballots[g.0 as usize].as_ref()?;
        let group = self.model.group(g);
        let (best_votes, best) = (0..group.members.len())
            .filter(|&i| self.works(group.members[i]))
            .map(|i| (self.votes_held(ballot, i), i))
            .max_by_key(|&(votes, i)| (votes, std::cmp::Reverse(i)))?;
        if 2 * best_votes > ballot.total {
            return None;
        }
        let own = ballot.node_of_member[best];
        // The voters it does not count, by cause: a site that took them, down, or cut off.
        let mut causes: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for v in ballot.nodes.iter().copied().chain(ballot.device) {
            if v == own && self.works(v) {
                continue;
            }
            let cause = if !self.works(v) {
                match self.model.element(v).site.filter(|&site| !self.works(site)) {
                    Some(site) => format!("lost with {}", self.model.element(site).name),
                    None => "down".to_string(),
                }
            } else if self.comm(own, v) {
                continue;
            } else {
                "cut off from it".to_string()
            };
            causes.entry(cause).or_default().push(self.model.element(v).name.as_str());
        }
        let why: Vec<String> = causes
            .into_iter()
            .map(|(cause, names)| {
                let verb = if names.len() == 1 { "was" } else { "were" };
                let list = match names.as_slice() {
                    [one] => one.to_string(),
                    [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
                    [] => String::new(),
                };
                format!("{list} {verb} {cause}")
            })
            .collect();
        Some(format!(
            "{} cannot take over: it holds {best_votes} of {} votes and quorum needs {} ({})",
            self.model.element(group.members[best]).name,
            ballot.total,
            ballot.total / 2 + 1,
            why.join("; ")
        ))
    }

    /// "C has no quorum: …" when `g` is a cluster with vote quorum, some member works,
    /// and no working member holds a majority of votes.
    fn no_quorum(&self, g: GroupId) -> Option<String> {
        let ballot = self.ballots[g.0 as usize].as_ref()?;
        let group = self.model.group(g);
        let best = (0..group.members.len())
            .filter(|&i| self.works(group.members[i]))
            .map(|i| self.votes_held(ballot, i))
            .max()?;
        (2 * best <= ballot.total).then(|| {
            format!(
                "{} has no quorum: no working member holds a majority of votes (the best holds {best} of {})",
                group.name, ballot.total
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Model {
        let loaded = crate::scenario::load(text);
        assert!(!loaded.has_errors(), "{:#?}", loaded.diagnostics);
        loaded.model.expect("the scenario loads")
    }

    fn id(model: &Model, name: &str) -> ElementId {
        model.element_by_name(name).unwrap_or_else(|| panic!("no element {name}")).id
    }

    fn failing(model: &Model, names: &[&str]) -> Vec<bool> {
        let mut failed = vec![false; model.elements.len()];
        for name in names {
            failed[id(model, name).0 as usize] = true;
        }
        failed
    }

    /// Whether service `s` is up with `names` failed, and its reasons.
    fn service(model: &Model, s: usize, names: &[&str]) -> (bool, Vec<String>) {
        let mut ev = Evaluator::new(model);
        let up = ev.evaluate(&failing(model, names)).service_up[s];
        let reasons = ev.service_reasons(s);
        assert_eq!(up, reasons.is_empty(), "failing {names:?}: up={up}, reasons {reasons:?}");
        (up, reasons)
    }

    /// The eligible members of group `group`, by name, with `names` failed.
    fn eligible(model: &Model, group: &str, names: &[&str]) -> Vec<String> {
        let g = model.groups.iter().find(|g| g.name == group).expect("group").id;
        let mut ev = Evaluator::new(model);
        ev.evaluate(&failing(model, names));
        let members = &model.group(g).members;
        (0..members.len()).filter(|&i| ev.eligible(g, i)).map(|i| model.element(members[i]).name.clone()).collect()
    }

    const TWO_LBS: &str = r#"{ "components": { "internet": {"kind":"entry"}, "lb-1": {"kind":"load-balancer"}, "lb-2": {"kind":"load-balancer"},
        "sw": {"kind":"switch"}, "web-1": {"kind":"server","nics":["sw"],"runs":["web"]} },
      "links": [ {"between":["internet","lb-1"]}, {"between":["internet","lb-2"]}, {"between":["lb-2","sw"]} ],
      "groups": { "vip": {"kind":"vrrp","members":["lb-1","lb-2"]} },
      "services": { "s": {"from":"internet","through":["vip","web-1/web"]} } }"#;

    #[test]
    fn a_chain_enters_and_leaves_through_the_same_member() {
        let m = load(TWO_LBS);
        assert_eq!(service(&m, 0, &[]), (true, vec![]));
        // lb-1 is reached but cannot forward to web-1 (its only way out is back
        // through internet~lb-2); lb-2 forwards but cannot be reached.
        assert_eq!(service(&m, 0, &["internet~lb-2"]), (false, vec!["vip cannot reach web-1/web".to_string()]));
        assert_eq!(service(&m, 0, &["lb-1"]), (true, vec![]));
        assert_eq!(service(&m, 0, &["lb-2"]), (false, vec!["vip cannot reach web-1/web".to_string()]));
        assert_eq!(service(&m, 0, &["web-1"]), (false, vec!["tier web-1/web down".to_string()]));
        // The VRRP pair (no vote quorum: not a cluster) works while either member does.
        let ev = evaluate(&m, &failing(&m, &["lb-1"]));
        assert_eq!(ev.group_works, vec![true]);
        let ev = evaluate(&m, &failing(&m, &["lb-1", "lb-2"]));
        assert_eq!(ev.group_works, vec![false]);
    }

    /// A tier that needs k ≥ 2 members counts only those on a chain (§4): reached from
    /// the tier before, and carrying the chain on to the last tier.
    #[test]
    fn a_pool_that_needs_two_counts_only_members_on_a_chain() {
        let forward = load(include_str!("../../../tests/cases/exact/pool-reached-forward.jsonc"));
        assert_eq!(service(&forward, 0, &[]), (true, vec![]));
        // web-2 and web-3 work but hang behind the failed link: only web-1 is reached.
        let short = vec!["pool: 1 of the 2 members it needs on a chain".to_string()];
        assert_eq!(service(&forward, 0, &["sw-a~sw-b"]), (false, short));
        assert_eq!(service(&forward, 0, &["web-2"]), (true, vec![]));
        let onward = load(include_str!("../../../tests/cases/exact/pool-reached-onward.jsonc"));
        // web-3 is reached from the balancer but cannot reach the database: with web-1
        // down, one member is left on a chain although two work.
        assert_eq!(service(&onward, 0, &["sw-c~sw-b"]), (true, vec![]));
        let short = vec!["pool: 1 of the 2 members it needs on a chain".to_string()];
        assert_eq!(service(&onward, 0, &["sw-c~sw-b", "web-1"]), (false, short));
        assert_eq!(service(&onward, 0, &["web-1"]), (true, vec![]));
        let nodes = load(include_str!("../../../tests/cases/exact/shared-nothing-reached.jsonc"));
        let short = vec!["c: 1 of the 2 members it needs on a chain".to_string()];
        assert_eq!(service(&nodes, 0, &["sw-a~sw-b"]), (false, short));
    }

    /// One bonded host runs two tiers: the bond's choice is one for both hops.
    const TWO_TIERS_ON_A_BONDED_HOST: &str = r#"{ "components": { "internet": {"kind":"entry"}, "lb": {"kind":"load-balancer"},
        "sw-a": {"kind":"switch"}, "sw-b": {"kind":"switch"},
        "x": {"kind":"server","bond":{"to":["sw-a","sw-b"]},"runs":["web","ap"]},
        "db": {"kind":"server","nics":["sw-b"],"runs":["db"]} },
      "links": [ {"between":["internet","lb"]}, {"between":["lb","sw-a"]}, {"between":["sw-a","sw-b"]} ],
      "services": { "s": {"from":"internet","through":["x/web","x/ap","db/db"]} } }"#;

    #[test]
    fn a_bond_on_a_host_of_two_tiers_sends_both_hops_through_one_nic() {
        let m = load(TWO_TIERS_ON_A_BONDED_HOST);
        assert_eq!(service(&m, 0, &[]), (true, vec![]));
        // The request must arrive from sw-a and leave to sw-b: with the switches apart,
        // no one NIC does both. Judged per tier, eth0 would carry the first hop and
        // eth1 the last.
        assert_eq!(service(&m, 0, &["sw-a~sw-b"]), (false, vec!["x/ap cannot reach db/db".to_string()]));
    }

    /// The chain under every combination of holders, every bond included in one
    /// product: the definition (docs/SEMANTICS.md §4) before bonds were chosen per
    /// member. `None` when the product passes `limit`.
    fn chain_enumerating_every_choice(ev: &Evaluator, s: usize, limit: usize) -> Option<bool> {
        let model = ev.model;
        let svc = &model.services[s];
        let forwarding = ev.net.forwarders(false);
        let exclusive_groups: Vec<&crate::model::Group> = model
            .groups
            .iter()
            .filter(|g| g.arrangement == Arrangement::ActiveStandby)
            .filter(|g| {
                let p = crate::mechanisms::profile(model, g);
                (g.members.iter().any(|m| forwarding[m.0 as usize]) || p.host_local) && p.standby_blocks_transit
            })
            .collect();
        let exclusive: Vec<&Vec<ElementId>> = exclusive_groups.iter().map(|g| &g.members).collect();
        let is_tier: Vec<bool> = exclusive_groups.iter().map(|g| svc.through.contains(&NodeRef::Group(g.id))).collect();
        let product = exclusive.iter().try_fold(1usize, |acc, m| acc.checked_mul(m.len()))?;
        if product > limit {
            return None;
        }
        for mut k in 0..product {
            let mut holders: Vec<ElementId> = Vec::new();
            let mut standbys: Vec<ElementId> = Vec::new();
            for members in &exclusive {
                let pick = k % members.len();
                k /= members.len();
                holders.push(members[pick]);
                standbys.extend(members.iter().enumerate().filter(|&(i, _)| i != pick).map(|(_, &m)| m));
            }
            // The holder of a tier group forwards, whatever else holds it as standby.
            let tier_holders: Vec<ElementId> =
                holders.iter().zip(&is_tier).filter(|(_, &t)| t).map(|(&h, _)| h).collect();
            standbys.retain(|m| !tier_holders.contains(m));
            let mut layer = vec![svc.from];
            let mut carried = true;
            for &tier in &svc.through {
                let holder = match tier {
                    NodeRef::Group(g) => exclusive_groups.iter().position(|x| x.id == g).map(|i| holders[i]),
                    _ => None,
                };
                layer = ev
                    .eligible_members(tier)
                    .into_iter()
                    .filter(|&m| holder.is_none_or(|h| h == m))
                    .filter(|&m| layer.iter().any(|&p| ev.reach_via(&[p], m, false, &standbys, &tier_holders)))
                    .collect();
                if layer.is_empty() {
                    carried = false;
                    break;
                }
            }
            if carried {
                return Some(true);
            }
        }
        Some(false)
    }

    /// Choosing a bond's NIC per chain member gives the chain that enumerating every
    /// combination of NICs and holders gives, on generated multi-tier designs (bonds,
    /// VRRP pairs, pools, clusters) in random failure states.
    #[test]
    fn bonds_chosen_per_member_match_every_combination() {
        let mut compared = 0;
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        for design in 0..60 {
            let m = load(&crate::generate::multi_tier(design));
            let mut ev = Evaluator::new(&m);
            for round in 0..150u64 {
                // Few failures and many, links and NICs more often than devices (where
                // a bond's choice matters: one NIC's path leads back, the other's on).
                let rate = [4, 8, 16][round as usize % 3];
                let failed: Vec<bool> = m
                    .elements
                    .iter()
                    .map(|e| {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        let wired = matches!(e.kind, "link" | "nic");
                        state.is_multiple_of(if wired { rate / 2 } else { rate })
                    })
                    .collect();
                ev.evaluate(&failed);
                for s in 0..m.services.len() {
                    let svc = &m.services[s];
                    if !ev.works(svc.from) || !svc.through.iter().all(|&t| ev.tier_works(t)) {
                        continue;
                    }
                    let Some(every) = chain_enumerating_every_choice(&ev, s, 4096) else { continue };
                    assert_eq!(
                        !matches!(ev.chain_outcome(s), ChainOutcome::Broken(_)),
                        every,
                        "design {design}, service {s}"
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 500, "only {compared} states compared");
    }

    const QUORUM_DEVICE: &str = r#"{ "defaults": {"server":{"availability":"100%"},"nic":{"availability":"100%"},"switch":{"availability":"100%"},
        "link":{"availability":"100%"},"process":{"mtbf":"180d","mttr":"15m"}},
      "components": {"internet":{"kind":"entry"},"sw":{"kind":"switch"},"qdev":{"kind":"quorum-device","mtbf":"2y","mttr":"12h"},
        "db-1":{"kind":"server","nics":["sw"],"runs":["db"]},"db-2":{"kind":"server","nics":["sw"],"runs":["db"]}},
      "links": [{"between":["internet","sw"]}],
      "groups": {"db":{"kind":"cluster","mode":"active-standby","members":["db-1/db","db-2/db"],"quorum":"qdev"}},
      "services": {"orders":{"from":"internet","through":["db"]}} }"#;

    /// Thirty bonded servers that each run two tiers: 2³⁰ choices of NIC, far past the
    /// static engines' cap, where they let every NIC carry (and say so). The evaluator
    /// follows the same rule instead of enumerating them all (which never finished), and
    /// agrees with the fault tree on every single failure and on 300 pairs.
    #[test]
    fn past_the_choice_cap_the_evaluator_stops_choosing_as_the_fault_tree_does() {
        let servers: Vec<String> = (1..=30)
            .map(|i| {
                format!(
                    r#""web-{i}": {{ "kind": "server", "runs": ["web", "ap"], "bond": {{ "to": ["sw-1", "sw-2"] }} }}"#
                )
            })
            .collect();
        let members = |p: &str| (1..=30).map(|i| format!(r#""web-{i}/{p}""#)).collect::<Vec<String>>().join(", ");
        let text = format!(
            r#"{{ "components": {{ "internet": {{ "kind": "entry" }}, "lb": {{ "kind": "load-balancer" }},
                "sw-1": {{ "kind": "switch" }}, "sw-2": {{ "kind": "switch" }}, {},
                "db-1": {{ "kind": "server", "runs": ["db"], "nics": ["sw-2"] }} }},
              "links": [ {{ "between": ["internet", "lb"] }}, {{ "between": ["lb", "sw-1"] }}, {{ "between": ["lb", "sw-2"] }} ],
              "groups": {{ "web-pool": {{ "kind": "lb-pool", "balancer": "lb", "members": [{}] }},
                           "ap-pool": {{ "kind": "lb-pool", "balancer": "lb", "members": [{}] }} }},
              "services": {{ "s": {{ "from": "internet", "through": ["web-pool", "ap-pool", "db-1/db"] }} }} }}"#,
            servers.join(", "),
            members("web"),
            members("ap")
        );
        let model = load(&text);
        let structure = crate::analysis::structure::service_structures(&model).remove(0).expect("tree");
        assert!(
            structure.tree.notes.iter().any(|n| n.contains("more than 256 choices")),
            "{:#?}",
            structure.tree.notes
        );
        let failable: Vec<ElementId> = model.elements.iter().filter(|e| e.failure.is_some()).map(|e| e.id).collect();
        let mut states: Vec<Vec<ElementId>> = failable.iter().map(|&e| vec![e]).collect();
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(7);
        states.extend((0..300).map(|_| {
            use rand::RngExt;
            vec![failable[rng.random_range(0..failable.len())], failable[rng.random_range(0..failable.len())]]
        }));
        let mut ev = Evaluator::new(&model);
        let mut down = 0;
        for state in &states {
            let mut failed = vec![false; model.elements.len()];
            let mut events = vec![false; structure.tree.events.len()];
            for e in state {
                failed[e.0 as usize] = true;
                if let Some(&x) = structure.event_of.get(e) {
                    events[x as usize] = true;
                }
            }
            let up = ev.evaluate(&failed).service_up[0];
            let names: Vec<&str> = state.iter().map(|e| model.element(*e).name.as_str()).collect();
            assert_eq!(up, !structure.tree.top_happens(&events), "{names:?}");
            if !up {
                down += 1;
                assert!(!ev.service_reasons(0).is_empty(), "{names:?}");
            }
        }
        assert!(down > 10, "the states must include outages: {down}");
    }

    #[test]
    fn a_crashed_process_keeps_its_hosts_vote() {
        let m = load(QUORUM_DEVICE);
        assert_eq!(service(&m, 0, &[]), (true, vec![]));
        assert_eq!(eligible(&m, "db", &[]), ["db-1/db", "db-2/db"]);
        // db-1's host still votes: db-2 holds 3 of 3.
        assert_eq!(service(&m, 0, &["db-1/db"]), (true, vec![]));
        // db-2 holds its own vote and db-1's host: 2 of 3. (The device is not cabled,
        // so it communicates with every node.)
        assert_eq!(service(&m, 0, &["db-1/db", "qdev"]), (true, vec![]));
        assert_eq!(eligible(&m, "db", &["db-1/db", "qdev"]), ["db-2/db"]);
        let (up, reasons) = service(&m, 0, &["db-1/db", "db-2/db"]);
        assert!(!up);
        assert_eq!(reasons, ["tier db down"]);
        // db-2 alone holds 1 of 3 votes.
        let (up, reasons) = service(&m, 0, &["db-1", "qdev"]);
        assert!(!up);
        assert_eq!(
            reasons,
            ["tier db down", "db has no quorum: no working member holds a majority of votes (the best holds 1 of 3)",]
        );
        assert!(eligible(&m, "db", &["db-1", "qdev"]).is_empty());
        // With the device, db-2 holds 2 of 3.
        assert_eq!(service(&m, 0, &["db-1"]), (true, vec![]));
    }

    #[test]
    fn a_cabled_device_votes_only_where_it_is_reached() {
        let m = load(
            r#"{ "components": {"internet":{"kind":"entry"},"sw":{"kind":"switch"},"qdev":{"kind":"quorum-device"},
                "db-1":{"kind":"server","nics":["sw"],"runs":["db"]},"db-2":{"kind":"server","nics":["sw"],"runs":["db"]}},
              "links": [{"between":["internet","sw"]},{"between":["qdev","sw"]}],
              "groups": {"db":{"kind":"cluster","mode":"active-standby","members":["db-1/db","db-2/db"],"quorum":"qdev"}},
              "services": {"orders":{"from":"internet","through":["db"]}} }"#,
        );
        assert_eq!(eligible(&m, "db", &[]), ["db-1/db", "db-2/db"]);
        // The device's cable cut: each node still holds 2 of 3 with the other.
        assert_eq!(eligible(&m, "db", &["qdev~sw"]), ["db-1/db", "db-2/db"]);
        // db-1 cut off holds 1 of 3; db-2 holds its own vote and the device's.
        assert_eq!(eligible(&m, "db", &["db-1/eth0~sw"]), ["db-2/db"]);
        assert_eq!(service(&m, 0, &["db-1/eth0~sw"]), (true, vec![]));
        // db-1 down and the device cut off: db-2 holds 1 of 3.
        assert!(!service(&m, 0, &["db-1", "qdev~sw"]).0);
        assert!(service(&m, 0, &["db-1"]).0);
    }

    const THREE_NODES: &str = r#"{ "components": {"internet":{"kind":"entry"},"sw":{"kind":"switch"},
        "db-1":{"kind":"server","nics":["sw"],"runs":["db"]},"db-2":{"kind":"server","nics":["sw"],"runs":["db"]},
        "db-3":{"kind":"server","nics":["sw"],"runs":["db"]}},
      "links": [{"between":["internet","sw"]}],
      "groups": {"db":{"kind":"cluster","mode":"active-standby","members":["db-1/db","db-2/db","db-3/db"]}},
      "services": {"orders":{"from":"internet","through":["db"]}} }"#;

    #[test]
    fn a_cut_off_node_loses_quorum_and_the_majority_keeps_it() {
        let m = load(THREE_NODES);
        assert_eq!(eligible(&m, "db", &[]), ["db-1/db", "db-2/db", "db-3/db"]);
        // db-3 is cut off: it holds 1 of 3, the other two 2 of 3 each.
        assert_eq!(eligible(&m, "db", &["db-3/eth0~sw"]), ["db-1/db", "db-2/db"]);
        assert_eq!(service(&m, 0, &["db-3/eth0~sw"]), (true, vec![]));
        // Crashed processes keep their hosts' votes.
        assert_eq!(eligible(&m, "db", &["db-1/db", "db-2/db"]), ["db-3/db"]);
        assert_eq!(service(&m, 0, &["db-1/db", "db-2/db"]), (true, vec![]));
        // Two nodes cut off: every working member holds 1 of 3.
        assert!(eligible(&m, "db", &["db-2/eth0~sw", "db-3/eth0~sw"]).is_empty());
        let (up, reasons) = service(&m, 0, &["db-2/eth0~sw", "db-3/eth0~sw"]);
        assert!(!up);
        assert_eq!(
            reasons,
            ["tier db down", "db has no quorum: no working member holds a majority of votes (the best holds 1 of 3)",]
        );
        // Two servers down: the survivor holds 1 of 3.
        assert!(!service(&m, 0, &["db-1", "db-2"]).0);
        // The switch down: every node is alone.
        assert!(eligible(&m, "db", &["sw"]).is_empty());
    }

    #[test]
    fn a_two_member_cluster_without_device_has_no_vote_quorum() {
        let text = THREE_NODES.replace(r#","db-3/db"]"#, "]");
        let m = load(&text);
        assert_eq!(eligible(&m, "db", &["db-2/eth0~sw"]), ["db-1/db", "db-2/db"]);
        assert_eq!(service(&m, 0, &["db-2/eth0~sw"]), (true, vec![]));
        assert_eq!(service(&m, 0, &["db-1/eth0~sw"]), (true, vec![]));
    }

    #[test]
    fn members_on_one_server_share_its_vote() {
        let m = load(
            r#"{ "components": {"internet":{"kind":"entry"},"sw":{"kind":"switch"},
                "db-1":{"kind":"server","nics":["sw"]},"db-2":{"kind":"server","nics":["sw"]},
                "pa":{"kind":"process","on":"db-1","role":"db"},"pb":{"kind":"process","on":"db-1","role":"db"},
                "pc":{"kind":"process","on":"db-2","role":"db"}},
              "links": [{"between":["internet","sw"]}],
              "groups": {"db":{"kind":"cluster","mode":"active-standby","members":["pa","pb","pc"]}},
              "services": {"orders":{"from":"internet","through":["db"]}} }"#,
        );
        // Three members, so vote quorum; two nodes, so V = 2 and a majority is 2.
        assert_eq!(eligible(&m, "db", &[]), ["pa", "pb", "pc"]);
        assert!(eligible(&m, "db", &["db-2"]).is_empty());
        let (up, reasons) = service(&m, 0, &["db-2"]);
        assert!(!up);
        assert_eq!(
            reasons,
            ["tier db down", "db has no quorum: no working member holds a majority of votes (the best holds 1 of 2)",]
        );
        assert!(eligible(&m, "db", &["db-1/eth0~sw"]).is_empty());
        assert_eq!(eligible(&m, "db", &["pa", "pb"]), ["pc"]);
    }

    #[test]
    fn endpoints_do_not_forward() {
        let m = load(
            r#"{ "components": {"internet":{"kind":"entry"},"sw-a":{"kind":"switch"},"sw-b":{"kind":"switch"},
                "gw":{"kind":"server","nics":["sw-a","sw-b"]},
                "app":{"kind":"server","nics":["sw-b"],"runs":["ap"]}},
              "links": [{"between":["internet","sw-a"]}],
              "services": {"direct":{"from":"internet","through":["app/ap"]},
                           "via-gw":{"from":"internet","through":["gw","app/ap"]}} }"#,
        );
        let direct = m.services.iter().position(|s| s.name == "direct").unwrap();
        let via_gw = m.services.iter().position(|s| s.name == "via-gw").unwrap();
        // gw has a NIC on each switch but does not bridge them.
        assert_eq!(service(&m, direct, &[]), (false, vec!["internet cannot reach app/ap".to_string()]));
        // As a tier, gw is the source of the next hop: traffic leaves from its other NIC.
        assert_eq!(service(&m, via_gw, &[]), (true, vec![]));
        assert_eq!(service(&m, via_gw, &["gw/eth1"]), (false, vec!["gw cannot reach app/ap".to_string()]));
        assert_eq!(service(&m, via_gw, &["gw/eth0~sw-a"]), (false, vec!["internet cannot reach gw".to_string()]));
    }

    #[test]
    fn paths_in_needs_are_part_of_the_fixpoint() {
        let m = load(
            r#"{ "components": {"internet":{"kind":"entry"},"sw":{"kind":"switch"},
                "db-1":{"kind":"server","nics":["sw"],"runs":["db"]},
                "hba-1":{"kind":"hba","server":"db-1"},"hba-2":{"kind":"hba","server":"db-1"},
                "fab-a":{"kind":"san-switch"},"fab-b":{"kind":"san-switch"},
                "array":{"kind":"storage-array","controllers":2}},
              "links": [{"between":["internet","sw"]},
                {"between":["hba-1","fab-a"]},{"between":["hba-2","fab-b"]},
                {"between":["fab-a","array"],"medium":"fc"},{"between":["fab-b","array"],"medium":"fc"}],
              "groups": {"lun":{"kind":"raid","level":6,"in":"array","disk_count":8},
                "mpath":{"kind":"multipath","server":"db-1","hbas":["hba-1","hba-2"],"array":"array","policy":"round-robin"}},
              "services": {"orders":{"from":"internet","through":["db-1/db"]}} }"#,
        );
        assert_eq!(service(&m, 0, &[]), (true, vec![]));
        assert_eq!(service(&m, 0, &["fab-a"]), (true, vec![]));
        assert_eq!(service(&m, 0, &["hba-1", "fab-a"]), (true, vec![]));
        // One HBA and the other fabric: neither path is left.
        assert!(!service(&m, 0, &["hba-1", "fab-b"]).0);
        // No path to the array: the multipath group, then db-1 and its process, stop.
        let (up, reasons) = service(&m, 0, &["fab-a", "fab-b"]);
        assert!(!up);
        assert_eq!(reasons, ["tier db-1/db down"]);
        let ev = evaluate(&m, &failing(&m, &["fab-a", "fab-b"]));
        assert!(!ev.element_works[id(&m, "db-1").0 as usize]);
        assert!(!ev.element_works[id(&m, "db-1/db").0 as usize]);
        assert!(!service(&m, 0, &["hba-1", "hba-2"]).0);
        // RAID 6 loses the array at the third disk: the array stops, so no path reaches it.
        assert!(service(&m, 0, &["lun/disk-1", "lun/disk-2"]).0);
        assert!(!service(&m, 0, &["lun/disk-1", "lun/disk-2", "lun/disk-3"]).0);
        let ev = evaluate(&m, &failing(&m, &["lun/disk-1", "lun/disk-2", "lun/disk-3"]));
        assert!(!ev.element_works[id(&m, "array").0 as usize]);
        assert_eq!(ev.group_works, vec![false, false]);
    }
}
