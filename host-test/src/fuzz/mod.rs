//! A fuzzer at the component's boundary: random command names, random inputs (mostly built from
//! the catalog's parameters, sometimes not JSON at all) and random answers from a scripted
//! LinkedIn, through `datasource.execute` and `datasource.execute-json` of the real component.
//! Every case must show that
//!
//! 1. the call does not trap or run out of time (each call runs on a fresh store with the
//!    default limits: 64 MiB of guest memory, guest execution interrupted by epoch);
//! 2. every failure is a typed error (execute: ok with a JSON object or the error variant;
//!    execute-json: `{"ok": {...}}` or `{"error": {"kind": <an error case>, "message": ...}}`),
//!    and the two entry points agree;
//! 3. the access token goes only to `https://api.linkedin.com`, to upload URLs and (in the form
//!    body) to token introspection; the client secret only to introspection's body; an
//!    `Authorization` header only to the API host and upload URLs; no request goes to an IP
//!    address, `localhost`, a single-label or a private special-use name;
//! 4. no secret, in any form, comes back in an output, an error, or the guest's stdout/stderr.
//!
//! Each case is a function of its seed ([`rng::case_seed`] of the run's seed and the case
//! number): `host-test fuzz --case SEED` replays one and prints everything it did.

pub mod answers;
pub mod checks;
pub mod inputs;
pub mod rng;
