//! spofsim browser demo: the `gui` app compiled to wasm32 with wasm-bindgen. The page
//! itself arrives with the web issue; this crate already fixes what the page opens on.

pub use spofsim_gui::examples::{default_example, Example, EXAMPLES};

#[cfg(test)]
mod tests {
    #[test]
    fn opens_on_the_full_single_site_example() {
        let e = super::default_example();
        assert_eq!(e.file, "full-single-site.jsonc");
        assert!(sim_core::load(e.text).model.is_some());
    }
}
