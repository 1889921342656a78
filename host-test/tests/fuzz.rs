//! The component-boundary fuzzer (`host-test fuzz`, src/fuzz) for 45 seconds as part of
//! `make test`: random commands, inputs and LinkedIn answers through execute and execute-json,
//! and every case must not trap, must fail only with typed errors, must send secrets only where
//! they belong and must return none. The seed comes from the clock and is printed;
//! `FUZZ_SEED=<seed>` repeats a run, and each failure prints the `host-test fuzz --case` line
//! that replays it. `make fuzz` runs the same for ten minutes. The component must be built
//! first (`make build`).

use host_test::fuzz::{self, FuzzOptions};
use host_test::runtime::{Limits, Runtime, default_component_path};

const SECONDS: u64 = 45;

#[test]
fn the_component_boundary_holds_under_random_input_and_answers() {
    let path = default_component_path();
    let runtime = Runtime::load(&path, Limits::default()).unwrap_or_else(|e| {
        panic!(
            "cannot load {} (run `make build` first): {e:#}",
            path.display()
        )
    });
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or_default()
        });
    println!("fuzz: seed {seed}, {SECONDS} s (FUZZ_SEED={seed} repeats this run)");
    let options = FuzzOptions {
        seconds: Some(SECONDS),
        cases: None,
        seed,
    };
    let report = fuzz::run(&runtime, options).expect("the fuzzer runs");
    for failure in &report.failures {
        println!("{failure}");
    }
    println!("{}", report.details());
    println!("{}", report.summary());
    assert!(
        report.failures.is_empty(),
        "{} failing cases (seed {seed}); each is printed above with the line that replays it",
        report.failures.len()
    );

    // A fuzzer that stopped reaching the component would pass too: it must have covered
    // every command, gone past the input checks, and sent requests.
    assert!(report.cases >= 5_000, "only {} cases ran", report.cases);
    let catalog = runtime.exports().commands.len();
    let named = report
        .by_command
        .keys()
        .filter(|name| *name != "(not a command)")
        .count();
    assert!(
        named >= catalog,
        "only {named} commands were fuzzed, the component has {catalog}: {:?}",
        report.by_command
    );
    let ok = report.by_outcome.get("ok").copied().unwrap_or_default();
    assert!(
        ok * 20 >= report.cases,
        "under 5% of the cases got past the input checks and the answers: {:?}",
        report.by_outcome
    );
    assert!(
        report.requests >= report.cases / 10,
        "only {} requests in {} cases",
        report.requests,
        report.cases
    );
}
