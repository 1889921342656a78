//! search-targeting: finds the URNs of targeting values (places, industries, skills, job
//! titles, employers, …) by what their names start with, for a campaign's targetingCriteria.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::commands::shared::ads::{AdLocale, READ_SCOPES};
use crate::core::command::{Command, Spec};
use crate::core::error::{Error, quoted};
use crate::core::input::{Field, ParamType, wrong_type};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::AD_TARGETING_ROLE;
use crate::core::urn::Urn;

#[derive(Default)]
pub struct SearchTargeting;

/// A targeting facet: `urn:li:adTargetingFacet:{name}` or its name (`locations`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Facet(pub String);

impl Field for Facet {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        let Value::String(text) = value else {
            return Err(wrong_type(name, "a facet name or URN", value));
        };
        let text = text.trim();
        let facet = match text.starts_with("urn:") {
            true => Urn::parse(text)
                .ok()
                .filter(|urn| urn.kind() == "adTargetingFacet")
                .map(|urn| urn.id().to_string()),
            false => Some(text.to_string()),
        };
        match facet {
            Some(facet)
                if facet.starts_with(|c: char| c.is_ascii_lowercase())
                    && facet.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                Ok(Facet(["urn:li:adTargetingFacet:", &facet].concat()))
            }
            _ => Err(Error::invalid(
                name,
                format!(
                    "`{name}` must be a facet name such as locations, industries, skills, \
                     titles, employers, seniorities or jobFunctions, or its URN \
                     urn:li:adTargetingFacet:{{name}}, not {}.",
                    quoted(text)
                ),
            )),
        }
    }
}

crate::input! {
    /// Input of search-targeting.
    pub struct Input {
        /// What to search: a facet name (locations, industries, skills, titles, employers,
        /// seniorities, jobFunctions, interfaceLocales, …) or its URN
        /// urn:li:adTargetingFacet:{name}.
        #[param(example = "locations")]
        pub facet: Facet,
        /// The start of the names looked for (afric finds Africa).
        #[param(example = "afric")]
        pub query: String,
        /// The language of the names: en_US (the default), de_DE, …, or {"language": "en",
        /// "country": "US"}.
        #[param(example = "en_US")]
        pub locale: Option<AdLocale>,
    }
}

/// One targeting value. Mirrors the WIT `targeting-entity` record.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TargetingEntity {
    /// What to put in targetingCriteria (`urn:li:geo:103537801`).
    pub urn: String,
    pub name: Option<String>,
    pub facet_urn: Option<String>,
}

/// The values found. Mirrors the WIT `targeting-entities` record.
#[derive(Debug, Serialize)]
pub struct TargetingEntities {
    pub items: Vec<TargetingEntity>,
}

#[derive(Deserialize)]
struct Answer {
    elements: Vec<TargetingEntity>,
}

impl Command for SearchTargeting {
    const SPEC: Spec = Spec {
        name: "search-targeting",
        title: "Search targeting",
        description: "Finds targeting values of one facet by the start of their names (\"afric\" \
                      finds Africa in locations): each with the URN to put in a campaign's \
                      targetingCriteria, its name in the locale asked for, and its facet. \
                      LinkedIn returns up to 100 values (200 for employers, places and \
                      similar); not a paged list.",
        scopes: &[READ_SCOPES],
        role: AD_TARGETING_ROLE,
        calls: &[
            "GET /rest/adTargetingEntities?q=typeahead&facet={facet URN}&query=\
                  &queryVersion=QUERY_USES_URNS&locale=(language:en,country:US)",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = TargetingEntities;

    fn run(input: Input, api: &mut Client<'_>) -> Result<TargetingEntities, Error> {
        let locale = input.locale.unwrap_or_else(AdLocale::en_us);
        let response = api.send(
            ApiRequest::get(Api::Rest, "/adTargetingEntities")
                .query_raw("q", "typeahead")
                .query("facet", &input.facet.0)
                .query("query", input.query.trim())
                .query_raw("queryVersion", "QUERY_USES_URNS")
                .query_raw("locale", locale.restli()),
        )?;
        let answer: Answer = response.json()?;
        Ok(TargetingEntities {
            items: answer.elements,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn finds_by_facet_name() {
        let body = r#"{"elements":[{"urn":"urn:li:geo:103537801","facetUrn":"urn:li:adTargetingFacet:locations","name":"Africa"}],"paging":{"count":10,"start":0}}"#;
        let mut env = ScriptEnv::new().respond(200, &[], body);
        let out = run::<SearchTargeting>(
            &mut env,
            json!({"facet": "locations", "query": "afric", "locale": "de_DE"}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/adTargetingEntities?q=typeahead&facet=urn%3Ali%3AadTargetingFacet%3Alocations&query=afric&queryVersion=QUERY_USES_URNS&locale=(language:de,country:DE)"
        );
        assert_eq!(
            out,
            json!({"items": [{"urn": "urn:li:geo:103537801", "name": "Africa", "facetUrn": "urn:li:adTargetingFacet:locations"}]})
        );
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (json!({"facet": "job titles", "query": "eng"}), "facet"),
            (json!({"facet": "urn:li:geo:1", "query": "eng"}), "facet"),
            (json!({"facet": "titles", "query": " "}), "query"),
            (
                json!({"facet": "titles", "query": "eng", "locale": "english"}),
                "locale",
            ),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<SearchTargeting>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
