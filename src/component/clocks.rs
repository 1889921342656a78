//! The clocks of `wasi:clocks`, as the pipeline's `Env` asks for them.

use std::time::Duration;

use wasip2::clocks::{monotonic_clock, wall_clock};

/// Blocks for `duration`.
pub fn sleep(duration: Duration) {
    let nanos = u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX);
    monotonic_clock::subscribe_duration(nanos).block();
}

/// The monotonic clock.
pub fn monotonic_now() -> Duration {
    Duration::from_nanos(monotonic_clock::now())
}

/// Wall-clock milliseconds since the Unix epoch.
pub fn unix_time_ms() -> u64 {
    let now = wall_clock::now();
    now.seconds * 1000 + u64::from(now.nanoseconds / 1_000_000)
}
