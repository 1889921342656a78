//! The core every command builds on: the request pipeline, the error, HTTP types, input
//! reading, dates, URNs, URL checks, Rest.li encoding, paging, post text, webhook signatures and
//! the lead fetch.
//! Nothing here knows a command by name, and nothing here depends on `commands` or the WIT glue,
//! so a second component (such as a Lead Sync webhook receiver) can link it as it is.

pub mod command;
pub mod dates;
pub mod error;
pub mod http;
pub mod input;
pub mod json;
pub mod leads;
pub mod paging;
pub mod pipeline;
pub mod redact;
pub mod restli;
pub mod spec;
pub mod text;
pub mod urls;
pub mod urn;
pub mod webhook;

#[cfg(test)]
pub mod testing;
