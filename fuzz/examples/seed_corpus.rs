//! Writes the seed corpus of every fuzz target from the replay fixtures:
//! `cargo run --example seed_corpus -- <fixtures dir> <corpus dir>` (`make fuzz` runs it).
//! Each target gets the parts of the fixtures it parses, in its own format: URNs and post
//! references, URLs and paths, Rest.li query values, post text and commentary, webhook bodies
//! with their signatures, command inputs, and whole cases (input and LinkedIn's answers).
//! Files are named by a hash of their bytes, so running it twice changes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use linkedin_connector_fuzz::case::{
    WebhookCase, command_index, encode_answers, encode_input, encode_webhook,
};
use linkedin_connector_fuzz::env::Answer;
use serde_json::Value;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(fixtures), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: seed_corpus <fixtures dir> <corpus dir>");
        std::process::exit(2);
    };
    let mut corpus = Corpus::default();
    let mut files = Vec::new();
    collect(Path::new(fixtures), &mut files);
    files.sort();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        if let Ok(case) = serde_json::from_str::<Value>(&text) {
            corpus.fixture(&case);
        }
    }
    for (target, seeds) in &corpus.seeds {
        let dir = Path::new(out).join(target);
        std::fs::create_dir_all(&dir).expect("the corpus folder can be made");
        for seed in seeds {
            std::fs::write(dir.join(format!("{:016x}", fnv(seed))), seed).expect("writable");
        }
        println!("{target}: {} seeds", seeds.len());
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

/// FNV-1a: a stable name for a seed.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[derive(Default)]
struct Corpus {
    seeds: BTreeMap<&'static str, std::collections::BTreeSet<Vec<u8>>>,
}

impl Corpus {
    fn add(&mut self, target: &'static str, seed: impl Into<Vec<u8>>) {
        self.seeds.entry(target).or_default().insert(seed.into());
    }

    fn fixture(&mut self, case: &Value) {
        let Some(index) = case["command"].as_str().and_then(command_index) else {
            return;
        };
        let input_text = match (&case["input"], case["inputText"].as_str()) {
            (_, Some(text)) => text.to_string(),
            (Value::Null, None) => "{}".to_string(),
            (input, None) => input.to_string(),
        };
        self.add("input", encode_input(index, &input_text));

        let mut strings = Vec::new();
        strings_in(&case["input"], &mut strings);
        let mut answers = Vec::new();
        for interaction in case["interactions"].as_array().into_iter().flatten() {
            let response = &interaction["response"];
            let answer = answer(response);
            if let Answer::Http { body, .. } = &answer
                && let Ok(body) = serde_json::from_slice::<Value>(body)
            {
                strings_in(&body, &mut strings);
                self.little_text(&body);
            }
            answers.push(answer);
            if let Some(url) = interaction["request"]["url"].as_str() {
                self.add("urls", url);
                self.query_values(url);
            }
        }
        if !answers.is_empty() && case["input"].is_object() {
            self.add("answers", encode_answers(index, &input_text, &answers));
        }
        for s in &strings {
            self.string(s);
        }
        self.inputs(case);
    }

    /// Each string by what it looks like: a URN or post reference, a URL or path.
    fn string(&mut self, s: &str) {
        if s.len() > 1000 {
            return;
        }
        if s.contains(':') && !s.contains(' ') {
            self.add("urn", s);
        }
        if s.contains("://") || s.starts_with('/') {
            self.add("urls", s);
        }
    }

    fn inputs(&mut self, case: &Value) {
        let input = &case["input"];
        if let Some(text) = input["text"].as_str() {
            self.add("little_text", text);
        }
        if let Some(query) = input["query"].as_object() {
            self.add("restli", Value::Object(query.clone()).to_string());
            for value in query.values() {
                match value {
                    Value::String(s) => self.add("restli", s.as_str()),
                    other => self.add("restli", other.to_string()),
                }
            }
        }
        if let Some(hosts) = case["settings"]["sourceUrlHosts"].as_str() {
            let source = input["mediaSource"]["sourceUrl"]
                .as_str()
                .or(input["sourceUrl"].as_str())
                .unwrap_or("https://cdn.example.com/x.png");
            let host = url::Url::parse(source)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default();
            self.add("urls", format!("{host}\n{hosts}"));
        }
        if let (Some(body), Some(headers)) = (input["body"].as_str(), input["headers"].as_object())
        {
            let signature = headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("x-li-signature"))
                .and_then(|(_, v)| v.as_str())
                .unwrap_or_default();
            let secret = case["credentials"]["clientSecret"]
                .as_str()
                .unwrap_or("test-secret");
            for sign in [false, true] {
                self.add(
                    "webhook",
                    encode_webhook(&WebhookCase {
                        secret: secret.to_string(),
                        signature: signature.to_string(),
                        body: body.to_string(),
                        sign,
                        prefixed: false,
                    }),
                );
            }
        }
    }

    /// Commentary and comment text as LinkedIn stores it, alone and behind a secret line.
    fn little_text(&mut self, body: &Value) {
        match body {
            Value::Object(members) => {
                for (key, value) in members {
                    if let ("commentary" | "text", Value::String(text)) = (key.as_str(), value) {
                        self.add("little_text", text.as_str());
                        self.add("little_text", format!("test-token\n{text}"));
                    }
                    self.little_text(value);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| self.little_text(item)),
            _ => {}
        }
    }

    /// The values of a request URL's query: Rest.li as the component wrote it.
    fn query_values(&mut self, url: &str) {
        let Some((_, query)) = url.split_once('?') else {
            return;
        };
        for pair in query.split('&') {
            if let Some((_, value)) = pair.split_once('=') {
                self.add("restli", value);
            }
        }
    }
}

/// A fixture's response as a scripted answer.
fn answer(response: &Value) -> Answer {
    if response.get("fault").is_some() {
        return Answer::Fault;
    }
    let status = response["status"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .unwrap_or(200);
    let headers = response["headers"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, value)| {
            let value = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (name.as_bytes().to_vec(), value.into_bytes())
        })
        .collect();
    let body = if let Some(json) = response.get("json") {
        json.to_string().into_bytes()
    } else if let Some(text) = response["body"].as_str() {
        text.as_bytes().to_vec()
    } else if let Some(data) = response["bodyBase64"].as_str() {
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .unwrap_or_default()
    } else {
        Vec::new()
    };
    Answer::Http {
        status,
        headers,
        body,
    }
}

/// Every string in `value` (object keys left out).
fn strings_in(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| strings_in(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings_in(v, out)),
        _ => {}
    }
}
