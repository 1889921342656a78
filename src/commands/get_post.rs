//! get-post: one post by its URN or feed URL (Posts API).

use crate::commands::shared::engagement::READ_SCOPES;
use crate::commands::shared::posts::PostItem;
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::PAGE_READ_ROLE;
use crate::core::urn::{PostKinds, post_urn};

#[derive(Default)]
pub struct GetPost;

crate::input! {
    /// Input of get-post.
    pub struct Input {
        /// The post: urn:li:share:{id} or urn:li:ugcPost:{id} (as create-post and list-posts
        /// return it; short forms accepted), or its feed URL
        /// https://www.linkedin.com/feed/update/urn:li:share:{id}/. An activity URN
        /// (urn:li:activity:…) is refused: the Posts API does not take it.
        #[param(example = "urn:li:share:7045020441609936898")]
        pub post: String,
    }
}

impl Command for GetPost {
    const SPEC: Spec = Spec {
        name: "get-post",
        title: "Get post",
        description: "Reads one post: its id, feed URL, author, text (as plain text, the way it \
                      was typed: escapes removed, hashtags as #word, mentions as \
                      @[Name](urn)), timestamps, visibility, lifecycle state and what it carries \
                      (mediaCategory). A deleted post is not-found. Organization posts need \
                      r_organization_social (or, as LinkedIn's newer docs name it, \
                      r_organization_social_feed) and a page role; member posts need r_member_social, \
                      a restricted scope.",
        scopes: &[READ_SCOPES],
        role: PAGE_READ_ROLE,
        calls: &["GET /rest/posts/{encoded post URN}"],
        versioned: true,
    };
    type Input = Input;
    type Output = PostItem;

    fn run(input: Input, api: &mut Client<'_>) -> Result<PostItem, Error> {
        let urn = post_urn(&input.post, "post", PostKinds::Posts)?;
        let id = urn.to_string();
        let response = api
            .send(ApiRequest::get(
                Api::Rest,
                ["/posts/", &urn.path_key()].concat(),
            ))
            .map_err(|e| match e {
                Error::NotFound(_) => e.prefixed(
                    &[
                        "There is no post ",
                        &id,
                        " for this account: it was deleted, or the id is wrong. ",
                    ]
                    .concat(),
                ),
                other => other,
            })?;
        let raw = response.raw_json()?;
        PostItem::read(raw, Some(&id)).map_err(|what| response.not_json(format!("the post {what}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use crate::core::text::{TextFormat, to_little};
    use serde_json::json;

    /// What create-post sends as the commentary comes back as the text the user typed.
    #[test]
    fn the_text_create_post_sent_comes_back_as_typed() {
        let typed = "Shipping #rust_lang v2 (snake_case inside) with @[Jane Doe](urn:li:person:abc123)\n\\o/ *~<>[]{}|#2024";
        let post = json!({
            "id": "urn:li:share:7",
            "commentary": to_little(typed, TextFormat::Auto),
            "content": {"media": {"id": "urn:li:video:C5F"}}
        });
        let mut env = ScriptEnv::new().respond(200, &[], &post.to_string());
        let out = run::<GetPost>(
            &mut env,
            json!({"post": "https://www.linkedin.com/feed/update/urn:li:share:7/"}),
        )
        .unwrap();
        assert_eq!(out["text"], typed);
        assert_eq!(out["mediaCategory"], "VIDEO");
        assert_eq!(
            out["url"],
            "https://www.linkedin.com/feed/update/urn:li:share:7/"
        );
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/posts/urn%3Ali%3Ashare%3A7"
        );
    }

    #[test]
    fn a_deleted_post_is_not_found_naming_it() {
        let mut env = ScriptEnv::new().respond(404, &[], r#"{"status":404,"message":"Not Found"}"#);
        let err = run::<GetPost>(&mut env, json!({"post": "ugcPost:9"})).unwrap_err();
        assert_eq!(err.kind(), "not-found");
        assert!(err.message().contains("urn:li:ugcPost:9"), "{err}");
    }

    #[test]
    fn activity_and_other_urns_send_nothing() {
        for post in ["urn:li:activity:7", "urn:li:person:abc", "share:x", ""] {
            let mut env = ScriptEnv::new();
            assert_eq!(
                field_of(run::<GetPost>(&mut env, json!({"post": post}))),
                "post"
            );
            assert!(env.sent.is_empty());
        }
    }
}
