//! Reading a command's JSON input. Every problem becomes an `invalid-input` error naming the field
//! by its JSON name, before anything is sent.
//!
//! A command declares its input once, with [`input!`](crate::input): a struct whose fields are
//! the parameters, documented by their doc comments. From that one declaration come the catalog
//! entries a query editor renders ([`Param`]), the JSON Schema, the reader (which also refuses
//! unknown keys), and the names the typed WIT record must use (`text_format` is the JSON key
//! `textFormat` and the WIT field `text-format`).
//!
//! - [`param`]: a parameter as the catalog shows it;
//! - [`field`]: the value types and how each is read;
//! - [`choice`]: enums a user types;
//! - [`strict`]: the strict reader of the input text;
//! - here: the `input!` declaration and the [`Fields`] it reads from.

mod choice;
mod field;
mod param;
mod strict;

pub use choice::{Choice, fold, read_choice};
pub use field::{Field, Pairs, Slot, scalar_text, wrong_type};
pub use param::{Param, ParamType};
pub use strict::{parse_object, parse_owned};

use std::rc::Rc;

use serde_json::{Map, Value};

use crate::core::error::Error;

crate::input! {
    /// The input of a command that takes none: any key is refused.
    pub struct NoInput {}
}

/// The JSON key of a field: `text_format` is `textFormat` (and the WIT field `text-format`).
///
/// Written out rather than taken from `heck` (which build.rs and host-test use): a field is a
/// Rust identifier in ASCII snake_case by construction, and heck's Unicode-aware word splitting
/// costs the component 33 KB (measured) for names that never need it.
/// A raw identifier names the keyword (`r#type` is `type`).
pub fn json_name(field: &str) -> String {
    let field = unraw(field);
    let mut out = String::with_capacity(field.len());
    let mut words = field.split('_');
    out.extend(words.next());
    for word in words {
        let mut chars = word.chars();
        out.extend(chars.next().map(|c| c.to_ascii_uppercase()));
        out.push_str(chars.as_str());
    }
    out
}

/// Whether `key` is the JSON name of `field` ([`json_name`]), compared without building that
/// name: every field a command reads is looked up this way, and building each name cost an
/// allocation per field per call (a third of create-post's input reading, profiled).
pub fn is_json_name(field: &str, key: &str) -> bool {
    let mut key = key.chars();
    let mut word_start = false;
    for c in unraw(field).chars() {
        if c == '_' {
            word_start = true;
            continue;
        }
        let expected = if word_start {
            c.to_ascii_uppercase()
        } else {
            c
        };
        word_start = false;
        if key.next() != Some(expected) {
            return false;
        }
    }
    key.next().is_none()
}

/// The title a query editor shows for a field without its own: `text_format` is "Text format".
pub fn title(field: &str) -> String {
    let words = unraw(field).replace('_', " ");
    let mut chars = words.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase())
        .into_iter()
        .chain(chars)
        .collect()
}

/// A field named by a raw identifier (`r#type`, a Rust keyword) as its name (`type`).
fn unraw(field: &str) -> &str {
    field.strip_prefix("r#").unwrap_or(field)
}

/// A command's input: its parameters and how to read them. Written by [`input!`](crate::input).
pub trait Input: Sized {
    fn params() -> Vec<Param>;
    fn from_fields(fields: &mut Fields) -> Result<Self, Error>;
}

/// Declares a command's input struct (or a nested object of one). Each field is a parameter:
/// its doc comment is the help text, `#[param(...)]` calls [`Param`]'s builders (`title`,
/// `example`, `max_length`, ...), `T` is required, `Option<T>` optional, and `T = value` optional
/// with a default.
///
/// ```
/// use linkedin_connector::core::input::{Fields, Input};
///
/// linkedin_connector::input! {
///     /// Input of an example command.
///     pub struct Example {
///         /// Who posts: urn:li:person:{id} or urn:li:organization:{id}.
///         #[param(example = "urn:li:person:782bbtaQ")]
///         pub author: String,
///         /// How many to read.
///         pub count: u32 = 10,
///     }
/// }
///
/// let params = Example::params();
/// assert_eq!(params[0].name, "author");
/// assert!(params[0].required);
/// assert_eq!(params[1].default.as_deref(), Some("10"));
/// let serde_json::Value::Object(input) = serde_json::json!({"author": "person:abc"}) else {
///     unreachable!()
/// };
/// let read = Example::from_fields(&mut Fields::new(input)).unwrap();
/// assert_eq!(read.count, 10);
/// ```
#[macro_export]
macro_rules! input {
    (
        $(#[$smeta:meta])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:literal])*
                $(#[param($($key:ident = $val:expr),* $(,)?)])?
                pub $field:ident : $ty:ty $(= $default:expr)?
            ),* $(,)?
        }
    ) => {
        $(#[$smeta])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name {
            $( $(#[doc = $doc])* pub $field: $ty, )*
        }

        impl $crate::core::input::Input for $name {
            fn params() -> Vec<$crate::core::input::Param> {
                vec![$({
                    let param = $crate::core::input::Param::of::<$ty>(stringify!($field), &[$($doc),*]);
                    $( let param = param.default_value(&$default); )?
                    $($( let param = param.$key($val); )*)?
                    param
                }),*]
            }

            #[allow(unused_variables)]
            fn from_fields(fields: &mut $crate::core::input::Fields) -> Result<Self, $crate::core::error::Error> {
                fields.only(&[$(stringify!($field)),*])?;
                Ok($name {
                    $( $field: $crate::input!(@read fields, $field, $ty $(, $default)?)?, )*
                })
            }
        }

        impl $crate::core::input::Field for $name {
            const TYPE: $crate::core::input::ParamType = $crate::core::input::ParamType::Object;

            fn read(value: &::serde_json::Value, name: &str) -> Result<Self, $crate::core::error::Error> {
                $crate::core::input::read_object(value.clone(), name)
            }

            fn take(value: ::serde_json::Value, name: &str) -> Result<Self, $crate::core::error::Error> {
                $crate::core::input::read_object(value, name)
            }

            fn take_in(
                value: ::serde_json::Value,
                name: &str,
                written: &$crate::core::input::Written,
            ) -> Result<Self, $crate::core::error::Error> {
                $crate::core::input::read_object_in(value, name, written)
            }
        }
    };
    (@read $fields:ident, $field:ident, $ty:ty) => {
        <$ty as $crate::core::input::Slot>::read_field($fields, stringify!($field))
    };
    (@read $fields:ident, $field:ident, $ty:ty, $default:expr) => {
        <$ty as $crate::core::input::Slot>::read_field_or($fields, stringify!($field), $default)
    };
}

/// Reads a nested object with its own [`Input`] rules, its fields named `name.key`.
pub fn read_object<T: Input>(value: Value, name: &str) -> Result<T, Error> {
    read_object_in(value, name, &Written::default())
}

/// [`read_object`] with the input's numbers as written.
pub fn read_object_in<T: Input>(value: Value, name: &str, written: &Written) -> Result<T, Error> {
    match value {
        Value::Object(map) => T::from_fields(&mut Fields {
            map,
            prefix: format!("{name}."),
            also: None,
            written: written.clone(),
        }),
        other => Err(wrong_type(name, "an object", &other)),
    }
}

/// The text of each number of an input that is not a plain whole number (`0.10`, `12.50`,
/// `1e2`), by its full JSON name (`dailyBudget.amount`). serde_json keeps only such a number's
/// value (`0.1`), and money amounts must reach LinkedIn as written. Whole numbers are left out:
/// their value prints as written. Kept beside the input rather than in it because
/// `serde_json::Value` has no room for the text without serde_json's `arbitrary_precision`,
/// which costs 46 KB of component for every number of every call.
#[derive(Clone, Debug, Default)]
pub struct Written(Rc<Vec<(String, String)>>);

impl Written {
    /// How the number at `name` was written, when it is not a plain whole number.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(at, _)| at == name)
            .map(|(_, text)| text.as_str())
    }
}

/// A command's input object, read field by field; each value is taken out as it is read.
pub struct Fields {
    map: Map<String, Value>,
    /// Prefix for nested field names (`media[1].`); empty at the top level.
    prefix: String,
    /// Fields read by someone else (the dispatcher reads `linkedinVersion`).
    also: Option<&'static str>,
    /// The input's numbers as written.
    written: Written,
}

impl Fields {
    pub fn new(map: Map<String, Value>) -> Fields {
        Fields {
            map,
            prefix: String::new(),
            also: None,
            written: Written::default(),
        }
    }

    /// The same fields, with `field` (snake_case) also a known key.
    pub fn allowing(mut self, field: &'static str) -> Fields {
        self.also = Some(field);
        self
    }

    /// The value of a key, taken out of the input.
    pub fn take(&mut self, key: &str) -> Option<Value> {
        self.map.remove(key)
    }

    /// The key of `field` (snake_case) and its value, taken out of the input.
    pub fn take_field(&mut self, field: &str) -> Option<(String, Value)> {
        let key = self
            .map
            .keys()
            .find(|key| is_json_name(field, key))?
            .clone();
        self.map.remove_entry(&key)
    }

    /// Rejects any key that is not one of `fields` (snake_case names, compared as camelCase), so
    /// a typo such as `visiblity` is reported instead of silently ignored.
    pub fn only(&self, fields: &[&str]) -> Result<(), Error> {
        let known = fields.iter().chain(self.also.as_ref());
        if let Some(unknown) = self
            .map
            .keys()
            .find(|key| !known.clone().any(|field| is_json_name(field, key)))
        {
            let known: Vec<String> = known.map(|f| json_name(f)).collect();
            let name = self.name(unknown);
            let expected = if known.is_empty() {
                "this command takes no input".to_string()
            } else {
                format!("expected one of: {}", known.join(", "))
            };
            return Err(Error::invalid(
                name.clone(),
                format!("Unknown field `{name}`; {expected}."),
            ));
        }
        Ok(())
    }

    /// The full JSON name of `key` (with the nesting prefix).
    pub fn name(&self, key: &str) -> String {
        let mut name = String::with_capacity(self.prefix.len() + key.len());
        name.push_str(&self.prefix);
        name.push_str(key);
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_names_and_titles_come_from_the_field() {
        assert_eq!(json_name("linkedin_version"), "linkedinVersion");
        assert_eq!(json_name("r#type"), "type");
        assert_eq!(title("r#type"), "Type");
        assert_eq!(json_name("author"), "author");
        let params = Example::params();
        assert_eq!(params[1].name, "visibility");
        assert_eq!(params[1].title, "Visibility");
        let nested = Param::of::<Option<bool>>("disable_reshare", &[]);
        assert_eq!(
            (nested.name.as_str(), nested.title.as_str()),
            ("disableReshare", "Disable reshare")
        );
        assert_eq!(json_name("file_size_bytes"), "fileSizeBytes");
        for field in [
            "linkedin_version",
            "r#type",
            "author",
            "file_size_bytes",
            "a__b",
            "_a",
            "a_",
            "",
        ] {
            assert!(is_json_name(field, &json_name(field)), "{field}");
        }
        assert!(!is_json_name("file_size", "fileSizeBytes"));
        assert!(!is_json_name("file_size_bytes", "fileSize"));
        assert!(!is_json_name("file_size", "file_size"));
        assert!(!is_json_name("r#type", "r#type"));
        assert_eq!(json_name(""), "");
    }

    crate::choice!(
        /// A test enum.
        Visibility { Public = "PUBLIC", Connections = "CONNECTIONS", LoggedIn = "LOGGED_IN" }
    );

    crate::input! {
        /// A test input.
        pub struct Example {
            /// Who posts.
            #[param(title = "Author", example = "urn:li:person:abc", max_length = 100)]
            pub author: String,
            /// Who sees it.
            pub visibility: Visibility = Visibility::Public,
            pub flag: Option<bool>,
            pub count: Option<u32>,
            pub tags: Option<Vec<String>>,
        }
    }

    fn read(value: Value) -> Result<Example, Error> {
        let Value::Object(map) = value else {
            panic!("an object")
        };
        Example::from_fields(&mut Fields::new(map))
    }

    fn field_of(e: Error) -> String {
        e.field().expect("invalid-input").to_string()
    }

    #[test]
    fn choices_accept_any_case_and_the_wit_spelling() {
        assert_eq!(Visibility::parse("public"), Some(Visibility::Public));
        assert_eq!(Visibility::parse("Logged_In"), Some(Visibility::LoggedIn));
        assert_eq!(Visibility::parse("logged-in"), Some(Visibility::LoggedIn));
        assert_eq!(Visibility::parse("LoggedIn"), Some(Visibility::LoggedIn));
        assert_eq!(Visibility::parse("friends"), None);
        assert_eq!(Visibility::LoggedIn.as_str(), "LOGGED_IN");
    }

    #[test]
    fn one_declaration_gives_params_and_reader() {
        let params = Example::params();
        let names: Vec<&str> = params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["author", "visibility", "flag", "count", "tags"]);
        assert!(params[0].required && !params[1].required && !params[2].required);
        assert_eq!(params[0].title, "Author");
        assert_eq!(params[0].description, "Who posts.");
        assert_eq!(params[0].example.as_deref(), Some("\"urn:li:person:abc\""));
        assert_eq!(params[0].schema["maxLength"], 100);
        assert_eq!(
            params[1].enum_values,
            ["PUBLIC", "CONNECTIONS", "LOGGED_IN"]
        );
        assert_eq!(params[1].default.as_deref(), Some("\"PUBLIC\""));
        assert_eq!(params[3].ty, ParamType::Integer);
        assert_eq!(params[4].ty, ParamType::Array);

        let input = read(json!({"author": "a", "visibility": "connections", "flag": "true", "count": "7", "tags": ["x"]})).unwrap();
        assert_eq!(input.visibility, Visibility::Connections);
        assert_eq!(input.flag, Some(true));
        assert_eq!(input.count, Some(7));
        assert_eq!(input.tags, Some(vec!["x".to_string()]));
        let input = read(json!({"author": "a", "visibility": "", "flag": null})).unwrap();
        assert_eq!(input.visibility, Visibility::Public);
        assert_eq!(input.flag, None);
    }

    #[test]
    fn errors_name_the_field() {
        assert_eq!(field_of(read(json!({})).unwrap_err()), "author");
        assert_eq!(
            field_of(read(json!({"author": "  "})).unwrap_err()),
            "author"
        );
        assert_eq!(field_of(read(json!({"author": 5})).unwrap_err()), "author");
        assert_eq!(
            field_of(read(json!({"author": "a", "visibility": "friends"})).unwrap_err()),
            "visibility"
        );
        assert_eq!(
            field_of(read(json!({"author": "a", "flag": "yes"})).unwrap_err()),
            "flag"
        );
        assert_eq!(
            field_of(read(json!({"author": "a", "tags": [1]})).unwrap_err()),
            "tags[0]"
        );
        assert_eq!(
            field_of(read(json!({"author": "a", "visiblity": "x"})).unwrap_err()),
            "visiblity"
        );
    }

    #[test]
    fn parse_object_rejects_non_objects_and_duplicates() {
        assert!(parse_object("").unwrap().is_empty());
        assert_eq!(field_of(parse_object("[1]").unwrap_err()), "input");
        assert_eq!(field_of(parse_object("{").unwrap_err()), "input");
        assert_eq!(
            field_of(parse_object(r#"{"path": "/v2/me", "path": "/v2/x"}"#).unwrap_err()),
            "path"
        );
        assert_eq!(
            field_of(parse_object(r#"{"query": {"q": 1, "a": [{"b": 1, "b": 2}]}}"#).unwrap_err()),
            "query.a[0].b"
        );
        let deep = "[".repeat(200) + &"]".repeat(200);
        assert_eq!(
            field_of(parse_object(&format!(r#"{{"a": {deep}}}"#)).unwrap_err()),
            "input"
        );
        assert_eq!(
            parse_object(r#"{"a": {"b": [1, 2.5, "x", null, true]}}"#).unwrap()["a"],
            json!({"b": [1, 2.5, "x", null, true]})
        );
    }

    #[test]
    fn numbers_that_are_not_whole_keep_their_text() {
        let fields = parse_owned(
            r#"{"a": 0.10, "b": {"c": [1, 12.50, 1e2, {"d\u0022": -0.5}]}, "e": 7, "f": "0.10"}"#
                .into(),
        )
        .unwrap();
        let written = |name| fields.written.get(name);
        assert_eq!(written("a"), Some("0.10"));
        assert_eq!(written("b.c[1]"), Some("12.50"));
        assert_eq!(written("b.c[2]"), Some("1e2"));
        assert_eq!(written("b.c[3].d\""), Some("-0.5"));
        assert_eq!(written("b.c[0]"), None, "whole numbers print as written");
        assert_eq!(written("e"), None);
        assert_eq!(written("f"), None, "a string is no number");
        assert_eq!(fields.map["a"], json!(0.1));
    }

    #[test]
    fn pairs_take_objects_or_lists_of_pairs() {
        let pairs = <Pairs as Field>::read(&json!({"a": "1", "b": 2}), "headers").unwrap();
        assert_eq!(
            pairs.0,
            vec![("a".into(), json!("1")), ("b".into(), json!(2))]
        );
        let pairs = <Pairs as Field>::read(&json!([["a", "1"], ["a", "2"]]), "headers").unwrap();
        assert_eq!(pairs.0.len(), 2);
        assert!(<Pairs as Field>::read(&json!([["a"]]), "headers").is_err());
    }
}
