//! Reading a JSON object's members without decoding their values, so a value can be handed on
//! byte for byte (`raw`) or read later. One reader for the WIT conversion and the commands that
//! keep LinkedIn's bytes: every typed reader of serde_json costs kilobytes of code, this one is
//! shared.

use std::borrow::Cow;

pub mod objects;

use serde::de::{Deserialize, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// An object's members in order: each name and its value's JSON text.
pub type Members<'de> = Vec<(Cow<'de, str>, &'de RawValue)>;

/// The members of the JSON object `text`; an error when it is not one.
pub fn members(text: &str) -> Result<Members<'_>, serde_json::Error> {
    struct Object<'de>(Members<'de>);
    impl<'de> Deserialize<'de> for Object<'de> {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> Visitor<'de> for V {
                type Value = Object<'de>;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("a JSON object")
                }
                fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                    let mut out = Vec::new();
                    while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                        out.push((key, map.next_value::<&'de RawValue>()?));
                    }
                    Ok(Object(out))
                }
            }
            d.deserialize_map(V)
        }
    }
    serde_json::from_str::<Object<'_>>(text).map(|m| m.0)
}

/// The value of member `name`, the first if it is given twice.
pub fn member<'de>(members: &Members<'de>, name: &str) -> Option<&'de RawValue> {
    members.iter().find(|(k, _)| k == name).map(|(_, v)| *v)
}

/// The items of the JSON array `text`, each as its JSON text.
pub fn items(text: &str) -> Result<Vec<&RawValue>, serde_json::Error> {
    serde_json::from_str(text)
}

/// `text` read as the model `T`, which only a JSON object can be (serde would read a struct
/// from an array too); the reason in words otherwise.
pub fn object<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    if !text.trim_start().starts_with('{') {
        return Err("is not a JSON object".to_string());
    }
    objects::from_str(text).map_err(|e| ["does not read: ", &e.to_string()].concat())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_keep_their_bytes() {
        let text = r#"{"a": {"x":"\u00e9" }, "b": [1, 2.50], "a": 3}"#;
        let members = members(text).unwrap();
        assert_eq!(members.len(), 3);
        assert_eq!(member(&members, "a").unwrap().get(), r#"{"x":"\u00e9" }"#);
        let b = items(member(&members, "b").unwrap().get()).unwrap();
        assert_eq!(b[1].get(), "2.50");
        assert!(super::members("[1]").is_err());
        assert!(items("{}").is_err());
    }
}
