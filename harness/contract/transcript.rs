//! The transcript: every HTTP exchange the simulated client made, as recorded (secrets
//! already redacted, see [`super::redact`]). The client writes it; the checks and the
//! reports read it.

use std::time::Duration;

use serde::Serialize;

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
    /// On a 429: what Okta would do next by its own schedule, e.g. "Okta would retry in
    /// 300 s; this server sent no Retry-After" (reference §10.8). The harness itself waits
    /// a bounded time (`RetryPolicy::max_wait`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub okta_retry: Option<String>,
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
