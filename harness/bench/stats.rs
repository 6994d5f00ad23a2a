//! Latency bookkeeping: each worker keeps its own [`Tally`] (no lock on the hot path); the
//! tallies are merged once a phase ends and turned into percentiles per request kind.
//! Latencies go into HDR histograms (3 significant digits), not a list of samples, so a long
//! `--duration` load keeps the harness's own memory flat.

use std::collections::BTreeMap;
use std::time::Duration;

use hdrhistogram::Histogram;
use serde::Serialize;

use crate::okta::{ActionOutcome, Body, Exchange};

/// What kind of SCIM request an exchange was, from its method, path and (for a group PATCH)
/// its operations: the rows of the latency table.
pub(crate) fn request_kind(e: &Exchange) -> &'static str {
    let (path, query) = e.path.split_once('?').unwrap_or((&e.path, ""));
    let mut parts = path.trim_start_matches('/').splitn(2, '/');
    let resource = parts.next().unwrap_or_default();
    let has_id = parts.next().is_some_and(|s| !s.is_empty());
    let filtered = query.split('&').any(|p| p.starts_with("filter="));
    match (resource, e.method.as_str(), has_id) {
        ("Users", "GET", false) if filtered => "user lookup (userName eq)",
        ("Users", "GET", false) => "user list page",
        ("Users", "POST", false) => "user create",
        ("Users", "GET", true) => "user read",
        ("Users", "PUT", true) => "user replace",
        ("Users", "PATCH", true) => "user patch",
        ("Users", "DELETE", true) => "user delete",
        ("Groups", "GET", false) if filtered => "group lookup (displayName eq)",
        ("Groups", "GET", false) => "group list page",
        ("Groups", "POST", false) => "group create",
        ("Groups", "GET", true) => "group read",
        ("Groups", "PUT", true) => "group replace",
        ("Groups", "PATCH", true) if touches_members(e) => "group patch (members)",
        ("Groups", "PATCH", true) => "group patch (rename)",
        ("Groups", "DELETE", true) => "group delete",
        _ => "other",
    }
}

/// A group PATCH whose operations name `members` (Okta's add/remove/replace members).
fn touches_members(e: &Exchange) -> bool {
    let Some(Body::Json(body)) = &e.request_body else {
        return false;
    };
    body.get("Operations")
        .and_then(|o| o.as_array())
        .is_some_and(|ops| {
            ops.iter().any(|op| {
                op.get("path")
                    .and_then(|p| p.as_str())
                    .is_some_and(|p| p.starts_with("members"))
            })
        })
}

/// One worker's measurements.
#[derive(Debug, Default)]
pub(crate) struct Tally {
    /// Latency of every exchange, in microseconds, by request kind.
    pub latency_us: BTreeMap<&'static str, Histogram<u32>>,
    /// Exchanges that got no answer or an answer the action could not use, by kind.
    pub failed: BTreeMap<&'static str, u64>,
    pub requests: u64,
    pub actions: u64,
    pub failed_actions: u64,
    /// Sum of the actions' wall times.
    pub action_time: Duration,
    /// Sum of the time the actions spent inside exchanges (sent → whole response read).
    pub wait_time: Duration,
    /// The first few failure messages (already free of secrets: the Okta client scrubs them).
    pub messages: Vec<String>,
    pub counts: Counts,
}

/// What the successful actions achieved.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Counts {
    pub users_created: u64,
    pub users_linked: u64,
    pub groups_created: u64,
    /// `Group { created: false }`: a push that linked, or a membership change sent.
    pub groups_updated: u64,
    pub imported_users: u64,
    pub app_groups: u64,
}

impl Counts {
    fn add(&mut self, o: Counts) {
        self.users_created += o.users_created;
        self.users_linked += o.users_linked;
        self.groups_created += o.groups_created;
        self.groups_updated += o.groups_updated;
        self.imported_users += o.imported_users;
        self.app_groups += o.app_groups;
    }
}

/// How many failure messages a report keeps.
const MAX_MESSAGES: usize = 5;

impl Tally {
    /// Records one action: its wall time and each of its exchanges.
    pub(crate) fn action(&mut self, wall: Duration, outcome: &ActionOutcome) {
        self.actions += 1;
        self.action_time += wall;
        for e in &outcome.exchanges {
            let kind = request_kind(e);
            self.requests += 1;
            self.wait_time += e.duration;
            let us = u64::try_from(e.duration.as_micros()).unwrap_or(u64::MAX);
            self.latency_us
                .entry(kind)
                .or_insert_with(new_histogram)
                .saturating_record(us);
            let bad_status = e.status().is_none_or(|s| !(200..300).contains(&s));
            if bad_status || e.error.is_some() {
                *self.failed.entry(kind).or_default() += 1;
            }
        }
        if !outcome.ok {
            self.failed_actions += 1;
            let message = outcome
                .message
                .clone()
                .unwrap_or_else(|| format!("{} failed", outcome.action));
            self.note(message);
        }
    }

    /// An action that could not even start (a misuse of the client: a bench bug).
    pub(crate) fn broken(&mut self, wall: Duration, message: String) {
        self.actions += 1;
        self.failed_actions += 1;
        self.action_time += wall;
        self.note(message);
    }

    fn note(&mut self, message: String) {
        if self.messages.len() < MAX_MESSAGES {
            self.messages.push(message);
        }
    }

    pub(crate) fn merge(&mut self, other: Tally) {
        for (k, h) in other.latency_us {
            match self.latency_us.get_mut(k) {
                // Same bounds on both sides, so adding cannot fail.
                Some(mine) => {
                    let _ = mine.add(&h);
                }
                None => {
                    self.latency_us.insert(k, h);
                }
            }
        }
        for (k, n) in other.failed {
            *self.failed.entry(k).or_default() += n;
        }
        self.requests += other.requests;
        self.actions += other.actions;
        self.failed_actions += other.failed_actions;
        self.action_time += other.action_time;
        self.wait_time += other.wait_time;
        for m in other.messages {
            self.note(m);
        }
        self.counts.add(other.counts);
    }

    /// Failed exchanges of every kind.
    pub(crate) fn failed_requests(&self) -> u64 {
        self.failed.values().sum()
    }

    /// Latency percentiles per request kind.
    pub(crate) fn kinds(&self) -> Vec<KindStats> {
        self.latency_us
            .iter()
            .map(|(kind, h)| KindStats {
                kind: (*kind).to_owned(),
                requests: h.len(),
                errors: self.failed.get(kind).copied().unwrap_or(0),
                p50_ms: percentile_ms(h, 50.0),
                p95_ms: percentile_ms(h, 95.0),
                p99_ms: percentile_ms(h, 99.0),
                max_ms: ms(h.max()),
            })
            .collect()
    }
}

/// 1 µs to 10 minutes (the longest `--request-timeout` worth timing), 3 significant digits.
fn new_histogram() -> Histogram<u32> {
    Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid histogram bounds")
}

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

/// Latency of one request kind.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct KindStats {
    pub kind: String,
    pub requests: u64,
    pub errors: u64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
}

/// The `pct` percentile of a microsecond histogram, in milliseconds (0 when empty).
pub(crate) fn percentile_ms(h: &Histogram<u32>, pct: f64) -> f64 {
    if h.is_empty() {
        return 0.0;
    }
    ms(h.value_at_percentile(pct))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_within_the_histogram_precision() {
        let mut h = new_histogram();
        for i in 1..=100u64 {
            h.record(i * 1000).unwrap();
        }
        // 3 significant digits: within 0.1% of the nearest-rank value.
        let close = |got: f64, want: f64| (got - want).abs() <= want * 0.001;
        assert!(
            close(percentile_ms(&h, 50.0), 50.0),
            "{}",
            percentile_ms(&h, 50.0)
        );
        assert!(
            close(percentile_ms(&h, 99.0), 99.0),
            "{}",
            percentile_ms(&h, 99.0)
        );
        assert!(close(ms(h.max()), 100.0));
        let mut one = new_histogram();
        one.record(7000).unwrap();
        assert!(close(percentile_ms(&one, 95.0), 7.0));
        assert_eq!(percentile_ms(&new_histogram(), 95.0), 0.0);
    }

    #[test]
    fn merged_tallies_count_every_sample() {
        let mut a = Tally::default();
        let mut b = Tally::default();
        let mut h = new_histogram();
        h.record(1000).unwrap();
        a.latency_us.insert("user read", h.clone());
        h.record(3000).unwrap();
        b.latency_us.insert("user read", h);
        b.latency_us.insert("group read", new_histogram());
        a.merge(b);
        assert_eq!(a.latency_us["user read"].len(), 3);
        assert!(a.latency_us.contains_key("group read"));
        let kinds = a.kinds();
        assert_eq!(kinds.iter().map(|k| k.requests).sum::<u64>(), 3);
    }
}
