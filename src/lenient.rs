//! A borrowing view of LinkedIn's JSON answers, for the hot read paths.
//!
//! [`Json`] is read like `serde_json::Value` (`get`, `as_str`, `as_bool`), but it borrows
//! strings from the body (unless they have escapes) and keeps objects as plain lists instead of
//! B-tree maps, so reading an answer costs a few allocations instead of two per member. For
//! get-user-info that was most of the call's guest work. Numbers are not kept: no view reads
//! one yet (commands that need numbers use `Value`).

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// One JSON value, borrowed from the text it was read from where possible.
#[derive(Clone, Debug, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    /// A number (its value is not kept).
    Number,
    Text(Cow<'a, str>),
    List(Vec<Json<'a>>),
    /// The members in the order they came.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl<'a> Json<'a> {
    /// Reads JSON text. Errors are serde_json's own (`expected value at line 1 column 1`).
    pub fn parse(text: &'a [u8]) -> Result<Json<'a>, serde_json::Error> {
        serde_json::from_slice(text)
    }

    /// The member `key` of an object (the last one, as `Value` keeps, if it repeats).
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Text(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Json::Object(_))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Json<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor(PhantomData))
    }
}

/// Every `visit_*` serde_json's `deserialize_any` calls is handled, so no type-mismatch error
/// (whose message formatting drags core's float printing into the component) can arise.
struct JsonVisitor<'a>(PhantomData<Json<'a>>);

impl<'de: 'a, 'a> Visitor<'de> for JsonVisitor<'a> {
    type Value = Json<'a>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Json<'a>, E> {
        Ok(Json::Text(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json<'a>, E> {
        Ok(Json::Text(Cow::Owned(v.to_string())))
    }

    fn visit_string<E>(self, v: String) -> Result<Json<'a>, E> {
        Ok(Json::Text(Cow::Owned(v)))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json<'a>, E> {
        Ok(Json::Bool(v))
    }

    fn visit_i64<E>(self, _v: i64) -> Result<Json<'a>, E> {
        Ok(Json::Number)
    }

    fn visit_u64<E>(self, _v: u64) -> Result<Json<'a>, E> {
        Ok(Json::Number)
    }

    fn visit_f64<E>(self, _v: f64) -> Result<Json<'a>, E> {
        Ok(Json::Number)
    }

    fn visit_unit<E>(self) -> Result<Json<'a>, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'a>, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'a>, A::Error> {
        // Room for a typical answer's members up front: growing costs a copy each time.
        let mut members = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(key) = map.next_key::<Json<'a>>()? {
            // serde_json's object keys are always strings.
            let Json::Text(key) = key else {
                continue;
            };
            members.push((key, map.next_value()?));
        }
        Ok(Json::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn borrows_plain_strings() {
        let json = Json::parse(br#"{"a":"plain","b":"esc\"aped"}"#).unwrap();
        assert!(matches!(
            json.get("a"),
            Some(Json::Text(Cow::Borrowed("plain")))
        ));
        assert!(matches!(json.get("b"), Some(Json::Text(Cow::Owned(s))) if s == "esc\"aped"));
    }

    #[test]
    fn reads_like_value() {
        let text = br#"{"s":"x","t":true,"n":-1.5e3,"z":null,"l":[1,{"k":[]}],"o":{"k":"v"},"d":1,"d":"last"}"#;
        let json = Json::parse(text).unwrap();
        let value: Value = serde_json::from_slice(text).unwrap();
        for key in ["s", "t", "n", "z", "l", "o", "d", "missing"] {
            let (ours, theirs) = (json.get(key), value.get(key));
            assert_eq!(ours.is_some(), theirs.is_some(), "{key}");
            assert_eq!(
                ours.and_then(Json::as_str),
                theirs.and_then(Value::as_str),
                "{key}"
            );
            assert_eq!(
                ours.and_then(Json::as_bool),
                theirs.and_then(Value::as_bool),
                "{key}"
            );
            assert_eq!(
                ours.is_some_and(Json::is_object),
                theirs.is_some_and(Value::is_object)
            );
        }
        assert_eq!(
            json.get("o")
                .and_then(|o| o.get("k"))
                .and_then(Json::as_str),
            Some("v")
        );
        assert_eq!(Json::parse(b"[1]").unwrap().get("0"), None);
    }

    #[test]
    fn errors_are_serde_jsons() {
        for text in [&b"<html>"[..], b"", b"{", b"{} x", b"{\"a\" 1}"] {
            let ours = Json::parse(text).unwrap_err().to_string();
            let theirs = serde_json::from_slice::<Value>(text)
                .unwrap_err()
                .to_string();
            assert_eq!(ours, theirs);
        }
    }
}
