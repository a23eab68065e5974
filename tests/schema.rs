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
