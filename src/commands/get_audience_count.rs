//! get-audience-count: how many members a targetingCriteria reaches, before a campaign is made
//! with it (LinkedIn runs no campaign whose audience is under 300).

use serde::{Deserialize, Serialize};

use crate::commands::shared::ads::READ_SCOPES;
use crate::commands::shared::targeting::TargetingCriteria;
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::AD_TARGETING_ROLE;

#[derive(Default)]
pub struct GetAudienceCount;

/// LinkedIn runs no campaign with a smaller audience, and reports smaller ones as 0.
const MIN_AUDIENCE: u64 = 300;

crate::input! {
    /// Input of get-audience-count.
    pub struct Input {
        /// Who the ads would reach, as create-campaign takes it: {"include": {"and": [{"or":
        /// {"urn:li:adTargetingFacet:locations": ["urn:li:geo:103644278"]}}]}, "exclude":
        /// {"or": {…}}}.
        #[param(example_json = r#"{"include": {"and": [{"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:102221843"]}}]}}"#)]
        pub targeting_criteria: TargetingCriteria,
    }
}

/// The audience. Mirrors the WIT `audience-count` record.
#[derive(Debug, Serialize)]
pub struct AudienceCount {
    /// Members the targeting reaches; 0 below 300, which LinkedIn does not report.
    pub total: u64,
    /// Of those, members active recently.
    pub active: u64,
    /// Whether a campaign can run with it: 300 members or more.
    pub runnable: bool,
}

#[derive(Deserialize)]
struct Answer {
    elements: Vec<Count>,
}

#[derive(Deserialize)]
struct Count {
    total: Option<u64>,
    active: Option<u64>,
}

impl Command for GetAudienceCount {
    const SPEC: Spec = Spec {
        name: "get-audience-count",
        title: "Get audience count",
        description: "Counts the members a targetingCriteria reaches (total, and of those the \
                      recently active), and says whether a campaign can run with it (runnable: \
                      LinkedIn needs at least 300 members and reports smaller audiences as 0). \
                      The criteria are checked and written as LinkedIn's Rest.li query, facet \
                      URNs encoded like every value; a long one is sent in the request body.",
        scopes: &[READ_SCOPES],
        role: AD_TARGETING_ROLE,
        calls: &[
            "GET /rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria=(include:\
                  (and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(…))))))",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = AudienceCount;

    fn run(input: Input, api: &mut Client<'_>) -> Result<AudienceCount, Error> {
        let response = api.send(
            ApiRequest::get(Api::Rest, "/audienceCounts")
                .query_raw("q", "targetingCriteriaV2")
                .query_raw("targetingCriteria", input.targeting_criteria.restli()),
        )?;
        let answer: Answer = response.json()?;
        let count = answer
            .elements
            .into_iter()
            .next()
            .ok_or_else(|| response.not_json("it has no count"))?;
        let total = count.total.unwrap_or(0);
        Ok(AudienceCount {
            total,
            active: count.active.unwrap_or(0),
            runnable: total >= MIN_AUDIENCE,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn counts_the_documented_criteria() {
        let mut env =
            ScriptEnv::new().respond(200, &[], r#"{"elements":[{"active":0,"total":25312600}],"paging":{"count":10,"start":0,"links":[]}}"#);
        let out = run::<GetAudienceCount>(
            &mut env,
            json!({"targetingCriteria": {"include": {"and": [
                {"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:102221843"]}},
                {"or": {"urn:li:adTargetingFacet:skills": ["urn:li:skill:17"]}}]}}}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/audienceCounts?q=targetingCriteriaV2&targetingCriteria=(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A102221843))),(or:(urn%3Ali%3AadTargetingFacet%3Askills:List(urn%3Ali%3Askill%3A17))))))"
        );
        assert_eq!(
            out,
            json!({"total": 25312600, "active": 0, "runnable": true})
        );
    }

    #[test]
    fn a_small_audience_is_not_runnable() {
        let mut env =
            ScriptEnv::new().respond(200, &[], r#"{"elements":[{"active":0,"total":0}]}"#);
        let out = run::<GetAudienceCount>(
            &mut env,
            json!({"targetingCriteria": {"include": {"and": [{"or": {"urn:li:adTargetingFacet:titles": ["urn:li:title:1"]}}]}}}),
        )
        .unwrap();
        assert_eq!(out["runnable"], false);
        let mut env = ScriptEnv::new().respond(200, &[], r#"{"elements":[]}"#);
        let err = run::<GetAudienceCount>(
            &mut env,
            json!({"targetingCriteria": {"include": {"and": [{"or": {"urn:li:adTargetingFacet:titles": ["urn:li:title:1"]}}]}}}),
        )
        .unwrap_err();
        assert_eq!(err.kind(), "decode");
    }

    #[test]
    fn a_bad_shape_sends_nothing() {
        let mut env = ScriptEnv::new();
        assert_eq!(
            field_of(run::<GetAudienceCount>(
                &mut env,
                json!({"targetingCriteria": {"include": {"and": [{"or": {"urn:li:adTargetingFacet:titles": "urn:li:title:1"}}]}}})
            )),
            "targetingCriteria.include.and[0].or.urn:li:adTargetingFacet:titles"
        );
        assert!(env.sent.is_empty());
    }
}
