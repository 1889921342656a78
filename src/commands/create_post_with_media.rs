//! create-post-with-media: a post with an image (or 2–20 images), a video, a document or an
//! article card. Either the media is already uploaded (`media`), or the command takes the file
//! (`mediaSource`) and registers, uploads, waits for LinkedIn to process it, and posts — in one
//! call.

use std::time::Duration;

use serde_json::Value;

use crate::commands::shared::ads::AccountRef;
use crate::commands::shared::media::{self, MediaCategory, MediaState, VideoOptions, asset_urn};
use crate::commands::shared::posting::{
    self, AUTHOR_KINDS, Article, Content, FeedDistribution, Image, LifecycleState, Media,
    MultiImage, PostBase, PostCreated, PostOptions, Visibility,
};
use crate::commands::shared::upload::{self, Destination, Source};
use crate::core::command::{Command, Spec};
use crate::core::error::{Error, MediaUnavailable, quoted};
use crate::core::input::{Choice, Field, ParamType, read_object, wrong_type};
use crate::core::pipeline::Client;
use crate::core::spec::PAGE_ROLE;
use crate::core::text::TextFormat;
use crate::core::urls;
use crate::core::urn::Urn;

#[derive(Default)]
pub struct CreatePostWithMedia;

crate::choice!(
    /// What the post carries.
    PostMediaCategory { Image = "IMAGE", Video = "VIDEO", Article = "ARTICLE", Document = "DOCUMENT" }
);

impl PostMediaCategory {
    /// The asset category, for everything but articles.
    fn asset(self) -> Option<MediaCategory> {
        match self {
            PostMediaCategory::Image => Some(MediaCategory::Image),
            PostMediaCategory::Video => Some(MediaCategory::Video),
            PostMediaCategory::Document => Some(MediaCategory::Document),
            PostMediaCategory::Article => None,
        }
    }
}

/// LinkedIn's multi-image posts take 2 to 20 images.
pub const MAX_IMAGES: usize = 20;

/// The longest a one-call post waits for LinkedIn to process the media.
pub const MAX_WAIT_SECONDS: u64 = 600;
const DEFAULT_WAIT_SECONDS: u64 = 60;

/// One media item as given: the plain shape `{id, title, altText}` or the UGC shape
/// `{status, media, title: {text}, description: {text}, originalUrl}`. Mirrors the WIT
/// `media-item` record, which has the plain shape.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MediaItem {
    /// `id` or `media`: an asset URN (or legacy `urn:li:digitalmediaAsset:` URN).
    pub id: Option<String>,
    pub title: Option<String>,
    pub alt_text: Option<String>,
    pub description: Option<String>,
    /// The article link (`originalUrl` or `source`).
    pub source: Option<String>,
    /// An article's thumbnail image URN.
    pub thumbnail: Option<String>,
    /// Who owns the asset (register-upload's `owner`); checked against the author.
    pub owner: Option<String>,
}

crate::input! {
    /// A media item read by its plain keys, plus the UGC aliases read by [`MediaItem`].
    pub struct ItemFields {
        pub id: Option<String>,
        pub media: Option<String>,
        pub status: Option<String>,
        pub title: Option<Text>,
        pub alt_text: Option<String>,
        pub description: Option<Text>,
        pub original_url: Option<String>,
        pub source: Option<String>,
        pub thumbnail: Option<String>,
        pub owner: Option<String>,
    }
}

/// A string given plainly or as LinkedIn's UGC `{"text": "..."}` wrapper.
#[derive(Clone, Debug, PartialEq)]
pub struct Text(Option<String>);

impl Field for Text {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        match value {
            Value::String(s) => Ok(Text(Some(s.clone()))),
            Value::Object(o) => match o.get("text") {
                Some(Value::String(s)) => Ok(Text(Some(s.clone()).filter(|s| !s.is_empty()))),
                None | Some(Value::Null) => Ok(Text(None)),
                Some(other) => Err(wrong_type(name, "a string or {\"text\": string}", other)),
            },
            other => Err(wrong_type(name, "a string or {\"text\": string}", other)),
        }
    }
}

impl Field for MediaItem {
    const TYPE: ParamType = ParamType::Object;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        Self::take(value.clone(), name)
    }

    fn take(value: Value, name: &str) -> Result<Self, Error> {
        let item: ItemFields = read_object(value, name)?;
        if item.id.is_some() && item.media.is_some() && item.id != item.media {
            return Err(Error::invalid(
                format!("{name}.media"),
                format!("`{name}.id` and `{name}.media` name different media."),
            ));
        }
        Ok(MediaItem {
            id: item.id.or(item.media),
            title: item.title.and_then(|t| t.0),
            alt_text: item.alt_text,
            description: item.description.and_then(|t| t.0),
            source: item.source.or(item.original_url),
            thumbnail: item.thumbnail,
            owner: item.owner,
        })
    }
}

crate::input! {
    /// The file for a one-call post. Mirrors the WIT `media-file` record.
    pub struct MediaSource {
        /// The file as base64 (standard or URL-safe; a data: URL is accepted).
        pub data: Option<String>,
        /// An http(s) URL fetched without credentials and streamed; it must send Content-Length.
        pub source_url: Option<String>,
        /// The file's media type; defaults to the source's Content-Type.
        pub content_type: Option<String>,
        /// The file name; a document's title when `title` is not given.
        pub file_name: Option<String>,
        /// The title shown with the media (required for documents, or `fileName`).
        pub title: Option<String>,
        /// Alternative text of an image.
        pub alt_text: Option<String>,
    }
}

crate::input! {
    /// Input of create-post-with-media.
    pub struct Input {
        /// Who posts: urn:li:person:{id} or urn:li:organization:{id} (short forms accepted).
        /// Must own the media.
        #[param(example = "urn:li:organization:5515715")]
        pub author: String,
        /// The post text (commentary), at most 3,000 characters, written as textFormat says.
        #[param(example = "Our new office (photos) #hiring", max_length = 3000)]
        pub text: String,
        /// IMAGE (one image, or 2-20 as a multi-image post), VIDEO, DOCUMENT (a PDF or Office
        /// file; title required) or ARTICLE (a link card; source and title required). Any letter
        /// case.
        #[param(example = "IMAGE")]
        pub media_category: PostMediaCategory,
        /// The media, already uploaded: items {id, title, altText, owner} with id an
        /// image/video/document URN (legacy urn:li:digitalmediaAsset: ids are mapped to the
        /// category's kind), or the UGC shape {status, media, title: {text}, description:
        /// {text}, originalUrl}. An ARTICLE item has source (or originalUrl), title, description
        /// and an optional thumbnail image URN.
        #[param(example_json = r#"[{"id": "urn:li:image:C4E10AQFoyyAjHPMQuQ", "altText": "The team"}]"#, max_items = 20)]
        pub media: Option<Vec<MediaItem>>,
        /// Instead of media: the file to upload in this call, {data (base64) or sourceUrl,
        /// contentType, fileName, title, altText}. A sourceUrl is fetched without credentials
        /// and streamed, so a large video never sits in memory; it must declare Content-Length.
        #[param(title = "Media source (upload now)", example_json = r#"{"sourceUrl": "https://cdn.example.com/launch.mp4", "contentType": "video/mp4"}"#)]
        pub media_source: Option<MediaSource>,
        /// With mediaSource: how long to wait for LinkedIn to finish processing the media before
        /// giving up (at most 600 s, default 60). When it runs out the error names the media URN
        /// so the post can be made later with media.
        #[param(title = "Wait for processing (seconds)")]
        pub wait_seconds: Option<u64>,
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

impl Command for CreatePostWithMedia {
    const SPEC: Spec = Spec {
        name: "create-post-with-media",
        title: "Create post with media",
        description: "Publishes a post with one image or 2-20 images, a video, a document or an \
                      article card. Give `media` that register-upload and upload-media already \
                      sent, or give the file as `mediaSource` and the command registers, \
                      uploads, waits for LinkedIn to process it, and posts, in one call.",
        scopes: &["w_member_social|w_organization_social"],
        role: PAGE_ROLE,
        calls: &[
            "POST /rest/posts",
            "with mediaSource: POST /rest/{images,videos,documents}?action=initializeUpload, \
             PUT to the upload URL(s), POST /rest/videos?action=finalizeUpload, \
             GET /rest/{images,videos,documents}/{urn} until AVAILABLE",
        ],
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
        let media = input.media.unwrap_or_default();
        let content = match (input.media_source, media.is_empty()) {
            (Some(_), false) => {
                return Err(Error::invalid(
                    "mediaSource",
                    "Give either `media` (already uploaded) or `mediaSource` (upload now), not both.",
                ));
            }
            (None, _) => {
                if input.wait_seconds.is_some() {
                    return Err(Error::invalid(
                        "waitSeconds",
                        "`waitSeconds` applies only with `mediaSource`.",
                    ));
                }
                content(input.media_category, &media, &base.author)?
            }
            (Some(source), true) => {
                let wait = input.wait_seconds.unwrap_or(DEFAULT_WAIT_SECONDS);
                if wait > MAX_WAIT_SECONDS {
                    return Err(Error::invalid(
                        "waitSeconds",
                        format!("`waitSeconds` may be at most {MAX_WAIT_SECONDS}."),
                    ));
                }
                upload_and_wait(
                    api,
                    input.media_category,
                    source,
                    &base.author,
                    Duration::from_secs(wait),
                )?
            }
        };
        posting::publish(api, &base, Some(&content))
    }
}

/// The post's `content` for already-uploaded media, checked against the author.
fn content(
    category: PostMediaCategory,
    items: &[MediaItem],
    author: &Urn,
) -> Result<Content, Error> {
    if items.is_empty() {
        return Err(Error::invalid(
            "media",
            "`media` (or `mediaSource`, to upload in the same call) is required.",
        ));
    }
    let most = if category == PostMediaCategory::Image {
        MAX_IMAGES
    } else {
        1
    };
    if items.len() > most {
        let message = if category == PostMediaCategory::Image {
            format!(
                "LinkedIn posts at most {MAX_IMAGES} images; `media` has {}.",
                items.len()
            )
        } else {
            format!(
                "A {} post takes exactly one `media` item, not {}.",
                category.as_str(),
                items.len()
            )
        };
        return Err(Error::invalid("media", message));
    }
    for (i, item) in items.iter().enumerate() {
        if let Some(owner) = &item.owner {
            let field = format!("media[{i}].owner");
            let owner = Urn::parse_field(owner, &field, AUTHOR_KINDS)?;
            if owner != *author {
                return Err(Error::invalid(
                    field,
                    format!(
                        "The media is owned by {owner} but the post's author is {author}; LinkedIn \
                         only posts media its author owns. Register the upload with owner {author}."
                    ),
                ));
            }
        }
    }
    let Some(asset) = category.asset() else {
        return article(items.first().unwrap_or(&MediaItem::default()));
    };
    let mut media = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let field = format!("media[{i}].id");
        let id = item.id.as_deref().ok_or_else(|| {
            Error::invalid(
                field.clone(),
                format!("`{field}` (or `media[{i}].media`) is required."),
            )
        })?;
        media.push(Media {
            id: asset_urn(asset, id, &field)?.to_string(),
            alt_text: item
                .alt_text
                .clone()
                .filter(|_| asset == MediaCategory::Image),
            title: item.title.clone(),
        });
    }
    if asset == MediaCategory::Document && media.first().is_some_and(|m| m.title.is_none()) {
        return Err(Error::invalid(
            "media[0].title",
            "A document post needs `media[0].title`: LinkedIn shows it on the document.",
        ));
    }
    match <[Media; 1]>::try_from(media) {
        Ok([one]) => Ok(Content::Media(one)),
        Err(many) => Ok(Content::MultiImage(MultiImage {
            images: many
                .into_iter()
                .map(|m| Image {
                    id: m.id,
                    alt_text: m.alt_text,
                })
                .collect(),
        })),
    }
}

/// An article card: LinkedIn does not scrape the link, so source and title are required.
fn article(item: &MediaItem) -> Result<Content, Error> {
    let source = item.source.as_deref().map(str::trim).ok_or_else(|| {
        Error::invalid(
            "media[0].source",
            "An article needs `media[0].source` (or `originalUrl`): the link to share.",
        )
    })?;
    let lower = source.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://"))
        || source.contains(char::is_whitespace)
    {
        return Err(Error::invalid(
            "media[0].source",
            format!(
                "`media[0].source` must be an http(s) link, not {}.",
                quoted(source)
            ),
        ));
    }
    let title = item
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            Error::invalid(
                "media[0].title",
                "An article needs `media[0].title`: LinkedIn does not fetch it from the page.",
            )
        })?;
    let thumbnail = match &item.thumbnail {
        Some(thumbnail) => {
            Some(asset_urn(MediaCategory::Image, thumbnail, "media[0].thumbnail")?.to_string())
        }
        None => None,
    };
    Ok(Content::Article(Article {
        source: source.to_string(),
        title: title.to_string(),
        description: item.description.clone(),
        thumbnail,
    }))
}

/// The one-call path: register, upload, wait for AVAILABLE; returns the post `content`.
fn upload_and_wait(
    client: &mut Client<'_>,
    category: PostMediaCategory,
    source: MediaSource,
    author: &Urn,
    wait: Duration,
) -> Result<Content, Error> {
    let Some(asset) = category.asset() else {
        return Err(Error::invalid(
            "mediaSource",
            "An ARTICLE post links to a page; it has no file to upload. Give `media` instead.",
        ));
    };
    let content_type = match &source.content_type {
        Some(ct) => Some(upload::check_content_type(ct, "mediaSource.contentType")?),
        None => None,
    };
    let title = source.title.clone().or_else(|| source.file_name.clone());
    if asset == MediaCategory::Document && title.is_none() {
        return Err(Error::invalid(
            "mediaSource.title",
            "A document post needs `mediaSource.title` (or `mediaSource.fileName`): LinkedIn shows it on the document.",
        ));
    }
    let Some(file) = upload::source(source.data, source.source_url, "mediaSource.")? else {
        return Err(Error::invalid(
            "mediaSource.data",
            "`mediaSource.data` or `mediaSource.sourceUrl` is required.",
        ));
    };
    if let Source::Url(url) = &file {
        client.source_url(url, "mediaSource.sourceUrl")?;
    }

    // Open the file first: a video must be registered with its exact size.
    let (mut payload, declared_type) =
        upload::open(client, file, "mediaSource.data", "mediaSource.sourceUrl")?;
    let registered = media::register(
        client,
        author,
        asset,
        Some(payload.len()),
        VideoOptions::default(),
    )?;
    let media_urn = registered.media_urn.clone();
    let destination = match asset {
        MediaCategory::Video => Destination::Parts {
            parts: registered
                .upload_instructions
                .iter()
                .map(|p| Ok((urls::upload_url(&p.upload_url, "uploadUrl")?, p.clone())))
                .collect::<Result<Vec<_>, Error>>()?,
            media_urn: media_urn.clone(),
            upload_token: registered.upload_token.clone().unwrap_or_default(),
        },
        _ => Destination::Single(urls::upload_url(
            registered.upload_url.as_deref().unwrap_or_default(),
            "uploadUrl",
        )?),
    };
    let content_type = content_type
        .or(declared_type.and_then(|t| upload::check_content_type(&t, "contentType").ok()))
        .unwrap_or_else(|| "application/octet-stream".to_string());
    upload::send(client, &destination, &mut payload, &content_type)
        .map_err(upload::explain_expiry)?;
    drop(payload);

    let urn = Urn::parse(&media_urn).map_err(|why| {
        Error::decode(
            200,
            format!("LinkedIn named a malformed media URN ({why})."),
        )
    })?;
    wait_until_available(client, asset, &urn, wait)?;

    let item = MediaItem {
        id: Some(media_urn),
        title,
        alt_text: source.alt_text.clone(),
        ..MediaItem::default()
    };
    content(category, &[item], author)
}

/// How long to pause between status reads: short at first (images are often ready in a
/// second), longer later (video takes minutes), never past the deadline.
const POLL_INTERVALS: &[u64] = &[1, 2, 3, 5, 8, 13];

/// When a token may not read image status, this long is waited instead before posting.
const BLIND_IMAGE_WAIT: Duration = Duration::from_secs(5);

/// Polls the asset's status until AVAILABLE, PROCESSING_FAILED, or `wait` runs out.
fn wait_until_available(
    client: &mut Client<'_>,
    category: MediaCategory,
    urn: &Urn,
    wait: Duration,
) -> Result<(), Error> {
    let started = client.monotonic_now();
    let mut polls = 0usize;
    loop {
        let status = match media::read_status(client, category, urn) {
            Ok(status) => status,
            // Member-only tokens cannot read image status: the upload succeeded, so give
            // LinkedIn a moment and post (what LinkedIn's own guidance suggests).
            Err(Error::Forbidden(_)) if category == MediaCategory::Image => {
                client.sleep(BLIND_IMAGE_WAIT.min(wait));
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        match status.status {
            MediaState::Available => return Ok(()),
            MediaState::ProcessingFailed => {
                let why = status
                    .failure_reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                return Err(Error::MediaUnavailable(MediaUnavailable {
                    media_urn: urn.to_string(),
                    status: MediaState::ProcessingFailed.as_str().into(),
                    failure_reason: status.failure_reason.clone(),
                    message: format!(
                        "LinkedIn could not process {urn}{why}; nothing was posted. Upload a \
                         different file."
                    ),
                }));
            }
            MediaState::Processing | MediaState::WaitingUpload => {}
        }
        let elapsed = client.monotonic_now().saturating_sub(started);
        let left = wait.saturating_sub(elapsed);
        if left.is_zero() {
            return Err(Error::MediaUnavailable(MediaUnavailable {
                media_urn: urn.to_string(),
                status: status.status.as_str().into(),
                failure_reason: None,
                message: format!(
                    "{urn} was still {} after {} s; nothing was posted. Once get-media-status \
                     says AVAILABLE, post it with create-post-with-media and media \
                     [{{\"id\": \"{urn}\"}}], or retry with a longer waitSeconds.",
                    status.status.as_str(),
                    wait.as_secs()
                ),
            }));
        }
        let pause = POLL_INTERVALS
            .get(polls)
            .or(POLL_INTERVALS.last())
            .map_or(Duration::ZERO, |s| Duration::from_secs(*s));
        client.sleep(pause.min(left));
        polls += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::ScriptEnv;
    use serde_json::json;

    fn author() -> Urn {
        Urn::parse("person:abc").unwrap()
    }

    fn image(id: &str) -> MediaItem {
        MediaItem {
            id: Some(id.into()),
            ..MediaItem::default()
        }
    }

    #[test]
    fn one_image_is_media_several_are_multi_image() {
        let one = content(
            PostMediaCategory::Image,
            &[image("urn:li:image:A")],
            &author(),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(one).unwrap(),
            json!({"media": {"id": "urn:li:image:A"}})
        );
        let two = content(
            PostMediaCategory::Image,
            &[image("A"), image("urn:li:digitalmediaAsset:B")],
            &author(),
        )
        .unwrap();
        assert_eq!(
            serde_json::to_value(two).unwrap(),
            json!({"multiImage": {"images": [{"id": "urn:li:image:A"}, {"id": "urn:li:image:B"}]}})
        );
        let many: Vec<MediaItem> = (0..21).map(|i| image(&format!("I{i}"))).collect();
        assert!(content(PostMediaCategory::Image, &many, &author()).is_err());
    }

    #[test]
    fn waiting_polls_on_a_growing_schedule_and_stops_at_the_deadline() {
        let processing = r#"{"id":"urn:li:video:V1","status":"PROCESSING"}"#;
        let mut env = ScriptEnv::new();
        for _ in 0..10 {
            env = env.respond(200, &[], processing);
        }
        let urn = Urn::parse("urn:li:video:V1").unwrap();
        let mut client = Client::new(&mut env, crate::core::testing::context());
        let err = wait_until_available(
            &mut client,
            MediaCategory::Video,
            &urn,
            Duration::from_secs(10),
        )
        .unwrap_err();
        assert!(
            matches!(&err, Error::MediaUnavailable(e) if e.media_urn == "urn:li:video:V1" && e.status == "PROCESSING"),
            "{err:?}"
        );
        drop(client);
        // Reads at 0, 1, 3, 6 and 10 s: pauses of 1, 2, 3 and then the 4 s left of 5.
        assert_eq!(env.sent.len(), 5);
        assert_eq!(env.clock, Duration::from_secs(10));
    }

    #[test]
    fn owner_must_be_the_author() {
        let item = MediaItem {
            owner: Some("organization:1".into()),
            ..image("A")
        };
        let err = content(PostMediaCategory::Image, &[item], &author()).unwrap_err();
        assert_eq!(err.field(), Some("media[0].owner"));
    }

    #[test]
    fn items_take_the_plain_and_the_ugc_shape() {
        let ugc = json!({"status": "READY", "media": "urn:li:digitalmediaAsset:D1", "title": {"text": "Deck"}, "description": {"text": "Q3"}, "originalUrl": "https://example.com/a"});
        let item = <MediaItem as Field>::read(&ugc, "media[0]").unwrap();
        assert_eq!(item.id.as_deref(), Some("urn:li:digitalmediaAsset:D1"));
        assert_eq!(item.title.as_deref(), Some("Deck"));
        assert_eq!(item.description.as_deref(), Some("Q3"));
        assert_eq!(item.source.as_deref(), Some("https://example.com/a"));
        let both = json!({"id": "A", "media": "B"});
        let err = <MediaItem as Field>::read(&both, "media[1]").unwrap_err();
        assert_eq!(err.field(), Some("media[1].media"));
        let unknown = json!({"id": "A", "alt": "x"});
        let err = <MediaItem as Field>::read(&unknown, "media[0]").unwrap_err();
        assert_eq!(err.field(), Some("media[0].alt"));
    }

    #[test]
    fn documents_need_titles_and_articles_need_source_and_title() {
        assert!(content(PostMediaCategory::Document, &[image("D1")], &author()).is_err());
        let article = MediaItem {
            source: Some("https://example.com/a".into()),
            title: Some("T".into()),
            ..MediaItem::default()
        };
        assert_eq!(
            serde_json::to_value(
                content(
                    PostMediaCategory::Article,
                    std::slice::from_ref(&article),
                    &author()
                )
                .unwrap()
            )
            .unwrap(),
            json!({"article": {"source": "https://example.com/a", "title": "T"}})
        );
        let no_title = MediaItem {
            title: None,
            ..article
        };
        assert!(content(PostMediaCategory::Article, &[no_title], &author()).is_err());
    }
}
