//! remove-reaction: takes back the actor's reaction to a post or a comment.

use serde::Serialize;

use crate::commands::shared::engagement::{self, WRITE_SCOPES};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::PAGE_ROLE;
use crate::core::urn::PostKinds;

#[derive(Default)]
pub struct RemoveReaction;

crate::input! {
    /// Input of remove-reaction.
    pub struct Input {
        /// What was reacted to: a post (urn:li:share:…, urn:li:ugcPost:…, urn:li:activity:… or
        /// its feed URL) or a comment (urn:li:comment:(urn:li:activity:…,…)).
        #[param(example = "urn:li:activity:7045020441100000000")]
        pub entity: String,
        /// Who reacted: urn:li:person:{id} or urn:li:organization:{id} (short forms accepted).
        #[param(example = "urn:li:person:782bbtaQ")]
        pub actor: String,
    }
}

/// A removed reaction. Mirrors the WIT `reaction-removed` record.
#[derive(Clone, Debug, Serialize)]
pub struct ReactionRemoved {
    pub entity: String,
    pub removed: bool,
}

impl Command for RemoveReaction {
    const SPEC: Spec = Spec {
        name: "remove-reaction",
        title: "Remove reaction",
        description: "Removes the member's or an organization's reaction to a post (share, \
                      ugcPost or activity URN, or a feed URL) or a comment, and returns the \
                      entity with removed: true. No reaction to remove (404) is taken as already \
                      gone, also removed: true; LinkedIn's \"No virtual resource found\" 404 \
                      (a path it does not serve) stays not-found. Needs w_member_social_feed (member) or \
                      w_organization_social_feed (organization, with the page role \
                      ADMINISTRATOR, DIRECT_SPONSORED_CONTENT_POSTER or RECRUITING_POSTER); the \
                      older w_member_social and w_organization_social are accepted too.",
        scopes: &[WRITE_SCOPES],
        role: PAGE_ROLE,
        calls: &["DELETE /rest/reactions/(actor:{encoded actor},entity:{encoded URN})"],
        versioned: true,
    };
    type Input = Input;
    type Output = ReactionRemoved;

    fn run(input: Input, api: &mut Client<'_>) -> Result<ReactionRemoved, Error> {
        let entity = engagement::target(&input.entity, "entity", PostKinds::SocialOrComment)?;
        let actor = engagement::actor(&input.actor)?;
        let path = format!(
            "/reactions/(actor:{},entity:{})",
            actor.path_key(),
            entity.path_key()
        );
        api.delete(ApiRequest::new(http::Method::DELETE, Api::Rest, path))?;
        Ok(ReactionRemoved {
            entity: entity.to_string(),
            removed: true,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    #[test]
    fn deletes_the_compound_key_and_a_404_is_gone() {
        for status in [204, 404] {
            let mut env = ScriptEnv::new().respond(status, &[], "");
            let out = run::<RemoveReaction>(
                &mut env,
                json!({"entity": "ugcPost:9", "actor": "urn:li:organization:5"}),
            )
            .unwrap();
            assert_eq!(out, json!({"entity": "urn:li:ugcPost:9", "removed": true}));
            assert_eq!(env.sent[0].method, http::Method::DELETE);
            assert_eq!(
                env.sent[0].url,
                "https://api.linkedin.com/rest/reactions/(actor:urn%3Ali%3Aorganization%3A5,entity:urn%3Ali%3AugcPost%3A9)"
            );
        }
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (json!({"entity": "video:1", "actor": "person:a"}), "entity"),
            (json!({"entity": "share:1", "actor": "person:a b"}), "actor"),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<RemoveReaction>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
