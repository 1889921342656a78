//! The one place that knows wasmtime-wasi-http's hook API (it moved between wasmtime releases).
//! Every outgoing request of the component lands in [`Hooks::send_request`], which either asks a
//! [`Responder`] (replay, canned answers) or, in live mode, sends it for real.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody};
use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody, WasiHttpHooks};

use crate::fixture::Fault;

/// A request as the component sent it, body included.
#[derive(Clone, Debug)]
pub struct SentRequest {
    pub method: String,
    /// The absolute URL, byte for byte as the component built it.
    pub url: String,
    /// Names in lower case, in the order sent.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl SentRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The URL's host, lower case, without port.
    pub fn host(&self) -> String {
        self.url
            .parse::<http::Uri>()
            .ok()
            .and_then(|u| u.host().map(str::to_ascii_lowercase))
            .unwrap_or_default()
    }
}

/// A response body produced piece by piece (for large downloads that must not sit in memory).
pub type BodyChunks = Box<dyn Iterator<Item = Bytes> + Send>;

/// What to answer a request with.
pub enum Answer {
    Http {
        status: u16,
        headers: Vec<(String, String)>,
        body: Bytes,
    },
    /// A response built ahead of time (bench): handed over without per-call header parsing.
    Prepared {
        status: http::StatusCode,
        headers: http::HeaderMap,
        body: Bytes,
    },
    /// A response whose body is streamed in chunks.
    Streamed {
        status: u16,
        headers: Vec<(String, String)>,
        chunks: BodyChunks,
    },
    /// A transport failure.
    Fault(Fault),
    /// The host refuses to send the request at all (`HTTP-request-denied`).
    Denied,
    /// `answer`, after a pause (a slow server).
    After(std::time::Duration, Box<Answer>),
}

/// Answers requests in replay and bench modes.
pub trait Responder: Send + Sync {
    fn respond(&self, request: SentRequest) -> Answer;

    /// Whether `respond` looks at the request. When not (the bench's canned answers), the
    /// request body is drained without building a [`SentRequest`].
    fn inspects_requests(&self) -> bool {
        true
    }
}

/// Whether a request to `host` may carry an `Authorization` header: LinkedIn's API host and
/// its upload hosts, over HTTPS only.
pub fn bearer_allowed(url: &str) -> bool {
    let Ok(uri) = url.parse::<http::Uri>() else {
        return false;
    };
    let host = uri.host().unwrap_or_default().to_ascii_lowercase();
    uri.scheme_str() == Some("https") && (host == "linkedin.com" || host.ends_with(".linkedin.com"))
}

/// Where requests go.
#[derive(Clone)]
pub enum Backend {
    Scripted(Arc<dyn Responder>),
    /// Real HTTPS through wasmtime's default client. `endpoint` redirects LinkedIn requests to
    /// another base URL (a local test server); `log` prints each exchange to stderr.
    Live {
        endpoint: Option<http::Uri>,
        log: bool,
    },
}

/// The store's `wasi:http` hooks.
pub struct Hooks {
    pub backend: Backend,
}

impl WasiHttpHooks for Hooks {
    fn send_request(
        &mut self,
        request: http::Request<WasiBody>,
        options: Option<RequestOptions>,
        _fut: Box<dyn Future<Output = Result<(), HttpError>> + Send>,
    ) -> Box<
        dyn Future<
                Output = Result<
                    (
                        http::Response<WasiBody>,
                        Box<dyn Future<Output = Result<(), HttpError>> + Send>,
                    ),
                    HttpError,
                >,
            > + Send,
    > {
        let backend = self.backend.clone();
        Box::new(async move {
            match backend {
                Backend::Scripted(responder) => scripted(responder, request).await,
                Backend::Live { endpoint, log } => live(request, options, endpoint, log).await,
            }
        })
    }
}

type Exchange = (
    http::Response<WasiBody>,
    Box<dyn Future<Output = Result<(), HttpError>> + Send>,
);

/// The guest writes the body after `handle` returns, so it is collected here, inside the future.
async fn collect(request: http::Request<WasiBody>) -> Result<SentRequest, HttpError> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await?.to_bytes().to_vec();
    Ok(SentRequest {
        method: parts.method.to_string(),
        url: parts.uri.to_string(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_ascii_lowercase(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    })
}

async fn scripted(
    responder: Arc<dyn Responder>,
    request: http::Request<WasiBody>,
) -> Result<Exchange, HttpError> {
    let sent = if responder.inspects_requests() {
        collect(request).await?
    } else {
        request.into_body().collect().await?;
        SentRequest {
            method: String::new(),
            url: String::new(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    };
    let mut reply = responder.respond(sent);
    while let Answer::After(delay, next) = reply {
        tokio::time::sleep(delay).await;
        reply = *next;
    }
    let (status, headers, body) = match reply {
        Answer::Http {
            status,
            mut headers,
            body,
        } => {
            // A real server declares the length of a body it has whole.
            if !headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            {
                headers.push(("content-length".into(), body.len().to_string()));
            }
            (
                status,
                headers,
                Full::new(body)
                    .map_err(|never| match never {})
                    .boxed_unsync(),
            )
        }
        Answer::Prepared {
            status,
            headers,
            body,
        } => {
            let mut response = http::Response::new(
                Full::new(body)
                    .map_err(|never| match never {})
                    .boxed_unsync(),
            );
            *response.status_mut() = status;
            *response.headers_mut() = headers;
            return Ok((response, Box::new(async { Ok(()) })));
        }
        Answer::Streamed {
            status,
            headers,
            chunks,
        } => {
            let frames = futures_iter(chunks);
            (status, headers, StreamBody::new(frames).boxed_unsync())
        }
        Answer::Fault(Fault::ConnectionRefused) => return Err(HttpError::ConnectionRefused),
        Answer::Fault(Fault::Timeout) => return Err(HttpError::ConnectionTimeout),
        Answer::Fault(Fault::ProtocolError) => return Err(HttpError::HttpProtocolError),
        Answer::Fault(Fault::Dns) => {
            return Err(HttpError::DnsError {
                rcode: Some("NXDOMAIN".into()),
                info_code: None,
            });
        }
        Answer::Denied => return Err(HttpError::HttpRequestDenied),
        Answer::After(..) => unreachable!("unwrapped above"),
    };
    let mut response = http::Response::builder().status(status);
    for (name, value) in &headers {
        response = response.header(name, value);
    }
    let response = response
        .body(body)
        .map_err(|e| HttpError::InternalError(Some(e.to_string())))?;
    Ok((response, Box::new(async { Ok(()) })))
}

/// An iterator of chunks as a stream of body frames.
fn futures_iter(
    chunks: BodyChunks,
) -> impl futures::Stream<Item = Result<http_body::Frame<Bytes>, HttpError>> + Send {
    futures::stream::iter(chunks.map(|c| Ok(http_body::Frame::data(c))))
}

async fn live(
    request: http::Request<WasiBody>,
    options: Option<RequestOptions>,
    endpoint: Option<http::Uri>,
    log: bool,
) -> Result<Exchange, HttpError> {
    let url = request.uri().to_string();
    let has_bearer = request.headers().contains_key(http::header::AUTHORIZATION);
    if log {
        eprintln!("-> {} {url}", request.method());
    }
    if has_bearer && !bearer_allowed(&url) {
        eprintln!("!! refused: the component sent Authorization to {url}");
        return Err(HttpError::HttpRequestDenied);
    }
    let (mut parts, body) = request.into_parts();
    if let Some(endpoint) = &endpoint
        && bearer_allowed(&url)
    {
        let path = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str())
            .unwrap_or("/");
        let base = endpoint.to_string();
        let target = format!("{}{path}", base.trim_end_matches('/'));
        parts.uri = target
            .parse()
            .map_err(|_| HttpError::HttpRequestUriInvalid)?;
        if let Some(authority) = parts.uri.authority() {
            let host = http::HeaderValue::from_str(authority.as_str())
                .map_err(|_| HttpError::HttpRequestUriInvalid)?;
            parts.headers.insert(http::header::HOST, host);
        }
    }
    let request = http::Request::from_parts(parts, body);
    let (response, io) = wasmtime_wasi_http::default_send_request(request, options).await?;
    if log {
        eprintln!("<- {}", response.status());
    }
    Ok((response.map(BodyExt::boxed_unsync), Box::new(io)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bearer_only_to_linkedin_over_https() {
        assert!(bearer_allowed("https://api.linkedin.com/rest/posts"));
        assert!(bearer_allowed("https://www.linkedin.com/dms-uploads/x"));
        assert!(!bearer_allowed("http://api.linkedin.com/rest/posts"));
        assert!(!bearer_allowed("https://api.linkedin.com.evil.example/x"));
        assert!(!bearer_allowed("https://evillinkedin.com/x"));
        assert!(!bearer_allowed("https://example.com/?h=api.linkedin.com"));
    }
}
