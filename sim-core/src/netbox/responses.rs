//! NetBox REST API responses: parse each page, merge pages and folders by object id.
//!
//! A list endpoint answers `{"count": N, "next": URL|null, "previous": …, "results": [...]}`
//! (NetBox REST API, "Pagination"); a saved folder may also hold a bare JSON array. Pages
//! of one endpoint, and the same endpoint read from several folders, merge by `id`: a
//! later page or folder replaces an object with the same id (so `api-examples/` can be
//! laid over `api/`). Objects are kept sorted by id, so the result never depends on the
//! order the pages arrived in.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{ImportDiagnostic, Severity};

/// One response body as read: from a saved file or a live request.
#[derive(Clone, Debug)]
pub struct Page {
    /// The endpoint path below `/api/`, without a query: `"dcim/devices"`.
    pub endpoint: String,
    /// Where it came from, for messages: a file path or a URL.
    pub source: String,
    /// The body, as JSON text.
    pub text: String,
}

/// An object and where it was read.
#[derive(Clone, Debug)]
pub struct Object {
    pub value: Value,
    /// `source` and index: `"api/dcim__devices.json results[3]"`.
    pub at: String,
}

/// Every object of every endpoint, by endpoint then id.
#[derive(Debug, Default)]
pub struct Responses {
    pub endpoints: BTreeMap<String, BTreeMap<i64, Object>>,
    /// `netbox-version` from `status`, when it was read.
    pub netbox_version: Option<String>,
}

impl Responses {
    /// The objects of `endpoint`, by id (empty when the endpoint was not read).
    pub fn list(&self, endpoint: &str) -> impl Iterator<Item = &Object> {
        self.endpoints.get(endpoint).into_iter().flat_map(|m| m.values())
    }

    pub fn get(&self, endpoint: &str, id: i64) -> Option<&Object> {
        self.endpoints.get(endpoint)?.get(&id)
    }

    pub fn has(&self, endpoint: &str) -> bool {
        self.endpoints.contains_key(endpoint)
    }
}

/// Parses `pages` (in order; later wins per id). Every problem becomes a diagnostic; a
/// page that cannot be read contributes nothing.
pub fn parse(pages: &[Page], diagnostics: &mut Vec<ImportDiagnostic>) -> Responses {
    let mut out = Responses::default();
    // Per listing (its pages together): NetBox's `count`, the objects read, and a source.
    // (Distinct ids, not rows: a page saved twice over another must not pass for it.)
    let mut listings: BTreeMap<(String, String), Listing> = BTreeMap::new();
    for page in pages {
        // A byte-order mark (some editors and Windows tools save one) is not JSON.
        let text = page.text.strip_prefix('\u{feff}').unwrap_or(&page.text);
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                let what = if e.is_eof() { "the response ends early (truncated?)" } else { "not valid JSON" };
                diagnostics.push(ImportDiagnostic {
                    severity: Severity::Error,
                    code: "NB001",
                    location: format!("{}:{}:{}", page.source, e.line(), e.column()),
                    message: format!("{what}: {e}"),
                    help: Some(format!(
                        "save the response again (GET /api/{}/) or fetch it live with --url",
                        page.endpoint
                    )),
                });
                continue;
            }
        };
        if page.endpoint == "status" {
            out.netbox_version = value.get("netbox-version").and_then(Value::as_str).map(str::to_owned);
            continue;
        }
        let results = match &value {
            Value::Object(m) => match m.get("results") {
                Some(Value::Array(a)) => a.as_slice(),
                Some(other) => {
                    wrong_shape(diagnostics, page, "results", "an array", other);
                    continue;
                }
                None if m.contains_key("id") => std::slice::from_ref(&value),
                None => {
                    diagnostics.push(ImportDiagnostic {
                        severity: Severity::Error,
                        code: "NB001",
                        location: page.source.clone(),
                        message: "no \"results\" list: this is not a NetBox list response".into(),
                        help: Some(format!("expected the body of GET /api/{}/", page.endpoint)),
                    });
                    continue;
                }
            },
            Value::Array(a) => a.as_slice(),
            other => {
                wrong_shape(diagnostics, page, "the response", "an object with \"results\"", other);
                continue;
            }
        };
        let listing = listings.entry((page.endpoint.clone(), listing_of(&page.source))).or_insert((
            None,
            std::collections::BTreeSet::new(),
            page.source.clone(),
            0,
        ));
        listing.1.extend(results.iter().filter_map(|o| o.get("id").and_then(Value::as_i64)));
        // Objects without a numeric id are NB002 already: read, not missing (no NB008).
        listing.3 += results.iter().filter(|o| o.get("id").and_then(Value::as_i64).is_none()).count();
        if let Some(count) = value.get("count").and_then(Value::as_u64) {
            listing.0 = Some(listing.0.map_or(count, |c: u64| c.max(count)));
        }
        let objects = out.endpoints.entry(page.endpoint.clone()).or_default();
        for (i, object) in results.iter().enumerate() {
            let at = format!("{} results[{i}]", page.source);
            match object.get("id").and_then(Value::as_i64) {
                Some(id) => {
                    let mut value = object.clone();
                    normalise_netbox_3(&mut value);
                    objects.insert(id, Object { value, at });
                }
                None => diagnostics.push(ImportDiagnostic {
                    severity: Severity::Error,
                    code: "NB002",
                    location: at,
                    message: "an object without a numeric \"id\"".into(),
                    help: Some("every NetBox object has an integer id; is this file a NetBox response?".into()),
                }),
            }
        }
    }
    for ((endpoint, _), (count, ids, source, idless)) in listings {
        let read = ids.len() + idless;
        if let Some(count) = count.filter(|&c| (read as u64) < c) {
            diagnostics.push(ImportDiagnostic {
                severity: Severity::Error,
                code: "NB008",
                location: source,
                message: format!(
                    "NetBox counted {count} object(s) here but only {read} distinct ones were read: a page is missing or \
                     the data changed during the read, and what is missing (cables, PSUs) would hide or invent \
                     single points of failure"
                ),
                help: Some(format!(
                    "save every page of GET /api/{endpoint}/ (follow \"next\" to the end), or import live with --url again"
                )),
            });
        }
    }
    out
}

/// One listing's pages together: NetBox's `count`, the distinct ids read, a source, and
/// how many objects had no numeric id (NB002).
type Listing = (Option<u64>, std::collections::BTreeSet<i64>, String, usize);

/// The listing a page belongs to: its source without the page part, so the pages of one
/// listing count together: `…/dcim__cables__page3.json` → `…/dcim__cables.json`, and
/// a URL without its query (a live import reads every listing whole).
fn listing_of(source: &str) -> String {
    if source.contains("://") {
        return source.split('?').next().unwrap_or(source).to_string();
    }
    match source.rfind("__page") {
        Some(at) if source[at + 6..].trim_end_matches(".json").chars().all(|c| c.is_ascii_digit()) => {
            format!("{}.json", &source[..at])
        }
        _ => source.to_string(),
    }
}

/// NetBox before 3.3 wrote one far end and one termination per cable end: an object's
/// `connected_endpoint` / `connected_endpoint_type` and a cable's `termination_a_type`,
/// `termination_a_id`, `termination_a` (and b). They become the lists NetBox 3.3+ and 4.x
/// write (`connected_endpoints`, `a_terminations`), so the rest reads one shape.
fn normalise_netbox_3(object: &mut Value) {
    let Value::Object(map) = object else { return };
    if !map.contains_key("connected_endpoints") {
        if let Some(one) = map.get("connected_endpoint").cloned() {
            let list = if one.is_null() { Value::Null } else { Value::Array(vec![one]) };
            map.insert("connected_endpoints".into(), list);
            let ty = map.get("connected_endpoint_type").cloned().unwrap_or(Value::Null);
            map.insert("connected_endpoints_type".into(), ty);
        }
    }
    for side in ["a", "b"] {
        let list_key = format!("{side}_terminations");
        let (ty, id) = (format!("termination_{side}_type"), format!("termination_{side}_id"));
        if map.contains_key(&list_key) || !map.contains_key(&ty) {
            continue;
        }
        let term = serde_json::json!({
            "object_type": map.get(&ty).cloned().unwrap_or(Value::Null),
            "object_id": map.get(&id).cloned().unwrap_or(Value::Null),
            "object": map.get(&format!("termination_{side}")).cloned().unwrap_or(Value::Null),
        });
        map.insert(list_key, Value::Array(vec![term]));
    }
}

fn wrong_shape(diagnostics: &mut Vec<ImportDiagnostic>, page: &Page, field: &str, expected: &str, found: &Value) {
    diagnostics.push(ImportDiagnostic {
        severity: Severity::Error,
        code: "NB002",
        location: page.source.clone(),
        message: format!("{field}: expected {expected}, found {}", describe(found)),
        help: Some(format!("expected the body of GET /api/{}/", page.endpoint)),
    });
}

pub fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Pages from the files of a saved folder, (file name, text), in any order: `index.json`
/// (a list of `{"file", "endpoint"}`) names each file's endpoint when present, otherwise
/// the file name does ([`endpoint_of_file`]); traces and other files are left out. The
/// result is sorted by file name, so folder listing order never matters.
pub fn pages_from_files(folder: &str, files: &[(String, String)]) -> Vec<Page> {
    let index: Vec<(String, String)> = files
        .iter()
        .find(|(name, _)| name == "index.json")
        .and_then(|(_, text)| serde_json::from_str::<Value>(text).ok())
        .and_then(|v| v.as_array().cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|e| Some((e.get("file")?.as_str()?.to_string(), endpoint_of_path(e.get("endpoint")?.as_str()?)?)))
        .collect();
    let mut sorted: Vec<&(String, String)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    sorted
        .into_iter()
        .filter_map(|(name, text)| {
            let endpoint = match index.iter().find(|(f, _)| f == name) {
                Some((_, e)) => Some(e.clone()),
                None => endpoint_of_file(name),
            }?;
            let source =
                if folder.is_empty() { name.clone() } else { format!("{}/{name}", folder.trim_end_matches('/')) };
            Some(Page { endpoint, source, text: text.clone() })
        })
        .collect()
}

/// `/api/dcim/devices/?tag=x/` → `dcim/devices`; a trace → None.
pub fn endpoint_of_path(path: &str) -> Option<String> {
    let path = path.split('?').next()?.trim_start_matches("/api/").trim_end_matches('/');
    let parts: Vec<&str> = path.split('/').collect();
    match parts.as_slice() {
        ["status"] => Some("status".into()),
        [app, model] => Some(format!("{app}/{model}")),
        _ => None,
    }
}

/// The endpoint a saved file holds, from its name: `dcim__power-ports.json` →
/// `dcim/power-ports`; `dcim__devices__tag_importer-example.json` (a filtered list) →
/// `dcim/devices`; `dcim__interfaces__863__trace.json` (a trace) → `None`.
pub fn endpoint_of_file(name: &str) -> Option<String> {
    let stem = name.strip_suffix(".json")?;
    if stem == "index" {
        return None;
    }
    if stem == "status" {
        return Some("status".into());
    }
    let parts: Vec<&str> = stem.split("__").collect();
    if parts.len() < 2 || parts.last() == Some(&"trace") {
        return None;
    }
    Some(format!("{}/{}", parts[0], parts[1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_map_to_endpoints() {
        assert_eq!(endpoint_of_file("dcim__power-ports.json").as_deref(), Some("dcim/power-ports"));
        assert_eq!(endpoint_of_file("dcim__devices__tag_importer-example.json").as_deref(), Some("dcim/devices"));
        assert_eq!(endpoint_of_file("dcim__power-ports__mdf-examples.json").as_deref(), Some("dcim/power-ports"));
        assert_eq!(endpoint_of_file("dcim__interfaces__863__trace.json"), None);
        assert_eq!(endpoint_of_file("index.json"), None);
        assert_eq!(endpoint_of_file("status.json").as_deref(), Some("status"));
    }

    #[test]
    fn netbox_3_single_endpoints_become_lists() {
        let mut d = Vec::new();
        let r = parse(
            &[
                Page {
                    endpoint: "dcim/interfaces".into(),
                    source: "i".into(),
                    text:
                        r#"[{"id": 1, "connected_endpoint": {"id": 2}, "connected_endpoint_type": "dcim.interface"}]"#
                            .into(),
                },
                Page {
                    endpoint: "dcim/cables".into(),
                    source: "c".into(),
                    text: r#"[{"id": 9, "termination_a_type": "dcim.interface", "termination_a_id": 1,
                               "termination_b_type": "dcim.interface", "termination_b_id": 2}]"#
                        .into(),
                },
            ],
            &mut d,
        );
        let iface = &r.get("dcim/interfaces", 1).unwrap().value;
        assert_eq!(iface["connected_endpoints"][0]["id"], 2);
        assert_eq!(iface["connected_endpoints_type"], "dcim.interface");
        let cable = &r.get("dcim/cables", 9).unwrap().value;
        assert_eq!(cable["b_terminations"][0]["object_id"], 2);
    }

    #[test]
    fn index_json_names_endpoints() {
        let files = vec![
            ("x.json".to_string(), "[]".to_string()),
            ("dcim__sites.json".to_string(), "[]".to_string()),
            ("dcim__interfaces__1__trace.json".to_string(), "[]".to_string()),
            ("index.json".to_string(), r#"[{"file": "x.json", "endpoint": "/api/dcim/devices/?tag=a/"}]"#.to_string()),
        ];
        let pages = pages_from_files("saved", &files);
        let got: Vec<(&str, &str)> = pages.iter().map(|p| (p.endpoint.as_str(), p.source.as_str())).collect();
        assert_eq!(got, [("dcim/sites", "saved/dcim__sites.json"), ("dcim/devices", "saved/x.json")]);
        assert_eq!(endpoint_of_path("/api/dcim/power-ports/82/trace/"), None);
    }

    #[test]
    fn a_later_page_replaces_an_object_with_the_same_id() {
        let page = |text: &str| Page { endpoint: "dcim/sites".into(), source: "t".into(), text: text.into() };
        let mut d = Vec::new();
        let r = parse(
            &[
                page(r#"{"count":2,"next":null,"results":[{"id":2,"name":"b"},{"id":1,"name":"a"}]}"#),
                page(r#"[{"id":2,"name":"B"}]"#),
            ],
            &mut d,
        );
        assert!(d.is_empty());
        let names: Vec<&str> = r.list("dcim/sites").map(|o| o.value["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["a", "B"]);
    }

    #[test]
    fn a_listing_with_fewer_objects_than_its_count_is_an_error() {
        let page = |source: &str, text: &str| Page {
            endpoint: "dcim/cables".into(),
            source: source.into(),
            text: text.into(),
        };
        // Two saved pages of one listing: 3 counted, 3 read.
        let whole = [
            page("f/dcim__cables.json", r#"{"count":3,"next":"x","results":[{"id":1},{"id":2}]}"#),
            page("f/dcim__cables__page2.json", r#"{"count":3,"next":null,"results":[{"id":3}]}"#),
        ];
        let mut diagnostics = Vec::new();
        parse(&whole, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        // An object whose id is text is NB002, and only that: it was read, not lost.
        let mut diagnostics = Vec::new();
        let text_id = Page { text: whole[0].text.replacen(r#"{"id":1}"#, r#"{"id":"1"}"#, 1), ..whole[0].clone() };
        assert_ne!(text_id.text, whole[0].text, "the fixture has an id to spoil");
        parse(&[text_id, whole[1].clone()], &mut diagnostics);
        let codes: Vec<&str> = diagnostics.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["NB002"], "{diagnostics:?}");
        let mut diagnostics = Vec::new();
        // The second page lost.
        parse(&whole[..1], &mut diagnostics);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].code, "NB008");
        assert!(diagnostics[0].message.contains("counted 3 object(s) here but only 2"), "{}", diagnostics[0].message);
        // The first page saved again in place of the second: 4 rows, 2 distinct objects.
        let mut diagnostics = Vec::new();
        let twice = [whole[0].clone(), Page { source: "f/dcim__cables__page2.json".into(), ..whole[0].clone() }];
        parse(&twice, &mut diagnostics);
        assert_eq!(diagnostics.iter().filter(|d| d.code == "NB008").count(), 1, "{diagnostics:?}");
        // Live pages of one URL count together too.
        let live = [
            Page { source: "https://nb/api/dcim/cables/?limit=2".into(), ..whole[0].clone() },
            Page { source: "https://nb/api/dcim/cables/?limit=2&offset=2".into(), ..whole[1].clone() },
        ];
        let mut diagnostics = Vec::new();
        parse(&live, &mut diagnostics);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn a_truncated_page_is_an_error_with_line_and_column() {
        let mut d = Vec::new();
        parse(
            &[Page {
                endpoint: "dcim/sites".into(),
                source: "s.json".into(),
                text: "{\"results\": [{\"id\": 1,\n".into(),
            }],
            &mut d,
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].location.starts_with("s.json:2:"), "{}", d[0].location);
        assert!(d[0].message.contains("truncated"), "{}", d[0].message);
    }
}
