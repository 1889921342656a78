//! The typed path for any command, driven by the WIT types the component exports: a fixture's
//! JSON input becomes the arguments of the `commands` function named after the command, and
//! what the function returns is compared with the JSON the component produced. Nothing here
//! names a command, so a command added to the component needs no change in the host.
//!
//! The JSON form of a WIT value is the project's convention, which the component follows too:
//! record fields are camelCase keys (`text-format` is `textFormat`); an option is absent, `null`
//! or `""` when none; an enum is its case name in any letter case with `_` and `-` alike; a
//! `list<tuple<string, string>>` is an object of name to value; an error is
//! `{"kind": <case>, "message": ..., <payload fields>}`. The host reads it independently of the
//! component, so the component's own JSON is checked against a second reading.

use heck::ToLowerCamelCase;
use serde_json::{Map, Value};
use wasmtime::component::Val;
use wasmtime::component::types::{ComponentFunc, Record, Type, Variant};

/// `text-format` as a JSON key: `textFormat`.
pub fn camel(name: &str) -> String {
    name.to_lower_camel_case()
}

/// Whether two spellings name the same enum case: `LOGGED_IN` is `logged-in`.
pub fn same_name(a: &str, b: &str) -> bool {
    let fold = |c: char| {
        if c == '_' {
            '-'
        } else {
            c.to_ascii_lowercase()
        }
    };
    a.len() == b.len() && a.chars().map(fold).eq(b.chars().map(fold))
}

/// The arguments of a typed call, read from a JSON input.
#[derive(Debug)]
pub struct Arguments {
    pub values: Vec<Val>,
    /// The JSON names (`text`, `media[1].id`) whose value the convention converted from
    /// another JSON type: a number or object for a string, `"true"` for a bool, digits for an
    /// integer, `""` for none. The component's JSON reader may refuse such a value where the
    /// typed function cannot; replay uses this to tell that apart from a disagreement.
    pub coerced: Vec<String>,
    /// The other reading of an input that gives `""` for an optional string: the empty string
    /// instead of none (`None` when the input has no such field). A component may take `""` as
    /// a value where the convention says none (an upload token that may be empty).
    pub literal: Option<Vec<Val>>,
    /// The optional strings given as `""`, by JSON name.
    pub emptied: Vec<String>,
}

/// The arguments of `func` for `input`, or `None` when the input has no typed form (not an
/// object, an unknown key, a required field missing, a value of the wrong type, an unknown enum
/// value): such inputs test the JSON reader, which only `execute` has.
///
/// A function whose only parameter is a record takes the input object as that record; any
/// other function takes its parameters from the input's keys named after them.
pub fn arguments(func: &ComponentFunc, input: &Value) -> Option<Arguments> {
    let mut reader = Reader::default();
    let values = reader.arguments(func, input)?;
    let literal = if !reader.emptied.is_empty() {
        Reader {
            literal_empty: true,
            ..Reader::default()
        }
        .arguments(func, input)
    } else {
        None
    };
    Some(Arguments {
        values,
        coerced: reader.coerced,
        literal,
        emptied: reader.emptied,
    })
}

#[derive(Default)]
struct Reader {
    coerced: Vec<String>,
    /// The optional strings given as `""` (and read as none).
    emptied: Vec<String>,
    /// Read `""` for an optional string as the empty string.
    literal_empty: bool,
}

impl Reader {
    fn arguments(&mut self, func: &ComponentFunc, input: &Value) -> Option<Vec<Val>> {
        let map = input.as_object()?;
        let params: Vec<(String, Type)> = func.params().map(|(n, t)| (n.to_string(), t)).collect();
        Some(match params.as_slice() {
            [(_, Type::Record(record))] => vec![self.record(record, map, "")?],
            _ => self
                .fields(&params, map, "")?
                .into_iter()
                .map(|(_, v)| v)
                .collect(),
        })
    }

    fn coerce(&mut self, path: &str) {
        self.coerced.push(path.to_string());
    }

    fn record(&mut self, record: &Record, map: &Map<String, Value>, path: &str) -> Option<Val> {
        let fields = field_types(record);
        let prefix = if path.is_empty() {
            String::new()
        } else {
            format!("{path}.")
        };
        Some(Val::Record(self.fields(&fields, map, &prefix)?))
    }

    /// The fields' values from `map`, whose every key must name a field.
    fn fields(
        &mut self,
        fields: &[(String, Type)],
        map: &Map<String, Value>,
        prefix: &str,
    ) -> Option<Vec<(String, Val)>> {
        let mut used: Vec<String> = Vec::new();
        let mut out = Vec::with_capacity(fields.len());
        for (name, ty) in fields {
            let key = camel(name);
            let val = match (map.get(&key), ty) {
                (None, Type::Variant(variant)) => {
                    self.flattened(variant, map, prefix, &mut used)?
                }
                (given, ty) => {
                    let val = self.field(ty, given, &format!("{prefix}{key}"))?;
                    used.push(key);
                    val
                }
            };
            out.push((name.clone(), val));
        }
        map.keys().all(|k| used.contains(k)).then_some(out)
    }

    /// A field that may be absent: an option is then none and a list empty.
    fn field(&mut self, ty: &Type, given: Option<&Value>, path: &str) -> Option<Val> {
        match (ty, given) {
            (Type::Option(_), None | Some(Value::Null)) => Some(Val::Option(None)),
            (Type::List(_), None | Some(Value::Null)) => Some(Val::List(Vec::new())),
            (_, None) => None,
            (_, Some(value)) => self.value(ty, value, path),
        }
    }

    /// A variant field given by its case as a sibling key (`"sourceUrl": ...` for
    /// `source: media-source`), the shape the JSON input uses; exactly one case must be given.
    fn flattened(
        &mut self,
        variant: &Variant,
        map: &Map<String, Value>,
        prefix: &str,
        used: &mut Vec<String>,
    ) -> Option<Val> {
        let mut chosen = None;
        for case in variant.cases() {
            let key = camel(case.name);
            let Some(value) = map.get(&key) else { continue };
            used.push(key.clone());
            if value.is_null() || value == "" {
                continue;
            }
            if chosen.is_some() {
                return None;
            }
            let path = format!("{prefix}{key}");
            let payload = match &case.ty {
                Some(ty) => Some(Box::new(self.value(ty, value, &path)?)),
                None => None,
            };
            chosen = Some(Val::Variant(case.name.to_string(), payload));
        }
        chosen
    }

    fn value(&mut self, ty: &Type, value: &Value, path: &str) -> Option<Val> {
        Some(match (ty, value) {
            (Type::Option(_), Value::Null) => Val::Option(None),
            (Type::Option(inner), Value::String(s))
                if s.is_empty() && !(self.literal_empty && inner.ty() == Type::String) =>
            {
                self.coerce(path);
                if inner.ty() == Type::String {
                    self.emptied.push(path.to_string());
                }
                Val::Option(None)
            }
            (Type::Option(inner), value) => {
                Val::Option(Some(Box::new(self.value(&inner.ty(), value, path)?)))
            }
            (Type::String, Value::String(s)) => Val::String(s.clone()),
            (Type::String, Value::Null) => return None,
            (Type::String, other) => {
                // A number as its text, an object or array as its JSON text.
                self.coerce(path);
                Val::String(other.to_string())
            }
            (Type::Char, Value::String(s)) => {
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Val::Char(c),
                    _ => return None,
                }
            }
            (Type::Bool, Value::Bool(b)) => Val::Bool(*b),
            (Type::Bool, Value::String(s)) => {
                self.coerce(path);
                match s.to_ascii_lowercase().as_str() {
                    "true" => Val::Bool(true),
                    "false" => Val::Bool(false),
                    _ => return None,
                }
            }
            (Type::Enum(cases), Value::String(s)) => {
                if s.trim() != s {
                    self.coerce(path);
                }
                let case = cases.names().find(|c| same_name(c, s.trim()))?;
                Val::Enum(case.to_string())
            }
            (Type::Variant(variant), value) => self.variant(variant, value, path)?,
            (Type::Record(record), Value::Object(map)) => self.record(record, map, path)?,
            (Type::Tuple(tuple), Value::Array(items)) if items.len() == tuple.types().len() => {
                Val::Tuple(
                    tuple
                        .types()
                        .zip(items)
                        .enumerate()
                        .map(|(i, (ty, v))| self.value(&ty, v, &format!("{path}[{i}]")))
                        .collect::<Option<_>>()?,
                )
            }
            (Type::List(list), Value::Object(map)) => {
                let value_ty = pair_value(&list.ty())?;
                let mut pairs = Vec::with_capacity(map.len());
                for (name, v) in map {
                    if !(v.is_string() || v.is_number() || v.is_boolean()) {
                        return None;
                    }
                    let v = self.value(&value_ty, v, &format!("{path}.{name}"))?;
                    pairs.push(Val::Tuple(vec![Val::String(name.clone()), v]));
                }
                Val::List(pairs)
            }
            (Type::List(list), Value::Array(items)) => Val::List(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.value(&list.ty(), v, &format!("{path}[{i}]")))
                    .collect::<Option<_>>()?,
            ),
            (Type::Float32 | Type::Float64, value) => {
                let f = match value {
                    Value::Number(n) => n.as_f64()?,
                    Value::String(s) => {
                        self.coerce(path);
                        s.trim().parse().ok()?
                    }
                    _ => return None,
                };
                match ty {
                    Type::Float32 => Val::Float32(f as f32),
                    _ => Val::Float64(f),
                }
            }
            (ty, value) => {
                let n = match value {
                    Value::Number(n) => n
                        .as_i64()
                        .map(i128::from)
                        .or_else(|| n.as_u64().map(i128::from))?,
                    Value::String(s) => {
                        self.coerce(path);
                        s.trim().parse().ok()?
                    }
                    _ => return None,
                };
                integer(ty, n)?
            }
        })
    }

    /// A case without payload as its name; a case with one as `{"caseName": payload}`.
    fn variant(&mut self, variant: &Variant, value: &Value, path: &str) -> Option<Val> {
        match value {
            Value::String(s) => {
                let case = variant
                    .cases()
                    .find(|c| c.ty.is_none() && same_name(c.name, s))?;
                Some(Val::Variant(case.name.to_string(), None))
            }
            Value::Object(map) if map.len() == 1 => {
                let (key, value) = map.iter().next()?;
                let case = variant.cases().find(|c| camel(c.name) == *key)?;
                let payload = match &case.ty {
                    Some(ty) => Some(Box::new(self.value(ty, value, &format!("{path}.{key}"))?)),
                    None => None,
                };
                Some(Val::Variant(case.name.to_string(), payload))
            }
            _ => None,
        }
    }
}

/// `n` as a WIT integer of type `ty`, when it fits.
fn integer(ty: &Type, n: i128) -> Option<Val> {
    Some(match ty {
        Type::U8 => Val::U8(n.try_into().ok()?),
        Type::U16 => Val::U16(n.try_into().ok()?),
        Type::U32 => Val::U32(n.try_into().ok()?),
        Type::U64 => Val::U64(n.try_into().ok()?),
        Type::S8 => Val::S8(n.try_into().ok()?),
        Type::S16 => Val::S16(n.try_into().ok()?),
        Type::S32 => Val::S32(n.try_into().ok()?),
        Type::S64 => Val::S64(n.try_into().ok()?),
        _ => return None,
    })
}

/// The value type of a list element that is a `(string, value)` pair: such lists are JSON
/// objects.
fn pair_value(element: &Type) -> Option<Type> {
    match element {
        Type::Tuple(tuple) => {
            let types: Vec<Type> = tuple.types().collect();
            match types.as_slice() {
                [Type::String, value] => Some(value.clone()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The `(name, value)` pairs of a list of such tuples.
fn as_pairs(items: &[Val]) -> Option<Vec<(&str, &Val)>> {
    items
        .iter()
        .map(|item| match item {
            Val::Tuple(pair) => match pair.as_slice() {
                [Val::String(name), value] => Some((name.as_str(), value)),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn field_types(record: &Record) -> Vec<(String, Type)> {
    record
        .fields()
        .map(|f| (f.name.to_string(), f.ty))
        .collect()
}

fn case_type(variant: &Variant, name: &str) -> Option<Type> {
    variant.cases().find(|c| c.name == name).and_then(|c| c.ty)
}

fn integer_of(val: &Val) -> Option<i128> {
    Some(match val {
        Val::U8(n) => (*n).into(),
        Val::U16(n) => (*n).into(),
        Val::U32(n) => (*n).into(),
        Val::U64(n) => (*n).into(),
        Val::S8(n) => (*n).into(),
        Val::S16(n) => (*n).into(),
        Val::S32(n) => (*n).into(),
        Val::S64(n) => (*n).into(),
        _ => return None,
    })
}

/// The JSON form of a WIT value: records as objects with camelCase keys (none as `null`),
/// enums and payload-less cases as their names, `(string, value)` lists as objects, a case with
/// a payload as `{"caseName": payload}`. Strings stay strings, even those holding JSON text:
/// only the comparison ([`agree_result`]) knows to look inside them.
pub fn to_json(val: &Val, ty: &Type) -> Value {
    match (val, ty) {
        (Val::Bool(b), _) => Value::Bool(*b),
        (Val::Float32(f), _) => {
            serde_json::Number::from_f64(f64::from(*f)).map_or(Value::Null, Value::Number)
        }
        (Val::Float64(f), _) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        (Val::Char(c), _) => Value::String(c.to_string()),
        (Val::String(s), _) => Value::String(s.clone()),
        (Val::Enum(case), _) => Value::String(case.clone()),
        (Val::Flags(names), _) => names.iter().cloned().map(Value::String).collect(),
        (Val::Option(None), _) => Value::Null,
        (Val::Option(Some(inner)), Type::Option(o)) => to_json(inner, &o.ty()),
        (Val::Record(fields), Type::Record(record)) => {
            let types = field_types(record);
            fields
                .iter()
                .zip(&types)
                .map(|((name, v), (_, ty))| (camel(name), to_json(v, ty)))
                .collect::<Map<_, _>>()
                .into()
        }
        (Val::List(items), Type::List(list)) => {
            let element = list.ty();
            match (pair_value(&element), as_pairs(items)) {
                // Repeated names have no object form; they stay a list of pairs.
                (Some(value_ty), Some(pairs))
                    if pairs
                        .iter()
                        .enumerate()
                        .all(|(i, (name, _))| pairs[..i].iter().all(|(n, _)| n != name)) =>
                {
                    pairs
                        .into_iter()
                        .map(|(name, v)| (name.to_string(), to_json(v, &value_ty)))
                        .collect::<Map<_, _>>()
                        .into()
                }
                _ => items.iter().map(|v| to_json(v, &element)).collect(),
            }
        }
        (Val::Tuple(items), Type::Tuple(tuple)) => items
            .iter()
            .zip(tuple.types())
            .map(|(v, ty)| to_json(v, &ty))
            .collect(),
        (Val::Variant(case, None), _) => Value::String(case.clone()),
        (Val::Variant(case, Some(payload)), Type::Variant(variant)) => {
            let payload = case_type(variant, case).map_or(Value::Null, |ty| to_json(payload, &ty));
            Map::from_iter([(camel(case), payload)]).into()
        }
        (Val::Result(result), Type::Result(ty)) => match result {
            Ok(v) => Map::from_iter([("ok".into(), opt_json(v.as_deref(), ty.ok()))]).into(),
            Err(e) => Map::from_iter([("error".into(), opt_json(e.as_deref(), ty.err()))]).into(),
        },
        (val, _) => integer_of(val).map_or(Value::Null, |n| {
            serde_json::Number::from_i128(n).map_or(Value::Null, Value::Number)
        }),
    }
}

fn opt_json(val: Option<&Val>, ty: Option<Type>) -> Value {
    match (val, ty) {
        (Some(v), Some(ty)) => to_json(v, &ty),
        _ => Value::Null,
    }
}

/// The JSON form of an error (rule of the WIT `error` variant): `kind` is the case name, a
/// record payload's fields are camelCase keys beside it, and any other payload (a string) is
/// the `message`.
pub fn error_json(val: &Val, ty: &Type) -> Value {
    let (Val::Variant(case, payload), Type::Variant(variant)) = (val, ty) else {
        return to_json(val, ty);
    };
    let mut out = Map::new();
    out.insert("kind".into(), Value::String(case.clone()));
    if let (Some(payload), Some(payload_ty)) = (payload, case_type(variant, case)) {
        match to_json(payload, &payload_ty) {
            Value::Object(fields) if matches!(payload_ty, Type::Record(_)) => out.extend(fields),
            other => {
                out.insert("message".into(), other);
            }
        }
    }
    out.into()
}

/// A typed call's result in the JSON shape replay compares: the output, or the error's JSON.
pub fn result_json(val: &Val, ty: &Type) -> Result<Value, Value> {
    match (val, ty) {
        (Val::Result(Ok(v)), Type::Result(rt)) => Ok(match (v, rt.ok()) {
            (Some(v), Some(ty)) => to_json(v, &ty),
            _ => Value::Object(Map::new()),
        }),
        (Val::Result(Err(e)), Type::Result(rt)) => Err(match (e, rt.err()) {
            (Some(e), Some(ty)) => error_json(e, &ty),
            _ => Value::Object(Map::new()),
        }),
        (val, ty) => Ok(to_json(val, ty)),
    }
}

/// How a typed result differs from the JSON result of the same call, by JSON path.
#[derive(Debug, Default)]
pub struct Differences {
    /// Values that differ.
    pub values: Vec<String>,
    /// Keys only one side has: a WIT field the JSON leaves out (other than a none) or a JSON
    /// key that is no WIT field. Kept apart because a component older than the convention
    /// shapes some outputs its own way.
    pub keys: Vec<String>,
}

impl Differences {
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.keys.is_empty()
    }
}

/// Every way a typed call's result (`val` of type `ty`) differs from the JSON result of the
/// same call: `Ok(output)` or `Err(error JSON)`. Empty when they agree.
///
/// The JSON side may spell an enum any way, leave out a none, and carry as a JSON value what
/// WIT carries as JSON text (`raw`, a custom action's `body`). A result that is not a record
/// (a list) is compared with the only key of the JSON output object.
pub fn agree_result(val: &Val, ty: &Type, json: &Result<Value, Value>) -> Differences {
    let mut out = Differences::default();
    match (val, ty, json) {
        (Val::Result(Ok(v)), Type::Result(rt), Ok(output)) => match (v, rt.ok()) {
            (Some(v), Some(ty)) => agree_output(v, &ty, output, &mut out),
            _ if output.is_null() || *output == Value::Object(Map::new()) => {}
            _ => out
                .values
                .push(format!("output: typed returned nothing, JSON {output}")),
        },
        (Val::Result(Err(e)), Type::Result(rt), Err(error)) => match (e, rt.err()) {
            (Some(e), Some(ty)) => agree_error(e, &ty, error, &mut out),
            _ => out
                .values
                .push(format!("error: typed returned no payload, JSON {error}")),
        },
        (Val::Result(Ok(v)), Type::Result(rt), Err(error)) => out.values.push(format!(
            "typed returned ok {}, JSON error {error}",
            opt_json(v.as_deref(), rt.ok())
        )),
        (Val::Result(Err(e)), Type::Result(rt), Ok(output)) => out.values.push(format!(
            "typed returned error {}, JSON ok {output}",
            match (e, rt.err()) {
                (Some(e), Some(ty)) => error_json(e, &ty),
                _ => Value::Null,
            }
        )),
        (val, ty, Ok(output)) => agree_output(val, ty, output, &mut out),
        (val, ty, Err(error)) => out.values.push(format!(
            "typed returned {}, JSON error {error}",
            to_json(val, ty)
        )),
    }
    out
}

fn agree_output(val: &Val, ty: &Type, output: &Value, out: &mut Differences) {
    match (ty, output) {
        (Type::Record(_), _) => agree(val, ty, output, "output", out),
        (_, Value::Object(map)) if map.len() == 1 => {
            if let Some((key, value)) = map.iter().next() {
                agree(val, ty, value, &format!("output.{key}"), out);
            }
        }
        _ => agree(val, ty, output, "output", out),
    }
}

/// An error variant against its JSON form: `kind` names the case; the payload's fields (or
/// the string payload as `message`) match the other keys, and there are no others.
pub fn agree_error(val: &Val, ty: &Type, json: &Value, out: &mut Differences) {
    let (Val::Variant(case, payload), Type::Variant(variant)) = (val, ty) else {
        return agree(val, ty, json, "error", out);
    };
    let Some(map) = json.as_object() else {
        return out
            .values
            .push(format!("error: JSON {json} is not an object"));
    };
    match map.get("kind").and_then(Value::as_str) {
        Some(kind) if same_name(kind, case) => {}
        _ => out.values.push(format!(
            "error.kind: typed {case}, JSON {}",
            map.get("kind").unwrap_or(&Value::Null)
        )),
    }
    let mut rest = map.clone();
    rest.remove("kind");
    match (payload, case_type(variant, case)) {
        (Some(payload), Some(record @ Type::Record(_))) => {
            agree(payload, &record, &rest.into(), "error", out)
        }
        (Some(payload), Some(payload_ty)) => {
            let message = rest.remove("message").unwrap_or(Value::Null);
            agree(payload, &payload_ty, &message, "error.message", out);
            extra_keys(&rest, "error", out);
        }
        _ => extra_keys(&rest, "error", out),
    }
}

fn extra_keys(map: &Map<String, Value>, path: &str, out: &mut Differences) {
    for (key, value) in map {
        out.keys
            .push(format!("{path}.{key}: JSON {value}, not in the WIT value"));
    }
}

/// Compares one WIT value with its JSON form, reporting differences by JSON path.
fn agree(val: &Val, ty: &Type, json: &Value, path: &str, out: &mut Differences) {
    let differs = |out: &mut Differences| {
        out.values
            .push(format!("{path}: typed {}, JSON {json}", to_json(val, ty)));
    };
    match (val, ty) {
        (Val::Option(None), _) => {
            if !json.is_null() {
                differs(out);
            }
        }
        (Val::Option(Some(inner)), Type::Option(o)) => agree(inner, &o.ty(), json, path, out),
        (Val::Record(fields), Type::Record(record)) => {
            let Some(map) = json.as_object() else {
                return differs(out);
            };
            let types = field_types(record);
            let mut rest = map.clone();
            for ((name, v), (_, ty)) in fields.iter().zip(&types) {
                let key = camel(name);
                let field_path = format!("{path}.{key}");
                match rest.remove(&key) {
                    Some(j) => agree(v, ty, &j, &field_path, out),
                    None if matches!(v, Val::Option(None)) => {}
                    None => out.keys.push(format!(
                        "{field_path}: typed {}, missing from the JSON",
                        to_json(v, ty)
                    )),
                }
            }
            extra_keys(&rest, path, out);
        }
        (Val::String(s), _) => {
            // WIT carries some JSON values as their JSON text (`raw`, a custom action's body).
            let as_json = || serde_json::from_str::<Value>(s).ok();
            let same = match json {
                Value::String(j) => j == s || as_json().as_ref() == Some(json),
                other => as_json().as_ref() == Some(other),
            };
            if !same {
                differs(out);
            }
        }
        (Val::Enum(case), _) => {
            if !json.as_str().is_some_and(|j| same_name(j, case)) {
                differs(out);
            }
        }
        (Val::Variant(case, None), _) => {
            if !json.as_str().is_some_and(|j| same_name(j, case)) {
                differs(out);
            }
        }
        (Val::Variant(case, Some(payload)), Type::Variant(variant)) => {
            let key = camel(case);
            match (json.as_object(), case_type(variant, case)) {
                (Some(map), Some(ty)) if map.len() == 1 && map.contains_key(&key) => {
                    agree(payload, &ty, &map[&key], &format!("{path}.{key}"), out)
                }
                _ => differs(out),
            }
        }
        (Val::List(items), Type::List(list)) => {
            let element = list.ty();
            match (json, pair_value(&element)) {
                (Value::Object(map), Some(value_ty)) => {
                    let Some(pairs) = as_pairs(items) else {
                        return differs(out);
                    };
                    let mut rest = map.clone();
                    for (name, v) in pairs {
                        match rest.remove(name) {
                            Some(j) => agree(v, &value_ty, &j, &format!("{path}.{name}"), out),
                            None => out.values.push(format!(
                                "{path}.{name}: typed {}, missing from the JSON (or repeated)",
                                to_json(v, &value_ty)
                            )),
                        }
                    }
                    for (name, value) in rest {
                        out.values.push(format!(
                            "{path}.{name}: JSON {value}, not in the typed list"
                        ));
                    }
                }
                (Value::Array(array), _) if array.len() == items.len() => {
                    for (i, (v, j)) in items.iter().zip(array).enumerate() {
                        agree(v, &element, j, &format!("{path}[{i}]"), out);
                    }
                }
                _ => differs(out),
            }
        }
        (Val::Tuple(items), Type::Tuple(tuple)) => match json.as_array() {
            Some(array) if array.len() == items.len() => {
                for (i, ((v, ty), j)) in items.iter().zip(tuple.types()).zip(array).enumerate() {
                    agree(v, &ty, j, &format!("{path}[{i}]"), out);
                }
            }
            _ => differs(out),
        },
        (Val::Float32(f), _) if json.as_f64() != Some(f64::from(*f)) => differs(out),
        (Val::Float64(f), _) if json.as_f64() != Some(*f) => differs(out),
        (Val::Float32(_) | Val::Float64(_), _) => {}
        (val, _) => {
            let same = match integer_of(val) {
                Some(n) => {
                    json.as_i64().map(i128::from) == Some(n)
                        || json.as_u64().map(i128::from) == Some(n)
                }
                None => to_json(val, ty) == *json,
            };
            if !same {
                differs(out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use wasm_encoder::{
        ComponentImportSection, ComponentTypeRef, ComponentTypeSection, ComponentValType,
        InstanceType, PrimitiveValType, TypeBounds,
    };
    use wasmtime::component::types::ComponentItem;

    const STRING: ComponentValType = ComponentValType::Primitive(PrimitiveValType::String);
    const BOOL: ComponentValType = ComponentValType::Primitive(PrimitiveValType::Bool);
    const U16: ComponentValType = ComponentValType::Primitive(PrimitiveValType::U16);
    const U64: ComponentValType = ComponentValType::Primitive(PrimitiveValType::U64);

    /// WIT types as wasmtime reflects them, without a guest: a component that only imports an
    /// instance whose type declares the test's types and functions.
    struct Wit {
        ty: InstanceType,
    }

    impl Wit {
        fn new() -> Wit {
            Wit {
                ty: InstanceType::new(),
            }
        }

        fn last(&self) -> ComponentValType {
            ComponentValType::Type(self.ty.type_count() - 1)
        }

        /// Records, enums and variants must be exported under a name to appear in a function.
        fn named(&mut self, name: &str) -> ComponentValType {
            let defined = self.ty.type_count() - 1;
            self.ty
                .export(name, ComponentTypeRef::Type(TypeBounds::Eq(defined)));
            self.last()
        }

        fn record(&mut self, name: &str, fields: &[(&str, ComponentValType)]) -> ComponentValType {
            self.ty.ty().defined_type().record(fields.iter().copied());
            self.named(name)
        }

        fn enumeration(&mut self, name: &str, cases: &[&str]) -> ComponentValType {
            self.ty.ty().defined_type().enum_type(cases.iter().copied());
            self.named(name)
        }

        fn variant(
            &mut self,
            name: &str,
            cases: &[(&str, Option<ComponentValType>)],
        ) -> ComponentValType {
            self.ty.ty().defined_type().variant(cases.iter().copied());
            self.named(name)
        }

        fn option(&mut self, ty: ComponentValType) -> ComponentValType {
            self.ty.ty().defined_type().option(ty);
            self.last()
        }

        fn list(&mut self, ty: ComponentValType) -> ComponentValType {
            self.ty.ty().defined_type().list(ty);
            self.last()
        }

        fn pairs(&mut self) -> ComponentValType {
            self.ty.ty().defined_type().tuple([STRING, STRING]);
            let pair = self.last();
            self.list(pair)
        }

        fn result(&mut self, ok: ComponentValType, err: ComponentValType) -> ComponentValType {
            self.ty.ty().defined_type().result(Some(ok), Some(err));
            self.last()
        }

        fn func(
            &mut self,
            name: &str,
            params: &[(&str, ComponentValType)],
            result: ComponentValType,
        ) {
            self.ty
                .ty()
                .function()
                .params(params.iter().copied())
                .result(Some(result));
            let index = self.ty.type_count() - 1;
            self.ty.export(name, ComponentTypeRef::Func(index));
        }

        /// The declared functions with their types.
        fn functions(self) -> Vec<(String, ComponentFunc)> {
            let mut types = ComponentTypeSection::new();
            types.instance(&self.ty);
            let mut imports = ComponentImportSection::new();
            imports.import("test:t/commands", ComponentTypeRef::Instance(0));
            let mut component = wasm_encoder::Component::new();
            component.section(&types).section(&imports);
            let engine = wasmtime::Engine::default();
            let component =
                wasmtime::component::Component::new(&engine, component.finish()).unwrap();
            let ty = component.component_type();
            let (_, import) = ty.imports(&engine).next().unwrap();
            let ComponentItem::ComponentInstance(instance) = import.ty else {
                panic!("the import is an instance");
            };
            instance
                .exports(&engine)
                .filter_map(|(name, item)| match item.ty {
                    ComponentItem::ComponentFunc(f) => Some((name.to_string(), f)),
                    _ => None,
                })
                .collect()
        }
    }

    /// A command shaped like the connector's: a record input with every kind of field, and a
    /// `result<record, error>` with a record-payload case and a string-payload case.
    fn post() -> ComponentFunc {
        let mut wit = Wit::new();
        let visibility = wit.enumeration("visibility", &["public", "logged-in"]);
        let opt_visibility = wit.option(visibility);
        let opt_bool = wit.option(BOOL);
        let opt_u64 = wit.option(U64);
        let opt_string = wit.option(STRING);
        let pairs = wit.pairs();
        let item = wit.record("item", &[("id", STRING), ("alt-text", opt_string)]);
        let items = wit.list(item);
        let source = wit.variant(
            "source",
            &[("data", Some(STRING)), ("source-url", Some(STRING))],
        );
        let input = wit.record(
            "input",
            &[
                ("author", STRING),
                ("text-format", opt_visibility),
                ("disable-reshare", opt_bool),
                ("wait-seconds", opt_u64),
                ("token", opt_string),
                ("headers", pairs),
                ("media", items),
                ("source", source),
            ],
        );
        let output = wit.record(
            "output",
            &[
                ("id", STRING),
                ("visibility", visibility),
                ("url", opt_string),
                ("headers", pairs),
                ("raw", STRING),
            ],
        );
        let invalid = wit.record(
            "invalid-input-error",
            &[("field", STRING), ("message", STRING)],
        );
        let error = wit.variant(
            "error",
            &[
                ("invalid-input", Some(invalid)),
                ("credentials", Some(STRING)),
            ],
        );
        let result = wit.result(output, error);
        wit.func("post", &[("input", input)], result);
        wit.functions().remove(0).1
    }

    fn result_type(func: &ComponentFunc) -> Type {
        func.results().next().unwrap()
    }

    fn string(s: &str) -> Val {
        Val::String(s.into())
    }

    fn pair(k: &str, v: &str) -> Val {
        Val::Tuple(vec![string(k), string(v)])
    }

    #[test]
    fn names() {
        assert_eq!(camel("text-format"), "textFormat");
        assert_eq!(camel("file-size-bytes"), "fileSizeBytes");
        assert_eq!(camel("id"), "id");
        assert!(same_name("LOGGED_IN", "logged-in"));
        assert!(same_name("Image", "image"));
        assert!(!same_name("loggedIn", "logged-in"));
    }

    #[test]
    fn input_becomes_the_record_with_the_conventions_coercions() {
        let func = post();
        let args = arguments(
            &func,
            &json!({
                "author": "person:1",
                "textFormat": "LOGGED_IN",
                "disableReshare": "true",
                "waitSeconds": "30",
                "token": "",
                "headers": {"x-a": 7},
                "media": [{"id": "urn:li:image:1"}],
                "sourceUrl": "https://cdn.example.com/a.png",
            }),
        )
        .expect("a typed form");
        let Val::Record(fields) = &args.values[0] else {
            panic!("{:?}", args.values);
        };
        let field = |name: &str| fields.iter().find(|(n, _)| n == name).unwrap().1.clone();
        assert!(matches!(field("author"), Val::String(s) if s == "person:1"));
        assert!(
            matches!(field("text-format"), Val::Option(Some(v)) if matches!(*v, Val::Enum(ref c) if c == "logged-in"))
        );
        assert!(
            matches!(field("disable-reshare"), Val::Option(Some(v)) if matches!(*v, Val::Bool(true)))
        );
        assert!(
            matches!(field("wait-seconds"), Val::Option(Some(v)) if matches!(*v, Val::U64(30)))
        );
        assert!(matches!(field("token"), Val::Option(None)));
        assert!(
            matches!(field("headers"), Val::List(l) if matches!(l.as_slice(), [Val::Tuple(p)] if matches!(p.as_slice(), [Val::String(k), Val::String(v)] if k == "x-a" && v == "7")))
        );
        assert!(matches!(field("media"), Val::List(l) if l.len() == 1));
        assert!(matches!(field("source"), Val::Variant(c, Some(_)) if c == "source-url"));
        assert_eq!(
            args.coerced,
            ["disableReshare", "waitSeconds", "token", "headers.x-a"]
        );
        assert_eq!(args.emptied, ["token"]);
        let Some([Val::Record(literal)]) = args.literal.as_deref() else {
            panic!("a literal reading");
        };
        assert!(literal.iter().any(|(n, v)| n == "token" && matches!(v, Val::Option(Some(s)) if matches!(**s, Val::String(ref t) if t.is_empty()))));
    }

    #[test]
    fn inputs_without_a_typed_form() {
        let func = post();
        let base = json!({"author": "a", "data": "AAAA"});
        assert!(arguments(&func, &base).is_some());
        let without = |key: &str, value: Value| {
            let mut input = base.clone();
            input[key] = value;
            arguments(&func, &input).is_none()
        };
        assert!(without("visiblity", json!("public")), "unknown key");
        assert!(without("author", Value::Null), "required field missing");
        assert!(
            without("textFormat", json!("friends")),
            "unknown enum value"
        );
        assert!(without("textFormat", json!(true)), "wrong JSON type");
        assert!(without("waitSeconds", json!(-1)), "out of range");
        assert!(
            without("sourceUrl", json!("https://x")),
            "two cases of one variant"
        );
        assert!(
            without("headers", json!({"x": {"y": 1}})),
            "a header that is no scalar"
        );
        assert!(
            arguments(&func, &json!({"author": "a"})).is_none(),
            "no case given"
        );
        assert!(
            arguments(&func, &json!(["author"])).is_none(),
            "not an object"
        );
        // A JSON value for a string is its JSON text.
        let args = arguments(&func, &json!({"author": {"a": 1}, "data": "x"})).unwrap();
        let Val::Record(fields) = &args.values[0] else {
            panic!()
        };
        assert!(matches!(&fields[0].1, Val::String(s) if s == r#"{"a":1}"#));
        assert_eq!(args.coerced, ["author"]);
    }

    #[test]
    fn parameters_that_are_not_one_record_are_keys() {
        let mut wit = Wit::new();
        let error = wit.variant("error", &[("bad", Some(STRING))]);
        let result = wit.result(STRING, error);
        wit.func("answer", &[("challenge-code", STRING), ("n", U16)], result);
        wit.func("none", &[], result);
        let functions = wit.functions();
        let args = arguments(&functions[0].1, &json!({"challengeCode": "c", "n": 2})).unwrap();
        assert!(matches!(args.values.as_slice(), [Val::String(c), Val::U16(2)] if c == "c"));
        assert!(
            arguments(&functions[1].1, &json!({}))
                .unwrap()
                .values
                .is_empty()
        );
        assert!(arguments(&functions[1].1, &json!({"x": 1})).is_none());
    }

    fn output(visibility: &str, url: Option<&str>, raw: &str) -> Val {
        Val::Result(Ok(Some(Box::new(Val::Record(vec![
            ("id".into(), string("urn:li:share:1")),
            ("visibility".into(), Val::Enum(visibility.into())),
            ("url".into(), Val::Option(url.map(|u| Box::new(string(u))))),
            ("headers".into(), Val::List(vec![pair("x-a", "1")])),
            ("raw".into(), string(raw)),
        ])))))
    }

    #[test]
    fn results_agree_by_the_json_rules() {
        let ty = result_type(&post());
        let val = output("logged-in", None, r#"{"a":[1]}"#);
        assert_eq!(
            result_json(&val, &ty),
            Ok(
                json!({"id": "urn:li:share:1", "visibility": "logged-in", "url": null,
                      "headers": {"x-a": "1"}, "raw": "{\"a\":[1]}"})
            )
        );
        // An enum in any spelling, a none left out, JSON text as the value it holds.
        let json = Ok(json!({"id": "urn:li:share:1", "visibility": "LOGGED_IN",
                             "headers": {"x-a": "1"}, "raw": {"a": [1]}}));
        assert!(agree_result(&val, &ty, &json).is_empty());

        let differs = |json: Value| agree_result(&val, &ty, &Ok(json));
        let d = differs(json!({"id": "urn:li:share:2", "visibility": "public",
                               "url": "https://x", "headers": {"x-a": "2", "x-b": "3"},
                               "raw": {"a": [2]}}));
        for path in [
            "output.id",
            "output.visibility",
            "output.url",
            "output.headers.x-a",
            "output.headers.x-b",
            "output.raw",
        ] {
            assert!(
                d.values.iter().any(|v| v.starts_with(path)),
                "{path}: {d:?}"
            );
        }
        let d = differs(json!({"visibility": "logged-in", "headers": {"x-a": "1"},
                               "raw": {"a": [1]}, "extra": 1}));
        assert!(d.values.is_empty(), "{d:?}");
        assert_eq!(d.keys.len(), 2, "id missing, extra unknown: {d:?}");
        assert!(!agree_result(&val, &ty, &Err(json!({"kind": "credentials"}))).is_empty());
    }

    #[test]
    fn errors_have_their_json_form() {
        let ty = result_type(&post());
        let invalid = Val::Result(Err(Some(Box::new(Val::Variant(
            "invalid-input".into(),
            Some(Box::new(Val::Record(vec![
                ("field".into(), string("author")),
                ("message".into(), string("No author.")),
            ]))),
        )))));
        let json = json!({"kind": "invalid-input", "field": "author", "message": "No author."});
        assert_eq!(result_json(&invalid, &ty), Err(json.clone()));
        assert!(agree_result(&invalid, &ty, &Err(json)).is_empty());
        let other = json!({"kind": "invalid-input", "field": "text", "message": "No author."});
        assert_eq!(agree_result(&invalid, &ty, &Err(other)).values.len(), 1);

        let credentials = Val::Result(Err(Some(Box::new(Val::Variant(
            "credentials".into(),
            Some(Box::new(string("Connect LinkedIn."))),
        )))));
        let json = json!({"kind": "credentials", "message": "Connect LinkedIn."});
        assert_eq!(result_json(&credentials, &ty), Err(json.clone()));
        assert!(agree_result(&credentials, &ty, &Err(json)).is_empty());
        let d = agree_result(
            &credentials,
            &ty,
            &Err(json!({"kind": "api", "message": "x"})),
        );
        assert_eq!(d.values.len(), 2, "{d:?}");
    }

    #[test]
    fn a_bare_result_is_the_only_key_of_the_output() {
        let mut wit = Wit::new();
        let item = wit.record("note", &[("lead-id", STRING)]);
        let items = wit.list(item);
        let error = wit.variant("error", &[("bad", Some(STRING))]);
        let result = wit.result(items, error);
        wit.func("notes", &[], result);
        let ty = result_type(&wit.functions()[0].1);
        let val = Val::Result(Ok(Some(Box::new(Val::List(vec![Val::Record(vec![(
            "lead-id".into(),
            string("7"),
        )])])))));
        let json = Ok(json!({"notifications": [{"leadId": "7"}]}));
        assert!(agree_result(&val, &ty, &json).is_empty());
        let json = Ok(json!({"notifications": [{"leadId": "8"}]}));
        assert!(!agree_result(&val, &ty, &json).is_empty());
    }
}
