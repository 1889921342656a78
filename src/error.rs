//! The one error type of the connector, its JSON form, and the one function that turns a LinkedIn
//! answer into it ([`from_response`]).

use serde_json::{Map, Value, json};

use crate::http::{TransportError, TransportReason, header};

/// What LinkedIn said about a failed call, parsed from its error body. Every field is optional
/// in LinkedIn's bodies, so every field is optional here.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatusInfo {
    pub status: u16,
    pub service_error_code: Option<i64>,
    pub code: Option<String>,
    pub message: String,
}

/// Which LinkedIn limit a 429 hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateLimitScope {
    Daily,
    Throttle,
    Unknown,
}

impl RateLimitScope {
    pub fn as_str(self) -> &'static str {
        match self {
            RateLimitScope::Daily => "daily",
            RateLimitScope::Throttle => "throttle",
            RateLimitScope::Unknown => "unknown",
        }
    }
}

/// The error of every command. Mirrors the WIT `error` variant case for case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    InvalidInput {
        field: String,
        message: String,
    },
    Credentials {
        message: String,
    },
    Unauthorized(StatusInfo),
    Forbidden {
        info: StatusInfo,
        required_scopes: Vec<String>,
    },
    NotFound(StatusInfo),
    Duplicate {
        status: u16,
        existing_id: Option<String>,
        message: String,
    },
    RateLimited {
        status: u16,
        scope: RateLimitScope,
        retry_after_seconds: Option<u32>,
        message: String,
    },
    VersionRetired {
        version: String,
        message: String,
    },
    InvalidSignature {
        message: String,
    },
    Api {
        info: StatusInfo,
        body: Option<String>,
    },
    Transport {
        reason: TransportReason,
        message: String,
    },
    Decode {
        status: u16,
        message: String,
    },
    MediaUnavailable {
        media_urn: String,
        status: String,
        failure_reason: Option<String>,
        message: String,
    },
}

impl Error {
    /// An `invalid-input` error for `field`.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::InvalidInput {
            field: field.into(),
            message: message.into(),
        }
    }

    /// The case name, as in WIT and in the JSON `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidInput { .. } => "invalid-input",
            Error::Credentials { .. } => "credentials",
            Error::Unauthorized(_) => "unauthorized",
            Error::Forbidden { .. } => "forbidden",
            Error::NotFound(_) => "not-found",
            Error::Duplicate { .. } => "duplicate",
            Error::RateLimited { .. } => "rate-limited",
            Error::VersionRetired { .. } => "version-retired",
            Error::InvalidSignature { .. } => "invalid-signature",
            Error::Api { .. } => "api",
            Error::Transport { .. } => "transport",
            Error::Decode { .. } => "decode",
            Error::MediaUnavailable { .. } => "media-unavailable",
        }
    }

    /// The one sentence for the platform's user.
    pub fn message(&self) -> &str {
        match self {
            Error::InvalidInput { message, .. }
            | Error::Credentials { message }
            | Error::Duplicate { message, .. }
            | Error::RateLimited { message, .. }
            | Error::VersionRetired { message, .. }
            | Error::InvalidSignature { message }
            | Error::Transport { message, .. }
            | Error::Decode { message, .. }
            | Error::MediaUnavailable { message, .. } => message,
            Error::Unauthorized(info) | Error::NotFound(info) => &info.message,
            Error::Forbidden { info, .. } | Error::Api { info, .. } => &info.message,
        }
    }

    /// The error with `text` in front of its message (saying which step of a longer command
    /// failed), everything else unchanged.
    pub fn prefixed(mut self, text: &str) -> Error {
        let message = match &mut self {
            Error::InvalidInput { message, .. }
            | Error::Credentials { message }
            | Error::Duplicate { message, .. }
            | Error::RateLimited { message, .. }
            | Error::VersionRetired { message, .. }
            | Error::InvalidSignature { message }
            | Error::Transport { message, .. }
            | Error::Decode { message, .. }
            | Error::MediaUnavailable { message, .. } => message,
            Error::Unauthorized(info) | Error::NotFound(info) => &mut info.message,
            Error::Forbidden { info, .. } | Error::Api { info, .. } => &mut info.message,
        };
        message.insert_str(0, text);
        self
    }

    /// The JSON form: `kind`, `message` and the payload fields in camelCase.
    pub fn to_json(&self) -> Value {
        let mut out = Map::new();
        out.insert("kind".into(), json!(self.kind()));
        out.insert("message".into(), json!(self.message()));
        let status_fields = |out: &mut Map<String, Value>, info: &StatusInfo| {
            out.insert("status".into(), json!(info.status));
            out.insert("serviceErrorCode".into(), json!(info.service_error_code));
            out.insert("code".into(), json!(info.code));
        };
        match self {
            Error::InvalidInput { field, .. } => {
                out.insert("field".into(), json!(field));
            }
            Error::Credentials { .. } | Error::InvalidSignature { .. } => {}
            Error::Unauthorized(info) | Error::NotFound(info) => status_fields(&mut out, info),
            Error::Forbidden {
                info,
                required_scopes,
            } => {
                status_fields(&mut out, info);
                out.insert("requiredScopes".into(), json!(required_scopes));
            }
            Error::Duplicate {
                status,
                existing_id,
                ..
            } => {
                out.insert("status".into(), json!(status));
                out.insert("existingId".into(), json!(existing_id));
            }
            Error::RateLimited {
                status,
                scope,
                retry_after_seconds,
                ..
            } => {
                out.insert("status".into(), json!(status));
                out.insert("scope".into(), json!(scope.as_str()));
                out.insert("retryAfterSeconds".into(), json!(retry_after_seconds));
            }
            Error::VersionRetired { version, .. } => {
                out.insert("version".into(), json!(version));
            }
            Error::Api { info, body } => {
                status_fields(&mut out, info);
                out.insert("body".into(), json!(body));
            }
            Error::Transport { reason, .. } => {
                out.insert("reason".into(), json!(reason.as_str()));
            }
            Error::Decode { status, .. } => {
                out.insert("status".into(), json!(status));
            }
            Error::MediaUnavailable {
                media_urn,
                status,
                failure_reason,
                ..
            } => {
                out.insert("mediaUrn".into(), json!(media_urn));
                out.insert("status".into(), json!(status));
                out.insert("failureReason".into(), json!(failure_reason));
            }
        }
        Value::Object(out)
    }

    /// Replaces every occurrence of each secret in the error's text with `[redacted]`.
    pub fn redact(&mut self, secrets: &[String]) {
        let mut texts: Vec<&mut String> = Vec::new();
        match self {
            Error::InvalidInput { field, message } => {
                texts.push(field);
                texts.push(message);
            }
            Error::Credentials { message }
            | Error::InvalidSignature { message }
            | Error::Transport { message, .. }
            | Error::Decode { message, .. }
            | Error::VersionRetired { message, .. } => texts.push(message),
            Error::MediaUnavailable {
                message,
                failure_reason,
                ..
            } => {
                texts.push(message);
                texts.extend(failure_reason.as_mut());
            }
            Error::Duplicate {
                existing_id,
                message,
                ..
            } => {
                texts.push(message);
                texts.extend(existing_id.as_mut());
            }
            Error::RateLimited { message, .. } => texts.push(message),
            Error::Unauthorized(info) | Error::NotFound(info) | Error::Forbidden { info, .. } => {
                texts.push(&mut info.message);
                texts.extend(info.code.as_mut());
            }
            Error::Api { info, body } => {
                texts.push(&mut info.message);
                texts.extend(info.code.as_mut());
                texts.extend(body.as_mut());
            }
        }
        for text in texts {
            redact_text(text, secrets);
        }
    }
}

/// Replaces every occurrence of each (non-empty) secret in `text` with `[redacted]`.
pub fn redact_text(text: &mut String, secrets: &[String]) {
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if text.contains(secret.as_str()) {
            *text = text.replace(secret.as_str(), "[redacted]");
        }
    }
}

/// What the caller was doing, so a failure can say what to fix.
pub struct ErrorContext<'a> {
    /// The `LinkedIn-Version` sent, if any (for 426).
    pub version: Option<&'a str>,
    /// The scopes the command needs (for 403).
    pub scopes: &'a [&'a str],
}

/// The error bodies LinkedIn sends are small; anything bigger is cut for the `api` payload.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// Maps a non-2xx LinkedIn answer to the error variant. Every arm has a fixture.
pub fn from_response(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    context: &ErrorContext<'_>,
) -> Error {
    let parsed: Option<Value> = serde_json::from_slice(body).ok();
    let field = |name: &str| parsed.as_ref().and_then(|v| v.get(name));
    let linkedin_message = field("message")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .map(str::to_string);
    let code = field("code").and_then(Value::as_str).map(str::to_string);
    let service_error_code = field("serviceErrorCode").and_then(Value::as_i64);
    let says = |fallback: &str| match &linkedin_message {
        Some(m) => format!("LinkedIn says: {m}"),
        None => fallback.to_string(),
    };
    let info = |message: String| StatusInfo {
        status,
        service_error_code,
        code: code.clone(),
        message,
    };

    match status {
        401 => {
            let why = match code.as_deref() {
                Some("EXPIRED_ACCESS_TOKEN") => "the access token has expired",
                Some("REVOKED_ACCESS_TOKEN") => "the access token was revoked",
                _ => "the access token is invalid, expired or revoked",
            };
            Error::Unauthorized(info(format!(
                "LinkedIn rejected the request because {why} ({}); reconnect the LinkedIn account.",
                says("no detail given")
            )))
        }
        403 => {
            let scopes = context.scopes.join(", ");
            let needs = if context.scopes.is_empty() {
                String::from("the permission for this call")
            } else {
                format!("the {scopes} scope")
            };
            Error::Forbidden {
                info: info(format!(
                    "LinkedIn denied access ({}); the connected account needs {needs}, and for an \
                     organization a page role such as ADMINISTRATOR or CONTENT_ADMINISTRATOR.",
                    says("no detail given")
                )),
                required_scopes: context.scopes.iter().map(|s| s.to_string()).collect(),
            }
        }
        404 => Error::NotFound(info(format!(
            "LinkedIn has no such resource, or hides it from this account ({}).",
            says("no detail given")
        ))),
        422 if is_duplicate(linkedin_message.as_deref()) => {
            let existing_id = linkedin_message.as_deref().and_then(find_post_urn);
            let of = existing_id
                .as_deref()
                .map(|id| format!(" of {id}"))
                .unwrap_or_default();
            Error::Duplicate {
                status,
                existing_id,
                message: format!(
                    "LinkedIn refused the post as a duplicate{of}; change the text or wait about \
                     ten minutes."
                ),
            }
        }
        426 => {
            let version = context.version.unwrap_or("(none)").to_string();
            Error::VersionRetired {
                message: format!(
                    "LinkedIn no longer serves API version {version} ({}); set the \
                     linkedinVersion setting to an active version (YYYYMM, each is served for \
                     about a year).",
                    says("426 Upgrade Required")
                ),
                version,
            }
        }
        429 => rate_limited(headers, linkedin_message.as_deref()),
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
            Error::Api {
                info: info(format!(
                    "LinkedIn answered HTTP {status} ({}).{hint}",
                    says("no detail given")
                )),
                body: (!text.is_empty()).then_some(text),
            }
        }
    }
}

fn is_duplicate(message: Option<&str>) -> bool {
    message.is_some_and(|m| m.to_ascii_lowercase().contains("duplicate"))
}

/// The first `urn:li:share:…` or `urn:li:ugcPost:…` in a message.
fn find_post_urn(message: &str) -> Option<String> {
    ["urn:li:share:", "urn:li:ugcPost:"]
        .iter()
        .filter_map(|prefix| message.find(prefix).map(|at| (at, prefix.len())))
        .min()
        .and_then(|(at, prefix_len)| {
            let id: String = message[at + prefix_len..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            (!id.is_empty()).then(|| format!("{}{id}", &message[at..at + prefix_len]))
        })
}

fn rate_limited(headers: &[(String, String)], message: Option<&str>) -> Error {
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
    Error::RateLimited {
        status: 429,
        scope,
        retry_after_seconds: retry_after,
        message,
    }
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
    Error::Transport {
        reason: error.reason,
        message: format!("Could not {target}: {what}{detail}; retry later."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTEXT: ErrorContext<'static> = ErrorContext {
        version: Some("202609"),
        scopes: &["w_member_social"],
    };

    fn map(status: u16, body: &str) -> Error {
        from_response(status, &[], body.as_bytes(), &CONTEXT)
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
        let Error::Duplicate { existing_id, .. } = map(
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
        let headers = vec![(
            "Date".to_string(),
            "Mon, 23 Nov 2026 23:00:00 GMT".to_string(),
        )];
        let e = from_response(
            429,
            &headers,
            br#"{"message":"DAY limit for calls to this resource is reached."}"#,
            &CONTEXT,
        );
        assert_eq!(
            e,
            Error::RateLimited {
                status: 429,
                scope: RateLimitScope::Daily,
                retry_after_seconds: Some(3600),
                message: e.message().to_string(),
            }
        );
    }

    #[test]
    fn retry_after_header_wins() {
        let headers = vec![("retry-after".to_string(), "30".to_string())];
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
    fn long_error_bodies_are_cut_on_a_char_boundary() {
        let body = "é".repeat(MAX_ERROR_BODY);
        let Error::Api {
            body: Some(kept), ..
        } = map(502, &body)
        else {
            panic!("not api")
        };
        assert!(kept.len() <= MAX_ERROR_BODY);
    }
}
