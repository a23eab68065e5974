//! The JSON Schema (draft-07) of the scenario language, generated from the spec types
//! so editors (VS Code) can complete and check scenario files.
//!
//! Each kind's entry is its spec's schema plus the shared fields and a `kind` constant,
//! so editors pick the right branch of a `oneOf` from the `kind` alone.

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde_json::{json, Map, Value};

use crate::mechanisms;
use crate::scenario::{CommonSpec, DrillSpec, ExpectSpec, FailureSpec, Section, COMMON_FIELDS, GROUP_COMMON_FIELDS};

/// `$id` of the schema; scenarios refer to it with `"$schema"`.
pub const SCHEMA_ID: &str = "https://spofsim.dev/schema/scenario-v1.json";

/// The description of a top-level section.
fn section_description(section: Section) -> &'static str {
    match section {
        Section::Sites => "Sites by id; a disaster in one fails everything in it at once, e.g. `\"dc-1\": {}`.",
        Section::Components => {
            "Components by id, each with a `kind`, e.g. `\"sw-1\": { \"kind\": \"switch\" }`."
        }
        Section::Links => {
            "Cables, as a list, each joining two devices, e.g. `[{ \"between\": [\"sw-1\", \"sw-2\"] }]`; the id is \"a~b\" unless `id` is given."
        }
        Section::Groups => {
            "Redundancy groups by id, each with a `kind`, e.g. `\"web-pool\": { \"kind\": \"lb-pool\", \"balancer\": \"lb-1\", \"members\": [\"web-1\", \"web-2\"] }`."
        }
        Section::Monitors => {
            "Monitors by id: what notices a failure and how fast, e.g. `\"ping\": { \"method\": \"ping\", \"targets\": [\"sw-1\"] }`; an unwatched failure waits for `noticed_by_users_after`."
        }
        Section::Backups => {
            "Backup jobs by id, e.g. `\"nightly\": { \"type\": \"data\", \"of\": [\"db-1\"], \"interval\": \"1d\", \"restore\": \"4h\" }`."
        }
        Section::Services => {
            "Services users reach, by id: an entry point and the tiers in order, e.g. `\"shop\": { \"from\": \"internet\", \"through\": [\"web-pool\"] }`."
        }
    }
}

fn object_properties(schema: &Value) -> Map<String, Value> {
    schema.get("properties").and_then(Value::as_object).cloned().unwrap_or_default()
}

/// The complete draft-07 schema, as pretty JSON text with a trailing newline.
pub fn scenario_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&scenario_schema()).unwrap_or_default();
    text.push('\n');
    text
}

pub fn scenario_schema() -> Value {
    let mut generator = SchemaSettings::draft07().into_generator();
    let common = CommonSpec::json_schema(&mut generator).to_value();
    let common_props = object_properties(&common);
    let mut sections = Map::new();
    for section in Section::ALL {
        let shared = if section.makes_elements() { COMMON_FIELDS } else { GROUP_COMMON_FIELDS };
        let mut entries = Vec::new();
        for kind in mechanisms::all().filter(|k| k.info().section == section) {
            let info = kind.info();
            let spec = kind.schema(&mut generator).to_value();
            let mut props = object_properties(&spec);
            for f in shared {
                if let Some(p) = common_props.get(*f) {
                    props.insert(f.to_string(), p.clone());
                }
            }
            let mut required: Vec<Value> = spec.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
            if section.implied_kind().is_none() {
                props.insert("kind".into(), json!({ "const": info.name, "description": info.doc }));
                required.insert(0, json!("kind"));
            }
            let mut entry = json!({
                "title": info.name,
                "description": info.doc,
                "type": "object",
                "properties": props,
                "additionalProperties": false,
            });
            if !required.is_empty() {
                entry["required"] = Value::Array(required);
            }
            entries.push(entry);
        }
        let entry = if entries.len() == 1 { entries.remove(0) } else { json!({ "oneOf": entries }) };
        let schema = if section == Section::Links {
            json!({ "type": "array", "items": entry, "description": section_description(section) })
        } else {
            json!({
                "type": "object",
                "propertyNames": { "pattern": "^[A-Za-z0-9_.:-]+$" },
                "additionalProperties": entry,
                "description": section_description(section),
            })
        };
        sections.insert(section.key().to_string(), schema);
    }
    let failure = FailureSpec::json_schema(&mut generator).to_value();
    let kinds: Vec<&str> = mechanisms::all().map(|k| k.info().name).collect();
    let expect = ExpectSpec::json_schema(&mut generator).to_value();
    let drill = DrillSpec::json_schema(&mut generator).to_value();
    let suppress = crate::scenario::SuppressSpec::json_schema(&mut generator).to_value();
    let mut duration = generator.subschema_for::<crate::units::Duration>().to_value();
    duration["description"] = json!(
        "How long a failure that no monitor reports goes unnoticed before users report it and repair starts (default 1h), e.g. `\"noticed_by_users_after\": \"2h\"`."
    );
    let mut properties = json!({
        "$schema": {
            "type": "string",
            "description": "Path or URL of this schema, for editors, e.g. `\"$schema\": \"./scenario.schema.json\"`; spofsim ignores it."
        },
        "extends": {
            "type": "string",
            "description": "A scenario file this one builds on (a path relative to this file), e.g. `\"extends\": \"netbox-dc1.jsonc\"`: its entries are kept, same-id entries here override them field by field, lists are appended."
        },
        "version": { "const": 1, "description": "Language version: only 1 is accepted, e.g. `\"version\": 1`; optional." },
        "name": { "type": "string", "description": "The design's name, shown in reports, e.g. `\"name\": \"shop\"`." },
        "description": { "type": "string", "description": "Free text for people; ignored by the analysis." },
        "noticed_by_users_after": duration,
        "repair_crews": {
            "type": "integer",
            "minimum": 1,
            "description": "Repairs that can run at once (default: no limit); the rest wait in turn, e.g. `\"repair_crews\": 1`."
        },
        "defaults": {
            "description": "Failure behaviour per kind, overriding the built-in defaults, e.g. `\"defaults\": { \"switch\": { \"mtbf\": \"20y\", \"mttr\": \"4h\" } }`.",
            "type": "object",
            "propertyNames": { "enum": kinds },
            "additionalProperties": failure,
        },
        "expect": {
            "type": "array",
            "items": expect,
            "description": "Targets the design must meet; `spofsim check` fails when one is missed, e.g. `[{ \"service\": \"shop\", \"max_spofs\": 0 }]`."
        },
        "drills": {
            "type": "array",
            "items": drill,
            "description": "Scripted failures played by the simulator, e.g. `[{ \"fail\": \"sw-1\", \"at\": \"30d\", \"for\": \"1h\" }]`."
        },
        "suppress": {
            "type": "array",
            "items": suppress,
            "description": "Accepted findings, each with a reason, e.g. `[{ \"code\": \"SPOF-L010\", \"reason\": \"the qdevice is outside this design\" }]`."
        },
    });
    if let Some(p) = properties.as_object_mut() {
        p.extend(sections);
    }
    let mut definitions = generator.take_definitions(true);
    // schemars puts an externally tagged variant's doc on its wrapper object; repeat it on
    // the variant's property (`"weibull"`, `"mii"`) so every property has a description.
    let variants = definitions.values_mut().filter_map(|d| d.get_mut("oneOf")).filter_map(Value::as_array_mut);
    for variant in variants.flatten() {
        let Some(doc) = variant.get("description").cloned() else { continue };
        if let Some(props) = variant.get_mut("properties").and_then(Value::as_object_mut) {
            for p in props.values_mut().filter_map(Value::as_object_mut) {
                p.entry("description").or_insert_with(|| doc.clone());
            }
        }
    }
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "spofsim scenario",
        "description": "An infrastructure design for spofsim: components, links, redundancy groups, services, expectations and drills.",
        "type": "object",
        "properties": properties,
        "additionalProperties": false,
        "definitions": definitions,
    })
}
