//! The one request pipeline: every LinkedIn call is built, authorised, sent and mapped to the
//! error variant here. Commands describe *what* to call ([`ApiRequest`]); no command builds
//! headers or URLs by hand.
//!
//! - [`env`]: what the host gives (HTTP, secrets, settings, clocks);
//! - [`request`]: a call as a command describes it;
//! - [`response`]: a 2xx answer and how commands read it;
//! - here: the [`Client`] that sends calls for one command run, and the API version.

mod env;
mod request;
mod response;

pub use env::{CredentialError, Env, credential_error};
pub use request::{ApiRequest, MAX_QUERY_BYTES};
pub use response::ApiResponse;
use response::describe_call;

use std::time::Duration;

use http::header::{AUTHORIZATION, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};

use crate::core::error::{self, Error, ErrorContext, redact_text};
use crate::core::http::{Body, ReadError, Request, Response};
use crate::core::redact;
use crate::core::spec::Spec;
use crate::core::urls;

// Where calls go is the URL module's; commands name them through the pipeline they call.
pub use crate::core::urls::{API_HOST, Api, INTROSPECTION_HOST, INTROSPECTION_PATH};

/// The `LinkedIn-Version` sent when neither the call nor the datasource sets one. LinkedIn serves
/// each monthly version for about a year; bump this with each connector release.
pub const DEFAULT_VERSION: &str = "202609";

/// LinkedIn's JSON answers are small; a bigger one is refused rather than buffered.
const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;

/// One command's connection to LinkedIn. Lives for one call: secrets fetched through it are
/// dropped with it, and every text it hands back has them redacted.
pub struct Client<'e> {
    env: &'e mut dyn Env,
    /// The command making the calls: a 403 names its scopes and role.
    spec: &'static Spec,
    version_input: Option<String>,
    /// Where the access token is in `secrets`, once fetched.
    token: Option<usize>,
    secrets: Vec<String>,
}

impl<'e> Client<'e> {
    pub fn new(env: &'e mut dyn Env, spec: &'static Spec) -> Client<'e> {
        Client {
            env,
            spec,
            version_input: None,
            token: None,
            secrets: Vec::new(),
        }
    }

    /// Sets the per-call `linkedinVersion` input (which wins over the datasource setting).
    pub fn set_version(&mut self, version: Option<&str>) {
        self.version_input = version.map(str::to_string);
    }

    /// The per-call `linkedinVersion` input, if any.
    pub fn version_input(&self) -> Option<&str> {
        self.version_input.as_deref()
    }

    /// The `LinkedIn-Version` to send: the call's input, else the datasource setting, else the
    /// built-in default. Checked before a command runs, so a malformed one fails before anything
    /// is sent.
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
                    "The linkedinVersion {source} {} is not a LinkedIn API version \
                     (YYYYMM, such as {DEFAULT_VERSION}).",
                    crate::core::error::quoted(&value)
                ),
            ))
        }
    }

    /// The access token, fetched from the host at most once per call and kept (once) among the
    /// secrets to redact.
    fn token(&mut self) -> Result<&str, Error> {
        if self.token.is_none() {
            let mut token = self
                .env
                .access_token()
                .map_err(|e| credential_error(e, "access token", "connect a LinkedIn account"))?;
            if token.trim().len() != token.len() {
                token = token.trim().to_string();
            }
            if token.is_empty() || !token.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(Error::credentials(
                    "The platform supplied an empty or malformed LinkedIn access token; \
                     reconnect the LinkedIn account.",
                ));
            }
            self.token = Some(self.secrets.len());
            self.secrets.push(token);
        }
        self.token
            .and_then(|at| self.secrets.get(at))
            .map(String::as_str)
            .ok_or_else(|| Error::credentials("The LinkedIn access token was not kept."))
    }

    /// The `Authorization` header value for the access token.
    fn authorization(&mut self) -> Result<HeaderValue, Error> {
        let header = ["Bearer ", self.token()?].concat();
        let mut value = HeaderValue::try_from(header).map_err(|_| {
            Error::credentials("The platform supplied a malformed LinkedIn access token.")
        })?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// The app's client secret from the host, trimmed, kept among the secrets to redact. The
    /// caller decides what an empty one means.
    pub fn client_secret(&mut self) -> Result<String, Error> {
        let secret = self
            .env
            .client_secret()
            .map(|secret| secret.trim().to_string())
            .map_err(|e| {
                credential_error(
                    e,
                    "client secret",
                    "set the app's client secret in the datasource",
                )
            })?;
        if !secret.is_empty() && !self.secrets.contains(&secret) {
            self.secrets.push(secret.clone());
        }
        Ok(secret)
    }

    /// The spec of the command making the calls.
    pub fn spec(&self) -> &'static Spec {
        self.spec
    }

    /// A datasource setting.
    pub fn setting(&mut self, name: &str) -> Option<String> {
        self.env.setting(name)
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
        let request = request.tunnelled();
        let scopes = request.scopes;
        let version = match request.api {
            Api::Rest => Some(self.version()?),
            Api::V2 | Api::OpenId => None,
        };
        let uri = urls::https(API_HOST, &request.path_and_query())?;
        let mut headers = HeaderMap::with_capacity(4 + request.headers.len());
        headers.insert(AUTHORIZATION, self.authorization()?);
        if let Some(v) = &version {
            headers.insert(
                HeaderName::from_static("linkedin-version"),
                HeaderValue::try_from(v.as_str()).map_err(|_| {
                    Error::invalid("linkedinVersion", "The linkedinVersion is malformed.")
                })?,
            );
        }
        if request.api != Api::OpenId {
            headers.insert(
                HeaderName::from_static("x-restli-protocol-version"),
                HeaderValue::from_static("2.0.0"),
            );
        }
        let body = match request.body {
            Some((content_type, bytes)) => {
                headers.insert(CONTENT_TYPE, content_type);
                Body::Bytes(bytes)
            }
            None => Body::Empty,
        };
        for (name, value) in &request.headers {
            headers.insert(name.clone(), value.clone());
        }
        let request = Request {
            method: request.method,
            uri,
            headers,
            body,
        };
        self.exchange(request, version.as_deref(), scopes, "reach LinkedIn")
    }

    /// Sends a DELETE where "already gone" counts as done, so a retried delete succeeds: a 404
    /// about the entity means there is nothing left to delete. A 404 about the route is not
    /// that: LinkedIn's gateway answers `No virtual resource found` for a path it does not serve
    /// (a resource this version lacks), and reporting that as deleted would hide that nothing
    /// was. It stays the `not-found` error.
    pub fn delete(&mut self, request: ApiRequest) -> Result<(), Error> {
        match self.send(request) {
            Ok(_) => Ok(()),
            Err(Error::NotFound(e)) if !e.message.contains("No virtual resource found") => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Asks LinkedIn's token introspection endpoint about the access token, as the app
    /// `client_id` with its client secret (both required by LinkedIn). A 401 there means the
    /// client id or secret is wrong, not the token; the caller reads it so.
    pub fn introspect(
        &mut self,
        client_id: &str,
        client_secret: &str,
    ) -> Result<ApiResponse, Error> {
        let token = self.token()?.to_string();
        let body = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", client_id)
            .append_pair("client_secret", client_secret)
            .append_pair("token", &token)
            .finish();
        let mut headers = HeaderMap::with_capacity(1);
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        let request = Request {
            method: Method::POST,
            uri: urls::https(INTROSPECTION_HOST, INTROSPECTION_PATH)?,
            headers,
            body: Body::Bytes(body.into_bytes()),
        };
        self.exchange(request, None, None, "reach LinkedIn's token introspection")
    }

    /// PUTs `body` to an upload URL LinkedIn handed out. The bearer token goes along only when
    /// `bearer` is set (images, documents; never video parts), and only to an upload URL
    /// ([`urls::upload_url`]): anything else is refused here whatever the caller checked.
    pub fn upload(
        &mut self,
        uri: Uri,
        content_type: &str,
        body: Body<'_>,
        bearer: bool,
    ) -> Result<ApiResponse, Error> {
        if !urls::is_upload_uri(&uri) {
            return Err(Error::invalid(
                "uploadUrl",
                "Refusing to upload: not an https linkedin.com upload URL.",
            ));
        }
        let mut headers = HeaderMap::with_capacity(2);
        if bearer {
            headers.insert(AUTHORIZATION, self.authorization()?);
        } else {
            // A part upload sends no token, but LinkedIn's answer could still echo it (the
            // upload belongs to the account): knowing it is what lets redaction remove it. A host
            // without a token still uploads.
            let _ = self.token();
        }
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::try_from(content_type)
                .map_err(|_| Error::invalid("contentType", "The content type is malformed."))?,
        );
        let request = Request {
            method: Method::PUT,
            uri,
            headers,
            body,
        };
        self.exchange(request, None, None, "upload to LinkedIn")
    }

    /// Checks a media source URL before anything is fetched: the URL rules of
    /// [`urls::source_url_syntax`], then the platform's `sourceUrlHosts` setting.
    pub fn source_url(&mut self, text: &str, field: &str) -> Result<Uri, Error> {
        let uri = urls::source_url_syntax(text, field)?;
        let setting = self.setting(urls::SOURCE_HOSTS_SETTING);
        urls::source_host_allowed(uri.host().unwrap_or_default(), setting.as_deref(), field)?;
        Ok(uri)
    }

    /// GETs a media source URL (after [`Client::source_url`]'s checks) with no credentials at
    /// all and returns the response with its body still streaming. A non-2xx answer is the user's input
    /// at fault: `invalid-input` on `field`.
    pub fn fetch_source(&mut self, text: &str, field: &str) -> Result<Response, Error> {
        let uri = self.source_url(text, field)?;
        let request = Request {
            method: Method::GET,
            uri,
            headers: HeaderMap::new(),
            body: Body::Empty,
        };
        let response = self
            .env
            .send(request)
            .map_err(|e| self.redacted(error::transport(&e, "fetch the media source")))?;
        if !response.status.is_success() {
            return Err(Error::invalid(
                field,
                format!(
                    "Fetching `{field}` answered HTTP {}; check that the file is publicly reachable.",
                    response.status.as_u16()
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
        scopes: Option<&[&str]>,
        target: &str,
    ) -> Result<ApiResponse, Error> {
        let call = (request.method.clone(), request.uri.clone());
        let response = self
            .env
            .send(request)
            .map_err(|e| self.redacted(error::transport(&e, target)))?;
        let response = self.read(response, call)?;
        if response.status.is_success() {
            return Ok(response);
        }
        let context = ErrorContext {
            version,
            scopes: scopes.unwrap_or(self.spec.scopes),
            role: self.spec.role,
        };
        Err(self.redacted(error::from_response(
            response.status.as_u16(),
            &response.headers,
            &response.body,
            &context,
        )))
    }

    /// Reads a response whole (bounded) and removes secrets from its headers and body.
    fn read(&mut self, mut response: Response, call: (Method, Uri)) -> Result<ApiResponse, Error> {
        let status = response.status;
        let body = response.body.read_all(MAX_RESPONSE_BYTES).map_err(|e| {
            let why = match e {
                ReadError::TooLarge => format!("it is larger than {MAX_RESPONSE_BYTES} bytes"),
                ReadError::Io(detail) => format!("reading it failed: {detail}"),
            };
            let status = status.as_u16();
            self.redacted(Error::decode(
                status,
                format!(
                    "LinkedIn answered {status} to {}, but its body could not be read ({why}).",
                    describe_call(&call.0, &call.1)
                ),
            ))
        })?;
        let mut headers = response.headers;
        redact::headers(&mut headers, &self.secrets);
        Ok(ApiResponse {
            status,
            headers,
            body: redact::body(body, &self.secrets),
            call,
        })
    }

    /// `error` with every secret of this call removed from its text.
    pub fn redacted(&self, mut error: Error) -> Error {
        error.redact(&self.secrets);
        error
    }

    /// `text` with every secret of this call removed.
    pub fn redact_text(&self, text: &mut String) {
        redact_text(text, &self.secrets);
    }
}

/// `YYYYMM` or `YYYYMM.RR`.
pub fn is_version(v: &str) -> bool {
    let (month, revision) = match v.split_once('.') {
        Some((m, r)) => (m, Some(r)),
        None => (v, None),
    };
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    digits(month, 6)
        && matches!(
            month.get(4..),
            Some("01" | "02" | "03" | "04" | "05" | "06" | "07" | "08" | "09" | "10" | "11" | "12")
        )
        && revision.is_none_or(|r| digits(r, 2))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::http::{TransportError, TransportReason};
    use crate::core::testing::ScriptEnv;
    use serde_json::json;

    const SPEC: Spec = Spec {
        name: "test",
        title: "Test",
        description: "",
        scopes: &["w_member_social"],
        role: "",
        calls: &[],
        versioned: true,
    };
    const CONTEXT: &Spec = &SPEC;

    #[test]
    fn versioned_call_carries_protocol_headers() {
        let mut env = ScriptEnv::new().respond(200, &[], "{}");
        let mut client = Client::new(&mut env, CONTEXT);
        client
            .send(ApiRequest::get(Api::Rest, "/posts/urn%3Ali%3Ashare%3A1").query("q", "a b"))
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
        Client::new(&mut env, CONTEXT)
            .send(ApiRequest::get(Api::OpenId, "/userinfo"))
            .unwrap();
        assert_eq!(env.sent[0].header("linkedin-version"), None);
        assert_eq!(env.sent[0].header("x-restli-protocol-version"), None);
    }

    #[test]
    fn version_precedence_and_validation() {
        let mut env = ScriptEnv::new();
        env.settings
            .push(("linkedinVersion".into(), "202506".into()));
        assert_eq!(Client::new(&mut env, CONTEXT).version().unwrap(), "202506");
        let mut client = Client::new(&mut env, CONTEXT);
        client.set_version(Some("202601.02"));
        assert_eq!(client.version().unwrap(), "202601.02");
        for bad in ["2026", "202613", "20260101", "v202601", "202601.1"] {
            let mut client = Client::new(&mut env, CONTEXT);
            client.set_version(Some(bad));
            assert!(client.version().is_err(), "{bad}");
        }
        env.settings[0].1 = "latest".into();
        let err = Client::new(&mut env, CONTEXT).version().unwrap_err();
        assert!(
            err.message().contains("datasource setting"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn missing_or_malformed_token_sends_nothing() {
        for token in [
            Err(CredentialError::NotConfigured("no account".into())),
            Ok("abc\r\nx-evil: 1".to_string()),
            Ok("  ".to_string()),
        ] {
            let mut env = ScriptEnv::new();
            env.token = token;
            let err = Client::new(&mut env, CONTEXT)
                .send(ApiRequest::get(Api::OpenId, "/userinfo"))
                .unwrap_err();
            assert_eq!(err.kind(), "credentials");
            assert!(env.sent.is_empty());
        }
    }

    #[test]
    fn a_403_names_the_calls_own_scopes_when_it_has_them() {
        let denied = r#"{"status":403,"code":"ACCESS_DENIED","message":"no"}"#;
        let mut env = ScriptEnv::new()
            .respond(403, &[], denied)
            .respond(403, &[], denied);
        let mut client = Client::new(&mut env, CONTEXT);
        let own = client
            .send(ApiRequest::get(Api::Rest, "/stats").scopes(&["rw_organization_admin"]))
            .unwrap_err();
        let command = client.send(ApiRequest::get(Api::Rest, "/x")).unwrap_err();
        assert_eq!(
            own.to_json()["requiredScopes"],
            json!(["rw_organization_admin"])
        );
        assert!(
            own.message().contains("rw_organization_admin scope"),
            "{own}"
        );
        assert_eq!(
            command.to_json()["requiredScopes"],
            json!(["w_member_social"])
        );
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
        let mut client = Client::new(&mut env, CONTEXT);
        let ok = client.send(ApiRequest::get(Api::V2, "/me")).unwrap();
        assert_eq!(ok.header("x-echo"), Some("[redacted]"));
        assert_eq!(ok.text(), Some(r#"{"token":"[redacted]"}"#));
        let err = client.send(ApiRequest::get(Api::V2, "/me")).unwrap_err();
        assert!(!err.to_json().to_string().contains("test-token"));
    }

    #[test]
    fn transport_failure_maps_to_transport() {
        let mut env = ScriptEnv::new();
        env.responses.push_back(Err(TransportError {
            reason: TransportReason::Timeout,
            detail: String::new(),
        }));
        let err = Client::new(&mut env, CONTEXT)
            .send(ApiRequest::get(Api::V2, "/me"))
            .unwrap_err();
        assert_eq!(err.to_json()["reason"], "timeout");
    }

    #[test]
    fn long_queries_are_tunnelled() {
        let mut env = ScriptEnv::new()
            .respond(200, &[], "{}")
            .respond(200, &[], "{}");
        let mut client = Client::new(&mut env, CONTEXT);
        let long = "x".repeat(MAX_QUERY_BYTES);
        client
            .send(ApiRequest::get(Api::Rest, "/socialMetadata").query_raw("ids", "List(a)"))
            .unwrap();
        client
            .send(ApiRequest::get(Api::Rest, "/socialMetadata").query_raw("ids", long.clone()))
            .unwrap();
        assert_eq!(env.sent[0].method, Method::GET);
        let tunnelled = &env.sent[1];
        assert_eq!(tunnelled.method, Method::POST);
        assert_eq!(
            tunnelled.url,
            "https://api.linkedin.com/rest/socialMetadata"
        );
        assert_eq!(tunnelled.header("x-http-method-override"), Some("GET"));
        assert_eq!(
            tunnelled.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        assert_eq!(tunnelled.body, format!("ids={long}").into_bytes());
        assert_eq!(tunnelled.header("linkedin-version"), Some(DEFAULT_VERSION));
    }

    #[test]
    fn uploads_only_go_to_upload_urls() {
        let mut env = ScriptEnv::new();
        let mut client = Client::new(&mut env, CONTEXT);
        let uri: Uri = "https://api.linkedin.com/v2/me".parse().unwrap();
        let err = client
            .upload(uri, "image/png", Body::Empty, true)
            .unwrap_err();
        assert_eq!(err.field(), Some("uploadUrl"));
        assert!(env.sent.is_empty());
    }
}
