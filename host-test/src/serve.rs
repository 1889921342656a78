//! `host-test serve`: runs the receiver component as `wasmtime serve -Scli` does (wasmtime-wasi-
//! http 48 has no server of its own): an accept loop over hyper, and per request a fresh store
//! and instance from one `ProxyPre`, with all of WASI p2 linked (the `-Scli` part: Rust's
//! standard library imports `wasi:cli`, and the receiver reads its settings from
//! `wasi:cli/environment`).
//!
//! The receiver sees the settings it reads (`LINKEDIN_*`, `FORWARD_*`) and nothing else of the
//! host's environment. Its outgoing requests go through [`Backend::Receiver`]: LinkedIn (or a
//! local fake standing in for it) and the forward target, nothing else.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result, anyhow};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::server::conn::http1;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use wasmtime::component::{Component, Linker, ResourceTable};
use wasmtime::{Engine, Store};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::io::TokioIo;
use wasmtime_wasi_http::p2::bindings::ProxyPre;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

use crate::http_hook::{Backend, Hooks, Origin};
use crate::runtime::{self, Limits, MemoryLimiter};

/// The settings the receiver reads from its environment; `serve` passes on these and only these.
pub const SETTINGS: &[&str] = &[
    "LINKEDIN_CLIENT_SECRET",
    "FORWARD_URL",
    "FORWARD_SECRET",
    "LINKEDIN_ACCESS_TOKEN",
    "LINKEDIN_VERSION",
];

/// The default location of the release receiver, relative to the workspace root (built in a
/// target directory of its own: see the Makefile).
pub const DEFAULT_RECEIVER: &str = "target/receiver/wasm32-wasip2/release/linkedin_receiver.wasm";

/// How many requests may run at once by default: each holds a store (a pool slot) until its
/// guest is done.
pub const MAX_CONCURRENT: u32 = 100;

/// What the guest writes to stderr (its one log line per request).
#[derive(Clone)]
pub enum Logs {
    /// To the host's stderr, as `wasmtime serve` does.
    Inherit,
    /// Kept, for tests that read what was logged.
    Keep(Arc<Mutex<String>>),
    /// Dropped (the load test).
    Discard,
}

/// How to run the receiver.
#[derive(Clone)]
pub struct Options {
    /// The guest's environment: name and value of each setting that is set.
    pub env: Vec<(String, String)>,
    /// Where LinkedIn's API calls go instead of api.linkedin.com (a local fake).
    pub linkedin: Option<http::Uri>,
    pub logs: Logs,
    pub limits: Limits,
    /// How many requests may run at once (each holds an instance until it is done).
    pub max_concurrent: u32,
}

impl Options {
    /// The settings of `SETTINGS` that are set in this process's environment.
    pub fn from_env() -> Options {
        Options {
            env: SETTINGS
                .iter()
                .filter_map(|name| std::env::var(name).ok().map(|v| (name.to_string(), v)))
                .collect(),
            linkedin: None,
            logs: Logs::Inherit,
            limits: Limits::default(),
            max_concurrent: MAX_CONCURRENT,
        }
    }
}

/// The data of one request's store.
pub struct State {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    hooks: Hooks,
    limiter: MemoryLimiter,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for State {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// The receiver compiled for an engine with room for `slots` instances at once. Compiling is
/// the slow part of starting (a fraction of a second); tests compile once and serve many times.
pub struct Compiled {
    engine: Engine,
    component: Component,
    slots: u32,
    stop_ticker: Arc<AtomicBool>,
}

impl Drop for Compiled {
    fn drop(&mut self) {
        self.stop_ticker.store(true, Ordering::Relaxed);
    }
}

impl Compiled {
    pub fn load(path: &Path, limits: &Limits, slots: u32) -> Result<Arc<Compiled>> {
        let bytes = std::fs::read(path).with_context(|| {
            format!(
                "reading the receiver {} (build it with `make build`)",
                path.display()
            )
        })?;
        let slots = slots.max(1);
        let engine = runtime::engine_with_slots(limits, slots)?;
        let component = Component::new(&engine, &bytes)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("compiling {}", path.display()))?;
        let stop_ticker = Arc::new(AtomicBool::new(false));
        if limits.interrupt_guest {
            runtime::start_epoch_ticker(&engine, stop_ticker.clone());
        }
        Ok(Arc::new(Compiled {
            engine,
            component,
            slots,
            stop_ticker,
        }))
    }
}

/// The receiver, ready to serve requests with its settings.
pub struct Receiver {
    compiled: Arc<Compiled>,
    pre: ProxyPre<State>,
    options: Options,
    backend: Backend,
    permits: Arc<Semaphore>,
    peak_memory: AtomicUsize,
    requests: AtomicUsize,
}

impl Receiver {
    /// Compiles the component at `path` and prepares it as [`Receiver::new`] does.
    pub fn load(path: &Path, options: Options) -> Result<Arc<Receiver>> {
        let compiled = Compiled::load(path, &options.limits, options.max_concurrent)?;
        Receiver::new(compiled, options)
    }

    /// Links the compiled component with all of WASI p2 and wasi:http, and checks that it is a
    /// wasi:http proxy. At most as many requests run at once as the engine has slots for.
    pub fn new(compiled: Arc<Compiled>, options: Options) -> Result<Arc<Receiver>> {
        let mut linker: Linker<State> = Linker::new(&compiled.engine);
        wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
        let pre = ProxyPre::new(linker.instantiate_pre(&compiled.component)?)
            .map_err(anyhow::Error::from)
            .context("the component does not export wasi:http/incoming-handler")?;
        let forward = options
            .env
            .iter()
            .find(|(name, _)| name == "FORWARD_URL")
            .and_then(|(_, url)| url.trim().parse::<http::Uri>().ok())
            .and_then(|url| Origin::of(&url));
        let backend = Backend::Receiver {
            linkedin: options.linkedin.clone(),
            forward,
            pool: Arc::default(),
        };
        let permits = options.max_concurrent.clamp(1, compiled.slots) as usize;
        Ok(Arc::new(Receiver {
            compiled,
            pre,
            backend,
            options,
            permits: Arc::new(Semaphore::new(permits)),
            peak_memory: AtomicUsize::new(0),
            requests: AtomicUsize::new(0),
        }))
    }

    /// The most linear memory any one instance grew to.
    pub fn peak_memory(&self) -> usize {
        self.peak_memory.load(Ordering::Relaxed)
    }

    /// How many requests reached the component.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::Relaxed)
    }

    fn engine(&self) -> &Engine {
        &self.compiled.engine
    }

    fn store(&self, stderr: Option<MemoryOutputPipe>) -> Store<State> {
        let mut wasi = WasiCtx::builder();
        wasi.envs(&self.options.env);
        match (&self.options.logs, stderr) {
            (_, Some(pipe)) => {
                wasi.stderr(pipe);
            }
            (Logs::Inherit, None) => {
                wasi.inherit_stderr();
            }
            (_, None) => {
                wasi.stderr(std::io::empty());
            }
        }
        let mut store = Store::new(
            self.engine(),
            State {
                wasi: wasi.build(),
                http: WasiHttpCtx::new(),
                table: ResourceTable::new(),
                hooks: Hooks {
                    backend: self.backend.clone(),
                },
                limiter: MemoryLimiter::new(self.options.limits.max_memory_bytes),
            },
        );
        store.limiter(|state| &mut state.limiter);
        runtime::set_deadline(&mut store, &self.options.limits);
        store
    }

    /// Runs one request through a fresh instance. The instance keeps running after it has set
    /// the response head, while it writes the body; it holds its permit until it is done.
    pub async fn handle<B>(
        self: &Arc<Self>,
        request: hyper::Request<B>,
    ) -> Result<hyper::Response<HyperOutgoingBody>>
    where
        B: hyper::body::Body<Data = Bytes> + Send + 'static,
        B::Error: Into<wasmtime_wasi_http::Error>,
    {
        let permit = self.permits.clone().acquire_owned().await?;
        self.requests.fetch_add(1, Ordering::Relaxed);
        let kept = match &self.options.logs {
            Logs::Keep(_) => Some(MemoryOutputPipe::new(64 * 1024)),
            _ => None,
        };
        let mut store = self.store(kept.clone());
        let (sender, receiver) = tokio::sync::oneshot::channel();
        let incoming = store
            .data_mut()
            .http()
            .new_incoming_request(Scheme::Http, request)?;
        let out = store.data_mut().http().new_response_outparam(sender)?;
        let this = self.clone();
        let task = tokio::spawn(async move {
            let _permit = permit;
            let limit = this.options.limits.call_timeout;
            let result = tokio::time::timeout(limit, async {
                let proxy = this.pre.instantiate_async(&mut store).await?;
                proxy
                    .wasi_http_incoming_handler()
                    .call_handle(&mut store, incoming, out)
                    .await
            })
            .await
            .map(|handled| handled.map_err(anyhow::Error::from))
            .unwrap_or_else(|_| Err(anyhow!("the receiver did not finish within {limit:?}")));
            this.peak_memory
                .fetch_max(store.data().limiter.peak, Ordering::Relaxed);
            if let (Some(pipe), Logs::Keep(log)) = (kept, &this.options.logs)
                && let Ok(mut log) = log.lock()
            {
                log.push_str(&String::from_utf8_lossy(&pipe.contents()));
            }
            result
        });
        match receiver.await {
            Ok(Ok(response)) => Ok(response),
            Ok(Err(code)) => Err(anyhow!("the receiver answered with an error: {code:?}")),
            Err(_) => {
                let failure = match task.await {
                    Ok(Ok(())) => anyhow!("the receiver never set a response"),
                    Ok(Err(e)) => e,
                    Err(e) => e.into(),
                };
                Err(failure.context("the receiver never set a response"))
            }
        }
    }
}

/// Serves HTTP/1.1 on `listener` until the task is dropped: one task per connection, one store
/// per request. A request the component fails on (a trap, a time-out) is answered 500.
pub async fn serve(listener: TcpListener, receiver: Arc<Receiver>) -> Result<()> {
    loop {
        let (stream, _) = listener.accept().await?;
        let _ = stream.set_nodelay(true);
        let receiver = receiver.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request| {
                let receiver = receiver.clone();
                async move {
                    Ok::<_, std::convert::Infallible>(match receiver.handle(request).await {
                        Ok(response) => response,
                        Err(e) => {
                            eprintln!("host-test serve: {e:#}");
                            internal_error()
                        }
                    })
                }
            });
            // A client that goes away mid-request is its own business.
            let _ = http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

fn internal_error() -> hyper::Response<HyperOutgoingBody> {
    let body = Full::new(Bytes::from_static(
        b"the receiver failed; see the host's log\n",
    ))
    .map_err(|never| match never {})
    .boxed_unsync();
    let mut response = hyper::Response::new(body);
    *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
    response
}

/// `host-test serve`: serves the receiver at `addr` until the process is stopped.
pub fn run(path: &Path, addr: SocketAddr, options: Options) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let receiver = Receiver::load(path, options)?;
        let listener = TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding {addr}"))?;
        eprintln!(
            "host-test serve: {} listening on http://{}",
            path.display(),
            listener.local_addr()?
        );
        serve(listener, receiver).await
    })
}
