//! The OIN catalog template app (okta-client.md "Personalities"): PATCH for activation,
//! deactivation and every group change; profile pushes are `GET` + `PUT`.

use serde_json::{Value, json};

use super::config::AfterCreate;
use super::directory::PersonProfile;
use super::personality::{
    Attrs, GroupCall, GroupView, GroupWrite, Link, Membership, Personality, UserWrite, batches,
    patch,
};

pub(crate) struct Oin;

/// The path-less (de)activation PATCH (reference §3.5, §3.6, §9.1).
fn active_patch(active: bool) -> Value {
    patch(vec![json!({"op": "replace", "value": {"active": active}})])
}

/// The rename PATCH: `id` inside `value`, sent after every membership change too (§4.2).
fn rename(group: &GroupView<'_>) -> GroupWrite {
    GroupWrite::Patch {
        call: GroupCall::Rename,
        body: patch(vec![
            json!({"op": "replace", "value": {"id": group.id, "displayName": group.name}}),
        ]),
    }
}

impl Personality for Oin {
    /// The template app maps `locale` with the default `en-US` (reference §10.10, S18).
    fn mapped(&self, mut profile: PersonProfile) -> PersonProfile {
        if profile.locale.is_none() {
            profile.locale = Some("en-US".to_owned());
        }
        profile
    }

    /// UNCERTAIN (no OIN capture, reference §10.6): Okta's doc says it "sends the user's
    /// application profile" after a match; sent as AIW's observed GET + PUT with the profile
    /// and `active: true`.
    fn link_user(&self, _hit: &Value, _profile: &PersonProfile) -> Link {
        Link {
            write: Some(UserWrite::GetPut {
                attrs: Attrs::Every,
                active: Some(true),
            }),
            writes_profile: true,
        }
    }

    fn deprovision(&self, _unassign: bool) -> UserWrite {
        UserWrite::Patch(active_patch(false))
    }

    fn reactivate_known(&self) -> Option<UserWrite> {
        Some(UserWrite::Patch(active_patch(true)))
    }

    fn membership_change(&self, group: &GroupView<'_>, change: Membership) -> Vec<GroupWrite> {
        membership(group, change.okta_ops())
    }

    /// S18 (Okta's own capture): `PATCH add members` with the members the POST carried; or,
    /// as a setting, S20's rename first. Nothing is added to an empty group.
    fn after_group_create(&self, group: &GroupView<'_>) -> Vec<GroupWrite> {
        let mut out = Vec::new();
        if group.push.after_create == AfterCreate::RenameThenMembers {
            out.push(rename(group));
        }
        if !group.members.is_empty() {
            let ops = vec![json!({"op": "add", "path": "members", "value": group.members})];
            out.extend(membership_patches(group, ops));
        }
        out
    }

    fn link_group(&self, group: &GroupView<'_>) -> Vec<GroupWrite> {
        let ops = vec![json!({"op": "replace", "path": "members", "value": group.members})];
        membership(group, ops)
    }

    fn rename_group(&self, group: &GroupView<'_>) -> Vec<GroupWrite> {
        vec![rename(group)]
    }

    /// UNCERTAIN (documented, not captured, reference §3.7): a path-less PATCH.
    fn sync_password(&self, password: &str) -> Option<UserWrite> {
        Some(UserWrite::Patch(patch(vec![
            json!({"op": "replace", "value": {"password": password}}),
        ])))
    }

    fn push_now(&self, group: &GroupView<'_>) -> Vec<GroupWrite> {
        let ops = vec![json!({"op": "replace", "path": "members", "value": group.members})];
        batches(ops, group.push.batch_size)
            .into_iter()
            .map(|ops| GroupWrite::Patch {
                call: GroupCall::PushNow,
                body: patch(ops),
            })
            .collect()
    }
}

/// A membership change of `ops` (in batches), the GET when set, then the rename PATCH Okta
/// sends after every one (§4.2).
fn membership(group: &GroupView<'_>, ops: Vec<Value>) -> Vec<GroupWrite> {
    let mut out = membership_patches(group, ops);
    if group.push.get_before_rename {
        out.push(GroupWrite::Get);
    }
    out.push(rename(group));
    out
}

/// The membership PATCHes of `ops`, at most the batch size of member values each.
fn membership_patches(group: &GroupView<'_>, ops: Vec<Value>) -> Vec<GroupWrite> {
    batches(ops, group.push.batch_size)
        .into_iter()
        .map(|ops| GroupWrite::Patch {
            call: GroupCall::Membership,
            body: patch(ops),
        })
        .collect()
}
