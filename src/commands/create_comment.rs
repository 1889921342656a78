//! create-comment: a comment on a post, or a reply to a comment, as a member or an organization.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::commands::shared::engagement::{self, WRITE_SCOPES};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::input::scalar_text;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::PAGE_ROLE;
use crate::core::urn::{PostKinds, Urn, comment_parts};

#[derive(Default)]
pub struct CreateComment;

/// LinkedIn's limit on a comment's text.
const MAX_CHARS: usize = 1250;

crate::input! {
    /// Input of create-comment.
    pub struct Input {
        /// The post: urn:li:share:…, urn:li:ugcPost:…, urn:li:activity:… (what most copied feed
        /// URLs hold) or its feed URL.
        #[param(example = "urn:li:activity:7045020441100000000")]
        pub post: String,
        /// Who comments: urn:li:person:{id} or urn:li:organization:{id} (short forms accepted).
        #[param(example = "urn:li:person:782bbtaQ")]
        pub actor: String,
        /// The comment, at most 1,250 characters, sent exactly as given (no hashtag or mention
        /// formatting).
        #[param(example = "Thanks for sharing (great read)!", max_length = 1250)]
        pub text: String,
        /// To reply to a comment: its URN, urn:li:comment:(urn:li:activity:…,…).
        #[param(example = "urn:li:comment:(urn:li:activity:7045020441100000000,6636062862760562688)")]
        pub parent_comment: Option<String>,
    }
}

/// A comment LinkedIn created. Mirrors the WIT `comment-created` record.
#[derive(Clone, Debug, Serialize)]
pub struct CommentCreated {
    /// The comment URN; none when LinkedIn named only the id and the activity is unknown.
    pub urn: Option<String>,
    pub id: String,
    pub raw: Option<Box<RawValue>>,
}

/// The body of `POST /rest/socialActions/{target}/comments`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewComment<'a> {
    actor: String,
    object: String,
    message: Message<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent_comment: Option<String>,
}

/// A comment's text: sent as given, comments are not little text.
#[derive(Serialize)]
struct Message<'a> {
    text: &'a str,
}

/// What the answer to the create may say of the new comment (often nothing: an empty body and
/// the id in `x-restli-id`).
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Created {
    comment_urn: Option<String>,
    /// A string, or a number.
    id: Option<Value>,
}

impl Command for CreateComment {
    const SPEC: Spec = Spec {
        name: "create-comment",
        title: "Create comment",
        description: "Comments on a post (share, ugcPost or activity URN, or a feed URL), or \
                      replies to a comment with parentComment, as the member or as an \
                      organization, and returns the comment's urn and id. The text is sent \
                      unchanged. When LinkedIn's answer names only the numeric id, urn is built \
                      from the activity URN when one was given, and is null for a share or \
                      ugcPost (the comment URN holds the post's activity URN, which the connector \
                      cannot know). Replies nesting only one level deep is unverified for the \
                      API. Needs w_member_social_feed (member) or w_organization_social_feed \
                      (organization, with the page role ADMINISTRATOR, \
                      DIRECT_SPONSORED_CONTENT_POSTER or RECRUITING_POSTER); the older \
                      w_member_social and w_organization_social are accepted too.",
        scopes: &[WRITE_SCOPES],
        role: PAGE_ROLE,
        calls: &["POST /rest/socialActions/{encoded post URN, or parent comment URN}/comments"],
        versioned: true,
    };
    type Input = Input;
    type Output = CommentCreated;

    fn run(input: Input, api: &mut Client<'_>) -> Result<CommentCreated, Error> {
        let post = engagement::target(&input.post, "post", PostKinds::SocialOrComment)?;
        if post.kind() == "comment" {
            return Err(Error::invalid(
                "post",
                "`post` is a comment URN; to reply, give it as parentComment and its post as post.",
            ));
        }
        let actor = engagement::actor(&input.actor)?;
        let length = input.text.chars().count();
        if length > MAX_CHARS {
            return Err(Error::invalid(
                "text",
                format!("`text` has {length} characters; LinkedIn allows at most {MAX_CHARS}."),
            ));
        }
        let parent = match &input.parent_comment {
            Some(text) => Some(engagement::comment(text, "parentComment")?),
            None => None,
        };
        let mut body = NewComment {
            actor: actor.to_string(),
            object: post.to_string(),
            message: Message { text: &input.text },
            parent_comment: None,
        };
        // The activity the new comment's URN will hold, when it is known for sure.
        let mut activity = (post.kind() == "activity").then(|| post.clone());
        let target = match &parent {
            Some((comment, of, _)) => {
                if of.kind() == post.kind() && of.id() != post.id() {
                    return Err(Error::invalid(
                        "parentComment",
                        format!("`parentComment` is a comment on {of}, not on {post}."),
                    ));
                }
                body.parent_comment = Some(comment.to_string());
                activity = (of.kind() == "activity").then(|| of.clone());
                comment
            }
            None => &post,
        };
        let path = format!("/socialActions/{}/comments", target.path_key());
        let response =
            api.send(ApiRequest::new(http::Method::POST, Api::Rest, path).json(&body))?;
        let answer: Created =
            crate::core::json::objects::from_slice(&response.body).unwrap_or_default();
        let mut urn = answer.comment_urn;
        let created = response
            .created_id()
            .ok()
            .or_else(|| answer.id.as_ref().and_then(scalar_text));
        if let Some(id) = created
            .as_deref()
            .filter(|id| id.starts_with("urn:li:comment:"))
        {
            urn.get_or_insert_with(|| id.to_string());
        }
        let id = match urn.as_deref().and_then(|u| Urn::parse(u).ok()) {
            Some(u) => comment_parts(&u).map(|(_, id)| id.to_string()),
            None => None,
        }
        .or(created)
        .ok_or_else(|| response.not_json("it names no comment id and has no x-restli-id"))?;
        if urn.is_none() {
            urn = activity.map(|a| format!("urn:li:comment:({a},{id})"));
        }
        Ok(CommentCreated {
            urn,
            id,
            raw: response.raw(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn comments_with_the_text_unchanged_and_prefers_the_body_urn() {
        let body = r#"{"id":"456","commentUrn":"urn:li:comment:(urn:li:activity:9,456)","actor":"urn:li:person:a"}"#;
        let mut env = ScriptEnv::new().respond(201, &[("x-restli-id", "456")], body);
        let out = run::<CreateComment>(
            &mut env,
            json!({"post": "share:1", "actor": "person:a", "text": " #hi (you) @[x] "}),
        )
        .unwrap();
        assert_eq!(out["urn"], "urn:li:comment:(urn:li:activity:9,456)");
        assert_eq!(out["id"], "456");
        let sent = &env.sent[0];
        assert_eq!(
            sent.url,
            "https://api.linkedin.com/rest/socialActions/urn%3Ali%3Ashare%3A1/comments"
        );
        assert_eq!(
            sent.json(),
            json!({"actor": "urn:li:person:a", "object": "urn:li:share:1", "message": {"text": " #hi (you) @[x] "}})
        );
    }

    #[test]
    fn header_id_builds_the_urn_only_from_a_known_activity() {
        let cases = [
            (
                json!({"post": "activity:9"}),
                Value::from("urn:li:comment:(urn:li:activity:9,456)"),
            ),
            (json!({"post": "ugcPost:9"}), Value::Null),
            (
                json!({"post": "ugcPost:9", "parentComment": "urn:li:comment:(urn:li:activity:8,3)"}),
                Value::from("urn:li:comment:(urn:li:activity:8,456)"),
            ),
        ];
        for (mut input, urn) in cases {
            input["actor"] = "organization:2414183".into();
            input["text"] = "x".into();
            let mut env = ScriptEnv::new().respond(201, &[("x-restli-id", "456")], "");
            let out = run::<CreateComment>(&mut env, input.clone()).unwrap();
            assert_eq!(out["urn"], urn, "{input}");
            assert_eq!(out["id"], "456");
            assert_eq!(out["raw"], Value::Null);
        }
    }

    #[test]
    fn a_reply_goes_to_the_parent_comment() {
        let mut env = ScriptEnv::new().respond(201, &[("x-restli-id", "5")], "");
        run::<CreateComment>(
            &mut env,
            json!({"post": "activity:1", "actor": "person:a", "text": "x", "parentComment": "comment:(activity:1,2)"}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/socialActions/urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A1%2C2%29/comments"
        );
        assert_eq!(
            env.sent[0].json()["parentComment"],
            "urn:li:comment:(urn:li:activity:1,2)"
        );
    }

    #[test]
    fn no_id_at_all_is_a_decode_error() {
        let mut env = ScriptEnv::new().respond(201, &[], "");
        let err = run::<CreateComment>(
            &mut env,
            json!({"post": "activity:1", "actor": "person:a", "text": "x"}),
        )
        .unwrap_err();
        assert_eq!(err.kind(), "decode");
    }

    #[test]
    fn bad_input_sends_nothing() {
        let ok = json!({"post": "activity:1", "actor": "person:a", "text": "x"});
        let with = |key: &str, value: Value| {
            let mut input = ok.clone();
            input[key] = value;
            input
        };
        for (input, field) in [
            (with("post", "urn:li:person:a".into()), "post"),
            (with("post", "comment:(activity:1,2)".into()), "post"),
            (with("actor", "share:1".into()), "actor"),
            (with("text", "  ".into()), "text"),
            (with("text", "é".repeat(1251).into()), "text"),
            (with("parentComment", "activity:1".into()), "parentComment"),
            (
                with("parentComment", "comment:(activity:2,3)".into()),
                "parentComment",
            ),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<CreateComment>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
        let mut env = ScriptEnv::new().respond(201, &[("x-restli-id", "1")], "");
        assert!(run::<CreateComment>(&mut env, with("text", "é".repeat(1250).into())).is_ok());
    }
}
