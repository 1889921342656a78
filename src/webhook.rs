//! Lead Sync webhooks: answering LinkedIn's validation challenge, verifying the `X-LI-Signature`
//! of a notification, and reading its notifications (optionally fetching each created lead).
//!
//! Both checks use the app's client secret, which is read from the host for this call only and
//! never appears in an output or an error.

use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{Map, Value, json};
use sha2::Sha256;

use crate::catalog::{ANSWER_WEBHOOK_CHALLENGE, PARSE_LEAD_NOTIFICATION};
use crate::error::Error;
use crate::input::Fields;
use crate::lead::{self, Lead, LeadFetcher};
use crate::pipeline::{CredentialError, Env};

type HmacSha256 = Hmac<Sha256>;

/// The name of the signature header (compared case-insensitively).
pub const SIGNATURE_HEADER: &str = "X-LI-Signature";

/// What LinkedIn prepends to the body before signing it, and what some senders put in front of
/// the hex digest in the header.
const SIGNED_PREFIX: &str = "hmacsha256=";

/// `Error::Decode` carries the HTTP status of the answer it could not read; a webhook body came
/// with a request, not an answer, so it has none.
const NO_STATUS: u16 = 0;

/// Input of answer-webhook-challenge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnswerChallenge {
    pub challenge_code: String,
}

impl AnswerChallenge {
    pub fn from_json(map: &Map<String, Value>) -> Result<AnswerChallenge, Error> {
        let f = Fields::new(map, &ANSWER_WEBHOOK_CHALLENGE)?;
        Ok(AnswerChallenge {
            challenge_code: f.required_str("challengeCode")?.to_string(),
        })
    }
}

/// The JSON body to send back to LinkedIn's validation request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ChallengeAnswer {
    pub challenge_code: String,
    pub challenge_response: String,
}

impl ChallengeAnswer {
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }
}

pub fn answer_webhook_challenge(
    env: &mut dyn Env,
    input: AnswerChallenge,
) -> Result<ChallengeAnswer, Error> {
    if input.challenge_code.trim().is_empty() {
        return Err(Error::invalid(
            "challengeCode",
            "`challengeCode` must not be empty.",
        ));
    }
    let secret = client_secret(env)?;
    if secret.is_empty() {
        return Err(Error::Credentials {
            message: "The platform supplied an empty LinkedIn client secret; set the app's \
                      client secret in the datasource to answer webhook challenges."
                .into(),
        });
    }
    Ok(ChallengeAnswer {
        challenge_response: challenge_response(&secret, &input.challenge_code),
        challenge_code: input.challenge_code,
    })
}

/// `lowercase hex(HMAC-SHA256(key = client secret, message = challenge code))`.
pub fn challenge_response(secret: &str, challenge_code: &str) -> String {
    let mut mac = new_mac(secret);
    mac.update(challenge_code.as_bytes());
    to_hex(&mac.finalize().into_bytes())
}

/// Checks `X-LI-Signature` against `body` (the raw bytes as received).
///
/// LinkedIn signs `"hmacsha256=" + body` with the client secret and sends the lowercase hex
/// digest (linkedin-api.md §7.3, from LinkedIn's server code). The header may also carry an
/// `hmacsha256=` prefix, and the hex may be in any case. The digest of the body alone is *not*
/// accepted: with it, a captured signature of body `B` would also vouch for the body
/// `"hmacsha256=" + B`. The comparison is constant-time.
pub fn verify_signature(secret: &str, signature: Option<&str>, body: &[u8]) -> Result<(), Error> {
    let invalid = |message: &str| Error::InvalidSignature {
        message: message.to_string(),
    };
    if secret.is_empty() {
        return Err(invalid(
            "No client secret is configured, so the X-LI-Signature cannot be checked; set the \
             app's client secret in the datasource.",
        ));
    }
    let Some(signature) = signature else {
        return Err(invalid(
            "The request has no X-LI-Signature header: it did not come from LinkedIn, or the \
             headers were not passed on.",
        ));
    };
    let mut hex = signature.trim();
    if hex
        .get(..SIGNED_PREFIX.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(SIGNED_PREFIX))
    {
        hex = hex[SIGNED_PREFIX.len()..].trim_start();
    }
    let Some(digest) = from_hex(hex).filter(|d| d.len() == 32) else {
        return Err(invalid(
            "The X-LI-Signature header is not a hex HMAC-SHA256 digest (64 hex digits).",
        ));
    };
    let mut mac = new_mac(secret);
    mac.update(SIGNED_PREFIX.as_bytes());
    mac.update(body);
    mac.verify_slice(&digest).map_err(|_| {
        invalid(
            "The X-LI-Signature does not match the body: the body was changed (pass it exactly \
             as received, not re-serialised) or it was signed with another app's client secret.",
        )
    })
}

/// Input of parse-lead-notification.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseLeadNotification {
    /// The webhook request's headers; names in any case. Several values of one header arrive
    /// joined with `, `.
    pub headers: Vec<(String, String)>,
    /// The body exactly as received.
    pub body: String,
    pub fetch_lead: Option<bool>,
    pub linkedin_version: Option<String>,
}

impl ParseLeadNotification {
    pub fn from_json(map: &Map<String, Value>) -> Result<ParseLeadNotification, Error> {
        let f = Fields::new(map, &PARSE_LEAD_NOTIFICATION)?;
        let headers = match map.get("headers") {
            None | Some(Value::Null) => {
                return Err(Error::invalid(
                    "headers",
                    "`headers` is required (it must include X-LI-Signature).",
                ));
            }
            Some(Value::Object(headers)) => read_headers(headers)?,
            Some(_) => {
                return Err(Error::invalid(
                    "headers",
                    "`headers` must be an object of header name to value.",
                ));
            }
        };
        let body = match map.get("body") {
            Some(Value::String(_)) | None | Some(Value::Null) => f.required_str("body")?,
            Some(_) => {
                return Err(Error::invalid(
                    "body",
                    "`body` must be the request body as text, exactly as received; a parsed \
                     JSON value cannot be checked against the signature.",
                ));
            }
        };
        Ok(ParseLeadNotification {
            headers,
            body: body.to_string(),
            fetch_lead: f.optional_bool("fetchLead")?,
            linkedin_version: f.optional_str("linkedinVersion")?.map(str::to_string),
        })
    }
}

/// Header values as platforms pass them: text, a number, or a list of values (joined as HTTP
/// joins repeated headers). `null` means absent.
fn read_headers(headers: &Map<String, Value>) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    for (name, value) in headers {
        let text = match value {
            Value::Null => continue,
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Array(items) => {
                let parts: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
                match parts {
                    Some(parts) => parts.join(", "),
                    None => return Err(header_value_error(name)),
                }
            }
            Value::Object(_) => return Err(header_value_error(name)),
        };
        out.push((name.clone(), text));
    }
    Ok(out)
}

fn header_value_error(name: &str) -> Error {
    Error::invalid(
        "headers",
        format!("`headers` value of {name:?} must be text or a list of texts."),
    )
}

/// One lead action from a notification.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadNotification {
    pub lead_urn: String,
    pub lead_id: String,
    /// `CREATED` or `DELETED`, as LinkedIn sent it.
    pub action: Option<String>,
    pub lead_type: Option<String>,
    /// The (versioned) form URN.
    pub form_urn: Option<String>,
    pub form_id: Option<String>,
    pub form_version: Option<i64>,
    pub owner: Option<Value>,
    pub associated_entity: Option<Value>,
    /// Epoch milliseconds.
    pub occurred_at: Option<i64>,
    /// The fetched lead (with fetchLead, for CREATED actions).
    #[serde(skip)]
    pub lead: Option<Lead>,
}

impl LeadNotification {
    pub fn to_value(&self) -> Value {
        let mut out = serde_json::to_value(self).unwrap_or_else(|_| json!({}));
        if let (Some(lead), Value::Object(map)) = (&self.lead, &mut out) {
            map.insert("lead".into(), lead.to_value());
        }
        out
    }
}

/// The verified notifications of one webhook request.
#[derive(Clone, Debug, PartialEq)]
pub struct LeadNotifications {
    pub notifications: Vec<LeadNotification>,
}

impl LeadNotifications {
    pub fn to_json(&self) -> String {
        let list: Vec<Value> = self
            .notifications
            .iter()
            .map(LeadNotification::to_value)
            .collect();
        json!({ "notifications": list }).to_string()
    }
}

pub fn parse_lead_notification(
    env: &mut dyn Env,
    input: ParseLeadNotification,
) -> Result<LeadNotifications, Error> {
    let signature = signature_header(&input.headers)?;
    let secret = client_secret(env)?;
    verify_signature(&secret, signature, input.body.as_bytes())?;
    drop(secret);
    let mut notifications = parse_notifications(&input.body)?;
    if input.fetch_lead == Some(true) && !notifications.is_empty() {
        let mut fetcher = LeadFetcher::new(
            env,
            &PARSE_LEAD_NOTIFICATION,
            input.linkedin_version.as_deref(),
        )?;
        for n in notifications
            .iter_mut()
            .filter(|n| n.action.as_deref() == Some("CREATED"))
        {
            n.lead = Some(fetcher.fetch(&n.lead_id)?);
        }
    }
    Ok(LeadNotifications { notifications })
}

/// The one `X-LI-Signature` value, if any. Two headers of that name (in different letter
/// cases) are refused: which one LinkedIn sent cannot be told.
fn signature_header(headers: &[(String, String)]) -> Result<Option<&str>, Error> {
    let mut found = headers
        .iter()
        .filter(|(name, _)| name.trim().eq_ignore_ascii_case(SIGNATURE_HEADER))
        .map(|(_, value)| value.as_str());
    let first = found.next();
    if found.next().is_some() {
        return Err(Error::InvalidSignature {
            message: "The request has more than one X-LI-Signature header.".into(),
        });
    }
    Ok(first)
}

/// Reads a verified body: one notification object or an array of them.
pub fn parse_notifications(body: &str) -> Result<Vec<LeadNotification>, Error> {
    let value: Value = serde_json::from_str(body).map_err(|e| {
        decode(format!(
            "The webhook body is signed correctly but is not JSON ({e})."
        ))
    })?;
    match value {
        Value::Object(object) => Ok(vec![notification(&object, None)?]),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(object) => notification(object, Some(i)),
                _ => Err(decode(format!(
                    "Notification [{i}] of the webhook body is not a JSON object."
                ))),
            })
            .collect(),
        _ => Err(decode(
            "The webhook body is neither a notification object nor an array of them.".into(),
        )),
    }
}

fn notification(
    object: &Map<String, Value>,
    index: Option<usize>,
) -> Result<LeadNotification, Error> {
    let which = index.map(|i| format!(" [{i}]")).unwrap_or_default();
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_string);
    let lead_urn = text("leadGenFormResponse").ok_or_else(|| {
        decode(format!(
            "The notification{which} has no lead URN (leadGenFormResponse)."
        ))
    })?;
    let lead_id = lead::lead_id_of_urn(&lead_urn).ok_or_else(|| {
        decode(format!(
            "The notification{which} has a malformed lead URN in leadGenFormResponse: {lead_urn:?}."
        ))
    })?;
    let form_urn = text("leadGenForm");
    let (form_id, form_version) = match form_urn.as_deref().and_then(lead::form_id_and_version) {
        Some((id, version)) => (Some(id), version),
        None => (None, None),
    };
    let object_field = |key: &str| object.get(key).filter(|v| v.is_object()).cloned();
    Ok(LeadNotification {
        lead_urn,
        lead_id,
        action: text("leadAction").map(|a| a.to_ascii_uppercase()),
        lead_type: text("leadType"),
        form_urn,
        form_id,
        form_version,
        owner: object_field("owner"),
        associated_entity: object_field("associatedEntity"),
        occurred_at: object.get("occurredAt").and_then(epoch_millis),
        lead: None,
    })
}

/// Epoch milliseconds as a number, or as digits in a string.
fn epoch_millis(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn decode(message: String) -> Error {
    Error::Decode {
        status: NO_STATUS,
        message,
    }
}

/// The client secret from the host, trimmed. The caller decides what an empty one means.
fn client_secret(env: &mut dyn Env) -> Result<String, Error> {
    match env.client_secret() {
        Ok(secret) => Ok(secret.trim().to_string()),
        Err(CredentialError::NotConfigured(why)) => Err(Error::Credentials {
            message: format!(
                "No LinkedIn client secret is available ({why}); set the app's client secret in \
                 the datasource."
            ),
        }),
        Err(CredentialError::Unavailable(why)) => Err(Error::Credentials {
            message: format!(
                "The platform could not supply the LinkedIn client secret ({why}); retry later."
            ),
        }),
    }
}

fn new_mac(secret: &str) -> HmacSha256 {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    match HmacSha256::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    }
}

fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

/// Hex in any letter case; `None` for an odd length or a non-hex character.
fn from_hex(text: &str) -> Option<Vec<u8>> {
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let bytes = text.as_bytes();
    if bytes.len() % 2 != 0 {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}
