//! What a bench run measured (rendered by [`super::render`], serialized as JSON).

use serde::Serialize;

use super::stats::KindStats;
use crate::okta::App;

/// Everything one bench run measured.
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// `embedded` or the target's base URL (credentials never appear).
    pub target: String,
    pub app: App,
    pub users: usize,
    pub groups: usize,
    pub members_per_group: usize,
    pub concurrency: usize,
    pub seed: u64,
    /// The phases against the target, in order.
    pub phases: Vec<PhaseReport>,
    /// Latency per request kind over every phase but `load`.
    pub requests: Vec<KindStats>,
    pub totals: Totals,
    /// What the target ended up holding, as Okta saw it.
    pub directory: DirectoryCounts,
    pub overhead: Overhead,
    pub memory: Memory,
    pub baseline: Option<BaselineReport>,
    pub load: Option<LoadReport>,
    /// The first failure messages (secrets already removed).
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct PhaseReport {
    pub name: String,
    pub actions: u64,
    pub requests: u64,
    /// Failed exchanges (no answer, or not a 2xx).
    pub errors: u64,
    pub failed_actions: u64,
    pub wall_ms: f64,
    pub requests_per_sec: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Totals {
    pub requests: u64,
    pub errors: u64,
    pub failed_actions: u64,
    /// Wall time of the target's phases (not the baseline, not `load`).
    pub wall_ms: f64,
    pub requests_per_sec: f64,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct DirectoryCounts {
    pub users_created: u64,
    /// Users the lookup found (a rerun against a live server links instead of creating).
    pub users_linked: u64,
    pub groups_created: u64,
    pub groups_linked: u64,
    /// `add members` actions that sent their change.
    pub memberships_pushed: u64,
    /// Users the import listed (active ones).
    pub imported_users: u64,
    /// Groups "Refresh App Groups" listed.
    pub app_groups: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Overhead {
    /// Mean time per request spent inside exchanges (waiting on the server).
    pub wait_us_per_request: f64,
    /// Mean action wall time per request *not* spent inside an exchange.
    pub harness_us_per_request: f64,
    /// `harness / (harness + wait)`.
    pub harness_share: f64,
    /// CPU time of the client's threads per request (embedded target only).
    pub client_cpu_us_per_request: Option<f64>,
    /// CPU time of the embedded server's threads per request.
    pub server_cpu_us_per_request: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Memory {
    /// `VmHWM` at the end: the process's peak resident memory (embedded server included).
    pub peak_rss_kib: Option<u64>,
    pub rss_before_kib: Option<u64>,
    pub rss_after_kib: Option<u64>,
    /// Resident memory growth over the target's phases per user (client + embedded server).
    pub bytes_per_user: Option<f64>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BaselineReport {
    pub phases: Vec<PhaseReport>,
    /// `target requests/s ÷ baseline requests/s` per phase with the same request mix
    /// (the list phases differ: the baseline answers one empty page).
    pub ratios: Vec<Ratio>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Ratio {
    pub phase: String,
    pub ratio: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LoadReport {
    pub seconds: f64,
    pub requests: u64,
    pub errors: u64,
    pub requests_per_sec: f64,
    /// Resident memory sampled once a second, from the start of the load.
    pub rss_kib_samples: Vec<u64>,
    pub rss_first_kib: Option<u64>,
    pub rss_last_kib: Option<u64>,
}
