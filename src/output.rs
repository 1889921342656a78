//! Building a command's JSON output: the normalised fields, then `raw` with LinkedIn's body
//! exactly as it arrived (spliced in as text, so key order and number spelling survive).
//!
//! Outputs are written by [`to_json`], a compact serde serializer for the shapes our output
//! types have (structs, options, strings, numbers, lists, maps with string keys and
//! `serde_json::Value`s). It writes the same JSON text as `serde_json::to_string`; it exists
//! because serde_json's string escaping is slow in a size-optimised wasm build (it splits the
//! string once per byte, out of line), and every output is mostly strings. `bench` measured
//! get-user-info's output at ≈40k instructions through serde_json and ≈3k through this writer.

use std::fmt::{self, Display, Write as _};

use serde::Serialize;
use serde::ser::{self, Impossible};

/// `fields` (which serialises as a JSON object) with `"raw": <raw>` appended when `raw` is
/// given. `raw` must be valid JSON; callers pass only bodies that already parsed.
pub fn object_with_raw(fields: &impl Serialize, raw: Option<&str>) -> String {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty());
    let mut out = to_json_with_capacity(fields, 256 + raw.map_or(0, str::len));
    if let Some(raw) = raw {
        debug_assert!(out.ends_with('}'));
        out.pop();
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str("\"raw\":");
        out.push_str(raw);
        out.push('}');
    }
    out
}

/// `value` as compact JSON text, as `serde_json::to_string` writes it. Output types only hold
/// data JSON can express, so this does not fail; a value it cannot write (a map with non-string
/// keys) becomes `{}` and trips a debug assertion.
pub fn to_json(value: &(impl Serialize + ?Sized)) -> String {
    to_json_with_capacity(value, 256)
}

fn to_json_with_capacity(value: &(impl Serialize + ?Sized), capacity: usize) -> String {
    let mut writer = Writer {
        out: String::with_capacity(capacity),
    };
    match value.serialize(&mut writer) {
        Ok(()) => writer.out,
        Err(e) => {
            debug_assert!(false, "output not writable as JSON: {e}");
            "{}".to_string()
        }
    }
}

/// Appends `text` as a JSON string literal: `"` `\\` and control characters escaped the way
/// serde_json escapes them, everything else (non-ASCII included) as is.
// `push_str("\"")` over `push('"')`: at opt-level "z" `String::push` is an out-of-line call
// that UTF-8-encodes its char, and this runs twice for every string of every output.
#[allow(clippy::single_char_add_str)]
pub fn write_str(out: &mut String, text: &str) {
    out.push_str("\"");
    let mut rest = text;
    loop {
        let plain = plain_prefix(rest.as_bytes());
        out.push_str(&rest[..plain]);
        let Some(&byte) = rest.as_bytes().get(plain) else {
            break;
        };
        push_escape(out, byte);
        // `byte` is ASCII, so `plain + 1` is a char boundary.
        rest = &rest[plain + 1..];
    }
    out.push_str("\"");
}

/// How many leading bytes of `bytes` JSON takes as they are. Eight bytes at a time: a
/// per-byte loop costs ~25 instructions a byte in wasm.
fn plain_prefix(bytes: &[u8]) -> usize {
    let mut rest = bytes;
    while let Some((word, tail)) = rest.split_first_chunk::<8>() {
        if word_needs_escape(u64::from_le_bytes(*word)) {
            break;
        }
        rest = tail;
    }
    while let Some((&byte, tail)) = rest.split_first() {
        if needs_escape(byte) {
            break;
        }
        rest = tail;
    }
    bytes.len() - rest.len()
}

/// Whether JSON needs `byte` escaped inside a string.
fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

/// Whether any of the eight bytes of `word` needs escaping (the classic "has a byte less than
/// n" and "has a zero byte" word tricks; exact as a yes/no answer).
fn word_needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGHS;
    let control = below(word, 0x20);
    let quote = below(word ^ (ONES * u64::from(b'"')), 1);
    let backslash = below(word ^ (ONES * u64::from(b'\\')), 1);
    control | quote | backslash != 0
}

fn push_escape(out: &mut String, byte: u8) {
    let short = match byte {
        b'"' => "\\\"",
        b'\\' => "\\\\",
        b'\n' => "\\n",
        b'\r' => "\\r",
        b'\t' => "\\t",
        0x08 => "\\b",
        0x0c => "\\f",
        _ => "",
    };
    if short.is_empty() {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        out.push_str("\\u00");
        out.push(char::from(HEX[usize::from(byte >> 4)]));
        out.push(char::from(HEX[usize::from(byte & 0xf)]));
    } else {
        out.push_str(short);
    }
}

/// Why a value could not be written.
#[derive(Debug)]
pub struct Unwritable(String);

impl Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unwritable {}

impl ser::Error for Unwritable {
    fn custom<T: Display>(msg: T) -> Self {
        Unwritable(msg.to_string())
    }
}

struct Writer {
    out: String,
}

impl Writer {
    fn display(&mut self, value: impl Display) {
        // Writing to a String cannot fail.
        let _ = write!(self.out, "{value}");
    }

    fn float(&mut self, value: f64) {
        // serde_json writes finite floats with ryu (as `Number` displays them), others as null.
        match serde_json::Number::from_f64(value) {
            Some(n) => self.display(n),
            None => self.out.push_str("null"),
        }
    }

    /// Opens `{"variant":` for the externally tagged enum shapes.
    fn open_variant(&mut self, variant: &str) {
        self.out.push('{');
        write_str(&mut self.out, variant);
        self.out.push(':');
    }
}

/// A list or an object being written; `variant` closes the `{"variant":` wrapper too.
struct Compound<'w> {
    writer: &'w mut Writer,
    first: bool,
    variant: bool,
}

impl Compound<'_> {
    fn separate(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.writer.out.push(',');
        }
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        self.separate();
        value.serialize(&mut *self.writer)
    }

    /// A struct field. Its name is a Rust identifier (or a serde rename of one), so it is
    /// written without the escaping scan.
    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        debug_assert!(!key.bytes().any(needs_escape), "{key:?}");
        let out = &mut self.writer.out;
        out.push_str(if std::mem::take(&mut self.first) {
            "\""
        } else {
            ",\""
        });
        out.push_str(key);
        out.push_str("\":");
        value.serialize(&mut *self.writer)
    }

    fn close(self, bracket: char) -> Result<(), Unwritable> {
        self.writer.out.push(bracket);
        if self.variant {
            self.writer.out.push('}');
        }
        Ok(())
    }
}

impl<'w> Writer {
    fn open(&'w mut self, bracket: char, variant: bool) -> Compound<'w> {
        self.out.push(bracket);
        Compound {
            writer: self,
            first: true,
            variant,
        }
    }
}

/// Integers are written as they print (widened first: one formatting routine per signedness).
macro_rules! integers {
    ($wide:ty => $($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<(), Unwritable> {
            self.display(<$wide>::from(v));
            Ok(())
        }
    )*};
}

impl<'w> ser::Serializer for &'w mut Writer {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = Compound<'w>;
    type SerializeTuple = Compound<'w>;
    type SerializeTupleStruct = Compound<'w>;
    type SerializeTupleVariant = Compound<'w>;
    type SerializeMap = Compound<'w>;
    type SerializeStruct = Compound<'w>;
    type SerializeStructVariant = Compound<'w>;

    fn serialize_bool(self, v: bool) -> Result<(), Unwritable> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }

    integers!(i64 => serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64);
    integers!(u64 => serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);

    fn serialize_f32(self, v: f32) -> Result<(), Unwritable> {
        // serde_json prints an f32 with f32 precision (0.1, not 0.10000000149011612).
        match v.is_finite() {
            true => self.display(v),
            false => self.out.push_str("null"),
        }
        Ok(())
    }

    fn serialize_f64(self, v: f64) -> Result<(), Unwritable> {
        self.float(v);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Unwritable> {
        write_str(&mut self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    fn serialize_str(self, v: &str) -> Result<(), Unwritable> {
        write_str(&mut self.out, v);
        Ok(())
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<(), Unwritable> {
        let mut list = self.open('[', false);
        for byte in v {
            ser::SerializeSeq::serialize_element(&mut list, byte)?;
        }
        list.close(']')
    }

    fn serialize_none(self) -> Result<(), Unwritable> {
        self.out.push_str("null");
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unwritable> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Unwritable> {
        self.serialize_none()
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Unwritable> {
        self.serialize_none()
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Unwritable> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'w>, Unwritable> {
        Ok(self.open('[', false))
    }

    fn serialize_tuple(self, _len: usize) -> Result<Compound<'w>, Unwritable> {
        Ok(self.open('[', false))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'w>, Unwritable> {
        Ok(self.open('[', false))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w>, Unwritable> {
        self.open_variant(variant);
        Ok(self.open('[', true))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'w>, Unwritable> {
        Ok(self.open('{', false))
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'w>, Unwritable> {
        Ok(self.open('{', false))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'w>, Unwritable> {
        self.open_variant(variant);
        Ok(self.open('{', true))
    }
}

/// The list-shaped compounds differ only in the trait and the name of the element method.
macro_rules! list_compound {
    ($($trait:ident::$method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Unwritable;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
                self.element(value)
            }

            fn end(self) -> Result<(), Unwritable> {
                self.close(']')
            }
        }
    )*};
}

list_compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unwritable;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unwritable> {
        self.separate();
        key.serialize(KeyWriter(&mut self.writer.out))?;
        self.writer.out.push(':');
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        value.serialize(&mut *self.writer)
    }

    fn end(self) -> Result<(), Unwritable> {
        self.close('}')
    }
}

/// Structs and struct variants: named fields.
macro_rules! struct_compound {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Unwritable;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Unwritable> {
                self.field(key, value)
            }

            fn end(self) -> Result<(), Unwritable> {
                self.close('}')
            }
        }
    )*};
}

struct_compound!(SerializeStruct, SerializeStructVariant);

/// Writes a map key: JSON object keys are strings, so (as serde_json does) strings and
/// characters are written as they are and integers and booleans are quoted; anything else
/// cannot be a key.
struct KeyWriter<'o>(&'o mut String);

impl KeyWriter<'_> {
    fn quoted(self, value: impl Display) -> Result<(), Unwritable> {
        let _ = write!(self.0, "\"{value}\"");
        Ok(())
    }
}

fn not_a_key() -> Unwritable {
    Unwritable("a JSON object key must be a string".into())
}

/// Keys serde_json writes quoted.
macro_rules! quoted_keys {
    ($($method:ident: $ty:ty),*) => {$(
        fn $method(self, v: $ty) -> Result<(), Unwritable> {
            self.quoted(v)
        }
    )*};
}

/// Keys JSON cannot have.
macro_rules! refused_keys {
    ($($method:ident($($arg:ty),*)),*) => {$(
        fn $method(self, $(_: $arg),*) -> Result<(), Unwritable> {
            Err(not_a_key())
        }
    )*};
}

impl ser::Serializer for KeyWriter<'_> {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = Impossible<(), Unwritable>;
    type SerializeTuple = Impossible<(), Unwritable>;
    type SerializeTupleStruct = Impossible<(), Unwritable>;
    type SerializeTupleVariant = Impossible<(), Unwritable>;
    type SerializeMap = Impossible<(), Unwritable>;
    type SerializeStruct = Impossible<(), Unwritable>;
    type SerializeStructVariant = Impossible<(), Unwritable>;

    fn serialize_str(self, v: &str) -> Result<(), Unwritable> {
        write_str(self.0, v);
        Ok(())
    }

    fn serialize_char(self, v: char) -> Result<(), Unwritable> {
        write_str(self.0, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }

    quoted_keys!(
        serialize_bool: bool,
        serialize_i8: i8,
        serialize_i16: i16,
        serialize_i32: i32,
        serialize_i64: i64,
        serialize_u8: u8,
        serialize_u16: u16,
        serialize_u32: u32,
        serialize_u64: u64
    );

    refused_keys!(
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str)
    );

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Unwritable> {
        Err(not_a_key())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Unwritable> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Unwritable> {
        Err(not_a_key())
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Unwritable> {
        Err(not_a_key())
    }

    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Unwritable> {
        Err(not_a_key())
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Unwritable> {
        Err(not_a_key())
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Unwritable> {
        Err(not_a_key())
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Unwritable> {
        Err(not_a_key())
    }

    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Unwritable> {
        Err(not_a_key())
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Unwritable> {
        Err(not_a_key())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{Value, json};
    use std::collections::BTreeMap;

    #[test]
    fn raw_is_spliced_verbatim() {
        let out = object_with_raw(&json!({"a": 1}), Some(" {\"z\":1.50,\"b\":2}\n"));
        assert_eq!(out, r#"{"a":1,"raw":{"z":1.50,"b":2}}"#);
        assert!(serde_json::from_str::<Value>(&out).is_ok());
        assert_eq!(object_with_raw(&json!({}), Some("[]")), r#"{"raw":[]}"#);
        assert_eq!(object_with_raw(&json!({"a": 1}), None), r#"{"a":1}"#);
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    enum Shape {
        Unit,
        Newtype(u8),
        Tuple(u8, bool),
        Struct { inner_field: Option<String> },
    }

    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Sample {
        text: String,
        missing: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        flag: bool,
        negative: i64,
        big: u64,
        ratio: f64,
        not_a_number: f64,
        single: f32,
        letter: char,
        list: Vec<Shape>,
        by_name: BTreeMap<String, u8>,
        by_number: BTreeMap<u32, bool>,
        unit: (),
        pair: (u8, &'static str),
        value: Value,
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let sample = Sample {
            text: "a \"quote\" \\ / \n\r\t\u{8}\u{c}\u{0}\u{1f}\u{7f} é ✓ 😀 (x) _~".into(),
            missing: None,
            skipped: None,
            flag: true,
            negative: i64::MIN,
            big: u64::MAX,
            ratio: 1.5e-7,
            not_a_number: f64::NAN,
            single: 0.1,
            letter: '"',
            list: vec![
                Shape::Unit,
                Shape::Newtype(7),
                Shape::Tuple(1, false),
                Shape::Struct {
                    inner_field: Some("x".into()),
                },
            ],
            by_name: [("b\"".to_string(), 2), ("a".to_string(), 1)].into(),
            by_number: [(10, true), (2, false)].into(),
            unit: (),
            pair: (3, "three"),
            value: json!({"z": [1, 2.5, null, "s\u{1}"], "a": {"b": true}}),
        };
        assert_eq!(to_json(&sample), serde_json::to_string(&sample).unwrap());
    }

    #[test]
    fn object_keys_must_be_strings() {
        let map: BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let mut writer = Writer { out: String::new() };
        assert!(map.serialize(&mut writer).is_err());
    }

    #[test]
    fn escapes_at_every_offset() {
        for special in [
            '"', '\\', '\n', '\u{1}', '\u{1f}', ' ', '!', '#', '[', ']', '\u{7f}', 'é',
        ] {
            for at in 0..20 {
                let mut text: String = "abcdefghijklmnopqrs".into();
                text.insert(at, special);
                let mut out = String::new();
                write_str(&mut out, &text);
                assert_eq!(out, serde_json::to_string(&text).unwrap(), "{text:?}");
            }
        }
    }

    proptest! {
        #[test]
        fn prop_strings_escape_like_serde_json(
            chars in proptest::collection::vec(any::<char>(), 0..64)
        ) {
            let text = String::from_iter(chars);
            let mut out = String::new();
            write_str(&mut out, &text);
            prop_assert_eq!(&out, &serde_json::to_string(&text).unwrap());
        }
    }
}
