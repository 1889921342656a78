//! get-user-info: who the connected account is (OpenID Connect `userinfo`).

use serde::Serialize;

use crate::catalog::GET_USER_INFO;
use crate::error::Error;
use crate::http::Method;
use crate::lenient::Json;
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
    // The borrowing view, not a `Value`: this is the hot path of the most frequent call.
    let body = response.view()?;
    let decode = |what: &str| Error::Decode {
        status: response.status,
        message: format!("LinkedIn's userinfo answer {what}."),
    };
    if !body.is_object() {
        return Err(decode("is not a JSON object"));
    }
    let sub = body
        .get("sub")
        .and_then(Json::as_str)
        .ok_or_else(|| decode("has no member id (sub)"))?;
    let person_urn =
        Urn::text("person", sub).map_err(|_| decode("has a malformed member id (sub)"))?;
    let text = |key: &str| body.get(key).and_then(Json::as_str).map(str::to_string);
    let mut info = UserInfo {
        sub: sub.to_string(),
        person_urn,
        name: text("name"),
        given_name: text("given_name"),
        family_name: text("family_name"),
        email: text("email"),
        email_verified: body.get("email_verified").and_then(Json::as_bool),
        picture: text("picture"),
        locale: body.get("locale").and_then(locale),
        raw: String::new(),
    };
    drop(body);
    info.raw = response.into_text().unwrap_or_else(|| "{}".into());
    Ok(info)
}

/// The locale as a BCP 47 tag. The documented shape is a string (`en-US`); live answers have an
/// object `{"country": "US", "language": "en"}`.
fn locale(value: &Json) -> Option<String> {
    match value {
        Json::Text(s) if !s.is_empty() => Some(s.replace('_', "-")),
        Json::Object(_) => {
            let part = |key| {
                value
                    .get(key)
                    .and_then(Json::as_str)
                    .filter(|p| !p.is_empty())
            };
            let language = part("language")?;
            Some(match part("country") {
                Some(country) => [language, "-", country].concat(),
                None => language.to_string(),
            })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::ScriptEnv;

    fn locale_of(json: &str) -> Option<String> {
        locale(&Json::parse(json.as_bytes()).unwrap())
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
    fn odd_field_types_read_as_absent() {
        let mut env = ScriptEnv::new().respond(
            200,
            &[],
            r#"{"sub":"782bbtaQ","name":7,"email":null,"email_verified":"yes","picture":{"url":"x"},"locale":["en"],"extra":{"deep":[1,2]}}"#,
        );
        let info = get_user_info(&mut env).unwrap();
        assert_eq!(info.name, None);
        assert_eq!(info.email, None);
        assert_eq!(info.email_verified, None);
        assert_eq!(info.picture, None);
        assert_eq!(info.locale, None);
    }

    #[test]
    fn a_list_is_not_a_userinfo_answer() {
        let mut env = ScriptEnv::new().respond(200, &[], r#"["782bbtaQ"]"#);
        let err = get_user_info(&mut env).unwrap_err();
        assert!(
            matches!(&err, Error::Decode { message, .. } if message.contains("not a JSON object")),
            "{err:?}"
        );
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
