//! `host-test bench`: size, compile, cached load, instantiate, per-call latency and guest memory,
//! each the median of many runs, on the release host.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use bytes::Bytes;
use wasmtime::component::Component;

use crate::fixture::{
    self, DEFAULT_ACCESS_TOKEN, DEFAULT_CLIENT_SECRET, DEFAULT_LINKEDIN_VERSION, Interaction, Reply,
};
use crate::http_hook::{Answer, Backend, Responder, SentRequest};
use crate::runtime::{self, HostConfig, Limits, Runtime, workspace_root};

/// Answers with the given interactions in turn, over and over, checking nothing. The answers
/// are built once (headers parsed, length added), so the cost of producing them stays out of
/// the component's figures.
struct Cycle {
    answers: Vec<Canned>,
    next: AtomicUsize,
}

/// A prepared HTTP answer.
struct Canned {
    status: http::StatusCode,
    headers: http::HeaderMap,
    body: Bytes,
}

impl Cycle {
    fn new(interactions: &[Interaction]) -> Result<Cycle> {
        let answers = interactions
            .iter()
            .map(|i| match &i.response {
                Reply::Http {
                    status, headers, ..
                } => {
                    let body = Bytes::from(i.response.body_bytes()?);
                    let mut map = http::HeaderMap::new();
                    for (name, value) in headers {
                        map.append(
                            http::HeaderName::try_from(name.as_str())?,
                            http::HeaderValue::try_from(value.as_str())?,
                        );
                    }
                    // A real server declares the length of a body it has whole.
                    if !map.contains_key(http::header::CONTENT_LENGTH) {
                        map.insert(http::header::CONTENT_LENGTH, body.len().into());
                    }
                    Ok(Canned {
                        status: http::StatusCode::from_u16(*status)?,
                        headers: map,
                        body,
                    })
                }
                Reply::Fault { .. } => {
                    anyhow::bail!("bench cases must answer with HTTP, not a fault")
                }
            })
            .collect::<Result<_>>()?;
        Ok(Cycle {
            answers,
            next: AtomicUsize::new(0),
        })
    }
}

impl Responder for Cycle {
    fn inspects_requests(&self) -> bool {
        false
    }

    fn respond(&self, _request: SentRequest) -> Answer {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.answers.len().max(1);
        match self.answers.get(i) {
            Some(a) => Answer::Prepared {
                status: a.status,
                headers: a.headers.clone(),
                body: a.body.clone(),
            },
            None => Answer::Denied,
        }
    }
}

/// The median of `runs` timings of `f`, after a warm-up.
fn median(runs: usize, mut f: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    for _ in 0..(runs / 10).clamp(1, 100) {
        f()?;
    }
    let mut times = (0..runs).map(|_| f()).collect::<Result<Vec<_>>>()?;
    times.sort();
    Ok(times[times.len() / 2])
}

/// How many rounds the per-call figures are measured in, and the pause between rounds.
const ROUNDS: usize = 8;
const ROUND_GAP: Duration = Duration::from_millis(250);

/// Per-call timings taken in [`ROUNDS`] rounds spread over ~2 s. The speed of a shared VM
/// changes by up to 2x from one moment to the next, and noise only ever adds time, so the
/// figure is the median of the fastest round, shown with the range of the round medians.
#[derive(Default)]
struct Rounds {
    /// The median of each round, fastest first.
    medians: Vec<Duration>,
}

fn per_round(runs: usize) -> usize {
    (runs / ROUNDS).max(1)
}

impl Rounds {
    /// Times `runs` calls of `f` (after a warm-up), in rounds.
    fn measure(runs: usize, mut f: impl FnMut() -> Result<Duration>) -> Result<Rounds> {
        for _ in 0..(runs / 10).clamp(1, 100) {
            f()?;
        }
        let mut rounds = Rounds::default();
        for round in 0..ROUNDS {
            rounds.pause_before(round);
            let times = (0..per_round(runs))
                .map(|_| f())
                .collect::<Result<Vec<_>>>()?;
            rounds.add(times);
        }
        Ok(rounds)
    }

    /// Spreads the rounds over time (the bench owns its thread; nothing else waits on it).
    fn pause_before(&self, round: usize) {
        if round > 0 {
            std::thread::sleep(ROUND_GAP);
        }
    }

    /// Adds one round's timings.
    fn add(&mut self, mut times: Vec<Duration>) {
        times.sort();
        self.medians.push(times[times.len() / 2]);
        self.medians.sort();
    }

    /// The median of the fastest round.
    fn best(&self) -> Duration {
        self.medians[0]
    }

    fn show(&self) -> String {
        format!(
            "{} (slowest of {} rounds {})",
            show(self.best()),
            self.medians.len(),
            show(self.medians[self.medians.len() - 1])
        )
    }
}

fn show(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.1} µs", ns / 1e3)
    }
}

pub fn run(path: &Path, runs: usize, focus: Option<&str>) -> Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    println!(
        "component        {}: {} bytes ({:.1} KiB)",
        path.display(),
        bytes.len(),
        bytes.len() as f64 / 1024.0
    );
    let limits = Limits::default();
    let engine = runtime::engine(&limits)?;
    let component = Component::new(&engine, &bytes)?;
    if focus.is_none() {
        let compile = median(5, || {
            let t = Instant::now();
            Component::new(&engine, &bytes)?;
            Ok(t.elapsed())
        })?;
        println!("compile          {} (median of 5)", show(compile));
        let t = Instant::now();
        let serialized = component.serialize()?;
        println!(
            "serialize        {} ({} bytes)",
            show(t.elapsed()),
            serialized.len()
        );
        let load_memory = median(50, || {
            let t = Instant::now();
            // SAFETY: the bytes were serialized just above by this engine.
            unsafe { Component::deserialize(&engine, &serialized)? };
            Ok(t.elapsed())
        })?;
        let cache_file = workspace_root().join("target/host-test-bench.cwasm");
        std::fs::write(&cache_file, &serialized)?;
        let load_file = median(50, || {
            let t = Instant::now();
            // SAFETY: the file was written just above from this engine's own serialization.
            unsafe { Component::deserialize_file(&engine, &cache_file)? };
            Ok(t.elapsed())
        })?;
        println!(
            "cached load      {} from memory, {} from a file (median of 50)",
            show(load_memory),
            show(load_file)
        );
    }

    let t = Instant::now();
    let host = Runtime::from_component(engine.clone(), &component, path, limits)?;
    println!("instantiate_pre  {} (once per process)", show(t.elapsed()));

    let rt = runtime::in_process_runtime()?;
    let config = HostConfig {
        access_token: Some(DEFAULT_ACCESS_TOKEN.into()),
        client_secret: Some(DEFAULT_CLIENT_SECRET.into()),
        settings: [(
            "linkedinVersion".to_string(),
            DEFAULT_LINKEDIN_VERSION.to_string(),
        )]
        .into(),
        now: None,
    };
    let idle = Backend::Scripted(Arc::new(Cycle::new(&[])?));
    if focus.is_none() {
        let instantiate = Rounds::measure(runs, || {
            rt.block_on(async {
                let t = Instant::now();
                let mut store = host.store(config.clone(), idle.clone());
                host.instantiate(&mut store).await?;
                Ok(t.elapsed())
            })
        })?;
        println!(
            "instantiate      {} new store + instance from the pre-instantiated component",
            instantiate.show()
        );
    }
    // The floor: one export call that fails input validation and sends nothing.
    let (floor, _) = rt.block_on(warm_calls(
        &host,
        &config,
        &idle,
        "get-user-info",
        "[]",
        runs,
        false,
    ))?;
    println!(
        "{:<16} {} per call on a warm instance (input rejected, no HTTP)",
        "(no-op call)",
        floor.show()
    );

    let mut cases = Vec::new();
    for file in fixture::collect(&[workspace_root().join("fixtures/demo")])? {
        let case = fixture::load(&file)?;
        if !case.interactions.is_empty() && focus.is_none_or(|f| f == case.command) {
            cases.push(case);
        }
    }
    for case in &cases {
        let backend = Backend::Scripted(Arc::new(Cycle::new(&case.interactions)?));
        let input = case.input_text();
        let (warm, memory) = rt.block_on(warm_calls(
            &host,
            &config,
            &backend,
            &case.command,
            &input,
            runs,
            true,
        ))?;
        if focus.is_some() {
            println!(
                "{:<16} {} per call on a warm instance",
                case.command,
                warm.show()
            );
            continue;
        }
        // What a platform does per query: new store, instantiate, call.
        let cold = Rounds::measure(runs, || {
            rt.block_on(async {
                let t = Instant::now();
                let (result, _) = host
                    .execute(config.clone(), backend.clone(), &case.command, &input)
                    .await?;
                anyhow::ensure!(result.is_ok(), "{} failed during the bench", case.command);
                Ok(t.elapsed())
            })
        })?;
        println!(
            "{:<16} {} per call on a warm instance",
            case.command,
            warm.show()
        );
        println!(
            "{:<16} {} with a new store + instance; guest memory {:.2} MiB",
            "",
            cold.show(),
            memory as f64 / (1024.0 * 1024.0)
        );
    }
    if focus.is_some() {
        return Ok(());
    }

    // The same calls on a host that does not interrupt guest code: the component's own cost,
    // for platforms that bound execution another way.
    let open = Limits {
        interrupt_guest: false,
        ..limits
    };
    let open_engine = runtime::engine(&open)?;
    let open_component = Component::new(&open_engine, &bytes)?;
    let open_host = Runtime::from_component(open_engine, &open_component, path, open)?;
    for case in &cases {
        let backend = Backend::Scripted(Arc::new(Cycle::new(&case.interactions)?));
        let (warm, _) = rt.block_on(warm_calls(
            &open_host,
            &config,
            &backend,
            &case.command,
            &case.input_text(),
            runs,
            true,
        ))?;
        println!(
            "{:<16} {} per call on a warm instance without guest interruption (epoch off)",
            case.command,
            warm.show()
        );
    }
    Ok(())
}

/// `runs` calls on one warm instance, timed in rounds, and its guest memory afterwards.
async fn warm_calls(
    host: &Runtime,
    config: &HostConfig,
    backend: &Backend,
    command: &str,
    input: &str,
    runs: usize,
    must_succeed: bool,
) -> Result<(Rounds, usize)> {
    let mut store = host.store(config.clone(), backend.clone());
    let instance = host.instantiate(&mut store).await?;
    let mut call = async || {
        let t = Instant::now();
        let result = host
            .execute_on(&mut store, &instance, command, input)
            .await?;
        let elapsed = t.elapsed();
        anyhow::ensure!(
            !must_succeed || result.is_ok(),
            "{command} failed during the bench: {:?}",
            result.map_err(|e| e.to_json())
        );
        Ok(elapsed)
    };
    for _ in 0..(runs / 10).clamp(1, 100) {
        call().await?;
    }
    let mut rounds = Rounds::default();
    for round in 0..ROUNDS {
        rounds.pause_before(round);
        let mut times = Vec::with_capacity(per_round(runs));
        for _ in 0..per_round(runs) {
            times.push(call().await?);
        }
        rounds.add(times);
    }
    Ok((rounds, runtime::report(&store).memory_bytes))
}
