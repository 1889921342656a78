//! get-user-info: who the connected account is (OpenID Connect `userinfo`).

use serde::Serialize;
use serde_json::Value;

use crate::catalog::GET_USER_INFO;
use crate::error::Error;
use crate::http::Method;
use crate::output::object_with_raw;
use crate::pipeline::{Api, ApiRequest, Client, Env};
use crate::urn::Urn;

/// The normalised userinfo.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
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
    /// LinkedIn's body, unchanged.
    #[serde(skip)]
    pub raw: String,
}

impl UserInfo {
    pub fn to_json(&self) -> String {
        object_with_raw(self, Some(&self.raw))
    }
}

pub fn get_user_info(env: &mut dyn Env) -> Result<UserInfo, Error> {
    let mut client = Client::new(env, &GET_USER_INFO);
    let response = client.send(ApiRequest::new(Method::Get, Api::OpenId, "/userinfo"))?;
    let body = response.json()?;
    let decode = |what: &str| Error::Decode {
        status: response.status,
        message: format!("LinkedIn's userinfo answer {what}."),
    };
    let sub = body
        .get("sub")
        .and_then(Value::as_str)
        .ok_or_else(|| decode("has no member id (sub)"))?;
    let person = Urn::new("person", sub).map_err(|_| decode("has a malformed member id (sub)"))?;
    let text = |key: &str| body.get(key).and_then(Value::as_str).map(str::to_string);
    Ok(UserInfo {
        sub: sub.to_string(),
        person_urn: person.to_string(),
        name: text("name"),
        given_name: text("given_name"),
        family_name: text("family_name"),
        email: text("email"),
        email_verified: body.get("email_verified").and_then(Value::as_bool),
        picture: text("picture"),
        locale: body.get("locale").and_then(locale),
        raw: response.text().unwrap_or("{}").to_string(),
    })
}

/// The locale as a BCP 47 tag. The documented shape is a string (`en-US`); live answers have an
/// object `{"country": "US", "language": "en"}`.
fn locale(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if !s.is_empty() => Some(s.replace('_', "-")),
        Value::Object(o) => {
            let language = o
                .get("language")
                .and_then(Value::as_str)
                .filter(|l| !l.is_empty())?;
            Some(
                match o
                    .get("country")
                    .and_then(Value::as_str)
                    .filter(|c| !c.is_empty())
                {
                    Some(country) => format!("{language}-{country}"),
                    None => language.to_string(),
                },
            )
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::ScriptEnv;
    use serde_json::json;

    #[test]
    fn locale_shapes() {
        assert_eq!(locale(&json!("en-US")).as_deref(), Some("en-US"));
        assert_eq!(locale(&json!("en_US")).as_deref(), Some("en-US"));
        assert_eq!(
            locale(&json!({"country": "US", "language": "en"})).as_deref(),
            Some("en-US")
        );
        assert_eq!(locale(&json!({"language": "fr"})).as_deref(), Some("fr"));
        assert_eq!(locale(&json!(7)), None);
    }

    #[test]
    fn maps_userinfo() {
        let mut env = ScriptEnv::new().respond(
            200,
            &[],
            r#"{"sub":"782bbtaQ","name":"John Doe","given_name":"John","family_name":"Doe","email":"doe@email.com","email_verified":true,"locale":"en-US"}"#,
        );
        let info = get_user_info(&mut env).unwrap();
        assert_eq!(info.person_urn, "urn:li:person:782bbtaQ");
        assert_eq!(info.email_verified, Some(true));
        assert_eq!(info.picture, None);
        assert_eq!(env.sent[0].url, "https://api.linkedin.com/v2/userinfo");
    }

    #[test]
    fn missing_sub_is_a_decode_error() {
        let mut env = ScriptEnv::new().respond(200, &[], r#"{"name":"x"}"#);
        assert_eq!(get_user_info(&mut env).unwrap_err().kind(), "decode");
    }
}
