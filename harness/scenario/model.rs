//! The resolved scenario the runner executes: people generated, references checked and expanded
//! to person and group keys, defaults filled in.
//!
//! Types that appear in files unchanged (settings, `expect:`, `scim:`, `fault:`, `support:`)
//! are defined here once and used by both the file view and the resolved view.

use crate::contract::RuleId;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::node::Pos;
pub use crate::okta::entra::{MatchAttr, UnassignMode};
use crate::okta::{PersonProfile, default_display_name};

/// A parsed, validated scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// The file name or path the scenario was read from (as given to `parse`/`load`).
    pub name: String,
    /// `T1`…`T9` or an `okta-…` id.
    pub case: Option<String>,
    pub title: String,
    /// The support question this scenario answers.
    pub doc: Option<String>,
    /// The rules the scenario proves (`Z7`, `okta:crud-test`), each in the catalogue.
    pub rules: Vec<RuleId>,
    /// Never empty: `[zinc]` when the file says nothing.
    pub profiles: Vec<Profile>,
    pub okta: OktaSettings,
    pub zinc: ZincSettings,
    /// Every person, named ones first (file order), then generated ones (`user001`…).
    pub people: Vec<Person>,
    /// Okta groups in file order.
    pub groups: Vec<Group>,
    pub steps: Vec<Step>,
}

impl Scenario {
    pub fn person(&self, key: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.key == key)
    }
    pub fn group(&self, key: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.key == key)
    }
    /// Whether the scenario belongs to a profile.
    pub fn in_profile(&self, profile: Profile) -> bool {
        self.profiles.contains(&profile)
    }
}

/// A person in the Okta directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// The key steps use (`alice`, `user007`).
    pub key: String,
    pub first: String,
    pub last: String,
    pub email: String,
    /// The SCIM userName Okta sends (defaults to the email).
    pub user_name: String,
    /// The displayName Okta sends (defaults to "first last").
    pub display_name: String,
    pub title: Option<String>,
    pub locale: Option<String>,
    /// Sent in the SCIM enterprise extension.
    pub department: Option<String>,
    pub employee_number: Option<String>,
    pub cost_center: Option<String>,
    pub organization: Option<String>,
    pub division: Option<String>,
    /// The manager's person key (sent as the manager's server id).
    pub manager: Option<String>,
    /// Custom app attributes: schema URN → attribute → a string, number or boolean.
    pub attributes: CustomAttributes,
}

impl Person {
    /// The person as Okta's directory holds them. The userName and displayName are left to
    /// Okta's default mappings (the email; `first last`) where they are those, so that a later
    /// email or name change carries over as it does in Okta.
    pub(crate) fn okta_profile(&self) -> PersonProfile {
        let own = |v: &String, default: &str| (v != default).then(|| v.clone());
        PersonProfile {
            first: self.first.clone(),
            last: self.last.clone(),
            email: self.email.clone(),
            user_name: own(&self.user_name, &self.email),
            display_name: own(
                &self.display_name,
                &default_display_name(&self.first, &self.last),
            ),
            title: self.title.clone(),
            locale: self.locale.clone(),
            department: self.department.clone(),
            employee_number: self.employee_number.clone(),
            cost_center: self.cost_center.clone(),
            organization: self.organization.clone(),
            division: self.division.clone(),
            manager: self.manager.clone(),
            custom: self.attributes.clone(),
        }
    }
}

/// Custom app attributes: schema URN → attribute name → value.
pub type CustomAttributes = BTreeMap<String, BTreeMap<String, serde_json::Value>>;

/// An Okta group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub key: String,
    pub name: String,
    /// Person keys.
    pub members: Vec<String>,
}

/// Where something is in a scenario file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    pub file: String,
    pub line: u32,
    pub column: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

impl Location {
    pub(crate) fn new(file: &str, pos: Pos) -> Location {
        Location {
            file: file.to_string(),
            line: pos.line,
            column: pos.column,
        }
    }
}

/// One step: an action, what to expect of it, and where it is written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub action: Action,
    pub expect: Option<Expect>,
    pub note: Option<String>,
    pub location: Location,
}

/// What a step does. Person and group references are already resolved to keys of
/// [`Scenario::people`] and [`Scenario::groups`] (patterns and ranges expanded, in order,
/// without duplicates).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    TestCredentials,
    AssignUser {
        people: Vec<String>,
    },
    UpdateUser {
        people: Vec<String>,
        set: PersonChanges,
    },
    DeactivateUser {
        people: Vec<String>,
    },
    UnassignUser {
        people: Vec<String>,
    },
    ReactivateUser {
        people: Vec<String>,
    },
    ReassignUser {
        people: Vec<String>,
    },
    GetUser {
        people: Vec<String>,
    },
    /// "Sync Password" for each person.
    SyncPassword {
        people: Vec<String>,
    },
    PushGroup {
        groups: Vec<String>,
    },
    AddMembers {
        group: String,
        people: Vec<String>,
    },
    RemoveMembers {
        group: String,
        people: Vec<String>,
    },
    RenameGroup {
        group: String,
        to: String,
    },
    PushNow {
        groups: Vec<String>,
    },
    UnlinkGroup {
        group: String,
        delete: bool,
    },
    RefreshAppGroups,
    ImportUsers,
    /// An Okta-side change that sends nothing.
    EditPerson {
        people: Vec<String>,
        set: PersonChanges,
    },
    Scim(ScimRequest),
    Console(ConsoleAction),
    Support(SupportAction),
    Fault(Fault),
}

impl Action {
    /// The step kind as written in a file (`assign_user`).
    pub fn kind(&self) -> &'static str {
        match self {
            Action::TestCredentials => "test_credentials",
            Action::AssignUser { .. } => "assign_user",
            Action::UpdateUser { .. } => "update_user",
            Action::DeactivateUser { .. } => "deactivate_user",
            Action::UnassignUser { .. } => "unassign_user",
            Action::ReactivateUser { .. } => "reactivate_user",
            Action::ReassignUser { .. } => "reassign_user",
            Action::GetUser { .. } => "get_user",
            Action::SyncPassword { .. } => "sync_password",
            Action::PushGroup { .. } => "push_group",
            Action::AddMembers { .. } => "add_members",
            Action::RemoveMembers { .. } => "remove_members",
            Action::RenameGroup { .. } => "rename_group",
            Action::PushNow { .. } => "push_now",
            Action::UnlinkGroup { .. } => "unlink_group",
            Action::RefreshAppGroups => "refresh_app_groups",
            Action::ImportUsers => "import_users",
            Action::EditPerson { .. } => "edit_person",
            Action::Scim(_) => "scim",
            Action::Console(_) => "console",
            Action::Support(_) => "support",
            Action::Fault(_) => "fault",
        }
    }

    /// Whether the step needs the embedded mock (Admin Console, support, faults): against a
    /// third-party server such steps are skipped.
    pub fn needs_embedded_mock(&self) -> bool {
        matches!(
            self,
            Action::Console(_) | Action::Support(_) | Action::Fault(_)
        )
    }
}

/// A group named by a console action: an Okta group (by its key in `groups:`, meaning the
/// Zinc group Okta's push created) or a group made by an earlier `console: create_group`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsoleGroup {
    Okta(String),
    Console(String),
}

/// A Zinc Admin Console action, references resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsoleAction {
    CreateGroup {
        key: String,
        name: String,
    },
    RenameGroup {
        group: ConsoleGroup,
        to: String,
    },
    AddMembers {
        group: ConsoleGroup,
        people: Vec<String>,
    },
    RemoveMembers {
        group: ConsoleGroup,
        people: Vec<String>,
    },
    SetAdmins {
        group: ConsoleGroup,
        people: Vec<String>,
    },
    DeleteGroup {
        group: ConsoleGroup,
    },
    UnlinkGroup {
        group: ConsoleGroup,
    },
    ListUsers,
    ListGroups,
}

pub use crate::contract::Profile;

/// The client's personality and auth mode, and the instance settings below, are the
/// contract's words: the command line, the client and the mock use the same types.
pub use crate::contract::{App, AuthMode, DeletedGroupPolicy, Provisioning, ResourceKind};

fn yes() -> bool {
    true
}

/// The simulated Okta app's settings.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OktaSettings {
    /// `oin` or `aiw`. Absent: the run's `--app` (default `oin`).
    #[serde(default)]
    #[serialize_always]
    pub app: Option<App>,
    /// Whether Group Push is on. Default: true.
    #[serde(default = "yes")]
    pub push_groups: bool,
    /// How Okta sends the token. Absent: the run's `--auth` (default `bearer`).
    #[serde(default)]
    #[serialize_always]
    pub auth: Option<AuthMode>,
    /// Each request's timeout in milliseconds (Okta waits 60 s). Absent: the run's
    /// `--timeout`. A fault scenario sets a short one to show a slow server timing out fast.
    #[schemars(range(min = 1))]
    pub timeout_ms: Option<u64>,
    /// Okta's "Group Patch Batch Size": at most this many member values per membership
    /// PATCH. Default: 256, as Okta.
    #[schemars(range(min = 1, max = 100000))]
    pub group_patch_batch_size: Option<u32>,
    /// What an `oin` app sends after `POST /Groups`: `members` (the add-members PATCH, Okta's
    /// own capture; default) or `rename_then_members` (the rename PATCH first, as other
    /// captures report).
    pub group_create: Option<GroupCreate>,
    /// A `GET /Groups/{id}` between the membership PATCH and the rename PATCH (seen in one
    /// capture). Default: false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub get_before_rename: bool,
    /// "Import Groups" on: `push_group` matches the groups Okta imported (`refresh_app_groups`)
    /// and sends no `displayName` lookup. Default: false (Okta looks the group up).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub import_groups: bool,
    /// The longest real wait before retrying a 429, in milliseconds; Okta's own wait (seconds
    /// to minutes) is reported, not waited. Absent: the run's `--retry-wait` (default 100 ms).
    pub retry_wait_ms: Option<u64>,
    /// Entra only: the matching attributes, tried in this order until one finds the user
    /// (`userName`, `externalId`, `email`). Default: `[userName]`.
    pub matching: Option<Vec<MatchAttr>>,
    /// Entra only: what unassigning a user sends, `disable` (default) or `delete` (the
    /// sources disagree, entra-client-reference.md §1.2).
    pub unassign: Option<UnassignMode>,
    /// Entra only: on-demand provisioning (one user, or a group of at most 5 members; always
    /// the legacy dialect, even for `entra-compliant`). Default: false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_demand: bool,
}

/// What follows an `oin` group create.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GroupCreate {
    /// `PATCH add members` with the created group's members.
    Members,
    /// The rename PATCH, then the members PATCH.
    RenameThenMembers,
}

impl Default for OktaSettings {
    fn default() -> Self {
        OktaSettings {
            app: None,
            push_groups: true,
            auth: None,
            timeout_ms: None,
            matching: None,
            unassign: None,
            on_demand: false,
            group_patch_batch_size: None,
            group_create: None,
            get_before_rename: false,
            import_groups: false,
            retry_wait_ms: None,
        }
    }
}

fn both_scopes() -> Vec<ResourceKind> {
    vec![ResourceKind::Users, ResourceKind::Groups]
}

/// How the embedded mock Zinc starts. Ignored against a real server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ZincSettings {
    /// Default: enabled.
    #[serde(default)]
    pub provisioning: Provisioning,
    /// Default: `[users, groups]`.
    #[serde(default = "both_scopes")]
    pub scope: Vec<ResourceKind>,
    /// Default: retain.
    #[serde(default)]
    pub deleted_group_policy: DeletedGroupPolicy,
}

impl Default for ZincSettings {
    fn default() -> Self {
        ZincSettings {
            provisioning: Provisioning::Enabled,
            scope: both_scopes(),
            deleted_group_policy: DeletedGroupPolicy::Retain,
        }
    }
}

/// Changes to a person in Okta (`set:` of `update_user` and `edit_person`): the client's own
/// type, so a step's `set:` is what the client applies.
pub use crate::okta::ProfileChanges as PersonChanges;

/// A status code an expectation or a fault can use: 100–599.
fn status_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    let n = u64::deserialize(d)?;
    if (100..=599).contains(&n) {
        Ok(Some(n as u16))
    } else {
        Err(serde::de::Error::invalid_value(
            serde::de::Unexpected::Unsigned(n),
            &"an HTTP status code between 100 and 599",
        ))
    }
}

/// One text or a list of them, numbers kept as they were written (`listed: 7`,
/// `listed: [1, "2..3"]`): the checker reads them as people references.
fn one_or_many_text<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Vec<String>>, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a person key, a pattern (`user*`), a generated person's number (`7`) or range (`\"1..50\"`), or a list of these")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Vec<String>, E> {
            Ok(vec![v.to_owned()])
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Vec<String>, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Vec<String>, E> {
            Ok(vec![v.to_string()])
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            // Numbers in the list come as their text (the scenario reader's scalars do).
            while let Some(item) = seq.next_element::<String>()? {
                out.push(item);
            }
            Ok(out)
        }
    }
    d.deserialize_any(V).map(Some)
}

/// What must be true after a step.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    /// The outcome Okta records for the action (pass/fail); for a console or support step,
    /// whether Zinc accepted it; for a raw `scim` step, whether the status is 2xx.
    pub ok: Option<bool>,
    /// HTTP status of the action's last exchange.
    #[serde(default, deserialize_with = "status_code")]
    #[schemars(range(min = 100, max = 599))]
    pub status: Option<u16>,
    /// The SCIM error's `scimType` (RFC 7644 §3.12), e.g. `mutability`.
    #[serde(rename = "scimType")]
    #[schemars(extend("enum" = crate::scim::ScimType::NAMES))]
    pub scim_type: Option<String>,
    /// Text the SCIM error's `detail` contains.
    pub detail: Option<String>,
    /// Text Okta's (or the console's) error message contains.
    pub message: Option<String>,
    /// A JSON subset the last response body must contain.
    pub body: Option<serde_json::Value>,
    /// The server id Okta learned is different from the one it had before.
    pub new_id: Option<bool>,
    /// The server id Okta learned is the one it had before.
    pub same_id: Option<bool>,
    /// The resource is not there: 404 by id, or 0 results.
    pub absent: Option<bool>,
    /// `import_users`: people (named as anywhere else: keys, `*` patterns, generated people's
    /// numbers or ranges, e.g. `[user*]`, `7`, `"1..120"`) whose server ids the import must
    /// list exactly once each - pages that really page. Others may be listed too. Checked, it
    /// holds the person keys.
    #[serde(default, deserialize_with = "one_or_many_text")]
    #[schemars(with = "Option<super::file::PeopleRef>")]
    pub listed: Option<Vec<String>>,
    /// The exact request sequence: `"METHOD /path?query"`, server ids as `{user:alice}` /
    /// `{group:eng}`.
    pub requests: Option<Vec<String>>,
    /// The rule this step's expectations check (`Z6`), or one per profile
    /// (`[Z6, okta:username-case]`): findings cite the one of the running profile. Each must be
    /// in the scenario's `rules:`. Without it a finding cites the scenario's only rule of that
    /// profile, or none.
    #[serde(
        default,
        deserialize_with = "one_or_many_rules",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[schemars(schema_with = "rule_schema")]
    pub rule: Vec<RuleId>,
}

/// `rule: Z6` or `rule: [Z6, okta:username-case]`.
fn one_or_many_rules<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<RuleId>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum OneOrMany {
        One(String),
        Many(Vec<String>),
    }
    let ids = match OneOrMany::deserialize(d)? {
        OneOrMany::One(s) => vec![s],
        OneOrMany::Many(v) => v,
    };
    ids.iter()
        .map(|s| s.parse::<RuleId>().map_err(serde::de::Error::custom))
        .collect()
}

fn rule_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let id = schemars::json_schema!({
        "type": "string",
        "pattern": "^(Z([1-9]|1[0-9]|2[0-5])|[a-z]+:[a-z-]+)$"
    });
    schemars::json_schema!({
        "description": "The rule this step's expectations check, or one per profile; each in the scenario's `rules:`.",
        "oneOf": [id, {"type": "array", "items": id, "minItems": 1}]
    })
}

/// Which credentials a raw request carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RequestAuth {
    /// The run's token, as Okta would send it.
    #[default]
    Default,
    /// No Authorization header.
    None,
    /// A wrong token.
    Wrong,
}

/// A raw SCIM request.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScimRequest {
    /// GET, POST, PUT, PATCH or DELETE.
    pub method: HttpMethod,
    /// Path below the SCIM base URL, e.g. `/Users/{user:alice}` or `/Users?filter=…`.
    /// `{user:KEY}` and `{group:KEY}` stand for the server ids Okta learned.
    pub path: String,
    /// JSON body (written as YAML), or a string sent as is.
    pub body: Option<serde_json::Value>,
    /// Extra or replacing headers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Credentials: `default` (the run's), `none` or `wrong`.
    #[serde(default)]
    pub auth: RequestAuth,
}

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl HttpMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Post => "POST",
            HttpMethod::Put => "PUT",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Delete => "DELETE",
        }
    }
}

/// A Zinc Customer Support action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum SupportAction {
    /// Enable provisioning and issue a token (Okta is given it).
    EnableProvisioning,
    /// Disable provisioning: the token is gone, every request is 401 (Z1).
    DisableProvisioning,
    /// Issue a new token; the old one stops working at once (Z2).
    RotateToken {
        /// Also give Okta the new token. Default: true.
        #[serde(default = "yes")]
        update_okta: bool,
    },
    /// What the instance may sync (Z3).
    SetScope(Vec<ResourceKind>),
    /// What happens to groups Okta deletes (Z19).
    SetDeletedGroupPolicy(DeletedGroupPolicy),
}

/// Make matching requests to the embedded mock misbehave.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Fault {
    /// Only this method. Absent: any.
    pub method: Option<HttpMethod>,
    /// Path pattern below the SCIM base; `*` matches any characters (`/Users*`).
    pub path: String,
    /// How many matching requests misbehave. Absent: all of them.
    pub times: Option<u32>,
    /// Answer this status instead of the real answer.
    #[serde(default, deserialize_with = "status_code")]
    #[schemars(range(min = 100, max = 599))]
    pub status: Option<u16>,
    /// Headers of the faulty answer (e.g. `Retry-After`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// Body of the faulty answer: JSON (written as YAML) or a string sent as is.
    pub body: Option<serde_json::Value>,
    /// Wait this long before answering.
    pub delay_ms: Option<u64>,
    /// Drop the connection without answering.
    #[serde(default)]
    pub drop: bool,
}
