//! list-ad-accounts: the ad accounts the member can see, each with the member's role on it, a
//! page at a time (Ads search finder, cursor paging).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::commands::shared::ads::{AdKind, READ_SCOPES, Search, SearchPageSize, search_page};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::input::Choice;
use crate::core::paging::{self, CursorPage};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::AD_READ_ROLE;

#[derive(Default)]
pub struct ListAdAccounts;

crate::choice!(
    /// An ad account's status.
    AccountStatus {
        Active = "ACTIVE",
        Canceled = "CANCELED",
        Draft = "DRAFT",
        PendingDeletion = "PENDING_DELETION",
        Removed = "REMOVED"
    }
);

crate::input! {
    /// Input of list-ad-accounts.
    pub struct Input {
        /// Which accounts, by status: ACTIVE, CANCELED, DRAFT, PENDING_DELETION, REMOVED (any
        /// letter case). Default (also for an empty list): ACTIVE only.
        #[param(example_json = r#"["ACTIVE", "DRAFT"]"#)]
        pub status: Option<Vec<AccountStatus>>,
        /// Also list test accounts (sandbox accounts, which never serve ads).
        pub include_test: bool = false,
        /// Accounts per page, 1 to 1,000.
        pub page_size: SearchPageSize = SearchPageSize::DEFAULT,
        /// Empty for the first page; then the pageToken of the previous page's `next`.
        pub page_token: Option<String>,
    }
}

/// One ad account. Mirrors the WIT `ad-account` record.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdAccount {
    /// Digits.
    pub id: String,
    pub urn: String,
    pub name: Option<String>,
    pub currency: Option<String>,
    pub status: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// The organization (or person) the account advertises for.
    pub reference: Option<String>,
    pub test: Option<bool>,
    pub serving_statuses: Vec<String>,
    /// The member's role on the account; none when LinkedIn did not say.
    pub role: Option<String>,
    /// Whether the role may change campaigns and ads (any role but VIEWER); none when the role
    /// is unknown.
    pub can_manage: Option<bool>,
    pub raw: Box<RawValue>,
}

/// A page of `adAccountUsers?q=authenticatedUser`: the member's role on each account.
#[derive(Deserialize)]
struct AccountUsers {
    elements: Vec<AccountUser>,
}

#[derive(Deserialize)]
struct AccountUser {
    account: Option<String>,
    role: Option<String>,
}

/// The most account roles read a page; a full page asks for the next.
const USERS_PAGE: u32 = 1000;
/// A bound on the pages of roles read, whatever LinkedIn answers.
const MAX_USER_PAGES: u32 = 10;

impl Command for ListAdAccounts {
    const SPEC: Spec = Spec {
        name: "list-ad-accounts",
        title: "List ad accounts",
        description: "Lists the ad accounts the member can see (ACTIVE ones by default, test \
                      accounts left out), pageSize at a time, each with its id, URN, name, \
                      currency, status, the organization it advertises for, its serving \
                      statuses, and the member's role on it (ACCOUNT_BILLING_ADMIN, \
                      ACCOUNT_MANAGER, CAMPAIGN_MANAGER, CREATIVE_MANAGER or VIEWER) with \
                      canManage (false for a VIEWER, who can only read). `next` is the input to \
                      merge for the following page ({\"pageToken\": …}), or null after the last. \
                      If LinkedIn does not give the roles, the accounts are still listed, with \
                      role null.",
        scopes: &[READ_SCOPES],
        role: AD_READ_ROLE,
        calls: &[
            "GET /rest/adAccounts?q=search&search=(status:(values:List(ACTIVE)),test:false)\
             &pageSize=&pageToken=",
            "GET /rest/adAccountUsers?q=authenticatedUser&start=0&count=1000 (while a page is \
             full)",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = CursorPage<AdAccount>;

    fn run(input: Input, api: &mut Client<'_>) -> Result<CursorPage<AdAccount>, Error> {
        let status = input
            .status
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| vec![AccountStatus::Active]);
        let mut search = Search::default().values("status", status.iter().map(|s| s.as_str()));
        if !input.include_test {
            search = search.flag("test", false);
        }
        let request = ApiRequest::get(Api::Rest, "/adAccounts")
            .query_raw("q", "search")
            .query_raw("search", search.restli().unwrap_or_default());
        let response = api.send(paging::cursor(
            request,
            input.page_size.0,
            input.page_token.as_deref(),
        ))?;
        let page = search_page(&response, AdKind::Account)?;
        let mut items = Vec::with_capacity(page.items.len());
        for (account, id, raw) in page.items {
            items.push(AdAccount {
                urn: id.urn(),
                id: id.id,
                name: account.name,
                currency: account.currency,
                status: account.status,
                kind: account.kind,
                reference: account.reference,
                test: account.test,
                serving_statuses: account.serving_statuses.unwrap_or_default(),
                role: None,
                can_manage: None,
                raw,
            });
        }
        if !items.is_empty()
            && let Some(roles) = roles(api)
        {
            for item in &mut items {
                item.role = roles.get(&item.urn).cloned();
                item.can_manage = item.role.as_deref().map(|role| role != "VIEWER");
            }
        }
        Ok(CursorPage {
            items,
            next: page.next,
        })
    }
}

/// The member's role on each account it can see, by account URN; none when LinkedIn does not
/// answer (the accounts are listed all the same).
fn roles(api: &mut Client<'_>) -> Option<BTreeMap<String, String>> {
    let mut roles = BTreeMap::new();
    for page in 0..MAX_USER_PAGES {
        let response = api
            .send(
                ApiRequest::get(Api::Rest, "/adAccountUsers")
                    .query_raw("q", "authenticatedUser")
                    .paged(page * USERS_PAGE, USERS_PAGE),
            )
            .ok()?;
        let users: AccountUsers = response.json().ok()?;
        let full = users.elements.len() >= USERS_PAGE as usize;
        for user in users.elements {
            if let (Some(account), Some(role)) = (user.account, user.role) {
                roles.insert(account, role);
            }
        }
        if !full {
            break;
        }
    }
    Some(roles)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::{Value, json};

    const ACCOUNT: &str = r#"{"id":506223315,"name":"Devtestco","currency":"USD","reference":"urn:li:organization:2414183","servingStatuses":["RUNNABLE"],"status":"ACTIVE","type":"BUSINESS","test":false}"#;

    #[test]
    fn lists_with_roles() {
        let accounts = format!(
            r#"{{"elements":[{ACCOUNT},{}],"metadata":{{"nextPageToken":"t=="}}}}"#,
            ACCOUNT.replace("506223315", "7")
        );
        let users = r#"{"elements":[{"account":"urn:li:sponsoredAccount:506223315","role":"VIEWER","user":"urn:li:person:a"}]}"#;
        let mut env = ScriptEnv::new()
            .respond(200, &[], &accounts)
            .respond(200, &[], users);
        let out = run::<ListAdAccounts>(
            &mut env,
            json!({"status": ["active", "draft"], "pageSize": 2}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/adAccounts?q=search&search=(status:(values:List(ACTIVE,DRAFT)),test:false)&pageSize=2"
        );
        assert_eq!(
            env.sent[1].url,
            "https://api.linkedin.com/rest/adAccountUsers?q=authenticatedUser&start=0&count=1000"
        );
        assert_eq!(out["items"][0]["id"], "506223315");
        assert_eq!(out["items"][0]["urn"], "urn:li:sponsoredAccount:506223315");
        assert_eq!(out["items"][0]["type"], "BUSINESS");
        assert_eq!(out["items"][0]["role"], "VIEWER");
        assert_eq!(out["items"][0]["canManage"], false);
        assert_eq!(out["items"][1]["role"], Value::Null);
        assert_eq!(out["next"], json!({"pageToken": "t=="}));
    }

    #[test]
    fn roles_that_fail_leave_role_null() {
        let accounts = format!(r#"{{"elements":[{ACCOUNT}],"metadata":{{}}}}"#);
        let mut env = ScriptEnv::new().respond(200, &[], &accounts).respond(
            403,
            &[],
            r#"{"status":403,"code":"ACCESS_DENIED"}"#,
        );
        let out =
            run::<ListAdAccounts>(&mut env, json!({"includeTest": true, "pageToken": "a+b="}))
                .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/adAccounts?q=search&search=(status:(values:List(ACTIVE)))&pageSize=100&pageToken=a%2Bb%3D"
        );
        assert_eq!(out["items"][0]["role"], Value::Null);
        assert_eq!(out["items"][0]["canManage"], Value::Null);
        assert_eq!(out["next"], Value::Null);
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (json!({"status": ["LIVE"]}), "status[0]"),
            (json!({"pageSize": 0}), "pageSize"),
            (json!({"pageSize": 1001}), "pageSize"),
            (json!({"includeTest": "yes"}), "includeTest"),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<ListAdAccounts>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
