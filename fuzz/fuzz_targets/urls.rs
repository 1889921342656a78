//! URLs from outside: upload URLs (which get the bearer token), media source URLs (fetched
//! without credentials, never from internal names), the platform's `sourceUrlHosts` list, and
//! custom-action paths, the last also end to end through the custom-action command.
//!
//! Properties: a refusal is `invalid-input` naming the field; an upload URL that passes is https
//! on one of LinkedIn's two upload places, with no dot segment in any decoding, and passes
//! again as printed; a source URL that passes names a public host by name, with no port or
//! user info; a custom-action path that passes is sent once, to `https://api.linkedin.com`
//! under `/rest/` or `/v2/`, with no dot segment, and its path decodes to the path the user
//! gave.

#![no_main]

use libfuzzer_sys::fuzz_target;
use linkedin_connector::commands;
use linkedin_connector::core::error::Error;
use linkedin_connector::core::http::Uri;
use linkedin_connector::core::urls::{self, API_HOST};
use linkedin_connector_fuzz::checks::{error_problem, request_problem};
use linkedin_connector_fuzz::env::{Answer, FuzzEnv};
use percent_encoding::percent_decode_str;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    upload(&text);
    source(&text);
    if let Some((host, setting)) = text.split_once('\n') {
        allowed_host(host, setting);
    }
    custom_action(&text);
});

fn checked(result: Result<Uri, Error>, field: &str, text: &str) -> Option<Uri> {
    match result {
        Ok(uri) => Some(uri),
        Err(e) => {
            assert_eq!(e.field(), Some(field), "{text:?}: {e:?}");
            assert!(error_problem(&e).is_none(), "{e:?}");
            None
        }
    }
}

/// Whether a path segment is `.` or `..` in some reading a server may make: as written, up to
/// three times percent-decoded, with a `;` parameter dropped.
fn dot_segment(path: &str) -> bool {
    path.split('/').any(|segment| {
        let mut current = segment.to_string();
        for _ in 0..4 {
            let name = current.split(';').next().unwrap_or_default();
            if name == "." || name == ".." {
                return true;
            }
            current = percent_decode_str(&current)
                .decode_utf8_lossy()
                .into_owned();
        }
        false
    })
}

fn upload(text: &str) {
    let Some(uri) = checked(urls::upload_url(text, "uploadUrl"), "uploadUrl", text) else {
        return;
    };
    assert_eq!(uri.scheme_str(), Some("https"), "{text:?}");
    assert_eq!(uri.port(), None, "{text:?}");
    let host = uri.host().unwrap_or_default();
    let prefix = match host {
        "www.linkedin.com" => "/dms-uploads/",
        "api.linkedin.com" => "/mediaUpload/",
        other => panic!("{text:?} uploads to {other:?}"),
    };
    assert!(uri.path().starts_with(prefix), "{text:?}: {uri}");
    assert!(!dot_segment(uri.path()), "{text:?}: {uri}");
    // `@` may stand in a path; in the authority it would be user info.
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
    assert_eq!(authority, host, "{text:?}: {uri}");
    assert!(!uri.to_string().contains(['\\', '#']), "{text:?}: {uri}");
    assert!(urls::is_upload_uri(&uri), "{text:?}: {uri}");
    let again = urls::upload_url(&uri.to_string(), "uploadUrl");
    assert_eq!(again.as_ref().ok(), Some(&uri), "{text:?}");
}

fn source(text: &str) {
    let Some(uri) = checked(
        urls::source_url_syntax(text, "sourceUrl"),
        "sourceUrl",
        text,
    ) else {
        return;
    };
    assert!(
        matches!(uri.scheme_str(), Some("https" | "http")),
        "{text:?}: {uri}"
    );
    assert_eq!(uri.port(), None, "{text:?}");
    let authority = uri.authority().map(|a| a.as_str()).unwrap_or_default();
    assert!(!authority.contains('@'), "{text:?}: {uri}");
    let host = uri.host().unwrap_or_default();
    assert!(host.contains('.'), "{text:?}: {uri}");
    match url::Host::parse(host) {
        Ok(url::Host::Domain(_)) => {}
        other => panic!("{text:?} fetches from {other:?}"),
    }
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    let top = labels.last().copied().unwrap_or_default();
    assert!(
        ![
            "localhost",
            "local",
            "internal",
            "test",
            "invalid",
            "onion",
            "svc"
        ]
        .contains(&top),
        "{text:?}: {uri}"
    );
    let again = urls::source_url_syntax(&uri.to_string(), "sourceUrl");
    assert_eq!(again.as_ref().ok(), Some(&uri), "{text:?}");
}

fn allowed_host(host: &str, setting: &str) {
    let result = urls::source_host_allowed(host, Some(setting), "mediaSource.sourceUrl");
    match result {
        Ok(()) => {
            assert!(
                !setting.trim().eq_ignore_ascii_case("none"),
                "{host:?} allowed by none"
            );
            if !setting.trim().is_empty() {
                // A host the list allows is one of its entries or under one.
                let host = host.trim_end_matches('.').to_ascii_lowercase();
                let listed = setting
                    .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                    .map(|e| e.strip_prefix("*.").unwrap_or(e).trim_end_matches('.'))
                    .map(str::to_ascii_lowercase)
                    .any(|e| e.contains('.') && (host == e || host.ends_with(&format!(".{e}"))));
                assert!(listed, "{host:?} allowed by {setting:?}");
            }
        }
        Err(e) => {
            assert_eq!(e.field(), Some("mediaSource.sourceUrl"));
            // The refusal does not show the platform's list to the tenant: it reads the same
            // whatever the list holds.
            let setting = setting.trim();
            if !setting.is_empty() && !setting.eq_ignore_ascii_case("none") {
                let other =
                    urls::source_host_allowed(host, Some("x.example.com"), "mediaSource.sourceUrl");
                if let Err(other) = other {
                    assert_eq!(other.message(), e.message(), "{setting:?}");
                }
            }
        }
    }
}

/// The path the user gave: the part of a path or URL after the authority, before the query.
fn user_path(text: &str) -> &str {
    let text = text.trim();
    let path = match text.split_once("://") {
        Some((_, after)) if !text.starts_with('/') => {
            after.find(['/', '?']).map_or("", |at| &after[at..])
        }
        _ => text,
    };
    path.split('?').next().unwrap_or_default()
}

fn custom_action(text: &str) {
    let target = urls::api_target(text);
    let input = serde_json::json!({"method": "GET", "path": text}).to_string();
    let mut env = FuzzEnv::new([Answer::Http {
        status: 200,
        headers: Vec::new(),
        body: b"{}".to_vec(),
    }]);
    let result = commands::execute(&mut env, "custom-action", input);
    if let Err(e) = &result {
        assert!(error_problem(e).is_none(), "{e:?}");
        assert_eq!(e.field(), Some("path"), "{text:?}: {e:?}");
        assert!(env.sent.is_empty(), "{text:?}: refused after sending");
        return;
    }
    assert!(target.is_ok(), "{text:?}: sent, but api_target refuses it");
    let [sent] = env.sent.as_slice() else {
        panic!("{text:?}: {} requests", env.sent.len());
    };
    assert_eq!(request_problem(sent), None, "{text:?}");
    let uri = &sent.uri;
    assert_eq!(uri.scheme_str(), Some("https"), "{text:?}");
    assert_eq!(uri.host(), Some(API_HOST), "{text:?}: {uri}");
    assert_eq!(uri.port(), None, "{text:?}: {uri}");
    let path = uri.path();
    let sub = path
        .strip_prefix("/rest")
        .or_else(|| path.strip_prefix("/v2"))
        .unwrap_or_else(|| panic!("{text:?}: sent to {uri}"));
    assert!(sub.starts_with('/') && sub.len() > 1, "{text:?}: {uri}");
    assert!(!dot_segment(path), "{text:?}: {uri}");
    // Encoding only respells bytes (and writes an empty value as '').
    let decoded = |p: &str| {
        String::from_utf8_lossy(&percent_decode_str(p).collect::<Vec<u8>>()).replace("''", "")
    };
    assert_eq!(
        decoded(path),
        decoded(user_path(text)),
        "{text:?}: sent {uri}"
    );
}
