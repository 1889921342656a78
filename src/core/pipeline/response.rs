//! A 2xx answer from LinkedIn, read whole with the secrets already removed, and the ways a
//! command reads it: as a serde model, as `raw`, as the id of what it created.

use http::{HeaderMap, Method, StatusCode, Uri};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use crate::core::error::Error;
use crate::core::http as core_http;
use crate::core::urls;

/// A request as error messages name it: method and path on LinkedIn's API (`GET
/// /rest/organizationAcls`), cut at 80 characters; an upload URL's path is not repeated.
pub(super) fn describe_call(method: &Method, uri: &Uri) -> String {
    let method = method.as_str();
    let host = uri.host().unwrap_or_default();
    let path = uri.path();
    let introspection = host == urls::INTROSPECTION_HOST && path == urls::INTROSPECTION_PATH;
    let upload = match host == urls::API_HOST {
        true => path.starts_with("/mediaUpload/"),
        false => !introspection,
    };
    if upload {
        return format!("{method} the upload URL");
    }
    match path.char_indices().nth(80) {
        Some((cut, _)) => format!("{method} {}…", path.get(..cut).unwrap_or_default()),
        None => format!("{method} {path}"),
    }
}

/// A 2xx answer, read whole, secrets already removed.
#[derive(Clone, Debug)]
pub struct ApiResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    /// The call it answers, so a body that does not read says which of a command's calls it
    /// came from (`GET /rest/organizationAcls`); kept as parts, written only for a message.
    pub call: (Method, Uri),
}

impl ApiResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        core_http::header(&self.headers, name)
    }

    /// The body read as `T` (a derived struct or `serde_json::Value`); a `decode` error when it
    /// is not the JSON expected.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, Error> {
        crate::core::json::objects::from_slice(&self.body).map_err(|e| {
            self.not_json(if self.body.is_empty() {
                "it is empty".to_string()
            } else {
                e.to_string()
            })
        })
    }

    /// A `decode` error saying what is wrong with the body.
    pub fn not_json(&self, why: impl std::fmt::Display) -> Error {
        let status = self.status.as_u16();
        Error::decode(
            status,
            format!(
                "LinkedIn answered {status} to {}, but its body is not the JSON expected ({why}).",
                describe_call(&self.call.0, &self.call.1)
            ),
        )
    }

    /// The whole body as `raw`: LinkedIn's bytes unchanged, or the `decode` error saying why it
    /// is not JSON (empty, or where it stops parsing).
    pub fn raw_json(&self) -> Result<Box<RawValue>, Error> {
        let text = std::str::from_utf8(&self.body).map_err(|e| self.not_json(e))?;
        if text.trim().is_empty() {
            return Err(self.not_json("it is empty"));
        }
        serde_json::from_str::<&RawValue>(text.trim())
            .map(|raw| raw.to_owned())
            .map_err(|e| self.not_json(e))
    }

    /// The body as text, when LinkedIn sent one.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.body)
            .ok()
            .filter(|t| !t.trim().is_empty())
    }

    /// The body for an output's `raw`: LinkedIn's bytes unchanged, when they are JSON.
    pub fn raw(&self) -> Option<Box<RawValue>> {
        let text = self.text()?;
        serde_json::from_str::<&RawValue>(text.trim())
            .ok()
            .map(|raw| raw.to_owned())
    }

    /// The id of a created entity: the `x-restli-id` header, percent-decoded (LinkedIn may send it
    /// "reduced encoded"), or else an `id` in the body.
    pub fn created_id(&self) -> Result<String, Error> {
        let from_header = self.header("x-restli-id").map(|raw| {
            percent_encoding::percent_decode_str(raw.trim())
                .decode_utf8_lossy()
                .into_owned()
        });
        let from_body = || {
            serde_json::from_slice::<serde_json::Value>(&self.body)
                .ok()
                .and_then(|v| v.get("id").and_then(|id| id.as_str()).map(str::to_string))
        };
        from_header
            .filter(|id| !id.is_empty())
            .or_else(from_body)
            .ok_or_else(|| {
                Error::decode(
                    self.status.as_u16(),
                    format!(
                        "LinkedIn answered {} but named no created id (no x-restli-id header).",
                        self.status.as_u16()
                    ),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn calls_are_named_without_upload_paths() {
        let named = |method: Method, url: &str| describe_call(&method, &url.parse().unwrap());
        assert_eq!(
            named(
                Method::GET,
                "https://api.linkedin.com/rest/organizationAcls?q=roleAssignee"
            ),
            "GET /rest/organizationAcls"
        );
        assert_eq!(
            named(
                Method::POST,
                "https://www.linkedin.com/oauth/v2/introspectToken"
            ),
            "POST /oauth/v2/introspectToken"
        );
        for upload in [
            "https://api.linkedin.com/mediaUpload/C5522AQ/feedshare-uploadedImage/0?ut=x",
            "https://www.linkedin.com/dms-uploads/C4E10AQ/uploaded-image/0?ut=x",
        ] {
            assert_eq!(named(Method::PUT, upload), "PUT the upload URL");
        }
        let long = format!("https://api.linkedin.com/rest/{}", "a".repeat(200));
        assert_eq!(named(Method::GET, &long).chars().count(), "GET ".len() + 81);
    }

    #[test]
    fn created_id_is_decoded() {
        let response = |headers: &[(&'static str, &'static str)], body: &[u8]| {
            let mut map = HeaderMap::new();
            for (n, v) in headers {
                map.insert(*n, HeaderValue::from_static(v));
            }
            ApiResponse {
                status: StatusCode::CREATED,
                headers: map,
                body: body.to_vec(),
                call: (
                    Method::POST,
                    Uri::from_static("https://api.linkedin.com/rest/posts"),
                ),
            }
        };
        assert_eq!(
            response(&[("x-restli-id", "urn%3Ali%3Ashare%3A7")], b"")
                .created_id()
                .unwrap(),
            "urn:li:share:7"
        );
        assert_eq!(
            response(&[], br#"{"id":"urn:li:ugcPost:9"}"#)
                .created_id()
                .unwrap(),
            "urn:li:ugcPost:9"
        );
        assert_eq!(
            response(&[], b"").created_id().unwrap_err().kind(),
            "decode"
        );
    }
}
