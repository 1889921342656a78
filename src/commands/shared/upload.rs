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
use serde::Serialize;

use crate::commands::shared::media::UploadInstruction;
use crate::core::error::{Error, quoted};
use crate::core::http::{Body, Response};
use crate::core::pipeline::{Api, ApiRequest, ApiResponse, Client};

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
    data: Option<String>,
    source_url: Option<String>,
    prefix: &str,
) -> Result<Option<Source>, Error> {
    match (data, source_url) {
        (Some(_), Some(_)) => Err(Error::invalid(
            format!("{prefix}sourceUrl"),
            format!("Give either `{prefix}data` or `{prefix}sourceUrl`, not both."),
        )),
        (Some(data), None) => Ok(Some(Source::Data(data))),
        (None, Some(url)) => Ok(Some(Source::Url(url))),
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

/// The body of `POST /rest/videos?action=finalizeUpload`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FinalizeUpload<'a> {
    finalize_upload_request: FinalizeRequest<'a>,
}

/// The video, its upload token (sent even when empty) and the parts' ETags, in order.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FinalizeRequest<'a> {
    video: &'a str,
    upload_token: &'a str,
    uploaded_part_ids: &'a [String],
}

/// Bytes ready to upload, never held whole: decoded from `data` piece by piece, or streaming
/// from a source URL.
pub enum Payload {
    Base64(Base64Reader),
    Streaming { response: Response, len: u64 },
}

impl Payload {
    pub fn len(&self) -> u64 {
        match self {
            Payload::Base64(reader) => reader.len,
            Payload::Streaming { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn reader(&mut self) -> &mut dyn Read {
        match self {
            Payload::Base64(reader) => reader,
            Payload::Streaming { response, .. } => &mut *response.body,
        }
    }
}

/// The most bytes `data` may carry. The base64 text is a third larger and must fit in the
/// component's memory with the input it came in (a host allowing 64 MiB is enough); larger
/// files go by `sourceUrl`, which is streamed.
pub const MAX_DATA_BYTES: u64 = 32 * 1024 * 1024;

/// Base64 `data` decoded on demand, in chunks, so the file exists once (as its base64 text):
/// whitespace ignored; standard or URL-safe alphabet; padding optional; a `data:<type>;base64,`
/// prefix allowed. Checked whole before anything is sent, so a bad character is an
/// `invalid-input`, never a failure halfway through an upload.
pub struct Base64Reader {
    text: String,
    /// Where the base64 starts (after a `data:` prefix) and where it ends (before padding).
    at: usize,
    end: usize,
    engine: &'static base64::engine::GeneralPurpose,
    /// The decoded size.
    pub len: u64,
    decoded: Vec<u8>,
    offset: usize,
}

impl Base64Reader {
    /// Checks `text` and returns the reader and the content type of a `data:` URL.
    pub fn new(text: String, field: &str) -> Result<(Base64Reader, Option<String>), Error> {
        let invalid = |why: String| Error::invalid(field, format!("`{field}` {why}"));
        let (content_type, at) = match text.strip_prefix("data:") {
            Some(rest) => match rest.split_once(',') {
                Some((meta, _)) if meta.ends_with(";base64") => {
                    let kind = meta.trim_end_matches(";base64");
                    (
                        Some(kind.to_string()).filter(|k| !k.is_empty()),
                        "data:".len() + meta.len() + 1,
                    )
                }
                _ => return Err(invalid("is a data: URL but not a base64 one.".into())),
            },
            None => (None, 0),
        };
        let body = text
            .get(at..)
            .unwrap_or_default()
            .trim_end_matches(|c: char| c == '=' || c.is_ascii_whitespace());
        let end = at + body.len();
        let url_safe = body.contains(['-', '_']);
        let mut count = 0u64;
        let mut last = 0u8;
        for b in body.bytes() {
            if b.is_ascii_whitespace() {
                continue;
            }
            let Some(value) = sextet(b, url_safe) else {
                return Err(invalid(format!(
                    "is not valid base64 (the character {:?} at byte {count}).",
                    b as char
                )));
            };
            last = value;
            count += 1;
        }
        // The bits after the last whole byte must be zero, as the engine checks.
        let trailing_ok = match count % 4 {
            0 => true,
            2 => last & 0x0f == 0,
            3 => last & 0x03 == 0,
            _ => false,
        };
        if !trailing_ok {
            return Err(invalid(
                "is not valid base64 (its length or last character is off).".into(),
            ));
        }
        let len = count / 4 * 3 + (count % 4).saturating_sub(1);
        if len == 0 {
            return Err(invalid("is empty.".into()));
        }
        if len > MAX_DATA_BYTES {
            return Err(invalid(format!(
                "holds {} MiB; files over {} MiB go by `sourceUrl`, which is streamed.",
                len / (1024 * 1024),
                MAX_DATA_BYTES / (1024 * 1024)
            )));
        }
        let engine = if url_safe {
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
        } else {
            &base64::engine::general_purpose::STANDARD_NO_PAD
        };
        let reader = Base64Reader {
            text,
            at,
            end,
            engine,
            len,
            decoded: Vec::new(),
            offset: 0,
        };
        Ok((reader, content_type))
    }

    /// Decodes the next chunk (a multiple of four characters, or the rest).
    fn refill(&mut self) -> std::io::Result<bool> {
        const CHUNK: usize = 16 * 1024;
        let mut chunk = Vec::with_capacity(CHUNK);
        let rest = self
            .text
            .as_bytes()
            .get(self.at..self.end)
            .unwrap_or_default();
        for &b in rest {
            if chunk.len() == CHUNK {
                break;
            }
            self.at += 1;
            if !b.is_ascii_whitespace() {
                chunk.push(b);
            }
        }
        if chunk.is_empty() {
            return Ok(false);
        }
        self.decoded.clear();
        self.offset = 0;
        self.engine
            .decode_vec(&chunk, &mut self.decoded)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(true)
    }
}

impl Read for Base64Reader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.offset == self.decoded.len() && !self.refill()? {
            return Ok(0);
        }
        let ready = self.decoded.get(self.offset..).unwrap_or_default();
        let n = buf.len().min(ready.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), ready.get(..n)) {
            to.copy_from_slice(from);
        }
        self.offset += n;
        Ok(n)
    }
}

/// The value of a base64 character in the standard or the URL-safe alphabet.
fn sextet(b: u8, url_safe: bool) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' if !url_safe => Some(62),
        b'/' if !url_safe => Some(63),
        b'-' if url_safe => Some(62),
        b'_' if url_safe => Some(63),
        _ => None,
    }
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
            format!(
                "`{field}` must be a media type such as image/png, not {}.",
                quoted(value)
            ),
        ))
    }
}

/// Opens a source: decodes `data`, or GETs `sourceUrl` (no credentials) and reads its size
/// from `Content-Length` so the body can stream. Returns the payload and the content type
/// the source declared, if any.
pub fn open(
    client: &mut Client<'_>,
    source: Source,
    data_field: &str,
    url_field: &str,
) -> Result<(Payload, Option<String>), Error> {
    match source {
        Source::Data(text) => {
            let (reader, content_type) = Base64Reader::new(text, data_field)?;
            Ok((Payload::Base64(reader), content_type))
        }
        Source::Url(text) => {
            let response = client.fetch_source(&text, url_field)?;
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
            let len = payload.len();
            let body = Body::Stream {
                len,
                reader: payload.reader(),
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
                // Parts are contiguous from byte 0 (checked), so the next `len` bytes of the
                // payload are exactly this part.
                let mut reader = payload.reader().take(len);
                let body = Body::Stream {
                    len,
                    reader: &mut reader,
                };
                let uploaded = client.upload(url.clone(), "application/octet-stream", body, false);
                etags.push(part_etag(uploaded, i, total)?);
            }
            client.send(
                ApiRequest::new(http::Method::POST, Api::Rest, "/videos")
                    .query("action", "finalizeUpload")
                    .json(&FinalizeUpload {
                        finalize_upload_request: FinalizeRequest {
                            video: media_urn,
                            upload_token,
                            uploaded_part_ids: &etags,
                        },
                    }),
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

    fn decode(text: &str) -> Result<(Vec<u8>, Option<String>), Error> {
        let (mut reader, kind) = Base64Reader::new(text.to_string(), "data")?;
        let mut out = Vec::new();
        reader.read_to_end(&mut out).unwrap();
        assert_eq!(
            out.len() as u64,
            reader.len,
            "the announced length is the real one"
        );
        Ok((out, kind))
    }

    #[test]
    fn base64_forms() {
        assert_eq!(decode("aGVsbG8=").unwrap().0, b"hello");
        assert_eq!(decode("aGVs\nbG8").unwrap().0, b"hello");
        assert_eq!(decode("_-8").unwrap().0, [0xff, 0xef]);
        let (bytes, kind) = decode("data:image/png;base64,iVBORw==").unwrap();
        assert_eq!(bytes, [0x89, 0x50, 0x4e, 0x47]);
        assert_eq!(kind.as_deref(), Some("image/png"));
        for bad in [
            "not base64!",
            "",
            "data:text/plain,hello",
            "aGVsbG9",
            "aGVsbG=x",
            "a",
        ] {
            assert_eq!(decode(bad).unwrap_err().field(), Some("data"), "{bad:?}");
        }
    }

    proptest::proptest! {
        /// Decoding in chunks gives what the engine gives for the whole text, for every
        /// length, alphabet, padding and whitespace.
        #[test]
        fn prop_chunked_decoding_matches_the_engine(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 1..20_000),
            url_safe: bool,
            pad: bool,
            wrap in 0usize..100,
        ) {
            use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
            let engine = match (url_safe, pad) {
                (false, true) => &STANDARD,
                (false, false) => &STANDARD_NO_PAD,
                (true, true) => &URL_SAFE,
                (true, false) => &URL_SAFE_NO_PAD,
            };
            let mut text = engine.encode(&bytes);
            if wrap > 0 {
                text = text.as_bytes().chunks(wrap * 4).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join("\n");
            }
            let (decoded, _) = decode(&text).unwrap();
            proptest::prop_assert_eq!(decoded, bytes);
        }
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
            source(Some("aGk=".into()), None, "").unwrap(),
            Some(Source::Data("aGk=".into()))
        );
        let err = source(
            Some("a".into()),
            Some("https://x.example/a".into()),
            "mediaSource.",
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("mediaSource.sourceUrl"));
    }
}
