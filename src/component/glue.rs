//! `impl Guest`: conversion and delegation only. The typed functions are generated from the
//! command list, one per command, each running the command exactly as `execute` does.

wit_bindgen::generate!({
    world: "connector",
    path: "wit",
    // The wasi:http, wasi:io and wasi:clocks bindings come from wit/deps, by this wit-bindgen.
    generate_all,
});

use std::time::Duration;

use serde_json::{Map, Value};

use connector::linkedin::credentials;
use connector::linkedin::types as wit;
use exports::connector::linkedin::datasource;

use super::convert::{Json, fold, in_object, object};
use super::transport::WasiTransport;
use crate::commands;
use crate::core::command;
use crate::core::error::Error;
use crate::core::http::{Request, Response, Transport, TransportError};
use crate::core::pipeline::{CredentialError, Env};

struct Component;

export!(Component);

/// The host as the plain-Rust layers see it.
struct HostEnv;

impl Env for HostEnv {
    fn send(&mut self, request: Request<'_>) -> Result<Response, TransportError> {
        WasiTransport.send(request)
    }

    fn access_token(&mut self) -> Result<String, CredentialError> {
        credentials::access_token().map_err(credential_error)
    }

    fn client_secret(&mut self) -> Result<String, CredentialError> {
        credentials::client_secret().map_err(credential_error)
    }

    fn setting(&mut self, name: &str) -> Option<String> {
        credentials::setting(name)
    }

    fn sleep(&mut self, duration: Duration) {
        let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
        wasi::clocks::monotonic_clock::subscribe_duration(nanos).block();
    }

    fn monotonic_now(&mut self) -> Duration {
        Duration::from_nanos(wasi::clocks::monotonic_clock::now())
    }

    fn unix_time_ms(&mut self) -> u64 {
        let now = wasi::clocks::wall_clock::now();
        now.seconds * 1000 + u64::from(now.nanoseconds / 1_000_000)
    }
}

fn credential_error(e: credentials::CredentialError) -> CredentialError {
    match e {
        credentials::CredentialError::NotConfigured(why) => CredentialError::NotConfigured(why),
        credentials::CredentialError::Unavailable(why) => CredentialError::Unavailable(why),
    }
}

impl datasource::Guest for Component {
    fn describe() -> datasource::Catalog {
        let catalog = serde_json::to_string(&commands::catalog()).unwrap_or_default();
        Json::parse(&catalog)
            .and_then(out_catalog)
            .unwrap_or_else(|e| datasource::Catalog {
                name: "linkedin".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                default_linkedin_version: format!("the catalog could not be converted: {e}"),
                commands: Vec::new(),
            })
    }

    fn execute(command: String, input: String) -> Result<String, wit::Error> {
        commands::execute(&mut HostEnv, &command, input).map_err(|e| to_wit_error(&e))
    }

    fn execute_json(command: String, input: String) -> String {
        command::envelope(&commands::execute(&mut HostEnv, &command, input))
    }
}

/// Runs the command `name` on a typed input (already JSON) exactly as `execute` does, and reads
/// its output into the WIT type with `output`.
fn typed<O>(
    name: &str,
    input: Map<String, Value>,
    output: impl FnOnce(Json<'_>) -> Result<O, String>,
) -> Result<O, wit::Error> {
    let text = run(name, input)?;
    Json::parse(&text).and_then(output).map_err(|e| {
        to_wit_error(&Error::decode(
            0,
            format!("The connector could not convert its output to the WIT record ({e})."),
        ))
    })
}

/// One shared, non-generic path into the command registry for every typed export.
#[inline(never)]
fn run(name: &str, input: Map<String, Value>) -> Result<String, wit::Error> {
    command::find(commands::ALL, name)
        .and_then(|command| command.execute(&mut HostEnv, input, commands::SPECS))
        .map_err(|e| to_wit_error(&e))
}

fn to_wit_error(error: &Error) -> wit::Error {
    let text = serde_json::to_string(error).unwrap_or_default();
    Json::parse(&text)
        .and_then(out_error)
        .unwrap_or_else(|_| wit::Error::Credentials(error.message().to_string()))
}

/// The typed `commands` functions and the conversions they use, generated from wit/ by
/// build.rs. Generated code is uniform rather than idiomatic (a closure where a path would do, a
/// conversion to the type it already has), hence the allowed lints.
#[allow(
    clippy::redundant_closure,
    clippy::needless_question_mark,
    clippy::useless_conversion
)]
mod typed_glue {
    use super::*;

    include!(concat!(env!("OUT_DIR"), "/typed_glue.rs"));
}
use typed_glue::{out_catalog, out_error};
