//! Reading a command's JSON input. Every problem becomes an `invalid-input` error naming the field
//! by its JSON name, before anything is sent.
//!
//! A command declares its input once, with [`input!`](crate::input): a struct whose fields are
//! the parameters, documented by their doc comments. From that one declaration come the catalog
//! entries a query editor renders ([`Param`]), the JSON Schema, the reader (which also refuses
//! unknown keys), and the names the typed WIT record must use (`text_format` is the JSON key
//! `textFormat` and the WIT field `text-format`).

use std::borrow::Cow;
use std::rc::Rc;

use serde::Serialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::core::error::Error;

/// The JSON type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamType {
    String,
    Integer,
    Boolean,
    Object,
    Array,
}

/// One input parameter, as the catalog shows it.
#[derive(Clone, Debug)]
pub struct Param {
    /// The JSON key (camelCase).
    pub name: String,
    pub title: String,
    pub ty: ParamType,
    pub required: bool,
    pub enum_values: &'static [&'static str],
    /// JSON text.
    pub default: Option<String>,
    pub description: String,
    /// JSON text.
    pub example: Option<String>,
    /// Extra JSON Schema keywords (`maxLength`, `minimum`, ...).
    pub schema: Map<String, Value>,
}

impl Param {
    /// The parameter for field `field` (snake_case) of type `S`, described by its doc lines.
    pub fn of<S: Slot>(field: &str, doc: &[&str]) -> Param {
        let mut schema = Map::new();
        S::Value::schema(&mut schema);
        Param::new(
            field,
            doc,
            S::Value::TYPE,
            S::REQUIRED,
            S::Value::ENUM,
            schema,
        )
    }

    fn new(
        field: &str,
        doc: &[&str],
        ty: ParamType,
        required: bool,
        enum_values: &'static [&'static str],
        schema: Map<String, Value>,
    ) -> Param {
        Param {
            name: camel_case(field).into_owned(),
            title: title_case(field),
            ty,
            required,
            enum_values,
            default: None,
            description: doc
                .iter()
                .map(|line| line.trim())
                .collect::<Vec<_>>()
                .join(" ")
                .trim()
                .to_string(),
            example: None,
            schema,
        }
    }

    /// The value used when the key is absent (which makes the parameter optional).
    pub fn default_value(mut self, value: &impl Serialize) -> Param {
        self.default = serde_json::to_string(value).ok();
        self.required = false;
        self
    }

    pub fn title(mut self, title: &str) -> Param {
        self.title = title.to_string();
        self
    }

    pub fn example(mut self, value: impl Serialize) -> Param {
        self.example = serde_json::to_string(&value).ok();
        self
    }

    /// An example given as JSON text (`{"amount": "50"}`): data rather than the code that
    /// builds a `json!` value, which an object example costs in every command that has one.
    pub fn example_json(mut self, text: &str) -> Param {
        self.example = Some(text.to_string());
        self
    }

    pub fn max_length(self, n: u64) -> Param {
        self.keyword("maxLength", n)
    }

    pub fn max_items(self, n: u64) -> Param {
        self.keyword("maxItems", n)
    }

    pub fn pattern(self, regex: &str) -> Param {
        self.keyword("pattern", regex)
    }

    fn keyword(mut self, key: &str, value: impl Into<Value>) -> Param {
        self.schema.insert(key.to_string(), value.into());
        self
    }
}

/// `text_format` → `textFormat`. Most names are one word and come back borrowed: this runs for
/// every field of every call. A raw identifier names the keyword (`r#type` → `type`).
pub fn camel_case(snake: &str) -> Cow<'_, str> {
    let snake = unraw(snake);
    if !snake.contains('_') {
        return Cow::Borrowed(snake);
    }
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether the JSON key `key` is the camelCase form of `snake`, without building it.
fn is_camel_of(key: &str, snake: &str) -> bool {
    let snake = unraw(snake);
    let mut key = key.chars();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
            continue;
        }
        let want = if upper { c.to_ascii_uppercase() } else { c };
        upper = false;
        if key.next() != Some(want) {
            return false;
        }
    }
    key.next().is_none()
}

/// A field named by a raw identifier (`r#type`, a Rust keyword) as its name (`type`).
fn unraw(field: &str) -> &str {
    field.strip_prefix("r#").unwrap_or(field)
}

/// `text_format` → `Text format`.
fn title_case(snake: &str) -> String {
    let words = unraw(snake).replace('_', " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => std::iter::once(first.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}

/// A command's input: its parameters and how to read them. Written by [`input!`](crate::input).
pub trait Input: Sized {
    fn params() -> Vec<Param>;
    fn from_fields(fields: &mut Fields) -> Result<Self, Error>;
}

/// A type a parameter's value can have.
pub trait Field: Sized {
    const TYPE: ParamType;
    const ENUM: &'static [&'static str] = &[];

    /// Reads a value that is present (not null, not an empty string unless [`Field::absent`]
    /// says otherwise). `name` is the field's full JSON name for errors.
    fn read(value: &Value, name: &str) -> Result<Self, Error>;

    /// [`Field::read`] from a value the input gives up: strings (and the lists and objects that
    /// hold them) are moved rather than copied, so a 40 MiB base64 `data` exists once.
    fn take(value: Value, name: &str) -> Result<Self, Error> {
        Self::read(&value, name)
    }

    /// [`Field::take`] with the input's numbers as written: money amounts read them, lists and
    /// nested objects hand them on, every other type ignores them.
    fn take_in(value: Value, name: &str, written: &Written) -> Result<Self, Error> {
        let _ = written;
        Self::take(value, name)
    }

    /// Whether `value` means "not given": `null`, and `""` because query editors send empty
    /// form fields that way.
    fn absent(value: &Value) -> bool {
        value.is_null() || value.as_str() == Some("")
    }

    /// JSON Schema keywords beyond the type.
    fn schema(_schema: &mut Map<String, Value>) {}
}

/// How a struct field holds its value: `T` is required, `Option<T>` optional.
pub trait Slot: Sized {
    type Value: Field;
    const REQUIRED: bool;
    fn read_field(fields: &mut Fields, field: &str) -> Result<Self, Error>;
    fn read_field_or(fields: &mut Fields, field: &str, default: Self) -> Result<Self, Error>;
}

// The generic readers below are copied for every field type of every command, so each hands
// its work to a plain function and keeps only the call to the type's own reader.

impl<T: Field> Slot for T {
    type Value = T;
    const REQUIRED: bool = true;

    fn read_field(fields: &mut Fields, field: &str) -> Result<Self, Error> {
        let (value, name) = take_required(fields, field, T::absent(&Value::from("")))?;
        T::take_in(value, &name, &fields.written)
    }

    fn read_field_or(fields: &mut Fields, field: &str, default: Self) -> Result<Self, Error> {
        Ok(<Option<T> as Slot>::read_field(fields, field)?.unwrap_or(default))
    }
}

impl<T: Field> Slot for Option<T> {
    type Value = T;
    const REQUIRED: bool = false;

    fn read_field(fields: &mut Fields, field: &str) -> Result<Self, Error> {
        match take_given(fields, field) {
            Some((value, _)) if T::absent(&value) => Ok(None),
            Some((value, name)) => T::take_in(value, &name, &fields.written).map(Some),
            None => Ok(None),
        }
    }

    fn read_field_or(fields: &mut Fields, field: &str, default: Self) -> Result<Self, Error> {
        Ok(<Option<T> as Slot>::read_field(fields, field)?.or(default))
    }
}

/// A field's value (not null) and its full name, if the input has it.
fn take_given(fields: &mut Fields, field: &str) -> Option<(Value, String)> {
    let key = camel_case(field);
    match fields.take(&key)? {
        Value::Null => None,
        value => Some((value, fields.name(&key))),
    }
}

/// A required field's value and full name; refused when missing, null, or (when the type takes
/// `""` as absent) blank.
fn take_required(
    fields: &mut Fields,
    field: &str,
    blank_is_absent: bool,
) -> Result<(Value, String), Error> {
    let key = camel_case(field);
    let name = fields.name(&key);
    match fields.take(&key) {
        None | Some(Value::Null) => Err(Error::invalid(
            name.clone(),
            format!("`{name}` is required."),
        )),
        Some(Value::String(s)) if blank_is_absent && s.trim().is_empty() => Err(Error::invalid(
            name.clone(),
            format!("`{name}` must not be empty."),
        )),
        Some(value) => Ok((value, name)),
    }
}

/// The error for a value of the wrong JSON type.
pub fn wrong_type(name: &str, expected: &str, got: &Value) -> Error {
    let got = match got {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    Error::invalid(name, format!("`{name}` must be {expected}, not {got}."))
}

impl Field for String {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        match value {
            Value::String(s) => Ok(s.clone()),
            other => Err(wrong_type(name, "a string", other)),
        }
    }

    fn take(value: Value, name: &str) -> Result<Self, Error> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(wrong_type(name, "a string", &other)),
        }
    }
}

/// `"true"` and `"false"` as strings are accepted too, since form fields often arrive as text.
impl Field for bool {
    const TYPE: ParamType = ParamType::Boolean;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        match value {
            Value::Bool(b) => Ok(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
            other => Err(wrong_type(name, "true or false", other)),
        }
    }
}

/// A whole number of 0 or more; a string of digits is accepted too.
impl Field for u64 {
    const TYPE: ParamType = ParamType::Integer;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        match value {
            Value::Number(n) => n.as_u64().ok_or_else(|| {
                Error::invalid(
                    name,
                    format!("`{name}` must be a whole number of 0 or more."),
                )
            }),
            Value::String(s) if s.trim().chars().all(|c| c.is_ascii_digit()) => s
                .trim()
                .parse()
                .map_err(|_| Error::invalid(name, format!("`{name}` is too large."))),
            other => Err(wrong_type(name, "a whole number", other)),
        }
    }

    fn schema(schema: &mut Map<String, Value>) {
        schema.insert("minimum".into(), 0.into());
    }
}

impl Field for u32 {
    const TYPE: ParamType = ParamType::Integer;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        u32::try_from(<u64 as Field>::read(value, name)?)
            .map_err(|_| Error::invalid(name, format!("`{name}` is too large.")))
    }

    fn schema(schema: &mut Map<String, Value>) {
        u64::schema(schema);
    }
}

/// A list, each item read as `T` under the name `field[i]`.
impl<T: Field> Field for Vec<T> {
    const TYPE: ParamType = ParamType::Array;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        let items = array(value, name)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            out.push(T::read(item, &item_name(name, i, item)?)?);
        }
        Ok(out)
    }

    fn take(value: Value, name: &str) -> Result<Self, Error> {
        Self::take_in(value, name, &Written::default())
    }

    fn take_in(value: Value, name: &str, written: &Written) -> Result<Self, Error> {
        let mut out = Vec::new();
        each_item(value, name, &mut |item, item_name| {
            out.push(T::take_in(item, item_name, written)?);
            Ok(())
        })?;
        Ok(out)
    }
}

/// Hands each item of the array `value` to `take` with its name (`name[i]`); not generic, so
/// the lists of every item type share it.
fn each_item(
    value: Value,
    name: &str,
    take: &mut dyn FnMut(Value, &str) -> Result<(), Error>,
) -> Result<(), Error> {
    let items = match value {
        Value::Array(items) => items,
        other => return Err(wrong_type(name, "an array", &other)),
    };
    for (i, item) in items.into_iter().enumerate() {
        let item_name = item_name(name, i, &item)?;
        take(item, &item_name)?;
    }
    Ok(())
}

fn array<'a>(value: &'a Value, name: &str) -> Result<&'a Vec<Value>, Error> {
    value
        .as_array()
        .ok_or_else(|| wrong_type(name, "an array", value))
}

/// `name[i]`, the name of a list's item; a `null` item is refused.
fn item_name(name: &str, i: usize, item: &Value) -> Result<String, Error> {
    let item_name = format!("{name}[{i}]");
    if item.is_null() {
        return Err(Error::invalid(
            item_name.clone(),
            format!("`{item_name}` must not be null."),
        ));
    }
    Ok(item_name)
}

crate::input! {
    /// The input of a command that takes none: any key is refused.
    pub struct NoInput {}
}

/// A JSON value of any shape, kept as given (query values, bodies).
impl Field for Value {
    const TYPE: ParamType = ParamType::Object;

    fn read(value: &Value, _name: &str) -> Result<Self, Error> {
        Ok(value.clone())
    }

    fn take(value: Value, _name: &str) -> Result<Self, Error> {
        Ok(value)
    }
}

/// A list of name-value pairs: a JSON object (`{"X-A": "1"}`), or a list of `[name, value]`
/// pairs (the typed WIT form `list<tuple<string, string>>`). Values may be text, numbers or
/// booleans; platforms often send header values and ids as numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pairs(pub Vec<(String, Value)>);

impl Field for Pairs {
    const TYPE: ParamType = ParamType::Object;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        match value {
            Value::Object(map) => Ok(Pairs(
                map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            )),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| match item.as_array().map(Vec::as_slice) {
                    Some([Value::String(k), v]) => Ok((k.clone(), v.clone())),
                    _ => Err(Error::invalid(
                        format!("{name}[{i}]"),
                        format!("`{name}` must be an object of name to value, or a list of [name, value] pairs."),
                    )),
                })
                .collect::<Result<_, _>>()
                .map(Pairs),
            other => Err(wrong_type(name, "an object of name to value", other)),
        }
    }
}

/// A JSON string, number or boolean as text (`7`, `true`); `None` for null, lists and objects.
pub fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// An enum whose values a user types (in any letter case).
pub trait Choice: Sized + Copy + 'static {
    /// Every value, spelled as LinkedIn (or the catalog) spells it.
    const VALUES: &'static [&'static str];
    /// The variants, in the order of `VALUES`.
    const ALL: &'static [Self];

    /// The value as LinkedIn spells it.
    fn as_str(self) -> &'static str;

    /// Any letter case; `_` and `-` alike (`LOGGED_IN`, `logged-in`); and the typed WIT form's
    /// case name (`LoggedIn`) too.
    fn parse(text: &str) -> Option<Self> {
        position(text, Self::VALUES).and_then(|i| Self::ALL.get(i).copied())
    }
}

/// Where `text` is among `values`, compared as [`Choice::parse`] says. Not generic, so every
/// enum shares it.
fn position(text: &str, values: &[&str]) -> Option<usize> {
    let wanted = fold(text.trim());
    values.iter().position(|v| fold(v) == wanted)
}

/// ASCII lower case without `_` and `-`: how enum spellings are compared.
pub fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| *c != '_' && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Declares an enum whose values users type, as a [`Choice`] and a [`Field`].
#[macro_export]
macro_rules! choice {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $value:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $crate::core::input::Choice for $name {
            const VALUES: &'static [&'static str] = &[$($value),+];
            const ALL: &'static [Self] = &[$($name::$variant),+];

            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $value),+ }
            }
        }

        impl $crate::core::input::Field for $name {
            const TYPE: $crate::core::input::ParamType = $crate::core::input::ParamType::String;
            const ENUM: &'static [&'static str] = &[$($value),+];

            fn read(value: &::serde_json::Value, name: &str) -> Result<Self, $crate::core::error::Error> {
                $crate::core::input::read_choice(value, name)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str($crate::core::input::Choice::as_str(*self))
            }
        }
    };
}

/// Reads an enum value in any letter case.
pub fn read_choice<C: Choice>(value: &Value, name: &str) -> Result<C, Error> {
    let i = choice_index(value, name, C::VALUES)?;
    C::ALL
        .get(i)
        .copied()
        .ok_or_else(|| Error::invalid(name, format!("`{name}` has no such value.")))
}

/// Where an enum value is among `values`, or the error naming them all. Not generic, so every
/// enum shares it.
fn choice_index(value: &Value, name: &str, values: &[&str]) -> Result<usize, Error> {
    match value {
        Value::String(s) => position(s, values).ok_or_else(|| {
            Error::invalid(
                name,
                format!(
                    "`{name}` must be one of {}, not {}.",
                    values.join(", "),
                    crate::core::error::quoted(s)
                ),
            )
        }),
        other => Err(wrong_type(name, "a string", other)),
    }
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

    /// Rejects any key that is not one of `fields` (snake_case names, compared as camelCase), so
    /// a typo such as `visiblity` is reported instead of silently ignored.
    pub fn only(&self, fields: &[&str]) -> Result<(), Error> {
        let known = fields.iter().chain(self.also.as_ref());
        if let Some(unknown) = self
            .map
            .keys()
            .find(|k| !known.clone().any(|f| is_camel_of(k, f)))
        {
            let known: Vec<Cow<str>> = known.map(|f| camel_case(f)).collect();
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
        format!("{}{key}", self.prefix)
    }
}

/// The most a JSON input may nest; deeper input is refused rather than recursed into.
const MAX_DEPTH: usize = 64;

/// The first string this long is moved out of the input text instead of copied (base64 `data`).
const LARGE: usize = 64 * 1024;

/// Parses the text given to `execute`: a JSON object, or empty text for `{}`. A key given twice
/// at any depth is refused: a platform that checked the first `path` must not be bypassed by a
/// second one that silently wins.
pub fn parse_object(text: &str) -> Result<Map<String, Value>, Error> {
    parse_owned(text.to_string()).map(|fields| fields.map)
}

/// [`parse_object`] of an input the caller gives up, as the fields a command reads, with its
/// numbers as written ([`Written`]). The first long string without escapes (base64 `data`)
/// keeps the input's own buffer instead of being copied, so an input of 40 MiB needs 40 MiB,
/// not 80.
pub fn parse_owned(mut text: String) -> Result<Fields, Error> {
    if text.trim().is_empty() {
        return Ok(Fields::new(Map::new()));
    }
    let mut reading = Reading {
        duplicate: None,
        large: None,
        base: text.as_ptr() as usize,
        floats: Vec::new(),
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
    let written: Vec<(String, String)> = reading
        .floats
        .into_iter()
        .filter_map(|(name, at)| Some((name, as_written(&text, &at)?.to_string())))
        .collect();
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
        Value::Object(map) => Ok(Fields {
            written: Written(Rc::new(written)),
            ..Fields::new(map)
        }),
        _ => Err(Error::invalid("input", "The input must be a JSON object.")),
    }
}

/// The text of the value at `at` in the JSON `text`, found by reading each object and list on
/// the way as LinkedIn's bytes ([`json::members`](crate::core::json::members)).
fn as_written<'t>(text: &'t str, at: &[Seg]) -> Option<&'t str> {
    let mut raw = text;
    for seg in at {
        raw = match seg {
            Seg::Key(key) => {
                crate::core::json::member(&crate::core::json::members(raw).ok()?, key)?
            }
            Seg::Index(i) => *crate::core::json::items(raw).ok()?.get(*i)?,
        }
        .get();
    }
    Some(raw.trim())
}

/// What reading the input found beyond the value itself.
struct Reading {
    /// The path of a key given twice.
    duplicate: Option<String>,
    /// Where the longest string without escapes is, and its bytes in the input text.
    large: Option<(Vec<Seg>, std::ops::Range<usize>)>,
    /// The address of the input text, to turn a borrowed string into a range.
    base: usize,
    /// The name and path of each number serde_json read as a float.
    floats: Vec<(String, Vec<Seg>)>,
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
        self.reading.floats.push((self.path, self.at));
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
    use serde_json::json;

    #[test]
    fn camel_case_names() {
        assert!(matches!(camel_case("author"), Cow::Borrowed("author")));
        assert!(matches!(camel_case("r#type"), Cow::Borrowed("type")));
        assert!(is_camel_of("type", "r#type"));
        assert_eq!(title_case("r#type"), "Type");
        assert_eq!(camel_case("linkedin_version"), "linkedinVersion");
        for (key, snake, same) in [
            ("textFormat", "text_format", true),
            ("author", "author", true),
            ("textformat", "text_format", false),
            ("text", "text_format", false),
            ("textFormatX", "text_format", false),
            ("text_format", "text_format", false),
            ("", "", true),
        ] {
            assert_eq!(is_camel_of(key, snake), same, "{key} / {snake}");
            assert_eq!(camel_case(snake) == key, same, "{key} / {snake}");
        }
    }

    choice!(
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
    fn a_long_string_keeps_the_input_buffer_and_every_value_is_intact() {
        let long = "QUJD".repeat(40_000);
        let other = "x".repeat(LARGE + 1);
        let text = format!(
            r#"{{"a": 1, "mediaSource": {{"data": "{long}", "t": "{other}"}}, "l": ["{other}", "\u0041{long}"]}}"#
        );
        let capacity = text.capacity();
        let map = parse_owned(text).unwrap().map;
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
