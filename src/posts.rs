//! create-post: a text post as a member or an organization (Posts API).

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::catalog::CREATE_POST;
use crate::error::Error;
use crate::http::Method;
use crate::input::{Choice, Fields, LifecycleState, TextFormat, Visibility};
use crate::output::object_with_raw;
use crate::pipeline::{Api, ApiRequest, ApiResponse, Client, Env};
use crate::text;
use crate::urn::Urn;

/// The kinds of URN that may author a post.
pub const AUTHOR_KINDS: &[&str] = &["person", "organization"];

/// Input of create-post, as given (checked by [`create_post`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CreatePost {
    pub author: String,
    pub text: String,
    pub text_format: Option<TextFormat>,
    pub visibility: Option<Visibility>,
    pub lifecycle_state: Option<LifecycleState>,
    pub disable_reshare: Option<bool>,
    pub linkedin_version: Option<String>,
}

impl CreatePost {
    pub fn from_json(map: &Map<String, Value>) -> Result<CreatePost, Error> {
        let f = Fields::new(map, &CREATE_POST)?;
        Ok(CreatePost {
            author: f.required_str("author")?.to_string(),
            text: f.required_str("text")?.to_string(),
            text_format: f.optional_choice("textFormat")?,
            visibility: f.optional_choice("visibility")?,
            lifecycle_state: f.optional_choice("lifecycleState")?,
            disable_reshare: f.optional_bool("disableReshare")?,
            linkedin_version: f.optional_str("linkedinVersion")?.map(str::to_string),
        })
    }
}

/// A created post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PostCreated {
    pub id: String,
    pub url: String,
    /// LinkedIn's body, when the 201 carried one.
    #[serde(skip)]
    pub raw: Option<String>,
}

impl PostCreated {
    pub fn to_json(&self) -> String {
        object_with_raw(self, self.raw.as_deref())
    }

    /// The post from a create answer: its id from `x-restli-id`, its feed permalink.
    pub fn from_response(response: &ApiResponse) -> Result<PostCreated, Error> {
        let id = response.created_id()?;
        Ok(PostCreated {
            url: feed_url(&id),
            raw: response
                .text()
                .filter(|t| serde_json::from_str::<Value>(t).is_ok())
                .map(str::to_string),
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

impl PostBase {
    /// Checks author, text and visibility; nothing is sent when this fails.
    pub fn check(
        author: &str,
        text: &str,
        text_format: Option<TextFormat>,
        visibility: Option<Visibility>,
        lifecycle_state: Option<LifecycleState>,
        disable_reshare: Option<bool>,
    ) -> Result<PostBase, Error> {
        let author = Urn::parse_field(author, "author", AUTHOR_KINDS)?;
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
        let visibility = visibility.unwrap_or(Visibility::Public);
        if visibility == Visibility::Connections && author.kind() == "organization" {
            return Err(Error::invalid(
                "visibility",
                "`visibility` CONNECTIONS is only for member posts; organizations post PUBLIC.",
            ));
        }
        Ok(PostBase {
            commentary: text::to_little(text, text_format.unwrap_or(TextFormat::Auto)),
            author,
            visibility,
            lifecycle_state: lifecycle_state.unwrap_or(LifecycleState::Published),
            disable_reshare: disable_reshare.unwrap_or(false),
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

pub fn create_post(env: &mut dyn Env, input: CreatePost) -> Result<PostCreated, Error> {
    let base = PostBase::check(
        &input.author,
        &input.text,
        input.text_format,
        input.visibility,
        input.lifecycle_state,
        input.disable_reshare,
    )?;
    let mut client = Client::new(env, &CREATE_POST).with_version(input.linkedin_version.as_deref());
    client.version()?;
    publish(&mut client, &base, None)
}

/// `POST /rest/posts` with `base` and `content` (media, multi-image, article), and the created
/// post's URN and URL. Every command that posts goes through here.
pub fn publish(
    client: &mut Client<'_>,
    base: &PostBase,
    content: Option<Value>,
) -> Result<PostCreated, Error> {
    let response =
        client.send(ApiRequest::new(Method::Post, Api::Rest, "/posts").json(base.body(content)))?;
    PostCreated::from_response(&response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::ScriptEnv;

    fn input(author: &str, text: &str) -> CreatePost {
        CreatePost {
            author: author.into(),
            text: text.into(),
            ..CreatePost::default()
        }
    }

    #[test]
    fn posts_the_documented_body() {
        let mut env = ScriptEnv::new().respond(201, &[("x-restli-id", "urn%3Ali%3Ashare%3A1")], "");
        let created = create_post(&mut env, input("person:abc", "Hi (there) #rust")).unwrap();
        assert_eq!(created.id, "urn:li:share:1");
        assert_eq!(
            created.url,
            "https://www.linkedin.com/feed/update/urn:li:share:1/"
        );
        let sent = &env.sent[0];
        assert_eq!(sent.method, crate::http::Method::Post);
        assert_eq!(sent.url, "https://api.linkedin.com/rest/posts");
        assert_eq!(
            sent.json(),
            json!({
                "author": "urn:li:person:abc",
                "commentary": "Hi \\(there\\) {hashtag|\\#|rust}",
                "visibility": "PUBLIC",
                "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
                "lifecycleState": "PUBLISHED",
                "isReshareDisabledByAuthor": false
            })
        );
    }

    #[test]
    fn bad_input_sends_nothing() {
        let cases = [
            (input("share:1", "x"), "author"),
            (input("person:abc", "   "), "text"),
            (input("person:abc", &"a".repeat(3001)), "text"),
            (
                CreatePost {
                    visibility: Some(Visibility::Connections),
                    ..input("organization:1", "x")
                },
                "visibility",
            ),
            (
                CreatePost {
                    linkedin_version: Some("next".into()),
                    ..input("person:a", "x")
                },
                "linkedinVersion",
            ),
        ];
        for (case, field) in cases {
            let mut env = ScriptEnv::new();
            match create_post(&mut env, case) {
                Err(Error::InvalidInput { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{other:?}"),
            }
            assert!(env.sent.is_empty());
        }
    }

    #[test]
    fn exactly_3000_characters_is_allowed() {
        let mut env = ScriptEnv::new().respond(201, &[("x-restli-id", "urn:li:share:1")], "");
        assert!(create_post(&mut env, input("person:abc", &"é".repeat(3000))).is_ok());
    }

    #[test]
    fn json_input_rejects_unknown_fields() {
        let map = json!({"author": "person:a", "text": "x", "visiblity": "PUBLIC"});
        let err = CreatePost::from_json(map.as_object().unwrap()).unwrap_err();
        assert!(matches!(err, Error::InvalidInput { field, .. } if field == "visiblity"));
    }
}
