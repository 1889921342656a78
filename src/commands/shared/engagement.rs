//! What the comment and reaction commands share: their scopes, the actor, post and comment
//! references, and the reading of a list answer.
//!
//! LinkedIn moved comments and reactions to the `*_feed` permissions (the current Comments and
//! Reactions pages); older apps still hold the plain ones. Either family satisfies a command, so
//! each scope entry lists both.

use serde::Deserialize;

use crate::commands::shared::posting::AUTHOR_KINDS;
use crate::core::error::Error;
use crate::core::urn::{PostKinds, Urn, comment_parts, post_urn};

/// Writing comments and reactions, as the member or as an organization, old or `_feed` family.
pub const WRITE_SCOPES: &str =
    "w_member_social|w_organization_social|w_member_social_feed|w_organization_social_feed";

/// Reading posts, comments, reactions and their counts: one set for every read command, so
/// check-connection and a 403 say the same for each. The member read permissions are granted to
/// select developers only; an organization's posts need r_organization_social(_feed) and a page
/// role.
pub const READ_SCOPES: &str =
    "r_member_social|r_organization_social|r_member_social_feed|r_organization_social_feed";

/// Who comments or reacts: a person or an organization, full or short form.
pub fn actor(text: &str) -> Result<Urn, Error> {
    Urn::parse_field(text, "actor", AUTHOR_KINDS)
}

/// A post (share, ugcPost, activity, or a feed URL holding one), or with
/// [`PostKinds::SocialOrComment`] also a comment, written as [`comment`] writes it.
pub fn target(text: &str, field: &str, kinds: PostKinds) -> Result<Urn, Error> {
    let urn = post_urn(text, field, kinds)?;
    if urn.kind() == "comment" {
        return comment(&urn.to_string(), field).map(|(urn, _, _)| urn);
    }
    Ok(urn)
}

/// A comment URN `urn:li:comment:({parent},{id})`, written with its parent in full
/// (`(activity:1,2)` as copied from a comment link becomes `(urn:li:activity:1,2)`), with that
/// parent and the comment id.
pub fn comment(text: &str, field: &str) -> Result<(Urn, Urn, String), Error> {
    let urn = Urn::parse_field(text, field, &["comment"])?;
    let malformed = || {
        Error::invalid(
            field,
            format!("`{field}` must look like urn:li:comment:(urn:li:activity:{{id}},{{id}})."),
        )
    };
    let (parent, id) = comment_parts(&urn).ok_or_else(malformed)?;
    let full = Urn::new("comment", &format!("({parent},{id})")).map_err(|_| malformed())?;
    let id = id.to_string();
    Ok((full, parent, id))
}

/// Who did something and when (LinkedIn's audit stamp, `created` of a comment or reaction).
#[derive(Debug, Default, Deserialize)]
pub struct AuditStamp {
    pub actor: Option<String>,
    /// Epoch milliseconds.
    pub time: Option<i64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_references_are_written_in_full() {
        let (urn, parent, id) = comment("urn:li:comment:(activity:7,8)", "comment").unwrap();
        assert_eq!(urn.to_string(), "urn:li:comment:(urn:li:activity:7,8)");
        assert_eq!(parent.to_string(), "urn:li:activity:7");
        assert_eq!(id, "8");
        for bad in [
            "urn:li:share:7",
            "urn:li:comment:8",
            "urn:li:comment:(urn:li:person:a,8)",
            "urn:li:comment:(urn:li:activity:7,x)",
        ] {
            assert_eq!(
                comment(bad, "parentComment").unwrap_err().field(),
                Some("parentComment"),
                "{bad}"
            );
        }
        assert_eq!(
            target(
                "comment:(ugcPost:1,2)",
                "entity",
                PostKinds::SocialOrComment
            )
            .unwrap()
            .to_string(),
            "urn:li:comment:(urn:li:ugcPost:1,2)"
        );
    }

    #[test]
    fn actors_are_people_or_organizations() {
        assert_eq!(
            actor("organization:2414183").unwrap().to_string(),
            "urn:li:organization:2414183"
        );
        for bad in [
            "urn:li:share:1",
            "organization:abc",
            "urn:li:sponsoredAccount:1",
        ] {
            assert_eq!(actor(bad).unwrap_err().field(), Some("actor"), "{bad}");
        }
    }
}
