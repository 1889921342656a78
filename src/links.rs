//! URLs that come from outside the component: LinkedIn's upload URLs and a user's media
//! `sourceUrl`. Parsing is an allow-list (scheme, plain host name, path) rather than a general
//! URL parser, so whatever passes is exactly what gets sent: the path and query are kept byte
//! for byte (LinkedIn's signed upload URLs break when re-encoded).

use crate::error::Error;
use crate::http::{Scheme, Url};

/// Why a URL was refused.
type Refusal = String;

/// Splits and checks an absolute `http(s)` URL. Refuses userinfo, ports other than the
/// scheme's default, fragments, backslashes, whitespace and control characters, and IP
/// literals (only names are allowed, so the host's DNS policy applies).
fn parse(text: &str) -> Result<Url, Refusal> {
    if text
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err("contains whitespace, control characters or backslashes".into());
    }
    let (scheme, rest) = match text.split_once("://") {
        Some((s, rest)) if s.eq_ignore_ascii_case("https") => (Scheme::Https, rest),
        Some((s, rest)) if s.eq_ignore_ascii_case("http") => (Scheme::Http, rest),
        _ => return Err("must start with https:// (or http://)".into()),
    };
    if text.contains('#') {
        return Err("must not contain a fragment (#)".into());
    }
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, path_and_query) = rest.split_at(end);
    if authority.contains('@') {
        return Err("must not contain a user name or password".into());
    }
    let host = match authority.rsplit_once(':') {
        Some((host, port)) => {
            let default = match scheme {
                Scheme::Https => "443",
                Scheme::Http => "80",
            };
            if port != default {
                return Err("must not name a port".into());
            }
            host
        }
        None => authority,
    };
    let host = host.to_ascii_lowercase();
    check_host_name(&host)?;
    let path_and_query = if path_and_query.is_empty() {
        "/".to_string()
    } else if path_and_query.starts_with('?') {
        format!("/{path_and_query}")
    } else {
        path_and_query.to_string()
    };
    Ok(Url {
        scheme,
        authority: host,
        path_and_query,
    })
}

/// A DNS name: dot-separated labels of letters, digits and `-`, with a letter somewhere in
/// the last label (so `10.0.0.1` and `[::1]` are refused as IP literals).
fn check_host_name(host: &str) -> Result<(), Refusal> {
    if host.is_empty() || host.len() > 253 {
        return Err("has no valid host name".into());
    }
    if host.starts_with('[') || host.contains(':') {
        return Err("must name a host, not an IP address".into());
    }
    let labels: Vec<&str> = host.trim_end_matches('.').split('.').collect();
    for label in &labels {
        let valid = !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if !valid {
            return Err(format!("has an invalid host name {host:?}"));
        }
    }
    let last = labels.last().copied().unwrap_or_default();
    if last.chars().all(|c| c.is_ascii_digit()) {
        return Err("must name a host, not an IP address".into());
    }
    Ok(())
}

/// Whether `host` is LinkedIn's own (`linkedin.com` or a subdomain).
pub fn is_linkedin_host(host: &str) -> bool {
    let host = host.trim_end_matches('.');
    host == "linkedin.com" || host.ends_with(".linkedin.com")
}

/// A URL LinkedIn handed out for uploading bytes: HTTPS on a `linkedin.com` host. Only such a
/// URL may receive the bearer token (and only for images and documents).
pub fn upload_url(text: &str, field: &str) -> Result<Url, Error> {
    let url =
        parse(text.trim()).map_err(|why| Error::invalid(field, format!("`{field}` {why}.")))?;
    if url.scheme != Scheme::Https || !is_linkedin_host(url.host()) {
        return Err(Error::invalid(
            field,
            format!(
                "`{field}` must be an https URL on a linkedin.com host (as register-upload returns), \
                 not {}.",
                url.host()
            ),
        ));
    }
    Ok(url)
}

/// A user's `sourceUrl` to fetch media from: `http(s)` on a public host name. Never gets
/// credentials. Local names are refused so an embedded connector cannot be pointed at the
/// platform's own services; the host's network policy still applies on top.
pub fn source_url(text: &str, field: &str) -> Result<Url, Error> {
    let url =
        parse(text.trim()).map_err(|why| Error::invalid(field, format!("`{field}` {why}.")))?;
    let host = url.host().trim_end_matches('.');
    let local = host == "localhost"
        || host.ends_with(".localhost")
        || host.ends_with(".local")
        || host.ends_with(".internal")
        || !host.contains('.');
    if local {
        return Err(Error::invalid(
            field,
            format!("`{field}` must be on a public host, not {host}."),
        ));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upload_urls_are_kept_byte_for_byte() {
        let text = "https://www.linkedin.com/dms-uploads/C4E10AQ/uploaded-image/0?ca=vector_feedshare&m=AQJ%253D%253D&ut=2H-Ih";
        let url = upload_url(text, "uploadUrl").unwrap();
        assert_eq!(url.to_string(), text);
        assert_eq!(url.authority, "www.linkedin.com");
        let url = upload_url("https://API.LinkedIn.com:443/mediaUpload/x", "uploadUrl").unwrap();
        assert_eq!(url.to_string(), "https://api.linkedin.com/mediaUpload/x");
    }

    #[test]
    fn upload_urls_elsewhere_are_refused() {
        for bad in [
            "http://www.linkedin.com/dms-uploads/x",
            "https://www.linkedin.com.evil.example/x",
            "https://evillinkedin.com/x",
            "https://www.linkedin.com@evil.example/x",
            "https://user:pw@www.linkedin.com/x",
            "https://www.linkedin.com:8443/x",
            "https://127.0.0.1/x",
            "https://[::1]/x",
            "ftp://www.linkedin.com/x",
            "//www.linkedin.com/x",
            "https://www.linkedin.com/x#frag",
            "https://www.linkedin.com/a b",
            "https://www.linkedin.com\\@evil.example/x",
            "",
        ] {
            let err = upload_url(bad, "uploadUrl").unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput { field, .. } if field == "uploadUrl"),
                "{bad}"
            );
        }
    }

    #[test]
    fn source_urls_must_be_public_names() {
        assert!(source_url("https://cdn.example.com/video.mp4", "sourceUrl").is_ok());
        assert!(source_url("http://cdn.example.com/a.png?x=1", "sourceUrl").is_ok());
        for bad in [
            "https://localhost/x",
            "https://intranet/x",
            "http://10.0.0.1/x",
            "http://169.254.169.254/latest/meta-data",
            "https://printer.local/x",
            "file:///etc/passwd",
            "https://a@cdn.example.com/x",
        ] {
            assert!(source_url(bad, "sourceUrl").is_err(), "{bad}");
        }
    }
}
