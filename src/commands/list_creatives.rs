//! list-creatives: an ad account's creatives (ads), optionally only those of some campaigns, a
//! page at a time (Ads criteria finder, cursor paging).

use serde::Serialize;
use serde_json::value::RawValue;

use crate::commands::shared::ads::{
    AccountRef, AdKind, CampaignRef, CreativePageSize, LeadgenCallToAction, READ_SCOPES,
    account_path, restli_list, search_page,
};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::paging::{self, CursorPage};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::AD_READ_ROLE;

#[derive(Default)]
pub struct ListCreatives;

crate::input! {
    /// Input of list-creatives.
    pub struct Input {
        /// The ad account: its id, urn:li:sponsoredAccount:{id} or sponsoredAccount:{id}.
        #[param(example = "urn:li:sponsoredAccount:520866471")]
        pub ad_account: AccountRef,
        /// Only the creatives of these campaigns (ids or URNs). Empty: every campaign.
        #[param(example_json = r#"["urn:li:sponsoredCampaign:360035215"]"#)]
        pub campaigns: Option<Vec<CampaignRef>>,
        /// Creatives per page, 1 to 100.
        pub page_size: CreativePageSize = CreativePageSize::DEFAULT,
        /// Empty for the first page; then the pageToken of the previous page's `next`.
        pub page_token: Option<String>,
    }
}

/// One creative. Mirrors the WIT `creative` record.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Creative {
    /// Digits.
    pub id: String,
    pub urn: String,
    pub name: Option<String>,
    /// The campaign's URN.
    pub campaign: Option<String>,
    pub intended_status: Option<String>,
    /// The sponsored post (`content.reference`).
    pub post: Option<String>,
    /// PENDING, APPROVED, REJECTED or NEEDS_REVIEW; none before review.
    pub review_status: Option<String>,
    /// Why it does not serve.
    pub serving_hold_reasons: Vec<String>,
    pub leadgen_call_to_action: Option<LeadgenCallToAction>,
    pub raw: Box<RawValue>,
}

impl Command for ListCreatives {
    const SPEC: Spec = Spec {
        name: "list-creatives",
        title: "List creatives",
        description: "Lists an ad account's creatives (ads), optionally only those of some \
                      campaigns, pageSize (at most 100) at a time: each with its id, URN, name, \
                      campaign, intended status, the post it sponsors, its review status, why \
                      it is held from serving, and its lead-gen call to action. `next` is the \
                      input to merge for the following page ({\"pageToken\": …}), or null after \
                      the last.",
        scopes: &[READ_SCOPES],
        role: AD_READ_ROLE,
        calls: &[
            "GET /rest/adAccounts/{id}/creatives?q=criteria&campaigns=List(…)\
                  &sortOrder=ASCENDING&pageSize=&pageToken= (FINDER)",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = CursorPage<Creative>;

    fn run(input: Input, api: &mut Client<'_>) -> Result<CursorPage<Creative>, Error> {
        let campaigns = input.campaigns.unwrap_or_default();
        let mut request =
            ApiRequest::get(Api::Rest, account_path(&input.ad_account.0, "/creatives"))
                .query_raw("q", "criteria");
        if !campaigns.is_empty() {
            request = request.query_raw("campaigns", restli_list(campaigns.iter().map(|c| &c.0)));
        }
        // LinkedIn's docs say the creatives finder must carry this header.
        let request = request
            .query_raw("sortOrder", "ASCENDING")
            .header("x-restli-method", "FINDER");
        let response = api.send(paging::cursor(
            request,
            input.page_size.0,
            input.page_token.as_deref(),
        ))?;
        let page = search_page(&response, AdKind::Creative)?;
        let mut items = Vec::with_capacity(page.items.len());
        for (creative, id, raw) in page.items {
            items.push(Creative {
                urn: id.urn(),
                id: id.id,
                name: creative.name,
                campaign: creative.campaign,
                intended_status: creative.intended_status,
                post: creative.content.and_then(|c| c.reference),
                review_status: creative.review.and_then(|r| r.status),
                serving_hold_reasons: creative.serving_hold_reasons.unwrap_or_default(),
                leadgen_call_to_action: creative.leadgen_call_to_action,
                raw,
            });
        }
        Ok(CursorPage {
            items,
            next: page.next,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::{Value, json};

    #[test]
    fn finds_by_campaign_with_the_finder_header() {
        let body = r#"{"elements":[{"id":"urn:li:sponsoredCreative:120491345","campaign":"urn:li:sponsoredCampaign:360035215","intendedStatus":"ACTIVE","content":{"reference":"urn:li:share:6778045555198214144"},"review":{"status":"APPROVED"},"leadgenCallToAction":{"destination":"urn:li:adForm:12376713","label":"SIGN_UP"}}],"metadata":{"nextPageToken":"x/y="}}"#;
        let mut env = ScriptEnv::new().respond(200, &[], body);
        let out = run::<ListCreatives>(
            &mut env,
            json!({"adAccount": 520866471, "campaigns": [360035215], "pageSize": 100}),
        )
        .unwrap();
        let sent = &env.sent[0];
        assert_eq!(
            sent.url,
            "https://api.linkedin.com/rest/adAccounts/520866471/creatives?q=criteria&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A360035215)&sortOrder=ASCENDING&pageSize=100"
        );
        assert_eq!(sent.header("x-restli-method"), Some("FINDER"));
        let creative = &out["items"][0];
        assert_eq!(creative["id"], "120491345");
        assert_eq!(creative["post"], "urn:li:share:6778045555198214144");
        assert_eq!(creative["reviewStatus"], "APPROVED");
        assert_eq!(creative["servingHoldReasons"], json!([]));
        assert_eq!(creative["leadgenCallToAction"]["label"], "SIGN_UP");
        assert_eq!(out["next"], json!({"pageToken": "x/y="}));
        assert_ne!(creative["raw"], Value::Null);
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (json!({"adAccount": 1, "pageSize": 101}), "pageSize"),
            (
                json!({"adAccount": 1, "campaigns": ["urn:li:sponsoredCreative:1"]}),
                "campaigns[0]",
            ),
            (json!({"adAccount": 1, "campaigns": "1"}), "campaigns"),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<ListCreatives>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
