//! A fixture's `now` is the wall clock the component reads: the same upload, stamped to expire
//! at one instant, is sent when `now` is before it and refused when `now` is after it (with the
//! real clock both stamps are long past). The component must be built first (`make build`).

use std::path::Path;

use host_test::fixture::Fixture;
use host_test::replay::{CaseReport, run_case};
use host_test::runtime::{Limits, Runtime, default_component_path, virtual_time_runtime};
use serde_json::{Value, json};

const EXPIRES_AT: u64 = 1_650_567_510_704;
const UPLOAD_URL: &str = "https://www.linkedin.com/dms-uploads/C4E10AQFoyyAjHPMQuQ/uploaded-image/0?ca=vector_feedshare&ut=2H-IhpbfXrRow1%253D%253D";

fn case(now: u64) -> Value {
    json!({
        "description": "an upload a few seconds before or after its expiry stamp",
        "command": "upload-media",
        "input": {
            "uploadUrl": UPLOAD_URL,
            "data": "iVBORw0KGgoAAAANSUhEUg==",
            "contentType": "image/png",
            "mediaUrn": "urn:li:image:C4E10AQFoyyAjHPMQuQ",
            "mediaCategory": "image",
            "expiresAt": EXPIRES_AT
        },
        "now": now,
        "interactions": [{
            "request": {
                "method": "PUT",
                "url": UPLOAD_URL,
                "headers": {"authorization": "Bearer test-token", "content-type": "image/png"},
                "bodyBase64": "iVBORw0KGgoAAAANSUhEUg=="
            },
            "response": {"status": 201}
        }],
        "expect": {"ok": {"mediaUrn": "urn:li:image:C4E10AQFoyyAjHPMQuQ", "bytesUploaded": 16}}
    })
}

fn run(case: Value) -> CaseReport {
    let runtime = Runtime::load(&default_component_path(), Limits::default())
        .expect("run `make build` first");
    let case: Fixture = serde_json::from_value(case).expect("fixture parses");
    case.validate().expect("fixture is valid");
    virtual_time_runtime().expect("runtime").block_on(run_case(
        &runtime,
        Path::new("inline.json"),
        &case,
    ))
}

#[test]
fn now_before_the_stamp_lets_the_upload_through() {
    let report = run(case(EXPIRES_AT - 10_000));
    assert!(report.passed(), "{:#?}", report.failures);
}

#[test]
fn now_after_the_stamp_refuses_it() {
    let report = run(case(EXPIRES_AT + 10_000));
    assert!(
        report
            .failures
            .iter()
            .any(|f| f.contains("expected ok") && f.contains("expiresAt")),
        "{:#?}",
        report.failures
    );
}
