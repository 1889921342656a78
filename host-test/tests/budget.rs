//! The release component's size budget (issue 2: under 400 KiB). Every dependency and every
//! command shows in the size, so a change that crosses the line fails here, not in a review.

use host_test::runtime::default_component_path;

const BUDGET: u64 = 400 * 1024;

#[test]
fn the_release_component_is_under_400_kib() {
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
        "{} is {size} bytes, over the {BUDGET}-byte budget; measure with `twiggy top` on a \
         build with LINKEDIN_WASM_OPT=off and cut before adding",
        path.display()
    );
}
