//! `host-test load`: a bounded load on the receiver over loopback. Signed notifications and
//! forged ones, mixed, from many connections at once, to a receiver served as `serve` serves it,
//! with a fake LinkedIn and a fake forward target in the same process. It stops by itself (a
//! fixed number of requests, and a time limit), reports throughput, latency and the guest's peak
//! memory, and checks that every signed notification was forwarded exactly once, correctly
//! signed, and no forged one at all.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tokio::net::TcpListener;

use crate::fakes::{self, Connection, FakeForward, FakeLinkedIn};
use crate::runtime::Limits;
use crate::serve::{self, Logs, Options, Receiver};

const CLIENT_SECRET: &str = "load-client-secret";
const FORWARD_SECRET: &str = "load-forward-secret-0123456789";
const TOKEN: &str = "load-access-token";

/// The size of the run.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub receiver: PathBuf,
    /// Correctly signed notifications, each of its own lead.
    pub signed: usize,
    /// Forged ones mixed in (wrong key, or a body changed after signing).
    pub forged: usize,
    pub connections: usize,
    /// The run fails if it has not finished by then.
    pub time_limit: Duration,
}

/// What one request came to.
struct Outcome {
    job: usize,
    status: u16,
    latency: Duration,
}

/// One request to send.
struct Job {
    body: String,
    signature: String,
    /// The lead id of a signed notification; `None` for a forged one.
    lead: Option<String>,
}

/// What came through.
#[derive(Debug)]
pub struct LoadReport {
    pub requests: usize,
    pub signed: usize,
    pub forged: usize,
    pub connections: usize,
    pub elapsed: Duration,
    pub p50: Duration,
    pub p99: Duration,
    pub peak_memory: usize,
    /// CPU time the whole process (the receiver's host and guests, the load's client, both
    /// fakes) used during the run, where Linux says.
    pub cpu: Option<Duration>,
    /// Connections the receiver opened to the fake LinkedIn and to the fake forward target.
    pub opened: (usize, usize),
    /// Everything that went wrong; empty when the run passed.
    pub problems: Vec<String>,
}

impl LoadReport {
    /// Signed notifications forwarded per second.
    pub fn notifications_per_second(&self) -> f64 {
        self.signed as f64 / self.elapsed.as_secs_f64()
    }

    pub fn summary(&self) -> String {
        let cpu = match self.cpu {
            Some(cpu) => format!(
                "load: CPU {:.2} s for the run, {:.0} µs a request (everything in this process), \
                 so about {:.0} requests/s with two cores to itself\n",
                cpu.as_secs_f64(),
                cpu.as_secs_f64() * 1e6 / self.requests as f64,
                2.0 * self.requests as f64 / cpu.as_secs_f64()
            ),
            None => String::new(),
        };
        format!(
            "load: {} requests ({} signed, {} forged) from {} connections in {:.2} s\n\
             load: {:.0} notifications/s forwarded ({:.0} requests/s)\n\
             load: latency p50 {:.1} ms, p99 {:.1} ms\n\
             {cpu}\
             load: guest peak memory {:.2} MiB; connections opened to LinkedIn {}, to the \
             forward target {}\n\
             load: {}",
            self.requests,
            self.signed,
            self.forged,
            self.connections,
            self.elapsed.as_secs_f64(),
            self.notifications_per_second(),
            self.requests as f64 / self.elapsed.as_secs_f64(),
            self.p50.as_secs_f64() * 1000.0,
            self.p99.as_secs_f64() * 1000.0,
            self.peak_memory as f64 / (1024.0 * 1024.0),
            self.opened.0,
            self.opened.1,
            if self.problems.is_empty() {
                "every signed notification forwarded exactly once and correctly signed, \
                 no forged one forwarded, nothing lost"
                    .to_string()
            } else {
                format!("FAILED:\n  {}", self.problems.join("\n  "))
            }
        )
    }
}

/// Runs the load on a multi-threaded runtime (one worker per core) and reports.
pub fn run(options: &LoadOptions) -> Result<LoadReport> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(load(options))
}

async fn load(options: &LoadOptions) -> Result<LoadReport> {
    let linkedin = FakeLinkedIn::start(TOKEN).await?;
    let forward = FakeForward::start().await?;
    let env = vec![
        (
            "LINKEDIN_CLIENT_SECRET".to_string(),
            CLIENT_SECRET.to_string(),
        ),
        ("FORWARD_URL".to_string(), forward.url()),
        ("FORWARD_SECRET".to_string(), FORWARD_SECRET.to_string()),
        ("LINKEDIN_ACCESS_TOKEN".to_string(), TOKEN.to_string()),
    ];
    let receiver = Receiver::load(
        &options.receiver,
        Options {
            env,
            linkedin: Some(linkedin.url().parse()?),
            logs: Logs::Discard,
            limits: Limits::default(),
            max_concurrent: serve::MAX_CONCURRENT,
        },
    )?;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(serve::serve(listener, receiver.clone()));

    let jobs = Arc::new(jobs(options.signed, options.forged));
    let next = Arc::new(AtomicUsize::new(0));
    let cpu_before = process_cpu();
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..options.connections {
        let (jobs, next) = (jobs.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut connection = Connection::new(addr);
            let mut outcomes = Vec::new();
            loop {
                let at = next.fetch_add(1, Ordering::Relaxed);
                let Some(job) = jobs.get(at) else {
                    return Ok::<_, anyhow::Error>(outcomes);
                };
                let sent = Instant::now();
                let reply = connection
                    .send(
                        "POST",
                        "/linkedin/webhook",
                        &[
                            ("content-type", "application/json"),
                            ("x-li-signature", &job.signature),
                        ],
                        job.body.clone(),
                    )
                    .await?;
                outcomes.push(Outcome {
                    job: at,
                    status: reply.status,
                    latency: sent.elapsed(),
                });
            }
        }));
    }
    let all = futures::future::join_all(workers);
    let finished = tokio::time::timeout(options.time_limit, all)
        .await
        .with_context(|| format!("the load did not finish within {:?}", options.time_limit))?;
    let elapsed = started.elapsed();
    let cpu = process_cpu()
        .zip(cpu_before)
        .map(|(after, before)| after.saturating_sub(before));
    server.abort();
    let mut outcomes = Vec::new();
    for worker in finished {
        outcomes.extend(worker??);
    }
    let problems = check(&jobs, &outcomes, &forward, &linkedin);
    let mut latencies: Vec<Duration> = outcomes.iter().map(|o| o.latency).collect();
    latencies.sort();
    let percentile = |p: f64| {
        let at = ((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1);
        latencies.get(at).copied().unwrap_or_default()
    };
    Ok(LoadReport {
        requests: jobs.len(),
        signed: options.signed,
        forged: options.forged,
        connections: options.connections,
        elapsed,
        p50: percentile(0.50),
        p99: percentile(0.99),
        peak_memory: receiver.peak_memory(),
        cpu,
        opened: (linkedin.connections(), forward.connections()),
        problems,
    })
}

/// The CPU time of every thread of this process so far (Linux: the nanoseconds each thread was
/// on a CPU, from /proc/self/task/*/schedstat); `None` elsewhere.
fn process_cpu() -> Option<Duration> {
    let mut total = 0u64;
    for task in std::fs::read_dir("/proc/self/task").ok()? {
        let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        total += stat.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(Duration::from_nanos(total))
}

/// The requests, forged ones spread evenly among the signed ones. Half the forgeries are signed
/// with another key, half are a signed body changed afterwards (a lead swapped in).
fn jobs(signed: usize, forged: usize) -> Vec<Job> {
    let total = signed + forged;
    let mut jobs = Vec::with_capacity(total);
    let (mut made_signed, mut made_forged) = (0, 0);
    for at in 0..total {
        // Forged at every point where the forged share so far falls behind its target.
        let forge =
            made_forged < forged && (made_forged * total < at * forged || made_signed == signed);
        if forge {
            let lead = format!("forged-{made_forged}");
            let body = fakes::notification(&lead, "CREATED", 1_700_000_000_000);
            let signature = if made_forged % 2 == 0 {
                fakes::linkedin_signature("not-the-client-secret", body.as_bytes())
            } else {
                let original = fakes::notification("original", "CREATED", 1_700_000_000_000);
                fakes::linkedin_signature(CLIENT_SECRET, original.as_bytes())
            };
            jobs.push(Job {
                body,
                signature,
                lead: None,
            });
            made_forged += 1;
        } else {
            let lead = format!("load-{made_signed}");
            let body =
                fakes::notification(&lead, "CREATED", 1_700_000_000_000 + made_signed as u64);
            let signature = fakes::linkedin_signature(CLIENT_SECRET, body.as_bytes());
            jobs.push(Job {
                body,
                signature,
                lead: Some(lead),
            });
            made_signed += 1;
        }
    }
    jobs
}

/// Everything that did not come through as it should.
fn check(
    jobs: &[Job],
    outcomes: &[Outcome],
    forward: &FakeForward,
    linkedin: &FakeLinkedIn,
) -> Vec<String> {
    let mut problems = Vec::new();
    if outcomes.len() != jobs.len() {
        problems.push(format!(
            "{} requests answered of {}",
            outcomes.len(),
            jobs.len()
        ));
    }
    let mut wrong_status = BTreeMap::<(bool, u16), usize>::new();
    for outcome in outcomes {
        let signed = jobs.get(outcome.job).is_some_and(|j| j.lead.is_some());
        let expected = if signed { 200 } else { 401 };
        if outcome.status != expected {
            *wrong_status.entry((signed, outcome.status)).or_default() += 1;
        }
    }
    for ((signed, status), count) in wrong_status {
        let what = if signed { "signed" } else { "forged" };
        problems.push(format!("{count} {what} notifications answered {status}"));
    }
    let mut forwarded = BTreeMap::<String, usize>::new();
    let mut badly_signed = 0;
    let mut without_lead = 0;
    for received in forward.received() {
        if fakes::forward_signed(FORWARD_SECRET, &received).is_err() {
            badly_signed += 1;
        }
        let delivery = received.json();
        if !delivery["lead"].is_object() {
            without_lead += 1;
        }
        let urn = delivery["notification"]["leadUrn"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        *forwarded.entry(urn).or_default() += 1;
    }
    let prefix = "urn:li:leadGenFormResponse:";
    let forged = forwarded
        .keys()
        .filter(|urn| !urn.starts_with(&format!("{prefix}load-")))
        .count();
    let duplicated = forwarded.values().filter(|n| **n > 1).count();
    let lost = jobs
        .iter()
        .filter_map(|j| j.lead.as_ref())
        .filter(|lead| !forwarded.contains_key(&format!("{prefix}{lead}")))
        .count();
    for (count, what) in [
        (forged, "forged notifications forwarded"),
        (duplicated, "notifications forwarded more than once"),
        (lost, "signed notifications never forwarded"),
        (
            badly_signed,
            "forwards without a valid X-Connector-Signature",
        ),
        (without_lead, "forwards without their lead"),
    ] {
        if count > 0 {
            problems.push(format!("{count} {what}"));
        }
    }
    let fetched = linkedin.received().len();
    let signed = jobs.iter().filter(|j| j.lead.is_some()).count();
    if fetched != signed {
        problems.push(format!(
            "{fetched} lead fetches for {signed} signed notifications"
        ));
    }
    problems
}
