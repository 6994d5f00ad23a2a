//! The redaction rules, written once: what counts as a secret and what it becomes.
//!
//! Two moments use them:
//! - **record time** (the simulated client, [`redact_secret`], [`SecretSet`],
//!   [`redact_recorded_json`]): the token in `Authorization`, every secret the client knows
//!   (tokens, placeholder passwords) and any `password` value never reach a transcript, so no
//!   report, log or snapshot built from one can leak them;
//! - **show time** (every renderer, the mock's request log: [`scrub_text`], [`scrub_header`],
//!   [`scrub_json`]), the last line of defence, by pattern: secret-bearing headers keep only
//!   their auth scheme, JSON members whose key names a secret and the `value` of a PATCH on a
//!   secret path are redacted, and `Bearer …`, `Basic …`, `SSWS …` credentials and
//!   `password=…` style pairs in free text.
//!
//! And the policy for secrets given on the command line ([`token_problem`]).

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde_json::Value;

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

/// Record time: a copy of `v` with `password` values redacted at any depth and `scrub`
/// applied to every string (the client's known secrets). Narrower than [`scrub_json`] on
/// purpose: a transcript keeps every other member as sent, so checks can compare what was
/// sent with what came back.
pub(crate) fn redact_recorded_json(v: &Value, scrub: &dyn Fn(&str) -> String) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = if k.eq_ignore_ascii_case("password") && !v.is_null() {
                        Value::String(REDACTED.to_owned())
                    } else {
                        redact_recorded_json(v, scrub)
                    };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| redact_recorded_json(v, scrub)).collect()),
        Value::String(s) => Value::String(scrub(s)),
        other => other.clone(),
    }
}

/// `s` with each of `secrets` redacted ([`redact_secret`]).
pub(crate) fn scrub_str(s: &str, secrets: &[String]) -> String {
    let mut out = s.to_owned();
    for secret in secrets {
        if let Some(redacted) = redact_secret(&out, secret) {
            out = redacted;
        }
    }
    out
}

/// Many secrets (one placeholder password per created user), found in one pass over the
/// text: secrets of 8 bytes or more are keyed by their first 8 bytes, so each position of the
/// text costs one cheap hash lookup, O(text) whatever the number of secrets. Shorter ones are
/// few (Okta's placeholder passwords are 8 characters) and searched for one by one.
#[derive(Debug, Default)]
pub(crate) struct SecretSet {
    by_prefix: HashMap<u64, Vec<Box<str>>, BuildHasherDefault<WordHasher>>,
    short: Vec<Box<str>>,
}

/// The first 8 bytes of `s`, as one word.
fn word(s: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&s[..8]);
    u64::from_le_bytes(w)
}

/// A multiplicative hash for `u64` keys (SipHash costs more than the rest of the scan).
#[derive(Debug, Default)]
pub(crate) struct WordHasher(u64);

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 ^= self.0 >> 32;
    }
}

impl SecretSet {
    pub(crate) fn insert(&mut self, secret: String) {
        if secret.len() < MIN_SECRET_LEN {
            return;
        }
        let secret = secret.into_boxed_str();
        // Long secrets are keyed by their first 8 bytes (`word`) and, as everywhere, redacted
        // anywhere; short ones as whole words (`redact_secret`).
        if secret.len() >= ANYWHERE_SECRET_LEN {
            let list = self.by_prefix.entry(word(secret.as_bytes())).or_default();
            if !list.contains(&secret) {
                list.push(secret);
            }
        } else if !self.short.contains(&secret) {
            self.short.push(secret);
        }
    }

    /// `s` with every occurrence of a secret replaced by [`REDACTED`] (leftmost first).
    pub(crate) fn scrub<'a>(&self, s: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(s);
        if !self.by_prefix.is_empty()
            && let Some(replaced) = self.replace_long(&out)
        {
            out = Cow::Owned(replaced);
        }
        for secret in &self.short {
            if let Some(redacted) = redact_secret(&out, secret) {
                out = Cow::Owned(redacted);
            }
        }
        out
    }

    /// Replaces the secrets of 8 bytes or more; `None` when there is none.
    fn replace_long(&self, s: &str) -> Option<String> {
        let bytes = s.as_bytes();
        let mut out: Option<String> = None;
        let mut copied = 0; // bytes of `s` already in `out`
        let mut i = 0;
        while i + 8 <= bytes.len() {
            let hit = self.by_prefix.get(&word(&bytes[i..])).and_then(|list| {
                list.iter().find(|sec| {
                    bytes[i..].starts_with(sec.as_bytes())
                        && s.is_char_boundary(i)
                        && s.is_char_boundary(i + sec.len())
                })
            });
            match hit {
                Some(sec) => {
                    let o = out.get_or_insert_with(|| String::with_capacity(s.len()));
                    o.push_str(&s[copied..i]);
                    o.push_str(REDACTED);
                    i += sec.len();
                    copied = i;
                }
                None => i += 1,
            }
        }
        out.map(|mut o| {
            o.push_str(&s[copied..]);
            o
        })
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

pub(crate) fn scrub_json_with(v: &mut Value, known: &[&str]) {
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

pub(crate) fn clean_text(s: &mut String, known: &[&str]) {
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
    if len < ANYWHERE_SECRET_LEN && !allow_short {
        return Some(format!(
            "{flag}: a secret of {len} characters is refused: shorter than {} it cannot be redacted everywhere it may appear in a report; use a longer one, or pass --allow-short-token if you mean it",
            ANYWHERE_SECRET_LEN
        ));
    }
    None
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

    #[test]
    fn secret_set_redacts_every_occurrence_whatever_its_size() {
        let mut set = SecretSet::default();
        for i in 0..10_000 {
            set.insert(format!("pw{i:06}"));
        }
        set.insert("longer-secret".into());
        set.insert("longer-s3cret".into()); // same first 8 bytes
        set.insert("ab".into()); // too short to search for in text
        set.insert("tiny5".into()); // shorter than a word: searched for as is
        assert_eq!(
            set.scrub("x pw000042 y pw009999pw000001 é longer-secret longer-s3cret ab tiny5"),
            "x <redacted> y <redacted><redacted> é <redacted> <redacted> ab <redacted>"
        );
        assert!(matches!(set.scrub("nothing here"), Cow::Borrowed(_)));
        assert_eq!(set.scrub("pw00004"), "pw00004");
        assert_eq!(set.scrub("éépw000001é"), "éé<redacted>é");
    }

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
