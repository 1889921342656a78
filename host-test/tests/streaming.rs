//! A 64 MiB video uploaded from a `sourceUrl` must stream: the component cuts the download into
//! LinkedIn's 4 MiB parts as it arrives and never holds the file. This test serves the video
//! chunk by chunk, checks every byte of every part LinkedIn receives, and asserts that the
//! guest's linear memory stays under 16 MiB. The component must be built first (`make build`).

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use host_test::http_hook::{Answer, Backend, Responder, SentRequest};
use host_test::runtime::{HostConfig, Limits, Runtime, default_component_path, tokio_runtime};
use serde_json::{Value, json};

const FILE_BYTES: u64 = 64 * 1024 * 1024;
const PART_BYTES: u64 = 4 * 1024 * 1024;
const CHUNK_BYTES: usize = 256 * 1024;
const MEMORY_CAP: usize = 16 * 1024 * 1024;
const SOURCE: &str = "https://cdn.example.com/videos/launch.mp4";
const VIDEO_URN: &str = "urn:li:video:C5505AQH-oV1qvnFtKA";

/// Byte `i` of the served video: position-dependent, so a part shifted by one byte, a dropped
/// or repeated chunk, or parts sent out of order all change what LinkedIn receives.
fn byte_at(i: u64) -> u8 {
    (i.wrapping_mul(2_654_435_761) >> 13) as u8 ^ (i >> 20) as u8
}

fn part_url(n: u64) -> String {
    format!(
        "https://www.linkedin.com/dms-uploads/sp/v2/C5505AQH-oV1qvnFtKA/uploaded-video/0?ca=vector_feedshare&uploadId=u1%253D&partNumber={n}"
    )
}

/// Plays the video source, LinkedIn's upload endpoints and finalizeUpload, and records what
/// went wrong instead of panicking inside the host.
#[derive(Default)]
struct VideoServer {
    log: Mutex<Vec<String>>,
    problems: Mutex<Vec<String>>,
    finalized: Mutex<Option<Value>>,
}

impl VideoServer {
    fn problem(&self, text: String) {
        self.problems.lock().unwrap().push(text);
    }
}

impl Responder for VideoServer {
    fn respond(&self, request: SentRequest) -> Answer {
        self.log
            .lock()
            .unwrap()
            .push(format!("{} {}", request.method, request.url));
        if request.method == "GET" && request.url == SOURCE {
            if request.header("authorization").is_some() {
                self.problem("the source was fetched with credentials".into());
            }
            let chunks = (0..FILE_BYTES).step_by(CHUNK_BYTES).map(|start| {
                let end = (start + CHUNK_BYTES as u64).min(FILE_BYTES);
                Bytes::from((start..end).map(byte_at).collect::<Vec<u8>>())
            });
            return Answer::Streamed {
                status: 200,
                headers: vec![
                    ("content-type".into(), "video/mp4".into()),
                    ("content-length".into(), FILE_BYTES.to_string()),
                ],
                chunks: Box::new(chunks),
            };
        }
        if request.method == "PUT" {
            let Some(n) = (1..=FILE_BYTES / PART_BYTES).find(|n| part_url(*n) == request.url)
            else {
                self.problem(format!("PUT to an unexpected URL {}", request.url));
                return Answer::Denied;
            };
            if request.header("authorization").is_some() {
                self.problem(format!("part {n} carried the bearer token"));
            }
            let first = (n - 1) * PART_BYTES;
            let wrong = request.body.len() as u64 != PART_BYTES
                || request
                    .body
                    .iter()
                    .enumerate()
                    .any(|(i, b)| *b != byte_at(first + i as u64));
            if wrong {
                self.problem(format!(
                    "part {n} is not bytes {first}..={} ({} bytes received)",
                    first + PART_BYTES - 1,
                    request.body.len()
                ));
            }
            return Answer::Http {
                status: 200,
                headers: vec![("etag".into(), format!("etag-{n}"))],
                body: Bytes::new(),
            };
        }
        if request.method == "POST" && request.url.contains("action=finalizeUpload") {
            *self.finalized.lock().unwrap() = serde_json::from_slice(&request.body).ok();
            return Answer::Http {
                status: 200,
                headers: Vec::new(),
                body: Bytes::new(),
            };
        }
        self.problem(format!("unexpected {} {}", request.method, request.url));
        Answer::Denied
    }
}

#[test]
fn a_64_mib_video_from_a_source_url_streams_in_under_16_mib() {
    let path = default_component_path();
    let rt = Runtime::load(&path, Limits::default()).unwrap_or_else(|e| {
        panic!(
            "cannot load {} (run `make build` first): {e:#}",
            path.display()
        )
    });
    let parts: Vec<Value> = (1..=FILE_BYTES / PART_BYTES)
        .map(|n| {
            json!({
                "uploadUrl": part_url(n),
                "firstByte": (n - 1) * PART_BYTES,
                "lastByte": n * PART_BYTES - 1,
            })
        })
        .collect();
    let input = json!({
        "uploadInstructions": parts,
        "sourceUrl": SOURCE,
        "mediaUrn": VIDEO_URN,
        "uploadToken": "",
    });
    let server = Arc::new(VideoServer::default());
    let started = std::time::Instant::now();
    let (result, report) = tokio_runtime()
        .unwrap()
        .block_on(rt.execute(
            HostConfig {
                access_token: Some("test-token".into()),
                ..HostConfig::default()
            },
            Backend::Scripted(server.clone()),
            "upload-media",
            &input.to_string(),
        ))
        .expect("the call completes");
    let elapsed = started.elapsed();
    let output: Value = match result {
        Ok(text) => serde_json::from_str(&text).unwrap(),
        Err(e) => panic!("upload-media failed: {e:?}"),
    };

    println!(
        "64 MiB video from sourceUrl, 16 parts: guest linear memory peak {:.2} MiB \
         (cap {} MiB), {elapsed:.2?}",
        report.memory_bytes as f64 / (1024.0 * 1024.0),
        MEMORY_CAP / (1024 * 1024)
    );
    let problems = server.problems.lock().unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
    let etags: Vec<String> = (1..=16).map(|n| format!("etag-{n}")).collect();
    assert_eq!(output["bytesUploaded"], json!(FILE_BYTES));
    assert_eq!(output["partIds"], json!(etags));
    assert_eq!(
        *server.finalized.lock().unwrap(),
        Some(json!({"finalizeUploadRequest": {
            "video": VIDEO_URN, "uploadToken": "", "uploadedPartIds": etags,
        }}))
    );
    assert_eq!(server.log.lock().unwrap().len(), 1 + 16 + 1);
    assert!(
        report.memory_bytes < MEMORY_CAP,
        "guest memory reached {} bytes",
        report.memory_bytes
    );
}
