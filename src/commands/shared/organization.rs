//! Organizations (LinkedIn pages): how a user names one, reading an organization body, the batch
//! and vanity-name lookups, and the follower count. Shared by the page commands.

use serde::Deserialize;
use serde_json::Value;

use crate::core::error::{Error, StatusError, quoted};
use crate::core::input::{Field, ParamType, wrong_type};
use crate::core::pipeline::{Api, ApiRequest, Client};

/// What reading organizations needs: a 403 to one of these calls names these scopes, whichever
/// command made it.
pub const ORG_READ: &[&str] = &["r_organization_admin|rw_organization_admin"];

/// Ids per `ids=List(...)` batch lookup, which keeps every lookup URL short.
pub const BATCH: usize = 20;

/// The longest vanity name accepted (LinkedIn's own limit is not documented).
const MAX_VANITY: usize = 100;

/// An organization as the user named it: `urn:li:organization:123`, `organization:123` or `123`
/// (a JSON number too) is the id; a word of letters, digits, `-` and `_` is a vanity name.
#[derive(Clone, Debug, PartialEq)]
pub enum OrgRef {
    Id(u64),
    Vanity(String),
}

impl Field for OrgRef {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        match value {
            Value::Number(n) => n
                .as_u64()
                .filter(|id| *id > 0)
                .map(OrgRef::Id)
                .ok_or_else(|| {
                    Error::invalid(
                        name,
                        format!("`{name}` must be a positive organization id."),
                    )
                }),
            Value::String(s) => parse(s, name),
            other => Err(wrong_type(name, "a string or a number", other)),
        }
    }
}

/// Reads an organization reference from text (see [`OrgRef`]).
pub fn parse(text: &str, field: &str) -> Result<OrgRef, Error> {
    let text = text.trim();
    // The URN prefix in any case, as Urn::parse takes it.
    let id = match text.rsplit_once(':') {
        Some((prefix, id))
            if prefix.eq_ignore_ascii_case("urn:li:organization")
                || prefix.eq_ignore_ascii_case("organization") =>
        {
            id
        }
        Some(_) => "",
        None => text,
    };
    let numeric = !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit());
    match id.parse::<u64>() {
        Ok(id) if numeric && id > 0 => return Ok(OrgRef::Id(id)),
        _ if !numeric
            && id == text
            && !text.is_empty()
            && text.len() <= MAX_VANITY
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') =>
        {
            return Ok(OrgRef::Vanity(text.to_string()));
        }
        _ => {}
    }
    Err(Error::invalid(
        field,
        format!(
            "`{field}` must be an organization URN (urn:li:organization:123), its short form \
             (organization:123), the numeric id, or the page's vanity name (the part after \
             linkedin.com/company/), not {}.",
            quoted(text)
        ),
    ))
}

/// `urn:li:organization:{id}`.
pub fn urn(id: u64) -> String {
    format!("urn:li:organization:{id}")
}

/// The organization's id: given, or read from the body of a vanity-name lookup (returned too).
pub fn resolve(api: &mut Client<'_>, org: &OrgRef) -> Result<(u64, Option<Value>), Error> {
    let name = match org {
        OrgRef::Id(id) => return Ok((*id, None)),
        OrgRef::Vanity(name) => name,
    };
    let response = api.send(
        ApiRequest::get(Api::Rest, "/organizations")
            .query_raw("q", "vanityName")
            .query("vanityName", name)
            .scopes(ORG_READ),
    )?;
    let body: Value = response.json()?;
    let Some(found) = elements(&body).first() else {
        return Err(Error::NotFound(StatusError {
            status: 404,
            message: format!(
                "No LinkedIn page has the vanity name {}; check the part after \
                 linkedin.com/company/ in the page's address, or give its numeric id.",
                quoted(name)
            ),
            ..StatusError::default()
        }));
    };
    let id = found.get("id").and_then(Value::as_u64).ok_or_else(|| {
        response.not_json("the vanity-name lookup's organization has no numeric id")
    })?;
    Ok((id, Some(found.clone())))
}

/// The `elements` of a list answer; none when it has none.
pub fn elements(body: &Value) -> &[Value] {
    body.get("elements")
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Looks `ids` up with a BATCH_GET on `path` (`/organizations`, `/organizationsLookup`): each
/// answer goes into `found` with its id, and the ids LinkedIn refused (403, for the whole call
/// or per id in `statuses`/`errors`) into `denied`.
pub fn batch(
    api: &mut Client<'_>,
    path: &str,
    ids: &[u64],
    found: &mut Vec<(u64, Value)>,
    denied: &mut Vec<u64>,
) -> Result<(), Error> {
    let list: Vec<String> = ids.iter().map(u64::to_string).collect();
    let request = ApiRequest::get(Api::Rest, path)
        .query_raw("ids", ["List(", &list.join(","), ")"].concat())
        .scopes(ORG_READ);
    let body = match api.send(request) {
        Ok(response) => response.json()?,
        Err(Error::Forbidden(_)) => {
            denied.extend_from_slice(ids);
            return Ok(());
        }
        Err(e) => return Err(e),
    };
    let Value::Object(body) = body else {
        return Ok(());
    };
    let mut refused = Vec::new();
    for (part, value) in body {
        let Value::Object(by_id) = value else {
            continue;
        };
        for (key, value) in by_id {
            let Ok(id) = key.parse::<u64>() else {
                continue;
            };
            if part == "results" {
                found.push((id, value));
            } else if value.as_u64().or_else(|| value.get("status")?.as_u64()) == Some(403) {
                refused.push(id);
            }
        }
    }
    for id in refused {
        if !found.iter().any(|(k, _)| *k == id) && !denied.contains(&id) {
            denied.push(id);
        }
    }
    Ok(())
}

/// A Rest.li list answer, `{"elements": [...], "paging": {...}}`, its elements read as `T`.
#[derive(Deserialize)]
pub struct Elements<T> {
    pub elements: Option<Vec<T>>,
    pub paging: Option<Paging>,
}

/// The part of a list answer's `paging` the page commands read.
#[derive(Deserialize)]
pub struct Paging {
    pub total: Option<u64>,
}

/// An element of `organizationalEntityShareStatistics` or `…FollowerStatistics`: an
/// organization's statistics for one post (`share` or `ugcPost`, when posts were asked for)
/// or one period (`timeRange`, when a range was). One model for both answers, so both decode
/// through one instantiation.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StatisticsElement {
    pub share: Option<String>,
    pub ugc_post: Option<String>,
    pub time_range: Option<TimeRange>,
    pub total_share_statistics: Option<ShareStatistics>,
    pub follower_gains: Option<FollowerGains>,
}

/// Organic share statistics. LinkedIn leaves a count out for a post or period without activity.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareStatistics {
    pub impression_count: Option<i64>,
    pub unique_impressions_count: Option<i64>,
    pub click_count: Option<i64>,
    pub like_count: Option<i64>,
    pub comment_count: Option<i64>,
    pub share_count: Option<i64>,
    pub engagement: Option<f64>,
}

/// Followers gained in a period (negative when more left).
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FollowerGains {
    pub organic_follower_gain: Option<i64>,
    pub paid_follower_gain: Option<i64>,
}

/// A period of a statistics answer, epoch milliseconds.
#[derive(Default, Deserialize)]
pub struct TimeRange {
    pub start: Option<u64>,
    pub end: Option<u64>,
}

/// The page's total followers (`networkSizes`, `firstDegreeSize`).
pub fn follower_count(api: &mut Client<'_>, id: u64) -> Result<Option<u64>, Error> {
    let path = [
        "/networkSizes/",
        &crate::core::urn::percent_encode(&urn(id)),
    ]
    .concat();
    let response = api.send(
        ApiRequest::get(Api::Rest, path).query_raw("edgeType", "COMPANY_FOLLOWED_BY_MEMBER"),
    )?;
    Ok(response
        .json::<Value>()?
        .get("firstDegreeSize")
        .and_then(Value::as_u64))
}

/// A text field of an organization body: the `localized…` form, else the multi-locale one in
/// its preferred locale (or its first locale), else a plain string.
pub fn localized(body: &Value, plain: &str, multi: &str) -> Option<String> {
    let text = body.get(plain).and_then(Value::as_str).or_else(|| {
        let value = body.get(multi)?;
        value.as_str().or_else(|| {
            let all = value.get("localized")?.as_object()?;
            let preferred = value.get("preferredLocale").and_then(|l| {
                let part = |k| l.get(k).and_then(Value::as_str);
                all.get(&[part("language")?, "_", part("country")?].concat())
            });
            preferred.or_else(|| all.values().next())?.as_str()
        })
    })?;
    Some(text.trim())
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// The organization's display name.
pub fn name(body: &Value) -> Option<String> {
    localized(body, "localizedName", "name")
}

/// The vanity name, the slug of the page's address.
pub fn vanity_name(body: &Value) -> Option<String> {
    body.get("vanityName")
        .and_then(Value::as_str)
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// A displayable logo URL, only when the body already holds one: `logoV2` itself names
/// `digitalmediaAsset` URNs, and only a decorated `original~` / `cropped~` element carries a
/// (signed, expiring) https URL. Nothing is fetched for a logo.
pub fn logo_url(body: &Value) -> Option<String> {
    let logo = body.get("logoV2")?;
    ["original~", "cropped~"].iter().find_map(|key| {
        logo.get(key)?
            .get("elements")?
            .as_array()?
            .last()?
            .pointer("/identifiers/0/identifier")?
            .as_str()
            .filter(|url| url.starts_with("https://"))
            .map(str::to_string)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references() {
        for (text, id) in [
            ("urn:li:organization:2414183", 2414183),
            ("organization:2414183", 2414183),
            ("URN:LI:Organization:2414183", 2414183),
            (" 2414183 ", 2414183),
        ] {
            assert_eq!(
                parse(text, "organization").unwrap(),
                OrgRef::Id(id),
                "{text}"
            );
        }
        assert_eq!(
            parse("devtestco", "organization").unwrap(),
            OrgRef::Vanity("devtestco".into())
        );
        assert_eq!(
            OrgRef::read(&json!(7), "organization").unwrap(),
            OrgRef::Id(7)
        );
        for bad in [
            "urn:li:person:abc",
            "organization:abc",
            "urn:li:organization:",
            "0",
            "99999999999999999999999",
            "https://www.linkedin.com/company/devtestco/",
            "dev test",
            "société",
            "",
        ] {
            let err = parse(bad, "organization").unwrap_err();
            assert_eq!(err.field(), Some("organization"), "{bad}");
        }
        assert!(OrgRef::read(&json!(-1), "organization").is_err());
        assert!(OrgRef::read(&json!(true), "organization").is_err());
    }

    #[test]
    fn localized_fields() {
        let body = json!({
            "name": {"localized": {"en_US": "Devtestco", "fr_FR": "Devtestco FR"},
                     "preferredLocale": {"country": "FR", "language": "fr"}},
            "description": {"localized": {"en_US": " About us "}},
            "localizedWebsite": "https://devtestco.example",
        });
        assert_eq!(name(&body).as_deref(), Some("Devtestco FR"));
        assert_eq!(
            localized(&body, "localizedDescription", "description").as_deref(),
            Some("About us")
        );
        assert_eq!(
            localized(&body, "localizedWebsite", "website").as_deref(),
            Some("https://devtestco.example")
        );
        assert_eq!(
            name(&json!({"localizedName": "A", "name": "B"})).as_deref(),
            Some("A")
        );
        assert_eq!(name(&json!({"localizedName": ""})), None);
    }

    #[test]
    fn logo_only_from_a_url_linkedin_sent() {
        assert_eq!(
            logo_url(&json!({"logoV2": {"original": "urn:li:digitalmediaAsset:C4E0BAQ"}})),
            None
        );
        let decorated = json!({"logoV2": {"original~": {"elements": [
            {"identifiers": [{"identifier": "https://media.licdn.com/a_100"}]},
            {"identifiers": [{"identifier": "https://media.licdn.com/a_400"}]}]}}});
        assert_eq!(
            logo_url(&decorated).as_deref(),
            Some("https://media.licdn.com/a_400")
        );
        let insecure = json!({"logoV2": {"cropped~": {"elements": [
            {"identifiers": [{"identifier": "http://media.licdn.com/a"}]}]}}});
        assert_eq!(logo_url(&insecure), None);
    }
}
