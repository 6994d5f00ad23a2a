//! What the mock received, so a test of a SCIM *client* can assert on what the client sent
//! (wiremock's `received_requests()` and `Mock::expect(n)`, for the mock Zinc).
//!
//! - [`RequestLog`]: every SCIM request (`/scim/v2/…`) with its answer's status, newest last,
//!   redacted like every report (the `Authorization` credential and passwords never kept),
//!   bounded ([`ZincConfig::request_log_limit`](super::ZincConfig::request_log_limit); the
//!   oldest are forgotten first, and the log says how many).
//! - [`Expect`]: "exactly one PATCH to `/Groups/*`", "no DELETE to `/Users*`", checked by
//!   [`MockZinc::verify`](super::MockZinc::verify) or when the mock is dropped.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::ops::RangeInclusive;
use std::sync::Arc;

use parking_lot::Mutex;
use serde::Serialize;
use serde_json::Value;

use super::faults::glob;
use crate::contract::redact;

/// One SCIM request the mock received.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReceivedRequest {
    /// `GET`, `POST`…
    pub method: String,
    /// The path relative to the SCIM base, with its query as sent: `/Users?filter=…`.
    pub path: String,
    /// Request headers, names lower-cased, credentials redacted.
    pub headers: Vec<(String, String)>,
    /// The body as the mock read it: JSON as JSON (passwords redacted), anything else as
    /// text; `None` when the handler read no body.
    pub body: Option<Value>,
    /// The status the mock answered; `None` when the connection was dropped (a fault).
    pub status: Option<u16>,
}

impl ReceivedRequest {
    /// The request line as a test would write it: `PATCH /Groups/1f0…`.
    pub fn line(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

/// The bounded log of received requests.
#[derive(Debug, Clone)]
pub(crate) struct RequestLog(Arc<LogInner>);

#[derive(Debug)]
pub(crate) struct LogInner {
    limit: usize,
    state: Mutex<LogState>,
}

#[derive(Debug, Default)]
struct LogState {
    requests: VecDeque<ReceivedRequest>,
    forgotten: u64,
    expectations: Vec<Expect>,
}

impl RequestLog {
    pub(crate) fn new(limit: usize) -> Self {
        RequestLog(Arc::new(LogInner {
            limit,
            state: Mutex::new(LogState::default()),
        }))
    }

    /// False when recording is off (limit 0): the request path then does no extra work.
    pub(crate) fn enabled(&self) -> bool {
        self.0.limit > 0
    }

    pub(crate) fn push(&self, r: ReceivedRequest) {
        let mut s = self.0.state.lock();
        if s.requests.len() == self.0.limit {
            s.requests.pop_front();
            s.forgotten += 1;
        }
        s.requests.push_back(r);
    }

    pub(crate) fn snapshot(&self) -> Vec<ReceivedRequest> {
        self.0.state.lock().requests.iter().cloned().collect()
    }

    /// The requests after the first `seen` ever received (forgotten ones are skipped), and
    /// the count to pass next time: how `serve --log` follows the log without re-reading it.
    pub(crate) fn since(&self, seen: u64) -> (Vec<ReceivedRequest>, u64) {
        let s = self.0.state.lock();
        let total = s.forgotten + s.requests.len() as u64;
        let skip = seen.saturating_sub(s.forgotten) as usize;
        (s.requests.iter().skip(skip).cloned().collect(), total)
    }

    pub(crate) fn forgotten(&self) -> u64 {
        self.0.state.lock().forgotten
    }

    pub(crate) fn clear(&self) {
        let mut s = self.0.state.lock();
        s.requests.clear();
        s.forgotten = 0;
    }

    pub(crate) fn expect(&self, e: Expect) {
        self.0.state.lock().expectations.push(e);
    }

    /// Checks every expectation against what was received; the expectations stay.
    pub(crate) fn verify(&self) -> Result<(), Unmet> {
        let s = self.0.state.lock();
        let failures: Vec<String> = s
            .expectations
            .iter()
            .filter_map(|e| {
                let n = s.requests.iter().filter(|r| e.matches(r)).count();
                (!e.times.contains(&n)).then(|| format!("{e}: received {n}"))
            })
            .collect();
        if failures.is_empty() {
            return Ok(());
        }
        Err(Unmet {
            failures,
            received: s.requests.iter().map(describe).collect(),
            forgotten: s.forgotten,
        })
    }

    /// True when a test registered any expectation (so dropping the mock checks them).
    pub(crate) fn has_expectations(&self) -> bool {
        !self.0.state.lock().expectations.is_empty()
    }
}

fn describe(r: &ReceivedRequest) -> String {
    match r.status {
        Some(s) => format!("{} → {s}", r.line()),
        None => format!("{} → connection dropped", r.line()),
    }
}

/// An expectation on the requests a mock receives, checked by
/// [`MockZinc::verify`](super::MockZinc::verify) and when the mock is dropped (a test then
/// fails with the list of what did arrive). Paths are relative to the SCIM base and match
/// like fault rules: `*` is any run of characters, the query is part of the path.
///
/// ```
/// use zinc_harness::zinc::Expect;
/// let one_patch = Expect::request("PATCH", "/Groups/*").times(1);
/// let no_user_delete = Expect::request("DELETE", "/Users*").never();
/// let a_deactivation = Expect::request("PATCH", "/Users/*")
///     .with_body(serde_json::json!({"Operations": [{"value": {"active": false}}]}))
///     .at_least(1);
/// # let _ = (one_patch, no_user_delete, a_deactivation);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Expect {
    method: Option<String>,
    path: String,
    body: Option<Value>,
    times: RangeInclusive<usize>,
}

impl Expect {
    /// Requests with this method (`*` for any) and path pattern; by default at least one.
    pub fn request(method: &str, path: &str) -> Self {
        Expect {
            method: (method != "*").then(|| method.to_ascii_uppercase()),
            path: path.to_owned(),
            body: None,
            times: 1..=usize::MAX,
        }
    }
    /// Only requests whose JSON body contains this JSON (objects: these keys with matching
    /// values; arrays: each expected item matches some item, in any order).
    pub fn with_body(mut self, subset: Value) -> Self {
        self.body = Some(subset);
        self
    }
    /// Exactly `n` matching requests.
    pub fn times(mut self, n: usize) -> Self {
        self.times = n..=n;
        self
    }
    /// At least `n` matching requests.
    pub fn at_least(mut self, n: usize) -> Self {
        self.times = n..=usize::MAX;
        self
    }
    /// At most `n` matching requests.
    pub fn at_most(mut self, n: usize) -> Self {
        self.times = 0..=n;
        self
    }
    /// No matching request at all.
    pub fn never(self) -> Self {
        self.times(0)
    }

    fn matches(&self, r: &ReceivedRequest) -> bool {
        self.method.as_deref().is_none_or(|m| m == r.method)
            && glob(&self.path, &r.path)
            && self
                .body
                .as_ref()
                .is_none_or(|want| r.body.as_ref().is_some_and(|got| contains(got, want)))
    }
}

impl fmt::Display for Expect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let method = self.method.as_deref().unwrap_or("*");
        let times = match (*self.times.start(), *self.times.end()) {
            (a, b) if a == b => format!("exactly {a}"),
            (a, usize::MAX) => format!("at least {a}"),
            (0, b) => format!("at most {b}"),
            (a, b) => format!("{a} to {b}"),
        };
        write!(f, "expected {times} × {method} {}", self.path)?;
        if let Some(b) = &self.body {
            write!(f, " with a body containing {b}")?;
        }
        Ok(())
    }
}

/// JSON subset: every key of `want` is in `got` with a matching value; every item of an
/// expected array matches some item of the actual one.
fn contains(got: &Value, want: &Value) -> bool {
    match (got, want) {
        (Value::Object(g), Value::Object(w)) => w
            .iter()
            .all(|(k, wv)| g.get(k).is_some_and(|gv| contains(gv, wv))),
        (Value::Array(g), Value::Array(w)) => {
            w.iter().all(|wv| g.iter().any(|gv| contains(gv, wv)))
        }
        _ => got == want,
    }
}

/// Expectations a mock's requests did not meet.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}", self.render())]
pub struct Unmet {
    /// One line per unmet expectation.
    pub failures: Vec<String>,
    /// Every request received (`METHOD path → status`), oldest first.
    pub received: Vec<String>,
    /// Requests no longer in the log (it is bounded).
    pub forgotten: u64,
}

impl Unmet {
    fn render(&self) -> String {
        let mut out = String::from("the mock Zinc's request expectations were not met:\n");
        for f in &self.failures {
            out.push_str(&format!("  - {f}\n"));
        }
        out.push_str(&format!("received {} requests", self.received.len()));
        if self.forgotten > 0 {
            out.push_str(&format!(
                " (and {} older ones no longer logged)",
                self.forgotten
            ));
        }
        out.push(':');
        for r in &self.received {
            out.push_str(&format!("\n  {r}"));
        }
        out
    }
}

tokio::task_local! {
    /// The body the handler of the current request read, for the log. Set by the front of the
    /// HTTP shell only while recording, filled by `read_json`.
    static BODY: RefCell<Option<Value>>;
}

/// Runs `f` (one request's handling) with a slot for its body; returns what `f` returned and
/// the body it read.
pub(crate) async fn with_body_slot<F: Future>(f: F) -> (F::Output, Option<Value>) {
    BODY.scope(RefCell::new(None), async {
        let out = f.await;
        (out, BODY.with(|b| b.borrow_mut().take()))
    })
    .await
}

/// Called by the body reader: keeps what it read when a request is being recorded.
pub(crate) fn record_body(body: impl FnOnce() -> Value) {
    let _ = BODY.try_with(|b| {
        let mut v = body();
        redact::scrub_json(&mut v);
        *b.borrow_mut() = Some(v);
    });
}

/// Request headers as the log keeps them: names lower-cased, credentials redacted.
pub(crate) fn headers(h: &axum::http::HeaderMap) -> Vec<(String, String)> {
    h.iter()
        .map(|(k, v)| {
            let name = k.as_str().to_ascii_lowercase();
            let value = String::from_utf8_lossy(v.as_bytes());
            let value = redact::scrub_header(&name, &value).into_owned();
            (name, value)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn req(method: &str, path: &str, body: Option<Value>) -> ReceivedRequest {
        ReceivedRequest {
            method: method.into(),
            path: path.into(),
            headers: Vec::new(),
            body,
            status: Some(200),
        }
    }

    #[test]
    fn counts_and_bodies_decide() {
        let log = RequestLog::new(10);
        log.push(req(
            "PATCH",
            "/Groups/g1",
            Some(json!({"Operations": [{"op": "add"}]})),
        ));
        log.push(req("GET", "/Users?filter=x", None));
        log.expect(Expect::request("PATCH", "/Groups/*").times(1));
        log.expect(Expect::request("DELETE", "*").never());
        log.expect(
            Expect::request("patch", "/Groups/*")
                .with_body(json!({"Operations": [{"op": "add"}]}))
                .at_least(1),
        );
        assert_eq!(log.verify(), Ok(()));
        log.expect(Expect::request("GET", "/Users*").at_least(2));
        log.expect(Expect::request("*", "/Groups/*").with_body(json!({"x": 1})));
        let unmet = log.verify().unwrap_err();
        assert_eq!(
            unmet.failures,
            [
                "expected at least 2 × GET /Users*: received 1",
                "expected at least 1 × * /Groups/* with a body containing {\"x\":1}: received 0"
            ]
        );
        assert_eq!(
            unmet.received,
            ["PATCH /Groups/g1 → 200", "GET /Users?filter=x → 200"]
        );
    }

    #[test]
    fn the_log_is_bounded_and_says_what_it_forgot() {
        let log = RequestLog::new(2);
        for i in 0..5 {
            log.push(req("GET", &format!("/Users/{i}"), None));
        }
        let kept: Vec<String> = log.snapshot().iter().map(ReceivedRequest::line).collect();
        assert_eq!(kept, ["GET /Users/3", "GET /Users/4"]);
        assert_eq!(log.forgotten(), 3);
    }
}
