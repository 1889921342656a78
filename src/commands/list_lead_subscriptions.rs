//! list-lead-subscriptions: every webhook subscription of an ad account or an organization for
//! one lead type (Lead Sync `leadNotifications`, finder `q=criteria`).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::commands::shared::lead_sync::{LeadType, Owner, SCOPES, lead_type_query};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::json::object;
use crate::core::leads::Scalar;
use crate::core::paging::{self, MAX_COUNT};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::LEAD_ROLE;

#[derive(Default)]
pub struct ListLeadSubscriptions;

/// The most pages read: LinkedIn answers an owner's few subscriptions in one page, and a
/// `paging.total` that never comes within reach must not loop.
const MAX_PAGES: usize = 10;

crate::input! {
    /// Input of list-lead-subscriptions.
    pub struct Input {
        /// Whose subscriptions: an ad account (urn:li:sponsoredAccount:{id}, or
        /// sponsoredAccount:{id}) or an organization (urn:li:organization:{id}, or
        /// organization:{id}). A bare number is refused, since it could be either.
        #[param(example = "urn:li:sponsoredAccount:520866471")]
        pub owner: Owner,
        /// SPONSORED (an ad account's leads, its default), COMPANY (an organization's default),
        /// EVENT or ORGANIZATION_PRODUCT.
        pub lead_type: Option<LeadType>,
    }
}

/// A subscription as LinkedIn lists it.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
struct Listed {
    id: Scalar,
    webhook: Option<String>,
    owner: Option<Value>,
    lead_type: Option<String>,
    versioned_form: Option<String>,
}

/// One subscription. Mirrors the WIT `lead-subscription`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionItem {
    /// The subscription id, what delete-lead-subscription takes; none only when LinkedIn left
    /// it out.
    pub id: Option<String>,
    pub webhook: Option<String>,
    /// LinkedIn's union (`{"sponsoredAccount": URN}` or `{"organization": URN}`).
    pub owner: Option<Value>,
    pub lead_type: Option<String>,
    /// The versioned form URN of a form-level subscription.
    pub versioned_form: Option<String>,
    /// LinkedIn's subscription, unchanged.
    pub raw: Box<RawValue>,
}

/// Every subscription. Mirrors the WIT `lead-subscriptions`.
#[derive(Clone, Debug, Serialize)]
pub struct Subscriptions {
    pub items: Vec<SubscriptionItem>,
}

impl Command for ListLeadSubscriptions {
    const SPEC: Spec = Spec {
        name: "list-lead-subscriptions",
        title: "List lead subscriptions",
        description: "Lists every webhook subscription of an ad account or an organization for \
                      one lead type: each with its id (what delete-lead-subscription takes), \
                      webhook, owner, lead type and, for a form-level subscription, the \
                      versioned form. Not paged: all of them come back at once. Needs \
                      r_marketing_leadgen_automation, and a role on the ad account or the page.",
        scopes: SCOPES,
        role: LEAD_ROLE,
        calls: &[
            "GET /rest/leadNotifications?q=criteria&owner=(value:(sponsoredAccount:{urn}))&leadType=(leadType:SPONSORED)",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = Subscriptions;

    fn run(input: Input, api: &mut Client<'_>) -> Result<Subscriptions, Error> {
        let lead_type = input.owner.lead_type(input.lead_type, "leadType")?;
        let request = ApiRequest::get(Api::Rest, "/leadNotifications")
            .query("q", "criteria")
            .query_raw("owner", ["(value:", &input.owner.restli(), ")"].concat())
            .query_raw("leadType", lead_type_query(lead_type));
        let mut items = Vec::new();
        // LinkedIn's criteria finder answers in one page; should it ever page, the pages it
        // counts in `paging.total` are read too, so nothing is left out silently.
        for page in 0..MAX_PAGES {
            let request = match page {
                0 => request.clone(),
                _ => request
                    .clone()
                    .paged(u32::try_from(items.len()).unwrap_or(u32::MAX), MAX_COUNT),
            };
            let response = api.send(request)?;
            let (elements, total) = paging::elements(&response)?;
            let got = elements.len();
            for raw in elements {
                let listed: Listed = object(raw.get()).map_err(|why| {
                    response.not_json(format!("subscription [{}] of the list {why}", items.len()))
                })?;
                items.push(SubscriptionItem {
                    id: listed.id.text(),
                    webhook: listed.webhook,
                    owner: listed.owner.filter(Value::is_object),
                    lead_type: listed.lead_type,
                    versioned_form: listed.versioned_form,
                    raw: raw.to_owned(),
                });
            }
            if got == 0 || total.is_none_or(|total| items.len() as u64 >= total) {
                break;
            }
        }
        Ok(Subscriptions { items })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    const URL: &str = "https://api.linkedin.com/rest/leadNotifications?q=criteria&owner=(value:(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A511849581))&leadType=(leadType:SPONSORED)";

    const SUB: &str = r#"{"id": 5107, "webhook": "https://h.example.com/li",
      "owner": {"sponsoredAccount": "urn:li:sponsoredAccount:511849581"}, "leadType": "SPONSORED"}"#;

    #[test]
    fn lists_every_subscription() {
        let body = format!(r#"{{"elements":[{SUB}],"paging":{{"start":0,"count":10}}}}"#);
        let mut env = ScriptEnv::new().respond(200, &[], &body);
        let out = run::<ListLeadSubscriptions>(
            &mut env,
            json!({"owner": "urn:li:sponsoredAccount:511849581"}),
        )
        .unwrap();
        assert_eq!(env.sent.len(), 1);
        assert_eq!(env.sent[0].url, URL);
        assert_eq!(out["items"][0]["id"], "5107");
        assert_eq!(
            out["items"][0]["owner"],
            json!({"sponsoredAccount": "urn:li:sponsoredAccount:511849581"})
        );
        assert_eq!(out["items"][0]["versionedForm"], Value::Null);
        assert_eq!(out.get("next"), None);
    }

    #[test]
    fn a_total_beyond_the_first_answer_is_read_to_the_end() {
        let first = format!(r#"{{"elements":[{SUB},{SUB}],"paging":{{"total":3}}}}"#);
        let second = format!(r#"{{"elements":[{SUB}],"paging":{{"start":2,"total":3}}}}"#);
        let mut env = ScriptEnv::new()
            .respond(200, &[], &first)
            .respond(200, &[], &second);
        let out = run::<ListLeadSubscriptions>(
            &mut env,
            json!({"owner": "urn:li:sponsoredAccount:511849581"}),
        )
        .unwrap();
        assert_eq!(env.sent[1].url, format!("{URL}&start=2&count=100"));
        assert_eq!(out["items"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn a_total_never_reached_stops() {
        let mut env = ScriptEnv::new()
            .respond(
                200,
                &[],
                &format!(r#"{{"elements":[{SUB}],"paging":{{"total":9}}}}"#),
            )
            .respond(200, &[], r#"{"elements":[],"paging":{"total":9}}"#);
        let out =
            run::<ListLeadSubscriptions>(&mut env, json!({"owner": "organization:1"})).unwrap();
        assert_eq!(env.sent.len(), 2);
        assert_eq!(out["items"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (json!({"owner": 511849581}), "owner"),
            (json!({}), "owner"),
            (
                json!({"owner": "organization:1", "leadType": "SPONSORED"}),
                "leadType",
            ),
            (json!({"owner": "organization:1", "count": 10}), "count"),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(
                field_of(run::<ListLeadSubscriptions>(&mut env, input)),
                field
            );
            assert!(env.sent.is_empty());
        }
    }
}
