//! Live mode's sender for every request that is not redirected to `--endpoint`: LinkedIn's own
//! hosts and, above all, the media `sourceUrl`s a user types in, which the component fetches
//! without credentials. A host that lets user-given URLs through must not let them reach its
//! own network (a cloud metadata address, an admin port on loopback, a database on a private
//! range), so this is written as the example of a safe host:
//!
//! - The host name is resolved once, here, and the request is refused (wasi:http
//!   `HTTP-request-denied`, with the reason printed to stderr) when **any** resolved address is
//!   not a public unicast address: unspecified and `0.0.0.0/8`, loopback, private (`10/8`,
//!   `172.16/12`, `192.168/16`), link-local (`169.254/16`, `fe80::/10`), carrier-grade NAT
//!   (`100.64/10`), multicast, broadcast and `240/4`, the documentation and benchmarking ranges,
//!   unique local (`fc00::/7`), deprecated site-local and IPv4-compatible IPv6, and IPv6 forms
//!   that embed an IPv4 address (`::ffff:0:0/96`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) when
//!   the embedded address is refused. An IP literal is checked the same way.
//! - The connection goes to an address that was checked, never through a second resolution
//!   (which a DNS-rebinding server could answer differently).
//! - TLS (rustls with the webpki roots) checks the certificate against the host name of the
//!   URL, which is also the SNI name; plain `http` URLs are sent as they are.
//! - Redirects are not followed: a 3xx goes back to the component, and any request it makes
//!   next passes through this check again.
//! - Resolving, connecting, the TLS handshake and the wait for the response head each end after
//!   30 s (or the component's shorter `request-options`). The body is bounded by the host's call
//!   limit, not by a timer of its own.
//!
//! Limits: the policy is about addresses, not ports (any port of a public host may be reached),
//! there is no proxy support, responses are HTTP/1.1 only, and every request opens its own
//! connection.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use bytes::Bytes;
use futures::future::Either;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_rustls::rustls;
use wasmtime_wasi_http::io::TokioIo;

/// The longest each phase (resolve and connect, TLS, response head) may take by default.
pub const PHASE_TIMEOUT: Duration = Duration::from_secs(30);

/// Why a request was not sent or not answered.
#[derive(Debug)]
pub enum SendError {
    /// The address policy refused the destination; the text says which address and why.
    Refused(String),
    /// The URL has no host, or a scheme other than http and https.
    BadUrl(&'static str),
    /// The host name did not resolve.
    Dns(std::io::Error),
    DnsTimeout,
    ConnectTimeout,
    /// No response head within the first-byte timeout.
    FirstByteTimeout,
    Connect(std::io::Error),
    Tls(std::io::Error),
    Http(hyper::Error),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Refused(why) => write!(f, "refused: {why}"),
            SendError::BadUrl(why) => write!(f, "bad URL: {why}"),
            SendError::Dns(e) => write!(f, "DNS lookup failed: {e}"),
            SendError::DnsTimeout => write!(f, "DNS lookup timed out"),
            SendError::ConnectTimeout => write!(f, "connecting timed out"),
            SendError::FirstByteTimeout => write!(f, "no response within the timeout"),
            SendError::Connect(e) => write!(f, "connecting failed: {e}"),
            SendError::Tls(e) => write!(f, "TLS failed: {e}"),
            SendError::Http(e) => write!(f, "HTTP failed: {e}"),
        }
    }
}

/// How long the phases of one request may take.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    /// Resolving, connecting and the TLS and HTTP handshakes.
    pub connect: Duration,
    /// From sending the request to the response head.
    pub first_byte: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: PHASE_TIMEOUT,
            first_byte: PHASE_TIMEOUT,
        }
    }
}

/// What drives the connection after the response head arrived; it ends when the body has been
/// read (or the connection fails).
pub type Connection = Pin<Box<dyn Future<Output = Result<(), hyper::Error>> + Send>>;

/// Why `ip` may not be connected to, or `None` for a public unicast address.
pub fn refusal(ip: IpAddr) -> Option<String> {
    match ip {
        IpAddr::V4(v4) => v4_refusal(v4).map(str::to_string),
        IpAddr::V6(v6) => v6_refusal(v6),
    }
}

/// IPv4 ranges no live request may reach, most specific first.
const V4_REFUSED: &[([u8; 4], u32, &str)] = &[
    ([255, 255, 255, 255], 32, "broadcast"),
    ([0, 0, 0, 0], 8, "unspecified (\"this network\", 0.0.0.0/8)"),
    ([10, 0, 0, 0], 8, "private (10.0.0.0/8)"),
    ([100, 64, 0, 0], 10, "carrier-grade NAT (100.64.0.0/10)"),
    ([127, 0, 0, 0], 8, "loopback (127.0.0.0/8)"),
    ([169, 254, 0, 0], 16, "link-local (169.254.0.0/16)"),
    ([172, 16, 0, 0], 12, "private (172.16.0.0/12)"),
    (
        [192, 0, 0, 0],
        24,
        "IETF protocol assignments (192.0.0.0/24)",
    ),
    ([192, 0, 2, 0], 24, "documentation (192.0.2.0/24)"),
    ([192, 168, 0, 0], 16, "private (192.168.0.0/16)"),
    ([198, 18, 0, 0], 15, "benchmarking (198.18.0.0/15)"),
    ([198, 51, 100, 0], 24, "documentation (198.51.100.0/24)"),
    ([203, 0, 113, 0], 24, "documentation (203.0.113.0/24)"),
    ([224, 0, 0, 0], 4, "multicast (224.0.0.0/4)"),
    ([240, 0, 0, 0], 4, "reserved (240.0.0.0/4)"),
];

fn v4_refusal(ip: Ipv4Addr) -> Option<&'static str> {
    let ip = u32::from(ip);
    V4_REFUSED.iter().find_map(|(net, bits, why)| {
        let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
        (ip & mask == u32::from_be_bytes(*net) & mask).then_some(*why)
    })
}

/// IPv6 ranges no live request may reach, most specific first. Ranges that embed an IPv4
/// address are not here: [`v6_refusal`] checks the embedded address instead.
const V6_REFUSED: &[(u128, u32, &str)] = &[
    (0, 128, "unspecified (::)"),
    (1, 128, "loopback (::1)"),
    (
        0x0064_ff9b_0001 << 80,
        48,
        "local-use NAT64 (64:ff9b:1::/48)",
    ),
    (0x0100 << 112, 64, "discard-only (100::/64)"),
    (0x2001_0db8 << 96, 32, "documentation (2001:db8::/32)"),
    (0x2001 << 112, 32, "Teredo (2001::/32)"),
    (0xfc00 << 112, 7, "unique local (fc00::/7)"),
    (0xfe80 << 112, 10, "link-local (fe80::/10)"),
    (0xfec0 << 112, 10, "site-local (fec0::/10, deprecated)"),
    (0xff00 << 112, 8, "multicast (ff00::/8)"),
    // After ::/128 and ::1/128 above: the rest of ::/96 is IPv4-compatible, long deprecated.
    (0, 96, "IPv4-compatible (::/96, deprecated)"),
];

fn in_v6(ip: u128, net: u128, bits: u32) -> bool {
    let mask = u128::MAX.checked_shl(128 - bits).unwrap_or(0);
    ip & mask == net & mask
}

fn v6_refusal(ip: Ipv6Addr) -> Option<String> {
    let bits = u128::from(ip);
    // IPv6 forms that carry an IPv4 address reach that address: judge it by the IPv4 rules.
    let embedded = if in_v6(bits, 0xffff << 32, 96) {
        Some(("IPv4-mapped", bits as u32))
    } else if in_v6(bits, 0x0064_ff9b << 96, 96) {
        Some(("NAT64", bits as u32))
    } else if in_v6(bits, 0x2002 << 112, 16) {
        Some(("6to4", (bits >> 80) as u32))
    } else {
        None
    };
    if let Some((form, v4)) = embedded {
        let v4 = Ipv4Addr::from(v4);
        return v4_refusal(v4).map(|why| format!("{form} {v4}, {why}"));
    }
    V6_REFUSED
        .iter()
        .find(|(net, len, _)| in_v6(bits, *net, *len))
        .map(|(_, _, why)| why.to_string())
}

/// The addresses of `host`, each of them allowed by the policy; refused as a whole when any one
/// is not (a name that resolves to both a public and a private address is not trusted).
pub async fn resolve_checked(host: &str, port: u16) -> Result<Vec<SocketAddr>, SendError> {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((bare, port))
            .await
            .map_err(SendError::Dns)?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(SendError::Dns(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("{bare} has no addresses"),
        )));
    }
    for addr in &addrs {
        if let Some(why) = refusal(addr.ip()) {
            return Err(SendError::Refused(format!(
                "{bare} resolves to {}, a {why} address",
                addr.ip()
            )));
        }
    }
    Ok(addrs)
}

trait Stream: AsyncRead + AsyncWrite + Send + Unpin + 'static {}
impl<T: AsyncRead + AsyncWrite + Send + Unpin + 'static> Stream for T {}

fn tls_config() -> Result<Arc<rustls::ClientConfig>, rustls::Error> {
    static CONFIG: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    if let Some(config) = CONFIG.get() {
        return Ok(config.clone());
    }
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.into(),
    };
    // The provider is named rather than taken from the process default, which would panic if
    // some other crate ever enabled a second one.
    let config = rustls::ClientConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()?
    .with_root_certificates(roots)
    .with_no_client_auth();
    Ok(CONFIG.get_or_init(|| Arc::new(config)).clone())
}

/// Connects to the first of `addrs` that answers, over TLS for `https`, with `host` as the
/// certificate name.
async fn connect(
    addrs: &[SocketAddr],
    host: &str,
    tls: bool,
) -> Result<Box<dyn Stream>, SendError> {
    let mut last = None;
    let mut tcp = None;
    for addr in addrs {
        match TcpStream::connect(addr).await {
            Ok(stream) => {
                tcp = Some(stream);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let tcp = match (tcp, last) {
        (Some(stream), _) => stream,
        (None, Some(e)) => return Err(SendError::Connect(e)),
        (None, None) => return Err(SendError::BadUrl("no address to connect to")),
    };
    if !tls {
        return Ok(Box::new(tcp));
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let name = match bare.parse::<IpAddr>() {
        Ok(ip) => rustls::pki_types::ServerName::from(ip),
        Err(_) => rustls::pki_types::ServerName::try_from(bare.to_string())
            .map_err(|_| SendError::BadUrl("the host is not a valid DNS name"))?,
    };
    let config = tls_config().map_err(|e| SendError::Tls(std::io::Error::other(e)))?;
    let stream = tokio_rustls::TlsConnector::from(config)
        .connect(name, tcp)
        .await
        .map_err(SendError::Tls)?;
    Ok(Box::new(stream))
}

/// Sends `request` (an absolute URL) to a checked address of its host. Returns the response
/// head with its streaming body, and the connection to keep polling while the body is read.
pub async fn send<B>(
    request: http::Request<B>,
    timeouts: Timeouts,
) -> Result<(http::Response<hyper::body::Incoming>, Connection), SendError>
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let (host, port, _) = target(request.uri())?;
    let addrs = match tokio::time::timeout(timeouts.connect, resolve_checked(host, port)).await {
        Ok(addrs) => addrs?,
        Err(_) => return Err(SendError::DnsTimeout),
    };
    send_to(request, &addrs, timeouts).await
}

/// The host, port and whether TLS is used, from an absolute http or https URL.
fn target(uri: &http::Uri) -> Result<(&str, u16, bool), SendError> {
    let tls = match uri.scheme_str() {
        Some("https") => true,
        Some("http") => false,
        _ => return Err(SendError::BadUrl("only http and https URLs are sent")),
    };
    let host = uri.host().ok_or(SendError::BadUrl("the URL has no host"))?;
    Ok((
        host,
        uri.port_u16().unwrap_or(if tls { 443 } else { 80 }),
        tls,
    ))
}

/// [`send`] after the check: to one of `addrs`, whatever the URL's host resolves to now.
async fn send_to<B>(
    mut request: http::Request<B>,
    addrs: &[SocketAddr],
    timeouts: Timeouts,
) -> Result<(http::Response<hyper::body::Incoming>, Connection), SendError>
where
    B: http_body::Body<Data = Bytes> + Send + 'static,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let uri = request.uri().clone();
    let (host, _, tls) = target(&uri)?;
    let (mut sender, connection) = tokio::time::timeout(timeouts.connect, async {
        let stream = connect(addrs, host, tls).await?;
        hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(SendError::Http)
    })
    .await
    .map_err(|_| SendError::ConnectTimeout)??;

    // On the wire the request line carries the path only (the Host header names the server).
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    *request.uri_mut() = path
        .parse()
        .map_err(|_| SendError::BadUrl("the path is not valid"))?;

    let connection: Connection = Box::pin(connection);
    let response = Box::pin(sender.send_request(request));
    let raced = tokio::time::timeout(
        timeouts.first_byte,
        futures::future::select(response, connection),
    )
    .await
    .map_err(|_| SendError::FirstByteTimeout)?;
    match raced {
        Either::Left((response, connection)) => {
            Ok((response.map_err(SendError::Http)?, connection))
        }
        // The connection ended before the response did: its error, or (closed cleanly) whatever
        // the pending response makes of it.
        Either::Right((ended, response)) => {
            ended.map_err(SendError::Http)?;
            let response = tokio::time::timeout(timeouts.first_byte, response)
                .await
                .map_err(|_| SendError::FirstByteTimeout)?
                .map_err(SendError::Http)?;
            Ok((response, Box::pin(async { Ok(()) })))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::io::{Read, Write};

    fn refused(ip: &str) -> bool {
        refusal(ip.parse().expect("an IP address")).is_some()
    }

    #[test]
    fn every_refused_ipv4_range_is_refused_at_both_ends() {
        let cases = [
            ("0.0.0.0", "0.255.255.255"),
            ("10.0.0.0", "10.255.255.255"),
            ("100.64.0.0", "100.127.255.255"),
            ("127.0.0.0", "127.255.255.255"),
            ("169.254.0.0", "169.254.255.255"),
            ("172.16.0.0", "172.31.255.255"),
            ("192.0.0.0", "192.0.0.255"),
            ("192.0.2.0", "192.0.2.255"),
            ("192.168.0.0", "192.168.255.255"),
            ("198.18.0.0", "198.19.255.255"),
            ("198.51.100.0", "198.51.100.255"),
            ("203.0.113.0", "203.0.113.255"),
            ("224.0.0.0", "239.255.255.255"),
            ("240.0.0.0", "255.255.255.255"),
        ];
        for (first, last) in cases {
            assert!(refused(first), "{first}");
            assert!(refused(last), "{last}");
        }
    }

    #[test]
    fn public_ipv4_next_to_the_ranges_is_allowed() {
        for ip in [
            "1.1.1.1",
            "8.8.8.8",
            "9.255.255.255",
            "11.0.0.0",
            "100.63.255.255",
            "100.128.0.0",
            "126.255.255.255",
            "128.0.0.0",
            "169.253.255.255",
            "169.255.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.0.1.0",
            "192.167.255.255",
            "192.169.0.0",
            "198.17.255.255",
            "198.20.0.0",
            "223.255.255.255",
            "13.107.42.14",
        ] {
            assert!(!refused(ip), "{ip}");
        }
    }

    #[test]
    fn refused_ipv6_ranges() {
        for ip in [
            "::",
            "::1",
            "fe80::1",
            "febf:ffff::1",
            "fc00::1",
            "fdff:ffff::1",
            "fec0::1",
            "ff02::1",
            "ff0e::1",
            "2001:db8::1",
            "2001:0:4136:e378::1",
            "100::1",
            "64:ff9b:1::1",
            "::127.0.0.1",
            "::8.8.8.8",
        ] {
            assert!(refused(ip), "{ip}");
        }
    }

    #[test]
    fn public_ipv6_is_allowed() {
        for ip in [
            "2620:1ec:21::14",
            "2a00:1450:4001:80b::200e",
            "2606:4700::6810:84e5",
        ] {
            assert!(!refused(ip), "{ip}");
        }
    }

    #[test]
    fn ipv6_forms_that_embed_ipv4_are_judged_by_the_ipv4_address() {
        for ip in [
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "::ffff:169.254.169.254",
            "::ffff:0.0.0.0",
            "::ffff:100.64.0.1",
            "::ffff:192.168.1.1",
            "::ffff:7f00:1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
        ] {
            assert!(refused(ip), "{ip}");
        }
        for ip in ["::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"] {
            assert!(!refused(ip), "{ip}");
        }
        let why = refusal("::ffff:169.254.169.254".parse().expect("IP")).unwrap_or_default();
        assert!(why.contains("IPv4-mapped 169.254.169.254"), "{why}");
        assert!(why.contains("link-local"), "{why}");
    }

    #[test]
    fn a_name_or_literal_for_loopback_is_refused_before_connecting() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        for host in ["localhost", "127.0.0.1", "[::1]", "[::ffff:127.0.0.1]"] {
            match rt.block_on(resolve_checked(host, 443)) {
                Err(SendError::Refused(why)) => assert!(why.contains("loopback"), "{why}"),
                other => panic!("{host}: {other:?}"),
            }
        }
    }

    /// A one-connection server on 127.0.0.1 that hands back what it read; it answers with
    /// `reply` (and closes) when given one, else waits for the client to give up.
    fn one_shot(reply: Option<&'static [u8]>) -> (SocketAddr, std::thread::JoinHandle<Vec<u8>>) {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("address");
        let server = std::thread::spawn(move || {
            let mut seen = Vec::new();
            let Ok((mut stream, _)) = listener.accept() else {
                return seen;
            };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let mut buf = [0u8; 4096];
            while let Ok(n) = stream.read(&mut buf) {
                if n == 0 {
                    break;
                }
                seen.extend_from_slice(&buf[..n]);
                // A request head, or a TLS ClientHello (whose record header gives its length).
                let tls_hello_done = seen.first() == Some(&0x16)
                    && seen.len() >= 5
                    && seen.len() >= 5 + usize::from(u16::from_be_bytes([seen[3], seen[4]]));
                if seen.windows(4).any(|w| w == b"\r\n\r\n") || tls_hello_done {
                    break;
                }
            }
            if let Some(reply) = reply {
                let _ = stream.write_all(reply);
            } else {
                let _ = stream.read(&mut buf);
            }
            seen
        });
        (addr, server)
    }

    fn get(url: &str) -> http::Request<http_body_util::Empty<Bytes>> {
        http::Request::get(url)
            .header("host", "cdn.example.com")
            .body(http_body_util::Empty::new())
            .expect("request")
    }

    fn rt() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
    }

    /// The host name does not resolve here: the request can only have reached the server
    /// through the address it was given, which is the point (no second resolution).
    #[test]
    fn sends_to_the_checked_address_in_origin_form() {
        let (addr, server) = one_shot(Some(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi"));
        let rt = rt();
        let body = rt.block_on(async {
            let (response, connection) = send_to(
                get("http://cdn.example.com.invalid/media/launch.mp4?v=1"),
                &[addr],
                Timeouts::default(),
            )
            .await
            .expect("sent");
            assert_eq!(response.status(), 200);
            tokio::spawn(connection);
            use http_body_util::BodyExt;
            response
                .into_body()
                .collect()
                .await
                .expect("body")
                .to_bytes()
        });
        assert_eq!(&body[..], b"hi");
        let seen = String::from_utf8(server.join().expect("server")).expect("text");
        assert!(
            seen.starts_with("GET /media/launch.mp4?v=1 HTTP/1.1\r\n"),
            "{seen}"
        );
        assert!(
            seen.to_ascii_lowercase()
                .contains("host: cdn.example.com\r\n"),
            "{seen}"
        );
    }

    #[test]
    fn https_names_the_url_host_and_fails_without_its_certificate() {
        let (addr, server) = one_shot(Some(b"HTTP/1.1 200 OK\r\n\r\n"));
        let result = rt().block_on(send_to(
            get("https://cdn.example.com/launch.mp4"),
            &[addr],
            Timeouts::default(),
        ));
        let result = result.map(|(response, _)| response.status());
        assert!(matches!(result, Err(SendError::Tls(_))), "{result:?}");
        let hello = server.join().expect("server");
        assert!(
            hello.windows(15).any(|w| w == b"cdn.example.com"),
            "the ClientHello names the URL host (SNI)"
        );
    }

    #[test]
    fn a_server_that_never_answers_times_out() {
        let (addr, server) = one_shot(None);
        let timeouts = Timeouts {
            connect: Duration::from_secs(5),
            first_byte: Duration::from_millis(200),
        };
        let result = rt()
            .block_on(send_to(get("http://cdn.example.com/x"), &[addr], timeouts))
            .map(|(response, _)| response.status());
        assert!(
            matches!(result, Err(SendError::FirstByteTimeout)),
            "{result:?}"
        );
        let _ = server.join();
    }
}
