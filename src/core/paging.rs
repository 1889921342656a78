//! The two list conventions. Most lists page by offset: `count` (1-100, default 10) and
//! `start` in, `items` and `next` out, where `next` is the input to merge into the following
//! call (`{"start": 20}`) or `null` at the end, so a low-code loop needs no arithmetic.
//! LinkedIn's Ads search finders page by cursor instead, and their commands follow them:
//! `pageSize` and `pageToken` in, and `next` is `{"pageToken": …}` or `null`, merged the same
//! way.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use serde_json::value::RawValue;

use crate::core::error::Error;
use crate::core::input::{Field, ParamType};
use crate::core::json;
use crate::core::pipeline::{ApiRequest, ApiResponse};

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

/// A cursor finder's page size: 1 to `MAX` (LinkedIn takes up to 1,000 a page, creatives up to
/// 100), default 100. Always sent: LinkedIn answers a search that would return too many
/// entities without it with a 400.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PageSize<const MAX: u32>(pub u32);

impl<const MAX: u32> PageSize<MAX> {
    pub const DEFAULT: PageSize<MAX> = PageSize(100);
}

impl<const MAX: u32> Field for PageSize<MAX> {
    const TYPE: ParamType = ParamType::Integer;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        read_size(value, name, MAX).map(PageSize)
    }

    fn schema(schema: &mut Map<String, Value>) {
        schema.insert("minimum".into(), 1.into());
        schema.insert("maximum".into(), MAX.into());
    }
}

/// A whole number from 1 to `max`; not generic, so each page size shares it.
fn read_size(value: &Value, name: &str, max: u32) -> Result<u32, Error> {
    let n = <u64 as Field>::read(value, name)?;
    match u32::try_from(n) {
        Ok(n) if (1..=max).contains(&n) => Ok(n),
        _ => Err(Error::invalid(
            name,
            format!("`{name}` must be between 1 and {max}, not {n}."),
        )),
    }
}

/// What to merge into the input for the following page of a cursor list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NextToken {
    pub page_token: String,
}

/// One page of a cursor list. Mirrors the WIT records of the Ads lists (`items`, `next`).
#[derive(Clone, Debug, Serialize)]
pub struct CursorPage<T> {
    pub items: Vec<T>,
    pub next: Option<NextToken>,
}

/// Asks a cursor finder for one page: `pageSize`, and `pageToken` when given. The token is
/// LinkedIn's opaque text, sent as a Rest.li string: every reserved character encoded, `=` as
/// `%3D`.
pub fn cursor(request: ApiRequest, size: u32, token: Option<&str>) -> ApiRequest {
    let request = request.query("pageSize", &size.to_string());
    match token {
        Some(token) => request.query("pageToken", token),
        None => request,
    }
}

/// A cursor finder's answer: the elements, and where the next page starts.
#[derive(Deserialize)]
struct CursorAnswer<'a> {
    #[serde(borrow)]
    elements: Vec<&'a RawValue>,
    metadata: Option<CursorMetadata>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CursorMetadata {
    next_page_token: Option<String>,
}

/// One page of a cursor finder's answer: each element as LinkedIn's bytes, and the next page
/// (`metadata.nextPageToken`), none when LinkedIn sent no token: the last page.
pub fn read_cursor(response: &ApiResponse) -> Result<(Vec<&RawValue>, Option<NextToken>), Error> {
    let answer: CursorAnswer<'_> = crate::core::json::objects::from_slice(&response.body)
        .map_err(|e| response.not_json(format!("the list answer does not read ({e})")))?;
    let next = answer
        .metadata
        .and_then(|m| m.next_page_token)
        .filter(|token| !token.is_empty())
        .map(|page_token| NextToken { page_token });
    Ok((answer.elements, next))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// LinkedIn's 200 answer to a GET of `url`.
    fn answer_of(url: &'static str, body: &str) -> ApiResponse {
        use http::{HeaderMap, Method, StatusCode, Uri};
        ApiResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: body.as_bytes().to_vec(),
            call: (Method::GET, Uri::from_static(url)),
        }
    }

    #[test]
    fn a_list_answer_keeps_each_element_as_linkedin_wrote_it() {
        let answer = |body: &str| answer_of("https://api.linkedin.com/rest/x", body);
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

    #[test]
    fn a_cursor_answer_gives_its_elements_and_the_next_token() {
        let answer = |body: &str| answer_of("https://api.linkedin.com/rest/adAccounts", body);
        let response =
            answer(r#"{"elements":[{"id": 1.50}],"metadata":{"nextPageToken":"a+b/c=="}}"#);
        let (elements, next) = read_cursor(&response).unwrap();
        assert_eq!(elements[0].get(), r#"{"id": 1.50}"#);
        assert_eq!(next.unwrap().page_token, "a+b/c==");
        for last in [
            r#"{"elements":[],"metadata":{}}"#,
            r#"{"elements":[],"metadata":{"nextPageToken":""}}"#,
            r#"{"elements":[],"metadata":{"nextPageToken":null}}"#,
            r#"{"elements":[]}"#,
        ] {
            assert_eq!(read_cursor(&answer(last)).unwrap().1, None, "{last}");
        }
        for bad in ["", "[]", r#"{"metadata":{}}"#, r#"{"elements":{}}"#] {
            assert_eq!(
                read_cursor(&answer(bad)).unwrap_err().kind(),
                "decode",
                "{bad}"
            );
        }
        let request = cursor(
            ApiRequest::get(crate::core::pipeline::Api::Rest, "/adAccounts"),
            100,
            Some("a+b/c=="),
        );
        assert_eq!(
            request.query_string(),
            "pageSize=100&pageToken=a%2Bb%2Fc%3D%3D"
        );
        assert_eq!(
            PageSize::<100>::read(&json!(101), "pageSize")
                .unwrap_err()
                .field(),
            Some("pageSize")
        );
        assert_eq!(
            PageSize::<1000>::read(&json!("1000"), "pageSize").unwrap(),
            PageSize(1000)
        );
    }
}
