//! The fault layer: makes chosen SCIM requests fail on purpose. A rule matches by method and
//! path pattern (relative to the SCIM base, `*` matches any run of characters, e.g.
//! `/Users*`), applies the next N times or always, may wait first, and then answers a given
//! response, drops the connection, or lets the request through.
//!
//! Only SCIM requests (`/scim/v2/…`) go through it, so the admin API always answers.

use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Duration;

use parking_lot::RwLock;
use serde::{Deserialize, Serialize};

/// The longest `delay_ms` a rule may have: 10 minutes. Longer is a typo (or `u64::MAX`), and a
/// request held that long outlives every client timeout anyway.
pub const MAX_DELAY: Duration = Duration::from_secs(600);

/// Why a fault rule is refused where it enters (library, admin API, scenario `fault:` step).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultError {
    #[error(
        "status {0} cannot be answered: a fault's status is a final HTTP status, 200 to 599 (1xx are interim, not answers)"
    )]
    Status(u16),
    #[error(
        "`times: 0` makes a fault that never fires: give 1 or more, or no `times` for every request"
    )]
    Times,
    #[error("a delay of {0} ms is longer than the limit of {max} ms (10 minutes)", max = MAX_DELAY.as_millis())]
    Delay(u128),
    #[error("{0:?} is not an HTTP header name (letters, digits and !#$%&'*+-.^_`|~ only)")]
    HeaderName(String),
    #[error(
        "the value of header {0:?} is not one HTTP allows (no CR, LF or other control characters)"
    )]
    HeaderValue(String),
}

/// A fault's answer status: 200–599.
pub(crate) fn check_status(status: u16) -> Result<(), FaultError> {
    if (200..=599).contains(&status) {
        Ok(())
    } else {
        Err(FaultError::Status(status))
    }
}

/// A fault's delay: at most [`MAX_DELAY`].
pub(crate) fn check_delay(delay: Duration) -> Result<(), FaultError> {
    if delay <= MAX_DELAY {
        Ok(())
    } else {
        Err(FaultError::Delay(delay.as_millis()))
    }
}

/// A header a fault answers with: a name and a value HTTP allows (RFC 9110 §5.1, §5.5).
pub(crate) fn check_header(name: &str, value: &str) -> Result<(), FaultError> {
    if axum::http::HeaderName::from_bytes(name.as_bytes()).is_err() {
        return Err(FaultError::HeaderName(name.to_owned()));
    }
    if axum::http::HeaderValue::from_str(value).is_err() {
        return Err(FaultError::HeaderValue(name.to_owned()));
    }
    Ok(())
}

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

/// One fault rule: which requests it matches, how many times, and what the mock does instead
/// of answering (a status with headers and body, a dropped connection, a delay).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use zinc_harness::zinc::{FaultRule, MockZinc};
///
/// let zinc = MockZinc::start().await;
/// zinc.faults()
///     .add(FaultRule::respond(429).method("POST").path("/Users").times(1).header("Retry-After", "2"))
///     .unwrap();
/// let create = || {
///     reqwest::Client::new()
///         .post(format!("{}/Users", zinc.base_url()))
///         .bearer_auth(zinc.token().unwrap())
///         .json(&serde_json::json!({"userName": "alice@example.com"}))
///         .send()
/// };
/// let throttled = create().await.unwrap();
/// assert_eq!(throttled.status(), 429);
/// assert_eq!(throttled.headers()["retry-after"], "2");
/// assert_eq!(create().await.unwrap().status(), 201, "times(1): the next request is served");
/// # }
/// ```
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

    pub(super) fn serialize<S: Serializer>(d: &Option<Duration>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&(d.as_millis() as u64)),
            None => s.serialize_none(),
        }
    }
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Duration>, D::Error> {
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

    /// Whether the rule can be installed: see [`FaultError`].
    pub fn validate(&self) -> Result<(), FaultError> {
        if self.times == Some(0) {
            return Err(FaultError::Times);
        }
        if let Some(delay) = self.delay {
            check_delay(delay)?;
        }
        match &self.action {
            FaultAction::Respond(r) => {
                check_status(r.status)?;
                r.headers
                    .iter()
                    .try_for_each(|(name, value)| check_header(name, value))
            }
            FaultAction::Drop | FaultAction::Pass => Ok(()),
        }
    }

    fn matches(&self, method: &str, path: &str) -> bool {
        self.method
            .as_deref()
            .is_none_or(|m| m.eq_ignore_ascii_case(method))
            && glob(&self.path, path)
    }
}

/// `*` matches any run of characters; everything else literally. Linear in the text: the
/// literal pieces between stars are found left to right, each search starting where the
/// last one ended (leftmost is always right when `*` is the only wildcard), so no
/// backtracking.
pub(crate) fn glob(pattern: &str, text: &str) -> bool {
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or("");
    let Some(mut rest) = text.strip_prefix(first) else {
        return false;
    };
    let Some(last) = pieces.next_back() else {
        // No star: the whole text.
        return rest.is_empty();
    };
    for piece in pieces {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
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
///
/// A request matches against a snapshot of the rules taken under a lock held only for an
/// `Arc` clone; counted rules count down atomically. Matching (linear in the path) never
/// holds a lock, so a long path cannot stall other requests.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    inner: Arc<FaultsInner>,
}

#[derive(Debug, Default)]
struct FaultsInner {
    next: AtomicU64,
    rules: RwLock<Arc<Vec<Arc<Live>>>>,
    /// Fast path: no lock while no rule is installed.
    count: AtomicU64,
}

/// An installed rule and what is left of its count.
#[derive(Debug)]
struct Live {
    id: FaultId,
    rule: FaultRule,
    remaining: Option<AtomicU32>,
}

impl Live {
    /// Claims one use; false when a counted rule is used up.
    fn claim(&self) -> bool {
        match &self.remaining {
            None => true,
            Some(n) => n
                .fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| v.checked_sub(1))
                .is_ok(),
        }
    }

    fn used_up(&self) -> bool {
        self.remaining
            .as_ref()
            .is_some_and(|n| n.load(Ordering::Acquire) == 0)
    }
}

impl Faults {
    /// Installs a rule after [`FaultRule::validate`]; earlier rules are tried first.
    pub fn add(&self, rule: FaultRule) -> Result<FaultId, FaultError> {
        rule.validate()?;
        let id = self.inner.next.fetch_add(1, Ordering::Relaxed) + 1;
        let live = Arc::new(Live {
            id,
            remaining: rule.times.map(AtomicU32::new),
            rule,
        });
        self.update(|rules| rules.push(live));
        Ok(id)
    }
    /// Removes one rule; false when it was not installed (or is used up).
    pub fn remove(&self, id: FaultId) -> bool {
        let mut found = false;
        self.update(|rules| {
            let before = rules.len();
            rules.retain(|r| r.id != id);
            found = rules.len() != before;
        });
        found
    }
    /// Removes every rule.
    pub fn clear(&self) {
        self.update(Vec::clear);
    }
    /// The rules in force.
    pub fn list(&self) -> Vec<InstalledFault> {
        let rules = self.inner.rules.read().clone();
        rules
            .iter()
            .filter(|r| !r.used_up())
            .map(|r| InstalledFault {
                id: r.id,
                rule: r.rule.clone(),
                remaining: r.remaining.as_ref().map(|n| n.load(Ordering::Acquire)),
            })
            .collect()
    }

    /// A new rule list, swapped in under the write lock (used up rules are dropped).
    fn update(&self, change: impl FnOnce(&mut Vec<Arc<Live>>)) {
        let mut guard = self.inner.rules.write();
        let mut rules: Vec<Arc<Live>> = guard.iter().filter(|r| !r.used_up()).cloned().collect();
        change(&mut rules);
        self.inner
            .count
            .store(rules.len() as u64, Ordering::Release);
        *guard = Arc::new(rules);
    }

    /// The rule that takes this request, if any (used up rules are removed).
    pub(crate) fn take(&self, method: &str, path: &str) -> Option<FaultRule> {
        if self.inner.count.load(Ordering::Acquire) == 0 {
            return None;
        }
        let rules = self.inner.rules.read().clone();
        let hit = rules
            .iter()
            .find(|r| r.rule.matches(method, path) && r.claim())?;
        if hit.used_up() {
            self.update(|_| {});
        }
        Some(hit.rule.clone())
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
        assert!(glob("/Users/*/x*", "/Users/1/2/x"));
        assert!(!glob("/Users/*/x*", "/Users/1/2/y"));
        assert!(glob("*a*a*", "aa"));
        assert!(!glob("*a*a*a", "aa"));
        assert!(glob("", ""));
        assert!(!glob("", "/x"));
    }

    #[test]
    fn glob_is_linear_in_the_path() {
        // The old backtracking matcher took O(path × pattern) here; 60,000 characters and
        // a pattern of many stars now cost one pass.
        let path = "a".repeat(60_000);
        let pattern = format!("{}b", "*a".repeat(50));
        assert!(!glob(&pattern, &path));
        assert!(glob(&format!("{}*", "*a".repeat(50)), &path));
    }

    #[test]
    fn invalid_rules_are_refused_with_the_reason() {
        let faults = Faults::default();
        for (rule, want) in [
            (FaultRule::respond(0), FaultError::Status(0)),
            (FaultRule::respond(101), FaultError::Status(101)),
            (FaultRule::respond(1000), FaultError::Status(1000)),
            (FaultRule::respond(500).times(0), FaultError::Times),
            (
                FaultRule::delay_only(Duration::from_millis(u64::MAX)),
                FaultError::Delay(u128::from(u64::MAX)),
            ),
            (
                FaultRule::respond(503).header("Retry-After", "1\r\nSet-Cookie: x"),
                FaultError::HeaderValue("Retry-After".into()),
            ),
            (
                FaultRule::respond(503).header("Bad Name", "1"),
                FaultError::HeaderName("Bad Name".into()),
            ),
        ] {
            assert_eq!(faults.add(rule), Err(want));
        }
        assert!(faults.list().is_empty());
        assert!(faults.add(FaultRule::respond(599).delay(MAX_DELAY)).is_ok());
        assert!(faults.add(FaultRule::drop_connection()).is_ok());
    }

    #[test]
    fn counted_rules_run_out() {
        let faults = Faults::default();
        faults
            .add(
                FaultRule::respond(500)
                    .method("POST")
                    .path("/Users")
                    .times(2),
            )
            .unwrap();
        assert!(faults.take("GET", "/Users").is_none());
        assert!(faults.take("POST", "/Users").is_some());
        assert!(faults.take("POST", "/Users").is_some());
        assert!(faults.take("POST", "/Users").is_none());
        assert!(faults.list().is_empty());
    }
}
