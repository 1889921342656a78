//! The answer to one request, row by row of the receiver's table (README, "The lead receiver"):
//! the challenge, a signed notification (fetch each created lead, forward each notification
//! signed), and every refusal. Plain Rust over the [`Host`] trait, so it runs natively in tests;
//! `component.rs` is the wasi:http side.
//!
//! Nothing in a request chooses where anything is sent: LinkedIn's API host is fixed by the
//! connector's pipeline and the forward target comes from the settings. The signature is checked
//! over the raw bytes before anything is parsed, and nothing is fetched or forwarded before it
//! passes.

use std::time::Duration;

use http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, Method};
use linkedin_connector::commands::get_lead::GetLead;
use linkedin_connector::core::command::Command;
use linkedin_connector::core::error::{
    ApiError, Decode, Duplicate, Error, Forbidden, RateLimited, StatusError, Transport,
};
use linkedin_connector::core::http::{
    Body, ReadError, Request, Response, TransportError, TransportReason,
};
use linkedin_connector::core::leads::{Lead, LeadFetcher};
use linkedin_connector::core::pipeline::{Client, CredentialError, Env};
use linkedin_connector::core::webhook::{
    LeadNotification, challenge_response, is_challenge_code, parse_notifications, signature_header,
    verify_signature,
};
use serde::Serialize;

use crate::forward::{self, Delivery};
use crate::settings::{ACCESS_TOKEN, ConfigError, Settings};

/// The largest notification body read; LinkedIn's are well under a kilobyte.
pub const MAX_BODY: usize = 1024 * 1024;

/// The most of a forward target's answer that is read (and dropped).
const MAX_FORWARD_ANSWER: usize = 64 * 1024;

/// The head of a request as the engine hands it over.
pub struct Incoming<'a> {
    pub method: Method,
    /// The path and query (`/linkedin?challengeCode=…`); any path is served, since the engine's
    /// route decides what reaches the receiver.
    pub path_with_query: &'a str,
    /// Header names and values; values that are not text are left out.
    pub headers: &'a [(String, String)],
}

/// What the receiver needs from the engine for one request.
pub trait Host {
    /// The request body, at most `limit` bytes: `TooLarge` as soon as it has more, without
    /// reading the rest.
    fn read_body(&mut self, limit: usize) -> Result<Vec<u8>, ReadError>;
    /// Sends an outgoing request (to LinkedIn or to the forward target).
    fn send(&mut self, request: Request<'_>) -> Result<Response, TransportError>;
    fn sleep(&mut self, duration: Duration);
    fn monotonic_now(&mut self) -> Duration;
    /// Wall-clock milliseconds since the Unix epoch.
    fn unix_time_ms(&mut self) -> u64;
    /// One line for the operator's log. Callers pass no secret, no token and no lead data
    /// beyond a lead's URN.
    fn log(&mut self, line: &str);
}

/// The response to send.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Vec<u8>,
}

impl Answer {
    fn json(status: u16, body: &impl Serialize) -> Answer {
        Answer {
            status,
            headers: vec![(CONTENT_TYPE, HeaderValue::from_static("application/json"))],
            body: serde_json::to_vec(body).unwrap_or_default(),
        }
    }

    /// `{"error": {"kind": …, "message": …}}`, with the setting or field it names.
    fn error(status: u16, problem: Problem<'_>) -> Answer {
        #[derive(Serialize)]
        struct Failure<'a> {
            error: Problem<'a>,
        }
        Answer::json(status, &Failure { error: problem })
    }

    fn from_error(status: u16, error: &Error) -> Answer {
        Answer::error(
            status,
            Problem {
                kind: error.kind(),
                setting: None,
                field: error.field(),
                message: error.message(),
            },
        )
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    setting: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    message: &'a str,
}

impl<'a> Problem<'a> {
    fn new(kind: &'a str, message: &'a str) -> Problem<'a> {
        Problem {
            kind,
            setting: None,
            field: None,
            message,
        }
    }
}

/// Answers one request, and logs one line saying what was done.
pub fn handle(
    request: &Incoming<'_>,
    settings: Result<&Settings, &ConfigError>,
    host: &mut dyn Host,
) -> Answer {
    let (answer, note) = match settings {
        Err(e) => (
            Answer::error(
                503,
                Problem {
                    kind: "configuration",
                    setting: Some(e.setting),
                    field: None,
                    message: &e.message,
                },
            ),
            format!("configuration: {} is missing or wrong", e.setting),
        ),
        Ok(settings) => match request.method {
            Method::GET => challenge(request, settings),
            Method::POST => notifications(request, settings, host),
            _ => {
                let mut answer = Answer::error(
                    405,
                    Problem::new(
                        "method-not-allowed",
                        "The receiver answers GET (LinkedIn's challenge) and POST (notifications) \
                         only.",
                    ),
                );
                answer
                    .headers
                    .push((http::header::ALLOW, HeaderValue::from_static("GET, POST")));
                (answer, "method not allowed".to_string())
            }
        },
    };
    host.log(&format!(
        "receiver: {} {}: {note}",
        request.method, answer.status
    ));
    answer
}

/// `GET ?challengeCode=…`: the HMAC of the code, for a code of LinkedIn's shape only (anything
/// else would make the endpoint a signing oracle). No outbound call on this path.
fn challenge(request: &Incoming<'_>, settings: &Settings) -> (Answer, String) {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct ChallengeAnswer<'a> {
        challenge_code: &'a str,
        challenge_response: String,
    }
    let query = request
        .path_with_query
        .split_once('?')
        .map(|(_, query)| query)
        .unwrap_or_default();
    let codes: Vec<String> = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| key == "challengeCode")
        .map(|(_, value)| value.into_owned())
        .collect();
    match codes.as_slice() {
        [code] if is_challenge_code(code) => (
            Answer::json(
                200,
                &ChallengeAnswer {
                    challenge_code: code,
                    challenge_response: challenge_response(&settings.client_secret, code),
                },
            ),
            "challenge answered".to_string(),
        ),
        _ => (
            Answer::from_error(
                400,
                &Error::invalid(
                    "challengeCode",
                    "A GET must carry one challengeCode of LinkedIn's shape (letters, digits \
                     and -, at most 128 characters).",
                ),
            ),
            "no challengeCode of LinkedIn's shape".to_string(),
        ),
    }
}

/// `POST` with LinkedIn's notifications.
fn notifications(
    request: &Incoming<'_>,
    settings: &Settings,
    host: &mut dyn Host,
) -> (Answer, String) {
    let refused = |error: Error| (Answer::from_error(401, &error), "invalid signature".into());
    // Before the body is read: a request that cannot be LinkedIn's costs nothing more.
    let signature = match signature_header(request.headers) {
        Ok(Some(signature)) => signature,
        Ok(None) => {
            return refused(Error::invalid_signature(
                "The request has no X-LI-Signature header: it did not come from LinkedIn.",
            ));
        }
        Err(error) => return refused(error),
    };
    let too_large = || {
        let message = format!("The body is larger than {MAX_BODY} bytes.");
        (
            Answer::error(413, Problem::new("too-large", &message)),
            "body too large".to_string(),
        )
    };
    let declared = request
        .headers
        .iter()
        .filter(|(name, _)| name.eq_ignore_ascii_case(CONTENT_LENGTH.as_str()))
        .find_map(|(_, value)| value.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_BODY as u64) {
        return too_large();
    }
    let body = match host.read_body(MAX_BODY) {
        Ok(body) => body,
        Err(ReadError::TooLarge) => return too_large(),
        Err(ReadError::Io(_)) => {
            return (
                Answer::error(
                    400,
                    Problem::new("decode", "The request body could not be read whole."),
                ),
                "body unreadable".to_string(),
            );
        }
    };
    if let Err(error) = verify_signature(&settings.client_secret, Some(signature), &body) {
        return refused(error);
    }
    // Signed by LinkedIn from here on.
    let parsed = std::str::from_utf8(&body)
        .map_err(|_| Error::decode(0, "The webhook body is signed correctly but is not UTF-8."))
        .and_then(parse_notifications);
    let notifications = match parsed {
        Ok(notifications) => notifications,
        Err(error) => {
            return (
                Answer::from_error(400, &error),
                "signed body is not a notification".to_string(),
            );
        }
    };
    deliver(&notifications, settings, host)
}

/// Fetches each created lead and forwards each notification, in order; the first failure that
/// may heal stops the request with a 502, so LinkedIn delivers it again (the forwards already
/// made are then repeated with the same deliveryId).
fn deliver(
    notifications: &[LeadNotification],
    settings: &Settings,
    host: &mut dyn Host,
) -> (Answer, String) {
    #[derive(Serialize)]
    struct Delivered {
        forwarded: usize,
    }
    let mut linkedin = LinkedIn { host, settings };
    let mut fetcher = LeadFetcher::default();
    let mut notes = Vec::with_capacity(notifications.len());
    for notification in notifications {
        let urn = &notification.lead_urn;
        let fetch =
            notification.action.as_deref() == Some("CREATED") && settings.access_token.is_some();
        let fetched: Result<Option<Lead>, Error> = if fetch {
            let mut client = Client::new(&mut linkedin, &GetLead::SPEC);
            fetcher.fetch(&mut client, &notification.lead_id).map(Some)
        } else {
            Ok(None)
        };
        let (lead, lead_error) = match fetched {
            Ok(lead) => (lead, None),
            Err(error) if will_not_heal(&error) => (None, Some(error)),
            Err(error) => {
                let message = format!(
                    "The lead {urn} could not be fetched ({}); deliver the notification again \
                     later.",
                    outline(&error)
                );
                let answer = Answer::error(502, Problem::new(error.kind(), &message));
                return (answer, format!("{urn} not fetched: {}", outline(&error)));
            }
        };
        let delivery = Delivery {
            delivery_id: forward::delivery_id(notification),
            notification,
            lead: lead.as_ref(),
            lead_error: lead_error.as_ref(),
        };
        let action = notification.action.as_deref().unwrap_or("no action");
        if let Err(why) = send_forward(linkedin.host, settings, &delivery) {
            let message = format!(
                "The notification of {urn} could not be forwarded ({why}); deliver it again later."
            );
            let answer = Answer::error(502, Problem::new("forward", &message));
            return (answer, format!("{urn} {action} not forwarded: {why}"));
        }
        notes.push(match &lead_error {
            Some(error) => format!(
                "{urn} {action} forwarded without its lead ({})",
                outline(error)
            ),
            None if lead.is_some() => format!("{urn} {action} forwarded with its lead"),
            None => format!("{urn} {action} forwarded"),
        });
    }
    let answer = Answer::json(
        200,
        &Delivered {
            forwarded: notifications.len(),
        },
    );
    (answer, notes.join("; "))
}

/// POSTs one delivery to the forward target, signed; the reason when it did not get a 2xx.
fn send_forward(
    host: &mut dyn Host,
    settings: &Settings,
    delivery: &Delivery<'_>,
) -> Result<(), String> {
    let body = serde_json::to_vec(delivery).map_err(|e| format!("not serialisable: {e}"))?;
    let timestamp = host.unix_time_ms() / 1000;
    let signature = forward::signature(&settings.forward_secret, timestamp, &body);
    let mut headers = HeaderMap::with_capacity(3);
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    headers.insert(
        HeaderName::from_static(forward::TIMESTAMP_HEADER),
        HeaderValue::from(timestamp),
    );
    headers.insert(
        HeaderName::from_static(forward::SIGNATURE_HEADER),
        HeaderValue::try_from(signature).map_err(|_| "the signature is not a header value")?,
    );
    let request = Request {
        method: Method::POST,
        uri: settings.forward_url.clone(),
        headers,
        body: Body::Bytes(body),
    };
    match host.send(request) {
        Ok(mut response) => {
            // Read to the end (what little a target says), so that an engine can use the
            // connection again; the answer itself is not looked at.
            let _ = response.body.read_all(MAX_FORWARD_ANSWER);
            if response.status.is_success() {
                Ok(())
            } else {
                Err(format!(
                    "the forward target answered {}",
                    response.status.as_u16()
                ))
            }
        }
        Err(error) => Err(format!(
            "the forward target could not be reached: {}",
            reason(error.reason)
        )),
    }
}

/// Whether a failed lead fetch is for good: LinkedIn refused it with a 4xx (an expired token, a
/// missing role, a deleted lead), so the notification is forwarded with the error instead of
/// failing the delivery for ever. A 408 or 429 will heal, as will a 5xx, a transport failure or
/// an answer that did not read: those answer 502, and LinkedIn delivers again later.
fn will_not_heal(error: &Error) -> bool {
    match error {
        Error::Unauthorized(_)
        | Error::Forbidden(_)
        | Error::NotFound(_)
        | Error::Duplicate(_)
        | Error::VersionRetired(_)
        | Error::InvalidInput(_)
        | Error::Credentials(_) => true,
        Error::Api(ApiError { status, .. }) => {
            (400..500).contains(status) && *status != 408 && *status != 429
        }
        Error::RateLimited(_)
        | Error::Transport(_)
        | Error::Decode(_)
        | Error::InvalidSignature(_)
        | Error::MediaUnavailable(_) => false,
    }
}

/// An error in a few words for the log and the 502 answer: its kind and status (or transport
/// reason), never its message, which may quote LinkedIn's answer.
fn outline(error: &Error) -> String {
    let status = match error {
        Error::Unauthorized(StatusError { status, .. })
        | Error::NotFound(StatusError { status, .. })
        | Error::Forbidden(Forbidden { status, .. })
        | Error::Duplicate(Duplicate { status, .. })
        | Error::RateLimited(RateLimited { status, .. })
        | Error::Api(ApiError { status, .. })
        | Error::Decode(Decode { status, .. }) => Some(*status),
        _ => None,
    };
    match (error, status) {
        (Error::Transport(Transport { reason: why, .. }), _) => {
            format!("transport: {}", reason(*why))
        }
        (_, Some(status)) if status > 0 => format!("{} {status}", error.kind()),
        _ => error.kind().to_string(),
    }
}

fn reason(reason: TransportReason) -> &'static str {
    match reason {
        TransportReason::Dns => "dns",
        TransportReason::ConnectionRefused => "connection-refused",
        TransportReason::Timeout => "timeout",
        TransportReason::Tls => "tls",
        TransportReason::Denied => "denied",
        TransportReason::Other => "other",
    }
}

/// The connector's pipeline, as the receiver runs it: secrets and the version from the
/// settings, HTTP and clocks from the engine.
struct LinkedIn<'h> {
    host: &'h mut dyn Host,
    settings: &'h Settings,
}

impl Env for LinkedIn<'_> {
    fn send(&mut self, request: Request<'_>) -> Result<Response, TransportError> {
        self.host.send(request)
    }

    fn access_token(&mut self) -> Result<String, CredentialError> {
        self.settings
            .access_token
            .clone()
            .ok_or_else(|| CredentialError::NotConfigured(format!("{ACCESS_TOKEN} is not set")))
    }

    fn client_secret(&mut self) -> Result<String, CredentialError> {
        Ok(self.settings.client_secret.clone())
    }

    fn setting(&mut self, name: &str) -> Option<String> {
        match name {
            "linkedinVersion" => self.settings.version.clone(),
            _ => None,
        }
    }

    fn sleep(&mut self, duration: Duration) {
        self.host.sleep(duration)
    }

    fn monotonic_now(&mut self) -> Duration {
        self.host.monotonic_now()
    }

    fn unix_time_ms(&mut self) -> u64 {
        self.host.unix_time_ms()
    }
}
