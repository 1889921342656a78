//! The typed WIT functions, converted generically from and to the JSON form every command
//! already has, so no command needs hand-written copying between WIT records and its own types.
//!
//! wit-bindgen derives `Serialize` and `Deserialize` on the generated records, variants and
//! enums; their Rust names are the WIT names in snake_case (`text-format` is `text_format`) and
//! PascalCase (`logged-in` is `LoggedIn`). The JSON form uses camelCase keys and LinkedIn's
//! spellings (`LOGGED_IN`). Between the two:
//! - input: a WIT record becomes JSON with its keys in camelCase; the input reader already
//!   accepts enum values in any case with `_` and `-` alike, and name-value lists as pairs;
//! - output: the command's JSON output is read into the WIT type by [`from_json`], which looks
//!   fields up by their camelCase names (refusing a JSON key the record lacks, so the two cannot
//!   drift apart silently), matches enum cases ignoring case, `_` and `-`, hands a JSON value to
//!   a WIT `string` as its JSON text byte for byte (`raw`), reads a JSON object into a WIT
//!   `list<tuple<string, string>>`, and reads the error's `{"kind": ..., payload}` into the
//!   variant case `kind` names (a `string` payload is the `message`).

use std::borrow::Cow;

use serde::de::value::{BorrowedStrDeserializer, StringDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::core::input::camel_case;

/// A WIT input record as the JSON input object of its command.
pub fn to_input<T: Serialize>(record: &T) -> Map<String, Value> {
    match camel_keys(serde_json::to_value(record).unwrap_or(Value::Null)) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn camel_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (camel_case(&k), camel_keys(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(camel_keys).collect()),
        other => other,
    }
}

/// A command's JSON output (or an error's JSON form) read into the WIT type `T`.
pub fn from_json<'de, T: Deserialize<'de>>(text: &'de str) -> Result<T, serde_json::Error> {
    let raw: &'de RawValue = serde_json::from_str(text)?;
    T::deserialize(Node::Raw(raw))
}

/// `person_urn` → `personUrn`, and back: WIT field names are looked up by their JSON names.
fn snake_case(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len() + 4);
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// One JSON value, kept as its text until the WIT type says what it wants.
#[derive(Clone, Copy)]
enum Node<'de> {
    Raw(&'de RawValue),
    /// An error variant's payload: the error object, whose `kind` is not a payload field and
    /// whose `message` is the payload when the case carries only a string.
    Payload(&'de RawValue),
}

/// A JSON value read one level deep. The reading is done once, here, outside the generic
/// `Deserializer` methods, which only hand the result to the visitor: those methods are copied
/// for every WIT type, this is not.
enum Shape<'de> {
    Null,
    Bool(bool),
    U64(u64),
    I64(i64),
    F64(f64),
    Str(Cow<'de, str>),
    Object(Vec<(Cow<'de, str>, &'de RawValue)>),
    Array(Vec<&'de RawValue>),
}

type Entries<'de> = crate::core::json::Members<'de>;

impl<'de> Node<'de> {
    fn raw(self) -> &'de RawValue {
        match self {
            Node::Raw(raw) | Node::Payload(raw) => raw,
        }
    }

    fn shape(self) -> Result<Shape<'de>, serde_json::Error> {
        let text = self.raw().get().trim();
        Ok(match text.as_bytes().first() {
            Some(b'{') => Shape::Object(entries(text)?),
            Some(b'[') => Shape::Array(crate::core::json::items(text)?),
            Some(b'"') => Shape::Str(serde_json::from_str(text)?),
            Some(b't') => Shape::Bool(true),
            Some(b'f') => Shape::Bool(false),
            Some(b'n') => Shape::Null,
            _ => match (text.parse::<u64>(), text.parse::<i64>()) {
                (Ok(n), _) => Shape::U64(n),
                (_, Ok(n)) => Shape::I64(n),
                _ => Shape::F64(text.parse().map_err(|_| error("not a JSON number"))?),
            },
        })
    }

    /// The value as text: a JSON string's contents, else the JSON text itself (byte for byte,
    /// so `raw` is LinkedIn's answer unchanged). An error payload's text is its `message`.
    fn text(self) -> Result<Cow<'de, str>, serde_json::Error> {
        if let Node::Payload(raw) = self {
            let message = entries(raw.get())?
                .into_iter()
                .find(|(k, _)| k == "message")
                .ok_or_else(|| error("the error has no message"))?;
            return Node::Raw(message.1).text();
        }
        let raw = self.raw().get().trim();
        if raw.starts_with('"') {
            serde_json::from_str::<Cow<'de, str>>(raw)
        } else {
            Ok(Cow::Borrowed(raw))
        }
    }

    /// The items of a list: a JSON array's values, or an object's members as name-value pairs
    /// (WIT has `list<tuple<string, string>>` where the JSON has an object: `headers`, `fields`).
    fn items(self) -> Result<Items<'de>, serde_json::Error> {
        let items: Vec<Item<'de>> = match self.shape()? {
            Shape::Object(members) => members.into_iter().map(|(k, v)| Item::Pair(k, v)).collect(),
            Shape::Array(values) => values
                .into_iter()
                .map(|v| Item::Node(Node::Raw(v)))
                .collect(),
            _ => return Err(error("a list needs a JSON array or object")),
        };
        Ok(Items {
            items: items.into_iter(),
        })
    }

    /// The case an enum value or an error object names, and the error's payload.
    fn case(
        self,
        name: &str,
        variants: &'static [&'static str],
    ) -> Result<Case<'de>, serde_json::Error> {
        let (tag, payload) = match self.shape()? {
            Shape::Object(members) => {
                let kind = members
                    .iter()
                    .find(|(k, _)| k == "kind")
                    .ok_or_else(|| error(format!("{name}: an object needs a kind")))?;
                (Node::Raw(kind.1).text()?.into_owned(), Some(self.raw()))
            }
            Shape::Str(tag) => (tag.into_owned(), None),
            _ => return Err(error(format!("{name} needs a case name"))),
        };
        let wanted = fold(&tag);
        let variant = variants
            .iter()
            .find(|v| fold(v) == wanted)
            .ok_or_else(|| error(format!("{name} has no case {tag:?}")))?;
        Ok(Case { variant, payload })
    }
}

fn entries(text: &str) -> Result<Entries<'_>, serde_json::Error> {
    crate::core::json::members(text)
}

/// ASCII lower case without `_` and `-`: how enum spellings are compared.
fn fold(text: &str) -> String {
    crate::core::input::fold(text)
}

fn error(message: impl std::fmt::Display) -> serde_json::Error {
    de::Error::custom(message)
}

fn visit_text<'de, V: Visitor<'de>>(
    text: Cow<'de, str>,
    visitor: V,
) -> Result<V::Value, serde_json::Error> {
    match text {
        Cow::Borrowed(text) => visitor.visit_borrowed_str(text),
        Cow::Owned(text) => visitor.visit_string(text),
    }
}

impl<'de> Deserializer<'de> for Node<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.shape()? {
            Shape::Null => visitor.visit_unit(),
            Shape::Bool(b) => visitor.visit_bool(b),
            Shape::U64(n) => visitor.visit_u64(n),
            Shape::I64(n) => visitor.visit_i64(n),
            Shape::F64(n) => visitor.visit_f64(n),
            Shape::Str(text) => visit_text(text, visitor),
            Shape::Object(members) => visitor.visit_map(Fields::new(members, None, None)),
            Shape::Array(_) => visitor.visit_seq(self.items()?),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char bytes byte_buf unit
        unit_struct map ignored_any
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visit_text(self.text()?, visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visit_text(self.text()?, visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visit_text(self.text()?, visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if self.raw().get().trim() == "null" {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_seq(self.items()?)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_seq(self.items()?)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_seq(self.items()?)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let Shape::Object(members) = self.shape()? else {
            return Err(error(format!("{name} needs a JSON object")));
        };
        let skip = matches!(self, Node::Payload(_)).then_some("kind");
        visitor.visit_map(Fields::new(members, Some((name, fields)), skip))
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_enum(self.case(name, variants)?)
    }
}

/// A list's items: JSON values, or the members of an object read as `(name, value)` pairs.
enum Item<'de> {
    Node(Node<'de>),
    Pair(Cow<'de, str>, &'de RawValue),
}

struct Items<'de> {
    items: std::vec::IntoIter<Item<'de>>,
}

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        match self.items.next() {
            None => Ok(None),
            Some(Item::Node(node)) => seed.deserialize(node).map(Some),
            Some(Item::Pair(name, value)) => seed.deserialize(PairNode { name, value }).map(Some),
        }
    }
}

/// One member of an object as a two-element tuple: its name, then its value.
struct PairNode<'de> {
    name: Cow<'de, str>,
    value: &'de RawValue,
}

impl<'de> Deserializer<'de> for PairNode<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_seq(PairAccess {
            name: Some(self.name),
            value: Some(self.value),
        })
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

struct PairAccess<'de> {
    name: Option<Cow<'de, str>>,
    value: Option<&'de RawValue>,
}

impl<'de> SeqAccess<'de> for PairAccess<'de> {
    type Error = serde_json::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Self::Error> {
        if let Some(name) = self.name.take() {
            return match name {
                Cow::Borrowed(name) => seed.deserialize(BorrowedStrDeserializer::new(name)),
                Cow::Owned(name) => seed.deserialize(StringDeserializer::new(name)),
            }
            .map(Some);
        }
        match self.value.take() {
            Some(value) => seed.deserialize(Node::Raw(value)).map(Some),
            None => Ok(None),
        }
    }
}

/// An object's members as a record's fields: keys in snake_case, and (for a record) a key the
/// record does not have is an error rather than dropped.
struct Fields<'de> {
    members: std::vec::IntoIter<(Cow<'de, str>, &'de RawValue)>,
    record: Option<(&'static str, &'static [&'static str])>,
    skip: Option<&'static str>,
    value: Option<&'de RawValue>,
}

impl<'de> Fields<'de> {
    fn new(
        members: Entries<'de>,
        record: Option<(&'static str, &'static [&'static str])>,
        skip: Option<&'static str>,
    ) -> Fields<'de> {
        Fields {
            members: members.into_iter(),
            record,
            skip,
            value: None,
        }
    }

    /// The next key, as the record names its field.
    fn next_key(&mut self) -> Result<Option<String>, serde_json::Error> {
        for (key, value) in self.members.by_ref() {
            if self.skip == Some(&*key) {
                continue;
            }
            self.value = Some(value);
            let Some((record, fields)) = self.record else {
                return Ok(Some(key.into_owned()));
            };
            let snake = snake_case(&key);
            if !fields.contains(&snake.as_str()) {
                return Err(error(format!("{record} has no field for the key {key:?}")));
            }
            return Ok(Some(snake));
        }
        Ok(None)
    }
}

impl<'de> MapAccess<'de> for Fields<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        match self.next_key()? {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        let value = self
            .value
            .take()
            .ok_or_else(|| error("a value without a key"))?;
        seed.deserialize(Node::Raw(value))
    }
}

/// The case of an enum or variant, with the payload object of a variant case.
struct Case<'de> {
    variant: &'static str,
    payload: Option<&'de RawValue>,
}

impl<'de> EnumAccess<'de> for Case<'de> {
    type Error = serde_json::Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Self), Self::Error> {
        let value = seed.deserialize(BorrowedStrDeserializer::<serde_json::Error>::new(
            self.variant,
        ))?;
        Ok((value, self))
    }
}

impl<'de> VariantAccess<'de> for Case<'de> {
    type Error = serde_json::Error;

    fn unit_variant(self) -> Result<(), Self::Error> {
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, Self::Error> {
        let payload = self
            .payload
            .ok_or_else(|| error(format!("the case {} needs its payload", self.variant)))?;
        seed.deserialize(Node::Payload(payload))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        Err(error("WIT has no tuple variants"))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        Err(error("WIT has no struct variants"))
    }
}

#[cfg(test)]
mod tests {
    //! Hand-written stand-ins for what wit-bindgen generates (snake_case fields, PascalCase
    //! cases, derived serde), converted to and from the JSON the commands produce.

    use super::*;
    use serde_json::json;

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    enum MediaState {
        WaitingUpload,
        ProcessingFailed,
    }

    #[derive(Debug, Deserialize, Serialize, PartialEq)]
    struct Status {
        media_urn: String,
        status: MediaState,
        download_url: Option<String>,
        headers: Vec<(String, String)>,
        raw: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct InvalidInputError {
        field: String,
        message: String,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Error {
        InvalidInput(InvalidInputError),
        Credentials(String),
    }

    #[test]
    fn outputs_read_into_wit_types() {
        let text = r#"{"mediaUrn":"urn:li:video:1","status":"PROCESSING_FAILED","headers":{"x-a":"1","x-b":2},"raw":{"id": 1.50, "a":[1]}}"#;
        let status: Status = from_json(text).unwrap();
        assert_eq!(
            status,
            Status {
                media_urn: "urn:li:video:1".into(),
                status: MediaState::ProcessingFailed,
                download_url: None,
                headers: vec![("x-a".into(), "1".into()), ("x-b".into(), "2".into())],
                raw: r#"{"id": 1.50, "a":[1]}"#.into(),
            }
        );
    }

    #[test]
    fn a_json_key_the_record_lacks_is_an_error() {
        let text = r#"{"mediaUrn":"u","status":"waiting-upload","headers":[],"raw":"x","extra":1}"#;
        let err = from_json::<Status>(text).unwrap_err();
        assert!(err.to_string().contains("extra"), "{err}");
    }

    #[test]
    fn errors_read_into_the_variant() {
        let e: Error =
            from_json(r#"{"kind":"invalid-input","field":"author","message":"m"}"#).unwrap();
        assert_eq!(
            e,
            Error::InvalidInput(InvalidInputError {
                field: "author".into(),
                message: "m".into()
            })
        );
        let e: Error = from_json(r#"{"kind":"credentials","message":"connect"}"#).unwrap();
        assert_eq!(e, Error::Credentials("connect".into()));
    }

    #[test]
    fn inputs_become_camel_case_json() {
        let status = Status {
            media_urn: "u".into(),
            status: MediaState::WaitingUpload,
            download_url: None,
            headers: vec![("X-A".into(), "1".into())],
            raw: "{}".into(),
        };
        assert_eq!(
            Value::Object(to_input(&status)),
            json!({"mediaUrn": "u", "status": "WaitingUpload", "downloadUrl": null, "headers": [["X-A", "1"]], "raw": "{}"})
        );
    }
}
