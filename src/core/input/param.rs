//! A parameter as the catalog shows it to a query editor: JSON key, title, type, help text,
//! default, example and extra JSON Schema keywords, built from the `input!` declaration.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{Field, Slot, json_name, title};

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
            name: json_name(field),
            title: title(field),
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
