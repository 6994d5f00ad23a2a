//! The App Integration Wizard custom app (okta-client.md "Personalities"): every user and
//! group change is a `GET` then a `PUT` of the whole resource; it never PATCHes (§9.8).

use serde_json::Value;

use super::personality::{Attrs, GroupView, GroupWrite, Personality, UserWrite};

pub(crate) struct Aiw;

impl Personality for Aiw {
    fn link_user(&self) -> UserWrite {
        UserWrite::LinkPut
    }

    fn sync_password(&self, password: &str) -> UserWrite {
        UserWrite::PasswordPut(password.to_owned())
    }

    fn deprovision(&self) -> UserWrite {
        // The whole resource with only `active` changed: pending profile edits wait for the
        // next profile push, so they cannot block a deprovision.
        UserWrite::GetPut {
            attrs: Attrs::Nothing,
            active: Some(false),
        }
    }

    fn reactivate_known(&self) -> Option<UserWrite> {
        // Observed: filter, then a hit is re-activated by GET + PUT (reference §3.6).
        None
    }

    fn membership_change(&self, _group: &GroupView<'_>, _ops: Vec<Value>) -> Vec<GroupWrite> {
        vec![GroupWrite::GetPut]
    }

    fn after_group_create(&self, _group: &GroupView<'_>) -> Vec<GroupWrite> {
        vec![GroupWrite::GetPut]
    }

    fn link_group(&self, _group: &GroupView<'_>) -> Vec<GroupWrite> {
        vec![GroupWrite::GetPut]
    }

    fn rename_group(&self, _group: &GroupView<'_>) -> Vec<GroupWrite> {
        vec![GroupWrite::GetPut]
    }

    fn push_now(&self, _group: &GroupView<'_>) -> Vec<GroupWrite> {
        vec![GroupWrite::GetPut]
    }
}
