//! delete-post: a post deleted; deleting one already gone is not an error (Posts API).

use serde::Serialize;

use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::PAGE_ROLE;
use crate::core::urn::{PostKinds, post_urn};

#[derive(Default)]
pub struct DeletePost;

crate::input! {
    /// Input of delete-post.
    pub struct Input {
        /// The post: urn:li:share:{id} or urn:li:ugcPost:{id} (short forms accepted), or its
        /// feed URL. An activity URN is refused: the Posts API does not take it.
        #[param(example = "urn:li:share:7045020441609936898")]
        pub post: String,
    }
}

/// A deleted post. Mirrors the WIT `post-deleted` record.
#[derive(Clone, Debug, Serialize)]
pub struct PostDeleted {
    /// The post URN.
    pub id: String,
    /// Always true: the post is gone, whether this call or an earlier one deleted it.
    pub deleted: bool,
}

impl Command for DeletePost {
    const SPEC: Spec = Spec {
        name: "delete-post",
        title: "Delete post",
        description: "Deletes a post and returns its URN with deleted: true. A post that is \
                      already gone (LinkedIn answers 404) is also deleted: true, so a retried \
                      delete is safe; LinkedIn's \"No virtual resource found\" 404 (a path it \
                      does not serve) stays not-found. Member posts need w_member_social; organization posts need \
                      w_organization_social and a page role.",
        scopes: &["w_member_social|w_organization_social"],
        role: PAGE_ROLE,
        calls: &["DELETE /rest/posts/{encoded post URN}"],
        versioned: true,
    };
    type Input = Input;
    type Output = PostDeleted;

    fn run(input: Input, api: &mut Client<'_>) -> Result<PostDeleted, Error> {
        let urn = post_urn(&input.post, "post", PostKinds::Posts)?;
        let path = ["/posts/", &urn.path_key()].concat();
        api.delete(
            ApiRequest::new(http::Method::DELETE, Api::Rest, path)
                .header("x-restli-method", "DELETE"),
        )?;
        Ok(PostDeleted {
            id: urn.to_string(),
            deleted: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn deleted_and_already_gone_are_both_deleted() {
        for status in [204, 404] {
            let mut env = ScriptEnv::new().respond(status, &[], "");
            let out = run::<DeletePost>(&mut env, json!({"post": "share:7"})).unwrap();
            assert_eq!(out, json!({"id": "urn:li:share:7", "deleted": true}));
            assert_eq!(env.sent[0].method, http::Method::DELETE);
            assert_eq!(
                env.sent[0].url,
                "https://api.linkedin.com/rest/posts/urn%3Ali%3Ashare%3A7"
            );
            assert_eq!(env.sent[0].header("x-restli-method"), Some("DELETE"));
        }
        let mut env = ScriptEnv::new().respond(403, &[], "");
        let err = run::<DeletePost>(&mut env, json!({"post": "share:7"})).unwrap_err();
        assert_eq!(err.kind(), "forbidden");
    }

    #[test]
    fn activity_urns_send_nothing() {
        let mut env = ScriptEnv::new();
        let err = run::<DeletePost>(&mut env, json!({"post": "urn:li:activity:7"}));
        assert_eq!(field_of(err), "post");
        assert!(env.sent.is_empty());
    }
}
