//! `host-test record`: run one command live and write what happened as a fixture that replays.
//!
//! ```text
//! LINKEDIN_ACCESS_TOKEN=... host-test record create-post --input @post.json --live \
//!     --out fixtures/create-post/launch.json [--description TEXT] [--endpoint URL]
//! LINKEDIN_ACCESS_TOKEN=... LINKEDIN_VERSION=202612 \
//!     host-test record --from fixtures/create-post/launch.json --live
//! ```
//!
//! The call runs as `call --live` runs it (the same live backend, bearer check and address
//! policy), with the token and client secret from `$LINKEDIN_ACCESS_TOKEN` and
//! `$LINKEDIN_CLIENT_SECRET`, and with replay's default settings, `$LINKEDIN_VERSION` replacing
//! `linkedinVersion` when set, so that a case recorded without it needs no `settings` key.
//!
//! Each request the component sent becomes an interaction: the method, the URL as the component
//! built it (not the `--endpoint` it was redirected to), the headers that carry the contract
//! (`authorization`, `linkedin-version` and `x-restli-protocol-version`, `null` when absent;
//! `x-restli-method` when sent; `content-type` with a body) and the body (`json` when it is a
//! JSON object or array, else `body` text or `bodyBase64`). Each answer keeps its status, the
//! headers commands read (`x-restli-id`, `content-type`, `etag`, `location`, `retry-after`,
//! `date`, `x-li-*`, `x-restli-*`) and its body, or the transport fault. `expect` is the whole
//! result: the output with `raw`, or the error with its message as `messageContains`.
//!
//! Every occurrence of the real token and secret, as is, JSON-escaped or percent-encoded, is
//! replaced by `test-token` / `test-secret` (what replay runs with) in bodies, headers, URLs,
//! the input and `expect`; a file that would still hold one is not written. `credentials`,
//! `settings` and `now` are written only when they differ from replay's defaults (`now`, the
//! recording's start, only when the component read the wall clock).
//!
//! The written case is replayed at once, and `record` fails when it does not pass: a live
//! answer that changes from call to call (an expiry stamp computed from the time, a fresh id
//! that the component echoes in a later request) needs a hand edit. `--from CASE` takes the
//! command, input, description and settings of an existing case and writes the new recording
//! back over it: moving a case to a newer LinkedIn-Version is that one command.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::fixture::{
    self, DEFAULT_ACCESS_TOKEN, DEFAULT_CLIENT_SECRET, DEFAULT_LINKEDIN_VERSION, Fault,
};
use crate::http_hook::{Backend, Outcome, SentRequest, Tape};
use crate::replay;
use crate::runtime::{HostConfig, Runtime};

/// What to record.
#[derive(Clone, Debug)]
pub struct Recording {
    pub command: String,
    /// The input text, as `execute` gets it.
    pub input: String,
    /// The case's description; a placeholder naming the command when `None`.
    pub description: Option<String>,
    /// The settings the host holds (before `$LINKEDIN_VERSION`).
    pub settings: BTreeMap<String, String>,
    /// Where LinkedIn's requests go instead of LinkedIn (the operator's test server).
    pub endpoint: Option<http::Uri>,
    /// Print each exchange to stderr.
    pub log: bool,
}

impl Recording {
    /// A new case with replay's default settings.
    pub fn new(command: &str, input: &str) -> Recording {
        Recording {
            command: command.to_string(),
            input: input.to_string(),
            description: None,
            settings: default_settings(),
            endpoint: None,
            log: true,
        }
    }

    /// Re-recording the case at `path`: its command, input, description and settings.
    pub fn from_case(path: &Path) -> Result<Recording> {
        let case = fixture::load(path)?;
        Ok(Recording {
            command: case.command.clone(),
            input: case.input_text(),
            description: Some(case.description.clone()),
            settings: case.settings(),
            endpoint: None,
            log: true,
        })
    }
}

fn default_settings() -> BTreeMap<String, String> {
    BTreeMap::from([(
        "linkedinVersion".to_string(),
        DEFAULT_LINKEDIN_VERSION.to_string(),
    )])
}

/// The real account a recording runs with.
#[derive(Clone, Debug, Default)]
pub struct Account {
    pub access_token: Option<String>,
    pub client_secret: Option<String>,
    /// Replaces the `linkedinVersion` setting when given.
    pub linkedin_version: Option<String>,
}

impl Account {
    /// `$LINKEDIN_ACCESS_TOKEN`, `$LINKEDIN_CLIENT_SECRET`, `$LINKEDIN_VERSION` (empty = unset).
    pub fn from_env() -> Account {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Account {
            access_token: env("LINKEDIN_ACCESS_TOKEN"),
            client_secret: env("LINKEDIN_CLIENT_SECRET"),
            linkedin_version: env("LINKEDIN_VERSION"),
        }
    }
}

/// Runs the call live and returns the fixture as text, secrets replaced, ready to write.
pub async fn record(runtime: &Runtime, recording: &Recording, account: &Account) -> Result<String> {
    let mut settings = recording.settings.clone();
    if let Some(version) = &account.linkedin_version {
        settings.insert("linkedinVersion".into(), version.clone());
    }
    let started = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or(0);
    let config = HostConfig {
        access_token: account.access_token.clone(),
        client_secret: account.client_secret.clone(),
        settings: settings.clone(),
        // Pinned to the start so that a `now` written into the case is the clock the call saw.
        now: Some(started),
    };
    let tape = Arc::new(Tape::default());
    let backend = Backend::Recording {
        endpoint: recording.endpoint.clone(),
        log: recording.log,
        tape: tape.clone(),
    };
    let (result, report) = runtime
        .execute(config, backend, &recording.command, &recording.input)
        .await?;

    let redactor = Redactor::new(
        account.access_token.as_deref(),
        account.client_secret.as_deref(),
    );
    let (input, input_text) = match serde_json::from_str::<Value>(&recording.input) {
        Ok(value) => (Some(redactor.value(&value)), None),
        Err(_) => (None, Some(redactor.text(&recording.input))),
    };
    let credentials = match (&account.access_token, &account.client_secret) {
        (Some(_), Some(_)) => None,
        (token, secret) => {
            let mut held = Map::new();
            if token.is_some() {
                held.insert("accessToken".into(), DEFAULT_ACCESS_TOKEN.into());
            }
            if secret.is_some() {
                held.insert("clientSecret".into(), DEFAULT_CLIENT_SECRET.into());
            }
            Some(held)
        }
    };
    let expect = match result {
        Ok(text) => {
            let output: Value = serde_json::from_str(&text)
                .with_context(|| format!("the command's output is not JSON: {text}"))?;
            match redactor.value(&output) {
                Value::Object(output) => Expect::Ok(output),
                _ => bail!("the command's output is not a JSON object: {text}"),
            }
        }
        Err(error) => {
            let Value::Object(mut payload) = redactor.value(&error.to_json()) else {
                bail!("the command's error is not a JSON object");
            };
            let kind = payload.remove("kind").unwrap_or(Value::Null);
            let message = match payload.remove("message") {
                Some(Value::String(m)) => m,
                _ => String::new(),
            };
            Expect::Error(ErrorExpect {
                kind,
                payload,
                message_contains: message,
            })
        }
    };
    let case = Case {
        description: recording.description.clone().unwrap_or_else(|| {
            format!(
                "{}, recorded live (replace this with what the case shows)",
                recording.command
            )
        }),
        command: recording.command.clone(),
        input,
        input_text,
        credentials,
        settings: (settings != default_settings()).then_some(settings),
        now: report.wall_clock_read.then_some(started),
        interactions: tape
            .exchanges()
            .into_iter()
            .map(|taped| Interaction {
                request: request(&taped.request, &redactor),
                response: response(&taped.outcome, &redactor),
            })
            .collect(),
        expect,
    };
    let mut text = serde_json::to_string_pretty(&case)?;
    text.push('\n');
    if redactor.leaks(&text) {
        bail!("the recorded case still holds a secret after redaction; nothing was written");
    }
    Ok(text)
}

/// `host-test record`: records, writes `out`, and replays it. Returns whether it replayed.
pub fn run(
    runtime: &Runtime,
    recording: &Recording,
    account: &Account,
    out: &Path,
) -> Result<bool> {
    if account.access_token.is_none() {
        eprintln!("note: $LINKEDIN_ACCESS_TOKEN is not set; the host holds no token");
    }
    let text = crate::runtime::tokio_runtime()?.block_on(record(runtime, recording, account))?;
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    std::fs::write(out, &text).with_context(|| format!("writing {}", out.display()))?;
    println!("wrote {}", out.display());
    let report = crate::runtime::virtual_time_runtime()?.block_on(replay::run_file(runtime, out));
    if report.passed() {
        println!("replays: ok");
        return Ok(true);
    }
    println!("replays: FAIL (the live answers were not deterministic; edit the case):");
    for failure in &report.failures {
        for line in failure.lines() {
            println!("  {line}");
        }
    }
    Ok(false)
}

/// The fixture as written; field order is the order in the file.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Case {
    description: String,
    command: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    input: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    input_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    credentials: Option<Map<String, Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    settings: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    now: Option<u64>,
    interactions: Vec<Interaction>,
    expect: Expect,
}

#[derive(Serialize)]
struct Interaction {
    request: Request,
    response: Response,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    method: String,
    url: String,
    headers: BTreeMap<String, Option<String>>,
    #[serde(flatten)]
    body: Body,
}

/// An HTTP answer (status, headers, body) or a fault.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Response {
    #[serde(skip_serializing_if = "Option::is_none")]
    fault: Option<Fault>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    headers: BTreeMap<String, String>,
    #[serde(flatten)]
    body: Body,
}

/// At most one of the three; none for an empty body.
#[derive(Default, Serialize)]
#[serde(rename_all = "camelCase")]
struct Body {
    #[serde(skip_serializing_if = "Option::is_none")]
    json: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    body_base64: Option<String>,
}

#[derive(Serialize)]
enum Expect {
    #[serde(rename = "ok")]
    Ok(Map<String, Value>),
    #[serde(rename = "error")]
    Error(ErrorExpect),
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ErrorExpect {
    kind: Value,
    #[serde(flatten)]
    payload: Map<String, Value>,
    message_contains: String,
}

/// Request headers a case states: the ones that carry the contract with LinkedIn and where the
/// token goes. Absent ones are written as `null` (absence is what a video part or a source
/// fetch must show).
const REQUEST_HEADERS: [&str; 3] = [
    "authorization",
    "linkedin-version",
    "x-restli-protocol-version",
];

fn request(sent: &SentRequest, redactor: &Redactor) -> Request {
    let mut headers: BTreeMap<String, Option<String>> = REQUEST_HEADERS
        .iter()
        .map(|name| {
            (
                name.to_string(),
                sent.header(name).map(|v| redactor.text(v)),
            )
        })
        .collect();
    if let Some(method) = sent.header("x-restli-method") {
        headers.insert("x-restli-method".into(), Some(redactor.text(method)));
    }
    if !sent.body.is_empty()
        && let Some(content_type) = sent.header("content-type")
    {
        headers.insert("content-type".into(), Some(redactor.text(content_type)));
    }
    Request {
        method: sent.method.clone(),
        url: redactor.text(&sent.url),
        headers,
        body: body(&redactor.bytes(&sent.body)),
    }
}

/// Whether a response header is one a command reads.
fn response_header_kept(name: &str) -> bool {
    matches!(
        name,
        "x-restli-id" | "content-type" | "etag" | "location" | "retry-after" | "date"
    ) || name.starts_with("x-li-")
        || name.starts_with("x-restli-")
}

fn response(outcome: &Outcome, redactor: &Redactor) -> Response {
    match outcome {
        Outcome::Fault(fault) => Response {
            fault: Some(*fault),
            status: None,
            headers: BTreeMap::new(),
            body: Body::default(),
        },
        Outcome::Response {
            status,
            headers,
            body: bytes,
        } => {
            let mut kept: BTreeMap<String, String> = BTreeMap::new();
            for (name, value) in headers.iter().filter(|(n, _)| response_header_kept(n)) {
                let value = redactor.text(value);
                kept.entry(name.clone())
                    .and_modify(|v| {
                        v.push_str(", ");
                        v.push_str(&value);
                    })
                    .or_insert(value);
            }
            Response {
                fault: None,
                status: Some(*status),
                headers: kept,
                body: body(&redactor.bytes(bytes)),
            }
        }
    }
}

/// A body in the most readable form that replays it: `json` for a JSON object or array (replay
/// sends it back compact, which a JSON reader cannot tell apart), text, or base64.
fn body(bytes: &[u8]) -> Body {
    if bytes.is_empty() {
        return Body::default();
    }
    let structured = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{' || *b == b'[');
    if structured && let Ok(value) = serde_json::from_slice::<Value>(bytes) {
        return Body {
            json: Some(value),
            ..Body::default()
        };
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Body {
            body: Some(text.to_string()),
            ..Body::default()
        },
        Err(_) => Body {
            body_base64: Some(base64::engine::general_purpose::STANDARD.encode(bytes)),
            ..Body::default()
        },
    }
}

/// Replaces the real token and secret, in every form they may take in a URL or a JSON text, by
/// the placeholders replay runs with.
struct Redactor {
    /// (form, placeholder), longest form first so that no shorter form splits a longer one.
    forms: Vec<(Vec<u8>, &'static str)>,
}

/// Percent-encoding that leaves RFC 3986's unreserved characters alone, as URL builders do.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl Redactor {
    fn new(token: Option<&str>, secret: Option<&str>) -> Redactor {
        let mut forms = Vec::new();
        for (value, placeholder) in [
            (token, DEFAULT_ACCESS_TOKEN),
            (secret, DEFAULT_CLIENT_SECRET),
        ] {
            let Some(value) = value.filter(|v| !v.is_empty() && *v != placeholder) else {
                continue;
            };
            forms.extend(
                encodings(value)
                    .into_iter()
                    .map(|form| (form.into_bytes(), placeholder)),
            );
        }
        forms.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        forms.dedup_by(|a, b| a.0 == b.0);
        Redactor { forms }
    }

    fn bytes(&self, data: &[u8]) -> Vec<u8> {
        let mut data = data.to_vec();
        for (form, placeholder) in &self.forms {
            data = replace_all(&data, form, placeholder.as_bytes());
        }
        data
    }

    fn text(&self, text: &str) -> String {
        // A form is whole UTF-8 characters, so replacing it keeps the text valid UTF-8.
        String::from_utf8_lossy(&self.bytes(text.as_bytes())).into_owned()
    }

    fn value(&self, value: &Value) -> Value {
        match value {
            Value::String(s) => Value::String(self.text(s)),
            Value::Array(items) => Value::Array(items.iter().map(|v| self.value(v)).collect()),
            Value::Object(map) => Value::Object(
                map.iter()
                    .map(|(k, v)| (self.text(k), self.value(v)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// Whether `text` still holds a form of a secret outside the placeholders.
    fn leaks(&self, text: &str) -> bool {
        let scrubbed = text
            .replace(DEFAULT_ACCESS_TOKEN, "")
            .replace(DEFAULT_CLIENT_SECRET, "");
        self.forms
            .iter()
            .any(|(form, _)| contains(scrubbed.as_bytes(), form))
    }
}

/// The forms `value` takes in the places a recording holds: as is, JSON-escaped (with and
/// without `\/`), and percent-encoded (every non-alphanumeric or only the reserved characters,
/// upper- or lower-case hex, and `+` for a space as forms encode it).
fn encodings(value: &str) -> Vec<String> {
    let mut forms = vec![value.to_string()];
    if let Ok(quoted) = serde_json::to_string(value) {
        let escaped = quoted[1..quoted.len() - 1].to_string();
        forms.push(escaped.replace('/', "\\/"));
        forms.push(escaped);
    }
    for set in [NON_ALPHANUMERIC, COMPONENT] {
        let upper = utf8_percent_encode(value, set).to_string();
        forms.push(lower_hex(&upper));
        forms.push(upper.replace("%20", "+"));
        forms.push(upper);
    }
    forms.retain(|f| !f.is_empty());
    forms
}

/// `%2F` as `%2f`.
fn lower_hex(encoded: &str) -> String {
    let mut out = String::with_capacity(encoded.len());
    let mut hex_left = 0;
    for c in encoded.chars() {
        if hex_left > 0 {
            out.push(c.to_ascii_lowercase());
            hex_left -= 1;
        } else {
            if c == '%' {
                hex_left = 2;
            }
            out.push(c);
        }
    }
    out
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn replace_all(data: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    if needle.is_empty() || !contains(data, needle) {
        return data.to_vec();
    }
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while i < data.len() {
        if data[i..].starts_with(needle) {
            out.extend_from_slice(with);
            i += needle.len();
        } else {
            out.push(data[i]);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const TOKEN: &str = "AQV/tok+en=1 \"q\"";
    const SECRET: &str = "s3cr3t~x";

    #[test]
    fn every_form_of_a_secret_is_replaced() {
        let r = Redactor::new(Some(TOKEN), Some(SECRET));
        let json_escaped = r#"AQV/tok+en=1 \"q\""#;
        let places = [
            format!("Bearer {TOKEN}"),
            format!(r#"{{"t":"{json_escaped}"}}"#),
            format!(r#"{{"t":"{}"}}"#, json_escaped.replace('/', "\\/")),
            "https://h/?t=AQV%2Ftok%2Ben%3D1%20%22q%22".to_string(),
            "https://h/?t=AQV%2ftok%2ben%3d1%20%22q%22".to_string(),
            "https://h/?t=AQV%2Ftok%2Ben%3D1+%22q%22".to_string(),
            format!("secret={SECRET}&x=s3cr3t%7Ex"),
        ];
        for place in places {
            let out = r.text(&place);
            assert!(!r.leaks(&out), "{place} -> {out}");
            assert!(
                out.contains("test-token") || out.contains("test-secret"),
                "{out}"
            );
        }
        assert_eq!(
            r.value(&json!({TOKEN: [SECRET]})),
            json!({"test-token": ["test-secret"]})
        );
    }

    #[test]
    fn placeholders_are_not_leaks() {
        let r = Redactor::new(Some("test-token"), Some("secret"));
        assert!(!r.leaks("Bearer test-token, test-secret"));
        assert!(r.leaks("the secret"));
    }

    #[test]
    fn bodies_take_the_most_readable_form_that_replays() {
        assert_eq!(body(b" {\"a\": 1}").json, Some(json!({"a": 1})));
        assert_eq!(body(b"123").body.as_deref(), Some("123"));
        assert_eq!(body(b"{not json").body.as_deref(), Some("{not json"));
        assert_eq!(body(&[0xff, 0xfe]).body_base64.as_deref(), Some("//4="));
        let empty = body(b"");
        assert!(empty.json.is_none() && empty.body.is_none() && empty.body_base64.is_none());
    }

    #[test]
    fn only_headers_commands_read_are_kept() {
        for name in [
            "x-restli-id",
            "etag",
            "retry-after",
            "date",
            "x-li-uuid",
            "x-restli-protocol-version",
        ] {
            assert!(response_header_kept(name), "{name}");
        }
        for name in [
            "set-cookie",
            "server",
            "content-length",
            "strict-transport-security",
        ] {
            assert!(!response_header_kept(name), "{name}");
        }
    }
}
