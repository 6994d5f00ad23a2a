//! Okta's own side of the story: its people and groups, the app assignments, the server ids
//! Okta learned, the pushed groups and the app-group cache. Nothing here talks HTTP.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::OktaError;

// The SCIM URNs Okta sends (the enterprise extension holds `department`, reference §3.2).
pub use crate::contract::urn::{
    ENTERPRISE_USER as ENTERPRISE_URN, GROUP as GROUP_URN, PATCH_OP as PATCH_URN, USER as USER_URN,
};

/// An Okta user's profile, as the app's attribute mappings see it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PersonProfile {
    pub first: String,
    pub last: String,
    pub email: String,
    /// The app username; `None` follows `email` (Okta's default mapping).
    pub user_name: Option<String>,
    /// Overrides the `displayName` Okta sends (default: `first last`).
    pub display_name: Option<String>,
    pub title: Option<String>,
    pub locale: Option<String>,
    /// Sent in the enterprise extension.
    pub department: Option<String>,
    /// The key of the person's manager. Only Entra maps it (the enterprise `manager`,
    /// entra-client-reference.md row 13); Okta's personalities send nothing for it.
    pub manager: Option<String>,
}

impl PersonProfile {
    pub fn new(
        first: impl Into<String>,
        last: impl Into<String>,
        email: impl Into<String>,
    ) -> Self {
        Self {
            first: first.into(),
            last: last.into(),
            email: email.into(),
            ..Self::default()
        }
    }

    /// The app username Okta sends as `userName` and filters by.
    pub fn user_name(&self) -> &str {
        self.user_name.as_deref().unwrap_or(&self.email)
    }

    pub fn display_name(&self) -> String {
        match &self.display_name {
            Some(d) => d.clone(),
            None => format!("{} {}", self.first, self.last).trim().to_owned(),
        }
    }

    /// Applies `changes`; an empty string clears an optional field.
    pub fn apply(&mut self, changes: &ProfileChanges) {
        let opt = |v: &Option<String>, target: &mut Option<String>| {
            if let Some(v) = v {
                *target = (!v.is_empty()).then(|| v.clone());
            }
        };
        if let Some(v) = &changes.first {
            self.first = v.clone();
        }
        if let Some(v) = &changes.last {
            self.last = v.clone();
        }
        if let Some(v) = &changes.email {
            self.email = v.clone();
        }
        opt(&changes.user_name, &mut self.user_name);
        opt(&changes.display_name, &mut self.display_name);
        opt(&changes.title, &mut self.title);
        opt(&changes.locale, &mut self.locale);
        opt(&changes.department, &mut self.department);
        opt(&changes.manager, &mut self.manager);
    }

    /// The mapped app attributes and their values, as SCIM paths. Empty values are `None`:
    /// Okta leaves out mapped attributes that have no value.
    pub(crate) fn attributes(&self) -> Vec<(Attr, Option<String>)> {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        vec![
            (Attr::UserName, some(self.user_name())),
            (Attr::GivenName, some(&self.first)),
            (Attr::FamilyName, some(&self.last)),
            (Attr::Email, some(&self.email)),
            (Attr::DisplayName, some(&self.display_name())),
            (Attr::Locale, self.locale.clone()),
            (Attr::Title, self.title.clone()),
            (Attr::Department, self.department.clone()),
        ]
    }
}

/// Okta-side profile changes: `None` leaves a field alone, `Some("")` clears an optional one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProfileChanges {
    pub first: Option<String>,
    pub last: Option<String>,
    pub email: Option<String>,
    pub user_name: Option<String>,
    pub display_name: Option<String>,
    pub title: Option<String>,
    pub locale: Option<String>,
    pub department: Option<String>,
    /// A person key; `""` removes the manager.
    pub manager: Option<String>,
}

/// One mapped app attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Attr {
    UserName,
    GivenName,
    FamilyName,
    Email,
    DisplayName,
    Locale,
    Title,
    Department,
}

impl Attr {
    /// Writes (or with `None`, removes) this attribute in a SCIM User body.
    pub(crate) fn set(self, body: &mut Map<String, Value>, value: Option<&str>) {
        fn put(obj: &mut Map<String, Value>, key: &str, value: Option<&str>) {
            match value {
                Some(v) => {
                    obj.insert(key.to_owned(), json!(v));
                }
                None => {
                    obj.remove(key);
                }
            }
        }
        /// Sets `key.field` (making `key` an object), or removes `field` where `key` exists.
        fn sub_put(body: &mut Map<String, Value>, key: &str, field: &str, value: Option<&str>) {
            if value.is_none() {
                if let Some(Value::Object(obj)) = body.get_mut(key) {
                    obj.remove(field);
                }
                return;
            }
            let entry = body.entry(key.to_owned()).or_insert_with(|| json!({}));
            if !entry.is_object() {
                *entry = json!({});
            }
            put(
                entry.as_object_mut().expect("made an object above"),
                field,
                value,
            );
        }
        match self {
            Attr::UserName => put(body, "userName", value),
            Attr::DisplayName => put(body, "displayName", value),
            Attr::Locale => put(body, "locale", value),
            Attr::Title => put(body, "title", value),
            Attr::GivenName => sub_put(body, "name", "givenName", value),
            Attr::FamilyName => sub_put(body, "name", "familyName", value),
            Attr::Email => match value {
                // Okta replaces the primary email; it sends one element, typed "work".
                Some(v) => {
                    body.insert(
                        "emails".to_owned(),
                        json!([{"primary": true, "value": v, "type": "work"}]),
                    );
                }
                None => {
                    body.remove("emails");
                }
            },
            Attr::Department => {
                if value.is_some() {
                    let schemas = body
                        .entry("schemas".to_owned())
                        .or_insert_with(|| json!([]));
                    if let Some(list) = schemas.as_array_mut()
                        && !list.iter().any(|s| s == ENTERPRISE_URN)
                    {
                        list.push(json!(ENTERPRISE_URN));
                    }
                }
                sub_put(body, ENTERPRISE_URN, "department", value);
            }
        }
    }
}

/// One Okta person and what Okta knows about their app user.
#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub key: String,
    /// The Okta user id (`00u…`), derived from the key.
    pub okta_id: String,
    pub profile: PersonProfile,
    /// The Okta account is active (deactivating the Okta user clears it).
    pub active: bool,
    /// Assigned to the app.
    pub assigned: bool,
    /// The server's `id` Okta stored for this user, once created or linked.
    pub server_id: Option<String>,
    /// The app user is provisioned and active on the server, as far as Okta knows.
    pub app_active: bool,
    /// The profile Okta last pushed: the copy it diffs against on a profile push.
    pub pushed: Option<PersonProfile>,
    /// How many times Okta created this user (feeds the placeholder password).
    pub creates: u32,
    /// The manager (person key) the client last sent, for clients that map one (Entra).
    pub pushed_manager: Option<String>,
}

impl Person {
    /// Okta pushes a user as a group member only when assigned, active and provisioned.
    pub fn pushable(&self) -> bool {
        self.assigned && self.active && self.app_active && self.server_id.is_some()
    }
}

/// A group Okta pushed, and the server id it learned.
#[derive(Debug, Clone, Serialize)]
pub struct PushedGroup {
    pub server_id: String,
}

/// One Okta group.
#[derive(Debug, Clone, Serialize)]
pub struct OktaGroup {
    pub key: String,
    /// The Okta group id (`00g…`), derived from the key.
    pub okta_id: String,
    pub name: String,
    /// Person keys, in the order they joined.
    pub members: Vec<String>,
    pub pushed: Option<PushedGroup>,
}

/// A group as the app lists it (the "Refresh App Groups" cache).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppGroup {
    pub id: String,
    pub display_name: String,
}

/// A user as an import lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportedUser {
    pub id: String,
    pub user_name: String,
    pub external_id: Option<String>,
}

/// Okta's whole state for one app integration.
#[derive(Debug, Default)]
pub(crate) struct Directory {
    pub people: BTreeMap<String, Person>,
    pub groups: BTreeMap<String, OktaGroup>,
    pub app_groups: Vec<AppGroup>,
}

impl Directory {
    /// The group `key`, about to have `people` added or removed: the group and every person
    /// must exist.
    pub fn group_for_members(
        &mut self,
        key: &str,
        people: &[&str],
    ) -> Result<&mut OktaGroup, OktaError> {
        if let Some(p) = people.iter().find(|p| !self.people.contains_key(**p)) {
            return Err(OktaError::UnknownPerson((*p).to_owned()));
        }
        self.groups
            .get_mut(key)
            .ok_or_else(|| OktaError::UnknownGroup(key.to_owned()))
    }

    /// `{"value": server id, "display": userName}` for every pushable member of `group`.
    pub fn member_values(&self, group: &OktaGroup) -> Vec<Value> {
        group
            .members
            .iter()
            .filter_map(|k| self.people.get(k))
            .filter(|p| p.pushable())
            .map(member_value)
            .collect()
    }
}

pub(crate) fn member_value(p: &Person) -> Value {
    json!({"value": p.server_id.clone().unwrap_or_default(), "display": p.profile.user_name()})
}

/// A stable 64-bit hash (FNV-1a): same input, same id on every platform and Rust version.
fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// splitmix64: turns one hash into as many well-mixed numbers as needed.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn derived(seed: &str, alphabet: &[u8], len: usize) -> String {
    let mut state = fnv1a(seed.as_bytes());
    (0..len)
        .map(|_| alphabet[(splitmix(&mut state) % alphabet.len() as u64) as usize] as char)
        .collect()
}

const ALNUM: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// Okta ids are 20 characters: a 3-character prefix (`00u` user, `00g` group) and 17 more.
/// This one is derived from the key alone ([`okta_user_id_in`] with no seed).
pub fn okta_user_id(key: &str) -> String {
    okta_user_id_in("", key)
}

pub fn okta_group_id(key: &str) -> String {
    okta_group_id_in("", key)
}

/// The Okta user id of `key` under `seed` (see `OktaConfig::id_seed`): distinct seeds give
/// distinct ids for the same key; no seed gives [`okta_user_id`].
pub fn okta_user_id_in(seed: &str, key: &str) -> String {
    format!("00u{}", derived(&seeded("user", seed, key), ALNUM, 17))
}

pub fn okta_group_id_in(seed: &str, key: &str) -> String {
    format!("00g{}", derived(&seeded("group", seed, key), ALNUM, 17))
}

/// `user:alice` without a seed (the ids of earlier versions), `user:<seed>:alice` with one.
fn seeded(kind: &str, seed: &str, key: &str) -> String {
    if seed.is_empty() {
        format!("{kind}:{key}")
    } else {
        format!("{kind}:{seed}:{key}")
    }
}

/// The placeholder password Okta sends on create: 8 random-looking characters, reproducible
/// from the Okta id and the create count so snapshots stay stable.
pub fn placeholder_password(okta_id: &str, create: u32) -> String {
    derived(
        &format!("password:{okta_id}:{create}"),
        b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789",
        8,
    )
}
