//! spofsim desktop app (egui/eframe), a library so the native binary (`spofsim-gui`)
//! and the browser demo (`web/`) run the same app. It holds no analysis logic: every
//! figure comes from `sim-core`, as in the CLI.
//!
//! Code map: [`app`] owns the state and lays out the window; [`panels`] has one
//! `*_ui` function per panel; [`document`], [`analysis`], [`whatif`], [`sim_run`],
//! [`layout`] and [`properties`] are state and pure computations the panels draw
//! from; [`files`] and [`export`] are the IO edges.

pub mod analysis;
pub mod app;
pub mod bases;
pub mod check_run;
pub mod document;
pub mod examples;
pub mod export;
pub mod files;
pub mod job;
pub mod layout;
pub mod panels;
pub mod properties;
pub mod share;
pub mod sim_run;
pub mod style;
pub mod whatif;

pub use app::App;

/// Window title.
pub const TITLE: &str = "spofsim";

/// What the command line (or the web page) asks for at start.
#[derive(Clone, Debug, Default)]
pub struct Launch {
    pub file: Option<std::path::PathBuf>,
    /// Select (and centre on) this component.
    pub select: Option<String>,
    /// Mark these components failed (what-if).
    pub fail: Vec<String>,
    /// Write the settled window to this PNG and close.
    pub screenshot: Option<std::path::PathBuf>,
}

/// The settings eframe persisted, or defaults.
pub fn settings(storage: Option<&dyn eframe::Storage>) -> files::Settings {
    #[cfg(not(target_arch = "wasm32"))]
    return storage.and_then(|s| eframe::get_value(s, eframe::APP_KEY)).unwrap_or_default();
    #[cfg(target_arch = "wasm32")]
    {
        let _ = storage;
        files::Settings::default()
    }
}

/// Builds the app from eframe's persisted settings and the launch options.
pub fn create(storage: Option<&dyn eframe::Storage>, launch: Launch) -> App {
    let settings = settings(storage);
    let (source, text, error) = files::startup(launch.file, &settings);
    let mut app = App::new(source.clone(), text, settings);
    app.settings.remember(&source);
    if let Some(e) = error {
        app.report_error(e);
    }
    for name in &launch.fail {
        app.toggle_failed(name);
    }
    if let Some(name) = &launch.select {
        app.select_element(name);
        if let Some(spof) = app.doc.facts.as_ref().and_then(|f| f.spofs.iter().find(|s| &s.element == name)).cloned() {
            let mut names = vec![spof.element.clone()];
            names.extend(spof.blast.down_elements.iter().cloned());
            app.highlight_names(&format!("SPOF {name}"), names.iter().map(String::as_str));
            app.tab = app::Tab::Inspector;
        }
        // Show the whole picture with the component highlighted, not a close-up.
        app.view.focus = None;
        app.view.fit_pending = true;
    }
    app.screenshot_and_quit = launch.screenshot;
    app
}

/// Opens the native window (blocks until it closes).
#[cfg(not(target_arch = "wasm32"))]
pub fn run_native(launch: Launch) -> eframe::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1500.0, 900.0]).with_app_id("spofsim"),
        ..Default::default()
    };
    eframe::run_native(
        TITLE,
        options,
        Box::new(move |cc| {
            cc.egui_ctx.set_visuals(egui::Visuals::light());
            Ok(Box::new(create(cc.storage, launch)))
        }),
    )
}
