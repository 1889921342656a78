//! Removing secrets from what LinkedIn (or anything else) sends back, before a command sees it.
//!
//! An answer may echo the bearer token or the client secret: in plain text, JSON-escaped (`\/`
//! for `/`, `\u0041` for `A`, an escape in the middle of the token), percent-encoded (in a URL,
//! once or twice), or in bytes that are not UTF-8. Plain substring replacement misses all but the
//! first, so a JSON body is redacted string by string, each string decoded first; any other body
//! is redacted in every form a secret can take in text or bytes.

use std::borrow::Cow;

use http::{HeaderMap, HeaderValue};
use percent_encoding::percent_decode;

/// What a secret becomes.
pub const REDACTED: &str = "[redacted]";

/// How many layers of percent-encoding are looked through (`%252F` is two).
const PERCENT_LAYERS: usize = 3;

/// `body` with every secret removed, in whichever form it appears.
pub fn body(body: Vec<u8>, secrets: &[String]) -> Vec<u8> {
    let secrets: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    if secrets.is_empty() || holds_no_secret(&body, &secrets) {
        return body;
    }
    match String::from_utf8(body) {
        Ok(body) => match text(&body, &secrets) {
            Cow::Borrowed(_) => body.into_bytes(),
            Cow::Owned(redacted) => redacted.into_bytes(),
        },
        Err(e) => bytes(e.into_bytes(), &secrets),
    }
}

/// Whether `body` certainly holds none of `secrets` in any form (what [`in_place`] checks
/// first).
pub fn holds_none(body: &[u8], secrets: &[String]) -> bool {
    let secrets: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    secrets.is_empty() || holds_no_secret(body, &secrets)
}

/// `text` (an output, an error's message or body) with every secret removed, in whichever form
/// it appears: the last pass before anything leaves the component.
pub fn in_place(text: &mut String, secrets: &[String]) {
    let secrets: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    if secrets.is_empty() || holds_no_secret(text.as_bytes(), &secrets) {
        return;
    }
    if let Cow::Owned(redacted) = self::text(text, &secrets) {
        *text = redacted;
    }
}

/// A text body with every secret removed. JSON is redacted string by string (each string with
/// an escape decoded first), then as written over the whole text, which covers the strings
/// without escapes and anything between strings. Text that does not parse as JSON (a
/// malformed body, JSON behind a prefix) gets the plain-text pass, which also reads the whole
/// text with its escapes undone, for a secret outside any string.
fn text<'a>(body: &'a str, secrets: &[&str]) -> Cow<'a, str> {
    let json = body.trim_start().starts_with(['{', '['])
        && serde_json::from_str::<serde::de::IgnoredAny>(body).is_ok();
    if !json {
        return plain_text(body, secrets);
    }
    let redacted = json_text(body, secrets);
    match replace_all(Cow::Borrowed(&redacted), secrets) {
        Cow::Borrowed(_) if redacted == body => Cow::Borrowed(body),
        Cow::Borrowed(_) => Cow::Owned(redacted),
        Cow::Owned(again) => Cow::Owned(again),
    }
}

/// Whether `body` certainly holds no secret in any form: every encoded form (JSON escapes,
/// percent-encoding, in text or bytes) needs a `\` or a `%`, so a body with neither holds a
/// secret only as written. Most answers take this path: one scan, no copy.
fn holds_no_secret(body: &[u8], secrets: &[&str]) -> bool {
    memchr::memchr2(b'\\', b'%', body).is_none()
        && std::str::from_utf8(body).is_ok()
        && !secrets.iter().any(|secret| contains(body, secret))
}

/// Whether `haystack` holds `secret` as written (memchr's substring search: no set-up cost for
/// the many short strings of a body, which cannot hold a longer secret anyway).
fn contains(haystack: &[u8], secret: &str) -> bool {
    haystack.len() >= secret.len() && memchr::memmem::find(haystack, secret.as_bytes()).is_some()
}

/// Header values with every secret removed (a value that cannot hold the replacement is
/// dropped to `[redacted]` whole).
pub fn headers(headers: &mut HeaderMap, secrets: &[String]) {
    let secrets: Vec<&str> = secrets
        .iter()
        .map(String::as_str)
        .filter(|s| !s.is_empty())
        .collect();
    if secrets.is_empty() {
        return;
    }
    for value in headers.values_mut() {
        let redacted = match value.to_str() {
            Ok(text) => match plain_text(text, &secrets) {
                Cow::Borrowed(_) => continue,
                Cow::Owned(new) => new,
            },
            Err(_) => {
                let bytes = bytes(value.as_bytes().to_vec(), &secrets);
                if bytes == value.as_bytes() {
                    continue;
                }
                String::from_utf8_lossy(&bytes).into_owned()
            }
        };
        *value =
            HeaderValue::try_from(redacted).unwrap_or_else(|_| HeaderValue::from_static(REDACTED));
    }
}

/// One string (already JSON-decoded) with every secret removed: as written, behind up to
/// three layers of percent-encoding, or behind backslash escapes of LinkedIn's little text
/// format (`AQV\_tok` in a post's commentary or a mention's name, which reading the post turns
/// back into the plain token). When a decoded reading holds a secret, the string becomes that
/// reading, decoded as far as it goes and redacted (fail closed: a string that carried a
/// secret is not kept byte for byte).
pub fn string<'a>(text: &'a str, secrets: &[&str]) -> Cow<'a, str> {
    let current = percent_layers(text, secrets);
    if !current.contains('\\') {
        return current;
    }
    match percent_layers(&little_unescaped(&current), secrets) {
        Cow::Owned(redacted) => Cow::Owned(redacted),
        Cow::Borrowed(_) => current,
    }
}

/// `text` with every little-text escape undone: a backslash and the character after it are that
/// character, as a post's text reads back.
fn little_unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, after)) = rest.split_once('\\') {
        out.push_str(before);
        let mut escaped = after.chars();
        out.extend(escaped.next());
        rest = escaped.as_str();
    }
    out.push_str(rest);
    out
}

/// [`string`] without the little-text reading: as written and behind percent-encoding.
fn percent_layers<'a>(text: &'a str, secrets: &[&str]) -> Cow<'a, str> {
    let current = replace_all(Cow::Borrowed(text), secrets);
    if !current.contains('%') {
        return current;
    }
    let mut layer = current.clone().into_owned();
    let mut found: Option<String> = None;
    for _ in 0..PERCENT_LAYERS {
        if !layer.contains('%') {
            break;
        }
        let next = percent_decode(layer.as_bytes())
            .decode_utf8_lossy()
            .into_owned();
        if next == layer {
            break;
        }
        let redacted = replace_all(Cow::Owned(next.clone()), secrets).into_owned();
        if redacted != next || found.is_some() {
            found = Some(redacted.clone());
        }
        layer = redacted;
    }
    match found {
        Some(decoded) => Cow::Owned(decoded),
        None => current,
    }
}

fn replace_all<'a>(mut text: Cow<'a, str>, secrets: &[&str]) -> Cow<'a, str> {
    for secret in secrets {
        if contains(text.as_bytes(), secret) {
            text = Cow::Owned(text.replace(secret, REDACTED));
        }
    }
    text
}

/// A JSON document with each string literal (keys too) that holds an escape or a `%` decoded,
/// redacted and written back; the bytes between them are kept exactly. A literal with neither
/// holds a secret only as written, which the caller's pass over the whole text finds.
fn json_text(text: &str, secrets: &[&str]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some((before, from_quote)) = rest
        .find('"')
        .and_then(|start| rest.split_at_checked(start))
    {
        out.push_str(before);
        let (literal, after) = split_literal(from_quote);
        rest = after;
        if memchr::memchr2(b'\\', b'%', literal.as_bytes()).is_none() {
            out.push_str(literal);
            continue;
        }
        // A literal without escapes is its own contents: nothing to decode or allocate.
        let contents = literal
            .strip_prefix('"')
            .and_then(|c| c.strip_suffix('"'))
            .filter(|c| !c.contains('\\'));
        let decoded = match contents {
            Some(contents) => Ok(Cow::Borrowed(contents)),
            None => serde_json::from_str::<String>(literal).map(Cow::Owned),
        };
        match decoded {
            Ok(decoded) => match string(&decoded, secrets) {
                Cow::Borrowed(_) => out.push_str(literal),
                Cow::Owned(redacted) => out
                    .push_str(&serde_json::to_string(&redacted).unwrap_or_else(|_| "\"\"".into())),
            },
            // An escape serde refuses (a lone surrogate) hides what the string says: one with
            // a backslash is not returned at all (fail closed); one without has no escapes to
            // hide a secret behind.
            Err(_) if literal.contains('\\') => out.push_str(&format!("\"{REDACTED}\"")),
            Err(_) => out.push_str(&plain_text(literal, secrets)),
        }
    }
    out.push_str(rest);
    out
}

/// The JSON string literal at the start of `text` (which starts with `"`), closing quote
/// included, and the text after it; the whole text when the literal does not close.
fn split_literal(text: &str) -> (&str, &str) {
    let bytes = text.as_bytes();
    let mut at = 1;
    // Quote and backslash are ASCII, so every index found is a character boundary.
    while let Some(found) = bytes
        .get(at..)
        .and_then(|b| memchr::memchr2(b'"', b'\\', b))
    {
        at += found;
        if bytes.get(at) == Some(&b'"') {
            return text.split_at_checked(at + 1).unwrap_or((text, ""));
        }
        // A backslash: the character after it is escaped, whatever it is.
        at += 2;
    }
    (text, "")
}

/// Text that is not JSON: the secret as written, JSON-escaped, and percent-encoded. JSON that
/// does not start like JSON (behind a byte-order mark or an anti-XSSI prefix such as `)]}'`)
/// and text with a partly escaped secret are caught by reading the whole text with its escapes
/// undone: when that reading holds a secret, the text becomes that reading, redacted (fail
/// closed: its escapes are not kept).
fn plain_text<'a>(text: &'a str, secrets: &[&str]) -> Cow<'a, str> {
    let mut current = string(text, secrets);
    // The escaped forms all need a backslash.
    if !current.contains('\\') {
        return current;
    }
    for secret in secrets {
        for form in [json_escaped(secret), escaped_unicode(secret)] {
            if current.contains(form.as_str()) {
                current = Cow::Owned(current.replace(form.as_str(), REDACTED));
            }
        }
    }
    if current.contains('\\') {
        let unescaped = unescape(&current);
        if let Cow::Owned(redacted) = string(&unescaped, secrets) {
            return Cow::Owned(redacted);
        }
    }
    current
}

/// `text` with JSON's backslash escapes undone wherever they appear (`\u005f` is `_`, `\/` is
/// `/`); a lone surrogate becomes U+FFFD and an unknown escape is kept as written.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let hex4 = |chars: &mut std::iter::Peekable<std::str::Chars<'_>>| -> Option<u32> {
        let digits: String = chars.clone().take(4).collect();
        let unit = u32::from_str_radix(&digits, 16)
            .ok()
            .filter(|_| digits.len() == 4)?;
        chars.nth(3);
        Some(unit)
    };
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('u') => {
                chars.next();
                let Some(unit) = hex4(&mut chars) else {
                    out.push_str("\\u");
                    continue;
                };
                let unit = if (0xD800..0xDC00).contains(&unit) {
                    let mut ahead = chars.clone();
                    let low = (ahead.next() == Some('\\') && ahead.next() == Some('u'))
                        .then(|| hex4(&mut ahead))
                        .flatten()
                        .filter(|low| (0xDC00..0xE000).contains(low));
                    match low {
                        Some(low) => {
                            chars = ahead;
                            0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                        }
                        None => 0xFFFD,
                    }
                } else {
                    unit
                };
                out.push(char::from_u32(unit).unwrap_or('\u{FFFD}'));
            }
            Some(e @ ('/' | '\\' | '"')) => {
                chars.next();
                out.push(e);
            }
            Some(e @ ('b' | 'f' | 'n' | 'r' | 't')) => {
                chars.next();
                out.push(match e {
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'n' => '\n',
                    'r' => '\r',
                    _ => '\t',
                });
            }
            _ => out.push('\\'),
        }
    }
    out
}

/// Bytes that are not UTF-8: the secret's bytes as written, JSON-escaped or percent-encoded
/// (upper- or lower-case hex) are replaced. Any other form (partly escaped, URL-encoded the
/// usual way, several layers) is looked for in the bytes read as text; if the text pass finds a
/// secret there, the body becomes that redacted text (fail closed: the bytes that were not
/// UTF-8 are lost with the secret).
fn bytes(mut body: Vec<u8>, secrets: &[&str]) -> Vec<u8> {
    for secret in secrets {
        let forms = [
            secret.to_string(),
            json_escaped(secret),
            escaped_unicode(secret),
            percent_all(secret, true),
            percent_all(secret, false),
        ];
        for form in forms {
            body = replace_bytes(&body, form.as_bytes(), REDACTED.as_bytes());
        }
    }
    let lossy = String::from_utf8_lossy(&body);
    match text(&lossy, secrets) {
        Cow::Owned(redacted) if redacted != lossy => redacted.into_bytes(),
        _ => body,
    }
}

fn replace_bytes(haystack: &[u8], needle: &[u8], with: &[u8]) -> Vec<u8> {
    if needle.is_empty() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some((&first, tail)) = rest.split_first() {
        match rest.strip_prefix(needle) {
            Some(after) => {
                out.extend_from_slice(with);
                rest = after;
            }
            None => {
                out.push(first);
                rest = tail;
            }
        }
    }
    out
}

/// `/` written `\/`, as some JSON writers do.
fn json_escaped(secret: &str) -> String {
    secret.replace('/', "\\/")
}

/// Every character written as a `\uXXXX` escape.
fn escaped_unicode(secret: &str) -> String {
    secret
        .encode_utf16()
        .map(|unit| format!("\\u{unit:04x}"))
        .collect()
}

/// Every byte percent-encoded.
fn percent_all(secret: &str, upper: bool) -> String {
    secret
        .bytes()
        .map(|b| {
            if upper {
                format!("%{b:02X}")
            } else {
                format!("%{b:02x}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "AQX_tok/en+1=";

    fn redact(text: &[u8]) -> String {
        String::from_utf8_lossy(&body(text.to_vec(), &[TOKEN.to_string()])).into_owned()
    }

    fn clean(out: &str) -> bool {
        let decoded = serde_json::from_str::<serde_json::Value>(out)
            .map(|v| v.to_string())
            .unwrap_or_else(|_| out.to_string());
        !decoded.contains(TOKEN)
            && !out.contains(TOKEN)
            && !percent_decode(decoded.as_bytes())
                .decode_utf8_lossy()
                .contains(TOKEN)
    }

    #[test]
    fn json_strings_in_every_form() {
        for body in [
            r#"{"t":"AQX_tok/en+1="}"#,
            r#"{"t":"AQX_tok\/en+1="}"#,
            r#"{"t":"\u0041QX_tok/en+1="}"#,
            r#"{"t":"AQX_tok\u002fen\u002b1="}"#,
            r#"{"u":"https://x/?t=AQX_tok%2Fen%2B1%3D&a=1"}"#,
            r#"{"u":"https://x/?t=AQX_tok%252Fen%252B1%253D"}"#,
            r#"{"u":"a AQX_tok%2Fen%2B1%3D b AQX_tok%252Fen%252B1%253D"}"#,
            r#"{"AQX_tok/en+1=":1}"#,
            r#"["Bearer AQX_tok/en+1=", 2, null]"#,
        ] {
            let out = redact(body.as_bytes());
            assert!(clean(&out), "{body} -> {out}");
            assert!(out.contains(REDACTED), "{body} -> {out}");
            serde_json::from_str::<serde_json::Value>(&out).expect("still JSON");
        }
    }

    #[test]
    fn forms_the_byte_pass_does_not_know_fail_closed() {
        // URL-encoded the usual way (only reserved characters escaped), in a body that is not
        // UTF-8: the byte forms miss it, the text pass over the lossy reading does not.
        let mut raw = vec![0xff, b' '];
        raw.extend_from_slice(b"t=AQX_tok%2Fen%2B1%3D");
        let out = body(raw.clone(), &[TOKEN.to_string()]);
        let text = String::from_utf8_lossy(&out);
        assert!(clean(&text) && text.contains(REDACTED), "{text}");
        // Without a secret the bytes are kept as they are.
        assert_eq!(body(raw.clone(), &["other".to_string()]), raw);
        // A string with an escape serde refuses (a lone surrogate) next to a partly escaped
        // secret is not returned at all.
        let body_text = r#"{"t":"\ud800AQX_tok\u002fen+1=","n":1}"#;
        let out = redact(body_text.as_bytes());
        assert!(clean(&out), "{out}");
        assert_eq!(out, r#"{"t":"[redacted]","n":1}"#);
    }

    #[test]
    fn json_that_does_not_start_like_json_and_partial_escapes_in_text() {
        // Undone escapes are checked by the whole text, so the secret is found however the
        // body starts; `clean` reads the output with its escapes undone too.
        for body in [
            "\u{feff}{\"t\":\"AQX\\u005ftok/en+1=\"}",
            ")]}'\n{\"t\":\"AQX\\u005ftok\\/en+1=\"}",
            "<p>token AQX\\u005ftok/en+1= here</p>",
            "t=AQX\\u005ftok%2Fen%2B1%3D",
            "x \\ud83d\\ude00 AQX\\u005Ftok\\u002Fen+1=",
        ] {
            let out = redact(body.as_bytes());
            assert!(!unescape(&out).contains(TOKEN), "{body:?} -> {out:?}");
            assert!(out.contains(REDACTED), "{body:?} -> {out:?}");
        }
        // Text with escapes but no secret is kept as it is.
        let body = "C:\\temp\\new \"file\" \\u00e9";
        assert_eq!(redact(body.as_bytes()), body);
        assert_eq!(
            unescape("a\\u00e9\\/\\q\\ud800x\\ud83d\\ude00"),
            "aé/\\q\u{fffd}x😀"
        );
    }

    #[test]
    fn json_without_secrets_is_kept_byte_for_byte() {
        let body = "{ \"a\" : \"x\\/y\" ,\n \"n\": 1.50 }";
        assert_eq!(redact(body.as_bytes()), body);
    }

    #[test]
    fn text_and_bytes() {
        let out = redact(b"token=AQX_tok%2Fen%2B1%3D; other");
        assert!(clean(&out), "{out}");
        let mut raw = vec![0xff, 0xfe];
        raw.extend_from_slice(TOKEN.as_bytes());
        raw.extend_from_slice(b" and ");
        raw.extend_from_slice(percent_all(TOKEN, false).as_bytes());
        let out = body(raw, &[TOKEN.to_string()]);
        let text = String::from_utf8_lossy(&out);
        assert!(!text.contains(TOKEN) && !text.contains("%2f"), "{text}");
        assert_eq!(&out[..2], &[0xff, 0xfe]);
    }

    #[test]
    fn headers_are_redacted() {
        let mut map = HeaderMap::new();
        map.insert("x-echo", HeaderValue::from_static("Bearer AQX_tok/en+1="));
        map.insert("x-ok", HeaderValue::from_static("fine"));
        headers(&mut map, &[TOKEN.to_string()]);
        assert_eq!(map["x-echo"], "Bearer [redacted]");
        assert_eq!(map["x-ok"], "fine");
    }
}
