//! What several commands share: posting, reading posts, media assets and uploads.

pub mod media;
pub mod posting;
pub mod posts;
pub mod upload;
