//! The command catalog: what `datasource.describe` returns, what the input reader checks keys
//! against, and what the README's command reference is generated from. One table, so the form a
//! query editor renders cannot drift from what the command accepts.

use serde_json::{Map, Value, json};

use crate::input::{Choice, LifecycleState, TextFormat, Visibility};
use crate::media::MediaCategory;
use crate::media_post::PostMediaCategory;
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

/// The post options create-post and create-post-with-media share.
const TEXT_FORMAT: Param = Param {
    enum_values: TextFormat::VALUES,
    default: Some("\"auto\""),
    description: "auto: plain text with hashtags and mentions; literal: plain text, everything \
                  escaped; little: already in LinkedIn's little text format, sent unchanged.",
    ..param("textFormat", "Text format", ParamType::String)
};

const VISIBILITY: Param = Param {
    enum_values: Visibility::VALUES,
    default: Some("\"PUBLIC\""),
    description: "Who can see the post. CONNECTIONS is for member posts only.",
    ..param("visibility", "Visibility", ParamType::String)
};

const LIFECYCLE_STATE: Param = Param {
    enum_values: LifecycleState::VALUES,
    default: Some("\"PUBLISHED\""),
    description: "PUBLISHED posts at once; DRAFT is passed to LinkedIn, which documents only \
                  PUBLISHED for creation.",
    ..param("lifecycleState", "Lifecycle state", ParamType::String)
};

const DISABLE_RESHARE: Param = Param {
    default: Some("false"),
    description: "Stop other members from resharing the post.",
    ..param("disableReshare", "Disable reshare", ParamType::Boolean)
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
        TEXT_FORMAT,
        VISIBILITY,
        LIFECYCLE_STATE,
        DISABLE_RESHARE,
        LINKEDIN_VERSION,
    ],
};

pub const CREATE_POST_WITH_MEDIA: CommandSpec = CommandSpec {
    name: "create-post-with-media",
    title: "Create post with media",
    description: "Publishes a post with one image or 2-20 images, a video, a document or an \
                  article card. Give `media` that register-upload and upload-media already \
                  sent, or give the file as `mediaSource` and the command registers, uploads, \
                  waits for LinkedIn to process it, and posts, in one call.",
    scopes: &["w_member_social", "w_organization_social"],
    calls: &[
        "POST /rest/posts",
        "with mediaSource: POST /rest/{images,videos,documents}?action=initializeUpload, \
         PUT to the upload URL(s), POST /rest/videos?action=finalizeUpload, \
         GET /rest/{images,videos,documents}/{urn} until AVAILABLE",
    ],
    params: &[
        Param {
            required: true,
            description: "Who posts: urn:li:person:{id} or urn:li:organization:{id} (short \
                          forms accepted). Must own the media.",
            example: Some("\"urn:li:organization:5515715\""),
            ..param("author", "Author", ParamType::String)
        },
        Param {
            required: true,
            description: "The post text (commentary), at most 3,000 characters, written as \
                          textFormat says.",
            example: Some("\"Our new office (photos) #hiring\""),
            schema: Some(r#"{"maxLength": 3000}"#),
            ..param("text", "Text", ParamType::String)
        },
        Param {
            required: true,
            enum_values: PostMediaCategory::VALUES,
            description: "IMAGE (one image, or 2-20 as a multi-image post), VIDEO, DOCUMENT (a \
                          PDF or Office file; title required) or ARTICLE (a link card; source and \
                          title required). Any letter case.",
            example: Some("\"IMAGE\""),
            ..param("mediaCategory", "Media category", ParamType::String)
        },
        Param {
            description: "The media, already uploaded: items {id, title, altText, owner} with \
                          id an image/video/document URN (legacy urn:li:digitalmediaAsset: ids \
                          are mapped to the category's kind), or the UGC shape {status, media, \
                          title: {text}, description: {text}, originalUrl}. An ARTICLE item \
                          has source (or originalUrl), title, description and an optional \
                          thumbnail image URN.",
            example: Some(r#"[{"id": "urn:li:image:C4E10AQFoyyAjHPMQuQ", "altText": "The team"}]"#),
            schema: Some(r#"{"items": {"type": "object"}, "maxItems": 20}"#),
            ..param("media", "Media", ParamType::Array)
        },
        Param {
            description: "Instead of media: the file to upload in this call, {data (base64) or \
                          sourceUrl, contentType, fileName, title, altText}. A sourceUrl is \
                          fetched without credentials and streamed, so a large video never sits \
                          in memory; it must declare Content-Length.",
            example: Some(
                r#"{"sourceUrl": "https://cdn.example.com/launch.mp4", "contentType": "video/mp4"}"#,
            ),
            ..param(
                "mediaSource",
                "Media source (upload now)",
                ParamType::Object,
            )
        },
        Param {
            default: Some("60"),
            description: "With mediaSource: how long to wait for LinkedIn to finish processing \
                          the media before giving up (at most 600 s). When it runs out the error \
                          names the media URN so the post can be made later with media.",
            schema: Some(r#"{"minimum": 0, "maximum": 600}"#),
            ..param(
                "waitSeconds",
                "Wait for processing (seconds)",
                ParamType::Integer,
            )
        },
        TEXT_FORMAT,
        VISIBILITY,
        LIFECYCLE_STATE,
        DISABLE_RESHARE,
        LINKEDIN_VERSION,
    ],
};

pub const REGISTER_UPLOAD: CommandSpec = CommandSpec {
    name: "register-upload",
    title: "Register upload",
    description: "Asks LinkedIn where to upload an image, video or document, and returns the \
                  media URN, the upload URL (or, for video, one URL per 4 MiB part), the upload \
                  token and when the URLs expire. Pass the answer to upload-media.",
    scopes: &["w_member_social", "w_organization_social"],
    calls: &["POST /rest/{images,videos,documents}?action=initializeUpload"],
    params: &[
        Param {
            required: true,
            description: "Who will own the media: the person or organization URN that will \
                          author the post (short forms accepted).",
            example: Some("\"urn:li:person:782bbtaQ\""),
            ..param("owner", "Owner", ParamType::String)
        },
        Param {
            required: true,
            enum_values: MediaCategory::VALUES,
            description: "image (JPG, PNG, GIF), video (MP4) or document (PDF, PPT(X), DOC(X)). \
                          Any letter case.",
            example: Some("\"video\""),
            ..param("mediaCategory", "Media category", ParamType::String)
        },
        Param {
            description: "The file's exact size in bytes; required for video, which LinkedIn \
                          splits into parts by size.",
            example: Some("1055736"),
            schema: Some(r#"{"minimum": 1, "maximum": 5368709120}"#),
            ..param("fileSizeBytes", "File size (bytes)", ParamType::Integer)
        },
        Param {
            default: Some("false"),
            description: "Video only: also return a URL to upload captions to.",
            ..param("uploadCaptions", "Upload captions", ParamType::Boolean)
        },
        Param {
            default: Some("false"),
            description: "Video only: also return a URL to upload a thumbnail to.",
            ..param("uploadThumbnail", "Upload thumbnail", ParamType::Boolean)
        },
        LINKEDIN_VERSION,
    ],
};

pub const UPLOAD_MEDIA: CommandSpec = CommandSpec {
    name: "upload-media",
    title: "Upload media",
    description: "Sends a file's bytes to the upload URL(s) from register-upload, exactly as \
                  LinkedIn gave them. Images and documents: one PUT with the bearer token. \
                  Video: one PUT per part with exactly its byte range and no token, then \
                  finalizeUpload with the parts' ETags. The file is base64 `data` or a \
                  `sourceUrl`, which is streamed rather than held in memory.",
    scopes: &["w_member_social", "w_organization_social"],
    calls: &[
        "PUT {uploadUrl} (https, *.linkedin.com only)",
        "video: PUT each uploadInstructions[].uploadUrl, POST /rest/videos?action=finalizeUpload",
    ],
    params: &[
        Param {
            description: "The upload URL of an image or document, from register-upload. Must be \
                          https on a linkedin.com host; sent byte for byte.",
            example: Some(
                "\"https://www.linkedin.com/dms-uploads/C4E10AQFoyyAjHPMQuQ/uploaded-image/0?ca=vector_feedshare&ut=2H-Ih\"",
            ),
            ..param("uploadUrl", "Upload URL", ParamType::String)
        },
        Param {
            description: "A video's parts from register-upload: [{uploadUrl, firstByte, \
                          lastByte}], contiguous from byte 0 and covering the whole file.",
            schema: Some(
                r#"{"items": {"type": "object", "required": ["uploadUrl", "firstByte", "lastByte"]}}"#,
            ),
            ..param(
                "uploadInstructions",
                "Upload instructions (video)",
                ParamType::Array,
            )
        },
        Param {
            description: "The file as base64 (standard or URL-safe; a data: URL is accepted). \
                          Give this or sourceUrl.",
            example: Some(
                "\"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\"",
            ),
            ..param("data", "File (base64)", ParamType::String)
        },
        Param {
            description: "An http(s) URL to fetch the file from, without credentials; streamed, \
                          so it may be large. It must answer with Content-Length. Give this or \
                          data.",
            example: Some("\"https://cdn.example.com/launch.mp4\""),
            ..param("sourceUrl", "File URL", ParamType::String)
        },
        Param {
            description: "The file's media type (image/png, video/mp4, application/pdf). \
                          Defaults to the source's Content-Type, else application/octet-stream. \
                          Video parts are always sent as application/octet-stream.",
            example: Some("\"image/png\""),
            ..param("contentType", "Content type", ParamType::String)
        },
        Param {
            enum_values: MediaCategory::VALUES,
            description: "image, video or document; optional, used to check the other fields.",
            ..param("mediaCategory", "Media category", ParamType::String)
        },
        Param {
            description: "The media URN from register-upload; required for video (it is \
                          finalized), echoed in the output otherwise.",
            example: Some("\"urn:li:video:C5505AQH-oV1qvnFtKA\""),
            ..param("mediaUrn", "Media URN", ParamType::String)
        },
        Param {
            description: "Video: the uploadToken from register-upload, echoed to finalizeUpload \
                          (it is often \"\", which is valid).",
            example: Some("\"\""),
            ..param("uploadToken", "Upload token (video)", ParamType::String)
        },
        Param {
            description: "register-upload's expiresAt (epoch ms): when given, an expired URL is \
                          reported before any byte is sent.",
            example: Some("1650567510704"),
            ..param("expiresAt", "Expires at (epoch ms)", ParamType::Integer)
        },
        LINKEDIN_VERSION,
    ],
};

pub const GET_MEDIA_STATUS: CommandSpec = CommandSpec {
    name: "get-media-status",
    title: "Get media status",
    description: "Reads whether LinkedIn has processed an uploaded image, video or document: \
                  WAITING_UPLOAD, PROCESSING, AVAILABLE or PROCESSING_FAILED (with the reason). \
                  Reading image status needs r_member_social or r_organization_social; a token \
                  with only w_member_social gets a forbidden error that says so.",
    scopes: &[
        "r_member_social",
        "r_organization_social",
        "w_member_social",
    ],
    calls: &["GET /rest/{images,videos,documents}/{encoded URN}"],
    params: &[
        Param {
            required: true,
            enum_values: MediaCategory::VALUES,
            description: "image, video or document. Any letter case.",
            example: Some("\"video\""),
            ..param("mediaCategory", "Media category", ParamType::String)
        },
        Param {
            required: true,
            description: "The media: a bare id, its URN (urn:li:video:...), or a legacy \
                          urn:li:digitalmediaAsset: URN.",
            example: Some("\"urn:li:video:C5505AQH-oV1qvnFtKA\""),
            ..param("mediaId", "Media id or URN", ParamType::String)
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
    calls: &["GET, POST, PUT, PATCH or DELETE on /v2/... or /rest/... of api.linkedin.com"],
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
    &CREATE_POST_WITH_MEDIA,
    &REGISTER_UPLOAD,
    &UPLOAD_MEDIA,
    &GET_MEDIA_STATUS,
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
