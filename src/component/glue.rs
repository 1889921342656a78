//! `impl Guest`: conversion and delegation only. The typed functions are generated from the
//! command list, one per command, each running the command exactly as `execute` does.

use std::time::Duration;

use serde_json::{Map, Value};

use super::bindings::connector::linkedin::credentials;
use super::bindings::connector::linkedin::types as wit;
use super::bindings::exports::connector::linkedin::datasource;
use super::bindings::{self, connector, exports};

use super::convert::{Json, fold, in_object, object};
use super::transport;
use crate::commands;
use crate::core::command;
use crate::core::error::Error;
use crate::core::http::{Request, Response, TransportError};
use crate::core::input::Fields;
use crate::core::pipeline::{CredentialError, Env};

struct Component;

bindings::export!(Component with_types_in bindings);

/// The host as the plain-Rust layers see it.
struct HostEnv;

impl Env for HostEnv {
    fn send(&mut self, request: Request<'_>) -> Result<Response, TransportError> {
        transport::send(request)
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
        super::clocks::sleep(duration)
    }

    fn monotonic_now(&mut self) -> Duration {
        super::clocks::monotonic_now()
    }

    fn unix_time_ms(&mut self) -> u64 {
        super::clocks::unix_time_ms()
    }
}

fn credential_error(e: credentials::CredentialError) -> CredentialError {
    match e {
        credentials::CredentialError::NotConfigured(why) => CredentialError::NotConfigured(why),
        credentials::CredentialError::Unavailable(why) => CredentialError::Unavailable(why),
    }
}

impl datasource::Guest for Component {
    /// The catalog has no input and no error case: a catalog that does not convert is a bug in
    /// this build (host-test's WIT/catalog test catches it), so it traps with the reason rather
    /// than hand the host a corrupt catalog.
    fn describe() -> datasource::Catalog {
        let catalog =
            serde_json::to_string(&commands::catalog()).expect("the catalog serialises to JSON");
        match Json::parse(&catalog).and_then(out_catalog) {
            Ok(catalog) => catalog,
            Err(e) => panic!("the catalog does not convert to the WIT record: {e}"),
        }
    }

    fn execute(command: String, input: String) -> Result<String, wit::Error> {
        commands::execute(&mut HostEnv, &command, input).map_err(to_wit_error)
    }

    fn execute_json(command: String, input: String) -> String {
        commands::execute_json(&mut HostEnv, &command, input)
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
    output(Json::of(text.raw())).map_err(|e| {
        to_wit_error(Error::decode(
            0,
            format!("The connector could not convert its output to the WIT record ({e})."),
        ))
    })
}

/// One shared, non-generic path into the command registry for every typed export.
#[inline(never)]
fn run(name: &str, input: Map<String, Value>) -> Result<command::Output, wit::Error> {
    command::find(commands::ALL, name)
        .and_then(|command| command.execute(&mut HostEnv, Fields::new(input)))
        .map_err(to_wit_error)
}

/// The WIT error of a command's error. The Rust error mirrors the WIT variant case for case and
/// field for field (its JSON form is `execute-json`'s); every payload is taken apart by an
/// exhaustive pattern, so a field added on either side fails to compile here instead of being
/// dropped. Written out rather than converted through JSON: every failed call takes this path.
fn to_wit_error(error: Error) -> wit::Error {
    use crate::core::error::{
        ApiError, Decode, Duplicate, Forbidden, InvalidInput, MediaUnavailable, Message,
        RateLimitScope, RateLimited, StatusError, Transport, VersionRetired,
    };
    use crate::core::http::TransportReason;

    let status_error = |StatusError {
                            status,
                            service_error_code,
                            code,
                            message,
                        }| wit::StatusError {
        status,
        service_error_code,
        code,
        message,
    };
    match error {
        Error::InvalidInput(InvalidInput { field, message }) => {
            wit::Error::InvalidInput(wit::InvalidInputError { field, message })
        }
        Error::Credentials(Message { message }) => wit::Error::Credentials(message),
        Error::Unauthorized(payload) => wit::Error::Unauthorized(status_error(payload)),
        Error::Forbidden(Forbidden {
            status,
            service_error_code,
            code,
            required_scopes,
            message,
        }) => wit::Error::Forbidden(wit::ForbiddenError {
            status,
            service_error_code,
            code,
            required_scopes,
            message,
        }),
        Error::NotFound(payload) => wit::Error::NotFound(status_error(payload)),
        Error::Duplicate(Duplicate {
            status,
            existing_id,
            message,
        }) => wit::Error::Duplicate(wit::DuplicateError {
            status,
            existing_id,
            message,
        }),
        Error::RateLimited(RateLimited {
            status,
            scope,
            retry_after_seconds,
            message,
        }) => wit::Error::RateLimited(wit::RateLimitedError {
            status,
            scope: match scope {
                RateLimitScope::Daily => wit::RateLimitScope::Daily,
                RateLimitScope::Throttle => wit::RateLimitScope::Throttle,
                RateLimitScope::Unknown => wit::RateLimitScope::Unknown,
            },
            retry_after_seconds,
            message,
        }),
        Error::VersionRetired(VersionRetired { version, message }) => {
            wit::Error::VersionRetired(wit::VersionRetiredError { version, message })
        }
        Error::InvalidSignature(Message { message }) => wit::Error::InvalidSignature(message),
        Error::Api(ApiError {
            status,
            service_error_code,
            code,
            body,
            message,
        }) => wit::Error::Api(wit::ApiError {
            status,
            service_error_code,
            code,
            body,
            message,
        }),
        Error::Transport(Transport { reason, message }) => {
            wit::Error::Transport(wit::TransportError {
                reason: match reason {
                    TransportReason::Dns => wit::TransportReason::Dns,
                    TransportReason::ConnectionRefused => wit::TransportReason::ConnectionRefused,
                    TransportReason::Timeout => wit::TransportReason::Timeout,
                    TransportReason::Tls => wit::TransportReason::Tls,
                    TransportReason::Denied => wit::TransportReason::Denied,
                    TransportReason::Other => wit::TransportReason::Other,
                },
                message,
            })
        }
        Error::Decode(Decode { status, message }) => {
            wit::Error::Decode(wit::DecodeError { status, message })
        }
        Error::MediaUnavailable(MediaUnavailable {
            media_urn,
            status,
            failure_reason,
            message,
        }) => wit::Error::MediaUnavailable(wit::MediaUnavailableError {
            media_urn,
            status,
            failure_reason,
            message,
        }),
    }
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
use typed_glue::out_catalog;
