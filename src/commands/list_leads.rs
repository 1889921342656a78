//! list-leads: the leads of an ad account or an organization, a page at a time, each mapped as
//! get-lead maps one (Lead Sync `leadFormResponses`, finder `q=owner`, then each distinct form
//! of the page). The polling trigger for platforms that cannot receive webhooks.

use serde::Serialize;

use crate::commands::shared::lead_sync::{LeadType, Owner, SCOPES, lead_type_query};
use crate::core::command::{Command, Spec};
use crate::core::dates::{EndInstant, Instant};
use crate::core::error::Error;
use crate::core::leads::{FormVersion, Lead, LeadFetcher};
use crate::core::paging::{self, Count, Page};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::LEAD_ROLE;
use crate::core::urn::percent_encode;

#[derive(Default)]
pub struct ListLeads;

crate::input! {
    /// Input of list-leads.
    pub struct Input {
        /// Whose leads: an ad account (urn:li:sponsoredAccount:{id}, or sponsoredAccount:{id})
        /// or an organization (urn:li:organization:{id}, or organization:{id}). A bare number is
        /// refused, since it could be either.
        #[param(example = "urn:li:sponsoredAccount:520866471")]
        pub owner: Owner,
        /// SPONSORED (an ad account's leads, its default), COMPANY (an organization's default),
        /// EVENT or ORGANIZATION_PRODUCT.
        pub lead_type: Option<LeadType>,
        /// Only the leads of this form version: its versioned URN, as list-lead-forms gives it
        /// in formUrn.
        #[param(example = "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)")]
        pub form: Option<FormVersion>,
        /// Only leads submitted at or after this: epoch milliseconds, an ISO date (00:00 UTC that
        /// day) or date-time. LinkedIn keeps leads 365 days.
        #[param(example = "2026-11-01T00:00:00Z")]
        pub since: Option<Instant>,
        /// Only leads submitted at or before this, written as since (a date alone is the end of
        /// that day); needs since. Without it the range ends now, and `next` carries that end so
        /// every page reads the same range.
        pub until: Option<EndInstant>,
        /// Only test leads (those made with LinkedIn's test-lead tool); default false, LinkedIn's
        /// limitedToTestLeads=false.
        pub test_leads_only: bool = false,
        /// Leads per page, 1 to 100.
        pub count: Count = Count::DEFAULT,
        /// How many leads to skip: 0 for the first page, then the `start` of `next`.
        pub start: u32 = 0,
    }
}

/// What to merge into the input for the following page: the page's `start`, and the end of the
/// range the first page used, so that later pages read the same range even when `until` was
/// not given. Mirrors the WIT `lead-page-next`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LeadNext {
    pub start: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<u64>,
}

/// A page of leads. Mirrors the WIT `lead-page`.
pub type LeadPage = Page<Lead, LeadNext>;

impl Command for ListLeads {
    const SPEC: Spec = Spec {
        name: "list-leads",
        title: "List leads",
        description: "Lists the leads (lead gen form responses) of an ad account or an \
                      organization, count at a time, optionally of one form and submitted in a \
                      time range (since, until), each as get-lead gives it: answers with their \
                      questions and the standard fields (EMAIL, FIRST_NAME, ...) as a map. `next` \
                      is the input to merge for the following page (it keeps the range), or \
                      null after the last. To poll: follow `next` to the end, and start the \
                      next poll with since a few minutes before this one started (LinkedIn may \
                      index a lead late), dropping leads whose leadUrn was already seen. Needs \
                      r_marketing_leadgen_automation, and a role on the ad account or the page.",
        scopes: SCOPES,
        role: LEAD_ROLE,
        calls: &[
            "GET /rest/leadFormResponses?q=owner&owner=(sponsoredAccount:{urn})&leadType=(leadType:SPONSORED)&limitedToTestLeads=&submittedAtTimeRange=(start:,end:)&versionedLeadGenFormUrn=&count=&start=",
            "GET /rest/leadForms/{id} (each distinct form of the page, once)",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = LeadPage;

    fn run(input: Input, api: &mut Client<'_>) -> Result<LeadPage, Error> {
        let lead_type = input.owner.lead_type(input.lead_type, "leadType")?;
        let range = match (input.since, input.until) {
            (None, None) => None,
            (None, Some(_)) => {
                return Err(Error::invalid(
                    "since",
                    "`until` needs `since`: give the start of the range too (with since alone \
                     the range ends now).",
                ));
            }
            (Some(since), until) => {
                let end = match until {
                    Some(until) => until.0,
                    None => api.unix_time_ms(),
                };
                if since.0 > end {
                    return Err(match until {
                        Some(_) => Error::invalid("until", "`until` is before `since`."),
                        None => Error::invalid(
                            "since",
                            "`since` is in the future: the range would end now, before it \
                             starts.",
                        ),
                    });
                }
                Some((since.0, end))
            }
        };
        let mut request = ApiRequest::get(Api::Rest, "/leadFormResponses")
            .query("q", "owner")
            .query_raw("owner", input.owner.restli())
            .query_raw("leadType", lead_type_query(lead_type))
            .query_raw("limitedToTestLeads", input.test_leads_only.to_string());
        if let Some((start, end)) = range {
            request =
                request.query_raw("submittedAtTimeRange", format!("(start:{start},end:{end})"));
        }
        if let Some(form) = &input.form {
            request =
                request.query_raw("versionedLeadGenFormUrn", percent_encode(&form.to_string()));
        }
        let response = api.send(request.paged(input.start, input.count.0))?;
        let (elements, next) = paging::read(&response, input.start, input.count)?;
        let items = LeadFetcher::default().page(api, &response, elements)?;
        Ok(Page {
            items,
            next: next.map(|next| LeadNext {
                start: next.start,
                until: range.map(|(_, end)| end),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::{Value, json};

    const FORM_URN: &str = "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)";

    fn lead(id: &str, form: u32) -> String {
        format!(
            r#"{{"id":"{id}","leadType":"SPONSORED","submittedAt":1790000000000,"testLead":false,
              "owner":{{"sponsoredAccount":"urn:li:sponsoredAccount:520866471"}},
              "versionedLeadGenFormUrn":"urn:li:versionedLeadGenForm:(urn:li:leadGenForm:{form},1)",
              "formResponse":{{"answers":[{{"questionId":1{form},"answerDetails":{{"textQuestionAnswer":{{"answer":"a@b.c"}}}}}}]}}}}"#
        )
    }

    fn form(form: u32) -> String {
        format!(
            r#"{{"id":{form},"versionId":1,"name":"F{form}","content":{{"questions":[
              {{"questionId":1{form},"name":"Email","predefinedField":"EMAIL",
                "question":{{"localized":{{"en_US":"Email address"}}}}}}]}}}}"#
        )
    }

    #[test]
    fn a_page_reads_each_distinct_form_once_in_order() {
        let page = format!(
            r#"{{"paging":{{"start":0,"count":3}},"elements":[{},{},{}]}}"#,
            lead("a-1", 9),
            lead("b-2", 7),
            lead("c-3", 9)
        );
        let mut env = ScriptEnv::new()
            .respond(200, &[], &page)
            .respond(200, &[], &form(9))
            .respond(200, &[], &form(7));
        let out = run::<ListLeads>(
            &mut env,
            json!({"owner": "sponsoredAccount:520866471", "since": 1789000000000u64, "count": 3}),
        )
        .unwrap();
        let urls: Vec<&str> = env.sent.iter().map(|s| s.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://api.linkedin.com/rest/leadFormResponses?q=owner&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A520866471)&leadType=(leadType:SPONSORED)&limitedToTestLeads=false&submittedAtTimeRange=(start:1789000000000,end:1795000000000)&start=0&count=3",
                "https://api.linkedin.com/rest/leadForms/9",
                "https://api.linkedin.com/rest/leadForms/7",
            ]
        );
        assert_eq!(out["items"][0]["leadUrn"], "urn:li:leadGenFormResponse:a-1");
        assert_eq!(out["items"][1]["formName"], "F7");
        assert_eq!(out["items"][2]["fields"], json!({"EMAIL": "a@b.c"}));
        assert_eq!(out["items"][2]["answers"][0]["question"], "Email address");
        assert_eq!(
            out["next"],
            json!({"start": 3, "until": 1795000000000u64}),
            "the clock was read once and the range is kept"
        );
    }

    #[test]
    fn a_form_that_cannot_be_read_fails_the_page() {
        let page = format!(r#"{{"elements":[{}]}}"#, lead("a-1", 9));
        let mut env = ScriptEnv::new().respond(200, &[], &page).respond(
            403,
            &[],
            r#"{"status":403,"message":"no"}"#,
        );
        let err = run::<ListLeads>(&mut env, json!({"owner": "sponsoredAccount:1"})).unwrap_err();
        assert_eq!(err.kind(), "forbidden");
    }

    #[test]
    fn no_range_no_form_and_a_short_page() {
        let mut env = ScriptEnv::new().respond(200, &[], r#"{"elements":[]}"#);
        let out = run::<ListLeads>(
            &mut env,
            json!({"owner": "organization:2414183", "leadType": "event", "form": FORM_URN, "testLeadsOnly": true}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/leadFormResponses?q=owner&owner=(organization:urn%3Ali%3Aorganization%3A2414183)&leadType=(leadType:EVENT)&limitedToTestLeads=true&versionedLeadGenFormUrn=urn%3Ali%3AversionedLeadGenForm%3A%28urn%3Ali%3AleadGenForm%3A7234246%2C1%29&start=0&count=10"
        );
        assert_eq!(out["items"], json!([]));
        assert_eq!(out["next"], Value::Null);
    }

    #[test]
    fn a_full_page_without_range_pages_by_start_alone() {
        let page = format!(r#"{{"elements":[{}]}}"#, lead("a-1", 9));
        let mut env = ScriptEnv::new()
            .respond(200, &[], &page)
            .respond(200, &[], &form(9));
        let out = run::<ListLeads>(
            &mut env,
            json!({"owner": "sponsoredAccount:1", "count": 1, "start": 4}),
        )
        .unwrap();
        assert_eq!(out["next"], json!({"start": 5}));
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (json!({"owner": "520866471"}), "owner"),
            (
                json!({"owner": "sponsoredAccount:1", "leadType": "company"}),
                "leadType",
            ),
            (
                json!({"owner": "organization:1", "leadType": "sponsored"}),
                "leadType",
            ),
            (
                json!({"owner": "organization:1", "leadType": "organic"}),
                "leadType",
            ),
            (
                json!({"owner": "organization:1", "form": "urn:li:leadGenForm:7"}),
                "form",
            ),
            (json!({"owner": "organization:1", "form": 7}), "form"),
            (
                json!({"owner": "organization:1", "until": "2026-01-01"}),
                "since",
            ),
            (
                json!({"owner": "organization:1", "since": "2026-02-01", "until": "2026-01-01"}),
                "until",
            ),
            (
                json!({"owner": "organization:1", "since": "2099-01-01"}),
                "since",
            ),
            (
                json!({"owner": "organization:1", "since": 1790000000}),
                "since",
            ),
            (json!({"owner": "organization:1", "count": 101}), "count"),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(
                field_of(run::<ListLeads>(&mut env, input.clone())),
                field,
                "{input}"
            );
            assert!(env.sent.is_empty());
        }
    }
}
