//! `host-test bench`: the floor first, then the connector against it. The floor
//! (`host-test/floor`) is the least a component can do to answer get-user-info: one wasi:http
//! GET, the body returned. Every figure of the connector is shown next to the floor's, measured
//! in the same run: size, compile, instantiate, and a warm call of every benched command as a
//! multiple of the floor's warm call. `--instructions` then counts the instructions of each
//! call under callgrind, the measure that does not swing with this VM's speed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use bytes::Bytes;
use wasmtime::Engine;
use wasmtime::component::Component;

use crate::fixture::{self, Interaction, Reply};
use crate::http_hook::{Answer, Backend, Responder, SentRequest};
use crate::runtime::{self, HostConfig, Limits, Runtime, State, workspace_root};

/// The floor component, relative to the workspace root (`make build` builds it).
pub const DEFAULT_FLOOR: &str = "target/wasm32-wasip2/release/floor.wasm";

/// The cases benched, one successful case per command (the first two are `make run`'s demo),
/// each answered with its fixture's canned answers. Most make one LinkedIn call, like the floor;
/// the rest are marked by their number of calls in the report.
pub const CASES: &[&str] = &[
    "demo/get-user-info.json",
    "demo/create-post.json",
    "create-post-with-media/article.json",
    "register-upload/image-person.json",
    "upload-media/image-data.json",
    "get-media-status/video-available.json",
    "custom-action/get-v2.json",
    "answer-webhook-challenge/ok.json",
    "parse-lead-notification/ok.json",
    "get-lead/inline-form.json",
    "check-connection/full-introspection.json",
    "list-posting-targets/ok.json",
    "get-organization/ok-urn.json",
    "get-organization-statistics/lifetime.json",
    "list-comments/ok.json",
    "create-comment/person.json",
    "delete-comment/ok.json",
    "list-reactions/ok.json",
    "react/ok.json",
    "remove-reaction/ok.json",
    "list-posts/organization.json",
    "get-post/share.json",
    "update-post/ok.json",
    "delete-post/ok.json",
    "get-post-engagement/ok.json",
];

/// A warm call's budget as a multiple of the floor's (per LinkedIn call for a command that
/// makes several: the floor makes one).
fn budget(command: &str) -> f64 {
    match command {
        "get-user-info" => 1.5,
        "create-post" => 2.0,
        _ => 3.0,
    }
}

/// The component's size budget, with every command of the design.
pub const SIZE_BUDGET: u64 = 1536 * 1024;

/// The compile budget (cranelift, on this kind of machine).
const COMPILE_BUDGET: Duration = Duration::from_secs(1);

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
                    bail!("bench cases must answer with HTTP, not a fault")
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

/// What `bench` measures with.
pub struct Options {
    pub component: PathBuf,
    pub floor: PathBuf,
    /// Calls per subject for the timings.
    pub runs: usize,
    /// Only this command (and the floor), warm calls only: for profilers.
    pub focus: Option<String>,
    /// Also count instructions per call under callgrind.
    pub instructions: bool,
    /// Another build of the component (the one before a change), measured side by side with
    /// it in the same rounds: each of its rows is labelled `(baseline)`.
    pub baseline: Option<PathBuf>,
}

/// Which component a subject runs on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Guest {
    Floor,
    Component,
    Baseline,
}

/// The components of a run, compiled by one engine and pre-instantiated.
struct Guests {
    floor: Runtime,
    component: Runtime,
    baseline: Option<Runtime>,
}

impl Guests {
    fn load(engine: &Engine, opts: &Options, limits: Limits) -> Result<Guests> {
        let load = |path: &Path, what: &str| -> Result<Runtime> {
            let component = Component::new(engine, &read(path, what)?)?;
            Runtime::from_component(engine.clone(), &component, path, limits)
        };
        Ok(Guests {
            floor: load(&opts.floor, "the floor (build it with `make build`)")?,
            component: load(
                &opts.component,
                "the component (build it with `make build`)",
            )?,
            baseline: match &opts.baseline {
                Some(path) => Some(load(path, "the baseline component")?),
                None => None,
            },
        })
    }

    fn get(&self, guest: Guest) -> &Runtime {
        match (guest, &self.baseline) {
            (Guest::Floor, _) => &self.floor,
            (Guest::Baseline, Some(baseline)) => baseline,
            _ => &self.component,
        }
    }
}

/// One thing whose warm call is measured: the floor, a rejected input, or a case.
#[derive(Clone)]
struct Subject {
    /// The name shown (the command, or the floor's and the rejected input's labels).
    label: String,
    command: String,
    input: String,
    config: HostConfig,
    backend: Backend,
    /// LinkedIn calls per run.
    calls: usize,
    /// The component it runs on.
    guest: Guest,
    /// Whether the call must succeed (everything but the rejected input).
    must_succeed: bool,
}

impl Subject {
    fn budget(&self) -> Option<f64> {
        (self.guest != Guest::Floor && self.must_succeed).then(|| budget(&self.command))
    }

    /// Runs `n` warm calls on `instance`, checking each answer.
    async fn calls(
        &self,
        host: &Runtime,
        store: &mut wasmtime::Store<State>,
        instance: &wasmtime::component::Instance,
        n: usize,
        times: Option<&mut Vec<Duration>>,
    ) -> Result<()> {
        let mut times = times;
        host.arm_deadline(store);
        for _ in 0..n {
            let t = Instant::now();
            let text = host
                .execute_json_on(store, instance, &self.command, &self.input)
                .await?;
            let elapsed = t.elapsed();
            if self.must_succeed {
                let ok = if self.guest == Guest::Floor {
                    text.starts_with('{') && !text.starts_with("{\"error\"")
                } else {
                    text.starts_with("{\"ok\":")
                };
                ensure!(ok, "{} failed during the bench: {text}", self.label);
            }
            if let Some(times) = times.as_deref_mut() {
                times.push(elapsed);
            }
        }
        Ok(())
    }
}

/// The floor's subject: what it answers is get-user-info's canned answer.
fn floor_subject(demo: &fixture::Fixture) -> Result<Subject> {
    Ok(Subject {
        label: "floor".into(),
        command: "get-user-info".into(),
        input: "{}".into(),
        config: host_config(demo),
        backend: Backend::Scripted(Arc::new(Cycle::new(&demo.interactions)?)),
        calls: 1,
        guest: Guest::Floor,
        must_succeed: true,
    })
}

fn host_config(case: &fixture::Fixture) -> HostConfig {
    HostConfig {
        access_token: case.access_token(),
        client_secret: case.client_secret(),
        settings: case.settings(),
        now: case.now,
    }
}

/// The floor, the rejected input, and every case of [`CASES`] (or only `focus`); with a
/// baseline, each of the component's subjects is followed by its twin on the baseline.
fn subjects(focus: Option<&str>, baseline: bool) -> Result<Vec<Subject>> {
    let root = workspace_root().join("fixtures");
    let demo = fixture::load(&root.join("demo/get-user-info.json"))?;
    let mut subjects = vec![floor_subject(&demo)?];
    if focus.is_none() {
        // One export call that fails input validation and sends nothing: the connector's own
        // fixed cost per call.
        subjects.push(Subject {
            label: "(rejected input)".into(),
            command: "get-user-info".into(),
            input: "[]".into(),
            config: host_config(&demo),
            backend: Backend::Scripted(Arc::new(Cycle::new(&[])?)),
            calls: 0,
            guest: Guest::Component,
            must_succeed: false,
        });
    }
    for path in CASES {
        let case = fixture::load(&root.join(path)).with_context(|| format!("bench case {path}"))?;
        if focus.is_some_and(|f| f != case.command) {
            continue;
        }
        subjects.push(Subject {
            label: case.command.clone(),
            command: case.command.clone(),
            input: case.input_text(),
            config: host_config(&case),
            backend: Backend::Scripted(Arc::new(Cycle::new(&case.interactions)?)),
            calls: case.interactions.len(),
            guest: Guest::Component,
            must_succeed: true,
        });
    }
    if let Some(focus) = focus {
        ensure!(subjects.len() > 1, "no bench case runs {focus}");
    }
    if baseline {
        subjects = subjects
            .into_iter()
            .flat_map(|subject| {
                let twin = (subject.guest == Guest::Component).then(|| Subject {
                    label: format!("{} (baseline)", subject.label),
                    guest: Guest::Baseline,
                    ..subject.clone()
                });
                std::iter::once(subject).chain(twin)
            })
            .collect();
    }
    Ok(subjects)
}

/// How many rounds the per-call figures are measured in, and the pause between rounds.
const ROUNDS: usize = 8;
const ROUND_GAP: Duration = Duration::from_millis(250);

/// Per-call timings taken in [`ROUNDS`] rounds spread over ~2 s. The speed of a shared VM
/// changes by up to 2x from one moment to the next, and noise only ever adds time, so the
/// figure is the median of the fastest round, shown with the range of the round medians.
#[derive(Default, Clone)]
struct Rounds {
    /// The median of each round, fastest first.
    medians: Vec<Duration>,
}

fn per_round(runs: usize) -> usize {
    (runs / ROUNDS).max(1)
}

fn warm_up(runs: usize) -> usize {
    (runs / 10).clamp(1, 100)
}

impl Rounds {
    /// Times `runs` calls of `f` (after a warm-up), in rounds.
    fn measure(runs: usize, mut f: impl FnMut() -> Result<Duration>) -> Result<Rounds> {
        for _ in 0..warm_up(runs) {
            f()?;
        }
        let mut rounds = Rounds::default();
        for round in 0..ROUNDS {
            pause_before(round);
            let times = (0..per_round(runs))
                .map(|_| f())
                .collect::<Result<Vec<_>>>()?;
            rounds.add(times);
        }
        Ok(rounds)
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

    fn slowest(&self) -> Duration {
        self.medians[self.medians.len() - 1]
    }

    /// How many times `floor` this is (fastest rounds compared: both were measured in the
    /// same rounds, so they saw the same machine).
    fn ratio(&self, floor: &Rounds) -> f64 {
        self.best().as_secs_f64() / floor.best().as_secs_f64()
    }
}

/// Spreads the rounds over time (the bench owns its thread; nothing else waits on it).
fn pause_before(round: usize) {
    if round > 0 {
        std::thread::sleep(ROUND_GAP);
    }
}

/// The median of `runs` timings of `f`, after a warm-up.
fn median(runs: usize, mut f: impl FnMut() -> Result<Duration>) -> Result<Duration> {
    f()?;
    let mut times = (0..runs).map(|_| f()).collect::<Result<Vec<_>>>()?;
    times.sort();
    Ok(times[times.len() / 2])
}

fn show(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    if ns >= 1e6 {
        format!("{:.1} ms", ns / 1e6)
    } else {
        format!("{:.1} µs", ns / 1e3)
    }
}

/// `12,345,678`.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "ok" or "OVER" against a budget.
fn verdict(within: bool) -> &'static str {
    if within { "ok" } else { "OVER" }
}

fn read(path: &Path, what: &str) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("reading {what}: {}", path.display()))
}

pub fn run(opts: &Options) -> Result<()> {
    let subjects = subjects(opts.focus.as_deref(), opts.baseline.is_some())?;
    // Every subject keeps a live instance for the warm calls.
    let limits = Limits {
        pool_slots: runtime::pool_slots().max(subjects.len() as u32 + 4),
        ..Limits::default()
    };
    let engine = runtime::engine(&limits)?;
    if opts.focus.is_none() {
        static_figures(&engine, opts)?;
    }
    let guests = Guests::load(&engine, opts, limits)?;
    let rt = runtime::in_process_runtime()?;
    if opts.focus.is_none() {
        instantiation(&rt, &guests, &subjects[0], opts.runs)?;
    }
    let warm = warm_calls(&rt, &guests, &subjects, opts.runs)?;
    print_warm(&subjects, &warm);
    if opts.focus.is_none() {
        cold_calls(&rt, &guests, &subjects, opts.runs)?;
        without_interruption(opts, limits, &subjects, &rt)?;
    }
    if opts.instructions {
        instructions(opts)?;
    }
    Ok(())
}

/// Sizes, compile and cached-load times: the floor, the component (and the baseline).
fn static_figures(engine: &Engine, opts: &Options) -> Result<()> {
    let floor = read(&opts.floor, "the floor (build it with `make build`)")?;
    let bytes = read(
        &opts.component,
        "the component (build it with `make build`)",
    )?;
    let baseline = match &opts.baseline {
        Some(path) => Some(read(path, "the baseline component")?),
        None => None,
    };
    let compile = |bytes: &[u8]| {
        median(5, || {
            let t = Instant::now();
            Component::new(engine, bytes)?;
            Ok(t.elapsed())
        })
    };
    let size = bytes.len() as u64;
    println!(
        "size         floor {} B; component {} B ({:.1} KiB, {:.1}x the floor); budget {} KiB: {}",
        grouped(floor.len() as u64),
        grouped(size),
        size as f64 / 1024.0,
        size as f64 / floor.len() as f64,
        SIZE_BUDGET / 1024,
        verdict(size <= SIZE_BUDGET)
    );
    let compile_floor = compile(&floor)?;
    let compile_component = compile(&bytes)?;
    println!(
        "compile      floor {}; component {} (median of 5); budget {}: {}",
        show(compile_floor),
        show(compile_component),
        show(COMPILE_BUDGET),
        verdict(compile_component <= COMPILE_BUDGET)
    );
    if let Some(baseline) = &baseline {
        println!(
            "baseline     {} B ({:+} B); compile {}",
            grouped(baseline.len() as u64),
            size as i64 - baseline.len() as i64,
            show(compile(baseline)?)
        );
    }
    let component = Component::new(engine, &bytes)?;
    let serialized = component.serialize()?;
    let load_memory = median(50, || {
        let t = Instant::now();
        // SAFETY: the bytes were serialized just above by this engine.
        unsafe { Component::deserialize(engine, &serialized)? };
        Ok(t.elapsed())
    })?;
    let cache_file = workspace_root().join("target/host-test-bench.cwasm");
    std::fs::write(&cache_file, &serialized)?;
    let load_file = median(50, || {
        let t = Instant::now();
        // SAFETY: the file was written just above from this engine's own serialization.
        unsafe { Component::deserialize_file(engine, &cache_file)? };
        Ok(t.elapsed())
    })?;
    println!(
        "cached load  component {} from memory, {} from a file (median of 50; {} B compiled)",
        show(load_memory),
        show(load_file),
        grouped(serialized.len() as u64)
    );
    Ok(())
}

/// A new store and instance from the pre-instantiated component, floor and connector in turn.
fn instantiation(
    rt: &tokio::runtime::Runtime,
    guests: &Guests,
    floor: &Subject,
    runs: usize,
) -> Result<()> {
    let measure = |host: &Runtime| {
        Rounds::measure(runs, || {
            rt.block_on(async {
                let t = Instant::now();
                let mut store = host.store(floor.config.clone(), floor.backend.clone());
                host.instantiate(&mut store).await?;
                Ok(t.elapsed())
            })
        })
    };
    let floor_rounds = measure(&guests.floor)?;
    let rounds = measure(&guests.component)?;
    let baseline = match &guests.baseline {
        Some(baseline) => {
            let rounds = measure(baseline)?;
            format!(
                "; baseline {} ({:.2}x)",
                show(rounds.best()),
                rounds.ratio(&floor_rounds)
            )
        }
        None => String::new(),
    };
    println!(
        "instantiate  floor {}; component {} ({:.2}x){baseline}: new store + instance from InstancePre",
        show(floor_rounds.best()),
        show(rounds.best()),
        rounds.ratio(&floor_rounds)
    );
    Ok(())
}

/// Each subject's warm calls, all on live instances at once and measured round by round in
/// turn, so every subject sees the same moments of the machine. Returns the rounds and the
/// guest memory of each subject.
fn warm_calls(
    rt: &tokio::runtime::Runtime,
    guests: &Guests,
    subjects: &[Subject],
    runs: usize,
) -> Result<Vec<(Rounds, usize)>> {
    rt.block_on(async {
        let mut live = Vec::new();
        for subject in subjects {
            let host = guests.get(subject.guest);
            let mut store = host.store(subject.config.clone(), subject.backend.clone());
            let instance = host.instantiate(&mut store).await?;
            subject
                .calls(host, &mut store, &instance, warm_up(runs), None)
                .await?;
            live.push((host, store, instance, Rounds::default()));
        }
        for round in 0..ROUNDS {
            pause_before(round);
            for (subject, (host, store, instance, rounds)) in subjects.iter().zip(&mut live) {
                let mut times = Vec::with_capacity(per_round(runs));
                subject
                    .calls(host, store, instance, per_round(runs), Some(&mut times))
                    .await?;
                rounds.add(times);
            }
        }
        Ok(live
            .into_iter()
            .map(|(_, store, _, rounds)| (rounds, runtime::report(&store).memory_bytes))
            .collect())
    })
}

fn print_warm(subjects: &[Subject], warm: &[(Rounds, usize)]) {
    let floor = &warm[0].0;
    println!();
    println!(
        "warm calls   execute-json on a live instance; the median of the fastest of {ROUNDS} rounds, all subjects in each round"
    );
    println!(
        "  {:<28} {:>5} {:>10} {:>10} {:>8} {:>7} {:>9}",
        "subject", "calls", "time", "slowest", "x floor", "budget", "memory"
    );
    for (subject, (rounds, memory)) in subjects.iter().zip(warm) {
        let ratio = rounds.ratio(floor);
        let budget = subject.budget().map_or(String::new(), |b| {
            // A command that makes several calls has the floor's time per call.
            let allowed = b * subject.calls.max(1) as f64;
            format!("{allowed:.1} {}", verdict(ratio <= allowed))
        });
        println!(
            "  {:<28} {:>5} {:>10} {:>10} {:>8.2} {:>7} {:>6.2} MiB",
            subject.label,
            subject.calls,
            show(rounds.best()),
            show(rounds.slowest()),
            ratio,
            budget,
            *memory as f64 / (1024.0 * 1024.0)
        );
    }
}

/// What a platform does per query: new store, instantiate, call; for the floor and the demo.
fn cold_calls(
    rt: &tokio::runtime::Runtime,
    guests: &Guests,
    subjects: &[Subject],
    runs: usize,
) -> Result<()> {
    println!();
    println!("cold calls   new store + instance + execute-json, per query");
    let mut floor = None;
    for subject in subjects
        .iter()
        .filter(|s| s.guest == Guest::Floor || is_demo(s))
    {
        let host = guests.get(subject.guest);
        let rounds = Rounds::measure(runs, || {
            rt.block_on(async {
                let t = Instant::now();
                let mut store = host.store(subject.config.clone(), subject.backend.clone());
                let instance = host.instantiate(&mut store).await?;
                subject.calls(host, &mut store, &instance, 1, None).await?;
                Ok(t.elapsed())
            })
        })?;
        let floor = floor.get_or_insert_with(|| rounds.clone());
        println!(
            "  {:<28} {:>10} {:>8.2}x the floor",
            subject.label,
            show(rounds.best()),
            rounds.ratio(floor)
        );
    }
    Ok(())
}

fn is_demo(subject: &Subject) -> bool {
    subject.must_succeed && ["get-user-info", "create-post"].contains(&subject.command.as_str())
}

/// The floor and the demo on a host that does not interrupt guest code (epoch off): the
/// component's own cost, for platforms that bound execution another way.
fn without_interruption(
    opts: &Options,
    limits: Limits,
    subjects: &[Subject],
    rt: &tokio::runtime::Runtime,
) -> Result<()> {
    let open = Limits {
        interrupt_guest: false,
        ..limits
    };
    let guests = Guests::load(&runtime::engine(&open)?, opts, open)?;
    let owned: Vec<Subject> = subjects
        .iter()
        .filter(|s| s.guest == Guest::Floor || is_demo(s))
        .cloned()
        .collect();
    let warm = warm_calls(rt, &guests, &owned, opts.runs)?;
    println!();
    println!("without guest interruption (epoch off), warm calls");
    for (subject, (rounds, _)) in owned.iter().zip(&warm) {
        println!(
            "  {:<28} {:>10} {:>8.2}x the floor",
            subject.label,
            show(rounds.best()),
            rounds.ratio(&warm[0].0)
        );
    }
    Ok(())
}

// ---- Instruction counts ----------------------------------------------------------------------

/// The function callgrind dumps its counts before entering (see [`mark`]).
const MARK: &str = "host_test::bench::mark";

/// The child's map of the guests' compiled functions (`start\tlength\tname`), by which the
/// dumps get the names of guest functions in place of bare addresses.
const SYMBOLS: &str = "guest-functions.tsv";

/// Calls counted per subject: the figure is (instructions of 2N calls - those of N calls) / N,
/// so whatever a counted stretch costs besides the calls cancels out.
const COUNTED_CALLS: usize = 16;

/// Where the compiled components and callgrind's dumps go.
fn count_dir() -> PathBuf {
    workspace_root().join("target/bench")
}

/// Counts instructions per warm call of every subject: compiles both components here, then
/// runs `bench --count-in DIR` under callgrind, which loads them compiled (compiling under
/// callgrind takes minutes), and reads callgrind's dumps, one per stretch of the child.
fn instructions(opts: &Options) -> Result<()> {
    let dir = count_dir();
    let dumps = dir.join("callgrind");
    if dumps.exists() {
        std::fs::remove_dir_all(&dumps)?;
    }
    std::fs::create_dir_all(&dumps)?;
    let limits = Limits::default();
    let engine = runtime::engine(&limits)?;
    let baseline = opts.baseline.iter().map(|path| (path, "baseline"));
    for (path, name) in [(&opts.floor, "floor"), (&opts.component, "component")]
        .into_iter()
        .chain(baseline)
    {
        let component = Component::new(&engine, &read(path, name)?)?;
        std::fs::write(dir.join(format!("{name}.cwasm")), component.serialize()?)?;
    }
    let mut command = Command::new("valgrind");
    command
        // Valgrind's address space holds two of the pool's slots, not 32.
        .env("HOST_TEST_POOL_SLOTS", "2")
        .arg("--tool=callgrind")
        .arg(format!("--dump-before={MARK}*"))
        .arg(format!(
            "--callgrind-out-file={}",
            dumps.join("callgrind.out").display()
        ))
        .arg(std::env::current_exe()?)
        .arg("bench")
        .arg("--count-in")
        .arg(&dir);
    if let Some(focus) = &opts.focus {
        command.arg("--focus").arg(focus);
    }
    if opts.baseline.is_some() {
        command.arg("--baseline").arg(dir.join("baseline.cwasm"));
    }
    println!();
    println!("instructions per warm call, host included (callgrind: about a minute)");
    let output = command
        .output()
        .context("running valgrind (the valgrind package)")?;
    ensure!(
        output.status.success(),
        "valgrind failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The child's marks, in order: dump part k holds what ran before the k-th mark.
    let stdout = String::from_utf8_lossy(&output.stdout);
    let marks: Vec<&str> = stdout
        .lines()
        .filter_map(|line| line.strip_prefix("mark "))
        .collect();
    let symbols = Symbols::read(&dumps.join(SYMBOLS))?;
    let dump = |label: &str, calls: usize| -> Result<Counts> {
        let wanted = format!("{calls} {label}");
        let part = marks
            .iter()
            .position(|m| *m == wanted)
            .with_context(|| format!("no counted stretch of {wanted}"))?;
        symbols.name_guest_functions(&dumps.join(format!("callgrind.out.{}", part + 1)))
    };
    println!(
        "  {:<28} {:>5} {:>12} {:>10} {:>8} {:>7}",
        "subject", "calls", "instructions", "in guest", "x floor", "budget"
    );
    let mut floor = None;
    for subject in subjects(opts.focus.as_deref(), opts.baseline.is_some())? {
        let once = dump(&subject.label, COUNTED_CALLS)?;
        let twice = dump(&subject.label, 2 * COUNTED_CALLS)?;
        let per_call = twice.total.saturating_sub(once.total) / COUNTED_CALLS as u64;
        let guest = twice.guest.saturating_sub(once.guest) / COUNTED_CALLS as u64;
        let floor = *floor.get_or_insert(per_call);
        let ratio = per_call as f64 / floor as f64;
        let budget = subject.budget().map_or(String::new(), |b| {
            let allowed = b * subject.calls.max(1) as f64;
            format!("{allowed:.1} {}", verdict(ratio <= allowed))
        });
        println!(
            "  {:<28} {:>5} {:>12} {:>10} {:>8.2} {:>7}",
            subject.label,
            subject.calls,
            grouped(per_call),
            grouped(guest),
            ratio,
            budget
        );
    }
    println!(
        "  (`callgrind_annotate {}/callgrind.out.N` shows where the N-th stretch's instructions go)",
        dumps.display()
    );
    Ok(())
}

/// What one dump counted: everything, and the part spent in guest code.
struct Counts {
    total: u64,
    guest: u64,
}

/// The guests' compiled functions, by address.
struct Symbols {
    /// `(start, end, name)`, sorted by start.
    functions: Vec<(u64, u64, String)>,
}

impl Symbols {
    fn read(path: &Path) -> Result<Symbols> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let mut functions = Vec::new();
        for line in text.lines() {
            let mut parts = line.splitn(3, '\t');
            if let (Some(start), Some(len), Some(name)) = (parts.next(), parts.next(), parts.next())
            {
                let start = u64::from_str_radix(start, 16)?;
                functions.push((start, start + len.parse::<u64>()?, name.to_string()));
            }
        }
        functions.sort();
        Ok(Symbols { functions })
    }

    /// The guest function whose code holds `address`.
    fn function(&self, address: u64) -> Option<&str> {
        let at = self
            .functions
            .partition_point(|(start, _, _)| *start <= address);
        let (_, end, name) = self.functions.get(at.checked_sub(1)?)?;
        (address < *end).then_some(name.as_str())
    }

    /// Rewrites a callgrind dump with guest function names where callgrind only knew an
    /// address (it cannot see into JIT code), so `callgrind_annotate` names them too, and
    /// returns its counts. A cost line belongs to the last `fn=`, except the line after a
    /// `calls=` line, which is the callee's inclusive cost.
    fn name_guest_functions(&self, path: &Path) -> Result<Counts> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        // Whether each function id (callgrind writes a name once, then only its id) is guest
        // code.
        let mut guest_ids: HashMap<String, bool> = HashMap::new();
        let mut out = String::with_capacity(text.len());
        let mut total = None;
        let mut guest = 0;
        let mut in_guest = false;
        let mut callee_cost = false;
        for line in text.lines() {
            let mut named = None;
            match line.split_once('=') {
                Some(("calls", _)) => callee_cost = true,
                Some((key @ ("fn" | "cfn"), rest)) => {
                    let (id, name) = rest.split_once(' ').unwrap_or((rest, ""));
                    let function = name
                        .strip_prefix("0x")
                        .and_then(|hex| u64::from_str_radix(hex, 16).ok())
                        .and_then(|address| self.function(address));
                    if !name.is_empty() {
                        guest_ids.insert(id.to_string(), function.is_some());
                    }
                    if key == "fn" {
                        in_guest = guest_ids.get(id).copied().unwrap_or(false);
                    }
                    named = function.map(|f| format!("{key}={id} {f}"));
                }
                _ => {
                    if let Some(n) = line.strip_prefix("summary:") {
                        total = n.trim().parse().ok();
                    } else if line.starts_with(|c: char| c.is_ascii_digit() || "+-*".contains(c)) {
                        let cost: u64 = line
                            .split_whitespace()
                            .nth(1)
                            .and_then(|n| n.parse().ok())
                            .unwrap_or(0);
                        if callee_cost {
                            callee_cost = false;
                        } else if in_guest {
                            guest += cost;
                        }
                    }
                }
            }
            out.push_str(named.as_deref().unwrap_or(line));
            out.push('\n');
        }
        std::fs::write(path, out)?;
        Ok(Counts {
            total: total.with_context(|| format!("no summary in {}", path.display()))?,
            guest,
        })
    }
}

/// The child of [`instructions`], under callgrind: loads the compiled components from `dir`
/// and runs N and then 2N warm calls of every subject, one store at a time, marking the end of
/// each stretch (callgrind dumps there) with a `mark CALLS LABEL` line.
pub fn count_in(dir: &Path, focus: Option<&str>, baseline: bool) -> Result<()> {
    let limits = Limits::default();
    let engine = runtime::engine(&limits)?;
    let load = |name: &str| -> Result<Runtime> {
        let path = dir.join(format!("{name}.cwasm"));
        // SAFETY: the parent process serialized it with the same wasmtime and configuration.
        let component = unsafe { Component::deserialize_file(&engine, &path)? };
        Runtime::from_component(engine.clone(), &component, &path, limits)
    };
    let guests = Guests {
        floor: load("floor")?,
        component: load("component")?,
        baseline: if baseline {
            Some(load("baseline")?)
        } else {
            None
        },
    };
    let mut symbols = String::new();
    let named = [("floor", Guest::Floor), ("component", Guest::Component)];
    let baseline = guests
        .baseline
        .is_some()
        .then_some(("baseline", Guest::Baseline));
    for (name, guest) in named.into_iter().chain(baseline) {
        for (start, len, function) in guests.get(guest).guest_functions() {
            symbols.push_str(&format!("{start:x}\t{len}\t{name}::{function}\n"));
        }
    }
    std::fs::write(dir.join("callgrind").join(SYMBOLS), symbols)?;
    let rt = runtime::in_process_runtime()?;
    for subject in subjects(focus, baseline.is_some())? {
        let host = guests.get(subject.guest);
        let mut store = host.store(subject.config.clone(), subject.backend.clone());
        let instance = rt.block_on(host.instantiate(&mut store))?;
        rt.block_on(subject.calls(host, &mut store, &instance, COUNTED_CALLS, None))?;
        mark(&format!("0 {}", subject.label));
        for n in [COUNTED_CALLS, 2 * COUNTED_CALLS] {
            rt.block_on(subject.calls(host, &mut store, &instance, n, None))?;
            mark(&format!("{n} {}", subject.label));
        }
    }
    Ok(())
}

/// Where callgrind dumps (`--dump-before`): called between the counted stretches, outside
/// any async code, so callgrind sees the call whatever the fibers of the calls did to its view
/// of the stack.
#[inline(never)]
fn mark(what: &str) {
    println!("mark {}", std::hint::black_box(what));
}
