//! Snapshot normalization: a scenario's transcript and final state in a form that is the same
//! on every run, for `insta::assert_yaml_snapshot!`.
//!
//! What changes from run to run is replaced by stable placeholders:
//! - server ids → `<user:alice>`, `<group:eng>` (a second id for the same person, after a
//!   re-create, → `<user:alice#2>`); Okta ids (`00u…`, `00g…`) → `<okta:alice>`,
//!   `<okta-group:eng>` — from the [`NameMap`]; any other UUID → `<id:1>`, `<id:2>`… in
//!   order of first appearance;
//! - the SCIM base URL → `<base>`, any other loopback origin (`http://127.0.0.1:PORT`) →
//!   `<origin>`;
//! - `meta.created`, `meta.lastModified` and any RFC 3339 or HTTP date → `<timestamp>`;
//! - tokens and passwords → `<redacted>` (see `super::redact`), and known secrets
//!   registered with [`NameMap::secret`] wherever they occur;
//! - durations are dropped, headers are kept only when meaningful (request: `content-type`,
//!   `authorization` with its scheme kept and the credential redacted; response:
//!   `content-type`, `location`, `www-authenticate`, `retry-after`), names lower-cased.
//!
//! Bulk steps and long arrays are summarized so a snapshot shows its point (`super::bulk`).
//!
//! Ids of 8 characters or more are replaced wherever they occur (paths, bodies, `Location`,
//! filters, error details); shorter ones (a third-party server's `42`) only as a whole value
//! or a whole path segment, so `startIndex=1` is never mistaken for user `1`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use super::{Body, Exchange, ScenarioReport, bulk};
use crate::contract::redact;

/// What the ids of a run stand for, and what else to hide.
#[derive(Debug, Clone, Default)]
pub struct NameMap {
    /// (id, placeholder), in registration order.
    ids: Vec<(String, String)>,
    base_urls: Vec<String>,
    secrets: Vec<String>,
}

impl NameMap {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    fn add(&mut self, id: &str, kind: &str, key: &str) -> &mut Self {
        if id.is_empty() || self.ids.iter().any(|(i, _)| i == id) {
            return self;
        }
        let base = format!("<{kind}:{key}");
        let n = self
            .ids
            .iter()
            .filter(|(_, p)| p == &format!("{base}>") || p.starts_with(&format!("{base}#")))
            .count();
        let placeholder = if n == 0 {
            format!("{base}>")
        } else {
            format!("{base}#{}>", n + 1)
        };
        self.ids.push((id.to_string(), placeholder));
        self
    }

    /// A server's user id belongs to person `key` (`<user:alice>`). Registering a second id
    /// for the same person (the user was re-created) gives `<user:alice#2>`, and so on.
    pub fn user(&mut self, server_id: &str, key: &str) -> &mut Self {
        self.add(server_id, "user", key)
    }

    /// A server's group id belongs to group `key` (`<group:eng>`, then `<group:eng#2>`).
    pub fn group(&mut self, server_id: &str, key: &str) -> &mut Self {
        self.add(server_id, "group", key)
    }

    /// An Okta user id (`00u…`, sent as `externalId`) belongs to person `key`
    /// (`<okta:alice>`).
    pub fn okta_user(&mut self, okta_id: &str, key: &str) -> &mut Self {
        self.add(okta_id, "okta", key)
    }

    /// An Entra object id (a GUID, sent as `externalId`) belongs to person `key`
    /// (`<entra:alice>`).
    pub fn entra_user(&mut self, object_id: &str, key: &str) -> &mut Self {
        self.add(object_id, "entra", key)
    }

    /// The random GUID of the `n`th Test Connection probe (`<entra-probe:1>`).
    pub fn entra_probe(&mut self, guid: &str, n: u32) -> &mut Self {
        self.add(guid, "entra-probe", &n.to_string())
    }

    /// An Entra group object id belongs to group `key` (`<entra-group:eng>`).
    pub fn entra_group(&mut self, object_id: &str, key: &str) -> &mut Self {
        self.add(object_id, "entra-group", key)
    }

    /// An Okta group id (`00g…`) belongs to group `key` (`<okta-group:eng>`).
    pub fn okta_group(&mut self, okta_id: &str, key: &str) -> &mut Self {
        self.add(okta_id, "okta-group", key)
    }

    /// The SCIM base URL of the target (`http://127.0.0.1:PORT/scim/v2`) → `<base>`; also the
    /// admin URL if wanted. A trailing `/` is ignored.
    pub fn base_url(&mut self, url: &str) -> &mut Self {
        let u = url.trim_end_matches('/');
        if !u.is_empty() && !self.base_urls.iter().any(|b| b == u) {
            self.base_urls.push(u.to_string());
        }
        self
    }

    /// A secret (token, password) to replace with `<redacted>` wherever it occurs.
    pub fn secret(&mut self, secret: &str) -> &mut Self {
        if !secret.is_empty() {
            self.secrets.push(secret.to_string());
        }
        self
    }

    /// The placeholder registered for `id`, if any.
    pub fn placeholder(&self, id: &str) -> Option<&str> {
        self.ids
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, p)| p.as_str())
    }
}

/// The exchanges of one step, with the step's label.
#[derive(Debug, Clone, PartialEq)]
pub struct StepTranscript {
    /// e.g. `assign_user alice`.
    pub label: String,
    pub exchanges: Vec<Exchange>,
}

/// The state at the end of a scenario.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FinalState {
    /// What `GET /Users` lists (the `Resources` array, or the whole ListResponse).
    pub scim_users: Value,
    /// What `GET /Groups` lists.
    pub scim_groups: Value,
    /// The Admin Console's view (users, groups of every origin, settings), when the target
    /// has one (the embedded mock); `None` for a third-party server.
    pub console: Option<Value>,
}

/// The normalized document insta keeps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    pub steps: Vec<SnapshotStep>,
    pub state: SnapshotState,
}

/// One step and its exchanges.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotStep {
    pub step: String,
    /// For a step of many exchanges: what the omitted ones were (see `super::bulk`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<Value>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exchanges: Vec<SnapshotExchange>,
}

/// One request and its response (or why none came).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotExchange {
    pub request: SnapshotRequest,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<SnapshotResponse>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// On a 429: Okta's retry schedule (`Exchange::okta_retry`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub okta_retry: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotRequest {
    pub method: String,
    pub path: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// JSON as JSON, text as a string; absent when there was no body.
    #[serde(skip_serializing_if = "Value::is_null")]
    pub body: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotResponse {
    pub status: u16,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(skip_serializing_if = "Value::is_null")]
    pub body: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SnapshotState {
    pub scim: ScimState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub console: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScimState {
    pub users: Value,
    pub groups: Value,
}

const REQUEST_HEADERS: &[&str] = &["authorization", "content-type"];
const RESPONSE_HEADERS: &[&str] = &[
    "content-type",
    "location",
    "www-authenticate",
    "retry-after",
];
const TIMESTAMP: &str = "<timestamp>";

/// Normalizes a transcript and final state. Deterministic: the same input always gives the
/// same output, and runs that differ only in ids, ports, times and secrets give the same
/// output.
pub fn normalize(steps: &[StepTranscript], names: &NameMap, state: &FinalState) -> Snapshot {
    let mut n = Normalizer::new(names);
    let steps = steps
        .iter()
        .map(|s| {
            let mut step = SnapshotStep {
                step: n.text(&s.label),
                summary: None,
                exchanges: s.exchanges.iter().map(|e| n.exchange(e)).collect(),
            };
            bulk::shorten_step(&mut step);
            step
        })
        .collect();
    let state = SnapshotState {
        scim: ScimState {
            users: n.json(&state.scim_users),
            groups: n.json(&state.scim_groups),
        },
        console: state.console.as_ref().map(|c| n.json(c)),
    };
    Snapshot { steps, state }
}

/// [`normalize`] for a scenario's report: its steps' labels and exchanges.
pub fn normalize_scenario(
    scenario: &ScenarioReport,
    names: &NameMap,
    state: &FinalState,
) -> Snapshot {
    let steps: Vec<StepTranscript> = scenario
        .steps
        .iter()
        .map(|s| StepTranscript {
            label: s.label.clone(),
            exchanges: s.exchanges.clone(),
        })
        .collect();
    normalize(&steps, names, state)
}

struct Normalizer<'a> {
    names: &'a NameMap,
    /// Ids of 8+ characters, longest first, so a longer id is replaced before any id it
    /// contains.
    long: Vec<(&'a str, &'a str)>,
    /// UUIDs not in the map, in order of first appearance (`<id:N>` is index + 1).
    unknown: Vec<String>,
}

impl<'a> Normalizer<'a> {
    fn new(names: &'a NameMap) -> Self {
        let mut long: Vec<(&str, &str)> = names
            .ids
            .iter()
            .filter(|(i, _)| i.len() >= 8)
            .map(|(i, p)| (i.as_str(), p.as_str()))
            .collect();
        long.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(b.0)));
        Normalizer {
            names,
            long,
            unknown: Vec::new(),
        }
    }

    fn exchange(&mut self, e: &Exchange) -> SnapshotExchange {
        SnapshotExchange {
            request: SnapshotRequest {
                method: e.method.clone(),
                path: self.text(&e.path),
                headers: self.headers(&e.request_headers, REQUEST_HEADERS),
                body: e
                    .request_body
                    .as_ref()
                    .map_or(Value::Null, |b| self.body(b)),
            },
            response: e.response.as_ref().map(|r| SnapshotResponse {
                status: r.status,
                headers: self.headers(&r.headers, RESPONSE_HEADERS),
                body: self.body(&r.body),
            }),
            error: e.error.as_deref().map(|s| self.text(s)),
            okta_retry: e.okta_retry.clone(),
        }
    }

    fn headers(&mut self, h: &[(String, String)], keep: &[&str]) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (k, v) in h {
            let k = k.to_ascii_lowercase();
            if !keep.contains(&k.as_str()) {
                continue;
            }
            let v = redact::scrub_header(&k, v).into_owned();
            let v = self.text(&v);
            out.insert(k, v);
        }
        out
    }

    fn body(&mut self, b: &Body) -> Value {
        match b {
            Body::Empty => Value::Null,
            Body::Json(v) => self.json(v),
            Body::Text(t) => Value::String(self.text(t)),
        }
    }

    fn json(&mut self, v: &Value) -> Value {
        let mut v = v.clone();
        redact::scrub_json(&mut v);
        self.json_in_place(&mut v);
        bulk::shorten_arrays(&mut v);
        v
    }

    fn json_in_place(&mut self, v: &mut Value) {
        match v {
            Value::String(s) => *s = self.text(s),
            Value::Array(items) => items.iter_mut().for_each(|i| self.json_in_place(i)),
            Value::Object(map) => {
                // Keys may be ids too (a console state keyed by group id).
                if map.keys().any(|k| self.text(k) != *k) {
                    let old = std::mem::take(map);
                    for (k, child) in old {
                        map.insert(self.text(&k), child);
                    }
                }
                for (k, child) in map.iter_mut() {
                    let time_key = [
                        "created",
                        "lastmodified",
                        "last_modified",
                        "updated_at",
                        "created_at",
                    ]
                    .contains(&k.to_ascii_lowercase().as_str());
                    if time_key && child.is_string() {
                        *child = Value::String(TIMESTAMP.to_string());
                    } else {
                        self.json_in_place(child);
                    }
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    fn text(&mut self, s: &str) -> String {
        if is_timestamp(s) {
            return TIMESTAMP.to_string();
        }
        if let Some(p) = self.names.placeholder(s) {
            return p.to_string();
        }
        let mut t = s.to_string();
        for secret in &self.names.secrets {
            if t.contains(secret.as_str()) {
                t = t.replace(secret.as_str(), redact::REDACTED);
            }
        }
        let mut bases: Vec<&String> = self.names.base_urls.iter().collect();
        bases.sort_by_key(|b| std::cmp::Reverse(b.len()));
        for b in bases {
            if t.contains(b.as_str()) {
                t = t.replace(b.as_str(), "<base>");
            }
        }
        t = replace_loopback_origins(&t);
        for (id, p) in &self.long {
            if t.contains(id) {
                t = t.replace(id, p);
            }
        }
        t = self.short_path_segments(&t);
        t = self.unknown_uuids(&t);
        t = replace_embedded_timestamps(&t);
        redact::scrub_text(&t).into_owned()
    }

    /// Short ids as whole path segments: `/Users/42` → `/Users/<user:alice>`.
    fn short_path_segments(&self, s: &str) -> String {
        if !s.contains('/') {
            return s.to_string();
        }
        let (path, query) = match s.find('?') {
            Some(i) => (&s[..i], &s[i..]),
            None => (s, ""),
        };
        let segs: Vec<String> = path
            .split('/')
            .map(|seg| match self.names.placeholder(seg) {
                Some(p) if seg.len() < 8 => p.to_string(),
                _ => seg.to_string(),
            })
            .collect();
        format!("{}{query}", segs.join("/"))
    }

    fn unknown_uuids(&mut self, s: &str) -> String {
        let b = s.as_bytes();
        if b.len() < 36 {
            return s.to_string();
        }
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        let mut last = 0;
        while i + 36 <= b.len() {
            if is_uuid(&b[i..i + 36])
                && (i == 0 || !b[i - 1].is_ascii_hexdigit())
                && (i + 36 == b.len() || !b[i + 36].is_ascii_hexdigit())
            {
                let id = s[i..i + 36].to_ascii_lowercase();
                let n = match self.unknown.iter().position(|u| *u == id) {
                    Some(k) => k + 1,
                    None => {
                        self.unknown.push(id);
                        self.unknown.len()
                    }
                };
                out.push_str(&s[last..i]);
                out.push_str(&format!("<id:{n}>"));
                i += 36;
                last = i;
            } else {
                i += 1;
            }
        }
        out.push_str(&s[last..]);
        out
    }
}

fn is_uuid(b: &[u8]) -> bool {
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Loopback origins → `<origin>`: `http://127.0.0.1:PORT`, `https://localhost`,
/// `[::1]:PORT` and a bare `127.0.0.1:PORT` (as in `connection reset by 127.0.0.1:PORT`).
/// A loopback host with neither scheme nor port is left alone; other hosts are never touched.
fn replace_loopback_origins(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut i, mut last) = (0, 0);
    while i < b.len() {
        let boundary = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'.');
        match boundary.then(|| loopback_origin_at(b, i)).flatten() {
            Some(end) => {
                out.push_str(&s[last..i]);
                out.push_str("<origin>");
                i = end;
                last = end;
            }
            None => i += 1,
        }
    }
    out.push_str(&s[last..]);
    out
}

/// The end of a loopback origin starting at `i`, if one does.
fn loopback_origin_at(b: &[u8], i: usize) -> Option<usize> {
    let rest = &b[i..];
    let scheme = [&b"http://"[..], &b"https://"[..]]
        .into_iter()
        .find(|p| rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p))
        .map_or(0, <[u8]>::len);
    let mut j = i + scheme;
    let host_end = if b[j..].starts_with(b"localhost") {
        j + "localhost".len()
    } else if b[j..].starts_with(b"[::1]") {
        j + "[::1]".len()
    } else if b[j..].starts_with(b"127.") {
        // 127.d.d.d
        let mut k = j;
        for part in 0..4 {
            let start = k;
            while k < b.len() && b[k].is_ascii_digit() && k - start < 3 {
                k += 1;
            }
            if k == start {
                return None;
            }
            if part < 3 {
                if b.get(k) != Some(&b'.') {
                    return None;
                }
                k += 1;
            }
        }
        k
    } else {
        return None;
    };
    if b.get(host_end)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'.' || *c == b'-')
    {
        return None; // localhost.example.com, 127.0.0.10x…
    }
    j = host_end;
    let mut port = false;
    if b.get(j) == Some(&b':') && b.get(j + 1).is_some_and(u8::is_ascii_digit) {
        j += 1;
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        port = true;
    }
    (scheme > 0 || port).then_some(j)
}

/// RFC 3339 times inside longer text (`failed at 2026-11-28T12:00:00Z: …`) → `<timestamp>`.
fn replace_embedded_timestamps(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let (mut i, mut last) = (0, 0);
    while i + 19 <= b.len() {
        let starts = (i == 0 || !b[i - 1].is_ascii_alphanumeric()) && s.is_char_boundary(i);
        if starts && s.is_char_boundary(i + 19) && is_timestamp(&s[i..i + 19]) {
            let mut j = i + 19;
            while j < b.len()
                && (b[j].is_ascii_digit()
                    || matches!(b[j], b'.' | b'Z' | b'z' | b'+' | b'-' | b':'))
            {
                j += 1;
            }
            out.push_str(&s[last..i]);
            out.push_str(TIMESTAMP);
            i = j;
            last = j;
        } else {
            i += 1;
        }
    }
    out.push_str(&s[last..]);
    out
}

/// RFC 3339 (`2026-11-28T12:00:00Z`, `…T12:00:00.123+01:00`) or an HTTP date.
fn is_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        r.into_iter()
            .all(|i| b.get(i).is_some_and(u8::is_ascii_digit))
    };
    let rfc3339 = b.len() >= 19
        && b.len() <= 40
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && matches!(b[10], b'T' | b't' | b' ')
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && s[19..]
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'Z' | 'z' | '+' | '-' | ':'));
    rfc3339 || (s.len() >= 24 && s.len() <= 40 && httpdate::parse_http_date(s).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert!(is_timestamp("2026-11-28T12:00:00Z"));
        assert!(is_timestamp("2026-11-28T12:00:00.123456+01:00"));
        assert!(is_timestamp("Sat, 28 Nov 2026 12:00:00 GMT"));
        assert!(!is_timestamp("2026-11-28"));
        assert!(!is_timestamp("alice@example.com"));
    }

    #[test]
    fn loopback_origins_only() {
        assert_eq!(
            replace_loopback_origins("http://127.0.0.1:4321/scim/v2/Users/x"),
            "<origin>/scim/v2/Users/x"
        );
        assert_eq!(
            replace_loopback_origins("see https://example.com/help and http://localhost:80"),
            "see https://example.com/help and <origin>"
        );
        assert_eq!(
            replace_loopback_origins("reset by 127.0.0.1:40123; [::1]:9 localhost.example.com:1"),
            "reset by <origin>; <origin> localhost.example.com:1"
        );
        assert_eq!(
            replace_loopback_origins("host 127.0.0.1 v1.127.0.0.1:5"),
            "host 127.0.0.1 v1.127.0.0.1:5"
        );
    }

    #[test]
    fn a_recreated_user_gets_a_numbered_placeholder() {
        let mut m = NameMap::new();
        m.user("id-one-aaaa", "alice")
            .user("id-two-bbbb", "alice")
            .group("g1", "eng");
        assert_eq!(m.placeholder("id-one-aaaa"), Some("<user:alice>"));
        assert_eq!(m.placeholder("id-two-bbbb"), Some("<user:alice#2>"));
        assert_eq!(m.placeholder("g1"), Some("<group:eng>"));
    }
}
