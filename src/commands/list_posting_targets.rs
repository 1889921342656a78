//! list-posting-targets: whom the connected account can post as: the member, and every page on
//! which it holds an APPROVED role, with its name and whether that role may post.

use serde::Serialize;
use serde_json::Value;

use crate::commands::shared::organization::{self as org, BATCH};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::input::NoInput;
use crate::core::paging;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::urn::Urn;

#[derive(Default)]
pub struct ListPostingTargets;

/// The page roles LinkedIn lets post as the organization (`CONTENT_ADMIN` is an older spelling).
const POSTING_ROLES: &[&str] = &[
    "ADMINISTRATOR",
    "DIRECT_SPONSORED_CONTENT_POSTER",
    "CONTENT_ADMINISTRATOR",
    "CONTENT_ADMIN",
];

/// Role rows per ACL page: LinkedIn's largest `count`.
const ACL_PAGE: usize = 100;

/// ACL pages read at most (10,000 role rows): a guard against an answer that never ends. Past
/// it the listing fails rather than return a list that is silently cut short.
const MAX_ACL_PAGES: u32 = 100;

/// One identity the account can act as. Mirrors the WIT `posting-target` record.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostingTarget {
    /// `person` or `organization`.
    pub kind: &'static str,
    pub urn: String,
    pub name: Option<String>,
    pub vanity_name: Option<String>,
    pub logo_url: Option<String>,
    /// The APPROVED page roles (none for the person).
    pub roles: Vec<String>,
    pub can_post: bool,
}

/// Every target. Mirrors the WIT `posting-targets` record.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostingTargets {
    pub targets: Vec<PostingTarget>,
    /// The page roles could not be read (the token lacks the organization scope).
    pub org_scope_missing: bool,
}

impl Command for ListPostingTargets {
    const SPEC: Spec = Spec {
        name: "list-posting-targets",
        title: "List posting targets",
        description: "Lists whom the connected account can post as: the member (from userinfo, \
                      when the token has openid and profile) and every LinkedIn page on which \
                      it holds an APPROVED role, with the page's name, vanity name, roles and \
                      whether one of them may post (ADMINISTRATOR, \
                      DIRECT_SPONSORED_CONTENT_POSTER, CONTENT_ADMINISTRATOR). Returns every \
                      target at once, reading all role pages (up to 10,000 roles; beyond that the \
                      listing fails rather than come back incomplete). Without the organization scope \
                      the member is still returned, with orgScopeMissing true. logoUrl is \
                      filled only when LinkedIn's answer already holds a logo URL.",
        // Either half is enough: openid alone lists the member, an organization scope alone
        // the pages (a page-only token); profile adds the member's name.
        scopes: &[
            "openid|r_organization_admin|rw_organization_admin",
            "profile?",
            "r_organization_admin|rw_organization_admin?",
        ],
        role: "",
        calls: &[
            "GET /v2/userinfo",
            "GET /rest/organizationAcls?q=roleAssignee&state=APPROVED (100 rows a page, until \
             the last)",
            "GET /rest/organizations?ids=List(...) (20 ids a call)",
            "GET /rest/organizationsLookup?ids=List(...) (for ids /organizations refuses)",
        ],
        versioned: true,
    };
    type Input = NoInput;
    type Output = PostingTargets;

    fn run(_: NoInput, api: &mut Client<'_>) -> Result<PostingTargets, Error> {
        let mut targets = Vec::new();
        match api.send(ApiRequest::get(Api::OpenId, "/userinfo")) {
            Ok(response) => {
                let body: Value = response.json()?;
                let text = |key| body.get(key).and_then(Value::as_str).map(str::to_string);
                let urn = text("sub")
                    .and_then(|sub| Urn::text("person", &sub).ok())
                    .ok_or_else(|| response.not_json("the userinfo answer has no member id"))?;
                targets.push(PostingTarget {
                    kind: "person",
                    urn,
                    name: text("name"),
                    vanity_name: None,
                    logo_url: text("picture"),
                    roles: Vec::new(),
                    can_post: true,
                });
            }
            // A token with only page scopes.
            Err(Error::Forbidden(_)) => {}
            Err(e) => return Err(e),
        }
        let Some(pages) = approved_roles(api, !targets.is_empty())? else {
            return Ok(PostingTargets {
                targets,
                org_scope_missing: true,
            });
        };
        let ids: Vec<u64> = pages.iter().map(|(id, _)| *id).collect();
        let mut found = Vec::new();
        let mut denied = Vec::new();
        for chunk in ids.chunks(BATCH) {
            org::batch(api, "/organizations", chunk, &mut found, &mut denied)?;
        }
        // Pages the member does not administer: the public lookup has their name and logo.
        for chunk in denied.chunks(BATCH) {
            org::batch(
                api,
                "/organizationsLookup",
                chunk,
                &mut found,
                &mut Vec::new(),
            )?;
        }
        for (id, roles) in pages {
            let body = found
                .iter()
                .find(|(k, _)| *k == id)
                .map_or(&Value::Null, |(_, body)| body);
            targets.push(PostingTarget {
                kind: "organization",
                urn: org::urn(id),
                name: org::name(body),
                vanity_name: org::vanity_name(body),
                logo_url: org::logo_url(body),
                can_post: roles.iter().any(|r| POSTING_ROLES.contains(&r.as_str())),
                roles,
            });
        }
        Ok(PostingTargets {
            targets,
            org_scope_missing: false,
        })
    }
}

/// A page's id and the member's APPROVED roles on it.
type PageRoles = (u64, Vec<String>);

/// Every page with an APPROVED role, in the order LinkedIn lists them, with those roles. Rows of
/// another state are dropped here too (the finder's own filter is not relied on); a row without
/// a state was selected by `state=APPROVED`.
///
/// `None` when the first call is refused (403: no organization scope, or no Community
/// Management product) and `member_known`: the member is then still a target. A token that can
/// see neither gets the error, and so does a refusal after the first page.
fn approved_roles(
    api: &mut Client<'_>,
    member_known: bool,
) -> Result<Option<Vec<PageRoles>>, Error> {
    let mut pages: Vec<PageRoles> = Vec::new();
    let mut start = 0u64;
    // One page past the limit is asked only to see that the list ended there.
    for page in 0..=MAX_ACL_PAGES {
        let request = ApiRequest::get(Api::Rest, "/organizationAcls")
            .query_raw("q", "roleAssignee")
            .query_raw("state", "APPROVED")
            .query_raw("start", start.to_string())
            .query_raw("count", "100")
            .scopes(org::ORG_READ);
        let response = match api.send(request) {
            Err(Error::Forbidden(_)) if start == 0 && member_known => return Ok(None),
            other => other?,
        };
        let body: Value = response.json()?;
        let rows = org::elements(&body);
        if page == MAX_ACL_PAGES {
            if rows.is_empty() {
                break;
            }
            return Err(Error::decode(
                200,
                format!(
                    "LinkedIn's organizationAcls answer did not end after {start} role rows \
                     ({MAX_ACL_PAGES} full pages); the posting targets would be incomplete, so \
                     none are returned."
                ),
            ));
        }
        for row in rows {
            let text = |key| row.get(key).and_then(Value::as_str);
            if text("state").is_some_and(|s| s != "APPROVED") {
                continue;
            }
            let Some(id) = text("organization")
                .or_else(|| text("organizationalTarget"))
                .and_then(|o| Urn::parse(o).ok())
                .filter(|urn| urn.kind() == "organization")
                .and_then(|urn| urn.id().parse::<u64>().ok())
            else {
                continue;
            };
            if !pages.iter().any(|(known, _)| *known == id) {
                pages.push((id, Vec::new()));
            }
            let Some((_, roles)) = pages.iter_mut().find(|(known, _)| *known == id) else {
                continue;
            };
            if let Some(role) = text("role").filter(|r| !roles.iter().any(|k| k == r)) {
                roles.push(role.to_string());
            }
        }
        start += rows.len() as u64;
        if rows.len() < ACL_PAGE || paging::total(&body).is_some_and(|t| start >= t) {
            break;
        }
    }
    Ok(Some(pages))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, run};
    use serde_json::json;

    const USERINFO: &str = r#"{"sub":"782bbtaQ","name":"John Doe"}"#;

    fn acl(rows: &[(u64, &str, &str)]) -> String {
        let elements: Vec<Value> = rows
            .iter()
            .map(|(id, role, state)| {
                json!({"roleAssignee": "urn:li:person:782bbtaQ", "state": state, "role": role,
                       "organization": format!("urn:li:organization:{id}")})
            })
            .collect();
        json!({"paging": {"start": 0, "count": 100, "links": []}, "elements": elements}).to_string()
    }

    #[test]
    fn groups_roles_and_drops_other_states() {
        let batch = json!({"results": {
            "1": {"id": 1, "localizedName": "One", "vanityName": "one"},
            "2": {"id": 2, "localizedName": "Two"}}})
        .to_string();
        let mut env = ScriptEnv::new()
            .respond(200, &[], USERINFO)
            .respond(
                200,
                &[],
                &acl(&[
                    (1, "ANALYST", "APPROVED"),
                    (1, "ADMINISTRATOR", "APPROVED"),
                    (2, "ANALYST", "APPROVED"),
                    (2, "ADMINISTRATOR", "REVOKED"),
                    (3, "ADMINISTRATOR", "REQUESTED"),
                ]),
            )
            .respond(200, &[], &batch);
        let out = run::<ListPostingTargets>(&mut env, json!({})).unwrap();
        assert_eq!(out["orgScopeMissing"], false);
        let t = &out["targets"];
        assert_eq!(t[0]["urn"], "urn:li:person:782bbtaQ");
        assert_eq!(t[1]["roles"], json!(["ANALYST", "ADMINISTRATOR"]));
        assert_eq!(t[1]["canPost"], true);
        assert_eq!(t[1]["vanityName"], "one");
        assert_eq!(t[2]["roles"], json!(["ANALYST"]));
        assert_eq!(t[2]["canPost"], false);
        assert_eq!(t.as_array().unwrap().len(), 3);
        assert_eq!(
            env.sent[1].url,
            "https://api.linkedin.com/rest/organizationAcls?q=roleAssignee&state=APPROVED&start=0&count=100"
        );
        assert_eq!(
            env.sent[2].url,
            "https://api.linkedin.com/rest/organizations?ids=List(1,2)"
        );
    }

    #[test]
    fn a_full_page_asks_for_the_next() {
        let full: Vec<(u64, &str, &str)> = (1..=100)
            .map(|i| (i, "ADMINISTRATOR", "APPROVED"))
            .collect();
        let mut env = ScriptEnv::new()
            .respond(403, &[], "{}")
            .respond(200, &[], &acl(&full))
            .respond(200, &[], &acl(&[(101, "ADMINISTRATOR", "APPROVED")]));
        for _ in 0..6 {
            env = env.respond(200, &[], r#"{"results": {}}"#);
        }
        let out = run::<ListPostingTargets>(&mut env, json!({})).unwrap();
        assert_eq!(out["targets"].as_array().unwrap().len(), 101);
        assert!(env.sent[2].url.ends_with("start=100&count=100"));
        assert_eq!(env.sent.len(), 3 + 6);
    }

    #[test]
    fn an_acl_list_that_never_ends_is_an_error_not_a_cut_list() {
        let full: Vec<(u64, &str, &str)> = (1..=100)
            .map(|i| (i, "ADMINISTRATOR", "APPROVED"))
            .collect();
        let mut env = ScriptEnv::new().respond(200, &[], USERINFO);
        for _ in 0..MAX_ACL_PAGES {
            env = env.respond(200, &[], &acl(&full));
        }
        env = env.respond(200, &[], &acl(&full));
        let err = run::<ListPostingTargets>(&mut env, json!({})).unwrap_err();
        assert_eq!(err.kind(), "decode", "{err}");
        assert!(err.to_string().contains("10000 role rows"), "{err}");
        assert_eq!(env.sent.len(), 2 + MAX_ACL_PAGES as usize);
        assert!(env.sent[101].url.ends_with("start=10000&count=100"));
    }

    #[test]
    fn exactly_ten_thousand_roles_without_a_total_are_a_complete_list() {
        let mut env = ScriptEnv::new().respond(200, &[], USERINFO);
        for page in 0..MAX_ACL_PAGES as u64 {
            let rows: Vec<(u64, &str, &str)> = (1..=100)
                .map(|i| (page * 100 + i, "ADMINISTRATOR", "APPROVED"))
                .collect();
            env = env.respond(200, &[], &acl(&rows));
        }
        env = env.respond(200, &[], &acl(&[]));
        for _ in 0..500 {
            env = env.respond(200, &[], r#"{"results": {}}"#);
        }
        let out = run::<ListPostingTargets>(&mut env, json!({})).unwrap();
        assert_eq!(out["targets"].as_array().unwrap().len(), 1 + 10_000);
    }

    #[test]
    fn without_the_org_scope_the_member_remains() {
        let mut env = ScriptEnv::new().respond(200, &[], USERINFO).respond(
            403,
            &[],
            r#"{"status":403,"code":"ACCESS_DENIED"}"#,
        );
        let out = run::<ListPostingTargets>(&mut env, json!({})).unwrap();
        assert_eq!(out["orgScopeMissing"], true);
        assert_eq!(out["targets"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn a_token_that_sees_nothing_is_forbidden() {
        let mut env = ScriptEnv::new()
            .respond(403, &[], "{}")
            .respond(403, &[], "{}");
        let err = run::<ListPostingTargets>(&mut env, json!({})).unwrap_err();
        assert_eq!(err.kind(), "forbidden");
    }
}
