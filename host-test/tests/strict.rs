//! The harness is only worth its verdicts if it is strict: each test here takes a fixture that
//! passes, changes one thing, and checks that replay reports the case as failed, for the
//! reason meant. The component must be built first (`make build`).

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use host_test::fixture::Fixture;
use host_test::http_hook::{Answer, Backend, Responder, SentRequest};
use host_test::replay::{CaseReport, Script, run_case};
use host_test::runtime::{
    HostConfig, Limits, Runtime, default_component_path, tokio_runtime, workspace_root,
};
use serde_json::{Value, json};

fn runtime(limits: Limits) -> Runtime {
    let path = default_component_path();
    Runtime::load(&path, limits).unwrap_or_else(|e| {
        panic!(
            "cannot load {} (run `make build` first): {e:#}",
            path.display()
        )
    })
}

fn fixture(value: Value) -> Fixture {
    let f: Fixture = serde_json::from_value(value).expect("fixture parses");
    f.validate().expect("fixture is valid");
    f
}

/// A create-post case that passes as given.
fn base() -> Value {
    json!({
        "description": "baseline",
        "command": "create-post",
        "input": {"author": "person:782bbtaQ", "text": "Hi (there)"},
        "interactions": [{
            "request": {
                "method": "POST",
                "url": "https://api.linkedin.com/rest/posts",
                "headers": {"authorization": "Bearer test-token", "linkedin-version": "202609"},
                "json": {
                    "author": "urn:li:person:782bbtaQ",
                    "commentary": "Hi \\(there\\)",
                    "visibility": "PUBLIC",
                    "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [], "thirdPartyDistributionChannels": []},
                    "lifecycleState": "PUBLISHED",
                    "isReshareDisabledByAuthor": false
                }
            },
            "response": {"status": 201, "headers": {"x-restli-id": "urn:li:share:1"}, "body": ""}
        }],
        "expect": {"ok": {"id": "urn:li:share:1"}}
    })
}

fn run(rt: &Runtime, case: Value) -> CaseReport {
    let case = fixture(case);
    tokio_runtime()
        .unwrap()
        .block_on(run_case(rt, Path::new("inline.json"), &case))
}

fn assert_fails(report: &CaseReport, needle: &str) {
    assert!(
        !report.passed(),
        "the case passed but should fail ({needle})"
    );
    assert!(
        report.failures.iter().any(|f| f.contains(needle)),
        "no failure mentions {needle:?}: {:#?}",
        report.failures
    );
}

#[test]
fn baseline_passes_through_both_paths() {
    let report = run(&runtime(Limits::default()), base());
    assert!(report.passed(), "{:#?}", report.failures);
    assert!(report.ran("execute"), "{:?}", report.paths);
    assert!(report.ran("typed"), "the typed path should run too");
}

#[test]
fn wrong_url_fails() {
    let mut case = base();
    case["interactions"][0]["request"]["url"] = json!("https://api.linkedin.com/rest/post");
    assert_fails(
        &run(&runtime(Limits::default()), case),
        "url: expected https://api.linkedin.com/rest/post",
    );
}

#[test]
fn wrong_query_fails() {
    let mut case = base();
    case["interactions"][0]["request"]["url"] = json!("https://api.linkedin.com/rest/posts?x=1");
    assert_fails(&run(&runtime(Limits::default()), case), "query: expected");
}

/// A custom action whose query the component sends with Rest.li's `(`, `:` and `)` raw.
fn restli_query_case() -> Value {
    let path = workspace_root().join("fixtures/custom-action/get-rest-with-query.json");
    let text = std::fs::read_to_string(&path).expect("the fixture is there");
    serde_json::from_str(&text).expect("the fixture parses")
}

fn with_query(mut case: Value, query: &str) -> Value {
    case["interactions"][0]["request"]["url"] =
        json!(format!("https://api.linkedin.com/rest/adAccounts?{query}"));
    case
}

#[test]
fn escaped_restli_structure_in_an_expected_query_fails() {
    let rt = runtime(Limits::default());
    let sent = "q=search&search=(status:(values:List(ACTIVE)))&count=10";
    assert!(run(&rt, with_query(restli_query_case(), sent)).passed());
    // In Rest.li 2.0 `%28` is a literal parenthesis and `(` structure: not the same query.
    let escaped = "q=search&search=%28status:(values:List(ACTIVE)))&count=10";
    assert_fails(
        &run(&rt, with_query(restli_query_case(), escaped)),
        "query: expected",
    );
    let all = "q=search&search=%28status%3A%28values%3AList%28ACTIVE%29%29%29&count=10";
    assert_fails(
        &run(&rt, with_query(restli_query_case(), all)),
        "query: expected",
    );
    // Escapes of unreserved characters are only another spelling.
    let unreserved = "q=se%61rch&search=(status:(values:List(%41CTIVE)))&count=%310";
    let report = run(&rt, with_query(restli_query_case(), unreserved));
    assert!(report.passed(), "{:#?}", report.failures);
}

#[test]
fn missing_header_fails() {
    let mut case = base();
    case["interactions"][0]["request"]["headers"]["x-restli-method"] = json!("CREATE");
    assert_fails(
        &run(&runtime(Limits::default()), case),
        "header x-restli-method: expected \"CREATE\", not sent",
    );
}

#[test]
fn header_that_must_be_absent_fails() {
    let mut case = base();
    case["interactions"][0]["request"]["headers"]["authorization"] = Value::Null;
    assert_fails(
        &run(&runtime(Limits::default()), case),
        "header authorization: must be absent",
    );
}

#[test]
fn body_differing_in_one_value_fails() {
    let mut case = base();
    case["interactions"][0]["request"]["json"]["isReshareDisabledByAuthor"] = json!(true);
    assert_fails(
        &run(&runtime(Limits::default()), case),
        "$.isReshareDisabledByAuthor: expected true, got false",
    );
}

#[test]
fn body_with_an_extra_key_fails() {
    let mut case = base();
    let body = case["interactions"][0]["request"]["json"]
        .as_object_mut()
        .unwrap();
    body.remove("lifecycleState");
    assert_fails(
        &run(&runtime(Limits::default()), case),
        "$.lifecycleState: not expected",
    );
}

#[test]
fn extra_request_fails() {
    let mut case = base();
    case["interactions"] = json!([]);
    case["expect"] = json!({"error": {"kind": "transport"}});
    assert_fails(
        &run(&runtime(Limits::default()), case),
        "unexpected request 0 (all 0 interactions were used)",
    );
}

#[test]
fn missing_request_fails() {
    let mut case = base();
    let again = case["interactions"][0].clone();
    case["interactions"].as_array_mut().unwrap().push(again);
    assert_fails(
        &run(&runtime(Limits::default()), case),
        "interaction 1 was never requested",
    );
}

#[test]
fn unexpected_request_shows_the_closest_expected_one() {
    let mut case = base();
    case["interactions"][0]["request"]["headers"]["linkedin-version"] = json!("202501");
    let report = run(&runtime(Limits::default()), case);
    assert_fails(
        &report,
        "closest expected is interaction 0: POST https://api.linkedin.com/rest/posts",
    );
    assert_fails(
        &report,
        "header linkedin-version: expected \"202501\", sent \"202609\"",
    );
}

#[test]
fn wrong_expectation_fails() {
    let mut case = base();
    case["expect"] = json!({"ok": {"id": "urn:li:share:2"}});
    assert_fails(
        &run(&runtime(Limits::default()), case),
        "output.id: expected \"urn:li:share:2\"",
    );
    let mut case = base();
    case["expect"] = json!({"error": {"kind": "api"}});
    assert_fails(
        &run(&runtime(Limits::default()), case),
        "expected error \"api\", got ok",
    );
}

#[test]
fn leaked_secret_fails() {
    // get-user-info never fetches the client secret, so it cannot redact it: a client secret
    // equal to the member id must be caught in the output by the harness.
    let case = json!({
        "description": "secret in output",
        "command": "get-user-info",
        "credentials": {"accessToken": "test-token", "clientSecret": "782bbtaQ"},
        "interactions": [{
            "request": {"method": "GET", "url": "https://api.linkedin.com/v2/userinfo"},
            "response": {"status": 200, "json": {"sub": "782bbtaQ"}}
        }],
        "expect": {"ok": {"sub": "782bbtaQ"}}
    });
    let report = run(&runtime(Limits::default()), case);
    assert_fails(&report, "a secret (length 8) appears in the result");
    assert!(
        report.failures.iter().all(|f| !f.contains("782bbtaQ")),
        "the report must not repeat the secret"
    );
}

#[test]
fn bearer_to_another_host_fails() {
    let script = Script::new(Vec::new());
    script.respond(SentRequest {
        method: "GET".into(),
        url: "https://media.example.com/video.mp4".into(),
        headers: vec![("authorization".into(), "Bearer test-token".into())],
        body: Vec::new(),
    });
    let failures = script.finish();
    assert!(
        failures
            .iter()
            .any(|f| f.contains("carries Authorization to a host that must not get it")),
        "{failures:#?}"
    );
}

#[test]
fn fixture_with_two_body_kinds_is_rejected() {
    let mut case = base();
    case["interactions"][0]["request"]["body"] = json!("x");
    let parsed: Fixture = serde_json::from_value(case).unwrap();
    assert!(parsed.validate().is_err());
}

/// Answers after a long pause.
struct Slow;
impl Responder for Slow {
    fn respond(&self, _: SentRequest) -> Answer {
        Answer::After(Duration::from_secs(5), Box::new(Answer::Denied))
    }
}

#[test]
fn a_hanging_call_is_cut_off() {
    let rt = runtime(Limits {
        call_timeout: Duration::from_millis(300),
        ..Limits::default()
    });
    let started = Instant::now();
    let outcome = tokio_runtime().unwrap().block_on(rt.execute(
        HostConfig {
            access_token: Some("t".into()),
            ..HostConfig::default()
        },
        Backend::Scripted(Arc::new(Slow)),
        "get-user-info",
        "{}",
    ));
    let err = outcome.expect_err("the call must fail");
    assert!(
        format!("{err:#}").contains("did not finish within"),
        "{err:#}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn guest_execution_past_its_deadline_traps() {
    let rt = runtime(Limits::default());
    let tokio = tokio_runtime().unwrap();
    let mut store = rt.store(HostConfig::default(), Backend::Scripted(Arc::new(Slow)));
    let instance = tokio.block_on(rt.instantiate(&mut store)).unwrap();
    // An already-passed deadline: the guest traps at its first check instead of running on.
    store.set_epoch_deadline(0);
    rt.engine().increment_epoch();
    let result = tokio.block_on(rt.execute_on(&mut store, &instance, "create-post", "{}"));
    let err = result.expect_err("the call must trap");
    assert!(format!("{err:?}").contains("interrupt"), "{err:?}");
}

#[test]
fn guest_memory_is_capped() {
    let rt = runtime(Limits {
        max_memory_bytes: 2 << 20,
        ..Limits::default()
    });
    // Parsing a 4 MiB input needs more than 2 MiB of linear memory: the call must fail (the
    // guest cannot grow), not take the host's memory.
    let input = json!({"author": "person:a", "text": "x".repeat(4 << 20)}).to_string();
    let outcome = tokio_runtime().unwrap().block_on(rt.execute(
        HostConfig::default(),
        Backend::Scripted(Arc::new(Slow)),
        "create-post",
        &input,
    ));
    assert!(
        outcome.is_err(),
        "the call should have trapped: {:?}",
        outcome.map(|(r, _)| r)
    );
}
