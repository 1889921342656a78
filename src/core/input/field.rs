//! The types a parameter's value can have, and how each is read from the input: every problem
//! becomes an `invalid-input` error naming the field by its full JSON name.

use serde_json::{Map, Value};

use super::{Fields, ParamType, Written, json_name};
use crate::core::error::Error;

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
        let (value, name) = take_required(fields, field, T::absent)?;
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
        match take_given(fields, field, T::absent) {
            Some((value, name)) => T::take_in(value, &name, &fields.written).map(Some),
            None => Ok(None),
        }
    }

    fn read_field_or(fields: &mut Fields, field: &str, default: Self) -> Result<Self, Error> {
        Ok(<Option<T> as Slot>::read_field(fields, field)?.or(default))
    }
}

/// A field's value and its full name, if the input has it and `absent` does not call it
/// "not given". Takes `absent` rather than the type, so that one copy serves every field type.
fn take_given(
    fields: &mut Fields,
    field: &str,
    absent: fn(&Value) -> bool,
) -> Option<(Value, String)> {
    match fields.take_field(field)? {
        (_, value) if value.is_null() || absent(&value) => None,
        (key, value) => Some((value, fields.name(&key))),
    }
}

/// A required field's value and full name; refused when missing, null, or (when the type's
/// `absent` takes `""` as absent) blank.
fn take_required(
    fields: &mut Fields,
    field: &str,
    absent: fn(&Value) -> bool,
) -> Result<(Value, String), Error> {
    let blank_is_absent = absent(&Value::String(String::new()));
    let (name, value) = match fields.take_field(field) {
        Some((key, value)) => (fields.name(&key), Some(value)),
        None => (fields.name(&json_name(field)), None),
    };
    match value {
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
