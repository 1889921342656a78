//! What every fuzz case must show, whatever it was asked: failures are typed errors, secrets go
//! only where the credentials interface says they go, no request leaves for a non-public
//! address, and no secret comes back in any output. (That no call traps is checked where the
//! calls are made.)

use std::borrow::Cow;
use std::collections::BTreeMap;

use base64::Engine as _;
use memchr::memmem;
use percent_encoding::percent_decode;
use serde_json::Value;
use url::{Host, Url};

use crate::http_hook::SentRequest;
use crate::runtime::WitError;
use crate::typed;

/// How many layers of percent-encoding a secret is looked for behind (`%252F` is two): as many
/// as the component promises to redact.
const PERCENT_LAYERS: usize = 3;

/// LinkedIn's API host: the bearer token's home.
const API_HOST: &str = "api.linkedin.com";
/// The token introspection endpoint: the one place the client secret goes, in the form body.
const INTROSPECTION_HOST: &str = "www.linkedin.com";
const INTROSPECTION_PATH: &str = "/oauth/v2/introspectToken";
/// Where upload URLs from register-upload point: each path on its own host only.
const UPLOAD_PLACES: &[(&str, &str)] = &[
    ("www.linkedin.com", "/dms-uploads/"),
    ("api.linkedin.com", "/mediaUpload/"),
];
/// Names that resolve to the local machine or a private network (besides `localhost` and
/// single-label names): the special-use names the component promises to refuse.
const PRIVATE_SUFFIXES: &[&str] = &[
    "localhost",
    "local",
    "internal",
    "home.arpa",
    "test",
    "invalid",
    "example",
    "onion",
    "alt",
    "lan",
    "home",
    "corp",
    "localdomain",
    "intranet",
    "private",
    "svc",
    "consul",
];

/// A secret the host holds, with what to call it in a report (never the value itself).
#[derive(Clone, Debug)]
pub struct Secret {
    pub kind: SecretKind,
    pub value: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SecretKind {
    AccessToken,
    ClientSecret,
}

impl SecretKind {
    fn name(self) -> &'static str {
        match self {
            SecretKind::AccessToken => "the access token",
            SecretKind::ClientSecret => "the client secret",
        }
    }
}

/// The secrets of a case worth looking for (an empty one is everywhere and nowhere).
pub fn secrets(token: Option<&str>, client_secret: Option<&str>) -> Vec<Secret> {
    [
        (SecretKind::AccessToken, token),
        (SecretKind::ClientSecret, client_secret),
    ]
    .into_iter()
    .filter_map(|(kind, value)| {
        value.filter(|v| !v.is_empty()).map(|v| Secret {
            kind,
            value: v.to_string(),
        })
    })
    .collect()
}

// ---------------------------------------------------------------------------------------------
// Finding a secret in any form

/// Whether `haystack` holds `secret` as given, JSON-escaped (`\/`, `\u0041`), or behind up to
/// three layers of percent-encoding; in a JSON text, inside any string or key, also when that
/// string is base64 of bytes holding the secret.
pub fn contains_secret(haystack: &[u8], secret: &str) -> bool {
    contains_secret_at(haystack, secret, 0)
}

fn contains_secret_at(haystack: &[u8], secret: &str, depth: usize) -> bool {
    let forms = [secret.to_string(), secret.replace('/', "\\/")];
    let mut layer = Cow::Borrowed(haystack);
    for round in 0..=PERCENT_LAYERS {
        if forms
            .iter()
            .any(|form| memmem::find(&layer, form.as_bytes()).is_some())
        {
            return true;
        }
        if round == PERCENT_LAYERS || !layer.contains(&b'%') {
            break;
        }
        layer = Cow::Owned(percent_decode(&layer).collect());
    }
    // JSON escapes other than `\/`, and base64, are seen string by string.
    if depth < 3
        && let Ok(text) = std::str::from_utf8(haystack)
    {
        return json_strings(text).any(|s| string_contains(&s, secret, depth + 1));
    }
    false
}

fn string_contains(text: &str, secret: &str, depth: usize) -> bool {
    contains_secret_at(text.as_bytes(), secret, depth)
        || base64_bytes(text).is_some_and(|bytes| contains_secret_at(&bytes, secret, depth))
}

/// Every JSON string literal in `text` (keys too), decoded: found by scanning, not parsing, so
/// that strings at any depth are seen, and in text that is not JSON as a whole (a log line
/// quoting a body) too.
fn json_strings(text: &str) -> impl Iterator<Item = String> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        loop {
            let start = at + memchr::memchr(b'"', bytes.get(at..)?)?;
            let mut end = start + 1;
            while end < bytes.len() && bytes[end] != b'"' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            if end >= bytes.len() {
                return None;
            }
            at = end + 1;
            let literal = text.get(start..=end)?;
            if let Ok(decoded) = serde_json::from_str::<String>(literal) {
                return Some(decoded);
            }
        }
    })
}

/// The bytes a string encodes, when it is base64 (standard or URL-safe, padded or not) long
/// enough to hold a secret.
fn base64_bytes(text: &str) -> Option<Vec<u8>> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let plausible = text.len() >= 12
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"+/-_=".contains(&b));
    if !plausible {
        return None;
    }
    [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(text).ok())
}

/// A problem for each secret found in `content` (what the component returned or printed).
pub fn output_leaks(place: &str, content: &[u8], secrets: &[Secret]) -> Vec<String> {
    secrets
        .iter()
        .filter(|s| contains_secret(content, &s.value))
        .map(|s| format!("{} appears in {place}", s.kind.name()))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Where a request goes

/// Where a request goes, as far as the credentials rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// `https://api.linkedin.com`, any path.
    Api,
    /// An upload URL: https on `www.linkedin.com` under `/dms-uploads/` or on
    /// `api.linkedin.com` under `/mediaUpload/` (as written and after dot segments are resolved).
    Upload,
    /// `https://www.linkedin.com/oauth/v2/introspectToken`.
    Introspection,
    Elsewhere,
}

pub fn destination(url_text: &str) -> Destination {
    let Ok(url) = Url::parse(url_text) else {
        return Destination::Elsewhere;
    };
    let plain_https = url.scheme() == "https"
        && url.port().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    let Some(Host::Domain(host)) = url.host() else {
        return Destination::Elsewhere;
    };
    if !plain_https {
        return Destination::Elsewhere;
    }
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    // The path as written (a server may not resolve dot segments the way `url` does) and as
    // `url` resolved it (a server may): both must pass.
    let raw_path = url_text
        .parse::<http::Uri>()
        .map(|u| u.path().to_string())
        .unwrap_or_default();
    let paths = [raw_path.as_str(), url.path()];
    // `..;x` is `..` to servers that drop path parameters: such a path leaves the upload area.
    let dot_segment = raw_path.split('/').any(|segment| {
        let name = segment.split(';').next().unwrap_or_default();
        let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
        name == "." || name == ".."
    });
    if host == API_HOST {
        return Destination::Api;
    }
    if host == INTROSPECTION_HOST && paths.iter().all(|p| *p == INTROSPECTION_PATH) {
        return Destination::Introspection;
    }
    let upload = !dot_segment
        && UPLOAD_PLACES
            .iter()
            .any(|(h, prefix)| host == *h && paths.iter().all(|p| p.starts_with(prefix)));
    if upload {
        return Destination::Upload;
    }
    Destination::Elsewhere
}

/// Why `url_text`'s host is not a public name, if it is not: an IP address in any spelling a
/// WHATWG parser accepts, `localhost`, a single label, or a private special-use name.
pub fn non_public(url_text: &str) -> Option<String> {
    let raw_host = url_text
        .parse::<http::Uri>()
        .ok()
        .and_then(|u| u.host().map(str::to_string))
        .unwrap_or_default();
    if raw_host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<std::net::IpAddr>()
        .is_ok()
    {
        return Some(format!("the host {raw_host} is an IP address"));
    }
    let url = match Url::parse(url_text) {
        Ok(url) => url,
        Err(e) => {
            return Some(format!(
                "the URL does not parse ({e}), so its host is unknown"
            ));
        }
    };
    match url.host() {
        None => Some("the URL has no host".into()),
        Some(Host::Ipv4(ip)) => Some(format!("the host {raw_host} is the IPv4 address {ip}")),
        Some(Host::Ipv6(ip)) => Some(format!("the host {raw_host} is the IPv6 address {ip}")),
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            if !name.contains('.') {
                return Some(format!("the host {name} is a single label"));
            }
            PRIVATE_SUFFIXES
                .iter()
                .find(|s| name == **s || name.ends_with(&format!(".{s}")))
                .map(|s| format!("the host {name} is a special-use name (.{s})"))
        }
    }
}

/// Every rule `request` breaks: where the access token, the client secret and an
/// `Authorization` header may go, and that it goes to a public host over http(s).
pub fn request_problems(request: &SentRequest, secrets: &[Secret]) -> Vec<String> {
    let mut out = Vec::new();
    let what = format!("{} {}", request.method, request.url);
    if let Some(why) = non_public(&request.url) {
        out.push(format!("{what} goes to a non-public address: {why}"));
    }
    let scheme = request.url.split(':').next().unwrap_or_default();
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        out.push(format!("{what} is neither https nor http"));
    }
    let destination = destination(&request.url);
    if request.header("authorization").is_some()
        && !matches!(destination, Destination::Api | Destination::Upload)
    {
        out.push(format!(
            "{what} carries an Authorization header, which goes only to {API_HOST} and upload URLs"
        ));
    }
    for secret in secrets {
        let mut places = Vec::new();
        if contains_secret(request.url.as_bytes(), &secret.value) {
            places.push("URL".to_string());
        }
        for (name, value) in &request.headers {
            if contains_secret(value.as_bytes(), &secret.value) {
                places.push(format!("header {name}"));
            }
        }
        let in_body = contains_secret(&request.body, &secret.value);
        let allowed = match (secret.kind, destination) {
            (SecretKind::AccessToken, Destination::Api | Destination::Upload) => true,
            // Introspection takes both in the form body, and only there.
            (_, Destination::Introspection) => places.is_empty(),
            _ => !in_body && places.is_empty(),
        };
        if in_body {
            places.push("body".into());
        }
        if !allowed {
            out.push(format!(
                "{what} carries {} (in the {})",
                secret.kind.name(),
                places.join(", ")
            ));
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Typed results

/// The kind of a JSON value, read without a depth limit: serde_json skips the values inside
/// iteratively, where building a `Value` stops at 128 levels (and the component may return a
/// LinkedIn body nested deeper than that, as LinkedIn sent it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

impl<'de> serde::Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Kind, D::Error> {
        use serde::de::{IgnoredAny, MapAccess, SeqAccess, Visitor};
        struct KindVisitor;
        impl<'de> Visitor<'de> for KindVisitor {
            type Value = Kind;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Kind::Object)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Kind::Array)
            }
            fn visit_str<E>(self, _: &str) -> Result<Kind, E> {
                Ok(Kind::String)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Kind, E> {
                Ok(Kind::Number)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Kind, E> {
                Ok(Kind::Number)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Kind, E> {
                Ok(Kind::Number)
            }
            fn visit_bool<E>(self, _: bool) -> Result<Kind, E> {
                Ok(Kind::Bool)
            }
            fn visit_unit<E>(self) -> Result<Kind, E> {
                Ok(Kind::Null)
            }
        }
        deserializer.deserialize_any(KindVisitor)
    }
}

/// What is wrong with `execute`'s result: the output must be a JSON object; an error must be a
/// case of the error variant with a message.
pub fn execute_problems(result: &Result<String, WitError>, cases: &[String]) -> Vec<String> {
    match result {
        Ok(text) => match serde_json::from_str::<Kind>(text) {
            Ok(Kind::Object) => Vec::new(),
            Ok(kind) => vec![format!(
                "execute returned ok with a JSON {kind:?}, not an object: {}",
                shorten(text)
            )],
            Err(e) => vec![format!(
                "execute returned ok with text that is not JSON ({e}): {}",
                shorten(text)
            )],
        },
        Err(error) => error_problems("execute", &error.to_json(), cases),
    }
}

/// What is wrong with `execute-json`'s text: it must be `{"ok": {...}}` or
/// `{"error": {"kind": <an error case>, "message": ...}}`.
pub fn execute_json_problems(text: &str, cases: &[String]) -> Vec<String> {
    let not_an_envelope = || {
        vec![format!(
            "execute-json returned neither {{\"ok\": {{...}}}} nor {{\"error\": {{...}}}}: {}",
            shorten(text)
        )]
    };
    let Ok(top) = serde_json::from_str::<BTreeMap<String, Kind>>(text) else {
        return not_an_envelope();
    };
    match top.iter().collect::<Vec<_>>().as_slice() {
        [(key, Kind::Object)] if *key == "ok" => Vec::new(),
        [(key, Kind::Object)] if *key == "error" => {
            // Errors are small records: a `Value` holds them.
            match serde_json::from_str::<Value>(text) {
                Ok(envelope) => error_problems("execute-json", &envelope["error"], cases),
                Err(e) => vec![format!(
                    "execute-json's error does not parse ({e}): {}",
                    shorten(text)
                )],
            }
        }
        _ => not_an_envelope(),
    }
}

fn error_problems(path: &str, error: &Value, cases: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    match error.get("kind").and_then(Value::as_str) {
        Some(kind) if cases.iter().any(|c| c == kind) => {}
        _ => out.push(format!(
            "{path}'s error has no kind among the error cases ({}): {}",
            cases.join(", "),
            shorten(&error.to_string())
        )),
    }
    match error.get("message").and_then(Value::as_str) {
        Some(message) if !message.trim().is_empty() => {}
        _ => out.push(format!(
            "{path}'s error has no message: {}",
            shorten(&error.to_string())
        )),
    }
    out
}

/// `execute` and `execute-json` ran the same command against the same answers: they must give
/// the same result.
pub fn agreement_problems(execute: &Result<String, WitError>, execute_json: &str) -> Vec<String> {
    let differ = match execute {
        Ok(text) => match (
            serde_json::from_str::<Value>(text),
            serde_json::from_str::<Value>(execute_json),
        ) {
            (Ok(output), Ok(envelope)) => envelope.get("ok") != Some(&output),
            // Deeper than a `Value` holds: the same writer must have written the same text.
            _ => execute_json.trim() != format!("{{\"ok\":{}}}", text.trim()),
        },
        Err(error) => match serde_json::from_str::<Value>(execute_json) {
            Ok(envelope) => match envelope.get("error") {
                Some(error_json) => {
                    let mut differences = typed::Differences::default();
                    typed::agree_error(&error.val, &error.ty, error_json, &mut differences);
                    !differences.is_empty()
                }
                None => true,
            },
            Err(_) => true,
        },
    };
    if !differ {
        return Vec::new();
    }
    let execute = match execute {
        Ok(text) => format!("ok {}", shorten(text)),
        Err(error) => format!("error {}", shorten(&error.to_json().to_string())),
    };
    vec![format!(
        "execute and execute-json disagree on the same answers:\n  execute:      {execute}\n  \
         execute-json: {}",
        shorten(execute_json)
    )]
}

/// `text` cut to a readable length.
pub fn shorten(text: &str) -> String {
    const MAX: usize = 600;
    if text.len() <= MAX {
        return text.to_string();
    }
    let cut = (0..=MAX)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    format!("{}… ({} bytes)", &text[..cut], text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fuzz::answers::percent;
    use crate::fuzz::inputs::{CLIENT_SECRET, TOKEN};

    fn all_secrets() -> Vec<Secret> {
        secrets(Some(TOKEN), Some(CLIENT_SECRET))
    }

    fn request(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> SentRequest {
        SentRequest::of(method, url, headers, body)
    }

    #[test]
    fn a_secret_is_found_in_every_form() {
        let found = |text: &str| contains_secret(text.as_bytes(), TOKEN);
        assert!(found(&format!("x {TOKEN} y")));
        assert!(found(r#"{"a":"AQVfuzz\/tok+en_9.x="}"#));
        assert!(found(r#"{"a":"AQV\u0066uzz\/tok\u002ben_9.x="}"#));
        assert!(found(&format!("t={}", percent(TOKEN, 1))));
        assert!(found(&format!("t={}", percent(TOKEN, 3))));
        assert!(found("t=AQVfuzz%2ftok%2ben_9.x%3d"));
        let b64 = base64::engine::general_purpose::STANDARD.encode(format!("\u{ff}{TOKEN}"));
        assert!(found(&format!(r#"{{"bodyBase64":"{b64}"}}"#)));
        assert!(found(&format!(
            r#"{{"raw":"{{\"a\":\"{}\"}}"}}"#,
            TOKEN.replace('/', "\\\\/")
        )));
        assert!(!found("AQVfuzz/tok+en_9.x"));
        assert!(!found(r#"{"a":"[redacted]"}"#));
        assert!(
            !found(&format!("t={}", percent(TOKEN, 4))),
            "deeper than promised"
        );
    }

    #[test]
    fn hosts_that_are_not_public_are_named() {
        for url in [
            "http://0x7f.0x1/",
            "http://0x7f.1/",
            "http://127.1/",
            "http://2130706433/",
            "http://0177.0.0.1/",
            "http://169.254.169.0xfe/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://localhost/",
            "http://LOCALHOST./",
            "http://a.localhost/",
            "http://metadata.google.internal/",
            "http://printer.local/",
            "http://router.home.arpa/",
            "http://intranet/",
            "https://%6c%6f%63%61%6c%68%6f%73%74/",
            "http://1.2.3.0x4/",
        ] {
            assert!(non_public(url).is_some(), "{url}");
        }
        for url in [
            "https://api.linkedin.com/v2/me",
            "https://cdn.example.com/launch.mp4",
            "https://media.licdn.com/x",
            "https://1.2.3.cdn.example.com/x",
        ] {
            assert_eq!(non_public(url), None, "{url}");
        }
    }

    #[test]
    fn destinations() {
        use Destination::*;
        for (url, want) in [
            ("https://api.linkedin.com/v2/me", Api),
            ("https://api.linkedin.com:443/v2/me", Api),
            ("https://api.linkedin.com:8443/v2/me", Elsewhere),
            ("http://api.linkedin.com/v2/me", Elsewhere),
            ("https://u:p@api.linkedin.com/v2/me", Elsewhere),
            ("https://api.linkedin.com.evil.example/v2/me", Elsewhere),
            ("https://www.linkedin.com/dms-uploads/a/b?x=1", Upload),
            ("https://api.linkedin.com/mediaUpload/a", Api),
            ("https://www.linkedin.com/mediaUpload/a", Elsewhere),
            ("https://media.linkedin.com/dms-uploads/a", Elsewhere),
            (
                "https://www.linkedin.com/dms-uploads/..;/oauth/v2/accessToken",
                Elsewhere,
            ),
            (
                "https://www.linkedin.com/dms-uploads/../oauth/v2/accessToken",
                Elsewhere,
            ),
            (
                "https://www.linkedin.com/dms-uploads/%2e%2e/oauth/v2/x",
                Elsewhere,
            ),
            ("https://www.linkedin.com/feed/", Elsewhere),
            (
                "https://www.linkedin.com/oauth/v2/introspectToken",
                Introspection,
            ),
            ("https://linkedin.com/oauth/v2/introspectToken", Elsewhere),
            ("https://cdn.example.com/dms-uploads/x", Elsewhere),
        ] {
            assert_eq!(destination(url), want, "{url}");
        }
    }

    #[test]
    fn the_token_goes_to_linkedin_only() {
        let secrets = all_secrets();
        let bearer = format!("Bearer {TOKEN}");
        let ok = [
            request(
                "GET",
                "https://api.linkedin.com/v2/me",
                &[("authorization", &bearer)],
                "",
            ),
            request(
                "PUT",
                "https://www.linkedin.com/dms-uploads/x",
                &[("authorization", &bearer)],
                "bytes",
            ),
            request(
                "POST",
                "https://www.linkedin.com/oauth/v2/introspectToken",
                &[("content-type", "application/x-www-form-urlencoded")],
                &format!(
                    "client_id=a&client_secret={}&token={}",
                    percent(CLIENT_SECRET, 1),
                    percent(TOKEN, 1)
                ),
            ),
            request("GET", "https://cdn.example.com/a.mp4", &[], ""),
        ];
        for r in &ok {
            assert_eq!(
                request_problems(r, &secrets),
                Vec::<String>::new(),
                "{}",
                r.url
            );
        }
        let bad = [
            request(
                "GET",
                "https://cdn.example.com/a.mp4",
                &[("authorization", &bearer)],
                "",
            ),
            request(
                "GET",
                "https://cdn.example.com/a.mp4",
                &[("authorization", "Basic x")],
                "",
            ),
            request(
                "GET",
                &format!("https://cdn.example.com/?t={}", percent(TOKEN, 2)),
                &[],
                "",
            ),
            request(
                "POST",
                "https://cdn.example.com/",
                &[],
                &format!("{{\"t\":\"{TOKEN}\"}}"),
            ),
            request(
                "PUT",
                "https://www.linkedin.com/feed/",
                &[("authorization", &bearer)],
                "",
            ),
            request(
                "POST",
                "https://www.linkedin.com/oauth/v2/introspectToken",
                &[("authorization", &bearer)],
                "",
            ),
            request(
                "POST",
                &format!("https://www.linkedin.com/oauth/v2/introspectToken?token={TOKEN}"),
                &[],
                "",
            ),
            request("POST", "https://api.linkedin.com/v2/x", &[], CLIENT_SECRET),
            request("GET", "http://127.1/", &[], ""),
            request("GET", "http://169.254.169.0xfe/", &[], ""),
            request("GET", "http://[::1]/", &[], ""),
            request("GET", "https://intranet/", &[], ""),
        ];
        for r in &bad {
            assert!(
                !request_problems(r, &secrets).is_empty(),
                "{} {}",
                r.url,
                r.body.len()
            );
        }
    }

    #[test]
    fn results_must_be_typed() {
        let cases: Vec<String> = ["invalid-input", "api"].map(String::from).to_vec();
        assert!(execute_json_problems(r#"{"ok":{"a":1}}"#, &cases).is_empty());
        assert!(
            execute_json_problems(
                r#"{"error":{"kind":"api","message":"m","status":500}}"#,
                &cases
            )
            .is_empty()
        );
        for bad in [
            r#"{"ok":[1]}"#,
            r#"{"ok":{},"error":{}}"#,
            r#"{"error":{"kind":"panic","message":"m"}}"#,
            r#"{"error":{"kind":"api"}}"#,
            r#"{"error":"api"}"#,
            "not json",
            "",
        ] {
            assert!(!execute_json_problems(bad, &cases).is_empty(), "{bad}");
        }
        assert!(execute_problems(&Ok("{}".into()), &cases).is_empty());
        // Deeper than serde_json's `Value` goes, and still a JSON object.
        let deep = format!("{}1{}", "{\"a\":".repeat(1000), "}".repeat(1000));
        assert!(execute_problems(&Ok(deep.clone()), &cases).is_empty());
        assert!(execute_json_problems(&format!("{{\"ok\":{deep}}}"), &cases).is_empty());
        assert!(!execute_problems(&Ok(deep[1..].to_string()), &cases).is_empty());
        assert!(!execute_problems(&Ok("[]".into()), &cases).is_empty());
        assert!(!execute_problems(&Ok("".into()), &cases).is_empty());
    }

    #[test]
    fn leaks_in_output_are_reported_without_the_secret() {
        let found = output_leaks(
            "stderr",
            format!("panicked: token {TOKEN}").as_bytes(),
            &all_secrets(),
        );
        assert_eq!(
            found,
            vec!["the access token appears in stderr".to_string()]
        );
    }
}
