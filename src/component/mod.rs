//! The WIT glue and the standard WASI the component runs on: the only code that knows it runs as
//! a component. `impl Guest` converts and delegates; every export runs the same command as
//! `execute` does.
//!
//! The glue (bindings and `impl Guest`) is behind the `component` feature; the wasi:http
//! transport and the clocks are not, because the receiver (`receiver/`) runs on them too.

#[cfg(all(target_arch = "wasm32", feature = "component"))]
mod bindings;
#[cfg(target_arch = "wasm32")]
pub mod clocks;
pub mod convert;
#[cfg(all(target_arch = "wasm32", feature = "component"))]
mod glue;
#[cfg(target_arch = "wasm32")]
pub mod transport;

/// Whether this build has the connector's WIT glue. A component built on this crate without it
/// (the receiver) checks this at compile time: cargo unifies features within one build, so
/// building it together with the connector would bring the glue in.
pub const HAS_GLUE: bool = cfg!(feature = "component");
