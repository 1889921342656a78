//! list-comments: one page of the comments on a post, or of the replies to a comment.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::commands::shared::engagement::{self, AuditStamp, READ_SCOPES};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::input::scalar_text;
use crate::core::json;
use crate::core::paging::{self, Count, Page};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::PAGE_READ_ROLE;
use crate::core::urn::{PostKinds, Urn, comment_parts};

#[derive(Default)]
pub struct ListComments;

crate::input! {
    /// Input of list-comments.
    pub struct Input {
        /// The post: urn:li:share:…, urn:li:ugcPost:…, urn:li:activity:… (what most copied feed
        /// URLs hold) or its feed URL; or a comment URN urn:li:comment:(urn:li:activity:…,…) to
        /// list that comment's replies.
        #[param(example = "urn:li:activity:7045020441100000000")]
        pub post: String,
        /// Comments per page, 1 to 100.
        pub count: Count = Count::DEFAULT,
        /// How many comments to skip; merge the previous page's next to get the following one.
        pub start: u32 = 0,
    }
}

/// One comment. Mirrors the WIT `comment` record.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommentItem {
    /// `commentUrn`, the key to reply, react or delete with.
    pub urn: Option<String>,
    pub id: Option<String>,
    pub actor: Option<String>,
    /// `message.text`, as LinkedIn stores it.
    pub text: Option<String>,
    pub created_at: Option<i64>,
    pub parent_comment: Option<String>,
    pub raw: Box<RawValue>,
}

impl Command for ListComments {
    const SPEC: Spec = Spec {
        name: "list-comments",
        title: "List comments",
        description: "Lists one page of the comments on a post (share, ugcPost or activity URN, \
                      or a feed URL), or of the replies to a comment (a comment URN): urn, id, \
                      actor, text, createdAt and parentComment of each, and next, the input to \
                      merge for the following page (null at the end). Needs \
                      r_organization_social_feed or r_organization_social for an organization's \
                      posts, with the page role ADMINISTRATOR or DIRECT_SPONSORED_CONTENT_POSTER; \
                      LinkedIn grants the member read permissions (r_member_social, \
                      r_member_social_feed) to select developers only.",
        scopes: &[READ_SCOPES],
        role: PAGE_READ_ROLE,
        calls: &["GET /rest/socialActions/{encoded post or comment URN}/comments"],
        versioned: true,
    };
    type Input = Input;
    type Output = Page<CommentItem>;

    fn run(input: Input, api: &mut Client<'_>) -> Result<Page<CommentItem>, Error> {
        let post = engagement::target(&input.post, "post", PostKinds::SocialOrComment)?;
        let request = ApiRequest::get(
            Api::Rest,
            format!("/socialActions/{}/comments", post.path_key()),
        )
        .paged(input.start, input.count.0);
        let response = api.send(request)?;
        let (elements, next) = paging::read(&response, input.start, input.count)?;
        Ok(Page {
            items: elements.into_iter().map(item).collect(),
            next,
        })
    }
}

/// A comment element, as far as an item reads it.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Comment {
    /// A string, or a number.
    id: Option<Value>,
    comment_urn: Option<String>,
    actor: Option<String>,
    message: Option<Message>,
    created: Option<AuditStamp>,
    parent_comment: Option<String>,
}

#[derive(Deserialize)]
struct Message {
    text: Option<String>,
}

/// A comment element; keyed on `commentUrn`, since `object` need not be the URN asked about.
/// An element that is not a comment object keeps only its `raw`.
fn item(raw: &RawValue) -> CommentItem {
    let comment: Comment = json::object(raw.get()).unwrap_or_default();
    let created = comment.created.unwrap_or_default();
    let id = comment.id.as_ref().and_then(scalar_text).or_else(|| {
        let urn = Urn::parse(comment.comment_urn.as_deref()?).ok()?;
        comment_parts(&urn).map(|(_, id)| id.to_string())
    });
    CommentItem {
        id,
        urn: comment.comment_urn,
        actor: comment.actor.or(created.actor),
        text: comment.message.and_then(|m| m.text),
        created_at: created.time,
        parent_comment: comment.parent_comment,
        raw: raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    const PAGE: &str = r#"{"paging":{"start":0,"count":2,"total":5},"elements":[
        {"id":"6636062862760562688","commentUrn":"urn:li:comment:(urn:li:activity:1,6636062862760562688)","actor":"urn:li:person:782bbtaQ","object":"urn:li:ugcPost:9","message":{"text":"Great (post)!","attributes":[]},"created":{"actor":"urn:li:person:782bbtaQ","time":1582160678569}},
        {"commentUrn":"urn:li:comment:(urn:li:activity:1,7)","created":{"actor":"urn:li:organization:2414183"},"parentComment":"urn:li:comment:(urn:li:activity:1,6636062862760562688)"}]}"#;

    #[test]
    fn reads_a_page_and_its_next() {
        let mut env = ScriptEnv::new().respond(200, &[], PAGE);
        let out = run::<ListComments>(
            &mut env,
            json!({"post": "https://www.linkedin.com/feed/update/urn:li:activity:1/", "count": 2}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/socialActions/urn%3Ali%3Aactivity%3A1/comments?start=0&count=2"
        );
        assert_eq!(out["next"], json!({"start": 2}));
        let items = out["items"].as_array().unwrap();
        assert_eq!(items[0]["text"], "Great (post)!");
        assert_eq!(items[0]["createdAt"], 1582160678569_i64);
        assert_eq!(items[0]["raw"]["object"], "urn:li:ugcPost:9");
        assert_eq!(items[1]["id"], "7");
        assert_eq!(items[1]["actor"], "urn:li:organization:2414183");
        assert_eq!(items[1]["text"], Value::Null);
        assert_eq!(
            items[1]["parentComment"],
            "urn:li:comment:(urn:li:activity:1,6636062862760562688)"
        );
    }

    #[test]
    fn replies_are_listed_under_the_comment() {
        let mut env = ScriptEnv::new().respond(200, &[], r#"{"elements":[]}"#);
        let out = run::<ListComments>(
            &mut env,
            json!({"post": "urn:li:comment:(activity:1,2)", "start": 20}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/socialActions/urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A1%2C2%29/comments?start=20&count=10"
        );
        assert_eq!(out, json!({"items": [], "next": null}));
    }

    #[test]
    fn a_body_without_elements_is_a_decode_error() {
        let mut env = ScriptEnv::new().respond(200, &[], r#"{"paging":{}}"#);
        let err = run::<ListComments>(&mut env, json!({"post": "share:1"})).unwrap_err();
        assert_eq!(err.kind(), "decode");
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (json!({"post": "urn:li:person:abc"}), "post"),
            (json!({"post": "urn:li:share:x1"}), "post"),
            (json!({"post": "share:1", "count": 0}), "count"),
            (json!({"post": "share:1", "count": 101}), "count"),
            (json!({"post": "share:1", "start": -1}), "start"),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<ListComments>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
