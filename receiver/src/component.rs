//! The wasi:http side: the `incoming-handler` export, the request as [`Incoming`], the body read
//! within its limit, the answer written back, and the engine as the handler's [`Host`] (the
//! connector's wasi:http transport and clocks, stderr for the log).

use std::time::Duration;

use http::Method;
use linkedin_connector::component::{clocks, transport};
use linkedin_connector::core::http::{ReadError, Request, Response, TransportError};
use wasip2::exports::http::incoming_handler::Guest;
use wasip2::http::types::{
    Fields, IncomingRequest, Method as WasiMethod, OutgoingBody, OutgoingResponse, ResponseOutparam,
};
use wasip2::io::streams::StreamError;

use crate::handler::{self, Answer, Host, Incoming};
use crate::settings::Settings;

/// How much is asked of the body stream per read.
const CHUNK: u64 = 64 * 1024;

/// `blocking-write-and-flush` takes at most 4096 bytes a call.
const WRITE_CHUNK: usize = 4096;

struct Receiver;

wasip2::http::proxy::export!(Receiver);

impl Guest for Receiver {
    fn handle(request: IncomingRequest, response_out: ResponseOutparam) {
        let settings = Settings::read(|name| std::env::var(name).ok());
        let headers: Vec<(String, String)> = request
            .headers()
            .entries()
            .into_iter()
            .filter_map(|(name, value)| String::from_utf8(value).ok().map(|value| (name, value)))
            .collect();
        let path_with_query = request.path_with_query().unwrap_or_default();
        let incoming = Incoming {
            method: method(request.method()),
            path_with_query: &path_with_query,
            headers: &headers,
        };
        let mut host = Engine { request };
        let answer = handler::handle(&incoming, settings.as_ref(), &mut host);
        respond(response_out, answer);
    }
}

fn method(method: WasiMethod) -> Method {
    match method {
        WasiMethod::Get => Method::GET,
        WasiMethod::Post => Method::POST,
        WasiMethod::Head => Method::HEAD,
        WasiMethod::Put => Method::PUT,
        WasiMethod::Delete => Method::DELETE,
        WasiMethod::Connect => Method::CONNECT,
        WasiMethod::Options => Method::OPTIONS,
        WasiMethod::Trace => Method::TRACE,
        WasiMethod::Patch => Method::PATCH,
        // Any other method is answered 405 like these; one that is not a token still is.
        WasiMethod::Other(other) => Method::from_bytes(other.as_bytes()).unwrap_or(Method::TRACE),
    }
}

/// Sets the response head, then writes the body in the pieces the stream takes.
fn respond(response_out: ResponseOutparam, answer: Answer) {
    let mut entries: Vec<(String, Vec<u8>)> = answer
        .headers
        .iter()
        .map(|(name, value)| (name.as_str().to_string(), value.as_bytes().to_vec()))
        .collect();
    entries.push((
        "content-length".into(),
        answer.body.len().to_string().into_bytes(),
    ));
    let headers = Fields::from_list(&entries).unwrap_or_else(|_| Fields::new());
    let response = OutgoingResponse::new(headers);
    // Every status the handler gives is valid; the engine's default (200) is never kept.
    let _ = response.set_status_code(answer.status);
    let body = response.body();
    ResponseOutparam::set(response_out, Ok(response));
    let Ok(body) = body else {
        return;
    };
    if let Ok(stream) = body.write() {
        for chunk in answer.body.chunks(WRITE_CHUNK) {
            if stream.blocking_write_and_flush(chunk).is_err() {
                // The client went away: nothing more to tell it.
                break;
            }
        }
    }
    let _ = OutgoingBody::finish(body, None);
}

/// The engine, for one request. The request stays alive while its body is read (a body may
/// not outlive it).
struct Engine {
    request: IncomingRequest,
}

impl Host for Engine {
    fn read_body(&mut self, limit: usize) -> Result<Vec<u8>, ReadError> {
        let body = self
            .request
            .consume()
            .map_err(|()| ReadError::Io("the body was already taken".into()))?;
        let stream = body
            .stream()
            .map_err(|()| ReadError::Io("the body stream was already taken".into()))?;
        let mut out = Vec::new();
        loop {
            match stream.blocking_read(CHUNK) {
                Ok(chunk) if out.len() + chunk.len() > limit => return Err(ReadError::TooLarge),
                Ok(chunk) => out.extend_from_slice(&chunk),
                Err(StreamError::Closed) => return Ok(out),
                Err(StreamError::LastOperationFailed(e)) => {
                    return Err(ReadError::Io(e.to_debug_string()));
                }
            }
        }
    }

    fn send(&mut self, request: Request<'_>) -> Result<Response, TransportError> {
        transport::send(request)
    }

    fn sleep(&mut self, duration: Duration) {
        clocks::sleep(duration)
    }

    fn monotonic_now(&mut self) -> Duration {
        clocks::monotonic_now()
    }

    fn unix_time_ms(&mut self) -> u64 {
        clocks::unix_time_ms()
    }

    fn log(&mut self, line: &str) {
        eprintln!("{line}");
    }
}
