//! Property tests against brute force on random small scenarios: for every set of up
//! to `order` failed elements, the fault tree and the direct model evaluation must
//! agree on whether the service is down; the ZBDD's minimal cut sets must be exactly
//! the minimal failing sets; and where the state space is small, the BDD probability
//! must equal the sum over all 2^n states. On the multi-tier designs (redundant middle
//! tiers with half-cabled members, clusters with quorum devices on the network), small
//! enough designs are also checked on every one of their 2^n states against the direct
//! evaluator, and the BDD probability against the oracle's own sum.

use std::collections::BTreeSet;

use super::fault_tree::{FaultTree, Gate, Ref};
use super::structure::service_structures;
use super::{analyze_tree, Options};
use crate::generate::{half_cabled_members, multi_tier, random, MULTI_TIER_MAX_FAILABLE};
use crate::model::eval::Evaluator;
use crate::model::{ElementId, GroupId, Model};

fn subsets(n: usize, max: usize) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new()];
    let mut frontier = vec![Vec::new()];
    for _ in 0..max {
        let mut next = Vec::new();
        for s in &frontier {
            let start = s.last().map_or(0, |&l: &usize| l + 1);
            for i in start..n {
                let mut t = s.clone();
                t.push(i);
                next.push(t);
            }
        }
        out.extend(next.iter().cloned());
        frontier = next;
    }
    out
}

/// A fault tree evaluated on 64 failure states at once (bit j of every word is state
/// j): one pass over the gates under the top, arguments first. Checked against
/// [`FaultTree::top_happens`] by `check`, and much faster when every state is visited.
struct Lanes<'t> {
    tree: &'t FaultTree,
    /// Gates under the top, each after its arguments.
    order: Vec<u32>,
    value: Vec<u64>,
}

impl<'t> Lanes<'t> {
    fn new(tree: &'t FaultTree) -> Lanes<'t> {
        let mut order = Vec::new();
        let mut seen = vec![false; tree.gates.len()];
        let mut stack: Vec<(Ref, bool)> = tree.top.into_iter().map(|r| (r, false)).collect();
        while let Some((r, args_done)) = stack.pop() {
            let Ref::Gate(g) = r else { continue };
            if args_done {
                order.push(g);
            } else if !std::mem::replace(&mut seen[g as usize], true) {
                stack.push((r, true));
                stack.extend(tree.gates[g as usize].gate.args().iter().map(|&a| (a, false)));
            }
        }
        Lanes { tree, order, value: vec![0; tree.gates.len()] }
    }

    /// The top event in each of 64 states, `events[e]` holding event e's failures.
    fn top(&mut self, events: &[u64]) -> u64 {
        let value = |v: &[u64], r: Ref| match r {
            Ref::Const(b) => 0u64.wrapping_sub(u64::from(b)),
            Ref::Event(e) => events[e as usize],
            Ref::Gate(g) => v[g as usize],
        };
        for &g in &self.order {
            let v = match &self.tree.gates[g as usize].gate {
                Gate::And(a) => a.iter().fold(!0, |acc, &r| acc & value(&self.value, r)),
                Gate::Or(a) => a.iter().fold(0, |acc, &r| acc | value(&self.value, r)),
                Gate::Xor(a) => a.iter().fold(0, |acc, &r| acc ^ value(&self.value, r)),
                Gate::Not(r) => !value(&self.value, *r),
                Gate::AtLeast(k, a) => {
                    // at_least[j]: at least j of the arguments so far happen.
                    let k = *k as usize;
                    let mut at_least = vec![0u64; k + 1];
                    at_least[0] = !0;
                    for &r in a {
                        let x = value(&self.value, r);
                        for j in (1..=k).rev() {
                            at_least[j] |= at_least[j - 1] & x;
                        }
                    }
                    at_least[k]
                }
                Gate::Reach(reach) => {
                    // One lane at a time, through the gate's own evaluator.
                    let args: Vec<u64> = reach.args().into_iter().map(|r| value(&self.value, r)).collect();
                    let mut out = 0u64;
                    for lane in 0..64 {
                        let bits: Vec<bool> = args.iter().map(|w| w >> lane & 1 == 1).collect();
                        out |= u64::from(reach.evaluate(&bits)) << lane;
                    }
                    out
                }
            };
            self.value[g as usize] = v;
        }
        self.tree.top.map_or(0, |r| value(&self.value, r))
    }
}

/// Bit j of word `base / 64` for event i in the enumeration of all states: state
/// `base + j` has event i failed when bit i of `base + j` is set.
fn state_word(base: u64, i: usize) -> u64 {
    const LOW: [u64; 6] = [
        0xAAAA_AAAA_AAAA_AAAA,
        0xCCCC_CCCC_CCCC_CCCC,
        0xF0F0_F0F0_F0F0_F0F0,
        0xFF00_FF00_FF00_FF00,
        0xFFFF_0000_FFFF_0000,
        0xFFFF_FFFF_0000_0000,
    ];
    if i < 6 {
        LOW[i]
    } else {
        0u64.wrapping_sub((base >> i) & 1)
    }
}

/// The states `base..base + 64` that exist among 2^n.
fn lanes_in_use(base: u64, n: usize) -> u64 {
    let states = (1u64 << n) - base;
    if states >= 64 {
        !0
    } else {
        (1u64 << states) - 1
    }
}

fn check(model: &Model, order: usize, seed: u64) -> (usize, bool) {
    let failable: Vec<ElementId> = model.elements.iter().filter(|e| e.failure.is_some()).map(|e| e.id).collect();
    let mut probability_checked = false;
    let mut oracle = Evaluator::new(model);
    let dataflow = super::single_failures::single_failures(model);
    for st in service_structures(model).into_iter().map(|s| s.expect("small scenarios build exact trees")) {
        let tree = &st.tree;
        let mut lanes = Lanes::new(tree);
        let event_of: Vec<Option<u32>> = failable.iter().map(|e| st.event_of.get(e).copied()).collect();
        let mut down_oracle = |set: &[usize]| {
            let mut failed = vec![false; model.elements.len()];
            for &i in set {
                failed[failable[i].0 as usize] = true;
            }
            !oracle.evaluate(&failed).service_up[st.service]
        };
        let down_tree = |set: &[usize]| {
            let mut failed = vec![false; tree.events.len()];
            for &i in set {
                if let Some(ev) = event_of[i] {
                    failed[ev as usize] = true;
                }
            }
            tree.top_happens(&failed)
        };
        let sets = subsets(failable.len(), order);
        // The tree on every set, 64 sets at a time.
        let mut tree_down = Vec::with_capacity(sets.len());
        for chunk in sets.chunks(64) {
            let mut events = vec![0u64; tree.events.len()];
            for (j, s) in chunk.iter().enumerate() {
                for ev in s.iter().filter_map(|&i| event_of[i]) {
                    events[ev as usize] |= 1 << j;
                }
            }
            let top = lanes.top(&events);
            tree_down.extend((0..chunk.len()).map(|j| top >> j & 1 == 1));
        }
        let mut minimal: BTreeSet<Vec<String>> = BTreeSet::new();
        let mut down_sets: Vec<Vec<usize>> = Vec::new();
        for (s, &t) in sets.iter().zip(&tree_down) {
            if s.len() <= 1 {
                assert_eq!(t, down_tree(s), "seed {seed}: 64-lane evaluation vs top_happens on {s:?}");
            }
            let o = down_oracle(s);
            assert_eq!(
                o,
                t,
                "seed {seed}: failing {:?}: oracle down={o}, tree down={t}",
                s.iter().map(|&i| &model.element(failable[i]).name).collect::<Vec<_>>()
            );
            if o {
                if !down_sets.iter().any(|d| d.iter().all(|x| s.contains(x))) {
                    minimal.insert(
                        s.iter()
                            .map(|&i| model.element(failable[i]).name.clone())
                            .collect::<BTreeSet<_>>()
                            .into_iter()
                            .collect(),
                    );
                }
                down_sets.push(s.clone());
            }
        }
        let result = analyze_tree(
            tree,
            &Options { max_order: order, max_listed: usize::MAX, importance: false, ..Options::default() },
        )
        .unwrap();
        let zbdd: BTreeSet<Vec<String>> = result
            .cut_sets
            .iter()
            .map(|c| {
                c.events
                    .iter()
                    .map(|&e| tree.events[e as usize].name.clone())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect()
            })
            .collect();
        assert_eq!(zbdd, minimal, "seed {seed}: minimal cut sets up to order {order}");
        let singles: BTreeSet<Vec<String>> = minimal.iter().filter(|s| s.len() == 1).cloned().collect();
        let flow: BTreeSet<Vec<String>> = dataflow[st.service]
            .as_ref()
            .expect("generated services can work")
            .iter()
            .map(|e| vec![model.element(*e).name.clone()])
            .collect();
        assert_eq!(flow, singles, "seed {seed}: single-failure dataflow vs brute force");
        // Exact probability by enumerating every state of the tree's events.
        let n = tree.events.len();
        if n <= 16 {
            let mut total = 0.0;
            for base in (0u64..1 << n).step_by(64) {
                let events: Vec<u64> = (0..n).map(|i| state_word(base, i)).collect();
                let mut top = lanes.top(&events) & lanes_in_use(base, n);
                while top != 0 {
                    let state = base + u64::from(top.trailing_zeros());
                    top &= top - 1;
                    total += tree
                        .events
                        .iter()
                        .enumerate()
                        .map(|(i, e)| if state >> i & 1 == 1 { e.probability } else { 1.0 - e.probability })
                        .product::<f64>();
                }
            }
            assert!(
                (total - result.probability).abs() <= 1e-12 + 1e-9 * total,
                "seed {seed}: BDD {} vs enumeration {total}",
                result.probability
            );
            probability_checked = true;
        }
    }
    (failable.len(), probability_checked)
}

#[test]
fn fault_trees_agree_with_brute_force_on_random_scenarios() {
    let mut probability_checks = 0;
    let scenarios = 2000;
    for seed in 0..scenarios {
        let model = crate::load(&random(8, seed)).model.expect("generated scenarios load");
        let order = if seed < 20 { 3 } else { 2 };
        let (_, p) = check(&model, order, seed);
        probability_checks += usize::from(p);
    }
    eprintln!("{scenarios} random scenarios checked; exact probability enumerated on {probability_checks}");
}

#[test]
fn probability_matches_enumeration_on_tiny_scenarios() {
    // Scenarios small enough that the tree has at most 16 events.
    let mut checked = 0;
    for seed in 0..400 {
        let model = crate::load(&random(6, 10_000 + seed)).model.expect("loads");
        let (_, p) = check(&model, 1, seed);
        checked += usize::from(p);
    }
    assert!(checked >= 100, "only {checked} tiny scenarios had ≤ 16 events");
}

/// Designs with at most this many failable elements are checked on every state.
const ALL_STATES_UP_TO: usize = 14;

/// Every state of every failable element (n ≤ [`ALL_STATES_UP_TO`]): the fault tree and
/// the direct evaluator agree on each, and the BDD probability equals the sum of the
/// probabilities of the states the direct evaluator finds down.
fn check_all_states(model: &Model, seed: u64) {
    let failable: Vec<ElementId> = model.elements.iter().filter(|e| e.failure.is_some()).map(|e| e.id).collect();
    let n = failable.len();
    assert!(n <= ALL_STATES_UP_TO, "seed {seed}: {n} failable elements are too many to enumerate");
    let q: Vec<f64> =
        failable.iter().map(|&e| 1.0 - model.element(e).failure.expect("failable").availability()).collect();
    let mut oracle = Evaluator::new(model);
    let structures: Vec<_> = service_structures(model).into_iter().map(|s| s.expect("exact trees")).collect();
    let mut lanes: Vec<Lanes> = structures.iter().map(|st| Lanes::new(&st.tree)).collect();
    let mut down_probability = vec![0.0; structures.len()];
    let mut failed = vec![false; model.elements.len()];
    for base in (0u64..1 << n).step_by(64) {
        // The tree of each service on these 64 states.
        let tree_down: Vec<u64> = structures
            .iter()
            .zip(&mut lanes)
            .map(|(st, lanes)| {
                let mut events = vec![0u64; st.tree.events.len()];
                for (i, e) in failable.iter().enumerate() {
                    if let Some(&ev) = st.event_of.get(e) {
                        events[ev as usize] = state_word(base, i);
                    }
                }
                lanes.top(&events)
            })
            .collect();
        let in_use = lanes_in_use(base, n);
        for j in (0..64).filter(|j| in_use >> j & 1 == 1) {
            let state = base + j;
            for (i, e) in failable.iter().enumerate() {
                failed[e.0 as usize] = state >> i & 1 == 1;
            }
            let up = oracle.evaluate(&failed).service_up;
            let p: f64 = (0..n).map(|i| if state >> i & 1 == 1 { q[i] } else { 1.0 - q[i] }).product();
            for (k, st) in structures.iter().enumerate() {
                let tree_down = tree_down[k] >> j & 1 == 1;
                assert_eq!(
                    !up[st.service],
                    tree_down,
                    "seed {seed}: failing {:?}: oracle down={}, tree down={tree_down}",
                    failable
                        .iter()
                        .filter(|e| failed[e.0 as usize])
                        .map(|&e| &model.element(e).name)
                        .collect::<Vec<_>>(),
                    !up[st.service]
                );
                if tree_down {
                    down_probability[k] += p;
                }
            }
        }
    }
    for (k, st) in structures.iter().enumerate() {
        let options = Options { max_order: 1, max_listed: 0, importance: false, ..Options::default() };
        let bdd = analyze_tree(&st.tree, &options).unwrap().probability;
        let exact = down_probability[k];
        assert!(
            (exact - bdd).abs() <= 1e-12 + 1e-9 * exact,
            "seed {seed}: BDD {bdd} vs the direct evaluator over all {} states {exact}",
            1u64 << n
        );
        // The same tree with every unrolled reachability gate swapped for its Reach
        // gate, so frontier search builds it (the path `compile` takes when the
        // unrolled BDD outgrows its budget), against the same direct evaluator.
        let mut by_frontier = st.tree.clone();
        for &(unrolled, reach) in &st.tree.reach_equivalents {
            if let Ref::Gate(g) = unrolled {
                by_frontier.gates[g as usize].gate = Gate::Or(vec![reach]);
            }
        }
        by_frontier.reach_equivalents.clear();
        let frontier =
            analyze_tree(&by_frontier, &options).unwrap_or_else(|e| panic!("seed {seed}: {e:?}")).probability;
        assert!(
            (exact - frontier).abs() <= 1e-12 + 1e-9 * exact,
            "seed {seed}: frontier search {frontier} vs the direct evaluator over all {} states {exact}",
            1u64 << n
        );
    }
}

/// The designs where the engines went wrong: redundant middle tiers whose members are
/// cabled on one side only, clusters whose quorum device sits on the network, three
/// nodes voting, databases replicating synchronously to each other. Every failure set up to order 3 through `check`, and every state of
/// the designs with at most 14 failable elements through `check_all_states`.
#[test]
fn fault_trees_agree_with_brute_force_on_multi_tier_designs() {
    let started = std::time::Instant::now();
    let designs = 2000;
    let (mut half_cabled, mut cabled_device, mut three_nodes, mut shared_node, mut sync_loops) = (0, 0, 0, 0, 0);
    let (mut all_states, mut tree_enumerated) = (0, 0);
    for seed in 0..designs {
        let text = multi_tier(seed);
        let model = crate::load(&text).model.expect("generated scenarios load");
        half_cabled += usize::from(!half_cabled_members(&text).is_empty());
        // Clusters deciding by vote quorum, with their member counts.
        let clusters: Vec<_> = (0..model.groups.len() as u32)
            .filter_map(|g| model.votes(GroupId(g)).map(|v| (model.group(GroupId(g)).members.len(), v)))
            .collect();
        cabled_device += usize::from(
            clusters.iter().any(|(_, v)| v.device.is_some_and(|d| model.links.iter().any(|l| l.a == d || l.b == d))),
        );
        three_nodes += usize::from(clusters.iter().any(|(_, v)| v.nodes.len() == 3));
        shared_node += usize::from(clusters.iter().any(|(members, v)| *members > v.nodes.len()));
        sync_loops += usize::from(model.groups.iter().any(|g| g.name == "sync-2"));
        let (n, enumerated) = check(&model, 3, seed);
        assert!(n <= MULTI_TIER_MAX_FAILABLE, "seed {seed}: {n} failable elements");
        tree_enumerated += usize::from(enumerated);
        if n <= ALL_STATES_UP_TO {
            check_all_states(&model, seed);
            all_states += 1;
        }
    }
    eprintln!(
        "{designs} multi-tier designs checked to order 3 in {:.1?}: {half_cabled} with a half-cabled member, \
         {cabled_device} with a cabled quorum device, {three_nodes} with a three-node cluster, {shared_node} \
         with cluster members sharing a node, {sync_loops} with databases replicating synchronously to each \
         other; every state against the direct evaluator on {all_states}, the tree's states on {tree_enumerated}",
        started.elapsed()
    );
    assert!(sync_loops > 0, "no design had databases replicating synchronously to each other");
    assert!(half_cabled > 0, "no design had a half-cabled member");
    assert!(cabled_device > 0, "no design had a quorum device on the network");
    assert!(three_nodes > 0, "no design had a three-node cluster");
    assert!(shared_node > 0, "no design had cluster members sharing a node");
    assert!(all_states * 2 >= designs as usize, "only {all_states} designs small enough for every state");
}

/// Scenario files under `dir`, recursively, sorted.
fn scenario_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let mut entries: Vec<_> =
        std::fs::read_dir(dir).expect("readable folder").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            scenario_files(&path, out);
        } else if path.extension().is_some_and(|x| x == "jsonc") {
            out.push(path);
        }
    }
}

/// Every scenario under `scenarios/` and `tests/cases/` that loads without errors, with
/// its path, and how many files there are.
fn bundled_models() -> (usize, Vec<(std::path::PathBuf, Model)>) {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    scenario_files(&root.join("scenarios"), &mut files);
    scenario_files(&root.join("tests/cases"), &mut files);
    let count = files.len();
    let models = files
        .into_iter()
        .filter_map(|path| {
            let loaded = crate::load(&std::fs::read_to_string(&path).expect("readable scenario"));
            if loaded.has_errors() {
                return None;
            }
            loaded.model.map(|m| (path, m))
        })
        .collect();
    (count, models)
}

/// Every bundled scenario and test case small enough to enumerate: the fault tree and
/// the direct evaluator agree on every failure set up to order 3 (order 2 above 30
/// failable elements). Hand-written designs have shapes the generators lack: the
/// single-target ARP bond's probe path looped back through the bond, and a value built
/// inside that loop was reused outside it (a missed order-2 cut set).
#[test]
fn fault_trees_agree_with_brute_force_on_bundled_scenarios() {
    let (files, models) = bundled_models();
    let mut checked = 0;
    for (path, model) in &models {
        let n = model.elements.iter().filter(|e| e.failure.is_some()).count();
        let built = super::structure::service_structures(model);
        // Trees with solved dynamic parts (batteries, rebuilds, standby) have events that
        // are not elements' plain failures: brute force over elements does not apply.
        if n > 60 || built.iter().any(|s| s.as_ref().map_or(true, |s| !s.tree.modules.is_empty())) {
            continue;
        }
        // Services that cannot work with nothing failed have no cut sets to compare.
        let nothing = vec![false; model.elements.len()];
        if !crate::model::eval::evaluate(model, &nothing).service_up.iter().all(|&up| up) {
            continue;
        }
        eprintln!("{}", path.display());
        check(model, if n > 30 { 2 } else { 3 }, checked);
        checked += 1;
    }
    eprintln!("{checked} of {files} scenario files checked against brute force");
    assert!(checked >= 50, "only {checked} scenarios were small enough");
}

/// Every bundled scenario and test case, whatever its size, where the exact analysis
/// finishes within 2 s of work: the fault tree's minimal cut sets of order 1 are the
/// single-failure dataflow's static SPOFs (two engines, two formulations). The loop of
/// needs through synchronous replication both ways passed every generated design and
/// showed here as 2 SPOFs beside 1 order-1 cut set.
#[test]
fn order_one_cut_sets_are_the_dataflow_spofs_on_bundled_scenarios() {
    use super::budget::{Budget, BDD_REQUESTS_PER_SEC};
    let (files, models) = bundled_models();
    let mut services_checked = 0;
    for (path, model) in &models {
        let dataflow = super::single_failures::single_failures(model);
        for st in service_structures(model).into_iter().flatten() {
            // Solved dynamic parts have events that are not elements' plain failures.
            if !st.tree.modules.is_empty() {
                continue;
            }
            let Some(flow) = dataflow[st.service].as_ref() else { continue };
            let options = Options {
                max_order: 1,
                max_listed: usize::MAX,
                importance: false,
                budget: Budget::of_work(2 * BDD_REQUESTS_PER_SEC, None),
                ..Options::default()
            };
            let Ok(result) = analyze_tree(&st.tree, &options) else { continue };
            let mut singles: Vec<String> = result
                .cut_sets
                .iter()
                .filter(|c| c.events.len() == 1)
                .map(|c| st.tree.events[c.events[0] as usize].name.clone())
                .collect();
            singles.sort();
            let mut expected: Vec<String> = flow.iter().map(|e| model.element(*e).name.clone()).collect();
            expected.sort();
            assert_eq!(singles, expected, "{}: service {}", path.display(), model.services[st.service].name);
            services_checked += 1;
        }
    }
    eprintln!("{services_checked} services of {files} scenario files checked");
    assert!(services_checked >= 150, "only {services_checked} services checked");
}

/// Four servers, each bonded over four switches with a validated ARP monitor probing
/// both routers of a VRRP pair: each NIC's probe needs paths from its sibling NICs, a
/// loop of needs four deep. Values built inside such loops are reused while the loop is
/// open (the builder's scoped memo); rebuilt at every use instead, the tree passed two
/// million gates and the exact analysis gave up (> 100 s). Measured: 1.2 s for
/// `spofsim analyze`, and 38,735 gates.
#[test]
fn loops_through_four_nic_arp_bonds_stay_small() {
    use serde_json::json;
    let switches: Vec<String> = (1..=4).map(|i| format!("sw-{i}")).collect();
    let mut components =
        json!({ "internet": { "kind": "entry" }, "gw-1": { "kind": "router" }, "gw-2": { "kind": "router" } });
    let mut links = vec![json!({ "between": ["internet", "gw-1"] }), json!({ "between": ["internet", "gw-2"] })];
    for sw in &switches {
        components[sw] = json!({ "kind": "switch" });
        links.push(json!({ "between": ["gw-1", sw] }));
        links.push(json!({ "between": ["gw-2", sw] }));
    }
    for k in 1..=4 {
        components[format!("web-{k}")] = json!({ "kind": "server", "runs": ["web"],
            "bond": { "to": switches, "monitor": { "arp": { "targets": ["gw-1", "gw-2"], "validate": "all" } } } });
    }
    let text = json!({ "components": components, "links": links,
        "groups": { "gw": { "kind": "vrrp", "members": ["gw-1", "gw-2"] },
                    "pool": { "kind": "dns-rr", "members": ["web-1/web", "web-2/web", "web-3/web", "web-4/web"] } },
        "services": { "site": { "from": "internet", "through": ["gw", "pool"] } } })
    .to_string();
    let model = crate::load(&text).model.expect("loads");
    let trees = service_structures(&model);
    let tree = &trees[0].as_ref().expect("within the gate limit").tree;
    // 38,735 gates measured; two million without the scoped memo.
    assert!(tree.gates.len() < 100_000, "{} gates", tree.gates.len());
    let result = analyze_tree(tree, &Options::default()).expect("exact");
    // Only the gateway pair and its uplinks: {gw-1, gw-2}, {gw-1, internet~gw-2}, ...
    assert_eq!(result.counts_by_order.get(2), Some(&4), "{:?}", result.counts_by_order);
    assert_eq!(result.single_points, Vec::<u32>::new());
}
