//! Fuzz target for the scenario loader: any bytes must load without panicking, every
//! diagnostic span must lie inside the text on character boundaries, and a model that
//! loads must export.
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
        let _ = sim_core::export::to_dot(model);
        let _ = sim_core::export::to_mermaid(model);
        let _ = model.summary();
    }
});
