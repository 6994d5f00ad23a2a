//! Instance settings, the start-up configuration and the test-only rule switches.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use super::bugs::Bug;
/// The Zinc rules live in the contract; re-exported here beside the switches that use them.
pub use crate::contract::Rule;

/// The instance settings are the contract's words (scenarios and `serve` name them too).
pub use crate::contract::{DeletedGroupPolicy, Provisioning, ResourceKind, Scope};

/// Requests a mock keeps in its log by default: enough for any scenario, bounded for `serve`.
pub(crate) const DEFAULT_REQUEST_LOG_LIMIT: usize = 10_000;

/// [`ZincConfig::request_timeout`] unless set.
pub(crate) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// [`ZincConfig::max_connections`] unless set: well under the usual 1024 descriptors.
pub(crate) const DEFAULT_MAX_CONNECTIONS: usize = 512;

/// How to start a mock Zinc.
#[derive(Debug, Clone)]
pub struct ZincConfig {
    /// Where to listen; `127.0.0.1:0` (a free loopback port) by default.
    pub addr: SocketAddr,
    /// The bearer token while provisioning is enabled; `None` = a random one.
    pub token: Option<String>,
    pub provisioning: Provisioning,
    pub scope: Scope,
    pub deleted_group_policy: DeletedGroupPolicy,
    /// A directory fixture (YAML, see `fixtures/`) to load before serving.
    pub fixture: Option<PathBuf>,
    /// How many SCIM requests [`MockZinc::received_requests`](super::MockZinc::received_requests)
    /// keeps (the oldest are forgotten first); 0 turns recording off (benchmarks do).
    pub request_log_limit: usize,
    /// The admin API's own token (`serve --admin-token`): when set, every admin request must
    /// send `Authorization: Bearer <it>`.
    pub admin_token: Option<String>,
    /// Whether the admin API answers at all (`serve` turns it off on an address beyond
    /// loopback unless an admin token is set).
    pub admin_api: bool,
    /// Reading a request's body and answering it must be done within this, or the answer is
    /// 408 and the connection is closed (a fault's `delay_ms` is not counted; the headers
    /// have their own 30 s).
    pub request_timeout: Duration,
    /// Connections open at once, at most; one more is answered 503 and closed.
    pub max_connections: usize,
    broken: BTreeSet<Rule>,
    bugs: BTreeSet<Bug>,
}

impl Default for ZincConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            token: None,
            provisioning: Provisioning::Enabled,
            scope: Scope::BOTH,
            deleted_group_policy: DeletedGroupPolicy::Retain,
            fixture: None,
            request_log_limit: DEFAULT_REQUEST_LOG_LIMIT,
            admin_token: None,
            admin_api: true,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            broken: BTreeSet::new(),
            bugs: BTreeSet::new(),
        }
    }
}

/// Builder methods, so a test reads as one expression:
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use zinc_harness::zinc::{DeletedGroupPolicy, MockZinc, Scope, ZincConfig};
///
/// let config = ZincConfig::default()
///     .with_token("s3cret-token")
///     .with_scope(Scope::USERS)
///     .with_deleted_group_policy(DeletedGroupPolicy::Delete);
/// let zinc = MockZinc::start_with(config).await.unwrap();
/// assert_eq!(zinc.token().as_deref(), Some("s3cret-token"));
/// # }
/// ```
impl ZincConfig {
    /// Where to listen (the default is a free loopback port).
    pub fn with_addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }
    /// The bearer token issued while provisioning is enabled (the default is a random one).
    pub fn with_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }
    /// The provisioning gate (Z1).
    pub fn with_provisioning(mut self, provisioning: Provisioning) -> Self {
        self.provisioning = provisioning;
        self
    }
    /// The sync scope (Z3).
    pub fn with_scope(mut self, scope: Scope) -> Self {
        self.scope = scope;
        self
    }
    /// What `DELETE /Groups/{id}` does in Zinc (Z19).
    pub fn with_deleted_group_policy(mut self, policy: DeletedGroupPolicy) -> Self {
        self.deleted_group_policy = policy;
        self
    }
    /// A directory fixture to load before serving.
    pub fn with_fixture(mut self, path: impl Into<PathBuf>) -> Self {
        self.fixture = Some(path.into());
        self
    }
    /// How many requests the request log keeps (0: none).
    pub fn with_request_log_limit(mut self, limit: usize) -> Self {
        self.request_log_limit = limit;
        self
    }
}

impl ZincConfig {
    /// Switch a rule off, so that the mock behaves like a naive SCIM server that lacks it:
    /// mutation testing, to prove that a scenario or a client's test suite notices a broken
    /// server (`tests/harness/rules_bite.rs` does it for every rule). Not reachable from
    /// `serve` or the admin API. Effects:
    /// Z1 off: a disabled instance serves SCIM without any token.
    /// Z2 off: any Authorization (or none) is accepted.
    /// Z3 off: the sync scope is not enforced.
    /// Z4 off: any non-empty userName is accepted.
    /// Z5 off: `emails` are stored and returned as sent.
    /// Z6 off: duplicate userNames are accepted.
    /// Z7 off: userName changes are accepted.
    /// Z8 off: `displayName` is stored as sent.
    /// Z10 off: deactivated users stay, with `active: false`.
    /// Z11 off: `active: true` on a removed user's id brings it back with the same id.
    /// Z14 off: no origin is kept: a console group is taken for a synced (okta, linked) one.
    /// Z15 off: console groups are visible over SCIM.
    /// Z16 off: unknown member ids are dropped silently and duplicate group names accepted.
    /// Z17 off: console edits of linked groups succeed.
    /// Z18 off: an unlinked group stays visible and writable over SCIM.
    /// Z19 off: `DELETE /Groups/{id}` removes the group whatever the policy.
    pub fn break_rule(&mut self, rule: Rule) -> &mut Self {
        self.broken.insert(rule);
        self
    }

    /// Builder form of [`ZincConfig::break_rule`].
    pub fn with_broken_rule(mut self, rule: Rule) -> Self {
        self.broken.insert(rule);
        self
    }

    /// The rules switched off.
    pub fn broken_rules(&self) -> &BTreeSet<Rule> {
        &self.broken
    }

    /// Make the mock commit a realistic server mistake ([`Bug`]): mutation testing, to prove
    /// that a scenario or wire check catches it. Not reachable from `serve` or the admin API.
    pub fn with_bug(mut self, bug: Bug) -> Self {
        self.bugs.insert(bug);
        self
    }

    /// The mistakes switched on.
    pub fn bugs(&self) -> &BTreeSet<Bug> {
        &self.bugs
    }
}

/// The set of rules switched off, fixed at start.
#[derive(Debug, Clone, Default)]
pub(crate) struct Rules {
    broken: BTreeSet<Rule>,
    bugs: BTreeSet<Bug>,
}

impl Rules {
    pub(crate) fn new(broken: BTreeSet<Rule>, bugs: BTreeSet<Bug>) -> Self {
        Self { broken, bugs }
    }
    /// True while the mock makes this mistake (test only).
    pub(crate) fn has(&self, bug: Bug) -> bool {
        self.bugs.contains(&bug)
    }
    /// True while the rule is in force.
    pub(crate) fn on(&self, rule: Rule) -> bool {
        !self.broken.contains(&rule)
    }
}
