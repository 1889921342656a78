//! Reading a command's JSON input: every problem becomes an `invalid-input` error naming the
//! field by its JSON name, before anything is sent. Also the enums LinkedIn defines, accepted in
//! any letter case.

use serde_json::{Map, Value};

use crate::catalog::CommandSpec;
use crate::error::Error;

/// An enum whose values a user types (in any letter case).
pub trait Choice: Sized + Copy + 'static {
    /// Every value, spelled as LinkedIn (or the catalog) spells it.
    const VALUES: &'static [&'static str];
    /// The variants, in the order of `VALUES`.
    const ALL: &'static [Self];

    /// The value as LinkedIn spells it.
    fn as_str(self) -> &'static str;

    fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        Self::VALUES
            .iter()
            .position(|v| {
                v.eq_ignore_ascii_case(text) || v.replace('_', "-").eq_ignore_ascii_case(text)
            })
            .map(|at| Self::ALL[at])
    }
}

macro_rules! choice {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl Choice for $name {
            const VALUES: &'static [&'static str] = &[$($value),+];
            const ALL: &'static [Self] = &[$($name::$variant),+];

            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $value),+ }
            }
        }
    };
}

pub(crate) use choice;

choice!(
    /// How post text is written to little text (see `text`).
    TextFormat { Auto = "auto", Literal = "literal", Little = "little" }
);
choice!(
    /// LinkedIn's post `visibility`.
    Visibility { Public = "PUBLIC", Connections = "CONNECTIONS", LoggedIn = "LOGGED_IN" }
);
choice!(
    /// LinkedIn's post `lifecycleState` on creation.
    LifecycleState { Published = "PUBLISHED", Draft = "DRAFT" }
);

/// A JSON string, number or boolean as text (`7`, `true`); `None` for null, lists and objects.
/// Platforms often send header values, query values and ids as numbers.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parses the text given to `execute`: a JSON object, or empty text for `{}`.
pub fn parse_object(text: &str) -> Result<Map<String, Value>, Error> {
    if text.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(Error::invalid("input", "The input must be a JSON object.")),
        Err(e) => Err(Error::invalid(
            "input",
            format!("The input is not valid JSON ({e})."),
        )),
    }
}

/// A command's input object, read field by field. Absent, `null` and (for optional fields) `""`
/// all mean "not given", because query editors send empty form fields that way.
pub struct Fields<'a> {
    map: &'a Map<String, Value>,
    /// Prefix for nested field names (`media[1].`); empty at the top level.
    prefix: String,
}

impl<'a> Fields<'a> {
    /// The top-level input of `spec`; rejects keys the command does not know, so a typo such as
    /// `visiblity` is reported instead of silently ignored.
    pub fn new(map: &'a Map<String, Value>, spec: &CommandSpec) -> Result<Fields<'a>, Error> {
        let known: Vec<&str> = spec.params.iter().map(|p| p.name).collect();
        let fields = Fields {
            map,
            prefix: String::new(),
        };
        fields.only(&known)?;
        Ok(fields)
    }

    /// Rejects any key not in `known`.
    pub fn only(&self, known: &[&str]) -> Result<(), Error> {
        if let Some(unknown) = self.map.keys().find(|k| !known.contains(&k.as_str())) {
            let name = self.name(unknown);
            return Err(Error::invalid(
                name.clone(),
                format!(
                    "Unknown field `{name}`; expected one of: {}.",
                    known.join(", ")
                ),
            ));
        }
        Ok(())
    }

    /// The full JSON name of `key` (with the nesting prefix).
    pub fn name(&self, key: &str) -> String {
        format!("{}{key}", self.prefix)
    }

    fn present(&self, key: &str) -> Option<&'a Value> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.is_empty() => None,
            Some(v) => Some(v),
        }
    }

    /// A string that must be present and not blank.
    pub fn required_str(&self, key: &str) -> Result<&'a str, Error> {
        match self.map.get(key) {
            None | Some(Value::Null) => Err(self.missing(key)),
            Some(Value::String(s)) if s.trim().is_empty() => {
                let name = self.name(key);
                Err(Error::invalid(
                    name.clone(),
                    format!("`{name}` must not be empty."),
                ))
            }
            Some(Value::String(s)) => Ok(s),
            Some(other) => Err(self.wrong_type(key, "a string", other)),
        }
    }

    /// An optional string.
    pub fn optional_str(&self, key: &str) -> Result<Option<&'a str>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.wrong_type(key, "a string", other)),
        }
    }

    /// An optional boolean; `"true"` and `"false"` as strings are accepted too, since form
    /// fields often arrive as text.
    pub fn optional_bool(&self, key: &str) -> Result<Option<bool>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(Value::String(s)) if s.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(other) => Err(self.wrong_type(key, "true or false", other)),
        }
    }

    /// An optional enum value, in any letter case.
    pub fn optional_choice<C: Choice>(&self, key: &str) -> Result<Option<C>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::String(s)) => C::parse(s).map(Some).ok_or_else(|| {
                let name = self.name(key);
                Error::invalid(
                    name.clone(),
                    format!(
                        "`{name}` must be one of {}, not {s:?}.",
                        C::VALUES.join(", ")
                    ),
                )
            }),
            Some(other) => Err(self.wrong_type(key, "a string", other)),
        }
    }

    /// An enum value that must be present, in any letter case.
    pub fn required_choice<C: Choice>(&self, key: &str) -> Result<C, Error> {
        self.optional_choice(key)?.ok_or_else(|| self.missing(key))
    }

    /// An optional non-negative integer; a string of digits is accepted too.
    pub fn optional_u64(&self, key: &str) -> Result<Option<u64>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_u64().map(Some).ok_or_else(|| {
                let name = self.name(key);
                Error::invalid(
                    name.clone(),
                    format!("`{name}` must be a whole number of 0 or more."),
                )
            }),
            Some(Value::String(s)) if s.trim().chars().all(|c| c.is_ascii_digit()) => {
                s.trim().parse().map(Some).map_err(|_| {
                    let name = self.name(key);
                    Error::invalid(name.clone(), format!("`{name}` is too large."))
                })
            }
            Some(other) => Err(self.wrong_type(key, "a whole number", other)),
        }
    }

    /// A non-negative integer that must be present.
    pub fn required_u64(&self, key: &str) -> Result<u64, Error> {
        self.optional_u64(key)?.ok_or_else(|| self.missing(key))
    }

    /// An optional JSON array.
    pub fn optional_array(&self, key: &str) -> Result<Option<&'a Vec<Value>>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Array(items)) => Ok(Some(items)),
            Some(other) => Err(self.wrong_type(key, "an array", other)),
        }
    }

    /// An optional nested object, read with the same rules under the name `key.`.
    pub fn optional_object(&self, key: &str) -> Result<Option<Fields<'a>>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Fields {
                map,
                prefix: format!("{}.", self.name(key)),
            })),
            Some(other) => Err(self.wrong_type(key, "an object", other)),
        }
    }

    /// Element `index` of an array field, read as an object named `key[index].`.
    pub fn item(&self, key: &str, index: usize, value: &'a Value) -> Result<Fields<'a>, Error> {
        let name = format!("{}[{index}]", self.name(key));
        match value {
            Value::Object(map) => Ok(Fields {
                map,
                prefix: format!("{name}."),
            }),
            _ => Err(Error::invalid(
                name.clone(),
                format!("`{name}` must be an object."),
            )),
        }
    }

    /// A string given either plainly or as LinkedIn's UGC `{"text": "..."}` wrapper.
    pub fn optional_text(&self, key: &str) -> Result<Option<&'a str>, Error> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(Value::Object(o)) => match o.get("text") {
                Some(Value::String(s)) if !s.is_empty() => Ok(Some(s)),
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(_)) => Ok(None),
                Some(other) => Err(self.wrong_type(key, "a string or {\"text\": string}", other)),
            },
            Some(other) => Err(self.wrong_type(key, "a string or {\"text\": string}", other)),
        }
    }

    fn missing(&self, key: &str) -> Error {
        let name = self.name(key);
        Error::invalid(name.clone(), format!("`{name}` is required."))
    }

    fn wrong_type(&self, key: &str, expected: &str, got: &Value) -> Error {
        let name = self.name(key);
        let got = match got {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        };
        Error::invalid(
            name.clone(),
            format!("`{name}` must be {expected}, not {got}."),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(value: &Value) -> Fields<'_> {
        Fields {
            map: value.as_object().unwrap(),
            prefix: String::new(),
        }
    }

    #[test]
    fn choices_accept_any_case() {
        assert_eq!(Visibility::parse("public"), Some(Visibility::Public));
        assert_eq!(Visibility::parse("Logged_In"), Some(Visibility::LoggedIn));
        assert_eq!(Visibility::parse("logged-in"), Some(Visibility::LoggedIn));
        assert_eq!(Visibility::parse("friends"), None);
        assert_eq!(Visibility::LoggedIn.as_str(), "LOGGED_IN");
        assert_eq!(TextFormat::Literal.as_str(), "literal");
    }

    #[test]
    fn errors_name_the_field() {
        let v = json!({"text": 5, "visibility": "friends", "blank": "  ", "flag": "yes"});
        let f = fields(&v);
        let field_of = |e: Error| match e {
            Error::InvalidInput { field, .. } => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field_of(f.required_str("text").unwrap_err()), "text");
        assert_eq!(field_of(f.required_str("author").unwrap_err()), "author");
        assert_eq!(field_of(f.required_str("blank").unwrap_err()), "blank");
        assert_eq!(
            field_of(f.optional_choice::<Visibility>("visibility").unwrap_err()),
            "visibility"
        );
        assert_eq!(field_of(f.optional_bool("flag").unwrap_err()), "flag");
        assert_eq!(f.optional_str("missing").unwrap(), None);
    }

    #[test]
    fn empty_and_null_optional_fields_are_absent() {
        let v = json!({"visibility": "", "disableReshare": null});
        let f = fields(&v);
        assert_eq!(f.optional_choice::<Visibility>("visibility").unwrap(), None);
        assert_eq!(f.optional_bool("disableReshare").unwrap(), None);
    }

    #[test]
    fn parse_object_rejects_non_objects() {
        assert!(parse_object("").unwrap().is_empty());
        assert!(parse_object("[1]").is_err());
        assert!(parse_object("{").is_err());
    }
}
