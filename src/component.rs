//! The WIT glue: type conversion and delegation only. Every export runs the same plain-Rust
//! command as `datasource.execute` does.

wit_bindgen::generate!({
    world: "connector",
    path: "wit",
    with: {
        "wasi:http/types@0.2.12": wasip2::http::types,
        "wasi:http/outgoing-handler@0.2.12": wasip2::http::outgoing_handler,
        "wasi:io/error@0.2.12": wasip2::io::error,
        "wasi:io/poll@0.2.12": wasip2::io::poll,
        "wasi:io/streams@0.2.12": wasip2::io::streams,
        "wasi:clocks/monotonic-clock@0.2.12": wasip2::clocks::monotonic_clock,
    },
});

use connector::linkedin::credentials;
use connector::linkedin::types as wit;
use exports::connector::linkedin::{commands as wit_commands, datasource};

use crate::error::{Error, RateLimitScope, StatusInfo};
use crate::http::{Request, Response, Transport, TransportError, TransportReason};
use crate::input::{LifecycleState, TextFormat, Visibility};
use crate::pipeline::{CredentialError, Env};
use crate::wasi_transport::WasiTransport;
use crate::{catalog, commands, posts, profile};

struct Component;

export!(Component);

/// The host as the plain-Rust modules see it.
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
}

fn credential_error(e: credentials::CredentialError) -> CredentialError {
    match e {
        credentials::CredentialError::NotConfigured(why) => CredentialError::NotConfigured(why),
        credentials::CredentialError::Unavailable(why) => CredentialError::Unavailable(why),
    }
}

impl datasource::Guest for Component {
    fn describe() -> datasource::Catalog {
        datasource::Catalog {
            name: "linkedin".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            default_linkedin_version: catalog::default_version().into(),
            commands: catalog::COMMANDS
                .iter()
                .map(|spec| datasource::CommandInfo {
                    name: spec.name.into(),
                    title: spec.title.into(),
                    description: spec.description.into(),
                    scopes: spec.scopes.iter().map(|s| s.to_string()).collect(),
                    linkedin_calls: spec.calls.iter().map(|s| s.to_string()).collect(),
                    params: spec.params.iter().map(param_info).collect(),
                    input_schema: catalog::input_schema(spec).to_string(),
                })
                .collect(),
        }
    }

    fn execute(command: String, input: String) -> Result<String, wit::Error> {
        commands::execute(&mut HostEnv, &command, &input).map_err(to_wit_error)
    }
}

fn param_info(p: &catalog::Param) -> datasource::ParamInfo {
    datasource::ParamInfo {
        name: p.name.into(),
        title: p.title.into(),
        param_type: match p.ty {
            catalog::ParamType::String => datasource::ParamType::String,
            catalog::ParamType::Integer => datasource::ParamType::Integer,
            catalog::ParamType::Boolean => datasource::ParamType::Boolean,
            catalog::ParamType::Object => datasource::ParamType::Object,
            catalog::ParamType::Array => datasource::ParamType::Array,
        },
        required: p.required,
        enum_values: p.enum_values.iter().map(|s| s.to_string()).collect(),
        default_value: p.default.map(str::to_string),
        description: p.description.into(),
        example: p.example.map(str::to_string),
    }
}

impl wit_commands::Guest for Component {
    fn get_user_info() -> Result<wit_commands::UserInfo, wit::Error> {
        let info = profile::get_user_info(&mut HostEnv).map_err(to_wit_error)?;
        Ok(wit_commands::UserInfo {
            sub: info.sub,
            person_urn: info.person_urn,
            name: info.name,
            given_name: info.given_name,
            family_name: info.family_name,
            email: info.email,
            email_verified: info.email_verified,
            picture: info.picture,
            locale: info.locale,
            raw: info.raw,
        })
    }

    fn create_post(
        input: wit_commands::CreatePostInput,
    ) -> Result<wit_commands::PostCreated, wit::Error> {
        let input = posts::CreatePost {
            author: input.author,
            text: input.text,
            text_format: input.text_format.map(|f| match f {
                wit::TextFormat::Auto => TextFormat::Auto,
                wit::TextFormat::Literal => TextFormat::Literal,
                wit::TextFormat::Little => TextFormat::Little,
            }),
            visibility: input.visibility.map(|v| match v {
                wit::Visibility::Public => Visibility::Public,
                wit::Visibility::Connections => Visibility::Connections,
                wit::Visibility::LoggedIn => Visibility::LoggedIn,
            }),
            lifecycle_state: input.lifecycle_state.map(|s| match s {
                wit::LifecycleState::Published => LifecycleState::Published,
                wit::LifecycleState::Draft => LifecycleState::Draft,
            }),
            disable_reshare: input.disable_reshare,
            linkedin_version: input.linkedin_version,
        };
        let created = posts::create_post(&mut HostEnv, input).map_err(to_wit_error)?;
        Ok(wit_commands::PostCreated {
            id: created.id,
            url: created.url,
            raw: created.raw,
        })
    }
}

fn status_error(info: StatusInfo) -> wit::StatusError {
    wit::StatusError {
        status: info.status,
        service_error_code: info.service_error_code,
        code: info.code,
        message: info.message,
    }
}

fn to_wit_error(e: Error) -> wit::Error {
    match e {
        Error::InvalidInput { field, message } => {
            wit::Error::InvalidInput(wit::InvalidInputError { field, message })
        }
        Error::Credentials { message } => wit::Error::Credentials(message),
        Error::Unauthorized(info) => wit::Error::Unauthorized(status_error(info)),
        Error::Forbidden {
            info,
            required_scopes,
        } => wit::Error::Forbidden(wit::ForbiddenError {
            status: info.status,
            service_error_code: info.service_error_code,
            code: info.code,
            required_scopes,
            message: info.message,
        }),
        Error::NotFound(info) => wit::Error::NotFound(status_error(info)),
        Error::Duplicate {
            status,
            existing_id,
            message,
        } => wit::Error::Duplicate(wit::DuplicateError {
            status,
            existing_id,
            message,
        }),
        Error::RateLimited {
            status,
            scope,
            retry_after_seconds,
            message,
        } => wit::Error::RateLimited(wit::RateLimitedError {
            status,
            scope: match scope {
                RateLimitScope::Daily => wit::RateLimitScope::Daily,
                RateLimitScope::Throttle => wit::RateLimitScope::Throttle,
                RateLimitScope::Unknown => wit::RateLimitScope::Unknown,
            },
            retry_after_seconds,
            message,
        }),
        Error::VersionRetired { version, message } => {
            wit::Error::VersionRetired(wit::VersionRetiredError { version, message })
        }
        Error::InvalidSignature { message } => wit::Error::InvalidSignature(message),
        Error::Api { info, body } => wit::Error::Api(wit::ApiError {
            status: info.status,
            service_error_code: info.service_error_code,
            code: info.code,
            body,
            message: info.message,
        }),
        Error::Transport { reason, message } => wit::Error::Transport(wit::TransportError {
            reason: match reason {
                TransportReason::Dns => wit::TransportReason::Dns,
                TransportReason::ConnectionRefused => wit::TransportReason::ConnectionRefused,
                TransportReason::Timeout => wit::TransportReason::Timeout,
                TransportReason::Tls => wit::TransportReason::Tls,
                TransportReason::Denied => wit::TransportReason::Denied,
                TransportReason::Other => wit::TransportReason::Other,
            },
            message,
        }),
        Error::Decode { status, message } => {
            wit::Error::Decode(wit::DecodeError { status, message })
        }
    }
}
