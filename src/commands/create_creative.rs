//! create-creative: an ad that sponsors an existing post (a "dark" post made with
//! `feedDistribution: NONE`, or any post of the page), in a campaign.

use serde::Serialize;

use crate::commands::shared::ads::{
    AccountRef, AdCreated, AdKind, CampaignRef, LeadgenCallToAction, LeadgenInput, NewStatus,
    WRITE_SCOPES, account_path,
};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::input::Choice;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::AD_CREATIVE_ROLE;
use crate::core::urn::{PostKinds, Urn, post_urn};

#[derive(Default)]
pub struct CreateCreative;

crate::input! {
    /// Input of create-creative.
    pub struct Input {
        /// The ad account: its id, urn:li:sponsoredAccount:{id} or sponsoredAccount:{id}.
        #[param(example = "urn:li:sponsoredAccount:520866471")]
        pub ad_account: AccountRef,
        /// The campaign the ad runs in: its id, URN or short form.
        #[param(example = "urn:li:sponsoredCampaign:360035215")]
        pub campaign: CampaignRef,
        /// The post the ad shows: urn:li:share:{id} or urn:li:ugcPost:{id} (as
        /// create-post-with-media returns it), its feed URL, or for a SPONSORED_INMAILS
        /// campaign an urn:li:adInMailContent:{id}.
        #[param(example = "urn:li:share:6778045555198214144")]
        pub post: String,
        /// The ad's name in Campaign Manager.
        #[param(example = "Ad A")]
        pub name: Option<String>,
        /// DRAFT (the default), ACTIVE or PAUSED. LinkedIn reviews an ad when it becomes
        /// ACTIVE; its campaign's status wins (a paused campaign shows no ads).
        pub intended_status: NewStatus = NewStatus::Draft,
        /// For a LEAD_GENERATION campaign: {"destination": "urn:li:adForm:{id}", "label":
        /// "SIGN_UP"}, label one of APPLY, DOWNLOAD, VIEW_QUOTE, LEARN_MORE, SIGN_UP,
        /// SUBSCRIBE, REGISTER, REQUEST_DEMO, JOIN, ATTEND, UNLOCK_FULL_DOCUMENT. The
        /// destination can change only while the ad is a DRAFT.
        #[param(example_json = r#"{"destination": "urn:li:adForm:12376713", "label": "SIGN_UP"}"#)]
        pub leadgen_call_to_action: Option<LeadgenInput>,
    }
}

/// The body of `POST /rest/adAccounts/{id}/creatives`. No `account`: LinkedIn takes it from the
/// path and refuses it in the body.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewCreative {
    campaign: String,
    content: Content,
    intended_status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    leadgen_call_to_action: Option<LeadgenCallToAction>,
}

#[derive(Serialize)]
struct Content {
    reference: String,
}

impl Command for CreateCreative {
    const SPEC: Spec = Spec {
        name: "create-creative",
        title: "Create creative",
        description: "Creates an ad (creative) in a campaign that sponsors an existing post, \
                      DRAFT unless told otherwise, with an optional lead-gen form button, and \
                      returns its id and URN. For an ad that appears only as an ad, make the \
                      post first with create-post-with-media and feedDistribution NONE. \
                      Launch it with update-ad-status, which also says whether it serves.",
        scopes: &[WRITE_SCOPES],
        role: AD_CREATIVE_ROLE,
        calls: &["POST /rest/adAccounts/{id}/creatives"],
        versioned: true,
    };
    type Input = Input;
    type Output = AdCreated;

    fn run(input: Input, api: &mut Client<'_>) -> Result<AdCreated, Error> {
        let reference = match Urn::parse(&input.post) {
            Ok(urn) if urn.kind() == "adInMailContent" => urn.to_string(),
            _ => post_urn(&input.post, "post", PostKinds::Posts)?.to_string(),
        };
        let account = &input.ad_account.0;
        let body = NewCreative {
            campaign: input.campaign.0.urn(),
            content: Content { reference },
            intended_status: input.intended_status.as_str(),
            name: input.name.filter(|n| !n.trim().is_empty()),
            leadgen_call_to_action: input.leadgen_call_to_action.map(LeadgenInput::checked),
        };
        let response = api.send(
            ApiRequest::new(
                http::Method::POST,
                Api::Rest,
                account_path(account, "/creatives"),
            )
            .json(&body),
        )?;
        AdCreated::from_response(&response, AdKind::Creative)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn posts_the_documented_body_without_account() {
        let mut env = ScriptEnv::new().respond(
            201,
            &[("x-restli-id", "urn%3Ali%3AsponsoredCreative%3A120491345")],
            "",
        );
        let out = run::<CreateCreative>(
            &mut env,
            json!({"adAccount": 520866471, "campaign": "360035215",
                   "post": "https://www.linkedin.com/feed/update/urn:li:share:6778045555198214144/",
                   "name": "Ad A", "intendedStatus": "active",
                   "leadgenCallToAction": {"destination": "urn:li:adForm:12376713", "label": "sign_up"}}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/adAccounts/520866471/creatives"
        );
        assert_eq!(
            env.sent[0].json(),
            json!({"campaign": "urn:li:sponsoredCampaign:360035215",
                   "content": {"reference": "urn:li:share:6778045555198214144"},
                   "intendedStatus": "ACTIVE", "name": "Ad A",
                   "leadgenCallToAction": {"destination": "urn:li:adForm:12376713", "label": "SIGN_UP"}})
        );
        assert_eq!(out["id"], "120491345");
        assert_eq!(out["urn"], "urn:li:sponsoredCreative:120491345");
    }

    #[test]
    fn bad_input_sends_nothing() {
        let ok = json!({"adAccount": 1, "campaign": 2, "post": "urn:li:share:3"});
        let with = |key: &str, value: serde_json::Value| {
            let mut input = ok.clone();
            input[key] = value;
            input
        };
        for (input, field) in [
            (with("post", json!("urn:li:activity:3")), "post"),
            (with("post", json!("urn:li:sponsoredCreative:3")), "post"),
            (
                with("campaign", json!("urn:li:sponsoredCampaignGroup:2")),
                "campaign",
            ),
            (with("intendedStatus", json!("ARCHIVED")), "intendedStatus"),
            (
                with(
                    "leadgenCallToAction",
                    json!({"destination": "urn:li:leadGenForm:1", "label": "SIGN_UP"}),
                ),
                "leadgenCallToAction.destination",
            ),
            (
                with(
                    "leadgenCallToAction",
                    json!({"destination": "urn:li:adForm:1", "label": "BUY"}),
                ),
                "leadgenCallToAction.label",
            ),
            (
                with(
                    "leadgenCallToAction",
                    json!({"destination": "urn:li:adForm:1"}),
                ),
                "leadgenCallToAction.label",
            ),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(
                field_of(run::<CreateCreative>(&mut env, input.clone())),
                field,
                "{input}"
            );
            assert!(env.sent.is_empty());
        }
    }
}
