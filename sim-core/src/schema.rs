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
            json!({ "type": "array", "items": entry })
        } else {
            json!({ "type": "object", "propertyNames": { "pattern": "^[A-Za-z0-9_.:-]+$" }, "additionalProperties": entry })
        };
        sections.insert(section.key().to_string(), schema);
    }
    let failure = FailureSpec::json_schema(&mut generator).to_value();
    let kinds: Vec<&str> = mechanisms::all().map(|k| k.info().name).collect();
    let expect = ExpectSpec::json_schema(&mut generator).to_value();
    let drill = DrillSpec::json_schema(&mut generator).to_value();
    let suppress = crate::scenario::SuppressSpec::json_schema(&mut generator).to_value();
    let duration = generator.subschema_for::<crate::units::Duration>().to_value();
    let mut properties = json!({
        "$schema": { "type": "string" },
        "version": { "const": 1, "description": "Language version." },
        "name": { "type": "string" },
        "description": { "type": "string" },
        "noticed_by_users_after": duration,
        "repair_crews": {
            "type": "integer",
            "minimum": 1,
            "description": "Repairs that can run at once (default: no limit); the rest wait in turn."
        },
        "defaults": {
            "description": "Failure behaviour per kind, overriding the built-in defaults.",
            "type": "object",
            "propertyNames": { "enum": kinds },
            "additionalProperties": failure,
        },
        "expect": { "type": "array", "items": expect },
        "drills": { "type": "array", "items": drill },
        "suppress": { "type": "array", "items": suppress, "description": "Accepted findings, each with a reason." },
    });
    if let Some(p) = properties.as_object_mut() {
        p.extend(sections);
    }
    let definitions = generator.take_definitions(true);
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
