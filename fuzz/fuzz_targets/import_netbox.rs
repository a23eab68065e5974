//! Fuzz target for the NetBox importer: any bytes, cut at NUL bytes into responses of
//! the endpoints in turn, import without panicking; whenever a scenario comes out, it
//! loads without errors (the importer's promise: `validate` accepts what it writes).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let endpoints = sim_core::netbox::ENDPOINTS;
    let pages: Vec<sim_core::netbox::Page> = data
        .split(|b| *b == 0)
        .enumerate()
        .map(|(i, chunk)| sim_core::netbox::Page {
            endpoint: endpoints[i % endpoints.len()].to_string(),
            source: format!("page-{i}"),
            text: String::from_utf8_lossy(chunk).into_owned(),
        })
        .collect();
    let imported = sim_core::netbox::import(&pages, &sim_core::netbox::Options::default());
    if let Some(text) = imported.scenario {
        let loaded = sim_core::load(&text);
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(errors.is_empty(), "the import does not load: {errors:?}\n{text}");
    }
});
