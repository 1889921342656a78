//! LinkedIn's little text, both ways: what a user types written for a post's `commentary`
//! (`to_little` in each format), and the commentary LinkedIn stores read back as typed
//! (`to_plain`); and the redaction of a secret hidden behind little-text escapes.
//!
//! Properties: whatever a user types comes back unchanged after writing and reading (auto and
//! literal formats); escaping leaves no reserved character unescaped; the little format sends
//! the text as given; reading any stored commentary never panics. A case whose first line is
//! a secret (printable ASCII, as tokens are) checks redaction: no reading of the rest, once
//! redacted, holds the secret, and neither does the plain text read from it once redacted at
//! the exit.

#![no_main]

use libfuzzer_sys::fuzz_target;
use linkedin_connector::core::redact;
use linkedin_connector::core::text::{TextFormat, escape, to_little, to_plain};
use linkedin_connector_fuzz::checks::{leak, little_unescaped, string_leak};

const RESERVED: &[char] = &[
    '\\', '|', '{', '}', '@', '[', ']', '(', ')', '<', '>', '#', '*', '_', '~',
];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    round_trip(&text);
    if let Some((secret, rest)) = text.split_once('\n') {
        redaction(secret, rest);
    }
});

fn round_trip(text: &str) {
    let auto = to_little(text, TextFormat::Auto);
    assert_eq!(to_plain(&auto), text, "auto wrote {auto:?}");
    let literal = to_little(text, TextFormat::Literal);
    assert_eq!(literal, escape(text));
    assert_eq!(to_plain(&literal), text, "literal wrote {literal:?}");
    assert_eq!(little_unescaped(&literal), text);
    let mut chars = literal.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            let escaped = chars.next();
            assert!(
                escaped.is_some_and(|e| RESERVED.contains(&e)),
                "{text:?}: literal wrote {literal:?}"
            );
        } else {
            assert!(
                !RESERVED.contains(&c),
                "{text:?}: literal wrote {literal:?}"
            );
        }
    }
    assert_eq!(to_little(text, TextFormat::Little), text);
    // Reading any stored text (the fuzzed text itself, as LinkedIn could store it) is total.
    let _ = to_plain(text);
}

fn redaction(secret: &str, text: &str) {
    // Tokens and client secrets are printable ASCII; one holding the escape characters
    // themselves (`\\`, `%`) reads differently in each reading, by construction, and one
    // holding `[` or `]` can be rebuilt around the `[redacted]` that replaced it.
    let printable = |b: u8| b.is_ascii_graphic() && !b"\\%[]".contains(&b);
    if secret.len() < 4 || !secret.bytes().all(printable) {
        return;
    }
    let secrets = [secret.to_string()];
    let redacted = redact::string(text, &[secret]).into_owned();
    assert_eq!(
        string_leak(&redacted, &[secret]),
        None,
        "{text:?} redacted to {redacted:?}"
    );
    // What a command makes of it (the plain text of a post) passes the exit redaction.
    let mut plain = to_plain(&redacted);
    redact::in_place(&mut plain, &secrets);
    assert_eq!(leak(&plain, &[secret]), None, "{text:?} read as {plain:?}");
    // A whole answer holding the text in a JSON string is redacted the same way.
    let body = serde_json::json!({ "commentary": text }).to_string();
    let body = String::from_utf8(redact::body(body.into_bytes(), &secrets)).unwrap_or_default();
    assert_eq!(leak(&body, &[secret]), None, "{text:?} in a body: {body:?}");
}
