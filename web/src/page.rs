//! The page (wasm32 only): starts the app on the canvas, opens what the URL asks for,
//! publishes `window.spofsim` after every change, puts share links in the address,
//! and exports the in-page benchmarks (`bench_analysis`, `simulate_json`).

use spofsim_gui::app::App;
use spofsim_gui::document::Source;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

fn window() -> web_sys::Window {
    web_sys::window().expect("a browser window")
}

fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Shows `text` in the page's loading box (or hides it when `None`).
fn loading_box(text: Option<&str>) {
    let Some(el) = window().document().and_then(|d| d.get_element_by_id("loading")) else { return };
    match text {
        Some(t) => {
            el.set_text_content(Some(t));
            let _ = el.set_attribute("class", "error");
        }
        None => {
            let _ = el.set_attribute("style", "display:none");
        }
    }
}

fn publish(value: &serde_json::Value) {
    if let Ok(obj) = js_sys::JSON::parse(&value.to_string()) {
        let _ = js_sys::Reflect::set(&window(), &"spofsim".into(), &obj);
    }
}

/// The app plus what only the page does.
struct WebApp {
    app: App,
    /// What was last published (generation, exact done, failures, status, sim).
    published: String,
    first_analysed_ms: Option<f64>,
    /// The fragment as the page last saw or set it.
    fragment: String,
}

impl WebApp {
    fn after_frame(&mut self, ctx: &egui::Context) {
        if self.first_analysed_ms.is_none() && self.app.doc.exact.is_some() {
            self.first_analysed_ms = Some(now_ms());
        }
        let location = window().location();
        if let Some(link) = self.app.share_link.take() {
            let _ = location.set_hash(&link);
            self.fragment = format!("#{link}");
            let url = location.href().unwrap_or_default();
            ctx.copy_text(url.clone());
            self.app.report(format!("share link copied ({} characters): paste it to a colleague", url.len()));
        }
        // A share link pasted into this tab's address bar.
        let fragment = location.hash().unwrap_or_default();
        if fragment != self.fragment {
            self.fragment = fragment.clone();
            match crate::initial(&fragment, "") {
                crate::Initial::Shared(text) => self.app.open(Source::Unsaved("shared design".into()), text),
                crate::Initial::BadLink(e) => self.app.report_error(format!("share link: {e}")),
                _ => {}
            }
        }
        let status = crate::status(&self.app, self.first_analysed_ms);
        let text = status.to_string();
        if text != self.published {
            publish(&status);
            self.published = text;
        }
    }
}

impl eframe::App for WebApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.app.ui(ui);
        let ctx = ui.ctx().clone();
        self.after_frame(&ctx);
        if self.app.doc.exact_pending() {
            ctx.request_repaint();
        }
    }

    fn as_any_mut(&mut self) -> Option<&mut dyn std::any::Any> {
        Some(&mut *self)
    }
}

/// Fetches `?scenario=` (same origin only, size-limited) into the app's inbox.
fn fetch_into(url: String, inbox: spofsim_gui::files::Inbox) {
    wasm_bindgen_futures::spawn_local(async move {
        let result = fetch_text(&url).await;
        inbox.push(result.map(|t| (url.rsplit('/').next().unwrap_or(&url).to_string(), t)));
    });
}

async fn fetch_text(url: &str) -> Result<String, String> {
    let location = window().location();
    let base = location.href().map_err(|_| "no page address")?;
    let resolved = web_sys::Url::new_with_base(url, &base).map_err(|_| format!("?scenario={url} is not a URL"))?;
    if resolved.origin() != location.origin().unwrap_or_default() {
        return Err(format!("?scenario={url}: only files from this site can be opened"));
    }
    let response = wasm_bindgen_futures::JsFuture::from(window().fetch_with_str(&resolved.href()))
        .await
        .map_err(|_| format!("cannot fetch {url}"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| format!("cannot fetch {url}"))?;
    if !response.ok() {
        return Err(format!("cannot fetch {url}: HTTP {}", response.status()));
    }
    let text = wasm_bindgen_futures::JsFuture::from(response.text().map_err(|_| format!("cannot read {url}"))?)
        .await
        .map_err(|_| format!("cannot read {url}"))?;
    let text = text.as_string().ok_or_else(|| format!("{url} is not text"))?;
    if text.len() > spofsim_gui::share::MAX_TEXT_BYTES {
        return Err(format!("{url} is larger than {} bytes", spofsim_gui::share::MAX_TEXT_BYTES));
    }
    Ok(text)
}

#[wasm_bindgen(start)]
pub fn start() {
    publish(&serde_json::json!({ "state": "loading" }));
    let location = window().location();
    let fragment = location.hash().unwrap_or_default();
    let query = location.search().unwrap_or_default();
    wasm_bindgen_futures::spawn_local(async move {
        let Some(canvas) = window()
            .document()
            .and_then(|d| d.get_element_by_id("the_canvas_id"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            loading_box(Some("spofsim: the page has no canvas (id the_canvas_id)."));
            return;
        };
        let initial = crate::initial(&fragment, &query);
        let started = eframe::WebRunner::new()
            .start(
                canvas,
                eframe::WebOptions::default(),
                Box::new(move |cc| {
                    cc.egui_ctx.set_visuals(egui::Visuals::light());
                    let settings = spofsim_gui::settings(cc.storage);
                    let example = crate::default_example();
                    let default = || (Source::Example(example.file.to_string()), example.text.to_string());
                    let (source, text) = match &initial {
                        crate::Initial::Shared(t) => (Source::Unsaved("shared design".into()), t.clone()),
                        _ => default(),
                    };
                    let mut app = App::new(source, text, settings);
                    match initial {
                        crate::Initial::BadLink(e) => app.report_error(format!("share link: {e}")),
                        crate::Initial::Fetch(url) => fetch_into(url, app.inbox.clone()),
                        _ => {}
                    }
                    Ok(Box::new(WebApp { app, published: String::new(), first_analysed_ms: None, fragment }))
                }),
            )
            .await;
        match started {
            Ok(()) => loading_box(None),
            Err(e) => {
                let why = e.as_string().unwrap_or_else(|| format!("{e:?}"));
                loading_box(Some(&format!("spofsim cannot start here: {why}. It needs WebGL 2 and WebAssembly.")));
                publish(&serde_json::json!({ "state": "error", "error": why }));
            }
        }
    });
}

/// The analysis benchmark, timed in the page (see `bench_analysis`).
#[wasm_bindgen]
pub fn bench_analysis(components: u32, seed: u32) -> String {
    crate::bench_analysis(components as usize, seed as u64, &now_ms).to_string()
}

/// `spofsim simulate … --format json`, computed in the page.
#[wasm_bindgen]
pub fn simulate_json(text: &str, years: u32, replications: u32, seed: u32) -> Result<String, JsValue> {
    crate::simulate_json(text, years, replications as u64, seed as u64).map_err(|e| JsValue::from_str(&e))
}
