//! react: a reaction (like, celebrate, …) to a post or a comment, as a member or an organization.

use serde::Serialize;
use serde_json::value::RawValue;

use crate::commands::shared::engagement::{self, WRITE_SCOPES};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::PAGE_ROLE;
use crate::core::urn::PostKinds;

#[derive(Default)]
pub struct React;

crate::choice!(
    /// LinkedIn's reaction types, as the UI names them: Like, Celebrate, Love, Insightful,
    /// Support, Funny.
    ReactionType {
        Like = "LIKE",
        Praise = "PRAISE",
        Empathy = "EMPATHY",
        Interest = "INTEREST",
        Appreciation = "APPRECIATION",
        Entertainment = "ENTERTAINMENT",
    }
);

crate::input! {
    /// Input of react.
    pub struct Input {
        /// What to react to: a post (urn:li:share:…, urn:li:ugcPost:…, urn:li:activity:… or its
        /// feed URL) or a comment (urn:li:comment:(urn:li:activity:…,…)).
        #[param(example = "urn:li:activity:7045020441100000000")]
        pub entity: String,
        /// Who reacts: urn:li:person:{id} or urn:li:organization:{id} (short forms accepted).
        #[param(example = "urn:li:person:782bbtaQ")]
        pub actor: String,
        /// LIKE (Like), PRAISE (Celebrate), EMPATHY (Love), INTEREST (Insightful), APPRECIATION
        /// (Support) or ENTERTAINMENT (Funny); any letter case.
        #[param(example = "PRAISE")]
        pub reaction_type: ReactionType,
    }
}

/// A reaction LinkedIn recorded. Mirrors the WIT `reaction-created` record.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReactionCreated {
    pub entity: String,
    pub reaction_type: ReactionType,
    pub raw: Option<Box<RawValue>>,
}

/// The body of `POST /rest/reactions`: what is reacted to, and how.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct NewReaction {
    root: String,
    reaction_type: ReactionType,
}

impl Command for React {
    const SPEC: Spec = Spec {
        name: "react",
        title: "React",
        description: "Reacts to a post (share, ugcPost or activity URN, or a feed URL) or a \
                      comment as the member or as an organization, and returns the entity and \
                      the reaction type. What LinkedIn does when the actor has already reacted \
                      is unverified; its answer is passed through (an error keeps its status and \
                      body). Needs w_member_social_feed (member) or w_organization_social_feed \
                      (organization, with the page role ADMINISTRATOR, \
                      DIRECT_SPONSORED_CONTENT_POSTER or RECRUITING_POSTER); the older \
                      w_member_social and w_organization_social are accepted too.",
        scopes: &[WRITE_SCOPES],
        role: PAGE_ROLE,
        calls: &["POST /rest/reactions?actor={encoded actor}"],
        versioned: true,
    };
    type Input = Input;
    type Output = ReactionCreated;

    fn run(input: Input, api: &mut Client<'_>) -> Result<ReactionCreated, Error> {
        let entity = engagement::target(&input.entity, "entity", PostKinds::SocialOrComment)?;
        let actor = engagement::actor(&input.actor)?;
        let request = ApiRequest::new(http::Method::POST, Api::Rest, "/reactions")
            .query("actor", &actor.to_string())
            .json(&NewReaction {
                root: entity.to_string(),
                reaction_type: input.reaction_type,
            });
        let response = api.send(request)?;
        Ok(ReactionCreated {
            entity: entity.to_string(),
            reaction_type: input.reaction_type,
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
    fn posts_the_root_and_type() {
        let mut env = ScriptEnv::new().respond(201, &[], "");
        let out = run::<React>(
            &mut env,
            json!({"entity": "https://www.linkedin.com/feed/update/urn:li:activity:7/", "actor": "person:a", "reactionType": "praise"}),
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"entity": "urn:li:activity:7", "reactionType": "PRAISE", "raw": null})
        );
        let sent = &env.sent[0];
        assert_eq!(
            sent.url,
            "https://api.linkedin.com/rest/reactions?actor=urn%3Ali%3Aperson%3Aa"
        );
        assert_eq!(
            sent.json(),
            json!({"root": "urn:li:activity:7", "reactionType": "PRAISE"})
        );
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (
                json!({"entity": "share:1", "actor": "person:a", "reactionType": "MAYBE"}),
                "reactionType",
            ),
            (
                json!({"entity": "person:a", "actor": "person:a", "reactionType": "LIKE"}),
                "entity",
            ),
            (
                json!({"entity": "share:1", "actor": "comment:(activity:1,2)", "reactionType": "LIKE"}),
                "actor",
            ),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<React>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
