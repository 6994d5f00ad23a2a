//! The `Personality` seam: everything that differs between kinds of app integration (OIN
//! template, AIW custom app, and any other IdP client added later) lives behind this trait,
//! one implementation per module (`oin.rs`, `aiw.rs`, `entra/`).
//!
//! A personality does not talk HTTP. It answers "which requests does this client send for
//! this step?" with a plan ([`UserWrite`], [`GroupWrite`]); `actions.rs` sends the plan,
//! records it, and keeps Okta's state. So adding a personality is one module plus one arm in
//! [`App::personality`], and the engine's order, failure handling and bookkeeping stay shared.

use serde_json::{Map, Value, json};

use super::config::{App, GroupPush, OktaConfig};
use super::directory::{GROUP_URN, PATCH_URN, PersonProfile, USER_URN};
use super::http::encode;
use crate::contract::{OktaRule, RuleId};

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
    /// `DELETE /Users/{id}`: the client forgets the id (Entra's hard delete, or its unassign
    /// set to delete).
    Delete,
}

/// How a client links to a user its lookup found.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Link {
    /// What it sends (`None`: nothing, the user is already as the client wants it).
    pub write: Option<UserWrite>,
    /// Whether that write pushed the whole profile (the next profile push diffs against it).
    pub writes_profile: bool,
}

/// One read of "Test API Credentials" (Okta) or "Test Connection" (Entra).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Probe {
    /// Path and query below the base URL.
    pub path: String,
    /// What the read lists, for the error message.
    pub what: &'static str,
    /// The answer must be an empty ListResponse (Entra's random-GUID filter).
    pub must_be_empty: bool,
}

/// A membership change, as the client's directory sees it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Membership {
    /// `{value, display}` of each member added.
    Add(Vec<Value>),
    /// The server ids of the members removed.
    Remove(Vec<String>),
}

impl Membership {
    /// Whether the change names no member.
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Membership::Add(values) => values.is_empty(),
            Membership::Remove(ids) => ids.is_empty(),
        }
    }

    /// Okta's incremental PATCH operations for the change: one `add` with every value; one
    /// `remove` per member with a `members[value eq "<id>"]` path and no value.
    pub(crate) fn okta_ops(&self) -> Vec<Value> {
        match self {
            Membership::Add(values) => {
                vec![json!({"op": "add", "path": "members", "value": values})]
            }
            Membership::Remove(ids) => ids
                .iter()
                .map(|id| json!({"op": "remove", "path": format!("members[value eq \"{id}\"]")}))
                .collect(),
        }
    }
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
    /// `GET /Groups/{id}` + this query: a read whose answer must be a group object, without
    /// `members` when the query excludes them (Entra's group read).
    Read { query: &'static str },
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

/// Okta's lookup before a create: `GET /{resource}?filter={attr} eq "{value}"` and its page.
pub(crate) fn okta_filter_path(resource: &str, attr: &str, value: &str) -> String {
    // Okta escapes nothing inside the quoted value but encodes the whole filter.
    let filter = format!("{attr} eq \"{value}\"");
    format!(
        "/{resource}?filter={}&startIndex=1&count=100",
        encode(&filter)
    )
}

/// The differences between kinds of app integration, one method per decision. Each returns
/// the requests to send, in order. The defaults are Okta's (both of its personalities).
pub(crate) trait Personality: Send + Sync {
    /// The identity provider, as a report names it ("as Okta would", "Okta could not do
    /// this").
    fn idp(&self) -> &'static str {
        "Okta"
    }

    /// The rule a failed clean-up cites: the client deprovisions by deleting pushed groups and
    /// deactivating users (Okta), and needs both to work; the catalogue row says where from.
    fn deprovision_rule(&self) -> RuleId {
        RuleId::Okta(OktaRule::Deprovision)
    }

    /// The client's fixed request headers, in the order the transcript shows them, and the
    /// `Content-Type` of a request with a body.
    fn headers(&self) -> (&'static [(&'static str, &'static str)], &'static str) {
        (super::http::OKTA_HEADERS, super::http::CONTENT_TYPE)
    }

    /// Whether a 429 is retried at once, honouring `Retry-After` (Okta). `false`: the
    /// failure stands and is retried on a later cycle (Entra).
    fn retries_429(&self) -> bool {
        true
    }

    /// The reads of the credential test (Okta: `GET /Users?startIndex=1&count=2`, and
    /// `GET /Groups?startIndex=1&count=100` with Group Push on). `attempt` counts the tests
    /// (1, 2, …), for clients whose test filters by a fresh random GUID each time.
    fn test_connection(&self, push_groups: bool, _attempt: u32) -> Vec<Probe> {
        let mut out = vec![Probe {
            path: "/Users?startIndex=1&count=2".into(),
            what: "users",
            must_be_empty: false,
        }];
        if push_groups {
            out.push(Probe {
                path: "/Groups?startIndex=1&count=100".into(),
                what: "groups",
                must_be_empty: false,
            });
        }
        out
    }

    /// The user lookups before a create, tried in order until one finds the user.
    /// `external_id` is what the client sends as `externalId`.
    fn user_lookups(&self, profile: &PersonProfile, _external_id: &str) -> Vec<String> {
        vec![okta_filter_path("Users", "userName", profile.user_name())]
    }

    /// Whether a lookup that finds more than one resource fails the action (Entra's
    /// `DuplicateTargetEntries`); otherwise the first one is taken (Okta).
    fn several_matches_fail(&self) -> bool {
        false
    }

    /// The `externalId` the client gives the person with `key` whose Okta id is `okta_id`.
    fn user_external_id(&self, _key: &str, okta_id: &str) -> String {
        okta_id.to_owned()
    }

    /// The profile as this app's attribute mappings send it (defaults filled in).
    fn mapped(&self, profile: PersonProfile) -> PersonProfile {
        profile
    }

    /// The `POST /Users` body. `password`: Okta's placeholder, for clients that send one
    /// ([`Personality::sends_password`]); `manager_id` gives a person key's server id.
    fn create_user_body(
        &self,
        profile: &PersonProfile,
        external_id: &str,
        password: &str,
        manager_id: &dyn Fn(&str) -> Option<String>,
    ) -> Value {
        okta_create_body(profile, external_id, password, manager_id)
    }

    /// Whether a create carries a placeholder password (Okta does, Entra does not).
    fn sends_password(&self) -> bool {
        true
    }

    /// A lookup found the user (`hit`, the resource the server listed): how to link to it.
    fn link_user(&self, hit: &Value, profile: &PersonProfile) -> Link;

    /// A profile push of a provisioned, active app user; `pushed` is what the client last
    /// pushed. `None`: nothing to send.
    fn update_user(
        &self,
        _pushed: Option<&PersonProfile>,
        _profile: &PersonProfile,
    ) -> Option<UserWrite> {
        Some(UserWrite::GetPut {
            attrs: Attrs::SinceLastPush,
            active: None,
        })
    }

    /// A manager change of the provisioned user `user_id` as its own request (Entra, row 13).
    /// Okta sends none: the manager travels in its create and `PUT` bodies (enterprise
    /// `manager.value`). `current`/`wanted` are the managers' server ids.
    fn manager_change(
        &self,
        _user_id: &str,
        _current: Option<&str>,
        _wanted: Option<&str>,
    ) -> Option<ManagerWrite> {
        None
    }

    /// Unassign (`unassign: true`) or deactivate: how the app user is deprovisioned.
    fn deprovision(&self, unassign: bool) -> UserWrite;

    /// Reactivate or reassign when Okta knows the server id: `Some` write is sent to that id
    /// (a 404 falls back to the lookup-and-create sequence when
    /// [`Personality::recreates_on_404`]); `None` goes straight to it.
    fn reactivate_known(&self) -> Option<UserWrite>;

    /// Whether a 404 on a known id is recovered by a fresh lookup and create (Okta), or
    /// stands as the failure (Entra quarantines the job).
    fn recreates_on_404(&self) -> bool {
        true
    }

    /// What the client would do about a failed request, in words for the action's message
    /// (`by_id`: it named a known id; `reference`: a manager or membership update).
    fn failure_note(&self, _status: Option<u16>, _by_id: bool, _reference: bool) -> Option<String> {
        None
    }

    /// The group lookup before a create.
    fn group_lookup(&self, name: &str) -> String {
        okta_filter_path("Groups", "displayName", name)
    }

    /// Whether a group lookup or read must come back without `members` (it asked so).
    fn excludes_members(&self) -> bool {
        false
    }

    /// The `externalId` of the group with `key`, for clients that send one (Okta: none).
    fn group_external_id(&self, _key: &str) -> Option<String> {
        None
    }

    /// The `POST /Groups` body; `members` are the `{value, display}` of the pushable ones.
    fn create_group_body(
        &self,
        name: &str,
        _external_id: Option<&str>,
        members: &[Value],
    ) -> Value {
        json!({"schemas": [GROUP_URN], "displayName": name, "members": members})
    }

    /// The most members a group push may carry (Entra's on-demand runs: 5, E6).
    fn group_size_limit(&self) -> Option<usize> {
        None
    }

    /// Whether the client reads the app's lists (Okta's import and "Refresh App Groups").
    fn reads_app_lists(&self) -> bool {
        true
    }

    /// A membership change of a pushed group.
    fn membership_change(&self, group: &GroupView<'_>, change: Membership) -> Vec<GroupWrite>;

    /// After `POST /Groups` created the group.
    fn after_group_create(&self, group: &GroupView<'_>) -> Vec<GroupWrite>;

    /// `push_group` found a group of the same name: link to it and push the members.
    fn link_group(&self, group: &GroupView<'_>) -> Vec<GroupWrite>;

    /// The Okta group was renamed.
    fn rename_group(&self, group: &GroupView<'_>) -> Vec<GroupWrite>;

    /// "Push now": the whole membership.
    fn push_now(&self, group: &GroupView<'_>) -> Vec<GroupWrite>;

    /// "Sync Password" (reference §3.7): sends `password` to the app user (`None`: this
    /// client never sends passwords).
    fn sync_password(&self, password: &str) -> Option<UserWrite>;
}

/// A manager update (Entra, reference row 13): an optional check that it is already so,
/// then the PATCH.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ManagerWrite {
    /// `GET` path of the check; a hit means nothing needs sending.
    pub check: Option<String>,
    /// The PATCH body.
    pub patch: Value,
}

impl App {
    /// The one place an `App` becomes behaviour (with the settings a personality reads).
    pub(crate) fn personality(self, config: &OktaConfig) -> Box<dyn Personality> {
        use super::entra::{Dialect, Entra};
        match self {
            App::Oin => Box::new(super::oin::Oin),
            App::Aiw => Box::new(super::aiw::Aiw),
            App::Entra | App::EntraCompliant => {
                // On-demand runs always send the legacy dialect (E2, E6).
                let dialect = if self == App::Entra || config.entra.on_demand {
                    Dialect::Legacy
                } else {
                    Dialect::Compliant
                };
                Box::new(Entra::new(
                    dialect,
                    config.entra.clone(),
                    config.base_url.clone(),
                    config.id_seed.clone(),
                ))
            }
        }
    }
}

/// The body Okta POSTs to create a user (reference §3.2): mapped attributes with a value,
/// `externalId` = the Okta id, `groups: []`, a placeholder `password`, `active: true`.
pub(crate) fn okta_create_body(
    profile: &PersonProfile,
    okta_id: &str,
    password: &str,
    manager_id: &dyn Fn(&str) -> Option<String>,
) -> Value {
    let mut body = Map::new();
    body.insert("schemas".into(), json!([USER_URN]));
    for (attr, value) in profile.attributes(manager_id) {
        if value.is_some() {
            attr.set(&mut body, value.as_ref());
        }
    }
    body.insert("externalId".into(), json!(okta_id));
    body.insert("groups".into(), json!([]));
    body.insert("password".into(), json!(password));
    body.insert("active".into(), json!(true));
    Value::Object(body)
}

/// A SCIM PatchOp body.
pub(crate) fn patch(ops: Vec<Value>) -> Value {
    json!({"schemas": [PATCH_URN], "Operations": ops})
}
