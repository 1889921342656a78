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

/// The scope every Lead Sync call needs.
const LEADGEN_SCOPES: &[&str] = &["r_marketing_leadgen_automation"];

pub const CUSTOM_ACTION: CommandSpec = CommandSpec {
    name: "custom-action",
    title: "Custom action",
    description: "Sends one request of your own to the LinkedIn API (api.linkedin.com, paths \
                  under /v2/ or /rest/) with the account's token and the protocol headers added, \
                  and returns the status, headers and body. The scopes needed are those of the \
                  endpoint called.",
    scopes: &[],
    calls: &["GET|POST|PUT|PATCH|DELETE /v2/... or /rest/..."],
    params: &[
        Param {
            required: true,
            enum_values: &["GET", "POST", "PUT", "PATCH", "DELETE"],
            description: "The HTTP method.",
            example: Some("\"GET\""),
            ..param("method", "Method", ParamType::String)
        },
        Param {
            required: true,
            description: "A path under /v2/ or /rest/ (such as /rest/posts/urn%3Ali%3Ashare%3A1 \
                          or /v2/userinfo), or a full https://api.linkedin.com/... URL. Any other \
                          host, a port, user info, a fragment or a .. segment is refused.",
            example: Some("\"/rest/organizationAcls?q=roleAssignee\""),
            ..param("path", "Path or URL", ParamType::String)
        },
        Param {
            description: "Query parameters as an object. Values are percent-encoded; Rest.li \
                          syntax stays readable: List(a,b) and (key:value) keep their brackets \
                          and only the values inside are encoded, arrays become List(...) and \
                          objects (key:value) records. Existing %XX escapes are kept.",
            example: Some(r#"{"q": "roleAssignee", "state": "APPROVED"}"#),
            ..param("query", "Query parameters", ParamType::Object)
        },
        Param {
            description: "Extra request headers as an object of name to value, such as \
                          X-RestLi-Method or Content-Type. Authorization, LinkedIn-Version, \
                          X-Restli-Protocol-Version and connection headers are set by the \
                          connector and may not be given.",
            example: Some(r#"{"X-RestLi-Method": "PARTIAL_UPDATE"}"#),
            ..param("headers", "Headers", ParamType::Object)
        },
        Param {
            description: "The request body for POST, PUT and PATCH: a JSON value is sent as \
                          JSON; a string is sent exactly as given (as JSON when it parses, \
                          otherwise as text unless headers set Content-Type).",
            example: Some(r#"{"patch": {"$set": {"commentary": "Updated"}}}"#),
            schema: Some(r#"{"type": ["object", "array", "string", "number", "boolean"]}"#),
            ..param("body", "Body", ParamType::Object)
        },
        Param {
            description: "The LinkedIn-Version (YYYYMM) for a /rest call, overriding the \
                          datasource's linkedinVersion setting. Not sent on /v2 calls.",
            ..LINKEDIN_VERSION
        },
    ],
};

pub const ANSWER_WEBHOOK_CHALLENGE: CommandSpec = CommandSpec {
    name: "answer-webhook-challenge",
    title: "Answer webhook challenge",
    description: "Computes the answer to LinkedIn's webhook validation GET \
                  (?challengeCode=...) with the app's client secret. Reply with this output as \
                  JSON, status 200, within 3 seconds.",
    scopes: &[],
    calls: &[],
    params: &[Param {
        required: true,
        description: "The challengeCode query parameter of LinkedIn's validation request.",
        example: Some("\"890e4665-4dfe-4ab1-b689-ed553bceeed0\""),
        ..param("challengeCode", "Challenge code", ParamType::String)
    }],
};

pub const PARSE_LEAD_NOTIFICATION: CommandSpec = CommandSpec {
    name: "parse-lead-notification",
    title: "Parse lead notification",
    description: "Verifies the X-LI-Signature of a Lead Sync webhook POST with the app's client \
                  secret, then returns its notifications (lead URN, action, form, owner); with \
                  fetchLead it also fetches each created lead with its answers.",
    scopes: LEADGEN_SCOPES,
    calls: &[
        "GET /rest/leadFormResponses/{id} (fetchLead)",
        "GET /rest/leadForms/{id} (fetchLead, when the form is not inlined)",
    ],
    params: &[
        Param {
            required: true,
            description: "The webhook request's headers as an object of name to value; must \
                          include X-LI-Signature (names in any letter case).",
            example: Some(
                r#"{"X-LI-Signature": "784c87b9a44b9df997f7700c06accf80b0e487124742d1471e779e132386db7c"}"#,
            ),
            ..param("headers", "Request headers", ParamType::Object)
        },
        Param {
            required: true,
            description: "The webhook request's body as text, exactly as received: the \
                          signature covers these bytes, so a re-serialised body fails.",
            example: Some(r#""{\"type\":\"LEAD_ACTION\",\"leadAction\":\"CREATED\"}""#),
            ..param("body", "Raw body", ParamType::String)
        },
        Param {
            default: Some("false"),
            description: "Also fetch each CREATED lead (answers and form) and add it as `lead`.",
            ..param("fetchLead", "Fetch leads", ParamType::Boolean)
        },
        LINKEDIN_VERSION,
    ],
};

pub const GET_LEAD: CommandSpec = CommandSpec {
    name: "get-lead",
    title: "Get lead",
    description: "Reads one lead gen form response with its form, and returns each answer with \
                  its question and the standard fields (EMAIL, FIRST_NAME, ...) as a map. Needs \
                  r_marketing_leadgen_automation and an ad account or page role.",
    scopes: LEADGEN_SCOPES,
    calls: &[
        "GET /rest/leadFormResponses/{id}",
        "GET /rest/leadForms/{id} (when the form is not inlined)",
    ],
    params: &[
        Param {
            required: true,
            description: "The lead: urn:li:leadGenFormResponse:{id} (as in a notification's \
                          leadUrn) or the bare id.",
            example: Some("\"urn:li:leadGenFormResponse:249592fc-d272-44ba-a7db-c2bdce579507-6\""),
            ..param("lead", "Lead", ParamType::String)
        },
        LINKEDIN_VERSION,
    ],
};

/// Every command, in the order a platform should list them.
pub const COMMANDS: &[&CommandSpec] = &[
    &GET_USER_INFO,
    &CREATE_POST,
    &CUSTOM_ACTION,
    &ANSWER_WEBHOOK_CHALLENGE,
    &PARSE_LEAD_NOTIFICATION,
    &GET_LEAD,
];

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
