//! The fuzzer's LinkedIn (and every other server): answers each request with a random status,
//! random headers and a random body, shaped after what that endpoint returns often enough to
//! take the component down its success paths, and now and then echoing a secret the request
//! carried (the bearer token, or what token introspection is given) in one of the forms a
//! server might use, to test that the component never passes it on. A server only echoes what
//! it was sent: a video part upload or a media source fetch, which carry no secret, get none
//! back. Every request is kept for the checks.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use bytes::Bytes;
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::{Value, json};

use super::checks::contains_secret;
use super::inputs::{CLIENT_SECRET, TOKEN, file_size, upload_instructions};
use super::rng::Rng;
use crate::fixture::Fault;
use crate::http_hook::{Answer, Responder, SentRequest};

/// More requests than any command makes for one call; past this every request fails, so a
/// component that loops on requests ends instead of running into the call limit.
pub const MAX_REQUESTS: usize = 400;

/// One request and a line saying how it was answered.
#[derive(Clone, Debug)]
pub struct Exchange {
    pub request: SentRequest,
    pub answer: String,
}

/// Answers requests from a seeded stream: the same seed and the same requests give the same
/// answers, so `execute` and `execute-json` of one case see the same server.
pub struct FuzzResponder {
    state: Mutex<State>,
}

struct State {
    rng: Rng,
    /// Whether the server mostly answers as a working LinkedIn does.
    calm: bool,
    /// The case's wall clock, for expiry stamps.
    now_ms: u64,
    exchanges: Vec<Exchange>,
}

impl FuzzResponder {
    pub fn new(seed: u64, now_ms: u64, calm: bool) -> Arc<FuzzResponder> {
        Arc::new(FuzzResponder {
            state: Mutex::new(State {
                rng: Rng::new(seed),
                calm,
                now_ms,
                exchanges: Vec::new(),
            }),
        })
    }

    /// Every request so far, with its answer.
    pub fn exchanges(&self) -> Vec<Exchange> {
        self.state
            .lock()
            .map(|s| s.exchanges.clone())
            .unwrap_or_default()
    }
}

impl Responder for FuzzResponder {
    fn respond(&self, request: SentRequest) -> Answer {
        let Ok(mut state) = self.state.lock() else {
            return Answer::Fault(Fault::ProtocolError);
        };
        let (answer, summary) = if state.exchanges.len() >= MAX_REQUESTS {
            (
                Answer::Fault(Fault::ConnectionRefused),
                "refused (too many requests)".into(),
            )
        } else {
            let ask = Ask {
                request: &request,
                now_ms: state.now_ms,
                calm: state.calm,
                carried: carried_secrets(&request),
            };
            answer(&mut state.rng, &ask)
        };
        state.exchanges.push(Exchange {
            request,
            answer: summary,
        });
        answer
    }
}

/// A request and what its answer may draw on.
struct Ask<'a> {
    request: &'a SentRequest,
    /// The case's wall clock, for expiry stamps.
    now_ms: u64,
    calm: bool,
    /// The secrets the request carried, in any form: the only ones its answer may echo.
    carried: Vec<&'static str>,
}

fn carried_secrets(request: &SentRequest) -> Vec<&'static str> {
    [TOKEN, CLIENT_SECRET]
        .into_iter()
        .filter(|secret| {
            contains_secret(request.url.as_bytes(), secret)
                || contains_secret(&request.body, secret)
                || request
                    .headers
                    .iter()
                    .any(|(_, v)| contains_secret(v.as_bytes(), secret))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Which endpoint a request is for

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endpoint {
    UserInfo,
    Introspect,
    Register(Media),
    Finalize,
    Posts,
    MediaStatus,
    Lead,
    LeadForm,
    /// A PUT of file bytes to an upload URL.
    Upload,
    /// Anything not on a linkedin.com host: a media `sourceUrl`.
    Source,
    /// Any other LinkedIn path (custom-action).
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Media {
    Image,
    Video,
    Document,
}

impl Endpoint {
    fn of(request: &SentRequest) -> Endpoint {
        let host = request.host();
        if !(host == "linkedin.com" || host.ends_with(".linkedin.com")) {
            return Endpoint::Source;
        }
        let url = request.url.as_str();
        let uri = url.parse::<http::Uri>().ok();
        let path = uri.as_ref().map_or("", |u| u.path());
        if request.method == "PUT" {
            return Endpoint::Upload;
        }
        if path.ends_with("/oauth/v2/introspectToken") {
            return Endpoint::Introspect;
        }
        if path == "/v2/userinfo" {
            return Endpoint::UserInfo;
        }
        if url.contains("action=initializeUpload") {
            return Endpoint::Register(if path.contains("/videos") {
                Media::Video
            } else if path.contains("/documents") {
                Media::Document
            } else {
                Media::Image
            });
        }
        if url.contains("action=finalizeUpload") {
            return Endpoint::Finalize;
        }
        if path == "/rest/posts" && request.method == "POST" {
            return Endpoint::Posts;
        }
        if ["/rest/images/", "/rest/videos/", "/rest/documents/"]
            .iter()
            .any(|p| path.starts_with(p))
        {
            return Endpoint::MediaStatus;
        }
        if path.starts_with("/rest/leadFormResponses") {
            return Endpoint::Lead;
        }
        if path.starts_with("/rest/leadForms") {
            return Endpoint::LeadForm;
        }
        Endpoint::Other
    }

    /// The status a working server answers with.
    fn success(self) -> u16 {
        match self {
            Endpoint::Posts | Endpoint::Upload => 201,
            _ => 200,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Answers

const STATUSES: &[u16] = &[200, 201, 204, 400, 401, 403, 404, 422, 426, 429, 500, 503];

fn answer(rng: &mut Rng, ask: &Ask) -> (Answer, String) {
    let calm = ask.calm;
    if rng.percent(if calm { 1 } else { 4 }) {
        let faults = [
            Fault::Timeout,
            Fault::Dns,
            Fault::ConnectionRefused,
            Fault::ProtocolError,
            Fault::Tls,
            Fault::Denied,
        ];
        let fault = faults[rng.weighted(&[5, 5, 5, 5, 1, 1])];
        return (Answer::Fault(fault), format!("fault {fault:?}"));
    }
    let endpoint = Endpoint::of(ask.request);
    let mut headers: Vec<(String, String)> = Vec::new();
    let (status, body) = if rng.percent(if calm { 1 } else { 3 }) {
        let status = *rng.pick(&[301, 302, 307]);
        headers.push(("location".into(), redirect_target(rng)));
        (status, Vec::new())
    } else {
        let status = if rng.percent(if calm { 90 } else { 60 }) {
            endpoint.success()
        } else {
            *rng.pick(STATUSES)
        };
        let body = if (200..300).contains(&status) {
            success_body(rng, endpoint, ask, &mut headers)
        } else {
            error_body(rng, status, ask, &mut headers)
        };
        (status, body)
    };
    if rng.percent(80) && !headers.iter().any(|(n, _)| n == "content-type") {
        let types = ["application/json", "text/plain", "text/html; charset=utf-8"];
        headers.push(("content-type".into(), rng.pick(&types).to_string()));
    }
    extra_headers(rng, ask, &mut headers);
    let summary = format!("{status} {:?} {}", headers, preview(&body),);
    let answer = Answer::Http {
        status,
        headers,
        body: Bytes::from(body),
    };
    (answer, summary)
}

fn preview(body: &[u8]) -> String {
    match std::str::from_utf8(body) {
        Ok(text) if text.len() <= 400 => text.to_string(),
        Ok(text) => {
            let cut = (0..=400)
                .rev()
                .find(|i| text.is_char_boundary(*i))
                .unwrap_or(0);
            format!("{}… ({} bytes)", &text[..cut], body.len())
        }
        Err(_) => format!("({} bytes, not UTF-8)", body.len()),
    }
}

fn extra_headers(rng: &mut Rng, ask: &Ask, headers: &mut Vec<(String, String)>) {
    if rng.percent(15) {
        let urn = rng.pick(&[
            "urn:li:share:7045020441609936898",
            "urn%3Ali%3Ashare%3A7045020441609936898",
            "urn:li:ugcPost:7045020441609936899",
            "urn:li:share:../../v2/me",
            "",
        ]);
        headers.push(("x-restli-id".into(), urn.to_string()));
    }
    if rng.percent(15) {
        headers.push(("etag".into(), format!("\"etag-{}\"", rng.below(100))));
    }
    if rng.percent(15) {
        let after = [
            "60",
            "0",
            "-1",
            "86400",
            "soon",
            "Wed, 21 Oct 2026 07:28:00 GMT",
            "1e9",
        ];
        headers.push(("retry-after".into(), rng.pick(&after).to_string()));
    }
    if rng.percent(10) {
        headers.push(("date".into(), "Tue, 01 Dec 2026 00:00:00 GMT".into()));
    }
    if !ask.carried.is_empty() && rng.percent(4) {
        let secret = *rng.pick(&ask.carried);
        headers.push(echo_header(rng, secret));
    }
}

/// A response header carrying `secret`.
fn echo_header(rng: &mut Rng, secret: &str) -> (String, String) {
    let encoded = percent(secret, 1);
    match rng.below(4) {
        0 => ("x-echo".into(), secret.into()),
        1 => (
            "www-authenticate".into(),
            format!("Bearer error=\"invalid_token\", token=\"{secret}\""),
        ),
        2 => (
            "location".into(),
            format!("https://api.linkedin.com/v2/me?access_token={encoded}"),
        ),
        _ => ("set-cookie".into(), format!("li_at={encoded}; Secure")),
    }
}

fn redirect_target(rng: &mut Rng) -> String {
    rng.pick(&[
        "http://169.254.169.254/latest/meta-data/",
        "http://localhost/",
        "http://[::1]/",
        "https://evil.example/steal",
        "https://api.linkedin.com/v2/me",
        "/v2/me",
    ])
    .to_string()
}

/// A body for a 2xx answer: mostly what the endpoint returns, otherwise something else.
fn success_body(
    rng: &mut Rng,
    endpoint: Endpoint,
    ask: &Ask,
    headers: &mut Vec<(String, String)>,
) -> Vec<u8> {
    let weights = if ask.calm {
        [92, 2, 2, 1, 2, 1]
    } else {
        [65, 10, 10, 5, 7, 3]
    };
    match rng.weighted(&weights) {
        0 => endpoint_body(rng, endpoint, ask, headers),
        1 => random_json(rng, 0).to_string().into_bytes(),
        2 => echo_body(rng, ask),
        3 => not_utf8(rng, ask),
        4 => Vec::new(),
        _ => deep_json(rng),
    }
}

fn endpoint_body(
    rng: &mut Rng,
    endpoint: Endpoint,
    ask: &Ask,
    headers: &mut Vec<(String, String)>,
) -> Vec<u8> {
    let now_ms = ask.now_ms;
    let body = match endpoint {
        Endpoint::UserInfo => user_info(rng),
        Endpoint::Introspect => json!({
            "active": rng.percent(80),
            "status": rng.pick(&["active", "expired", "revoked", "", "unknown"]),
            "scope": rng.pick(&[
                "openid,profile,email,w_member_social",
                "r_liteprofile,w_member_social,w_organization_social,r_organization_social",
                "r_marketing_leadgen_automation",
                "",
            ]),
            "expires_at": (now_ms / 1000) as i64 + rng.between(0, 120 * 86400) as i64 - 86400,
            "authorized_at": 1_700_000_000,
            "created_at": 1_700_000_000,
            "client_id": "86abc7xyzfuzz",
            "auth_type": "3L",
        }),
        Endpoint::Register(media) => register_answer(rng, media, ask),
        Endpoint::Finalize => return Vec::new(),
        Endpoint::Upload => {
            if rng.percent(90) {
                headers.push(("etag".into(), format!("etag-{}", rng.below(1000))));
            }
            return Vec::new();
        }
        Endpoint::Posts => {
            let urn = rng.pick(&[
                "urn:li:share:7045020441609936898",
                "urn%3Ali%3Ashare%3A7045020441609936898",
                "urn:li:ugcPost:7045020441609936899",
                "urn:li:share:",
                "https://evil.example/",
            ]);
            headers.push(("x-restli-id".into(), urn.to_string()));
            return Vec::new();
        }
        Endpoint::MediaStatus => json!({
            "id": rng.pick(&["urn:li:video:C5505AQH-oV1qvnFtKA", "urn:li:image:C4E10AQFoyyAjHPMQuQ", "x"]),
            "status": *rng.pick(&["AVAILABLE", "AVAILABLE", "PROCESSING", "PROCESSING_FAILED", "WAITING_UPLOAD", "ODD"]),
            "downloadUrl": rng.pick(&["https://media.licdn.com/dms/video/C5505AQH/0", "", "http://127.0.0.1/"]),
            "owner": "urn:li:organization:2414183",
        }),
        Endpoint::Lead => lead(rng),
        Endpoint::LeadForm => lead_form(rng),
        Endpoint::Source => {
            let size = file_size(rng) as usize;
            let kinds = ["image/png", "video/mp4", "application/pdf", "text/html"];
            headers.push(("content-type".into(), rng.pick(&kinds).to_string()));
            return rng.bytes(size);
        }
        Endpoint::Other => linkedin_like(rng),
    };
    body.to_string().into_bytes()
}

fn user_info(rng: &mut Rng) -> Value {
    let mut info = json!({
        "sub": rng.pick(&["782bbtaQ", "", "a/b", "(x:y)", "..", "urn:li:person:x"]),
        "name": "John Doe",
        "given_name": "John",
        "family_name": "Doe",
        "email": "john@example.com",
        "email_verified": true,
        "picture": "https://media.licdn.com/dms/image/C4E03AQ/profile.jpg",
        "locale": {"country": "US", "language": "en"},
    });
    if rng.percent(30) {
        let key = *rng.pick(&["sub", "name", "email_verified", "locale", "picture"]);
        info[key] = random_json(rng, 2);
    }
    info
}

/// register-upload's answer, covering the file size the request asked for (videos).
fn register_answer(rng: &mut Rng, media: Media, ask: &Ask) -> Value {
    let now_ms = ask.now_ms;
    let asked: Value = serde_json::from_slice(&ask.request.body).unwrap_or(Value::Null);
    let size = asked["initializeUploadRequest"]["fileSizeBytes"]
        .as_u64()
        .unwrap_or_else(|| file_size(rng));
    let expires = now_ms + rng.between(0, 3_600_000) - if rng.percent(10) { 7_200_000 } else { 0 };
    match media {
        Media::Video => json!({"value": {
            "uploadUrlsExpireAt": expires,
            "video": "urn:li:video:C5505AQH-oV1qvnFtKA",
            "uploadInstructions": upload_instructions(rng, size),
            "uploadToken": rng.pick(&["", "tok", "a\"b"]),
        }}),
        Media::Image => json!({"value": {
            "uploadUrlExpiresAt": expires,
            "uploadUrl": upload_url(rng, ask),
            "image": "urn:li:image:C4E10AQFoyyAjHPMQuQ",
        }}),
        Media::Document => json!({"value": {
            "uploadUrlExpiresAt": expires,
            "uploadUrl": upload_url(rng, ask),
            "document": "urn:li:document:D4D10AQH4bUe7Y3d0Bg",
        }}),
    }
}

/// An upload URL as LinkedIn hands them out, now and then one that must not be used or one
/// with the token in it.
fn upload_url(rng: &mut Rng, ask: &Ask) -> String {
    match rng.weighted(&[80, 10, 10]) {
        1 if ask.carried.contains(&TOKEN) => format!(
            "https://www.linkedin.com/dms-uploads/C4E10AQF/uploaded-image/0?t={}",
            percent(TOKEN, 1)
        ),
        0 | 1 => "https://www.linkedin.com/dms-uploads/C4E10AQF/uploaded-image/0?ca=vector_feedshare&ut=2H%253D".into(),
        _ => rng
            .pick(&[
                "https://evil.example/dms-uploads/x",
                "http://169.254.169.254/dms-uploads/x",
                "https://www.linkedin.com/dms-uploads/../oauth/v2/accessToken",
                "https://www.linkedin.com.evil.example/dms-uploads/x",
                "https://[::1]/dms-uploads/x",
                "https://api.linkedin.com/v2/me",
            ])
            .to_string(),
    }
}

fn lead(rng: &mut Rng) -> Value {
    let form = rng.pick(&[
        "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)",
        "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:../../v2/me,1)",
        "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246%2F..,1)",
        "urn:li:leadGenForm:7234246",
        "",
    ]);
    let mut lead = json!({
        "id": "249592fc-d272-44ba-a7db-c2bdce579507-6",
        "owner": {"sponsoredAccount": "urn:li:sponsoredAccount:1234567"},
        "leadType": "SPONSORED",
        "versionedLeadGenFormUrn": form,
        "submittedAt": 1_689_894_599_288_u64,
        "testLead": rng.percent(50),
        "formResponse": {"answers": [
            {"questionId": 107234246, "answerDetails": {"textQuestionAnswer": {"answer": "Kevin"}}},
            {"questionId": 707234246, "answerDetails": {"multipleChoiceAnswer": {"options": [0, 2, 99]}}},
        ]},
    });
    if rng.percent(40) {
        lead["form"] = lead_form(rng);
    }
    lead
}

fn lead_form(rng: &mut Rng) -> Value {
    json!({
        "id": 7234246,
        "versionId": 1,
        "name": "Webinar signup",
        "content": {"questions": [
            {"questionId": 107234246, "name": "First name", "predefinedField": "FIRST_NAME",
             "question": {"localized": {"en_US": "First name"}}},
            {"questionId": 707234246, "name": "Colour",
             "question": {"localized": {"en_US": "Favourite colour"}},
             "questionDetails": {"multipleChoiceQuestionDetails": {"options": [
                 {"id": 0, "text": {"localized": {"en_US": "blue"}}},
                 {"id": 2, "text": {"localized": {"en_US": rng.pick(&["green", "", "(x)"])}}},
             ]}}},
        ]},
    })
}

/// Bodies of other LinkedIn endpoints a custom action might call.
fn linkedin_like(rng: &mut Rng) -> Value {
    let bodies = [
        json!({"elements": [{"role": "ADMINISTRATOR", "state": "APPROVED",
            "organization": "urn:li:organization:2414183", "roleAssignee": "urn:li:person:782bbtaQ"}],
            "paging": {"start": 0, "count": 10, "links": [{"rel": "next", "href": "/rest/organizationAcls?start=10"}]}}),
        json!({"results": {"urn:li:person:1": {"localizedFirstName": "A"}}, "statuses": {"urn:li:person:1": 200}, "errors": {}}),
        json!({"reactionSummaries": {"LIKE": {"reactionType": "LIKE", "count": 3}},
            "commentSummary": {"count": 2, "topLevelCount": 1}, "entity": "urn:li:share:7045020441609936898"}),
        json!({"elements": [{"actor": "urn:li:person:782bbtaQ", "message": {"text": "Nice (v2)"},
            "object": "urn:li:activity:7045020441609936900", "id": "7045020441609936901"}]}),
        json!({"id": "urn:li:share:7045020441609936898", "author": "urn:li:organization:2414183",
            "commentary": "Launch \\(v2\\)", "visibility": "PUBLIC", "lifecycleState": "PUBLISHED"}),
        json!({"sub": "782bbtaQ", "name": "John Doe"}),
        json!([]),
        json!("text"),
    ];
    rng.pick(&bodies).clone()
}

fn random_json(rng: &mut Rng, depth: usize) -> Value {
    let leaf = |rng: &mut Rng| match rng.below(6) {
        0 => json!(rng.pick(&["", "x", "urn:li:share:1", "é🙂", "a\u{0}b", "(a:b)"])),
        1 => json!(rng.next_u64() as i64),
        2 => json!(rng.percent(50)),
        3 => Value::Null,
        4 => json!(1.5e300),
        _ => json!(rng.below(1000)),
    };
    if depth > 3 {
        return leaf(rng);
    }
    match rng.below(3) {
        0 => leaf(rng),
        1 => (0..rng.below(4))
            .map(|_| random_json(rng, depth + 1))
            .collect(),
        _ => (0..rng.below(4))
            .map(|_| {
                let key = rng.pick(&[
                    "id",
                    "value",
                    "elements",
                    "status",
                    "message",
                    "uploadUrl",
                    "sub",
                ]);
                (key.to_string(), random_json(rng, depth + 1))
            })
            .collect::<serde_json::Map<_, _>>()
            .into(),
    }
}

/// JSON nested deeper than any parser's default limit.
fn deep_json(rng: &mut Rng) -> Vec<u8> {
    let depth = [129, 1000, 100_000][rng.weighted(&[4, 4, 1])];
    if rng.percent(50) {
        format!("{}{}", "[".repeat(depth), "]".repeat(depth)).into_bytes()
    } else {
        format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)).into_bytes()
    }
}

/// Bytes that are not UTF-8, now and then with a secret the request carried inside.
fn not_utf8(rng: &mut Rng, ask: &Ask) -> Vec<u8> {
    let mut body = vec![0xff, 0xfe, 0x00];
    if !ask.carried.is_empty() && rng.percent(50) {
        body.extend_from_slice(b" token=");
        body.extend_from_slice(rng.pick(&ask.carried).as_bytes());
        body.push(b';');
    }
    let noise = rng.index(64);
    body.extend(rng.bytes(noise));
    body.push(0x80);
    body
}

/// An error answer: LinkedIn's error shape most of the time.
fn error_body(
    rng: &mut Rng,
    status: u16,
    ask: &Ask,
    headers: &mut Vec<(String, String)>,
) -> Vec<u8> {
    if status == 429 && rng.percent(70) {
        headers.push((
            "retry-after".into(),
            rng.pick(&["60", "3600", "x"]).to_string(),
        ));
    }
    match rng.weighted(&[65, 10, 10, 10, 5]) {
        0 => {
            let code = rng.pick(&[
                "EXPIRED_ACCESS_TOKEN",
                "REVOKED_ACCESS_TOKEN",
                "ACCESS_DENIED",
                "NOT_FOUND",
                "DUPLICATE_POST",
                "VERSION_MISSING",
                "NONEXISTENT_VERSION",
                "QUOTA_EXCEEDED",
                "",
            ]);
            let message = match status {
                422 => "Content is a duplicate of urn:li:share:7045020441609936777".to_string(),
                426 => "Requested version 20240101 is not active".to_string(),
                429 => rng
                    .pick(&[
                        "Resource level throttle limit for calls to this resource is reached.",
                        "Daily quota exceeded",
                    ])
                    .to_string(),
                403 => "Not enough permissions to access: partnerApiPostsExternal.CREATE.20260901"
                    .to_string(),
                _ => "Something went wrong".to_string(),
            };
            json!({"status": status, "serviceErrorCode": rng.pick(&[65600, 100, 101, 0]),
                "code": code, "message": message})
            .to_string()
            .into_bytes()
        }
        1 => echo_body(rng, ask),
        2 => random_json(rng, 0).to_string().into_bytes(),
        3 => Vec::new(),
        _ => b"<html><body>Bad gateway</body></html>".to_vec(),
    }
}

// ---------------------------------------------------------------------------------------------
// Echoing the secrets

/// A JSON body (or, rarely, text) that carries a secret the request carried, in one of the
/// forms a server might echo it in (any JSON, when the request carried none).
fn echo_body(rng: &mut Rng, ask: &Ask) -> Vec<u8> {
    if ask.carried.is_empty() {
        return random_json(rng, 0).to_string().into_bytes();
    }
    let secret = *rng.pick(&ask.carried);
    let literal = json_literal(rng, secret);
    let body = match rng.below(7) {
        0 => format!("{{\"status\":401,\"message\":{literal}}}"),
        1 => format!("{{\"error\":\"invalid_token\",\"error_description\":{literal}}}"),
        2 => format!("{{\"sub\":{literal},\"name\":\"John\"}}"),
        3 => format!("{{\"elements\":[{{\"comment\":{literal}}}]}}"),
        4 => format!("{{\"id\":{literal},\"status\":\"AVAILABLE\"}}"),
        5 => format!("access_token={}&secret={}", percent(secret, 1), secret),
        _ => {
            format!("{{\"value\":{{\"uploadUrl\":{literal},\"image\":\"urn:li:image:C4E10AQF\"}}}}")
        }
    };
    body.into_bytes()
}

/// A JSON string literal (quotes included) holding `secret`: as is, with `\/`, with some
/// characters as `\u` escapes, percent-encoded in one to three layers, or inside a sentence.
fn json_literal(rng: &mut Rng, secret: &str) -> String {
    let plain = |text: &str| Value::String(text.to_string()).to_string();
    match rng.below(6) {
        0 => plain(secret),
        1 => plain(secret).replace('/', "\\/"),
        2 => {
            let escaped: String = secret
                .chars()
                .map(|c| {
                    if rng.percent(40) {
                        format!("\\u{:04x}", c as u32)
                    } else if c == '/' {
                        "\\/".to_string()
                    } else {
                        c.to_string()
                    }
                })
                .collect();
            format!("\"{escaped}\"")
        }
        3 => plain(&percent(secret, rng.between(1, 3) as usize)),
        4 => plain(&lower_hex(&percent(secret, 1))),
        _ => plain(&format!("The token {secret} is not valid.")),
    }
}

/// `text` percent-encoded `layers` times (every non-alphanumeric byte).
pub fn percent(text: &str, layers: usize) -> String {
    let mut out = text.to_string();
    for _ in 0..layers {
        out = utf8_percent_encode(&out, NON_ALPHANUMERIC).to_string();
    }
    out
}

/// `text` with the hex digits of its percent escapes in lower case (`%2f`).
fn lower_hex(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut hex_left = 0;
    for c in text.chars() {
        if hex_left > 0 {
            out.push(c.to_ascii_lowercase());
            hex_left -= 1;
        } else {
            out.push(c);
            if c == '%' {
                hex_left = 2;
            }
        }
    }
    out
}

/// `bytes` as standard base64 (for failure reports of binary bodies).
pub fn base64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(method: &str, url: &str) -> SentRequest {
        SentRequest::of(method, url, &[], "")
    }

    #[test]
    fn endpoints_are_told_apart() {
        let of = |m, u| Endpoint::of(&request(m, u));
        assert_eq!(
            of("GET", "https://api.linkedin.com/v2/userinfo"),
            Endpoint::UserInfo
        );
        assert_eq!(
            of("POST", "https://www.linkedin.com/oauth/v2/introspectToken"),
            Endpoint::Introspect
        );
        assert_eq!(
            of(
                "POST",
                "https://api.linkedin.com/rest/videos?action=initializeUpload"
            ),
            Endpoint::Register(Media::Video)
        );
        assert_eq!(
            of("PUT", "https://www.linkedin.com/dms-uploads/x"),
            Endpoint::Upload
        );
        assert_eq!(of("GET", "https://cdn.example.com/a.mp4"), Endpoint::Source);
        assert_eq!(
            of(
                "GET",
                "https://api.linkedin.com/rest/images/urn%3Ali%3Aimage%3Ax"
            ),
            Endpoint::MediaStatus
        );
        assert_eq!(of("GET", "https://api.linkedin.com/v2/me"), Endpoint::Other);
    }

    #[test]
    fn echoed_literals_are_json_strings_holding_the_secret() {
        let mut rng = Rng::new(3);
        for _ in 0..200 {
            let literal = json_literal(&mut rng, TOKEN);
            let Value::String(text) = serde_json::from_str(&literal).unwrap() else {
                panic!("{literal}");
            };
            let decoded = percent_encoding::percent_decode_str(&text)
                .decode_utf8_lossy()
                .into_owned();
            let twice = percent_encoding::percent_decode_str(&decoded)
                .decode_utf8_lossy()
                .into_owned();
            let thrice = percent_encoding::percent_decode_str(&twice)
                .decode_utf8_lossy()
                .into_owned();
            assert!(thrice.contains(TOKEN), "{literal}");
        }
    }
}
