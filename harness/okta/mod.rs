//! The simulated Okta client: Okta's own state (people, assignments, server ids, pushed
//! groups, the app-group cache) and every provisioning action of `okta-client.md`, sent the
//! way Okta sends it (headers, bodies, order, quirks) in either personality (`oin`, `aiw`).
//!
//! ```no_run
//! # async fn demo() -> Result<(), zinc_harness::okta::OktaError> {
//! use zinc_harness::okta::{Auth, OktaClient, OktaConfig, PersonProfile};
//! let okta = OktaClient::new(OktaConfig::new("http://127.0.0.1:8080/scim/v2", Auth::Bearer("t".into())))?;
//! okta.add_person("alice", PersonProfile::new("Alice", "Smith", "alice@example.com"))?;
//! let outcome = okta.assign_user("alice").await?;
//! assert!(outcome.ok, "{:?}", outcome.message);
//! # Ok(()) }
//! ```
//!
//! Two kinds of failure are kept apart: what the server did (a 4xx, a timeout, a non-JSON
//! body) is an [`ActionOutcome`] with `ok: false` and the message Okta would show; a misuse
//! of the client (an unknown person key, Group Push off) is an [`OktaError`].
//!
//! # Choices where okta-client-reference.md is silent or UNCERTAIN
//!
//! - **Link on a lookup hit**: `oin` sends `PATCH active:true` (okta-client.md), `aiw`
//!   `GET` + `PUT` writing every mapped attribute and `active:true`. Several hits: the first.
//!   A lookup answered 404 counts as "no match" (Okta's docs accept it), so a `POST` follows.
//! - **Create body**: `schemas`, `userName`, `name`, `emails[{primary,value,type:"work"}]`,
//!   `displayName` (`first last`), `title`/`locale` when set, `department` under the
//!   enterprise URN when set, `externalId` (Okta id), `groups: []`, `password`, `active:true`.
//!   Empty attributes are left out.
//! - **Profile push diff**: the `PUT` is the `GET` body with the attributes that changed
//!   since Okta's last successful push written over it (Okta "diffs against its own copy");
//!   when Okta never pushed the profile (an `oin` link), every mapped attribute is written.
//!   A cleared attribute is removed from the body.
//! - **Success** is any 2xx (Okta expects 201 for `POST`, 204 for `DELETE`, 200/204 for
//!   `PATCH`, and accepts 200 for all of them here).
//! - **`aiw` deprovisioning** `PUT`s the `GET` body with only `active:false` changed (pending
//!   profile edits wait for the next profile push, so they cannot block a deprovision).
//! - **Deactivation** of an Okta user also removes its app assignment (as Okta logs it);
//!   `reactivate_user` and `reassign_user` both end with the person active and assigned and
//!   send the same requests. Deprovisioning never touches groups (reference §9.17).
//! - **Groups after provisioning**: when an assignment or reactivation makes a user an
//!   active app user, each pushed group they belong to gets them added (`oin`: add PATCH +
//!   rename PATCH; `aiw`: `GET` + `PUT`), after the user's own requests. The outcome's
//!   `primary` exchange stays the user's.
//! - **Group link** (`push_group` finding a same-named group): `oin` replace-members PATCH
//!   then the rename PATCH; `aiw` `GET` + `PUT`. `aiw` create is `POST` then `GET` + `PUT`
//!   (observed). `push_now` in `oin` is the replace PATCH alone.
//! - **Unlink** drops Okta's link even when the `DELETE` fails (the delete is its own job).
//! - **429**: at most `max_tries` sends; the wait is `Retry-After` (seconds or HTTP date)
//!   capped at `max_wait`, 1 s (capped) when the header is missing. No other status is
//!   retried automatically (none observed).
//! - **Timeout** bounds each whole exchange (and the connect). Redirects are not followed:
//!   a 3xx fails the action with its status and where it pointed. A response body is read
//!   up to 4 MiB (`MAX_BODY`); a bigger one fails the request instead of filling memory.
//! - **Headers**: Okta's six, recorded in the order `User-Agent`, `Accept`,
//!   `Accept-Charset`, `Accept-Encoding`, `Content-Type` (with a body), `Authorization`.
//!   `Connection` is not set (samples disagree); `Host`/`Content-Length` come from the HTTP
//!   stack and are not recorded. gzip/deflate answers are decoded by `Content-Encoding`.
//! - **Messages**: `<context>: <reason phrase>. Errors reported by remote server: <detail>`,
//!   `detail` being SCIM 2.0 `detail` or SCIM 1.1 `Errors[].description`; a body that is
//!   not JSON gives Jackson's text (`Invalid JSON: Unrecognized token 'error': … column: 6`).
//!   List counters that are not JSON numbers fail the listing (reference §9.14).
//! - **Ids and passwords**: Okta ids are `00u`/`00g` + 17 alphanumerics and the placeholder
//!   password 8 characters, all from a stable hash of the key and the client's `id_seed` (and
//!   the create count), so snapshots are reproducible; the runner seeds with the run id and
//!   the scenario, so ids are unique per run, scenario and person, as Okta's are. Filters encode everything but RFC 3986 unreserved
//!   characters (`%20`, `%22`, `%40`), as Okta's current docs show.

mod actions;
mod aiw;
mod client;
mod config;
mod directory;
mod http;
mod oin;
mod personality;
mod raw;
pub mod transcript;

use std::fmt;

use serde::Serialize;
use serde_json::Value;

pub use client::OktaClient;
pub use config::{App, Auth, AuthMode, DEFAULT_TIMEOUT, OktaConfig, Recording, RetryPolicy};
pub use directory::{
    AppGroup, ImportedUser, OktaGroup, Person, PersonProfile, ProfileChanges, PushedGroup,
    okta_group_id, okta_group_id_in, okta_user_id, okta_user_id_in, placeholder_password,
};
pub use http::{ACCEPT, ACCEPT_CHARSET, ACCEPT_ENCODING, CONTENT_TYPE, USER_AGENT};
pub use raw::RawRequest;
pub use transcript::{Body, Exchange, REDACTED, Response};

/// A misuse of the client (not a server failure: those are `ActionOutcome { ok: false }`).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum OktaError {
    #[error("invalid SCIM base URL {url:?}: {reason}")]
    BaseUrl { url: String, reason: String },
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
    #[error("unknown {what} {value:?}: expected {expected}")]
    Parse {
        what: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("no Okta person {0:?}")]
    UnknownPerson(String),
    #[error("no Okta group {0:?}")]
    UnknownGroup(String),
    #[error("Okta person {0:?} exists already")]
    DuplicatePerson(String),
    #[error("Okta group {0:?} exists already")]
    DuplicateGroup(String),
    #[error("Okta has no server id for {0:?}: it was never provisioned")]
    NotProvisioned(String),
    #[error("Okta group {0:?} is not pushed")]
    NotPushed(String),
    #[error("Group Push is not enabled for this app")]
    GroupPushDisabled,
    #[error("invalid HTTP method {0:?}")]
    Method(String),
}

/// The actions of okta-client.md (plus the verification read and raw requests).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    TestCredentials,
    AssignUser,
    UpdateUser,
    DeactivateUser,
    UnassignUser,
    ReactivateUser,
    ReassignUser,
    PushGroup,
    AddMembers,
    RemoveMembers,
    RenameGroup,
    PushNow,
    UnlinkGroup,
    RefreshAppGroups,
    ImportUsers,
    GetUser,
    Raw,
}

impl ActionKind {
    pub fn name(self) -> &'static str {
        match self {
            ActionKind::TestCredentials => "test_credentials",
            ActionKind::AssignUser => "assign_user",
            ActionKind::UpdateUser => "update_user",
            ActionKind::DeactivateUser => "deactivate_user",
            ActionKind::UnassignUser => "unassign_user",
            ActionKind::ReactivateUser => "reactivate_user",
            ActionKind::ReassignUser => "reassign_user",
            ActionKind::PushGroup => "push_group",
            ActionKind::AddMembers => "add_members",
            ActionKind::RemoveMembers => "remove_members",
            ActionKind::RenameGroup => "rename_group",
            ActionKind::PushNow => "push_now",
            ActionKind::UnlinkGroup => "unlink_group",
            ActionKind::RefreshAppGroups => "refresh_app_groups",
            ActionKind::ImportUsers => "import_users",
            ActionKind::GetUser => "get_user",
            ActionKind::Raw => "raw",
        }
    }
}

impl fmt::Display for ActionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What one action came to.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionOutcome {
    pub action: ActionKind,
    /// Would Okta record this action as a success.
    pub ok: bool,
    /// Okta's error text when it failed, e.g. `Error while creating user a@b.c: Conflict.
    /// Errors reported by remote server: userName taken`. Secrets are redacted.
    pub message: Option<String>,
    pub result: ActionResult,
    /// The index in `exchanges` of the action's main exchange: the one whose status a
    /// scenario's `expect: {status}` means. It is the create `POST` (or the link request) of
    /// an assignment, not the group updates that follow it; the membership `PATCH`, not the
    /// rename `PATCH` after it; and the failing exchange when the action failed. `None` when
    /// nothing was sent.
    pub primary: Option<usize>,
    /// Every HTTP exchange, in order, retries included; secrets redacted.
    pub exchanges: Vec<Exchange>,
}

impl ActionOutcome {
    /// The last response that arrived, if any.
    pub fn last_response(&self) -> Option<&Response> {
        self.exchanges
            .iter()
            .rev()
            .find_map(|e| e.response.as_ref())
    }

    /// The main exchange (see `primary`).
    pub fn primary_exchange(&self) -> Option<&Exchange> {
        self.primary.and_then(|i| self.exchanges.get(i))
    }

    /// The status of the main exchange (`None` when nothing was sent or no response came).
    pub fn status(&self) -> Option<u16> {
        self.primary_exchange()
            .and_then(|e| e.response.as_ref())
            .map(|r| r.status)
    }
}

/// What a successful (or partly successful) action learned.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionResult {
    /// Nothing to report.
    None,
    /// Nothing was sent, and why (e.g. deactivating a user Okta never provisioned).
    NothingSent { reason: String },
    /// The user's server id; `created` when this action's POST made it.
    User { server_id: String, created: bool },
    /// The group's server id; `created` when this action's POST made it.
    Group { server_id: String, created: bool },
    /// The app groups listed by "Refresh App Groups" (now Okta's cache).
    AppGroups { groups: Vec<AppGroup> },
    /// Users an import brought in, and how many inactive ones it skipped.
    Imported {
        users: Vec<ImportedUser>,
        skipped_inactive: usize,
    },
    /// A read or raw request: the status and JSON body of the answer (secrets redacted).
    Resource { status: u16, body: Option<Value> },
}
