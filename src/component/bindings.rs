//! The bindings wit-bindgen generates from `wit/`: the world's exports to implement (glue.rs)
//! and its imports (credentials, and the wasi:http, wasi:io and wasi:clocks interfaces the
//! transport uses). A module of their own, so the glue and the transport both depend on them and
//! not on each other.

wit_bindgen::generate!({
    world: "connector",
    path: "wit",
    // The wasi:http, wasi:io and wasi:clocks bindings come from wit/deps, by this wit-bindgen.
    generate_all,
});
