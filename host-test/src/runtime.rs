//! Loading and running the component: one engine and pre-instantiated component per process, a
//! fresh store per call, guest memory capped, guest execution time capped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use wasmtime::component::types::{ComponentFunc, ComponentItem, Type};
use wasmtime::component::{
    Component, ComponentExportIndex, Instance, InstancePre, Linker, ResourceTable, Val,
};
use wasmtime::{
    Config, Enabled, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, ResourceLimiter,
    Store,
};
use wasmtime_wasi::p2::pipe::MemoryOutputPipe;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpView};

use crate::http_hook::{Backend, Hooks};

// The bindings serve the imports the host implements (`credentials`). The exports are found by
// name and called with dynamic values (see [`Exports`]), so the host keeps loading components
// whose `commands` and `datasource` interfaces have changed.
wasmtime::component::bindgen!({
    path: "../wit",
    world: "connector",
    exports: { default: async },
    with: {
        "wasi:http": wasmtime_wasi_http::p2::bindings::http,
        "wasi:io": wasmtime_wasi::p2::bindings::io,
        "wasi:clocks": wasmtime_wasi::p2::bindings::clocks,
    },
    require_store_data_send: true,
});

pub use connector::linkedin::credentials::CredentialError;

/// Limits a call runs under.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The most linear memory the guest may grow to.
    pub max_memory_bytes: usize,
    /// The longest a call may take, counting both guest execution and waiting on HTTP.
    pub call_timeout: Duration,
    /// Interrupt guest code that runs past `call_timeout` (epoch interruption). Without it a
    /// guest stuck in a loop never yields and only the HTTP waits are bounded; it costs about a
    /// sixth of a call's instructions, so `bench` reports both.
    pub interrupt_guest: bool,
    /// How many stores may be alive at once per engine (the pool's size); see [`pool_slots`].
    pub pool_slots: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_memory_bytes: 64 * 1024 * 1024,
            call_timeout: Duration::from_secs(30),
            interrupt_guest: true,
            pool_slots: pool_slots(),
        }
    }
}

/// How often the epoch ticks; guest execution deadlines are counted in these.
const EPOCH_TICK: Duration = Duration::from_millis(10);

/// The default location of the release component, relative to the workspace root.
pub const DEFAULT_COMPONENT: &str = "target/wasm32-wasip2/release/linkedin_connector.wasm";

/// The workspace root (where `Cargo.toml` of the component is).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// The component path: `LINKEDIN_COMPONENT` or the default release build.
pub fn default_component_path() -> PathBuf {
    std::env::var_os("LINKEDIN_COMPONENT")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join(DEFAULT_COMPONENT))
}

/// Secrets and settings the host holds for one call.
#[derive(Clone, Debug, Default)]
pub struct HostConfig {
    pub access_token: Option<String>,
    pub client_secret: Option<String>,
    pub settings: BTreeMap<String, String>,
    /// The wall clock the component reads, in ms since the Unix epoch, when it must not be the
    /// real one (a fixture's `now`); it then runs on from there with tokio's clock.
    pub now: Option<u64>,
}

/// The data of one store.
pub struct State {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    table: ResourceTable,
    hooks: Hooks,
    config: HostConfig,
    limiter: MemoryLimiter,
    stdout: MemoryOutputPipe,
    stderr: MemoryOutputPipe,
    wall_clock_read: Arc<AtomicBool>,
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

impl connector::linkedin::credentials::Host for State {
    fn access_token(&mut self) -> Result<String, CredentialError> {
        self.config.access_token.clone().ok_or_else(|| {
            CredentialError::NotConfigured(
                "the datasource has no LinkedIn account connected".into(),
            )
        })
    }

    fn client_secret(&mut self) -> Result<String, CredentialError> {
        self.config.client_secret.clone().ok_or_else(|| {
            CredentialError::NotConfigured(
                "the datasource has no LinkedIn client secret set".into(),
            )
        })
    }

    fn setting(&mut self, name: String) -> Option<String> {
        self.config.settings.get(&name).cloned()
    }
}

impl connector::linkedin::types::Host for State {}

/// Caps linear memory and remembers how large it grew.
pub(crate) struct MemoryLimiter {
    max: usize,
    pub(crate) peak: usize,
}

impl MemoryLimiter {
    pub(crate) fn new(max: usize) -> MemoryLimiter {
        MemoryLimiter { max, peak: 0 }
    }
}

impl ResourceLimiter for MemoryLimiter {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.max {
            return Ok(false);
        }
        self.peak = self.peak.max(desired);
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= 100_000)
    }
}

/// What a store observed during a call.
#[derive(Clone, Debug, Default)]
pub struct CallReport {
    /// Linear memory size after the call (memory never shrinks, so this is the peak).
    pub memory_bytes: usize,
    pub stdout: String,
    pub stderr: String,
    /// Whether the component read the wall clock (`record` then pins it with `now`).
    pub wall_clock_read: bool,
}

/// One function the component exports: where to find it in an instance, and its type.
#[derive(Clone)]
pub struct ExportedFunc {
    /// The function's name in its interface (`create-post`).
    pub name: String,
    pub ty: ComponentFunc,
    index: ComponentExportIndex,
}

impl ExportedFunc {
    /// The type of the function's one result.
    pub fn result_type(&self) -> Option<Type> {
        self.ty.results().next()
    }
}

/// The exports the host calls, found by interface and function name and typed by reflection.
/// The interfaces are matched without their package (`…/datasource@0.1.0` is `datasource`), so
/// a version bump of the WIT package changes nothing here.
pub struct Exports {
    pub execute: ExportedFunc,
    /// `datasource.execute-json`, when the component has it: the JSON result with the error in
    /// the component's own JSON form.
    pub execute_json: Option<ExportedFunc>,
    pub describe: ExportedFunc,
    /// Every function of `commands`, in the component's order.
    pub commands: Vec<ExportedFunc>,
}

impl Exports {
    /// Finds the exports of `component`.
    pub fn find(engine: &Engine, component: &Component) -> Result<Exports> {
        let mut datasource = interface_functions(engine, component, "datasource")?;
        let commands = interface_functions(engine, component, "commands")?;
        let mut take = |name: &str| {
            datasource
                .iter()
                .position(|f| f.name == name)
                .map(|at| datasource.remove(at))
        };
        let (Some(execute), Some(describe)) = (take("execute"), take("describe")) else {
            bail!("the component's datasource interface lacks execute or describe");
        };
        Ok(Exports {
            execute,
            execute_json: take("execute-json"),
            describe,
            commands,
        })
    }

    /// The typed function of `command`, when the component has one.
    pub fn command(&self, command: &str) -> Option<&ExportedFunc> {
        self.commands.iter().find(|f| f.name == command)
    }
}

/// The functions of the exported interface named `interface` (an empty list when there is
/// none).
fn interface_functions(
    engine: &Engine,
    component: &Component,
    interface: &str,
) -> Result<Vec<ExportedFunc>> {
    let short = |name: &str| {
        let unversioned = name.split('@').next().unwrap_or(name);
        unversioned
            .rsplit('/')
            .next()
            .unwrap_or(unversioned)
            .to_string()
    };
    let component_type = component.component_type();
    let found = component_type
        .exports(engine)
        .find_map(|(name, item)| match item.ty {
            ComponentItem::ComponentInstance(instance) if short(name) == interface => {
                Some((name.to_string(), instance))
            }
            _ => None,
        });
    let Some((name, instance)) = found else {
        return Ok(Vec::new());
    };
    let instance_index = component
        .get_export_index(None, &name)
        .ok_or_else(|| anyhow!("no export index for {name}"))?;
    let mut functions = Vec::new();
    for (function, item) in instance.exports(engine) {
        if let ComponentItem::ComponentFunc(ty) = item.ty {
            let index = component
                .get_export_index(Some(&instance_index), function)
                .ok_or_else(|| anyhow!("no export index for {name}.{function}"))?;
            functions.push(ExportedFunc {
                name: function.to_string(),
                ty,
                index,
            });
        }
    }
    Ok(functions)
}

/// The engine and the pre-instantiated component.
pub struct Runtime {
    engine: Engine,
    pre: InstancePre<State>,
    exports: Exports,
    limits: Limits,
    stop_ticker: Arc<AtomicBool>,
    pub component_path: PathBuf,
}

/// Advances the engine's epoch every [`EPOCH_TICK`] until `stop` is set: what interrupts guest
/// code that runs past its deadline.
pub(crate) fn start_epoch_ticker(engine: &Engine, stop: Arc<AtomicBool>) {
    let engine = engine.clone();
    std::thread::spawn(move || {
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(EPOCH_TICK);
            engine.increment_epoch();
        }
    });
}

/// Traps the store's guest code once it has run for the call timeout (with interruption on).
pub(crate) fn set_deadline<T>(store: &mut Store<T>, limits: &Limits) {
    let ticks = (limits.call_timeout.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64;
    if limits.interrupt_guest {
        store.set_epoch_deadline(ticks);
        store.epoch_deadline_trap();
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.stop_ticker.store(true, Ordering::Relaxed);
    }
}

/// How many stores may be alive at once per engine (the pool's size). Each slot reserves
/// address space (not memory) for its linear memories; `HOST_TEST_POOL_SLOTS` lowers it for
/// tools with a small address space such as valgrind.
const POOL_SLOTS: u32 = 32;

pub fn pool_slots() -> u32 {
    std::env::var("HOST_TEST_POOL_SLOTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n > 0)
        .unwrap_or(POOL_SLOTS)
}

/// The engine configuration every mode uses. The pooling allocator reuses linear memories,
/// tables and fiber stacks across stores, which makes a fresh store + instance per call cheap;
/// its memory slots also cap guest memory.
pub fn engine(limits: &Limits) -> Result<Engine> {
    engine_with_slots(limits, limits.pool_slots)
}

/// The engine configuration with room for `slots` stores alive at once (a server needs one per
/// request in flight).
pub fn engine_with_slots(limits: &Limits, slots: u32) -> Result<Engine> {
    let mut pool = PoolingAllocationConfig::default();
    pool.total_component_instances(slots)
        .total_core_instances(slots * 8)
        .total_memories(slots * 2)
        .total_tables(slots * 8)
        .total_stacks(slots)
        .max_memory_size(limits.max_memory_bytes)
        .linear_memory_keep_resident(2 << 20)
        .table_keep_resident(64 << 10)
        .async_stack_keep_resident(256 << 10)
        // On Linux 6.7+ only the pages a call dirtied are reset when its store ends.
        .pagemap_scan(Enabled::Auto);
    let mut config = Config::new();
    config.epoch_interruption(limits.interrupt_guest);
    #[cfg(feature = "perfmap")]
    if std::env::var_os("HOST_TEST_PERFMAP").is_some() {
        config.profiler(wasmtime::ProfilingStrategy::PerfMap);
    }
    config.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
    Ok(Engine::new(&config)?)
}

/// A linker with WASI, wasi:http and our `credentials` import.
pub fn linker(engine: &Engine) -> Result<Linker<State>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
    connector::linkedin::credentials::add_to_linker::<State, wasmtime::component::HasSelf<State>>(
        &mut linker,
        |state| state,
    )?;
    connector::linkedin::types::add_to_linker::<State, wasmtime::component::HasSelf<State>>(
        &mut linker,
        |state| state,
    )?;
    Ok(linker)
}

impl Runtime {
    /// Compiles the component at `path` and pre-instantiates it.
    pub fn load(path: &Path, limits: Limits) -> Result<Runtime> {
        let bytes = std::fs::read(path).with_context(|| {
            format!(
                "reading the component {} (build it with `make build`)",
                path.display()
            )
        })?;
        let engine = engine(&limits)?;
        let component = Component::new(&engine, &bytes)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("compiling {}", path.display()))?;
        Runtime::from_component(engine, &component, path, limits)
    }

    /// Pre-instantiates an already compiled component.
    pub fn from_component(
        engine: Engine,
        component: &Component,
        path: &Path,
        limits: Limits,
    ) -> Result<Runtime> {
        let linker = linker(&engine)?;
        let pre = linker.instantiate_pre(component)?;
        let exports = Exports::find(&engine, component)?;
        let stop_ticker = Arc::new(AtomicBool::new(false));
        if limits.interrupt_guest {
            start_epoch_ticker(&engine, stop_ticker.clone());
        }
        Ok(Runtime {
            engine,
            pre,
            exports,
            limits,
            stop_ticker,
            component_path: path.to_path_buf(),
        })
    }

    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The guest's compiled functions: where each starts in this process, its length in bytes
    /// and its name (from the component's name section; `function[N]` in a stripped build).
    pub fn guest_functions(&self) -> Vec<(usize, usize, String)> {
        let component = self.pre.component();
        let text = component.text().as_ptr() as usize;
        component
            .functions()
            .map(|f| {
                let name = f
                    .name
                    .unwrap_or_else(|| format!("function[{}]", f.index.as_u32()));
                (text + f.offset, f.len, name)
            })
            .collect()
    }

    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub fn exports(&self) -> &Exports {
        &self.exports
    }

    /// A fresh store for one call.
    pub fn store(&self, config: HostConfig, backend: Backend) -> Store<State> {
        let stdout = MemoryOutputPipe::new(64 * 1024);
        let stderr = MemoryOutputPipe::new(64 * 1024);
        let wall_clock_read = Arc::new(AtomicBool::new(false));
        let wasi = WasiCtx::builder()
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .monotonic_clock(TokioClock::new())
            .wall_clock(WallClock {
                pinned: config
                    .now
                    .map(|ms| (Duration::from_millis(ms), tokio::time::Instant::now())),
                read: wall_clock_read.clone(),
            })
            .build();
        let mut store = Store::new(
            &self.engine,
            State {
                wasi,
                http: WasiHttpCtx::new(),
                table: ResourceTable::new(),
                hooks: Hooks { backend },
                config,
                limiter: MemoryLimiter::new(self.limits.max_memory_bytes),
                stdout,
                stderr,
                wall_clock_read,
            },
        );
        store.limiter(|state| &mut state.limiter);
        if self.limits.interrupt_guest {
            store.epoch_deadline_trap();
        }
        self.arm_deadline(&mut store);
        store
    }

    /// Gives the next call on `store` the whole call time limit again (a store that serves many
    /// calls, as the bench's warm instances do, would otherwise run out of it).
    pub fn arm_deadline(&self, store: &mut Store<State>) {
        if self.limits.interrupt_guest {
            let ticks =
                (self.limits.call_timeout.as_millis() / EPOCH_TICK.as_millis()).max(1) as u64;
            store.set_epoch_deadline(ticks);
        }
    }

    /// Instantiates the component in `store`.
    pub async fn instantiate(&self, store: &mut Store<State>) -> Result<Instance> {
        Ok(self.pre.instantiate_async(store).await?)
    }

    /// Runs `f` (a call on a fresh instance) under the call timeout.
    pub async fn with_timeout<T>(
        &self,
        what: &str,
        f: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        match tokio::time::timeout(self.limits.call_timeout, f).await {
            Ok(result) => result,
            Err(_) => Err(anyhow!(
                "{what} did not finish within {:?} (the host's call time limit)",
                self.limits.call_timeout
            )),
        }
    }

    /// Calls `function` of `instance` with `args`: its one result.
    pub async fn call(
        &self,
        store: &mut Store<State>,
        instance: &Instance,
        function: &ExportedFunc,
        args: &[Val],
    ) -> Result<Val> {
        let func = instance
            .get_func(&mut *store, function.index)
            .ok_or_else(|| anyhow!("the component does not export {}", function.name))?;
        let mut results = vec![Val::Bool(false); function.ty.results().len()];
        func.call_async(&mut *store, args, &mut results).await?;
        results
            .into_iter()
            .next()
            .ok_or_else(|| anyhow!("{} returned no value", function.name))
    }

    /// `function` with `args` on a fresh instance, under the call timeout.
    pub async fn call_fresh(
        &self,
        config: HostConfig,
        backend: Backend,
        function: &ExportedFunc,
        args: &[Val],
    ) -> Result<(Val, CallReport)> {
        let mut store = self.store(config, backend);
        let result = self
            .with_timeout("the call", async {
                let instance = self.instantiate(&mut store).await?;
                self.call(&mut store, &instance, function, args).await
            })
            .await?;
        Ok((result, report(&store)))
    }

    /// `datasource.execute` on `instance`: the output text, or the error variant.
    pub async fn execute_on(
        &self,
        store: &mut Store<State>,
        instance: &Instance,
        command: &str,
        input: &str,
    ) -> Result<Result<String, WitError>> {
        let execute = &self.exports.execute;
        let args = [Val::String(command.into()), Val::String(input.into())];
        let result = self.call(store, instance, execute, &args).await?;
        let error_type = match execute.result_type() {
            Some(Type::Result(result)) => result.err(),
            _ => None,
        };
        match (result, error_type) {
            (Val::Result(Ok(Some(output))), _) => match *output {
                Val::String(text) => Ok(Ok(text)),
                other => bail!("execute returned {other:?}, not text"),
            },
            (Val::Result(Err(Some(error))), Some(ty)) => Ok(Err(WitError { val: *error, ty })),
            (other, _) => bail!("execute returned {other:?}, not a result"),
        }
    }

    /// `datasource.execute-json` on `instance`: the text it returned, `{"ok": ...}` or
    /// `{"error": ...}`.
    pub async fn execute_json_on(
        &self,
        store: &mut Store<State>,
        instance: &Instance,
        command: &str,
        input: &str,
    ) -> Result<String> {
        let function = self
            .exports
            .execute_json
            .as_ref()
            .ok_or_else(|| anyhow!("the component does not export execute-json"))?;
        let args = [Val::String(command.into()), Val::String(input.into())];
        match self.call(store, instance, function, &args).await? {
            Val::String(text) => Ok(text),
            other => bail!("execute-json returned {other:?}, not text"),
        }
    }

    /// `datasource.execute` on a fresh instance: the JSON output or the error variant.
    pub async fn execute(
        &self,
        config: HostConfig,
        backend: Backend,
        command: &str,
        input: &str,
    ) -> Result<(Result<String, WitError>, CallReport)> {
        let mut store = self.store(config, backend);
        let result = self
            .with_timeout("the call", async {
                let instance = self.instantiate(&mut store).await?;
                self.execute_on(&mut store, &instance, command, input).await
            })
            .await?;
        Ok((result, report(&store)))
    }

    /// `datasource.execute-json` on a fresh instance (`None` when the component lacks it): the
    /// text it returned, `{"ok": ...}` or `{"error": ...}`.
    pub async fn execute_json(
        &self,
        config: HostConfig,
        backend: Backend,
        command: &str,
        input: &str,
    ) -> Result<Option<(String, CallReport)>> {
        let Some(function) = &self.exports.execute_json else {
            return Ok(None);
        };
        let args = [Val::String(command.into()), Val::String(input.into())];
        match self.call_fresh(config, backend, function, &args).await? {
            (Val::String(text), report) => Ok(Some((text, report))),
            (other, _) => bail!("execute-json returned {other:?}, not text"),
        }
    }

    /// `datasource.describe` on a fresh instance, as JSON: the catalog record with its field
    /// names in camelCase.
    pub async fn describe(&self) -> Result<serde_json::Value> {
        let describe = &self.exports.describe;
        let backend = Backend::Live {
            endpoint: None,
            log: false,
        };
        let (catalog, _) = self
            .call_fresh(HostConfig::default(), backend, describe, &[])
            .await?;
        let ty = describe
            .result_type()
            .ok_or_else(|| anyhow!("describe returns nothing"))?;
        Ok(crate::typed::to_json(&catalog, &ty))
    }
}

/// An error the component returned, with its WIT type (the `error` variant).
#[derive(Clone, Debug)]
pub struct WitError {
    pub val: Val,
    pub ty: Type,
}

impl WitError {
    /// The error's JSON form: `{"kind": ..., "message": ..., <payload fields>}`.
    pub fn to_json(&self) -> serde_json::Value {
        crate::typed::error_json(&self.val, &self.ty)
    }
}

/// What the store saw.
pub fn report(store: &Store<State>) -> CallReport {
    let state = store.data();
    CallReport {
        memory_bytes: state.limiter.peak,
        stdout: String::from_utf8_lossy(&state.stdout.contents()).into_owned(),
        stderr: String::from_utf8_lossy(&state.stderr.contents()).into_owned(),
        wall_clock_read: state.wall_clock_read.load(Ordering::Relaxed),
    }
}

/// The guest's wall clock: the real one, or one pinned to a fixture's `now` that runs on with
/// tokio's clock (so under replay's paused clock it is as deterministic as the monotonic one).
/// Either way it notes that it was read, which tells `record` whether a case needs `now`.
struct WallClock {
    pinned: Option<(Duration, tokio::time::Instant)>,
    read: Arc<AtomicBool>,
}

impl wasmtime_wasi::HostWallClock for WallClock {
    fn resolution(&self) -> Duration {
        Duration::from_nanos(1)
    }

    fn now(&self) -> Duration {
        self.read.store(true, Ordering::Relaxed);
        match self.pinned {
            Some((at, since)) => at + since.elapsed(),
            None => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default(),
        }
    }
}

/// The guest's monotonic clock, read from tokio's clock. wasmtime-wasi sleeps
/// (`subscribe-duration`) on tokio timers, so with this clock the guest's "now" and its sleeps
/// agree; under a paused runtime ([`virtual_time_runtime`]) both are virtual.
struct TokioClock {
    start: tokio::time::Instant,
}

impl TokioClock {
    fn new() -> TokioClock {
        TokioClock {
            start: tokio::time::Instant::now(),
        }
    }
}

impl wasmtime_wasi::HostMonotonicClock for TokioClock {
    fn resolution(&self) -> u64 {
        1
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_nanos()).unwrap_or(u64::MAX)
    }
}

/// A current-thread tokio runtime whose clock is paused and jumps ahead whenever everything is
/// waiting on a timer: replay uses it so a component that waits (the one-call media post
/// polling for processing) runs in virtual time, instantly and deterministically. Timeouts
/// (the call limit, slow answers) are virtual too.
pub fn virtual_time_runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .start_paused(true)
        .build()?)
}

/// A current-thread tokio runtime: the fastest way to drive async wasmtime calls one at a time.
/// I/O is enabled for live mode.
pub fn tokio_runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// A current-thread runtime with timers but no I/O driver, for calls answered in-process
/// (`bench`). Without an I/O driver, the runtime parks on a flag instead of an `epoll_wait`
/// system call each time the guest waits for a response: one syscall fewer per HTTP request.
pub fn in_process_runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?)
}
