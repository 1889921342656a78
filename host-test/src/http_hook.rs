//! The one place that knows wasmtime-wasi-http's hook API (it moved between wasmtime releases).
//! Every outgoing request of the component lands in [`Hooks::send_request`], which either asks a
//! [`Responder`] (replay, canned answers) or, in live mode, sends it for real.
//!
//! Live mode (`call --live`, `record`) refuses a bearer token to anything but LinkedIn over
//! HTTPS, sends LinkedIn's requests to `--endpoint` when one is given (the operator's own
//! server, trusted, through wasmtime's default client), and sends everything else through
//! [`crate::safe_net`], which refuses private, loopback and other non-public destinations. A
//! transport failure reaches the component as the one wasi:http error code that replay uses for
//! the same [`Fault`], so that what `record` writes replays to the same result; the original
//! error is printed to stderr.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, StreamBody};
use hyper::client::conn::http1::SendRequest;
use wasmtime_wasi_http::{Error as HttpError, RequestOptions, WasiBody, WasiHttpHooks};

use crate::fixture::Fault;
use crate::safe_net;

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
    /// A request as the tests of replay and the fuzzer write one.
    #[cfg(test)]
    pub fn of(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> SentRequest {
        SentRequest {
            method: method.into(),
            url: url.into(),
            headers: headers
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect(),
            body: body.as_bytes().to_vec(),
        }
    }

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
    /// Real HTTP(S). `endpoint` redirects LinkedIn requests to another base URL (a local test
    /// server); `log` prints each exchange to stderr.
    Live {
        endpoint: Option<http::Uri>,
        log: bool,
    },
    /// `Live`, keeping every exchange whole on `tape` (for `record`). Bodies are held in memory
    /// both ways, so a recorded upload costs its size.
    Recording {
        endpoint: Option<http::Uri>,
        log: bool,
        tape: Arc<Tape>,
    },
    /// The receiver (`serve`): LinkedIn's API, sent to `linkedin` instead when given (a local
    /// fake), and the forward target the operator configured; every other destination is
    /// refused, and the bearer token goes to LinkedIn only.
    Receiver {
        linkedin: Option<http::Uri>,
        forward: Option<Origin>,
        pool: Arc<Pool>,
    },
}

/// Idle HTTP/1.1 connections by host and port, for the receiver's plain-http destinations (a
/// forward target on loopback, `--linkedin`'s local server): without them every request opens
/// and closes a TCP connection, which costs more than the receiver's own work. A connection goes
/// back to the pool once its response body has been read to the end. HTTPS is sent as in live
/// mode, a connection each time.
#[derive(Default)]
pub struct Pool {
    idle: Mutex<HashMap<String, Vec<SendRequest<WasiBody>>>>,
}

impl Pool {
    fn take(&self, authority: &str) -> Option<SendRequest<WasiBody>> {
        let mut idle = self.idle.lock().ok()?;
        let senders = idle.get_mut(authority)?;
        while let Some(sender) = senders.pop() {
            if !sender.is_closed() {
                return Some(sender);
            }
        }
        None
    }

    fn put(&self, authority: String, sender: SendRequest<WasiBody>) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.entry(authority).or_default().push(sender);
        }
    }
}

/// A response body that returns its connection to the pool when it has been read to the end.
///
/// The end is the last of a Content-Length's bytes, not only the `None` after it: a guest that
/// has all the bytes it was told of stops reading there (the connector's transport does), so a
/// connection would otherwise go back only after a chunked body. Whoever takes it from the pool
/// waits for `ready()` first, so it is safe to put back before hyper has finished with it.
struct PooledBody {
    body: hyper::body::Incoming,
    back: Option<(Arc<Pool>, String, SendRequest<WasiBody>)>,
}

impl PooledBody {
    fn new(body: hyper::body::Incoming, back: (Arc<Pool>, String, SendRequest<WasiBody>)) -> Self {
        let mut pooled = PooledBody {
            body,
            back: Some(back),
        };
        // An empty body (Content-Length: 0) may never be read at all.
        if http_body::Body::is_end_stream(&pooled.body) {
            pooled.give_back();
        }
        pooled
    }

    fn give_back(&mut self) {
        if let Some((pool, authority, sender)) = self.back.take() {
            pool.put(authority, sender);
        }
    }
}

impl http_body::Body for PooledBody {
    type Data = Bytes;
    type Error = HttpError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, HttpError>>> {
        let polled = Pin::new(&mut self.body).poll_frame(cx);
        match &polled {
            Poll::Ready(None) => self.give_back(),
            Poll::Ready(Some(Ok(_))) if self.body.is_end_stream() => self.give_back(),
            Poll::Ready(Some(Err(_))) => self.back = None,
            _ => {}
        }
        polled.map(|frame| frame.map(|f| f.map_err(HttpError::from)))
    }

    fn is_end_stream(&self) -> bool {
        self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

/// The scheme, host and port of a URL: what a request must match to go to the forward target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Origin {
    scheme: String,
    host: String,
    port: u16,
}

impl Origin {
    /// The origin of an absolute http(s) URL.
    pub fn of(uri: &http::Uri) -> Option<Origin> {
        let scheme = uri.scheme_str()?.to_ascii_lowercase();
        let port = uri.port_u16().or(match scheme.as_str() {
            "http" => Some(80),
            "https" => Some(443),
            _ => None,
        })?;
        Some(Origin {
            host: uri.host()?.to_ascii_lowercase(),
            scheme,
            port,
        })
    }
}

/// The exchanges of a live call, in the order the component sent them.
#[derive(Default)]
pub struct Tape {
    exchanges: Mutex<Vec<Taped>>,
}

/// One request and what came of it.
#[derive(Clone, Debug)]
pub struct Taped {
    pub request: SentRequest,
    pub outcome: Outcome,
}

/// A live answer, or the failure the component was given instead.
#[derive(Clone, Debug)]
pub enum Outcome {
    Response {
        status: u16,
        /// Names in lower case, in the order received.
        headers: Vec<(String, String)>,
        body: Bytes,
    },
    Fault(Fault),
}

impl Tape {
    fn push(&self, request: SentRequest, outcome: Outcome) {
        if let Ok(mut exchanges) = self.exchanges.lock() {
            exchanges.push(Taped { request, outcome });
        }
    }

    /// Everything recorded so far.
    pub fn exchanges(&self) -> Vec<Taped> {
        self.exchanges.lock().map(|e| e.clone()).unwrap_or_default()
    }
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
                Backend::Live { endpoint, log } => {
                    live(request, options, endpoint, log, None).await
                }
                Backend::Recording {
                    endpoint,
                    log,
                    tape,
                } => live(request, options, endpoint, log, Some(tape)).await,
                Backend::Receiver {
                    linkedin,
                    forward,
                    pool,
                } => receiver(request, options, linkedin, forward, pool).await,
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
    let body = body.collect().await?.to_bytes();
    Ok(sent_request(&parts, &body))
}

fn sent_request(parts: &http::request::Parts, body: &[u8]) -> SentRequest {
    SentRequest {
        method: parts.method.to_string(),
        url: parts.uri.to_string(),
        headers: header_list(&parts.headers),
        body: body.to_vec(),
    }
}

fn header_list(headers: &http::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

fn full_body(bytes: Bytes) -> WasiBody {
    Full::new(bytes)
        .map_err(|never| match never {})
        .boxed_unsync()
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
        Answer::Fault(fault) => return Err(fault_error(fault)),
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

/// The wasi:http error a [`Fault`] reaches the component as, in replay and live mode alike.
fn fault_error(fault: Fault) -> HttpError {
    match fault {
        Fault::ConnectionRefused => HttpError::ConnectionRefused,
        Fault::Timeout => HttpError::ConnectionTimeout,
        Fault::ProtocolError => HttpError::HttpProtocolError,
        Fault::Dns => HttpError::DnsError {
            rcode: Some("NXDOMAIN".into()),
            info_code: None,
        },
        Fault::Tls => HttpError::TlsProtocolError,
        Fault::Denied => HttpError::HttpRequestDenied,
    }
}

/// Which [`Fault`] a live failure is: the same classes the component tells apart (its
/// transport reasons), anything without a class of its own being a protocol error.
fn classify(error: &HttpError) -> Fault {
    use std::io::ErrorKind;
    match error {
        HttpError::DnsTimeout | HttpError::DnsError { .. } | HttpError::InvalidDnsNameError(_) => {
            Fault::Dns
        }
        HttpError::ConnectionRefused
        | HttpError::ConnectionTerminated
        | HttpError::DestinationNotFound
        | HttpError::DestinationUnavailable
        | HttpError::DestinationIpUnroutable => Fault::ConnectionRefused,
        HttpError::ConnectionTimeout
        | HttpError::ConnectionReadTimeout
        | HttpError::ConnectionWriteTimeout
        | HttpError::HttpResponseTimeout => Fault::Timeout,
        HttpError::Tls(_)
        | HttpError::TlsProtocolError
        | HttpError::TlsCertificateError
        | HttpError::TlsAlertReceived { .. } => Fault::Tls,
        HttpError::HttpRequestDenied | HttpError::DestinationIpProhibited => Fault::Denied,
        HttpError::Connect(e) => match e.kind() {
            ErrorKind::TimedOut => Fault::Timeout,
            ErrorKind::AddrNotAvailable => Fault::Dns,
            _ if e
                .to_string()
                .starts_with("failed to lookup address information") =>
            {
                Fault::Dns
            }
            _ => Fault::ConnectionRefused,
        },
        HttpError::Hyper(e) if e.is_timeout() => Fault::Timeout,
        _ => Fault::ProtocolError,
    }
}

/// A [`safe_net`](crate::safe_net) failure as wasi:http sees it.
fn send_error(error: safe_net::SendError) -> HttpError {
    use safe_net::SendError as E;
    match error {
        E::Refused(_) => HttpError::HttpRequestDenied,
        E::BadUrl(_) => HttpError::HttpRequestUriInvalid,
        E::Dns(e) => HttpError::DnsError {
            rcode: Some(e.to_string()),
            info_code: None,
        },
        E::DnsTimeout => HttpError::DnsTimeout,
        E::ConnectTimeout => HttpError::ConnectionTimeout,
        E::FirstByteTimeout => HttpError::ConnectionReadTimeout,
        E::Connect(e) => match e.kind() {
            std::io::ErrorKind::TimedOut => HttpError::ConnectionTimeout,
            _ => HttpError::Connect(e),
        },
        E::Tls(e) => HttpError::Tls(e),
        E::Http(e) => HttpError::Hyper(e),
    }
}

async fn live(
    request: http::Request<WasiBody>,
    options: Option<RequestOptions>,
    endpoint: Option<http::Uri>,
    log: bool,
    tape: Option<Arc<Tape>>,
) -> Result<Exchange, HttpError> {
    let url = request.uri().to_string();
    if log {
        eprintln!("-> {} {url}", request.method());
    }
    // For the tape, the request as the component built it (before any redirection).
    let (request, sent) = match &tape {
        Some(_) => {
            let (parts, body) = request.into_parts();
            let body = body.collect().await?.to_bytes();
            let sent = sent_request(&parts, &body);
            (
                http::Request::from_parts(parts, full_body(body)),
                Some(sent),
            )
        }
        None => (request, None),
    };
    let result = send_live(request, options, endpoint.as_ref(), &url).await;
    let result = match (result, &tape) {
        // The body is read whole so that the tape has it; the connection is driven meanwhile.
        (Ok((response, io)), Some(_)) => {
            let io = tokio::spawn(Box::into_pin(io));
            let (parts, body) = response.into_parts();
            let body = body.collect().await.map(|b| b.to_bytes());
            io.abort();
            body.map(|body| (parts, body))
        }
        (Ok((response, io)), None) => {
            if log {
                eprintln!("<- {}", response.status());
            }
            return Ok((response, io));
        }
        (Err(e), _) => Err(e),
    };
    let (outcome, exchange) = match result {
        Ok((parts, body)) => {
            if log {
                eprintln!("<- {} ({} bytes)", parts.status, body.len());
            }
            let outcome = Outcome::Response {
                status: parts.status.as_u16(),
                headers: header_list(&parts.headers),
                body: body.clone(),
            };
            let response = http::Response::from_parts(parts, full_body(body));
            let done: Box<dyn Future<Output = Result<(), HttpError>> + Send> =
                Box::new(async { Ok(()) });
            (outcome, Ok((response, done)))
        }
        Err(e) => {
            let fault = classify(&e);
            if log || fault != Fault::Denied {
                eprintln!("<- failed: {e}");
            }
            (Outcome::Fault(fault), Err(fault_error(fault)))
        }
    };
    if let (Some(tape), Some(sent)) = (tape, sent) {
        tape.push(sent, outcome);
    }
    exchange
}

/// Sends one of the receiver's requests: LinkedIn's as live mode does (to `linkedin` when
/// given), a request to the configured forward target as it is (the operator chose it, so it may
/// be on loopback), anything else refused.
async fn receiver(
    request: http::Request<WasiBody>,
    options: Option<RequestOptions>,
    linkedin: Option<http::Uri>,
    forward: Option<Origin>,
    pool: Arc<Pool>,
) -> Result<Exchange, HttpError> {
    let url = request.uri().to_string();
    if bearer_allowed(&url) {
        return match linkedin {
            Some(endpoint) if endpoint.scheme_str() == Some("http") => {
                pooled(redirected(request, &endpoint)?, pool).await
            }
            endpoint => send_live(request, options, endpoint.as_ref(), &url).await,
        };
    }
    let to_forward = forward.is_some() && Origin::of(request.uri()) == forward;
    if !to_forward || request.headers().contains_key(http::header::AUTHORIZATION) {
        eprintln!("!! refused: the receiver sent a request to {url}");
        return Err(HttpError::HttpRequestDenied);
    }
    if request.uri().scheme_str() == Some("http") {
        return pooled(request, pool).await;
    }
    let (response, io) = wasmtime_wasi_http::default_send_request(request, options).await?;
    Ok((response.map(BodyExt::boxed_unsync), Box::new(io)))
}

/// Sends a plain-http request on an idle connection to its host and port, or a new one.
async fn pooled(request: http::Request<WasiBody>, pool: Arc<Pool>) -> Result<Exchange, HttpError> {
    let authority = request
        .uri()
        .authority()
        .map(|a| a.as_str().to_string())
        .ok_or(HttpError::HttpRequestUriInvalid)?;
    let mut sender = match pool.take(&authority) {
        Some(sender) => sender,
        None => {
            let stream = tokio::net::TcpStream::connect(&authority)
                .await
                .map_err(HttpError::Connect)?;
            let _ = stream.set_nodelay(true);
            let (sender, connection) =
                hyper::client::conn::http1::handshake(wasmtime_wasi_http::io::TokioIo::new(stream))
                    .await?;
            tokio::spawn(connection);
            sender
        }
    };
    sender.ready().await?;
    // HTTP/1.1 asks for the path and query, the host in its own header.
    let (mut parts, body) = request.into_parts();
    let host =
        http::HeaderValue::from_str(&authority).map_err(|_| HttpError::HttpRequestUriInvalid)?;
    parts.headers.insert(http::header::HOST, host);
    parts.uri = parts
        .uri
        .path_and_query()
        .map_or("/", |p| p.as_str())
        .parse()
        .map_err(|_| HttpError::HttpRequestUriInvalid)?;
    let response = sender
        .send_request(http::Request::from_parts(parts, body))
        .await?;
    let (parts, body) = response.into_parts();
    let body = PooledBody::new(body, (pool, authority, sender));
    Ok((
        http::Response::from_parts(parts, body.boxed_unsync()),
        Box::new(async { Ok(()) }),
    ))
}

/// A LinkedIn request sent to `endpoint` instead, its path and query kept.
fn redirected(
    request: http::Request<WasiBody>,
    endpoint: &http::Uri,
) -> Result<http::Request<WasiBody>, HttpError> {
    let (mut parts, body) = request.into_parts();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let base = endpoint.to_string();
    parts.uri = format!("{}{path}", base.trim_end_matches('/'))
        .parse()
        .map_err(|_| HttpError::HttpRequestUriInvalid)?;
    Ok(http::Request::from_parts(parts, body))
}

/// Sends one live request: LinkedIn's to `endpoint` when given (the operator's own server, so
/// not subject to the address policy), everything else through the safe sender.
async fn send_live(
    request: http::Request<WasiBody>,
    options: Option<RequestOptions>,
    endpoint: Option<&http::Uri>,
    url: &str,
) -> Result<Exchange, HttpError> {
    if request.headers().contains_key(http::header::AUTHORIZATION) && !bearer_allowed(url) {
        eprintln!("!! refused: the component sent Authorization to {url}");
        return Err(HttpError::HttpRequestDenied);
    }
    if let Some(endpoint) = endpoint
        && bearer_allowed(url)
    {
        let (mut parts, body) = request.into_parts();
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
        let request = http::Request::from_parts(parts, body);
        let (response, io) = wasmtime_wasi_http::default_send_request(request, options).await?;
        return Ok((response.map(BodyExt::boxed_unsync), Box::new(io)));
    }
    let defaults = safe_net::Timeouts::default();
    let timeouts = safe_net::Timeouts {
        connect: options
            .and_then(|o| o.connect_timeout)
            .map_or(defaults.connect, |t| t.min(defaults.connect)),
        first_byte: options
            .and_then(|o| o.first_byte_timeout)
            .map_or(defaults.first_byte, |t| t.min(defaults.first_byte)),
    };
    match safe_net::send(request, timeouts).await {
        Ok((response, connection)) => {
            let io = async move { connection.await.map_err(HttpError::from) };
            Ok((
                response.map(|body| body.map_err(HttpError::from).boxed_unsync()),
                Box::new(io),
            ))
        }
        Err(e) => {
            if let safe_net::SendError::Refused(why) = &e {
                eprintln!("!! refused {url}: {why}");
            }
            Err(send_error(e))
        }
    }
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

    fn send(backend: Backend, url: &str) -> Result<u16, HttpError> {
        send_with(backend, url, &[])
    }

    fn send_with(backend: Backend, url: &str, headers: &[(&str, &str)]) -> Result<u16, HttpError> {
        let mut request = http::Request::builder().method("GET").uri(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request
            .body(full_body(Bytes::new()))
            .map_err(|e| HttpError::InternalError(Some(e.to_string())))?;
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| HttpError::InternalError(Some(e.to_string())))?;
        let mut hooks = Hooks { backend };
        let sent = hooks.send_request(request, None, Box::new(async { Ok(()) }));
        rt.block_on(Box::into_pin(sent))
            .map(|(response, _)| response.status().as_u16())
    }

    /// The receiver's host sends to LinkedIn and to the forward target's origin only: another
    /// port, host name or scheme, or the bearer token to the forward target, is refused before
    /// anything connects.
    #[test]
    fn the_receiver_reaches_only_linkedin_and_its_forward_target() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("address").port();
        let target: http::Uri = format!("http://127.0.0.1:{port}/hooks")
            .parse()
            .expect("URI");
        let backend = Backend::Receiver {
            linkedin: None,
            forward: Origin::of(&target),
            pool: Arc::default(),
        };
        let other_port = if port == 65535 { port - 1 } else { port + 1 };
        for url in [
            format!("http://127.0.0.1:{other_port}/hooks"),
            format!("http://localhost:{port}/hooks"),
            format!("https://127.0.0.1:{port}/hooks"),
            "http://169.254.169.254/latest/meta-data/".to_string(),
        ] {
            assert!(
                matches!(
                    send(backend.clone(), &url),
                    Err(HttpError::HttpRequestDenied)
                ),
                "{url}"
            );
        }
        let with_token = send_with(
            backend,
            &format!("http://127.0.0.1:{port}/hooks"),
            &[("authorization", "Bearer test-token")],
        );
        assert!(matches!(with_token, Err(HttpError::HttpRequestDenied)));
        assert!(
            matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "a refused request must not connect"
        );
        assert_eq!(
            Origin::of(&"HTTP://Example.COM/x".parse().expect("URI")),
            Origin::of(&"http://example.com:80/y".parse().expect("URI"))
        );
    }

    /// A source URL whose name resolves to loopback, with a server listening there: live mode
    /// refuses it before connecting, even with an `--endpoint` (which covers LinkedIn only), and
    /// `record` writes the refusal as the `denied` fault.
    #[test]
    fn live_mode_refuses_a_local_destination_before_connecting() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let port = listener.local_addr().expect("address").port();
        let tape = Arc::new(Tape::default());
        let backends = [
            Backend::Live {
                endpoint: None,
                log: false,
            },
            Backend::Live {
                endpoint: Some(format!("http://127.0.0.1:{port}").parse().expect("URI")),
                log: false,
            },
            Backend::Recording {
                endpoint: None,
                log: false,
                tape: tape.clone(),
            },
        ];
        for backend in backends {
            for url in [
                format!("http://localhost:{port}/video.mp4"),
                format!("http://127.0.0.1:{port}/video.mp4"),
                format!("https://[::ffff:127.0.0.1]:{port}/video.mp4"),
            ] {
                assert!(
                    matches!(
                        send(backend.clone(), &url),
                        Err(HttpError::HttpRequestDenied)
                    ),
                    "{url}"
                );
            }
        }
        assert!(
            matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
            "a refused request must not connect"
        );
        let taped = tape.exchanges();
        assert_eq!(taped.len(), 3);
        assert!(
            taped
                .iter()
                .all(|t| matches!(t.outcome, Outcome::Fault(Fault::Denied))),
            "{taped:?}"
        );
        assert_eq!(
            taped[0].request.url,
            format!("http://localhost:{port}/video.mp4")
        );
    }
}
