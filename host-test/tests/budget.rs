//! The release component's size budget: 1.5 MiB with every command, the Ads and Lead Sync ones
//! included. Every dependency and every command shows in the size, so a change that crosses the
//! line fails here, not in a review. `host-test bench` prints the same figure next to the
//! floor's.

use host_test::bench::SIZE_BUDGET;
use host_test::runtime::default_component_path;

#[test]
fn the_release_component_is_within_its_budget() {
    let path = default_component_path();
    let size = std::fs::metadata(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (build it with `make build`)", path.display()))
        .len();
    println!(
        "component: {size} bytes ({:.1} KiB), {} bytes under the {} KiB budget",
        size as f64 / 1024.0,
        SIZE_BUDGET.saturating_sub(size),
        SIZE_BUDGET / 1024
    );
    assert!(
        size <= SIZE_BUDGET,
        "{} is {size} bytes, over the {SIZE_BUDGET}-byte budget; `twiggy top` on a build with \
         `--config profile.release.strip=false` shows what grew (README, \"Size and speed\")",
        path.display()
    );
}
