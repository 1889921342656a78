//! The receiver's settings, read from its environment (`wasi:cli/environment`): engines pass them
//! at deploy time (`wasmtime serve --env`, `spin up --env`), so no manifest holds a secret.
//!
//! Every request reads them afresh (an instance serves one request), and a setting that is
//! missing or wrong answers 503 naming it, on every request, until it is fixed.

use http::Uri;
use linkedin_connector::core::pipeline::is_version;
use url::{Host, Url};

pub const CLIENT_SECRET: &str = "LINKEDIN_CLIENT_SECRET";
pub const FORWARD_URL: &str = "FORWARD_URL";
pub const FORWARD_SECRET: &str = "FORWARD_SECRET";
pub const ACCESS_TOKEN: &str = "LINKEDIN_ACCESS_TOKEN";
pub const VERSION: &str = "LINKEDIN_VERSION";

/// Every variable the receiver reads, for hosts that pass on only what is named.
pub const ALL: &[&str] = &[
    CLIENT_SECRET,
    FORWARD_URL,
    FORWARD_SECRET,
    ACCESS_TOKEN,
    VERSION,
];

/// The shortest forward secret accepted: the platform checks forwards with it, so a short one
/// could be guessed from captured forwards.
pub const MIN_FORWARD_SECRET: usize = 16;

/// The settings of one request.
#[derive(Clone)]
pub struct Settings {
    /// The app's client secret: the HMAC key of LinkedIn's challenge and signatures.
    pub client_secret: String,
    /// Where each notification goes. Fixed by the operator; nothing in a request changes it.
    pub forward_url: Uri,
    /// The key of the signature the receiver puts on each forward.
    pub forward_secret: String,
    /// Fetches each created lead when set; without it leads are forwarded as null.
    pub access_token: Option<String>,
    /// The `LinkedIn-Version` of the lead fetch (the connector's default when unset).
    pub version: Option<String>,
}

/// A setting that is missing or wrong: the 503 answer names it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub setting: &'static str,
    pub message: String,
}

impl ConfigError {
    fn new(setting: &'static str, message: impl Into<String>) -> ConfigError {
        ConfigError {
            setting,
            message: message.into(),
        }
    }
}

impl Settings {
    /// Reads the settings through `lookup` (the environment). Values are trimmed; an empty one
    /// counts as missing. The messages name settings, never their values.
    pub fn read(lookup: impl Fn(&str) -> Option<String>) -> Result<Settings, ConfigError> {
        let get = |name: &str| {
            lookup(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let missing = |name: &'static str, what: &str| {
            ConfigError::new(name, format!("{name} is not set: set it to {what}."))
        };
        let client_secret = get(CLIENT_SECRET).ok_or_else(|| {
            missing(
                CLIENT_SECRET,
                "the LinkedIn app's client secret (it checks LinkedIn's signatures)",
            )
        })?;
        let forward_url = get(FORWARD_URL).ok_or_else(|| {
            missing(
                FORWARD_URL,
                "the https URL the notifications are forwarded to",
            )
        })?;
        let forward_url = forward_target(&forward_url)?;
        let forward_secret = get(FORWARD_SECRET).ok_or_else(|| {
            missing(
                FORWARD_SECRET,
                "a random secret of your own that signs each forward",
            )
        })?;
        if forward_secret.len() < MIN_FORWARD_SECRET {
            return Err(ConfigError::new(
                FORWARD_SECRET,
                format!(
                    "{FORWARD_SECRET} is shorter than {MIN_FORWARD_SECRET} characters: use a long \
                     random secret (such as 32 random bytes in hex)."
                ),
            ));
        }
        if forward_secret == client_secret {
            return Err(ConfigError::new(
                FORWARD_SECRET,
                format!(
                    "{FORWARD_SECRET} is the same as {CLIENT_SECRET}: use a secret of its own, so \
                     that whoever checks forwards cannot also sign as LinkedIn."
                ),
            ));
        }
        let access_token = get(ACCESS_TOKEN);
        if access_token
            .as_deref()
            .is_some_and(|t| !t.bytes().all(|b| b.is_ascii_graphic()))
        {
            return Err(ConfigError::new(
                ACCESS_TOKEN,
                format!(
                    "{ACCESS_TOKEN} is malformed (it has spaces or characters a token never has): \
                     set it to the LinkedIn access token as issued, or unset it."
                ),
            ));
        }
        let version = get(VERSION);
        if version.as_deref().is_some_and(|v| !is_version(v)) {
            return Err(ConfigError::new(
                VERSION,
                format!(
                    "{VERSION} is not a LinkedIn API version: set it as YYYYMM (such as 202609), \
                     or unset it for the default."
                ),
            ));
        }
        Ok(Settings {
            client_secret,
            forward_url,
            forward_secret,
            access_token,
            version,
        })
    }
}

/// FORWARD_URL as the URI to POST to: https, or plain http to a loopback address (a platform on
/// the same machine, and the tests). No user name or password (the forward carries its own
/// signature) and no fragment.
fn forward_target(text: &str) -> Result<Uri, ConfigError> {
    let wrong = |why: &str| ConfigError::new(FORWARD_URL, format!("{FORWARD_URL} {why}."));
    let url = Url::parse(text).map_err(|e| wrong(&format!("is not a URL ({e})")))?;
    let loopback = match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
        None => return Err(wrong("has no host")),
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(wrong(
                "must be https (plain http only to a loopback address such as 127.0.0.1)",
            ));
        }
        _ => return Err(wrong("must be an https URL")),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(wrong(
            "must not carry a user name or password (the platform checks the forward's signature)",
        ));
    }
    if url.fragment().is_some() {
        return Err(wrong("must not have a #fragment"));
    }
    url.as_str()
        .parse()
        .map_err(|_| wrong("is not a URL the receiver can send to"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "client-secret-value";
    const FORWARD: &str = "forward-secret-0123456789";

    fn read(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Settings::read(|name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            (CLIENT_SECRET, SECRET),
            (FORWARD_URL, "https://hooks.example.com/linkedin?tenant=7"),
            (FORWARD_SECRET, FORWARD),
        ]
    }

    fn with(name: &'static str, value: &'static str) -> Vec<(&'static str, &'static str)> {
        let mut pairs: Vec<_> = base().into_iter().filter(|(k, _)| *k != name).collect();
        pairs.push((name, value));
        pairs
    }

    fn failing(pairs: &[(&str, &str)]) -> ConfigError {
        match read(pairs) {
            Err(e) => e,
            Ok(_) => panic!("{pairs:?} was accepted"),
        }
    }

    #[test]
    fn reads_the_required_settings_trimmed() {
        let settings = read(&with(CLIENT_SECRET, "  client-secret-value\n")).unwrap();
        assert_eq!(settings.client_secret, SECRET);
        assert_eq!(
            settings.forward_url.to_string(),
            "https://hooks.example.com/linkedin?tenant=7"
        );
        assert_eq!(settings.forward_secret, FORWARD);
        assert_eq!(settings.access_token, None);
        assert_eq!(settings.version, None);
        let settings = read(&[
            (CLIENT_SECRET, SECRET),
            (FORWARD_URL, "http://127.0.0.1:9000/in"),
            (FORWARD_SECRET, FORWARD),
            (ACCESS_TOKEN, "AQV-token_1.2"),
            (VERSION, "202601"),
        ])
        .unwrap();
        assert_eq!(settings.access_token.as_deref(), Some("AQV-token_1.2"));
        assert_eq!(settings.version.as_deref(), Some("202601"));
    }

    #[test]
    fn a_missing_setting_is_named_first_to_last() {
        assert_eq!(failing(&[]).setting, CLIENT_SECRET);
        assert_eq!(failing(&with(CLIENT_SECRET, " ")).setting, CLIENT_SECRET);
        assert_eq!(failing(&[(CLIENT_SECRET, SECRET)]).setting, FORWARD_URL);
        let no_forward_secret = [(CLIENT_SECRET, SECRET), (FORWARD_URL, "https://a.example/")];
        let err = failing(&no_forward_secret);
        assert_eq!(err.setting, FORWARD_SECRET);
        assert_eq!(
            err.message,
            "FORWARD_SECRET is not set: set it to a random secret of your own that signs each \
             forward."
        );
    }

    #[test]
    fn the_forward_secret_is_long_and_not_the_client_secret() {
        let err = failing(&with(FORWARD_SECRET, SECRET));
        assert_eq!(err.setting, FORWARD_SECRET);
        assert!(
            err.message.contains("same as LINKEDIN_CLIENT_SECRET"),
            "{err:?}"
        );
        assert!(!err.message.contains(SECRET));
        let err = failing(&with(FORWARD_SECRET, "short"));
        assert_eq!(err.setting, FORWARD_SECRET);
        assert!(!err.message.contains("short\""));
    }

    #[test]
    fn forward_url_is_https_or_loopback_http() {
        for good in [
            "https://hooks.example.com/x",
            "http://127.0.0.1:8080/x",
            "http://127.9.9.9/",
            "http://[::1]:1/",
            "http://LOCALHOST:3000",
        ] {
            assert!(read(&with(FORWARD_URL, good)).is_ok(), "{good}");
        }
        for bad in [
            "hooks.example.com/x",
            "http://hooks.example.com/x",
            "http://10.0.0.1/x",
            "ftp://hooks.example.com/",
            "https://user:pass@hooks.example.com/",
            "https://hooks.example.com/#x",
            "file:///etc/passwd",
        ] {
            assert_eq!(
                failing(&with(FORWARD_URL, bad)).setting,
                FORWARD_URL,
                "{bad}"
            );
        }
    }

    #[test]
    fn a_malformed_token_or_version_is_named() {
        assert_eq!(
            failing(&with(ACCESS_TOKEN, "abc def")).setting,
            ACCESS_TOKEN
        );
        assert_eq!(failing(&with(VERSION, "latest")).setting, VERSION);
        assert_eq!(failing(&with(VERSION, "202613")).setting, VERSION);
    }
}
