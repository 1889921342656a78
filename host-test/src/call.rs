//! `host-test call`: run one command, answered from fixtures by method and URL (a demo, not a
//! test) or live against LinkedIn, printing each request sent and the result.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Result;
use serde_json::Value;

use crate::fixture::{
    self, DEFAULT_ACCESS_TOKEN, DEFAULT_CLIENT_SECRET, DEFAULT_LINKEDIN_VERSION, Interaction,
};
use crate::http_hook::{Answer, Backend, Responder, SentRequest};
use crate::replay::{answer, compare, describe_sent};
use crate::runtime::{HostConfig, Runtime};
use crate::typed;

/// Answers each request with the first recorded interaction of the same method and URL.
pub struct Canned {
    interactions: Vec<(PathBuf, Interaction)>,
    log: bool,
}

impl Canned {
    /// Every interaction of the fixtures under `paths`.
    pub fn load(paths: &[PathBuf], log: bool) -> Result<Canned> {
        let mut interactions = Vec::new();
        for file in fixture::collect(paths)? {
            let case = fixture::load(&file)?;
            interactions.extend(case.interactions.into_iter().map(|i| (file.clone(), i)));
        }
        Ok(Canned { interactions, log })
    }
}

impl Responder for Canned {
    fn respond(&self, request: SentRequest) -> Answer {
        if self.log {
            eprintln!("-> request\n{}", describe_sent(&request));
        }
        let found = self.interactions.iter().find(|(_, i)| {
            compare(&i.request, &request).iter().all(|d| {
                !(d.starts_with("method") || d.starts_with("url") || d.starts_with("query"))
            })
        });
        match found {
            Some((file, interaction)) => {
                if self.log {
                    eprintln!("<- answered from {}", file.display());
                }
                answer(&interaction.response)
            }
            None => {
                if self.log {
                    eprintln!("<- no recorded interaction has this method and URL; refusing it");
                }
                Answer::Denied
            }
        }
    }
}

/// How `call` reaches LinkedIn.
pub enum Mode {
    Replay(Vec<PathBuf>),
    Live { endpoint: Option<http::Uri> },
}

/// Runs `command` once and prints the result as JSON; returns whether it succeeded.
pub fn run(
    runtime: &Runtime,
    command: &str,
    input: &str,
    mode: Mode,
    use_typed: bool,
) -> Result<bool> {
    let (config, backend) = match mode {
        Mode::Replay(paths) => (
            HostConfig {
                access_token: Some(DEFAULT_ACCESS_TOKEN.into()),
                client_secret: Some(DEFAULT_CLIENT_SECRET.into()),
                settings: [(
                    "linkedinVersion".to_string(),
                    DEFAULT_LINKEDIN_VERSION.to_string(),
                )]
                .into(),
                now: None,
            },
            Backend::Scripted(Arc::new(Canned::load(&paths, true)?)),
        ),
        Mode::Live { endpoint } => {
            let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
            let mut settings = std::collections::BTreeMap::new();
            if let Some(version) = env("LINKEDIN_VERSION") {
                settings.insert("linkedinVersion".to_string(), version);
            }
            (
                HostConfig {
                    access_token: env("LINKEDIN_ACCESS_TOKEN"),
                    client_secret: env("LINKEDIN_CLIENT_SECRET"),
                    settings,
                    now: None,
                },
                Backend::Live {
                    endpoint,
                    log: true,
                },
            )
        }
    };
    let rt = crate::runtime::tokio_runtime()?;
    let result: Result<Value, Value> = if use_typed {
        let input_json: Value =
            serde_json::from_str(if input.trim().is_empty() { "{}" } else { input })?;
        let Some(function) = runtime.exports().command(command) else {
            anyhow::bail!("the component has no typed function {command}");
        };
        let Some(args) = typed::arguments(&function.ty, &input_json) else {
            anyhow::bail!("{command} with this input has no typed form; run it without --typed");
        };
        let (result, _) =
            rt.block_on(runtime.call_fresh(config, backend, function, &args.values))?;
        match function.result_type() {
            Some(ty) => typed::result_json(&result, &ty),
            None => Ok(Value::Null),
        }
    } else {
        rt.block_on(crate::replay::json_result(
            runtime, config, backend, command, input,
        ))?
    };
    match &result {
        Ok(v) => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"ok": v}))?
        ),
        Err(e) => println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({"error": e}))?
        ),
    }
    Ok(result.is_ok())
}
