//! The Zinc Admin Console and Customer Support actions, in process: [`Admin`]. The same
//! operations are served over HTTP under `/admin/v1` (see [`super::http`]).

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::config::{DeletedGroupPolicy, Provisioning, Rule, Scope};
use super::directory::{Directory, new_token};
use super::store::{Origin, now_ms};

/// Why a console or support action was refused. The message is meant for a person.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsoleError {
    /// Z17: the group is synced from the external directory.
    #[error(
        "cannot {action} group {name:?}: it is synced from your Okta directory (external \
         directory), which is the single source of truth for synced groups. Make the change in \
         Okta, or unlink the group from the external directory first."
    )]
    LinkedGroup { action: &'static str, name: String },
    #[error("no group with id {0}")]
    GroupNotFound(String),
    #[error("no user with id {0}")]
    UserNotFound(String),
    #[error("group {0:?} is not synced from an external directory, so it cannot be unlinked")]
    NotLinked(String),
    #[error("provisioning is disabled: enable it first (a Customer Support action)")]
    ProvisioningDisabled,
    #[error("{0}")]
    Invalid(String),
}

impl ConsoleError {
    /// A short machine-readable code, used by the admin HTTP API.
    pub fn code(&self) -> &'static str {
        match self {
            ConsoleError::LinkedGroup { .. } => "linked_group",
            ConsoleError::GroupNotFound(_) => "group_not_found",
            ConsoleError::UserNotFound(_) => "user_not_found",
            ConsoleError::NotLinked(_) => "not_linked",
            ConsoleError::ProvisioningDisabled => "provisioning_disabled",
            ConsoleError::Invalid(_) => "invalid",
        }
    }
    /// The HTTP status the admin API answers with.
    pub fn status(&self) -> u16 {
        match self {
            ConsoleError::GroupNotFound(_) | ConsoleError::UserNotFound(_) => 404,
            ConsoleError::LinkedGroup { .. }
            | ConsoleError::NotLinked(_)
            | ConsoleError::ProvisioningDisabled => 409,
            ConsoleError::Invalid(_) => 400,
        }
    }
}

/// A user as the console shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleUser {
    pub id: String,
    #[serde(rename = "userName")]
    pub user_name: String,
    #[serde(rename = "displayName")]
    pub display_name: String,
    #[serde(rename = "givenName")]
    pub given_name: String,
    #[serde(rename = "familyName")]
    pub family_name: String,
    #[serde(
        rename = "externalId",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub external_id: Option<String>,
    /// Always true while Z10 holds.
    pub active: bool,
}

/// A member or admin of a group: id and userName.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleMember {
    pub id: String,
    #[serde(rename = "userName")]
    pub user_name: String,
}

/// A group as the console shows it (every origin, Z14).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleGroup {
    pub id: String,
    #[serde(rename = "displayName")]
    pub display_name: String,
    pub origin: Origin,
    /// Managed by Okta (Z17); false for console groups and unlinked synced groups.
    pub linked: bool,
    #[serde(
        rename = "externalId",
        skip_serializing_if = "Option::is_none",
        default
    )]
    pub external_id: Option<String>,
    pub members: Vec<ConsoleMember>,
    pub admins: Vec<ConsoleMember>,
}

/// The instance settings as support sees them. The token itself is not part of it: it is
/// handed out only when issued or rotated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    pub provisioning: Provisioning,
    /// Whether a token exists (it does exactly while provisioning is enabled).
    pub token_issued: bool,
    pub scope: Scope,
    pub deleted_group_policy: DeletedGroupPolicy,
}

/// In-process handle on the Admin Console and the support actions of one mock Zinc.
#[derive(Debug, Clone)]
pub struct Admin {
    pub(crate) dir: Arc<Directory>,
}

fn parse_id(id: &str, err: fn(String) -> ConsoleError) -> Result<Uuid, ConsoleError> {
    Uuid::parse_str(id).map_err(|_| err(id.to_owned()))
}

impl Admin {
    pub(crate) fn new(dir: Arc<Directory>) -> Self {
        Self { dir }
    }

    /// Every user (Z10: deactivated users are not there), in creation order.
    pub fn list_users(&self) -> Vec<ConsoleUser> {
        let state = self.dir.state.read();
        state
            .user_order
            .iter()
            .filter_map(|id| state.users.get(&id).map(|u| Self::user_view(id, u)))
            .collect()
    }

    /// The user with this userName (case-insensitive, Z6), found by index.
    pub fn user_by_name(&self, user_name: &str) -> Option<ConsoleUser> {
        let state = self.dir.state.read();
        let id = *state
            .user_by_name
            .get(&super::store::fold(user_name))
            .first()?;
        state.users.get(&id).map(|u| Self::user_view(id, u))
    }

    fn user_view(id: Uuid, u: &super::store::UserRec) -> ConsoleUser {
        ConsoleUser {
            id: id.to_string(),
            user_name: u.user_name.to_string(),
            display_name: format!("{} {}", u.given.trim(), u.family.trim())
                .trim()
                .to_owned(),
            given_name: u.given.to_string(),
            family_name: u.family.to_string(),
            external_id: u.external_id.as_deref().map(str::to_owned),
            active: u.active,
        }
    }

    /// Every group of every origin, in creation order.
    pub fn list_groups(&self) -> Vec<ConsoleGroup> {
        let state = self.dir.state.read();
        state
            .group_order
            .iter()
            .filter_map(|id| Self::view(&state, id))
            .collect()
    }

    /// One group.
    pub fn group(&self, id: &str) -> Result<ConsoleGroup, ConsoleError> {
        let gid = parse_id(id, ConsoleError::GroupNotFound)?;
        let state = self.dir.state.read();
        Self::view(&state, gid).ok_or_else(|| ConsoleError::GroupNotFound(id.to_owned()))
    }

    fn view(state: &super::directory::State, id: Uuid) -> Option<ConsoleGroup> {
        let g = state.groups.get(&id)?;
        let member = |m: Uuid| {
            state.users.get(&m).map(|u| ConsoleMember {
                id: m.to_string(),
                user_name: u.user_name.to_string(),
            })
        };
        Some(ConsoleGroup {
            id: id.to_string(),
            display_name: g.display_name.to_string(),
            origin: g.origin,
            linked: g.linked,
            external_id: g.external_id.as_deref().map(str::to_owned),
            members: g.members.iter().filter_map(member).collect(),
            admins: g.admins.iter().filter_map(member).collect(),
        })
    }

    /// Creates a console group (Z14 origin `console`; Z15: never visible over SCIM).
    pub fn create_group(&self, display_name: &str) -> Result<ConsoleGroup, ConsoleError> {
        let name = display_name.trim();
        if name.is_empty() {
            return Err(ConsoleError::Invalid("a group needs a name".to_owned()));
        }
        let mut state = self.dir.state.write();
        let visible = !self.dir.on(Rule::Z15);
        // Z14 switched off (test-only): the instance keeps no origin, so a console group is
        // taken for a synced (okta, linked) one.
        let origin = if self.dir.on(Rule::Z14) {
            Origin::Console
        } else {
            Origin::Okta
        };
        let id = Directory::insert_group(&mut state, name, None, origin, visible, &[]);
        Ok(Self::view(&state, id).expect("just created"))
    }

    /// Z17: a linked synced group cannot be edited in the console.
    fn editable(
        &self,
        state: &super::directory::State,
        id: &str,
        action: &'static str,
    ) -> Result<Uuid, ConsoleError> {
        let gid = parse_id(id, ConsoleError::GroupNotFound)?;
        let g = state
            .groups
            .get(&gid)
            .ok_or_else(|| ConsoleError::GroupNotFound(id.to_owned()))?;
        if g.linked && self.dir.on(Rule::Z17) {
            return Err(ConsoleError::LinkedGroup {
                action,
                name: g.display_name.to_string(),
            });
        }
        Ok(gid)
    }

    fn users(state: &super::directory::State, ids: &[&str]) -> Result<Vec<Uuid>, ConsoleError> {
        ids.iter()
            .map(|id| {
                Uuid::parse_str(id)
                    .ok()
                    .filter(|u| state.users.contains_key(u))
                    .ok_or_else(|| ConsoleError::UserNotFound((*id).to_owned()))
            })
            .collect()
    }

    /// Renames a group (Z17 applies).
    pub fn rename_group(&self, id: &str, display_name: &str) -> Result<ConsoleGroup, ConsoleError> {
        let name = display_name.trim();
        if name.is_empty() {
            return Err(ConsoleError::Invalid("a group needs a name".to_owned()));
        }
        let mut state = self.dir.state.write();
        let gid = self.editable(&state, id, "rename")?;
        Directory::rename_group_in(&mut state, gid, name);
        Ok(Self::view(&state, gid).expect("exists"))
    }

    /// Adds members (Z17 applies).
    pub fn add_members(&self, id: &str, user_ids: &[&str]) -> Result<ConsoleGroup, ConsoleError> {
        self.change_members(id, user_ids, true)
    }

    /// Removes members (Z17 applies).
    pub fn remove_members(
        &self,
        id: &str,
        user_ids: &[&str],
    ) -> Result<ConsoleGroup, ConsoleError> {
        self.change_members(id, user_ids, false)
    }

    fn change_members(
        &self,
        id: &str,
        user_ids: &[&str],
        add: bool,
    ) -> Result<ConsoleGroup, ConsoleError> {
        let mut state = self.dir.state.write();
        let gid = self.editable(
            &state,
            id,
            if add {
                "add members to"
            } else {
                "remove members from"
            },
        )?;
        let users = Self::users(&state, user_ids)?;
        let changes = users.into_iter().map(|u| (u, add)).collect();
        Directory::apply_plan_members(&mut state, gid, false, &changes);
        Ok(Self::view(&state, gid).expect("exists"))
    }

    /// Sets the group admins (Zinc's own role: allowed on any group, Z17).
    pub fn set_admins(&self, id: &str, user_ids: &[&str]) -> Result<ConsoleGroup, ConsoleError> {
        let gid = parse_id(id, ConsoleError::GroupNotFound)?;
        let mut state = self.dir.state.write();
        if !state.groups.contains_key(&gid) {
            return Err(ConsoleError::GroupNotFound(id.to_owned()));
        }
        let users = Self::users(&state, user_ids)?;
        let old: Vec<Uuid> = state.groups[&gid].admins.iter().collect();
        for u in old {
            if let Some(user) = state.users.get_mut(&u) {
                user.set_admin_of(gid, false);
            }
        }
        let g = state.groups.get_mut(&gid).expect("exists");
        g.admins.clear();
        for u in &users {
            g.admins.insert(*u);
        }
        g.modified = now_ms();
        for u in users {
            if let Some(user) = state.users.get_mut(&u) {
                user.set_admin_of(gid, true);
            }
        }
        Ok(Self::view(&state, gid).expect("exists"))
    }

    /// Deletes a group (Z17 applies; a retained unlinked group can be removed, Z19).
    pub fn delete_group(&self, id: &str) -> Result<(), ConsoleError> {
        let mut state = self.dir.state.write();
        let gid = self.editable(&state, id, "delete")?;
        Directory::drop_group(&mut state, gid);
        Ok(())
    }

    /// Z18: unlinks a synced group: it stays with members and admins, becomes editable, and
    /// leaves SCIM for good.
    pub fn unlink_group(&self, id: &str) -> Result<ConsoleGroup, ConsoleError> {
        let gid = parse_id(id, ConsoleError::GroupNotFound)?;
        let mut state = self.dir.state.write();
        let g = state
            .groups
            .get_mut(&gid)
            .ok_or_else(|| ConsoleError::GroupNotFound(id.to_owned()))?;
        if !g.linked {
            return Err(ConsoleError::NotLinked(g.display_name.to_string()));
        }
        g.linked = false;
        if self.dir.on(Rule::Z18) {
            Directory::hide_group(&mut state, gid);
        }
        Ok(Self::view(&state, gid).expect("exists"))
    }

    // ------------------------------------------------------------------------------
    // Support actions

    /// The instance settings.
    pub fn settings(&self) -> Settings {
        let s = self.dir.settings.read();
        Settings {
            provisioning: s.provisioning,
            token_issued: s.token.is_some(),
            scope: s.scope,
            deleted_group_policy: s.policy,
        }
    }

    /// The current token (`None` while provisioning is disabled).
    pub fn token(&self) -> Option<String> {
        self.dir.settings.read().token.clone()
    }

    /// Z1: enables provisioning and issues a token (returned): the configured one if
    /// [`super::ZincConfig::token`] was set, else a random one. Enabling an enabled instance
    /// keeps its token.
    pub fn enable_provisioning(&self) -> String {
        let mut s = self.dir.settings.write();
        s.provisioning = Provisioning::Enabled;
        let preset = s.preset_token.clone();
        s.token
            .get_or_insert_with(|| preset.unwrap_or_else(new_token))
            .clone()
    }

    /// Z1: disables provisioning; the token stops existing.
    pub fn disable_provisioning(&self) {
        let mut s = self.dir.settings.write();
        s.provisioning = Provisioning::Disabled;
        s.token = None;
    }

    /// Z2: issues a new random token; the old one stops working at once.
    pub fn rotate_token(&self) -> Result<String, ConsoleError> {
        let mut s = self.dir.settings.write();
        if s.token.is_none() {
            return Err(ConsoleError::ProvisioningDisabled);
        }
        // Rotation is for good: a later enable must not bring the configured token back.
        s.preset_token = None;
        let token = new_token();
        s.token = Some(token.clone());
        Ok(token)
    }

    /// Z3: sets the sync scope.
    pub fn set_scope(&self, scope: Scope) {
        self.dir.settings.write().scope = scope;
    }

    /// Z19: sets what a SCIM group delete does.
    pub fn set_deleted_group_policy(&self, policy: DeletedGroupPolicy) {
        self.dir.settings.write().policy = policy;
    }
}
