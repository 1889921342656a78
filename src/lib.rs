//! The LinkedIn connector component.
//!
//! Three layers, each depending only on the ones below it:
//! - `component`: the WIT glue (type conversion and delegation) and the wasi:http transport, the
//!   only wasm-specific code;
//! - `commands`: one file per command, each its spec, input, output and logic, and the registry;
//! - `core`: the request pipeline, errors, HTTP types, input reading, URNs, URLs, post text,
//!   webhook signatures and the lead fetch.
//!
//! Everything but `component` compiles and unit-tests natively.

pub mod commands;
pub mod core;

pub mod component;
