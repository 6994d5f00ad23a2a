//! Latency bookkeeping: each worker keeps its own [`Tally`] (no lock on the hot path); the
//! tallies are merged once a phase ends and turned into percentiles per request kind.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

use crate::okta::{ActionOutcome, Body, Exchange};

/// What kind of SCIM request an exchange was, from its method, path and (for a group PATCH)
/// its operations: the rows of the latency table.
pub fn request_kind(e: &Exchange) -> &'static str {
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
pub struct Tally {
    /// Latency of every exchange, in microseconds, by request kind.
    pub latency_us: BTreeMap<&'static str, Vec<u32>>,
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
pub struct Counts {
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
    pub fn action(&mut self, wall: Duration, outcome: &ActionOutcome) {
        self.actions += 1;
        self.action_time += wall;
        for e in &outcome.exchanges {
            let kind = request_kind(e);
            self.requests += 1;
            self.wait_time += e.duration;
            let us = u32::try_from(e.duration.as_micros()).unwrap_or(u32::MAX);
            self.latency_us.entry(kind).or_default().push(us);
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
    pub fn broken(&mut self, wall: Duration, message: String) {
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

    pub fn merge(&mut self, other: Tally) {
        for (k, mut v) in other.latency_us {
            self.latency_us.entry(k).or_default().append(&mut v);
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
    pub fn failed_requests(&self) -> u64 {
        self.failed.values().sum()
    }

    /// Latency percentiles per request kind (sorts the samples in place).
    pub fn kinds(&mut self) -> Vec<KindStats> {
        self.latency_us
            .iter_mut()
            .map(|(kind, samples)| {
                samples.sort_unstable();
                KindStats {
                    kind: (*kind).to_owned(),
                    requests: samples.len() as u64,
                    errors: self.failed.get(kind).copied().unwrap_or(0),
                    p50_ms: percentile_ms(samples, 50.0),
                    p95_ms: percentile_ms(samples, 95.0),
                    p99_ms: percentile_ms(samples, 99.0),
                    max_ms: samples.last().map_or(0.0, |us| f64::from(*us) / 1000.0),
                }
            })
            .collect()
    }
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

/// The nearest-rank percentile of sorted microsecond samples, in milliseconds.
pub fn percentile_ms(sorted_us: &[u32], pct: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = ((pct / 100.0) * sorted_us.len() as f64).ceil() as usize;
    let i = rank.clamp(1, sorted_us.len()) - 1;
    f64::from(sorted_us[i]) / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let v: Vec<u32> = (1..=100).map(|i| i * 1000).collect();
        assert_eq!(percentile_ms(&v, 50.0), 50.0);
        assert_eq!(percentile_ms(&v, 99.0), 99.0);
        assert_eq!(percentile_ms(&[7000], 95.0), 7.0);
        assert_eq!(percentile_ms(&[], 95.0), 0.0);
    }
}
