//! docs/commands.md is generated from the catalog the component exports; this fails when the
//! two drift apart (regenerate with `make docs`).

use host_test::runtime::{Limits, Runtime, default_component_path, tokio_runtime, workspace_root};
use host_test::{docs, typed};

/// The catalog the built component exports.
fn catalog() -> host_test::runtime::wit_datasource::Catalog {
    let runtime = Runtime::load(&default_component_path(), Limits::default())
        .expect("run `make build` first");
    tokio_runtime()
        .unwrap()
        .block_on(runtime.describe())
        .unwrap()
}

#[test]
fn command_reference_matches_the_catalog() {
    let catalog = catalog();
    let expected = docs::markdown(&typed::catalog(&catalog));
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
    assert!(!catalog.commands.is_empty());
    for command in &catalog.commands {
        let schema: serde_json::Value =
            serde_json::from_str(&command.input_schema).expect("schema is JSON");
        assert_eq!(schema["type"], "object", "{}", command.name);
        assert!(
            !command.description.is_empty(),
            "{} has no description",
            command.name
        );
        for param in &command.params {
            assert!(
                !param.description.is_empty(),
                "{}.{} has no help",
                command.name,
                param.name
            );
            assert!(
                schema["properties"].get(&param.name).is_some(),
                "{}.{} missing from schema",
                command.name,
                param.name
            );
        }
    }
}
