//! What several commands share: posting, media assets and uploads.

pub mod media;
pub mod posting;
pub mod upload;
