use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use host_test::runtime::{Limits, Runtime, default_component_path, workspace_root};
use host_test::{bench, call, docs, fuzz, load, record, replay, serve, wasmtime_check};

/// The wasmtime host for the LinkedIn connector component.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// The component to load (default: the release build, or $LINKEDIN_COMPONENT).
    #[arg(long, global = true)]
    component: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Replay fixture cases (files or folders); prints one line per case and `N passed, M failed`.
    Replay {
        /// Case files or folders (default: fixtures/).
        paths: Vec<PathBuf>,
    },
    /// Run one command, answered from recorded fixtures (by method and URL) or live.
    Call {
        /// The command name, such as get-user-info.
        name: String,
        /// The input as JSON, or @file to read it from a file.
        #[arg(long, default_value = "{}")]
        input: String,
        /// Send real HTTPS to LinkedIn with $LINKEDIN_ACCESS_TOKEN (and $LINKEDIN_VERSION,
        /// $LINKEDIN_CLIENT_SECRET when set).
        #[arg(long)]
        live: bool,
        /// With --live: send every LinkedIn request to this base URL instead (a local server).
        #[arg(long, requires = "live")]
        endpoint: Option<String>,
        /// Without --live: the fixtures whose interactions answer the requests.
        #[arg(long, conflicts_with = "live")]
        replay: Vec<PathBuf>,
        /// Call the typed function of the `commands` interface instead of `execute`.
        #[arg(long)]
        typed: bool,
    },
    /// Run one command live and write it as a fixture that replays (secrets replaced by
    /// test-token / test-secret), then replay it. Token, secret and version come from
    /// $LINKEDIN_ACCESS_TOKEN, $LINKEDIN_CLIENT_SECRET and $LINKEDIN_VERSION.
    Record {
        /// The command name, such as get-user-info (taken from the case with --from).
        #[arg(required_unless_present = "from", conflicts_with = "from")]
        name: Option<String>,
        /// The input as JSON, or @file to read it from a file.
        #[arg(long, conflicts_with = "from")]
        input: Option<String>,
        /// Re-record this case (its command, input, description and settings), by default
        /// over the same file: with $LINKEDIN_VERSION set, the move to a newer LinkedIn-Version.
        #[arg(long)]
        from: Option<PathBuf>,
        /// Confirms that the call goes to LinkedIn (or --endpoint) for real.
        #[arg(long, required = true)]
        live: bool,
        /// Send every LinkedIn request to this base URL instead (a local server).
        #[arg(long)]
        endpoint: Option<String>,
        /// The fixture file to write.
        #[arg(long, required_unless_present = "from")]
        out: Option<PathBuf>,
        /// The case's description (default: a placeholder naming the command, or the
        /// description of the --from case).
        #[arg(long)]
        description: Option<String>,
    },
    /// Print the catalog as JSON (or the Markdown command reference).
    Describe {
        #[arg(long)]
        markdown: bool,
    },
    /// Measure size, compile and load times, instantiation, per-call latency and guest memory.
    Bench {
        /// Runs per measurement (the median is reported).
        #[arg(long, default_value_t = 2000)]
        runs: usize,
        /// Only time warm calls of this command and the floor (for profilers).
        #[arg(long)]
        focus: Option<String>,
        /// The floor component (default: the release build of host-test/floor).
        #[arg(long)]
        floor: Option<PathBuf>,
        /// Also count instructions per warm call under callgrind (valgrind).
        #[arg(long)]
        instructions: bool,
        /// Another build of the component (the one before a change), measured side by side.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Under callgrind: run the counted calls with the components compiled in this folder.
        #[arg(long, hide = true)]
        count_in: Option<PathBuf>,
    },
    /// Random commands, inputs and LinkedIn answers through execute and execute-json: no trap,
    /// typed errors only, secrets only where they belong, none in any output. Prints progress,
    /// then `fuzz: N cases in T s (seed S), F failures`; exits non-zero on a failure.
    Fuzz {
        /// Run this long (default: 60 s, unless --cases is given).
        #[arg(long)]
        seconds: Option<u64>,
        /// Run this many cases.
        #[arg(long)]
        cases: Option<u64>,
        /// The run's seed (default: from the clock; printed either way).
        #[arg(long, value_parser = parse_seed)]
        seed: Option<u64>,
        /// Run only the case with this seed (from a failure report) and print what it did.
        #[arg(long, value_parser = parse_seed, conflicts_with_all = ["seconds", "cases", "seed"])]
        case: Option<u64>,
    },
    /// Serve the Lead Sync receiver component over HTTP/1.1, as `wasmtime serve -Scli` does: one
    /// instance per request. It sees $LINKEDIN_CLIENT_SECRET, $FORWARD_URL, $FORWARD_SECRET,
    /// $LINKEDIN_ACCESS_TOKEN and $LINKEDIN_VERSION, and nothing else of the environment.
    Serve {
        /// The receiver component (default: the release build).
        #[arg(long)]
        receiver: Option<PathBuf>,
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Send the receiver's LinkedIn calls to this base URL instead (a local fake).
        #[arg(long)]
        linkedin: Option<String>,
    },
    /// Put the receiver under a bounded load on loopback (a fake LinkedIn and a fake forward
    /// target in process): signed and forged notifications from many connections at once.
    /// Reports notifications/s, latency and the guest's peak memory; fails when a signed
    /// notification was not forwarded exactly once or a forged one was forwarded.
    Load {
        /// The receiver component (default: the release build).
        #[arg(long)]
        receiver: Option<PathBuf>,
        /// Correctly signed notifications to send.
        #[arg(long, default_value_t = 2000)]
        signed: usize,
        /// Forged notifications mixed in.
        #[arg(long, default_value_t = 200)]
        forged: usize,
        /// Concurrent connections.
        #[arg(long, default_value_t = 50)]
        connections: usize,
        /// Fail when the run takes longer (seconds).
        #[arg(long, default_value_t = 120)]
        time_limit: u64,
    },
    /// Check the receiver under the real `wasmtime serve -Scli`: the challenge, a signed POST
    /// (forwarded without a token) and a forged POST.
    WasmtimeCheck {
        /// The wasmtime binary (48.x).
        #[arg(long)]
        wasmtime: PathBuf,
        /// The receiver component (default: the release build).
        #[arg(long)]
        receiver: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("host-test: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run() -> Result<ExitCode> {
    let cli = Cli::parse();
    let component = cli.component.unwrap_or_else(default_component_path);
    match cli.command {
        Command::Replay { paths } => {
            let runtime = Runtime::load(&component, Limits::default())?;
            let paths = if paths.is_empty() {
                vec![workspace_root().join("fixtures")]
            } else {
                paths
            };
            let (_, failed) = replay::replay_paths(&runtime, &paths, &mut std::io::stdout())?;
            Ok(if failed == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Call {
            name,
            input,
            live,
            endpoint,
            replay,
            typed,
        } => {
            let runtime = Runtime::load(&component, Limits::default())?;
            let input = read_input(&input)?;
            let mode = if live {
                let endpoint = parse_endpoint(endpoint)?;
                call::Mode::Live { endpoint }
            } else {
                let paths = if replay.is_empty() {
                    vec![workspace_root().join("fixtures/demo")]
                } else {
                    replay
                };
                call::Mode::Replay(paths)
            };
            let ok = call::run(&runtime, &name, &input, mode, typed)?;
            Ok(if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Record {
            name,
            input,
            from,
            live: _,
            endpoint,
            out,
            description,
        } => {
            let runtime = Runtime::load(&component, Limits::default())?;
            let mut recording = match (&from, name) {
                (Some(case), _) => record::Recording::from_case(case)?,
                (None, Some(name)) => {
                    record::Recording::new(&name, &read_input(input.as_deref().unwrap_or("{}"))?)
                }
                (None, None) => anyhow::bail!("name a command or give --from"),
            };
            if description.is_some() {
                recording.description = description;
            }
            recording.endpoint = parse_endpoint(endpoint)?;
            let Some(out) = out.or(from) else {
                anyhow::bail!("give --out");
            };
            let replays = record::run(&runtime, &recording, &record::Account::from_env(), &out)?;
            Ok(if replays {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Describe { markdown } => {
            let runtime = Runtime::load(&component, Limits::default())?;
            let catalog = host_test::runtime::tokio_runtime()?.block_on(runtime.describe())?;
            let json = docs::catalog(&catalog);
            if markdown {
                print!("{}", docs::markdown(&json));
            } else {
                println!("{}", serde_json::to_string_pretty(&json)?);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            runs,
            focus,
            floor,
            instructions,
            baseline,
            count_in,
        } => {
            if let Some(dir) = count_in {
                bench::count_in(&dir, focus.as_deref(), baseline.is_some())?;
            } else {
                bench::run(&bench::Options {
                    component,
                    floor: floor.unwrap_or_else(|| workspace_root().join(bench::DEFAULT_FLOOR)),
                    runs,
                    focus,
                    instructions,
                    baseline,
                })?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Fuzz {
            seconds,
            cases,
            seed,
            case,
        } => {
            let runtime = Runtime::load(&component, Limits::default())?;
            if let Some(case) = case {
                let outcome = fuzz::run_one(&runtime, case)?;
                let verdict = if outcome.problems.is_empty() {
                    "passes"
                } else {
                    "FAILS"
                };
                println!("case seed {case:#018x} {verdict}\n{outcome}");
                return Ok(if outcome.problems.is_empty() {
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                });
            }
            let options = fuzz::FuzzOptions {
                seconds: seconds.or(if cases.is_none() { Some(60) } else { None }),
                cases,
                seed: seed.unwrap_or_else(clock_seed),
            };
            println!(
                "fuzz: seed {}, {}",
                options.seed,
                match (options.seconds, options.cases) {
                    (Some(s), Some(n)) => format!("up to {s} s or {n} cases"),
                    (Some(s), None) => format!("{s} s"),
                    (None, Some(n)) => format!("{n} cases"),
                    (None, None) => "default budget".to_string(),
                }
            );
            let report = fuzz::run_with_progress(&runtime, options, |so_far| {
                println!(
                    "fuzz: {} cases, {:.0} s, {:.0}/s, {} failures",
                    so_far.cases,
                    so_far.elapsed.as_secs_f64(),
                    so_far.cases_per_second(),
                    so_far.failures.len()
                );
            })?;
            for failure in &report.failures {
                println!("{failure}");
            }
            println!("{}", report.details());
            println!("{}", report.summary());
            Ok(if report.failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Serve {
            receiver,
            addr,
            linkedin,
        } => {
            let mut options = serve::Options::from_env();
            options.linkedin = linkedin
                .map(|url| {
                    url.parse::<http::Uri>()
                        .with_context(|| format!("--linkedin {url} is not a URL"))
                })
                .transpose()?;
            serve::run(
                &receiver.unwrap_or_else(default_receiver_path),
                addr,
                options,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Load {
            receiver,
            signed,
            forged,
            connections,
            time_limit,
        } => {
            let report = load::run(&load::LoadOptions {
                receiver: receiver.unwrap_or_else(default_receiver_path),
                signed,
                forged,
                connections: connections.max(1),
                time_limit: std::time::Duration::from_secs(time_limit),
            })?;
            println!("{}", report.summary());
            Ok(if report.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::WasmtimeCheck { wasmtime, receiver } => {
            let receiver = receiver.unwrap_or_else(default_receiver_path);
            match wasmtime_check::run(&wasmtime, &receiver) {
                Ok(()) => Ok(ExitCode::SUCCESS),
                Err(e) => {
                    println!("wasmtime-check: FAILED: {e:#}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}

fn default_receiver_path() -> PathBuf {
    workspace_root().join(serve::DEFAULT_RECEIVER)
}

/// A seed from the clock, for runs that do not give one (it is printed, so they repeat).
fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// A seed in decimal or `0x` hex (as failure reports print case seeds).
fn parse_seed(text: &str) -> Result<u64, String> {
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    parsed.map_err(|e| format!("{text} is not a seed: {e}"))
}

/// `--input`: JSON text, or `@file`.
fn read_input(input: &str) -> Result<String> {
    match input.strip_prefix('@') {
        Some(file) => std::fs::read_to_string(file).with_context(|| format!("reading {file}")),
        None => Ok(input.to_string()),
    }
}

fn parse_endpoint(endpoint: Option<String>) -> Result<Option<http::Uri>> {
    endpoint
        .map(|e| {
            e.parse::<http::Uri>()
                .with_context(|| format!("--endpoint {e} is not a URL"))
        })
        .transpose()
}
