//! `spofsim import netbox`: the recorded NetBox 4.2.9 demo responses in, the bundled
//! scenario out (golden); HTTP behaviour against a small local server that answers like
//! NetBox (pages, 401, 404, HTML); the file-safety rules. The import over a real NetBox
//! is `tests/netbox-live.sh` (run by .ci/run).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use crate::harness::{expect_file, spofsim, spofsim_env};

const API: &str = "tests/data/netbox/api";
const EXAMPLES: &str = "tests/data/netbox/api-examples";

#[test]
fn netbox_demo_import_matches_the_bundled_scenario() {
    let run = spofsim(&["import", "netbox", "--from", API, "--from", EXAMPLES, "--name", "netbox-demo"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    expect_file(std::path::Path::new("scenarios/netbox/netbox-demo.jsonc"), &run.stdout);
    expect_file(std::path::Path::new("tests/golden/netbox/demo-examples.stderr"), &run.stderr);
    let run = spofsim(&["import", "netbox", "--from", API]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    expect_file(std::path::Path::new("tests/golden/netbox/demo.jsonc"), &run.stdout);
    assert!(run.stderr.contains("imported 53 of 72 devices"), "{}", run.stderr);
}

#[test]
fn netbox_import_validates_and_the_extending_file_checks() {
    let run = spofsim(&["--color", "never", "validate", "tests/golden/netbox/demo.jsonc", "scenarios/netbox/"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = spofsim(&["--color", "never", "check", "scenarios/netbox/"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("netbox-demo.jsonc is checked through scenarios/netbox/campus.jsonc"),
        "{}",
        run.stderr
    );
}

#[test]
fn netbox_import_never_overwrites_an_architects_file() {
    let dir = std::env::temp_dir().join(format!("spofsim-netbox-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mine = dir.join("campus.jsonc");
    std::fs::write(&mine, "{ \"name\": \"mine\" }\n").unwrap();
    let run = spofsim(&["import", "netbox", "--from", API, "--output", mine.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("was not written by `spofsim import`"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "{ \"name\": \"mine\" }\n");
    // An earlier import is replaced.
    let imported = dir.join("netbox.jsonc");
    assert_eq!(spofsim(&["import", "netbox", "--from", API, "--output", imported.to_str().unwrap()]).code, 0);
    assert_eq!(spofsim(&["import", "netbox", "--from", API, "--output", imported.to_str().unwrap()]).code, 0);
    // A failed import makes no folder for its --output; a written one makes it.
    let failed = dir.join("new-folder").join("x.jsonc");
    let run = spofsim(&["import", "netbox", "--from", API, "--status", "bogus", "--output", failed.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("nothing was written") && !dir.join("new-folder").exists(), "{}", run.stderr);
    let made = dir.join("made").join("netbox.jsonc");
    assert_eq!(spofsim(&["import", "netbox", "--from", API, "--output", made.to_str().unwrap()]).code, 0);
    assert!(made.exists());
    // An --output under a file cannot be made: said before NetBox is read.
    let under_file = mine.join("x.jsonc");
    let run = spofsim(&["import", "netbox", "--from", API, "--output", under_file.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is not a folder"), "{}", run.stderr);
    // --save belongs to a live import: with --from it would save nothing, so it is refused.
    let run = spofsim(&["import", "netbox", "--from", API, "--save", dir.join("saved").to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--save keeps the responses of a live import"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn netbox_bad_folders_and_roles_files_get_clear_errors() {
    let run = spofsim(&["import", "netbox", "--from", "tests/data/aralia"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("holds no saved NetBox responses"), "{}", run.stderr);
    let run = spofsim(&["import", "netbox"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--url https://netbox.example.com"), "{}", run.stderr);
    let dir = std::env::temp_dir().join(format!("spofsim-roles-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let roles = dir.join("roles.json");
    std::fs::write(&roles, r#"{"router": "rooter"}"#).unwrap();
    let run = spofsim(&["import", "netbox", "--from", API, "--roles", roles.to_str().unwrap()]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean \"router\""), "{}", run.stderr);
    // Skipping the branch routers leaves the WAN circuits with nothing to end on.
    std::fs::write(&roles, r#"{"router": "skip"}"#).unwrap();
    let run = spofsim(&["import", "netbox", "--from", API, "--roles", roles.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("imported 40 of 72 devices"), "{}", run.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A one-connection-at-a-time HTTP server answering each request with `answer(path,
/// authorization)` → (status line, content type, body). Returns its base URL.
fn serve(answer: fn(&str, &str, &str) -> (&'static str, &'static str, String)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let me = base.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let _ = reader.read_line(&mut request);
            let mut auth = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("authorization: ") {
                    auth = v.trim().to_string();
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let (status, content_type, body) = answer(&me, &path, &auth);
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

fn netbox_like(base: &str, path: &str, auth: &str) -> (&'static str, &'static str, String) {
    if auth != "token 0123456789abcdef" {
        return ("403 Forbidden", "application/json", r#"{"detail":"Invalid token"}"#.into());
    }
    let json = "application/json";
    if path.starts_with("/api/status/") {
        return ("200 OK", json, r#"{"netbox-version": "4.2.9"}"#.into());
    }
    if path.starts_with("/api/dcim/sites/") {
        return ("200 OK", json, r#"{"count":1,"next":null,"results":[{"id":1,"slug":"s","name":"S"}]}"#.into());
    }
    // Two pages of devices: NetBox's `next` names the host it was asked by.
    if path.starts_with("/api/dcim/devices/") && !path.contains("offset") {
        let next = format!("{}/api/dcim/devices/?limit=1000&offset=1", base.replace("127.0.0.1", "localhost"));
        let body = format!(
            r#"{{"count":2,"next":"{next}","results":[{{"id":1,"name":"r1","role":{{"slug":"router"}},"site":{{"slug":"s"}},"status":{{"value":"active"}}}}]}}"#
        );
        return ("200 OK", json, body);
    }
    if path.starts_with("/api/dcim/devices/") {
        return (
            "200 OK",
            json,
            r#"{"count":2,"next":null,"results":[{"id":2,"name":"r2","role":{"slug":"router"},"site":{"slug":"s"},"status":{"value":"planned"}}]}"#.into(),
        );
    }
    ("200 OK", json, r#"{"count":0,"next":null,"results":[]}"#.into())
}

#[test]
fn netbox_live_import_pages_and_uses_the_token_from_the_environment() {
    let base = serve(netbox_like);
    let token = [("NETBOX_TOKEN", "0123456789abcdef")];
    let run = spofsim_env(&["import", "netbox", "--url", &base], &token);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(r#""r1": { "kind": "router", "site": "s""#), "{}", run.stdout);
    assert!(run.stdout.contains(r#""r2": { "kind": "router", "site": "s""#), "planned devices count\n{}", run.stdout);
    let run = spofsim_env(&["import", "netbox", "--url", &base], &[("NETBOX_TOKEN", "wrong")]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("HTTP 403: NetBox refused the token; check that $NETBOX_TOKEN"), "{}", run.stderr);
    let run = spofsim_env(&["import", "netbox", "--url", &base, "--token-env", "MY_NB"], &[]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("MY_NB holds no NetBox API token"), "{}", run.stderr);
}

#[test]
fn netbox_live_import_explains_wrong_urls() {
    let not_found = serve(|_, _, _| ("404 Not Found", "text/html", "<h1>Not Found</h1>".into()));
    let token = [("NETBOX_TOKEN", "x")];
    let run = spofsim_env(&["import", "netbox", "--url", &not_found], &token);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("HTTP 404: this is not a NetBox API root"), "{}", run.stderr);
    let html = serve(|_, _, _| ("200 OK", "text/html", "<html><body>Log in</body></html>".into()));
    let run = spofsim_env(&["import", "netbox", "--url", &html], &token);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("the answer is not JSON (content type \"text/html\""), "{}", run.stderr);
    // Nothing listens on port 9 (discard) here: a connection error, said plainly.
    let run = spofsim_env(&["import", "netbox", "--url", "http://127.0.0.1:9", "--timeout", "5"], &token);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("GET http://127.0.0.1:9/api/status/"), "{}", run.stderr);
}

/// A token NetBox knows but whose user may not read an endpoint is told apart from a bad
/// token; an empty token variable is no token; an answer cut short is said to be cut.
#[test]
fn netbox_live_import_tells_permissions_empty_tokens_and_cut_answers_apart() {
    let denied = serve(|_, _, _| {
        (
            "403 Forbidden",
            "application/json",
            r#"{"detail":"You do not have permission to perform this action."}"#.into(),
        )
    });
    let token = [("NETBOX_TOKEN", "0123456789abcdef")];
    let run = spofsim_env(&["import", "netbox", "--url", &denied], &token);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains(
        "HTTP 403: NetBox accepts the token but refuses /api/status/ (NetBox says: {\"detail\":\"You do not have permission to perform this action.\"})"
    ), "{}", run.stderr);
    let run = spofsim_env(&["import", "netbox", "--url", &denied], &[("NETBOX_TOKEN", "  ")]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("NETBOX_TOKEN holds no NetBox API token (unset or empty"), "{}", run.stderr);
    let cut = serve(|_, _, _| ("200 OK", "application/json", r#"{"count":1,"next":null,"results":[{"id":1,"#.into()));
    let run = spofsim_env(&["import", "netbox", "--url", &cut], &token);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("the JSON answer is broken"), "{}", run.stderr);
    let nobody = "http://127.0.0.1:9";
    let run = spofsim_env(&["import", "netbox", "--url", nobody, "--timeout", "5"], &token);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("nothing answers at that address and port"), "{}", run.stderr);
}
