//! The bundled example scenarios (the "Examples" menu), embedded at build time so the
//! desktop app and the browser demo work offline. Sorted by file name.

/// One bundled scenario.
#[derive(Clone, Copy, Debug)]
pub struct Example {
    /// File name under `scenarios/`.
    pub file: &'static str,
    pub text: &'static str,
}

macro_rules! examples {
    ($($file:literal),* $(,)?) => {
        &[$(Example { file: $file, text: include_str!(concat!("../../scenarios/", $file)) }),*]
    };
}

/// Every file in `scenarios/` (a test keeps this list complete).
pub static EXAMPLES: &[Example] = examples!["full-single-site.jsonc", "shop-two-tier.jsonc",];

/// The example a fresh window (or the web page) opens on.
pub fn default_example() -> &'static Example {
    EXAMPLES.iter().find(|e| e.file == "full-single-site.jsonc").unwrap_or(&EXAMPLES[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_bundled_scenario_in_order() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.ends_with(".jsonc"))
            .collect();
        on_disk.sort();
        let listed: Vec<&str> = EXAMPLES.iter().map(|e| e.file).collect();
        assert_eq!(listed, on_disk);
    }

    #[test]
    fn every_example_loads_without_errors() {
        for e in EXAMPLES {
            let loaded = sim_core::load(e.text);
            assert!(!loaded.has_errors(), "{}: {:?}", e.file, loaded.diagnostics);
            assert!(loaded.model.is_some());
        }
        assert_eq!(default_example().file, "full-single-site.jsonc");
    }
}
