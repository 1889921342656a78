//! parse-lead-notification: verifies a Lead Sync webhook request and reads its notifications,
//! optionally fetching each created lead.

use serde::Serialize;
use serde_json::Value;

use crate::core::command::{Command, Spec};
use crate::core::error::{Error, quoted};
use crate::core::input::{Field, Pairs, ParamType, scalar_text, wrong_type};
use crate::core::leads::LeadFetcher;
use crate::core::pipeline::Client;
use crate::core::spec::LEAD_ROLE;
use crate::core::webhook::{
    LeadNotification, parse_notifications, signature_header, verify_signature,
};

#[derive(Default)]
pub struct ParseLeadNotification;

/// The webhook body as text. A parsed JSON value is refused with its own message: the signature
/// covers the bytes as received, which a parsed value no longer has.
#[derive(Clone, Debug, PartialEq)]
pub struct RawBody(pub String);

impl Field for RawBody {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        match value {
            Value::String(s) => Ok(RawBody(s.clone())),
            Value::Object(_) | Value::Array(_) => Err(Error::invalid(
                name,
                format!(
                    "`{name}` must be the request body as text, exactly as received; a parsed \
                     JSON value cannot be checked against the signature."
                ),
            )),
            other => Err(wrong_type(name, "a string", other)),
        }
    }
}

crate::input! {
    /// Input of parse-lead-notification.
    pub struct Input {
        /// The webhook request's headers as an object of name to value; must include
        /// X-LI-Signature (names in any letter case).
        #[param(title = "Request headers", example_json = r#"{"X-LI-Signature": "784c87b9a44b9df997f7700c06accf80b0e487124742d1471e779e132386db7c"}"#)]
        pub headers: Pairs,
        /// The webhook request's body as text, exactly as received: the signature covers these
        /// bytes, so a re-serialised body fails.
        #[param(title = "Raw body", example = "{\"type\":\"LEAD_ACTION\",\"leadAction\":\"CREATED\"}")]
        pub body: RawBody,
        /// Also fetch each CREATED lead (answers and form) and add it as `lead`.
        #[param(title = "Fetch leads")]
        pub fetch_lead: bool = false,
    }
}

/// The verified notifications of one webhook request. Mirrors the WIT `lead-notifications`.
#[derive(Clone, Debug, Serialize)]
pub struct LeadNotifications {
    pub notifications: Vec<LeadNotification>,
}

impl Command for ParseLeadNotification {
    const SPEC: Spec = Spec {
        name: "parse-lead-notification",
        title: "Parse lead notification",
        description: "Verifies the X-LI-Signature of a Lead Sync webhook POST with the app's \
                      client secret, then returns its notifications (lead URN, action, form, \
                      owner); with fetchLead it also fetches each created lead with its answers.",
        scopes: &["r_marketing_leadgen_automation"],
        role: LEAD_ROLE,
        calls: &[
            "GET /rest/leadFormResponses/{id} (fetchLead)",
            "GET /rest/leadForms/{id} (fetchLead, when the form is not inlined)",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = LeadNotifications;

    fn run(input: Input, api: &mut Client<'_>) -> Result<LeadNotifications, Error> {
        let headers = header_texts(&input.headers)?;
        let signature = signature_header(&headers)?;
        let secret = api.client_secret()?;
        verify_signature(&secret, signature, input.body.0.as_bytes())?;
        drop(secret);
        let mut notifications = parse_notifications(&input.body.0)?;
        if input.fetch_lead {
            let mut fetcher = LeadFetcher::default();
            for n in notifications
                .iter_mut()
                .filter(|n| n.action.as_deref() == Some("CREATED"))
            {
                n.lead = Some(fetcher.fetch(api, &n.lead_id)?);
            }
        }
        Ok(LeadNotifications { notifications })
    }
}

/// Header values as platforms pass them: text, a number, or a list of values (joined as HTTP
/// joins repeated headers). `null` means absent.
fn header_texts(headers: &Pairs) -> Result<Vec<(String, String)>, Error> {
    let mut out = Vec::new();
    for (name, value) in &headers.0 {
        let text = match value {
            Value::Null => continue,
            Value::Array(items) => {
                let parts: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
                parts
                    .map(|parts| parts.join(", "))
                    .ok_or_else(|| header_value_error(name))?
            }
            scalar => scalar_text(scalar).ok_or_else(|| header_value_error(name))?,
        };
        out.push((name.clone(), text));
    }
    Ok(out)
}

fn header_value_error(name: &str) -> Error {
    Error::invalid(
        "headers",
        format!(
            "`headers` value of {} must be text or a list of texts.",
            quoted(name)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::pipeline::CredentialError;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use proptest::prelude::*;
    use serde_json::json;

    const FULL_BODY: &str = r#"{"type":"LEAD_ACTION","leadGenFormResponse":"urn:li:leadGenFormResponse:249592fc-d272-44ba-a7db-c2bdce579507-6","leadGenForm":"urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)","owner":{"sponsoredAccount":"urn:li:sponsoredAccount:520866471"},"associatedEntity":{"sponsoredCreative":"urn:li:sponsoredCreative:241257736"},"leadType":"SPONSORED","leadAction":"CREATED","occurredAt":1686182358881}"#;
    const FULL_SIG: &str = "c8f69bba19dc953c82a975d4f8b0641ef1c114c1ffb3e9014cc80e46864046f7";
    const SHORT_SIG: &str = "784c87b9a44b9df997f7700c06accf80b0e487124742d1471e779e132386db7c";
    const ARRAY_BODY: &str = r#"[{"leadGenFormResponse":"urn:li:leadGenFormResponse:a-1","leadAction":"DELETED","leadType":"EVENT","leadGenForm":"urn:li:leadGenForm:99","owner":{"organization":"urn:li:organization:123"},"associatedEntity":{"event":"urn:li:event:789"},"occurredAt":1},{"leadGenFormResponse":"urn:li:leadGenFormResponse:b-2","leadAction":"CREATED"}]"#;
    const ARRAY_SIG: &str = "ca43684650c144a4aaf5f0809dd0cbe328d35cb11c0b37029ba53dd63fbe29b2";
    const NO_URN_BODY: &str = r#"{"leadAction":"CREATED"}"#;
    const NO_URN_SIG: &str = "4d427af1562d0eaefd7029defac82fdd434f8064a4dec5983d8937670ef7da0c";

    fn parse(env: &mut ScriptEnv, headers: Value, body: &str) -> Result<Value, Error> {
        run::<ParseLeadNotification>(env, json!({"headers": headers, "body": body}))
    }

    #[test]
    fn header_name_is_case_insensitive() {
        for name in ["X-LI-Signature", "x-li-signature", "X-Li-SIGNATURE"] {
            let mut env = ScriptEnv::new();
            let wrong = parse(
                &mut env,
                json!({"content-type": "application/json", name: SHORT_SIG}),
                FULL_BODY,
            );
            assert_eq!(wrong.unwrap_err().kind(), "invalid-signature");
            let out = parse(&mut env, json!({name: FULL_SIG}), FULL_BODY).unwrap();
            assert_eq!(out["notifications"].as_array().unwrap().len(), 1);
        }
        let twice = parse(
            &mut ScriptEnv::new(),
            json!([["X-LI-Signature", FULL_SIG], ["x-li-signature", FULL_SIG]]),
            FULL_BODY,
        );
        assert_eq!(twice.unwrap_err().kind(), "invalid-signature");
    }

    #[test]
    fn verification_failures_are_invalid_signature_and_parse_nothing() {
        let mut env = ScriptEnv::new();
        env.secret = Ok(String::new());
        let err = parse(&mut env, json!({"X-LI-Signature": FULL_SIG}), FULL_BODY).unwrap_err();
        assert_eq!(err.kind(), "invalid-signature");
        let err = parse(&mut ScriptEnv::new(), json!({}), FULL_BODY).unwrap_err();
        assert_eq!(err.kind(), "invalid-signature");
        // A body that is not JSON fails on the signature, not on parsing.
        let err = parse(
            &mut ScriptEnv::new(),
            json!({"X-LI-Signature": FULL_SIG}),
            "not json",
        )
        .unwrap_err();
        assert_eq!(err.kind(), "invalid-signature");
        let mut env = ScriptEnv::new();
        env.secret = Err(CredentialError::Unavailable("vault down".into()));
        let err = parse(&mut env, json!({"X-LI-Signature": FULL_SIG}), FULL_BODY).unwrap_err();
        assert_eq!(err.kind(), "credentials");
    }

    #[test]
    fn a_notification_without_lead_urn_is_a_decode_error() {
        let err = parse(
            &mut ScriptEnv::new(),
            json!({"X-LI-Signature": NO_URN_SIG}),
            NO_URN_BODY,
        )
        .unwrap_err();
        assert_eq!(err.kind(), "decode");
    }

    #[test]
    fn fetch_lead_fetches_created_leads_only() {
        let lead = r#"{"id":"b-2","versionedLeadGenFormUrn":"urn:li:versionedLeadGenForm:(urn:li:leadGenForm:99,2)","submittedAt":5,"form":{"id":99,"content":{"questions":[{"questionId":1,"predefinedField":"EMAIL","question":{"localized":{"en_US":"Email"}}}]}},"formResponse":{"answers":[{"questionId":1,"answerDetails":{"textQuestionAnswer":{"answer":"a@b.c"}}}]}}"#;
        let mut env = ScriptEnv::new().respond(200, &[], lead);
        let out = run::<ParseLeadNotification>(
            &mut env,
            json!({"headers": {"x-li-signature": ARRAY_SIG}, "body": ARRAY_BODY, "fetchLead": true}),
        )
        .unwrap();
        assert_eq!(env.sent.len(), 1);
        assert!(
            env.sent[0].url.starts_with(
                "https://api.linkedin.com/rest/leadFormResponses/b-2?fields=ownerInfo,"
            ),
            "{}",
            env.sent[0].url
        );
        assert!(out["notifications"][0].get("lead").is_none());
        assert_eq!(
            out["notifications"][1]["lead"]["fields"],
            json!({"EMAIL": "a@b.c"})
        );
        assert_eq!(out["notifications"][1]["lead"]["raw"]["id"], "b-2");
    }

    #[test]
    fn reads_headers_and_refuses_parsed_bodies() {
        let mut env = ScriptEnv::new();
        let out = run::<ParseLeadNotification>(
            &mut env,
            json!({
                "headers": {"X-LI-Signature": [FULL_SIG], "Content-Length": 12, "x-empty": null},
                "body": FULL_BODY,
                "fetchLead": "false"
            }),
        );
        assert!(out.is_ok(), "{out:?}");
        let field = |v: Value| field_of(run::<ParseLeadNotification>(&mut ScriptEnv::new(), v));
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

    proptest! {
        #[test]
        fn prop_verifier_never_panics_and_rejects_unsigned(
            headers in proptest::collection::vec(
                ("X-LI-Signature|x-li-signature|X-Li-Signature |[ -~]{1,20}", "(hmacsha256=)?[0-9a-fA-F]{64}|\\PC{0,80}"),
                0..4,
            ),
            body in "\\PC{1,200}",
            secret in "[ -~]{0,20}",
        ) {
            let mut env = ScriptEnv::new();
            env.secret = Ok(secret.clone());
            let pairs: Vec<Value> = headers.iter().map(|(n, v)| json!([n, v])).collect();
            let result = run::<ParseLeadNotification>(&mut env, json!({"headers": pairs, "body": body}));
            if let Err(e) = result {
                prop_assert!(matches!(e.kind(), "invalid-signature" | "invalid-input" | "credentials"), "{:?}", e);
            }
            prop_assert!(env.sent.is_empty());
        }
    }
}
