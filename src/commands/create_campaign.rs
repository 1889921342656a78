//! create-campaign: a campaign in a campaign group: who it targets, how it bids and what it may
//! spend.

use serde::Serialize;

use crate::commands::shared::ads::{
    AccountRef, AdCreated, AdKind, AdLocale, CampaignGroupRef, Money, MoneyInput, NewStatus,
    ObjectiveType, RunSchedule, WRITE_SCOPES, account_path, check_name, one_currency, run_schedule,
};
use crate::commands::shared::targeting::TargetingCriteria;
use crate::core::command::{Command, Spec};
use crate::core::dates::{EndInstant, Instant};
use crate::core::error::Error;
use crate::core::input::{Choice, Field, ParamType, wrong_type};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::AD_CAMPAIGN_ROLE;

#[derive(Default)]
pub struct CreateCampaign;

crate::choice!(
    /// What the campaign runs.
    CampaignType {
        SponsoredUpdates = "SPONSORED_UPDATES",
        TextAd = "TEXT_AD",
        SponsoredInmails = "SPONSORED_INMAILS",
        Dynamic = "DYNAMIC"
    }
);

crate::choice!(
    /// What a click, a thousand impressions or a view costs.
    CostType { Cpm = "CPM", Cpc = "CPC", Cpv = "CPV" }
);

crate::choice!(
    /// Whether the campaign is political advertising (LinkedIn asks for EU targeting).
    PoliticalIntent {
        Political = "POLITICAL",
        NotPolitical = "NOT_POLITICAL",
        NotDeclared = "NOT_DECLARED"
    }
);

/// A campaign format (`SINGLE_VIDEO`, `CAROUSEL`, `STANDARD_UPDATE`, …): letters, digits and
/// `_`, upper-cased. Passed on rather than listed: LinkedIn adds formats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Format(pub String);

impl Field for Format {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &serde_json::Value, name: &str) -> Result<Self, Error> {
        match value {
            serde_json::Value::String(s)
                if s.trim()
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
            {
                Ok(Format(s.trim().to_ascii_uppercase()))
            }
            serde_json::Value::String(s) => Err(Error::invalid(
                name,
                format!(
                    "`{name}` must be a format name such as SINGLE_VIDEO, not {}.",
                    crate::core::error::quoted(s)
                ),
            )),
            other => Err(wrong_type(
                name,
                "a format name such as SINGLE_VIDEO",
                other,
            )),
        }
    }
}

crate::input! {
    /// Input of create-campaign.
    pub struct Input {
        /// The ad account: its id, urn:li:sponsoredAccount:{id} or sponsoredAccount:{id}.
        #[param(example = "urn:li:sponsoredAccount:506223315")]
        pub ad_account: AccountRef,
        /// The campaign group (from create-campaign-group or list-campaign-groups): its id,
        /// URN or short form.
        #[param(example = "urn:li:sponsoredCampaignGroup:603407684")]
        pub campaign_group: CampaignGroupRef,
        /// The campaign's name, 1 to 100 characters.
        #[param(example = "Webinar sign-ups US", max_length = 100)]
        pub name: String,
        /// SPONSORED_UPDATES (sponsored posts), TEXT_AD, SPONSORED_INMAILS or DYNAMIC.
        #[param(example = "SPONSORED_UPDATES")]
        pub r#type: CampaignType,
        /// CPM (per thousand impressions; per send for SPONSORED_INMAILS), CPC (per click) or
        /// CPV (per video view).
        #[param(example = "CPC")]
        pub cost_type: CostType,
        /// The bid (or target cost or cost cap, as the bidding strategy says), {"amount": "8",
        /// "currencyCode": "USD"}: at most 2 decimals, in the account's currency.
        #[param(example_json = r#"{"amount": "8", "currencyCode": "USD"}"#)]
        pub unit_cost: MoneyInput,
        /// The most the campaign spends a day. Give dailyBudget, totalBudget or both.
        #[param(example_json = r#"{"amount": "50", "currencyCode": "USD"}"#)]
        pub daily_budget: Option<MoneyInput>,
        /// The most the campaign spends in all; needs end.
        pub total_budget: Option<MoneyInput>,
        /// The language and country of the ads: en_US, or {"country": "US", "language": "en"}.
        #[param(example = "en_US")]
        pub locale: AdLocale,
        /// Who sees the ads, as LinkedIn's AND-of-ORs object: {"include": {"and": [{"or":
        /// {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}}]}, "exclude":
        /// {"or": {…}}}. Every and-clause must match; any value of a clause does. Find values
        /// with search-targeting and check the audience size with get-audience-count.
        #[param(example_json = r#"{"include": {"and": [{"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}}]}}"#)]
        pub targeting_criteria: TargetingCriteria,
        /// POLITICAL, NOT_POLITICAL or NOT_DECLARED: whether this is political advertising.
        #[param(example = "NOT_POLITICAL")]
        pub political_intent: PoliticalIntent,
        /// What the campaign optimises for; a campaign group with an objective passes it on.
        pub objective_type: Option<ObjectiveType>,
        /// The ad format (SINGLE_VIDEO, CAROUSEL, STANDARD_UPDATE, …); video, carousel and
        /// dynamic campaigns must set it now.
        pub format: Option<Format>,
        /// Also show the ads on LinkedIn's partner sites (the Audience Network).
        pub offsite_delivery_enabled: bool = false,
        /// When the campaign starts: an ISO date (00:00 UTC that day), a date-time or epoch
        /// milliseconds.
        #[param(example = "2026-07-01")]
        pub start: Option<Instant>,
        /// When it ends: an ISO date (the whole day included), a date-time or epoch
        /// milliseconds. Needs start; required with totalBudget.
        pub end: Option<EndInstant>,
        /// DRAFT (the default; LinkedIn checks some rules only at launch), ACTIVE or PAUSED.
        pub status: NewStatus = NewStatus::Draft,
    }
}

/// The body of `POST /rest/adAccounts/{id}/adCampaigns`, in the order of LinkedIn's example.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewCampaign {
    account: String,
    campaign_group: String,
    name: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    objective_type: Option<&'static str>,
    cost_type: &'static str,
    unit_cost: Money,
    #[serde(skip_serializing_if = "Option::is_none")]
    daily_budget: Option<Money>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_budget: Option<Money>,
    locale: AdLocale,
    offsite_delivery_enabled: bool,
    political_intent: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    run_schedule: Option<RunSchedule>,
    status: &'static str,
    targeting_criteria: TargetingCriteria,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<String>,
}

impl Command for CreateCampaign {
    const SPEC: Spec = Spec {
        name: "create-campaign",
        title: "Create campaign",
        description: "Creates a campaign in a campaign group, DRAFT unless told otherwise: its \
                      type, cost type and bid, daily and/or total budget, locale, targeting \
                      (check its size first with get-audience-count: LinkedIn runs no audience \
                      under 300) and political intent, and returns its id and URN for \
                      create-creative. Before a user submits this form, the platform must show \
                      LinkedIn's political-advertising confirmation (for campaigns targeting the \
                      EU, checked by default: the user confirms the ads are not political \
                      advertising, or sets politicalIntent) and LinkedIn's anti-discrimination \
                      notice (its ad tools may not be used to discriminate); LinkedIn requires \
                      partners to show both.",
        scopes: &[WRITE_SCOPES],
        role: AD_CAMPAIGN_ROLE,
        calls: &["POST /rest/adAccounts/{id}/adCampaigns"],
        versioned: true,
    };
    type Input = Input;
    type Output = AdCreated;

    fn run(input: Input, api: &mut Client<'_>) -> Result<AdCreated, Error> {
        check_name(&input.name, "name")?;
        if input.daily_budget.is_none() && input.total_budget.is_none() {
            return Err(Error::invalid(
                "dailyBudget",
                "A campaign needs a `dailyBudget`, a `totalBudget` or both.",
            ));
        }
        let run_schedule = run_schedule(input.start, input.end, input.total_budget.is_some())?;
        let unit_cost = input.unit_cost.money();
        let daily_budget = input.daily_budget.map(MoneyInput::money);
        let total_budget = input.total_budget.map(MoneyInput::money);
        one_currency(&[
            ("unitCost", Some(&unit_cost)),
            ("dailyBudget", daily_budget.as_ref()),
            ("totalBudget", total_budget.as_ref()),
        ])?;
        let account = &input.ad_account.0;
        let body = NewCampaign {
            account: account.urn(),
            campaign_group: input.campaign_group.0.urn(),
            name: input.name,
            kind: input.r#type.as_str(),
            objective_type: input.objective_type.map(ObjectiveType::as_str),
            cost_type: input.cost_type.as_str(),
            unit_cost,
            daily_budget,
            total_budget,
            locale: input.locale,
            offsite_delivery_enabled: input.offsite_delivery_enabled,
            political_intent: input.political_intent.as_str(),
            run_schedule,
            status: input.status.as_str(),
            targeting_criteria: input.targeting_criteria,
            format: input.format.map(|f| f.0),
        };
        let response = api.send(
            ApiRequest::new(
                http::Method::POST,
                Api::Rest,
                account_path(account, "/adCampaigns"),
            )
            .json(&body),
        )?;
        AdCreated::from_response(&response, AdKind::Campaign)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::{Value, json};

    fn minimal() -> Value {
        json!({
            "adAccount": 506223315,
            "campaignGroup": "603407684",
            "name": "Webinar sign-ups US",
            "type": "sponsored_updates",
            "costType": "cpc",
            "unitCost": {"amount": "8", "currencyCode": "USD"},
            "dailyBudget": {"amount": 50, "currencyCode": "USD"},
            "locale": "en_US",
            "targetingCriteria": {"include": {"and": [
                {"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}},
                {"or": {"urn:li:adTargetingFacet:interfaceLocales": ["urn:li:locale:en_US"]}}]}},
            "politicalIntent": "NOT_POLITICAL",
            "objectiveType": "WEBSITE_VISIT",
            "start": 1767225600000u64
        })
    }

    #[test]
    fn posts_the_documented_body() {
        let mut env = ScriptEnv::new().respond(201, &[("x-restli-id", "141049524")], "");
        let out = run::<CreateCampaign>(&mut env, minimal()).unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/adAccounts/506223315/adCampaigns"
        );
        assert_eq!(
            env.sent[0].json(),
            json!({
                "account": "urn:li:sponsoredAccount:506223315",
                "campaignGroup": "urn:li:sponsoredCampaignGroup:603407684",
                "name": "Webinar sign-ups US",
                "type": "SPONSORED_UPDATES",
                "objectiveType": "WEBSITE_VISIT",
                "costType": "CPC",
                "unitCost": {"amount": "8", "currencyCode": "USD"},
                "dailyBudget": {"amount": "50", "currencyCode": "USD"},
                "locale": {"country": "US", "language": "en"},
                "offsiteDeliveryEnabled": false,
                "politicalIntent": "NOT_POLITICAL",
                "runSchedule": {"start": 1767225600000u64},
                "status": "DRAFT",
                "targetingCriteria": minimal()["targetingCriteria"]
            })
        );
        assert_eq!(out["urn"], "urn:li:sponsoredCampaign:141049524");
    }

    #[test]
    fn bad_input_sends_nothing() {
        let with = |key: &str, value: Value| {
            let mut input = minimal();
            if value.is_null() {
                input.as_object_mut().unwrap().remove(key);
            } else {
                input[key] = value;
            }
            input
        };
        for (input, field) in [
            (with("dailyBudget", Value::Null), "dailyBudget"),
            (
                with(
                    "totalBudget",
                    json!({"amount": "900", "currencyCode": "USD"}),
                ),
                "end",
            ),
            (with("end", json!("2025-12-31")), "end"),
            (
                with("unitCost", json!({"amount": "-8", "currencyCode": "USD"})),
                "unitCost.amount",
            ),
            (
                with(
                    "dailyBudget",
                    json!({"amount": "50", "currencyCode": "EUR"}),
                ),
                "dailyBudget.currencyCode",
            ),
            (with("type", json!("VIDEO")), "type"),
            (with("politicalIntent", Value::Null), "politicalIntent"),
            (with("locale", json!("english")), "locale"),
            (with("format", json!("single video")), "format"),
            (with("name", json!("n".repeat(101))), "name"),
            (
                with(
                    "targetingCriteria",
                    json!({"include": {"and": [{"or": {}}]}}),
                ),
                "targetingCriteria.include.and[0].or",
            ),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(
                field_of(run::<CreateCampaign>(&mut env, input.clone())),
                field,
                "{input}"
            );
            assert!(env.sent.is_empty());
        }
        let mut env = ScriptEnv::new();
        let no_start = with("start", Value::Null);
        let mut no_start = no_start.as_object().unwrap().clone();
        no_start.insert("end".into(), json!("2026-12-31"));
        assert_eq!(
            field_of(run::<CreateCampaign>(&mut env, Value::Object(no_start))),
            "start"
        );
    }
}
