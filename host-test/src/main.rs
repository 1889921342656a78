use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use host_test::runtime::{Limits, Runtime, default_component_path, workspace_root};
use host_test::{bench, call, docs, replay};

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
        /// Only time warm calls of this command (for profilers).
        #[arg(long)]
        focus: Option<String>,
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
            let input = match input.strip_prefix('@') {
                Some(file) => {
                    std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?
                }
                None => input,
            };
            let mode = if live {
                let endpoint = endpoint
                    .map(|e| {
                        e.parse::<http::Uri>()
                            .with_context(|| format!("--endpoint {e} is not a URL"))
                    })
                    .transpose()?;
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
        Command::Bench { runs, focus } => {
            bench::run(&component, runs, focus.as_deref())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
