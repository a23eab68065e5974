//! `spofsim import netbox`: read NetBox (saved responses with --from, or live with --url),
//! hand the pages to `sim_core::netbox::import`, write the scenario and print findings.
//!
//! The HTTP is ureq's (rustls, webpki roots or --ca-cert); this file only pages through
//! list endpoints (`?limit=1000`, then `next`) and turns HTTP answers into clear errors.

use std::io::Write;
use std::path::Path;

use sim_core::netbox::{self, ImportDiagnostic, Page, Severity};

use crate::flags::NetboxArgs;
use crate::Status;

/// First line of every imported file: an existing output starting otherwise is the
/// architect's, and is never overwritten.
const MARK: &str = "// Imported from NetBox";

pub fn netbox(args: &NetboxArgs) -> Status {
    let mut stderr = std::io::stderr().lock();
    let mut options = netbox::Options {
        sites: args.sites.clone(),
        tags: args.tags.clone(),
        statuses: args.status.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
        circuit_availability: args.circuit_availability.clone(),
        name: args.name.clone(),
        ..netbox::Options::default()
    };
    let mut early = Vec::new();
    if let Some(path) = &args.roles {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                options.roles_file_keys =
                    netbox::parse_roles_file(&text, &path.display().to_string(), &mut options.roles, &mut early)
            }
            Err(e) => {
                let _ = writeln!(stderr, "error: cannot read the roles file {}: {e}", path.display());
                return Status::Invalid;
            }
        }
    }
    if early.iter().any(|d| d.severity == Severity::Error) {
        for d in &early {
            let _ = write!(stderr, "{}", format_diagnostic(d));
        }
        let _ = writeln!(stderr, "error: fix the roles file; nothing was imported");
        return Status::Invalid;
    }
    if let Err(why) = check_output(args.output.as_deref()) {
        let _ = writeln!(stderr, "error: {why}");
        return Status::Invalid;
    }
    if args.save.is_some() && args.url.is_none() {
        let _ = writeln!(
            stderr,
            "error: --save keeps the responses of a live import; with --from they are already saved (give --url to read NetBox live)"
        );
        return Status::Invalid;
    }
    let pages = match (&args.url, args.from.is_empty()) {
        (Some(url), _) => match fetch(url, args) {
            Ok(p) => p,
            Err(why) => {
                let _ = writeln!(stderr, "error: {why}");
                return Status::Invalid;
            }
        },
        (None, false) => {
            let mut pages = Vec::new();
            for dir in &args.from {
                match read_folder(dir) {
                    Ok(mut p) => pages.append(&mut p),
                    Err(why) => {
                        let _ = writeln!(stderr, "error: {why}");
                        return Status::Invalid;
                    }
                }
            }
            pages
        }
        (None, true) => {
            let _ = writeln!(
                stderr,
                "error: say where NetBox is: --url https://netbox.example.com (token in $NETBOX_TOKEN), or --from DIR of saved responses"
            );
            return Status::Invalid;
        }
    };
    let mut imported = netbox::import(&pages, &options);
    imported.diagnostics.extend(early);
    imported.diagnostics.sort();
    for d in &imported.diagnostics {
        let _ = write!(stderr, "{}", format_diagnostic(d));
    }
    let s = &imported.summary;
    let errors = imported.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
    let Some(text) = imported.scenario.filter(|_| errors == 0) else {
        let _ = writeln!(stderr, "error: the import stopped: {errors} error(s) above; nothing was written");
        return Status::Invalid;
    };
    let _ = writeln!(
        stderr,
        "imported {} of {} devices, {} sites, {} links, {} groups; {} uncabled PSU(s), {} device(s) with no recorded power",
        s.devices_imported, s.devices_read, s.sites, s.links, s.groups, s.psus_uncabled, s.devices_without_recorded_power
    );
    design_errors(&text, &mut stderr);
    match &args.output {
        Some(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                if let Err(e) = std::fs::create_dir_all(dir) {
                    let _ = writeln!(stderr, "error: cannot create {} for --output: {e}", dir.display());
                    return Status::Invalid;
                }
            }
            if let Err(e) = std::fs::write(path, &text) {
                let _ = writeln!(stderr, "error: cannot write {}: {e}", path.display());
                return Status::Invalid;
            }
            let _ = writeln!(
                stderr,
                "wrote {} (next: a file with \"extends\": \"{}\" and your services)",
                path.display(),
                file_name(path)
            );
        }
        None => {
            let _ = std::io::stdout().write_all(text.as_bytes());
        }
    }
    Status::Ok
}

/// The imported design's error-level lints, said at once: NetBox records nothing of
/// what fixes them (a spanning tree, say), so `analyze` would otherwise be the first to
/// show them, after the architect wrote the services.
fn design_errors(text: &str, out: &mut impl Write) {
    let Some(model) = sim_core::load(text).model else { return };
    let errors: Vec<_> =
        sim_core::lints::run(&model).into_iter().filter(|f| f.severity == sim_core::lints::Severity::Error).collect();
    if errors.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "the imported design has {} error-level design lint(s), for what NetBox does not record (declare it in the \
         extending file; `spofsim explain CODE` says how):",
        errors.len()
    );
    for f in errors {
        let _ = writeln!(out, "  {} [{}] {}", f.code, f.name, f.message);
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn check_output(output: Option<&Path>) -> Result<(), String> {
    let Some(path) = output else { return Ok(()) };
    // Said before NetBox is read, not after; the output's folder is made only when the
    // import is written, so a failed import leaves nothing behind. Here: the nearest
    // folder that exists must be a writable folder.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let existing = dir.ancestors().find(|a| a.as_os_str().is_empty() || a.exists());
        if let Some(a) = existing.filter(|a| !a.as_os_str().is_empty()) {
            let meta = std::fs::metadata(a).map_err(|e| format!("cannot read {} for --output: {e}", a.display()))?;
            if !meta.is_dir() {
                return Err(format!("cannot create {} for --output: {} is not a folder", dir.display(), a.display()));
            }
            if meta.permissions().readonly() {
                return Err(format!("cannot create {} for --output: {} is read-only", dir.display(), a.display()));
            }
        }
    }
    match std::fs::read_to_string(path) {
        Ok(text) if !text.starts_with(MARK) => Err(format!(
            "{} exists and was not written by `spofsim import`; it is left alone (write the import elsewhere, and \"extends\" it from your file)",
            path.display()
        )),
        _ => Ok(()),
    }
}

fn format_diagnostic(d: &ImportDiagnostic) -> String {
    let mut s = format!("{}[{}]: {}\n  --> {}\n", d.severity.label(), d.code, d.message, d.location);
    if let Some(help) = &d.help {
        s.push_str(&format!("  = help: {help}\n"));
    }
    s
}

/// Reads the token from the environment, then fetches (see `spofsim::netbox_http`).
fn fetch(base: &str, args: &NetboxArgs) -> Result<Vec<Page>, String> {
    let token = std::env::var(&args.token_env).ok().filter(|t| !t.trim().is_empty()).ok_or_else(|| {
        format!(
            "the environment variable {} holds no NetBox API token (unset or empty; create one under your NetBox user's API Tokens, then export {}=...)",
            args.token_env, args.token_env
        )
    })?;
    let ca_cert = match &args.ca_cert {
        Some(pem) => Some(std::fs::read(pem).map_err(|e| format!("cannot read the CA file {}: {e}", pem.display()))?),
        None => None,
    };
    let request = spofsim::netbox_http::Request {
        base_url: base,
        token: &token,
        token_source: &format!("${}", args.token_env),
        timeout_secs: args.timeout,
        ca_cert_pem: ca_cert.as_deref(),
        save_dir: args.save.as_deref(),
    };
    spofsim::netbox_http::fetch(&request)
}

/// Reads a folder of saved responses (see `sim_core::netbox::pages_from_files`).
fn read_folder(dir: &Path) -> Result<Vec<Page>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read the folder {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else { continue };
        if !name.ends_with(".json") || !entry.path().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path())
            .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?;
        files.push((name, text));
    }
    let pages = netbox::pages_from_files(&dir.display().to_string(), &files);
    if pages.is_empty() {
        return Err(format!(
            "{} holds no saved NetBox responses (expected files like dcim__devices.json)",
            dir.display()
        ));
    }
    Ok(pages)
}
