//! Big input never traps: a 30 MiB file given as base64 `data` (a 40 MiB input) uploads under
//! the harness's 64 MiB guest memory cap, because the component keeps the base64 text once (in
//! the input's own buffer) and decodes it in pieces into the upload body; and `data` beyond the
//! documented limit is a typed `invalid-input` pointing to `sourceUrl`, not a trap. The component
//! must be built first (`make build`).

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use bytes::Bytes;
use host_test::http_hook::{Answer, Backend, Responder, SentRequest};
use host_test::runtime::{HostConfig, Limits, Runtime, default_component_path, tokio_runtime};
use serde_json::{Value, json};

const UPLOAD_URL: &str = "https://www.linkedin.com/dms-uploads/C4E10AQFoyyAjHPMQuQ/uploaded-image/0?ca=vector_feedshare&ut=2H-Ih%253D";

fn byte_at(i: usize) -> u8 {
    (i.wrapping_mul(2_654_435_761) >> 11) as u8
}

/// LinkedIn's upload endpoint: checks every byte it receives.
#[derive(Default)]
struct Upload {
    expected: usize,
    problems: Mutex<Vec<String>>,
    received: Mutex<usize>,
}

impl Responder for Upload {
    fn respond(&self, request: SentRequest) -> Answer {
        if request.method != "PUT" || request.url != UPLOAD_URL {
            self.problems
                .lock()
                .unwrap()
                .push(format!("unexpected {} {}", request.method, request.url));
            return Answer::Denied;
        }
        *self.received.lock().unwrap() = request.body.len();
        let wrong = request.body.len() != self.expected
            || request
                .body
                .iter()
                .enumerate()
                .any(|(i, b)| *b != byte_at(i));
        if wrong {
            self.problems.lock().unwrap().push(format!(
                "the upload is not the file ({} bytes received)",
                request.body.len()
            ));
        }
        Answer::Http {
            status: 201,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }
}

fn run(file_bytes: usize) -> (Result<Value, Value>, usize, Arc<Upload>) {
    let path = default_component_path();
    let rt = Runtime::load(&path, Limits::default()).unwrap_or_else(|e| {
        panic!(
            "cannot load {} (run `make build` first): {e:#}",
            path.display()
        )
    });
    let file: Vec<u8> = (0..file_bytes).map(byte_at).collect();
    let data = base64::engine::general_purpose::STANDARD.encode(&file);
    drop(file);
    let input =
        json!({"uploadUrl": UPLOAD_URL, "data": data, "contentType": "image/png"}).to_string();
    drop(data);
    let server = Arc::new(Upload {
        expected: file_bytes,
        ..Upload::default()
    });
    let (result, report) = tokio_runtime()
        .unwrap()
        .block_on(rt.execute(
            HostConfig {
                access_token: Some("test-token".into()),
                ..HostConfig::default()
            },
            Backend::Scripted(server.clone()),
            "upload-media",
            &input,
        ))
        .expect("the call completes without a trap");
    let result = match result {
        Ok(text) => Ok(serde_json::from_str(&text).unwrap()),
        Err(e) => Err(e.to_json()),
    };
    (result, report.memory_bytes, server)
}

#[test]
fn a_30_mib_file_as_data_uploads_under_the_64_mib_cap() {
    let bytes = 30 * 1024 * 1024;
    let (result, memory, server) = run(bytes);
    println!(
        "30 MiB file as base64 data (a 40 MiB input): guest memory peak {:.1} MiB (cap {} MiB)",
        memory as f64 / (1024.0 * 1024.0),
        Limits::default().max_memory_bytes / (1024 * 1024)
    );
    let problems = server.problems.lock().unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
    let output = result.unwrap_or_else(|e| panic!("upload-media failed: {e}"));
    assert_eq!(output["bytesUploaded"], json!(bytes));
    assert_eq!(*server.received.lock().unwrap(), bytes);
}

#[test]
fn data_over_the_limit_is_invalid_input_pointing_to_source_url() {
    let (result, _, server) = run(33 * 1024 * 1024);
    let error = result.expect_err("refused");
    assert_eq!(error["kind"], "invalid-input", "{error}");
    assert_eq!(error["field"], "data", "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("sourceUrl"),
        "{error}"
    );
    assert_eq!(*server.received.lock().unwrap(), 0, "nothing was sent");
}
