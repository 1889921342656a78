//! The Rest.li 2.0 encoder: query values typed as text (structure kept, values encoded), JSON
//! query values (arrays, records, leaves), and the leaf, projection and typed-query encodings.
//!
//! Properties: the output holds only the characters Rest.li 2.0 and a URL allow, every `%` starts
//! an escape, and it fits in a request URI; encoding only respells bytes (percent-decoded, the
//! output reads as the input, but that an empty value is written `''`); encoding twice is
//! encoding once; and a JSON value's encoding reads back (with a Rest.li reader written here) as
//! that value, every leaf well-formed (an empty one is `''`, never nothing).

#![no_main]

use libfuzzer_sys::fuzz_target;
use linkedin_connector::core::restli;
use linkedin_connector::core::urls::{self, API_HOST};
use percent_encoding::percent_decode;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    text_values(&text);
    if let Ok(value) = serde_json::from_str::<Value>(&text) {
        json_value(&value);
    }
});

/// Each byte is an unreserved character, a Rest.li delimiter, or part of a `%XX` escape.
fn well_formed(out: &str, extra: &[u8], input: &str) {
    let bytes = out.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        assert!(
            b.is_ascii_alphanumeric() || b"-_.~!*%".contains(&b) || extra.contains(&b),
            "{input:?} encoded as {out:?}: {:?} at {i}",
            char::from(b)
        );
        if b == b'%' {
            let escape = bytes.get(i + 1..i + 3).unwrap_or_default();
            assert!(
                escape.len() == 2 && escape.iter().all(u8::is_ascii_hexdigit),
                "{input:?} encoded as {out:?}: a bare % at {i}"
            );
        }
    }
    let uri = urls::https(API_HOST, &format!("/rest/x?q={out}"));
    assert!(uri.is_ok(), "{input:?} encoded as {out:?} is not a URI");
}

/// The bytes `text` stands for, percent-decoded, with `''` (the empty value) dropped.
fn meaning(text: &str) -> Vec<u8> {
    let decoded: Vec<u8> = percent_decode(text.as_bytes()).collect();
    String::from_utf8_lossy(&decoded)
        .replace("''", "")
        .into_bytes()
}

fn text_values(text: &str) {
    let out = restli::encode_text(text);
    well_formed(&out, b"(),:'", text);
    assert_eq!(meaning(&out), meaning(text), "{text:?} encoded as {out:?}");
    assert_eq!(restli::encode_text(&out), out, "{text:?}: encoding twice");

    let leaf = restli::encode_leaf(text);
    well_formed(&leaf, b"", text);
    assert_eq!(
        percent_decode(leaf.as_bytes()).collect::<Vec<u8>>(),
        percent_decode(text.as_bytes()).collect::<Vec<u8>>(),
        "{text:?} as a leaf {leaf:?}"
    );
    assert_eq!(restli::encode_leaf(&leaf), leaf, "{text:?}: encoding twice");

    let key = restli::encode_key(text);
    if text.is_empty() || text == "''" {
        assert_eq!(key, "''");
    } else {
        assert_eq!(key, leaf);
    }

    let projection = restli::encode_projection(text);
    well_formed(&projection, b",():$", text);
    assert_eq!(
        percent_decode(projection.as_bytes()).collect::<Vec<u8>>(),
        percent_decode(text.as_bytes()).collect::<Vec<u8>>(),
        "{text:?} as a projection {projection:?}"
    );

    let typed = restli::encode_query_text(text);
    assert!(
        typed
            .bytes()
            .all(|b| b.is_ascii_graphic() && !b"\"<>\\^`{|}#&".contains(&b)),
        "{text:?} as typed query text {typed:?}"
    );
    assert_eq!(
        percent_decode(typed.as_bytes()).collect::<Vec<u8>>(),
        percent_decode(text.as_bytes()).collect::<Vec<u8>>(),
        "{text:?} as typed query text {typed:?}"
    );

    assert_eq!(
        restli::query_value("q", &Value::String(text.to_string())),
        Some(out)
    );
}

/// A Rest.li 2.0 value as read back: a list, a record, a leaf (its bytes decoded) or `''`.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Read {
    List(Vec<Read>),
    Record(Vec<(Read, Read)>),
    Leaf(Vec<u8>),
    Empty,
}

/// What `value` must read back as: null members and items are left out (null is "not given"),
/// an empty string is `''`, numbers and booleans are leaves of their JSON text.
fn expected(value: &Value) -> Read {
    let text = |s: &str| match s {
        "" | "''" => Read::Empty,
        s => Read::Leaf(percent_decode(s.as_bytes()).collect()),
    };
    match value {
        Value::Array(items) => Read::List(
            items
                .iter()
                .filter(|v| !v.is_null())
                .map(expected)
                .collect(),
        ),
        Value::Object(members) => Read::Record(
            members
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (text(k), expected(v)))
                .collect(),
        ),
        Value::String(s) => text(s),
        Value::Number(n) => Read::Leaf(n.to_string().into_bytes()),
        Value::Bool(b) => Read::Leaf(b.to_string().into_bytes()),
        Value::Null => Read::Empty,
    }
}

/// Reads one value from the front of `text`; `None` when it is not Rest.li 2.0 (an empty leaf
/// included).
fn read(text: &str) -> Option<(Read, &str)> {
    if let Some(mut rest) = text.strip_prefix("List(") {
        let mut items = Vec::new();
        if let Some(after) = rest.strip_prefix(')') {
            return Some((Read::List(items), after));
        }
        loop {
            let (item, after) = read(rest)?;
            items.push(item);
            if let Some(after) = after.strip_prefix(',') {
                rest = after;
            } else {
                return Some((Read::List(items), after.strip_prefix(')')?));
            }
        }
    }
    if let Some(mut rest) = text.strip_prefix('(') {
        let mut members = Vec::new();
        if let Some(after) = rest.strip_prefix(')') {
            return Some((Read::Record(members), after));
        }
        loop {
            let (key, after) = leaf(rest)?;
            let (value, after) = read(after.strip_prefix(':')?)?;
            members.push((key, value));
            if let Some(after) = after.strip_prefix(',') {
                rest = after;
            } else {
                return Some((Read::Record(members), after.strip_prefix(')')?));
            }
        }
    }
    leaf(text)
}

fn leaf(text: &str) -> Option<(Read, &str)> {
    let end = text.find(['(', ')', ',', ':']).unwrap_or(text.len());
    let (leaf, rest) = text.split_at(end);
    match leaf {
        "" => None,
        "''" => Some((Read::Empty, rest)),
        leaf => Some((Read::Leaf(percent_decode(leaf.as_bytes()).collect()), rest)),
    }
}

fn json_value(value: &Value) {
    let out = restli::encode_json(value);
    if value.is_null() {
        assert_eq!(restli::query_value("q", value), None);
        return;
    }
    well_formed(&out, b"(),:'", &value.to_string());
    match read(&out) {
        Some((read, "")) => assert_eq!(read, expected(value), "{value} encoded as {out:?}"),
        _ => panic!("{value} encoded as {out:?}, which is not one Rest.li value"),
    }
    if !value.is_string() {
        assert_eq!(restli::query_value("q", value), Some(out));
    }
}
