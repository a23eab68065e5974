//! Fuzz target for the Open-PSA MEF importer: any bytes import without panicking,
//! diagnostics stay inside the text, and imported trees analyse (bounded) and export.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let imported = sim_core::mef::import(&text);
    for d in &imported.diagnostics {
        if let Some(span) = d.span {
            let r = span.range();
            assert!(r.start <= r.end && r.end <= text.len(), "span {r:?} outside text of {} bytes", text.len());
            assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "span {r:?} splits a character");
        }
    }
    for tree in &imported.trees {
        if tree.events.len() <= 24 && tree.gates.len() <= 200 {
            let options = sim_core::analysis::Options {
                max_order: 4,
                max_listed: 100,
                importance: true,
                max_bdd_nodes: 1_000_000,
                budget: sim_core::analysis::budget::Budget::UNLIMITED,
            };
            if let Ok(r) = sim_core::analysis::analyze_tree(tree, &options) {
                assert!((0.0..=1.0 + 1e-9).contains(&r.probability), "probability {}", r.probability);
            }
        }
        let _ = sim_core::mef::to_mef(tree);
    }
});
