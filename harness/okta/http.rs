//! Sends one SCIM request the way Okta does (its headers, its timeout, its 429 handling) and
//! records every exchange, secrets redacted before the record is kept.

use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::RwLock;
use reqwest::Method;
use serde_json::Value;
use tokio::sync::Semaphore;

use super::OktaError;
use super::config::{Auth, OktaConfig, Recording, RetryPolicy};
use crate::contract::redact::{SecretSet, redact_recorded_json, scrub_str};
use crate::contract::{Body, Exchange, Response};

/// Okta's fixed headers (okta-client-reference.md §2), in the order the transcript shows them.
pub const USER_AGENT: &str = "Okta SCIM Client 1.0.0";
pub const ACCEPT: &str = "application/scim+json";
pub const ACCEPT_CHARSET: &str = "utf-8";
pub const ACCEPT_ENCODING: &str = "gzip,deflate";
pub const CONTENT_TYPE: &str = "application/scim+json; charset=utf-8";
/// Okta's fixed headers in order (`Content-Type` and `Authorization` follow them).
pub(crate) const OKTA_HEADERS: &[(&str, &str)] = &[
    ("User-Agent", USER_AGENT),
    ("Accept", ACCEPT),
    ("Accept-Charset", ACCEPT_CHARSET),
    ("Accept-Encoding", ACCEPT_ENCODING),
];

/// Longest text body kept in a transcript.
const MAX_TEXT: usize = 4096;

/// A request body as sent.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Payload<'a> {
    Json(&'a Value),
    /// Sent as is (a raw step's body that is not JSON).
    Text(&'a str),
}

/// What a raw `scim:` step changes in Okta's request.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Custom<'a> {
    /// Added, or replacing Okta's header of the same name (any letter case).
    pub headers: &'a [(String, String)],
    /// Instead of the client's auth (`auth: none` / `auth: wrong`).
    pub auth: Option<&'a Auth>,
}

/// What came back for one request after retries.
#[derive(Debug, Clone)]
pub(crate) enum Reply {
    Answer {
        status: u16,
        body: Parsed,
    },
    /// No usable response: Okta's wording of why (timeout, refused, reset, unreadable body).
    Failed(String),
}

/// A response body as Okta's JSON parser sees it.
#[derive(Debug, Clone)]
pub(crate) enum Parsed {
    Empty,
    Json(Value),
    /// Checked to be JSON but not built: a `Recording::Lean` success whose action does not
    /// read the body (building trees only to drop them was most of the bench client's CPU
    /// on reads).
    Checked,
    /// Not JSON: the Jackson-style parse error Okta would report.
    NotJson(String),
}

pub(crate) struct Sender {
    http: reqwest::Client,
    base: String,
    auth: RwLock<Auth>,
    /// Secrets that are not in the auth: the placeholder passwords Okta sent (one per
    /// created user, so a set matched by window: scrubbing costs O(text), not O(users)).
    extra_secrets: RwLock<SecretSet>,
    timeout: Duration,
    retry: RetryPolicy,
    limit: Option<Arc<Semaphore>>,
    recording: Recording,
    /// The client's fixed headers (its personality's), and a body's `Content-Type`.
    headers: &'static [(&'static str, &'static str)],
    content_type: &'static str,
    /// Whether a 429 is retried on Okta's schedule; `false`: the 429 stands (Entra retries
    /// the object on a later cycle, which its failure note says).
    retries_429: bool,
}

impl Sender {
    /// A sender for `config` with the personality's `headers` (and `content_type` for a
    /// request with a body); `retries_429`: whether a 429 is retried on Okta's schedule.
    pub(crate) fn new(
        config: &OktaConfig,
        (headers, content_type): (&'static [(&'static str, &'static str)], &'static str),
        retries_429: bool,
    ) -> Result<Sender, OktaError> {
        let base = config.base_url.trim_end_matches('/').to_owned();
        let parsed = url::Url::parse(&base).map_err(|e| OktaError::BaseUrl {
            url: base.clone(),
            reason: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(OktaError::BaseUrl {
                url: base,
                reason: "the scheme must be http or https".into(),
            });
        }
        // gzip/deflate stay on so compressed answers are decoded even though we set
        // Accept-Encoding ourselves (reqwest decodes by the response's Content-Encoding).
        let mut builder = reqwest::Client::builder()
            .gzip(true)
            .deflate(true)
            .connect_timeout(config.timeout)
            .redirect(reqwest::redirect::Policy::none())
            // Okta's Java client writes `User-Agent`, not `user-agent`; a server that (wrongly)
            // matches header case sees what Okta sends.
            .http1_title_case_headers()
            .danger_accept_invalid_certs(config.accept_invalid_certs);
        if parsed.scheme() == "http" {
            // Plain HTTP never uses TLS (redirects are not followed): skip loading the
            // system's root certificates, a few milliseconds per client - most of the cost
            // of a scenario against the embedded mock, which makes one client each.
            builder = builder.tls_certs_only(std::iter::empty());
        }
        let http = builder
            .build()
            .map_err(|e| OktaError::Http(e.to_string()))?;
        Ok(Sender {
            http,
            base,
            auth: RwLock::new(config.auth.clone()),
            extra_secrets: RwLock::new(SecretSet::default()),
            timeout: config.timeout,
            retry: config.retry,
            limit: config
                .concurrency
                .map(|n| Arc::new(Semaphore::new(n.max(1)))),
            recording: config.recording,
            headers,
            content_type,
            retries_429,
        })
    }

    pub(crate) fn set_auth(&self, auth: Auth) {
        *self.auth.write() = auth;
    }

    pub(crate) fn auth(&self) -> Auth {
        self.auth.read().clone()
    }

    pub(crate) fn add_secret(&self, secret: String) {
        self.extra_secrets.write().insert(secret);
    }

    /// Removes every secret from `text` (messages built from server answers, for example).
    pub(crate) fn scrub(&self, text: &str) -> String {
        let auth = self.auth.read().secrets();
        let extra = self.extra_secrets.read();
        extra.scrub(&scrub_str(text, &auth)).into_owned()
    }

    /// [`Sender::scrub`], also removing the secrets of a raw step's own auth.
    fn scrub_custom(&self, text: &str, custom: &Custom<'_>) -> String {
        let text = self.scrub(text);
        match custom.auth {
            Some(auth) => scrub_str(&text, &auth.secrets()),
            None => text,
        }
    }

    /// Redacts `password` values and every secret inside the strings of `v`.
    fn scrub_value(&self, v: &Value) -> Value {
        let auth = self.auth.read().secrets();
        let extra = self.extra_secrets.read();
        redact_recorded_json(v, &|s| extra.scrub(&scrub_str(s, &auth)).into_owned())
    }

    /// Sends `method path` (path relative to the base URL, query already encoded), retrying
    /// on 429 as Okta does, and appends every try to `log`.
    /// `wanted`: whether the action reads the answer's body (see [`Parsed::Checked`]).
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        wanted: bool,
        log: &mut Vec<Exchange>,
    ) -> Reply {
        let body = body.map(Payload::Json);
        self.send_custom(method, path, body, &Custom::default(), wanted, log)
            .await
    }

    /// [`Sender::send`] with a scenario's own headers, auth or text body (a raw `scim:`
    /// step): the same timeout, body cap, redaction, transcript and 429 handling.
    pub(crate) async fn send_custom(
        &self,
        method: Method,
        path: &str,
        body: Option<Payload<'_>>,
        custom: &Custom<'_>,
        wanted: bool,
        log: &mut Vec<Exchange>,
    ) -> Reply {
        let tries = self.retry.max_tries.max(1);
        let mut attempt = 1;
        loop {
            let (mut exchange, reply, retry_after) =
                self.send_once(&method, path, body, custom, wanted).await;
            if !self.retries_429 || !matches!(reply, Reply::Answer { status: 429, .. }) {
                log.push(exchange);
                return reply;
            }
            // Okta's schedule is the model, recorded on the exchange; the real wait is
            // bounded so a throttling server cannot park the run.
            let okta = okta_retry(retry_after.as_deref(), attempt);
            let last = attempt >= tries;
            exchange.okta_retry = Some(if last && attempt < OKTA_MAX_TRIES {
                format!("{}; the harness stopped after {tries} tries", okta.note)
            } else {
                okta.note
            });
            log.push(exchange);
            if last {
                return reply;
            }
            let wait = okta.wait.min(self.retry.max_wait);
            tracing::debug!(%method, path, ?wait, attempt, "429: waiting before retry");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    async fn send_once(
        &self,
        method: &Method,
        path: &str,
        body: Option<Payload<'_>>,
        custom: &Custom<'_>,
        wanted: bool,
    ) -> (Exchange, Reply, Option<String>) {
        let _permit = match &self.limit {
            Some(sem) => Some(sem.clone().acquire_owned().await.expect("never closed")),
            None => None,
        };
        let (auth_value, auth_recorded) = match custom.auth {
            Some(auth) => (auth.header_value(), auth.redacted_header()),
            None => {
                let auth = self.auth.read();
                (auth.header_value(), auth.redacted_header())
            }
        };
        // Sent and recorded side by side: (name, real value, value as recorded).
        let mut headers: Vec<(String, String, String)> = self
            .headers
            .iter()
            .copied()
            .chain(
                body.is_some()
                    .then_some(("Content-Type", self.content_type)),
            )
            .map(|(k, v)| (k.to_owned(), v.to_owned(), v.to_owned()))
            .collect();
        if let (Some(real), Some(shown)) = (auth_value, auth_recorded) {
            headers.push(("Authorization".into(), real, shown));
        }
        // A raw step's own headers replace the client's of the same name, in their position.
        for (k, v) in custom.headers {
            let shown = self.scrub_custom(&crate::contract::redact::scrub_header(k, v), custom);
            match headers
                .iter_mut()
                .find(|(h, _, _)| h.eq_ignore_ascii_case(k))
            {
                Some(slot) => *slot = (k.clone(), v.clone(), shown),
                None => headers.push((k.clone(), v.clone(), shown)),
            }
        }
        let mut builder = self
            .http
            .request(method.clone(), format!("{}{}", self.base, path))
            .timeout(self.timeout);
        for (k, v, _) in &headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let (bytes, recorded_body) = match body {
            None => (None, None),
            Some(Payload::Json(v)) => (
                Some(serde_json::to_vec(v).expect("a Value always serializes")),
                Some(Body::Json(self.scrub_value(v))),
            ),
            Some(Payload::Text(t)) => (
                Some(t.as_bytes().to_vec()),
                Some(Body::Text(self.scrub_custom(t, custom))),
            ),
        };
        if let Some(b) = bytes {
            builder = builder.body(b);
        }
        let mut exchange = Exchange {
            method: method.as_str().to_owned(),
            path: path.to_owned(),
            request_headers: headers
                .into_iter()
                .map(|(k, _, shown)| (k, shown))
                .collect(),
            request_body: recorded_body,
            response: None,
            error: None,
            duration: Duration::ZERO,
            okta_retry: None,
        };

        let started = Instant::now();
        let result = builder.send().await;
        let response = match result {
            Ok(r) => r,
            Err(e) => {
                exchange.duration = started.elapsed();
                let why = self.scrub_custom(&describe(&e), custom);
                exchange.error = Some(why.clone());
                return (exchange, Reply::Failed(why), None);
            }
        };
        let status = response.status().as_u16();
        // Lean: a success keeps its status and timing only (see `Recording::Lean`).
        let lean = self.recording == Recording::Lean && (200..300).contains(&status);
        let resp_headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter(|_| !lean)
            .map(|(k, v)| {
                let v = String::from_utf8_lossy(v.as_bytes());
                (k.as_str().to_owned(), self.scrub_custom(&v, custom))
            })
            .collect();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_owned());
        // A redirect is not followed (neither does a SCIM client of Okta's kind): it fails
        // the request with where it pointed, so a loop or a wrong base URL is plain to see.
        if (300..400).contains(&status) {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
            exchange.duration = started.elapsed();
            let why = self.scrub_custom(&redirect_reason(status, location.as_deref()), custom);
            return unread(exchange, status, resp_headers, why, retry_after);
        }
        let bytes = read_capped(response).await;
        exchange.duration = started.elapsed();
        let bytes = match bytes {
            Ok(b) => b,
            Err(why) => {
                let why = self.scrub_custom(&why, custom);
                return unread(exchange, status, resp_headers, why, retry_after);
            }
        };
        tracing::debug!(
            method = %method,
            path,
            status,
            ms = exchange.duration.as_millis() as u64,
            "Okta SCIM request"
        );
        // Built unless Lean and the action never reads it (see `Parsed::Checked`).
        let parsed = parse_body(&bytes, wanted || !lean);
        let recorded = match &parsed {
            Parsed::Empty | Parsed::Checked => Body::Empty,
            Parsed::Json(_) if lean => Body::Empty,
            Parsed::Json(v) => Body::Json(match custom.auth {
                None => self.scrub_value(v),
                Some(_) => redact_recorded_json(v, &|t| self.scrub_custom(t, custom)),
            }),
            Parsed::NotJson(_) => {
                let text = String::from_utf8_lossy(&bytes);
                let cut: String = text.chars().take(MAX_TEXT).collect();
                Body::Text(self.scrub_custom(&cut, custom))
            }
        };
        exchange.response = Some(Response {
            status,
            headers: resp_headers,
            body: recorded,
        });
        (
            exchange,
            Reply::Answer {
                status,
                body: parsed,
            },
            retry_after,
        )
    }
}

/// The most of a response body read (after decompression). A SCIM answer is a few KiB; a
/// page of 100 users well under 1 MiB. A bigger body is a misbehaving target: reading stops
/// there instead of buffering it all.
pub(super) const MAX_BODY: usize = 4 * 1024 * 1024;

/// Reads the whole body, at most [`MAX_BODY`] bytes; the request's timeout still bounds it,
/// so a server that drips bytes forever fails with `Read timed out`.
async fn read_capped(mut response: reqwest::Response) -> Result<Vec<u8>, String> {
    let too_big = |n: String| {
        format!(
            "Error reading the response: the body is larger than {} MiB ({n}); stopped reading",
            MAX_BODY / (1024 * 1024)
        )
    };
    if let Some(len) = response.content_length()
        && len > MAX_BODY as u64
    {
        return Err(too_big(format!("Content-Length: {len}")));
    }
    let mut out = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if out.len() + chunk.len() > MAX_BODY {
                    return Err(too_big(format!("more than {MAX_BODY} bytes arrived")));
                }
                out.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(out),
            Err(e) => return Err(describe(&e)),
        }
    }
}

/// Why a 3xx answer failed the request: its reason phrase and where it pointed.
fn redirect_reason(status: u16, location: Option<&str>) -> String {
    let phrase = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Redirect");
    match location {
        Some(to) => format!(
            "{phrase} ({status}): the server redirects to {to}; redirects are not followed (use the final URL as the SCIM base URL)"
        ),
        None => format!("{phrase} ({status}) without a Location; redirects are not followed"),
    }
}

/// Okta's wait after a 429 without a usable `Retry-After` (reference §10.8, S19).
pub const OKTA_DEFAULT_RETRY: Duration = Duration::from_secs(300);
/// Okta sends a throttled request this many times in all before it gives up (§10.8, S19).
pub const OKTA_MAX_TRIES: u32 = 10;

/// What Okta does after a 429: how long it waits and the sentence a report shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OktaRetry {
    pub wait: Duration,
    pub note: String,
}

/// `Retry-After` as Okta reads it: integer seconds (RFC 9110 §10.2.3 `delay-seconds`, digits
/// only) or nothing. An HTTP date, the other form RFC 9110 allows, is not read.
pub(crate) fn delay_seconds(v: &str) -> Option<u64> {
    let v = v.trim();
    if v.is_empty() || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(v.parse().unwrap_or(u64::MAX))
}

/// What Okta would do after its `attempt`-th try (1-based) was answered 429 with
/// `retry_after`. It honours `Retry-After` in integer seconds only; without one (or with an
/// HTTP date, or anything else) it waits 5 minutes, doubling on each further 429; it gives up
/// after 10 tries (§10.8, S19). UNCERTAIN: whether a usable `Retry-After` is doubled too —
/// it is taken as sent, since the server says when to come back.
pub(crate) fn okta_retry(retry_after: Option<&str>, attempt: u32) -> OktaRetry {
    let usable = retry_after.and_then(delay_seconds);
    let wait = match usable {
        Some(secs) => Duration::from_secs(secs),
        None => OKTA_DEFAULT_RETRY * (1u32 << attempt.saturating_sub(1).min(20)),
    };
    let next = if attempt >= OKTA_MAX_TRIES {
        format!("Okta gives up after {OKTA_MAX_TRIES} tries")
    } else {
        format!("Okta would retry in {} s", wait.as_secs())
    };
    let note = match (usable, retry_after) {
        (Some(_), Some(v)) => format!("{next} (Retry-After: {v})"),
        (_, None) => format!("{next}; this server sent no Retry-After"),
        (_, Some(v)) => format!(
            "{next}; this server sent Retry-After: {v:?}, and Okta reads only integer seconds"
        ),
    };
    OktaRetry { wait, note }
}

/// Okta's wording for a request that got no answer (it runs on Java: "Read timed out",
/// "Connection refused").
fn describe(e: &reqwest::Error) -> String {
    let mut root = String::new();
    let mut src: Option<&dyn std::error::Error> = Some(e);
    while let Some(s) = src {
        root = s.to_string();
        src = s.source();
    }
    if e.is_timeout() {
        "Read timed out".to_owned()
    } else if e.is_connect() {
        format!("Connect to the SCIM server failed: {root}")
    } else if e.is_body() || e.is_decode() {
        format!("Error reading the response: {root}")
    } else {
        format!("I/O error: {root}")
    }
}

/// The answer's body: `Empty`, `NotJson` with Okta's parse error, or JSON, built into a
/// value or, with `build: false`, only checked ([`Parsed::Checked`]).
pub(crate) fn parse_body(bytes: &[u8], build: bool) -> Parsed {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Parsed::Empty;
    }
    let parsed = if build {
        serde_json::from_slice::<Value>(bytes).map(Parsed::Json)
    } else {
        serde_json::from_slice::<serde::de::IgnoredAny>(bytes).map(|_| Parsed::Checked)
    };
    parsed.unwrap_or_else(|_| Parsed::NotJson(jackson_error(&String::from_utf8_lossy(bytes))))
}

/// The message Okta's Jackson parser gives for a body that is not JSON, e.g.
/// `Invalid JSON: Unrecognized token 'error': was expecting (...) at [line: 1, column: 6]`
/// for Cloudflare's `error code: 502` (okta-client-reference.md §5).
pub(crate) fn jackson_error(text: &str) -> String {
    const EXPECTING: &str =
        "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
    let start = text.len() - text.trim_start().len();
    let (line, col_base) = position(&text[..start]);
    let rest = &text[start..];
    let first = rest.chars().next().unwrap_or(' ');
    if first.is_alphanumeric() || first == '_' {
        let token: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-' || *c == '.')
            .take(256)
            .collect();
        // Jackson reports the 1-based column just past the token.
        let column = col_base + token.chars().count() + 1;
        format!(
            "Invalid JSON: Unrecognized token '{token}': was expecting {EXPECTING} at [line: {line}, column: {column}]"
        )
    } else {
        // Valid JSON up to a point (truncated, trailing garbage) or a markup character.
        match serde_json::from_str::<Value>(text) {
            Err(e) if !first.is_ascii_punctuation() || matches!(first, '{' | '[' | '"') => {
                format!(
                    "Invalid JSON: {} at [line: {}, column: {}]",
                    e.to_string().split(" at line").next().unwrap_or_default(),
                    e.line(),
                    e.column()
                )
            }
            _ => format!(
                "Invalid JSON: Unexpected character ('{first}' (code {})): expected a valid value {EXPECTING} at [line: {line}, column: {}]",
                first as u32,
                // Like Jackson: the 1-based column just past the offending character.
                col_base + 2
            ),
        }
    }
}

/// A response whose body was not read (a redirect, or a body over the cap or too slow): the
/// exchange records the status and headers, and `why` fails the request.
fn unread(
    mut exchange: Exchange,
    status: u16,
    headers: Vec<(String, String)>,
    why: String,
    retry_after: Option<String>,
) -> (Exchange, Reply, Option<String>) {
    exchange.response = Some(Response {
        status,
        headers,
        body: Body::Empty,
    });
    exchange.error = Some(why.clone());
    (exchange, Reply::Failed(why), retry_after)
}

/// Line and 0-based column at the end of `prefix`, both as Jackson counts (line 1-based).
fn position(prefix: &str) -> (usize, usize) {
    let line = 1 + prefix.matches('\n').count();
    let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count());
    (line, col)
}

/// Percent-encodes a query value the way Okta does: everything but RFC 3986 unreserved
/// characters, so a space is `%20`, `"` is `%22` and `@` is `%40`.
pub(crate) fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Encodes one path segment (a server id) so an odd id cannot escape its segment.
pub(crate) fn segment(id: &str) -> String {
    encode(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn okta_reads_retry_after_as_integer_seconds_only() {
        assert_eq!(delay_seconds("120"), Some(120));
        assert_eq!(delay_seconds(" 0 "), Some(0));
        assert_eq!(delay_seconds("99999999999999999999999"), Some(u64::MAX));
        for not in [
            "",
            "+5",
            "-1",
            "1.5",
            "1e3",
            "Wed, 21 Oct 2015 07:28:00 GMT",
            "٣",
        ] {
            assert_eq!(delay_seconds(not), None, "{not:?}");
        }
        // A usable Retry-After is taken as sent, whatever the try.
        assert_eq!(okta_retry(Some("7"), 4).wait, Duration::from_secs(7));
        // Without one: 5 minutes, doubling; the 10th try is the last.
        assert_eq!(okta_retry(None, 1).wait, Duration::from_secs(300));
        assert_eq!(okta_retry(Some("soon"), 3).wait, Duration::from_secs(1200));
        assert_eq!(
            okta_retry(None, 10).note,
            "Okta gives up after 10 tries; this server sent no Retry-After"
        );
        // A hostile server cannot make the schedule overflow.
        assert!(okta_retry(None, u32::MAX).wait >= Duration::from_secs(300));
    }
}
