//! Lead Sync webhooks: the `X-LI-Signature` check, the notification parser behind it, and the
//! parse-lead-notification command end to end (headers and raw body as a platform passes them).
//!
//! Properties: a signature verifies exactly when it is the hex HMAC-SHA256 of `hmacsha256=` and
//! the body under a non-empty secret (computed here with the `hmac` crate), with or without the
//! prefix, in any case; the digest of the body alone never verifies; a parsed notification says
//! what the body says (one per object, the lead URN and its id, the form); a body that cannot be
//! read is a `decode` error with status 0; the command sends nothing, returns only notifications
//! of a body that verifies, and never the client secret.

#![no_main]

use hmac::{Hmac, Mac};
use libfuzzer_sys::fuzz_target;
use linkedin_connector::commands;
use linkedin_connector::core::leads;
use linkedin_connector::core::webhook::{
    is_challenge_code, parse_notifications, signature_header, verify_signature,
};
use linkedin_connector_fuzz::case::decode_webhook;
use linkedin_connector_fuzz::checks::{SECRET, error_problem, leak, result_text};
use linkedin_connector_fuzz::env::FuzzEnv;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some(case) = decode_webhook(data) else {
        return;
    };
    let sign = |secret: &str| {
        let signature = hmac_hex(secret, &["hmacsha256=", &case.body].concat());
        let signature = if case.prefixed {
            ["hmacsha256=", &signature].concat()
        } else {
            signature
        };
        if case.sign {
            signature
        } else {
            case.signature.clone()
        }
    };
    verify(&case.secret, &sign(&case.secret), &case.body);
    notifications(&case.body);
    command(&sign(SECRET), &case.body);
    if is_challenge_code(&case.signature) {
        // A code the challenge answers can never be a signed notification (`hmacsha256=...`).
        assert!(!case.signature.contains('='), "{:?}", case.signature);
    }
});

fn hmac_hex(secret: &str, message: &str) -> String {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).expect("any key");
    mac.update(message.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The hex digest a header value gives: trimmed, without the `hmacsha256=` prefix, lower case.
fn digest_of(signature: &str) -> String {
    let signature = signature.trim();
    let hex = match signature.get(..11) {
        Some(prefix) if prefix.eq_ignore_ascii_case("hmacsha256=") => &signature[11..],
        _ => signature,
    };
    hex.trim_start().to_ascii_lowercase()
}

fn verify(secret: &str, signature: &str, body: &str) {
    let expected = hmac_hex(secret, &["hmacsha256=", body].concat());
    match verify_signature(secret, Some(signature), body.as_bytes()) {
        Ok(()) => {
            assert!(!secret.is_empty(), "verified without a secret");
            assert_eq!(digest_of(signature), expected, "{signature:?} verified");
        }
        Err(e) => {
            assert_eq!(e.kind(), "invalid-signature");
            assert!(
                secret.is_empty() || digest_of(signature) != expected,
                "the right signature {signature:?} was refused: {e:?}"
            );
        }
    }
    assert!(verify_signature(secret, None, body.as_bytes()).is_err());
    let body_only = hmac_hex(secret, body);
    assert!(
        verify_signature(secret, Some(&body_only), body.as_bytes()).is_err(),
        "the digest of the body alone verified"
    );
}

fn notifications(body: &str) {
    let parsed = match parse_notifications(body) {
        Ok(parsed) => parsed,
        Err(e) => {
            assert_eq!(e.kind(), "decode", "{body:?}: {e:?}");
            assert_eq!(e.to_json()["status"], 0, "{body:?}: {e:?}");
            assert!(error_problem(&e).is_none());
            return;
        }
    };
    let value: Value = serde_json::from_str(body).expect("parsed, so JSON");
    let items = match &value {
        Value::Array(items) => items.clone(),
        object => vec![object.clone()],
    };
    assert_eq!(parsed.len(), items.len(), "{body:?}");
    for (n, item) in parsed.iter().zip(&items) {
        assert_eq!(
            item["leadGenFormResponse"].as_str(),
            Some(n.lead_urn.as_str())
        );
        assert_eq!(
            leads::lead_id_of_urn(&n.lead_urn).as_deref(),
            Some(n.lead_id.as_str())
        );
        assert_eq!(
            n.action,
            item["leadAction"].as_str().map(str::to_ascii_uppercase)
        );
        assert_eq!(n.form_urn.as_deref(), item["leadGenForm"].as_str());
        if let Some(form) = &n.form_urn {
            let (id, version) = leads::form_id_and_version(form).unzip();
            assert_eq!(n.form_id, id);
            assert_eq!(n.form_version, version.flatten());
        }
    }
}

fn command(signature: &str, body: &str) {
    let headers = vec![
        ("Content-Type".to_string(), "application/json".to_string()),
        ("x-li-signature".to_string(), signature.to_string()),
    ];
    assert_eq!(signature_header(&headers).ok().flatten(), Some(signature));
    let input = serde_json::json!({
        "headers": {"Content-Type": "application/json", "X-LI-Signature": signature},
        "body": body,
    });
    let mut env = FuzzEnv::new([]);
    let result = commands::execute(&mut env, "parse-lead-notification", input.to_string());
    assert!(
        env.sent.is_empty(),
        "a webhook without fetchLead sent a request"
    );
    let verified = verify_signature(SECRET, Some(signature), body.as_bytes()).is_ok();
    match &result {
        Ok(out) => {
            assert!(verified, "{signature:?} was not verified, yet parsed");
            let out: Value = serde_json::from_str(out).expect("the output is JSON");
            let count = parse_notifications(body).map(|n| n.len()).ok();
            assert_eq!(out["notifications"].as_array().map(Vec::len), count);
        }
        Err(e) => {
            assert!(error_problem(e).is_none(), "{e:?}");
            let blank = body.trim().is_empty() && e.field() == Some("body");
            assert!(
                ["invalid-signature", "decode"].contains(&e.kind()) || blank,
                "{body:?}: {e:?}"
            );
        }
    }
    let text = result_text(&result);
    assert_eq!(leak(&text, &env.secrets_read()), None, "{text}");
}
