//! What several commands share: posting, media assets and uploads, organizations (pages),
//! reading posts, comments and reactions, Lead Sync owners, and the Ads entities, money and
//! targeting.

pub mod ads;
pub mod engagement;
pub mod lead_sync;
pub mod media;
pub mod organization;
pub mod posting;
pub mod posts;
pub mod targeting;
pub mod upload;
