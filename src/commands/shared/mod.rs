//! What several commands share: posting, media assets and uploads, organizations (pages).

pub mod media;
pub mod organization;
pub mod posting;
pub mod upload;
