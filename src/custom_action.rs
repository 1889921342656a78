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
use crate::input::{Choice, Fields};
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
            let value = match value {
                Value::String(s) => s,
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                _ => {
                    return Err(Error::invalid(
                        "headers",
                        format!("`headers` value of {name:?} must be text."),
                    ));
                }
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
            json => (json.to_string().into_bytes(), "application/json"),
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
                .map(|i| encode_projection(&scalar(i).unwrap_or_default()))
                .collect::<Vec<_>>()
                .join(","),
            other => encode_projection(&scalar(other)?),
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
        other => scalar(other).map(|s| encode_leaf(&s)).unwrap_or_default(),
    }
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
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
