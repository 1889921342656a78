//! What the commands that read posts share: a post as one output item (list-posts, get-post),
//! its text back as the user would type it, and what its `content` carries.

use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::commands::shared::posting::feed_url;
use crate::core::text;

/// A post as list-posts and get-post return it. Mirrors the WIT `post-item` record.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PostItem {
    /// `urn:li:share:…` or `urn:li:ugcPost:…`.
    pub id: String,
    /// The post's feed permalink.
    pub url: String,
    pub author: Option<String>,
    /// The commentary as plain text ([`text::to_plain`]); none when the post has no commentary.
    pub text: Option<String>,
    pub created_at: Option<i64>,
    pub last_modified_at: Option<i64>,
    pub published_at: Option<i64>,
    pub visibility: Option<String>,
    pub lifecycle_state: Option<String>,
    /// NONE, IMAGE, MULTI_IMAGE, VIDEO, DOCUMENT, ARTICLE, POLL or OTHER.
    pub media_category: &'static str,
    pub raw: Box<RawValue>,
}

impl PostItem {
    /// Reads a post as LinkedIn sent it; `id` is the post asked for, used when the post names
    /// none. Every field but the id is optional, and one of an unexpected type reads as absent.
    pub fn read(raw: Box<RawValue>, id: Option<&str>) -> Result<PostItem, &'static str> {
        let post: Value = serde_json::from_str(raw.get()).map_err(|_| "is not JSON")?;
        if !post.is_object() {
            return Err("is not a JSON object");
        }
        let text = |key: &str| post.get(key).and_then(Value::as_str).map(str::to_string);
        let time = |key: &str| post.get(key).and_then(Value::as_i64);
        let id = text("id")
            .or_else(|| id.map(str::to_string))
            .ok_or("names no post id")?;
        Ok(PostItem {
            url: feed_url(&id),
            id,
            author: text("author"),
            text: post
                .get("commentary")
                .and_then(Value::as_str)
                .map(text::to_plain),
            created_at: time("createdAt"),
            last_modified_at: time("lastModifiedAt"),
            published_at: time("publishedAt"),
            visibility: text("visibility"),
            lifecycle_state: text("lifecycleState"),
            media_category: media_category(post.get("content")),
            raw,
        })
    }
}

/// What a post's `content` carries: one `media` by its URN kind, `multiImage`, `article` or
/// `poll`; OTHER for anything else (celebration, carousel, a legacy asset URN); NONE without
/// content (an empty object included).
pub fn media_category(content: Option<&Value>) -> &'static str {
    let Some(Value::Object(content)) = content else {
        return "NONE";
    };
    if let Some(media) = content.get("media") {
        let id = media.get("id").and_then(Value::as_str).unwrap_or("");
        let kind = id
            .strip_prefix("urn:li:")
            .and_then(|rest| rest.split_once(':'))
            .map_or("", |(kind, _)| kind);
        return match kind {
            "image" => "IMAGE",
            "video" => "VIDEO",
            "document" => "DOCUMENT",
            _ => "OTHER",
        };
    }
    let has = |key| content.contains_key(key);
    if content.is_empty() {
        "NONE"
    } else if has("multiImage") {
        "MULTI_IMAGE"
    } else if has("article") {
        "ARTICLE"
    } else if has("poll") {
        "POLL"
    } else {
        "OTHER"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn media_category_from_content() {
        let cases = [
            (json!(null), "NONE"),
            (json!({}), "NONE"),
            (json!({"media": {"id": "urn:li:image:C4E"}}), "IMAGE"),
            (json!({"media": {"id": "urn:li:video:C5F"}}), "VIDEO"),
            (json!({"media": {"id": "urn:li:document:D4D"}}), "DOCUMENT"),
            (
                json!({"media": {"id": "urn:li:digitalmediaAsset:C5"}}),
                "OTHER",
            ),
            (json!({"media": {}}), "OTHER"),
            (json!({"multiImage": {"images": []}}), "MULTI_IMAGE"),
            (
                json!({"article": {"source": "https://x.example"}}),
                "ARTICLE",
            ),
            (json!({"poll": {"question": "?"}}), "POLL"),
            (json!({"celebration": {}}), "OTHER"),
        ];
        for (content, category) in cases {
            assert_eq!(media_category(Some(&content)), category, "{content}");
        }
        assert_eq!(media_category(None), "NONE");
    }

    #[test]
    fn reads_a_post_with_odd_fields_as_absent() {
        let raw = RawValue::from_string(
            r#"{"author":7,"commentary":"Hi \\(x\\) {hashtag|\\#|rust_lang}","createdAt":"x"}"#
                .into(),
        )
        .unwrap();
        let post = PostItem::read(raw, Some("urn:li:share:1")).unwrap();
        assert_eq!(post.id, "urn:li:share:1");
        assert_eq!(post.author, None);
        assert_eq!(post.text.as_deref(), Some("Hi (x) #rust_lang"));
        assert_eq!(post.created_at, None);
        assert_eq!(post.media_category, "NONE");
        let list = RawValue::from_string("[1]".into()).unwrap();
        assert!(PostItem::read(list, Some("urn:li:share:1")).is_err());
        let no_id = RawValue::from_string("{}".into()).unwrap();
        assert!(PostItem::read(no_id, None).is_err());
    }
}
