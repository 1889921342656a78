//! What every command that creates a post shares: the checked post options, the Posts API body,
//! and `POST /rest/posts` with its answer.

use serde::Serialize;
use serde_json::value::RawValue;

use crate::commands::shared::ads::AccountRef;
use crate::core::error::Error;
use crate::core::input::Choice;
use crate::core::pipeline::{Api, ApiRequest, ApiResponse, Client};
use crate::core::text::{self, TextFormat};
use crate::core::urn::Urn;

/// The kinds of URN that may author a post (and own its media).
pub const AUTHOR_KINDS: &[&str] = &["person", "organization"];

crate::choice!(
    /// LinkedIn's post `visibility`.
    Visibility { Public = "PUBLIC", Connections = "CONNECTIONS", LoggedIn = "LOGGED_IN" }
);

crate::choice!(
    /// Where a post is distributed: the feed, or nowhere but in ads (a "dark" post).
    FeedDistribution { MainFeed = "MAIN_FEED", None = "NONE" }
);

crate::choice!(
    /// LinkedIn's post `lifecycleState` on creation.
    LifecycleState { Published = "PUBLISHED", Draft = "DRAFT" }
);

/// A created post. Mirrors the WIT `post-created` record.
#[derive(Clone, Debug, Serialize)]
pub struct PostCreated {
    /// The post URN, decoded from `x-restli-id`.
    pub id: String,
    /// The post's feed permalink.
    pub url: String,
    /// LinkedIn's body, when the 201 carried one (usually not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<Box<RawValue>>,
}

impl PostCreated {
    /// The post from a create answer: its id from `x-restli-id`, its feed permalink.
    pub fn from_response(response: &ApiResponse) -> Result<PostCreated, Error> {
        let id = response.created_id()?;
        Ok(PostCreated {
            url: feed_url(&id),
            raw: response.raw(),
            id,
        })
    }
}

/// The permalink of a post URN (works for shares and ugcPosts).
pub fn feed_url(post_urn: &str) -> String {
    format!("https://www.linkedin.com/feed/update/{post_urn}/")
}

/// The checked parts shared by every post a command creates.
pub struct PostBase {
    pub author: Urn,
    pub commentary: String,
    pub visibility: Visibility,
    pub lifecycle_state: LifecycleState,
    pub disable_reshare: bool,
    pub feed_distribution: FeedDistribution,
    /// The ad account of a dark post, as a URN.
    pub ad_account: Option<String>,
}

/// The post options as given, before they are checked.
pub struct PostOptions<'a> {
    pub author: &'a str,
    pub text: &'a str,
    pub text_format: TextFormat,
    pub visibility: Visibility,
    pub lifecycle_state: LifecycleState,
    pub disable_reshare: bool,
    pub feed_distribution: FeedDistribution,
    pub ad_account: Option<&'a AccountRef>,
}

impl PostBase {
    /// Checks author, text and visibility; nothing is sent when this fails.
    pub fn check(options: PostOptions<'_>) -> Result<PostBase, Error> {
        let author = Urn::parse_field(options.author, "author", AUTHOR_KINDS)?;
        let text = options.text;
        check_text(text)?;
        if options.visibility == Visibility::Connections && author.kind() == "organization" {
            return Err(Error::invalid(
                "visibility",
                "`visibility` CONNECTIONS is only for member posts; organizations post PUBLIC.",
            ));
        }
        if options.ad_account.is_some() && options.feed_distribution == FeedDistribution::MainFeed {
            return Err(Error::invalid(
                "adAccount",
                "`adAccount` is for a dark post (feedDistribution NONE), which only an ad shows; \
                 leave it out for a post in the feed.",
            ));
        }
        Ok(PostBase {
            commentary: text::to_little(text, options.text_format),
            author,
            visibility: options.visibility,
            lifecycle_state: options.lifecycle_state,
            disable_reshare: options.disable_reshare,
            feed_distribution: options.feed_distribution,
            ad_account: options.ad_account.map(|account| account.0.urn()),
        })
    }

    /// The Posts API body, with `content` when given.
    pub fn body<'a>(&'a self, content: Option<&'a Content>) -> NewPost<'a> {
        NewPost {
            author: &self.author,
            commentary: &self.commentary,
            visibility: self.visibility.as_str(),
            distribution: Distribution {
                feed_distribution: self.feed_distribution.as_str(),
                target_entities: &[],
                third_party_distribution_channels: &[],
            },
            ad_context: self.ad_account.as_deref().map(|account| AdContext {
                dsc_ad_account: account,
            }),
            content,
            lifecycle_state: self.lifecycle_state.as_str(),
            is_reshare_disabled_by_author: self.disable_reshare,
        }
    }
}

/// The body of `POST /rest/posts`, in the order of LinkedIn's own examples.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPost<'a> {
    #[serde(serialize_with = "display")]
    author: &'a Urn,
    commentary: &'a str,
    visibility: &'static str,
    distribution: Distribution,
    #[serde(skip_serializing_if = "Option::is_none")]
    ad_context: Option<AdContext<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content: Option<&'a Content>,
    lifecycle_state: &'static str,
    is_reshare_disabled_by_author: bool,
}

/// Where a post is distributed: the main feed or only ads (`NONE`), and no targeting.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Distribution {
    feed_distribution: &'static str,
    target_entities: &'static [&'static str],
    third_party_distribution_channels: &'static [&'static str],
}

/// The ad account a dark post is made for. Seen in one integration and not in LinkedIn's docs,
/// so only sent when the user names the account.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct AdContext<'a> {
    dsc_ad_account: &'a str,
}

/// A value written by its `Display` (a URN as `urn:li:…`).
fn display<S: serde::Serializer>(value: &impl std::fmt::Display, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(value)
}

/// What a post carries besides its text: the Posts API `content` (`{"media": …}`,
/// `{"multiImage": …}` or `{"article": …}`).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Content {
    Media(Media),
    MultiImage(MultiImage),
    Article(Article),
}

/// One image, video or document.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Media {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// 2 to 20 images.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MultiImage {
    pub images: Vec<Image>,
}

/// One image of a multi-image post.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Image {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alt_text: Option<String>,
}

/// A link card: LinkedIn does not scrape the page, so source and title are given.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Article {
    pub source: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// An image URN.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
}

/// Checks a post's `text` as typed: not blank, at most 3,000 characters.
pub fn check_text(text: &str) -> Result<(), Error> {
    if text.trim().is_empty() {
        return Err(Error::invalid("text", "`text` must not be empty."));
    }
    let length = text.chars().count();
    if length > text::MAX_CHARS {
        return Err(Error::invalid(
            "text",
            format!(
                "`text` has {length} characters; LinkedIn allows at most {}.",
                text::MAX_CHARS
            ),
        ));
    }
    Ok(())
}

/// `POST /rest/posts` with `base` and `content` (media, multi-image, article), and the created
/// post's URN and URL. Every command that posts goes through here.
pub fn publish(
    api: &mut Client<'_>,
    base: &PostBase,
    content: Option<&Content>,
) -> Result<PostCreated, Error> {
    let response = api
        .send(ApiRequest::new(http::Method::POST, Api::Rest, "/posts").json(&base.body(content)))?;
    PostCreated::from_response(&response)
}
