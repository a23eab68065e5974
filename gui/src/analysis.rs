//! What the app shows about a design, computed from the model with the same sim-core
//! calls the CLI makes: [`Facts`] (fast: SPOFs with their chains, lints, dependency
//! closures) on every valid edit, and [`Exact`] (exact availability, cut sets by
//! order and importance) as a background job, since it can take long on large meshed
//! designs; the `expect` verdicts follow as a job of their own (`Document::check`).
//! No analysis logic of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use sim_core::analysis::{analyze_tree, findings, structure, Options};
use sim_core::lints::Finding;
use sim_core::model::{ElementId, Model, NodeRef};

/// Cut sets listed per service in the findings panel.
pub const LISTED_CUT_SETS: usize = 200;
/// Cut sets are enumerated up to this order (counts per order are exact).
pub const MAX_ORDER: usize = 3;

/// The app's BDD budget (about 200 MB): past it a service shows why it has no exact
/// figure instead of the app running out of memory on a large meshed design.
#[cfg(not(target_arch = "wasm32"))]
pub const MAX_BDD_NODES: usize = 5_000_000;
/// In the browser the analysis runs on the page's only thread, so it gives up early
/// (a fraction of a second) rather than freeze the page.
#[cfg(target_arch = "wasm32")]
pub const MAX_BDD_NODES: usize = WEB_MAX_BDD_NODES;
/// The browser's budget; every bundled example fits it (tested natively; the largest,
/// full-single-site, allocates between 100k and 400k nodes on the way to its 8,785).
pub const WEB_MAX_BDD_NODES: usize = 400_000;

/// Single-failure dataflow runs the certified bounds may take when the exact figure is
/// out of reach: unlimited on the desktop (a background job), a few hundred on the
/// page's only thread (about 2 ms each in the browser on a 1,000-element design).
#[cfg(not(target_arch = "wasm32"))]
pub const MAX_BOUND_RUNS: usize = usize::MAX;
#[cfg(target_arch = "wasm32")]
pub const MAX_BOUND_RUNS: usize = 250;

/// Designs larger than this get bounds, not an exact attempt, on the page.
#[cfg(not(target_arch = "wasm32"))]
pub const MAX_EXACT_ELEMENTS: Option<usize> = None;
#[cfg(target_arch = "wasm32")]
pub const MAX_EXACT_ELEMENTS: Option<usize> = Some(600);

/// The fast findings of one model.
pub struct Facts {
    pub model: Arc<Model>,
    /// Sorted by element name.
    pub spofs: Vec<findings::Spof>,
    /// Sorted by position, then code.
    pub lints: Vec<Finding>,
    /// Element → index into `spofs`.
    pub spof_index: BTreeMap<ElementId, usize>,
    /// Per service (model order): every node it depends on, transitively.
    pub support: Vec<BTreeSet<NodeRef>>,
}

impl Facts {
    pub fn of(model: Arc<Model>) -> Facts {
        let points = sim_core::timed::single_points(&model);
        let mut spofs = findings::spofs(&model, &points.all, &points.unseen);
        spofs.sort_by(|a, b| a.element.cmp(&b.element));
        let mut lints = sim_core::lints::run(&model);
        // The scenario's `suppress` list: accepted SPOFs are drawn apart from open ones.
        sim_core::check::accept_findings(&model, &mut spofs, &mut lints);
        lints.sort_by(|a, b| (a.span.start, a.code, &a.subject).cmp(&(b.span.start, b.code, &b.subject)));
        let spof_index =
            spofs.iter().enumerate().filter_map(|(i, s)| Some((model.element_by_name(&s.element)?.id, i))).collect();
        let support = (0..model.services.len()).map(|s| support(&model, s)).collect();
        Facts { model, spofs, lints, spof_index, support }
    }

    pub fn spof_of(&self, element: ElementId) -> Option<&findings::Spof> {
        self.spof_index.get(&element).map(|&i| &self.spofs[i])
    }

    /// Whether `element` is a SPOF the scenario has not accepted.
    pub fn open_spof(&self, element: ElementId) -> bool {
        self.spof_of(element).is_some_and(|s| s.suppressed.is_none())
    }

    /// Whether `element` is a SPOF the scenario accepts (`suppress`, with a reason).
    pub fn accepted_spof(&self, element: ElementId) -> bool {
        self.spof_of(element).is_some_and(|s| s.suppressed.is_some())
    }

    /// Open SPOFs that the current picture does not draw (a hidden layer), by name:
    /// neither in a node (`drawn`: element → node) nor carried by a drawn edge (`links`).
    pub fn hidden_spofs(&self, drawn: &BTreeMap<ElementId, usize>, links: &BTreeSet<ElementId>) -> Vec<&str> {
        self.spofs
            .iter()
            .filter(|s| s.suppressed.is_none())
            .filter(|s| {
                self.model
                    .element_by_name(&s.element)
                    .is_some_and(|e| !drawn.contains_key(&e.id) && !links.contains(&e.id))
            })
            .map(|s| s.element.as_str())
            .collect()
    }
}

/// Every node `start` depends on (following "depends on" edges), without `start`.
/// O(V + E).
pub fn closure(model: &Model, start: NodeRef) -> BTreeSet<NodeRef> {
    let mut seen = BTreeSet::new();
    let Some(&first) = model.node_of.get(&start) else { return seen };
    let mut stack = vec![first];
    while let Some(n) = stack.pop() {
        for next in model.graph.neighbors(n) {
            if seen.insert(model.graph[next]) {
                stack.push(next);
            }
        }
    }
    seen.remove(&start);
    seen
}

/// What service `s` may depend on: its dependency closure, plus the network it
/// reaches through (cables and forwarding devices next to anything in the closure),
/// since network paths are requirements, not graph edges. O(V + E).
pub fn support(model: &Model, s: usize) -> BTreeSet<NodeRef> {
    let mut out = closure(model, NodeRef::Service(s as u32));
    let net = sim_core::model::NetworkIndex::new(model);
    let mut stack: Vec<ElementId> = out
        .iter()
        .filter_map(|n| match n {
            NodeRef::Element(e) => Some(*e),
            _ => None,
        })
        .chain([model.services[s].from])
        .collect();
    let mut seen: BTreeSet<ElementId> = stack.iter().copied().collect();
    let mut expand_from: BTreeSet<ElementId> = seen.clone();
    while let Some(e) = stack.pop() {
        out.insert(NodeRef::Element(e));
        if !expand_from.contains(&e) && !sim_core::model::FORWARDING.contains(&model.element(e).kind) {
            continue;
        }
        let attached = net.attached[e.0 as usize].iter().map(|&a| (a, None));
        let linked = net.adjacency[e.0 as usize].iter().map(|&(far, link)| (far, Some(link)));
        for (far, link) in attached.chain(linked).collect::<Vec<_>>() {
            if let Some(l) = link {
                out.insert(NodeRef::Element(l));
            }
            if seen.insert(far) {
                if link.is_none() {
                    expand_from.insert(far);
                }
                stack.push(far);
            }
        }
    }
    out
}

/// One service's exact figures.
#[derive(Clone, Debug)]
pub struct ServiceExact {
    pub name: String,
    /// Exact unavailability, or why it was not computed.
    pub unavailability: Result<f64, String>,
    /// Minimal cut sets per order (index = order), up to [`MAX_ORDER`].
    pub counts_by_order: Vec<u128>,
    /// Most probable first: (element names, probability).
    pub cut_sets: Vec<(Vec<String>, f64)>,
    /// Element name → (Birnbaum, Fussell-Vesely).
    pub importance: BTreeMap<String, (f64, f64)>,
    /// Dynamic parts solved exactly, and assumptions beyond the standard ones.
    pub modules: Vec<String>,
    pub notes: Vec<String>,
    /// Certified bounds on the unavailability when the exact figure was not computed.
    pub bounds: Option<sim_core::analysis::bounds::Bounds>,
}

impl ServiceExact {
    fn not_computed(name: String, why: String) -> ServiceExact {
        ServiceExact {
            name,
            unavailability: Err(why),
            counts_by_order: Vec::new(),
            cut_sets: Vec::new(),
            importance: BTreeMap::new(),
            modules: Vec::new(),
            notes: Vec::new(),
            bounds: None,
        }
    }
}

/// The slow results, per service (sorted by name).
pub struct Exact {
    pub services: Vec<ServiceExact>,
}

impl Exact {
    pub fn of(model: &Model) -> Exact {
        Exact::with_budget(model, MAX_BDD_NODES)
    }

    /// [`Exact::of`] with another BDD node budget.
    pub fn with_budget(model: &Model, max_bdd_nodes: usize) -> Exact {
        let options = Options {
            max_order: MAX_ORDER,
            max_listed: LISTED_CUT_SETS,
            importance: true,
            max_bdd_nodes,
            budget: sim_core::analysis::budget::Budget::UNLIMITED,
        };
        let mut names: Vec<String> = model.services.iter().map(|s| s.name.clone()).collect();
        names.sort();
        let mut bounds: Option<Vec<sim_core::analysis::bounds::Bounds>> = None;
        // On the page's only thread, building the unrolled fault tree of a large design
        // alone takes about a second; go straight to the certified bounds there.
        let too_large = MAX_EXACT_ELEMENTS.filter(|&m| model.elements.len() > m);
        let trees: Vec<Result<sim_core::analysis::FaultTree, String>> = match too_large {
            Some(max) => names
                .iter()
                .map(|_| {
                    Err(format!(
                        "the page skips the exact analysis above {max} elements (this design has {}); the desktop app and `spofsim analyze` run it",
                        model.elements.len()
                    ))
                })
                .collect(),
            None => structure::service_trees(model).into_iter().map(|t| t.map_err(|e| e.to_string())).collect(),
        };
        let services = names
            .into_iter()
            .zip(trees)
            .map(|(name, tree)| {
                // What the static model behind the bounds leaves out (`bounds::uncredited`).
                let (dynamic, crews) = sim_core::analysis::bounds::uncredited(model, tree.as_ref().ok());
                match tree.and_then(|t| {
                    let r = analyze_tree(&t, &options).map_err(|e| e.to_string())?;
                    Ok((t, r))
                }) {
                    Err(why) => {
                        // Beyond exact reach: certified bounds (computed once for all services).
                        let all = bounds.get_or_insert_with(|| {
                            let runs = MAX_BOUND_RUNS as u64;
                            let budget = match runs.checked_mul(sim_core::analysis::bounds::run_cost(model)) {
                                Some(units) => sim_core::analysis::budget::Budget::of_work(units, None),
                                None => sim_core::analysis::budget::Budget::UNLIMITED,
                            };
                            sim_core::analysis::bounds::certified_bounds_within(model, budget)
                        });
                        let index = model.services.iter().position(|s| s.name == name);
                        let mut s = ServiceExact::not_computed(name, why);
                        s.bounds = index.map(|i| all[i].for_true_figure(dynamic, crews));
                        // Say why they were widened, as the CLI's reports do.
                        let widened = index.and_then(|i| {
                            sim_core::analysis::bounds::widening_note(dynamic, crews, all[i].widens_for_restarts())
                        });
                        if let (Some(why), Some(i)) = (widened, index) {
                            let (low, high) = (all[i].lower, all[i].upper);
                            s.notes.push(format!(
                                "the certified bounds are widened from the static model's unavailability {low:e} .. {high:e}: {why}; `spofsim simulate` measures the true figure"
                            ));
                        }
                        s
                    }
                    Ok((tree, r)) => {
                        let event = |e: u32| tree.events[e as usize].name.clone();
                        ServiceExact {
                            name,
                            unavailability: Ok(r.probability),
                            counts_by_order: r.counts_by_order.clone(),
                            cut_sets: r
                                .cut_sets
                                .iter()
                                .map(|c| (c.events.iter().map(|&e| event(e)).collect(), c.probability))
                                .collect(),
                            importance: r
                                .importance
                                .iter()
                                .map(|i| (event(i.event), (i.birnbaum, i.fussell_vesely)))
                                .collect(),
                            modules: r.modules.clone(),
                            notes: r.notes.clone(),
                            bounds: None,
                        }
                    }
                }
            })
            .collect();
        // Not the scenario's `expect` verdicts: they simulate (models_agree runs 10,000
        // years), which on the page's one thread held the first figures back by
        // seconds; only the report shows them, and computes them when it is written.
        Exact { services }
    }

    pub fn service(&self, name: &str) -> Option<&ServiceExact> {
        self.services.iter().find(|s| s.name == name)
    }
}

pub use sim_core::check::percent;
pub use spofsim::report::nines;

/// Downtime per year of an unavailability, as "52m 34s".
pub fn downtime_per_year(unavailability: f64) -> String {
    sim_core::units::Duration::from_secs(unavailability * sim_core::units::SECS_PER_YEAR).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_gets_exact_figures_within_the_browsers_budget() {
        for e in crate::examples::EXAMPLES {
            let model = crate::examples::load(e).model.unwrap();
            let exact = Exact::with_budget(&model, WEB_MAX_BDD_NODES);
            for s in &exact.services {
                assert!(s.unavailability.is_ok(), "{} {}: {:?}", e.file, s.name, s.unavailability);
            }
        }
    }

    /// Beyond exact reach (a budget of one BDD node), a design with UPS batteries gets
    /// certified bounds widened for the true figure, and a note that says why (the
    /// desktop app and the page showed the widened bounds without a reason).
    #[test]
    fn widened_bounds_say_why() {
        let text = crate::examples::find("power/dual-power-path.jsonc").unwrap().text;
        let model = sim_core::load(text).model.unwrap();
        let exact = Exact::with_budget(&model, 1);
        let s = &exact.services[0];
        assert!(s.unavailability.is_err() && s.bounds.is_some(), "{:?}", s.unavailability);
        assert!(
            s.notes.iter().any(|n| n.contains("certified bounds are widened") && n.contains("UPS batteries")),
            "{:#?}",
            s.notes
        );
    }

    #[test]
    fn facts_and_exact_figures_match_the_cli_engine() {
        let text = crate::examples::find("anti-patterns/single-load-balancer.jsonc").unwrap().text;
        let model = Arc::new(sim_core::load(text).model.unwrap());
        let facts = Facts::of(model.clone());
        assert!(!facts.spofs.is_empty());
        let lb = model.element_by_name(&facts.spofs[0].element).unwrap().id;
        assert!(facts.spof_of(lb).is_some());
        let exact = Exact::of(&model);
        let tree = &structure::service_trees(&model)[0];
        let direct = analyze_tree(tree.as_ref().unwrap(), &Options::default()).unwrap().probability;
        assert_eq!(model.services.len(), 1);
        assert_eq!(exact.services[0].unavailability, Ok(direct));
        // The order-1 cut sets are the SPOFs the dataflow finds.
        assert_eq!(exact.services[0].counts_by_order[1], facts.spofs.len() as u128);
        assert_eq!(sim_core::check::check(&model).failed(), 0);
    }
}
