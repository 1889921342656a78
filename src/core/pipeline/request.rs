//! A LinkedIn call as a command describes it: method, API family, path, query, body, extra
//! headers, and the scopes a 403 to it names.

use http::{HeaderMap, HeaderName, HeaderValue, Method};
use serde::Serialize;

use crate::core::urls::Api;

/// LinkedIn refuses a query string over 4 KB (414). A GET whose query is longer is tunnelled,
/// as LinkedIn's own client does: a POST with `X-HTTP-Method-Override: GET` and the query as a
/// form body.
pub const MAX_QUERY_BYTES: usize = 4000;

/// A LinkedIn call, described by a command.
#[derive(Clone, Debug)]
pub struct ApiRequest {
    pub method: Method,
    pub api: Api,
    /// After the base (`/posts`, `/images/urn%3Ali%3Aimage%3A1`); already encoded.
    pub path: String,
    /// Pairs already encoded for the query string.
    pub query: Vec<(String, String)>,
    /// The body and its content type, sent byte for byte.
    pub body: Option<(HeaderValue, Vec<u8>)>,
    /// Extra headers, such as `x-restli-method`.
    pub headers: HeaderMap,
    /// The scopes a 403 to this call names, when they are not all of the command's (one call
    /// of a command that needs another scope for part of its work).
    pub scopes: Option<&'static [&'static str]>,
}

impl ApiRequest {
    pub fn new(method: Method, api: Api, path: impl Into<String>) -> ApiRequest {
        ApiRequest {
            method,
            api,
            path: path.into(),
            query: Vec::new(),
            body: None,
            headers: HeaderMap::new(),
            scopes: None,
        }
    }

    pub fn get(api: Api, path: impl Into<String>) -> ApiRequest {
        ApiRequest::new(Method::GET, api, path)
    }

    /// Adds a query parameter whose value is percent-encoded (URNs become `urn%3Ali%3A...`).
    pub fn query(mut self, key: &str, value: &str) -> ApiRequest {
        self.query.push((
            crate::core::urn::percent_encode(key),
            crate::core::urn::percent_encode(value),
        ));
        self
    }

    /// Adds a query parameter whose value is already written for the URL (Rest.li structure
    /// such as `List(...)`, projections).
    pub fn query_raw(mut self, key: &str, value: impl Into<String>) -> ApiRequest {
        self.query.push((key.to_string(), value.into()));
        self
    }

    /// A JSON body.
    pub fn json(mut self, body: &impl Serialize) -> ApiRequest {
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        self.body = Some((HeaderValue::from_static("application/json"), bytes));
        self
    }

    /// A body sent as given, with its content type (custom-action).
    pub fn raw_body(mut self, content_type: HeaderValue, bytes: Vec<u8>) -> ApiRequest {
        self.body = Some((content_type, bytes));
        self
    }

    /// An extra header with a fixed name and value (`x-restli-method: PARTIAL_UPDATE`).
    pub fn header(mut self, name: &'static str, value: &'static str) -> ApiRequest {
        self.headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
        self
    }

    /// Asks for one page of a list: `count` items after the first `start`.
    pub fn paged(self, start: u32, count: u32) -> ApiRequest {
        self.query("start", &start.to_string())
            .query("count", &count.to_string())
    }

    /// The scopes a 403 to this call names, instead of every scope of the command.
    pub fn scopes(mut self, scopes: &'static [&'static str]) -> ApiRequest {
        self.scopes = Some(scopes);
        self
    }

    /// The path without the query.
    pub fn path(&self) -> String {
        let base = match self.api {
            Api::Rest => "/rest",
            Api::V2 | Api::OpenId => "/v2",
        };
        format!("{base}{}", self.path)
    }

    /// The query string (without `?`).
    pub fn query_string(&self) -> String {
        let mut query = String::new();
        for (i, (k, v)) in self.query.iter().enumerate() {
            if i > 0 {
                query.push('&');
            }
            query.push_str(k);
            query.push('=');
            query.push_str(v);
        }
        query
    }

    /// The path and query as sent.
    pub fn path_and_query(&self) -> String {
        let query = self.query_string();
        if query.is_empty() {
            self.path()
        } else {
            format!("{}?{query}", self.path())
        }
    }

    /// A GET whose query is too long for LinkedIn, turned into the tunnelled POST that carries
    /// the query as its body; any other request unchanged.
    pub(super) fn tunnelled(mut self) -> ApiRequest {
        let query = self.query_string();
        if self.method != Method::GET || self.body.is_some() || query.len() <= MAX_QUERY_BYTES {
            return self;
        }
        self.method = Method::POST;
        self.query.clear();
        self.headers.insert(
            HeaderName::from_static("x-http-method-override"),
            HeaderValue::from_static("GET"),
        );
        self.body = Some((
            HeaderValue::from_static("application/x-www-form-urlencoded"),
            query.into_bytes(),
        ));
        self
    }
}
