//! get-user-info: who the connected account is (OpenID Connect `userinfo`).

use std::fmt;

use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
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
        // Any JSON first (an empty or cut body says where it stops), then the object.
        let raw = response.raw_json()?;
        let answer: Answer = response
            .json()
            .map_err(|_| response.not_json("the userinfo answer is not a JSON object"))?;
        answer
            .user_info(raw)
            .map_err(|what| response.not_json(format!("the userinfo answer {what}")))
    }
}

/// The userinfo answer. OpenID Connect documents each member's type, but a member of another
/// type (a number for `name`, an object for `picture`) reads as absent rather than failing the
/// whole answer.
#[derive(Default, Deserialize)]
#[serde(default)]
struct Answer {
    sub: Member,
    name: Member,
    given_name: Member,
    family_name: Member,
    email: Member,
    email_verified: Member,
    picture: Member,
    locale: Locale,
}

impl Answer {
    fn user_info(self, raw: Box<RawValue>) -> Result<UserInfo, &'static str> {
        let sub = self.sub.text().ok_or("has no member id (sub)")?;
        Ok(UserInfo {
            person_urn: Urn::text("person", &sub).map_err(|_| "has a malformed member id (sub)")?,
            sub,
            name: self.name.text(),
            given_name: self.given_name.text(),
            family_name: self.family_name.text(),
            email: self.email.text(),
            email_verified: self.email_verified.flag(),
            picture: self.picture.text(),
            locale: self.locale.0,
            raw,
        })
    }
}

/// A member that is a string, a boolean, or anything else (kept as nothing).
#[derive(Default)]
enum Member {
    Text(String),
    Flag(bool),
    #[default]
    Other,
}

impl Member {
    fn text(self) -> Option<String> {
        match self {
            Member::Text(text) => Some(text),
            _ => None,
        }
    }

    fn flag(self) -> Option<bool> {
        match self {
            Member::Flag(flag) => Some(flag),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Member, D::Error> {
        struct MemberVisitor;

        impl<'de> Visitor<'de> for MemberVisitor {
            type Value = Member;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, v: &str) -> Result<Member, E> {
                Ok(Member::Text(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Member, E> {
                Ok(Member::Text(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Member, E> {
                Ok(Member::Flag(v))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_unit<E>(self) -> Result<Member, E> {
                Ok(Member::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Member, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Member::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Member, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Member::Other)
            }
        }

        deserializer.deserialize_any(MemberVisitor)
    }
}

/// The locale as a BCP 47 tag. The documented shape is a string (`en-US`); live answers have an
/// object `{"country": "US", "language": "en"}`. Any other shape is no locale.
#[derive(Default)]
struct Locale(Option<String>);

/// The object shape of a locale.
#[derive(Default, Deserialize)]
#[serde(default)]
struct LocaleParts {
    language: Member,
    country: Member,
}

impl<'de> Deserialize<'de> for Locale {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Locale, D::Error> {
        struct LocaleVisitor;

        impl<'de> Visitor<'de> for LocaleVisitor {
            type Value = Locale;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a locale")
            }
            fn visit_str<E>(self, v: &str) -> Result<Locale, E> {
                Ok(Locale((!v.is_empty()).then(|| v.replace('_', "-"))))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Locale, A::Error> {
                let parts = LocaleParts::deserialize(MapAccessDeserializer::new(map))?;
                let part = |member: Member| member.text().filter(|p| !p.is_empty());
                let Some(language) = part(parts.language) else {
                    return Ok(Locale(None));
                };
                Ok(Locale(Some(match part(parts.country) {
                    Some(country) => format!("{language}-{country}"),
                    None => language,
                })))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Locale, E> {
                Ok(Locale(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Locale, E> {
                Ok(Locale(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Locale, E> {
                Ok(Locale(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Locale, E> {
                Ok(Locale(None))
            }
            fn visit_unit<E>(self) -> Result<Locale, E> {
                Ok(Locale(None))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Locale, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Locale(None))
            }
        }

        deserializer.deserialize_any(LocaleVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, run};
    use serde_json::{Value, json};

    fn locale_of(json: &str) -> Option<String> {
        serde_json::from_str::<Locale>(json).unwrap().0
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
