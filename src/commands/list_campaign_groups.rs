//! list-campaign-groups: an ad account's campaign groups, newest first, a page at a time (Ads
//! search finder, cursor paging).

use serde::Serialize;
use serde_json::value::RawValue;

use crate::commands::shared::ads::{
    AccountRef, AdKind, Money, READ_SCOPES, RunSchedule, Search, SearchPageSize, account_path,
    search_page,
};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::input::Choice;
use crate::core::paging::{self, CursorPage};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::AD_READ_ROLE;

#[derive(Default)]
pub struct ListCampaignGroups;

crate::choice!(
    /// A campaign group's status, as the search filter takes it.
    GroupStatus {
        Active = "ACTIVE",
        Archived = "ARCHIVED",
        Canceled = "CANCELED",
        Draft = "DRAFT",
        Paused = "PAUSED",
        PendingDeletion = "PENDING_DELETION",
        Removed = "REMOVED"
    }
);

crate::input! {
    /// Input of list-campaign-groups.
    pub struct Input {
        /// The ad account: its id, urn:li:sponsoredAccount:{id} or sponsoredAccount:{id} (as
        /// list-ad-accounts gives them).
        #[param(example = "urn:li:sponsoredAccount:506223315")]
        pub ad_account: AccountRef,
        /// Only groups with these statuses: ACTIVE, ARCHIVED, CANCELED, DRAFT, PAUSED,
        /// PENDING_DELETION, REMOVED (any letter case). Empty: every status.
        #[param(example_json = r#"["ACTIVE", "DRAFT"]"#)]
        pub status: Option<Vec<GroupStatus>>,
        /// Groups per page, 1 to 1,000.
        pub page_size: SearchPageSize = SearchPageSize::DEFAULT,
        /// Empty for the first page; then the pageToken of the previous page's `next`.
        pub page_token: Option<String>,
    }
}

/// One campaign group. Mirrors the WIT `campaign-group` record.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CampaignGroup {
    /// Digits.
    pub id: String,
    pub urn: String,
    pub name: Option<String>,
    pub status: Option<String>,
    pub run_schedule: Option<RunSchedule>,
    pub total_budget: Option<Money>,
    pub objective_type: Option<String>,
    pub raw: Box<RawValue>,
}

impl Command for ListCampaignGroups {
    const SPEC: Spec = Spec {
        name: "list-campaign-groups",
        title: "List campaign groups",
        description: "Lists an ad account's campaign groups, newest first, pageSize at a time: \
                      each with its id, URN, name, status, run schedule (epoch ms), total budget \
                      and objective. `next` is the input to merge for the following page \
                      ({\"pageToken\": …}), or null after the last.",
        scopes: &[READ_SCOPES],
        role: AD_READ_ROLE,
        calls: &[
            "GET /rest/adAccounts/{id}/adCampaignGroups?q=search&search=(status:(values:\
                  List(…)))&sortOrder=DESCENDING&pageSize=&pageToken=",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = CursorPage<CampaignGroup>;

    fn run(input: Input, api: &mut Client<'_>) -> Result<CursorPage<CampaignGroup>, Error> {
        let status = input.status.unwrap_or_default();
        let search = Search::default().values("status", status.iter().map(|s| s.as_str()));
        let mut request = ApiRequest::get(
            Api::Rest,
            account_path(&input.ad_account.0, "/adCampaignGroups"),
        )
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
        let page = search_page(&response, AdKind::CampaignGroup)?;
        let mut items = Vec::with_capacity(page.items.len());
        for (group, id, raw) in page.items {
            items.push(CampaignGroup {
                urn: id.urn(),
                id: id.id,
                name: group.name,
                status: group.status,
                run_schedule: group.run_schedule,
                total_budget: group.total_budget,
                objective_type: group.objective_type,
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
    fn filters_by_status_and_reads_groups() {
        let body = r#"{"elements":[{"id":603407684,"name":"Q3","status":"ACTIVE","runSchedule":{"start":1767225600000},"totalBudget":{"amount":"5000","currencyCode":"USD"},"objectiveType":"LEAD_GENERATION"}],"metadata":{}}"#;
        let mut env = ScriptEnv::new().respond(200, &[], body);
        let out = run::<ListCampaignGroups>(
            &mut env,
            json!({"adAccount": 506223315, "status": ["active", "paused"]}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/adAccounts/506223315/adCampaignGroups?q=search&search=(status:(values:List(ACTIVE,PAUSED)))&sortOrder=DESCENDING&pageSize=100"
        );
        let group = &out["items"][0];
        assert_eq!(group["urn"], "urn:li:sponsoredCampaignGroup:603407684");
        assert_eq!(group["runSchedule"], json!({"start": 1767225600000u64}));
        assert_eq!(group["totalBudget"]["amount"], "5000");
        assert_eq!(out["next"], Value::Null);
    }

    #[test]
    fn without_status_there_is_no_search() {
        let mut env = ScriptEnv::new().respond(200, &[], r#"{"elements":[]}"#);
        run::<ListCampaignGroups>(
            &mut env,
            json!({"adAccount": "sponsoredAccount:1", "status": []}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/adAccounts/1/adCampaignGroups?q=search&sortOrder=DESCENDING&pageSize=100"
        );
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (json!({}), "adAccount"),
            (
                json!({"adAccount": "urn:li:sponsoredCampaign:1"}),
                "adAccount",
            ),
            (json!({"adAccount": 1, "status": ["RUNNING"]}), "status[0]"),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<ListCampaignGroups>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
