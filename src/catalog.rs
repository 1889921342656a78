//! The command catalog: what `datasource.describe` returns, what the input reader checks keys
//! against, and what the README's command reference is generated from. One table, so the form a
//! query editor renders cannot drift from what the command accepts.

use serde_json::{Map, Value, json};

use crate::input::{Choice, LifecycleState, TextFormat, Visibility};
use crate::pipeline::DEFAULT_VERSION;

/// The JSON type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParamType {
    String,
    Integer,
    Boolean,
    Object,
    Array,
}

impl ParamType {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamType::String => "string",
            ParamType::Integer => "integer",
            ParamType::Boolean => "boolean",
            ParamType::Object => "object",
            ParamType::Array => "array",
        }
    }
}

/// One input parameter.
#[derive(Debug)]
pub struct Param {
    pub name: &'static str,
    pub title: &'static str,
    pub ty: ParamType,
    pub required: bool,
    pub enum_values: &'static [&'static str],
    /// JSON text.
    pub default: Option<&'static str>,
    pub description: &'static str,
    /// JSON text.
    pub example: Option<&'static str>,
    /// Extra JSON Schema keywords, as a JSON object text (`{"maxLength": 3000}`).
    pub schema: Option<&'static str>,
}

/// One command.
#[derive(Debug)]
pub struct CommandSpec {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub scopes: &'static [&'static str],
    pub calls: &'static [&'static str],
    pub params: &'static [Param],
}

const fn param(name: &'static str, title: &'static str, ty: ParamType) -> Param {
    Param {
        name,
        title,
        ty,
        required: false,
        enum_values: &[],
        default: None,
        description: "",
        example: None,
        schema: None,
    }
}

const LINKEDIN_VERSION: Param = Param {
    description: "The LinkedIn-Version (YYYYMM) for this call, overriding the datasource's \
                  linkedinVersion setting.",
    example: Some("\"202609\""),
    schema: Some(r#"{"pattern": "^[0-9]{6}(\\.[0-9]{2})?$"}"#),
    ..param("linkedinVersion", "LinkedIn API version", ParamType::String)
};

pub const GET_USER_INFO: CommandSpec = CommandSpec {
    name: "get-user-info",
    title: "Get user info",
    description: "Reads the member behind the connected account (OpenID Connect userinfo): \
                  id, person URN for posting, name, email (with the email scope), picture and \
                  locale.",
    scopes: &["openid", "profile", "email"],
    calls: &["GET /v2/userinfo"],
    params: &[],
};

pub const CREATE_POST: CommandSpec = CommandSpec {
    name: "create-post",
    title: "Create post",
    description: "Publishes a text post as the member or as an organization the member \
                  administers, and returns the post URN and its feed URL. Member posts need \
                  w_member_social; organization posts need w_organization_social and a page role.",
    scopes: &["w_member_social", "w_organization_social"],
    calls: &["POST /rest/posts"],
    params: &[
        Param {
            required: true,
            description: "Who posts: urn:li:person:{id} (the personUrn from get-user-info) or \
                          urn:li:organization:{id}; the short forms person:{id} and \
                          organization:{id} are accepted.",
            example: Some("\"urn:li:person:782bbtaQ\""),
            ..param("author", "Author", ParamType::String)
        },
        Param {
            required: true,
            description: "The post text, at most 3,000 characters. With textFormat auto, #word \
                          becomes a hashtag, @[Name](urn:li:person:id) a mention, and every \
                          other character shows exactly as typed.",
            example: Some("\"Launch day (v2) #rust\""),
            schema: Some(r#"{"maxLength": 3000}"#),
            ..param("text", "Text", ParamType::String)
        },
        Param {
            enum_values: TextFormat::VALUES,
            default: Some("\"auto\""),
            description: "auto: plain text with hashtags and mentions; literal: plain text, \
                          everything escaped; little: already in LinkedIn's little text format, \
                          sent unchanged.",
            ..param("textFormat", "Text format", ParamType::String)
        },
        Param {
            enum_values: Visibility::VALUES,
            default: Some("\"PUBLIC\""),
            description: "Who can see the post. CONNECTIONS is for member posts only.",
            ..param("visibility", "Visibility", ParamType::String)
        },
        Param {
            enum_values: LifecycleState::VALUES,
            default: Some("\"PUBLISHED\""),
            description: "PUBLISHED posts at once; DRAFT is passed to LinkedIn, which documents \
                          only PUBLISHED for creation.",
            ..param("lifecycleState", "Lifecycle state", ParamType::String)
        },
        Param {
            default: Some("false"),
            description: "Stop other members from resharing the post.",
            ..param("disableReshare", "Disable reshare", ParamType::Boolean)
        },
        LINKEDIN_VERSION,
    ],
};

/// Every command, in the order a platform should list them.
pub const COMMANDS: &[&CommandSpec] = &[&GET_USER_INFO, &CREATE_POST];

/// The command named `name`.
pub fn find(name: &str) -> Option<&'static CommandSpec> {
    COMMANDS.iter().copied().find(|c| c.name == name)
}

/// A JSON Schema (draft 2020-12) of the command's input object.
pub fn input_schema(spec: &CommandSpec) -> Value {
    let mut properties = Map::new();
    for p in spec.params {
        let mut prop = Map::new();
        prop.insert("type".into(), json!(p.ty.as_str()));
        prop.insert("title".into(), json!(p.title));
        prop.insert("description".into(), json!(p.description));
        if !p.enum_values.is_empty() {
            prop.insert("enum".into(), json!(p.enum_values));
        }
        if let Some(default) = p
            .default
            .and_then(|d| serde_json::from_str::<Value>(d).ok())
        {
            prop.insert("default".into(), default);
        }
        if let Some(example) = p
            .example
            .and_then(|e| serde_json::from_str::<Value>(e).ok())
        {
            prop.insert("examples".into(), json!([example]));
        }
        if let Some(Value::Object(extra)) = p.schema.and_then(|s| serde_json::from_str(s).ok()) {
            prop.extend(extra);
        }
        properties.insert(p.name.into(), Value::Object(prop));
    }
    let required: Vec<&str> = spec
        .params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name)
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": spec.title,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The default `LinkedIn-Version`, for the catalog.
pub fn default_version() -> &'static str {
    DEFAULT_VERSION
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_json_text_in_the_table_parses() {
        for spec in COMMANDS {
            for p in spec.params {
                for text in [p.default, p.example, p.schema].into_iter().flatten() {
                    assert!(
                        serde_json::from_str::<Value>(text).is_ok(),
                        "{}.{}: {text}",
                        spec.name,
                        p.name
                    );
                }
                assert!(
                    !p.description.is_empty(),
                    "{}.{} has no help text",
                    spec.name,
                    p.name
                );
            }
        }
    }

    #[test]
    fn schema_lists_required_and_enums() {
        let schema = input_schema(&CREATE_POST);
        assert_eq!(schema["required"], json!(["author", "text"]));
        assert_eq!(
            schema["properties"]["visibility"]["enum"],
            json!(["PUBLIC", "CONNECTIONS", "LOGGED_IN"])
        );
        assert_eq!(schema["properties"]["text"]["maxLength"], 3000);
    }

    #[test]
    fn names_are_unique() {
        for (i, a) in COMMANDS.iter().enumerate() {
            assert!(COMMANDS[i + 1..].iter().all(|b| b.name != a.name));
            assert_eq!(find(a.name).map(|c| c.name), Some(a.name));
        }
    }
}
