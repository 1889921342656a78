//! list-reactions: one page of the reactions to a post or a comment.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::commands::shared::engagement::{self, AuditStamp, READ_SCOPES};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::json;
use crate::core::paging::{self, Count, Page};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::PAGE_READ_ROLE;
use crate::core::urn::PostKinds;

#[derive(Default)]
pub struct ListReactions;

crate::input! {
    /// Input of list-reactions.
    pub struct Input {
        /// What was reacted to: a post (urn:li:share:…, urn:li:ugcPost:…, urn:li:activity:… or
        /// its feed URL) or a comment (urn:li:comment:(urn:li:activity:…,…)).
        #[param(example = "urn:li:activity:7045020441100000000")]
        pub entity: String,
        /// Reactions per page, 1 to 100.
        pub count: Count = Count::DEFAULT,
        /// How many reactions to skip; merge the previous page's next to get the following one.
        pub start: u32 = 0,
    }
}

/// One reaction. Mirrors the WIT `reaction` record.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReactionItem {
    pub actor: Option<String>,
    /// As LinkedIn sent it (LIKE, PRAISE, EMPATHY, INTEREST, APPRECIATION, ENTERTAINMENT).
    pub reaction_type: Option<String>,
    pub created_at: Option<i64>,
    pub raw: Box<RawValue>,
}

impl Command for ListReactions {
    const SPEC: Spec = Spec {
        name: "list-reactions",
        title: "List reactions",
        description: "Lists one page of the reactions to a post (share, ugcPost or activity \
                      URN, or a feed URL) or a comment: actor, reactionType and createdAt of \
                      each, and next, the input to merge for the following page (null at the \
                      end). Uses the key-in-path finder /rest/reactions/(entity:…)?q=entity; \
                      LinkedIn's clients also use ?q=entity&entity=…, and which form the current \
                      version takes is unverified: if LinkedIn refuses this one, custom-action \
                      can send the other. For counts only, get-post-engagement is cheaper. Needs \
                      r_organization_social_feed or r_organization_social for an organization's \
                      posts, with the page role ADMINISTRATOR or DIRECT_SPONSORED_CONTENT_POSTER; \
                      LinkedIn grants the member read permissions (r_member_social, \
                      r_member_social_feed) to select developers only.",
        scopes: &[READ_SCOPES],
        role: PAGE_READ_ROLE,
        calls: &["GET /rest/reactions/(entity:{encoded URN})?q=entity"],
        versioned: true,
    };
    type Input = Input;
    type Output = Page<ReactionItem>;

    fn run(input: Input, api: &mut Client<'_>) -> Result<Page<ReactionItem>, Error> {
        let entity = engagement::target(&input.entity, "entity", PostKinds::SocialOrComment)?;
        let request = ApiRequest::get(
            Api::Rest,
            format!("/reactions/(entity:{})", entity.path_key()),
        )
        .query("q", "entity")
        .paged(input.start, input.count.0);
        let response = api.send(request)?;
        let (elements, next) = paging::read(&response, input.start, input.count)?;
        Ok(Page {
            items: elements.into_iter().map(item).collect(),
            next,
        })
    }
}

/// A reaction element, as far as an item reads it.
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Reaction {
    /// `urn:li:reaction:({actor},{entity})`.
    id: Option<String>,
    reaction_type: Option<String>,
    created: Option<AuditStamp>,
}

/// A reaction element. Its actor is `created.actor`, or else the first part of its key. An
/// element that is not a reaction object keeps only its `raw`.
fn item(raw: &RawValue) -> ReactionItem {
    let reaction: Reaction = json::object(raw.get()).unwrap_or_default();
    let created = reaction.created.unwrap_or_default();
    let actor = created.actor.or_else(|| {
        let key = reaction.id?;
        let key = key.strip_prefix("urn:li:reaction:(")?;
        Some(key.split(',').next()?.to_string())
    });
    ReactionItem {
        actor,
        reaction_type: reaction.reaction_type,
        created_at: created.time,
        raw: raw.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::{Value, json};

    #[test]
    fn reads_a_page_with_the_entity_in_the_key() {
        let body = r#"{"paging":{"start":0,"count":10},"elements":[
            {"id":"urn:li:reaction:(urn:li:person:a,urn:li:activity:1)","root":"urn:li:activity:1","reactionType":"PRAISE","created":{"actor":"urn:li:person:a","time":1700000000000}},
            {"id":"urn:li:reaction:(urn:li:organization:5,urn:li:activity:1)","reactionType":"LIKE"}]}"#;
        let mut env = ScriptEnv::new().respond(200, &[], body);
        let out = run::<ListReactions>(
            &mut env,
            json!({"entity": "comment:(activity:1,2)", "count": "2"}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/reactions/(entity:urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A1%2C2%29)?q=entity&start=0&count=2"
        );
        assert_eq!(out["next"], json!({"start": 2}));
        let items = out["items"].as_array().unwrap();
        assert_eq!(items[0]["actor"], "urn:li:person:a");
        assert_eq!(items[0]["reactionType"], "PRAISE");
        assert_eq!(items[0]["createdAt"], 1700000000000_i64);
        assert_eq!(items[1]["actor"], "urn:li:organization:5");
        assert_eq!(items[1]["createdAt"], Value::Null);
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (json!({"entity": "urn:li:organization:5"}), "entity"),
            (json!({"entity": "not a urn"}), "entity"),
            (json!({"entity": "share:1", "count": 1000}), "count"),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<ListReactions>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
