//! Microsoft Entra ID behind the client's `Personality` seam: which requests its
//! provisioning service sends for each step, in either dialect (reference rows cited).
//!
//! Entra is a sync engine: it matches by its matching attributes (in precedence order),
//! creates on no match, otherwise updates the match with what differs, caches the id, and
//! never reads membership back. How it maps onto the client's actions:
//!
//! | action | Entra sends |
//! |---|---|
//! | `test_credentials` | `GET /Users?filter=<first matching attr> eq "<random GUID>"`, 200 + empty list (row 3) |
//! | `assign_user` | one lookup per matching attribute until a hit (row 6); no hit: `POST /Users` (row 7); a hit: a PATCH of what differs from it, nothing when nothing does |
//! | `update_user` | a PATCH of the changed attributes in the dialect's shape (rows 8, 9); then a manager change (row 13) |
//! | `unassign_user` | disable (row 10), or `DELETE` with `unassign: delete` (§1.2's conflict) |
//! | `deactivate_user` | disable: a soft delete or blocked sign-in in Entra (row 10) |
//! | `reactivate_user`, `reassign_user` | `PATCH active` true on the cached id (row 11), sent even when it is already true (row 12's re-sends); a 404 stands (quarantine, E4) |
//! | `push_group` | `GET /Groups?excludedAttributes=members&filter=displayName eq` (row 15); `POST /Groups` without members (row 16), then `Add members` (row 18) |
//! | `add_members` / `remove_members` | `Add members` / removal in the dialect's shape (rows 18, 19) |
//! | `rename_group` | `Replace displayName` (row 21) |
//! | `push_now` | `GET /Groups/{id}?excludedAttributes=members` (row 17), then `Add members` of every member (an idempotent re-send) |
//! | `unlink_group` (delete) | `DELETE /Groups/{id}` (row 22) |
//! | `import_users`, `refresh_app_groups` | nothing: Entra does not read the app's lists |

use serde_json::Value;

use super::dialect::{self, Dialect, ManagerChange, create_group_body, create_user_body, patch};
use super::fate::Fate;
use super::ids::{entra_group_id_in, entra_user_id_in, probe_guid};
use super::{MatchAttr, UnassignMode};
use crate::contract::{EntraRule, RuleId};
use crate::okta::config::EntraSettings;
use crate::okta::directory::PersonProfile;
use crate::okta::http::encode;
use crate::okta::personality::{
    GroupCall, GroupView, GroupWrite, Link, ManagerWrite, Membership, Personality, Probe, UserWrite,
};

/// Entra's headers: undocumented (row 2). `ADSCIMVersion: 5.0` is from a 2019 capture (I4,
/// thin); `Accept` and the `Content-Type` of a body are `application/scim+json` (ours: what
/// E1 asks of the server's answers); `Accept-Encoding` is what this client decodes (ours).
/// No `User-Agent` is known, so none is sent.
pub const ENTRA_HEADERS: &[(&str, &str)] = &[
    ("Accept", "application/scim+json"),
    ("Accept-Encoding", "gzip,deflate"),
    ("ADSCIMVersion", "5.0"),
];
pub const ENTRA_CONTENT_TYPE: &str = "application/scim+json";

/// Entra's provisioning service in one dialect, with its settings.
#[derive(Debug, Clone)]
pub(crate) struct Entra {
    dialect: Dialect,
    settings: EntraSettings,
    /// The tenant URL (for a manager's `$ref`).
    base_url: String,
    /// The client's id seed (`OktaConfig::id_seed`): the object ids and probes derive from it.
    seed: String,
}

impl Entra {
    pub(crate) fn new(
        dialect: Dialect,
        settings: EntraSettings,
        base_url: String,
        seed: String,
    ) -> Self {
        Entra {
            dialect,
            settings,
            base_url: base_url.trim_end_matches('/').to_owned(),
            seed,
        }
    }

    fn matching(&self) -> &[MatchAttr] {
        if self.settings.matching.is_empty() {
            &[MatchAttr::UserName]
        } else {
            &self.settings.matching
        }
    }

    fn add_members(&self, ids: Vec<String>) -> GroupWrite {
        GroupWrite::Patch {
            call: GroupCall::Membership,
            body: patch(vec![self.dialect.add_members_op(&ids)]),
        }
    }
}

/// Entra's filter query: `filter=<attr> eq "<value>"`, encoded; no paging parameters.
fn filter_query(attr: &str, value: &str) -> String {
    encode(&format!("{attr} eq \"{value}\""))
}

/// The server ids of `{value, display}` member objects.
fn ids_of(members: &[Value]) -> Vec<String> {
    members
        .iter()
        .filter_map(|m| m.get("value").and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

impl Personality for Entra {
    fn idp(&self) -> &'static str {
        "Entra"
    }

    /// Entra disables users and deletes groups (its own catalogue row).
    fn deprovision_rule(&self) -> RuleId {
        RuleId::Entra(EntraRule::Deprovision)
    }

    fn headers(&self) -> (&'static [(&'static str, &'static str)], &'static str) {
        (ENTRA_HEADERS, ENTRA_CONTENT_TYPE)
    }

    fn retries_429(&self) -> bool {
        // Whether Entra honours Retry-After is not documented (row 25): the object is
        // retried on a later cycle instead (see `Fate::RetryNextCycle`).
        false
    }

    fn test_connection(&self, _push_groups: bool, attempt: u32) -> Vec<Probe> {
        let attr = self.matching()[0].filter(&PersonProfile::default(), "").0;
        let probe = probe_guid(&self.seed, attempt);
        vec![Probe {
            path: format!("/Users?filter={}", filter_query(attr, &probe)),
            what: "users",
            must_be_empty: true,
        }]
    }

    fn user_lookups(&self, profile: &PersonProfile, external_id: &str) -> Vec<String> {
        self.matching()
            .iter()
            .map(|m| {
                let (attr, value) = m.filter(profile, external_id);
                format!("/Users?filter={}", filter_query(attr, &value))
            })
            .collect()
    }

    fn several_matches_fail(&self) -> bool {
        true
    }

    fn user_external_id(&self, key: &str, _okta_id: &str) -> String {
        entra_user_id_in(&self.seed, key)
    }

    fn create_user_body(
        &self,
        profile: &PersonProfile,
        external_id: &str,
        _password: &str,
        // The manager follows as its own PATCH (row 13).
        _manager_id: &dyn Fn(&str) -> Option<String>,
    ) -> Value {
        create_user_body(profile, external_id)
    }

    fn sends_password(&self) -> bool {
        false
    }

    fn link_user(&self, hit: &Value, profile: &PersonProfile) -> Link {
        // Entra updates the match with what differs from it (E3), enabling it if need be.
        let mut ops = self
            .dialect
            .user_update_ops(&dialect::profile_of(hit), profile);
        let disabled = match hit.get("active") {
            Some(Value::Bool(b)) => !b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("false"),
            _ => false,
        };
        if disabled {
            ops.push(self.dialect.active_op(true));
        }
        Link {
            write: (!ops.is_empty()).then(|| UserWrite::Patch(patch(ops))),
            writes_profile: true,
        }
    }

    fn update_user(
        &self,
        pushed: Option<&PersonProfile>,
        profile: &PersonProfile,
    ) -> Option<UserWrite> {
        let before = pushed.cloned().unwrap_or_default();
        let ops = self.dialect.user_update_ops(&before, profile);
        (!ops.is_empty()).then(|| UserWrite::Patch(patch(ops)))
    }

    fn manager_change(
        &self,
        user_id: &str,
        current: Option<&str>,
        wanted: Option<&str>,
    ) -> Option<ManagerWrite> {
        let change = match (current, wanted) {
            (None, Some(id)) => ManagerChange::Set(id),
            (Some(_), Some(id)) => ManagerChange::Change(id),
            (Some(_), None) => ManagerChange::Remove,
            (None, None) => return None,
        };
        // Entra reads the current manager first (row 13; E1's sample query, with the values
        // quoted as RFC 7644 writes them - ours); a hit means it is already so.
        let check = wanted.map(|mgr| {
            let filter = encode(&format!("id eq \"{user_id}\" and manager eq \"{mgr}\""));
            format!("/Users?filter={filter}&attributes=id")
        });
        Some(ManagerWrite {
            check,
            patch: patch(vec![self.dialect.manager_op(change, &self.base_url)]),
        })
    }

    fn deprovision(&self, unassign: bool) -> UserWrite {
        if unassign && self.settings.unassign == UnassignMode::Delete {
            UserWrite::Delete
        } else {
            UserWrite::Patch(patch(vec![self.dialect.active_op(false)]))
        }
    }

    fn reactivate_known(&self) -> Option<UserWrite> {
        Some(UserWrite::Patch(patch(vec![self.dialect.active_op(true)])))
    }

    fn recreates_on_404(&self) -> bool {
        false
    }

    fn failure_note(&self, status: Option<u16>, by_id: bool, reference: bool) -> Option<String> {
        Some(Fate::of(status, by_id, reference).to_string())
    }

    fn group_lookup(&self, name: &str) -> String {
        format!(
            "/Groups?excludedAttributes=members&filter={}",
            filter_query("displayName", name)
        )
    }

    fn excludes_members(&self) -> bool {
        true
    }

    fn group_external_id(&self, key: &str) -> Option<String> {
        Some(entra_group_id_in(&self.seed, key))
    }

    fn create_group_body(&self, name: &str, external_id: Option<&str>, _: &[Value]) -> Value {
        create_group_body(name, external_id.unwrap_or_default())
    }

    fn group_size_limit(&self) -> Option<usize> {
        // On-demand provisioning takes one group of at most 5 members (E6, row 23).
        self.settings.on_demand.then_some(5)
    }

    fn reads_app_lists(&self) -> bool {
        false
    }

    fn membership_change(&self, _group: &GroupView<'_>, change: Membership) -> Vec<GroupWrite> {
        match change {
            Membership::Add(values) => vec![self.add_members(ids_of(&values))],
            Membership::Remove(ids) => vec![GroupWrite::Patch {
                call: GroupCall::Membership,
                body: patch(self.dialect.remove_members_ops(&ids)),
            }],
        }
    }

    fn after_group_create(&self, group: &GroupView<'_>) -> Vec<GroupWrite> {
        if group.members.is_empty() {
            Vec::new()
        } else {
            vec![self.add_members(ids_of(group.members))]
        }
    }

    fn link_group(&self, group: &GroupView<'_>) -> Vec<GroupWrite> {
        // No read-back of membership (row 15, I12): Entra adds whom it has.
        self.after_group_create(group)
    }

    fn rename_group(&self, group: &GroupView<'_>) -> Vec<GroupWrite> {
        vec![GroupWrite::Patch {
            call: GroupCall::Rename,
            body: patch(vec![self.dialect.rename_op(group.name)]),
        }]
    }

    fn sync_password(&self, _password: &str) -> Option<UserWrite> {
        // Entra provisions no password (row 7's create carries none).
        None
    }

    fn push_now(&self, group: &GroupView<'_>) -> Vec<GroupWrite> {
        let mut out = vec![GroupWrite::Read {
            query: "?excludedAttributes=members",
        }];
        out.extend(self.after_group_create(group));
        out
    }
}
