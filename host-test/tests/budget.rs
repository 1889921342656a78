//! The release component's size budget: 1.5 MiB with every command, the Ads and Lead Sync ones
//! included. Every dependency and every command shows in the size, so a change that crosses the
//! line fails here, not in a review.

use host_test::runtime::default_component_path;

const BUDGET: u64 = 1536 * 1024;

#[test]
fn the_release_component_is_within_its_budget() {
    let path = default_component_path();
    let size = std::fs::metadata(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (build it with `make build`)", path.display()))
        .len();
    println!(
        "component: {size} bytes ({:.1} KiB), {} bytes under the {} KiB budget",
        size as f64 / 1024.0,
        BUDGET.saturating_sub(size),
        BUDGET / 1024
    );
    assert!(
        size < BUDGET,
        "{} is {size} bytes, over the {BUDGET}-byte budget; `cargo bloat`-style measures \
         (`twiggy top` on a build with `strip = false`) show what grew",
        path.display()
    );
}
