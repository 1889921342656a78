//! Building a command's JSON output: the normalised fields, then `raw` with LinkedIn's body
//! exactly as it arrived (spliced in as text, so key order and number spelling survive).

use serde::Serialize;

/// `fields` (which serialises as a JSON object) with `"raw": <raw>` appended when `raw` is
/// given. `raw` must be valid JSON; callers pass only bodies that already parsed.
pub fn object_with_raw(fields: &impl Serialize, raw: Option<&str>) -> String {
    let mut out = serde_json::to_string(fields).unwrap_or_else(|_| "{}".to_string());
    if let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) {
        debug_assert!(out.ends_with('}'));
        out.pop();
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str("\"raw\":");
        out.push_str(raw);
        out.push('}');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    #[test]
    fn raw_is_spliced_verbatim() {
        let out = object_with_raw(&json!({"a": 1}), Some(" {\"z\":1.50,\"b\":2}\n"));
        assert_eq!(out, r#"{"a":1,"raw":{"z":1.50,"b":2}}"#);
        assert!(serde_json::from_str::<Value>(&out).is_ok());
        assert_eq!(object_with_raw(&json!({}), Some("[]")), r#"{"raw":[]}"#);
        assert_eq!(object_with_raw(&json!({"a": 1}), None), r#"{"a":1}"#);
    }
}
