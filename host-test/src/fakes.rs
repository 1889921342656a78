//! Loopback stand-ins for the receiver's two counterparts, and LinkedIn's side of a delivery:
//! a fake LinkedIn lead API, a fake forward target that keeps what it is sent, a small HTTP
//! client, and the signatures both ends compute. Used by the receiver's tests
//! (`tests/receiver.rs`), `load` and the `wasmtime serve` check.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU16, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, anyhow};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use serde_json::json;
use tokio::net::{TcpListener, TcpStream};
use wasmtime_wasi_http::io::TokioIo;

/// One request a fake received.
#[derive(Clone, Debug)]
pub struct Received {
    pub method: String,
    pub path_and_query: String,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON (`null` when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_default()
    }
}

type Log = Arc<Mutex<Vec<Received>>>;

/// What a fake answers, from what it received.
type Answerer = Arc<dyn Fn(&Received) -> (u16, String) + Send + Sync>;

/// Serves `answer` on a fresh loopback port, keeping every request in `log` and counting the
/// connections in `connections`.
async fn start(answer: Answerer, log: Log, connections: Arc<AtomicUsize>) -> Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            connections.fetch_add(1, Ordering::Relaxed);
            let _ = stream.set_nodelay(true);
            let (answer, log) = (answer.clone(), log.clone());
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| {
                    let (answer, log) = (answer.clone(), log.clone());
                    async move {
                        let received = receive(request).await?;
                        let (status, body) = answer(&received);
                        if let Ok(mut log) = log.lock() {
                            log.push(received);
                        }
                        hyper::Response::builder()
                            .status(status)
                            .header("content-type", "application/json")
                            .body(Full::new(Bytes::from(body)))
                            .map_err(anyhow::Error::from)
                    }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .keep_alive(true)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(addr)
}

async fn receive(request: hyper::Request<Incoming>) -> Result<Received> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await?.to_bytes().to_vec();
    Ok(Received {
        method: parts.method.to_string(),
        path_and_query: parts
            .uri
            .path_and_query()
            .map(|p| p.to_string())
            .unwrap_or_default(),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_string(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body,
    })
}

/// LinkedIn's lead API, as far as the receiver uses it: `GET /rest/leadFormResponses/{id}` with
/// the form inlined. The lead id says how it answers: `gone-…` 404, `denied-…` 403,
/// `throttled-…` 429, `broken-…` 500, anything else the lead; a request without the expected
/// token gets LinkedIn's 401.
pub struct FakeLinkedIn {
    pub addr: SocketAddr,
    log: Log,
    connections: Arc<AtomicUsize>,
}

impl FakeLinkedIn {
    pub async fn start(token: &str) -> Result<FakeLinkedIn> {
        let bearer = format!("Bearer {token}");
        let log = Log::default();
        let answer: Answerer = Arc::new(move |request| linkedin_answer(request, &bearer));
        let connections = Arc::default();
        let addr = start(answer, log.clone(), Arc::clone(&connections)).await?;
        Ok(FakeLinkedIn {
            addr,
            log,
            connections,
        })
    }

    /// How many connections were opened to it.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }

    /// The base URL to give `serve --linkedin`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far.
    pub fn received(&self) -> Vec<Received> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

fn linkedin_answer(request: &Received, bearer: &str) -> (u16, String) {
    let error = |status: u16, code: &str, message: &str| {
        (
            status,
            json!({"status": status, "code": code, "message": message}).to_string(),
        )
    };
    if request.header("authorization") != Some(bearer) {
        return error(
            401,
            "EXPIRED_ACCESS_TOKEN",
            "The token used in the request has expired",
        );
    }
    let path = request.path_and_query.split('?').next().unwrap_or_default();
    let Some(id) = path.strip_prefix("/rest/leadFormResponses/") else {
        return error(404, "NOT_FOUND", "No virtual resource found");
    };
    let id = percent_encoding::percent_decode_str(id).decode_utf8_lossy();
    let prefix = id.split('-').next().unwrap_or_default();
    match prefix {
        "gone" => error(404, "NOT_FOUND", "Lead not found"),
        "denied" => error(
            403,
            "ACCESS_DENIED",
            "Not enough permissions to access: leadFormResponses.GET.20260901",
        ),
        "throttled" => error(
            429,
            "TOO_MANY_REQUESTS",
            "Resource level throttle limit reached",
        ),
        "broken" => error(500, "INTERNAL_SERVER_ERROR", "Internal Server Error"),
        _ => (200, lead(&id).to_string()),
    }
}

/// A lead in the shape of LinkedIn's Postman example (linkedin-api.md §7.6), with the form
/// inlined by the projection.
pub fn lead(id: &str) -> serde_json::Value {
    json!({
        "id": id,
        "owner": {"sponsoredAccount": "urn:li:sponsoredAccount:520866471"},
        "submitter": "urn:li:person:BcLKblgopR",
        "leadType": "SPONSORED",
        "versionedLeadGenFormUrn": "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)",
        "submittedAt": 1689894599288u64,
        "testLead": false,
        "formResponse": {
            "consentResponses": [{"accepted": true, "consentId": 0}],
            "answers": [
                {"questionId": 107234246, "answerDetails": {"textQuestionAnswer": {"answer": "Ada"}}},
                {"questionId": 307234246, "answerDetails": {"textQuestionAnswer": {"answer": format!("ada.{id}@example.com")}}}
            ]
        },
        "form": {
            "id": 7234246,
            "name": "Contact us",
            "creationLocale": {"country": "US", "language": "en"},
            "hiddenFields": [],
            "content": {"questions": [
                {"questionId": 107234246, "name": "First name", "predefinedField": "FIRST_NAME",
                 "question": {"localized": {"en_US": "First name"}}},
                {"questionId": 307234246, "name": "Email address", "predefinedField": "EMAIL",
                 "question": {"localized": {"en_US": "Email address"}}}
            ]}
        }
    })
}

/// The platform's endpoint the receiver forwards to: keeps every forward and answers with the
/// status it is set to (200 at first).
pub struct FakeForward {
    pub addr: SocketAddr,
    status: Arc<AtomicU16>,
    log: Log,
    connections: Arc<AtomicUsize>,
}

impl FakeForward {
    pub async fn start() -> Result<FakeForward> {
        let status = Arc::new(AtomicU16::new(200));
        let log = Log::default();
        let answer: Answerer = {
            let status = status.clone();
            Arc::new(move |_| (status.load(Ordering::Relaxed), "{}".into()))
        };
        let connections = Arc::default();
        let addr = start(answer, log.clone(), Arc::clone(&connections)).await?;
        Ok(FakeForward {
            addr,
            status,
            log,
            connections,
        })
    }

    /// How many connections were opened to it.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::Relaxed)
    }

    /// The FORWARD_URL that reaches it.
    pub fn url(&self) -> String {
        format!("http://{}/hooks/linkedin", self.addr)
    }

    pub fn set_status(&self, status: u16) {
        self.status.store(status, Ordering::Relaxed);
    }

    /// Every forward received so far.
    pub fn received(&self) -> Vec<Received> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

/// An answer as a client sees it.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// One HTTP/1.1 connection, reused for request after request.
pub struct Connection {
    addr: SocketAddr,
    sender: Option<SendRequest<Full<Bytes>>>,
}

impl Connection {
    pub fn new(addr: SocketAddr) -> Connection {
        Connection { addr, sender: None }
    }

    /// Sends one request, connecting first (again) when the server closed the connection.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Result<Reply> {
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(path)
            .header("host", self.addr.to_string());
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(Full::new(body.into()))?;
        let alive = match &mut self.sender {
            Some(sender) => sender.ready().await.is_ok(),
            None => false,
        };
        if !alive {
            self.sender = Some(connect(self.addr).await?);
        }
        let sender = self
            .sender
            .as_mut()
            .ok_or_else(|| anyhow!("no connection to {}", self.addr))?;
        let response = sender.send_request(request).await;
        let response = match response {
            Ok(response) => response,
            Err(e) => {
                self.sender = None;
                return Err(anyhow!("sending to {}: {e}", self.addr));
            }
        };
        let (parts, body) = response.into_parts();
        let body = body.collect().await?.to_bytes().to_vec();
        Ok(Reply {
            status: parts.status.as_u16(),
            headers: parts
                .headers
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_string(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect(),
            body,
        })
    }
}

async fn connect(addr: SocketAddr) -> Result<SendRequest<Full<Bytes>>> {
    let stream = TcpStream::connect(addr)
        .await
        .with_context(|| format!("connecting to {addr}"))?;
    let _ = stream.set_nodelay(true);
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    tokio::spawn(connection);
    Ok(sender)
}

/// One request on a connection of its own.
pub async fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: impl Into<Bytes>,
) -> Result<Reply> {
    Connection::new(addr)
        .send(method, path, headers, body)
        .await
}

/// A Lead Sync notification body, as LinkedIn sends one (linkedin-api.md §7.4).
pub fn notification(lead_id: &str, action: &str, occurred_at: u64) -> String {
    json!({
        "type": "LEAD_ACTION",
        "leadGenFormResponse": format!("urn:li:leadGenFormResponse:{lead_id}"),
        "leadGenForm": "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)",
        "owner": {"sponsoredAccount": "urn:li:sponsoredAccount:520866471"},
        "associatedEntity": {"sponsoredCreative": "urn:li:sponsoredCreative:241257736"},
        "leadType": "SPONSORED",
        "leadAction": action,
        "occurredAt": occurred_at
    })
    .to_string()
}

fn hmac_hex(key: &str, parts: &[&[u8]]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key.as_bytes());
    let mut context = ring::hmac::Context::with_key(&key);
    for part in parts {
        context.update(part);
    }
    context
        .sign()
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `X-LI-Signature` as LinkedIn computes it: hex HMAC-SHA256 of `"hmacsha256=" + body` with the
/// app's client secret.
pub fn linkedin_signature(client_secret: &str, body: &[u8]) -> String {
    hmac_hex(client_secret, &[b"hmacsha256=", body])
}

/// `challengeResponse` as LinkedIn expects it: hex HMAC-SHA256 of the code.
pub fn challenge_response(client_secret: &str, code: &str) -> String {
    hmac_hex(client_secret, &[code.as_bytes()])
}

/// Checks a forward's `X-Connector-Signature` the way a platform does: `v1=` hex HMAC-SHA256 of
/// `"<X-Connector-Timestamp>.<body>"` with FORWARD_SECRET, the timestamp within five minutes of
/// now. Computed here independently of the receiver's code.
pub fn forward_signed(forward_secret: &str, forward: &Received) -> Result<()> {
    let timestamp = forward
        .header("x-connector-timestamp")
        .ok_or_else(|| anyhow!("no X-Connector-Timestamp"))?;
    let signature = forward
        .header("x-connector-signature")
        .ok_or_else(|| anyhow!("no X-Connector-Signature"))?;
    let seconds: u64 = timestamp
        .parse()
        .map_err(|_| anyhow!("X-Connector-Timestamp {timestamp} is not unix seconds"))?;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_secs();
    if now.abs_diff(seconds) > 300 {
        return Err(anyhow!(
            "X-Connector-Timestamp {seconds} is not now ({now})"
        ));
    }
    let expected = format!(
        "v1={}",
        hmac_hex(forward_secret, &[timestamp.as_bytes(), b".", &forward.body])
    );
    if signature != expected {
        return Err(anyhow!(
            "X-Connector-Signature {signature} is not {expected}"
        ));
    }
    Ok(())
}
