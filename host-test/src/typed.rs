//! The typed path: turns a fixture's JSON input into the WIT records of the `commands`
//! interface, calls the typed function, and turns the WIT result back into JSON, so replay can
//! check that `commands` and `datasource.execute` agree.
//!
//! This is host-side code on purpose: it is a second, independent reading of the contract's
//! JSON names, which the component's own JSON output must match.

use anyhow::Result;
use serde_json::{Map, Value, json};
use wasmtime::Store;

use crate::runtime::{Connector, State, wit_commands, wit_datasource, wit_types};

/// A typed call, ready to run.
pub enum TypedCall {
    GetUserInfo,
    CreatePost(wit_commands::CreatePostInput),
    CreatePostWithMedia(wit_commands::CreatePostWithMediaInput),
    RegisterUpload(wit_commands::RegisterUploadInput),
    UploadMedia(wit_commands::UploadMediaInput),
    GetMediaStatus(wit_commands::GetMediaStatusInput),
    CustomAction(wit_commands::CustomActionInput),
    AnswerWebhookChallenge(String),
    ParseLeadNotification(wit_commands::ParseLeadNotificationInput),
    GetLead(wit_commands::GetLeadInput),
}

/// The typed call for `command` with `input`, or `None` when the input cannot be expressed in
/// WIT types (a required field missing, a wrong JSON type, an unknown enum value or key): such
/// cases test the JSON reader, which only `execute` has.
pub fn typed_call(command: &str, input: &Value) -> Option<TypedCall> {
    let map = input.as_object()?;
    match command {
        "get-user-info" => map.is_empty().then_some(TypedCall::GetUserInfo),
        "create-post" => {
            only(
                map,
                &[
                    "author",
                    "text",
                    "textFormat",
                    "visibility",
                    "lifecycleState",
                    "disableReshare",
                    "linkedinVersion",
                ],
            )?;
            Some(TypedCall::CreatePost(wit_commands::CreatePostInput {
                author: required_str(map, "author")?,
                text: required_str(map, "text")?,
                text_format: choice(map, "textFormat", TEXT_FORMATS)?,
                visibility: choice(map, "visibility", VISIBILITIES)?,
                lifecycle_state: choice(map, "lifecycleState", LIFECYCLE_STATES)?,
                disable_reshare: optional_bool(map, "disableReshare")?,
                linkedin_version: optional_str(map, "linkedinVersion")?,
            }))
        }
        "create-post-with-media" => {
            only(
                map,
                &[
                    "author",
                    "text",
                    "mediaCategory",
                    "media",
                    "mediaSource",
                    "waitSeconds",
                    "textFormat",
                    "visibility",
                    "lifecycleState",
                    "disableReshare",
                    "linkedinVersion",
                ],
            )?;
            let media = match given(map, "media") {
                None => Vec::new(),
                Some(Value::Array(items)) => items.iter().map(media_item).collect::<Option<_>>()?,
                Some(_) => return None,
            };
            let media_source = match given(map, "mediaSource") {
                None => None,
                Some(Value::Object(file)) => {
                    only(
                        file,
                        &[
                            "data",
                            "sourceUrl",
                            "contentType",
                            "fileName",
                            "title",
                            "altText",
                        ],
                    )?;
                    Some(wit_commands::MediaFile {
                        source: media_source(file)?,
                        content_type: optional_str(file, "contentType")?,
                        file_name: optional_str(file, "fileName")?,
                        title: optional_str(file, "title")?,
                        alt_text: optional_str(file, "altText")?,
                    })
                }
                Some(_) => return None,
            };
            Some(TypedCall::CreatePostWithMedia(
                wit_commands::CreatePostWithMediaInput {
                    author: required_str(map, "author")?,
                    text: required_str(map, "text")?,
                    media_category: choice(map, "mediaCategory", POST_MEDIA_CATEGORIES)??,
                    media,
                    media_source,
                    wait_seconds: optional_u64(map, "waitSeconds")?,
                    text_format: choice(map, "textFormat", TEXT_FORMATS)?,
                    visibility: choice(map, "visibility", VISIBILITIES)?,
                    lifecycle_state: choice(map, "lifecycleState", LIFECYCLE_STATES)?,
                    disable_reshare: optional_bool(map, "disableReshare")?,
                    linkedin_version: optional_str(map, "linkedinVersion")?,
                },
            ))
        }
        "register-upload" => {
            only(
                map,
                &[
                    "owner",
                    "mediaCategory",
                    "fileSizeBytes",
                    "uploadCaptions",
                    "uploadThumbnail",
                    "linkedinVersion",
                ],
            )?;
            Some(TypedCall::RegisterUpload(
                wit_commands::RegisterUploadInput {
                    owner: required_str(map, "owner")?,
                    media_category: choice(map, "mediaCategory", MEDIA_CATEGORIES)??,
                    file_size_bytes: optional_u64(map, "fileSizeBytes")?,
                    upload_captions: optional_bool(map, "uploadCaptions")?,
                    upload_thumbnail: optional_bool(map, "uploadThumbnail")?,
                    linkedin_version: optional_str(map, "linkedinVersion")?,
                },
            ))
        }
        "upload-media" => {
            only(
                map,
                &[
                    "mediaCategory",
                    "uploadUrl",
                    "uploadInstructions",
                    "data",
                    "sourceUrl",
                    "contentType",
                    "mediaUrn",
                    "uploadToken",
                    "expiresAt",
                    "linkedinVersion",
                ],
            )?;
            let upload_instructions = match given(map, "uploadInstructions") {
                None => None,
                Some(Value::Array(items)) => Some(
                    items
                        .iter()
                        .map(|item| {
                            let part = item.as_object()?;
                            only(part, &["uploadUrl", "firstByte", "lastByte"])?;
                            Some(wit_commands::UploadInstruction {
                                upload_url: required_str(part, "uploadUrl")?,
                                first_byte: optional_u64(part, "firstByte")??,
                                last_byte: optional_u64(part, "lastByte")??,
                            })
                        })
                        .collect::<Option<_>>()?,
                ),
                Some(_) => return None,
            };
            Some(TypedCall::UploadMedia(wit_commands::UploadMediaInput {
                media_category: choice(map, "mediaCategory", MEDIA_CATEGORIES)?,
                upload_url: optional_str(map, "uploadUrl")?,
                upload_instructions,
                source: media_source(map)?,
                content_type: optional_str(map, "contentType")?,
                media_urn: optional_str(map, "mediaUrn")?,
                // "" is a real token value here, not "absent".
                upload_token: match map.get("uploadToken") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(_) => return None,
                },
                expires_at: optional_u64(map, "expiresAt")?,
                linkedin_version: optional_str(map, "linkedinVersion")?,
            }))
        }
        "get-media-status" => {
            only(map, &["mediaCategory", "mediaId", "linkedinVersion"])?;
            Some(TypedCall::GetMediaStatus(
                wit_commands::GetMediaStatusInput {
                    media_category: choice(map, "mediaCategory", MEDIA_CATEGORIES)??,
                    media_id: required_str(map, "mediaId")?,
                    linkedin_version: optional_str(map, "linkedinVersion")?,
                },
            ))
        }
        "custom-action" => {
            only(
                map,
                &[
                    "method",
                    "path",
                    "query",
                    "headers",
                    "body",
                    "linkedinVersion",
                ],
            )?;
            let method = match map
                .get("method")?
                .as_str()?
                .trim()
                .to_ascii_uppercase()
                .as_str()
            {
                "GET" => wit_commands::HttpMethod::Get,
                "POST" => wit_commands::HttpMethod::Post,
                "PUT" => wit_commands::HttpMethod::Put,
                "PATCH" => wit_commands::HttpMethod::Patch,
                "DELETE" => wit_commands::HttpMethod::Delete,
                _ => return None,
            };
            Some(TypedCall::CustomAction(wit_commands::CustomActionInput {
                method,
                path: required_str(map, "path")?,
                query: string_pairs(map, "query")?,
                headers: string_pairs(map, "headers")?,
                // The typed body is text: JSON values travel as their JSON text.
                body: match map.get("body") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(s)) if s.is_empty() => None,
                    Some(Value::String(s)) => Some(s.clone()),
                    Some(other) => Some(other.to_string()),
                },
                linkedin_version: optional_str(map, "linkedinVersion")?,
            }))
        }
        "answer-webhook-challenge" => {
            only(map, &["challengeCode"])?;
            Some(TypedCall::AnswerWebhookChallenge(required_str(
                map,
                "challengeCode",
            )?))
        }
        "parse-lead-notification" => {
            only(map, &["headers", "body", "fetchLead", "linkedinVersion"])?;
            Some(TypedCall::ParseLeadNotification(
                wit_commands::ParseLeadNotificationInput {
                    headers: string_pairs(map, "headers")?,
                    body: required_str(map, "body")?,
                    fetch_lead: optional_bool(map, "fetchLead")?,
                    linkedin_version: optional_str(map, "linkedinVersion")?,
                },
            ))
        }
        "get-lead" => {
            only(map, &["lead", "linkedinVersion"])?;
            Some(TypedCall::GetLead(wit_commands::GetLeadInput {
                lead: required_str(map, "lead")?,
                linkedin_version: optional_str(map, "linkedinVersion")?,
            }))
        }
        _ => None,
    }
}

/// An object of name to text as a list of pairs (absent: empty); other values have no typed form.
fn string_pairs(map: &Map<String, Value>, key: &str) -> Option<Vec<(String, String)>> {
    match map.get(key) {
        None | Some(Value::Null) => Some(Vec::new()),
        Some(Value::Object(o)) => o
            .iter()
            .map(|(k, v)| Some((k.clone(), v.as_str()?.to_string())))
            .collect(),
        Some(_) => None,
    }
}

const TEXT_FORMATS: &[(&str, wit_types::TextFormat)] = &[
    ("auto", wit_types::TextFormat::Auto),
    ("literal", wit_types::TextFormat::Literal),
    ("little", wit_types::TextFormat::Little),
];

const VISIBILITIES: &[(&str, wit_types::Visibility)] = &[
    ("PUBLIC", wit_types::Visibility::Public),
    ("CONNECTIONS", wit_types::Visibility::Connections),
    ("LOGGED_IN", wit_types::Visibility::LoggedIn),
];

const LIFECYCLE_STATES: &[(&str, wit_types::LifecycleState)] = &[
    ("PUBLISHED", wit_types::LifecycleState::Published),
    ("DRAFT", wit_types::LifecycleState::Draft),
];

const MEDIA_CATEGORIES: &[(&str, wit_commands::MediaCategory)] = &[
    ("image", wit_commands::MediaCategory::Image),
    ("video", wit_commands::MediaCategory::Video),
    ("document", wit_commands::MediaCategory::Document),
];

const POST_MEDIA_CATEGORIES: &[(&str, wit_commands::PostMediaCategory)] = &[
    ("IMAGE", wit_commands::PostMediaCategory::Image),
    ("VIDEO", wit_commands::PostMediaCategory::Video),
    ("ARTICLE", wit_commands::PostMediaCategory::Article),
    ("DOCUMENT", wit_commands::PostMediaCategory::Document),
];

/// Exactly one of `data` / `sourceUrl`.
fn media_source(map: &Map<String, Value>) -> Option<wit_commands::MediaSource> {
    match (optional_str(map, "data")?, optional_str(map, "sourceUrl")?) {
        (Some(data), None) => Some(wit_commands::MediaSource::Data(data)),
        (None, Some(url)) => Some(wit_commands::MediaSource::SourceUrl(url)),
        _ => None,
    }
}

/// A media item in the plain shape or LinkedIn's UGC shape (`media`, `title: {text}`,
/// `description: {text}`, `originalUrl`).
fn media_item(value: &Value) -> Option<wit_commands::MediaItem> {
    let item = value.as_object()?;
    only(
        item,
        &[
            "id",
            "media",
            "status",
            "title",
            "altText",
            "description",
            "originalUrl",
            "source",
            "thumbnail",
            "owner",
        ],
    )?;
    let (id, media) = (optional_str(item, "id")?, optional_str(item, "media")?);
    if id.is_some() && media.is_some() && id != media {
        return None;
    }
    let (source, original) = (
        optional_str(item, "source")?,
        optional_str(item, "originalUrl")?,
    );
    Some(wit_commands::MediaItem {
        id: id.or(media),
        title: text_or_wrapped(item, "title")?,
        alt_text: optional_str(item, "altText")?,
        description: text_or_wrapped(item, "description")?,
        source: source.or(original),
        thumbnail: optional_str(item, "thumbnail")?,
        owner: optional_str(item, "owner")?,
    })
}

/// A string, or the UGC wrapper `{"text": "..."}`.
fn text_or_wrapped(map: &Map<String, Value>, key: &str) -> Option<Option<String>> {
    match given(map, key) {
        Some(Value::Object(o)) => match o.get("text") {
            None | Some(Value::Null) => Some(None),
            Some(Value::String(s)) if s.is_empty() => Some(None),
            Some(Value::String(s)) => Some(Some(s.clone())),
            Some(_) => None,
        },
        _ => optional_str(map, key),
    }
}

fn optional_u64(map: &Map<String, Value>, key: &str) -> Option<Option<u64>> {
    match given(map, key) {
        None => Some(None),
        Some(Value::Number(n)) => n.as_u64().map(Some),
        Some(Value::String(s)) => s.trim().parse().ok().map(Some),
        Some(_) => None,
    }
}

/// Runs the typed call on `instance`: the output or the error, both as JSON.
pub async fn run(
    instance: &Connector,
    store: &mut Store<State>,
    call: TypedCall,
) -> Result<Result<Value, Value>> {
    let commands = instance.connector_linkedin_commands();
    Ok(match call {
        TypedCall::GetUserInfo => commands
            .call_get_user_info(&mut *store)
            .await?
            .map(|o| user_info(&o))
            .map_err(|e| error(&e)),
        TypedCall::CreatePost(input) => commands
            .call_create_post(&mut *store, &input)
            .await?
            .map(|o| post_created(&o))
            .map_err(|e| error(&e)),
        TypedCall::CreatePostWithMedia(input) => commands
            .call_create_post_with_media(&mut *store, &input)
            .await?
            .map(|o| post_created(&o))
            .map_err(|e| error(&e)),
        TypedCall::RegisterUpload(input) => commands
            .call_register_upload(&mut *store, &input)
            .await?
            .map(|o| upload_registered(&o))
            .map_err(|e| error(&e)),
        TypedCall::UploadMedia(input) => commands
            .call_upload_media(&mut *store, &input)
            .await?
            .map(|o| json!({"mediaUrn": o.media_urn, "partIds": o.part_ids, "bytesUploaded": o.bytes_uploaded}))
            .map_err(|e| error(&e)),
        TypedCall::GetMediaStatus(input) => commands
            .call_get_media_status(&mut *store, &input)
            .await?
            .map(|o| media_status(&o))
            .map_err(|e| error(&e)),
        TypedCall::CustomAction(input) => commands
            .call_custom_action(&mut *store, &input)
            .await?
            .map(|o| custom_action_result(&o))
            .map_err(|e| error(&e)),
        TypedCall::AnswerWebhookChallenge(code) => commands
            .call_answer_webhook_challenge(&mut *store, &code)
            .await?
            .map(|o| json!({"challengeCode": o.challenge_code, "challengeResponse": o.challenge_response}))
            .map_err(|e| error(&e)),
        TypedCall::ParseLeadNotification(input) => commands
            .call_parse_lead_notification(&mut *store, &input)
            .await?
            .map(|list| json!({"notifications": list.iter().map(lead_notification).collect::<Vec<_>>()}))
            .map_err(|e| error(&e)),
        TypedCall::GetLead(input) => commands
            .call_get_lead(&mut *store, &input)
            .await?
            .map(|o| lead(&o))
            .map_err(|e| error(&e)),
    })
}

fn only(map: &Map<String, Value>, known: &[&str]) -> Option<()> {
    map.keys()
        .all(|k| known.contains(&k.as_str()))
        .then_some(())
}

/// Absent, `null` and `""` mean "not given" for optional fields (as in the contract).
fn given<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    match map.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(v) => Some(v),
    }
}

fn required_str(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key)?.as_str().map(str::to_string)
}

/// `Some(None)` when absent, `None` when not expressible.
fn optional_str(map: &Map<String, Value>, key: &str) -> Option<Option<String>> {
    match given(map, key) {
        None => Some(None),
        Some(Value::String(s)) => Some(Some(s.clone())),
        Some(_) => None,
    }
}

fn optional_bool(map: &Map<String, Value>, key: &str) -> Option<Option<bool>> {
    match given(map, key) {
        None => Some(None),
        Some(Value::Bool(b)) => Some(Some(*b)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Some(Some(true)),
        Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Some(Some(false)),
        Some(_) => None,
    }
}

fn choice<T: Copy>(map: &Map<String, Value>, key: &str, values: &[(&str, T)]) -> Option<Option<T>> {
    match given(map, key) {
        None => Some(None),
        Some(Value::String(s)) => {
            let s = s.trim();
            values
                .iter()
                .find(|(name, _)| {
                    name.eq_ignore_ascii_case(s) || name.replace('_', "-").eq_ignore_ascii_case(s)
                })
                .map(|(_, v)| Some(*v))
        }
        Some(_) => None,
    }
}

/// `raw` travels as JSON text in WIT; in JSON outputs it is the JSON value itself.
fn raw(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()))
}

pub fn user_info(o: &wit_commands::UserInfo) -> Value {
    json!({
        "sub": o.sub,
        "personUrn": o.person_urn,
        "name": o.name,
        "givenName": o.given_name,
        "familyName": o.family_name,
        "email": o.email,
        "emailVerified": o.email_verified,
        "picture": o.picture,
        "locale": o.locale,
        "raw": raw(&o.raw),
    })
}

pub fn post_created(o: &wit_commands::PostCreated) -> Value {
    let mut out = json!({"id": o.id, "url": o.url});
    if let Some(text) = &o.raw {
        out["raw"] = raw(text);
    }
    out
}

pub fn upload_registered(o: &wit_commands::UploadRegistered) -> Value {
    json!({
        "mediaUrn": o.media_urn,
        "owner": o.owner,
        "uploadUrl": o.upload_url,
        "uploadInstructions": o.upload_instructions.iter().map(|p| json!({
            "uploadUrl": p.upload_url, "firstByte": p.first_byte, "lastByte": p.last_byte,
        })).collect::<Vec<_>>(),
        "uploadToken": o.upload_token,
        "expiresAt": o.expires_at,
        "uploadHeaders": o.upload_headers.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<Map<_, _>>(),
        "raw": raw(&o.raw),
    })
}

pub fn custom_action_result(o: &wit_commands::CustomActionResult) -> Value {
    let headers: Map<String, Value> = o
        .headers
        .iter()
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    let mut out = json!({"status": o.status, "headers": headers});
    match (&o.body, o.body_is_json) {
        (Some(text), true) => {
            out["body"] = raw(text);
            out["raw"] = raw(text);
        }
        (Some(text), false) => out["body"] = json!(text),
        (None, _) => out["body"] = Value::Null,
    }
    out
}

/// JSON text carried in WIT as a string, back to JSON (`null` when absent).
fn json_text(text: &Option<String>) -> Value {
    text.as_deref().map(raw).unwrap_or(Value::Null)
}

pub fn lead(o: &wit_commands::Lead) -> Value {
    json!({
        "leadUrn": o.lead_urn,
        "leadId": o.lead_id,
        "submittedAt": o.submitted_at,
        "testLead": o.test_lead,
        "formUrn": o.form_urn,
        "formId": o.form_id,
        "formVersion": o.form_version,
        "formName": o.form_name,
        "leadType": o.lead_type,
        "owner": json_text(&o.owner),
        "submitter": o.submitter,
        "answers": o.answers.iter().map(|a| {
            let mut answer = json!({
                "questionId": a.question_id,
                "question": a.question,
                "predefinedField": a.predefined_field,
            });
            if let Some(value) = &a.value {
                answer["value"] = json!(value);
            }
            if let Some(values) = &a.values {
                answer["values"] = json!(values);
            }
            answer
        }).collect::<Vec<_>>(),
        "fields": o.fields.iter().map(|(k, v)| (k.clone(), json!(v))).collect::<Map<_, _>>(),
        "raw": raw(&o.raw),
    })
}

pub fn lead_notification(o: &wit_commands::LeadNotification) -> Value {
    let mut out = json!({
        "leadUrn": o.lead_urn,
        "leadId": o.lead_id,
        "action": o.action,
        "leadType": o.lead_type,
        "formUrn": o.form_urn,
        "formId": o.form_id,
        "formVersion": o.form_version,
        "owner": json_text(&o.owner),
        "associatedEntity": json_text(&o.associated_entity),
        "occurredAt": o.occurred_at,
    });
    if let Some(l) = &o.lead {
        out["lead"] = lead(l);
    }
    out
}

pub fn media_status(o: &wit_commands::MediaStatus) -> Value {
    json!({
        "mediaUrn": o.media_urn,
        "status": match o.status {
            wit_commands::MediaState::WaitingUpload => "WAITING_UPLOAD",
            wit_commands::MediaState::Processing => "PROCESSING",
            wit_commands::MediaState::Available => "AVAILABLE",
            wit_commands::MediaState::ProcessingFailed => "PROCESSING_FAILED",
        },
        "downloadUrl": o.download_url,
        "failureReason": o.failure_reason,
        "raw": raw(&o.raw),
    })
}

/// The JSON form of the WIT error (DESIGN §4): `kind`, `message`, payload in camelCase.
pub fn error(e: &wit_types::Error) -> Value {
    use wit_types::Error as E;
    let status = |s: &wit_types::StatusError| {
        json!({
            "message": s.message, "status": s.status,
            "serviceErrorCode": s.service_error_code, "code": s.code,
        })
    };
    let (kind, mut body) = match e {
        E::InvalidInput(p) => (
            "invalid-input",
            json!({"message": p.message, "field": p.field}),
        ),
        E::Credentials(m) => ("credentials", json!({"message": m})),
        E::Unauthorized(p) => ("unauthorized", status(p)),
        E::Forbidden(p) => (
            "forbidden",
            json!({
                "message": p.message, "status": p.status,
                "serviceErrorCode": p.service_error_code, "code": p.code,
                "requiredScopes": p.required_scopes,
            }),
        ),
        E::NotFound(p) => ("not-found", status(p)),
        E::Duplicate(p) => (
            "duplicate",
            json!({"message": p.message, "status": p.status, "existingId": p.existing_id}),
        ),
        E::RateLimited(p) => (
            "rate-limited",
            json!({
                "message": p.message, "status": p.status,
                "scope": match p.scope {
                    wit_types::RateLimitScope::Daily => "daily",
                    wit_types::RateLimitScope::Throttle => "throttle",
                    wit_types::RateLimitScope::Unknown => "unknown",
                },
                "retryAfterSeconds": p.retry_after_seconds,
            }),
        ),
        E::VersionRetired(p) => (
            "version-retired",
            json!({"message": p.message, "version": p.version}),
        ),
        E::InvalidSignature(m) => ("invalid-signature", json!({"message": m})),
        E::Api(p) => (
            "api",
            json!({
                "message": p.message, "status": p.status,
                "serviceErrorCode": p.service_error_code, "code": p.code, "body": p.body,
            }),
        ),
        E::Transport(p) => (
            "transport",
            json!({
                "message": p.message,
                "reason": match p.reason {
                    wit_types::TransportReason::Dns => "dns",
                    wit_types::TransportReason::ConnectionRefused => "connection-refused",
                    wit_types::TransportReason::Timeout => "timeout",
                    wit_types::TransportReason::Tls => "tls",
                    wit_types::TransportReason::Denied => "denied",
                    wit_types::TransportReason::Other => "other",
                },
            }),
        ),
        E::Decode(p) => ("decode", json!({"message": p.message, "status": p.status})),
        E::MediaUnavailable(p) => (
            "media-unavailable",
            json!({
                "message": p.message, "mediaUrn": p.media_urn, "status": p.status,
                "failureReason": p.failure_reason,
            }),
        ),
    };
    body["kind"] = json!(kind);
    body
}

/// The catalog as JSON (what `host-test describe` prints).
pub fn catalog(c: &wit_datasource::Catalog) -> Value {
    let parse = |text: &Option<String>| -> Value {
        text.as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or(Value::Null)
    };
    json!({
        "name": c.name,
        "version": c.version,
        "defaultLinkedinVersion": c.default_linkedin_version,
        "commands": c.commands.iter().map(|cmd| json!({
            "name": cmd.name,
            "title": cmd.title,
            "description": cmd.description,
            "scopes": cmd.scopes,
            "linkedinCalls": cmd.linkedin_calls,
            "params": cmd.params.iter().map(|p| json!({
                "name": p.name,
                "title": p.title,
                "type": match p.param_type {
                    wit_datasource::ParamType::String => "string",
                    wit_datasource::ParamType::Integer => "integer",
                    wit_datasource::ParamType::Boolean => "boolean",
                    wit_datasource::ParamType::Object => "object",
                    wit_datasource::ParamType::Array => "array",
                },
                "required": p.required,
                "enum": p.enum_values,
                "default": parse(&p.default_value),
                "description": p.description,
                "example": parse(&p.example),
            })).collect::<Vec<_>>(),
            "inputSchema": serde_json::from_str::<Value>(&cmd.input_schema).unwrap_or(Value::Null),
        })).collect::<Vec<_>>(),
    })
}
