//! check-connection: whether the connected account works, who it is, and (with the app's client
//! id and secret) which scopes the token has, when it expires, and which commands it can run.
//! It reports; it does not fail on a dead token.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::input::NoInput;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::urn::Urn;

#[derive(Default)]
pub struct CheckConnection;

/// The setting that names the LinkedIn app, for token introspection.
const CLIENT_ID_SETTING: &str = "clientId";

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

const EXPIRED: &str = "The access token has expired; reconnect the LinkedIn account.";
const REVOKED: &str = "The access token was revoked; reconnect the LinkedIn account.";

/// What the check found. Mirrors the WIT `connection-check` record.
#[derive(Clone, Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionCheck {
    /// Whether the token works.
    pub connected: bool,
    /// `urn:li:person:{sub}`; none for a token without the profile scopes (page-only tokens).
    pub person_urn: Option<String>,
    pub name: Option<String>,
    /// The token's scopes; none when they are unknown (no introspection).
    pub scopes: Option<Vec<String>>,
    /// When the token expires, epoch milliseconds.
    pub expires_at: Option<u64>,
    /// Whole days until then, from the wall clock.
    pub days_left: Option<i64>,
    /// Every command: "ok", or the scope it lacks; none when the scopes are unknown.
    pub commands: Option<Map<String, Value>>,
    /// One sentence saying what to do, when something is wrong.
    pub problem: Option<String>,
}

impl Command for CheckConnection {
    const SPEC: Spec = Spec {
        name: "check-connection",
        title: "Check connection",
        description: "Checks the connected account before a user meets a 401 or 403: whether the \
                      token works and whose it is (userinfo), and, when the datasource has the \
                      app's clientId setting and client secret, its scopes, expiry and days left \
                      and which commands it can run (LinkedIn's token introspection). An expired \
                      or revoked token is reported as connected: false, not as an error.",
        scopes: &[],
        role: "",
        calls: &[
            "GET /v2/userinfo",
            "POST https://www.linkedin.com/oauth/v2/introspectToken (with clientId and the \
             client secret)",
        ],
        versioned: false,
    };
    type Input = NoInput;
    type Output = ConnectionCheck;

    fn run(_: NoInput, api: &mut Client<'_>) -> Result<ConnectionCheck, Error> {
        let mut check = ConnectionCheck {
            connected: true,
            ..ConnectionCheck::default()
        };
        match api.send(ApiRequest::get(Api::OpenId, "/userinfo")) {
            Ok(response) => {
                let body: Value = response.json()?;
                let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_string);
                check.person_urn = text("sub").and_then(|sub| Urn::text("person", &sub).ok());
                check.name = text("name");
            }
            // A page-only token: valid, but without the profile scopes.
            Err(Error::Forbidden(_)) => {}
            Err(Error::Unauthorized(e)) => {
                check.connected = false;
                check.problem = Some(match e.code.as_deref() {
                    Some("EXPIRED_ACCESS_TOKEN") => EXPIRED.into(),
                    Some("REVOKED_ACCESS_TOKEN") => REVOKED.into(),
                    _ => "LinkedIn no longer accepts the access token (it is invalid, expired or \
                          revoked); reconnect the LinkedIn account."
                        .into(),
                });
            }
            Err(Error::Credentials(e)) => {
                check.connected = false;
                check.problem = Some(e.message);
                return Ok(check);
            }
            Err(other) => return Err(other),
        }
        introspect(api, &mut check)?;
        Ok(check)
    }
}

/// Why `scopes` and `commands` are null although the clientId setting is set.
const SCOPES_UNKNOWN: &str = "Until then the token's scopes, and so which commands it can run, \
                              are unknown.";
const NO_SECRET: &str = "The clientId setting is set but the client secret is empty; set the \
                         app's client secret in the datasource, or clear clientId. Until then \
                         the token's scopes, and so which commands it can run, are unknown.";

/// Adds what token introspection says, when the app's client id and secret are configured.
fn introspect(api: &mut Client<'_>, check: &mut ConnectionCheck) -> Result<(), Error> {
    let Some(client_id) = api
        .setting(CLIENT_ID_SETTING)
        .map(|id| id.trim().to_string())
        .filter(|id| !id.is_empty())
    else {
        return Ok(());
    };
    // The clientId setting says introspection is wanted, so a missing or unobtainable secret is
    // a problem to report (connected stays as userinfo says), never a silent skip.
    let secret = match api.client_secret() {
        Ok(secret) if !secret.is_empty() => secret,
        Ok(_) => {
            check.problem.get_or_insert_with(|| NO_SECRET.to_string());
            return Ok(());
        }
        Err(e) => {
            check
                .problem
                .get_or_insert_with(|| format!("{} {SCOPES_UNKNOWN}", e.message()));
            return Ok(());
        }
    };
    let response = match api.introspect(&client_id, &secret) {
        Ok(response) => response,
        Err(Error::Unauthorized(_)) => {
            check.problem.get_or_insert_with(|| {
                "LinkedIn's token introspection refused the app's credentials: the clientId \
                 setting or the client secret is wrong."
                    .to_string()
            });
            return Ok(());
        }
        Err(Error::Api(e)) if e.status == 400 => {
            check.problem.get_or_insert_with(|| {
                "LinkedIn's token introspection refused the request: the clientId setting is not \
                 a LinkedIn app's client id, or the token is malformed."
                    .to_string()
            });
            return Ok(());
        }
        // A token userinfo already found dead stays reported as such: introspection would only
        // have added detail.
        Err(_) if !check.connected => return Ok(()),
        // Otherwise retryable failures (429, 5xx) stay errors with their payload, so a platform
        // can retry the check; the message says they came from introspection.
        Err(other) => {
            return Err(other.prefixed(
                "The token works (userinfo answered), but LinkedIn's token introspection failed: ",
            ));
        }
    };
    let body: Value = response.json()?;
    let active = body.get("active").and_then(Value::as_bool).unwrap_or(false);
    let status = body.get("status").and_then(Value::as_str).unwrap_or("");
    if let Some(expires) = body.get("expires_at").and_then(Value::as_u64) {
        let expires_ms = expires.saturating_mul(1000);
        check.expires_at = Some(expires_ms);
        let now = api.unix_time_ms() as i64;
        check.days_left = Some((expires_ms as i64 - now).div_euclid(DAY_MS));
    }
    if !active || (!status.is_empty() && status != "active") {
        check.connected = false;
        check.problem = Some(match status {
            "expired" => EXPIRED.into(),
            "revoked" => REVOKED.into(),
            _ => "LinkedIn says the token is not active: it is expired or revoked, or it was \
                  issued to another app than the clientId setting names; reconnect the LinkedIn \
                  account."
                .into(),
        });
        return Ok(());
    }
    let scopes: Vec<String> = body
        .get("scope")
        .and_then(Value::as_str)
        .unwrap_or("")
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let commands = crate::commands::ALL
        .iter()
        .map(|command| command.spec())
        .map(|spec| {
            let verdict = spec.missing_scope(&scopes).unwrap_or_else(|| "ok".into());
            (spec.name.to_string(), Value::String(verdict))
        })
        .collect();
    check.scopes = Some(scopes);
    check.commands = Some(commands);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::command::Dispatch;
    use crate::core::testing::ScriptEnv;
    use serde_json::json;

    const USERINFO: &str = r#"{"sub":"782bbtaQ","name":"John Doe"}"#;
    /// 2026-11-30T00:00:00Z.
    const NOW_MS: u64 = 1_796_083_200_000;

    fn check(env: &mut ScriptEnv) -> Result<Value, Error> {
        env.wall_ms = NOW_MS;
        let text = Dispatch::execute(&CheckConnection, env, Map::new())?;
        Ok(serde_json::from_str(&text).unwrap())
    }

    fn with_client_id(env: ScriptEnv) -> ScriptEnv {
        let mut env = env;
        env.settings.push(("clientId".into(), "86abc".into()));
        env
    }

    #[test]
    fn without_a_client_id_only_userinfo_is_read() {
        let mut env = ScriptEnv::new().respond(200, &[], USERINFO);
        let out = check(&mut env).unwrap();
        assert_eq!(
            out,
            json!({"connected": true, "personUrn": "urn:li:person:782bbtaQ", "name": "John Doe",
                   "scopes": null, "expiresAt": null, "daysLeft": null, "commands": null, "problem": null})
        );
        assert_eq!(env.sent.len(), 1);
    }

    #[test]
    fn introspection_maps_scopes_to_commands() {
        let introspection = json!({"active": true, "status": "active", "client_id": "86abc",
            "scope": "openid,profile,w_member_social", "expires_at": NOW_MS / 1000 + 10 * 86_400 + 5}).to_string();
        let mut env = with_client_id(ScriptEnv::new())
            .respond(200, &[], USERINFO)
            .respond(200, &[], &introspection);
        let out = check(&mut env).unwrap();
        let sent = &env.sent[1];
        assert_eq!(
            sent.url,
            "https://www.linkedin.com/oauth/v2/introspectToken"
        );
        assert_eq!(sent.method, http::Method::POST);
        assert_eq!(sent.header("authorization"), None);
        assert_eq!(
            sent.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(
            sent.body,
            b"client_id=86abc&client_secret=test-secret&token=test-token"
        );
        assert_eq!(
            out["scopes"],
            json!(["openid", "profile", "w_member_social"])
        );
        assert_eq!(out["daysLeft"], 10);
        assert_eq!(out["expiresAt"], (NOW_MS / 1000 + 10 * 86_400 + 5) * 1000);
        assert_eq!(out["commands"]["create-post"], "ok");
        assert_eq!(out["commands"]["get-user-info"], "ok");
        assert_eq!(
            out["commands"]["get-lead"],
            "r_marketing_leadgen_automation"
        );
        assert_eq!(
            out["commands"]["get-media-status"], "ok",
            "alternatives: any one of them"
        );
        assert_eq!(out["problem"], Value::Null);
        let text = out.to_string();
        assert!(!text.contains("test-secret") && !text.contains("test-token"));
    }

    #[test]
    fn an_expired_token_is_reported_not_raised() {
        let mut env = with_client_id(ScriptEnv::new())
            .respond(401, &[], r#"{"status":401,"serviceErrorCode":65600,"code":"EXPIRED_ACCESS_TOKEN","message":"The token used in the request has expired"}"#)
            .respond(200, &[], r#"{"active":false,"status":"expired","expires_at":1796000000}"#);
        let out = check(&mut env).unwrap();
        assert_eq!(out["connected"], false);
        assert!(out["problem"].as_str().unwrap().contains("expired"));
        assert_eq!(out["daysLeft"], -1);
        assert_eq!(out["scopes"], Value::Null);
    }

    #[test]
    fn a_wrong_client_secret_is_named() {
        let mut env = with_client_id(ScriptEnv::new())
            .respond(200, &[], USERINFO)
            .respond(401, &[], r#"{"error":"invalid_client"}"#);
        let out = check(&mut env).unwrap();
        assert_eq!(out["connected"], true);
        assert!(out["problem"].as_str().unwrap().contains("client secret"));
        assert_eq!(out["commands"], Value::Null);
    }

    #[test]
    fn a_client_secret_the_host_cannot_give_is_a_problem_not_a_silent_skip() {
        use crate::core::pipeline::CredentialError;
        let cases = [
            (
                Err(CredentialError::Unavailable("vault timed out".into())),
                "could not supply the LinkedIn client secret (vault timed out)",
            ),
            (
                Err(CredentialError::NotConfigured("none set".into())),
                "No LinkedIn client secret is available; set the app's client secret",
            ),
            (Ok("  ".to_string()), "client secret is empty"),
        ];
        for (secret, says) in cases {
            let mut env = with_client_id(ScriptEnv::new()).respond(200, &[], USERINFO);
            env.secret = secret;
            let out = check(&mut env).unwrap();
            assert_eq!(out["connected"], true);
            let problem = out["problem"].as_str().unwrap();
            assert!(problem.contains(says), "{problem}");
            assert!(problem.contains("scopes"), "{problem}");
            assert_eq!(out["commands"], Value::Null);
            assert_eq!(env.sent.len(), 1, "introspection is not tried");
        }
    }

    #[test]
    fn a_page_only_token_is_connected_without_a_person() {
        let mut env = ScriptEnv::new().respond(403, &[], r#"{"status":403,"code":"ACCESS_DENIED","message":"Not enough permissions to access: userinfo.GET.NO_VERSION"}"#);
        let out = check(&mut env).unwrap();
        assert_eq!(out["connected"], true);
        assert_eq!(out["personUrn"], Value::Null);
    }

    #[test]
    fn a_transport_failure_is_an_error() {
        let mut env = ScriptEnv::new();
        env.responses
            .push_back(Err(crate::core::http::TransportError {
                reason: crate::core::http::TransportReason::Dns,
                detail: String::new(),
            }));
        assert_eq!(check(&mut env).unwrap_err().kind(), "transport");
    }
}
