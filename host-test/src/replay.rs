//! Replaying fixtures. Each case runs on fresh instances, each with its own copy of the
//! case's interactions: through `datasource.execute-json` when the component has it, through
//! `datasource.execute`, and, where its input can be expressed in WIT types, through the typed
//! `commands` function named after the command. The expectation is checked against the
//! component's JSON result (execute-json's, else execute's with the error in its JSON form), and
//! every other path must agree with it. Every request the component sends is checked against the
//! next expected interaction; everything else the contract promises (no stray bearer token, no
//! leaked secret, no unused interaction) is checked after each call.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Result;
use bytes::Bytes;
use serde_json::Value;
use wasmtime::component::Val;

use crate::fixture::{self, BodyCheck, Expect, ExpectedRequest, Fixture, Interaction, Reply};
use crate::http_hook::{Answer, Backend, Responder, SentRequest, bearer_allowed};
use crate::runtime::{CallReport, HostConfig, Runtime, WitError};
use crate::typed;

/// The outcome of one case.
#[derive(Debug)]
pub struct CaseReport {
    pub path: PathBuf,
    pub description: String,
    /// The paths the case ran through and compared (`execute-json`, `execute`, `typed`).
    pub paths: Vec<&'static str>,
    /// Why a path ran but was not compared, when one was not.
    pub note: Option<String>,
    pub failures: Vec<String>,
}

impl CaseReport {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }

    /// Whether the case ran through `path` and compared it.
    pub fn ran(&self, path: &str) -> bool {
        self.paths.contains(&path)
    }
}

/// Runs every case under `paths` and prints one line per case (and the failures' details).
/// Returns (passed, failed).
pub fn replay_paths(
    runtime: &Runtime,
    paths: &[PathBuf],
    out: &mut dyn std::io::Write,
) -> Result<(usize, usize)> {
    let files = fixture::collect(paths)?;
    let rt = crate::runtime::virtual_time_runtime()?;
    let (mut passed, mut failed) = (0, 0);
    for file in files {
        let report = rt.block_on(run_file(runtime, &file));
        let mark = if report.passed() { "ok  " } else { "FAIL" };
        let mut via = report.paths.join("+");
        if let Some(note) = &report.note {
            via.push_str(&format!("; {note}"));
        }
        writeln!(
            out,
            "{mark} {} ({via}) {}",
            file.display(),
            report.description
        )?;
        for failure in &report.failures {
            for (i, line) in failure.lines().enumerate() {
                writeln!(out, "     {}{line}", if i == 0 { "- " } else { "  " })?;
            }
        }
        if report.passed() {
            passed += 1;
        } else {
            failed += 1;
        }
    }
    writeln!(out, "{passed} passed, {failed} failed")?;
    Ok((passed, failed))
}

/// Loads and runs one case file; a file that does not load is a failed case.
pub async fn run_file(runtime: &Runtime, path: &Path) -> CaseReport {
    match fixture::load(path) {
        Ok(case) => run_case(runtime, path, &case).await,
        Err(e) => CaseReport {
            path: path.to_path_buf(),
            description: String::new(),
            paths: Vec::new(),
            note: None,
            failures: vec![format!("the fixture does not load: {e:#}")],
        },
    }
}

/// `{"ok": output}` or `{"error": error}`, as execute-json returns it.
pub fn envelope(text: &str) -> Result<Result<Value, Value>, String> {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(mut map)) if map.len() == 1 => {
            if let Some(output) = map.remove("ok") {
                return Ok(Ok(output));
            }
            if let Some(error) = map.remove("error") {
                return Ok(Err(error));
            }
            Err(format!(
                "execute-json returned neither {{\"ok\": ...}} nor {{\"error\": ...}}: {text}"
            ))
        }
        _ => Err(format!(
            "execute-json returned neither {{\"ok\": ...}} nor {{\"error\": ...}}: {text}"
        )),
    }
}

/// `execute`'s result as JSON (the output text parsed, the error in its JSON form), and a
/// failure when the output is not JSON.
pub fn execute_result(result: &Result<String, WitError>) -> (Result<Value, Value>, Option<String>) {
    match result {
        Ok(text) => match serde_json::from_str::<Value>(text) {
            Ok(v) => (Ok(v), None),
            Err(e) => (
                Ok(Value::String(text.clone())),
                Some(format!(
                    "execute returned output that is not JSON ({e}): {text}"
                )),
            ),
        },
        Err(e) => (Err(e.to_json()), None),
    }
}

/// The component's JSON result for one call: execute-json's when the component has it, else
/// execute's with the error variant in its JSON form.
pub async fn json_result(
    runtime: &Runtime,
    config: HostConfig,
    backend: Backend,
    command: &str,
    input: &str,
) -> Result<Result<Value, Value>> {
    if runtime.exports().execute_json.is_some()
        && let Some((text, _)) = runtime
            .execute_json(config.clone(), backend.clone(), command, input)
            .await?
    {
        return envelope(&text).map_err(anyhow::Error::msg);
    }
    let (result, _) = runtime.execute(config, backend, command, input).await?;
    Ok(execute_result(&result).0)
}

/// What one case run collects.
struct Run {
    failures: Vec<String>,
    paths: Vec<&'static str>,
}

impl Run {
    /// Failures of a path other than the first: those equal to one already reported (the
    /// paths usually fail the same way) are not repeated.
    fn secondary(&mut self, path: &str, failures: Vec<String>) {
        let new: Vec<String> = failures
            .into_iter()
            .filter(|f| !self.failures.contains(f))
            .map(|f| format!("[{path}] {f}"))
            .collect();
        self.failures.extend(new);
    }
}

/// Runs one case through every path the component has and checks everything.
pub async fn run_case(runtime: &Runtime, path: &Path, case: &Fixture) -> CaseReport {
    let mut run = Run {
        failures: Vec::new(),
        paths: Vec::new(),
    };
    let config = HostConfig {
        access_token: case.access_token(),
        client_secret: case.client_secret(),
        settings: case.settings(),
        now: case.now,
    };
    let secrets: Vec<String> = [&config.access_token, &config.client_secret]
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .cloned()
        .collect();
    let input = case.input_text();
    let has_execute_json = runtime.exports().execute_json.is_some();

    // The component's JSON, which the expectation is checked against.
    let mut reference = None;
    if has_execute_json {
        run.paths.push("execute-json");
        let script = Script::new(case.interactions.clone());
        let backend = Backend::Scripted(script.clone());
        match runtime
            .execute_json(config.clone(), backend, &case.command, &input)
            .await
        {
            Ok(Some((text, report))) => {
                let json = envelope(&text).unwrap_or_else(|failure| {
                    run.failures.push(failure);
                    Ok(Value::String(text.clone()))
                });
                run.failures.extend(script.finish());
                run.failures.extend(check_expect(&case.expect, &json));
                run.failures.extend(check_secrets(&secrets, &json, &report));
                reference = Some(json);
            }
            Ok(None) => {}
            Err(trap) => run
                .failures
                .push(format!("execute-json trapped or timed out: {trap:#}")),
        }
    }

    run.paths.push("execute");
    let script = Script::new(case.interactions.clone());
    let backend = Backend::Scripted(script.clone());
    match runtime
        .execute(config.clone(), backend, &case.command, &input)
        .await
    {
        Ok((result, report)) => {
            let (json, not_json) = execute_result(&result);
            let mut own: Vec<String> = not_json.into_iter().collect();
            own.extend(script.finish());
            own.extend(check_secrets(&secrets, &json, &report));
            if has_execute_json {
                run.secondary("execute", own);
                if let Some(reference) = &reference {
                    run.failures
                        .extend(execute_agrees(&result, &json, reference));
                }
            } else {
                run.failures.extend(own);
                run.failures.extend(check_expect(&case.expect, &json));
            }
            reference.get_or_insert(json);
        }
        Err(trap) => run
            .failures
            .push(format!("execute trapped or timed out: {trap:#}")),
    }

    let note = run_typed(
        runtime,
        case,
        &config,
        &secrets,
        reference.as_ref(),
        &mut run,
    )
    .await;
    CaseReport {
        path: path.to_path_buf(),
        description: case.description.clone(),
        paths: run.paths,
        note,
        failures: run.failures,
    }
}

/// execute against execute-json: the same output text, or the same error by the JSON rule.
fn execute_agrees(
    result: &Result<String, WitError>,
    json: &Result<Value, Value>,
    reference: &Result<Value, Value>,
) -> Vec<String> {
    let differences = match (result, json, reference) {
        (Ok(_), Ok(got), Ok(want)) => {
            let mut out = Vec::new();
            json_diff(want, got, "output", false, &mut out);
            out
        }
        (Err(error), _, Err(error_json)) => {
            let mut out = typed::Differences::default();
            typed::agree_error(&error.val, &error.ty, error_json, &mut out);
            out.values.into_iter().chain(out.keys).collect()
        }
        _ => vec!["different results".to_string()],
    };
    if differences.is_empty() {
        return Vec::new();
    }
    vec![format!(
        "execute and execute-json disagree:\n{}\n execute-json: {}\n execute:      {}",
        differences.join("\n"),
        show(reference),
        show(json)
    )]
}

/// The typed path, when the component has a function named after the command and the input
/// has a typed form; returns a note when it ran but was compared only in part, or not at all.
async fn run_typed(
    runtime: &Runtime,
    case: &Fixture,
    config: &HostConfig,
    secrets: &[String],
    reference: Option<&Result<Value, Value>>,
    run: &mut Run,
) -> Option<String> {
    if case.input_text.is_some() {
        return None;
    }
    let function = runtime.exports().command(&case.command)?;
    let input = case.input_value().ok()?;
    let args = typed::arguments(&function.ty, &input)?;
    let Some(ty) = function.result_type() else {
        run.failures.push(format!(
            "the typed function {} returns nothing",
            function.name
        ));
        return None;
    };
    let call = async |values: &[Val]| {
        let script = Script::new(case.interactions.clone());
        let backend = Backend::Scripted(script.clone());
        let outcome = runtime
            .call_fresh(config.clone(), backend, function, values)
            .await;
        outcome.map(|(val, report)| {
            let json = typed::result_json(&val, &ty);
            let differences = reference
                .map(|reference| typed::agree_result(&val, &ty, reference))
                .unwrap_or_default();
            TypedRun {
                leaks: check_secrets(secrets, &json, &report),
                json,
                differences,
                script,
            }
        })
    };
    let mut note = None;
    let mut typed = match call(&args.values).await {
        Ok(typed) => typed,
        Err(trap) => {
            run.paths.push("typed");
            run.failures
                .push(format!("[typed] the call trapped or timed out: {trap:#}"));
            return None;
        }
    };
    if !typed.differences.is_empty()
        && let Some(literal) = &args.literal
        && let Ok(again) = call(literal).await
        && again.differences.is_empty()
    {
        typed = again;
        note = Some(format!(
            "typed took `\"\"` as the empty string, not none, for {}",
            args.emptied.join(", ")
        ));
    }
    if !typed.differences.is_empty()
        && let Some(field) =
            reference.and_then(|reference| coerced_field(&args.coerced, [reference, &typed.json]))
    {
        // The typed call went another way because of how the input is spelled, not because of
        // the function: only what must hold on any path is checked.
        let violations = typed.script.violations();
        run.secondary("typed", violations.into_iter().chain(typed.leaks).collect());
        return Some(format!(
            "typed ran, not compared: the JSON reader and the typed form read `{field}` differently"
        ));
    }
    run.paths.push("typed");
    let own = typed.script.finish().into_iter().chain(typed.leaks);
    run.secondary("typed", own.collect());
    let mut differences = typed.differences.values;
    if runtime.exports().execute_json.is_some() {
        differences.extend(typed.differences.keys);
    } else if !typed.differences.keys.is_empty() {
        // Before execute-json, the component shaped some JSON outputs its own way; their keys
        // are shown, and the values they share still compared.
        let keys: Vec<&str> = typed
            .differences
            .keys
            .iter()
            .filter_map(|k| k.split(':').next())
            .collect();
        note = Some(format!(
            "keys of one side only (checked once the component has execute-json): {}",
            keys.join(", ")
        ));
    }
    if let Some(reference) = reference
        && !differences.is_empty()
    {
        run.failures.push(format!(
            "the typed function and the JSON result disagree:\n{}\n JSON:  {}\n typed: {}",
            differences.join("\n"),
            show(reference),
            show(&typed.json)
        ));
    }
    note
}

/// One typed call, and what it saw.
struct TypedRun {
    json: Result<Value, Value>,
    differences: typed::Differences,
    leaks: Vec<String>,
    script: Arc<Script>,
}

/// The field an `invalid-input` error names, when the typed form coerced that field's JSON
/// value (`"text": 7` is the text "7" to the typed form but the wrong type to the JSON reader;
/// `"uploadToken": ""` is none to the typed form but a token to the reader).
fn coerced_field(coerced: &[String], results: [&Result<Value, Value>; 2]) -> Option<String> {
    results.into_iter().find_map(|result| {
        let error = result.as_ref().err()?;
        let kind = error.get("kind")?.as_str()?;
        let field = error.get("field")?.as_str()?;
        (typed::same_name(kind, "invalid-input") && coerced.iter().any(|c| c == field))
            .then(|| field.to_string())
    })
}

fn show(result: &Result<Value, Value>) -> String {
    match result {
        Ok(v) => format!("ok {v}"),
        Err(e) => format!("error {e}"),
    }
}

/// The ordered interactions of one run, and what went wrong with them.
pub struct Script {
    state: Mutex<ScriptState>,
}

struct ScriptState {
    interactions: Vec<Interaction>,
    next: usize,
    sent: usize,
    failures: Vec<String>,
    /// Requests that broke a rule every call must keep (a bearer token to another host).
    violations: Vec<String>,
}

impl Script {
    pub fn new(interactions: Vec<Interaction>) -> Arc<Script> {
        Arc::new(Script {
            state: Mutex::new(ScriptState {
                interactions,
                next: 0,
                sent: 0,
                failures: Vec::new(),
                violations: Vec::new(),
            }),
        })
    }

    /// The failures seen, including interactions never used.
    pub fn finish(&self) -> Vec<String> {
        let state = self.state.lock().expect("script lock");
        let mut failures = state.violations.clone();
        failures.extend(state.failures.iter().cloned());
        for (i, unused) in state.interactions.iter().enumerate().skip(state.next) {
            failures.push(format!(
                "interaction {i} was never requested: {} {}",
                unused.request.method, unused.request.url
            ));
        }
        failures
    }

    /// Only the requests that broke a rule any call must keep, whatever it was asked to do.
    pub fn violations(&self) -> Vec<String> {
        self.state.lock().expect("script lock").violations.clone()
    }
}

impl Responder for Script {
    fn respond(&self, request: SentRequest) -> Answer {
        let mut state = self.state.lock().expect("script lock");
        let number = state.sent;
        state.sent += 1;
        if request.header("authorization").is_some() && !bearer_allowed(&request.url) {
            state.violations.push(format!(
                "request {number} carries Authorization to a host that must not get it: {} {}",
                request.method, request.url
            ));
        }
        let next = state.next;
        let differences = match state.interactions.get(next) {
            Some(expected) => compare(&expected.request, &request),
            None => {
                let failure = format!(
                    "unexpected request {number} (all {} interactions were used):\n{}",
                    state.interactions.len(),
                    describe_sent(&request)
                );
                state.failures.push(failure);
                return Answer::Denied;
            }
        };
        if differences.is_empty() {
            state.next += 1;
            return answer(&state.interactions[next].response);
        }
        // Show the closest remaining interaction, which is usually the one meant.
        let (closest, closest_differences) = state.interactions[next..]
            .iter()
            .enumerate()
            .map(|(i, interaction)| (next + i, compare(&interaction.request, &request)))
            .min_by_key(|(_, d)| d.len())
            .unwrap_or((next, differences));
        let failure = format!(
            "unexpected request {number}:\n{}\nclosest expected is interaction {closest}: {} {}\n{}",
            describe_sent(&request),
            state.interactions[closest].request.method,
            state.interactions[closest].request.url,
            closest_differences
                .iter()
                .map(|d| format!("  * {d}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
        state.failures.push(failure);
        Answer::Denied
    }
}

/// A request as a few readable lines (Authorization redacted).
pub fn describe_sent(request: &SentRequest) -> String {
    let mut out = format!("  {} {}", request.method, request.url);
    for (name, value) in &request.headers {
        let value = if name == "authorization" {
            redact_bearer(value)
        } else {
            value.clone()
        };
        out.push_str(&format!("\n  {name}: {value}"));
    }
    if !request.body.is_empty() {
        match std::str::from_utf8(&request.body) {
            Ok(text) if text.len() <= 4096 => out.push_str(&format!("\n  body: {text}")),
            _ => out.push_str(&format!("\n  body: {} bytes", request.body.len())),
        }
    }
    out
}

/// `Bearer <token>` with the token replaced; the scheme stays visible.
pub fn redact_bearer(value: &str) -> String {
    match value.split_once(' ') {
        Some((scheme, _)) => format!("{scheme} [redacted]"),
        None => "[redacted]".into(),
    }
}

/// The answer an interaction gives.
pub fn answer(reply: &Reply) -> Answer {
    match reply {
        Reply::Fault { fault } => Answer::Fault(*fault),
        Reply::Http {
            status, headers, ..
        } => Answer::Http {
            status: *status,
            headers: headers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            // Validated when the fixture loaded.
            body: Bytes::from(reply.body_bytes().unwrap_or_default()),
        },
    }
}

/// Every way `sent` differs from `expected`; empty when it matches.
pub fn compare(expected: &ExpectedRequest, sent: &SentRequest) -> Vec<String> {
    let mut out = Vec::new();
    if !expected.method.eq_ignore_ascii_case(&sent.method) {
        out.push(format!(
            "method: expected {}, sent {}",
            expected.method, sent.method
        ));
    }
    out.extend(compare_url(&expected.url, &sent.url));
    for (name, value) in &expected.headers {
        match (value, sent.header(name)) {
            (Some(want), Some(got)) if want == got => {}
            (Some(want), Some(got)) => out.push(format!(
                "header {name}: expected {want:?}, sent {:?}",
                if name.eq_ignore_ascii_case("authorization") {
                    redact_bearer(got)
                } else {
                    got.to_string()
                }
            )),
            (Some(want), None) => out.push(format!("header {name}: expected {want:?}, not sent")),
            (None, Some(_)) => out.push(format!("header {name}: must be absent, but was sent")),
            (None, None) => {}
        }
    }
    match expected.body_check() {
        Err(e) => out.push(format!("the expected body is invalid: {e:#}")),
        Ok(BodyCheck::None) => {
            if !sent.body.is_empty() {
                out.push(format!(
                    "body: expected none, sent {} bytes",
                    sent.body.len()
                ));
            }
        }
        Ok(BodyCheck::Bytes(want)) => {
            if want != sent.body {
                out.push(format!(
                    "body: expected {} bytes, sent {} bytes that differ{}",
                    want.len(),
                    sent.body.len(),
                    first_difference(&want, &sent.body)
                ));
            }
        }
        Ok(BodyCheck::Json(want)) | Ok(BodyCheck::JsonContains(want)) => {
            let contains = expected.json.is_none();
            match serde_json::from_slice::<Value>(&sent.body) {
                Ok(got) => json_diff(&want, &got, "$", contains, &mut out),
                Err(_) => out.push(format!(
                    "body: expected JSON, sent {}",
                    if sent.body.is_empty() {
                        "no body".to_string()
                    } else {
                        format!("{} bytes that are not JSON", sent.body.len())
                    }
                )),
            }
        }
    }
    out
}

fn first_difference(a: &[u8], b: &[u8]) -> String {
    let at = a
        .iter()
        .zip(b)
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()));
    format!(" (first at byte {at})")
}

/// Scheme, host and path compared exactly (encoding matters in paths); query parameters
/// compared as a multiset after RFC 3986 normalisation only ([`normalise`]).
fn compare_url(expected: &str, sent: &str) -> Vec<String> {
    let split = |url: &str| -> (String, String) {
        match url.split_once('?') {
            Some((base, query)) => (base.to_string(), query.to_string()),
            None => (url.to_string(), String::new()),
        }
    };
    let (want_base, want_query) = split(expected);
    let (got_base, got_query) = split(sent);
    let mut out = Vec::new();
    if want_base != got_base {
        out.push(format!("url: expected {want_base}, sent {got_base}"));
    }
    let (want, got) = (query_multiset(&want_query), query_multiset(&got_query));
    if want != got {
        out.push(format!(
            "query: expected {want_query}, sent {got_query} (compared as parameters after \
             RFC 3986 normalisation: {want:?} vs {got:?})"
        ));
    }
    out
}

fn query_multiset(query: &str) -> BTreeMap<(String, String), usize> {
    let mut set = BTreeMap::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        *set.entry((normalise(k), normalise(v))).or_insert(0) += 1;
    }
    set
}

/// A query name or value after RFC 3986 normalisation (section 6.2.2) and nothing more: escapes
/// of unreserved characters (letters, digits, `-._~`) are decoded and the hex of the others is
/// upper-cased. A reserved character and its escape stay different: in Rest.li 2.0 `(` is
/// structure and `%28` a literal parenthesis. `+` and `%20` stay different too.
pub fn normalise(text: &str) -> String {
    let hex = |b: u8| (b as char).to_digit(16);
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escape = match bytes.get(i..i + 3) {
            Some([b'%', high, low]) => hex(*high).zip(hex(*low)).map(|(h, l)| (h * 16 + l) as u8),
            _ => None,
        };
        match escape {
            Some(byte) if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) => {
                out.push(byte);
                i += 3;
            }
            Some(_) => {
                out.push(b'%');
                out.extend(bytes[i + 1..i + 3].to_ascii_uppercase());
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Structural JSON comparison with a path for each difference. With `contains`, objects in
/// `want` need only their listed keys (deeply); arrays are always compared exactly.
pub fn json_diff(want: &Value, got: &Value, path: &str, contains: bool, out: &mut Vec<String>) {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (key, wv) in w {
                match g.get(key) {
                    Some(gv) => json_diff(wv, gv, &format!("{path}.{key}"), contains, out),
                    None => out.push(format!("{path}.{key}: expected {wv}, missing")),
                }
            }
            if !contains {
                for key in g.keys().filter(|k| !w.contains_key(*k)) {
                    out.push(format!("{path}.{key}: not expected, sent {}", g[key]));
                }
            }
        }
        (Value::Array(w), Value::Array(g)) => {
            if w.len() != g.len() {
                out.push(format!(
                    "{path}: expected {} items, got {}: {got}",
                    w.len(),
                    g.len()
                ));
            } else {
                for (i, (wv, gv)) in w.iter().zip(g).enumerate() {
                    json_diff(wv, gv, &format!("{path}[{i}]"), false, out);
                }
            }
        }
        _ if same(want, got) => {}
        _ => out.push(format!("{path}: expected {want}, got {got}")),
    }
}

/// JSON values compared by value: objects by their members in any order, and numbers by the
/// number they are (`1` equals `1.0`), since a case writes numbers as a person would.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i128(), y.as_i128()) {
            (Some(x), Some(y)) => x == y,
            _ => x.as_f64().is_some_and(|x| y.as_f64() == Some(x)),
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// Checks the result against `expect`.
pub fn check_expect(expect: &Expect, result: &Result<Value, Value>) -> Vec<String> {
    let mut out = Vec::new();
    match (expect, result) {
        (Expect::Ok(want), Ok(got)) => {
            for (key, wv) in want {
                match got.get(key) {
                    Some(gv) if same(gv, wv) => {}
                    Some(gv) => out.push(format!("output.{key}: expected {wv}, got {gv}")),
                    None => out.push(format!("output.{key}: expected {wv}, missing from {got}")),
                }
            }
        }
        (Expect::Ok(_), Err(e)) => out.push(format!("expected ok, got error {e}")),
        (Expect::Error(want), Ok(got)) => out.push(format!(
            "expected error {}, got ok {got}",
            want.get("kind").unwrap_or(&Value::Null)
        )),
        (Expect::Error(want), Err(got)) => {
            for (key, wv) in want {
                if key == "messageContains" {
                    let message = got.get("message").and_then(Value::as_str).unwrap_or("");
                    let needle = wv.as_str().unwrap_or("");
                    if !message.contains(needle) {
                        out.push(format!(
                            "error.message: expected to contain {needle:?}, got {message:?}"
                        ));
                    }
                    continue;
                }
                match got.get(key) {
                    Some(gv) if same(gv, wv) => {}
                    Some(gv) => out.push(format!("error.{key}: expected {wv}, got {gv}")),
                    None => out.push(format!("error.{key}: expected {wv}, missing from {got}")),
                }
            }
        }
    }
    out
}

/// No secret may appear in the output, the error, or anything the guest printed: as written,
/// in any string of the result, or in a string read back as little text (a backslash before
/// each reserved character, as a post's commentary stores it).
pub fn check_secrets(
    secrets: &[String],
    result: &Result<Value, Value>,
    report: &CallReport,
) -> Vec<String> {
    let value = match result {
        Ok(v) | Err(v) => v,
    };
    let text = value.to_string();
    let mut strings = Vec::new();
    strings_of(value, &mut strings);
    let little: String = strings
        .iter()
        .map(|s| little_unescaped(s))
        .collect::<Vec<_>>()
        .join("\n");
    let places = [
        ("the result", text.as_str()),
        ("the result read as little text", little.as_str()),
        ("stdout", &report.stdout),
        ("stderr", &report.stderr),
    ];
    let mut out = Vec::new();
    for secret in secrets {
        for (place, content) in places {
            if content.contains(secret.as_str()) {
                out.push(format!(
                    "a secret (length {}) appears in {place}",
                    secret.len()
                ));
            }
        }
    }
    out
}

/// Every string of `value`, keys included.
fn strings_of<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| strings_of(v, out)),
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k);
                strings_of(v, out);
            }
        }
        _ => {}
    }
}

/// `text` with every backslash escape of little text undone.
fn little_unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sent(method: &str, url: &str, headers: &[(&str, &str)], body: &str) -> SentRequest {
        SentRequest::of(method, url, headers, body)
    }

    fn expected(value: Value) -> ExpectedRequest {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn query_is_a_multiset_after_rfc3986_normalisation_only() {
        let same = |a: &str, b: &str| compare_url(a, b).is_empty();
        assert!(
            same("https://h/p?a=1&b=2", "https://h/p?b=2&a=1"),
            "order is free"
        );
        assert!(
            !same("https://h/p?a=1&a=1", "https://h/p?a=1"),
            "repeats count"
        );
        assert!(
            same("https://h/p?n=%7Ejo%2Db%41", "https://h/p?n=~jo-bA"),
            "unreserved escapes decode"
        );
        assert!(
            same("https://h/p?u=%3a%2f", "https://h/p?u=%3A%2F"),
            "hex case is free"
        );
        assert!(
            !same("https://h/p?s=%28a%3Ab%29", "https://h/p?s=(a:b)"),
            "a reserved character and its escape differ (Rest.li structure vs literal)"
        );
        assert!(
            !same("https://h/p?b=urn%3Ali%3Ax", "https://h/p?b=urn:li:x"),
            "`:` is reserved"
        );
        assert!(
            !same("https://h/p?q=a+b", "https://h/p?q=a%20b"),
            "`+` is not a space"
        );
        assert!(!same("https://h/p%3A", "https://h/p:"), "paths compare raw");
    }

    #[test]
    fn normalise_keeps_what_it_does_not_understand() {
        assert_eq!(normalise("%zz%4"), "%zz%4");
        assert_eq!(normalise("%c3%a9"), "%C3%A9");
        assert_eq!(normalise("é(%2d)"), "é(-)");
    }

    #[test]
    fn each_difference_is_reported() {
        let want = expected(json!({
            "method": "POST", "url": "https://api.linkedin.com/rest/posts",
            "headers": {"linkedin-version": "202609", "x-absent": null},
            "json": {"a": 1, "b": [1, 2]}
        }));
        let ok = sent(
            "POST",
            "https://api.linkedin.com/rest/posts",
            &[("linkedin-version", "202609")],
            r#"{"b":[1,2],"a":1}"#,
        );
        assert!(compare(&want, &ok).is_empty());
        let bad = sent(
            "PUT",
            "https://api.linkedin.com/rest/post",
            &[("x-absent", "1")],
            r#"{"a":2,"b":[1],"c":0}"#,
        );
        let d = compare(&want, &bad);
        assert!(d.iter().any(|x| x.starts_with("method")), "{d:?}");
        assert!(d.iter().any(|x| x.starts_with("url")), "{d:?}");
        assert!(
            d.iter().any(|x| x.starts_with("header linkedin-version")),
            "{d:?}"
        );
        assert!(d.iter().any(|x| x.starts_with("header x-absent")), "{d:?}");
        assert!(d.iter().any(|x| x.starts_with("$.a")), "{d:?}");
        assert!(d.iter().any(|x| x.starts_with("$.b")), "{d:?}");
        assert!(d.iter().any(|x| x.starts_with("$.c")), "{d:?}");
    }

    #[test]
    fn json_contains_checks_listed_keys_only() {
        let want = expected(
            json!({"method": "POST", "url": "https://h/", "jsonContains": {"a": {"b": 1}}}),
        );
        assert!(
            compare(
                &want,
                &sent("POST", "https://h/", &[], r#"{"a":{"b":1,"c":2},"d":3}"#)
            )
            .is_empty()
        );
        assert!(!compare(&want, &sent("POST", "https://h/", &[], r#"{"a":{"b":2}}"#)).is_empty());
    }

    #[test]
    fn no_body_key_means_no_body() {
        let want = expected(json!({"method": "GET", "url": "https://h/"}));
        assert!(!compare(&want, &sent("GET", "https://h/", &[], "x")).is_empty());
    }

    #[test]
    fn expectations() {
        let ok = Expect::Ok(json!({"id": "x"}).as_object().unwrap().clone());
        assert!(check_expect(&ok, &Ok(json!({"id": "x", "raw": {}}))).is_empty());
        assert!(!check_expect(&ok, &Ok(json!({"id": "y"}))).is_empty());
        assert!(!check_expect(&ok, &Err(json!({"kind": "api"}))).is_empty());
        let err = Expect::Error(
            json!({"kind": "api", "status": 500, "messageContains": "HTTP 500"})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert!(
            check_expect(
                &err,
                &Err(
                    json!({"kind": "api", "status": 500, "message": "LinkedIn answered HTTP 500"})
                )
            )
            .is_empty()
        );
        assert_eq!(
            check_expect(
                &err,
                &Err(json!({"kind": "api", "status": 502, "message": "x"}))
            )
            .len(),
            2
        );
    }

    #[test]
    fn secrets_are_found_anywhere() {
        let report = CallReport {
            stderr: "log: Bearer s3cret".into(),
            ..CallReport::default()
        };
        let found = check_secrets(&["s3cret".into()], &Ok(json!({"a": "s3cret"})), &report);
        assert_eq!(found.len(), 3);
        let escaped = check_secrets(
            &["s3_cr(et".into()],
            &Err(json!({"text": "x s3\\_cr\\(et y"})),
            &CallReport::default(),
        );
        assert_eq!(
            escaped,
            ["a secret (length 8) appears in the result read as little text"]
        );
        assert!(
            !found[0].contains("s3cret"),
            "the report must not print the secret itself"
        );
    }
}
