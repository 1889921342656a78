//! The byte formats of the targets whose case is more than one text. Each is plain enough for
//! libFuzzer's mutations to keep its shape (a leading byte, lines, a separator), and each has an
//! encoder the seeder uses to write the fixtures in it.

use linkedin_connector::commands::ALL;

use crate::checks::{SECRET, TOKEN, form};
use crate::env::Answer;

/// Separates the input from the answers, and the answers from each other, in an answers case.
pub const SEP: &[u8] = b"\n\x00\n";

/// The statuses an answer's first byte picks from (the byte modulo one more than their number;
/// the last choice is a transport failure): every status the fixtures use.
pub const STATUSES: &[u16] = &[
    200, 201, 204, 400, 401, 403, 404, 409, 422, 426, 429, 500, 503,
];

/// A command, its input and LinkedIn's answers to its requests, in order.
#[derive(Clone, Debug)]
pub struct AnswersCase {
    /// An index into [`ALL`].
    pub command: usize,
    pub input: String,
    pub answers: Vec<Answer>,
}

/// `[command] input (SEP [status] header lines "\n\n" body)*`. In bodies and header values,
/// `$T0$` … `$T7$` stand for the access token and `$S0$` … `$S7$` for the client secret in
/// each of the forms of [`form`] (as written, JSON-escaped, percent-encoded, little text …), so
/// an answer can echo a secret the way a server or proxy would.
pub fn decode_answers(data: &[u8]) -> Option<AnswersCase> {
    let (&command, rest) = data.split_first()?;
    let mut sections = split(rest, SEP);
    let input = String::from_utf8_lossy(sections.next()?).into_owned();
    let answers = sections.map(decode_answer).collect();
    Some(AnswersCase {
        command: usize::from(command) % ALL.len(),
        input,
        answers,
    })
}

fn decode_answer(section: &[u8]) -> Answer {
    let Some((&status, rest)) = section.split_first() else {
        return Answer::Fault;
    };
    let Some(&status) = STATUSES.get(usize::from(status) % (STATUSES.len() + 1)) else {
        return Answer::Fault;
    };
    let (head, body) = match find(rest, b"\n\n") {
        Some(at) => (&rest[..at], &rest[at + 2..]),
        None => (&[][..], rest),
    };
    let headers = split(head, b"\n")
        .filter_map(|line| {
            let at = line.iter().position(|&b| b == b':')?;
            let value = &line[at + 1..];
            let value = value.strip_prefix(b" ").unwrap_or(value);
            Some((line[..at].to_vec(), with_secrets(value)))
        })
        .collect();
    Answer::Http {
        status,
        headers,
        body: with_secrets(body),
    }
}

/// Writes a case in the format [`decode_answers`] reads; the fixtures' `test-token` and
/// `test-secret` become `$T0$` and `$S0$`.
pub fn encode_answers(command: usize, input: &str, answers: &[Answer]) -> Vec<u8> {
    let mut out = vec![u8::try_from(command).unwrap_or(0)];
    out.extend_from_slice(input.as_bytes());
    for answer in answers {
        out.extend_from_slice(SEP);
        match answer {
            Answer::Fault => out.push(u8::try_from(STATUSES.len()).unwrap_or(0)),
            Answer::Http {
                status,
                headers,
                body,
            } => {
                let index = STATUSES.iter().position(|s| s == status).unwrap_or(0);
                out.push(u8::try_from(index).unwrap_or(0));
                let lines: Vec<Vec<u8>> = headers
                    .iter()
                    .map(|(name, value)| [&name[..], b": ", &markers(value)].concat())
                    .collect();
                out.extend_from_slice(&lines.join(&b"\n"[..]));
                out.extend_from_slice(b"\n\n");
                out.extend_from_slice(&markers(body));
            }
        }
    }
    out
}

/// A webhook case: the client secret, the `X-LI-Signature` value and the raw body.
#[derive(Clone, Debug)]
pub struct WebhookCase {
    pub secret: String,
    pub signature: String,
    pub body: String,
    /// Replace the signature with the right one (so the parser behind the check is reached).
    pub sign: bool,
    /// Put `hmacsha256=` in front of the signature.
    pub prefixed: bool,
}

/// `[flags] secret "\n" signature "\n" body`; flag 1 signs, flag 2 prefixes.
pub fn decode_webhook(data: &[u8]) -> Option<WebhookCase> {
    let (&flags, rest) = data.split_first()?;
    let text = String::from_utf8_lossy(rest);
    let mut parts = text.splitn(3, '\n');
    Some(WebhookCase {
        secret: parts.next().unwrap_or_default().to_string(),
        signature: parts.next().unwrap_or_default().to_string(),
        body: parts.next().unwrap_or_default().to_string(),
        sign: flags & 1 != 0,
        prefixed: flags & 2 != 0,
    })
}

pub fn encode_webhook(case: &WebhookCase) -> Vec<u8> {
    let flags = u8::from(case.sign) | (u8::from(case.prefixed) << 1);
    let mut out = vec![flags];
    out.extend_from_slice(
        [&case.secret[..], "\n", &case.signature, "\n", &case.body]
            .concat()
            .as_bytes(),
    );
    out
}

/// An input case: a command (index into [`ALL`]) and the input text given to `execute`.
#[derive(Clone, Debug)]
pub struct InputCase {
    pub command: usize,
    pub input: String,
}

/// What stands in for a long base64 string in an input case with the large flag.
pub const LARGE_MARK: &str = "@@";

/// Longer than the input reader's threshold (64 KiB) for keeping a string in the input's own
/// buffer, so that path is fuzzed too.
pub const LARGE_LEN: usize = 68 * 1024;

/// `[command | 0x80 for large] input`: with the large flag, the first `@@` in the input
/// becomes a 68 KiB base64 string.
pub fn decode_input(data: &[u8]) -> Option<InputCase> {
    let (&first, rest) = data.split_first()?;
    let mut input = String::from_utf8_lossy(rest).into_owned();
    if first & 0x80 != 0 {
        input = input.replacen(LARGE_MARK, &"QUJD".repeat(LARGE_LEN / 4), 1);
    }
    Some(InputCase {
        command: usize::from(first & 0x7f) % ALL.len(),
        input,
    })
}

pub fn encode_input(command: usize, input: &str) -> Vec<u8> {
    let mut out = vec![u8::try_from(command).unwrap_or(0) & 0x7f];
    out.extend_from_slice(input.as_bytes());
    out
}

/// The index of the command named `name` in [`ALL`].
pub fn command_index(name: &str) -> Option<usize> {
    ALL.iter().position(|c| c.spec().name == name)
}

/// `$T<d>$` and `$S<d>$` replaced by the secrets in form `d`.
fn with_secrets(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut rest = bytes;
    while let Some(at) = rest.iter().position(|&b| b == b'$') {
        out.extend_from_slice(&rest[..at]);
        match rest[at..] {
            [b'$', which @ (b'T' | b'S'), digit @ b'0'..=b'9', b'$', ..] => {
                let secret = if which == b'T' { TOKEN } else { SECRET };
                out.extend_from_slice(form(secret, digit - b'0').as_bytes());
                rest = &rest[at + 4..];
            }
            _ => {
                out.push(b'$');
                rest = &rest[at + 1..];
            }
        }
    }
    out.extend_from_slice(rest);
    out
}

/// The fixtures' stand-in secrets as markers.
fn markers(bytes: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(bytes);
    if !text.contains("test-token") && !text.contains("test-secret") {
        return bytes.to_vec();
    }
    text.replace("test-token", "$T0$")
        .replace("test-secret", "$S0$")
        .into_bytes()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// `bytes` split at every `sep` (an empty input is one empty piece).
fn split<'a>(bytes: &'a [u8], sep: &'a [u8]) -> impl Iterator<Item = &'a [u8]> + 'a {
    let mut rest = Some(bytes);
    std::iter::from_fn(move || {
        let current = rest?;
        match find(current, sep) {
            Some(at) => {
                rest = Some(&current[at + sep.len()..]);
                Some(&current[..at])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
}
