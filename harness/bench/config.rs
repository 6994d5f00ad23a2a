//! What a bench run is asked to do, and why it may fail to.

use std::time::Duration;

use crate::okta::{App, Auth, OktaError};

/// Where the bench sends its requests.
#[derive(Debug, Clone)]
pub enum Target {
    /// A mock Zinc started in this process on loopback.
    Embedded,
    /// A live SCIM server: its base URL and how Okta authenticates to it.
    Live { base_url: String, auth: Auth },
}

/// The size and shape of one bench run.
#[derive(Debug, Clone)]
pub struct BenchConfig {
    pub users: usize,
    pub groups: usize,
    pub members_per_group: usize,
    /// Okta actions in flight at once (at least 1).
    pub concurrency: usize,
    pub app: App,
    /// Picks the names and the group memberships; the same seed gives the same directory.
    pub seed: u64,
    /// By-id reads and `eq` lookups in the `reads` phase (0: no reads phase).
    pub reads: usize,
    /// Run the same phases against the fixed-body baseline server first.
    pub baseline: bool,
    /// A time-bound read/lookup load after the phases, sampling memory every second.
    pub load: Option<Duration>,
    /// The whole run stops with an error when it takes longer.
    pub time_limit: Duration,
    /// Per-request timeout of the simulated Okta.
    pub request_timeout: Duration,
}

impl Default for BenchConfig {
    fn default() -> Self {
        BenchConfig {
            users: 1000,
            groups: 100,
            members_per_group: 20,
            concurrency: 8,
            app: App::Oin,
            seed: 1,
            reads: 2000,
            baseline: true,
            load: None,
            time_limit: Duration::from_secs(600),
            request_timeout: Duration::from_secs(30),
        }
    }
}

/// The reads phase runs in this many rounds, alternating baseline and target.
pub(super) const READ_ROUNDS: usize = 5;

/// Largest directory the bench generates (keeps a typo from eating the machine).
pub const MAX_USERS: usize = 1_000_000;
pub const MAX_GROUPS: usize = 100_000;

/// Why a bench could not run to the end.
#[derive(Debug, thiserror::Error)]
pub enum BenchError {
    #[error("bad bench settings: {0}")]
    Config(String),
    #[error("cannot start the {what}: {why}")]
    Start { what: &'static str, why: String },
    #[error("the target does not answer as a SCIM server: {0}")]
    Unreachable(String),
    #[error(transparent)]
    Okta(#[from] OktaError),
    #[error("the time limit of {limit:?} was reached during {phase}")]
    TimeLimit { limit: Duration, phase: String },
}

pub(super) fn check(config: &BenchConfig) -> Result<(), BenchError> {
    let bad = |m: String| Err(BenchError::Config(m));
    if config.users > MAX_USERS {
        return bad(format!(
            "--users {} is above the limit of {MAX_USERS}",
            config.users
        ));
    }
    if config.groups > MAX_GROUPS {
        return bad(format!(
            "--groups {} is above the limit of {MAX_GROUPS}",
            config.groups
        ));
    }
    if config.groups > 0 && config.members_per_group > config.users {
        return bad(format!(
            "--members-per-group {} is more than --users {}",
            config.members_per_group, config.users
        ));
    }
    if config.concurrency == 0 || config.concurrency > 1024 {
        return bad("--concurrency must be between 1 and 1024".into());
    }
    Ok(())
}
