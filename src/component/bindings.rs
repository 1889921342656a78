//! The bindings wit-bindgen generates from `wit/`: the world's exports to implement (glue.rs)
//! and its `credentials` import. The standard WASI interfaces the world names are mapped onto the
//! `wasip2` crate's types, which the transport (shared with the receiver) is written against, so
//! both components talk to wasi:http through the same types.

wit_bindgen::generate!({
    world: "connector",
    path: "wit",
    with: {
        "wasi:http/types@0.2.12": wasip2::http::types,
        "wasi:http/outgoing-handler@0.2.12": wasip2::http::outgoing_handler,
        "wasi:io/error@0.2.12": wasip2::io::error,
        "wasi:io/poll@0.2.12": wasip2::io::poll,
        "wasi:io/streams@0.2.12": wasip2::io::streams,
        "wasi:clocks/monotonic-clock@0.2.12": wasip2::clocks::monotonic_clock,
        "wasi:clocks/wall-clock@0.2.12": wasip2::clocks::wall_clock,
    },
});
