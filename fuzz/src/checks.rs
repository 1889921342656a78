//! The properties the targets assert about what the component gives back, beyond "no panic":
//! no secret in any reading of an output, requests (and secrets) only where they belong, and
//! errors that are typed and name a field.

use linkedin_connector::core::error::Error;
use linkedin_connector::core::urls::{API_HOST, INTROSPECTION_HOST, INTROSPECTION_PATH};
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use serde_json::Value;

use crate::env::Sent;

/// The access token and client secret of the fuzzed host. Both hold characters that JSON (`/`),
/// percent-encoding (`/ + = ( )`) and little text (`_ ( )`) escape, so a secret that comes back
/// in any of those forms is still recognisable.
pub const TOKEN: &str = "AQV8/tok+en_x.y=";
pub const SECRET: &str = "s3cr/et+K(e)y_";

/// `secret` in one of eight forms it may take in an answer: as written, `\/`-escaped, every
/// character `\u`-escaped, percent-encoded, half as written and half `\u`-escaped, percent-encoded
/// twice, little text (reserved characters behind `\`, JSON-escaped as inside a string), and
/// little text with only its first reserved character escaped.
pub fn form(secret: &str, how: u8) -> String {
    let unicode = |text: &str| -> String {
        text.chars()
            .map(|c| format!("\\u{:04x}", u32::from(c)))
            .collect()
    };
    match how % 8 {
        0 => secret.to_string(),
        1 => secret.replace('/', "\\/"),
        2 => unicode(secret),
        3 => utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
        4 => {
            let (head, tail) = secret.split_at(secret.len() / 2);
            [head.to_string(), unicode(tail)].concat()
        }
        5 => utf8_percent_encode(
            &utf8_percent_encode(secret, NON_ALPHANUMERIC).to_string(),
            NON_ALPHANUMERIC,
        )
        .to_string(),
        6 => json_content(&linkedin_connector::core::text::escape(secret)),
        _ => {
            let little = linkedin_connector::core::text::escape(secret);
            let first = little.find('\\').map_or(little.len(), |at| at + 2);
            let (head, tail) = little.split_at(first);
            json_content(&[head, &tail.replace('\\', "")].concat())
        }
    }
}

/// `text` as the inside of a JSON string literal.
fn json_content(text: &str) -> String {
    let quoted = Value::String(text.to_string()).to_string();
    quoted[1..quoted.len() - 1].to_string()
}

/// `text` with little text's backslash escapes undone.
pub fn little_unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

/// The first secret some reading of `text` holds: as written, each JSON string (keys too)
/// decoded, little text read back, each behind up to three layers of percent-encoding. These
/// are the forms the README promises redaction covers.
pub fn leak<'s>(text: &str, secrets: &[&'s str]) -> Option<&'s str> {
    readings_leak(text, secrets, true)
}

/// [`leak`] of one string already read out of its JSON: as written and as little text, each
/// behind up to three layers of percent-encoding (what `redact::string` promises).
pub fn string_leak<'s>(text: &str, secrets: &[&'s str]) -> Option<&'s str> {
    readings_leak(text, secrets, false)
}

fn readings_leak<'s>(text: &str, secrets: &[&'s str], json: bool) -> Option<&'s str> {
    let mut readings = vec![text.to_string(), little_unescaped(text)];
    if json && let Ok(value) = serde_json::from_str::<Value>(text) {
        let mut strings = Vec::new();
        collect_strings(&value, &mut strings);
        for s in strings {
            readings.push(little_unescaped(&s));
            readings.push(s);
        }
    }
    for reading in readings {
        let mut layer = reading;
        for _ in 0..=3 {
            if let Some(secret) = secrets.iter().find(|s| layer.contains(**s)) {
                return Some(secret);
            }
            layer = percent_decode_str(&layer).decode_utf8_lossy().into_owned();
        }
    }
    None
}

/// Every string in `value`, keys included.
fn collect_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                collect_strings(v, out);
            }
        }
        _ => {}
    }
}

/// What is wrong with where a request went and what it carried: the token only in an
/// `Authorization` header to the API host or an upload URL, or in the form body of token
/// introspection; the client secret only in that body; https only; nothing to a host by IP.
pub fn request_problem(sent: &Sent) -> Option<String> {
    let uri = &sent.uri;
    let host = uri.host().unwrap_or_default().to_ascii_lowercase();
    let to = format!("{} {uri}", sent.method);
    let authorization = sent.headers.get("authorization");
    let introspection = host == INTROSPECTION_HOST && uri.path() == INTROSPECTION_PATH;
    let upload = linkedin_connector::core::urls::is_upload_uri(uri);
    if let Some(value) = authorization {
        if host != API_HOST && !upload {
            return Some(format!("{to} carries Authorization"));
        }
        if uri.scheme_str() != Some("https") {
            return Some(format!("{to} carries Authorization without https"));
        }
        if value.as_bytes() != format!("Bearer {TOKEN}").as_bytes() {
            return Some(format!("{to} carries Authorization {value:?}"));
        }
    }
    for (name, value) in &sent.headers {
        if name != "authorization" && contains(value.as_bytes(), TOKEN) {
            return Some(format!("{to} carries the token in header {name}"));
        }
        if contains(value.as_bytes(), SECRET) {
            return Some(format!("{to} carries the client secret in header {name}"));
        }
    }
    let body = String::from_utf8_lossy(&sent.body);
    let decoded = percent_decode_str(&body.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned();
    let in_body = |secret: &str| {
        body.contains(secret) || decoded.contains(secret) || leak(&body, &[secret]).is_some()
    };
    if !introspection && in_body(TOKEN) {
        return Some(format!("{to} carries the token in its body"));
    }
    if !introspection && in_body(SECRET) {
        return Some(format!("{to} carries the client secret in its body"));
    }
    let url = uri.to_string();
    if leak(&url, &[TOKEN, SECRET]).is_some() {
        return Some(format!("{to} carries a secret in its URL"));
    }
    if uri.scheme_str() != Some("https") && (upload || host.ends_with("linkedin.com")) {
        return Some(format!("{to} goes to LinkedIn without https"));
    }
    if url::Host::parse(&host).is_ok_and(|h| !matches!(h, url::Host::Domain(_))) {
        return Some(format!("{to} goes to an IP address"));
    }
    None
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// What is wrong with an error as a typed answer: every error has a sentence for the user, and
/// its JSON form has the kind and the message (the targets check which field an
/// `invalid-input` names: a JSON name, which is empty for the key `""`).
pub fn error_problem(error: &Error) -> Option<String> {
    if error.message().trim().is_empty() {
        return Some(format!("{} error without a message", error.kind()));
    }
    let json = error.to_json();
    if json["kind"] != error.kind() || json["message"] != error.message() {
        return Some(format!("{error:?} is written as {json}"));
    }
    None
}

/// The text `execute` gives back for `result`, as the secrets check reads it.
pub fn result_text(result: &Result<String, Error>) -> String {
    match result {
        Ok(text) => text.clone(),
        Err(error) => error.to_json().to_string(),
    }
}
