//! Property tests against brute force on random small scenarios: for every set of up
//! to `order` failed elements, the fault tree and the direct model evaluation must
//! agree on whether the service is down; the ZBDD's minimal cut sets must be exactly
//! the minimal failing sets; and where the state space is small, the BDD probability
//! must equal the sum over all 2^n states.

use std::collections::BTreeSet;

use super::structure::service_structures;
use super::{analyze_tree, Options};
use crate::generate::random;
use crate::model::eval::Evaluator;
use crate::model::{ElementId, Model};

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

fn check(model: &Model, order: usize, seed: u64) -> (usize, bool) {
    let failable: Vec<ElementId> = model.elements.iter().filter(|e| e.failure.is_some()).map(|e| e.id).collect();
    let mut probability_checked = false;
    let mut oracle = Evaluator::new(model);
    let dataflow = super::single_failures::single_failures(model);
    for st in service_structures(model).into_iter().map(|s| s.expect("small scenarios build exact trees")) {
        let tree = &st.tree;
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
                if let Some(&ev) = st.event_of.get(&failable[i]) {
                    failed[ev as usize] = true;
                }
            }
            tree.top_happens(&failed)
        };
        let sets = subsets(failable.len(), order);
        let mut minimal: BTreeSet<Vec<String>> = BTreeSet::new();
        let mut down_sets: Vec<Vec<usize>> = Vec::new();
        for s in &sets {
            let (o, t) = (down_oracle(s), down_tree(s));
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
            for mask in 0u32..(1 << n) {
                let failed: Vec<bool> = (0..n).map(|i| mask & (1 << i) != 0).collect();
                let p: f64 = tree
                    .events
                    .iter()
                    .enumerate()
                    .map(|(i, e)| if failed[i] { e.probability } else { 1.0 - e.probability })
                    .product();
                if tree.top_happens(&failed) {
                    total += p;
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
