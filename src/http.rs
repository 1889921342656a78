//! HTTP as the rest of the component sees it: plain request and response values and the
//! [`Transport`] trait. The only implementation that touches `wasi:http` lives in
//! `wasi_transport`; tests use scripted transports, so everything above compiles natively.

use std::fmt;
use std::io::Read;

/// The HTTP methods the connector sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// `https` or `http` (the latter only for URLs a user gives as a media source).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scheme {
    Https,
    Http,
}

/// A URL split the way `wasi:http` wants it. `path_and_query` is sent byte for byte: it is never
/// re-encoded, because LinkedIn's signed upload URLs break when normalised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Url {
    pub scheme: Scheme,
    /// `host` or `host:port`, lower-case.
    pub authority: String,
    /// Starts with `/`.
    pub path_and_query: String,
}

impl Url {
    /// A URL on `host` (no port) over HTTPS.
    pub fn https(host: &str, path_and_query: String) -> Url {
        Url {
            scheme: Scheme::Https,
            authority: host.to_string(),
            path_and_query,
        }
    }

    /// The host without any port.
    pub fn host(&self) -> &str {
        if self.authority.starts_with('[') {
            // An IPv6 literal: `[::1]:8080`.
            return match self.authority.find(']') {
                Some(end) => &self.authority[..=end],
                None => &self.authority,
            };
        }
        match self.authority.rsplit_once(':') {
            Some((host, _port)) => host,
            None => &self.authority,
        }
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let scheme = match self.scheme {
            Scheme::Https => "https",
            Scheme::Http => "http",
        };
        write!(f, "{scheme}://{}{}", self.authority, self.path_and_query)
    }
}

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

/// A request ready to send.
pub struct Request<'a> {
    pub method: Method,
    pub url: Url,
    /// Header names in lower case; values never contain CR or LF (checked by the builders).
    pub headers: Vec<(String, String)>,
    pub body: Body<'a>,
}

/// A response whose body is still to be read.
pub struct Response {
    pub status: u16,
    /// Header names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Box<dyn BodyRead>,
}

/// A response body: read as a stream (uploads pass it on piece by piece), or taken whole.
pub trait BodyRead: Read {
    /// The rest of the body, at most `limit` bytes. A transport that already holds the bytes
    /// hands them over without copying.
    fn read_all(&mut self, limit: usize) -> Result<Vec<u8>, ReadError>;
}

impl<T: AsRef<[u8]>> BodyRead for std::io::Cursor<T> {
    fn read_all(&mut self, limit: usize) -> Result<Vec<u8>, ReadError> {
        read_limited(self, limit)
    }
}

impl Response {
    /// The first value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        header(&self.headers, name)
    }
}

/// The first value of header `name` (compared case-insensitively).
pub fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Why a request got no HTTP answer. Mirrors the WIT `transport-reason`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportReason {
    Dns,
    ConnectionRefused,
    Timeout,
    Tls,
    Denied,
    Other,
}

impl TransportReason {
    pub fn as_str(self) -> &'static str {
        match self {
            TransportReason::Dns => "dns",
            TransportReason::ConnectionRefused => "connection-refused",
            TransportReason::Timeout => "timeout",
            TransportReason::Tls => "tls",
            TransportReason::Denied => "denied",
            TransportReason::Other => "other",
        }
    }
}

/// A failure below HTTP, with the host's own detail.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportError {
    pub reason: TransportReason,
    pub detail: String,
}

/// Something that can send a request and hand back the response head with a streaming body.
pub trait Transport {
    fn send(&mut self, request: Request<'_>) -> Result<Response, TransportError>;
}

/// Reads at most `limit` bytes of `body`: `TooLarge` when there is more than that, `Io` when the
/// stream fails.
pub fn read_limited(body: &mut dyn Read, limit: usize) -> Result<Vec<u8>, ReadError> {
    let mut out = Vec::new();
    // Small on purpose: it is zeroed on every call, and the wasi transport fetches whole
    // chunks from the host and serves reads from its own buffer.
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
        out.extend_from_slice(&chunk[..n]);
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
    fn host_strips_port() {
        let url = Url {
            scheme: Scheme::Http,
            authority: "127.0.0.1:8080".into(),
            path_and_query: "/".into(),
        };
        assert_eq!(url.host(), "127.0.0.1");
        assert_eq!(
            Url::https("api.linkedin.com", "/v2".into()).host(),
            "api.linkedin.com"
        );
        assert_eq!(url.to_string(), "http://127.0.0.1:8080/");
    }

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
