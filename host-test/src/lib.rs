//! The wasmtime host for the LinkedIn connector component: load and instantiate it, answer its
//! HTTP from recorded fixtures (or send it live), measure it, and fuzz it. It also serves the
//! Lead Sync receiver component (`serve`) and puts it under load (`load`).

pub mod bench;
pub mod call;
pub mod docs;
pub mod fakes;
pub mod fixture;
pub mod fuzz;
pub mod http_hook;
pub mod load;
pub mod record;
pub mod replay;
pub mod runtime;
pub mod safe_net;
pub mod serve;
pub mod typed;
pub mod wasmtime_check;
