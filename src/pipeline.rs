//! The one request pipeline: every LinkedIn call is built, authorised, sent and mapped to the
//! error variant here. Commands describe *what* to call ([`ApiRequest`]); no command builds
//! headers or URLs by hand.

use std::time::Duration;

use serde_json::Value;

use crate::catalog::CommandSpec;
use crate::error::{self, Error, ErrorContext, redact_text};
use crate::http::{Body, Method, ReadError, Request, Response, Scheme, TransportError, Url};
use crate::lenient::Json;
use crate::links;
use crate::urn::encode_key;

/// The `LinkedIn-Version` sent when neither the call nor the datasource sets one. LinkedIn serves
/// each monthly version for about a year; bump this with each connector release.
pub const DEFAULT_VERSION: &str = "202609";

/// The only host that receives API calls (and with them the bearer token).
pub const API_HOST: &str = "api.linkedin.com";

/// LinkedIn's JSON answers are small; a bigger one is refused rather than buffered.
const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

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
/// `fix` says what the platform's user should do when none is configured.
pub fn credential_error(error: CredentialError, what: &str, fix: &str) -> Error {
    let message = match error {
        CredentialError::NotConfigured(why) => {
            format!("No LinkedIn {what} is available ({why}); {fix}.")
        }
        CredentialError::Unavailable(why) => {
            format!("The platform could not supply the LinkedIn {what} ({why}); retry later.")
        }
    };
    Error::Credentials { message }
}

/// The app's client secret from the host, trimmed (webhook signatures and challenges). The
/// caller decides what an empty one means.
pub fn client_secret(env: &mut dyn Env) -> Result<String, Error> {
    env.client_secret()
        .map(|secret| secret.trim().to_string())
        .map_err(|e| {
            credential_error(
                e,
                "client secret",
                "set the app's client secret in the datasource",
            )
        })
}

/// Which LinkedIn API family a call belongs to; decides the base path and protocol headers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Api {
    /// `/rest/...`: versioned; sends `LinkedIn-Version` and `X-Restli-Protocol-Version`.
    Rest,
    /// `/v2/...` Rest.li resources: `X-Restli-Protocol-Version` only.
    V2,
    /// `/v2/userinfo` and other OpenID Connect endpoints: no protocol headers.
    OpenId,
}

/// A LinkedIn call, described by a command.
#[derive(Clone, Debug)]
pub struct ApiRequest {
    pub method: Method,
    pub api: Api,
    /// After the base (`/posts`, `/images/urn%3Ali%3Aimage%3A1`); already encoded.
    pub path: String,
    /// Pairs already encoded for the query string.
    pub query: Vec<(String, String)>,
    pub json: Option<Value>,
    /// A body sent byte for byte, with its content type, for bodies not built as JSON here
    /// (custom-action). `json` wins when both are set.
    pub raw_body: Option<(String, Vec<u8>)>,
    /// Extra headers (lower-case names), such as `x-restli-method`.
    pub headers: Vec<(String, String)>,
}

impl ApiRequest {
    pub fn new(method: Method, api: Api, path: impl Into<String>) -> ApiRequest {
        ApiRequest {
            method,
            api,
            path: path.into(),
            query: Vec::new(),
            json: None,
            raw_body: None,
            headers: Vec::new(),
        }
    }

    /// Adds a query parameter whose value is percent-encoded (URNs become `urn%3Ali%3A...`).
    pub fn query(mut self, key: &str, value: &str) -> ApiRequest {
        self.query.push((encode_key(key), encode_key(value)));
        self
    }

    pub fn json(mut self, body: Value) -> ApiRequest {
        self.json = Some(body);
        self
    }

    pub fn raw_body(mut self, content_type: impl Into<String>, bytes: Vec<u8>) -> ApiRequest {
        self.raw_body = Some((content_type.into(), bytes));
        self
    }

    fn url(&self) -> Url {
        let base = match self.api {
            Api::Rest => "/rest",
            Api::V2 | Api::OpenId => "/v2",
        };
        let mut path = format!("{base}{}", self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            path.push(if i == 0 { '?' } else { '&' });
            path.push_str(k);
            path.push('=');
            path.push_str(v);
        }
        Url::https(API_HOST, path)
    }
}

/// The Authorization header value for `token`.
fn bearer_header(token: &str) -> String {
    ["Bearer ", token].concat()
}

/// A 2xx answer, read whole.
#[derive(Clone, Debug)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl ApiResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::http::header(&self.headers, name)
    }

    /// The body as JSON; a `decode` error when it is not.
    pub fn json(&self) -> Result<Value, Error> {
        serde_json::from_slice(&self.body).map_err(|e| self.not_json(&e))
    }

    /// The body as a borrowing [`Json`] view (cheaper than [`ApiResponse::json`]); a `decode`
    /// error when it is not JSON.
    pub fn view(&self) -> Result<Json<'_>, Error> {
        Json::parse(&self.body).map_err(|e| self.not_json(&e))
    }

    fn not_json(&self, e: &serde_json::Error) -> Error {
        Error::Decode {
            status: self.status,
            message: format!(
                "LinkedIn answered {} but its body is not the JSON expected ({}).",
                self.status,
                if self.body.is_empty() {
                    "it is empty".to_string()
                } else {
                    e.to_string()
                }
            ),
        }
    }

    /// The body as text, when LinkedIn sent one (for `raw`).
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.body)
            .ok()
            .filter(|t| !t.trim().is_empty())
    }

    /// [`ApiResponse::text`], taking the body instead of copying it.
    pub fn into_text(self) -> Option<String> {
        String::from_utf8(self.body)
            .ok()
            .filter(|t| !t.trim().is_empty())
    }

    /// The id of a created entity: the `x-restli-id` header, percent-decoded (LinkedIn may send it
    /// "reduced encoded"), or else an `id` in the body.
    pub fn created_id(&self) -> Result<String, Error> {
        let from_header = self.header("x-restli-id").map(|raw| {
            percent_encoding::percent_decode_str(raw.trim())
                .decode_utf8_lossy()
                .into_owned()
        });
        let from_body = || {
            serde_json::from_slice::<Value>(&self.body)
                .ok()
                .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_string))
        };
        from_header
            .filter(|id| !id.is_empty())
            .or_else(from_body)
            .ok_or_else(|| Error::Decode {
                status: self.status,
                message: format!(
                    "LinkedIn answered {} but named no created id (no x-restli-id header).",
                    self.status
                ),
            })
    }
}

/// One command's connection to LinkedIn. Lives for one call: secrets fetched through it are
/// dropped with it, and every text it hands back has them redacted.
pub struct Client<'e> {
    env: &'e mut dyn Env,
    spec: &'static CommandSpec,
    version_input: Option<String>,
    /// Where the access token is in `secrets`, once fetched.
    token: Option<usize>,
    secrets: Vec<String>,
}

impl<'e> Client<'e> {
    pub fn new(env: &'e mut dyn Env, spec: &'static CommandSpec) -> Client<'e> {
        Client {
            env,
            spec,
            version_input: None,
            token: None,
            secrets: Vec::new(),
        }
    }

    /// Sets the per-call `linkedinVersion` input (which wins over the datasource setting).
    pub fn with_version(mut self, version: Option<&str>) -> Client<'e> {
        self.version_input = version.map(str::to_string);
        self
    }

    /// The `LinkedIn-Version` to send: the call's input, else the datasource setting, else the
    /// built-in default. Checked here so a malformed one fails before anything is sent; commands
    /// that make versioned calls call this while validating their input.
    pub fn version(&mut self) -> Result<String, Error> {
        let (value, source) = match &self.version_input {
            Some(v) => (v.clone(), "input"),
            None => match self
                .env
                .setting("linkedinVersion")
                .filter(|v| !v.trim().is_empty())
            {
                Some(v) => (v, "datasource setting"),
                None => return Ok(DEFAULT_VERSION.to_string()),
            },
        };
        let value = value.trim().to_string();
        if is_version(&value) {
            Ok(value)
        } else {
            Err(Error::invalid(
                "linkedinVersion",
                format!(
                    "The linkedinVersion {source} {value:?} is not a LinkedIn API version \
                     (YYYYMM, such as {DEFAULT_VERSION})."
                ),
            ))
        }
    }

    /// The `Authorization` value for the access token, which is fetched from the host at most
    /// once per call and kept (once) among the secrets to redact.
    fn authorization(&mut self) -> Result<String, Error> {
        if let Some(i) = self.token {
            return Ok(bearer_header(&self.secrets[i]));
        }
        let mut token = self
            .env
            .access_token()
            .map_err(|e| credential_error(e, "access token", "connect a LinkedIn account"))?;
        if token.trim().len() != token.len() {
            token = token.trim().to_string();
        }
        if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::Credentials {
                message: "The platform supplied an empty or malformed LinkedIn access token; \
                          reconnect the LinkedIn account."
                    .into(),
            });
        }
        let header = bearer_header(&token);
        self.token = Some(self.secrets.len());
        self.secrets.push(token);
        Ok(header)
    }

    /// Wall-clock milliseconds since the Unix epoch.
    pub fn unix_time_ms(&mut self) -> u64 {
        self.env.unix_time_ms()
    }

    /// A monotonic clock reading.
    pub fn monotonic_now(&mut self) -> Duration {
        self.env.monotonic_now()
    }

    /// Blocks for `duration`.
    pub fn sleep(&mut self, duration: Duration) {
        self.env.sleep(duration)
    }

    /// The secrets fetched during this call, for redaction.
    pub fn secrets(&self) -> &[String] {
        &self.secrets
    }

    /// Sends `request` to LinkedIn and returns its 2xx answer, or the mapped error.
    pub fn send(&mut self, request: ApiRequest) -> Result<ApiResponse, Error> {
        let version = match request.api {
            Api::Rest => Some(self.version()?),
            Api::V2 | Api::OpenId => None,
        };
        let authorization = self.authorization()?;
        let url = request.url();
        debug_assert_eq!(url.host(), API_HOST);

        let mut headers = vec![("authorization".to_string(), authorization)];
        if let Some(v) = &version {
            headers.push(("linkedin-version".into(), v.clone()));
        }
        if request.api != Api::OpenId {
            headers.push(("x-restli-protocol-version".into(), "2.0.0".into()));
        }
        let body = match (&request.json, &request.raw_body) {
            (Some(json), _) => {
                headers.push(("content-type".into(), "application/json".into()));
                Body::Bytes(crate::output::to_json(json).into_bytes())
            }
            (None, Some((content_type, bytes))) => {
                headers.push(("content-type".into(), content_type.clone()));
                Body::Bytes(bytes.clone())
            }
            (None, None) => Body::Empty,
        };
        headers.extend(request.headers.iter().cloned());
        let request = Request {
            method: request.method,
            url,
            headers,
            body,
        };
        self.exchange(request, version.as_deref(), "reach LinkedIn")
    }

    /// PUTs `body` to an upload URL LinkedIn handed out. The bearer token goes along only when
    /// `bearer` is set (images, documents; never video parts), and only to an HTTPS
    /// `linkedin.com` host: anything else is refused here whatever the caller checked.
    pub fn upload(
        &mut self,
        url: Url,
        content_type: &str,
        body: Body<'_>,
        bearer: bool,
    ) -> Result<ApiResponse, Error> {
        if url.scheme != Scheme::Https || !links::is_linkedin_host(url.host()) {
            return Err(Error::invalid(
                "uploadUrl",
                format!(
                    "Refusing to upload to {}: not an https linkedin.com URL.",
                    url.host()
                ),
            ));
        }
        let mut headers = Vec::with_capacity(2);
        if bearer {
            headers.push(("authorization".to_string(), self.authorization()?));
        }
        headers.push(("content-type".to_string(), content_type.to_string()));
        let request = Request {
            method: Method::Put,
            url,
            headers,
            body,
        };
        self.exchange(request, None, "upload to LinkedIn")
    }

    /// GETs a media source URL (checked by `links::source_url`) with no credentials at all and
    /// returns the response with its body still streaming. A non-2xx answer is the user's
    /// input at fault: `invalid-input` on `field`.
    pub fn fetch_source(&mut self, url: Url, field: &str) -> Result<Response, Error> {
        let request = Request {
            method: Method::Get,
            url,
            headers: Vec::new(),
            body: Body::Empty,
        };
        let response = self
            .env
            .send(request)
            .map_err(|e| self.redacted(error::transport(&e, "fetch the media source")))?;
        if !(200..300).contains(&response.status) {
            return Err(Error::invalid(
                field,
                format!(
                    "Fetching `{field}` answered HTTP {}; check that the file is publicly reachable.",
                    response.status
                ),
            ));
        }
        Ok(response)
    }

    /// Sends a request, reads the answer, and maps a non-2xx status to the error variant.
    fn exchange(
        &mut self,
        request: Request<'_>,
        version: Option<&str>,
        target: &str,
    ) -> Result<ApiResponse, Error> {
        let response = self
            .env
            .send(request)
            .map_err(|e| self.redacted(error::transport(&e, target)))?;
        let response = self.read(response)?;
        if (200..300).contains(&response.status) {
            return Ok(response);
        }
        let context = ErrorContext {
            version,
            scopes: self.spec.scopes,
        };
        Err(self.redacted(error::from_response(
            response.status,
            &response.headers,
            &response.body,
            &context,
        )))
    }

    /// Reads a response whole (bounded) and redacts secrets from its headers and body.
    fn read(&mut self, mut response: Response) -> Result<ApiResponse, Error> {
        let status = response.status;
        let body = response.body.read_all(MAX_RESPONSE_BYTES).map_err(|e| {
            let why = match e {
                ReadError::TooLarge => format!("it is larger than {MAX_RESPONSE_BYTES} bytes"),
                ReadError::Io(detail) => format!("reading it failed: {detail}"),
            };
            self.redacted(Error::Decode {
                status,
                message: format!(
                    "LinkedIn answered {status} but its body could not be read ({why})."
                ),
            })
        })?;
        let mut headers = response.headers;
        for (_, value) in headers.iter_mut() {
            redact_text(value, &self.secrets);
        }
        Ok(ApiResponse {
            status,
            headers,
            body: self.redact_bytes(body),
        })
    }

    fn redact_bytes(&self, body: Vec<u8>) -> Vec<u8> {
        match String::from_utf8(body) {
            Ok(mut text) => {
                redact_text(&mut text, &self.secrets);
                text.into_bytes()
            }
            Err(e) => e.into_bytes(),
        }
    }

    /// `error` with every secret of this call removed from its text.
    pub fn redacted(&self, mut error: Error) -> Error {
        error.redact(&self.secrets);
        error
    }
}

/// `YYYYMM` or `YYYYMM.RR`.
fn is_version(v: &str) -> bool {
    let (month, revision) = match v.split_once('.') {
        Some((m, r)) => (m, Some(r)),
        None => (v, None),
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    digits(month, 6)
        && matches!(
            &month[4..],
            "01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12"
        )
        && revision.is_none_or(|r| digits(r, 2))
}

#[cfg(test)]
pub(crate) mod testing {
    //! A scripted [`Env`] for unit tests.

    use super::*;
    use std::collections::VecDeque;
    use std::io::Cursor;

    /// One request as the transport saw it.
    #[derive(Debug, Clone)]
    pub struct Sent {
        pub method: Method,
        pub url: String,
        pub headers: Vec<(String, String)>,
        pub body: Vec<u8>,
    }

    impl Sent {
        pub fn header(&self, name: &str) -> Option<&str> {
            crate::http::header(&self.headers, name)
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
                url: request.url.to_string(),
                headers: request.headers,
                body,
            });
            let (status, headers, body) = self
                .responses
                .pop_front()
                .expect("a request the script did not expect")?;
            Ok(Response {
                status,
                headers,
                body: Box::new(Cursor::new(body)),
            })
        }
        fn access_token(&mut self) -> Result<String, CredentialError> {
            self.token.clone()
        }
        fn client_secret(&mut self) -> Result<String, CredentialError> {
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
}

#[cfg(test)]
mod tests {
    use super::testing::ScriptEnv;
    use super::*;
    use crate::catalog::CREATE_POST;
    use crate::http::{TransportError, TransportReason};

    #[test]
    fn versioned_call_carries_protocol_headers() {
        let mut env = ScriptEnv::new().respond(200, &[], "{}");
        let mut client = Client::new(&mut env, &CREATE_POST);
        client
            .send(
                ApiRequest::new(Method::Get, Api::Rest, "/posts/urn%3Ali%3Ashare%3A1")
                    .query("q", "a b"),
            )
            .unwrap();
        let sent = &env.sent[0];
        assert_eq!(
            sent.url,
            "https://api.linkedin.com/rest/posts/urn%3Ali%3Ashare%3A1?q=a%20b"
        );
        assert_eq!(sent.header("authorization"), Some("Bearer test-token"));
        assert_eq!(sent.header("linkedin-version"), Some(DEFAULT_VERSION));
        assert_eq!(sent.header("x-restli-protocol-version"), Some("2.0.0"));
    }

    #[test]
    fn openid_call_has_no_protocol_headers() {
        let mut env = ScriptEnv::new().respond(200, &[], "{}");
        Client::new(&mut env, &CREATE_POST)
            .send(ApiRequest::new(Method::Get, Api::OpenId, "/userinfo"))
            .unwrap();
        assert_eq!(env.sent[0].header("linkedin-version"), None);
        assert_eq!(env.sent[0].header("x-restli-protocol-version"), None);
    }

    #[test]
    fn version_precedence_and_validation() {
        let mut env = ScriptEnv::new();
        env.settings
            .push(("linkedinVersion".into(), "202506".into()));
        assert_eq!(
            Client::new(&mut env, &CREATE_POST).version().unwrap(),
            "202506"
        );
        let mut client = Client::new(&mut env, &CREATE_POST).with_version(Some("202601.02"));
        assert_eq!(client.version().unwrap(), "202601.02");
        for bad in ["2026", "202613", "20260101", "v202601", "202601.1"] {
            let mut client = Client::new(&mut env, &CREATE_POST).with_version(Some(bad));
            assert!(client.version().is_err(), "{bad}");
        }
        env.settings[0].1 = "latest".into();
        let err = Client::new(&mut env, &CREATE_POST).version().unwrap_err();
        assert!(
            err.message().contains("datasource setting"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn missing_token_sends_nothing() {
        let mut env = ScriptEnv::new();
        env.token = Err(CredentialError::NotConfigured("no account".into()));
        let err = Client::new(&mut env, &CREATE_POST)
            .send(ApiRequest::new(Method::Get, Api::OpenId, "/userinfo"))
            .unwrap_err();
        assert_eq!(err.kind(), "credentials");
        assert!(env.sent.is_empty());
    }

    #[test]
    fn token_with_newline_is_refused() {
        let mut env = ScriptEnv::new();
        env.token = Ok("abc\r\nx-evil: 1".into());
        let err = Client::new(&mut env, &CREATE_POST)
            .send(ApiRequest::new(Method::Get, Api::OpenId, "/userinfo"))
            .unwrap_err();
        assert_eq!(err.kind(), "credentials");
        assert!(env.sent.is_empty());
    }

    #[test]
    fn echoed_token_is_redacted_everywhere() {
        let mut env = ScriptEnv::new()
            .respond(
                200,
                &[("x-echo", "test-token")],
                r#"{"token":"test-token"}"#,
            )
            .respond(500, &[], r#"{"message":"bad test-token"}"#);
        let mut client = Client::new(&mut env, &CREATE_POST);
        let ok = client
            .send(ApiRequest::new(Method::Get, Api::V2, "/me"))
            .unwrap();
        assert_eq!(ok.header("x-echo"), Some("[redacted]"));
        assert_eq!(ok.text(), Some(r#"{"token":"[redacted]"}"#));
        let err = client
            .send(ApiRequest::new(Method::Get, Api::V2, "/me"))
            .unwrap_err();
        assert!(!err.to_json().to_string().contains("test-token"));
    }

    #[test]
    fn transport_failure_maps_to_transport() {
        let mut env = ScriptEnv::new();
        env.responses.push_back(Err(TransportError {
            reason: TransportReason::Timeout,
            detail: String::new(),
        }));
        let err = Client::new(&mut env, &CREATE_POST)
            .send(ApiRequest::new(Method::Get, Api::V2, "/me"))
            .unwrap_err();
        assert_eq!(err.to_json()["reason"], "timeout");
    }

    #[test]
    fn created_id_is_decoded() {
        let response = ApiResponse {
            status: 201,
            headers: vec![("X-RestLi-Id".into(), "urn%3Ali%3Ashare%3A7".into())],
            body: Vec::new(),
        };
        assert_eq!(response.created_id().unwrap(), "urn:li:share:7");
        let body_only = ApiResponse {
            status: 201,
            headers: vec![],
            body: br#"{"id":"urn:li:ugcPost:9"}"#.to_vec(),
        };
        assert_eq!(body_only.created_id().unwrap(), "urn:li:ugcPost:9");
        let neither = ApiResponse {
            status: 201,
            headers: vec![],
            body: vec![],
        };
        assert_eq!(neither.created_id().unwrap_err().kind(), "decode");
    }
}
