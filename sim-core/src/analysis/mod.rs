//! Static analysis: exact top-event probability, minimal cut sets and importance of a
//! fault tree, by BDD (probabilities) and ZBDD (cut sets). Scenario services become
//! fault trees in [`structure`]; Open-PSA MEF files in [`crate::mef`].
//!
//! Assumptions (stated in every report): failures are independent, and every failover
//! completes instantly; the simulator measures what happens in between.

pub mod approx;
pub mod bdd;
pub mod bounds;
pub mod budget;
pub mod compile;
pub mod crew_wait;
pub mod dynamic;
pub mod fault_tree;
pub mod findings;
pub mod frontier;
pub mod single_failures;
pub mod structure;
pub mod unroll;
pub mod zbdd;

#[cfg(test)]
mod property_tests;

pub use fault_tree::{BasicEvent, FaultTree, Gate, GateDef, Module, Reach, ReachMember, Ref};

use zbdd::Zbdd;

/// What to compute.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Largest cut-set order enumerated and counted (`usize::MAX`: all).
    pub max_order: usize,
    /// At most this many cut sets are ranked and listed.
    pub max_listed: usize,
    pub importance: bool,
    /// Stop (with [`AnalysisError::TooLarge`]) when the BDD would exceed this many
    /// nodes, rather than exhaust memory (each node costs about 40 bytes with its
    /// hash entries, plus the operation cache).
    pub max_bdd_nodes: usize,
    /// The work budget ([`budget::Budget`]): once spent, the BDD stops as at its node
    /// budget and the analysis returns [`AnalysisError::OutOfBudget`].
    pub budget: budget::Budget,
}

/// The default BDD budget: at most a few GB (fat-tree k=16 peaked at 3.4 GB with 30M).
pub const DEFAULT_MAX_BDD_NODES: usize = 20_000_000;

impl Default for Options {
    fn default() -> Self {
        Options {
            max_order: 3,
            max_listed: 1000,
            importance: true,
            max_bdd_nodes: DEFAULT_MAX_BDD_NODES,
            budget: budget::Budget::UNLIMITED,
        }
    }
}

/// Why a tree has no exact result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AnalysisError {
    NoTopEvent,
    /// The BDD outgrew [`Options::max_bdd_nodes`].
    TooLarge {
        max_bdd_nodes: usize,
    },
    /// The work budget ([`Options::budget`]) ran out, or its wall-clock safety limit
    /// came first.
    OutOfBudget(budget::Spent),
}

impl AnalysisError {
    /// The reason alone, for fault trees (no scenario-specific advice).
    pub fn brief(&self) -> String {
        match self {
            AnalysisError::NoTopEvent => "no top event".into(),
            AnalysisError::TooLarge { max_bdd_nodes } => format!(
                "the exact analysis stopped at {max_bdd_nodes} BDD nodes (--max-bdd-nodes; a longer --budget-secs will not help)"
            ),
            AnalysisError::OutOfBudget(spent) => format!("the exact analysis {}", spent_clause(*spent)),
        }
    }
}

impl std::fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            AnalysisError::NoTopEvent => f.write_str("no top event"),
            AnalysisError::TooLarge { max_bdd_nodes } => write!(
                f,
                "the exact analysis stopped at {max_bdd_nodes} BDD nodes (memory, not time: a longer --budget-secs will not help): the design is too meshed for it; single points of failure still come from the single-failure dataflow, and `spofsim simulate` measures availability"
            ),
            AnalysisError::OutOfBudget(spent) => write!(
                f,
                "the exact analysis {}: single points of failure still come from the single-failure dataflow, and `spofsim simulate` measures availability",
                spent_clause(*spent)
            ),
        }
    }
}

/// What stopped an exact computation, as a clause after "the exact analysis".
pub fn spent_clause(spent: budget::Spent) -> &'static str {
    match spent {
        budget::Spent::Work => "used its work budget (--budget-secs, counted in work so the result is the same on every machine; it may finish with more)",
        budget::Spent::Clock => "reached the wall-clock limit (four times --budget-secs) before its work budget, so this result depends on this machine's speed and load; a longer --budget-secs may finish it",
    }
}

/// A minimal cut set: events (indices into the tree) sorted by name.
#[derive(Clone, Debug, PartialEq)]
pub struct CutSet {
    pub events: Vec<u32>,
    /// The probability that all its events are down together: the product of their
    /// probabilities, except that events of one solved module (a UPS battery's
    /// outage-beyond-battery and its input, a RAID group's slots) take their joint
    /// probability from the module.
    pub probability: f64,
}

/// BDD levels of the events that occur in some minimal cut set (SCRAM lists importance
/// for those only): on a coherent tree, the BDD's support (the cut-set family may be cut
/// at an order); otherwise the variables of every minimal solution.
fn occurring_levels(
    tree: &FaultTree,
    c: &mut compile::Compiled,
    z: &mut Zbdd,
    mcs: zbdd::ZNode,
    max_order: usize,
) -> rustc_hash::FxHashSet<u32> {
    if tree.is_coherent() {
        c.bdd.support(c.top)
    } else if max_order < c.order.len() {
        let all = z.minimal_solutions(&c.bdd, c.top);
        z.variables(all)
    } else {
        z.variables(mcs)
    }
}

/// P(every event of `events` occurs): independent events multiply; events of one module
/// take the sum of the module's joint probability over the states where they all hold.
fn joint_probability(tree: &FaultTree, events: &[u32]) -> f64 {
    let mut product = 1.0;
    let mut in_module = vec![0usize; tree.modules.len()];
    for &e in events {
        match tree.modules.iter().position(|m| m.events.contains(&e)) {
            Some(k) => {
                let bit = tree.modules[k].events.iter().position(|&x| x == e).unwrap_or(0);
                in_module[k] |= 1 << bit;
            }
            None => product *= tree.events[e as usize].probability,
        }
    }
    for (m, &need) in tree.modules.iter().zip(&in_module) {
        if need != 0 {
            product *= m.joint.iter().enumerate().filter(|&(mask, _)| mask & need == need).map(|(_, p)| p).sum::<f64>();
        }
    }
    product
}

/// Importance of one basic event: the textbook definitions, which are SCRAM's (MIF,
/// CIF, DIF, RAW, RRW) on coherent trees. On non-coherent trees SCRAM flips the sign
/// of events it complements internally and derives RAW/RRW from that (giving e.g. a
/// negative RAW); we keep the exact conditional probabilities instead.
#[derive(Clone, Debug, PartialEq)]
pub struct Importance {
    pub event: u32,
    /// Birnbaum (marginal importance factor): P(top | e) − P(top | ¬e). Negative only
    /// in non-coherent trees, where failing e can make the top event less likely.
    pub birnbaum: f64,
    /// Criticality: Birnbaum × p(e) / P(top).
    pub criticality: f64,
    /// Fussell-Vesely (diagnosis importance): p(e) × P(top | e) / P(top).
    pub fussell_vesely: f64,
    /// Risk achievement worth: P(top | e) / P(top).
    pub raw: f64,
    /// Risk reduction worth: P(top) / P(top | ¬e).
    pub rrw: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TreeResult {
    /// Exact top-event probability (unavailability, for a service), with every dynamic
    /// module at its solved probability.
    pub probability: f64,
    /// The same with every event independent at its static probability (cut sets and
    /// importance are computed on this view).
    pub static_probability: f64,
    /// Dynamic parts solved on their own, as text.
    pub modules: Vec<String>,
    /// Some solved part queues its repairs for limited crews (its figure with detection
    /// then holds a crew through the detection delay: pessimistic).
    pub crew_chains: bool,
    /// Assumptions beyond the standard ones, with the size or direction of their error.
    pub notes: Vec<String>,
    /// Minimal cut sets per order (index = order), up to `max_order`.
    pub counts_by_order: Vec<u128>,
    /// Listed cut sets, most probable first (ties: by event names).
    pub cut_sets: Vec<CutSet>,
    /// Whether more cut sets exist (within `max_order`) than were listed.
    pub truncated: bool,
    /// Per event, sorted by event name; empty unless requested.
    pub importance: Vec<Importance>,
    pub bdd_nodes: usize,
    pub coherent: bool,
    /// Events that alone cause the top event (order-1 cut sets), however many are listed.
    pub single_points: Vec<u32>,
}

impl TreeResult {
    pub fn total_cut_sets(&self) -> u128 {
        self.counts_by_order.iter().fold(0u128, |a, &b| a.saturating_add(b))
    }
}

/// BDD nodes × events above which importance uses one derivative pass instead of
/// per-event BDD operations (both exact in exact arithmetic; tested to agree).
const IMPORTANCE_EXACT_WORK: u128 = 20_000_000;

/// Enumerations stop here even when more is asked; counts stay exact.
const ENUMERATION_CAP: usize = 2_000_000;

/// Analyses one fault tree.
pub fn analyze_tree(tree: &FaultTree, options: &Options) -> Result<TreeResult, AnalysisError> {
    analyze_tree_keeping(tree, options).map(|(r, _)| r)
}

/// [`analyze_tree`], also returning the compiled BDD, so that the same structure under
/// other event probabilities (the figure with detection delays) costs one pass over it
/// ([`compile::Compiled::probability_of_same_structure`]) instead of a second compile.
pub fn analyze_tree_keeping(
    tree: &FaultTree,
    options: &Options,
) -> Result<(TreeResult, compile::Compiled), AnalysisError> {
    let mut c = compile::compile_within(tree, options.max_bdd_nodes, options.budget)?;
    // Probabilities by BDD level.
    let p: Vec<f64> = c.order.iter().map(|&e| tree.events[e as usize].probability).collect();
    let static_probability = c.bdd.probability(c.top, &p);
    let probability = if tree.modules.is_empty() {
        static_probability
    } else {
        let blocks = compile::module_blocks(tree, &c.order);
        c.bdd.probability_with_blocks(c.top, &p, &blocks)
    };
    let mut notes = tree.notes.clone();
    notes.sort();
    notes.dedup();
    let mut z = Zbdd::new();
    let max_order = options.max_order.min(c.order.len());
    let mcs = if max_order < c.order.len() {
        z.minimal_solutions_up_to(&c.bdd, c.top, max_order.max(1))
    } else {
        z.minimal_solutions(&c.bdd, c.top)
    };
    let counts_by_order = z.count_by_order(mcs, max_order);
    let total: u128 = counts_by_order.iter().fold(0u128, |a, &b| a.saturating_add(b));
    let enumerate = (total.min(ENUMERATION_CAP as u128)) as usize;
    let name = |e: u32| tree.events[e as usize].name.as_str();
    let mut cut_sets: Vec<CutSet> = z
        .sets(mcs, max_order, enumerate)
        .into_iter()
        .map(|levels| {
            let mut events: Vec<u32> = levels.iter().map(|&l| c.order[l as usize]).collect();
            events.sort_by(|&a, &b| name(a).cmp(name(b)));
            let probability = joint_probability(tree, &events);
            CutSet { events, probability }
        })
        .collect();
    cut_sets.sort_by(|a, b| {
        b.probability.total_cmp(&a.probability).then_with(|| {
            let an: Vec<&str> = a.events.iter().map(|&e| name(e)).collect();
            let bn: Vec<&str> = b.events.iter().map(|&e| name(e)).collect();
            an.cmp(&bn)
        })
    });
    let mut single_points: Vec<u32> =
        z.sets(mcs, 1, usize::MAX).into_iter().filter(|s| s.len() == 1).map(|s| c.order[s[0] as usize]).collect();
    single_points.sort_by(|&a, &b| name(a).cmp(name(b)));
    // Crews the figure does not charge: how much queueing within each cut set adds.
    if let Some((crews, rates)) = &tree.crew_queue {
        let w = crew_wait::estimate(tree, &cut_sets, rates, *crews);
        let of = if (total as usize) > cut_sets.len() {
            format!("{} of the {total} minimal cut sets of order ≤ {max_order}", cut_sets.len())
        } else {
            format!("the minimal cut sets of order ≤ {max_order}")
        };
        if w.used > 0 {
            let mut skipped = String::new();
            if w.skipped > 0 {
                skipped += &format!(
                    "; {} cut set(s) with a part whose downtime is not all crew repair (a RAID rebuild, a derived event) were left out",
                    w.skipped
                );
            }
            if w.too_large > 0 {
                skipped +=
                    &format!("; {} cut set(s) of more than {} events were left out", w.too_large, crew_wait::MAX_ORDER);
            }
            let share =
                if probability > 0.0 { format!(", {:.2}x this figure", w.added / probability) } else { String::new() };
            notes.push(format!(
                "repair_crews = {crews}: queueing within each cut set adds about {:.3e} to the unavailability{share} (first order: {} of {of}, each solved as its own crew queue, summed: waits behind repairs outside a cut set are left out, and states with several cut sets down count once per cut set, so this is a size, not a bound{skipped}); `spofsim simulate` measures it",
                w.added, w.used
            ));
        } else if w.skipped + w.too_large > 0 {
            notes.push(format!(
                "repair_crews = {crews}: no estimate of what queueing adds: of the {} cut set(s) of {of} whose events can wait for each other, {} have a part whose downtime is not all crew repair (a RAID rebuild, a derived event) and {} more than {} events; `spofsim simulate` measures it",
                w.skipped + w.too_large,
                w.skipped,
                w.too_large,
                crew_wait::MAX_ORDER
            ));
        }
    }
    let truncated = cut_sets.len() > options.max_listed || (total as usize) > cut_sets.len();
    cut_sets.truncate(options.max_listed);
    let mut importance = Vec::new();
    // With solved modules, importance conditions on each event under the modules' joint
    // distributions (exact, one BDD operation per event); past the exact work limit it
    // falls back to the independent view, and a note says so.
    let blocks = (!tree.modules.is_empty()).then(|| compile::module_blocks(tree, &c.order));
    if options.importance && blocks.is_some() && probability > 0.0 {
        let blocks = blocks.as_deref().unwrap_or(&[]);
        let occurring = occurring_levels(tree, &mut c, &mut z, mcs, max_order);
        let nodes = c.bdd.size(c.top);
        let within = (nodes as u128) * (occurring.len() as u128) <= IMPORTANCE_EXACT_WORK
            && c.bdd.len().saturating_add(4 * nodes.saturating_mul(occurring.len())) <= options.max_bdd_nodes;
        if within {
            let pf = probability;
            for (level, &e) in c.order.clone().iter().enumerate() {
                if !occurring.contains(&(level as u32)) {
                    continue;
                }
                let pe = joint_probability(tree, &[e]);
                if pe <= 0.0 || pe >= 1.0 {
                    continue;
                }
                let v = c.bdd.var(level as u32);
                let nv = c.bdd.not(v);
                let (with_e, without_e) = (c.bdd.and(c.top, v), c.bdd.and(c.top, nv));
                let p_with = c.bdd.probability_with_blocks(with_e, &p, blocks);
                let p_without = c.bdd.probability_with_blocks(without_e, &p, blocks);
                let (p1, p0) = (p_with / pe, p_without / (1.0 - pe));
                importance.push(Importance {
                    event: e,
                    birnbaum: p1 - p0,
                    criticality: (p1 - p0) * pe / pf,
                    fussell_vesely: p_with / pf,
                    raw: p1 / pf,
                    rrw: if p0 > 0.0 { pf / p0 } else { f64::INFINITY },
                });
            }
            if c.bdd.exceeded() {
                importance.clear();
            }
        }
        if importance.is_empty() && !occurring.is_empty() {
            notes.push("importance uses every part independent and static (the solved parts' joint distributions were beyond the exact work limit), so it can mislead where a solved part matters".to_string());
        } else {
            importance.sort_by(|a, b| name(a.event).cmp(name(b.event)));
        }
    }
    if options.importance && importance.is_empty() && static_probability > 0.0 {
        // Events that occur in some minimal cut set (SCRAM lists only those): on a
        // coherent tree, the BDD's support (the cut-set family may be cut at an order).
        let occurring = occurring_levels(tree, &mut c, &mut z, mcs, max_order);
        let pf = static_probability;
        // Per-event BDD operations are exact to the last digit but cost O(|BDD|) each;
        // past this much work, one derivative pass gives every Birnbaum at once.
        let nodes = c.bdd.size(c.top);
        let mut fast = (nodes as u128) * (occurring.len() as u128) > IMPORTANCE_EXACT_WORK;
        // Per-event operations add nodes; near the budget, the derivative pass (which
        // adds none) is used instead, and also if the budget runs out midway.
        let budget_before = c.bdd.len();
        if budget_before.saturating_add(4 * nodes.saturating_mul(occurring.len())) > options.max_bdd_nodes {
            fast = true;
        }
        for attempt in 0..2 {
            importance.clear();
            let derivatives = if fast { c.bdd.birnbaum_all(c.top, &p) } else { Vec::new() };
            for (level, &e) in c.order.clone().iter().enumerate() {
                if !occurring.contains(&(level as u32)) {
                    continue;
                }
                let pe = tree.events[e as usize].probability;
                let (birnbaum, p1, p0) = if fast {
                    let b = derivatives[level];
                    (b, pf + (1.0 - pe) * b, (pf - pe * b).max(0.0))
                } else {
                    let f1 = c.bdd.restrict(c.top, level as u32, true);
                    let f0 = c.bdd.restrict(c.top, level as u32, false);
                    let (p1, p0) = (c.bdd.probability(f1, &p), c.bdd.probability(f0, &p));
                    // P(f1 ∧ ¬f0) − P(f0 ∧ ¬f1): no cancellation when p1 ≈ p0.
                    let (n0, n1) = (c.bdd.not(f0), c.bdd.not(f1));
                    let (gain, loss) = (c.bdd.and(f1, n0), c.bdd.and(f0, n1));
                    (c.bdd.probability(gain, &p) - c.bdd.probability(loss, &p), p1, p0)
                };
                importance.push(Importance {
                    event: e,
                    birnbaum,
                    criticality: birnbaum * pe / pf,
                    fussell_vesely: pe * p1 / pf,
                    raw: p1 / pf,
                    rrw: if p0 > 0.0 { pf / p0 } else { f64::INFINITY },
                });
            }
            if !c.bdd.exceeded() || fast || attempt == 1 {
                break;
            }
            fast = true;
        }
        importance.sort_by(|a, b| name(a.event).cmp(name(b.event)));
    }
    let result = TreeResult {
        probability,
        static_probability,
        modules: tree.modules.iter().map(|m| m.what.clone()).collect(),
        crew_chains: tree.modules.iter().any(|m| m.crews.is_some()),
        notes,
        counts_by_order,
        cut_sets,
        truncated,
        importance,
        bdd_nodes: c.bdd.size(c.top),
        coherent: tree.is_coherent(),
        single_points,
    };
    Ok((result, c))
}

#[cfg(test)]
mod joint_view_tests {
    use super::*;

    /// tests/cases/exact/ups-unequal-batteries.jsonc: one outage outlasts both batteries.
    /// Oracle: the closed form q_u · e^(−600/MTTR_u) · g for the cut set with the longer
    /// battery (g the generator's unavailability on demand, 1 − (1 − U)(1 − p_fail)),
    /// and the outage and the generator ranking first in Fussell-Vesely, as the
    /// simulation attributes 99.6 % of the downtime to them.
    #[test]
    fn unequal_batteries_on_one_feed_share_their_outage() {
        let text = include_str!("../../../tests/cases/exact/ups-unequal-batteries.jsonc");
        let model = crate::load(text).model.unwrap();
        let tree = structure::service_trees(&model).remove(0).unwrap();
        let r = analyze_tree(&tree, &Options::default()).unwrap();
        let el = |n: &str| model.element_by_name(n).unwrap();
        let u = el("utility").failure.unwrap();
        let q_u = u.mttr_secs / (u.mtbf_secs + u.mttr_secs);
        let g = el("gen").unavailability(0.0);
        let expected = q_u * (-600.0 / u.mttr_secs).exp() * g;
        let names = |c: &CutSet| {
            let mut n: Vec<&str> = c.events.iter().map(|&e| tree.events[e as usize].name.as_str()).collect();
            n.sort();
            n
        };
        let top = &r.cut_sets[0];
        // Both batteries are credited (nested: beyond ups-a's 10 min is beyond ups-b's
        // 2 min too), so the cut set names both events; its chance is the longer's.
        assert_eq!(names(top), ["gen", "utility (beyond ups-a's battery)", "utility (beyond ups-b's battery)"]);
        assert!(
            (top.probability - expected).abs() < 1e-12 * expected.max(1e-300) + 1e-18,
            "{} vs {expected}",
            top.probability
        );
        let fv = |n: &str| {
            r.importance.iter().find(|i| tree.events[i.event as usize].name == n).map(|i| i.fussell_vesely).unwrap()
        };
        assert!(fv("gen") > fv("ups-a"), "gen {} vs ups-a {}", fv("gen"), fv("ups-a"));
        let outage = fv("utility (beyond ups-a's battery)");
        assert!(outage > fv("ups-a"), "utility beyond ups-a's battery {outage} vs ups-a {}", fv("ups-a"));
        // Fussell-Vesely of an event in every cut set that carries the figure is near 1.
        assert!(fv("utility (beyond ups-a's battery)") > 0.9);
        assert!(fv("utility (beyond ups-b's battery)") > 0.9);
    }
}

#[cfg(test)]
mod budget_tests {
    use super::*;

    fn full_site_tree() -> FaultTree {
        let text = include_str!("../../../scenarios/full-single-site.jsonc");
        let model = crate::load(text).model.unwrap();
        structure::service_trees(&model).remove(0).unwrap()
    }

    /// A tree whose top is one event (tests/cases/exact/ups-battery.jsonc: the feed's
    /// outages beyond the battery) compiled with a spent budget: an error, never the
    /// FALSE node a stopped manager answers (which read as 100% availability).
    #[test]
    fn a_spent_budget_is_an_error_even_when_the_top_is_one_event() {
        let text = include_str!("../../../tests/cases/exact/ups-battery.jsonc");
        let model = crate::load(text).model.expect("model");
        let tree = crate::analysis::structure::service_trees(&model).into_iter().next().unwrap().unwrap();
        assert!(matches!(tree.top, Some(crate::analysis::Ref::Event(_))), "{:?}", tree.top);
        let spent = Options { budget: super::budget::Budget::of_work(0, None), ..Options::default() };
        assert!(
            matches!(analyze_tree(&tree, &spent), Err(AnalysisError::OutOfBudget(_))),
            "{:?}",
            analyze_tree(&tree, &spent).map(|r| r.probability)
        );
        assert!(analyze_tree(&tree, &Options::default()).unwrap().probability > 3e-4);
    }

    #[test]
    fn a_small_budget_stops_cleanly_and_importance_falls_back_near_it() {
        // The independent view, whose two importance passes are compared here: the
        // site's RAID 6 of 10 with spares is a solved module, whose exact importance
        // falls back to this view near the budget (with a note) and so would differ.
        let mut tree = full_site_tree();
        tree.modules.clear();
        let full = analyze_tree(&tree, &Options::default()).unwrap();
        // Too small to build the BDD at all: an error, not a wrong answer.
        let tiny = Options { max_bdd_nodes: 100, ..Options::default() };
        assert_eq!(analyze_tree(&tree, &tiny).unwrap_err(), AnalysisError::TooLarge { max_bdd_nodes: 100 });
        // Enough for the BDD but not for per-event importance: same probability and
        // cut sets, importance from the derivative pass (agreeing closely).
        // The least budget that builds the BDD, by bisection.
        // The unrolled gates alone: with their Reach twins, an attempt past `n` nodes
        // falls back to frontier search, which made this bisection take six minutes.
        let mut unrolled = tree.clone();
        unrolled.reach_equivalents.clear();
        let builds = |n: usize| {
            analyze_tree(&unrolled, &Options { max_bdd_nodes: n, importance: false, ..Options::default() }).is_ok()
        };
        let (mut lo, mut hi) = (100, 10_000_000);
        while lo + 1 < hi {
            let mid = (lo + hi) / 2;
            if builds(mid) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        let tight = Options { max_bdd_nodes: hi + 10, ..Options::default() };
        let r = analyze_tree(&tree, &tight).unwrap();
        assert_eq!(r.probability, full.probability);
        assert_eq!(r.counts_by_order, full.counts_by_order);
        assert_eq!(r.importance.len(), full.importance.len());
        for (a, b) in r.importance.iter().zip(&full.importance) {
            assert_eq!(a.event, b.event);
            assert!((a.birnbaum - b.birnbaum).abs() <= 1e-9 * b.birnbaum.abs().max(1e-12), "{a:?} vs {b:?}");
        }
    }
}
