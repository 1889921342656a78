//! The wasmtime host for the LinkedIn connector component: load and instantiate it, answer its
//! HTTP from recorded fixtures (or send it live), measure it, and fuzz it.

pub mod bench;
pub mod call;
pub mod docs;
pub mod fixture;
pub mod fuzz;
pub mod http_hook;
pub mod record;
pub mod replay;
pub mod runtime;
pub mod safe_net;
pub mod typed;
