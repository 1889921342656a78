//! The one list convention of every list command: `count` (1-100, default 10) and `start` in,
//! `items` and `next` out, where `next` is the input to merge into the following call
//! (`{"start": 20}`) or `null` at the end, so a low-code loop needs no arithmetic.

use serde::Serialize;
use serde_json::{Map, Value};

use serde_json::value::RawValue;

use crate::core::error::Error;
use crate::core::input::{Field, ParamType};
use crate::core::json;
use crate::core::pipeline::ApiResponse;

/// The most items LinkedIn returns per page.
pub const MAX_COUNT: u32 = 100;

/// A page size of 1 to 100.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Count(pub u32);

impl Count {
    pub const DEFAULT: Count = Count(10);
}

impl Field for Count {
    const TYPE: ParamType = ParamType::Integer;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        let n = <u64 as Field>::read(value, name)?;
        if (1..=u64::from(MAX_COUNT)).contains(&n) {
            Ok(Count(n as u32))
        } else {
            Err(Error::invalid(
                name,
                format!("`{name}` must be between 1 and {MAX_COUNT}, not {n}."),
            ))
        }
    }

    fn schema(schema: &mut Map<String, Value>) {
        schema.insert("minimum".into(), 1.into());
        schema.insert("maximum".into(), MAX_COUNT.into());
    }
}

/// What to merge into the input for the following page.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Next {
    pub start: u32,
}

/// One page of a list. Mirrors the WIT list records (`items`, `next`). `N` is what `next`
/// holds: the `start` alone, or more where a list must keep other input fixed from page to page
/// (list-leads keeps its time range).
#[derive(Clone, Debug, Serialize)]
pub struct Page<T, N = Next> {
    pub items: Vec<T>,
    pub next: Option<N>,
}

/// The next page after `returned` items from `start`, asked `count` at a time; none after a
/// short page or once `total` (when LinkedIn sent it) is reached.
pub fn next(start: u32, count: Count, returned: usize, total: Option<u64>) -> Option<Next> {
    let after = u64::from(start) + returned as u64;
    let short = returned < count.0 as usize;
    let done = total.is_some_and(|total| after >= total);
    (!short && !done).then(|| Next {
        start: u32::try_from(after).unwrap_or(u32::MAX),
    })
}

/// One page of a LinkedIn list answer (`{"elements": [...], "paging": {...}}`, elements
/// required): each element as LinkedIn's bytes, for its `raw`, and the page after it.
pub fn read(
    response: &ApiResponse,
    start: u32,
    count: Count,
) -> Result<(Vec<&RawValue>, Option<Next>), Error> {
    let (elements, total) = elements(response)?;
    let next = next(start, count, elements.len(), total);
    Ok((elements, next))
}

/// The elements of a LinkedIn list answer, each as LinkedIn's bytes, and `paging.total` when
/// LinkedIn sent it: for a list read whole, whose pages follow the total.
pub fn elements(response: &ApiResponse) -> Result<(Vec<&RawValue>, Option<u64>), Error> {
    let not_json = |why: &str| response.not_json(["the list answer ", why].concat());
    let body = json::members(response.text().unwrap_or_default())
        .map_err(|_| not_json("is not a JSON object"))?;
    let elements = json::member(&body, "elements")
        .and_then(|raw| json::items(raw.get()).ok())
        .ok_or_else(|| not_json("has no elements list"))?;
    let total = json::member(&body, "paging")
        .and_then(|raw| serde_json::from_str::<Value>(raw.get()).ok())
        .as_ref()
        .and_then(|paging| paging.get("total").and_then(Value::as_u64));
    Ok((elements, total))
}

/// `paging.total` of a LinkedIn list answer, when it sent one.
pub fn total(body: &Value) -> Option<u64> {
    body.pointer("/paging/total").and_then(Value::as_u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_list_answer_keeps_each_element_as_linkedin_wrote_it() {
        use http::{HeaderMap, Method, StatusCode, Uri};
        let answer = |body: &str| ApiResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
            call: (
                Method::GET,
                Uri::from_static("https://api.linkedin.com/rest/x"),
            ),
        };
        let response = answer(r#"{"paging":{"total":3},"elements":[{"t":"\u00e9", "n": 1.50},7]}"#);
        let (elements, next) = read(&response, 0, Count(2)).unwrap();
        let raw: Vec<&str> = elements.iter().map(|e| e.get()).collect();
        assert_eq!(raw, [r#"{"t":"\u00e9", "n": 1.50}"#, "7"]);
        assert_eq!(next.map(|n| n.start), Some(2));
        let (_, next) = read(&answer(r#"{"elements":[1,2]}"#), 1, Count(2)).unwrap();
        assert_eq!(
            next.map(|n| n.start),
            Some(3),
            "no total: a full page asks for more"
        );
        for (body, says) in [
            ("[1]", "is not a JSON object"),
            ("", "is not a JSON object"),
            (r#"{"paging":{}}"#, "has no elements list"),
            (r#"{"elements":{}}"#, "has no elements list"),
        ] {
            let err = read(&answer(body), 0, Count(2)).unwrap_err();
            assert!(err.message().contains(says), "{body}: {err}");
        }
    }

    #[test]
    fn next_page_rules() {
        let ten = Count(10);
        assert_eq!(next(0, ten, 10, None), Some(Next { start: 10 }));
        assert_eq!(next(20, ten, 4, None), None, "short page");
        assert_eq!(next(0, ten, 10, Some(10)), None, "total reached");
        assert_eq!(next(0, ten, 10, Some(11)), Some(Next { start: 10 }));
        assert_eq!(next(0, ten, 0, None), None);
    }

    #[test]
    fn count_is_1_to_100() {
        assert_eq!(Count::read(&json!(100), "count").unwrap(), Count(100));
        assert_eq!(Count::read(&json!("5"), "count").unwrap(), Count(5));
        for bad in [json!(0), json!(101), json!(-1), json!("x")] {
            assert_eq!(
                Count::read(&bad, "count").unwrap_err().field(),
                Some("count"),
                "{bad}"
            );
        }
        assert_eq!(total(&json!({"paging": {"total": 3}})), Some(3));
        assert_eq!(total(&json!({"paging": {}})), None);
    }
}
