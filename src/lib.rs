//! The LinkedIn connector component.
//!
//! `component` is the thin WIT glue; everything else is plain Rust that unit-tests natively:
//! the request pipeline, URNs, post text, errors, and one module per capability.

pub mod catalog;
pub mod commands;
pub mod custom_action;
pub mod error;
pub mod http;
pub mod input;
pub mod lead;
pub mod lenient;
pub mod links;
pub mod media;
pub mod media_post;
pub mod output;
pub mod pipeline;
pub mod posts;
pub mod profile;
pub mod text;
pub mod upload;
pub mod urn;
pub mod webhook;

#[cfg(target_arch = "wasm32")]
mod component;
#[cfg(target_arch = "wasm32")]
mod wasi_transport;
