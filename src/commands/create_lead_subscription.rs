//! create-lead-subscription: registers a webhook that LinkedIn notifies of each new lead of an
//! ad account or an organization, or of one form (Lead Sync `leadNotifications`).

use serde::Serialize;

use crate::commands::shared::lead_sync::{LeadType, Owner, SCOPES};
use crate::core::command::{Command, Spec};
use crate::core::error::{Error, quoted};
use crate::core::leads::FormVersion;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::LEAD_ROLE;

#[derive(Default)]
pub struct CreateLeadSubscription;

/// LinkedIn's limit on a webhook URL.
const MAX_WEBHOOK: usize = 2000;

crate::input! {
    /// Input of create-lead-subscription.
    pub struct Input {
        /// Whose leads: an ad account (urn:li:sponsoredAccount:{id}, or sponsoredAccount:{id})
        /// or an organization (urn:li:organization:{id}, or organization:{id}). A bare number is
        /// refused, since it could be either.
        #[param(example = "urn:li:sponsoredAccount:520866471")]
        pub owner: Owner,
        /// The https URL LinkedIn posts each lead notification to, at most 2,000 characters. It
        /// must already answer LinkedIn's validation challenge: LinkedIn calls it before it
        /// accepts the subscription.
        #[param(example = "https://hooks.example.com/linkedin/leads", max_length = 2000)]
        pub webhook: String,
        /// SPONSORED (an ad account's leads, its default), COMPANY (an organization's default),
        /// EVENT or ORGANIZATION_PRODUCT.
        pub lead_type: Option<LeadType>,
        /// Only the leads of this form version (a form-level subscription): its versioned URN,
        /// as list-lead-forms gives it in formUrn.
        #[param(example = "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)")]
        pub form: Option<FormVersion>,
    }
}

/// The body of `POST /rest/leadNotifications`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewSubscription<'a> {
    webhook: &'a str,
    owner: &'a Owner,
    lead_type: LeadType,
    #[serde(skip_serializing_if = "Option::is_none")]
    versioned_form: Option<String>,
}

/// A subscription LinkedIn created. Mirrors the WIT `lead-subscription-created`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionCreated {
    /// The subscription id (from `x-restli-id`), what delete-lead-subscription takes.
    pub id: String,
    pub webhook: String,
    /// The owner as LinkedIn's union (`{"sponsoredAccount": URN}` or `{"organization": URN}`).
    pub owner: Owner,
    pub lead_type: LeadType,
    /// The versioned form URN of a form-level subscription.
    pub versioned_form: Option<String>,
}

impl Command for CreateLeadSubscription {
    const SPEC: Spec = Spec {
        name: "create-lead-subscription",
        title: "Create lead subscription",
        description: "Registers a webhook that LinkedIn notifies of each new (and deleted) lead \
                      of an ad account or an organization, or of one form version, and returns \
                      the subscription id. LinkedIn validates the webhook first: it must already \
                      answer LinkedIn's challenge GET (with the lead receiver, or \
                      answer-webhook-challenge), over https. Child applications are not \
                      supported. Needs r_marketing_leadgen_automation, and a role on the ad \
                      account or the page.",
        scopes: SCOPES,
        role: LEAD_ROLE,
        calls: &[
            "POST /rest/leadNotifications {webhook, owner: {sponsoredAccount|organization}, leadType, versionedForm?}",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = SubscriptionCreated;

    fn run(input: Input, api: &mut Client<'_>) -> Result<SubscriptionCreated, Error> {
        let lead_type = input.owner.lead_type(input.lead_type, "leadType")?;
        let webhook = webhook(&input.webhook)?;
        let versioned_form = input.form.as_ref().map(FormVersion::to_string);
        let body = NewSubscription {
            webhook,
            owner: &input.owner,
            lead_type,
            versioned_form: versioned_form.clone(),
        };
        let response = api
            .send(ApiRequest::new(http::Method::POST, Api::Rest, "/leadNotifications").json(&body))
            .map_err(challenge_hint)?;
        Ok(SubscriptionCreated {
            id: response.created_id()?,
            webhook: webhook.to_string(),
            owner: input.owner,
            lead_type,
            versioned_form,
        })
    }
}

/// The webhook, trimmed: an https URL of at most 2,000 characters (LinkedIn posts only to
/// https), without white space inside, sent as typed.
fn webhook(text: &str) -> Result<&str, Error> {
    let text = text.trim();
    let refuse = |why: String| Error::invalid("webhook", why);
    if text.chars().count() > MAX_WEBHOOK {
        return Err(refuse(format!(
            "`webhook` is longer than LinkedIn's {MAX_WEBHOOK} characters."
        )));
    }
    if text.chars().any(char::is_whitespace) {
        return Err(refuse(
            "`webhook` has white space in it; percent-encode it (%20).".to_string(),
        ));
    }
    match url::Url::parse(text) {
        Ok(url) if url.scheme() == "https" && url.host_str().is_some_and(|h| !h.is_empty()) => {
            Ok(text)
        }
        Ok(url) => Err(refuse(format!(
            "`webhook` must be an https URL (LinkedIn posts leads only over https), not {}.",
            url.scheme()
        ))),
        Err(_) => Err(refuse(format!(
            "`webhook` must be an https URL such as https://hooks.example.com/linkedin, not {}.",
            quoted(text)
        ))),
    }
}

/// LinkedIn refuses a webhook that did not answer its validation challenge with a 400; the error
/// then says what to do about it.
fn challenge_hint(error: Error) -> Error {
    match error {
        Error::Api(mut e)
            if e.status == 400 && e.message.to_ascii_lowercase().contains("challenge") =>
        {
            let said = e.message.trim_end_matches('.').to_string();
            e.message = format!(
                "{said}: the webhook must answer LinkedIn's validation GET (its challengeCode, \
                 signed with the app's client secret) before a subscription is created, so \
                 deploy the lead receiver or answer with answer-webhook-challenge, then create \
                 the subscription again."
            );
            Error::Api(e)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn creates_a_form_level_subscription() {
        let mut env = ScriptEnv::new().respond(201, &[("x-restli-id", "5107")], "");
        let out = run::<CreateLeadSubscription>(
            &mut env,
            json!({"owner": "organization:2414183", "webhook": " https://h.example.com/li?x=1 ",
                   "leadType": "event",
                   "form": "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:818, 2)"}),
        )
        .unwrap();
        assert_eq!(env.sent[0].method, http::Method::POST);
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/leadNotifications"
        );
        assert_eq!(
            env.sent[0].json(),
            json!({"webhook": "https://h.example.com/li?x=1",
                   "owner": {"organization": "urn:li:organization:2414183"},
                   "leadType": "EVENT",
                   "versionedForm": "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:818,2)"})
        );
        assert_eq!(
            out,
            json!({"id": "5107", "webhook": "https://h.example.com/li?x=1",
                   "owner": {"organization": "urn:li:organization:2414183"},
                   "leadType": "EVENT",
                   "versionedForm": "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:818,2)"})
        );
    }

    #[test]
    fn a_failed_challenge_says_what_to_do() {
        let mut env = ScriptEnv::new().respond(
            400,
            &[],
            r#"{"status":400,"message":"This URL did not pass the security challenge check"}"#,
        );
        let err = run::<CreateLeadSubscription>(
            &mut env,
            json!({"owner": "sponsoredAccount:1", "webhook": "https://h.example.com/"}),
        )
        .unwrap_err();
        assert_eq!(err.kind(), "api");
        assert!(
            err.message()
                .contains("did not pass the security challenge check"),
            "{err}"
        );
        assert!(err.message().contains("answer-webhook-challenge"), "{err}");
        let mut env = ScriptEnv::new().respond(400, &[], r#"{"status":400,"message":"Bad owner"}"#);
        let err = run::<CreateLeadSubscription>(
            &mut env,
            json!({"owner": "sponsoredAccount:1", "webhook": "https://h.example.com/"}),
        )
        .unwrap_err();
        assert!(!err.message().contains("answer-webhook-challenge"), "{err}");
    }

    #[test]
    fn bad_input_sends_nothing() {
        let long = format!("https://h.example.com/{}", "a".repeat(MAX_WEBHOOK));
        for (input, field) in [
            (
                json!({"owner": "1", "webhook": "https://h.example.com/"}),
                "owner",
            ),
            (json!({"owner": "organization:1"}), "webhook"),
            (
                json!({"owner": "organization:1", "webhook": "http://h.example.com/"}),
                "webhook",
            ),
            (
                json!({"owner": "organization:1", "webhook": "h.example.com/x"}),
                "webhook",
            ),
            (
                json!({"owner": "organization:1", "webhook": "https://h.example.com/a b"}),
                "webhook",
            ),
            (
                json!({"owner": "organization:1", "webhook": "https://"}),
                "webhook",
            ),
            (
                json!({"owner": "organization:1", "webhook": long}),
                "webhook",
            ),
            (
                json!({"owner": "organization:1", "webhook": "https://h.example.com/", "leadType": "SPONSORED"}),
                "leadType",
            ),
            (
                json!({"owner": "organization:1", "webhook": "https://h.example.com/", "form": "urn:li:leadGenForm:1"}),
                "form",
            ),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(
                field_of(run::<CreateLeadSubscription>(&mut env, input.clone())),
                field,
                "{input}"
            );
            assert!(env.sent.is_empty());
        }
    }
}
