//! A host for the fuzz targets: answers requests from a script and records what was sent. The
//! unit tests' `ScriptEnv` (`core::testing`) is test-only and panics on a request it did not
//! expect; this one answers that request with a transport failure instead, and takes headers
//! and bodies as bytes, so any fuzzed answer can be served.

use std::collections::VecDeque;
use std::io::{Cursor, Read};
use std::time::Duration;

use linkedin_connector::core::http::{
    Body, HeaderMap, HeaderName, HeaderValue, Method, Request, Response, StatusCode,
    TransportError, TransportReason, Uri,
};
use linkedin_connector::core::pipeline::{CredentialError, Env};

use crate::checks::{SECRET, TOKEN};

/// One scripted answer: an HTTP status with headers and body, or a transport failure.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    Http {
        status: u16,
        headers: Vec<(Vec<u8>, Vec<u8>)>,
        body: Vec<u8>,
    },
    Fault,
}

/// One request as the host saw it.
#[derive(Clone, Debug)]
pub struct Sent {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

/// The most a fuzzed call may upload in one request before the host stops reading (the inputs
/// are a few kilobytes; this only bounds a runaway).
const MAX_BODY: u64 = 64 * 1024 * 1024;

/// A connected account ([`TOKEN`], [`SECRET`], a `clientId` so check-connection introspects)
/// whose LinkedIn answers come from `answers`, in order.
pub struct FuzzEnv {
    pub settings: Vec<(String, String)>,
    pub answers: VecDeque<Answer>,
    pub sent: Vec<Sent>,
    /// The statuses served, in order.
    pub served: Vec<u16>,
    pub token_reads: usize,
    pub secret_reads: usize,
    clock: Duration,
}

impl FuzzEnv {
    pub fn new(answers: impl IntoIterator<Item = Answer>) -> FuzzEnv {
        FuzzEnv {
            settings: vec![("clientId".into(), "86abcfuzz".into())],
            answers: answers.into_iter().collect(),
            sent: Vec::new(),
            served: Vec::new(),
            token_reads: 0,
            secret_reads: 0,
            clock: Duration::ZERO,
        }
    }

    /// The secrets this call asked the host for: only those can have been sent, so only those
    /// can come back.
    pub fn secrets_read(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.token_reads > 0 {
            out.push(TOKEN);
        }
        if self.secret_reads > 0 {
            out.push(SECRET);
        }
        out
    }
}

impl Env for FuzzEnv {
    fn send(&mut self, mut request: Request<'_>) -> Result<Response, TransportError> {
        let body = match &mut request.body {
            Body::Empty => Vec::new(),
            Body::Bytes(bytes) => bytes.clone(),
            Body::Stream { reader, .. } => {
                let mut out = Vec::new();
                // A reader that fails is the component's own (base64 `data` it decodes): its
                // error is what a real host would see too.
                let _ = reader.take(MAX_BODY).read_to_end(&mut out);
                out
            }
        };
        self.sent.push(Sent {
            method: request.method,
            uri: request.uri,
            headers: request.headers,
            body,
        });
        let fault = |detail: &str| TransportError {
            reason: TransportReason::Other,
            detail: detail.to_string(),
        };
        let (status, header_list, body) = match self.answers.pop_front() {
            Some(Answer::Http {
                status,
                headers,
                body,
            }) => (status, headers, body),
            Some(Answer::Fault) => return Err(fault("the script answers with a failure")),
            None => return Err(fault("the script has no more answers")),
        };
        let status = StatusCode::from_u16(status).map_err(|_| fault("not a status"))?;
        self.served.push(status.as_u16());
        let mut headers = HeaderMap::new();
        for (name, value) in header_list {
            // A header a real HTTP stack could not carry is not served.
            if let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(&name),
                HeaderValue::from_bytes(&value),
            ) {
                headers.append(name, value);
            }
        }
        Ok(Response {
            status,
            headers,
            body: Box::new(Cursor::new(body)),
        })
    }

    fn access_token(&mut self) -> Result<String, CredentialError> {
        self.token_reads += 1;
        Ok(TOKEN.to_string())
    }

    fn client_secret(&mut self) -> Result<String, CredentialError> {
        self.secret_reads += 1;
        Ok(SECRET.to_string())
    }

    fn setting(&mut self, name: &str) -> Option<String> {
        self.settings
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    }

    fn sleep(&mut self, duration: Duration) {
        self.clock += duration;
    }

    fn monotonic_now(&mut self) -> Duration {
        self.clock
    }

    fn unix_time_ms(&mut self) -> u64 {
        1_795_000_000_000 + self.clock.as_millis() as u64
    }
}
