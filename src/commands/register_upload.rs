//! register-upload: asks LinkedIn where to upload an image, video or document.

use crate::commands::shared::media::{
    self, MAX_FILE_BYTES, MediaCategory, Registered, VideoOptions,
};
use crate::commands::shared::posting::AUTHOR_KINDS;
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::pipeline::Client;
use crate::core::spec::PAGE_ROLE;
use crate::core::urn::Urn;

#[derive(Default)]
pub struct RegisterUpload;

crate::input! {
    /// Input of register-upload.
    pub struct Input {
        /// Who will own the media: the person or organization URN that will author the post
        /// (short forms accepted).
        #[param(example = "urn:li:person:782bbtaQ")]
        pub owner: String,
        /// image (JPG, PNG, GIF), video (MP4) or document (PDF, PPT(X), DOC(X)). Any letter case.
        #[param(example = "video")]
        pub media_category: MediaCategory,
        /// The file's exact size in bytes; required for video, which LinkedIn splits into parts
        /// by size.
        #[param(title = "File size (bytes)", example = 1055736)]
        pub file_size_bytes: Option<u64>,
        /// Video only: also return a URL to upload captions to (default false).
        pub upload_captions: Option<bool>,
        /// Video only: also return a URL to upload a thumbnail to (default false).
        pub upload_thumbnail: Option<bool>,
    }
}

impl Command for RegisterUpload {
    const SPEC: Spec = Spec {
        name: "register-upload",
        title: "Register upload",
        description: "Asks LinkedIn where to upload an image, video or document, and returns the \
                      media URN, the upload URL (or, for video, one URL per 4 MiB part), the \
                      upload token and when the URLs expire. Pass the answer to upload-media.",
        scopes: &["w_member_social|w_organization_social"],
        role: PAGE_ROLE,
        calls: &["POST /rest/{images,videos,documents}?action=initializeUpload"],
        versioned: true,
    };
    type Input = Input;
    type Output = Registered;

    fn run(input: Input, api: &mut Client<'_>) -> Result<Registered, Error> {
        let owner = Urn::parse_field(&input.owner, "owner", AUTHOR_KINDS)?;
        let category = input.media_category;
        match (category, input.file_size_bytes) {
            (MediaCategory::Video, None) => {
                return Err(Error::invalid(
                    "fileSizeBytes",
                    "`fileSizeBytes` is required for video: LinkedIn splits the upload by size.",
                ));
            }
            (MediaCategory::Video, Some(_)) => {}
            (_, _) => {
                if input.upload_captions.is_some() || input.upload_thumbnail.is_some() {
                    return Err(Error::invalid(
                        "uploadCaptions",
                        "`uploadCaptions` and `uploadThumbnail` apply to video only.",
                    ));
                }
            }
        }
        if let Some(size) = input.file_size_bytes
            && (size == 0 || size > MAX_FILE_BYTES)
        {
            return Err(Error::invalid(
                "fileSizeBytes",
                format!("`fileSizeBytes` must be between 1 and {MAX_FILE_BYTES}."),
            ));
        }
        let options = VideoOptions {
            captions: input.upload_captions.unwrap_or(false),
            thumbnail: input.upload_thumbnail.unwrap_or(false),
        };
        media::register(api, &owner, category, input.file_size_bytes, options)
    }
}
