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
//!
//! Every input comes from an untrusted tenant and every answer from the network, so code outside
//! tests never slices text by byte index or indexes a slice: it uses `get`, `split_once`,
//! `strip_prefix` or a parser, and no cut in the middle of a character or past the end can
//! panic (a trap costs the host its instance).

#![cfg_attr(not(test), deny(clippy::string_slice, clippy::indexing_slicing))]

pub mod commands;
pub mod core;

pub mod component;
