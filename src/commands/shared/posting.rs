//! What every command that creates a post shares: the checked post options, the Posts API body,
//! and `POST /rest/posts` with its answer.

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Value, json};

use crate::core::error::Error;
use crate::core::input::Choice;
use crate::core::pipeline::{Api, ApiRequest, ApiResponse, Client};
use crate::core::text::{self, TextFormat};
use crate::core::urn::Urn;

/// The kinds of URN that may author a post (and own its media).
pub const AUTHOR_KINDS: &[&str] = &["person", "organization"];

crate::choice!(
    /// LinkedIn's post `visibility`.
    Visibility { Public = "PUBLIC", Connections = "CONNECTIONS", LoggedIn = "LOGGED_IN" }
);

crate::choice!(
    /// LinkedIn's post `lifecycleState` on creation.
    LifecycleState { Published = "PUBLISHED", Draft = "DRAFT" }
);

/// A created post. Mirrors the WIT `post-created` record.
#[derive(Clone, Debug, Serialize)]
pub struct PostCreated {
    /// The post URN, decoded from `x-restli-id`.
    pub id: String,
    /// The post's feed permalink.
    pub url: String,
    /// LinkedIn's body, when the 201 carried one (usually not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<Box<RawValue>>,
}

impl PostCreated {
    /// The post from a create answer: its id from `x-restli-id`, its feed permalink.
    pub fn from_response(response: &ApiResponse) -> Result<PostCreated, Error> {
        let id = response.created_id()?;
        Ok(PostCreated {
            url: feed_url(&id),
            raw: response.raw(),
            id,
        })
    }
}

/// The permalink of a post URN (works for shares and ugcPosts).
pub fn feed_url(post_urn: &str) -> String {
    format!("https://www.linkedin.com/feed/update/{post_urn}/")
}

/// The checked parts shared by every post a command creates.
pub struct PostBase {
    pub author: Urn,
    pub commentary: String,
    pub visibility: Visibility,
    pub lifecycle_state: LifecycleState,
    pub disable_reshare: bool,
}

/// The post options as given, before they are checked.
pub struct PostOptions<'a> {
    pub author: &'a str,
    pub text: &'a str,
    pub text_format: TextFormat,
    pub visibility: Visibility,
    pub lifecycle_state: LifecycleState,
    pub disable_reshare: bool,
}

impl PostBase {
    /// Checks author, text and visibility; nothing is sent when this fails.
    pub fn check(options: PostOptions<'_>) -> Result<PostBase, Error> {
        let author = Urn::parse_field(options.author, "author", AUTHOR_KINDS)?;
        let text = options.text;
        check_text(text)?;
        if options.visibility == Visibility::Connections && author.kind() == "organization" {
            return Err(Error::invalid(
                "visibility",
                "`visibility` CONNECTIONS is only for member posts; organizations post PUBLIC.",
            ));
        }
        Ok(PostBase {
            commentary: text::to_little(text, options.text_format),
            author,
            visibility: options.visibility,
            lifecycle_state: options.lifecycle_state,
            disable_reshare: options.disable_reshare,
        })
    }

    /// The Posts API body, with `content` when given.
    pub fn body(&self, content: Option<Value>) -> Value {
        let mut body = json!({
            "author": self.author.to_string(),
            "commentary": self.commentary,
            "visibility": self.visibility.as_str(),
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": self.lifecycle_state.as_str(),
            "isReshareDisabledByAuthor": self.disable_reshare,
        });
        if let Some(content) = content {
            body["content"] = content;
        }
        body
    }
}

/// Checks a post's `text` as typed: not blank, at most 3,000 characters.
pub fn check_text(text: &str) -> Result<(), Error> {
    if text.trim().is_empty() {
        return Err(Error::invalid("text", "`text` must not be empty."));
    }
    let length = text.chars().count();
    if length > text::MAX_CHARS {
        return Err(Error::invalid(
            "text",
            format!(
                "`text` has {length} characters; LinkedIn allows at most {}.",
                text::MAX_CHARS
            ),
        ));
    }
    Ok(())
}

/// `POST /rest/posts` with `base` and `content` (media, multi-image, article), and the created
/// post's URN and URL. Every command that posts goes through here.
pub fn publish(
    api: &mut Client<'_>,
    base: &PostBase,
    content: Option<Value>,
) -> Result<PostCreated, Error> {
    let response = api
        .send(ApiRequest::new(http::Method::POST, Api::Rest, "/posts").json(&base.body(content)))?;
    PostCreated::from_response(&response)
}
