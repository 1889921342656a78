//! list-campaigns: an ad account's campaigns, newest first, a page at a time, optionally only
//! those of some campaign groups or statuses (Ads search finder, cursor paging).

use serde::Serialize;
use serde_json::value::RawValue;

use crate::commands::shared::ads::{
    AccountRef, AdKind, AdLocale, CampaignGroupRef, Money, READ_SCOPES, RunSchedule, Search,
    SearchPageSize, account_path, search_page,
};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::input::Choice;
use crate::core::paging::{self, CursorPage};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::AD_READ_ROLE;

#[derive(Default)]
pub struct ListCampaigns;

crate::choice!(
    /// A campaign's status, as the search filter takes it.
    CampaignStatus {
        Active = "ACTIVE",
        Paused = "PAUSED",
        Archived = "ARCHIVED",
        Completed = "COMPLETED",
        Canceled = "CANCELED",
        Draft = "DRAFT",
        PendingDeletion = "PENDING_DELETION",
        Removed = "REMOVED"
    }
);

crate::input! {
    /// Input of list-campaigns.
    pub struct Input {
        /// The ad account: its id, urn:li:sponsoredAccount:{id} or sponsoredAccount:{id}.
        #[param(example = "urn:li:sponsoredAccount:506223315")]
        pub ad_account: AccountRef,
        /// Only the campaigns of these campaign groups (ids or URNs). Empty: every group.
        #[param(example_json = r#"["urn:li:sponsoredCampaignGroup:603407684"]"#)]
        pub campaign_groups: Option<Vec<CampaignGroupRef>>,
        /// Only campaigns with these statuses: ACTIVE, PAUSED, ARCHIVED, COMPLETED, CANCELED,
        /// DRAFT, PENDING_DELETION, REMOVED (any letter case). Empty: every status.
        #[param(example_json = r#"["ACTIVE"]"#)]
        pub status: Option<Vec<CampaignStatus>>,
        /// Campaigns per page, 1 to 1,000.
        pub page_size: SearchPageSize = SearchPageSize::DEFAULT,
        /// Empty for the first page; then the pageToken of the previous page's `next`.
        pub page_token: Option<String>,
    }
}

/// One campaign. Mirrors the WIT `campaign` record.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Campaign {
    /// Digits.
    pub id: String,
    pub urn: String,
    pub name: Option<String>,
    pub status: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub objective_type: Option<String>,
    pub cost_type: Option<String>,
    pub unit_cost: Option<Money>,
    pub daily_budget: Option<Money>,
    pub total_budget: Option<Money>,
    /// The campaign group's URN.
    pub campaign_group: Option<String>,
    pub run_schedule: Option<RunSchedule>,
    pub locale: Option<AdLocale>,
    /// `RUNNABLE` when it can serve, else why not (`CAMPAIGN_END_DATE_HOLD`, …).
    pub serving_statuses: Vec<String>,
    pub raw: Box<RawValue>,
}

impl Command for ListCampaigns {
    const SPEC: Spec = Spec {
        name: "list-campaigns",
        title: "List campaigns",
        description: "Lists an ad account's campaigns, newest first, pageSize at a time, \
                      optionally only those of some campaign groups or with some statuses: each \
                      with its id, URN, name, status, type, objective, cost type and bid \
                      (unitCost), budgets, campaign group, run schedule, locale and serving \
                      statuses (RUNNABLE when it can serve). `next` is the input to merge for \
                      the following page ({\"pageToken\": …}), or null after the last.",
        scopes: &[READ_SCOPES],
        role: AD_READ_ROLE,
        calls: &[
            "GET /rest/adAccounts/{id}/adCampaigns?q=search&search=(campaignGroup:(values:\
                  List(…)),status:(values:List(…)))&sortOrder=DESCENDING&pageSize=&pageToken=",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = CursorPage<Campaign>;

    fn run(input: Input, api: &mut Client<'_>) -> Result<CursorPage<Campaign>, Error> {
        let groups: Vec<String> = input
            .campaign_groups
            .unwrap_or_default()
            .iter()
            .map(|g| g.0.urn())
            .collect();
        let status = input.status.unwrap_or_default();
        let search = Search::default()
            .values("campaignGroup", groups.iter().map(String::as_str))
            .values("status", status.iter().map(|s| s.as_str()));
        let mut request =
            ApiRequest::get(Api::Rest, account_path(&input.ad_account.0, "/adCampaigns"))
                .query_raw("q", "search");
        if let Some(search) = search.restli() {
            request = request.query_raw("search", search);
        }
        let request = request.query_raw("sortOrder", "DESCENDING");
        let response = api.send(paging::cursor(
            request,
            input.page_size.0,
            input.page_token.as_deref(),
        ))?;
        let page = search_page(&response, AdKind::Campaign)?;
        let mut items = Vec::with_capacity(page.items.len());
        for (campaign, id, raw) in page.items {
            items.push(Campaign {
                urn: id.urn(),
                id: id.id,
                name: campaign.name,
                status: campaign.status,
                kind: campaign.kind,
                objective_type: campaign.objective_type,
                cost_type: campaign.cost_type,
                unit_cost: campaign.unit_cost,
                daily_budget: campaign.daily_budget,
                total_budget: campaign.total_budget,
                campaign_group: campaign.campaign_group,
                run_schedule: campaign.run_schedule,
                locale: campaign.locale,
                serving_statuses: campaign.serving_statuses.unwrap_or_default(),
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
    use serde_json::json;

    #[test]
    fn searches_by_group_and_status() {
        let body = r#"{"elements":[{"id":141049524,"name":"US","status":"ACTIVE","type":"SPONSORED_UPDATES","costType":"CPC","unitCost":{"amount":"8","currencyCode":"USD"},"dailyBudget":{"amount":"50","currencyCode":"USD"},"campaignGroup":"urn:li:sponsoredCampaignGroup:603407684","locale":{"country":"US","language":"en"},"servingStatuses":["RUNNABLE"]}],"metadata":{"nextPageToken":"NDE="}}"#;
        let mut env = ScriptEnv::new().respond(200, &[], body);
        let out = run::<ListCampaigns>(
            &mut env,
            json!({"adAccount": 506223315, "campaignGroups": [603407684, "sponsoredCampaignGroup:2"], "status": ["active"], "pageSize": 10}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/adAccounts/506223315/adCampaigns?q=search&search=(campaignGroup:(values:List(urn%3Ali%3AsponsoredCampaignGroup%3A603407684,urn%3Ali%3AsponsoredCampaignGroup%3A2)),status:(values:List(ACTIVE)))&sortOrder=DESCENDING&pageSize=10"
        );
        let campaign = &out["items"][0];
        assert_eq!(campaign["urn"], "urn:li:sponsoredCampaign:141049524");
        assert_eq!(campaign["type"], "SPONSORED_UPDATES");
        assert_eq!(
            campaign["locale"],
            json!({"country": "US", "language": "en"})
        );
        assert_eq!(campaign["totalBudget"], serde_json::Value::Null);
        assert_eq!(out["next"], json!({"pageToken": "NDE="}));
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (
                json!({"adAccount": 1, "campaignGroups": ["urn:li:sponsoredCampaign:1"]}),
                "campaignGroups[0]",
            ),
            (json!({"adAccount": 1, "status": ["LIVE"]}), "status[0]"),
            (json!({"adAccount": 1, "pageSize": 1001}), "pageSize"),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<ListCampaigns>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
