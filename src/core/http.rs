//! HTTP as the rest of the component sees it: the `http` crate's method, URI, status and
//! headers, and a body that can stream. Sending is the host's ([`Env::send`]): the wasm build
//! sends through `wasi:http` in the component's glue, tests through scripts, so everything above
//! compiles and runs natively.
//!
//! [`Env::send`]: crate::core::pipeline::Env::send

use std::io::Read;

pub use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use serde::Serialize;

/// A request body.
pub enum Body<'a> {
    /// No body at all (GET, DELETE).
    Empty,
    /// A body held in memory (JSON documents, small uploads).
    Bytes(Vec<u8>),
    /// A body of exactly `len` bytes streamed from `reader`, never held whole in memory.
    Stream { len: u64, reader: &'a mut dyn Read },
}

impl Body<'_> {
    /// The number of bytes the body will have.
    pub fn len(&self) -> u64 {
        match self {
            Body::Empty => 0,
            Body::Bytes(bytes) => bytes.len() as u64,
            Body::Stream { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A request ready to send. `uri` is absolute, and its path and query are sent byte for byte:
/// they are never re-encoded, because LinkedIn's signed upload URLs break when normalised.
pub struct Request<'a> {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Body<'a>,
}

/// A response whose body is still to be read.
pub struct Response {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Box<dyn BodyRead>,
}

impl Response {
    /// The value of header `name` when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// The value of header `name` (any case) when it is text.
pub fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// A response body: read as a stream (uploads pass it on piece by piece), or taken whole.
pub trait BodyRead: Read {
    /// The rest of the body, at most `limit` bytes. A transport that already holds the bytes
    /// hands them over without copying.
    fn read_all(&mut self, limit: usize) -> Result<Vec<u8>, ReadError> {
        read_limited(self, limit)
    }
}

impl<T: AsRef<[u8]>> BodyRead for std::io::Cursor<T> {}

/// Why a request got no HTTP answer. Mirrors the WIT `transport-reason`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TransportReason {
    Dns,
    ConnectionRefused,
    Timeout,
    Tls,
    Denied,
    Other,
}

/// A failure below HTTP, with the host's own detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportError {
    pub reason: TransportReason,
    pub detail: String,
}

/// Reads at most `limit` bytes of `body`: `TooLarge` when there is more than that, `Io` when the
/// stream fails.
pub fn read_limited<R: Read + ?Sized>(body: &mut R, limit: usize) -> Result<Vec<u8>, ReadError> {
    let mut out = Vec::new();
    let mut chunk = [0u8; 2048];
    loop {
        let n = body
            .read(&mut chunk)
            .map_err(|e| ReadError::Io(e.to_string()))?;
        if n == 0 {
            return Ok(out);
        }
        if out.len() + n > limit {
            return Err(ReadError::TooLarge);
        }
        out.extend_from_slice(chunk.get(..n).unwrap_or_default());
    }
}

/// Why a body could not be read whole.
#[derive(Debug)]
pub enum ReadError {
    TooLarge,
    Io(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_limited_stops_at_limit() {
        let mut data: &[u8] = b"0123456789";
        assert!(matches!(
            read_limited(&mut data, 5),
            Err(ReadError::TooLarge)
        ));
        let mut data: &[u8] = b"01234";
        assert_eq!(read_limited(&mut data, 5).unwrap(), b"01234");
    }
}
