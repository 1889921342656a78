//! update-post: a post's text, changed in place (Posts API partial update).

use serde::Serialize;

use crate::commands::shared::posting::check_text;
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::PAGE_ROLE;
use crate::core::text::{self, TextFormat};
use crate::core::urn::{PostKinds, post_urn};

#[derive(Default)]
pub struct UpdatePost;

crate::input! {
    /// Input of update-post.
    pub struct Input {
        /// The post: urn:li:share:{id} or urn:li:ugcPost:{id} (short forms accepted), or its
        /// feed URL. An activity URN is refused: the Posts API does not take it.
        #[param(example = "urn:li:share:7045020441609936898")]
        pub post: String,
        /// The new text, replacing the old, at most 3,000 characters. With textFormat auto,
        /// #word becomes a hashtag, @[Name](urn:li:person:id) a mention, and every other
        /// character shows exactly as typed.
        #[param(example = "Launch day (v2), now with a link #rust", max_length = 3000)]
        pub text: String,
        /// auto: plain text with hashtags and mentions; literal: plain text, everything
        /// escaped; little: already in LinkedIn's little text format, sent unchanged.
        pub text_format: TextFormat = TextFormat::Auto,
    }
}

/// An updated post. Mirrors the WIT `post-updated` record.
#[derive(Clone, Debug, Serialize)]
pub struct PostUpdated {
    /// The post URN.
    pub id: String,
}

/// The body of a Rest.li PARTIAL_UPDATE, `{"patch": {"$set": …}}`: the members to set.
#[derive(Serialize)]
struct Patch<T> {
    patch: Set<T>,
}

#[derive(Serialize)]
struct Set<T> {
    #[serde(rename = "$set")]
    set: T,
}

/// The one member update-post sets: the post's text, in little text.
#[derive(Serialize)]
struct Commentary<'a> {
    commentary: &'a str,
}

impl Command for UpdatePost {
    const SPEC: Spec = Spec {
        name: "update-post",
        title: "Update post",
        description: "Replaces a post's text (its commentary), written like create-post's, and \
                      returns the post URN. Member posts need w_member_social; organization \
                      posts need w_organization_social and a page role.",
        scopes: &["w_member_social|w_organization_social"],
        role: PAGE_ROLE,
        calls: &["POST /rest/posts/{encoded post URN} (PARTIAL_UPDATE of commentary)"],
        versioned: true,
    };
    type Input = Input;
    type Output = PostUpdated;

    fn run(input: Input, api: &mut Client<'_>) -> Result<PostUpdated, Error> {
        let urn = post_urn(&input.post, "post", PostKinds::Posts)?;
        check_text(&input.text)?;
        let commentary = text::to_little(&input.text, input.text_format);
        api.send(
            ApiRequest::new(
                http::Method::POST,
                Api::Rest,
                ["/posts/", &urn.path_key()].concat(),
            )
            .header("x-restli-method", "PARTIAL_UPDATE")
            .json(&Patch {
                patch: Set {
                    set: Commentary {
                        commentary: &commentary,
                    },
                },
            }),
        )?;
        Ok(PostUpdated {
            id: urn.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn patches_the_commentary() {
        let mut env = ScriptEnv::new().respond(204, &[], "");
        let out = run::<UpdatePost>(
            &mut env,
            json!({"post": "ugcPost:7", "text": "New (v3) #rust_lang"}),
        )
        .unwrap();
        assert_eq!(out, json!({"id": "urn:li:ugcPost:7"}));
        let sent = &env.sent[0];
        assert_eq!(sent.method, http::Method::POST);
        assert_eq!(
            sent.url,
            "https://api.linkedin.com/rest/posts/urn%3Ali%3AugcPost%3A7"
        );
        assert_eq!(sent.header("x-restli-method"), Some("PARTIAL_UPDATE"));
        assert_eq!(
            sent.json(),
            json!({"patch": {"$set": {"commentary": "New \\(v3\\) {hashtag|\\#|rust_lang}"}}})
        );
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (json!({"post": "activity:7", "text": "x"}), "post"),
            (json!({"post": "share:7", "text": " \n "}), "text"),
            (json!({"post": "share:7", "text": "a".repeat(3001)}), "text"),
            (
                json!({"post": "share:7", "text": "x", "textFormat": "html"}),
                "textFormat",
            ),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<UpdatePost>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
