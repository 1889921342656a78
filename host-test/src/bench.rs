//! `host-test bench`: size, compile, cached load, instantiate, per-call latency and guest memory,
//! each the median of many runs, on the release host.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use wasmtime::component::Component;

use crate::fixture::{
    self, DEFAULT_ACCESS_TOKEN, DEFAULT_CLIENT_SECRET, DEFAULT_LINKEDIN_VERSION, Interaction,
};
use crate::http_hook::{Answer, Backend, Responder, SentRequest};
use crate::replay::answer;
use crate::runtime::{self, HostConfig, Limits, Runtime, workspace_root};

/// Answers with the given interactions in turn, over and over, checking nothing: the cost of
/// the host's answer stays out of the component's figures.
struct Cycle {
    interactions: Vec<Interaction>,
    next: AtomicUsize,
}

impl Responder for Cycle {
    fn respond(&self, _request: SentRequest) -> Answer {
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.interactions.len();
        answer(&self.interactions[i].response)
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

fn show(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns >= 1e6 {
        format!("{:.2} ms", ns / 1e6)
    } else {
        format!("{:.1} µs", ns / 1e3)
    }
}

pub fn run(path: &Path, runs: usize) -> Result<()> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    println!(
        "component        {}: {} bytes ({:.1} KiB)",
        path.display(),
        bytes.len(),
        bytes.len() as f64 / 1024.0
    );
    let engine = runtime::engine()?;

    let compile = median(5, || {
        let t = Instant::now();
        Component::new(&engine, &bytes)?;
        Ok(t.elapsed())
    })?;
    println!("compile          {} (median of 5)", show(compile));

    let component = Component::new(&engine, &bytes)?;
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

    let t = Instant::now();
    let rt_host = Runtime::from_component(engine.clone(), &component, path, Limits::default())?;
    println!("instantiate_pre  {} (once per process)", show(t.elapsed()));

    let rt = runtime::tokio_runtime()?;
    let config = HostConfig {
        access_token: Some(DEFAULT_ACCESS_TOKEN.into()),
        client_secret: Some(DEFAULT_CLIENT_SECRET.into()),
        settings: [(
            "linkedinVersion".to_string(),
            DEFAULT_LINKEDIN_VERSION.to_string(),
        )]
        .into(),
    };
    let idle = Backend::Scripted(Arc::new(Cycle {
        interactions: Vec::new(),
        next: AtomicUsize::new(0),
    }));
    let instantiate = median(runs, || {
        rt.block_on(async {
            let t = Instant::now();
            let mut store = rt_host.store(config.clone(), idle.clone());
            rt_host.instantiate(&mut store).await?;
            Ok(t.elapsed())
        })
    })?;
    println!(
        "instantiate      {} (new store + instance from the pre-instantiated component; median of {runs})",
        show(instantiate)
    );

    let demo = workspace_root().join("fixtures/demo");
    for file in fixture::collect(&[demo])? {
        let case = fixture::load(&file)?;
        if case.interactions.is_empty() {
            continue;
        }
        let backend = Backend::Scripted(Arc::new(Cycle {
            interactions: case.interactions.clone(),
            next: AtomicUsize::new(0),
        }));
        let input = case.input_text();
        // A call on a warm instance.
        let (warm, memory) = rt.block_on(async {
            let mut store = rt_host.store(config.clone(), backend.clone());
            let instance = rt_host.instantiate(&mut store).await?;
            let datasource = instance.connector_linkedin_datasource();
            let mut times = Vec::with_capacity(runs);
            for i in 0..runs + runs / 10 {
                let t = Instant::now();
                let result = datasource
                    .call_execute(&mut store, &case.command, &input)
                    .await?;
                let elapsed = t.elapsed();
                anyhow::ensure!(
                    result.is_ok(),
                    "{} failed during the bench: {result:?}",
                    case.command
                );
                if i >= runs / 10 {
                    times.push(elapsed);
                }
            }
            times.sort();
            anyhow::Ok((times[times.len() / 2], runtime::report(&store).memory_bytes))
        })?;
        // A call with everything a platform does per query: new store, instantiate, call.
        let cold = median(runs, || {
            rt.block_on(async {
                let t = Instant::now();
                let (result, _) = rt_host
                    .execute(config.clone(), backend.clone(), &case.command, &input)
                    .await?;
                anyhow::ensure!(result.is_ok(), "{} failed during the bench", case.command);
                Ok(t.elapsed())
            })
        })?;
        println!(
            "{:<16} {} per call on a warm instance; {} with a new store + instance; guest memory {:.2} MiB",
            case.command,
            show(warm),
            show(cold),
            memory as f64 / (1024.0 * 1024.0)
        );
    }
    Ok(())
}
