//! The Lead Sync webhook receiver: a `wasi:http/proxy` component that generic engines
//! (`wasmtime serve -Scli`, Spin, wasmCloud) run unchanged. It answers LinkedIn's challenge,
//! checks each notification's signature, fetches each created lead (as get-lead does) and
//! forwards every notification, signed with a secret of its own, to the platform's URL.
//!
//! Built from the connector's `core` (signature, notification reader, lead fetch and mapping,
//! the request pipeline) and its wasi:http transport, without the connector's WIT glue: a plain
//! engine can neither satisfy the `credentials` import nor call the `datasource` export. Its
//! settings come from the environment (`settings`). One instance serves one request and keeps
//! nothing, so any number of replicas can run behind a load balancer.

#![cfg_attr(not(test), deny(clippy::string_slice, clippy::indexing_slicing))]

pub mod forward;
pub mod handler;
pub mod settings;

#[cfg(target_arch = "wasm32")]
mod component;

// Cargo unifies a crate's features within one build: built in the same cargo command as the
// connector, the receiver would get the connector's `component` feature and with it the WIT glue
// (a `credentials` import no plain engine has). The Makefile builds it on its own.
#[cfg(target_arch = "wasm32")]
const _: () = assert!(
    !linkedin_connector::component::HAS_GLUE,
    "build the receiver in a cargo command of its own (`-p linkedin-receiver` alone), so that \
     the connector's WIT glue stays out of it"
);
