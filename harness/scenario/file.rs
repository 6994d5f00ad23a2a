//! The scenario file as written: the serde + JSON Schema view of the YAML.
//!
//! These types are what `check` reads and what `schema` prints, so the editor's schema and the
//! parser cannot drift apart. Doc comments become the schema's descriptions (editor tooltips).
//! [`super::validate`] turns them into the resolved [`super::Scenario`] the runner executes.

use schemars::JsonSchema;
use serde::Deserialize;

use super::de::{Located, Named, Tolerant};
use super::model::{
    Expect, Fault, OktaSettings, PersonChanges, Profile, ScimRequest, SupportAction, ZincSettings,
};

/// A zinc-harness scenario: what the Okta administrator, the Zinc administrator and Zinc
/// Customer Support do, and what must happen. Reference: scenarios/README.md.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "zinc-harness scenario")]
pub(crate) struct ScenarioFile {
    /// The troubleshooting case this scenario proves (`T1`…`T9`), or an `okta-…` or
    /// `entra-…` id for the generic Okta- and Entra-compatibility profiles.
    #[serde(default)]
    #[schemars(regex(pattern = r"^(T[1-9]|okta-[a-z0-9-]+|entra-[a-z0-9-]+)$"))]
    pub case: Option<Tolerant<Located<String>>>,
    /// One line saying what the scenario shows.
    pub title: Tolerant<String>,
    /// The support question this scenario answers, in the customer's words.
    #[serde(default)]
    pub doc: Option<Tolerant<String>>,
    /// The rules this scenario proves: Zinc contract rules (`Z1`…`Z25`), Okta rules
    /// (`okta:…`) and Entra rules (`entra:…`), as `zinc-harness rules` lists them.
    #[serde(default)]
    #[schemars(schema_with = "rule_ids")]
    pub rules: Option<Tolerant<Vec<Located<String>>>>,
    /// Conformance profiles this scenario belongs to: `zinc` (Zinc's documented behaviour),
    /// `okta` (what any SCIM server meant for Okta must do), `entra` (the same for Microsoft
    /// Entra ID). Default: `[zinc]`.
    #[serde(default)]
    pub profiles: Option<Tolerant<Vec<Profile>>>,
    /// How the simulated identity provider's client is set up: which one (`app: oin`, `aiw`,
    /// `entra`, `entra-compliant`) and its settings.
    #[serde(default)]
    pub idp: Option<Tolerant<OktaSettings>>,
    /// The older name of `idp:`, still read (a scenario writes one of the two).
    #[serde(default)]
    pub okta: Option<Tolerant<OktaSettings>>,
    /// How the embedded mock Zinc instance starts (ignored against a real server).
    #[serde(default)]
    pub zinc: Option<Tolerant<ZincSettings>>,
    /// People in the Okta directory: named ones (`alice: {first, last, email}`) and/or
    /// `generate: {count, seed, domain}` for many reproducible ones.
    #[serde(default)]
    pub people: Option<Tolerant<PeopleSection>>,
    /// Okta groups, by a key of your choice: `eng: {name: Engineering, members: [alice]}`.
    #[serde(default)]
    pub groups: Option<Tolerant<Named<Tolerant<GroupDef>>>>,
    /// What happens, in order. Each step is a mapping with exactly one step kind, plus an
    /// optional `expect:` and `note:`.
    pub steps: Tolerant<Vec<Tolerant<StepFile>>>,
}

/// Named people and/or a block of generated people.
#[derive(Debug, Default)]
pub(crate) struct PeopleSection {
    pub named: Vec<(Located<String>, Tolerant<PersonDef>)>,
    pub generate: Option<Located<Tolerant<GenerateDef>>>,
}

impl<'de> Deserialize<'de> for PeopleSection {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = PeopleSection;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a mapping of person keys to people, and/or `generate:`")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<PeopleSection, A::Error> {
                let mut out = PeopleSection::default();
                while let Some(key) = map.next_key::<Located<String>>()? {
                    if key.value == "generate" {
                        out.generate = Some(map.next_value()?);
                    } else {
                        out.named.push((key, map.next_value()?));
                    }
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

impl JsonSchema for PeopleSection {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PeopleSection".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let person = generator.subschema_for::<PersonDef>();
        let generate = generator.subschema_for::<GenerateDef>();
        schemars::json_schema!({
            "type": "object",
            "description": "People in the Okta directory, by a key of your choice (`alice`), plus optionally `generate:` for many reproducible people.",
            "properties": { "generate": generate },
            "additionalProperties": person,
        })
    }
}

/// A person in the Okta directory.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct PersonDef {
    /// First name (SCIM `name.givenName`).
    pub first: String,
    /// Last name (SCIM `name.familyName`).
    pub last: String,
    /// Primary email.
    pub email: String,
    /// Okta username sent as SCIM `userName`. Default: the email.
    #[serde(default)]
    pub user_name: Option<String>,
    /// Display name Okta sends. Default: "first last".
    #[serde(default)]
    pub display_name: Option<String>,
    /// Job title.
    #[serde(default)]
    pub title: Option<String>,
    /// Locale, e.g. `en_US`.
    #[serde(default)]
    pub locale: Option<String>,
    /// Department (sent in the SCIM enterprise extension, like the five below).
    #[serde(default)]
    pub department: Option<String>,
    /// Enterprise `employeeNumber`.
    #[serde(default)]
    pub employee_number: Option<String>,
    /// Enterprise `costCenter`.
    #[serde(default)]
    pub cost_center: Option<String>,
    /// Enterprise `organization`.
    #[serde(default)]
    pub organization: Option<String>,
    /// Enterprise `division`.
    #[serde(default)]
    pub division: Option<String>,
    /// The manager, by person key: sent as enterprise `manager.value`, the manager's server id.
    #[serde(default)]
    pub manager: Option<String>,
    /// Custom app attributes by schema URN:
    /// `{"urn:ietf:params:scim:schemas:extension:zinc:2.0:User": {badge: 7, remote: true}}`.
    /// Values are strings, numbers or booleans.
    #[serde(default)]
    pub attributes: super::model::CustomAttributes,
}

/// Many reproducible people: the same seed gives the same people on every machine.
/// Keys are the prefix and a zero-padded number: `user001`, `user002`, …
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GenerateDef {
    /// How many people (1–10000).
    #[schemars(range(min = 1, max = 10000))]
    pub count: Located<u32>,
    /// The random seed; change it to get other people.
    pub seed: u64,
    /// Email domain, e.g. `example.com`.
    pub domain: Located<String>,
    /// Key prefix. Default: `user`.
    #[serde(default)]
    pub prefix: Option<Located<String>>,
}

/// An Okta group.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct GroupDef {
    /// The group's name in Okta (SCIM `displayName`).
    pub name: String,
    /// Its members: person keys, `user*` patterns, generated-people numbers (`7`, `"1..50"`).
    #[serde(default)]
    pub members: Option<PeopleRef>,
}

/// One or more people: a key (`alice`), a pattern with `*` (`user*`), the number of a generated
/// person (`7`), a range of them (`"1..50"`), or a list of these.
#[derive(Debug, Clone)]
pub(crate) struct PeopleRef(pub Vec<Located<PersonSelector>>);

/// A key, a `*` pattern, a generated person's number or a range `"a..b"`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PersonSelector {
    Number(u64),
    Text(String),
}

impl std::fmt::Display for PersonSelector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PersonSelector::Number(n) => write!(f, "{n}"),
            PersonSelector::Text(t) => f.write_str(t),
        }
    }
}

const SELECTOR_EXPECTED: &str = "a person key (`alice`), a pattern (`user*`), a generated person's number (`7`) or range (`\"1..50\"`)";

impl<'de> Deserialize<'de> for PersonSelector {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = PersonSelector;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(SELECTOR_EXPECTED)
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<PersonSelector, E> {
                Ok(PersonSelector::Number(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<PersonSelector, E> {
                u64::try_from(v)
                    .map(PersonSelector::Number)
                    .map_err(|_| E::invalid_value(serde::de::Unexpected::Signed(v), &self))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PersonSelector, E> {
                Ok(PersonSelector::Text(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// One item or a list of them.
#[derive(Debug, Clone)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<Located<T>>),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("one name or a list of names")
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany<T>, A::Error> {
                let mut out = Vec::new();
                while let Some(item) = seq.next_element::<Located<T>>()? {
                    out.push(item);
                }
                Ok(OneOrMany::Many(out))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<OneOrMany<T>, E> {
                T::deserialize(serde::de::value::U64Deserializer::<E>::new(v)).map(OneOrMany::One)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<OneOrMany<T>, E> {
                T::deserialize(serde::de::value::I64Deserializer::<E>::new(v)).map(OneOrMany::One)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany<T>, E> {
                T::deserialize(serde::de::value::StrDeserializer::<E>::new(v)).map(OneOrMany::One)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

fn flatten<T>(located: Located<OneOrMany<T>>) -> Vec<Located<T>> {
    match located.value {
        OneOrMany::One(v) => vec![Located {
            value: v,
            pos: located.pos,
        }],
        OneOrMany::Many(v) => v,
    }
}

impl<'de> Deserialize<'de> for PeopleRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(PeopleRef(flatten(
            Located::<OneOrMany<PersonSelector>>::deserialize(d)?,
        )))
    }
}

impl JsonSchema for PeopleRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PersonRefs".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let one = schemars::json_schema!({
            "anyOf": [
                { "type": "string", "description": "a person key, a `*` pattern, or a range of generated people `\"1..50\"`" },
                { "type": "integer", "minimum": 1, "description": "the number of a generated person" }
            ]
        });
        schemars::json_schema!({
            "description": SELECTOR_EXPECTED,
            "anyOf": [ one, { "type": "array", "items": one } ]
        })
    }
}

/// One or more Okta group keys.
#[derive(Debug, Clone)]
pub(crate) struct GroupsRef(pub Vec<Located<String>>);

impl<'de> Deserialize<'de> for GroupsRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(GroupsRef(flatten(
            Located::<OneOrMany<String>>::deserialize(d)?,
        )))
    }
}

impl JsonSchema for GroupsRef {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "GroupRefs".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "a group key or a list of group keys",
            "anyOf": [ { "type": "string" }, { "type": "array", "items": { "type": "string" } } ]
        })
    }
}

/// A step as written: one kind key, plus `expect`, `note` and (for `update_user` and
/// `edit_person`) `set`.
#[derive(Debug)]
pub(crate) struct StepFile {
    pub kind: Located<StepKind>,
    pub expect: Option<Tolerant<Located<Expect>>>,
    pub note: Option<String>,
    pub set: Option<Tolerant<Located<PersonChanges>>>,
}

/// The step kinds. Unit kinds may also be written as a bare list item (`- import_users`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum StepKind {
    /// Okta "Test API Credentials": `GET /Users`, and `GET /Groups` when Group Push is on.
    TestCredentials,
    /// Assign people to the app: Okta looks each one up by userName, then creates or links.
    AssignUser(PeopleRef),
    /// Change people in Okta and push the change (`GET` then `PUT`). Needs `set:`.
    UpdateUser(PeopleRef),
    /// Deactivate people in Okta (`active: false`).
    DeactivateUser(PeopleRef),
    /// Remove people from the app (`active: false`).
    UnassignUser(PeopleRef),
    /// Reactivate people in Okta (`active: true`; on 404 Okta creates them again).
    ReactivateUser(PeopleRef),
    /// Assign people again after unassignment (like reactivation).
    ReassignUser(PeopleRef),
    /// Read people by the server id Okta learned (`GET /Users/{id}`): a verification step.
    GetUser(PeopleRef),
    /// "Sync Password": send each person's Okta password to their app user (`oin`: path-less
    /// `PATCH {password}`; `aiw`: `GET` + `PUT` with `password`), redacted everywhere.
    SyncPassword(PeopleRef),
    /// Push groups (Push Groups tab): look up by name, then create or link.
    PushGroup(GroupsRef),
    /// Add people to an Okta group; Okta pushes the change.
    AddMembers(Membership),
    /// Remove people from an Okta group; Okta pushes the change.
    RemoveMembers(Membership),
    /// Rename an Okta group; Okta pushes the change.
    RenameGroup(Rename),
    /// "Push now": replace the group's members on the server with Okta's view.
    PushNow(GroupsRef),
    /// Stop pushing a group, optionally deleting it in the app (`DELETE /Groups/{id}`).
    UnlinkGroup(Unlink),
    /// "Refresh App Groups": list every group the app has (`GET /Groups`, paged).
    RefreshAppGroups,
    /// Import users from the app (`GET /Users`, paged).
    ImportUsers,
    /// Change people in the Okta directory only; sends nothing. Needs `set:`.
    EditPerson(PeopleRef),
    /// A raw SCIM request.
    Scim(ScimRequest),
    /// A Zinc Admin Console action (embedded mock only).
    Console(ConsoleFile),
    /// A Zinc Customer Support action (embedded mock only).
    Support(SupportAction),
    /// Make the embedded mock misbehave for matching requests.
    Fault(Fault),
}

/// The one list of step kinds and their names as written in a file (serde's snake_case of
/// the variant, which a test holds it to): the name tables and `StepKind::name` are made from
/// it, so a new kind is one line here beside its variant. `unit` marks the kinds that take
/// no value (and may be a bare list item).
macro_rules! step_kinds {
    ($($variant:ident => $name:literal $($unit:ident)?),* $(,)?) => {
        impl StepKind {
            /// Every step kind's name, as written in a file.
            pub(crate) const NAMES: &'static [&'static str] = &[$($name),*];

            /// The kinds that take no value.
            pub(crate) const UNIT: &'static [&'static str] = &[$($(step_kinds!(@unit $unit $name),)?)*];

            /// The kind's name, as written in a file.
            pub(crate) fn name(&self) -> &'static str {
                match self {
                    $(StepKind::$variant { .. } => $name),*
                }
            }
        }
    };
    (@unit unit $name:literal) => { $name };
}

step_kinds! {
    TestCredentials => "test_credentials" unit,
    AssignUser => "assign_user",
    UpdateUser => "update_user",
    DeactivateUser => "deactivate_user",
    UnassignUser => "unassign_user",
    ReactivateUser => "reactivate_user",
    ReassignUser => "reassign_user",
    GetUser => "get_user",
    SyncPassword => "sync_password",
    PushGroup => "push_group",
    AddMembers => "add_members",
    RemoveMembers => "remove_members",
    RenameGroup => "rename_group",
    PushNow => "push_now",
    UnlinkGroup => "unlink_group",
    RefreshAppGroups => "refresh_app_groups" unit,
    ImportUsers => "import_users" unit,
    EditPerson => "edit_person",
    Scim => "scim",
    Console => "console",
    Support => "support",
    Fault => "fault",
}

/// The keys a step may carry beside its kind.
pub(crate) const STEP_EXTRAS: &[&str] = &["expect", "note", "set"];

/// `{group: eng, people: [alice, bob]}`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Membership {
    /// The group's key.
    pub group: Located<String>,
    /// The people to add or remove.
    pub people: PeopleRef,
}

/// `{group: eng, to: "New name"}`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Rename {
    /// The group's key.
    pub group: Located<String>,
    /// The new name.
    pub to: String,
}

/// `{group: eng, delete: true}`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct Unlink {
    /// The group's key.
    pub group: Located<String>,
    /// Also delete the group in the app ("unlink, delete in target app"): `DELETE /Groups/{id}`.
    /// Default: false (keep it in the app).
    #[serde(default)]
    pub delete: bool,
}

/// Zinc Admin Console actions. Group references are Okta group keys (from `groups:`) or keys
/// given to `create_group`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum ConsoleFile {
    /// Create a console group (Zinc origin, never visible over SCIM).
    CreateGroup(CreateGroup),
    /// Rename a group (refused for a linked synced group, Z17).
    RenameGroup(Rename),
    /// Add members (refused for a linked synced group, Z17).
    AddMembers(Membership),
    /// Remove members (refused for a linked synced group, Z17).
    RemoveMembers(Membership),
    /// Set a group's admins (allowed on any group).
    SetAdmins(Membership),
    /// Delete a group (refused for a linked synced group, Z17).
    DeleteGroup(Located<String>),
    /// Unlink a synced group from Okta (Z18).
    UnlinkGroup(Located<String>),
    /// List users as the console shows them.
    ListUsers,
    /// List groups as the console shows them (every origin).
    ListGroups,
}

/// `{key: lunch, name: "Lunch club"}`
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateGroup {
    /// The key later steps use for this group.
    pub key: Located<String>,
    /// Its name in the console.
    pub name: String,
}

impl<'de> Deserialize<'de> for StepFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Located::<StepKeys>::deserialize(d).map(|l| l.value.into_step(l.pos))
    }
}

/// A step's entries, before the kind's position is known.
struct StepKeys {
    kind: Option<Located<StepKind>>,
    expect: Option<Tolerant<Located<Expect>>>,
    note: Option<String>,
    set: Option<Tolerant<Located<PersonChanges>>>,
}

impl StepKeys {
    fn into_step(self, pos: super::node::Pos) -> StepFile {
        let kind = match self.kind {
            // A bare `- import_users` learns its position here.
            Some(k) if k.pos == super::node::Pos::default() => Located {
                value: k.value,
                pos,
            },
            Some(k) => k,
            // Not reached: a step without a kind is an error in `visit_map`.
            None => Located {
                value: StepKind::TestCredentials,
                pos,
            },
        };
        StepFile {
            kind,
            expect: self.expect,
            note: self.note,
            set: self.set,
        }
    }
}

/// What a step kind may be: every name of [`StepKind::NAMES`].
fn kinds_expected() -> String {
    match StepKind::NAMES.split_last() {
        Some((last, rest)) => format!("a step kind: {} or {last}", rest.join(", ")),
        None => "a step kind".to_owned(),
    }
}

const STEP_EXPECTED: &str = "a step: a mapping with one step kind (e.g. `assign_user: alice`) and optionally `expect:`, `note:`, `set:`";

impl<'de> Deserialize<'de> for StepKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = StepKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(STEP_EXPECTED)
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<StepKeys, E> {
                // `- import_users`: a kind without a value.
                let Some(name) = StepKind::UNIT.iter().find(|n| **n == v) else {
                    let message = if StepKind::NAMES.contains(&v) {
                        format!("step kind `{v}` needs a value, e.g. `{v}: …`")
                    } else {
                        format!(
                            "unknown step kind `{v}`{}",
                            super::de::did_you_mean(v, StepKind::NAMES.iter().copied())
                        )
                    };
                    return Err(super::de::error_at(
                        super::node::Pos::default(),
                        &message,
                        &kinds_expected(),
                    ));
                };
                let kind = StepKind::deserialize(OneVariant {
                    name,
                    content: serde::de::value::UnitDeserializer::<E>::new(),
                })?;
                Ok(StepKeys {
                    kind: Some(Located {
                        value: kind,
                        pos: super::node::Pos::default(),
                    }),
                    expect: None,
                    note: None,
                    set: None,
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<StepKeys, A::Error> {
                let mut out = StepKeys {
                    kind: None,
                    expect: None,
                    note: None,
                    set: None,
                };
                while let Some(key) = map.next_key::<Located<String>>()? {
                    match key.value.as_str() {
                        "expect" => out.expect = Some(map.next_value()?),
                        "note" => out.note = Some(map.next_value()?),
                        "set" => out.set = Some(map.next_value()?),
                        k => {
                            let Some(name) = StepKind::NAMES.iter().find(|n| **n == k) else {
                                let all: Vec<&str> =
                                    StepKind::NAMES.iter().chain(STEP_EXTRAS).copied().collect();
                                return Err(super::de::error_at(
                                    key.pos,
                                    &format!(
                                        "unknown step kind `{k}`{}",
                                        super::de::did_you_mean(k, all.iter().copied())
                                    ),
                                    &kinds_expected(),
                                ));
                            };
                            if let Some(prev) = &out.kind {
                                let prev_name = prev.value.name();
                                return Err(super::de::error_at(
                                    key.pos,
                                    &format!(
                                        "a step does exactly one thing, but this one has both `{prev_name}` and `{k}`"
                                    ),
                                    &format!(
                                        "one step kind per step: start a new list item (`- {k}: …`)"
                                    ),
                                ));
                            }
                            let value = map.next_value_seed(KindSeed(name))?;
                            out.kind = Some(Located {
                                value,
                                pos: key.pos,
                            });
                        }
                    }
                }
                if out.kind.is_none() {
                    return Err(super::de::error_at(
                        super::node::Pos::default(),
                        "this step has no step kind, only expect/note/set",
                        "a step kind first, e.g. `- assign_user: alice`, then `expect:` below it",
                    ));
                }
                Ok(out)
            }
        }
        d.deserialize_any(V)
    }
}

impl JsonSchema for StepFile {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Step".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // One alternative per step kind: `{<kind>: …, expect?, note?, set?}`; unit kinds may
        // also be a bare string. Built from StepKind's own schema so they cannot drift.
        let kinds = generator.subschema_for::<StepKind>();
        let kinds = resolve(generator, kinds);
        let expect = generator.subschema_for::<Expect>();
        let changes = generator.subschema_for::<PersonChanges>();
        let mut alternatives = Vec::new();
        let mut unit_names = Vec::new();
        for alt in kinds
            .get("oneOf")
            .and_then(|v| v.as_array())
            .cloned()
            .unwrap_or_default()
        {
            let names = match (alt.get("enum"), alt.get("const")) {
                (Some(serde_json::Value::Array(names)), _) => Some(names.clone()),
                (_, Some(name)) => Some(vec![name.clone()]),
                _ => None,
            };
            if let Some(names) = names {
                for n in &names {
                    if let Some(n) = n.as_str() {
                        unit_names.push(n.to_string());
                        let mut props = serde_json::Map::new();
                        props.insert(n.to_string(), serde_json::json!({ "type": "null", "description": alt.get("description").cloned().unwrap_or_default() }));
                        props.insert("expect".into(), expect.clone().to_value());
                        props.insert("note".into(), serde_json::json!({ "type": "string", "description": "A comment shown in reports." }));
                        alternatives.push(serde_json::json!({
                            "type": "object", "properties": props, "required": [n], "additionalProperties": false
                        }));
                    }
                }
                continue;
            }
            if let (Some(props), Some(required)) = (alt.get("properties"), alt.get("required")) {
                let mut props = props.as_object().cloned().unwrap_or_default();
                let name = required
                    .get(0)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                if let Some(d) = alt.get("description")
                    && let Some(p) = props.get_mut(&name).and_then(|p| p.as_object_mut())
                {
                    p.entry("description").or_insert(d.clone());
                }
                props.insert("expect".into(), expect.clone().to_value());
                props.insert("note".into(), serde_json::json!({ "type": "string", "description": "A comment shown in reports." }));
                if name == "update_user" || name == "edit_person" {
                    props.insert("set".into(), changes.clone().to_value());
                }
                let mut required = vec![serde_json::Value::String(name.clone())];
                if name == "update_user" || name == "edit_person" {
                    required.push("set".into());
                }
                alternatives.push(serde_json::json!({
                    "type": "object", "properties": props, "required": required, "additionalProperties": false
                }));
            }
        }
        alternatives.push(serde_json::json!({ "type": "string", "enum": unit_names }));
        schemars::json_schema!({
            "description": STEP_EXPECTED,
            "oneOf": alternatives,
        })
    }
}

/// A `$ref` schema replaced by its definition.
fn resolve(generator: &schemars::SchemaGenerator, schema: schemars::Schema) -> schemars::Schema {
    let Some(reference) = schema.get("$ref").and_then(|r| r.as_str()) else {
        return schema;
    };
    let name = reference.rsplit('/').next().unwrap_or_default();
    generator
        .definitions()
        .get(name)
        .cloned()
        .and_then(|v| schemars::Schema::try_from(v).ok())
        .unwrap_or(schema)
}

/// Deserializes the value of a step's kind key as that kind.
struct KindSeed(&'static str);

impl<'de> serde::de::DeserializeSeed<'de> for KindSeed {
    type Value = StepKind;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<StepKind, D::Error> {
        StepKind::deserialize(OneVariant {
            name: self.0,
            content: d,
        })
    }
}

/// Presents `content` as the enum value `{name: content}`.
struct OneVariant<D> {
    name: &'static str,
    content: D,
}

impl<'de, D: serde::Deserializer<'de>> serde::Deserializer<'de> for OneVariant<D> {
    type Error = D::Error;
    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        visitor.visit_enum(self)
    }
    fn deserialize_enum<V: serde::de::Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        visitor.visit_enum(self)
    }
    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

impl<'de, D: serde::Deserializer<'de>> serde::de::EnumAccess<'de> for OneVariant<D> {
    type Error = D::Error;
    type Variant = Self;
    fn variant_seed<S: serde::de::DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self), D::Error> {
        let v = seed.deserialize(serde::de::value::BorrowedStrDeserializer::<D::Error>::new(
            self.name,
        ))?;
        Ok((v, self))
    }
}

impl<'de, D: serde::Deserializer<'de>> serde::de::VariantAccess<'de> for OneVariant<D> {
    type Error = D::Error;
    fn unit_variant(self) -> Result<(), D::Error> {
        struct Nothing(&'static str);
        impl<'v> serde::de::Visitor<'v> for Nothing {
            type Value = ();
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "nothing after `{}:` (it takes no value)", self.0)
            }
            fn visit_unit<E>(self) -> Result<(), E> {
                Ok(())
            }
            fn visit_none<E>(self) -> Result<(), E> {
                Ok(())
            }
            fn visit_map<A: serde::de::MapAccess<'v>>(self, mut map: A) -> Result<(), A::Error> {
                // `{}` is fine too.
                match map.next_key::<serde::de::IgnoredAny>()? {
                    None => Ok(()),
                    Some(_) => Err(serde::de::Error::invalid_type(
                        serde::de::Unexpected::Map,
                        &self,
                    )),
                }
            }
        }
        let name = self.name;
        self.content.deserialize_any(Nothing(name))
    }
    fn newtype_variant_seed<T: serde::de::DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, D::Error> {
        seed.deserialize(self.content)
    }
    fn tuple_variant<V: serde::de::Visitor<'de>>(
        self,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.content.deserialize_seq(visitor)
    }
    fn struct_variant<V: serde::de::Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.content.deserialize_struct("", fields, visitor)
    }
}

/// The JSON Schema of a `rules:` list: the catalogue's ids.
fn rule_ids(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    let ids: Vec<String> = crate::contract::all().map(|s| s.id.to_string()).collect();
    schemars::json_schema!({
        "type": ["array", "null"],
        "items": { "type": "string", "enum": ids }
    })
}

#[cfg(test)]
mod tests {
    use super::{OneVariant, StepKind};
    use serde::Deserialize;

    #[test]
    fn the_step_kind_list_is_serdes_own() {
        assert_eq!(
            StepKind::NAMES,
            crate::test_support::serde_variants::<StepKind>()
        );
        for name in StepKind::UNIT {
            let kind = StepKind::deserialize(OneVariant {
                name,
                content: serde::de::value::UnitDeserializer::<serde::de::value::Error>::new(),
            })
            .expect("a unit kind takes no value");
            assert_eq!(kind.name(), *name);
        }
    }
}
