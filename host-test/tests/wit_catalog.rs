//! The catalog a platform renders forms from and the typed `commands` interface describe the
//! same commands: one function per catalog command, named after it, whose input record has the
//! catalog's parameters as fields (camelCase of the kebab-case names), optional exactly where the
//! catalog says not required, with the catalog's enum values as enum cases. Checked on the built
//! component by reflection, so it holds for whatever commands the component has.

use std::collections::BTreeSet;

use host_test::runtime::{ExportedFunc, Limits, Runtime, default_component_path, tokio_runtime};
use host_test::typed::{camel, same_name};
use serde_json::Value;
use wasmtime::component::types::Type;

/// A WIT type in a few words, for the report.
fn show(ty: &Type) -> String {
    match ty {
        Type::Option(o) => format!("option<{}>", show(&o.ty())),
        Type::List(l) => format!("list<{}>", show(&l.ty())),
        Type::Enum(e) => format!("enum {{{}}}", e.names().collect::<Vec<_>>().join(", ")),
        Type::Variant(v) => format!(
            "variant {{{}}}",
            v.cases()
                .map(|c| match &c.ty {
                    Some(ty) => format!("{}({})", c.name, show(ty)),
                    None => c.name.to_string(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Type::Record(r) => format!(
            "record {{{}}}",
            r.fields()
                .map(|f| f.name.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Type::Tuple(t) => format!(
            "tuple<{}>",
            t.types().map(|t| show(&t)).collect::<Vec<_>>().join(", ")
        ),
        Type::Result(r) => format!(
            "result<{}, {}>",
            r.ok().map_or("_".into(), |t| show(&t)),
            r.err().map_or("_".into(), |t| show(&t))
        ),
        other => format!("{other:?}").to_lowercase(),
    }
}

/// The enum a field holds, directly or as an option.
fn enum_cases(ty: &Type) -> Option<Vec<String>> {
    match ty {
        Type::Enum(e) => Some(e.names().map(str::to_string).collect()),
        Type::Option(o) => enum_cases(&o.ty()),
        _ => None,
    }
}

/// The fields of a function's input: the one record's fields, or else the parameters.
fn input_fields(function: &ExportedFunc, problems: &mut Vec<String>) -> Vec<(String, Type)> {
    let params: Vec<(String, Type)> = function
        .ty
        .params()
        .map(|(n, t)| (n.to_string(), t))
        .collect();
    match params.as_slice() {
        [] => Vec::new(),
        [(_, Type::Record(record))] => record
            .fields()
            .map(|f| (f.name.to_string(), f.ty))
            .collect(),
        _ => {
            problems.push(format!(
                "takes ({}) instead of no parameter or one record",
                params
                    .iter()
                    .map(|(n, t)| format!("{n}: {}", show(t)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
            params
        }
    }
}

/// Every way one command's function disagrees with its catalog entry.
fn disagreements(function: &ExportedFunc, command: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    match function.result_type() {
        Some(Type::Result(result)) => match result.ok() {
            Some(Type::Record(_)) => {}
            Some(other) => problems.push(format!(
                "returns result<{}, _>, not a record in the result",
                show(&other)
            )),
            None => problems.push("returns result<_, _> without an output record".into()),
        },
        Some(other) => problems.push(format!("returns {}, not a result", show(&other))),
        None => problems.push("returns nothing".into()),
    }
    let fields = input_fields(function, &mut problems);
    let params: Vec<&Value> = command["params"].as_array().into_iter().flatten().collect();
    let param_names: BTreeSet<&str> = params.iter().filter_map(|p| p["name"].as_str()).collect();
    let field_names: BTreeSet<String> = fields.iter().map(|(n, _)| camel(n)).collect();
    for name in &param_names {
        if !field_names.contains(*name) {
            problems.push(format!(
                "catalog parameter `{name}` is no field of the input"
            ));
        }
    }
    for (field, ty) in &fields {
        let key = camel(field);
        let Some(param) = params.iter().find(|p| p["name"] == key.as_str()) else {
            problems.push(format!(
                "input field `{field}` ({}) is no catalog parameter (`{key}`)",
                show(ty)
            ));
            continue;
        };
        let required = param["required"].as_bool().unwrap_or(false);
        let optional = matches!(ty, Type::Option(_));
        if required == optional {
            problems.push(format!(
                "`{key}` is {} in the catalog but {} in WIT",
                if required { "required" } else { "optional" },
                show(ty)
            ));
        }
        let catalog_enum: Vec<&str> = param["enumValues"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        match enum_cases(ty) {
            Some(cases) => {
                let same = cases.len() == catalog_enum.len()
                    && cases
                        .iter()
                        .all(|c| catalog_enum.iter().any(|v| same_name(v, c)));
                if !same {
                    problems.push(format!(
                        "`{key}`: WIT cases [{}] but catalog enumValues [{}]",
                        cases.join(", "),
                        catalog_enum.join(", ")
                    ));
                }
            }
            None if !catalog_enum.is_empty() => problems.push(format!(
                "`{key}`: catalog enumValues [{}] but WIT type {}",
                catalog_enum.join(", "),
                show(ty)
            )),
            None => {}
        }
    }
    problems
}

#[test]
fn typed_functions_match_the_catalog() {
    let runtime = Runtime::load(&default_component_path(), Limits::default())
        .expect("run `make build` first");
    let catalog = tokio_runtime()
        .unwrap()
        .block_on(runtime.describe())
        .expect("describe");
    let commands: Vec<&Value> = catalog["commands"]
        .as_array()
        .into_iter()
        .flatten()
        .collect();
    assert!(!commands.is_empty(), "the catalog lists no command");
    let functions = &runtime.exports().commands;

    let mut report = Vec::new();
    for command in &commands {
        let name = command["name"].as_str().unwrap_or_default();
        let Some(function) = runtime.exports().command(name) else {
            report.push(format!(
                "{name}: the catalog's command has no typed function"
            ));
            continue;
        };
        report.extend(
            disagreements(function, command)
                .into_iter()
                .map(|p| format!("{name}: {p}")),
        );
    }
    for function in functions {
        if !commands.iter().any(|c| c["name"] == function.name.as_str()) {
            report.push(format!(
                "{}: the typed function has no catalog command",
                function.name
            ));
        }
    }
    assert!(
        report.is_empty(),
        "the typed commands interface and the catalog disagree in {} places:\n  {}",
        report.len(),
        report.join("\n  ")
    );
}
