//! delete-comment: removes a comment (or a reply) the actor wrote.

use serde::Serialize;

use crate::commands::shared::engagement::{self, WRITE_SCOPES};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::PAGE_ROLE;

#[derive(Default)]
pub struct DeleteComment;

crate::input! {
    /// Input of delete-comment.
    pub struct Input {
        /// The comment: urn:li:comment:(urn:li:activity:…,…), as list-comments and
        /// create-comment return it.
        #[param(example = "urn:li:comment:(urn:li:activity:7045020441100000000,6636062862760562688)")]
        pub comment: String,
        /// Who wrote it: urn:li:person:{id} or urn:li:organization:{id} (short forms accepted).
        #[param(example = "urn:li:person:782bbtaQ")]
        pub actor: String,
    }
}

/// A deleted comment. Mirrors the WIT `comment-deleted` record.
#[derive(Clone, Debug, Serialize)]
pub struct CommentDeleted {
    pub urn: String,
    pub deleted: bool,
}

impl Command for DeleteComment {
    const SPEC: Spec = Spec {
        name: "delete-comment",
        title: "Delete comment",
        description: "Deletes a comment or reply, as the member or the organization that wrote \
                      it, and returns its urn with deleted: true. A comment LinkedIn does not \
                      find (404) is taken as already gone, also deleted: true, so a retried \
                      delete succeeds; LinkedIn's \"No virtual resource found\" 404 (a path \
                      it does not serve) stays not-found. The call is LinkedIn's documented /v2 delete on the /rest \
                      path, which is unverified. Needs w_member_social_feed (member) or \
                      w_organization_social_feed (organization, with the page role \
                      ADMINISTRATOR, DIRECT_SPONSORED_CONTENT_POSTER or RECRUITING_POSTER); the \
                      older w_member_social and w_organization_social are accepted too.",
        scopes: &[WRITE_SCOPES],
        role: PAGE_ROLE,
        calls: &[
            "DELETE /rest/socialActions/{encoded activity URN of the comment}/comments/{id}?actor={encoded actor}",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = CommentDeleted;

    fn run(input: Input, api: &mut Client<'_>) -> Result<CommentDeleted, Error> {
        let (comment, parent, id) = engagement::comment(&input.comment, "comment")?;
        let actor = engagement::actor(&input.actor)?;
        let path = format!("/socialActions/{}/comments/{id}", parent.path_key());
        let request = ApiRequest::new(http::Method::DELETE, Api::Rest, path)
            .query("actor", &actor.to_string());
        api.delete(request)?;
        Ok(CommentDeleted {
            urn: comment.to_string(),
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
    fn deletes_under_the_activity_and_a_404_is_gone() {
        for status in [204, 404] {
            let mut env = ScriptEnv::new().respond(status, &[], "");
            let out = run::<DeleteComment>(
                &mut env,
                json!({"comment": "comment:(activity:1,2)", "actor": "organization:5"}),
            )
            .unwrap();
            assert_eq!(
                out,
                json!({"urn": "urn:li:comment:(urn:li:activity:1,2)", "deleted": true})
            );
            assert_eq!(env.sent[0].method, http::Method::DELETE);
            assert_eq!(
                env.sent[0].url,
                "https://api.linkedin.com/rest/socialActions/urn%3Ali%3Aactivity%3A1/comments/2?actor=urn%3Ali%3Aorganization%3A5"
            );
        }
        let mut env = ScriptEnv::new().respond(403, &[], "");
        let err = run::<DeleteComment>(
            &mut env,
            json!({"comment": "comment:(activity:1,2)", "actor": "person:a"}),
        )
        .unwrap_err();
        assert_eq!(err.kind(), "forbidden");
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (
                json!({"comment": "urn:li:activity:1", "actor": "person:a"}),
                "comment",
            ),
            (
                json!({"comment": "comment:(activity:1)", "actor": "person:a"}),
                "comment",
            ),
            (
                json!({"comment": "comment:(activity:1,2)", "actor": "activity:1"}),
                "actor",
            ),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<DeleteComment>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
