//! The JSON Schema: up to date, draft-07, and accepting every valid scenario.

use crate::harness::{expect_file, files, root, spofsim};

#[test]
fn committed_schema_is_up_to_date() {
    let run = spofsim(&["schema"]);
    assert_eq!(run.code, 0);
    expect_file(std::path::Path::new("scenarios/scenario.schema.json"), &run.stdout);
}

#[test]
fn schema_is_valid_draft_07() {
    let schema: serde_json::Value = serde_json::from_str(&spofsim(&["schema"]).stdout).unwrap();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert!(jsonschema::meta::is_valid(&schema), "{:?}", jsonschema::meta::validate(&schema));
}

#[test]
fn every_valid_scenario_matches_the_schema_and_bad_fields_do_not() {
    let schema: serde_json::Value = serde_json::from_str(&spofsim(&["schema"]).stdout).unwrap();
    let validator = jsonschema::draft7::new(&schema).expect("schema compiles");
    let mut checked = 0;
    for dir in ["scenarios", "tests/cases/mechanisms"] {
        for path in files(dir, "jsonc") {
            let text = std::fs::read_to_string(root().join(&path)).unwrap();
            let value = sim_core::syntax::parse(&text).0.expect("parses").to_json();
            let errors: Vec<String> =
                validator.iter_errors(&value).map(|e| format!("{} at {}", e, e.instance_path())).collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 10, "checked {checked} scenarios");
    let text = std::fs::read_to_string(root().join("tests/cases/malformed/unknown-field-suggestion.jsonc")).unwrap();
    let value = sim_core::syntax::parse(&text).0.unwrap().to_json();
    assert!(!validator.is_valid(&value), "a misspelt field must fail the schema too");
}

/// Every property of the schema (at any depth) has a description, so editors explain
/// each field on hover.
#[test]
fn every_schema_property_has_a_description() {
    let schema: serde_json::Value = serde_json::from_str(&spofsim(&["schema"]).stdout).unwrap();
    fn walk(node: &serde_json::Value, path: &str, missing: &mut Vec<String>, seen: &mut usize) {
        match node {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                    for (name, prop) in props {
                        *seen += 1;
                        if prop.get("description").and_then(|d| d.as_str()).is_none_or(str::is_empty) {
                            missing.push(format!("{path}.{name}"));
                        }
                    }
                }
                for (k, v) in map {
                    walk(v, &format!("{path}/{k}"), missing, seen);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    walk(v, &format!("{path}[{i}]"), missing, seen);
                }
            }
            _ => {}
        }
    }
    let (mut missing, mut seen) = (Vec::new(), 0);
    walk(&schema, "", &mut missing, &mut seen);
    assert!(seen > 200, "only {seen} properties");
    assert!(missing.is_empty(), "properties without a description: {missing:#?}");
}

/// Each example a description gives (a backticked JSON fragment: `"field": value`, an
/// entry `"id": { ... }`, or a value) is valid for the field it describes.
#[test]
fn description_examples_validate() {
    let schema: serde_json::Value = serde_json::from_str(&spofsim(&["schema"]).stdout).unwrap();
    let definitions = schema["definitions"].clone();
    let mut checked = 0;
    let mut failures = Vec::new();
    let mut stack: Vec<(String, serde_json::Value)> = vec![(String::new(), schema.clone())];
    while let Some((path, node)) = stack.pop() {
        match &node {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::Object(props)) = map.get("properties") {
                    for (name, prop) in props {
                        let description = prop.get("description").and_then(|d| d.as_str()).unwrap_or("");
                        let mut sub = prop.clone();
                        sub.as_object_mut().unwrap().remove("description");
                        sub["definitions"] = definitions.clone();
                        let Ok(validator) = jsonschema::draft7::new(&sub) else { continue };
                        for snippet in description.split('`').skip(1).step_by(2) {
                            // `"name": value` of this field, an entry of a map, or a bare value.
                            let as_member = sim_core::syntax::parse(&format!("{{ {snippet} }}")).0.map(|n| n.to_json());
                            let value = match as_member {
                                Some(serde_json::Value::Object(m)) if m.len() == 1 && m.contains_key(name.as_str()) => {
                                    m[name.as_str()].clone()
                                }
                                Some(v @ serde_json::Value::Object(_))
                                    if prop.get("additionalProperties").is_some() =>
                                {
                                    v
                                }
                                Some(_) => continue,
                                None => match sim_core::syntax::parse(snippet).0 {
                                    Some(n) if snippet.starts_with(['[', '{']) => n.to_json(),
                                    _ => continue,
                                },
                            };
                            checked += 1;
                            let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
                            if !errors.is_empty() {
                                failures.push(format!("{path}.{name}: `{snippet}`: {errors:?}"));
                            }
                        }
                    }
                }
                for (k, v) in map {
                    if k != "definitions" || path.is_empty() {
                        stack.push((format!("{path}/{k}"), v.clone()));
                    }
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    stack.push((format!("{path}[{i}]"), v.clone()));
                }
            }
            _ => {}
        }
    }
    assert!(checked >= 30, "only {checked} examples found");
    assert!(failures.is_empty(), "examples that do not validate:\n{}", failures.join("\n"));
}
