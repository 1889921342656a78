//! The strict reader of the text given to `execute`: a JSON object whose keys are each given
//! once at any depth, nested at most 64 deep, with its longest string kept in the input's own
//! buffer.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::core::error::Error;

/// The most a JSON input may nest; deeper input is refused rather than recursed into.
const MAX_DEPTH: usize = 64;

/// The first string this long is moved out of the input text instead of copied (base64 `data`).
const LARGE: usize = 64 * 1024;

/// Parses the text given to `execute`: a JSON object, or empty text for `{}`. A key given twice
/// at any depth is refused: a platform that checked the first `path` must not be bypassed by a
/// second one that silently wins.
pub fn parse_object(text: &str) -> Result<Map<String, Value>, Error> {
    parse_owned(text.to_string())
}

/// [`parse_object`] of an input the caller gives up. The first long string without escapes
/// (base64 `data`) keeps the input's own buffer instead of being copied, so an input of 40 MiB
/// needs 40 MiB, not 80.
pub fn parse_owned(mut text: String) -> Result<Map<String, Value>, Error> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    let mut reading = Reading {
        duplicate: None,
        large: None,
        base: text.as_ptr() as usize,
    };
    let mut deserializer = serde_json::Deserializer::from_str(&text);
    let value = StrictValue {
        path: String::new(),
        at: Vec::new(),
        depth: 0,
        reading: &mut reading,
    }
    .deserialize(&mut deserializer)
    .and_then(|v| deserializer.end().map(|()| v));
    if let Some(path) = reading.duplicate {
        return Err(Error::invalid(
            path.clone(),
            format!("The input gives `{path}` more than once; give each key once."),
        ));
    }
    let mut value = match value {
        Ok(value @ Value::Object(_)) => value,
        Ok(_) => return Err(Error::invalid("input", "The input must be a JSON object.")),
        Err(e) => {
            return Err(Error::invalid(
                "input",
                format!("The input is not valid JSON ({e})."),
            ));
        }
    };
    if let Some((at, range)) = reading.large {
        text.truncate(range.end);
        text.drain(..range.start);
        if let Some(slot) = at.iter().try_fold(&mut value, |v, seg| match seg {
            Seg::Key(k) => v.get_mut(k.as_str()),
            Seg::Index(i) => v.get_mut(*i),
        }) {
            *slot = Value::String(text);
        }
    }
    match value {
        Value::Object(map) => Ok(map),
        _ => Err(Error::invalid("input", "The input must be a JSON object.")),
    }
}

/// What reading the input found beyond the value itself.
struct Reading {
    /// The path of a key given twice.
    duplicate: Option<String>,
    /// Where the longest string without escapes is, and its bytes in the input text.
    large: Option<(Vec<Seg>, std::ops::Range<usize>)>,
    /// The address of the input text, to turn a borrowed string into a range.
    base: usize,
}

/// One step of a path into the input.
#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

/// A JSON value read like `serde_json::Value`, but a duplicate object key stops the read and is
/// recorded (by its path) instead of replacing the first, and the longest long string is left
/// in the input text (an empty string stands in for it until the text is moved there).
struct StrictValue<'p> {
    path: String,
    at: Vec<Seg>,
    depth: usize,
    reading: &'p mut Reading,
}

impl StrictValue<'_> {
    fn child(&mut self, path: String, seg: Seg) -> StrictValue<'_> {
        let mut at = self.at.clone();
        at.push(seg);
        StrictValue {
            path,
            at,
            depth: self.depth + 1,
            reading: &mut *self.reading,
        }
    }
}

impl<'de> DeserializeSeed<'de> for StrictValue<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictValue<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Value, E> {
        // The first long string gets the input's buffer once parsing is done; an empty string
        // holds its place until then. Any other string is copied.
        if self.reading.large.is_none() && v.len() >= LARGE {
            let start = (v.as_ptr() as usize).wrapping_sub(self.reading.base);
            self.reading.large = Some((self.at.clone(), start..start + v.len()));
            return Ok(Value::String(String::new()));
        }
        Ok(Value::String(v.to_string()))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        if self.depth >= MAX_DEPTH {
            return Err(de::Error::custom("the input nests too deeply"));
        }
        let mut items = Vec::new();
        loop {
            let path = format!("{}[{}]", self.path, items.len());
            let seed = self.child(path, Seg::Index(items.len()));
            match seq.next_element_seed(seed)? {
                Some(item) => items.push(item),
                None => return Ok(Value::Array(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        if self.depth >= MAX_DEPTH {
            return Err(de::Error::custom("the input nests too deeply"));
        }
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = if self.path.is_empty() {
                key.clone()
            } else {
                format!("{}.{key}", self.path)
            };
            if out.contains_key(&key) {
                self.reading.duplicate = Some(path);
                return Err(de::Error::custom("a key is given twice"));
            }
            let seed = self.child(path, Seg::Key(key.clone()));
            let value = map.next_value_seed(seed)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_string_keeps_the_input_buffer_and_every_value_is_intact() {
        let long = "QUJD".repeat(40_000);
        let other = "x".repeat(LARGE + 1);
        let text = format!(
            r#"{{"a": 1, "mediaSource": {{"data": "{long}", "t": "{other}"}}, "l": ["{other}", "\u0041{long}"]}}"#
        );
        let capacity = text.capacity();
        let map = parse_owned(text).unwrap();
        assert_eq!(map["mediaSource"]["data"], long.as_str());
        assert_eq!(map["mediaSource"]["t"], other.as_str());
        assert_eq!(map["l"][0], other.as_str());
        assert_eq!(map["l"][1], format!("A{long}").as_str());
        assert_eq!(map["a"], 1);
        let Value::String(data) = &map["mediaSource"]["data"] else {
            panic!()
        };
        assert_eq!(data.capacity(), capacity, "the input's own buffer");
    }
}
