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

use std::time::Duration;

use connector::linkedin::credentials;
use connector::linkedin::types as wit;
use exports::connector::linkedin::{commands as wit_commands, datasource};

use crate::error::{Error, RateLimitScope, StatusInfo};
use crate::http::Method;
use crate::http::{Request, Response, Transport, TransportError, TransportReason};
use crate::input::{LifecycleState, TextFormat, Visibility};
use crate::media::{MediaCategory, MediaState, UploadInstruction};
use crate::media_post::PostMediaCategory;
use crate::pipeline::{CredentialError, Env};
use crate::upload::Source;
use crate::wasi_transport::WasiTransport;
use crate::{
    catalog, commands, custom_action, lead, media, media_post, posts, profile, upload, webhook,
};

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

    fn sleep(&mut self, duration: Duration) {
        let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
        wasip2::clocks::monotonic_clock::subscribe_duration(nanos).block();
    }

    fn monotonic_now(&mut self) -> Duration {
        Duration::from_nanos(wasip2::clocks::monotonic_clock::now())
    }

    fn unix_time_ms(&mut self) -> u64 {
        let now = wasip2::clocks::wall_clock::now();
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
                    input_schema: crate::output::to_json(&catalog::input_schema(spec)),
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
            text_format: input.text_format.map(text_format),
            visibility: input.visibility.map(visibility),
            lifecycle_state: input.lifecycle_state.map(lifecycle_state),
            disable_reshare: input.disable_reshare,
            linkedin_version: input.linkedin_version,
        };
        let created = posts::create_post(&mut HostEnv, input).map_err(to_wit_error)?;
        Ok(post_created(created))
    }

    fn create_post_with_media(
        input: wit_commands::CreatePostWithMediaInput,
    ) -> Result<wit_commands::PostCreated, wit::Error> {
        let input = media_post::CreatePostWithMedia {
            author: input.author,
            text: input.text,
            media_category: match input.media_category {
                wit_commands::PostMediaCategory::Image => PostMediaCategory::Image,
                wit_commands::PostMediaCategory::Video => PostMediaCategory::Video,
                wit_commands::PostMediaCategory::Article => PostMediaCategory::Article,
                wit_commands::PostMediaCategory::Document => PostMediaCategory::Document,
            },
            media: input
                .media
                .into_iter()
                .map(|m| media_post::MediaItem {
                    id: m.id,
                    title: m.title,
                    alt_text: m.alt_text,
                    description: m.description,
                    source: m.source,
                    thumbnail: m.thumbnail,
                    owner: m.owner,
                })
                .collect(),
            media_source: input.media_source.map(|f| media_post::MediaSource {
                source: source(f.source),
                content_type: f.content_type,
                file_name: f.file_name,
                title: f.title,
                alt_text: f.alt_text,
            }),
            text_format: input.text_format.map(text_format),
            visibility: input.visibility.map(visibility),
            lifecycle_state: input.lifecycle_state.map(lifecycle_state),
            disable_reshare: input.disable_reshare,
            wait_seconds: input.wait_seconds,
            linkedin_version: input.linkedin_version,
        };
        let created =
            media_post::create_post_with_media(&mut HostEnv, input).map_err(to_wit_error)?;
        Ok(post_created(created))
    }

    fn register_upload(
        input: wit_commands::RegisterUploadInput,
    ) -> Result<wit_commands::UploadRegistered, wit::Error> {
        let input = media::RegisterUpload {
            owner: input.owner,
            media_category: media_category(input.media_category),
            file_size_bytes: input.file_size_bytes,
            upload_captions: input.upload_captions,
            upload_thumbnail: input.upload_thumbnail,
            linkedin_version: input.linkedin_version,
        };
        let r = media::register_upload(&mut HostEnv, input).map_err(to_wit_error)?;
        Ok(wit_commands::UploadRegistered {
            media_urn: r.media_urn,
            owner: r.owner,
            upload_url: r.upload_url,
            upload_instructions: r
                .upload_instructions
                .into_iter()
                .map(|p| wit_commands::UploadInstruction {
                    upload_url: p.upload_url,
                    first_byte: p.first_byte,
                    last_byte: p.last_byte,
                })
                .collect(),
            upload_token: r.upload_token,
            expires_at: r.expires_at,
            upload_headers: r
                .upload_headers
                .into_iter()
                .map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string()))
                .collect(),
            raw: r.raw,
        })
    }

    fn upload_media(
        input: wit_commands::UploadMediaInput,
    ) -> Result<wit_commands::MediaUploaded, wit::Error> {
        let input = upload::UploadMedia {
            media_category: input.media_category.map(media_category),
            upload_url: input.upload_url,
            upload_instructions: input.upload_instructions.map(|parts| {
                parts
                    .into_iter()
                    .map(|p| UploadInstruction {
                        upload_url: p.upload_url,
                        first_byte: p.first_byte,
                        last_byte: p.last_byte,
                    })
                    .collect()
            }),
            source: Some(source(input.source)),
            content_type: input.content_type,
            media_urn: input.media_urn,
            upload_token: input.upload_token,
            expires_at: input.expires_at,
            linkedin_version: input.linkedin_version,
        };
        let up = upload::upload_media(&mut HostEnv, input).map_err(to_wit_error)?;
        Ok(wit_commands::MediaUploaded {
            media_urn: up.media_urn,
            part_ids: up.part_ids,
            bytes_uploaded: up.bytes_uploaded,
        })
    }

    fn get_media_status(
        input: wit_commands::GetMediaStatusInput,
    ) -> Result<wit_commands::MediaStatus, wit::Error> {
        let input = media::GetMediaStatus {
            media_category: media_category(input.media_category),
            media_id: input.media_id,
            linkedin_version: input.linkedin_version,
        };
        let st = media::get_media_status(&mut HostEnv, input).map_err(to_wit_error)?;
        Ok(wit_commands::MediaStatus {
            media_urn: st.media_urn,
            status: match st.status {
                MediaState::WaitingUpload => wit_commands::MediaState::WaitingUpload,
                MediaState::Processing => wit_commands::MediaState::Processing,
                MediaState::Available => wit_commands::MediaState::Available,
                MediaState::ProcessingFailed => wit_commands::MediaState::ProcessingFailed,
            },
            download_url: st.download_url,
            failure_reason: st.failure_reason,
            raw: st.raw,
        })
    }

    fn custom_action(
        input: wit_commands::CustomActionInput,
    ) -> Result<wit_commands::CustomActionResult, wit::Error> {
        let input = custom_action::CustomAction {
            method: match input.method {
                wit_commands::HttpMethod::Get => Method::Get,
                wit_commands::HttpMethod::Post => Method::Post,
                wit_commands::HttpMethod::Put => Method::Put,
                wit_commands::HttpMethod::Patch => Method::Patch,
                wit_commands::HttpMethod::Delete => Method::Delete,
            },
            path: input.path,
            query: input
                .query
                .into_iter()
                .map(|(k, v)| (k, serde_json::Value::String(v)))
                .collect(),
            headers: input.headers,
            body: input.body.map(serde_json::Value::String),
            linkedin_version: input.linkedin_version,
        };
        let out = custom_action::custom_action(&mut HostEnv, input).map_err(to_wit_error)?;
        let (body, body_is_json) = match (out.raw, out.body) {
            (Some(raw), _) => (Some(raw), true),
            (None, serde_json::Value::String(text)) => (Some(text), false),
            (None, _) => (None, false),
        };
        Ok(wit_commands::CustomActionResult {
            status: out.status,
            headers: out.headers.into_iter().collect(),
            body,
            body_is_json,
        })
    }

    fn answer_webhook_challenge(
        challenge_code: String,
    ) -> Result<wit_commands::ChallengeAnswer, wit::Error> {
        let input = webhook::AnswerChallenge { challenge_code };
        let out = webhook::answer_webhook_challenge(&mut HostEnv, input).map_err(to_wit_error)?;
        Ok(wit_commands::ChallengeAnswer {
            challenge_code: out.challenge_code,
            challenge_response: out.challenge_response,
        })
    }

    fn parse_lead_notification(
        input: wit_commands::ParseLeadNotificationInput,
    ) -> Result<Vec<wit_commands::LeadNotification>, wit::Error> {
        let input = webhook::ParseLeadNotification {
            headers: input.headers,
            body: input.body,
            fetch_lead: input.fetch_lead,
            linkedin_version: input.linkedin_version,
        };
        let out = webhook::parse_lead_notification(&mut HostEnv, input).map_err(to_wit_error)?;
        Ok(out
            .notifications
            .into_iter()
            .map(|n| wit_commands::LeadNotification {
                lead_urn: n.lead_urn,
                lead_id: n.lead_id,
                action: n.action,
                lead_type: n.lead_type,
                form_urn: n.form_urn,
                form_id: n.form_id,
                form_version: n.form_version,
                owner: n.owner.map(|v| crate::output::to_json(&v)),
                associated_entity: n.associated_entity.map(|v| crate::output::to_json(&v)),
                occurred_at: n.occurred_at,
                lead: n.lead.map(wit_lead),
            })
            .collect())
    }

    fn get_lead(input: wit_commands::GetLeadInput) -> Result<wit_commands::Lead, wit::Error> {
        let input = lead::GetLead {
            lead: input.lead,
            linkedin_version: input.linkedin_version,
        };
        lead::get_lead(&mut HostEnv, input)
            .map(wit_lead)
            .map_err(to_wit_error)
    }
}

fn wit_lead(l: lead::Lead) -> wit_commands::Lead {
    wit_commands::Lead {
        lead_urn: l.lead_urn,
        lead_id: l.lead_id,
        submitted_at: l.submitted_at,
        test_lead: l.test_lead,
        form_urn: l.form_urn,
        form_id: l.form_id,
        form_version: l.form_version,
        form_name: l.form_name,
        lead_type: l.lead_type,
        owner: l.owner.map(|v| crate::output::to_json(&v)),
        submitter: l.submitter,
        answers: l
            .answers
            .into_iter()
            .map(|a| wit_commands::LeadAnswer {
                question_id: a.question_id,
                question: a.question,
                predefined_field: a.predefined_field,
                value: a.value,
                values: a.values,
            })
            .collect(),
        fields: l.fields.into_iter().collect(),
        raw: l.raw,
    }
}

fn post_created(created: posts::PostCreated) -> wit_commands::PostCreated {
    wit_commands::PostCreated {
        id: created.id,
        url: created.url,
        raw: created.raw,
    }
}

fn text_format(f: wit::TextFormat) -> TextFormat {
    match f {
        wit::TextFormat::Auto => TextFormat::Auto,
        wit::TextFormat::Literal => TextFormat::Literal,
        wit::TextFormat::Little => TextFormat::Little,
    }
}

fn visibility(v: wit::Visibility) -> Visibility {
    match v {
        wit::Visibility::Public => Visibility::Public,
        wit::Visibility::Connections => Visibility::Connections,
        wit::Visibility::LoggedIn => Visibility::LoggedIn,
    }
}

fn lifecycle_state(s: wit::LifecycleState) -> LifecycleState {
    match s {
        wit::LifecycleState::Published => LifecycleState::Published,
        wit::LifecycleState::Draft => LifecycleState::Draft,
    }
}

fn media_category(c: wit_commands::MediaCategory) -> MediaCategory {
    match c {
        wit_commands::MediaCategory::Image => MediaCategory::Image,
        wit_commands::MediaCategory::Video => MediaCategory::Video,
        wit_commands::MediaCategory::Document => MediaCategory::Document,
    }
}

fn source(s: wit_commands::MediaSource) -> Source {
    match s {
        wit_commands::MediaSource::Data(data) => Source::Data(data),
        wit_commands::MediaSource::SourceUrl(url) => Source::Url(url),
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
        Error::MediaUnavailable {
            media_urn,
            status,
            failure_reason,
            message,
        } => wit::Error::MediaUnavailable(wit::MediaUnavailableError {
            media_urn,
            status,
            failure_reason,
            message,
        }),
    }
}
