//! The only code that sends over `wasi:http`: a small blocking client over
//! `wasi:http/outgoing-handler`, written against the `wasip2` crate's types so that the connector
//! and the receiver share it. Request bodies stream out in the chunks the host permits and
//! response bodies stream in, so a large upload never sits whole in linear memory.

use std::io::{self, Read};

use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};

use crate::core::http::{
    Body, BodyRead, ReadError, Request, Response, TransportError, TransportReason,
};
use wasip2::http::outgoing_handler;
use wasip2::http::types::{
    ErrorCode, Fields, IncomingBody, IncomingResponse, Method as WasiMethod, OutgoingBody,
    OutgoingRequest, Scheme as WasiScheme,
};
use wasip2::io::streams::{InputStream, OutputStream, StreamError};

/// How much of a request body is copied per write (the host may permit less).
const CHUNK: usize = 64 * 1024;

/// `blocking-write-and-flush` takes at most 4096 bytes; a body this small goes in one call.
const SINGLE_WRITE: usize = 4096;

/// Sends `request` through `wasi:http/outgoing-handler` and returns the response head with its
/// body still streaming.
pub fn send(mut request: Request<'_>) -> Result<Response, TransportError> {
    let length = request.body.len();
    let mut entries: Vec<(String, Vec<u8>)> = request
        .headers
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), v.as_bytes().to_vec()))
        .collect();
    let has_body = length > 0
        || request.method == Method::POST
        || request.method == Method::PUT
        || request.method == Method::PATCH;
    if has_body {
        entries.push(("content-length".into(), length.to_string().into_bytes()));
    }
    let headers = Fields::from_list(&entries)
        .map_err(|e| other(format!("the request has an invalid header ({e:?})")))?;
    let outgoing = OutgoingRequest::new(headers);
    let method = match request.method {
        Method::GET => WasiMethod::Get,
        Method::POST => WasiMethod::Post,
        Method::PUT => WasiMethod::Put,
        Method::PATCH => WasiMethod::Patch,
        Method::DELETE => WasiMethod::Delete,
        ref other => WasiMethod::Other(other.as_str().to_string()),
    };
    let scheme = match request.uri.scheme_str() {
        Some("https") => WasiScheme::Https,
        Some("http") => WasiScheme::Http,
        _ => return Err(other("the request URL has no http(s) scheme".into())),
    };
    let authority = request
        .uri
        .authority()
        .map(|a| a.as_str())
        .unwrap_or_default();
    let path_and_query = request
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    let invalid = |what: &str| other(format!("the host refused the request's {what}"));
    // A new request's method is GET; every host call saved counts on the hot path.
    if !matches!(method, WasiMethod::Get) {
        outgoing
            .set_method(&method)
            .map_err(|()| invalid("method"))?;
    }
    outgoing
        .set_scheme(Some(&scheme))
        .map_err(|()| invalid("scheme"))?;
    outgoing
        .set_authority(Some(authority))
        .map_err(|()| invalid("host"))?;
    outgoing
        .set_path_with_query(Some(path_and_query))
        .map_err(|()| invalid("path"))?;
    // A request without a body never takes its outgoing-body: wasi:http sends it empty
    // (three host calls fewer for every GET).
    let body = if request.body.is_empty() {
        None
    } else {
        Some(outgoing.body().map_err(|()| invalid("body"))?)
    };
    let future = outgoing_handler::handle(outgoing, None).map_err(|e| map_error(&e))?;

    let (written, finished) = match body {
        Some(body) => (
            write_body(&body, &mut request.body),
            OutgoingBody::finish(body, None).map_err(|e| map_error(&e)),
        ),
        None => (Ok(()), Ok(())),
    };

    // The response (or the host's reason for failing) is the better error, so wait for it
    // even when writing the body failed. Nothing can be ready before the first wait, so
    // wait first and ask after.
    let response = loop {
        future.subscribe().block();
        match future.get() {
            Some(Ok(Ok(response))) => break response,
            Some(Ok(Err(code))) => return Err(map_error(&code)),
            Some(Err(())) => return Err(other("the response was already taken".into())),
            None => continue,
        }
    };
    written?;
    finished?;

    let status = StatusCode::from_u16(response.status())
        .map_err(|_| other(format!("the host returned status {}", response.status())))?;
    let mut headers = HeaderMap::new();
    for (name, value) in response.headers().entries() {
        // A header the `http` crate cannot represent is one no command reads.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_bytes(&value),
        ) {
            headers.append(name, value);
        }
    }
    let incoming = response
        .consume()
        .map_err(|()| other("the response body was already taken".into()))?;
    let stream = incoming
        .stream()
        .map_err(|()| other("the response body stream was already taken".into()))?;
    // With a Content-Length the end of the body is known without one more read.
    let remaining =
        crate::core::http::header(&headers, "content-length").and_then(|v| v.trim().parse().ok());
    Ok(Response {
        status,
        headers,
        body: Box::new(BodyReader {
            stream: Some(stream),
            pending: Vec::new(),
            offset: 0,
            remaining,
            _body: incoming,
            _response: response,
        }),
    })
}

/// Copies the body into the request stream within the write budget the host grants. An empty
/// body never opens the stream; a small one goes in a single call.
fn write_body(body: &OutgoingBody, source: &mut Body<'_>) -> Result<(), TransportError> {
    if matches!(source, Body::Empty) {
        return Ok(());
    }
    let stream = body
        .write()
        .map_err(|()| other("the request body stream was already taken".into()))?;
    let result = match source {
        Body::Empty => Ok(()),
        Body::Bytes(bytes) if bytes.len() <= SINGLE_WRITE => {
            stream.blocking_write_and_flush(bytes).map_err(stream_error)
        }
        Body::Bytes(bytes) => {
            write_all(&stream, bytes).and_then(|()| stream.blocking_flush().map_err(stream_error))
        }
        Body::Stream { len, reader } => copy_stream(&stream, *len, reader)
            .and_then(|()| stream.blocking_flush().map_err(stream_error)),
    };
    drop(stream);
    result
}

fn copy_stream(
    stream: &OutputStream,
    len: u64,
    reader: &mut dyn Read,
) -> Result<(), TransportError> {
    let mut buffer = vec![0u8; CHUNK];
    let mut left = len;
    while left > 0 {
        let want = usize::try_from(left).unwrap_or(CHUNK).min(CHUNK);
        let n = reader
            .read(buffer.get_mut(..want).unwrap_or_default())
            .map_err(|e| other(format!("reading the upload source failed: {e}")))?;
        if n == 0 {
            return Err(other(format!(
                "the upload source ended {left} bytes before the {len} bytes announced"
            )));
        }
        write_all(stream, buffer.get(..n).unwrap_or_default())?;
        left -= n as u64;
    }
    Ok(())
}

fn write_all(stream: &OutputStream, mut bytes: &[u8]) -> Result<(), TransportError> {
    while !bytes.is_empty() {
        let permitted = stream.check_write().map_err(stream_error)? as usize;
        if permitted == 0 {
            stream.subscribe().block();
            continue;
        }
        let (now, later) = bytes.split_at_checked(permitted).unwrap_or((bytes, &[]));
        stream.write(now).map_err(stream_error)?;
        bytes = later;
    }
    Ok(())
}

/// A response body read from its `wasi:io` stream on demand. Field order is drop order: the
/// stream goes before the body, the body before the response.
struct BodyReader {
    stream: Option<InputStream>,
    pending: Vec<u8>,
    offset: usize,
    /// Bytes still to come, when the response declared its length.
    remaining: Option<u64>,
    _body: IncomingBody,
    _response: IncomingResponse,
}

impl BodyReader {
    /// The next chunk from the host, or `None` at the end of the body.
    fn next_chunk(&mut self) -> io::Result<Option<Vec<u8>>> {
        let Some(stream) = &self.stream else {
            return Ok(None);
        };
        if self.remaining == Some(0) {
            return Ok(None);
        }
        // Ask for a whole chunk whatever the caller's buffer holds: a small body arrives in
        // one host call.
        match stream.blocking_read(CHUNK as u64) {
            Ok(bytes) => {
                if let Some(remaining) = &mut self.remaining {
                    *remaining = remaining.saturating_sub(bytes.len() as u64);
                }
                Ok(Some(bytes))
            }
            Err(StreamError::Closed) => {
                self.stream = None;
                Ok(None)
            }
            Err(StreamError::LastOperationFailed(e)) => {
                self.stream = None;
                Err(io::Error::other(e.to_debug_string()))
            }
        }
    }
}

impl Read for BodyReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.offset == self.pending.len() {
            match self.next_chunk()? {
                Some(bytes) => {
                    self.pending = bytes;
                    self.offset = 0;
                }
                None => return Ok(0),
            }
        }
        let ready = self.pending.get(self.offset..).unwrap_or_default();
        let n = buf.len().min(ready.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), ready.get(..n)) {
            to.copy_from_slice(from);
        }
        self.offset += n;
        Ok(n)
    }
}

impl BodyRead for BodyReader {
    fn read_all(&mut self, limit: usize) -> Result<Vec<u8>, ReadError> {
        // The chunks the host hands over become the body; a body that comes in one chunk (the
        // usual API answer) is not copied at all.
        let mut out = std::mem::take(&mut self.pending).split_off(self.offset);
        self.offset = 0;
        while out.len() <= limit {
            match self.next_chunk() {
                Ok(Some(chunk)) if out.is_empty() => out = chunk,
                Ok(Some(chunk)) => out.extend_from_slice(&chunk),
                Ok(None) => return Ok(out),
                Err(e) => return Err(ReadError::Io(e.to_string())),
            }
        }
        Err(ReadError::TooLarge)
    }
}

fn other(detail: String) -> TransportError {
    TransportError {
        reason: TransportReason::Other,
        detail,
    }
}

fn stream_error(e: StreamError) -> TransportError {
    match e {
        StreamError::Closed => other("the host closed the request body stream".into()),
        StreamError::LastOperationFailed(e) => other(format!(
            "writing the request body failed: {}",
            e.to_debug_string()
        )),
    }
}

fn map_error(code: &ErrorCode) -> TransportError {
    let reason = match code {
        ErrorCode::DnsTimeout | ErrorCode::DnsError(_) => TransportReason::Dns,
        ErrorCode::DestinationNotFound
        | ErrorCode::DestinationUnavailable
        | ErrorCode::DestinationIpUnroutable
        | ErrorCode::ConnectionRefused
        | ErrorCode::ConnectionTerminated => TransportReason::ConnectionRefused,
        ErrorCode::ConnectionTimeout
        | ErrorCode::ConnectionReadTimeout
        | ErrorCode::ConnectionWriteTimeout
        | ErrorCode::HttpResponseTimeout => TransportReason::Timeout,
        ErrorCode::TlsProtocolError
        | ErrorCode::TlsCertificateError
        | ErrorCode::TlsAlertReceived(_) => TransportReason::Tls,
        ErrorCode::HttpRequestDenied | ErrorCode::DestinationIpProhibited => {
            TransportReason::Denied
        }
        _ => TransportReason::Other,
    };
    // The reason already says what happened; only an unclassified failure needs the host's code.
    let detail = if reason == TransportReason::Other {
        code_name(code)
    } else {
        String::new()
    };
    TransportError { reason, detail }
}

/// An unclassified error code by its wasi:http name, with the host's message when it gave one.
/// (Written out rather than `{code:?}`: the derived Debug of ErrorCode costs ~2 KB.)
fn code_name(code: &ErrorCode) -> String {
    let name = match code {
        ErrorCode::ConnectionLimitReached => "connection-limit-reached",
        ErrorCode::HttpRequestLengthRequired => "HTTP-request-length-required",
        ErrorCode::HttpRequestBodySize(_) => "HTTP-request-body-size",
        ErrorCode::HttpRequestMethodInvalid => "HTTP-request-method-invalid",
        ErrorCode::HttpRequestUriInvalid => "HTTP-request-URI-invalid",
        ErrorCode::HttpRequestUriTooLong => "HTTP-request-URI-too-long",
        ErrorCode::HttpRequestHeaderSectionSize(_) | ErrorCode::HttpRequestHeaderSize(_) => {
            "HTTP-request-header-size"
        }
        ErrorCode::HttpRequestTrailerSectionSize(_) | ErrorCode::HttpRequestTrailerSize(_) => {
            "HTTP-request-trailer-size"
        }
        ErrorCode::HttpResponseIncomplete => "HTTP-response-incomplete",
        ErrorCode::HttpResponseHeaderSectionSize(_) | ErrorCode::HttpResponseHeaderSize(_) => {
            "HTTP-response-header-size"
        }
        ErrorCode::HttpResponseBodySize(_) => "HTTP-response-body-size",
        ErrorCode::HttpResponseTrailerSectionSize(_) | ErrorCode::HttpResponseTrailerSize(_) => {
            "HTTP-response-trailer-size"
        }
        ErrorCode::HttpResponseTransferCoding(_) => "HTTP-response-transfer-coding",
        ErrorCode::HttpResponseContentCoding(_) => "HTTP-response-content-coding",
        ErrorCode::HttpUpgradeFailed => "HTTP-upgrade-failed",
        ErrorCode::HttpProtocolError => "HTTP-protocol-error",
        ErrorCode::LoopDetected => "loop-detected",
        ErrorCode::ConfigurationError => "configuration-error",
        ErrorCode::InternalError(_) => "internal-error",
        _ => "error",
    };
    match code {
        ErrorCode::InternalError(Some(message))
        | ErrorCode::HttpResponseTransferCoding(Some(message))
        | ErrorCode::HttpResponseContentCoding(Some(message)) => [name, ": ", message].concat(),
        _ => name.to_string(),
    }
}
