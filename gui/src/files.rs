//! The IO edge of the app: settings that persist between sessions (recent files, the
//! last design, view and simulation settings), opening and saving files, dropped files.
//! Native builds use the file system and rfd dialogs; the browser build has neither.

use crate::app::App;
use crate::document::Source;
use crate::sim_run::SimSettings;

/// A design read asynchronously: (name, text), or an error to report.
pub type Arrival = Result<(String, String), String>;

/// Designs that arrive later (browser file picker, dropped files, `?scenario=`); a
/// push wakes the UI, which opens them on its next frame.
#[derive(Clone, Default)]
pub struct Inbox(std::sync::Arc<std::sync::Mutex<(Vec<Arrival>, Option<egui::Context>)>>);

impl Inbox {
    pub fn push(&self, item: Arrival) {
        if let Ok(mut inner) = self.0.lock() {
            inner.0.push(item);
            if let Some(ctx) = &inner.1 {
                ctx.request_repaint();
            }
        }
    }

    fn take(&self, ctx: &egui::Context) -> Vec<Arrival> {
        self.0
            .lock()
            .map(|mut inner| {
                inner.1.get_or_insert_with(|| ctx.clone());
                std::mem::take(&mut inner.0)
            })
            .unwrap_or_default()
    }
}

/// Opens what arrived in the inbox since the last frame.
pub fn drain_inbox(ctx: &egui::Context, app: &mut App) {
    for item in app.inbox.take(ctx) {
        match item {
            Ok((name, text)) => app.open(Source::Unsaved(name), text),
            Err(e) => app.report_error(e),
        }
    }
}

/// Bytes as text, or why not.
pub fn utf8(name: &str, bytes: Vec<u8>) -> Result<(String, String), String> {
    String::from_utf8(bytes).map(|t| (name.to_string(), t)).map_err(|_| format!("{name} is not UTF-8 text"))
}

/// Recent files kept in the menu.
pub const RECENT_KEPT: usize = 10;

/// What eframe persists (as RON, under the app key).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Most recent first; files and examples.
    pub recent: Vec<Source>,
    /// The design open when the app last closed.
    pub last: Option<Source>,
    pub sim: SimSettings,
    pub show_power: bool,
    pub show_editor: bool,
}

impl Settings {
    pub fn remember(&mut self, source: &Source) {
        if matches!(source, Source::Unsaved(_)) {
            return;
        }
        self.recent.retain(|s| s != source);
        self.recent.insert(0, source.clone());
        self.recent.truncate(RECENT_KEPT);
        self.last = Some(source.clone());
    }
}

/// Reads a scenario file; the error names the file.
#[cfg(not(target_arch = "wasm32"))]
pub fn read(path: &std::path::Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|_| format!("{} is not UTF-8 text", path.display()))
}

/// What to open at start: the file on the command line, else the last design, else
/// the default example. A file that cannot be read is reported, not fatal.
pub fn startup(file: Option<std::path::PathBuf>, settings: &Settings) -> (Source, String, Option<String>) {
    let example = crate::examples::default_example();
    let fallback = || (Source::Example(example.file.to_string()), example.text.to_string());
    let wanted = file.map(Source::File).or_else(|| settings.last.clone());
    match wanted {
        #[cfg(not(target_arch = "wasm32"))]
        Some(Source::File(path)) => match read(&path) {
            Ok(text) => (Source::File(path), text, None),
            Err(e) => {
                let (s, t) = fallback();
                (s, t, Some(e))
            }
        },
        Some(Source::Example(f)) => match crate::examples::find(&f) {
            Some(e) => (Source::Example(e.file.to_string()), e.text.to_string(), None),
            None => {
                let (s, t) = fallback();
                (s, t, Some(format!("the example {f} is no longer bundled")))
            }
        },
        _ => {
            let (s, t) = fallback();
            (s, t, None)
        }
    }
}

/// Opens what `source` names (a recent entry).
pub fn reopen(app: &mut App, source: &Source) {
    match source {
        Source::Example(f) => app.open_example(f),
        #[cfg(not(target_arch = "wasm32"))]
        Source::File(path) => match read(path) {
            Ok(text) => app.open(source.clone(), text),
            Err(e) => app.report_error(e),
        },
        _ => app.report_error(format!("cannot reopen {}", source.label())),
    }
}

/// File → Open in the browser: the page's file picker, read asynchronously.
#[cfg(target_arch = "wasm32")]
pub fn open_dialog(app: &mut App) {
    let inbox = app.inbox.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let picked = rfd::AsyncFileDialog::new().add_filter("spofsim scenario", &["jsonc", "json"]).pick_file().await;
        if let Some(file) = picked {
            inbox.push(utf8(&file.file_name(), file.read().await));
        }
    });
}

/// File → Import from NetBox in the browser: pick the saved response files (one JSON
/// file per endpoint, as `spofsim import netbox --save` writes them).
#[cfg(target_arch = "wasm32")]
pub fn import_netbox_dialog(app: &mut App) {
    let inbox = app.inbox.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let Some(picked) = rfd::AsyncFileDialog::new().add_filter("NetBox API responses", &["json"]).pick_files().await
        else {
            return;
        };
        let mut files = Vec::new();
        for file in picked {
            if let Ok((name, text)) = utf8(&file.file_name(), file.read().await) {
                files.push((name, text));
            }
        }
        inbox.push(import_netbox("", &files).map(|(text, _)| (NETBOX_IMPORT_NAME.to_string(), text)));
    });
}

/// A browser download of `bytes` named `name`.
#[cfg(target_arch = "wasm32")]
pub fn download(name: &str, bytes: &[u8]) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let fail = |what: &str| format!("cannot download {name}: {what}");
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(|_| fail("no Blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("no object URL"))?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| fail("no document"))?;
    let anchor: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(|_| fail("no <a>"))?.dyn_into().map_err(|_| fail("no <a>"))?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// Hands `bytes` to the user as a file named `name`: a save dialog on the desktop, a
/// download in the browser.
pub fn deliver(app: &mut App, name: &str, bytes: &[u8]) {
    #[cfg(not(target_arch = "wasm32"))]
    let result = match rfd::FileDialog::new().set_file_name(name).save_file() {
        Some(path) => crate::export::write_file(&path, bytes).map(|()| path.display().to_string()),
        None => return,
    };
    #[cfg(target_arch = "wasm32")]
    let result = download(name, bytes).map(|()| name.to_string());
    match result {
        Ok(where_) => app.report(format!("wrote {where_}")),
        Err(e) => app.report_error(e),
    }
}

/// The name an imported design opens under (save it, then extend it with services).
pub const NETBOX_IMPORT_NAME: &str = "netbox-import.jsonc";

/// Imports saved NetBox responses (file name, text) with the default options: the
/// scenario text and a one-line summary, or the import's errors.
pub fn import_netbox(folder: &str, files: &[(String, String)]) -> Result<(String, String), String> {
    let pages = sim_core::netbox::pages_from_files(folder, files);
    if pages.is_empty() {
        return Err("no saved NetBox responses among the files (expected names like dcim__devices.json)".into());
    }
    let imported = sim_core::netbox::import(&pages, &sim_core::netbox::Options::default());
    let count = |s: sim_core::netbox::Severity| imported.diagnostics.iter().filter(|d| d.severity == s).count();
    let first = |s: sim_core::netbox::Severity| {
        imported
            .diagnostics
            .iter()
            .find(|d| d.severity == s)
            .map(|d| format!(" (first: {})", d.message))
            .unwrap_or_default()
    };
    match imported.scenario {
        Some(text) => {
            let s = &imported.summary;
            Ok((
                text,
                format!(
                    "imported {} of {} devices from NetBox; {} warning(s){}",
                    s.devices_imported,
                    s.devices_read,
                    count(sim_core::netbox::Severity::Warning),
                    first(sim_core::netbox::Severity::Warning)
                ),
            ))
        }
        None => Err(format!(
            "the NetBox import stopped: {} error(s){}",
            count(sim_core::netbox::Severity::Error),
            first(sim_core::netbox::Severity::Error)
        )),
    }
}

/// File → Import from NetBox on the desktop: pick the folder of saved responses.
#[cfg(not(target_arch = "wasm32"))]
pub fn import_netbox_dialog(app: &mut App) {
    let Some(dir) = rfd::FileDialog::new().set_title("Folder of saved NetBox API responses").pick_folder() else {
        return;
    };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let (Ok(name), path) = (entry.file_name().into_string(), entry.path()) else { continue };
        if name.ends_with(".json") && path.is_file() {
            match std::fs::read_to_string(&path) {
                Ok(text) => files.push((name, text)),
                Err(e) => return app.report_error(format!("cannot read {}: {e}", path.display())),
            }
        }
    }
    match import_netbox(&dir.display().to_string(), &files) {
        Ok((text, summary)) => {
            app.open(Source::Unsaved(NETBOX_IMPORT_NAME.into()), text);
            app.report(summary);
        }
        Err(e) => app.report_error(e),
    }
}

/// The live import behind File → Import from NetBox (live URL): the NetBox REST API at
/// `url` read with `token` (`token_source` names where it came from, for a 401/403
/// message), imported with the CLI's defaults. Blocks for the whole fetch (60 s timeout
/// per request): call it off the UI thread. The scenario text, or what stopped it.
#[cfg(not(target_arch = "wasm32"))]
pub fn import_netbox_live(url: &str, token: &str, token_source: &str) -> Result<String, String> {
    let request = spofsim::netbox_http::Request {
        base_url: url,
        token,
        token_source,
        timeout_secs: 60,
        ca_cert_pem: None,
        save_dir: None,
    };
    spofsim::netbox_http::fetch(&request).and_then(|pages| {
        let imported = sim_core::netbox::import(&pages, &sim_core::netbox::Options::default());
        imported.scenario.ok_or_else(|| {
            let first = imported.diagnostics.iter().find(|d| d.severity == sim_core::netbox::Severity::Error);
            format!("the NetBox import stopped: {}", first.map_or("an error", |d| d.message.as_str()))
        })
    })
}

/// The live NetBox import form: base URL and API token (empty: `$NETBOX_TOKEN`).
#[derive(Clone, Debug, Default)]
pub struct NetboxForm {
    pub url: String,
    pub token: String,
}

/// File → Import from NetBox (live URL): the form; Import fetches on a thread (the window
/// stays live) and the design arrives through the inbox.
#[cfg(not(target_arch = "wasm32"))]
pub fn netbox_form_ui(ui: &mut egui::Ui, app: &mut App) {
    let Some(mut form) = app.netbox_form.take() else { return };
    let mut keep = true;
    let mut start = false;
    egui::Window::new("Import from NetBox").collapsible(false).resizable(false).show(ui.ctx(), |ui| {
        egui::Grid::new("netbox-form").num_columns(2).show(ui, |ui| {
            ui.label("NetBox URL");
            ui.add(
                egui::TextEdit::singleline(&mut form.url).hint_text("https://netbox.example.com").desired_width(320.0),
            );
            ui.end_row();
            ui.label("API token");
            ui.add(egui::TextEdit::singleline(&mut form.token).password(true).hint_text("empty: $NETBOX_TOKEN"));
            ui.end_row();
        });
        ui.weak("Reads sites, devices, power, cables and FHRP groups (docs/NETBOX.md).");
        ui.horizontal(|ui| {
            start = ui.button("Import").clicked();
            if ui.button("Cancel").clicked() {
                keep = false;
            }
        });
    });
    if start {
        let token = if form.token.trim().is_empty() {
            std::env::var("NETBOX_TOKEN").unwrap_or_default()
        } else {
            form.token.clone()
        };
        let source = if form.token.trim().is_empty() { "$NETBOX_TOKEN" } else { "the token field" };
        if token.is_empty() {
            app.report_error("no API token: type one, or start the app with NETBOX_TOKEN set".into());
        } else {
            let (url, inbox) = (form.url.clone(), app.inbox.clone());
            app.report(format!("importing from {url}…"));
            std::thread::spawn(move || {
                let result =
                    import_netbox_live(&url, &token, source).map(|text| (NETBOX_IMPORT_NAME.to_string(), text));
                inbox.push(result);
            });
            keep = false;
        }
    }
    if keep {
        app.netbox_form = Some(form);
    }
}

/// File → Open: a native dialog.
#[cfg(not(target_arch = "wasm32"))]
pub fn open_dialog(app: &mut App) {
    let picked = rfd::FileDialog::new().add_filter("spofsim scenario", &["jsonc", "json"]).pick_file();
    if let Some(path) = picked {
        match read(&path) {
            Ok(text) => app.open(Source::File(path), text),
            Err(e) => app.report_error(e),
        }
    }
}

/// Save: to the open file, or ask where (examples and dropped text).
#[cfg(not(target_arch = "wasm32"))]
pub fn save(app: &mut App) {
    match app.doc.source.clone() {
        Source::File(path) => save_to(app, path),
        _ => save_as_dialog(app),
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub fn save_as_dialog(app: &mut App) {
    let name = match &app.doc.source {
        Source::File(p) => p.file_name().map(|n| n.to_string_lossy().into_owned()),
        Source::Example(f) => f.rsplit('/').next().map(String::from),
        Source::Unsaved(n) => Some(n.clone()),
    };
    let dialog = rfd::FileDialog::new().add_filter("spofsim scenario", &["jsonc", "json"]);
    let dialog = match name {
        Some(n) => dialog.set_file_name(n),
        None => dialog,
    };
    if let Some(path) = dialog.save_file() {
        save_to(app, path);
    }
}

/// Writes the text to `path`; it becomes the open file.
#[cfg(not(target_arch = "wasm32"))]
pub fn save_to(app: &mut App, path: std::path::PathBuf) {
    match std::fs::write(&path, &app.doc.text) {
        Ok(()) => {
            app.doc.saved_text = app.doc.text.clone();
            app.doc.source = Source::File(path.clone());
            app.settings.remember(&app.doc.source);
            app.report(format!("saved {}", path.display()));
        }
        Err(e) => app.report_error(format!("cannot write {}: {e}", path.display())),
    }
}

/// Opens the first scenario dropped on the window.
pub fn handle_dropped_files(ui: &egui::Ui, app: &mut App) {
    let dropped = ui.input(|i| i.raw.dropped_files.clone());
    let Some(file) = dropped.first() else { return };
    let name = file.path().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "dropped".into());
    #[cfg(not(target_arch = "wasm32"))]
    {
        let path = file.path().to_path_buf();
        match file.bytes().map(String::from_utf8) {
            Ok(Ok(text)) if path.is_absolute() => app.open(Source::File(path), text),
            Ok(Ok(text)) => app.open(Source::Unsaved(name), text),
            Ok(Err(_)) => app.report_error(format!("{name} is not UTF-8 text")),
            Err(e) => app.report_error(format!("cannot read the dropped {name}: {e}")),
        }
    }
    #[cfg(target_arch = "wasm32")]
    {
        let (file, inbox) = (file.clone(), app.inbox.clone());
        wasm_bindgen_futures::spawn_local(async move {
            inbox.push(match file.bytes_async().await {
                Ok(bytes) => utf8(&name, bytes),
                Err(e) => Err(format!("cannot read the dropped {name}: {e}")),
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recent_files_are_most_recent_first_without_duplicates() {
        let mut s = Settings::default();
        for f in ["a", "b", "a", "c"] {
            s.remember(&Source::File(f.into()));
        }
        s.remember(&Source::Unsaved("x".into()));
        let names: Vec<String> = s.recent.iter().map(Source::label).collect();
        assert_eq!(names, ["c", "a", "b"]);
        assert_eq!(s.last, Some(Source::File("c".into())));
        for i in 0..20 {
            s.remember(&Source::File(format!("f{i}").into()));
        }
        assert_eq!(s.recent.len(), RECENT_KEPT);
    }

    #[test]
    fn startup_prefers_the_command_line_then_the_last_design() {
        let mut s = Settings::default();
        s.remember(&Source::Example("shop-two-tier.jsonc".into()));
        let (source, _, error) = startup(None, &s);
        assert_eq!(source, Source::Example("shop-two-tier.jsonc".into()));
        assert!(error.is_none());
        let (source, _, error) = startup(Some("/no/such/file.jsonc".into()), &s);
        assert_eq!(source, Source::Example("full-single-site.jsonc".into()));
        assert!(error.unwrap().contains("/no/such/file.jsonc"));
    }
}

#[cfg(test)]
mod netbox_tests {
    /// File → Import from NetBox over the recorded demo responses opens a design, and a
    /// folder with none says so.
    #[test]
    fn importing_saved_netbox_responses() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/data/netbox/api");
        let files: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| (e.file_name().into_string().unwrap(), std::fs::read_to_string(e.path()).unwrap()))
            .collect();
        let (text, summary) = super::import_netbox("api", &files).unwrap();
        assert!(summary.starts_with("imported 53 of 72 devices from NetBox"), "{summary}");
        assert!(sim_core::load(&text).model.is_some());
        let err = super::import_netbox("", &[("notes.json".into(), "{}".into())]).unwrap_err();
        assert!(err.contains("no saved NetBox responses"), "{err}");
    }

    /// File → Import from NetBox (live URL) against a real NetBox: the design it opens
    /// is byte for byte the CLI's live import of the same server. Run by
    /// tests/netbox-live.sh, which starts NetBox and sets SPOFSIM_LIVE_NETBOX_URL,
    /// NETBOX_TOKEN and SPOFSIM_LIVE_EXPECT (the CLI's output); ignored otherwise, as it
    /// needs that server.
    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    #[ignore = "needs a live NetBox: run by tests/netbox-live.sh"]
    fn importing_from_a_live_netbox_url() {
        let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"));
        let text = super::import_netbox_live(&var("SPOFSIM_LIVE_NETBOX_URL"), &var("NETBOX_TOKEN"), "$NETBOX_TOKEN")
            .unwrap_or_else(|e| panic!("the live import failed: {e}"));
        let expected = std::fs::read_to_string(var("SPOFSIM_LIVE_EXPECT")).unwrap();
        assert!(
            text == expected,
            "the app's live import differs from the CLI's ({} against {} bytes)",
            text.len(),
            expected.len()
        );
        assert!(sim_core::load(&text).model.is_some());
        let wrong =
            super::import_netbox_live(&var("SPOFSIM_LIVE_NETBOX_URL"), "not-a-token", "the token field").unwrap_err();
        assert!(wrong.contains("the token field"), "{wrong}");
    }
}
