//! The WIT glue and the wasi:http transport: the only code that knows it runs as a component.
//! `impl Guest` converts and delegates; every export runs the same command as `execute` does.

#[cfg(target_arch = "wasm32")]
mod bindings;
pub mod convert;
#[cfg(target_arch = "wasm32")]
mod glue;
#[cfg(target_arch = "wasm32")]
mod transport;
