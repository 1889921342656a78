//! upload-media: sending an asset's bytes to the URL(s) register-upload returned.
//!
//! Images and documents: one PUT with the bearer. Video: one PUT per instruction with exactly
//! its byte range and no bearer, the ETags collected in order, then `finalizeUpload`. The bytes
//! come from base64 `data` or from a `sourceUrl`, which is streamed: a large video never sits
//! whole in the component's memory.

use std::io::Read;

use base64::Engine as _;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::catalog::{CommandSpec, UPLOAD_MEDIA};
use crate::error::Error;
use crate::http::{Body, Method, Response, Url};
use crate::input::Fields;
use crate::links;
use crate::media::{MediaCategory, UploadInstruction, asset_urn, check_instructions};
use crate::output::object_with_raw;
use crate::pipeline::{Api, ApiRequest, Client, Env};
use crate::urn::Urn;

/// Where the bytes come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Base64 (standard or URL-safe, padding optional; a `data:` URL prefix is allowed).
    Data(String),
    /// Fetched without credentials and streamed.
    Url(String),
}

/// Input of upload-media.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UploadMedia {
    pub media_category: Option<MediaCategory>,
    pub upload_url: Option<String>,
    pub upload_instructions: Option<Vec<UploadInstruction>>,
    pub source: Option<Source>,
    pub content_type: Option<String>,
    pub media_urn: Option<String>,
    pub upload_token: Option<String>,
    pub expires_at: Option<u64>,
    pub linkedin_version: Option<String>,
}

impl UploadMedia {
    pub fn from_json(map: &Map<String, Value>) -> Result<UploadMedia, Error> {
        let f = Fields::new(map, &UPLOAD_MEDIA)?;
        let instructions = match f.optional_array("uploadInstructions")? {
            None => None,
            Some(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let part = f.item("uploadInstructions", i, item)?;
                        part.only(&["uploadUrl", "firstByte", "lastByte"])?;
                        Ok(UploadInstruction {
                            upload_url: part.required_str("uploadUrl")?.to_string(),
                            first_byte: part.required_u64("firstByte")?,
                            last_byte: part.required_u64("lastByte")?,
                        })
                    })
                    .collect::<Result<Vec<_>, Error>>()?,
            ),
        };
        Ok(UploadMedia {
            media_category: f.optional_choice("mediaCategory")?,
            upload_url: f.optional_str("uploadUrl")?.map(str::to_string),
            upload_instructions: instructions,
            source: source(&f, "data", "sourceUrl")?,
            content_type: f.optional_str("contentType")?.map(str::to_string),
            media_urn: f.optional_str("mediaUrn")?.map(str::to_string),
            // The token may legitimately be "", so an empty string is kept, not dropped.
            upload_token: match map.get("uploadToken") {
                Some(Value::String(s)) => Some(s.clone()),
                None | Some(Value::Null) => None,
                Some(_) => {
                    return Err(Error::invalid(
                        "uploadToken",
                        "`uploadToken` must be a string.",
                    ));
                }
            },
            expires_at: f.optional_u64("expiresAt")?,
            linkedin_version: f.optional_str("linkedinVersion")?.map(str::to_string),
        })
    }
}

/// Exactly one of `data_key` / `url_key`, as a [`Source`] (or none when neither is given; the
/// caller decides whether that is allowed).
pub fn source(f: &Fields<'_>, data_key: &str, url_key: &str) -> Result<Option<Source>, Error> {
    match (f.optional_str(data_key)?, f.optional_str(url_key)?) {
        (Some(_), Some(_)) => Err(Error::invalid(
            f.name(url_key),
            format!(
                "Give either `{}` or `{}`, not both.",
                f.name(data_key),
                f.name(url_key)
            ),
        )),
        (Some(data), None) => Ok(Some(Source::Data(data.to_string()))),
        (None, Some(url)) => Ok(Some(Source::Url(url.to_string()))),
        (None, None) => Ok(None),
    }
}

/// What was uploaded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Uploaded {
    pub media_urn: Option<String>,
    /// The ETags of the video parts, in order (empty for images and documents).
    pub part_ids: Vec<String>,
    pub bytes_uploaded: u64,
}

impl Uploaded {
    pub fn to_json(&self) -> String {
        object_with_raw(self, None)
    }
}

/// Where to send the bytes, checked.
pub enum Destination {
    /// An image or document: one PUT, with the bearer.
    Single(Url),
    /// A video: the parts, then `finalizeUpload` with the URN and token.
    Parts {
        parts: Vec<(Url, UploadInstruction)>,
        media_urn: String,
        upload_token: String,
    },
}

/// Bytes ready to upload: held (from `data`) or streaming (from a source URL).
pub enum Payload {
    Held(Vec<u8>),
    Streaming { response: Response, len: u64 },
}

impl Payload {
    pub fn len(&self) -> u64 {
        match self {
            Payload::Held(bytes) => bytes.len() as u64,
            Payload::Streaming { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Decodes base64 `data` (whitespace ignored; standard or URL-safe alphabet; padding optional;
/// a `data:<type>;base64,` prefix allowed and its type returned).
pub fn decode_data(text: &str, field: &str) -> Result<(Vec<u8>, Option<String>), Error> {
    let (content_type, encoded) = match text.strip_prefix("data:") {
        Some(rest) => match rest.split_once(',') {
            Some((meta, data)) if meta.ends_with(";base64") => {
                let kind = meta.trim_end_matches(";base64");
                (Some(kind.to_string()).filter(|k| !k.is_empty()), data)
            }
            _ => {
                return Err(Error::invalid(
                    field,
                    format!("`{field}` is a data: URL but not a base64 one."),
                ));
            }
        },
        None => (None, text),
    };
    let cleaned: String = encoded
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    let trimmed = cleaned.trim_end_matches('=');
    let engine = if trimmed.contains(['-', '_']) {
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
    } else {
        &base64::engine::general_purpose::STANDARD_NO_PAD
    };
    let bytes = engine
        .decode(trimmed)
        .map_err(|e| Error::invalid(field, format!("`{field}` is not valid base64 ({e}).")))?;
    if bytes.is_empty() {
        return Err(Error::invalid(field, format!("`{field}` is empty.")));
    }
    Ok((bytes, content_type))
}

/// A content type that can go in a header as given.
pub fn check_content_type(value: &str, field: &str) -> Result<String, Error> {
    let value = value.trim();
    let ok = !value.is_empty()
        && value.len() <= 255
        && value.contains('/')
        && value.bytes().all(|b| (0x20..0x7f).contains(&b));
    if ok {
        Ok(value.to_string())
    } else {
        Err(Error::invalid(
            field,
            format!("`{field}` must be a media type such as image/png, not {value:?}."),
        ))
    }
}

/// Opens a source: decodes `data`, or GETs `sourceUrl` (no credentials) and reads its size
/// from `Content-Length` so the body can stream. Returns the payload and the content type
/// the source declared, if any.
pub fn open(
    client: &mut Client<'_>,
    source: &Source,
    data_field: &str,
    url_field: &str,
) -> Result<(Payload, Option<String>), Error> {
    match source {
        Source::Data(text) => {
            let (bytes, content_type) = decode_data(text, data_field)?;
            Ok((Payload::Held(bytes), content_type))
        }
        Source::Url(text) => {
            let url = links::source_url(text, url_field)?;
            let response = client.fetch_source(url, url_field)?;
            let len = response
                .header("content-length")
                .and_then(|v| v.trim().parse::<u64>().ok())
                .ok_or_else(|| {
                    Error::invalid(
                        url_field,
                        format!(
                            "`{url_field}` did not declare its size (Content-Length), which a \
                             streamed upload needs; pass the file as base64 data instead."
                        ),
                    )
                })?;
            if len == 0 {
                return Err(Error::invalid(
                    url_field,
                    format!("`{url_field}` is empty."),
                ));
            }
            let content_type = response
                .header("content-type")
                .map(|v| v.split(';').next().unwrap_or(v).trim().to_string())
                .filter(|v| !v.is_empty());
            Ok((Payload::Streaming { response, len }, content_type))
        }
    }
}

/// Sends `payload` to `destination`. Returns the part ETags (videos).
pub fn send(
    client: &mut Client<'_>,
    destination: &Destination,
    payload: &mut Payload,
    content_type: &str,
) -> Result<Vec<String>, Error> {
    match destination {
        Destination::Single(url) => {
            let body = match payload {
                Payload::Held(bytes) => Body::Bytes(std::mem::take(bytes)),
                Payload::Streaming { response, len } => Body::Stream {
                    len: *len,
                    reader: &mut *response.body,
                },
            };
            client.upload(url.clone(), content_type, body, true)?;
            Ok(Vec::new())
        }
        Destination::Parts {
            parts,
            media_urn,
            upload_token,
        } => {
            let total = parts.len();
            let mut etags = Vec::with_capacity(total);
            for (i, (url, part)) in parts.iter().enumerate() {
                let len = part.last_byte - part.first_byte + 1;
                // Parts are contiguous from byte 0 (checked), so for a stream the next `len`
                // bytes are exactly this part; held bytes are sliced, not copied.
                let mut slice: &[u8];
                let mut take;
                let reader: &mut dyn Read = match payload {
                    Payload::Held(bytes) => {
                        slice = bytes
                            .get(part.first_byte as usize..=part.last_byte as usize)
                            .unwrap_or_default();
                        &mut slice
                    }
                    Payload::Streaming { response, .. } => {
                        take = (&mut *response.body).take(len);
                        &mut take
                    }
                };
                let body = Body::Stream { len, reader };
                let uploaded = client.upload(url.clone(), "application/octet-stream", body, false);
                etags.push(part_etag(uploaded, i, total)?);
            }
            client.send(
                ApiRequest::new(Method::Post, Api::Rest, "/videos")
                    .query("action", "finalizeUpload")
                    .json(json!({
                        "finalizeUploadRequest": {
                            "video": media_urn,
                            "uploadToken": upload_token,
                            "uploadedPartIds": etags,
                        }
                    })),
            )?;
            Ok(etags)
        }
    }
}

/// The ETag of part `i`, or the error saying which part failed.
fn part_etag(
    uploaded: Result<crate::pipeline::ApiResponse, Error>,
    i: usize,
    total: usize,
) -> Result<String, Error> {
    let response = uploaded.map_err(|e| {
        e.prefixed(&format!(
            "Uploading video part {} of {total} failed: ",
            i + 1
        ))
    })?;
    response
        .header("etag")
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_string)
        .ok_or_else(|| Error::Decode {
            status: response.status,
            message: format!(
                "LinkedIn accepted video part {} of {total} but sent no ETag, which \
                 finalizeUpload needs; upload the video again.",
                i + 1
            ),
        })
}

/// Explains an answer LinkedIn gives to an expired upload URL.
pub fn explain_expiry(error: Error) -> Error {
    let expired = match &error {
        Error::Api { info, body } => {
            let text =
                format!("{} {}", info.message, body.as_deref().unwrap_or("")).to_ascii_lowercase();
            text.contains("expired")
        }
        Error::Forbidden { info, .. } => info.message.to_ascii_lowercase().contains("expired"),
        _ => false,
    };
    if expired {
        error.prefixed(
            "The upload URL has expired; call register-upload again for a new one (and a new media URN). ",
        )
    } else {
        error
    }
}

pub fn upload_media(env: &mut dyn Env, input: UploadMedia) -> Result<Uploaded, Error> {
    upload_with(env, &UPLOAD_MEDIA, input)
}

fn upload_with(
    env: &mut dyn Env,
    spec: &'static CommandSpec,
    input: UploadMedia,
) -> Result<Uploaded, Error> {
    // Everything about the input is checked before anything is sent or fetched.
    let Some(source) = &input.source else {
        return Err(Error::invalid(
            "data",
            "One of `data` (base64) or `sourceUrl` is required.",
        ));
    };
    let content_type = match &input.content_type {
        Some(ct) => Some(check_content_type(ct, "contentType")?),
        None => None,
    };
    let (destination, media_urn) = match (&input.upload_url, &input.upload_instructions) {
        (Some(_), Some(_)) => {
            return Err(Error::invalid(
                "uploadInstructions",
                "Give either `uploadUrl` (image, document) or `uploadInstructions` (video), not both.",
            ));
        }
        (None, None) => {
            return Err(Error::invalid(
                "uploadUrl",
                "`uploadUrl` (image, document) or `uploadInstructions` (video) is required, as \
                 register-upload returned them.",
            ));
        }
        (Some(url), None) => {
            if input.media_category == Some(MediaCategory::Video) {
                return Err(Error::invalid(
                    "uploadInstructions",
                    "A video is uploaded in parts: give `uploadInstructions` from register-upload.",
                ));
            }
            let url = links::upload_url(url, "uploadUrl")?;
            let media_urn = match (&input.media_urn, input.media_category) {
                (None, _) => None,
                (Some(urn), Some(category)) => {
                    Some(asset_urn(category, urn, "mediaUrn")?.to_string())
                }
                (Some(urn), None) => {
                    Some(Urn::parse_field(urn, "mediaUrn", &["image", "document"])?.to_string())
                }
            };
            (Destination::Single(url), media_urn)
        }
        (None, Some(instructions)) => {
            if matches!(input.media_category, Some(c) if c != MediaCategory::Video) {
                return Err(Error::invalid(
                    "uploadUrl",
                    "An image or document is uploaded to one `uploadUrl`, not `uploadInstructions`.",
                ));
            }
            check_instructions(instructions, None, "uploadInstructions")?;
            let parts = instructions
                .iter()
                .enumerate()
                .map(|(i, part)| {
                    let field = format!("uploadInstructions[{i}].uploadUrl");
                    Ok((links::upload_url(&part.upload_url, &field)?, part.clone()))
                })
                .collect::<Result<Vec<_>, Error>>()?;
            let media_urn = input.media_urn.as_deref().ok_or_else(|| {
                Error::invalid(
                    "mediaUrn",
                    "`mediaUrn` (the video URN) is required to finalize a video upload.",
                )
            })?;
            let media_urn = asset_urn(MediaCategory::Video, media_urn, "mediaUrn")?.to_string();
            let upload_token = input.upload_token.clone().ok_or_else(|| {
                Error::invalid(
                    "uploadToken",
                    "`uploadToken` from register-upload is required to finalize a video upload \
                     (it may be \"\").",
                )
            })?;
            let destination = Destination::Parts {
                parts,
                media_urn: media_urn.clone(),
                upload_token,
            };
            (destination, Some(media_urn))
        }
    };
    let mut client = Client::new(env, spec).with_version(input.linkedin_version.as_deref());
    if matches!(destination, Destination::Parts { .. }) {
        client.version()?;
    }
    if let Some(expires_at) = input.expires_at {
        let now = client.unix_time_ms();
        if now >= expires_at {
            return Err(Error::invalid(
                "expiresAt",
                format!(
                    "The upload URL expired {} s ago; call register-upload again for a new one \
                     (and a new media URN).",
                    (now - expires_at) / 1000
                ),
            ));
        }
    }

    let (mut payload, declared_type) = open(&mut client, source, "data", "sourceUrl")?;
    if let Destination::Parts { parts, .. } = &destination {
        let covered = parts.last().map_or(0, |(_, p)| p.last_byte + 1);
        if covered != payload.len() {
            return Err(Error::invalid(
                "uploadInstructions",
                format!(
                    "`uploadInstructions` cover {covered} bytes but the file has {}; register \
                     the upload with the file's exact size.",
                    payload.len()
                ),
            ));
        }
    }
    let content_type = content_type
        .or(declared_type.and_then(|t| check_content_type(&t, "contentType").ok()))
        .unwrap_or_else(|| "application/octet-stream".to_string());
    let bytes = payload.len();
    let part_ids =
        send(&mut client, &destination, &mut payload, &content_type).map_err(explain_expiry)?;
    Ok(Uploaded {
        media_urn,
        part_ids,
        bytes_uploaded: bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::ScriptEnv;

    #[test]
    fn base64_forms() {
        assert_eq!(decode_data("aGVsbG8=", "data").unwrap().0, b"hello");
        assert_eq!(decode_data("aGVs\nbG8", "data").unwrap().0, b"hello");
        assert_eq!(decode_data("_-8", "data").unwrap().0, [0xff, 0xef]);
        let (bytes, kind) = decode_data("data:image/png;base64,iVBORw==", "data").unwrap();
        assert_eq!(bytes, [0x89, 0x50, 0x4e, 0x47]);
        assert_eq!(kind.as_deref(), Some("image/png"));
        assert!(decode_data("not base64!", "data").is_err());
        assert!(decode_data("", "data").is_err());
        assert!(decode_data("data:text/plain,hello", "data").is_err());
    }

    fn image_input(source: Source) -> UploadMedia {
        UploadMedia {
            media_category: None,
            upload_url: Some("https://www.linkedin.com/dms-uploads/a?ut=x%253D".into()),
            upload_instructions: None,
            source: Some(source),
            content_type: None,
            media_urn: None,
            upload_token: None,
            expires_at: None,
            linkedin_version: None,
        }
    }

    #[test]
    fn a_source_without_content_length_is_refused_before_uploading() {
        let mut env = ScriptEnv::new().respond(200, &[("content-type", "image/png")], "PNG...");
        let err = upload_media(
            &mut env,
            image_input(Source::Url("https://cdn.example.com/a.png".into())),
        )
        .unwrap_err();
        assert!(
            matches!(&err, Error::InvalidInput { field, message } if field == "sourceUrl" && message.contains("Content-Length")),
            "{err:?}"
        );
        assert_eq!(env.sent.len(), 1, "only the source was fetched");
        assert!(
            env.sent[0].headers.is_empty(),
            "the source gets no credentials"
        );
    }

    #[test]
    fn a_streamed_source_goes_up_with_its_declared_type_and_the_bearer() {
        let mut env = ScriptEnv::new()
            .respond(
                200,
                &[("content-type", "image/png; q=1"), ("content-length", "6")],
                "PNG...",
            )
            .respond(201, &[], "");
        let out = upload_media(
            &mut env,
            image_input(Source::Url("https://cdn.example.com/a.png".into())),
        )
        .unwrap();
        assert_eq!(out.bytes_uploaded, 6);
        let put = &env.sent[1];
        assert_eq!(put.url, "https://www.linkedin.com/dms-uploads/a?ut=x%253D");
        assert_eq!(put.body, b"PNG...");
        assert!(
            put.headers
                .contains(&("content-type".into(), "image/png".into()))
        );
        assert!(
            put.headers
                .contains(&("authorization".into(), "Bearer test-token".into()))
        );
    }

    #[test]
    fn content_types() {
        assert_eq!(check_content_type(" video/mp4 ", "c").unwrap(), "video/mp4");
        assert!(check_content_type("video/mp4\r\nx: y", "c").is_err());
        assert!(check_content_type("mp4", "c").is_err());
    }
}
