//! The one error type of the connector, its JSON form, and the one function that turns a LinkedIn
//! answer into it ([`from_response`]).
//!
//! Each case carries a payload struct that mirrors the WIT record of the same name, and the JSON
//! form (`{"kind": ..., "message": ..., payload}`) is serde's internally tagged enum: the typed
//! WIT error and `execute-json`'s error both come from this one definition.

use std::fmt;

use http::HeaderMap;
use serde::Serialize;
use serde_json::Value;

use crate::core::http::{TransportError, TransportReason};
use crate::core::spec;

/// The error of every command. Mirrors the WIT `error` variant case for case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Error {
    InvalidInput(InvalidInput),
    Credentials(Message),
    Unauthorized(StatusError),
    Forbidden(Forbidden),
    NotFound(StatusError),
    Duplicate(Duplicate),
    RateLimited(RateLimited),
    VersionRetired(VersionRetired),
    InvalidSignature(Message),
    Api(ApiError),
    Transport(Transport),
    Decode(Decode),
    MediaUnavailable(MediaUnavailable),
}

/// The payload of the cases that carry only a sentence.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InvalidInput {
    /// The JSON name of the offending field (`author`, `media[1].id`).
    pub field: String,
    pub message: String,
}

/// What LinkedIn said about a failed call. Every field is optional in LinkedIn's bodies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusError {
    pub status: u16,
    pub service_error_code: Option<i64>,
    pub code: Option<String>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Forbidden {
    pub status: u16,
    pub service_error_code: Option<i64>,
    pub code: Option<String>,
    /// The scopes the command needs; the account lacks one of them or the page role.
    pub required_scopes: Vec<String>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Duplicate {
    pub status: u16,
    pub existing_id: Option<String>,
    pub message: String,
}

/// Which LinkedIn limit a 429 hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RateLimitScope {
    Daily,
    Throttle,
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RateLimited {
    pub status: u16,
    pub scope: RateLimitScope,
    pub retry_after_seconds: Option<u32>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VersionRetired {
    pub version: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    pub status: u16,
    pub service_error_code: Option<i64>,
    pub code: Option<String>,
    /// The body as LinkedIn sent it (secrets removed, cut at 16 KiB).
    pub body: Option<String>,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Transport {
    pub reason: TransportReason,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decode {
    /// The 2xx status of the unreadable answer; 0 when the body did not come from LinkedIn's
    /// API (a webhook body).
    pub status: u16,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaUnavailable {
    pub media_urn: String,
    pub status: String,
    pub failure_reason: Option<String>,
    pub message: String,
}

impl Error {
    /// An `invalid-input` error for `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::InvalidInput(InvalidInput {
            field: field.into(),
            message: message.into(),
        })
    }

    /// A `credentials` error.
    pub fn credentials(message: impl Into<String>) -> Error {
        Error::Credentials(Message {
            message: message.into(),
        })
    }

    /// An `invalid-signature` error.
    pub fn invalid_signature(message: impl Into<String>) -> Error {
        Error::InvalidSignature(Message {
            message: message.into(),
        })
    }

    /// A `decode` error: LinkedIn (status 0: a webhook body) sent something unreadable.
    pub fn decode(status: u16, message: impl Into<String>) -> Error {
        Error::Decode(Decode {
            status,
            message: message.into(),
        })
    }

    /// The case name, as in WIT and in the JSON `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidInput(_) => "invalid-input",
            Error::Credentials(_) => "credentials",
            Error::Unauthorized(_) => "unauthorized",
            Error::Forbidden(_) => "forbidden",
            Error::NotFound(_) => "not-found",
            Error::Duplicate(_) => "duplicate",
            Error::RateLimited(_) => "rate-limited",
            Error::VersionRetired(_) => "version-retired",
            Error::InvalidSignature(_) => "invalid-signature",
            Error::Api(_) => "api",
            Error::Transport(_) => "transport",
            Error::Decode(_) => "decode",
            Error::MediaUnavailable(_) => "media-unavailable",
        }
    }

    /// The field an `invalid-input` error names.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::InvalidInput(e) => Some(&e.field),
            _ => None,
        }
    }

    /// The one sentence for the platform's user.
    pub fn message(&self) -> &str {
        match self {
            Error::InvalidInput(InvalidInput { message, .. })
            | Error::Credentials(Message { message })
            | Error::InvalidSignature(Message { message })
            | Error::Unauthorized(StatusError { message, .. })
            | Error::NotFound(StatusError { message, .. })
            | Error::Forbidden(Forbidden { message, .. })
            | Error::Duplicate(Duplicate { message, .. })
            | Error::RateLimited(RateLimited { message, .. })
            | Error::VersionRetired(VersionRetired { message, .. })
            | Error::Api(ApiError { message, .. })
            | Error::Transport(Transport { message, .. })
            | Error::Decode(Decode { message, .. })
            | Error::MediaUnavailable(MediaUnavailable { message, .. }) => message,
        }
    }

    /// Every text of the error, the message first: what redaction and prefixes work on.
    fn texts_mut(&mut self) -> Vec<&mut String> {
        match self {
            Error::InvalidInput(InvalidInput { field, message }) => vec![message, field],
            Error::Credentials(Message { message })
            | Error::InvalidSignature(Message { message })
            | Error::RateLimited(RateLimited { message, .. })
            | Error::VersionRetired(VersionRetired { message, .. })
            | Error::Transport(Transport { message, .. })
            | Error::Decode(Decode { message, .. }) => vec![message],
            Error::Unauthorized(StatusError { message, code, .. })
            | Error::NotFound(StatusError { message, code, .. })
            | Error::Forbidden(Forbidden { message, code, .. }) => {
                std::iter::once(message).chain(code.as_mut()).collect()
            }
            Error::Duplicate(Duplicate {
                message,
                existing_id,
                ..
            }) => std::iter::once(message)
                .chain(existing_id.as_mut())
                .collect(),
            Error::Api(ApiError {
                message,
                code,
                body,
                ..
            }) => std::iter::once(message)
                .chain(code.as_mut())
                .chain(body.as_mut())
                .collect(),
            Error::MediaUnavailable(MediaUnavailable {
                message,
                failure_reason,
                ..
            }) => std::iter::once(message)
                .chain(failure_reason.as_mut())
                .collect(),
        }
    }

    /// The error with `text` in front of its message (saying which step of a longer command
    /// failed), everything else unchanged.
    pub fn prefixed(mut self, text: &str) -> Error {
        if let Some(message) = self.texts_mut().into_iter().next() {
            message.insert_str(0, text);
        }
        self
    }

    /// Replaces every occurrence of each secret in the error's texts with `[redacted]`.
    pub fn redact(&mut self, secrets: &[String]) {
        for text in self.texts_mut() {
            redact_text(text, secrets);
        }
    }

    /// The JSON form, as `execute-json` and fixtures see it.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

/// A value from the input or from LinkedIn, quoted for an error message and cut after 64
/// characters (`"abc…"…`): an error names what was wrong without echoing a megabyte back.
pub fn quoted(text: &str) -> String {
    const MAX_CHARS: usize = 64;
    match text.char_indices().nth(MAX_CHARS) {
        Some((cut, _)) => format!("{:?}…", text.get(..cut).unwrap_or_default()),
        None => format!("{text:?}"),
    }
}

/// Replaces each (non-empty) secret in `text` with `[redacted]`, in every form
/// [`redact`](crate::core::redact) knows: as written, JSON-escaped, percent-encoded and behind
/// little-text escapes.
pub fn redact_text(text: &mut String, secrets: &[String]) {
    crate::core::redact::in_place(text, secrets);
}

/// What the caller was doing, so a failure can say what to fix.
pub struct ErrorContext<'a> {
    /// The `LinkedIn-Version` sent, if any (for 426).
    pub version: Option<&'a str>,
    /// The scopes the call needs (for 403), as [`Spec::scopes`](spec::Spec::scopes) writes
    /// them: `"a|b"` for either, a trailing `?` for optional.
    pub scopes: &'a [&'a str],
    /// The role the call needs besides the scopes (for 403), as
    /// [`Spec::role`](spec::Spec::role) writes it.
    pub role: &'a str,
}

/// The error bodies LinkedIn sends are small; anything bigger is cut for the `api` payload.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// What LinkedIn's error body says: `message`, `code`, `serviceErrorCode`, all optional.
#[derive(Default)]
struct Said {
    message: Option<String>,
    code: Option<String>,
    service_error_code: Option<i64>,
}

impl Said {
    fn read(body: &[u8]) -> Said {
        let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
            return Said::default();
        };
        Said {
            message: fields
                .get("message")
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|m| !m.is_empty())
                .map(str::to_string),
            code: fields
                .get("code")
                .and_then(Value::as_str)
                .map(str::to_string),
            service_error_code: fields.get("serviceErrorCode").and_then(Value::as_i64),
        }
    }

    /// "LinkedIn says: …", or `fallback` when it said nothing.
    fn says(&self, fallback: &str) -> String {
        match &self.message {
            Some(m) => format!("LinkedIn says: {m}"),
            None => fallback.to_string(),
        }
    }

    fn status_error(&self, status: u16, message: String) -> StatusError {
        StatusError {
            status,
            service_error_code: self.service_error_code,
            code: self.code.clone(),
            message,
        }
    }
}

/// Maps a non-2xx LinkedIn answer to the error variant. Every arm has a fixture.
pub fn from_response(
    status: u16,
    headers: &HeaderMap,
    body: &[u8],
    context: &ErrorContext<'_>,
) -> Error {
    let said = Said::read(body);
    match status {
        401 => {
            let why = match said.code.as_deref() {
                Some("EXPIRED_ACCESS_TOKEN") => "the access token has expired",
                Some("REVOKED_ACCESS_TOKEN") => "the access token was revoked",
                _ => "the access token is invalid, expired or revoked",
            };
            Error::Unauthorized(said.status_error(
                status,
                format!(
                    "LinkedIn rejected the request because {why} ({}); reconnect the LinkedIn \
                     account.",
                    said.says("no detail given")
                ),
            ))
        }
        403 => {
            let needs = spec::needs(context.scopes)
                .unwrap_or_else(|| String::from("the permission for this call"));
            Error::Forbidden(Forbidden {
                status,
                service_error_code: said.service_error_code,
                code: said.code.clone(),
                required_scopes: spec::scope_names(context.scopes)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
                message: format!(
                    "LinkedIn denied access ({}); the connected account needs {needs}{}.",
                    said.says("no detail given"),
                    match context.role {
                        "" => String::new(),
                        role => format!(", and {role}"),
                    }
                ),
            })
        }
        404 => Error::NotFound(said.status_error(
            status,
            format!(
                "LinkedIn has no such resource, or hides it from this account ({}).",
                said.says("no detail given")
            ),
        )),
        422 if is_duplicate(said.message.as_deref()) => {
            let existing_id = said.message.as_deref().and_then(find_post_urn);
            let of = existing_id
                .as_deref()
                .map(|id| format!(" of {id}"))
                .unwrap_or_default();
            Error::Duplicate(Duplicate {
                status,
                existing_id,
                message: format!(
                    "LinkedIn refused the post as a duplicate{of}; change the text or wait about \
                     ten minutes."
                ),
            })
        }
        426 => {
            let version = context.version.unwrap_or("(none)").to_string();
            Error::VersionRetired(VersionRetired {
                message: format!(
                    "LinkedIn no longer serves API version {version} ({}); set the \
                     linkedinVersion setting to an active version (YYYYMM, each is served for \
                     about a year).",
                    said.says("426 Upgrade Required")
                ),
                version,
            })
        }
        429 => rate_limited(headers, said.message.as_deref()),
        _ => {
            let mut text = String::from_utf8_lossy(body).into_owned();
            if text.len() > MAX_ERROR_BODY {
                let mut cut = MAX_ERROR_BODY;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
            }
            let hint = if status >= 500 {
                " LinkedIn had a server error; retrying later may succeed."
            } else {
                ""
            };
            Error::Api(ApiError {
                status,
                service_error_code: said.service_error_code,
                code: said.code.clone(),
                body: (!text.is_empty()).then_some(text),
                message: format!(
                    "LinkedIn answered HTTP {status} ({}).{hint}",
                    said.says("no detail given")
                ),
            })
        }
    }
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn is_duplicate(message: Option<&str>) -> bool {
    message.is_some_and(|m| m.to_ascii_lowercase().contains("duplicate"))
}

/// The first `urn:li:share:…` or `urn:li:ugcPost:…` in a message.
fn find_post_urn(message: &str) -> Option<String> {
    ["urn:li:share:", "urn:li:ugcPost:"]
        .iter()
        .filter_map(|prefix| {
            message
                .split_once(prefix)
                .map(|(before, after)| (before.len(), *prefix, after))
        })
        .min_by_key(|(at, _, _)| *at)
        .and_then(|(_, prefix, after)| {
            let id: String = after
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            (!id.is_empty()).then(|| format!("{prefix}{id}"))
        })
}

fn rate_limited(headers: &HeaderMap, message: Option<&str>) -> Error {
    let lower = message.unwrap_or("").to_ascii_lowercase();
    let scope = if lower.contains("day limit") || lower.contains("daily") {
        RateLimitScope::Daily
    } else if lower.contains("throttle") {
        RateLimitScope::Throttle
    } else {
        RateLimitScope::Unknown
    };
    let retry_after = header(headers, "retry-after")
        .and_then(|v| v.trim().parse::<u32>().ok())
        .or_else(|| {
            (scope == RateLimitScope::Daily)
                .then(|| header(headers, "date").and_then(seconds_to_utc_midnight))
                .flatten()
        });
    let when = match retry_after {
        Some(s) => format!(" Retry in {s} s."),
        None => String::new(),
    };
    let message = match scope {
        RateLimitScope::Daily => format!(
            "LinkedIn's daily quota for this call is used up; it resets at 00:00 UTC.{when}"
        ),
        RateLimitScope::Throttle => {
            format!("LinkedIn is throttling calls to this resource; retry after a pause.{when}")
        }
        RateLimitScope::Unknown => {
            format!("LinkedIn's rate limit was reached; retry later with back-off.{when}")
        }
    };
    Error::RateLimited(RateLimited {
        status: 429,
        scope,
        retry_after_seconds: retry_after,
        message,
    })
}

/// Seconds from an HTTP `Date` (IMF-fixdate, `Mon, 23 Nov 2026 13:21:53 GMT`) to the next
/// 00:00 UTC. Only the time of day matters, so only that is parsed.
fn seconds_to_utc_midnight(date: &str) -> Option<u32> {
    let mut parts = date.split_ascii_whitespace();
    let time = parts.nth(4)?;
    if parts.next()? != "GMT" {
        return None;
    }
    let mut hms = time.split(':').map(|p| p.parse::<u32>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    if hms.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(86_400 - (h * 3600 + m * 60 + s.min(59)))
}

/// A transport failure as the error variant; `target` says what was being reached ("reach
/// LinkedIn", "fetch the media source").
pub fn transport(error: &TransportError, target: &str) -> Error {
    let what = match error.reason {
        TransportReason::Dns => "the host name could not be resolved",
        TransportReason::ConnectionRefused => "the connection was refused",
        TransportReason::Timeout => "the request timed out",
        TransportReason::Tls => "the TLS handshake failed",
        TransportReason::Denied => "the platform refused to send the request",
        TransportReason::Other => "the HTTP request failed",
    };
    let detail = if error.detail.is_empty() {
        String::new()
    } else {
        format!(" ({})", error.detail)
    };
    Error::Transport(Transport {
        reason: error.reason,
        message: format!("Could not {target}: {what}{detail}; retry later."),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_cut_after_64_characters() {
        assert_eq!(quoted("a\"b"), r#""a\"b""#);
        assert_eq!(quoted(&"x".repeat(64)), format!("{:?}", "x".repeat(64)));
        assert_eq!(
            quoted(&"é".repeat(1 << 20)),
            format!("{:?}…", "é".repeat(64))
        );
    }

    const CONTEXT: ErrorContext<'static> = ErrorContext {
        version: Some("202609"),
        scopes: &["w_member_social"],
        role: spec::PAGE_ROLE,
    };

    fn map(status: u16, body: &str) -> Error {
        from_response(status, &HeaderMap::new(), body.as_bytes(), &CONTEXT)
    }

    #[test]
    fn maps_each_status() {
        assert_eq!(map(401, "{}").kind(), "unauthorized");
        assert_eq!(map(403, "").kind(), "forbidden");
        assert_eq!(map(404, "").kind(), "not-found");
        assert_eq!(
            map(
                422,
                r#"{"message":"Content is a duplicate of urn:li:share:1"}"#
            )
            .kind(),
            "duplicate"
        );
        assert_eq!(
            map(422, r#"{"message":"Field /author is invalid"}"#).kind(),
            "api"
        );
        assert_eq!(map(426, "").kind(), "version-retired");
        assert_eq!(map(429, "").kind(), "rate-limited");
        assert_eq!(map(500, "oops").kind(), "api");
        assert_eq!(map(400, "").kind(), "api");
    }

    #[test]
    fn duplicate_names_the_existing_post() {
        let Error::Duplicate(Duplicate { existing_id, .. }) = map(
            422,
            r#"{"message":"Content is a duplicate of urn:li:ugcPost:7045020441609936898."}"#,
        ) else {
            panic!("not a duplicate")
        };
        assert_eq!(
            existing_id.as_deref(),
            Some("urn:li:ugcPost:7045020441609936898")
        );
    }

    #[test]
    fn expired_token_is_named() {
        let e = map(
            401,
            r#"{"status":401,"serviceErrorCode":65600,"code":"EXPIRED_ACCESS_TOKEN","message":"The token used in the request has expired"}"#,
        );
        assert!(e.message().contains("has expired"), "{}", e.message());
        assert_eq!(e.to_json()["serviceErrorCode"], 65600);
    }

    #[test]
    fn daily_quota_waits_for_midnight() {
        let mut headers = HeaderMap::new();
        headers.insert("date", "Mon, 23 Nov 2026 23:00:00 GMT".parse().unwrap());
        let e = from_response(
            429,
            &headers,
            br#"{"message":"DAY limit for calls to this resource is reached."}"#,
            &CONTEXT,
        );
        assert_eq!(
            e,
            Error::RateLimited(RateLimited {
                status: 429,
                scope: RateLimitScope::Daily,
                retry_after_seconds: Some(3600),
                message: e.message().to_string(),
            })
        );
    }

    #[test]
    fn retry_after_header_wins() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", "30".parse().unwrap());
        let e = from_response(429, &headers, b"", &CONTEXT);
        assert_eq!(e.to_json()["retryAfterSeconds"], 30);
        assert_eq!(e.to_json()["scope"], "unknown");
    }

    #[test]
    fn midnight_parse_rejects_garbage() {
        assert_eq!(
            seconds_to_utc_midnight("Mon, 23 Nov 2026 00:00:00 GMT"),
            Some(86_400)
        );
        assert_eq!(seconds_to_utc_midnight("yesterday"), None);
        assert_eq!(
            seconds_to_utc_midnight("Mon, 23 Nov 2026 25:00:00 GMT"),
            None
        );
    }

    #[test]
    fn redaction_reaches_every_text() {
        let mut e = map(500, r#"{"message":"bad token SECRET"}"#);
        e.redact(&["SECRET".to_string()]);
        let text = e.to_json().to_string();
        assert!(!text.contains("SECRET"), "{text}");
        assert!(text.contains("[redacted]"));
    }

    #[test]
    fn json_form_is_kind_message_and_payload() {
        let e = Error::invalid("author", "`author` is required.");
        assert_eq!(
            e.to_json(),
            serde_json::json!({"kind": "invalid-input", "field": "author", "message": "`author` is required."})
        );
        let e = map(429, "");
        assert_eq!(e.to_json()["kind"], "rate-limited");
        assert_eq!(e.to_json()["retryAfterSeconds"], Value::Null);
        assert_eq!(e.to_string(), e.message());
    }

    #[test]
    fn long_error_bodies_are_cut_on_a_char_boundary() {
        let body = "é".repeat(MAX_ERROR_BODY);
        let Error::Api(ApiError {
            body: Some(kept), ..
        }) = map(502, &body)
        else {
            panic!("not api")
        };
        assert!(kept.len() <= MAX_ERROR_BODY);
    }
}
