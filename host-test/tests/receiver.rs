//! The receiver component end to end on loopback, one test per row of its table (README, "The
//! lead receiver"): served by `serve` as `wasmtime serve -Scli` would, with a fake LinkedIn and
//! a fake forward target. Each test checks the answer, what reached LinkedIn and what was
//! forwarded (with its signature, checked independently), and that nothing was fetched or
//! forwarded when nothing must be.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use host_test::fakes::{self, FakeForward, FakeLinkedIn, Reply};
use host_test::runtime::{Limits, workspace_root};
use host_test::serve::{self, Compiled, Logs, Options, Receiver};
use serde_json::{Value, json};

/// The client secret of LinkedIn's own test vector (linkedin-api.md §7.9).
const CLIENT_SECRET: &str = "test-secret";
const FORWARD_SECRET: &str = "test-forward-secret-0123456789";
const TOKEN: &str = "test-access-token";
const OCCURRED_AT: u64 = 1_686_182_358_881;

/// The receiver, compiled once for every test (a shared engine with room for all of them).
fn compiled() -> Arc<Compiled> {
    static COMPILED: OnceLock<Arc<Compiled>> = OnceLock::new();
    COMPILED
        .get_or_init(|| {
            let path = workspace_root().join(serve::DEFAULT_RECEIVER);
            Compiled::load(&path, &Limits::default(), 64).expect("the receiver (make build)")
        })
        .clone()
}

struct Harness {
    linkedin: FakeLinkedIn,
    forward: FakeForward,
    addr: SocketAddr,
    logs: Arc<Mutex<String>>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The receiver's environment and where its LinkedIn calls go, before a test changes them.
struct Setup {
    env: BTreeMap<&'static str, String>,
    linkedin: Option<String>,
}

impl Harness {
    async fn start() -> Harness {
        Harness::with(|_| {}).await
    }

    /// A receiver with every setting, a token, and LinkedIn's calls sent to the fake; `edit`
    /// changes that first.
    async fn with(edit: impl FnOnce(&mut Setup)) -> Harness {
        let linkedin = FakeLinkedIn::start(TOKEN).await.expect("fake LinkedIn");
        let forward = FakeForward::start().await.expect("fake forward target");
        let mut setup = Setup {
            env: BTreeMap::from([
                ("LINKEDIN_CLIENT_SECRET", CLIENT_SECRET.to_string()),
                ("FORWARD_URL", forward.url()),
                ("FORWARD_SECRET", FORWARD_SECRET.to_string()),
                ("LINKEDIN_ACCESS_TOKEN", TOKEN.to_string()),
            ]),
            linkedin: Some(linkedin.url()),
        };
        edit(&mut setup);
        let logs = Arc::new(Mutex::new(String::new()));
        let receiver = Receiver::new(
            compiled(),
            Options {
                env: setup
                    .env
                    .into_iter()
                    .map(|(k, v)| (k.to_string(), v))
                    .collect(),
                linkedin: setup.linkedin.map(|url| url.parse().expect("URL")),
                logs: Logs::Keep(logs.clone()),
                limits: Limits::default(),
                max_concurrent: 8,
            },
        )
        .expect("the receiver links");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let server = tokio::spawn(serve::serve(listener, receiver));
        Harness {
            linkedin,
            forward,
            addr,
            logs,
            server,
        }
    }

    async fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: impl Into<bytes::Bytes>,
    ) -> Reply {
        fakes::send(self.addr, method, path, headers, body)
            .await
            .expect("the receiver answers")
    }

    /// A POST of `body` with `X-LI-Signature: signature`.
    async fn post(&self, body: &str, signature: &str) -> Reply {
        self.request(
            "POST",
            "/linkedin/webhook",
            &[
                ("content-type", "application/json"),
                ("x-li-signature", signature),
            ],
            body.to_string(),
        )
        .await
    }

    /// A POST of `body` signed as LinkedIn signs it.
    async fn post_signed(&self, body: &str) -> Reply {
        self.post(
            body,
            &fakes::linkedin_signature(CLIENT_SECRET, body.as_bytes()),
        )
        .await
    }

    /// The bodies forwarded so far, each after checking its signature.
    fn forwarded(&self) -> Vec<Value> {
        self.forward
            .received()
            .iter()
            .map(|forward| {
                assert_eq!(forward.method, "POST");
                assert_eq!(forward.path_and_query, "/hooks/linkedin");
                assert_eq!(forward.header("content-type"), Some("application/json"));
                assert_eq!(forward.header("authorization"), None);
                fakes::forward_signed(FORWARD_SECRET, forward).expect("signed forward");
                forward.json()
            })
            .collect()
    }

    fn assert_nothing_sent(&self) {
        assert!(
            self.linkedin.received().is_empty(),
            "fetched: {:?}",
            self.linkedin.received()
        );
        assert!(
            self.forward.received().is_empty(),
            "forwarded: {:?}",
            self.forward.received()
        );
    }

    fn logs(&self) -> String {
        self.logs.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

/// What the receiver forwards for notification `lead` with LinkedIn's fake lead.
fn notification_json(lead: &str, action: &str) -> Value {
    json!({
        "leadUrn": format!("urn:li:leadGenFormResponse:{lead}"),
        "leadId": lead,
        "action": action,
        "leadType": "SPONSORED",
        "formUrn": "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)",
        "formId": "7234246",
        "formVersion": 1,
        "owner": {"sponsoredAccount": "urn:li:sponsoredAccount:520866471"},
        "associatedEntity": {"sponsoredCreative": "urn:li:sponsoredCreative:241257736"},
        "occurredAt": OCCURRED_AT
    })
}

/// get-lead's output for the fake lead `id`.
fn lead_json(id: &str) -> Value {
    json!({
        "leadUrn": format!("urn:li:leadGenFormResponse:{id}"),
        "leadId": id,
        "submittedAt": 1689894599288u64,
        "testLead": false,
        "formUrn": "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)",
        "formId": "7234246",
        "formVersion": 1,
        "formName": "Contact us",
        "leadType": "SPONSORED",
        "owner": {"sponsoredAccount": "urn:li:sponsoredAccount:520866471"},
        "submitter": "urn:li:person:BcLKblgopR",
        "answers": [
            {"questionId": 107234246, "question": "First name", "predefinedField": "FIRST_NAME", "value": "Ada"},
            {"questionId": 307234246, "question": "Email address", "predefinedField": "EMAIL",
             "value": format!("ada.{id}@example.com")}
        ],
        "fields": {"EMAIL": format!("ada.{id}@example.com"), "FIRST_NAME": "Ada"},
        "raw": fakes::lead(id)
    })
}

fn delivery_id(lead: &str, action: &str) -> String {
    format!("urn:li:leadGenFormResponse:{lead}:{action}:{OCCURRED_AT}")
}

fn error_kind(reply: &Reply) -> String {
    reply.json()["error"]["kind"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_challenge_is_answered_without_any_outbound_call() {
    let h = Harness::start().await;
    let code = "890e4665-4dfe-4ab1-b689-ed553bceeed0";
    for path in [
        format!("/linkedin/webhook?challengeCode={code}"),
        format!("/?applicationId=123&challengeCode={code}"),
    ] {
        let reply = h.request("GET", &path, &[], "").await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.header("content-type"), Some("application/json"));
        // LinkedIn's documented vector for secret `test-secret` (linkedin-api.md §7.9).
        assert_eq!(
            reply.json(),
            json!({
                "challengeCode": code,
                "challengeResponse": "8bde2af5ee9529546d2098fc83434bb05aff1104dca629a22f301714626e29b0"
            })
        );
    }
    assert_eq!(
        fakes::challenge_response(CLIENT_SECRET, code),
        "8bde2af5ee9529546d2098fc83434bb05aff1104dca629a22f301714626e29b0"
    );
    h.assert_nothing_sent();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_get_without_one_code_of_linkedins_shape_is_400() {
    let h = Harness::start().await;
    let long = "a".repeat(129);
    for query in [
        "",
        "?challengeCode=",
        "?challenge=abc",
        // What a forger would ask to have signed: "hmacsha256=" plus a body.
        "?challengeCode=hmacsha256%3D%7B%22leadAction%22%3A%22CREATED%22%7D",
        "?challengeCode=a%20b",
        "?challengeCode=abc&challengeCode=def",
        &format!("?challengeCode={long}"),
    ] {
        let reply = h.request("GET", &format!("/hook{query}"), &[], "").await;
        assert_eq!(reply.status, 400, "{query}");
        assert_eq!(
            reply.json(),
            json!({"error": {
                "kind": "invalid-input",
                "field": "challengeCode",
                "message": "A GET must carry one challengeCode of LinkedIn's shape (letters, \
                            digits and -, at most 128 characters)."
            }}),
            "{query}"
        );
    }
    h.assert_nothing_sent();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_signed_notification_is_fetched_and_forwarded_signed_with_a_stable_delivery_id() {
    let h = Harness::start().await;
    let body = fakes::notification("abc-1", "CREATED", OCCURRED_AT);
    for delivery in 1..=2 {
        // The second time is LinkedIn delivering the same notification again.
        let reply = h.post_signed(&body).await;
        assert_eq!(reply.status, 200);
        assert_eq!(reply.json(), json!({"forwarded": 1}));
        assert_eq!(h.linkedin.received().len(), delivery);
        assert_eq!(h.forward.received().len(), delivery);
    }
    for fetch in h.linkedin.received() {
        assert_eq!(fetch.method, "GET");
        assert_eq!(
            fetch.path_and_query,
            "/rest/leadFormResponses/abc-1?fields=ownerInfo,associatedEntityInfo,\
             leadMetadataInfo,owner,leadType,versionedLeadGenFormUrn,id,submittedAt,testLead,\
             formResponse,form:(hiddenFields,creationLocale,name,id,content)"
        );
        assert_eq!(
            fetch.header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(fetch.header("linkedin-version"), Some("202609"));
        assert_eq!(fetch.header("x-restli-protocol-version"), Some("2.0.0"));
    }
    let expected = json!({
        "deliveryId": delivery_id("abc-1", "CREATED"),
        "notification": notification_json("abc-1", "CREATED"),
        "lead": lead_json("abc-1"),
        "leadError": null
    });
    assert_eq!(h.forwarded(), vec![expected.clone(), expected]);
}

/// One request after another goes out on one connection to LinkedIn and one to the forward
/// target, as with an engine's connection pool. The guest stops reading a body once it has the
/// Content-Length's bytes, without asking for its end, so the host must take that as the end.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_notification_after_another_reuses_the_connections() {
    let h = Harness::start().await;
    for n in 0..5 {
        let body = fakes::notification(&format!("reuse-{n}"), "CREATED", OCCURRED_AT);
        assert_eq!(h.post_signed(&body).await.status, 200);
    }
    assert_eq!(h.forwarded().len(), 5);
    assert_eq!(h.linkedin.received().len(), 5);
    assert_eq!(
        (h.linkedin.connections(), h.forward.connections()),
        (1, 1),
        "connections opened to LinkedIn and to the forward target"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_notification_of_an_array_is_forwarded_and_a_deleted_one_is_not_fetched() {
    let h = Harness::with(|setup| {
        setup.env.insert("LINKEDIN_VERSION", "202601".to_string());
    })
    .await;
    let body = format!(
        "[{},{}]",
        fakes::notification("new-1", "CREATED", OCCURRED_AT),
        fakes::notification("old-2", "DELETED", OCCURRED_AT)
    );
    let reply = h.post_signed(&body).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), json!({"forwarded": 2}));
    let fetches = h.linkedin.received();
    assert_eq!(fetches.len(), 1);
    assert!(
        fetches[0]
            .path_and_query
            .starts_with("/rest/leadFormResponses/new-1?")
    );
    assert_eq!(fetches[0].header("linkedin-version"), Some("202601"));
    assert_eq!(
        h.forwarded(),
        vec![
            json!({
                "deliveryId": delivery_id("new-1", "CREATED"),
                "notification": notification_json("new-1", "CREATED"),
                "lead": lead_json("new-1"),
                "leadError": null
            }),
            json!({
                "deliveryId": delivery_id("old-2", "DELETED"),
                "notification": notification_json("old-2", "DELETED"),
                "lead": null,
                "leadError": null
            }),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_token_the_notification_is_forwarded_with_lead_null() {
    let h = Harness::with(|setup| {
        setup.env.remove("LINKEDIN_ACCESS_TOKEN");
    })
    .await;
    let body = fakes::notification("abc-1", "CREATED", OCCURRED_AT);
    let reply = h.post_signed(&body).await;
    assert_eq!(reply.status, 200);
    assert!(h.linkedin.received().is_empty());
    assert_eq!(
        h.forwarded(),
        vec![json!({
            "deliveryId": delivery_id("abc-1", "CREATED"),
            "notification": notification_json("abc-1", "CREATED"),
            "lead": null,
            "leadError": null
        })]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_or_wrong_signature_is_401_and_nothing_is_fetched_or_forwarded() {
    let h = Harness::start().await;
    let body = fakes::notification("abc-1", "CREATED", OCCURRED_AT);
    let good = fakes::linkedin_signature(CLIENT_SECRET, body.as_bytes());
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<Value>(&body).unwrap()).unwrap();
    let body_only = {
        // HMAC of the body without LinkedIn's "hmacsha256=" prefix: not what LinkedIn signs.
        let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, CLIENT_SECRET.as_bytes());
        hex_of(ring::hmac::sign(&key, body.as_bytes()).as_ref())
    };
    let other_key = fakes::linkedin_signature("another-apps-secret", body.as_bytes());
    type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, &'a str);
    let cases: Vec<Case<'_>> = vec![
        ("no signature", vec![], &body),
        ("wrong key", vec![("x-li-signature", &other_key)], &body),
        ("body only", vec![("x-li-signature", &body_only)], &body),
        ("re-serialised", vec![("x-li-signature", &good)], &pretty),
        ("not hex", vec![("x-li-signature", "hmacsha256=xyz")], &body),
        (
            "twice",
            vec![("x-li-signature", &good), ("X-LI-Signature", &good)],
            &body,
        ),
    ];
    for (what, headers, sent) in cases {
        let reply = h
            .request("POST", "/linkedin/webhook", &headers, sent.to_string())
            .await;
        assert_eq!(reply.status, 401, "{what}");
        assert_eq!(error_kind(&reply), "invalid-signature", "{what}");
    }
    h.assert_nothing_sent();
    // The same body with its right signature goes through.
    assert_eq!(h.post(&body, &good).await.status, 200);
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lead_linkedin_refuses_with_a_4xx_is_forwarded_with_lead_error() {
    let h = Harness::start().await;
    let gone = fakes::notification("gone-1", "CREATED", OCCURRED_AT);
    let reply = h.post_signed(&gone).await;
    assert_eq!(reply.status, 200);
    let denied = fakes::notification("denied-2", "CREATED", OCCURRED_AT);
    assert_eq!(h.post_signed(&denied).await.status, 200);
    let forwarded = h.forwarded();
    assert_eq!(forwarded.len(), 2);
    assert_eq!(forwarded[0]["deliveryId"], delivery_id("gone-1", "CREATED"));
    assert_eq!(
        forwarded[0]["notification"],
        notification_json("gone-1", "CREATED")
    );
    assert_eq!(forwarded[0]["lead"], Value::Null);
    let error = &forwarded[0]["leadError"];
    assert_eq!(error["kind"], "not-found");
    assert_eq!(error["status"], 404);
    assert_eq!(error["code"], "NOT_FOUND");
    assert!(
        error["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Lead not found"),
        "{error}"
    );
    let error = &forwarded[1]["leadError"];
    assert_eq!(forwarded[1]["lead"], Value::Null);
    assert_eq!(error["kind"], "forbidden");
    assert_eq!(error["status"], 403);
    assert_eq!(
        error["requiredScopes"],
        json!(["r_marketing_leadgen_automation"])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_token_is_forwarded_as_lead_error_unauthorized() {
    let h = Harness::with(|setup| {
        setup
            .env
            .insert("LINKEDIN_ACCESS_TOKEN", "expired-token".to_string());
    })
    .await;
    let body = fakes::notification("abc-1", "CREATED", OCCURRED_AT);
    assert_eq!(h.post_signed(&body).await.status, 200);
    let forwarded = h.forwarded();
    assert_eq!(forwarded.len(), 1);
    assert_eq!(forwarded[0]["lead"], Value::Null);
    assert_eq!(forwarded[0]["leadError"]["kind"], "unauthorized");
    assert_eq!(forwarded[0]["leadError"]["status"], 401);
    assert!(!forwarded[0].to_string().contains("expired-token"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fetch_failing_with_a_5xx_a_429_or_in_transport_is_502_and_nothing_is_forwarded() {
    let h = Harness::start().await;
    for (lead, kind) in [("broken-1", "api"), ("throttled-2", "rate-limited")] {
        let body = fakes::notification(lead, "CREATED", OCCURRED_AT);
        let reply = h.post_signed(&body).await;
        assert_eq!(reply.status, 502, "{lead}");
        assert_eq!(error_kind(&reply), kind, "{lead}");
    }
    assert_eq!(h.linkedin.received().len(), 2);
    assert!(h.forward.received().is_empty());

    // LinkedIn unreachable: a port nothing listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let h = Harness::with(|setup| setup.linkedin = Some(format!("http://127.0.0.1:{port}"))).await;
    let reply = h
        .post_signed(&fakes::notification("abc-1", "CREATED", OCCURRED_AT))
        .await;
    assert_eq!(reply.status, 502);
    assert_eq!(error_kind(&reply), "transport");
    assert!(h.forward.received().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_a_502_the_forwards_already_made_are_repeated_with_the_same_delivery_id() {
    let h = Harness::start().await;
    let body = format!(
        "[{},{}]",
        fakes::notification("ok-1", "CREATED", OCCURRED_AT),
        fakes::notification("broken-2", "CREATED", OCCURRED_AT)
    );
    for _ in 0..2 {
        assert_eq!(h.post_signed(&body).await.status, 502);
    }
    let ids: Vec<Value> = h
        .forwarded()
        .iter()
        .map(|f| f["deliveryId"].clone())
        .collect();
    let first = json!(delivery_id("ok-1", "CREATED"));
    assert_eq!(ids, vec![first.clone(), first]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_forward_that_fails_is_502() {
    let h = Harness::start().await;
    let body = fakes::notification("abc-1", "DELETED", OCCURRED_AT);
    for status in [500, 404, 302] {
        h.forward.set_status(status);
        let reply = h.post_signed(&body).await;
        assert_eq!(reply.status, 502, "forward answered {status}");
        assert_eq!(error_kind(&reply), "forward");
    }
    // The target comes back: the same notification goes through with the same id.
    h.forward.set_status(204);
    assert_eq!(h.post_signed(&body).await.status, 200);
    let ids: Vec<Value> = h
        .forwarded()
        .iter()
        .map(|f| f["deliveryId"].clone())
        .collect();
    assert_eq!(ids, vec![json!(delivery_id("abc-1", "DELETED")); 4]);

    // An unreachable forward target.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let h = Harness::with(|setup| {
        setup
            .env
            .insert("FORWARD_URL", format!("http://127.0.0.1:{port}/in"));
    })
    .await;
    let reply = h.post_signed(&body).await;
    assert_eq!(reply.status, 502);
    assert_eq!(error_kind(&reply), "forward");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_over_1_mib_is_413_and_not_read() {
    const MIB: usize = 1024 * 1024;
    let h = Harness::start().await;
    // Exactly 1 MiB (a notification padded with spaces, which JSON allows) is accepted.
    let notification = fakes::notification("abc-1", "DELETED", OCCURRED_AT);
    let padded = format!("{notification}{}", " ".repeat(MIB - notification.len()));
    assert_eq!(padded.len(), MIB);
    assert_eq!(h.post_signed(&padded).await.status, 200);
    assert_eq!(h.forward.received().len(), 1);

    // One byte more, declared: answered from the head, before any of the body is sent.
    let mut stream = std::net::TcpStream::connect(h.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let signature = fakes::linkedin_signature(CLIENT_SECRET, b"x");
    write!(
        stream,
        "POST /linkedin/webhook HTTP/1.1\r\nhost: {}\r\nx-li-signature: {signature}\r\n\
         content-length: {}\r\n\r\n",
        h.addr,
        MIB + 1
    )
    .unwrap();
    let answer = read_answer(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(
        answer.contains(r#"{"error":{"kind":"too-large","#),
        "{answer}"
    );

    // Streamed without a length (chunked, 2 MiB on its way): answered once 1 MiB is passed.
    let mut stream = std::net::TcpStream::connect(h.addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "POST /linkedin/webhook HTTP/1.1\r\nhost: {}\r\nx-li-signature: {signature}\r\n\
         transfer-encoding: chunked\r\n\r\n",
        h.addr
    )
    .unwrap();
    let mut writer = stream.try_clone().unwrap();
    // The receiver stops reading, so the rest may never be taken: written from a thread of its
    // own, which ends when the connection does.
    std::thread::spawn(move || {
        let chunk = [b' '; 64 * 1024];
        for _ in 0..32 {
            let sent = write!(writer, "{:x}\r\n", chunk.len())
                .and_then(|()| writer.write_all(&chunk))
                .and_then(|()| writer.write_all(b"\r\n"));
            if sent.is_err() {
                return;
            }
        }
        let _ = writer.write_all(b"0\r\n\r\n");
    });
    let answer = read_answer(&mut stream);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let _ = stream.shutdown(std::net::Shutdown::Both);

    assert_eq!(h.forward.received().len(), 1);
    assert!(h.linkedin.received().is_empty());
}

/// An answer read off a raw connection: the head and a body of its Content-Length.
fn read_answer(stream: &mut std::net::TcpStream) -> String {
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let text = String::from_utf8_lossy(&answer).into_owned();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length: "))
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if body.len() >= length {
                return text;
            }
        }
        let n = stream.read(&mut buffer).expect("an answer in time");
        if n == 0 {
            return text;
        }
        answer.extend_from_slice(&buffer[..n]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_methods_are_405() {
    let h = Harness::start().await;
    for method in ["PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"] {
        let reply = h.request(method, "/linkedin/webhook", &[], "").await;
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), Some("GET, POST"), "{method}");
    }
    h.assert_nothing_sent();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_or_wrong_setting_is_503_naming_it_on_every_request() {
    type Edit = fn(&mut Setup);
    const LONG_SECRET: &str = "a-client-secret-long-enough";
    let cases: [(&str, &str, Edit); 8] = [
        ("LINKEDIN_CLIENT_SECRET", "is not set", |s| {
            s.env.remove("LINKEDIN_CLIENT_SECRET");
        }),
        ("FORWARD_URL", "is not set", |s| {
            s.env.remove("FORWARD_URL");
        }),
        ("FORWARD_URL", "must be https", |s| {
            s.env
                .insert("FORWARD_URL", "http://hooks.example.com/in".into());
        }),
        ("FORWARD_SECRET", "is not set", |s| {
            s.env.remove("FORWARD_SECRET");
        }),
        ("FORWARD_SECRET", "is shorter than 16", |s| {
            s.env.insert("FORWARD_SECRET", "short-secret".into());
        }),
        (
            "FORWARD_SECRET",
            "is the same as LINKEDIN_CLIENT_SECRET",
            |s| {
                s.env.insert("LINKEDIN_CLIENT_SECRET", LONG_SECRET.into());
                s.env.insert("FORWARD_SECRET", LONG_SECRET.into());
            },
        ),
        ("LINKEDIN_VERSION", "is not a LinkedIn API version", |s| {
            s.env.insert("LINKEDIN_VERSION", "latest".into());
        }),
        ("LINKEDIN_ACCESS_TOKEN", "is malformed", |s| {
            s.env.insert("LINKEDIN_ACCESS_TOKEN", "two words".into());
        }),
    ];
    for (setting, why, edit) in cases {
        let h = Harness::with(edit).await;
        let body = fakes::notification("abc-1", "CREATED", OCCURRED_AT);
        let replies = [
            h.request("GET", "/?challengeCode=abc", &[], "").await,
            h.post_signed(&body).await,
            h.request("PUT", "/", &[], "").await,
        ];
        for reply in replies {
            assert_eq!(reply.status, 503, "{setting}");
            let error = &reply.json()["error"];
            assert_eq!(error["kind"], "configuration", "{setting}");
            assert_eq!(error["setting"], setting);
            let message = error["message"].as_str().unwrap_or_default();
            assert!(
                message.starts_with(&format!("{setting} {why}")),
                "{message}"
            );
            for secret in [CLIENT_SECRET, FORWARD_SECRET, TOKEN, LONG_SECRET] {
                assert!(
                    !reply
                        .body
                        .windows(secret.len())
                        .any(|w| w == secret.as_bytes())
                );
            }
        }
        h.assert_nothing_sent();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_name_lead_urns_and_carry_no_secret_token_or_lead_data() {
    let h = Harness::start().await;
    let body = fakes::notification("abc-1", "CREATED", OCCURRED_AT);
    assert_eq!(h.post_signed(&body).await.status, 200);
    let gone = fakes::notification("gone-2", "CREATED", OCCURRED_AT);
    assert_eq!(h.post_signed(&gone).await.status, 200);
    let broken = fakes::notification("broken-3", "CREATED", OCCURRED_AT);
    assert_eq!(h.post_signed(&broken).await.status, 502);
    assert_eq!(h.post(&body, "0000").await.status, 401);
    let code = "890e4665-4dfe-4ab1-b689-ed553bceeed0";
    let path = format!("/?challengeCode={code}");
    assert_eq!(h.request("GET", &path, &[], "").await.status, 200);
    let h2 = Harness::with(|s| {
        s.env.insert("FORWARD_SECRET", CLIENT_SECRET.into());
    })
    .await;
    assert_eq!(h2.post_signed(&body).await.status, 503);

    let logs = format!("{}{}", h.logs(), h2.logs());
    assert_eq!(
        logs,
        "receiver: POST 200: urn:li:leadGenFormResponse:abc-1 CREATED forwarded with its lead\n\
         receiver: POST 200: urn:li:leadGenFormResponse:gone-2 CREATED forwarded without its \
         lead (not-found 404)\n\
         receiver: POST 502: urn:li:leadGenFormResponse:broken-3 not fetched: api 500\n\
         receiver: POST 401: invalid signature\n\
         receiver: GET 200: challenge answered\n\
         receiver: POST 503: configuration: FORWARD_SECRET is missing or wrong\n"
    );
    let challenge_answer = fakes::challenge_response(CLIENT_SECRET, code);
    for private in [
        CLIENT_SECRET,
        FORWARD_SECRET,
        TOKEN,
        "Ada",
        "example.com",
        &challenge_answer,
    ] {
        assert!(!logs.contains(private), "{private} in {logs}");
    }
}

/// The command line: `host-test serve` passes its LINKEDIN_* and FORWARD_* variables to the
/// receiver, and `--linkedin` sends the lead fetch to the fake.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_serve_command_runs_the_receiver_with_its_environment() {
    let linkedin = FakeLinkedIn::start(TOKEN).await.unwrap();
    let forward = FakeForward::start().await.unwrap();
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = free.local_addr().unwrap();
    drop(free);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_host-test"))
        .args([
            "serve",
            "--addr",
            &addr.to_string(),
            "--linkedin",
            &linkedin.url(),
        ])
        .env_clear()
        .env("LINKEDIN_CLIENT_SECRET", CLIENT_SECRET)
        .env("FORWARD_URL", forward.url())
        .env("FORWARD_SECRET", FORWARD_SECRET)
        .env("LINKEDIN_ACCESS_TOKEN", TOKEN)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("host-test serve");
    // It compiles the component first: give it time on a busy machine.
    let mut reply = None;
    for _ in 0..600 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if child.try_wait().ok().flatten().is_some() {
            break;
        }
        let body = fakes::notification("cli-1", "CREATED", OCCURRED_AT);
        let signature = fakes::linkedin_signature(CLIENT_SECRET, body.as_bytes());
        if let Ok(r) = fakes::send(addr, "POST", "/", &[("x-li-signature", &signature)], body).await
        {
            reply = Some(r);
            break;
        }
    }
    let _ = child.kill();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let reply = reply.unwrap_or_else(|| panic!("serve never answered: {stderr}"));
    assert_eq!(reply.status, 200, "{stderr}");
    assert_eq!(linkedin.received().len(), 1);
    let forwards = forward.received();
    assert_eq!(forwards.len(), 1);
    fakes::forward_signed(FORWARD_SECRET, &forwards[0]).unwrap();
    assert_eq!(forwards[0].json()["lead"], lead_json("cli-1"));
    assert!(
        stderr.contains("receiver: POST 200: urn:li:leadGenFormResponse:cli-1 CREATED forwarded"),
        "{stderr}"
    );
}
