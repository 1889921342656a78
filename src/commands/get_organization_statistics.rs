//! get-organization-statistics: a page's organic share statistics (impressions, clicks,
//! reactions, comments, shares, engagement) for its lifetime or per day or month of a range,
//! its follower gains per period, and its total followers.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::commands::shared::organization::{self as org, OrgRef};
use crate::core::command::{Command, Spec};
use crate::core::dates::Instant;
use crate::core::error::Error;
use crate::core::input::Choice;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::PAGE_READ_ROLE;

#[derive(Default)]
pub struct GetOrganizationStatistics;

crate::choice! {
    /// How a time range is split into periods.
    Granularity { Day = "DAY", Month = "MONTH" }
}

crate::input! {
    /// Input of get-organization-statistics.
    pub struct Input {
        /// The page: urn:li:organization:{id}, organization:{id} or the numeric id. A vanity
        /// name is accepted too and costs one more call to find the id. The member needs the
        /// ADMINISTRATOR role on the page.
        #[param(example = "urn:li:organization:2414183")]
        pub organization: OrgRef,
        /// Start of a time range (inclusive): epoch milliseconds, an ISO date (2026-01-01 is
        /// 00:00 UTC that day) or an ISO date-time (2026-01-01T09:00:00Z). Needs granularity.
        /// LinkedIn keeps a rolling 12 months.
        #[param(example = "2026-01-01")]
        pub since: Option<Instant>,
        /// End of the range (exclusive), written as since; default now. until 2026-02-01
        /// covers all of January.
        #[param(example = "2026-02-01")]
        pub until: Option<Instant>,
        /// Split the range into DAY or MONTH periods. Required with since; without since, until
        /// and granularity the totals are the page's lifetime totals.
        pub granularity: Option<Granularity>,
    }
}

/// The page's totals. Mirrors the WIT `statistics-totals` record.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Totals {
    pub followers: Option<u64>,
    pub impressions: i64,
    pub unique_impressions: Option<i64>,
    pub clicks: i64,
    pub likes: i64,
    pub comments: i64,
    pub shares: i64,
    pub engagement: Option<f64>,
}

/// One day or month. Mirrors the WIT `statistics-period` record.
#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    pub start: u64,
    pub end: u64,
    pub follower_gain: i64,
    pub impressions: i64,
    pub clicks: i64,
    pub likes: i64,
    pub comments: i64,
    pub shares: i64,
    pub engagement: Option<f64>,
}

/// Mirrors the WIT `organization-statistics` record.
#[derive(Debug, Serialize)]
pub struct OrganizationStatistics {
    pub totals: Totals,
    pub periods: Vec<Period>,
}

impl Command for GetOrganizationStatistics {
    const SPEC: Spec = Spec {
        name: "get-organization-statistics",
        title: "Get organization statistics",
        description: "Reads a page's organic statistics (sponsored activity is not counted): \
                      without a range, lifetime totals of impressions, unique impressions, \
                      clicks, likes, comments, shares and engagement; with since and a \
                      granularity (DAY or MONTH), one period each with its follower gain \
                      (organic and paid), and totals summed over the periods (engagement \
                      weighted by impressions; uniqueImpressions null, as unique counts do not \
                      add up). totals.followers is always the current follower count. likes \
                      can be negative (LinkedIn subtracts removed reactions). A vanity name is \
                      looked up first.",
        scopes: &["rw_organization_admin"],
        role: PAGE_READ_ROLE,
        calls: &[
            "GET /rest/organizations?q=vanityName&vanityName=... (for a vanity name)",
            "GET /rest/organizationalEntityShareStatistics?q=organizationalEntity&\
             organizationalEntity={urn}[&timeIntervals=(timeRange:(start:...,end:...),\
             timeGranularityType:DAY)]",
            "GET /rest/organizationalEntityFollowerStatistics?q=organizationalEntity&\
             organizationalEntity={urn}&timeIntervals=(...) (with a range)",
            "GET /rest/networkSizes/{urn}?edgeType=COMPANY_FOLLOWED_BY_MEMBER",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = OrganizationStatistics;

    fn run(input: Input, api: &mut Client<'_>) -> Result<OrganizationStatistics, Error> {
        let range = match (input.since, input.until, input.granularity) {
            (None, None, None) => None,
            (Some(since), until, Some(granularity)) => {
                let until = until.map_or_else(|| api.unix_time_ms(), |u| u.0);
                if since.0 >= until {
                    let field = if input.until.is_some() {
                        "until"
                    } else {
                        "since"
                    };
                    return Err(Error::invalid(
                        field,
                        "`since` must be before `until` (default: now).",
                    ));
                }
                Some(format!(
                    "(timeRange:(start:{},end:{until}),timeGranularityType:{})",
                    since.0,
                    granularity.as_str()
                ))
            }
            (None, _, _) => {
                return Err(Error::invalid(
                    "since",
                    "A time range needs `since` (with `granularity`); leave since, until and \
                     granularity all empty for lifetime totals.",
                ));
            }
            (Some(_), _, None) => {
                return Err(Error::invalid(
                    "granularity",
                    "A time range needs `granularity` (DAY or MONTH); leave since and until \
                     empty for lifetime totals.",
                ));
            }
        };
        let (id, _) = org::resolve(api, &input.organization)?;
        let entity = org::urn(id);
        let statistics = |kind: &str| {
            let mut request = ApiRequest::get(Api::Rest, ["/organizationalEntity", kind].concat())
                .query_raw("q", "organizationalEntity")
                .query("organizationalEntity", &entity);
            if let Some(range) = &range {
                request = request.query_raw("timeIntervals", range.clone());
            }
            request
        };
        let shares: Value = api.send(statistics("ShareStatistics"))?.json()?;
        let shares = org::elements(&shares);
        let mut totals = Totals::default();
        let mut periods = BTreeMap::new();
        if range.is_none() {
            if let Some(stats) = shares.first().and_then(|e| e.get("totalShareStatistics")) {
                let [impressions, clicks, likes, comments, shares] = counts(stats);
                totals = Totals {
                    impressions,
                    unique_impressions: stats.get("uniqueImpressionsCount").and_then(Value::as_i64),
                    clicks,
                    likes,
                    comments,
                    shares,
                    engagement: stats.get("engagement").and_then(Value::as_f64),
                    followers: None,
                };
            }
        } else {
            for element in shares {
                let stats = element.get("totalShareStatistics").unwrap_or(&Value::Null);
                let [impressions, clicks, likes, comments, shares] = counts(stats);
                let period = period_at(&mut periods, element);
                *period = Period {
                    impressions,
                    clicks,
                    likes,
                    comments,
                    shares,
                    engagement: stats.get("engagement").and_then(Value::as_f64),
                    ..std::mem::take(period)
                };
            }
            let followers: Value = api.send(statistics("FollowerStatistics"))?.json()?;
            for element in org::elements(&followers) {
                let gain = |k| {
                    element
                        .pointer(&["/followerGains/", k].concat())
                        .and_then(Value::as_i64)
                        .unwrap_or(0)
                };
                period_at(&mut periods, element).follower_gain =
                    gain("organicFollowerGain") + gain("paidFollowerGain");
            }
            let mut weighted = 0.0;
            for p in periods.values() {
                totals.impressions += p.impressions;
                totals.clicks += p.clicks;
                totals.likes += p.likes;
                totals.comments += p.comments;
                totals.shares += p.shares;
                weighted += p.engagement.unwrap_or(0.0) * p.impressions as f64;
            }
            totals.engagement =
                (totals.impressions > 0).then(|| weighted / totals.impressions as f64);
        }
        totals.followers = org::follower_count(api, id)?;
        Ok(OrganizationStatistics {
            totals,
            periods: periods.into_values().collect(),
        })
    }
}

/// Impressions, clicks, likes, comments and shares of a `totalShareStatistics` (0 when absent,
/// as LinkedIn documents for posts without activity).
fn counts(stats: &Value) -> [i64; 5] {
    [
        "impressionCount",
        "clickCount",
        "likeCount",
        "commentCount",
        "shareCount",
    ]
    .map(|k| stats.get(k).and_then(Value::as_i64).unwrap_or(0))
}

/// The period of an element's `timeRange` (periods are kept in order of start), added when it
/// is new.
fn period_at<'p>(periods: &'p mut BTreeMap<u64, Period>, element: &Value) -> &'p mut Period {
    let edge = |k| {
        element
            .pointer(&["/timeRange/", k].concat())
            .and_then(Value::as_u64)
            .unwrap_or(0)
    };
    let (start, end) = (edge("start"), edge("end"));
    periods.entry(start).or_insert_with(|| Period {
        start,
        end,
        ..Period::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn range_rules_send_nothing() {
        let cases = [
            (
                json!({"organization": 1, "since": "2026-02-01", "until": "2026-01-01", "granularity": "DAY"}),
                "until",
            ),
            (
                json!({"organization": 1, "since": "2026-01-01", "until": "2026-01-01", "granularity": "DAY"}),
                "until",
            ),
            (
                json!({"organization": 1, "since": "2026-01-01"}),
                "granularity",
            ),
            (json!({"organization": 1, "granularity": "DAY"}), "since"),
            (json!({"organization": 1, "until": "2026-01-01"}), "since"),
            (
                json!({"organization": 1, "since": "2026-01-01", "granularity": "WEEK"}),
                "granularity",
            ),
            (json!({"organization": "person:abc"}), "organization"),
        ];
        for (input, field) in cases {
            let mut env = ScriptEnv::new();
            assert_eq!(
                field_of(run::<GetOrganizationStatistics>(&mut env, input.clone())),
                field,
                "{input}"
            );
            assert!(env.sent.is_empty());
        }
    }

    #[test]
    fn periods_merge_shares_and_followers() {
        let share = json!({"elements": [
            {"timeRange": {"start": 2, "end": 3}, "totalShareStatistics": {"impressionCount": 300, "likeCount": -1, "engagement": 0.02}},
            {"timeRange": {"start": 1, "end": 2}, "totalShareStatistics": {"impressionCount": 100, "clickCount": 4, "engagement": 0.06}}]});
        let followers = json!({"elements": [
            {"timeRange": {"start": 1, "end": 2}, "followerGains": {"organicFollowerGain": 3, "paidFollowerGain": 1}},
            {"timeRange": {"start": 3, "end": 4}, "followerGains": {"organicFollowerGain": -1, "paidFollowerGain": 0}}]});
        let mut env = ScriptEnv::new()
            .respond(200, &[], &share.to_string())
            .respond(200, &[], &followers.to_string())
            .respond(200, &[], r#"{"firstDegreeSize": 500}"#);
        let out = run::<GetOrganizationStatistics>(
            &mut env,
            json!({"organization": "2414183", "since": "2026-01-01", "until": "2026-01-04", "granularity": "day"}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A2414183&timeIntervals=(timeRange:(start:1767225600000,end:1767484800000),timeGranularityType:DAY)"
        );
        let periods = out["periods"].as_array().unwrap();
        assert_eq!(periods.len(), 3);
        assert_eq!(periods[0]["start"], 1);
        assert_eq!(periods[0]["followerGain"], 4);
        assert_eq!(periods[1]["likes"], -1);
        assert_eq!(periods[2]["followerGain"], -1);
        assert_eq!(periods[2]["engagement"], Value::Null);
        assert_eq!(out["totals"]["impressions"], 400);
        assert_eq!(out["totals"]["likes"], -1);
        assert_eq!(out["totals"]["followers"], 500);
        assert_eq!(out["totals"]["uniqueImpressions"], Value::Null);
        let engagement = out["totals"]["engagement"].as_f64().unwrap();
        assert!((engagement - 0.03).abs() < 1e-12, "{engagement}");
    }
}
