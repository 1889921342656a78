//! Sending an asset's bytes to the URL(s) register-upload returned, shared by upload-media and
//! the one-call media post.
//!
//! Images and documents: one PUT with the bearer. Video: one PUT per instruction with exactly
//! its byte range and no bearer, the ETags collected in order, then `finalizeUpload`. The bytes
//! come from base64 `data` or from a `sourceUrl`, which is streamed: a large video never sits
//! whole in the component's memory.

use std::io::Read;

use base64::Engine as _;
use http::Uri;
use serde_json::json;

use crate::commands::shared::media::UploadInstruction;
use crate::core::error::Error;
use crate::core::http::{Body, Response};
use crate::core::pipeline::{Api, ApiRequest, ApiResponse, Client};
use crate::core::urls;

/// Where the bytes come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Base64 (standard or URL-safe, padding optional; a `data:` URL prefix is allowed).
    Data(String),
    /// Fetched without credentials and streamed.
    Url(String),
}

/// Exactly one of `data` / `sourceUrl` as a [`Source`] (or none when neither is given; the
/// caller decides whether that is allowed). `prefix` names the object they are in
/// (`mediaSource.`), for errors.
pub fn source(
    data: Option<&str>,
    source_url: Option<&str>,
    prefix: &str,
) -> Result<Option<Source>, Error> {
    match (data, source_url) {
        (Some(_), Some(_)) => Err(Error::invalid(
            format!("{prefix}sourceUrl"),
            format!("Give either `{prefix}data` or `{prefix}sourceUrl`, not both."),
        )),
        (Some(data), None) => Ok(Some(Source::Data(data.to_string()))),
        (None, Some(url)) => Ok(Some(Source::Url(url.to_string()))),
        (None, None) => Ok(None),
    }
}

/// Where to send the bytes, checked.
pub enum Destination {
    /// An image or document: one PUT, with the bearer.
    Single(Uri),
    /// A video: the parts, then `finalizeUpload` with the URN and token.
    Parts {
        parts: Vec<(Uri, UploadInstruction)>,
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
            let url = urls::source_url(text, url_field)?;
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
                ApiRequest::new(http::Method::POST, Api::Rest, "/videos")
                    .query("action", "finalizeUpload")
                    .json(&json!({
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
    uploaded: Result<ApiResponse, Error>,
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
        .ok_or_else(|| {
            Error::decode(
                response.status.as_u16(),
                format!(
                    "LinkedIn accepted video part {} of {total} but sent no ETag, which \
                     finalizeUpload needs; upload the video again.",
                    i + 1
                ),
            )
        })
}

/// Explains an answer LinkedIn gives to an expired upload URL.
pub fn explain_expiry(error: Error) -> Error {
    let expired = match &error {
        Error::Api(api) => format!("{} {}", api.message, api.body.as_deref().unwrap_or(""))
            .to_ascii_lowercase()
            .contains("expired"),
        Error::Forbidden(forbidden) => forbidden.message.to_ascii_lowercase().contains("expired"),
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn content_types() {
        assert_eq!(check_content_type(" video/mp4 ", "c").unwrap(), "video/mp4");
        assert!(check_content_type("video/mp4\r\nx: y", "c").is_err());
        assert!(check_content_type("mp4", "c").is_err());
    }

    #[test]
    fn exactly_one_source() {
        assert_eq!(source(None, None, "").unwrap(), None);
        assert_eq!(
            source(Some("aGk="), None, "").unwrap(),
            Some(Source::Data("aGk=".into()))
        );
        let err = source(Some("a"), Some("https://x.example/a"), "mediaSource.").unwrap_err();
        assert_eq!(err.field(), Some("mediaSource.sourceUrl"));
    }
}
