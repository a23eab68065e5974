//! Fuzz target for the scenario loader: any bytes must load without panicking, every
//! diagnostic span must lie inside the text on character boundaries, and a model that
//! loads must export, lint and (when small) analyse without panicking; the single-failure
//! dataflow must agree with the fault trees' order-1 cut sets; a small model must also
//! simulate (a year, and its drills) without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let loaded = sim_core::load(&text);
    for d in &loaded.diagnostics {
        if let Some(span) = d.span {
            let r = span.range();
            assert!(r.start <= r.end && r.end <= text.len(), "span {r:?} outside text of {} bytes", text.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "span {r:?} splits a character");
        }
        assert!(!d.message.is_empty());
    }
    if let Some(model) = &loaded.model {
        assert!(!loaded.has_errors());
        // Both diagram modes: parts folded (no SPOF marks, which need the analysis
        // below) and expanded.
        for expand in [false, true] {
            let options = sim_core::export::DiagramOptions { expand, ..Default::default() };
            let _ = sim_core::export::to_dot(model, &options);
            let _ = sim_core::export::to_mermaid(model, &options);
        }
        let _ = model.summary();
        let _ = sim_core::lints::run(model);
        if model.elements.len() <= 60 {
            let singles = sim_core::analysis::single_failures::single_failures(model);
            let structures = sim_core::analysis::structure::service_structures(model);
            let options = sim_core::analysis::Options {
                max_order: 1,
                max_listed: 100,
                importance: false,
                max_bdd_nodes: 1_000_000,
                budget: sim_core::analysis::budget::Budget::UNLIMITED,
            };
            for st in structures.into_iter().flatten() {
                if st.tree.events.len() > 40 {
                    continue;
                }
                let Ok(r) = sim_core::analysis::analyze_tree(&st.tree, &options) else { continue };
                // By element: a UPS's input also has an event for "the outage outlasts the
                // battery", named after the input but standing for the same element.
                let mut from_tree: Vec<&str> = r
                    .single_points
                    .iter()
                    .map(|&e| {
                        let ev = &st.tree.events[e as usize];
                        ev.element.map_or(ev.name.as_str(), |x| model.element(x).name.as_str())
                    })
                    .collect();
                from_tree.sort_unstable();
                from_tree.dedup();
                if let Some(flow) = &singles[st.service] {
                    let mut from_flow: Vec<&str> = flow.iter().map(|e| model.element(*e).name.as_str()).collect();
                    from_flow.sort_unstable();
                    assert_eq!(from_flow, from_tree, "dataflow and fault tree disagree on single points of failure");
                }
            }
            let _ = sim_core::analysis::findings::spofs(model, &singles, &[]);
            // Keep each run short: skip designs that would fail more than ~20k times a year.
            let rate: f64 =
                model.elements.iter().filter_map(|e| e.failure).map(|f| 3.2e7 / f.mtbf_secs.max(1e-9)).sum();
            if rate < 2e4 {
                use sim_core::simulate::{simulate, SimOptions};
                let options = SimOptions { years: 1, replications: 1, seed: 1, random_failures: true, ideal: false };
                let report = simulate(model, &options);
                for s in &report.services {
                    assert!((0.0..=1.0).contains(&s.availability), "availability {}", s.availability);
                }
                if !model.drills.is_empty() && model.drills.iter().all(|d| d.at_secs + d.for_secs < 1e9) {
                    let _ = simulate(model, &SimOptions { random_failures: false, ..options });
                }
            }
        }
    }
});
