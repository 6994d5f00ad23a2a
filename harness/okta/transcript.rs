//! The transcript: every HTTP exchange the simulated Okta client made, as recorded.
//!
//! Secrets are redacted when an exchange is recorded, not when it is printed: the token in
//! `Authorization` and any `password` in a body never reach a transcript, so no report, log or
//! snapshot built from one can leak them.

use std::time::Duration;

use serde::Serialize;

/// What a redacted secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Secrets shorter than this are searched for in free text only right after an auth scheme
/// (a 1-character token would blank every matching letter); whole values, headers and
/// `password` values are redacted anyway. `run` and `serve` refuse tokens under
/// [`ANYWHERE_SECRET_LEN`] unless told `--allow-short-token`.
pub(crate) const MIN_SECRET_LEN: usize = 4;
/// Secrets at least this long are redacted wherever they appear; shorter ones only as a whole
/// word, so a 4-letter token does not cut other words apart ("token" is no "`<redacted>`en").
pub(crate) const ANYWHERE_SECRET_LEN: usize = 8;

/// `text` with every occurrence of `secret` replaced by [`REDACTED`] (by the length rules
/// above), or `None` when there is none. Whatever its length, a secret is redacted when it is
/// the whole text (a header value, a JSON string) and when it follows an auth scheme
/// (`Bearer a9Z`, as an echo of the `Authorization` header shows it).
pub(crate) fn redact_secret(text: &str, secret: &str) -> Option<String> {
    if secret.is_empty() {
        return None;
    }
    if text == secret {
        return Some(REDACTED.to_owned());
    }
    if !text.contains(secret) {
        return None;
    }
    if secret.len() >= ANYWHERE_SECRET_LEN {
        return Some(text.replace(secret, REDACTED));
    }
    let tiny = secret.len() < MIN_SECRET_LEN;
    // A whole word: no letter or digit glued to an edge of the secret that is one itself.
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let (first, last) = (secret.chars().next(), secret.chars().next_back());
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    let mut changed = false;
    for (at, _) in text.match_indices(secret) {
        if at < done {
            continue; // overlaps the previous match
        }
        let end = at + secret.len();
        let glued = (alnum(first) && alnum(text[..at].chars().next_back()))
            || (alnum(last) && alnum(text[end..].chars().next()));
        let keep = glued || (tiny && !after_scheme(&text[..at]));
        out.push_str(&text[done..at]);
        out.push_str(if keep { secret } else { REDACTED });
        changed |= !keep;
        done = end;
    }
    out.push_str(&text[done..]);
    changed.then_some(out)
}

/// Whether `before` ends with an auth scheme and a space (`… Bearer `).
fn after_scheme(before: &str) -> bool {
    let trimmed = before.trim_end_matches([' ', '\t']);
    if trimmed.len() == before.len() {
        return false;
    }
    let word_start = trimmed
        .rfind(|c: char| !c.is_ascii_alphabetic())
        .map_or(0, |i| i + 1);
    let word = &trimmed[word_start..];
    ["bearer", "basic", "ssws", "token"]
        .iter()
        .any(|s| word.eq_ignore_ascii_case(s))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_secrets_are_redacted_as_whole_words_long_ones_anywhere() {
        // 4-7 bytes: whole words only.
        assert_eq!(
            redact_secret("token tok3n", "tok3n").as_deref(),
            Some("token <redacted>")
        );
        assert_eq!(redact_secret("retok3ns", "tok3n"), None);
        assert_eq!(
            redact_secret("Bearer tok3n, again tok3n.", "tok3n").as_deref(),
            Some("Bearer <redacted>, again <redacted>.")
        );
        assert_eq!(
            redact_secret("?t=tok3n&x", "tok3n").as_deref(),
            Some("?t=<redacted>&x")
        );
        // 8 bytes or more: anywhere, even inside a word.
        assert_eq!(
            redact_secret("xs3cr3t-t0kx", "s3cr3t-t0k").as_deref(),
            Some("x<redacted>x")
        );
        // Shorter than 4: never searched for in text, but a whole value is still redacted.
        assert_eq!(redact_secret("a tok", "tok"), None);
        assert_eq!(redact_secret("tok", "tok").as_deref(), Some("<redacted>"));
        assert_eq!(
            redact_secret("you sent Authorization: Bearer a9Z, ok", "a9Z").as_deref(),
            Some("you sent Authorization: Bearer <redacted>, ok")
        );
        assert_eq!(redact_secret("xa9Z a9Z", "a9Z"), None);
    }
}
