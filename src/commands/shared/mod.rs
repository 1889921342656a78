//! What several commands share: posting, media assets, uploads, comments and reactions.

pub mod engagement;
pub mod media;
pub mod posting;
pub mod upload;
