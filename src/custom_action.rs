//! custom-action: one request of the user's own to the LinkedIn API, through the same pipeline
//! as every command (token, protocol headers, error mapping, redaction).
//!
//! The bearer token goes with it, so the target is checked strictly before anything is sent:
//! only `https://api.linkedin.com`, only under `/v2/` or `/rest/`, no way out of those with
//! `..` (plain or percent-encoded), no user info, port, fragment, backslash or control
//! character, and no header that would override what the connector sets.

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::catalog::CUSTOM_ACTION;
use crate::error::Error;
use crate::http::Method;
use crate::input::{Choice, Fields, scalar_text};
use crate::output::object_with_raw;
use crate::pipeline::{API_HOST, Api, ApiRequest, Client, Env};

impl Choice for Method {
    const VALUES: &'static [&'static str] = &["GET", "POST", "PUT", "PATCH", "DELETE"];
    const ALL: &'static [Method] = &[
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
    ];

    fn as_str(self) -> &'static str {
        Method::as_str(self)
    }
}

/// Headers the connector sets itself, or that belong to the connection rather than the request;
/// `headers` may not give them (compared case-insensitively).
const RESERVED_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "linkedin-version",
    "x-restli-protocol-version",
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "proxy-connection",
    "upgrade",
    "te",
    "trailer",
    "expect",
];

/// Rest.li values nest; deeper than this is not a real query and is encoded as one value.
const MAX_NESTING: usize = 32;

/// Input of custom-action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomAction {
    pub method: Method,
    /// `/v2/...`, `/rest/...` or `https://api.linkedin.com/...`, possibly with a query.
    pub path: String,
    /// Query parameters; values are text, numbers, booleans, arrays (`List(...)`) or objects
    /// (Rest.li records). `null` values are left out.
    pub query: Vec<(String, Value)>,
    pub headers: Vec<(String, String)>,
    /// A JSON value is sent as JSON; a string is sent as it is.
    pub body: Option<Value>,
    pub linkedin_version: Option<String>,
}

impl CustomAction {
    pub fn from_json(map: &Map<String, Value>) -> Result<CustomAction, Error> {
        let f = Fields::new(map, &CUSTOM_ACTION)?;
        let method = match map.get("method") {
            None | Some(Value::Null) => {
                return Err(Error::invalid("method", "`method` is required."));
            }
            _ => f
                .optional_choice::<Method>("method")?
                .ok_or_else(|| Error::invalid("method", "`method` must not be empty."))?,
        };
        let object = |key: &str| -> Result<Vec<(String, Value)>, Error> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Object(o)) => {
                    Ok(o.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
                }
                Some(_) => Err(Error::invalid(
                    key,
                    format!("`{key}` must be an object of name to value."),
                )),
            }
        };
        let mut headers = Vec::new();
        for (name, value) in object("headers")? {
            let Some(value) = scalar_text(&value) else {
                return Err(Error::invalid(
                    "headers",
                    format!("`headers` value of {name:?} must be text."),
                ));
            };
            headers.push((name, value));
        }
        Ok(CustomAction {
            method,
            path: f.required_str("path")?.to_string(),
            query: object("query")?,
            headers,
            body: match map.get("body") {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) if s.is_empty() => None,
                Some(v) => Some(v.clone()),
            },
            linkedin_version: f.optional_str("linkedinVersion")?.map(str::to_string),
        })
    }
}

/// LinkedIn's answer, whatever it was (2xx; other statuses are errors).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomActionResult {
    pub status: u16,
    /// Header names in lower case; repeated headers joined with `, `.
    pub headers: BTreeMap<String, String>,
    /// The body as JSON when it parses, else as text; `null` when empty.
    pub body: Value,
    /// The body unchanged, when it is JSON.
    #[serde(skip)]
    pub raw: Option<String>,
}

impl CustomActionResult {
    pub fn to_json(&self) -> String {
        object_with_raw(self, self.raw.as_deref())
    }
}

pub fn custom_action(env: &mut dyn Env, input: CustomAction) -> Result<CustomActionResult, Error> {
    let request = build_request(&input)?;
    let mut client =
        Client::new(env, &CUSTOM_ACTION).with_version(input.linkedin_version.as_deref());
    if request.api == Api::Rest {
        client.version()?;
    }
    let response = client.send(request)?;
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for (name, value) in &response.headers {
        headers
            .entry(name.to_ascii_lowercase())
            .and_modify(|v| {
                v.push_str(", ");
                v.push_str(value);
            })
            .or_insert_with(|| value.clone());
    }
    let text = String::from_utf8_lossy(&response.body);
    let (body, raw) = if text.trim().is_empty() {
        (Value::Null, None)
    } else {
        match serde_json::from_str::<Value>(&text) {
            Ok(json) => (json, Some(text.into_owned())),
            Err(_) => (Value::String(text.into_owned()), None),
        }
    };
    Ok(CustomActionResult {
        status: response.status,
        headers,
        body,
        raw,
    })
}

/// The request `input` describes, or the invalid-input error for the first thing wrong with it.
pub fn build_request(input: &CustomAction) -> Result<ApiRequest, Error> {
    let target = parse_target(&input.path)?;
    let mut request = ApiRequest::new(input.method, target.api, target.path);
    request.query = target.query;
    for (key, value) in &input.query {
        if key.is_empty() {
            return Err(Error::invalid(
                "query",
                "`query` has an empty parameter name.",
            ));
        }
        if let Some(value) = query_value(key, value) {
            request.query.push((encode_leaf(key), value));
        }
    }

    let mut content_type = None;
    let mut seen: Vec<String> = Vec::new();
    for (name, value) in &input.headers {
        let lower = check_header(name, value)?;
        if seen.contains(&lower) {
            return Err(Error::invalid(
                "headers",
                format!("`headers` gives {name:?} twice (names are case-insensitive)."),
            ));
        }
        seen.push(lower.clone());
        if lower == "content-type" && input.body.is_some() {
            content_type = Some(value.clone());
        } else {
            request.headers.push((lower, value.clone()));
        }
    }

    if let Some(body) = &input.body {
        if matches!(input.method, Method::Get | Method::Delete) {
            return Err(Error::invalid(
                "body",
                format!(
                    "`body` is only for POST, PUT and PATCH, not {}.",
                    input.method.as_str()
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
                crate::output::to_json(&json).into_bytes(),
                "application/json",
            ),
        };
        request = request.raw_body(
            content_type.unwrap_or_else(|| default_type.to_string()),
            bytes,
        );
    }
    Ok(request)
}

/// Where a custom action goes: the API family, the path after `/rest` or `/v2` (encoded), and
/// the query pairs the path or URL already had (encoded).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub api: Api,
    pub path: String,
    pub query: Vec<(String, String)>,
}

/// Checks `path` (a path under `/v2/` or `/rest/`, or a full `https://api.linkedin.com/` URL)
/// and splits it. Every refusal is invalid-input on field `path`.
pub fn parse_target(path: &str) -> Result<Target, Error> {
    let refuse = |why: &str| {
        Error::invalid(
            "path",
            format!(
                "`path` {why}; give a path under /v2/ or /rest/, or a URL starting with \
                 https://{API_HOST}/."
            ),
        )
    };
    let text = path.trim();
    if text.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(refuse("contains whitespace or control characters"));
    }
    if text.contains('\\') {
        return Err(refuse("contains a backslash"));
    }
    if text.contains('#') {
        return Err(refuse("has a fragment (#)"));
    }

    let rest = if text.starts_with("//") {
        return Err(refuse("starts with // (a URL without its scheme)"));
    } else if text.starts_with('/') {
        text
    } else if text
        .get(..8)
        .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    {
        let after = &text[8..];
        let end = after.find(['/', '?']).unwrap_or(after.len());
        check_authority(&after[..end]).map_err(|why| refuse(&why))?;
        &after[end..]
    } else if has_scheme(text) {
        return Err(refuse("is not an https URL"));
    } else {
        return Err(refuse("is neither a path starting with / nor a URL"));
    };

    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let (api, sub) = if let Some(sub) = path.strip_prefix("/rest/") {
        (Api::Rest, sub)
    } else if let Some(sub) = path.strip_prefix("/v2/") {
        (Api::V2, sub)
    } else {
        return Err(refuse("is not under /v2/ or /rest/"));
    };
    if sub.is_empty() {
        return Err(refuse("names no resource after /v2/ or /rest/"));
    }

    let segments: Vec<&str> = sub.split('/').collect();
    let mut encoded = String::new();
    for (i, segment) in segments.iter().enumerate() {
        if segment.is_empty() && i + 1 < segments.len() {
            return Err(refuse("has an empty segment (//)"));
        }
        check_segment(segment).map_err(|why| refuse(&why))?;
        encoded.push('/');
        encoded.push_str(&encode_restli(segment));
    }

    let mut pairs = Vec::new();
    for pair in query.into_iter().flat_map(|q| q.split('&')) {
        if pair.is_empty() {
            continue;
        }
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        pairs.push((encode_query_text(key), encode_query_text(value)));
    }
    Ok(Target {
        api,
        path: encoded,
        query: pairs,
    })
}

/// The authority of an https URL must be exactly `api.linkedin.com` (any letter case, with
/// `:443` at most): no user info, no other port, no trailing dot, no IP literal, no escapes.
fn check_authority(authority: &str) -> Result<(), String> {
    if authority.contains('@') {
        return Err("has user info (@) in its URL".into());
    }
    let host = authority.to_ascii_lowercase();
    let host = host.strip_suffix(":443").unwrap_or(&host);
    if host.contains(':') {
        return Err("has a port in its URL".into());
    }
    if host != API_HOST {
        return Err(format!("names a host other than {API_HOST}"));
    }
    Ok(())
}

/// `scheme:` at the start (RFC 3986: a letter, then letters, digits, `+`, `-`, `.`).
fn has_scheme(text: &str) -> bool {
    match text.split_once(':') {
        Some((scheme, _)) => {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// A segment may not be `.` or `..`, also once or twice percent-decoded, and may not hide a
/// slash, backslash or control character in an escape.
fn check_segment(segment: &str) -> Result<(), String> {
    let mut current = segment.to_string();
    for _ in 0..3 {
        if current == "." || current == ".." {
            return Err("has a . or .. segment".into());
        }
        let decoded = percent_decode_str(&current)
            .decode_utf8_lossy()
            .into_owned();
        if decoded == current {
            return Ok(());
        }
        if decoded.contains(['/', '\\']) {
            return Err("has an encoded / or \\ in a segment".into());
        }
        if decoded.chars().any(char::is_control) {
            return Err("has an encoded control character".into());
        }
        current = decoded;
    }
    Err("is encoded more than twice".into())
}

/// A query value from `query`: text as Rest.li (structure readable, values encoded), arrays as
/// `List(...)`, objects as records; `fields` projections unencoded. `None` for `null`.
fn query_value(key: &str, value: &Value) -> Option<String> {
    if key == "fields" {
        return Some(match value {
            Value::Array(items) => items
                .iter()
                .map(|i| encode_projection(&scalar_text(i).unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(","),
            other => encode_projection(&scalar_text(other)?),
        });
    }
    match value {
        Value::Null => None,
        Value::String(s) => Some(encode_restli(s)),
        other => Some(json_restli(other)),
    }
}

/// A JSON value written as a Rest.li 2.0 value: strings are leaves (encoded, `''` when empty).
fn json_restli(value: &Value) -> String {
    match value {
        Value::Array(items) => format!(
            "List({})",
            items.iter().map(json_restli).collect::<Vec<_>>().join(",")
        ),
        Value::Object(fields) => format!(
            "({})",
            fields
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| format!("{}:{}", encode_leaf(k), json_restli(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
        Value::String(s) if s.is_empty() => "''".to_string(),
        Value::String(s) => encode_leaf(s),
        other => scalar_text(other)
            .map(|s| encode_leaf(&s))
            .unwrap_or_default(),
    }
}

/// Text as a Rest.li 2.0 value: `List(...)` and `(key:value,...)` keep their brackets, commas
/// and colons, and only the values inside are encoded; anything else is one encoded value.
/// Existing `%XX` escapes are kept, so an already encoded value comes out unchanged.
pub fn encode_restli(text: &str) -> String {
    if text.starts_with("List(") || text.starts_with('(') {
        let mut parser = RestLi {
            text,
            at: 0,
            out: String::new(),
        };
        if parser.value(0).is_some() && parser.at == text.len() {
            return parser.out;
        }
    }
    if text == "''" {
        return text.to_string();
    }
    encode_leaf(text)
}

struct RestLi<'a> {
    text: &'a str,
    at: usize,
    out: String,
}

impl RestLi<'_> {
    fn rest(&self) -> &str {
        &self.text[self.at..]
    }

    fn eat(&mut self, token: &str) -> bool {
        if self.rest().starts_with(token) {
            self.at += token.len();
            self.out.push_str(token);
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_NESTING {
            return None;
        }
        if self.eat("List(") {
            self.items(|p| p.value(depth + 1))
        } else if self.eat("(") {
            self.items(|p| {
                let key_len = p.rest().find([':', ',', '(', ')'])?;
                if key_len == 0 || !p.rest()[key_len..].starts_with(':') {
                    return None;
                }
                let key = &p.text[p.at..p.at + key_len];
                p.out.push_str(&encode_leaf(key));
                p.at += key_len;
                p.eat(":");
                p.value(depth + 1)
            })
        } else {
            self.leaf();
            Some(())
        }
    }

    /// Items up to the closing `)`, separated by `,`.
    fn items(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if self.eat(")") {
            return Some(());
        }
        loop {
            item(self)?;
            if self.eat(",") {
                continue;
            }
            return self.eat(")").then_some(());
        }
    }

    /// A value up to the next `,` or `)` outside its own parentheses (a compound URN such as
    /// `urn:li:comment:(urn:li:activity:1,2)` is one value).
    fn leaf(&mut self) {
        let mut depth = 0usize;
        let mut end = self.rest().len();
        for (i, c) in self.rest().char_indices() {
            match c {
                '(' => depth += 1,
                ')' if depth == 0 => {
                    end = i;
                    break;
                }
                ')' => depth -= 1,
                ',' if depth == 0 => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        let leaf = &self.text[self.at..self.at + end];
        self.at += end;
        if leaf.is_empty() || leaf == "''" {
            self.out.push_str("''");
        } else {
            self.out.push_str(&encode_leaf(leaf));
        }
    }
}

/// Encodes everything but RFC 3986 unreserved characters and existing `%XX` escapes.
pub fn encode_leaf(text: &str) -> String {
    encode_keeping(text, |_| false)
}

/// A `fields` projection stays readable (`id,name,form:(id,content)`).
fn encode_projection(text: &str) -> String {
    encode_keeping(text, |b| matches!(b, b',' | b'(' | b')' | b':' | b'$'))
}

/// Text typed in a URL's query: kept as typed, except bytes a URL cannot carry.
fn encode_query_text(text: &str) -> String {
    encode_keeping(text, |b| {
        b.is_ascii_graphic() && !br#""<>\^`{|}#&"#.contains(&b)
    })
}

fn encode_keeping(text: &str, keep: impl Fn(u8) -> bool) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let escape = b == b'%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if escape {
            out.push_str(&text[i..i + 3]);
            i += 3;
            continue;
        }
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (b != b'%' && keep(b))
        {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
        i += 1;
    }
    out
}

/// A header the user may send: a valid token name that the connector does not own, and a value
/// without CR, LF, NUL or other control characters (tab allowed). Returns the lower-case name.
fn check_header(name: &str, value: &str) -> Result<String, Error> {
    let is_tchar = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(is_tchar) {
        return Err(Error::invalid(
            "headers",
            format!("`headers` has an invalid header name {name:?}."),
        ));
    }
    let lower = name.to_ascii_lowercase();
    if RESERVED_HEADERS.contains(&lower.as_str()) {
        return Err(Error::invalid(
            "headers",
            format!(
                "`headers` may not set {name}: the connector sets the authorization, version and \
                 connection headers itself (use linkedinVersion for the version)."
            ),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Error::invalid(
            "headers",
            format!("`headers` value of {name} contains a line break or control character."),
        ));
    }
    Ok(lower)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::ScriptEnv;
    use proptest::prelude::*;
    use serde_json::json;

    fn action(method: Method, path: &str) -> CustomAction {
        CustomAction {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: None,
            linkedin_version: None,
        }
    }

    fn field_of(result: Result<impl std::fmt::Debug, Error>) -> String {
        match result {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("{other:?}"),
        }
    }

    /// The URL the pipeline would send for `path`.
    fn url_of(path: &str) -> Result<String, Error> {
        let mut env = ScriptEnv::new().respond(200, &[], "{}");
        custom_action(&mut env, action(Method::Get, path))?;
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
            let result = custom_action(&mut env, action(Method::Get, bad));
            assert!(result.is_err(), "{bad:?} was accepted");
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
        let input = CustomAction {
            method: Method::Post,
            path: "/rest/posts/urn:li:share:1".into(),
            query: vec![
                (
                    "ids".into(),
                    json!("List(urn:li:share:1,urn%3Ali%3Ashare%3A2)"),
                ),
                ("fields".into(), json!("id,form:(id,content)")),
                ("count".into(), json!(10)),
                ("skip".into(), Value::Null),
            ],
            headers: vec![
                ("X-RestLi-Method".into(), "PARTIAL_UPDATE".into()),
                ("X-Custom".into(), "a b\tc".into()),
            ],
            body: Some(json!({"patch": {"$set": {"commentary": "Hi"}}})),
            linkedin_version: Some("202601".into()),
        };
        let out = custom_action(&mut env, input).unwrap();
        let sent = &env.sent[0];
        assert_eq!(sent.method, Method::Post);
        assert_eq!(
            sent.url,
            "https://api.linkedin.com/rest/posts/urn%3Ali%3Ashare%3A1?ids=List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)&fields=id,form:(id,content)&count=10"
        );
        assert_eq!(
            sent.headers,
            vec![
                ("authorization".to_string(), "Bearer test-token".to_string()),
                ("linkedin-version".to_string(), "202601".to_string()),
                ("x-restli-protocol-version".to_string(), "2.0.0".to_string()),
                ("content-type".to_string(), "application/json".to_string()),
                ("x-restli-method".to_string(), "PARTIAL_UPDATE".to_string()),
                ("x-custom".to_string(), "a b\tc".to_string()),
            ]
        );
        assert_eq!(sent.body, br#"{"patch":{"$set":{"commentary":"Hi"}}}"#);
        assert_eq!(
            out.to_json(),
            r#"{"status":200,"headers":{"set-cookie":"a, b","x-restli-id":"1"},"body":{"elements":[1.5]},"raw":{"elements": [1.50]}}"#
        );
    }

    #[test]
    fn v2_calls_carry_no_version_and_text_bodies_stay_text() {
        let mut env = ScriptEnv::new().respond(201, &[], "created, thanks");
        let mut input = action(Method::Put, "/v2/things/1");
        input.body = Some(json!("a=1&b=2"));
        input.linkedin_version = Some("202601".into());
        let out = custom_action(&mut env, input).unwrap();
        let sent = &env.sent[0];
        assert_eq!(sent.header("linkedin-version"), None);
        assert_eq!(sent.header("x-restli-protocol-version"), Some("2.0.0"));
        assert_eq!(
            sent.header("content-type"),
            Some("text/plain; charset=utf-8")
        );
        assert_eq!(sent.body, b"a=1&b=2");
        assert_eq!(out.status, 201);
        assert_eq!(out.body, json!("created, thanks"));
        assert_eq!(
            out.to_json(),
            r#"{"status":201,"headers":{},"body":"created, thanks"}"#
        );

        // A string that is JSON is sent byte for byte, as JSON; a given Content-Type wins.
        let mut env = ScriptEnv::new().respond(204, &[], "");
        let mut input = action(Method::Patch, "/rest/x");
        input.body = Some(json!("{ \"a\" : 1 }"));
        let out = custom_action(&mut env, input).unwrap();
        assert_eq!(env.sent[0].body, b"{ \"a\" : 1 }");
        assert_eq!(env.sent[0].header("content-type"), Some("application/json"));
        assert_eq!(out.body, Value::Null);
        let mut env = ScriptEnv::new().respond(200, &[], "");
        let mut input = action(Method::Post, "/rest/x");
        input.body = Some(json!("q=1"));
        input.headers = vec![(
            "Content-Type".into(),
            "application/x-www-form-urlencoded".into(),
        )];
        custom_action(&mut env, input).unwrap();
        assert_eq!(
            env.sent[0]
                .headers
                .iter()
                .filter(|(n, _)| n == "content-type")
                .count(),
            1
        );
        assert_eq!(
            env.sent[0].header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        // POST without a body sends none.
        let mut env = ScriptEnv::new().respond(200, &[], "");
        custom_action(&mut env, action(Method::Post, "/rest/x")).unwrap();
        assert!(env.sent[0].body.is_empty());
        assert_eq!(env.sent[0].header("content-type"), None);
    }

    #[test]
    fn refuses_reserved_and_malformed_headers() {
        for (name, value) in [
            ("Authorization", "Bearer other"),
            ("authorization", "x"),
            ("AUTHORIZATION", "x"),
            ("LinkedIn-Version", "202601"),
            ("linkedin-version", "202601"),
            ("X-Restli-Protocol-Version", "1.0.0"),
            ("x-restli-protocol-version", "2.0.0"),
            ("Host", "evil.com"),
            ("Content-Length", "5"),
            ("Transfer-Encoding", "chunked"),
            ("Connection", "close"),
            ("Proxy-Authorization", "x"),
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
            let mut input = action(Method::Get, "/rest/x");
            input.headers = vec![(name.into(), value.into())];
            assert_eq!(
                field_of(custom_action(&mut env, input)),
                "headers",
                "{name:?}: {value:?}"
            );
            assert!(env.sent.is_empty());
        }
        let mut input = action(Method::Get, "/rest/x");
        input.headers = vec![("X-A".into(), "1".into()), ("x-a".into(), "2".into())];
        assert_eq!(field_of(build_request(&input)), "headers");
    }

    #[test]
    fn other_input_errors() {
        let mut input = action(Method::Get, "/rest/x");
        input.body = Some(json!({"a": 1}));
        assert_eq!(field_of(build_request(&input)), "body");
        let mut input = action(Method::Get, "/rest/x");
        input.query = vec![(String::new(), json!("1"))];
        assert_eq!(field_of(build_request(&input)), "query");
        let mut input = action(Method::Get, "/rest/x");
        input.linkedin_version = Some("latest".into());
        assert_eq!(
            field_of(custom_action(&mut ScriptEnv::new(), input)),
            "linkedinVersion"
        );

        let from = |v: Value| CustomAction::from_json(v.as_object().unwrap());
        assert_eq!(field_of(from(json!({"path": "/rest/x"}))), "method");
        assert_eq!(
            field_of(from(json!({"method": "FETCH", "path": "/rest/x"}))),
            "method"
        );
        assert_eq!(field_of(from(json!({"method": "get"}))), "path");
        assert_eq!(
            field_of(from(
                json!({"method": "get", "path": "/rest/x", "query": "a=1"})
            )),
            "query"
        );
        assert_eq!(
            field_of(from(
                json!({"method": "get", "path": "/rest/x", "headers": {"a": [1]}})
            )),
            "headers"
        );
        let ok = from(json!({
            "method": "patch", "path": "/rest/x", "query": {"a": 1},
            "headers": {"X-RestLi-Method": "PARTIAL_UPDATE", "X-N": 2}, "body": [1, "a"],
            "linkedinVersion": "202601"
        }))
        .unwrap();
        assert_eq!(ok.method, Method::Patch);
        assert_eq!(ok.query, vec![("a".to_string(), json!(1))]);
        assert!(ok.headers.contains(&("X-N".to_string(), "2".to_string())));
        assert_eq!(ok.body, Some(json!([1, "a"])));
        let none = from(json!({"method": "POST", "path": "/rest/x", "body": ""})).unwrap();
        assert_eq!(none.body, None);
    }

    #[test]
    fn failures_map_through_the_pipeline_with_the_body() {
        let mut env = ScriptEnv::new().respond(
            400,
            &[],
            r#"{"status":400,"code":"ILLEGAL_ARGUMENT","message":"bad field test-token"}"#,
        );
        let err = custom_action(&mut env, action(Method::Get, "/rest/x")).unwrap_err();
        let json = err.to_json();
        assert_eq!(json["kind"], "api");
        assert_eq!(json["status"], 400);
        assert_eq!(json["code"], "ILLEGAL_ARGUMENT");
        assert!(json["body"].as_str().unwrap().contains("ILLEGAL_ARGUMENT"));
        assert!(!json.to_string().contains("test-token"));
        let mut env = ScriptEnv::new().respond(401, &[], "{}");
        assert_eq!(
            custom_action(&mut env, action(Method::Get, "/v2/me"))
                .unwrap_err()
                .kind(),
            "unauthorized"
        );
    }

    #[test]
    fn restli_values_keep_their_structure() {
        let cases = [
            ("urn:li:share:1", "urn%3Ali%3Ashare%3A1"),
            ("urn%3Ali%3Ashare%3A1", "urn%3Ali%3Ashare%3A1"),
            (
                "List(urn:li:share:1,urn:li:share:2)",
                "List(urn%3Ali%3Ashare%3A1,urn%3Ali%3Ashare%3A2)",
            ),
            (
                "(sponsoredAccount:urn:li:sponsoredAccount:123)",
                "(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A123)",
            ),
            (
                "(status:(values:List(ACTIVE)),test:false)",
                "(status:(values:List(ACTIVE)),test:false)",
            ),
            (
                "(timeRange:(start:1634018799000,end:1634623599000),timeGranularityType:DAY)",
                "(timeRange:(start:1634018799000,end:1634623599000),timeGranularityType:DAY)",
            ),
            (
                "List(urn:li:comment:(urn:li:activity:1,2),urn:li:share:3)",
                "List(urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A1%2C2%29,urn%3Ali%3Ashare%3A3)",
            ),
            ("List()", "List()"),
            ("(a:)", "(a:'')"),
            ("''", "''"),
            ("a b&c=d", "a%20b%26c%3Dd"),
            ("(unbalanced", "%28unbalanced"),
            ("List(a,b", "List%28a%2Cb"),
            ("(a:b)x", "%28a%3Ab%29x"),
            ("100%", "100%25"),
        ];
        for (text, encoded) in cases {
            assert_eq!(encode_restli(text), encoded, "{text:?}");
            assert_eq!(encode_restli(encoded), encoded, "{encoded:?} is not stable");
        }
        assert_eq!(
            json_restli(&json!([
                "urn:li:share:1",
                {"start": 1, "end": 2},
                "",
                true
            ])),
            "List(urn%3Ali%3Ashare%3A1,(end:2,start:1),'',true)"
        );
        assert_eq!(
            query_value("fields", &json!(["id", "name"])).as_deref(),
            Some("id,name")
        );
        assert_eq!(query_value("x", &Value::Null), None);
        let deep = format!("{}x{}", "(a:".repeat(100), ")".repeat(100));
        assert!(encode_restli(&deep).starts_with("%28a%3A"));
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

    // Case counts come from PROPTEST_CASES (default 256); `make fuzz` raises it:
    // PROPTEST_CASES=100000 cargo test --profile host -p linkedin-connector --lib prop_
    proptest! {
        #[test]
        fn prop_accepted_targets_always_point_at_the_api(text in hostile()) {
            if let Ok(target) = parse_target(&text) {
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
                let request = ApiRequest::new(Method::Get, target.api, target.path.clone());
                let mut env = ScriptEnv::new().respond(200, &[], "");
                let mut client = Client::new(&mut env, &CUSTOM_ACTION);
                let mut request = request;
                request.query = target.query.clone();
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
            if let Err(e) = parse_target(&text) {
                let is_path = matches!(e, Error::InvalidInput { ref field, .. } if field == "path");
                prop_assert!(is_path, "{:?}", e);
            }
        }

        #[test]
        fn prop_encoding_is_stable_and_never_panics(text in "[(),:'%a-zA-Z0-9 L&=ist]{0,40}") {
            let once = encode_restli(&text);
            prop_assert_eq!(encode_restli(&once), once.clone());
            prop_assert!(!once.contains([' ', '&', '=', '#']));
        }
    }
}
