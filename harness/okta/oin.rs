//! The OIN catalog template app (okta-client.md "Personalities"): PATCH for activation,
//! deactivation and every group change; profile pushes are `GET` + `PUT`.

use serde_json::{Value, json};

use super::personality::{GroupCall, GroupView, GroupWrite, Personality, UserWrite, patch};

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
    fn link_user(&self) -> UserWrite {
        UserWrite::Patch(active_patch(true))
    }

    fn deprovision(&self) -> UserWrite {
        UserWrite::Patch(active_patch(false))
    }

    fn reactivate_known(&self) -> Option<UserWrite> {
        Some(UserWrite::Patch(active_patch(true)))
    }

    fn membership_change(&self, group: &GroupView<'_>, ops: Vec<Value>) -> Vec<GroupWrite> {
        vec![
            GroupWrite::Patch {
                call: GroupCall::Membership,
                body: patch(ops),
            },
            rename(group),
        ]
    }

    fn after_group_create(&self, _group: &GroupView<'_>) -> Vec<GroupWrite> {
        Vec::new()
    }

    fn link_group(&self, group: &GroupView<'_>) -> Vec<GroupWrite> {
        let ops = vec![json!({"op": "replace", "path": "members", "value": group.members})];
        self.membership_change(group, ops)
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
