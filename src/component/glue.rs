//! `impl Guest`: conversion and delegation only. The typed functions are generated from the
//! command list, one per command, each running the command exactly as `execute` does.

wit_bindgen::generate!({
    world: "connector",
    path: "wit",
    additional_derives: [serde::Serialize, serde::Deserialize],
    // It holds a wasi:io `error` resource, which serde cannot derive for; it is never converted.
    additional_derives_ignore: ["stream-error"],
    // The wasi:http, wasi:io and wasi:clocks bindings come from wit/deps, by this wit-bindgen.
    generate_all,
});

use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use connector::linkedin::credentials;
use connector::linkedin::types as wit;
use exports::connector::linkedin::{commands as wit_commands, datasource};

use super::convert;
use super::transport::WasiTransport;
use crate::commands;
use crate::core::command::{self, Command, Dispatch};
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
        convert::from_json(&catalog).unwrap_or_else(|e| datasource::Catalog {
            name: "linkedin".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            default_linkedin_version: format!("the catalog could not be converted: {e}"),
            commands: Vec::new(),
        })
    }

    fn execute(command: String, input: String) -> Result<String, wit::Error> {
        commands::execute(&mut HostEnv, &command, &input).map_err(|e| to_wit_error(&e))
    }

    fn execute_json(command: String, input: String) -> String {
        command::envelope(&commands::execute(&mut HostEnv, &command, &input))
    }
}

/// Runs command `C` on a typed input (already JSON) and reads its output into the WIT type.
fn typed<C: Command + Sync + Default, O: DeserializeOwned>(
    input: &Map<String, Value>,
) -> Result<O, wit::Error> {
    let output = run(&C::default(), input)?;
    convert::from_json(&output).map_err(|e| {
        to_wit_error(&Error::decode(
            0,
            format!("The connector could not convert its output to the WIT record ({e})."),
        ))
    })
}

/// The command behind a dynamic call, so each typed export shares the one copy of the
/// command's code that `execute` runs instead of inlining a second one.
#[inline(never)]
fn run(command: &dyn Dispatch, input: &Map<String, Value>) -> Result<String, wit::Error> {
    command
        .execute(&mut HostEnv, input, commands::SPECS)
        .map_err(|e| to_wit_error(&e))
}

fn to_wit_error(error: &Error) -> wit::Error {
    let text = serde_json::to_string(error).unwrap_or_default();
    convert::from_json(&text)
        .unwrap_or_else(|_| wit::Error::Credentials(error.message().to_string()))
}

/// One typed function per command of the list, with the input record (if any) and output record
/// it names.
macro_rules! typed_guest {
    ($($module:ident : $command:ident ($($input:ident)?) -> $output:ident;)*) => {
        impl wit_commands::Guest for Component {
            $( typed_function!($module, $command, ($($input)?), $output); )*
        }
    };
}

macro_rules! typed_function {
    ($module:ident, $command:ident, (), $output:ident) => {
        fn $module() -> Result<wit_commands::$output, wit::Error> {
            typed::<commands::$module::$command, _>(&Map::new())
        }
    };
    ($module:ident, $command:ident, ($input:ident), $output:ident) => {
        fn $module(input: wit_commands::$input) -> Result<wit_commands::$output, wit::Error> {
            typed::<commands::$module::$command, _>(&convert::to_input(&input))
        }
    };
}

commands::for_each_command!(typed_guest);
