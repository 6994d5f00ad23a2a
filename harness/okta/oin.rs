//! The OIN catalog template app (okta-client.md "Personalities"): PATCH for activation,
//! deactivation and every group change; profile pushes are `GET` + `PUT`.

use serde_json::{Value, json};

use super::directory::PersonProfile;
use super::personality::{
    GroupCall, GroupView, GroupWrite, Link, Membership, Personality, UserWrite, patch,
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

/// A membership PATCH of `ops`, then the rename PATCH Okta sends after every one (§4.2).
fn membership(group: &GroupView<'_>, ops: Vec<Value>) -> Vec<GroupWrite> {
    vec![
        GroupWrite::Patch {
            call: GroupCall::Membership,
            body: patch(ops),
        },
        rename(group),
    ]
}

impl Personality for Oin {
    fn link_user(&self, _hit: &Value, _profile: &PersonProfile) -> Link {
        // The profile waits for the next push, which then writes every attribute.
        Link {
            write: Some(UserWrite::Patch(active_patch(true))),
            writes_profile: false,
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

    fn after_group_create(&self, _group: &GroupView<'_>) -> Vec<GroupWrite> {
        Vec::new()
    }

    fn link_group(&self, group: &GroupView<'_>) -> Vec<GroupWrite> {
        let ops = vec![json!({"op": "replace", "path": "members", "value": group.members})];
        membership(group, ops)
    }

    fn rename_group(&self, group: &GroupView<'_>) -> Vec<GroupWrite> {
        vec![rename(group)]
    }

    fn push_now(&self, group: &GroupView<'_>) -> Vec<GroupWrite> {
        vec![GroupWrite::Patch {
            call: GroupCall::PushNow,
            body: patch(vec![
                json!({"op": "replace", "path": "members", "value": group.members}),
            ]),
        }]
    }
}
