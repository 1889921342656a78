//! get-organization: one LinkedIn page by id, URN or vanity name: its name, description,
//! website, vanity name and follower count.

use serde::Serialize;
use serde_json::Value;

use crate::commands::shared::organization::{self as org, OrgRef};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::PAGE_READ_ROLE;

#[derive(Default)]
pub struct GetOrganization;

crate::input! {
    /// Input of get-organization.
    pub struct Input {
        /// The page: urn:li:organization:{id}, organization:{id}, the numeric id, or its vanity
        /// name (the part after linkedin.com/company/).
        #[param(example = "urn:li:organization:2414183")]
        pub organization: OrgRef,
        /// Also read the page's follower count (one more call).
        pub include_follower_count: bool = true,
    }
}

/// A LinkedIn page. Mirrors the WIT `organization-info` record.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationInfo {
    pub urn: String,
    pub id: u64,
    pub name: Option<String>,
    pub vanity_name: Option<String>,
    pub description: Option<String>,
    pub website: Option<String>,
    pub logo_url: Option<String>,
    pub follower_count: Option<u64>,
    pub page_url: Option<String>,
    /// The organization as LinkedIn sent it.
    pub raw: Value,
}

impl Command for GetOrganization {
    const SPEC: Spec = Spec {
        name: "get-organization",
        title: "Get organization",
        description: "Reads a LinkedIn page (organization) by URN, numeric id or vanity name: \
                      name, vanity name, description, website, page URL and follower count. A \
                      page the member does not administer is read through the public lookup, \
                      which has fewer fields (no description). A vanity name that matches no \
                      page is not-found. logoUrl is filled only when LinkedIn's answer already \
                      holds a logo URL.",
        scopes: &["r_organization_admin|rw_organization_admin"],
        role: PAGE_READ_ROLE,
        calls: &[
            "GET /rest/organizations/{id} (or ?q=vanityName&vanityName=... for a vanity name)",
            "GET /rest/organizationsLookup?ids=List({id}) (when the member is not an admin)",
            "GET /rest/networkSizes/{organization URN}?edgeType=COMPANY_FOLLOWED_BY_MEMBER",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = OrganizationInfo;

    fn run(input: Input, api: &mut Client<'_>) -> Result<OrganizationInfo, Error> {
        let (id, body) = match org::resolve(api, &input.organization)? {
            (id, Some(body)) => (id, body),
            (id, None) => (id, read(api, id)?),
        };
        let follower_count = if input.include_follower_count {
            org::follower_count(api, id).map_err(|e| match e {
                Error::Forbidden(_) => e.prefixed(
                    "LinkedIn refused the page's follower count (networkSizes), after the page \
                     itself was read; give includeFollowerCount: false to read the page without \
                     it. ",
                ),
                other => other,
            })?
        } else {
            None
        };
        let vanity_name = org::vanity_name(&body);
        Ok(OrganizationInfo {
            urn: org::urn(id),
            id,
            name: org::name(&body),
            page_url: vanity_name
                .as_deref()
                .map(|v| ["https://www.linkedin.com/company/", v, "/"].concat()),
            vanity_name,
            description: org::localized(&body, "localizedDescription", "description"),
            website: org::localized(&body, "localizedWebsite", "website"),
            logo_url: org::logo_url(&body),
            follower_count,
            raw: body,
        })
    }
}

/// The organization by id; for a page the member does not administer (403), the public lookup's
/// answer, or the 403 when that has none either.
fn read(api: &mut Client<'_>, id: u64) -> Result<Value, Error> {
    let path = ["/organizations/", &id.to_string()].concat();
    match api.send(ApiRequest::get(Api::Rest, path)) {
        Ok(response) => response.json(),
        Err(Error::Forbidden(denied)) => {
            let mut found = Vec::new();
            org::batch(
                api,
                "/organizationsLookup",
                &[id],
                &mut found,
                &mut Vec::new(),
            )?;
            match found.pop() {
                Some((key, body)) if key == id => Ok(body),
                _ => Err(Error::Forbidden(denied)),
            }
        }
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn falls_back_to_the_lookup() {
        let mut env = ScriptEnv::new()
            .respond(403, &[], r#"{"status":403,"code":"ACCESS_DENIED"}"#)
            .respond(
                200,
                &[],
                r#"{"results":{"3803":{"id":3803,"localizedName":"Acme","vanityName":"acme"}},"statuses":{"3803":200},"errors":{}}"#,
            )
            .respond(200, &[], r#"{"firstDegreeSize":12}"#);
        let out = run::<GetOrganization>(&mut env, json!({"organization": 3803})).unwrap();
        assert_eq!(out["name"], "Acme");
        assert_eq!(out["pageUrl"], "https://www.linkedin.com/company/acme/");
        assert_eq!(out["followerCount"], 12);
        assert_eq!(out["raw"]["id"], 3803);
        assert_eq!(
            env.sent[1].url,
            "https://api.linkedin.com/rest/organizationsLookup?ids=List(3803)"
        );
        assert_eq!(
            env.sent[2].url,
            "https://api.linkedin.com/rest/networkSizes/urn%3Ali%3Aorganization%3A3803?edgeType=COMPANY_FOLLOWED_BY_MEMBER"
        );
    }

    #[test]
    fn a_refused_lookup_keeps_the_first_403() {
        let mut env = ScriptEnv::new()
            .respond(403, &[], r#"{"status":403,"message":"first"}"#)
            .respond(200, &[], r#"{"results":{},"statuses":{"3803":403}}"#);
        let err = run::<GetOrganization>(&mut env, json!({"organization": "3803"})).unwrap_err();
        assert_eq!(err.kind(), "forbidden");
        assert!(err.message().contains("first"));
    }

    #[test]
    fn an_unknown_vanity_name_is_not_found() {
        let mut env = ScriptEnv::new().respond(200, &[], r#"{"elements":[]}"#);
        let err =
            run::<GetOrganization>(&mut env, json!({"organization": "nobody-here"})).unwrap_err();
        assert_eq!(err.kind(), "not-found");
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/organizations?q=vanityName&vanityName=nobody-here"
        );
    }

    #[test]
    fn bad_references_send_nothing() {
        for bad in ["urn:li:person:abc", "dev test", "organization:x"] {
            let mut env = ScriptEnv::new();
            let result = run::<GetOrganization>(&mut env, json!({"organization": bad}));
            assert_eq!(field_of(result), "organization", "{bad}");
            assert!(env.sent.is_empty());
        }
    }
}
