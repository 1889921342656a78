//! docs/commands.md is generated from the catalog the component exports; this fails when the
//! two drift apart (regenerate with `make docs`).

use host_test::docs;
use host_test::runtime::{Limits, Runtime, default_component_path, tokio_runtime, workspace_root};
use serde_json::Value;

/// The catalog the built component exports, as `host-test describe` prints it.
fn catalog() -> Value {
    let runtime = Runtime::load(&default_component_path(), Limits::default())
        .expect("run `make build` first");
    let record = tokio_runtime()
        .unwrap()
        .block_on(runtime.describe())
        .unwrap();
    docs::catalog(&record)
}

#[test]
fn command_reference_matches_the_catalog() {
    let expected = docs::markdown(&catalog());
    let path = workspace_root().join("docs/commands.md");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "{} is out of date with the component's catalog; run `make docs`",
        path.display()
    );
}

#[test]
fn every_command_has_a_schema_and_help() {
    let catalog = catalog();
    let commands = catalog["commands"].as_array().expect("commands");
    assert!(!commands.is_empty());
    for command in commands {
        let name = command["name"].as_str().unwrap_or_default();
        let schema = &command["inputSchema"];
        assert_eq!(schema["type"], "object", "{name}: the schema is JSON");
        assert!(
            !command["description"]
                .as_str()
                .unwrap_or_default()
                .is_empty(),
            "{name} has no description"
        );
        for param in command["params"].as_array().into_iter().flatten() {
            let param_name = param["name"].as_str().unwrap_or_default();
            assert!(
                !param["description"].as_str().unwrap_or_default().is_empty(),
                "{name}.{param_name} has no help"
            );
            assert!(
                schema["properties"].get(param_name).is_some(),
                "{name}.{param_name} missing from schema"
            );
        }
    }
}
