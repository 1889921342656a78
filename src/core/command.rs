//! What a command is: its [`Spec`] (name, title, help, scopes, calls), its [`Input`], its
//! output and its `run`, written once in the command's own file. From the list of commands come
//! the catalog (`describe`), the dispatch of `execute`, and the input checks.

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value, json};

use crate::core::error::Error;
use crate::core::input::{Fields, Input, Param, ParamType, Slot, parse_owned};
use crate::core::pipeline::{Client, DEFAULT_VERSION, Env};
pub use crate::core::spec::Spec;

/// One command, defined in its own file under `src/commands/`.
pub trait Command: 'static {
    const SPEC: Spec;
    type Input: Input;
    type Output: Serialize;

    /// Runs the command. The input is read and the LinkedIn version checked before this is
    /// called; `api` is the command's only way to LinkedIn.
    fn run(input: Self::Input, api: &mut Client<'_>) -> Result<Self::Output, Error>;
}

/// A command behind a uniform, object-safe face, so the registry can list them all.
pub trait Dispatch: Sync {
    fn spec(&self) -> &'static Spec;
    fn params(&self) -> Vec<Param>;
    /// Reads `input`, runs, and writes the output as JSON text.
    fn execute(&self, env: &mut dyn Env, input: Fields) -> Result<Output, Error>;
}

/// A command's output as JSON text, written once by serde_json and never parsed again on its
/// way out (`execute-json` puts it in its envelope as it is). Reads as the text (`&str`).
#[derive(Debug)]
pub struct Output(Box<RawValue>);

impl Output {
    /// The output as a JSON value whose text is kept.
    pub fn raw(&self) -> &RawValue {
        &self.0
    }
}

impl std::ops::Deref for Output {
    type Target = str;

    fn deref(&self) -> &str {
        self.0.get()
    }
}

impl From<Output> for String {
    fn from(output: Output) -> String {
        Box::<str>::from(output.0).into_string()
    }
}

impl<C: Command + Sync> Dispatch for C {
    fn spec(&self) -> &'static Spec {
        &C::SPEC
    }

    fn params(&self) -> Vec<Param> {
        with_version(C::Input::params(), C::SPEC.versioned)
    }

    fn execute(&self, env: &mut dyn Env, input: Fields) -> Result<Output, Error> {
        execute_with(env, &C::SPEC, input, run::<C>)
    }
}

/// What `execute` does for every command, with only `run` (reading this command's input,
/// running it, writing its output) depending on the command. Not generic: `execute` is copied
/// for every command, and this is most of it.
fn execute_with(
    env: &mut dyn Env,
    spec: &'static Spec,
    input: Fields,
    run: fn(&mut Fields, &mut Client<'_>) -> Result<Output, Error>,
) -> Result<Output, Error> {
    let mut api = Client::new(env, spec);
    // The last pass before anything leaves the component: LinkedIn's answers were redacted
    // as they came in, but a command may rebuild a secret from them (reading little text
    // undoes its escapes), so the output and the error are redacted once more, whole.
    match start(input, &mut api, spec.versioned).and_then(|mut fields| run(&mut fields, &mut api)) {
        Ok(output) => redacted_output(&api, output),
        Err(e) => Err(api.redacted(e)),
    }
}

fn run<C: Command>(fields: &mut Fields, api: &mut Client<'_>) -> Result<Output, Error> {
    let input = C::Input::from_fields(fields)?;
    let output = C::run(input, api)?;
    serde_json::value::to_raw_value(&output)
        .map(Output)
        .map_err(output_error)
}

/// `output` without any secret of the call: as it is when it holds none (one scan, the usual
/// case), else redacted as text, which must still be JSON.
fn redacted_output(api: &Client<'_>, output: Output) -> Result<Output, Error> {
    if api.holds_no_secret(&output) {
        return Ok(output);
    }
    let mut text = String::from(output);
    api.redact_text(&mut text);
    RawValue::from_string(text)
        .map(Output)
        .map_err(output_error)
}

/// The input's fields, after the `linkedinVersion` of a versioned command is read and checked.
/// Kept out of the generic `run`, which is copied for every command.
fn start(mut fields: Fields, api: &mut Client<'_>, versioned: bool) -> Result<Fields, Error> {
    if versioned {
        fields = fields.allowing(VERSION_FIELD);
        let version = <Option<String> as Slot>::read_field(&mut fields, VERSION_FIELD)?;
        api.set_version(version.as_deref());
        api.version()?;
    }
    Ok(fields)
}

fn output_error(e: serde_json::Error) -> Error {
    Error::decode(
        0,
        format!("The connector could not write its output as JSON ({e})."),
    )
}

const VERSION_FIELD: &str = "linkedin_version";

/// A command's parameters, with `linkedinVersion` last when it is versioned. Kept out of the
/// generic `params`, which is copied for every command.
fn with_version(mut params: Vec<Param>, versioned: bool) -> Vec<Param> {
    if versioned {
        params.push(linkedin_version_param());
    }
    params
}

/// The `linkedinVersion` parameter every versioned command takes.
fn linkedin_version_param() -> Param {
    Param::of::<Option<String>>(
        VERSION_FIELD,
        &[
            "The LinkedIn-Version (YYYYMM) for this call, overriding the datasource's \
           linkedinVersion setting.",
        ],
    )
    .title("LinkedIn API version")
    .example(DEFAULT_VERSION)
    .pattern("^[0-9]{6}(\\.[0-9]{2})?$")
}

/// Runs the command named `name` on `input` (JSON text; empty means `{}`). The input is taken,
/// not borrowed: its longest string (base64 `data`) is read without a copy.
pub fn execute(
    commands: &[&dyn Dispatch],
    env: &mut dyn Env,
    name: &str,
    input: String,
) -> Result<Output, Error> {
    let command = find(commands, name)?;
    command.execute(env, parse_owned(input)?)
}

/// The command named `name`, or the `invalid-input` error that lists the known names.
pub fn find<'a>(commands: &[&'a dyn Dispatch], name: &str) -> Result<&'a dyn Dispatch, Error> {
    commands
        .iter()
        .copied()
        .find(|c| c.spec().name == name)
        .ok_or_else(|| {
            let known: Vec<&str> = commands.iter().map(|c| c.spec().name).collect();
            Error::invalid(
                "command",
                format!(
                    "Unknown command {}; expected one of: {}.",
                    crate::core::error::quoted(name),
                    known.join(", ")
                ),
            )
        })
}

/// The `{"ok": output}` / `{"error": error}` envelope of `execute-json`. The output is JSON
/// text already and goes in as it is.
pub fn envelope(result: &Result<Output, Error>) -> String {
    #[derive(Serialize)]
    enum Envelope<'a> {
        #[serde(rename = "ok")]
        Ok(&'a RawValue),
        #[serde(rename = "error")]
        Error(&'a Error),
    }
    let text = match result {
        Ok(output) => serde_json::to_string(&Envelope::Ok(output.raw())),
        Err(error) => serde_json::to_string(&Envelope::Error(error)),
    };
    text.unwrap_or_else(|_| r#"{"error":{"kind":"decode","status":0,"message":"The connector could not write its answer."}}"#.into())
}

/// The catalog `describe` returns. Mirrors the WIT `catalog` record.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    pub name: &'static str,
    pub version: &'static str,
    pub default_linkedin_version: &'static str,
    pub commands: Vec<CommandInfo>,
}

/// One command of the catalog. Mirrors the WIT `command-info` record.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CommandInfo {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub scopes: Vec<&'static str>,
    pub linkedin_calls: &'static [&'static str],
    pub params: Vec<ParamInfo>,
    /// A JSON Schema (draft 2020-12) of the input object, as JSON text.
    pub input_schema: String,
}

/// One parameter of the catalog. Mirrors the WIT `param-info` record.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ParamInfo {
    pub name: String,
    pub title: String,
    pub param_type: ParamType,
    pub required: bool,
    pub enum_values: &'static [&'static str],
    pub default_value: Option<String>,
    pub description: String,
    pub example: Option<String>,
}

/// The catalog of `commands`.
pub fn catalog(commands: &[&dyn Dispatch]) -> Catalog {
    Catalog {
        name: "linkedin",
        version: env!("CARGO_PKG_VERSION"),
        default_linkedin_version: DEFAULT_VERSION,
        commands: commands
            .iter()
            .map(|c| {
                let spec = c.spec();
                let params = c.params();
                CommandInfo {
                    name: spec.name,
                    title: spec.title,
                    description: spec.description,
                    scopes: spec.scope_names(),
                    linkedin_calls: spec.calls,
                    input_schema: input_schema(spec, &params).to_string(),
                    params: params
                        .into_iter()
                        .map(|p| ParamInfo {
                            name: p.name,
                            title: p.title,
                            param_type: p.ty,
                            required: p.required,
                            enum_values: p.enum_values,
                            default_value: p.default,
                            description: p.description,
                            example: p.example,
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

/// A JSON Schema (draft 2020-12) of a command's input object.
pub fn input_schema(spec: &Spec, params: &[Param]) -> Value {
    let mut properties = Map::new();
    for p in params {
        let mut prop = Map::new();
        prop.insert("type".into(), json!(p.ty));
        prop.insert("title".into(), json!(p.title));
        prop.insert("description".into(), json!(p.description));
        if !p.enum_values.is_empty() {
            prop.insert("enum".into(), json!(p.enum_values));
        }
        if let Some(default) = p
            .default
            .as_deref()
            .and_then(|d| serde_json::from_str::<Value>(d).ok())
        {
            prop.insert("default".into(), default);
        }
        if let Some(example) = p
            .example
            .as_deref()
            .and_then(|e| serde_json::from_str::<Value>(e).ok())
        {
            prop.insert("examples".into(), json!([example]));
        }
        prop.extend(p.schema.clone());
        properties.insert(p.name.clone(), Value::Object(prop));
    }
    let required: Vec<&str> = params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.as_str())
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": spec.title,
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}
