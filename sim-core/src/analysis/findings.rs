//! Findings that explain themselves: for a set of failed elements, what goes down with
//! them (the blast radius), the chain a person can check ("pdu-a fails → sw-1/psu-1,
//! sw-2/psu-1 down → sw-1, sw-2 down → lb-vip cannot reach web-pool → service shop
//! down"), and which redundancy the failure defeats. Single points of failure are the
//! order-1 minimal cut sets of any service, each explained this way.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::visit::EdgeRef;
use petgraph::Direction;

use crate::model::eval::Evaluator;
use crate::model::{ElementId, Medium, Model, NodeRef, Req};

/// Everything a failure takes down, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Blast {
    /// The failed elements, by name.
    pub failed: Vec<String>,
    /// Layers of the dependency chain: what went down because the previous layer did.
    pub chain: Vec<Vec<String>>,
    /// Every element down besides the failed ones, sorted.
    pub down_elements: Vec<String>,
    /// Groups that stopped working, sorted.
    pub down_groups: Vec<String>,
    /// Services down, with the reasons their fault tree gives (sorted by service).
    pub services_down: Vec<(String, Vec<String>)>,
    /// Redundancy the failure defeats ("bond web-1/bond: every NIC goes to sw-1").
    pub defeats: Vec<String>,
    /// Transfer switches the failure moves onto their alternate input, and what the move
    /// costs their loads ("rack-ats moves its load to pdu-b: ..."), sorted.
    pub transfers: Vec<String>,
    /// UPSes the failure puts on battery, and what the battery buys ("ups carries its
    /// load on its 15m battery first: ..."), sorted. Their loads are listed as down
    /// above: the state once the battery has run out.
    pub batteries: Vec<String>,
    /// Those UPSes, by name, with their battery runtimes in seconds, sorted by name.
    pub battery_runtimes: Vec<(String, f64)>,
    /// Connection pools that stay up but lose their connections: the failure moves a
    /// firewall pair they cross off its master, and the members do not share their
    /// tables ("ap-1-ds: fw-vip moves off fw-1 without session sync: ..."), sorted
    /// (`mechanisms::firewall`).
    pub connections_lost: Vec<String>,
    /// Groups that keep a service down with this failure only while they serve from
    /// their second member (they do not fail back), sorted by group.
    pub held_on_second: Vec<HeldOnSecond>,
    /// VRRP/HSRP groups whose working members no longer hear each other's adverts, so
    /// that more than one is master: "gw-vip: r1 | r2", sorted. Filled by
    /// [`blast_with_timings`] only.
    pub two_masters: Vec<String>,
}

/// A group that does not fail back, serving from its second member: a failure that
/// group's detector does not see takes the service down only then. A drill reaches
/// that state by failing `first` before the failure.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldOnSecond {
    pub group: String,
    /// The member whose failure moves the group (it stays moved).
    pub first: String,
    /// The member it then serves from.
    pub second: String,
    /// Share of time the second member serves, 0..1.
    pub share: f64,
}

/// A single point of failure of one or more services.
#[derive(Clone, Debug, PartialEq)]
pub struct Spof {
    pub element: String,
    pub kind: &'static str,
    /// Steady-state unavailability of the element, repairs starting at once (the exact
    /// analysis's view).
    pub probability: f64,
    /// The same with each repair starting only once the failure is noticed: its mean
    /// detection delay (its monitors', else the users' `noticed_by_users_secs`;
    /// `mechanisms::monitor::detection_delays`) added to its MTTR, as the figure with
    /// timings' detection part has it. The list is ranked by this (or, behind a battery,
    /// by [`BeyondBattery::with_detection`]): the wait to notice is part of every outage.
    pub detected_probability: f64,
    /// The mean detection delay in that figure, seconds.
    pub detection_mean_secs: f64,
    /// When it takes services down only while a group serves from its second member:
    /// that group (the list is ordered by `detected_probability` × its share).
    pub only_while: Option<HeldOnSecond>,
    /// When UPS batteries carry what the failure cuts off, and the services it takes
    /// down would stay up while they do: the part of its outages that outlasts them.
    pub beyond_battery: Option<BeyondBattery>,
    pub blast: Blast,
    /// Where the element is declared.
    pub span: crate::syntax::Span,
    /// Accepted in the scenario, with this reason.
    pub suppressed: Option<String>,
}

impl Blast {
    /// "pdu-a fails → sw-1, sw-2 down → lb-vip cannot reach web-pool → service shop down".
    pub fn chain_text(&self) -> String {
        let mut parts =
            vec![format!("{} {}", self.failed.join(" + "), if self.failed.len() == 1 { "fails" } else { "fail" })];
        for layer in self.chain.iter().skip(1) {
            parts.push(format!("{} down", abbreviate(layer)));
        }
        for (service, reasons) in &self.services_down {
            // A tier that is down explains a lost path to it, not the other way round.
            let tiers: Vec<&str> = reasons.iter().filter(|r| r.starts_with("tier ")).map(String::as_str).collect();
            let why: Vec<&str> = if tiers.is_empty() { reasons.iter().map(String::as_str).collect() } else { tiers };
            parts.push(format!("{} → service {service} down", why[..why.len().min(2)].join(", ")));
        }
        parts.join(" → ")
    }
}

fn abbreviate(names: &[String]) -> String {
    const SHOWN: usize = 6;
    if names.len() <= SHOWN {
        names.join(", ")
    } else {
        format!("{} and {} more", names[..SHOWN].join(", "), names.len() - SHOWN)
    }
}

/// What failing `failed` does to the model and its services.
pub fn blast(model: &Model, failed: &[ElementId]) -> Blast {
    blast_with(&mut Evaluator::new(model), failed)
}

/// [`blast`] reusing an evaluator (its network tables) across many failure sets.
pub fn blast_with<'m>(evaluator: &mut Evaluator<'m>, failed: &[ElementId]) -> Blast {
    let model = evaluator.model();
    let mut mask = vec![false; model.elements.len()];
    for f in failed {
        mask[f.0 as usize] = true;
    }
    let eval = evaluator.evaluate(&mask);
    let is_down = |e: ElementId| !eval.element_works[e.0 as usize];
    // Chain: breadth-first over dependents that are down.
    let mut layers: Vec<Vec<String>> = Vec::new();
    let mut seen: BTreeSet<NodeRef> = failed.iter().map(|&e| NodeRef::Element(e)).collect();
    let mut frontier: Vec<NodeRef> = seen.iter().copied().collect();
    while !frontier.is_empty() {
        let mut names: Vec<String> = frontier.iter().map(|&n| model.name_of(n).to_string()).collect();
        names.sort();
        layers.push(names);
        let mut next = BTreeSet::new();
        for &n in &frontier {
            let Some(&idx) = model.node_of.get(&n) else { continue };
            for edge in model.graph.edges_directed(idx, Direction::Incoming) {
                let dependent = model.graph[edge.source()];
                let down = match dependent {
                    NodeRef::Element(e) => is_down(e),
                    NodeRef::Group(g) => !eval.group_works[g.0 as usize],
                    NodeRef::Service(_) => false,
                };
                if down && !seen.contains(&dependent) {
                    next.insert(dependent);
                }
            }
        }
        seen.extend(next.iter().copied());
        frontier = next.into_iter().collect();
    }
    let failed_names: Vec<String> = layers.first().cloned().unwrap_or_default();
    let mut down_elements: Vec<String> =
        model.elements.iter().filter(|e| is_down(e.id) && !mask[e.id.0 as usize]).map(|e| e.name.clone()).collect();
    down_elements.sort();
    let mut down_groups: Vec<String> =
        model.groups.iter().filter(|g| !eval.group_works[g.id.0 as usize]).map(|g| g.name.clone()).collect();
    down_groups.sort();
    // Service reasons: the same top-level terms as the services' fault trees.
    let mut services_down = Vec::new();
    let mut defeats: BTreeSet<String> = BTreeSet::new();
    for (s, svc) in model.services.iter().enumerate() {
        if eval.service_up[s] {
            continue;
        }
        let reasons = evaluator.service_reasons(s);
        for label in &reasons {
            if let Some((from, to)) = label.split_once(" cannot reach ") {
                // The chain breaks between two tiers: the sending group's members reach
                // no member of the next, or the receiving group's members are reached
                // by none of the previous.
                for (tier, why) in [(from, "no member reaches the next tier"), (to, "no member can be reached")] {
                    if let Some(g) = model
                        .groups
                        .iter()
                        .find(|g| g.name == tier && g.members.len() > 1 && eval.group_works[g.id.0 as usize])
                    {
                        defeats.insert(format!("{} {}: {why}", g.kind, g.name));
                    }
                }
            }
        }
        services_down.push((svc.name.clone(), reasons));
    }
    services_down.sort();
    for g in &model.groups {
        if g.members.len() > 1 && !eval.group_works[g.id.0 as usize] {
            let lost: Vec<&str> =
                g.members.iter().filter(|m| is_down(**m)).map(|m| model.element(*m).name.as_str()).collect();
            // A cluster whose survivors lack a majority: say so, and why (quorum).
            let text = if let Some(shortfall) = evaluator.quorum_shortfall(g.id) {
                format!("{} {}: no quorum: {shortfall}", g.kind, g.name)
            } else if lost.is_empty() {
                match evaluator.failing_needs(g.id) {
                    needs if needs.is_empty() => format!(
                        "{} {}: stops although its members work (they share the failed dependency)",
                        g.kind, g.name
                    ),
                    needs => format!("{} {}: stops although its members work: {}", g.kind, g.name, needs.join(", ")),
                }
            } else {
                // Members that work but may not take over: their takeover's
                // preconditions (a fencing device, `require`) are down.
                let waiting: Vec<&str> =
                    g.members.iter().filter(|m| !is_down(**m)).map(|m| model.element(*m).name.as_str()).collect();
                let preconditions = evaluator.failing_takeover_requires(g.id);
                if !waiting.is_empty() && !preconditions.is_empty() {
                    format!(
                        "{} {}: {} down, and {} may not take over: its takeover needs what is down ({})",
                        g.kind,
                        g.name,
                        lost.join(" and "),
                        waiting.join(" and "),
                        preconditions.join(", ")
                    )
                } else if lost.len() == 1 {
                    format!("{} {}: {} down", g.kind, g.name, lost[0])
                } else {
                    format!("{} {}: {} down together", g.kind, g.name, lost.join(" and "))
                }
            };
            defeats.insert(text);
        }
    }
    // Bonds whose every member's cable ends at something down.
    let mut access: BTreeMap<ElementId, Vec<(ElementId, ElementId)>> = BTreeMap::new();
    for l in model.links.iter().filter(|l| l.medium == Medium::Access) {
        access.entry(l.a).or_default().push((l.element, l.b));
    }
    for g in model.groups.iter().filter(|g| g.kind == "bond" && g.members.len() > 1) {
        let cut = g
            .members
            .iter()
            .all(|m| access.get(m).is_some_and(|ls| ls.iter().all(|&(link, peer)| is_down(link) || is_down(peer))));
        let nic_down = g.members.iter().all(|m| is_down(*m));
        if cut && !nic_down {
            let mut peers: Vec<&str> = g
                .members
                .iter()
                .flat_map(|m| access.get(m).into_iter().flatten().map(|&(_, p)| model.element(p).name.as_str()))
                .collect();
            peers.sort_unstable();
            peers.dedup();
            defeats.insert(match peers.as_slice() {
                [one] => format!("bond {}: every NIC is cabled to {one}", g.name),
                many => format!("bond {}: every NIC lost its switch ({})", g.name, many.join(", ")),
            });
        }
    }
    // Pools still up whose firewall pair moved off its master (the first member, with
    // nothing failed) without session sync: their connections are dead.
    let mut connections_lost: Vec<String> = model
        .elements
        .iter()
        .filter(|el| !is_down(el.id))
        .filter_map(|el| {
            let pool = el.connection_pool.as_ref()?;
            let moved: Vec<String> = pool
                .through
                .iter()
                .filter_map(|r| match r {
                    Req::Group(g) => {
                        let pair = model.group(*g);
                        let master = *pair.members.first()?;
                        let synced = crate::mechanisms::firewall::unsynced_members(model, *g).is_empty();
                        (!synced && is_down(master))
                            .then(|| format!("{} moves off {}", pair.name, model.element(master).name))
                    }
                    _ => None,
                })
                .collect();
            if moved.is_empty() {
                return None;
            }
            let hang = crate::units::Duration::from_secs(pool.hang_secs()).span();
            Some(format!(
                "{}: {} without session sync, so every pooled connection is dead: requests on them hang {hang} from the failure (the socket timeout, else TCP's give-up), and again when a master that preempts takes the address back",
                el.name,
                moved.join(" and ")
            ))
        })
        .collect();
    connections_lost.sort();
    // Transfer switches that work on their alternate input: the failure moved them.
    let mut transfers: Vec<String> = model
        .elements
        .iter()
        .filter_map(|ats| {
            let ts = ats.transfer_switch?;
            if is_down(ats.id) || !is_down(ts.preferred) || is_down(ts.alternate) {
                return None;
            }
            let (always, on_loss) = crate::mechanisms::transfer_switch::rebooted_by_moves(model, ats.id);
            let names = |v: &[ElementId]| v.iter().map(|&e| model.element(e).name.as_str()).collect::<Vec<_>>();
            let mut dropped = names(&always);
            dropped.extend(names(&on_loss));
            dropped.sort_unstable();
            let transfer = crate::units::Duration::from_secs(ts.transfer_secs);
            let ride = crate::units::Duration::from_secs(ts.ride_through_secs);
            let preferred = &model.element(ts.preferred).name;
            // Those its every move drops boot again when the preferred input returns.
            let again = match (always.is_empty(), on_loss.is_empty()) {
                (true, _) => String::new(),
                (false, true) => format!(", now and when {preferred} returns"),
                (false, false) => format!("; {} again when {preferred} returns", names(&always).join(", ")),
            };
            // Onto a standby generator: nothing to move to until it has started.
            if let Some(start_secs) = model.element(ts.alternate).generator.map(|g| g.start_secs) {
                let start = crate::units::Duration::from_secs(start_secs);
                let cost = if start_secs <= ts.ride_through_secs {
                    format!("{start} without power while it starts, which its loads ride through ({ride})")
                } else {
                    format!(
                        "{start} without power while it starts, longer than the {ride} its loads ride through: a UPS battery behind the switch bridges it, and a load without one loses power and boots again (SPOF-L026 names them)"
                    )
                };
                return Some(format!(
                    "{} moves its load to {} once it has started: {cost}",
                    ats.name,
                    model.element(ts.alternate).name
                ));
            }
            let cost = if dropped.is_empty() {
                format!("a {transfer} break, which its loads ride through ({ride})")
            } else {
                format!(
                    "a {transfer} break, longer than the {ride} its loads ride through: {} lose power and boot again (their `restart`){again}",
                    dropped.join(", ")
                )
            };
            Some(format!("{} moves its load to {}: {cost}", ats.name, model.element(ts.alternate).name))
        })
        .collect();
    transfers.sort();
    // UPSes down only because their power inputs are: the battery carries the load
    // first, so a failure shorter than it takes none of this down.
    let mut bridging: Vec<(&str, f64)> = model
        .elements
        .iter()
        .filter(|ups| is_down(ups.id) && !mask[ups.id.0 as usize])
        .filter_map(|ups| {
            let battery_secs = ups.battery_runtime_secs.filter(|b| *b > 0.0)?;
            let inputs = crate::model::edge_targets(model, NodeRef::Element(ups.id), crate::model::EdgeKind::Power);
            let conjuncts = match &ups.needs {
                Req::All(of) => of.clone(),
                other => vec![other.clone()],
            };
            let bridged = conjuncts.iter().all(|r| match r {
                Req::Element(x) => !is_down(*x) || inputs.contains(&NodeRef::Element(*x)),
                other => evaluator.holds(other),
            });
            bridged.then_some((ups.name.as_str(), battery_secs))
        })
        .collect();
    bridging.sort_by(|a, b| a.0.cmp(b.0));
    let batteries: Vec<String> = bridging
        .iter()
        .map(|(name, battery_secs)| {
            format!(
                "{name} carries its load on its {} battery first: a failure shorter than that takes none of its loads down (the lists above are the state once the battery has run out)",
                crate::units::Duration::from_secs(*battery_secs)
            )
        })
        .collect();
    let battery_runtimes = bridging.iter().map(|&(name, secs)| (name.to_string(), secs)).collect();
    Blast {
        failed: failed_names,
        chain: layers,
        down_elements,
        down_groups,
        services_down,
        defeats: defeats.into_iter().collect(),
        transfers,
        connections_lost,
        batteries,
        battery_runtimes,
        held_on_second: Vec::new(),
        two_masters: Vec::new(),
    }
}

/// [`blast`], and the services the failed elements (together) keep down only because the
/// failover does not see them (a few drills: [`crate::timed::unseen_failures`]).
pub fn blast_with_timings(model: &Model, failed: &[ElementId]) -> Blast {
    let mut evaluator = Evaluator::new(model);
    let mut b = blast_with(&mut evaluator, failed);
    b.two_masters = two_masters(model, &mut evaluator, failed);
    // A service one of the elements keeps down on its own is explained by that element
    // alone (the others may be harmless); the set is named only where no element alone
    // does it.
    let mut alone: Vec<crate::timed::Unseen> = Vec::new();
    if failed.len() > 1 {
        for &e in failed {
            for u in crate::timed::unseen_failures(model, &[e]) {
                if !alone.iter().any(|a| a.service == u.service) {
                    alone.push(u);
                }
            }
        }
    }
    if !failed.is_empty() {
        for u in crate::timed::unseen_failures(model, failed) {
            match alone.iter().find(|a| a.service == u.service) {
                Some(a) => explain_unseen(model, &mut evaluator, &mut b, &[a.element], a),
                None => explain_unseen(model, &mut evaluator, &mut b, failed, &u),
            }
        }
    }
    b
}

/// The groups that count two masters ([`crate::simulate::SimProfile::counts_dual_masters`])
/// whose working members split, with `failed` down, into sets that do not hear each
/// other, while with everything working they all do: each set's member is master
/// (`crate::model::NetworkIndex::master_sets`). O(groups × members × (V + E)).
fn two_masters(model: &Model, evaluator: &mut Evaluator, failed: &[ElementId]) -> Vec<String> {
    let mut mask = vec![false; model.elements.len()];
    for f in failed {
        mask[f.0 as usize] = true;
    }
    let works = evaluator.evaluate(&mask).element_works;
    let net = crate::model::NetworkIndex::new(model);
    let mut out: Vec<String> = model
        .groups
        .iter()
        .filter(|g| g.members.len() >= 2 && crate::mechanisms::profile(model, g).counts_dual_masters)
        .filter(|g| net.master_sets(g, |_| true).len() == 1)
        .filter_map(|g| {
            let sets = net.master_sets(g, |e| works[e.0 as usize]);
            (sets.len() > 1).then(|| {
                let sides: Vec<String> = sets
                    .iter()
                    .map(|s| s.iter().map(|&m| model.element(m).name.as_str()).collect::<Vec<_>>().join(", "))
                    .collect();
                format!("{} {}: {}", g.kind, g.name, sides.join(" | "))
            })
        })
        .collect();
    out.sort();
    out
}

/// The part of a single point of failure's unavailability that outlasts the UPS
/// batteries carrying what it cuts off ([`Spof::beyond_battery`]).
#[derive(Clone, Debug, PartialEq)]
pub struct BeyondBattery {
    /// The UPS with the shortest of those batteries, by name.
    pub ups: String,
    /// Its battery runtime, seconds.
    pub battery_secs: f64,
    /// q · e^(−T / MTTR): the element's unavailability q, its MTTR and the shortest
    /// runtime T, the same formula as the exact analysis's battery modules
    /// (`analysis::dynamic::beyond_battery`: exponential repair, no detection delay).
    /// With several batteries the shortest is taken, which errs high where the
    /// services need only longer ones.
    pub unavailability: f64,
    /// The same part with the repair starting only once the failure is noticed: the
    /// outage is the element's detection delay (its monitors', else the users'
    /// `noticed_by_users_secs`; `mechanisms::monitor::detection_delays`), then the
    /// exponential repair, and this is E[(W − T)⁺] / (MTBF + E[W]) over that delay's
    /// distribution (`analysis::dynamic::beyond_battery_delayed`), the figure with
    /// timings' own term. A battery shorter than the wait is defeated by it, so this
    /// can be many times [`Self::unavailability`] (SPOF-L036); the list is ranked by it.
    /// The delay is the SPOF's own ([`Spof::detection_mean_secs`] is its mean).
    pub with_detection: f64,
}

/// [`BeyondBattery`] for the single failure of `e` with blast `blast`: `None` when no
/// battery carries anything it cuts off, or when a service it takes down stays down
/// with those UPSes held up (the failure also reaches it past them).
fn beyond_battery(model: &Model, delays: &[(f64, f64)], e: ElementId, blast: &Blast) -> Option<BeyondBattery> {
    let (ups, battery_secs) = blast.battery_runtimes.iter().min_by(|a, b| a.1.total_cmp(&b.1))?.clone();
    let window = crate::analysis::dynamic::outage_window(model, e)?;
    // The same failure with every UPS it puts on battery held up: what the batteries save.
    let mut held = model.clone();
    for (name, _) in &blast.battery_runtimes {
        let id = held.element_by_name(name)?.id;
        held.elements[id.0 as usize].needs = Req::Always;
    }
    let mut mask = vec![false; model.elements.len()];
    mask[e.0 as usize] = true;
    let mut evaluator = Evaluator::new(&held);
    let evaluation = evaluator.evaluate(&mask);
    let saved = blast.services_down.iter().all(|(name, _)| {
        model.services.iter().position(|svc| &svc.name == name).is_some_and(|i| evaluation.service_up[i])
    });
    if !saved {
        return None;
    }
    let el = model.element(e);
    let q = el.unavailability(0.0);
    let detection_mean_secs = crate::mechanisms::monitor::mean_delay_secs(delays);
    let detected = crate::analysis::dynamic::DelayedRepair { delays, repair_secs: window.repair_secs };
    Some(BeyondBattery {
        ups,
        battery_secs,
        unavailability: crate::analysis::dynamic::beyond_battery_delayed(q, window, battery_secs),
        with_detection: crate::analysis::dynamic::beyond_battery_delayed(
            el.unavailability(detection_mean_secs),
            detected,
            battery_secs,
        ),
    })
}

/// Single points of failure of any service (from the single-failure dataflow), and the
/// failures the failover does not see (`unseen`, per service, from the drills of
/// [`crate::timed::unseen_single_failures`]; empty slices when not drilled), explained;
/// sorted by the probability they take a service down, the wait to notice counted
/// ([`Spof::detected_probability`]; highest first), then name.
pub fn spofs(model: &Model, singles: &[Option<Vec<ElementId>>], unseen: &[Vec<crate::timed::Unseen>]) -> Vec<Spof> {
    let mut all: BTreeSet<ElementId> = singles.iter().flatten().flatten().copied().collect();
    all.extend(unseen.iter().flatten().map(|u| u.element));
    let mut evaluator = Evaluator::new(model);
    let detectors = crate::mechanisms::monitor::detectors(model);
    let mut out: Vec<Spof> = all
        .into_iter()
        .map(|e| {
            let el = model.element(e);
            let mut blast = blast_with(&mut evaluator, &[e]);
            for u in unseen.iter().flatten().filter(|u| u.element == e) {
                explain_unseen(model, &mut evaluator, &mut blast, &[e], u);
            }
            // Conditional: every service it takes down waits, for that, for a group to
            // serve from its second member.
            let conditional = singles.iter().enumerate().all(|(s, list)| {
                !list.as_ref().is_some_and(|l| l.contains(&e))
                    || unseen.get(s).is_some_and(|us| {
                        us.iter().any(|u| u.element == e && u.serving_from.is_some())
                            && !us.iter().any(|u| u.element == e && u.serving_from.is_none())
                    })
            });
            let only_while = conditional
                .then(|| blast.held_on_second.iter().max_by(|a, b| a.share.total_cmp(&b.share)).cloned())
                .flatten();
            let delays =
                crate::mechanisms::monitor::detection_delays(&detectors[e.0 as usize], model.noticed_by_users_secs);
            let detection_mean_secs = crate::mechanisms::monitor::mean_delay_secs(&delays);
            Spof {
                element: el.name.clone(),
                kind: el.kind,
                probability: el.unavailability(0.0),
                detected_probability: el.unavailability(detection_mean_secs),
                detection_mean_secs,
                only_while,
                beyond_battery: beyond_battery(model, &delays, e, &blast),
                blast,
                span: el.span,
                suppressed: None,
            }
        })
        .collect();
    // By the probability the element takes a service down, the wait to notice counted
    // (for every SPOF alike: behind a battery it is what the battery has to outlast, and
    // the static part alone can be hundreds of times smaller): a conditional one only
    // for its group's share of the time, one behind batteries only beyond them.
    let weight = |s: &Spof| {
        s.beyond_battery.as_ref().map_or(s.detected_probability, |b| b.with_detection)
            * s.only_while.as_ref().map_or(1.0, |h| h.share)
    };
    out.sort_by(|a, b| weight(b).total_cmp(&weight(a)).then_with(|| a.element.cmp(&b.element)));
    out
}

/// A share of time for people: "52%", "3.5%", "0.27%", "under 0.01%".
pub fn share_text(share: f64) -> String {
    let pct = share * 100.0;
    if pct >= 10.0 {
        format!("{pct:.0}%")
    } else if pct >= 1.0 {
        format!("{pct:.1}%")
    } else if pct >= 0.01 {
        format!("{pct:.2}%")
    } else {
        "under 0.01%".to_string()
    }
}

/// Groups among which [`explain_unseen`] looks for two that together keep a service
/// down (every pair is evaluated once).
const MAX_PAIRED_GROUPS: usize = 64;

/// What the detector of group `g` watches, that still looks fine.
fn watches(model: &Model, g: &crate::model::Group) -> String {
    let Some(s) = &g.switchover else { return "nothing checks it".to_string() };
    match &s.sees {
        crate::model::Visibility::Peers => "its peers still hear it".to_string(),
        crate::model::Visibility::LocalLink => "its own link still works".to_string(),
        crate::model::Visibility::PathTo { targets, all, .. } => {
            let names: Vec<&str> = targets.iter().map(|t| model.element(*t).name.as_str()).collect();
            format!("it still reaches {}", names.join(if *all { " and " } else { " or " }))
        }
        crate::model::Visibility::Nothing => "nothing checks it".to_string(),
        crate::model::Visibility::Probes { onward_tiers } => {
            let depth = onward_tiers.first().copied().unwrap_or(0);
            match depth {
                0 => "its front door still answers the checks".to_string(),
                u32::MAX => "its checks still pass".to_string(),
                _ => "its checks' requests still get an answer from the next tier".to_string(),
            }
        }
    }
}

/// Adds to `blast` (the instant, perfect-detector view, where the service stays up)
/// why service `u.service` stays down while the elements `failed` are down: the redundancy on its
/// path whose first member still works, and what its detector watches instead.
fn explain_unseen(
    model: &Model,
    evaluator: &mut Evaluator,
    blast: &mut Blast,
    failed: &[ElementId],
    u: &crate::timed::Unseen,
) {
    let svc = &model.services[u.service];
    let failed_text = failed.iter().map(|&e| model.element(e).name.as_str()).collect::<Vec<_>>().join(" + ");
    let (returns, it) = if failed.len() == 1 { ("returns", "it") } else { ("return", "them") };
    // The culprit: an active-standby group whose first member still works
    // and which, held to that member (its other members taken out), leaves the service
    // down, so another member would carry if the failover switched.
    let mut holders = Vec::new();
    // Only while a group that does not fail back serves from its second member: that
    // group holds it.
    if let Some(from) = u.serving_from {
        let (g, second) = (model.group(from.group), model.element(from.member).name.as_str());
        let first = model.element(g.members[0]).name.as_str();
        let outage = crate::units::Duration::from_secs(u.outage_secs).span();
        let reason = format!(
            "while {} serves from {second} (after {first} failed: it does not fail back; about {} of the time), down until {failed_text} {returns} (a drill from that state: {outage}): the failover does not see {it}, though {first} could carry",
            g.name,
            share_text(from.share)
        );
        let held = HeldOnSecond {
            group: g.name.clone(),
            first: first.to_string(),
            second: second.to_string(),
            share: from.share,
        };
        if !blast.held_on_second.contains(&held) {
            blast.held_on_second.push(held);
            blast.held_on_second.sort_by(|a, b| a.group.cmp(&b.group));
        }
        if !blast.services_down.iter().any(|(name, _)| name == &svc.name) {
            blast.services_down.push((svc.name.clone(), vec![reason]));
            blast.services_down.sort();
        }
        let holder = format!(
            "{} {}: stays on {second} after a failover (it does not fail back), though {second} cannot carry the service without {failed_text}",
            g.kind, g.name
        );
        if !blast.defeats.contains(&holder) {
            blast.defeats.push(holder);
            blast.defeats.sort();
        }
        return;
    }
    let mut mask = vec![false; model.elements.len()];
    for f in failed {
        mask[f.0 as usize] = true;
    }
    // A group's first member still works, and a detector that watches its own link
    // (MII) still sees carrier: the link and the device at its far end both work (a
    // dead switch drops carrier as a cut cable does).
    let net = crate::model::NetworkIndex::new(model);
    let first_works: Vec<bool> = {
        let eval = evaluator.evaluate(&mask);
        let works = |e: ElementId| eval.element_works[e.0 as usize];
        model
            .groups
            .iter()
            .map(|g| {
                let first = g.members[0];
                let carrier = match g.switchover.as_ref().map(|s| &s.sees) {
                    Some(crate::model::Visibility::LocalLink) => {
                        net.adjacency[first.0 as usize].iter().any(|&(far, link)| works(far) && works(link))
                    }
                    _ => true,
                };
                works(first) && carrier
            })
            .collect()
    };
    // Every group can hold the culprit, not only the tiers: a bond sits in a server's
    // needs.
    let candidates: Vec<&crate::model::Group> = model
        .groups
        .iter()
        .filter(|g| {
            g.switchover.is_some()
                && g.members.len() >= 2
                && g.arrangement == crate::model::Arrangement::ActiveStandby
                && first_works[g.id.0 as usize]
        })
        .collect();
    // Whether the service stays down with `groups` held to their first members.
    let mut down_when_held = |groups: &[&crate::model::Group]| {
        let mut held = mask.clone();
        for g in groups {
            for m in &g.members[1..] {
                held[m.0 as usize] = true;
            }
        }
        !evaluator.evaluate(&held).service_up[u.service]
    };
    let keeps = |g: &crate::model::Group| {
        format!("{} {}: keeps {} active ({})", g.kind, g.name, model.element(g.members[0]).name, watches(model, g))
    };
    for &g in &candidates {
        if down_when_held(&[g]) {
            let first = model.element(g.members[0]).name.as_str();
            holders.push(format!("{}, though {first} cannot carry the service without {failed_text}", keeps(g)));
        }
    }
    // No group alone: two together (a bond that keeps a NIC whose switch lost its link
    // to the VRRP master, because the backup router still answers its ARP probes, and
    // the VRRP group that keeps that master). Pairs are tried among at most
    // MAX_PAIRED_GROUPS groups (quadratic); beyond, nothing is named, as before.
    if holders.is_empty() && candidates.len() <= MAX_PAIRED_GROUPS {
        for (i, &a) in candidates.iter().enumerate() {
            for &b in &candidates[i + 1..] {
                if down_when_held(&[a, b]) {
                    let (fa, fb) =
                        (model.element(a.members[0]).name.as_str(), model.element(b.members[0]).name.as_str());
                    holders.push(format!(
                        "{}, and {} {} keeps {fb} active ({}): together, {fa} and {fb} cannot carry the service without {failed_text}",
                        keeps(a),
                        b.kind,
                        b.name,
                        watches(model, b)
                    ));
                }
            }
        }
    }
    let (outage, window) = (
        crate::units::Duration::from_secs(u.outage_secs).span(),
        crate::units::Duration::from_secs(u.window_secs).span(),
    );
    // Seen, but by tracking that moves the role off a first member that could carry to
    // one that cannot (a tracked object the service does not need).
    let moved_by_track = holders.is_empty().then(|| {
        model.groups.iter().find_map(|g| {
            let objects = g.track.as_ref()?.objects.first()?;
            let object = objects.iter().find(|o| failed.contains(o))?;
            if !first_works[g.id.0 as usize] {
                return None;
            }
            let mut without_first = mask.clone();
            without_first[g.members[0].0 as usize] = true;
            (!evaluator.evaluate(&without_first).service_up[u.service]).then(|| {
                let first = &model.element(g.members[0]).name;
                let what = format!(
                    "tracks {} on {first}, so the role moves off {first}, which could carry the service, to a member that cannot",
                    model.element(*object).name
                );
                // The reason reads "vrrp vip tracks …"; the defeated group "vrrp vip: tracks …".
                (format!("{} {} {what}", g.kind, g.name), format!("{} {}: {what}", g.kind, g.name))
            })
        })
    });
    let reason = if let Some(Some((moved, _))) = &moved_by_track {
        format!("down until {failed_text} {returns} (a drill: {outage}): {moved}")
    } else if u.outage_secs >= u.window_secs + 0.99 * crate::simulate::YEAR_SECS
        && !model.groups.iter().any(|g| g.switchover.as_ref().is_some_and(|s| s.takeover_secs >= u.window_secs))
    {
        // The drill runs a year past the return: still down then, with no takeover as
        // long as the failure under way, nothing brings the service back (a group that
        // does not fail back stays where the failure put it).
        format!(
            "down {outage} for a {window} failure (a drill): still down a year after {failed_text} {returns}, as the groups stay where the failure left them"
        )
    } else if u.outage_secs > u.window_secs * 1.01 {
        format!("down {outage} for a {window} failure (a drill): the takeover outlasts the repair")
    } else if let Some(t) = u.takeover_secs {
        let takeover = crate::units::Duration::from_secs(t).span();
        format!("down until {failed_text} {returns} (a drill: {outage}): the failover sees {it}, but its takeover ({takeover}) lasts as long as the repair or longer")
    } else {
        format!("down until {failed_text} {returns} (a drill: {outage}), though another member could carry: the failover does not see {it}")
    };
    if !blast.services_down.iter().any(|(name, _)| name == &svc.name) {
        blast.services_down.push((svc.name.clone(), vec![reason]));
        blast.services_down.sort();
    }
    if let Some(Some((_, holder))) = moved_by_track {
        holders.push(holder);
    }
    for h in holders {
        if !blast.defeats.contains(&h) {
            blast.defeats.push(h);
        }
    }
    blast.defeats.sort();
}

/// A self-check of two engines on one service: the fault tree's single points (events
/// that alone cause the top) against the single-failure dataflow's SPOFs (`dataflow`).
/// They are two formulations of one structure function and must name the same elements;
/// a difference is a defect of spofsim, and this returns the note that says so. `None`
/// when they agree, or when the tree has solved dynamic parts (a UPS-bridged outage is
/// an event of its own there, not an element's plain failure). O(single points + SPOFs).
pub fn engines_disagree(
    model: &Model,
    tree: &crate::analysis::FaultTree,
    result: &crate::analysis::TreeResult,
    dataflow: &[ElementId],
) -> Option<String> {
    if !tree.modules.is_empty() {
        return None;
    }
    let from_tree: std::collections::BTreeSet<&str> =
        result.single_points.iter().map(|&e| tree.events[e as usize].name.as_str()).collect();
    let from_flow: std::collections::BTreeSet<&str> =
        dataflow.iter().map(|&e| model.element(e).name.as_str()).collect();
    if from_tree == from_flow {
        return None;
    }
    let list = |v: Vec<&&str>| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", ")
        }
    };
    Some(format!(
        "INTERNAL CHECK FAILED: the fault tree and the single-failure dataflow disagree on the single points of failure (only in the tree: {}; only in the dataflow: {}): one of the two is wrong, so this service's figures and SPOF list cannot be trusted; please report it with the scenario",
        list(from_tree.difference(&from_flow).collect()),
        list(from_flow.difference(&from_tree).collect())
    ))
}

#[cfg(test)]
mod tests {
    /// The engines' self-check stays quiet where they agree and names both sides where
    /// they do not (here a dataflow that lost a SPOF, standing in for a defect).
    #[test]
    fn the_engines_self_check_names_what_each_side_alone_finds() {
        let text = include_str!("../../../tests/cases/exact/two-way-sync.jsonc");
        let model = crate::load(text).model.expect("loads");
        let flow = super::super::single_failures::single_failures(&model);
        let mut checked = 0;
        for st in super::super::structure::service_structures(&model).into_iter().flatten() {
            let result = super::super::analyze_tree(&st.tree, &super::super::Options::default()).expect("exact");
            let spofs = flow[st.service].clone().expect("the service can work");
            assert_eq!(super::engines_disagree(&model, &st.tree, &result, &spofs), None);
            let lost = super::engines_disagree(&model, &st.tree, &result, &spofs[1..]).expect("a difference");
            let first = &model.element(spofs[0]).name;
            assert!(lost.contains(&format!("only in the tree: {first}; only in the dataflow: none")), "{lost}");
            checked += 1;
        }
        assert_eq!(checked, 2);
    }

    /// A single point of failure behind a UPS states the part of its unavailability
    /// beyond the battery, the cut set's figure: q · e^(−T/MTTR) (DERIVATIONS.md case
    /// 4); one that also reaches the service past the UPS (a switch on the feed
    /// directly) does not, since the battery does not save the service from it.
    #[test]
    fn a_spof_behind_a_battery_states_what_outlasts_it_and_only_then() {
        let design = |switch_power: &str| {
            format!(
                r#"{{ "components": {{ "internet": {{ "kind": "entry" }},
                    "utility": {{ "kind": "power-feed", "mtbf": "1y", "mttr": "3h" }},
                    "ups-1": {{ "kind": "ups", "feed": "utility", "battery_runtime": "15m", "availability": "100%" }},
                    "sw": {{ "kind": "switch", "power": ["{switch_power}"] }},
                    "web-1": {{ "kind": "server", "nics": ["sw"], "runs": ["web"], "power": ["ups-1"] }} }},
                  "links": [ {{ "between": ["internet", "sw"] }} ],
                  "services": {{ "shop": {{ "from": "internet", "through": ["web-1/web"] }} }} }}"#
            )
        };
        let spof_of = |text: &str| {
            let model = crate::load(text).model.expect("loads");
            let singles = super::super::single_failures::single_failures(&model);
            super::spofs(&model, &singles, &[]).into_iter().find(|s| s.element == "utility").expect("utility is a SPOF")
        };
        let behind = spof_of(&design("ups-1"));
        let q = 3.0 / (8760.0 + 3.0);
        let b = behind.beyond_battery.expect("carried by the battery");
        assert_eq!((b.ups.as_str(), b.battery_secs), ("ups-1", 900.0));
        assert!((b.unavailability - 3.14975835203e-4).abs() < 1e-9 * 3.15e-4, "{:e}", b.unavailability);
        assert!((behind.probability - q).abs() < 1e-12);
        // Unwatched, the repair starts after the users' hour: W = 1h + Exp(3h), and
        // E[(W − 15m)⁺] / (MTBF + E[W]) = 3.75h / 8764h.
        assert_eq!(behind.detection_mean_secs, 3600.0);
        assert!((b.with_detection - 3.75 / 8764.0).abs() < 1e-9 * 4.3e-4, "{:e}", b.with_detection);
        let past = spof_of(&design("utility"));
        assert_eq!(past.beyond_battery, None);
    }

    /// A feed whose outages are short (5 min) behind a 15 min battery rarely outlasts
    /// it if the repair starts at once: q · e^(−3) = 5.76e-6. But nobody watches the
    /// feed, so the repair waits for the users' hour, and every outage outlasts the battery
    /// by 45 min plus the repair: 3000 s / (30 d + 3900 s) = 1.15559e-3, more than the
    /// UPS's own 8 h / (10 y + 8 h) = 9.13e-5. The list puts the feed first.
    #[test]
    fn a_battery_the_wait_to_notice_defeats_ranks_its_feed_by_that_wait() {
        let text = r#"{ "defaults": { "link": { "availability": "100%" }, "nic": { "availability": "100%" },
                        "psu": { "availability": "100%" }, "process": { "availability": "100%" } },
            "components": { "internet": { "kind": "entry" },
                "feed": { "kind": "power-feed", "mtbf": "30d", "mttr": "5m" },
                "ups": { "kind": "ups", "feed": "feed", "battery_runtime": "15m", "mtbf": "10y", "mttr": "8h" },
                "sw": { "kind": "switch", "availability": "100%" },
                "srv": { "kind": "server", "power": ["ups"], "nics": ["sw"], "runs": ["web"], "availability": "100%" } },
            "links": [ { "between": ["internet", "sw"] } ],
            "services": { "svc": { "from": "internet", "through": ["srv/web"] } } }"#;
        let model = crate::load(text).model.expect("loads");
        let singles = super::super::single_failures::single_failures(&model);
        let spofs = super::spofs(&model, &singles, &[]);
        let names: Vec<&str> = spofs.iter().map(|s| s.element.as_str()).collect();
        assert_eq!(names, ["feed", "ups"]);
        let b = spofs[0].beyond_battery.as_ref().expect("carried by the battery");
        let (mtbf, mttr, wait, battery): (f64, f64, f64, f64) = (30.0 * 86_400.0, 300.0, 3600.0, 900.0);
        let static_part = mttr / (mtbf + mttr) * (-(battery / mttr)).exp();
        assert!((b.unavailability - static_part).abs() < 1e-9 * static_part, "{:e}", b.unavailability);
        let expected = (wait - battery + mttr) / (mtbf + wait + mttr);
        assert!((b.with_detection - expected).abs() < 1e-9 * expected, "{:e} vs {expected:e}", b.with_detection);
        assert!(b.with_detection > spofs[1].probability);
    }

    /// Three database nodes and the quorum device: two nodes and the device in seoul,
    /// one node in busan. Losing seoul leaves busan's node with 1 of 4 votes.
    const TWO_SITES: &str = r#"{ "sites": { "seoul": {}, "busan": {} },
      "components": { "internet": { "kind": "entry" },
        "sw-s": { "kind": "switch", "site": "seoul" }, "sw-b": { "kind": "switch", "site": "busan" },
        "s-db-1": { "kind": "server", "site": "seoul", "nics": ["sw-s"], "runs": ["db"] },
        "s-db-2": { "kind": "server", "site": "seoul", "nics": ["sw-s"], "runs": ["db"] },
        "b-db": { "kind": "server", "site": "busan", "nics": ["sw-b"], "runs": ["db"] },
        "s-qd": { "kind": "quorum-device", "site": "seoul" } },
      "links": [ { "between": ["internet", "sw-s"] }, { "between": ["internet", "sw-b"] },
                 { "between": ["sw-s", "sw-b"] }, { "between": ["s-qd", "sw-s"] } ],
      "groups": { "db": { "kind": "cluster", "mode": "active-standby", "members": ["s-db-1/db", "s-db-2/db", "b-db/db"], "quorum": "s-qd" } },
      "services": { "app": { "from": "internet", "through": ["db"] } } }"#;

    #[test]
    fn a_survivor_without_a_majority_is_explained_by_quorum() {
        let model = crate::load(TWO_SITES).model.expect("loads");
        let seoul = model.element_by_name("seoul").unwrap().id;
        let blast = super::blast(&model, &[seoul]);
        assert_eq!(
            blast.defeats,
            ["cluster db: no quorum: b-db/db cannot take over: it holds 1 of 4 votes and quorum needs 3 (s-db-1, s-db-2 and s-qd were lost with seoul)"]
        );
        // One node down is not a quorum problem: the other two and the device hold 3 of 4.
        let one = model.element_by_name("s-db-1").unwrap().id;
        assert!(super::blast(&model, &[one]).defeats.is_empty());
    }

    /// Cross-cabled: both routers on both switches, the bond's ARP monitor probing both
    /// (validated). gw-1~sw-1 fails: the VRRP master gw-1 still hears gw-2 over sw-2,
    /// and the bond's eth0 still gets gw-2's replies over sw-1 (Linux `arp_all_targets
    /// any`), so neither fails over, yet eth0's frames for the virtual IP cannot reach
    /// gw-1. Neither group alone keeps the service down; the explanation names both.
    #[test]
    fn an_unseen_failure_held_by_two_groups_names_both() {
        let text = r#"{ "defaults": { "link": { "mtbf": "10y", "mttr": "2h" } },
          "components": { "internet": { "kind": "entry" }, "gw-1": { "kind": "router" }, "gw-2": { "kind": "router" },
            "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
            "web-1": { "kind": "server", "runs": ["web"], "bond": { "to": ["sw-1", "sw-2"],
              "monitor": { "arp": { "targets": ["gw-1", "gw-2"], "validate": "all" } } } } },
          "links": [ { "between": ["internet", "gw-1"] }, { "between": ["internet", "gw-2"] },
            { "between": ["gw-1", "sw-1"] }, { "between": ["gw-1", "sw-2"] },
            { "between": ["gw-2", "sw-1"] }, { "between": ["gw-2", "sw-2"] } ],
          "groups": { "gw": { "kind": "vrrp", "members": ["gw-1", "gw-2"] } },
          "services": { "s": { "from": "internet", "through": ["gw", "web-1/web"] } } }"#;
        let model = crate::load(text).model.expect("loads");
        let link = model.element_by_name("gw-1~sw-1").unwrap().id;
        let b = super::blast_with_timings(&model, &[link]);
        assert_eq!(b.services_down.len(), 1, "{b:#?}");
        assert_eq!(
            b.defeats,
            ["vrrp gw: keeps gw-1 active (its peers still hear it), and bond web-1/bond keeps web-1/eth0 active (it still reaches gw-1 or gw-2): together, gw-1 and web-1/eth0 cannot carry the service without gw-1~sw-1"],
        );
        // The master's own uplink: VRRP alone holds it.
        let uplink = model.element_by_name("internet~gw-1").unwrap().id;
        let b = super::blast_with_timings(&model, &[uplink]);
        assert_eq!(
            b.defeats,
            ["vrrp gw: keeps gw-1 active (its peers still hear it), though gw-1 cannot carry the service without internet~gw-1"],
        );
        // With a second failure that takes nothing down on its own (one of the bond's
        // NICs), the service is still down: the drill fails both at one instant. (It
        // said "all still up": only a single failure was drilled.) The uplink alone
        // explains it, so the NIC is not blamed.
        let nic = model.element_by_name("web-1/eth1").unwrap().id;
        assert!(super::blast_with_timings(&model, &[nic]).services_down.is_empty());
        let b = super::blast_with_timings(&model, &[uplink, nic]);
        assert_eq!(b.services_down.len(), 1, "{b:#?}");
        assert!(b.services_down[0].1[0].starts_with("down until internet~gw-1 returns (a drill: "), "{b:#?}");
        assert_eq!(
            b.defeats,
            ["vrrp gw: keeps gw-1 active (its peers still hear it), though gw-1 cannot carry the service without internet~gw-1"],
        );
    }

    /// Tracking of a link the service does not need moves the role to a member that
    /// cannot carry it: seen by the failover, moved the wrong way, and said so.
    #[test]
    fn tracking_that_moves_the_role_to_a_member_that_cannot_carry_is_named() {
        let text = r#"{ "components": { "internet": { "kind": "entry" }, "sw-f": { "kind": "switch" },
            "sw-x": { "kind": "switch" }, "lb-1": { "kind": "load-balancer" }, "lb-2": { "kind": "load-balancer" },
            "web-1": { "kind": "server", "runs": ["web"] } },
          "links": [ { "between": ["internet", "sw-f"] }, { "between": ["lb-1", "sw-f"] }, { "between": ["lb-2", "sw-f"] },
            { "between": ["lb-1", "web-1"] }, { "between": ["lb-1", "sw-x"] } ],
          "groups": { "vip": { "kind": "vrrp", "members": ["lb-1", "lb-2"], "track": { "lb-1": ["lb-1~sw-x"] } } },
          "services": { "www": { "from": "internet", "through": ["vip", "web-1/web"] } } }"#;
        let model = crate::load(text).model.expect("loads");
        let link = model.element_by_name("lb-1~sw-x").unwrap().id;
        let b = super::blast_with_timings(&model, &[link]);
        assert_eq!(b.services_down.len(), 1, "{b:#?}");
        assert!(
            b.services_down[0].1[0].ends_with("vrrp vip tracks lb-1~sw-x on lb-1, so the role moves off lb-1, which could carry the service, to a member that cannot"),
            "{b:#?}"
        );
        assert!(!b.services_down[0].1[0].contains("does not see"), "{b:#?}");
    }

    /// Two balancers in VRRP, each on its own switch, hearing each other over their own
    /// cable; web-1's active-backup bond (MII) on both switches, which share no link.
    /// sw-1's death drops eth0's carrier, so the bond moves to eth1 (it does not keep
    /// eth0), while lb-1, still heard by lb-2, keeps the virtual IP and reaches nothing:
    /// only VRRP is named. Neither group fails back after the repair (the bond has no
    /// `primary`), so the service stays down past it, which is not a long takeover.
    #[test]
    fn a_dead_switch_is_seen_by_mii_and_a_service_left_down_after_the_repair_says_so() {
        let text = r#"{ "components": { "internet": { "kind": "entry" },
            "lb-1": { "kind": "load-balancer" }, "lb-2": { "kind": "load-balancer" },
            "sw-1": { "kind": "switch" }, "sw-2": { "kind": "switch" },
            "web-1": { "kind": "server", "runs": ["web"], "bond": { "mode": "active-backup", "to": ["sw-1", "sw-2"] } },
            "db-1": { "kind": "server", "runs": ["db"], "nics": ["sw-1", "sw-2"] } },
          "links": [ { "between": ["internet", "lb-1"] }, { "between": ["internet", "lb-2"] }, { "between": ["lb-1", "lb-2"] },
            { "between": ["lb-1", "sw-1"] }, { "between": ["lb-2", "sw-2"] } ],
          "groups": { "lb-vip": { "kind": "vrrp", "members": ["lb-1", "lb-2"] } },
          "services": { "app": { "from": "internet", "through": ["lb-vip", "web-1/web", "db-1/db"] } } }"#;
        let model = crate::load(text).model.expect("loads");
        let switch = model.element_by_name("sw-1").unwrap().id;
        let b = super::blast_with_timings(&model, &[switch]);
        assert_eq!(b.defeats, ["vrrp lb-vip: keeps lb-1 active (its peers still hear it), though lb-1 cannot carry the service without sw-1"], "{b:#?}");
        assert_eq!(b.services_down.len(), 1, "{b:#?}");
        assert!(b.services_down[0].1[0].contains("still down a year after sw-1 returns"), "{b:#?}");
    }

    /// Found by a new-user trial: the active node and the cluster's fencing device fail
    /// together. The standby works but may not take over (it must fence the lost node
    /// first); `blast` said only "db-1/db down together", hiding why the standby did not
    /// serve.
    #[test]
    fn a_standby_that_may_not_take_over_is_explained_by_its_preconditions() {
        let text = r#"{ "components": { "internet": { "kind": "entry" }, "sw": { "kind": "switch" },
            "db-1": { "kind": "server", "nics": ["sw"], "runs": ["db"] }, "db-2": { "kind": "server", "nics": ["sw"], "runs": ["db"] },
            "ipmi": { "kind": "switch" } },
          "links": [ { "between": ["internet", "sw"] } ],
          "groups": { "db": { "kind": "cluster", "mode": "active-standby", "members": ["db-1/db", "db-2/db"], "fencing": { "device": "ipmi" } } },
          "services": { "s": { "from": "internet", "through": ["db"] } } }"#;
        let model = crate::load(text).model.expect("loads");
        let id = |name: &str| model.element_by_name(name).unwrap().id;
        let b = super::blast(&model, &[id("db-1/db"), id("ipmi")]);
        assert_eq!(
            b.defeats,
            ["cluster db: db-1/db down, and db-2/db may not take over: its takeover needs what is down (ipmi down)"],
            "{b:#?}"
        );
        // The fencing device alone stops nothing: the active needs no takeover.
        assert!(super::blast(&model, &[id("ipmi")]).defeats.is_empty());
        // Both nodes down: no precondition to blame.
        let both = super::blast(&model, &[id("db-1/db"), id("db-2/db")]);
        assert_eq!(both.defeats, ["cluster db: db-1/db and db-2/db down together"], "{both:#?}");
    }
}
