//! Okta's own side of the story: its people and groups, the app assignments, the server ids
//! Okta learned, the pushed groups and the app-group cache. Nothing here talks HTTP.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use serde_with::skip_serializing_none;

use super::OktaError;

// The SCIM URNs Okta sends (the enterprise extension holds `department`, `employeeNumber`,
// `costCenter`, `organization`, `division` and `manager`, reference §3.2, §10.1).
pub(super) use crate::contract::urn::{
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
    /// Enterprise extension attributes (under [`ENTERPRISE_URN`], that URN in `schemas`).
    pub department: Option<String>,
    pub employee_number: Option<String>,
    pub cost_center: Option<String>,
    pub organization: Option<String>,
    pub division: Option<String>,
    /// The manager, by person key: sent as enterprise `manager: {"value": <their server id>}`
    /// once Okta knows that id (RFC 7643 §4.3: `value` is the manager's SCIM `id`). Entra
    /// sends it as its own PATCH instead (entra-client-reference.md row 13).
    pub manager: Option<String>,
    /// Custom app attributes: schema URN → attribute → a string, number or boolean, sent
    /// under the URN with the URN in `schemas` (reference §3.2, §10.1).
    pub custom: BTreeMap<String, BTreeMap<String, Value>>,
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
            None => default_display_name(&self.first, &self.last),
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
        opt(&changes.employee_number, &mut self.employee_number);
        opt(&changes.cost_center, &mut self.cost_center);
        opt(&changes.organization, &mut self.organization);
        opt(&changes.division, &mut self.division);
        opt(&changes.manager, &mut self.manager);
        for (urn, attrs) in &changes.custom {
            let target = self.custom.entry(urn.clone()).or_default();
            for (name, v) in attrs {
                if v.as_str() == Some("") {
                    target.remove(name);
                } else {
                    target.insert(name.clone(), v.clone());
                }
            }
            if target.is_empty() {
                self.custom.remove(urn);
            }
        }
    }

    /// The mapped app attributes and their values, in the order Okta writes them (core,
    /// then enterprise, then custom). Empty values are `None`: Okta leaves out mapped
    /// attributes that have no value. `manager_id` gives a person key's server id.
    pub(crate) fn attributes(
        &self,
        manager_id: &dyn Fn(&str) -> Option<String>,
    ) -> Vec<(Attr, Option<Value>)> {
        let some = |s: &str| (!s.is_empty()).then(|| json!(s));
        let opt = |s: &Option<String>| s.as_deref().and_then(some);
        let mut out = vec![
            (Attr::UserName, some(self.user_name())),
            (Attr::GivenName, some(&self.first)),
            (Attr::FamilyName, some(&self.last)),
            (Attr::Email, some(&self.email)),
            (Attr::DisplayName, some(&self.display_name())),
            (Attr::Locale, opt(&self.locale)),
            (Attr::Title, opt(&self.title)),
            (Attr::Enterprise("department"), opt(&self.department)),
            (
                Attr::Enterprise("employeeNumber"),
                opt(&self.employee_number),
            ),
            (Attr::Enterprise("costCenter"), opt(&self.cost_center)),
            (Attr::Enterprise("organization"), opt(&self.organization)),
            (Attr::Enterprise("division"), opt(&self.division)),
            (
                Attr::Enterprise("manager"),
                self.manager
                    .as_deref()
                    .and_then(manager_id)
                    .map(|id| json!({"value": id})),
            ),
        ];
        for (urn, attrs) in &self.custom {
            for (name, v) in attrs {
                out.push((
                    Attr::Custom {
                        urn: urn.clone(),
                        name: name.clone(),
                    },
                    Some(v.clone()),
                ));
            }
        }
        out
    }
}

/// The `displayName` Okta's default mapping sends: `first last`, trimmed.
pub(crate) fn default_display_name(first: &str, last: &str) -> String {
    format!("{first} {last}").trim().to_owned()
}

// `None` leaves a field alone, `Some("")` clears an optional one. The one type for the
// client's API and a scenario's `set:` (`PersonChanges` there and in its schema, `custom`
// written `attributes`); the doc line below is the schema's description.
/// Changes to a person in Okta (`set:` of `update_user` and `edit_person`).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "PersonChanges")]
pub struct ProfileChanges {
    pub first: Option<String>,
    pub last: Option<String>,
    pub email: Option<String>,
    pub user_name: Option<String>,
    pub display_name: Option<String>,
    pub title: Option<String>,
    pub locale: Option<String>,
    pub department: Option<String>,
    /// Enterprise `employeeNumber`.
    pub employee_number: Option<String>,
    /// Enterprise `costCenter`.
    pub cost_center: Option<String>,
    /// Enterprise `organization`.
    pub organization: Option<String>,
    /// Enterprise `division`.
    pub division: Option<String>,
    /// Enterprise `manager`, by person key (`""` removes it); Entra sends it as its own
    /// PATCH (entra-client-reference.md row 13).
    pub manager: Option<String>,
    /// Custom app attributes by schema URN, e.g.
    /// `{"urn:ietf:params:scim:schemas:extension:zinc:2.0:User": {badge: 7}}`; `""` removes one.
    #[serde(
        default,
        rename = "attributes",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub custom: BTreeMap<String, BTreeMap<String, Value>>,
}

impl ProfileChanges {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == ProfileChanges::default()
    }
}

/// One mapped app attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Attr {
    UserName,
    GivenName,
    FamilyName,
    Email,
    DisplayName,
    Locale,
    Title,
    /// An attribute of the enterprise extension, by its SCIM name.
    Enterprise(&'static str),
    /// A custom app attribute under its schema URN.
    Custom {
        urn: String,
        name: String,
    },
}

/// Adds `urn` to the body's `schemas` (once), as Okta does for every extension it sends.
fn add_schema(body: &mut Map<String, Value>, urn: &str) {
    let schemas = body
        .entry("schemas".to_owned())
        .or_insert_with(|| json!([]));
    if let Some(list) = schemas.as_array_mut()
        && !list.iter().any(|s| s == urn)
    {
        list.push(json!(urn));
    }
}

impl Attr {
    /// Writes (or with `None`, removes) this attribute in a SCIM User body.
    pub(crate) fn set(&self, body: &mut Map<String, Value>, value: Option<&Value>) {
        fn put(obj: &mut Map<String, Value>, key: &str, value: Option<&Value>) {
            match value {
                Some(v) => {
                    obj.insert(key.to_owned(), v.clone());
                }
                None => {
                    obj.remove(key);
                }
            }
        }
        /// Sets `key.field` (making `key` an object), or removes `field` where `key` exists.
        fn sub_put(body: &mut Map<String, Value>, key: &str, field: &str, value: Option<&Value>) {
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
            Attr::Enterprise(field) => {
                if value.is_some() {
                    add_schema(body, ENTERPRISE_URN);
                }
                sub_put(body, ENTERPRISE_URN, field, value);
            }
            Attr::Custom { urn, name } => {
                if value.is_some() {
                    add_schema(body, urn);
                }
                sub_put(body, urn, name, value);
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
    /// How many times Okta synced the password (feeds the synced password).
    pub password_syncs: u32,
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
    pub(crate) fn group_for_members(
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
    pub(crate) fn member_values(&self, group: &OktaGroup) -> Vec<Value> {
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

/// The Okta password a "Sync Password" sends: reproducible like the placeholder, and a
/// different value on each sync.
pub fn synced_password(okta_id: &str, sync: u32) -> String {
    placeholder_password(&format!("sync:{okta_id}"), sync)
}

/// Symbols as in Okta's captured placeholders (`gl^m&qWZ`, reference §10.10); none that
/// JSON or a URL would need to escape.
const SYMBOLS: &[u8] = b"^&*!#$%+=?";

/// The placeholder password Okta sends on create: 8 characters with letters and symbols, as
/// captured, reproducible from the Okta id and the create count so snapshots stay stable.
/// Two of the eight are always symbols, so a server that refuses symbols is caught.
pub fn placeholder_password(okta_id: &str, create: u32) -> String {
    let seed = format!("password:{okta_id}:{create}");
    let letters = derived(
        &seed,
        b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789",
        6,
    );
    let symbols = derived(&format!("{seed}:symbols"), SYMBOLS, 2);
    let mut state = fnv1a(seed.as_bytes());
    let mut out: Vec<char> = letters.chars().collect();
    for s in symbols.chars() {
        let at = (splitmix(&mut state) % (out.len() as u64 + 1)) as usize;
        out.insert(at, s);
    }
    out.into_iter().collect()
}
