//! URNs and post references: full URNs, the short `kind:id` form, post feed URLs, comment
//! URNs, organization references, media asset ids and lead ids, every way a user names a
//! LinkedIn entity.
//!
//! Properties: every refusal is `invalid-input` naming the field it was given; a parsed URN
//! prints as `urn:li:{kind}:{id}` and parses back to itself, in full and (but for the kind
//! `urn`) in short form; its Rest.li path key is one encoded segment that decodes back to it; a
//! post reference is one of the kinds asked for, and its own text and its feed URL parse back
//! to it.

#![no_main]

use libfuzzer_sys::fuzz_target;
use linkedin_connector::commands::shared::engagement;
use linkedin_connector::commands::shared::media::{MediaCategory, asset_urn};
use linkedin_connector::commands::shared::organization::{self, OrgRef};
use linkedin_connector::commands::shared::posting::feed_url;
use linkedin_connector::core::error::Error;
use linkedin_connector::core::leads;
use linkedin_connector::core::urn::{PostKinds, Urn, comment_parts, post_urn};
use percent_encoding::percent_decode_str;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    urn(&text);
    post_references(&text);
    other_references(&text);
    if let Some((kind, id)) = text.split_once('\n') {
        parts(kind, id);
    }
});

/// `result` is `Ok`, or `invalid-input` naming `field`.
fn names<T>(result: Result<T, Error>, field: &str, text: &str) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(e) => {
            assert_eq!(e.field(), Some(field), "{text:?}: {e:?}");
            assert!(!e.message().is_empty());
            None
        }
    }
}

fn urn(text: &str) {
    let Ok(urn) = Urn::parse(text) else {
        return;
    };
    let printed = urn.to_string();
    assert!(
        printed.starts_with("urn:li:"),
        "{text:?} printed {printed:?}"
    );
    assert!(printed.len() <= 255, "{text:?} printed {printed:?}");
    assert!(!urn.kind().is_empty() && urn.kind().bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(Urn::parse(&printed).as_ref(), Ok(&urn), "{text:?}");
    if !urn.kind().eq_ignore_ascii_case("urn") {
        let short = format!("{}:{}", urn.kind(), urn.id());
        assert_eq!(
            Urn::parse(&short).as_ref(),
            Ok(&urn),
            "{text:?} as {short:?}"
        );
    }
    assert_eq!(
        Urn::new(urn.kind(), urn.id()).as_ref(),
        Ok(&urn),
        "{text:?}"
    );
    let key = urn.path_key();
    assert!(
        key.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)),
        "{text:?}: path key {key:?}"
    );
    assert_eq!(
        percent_decode_str(&key).decode_utf8().ok().as_deref(),
        Some(printed.as_str()),
        "{text:?}"
    );
    for kinds in [&[][..], &["person", "organization"], &["share", "ugcPost"]] {
        if let Some(checked) = names(Urn::parse_field(text, "author", kinds), "author", text) {
            assert_eq!(checked, urn);
            assert!(kinds.is_empty() || kinds.contains(&checked.kind()));
        }
    }
    if let Some((parent, id)) = comment_parts(&urn) {
        assert!(["activity", "share", "ugcPost"].contains(&parent.kind()));
        assert!(!id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()));
    }
}

fn post_references(text: &str) {
    for (kinds, allowed) in [
        (PostKinds::Posts, &["share", "ugcPost"][..]),
        (PostKinds::Social, &["share", "ugcPost", "activity"]),
        (
            PostKinds::SocialOrComment,
            &["share", "ugcPost", "activity", "comment"],
        ),
    ] {
        let Some(post) = names(post_urn(text, "post", kinds), "post", text) else {
            continue;
        };
        assert!(allowed.contains(&post.kind()), "{text:?} gave {post}");
        if post.kind() == "comment" {
            assert!(comment_parts(&post).is_some(), "{text:?} gave {post}");
        } else {
            assert!(
                !post.id().is_empty() && post.id().bytes().all(|b| b.is_ascii_digit()),
                "{text:?} gave {post}"
            );
        }
        let again = post_urn(&post.to_string(), "post", kinds);
        assert_eq!(again.as_ref(), Ok(&post), "{text:?}");
        let feed = feed_url(&post.to_string());
        assert_eq!(post_urn(&feed, "post", kinds).as_ref(), Ok(&post), "{feed}");
        let target = engagement::target(text, "entity", kinds);
        if let Some(target) = names(target, "entity", text) {
            assert_eq!(target.kind(), post.kind());
        }
    }
}

fn other_references(text: &str) {
    if let Some(org) = names(
        organization::parse(text, "organization"),
        "organization",
        text,
    ) {
        match org {
            OrgRef::Id(id) => assert!(id > 0),
            OrgRef::Vanity(name) => assert!(
                !name.is_empty()
                    && name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{text:?}"
            ),
        }
    }
    for category in [
        MediaCategory::Image,
        MediaCategory::Video,
        MediaCategory::Document,
    ] {
        if let Some(asset) = names(asset_urn(category, text, "mediaId"), "mediaId", text) {
            assert_eq!(asset.kind(), category.urn_kind(), "{text:?}");
        }
    }
    if let Some(id) = names(leads::parse_lead(text, "lead"), "lead", text) {
        let urn = format!("urn:li:leadGenFormResponse:{id}");
        assert_eq!(leads::lead_id_of_urn(&urn), Some(id), "{text:?}");
    }
    if let Some((form, version)) = leads::form_id_and_version(text) {
        assert!(!form.is_empty(), "{text:?}");
        if let Some(version) = version {
            assert!(text.contains(&version.to_string()) || version == 0);
        }
    }
    if let Some((full, parent, id)) = names(engagement::comment(text, "comment"), "comment", text) {
        assert_eq!(
            comment_parts(&full),
            Some((parent, id.as_str())),
            "{text:?}"
        );
    }
    if let Some(actor) = names(engagement::actor(text), "actor", text) {
        assert!(
            ["person", "organization"].contains(&actor.kind()),
            "{text:?}"
        );
    }
}

/// A kind and an id given apart (such as an id LinkedIn returned): `Urn::text` and `Urn::new`
/// agree, and what they build parses back.
fn parts(kind: &str, id: &str) {
    let built = Urn::new(kind, id);
    let text = Urn::text(kind, id);
    assert_eq!(
        built.as_ref().map(ToString::to_string).ok(),
        text.as_ref().ok().cloned(),
        "{kind:?} {id:?}"
    );
    if let Ok(urn) = built {
        assert_eq!(
            Urn::parse(&urn.to_string()).as_ref(),
            Ok(&urn),
            "{kind:?} {id:?}"
        );
    }
}
