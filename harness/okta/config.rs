//! How the simulated Okta app integration is set up: where the SCIM server is, how Okta
//! authenticates, which kind of app it is (`oin` / `aiw`), Group Push, timeout, concurrency and
//! the 429 retry policy.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::entra::{MatchAttr, UnassignMode};

/// Okta gives up on a request when nothing arrives within 60 s (okta-client-reference.md §2).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// The settings of one simulated Okta app integration.
#[derive(Debug, Clone)]
pub struct OktaConfig {
    /// The SCIM base URL, e.g. `http://127.0.0.1:8080/scim/v2` (no trailing slash needed).
    pub base_url: String,
    /// How Okta authenticates every request.
    pub auth: Auth,
    /// Which Okta personality sends the requests.
    pub app: App,
    /// Group Push enabled ("Push Groups" in the To App settings).
    pub push_groups: bool,
    /// How Group Push sends groups (batch size, what follows a create, Import Groups).
    pub group_push: GroupPush,
    /// Per-request timeout: the whole exchange, connect included (Okta: 60 s).
    pub timeout: Duration,
    /// At most this many requests in flight on this client (`None`: unlimited).
    pub concurrency: Option<usize>,
    /// What to do on 429 Too Many Requests.
    pub retry: RetryPolicy,
    /// What each recorded exchange keeps (`Full` unless a load run says otherwise).
    pub recording: Recording,
    /// Accept any TLS certificate (`run --insecure`, for test servers with self-signed ones).
    pub accept_invalid_certs: bool,
    /// What the Okta ids (`00u…`, `00g…`) are derived from besides the person or group key.
    /// Real Okta's ids are unique per user, and a server may key on `externalId` (RFC 7643
    /// §3.1 leaves its uniqueness to the client): the runner sets `<run id>/<scenario>` so
    /// that no two runs or scenarios send the same id, and a rerun with the same run id sends
    /// the same ones. Empty (the default): derived from the key alone.
    pub id_seed: String,
    /// What only the Entra personalities read (matching precedence, unassign, on-demand).
    pub entra: EntraSettings,
}

impl OktaConfig {
    /// `oin`, bearer `token`, Group Push on, 60 s timeout, no concurrency limit, Okta's 10
    /// tries on 429 (at most 100 ms apart), TLS certificates verified.
    pub fn new(base_url: impl Into<String>, auth: Auth) -> Self {
        Self {
            base_url: base_url.into(),
            auth,
            app: App::default(),
            push_groups: true,
            group_push: GroupPush::default(),
            timeout: DEFAULT_TIMEOUT,
            concurrency: None,
            retry: RetryPolicy::default(),
            recording: Recording::Full,
            accept_invalid_certs: false,
            id_seed: String::new(),
            entra: EntraSettings::default(),
        }
    }
}

/// Okta's "Group Patch Batch Size" default: at most 256 member values per PATCH (reference
/// §10.3, S21).
pub const GROUP_PATCH_BATCH_SIZE: usize = 256;

/// Group Push settings of the app (reference §4, §10.2, §10.3, §10.7, §10.11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GroupPush {
    /// At most this many member values in one membership PATCH (at least 1).
    pub batch_size: usize,
    /// What an `oin` app sends after `POST /Groups`.
    pub after_create: AfterCreate,
    /// A `GET /Groups/{id}` between the membership PATCH and the rename PATCH (one 2020
    /// capture, S20 go-scim#57; off by default).
    pub get_before_rename: bool,
    /// "Import Groups" on: Okta matches a pushed group against the groups it imported
    /// ("Refresh App Groups") instead of sending the `displayName` lookup (S1 2024).
    pub import_groups: bool,
}

impl Default for GroupPush {
    fn default() -> Self {
        GroupPush {
            batch_size: GROUP_PATCH_BATCH_SIZE,
            after_create: AfterCreate::default(),
            get_before_rename: false,
            import_groups: false,
        }
    }
}

/// What follows an `oin` group create; the captures conflict (reference §10.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AfterCreate {
    /// `PATCH add members` with the members the POST carried (S18, Okta's own capture).
    #[default]
    Members,
    /// The path-less rename PATCH `{id, displayName}`, then the members PATCH (S20:
    /// keycloak-scim-server PR #113, scimgateway#112).
    RenameThenMembers,
}

/// What the transcript keeps of each exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Recording {
    /// Request and response headers and bodies, secrets redacted: what reports and snapshots
    /// show.
    #[default]
    Full,
    /// For load runs (`zinc-harness bench`): a 2xx response keeps its status and timing but
    /// not its headers or JSON body (copying and redacting every body cost the client about
    /// a fifth of its CPU). Requests and failed responses are recorded in full. Actions work
    /// the same; only `get_user`/`raw` results carry no body, and for those a 2xx body is
    /// checked to be JSON without being built into a value (building the mock's larger
    /// answers only to drop them made the client, not the server, the limit of bench reads).
    Lean,
}

/// How Okta authenticates (okta-client-reference.md §2, "Auth modes").
#[derive(Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>` (AIW "HTTP Header", OIN "OAuth Bearer Token"). Default.
    Bearer(String),
    /// `Authorization: <token>`, the raw string the admin typed (OIW/OIN "Header Auth").
    Header(String),
    /// `Authorization: Basic base64(user:password)`.
    Basic { user: String, password: String },
    /// No `Authorization` header at all (a misconfigured app; handy for 401 checks).
    None,
}

impl Auth {
    /// The auth of `mode` carrying `secret` (for `basic`, `secret` is `user:password`).
    pub fn from_mode(mode: AuthMode, secret: &str) -> Auth {
        match mode {
            AuthMode::Bearer => Auth::Bearer(secret.to_owned()),
            AuthMode::Header => Auth::Header(secret.to_owned()),
            AuthMode::Basic => {
                let (user, password) = secret.split_once(':').unwrap_or((secret, ""));
                Auth::Basic {
                    user: user.to_owned(),
                    password: password.to_owned(),
                }
            }
        }
    }

    /// The same mode with a new token (a rotated token keeps the admin's chosen mode).
    pub fn with_token(&self, token: &str) -> Auth {
        match self {
            Auth::Header(_) => Auth::Header(token.to_owned()),
            Auth::Basic { user, .. } => Auth::Basic {
                user: user.clone(),
                password: token.to_owned(),
            },
            Auth::Bearer(_) | Auth::None => Auth::Bearer(token.to_owned()),
        }
    }

    pub fn mode(&self) -> Option<AuthMode> {
        match self {
            Auth::Bearer(_) => Some(AuthMode::Bearer),
            Auth::Header(_) => Some(AuthMode::Header),
            Auth::Basic { .. } => Some(AuthMode::Basic),
            Auth::None => None,
        }
    }

    /// The real header value (never recorded; see [`Auth::redacted_header`]).
    pub(crate) fn header_value(&self) -> Option<String> {
        use base64::Engine as _;
        match self {
            Auth::Bearer(t) => Some(format!("Bearer {t}")),
            Auth::Header(t) => Some(t.clone()),
            Auth::Basic { user, password } => Some(format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
            )),
            Auth::None => None,
        }
    }

    /// What the transcript stores: the scheme is kept, the secret is not.
    pub(crate) fn redacted_header(&self) -> Option<String> {
        use crate::contract::REDACTED;
        match self {
            Auth::Bearer(_) => Some(format!("Bearer {REDACTED}")),
            Auth::Header(_) => Some(REDACTED.to_owned()),
            Auth::Basic { .. } => Some(format!("Basic {REDACTED}")),
            Auth::None => None,
        }
    }

    /// Every string that must never appear in a transcript, a message or a log.
    pub(crate) fn secrets(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self {
            Auth::Bearer(t) | Auth::Header(t) => out.push(t.clone()),
            Auth::Basic { user, password } => {
                out.push(password.clone());
                if let Some(h) = self.header_value() {
                    out.push(h.trim_start_matches("Basic ").to_owned());
                }
                let _ = user; // the user name is not a secret
            }
            Auth::None => {}
        }
        out.retain(|s| !s.is_empty());
        out
    }
}

/// Never prints the secret, so a `{:?}` in a log or panic cannot leak it.
impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Bearer(_) => write!(f, "Bearer(<redacted>)"),
            Auth::Header(_) => write!(f, "Header(<redacted>)"),
            Auth::Basic { user, .. } => {
                write!(f, "Basic {{ user: {user:?}, password: <redacted> }}")
            }
            Auth::None => write!(f, "None"),
        }
    }
}

/// The auth mode and the personality are the contract's words (scenarios and the command
/// line name them too).
pub use crate::contract::{App, AuthMode};

/// The settings only Entra's personalities read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntraSettings {
    /// The matching attributes in precedence order (E7); default `[userName]`.
    pub matching: Vec<MatchAttr>,
    /// What unassigning sends (the sources conflict; default disable).
    pub unassign: UnassignMode,
    /// On-demand provisioning (E6): always the legacy dialect, a group of at most 5 members.
    pub on_demand: bool,
}

impl Default for EntraSettings {
    fn default() -> Self {
        EntraSettings {
            matching: vec![MatchAttr::UserName],
            unassign: UnassignMode::Disable,
            on_demand: false,
        }
    }
}

/// 429 handling. Each 429 records what Okta would do (its schedule: `Retry-After` in integer
/// seconds, else 5 minutes doubling, 10 tries; reference §10.8), then the client waits Okta's
/// wait cut to `max_wait` and sends the request again, at most `max_tries` times in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Sends of one request in all, the first included (Okta: 10). At least 1.
    pub max_tries: u32,
    /// The longest real wait before a retry; Okta's longer one is reported, not waited (a
    /// suite stays fast, and a throttling server cannot park the run).
    pub max_wait: Duration,
}

/// The real wait before retrying a 429 unless told otherwise (`run --retry-wait`): short
/// enough that the built-in suite's throttling scenarios cost milliseconds.
pub const DEFAULT_RETRY_WAIT: Duration = Duration::from_millis(100);

impl Default for RetryPolicy {
    /// Okta's 10 tries, at most [`DEFAULT_RETRY_WAIT`] apart.
    fn default() -> Self {
        Self {
            max_tries: super::http::OKTA_MAX_TRIES,
            max_wait: DEFAULT_RETRY_WAIT,
        }
    }
}
