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
use crate::input::{Fields, scalar_text};
use crate::lead::{self, Lead, LeadFetcher};
use crate::pipeline::{Env, client_secret};

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
        crate::output::to_json(self)
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
            Value::Array(items) => {
                let parts: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
                match parts {
                    Some(parts) => parts.join(", "),
                    None => return Err(header_value_error(name)),
                }
            }
            Value::Object(_) => return Err(header_value_error(name)),
            scalar => scalar_text(scalar).unwrap_or_default(),
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
        crate::output::to_json(&json!({ "notifications": list }))
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
    if !bytes.len().is_multiple_of(2) {
        return None;
    }
    bytes
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::CredentialError;
    use crate::pipeline::testing::ScriptEnv;
    use proptest::prelude::*;

    // Computed outside this code: linkedin-api.md §7.9, and python3 `hmac` / `openssl dgst`.
    const SECRET: &str = "test-secret";
    const CHALLENGE: &str = "890e4665-4dfe-4ab1-b689-ed553bceeed0";
    const CHALLENGE_RESPONSE: &str =
        "8bde2af5ee9529546d2098fc83434bb05aff1104dca629a22f301714626e29b0";
    const SHORT_BODY: &str = r#"{"type":"LEAD_ACTION","leadAction":"CREATED"}"#;
    const SHORT_SIG: &str = "784c87b9a44b9df997f7700c06accf80b0e487124742d1471e779e132386db7c";
    /// HMAC of the body alone, without the `hmacsha256=` prefix: not accepted.
    const SHORT_SIG_BODY_ONLY: &str =
        "e74618d4f79af9def1742c7c10d29bd3dcd87786dbe073108368d4207f266aac";
    const FULL_BODY: &str = r#"{"type":"LEAD_ACTION","leadGenFormResponse":"urn:li:leadGenFormResponse:249592fc-d272-44ba-a7db-c2bdce579507-6","leadGenForm":"urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)","owner":{"sponsoredAccount":"urn:li:sponsoredAccount:520866471"},"associatedEntity":{"sponsoredCreative":"urn:li:sponsoredCreative:241257736"},"leadType":"SPONSORED","leadAction":"CREATED","occurredAt":1686182358881}"#;
    const FULL_SIG: &str = "c8f69bba19dc953c82a975d4f8b0641ef1c114c1ffb3e9014cc80e46864046f7";
    const ARRAY_BODY: &str = r#"[{"leadGenFormResponse":"urn:li:leadGenFormResponse:a-1","leadAction":"DELETED","leadType":"EVENT","leadGenForm":"urn:li:leadGenForm:99","owner":{"organization":"urn:li:organization:123"},"associatedEntity":{"event":"urn:li:event:789"},"occurredAt":1},{"leadGenFormResponse":"urn:li:leadGenFormResponse:b-2","leadAction":"CREATED"}]"#;
    const ARRAY_SIG: &str = "ca43684650c144a4aaf5f0809dd0cbe328d35cb11c0b37029ba53dd63fbe29b2";
    const NO_URN_BODY: &str = r#"{"leadAction":"CREATED"}"#;
    const NO_URN_SIG: &str = "4d427af1562d0eaefd7029defac82fdd434f8064a4dec5983d8937670ef7da0c";

    fn input(headers: &[(&str, &str)], body: &str) -> ParseLeadNotification {
        ParseLeadNotification {
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.to_string(),
            ..ParseLeadNotification::default()
        }
    }

    fn parse(headers: &[(&str, &str)], body: &str) -> Result<LeadNotifications, Error> {
        parse_lead_notification(&mut ScriptEnv::new(), input(headers, body))
    }

    #[test]
    fn challenge_matches_known_vectors() {
        assert_eq!(challenge_response(SECRET, CHALLENGE), CHALLENGE_RESPONSE);
        assert_eq!(
            challenge_response("s3cr3t-Ünï", "abc"),
            "d21aaa59aff3ec6687836a7a03ef577d261516a52f4d79b0a6b666786f1325b0"
        );
        let out = answer_webhook_challenge(
            &mut ScriptEnv::new(),
            AnswerChallenge {
                challenge_code: CHALLENGE.into(),
            },
        )
        .unwrap();
        assert_eq!(
            out.to_json(),
            format!(
                r#"{{"challengeCode":"{CHALLENGE}","challengeResponse":"{CHALLENGE_RESPONSE}"}}"#
            )
        );
    }

    #[test]
    fn challenge_needs_a_secret_and_a_code() {
        let code = || AnswerChallenge {
            challenge_code: CHALLENGE.into(),
        };
        let mut env = ScriptEnv::new();
        env.secret = Ok("  ".into());
        assert_eq!(
            answer_webhook_challenge(&mut env, code())
                .unwrap_err()
                .kind(),
            "credentials"
        );
        env.secret = Err(CredentialError::NotConfigured("no secret stored".into()));
        let err = answer_webhook_challenge(&mut env, code()).unwrap_err();
        assert_eq!(err.kind(), "credentials");
        assert!(err.message().contains("no secret stored"));
        let map = json!({"challengeCode": ""});
        let err = AnswerChallenge::from_json(map.as_object().unwrap()).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { field, .. } if field == "challengeCode"));
    }

    #[test]
    fn secret_never_appears_in_output_or_errors() {
        let mut env = ScriptEnv::new();
        env.secret = Ok("super-secret-value".into());
        let out = answer_webhook_challenge(
            &mut env,
            AnswerChallenge {
                challenge_code: "x".into(),
            },
        )
        .unwrap();
        assert!(!out.to_json().contains("super-secret-value"));
        for sig in [None, Some("zz"), Some(SHORT_SIG)] {
            let err =
                verify_signature("super-secret-value", sig, SHORT_BODY.as_bytes()).unwrap_err();
            let text = err.to_json().to_string();
            assert!(!text.contains("super-secret-value"), "{text}");
            // Nor the signature that would have been right.
            let right = {
                let mut mac = new_mac("super-secret-value");
                mac.update(b"hmacsha256=");
                mac.update(SHORT_BODY.as_bytes());
                to_hex(&mac.finalize().into_bytes())
            };
            assert!(!text.contains(&right), "{text}");
        }
    }

    #[test]
    fn signature_known_vector_and_tolerated_spellings() {
        let body = SHORT_BODY.as_bytes();
        assert!(verify_signature(SECRET, Some(SHORT_SIG), body).is_ok());
        assert!(verify_signature(SECRET, Some(&SHORT_SIG.to_uppercase()), body).is_ok());
        assert!(verify_signature(SECRET, Some(&format!("hmacsha256={SHORT_SIG}")), body).is_ok());
        assert!(verify_signature(SECRET, Some(&format!("HMACSHA256={SHORT_SIG}")), body).is_ok());
        assert!(verify_signature(SECRET, Some(&format!("  {SHORT_SIG}\t")), body).is_ok());
        assert!(verify_signature(SECRET, Some(FULL_SIG), FULL_BODY.as_bytes()).is_ok());
        assert!(verify_signature(SECRET, Some(ARRAY_SIG), ARRAY_BODY.as_bytes()).is_ok());
    }

    #[test]
    fn forged_truncated_and_reserialised_bodies_fail() {
        let check = |secret: &str, sig: Option<&str>, body: &str| {
            verify_signature(secret, sig, body.as_bytes())
                .unwrap_err()
                .message()
                .to_string()
        };
        let forged = SHORT_BODY.replace("CREATED", "DELETED");
        assert!(check(SECRET, Some(SHORT_SIG), &forged).contains("does not match"));
        assert!(
            check(SECRET, Some(SHORT_SIG), &SHORT_BODY[..SHORT_BODY.len() - 1])
                .contains("does not match")
        );
        let reserialised =
            serde_json::to_string_pretty(&serde_json::from_str::<Value>(SHORT_BODY).unwrap())
                .unwrap();
        assert!(check(SECRET, Some(SHORT_SIG), &reserialised).contains("does not match"));
        assert!(
            check(SECRET, Some(SHORT_SIG), &format!("{SHORT_BODY}\n")).contains("does not match")
        );
        assert!(check("other-secret", Some(SHORT_SIG), SHORT_BODY).contains("does not match"));
        assert!(check(SECRET, Some(SHORT_SIG_BODY_ONLY), SHORT_BODY).contains("does not match"));
        assert!(check(SECRET, Some(&SHORT_SIG[..63]), SHORT_BODY).contains("not a hex"));
        assert!(check(SECRET, Some(&SHORT_SIG[..62]), SHORT_BODY).contains("not a hex"));
        assert!(check(SECRET, Some(&format!("{SHORT_SIG}00")), SHORT_BODY).contains("not a hex"));
        assert!(
            check(SECRET, Some(&SHORT_SIG.replace('c', "g")), SHORT_BODY).contains("not a hex")
        );
        assert!(check(SECRET, Some("sha256=abc"), SHORT_BODY).contains("not a hex"));
        assert!(check(SECRET, None, SHORT_BODY).contains("no X-LI-Signature"));
        assert!(check("", Some(SHORT_SIG), SHORT_BODY).contains("No client secret"));
    }

    #[test]
    fn header_name_is_case_insensitive() {
        for name in ["X-LI-Signature", "x-li-signature", "X-Li-SIGNATURE"] {
            let out = parse(
                &[("content-type", "application/json"), (name, SHORT_SIG)],
                FULL_BODY,
            );
            assert!(
                out.is_err(),
                "the short signature does not sign the full body"
            );
            let out = parse(&[(name, FULL_SIG)], FULL_BODY).unwrap();
            assert_eq!(out.notifications.len(), 1);
        }
        let twice = parse(
            &[("X-LI-Signature", FULL_SIG), ("x-li-signature", FULL_SIG)],
            FULL_BODY,
        );
        assert_eq!(twice.unwrap_err().kind(), "invalid-signature");
    }

    #[test]
    fn verification_failures_are_invalid_signature_and_parse_nothing() {
        let mut env = ScriptEnv::new();
        env.secret = Ok(String::new());
        let err =
            parse_lead_notification(&mut env, input(&[("X-LI-Signature", FULL_SIG)], FULL_BODY))
                .unwrap_err();
        assert_eq!(err.kind(), "invalid-signature");
        assert_eq!(
            parse(&[], FULL_BODY).unwrap_err().kind(),
            "invalid-signature"
        );
        // A body that is not JSON fails on the signature, not on parsing.
        assert_eq!(
            parse(&[("X-LI-Signature", FULL_SIG)], "not json")
                .unwrap_err()
                .kind(),
            "invalid-signature"
        );
        let mut env = ScriptEnv::new();
        env.secret = Err(CredentialError::Unavailable("vault down".into()));
        let err =
            parse_lead_notification(&mut env, input(&[("X-LI-Signature", FULL_SIG)], FULL_BODY))
                .unwrap_err();
        assert_eq!(err.kind(), "credentials");
    }

    #[test]
    fn parses_the_documented_notification() {
        let out = parse(&[("X-LI-Signature", FULL_SIG)], FULL_BODY).unwrap();
        let json: Value = serde_json::from_str(&out.to_json()).unwrap();
        assert_eq!(
            json,
            json!({"notifications": [{
                "leadUrn": "urn:li:leadGenFormResponse:249592fc-d272-44ba-a7db-c2bdce579507-6",
                "leadId": "249592fc-d272-44ba-a7db-c2bdce579507-6",
                "action": "CREATED",
                "leadType": "SPONSORED",
                "formUrn": "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)",
                "formId": "7234246",
                "formVersion": 1,
                "owner": {"sponsoredAccount": "urn:li:sponsoredAccount:520866471"},
                "associatedEntity": {"sponsoredCreative": "urn:li:sponsoredCreative:241257736"},
                "occurredAt": 1686182358881i64
            }]})
        );
    }

    #[test]
    fn parses_an_array_with_absent_optional_keys() {
        let out = parse(&[("X-LI-Signature", ARRAY_SIG)], ARRAY_BODY).unwrap();
        let first = &out.notifications[0];
        assert_eq!(first.action.as_deref(), Some("DELETED"));
        assert_eq!(first.form_id.as_deref(), Some("99"));
        assert_eq!(first.form_version, None);
        assert_eq!(first.occurred_at, Some(1));
        let second = &out.notifications[1];
        assert_eq!(second.lead_id, "b-2");
        assert_eq!(second.lead_type, None);
        assert_eq!(second.owner, None);
        let json: Value = serde_json::from_str(&out.to_json()).unwrap();
        assert_eq!(json["notifications"][1]["formUrn"], Value::Null);
    }

    #[test]
    fn notification_without_lead_urn_is_a_decode_error() {
        let err = parse(&[("X-LI-Signature", NO_URN_SIG)], NO_URN_BODY).unwrap_err();
        assert_eq!(err.kind(), "decode");
        assert!(
            err.message().contains("leadGenFormResponse"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn fetch_lead_fetches_created_leads_only() {
        let lead = r#"{"id":"b-2","versionedLeadGenFormUrn":"urn:li:versionedLeadGenForm:(urn:li:leadGenForm:99,2)","submittedAt":5,"form":{"id":99,"content":{"questions":[{"questionId":1,"predefinedField":"EMAIL","question":{"localized":{"en_US":"Email"}}}]}},"formResponse":{"answers":[{"questionId":1,"answerDetails":{"textQuestionAnswer":{"answer":"a@b.c"}}}]}}"#;
        let mut env = ScriptEnv::new().respond(200, &[], lead);
        let mut request = input(&[("x-li-signature", ARRAY_SIG)], ARRAY_BODY);
        request.fetch_lead = Some(true);
        let out = parse_lead_notification(&mut env, request).unwrap();
        assert_eq!(env.sent.len(), 1);
        assert!(
            env.sent[0].url.starts_with(
                "https://api.linkedin.com/rest/leadFormResponses/b-2?fields=ownerInfo,"
            ),
            "{}",
            env.sent[0].url
        );
        assert!(out.notifications[0].lead.is_none());
        let json: Value = serde_json::from_str(&out.to_json()).unwrap();
        assert_eq!(
            json["notifications"][1]["lead"]["fields"],
            json!({"EMAIL": "a@b.c"})
        );
        assert_eq!(json["notifications"][1]["lead"]["raw"]["id"], "b-2");
        assert!(json["notifications"][0].get("lead").is_none());
    }

    #[test]
    fn from_json_reads_headers_and_refuses_parsed_bodies() {
        let map = json!({
            "headers": {"X-LI-Signature": [FULL_SIG], "Content-Length": 12, "x-empty": null},
            "body": FULL_BODY,
            "fetchLead": "false"
        });
        let parsed = ParseLeadNotification::from_json(map.as_object().unwrap()).unwrap();
        assert!(
            parsed
                .headers
                .contains(&("X-LI-Signature".to_string(), FULL_SIG.to_string()))
        );
        assert!(
            parsed
                .headers
                .contains(&("Content-Length".to_string(), "12".to_string()))
        );
        assert_eq!(parsed.fetch_lead, Some(false));
        assert!(parse_lead_notification(&mut ScriptEnv::new(), parsed).is_ok());

        let field = |v: Value| match ParseLeadNotification::from_json(v.as_object().unwrap()) {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(json!({"body": FULL_BODY})), "headers");
        assert_eq!(field(json!({"headers": "x", "body": FULL_BODY})), "headers");
        assert_eq!(
            field(json!({"headers": {"a": {"b": 1}}, "body": FULL_BODY})),
            "headers"
        );
        assert_eq!(field(json!({"headers": {}})), "body");
        assert_eq!(
            field(json!({"headers": {}, "body": {"type": "LEAD_ACTION"}})),
            "body"
        );
    }

    #[test]
    fn hex_round_trip() {
        assert_eq!(to_hex(&[0, 0xab, 0xff]), "00abff");
        assert_eq!(from_hex("00ABff"), Some(vec![0, 0xab, 0xff]));
        assert_eq!(from_hex("0"), None);
        assert_eq!(from_hex("0g"), None);
        assert_eq!(from_hex("é0"), None);
    }

    fn sign(secret: &str, body: &[u8]) -> String {
        let mut mac = new_mac(secret);
        mac.update(SIGNED_PREFIX.as_bytes());
        mac.update(body);
        to_hex(&mac.finalize().into_bytes())
    }

    // Case counts come from PROPTEST_CASES (default 256); `make fuzz` raises it:
    // PROPTEST_CASES=100000 cargo test --profile host -p linkedin-connector --lib prop_
    proptest! {
        #[test]
        fn prop_verifier_never_panics_and_rejects_unsigned(
            headers in proptest::collection::vec(
                ("X-LI-Signature|x-li-signature|X-Li-Signature |[ -~]{0,20}", "(hmacsha256=)?[0-9a-fA-F]{64}|\\PC{0,80}"),
                0..4,
            ),
            body in "\\PC{0,200}",
            secret in "[ -~]{0,20}",
        ) {
            let mut env = ScriptEnv::new();
            env.secret = Ok(secret.clone());
            let request = ParseLeadNotification {
                headers: headers.clone(),
                body: body.clone(),
                ..ParseLeadNotification::default()
            };
            let result = parse_lead_notification(&mut env, request);
            let right = sign(secret.trim(), body.as_bytes());
            let signed = headers.iter().any(|(n, v)| {
                n.trim().eq_ignore_ascii_case(SIGNATURE_HEADER)
                    && v.trim().to_ascii_lowercase().trim_start_matches("hmacsha256=").trim() == right
            });
            if !signed || secret.trim().is_empty() {
                prop_assert_eq!(result.unwrap_err().kind(), "invalid-signature");
            }
        }

        #[test]
        fn prop_correctly_signed_bodies_verify_and_tampered_ones_do_not(
            body in proptest::collection::vec(any::<u8>(), 0..300),
            secret in "[!-~]{1,40}",
            flip in any::<proptest::sample::Index>(),
        ) {
            let sig = sign(&secret, &body);
            prop_assert!(verify_signature(&secret, Some(&sig), &body).is_ok());
            if !body.is_empty() {
                let mut tampered = body.clone();
                let at = flip.index(tampered.len());
                tampered[at] ^= 0x01;
                prop_assert!(verify_signature(&secret, Some(&sig), &tampered).is_err());
            }
        }

        #[test]
        fn prop_signed_json_never_panics_the_parser(
            body in "[\\[\\]{}\":,0-9a-zA-Z ]{0,120}|\\{\"leadGenFormResponse\":\"[ -~]{0,40}\"[ -~]{0,60}",
        ) {
            let sig = sign(SECRET, body.as_bytes());
            let result = parse(&[("X-LI-Signature", &sig)], &body);
            if let Err(e) = result {
                prop_assert!(matches!(e.kind(), "decode" | "invalid-input"), "{:?}", e);
            }
        }
    }
}
