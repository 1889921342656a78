//! The fixture format: one case per JSON file, described for people who write cases in
//! `fixtures/README.md`. Every key is here; unknown keys are refused so that a misspelt one
//! fails the case instead of being ignored.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The credentials a case runs with when it gives none.
pub const DEFAULT_ACCESS_TOKEN: &str = "test-token";
pub const DEFAULT_CLIENT_SECRET: &str = "test-secret";
/// The settings a case runs with when it gives none. Fixed here (not taken from the component's
/// built-in default) so that bumping that default does not rewrite every fixture; a case with
/// `"settings": {}` tests the built-in default.
pub const DEFAULT_LINKEDIN_VERSION: &str = "202609";

/// One case.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Fixture {
    pub description: String,
    pub command: String,
    /// The input object (or any JSON, to test non-object input), kept as the file's own text:
    /// a host hands the component what the case says, key order and numbers as written.
    #[serde(default)]
    pub input: Option<Box<RawValue>>,
    /// Raw input text instead of `input`, to test text that is not JSON at all.
    #[serde(default)]
    pub input_text: Option<String>,
    pub credentials: Option<Credentials>,
    pub settings: Option<Map<String, Value>>,
    /// The wall clock the host gives the component, in ms since the Unix epoch (upload expiry
    /// stamps are checked against it). Without it the component reads the real clock.
    pub now: Option<u64>,
    #[serde(default)]
    pub interactions: Vec<Interaction>,
    pub expect: Expect,
}

/// The secrets the host holds. A key left out means the host has no such secret.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Credentials {
    pub access_token: Option<String>,
    pub client_secret: Option<String>,
}

/// One expected request and the answer to give.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interaction {
    pub request: ExpectedRequest,
    pub response: Reply,
}

/// What the component must send.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ExpectedRequest {
    pub method: String,
    pub url: String,
    /// Headers that must be present with these values (names case-insensitive); `null` means the
    /// header must be absent (such as `authorization` on a video part upload).
    #[serde(default)]
    pub headers: BTreeMap<String, Option<String>>,
    pub json: Option<Value>,
    pub json_contains: Option<Value>,
    pub body: Option<String>,
    pub body_base64: Option<String>,
}

/// How a request's body is checked.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyCheck {
    /// No body key: the request must have no body.
    None,
    Json(Value),
    JsonContains(Value),
    Bytes(Vec<u8>),
}

impl ExpectedRequest {
    pub fn body_check(&self) -> Result<BodyCheck> {
        let given = [
            self.json.is_some(),
            self.json_contains.is_some(),
            self.body.is_some(),
            self.body_base64.is_some(),
        ];
        if given.iter().filter(|g| **g).count() > 1 {
            bail!("a request gives more than one of json, jsonContains, body, bodyBase64");
        }
        Ok(if let Some(v) = &self.json {
            BodyCheck::Json(v.clone())
        } else if let Some(v) = &self.json_contains {
            BodyCheck::JsonContains(v.clone())
        } else if let Some(text) = &self.body {
            BodyCheck::Bytes(text.clone().into_bytes())
        } else if let Some(b64) = &self.body_base64 {
            BodyCheck::Bytes(
                base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .context("request.bodyBase64 is not base64")?,
            )
        } else {
            BodyCheck::None
        })
    }
}

/// The answer to a request: an HTTP response or a transport fault.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "ReplyFile")]
pub enum Reply {
    Fault {
        fault: Fault,
    },
    Http {
        status: u16,
        headers: BTreeMap<String, String>,
        /// Sent as the file's own text (key order and numbers as written).
        json: Option<Box<RawValue>>,
        body: Option<String>,
        body_base64: Option<String>,
    },
}

/// A reply as the file writes it. Read as a plain struct, not an untagged enum: serde buffers
/// an untagged enum's content, and a buffered value can no longer be kept as raw text.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ReplyFile {
    fault: Option<Fault>,
    status: Option<u16>,
    #[serde(default)]
    headers: BTreeMap<String, String>,
    json: Option<Box<RawValue>>,
    body: Option<String>,
    body_base64: Option<String>,
}

impl TryFrom<ReplyFile> for Reply {
    type Error = String;

    fn try_from(file: ReplyFile) -> std::result::Result<Reply, String> {
        match (file.fault, file.status) {
            (Some(fault), None)
                if file.headers.is_empty()
                    && file.json.is_none()
                    && file.body.is_none()
                    && file.body_base64.is_none() =>
            {
                Ok(Reply::Fault { fault })
            }
            (Some(_), _) => Err("a response with a fault has nothing else".into()),
            (None, Some(status)) => Ok(Reply::Http {
                status,
                headers: file.headers,
                json: file.json,
                body: file.body,
                body_base64: file.body_base64,
            }),
            (None, None) => Err("a response needs a status or a fault".into()),
        }
    }
}

impl Reply {
    /// The response body bytes (empty for a fault).
    pub fn body_bytes(&self) -> Result<Vec<u8>> {
        match self {
            Reply::Fault { .. } => Ok(Vec::new()),
            Reply::Http {
                json,
                body,
                body_base64,
                ..
            } => {
                if [json.is_some(), body.is_some(), body_base64.is_some()]
                    .iter()
                    .filter(|g| **g)
                    .count()
                    > 1
                {
                    bail!("a response gives more than one of json, body, bodyBase64");
                }
                Ok(if let Some(v) = json {
                    v.get().as_bytes().to_vec()
                } else if let Some(text) = body {
                    text.clone().into_bytes()
                } else if let Some(b64) = body_base64 {
                    base64::engine::general_purpose::STANDARD
                        .decode(b64)
                        .context("response.bodyBase64 is not base64")?
                } else {
                    Vec::new()
                })
            }
        }
    }
}

/// A simulated transport failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fault {
    ConnectionRefused,
    Timeout,
    Dns,
    /// The host's HTTP stack failed in a way with no reason of its own (wasi:http
    /// `HTTP-protocol-error`): the `other` transport reason.
    ProtocolError,
    /// The TLS handshake failed (`TLS-protocol-error`): what `record` writes when a live server's
    /// certificate or handshake was refused.
    Tls,
    /// The host refused to send the request (`HTTP-request-denied`): what `record` writes when
    /// live mode's address policy refused a destination.
    Denied,
}

/// What the call must return.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Expect {
    /// The output must contain these keys with these values.
    #[serde(rename = "ok")]
    Ok(Map<String, Value>),
    /// The error must have this `kind`, these payload fields, and a message containing
    /// `messageContains`.
    #[serde(rename = "error")]
    Error(Map<String, Value>),
}

impl Fixture {
    /// The input text handed to `execute`: `inputText`, or the text of `input` exactly as the
    /// file writes it, or `{}`.
    pub fn input_text(&self) -> String {
        match (&self.input_text, &self.input) {
            (Some(text), _) => text.clone(),
            (None, Some(input)) => input.get().to_string(),
            (None, None) => "{}".to_string(),
        }
    }

    /// The input as a JSON value, in the order written (for the typed call).
    pub fn input_value(&self) -> Result<Value> {
        Ok(serde_json::from_str(&self.input_text())?)
    }

    /// The access token the host holds for this case.
    pub fn access_token(&self) -> Option<String> {
        match &self.credentials {
            Some(c) => c.access_token.clone(),
            None => Some(DEFAULT_ACCESS_TOKEN.into()),
        }
    }

    /// The client secret the host holds for this case.
    pub fn client_secret(&self) -> Option<String> {
        match &self.credentials {
            Some(c) => c.client_secret.clone(),
            None => Some(DEFAULT_CLIENT_SECRET.into()),
        }
    }

    /// The settings the host holds, as strings.
    pub fn settings(&self) -> BTreeMap<String, String> {
        match &self.settings {
            Some(map) => map
                .iter()
                .map(|(k, v)| {
                    let v = match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    };
                    (k.clone(), v)
                })
                .collect(),
            None => BTreeMap::from([(
                "linkedinVersion".to_string(),
                DEFAULT_LINKEDIN_VERSION.to_string(),
            )]),
        }
    }

    /// Checks what serde cannot: body keys are exclusive and decodable.
    pub fn validate(&self) -> Result<()> {
        if self.input_text.is_some() && self.input.is_some() {
            bail!("give either input or inputText, not both");
        }
        for (i, interaction) in self.interactions.iter().enumerate() {
            interaction
                .request
                .body_check()
                .with_context(|| format!("interaction {i}"))?;
            interaction
                .response
                .body_bytes()
                .with_context(|| format!("interaction {i}"))?;
        }
        if let Expect::Error(e) = &self.expect
            && !e.contains_key("kind")
        {
            bail!("expect.error needs a kind");
        }
        Ok(())
    }
}

/// Loads one case.
pub fn load(path: &Path) -> Result<Fixture> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let fixture: Fixture =
        serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    fixture
        .validate()
        .with_context(|| format!("checking {}", path.display()))?;
    Ok(fixture)
}

/// Every `*.json` under the given files and folders, sorted, each once.
pub fn collect(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            walk(path, &mut out)?;
        } else if path.exists() {
            out.push(path.clone());
        } else {
            bail!("no such file or folder: {}", path.display());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}
