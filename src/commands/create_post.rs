//! create-post: a text post as a member or an organization (Posts API).

use crate::commands::shared::ads::AccountRef;
use crate::commands::shared::posting::{
    self, FeedDistribution, LifecycleState, PostBase, PostCreated, PostOptions, Visibility,
};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::pipeline::Client;
use crate::core::spec::PAGE_ROLE;
use crate::core::text::TextFormat;

#[derive(Default)]
pub struct CreatePost;

crate::input! {
    /// Input of create-post.
    pub struct Input {
        /// Who posts: urn:li:person:{id} (the personUrn from get-user-info) or
        /// urn:li:organization:{id}; the short forms person:{id} and organization:{id} are
        /// accepted.
        #[param(example = "urn:li:person:782bbtaQ")]
        pub author: String,
        /// The post text, at most 3,000 characters. With textFormat auto, #word becomes a
        /// hashtag, @[Name](urn:li:person:id) a mention, and every other character shows exactly
        /// as typed.
        #[param(example = "Launch day (v2) #rust", max_length = 3000)]
        pub text: String,
        /// auto: plain text with hashtags and mentions; literal: plain text, everything
        /// escaped; little: already in LinkedIn's little text format, sent unchanged.
        pub text_format: TextFormat = TextFormat::Auto,
        /// Who can see the post. CONNECTIONS is for member posts only.
        pub visibility: Visibility = Visibility::Public,
        /// PUBLISHED posts at once; DRAFT is passed to LinkedIn, which documents only PUBLISHED
        /// for creation.
        pub lifecycle_state: LifecycleState = LifecycleState::Published,
        /// Stop other members from resharing the post.
        pub disable_reshare: bool = false,
        /// MAIN_FEED (the default): the post appears in the feed. NONE: a "dark" post that
        /// appears only as an ad (create-creative sponsors it).
        pub feed_distribution: FeedDistribution = FeedDistribution::MainFeed,
        /// With feedDistribution NONE, optionally: the ad account the post is for (its id,
        /// urn:li:sponsoredAccount:{id} or sponsoredAccount:{id}), sent as
        /// adContext.dscAdAccount.
        #[param(example = "urn:li:sponsoredAccount:506223315")]
        pub ad_account: Option<AccountRef>,
    }
}

impl Command for CreatePost {
    const SPEC: Spec = Spec {
        name: "create-post",
        title: "Create post",
        description: "Publishes a text post as the member or as an organization the member \
                      administers, and returns the post URN and its feed URL. Member posts need \
                      w_member_social; organization posts need w_organization_social and a page \
                      role.",
        scopes: &["w_member_social|w_organization_social"],
        role: PAGE_ROLE,
        calls: &["POST /rest/posts"],
        versioned: true,
    };
    type Input = Input;
    type Output = PostCreated;

    fn run(input: Input, api: &mut Client<'_>) -> Result<PostCreated, Error> {
        let base = PostBase::check(PostOptions {
            author: &input.author,
            text: &input.text,
            text_format: input.text_format,
            visibility: input.visibility,
            lifecycle_state: input.lifecycle_state,
            disable_reshare: input.disable_reshare,
            feed_distribution: input.feed_distribution,
            ad_account: input.ad_account.as_ref(),
        })?;
        posting::publish(api, &base, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn posts_the_documented_body() {
        let mut env = ScriptEnv::new().respond(201, &[("x-restli-id", "urn%3Ali%3Ashare%3A1")], "");
        let out = run::<CreatePost>(
            &mut env,
            json!({"author": "person:abc", "text": "Hi (there) #rust"}),
        )
        .unwrap();
        assert_eq!(out["id"], "urn:li:share:1");
        assert_eq!(
            out["url"],
            "https://www.linkedin.com/feed/update/urn:li:share:1/"
        );
        let sent = &env.sent[0];
        assert_eq!(sent.method, http::Method::POST);
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
    fn a_dark_post_names_its_ad_account() {
        let mut env = ScriptEnv::new().respond(201, &[("x-restli-id", "urn:li:share:1")], "");
        run::<CreatePost>(
            &mut env,
            json!({"author": "organization:2414183", "text": "Ad", "feedDistribution": "none",
                   "adAccount": 506223315}),
        )
        .unwrap();
        let body = env.sent[0].json();
        assert_eq!(body["distribution"]["feedDistribution"], "NONE");
        assert_eq!(
            body["adContext"],
            json!({"dscAdAccount": "urn:li:sponsoredAccount:506223315"})
        );
        let mut env = ScriptEnv::new();
        let feed = json!({"author": "organization:1", "text": "x", "adAccount": 1});
        assert_eq!(field_of(run::<CreatePost>(&mut env, feed)), "adAccount");
        assert!(env.sent.is_empty());
    }

    #[test]
    fn bad_input_sends_nothing() {
        let cases = [
            (json!({"author": "share:1", "text": "x"}), "author"),
            (json!({"author": "person:abc", "text": "   "}), "text"),
            (
                json!({"author": "person:abc", "text": "a".repeat(3001)}),
                "text",
            ),
            (
                json!({"author": "organization:1", "text": "x", "visibility": "connections"}),
                "visibility",
            ),
            (
                json!({"author": "person:a", "text": "x", "linkedinVersion": "next"}),
                "linkedinVersion",
            ),
            (
                json!({"author": "person:a", "text": "x", "visiblity": "PUBLIC"}),
                "visiblity",
            ),
        ];
        for (input, field) in cases {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<CreatePost>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }

    #[test]
    fn exactly_3000_characters_is_allowed() {
        let mut env = ScriptEnv::new().respond(201, &[("x-restli-id", "urn:li:share:1")], "");
        let text = "é".repeat(3000);
        assert!(run::<CreatePost>(&mut env, json!({"author": "person:abc", "text": text})).is_ok());
    }
}
