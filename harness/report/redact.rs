//! Secret scrubbing on the way out: the last line of defence behind the transcript's own
//! redaction.
//!
//! Every renderer passes the report through [`scrubbed`] first, so whatever reaches a
//! terminal, a JSON or JUnit file or a snapshot has:
//! - secret-bearing headers (`Authorization`, `Cookie`, `X-Api-Key`, any header whose name
//!   mentions a token, secret, password or key) reduced to their scheme plus [`REDACTED`];
//! - JSON members whose key mentions a password, secret, token or API key, and the `value` of
//!   a PATCH operation whose `path` is one of those, replaced by [`REDACTED`];
//! - in free text (text bodies, error messages, paths, Okta messages), `Bearer …`, `Basic …`,
//!   `SSWS …` credentials and `password=…` / `"token": "…"` style pairs redacted;
//! - every known secret the caller registered ([`redact_known`]) replaced wherever it occurs.

use std::borrow::Cow;

use serde_json::Value;

pub(crate) use crate::okta::transcript::REDACTED;
use crate::okta::transcript::redact_secret;

use super::{Body, Exchange, RunReport};

/// A copy of `report` with every secret the patterns recognise redacted.
pub(crate) fn scrubbed(report: &RunReport) -> RunReport {
    let mut r = report.clone();
    scrub_report(&mut r, &[]);
    r
}

/// Replaces every occurrence of each of `secrets` anywhere in `report` (and applies the
/// pattern scrubbing too). Empty secrets are ignored.
pub(crate) fn redact_known(report: &mut RunReport, secrets: &[&str]) {
    scrub_report(report, secrets);
}

fn scrub_report(r: &mut RunReport, known: &[&str]) {
    let known: Vec<&str> = known.iter().copied().filter(|s| !s.is_empty()).collect();
    let text = |s: &mut String| clean_text(s, &known);
    text(&mut r.target);
    text(&mut r.profile);
    text(&mut r.app);
    for s in &mut r.scenarios {
        text(&mut s.file);
        text(&mut s.case);
        text(&mut s.title);
        s.rules.iter_mut().for_each(text);
        s.profiles.iter_mut().for_each(text);
        s.app.iter_mut().for_each(text);
        s.skip_reason.iter_mut().for_each(text);
        s.error.iter_mut().for_each(text);
        for st in &mut s.steps {
            text(&mut st.label);
            st.skip_reason.iter_mut().for_each(text);
            st.okta_message.iter_mut().for_each(text);
            for f in &mut st.findings {
                text(&mut f.what);
                f.rule.iter_mut().for_each(text);
                f.hint.iter_mut().for_each(text);
                scrub_json_with(&mut f.expected, &known);
                scrub_json_with(&mut f.actual, &known);
            }
            for e in &mut st.exchanges {
                scrub_exchange_with(e, &known);
            }
        }
    }
}

fn scrub_exchange_with(e: &mut Exchange, known: &[&str]) {
    clean_text(&mut e.method, known);
    clean_text(&mut e.path, known);
    scrub_headers(&mut e.request_headers, known);
    if let Some(b) = &mut e.request_body {
        scrub_body(b, known);
    }
    if let Some(resp) = &mut e.response {
        scrub_headers(&mut resp.headers, known);
        scrub_body(&mut resp.body, known);
    }
    if let Some(err) = &mut e.error {
        clean_text(err, known);
    }
}

fn scrub_headers(headers: &mut [(String, String)], known: &[&str]) {
    for (name, value) in headers.iter_mut() {
        clean_text(name, known);
        *value = scrub_header(name, value).into_owned();
        clean_text(value, known);
    }
}

fn scrub_body(b: &mut Body, known: &[&str]) {
    match b {
        Body::Empty => {}
        Body::Json(v) => scrub_json_with(v, known),
        Body::Text(t) => clean_text(t, known),
    }
}

/// A header value as it may be shown: secret-bearing headers keep only their auth scheme
/// (`Bearer <redacted>`), so a report still says how the client authenticated.
pub(crate) fn scrub_header<'a>(name: &str, value: &'a str) -> Cow<'a, str> {
    let lname = name.to_ascii_lowercase();
    if lname == "authorization" || lname == "proxy-authorization" {
        let v = value.trim();
        return match v.split_once(char::is_whitespace) {
            Some((scheme, _)) => Cow::Owned(format!("{scheme} {REDACTED}")),
            // A bare credential without scheme: nothing to keep.
            None => Cow::Borrowed(REDACTED),
        };
    }
    if is_secret_name(&lname) || lname == "cookie" || lname == "set-cookie" {
        return Cow::Borrowed(REDACTED);
    }
    scrub_text(value)
}

/// Whether a header name or JSON key names a secret: it mentions a password, a secret, a
/// token or an API key (`password`, `client_secret`, `access_token`, `x-api-key`, `apiKey`).
pub(crate) fn is_secret_name(name: &str) -> bool {
    let n: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    [
        "password",
        "passwd",
        "secret",
        "token",
        "apikey",
        "authorization",
    ]
    .iter()
    .any(|k| n.contains(k))
}

/// Scrubs a JSON value in place: secret-named members, the value of a PATCH operation on a
/// secret path, and secrets in every string.
pub(crate) fn scrub_json(v: &mut Value) {
    scrub_json_with(v, &[]);
}

fn scrub_json_with(v: &mut Value, known: &[&str]) {
    match v {
        Value::String(s) => clean_text(s, known),
        Value::Array(items) => items.iter_mut().for_each(|i| scrub_json_with(i, known)),
        Value::Object(map) => {
            // {"op": "replace", "path": "password", "value": "…"}: the secret is in `value`.
            let secret_path = map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("path"))
                .and_then(|(_, p)| p.as_str())
                .is_some_and(is_secret_name);
            for (k, child) in map.iter_mut() {
                let secret = is_secret_name(k) || (secret_path && k.eq_ignore_ascii_case("value"));
                if secret {
                    redact_leaves(child);
                } else {
                    scrub_json_with(child, known);
                }
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Replaces every string and number under `v` with [`REDACTED`]; keeps shape, nulls and
/// booleans (a `"token_set": true` flag is not a secret).
fn redact_leaves(v: &mut Value) {
    match v {
        Value::String(_) | Value::Number(_) => *v = Value::String(REDACTED.to_string()),
        Value::Array(items) => items.iter_mut().for_each(redact_leaves),
        Value::Object(map) => map.values_mut().for_each(redact_leaves),
        Value::Null | Value::Bool(_) => {}
    }
}

fn clean_text(s: &mut String, known: &[&str]) {
    for k in known {
        if let Some(redacted) = redact_secret(s, k) {
            *s = redacted;
        }
    }
    if let Cow::Owned(t) = scrub_text(s) {
        *s = t;
    }
}

/// Redacts credentials in free text: `Bearer x`, `Basic x`, `SSWS x`, and `key=value` /
/// `"key": "value"` pairs whose key names a secret. Text without any is borrowed back.
pub(crate) fn scrub_text(s: &str) -> Cow<'_, str> {
    // ASCII lowering keeps byte offsets, so spans found in `lower` apply to `s`.
    let lower = s.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut spans: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let boundary = i == 0 || !b[i - 1].is_ascii_alphanumeric();
        if !boundary {
            i += 1;
            continue;
        }
        if let Some(span) = scheme_credential(s, &lower, i).or_else(|| secret_pair(&lower, i)) {
            spans.push(span);
            i = span.1.max(i + 1);
        } else {
            i += 1;
        }
    }
    if spans.is_empty() {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut last = 0;
    for (start, end) in spans {
        out.push_str(&s[last..start]);
        out.push_str(REDACTED);
        last = end;
    }
    out.push_str(&s[last..]);
    Cow::Owned(out)
}

fn is_value_byte(c: u8) -> bool {
    !(c.is_ascii_whitespace()
        || matches!(
            c,
            b'"' | b'\'' | b'\\' | b',' | b';' | b'&' | b'<' | b'>' | b')' | b']' | b'}'
        ))
}

/// `bearer <cred>`, `basic <cred>`, `ssws <cred>` at `i`: the span of the credential.
fn scheme_credential(orig: &str, lower: &str, i: usize) -> Option<(usize, usize)> {
    let rest = &lower.as_bytes()[i..];
    let scheme = ["bearer", "basic", "ssws"]
        .into_iter()
        .find(|k| rest.starts_with(k.as_bytes()))?;
    let b = lower.as_bytes();
    let mut j = i + scheme.len();
    let ws_start = j;
    while j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
        j += 1;
    }
    if j == ws_start {
        return None;
    }
    let start = j;
    while j < b.len() && is_value_byte(b[j]) {
        j += 1;
    }
    let cred = &orig.as_bytes()[start..j];
    if cred.is_empty() {
        return None;
    }
    // `Bearer realm="zinc"` (WWW-Authenticate): an auth-param, not a credential.
    let auth_param = cred.len() > 1
        && cred.ends_with(b"=")
        && cred[..cred.len() - 1]
            .iter()
            .all(|c| c.is_ascii_alphabetic() || *c == b'_')
        && lower.as_bytes().get(j) == Some(&b'"');
    if auth_param {
        return None;
    }
    // Prose ("missing bearer token", "OAuth Bearer Token Standard", "basic idea") is not a
    // credential: a word, lower-case or capitalised, is left alone unless it is very long;
    // anything else of some length (digits, symbols, mixed case) is taken for one.
    let word =
        cred.iter().all(u8::is_ascii_alphabetic) && cred[1..].iter().all(u8::is_ascii_lowercase);
    let looks_secret = cred.len() >= 24 || (!word && cred.len() >= 6);
    looks_secret.then_some((start, j))
}

/// `password=x`, `"client_secret": "x"`, `token: x` at `i`: the span of the value.
fn secret_pair(lower: &str, i: usize) -> Option<(usize, usize)> {
    let b = lower.as_bytes();
    let rest = &lower.as_bytes()[i..];
    let key = [
        "password", "passwd", "secret", "token", "api_key", "apikey", "api-key",
    ]
    .into_iter()
    .find(|k| rest.starts_with(k.as_bytes()))?;
    let mut j = i + key.len();
    // `password_hash`, `tokenValue`: still a secret key.
    while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
        j += 1;
    }
    // Closing quote of a quoted key (possibly JSON-escaped inside a string).
    while j < b.len() && matches!(b[j], b'"' | b'\'' | b'\\') {
        j += 1;
    }
    while j < b.len() && b[j] == b' ' {
        j += 1;
    }
    if j >= b.len() || !matches!(b[j], b'=' | b':') {
        return None;
    }
    j += 1;
    while j < b.len() && b[j] == b' ' {
        j += 1;
    }
    // Opening quote of the value.
    let mut quote = None;
    while j < b.len() && matches!(b[j], b'"' | b'\'' | b'\\') {
        if b[j] != b'\\' {
            quote = Some(b[j]);
        }
        j += 1;
    }
    let start = j;
    match quote {
        Some(q) => {
            while j < b.len() && b[j] != q && b[j] != b'\\' {
                j += 1;
            }
        }
        None => {
            while j < b.len() && is_value_byte(b[j]) {
                j += 1;
            }
        }
    }
    let value = &lower[start..j];
    if value.is_empty() || value == REDACTED || value == "null" {
        return None;
    }
    Some((start, j))
}

/// Why a token given on the command line (`run --token`, `serve --token`) is refused, if it
/// is. Empty is never usable. Shorter than 8 characters (a Basic password counts alone) is
/// refused unless `allow_short` (`--allow-short-token`): such a secret is redacted as a whole
/// value, a whole JSON string, a whole word and after an auth scheme, but not inside other
/// text, so a report could still show it there.
pub(crate) fn token_problem(
    flag: &str,
    token: &str,
    basic: bool,
    allow_short: bool,
) -> Option<String> {
    let secret = if basic {
        token.split_once(':').map_or(token, |(_, pw)| pw)
    } else {
        token
    };
    if secret.trim().is_empty() {
        return Some(format!(
            "{flag} is empty: give the token{}",
            if basic { " as user:password" } else { "" }
        ));
    }
    let len = secret.chars().count();
    if len < crate::okta::transcript::ANYWHERE_SECRET_LEN && !allow_short {
        return Some(format!(
            "{flag}: a secret of {len} characters is refused: shorter than {} it cannot be redacted everywhere it may appear in a report; use a longer one, or pass --allow-short-token if you mean it",
            crate::okta::transcript::ANYWHERE_SECRET_LEN
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_and_pairs_are_redacted_prose_is_not() {
        assert_eq!(
            scrub_text("Authorization: Bearer abc123XYZ"),
            "Authorization: Bearer <redacted>"
        );
        assert_eq!(scrub_text("Basic dXNlcjpwYXNz"), "Basic <redacted>");
        assert_eq!(
            scrub_text("a=1&password=hunter2&b=2"),
            "a=1&password=<redacted>&b=2"
        );
        assert_eq!(
            scrub_text(r#"{"password": "hunter 2"}"#),
            r#"{"password": "<redacted>"}"#
        );
        assert_eq!(
            scrub_text(r#"{\"access_token\":\"s3cr3t\"}"#),
            r#"{\"access_token\":\"<redacted>\"}"#
        );
        assert_eq!(scrub_text("missing bearer token"), "missing bearer token");
        assert_eq!(scrub_text("the basic idea"), "the basic idea");
        let spc = "Authentication scheme using the OAuth Bearer Token Standard";
        assert_eq!(scrub_text(spc), spc);
        assert_eq!(scrub_text("Bearer Authentication"), "Bearer Authentication");
        assert_eq!(scrub_text("Bearer 0123456789abcdef"), "Bearer <redacted>");
        assert_eq!(scrub_text("SSWS 00abcDEF"), "SSWS <redacted>");
        assert_eq!(scrub_text("Bearer <redacted>"), "Bearer <redacted>");
        assert_eq!(
            scrub_text(r#"Bearer realm="zinc", error="invalid_token""#),
            r#"Bearer realm="zinc", error="invalid_token""#
        );
        assert!(matches!(scrub_text("GET /Users/42"), Cow::Borrowed(_)));
        // Multi-byte text around a credential.
        assert_eq!(scrub_text("✓ é Bearer ✓x1é"), "✓ é Bearer <redacted>");
    }

    #[test]
    fn json_secret_members_and_patch_values() {
        let mut v = serde_json::json!({
            "userName": "a@example.com",
            "password": "hunter2",
            "Operations": [
                {"op": "replace", "path": "password", "value": "hunter3"},
                {"op": "replace", "value": {"password": "hunter4", "active": true}},
            ],
            "token_set": true,
        });
        scrub_json(&mut v);
        let s = v.to_string();
        assert!(!s.contains("hunter"), "{s}");
        assert_eq!(v["token_set"], true);
        assert_eq!(v["userName"], "a@example.com");
    }

    #[test]
    fn authorization_keeps_its_scheme() {
        assert_eq!(
            scrub_header("Authorization", "Bearer abc"),
            "Bearer <redacted>"
        );
        assert_eq!(scrub_header("authorization", "abc"), REDACTED);
        assert_eq!(scrub_header("X-Api-Key", "abc"), REDACTED);
        assert_eq!(
            scrub_header("Content-Type", "application/json"),
            "application/json"
        );
    }
}
