//! get-user-info: who the connected account is (OpenID Connect `userinfo`).

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::input::NoInput;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::urn::Urn;

#[derive(Default)]
pub struct GetUserInfo;

/// The member behind the token. Mirrors the WIT `user-info` record.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInfo {
    pub sub: String,
    pub person_urn: String,
    pub name: Option<String>,
    pub given_name: Option<String>,
    pub family_name: Option<String>,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    pub picture: Option<String>,
    pub locale: Option<String>,
    pub raw: Box<RawValue>,
}

impl Command for GetUserInfo {
    const SPEC: Spec = Spec {
        name: "get-user-info",
        title: "Get user info",
        description: "Reads the member behind the connected account (OpenID Connect userinfo): \
                      id, person URN for posting, name, email (with the email scope), picture \
                      and locale.",
        scopes: &["openid", "profile", "email?"],
        role: "",
        calls: &["GET /v2/userinfo"],
        versioned: false,
    };
    type Input = NoInput;
    type Output = UserInfo;

    fn run(_: NoInput, api: &mut Client<'_>) -> Result<UserInfo, Error> {
        let response = api.send(ApiRequest::get(Api::OpenId, "/userinfo"))?;
        read(&response.json()?, response.raw())
            .map_err(|what| response.not_json(format!("the userinfo answer {what}")))
    }
}

/// The fields of a userinfo answer; a member of an unexpected type reads as absent.
fn read(body: &Value, raw: Option<Box<RawValue>>) -> Result<UserInfo, &'static str> {
    if !body.is_object() {
        return Err("is not a JSON object");
    }
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_string);
    let sub = text("sub").ok_or("has no member id (sub)")?;
    Ok(UserInfo {
        person_urn: Urn::text("person", &sub).map_err(|_| "has a malformed member id (sub)")?,
        sub,
        name: text("name"),
        given_name: text("given_name"),
        family_name: text("family_name"),
        email: text("email"),
        email_verified: body.get("email_verified").and_then(Value::as_bool),
        picture: text("picture"),
        locale: body.get("locale").and_then(locale),
        raw: raw.ok_or("is empty")?,
    })
}

/// The locale as a BCP 47 tag. The documented shape is a string (`en-US`); live answers have an
/// object `{"country": "US", "language": "en"}`.
fn locale(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.replace('_', "-")),
        Value::Object(parts) => {
            let part = |key| {
                parts
                    .get(key)
                    .and_then(Value::as_str)
                    .filter(|p| !p.is_empty())
            };
            let language = part("language")?;
            Some(match part("country") {
                Some(country) => format!("{language}-{country}"),
                None => language.to_string(),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, run};
    use serde_json::json;

    fn locale_of(json: &str) -> Option<String> {
        locale(&serde_json::from_str(json).unwrap())
    }

    #[test]
    fn locale_shapes() {
        assert_eq!(locale_of(r#""en-US""#).as_deref(), Some("en-US"));
        assert_eq!(locale_of(r#""en_US""#).as_deref(), Some("en-US"));
        assert_eq!(
            locale_of(r#"{"country": "US", "language": "en"}"#).as_deref(),
            Some("en-US")
        );
        assert_eq!(
            locale_of(r#"{"language": "fr", "x": [1]}"#).as_deref(),
            Some("fr")
        );
        assert_eq!(locale_of(r#"{"country": "FR"}"#), None);
        assert_eq!(locale_of(r#""""#), None);
        for other in ["7", "true", "null", r#"["en", {"a": 1}]"#] {
            assert_eq!(locale_of(other), None, "{other}");
        }
    }

    #[test]
    fn maps_userinfo_and_keeps_raw() {
        let body = r#"{"sub":"782bbtaQ","name":"John Doe","given_name":"John","family_name":"Doe","email":"doe@email.com","email_verified":true,"locale":"en-US"}"#;
        let mut env = ScriptEnv::new().respond(200, &[], body);
        let info = run::<GetUserInfo>(&mut env, json!({})).unwrap();
        assert_eq!(info["personUrn"], "urn:li:person:782bbtaQ");
        assert_eq!(info["emailVerified"], true);
        assert_eq!(info["picture"], Value::Null);
        assert_eq!(info["raw"], serde_json::from_str::<Value>(body).unwrap());
        assert_eq!(env.sent[0].url, "https://api.linkedin.com/v2/userinfo");
        assert_eq!(env.sent[0].header("linkedin-version"), None);
    }

    #[test]
    fn odd_field_types_read_as_absent() {
        let mut env = ScriptEnv::new().respond(
            200,
            &[],
            r#"{"sub":"782bbtaQ","name":7,"email":null,"email_verified":"yes","picture":{"url":"x"},"locale":["en"]}"#,
        );
        let info = run::<GetUserInfo>(&mut env, json!({})).unwrap();
        for key in ["name", "email", "emailVerified", "picture", "locale"] {
            assert_eq!(info[key], Value::Null, "{key}");
        }
    }

    #[test]
    fn a_list_or_a_missing_sub_is_a_decode_error() {
        for body in [r#"["782bbtaQ"]"#, r#"{"name":"x"}"#] {
            let mut env = ScriptEnv::new().respond(200, &[], body);
            let err = run::<GetUserInfo>(&mut env, json!({})).unwrap_err();
            assert_eq!(err.kind(), "decode", "{body}");
        }
    }
}
