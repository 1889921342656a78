//! Media assets shared by register-upload, upload-media, get-media-status and the one-call media
//! post: the asset categories and URNs, registering an upload, and reading processing status.

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::core::error::{Error, Forbidden, quoted};
use crate::core::input::Choice;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::urls;
use crate::core::urn::Urn;

crate::choice!(
    /// What kind of asset: decides the LinkedIn API and the URN kind.
    MediaCategory { Image = "image", Video = "video", Document = "document" }
);

impl MediaCategory {
    /// The REST resource (`images`, `videos`, `documents`).
    pub fn resource(self) -> &'static str {
        match self {
            MediaCategory::Image => "images",
            MediaCategory::Video => "videos",
            MediaCategory::Document => "documents",
        }
    }

    /// The URN kind (`image`, `video`, `document`).
    pub fn urn_kind(self) -> &'static str {
        self.as_str()
    }
}

/// LinkedIn's largest upload (video for ads: 5 GB).
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024 * 1024;

/// The asset URN for `text` in `category`: a bare id (`C4E10AQ…`), the asset's own URN, or a
/// legacy `urn:li:digitalmediaAsset:` URN (the same id under the new kind). A URN of another
/// kind is refused: posting an image URN as a video fails late and obscurely at LinkedIn.
pub fn asset_urn(category: MediaCategory, text: &str, field: &str) -> Result<Urn, Error> {
    let text = text.trim();
    let urn = if !text.contains(':') {
        if text.is_empty()
            || !text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(Error::invalid(
                field,
                format!("`{field}` is not a media id or URN: {}.", quoted(text)),
            ));
        }
        Urn::new(category.urn_kind(), text)
            .map_err(|why| Error::invalid(field, format!("`{field}` {why}.")))?
    } else {
        Urn::parse_field(text, field, &[])?
    };
    if urn.kind() == category.urn_kind() {
        return Ok(urn);
    }
    if urn.kind() == "digitalmediaAsset" {
        return Urn::new(category.urn_kind(), urn.id())
            .map_err(|why| Error::invalid(field, format!("`{field}` {why}.")));
    }
    Err(Error::invalid(
        field,
        format!(
            "`{field}` is a {} URN but the media category is {}.",
            urn.kind(),
            category.as_str()
        ),
    ))
}

crate::input! {
    /// One part of a video upload: PUT bytes `first_byte..=last_byte` to `upload_url`. Mirrors
    /// the WIT `upload-instruction` record, and reads LinkedIn's as its register answer has it.
    #[derive(Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    pub struct UploadInstruction {
        /// A signed upload URL from register-upload, used byte for byte.
        pub upload_url: String,
        /// The part's first byte (inclusive).
        pub first_byte: u64,
        /// The part's last byte (inclusive).
        pub last_byte: u64,
    }
}

/// Checks that video upload instructions are in order, contiguous from byte 0, and (when the
/// size is known) cover exactly `size` bytes. Returns the size they cover.
pub fn check_instructions(
    instructions: &[UploadInstruction],
    size: Option<u64>,
    field: &str,
) -> Result<u64, Error> {
    if instructions.is_empty() {
        return Err(Error::invalid(field, format!("`{field}` has no parts.")));
    }
    let mut next = 0u64;
    for (i, part) in instructions.iter().enumerate() {
        if part.first_byte != next || part.last_byte < part.first_byte {
            return Err(Error::invalid(
                format!("{field}[{i}]"),
                format!(
                    "Part {i} covers bytes {}..={} but the next byte to upload is {next}: the \
                     parts must be contiguous from byte 0.",
                    part.first_byte, part.last_byte
                ),
            ));
        }
        next = part.last_byte + 1;
    }
    if let Some(size) = size
        && size != next
    {
        return Err(Error::invalid(
            field,
            format!("`{field}` cover {next} bytes but the file has {size}."),
        ));
    }
    Ok(next)
}

/// A registered upload: where to send the bytes.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Registered {
    pub media_urn: String,
    pub owner: String,
    /// The one URL for an image or document.
    pub upload_url: Option<String>,
    /// The parts of a video, in order.
    pub upload_instructions: Vec<UploadInstruction>,
    /// Echoed by `finalizeUpload` (videos); may be empty.
    pub upload_token: Option<String>,
    /// When the upload URLs stop working (epoch ms).
    pub expires_at: Option<u64>,
    /// Extra headers LinkedIn asked for when uploading (none for the current APIs).
    pub upload_headers: Map<String, Value>,
    pub raw: Box<RawValue>,
}

/// Whether a video upload also gets caption and thumbnail upload URLs.
#[derive(Clone, Copy, Debug, Default)]
pub struct VideoOptions {
    pub captions: bool,
    pub thumbnail: bool,
}

/// The body of `?action=initializeUpload`; the video fields only for a video.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct InitializeUpload {
    initialize_upload_request: UploadRequest,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct UploadRequest {
    owner: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_size_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    upload_captions: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    upload_thumbnail: Option<bool>,
}

/// The answer to `initializeUpload`.
#[derive(Deserialize)]
struct Initialized {
    value: Option<Upload>,
}

/// Where and until when to upload: the asset URN under the category's name, and one URL
/// (image, document) or one per part (video), each with its own expiry member.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Upload {
    image: Option<String>,
    video: Option<String>,
    document: Option<String>,
    upload_url: Option<String>,
    upload_url_expires_at: Option<u64>,
    upload_instructions: Option<Vec<UploadInstruction>>,
    upload_urls_expire_at: Option<u64>,
    upload_token: Option<String>,
}

/// Registers an upload of `size` bytes (required for video) owned by `owner`.
pub fn register(
    client: &mut Client<'_>,
    owner: &Urn,
    category: MediaCategory,
    size: Option<u64>,
    options: VideoOptions,
) -> Result<Registered, Error> {
    let video = category == MediaCategory::Video;
    let request = InitializeUpload {
        initialize_upload_request: UploadRequest {
            owner: owner.to_string(),
            file_size_bytes: video.then_some(size.unwrap_or(0)),
            upload_captions: video.then_some(options.captions),
            upload_thumbnail: video.then_some(options.thumbnail),
        },
    };
    let response = client.send(
        ApiRequest::new(
            http::Method::POST,
            Api::Rest,
            format!("/{}", category.resource()),
        )
        .query("action", "initializeUpload")
        .json(&request),
    )?;
    let decode = |what: String| response.not_json(format!("the initializeUpload answer {what}"));
    let upload = response
        .json::<Initialized>()?
        .value
        .ok_or_else(|| decode("has no value".into()))?;
    let media = match category {
        MediaCategory::Image => &upload.image,
        MediaCategory::Video => &upload.video,
        MediaCategory::Document => &upload.document,
    }
    .as_deref()
    .ok_or_else(|| decode(format!("names no {}", category.urn_kind())))?;
    let media_urn = asset_urn(category, media, "value").map_err(|_| {
        decode(format!(
            "names a malformed {} {}",
            category.urn_kind(),
            quoted(media)
        ))
    })?;
    let (upload_url, upload_instructions, expires_at) = if category == MediaCategory::Video {
        let instructions = upload
            .upload_instructions
            .ok_or_else(|| decode("has no uploadInstructions".into()))?;
        if instructions
            .iter()
            .any(|part| urls::upload_url(&part.upload_url, "uploadUrl").is_err())
        {
            return Err(decode("has a malformed upload instruction".into()));
        }
        check_instructions(&instructions, size, "uploadInstructions").map_err(|e| {
            decode(format!(
                "has upload instructions that do not fit the file ({})",
                e.message()
            ))
        })?;
        (None, instructions, upload.upload_urls_expire_at)
    } else {
        let url = upload
            .upload_url
            .ok_or_else(|| decode("has no uploadUrl".into()))?;
        urls::upload_url(&url, "uploadUrl")
            .map_err(|_| decode("has an upload URL that is not on linkedin.com".into()))?;
        (Some(url), Vec::new(), upload.upload_url_expires_at)
    };
    Ok(Registered {
        media_urn: media_urn.to_string(),
        owner: owner.to_string(),
        upload_url,
        upload_instructions,
        upload_token: upload.upload_token,
        expires_at,
        upload_headers: Map::new(),
        raw: response.raw_json()?,
    })
}

crate::choice!(
    /// An asset's processing status, normalised.
    MediaState {
        WaitingUpload = "WAITING_UPLOAD",
        Processing = "PROCESSING",
        Available = "AVAILABLE",
        ProcessingFailed = "PROCESSING_FAILED",
    }
);

/// An asset's status.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MediaStatus {
    pub media_urn: String,
    /// LinkedIn's status; a value this connector does not know reads as PROCESSING (still
    /// pending), with LinkedIn's own value in `raw`.
    pub status: MediaState,
    pub download_url: Option<String>,
    pub failure_reason: Option<String>,
    pub raw: Box<RawValue>,
}

/// GETs an asset's status through `client` (shared with the one-call media post).
pub fn read_status(
    client: &mut Client<'_>,
    category: MediaCategory,
    urn: &Urn,
) -> Result<MediaStatus, Error> {
    let path = format!("/{}/{}", category.resource(), urn.path_key());
    let response = match client.send(ApiRequest::get(Api::Rest, path)) {
        Err(Error::Forbidden(forbidden)) if category == MediaCategory::Image => {
            // Tokens with only w_member_social may upload and post images but not read them.
            return Err(Error::Forbidden(Forbidden {
                message: format!(
                    "LinkedIn does not let this token read image status ({}): reading images \
                     needs r_member_social (member images) or r_organization_social \
                     (organization images), beyond w_member_social. The upload itself may well \
                     have succeeded; wait a few seconds and post.",
                    forbidden.message.trim_end_matches('.')
                ),
                required_scopes: vec!["r_member_social".into(), "r_organization_social".into()],
                ..forbidden
            }));
        }
        other => other?,
    };
    let body: Value = response.json()?;
    let text = |key: &str| {
        body.get(key)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    Ok(MediaStatus {
        media_urn: text("id").unwrap_or_else(|| urn.to_string()),
        status: text("status")
            .and_then(|s| MediaState::parse(&s))
            .unwrap_or(MediaState::Processing),
        download_url: text("downloadUrl"),
        failure_reason: text("processingFailureReason").or_else(|| text("failureReason")),
        raw: response.raw_json()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(first: u64, last: u64) -> UploadInstruction {
        UploadInstruction {
            upload_url: "https://www.linkedin.com/dms-uploads/x".into(),
            first_byte: first,
            last_byte: last,
        }
    }

    #[test]
    fn asset_urns() {
        let image = |t: &str| asset_urn(MediaCategory::Image, t, "mediaId").map(|u| u.to_string());
        assert_eq!(
            image("C4E10AQFoyyAjHPMQuQ").unwrap(),
            "urn:li:image:C4E10AQFoyyAjHPMQuQ"
        );
        assert_eq!(image("urn:li:image:C4E").unwrap(), "urn:li:image:C4E");
        assert_eq!(
            image("urn:li:digitalmediaAsset:C5522AQ").unwrap(),
            "urn:li:image:C5522AQ"
        );
        assert!(image("urn:li:video:C5F").is_err());
        assert!(image("a/b").is_err());
        assert!(image("").is_err());
    }

    #[test]
    fn instructions_must_be_contiguous_and_cover_the_file() {
        assert_eq!(
            check_instructions(&[part(0, 9), part(10, 14)], Some(15), "p").unwrap(),
            15
        );
        assert!(check_instructions(&[part(0, 9), part(11, 14)], None, "p").is_err());
        assert!(check_instructions(&[part(1, 9)], None, "p").is_err());
        assert!(check_instructions(&[part(0, 9), part(10, 14)], Some(16), "p").is_err());
        assert!(check_instructions(&[part(0, 9), part(10, 9)], None, "p").is_err());
        assert!(check_instructions(&[], None, "p").is_err());
    }
}
