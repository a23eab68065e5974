//! `spofsim import netbox`: read NetBox (saved responses with --from, or live with --url),
//! hand the pages to `sim_core::netbox::import`, write the scenario and print findings.
//!
//! The HTTP is ureq's (rustls, webpki roots or --ca-cert); this file only pages through
//! list endpoints (`?limit=1000`, then `next`) and turns HTTP answers into clear errors.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

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
            Ok(text) => netbox::parse_roles_file(&text, &path.display().to_string(), &mut options.roles, &mut early),
            Err(e) => {
                let _ = writeln!(stderr, "error: cannot read the roles file {}: {e}", path.display());
                return Status::Invalid;
            }
        }
    }
    if let Err(why) = check_output(args.output.as_deref()) {
        let _ = writeln!(stderr, "error: {why}");
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
    match &args.output {
        Some(path) => {
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

fn file_name(p: &Path) -> String {
    p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned())
}

fn check_output(output: Option<&Path>) -> Result<(), String> {
    let Some(path) = output else { return Ok(()) };
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

/// Fetches every endpoint the importer reads, following `next`.
fn fetch(base: &str, args: &NetboxArgs) -> Result<Vec<Page>, String> {
    let token = std::env::var(&args.token_env).map_err(|_| {
        format!(
            "the environment variable {} holds no NetBox API token (create one under your NetBox user's API Tokens, then export {}=...)",
            args.token_env, args.token_env
        )
    })?;
    let base = base.trim_end_matches('/').trim_end_matches("/api").to_string();
    let mut config = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(args.timeout.max(1))))
        .http_status_as_error(false)
        .user_agent(concat!("spofsim/", env!("CARGO_PKG_VERSION")));
    if let Some(pem) = &args.ca_cert {
        let bytes = std::fs::read(pem).map_err(|e| format!("cannot read the CA file {}: {e}", pem.display()))?;
        let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(&bytes)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err(format!("{} holds no PEM certificate", pem.display()));
        }
        config = config.tls_config(
            ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&certs)).build(),
        );
    }
    let agent: ureq::Agent = config.build().into();
    if let Some(dir) = &args.save {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut pages = Vec::new();
    for endpoint in netbox::ENDPOINTS {
        let mut url = if *endpoint == "status" {
            format!("{base}/api/status/")
        } else {
            format!("{base}/api/{endpoint}/?limit=1000")
        };
        let mut n = 0;
        loop {
            let text = get(&agent, &url, &token, &args.token_env, endpoint)?;
            n += 1;
            let next = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v.get("next").and_then(|n| n.as_str()).map(str::to_owned));
            if let Some(dir) = &args.save {
                let name = format!(
                    "{}{}.json",
                    endpoint.replace('/', "__"),
                    if n > 1 { format!("__page{n}") } else { String::new() }
                );
                std::fs::write(dir.join(&name), &text)
                    .map_err(|e| format!("cannot write {}: {e}", dir.join(&name).display()))?;
            }
            pages.push(Page { endpoint: endpoint.to_string(), source: url.clone(), text });
            match next {
                // NetBox writes `next` with the host it was asked by; keep ours (a proxy
                // may present another).
                Some(next) => url = rebase(&next, &base),
                None => break,
            }
            if n > 100_000 {
                return Err(format!("{endpoint}: more than 100,000 pages; stopping"));
            }
        }
    }
    Ok(pages)
}

fn rebase(next: &str, base: &str) -> String {
    match next.find("/api/") {
        Some(i) => format!("{base}{}", &next[i..]),
        None => next.to_string(),
    }
}

fn get(agent: &ureq::Agent, url: &str, token: &str, token_env: &str, endpoint: &str) -> Result<String, String> {
    let mut response = agent
        .get(url)
        .header("Authorization", &format!("Token {token}"))
        .header("Accept", "application/json")
        .call()
        .map_err(|e| format!("GET {url}: {e}"))?;
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let body = response.body_mut().read_to_string().map_err(|e| format!("GET {url}: reading the answer: {e}"))?;
    match status {
        200 => {}
        401 | 403 => {
            return Err(format!(
                "GET {url}: HTTP {status}: NetBox refused the token; check that ${token_env} holds a valid API token, that it has not expired, and that its user may read {endpoint}"
            ))
        }
        404 => {
            return Err(format!(
                "GET {url}: HTTP 404: this is not a NetBox API root (give NetBox's base URL, e.g. https://netbox.example.com; {endpoint} needs NetBox 3.x or 4.x)"
            ))
        }
        other => {
            let excerpt: String = body.chars().take(200).collect();
            return Err(format!("GET {url}: HTTP {other}: {excerpt}"));
        }
    }
    if !content_type.contains("json") || serde_json::from_str::<serde_json::Value>(&body).is_err() {
        let excerpt: String = body.chars().take(120).collect::<String>().replace('\n', " ");
        return Err(format!(
            "GET {url}: the answer is not JSON (content type \"{content_type}\"; it begins \"{excerpt}\"): a login page or a proxy? give NetBox's own URL"
        ));
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_keeps_our_host() {
        assert_eq!(
            rebase("http://netbox.example.com/api/dcim/devices/?limit=1000&offset=1000", "http://127.0.0.1:8000"),
            "http://127.0.0.1:8000/api/dcim/devices/?limit=1000&offset=1000"
        );
    }
}
