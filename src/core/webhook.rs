//! Lead Sync webhooks: the challenge answer, the `X-LI-Signature` check, and reading a verified
//! notification body. Pure functions of the client secret and the bytes received, so a webhook
//! receiver component can use them as they are.

use hmac::{Hmac, Mac};
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::Sha256;

use crate::core::error::Error;
use crate::core::leads::{self, Lead};

type HmacSha256 = Hmac<Sha256>;

/// The name of the signature header (compared case-insensitively).
pub const SIGNATURE_HEADER: &str = "X-LI-Signature";

/// What LinkedIn prepends to the body before signing it, and what some senders put in front of
/// the hex digest in the header.
const SIGNED_PREFIX: &str = "hmacsha256=";

/// `Error::Decode` carries the HTTP status of the answer it could not read; a webhook body came
/// with a request, not an answer, so it has none.
const NO_STATUS: u16 = 0;

/// The longest challenge code accepted. LinkedIn sends a UUID (36 characters).
pub const MAX_CHALLENGE_CODE: usize = 128;

/// Whether `code` has the shape of LinkedIn's challenge codes: letters, digits and `-`, at most
/// 128 characters (a UUID). Nothing else is ever signed: the same key signs notifications
/// (`"hmacsha256=" + body`), so signing any text would make the challenge a signing oracle for
/// forged notifications; no code of this shape contains the `=` that prefix needs.
pub fn is_challenge_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_CHALLENGE_CODE
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// `lowercase hex(HMAC-SHA256(key = client secret, message = challenge code))`.
pub fn challenge_response(secret: &str, challenge_code: &str) -> String {
    let mut mac = new_mac(secret);
    mac.update(challenge_code.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// Checks `X-LI-Signature` against `body` (the raw bytes as received).
///
/// LinkedIn signs `"hmacsha256=" + body` with the client secret and sends the lowercase hex
/// digest (linkedin-api.md §7.3, from LinkedIn's server code). The header may also carry an
/// `hmacsha256=` prefix, and the hex may be in any case. The digest of the body alone is *not*
/// accepted: with it, a captured signature of body `B` would also vouch for the body
/// `"hmacsha256=" + B`. The comparison is constant-time.
pub fn verify_signature(secret: &str, signature: Option<&str>, body: &[u8]) -> Result<(), Error> {
    let invalid = |message: &str| Error::invalid_signature(message);
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
        hex = hex
            .get(SIGNED_PREFIX.len()..)
            .unwrap_or_default()
            .trim_start();
    }
    let Some(digest) = hex::decode(hex).ok().filter(|d| d.len() == 32) else {
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

/// One lead action from a notification.
#[derive(Clone, Debug, Serialize)]
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead: Option<Lead>,
}

/// The one `X-LI-Signature` value, if any. Two headers of that name (in different letter
/// cases) are refused: which one LinkedIn sent cannot be told.
pub fn signature_header(headers: &[(String, String)]) -> Result<Option<&str>, Error> {
    let mut found = headers
        .iter()
        .filter(|(name, _)| name.trim().eq_ignore_ascii_case(SIGNATURE_HEADER))
        .map(|(_, value)| value.as_str());
    let first = found.next();
    if found.next().is_some() {
        return Err(Error::invalid_signature(
            "The request has more than one X-LI-Signature header.",
        ));
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
    let lead_id = leads::lead_id_of_urn(&lead_urn).ok_or_else(|| {
        decode(format!(
            "The notification{which} has a malformed lead URN in leadGenFormResponse: {}.",
            crate::core::error::quoted(&lead_urn)
        ))
    })?;
    let form_urn = text("leadGenForm");
    let (form_id, form_version) = match form_urn.as_deref().and_then(leads::form_id_and_version) {
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
    Error::decode(NO_STATUS, message)
}

fn new_mac(secret: &str) -> HmacSha256 {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    match HmacSha256::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts keys of any length"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Computed outside this code: LinkedIn's documented example, and python3 `hmac` /
    // `openssl dgst`.
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

    fn sign(secret: &str, body: &[u8]) -> String {
        let mut mac = new_mac(secret);
        mac.update(SIGNED_PREFIX.as_bytes());
        mac.update(body);
        hex::encode(mac.finalize().into_bytes())
    }

    #[test]
    fn challenge_matches_known_vectors() {
        assert_eq!(challenge_response(SECRET, CHALLENGE), CHALLENGE_RESPONSE);
        assert_eq!(
            challenge_response("s3cr3t-Ünï", "abc"),
            "d21aaa59aff3ec6687836a7a03ef577d261516a52f4d79b0a6b666786f1325b0"
        );
    }

    #[test]
    fn challenge_codes_have_linkedins_shape() {
        assert!(is_challenge_code(CHALLENGE));
        assert!(is_challenge_code("ABCdef0123"));
        assert!(is_challenge_code(&"a".repeat(128)));
        for bad in [
            "",
            " x",
            "hmacsha256={\"leadGenFormResponse\":1}",
            "a=b",
            "a_b",
            "a.b",
            "é",
            &"a".repeat(129),
        ] {
            assert!(!is_challenge_code(bad), "{bad:?}");
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
    fn failures_never_show_the_secret_or_the_right_signature() {
        for sig in [None, Some("zz"), Some(SHORT_SIG)] {
            let err =
                verify_signature("super-secret-value", sig, SHORT_BODY.as_bytes()).unwrap_err();
            let text = err.to_json().to_string();
            assert!(!text.contains("super-secret-value"), "{text}");
            let right = sign("super-secret-value", SHORT_BODY.as_bytes());
            assert!(!text.contains(&right), "{text}");
        }
    }

    #[test]
    fn parses_the_documented_notification() {
        let out = parse_notifications(FULL_BODY).unwrap();
        assert_eq!(
            serde_json::to_value(&out).unwrap(),
            serde_json::json!([{
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
            }])
        );
    }

    #[test]
    fn parses_an_array_with_absent_optional_keys() {
        let out = parse_notifications(ARRAY_BODY).unwrap();
        let first = &out[0];
        assert_eq!(first.action.as_deref(), Some("DELETED"));
        assert_eq!(first.form_id.as_deref(), Some("99"));
        assert_eq!(first.form_version, None);
        assert_eq!(first.occurred_at, Some(1));
        let second = &out[1];
        assert_eq!(second.lead_id, "b-2");
        assert_eq!(second.lead_type, None);
        assert_eq!(second.owner, None);
        assert_eq!(
            serde_json::to_value(second).unwrap()["formUrn"],
            Value::Null
        );
    }

    #[test]
    fn notification_without_lead_urn_is_a_decode_error() {
        let err = parse_notifications(r#"{"leadAction":"CREATED"}"#).unwrap_err();
        assert_eq!(err.kind(), "decode");
        assert!(
            err.message().contains("leadGenFormResponse"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn signature_header_is_case_insensitive_and_unique() {
        let headers = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect()
        };
        for name in ["X-LI-Signature", "x-li-signature", "X-Li-SIGNATURE"] {
            let given = headers(&[("content-type", "application/json"), (name, FULL_SIG)]);
            assert_eq!(signature_header(&given).unwrap(), Some(FULL_SIG));
        }
        let twice = headers(&[("X-LI-Signature", FULL_SIG), ("x-li-signature", FULL_SIG)]);
        assert_eq!(
            signature_header(&twice).unwrap_err().kind(),
            "invalid-signature"
        );
    }

    #[test]
    fn signatures_that_are_not_64_hex_digits_are_refused() {
        for bad in ["0", "0g", "é0", &FULL_SIG[..62], &format!("{FULL_SIG}00")] {
            let err = verify_signature(SECRET, Some(bad), b"{}").unwrap_err();
            assert!(err.message().contains("64 hex digits"), "{bad}: {err}");
        }
    }

    // Case counts come from PROPTEST_CASES (default 256); `make fuzz` raises it.
    proptest! {
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

        /// The challenge is no signing oracle: for any code it accepts, its answer never
        /// verifies as the signature of a notification, whatever the body. A verifying answer
        /// would need `code == "hmacsha256=" + body`, so the bodies tried are every way to read
        /// the code as such a message, plus random ones.
        #[test]
        fn prop_challenge_answers_never_sign_a_notification(
            code in "[a-zA-Z0-9-]{1,128}|hmacsha256[a-zA-Z0-9=-]{0,40}|[ -~]{0,60}",
            body in "[ -~]{0,60}",
            secret in "[!-~]{1,40}",
        ) {
            if is_challenge_code(&code) {
                let answer = challenge_response(&secret, &code);
                let mut bodies = vec![body.into_bytes(), code.as_bytes().to_vec()];
                if let Some(rest) = code.strip_prefix(SIGNED_PREFIX) {
                    bodies.push(rest.as_bytes().to_vec());
                }
                for body in bodies {
                    prop_assert!(verify_signature(&secret, Some(&answer), &body).is_err());
                }
            }
        }

        #[test]
        fn prop_signed_json_never_panics_the_parser(
            body in "[\\[\\]{}\":,0-9a-zA-Z ]{0,120}|\\{\"leadGenFormResponse\":\"[ -~]{0,40}\"[ -~]{0,60}",
        ) {
            if let Err(e) = parse_notifications(&body) {
                prop_assert_eq!(e.kind(), "decode");
            }
        }
    }
}
