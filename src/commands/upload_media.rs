//! upload-media: sends a file's bytes to the upload URL(s) register-upload returned, and
//! finalizes a video.

use serde::Serialize;
use serde_json::Value;

use crate::commands::shared::media::{
    MediaCategory, UploadInstruction, asset_urn, check_instructions,
};
use crate::commands::shared::upload::{
    self, Destination, check_content_type, explain_expiry, open, send,
};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::input::{Field, ParamType};
use crate::core::pipeline::Client;
use crate::core::spec::PAGE_ROLE;
use crate::core::urls;
use crate::core::urn::Urn;

#[derive(Default)]
pub struct UploadMedia;

/// register-upload's upload token, echoed to finalizeUpload. `""` is a real token here (LinkedIn
/// often sends it), not an empty form field.
#[derive(Clone, Debug, PartialEq)]
pub struct UploadToken(pub String);

impl Field for UploadToken {
    const TYPE: ParamType = ParamType::String;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        String::read(value, name).map(UploadToken)
    }

    fn absent(value: &Value) -> bool {
        value.is_null()
    }
}

crate::input! {
    /// Input of upload-media.
    pub struct Input {
        /// The upload URL of an image or document, from register-upload. Must be https on
        /// www.linkedin.com under /dms-uploads/ or api.linkedin.com under /mediaUpload/; sent byte
        /// for byte.
        #[param(title = "Upload URL", example = "https://www.linkedin.com/dms-uploads/C4E10AQFoyyAjHPMQuQ/uploaded-image/0?ca=vector_feedshare&ut=2H-Ih")]
        pub upload_url: Option<String>,
        /// A video's parts from register-upload: [{uploadUrl, firstByte, lastByte}], contiguous
        /// from byte 0 and covering the whole file.
        #[param(title = "Upload instructions (video)")]
        pub upload_instructions: Option<Vec<UploadInstruction>>,
        /// The file as base64 (standard or URL-safe; a data: URL is accepted). Give this or
        /// sourceUrl.
        #[param(title = "File (base64)", example = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")]
        pub data: Option<String>,
        /// An http(s) URL on a public host to fetch the file from, without credentials;
        /// streamed, so it may be large. It must answer with Content-Length. Give this or data.
        /// The platform's sourceUrlHosts setting may limit the hosts or turn this off.
        #[param(title = "File URL", example = "https://cdn.example.com/launch.mp4")]
        pub source_url: Option<String>,
        /// The file's media type (image/png, video/mp4, application/pdf). Defaults to the
        /// source's Content-Type, else application/octet-stream. Video parts are always sent as
        /// application/octet-stream.
        #[param(example = "image/png")]
        pub content_type: Option<String>,
        /// image, video or document; optional, used to check the other fields.
        pub media_category: Option<MediaCategory>,
        /// The media URN from register-upload; required for video (it is finalized), echoed in
        /// the output otherwise.
        #[param(title = "Media URN", example = "urn:li:video:C5505AQH-oV1qvnFtKA")]
        pub media_urn: Option<String>,
        /// Video: the uploadToken from register-upload, echoed to finalizeUpload (it is often "",
        /// which is valid).
        #[param(title = "Upload token (video)", example = "")]
        pub upload_token: Option<UploadToken>,
        /// register-upload's expiresAt (epoch ms): when given, an expired URL is reported before
        /// any byte is sent.
        #[param(title = "Expires at (epoch ms)", example = 1650567510704u64)]
        pub expires_at: Option<u64>,
    }
}

/// What was uploaded. Mirrors the WIT `media-uploaded` record.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Uploaded {
    pub media_urn: Option<String>,
    /// The ETags of the video parts, in order (empty for images and documents).
    pub part_ids: Vec<String>,
    pub bytes_uploaded: u64,
}

impl Command for UploadMedia {
    const SPEC: Spec = Spec {
        name: "upload-media",
        title: "Upload media",
        description: "Sends a file's bytes to the upload URL(s) from register-upload, exactly as \
                      LinkedIn gave them. Images and documents: one PUT with the bearer token. \
                      Video: one PUT per part with exactly its byte range and no token, then \
                      finalizeUpload with the parts' ETags. The file is base64 `data` or a \
                      `sourceUrl`, which is streamed rather than held in memory.",
        scopes: &["w_member_social|w_organization_social"],
        role: PAGE_ROLE,
        calls: &[
            "PUT {uploadUrl} (https://www.linkedin.com/dms-uploads/ or https://api.linkedin.com/mediaUpload/ only)",
            "video: PUT each uploadInstructions[].uploadUrl, POST /rest/videos?action=finalizeUpload",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = Uploaded;

    fn run(input: Input, api: &mut Client<'_>) -> Result<Uploaded, Error> {
        // Everything about the input is checked before anything is sent or fetched.
        let Some(source) = upload::source(input.data, input.source_url, "")? else {
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
                let url = urls::upload_url(url, "uploadUrl")?;
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
                        Ok((urls::upload_url(&part.upload_url, &field)?, part.clone()))
                    })
                    .collect::<Result<Vec<_>, Error>>()?;
                let media_urn = input.media_urn.as_deref().ok_or_else(|| {
                    Error::invalid(
                        "mediaUrn",
                        "`mediaUrn` (the video URN) is required to finalize a video upload.",
                    )
                })?;
                let media_urn = asset_urn(MediaCategory::Video, media_urn, "mediaUrn")?.to_string();
                let upload_token = input.upload_token.clone().map(|t| t.0).ok_or_else(|| {
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
        if let Some(expires_at) = input.expires_at {
            let now = api.unix_time_ms();
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

        let (mut payload, declared_type) = open(api, source, "data", "sourceUrl")?;
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
            send(api, &destination, &mut payload, &content_type).map_err(explain_expiry)?;
        Ok(Uploaded {
            media_urn,
            part_ids,
            bytes_uploaded: bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, run};
    use serde_json::json;

    fn image_input(source_url: &str) -> Value {
        json!({
            "uploadUrl": "https://www.linkedin.com/dms-uploads/a?ut=x%253D",
            "sourceUrl": source_url
        })
    }

    #[test]
    fn a_source_without_content_length_is_refused_before_uploading() {
        let mut env = ScriptEnv::new().respond(200, &[("content-type", "image/png")], "PNG...");
        let err =
            run::<UploadMedia>(&mut env, image_input("https://cdn.example.com/a.png")).unwrap_err();
        assert_eq!(err.field(), Some("sourceUrl"));
        assert!(err.message().contains("Content-Length"), "{err:?}");
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
        let out =
            run::<UploadMedia>(&mut env, image_input("https://cdn.example.com/a.png")).unwrap();
        assert_eq!(out["bytesUploaded"], 6);
        let put = &env.sent[1];
        assert_eq!(put.url, "https://www.linkedin.com/dms-uploads/a?ut=x%253D");
        assert_eq!(put.body, b"PNG...");
        assert_eq!(put.header("content-type"), Some("image/png"));
        assert_eq!(put.header("authorization"), Some("Bearer test-token"));
    }

    #[test]
    fn an_empty_upload_token_is_a_token() {
        let input = json!({
            "uploadInstructions": [{"uploadUrl": "https://www.linkedin.com/dms-uploads/p0", "firstByte": 0, "lastByte": 1}],
            "mediaUrn": "urn:li:video:V1",
            "uploadToken": "",
            "data": "aGk="
        });
        let mut env = ScriptEnv::new()
            .respond(200, &[("etag", "e1")], "")
            .respond(200, &[], "");
        let out = run::<UploadMedia>(&mut env, input).unwrap();
        assert_eq!(out["partIds"], json!(["e1"]));
        assert_eq!(
            env.sent[1].json()["finalizeUploadRequest"]["uploadToken"],
            ""
        );
        assert_eq!(env.sent[0].header("authorization"), None);
    }
}
