//! create-campaign-group: a campaign group in an ad account, the container that holds campaigns,
//! their schedule and their shared budget.

use serde::Serialize;

use crate::commands::shared::ads::{
    AccountRef, AdCreated, AdKind, Money, MoneyInput, NewStatus, ObjectiveType, RunSchedule,
    WRITE_SCOPES, account_path, check_name, run_schedule,
};
use crate::core::command::{Command, Spec};
use crate::core::dates::{EndInstant, Instant};
use crate::core::error::Error;
use crate::core::input::Choice;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::AD_CAMPAIGN_ROLE;

#[derive(Default)]
pub struct CreateCampaignGroup;

crate::input! {
    /// Input of create-campaign-group.
    pub struct Input {
        /// The ad account: its id, urn:li:sponsoredAccount:{id} or sponsoredAccount:{id}.
        #[param(example = "urn:li:sponsoredAccount:506223315")]
        pub ad_account: AccountRef,
        /// The group's name, 1 to 100 characters.
        #[param(example = "Q3 lead generation", max_length = 100)]
        pub name: String,
        /// When the group starts: an ISO date (00:00 UTC that day), an ISO date-time, or epoch
        /// milliseconds.
        #[param(example = "2026-07-01")]
        pub start: Instant,
        /// When it ends: an ISO date (the whole day included: 23:59:59.999 UTC), a date-time or
        /// epoch milliseconds. Required with totalBudget.
        #[param(example = "2026-09-30")]
        pub end: Option<EndInstant>,
        /// The budget of the whole group, {"amount": "5000", "currencyCode": "USD"}: the
        /// amount a decimal string or number with at most 2 decimals, in the account's
        /// currency. Needs end.
        #[param(example_json = r#"{"amount": "5000", "currencyCode": "USD"}"#)]
        pub total_budget: Option<MoneyInput>,
        /// DRAFT (the default; nothing runs), ACTIVE or PAUSED.
        pub status: NewStatus = NewStatus::Draft,
        /// What the group's campaigns optimise for; it cannot change later and its campaigns
        /// inherit it. LinkedIn's docs spell website visits both WEBSITE_VISIT and
        /// WEBSITE_VISITS; if LinkedIn refuses one, use the other.
        pub objective_type: Option<ObjectiveType>,
    }
}

/// The body of `POST /rest/adAccounts/{id}/adCampaignGroups`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewGroup<'a> {
    account: String,
    name: &'a str,
    run_schedule: RunSchedule,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_budget: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    objective_type: Option<&'static str>,
}

impl Command for CreateCampaignGroup {
    const SPEC: Spec = Spec {
        name: "create-campaign-group",
        title: "Create campaign group",
        description: "Creates a campaign group in an ad account, DRAFT unless told otherwise, \
                      with its schedule, optional total budget (which needs an end) and \
                      objective, and returns its id and URN for create-campaign.",
        scopes: &[WRITE_SCOPES],
        role: AD_CAMPAIGN_ROLE,
        calls: &["POST /rest/adAccounts/{id}/adCampaignGroups"],
        versioned: true,
    };
    type Input = Input;
    type Output = AdCreated;

    fn run(input: Input, api: &mut Client<'_>) -> Result<AdCreated, Error> {
        check_name(&input.name, "name")?;
        let schedule = run_schedule(Some(input.start), input.end, input.total_budget.is_some())?;
        let account = &input.ad_account.0;
        let body = NewGroup {
            account: account.urn(),
            name: &input.name,
            run_schedule: schedule.unwrap_or_default(),
            status: input.status.as_str(),
            total_budget: input.total_budget.map(MoneyInput::money),
            objective_type: input.objective_type.map(ObjectiveType::as_str),
        };
        let response = api.send(
            ApiRequest::new(
                http::Method::POST,
                Api::Rest,
                account_path(account, "/adCampaignGroups"),
            )
            .json(&body),
        )?;
        AdCreated::from_response(&response, AdKind::CampaignGroup)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn posts_the_documented_body() {
        let mut env = ScriptEnv::new().respond(201, &[("x-restli-id", "603407684")], "");
        let out = run::<CreateCampaignGroup>(
            &mut env,
            json!({"adAccount": "506223315", "name": "Q3", "start": "2026-07-01", "end": "2026-09-30",
                   "totalBudget": {"amount": "5000", "currencyCode": "USD"}, "objectiveType": "lead_generation"}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/adAccounts/506223315/adCampaignGroups"
        );
        assert_eq!(
            env.sent[0].json(),
            json!({"account": "urn:li:sponsoredAccount:506223315", "name": "Q3",
                   "runSchedule": {"start": 1782864000000u64, "end": 1790812799999u64},
                   "status": "DRAFT", "totalBudget": {"amount": "5000", "currencyCode": "USD"},
                   "objectiveType": "LEAD_GENERATION"})
        );
        assert_eq!(out["id"], "603407684");
        assert_eq!(out["urn"], "urn:li:sponsoredCampaignGroup:603407684");
    }

    #[test]
    fn bad_input_sends_nothing() {
        let ok = json!({"adAccount": 1, "name": "Q3", "start": "2026-07-01"});
        let with = |key: &str, value: serde_json::Value| {
            let mut input = ok.clone();
            input[key] = value;
            input
        };
        for (input, field) in [
            (with("name", json!("x".repeat(101))), "name"),
            (with("name", json!("  ")), "name"),
            (with("start", json!("July")), "start"),
            (with("end", json!("2026-06-30")), "end"),
            (
                with(
                    "totalBudget",
                    json!({"amount": "5000", "currencyCode": "USD"}),
                ),
                "end",
            ),
            (
                with(
                    "totalBudget",
                    json!({"amount": "5000.001", "currencyCode": "USD"}),
                ),
                "totalBudget.amount",
            ),
            (with("status", json!("ARCHIVED")), "status"),
            (
                with("adAccount", json!("urn:li:organization:1")),
                "adAccount",
            ),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(
                field_of(run::<CreateCampaignGroup>(&mut env, input.clone())),
                field,
                "{input}"
            );
            assert!(env.sent.is_empty());
        }
    }
}
