//! The floor of `host-test bench`: the least any component can do to answer get-user-info. It
//! exports the connector's own `datasource` interface (so the harness finds and calls it exactly
//! as it calls the connector) and answers every call with one `wasi:http` GET of
//! `https://api.linkedin.com/v2/userinfo`, returning the body as it came. No input reading, no
//! credentials, no JSON: what is left is the cost of the component boundary, one wasi:http round
//! trip and reading a body, which every command pays at least once. The connector's figures are
//! reported as multiples of this one.
//!
//! Built with the workspace's release profile, like the connector.

#![cfg(target_arch = "wasm32")]

wit_bindgen::generate!({
    inline: "
        package connector:floor;

        world floor {
            import wasi:http/outgoing-handler@0.2.12;
            export connector:linkedin/datasource@0.1.0;
        }
    ",
    // The connector's WIT, for its `datasource` interface and the vendored WASI 0.2.12.
    path: ["../../wit"],
    generate_all,
});

use connector::linkedin::types::{Error, TransportError, TransportReason};
use exports::connector::linkedin::datasource::{Catalog, Guest};
use wasi::http::outgoing_handler;
use wasi::http::types::{Fields, OutgoingRequest, Scheme};
use wasi::io::streams::StreamError;

struct Floor;

export!(Floor);

impl Guest for Floor {
    fn describe() -> Catalog {
        Catalog {
            name: "floor".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            default_linkedin_version: String::new(),
            commands: Vec::new(),
        }
    }

    fn execute(_command: String, _input: String) -> Result<String, Error> {
        user_info().map_err(|message| {
            Error::Transport(TransportError {
                reason: TransportReason::Other,
                message,
            })
        })
    }

    fn execute_json(_command: String, _input: String) -> String {
        user_info().unwrap_or_else(|message| format!("{{\"error\":{message:?}}}"))
    }
}

/// One GET, the whole body read back as text.
fn user_info() -> Result<String, String> {
    let request = OutgoingRequest::new(Fields::new());
    request
        .set_scheme(Some(&Scheme::Https))
        .and_then(|()| request.set_authority(Some("api.linkedin.com")))
        .and_then(|()| request.set_path_with_query(Some("/v2/userinfo")))
        .map_err(|()| "the host refused the request".to_string())?;
    let future = outgoing_handler::handle(request, None).map_err(|e| format!("{e:?}"))?;
    let response = loop {
        future.subscribe().block();
        match future.get() {
            Some(Ok(Ok(response))) => break response,
            Some(Ok(Err(code))) => return Err(format!("{code:?}")),
            Some(Err(())) => return Err("the response was already taken".into()),
            None => continue,
        }
    };
    let body = response
        .consume()
        .map_err(|()| "the body was already taken".to_string())?;
    let stream = body
        .stream()
        .map_err(|()| "the body stream was already taken".to_string())?;
    let mut bytes = Vec::new();
    loop {
        match stream.blocking_read(64 * 1024) {
            Ok(chunk) => bytes.extend_from_slice(&chunk),
            Err(StreamError::Closed) => break,
            Err(StreamError::LastOperationFailed(e)) => return Err(e.to_debug_string()),
        }
    }
    drop(stream);
    String::from_utf8(bytes).map_err(|e| e.to_string())
}
