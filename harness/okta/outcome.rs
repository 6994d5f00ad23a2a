//! What an Okta action came to: its kind, its outcome as Okta records it, and the errors that keep it from running.

use super::{AppGroup, Exchange, ImportedUser, Response};
use std::fmt;

use serde::Serialize;
use serde_json::Value;

/// A misuse of the client (not a server failure: those are `ActionOutcome { ok: false }`).
#[derive(Debug, thiserror::Error, Clone, PartialEq, Eq)]
pub enum OktaError {
    #[error("invalid SCIM base URL {url:?}: {reason}")]
    BaseUrl { url: String, reason: String },
    #[error("cannot build the HTTP client: {0}")]
    Http(String),
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
    SyncPassword,
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
            ActionKind::SyncPassword => "sync_password",
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
