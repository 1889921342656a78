//! get-ad-analytics: performance of accounts, campaign groups, campaigns or creatives over a
//! date range, by one to three pivots, per day, month, year or in all (adAnalytics finders
//! `q=analytics` and `q=statistics`).

use std::borrow::Cow;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::commands::shared::ads::{
    AccountRef, AdId, CampaignGroupRef, CampaignRef, CreativeRef, REPORTING_SCOPES, restli_list,
};
use crate::core::command::{Command, Spec};
use crate::core::dates::Date;
use crate::core::error::Error;
use crate::core::input::{Choice, Field, ParamType, wrong_type};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::AD_READ_ROLE;

#[derive(Default)]
pub struct GetAdAnalytics;

crate::choice!(
    /// What rows are split by.
    Pivot {
        Account = "ACCOUNT",
        CampaignGroup = "CAMPAIGN_GROUP",
        Campaign = "CAMPAIGN",
        Creative = "CREATIVE",
        Share = "SHARE",
        Company = "COMPANY",
        Conversion = "CONVERSION",
        ServingLocation = "SERVING_LOCATION",
        CardIndex = "CARD_INDEX",
        MemberCompanySize = "MEMBER_COMPANY_SIZE",
        MemberIndustry = "MEMBER_INDUSTRY",
        MemberSeniority = "MEMBER_SENIORITY",
        MemberJobTitle = "MEMBER_JOB_TITLE",
        MemberJobFunction = "MEMBER_JOB_FUNCTION",
        MemberCountryV2 = "MEMBER_COUNTRY_V2",
        MemberRegionV2 = "MEMBER_REGION_V2",
        MemberCompany = "MEMBER_COMPANY"
    }
);

crate::choice!(
    /// How rows are split in time.
    TimeGranularity { All = "ALL", Daily = "DAILY", Monthly = "MONTHLY", Yearly = "YEARLY" }
);

/// The most pivots `q=statistics` takes.
const MAX_PIVOTS: usize = 3;
/// LinkedIn returns at most 20 fields, and `dateRange,pivotValues` are always asked for.
const MAX_FIELDS: usize = 18;
/// LinkedIn cuts an answer at 15,000 rows, without saying so.
const MAX_ROWS: usize = 15_000;

/// The metrics asked for when `fields` is not given.
const DEFAULT_FIELDS: &[&str] = &[
    "impressions",
    "clicks",
    "costInLocalCurrency",
    "likes",
    "comments",
    "shares",
    "follows",
    "oneClickLeads",
    "externalWebsiteConversions",
    "landingPageClicks",
];

/// The fields every call adds, so that each row says which day and which pivot it is.
const ROW_FIELDS: &[&str] = &["dateRange", "pivotValues"];

crate::input! {
    /// The days to report on, both included.
    pub struct DateRange {
        /// The first day: an ISO date (2026-05-01), or epoch milliseconds for their UTC day.
        pub start: Date,
        /// The last day, included; none for everything since start.
        pub end: Option<Date>,
    }
}

/// A metric name, as LinkedIn spells it (`costInLocalCurrency`): letters and digits, starting
/// with a small letter; compared exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metric(pub String);

impl Field for Metric {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        match value {
            Value::String(s)
                if s.starts_with(|c: char| c.is_ascii_lowercase())
                    && s.bytes().all(|b| b.is_ascii_alphanumeric()) =>
            {
                Ok(Metric(s.clone()))
            }
            Value::String(s) => Err(Error::invalid(
                name,
                format!(
                    "`{name}` must be a metric name as LinkedIn spells it, such as \
                     costInLocalCurrency, not {}.",
                    crate::core::error::quoted(s)
                ),
            )),
            other => Err(wrong_type(name, "a metric name", other)),
        }
    }
}

crate::input! {
    /// Input of get-ad-analytics.
    pub struct Input {
        /// The days to report on, both included: {"start": "2026-05-01", "end": "2026-05-31"}
        /// (ISO dates; end optional).
        #[param(example_json = r#"{"start": "2026-05-01", "end": "2026-05-31"}"#)]
        pub date_range: DateRange,
        /// Split rows by one pivot: ACCOUNT, CAMPAIGN_GROUP, CAMPAIGN, CREATIVE, SHARE,
        /// COMPANY, CONVERSION, SERVING_LOCATION, CARD_INDEX or a MEMBER_* demographic. Give
        /// pivot or pivots.
        #[param(example = "CAMPAIGN")]
        pub pivot: Option<Pivot>,
        /// Split rows by 1 to 3 pivots at once (LinkedIn's statistics finder). Give pivot or
        /// pivots.
        #[param(example_json = r#"["CAMPAIGN", "MEMBER_COUNTRY_V2"]"#, max_items = 3)]
        pub pivots: Option<Vec<Pivot>>,
        /// Report on these ad accounts (ids or URNs). Give at least one of accounts,
        /// campaignGroups, campaigns and creatives.
        #[param(example_json = r#"["urn:li:sponsoredAccount:502840441"]"#)]
        pub accounts: Option<Vec<AccountRef>>,
        /// Report on these campaign groups (ids or URNs).
        pub campaign_groups: Option<Vec<CampaignGroupRef>>,
        /// Report on these campaigns (ids or URNs).
        pub campaigns: Option<Vec<CampaignRef>>,
        /// Report on these creatives (ids or URNs).
        pub creatives: Option<Vec<CreativeRef>>,
        /// ALL (one row per pivot value for the whole range), DAILY, MONTHLY or YEARLY.
        pub time_granularity: TimeGranularity = TimeGranularity::All,
        /// 1 to 18 metrics, spelled as LinkedIn spells them (costInLocalCurrency,
        /// approximateMemberReach, …), in the order wanted; duplicates are dropped. Default:
        /// impressions, clicks, costInLocalCurrency, likes, comments, shares, follows,
        /// oneClickLeads, externalWebsiteConversions, landingPageClicks.
        #[param(example_json = r#"["impressions", "clicks", "costInLocalCurrency"]"#, max_items = 18)]
        pub fields: Option<Vec<Metric>>,
    }
}

/// The analytics rows. Mirrors the WIT `ad-analytics` record.
#[derive(Debug, Serialize)]
pub struct AdAnalytics {
    pub rows: Vec<Row>,
    /// True when LinkedIn returned 15,000 rows, where it stops without saying so: ask again
    /// for fewer days.
    pub truncated: bool,
}

/// One row. Mirrors the WIT `ad-analytics-row` record.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Row {
    /// What the row is about, one value per pivot (`urn:li:sponsoredCampaign:…`).
    pub pivot_values: Vec<String>,
    /// The row's first and last day (ISO dates).
    pub start: Option<String>,
    pub end: Option<String>,
    /// Each metric by name as LinkedIn gave it: counts as numbers, costs as decimal strings.
    pub metrics: Metrics,
}

/// Metric name to LinkedIn's value, in LinkedIn's order.
#[derive(Debug)]
pub struct Metrics(Vec<(String, Box<RawValue>)>);

impl Serialize for Metrics {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// The analytics answer.
#[derive(Deserialize)]
struct Answer {
    elements: Vec<Row>,
}

/// A day as LinkedIn's `dateRange` gives it.
#[derive(Deserialize)]
struct Day {
    year: i64,
    month: u32,
    day: u32,
}

#[derive(Deserialize)]
struct Days {
    start: Option<Day>,
    end: Option<Day>,
}

impl Day {
    fn iso(self) -> String {
        Date {
            year: self.year,
            month: self.month,
            day: self.day,
        }
        .to_string()
    }
}

/// A row: `pivotValues` and `dateRange` by name, every other member a metric.
impl<'de> Deserialize<'de> for Row {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RowVisitor;
        impl<'de> Visitor<'de> for RowVisitor {
            type Value = Row;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an analytics row")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Row, A::Error> {
                let mut row = Row {
                    pivot_values: Vec::new(),
                    start: None,
                    end: None,
                    metrics: Metrics(Vec::new()),
                };
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match key.as_ref() {
                        "pivotValues" => row.pivot_values = map.next_value()?,
                        "dateRange" => {
                            let days: Days = map.next_value()?;
                            row.start = days.start.map(Day::iso);
                            row.end = days.end.map(Day::iso);
                        }
                        _ => {
                            let value: Box<RawValue> = map.next_value()?;
                            row.metrics.0.push((key.into_owned(), value));
                        }
                    }
                }
                Ok(row)
            }
        }
        deserializer.deserialize_map(RowVisitor)
    }
}

impl Command for GetAdAnalytics {
    const SPEC: Spec = Spec {
        name: "get-ad-analytics",
        title: "Get ad analytics",
        description: "Reads ad performance for ad accounts, campaign groups, campaigns or \
                      creatives over a date range (both days included), split by one pivot \
                      (or up to three with pivots) and by day, month, year or not at all: each \
                      row gives its pivot values, its first and last day, and the metrics \
                      asked for by name (counts as numbers, costs as LinkedIn's decimal \
                      strings). LinkedIn answers \"no data\" and \"no access\" the same way, \
                      with no rows: when rows are missing, check with list-ad-accounts that the \
                      member has a role on the account. LinkedIn stops at 15,000 rows \
                      (truncated is then true): ask for fewer days at a time.",
        scopes: &[REPORTING_SCOPES],
        role: AD_READ_ROLE,
        calls: &[
            "GET /rest/adAnalytics?q=analytics&pivot=… (or q=statistics&pivots=List(…))\
                  &timeGranularity=&dateRange=(start:(year:,month:,day:),end:(…))\
                  &accounts=List(…)&fields=…,dateRange,pivotValues",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = AdAnalytics;

    fn run(input: Input, api: &mut Client<'_>) -> Result<AdAnalytics, Error> {
        let range = &input.date_range;
        if let Some(end) = range.end
            && end < range.start
        {
            return Err(Error::invalid(
                "dateRange.end",
                format!(
                    "`dateRange.end` ({end}) must not be before `dateRange.start` ({}).",
                    range.start
                ),
            ));
        }
        let pivots = input.pivots.filter(|p| !p.is_empty());
        let (finder, pivot_param, pivot_value) = match (input.pivot, pivots) {
            (Some(pivot), None) => ("analytics", "pivot", pivot.as_str().to_string()),
            (None, Some(pivots)) => {
                if pivots.len() > MAX_PIVOTS {
                    return Err(Error::invalid(
                        "pivots",
                        format!(
                            "LinkedIn splits rows by at most {MAX_PIVOTS} pivots; `pivots` has {}.",
                            pivots.len()
                        ),
                    ));
                }
                let repeated = pivots
                    .iter()
                    .enumerate()
                    .find(|(i, p)| pivots.iter().take(*i).any(|q| q == *p));
                if let Some((i, pivot)) = repeated {
                    return Err(Error::invalid(
                        format!("pivots[{i}]"),
                        format!("`pivots` names {} twice.", pivot.as_str()),
                    ));
                }
                let names: Vec<&str> = pivots.iter().map(|p| p.as_str()).collect();
                (
                    "statistics",
                    "pivots",
                    ["List(", &names.join(","), ")"].concat(),
                )
            }
            (None, None) => {
                return Err(Error::invalid(
                    "pivot",
                    "Give `pivot` (one, such as CAMPAIGN) or `pivots` (1 to 3).",
                ));
            }
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    "pivot",
                    "Give `pivot` or `pivots`, not both.",
                ));
            }
        };
        let fields = fields(input.fields.unwrap_or_default())?;
        let facets: [(&str, Vec<AdId>); 4] = [
            ("accounts", ids(input.accounts, |r| r.0)),
            ("campaignGroups", ids(input.campaign_groups, |r| r.0)),
            ("campaigns", ids(input.campaigns, |r| r.0)),
            ("creatives", ids(input.creatives, |r| r.0)),
        ];
        if facets.iter().all(|(_, ids)| ids.is_empty()) {
            return Err(Error::invalid(
                "accounts",
                "Say what to report on: give at least one of `accounts`, `campaignGroups`, \
                 `campaigns` or `creatives`.",
            ));
        }
        let mut request = ApiRequest::get(Api::Rest, "/adAnalytics")
            .query_raw("q", finder)
            .query_raw(pivot_param, pivot_value)
            .query_raw("timeGranularity", input.time_granularity.as_str())
            .query_raw("dateRange", date_range(range));
        for (facet, ids) in &facets {
            if !ids.is_empty() {
                request = request.query_raw(facet, restli_list(ids));
            }
        }
        let request = request.query_raw("fields", fields);
        let response = api.send(request)?;
        let answer: Answer = response.json()?;
        Ok(AdAnalytics {
            truncated: answer.elements.len() >= MAX_ROWS,
            rows: answer.elements,
        })
    }
}

/// The entities of one facet list.
fn ids<T>(given: Option<Vec<T>>, id: fn(T) -> AdId) -> Vec<AdId> {
    given.unwrap_or_default().into_iter().map(id).collect()
}

/// `fields`: the metrics in the order given, each once, then `dateRange,pivotValues` (written
/// unencoded, as LinkedIn reads projections).
fn fields(given: Vec<Metric>) -> Result<String, Error> {
    let mut names: Vec<&str> = Vec::new();
    for metric in &given {
        if !names.contains(&metric.0.as_str()) && !ROW_FIELDS.contains(&metric.0.as_str()) {
            names.push(&metric.0);
        }
    }
    if names.len() > MAX_FIELDS {
        return Err(Error::invalid(
            "fields",
            format!(
                "`fields` names {} metrics; LinkedIn returns at most 20 fields, and this \
                 command adds dateRange and pivotValues, so give at most {MAX_FIELDS}.",
                names.len()
            ),
        ));
    }
    if names.is_empty() {
        names = DEFAULT_FIELDS.to_vec();
    }
    names.extend_from_slice(ROW_FIELDS);
    Ok(names.join(","))
}

/// `(start:(year:2026,month:5,day:1),end:(year:2026,month:5,day:31))`.
fn date_range(range: &DateRange) -> String {
    let day = |d: Date| format!("(year:{},month:{},day:{})", d.year, d.month, d.day);
    match range.end {
        Some(end) => format!("(start:{},end:{})", day(range.start), day(end)),
        None => format!("(start:{})", day(range.start)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn one_pivot_per_day_with_costs_as_strings() {
        let body = r#"{"elements":[{"pivotValues":["urn:li:sponsoredCampaign:1"],"dateRange":{"start":{"year":2026,"month":5,"day":1},"end":{"year":2026,"month":5,"day":1}},"impressions":165,"clicks":11,"costInLocalCurrency":"19.91833"}],"paging":{"count":10,"links":[],"start":0}}"#;
        let mut env = ScriptEnv::new().respond(200, &[], body);
        let out = run::<GetAdAnalytics>(
            &mut env,
            json!({"dateRange": {"start": "2026-05-01", "end": "2026-05-31"}, "pivot": "campaign",
                   "timeGranularity": "daily", "accounts": [502840441],
                   "fields": ["impressions", "clicks", "costInLocalCurrency", "clicks", "dateRange"]}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:(year:2026,month:5,day:1),end:(year:2026,month:5,day:31))&accounts=List(urn%3Ali%3AsponsoredAccount%3A502840441)&fields=impressions,clicks,costInLocalCurrency,dateRange,pivotValues"
        );
        assert_eq!(
            out,
            json!({"rows": [{"pivotValues": ["urn:li:sponsoredCampaign:1"], "start": "2026-05-01",
                             "end": "2026-05-01",
                             "metrics": {"impressions": 165, "clicks": 11, "costInLocalCurrency": "19.91833"}}],
                   "truncated": false})
        );
    }

    #[test]
    fn several_pivots_and_facets_in_order() {
        let mut env = ScriptEnv::new().respond(200, &[], r#"{"elements":[]}"#);
        run::<GetAdAnalytics>(
            &mut env,
            json!({"dateRange": {"start": "2026-01-01"}, "pivots": ["CAMPAIGN", "member_country_v2"],
                   "creatives": ["urn:li:sponsoredCreative:5"], "campaigns": [3]}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/adAnalytics?q=statistics&pivots=List(CAMPAIGN,MEMBER_COUNTRY_V2)&timeGranularity=ALL&dateRange=(start:(year:2026,month:1,day:1))&campaigns=List(urn%3Ali%3AsponsoredCampaign%3A3)&creatives=List(urn%3Ali%3AsponsoredCreative%3A5)&fields=impressions,clicks,costInLocalCurrency,likes,comments,shares,follows,oneClickLeads,externalWebsiteConversions,landingPageClicks,dateRange,pivotValues"
        );
    }

    #[test]
    fn fifteen_thousand_rows_are_truncated() {
        let row = r#"{"pivotValues":["urn:li:sponsoredCampaign:1"],"impressions":1}"#;
        let body = format!(r#"{{"elements":[{}]}}"#, vec![row; MAX_ROWS].join(","));
        let mut env = ScriptEnv::new().respond(200, &[], &body);
        let out = run::<GetAdAnalytics>(
            &mut env,
            json!({"dateRange": {"start": "2026-01-01"}, "pivot": "CAMPAIGN", "campaigns": [1]}),
        )
        .unwrap();
        assert_eq!(out["rows"].as_array().unwrap().len(), MAX_ROWS);
        assert_eq!(out["truncated"], true);
        assert_eq!(out["rows"][0]["start"], Value::Null);
    }

    #[test]
    fn bad_input_sends_nothing() {
        let ok =
            json!({"dateRange": {"start": "2026-05-01"}, "pivot": "CAMPAIGN", "accounts": [1]});
        let with = |key: &str, value: Value| {
            let mut input = ok.clone();
            if value.is_null() {
                input.as_object_mut().unwrap().remove(key);
            } else {
                input[key] = value;
            }
            input
        };
        let nineteen: Vec<String> = (0..19).map(|i| format!("metric{i}")).collect();
        for (input, field) in [
            (with("pivot", Value::Null), "pivot"),
            (with("pivots", json!(["CAMPAIGN"])), "pivot"),
            (with("accounts", Value::Null), "accounts"),
            (with("accounts", json!([])), "accounts"),
            (with("fields", json!(nineteen)), "fields"),
            (
                with("fields", json!(["impressions", "cost in USD"])),
                "fields[1]",
            ),
            (
                with(
                    "dateRange",
                    json!({"start": "2026-05-01", "end": "2026-04-30"}),
                ),
                "dateRange.end",
            ),
            (
                with("dateRange", json!({"start": "May 1"})),
                "dateRange.start",
            ),
            (
                with("dateRange", json!({"end": "2026-05-01"})),
                "dateRange.start",
            ),
            (with("timeGranularity", json!("WEEKLY")), "timeGranularity"),
            (
                with("campaigns", json!(["urn:li:sponsoredAccount:1"])),
                "campaigns[0]",
            ),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(
                field_of(run::<GetAdAnalytics>(&mut env, input.clone())),
                field,
                "{input}"
            );
            assert!(env.sent.is_empty());
        }
        let mut pivots = with("pivot", Value::Null);
        pivots["pivots"] = json!(["CAMPAIGN", "CREATIVE", "SHARE", "COMPANY"]);
        assert_eq!(
            field_of(run::<GetAdAnalytics>(&mut ScriptEnv::new(), pivots.clone())),
            "pivots"
        );
        pivots["pivots"] = json!(["CAMPAIGN", "campaign"]);
        assert_eq!(
            field_of(run::<GetAdAnalytics>(&mut ScriptEnv::new(), pivots)),
            "pivots[1]"
        );
    }
}
