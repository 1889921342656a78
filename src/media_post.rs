//! create-post-with-media: a post with an image (or 2–20 images), a video, a document or an
//! article card. Either the media is already uploaded (`media`), or the command takes the file
//! (`mediaSource`) and registers, uploads, waits for LinkedIn to process it, and posts — in one
//! call.

use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::catalog::CREATE_POST_WITH_MEDIA;
use crate::error::Error;
use crate::input::{Choice, Fields, LifecycleState, TextFormat, Visibility, choice};
use crate::media::{self, MediaCategory, MediaState, UploadInstruction, asset_urn};
use crate::pipeline::{Client, Env};
use crate::posts::{self, AUTHOR_KINDS, PostBase, PostCreated};
use crate::upload::{self, Destination, Source};
use crate::urn::Urn;

choice!(
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
/// `{status, media, title: {text}, description: {text}, originalUrl}`.
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

/// The file for a one-call post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MediaSource {
    pub source: Source,
    pub content_type: Option<String>,
    pub file_name: Option<String>,
    pub title: Option<String>,
    pub alt_text: Option<String>,
}

/// Input of create-post-with-media.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatePostWithMedia {
    pub author: String,
    pub text: String,
    pub media_category: PostMediaCategory,
    pub media: Vec<MediaItem>,
    pub media_source: Option<MediaSource>,
    pub text_format: Option<TextFormat>,
    pub visibility: Option<Visibility>,
    pub lifecycle_state: Option<LifecycleState>,
    pub disable_reshare: Option<bool>,
    pub wait_seconds: Option<u64>,
    pub linkedin_version: Option<String>,
}

const ITEM_KEYS: &[&str] = &[
    "id",
    "media",
    "status",
    "title",
    "altText",
    "description",
    "originalUrl",
    "source",
    "thumbnail",
    "owner",
];

impl CreatePostWithMedia {
    pub fn from_json(map: &Map<String, Value>) -> Result<CreatePostWithMedia, Error> {
        let f = Fields::new(map, &CREATE_POST_WITH_MEDIA)?;
        let media = match f.optional_array("media")? {
            None => Vec::new(),
            Some(items) => items
                .iter()
                .enumerate()
                .map(|(i, value)| {
                    let item = f.item("media", i, value)?;
                    item.only(ITEM_KEYS)?;
                    let (id, media) = (item.optional_str("id")?, item.optional_str("media")?);
                    if id.is_some() && media.is_some() && id != media {
                        return Err(Error::invalid(
                            item.name("media"),
                            format!(
                                "`{}` and `{}` name different media.",
                                item.name("id"),
                                item.name("media")
                            ),
                        ));
                    }
                    let (original, source) = (
                        item.optional_str("originalUrl")?,
                        item.optional_str("source")?,
                    );
                    Ok(MediaItem {
                        id: id.or(media).map(str::to_string),
                        title: item.optional_text("title")?.map(str::to_string),
                        alt_text: item.optional_str("altText")?.map(str::to_string),
                        description: item.optional_text("description")?.map(str::to_string),
                        source: source.or(original).map(str::to_string),
                        thumbnail: item.optional_str("thumbnail")?.map(str::to_string),
                        owner: item.optional_str("owner")?.map(str::to_string),
                    })
                })
                .collect::<Result<Vec<_>, Error>>()?,
        };
        let media_source = match f.optional_object("mediaSource")? {
            None => None,
            Some(s) => {
                s.only(&[
                    "data",
                    "sourceUrl",
                    "contentType",
                    "fileName",
                    "title",
                    "altText",
                ])?;
                let source = upload::source(&s, "data", "sourceUrl")?.ok_or_else(|| {
                    Error::invalid(
                        s.name("data"),
                        format!(
                            "`{}` or `{}` is required.",
                            s.name("data"),
                            s.name("sourceUrl")
                        ),
                    )
                })?;
                Some(MediaSource {
                    source,
                    content_type: s.optional_str("contentType")?.map(str::to_string),
                    file_name: s.optional_str("fileName")?.map(str::to_string),
                    title: s.optional_str("title")?.map(str::to_string),
                    alt_text: s.optional_str("altText")?.map(str::to_string),
                })
            }
        };
        Ok(CreatePostWithMedia {
            author: f.required_str("author")?.to_string(),
            text: f.required_str("text")?.to_string(),
            media_category: f.required_choice("mediaCategory")?,
            media,
            media_source,
            text_format: f.optional_choice("textFormat")?,
            visibility: f.optional_choice("visibility")?,
            lifecycle_state: f.optional_choice("lifecycleState")?,
            disable_reshare: f.optional_bool("disableReshare")?,
            wait_seconds: f.optional_u64("waitSeconds")?,
            linkedin_version: f.optional_str("linkedinVersion")?.map(str::to_string),
        })
    }
}

/// The post's `content` for already-uploaded media, checked against the author.
fn content(category: PostMediaCategory, items: &[MediaItem], author: &Urn) -> Result<Value, Error> {
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
        return article(&items[0]);
    };
    let ids = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let field = format!("media[{i}].id");
            let id = item.id.as_deref().ok_or_else(|| {
                Error::invalid(
                    field.clone(),
                    format!("`{field}` (or `media[{i}].media`) is required."),
                )
            })?;
            Ok(asset_urn(asset, id, &field)?.to_string())
        })
        .collect::<Result<Vec<_>, Error>>()?;
    let media_object = |item: &MediaItem, id: &str| {
        let mut object = json!({ "id": id });
        if let Some(alt) = item
            .alt_text
            .as_deref()
            .filter(|_| asset == MediaCategory::Image)
        {
            object["altText"] = json!(alt);
        }
        if let Some(title) = &item.title {
            object["title"] = json!(title);
        }
        object
    };
    if asset == MediaCategory::Document && items[0].title.is_none() {
        return Err(Error::invalid(
            "media[0].title",
            "A document post needs `media[0].title`: LinkedIn shows it on the document.",
        ));
    }
    if items.len() == 1 {
        return Ok(json!({ "media": media_object(&items[0], &ids[0]) }));
    }
    let images: Vec<Value> = items
        .iter()
        .zip(&ids)
        .map(|(item, id)| {
            let mut image = json!({ "id": id });
            if let Some(alt) = &item.alt_text {
                image["altText"] = json!(alt);
            }
            image
        })
        .collect();
    Ok(json!({ "multiImage": { "images": images } }))
}

/// An article card: LinkedIn does not scrape the link, so source and title are required.
fn article(item: &MediaItem) -> Result<Value, Error> {
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
            format!("`media[0].source` must be an http(s) link, not {source:?}."),
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
    let mut article = json!({ "source": source, "title": title });
    if let Some(description) = &item.description {
        article["description"] = json!(description);
    }
    if let Some(thumbnail) = &item.thumbnail {
        article["thumbnail"] =
            json!(asset_urn(MediaCategory::Image, thumbnail, "media[0].thumbnail")?.to_string());
    }
    Ok(json!({ "article": article }))
}

pub fn create_post_with_media(
    env: &mut dyn Env,
    input: CreatePostWithMedia,
) -> Result<PostCreated, Error> {
    let base = PostBase::check(
        &input.author,
        &input.text,
        input.text_format,
        input.visibility,
        input.lifecycle_state,
        input.disable_reshare,
    )?;
    let mut client =
        Client::new(env, &CREATE_POST_WITH_MEDIA).with_version(input.linkedin_version.as_deref());
    client.version()?;
    let content = match (&input.media_source, input.media.is_empty()) {
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
            content(input.media_category, &input.media, &base.author)?
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
                &mut client,
                input.media_category,
                source,
                &base.author,
                Duration::from_secs(wait),
            )?
        }
    };
    posts::publish(&mut client, &base, Some(content))
}

/// The one-call path: register, upload, wait for AVAILABLE; returns the post `content`.
fn upload_and_wait(
    client: &mut Client<'_>,
    category: PostMediaCategory,
    source: &MediaSource,
    author: &Urn,
    wait: Duration,
) -> Result<Value, Error> {
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
    if let Source::Url(url) = &source.source {
        crate::links::source_url(url, "mediaSource.sourceUrl")?;
    }

    // Open the file first: a video must be registered with its exact size.
    let (mut payload, declared_type) = upload::open(
        client,
        &source.source,
        "mediaSource.data",
        "mediaSource.sourceUrl",
    )?;
    let registered = media::register_with(client, author, asset, Some(payload.len()))?;
    let media_urn = registered.media_urn.clone();
    let destination = match asset {
        MediaCategory::Video => Destination::Parts {
            parts: registered
                .upload_instructions
                .iter()
                .map(|p: &UploadInstruction| {
                    Ok((
                        crate::links::upload_url(&p.upload_url, "uploadUrl")?,
                        p.clone(),
                    ))
                })
                .collect::<Result<Vec<_>, Error>>()?,
            media_urn: media_urn.clone(),
            upload_token: registered.upload_token.clone().unwrap_or_default(),
        },
        _ => Destination::Single(crate::links::upload_url(
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

    let urn = Urn::parse(&media_urn).map_err(|why| Error::Decode {
        status: 200,
        message: format!("LinkedIn named a malformed media URN ({why})."),
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
            Err(Error::Forbidden { .. }) if category == MediaCategory::Image => {
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
                return Err(Error::MediaUnavailable {
                    media_urn: urn.to_string(),
                    status: MediaState::ProcessingFailed.as_str().into(),
                    failure_reason: status.failure_reason.clone(),
                    message: format!(
                        "LinkedIn could not process {urn}{why}; nothing was posted. Upload a \
                         different file."
                    ),
                });
            }
            MediaState::Processing | MediaState::WaitingUpload => {}
        }
        let elapsed = client.monotonic_now().saturating_sub(started);
        let left = wait.saturating_sub(elapsed);
        if left.is_zero() {
            return Err(Error::MediaUnavailable {
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
            });
        }
        let pause = Duration::from_secs(POLL_INTERVALS[polls.min(POLL_INTERVALS.len() - 1)]);
        client.sleep(pause.min(left));
        polls += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::ScriptEnv;

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
        assert_eq!(one, json!({"media": {"id": "urn:li:image:A"}}));
        let two = content(
            PostMediaCategory::Image,
            &[image("A"), image("urn:li:digitalmediaAsset:B")],
            &author(),
        )
        .unwrap();
        assert_eq!(
            two,
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
        let mut client = Client::new(&mut env, &CREATE_POST_WITH_MEDIA);
        let err = wait_until_available(
            &mut client,
            MediaCategory::Video,
            &urn,
            Duration::from_secs(10),
        )
        .unwrap_err();
        assert!(
            matches!(&err, Error::MediaUnavailable { media_urn, status, .. } if media_urn == "urn:li:video:V1" && status == "PROCESSING"),
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
        assert!(matches!(err, Error::InvalidInput { field, .. } if field == "media[0].owner"));
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
            content(
                PostMediaCategory::Article,
                std::slice::from_ref(&article),
                &author()
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
