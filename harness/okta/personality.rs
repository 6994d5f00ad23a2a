//! The `Personality` seam: everything that differs between kinds of app integration (OIN
//! template, AIW custom app, and any other IdP client added later) lives behind this trait,
//! one implementation per module (`oin.rs`, `aiw.rs`).
//!
//! A personality does not talk HTTP. It answers "which requests does this client send for
//! this step?" with a plan ([`UserWrite`], [`GroupWrite`]); `actions.rs` sends the plan,
//! records it, and keeps Okta's state. So adding a personality is one module plus one arm in
//! [`App::personality`], and the engine's order, failure handling and bookkeeping stay shared.

use serde_json::{Value, json};

use super::config::{App, GroupPush};
use super::directory::{PATCH_URN, PersonProfile};

/// Which of Okta's attributes a user `GET` + `PUT` writes over the `GET` body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attrs {
    /// Every mapped attribute (Okta has never pushed this profile, e.g. on a link).
    Every,
    /// Those changed since Okta's last successful push (a profile push).
    SinceLastPush,
    /// None: only `active` (and nothing else) changes.
    Nothing,
}

/// How a client writes one app user whose server id it knows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum UserWrite {
    /// `PATCH /Users/{id}` with this body.
    Patch(Value),
    /// `GET /Users/{id}` (a 404 stops), then `PUT` of that body with `attrs` written over it
    /// and, when given, `active`.
    GetPut { attrs: Attrs, active: Option<bool> },
    /// The `GetPut` of a link on a lookup hit (reference §10.5, S14): every mapped attribute,
    /// `active: true`, and `externalId` = the Okta id over the server's, `groups: []` and
    /// `locale` (the profile's, else `en-US`).
    LinkPut,
    /// The `GetPut` of a password sync: the GET body with `password` set to this.
    PasswordPut(String),
}

/// What a group PATCH is for: it picks the words of the error Okta shows, and the first
/// `Membership` PATCH of an action is its main exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupCall {
    Membership,
    Rename,
    PushNow,
}

/// One request (or read-modify-write) on a pushed group.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum GroupWrite {
    /// `PATCH /Groups/{id}` with this body.
    Patch { call: GroupCall, body: Value },
    /// `GET /Groups/{id}` (a 404 stops), then `PUT {schemas, id, displayName, members}`.
    GetPut,
    /// `GET /Groups/{id}` alone (a 404 stops).
    Get,
}

/// What a personality sees of a pushed group.
#[derive(Debug, Clone)]
pub(crate) struct GroupView<'a> {
    /// The server's id of the group.
    pub id: &'a str,
    /// The name in Okta.
    pub name: &'a str,
    /// `{value, display}` of every member Okta pushes (assigned, provisioned, active).
    pub members: &'a [Value],
    /// The app's Group Push settings.
    pub push: &'a GroupPush,
}

/// `ops` cut into PATCH bodies of at most `size` member values each (Okta's "Group Patch
/// Batch Size", reference §10.3). A `remove` counts one; an `add` or `replace` is split
/// across bodies, and the parts of a `replace` after the first become `add`s (UNCERTAIN: how
/// Okta splits a full push is not captured; this keeps the end state the replace's).
pub(crate) fn batches(ops: Vec<Value>, size: usize) -> Vec<Vec<Value>> {
    let size = size.max(1);
    let mut out: Vec<Vec<Value>> = Vec::new();
    let mut current: Vec<Value> = Vec::new();
    let mut used = 0;
    let mut flush = |current: &mut Vec<Value>, used: &mut usize| {
        if !current.is_empty() {
            out.push(std::mem::take(current));
        }
        *used = 0;
    };
    for op in ops {
        let values = op.get("value").and_then(Value::as_array).cloned();
        let Some(values) = values.filter(|v| !v.is_empty()) else {
            // A remove (or an empty replace: `value: []` clears the group).
            if used + 1 > size {
                flush(&mut current, &mut used);
            }
            current.push(op);
            used += 1;
            continue;
        };
        let mut kind = op
            .get("op")
            .and_then(Value::as_str)
            .unwrap_or("add")
            .to_owned();
        let path = op.get("path").cloned();
        let mut rest = values.as_slice();
        while !rest.is_empty() {
            if used == size {
                flush(&mut current, &mut used);
            }
            let take = (size - used).min(rest.len());
            let (part, tail) = rest.split_at(take);
            // Okta's key order: op, path, value.
            current.push(match &path {
                Some(p) => json!({"op": kind, "path": p, "value": part}),
                None => json!({"op": kind, "value": part}),
            });
            used += take;
            rest = tail;
            kind = "add".to_owned();
        }
    }
    flush(&mut current, &mut used);
    out
}

/// The differences between kinds of app integration, one method per decision. Each returns
/// the requests to send, in order.
pub(crate) trait Personality: Sync {
    /// The profile as this app's attribute mappings send it (defaults filled in).
    fn mapped(&self, profile: PersonProfile) -> PersonProfile {
        profile
    }

    /// A lookup found the user: how Okta links to it.
    fn link_user(&self) -> UserWrite;

    /// A profile push of a provisioned, active app user.
    fn update_user(&self) -> UserWrite {
        UserWrite::GetPut {
            attrs: Attrs::SinceLastPush,
            active: None,
        }
    }

    /// Unassign or deactivate: how the app user is deprovisioned.
    fn deprovision(&self) -> UserWrite;

    /// Reactivate or reassign when Okta knows the server id: `Some` write is sent to that id
    /// (a 404 falls back to the lookup-and-create sequence); `None` goes straight to it.
    fn reactivate_known(&self) -> Option<UserWrite>;

    /// A membership change: `ops` are the PATCH operations of an incremental change (`add`
    /// with `value`, `remove` with a `members[value eq …]` path).
    fn membership_change(&self, group: &GroupView<'_>, ops: Vec<Value>) -> Vec<GroupWrite>;

    /// After `POST /Groups` created the group.
    fn after_group_create(&self, group: &GroupView<'_>) -> Vec<GroupWrite>;

    /// `push_group` found a group of the same name: link to it and push the members.
    fn link_group(&self, group: &GroupView<'_>) -> Vec<GroupWrite>;

    /// The Okta group was renamed.
    fn rename_group(&self, group: &GroupView<'_>) -> Vec<GroupWrite>;

    /// "Push now": the whole membership.
    fn push_now(&self, group: &GroupView<'_>) -> Vec<GroupWrite>;

    /// "Sync Password" (reference §3.7): sends `password` to the app user.
    fn sync_password(&self, password: &str) -> UserWrite;
}

impl App {
    /// The one place an `App` becomes behaviour.
    pub(crate) fn personality(self) -> &'static dyn Personality {
        match self {
            App::Oin => &super::oin::Oin,
            App::Aiw => &super::aiw::Aiw,
        }
    }
}

/// A SCIM PatchOp body.
pub(crate) fn patch(ops: Vec<Value>) -> Value {
    json!({"schemas": [PATCH_URN], "Operations": ops})
}
