//! get-media-status: whether LinkedIn has processed an uploaded image, video or document.

use crate::commands::shared::media::{self, MediaCategory, MediaStatus, asset_urn};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::pipeline::Client;
use crate::core::spec::PAGE_READ_ROLE;

#[derive(Default)]
pub struct GetMediaStatus;

crate::input! {
    /// Input of get-media-status.
    pub struct Input {
        /// image, video or document. Any letter case.
        #[param(example = "video")]
        pub media_category: MediaCategory,
        /// The media: a bare id, its URN (urn:li:video:...), or a legacy
        /// urn:li:digitalmediaAsset: URN.
        #[param(title = "Media id or URN", example = "urn:li:video:C5505AQH-oV1qvnFtKA")]
        pub media_id: String,
    }
}

impl Command for GetMediaStatus {
    const SPEC: Spec = Spec {
        name: "get-media-status",
        title: "Get media status",
        description: "Reads whether LinkedIn has processed an uploaded image, video or document: \
                      WAITING_UPLOAD, PROCESSING, AVAILABLE or PROCESSING_FAILED (with the \
                      reason). Reading image status needs r_member_social or \
                      r_organization_social; a token with only w_member_social gets a forbidden \
                      error that says so.",
        scopes: &["r_member_social|r_organization_social|w_member_social"],
        role: PAGE_READ_ROLE,
        calls: &["GET /rest/{images,videos,documents}/{encoded URN}"],
        versioned: true,
    };
    type Input = Input;
    type Output = MediaStatus;

    fn run(input: Input, api: &mut Client<'_>) -> Result<MediaStatus, Error> {
        let urn = asset_urn(input.media_category, &input.media_id, "mediaId")?;
        media::read_status(api, input.media_category, &urn)
    }
}
