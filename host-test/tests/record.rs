//! `host-test record` end to end: the binary records commands live against a fake LinkedIn on
//! 127.0.0.1 (through `--endpoint`) with a real-looking token that the fake server echoes back
//! as is, JSON-escaped and percent-encoded; the written case must hold none of it, must say
//! `Bearer test-token`, and must replay green with `host-test replay FILE`. The component must
//! be built first (`make build`).

use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use serde_json::{Value, json};
use wasmtime_wasi_http::io::TokioIo;

/// Characters that take different forms in JSON and in URLs.
const TOKEN: &str = "AQV/real+tok=en~1";
const TOKEN_FORMS: [&str; 4] = [
    TOKEN,
    "AQV%2Freal%2Btok%3Den~1",
    "AQV%2freal%2btok%3den~1",
    "AQV\\/real+tok=en~1",
];
const SECRET: &str = "client-s3cret-9";

/// What the fake server saw: method, path, Authorization.
type Seen = Arc<Mutex<Vec<(String, String, Option<String>)>>>;

async fn answer(
    request: http::Request<hyper::body::Incoming>,
    seen: Seen,
) -> Result<http::Response<Full<Bytes>>, Infallible> {
    let (parts, body) = request.into_parts();
    let bearer = parts
        .headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let token = bearer
        .as_deref()
        .and_then(|b| b.strip_prefix("Bearer "))
        .unwrap_or("")
        .to_string();
    let _ = body.collect().await;
    let path = parts.uri.path().to_string();
    if let Ok(mut seen) = seen.lock() {
        seen.push((parts.method.to_string(), path.clone(), bearer.clone()));
    }
    let response = http::Response::builder();
    let response = match (parts.method.as_str(), path.as_str()) {
        ("GET", "/v2/userinfo") => response
            .status(200)
            .header("content-type", "application/json")
            .header("x-li-uuid", "AAYF1xMxoG8")
            .body(Full::from(
                json!({"sub": "782bbtaQ", "name": token, "email": "jane@example.com",
                       "email_verified": true})
                .to_string(),
            )),
        ("POST", "/rest/posts") => {
            let percent = token
                .replace('/', "%2F")
                .replace('+', "%2B")
                .replace('=', "%3D");
            response
                .status(201)
                .header("x-restli-id", "urn%3Ali%3Ashare%3A7045020441609936898")
                .header(
                    "x-li-echo",
                    percent
                        .replace("%2F", "%2f")
                        .replace("%2B", "%2b")
                        .replace("%3D", "%3d"),
                )
                .header("content-type", "text/plain")
                .body(Full::from(format!(
                    "created for {token}; as JSON {}; in a URL ?t={percent}",
                    token.replace('/', "\\/")
                )))
        }
        ("PUT", p) if p.starts_with("/dms-uploads/") => response.status(201).body(Full::default()),
        _ => response.status(404).body(Full::from("no such route")),
    };
    Ok(response.unwrap_or_else(|_| http::Response::new(Full::default())))
}

/// Starts the fake LinkedIn on a free port of 127.0.0.1, in a thread of its own.
fn fake_linkedin() -> (SocketAddr, Seen) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    listener.set_nonblocking(true).expect("nonblocking");
    let addr = listener.local_addr().expect("local address");
    let seen: Seen = Arc::default();
    let served = seen.clone();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).expect("listener");
            while let Ok((stream, _)) = listener.accept().await {
                let seen = served.clone();
                tokio::spawn(async move {
                    let service =
                        hyper::service::service_fn(move |request| answer(request, seen.clone()));
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    (addr, seen)
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("record-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn host_test(args: &[&str], version: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_host-test"));
    command
        .args(args)
        .env("LINKEDIN_ACCESS_TOKEN", TOKEN)
        .env("LINKEDIN_CLIENT_SECRET", SECRET)
        .env_remove("LINKEDIN_VERSION");
    if let Some(version) = version {
        command.env("LINKEDIN_VERSION", version);
    }
    command.output().expect("running host-test")
}

fn text(output: &Output) -> String {
    format!(
        "status {}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Records `command` into `out` and checks the file: written, secret-free, replaying green.
fn record(addr: SocketAddr, args: &[&str], out: &Path, version: Option<&str>) -> Value {
    let endpoint = format!("http://{addr}");
    let out_arg = out.to_string_lossy().into_owned();
    let mut all = vec!["record"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--live", "--endpoint", &endpoint, "--out", &out_arg]);
    let recorded = host_test(&all, version);
    assert!(recorded.status.success(), "{}", text(&recorded));
    assert!(
        String::from_utf8_lossy(&recorded.stdout).contains("replays: ok"),
        "{}",
        text(&recorded)
    );
    let written = std::fs::read_to_string(out).expect("the case was written");
    for form in TOKEN_FORMS.iter().chain([&SECRET]) {
        assert!(
            !written.contains(form),
            "{} holds {form:?}:\n{written}",
            out.display()
        );
    }
    let replayed = host_test(&["replay", &out_arg], None);
    let stdout = String::from_utf8_lossy(&replayed.stdout);
    assert!(
        replayed.status.success() && stdout.trim_end().ends_with("1 passed, 0 failed"),
        "{}",
        text(&replayed)
    );
    serde_json::from_str(&written).expect("the case is JSON")
}

#[test]
fn recorded_cases_replay_and_hold_no_secret() {
    let (addr, seen) = fake_linkedin();
    let dir = scratch("cases");

    let user = record(addr, &["get-user-info"], &dir.join("user.json"), None);
    let request = &user["interactions"][0]["request"];
    assert_eq!(request["url"], "https://api.linkedin.com/v2/userinfo");
    assert_eq!(request["headers"]["authorization"], "Bearer test-token");
    assert_eq!(request["headers"]["linkedin-version"], Value::Null);
    assert_eq!(
        user["interactions"][0]["response"]["json"]["name"],
        "test-token"
    );
    assert_eq!(
        user["interactions"][0]["response"]["headers"]["x-li-uuid"],
        "AAYF1xMxoG8"
    );
    assert_eq!(user["expect"]["ok"]["sub"], "782bbtaQ");
    assert!(user.get("settings").is_none() && user.get("credentials").is_none());
    assert!(user.get("now").is_none(), "get-user-info reads no clock");
    assert!(
        user["description"]
            .as_str()
            .is_some_and(|d| d.contains("get-user-info"))
    );

    let post = record(
        addr,
        &[
            "create-post",
            "--input",
            r#"{"author": "person:782bbtaQ", "text": "Launch (v2) #rust"}"#,
            "--description",
            "A recorded text post",
        ],
        &dir.join("post.json"),
        None,
    );
    assert_eq!(post["description"], "A recorded text post");
    let request = &post["interactions"][0]["request"];
    assert_eq!(request["headers"]["linkedin-version"], "202609");
    assert_eq!(request["headers"]["content-type"], "application/json");
    assert_eq!(
        request["json"]["commentary"],
        "Launch \\(v2\\) {hashtag|\\#|rust}"
    );
    let response = &post["interactions"][0]["response"];
    assert_eq!(response["status"], 201);
    assert_eq!(
        response["headers"]["x-restli-id"],
        "urn%3Ali%3Ashare%3A7045020441609936898"
    );
    assert_eq!(response["headers"]["x-li-echo"], "test-token");
    assert_eq!(
        response["body"],
        "created for test-token; as JSON test-token; in a URL ?t=test-token"
    );
    assert_eq!(
        post["expect"]["ok"]["id"],
        "urn:li:share:7045020441609936898"
    );

    // The live calls did carry the real token, to the fake server only.
    let seen = seen.lock().expect("seen").clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    for (_, _, bearer) in &seen {
        assert_eq!(bearer.as_deref(), Some(format!("Bearer {TOKEN}").as_str()));
    }
}

#[test]
fn an_upload_that_reads_the_clock_is_pinned_with_now() {
    let (addr, _) = fake_linkedin();
    let dir = scratch("upload");
    let input = json!({
        "uploadUrl": "https://www.linkedin.com/dms-uploads/C4E10AQFoyyAjHPMQuQ/uploaded-image/0?ut=2H%253D",
        "data": "//79AA==",
        "contentType": "image/png",
        "mediaUrn": "urn:li:image:C4E10AQFoyyAjHPMQuQ",
        "mediaCategory": "image",
        "expiresAt": 4102444800000u64
    })
    .to_string();
    let case = record(
        addr,
        &["upload-media", "--input", &input],
        &dir.join("upload.json"),
        None,
    );
    assert!(case["now"].as_u64().is_some(), "{case:#}");
    let request = &case["interactions"][0]["request"];
    assert_eq!(request["method"], "PUT");
    assert_eq!(
        request["url"],
        "https://www.linkedin.com/dms-uploads/C4E10AQFoyyAjHPMQuQ/uploaded-image/0?ut=2H%253D"
    );
    assert_eq!(request["bodyBase64"], "//79AA==");
    assert_eq!(request["headers"]["content-type"], "image/png");
}

#[test]
fn re_recording_against_a_newer_version_is_one_command() {
    let (addr, _) = fake_linkedin();
    let dir = scratch("rerecord");
    let case = dir.join("post.json");
    record(
        addr,
        &[
            "create-post",
            "--input",
            r#"{"author": "person:782bbtaQ", "text": "Hello"}"#,
            "--description",
            "Kept across re-recording",
        ],
        &case,
        None,
    );
    let case_arg = case.to_string_lossy().into_owned();
    let endpoint = format!("http://{addr}");
    let rerecorded = host_test(
        &[
            "record",
            "--from",
            &case_arg,
            "--live",
            "--endpoint",
            &endpoint,
        ],
        Some("202612"),
    );
    assert!(rerecorded.status.success(), "{}", text(&rerecorded));
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(&case).expect("case")).expect("JSON");
    assert_eq!(written["description"], "Kept across re-recording");
    assert_eq!(written["settings"], json!({"linkedinVersion": "202612"}));
    assert_eq!(
        written["interactions"][0]["request"]["headers"]["linkedin-version"],
        "202612"
    );
    let replayed = host_test(&["replay", &case_arg], None);
    assert!(replayed.status.success(), "{}", text(&replayed));
}
