//! custom-action: one request of the user's own to the LinkedIn API, through the same pipeline
//! as every command (token, protocol headers, error mapping, redaction).
//!
//! The bearer token goes with it, so the target is checked strictly before anything is sent
//! (`urls::api_target`): only `https://api.linkedin.com`, only under `/v2/` or `/rest/`, no way
//! out of those; and no header that would override what the connector sets or that belongs to
//! the connection rather than the request.

use std::collections::BTreeMap;

use base64::Engine as _;
use http::{HeaderName, HeaderValue, Method};
use serde::Serialize;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::core::command::{Command, Spec};
use crate::core::error::{Error, quoted};
use crate::core::input::{Pairs, scalar_text};
use crate::core::pipeline::{ApiRequest, Client, DEFAULT_VERSION};

/// The version header, taken from `headers` as the call's version.
const LINKEDIN_VERSION: &str = "linkedin-version";
use crate::core::restli;
use crate::core::urls;

#[derive(Default)]
pub struct CustomAction;

crate::choice!(
    /// The HTTP method of a custom action.
    HttpMethod { Get = "GET", Post = "POST", Put = "PUT", Patch = "PATCH", Delete = "DELETE" }
);

impl HttpMethod {
    fn method(self) -> Method {
        match self {
            HttpMethod::Get => Method::GET,
            HttpMethod::Post => Method::POST,
            HttpMethod::Put => Method::PUT,
            HttpMethod::Patch => Method::PATCH,
            HttpMethod::Delete => Method::DELETE,
        }
    }
}

/// Headers the connector sets itself, and every hop-by-hop or connection-specific header (RFC
/// 9110 §7.6.1, RFC 9113 §8.2.2): `headers` may not give them. A host's HTTP stack would refuse
/// some with a transport error and pass others on, so they are refused here, before sending.
const RESERVED_HEADERS: &[&str] = &[
    "authorization",
    "x-restli-protocol-version",
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "proxy-connection",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "trailers",
    "upgrade",
    "http2-settings",
    "expect",
];

crate::input! {
    /// Input of custom-action.
    pub struct Input {
        /// The HTTP method.
        #[param(example = "GET")]
        pub method: HttpMethod,
        /// A path under /v2/ or /rest/ (such as /rest/posts/urn%3Ali%3Ashare%3A1 or
        /// /v2/userinfo), or a full https://api.linkedin.com/... URL. Any other host, a port,
        /// user info, a fragment or a .. segment is refused.
        #[param(title = "Path or URL", example = "/rest/organizationAcls?q=roleAssignee")]
        pub path: String,
        /// Query parameters as an object. Values are percent-encoded; Rest.li syntax stays
        /// readable: List(a,b) and (key:value) keep their brackets and only the values inside
        /// are encoded, arrays become List(...) and objects (key:value) records, an empty string
        /// is ''. Existing %XX escapes are kept; null values are left out.
        #[param(title = "Query parameters", example_json = r#"{"q": "roleAssignee", "state": "APPROVED"}"#)]
        pub query: Option<Pairs>,
        /// Extra request headers as an object of name to value, such as X-RestLi-Method or
        /// Content-Type. A LinkedIn-Version header sets the call's version (like
        /// linkedinVersion). Authorization, X-Restli-Protocol-Version and connection headers are
        /// set by the connector and may not be given.
        #[param(example_json = r#"{"X-RestLi-Method": "PARTIAL_UPDATE"}"#)]
        pub headers: Option<Pairs>,
        /// The request body for POST, PUT and PATCH: a JSON value is sent as JSON; a string is
        /// sent exactly as given (as JSON when it parses, otherwise as text unless headers set
        /// Content-Type).
        #[param(example_json = r#"{"patch": {"$set": {"commentary": "Updated"}}}"#)]
        pub body: Option<Value>,
    }
}

/// A response body: LinkedIn's JSON as sent, or its text.
#[derive(Clone, Debug, Serialize)]
#[serde(untagged)]
pub enum ResponseBody {
    Json(Box<RawValue>),
    Text(String),
}

/// LinkedIn's 2xx answer (other statuses are errors). Mirrors the WIT `custom-action-result`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomActionResult {
    pub status: u16,
    /// Header names in lower case; repeated headers joined with `, `.
    pub headers: BTreeMap<String, String>,
    /// The body as JSON when it parses, else as text; `null` when empty.
    pub body: Option<ResponseBody>,
    /// Whether `body` is JSON.
    pub body_is_json: bool,
    /// A body that is not UTF-8 text, as standard base64 (then `body` is null).
    pub body_base64: Option<String>,
    /// The body unchanged, when it is JSON.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw: Option<Box<RawValue>>,
}

impl Command for CustomAction {
    const SPEC: Spec = Spec {
        name: "custom-action",
        title: "Custom action",
        description: "Sends one request of your own to the LinkedIn API (api.linkedin.com, paths \
                      under /v2/ or /rest/) with the account's token and the protocol headers \
                      added, and returns the status, headers and body. The scopes needed are \
                      those of the endpoint called.",
        scopes: &[],
        role: "",
        calls: &["GET, POST, PUT, PATCH or DELETE on /v2/... or /rest/... of api.linkedin.com"],
        versioned: true,
    };
    type Input = Input;
    type Output = CustomActionResult;

    fn run(input: Input, api: &mut Client<'_>) -> Result<CustomActionResult, Error> {
        let mut request = build_request(&input)?;
        // A `LinkedIn-Version` header (as LinkedIn's docs and the Appsmith seed write calls) is
        // the call's version, checked like `linkedinVersion`, not a header passed through.
        if let Some(given) = request.headers.remove(LINKEDIN_VERSION) {
            let given = given.to_str().unwrap_or_default().trim().to_string();
            if let Some(input) = api.version_input()
                && input.trim() != given
            {
                return Err(Error::invalid(
                    "headers",
                    format!(
                        "`headers` gives LinkedIn-Version {} but `linkedinVersion` is {}; \
                         give the version once.",
                        quoted(&given),
                        quoted(input.trim())
                    ),
                ));
            }
            api.set_version(Some(&given));
            api.version().map_err(|_| {
                Error::invalid(
                    "headers",
                    format!(
                        "`headers` gives LinkedIn-Version {}, which is not a LinkedIn API \
                         version (YYYYMM, such as {DEFAULT_VERSION}).",
                        quoted(&given)
                    ),
                )
            })?;
        }
        let response = api.send(request)?;
        let mut headers: BTreeMap<String, String> = BTreeMap::new();
        for (name, value) in &response.headers {
            let value = String::from_utf8_lossy(value.as_bytes());
            headers
                .entry(name.as_str().to_string())
                .and_modify(|v| {
                    v.push_str(", ");
                    v.push_str(&value);
                })
                .or_insert_with(|| value.into_owned());
        }
        let raw = response.raw();
        // Bytes that are not text are handed over as base64 rather than decoded lossily: a lossy
        // decode could turn bytes around a secret into text the redaction no longer matches.
        let (body, body_base64) = match (&raw, std::str::from_utf8(&response.body)) {
            (Some(json), _) => (Some(ResponseBody::Json(json.clone())), None),
            (None, Ok(text)) if text.trim().is_empty() => (None, None),
            (None, Ok(text)) => (Some(ResponseBody::Text(text.to_string())), None),
            (None, Err(_)) => (
                None,
                Some(base64::engine::general_purpose::STANDARD.encode(&response.body)),
            ),
        };
        Ok(CustomActionResult {
            status: response.status.as_u16(),
            headers,
            body_is_json: raw.is_some(),
            body,
            body_base64,
            raw,
        })
    }
}

/// The request `input` describes, or the invalid-input error for the first thing wrong with it.
pub fn build_request(input: &Input) -> Result<ApiRequest, Error> {
    let target = urls::api_target(&input.path)?;
    let mut request = ApiRequest::new(input.method.method(), target.api, target.path);
    request.query = target.query;
    for (key, value) in input.query.iter().flat_map(|q| &q.0) {
        if key.is_empty() {
            return Err(Error::invalid(
                "query",
                "`query` has an empty parameter name.",
            ));
        }
        if let Some(value) = restli::query_value(key, value) {
            request.query.push((restli::encode_leaf(key), value));
        }
    }

    let mut content_type = None;
    for (name, value) in input.headers.iter().flat_map(|h| &h.0) {
        let Some(value) = scalar_text(value) else {
            return Err(Error::invalid(
                "headers",
                format!("`headers` value of {} must be text.", quoted(name)),
            ));
        };
        let (name, value) = check_header(name, &value)?;
        if request.headers.contains_key(&name) {
            return Err(Error::invalid(
                "headers",
                format!(
                    "`headers` gives {} twice (names are case-insensitive).",
                    quoted(name.as_str())
                ),
            ));
        }
        if name == http::header::CONTENT_TYPE && input.body.is_some() {
            content_type = Some(value);
        } else {
            request.headers.insert(name, value);
        }
    }

    if let Some(body) = &input.body {
        if matches!(input.method, HttpMethod::Get | HttpMethod::Delete) {
            return Err(Error::invalid(
                "body",
                format!(
                    "`body` is only for POST, PUT and PATCH, not {}.",
                    input.method.method()
                ),
            ));
        }
        let (bytes, default_type) = match body {
            Value::String(text) => {
                let kind = if serde_json::from_str::<Value>(text).is_ok() {
                    "application/json"
                } else {
                    "text/plain; charset=utf-8"
                };
                (text.clone().into_bytes(), kind)
            }
            json => (
                serde_json::to_vec(json).unwrap_or_default(),
                "application/json",
            ),
        };
        request = request.raw_body(
            content_type.unwrap_or_else(|| HeaderValue::from_static(default_type)),
            bytes,
        );
    }
    Ok(request)
}

/// A header the user may send: a valid name (the `http` crate's rules) that the connector does
/// not own, and a value without CR, LF, NUL or other control characters (tab allowed).
fn check_header(name: &str, value: &str) -> Result<(HeaderName, HeaderValue), Error> {
    let header_name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
        Error::invalid(
            "headers",
            format!("`headers` has an invalid header name {}.", quoted(name)),
        )
    })?;
    if RESERVED_HEADERS.contains(&header_name.as_str()) {
        return Err(Error::invalid(
            "headers",
            format!(
                "`headers` may not set {name}: the connector sets the authorization, protocol and \
                 connection headers itself."
            ),
        ));
    }
    let header_value = HeaderValue::from_bytes(value.as_bytes()).map_err(|_| {
        Error::invalid(
            "headers",
            format!("`headers` value of {name} contains a line break or control character."),
        )
    })?;
    Ok((header_name, header_value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::input::{Fields, Input as _};
    use crate::core::pipeline::API_HOST;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use proptest::prelude::*;
    use serde_json::json;

    fn input(value: Value) -> Input {
        let Value::Object(map) = value else {
            panic!("an object")
        };
        Input::from_fields(&mut Fields::new(map)).unwrap()
    }

    /// The URL the pipeline would send for `path`.
    fn url_of(path: &str) -> Result<String, Error> {
        let mut env = ScriptEnv::new().respond(200, &[], "{}");
        run::<CustomAction>(&mut env, json!({"method": "GET", "path": path}))?;
        Ok(env.sent[0].url.clone())
    }

    #[test]
    fn refuses_every_other_target_before_sending() {
        for bad in [
            "",
            "posts",
            "rest/posts",
            "/rest",
            "/rest/",
            "/v2",
            "/v2/",
            "/REST/posts",
            "/v3/posts",
            "/oauth/v2/accessToken",
            "//evil.com/rest/posts",
            "/rest/../v2/me",
            "/rest/posts/..",
            "/rest/./posts",
            "/rest/%2e%2e/x",
            "/rest/%2E./x",
            "/rest/.%2e/x",
            "/rest/%252e%252e/x",
            "/rest/a%2f..%2fb",
            "/rest/a%5cb",
            "/rest/a%0d%0aX-Evil:%201",
            "/rest/a%00",
            "/rest\\posts",
            "/rest/posts\\..\\..\\x",
            "/rest//posts",
            "/rest/posts#frag",
            "/rest/posts?q=1#x",
            "/rest/po sts",
            "/rest/posts\r\nHost: evil.com",
            "/rest/po\tsts",
            "/rest/pos\u{0}ts",
            "/rest/pos\u{85}ts",
            "http://api.linkedin.com/rest/posts",
            "ftp://api.linkedin.com/rest/posts",
            "javascript:alert(1)",
            "file:///etc/passwd",
            "https:/api.linkedin.com/rest/posts",
            "https:api.linkedin.com/rest/posts",
            "https://evil.com/rest/posts",
            "https://api.linkedin.com.evil.com/rest/posts",
            "https://api.linkedin.com@evil.com/rest/posts",
            "https://evil.com@api.linkedin.com/rest/posts",
            "https://user:pw@api.linkedin.com/rest/posts",
            "https://api.linkedin.com./rest/posts",
            "https://api.linkedin.com:8443/rest/posts",
            "https://api.linkedin.com:/rest/posts",
            "https://api.linkedin.com:443:443/rest/posts",
            "https://www.linkedin.com/rest/posts",
            "https://linkedin.com/rest/posts",
            "https://evilapi.linkedin.com/rest/posts",
            "https://api%2elinkedin.com/rest/posts",
            "https://13.107.42.14/rest/posts",
            "https://[::1]/rest/posts",
            "https://api.linkedin.com",
            "https://api.linkedin.com/",
            "https://api.linkedin.com?x=/rest/posts",
            "https://api.linkedin.com/v2/../../evil",
            "https://api.linkedin.com\\@evil.com/rest/posts",
            "https://аpi.linkedin.com/rest/posts",
            "https://api.linkedin.com/oauth/v2/accessToken",
        ] {
            let mut env = ScriptEnv::new().respond(200, &[], "");
            let result = run::<CustomAction>(&mut env, json!({"method": "GET", "path": bad}));
            assert_eq!(field_of(result), "path", "{bad:?}");
            assert!(env.sent.is_empty(), "{bad:?}");
        }
    }

    #[test]
    fn accepts_paths_and_api_urls() {
        let cases = [
            ("/v2/userinfo", "https://api.linkedin.com/v2/userinfo"),
            (
                " https://api.linkedin.com/v2/me ",
                "https://api.linkedin.com/v2/me",
            ),
            (
                "HTTPS://API.LinkedIn.COM:443/rest/posts",
                "https://api.linkedin.com/rest/posts",
            ),
            (
                "/rest/posts/urn:li:share:7045020441609936898",
                "https://api.linkedin.com/rest/posts/urn%3Ali%3Ashare%3A7045020441609936898",
            ),
            (
                "/rest/posts/urn%3Ali%3Ashare%3A7045020441609936898",
                "https://api.linkedin.com/rest/posts/urn%3Ali%3Ashare%3A7045020441609936898",
            ),
            (
                "/rest/reactions/(actor:urn:li:person:X,entity:urn%3Ali%3Ashare%3A1)",
                "https://api.linkedin.com/rest/reactions/(actor:urn%3Ali%3Aperson%3AX,entity:urn%3Ali%3Ashare%3A1)",
            ),
            (
                "https://api.linkedin.com/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED",
                "https://api.linkedin.com/rest/organizationAcls?q=roleAssignee&role=ADMINISTRATOR&state=APPROVED",
            ),
            (
                "/rest/leadNotifications?q=criteria&owner=(value:(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A511849581))",
                "https://api.linkedin.com/rest/leadNotifications?q=criteria&owner=(value:(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A511849581))",
            ),
            ("/rest/posts/", "https://api.linkedin.com/rest/posts/"),
            (
                "/rest/search?keywords=caf\u{e9}|x",
                "https://api.linkedin.com/rest/search?keywords=caf%C3%A9%7Cx",
            ),
            ("/rest/a%zz", "https://api.linkedin.com/rest/a%25zz"),
        ];
        for (path, url) in cases {
            assert_eq!(url_of(path).unwrap(), url, "{path:?}");
        }
    }

    #[test]
    fn sends_exactly_the_request_described() {
        let mut env = ScriptEnv::new().respond(
            200,
            &[
                ("X-RestLi-Id", "1"),
                ("Set-Cookie", "a"),
                ("set-cookie", "b"),
            ],
            r#"{"elements": [1.50]}"#,
        );
        let out = run::<CustomAction>(
            &mut env,
            json!({
                "method": "POST",
                "path": "/rest/posts/urn:li:share:1",
                "query": {
                    "ids": "List(urn:li:share:1,urn%3Ali%3Ashare%3A2)",
                    "fields": "id,form:(id,content)",
                    "count": 10,
                    "skip": null,
                    "empty": ""
                },
                "headers": {"X-RestLi-Method": "PARTIAL_UPDATE", "X-Custom": "a b\tc"},
                "body": {"patch": {"$set": {"commentary": "Hi"}}},
                "linkedinVersion": "202601"
            }),
        )
        .unwrap();
        let sent = &env.sent[0];
        assert_eq!(sent.method, Method::POST);
        assert_eq!(
            sent.url,
            "https://api.linkedin.com/rest/posts/urn%3Ali%3Ashare%3A1?ids=List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)&fields=id,form:(id,content)&count=10&empty=''"
        );
        let headers: Vec<(&str, &str)> = sent
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.to_str().unwrap()))
            .collect();
        assert_eq!(
            headers,
            [
                ("authorization", "Bearer test-token"),
                ("linkedin-version", "202601"),
                ("x-restli-protocol-version", "2.0.0"),
                ("content-type", "application/json"),
                ("x-restli-method", "PARTIAL_UPDATE"),
                ("x-custom", "a b\tc"),
            ]
        );
        assert_eq!(sent.body, br#"{"patch":{"$set":{"commentary":"Hi"}}}"#);
        assert_eq!(
            out,
            json!({"status": 200, "headers": {"set-cookie": "a, b", "x-restli-id": "1"}, "body": {"elements": [1.50]}, "bodyIsJson": true, "bodyBase64": null, "raw": {"elements": [1.50]}})
        );
    }

    #[test]
    fn v2_calls_carry_no_version_and_text_bodies_stay_text() {
        let mut env = ScriptEnv::new().respond(201, &[], "created, thanks");
        let out = run::<CustomAction>(
            &mut env,
            json!({"method": "PUT", "path": "/v2/things/1", "body": "a=1&b=2", "linkedinVersion": "202601"}),
        )
        .unwrap();
        let sent = &env.sent[0];
        assert_eq!(sent.header("linkedin-version"), None);
        assert_eq!(sent.header("x-restli-protocol-version"), Some("2.0.0"));
        assert_eq!(
            sent.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(sent.body, b"a=1&b=2");
        assert_eq!(
            out,
            json!({"status": 201, "headers": {}, "body": "created, thanks", "bodyIsJson": false, "bodyBase64": null})
        );

        // A string that is JSON is sent byte for byte, as JSON; a given Content-Type wins.
        let mut env = ScriptEnv::new().respond(204, &[], "");
        let out = run::<CustomAction>(
            &mut env,
            json!({"method": "PATCH", "path": "/rest/x", "body": "{ \"a\" : 1 }"}),
        )
        .unwrap();
        assert_eq!(env.sent[0].body, b"{ \"a\" : 1 }");
        assert_eq!(env.sent[0].header("content-type"), Some("application/json"));
        assert_eq!(out["body"], Value::Null);
        let mut env = ScriptEnv::new().respond(200, &[], "");
        run::<CustomAction>(
            &mut env,
            json!({"method": "POST", "path": "/rest/x", "body": "q=1", "headers": {"Content-Type": "application/x-www-form-urlencoded"}}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].headers.get_all("content-type").iter().count(),
            1
        );
        assert_eq!(
            env.sent[0].header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        // POST without a body sends none.
        let mut env = ScriptEnv::new().respond(200, &[], "");
        run::<CustomAction>(&mut env, json!({"method": "POST", "path": "/rest/x"})).unwrap();
        assert!(env.sent[0].body.is_empty());
        assert_eq!(env.sent[0].header("content-type"), None);
    }

    #[test]
    fn refuses_reserved_and_malformed_headers() {
        for (name, value) in [
            ("Authorization", "Bearer other"),
            ("authorization", "x"),
            ("AUTHORIZATION", "x"),
            ("LinkedIn-Version", "2026"),
            ("linkedin-version", "latest"),
            ("X-Restli-Protocol-Version", "1.0.0"),
            ("x-restli-protocol-version", "2.0.0"),
            ("Host", "evil.com"),
            ("Content-Length", "5"),
            ("Transfer-Encoding", "chunked"),
            ("Connection", "close"),
            ("Keep-Alive", "timeout=5"),
            ("Proxy-Connection", "keep-alive"),
            ("Proxy-Authenticate", "Basic"),
            ("Proxy-Authorization", "x"),
            ("TE", "trailers"),
            ("Trailer", "X-A"),
            ("Trailers", "X-A"),
            ("Upgrade", "h2c"),
            ("HTTP2-Settings", "AAMAAABkAAQAAP__"),
            ("Expect", "100-continue"),
            ("X-Evil", "a\r\nAuthorization: Bearer x"),
            ("X-Evil", "a\nb"),
            ("X-Evil", "a\0b"),
            ("X-Evil\r\nHost", "x"),
            ("X Evil", "x"),
            ("X-Evil:", "x"),
            ("", "x"),
            ("Ünï", "x"),
        ] {
            let mut env = ScriptEnv::new();
            let result = run::<CustomAction>(
                &mut env,
                json!({"method": "GET", "path": "/rest/x", "headers": {name: value}}),
            );
            assert_eq!(field_of(result), "headers", "{name:?}: {value:?}");
            assert!(env.sent.is_empty());
        }
        let twice = input(
            json!({"method": "GET", "path": "/rest/x", "headers": [["X-A", "1"], ["x-a", "2"]]}),
        );
        assert_eq!(field_of(build_request(&twice)), "headers");
    }

    #[test]
    fn bytes_that_are_not_text_come_back_as_base64_with_the_token_replaced() {
        let mut body = vec![0xff, 0xfe, b' '];
        body.extend_from_slice(b"test-token");
        let mut env = ScriptEnv::new();
        env.responses.push_back(Ok((200, vec![], body)));
        let out = run::<CustomAction>(&mut env, json!({"method": "GET", "path": "/v2/x"})).unwrap();
        assert_eq!(out["body"], Value::Null);
        assert_eq!(out.get("raw"), None);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(out["bodyBase64"].as_str().unwrap())
            .unwrap();
        assert_eq!(bytes, b"\xff\xfe [redacted]");
    }

    #[test]
    fn a_linkedin_version_header_is_the_calls_version() {
        let mut env = ScriptEnv::new().respond(200, &[], "{}");
        run::<CustomAction>(
            &mut env,
            json!({"method": "GET", "path": "/rest/x", "headers": {"LinkedIn-Version": "202402"}}),
        )
        .unwrap();
        assert_eq!(env.sent[0].header("linkedin-version"), Some("202402"));
        assert_eq!(
            env.sent[0]
                .headers
                .get_all("linkedin-version")
                .iter()
                .count(),
            1
        );
        let mut env = ScriptEnv::new().respond(200, &[], "{}");
        run::<CustomAction>(
            &mut env,
            json!({"method": "GET", "path": "/rest/x", "headers": {"linkedin-version": "202402"}, "linkedinVersion": "202402"}),
        )
        .unwrap();
        let conflict = run::<CustomAction>(
            &mut ScriptEnv::new(),
            json!({"method": "GET", "path": "/rest/x", "headers": {"LinkedIn-Version": "202402"}, "linkedinVersion": "202601"}),
        );
        assert_eq!(field_of(conflict), "headers");
    }

    #[test]
    fn other_input_errors() {
        let field = |value: Value| field_of(run::<CustomAction>(&mut ScriptEnv::new(), value));
        assert_eq!(
            field(json!({"method": "GET", "path": "/rest/x", "body": {"a": 1}})),
            "body"
        );
        assert_eq!(
            field(json!({"method": "GET", "path": "/rest/x", "query": {"": "1"}})),
            "query"
        );
        assert_eq!(
            field(json!({"method": "GET", "path": "/rest/x", "linkedinVersion": "latest"})),
            "linkedinVersion"
        );
        assert_eq!(field(json!({"path": "/rest/x"})), "method");
        assert_eq!(
            field(json!({"method": "FETCH", "path": "/rest/x"})),
            "method"
        );
        assert_eq!(field(json!({"method": "get"})), "path");
        assert_eq!(
            field(json!({"method": "get", "path": "/rest/x", "query": "a=1"})),
            "query"
        );
        assert_eq!(
            field(json!({"method": "get", "path": "/rest/x", "headers": {"a": [1]}})),
            "headers"
        );
        let ok = input(json!({
            "method": "patch", "path": "/rest/x", "query": {"a": 1},
            "headers": {"X-RestLi-Method": "PARTIAL_UPDATE", "X-N": 2}, "body": [1, "a"]
        }));
        assert_eq!(ok.method, HttpMethod::Patch);
        assert_eq!(ok.query, Some(Pairs(vec![("a".to_string(), json!(1))])));
        assert_eq!(ok.body, Some(json!([1, "a"])));
        let request = build_request(&ok).unwrap();
        assert_eq!(request.headers["x-n"], "2");
        let none = input(json!({"method": "POST", "path": "/rest/x", "body": ""}));
        assert_eq!(none.body, None);
    }

    #[test]
    fn failures_map_through_the_pipeline_with_the_body() {
        let mut env = ScriptEnv::new().respond(
            400,
            &[],
            r#"{"status":400,"code":"ILLEGAL_ARGUMENT","message":"bad field test-token"}"#,
        );
        let err =
            run::<CustomAction>(&mut env, json!({"method": "GET", "path": "/rest/x"})).unwrap_err();
        let json = err.to_json();
        assert_eq!(json["kind"], "api");
        assert_eq!(json["status"], 400);
        assert_eq!(json["code"], "ILLEGAL_ARGUMENT");
        assert!(json["body"].as_str().unwrap().contains("ILLEGAL_ARGUMENT"));
        assert!(!json.to_string().contains("test-token"));
        let mut env = ScriptEnv::new().respond(401, &[], "{}");
        let err =
            run::<CustomAction>(&mut env, json!({"method": "GET", "path": "/v2/me"})).unwrap_err();
        assert_eq!(err.kind(), "unauthorized");
    }

    /// The WHATWG reading of `text` (as a browser or most HTTP clients would read it) relative to
    /// the API root: an independent check of where `text` really points.
    fn whatwg(text: &str) -> Option<url::Url> {
        url::Url::parse("https://api.linkedin.com/")
            .ok()?
            .join(text)
            .ok()
    }

    fn hostile() -> impl Strategy<Value = String> {
        let risky = |s: &'static str| (3, Just(s.to_string()).boxed());
        let plain = |s: &'static str| (1, Just(s.to_string()).boxed());
        let piece = proptest::strategy::Union::new_weighted(vec![
            risky("/"),
            risky("\\"),
            risky("."),
            risky(".."),
            risky("%2e"),
            risky("%2E%2e"),
            risky("@"),
            risky("%2f"),
            plain("%5c"),
            plain("%252e"),
            plain("%40"),
            plain(":"),
            plain("%"),
            plain("#"),
            plain("?"),
            plain("&"),
            plain(" "),
            plain("\t"),
            plain("\r\n"),
            plain("["),
            plain("]"),
            plain("443"),
            plain("https://"),
            plain("http://"),
            plain("//"),
            plain("api.linkedin.com"),
            plain("api.linkedin"),
            plain(".com"),
            plain("evil.com"),
            plain("/rest/"),
            plain("/v2/"),
            (3, "[a-zA-Z0-9]{1,3}".boxed()),
        ]);
        let pieces = proptest::collection::vec(piece, 0..6).prop_map(|parts| parts.concat());
        let scheme = prop_oneof![
            3 => Just(""),
            3 => Just("https://"),
            1 => Just("HTTPS://"),
            1 => Just("http://"),
            1 => Just("//"),
            1 => Just("/"),
            1 => Just("https:/"),
            1 => Just("https:\\\\"),
        ];
        let host = prop_oneof![
            3 => Just("api.linkedin.com"),
            1 => Just("API.LinkedIn.com"),
            1 => Just("api.linkedin.com."),
            1 => Just("api.linkedin.com:443"),
            1 => Just("api.linkedin.com:80"),
            2 => Just("api.linkedin.com@evil.com"),
            2 => Just("evil.com@api.linkedin.com"),
            1 => Just("api.linkedin.com.evil.com"),
            1 => Just("api.linkedin.com%2f@evil.com"),
            1 => Just("evil.com#api.linkedin.com"),
            1 => Just("evil.com\\api.linkedin.com"),
            1 => Just("[::1]"),
            1 => Just("127.0.0.1"),
            1 => Just("0x7f.1"),
        ];
        let prefix = prop_oneof![
            4 => Just("/rest/"),
            2 => Just("/v2/"),
            1 => Just(""),
            1 => Just("/rest"),
            1 => Just("\\rest\\"),
            1 => Just("/rest/%2e%2e/"),
            1 => Just("/rest/..\\"),
        ];
        // Near-misses of an accepted target: a path under an API prefix, a URL on something
        // like the API host, or hostile pieces alone.
        prop_oneof![
            2 => (prefix.clone(), pieces.clone()).prop_map(|(p, a)| format!("{p}{a}")),
            3 => (scheme, host, prefix, pieces.clone())
                .prop_map(|(s, h, p, a)| format!("{s}{h}{p}{a}")),
            1 => pieces,
        ]
    }

    // Case counts come from PROPTEST_CASES (default 256); `make fuzz` raises it.
    proptest! {
        #[test]
        fn prop_accepted_targets_always_point_at_the_api(text in hostile()) {
            if let Ok(target) = urls::api_target(&text) {
                // The user's own text, read by a WHATWG parser, points at the API host over
                // https on the default port, without user info, under /v2/ or /rest/.
                let theirs = whatwg(text.trim());
                prop_assert!(theirs.is_some(), "accepted {:?}, which is not a URL", text);
                let theirs = theirs.unwrap();
                prop_assert_eq!(theirs.scheme(), "https");
                prop_assert_eq!(theirs.host_str(), Some(API_HOST), "accepted {:?}", text);
                prop_assert_eq!(theirs.port(), None);
                prop_assert_eq!(theirs.username(), "");
                prop_assert_eq!(theirs.password(), None);
                prop_assert!(
                    theirs.path().starts_with("/v2/") || theirs.path().starts_with("/rest/"),
                    "{:?} resolves to {}", text, theirs
                );
                // And so does what is sent.
                let mut request = ApiRequest::get(target.api, target.path.clone());
                request.query = target.query.clone();
                let mut env = ScriptEnv::new().respond(200, &[], "");
                let mut client = Client::new(&mut env, crate::core::testing::context());
                prop_assert!(client.send(request).is_ok());
                let sent = whatwg(&env.sent[0].url).unwrap();
                prop_assert_eq!(sent.host_str(), Some(API_HOST));
                prop_assert_eq!(sent.port(), None);
                prop_assert!(sent.path().starts_with("/v2/") || sent.path().starts_with("/rest/"));
                prop_assert_eq!(sent.fragment(), None);
                // Nothing was normalised away: the sent path is the one written.
                prop_assert_eq!(sent.as_str(), env.sent[0].url.as_str());
            }
        }

        #[test]
        fn prop_refused_targets_name_the_path_field(text in "\\PC{0,60}|(https://)?[\\\\/.@:%#?a-z0-9]{0,40}") {
            if let Err(e) = urls::api_target(&text) {
                prop_assert_eq!(e.field(), Some("path"), "{:?}", e);
            }
        }
    }
}
