//! NetBox device role → spofsim kind: a default table, overridable by a roles file.
//!
//! NetBox roles are free-form per installation (NetBox docs, "Device Roles"), so the
//! table covers the names NetBox's own demo data and common practice use. A role it does
//! not know is an error that names the role and its devices: a guess would put a
//! firewall where a switch is. The roles file is a JSON object, role slug → kind, where
//! `"skip"` leaves a role's devices out and `"pass-through"` treats them as patch panels
//! (cables are followed through them, they never fail).

use std::collections::BTreeMap;

use serde_json::Value;

use super::{ImportDiagnostic, Severity};

/// What a role becomes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoleMapping {
    /// A component of this kind.
    Kind(&'static str),
    /// Passive cabling (patch panels): traced through, not a component.
    PassThrough,
    /// Left out on purpose.
    Skip,
}

/// Kinds a device role may map to: every powered kind, and PDUs.
pub const DEVICE_KINDS: &[&str] = &[
    "router",
    "switch",
    "firewall",
    "load-balancer",
    "server",
    "storage-array",
    "san-switch",
    "dns-server",
    "quorum-device",
    "pdu",
    "ats",
    "ups",
];

/// The built-in table (role slug → mapping), used unless the roles file overrides a slug.
pub fn default_table() -> BTreeMap<String, RoleMapping> {
    use RoleMapping::*;
    let rows: &[(&str, RoleMapping)] = &[
        ("access-switch", Kind("switch")),
        ("aggregation-switch", Kind("switch")),
        ("application-server", Kind("server")),
        ("ats", Kind("ats")),
        ("automatic-transfer-switch", Kind("ats")),
        ("compute", Kind("server")),
        ("core-switch", Kind("switch")),
        ("database-server", Kind("server")),
        ("distribution-switch", Kind("switch")),
        ("dns-server", Kind("dns-server")),
        ("firewall", Kind("firewall")),
        ("host", Kind("server")),
        ("hypervisor", Kind("server")),
        ("leaf", Kind("switch")),
        ("leaf-switch", Kind("switch")),
        ("load-balancer", Kind("load-balancer")),
        ("management-switch", Kind("switch")),
        ("patch-panel", PassThrough),
        ("pdu", Kind("pdu")),
        ("router", Kind("router")),
        ("san-switch", Kind("san-switch")),
        ("server", Kind("server")),
        ("spine", Kind("switch")),
        ("spine-switch", Kind("switch")),
        ("storage", Kind("storage-array")),
        ("storage-array", Kind("storage-array")),
        ("switch", Kind("switch")),
        ("tor-switch", Kind("switch")),
        ("transfer-switch", Kind("ats")),
        ("uninterruptible-power-supply", Kind("ups")),
        ("ups", Kind("ups")),
        ("web-server", Kind("server")),
    ];
    rows.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

/// Reads a roles file over the default table. `source` names the file in messages.
/// Returns the role slugs the file names (to warn about those no device has).
pub fn parse_roles_file(
    text: &str,
    source: &str,
    table: &mut BTreeMap<String, RoleMapping>,
    diagnostics: &mut Vec<ImportDiagnostic>,
) -> Vec<String> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            diagnostics.push(ImportDiagnostic {
                severity: Severity::Error,
                code: "NB003",
                location: format!("{source}:{}:{}", e.line(), e.column()),
                message: format!("the roles file is not valid JSON: {e}"),
                help: Some(
                    "write an object, role slug → kind: {\"edge-router\": \"router\", \"console\": \"skip\"}".into(),
                ),
            });
            return Vec::new();
        }
    };
    let Value::Object(map) = value else {
        diagnostics.push(ImportDiagnostic {
            severity: Severity::Error,
            code: "NB003",
            location: source.into(),
            message: "the roles file must be a JSON object".into(),
            help: Some(
                "write an object, role slug → kind: {\"edge-router\": \"router\", \"console\": \"skip\"}".into(),
            ),
        });
        return Vec::new();
    };
    let keys: Vec<String> = map.keys().cloned().collect();
    // Where each role's value is written, for file:line:col (serde_json keeps no spans).
    let (root, _) = crate::syntax::parse(text);
    let index = crate::syntax::LineIndex::new(text);
    let value_at = |role: &str| -> String {
        let span = root.as_ref().and_then(|r| match &r.value {
            crate::syntax::Value::Object(members) => members.iter().find(|(k, _)| k.name == role).map(|(_, v)| v.span),
            _ => None,
        });
        match span {
            Some(span) => {
                let (line, column) = index.line_col(text, span.start as usize);
                format!("{source}:{line}:{column}")
            }
            None => source.to_string(),
        }
    };
    for (role, kind) in map {
        let mapping = match kind.as_str() {
            Some("skip") => Some(RoleMapping::Skip),
            Some("pass-through") => Some(RoleMapping::PassThrough),
            Some(k) => DEVICE_KINDS.iter().find(|d| **d == k).map(|d| RoleMapping::Kind(d)),
            None => None,
        };
        match mapping {
            Some(m) => {
                table.insert(role, m);
            }
            None => {
                let written = kind.as_str().map_or_else(|| kind.to_string(), |s| format!("\"{s}\""));
                let near = kind.as_str().and_then(|k| {
                    DEVICE_KINDS
                        .iter()
                        .min_by_key(|d| strsim::levenshtein(d, k))
                        .filter(|d| strsim::levenshtein(d, k) <= 3)
                });
                diagnostics.push(ImportDiagnostic {
                    severity: Severity::Error,
                    code: "NB003",
                    location: value_at(&role),
                    message: format!("role \"{role}\" maps to {written}, which is not a device kind"),
                    help: Some(match near {
                        // A kind of the scenario that NetBox cannot give its inputs.
                        _ if kind.as_str() == Some("generator") => format!(
                            "a generator cannot come from NetBox, which records no \"backs this feed\": map the \
                             role to \"skip\" and write the generator in the extending file (\"gen\": {{ \"kind\": \
                             \"generator\", \"backs\": \"<panel>\" }}, docs/MECHANISMS.md); kinds: {}",
                            DEVICE_KINDS.join(", ")
                        ),
                        Some(n) => format!(
                            "did you mean \"{n}\"? Kinds: {}, or \"skip\", \"pass-through\"",
                            DEVICE_KINDS.join(", ")
                        ),
                        None => format!("use one of {}, or \"skip\", \"pass-through\"", DEVICE_KINDS.join(", ")),
                    }),
                });
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_roles_file_overrides_and_rejects_unknown_kinds() {
        let mut table = default_table();
        let mut d = Vec::new();
        parse_roles_file(
            r#"{"router": "firewall", "console": "skip", "edge": "swich"}"#,
            "roles.json",
            &mut table,
            &mut d,
        );
        assert_eq!(table["router"], RoleMapping::Kind("firewall"));
        assert_eq!(table["console"], RoleMapping::Skip);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("\"swich\""), "{}", d[0].message);
        assert!(d[0].help.as_deref().unwrap().contains("did you mean \"switch\""));
        assert_eq!(d[0].location, "roles.json:1:51");
        // A generator is a scenario kind NetBox cannot feed: the help says where it goes.
        let mut d = Vec::new();
        parse_roles_file(r#"{"genset": "generator", "battery": "ups"}"#, "roles.json", &mut table, &mut d);
        assert_eq!(table["battery"], RoleMapping::Kind("ups"));
        assert_eq!(d.len(), 1);
        assert!(d[0].help.as_deref().unwrap().starts_with("a generator cannot come from NetBox"), "{:?}", d[0].help);
    }
}
