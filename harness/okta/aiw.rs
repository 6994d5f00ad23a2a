//! The App Integration Wizard custom app (okta-client.md "Personalities"): every user and
//! group change is a `GET` then a `PUT` of the whole resource; it never PATCHes (§9.8).

use serde_json::Value;

use super::directory::PersonProfile;
use super::personality::{Attrs, GroupView, GroupWrite, Link, Membership, Personality, UserWrite};

pub(crate) struct Aiw;

impl Personality for Aiw {
    fn link_user(&self, _hit: &Value, _profile: &PersonProfile) -> Link {
        Link {
            write: Some(UserWrite::LinkPut),
            writes_profile: true,
        }
    }

    fn sync_password(&self, password: &str) -> Option<UserWrite> {
        Some(UserWrite::PasswordPut(password.to_owned()))
    }

    fn deprovision(&self, _unassign: bool) -> UserWrite {
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

    fn membership_change(&self, _group: &GroupView<'_>, _change: Membership) -> Vec<GroupWrite> {
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
