//! The fault layer: makes chosen SCIM requests fail on purpose. A rule matches by method and
//! path pattern (relative to the SCIM base, `*` matches any run of characters, e.g.
//! `/Users*`), applies the next N times or always, may wait first, and then answers a given
//! response, drops the connection, or lets the request through.
//!
//! Only SCIM requests (`/scim/v2/…`) go through it, so the admin API always answers.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use parking_lot::Mutex;
use serde::{Deserialize, Serialize};

/// What a matching request gets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer this instead of the real response.
    Respond(FaultResponse),
    /// Close the connection without answering.
    Drop,
    /// Serve the request normally (after the delay).
    Pass,
}

/// A canned response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultResponse {
    pub status: u16,
    /// Extra headers, e.g. `("Retry-After", "2")`. In JSON: `{"Retry-After": "2"}` or
    /// `[["Retry-After", "2"]]`.
    #[serde(
        default,
        deserialize_with = "header_list",
        serialize_with = "header_map"
    )]
    pub headers: Vec<(String, String)>,
    /// The body: a JSON value is sent as `application/scim+json`, a string as `text/plain`.
    #[serde(default)]
    pub body: Option<serde_json::Value>,
}

/// One fault rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    /// `GET`, `POST`…; `None` matches every method.
    #[serde(default)]
    pub method: Option<String>,
    /// Path pattern relative to the SCIM base (`/Users`, `/Groups/*`, `*`).
    #[serde(default = "any_path")]
    pub path: String,
    /// `Some(n)`: the next n matching requests; `None`: every one.
    #[serde(default)]
    pub times: Option<u32>,
    /// Wait this long before acting.
    #[serde(default, with = "millis", rename = "delay_ms")]
    pub delay: Option<Duration>,
    pub action: FaultAction,
}

/// Shown as the object form (`{"Retry-After": "2"}`), the one the README documents.
fn header_map<S: serde::Serializer>(headers: &[(String, String)], s: S) -> Result<S::Ok, S::Error> {
    s.collect_map(headers.iter().map(|(k, v)| (k, v)))
}

fn header_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Repr {
        Map(std::collections::BTreeMap<String, String>),
        List(Vec<(String, String)>),
    }
    Ok(match Repr::deserialize(d)? {
        Repr::Map(m) => m.into_iter().collect(),
        Repr::List(l) => l,
    })
}

fn any_path() -> String {
    "*".to_owned()
}

mod millis {
    use std::time::Duration;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&(d.as_millis() as u64)),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Duration>, D::Error> {
        Ok(Option::<u64>::deserialize(d)?.map(Duration::from_millis))
    }
}

impl FaultRule {
    /// Matching requests get `status` (empty body until [`FaultRule::body`]).
    pub fn respond(status: u16) -> Self {
        Self {
            method: None,
            path: any_path(),
            times: None,
            delay: None,
            action: FaultAction::Respond(FaultResponse {
                status,
                headers: Vec::new(),
                body: None,
            }),
        }
    }
    /// Matching requests have their connection dropped.
    pub fn drop_connection() -> Self {
        Self {
            action: FaultAction::Drop,
            ..Self::respond(0)
        }
    }
    /// Matching requests are served after `delay`.
    pub fn delay_only(delay: Duration) -> Self {
        Self {
            action: FaultAction::Pass,
            delay: Some(delay),
            ..Self::respond(0)
        }
    }
    pub fn method(mut self, method: &str) -> Self {
        self.method = Some(method.to_ascii_uppercase());
        self
    }
    pub fn path(mut self, pattern: &str) -> Self {
        self.path = pattern.to_owned();
        self
    }
    /// Applies to the next `n` matching requests only.
    pub fn times(mut self, n: u32) -> Self {
        self.times = Some(n);
        self
    }
    pub fn always(mut self) -> Self {
        self.times = None;
        self
    }
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
    /// Adds a response header (only for [`FaultRule::respond`]).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let FaultAction::Respond(r) = &mut self.action {
            r.headers.push((name.to_owned(), value.to_owned()));
        }
        self
    }
    /// Sets the response body (only for [`FaultRule::respond`]).
    pub fn body(mut self, body: serde_json::Value) -> Self {
        if let FaultAction::Respond(r) = &mut self.action {
            r.body = Some(body);
        }
        self
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && glob(&self.path, path)
    }
}

/// `*` matches any run of characters; everything else literally.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            pi += 1;
            mark = ti;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// The id of an installed rule.
pub type FaultId = u64;

/// An installed rule with its remaining count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstalledFault {
    pub id: FaultId,
    pub rule: FaultRule,
    /// Requests it still applies to (`None` = always).
    pub remaining: Option<u32>,
}

/// The fault layer of one mock Zinc. Cheap to clone; all clones share the rules.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<FaultsInner>,
}

#[derive(Debug, Default)]
struct FaultsInner {
    next: AtomicU64,
    rules: Mutex<Vec<InstalledFault>>,
    /// Fast path: no lock while no rule is installed.
    count: AtomicU64,
}

impl Faults {
    /// Installs a rule; earlier rules are tried first.
    pub fn add(&self, rule: FaultRule) -> FaultId {
        let id = self.inner.next.fetch_add(1, Ordering::Relaxed) + 1;
        let mut rules = self.inner.rules.lock();
        rules.push(InstalledFault {
            id,
            remaining: rule.times,
            rule,
        });
        self.inner
            .count
            .store(rules.len() as u64, Ordering::Release);
        id
    }
    /// Removes one rule; false when it was not installed (or is used up).
    pub fn remove(&self, id: FaultId) -> bool {
        let mut rules = self.inner.rules.lock();
        let before = rules.len();
        rules.retain(|r| r.id != id);
        self.inner
            .count
            .store(rules.len() as u64, Ordering::Release);
        rules.len() != before
    }
    /// Removes every rule.
    pub fn clear(&self) {
        let mut rules = self.inner.rules.lock();
        rules.clear();
        self.inner.count.store(0, Ordering::Release);
    }
    /// The rules in force.
    pub fn list(&self) -> Vec<InstalledFault> {
        self.inner.rules.lock().clone()
    }

    /// The rule that takes this request, if any (used up rules are removed).
    pub(crate) fn take(&self, method: &str, path: &str) -> Option<FaultRule> {
        if self.inner.count.load(Ordering::Acquire) == 0 {
            return None;
        }
        let mut rules = self.inner.rules.lock();
        let idx = rules.iter().position(|r| r.rule.matches(method, path))?;
        let rule = rules[idx].rule.clone();
        if let Some(n) = &mut rules[idx].remaining {
            *n = n.saturating_sub(1);
            if *n == 0 {
                rules.remove(idx);
            }
        }
        self.inner
            .count
            .store(rules.len() as u64, Ordering::Release);
        Some(rule)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_paths() {
        assert!(glob("*", "/Users/1"));
        assert!(glob("/Users*", "/Users"));
        assert!(glob("/Users*", "/Users/abc"));
        assert!(glob("/Users/*", "/Users/abc"));
        assert!(!glob("/Users/*", "/Groups/abc"));
        assert!(!glob("/Users", "/Users/abc"));
        assert!(glob("/*/abc", "/Groups/abc"));
    }

    #[test]
    fn counted_rules_run_out() {
        let faults = Faults::default();
        faults.add(
            FaultRule::respond(500)
                .method("POST")
                .path("/Users")
                .times(2),
        );
        assert!(faults.take("GET", "/Users").is_none());
        assert!(faults.take("POST", "/Users").is_some());
        assert!(faults.take("POST", "/Users").is_some());
        assert!(faults.take("POST", "/Users").is_none());
        assert!(faults.list().is_empty());
    }
}
