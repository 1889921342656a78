//! A fuzzer at the component's boundary: random command names, random inputs (mostly built from
//! the catalog's parameters, sometimes not JSON at all) and random answers from a scripted
//! LinkedIn, through `datasource.execute` and `datasource.execute-json` of the real component.
//! Every case must show that
//!
//! 1. the call does not trap or run out of time (each call runs on a fresh store with the
//!    default limits: 64 MiB of guest memory, guest execution interrupted by epoch);
//! 2. every failure is a typed error (execute: ok with a JSON object or the error variant;
//!    execute-json: `{"ok": {...}}` or `{"error": {"kind": <an error case>, "message": ...}}`),
//!    and the two entry points agree;
//! 3. the access token goes only to `https://api.linkedin.com`, to upload URLs and (in the form
//!    body) to token introspection; the client secret only to introspection's body; an
//!    `Authorization` header only to the API host and upload URLs; no request goes to an IP
//!    address, `localhost`, a single-label or a private special-use name;
//! 4. no secret, in any form, comes back in an output, an error, or the guest's stdout/stderr.
//!
//! Each case is a function of its seed ([`rng::case_seed`] of the run's seed and the case
//! number), given the same component, fixtures (the seed corpus) and fuzzer:
//! `host-test fuzz --case SEED` replays one and prints everything it did.

pub mod answers;
pub mod checks;
pub mod inputs;
pub mod rng;

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use wasmtime::component::Val;
use wasmtime::component::types::Type;

use crate::http_hook::Backend;
use crate::runtime::{CallReport, HostConfig, Runtime, WitError, report};
use answers::{Exchange, FuzzResponder, MAX_REQUESTS};
use checks::Secret;
use inputs::{Case, Catalog};

/// How long a fuzz run lasts and where its cases come from.
#[derive(Clone, Copy, Debug)]
pub struct FuzzOptions {
    /// Stop after this long (wall clock).
    pub seconds: Option<u64>,
    /// Stop after this many cases.
    pub cases: Option<u64>,
    /// The run's seed: with the same seed and component, the same cases in the same order.
    pub seed: u64,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct FuzzReport {
    pub seed: u64,
    pub cases: u64,
    pub elapsed: Duration,
    /// Cases per command name (names that are no command count as `(not a command)`).
    pub by_command: BTreeMap<String, u64>,
    /// Cases per result of `execute`: `ok` or the error kind (`trap` when it trapped).
    pub by_outcome: BTreeMap<String, u64>,
    /// Requests the component sent, over all cases.
    pub requests: u64,
    /// The failed cases (the run stops after [`MAX_FAILURES`]).
    pub failures: Vec<Failure>,
}

impl FuzzReport {
    pub fn cases_per_second(&self) -> f64 {
        self.cases as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// `fuzz: 123456 cases in 600 s (seed 42), 0 failures`.
    pub fn summary(&self) -> String {
        format!(
            "fuzz: {} cases in {:.0} s (seed {}), {} failures",
            self.cases,
            self.elapsed.as_secs_f64(),
            self.seed,
            self.failures.len()
        )
    }

    /// The counts behind the summary, a few lines.
    pub fn details(&self) -> String {
        let list = |map: &BTreeMap<String, u64>| {
            map.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        format!(
            "  {:.0} cases/s, {} requests answered\n  commands: {}\n  execute results: {}",
            self.cases_per_second(),
            self.requests,
            list(&self.by_command),
            list(&self.by_outcome)
        )
    }
}

/// A run stops after this many failed cases: the first ones say what is wrong.
pub const MAX_FAILURES: usize = 10;

/// Which promise a case broke.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Property {
    NoTrap,
    Typed,
    Requests,
    NoLeak,
}

impl fmt::Display for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Property::NoTrap => "1 no trap",
            Property::Typed => "2 typed errors",
            Property::Requests => "3 where requests and secrets go",
            Property::NoLeak => "4 no secret in any output",
        })
    }
}

/// One broken promise.
#[derive(Clone, Debug)]
pub struct Problem {
    pub property: Property,
    pub detail: String,
}

/// A case that broke a promise, with everything needed to see why and to run it again.
#[derive(Clone, Debug)]
pub struct Failure {
    pub run_seed: u64,
    pub number: u64,
    pub outcome: CaseOutcome,
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "FAIL case {} of run seed {}: case seed {:#018x} (rerun: host-test fuzz --case {:#018x})",
            self.number, self.run_seed, self.outcome.case.seed, self.outcome.case.seed
        )?;
        write!(f, "{}", self.outcome)
    }
}

/// What one case did.
#[derive(Clone, Debug)]
pub struct CaseOutcome {
    pub case: Case,
    pub problems: Vec<Problem>,
    /// `execute`'s requests and their answers.
    pub exchanges: Vec<Exchange>,
    /// `execute`'s result, as text (`trap: ...` when it trapped).
    pub execute: String,
    /// `execute-json`'s text.
    pub execute_json: String,
    /// The error kind of `execute` (`ok`, or `trap`).
    pub outcome: String,
}

impl fmt::Display for CaseOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let case = &self.case;
        let secret = |s: &Option<String>, given: &str| match s.as_deref() {
            None => "none".to_string(),
            Some("") => "empty".to_string(),
            Some(_) => given.to_string(),
        };
        writeln!(
            f,
            "  command: {:?} (server {})",
            case.command,
            if case.calm_server { "calm" } else { "wild" }
        )?;
        writeln!(
            f,
            "  input ({} bytes): {}",
            case.input.len(),
            checks::shorten(&case.input)
        )?;
        writeln!(
            f,
            "  host: access token {}, client secret {}, settings {:?}, now {}",
            secret(&case.config.access_token, inputs::TOKEN),
            secret(&case.config.client_secret, inputs::CLIENT_SECRET),
            case.config.settings,
            case.config.now.unwrap_or_default()
        )?;
        for problem in &self.problems {
            writeln!(f, "  [property {}] {}", problem.property, problem.detail)?;
        }
        writeln!(f, "  requests (execute):")?;
        for (i, exchange) in self.exchanges.iter().enumerate() {
            let request = &exchange.request;
            writeln!(f, "    {}. {} {}", i + 1, request.method, request.url)?;
            for (name, value) in &request.headers {
                writeln!(f, "       {name}: {value}")?;
            }
            if !request.body.is_empty() {
                let body = match std::str::from_utf8(&request.body) {
                    Ok(text) => checks::shorten(text),
                    Err(_) => format!(
                        "base64 {}",
                        checks::shorten(&answers::base64(&request.body))
                    ),
                };
                writeln!(f, "       body: {body}")?;
            }
            writeln!(f, "       -> {}", exchange.answer)?;
        }
        writeln!(f, "  execute: {}", checks::shorten(&self.execute))?;
        writeln!(f, "  execute-json: {}", checks::shorten(&self.execute_json))
    }
}

/// How long a call may take in the paused clock's virtual time: the host's call limit plus the
/// longest wait for media processing an input may ask for (`waitSeconds` is at most 600). Guest
/// execution itself stays bounded by the epoch deadline of the default limits, in real time.
const MAX_MEDIA_WAIT: Duration = Duration::from_secs(600);

/// Runs cases until the time or case budget is spent (1,000 cases when neither is given), or
/// [`MAX_FAILURES`] cases failed.
pub fn run(runtime: &Runtime, options: FuzzOptions) -> Result<FuzzReport> {
    run_with_progress(runtime, options, |_| {})
}

/// [`run`], calling `progress` about every ten seconds with the report so far.
pub fn run_with_progress(
    runtime: &Runtime,
    options: FuzzOptions,
    mut progress: impl FnMut(&FuzzReport),
) -> Result<FuzzReport> {
    let rt = crate::runtime::virtual_time_runtime()?;
    rt.block_on(async {
        let fuzzer = Fuzzer::new(runtime).await?;
        let started = Instant::now();
        let deadline = options.seconds.map(Duration::from_secs);
        let mut report = FuzzReport {
            seed: options.seed,
            ..FuzzReport::default()
        };
        let mut last_progress = Instant::now();
        loop {
            if options.cases.is_some_and(|n| report.cases >= n)
                || deadline.is_some_and(|d| started.elapsed() >= d)
                || (options.cases.is_none() && deadline.is_none() && report.cases >= 1000)
                || report.failures.len() >= MAX_FAILURES
            {
                break;
            }
            let number = report.cases;
            let outcome = fuzzer.run_case(rng::case_seed(options.seed, number)).await;
            report.cases += 1;
            let command = if fuzzer.catalog.command(&outcome.case.command).is_some() {
                outcome.case.command.clone()
            } else {
                "(not a command)".to_string()
            };
            *report.by_command.entry(command).or_default() += 1;
            *report
                .by_outcome
                .entry(outcome.outcome.clone())
                .or_default() += 1;
            report.requests += outcome.exchanges.len() as u64;
            if !outcome.problems.is_empty() {
                report.failures.push(Failure {
                    run_seed: options.seed,
                    number,
                    outcome,
                });
            }
            if last_progress.elapsed() >= Duration::from_secs(10) {
                report.elapsed = started.elapsed();
                progress(&report);
                last_progress = Instant::now();
            }
        }
        report.elapsed = started.elapsed();
        Ok(report)
    })
}

/// Runs the one case with this seed (from a failure report) and returns everything it did.
pub fn run_one(runtime: &Runtime, case_seed: u64) -> Result<CaseOutcome> {
    let rt = crate::runtime::virtual_time_runtime()?;
    rt.block_on(async {
        let fuzzer = Fuzzer::new(runtime).await?;
        Ok(fuzzer.run_case(case_seed).await)
    })
}

/// What the runs share: the component, its catalog and its error cases.
struct Fuzzer<'a> {
    runtime: &'a Runtime,
    catalog: Catalog,
    /// The case names of the error variant, from the type of `execute`'s result.
    error_cases: Vec<String>,
}

/// The two results of one case, and what each call saw.
struct Calls {
    execute: Result<(Result<String, WitError>, CallReport)>,
    execute_json: Option<Result<(String, CallReport)>>,
}

impl<'a> Fuzzer<'a> {
    async fn new(runtime: &'a Runtime) -> Result<Fuzzer<'a>> {
        let catalog = Catalog::from_json(&crate::docs::catalog(&runtime.describe().await?))?
            .with_fixture_inputs(&crate::runtime::workspace_root().join("fixtures"));
        let error_cases = match runtime.exports().execute.result_type() {
            Some(Type::Result(result)) => match result.err() {
                Some(Type::Variant(variant)) => {
                    variant.cases().map(|c| c.name.to_string()).collect()
                }
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        if error_cases.is_empty() {
            return Err(anyhow!("execute's error is not a variant"));
        }
        Ok(Fuzzer {
            runtime,
            catalog,
            error_cases,
        })
    }

    async fn run_case(&self, seed: u64) -> CaseOutcome {
        let case = inputs::case(seed, &self.catalog);
        let secrets = checks::secrets(
            case.config.access_token.as_deref(),
            case.config.client_secret.as_deref(),
        );
        // Both entry points get the same server: the same answers to the same requests.
        let answers_seed = rng::mix(seed ^ 0xA5A5_A5A5_A5A5_A5A5);
        let now = case.config.now.unwrap_or_default();
        let server = FuzzResponder::new(answers_seed, now, case.calm_server);
        let json_server = FuzzResponder::new(answers_seed, now, case.calm_server);
        let calls = Calls {
            execute: self
                .call(&case, Backend::Scripted(server.clone()), false)
                .await
                .and_then(|(val, report)| Ok((self.execute_result(val)?, report))),
            execute_json: match self.runtime.exports().execute_json {
                Some(_) => Some(
                    self.call(&case, Backend::Scripted(json_server.clone()), true)
                        .await
                        .and_then(|(val, report)| match val {
                            Val::String(text) => Ok((text, report)),
                            other => Err(anyhow!("execute-json returned {other:?}, not text")),
                        }),
                ),
                None => None,
            },
        };
        let exchanges = server.exchanges();
        let json_exchanges = json_server.exchanges();
        let mut problems = Vec::new();
        self.check_results(&calls, &secrets, &mut problems);
        let mut seen = Vec::new();
        for exchange in exchanges.iter().chain(&json_exchanges) {
            for detail in checks::request_problems(&exchange.request, &secrets) {
                if !seen.contains(&detail) {
                    seen.push(detail.clone());
                    problems.push(Problem {
                        property: Property::Requests,
                        detail,
                    });
                }
            }
        }
        if exchanges.len().max(json_exchanges.len()) >= MAX_REQUESTS {
            problems.push(Problem {
                property: Property::NoTrap,
                detail: format!("the call sent {MAX_REQUESTS} requests or more"),
            });
        }
        let (execute, outcome) = match &calls.execute {
            Ok((Ok(text), _)) => (format!("ok {text}"), "ok".to_string()),
            Ok((Err(error), _)) => {
                let json = error.to_json();
                let kind = json["kind"].as_str().unwrap_or("?").to_string();
                (format!("error {json}"), kind)
            }
            Err(e) => (format!("trap: {e:#}"), "trap".to_string()),
        };
        let execute_json = match &calls.execute_json {
            Some(Ok((text, _))) => text.clone(),
            Some(Err(e)) => format!("trap: {e:#}"),
            None => "(the component has no execute-json)".to_string(),
        };
        CaseOutcome {
            case,
            problems,
            exchanges,
            execute,
            execute_json,
            outcome,
        }
    }

    /// Properties 1, 2 and 4 over both calls' results and what the guest printed.
    fn check_results(&self, calls: &Calls, secrets: &[Secret], problems: &mut Vec<Problem>) {
        let mut add = |property, details: Vec<String>| {
            problems.extend(
                details
                    .into_iter()
                    .map(|detail| Problem { property, detail }),
            );
        };
        match &calls.execute {
            Ok((result, report)) => {
                add(
                    Property::Typed,
                    checks::execute_problems(result, &self.error_cases),
                );
                let text = match result {
                    Ok(text) => text.clone(),
                    Err(error) => error.to_json().to_string(),
                };
                add(
                    Property::NoLeak,
                    checks::output_leaks("execute's result", text.as_bytes(), secrets),
                );
                add(Property::NoLeak, printed_leaks("execute", report, secrets));
            }
            Err(trap) => add(
                Property::NoTrap,
                vec![format!("execute trapped or ran out of time: {trap:#}")],
            ),
        }
        match &calls.execute_json {
            Some(Ok((text, report))) => {
                add(
                    Property::Typed,
                    checks::execute_json_problems(text, &self.error_cases),
                );
                add(
                    Property::NoLeak,
                    checks::output_leaks("execute-json's result", text.as_bytes(), secrets),
                );
                add(
                    Property::NoLeak,
                    printed_leaks("execute-json", report, secrets),
                );
                if let Ok((result, _)) = &calls.execute {
                    add(Property::Typed, checks::agreement_problems(result, text));
                }
            }
            Some(Err(trap)) => add(
                Property::NoTrap,
                vec![format!("execute-json trapped or ran out of time: {trap:#}")],
            ),
            None => {}
        }
    }

    /// `execute` (or `execute-json`) of the case on a fresh store and instance.
    async fn call(&self, case: &Case, backend: Backend, json: bool) -> Result<(Val, CallReport)> {
        let exports = self.runtime.exports();
        let function = match (json, &exports.execute_json) {
            (true, Some(function)) => function,
            _ => &exports.execute,
        };
        let config: HostConfig = case.config.clone();
        let mut store = self.runtime.store(config, backend);
        let args = [
            Val::String(case.command.clone()),
            Val::String(case.input.clone()),
        ];
        let allowance = self.runtime.limits().call_timeout + MAX_MEDIA_WAIT;
        let call = async {
            let instance = self.runtime.instantiate(&mut store).await?;
            self.runtime
                .call(&mut store, &instance, function, &args)
                .await
        };
        let val = match tokio::time::timeout(allowance, call).await {
            Ok(result) => result?,
            Err(_) => {
                return Err(anyhow!(
                    "the call did not finish within {allowance:?} (the host's call limit plus \
                     the longest media wait)"
                ));
            }
        };
        Ok((val, report(&store)))
    }

    /// `execute`'s value as the output text or the error variant.
    fn execute_result(&self, val: Val) -> Result<Result<String, WitError>> {
        let error_type = match self.runtime.exports().execute.result_type() {
            Some(Type::Result(result)) => result.err(),
            _ => None,
        };
        match (val, error_type) {
            (Val::Result(Ok(Some(output))), _) => match *output {
                Val::String(text) => Ok(Ok(text)),
                other => Err(anyhow!("execute returned {other:?}, not text")),
            },
            (Val::Result(Err(Some(error))), Some(ty)) => Ok(Err(WitError { val: *error, ty })),
            (other, _) => Err(anyhow!("execute returned {other:?}, not a result")),
        }
    }
}

/// Secrets in what the guest wrote to stdout and stderr.
fn printed_leaks(call: &str, report: &CallReport, secrets: &[Secret]) -> Vec<String> {
    let mut out = checks::output_leaks(
        &format!("{call}'s stdout"),
        report.stdout.as_bytes(),
        secrets,
    );
    out.extend(checks::output_leaks(
        &format!("{call}'s stderr"),
        report.stderr.as_bytes(),
        secrets,
    ));
    out
}
