//! The transcript: every HTTP exchange the simulated Okta client made, as recorded.
//!
//! Secrets are redacted when an exchange is recorded, not when it is printed: the token in
//! `Authorization` and any `password` in a body never reach a transcript, so no report, log or
//! snapshot built from one can leak them.

use std::time::Duration;

use serde::Serialize;

/// What a redacted secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// One request and what came back (or why nothing did).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exchange {
    /// `GET`, `POST`, `PUT`, `PATCH`, `DELETE`.
    pub method: String,
    /// Path and query relative to the SCIM base URL, e.g. `/Users?startIndex=1&count=2`.
    pub path: String,
    /// Request headers in the order sent, secrets redacted.
    pub request_headers: Vec<(String, String)>,
    /// Request body, secrets redacted; `None` when the request had no body.
    pub request_body: Option<Body>,
    /// The response; `None` when none arrived (timeout, connection refused or reset).
    pub response: Option<Response>,
    /// Why no response arrived, or why the response could not be read.
    pub error: Option<String>,
    /// Time from sending the request to reading the whole response.
    pub duration: Duration,
}

/// A response as recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Body,
}

/// A request or response body.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Body {
    Empty,
    Json(serde_json::Value),
    /// Not JSON: kept as text (cut to a bounded length) so a report can show what came back.
    Text(String),
}

impl Exchange {
    /// The response status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        self.response.as_ref().map(|r| r.status)
    }
}
