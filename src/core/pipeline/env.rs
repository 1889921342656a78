//! What the component gets from its host: HTTP, secrets, settings and clocks, behind one trait,
//! so everything above compiles and runs natively with a scripted host in tests.

use std::time::Duration;

use crate::core::error::Error;
use crate::core::http::{Request, Response, TransportError};

/// Why the host could not supply a secret. Mirrors the WIT `credential-error`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CredentialError {
    NotConfigured(String),
    Unavailable(String),
}

/// Everything the component gets from its host: HTTP, secrets and settings. The wasm build
/// implements it over the WIT imports; tests implement it with scripts.
pub trait Env {
    fn send(&mut self, request: Request<'_>) -> Result<Response, TransportError>;
    fn access_token(&mut self) -> Result<String, CredentialError>;
    fn client_secret(&mut self) -> Result<String, CredentialError>;
    fn setting(&mut self, name: &str) -> Option<String>;
    /// Blocks for `duration` (waiting for LinkedIn to process media).
    fn sleep(&mut self, duration: Duration);
    /// A monotonic clock, for bounded waits.
    fn monotonic_now(&mut self) -> Duration;
    /// Wall-clock milliseconds since the Unix epoch (LinkedIn's expiry stamps use them).
    fn unix_time_ms(&mut self) -> u64;
}

/// The `credentials` error for a secret the host could not give: `what` names the secret,
/// `fix` says what the platform's user should do when none is configured. A secret that is not
/// configured is said in the component's own words only (the host's reason adds nothing the fix
/// does not say, and each host words it differently); a host that failed to give one it has
/// keeps its reason, which is the only clue to what went wrong.
pub fn credential_error(error: CredentialError, what: &str, fix: &str) -> Error {
    Error::credentials(match error {
        CredentialError::NotConfigured(_) => format!("No LinkedIn {what} is available; {fix}."),
        CredentialError::Unavailable(why) => {
            format!("The platform could not supply the LinkedIn {what} ({why}); retry later.")
        }
    })
}
