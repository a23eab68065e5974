//! Reading NetBox over its REST API (for `spofsim import netbox --url` and the desktop
//! app): pages through every endpoint `sim_core::netbox` reads, with ureq over rustls.
//! Writes files only when asked to save the responses.

use std::path::Path;
use std::time::Duration;

use sim_core::netbox::{self, Page};

/// What to fetch and how.
pub struct Request<'a> {
    /// NetBox's base URL (`https://netbox.example.com`; a trailing `/api` is accepted).
    pub base_url: &'a str,
    /// The API token (sent as `Authorization: Token …`).
    pub token: &'a str,
    /// Where the token came from, for messages (`$NETBOX_TOKEN`, "the token field").
    pub token_source: &'a str,
    /// Seconds to wait for each response.
    pub timeout_secs: u64,
    /// PEM certificates to trust instead of the Mozilla roots (webpki-roots).
    pub ca_cert_pem: Option<&'a [u8]>,
    /// Save every response here, one file per page, for `--from` later.
    pub save_dir: Option<&'a Path>,
}

/// Fetches every endpoint the importer reads ([`netbox::ENDPOINTS`]), following `next`.
///
/// Errors are sentences for people: the URL, the HTTP status and what to check.
pub fn fetch(request: &Request) -> Result<Vec<Page>, String> {
    let base = request.base_url.trim().trim_end_matches('/').trim_end_matches("/api").to_string();
    if !base.starts_with("http://") && !base.starts_with("https://") {
        return Err(format!("\"{base}\" is not a URL: give NetBox's base URL, e.g. https://netbox.example.com"));
    }
    let mut config = ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(request.timeout_secs.max(1))))
        .http_status_as_error(false)
        .user_agent(concat!("spofsim/", env!("CARGO_PKG_VERSION")));
    if let Some(bytes) = request.ca_cert_pem {
        let certs: Vec<ureq::tls::Certificate<'static>> = ureq::tls::parse_pem(bytes)
            .filter_map(|item| match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err("the CA file holds no PEM certificate".into());
        }
        config = config.tls_config(
            ureq::tls::TlsConfig::builder().root_certs(ureq::tls::RootCerts::new_with_certs(&certs)).build(),
        );
    }
    let agent: ureq::Agent = config.build().into();
    if let Some(dir) = request.save_dir {
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
            let text = match get(&agent, &url, request, endpoint) {
                Ok(text) => text,
                // An optional endpoint NetBox refuses (a token without that permission)
                // or lacks: the import says what it then assumes (NB311).
                Err(why)
                    if netbox::OPTIONAL_ENDPOINTS.contains(endpoint)
                        && (why.contains("HTTP 403") || why.contains("HTTP 404")) =>
                {
                    break
                }
                Err(why) => return Err(why),
            };
            n += 1;
            let next = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v.get("next").and_then(|n| n.as_str()).map(str::to_owned));
            if let Some(dir) = request.save_dir {
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

/// `next` with our base URL in front of its `/api/...` path.
pub fn rebase(next: &str, base: &str) -> String {
    match next.find("/api/") {
        Some(i) => format!("{base}{}", &next[i..]),
        None => next.to_string(),
    }
}

/// A transport failure as a sentence that says what to check (ureq's own text names
/// the layer, not the cause: "timeout: global", "received corrupt message").
fn transport_error(e: &ureq::Error, timeout_secs: u64) -> String {
    match e {
        ureq::Error::Timeout(_) => format!(
            "no complete answer within {timeout_secs} s (--timeout): is NetBox up and reachable from here? A large \
             NetBox may need a longer --timeout"
        ),
        ureq::Error::HostNotFound => "the host name does not resolve (check the URL, or DNS)".into(),
        ureq::Error::ConnectionFailed => {
            "nothing answers at that address and port (is NetBox running? a firewall?)".into()
        }
        ureq::Error::Tls(_) | ureq::Error::Rustls(_) => format!(
            "the TLS handshake failed ({e}): with https://, the server must speak HTTPS on that port (plain HTTP? use \
             http://) and its certificate must be trusted (an internal CA: --ca-cert FILE)"
        ),
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => {
            format!("nothing answers at that address and port (is NetBox running? a firewall?): {io}")
        }
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => format!(
            "no complete answer within {timeout_secs} s (--timeout): is NetBox up and reachable from here? ({io})"
        ),
        ureq::Error::Io(io)
            if io.to_string().contains("corrupt message") || io.to_string().contains("InvalidContentType") =>
        {
            format!(
                "the TLS handshake failed ({io}): the server does not speak HTTPS on that port (use http://, or the \
                 HTTPS port)"
            )
        }
        other => other.to_string(),
    }
}

fn get(agent: &ureq::Agent, url: &str, request: &Request, endpoint: &str) -> Result<String, String> {
    let (token, token_source, timeout_secs) = (request.token, request.token_source, request.timeout_secs.max(1));
    let mut response = agent
        .get(url)
        .header("Authorization", &format!("Token {token}"))
        .header("Accept", "application/json")
        .call()
        .map_err(|e| format!("GET {url}: {}", transport_error(&e, timeout_secs)))?;
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| format!("GET {url}: reading the answer: {}", transport_error(&e, timeout_secs)))?;
    match status {
        200 => {}
        // NetBox answers a bad token with 403 {"detail": "Invalid token"} (or "Token
        // expired"), a token without the permission with 403 and another detail.
        401 | 403 if status == 401 || body.to_ascii_lowercase().contains("token") => {
            return Err(format!(
                "GET {url}: HTTP {status}: NetBox refused the token; check that {token_source} holds a valid API token and that it has not expired (NetBox says: {})",
                body.chars().take(120).collect::<String>().trim()
            ))
        }
        403 => {
            return Err(format!(
                "GET {url}: HTTP 403: NetBox accepts the token but refuses /api/{endpoint}/ (NetBox says: {}); give the token's user (or the token, if it is restricted) permission to view {endpoint}, or use a read-only token of a user who may",
                body.chars().take(120).collect::<String>().trim()
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
    if content_type.contains("json") {
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&body) {
            return Err(format!(
                "GET {url}: the JSON answer is broken ({e}; {} bytes read): cut short by a proxy or a dropped connection? Try again, or raise --timeout",
                body.len()
            ));
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
    #[test]
    fn next_keeps_our_host() {
        assert_eq!(
            super::rebase(
                "http://netbox.example.com/api/dcim/devices/?limit=1000&offset=1000",
                "http://127.0.0.1:8000"
            ),
            "http://127.0.0.1:8000/api/dcim/devices/?limit=1000&offset=1000"
        );
    }
}
