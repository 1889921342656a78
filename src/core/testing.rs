//! A scripted [`Env`] for unit tests, and a helper that runs a command through the same
//! dispatch `execute` uses.

use std::collections::VecDeque;
use std::io::{Cursor, Read};
use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde_json::Value;

use crate::core::command::{Command, Dispatch};
use crate::core::error::Error;
use crate::core::http::{Body, Request, Response, TransportError};
use crate::core::pipeline::{CredentialError, Env};
use crate::core::spec::Spec;

/// One request as the transport saw it.
#[derive(Debug, Clone)]
pub struct Sent {
    pub method: Method,
    pub url: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Sent {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// A canned answer: status, headers, body; or a transport failure.
pub type Canned = Result<(u16, Vec<(String, String)>, Vec<u8>), TransportError>;

/// Answers requests from a queue of canned responses and records what was sent.
pub struct ScriptEnv {
    pub token: Result<String, CredentialError>,
    pub secret: Result<String, CredentialError>,
    pub settings: Vec<(String, String)>,
    pub responses: VecDeque<Canned>,
    pub sent: Vec<Sent>,
    /// Virtual time: `sleep` advances it.
    pub clock: Duration,
    pub wall_ms: u64,
    /// How often the access token and the client secret were asked for.
    pub token_reads: usize,
    pub secret_reads: usize,
}

impl Default for ScriptEnv {
    fn default() -> Self {
        ScriptEnv::new()
    }
}

impl ScriptEnv {
    pub fn new() -> ScriptEnv {
        ScriptEnv {
            token: Ok("test-token".into()),
            secret: Ok("test-secret".into()),
            settings: Vec::new(),
            responses: VecDeque::new(),
            sent: Vec::new(),
            clock: Duration::ZERO,
            wall_ms: 1_795_000_000_000,
            token_reads: 0,
            secret_reads: 0,
        }
    }

    pub fn respond(mut self, status: u16, headers: &[(&str, &str)], body: &str) -> ScriptEnv {
        let headers = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        self.responses
            .push_back(Ok((status, headers, body.as_bytes().to_vec())));
        self
    }
}

impl Env for ScriptEnv {
    fn send(&mut self, mut request: Request<'_>) -> Result<Response, TransportError> {
        let body = match &mut request.body {
            Body::Empty => Vec::new(),
            Body::Bytes(b) => b.clone(),
            Body::Stream { reader, .. } => {
                let mut out = Vec::new();
                reader.read_to_end(&mut out).expect("stream");
                out
            }
        };
        self.sent.push(Sent {
            method: request.method,
            url: request.uri.to_string(),
            headers: request.headers,
            body,
        });
        let (status, headers, body) = self
            .responses
            .pop_front()
            .expect("a request the script did not expect")?;
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(
                HeaderName::try_from(name.to_ascii_lowercase()).expect("header name"),
                HeaderValue::try_from(value).expect("header value"),
            );
        }
        Ok(Response {
            status: StatusCode::from_u16(status).expect("status"),
            headers: map,
            body: Box::new(Cursor::new(body)),
        })
    }
    fn access_token(&mut self) -> Result<String, CredentialError> {
        self.token_reads += 1;
        self.token.clone()
    }
    fn client_secret(&mut self) -> Result<String, CredentialError> {
        self.secret_reads += 1;
        self.secret.clone()
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
        self.wall_ms + self.clock.as_millis() as u64
    }
}

/// Runs command `C` on `input` exactly as `execute` would, and returns its output as JSON.
pub fn run<C: Command + Sync + Default>(env: &mut ScriptEnv, input: Value) -> Result<Value, Error> {
    let map = match input {
        Value::Object(map) => map,
        other => panic!("test input must be an object, not {other}"),
    };
    let text = Dispatch::execute(&C::default(), env, crate::core::input::Fields::new(map))?;
    Ok(serde_json::from_str(&text).expect("the output is JSON"))
}

/// The spec of a command for tests that use the pipeline directly.
pub fn context() -> &'static Spec {
    const SPEC: Spec = Spec {
        name: "test",
        title: "Test",
        description: "",
        scopes: &[],
        role: "",
        calls: &[],
        versioned: true,
    };
    &SPEC
}

/// The field an `invalid-input` error names; panics on anything else.
pub fn field_of<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::InvalidInput(e)) => e.field,
        other => panic!("expected invalid-input, got {other:?}"),
    }
}
