//! Import from NetBox (DCIM/IPAM): REST API responses in, a scenario (JSONC text) out.
//!
//! An edge of the pipeline, like the Open-PSA importer: it does no IO (the CLI fetches
//! pages or reads saved ones) and produces scenario text that `load` then checks like
//! any hand-written file. Mapping rules, each documented in docs/NETBOX.md:
//!
//! - sites → sites; a device → a component of its role's kind ([`roles`]);
//! - power panel → feed → PDU → outlet → a device's PSU ([`power`]);
//! - cables, traced through patch panels and circuits by NetBox itself
//!   (`connected_endpoints`), LAGs, virtual chassis and provider circuits ([`network`]);
//! - FHRP groups (VRRP, HSRP, CARP) → vrrp/hsrp groups ([`fhrp`]);
//! - virtual machines with a recorded host device → processes on it.
//!
//! What NetBox does not record (MTBF, MTTR, timers) comes from kind defaults, or from the
//! custom fields `spofsim_mtbf`, `spofsim_mttr` and `spofsim_availability`. Where NetBox
//! leaves a gap that could hide a SPOF (a PSU with no cable, a PDU inlet with no feed), the
//! import says so and assumes one unrecorded supply per site (a single point of failure
//! for what hangs on it, taken independent of the site's recorded panels).

pub mod codes;
mod fhrp;
mod ids;
mod network;
mod power;
mod responses;
mod roles;
mod write;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

pub use responses::{endpoint_of_file, endpoint_of_path, pages_from_files, Page, Responses};
pub use roles::{default_table, parse_roles_file, RoleMapping, DEVICE_KINDS};

use ids::Ids;
use write::{Entry, Scenario};

/// The endpoints the importer reads (below `/api/`), in the order the CLI fetches them.
pub const ENDPOINTS: &[&str] = &[
    "status",
    "dcim/sites",
    "dcim/devices",
    "dcim/interfaces",
    "dcim/cables",
    "dcim/front-ports",
    "dcim/rear-ports",
    "dcim/power-panels",
    "dcim/power-feeds",
    "dcim/power-ports",
    "dcim/power-outlets",
    "dcim/virtual-chassis",
    "ipam/fhrp-groups",
    "ipam/fhrp-group-assignments",
    "virtualization/virtual-machines",
    // Last, so the fuzz seeds' page order (pages map to endpoints by position) holds.
    "dcim/locations",
    // Circuits' status and custom fields (their paths come from the cables above).
    "circuits/circuits",
];

/// Endpoints the import does without (a live import skips one NetBox refuses or lacks).
pub const OPTIONAL_ENDPOINTS: &[&str] = &["circuits/circuits"];

/// Device statuses imported when `--status` is not given: what runs or will run, and
/// what is down now but part of the design (offline, failed: imported as working, with
/// NB015, as failed feeds are with NB210; leaving them out would silently remove a
/// group's member and break the architect's file). NetBox's other statuses: inventory,
/// decommissioning.
pub const DEFAULT_STATUSES: &[&str] = &["active", "planned", "staged", "offline", "failed"];

/// How serious a finding of the import is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Note,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// One finding of the import. `location` is a file:line:col, a file and result index, or
/// the NetBox object's URL.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImportDiagnostic {
    pub severity: Severity,
    /// Stable code, `NB001`…; see docs/NETBOX.md.
    pub code: &'static str,
    pub location: String,
    pub message: String,
    pub help: Option<String>,
}

/// What to import and how.
#[derive(Clone, Debug)]
pub struct Options {
    /// Site slugs to keep (empty: every site).
    pub sites: Vec<String>,
    /// Device tag slugs; a device with any of them is kept (empty: no tag filter).
    pub tags: Vec<String>,
    /// Device statuses to keep ([`DEFAULT_STATUSES`] unless given).
    pub statuses: Vec<String>,
    /// Role slug → mapping ([`default_table`] plus the roles file).
    pub roles: BTreeMap<String, RoleMapping>,
    /// Availability assumed for a provider circuit (an uplink NetBox records without an
    /// SLA), e.g. "99.9%"; override per circuit in the extending file.
    pub circuit_availability: String,
    /// The scenario's `name`.
    pub name: String,
    /// Role slugs a roles file named (each should match some device's role).
    pub roles_file_keys: Vec<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            sites: Vec::new(),
            tags: Vec::new(),
            statuses: DEFAULT_STATUSES.iter().map(|s| s.to_string()).collect(),
            roles: default_table(),
            // A common business-circuit SLA (99.9% monthly, about 43 minutes a month);
            // an assumption, printed in the output, to be replaced by the contract's figure.
            circuit_availability: "99.9%".into(),
            name: "netbox".into(),
            roles_file_keys: Vec::new(),
        }
    }
}

/// Counts of what was read and made, for the summary line and the tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub devices_read: usize,
    pub devices_imported: usize,
    pub sites: usize,
    pub links: usize,
    pub groups: usize,
    pub psus_uncabled: usize,
    pub devices_without_recorded_power: usize,
}

/// The import's result: the scenario text (unless an error stopped it) and every finding,
/// sorted.
#[derive(Debug)]
pub struct Imported {
    pub scenario: Option<String>,
    pub diagnostics: Vec<ImportDiagnostic>,
    pub summary: Summary,
}

/// Imports `pages` (any order; later pages win per object id). Never panics.
pub fn import(pages: &[Page], options: &Options) -> Imported {
    let mut diagnostics = Vec::new();
    let responses = responses::parse(pages, &mut diagnostics);
    let mut cx = Cx {
        r: &responses,
        options,
        diagnostics,
        ids: Ids::default(),
        devices: BTreeMap::new(),
        out: Scenario::default(),
        unrecorded_power: BTreeSet::new(),
        locations: BTreeMap::new(),
        summary: Summary::default(),
    };
    for required in ["dcim/devices", "dcim/sites"] {
        if !responses.has(required) {
            cx.diagnostics.push(ImportDiagnostic {
                severity: Severity::Error,
                code: "NB004",
                location: required.into(),
                message: format!("no response for /api/{required}/ was read"),
                help: Some(format!(
                    "save GET /api/{required}/ as {}.json in the folder, or import live with --url",
                    required.replace('/', "__")
                )),
            });
        }
    }
    // Written as the circuits' `availability` string, which must be a percentage.
    let percent = options.circuit_availability.trim().strip_suffix('%').map(|n| n.trim().parse::<f64>());
    let bad_circuit = match percent {
        None => Some("it does not end with %"),
        Some(Err(_)) => Some("it is not a number before the %"),
        Some(Ok(p)) if !(p > 0.0 && p <= 100.0) => Some("it is not above 0% and at most 100%"),
        Some(Ok(_)) => None,
    };
    if let Some(why) = bad_circuit {
        cx.error(
            "NB009",
            "--circuit-availability",
            format!("\"{}\" is not an availability for provider circuits: {why}", options.circuit_availability),
            "give a percentage above 0% and at most 100%, e.g. 99.95% (the circuits' SLA)".into(),
        );
    }
    cx.devices_in_scope();
    if cx.devices.is_empty() && cx.summary.devices_read > 0 {
        let sites: BTreeSet<&str> = responses
            .list("dcim/devices")
            .filter_map(|o| o.value.get("site").and_then(|s| str_of(s, "slug")))
            .collect();
        let statuses: BTreeSet<&str> =
            responses.list("dcim/devices").filter_map(|o| choice(&o.value, "status")).collect();
        let shown = |set: BTreeSet<&str>| sample(set.into_iter().map(str::to_string).collect(), 40);
        cx.error(
            "NB006",
            "dcim/devices",
            format!(
                "no device of the {} read matches the scope, so there is nothing to import",
                cx.summary.devices_read
            ),
            format!(
                "check --site (sites with devices: {}), --status (statuses present: {}) and --tag",
                shown(sites),
                shown(statuses)
            ),
        );
    }
    power::import(&mut cx);
    network::import(&mut cx);
    fhrp::import(&mut cx);
    cx.virtual_machines();
    cx.sites();
    cx.unrecorded_power_sources();
    for (plain, given, what, netbox_id) in std::mem::take(&mut cx.ids.clashes) {
        cx.note(
            "NB014",
            &format!("{what} #{netbox_id}"),
            format!(
                "the {what} NetBox #{netbox_id} would be \"{plain}\", which another object has: it is \"{given}\"; an \
                 override of \"{plain}\" in your file applies to the other object"
            ),
        );
    }
    let mut diagnostics = std::mem::take(&mut cx.diagnostics);
    diagnostics.sort();
    diagnostics.dedup();
    let summary = Summary {
        devices_imported: cx.devices.values().filter(|d| d.mapping.is_component()).count(),
        sites: cx.out.sites.len(),
        links: cx.out.links.len(),
        groups: cx.out.groups.len(),
        ..cx.summary.clone()
    };
    let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
    let description = format!(
        "Imported from NetBox {}: {} devices in {} sites, {} links, {} groups.",
        responses.netbox_version.as_deref().unwrap_or("(version not read)"),
        summary.devices_imported,
        summary.sites,
        summary.links,
        summary.groups
    );
    let scenario =
        (!failed).then(|| write::render(&cx.out, &header(&responses, options, &summary), &options.name, &description));
    Imported { scenario, diagnostics, summary }
}

fn header(r: &Responses, options: &Options, summary: &Summary) -> Vec<String> {
    let version = r.netbox_version.as_deref().unwrap_or("(version not read)");
    let list = |v: &[String]| if v.is_empty() { "any".to_string() } else { v.join(", ") };
    vec![
        format!("Imported from NetBox {version} by `spofsim import netbox` (mapping: docs/NETBOX.md)."),
        format!(
            "Scope: sites {}; device status {}; tags {}. {} of {} devices imported.",
            list(&options.sites),
            list(&options.statuses),
            list(&options.tags),
            summary.devices_imported,
            summary.devices_read
        ),
        "ASSUMED, not in NetBox: every site and location fails as the site kind's default (a".into(),
        "disaster: MTBF 100y, MTTR 30d) unless NetBox custom fields spofsim_mtbf/spofsim_mttr say".into(),
        format!(
            "otherwise; provider circuits are {} available (mttr 4h); power NetBox does not record",
            options.circuit_availability
        ),
        "hangs on one supply per site. Power panels are independent supplies, and so is a site's".into(),
        "unrecorded power: NetBox records nothing above a panel, so a utility feed, UPS or".into(),
        "generator that panels share is not seen (in the extending file, make such panels a \"pdu\"".into(),
        "\"from\" a power-feed, ups or generator of your own).".into(),
        "Re-importing replaces this file: write services, expectations and overrides in a file".into(),
        "that \"extends\" it.".into(),
    ]
}

/// A device of NetBox, in scope.
#[derive(Clone, Debug)]
pub(crate) struct Device {
    /// The component id (for pass-through devices, a name for messages only).
    pub id: String,
    pub mapping: RoleMapping,
    /// The id of the device's NetBox site (the scope of `--site` and of unrecorded power).
    pub site: Option<String>,
    /// Where it stands: the id of its location (a site nested in `site`), else `site`.
    pub placement: Option<String>,
    /// NetBox's display name, for messages.
    pub display: String,
    /// The web UI URL (`display_url`), for comments and messages.
    pub url: String,
}

impl RoleMapping {
    fn is_component(self) -> bool {
        matches!(self, RoleMapping::Kind(_))
    }
}

pub(crate) struct Cx<'a> {
    pub r: &'a Responses,
    pub options: &'a Options,
    pub diagnostics: Vec<ImportDiagnostic>,
    pub ids: Ids,
    /// Devices in scope, by NetBox id.
    pub devices: BTreeMap<i64, Device>,
    pub out: Scenario,
    /// Sites (slug, or "" for none) that need an "unrecorded power" source.
    pub unrecorded_power: BTreeSet<String>,
    /// Location site ids → (NetBox location id, brief object seen on a device).
    pub locations: BTreeMap<String, (i64, Value)>,
    pub summary: Summary,
}

// Field access on NetBox objects: nested brief objects, choice fields {value, label}.
pub(crate) fn id_of(v: &Value) -> Option<i64> {
    v.get("id").and_then(Value::as_i64)
}
pub(crate) fn str_of<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty())
}
/// A choice field's value (`{"value": "active", "label": "Active"}`), or a plain string.
pub(crate) fn choice<'v>(v: &'v Value, key: &str) -> Option<&'v str> {
    match v.get(key)? {
        Value::String(s) => Some(s),
        other => other.get("value").and_then(Value::as_str),
    }
}
/// The object's page in NetBox's web UI: `display_url`, else its API `url` without the
/// `/api` segment (NetBox's own mapping; nested objects carry only `url`).
pub(crate) fn url_of(v: &Value) -> String {
    match (str_of(v, "display_url"), str_of(v, "url")) {
        (Some(web), _) => web.to_string(),
        (None, Some(api)) => api.replacen("/api/", "/", 1),
        (None, None) => String::new(),
    }
}
pub(crate) fn display_of(v: &Value) -> String {
    str_of(v, "name")
        .or_else(|| str_of(v, "display"))
        .map_or_else(|| format!("#{}", id_of(v).unwrap_or(0)), str::to_owned)
}

impl Cx<'_> {
    pub fn warn(&mut self, code: &'static str, location: &str, message: String, help: Option<String>) {
        self.diagnostics.push(ImportDiagnostic {
            severity: Severity::Warning,
            code,
            location: located(location),
            message,
            help,
        });
    }

    pub fn note(&mut self, code: &'static str, location: &str, message: String) {
        self.diagnostics.push(ImportDiagnostic {
            severity: Severity::Note,
            code,
            location: location.into(),
            message,
            help: None,
        });
    }

    pub fn error(&mut self, code: &'static str, location: &str, message: String, help: String) {
        self.diagnostics.push(ImportDiagnostic {
            severity: Severity::Error,
            code,
            location: located(location),
            message,
            help: Some(help),
        });
    }

    /// The component id of the in-scope, component-making device `id`.
    pub fn component(&self, id: i64) -> Option<&Device> {
        self.devices.get(&id).filter(|d| d.mapping.is_component())
    }

    /// The id of the "unrecorded power" source of `site` (a site id; created at the end).
    pub fn unrecorded_power_of(&mut self, site: &Option<String>) -> String {
        let site = site.clone().unwrap_or_default();
        self.unrecorded_power.insert(site.clone());
        let key = format!("unrecorded#{site}");
        if let Some(id) = self.out.netbox_ids.get(&key) {
            return id.clone();
        }
        let id = self.ids.claim_exact(&unrecorded_power_id(&site));
        self.out.netbox_ids.insert(key, id.clone());
        id
    }

    /// The site id for NetBox site slug `raw` (a valid, unique id even when the slug is
    /// not one).
    pub fn site_id(&mut self, raw: &str) -> String {
        let key = format!("site#{raw}");
        if let Some(id) = self.out.netbox_ids.get(&key) {
            return id.clone();
        }
        let base = match ids::slug(raw) {
            s if s.is_empty() => "site".to_string(),
            s => s,
        };
        let id = self.ids.claim_exact(&base);
        self.out.netbox_ids.insert(key, id.clone());
        id
    }

    /// The site id for NetBox location `brief` (a brief object with `id` and `slug`) in the
    /// site with id `site`: `<site>-<location slug>`, unique.
    pub fn location_id(&mut self, brief: &Value, site: Option<&str>) -> Option<String> {
        let netbox_id = id_of(brief)?;
        let key = format!("location#{netbox_id}");
        if let Some(id) = self.out.netbox_ids.get(&key) {
            return Some(id.clone());
        }
        let own = ids::slug(str_of(brief, "slug").or_else(|| str_of(brief, "name")).unwrap_or("location"));
        let base = match site {
            Some(site) => format!("{site}-{own}"),
            None => own,
        };
        let id = self.ids.claim_exact(&base);
        self.out.netbox_ids.insert(key, id.clone());
        self.locations.insert(id.clone(), (netbox_id, brief.clone()));
        Some(id)
    }

    /// Copies the `spofsim_*` custom fields of `object` into `entry`.
    /// A numeric field of `object` (`None` when absent or null). NetBox writes numbers
    /// as numbers; anything else is NB013: a text that is a number is read as it (and
    /// said), any other value is left out (and said), never dropped in silence.
    pub fn number_field(&mut self, object: &Value, key: &str, what: &str) -> Option<f64> {
        let value = object.get(key)?;
        match value {
            Value::Null => None,
            Value::Number(n) => n.as_f64(),
            Value::String(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                let n = s.trim().parse::<f64>().ok();
                self.warn(
                    "NB013",
                    &url_of(object),
                    format!("{what}: {key} is the text \"{s}\", where NetBox writes a number; it is read as {s}"),
                    Some("correct the record (or the tool that wrote it) so the API returns a number".into()),
                );
                n
            }
            other => {
                self.warn(
                    "NB013",
                    &url_of(object),
                    format!("{what}: {key} is {}, not a number; it is left out", responses::describe(other)),
                    Some("correct the record (or the tool that wrote it) so the API returns a number".into()),
                );
                None
            }
        }
    }

    /// A field whose text the scenario would reject is left out with NB005 (the import
    /// must stay valid); with both `spofsim_mtbf` and `spofsim_availability`, the
    /// availability is left out.
    pub fn custom_failure_fields(&mut self, object: &Value, at: &str, entry: &mut Entry) {
        let Some(Value::Object(fields)) = object.get("custom_fields") else { return };
        // The object's page in NetBox, where the field is mended; else where it was read.
        let url = url_of(object);
        let at = if url.is_empty() { at } else { url.as_str() };
        let has_mtbf = matches!(fields.get("spofsim_mtbf"), Some(Value::String(s))
            if crate::units::parse_duration(s).is_ok_and(|d| d.secs > 0.0));
        for (field, key) in
            [("spofsim_mtbf", "mtbf"), ("spofsim_mttr", "mttr"), ("spofsim_availability", "availability")]
        {
            match fields.get(field) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) if s.is_empty() => {}
                Some(Value::String(s)) => {
                    let problem = if key == "availability" {
                        // As the scenario reads it (units::Fraction): "99.9%", above 0% and at most 100%.
                        match s.trim().strip_suffix('%').map(|n| n.trim().parse::<f64>()) {
                            None => Some("it does not end with %".to_string()),
                            Some(Err(_)) => Some("it is not a number before the %".to_string()),
                            Some(Ok(p)) if !(p > 0.0 && p <= 100.0) => {
                                Some("it is not above 0% and at most 100%".to_string())
                            }
                            Some(Ok(_)) if has_mtbf => {
                                Some("spofsim_mtbf is set too; a component takes one or the other".to_string())
                            }
                            Some(Ok(_)) => None,
                        }
                    } else {
                        match crate::units::parse_duration(s) {
                            Err((message, _)) => Some(message),
                            Ok(d) if key == "mtbf" && d.secs <= 0.0 => Some("an mtbf must be longer than zero".into()),
                            Ok(_) => None,
                        }
                    };
                    let both = key == "availability" && has_mtbf && problem.is_some();
                    match problem {
                        None => entry.field(key, Value::String(s.clone())),
                        Some(why) if both => self.warn(
                            "NB005",
                            at,
                            format!("custom field {field} is \"{s}\": {why}; it is left out, and spofsim_mtbf applies"),
                            Some("clear spofsim_availability or spofsim_mtbf in NetBox".into()),
                        ),
                        Some(why) => self.warn(
                            "NB005",
                            at,
                            format!(
                                "custom field {field} is \"{s}\": {why}; it is left out, so the import's own figure for \
                                 this object applies (its kind's default, or a circuit's assumed SLA)"
                            ),
                            Some(format!(
                                "set {field} to a {} in NetBox",
                                if key == "availability" {
                                    "percentage such as \"99.95%\""
                                } else {
                                    "duration such as \"5y\" or \"4h\""
                                }
                            )),
                        ),
                    }
                }
                Some(other) => self.warn(
                    "NB005",
                    at,
                    format!(
                        "custom field {field} is {}, not a text like \"5y\" or \"99.9%\"",
                        responses::describe(other)
                    ),
                    Some(format!("make {field} a text custom field")),
                ),
            }
        }
    }

    /// Says, per `given` slug that is not in `seen`, that `flag` names nothing (a typo),
    /// with the slug it probably meant.
    fn unknown_slugs(
        &mut self,
        code: &'static str,
        flag: &str,
        given: &[String],
        seen: &BTreeSet<&str>,
        message: impl Fn(&str) -> String,
        plural: &str,
    ) {
        for slug in given.iter().filter(|s| !seen.contains(s.as_str())) {
            let near = crate::diagnostics::did_you_mean(slug, seen.iter().copied());
            self.warn(
                code,
                flag,
                message(slug),
                Some(match near {
                    Some(n) => format!("{n} ({plural} are given by slug)"),
                    None => format!("{plural} are given by slug, as in NetBox's URLs"),
                }),
            );
        }
    }

    fn devices_in_scope(&mut self) {
        let mut unmapped: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let objects: Vec<&responses::Object> = self.r.list("dcim/devices").collect();
        let r = self.r;
        let seen_roles: BTreeSet<&str> = r
            .list("dcim/devices")
            .filter_map(|o| o.value.get("role").filter(|x| !x.is_null()).or_else(|| o.value.get("device_role")))
            .filter_map(|x| str_of(x, "slug"))
            .collect();
        self.summary.devices_read = objects.len();
        for object in objects {
            let d = &object.value;
            let Some(id) = id_of(d) else { continue };
            let status = choice(d, "status").unwrap_or("active");
            if !self.options.statuses.iter().any(|s| s == status) {
                continue;
            }
            let raw_site = d.get("site").and_then(|s| str_of(s, "slug")).map(str::to_owned);
            if raw_site.is_none() {
                let field = d.get("site").unwrap_or(&Value::Null);
                self.warn(
                    "NB013",
                    &url_of(d),
                    format!(
                        "device {}'s site is {}, not NetBox's nested object with a \"slug\": it is imported with no site",
                        display_of(d),
                        responses::describe(field)
                    ),
                    Some("every NetBox device has a site; save the response again from the API".into()),
                );
            }
            if !self.options.sites.is_empty() && !raw_site.as_ref().is_some_and(|s| self.options.sites.contains(s)) {
                continue;
            }
            if !self.options.tags.is_empty() {
                let tags = d.get("tags").and_then(Value::as_array).map(Vec::as_slice).unwrap_or(&[]);
                if !tags.iter().any(|t| str_of(t, "slug").is_some_and(|s| self.options.tags.iter().any(|x| x == s))) {
                    continue;
                }
            }
            let display = display_of(d);
            if matches!(status, "offline" | "failed") {
                self.warn(
                    "NB015",
                    &url_of(d),
                    format!(
                        "device {display} is {status} in NetBox; it is imported as working, so every figure assumes it \
                         is back: until it is, its peers carry alone"
                    ),
                    Some("repair it and mark it active in NetBox; to see today's risk, add a drill that fails it, or import with --status active".into()),
                );
            }
            let site = raw_site.map(|s| self.site_id(&s));
            let placement = match d.get("location").filter(|l| !l.is_null()) {
                Some(location) => self.location_id(location, site.as_deref()).or_else(|| site.clone()),
                None => site.clone(),
            };
            // NetBox 4 calls it `role`; NetBox 3 called it `device_role`.
            let role =
                d.get("role").filter(|r| !r.is_null()).or_else(|| d.get("device_role")).and_then(|r| str_of(r, "slug"));
            let Some(role) = role else {
                let field = d.get("role").filter(|r| !r.is_null()).or_else(|| d.get("device_role"));
                let message = match field {
                    Some(other) if !other.is_null() => format!(
                        "device {display}'s role is {}, not NetBox's nested object with a \"slug\"",
                        responses::describe(other)
                    ),
                    _ => format!("device {display} has no role"),
                };
                self.error(
                    "NB101",
                    &url_of(d),
                    message,
                    "give it a role in NetBox (every device needs one since NetBox 4.0), or leave it out with --status or --tag".into(),
                );
                continue;
            };
            let Some(&mapping) = self.options.roles.get(role) else {
                unmapped.entry(role.to_string()).or_default().push(display);
                continue;
            };
            if mapping == RoleMapping::Skip {
                continue;
            }
            // VC members have no name; NetBox displays them as "<chassis>:<position>".
            let name = str_of(d, "name").map(str::to_owned).unwrap_or_else(|| display.clone());
            let comp = if mapping.is_component() { self.ids.claim(&name, id, "device") } else { name.clone() };
            self.devices.insert(id, Device { id: comp, mapping, site, placement, display, url: url_of(d) });
        }
        // Device statuses NetBox knows (DeviceStatusChoices, dcim/choices.py).
        const STATUSES: [&str; 7] =
            ["offline", "active", "planned", "staged", "failed", "inventory", "decommissioning"];
        for status in &self.options.statuses {
            if !STATUSES.contains(&status.as_str()) {
                let near = crate::diagnostics::did_you_mean(status, STATUSES);
                self.warn(
                    "NB011",
                    "--status",
                    format!("{status} is not a NetBox device status, so no device can match it"),
                    Some(format!(
                        "{}NetBox's statuses: {}",
                        near.map(|n| format!("{n} ")).unwrap_or_default(),
                        STATUSES.join(", ")
                    )),
                );
            }
        }
        // A --site NetBox does not have is a typo (with a right one beside it, silent otherwise).
        let seen_sites: BTreeSet<&str> = r
            .list("dcim/sites")
            .filter_map(|o| str_of(&o.value, "slug"))
            .chain(r.list("dcim/devices").filter_map(|o| o.value.get("site").and_then(|s| str_of(s, "slug"))))
            .collect();
        self.unknown_slugs(
            "NB012",
            "--site",
            &self.options.sites,
            &seen_sites,
            |s| format!("no site read has the slug {s}, so nothing of it is imported"),
            "sites",
        );
        // A --tag no device carries is a typo or a tag from another NetBox: say so.
        let seen_tags: BTreeSet<&str> = r
            .list("dcim/devices")
            .flat_map(|o| o.value.get("tags").and_then(Value::as_array).into_iter().flatten())
            .filter_map(|t| str_of(t, "slug"))
            .collect();
        self.unknown_slugs(
            "NB010",
            "--tag",
            &self.options.tags,
            &seen_tags,
            |t| format!("no device read carries the tag {t}"),
            "tags",
        );
        for key in &self.options.roles_file_keys {
            if !seen_roles.contains(key.as_str()) {
                let near = crate::diagnostics::did_you_mean(key, seen_roles.iter().copied());
                self.warn(
                    "NB007",
                    "roles file",
                    format!("the roles file maps \"{key}\", which is no device's role"),
                    Some(near.unwrap_or_else(|| {
                        format!("roles present: {}", seen_roles.iter().copied().collect::<Vec<_>>().join(", "))
                    })),
                );
            }
        }
        for (role, devices) in unmapped {
            let n = devices.len();
            self.error(
                "NB102",
                "dcim/devices",
                format!("device role \"{role}\" has no kind ({n} device(s): {})", sample(devices, 8)),
                format!(
                    "map it in a roles file, e.g. {{\"{role}\": \"{}\"}}, and pass --roles FILE; kinds: {}; \"skip\" \
                     leaves its devices out (for gear no service path crosses: console servers, KVMs, out-of-band \
                     switches), \"pass-through\" traces cables through them like patch panels",
                    // The kind the role's name says, where it says one and is not
                    // management gear (a console server is no server); else skip.
                    if ["console", "kvm", "oob", "out-of-band", "terminal"].iter().any(|w| role.contains(w)) {
                        "skip"
                    } else {
                        DEVICE_KINDS
                            .iter()
                            .filter(|k| role.contains(*k))
                            .max_by_key(|k| k.len())
                            .copied()
                            .unwrap_or("skip")
                    },
                    DEVICE_KINDS.join(", ")
                ),
            );
        }
        // Components for devices (fields filled in by power and network).
        let devices: Vec<(i64, Device)> = self.devices.iter().map(|(k, v)| (*k, v.clone())).collect();
        for (id, device) in devices {
            let RoleMapping::Kind(kind) = device.mapping else { continue };
            let object = self.r.get("dcim/devices", id).map(|o| (o.value.clone(), o.at.clone()));
            let mut entry = Entry::new(kind);
            if let Some(site) = &device.placement {
                entry.field("site", Value::String(site.clone()));
            }
            if let Some((object, at)) = &object {
                entry.comment(device_comment(object, &device));
                self.custom_failure_fields(object, at, &mut entry);
            }
            self.out.components.insert(device.id.clone(), entry);
        }
    }

    fn virtual_machines(&mut self) {
        let (mut unplaced, mut unhosted) = (0usize, 0usize);
        let vms: Vec<Value> = self.r.list("virtualization/virtual-machines").map(|o| o.value.clone()).collect();
        for vm in vms {
            let status = choice(&vm, "status").unwrap_or("active");
            if !self.options.statuses.iter().any(|s| s == status) {
                continue;
            }
            let site = vm.get("site").and_then(|s| str_of(s, "slug"));
            if !self.options.sites.is_empty() && !site.is_some_and(|s| self.options.sites.iter().any(|x| x == s)) {
                continue;
            }
            let host = vm.get("device").and_then(id_of);
            let Some(host) = host else {
                unplaced += 1;
                continue;
            };
            let name = display_of(&vm);
            let Some(device) = self.component(host).cloned() else {
                if self.r.get("dcim/devices", host).is_some() {
                    // Outside the scope, or a role left out on purpose: as its host is.
                    unhosted += 1;
                } else {
                    self.warn(
                        "NB402",
                        &url_of(&vm),
                        format!(
                            "virtual machine {name} is on device {host}, which dcim/devices does not hold: it is not \
                             imported"
                        ),
                        Some("correct the VM's device in NetBox, or save dcim/devices again, every page".into()),
                    );
                }
                continue;
            };
            if device.mapping != RoleMapping::Kind("server") {
                let RoleMapping::Kind(kind) = device.mapping else { continue };
                self.warn(
                    "NB402",
                    &url_of(&vm),
                    format!(
                        "virtual machine {name} is on {}, which is imported as a {kind}, not a server: it is not \
                         imported",
                        device.display
                    ),
                    Some(format!(
                        "map {}'s role to \"server\" with --roles, or correct the VM's device",
                        device.display
                    )),
                );
                continue;
            }
            let id = self.ids.claim(&name, id_of(&vm).unwrap_or(0), "vm");
            let mut entry = Entry::new("process");
            entry.comment(format!("virtual machine {name} on {}{}", device.display, at_url(&url_of(&vm))));
            entry.field("on", Value::String(device.id.clone()));
            entry.field("role", Value::String(vm_process_role(&vm).into()));
            self.out.components.insert(id, entry);
        }
        if unplaced > 0 {
            self.note(
                "NB401",
                "virtualization/virtual-machines",
                format!(
                    "{unplaced} virtual machine(s) have no host device recorded (only a cluster), so they are not imported; \
                     NetBox records placement in a VM's `device`"
                ),
            );
        }
        if unhosted > 0 {
            self.note(
                "NB401",
                "virtualization/virtual-machines",
                format!(
                    "{unhosted} virtual machine(s) are on host devices the import leaves out (outside --site/--tag/\
                     --status, or a role mapped to skip or pass-through), so they are not imported"
                ),
            );
        }
    }

    fn sites(&mut self) {
        let mut used: BTreeSet<String> = BTreeSet::new();
        for entry in self.out.components.values() {
            if let Some(Value::String(s)) = entry.get("site") {
                used.insert(s.clone());
            }
        }
        self.location_sites(&mut used);
        let objects: Vec<(Value, String)> =
            self.r.list("dcim/sites").map(|o| (o.value.clone(), o.at.clone())).collect();
        for (object, at) in objects {
            let Some(raw) = str_of(&object, "slug") else { continue };
            let Some(id) = self.out.netbox_ids.get(&format!("site#{raw}")).cloned() else { continue };
            if !used.remove(&id) {
                continue;
            }
            let mut entry = Entry::new("");
            let name = display_of(&object);
            let facility = str_of(&object, "facility").map(|f| format!(", facility {f}")).unwrap_or_default();
            entry.comment(format!("site {name}{facility}{}", at_url(&url_of(&object))));
            entry.field("description", Value::String(name));
            self.custom_failure_fields(&object, &at, &mut entry);
            self.out.sites.insert(id, entry);
        }
        for missing in used {
            let mut entry = Entry::new("");
            entry.comment(format!("site {missing}: not in the dcim/sites response"));
            self.out.sites.insert(missing, entry);
        }
    }

    /// Writes the locations among `used` as sites inside their parent location or site,
    /// and marks those parents used (a location's failure takes what stands in it; its
    /// site's failure takes the location).
    fn location_sites(&mut self, used: &mut BTreeSet<String>) {
        let mut queue: Vec<String> = used.iter().filter(|id| self.locations.contains_key(*id)).cloned().collect();
        while let Some(id) = queue.pop() {
            if self.out.sites.contains_key(&id) {
                continue;
            }
            used.remove(&id);
            let (netbox_id, brief) = self.locations[&id].clone();
            let full = self.r.get("dcim/locations", netbox_id).map(|o| (o.value.clone(), o.at.clone()));
            let object = full.as_ref().map_or(&brief, |(o, _)| o);
            let site = object.get("site").and_then(|s| str_of(s, "slug")).map(str::to_owned);
            let site = site.map(|s| self.site_id(&s));
            let parent = match object.get("parent").filter(|p| !p.is_null()) {
                Some(parent) => self.location_id(&parent.clone(), site.as_deref()),
                None => site,
            };
            let mut entry = Entry::new("");
            let name = display_of(object);
            let within = parent.as_deref().map(|p| format!(" in {p}")).unwrap_or_default();
            entry.comment(format!("location {name}{within}{}", at_url(&url_of(object))));
            entry.field("description", Value::String(name));
            if let Some(parent) = parent {
                entry.field("site", Value::String(parent.clone()));
                if self.locations.contains_key(&parent) {
                    queue.push(parent.clone());
                } else {
                    used.insert(parent);
                }
            }
            if let Some((object, at)) = &full {
                let (object, at) = (object.clone(), at.clone());
                self.custom_failure_fields(&object, &at, &mut entry);
            }
            self.out.sites.insert(id, entry);
        }
    }

    fn unrecorded_power_sources(&mut self) {
        for site in std::mem::take(&mut self.unrecorded_power) {
            let mut entry = Entry::new("power-feed");
            let place = if site.is_empty() { "devices with no site".to_string() } else { format!("site {site}") };
            entry.comment(format!(
                "NOT IN NETBOX: the power of {place} that NetBox does not record (uncabled PDU inlets, devices \
                 with no cabled PSU). Assumed to be ONE supply: pessimistic for what hangs on it (its single point of \
                 failure), but independent of the site's recorded panels, which errs optimistic if it is in fact one \
                 of them; record the real feeds in NetBox."
            ));
            if !site.is_empty() {
                entry.field("site", Value::String(site.clone()));
            }
            let id = self.unrecorded_power_of(&Some(site).filter(|s| !s.is_empty()));
            self.out.components.insert(id, entry);
        }
    }
}

/// A VM's process role (the scenario's closed set: web, ap, db, other) from its NetBox
/// role's slug where that names one of them, else `other`.
fn vm_process_role(vm: &Value) -> &'static str {
    match vm.get("role").and_then(|r| str_of(r, "slug")).unwrap_or("") {
        "web" | "web-server" | "webserver" => "web",
        "app" | "ap" | "application" | "application-server" | "app-server" => "ap",
        "db" | "database" | "database-server" | "db-server" => "db",
        _ => "other",
    }
}

/// Names for a message, sorted: the first `shown`, then "and N more".
pub(crate) fn sample(mut names: Vec<String>, shown: usize) -> String {
    names.sort();
    let more = names.len().saturating_sub(shown);
    names.truncate(shown);
    let list = names.join(", ");
    if more > 0 {
        format!("{list} and {more} more")
    } else {
        list
    }
}

/// A location for messages: objects without a URL (hand-made responses) say so.
fn located(location: &str) -> String {
    if location.is_empty() {
        "(object without a URL)".into()
    } else {
        location.into()
    }
}

fn unrecorded_power_id(site: &str) -> String {
    if site.is_empty() {
        "unrecorded-power".into()
    } else {
        format!("{site}-unrecorded-power")
    }
}

fn device_comment(d: &Value, device: &Device) -> String {
    let mut about: Vec<String> = Vec::new();
    if let Some(role) =
        d.get("role").filter(|r| !r.is_null()).or_else(|| d.get("device_role")).and_then(|r| str_of(r, "name"))
    {
        about.push(role.to_string());
    }
    if let Some(model) = d.get("device_type").and_then(|t| str_of(t, "model")) {
        about.push(model.to_string());
    }
    for (key, label) in [("location", "location"), ("rack", "rack")] {
        if let Some(place) =
            d.get(key).filter(|r| !r.is_null()).and_then(|r| str_of(r, "name").or_else(|| str_of(r, "display")))
        {
            about.push(format!("{label} {place}"));
        }
    }
    let status = choice(d, "status").filter(|s| *s != "active").map(|s| format!(" [{s}]")).unwrap_or_default();
    let about = if about.is_empty() { String::new() } else { format!(" ({})", about.join(", ")) };
    format!("{}{status}{about}{}", device.display, at_url(&device.url))
}

/// `", URL"`, or nothing when the object came without one.
pub(crate) fn at_url(url: &str) -> String {
    if url.is_empty() {
        String::new()
    } else {
        format!(", {url}")
    }
}

#[cfg(test)]
mod tests;
