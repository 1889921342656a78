//! What several commands share: posting, media assets and uploads, organizations (pages),
//! reading posts, comments and reactions, Lead Sync owners.

pub mod engagement;
pub mod lead_sync;
pub mod media;
pub mod organization;
pub mod posting;
pub mod posts;
pub mod upload;
