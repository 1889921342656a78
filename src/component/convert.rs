//! What the generated typed glue (`build.rs`) calls to read a command's JSON output into WIT
//! values: a JSON value kept as its text until the WIT type says what it wants, so a WIT
//! `string` that receives a JSON object (`raw`, `owner`) gets LinkedIn's bytes unchanged.
//!
//! The rules, shared with the harness's own reading of the contract: a record's fields are
//! looked up by their camelCase names, and a JSON key the record lacks is an error (so the two
//! cannot drift apart silently); `null` and a missing key are `none`; enum cases match ignoring
//! case, `_` and `-`; a JSON object fills a `list<tuple<string, T>>`; a `string` receiving
//! another JSON value gets its text.

use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// ASCII lower case without `_` and `-`: how enum spellings are compared.
pub fn fold(text: &str) -> String {
    crate::core::input::fold(text)
}

/// A JSON object of WIT record fields, by their JSON names. One function, rather than an
/// insert per field in every generated `in_*`, keeps the glue small.
pub fn object(members: Vec<(&str, Value)>) -> Value {
    Value::Object(
        members
            .into_iter()
            .map(|(name, value)| (name.to_string(), value))
            .collect(),
    )
}

/// The JSON input object a generated `in_*` function built.
pub fn in_object(value: Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// A JSON value, or a missing one (an absent key).
#[derive(Clone, Copy)]
pub struct Json<'a>(Option<&'a RawValue>);

/// A JSON object's members, in order, their values still text.
pub struct Obj<'a> {
    members: crate::core::json::Members<'a>,
}

type Result<T> = std::result::Result<T, String>;

impl<'a> Json<'a> {
    /// The root of a JSON text.
    pub fn parse(text: &'a str) -> Result<Json<'a>> {
        serde_json::from_str::<&RawValue>(text)
            .map(|raw| Json(Some(raw)))
            .map_err(|e| e.to_string())
    }

    /// A JSON value known to be well-formed (a command's output).
    pub fn of(raw: &'a RawValue) -> Json<'a> {
        Json(Some(raw))
    }

    fn text(self) -> &'a str {
        self.0.map_or("null", |raw| raw.get().trim())
    }

    fn is_null(self) -> bool {
        self.text() == "null"
    }

    pub fn object(self) -> Result<Obj<'a>> {
        let text = self.text();
        if !text.starts_with('{') {
            return Err(format!(
                "a record needs a JSON object, not {}",
                excerpt(text)
            ));
        }
        crate::core::json::members(text)
            .map(|members| Obj { members })
            .map_err(|e| e.to_string())
    }

    /// A string's contents; any other JSON value as its text.
    pub fn string(self) -> Result<String> {
        let text = self.text();
        if text.starts_with('"') {
            serde_json::from_str(text).map_err(|e| e.to_string())
        } else if self.0.is_none() {
            Err("a string is missing".into())
        } else {
            Ok(text.to_string())
        }
    }

    pub fn character(self) -> Result<char> {
        let text = self.string()?;
        let mut chars = text.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(c),
            _ => Err(format!("{} is not one character", excerpt(&text))),
        }
    }

    pub fn boolean(self) -> Result<bool> {
        match self.text() {
            "true" => Ok(true),
            "false" => Ok(false),
            other => Err(format!("{} is not true or false", excerpt(other))),
        }
    }

    pub fn unsigned(self) -> Result<u64> {
        serde_json::from_str(self.text())
            .map_err(|_| format!("{} is not a number of 0 or more", excerpt(self.text())))
    }

    pub fn signed(self) -> Result<i64> {
        serde_json::from_str(self.text())
            .map_err(|_| format!("{} is not a whole number", excerpt(self.text())))
    }

    pub fn float(self) -> Result<f64> {
        serde_json::from_str(self.text())
            .map_err(|_| format!("{} is not a number", excerpt(self.text())))
    }

    /// An unsigned number that must fit `T`.
    pub fn unsigned_as<T: TryFrom<u64>>(self) -> Result<T> {
        self.unsigned()?.try_into().map_err(|_| out_of_range(self))
    }

    /// A whole number that must fit `T`.
    pub fn signed_as<T: TryFrom<i64>>(self) -> Result<T> {
        self.signed()?.try_into().map_err(|_| out_of_range(self))
    }

    /// A number as `f64` or `f32` (rounded to the nearest).
    pub fn float_as<T: Float>(self) -> Result<T> {
        self.float().map(T::from_f64)
    }

    /// `none` for `null` or a missing key.
    pub fn optional<T>(self, read: impl FnOnce(Json<'a>) -> Result<T>) -> Result<Option<T>> {
        if self.is_null() {
            Ok(None)
        } else {
            read(self).map(Some)
        }
    }

    /// A JSON array's items (`null` or a missing key: none).
    pub fn list<T>(self, mut read: impl FnMut(Json<'a>) -> Result<T>) -> Result<Vec<T>> {
        // A loop, not `collect`: this is copied for every WIT list type, and the iterator
        // adapters behind collecting a `Result` cost several times the code.
        let items = self.items()?;
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(read(Json(Some(item)))?);
        }
        Ok(out)
    }

    fn items(self) -> Result<Vec<&'a RawValue>> {
        if self.is_null() {
            return Ok(Vec::new());
        }
        crate::core::json::items(self.text())
            .map_err(|_| format!("{} is not a list", excerpt(self.text())))
    }

    /// A JSON object's members (or a list of `[name, value]` pairs) as name-value pairs, each
    /// value read by `read`.
    pub fn pairs<T>(self, mut read: impl FnMut(Json<'a>) -> Result<T>) -> Result<Vec<(String, T)>> {
        let members = self.members()?;
        let mut out = Vec::with_capacity(members.len());
        for (name, value) in members {
            out.push((name, read(value)?));
        }
        Ok(out)
    }

    /// The name-value pairs of a JSON object or of a list of `[name, value]` pairs.
    fn members(self) -> Result<Vec<(String, Json<'a>)>> {
        if self.text().starts_with('[') {
            return self.list(|pair| match pair.items()?[..] {
                [name, value] => Ok((Json(Some(name)).string()?, Json(Some(value)))),
                _ => Err("a pair needs a name and a value".to_string()),
            });
        }
        if self.is_null() {
            return Ok(Vec::new());
        }
        Ok(self
            .object()?
            .members
            .into_iter()
            .map(|(name, value)| (name.into_owned(), Json(Some(value))))
            .collect())
    }
}

impl<'a> Obj<'a> {
    /// Refuses a key that is not among `keys` (the record's fields, camelCase). `kind` is
    /// allowed: a variant's payload is read from the same object, whose `kind` names the case
    /// (how build.rs reads a WIT variant in an output).
    pub fn only(&self, keys: &[&str]) -> Result<()> {
        match self
            .members
            .iter()
            .find(|(k, _)| k != "kind" && !keys.contains(&k.as_ref()))
        {
            Some((key, _)) => Err(format!("the WIT record has no field for the key {key:?}")),
            None => Ok(()),
        }
    }

    pub fn get(&self, key: &str) -> Json<'a> {
        Json(self.members.iter().find(|(k, _)| k == key).map(|(_, v)| *v))
    }
}

/// The float types a WIT number can have.
pub trait Float {
    fn from_f64(value: f64) -> Self;
}

impl Float for f64 {
    fn from_f64(value: f64) -> f64 {
        value
    }
}

impl Float for f32 {
    fn from_f64(value: f64) -> f32 {
        value as f32
    }
}

fn out_of_range(json: Json<'_>) -> String {
    format!("{} is out of range", excerpt(json.text()))
}

fn excerpt(text: &str) -> String {
    let cut = text.char_indices().nth(40).map_or(text.len(), |(at, _)| at);
    format!("{:?}", text.get(..cut).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_numbers_and_json_text() {
        let root =
            Json::parse(r#"{"a":"x\"y","n":7,"raw":{"id": 1.50, "l":[1]},"neg":-2,"t":true}"#)
                .unwrap();
        let o = root.object().unwrap();
        assert_eq!(o.get("a").string().unwrap(), "x\"y");
        assert_eq!(
            o.get("raw").string().unwrap(),
            r#"{"id": 1.50, "l":[1]}"#,
            "bytes unchanged"
        );
        assert_eq!(o.get("n").unsigned().unwrap(), 7);
        assert_eq!(o.get("neg").signed().unwrap(), -2);
        assert!(o.get("neg").unsigned().is_err());
        assert!(o.get("t").boolean().unwrap());
        assert_eq!(o.get("missing").optional(|j| j.string()).unwrap(), None);
        assert!(o.get("missing").string().is_err());
        assert!(
            o.only(&["a", "n", "raw", "neg"])
                .unwrap_err()
                .contains("\"t\"")
        );
        assert!(o.only(&["a", "n", "raw", "neg", "t"]).is_ok());
    }

    #[test]
    fn lists_and_pairs() {
        let root =
            Json::parse(r#"{"h":{"x-a":"1","x-b":2},"p":[["a","1"]],"l":["a","b"],"n":null}"#)
                .unwrap();
        let o = root.object().unwrap();
        assert_eq!(
            o.get("h").pairs(Json::string).unwrap(),
            [("x-a".into(), "1".into()), ("x-b".into(), "2".into())]
        );
        assert_eq!(
            o.get("p").pairs(Json::string).unwrap(),
            [("a".into(), "1".into())]
        );
        assert_eq!(o.get("l").list(|j| j.string()).unwrap(), ["a", "b"]);
        assert!(o.get("n").list(|j| j.string()).unwrap().is_empty());
        assert_eq!(fold("PROCESSING_FAILED"), fold("processing-failed"));
    }
}
