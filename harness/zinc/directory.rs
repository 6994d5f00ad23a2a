//! The HTTP-agnostic core of the mock Zinc: the directory state and one function per SCIM
//! operation, each returning a SCIM resource or a [`ScimError`]. Every rule is enforced here,
//! marked with its id (`Z7`), except the transport rules (Z20, Z21, Z24 body size) which live
//! in the HTTP shell.
//!
//! Locking: one `parking_lot::RwLock` over the directory; reads share it, a write holds it
//! only while it applies an already validated change. Settings (token, scope, policy) have
//! their own lock so authentication never waits for a directory write.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use parking_lot::RwLock;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::bugs::Bug;
use super::config::{
    DeletedGroupPolicy, Provisioning, ResourceKind, Rule, Rules, Scope, ZincConfig,
};
use super::store::{
    Cached, GroupRec, MultiIndex, NaiveUser, OrderIndex, OrderedSet, Origin, Records, UserRec,
    fold, now_ms, rfc3339,
};
use crate::scim::error::json_kind;
use crate::scim::{
    self, CompValue, CompareOp, Filter, ListResponse, Member, Meta, Name, PatchOp, PatchOpKind,
    PatchPath, ScimError, ScimType,
};

/// A SCIM resource as the server sends it (what the reads return): serialized JSON, cheap to
/// pass on. `serde_json::from_str(json.get())` gives a [`scim::User`] or [`scim::Group`].
pub(crate) type Json = Box<RawValue>;

fn raw_json(resource: &impl serde::Serialize) -> Json {
    // Our resource types have string keys only, so serializing cannot fail.
    serde_json::value::to_raw_value(resource).expect("a SCIM resource serializes")
}

/// `count` when the request gives none (Z22, ours).
pub(crate) const DEFAULT_COUNT: usize = 100;
/// The largest `count` served; larger ones are capped (Z24, ours).
pub const MAX_COUNT: usize = 1000;

/// Core User attributes Zinc accepts and ignores in a PATCH path (Z9).
const IGNORED_USER_ATTRS: &[&str] = &[
    "nickName",
    "profileUrl",
    "title",
    "userType",
    "preferredLanguage",
    "locale",
    "timezone",
    "password",
    "phoneNumbers",
    "ims",
    "photos",
    "addresses",
    "groups",
    "entitlements",
    "roles",
    "x509Certificates",
];
/// Read-only attributes echoed back by Okta's PUT and in path-less PATCH values (Z12).
const READ_ONLY_ATTRS: &[&str] = &["id", "meta", "schemas"];

/// The list query of `GET /Users` and `GET /Groups`, already URL-decoded.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub filter: Option<String>,
    /// 1-based; values below 1 read as 1.
    pub start_index: Option<i64>,
    /// Negative reads as 0; capped at [`MAX_COUNT`] (Z24).
    pub count: Option<i64>,
    /// `excludedAttributes` names `members`: group bodies leave them out (RFC 7644 §3.4.2.5;
    /// Entra reads groups this way, entra-client-reference.md rows 15, 17). Other excluded
    /// attributes are not honoured (ours: Zinc's resources are small).
    pub exclude_members: bool,
}

impl ListQuery {
    /// Reads `filter`, `startIndex` and `count` from a raw query string (both `%20` and `+`
    /// encodings of spaces, Z23). Other parameters are ignored. A non-integer `startIndex` or
    /// `count` is `invalidValue`.
    pub fn from_query(raw: Option<&str>) -> Result<ListQuery, ScimError> {
        let mut q = ListQuery::default();
        for (key, value) in scim::filter::decode_query(raw.unwrap_or("")) {
            let int = |v: &str| {
                v.trim().parse::<i64>().map_err(|_| {
                    ScimError::invalid_value(format!("{key} must be an integer, got {v:?}"))
                })
            };
            if key.eq_ignore_ascii_case("filter") {
                q.filter = Some(value);
            } else if key.eq_ignore_ascii_case("startIndex") {
                q.start_index = Some(int(&value)?);
            } else if key.eq_ignore_ascii_case("count") {
                q.count = Some(int(&value)?);
            } else if key.eq_ignore_ascii_case("excludedAttributes") {
                q.exclude_members = value
                    .split(',')
                    .any(|a| a.trim().eq_ignore_ascii_case("members"));
            }
        }
        Ok(q)
    }

    /// Z23: the filter, if one was given. An empty or blank `filter=` is refused like any
    /// other unsupported filter: answering everyone would hide the very mistake (a client
    /// that lost its filter) the harness exists to catch.
    fn parsed_filter(&self) -> Result<Option<Filter>, ScimError> {
        match self.filter.as_deref() {
            None => Ok(None),
            Some(f) if f.trim().is_empty() => Err(ScimError::invalid_filter(
                "the filter is empty: give a comparison such as `externalId eq \"…\"`, or leave \
                 out the filter parameter to list everything",
            )),
            Some(f) => Filter::parse(f).map(Some),
        }
    }

    fn window(&self) -> (usize, usize) {
        // Z22: 1-based startIndex; default count 100; Z24: count capped at 1000.
        let start = self.start_index.unwrap_or(1).max(1) as usize;
        let count = self
            .count
            .map(|c| c.max(0) as usize)
            .unwrap_or(DEFAULT_COUNT)
            .min(MAX_COUNT);
        (start, count)
    }
}

/// The instance settings (Z1, Z2, Z3, Z19).
#[derive(Debug, Clone)]
pub(crate) struct SettingsState {
    pub(crate) provisioning: Provisioning,
    /// The token given in the configuration: enabling provisioning issues it (so a `serve`
    /// user who started disabled with `--token` knows it), otherwise a random one.
    pub(crate) preset_token: Option<String>,
    pub(crate) token: Option<String>,
    pub(crate) scope: Scope,
    pub(crate) policy: DeletedGroupPolicy,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) users: Records<UserRec>,
    pub(crate) user_order: OrderIndex,
    pub(crate) user_by_name: MultiIndex,
    pub(crate) user_by_ext: MultiIndex,
    /// Removed users, kept only while Z11 is switched off.
    pub(crate) removed: HashMap<Uuid, UserRec>,
    /// Removed users by folded userName with their groups, kept only while
    /// [`Bug::RecreatedUserGetsOldId`] or [`Bug::RecreatedUserGetsOldGroups`] is on.
    pub(crate) graveyard: HashMap<String, (Uuid, Vec<Uuid>)>,
    pub(crate) groups: Records<GroupRec>,
    pub(crate) group_order: OrderIndex,
    pub(crate) scim_order: OrderIndex,
    pub(crate) group_by_name: MultiIndex,
    pub(crate) group_by_ext: MultiIndex,
    /// Groups whose members a PATCH changed, kept only for [`Bug::SecondMemberPatchRefused`].
    pub(crate) member_patched: HashSet<Uuid>,
    /// Whether a create was throttled, kept only for [`Bug::ThrottlesWithoutRetryAfter`].
    pub(crate) throttled: bool,
}

/// The mock Zinc's directory and settings: the whole server minus HTTP.
#[derive(Debug)]
pub struct Directory {
    pub(crate) state: RwLock<State>,
    pub(crate) settings: RwLock<SettingsState>,
    pub(crate) rules: Rules,
    base_url: String,
}

/// A new random bearer token.
pub(crate) fn new_token() -> String {
    format!(
        "zinc_{}{}",
        Uuid::new_v4().simple(),
        Uuid::new_v4().simple()
    )
}

/// Z4: `local@domain`, a domain with a dot, no spaces.
pub(crate) fn is_email(s: &str) -> bool {
    if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

fn get_ci<'a>(obj: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    obj.get(key).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// The longest string value stored, in bytes (names, userName, externalId, displayName).
/// Without it 100 users with a 1 MB `givenName` make one list answer a 200 MB body.
pub const MAX_VALUE_BYTES: usize = 4096;

fn opt_string(v: Option<&Value>, what: &str) -> Result<Option<String>, ScimError> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.len() > MAX_VALUE_BYTES => {
            Err(ScimError::invalid_value(format!(
                "{what} is {} bytes long; the limit for a value is {MAX_VALUE_BYTES} bytes",
                s.len()
            )))
        }
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(ScimError::invalid_value(format!(
            "{what} must be a string, got {}",
            json_kind(other)
        ))),
    }
}

/// Z13: `active` as a boolean, or the strings "true"/"false" (ours).
fn parse_active(v: &Value) -> Result<bool, ScimError> {
    match v {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(ScimError::invalid_value(format!(
            "active must be a boolean, got {}",
            match other {
                Value::String(s) => format!("the string {s:?}"),
                v => json_kind(v).to_owned(),
            }
        ))),
    }
}

fn body_object(body: &Value) -> Result<&Map<String, Value>, ScimError> {
    body.as_object().ok_or_else(|| {
        ScimError::invalid_syntax(format!(
            "the body must be a JSON object, got {}",
            json_kind(body)
        ))
    })
}

fn is_core_or_none(urn: &Option<String>, schema: &str) -> bool {
    urn.as_deref().is_none_or(|u| {
        schema
            .to_ascii_lowercase()
            .starts_with(&u.to_ascii_lowercase())
    })
}

/// The hit of an `id eq "…"` filter: that id, when it parses and names a resource that
/// `exists` (anything else matches nothing).
fn id_hit(value: &str, exists: impl Fn(&Uuid) -> bool) -> Vec<Uuid> {
    Uuid::parse_str(value)
        .ok()
        .filter(exists)
        .into_iter()
        .collect()
}

/// The mutable part of a user, as a request sets it.
#[derive(Debug, Clone, PartialEq)]
struct UserWork {
    user_name: String,
    given: String,
    family: String,
    external_id: Option<String>,
    active: bool,
    emails: Option<Value>,
    display_name: Option<String>,
    /// Z9 off only: extension objects by schema URN.
    extensions: Map<String, Value>,
}

impl UserWork {
    fn from_rec(u: &UserRec) -> Self {
        Self {
            user_name: u.user_name.to_string(),
            given: u.given.to_string(),
            family: u.family.to_string(),
            external_id: u.external_id.as_deref().map(str::to_owned),
            active: u.active,
            emails: u.naive.as_ref().and_then(|n| n.emails.clone()),
            display_name: u.naive.as_ref().and_then(|n| n.display_name.clone()),
            extensions: u
                .naive
                .as_ref()
                .map(|n| n.extensions.clone())
                .unwrap_or_default(),
        }
    }
}

/// Entra's legacy PATCH writes `op` capitalised (`Replace`); [`Bug::CapitalisedOpRefused`]
/// refuses that the way a strict server does.
fn refuse_capitalised_ops(body: &Value) -> Result<(), ScimError> {
    let ops = body
        .get("Operations")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    for (i, op) in ops.iter().enumerate() {
        if let Some(text) = op.get("op").and_then(Value::as_str)
            && text != text.to_ascii_lowercase()
        {
            return Err(ScimError::invalid_value(format!(
                "Operations[{i}].op {text:?}: must be \"add\", \"remove\" or \"replace\""
            )));
        }
    }
    Ok(())
}

/// Decoded POST/PUT User body.
struct UserInput {
    user_name: Option<String>,
    given: Option<String>,
    family: Option<String>,
    external_id: Option<String>,
    active: Option<bool>,
    emails: Option<Value>,
    display_name: Option<String>,
    extensions: Map<String, Value>,
}

/// The extension objects of a User body: top-level `urn:…` keys other than the core schema.
fn extension_objects(obj: &Map<String, Value>) -> Map<String, Value> {
    obj.iter()
        .filter(|(k, v)| {
            k.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
                && !k.eq_ignore_ascii_case(scim::USER_SCHEMA)
                && v.is_object()
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn decode_user(body: &Value) -> Result<UserInput, ScimError> {
    let obj = body_object(body)?;
    let user_name = opt_string(get_ci(obj, "userName"), "userName")?;
    let (given, family) = match get_ci(obj, "name") {
        None | Some(Value::Null) => (None, None),
        Some(Value::Object(name)) => (
            opt_string(get_ci(name, "givenName"), "name.givenName")?,
            opt_string(get_ci(name, "familyName"), "name.familyName")?,
        ),
        Some(other) => {
            return Err(ScimError::invalid_value(format!(
                "name must be an object, got {}",
                json_kind(other)
            )));
        }
    };
    let external_id = opt_string(get_ci(obj, "externalId"), "externalId")?;
    let active = match get_ci(obj, "active") {
        None | Some(Value::Null) => None,
        Some(v) => Some(parse_active(v)?),
    };
    // Z5, Z8, Z9, Z12: emails, displayName, password and the rest are ignored, whatever type.
    let emails = get_ci(obj, "emails").cloned();
    let display_name = get_ci(obj, "displayName")
        .and_then(Value::as_str)
        .map(str::to_owned);
    Ok(UserInput {
        user_name,
        given,
        family,
        external_id,
        active,
        emails,
        display_name,
        extensions: extension_objects(obj),
    })
}

/// Member ids of a `members` value: an array of `{"value": id, …}` (`display`, `type`, `$ref`
/// ignored; Z16 member objects without `type`). `null` is the empty list.
fn decode_members(v: &Value) -> Result<Vec<String>, ScimError> {
    let items: &[Value] = match v {
        Value::Null => &[],
        Value::Array(items) => items,
        // A lone member object is read as a list of one.
        Value::Object(_) => std::slice::from_ref(v),
        other => {
            return Err(ScimError::invalid_value(format!(
                "members must be an array of member objects, got {}",
                json_kind(other)
            )));
        }
    };
    items
        .iter()
        .map(|m| match m {
            Value::Object(o) => match get_ci(o, "value") {
                Some(Value::String(id)) => Ok(id.clone()),
                Some(other) => Err(ScimError::invalid_value(format!(
                    "a member's value must be a string id, got {}",
                    json_kind(other)
                ))),
                None => Err(ScimError::invalid_value(
                    "a member object needs a value (the user id)",
                )),
            },
            other => Err(ScimError::invalid_value(format!(
                "a member must be an object with a value, got {}",
                json_kind(other)
            ))),
        })
        .collect()
}

/// The entries of a path-less PATCH value as (path, value). Extension containers and
/// extension attributes (`urn:…:enterprise:2.0:User`, Okta's `urn:okta:custom:group:1.0`) are
/// accepted and ignored (Z9); a core-schema container is opened.
fn pathless_entries<'a>(
    values: &'a Map<String, Value>,
    core: &str,
) -> Result<Vec<(PatchPath, &'a Value)>, ScimError> {
    let mut out = Vec::new();
    for (key, value) in values {
        if key.eq_ignore_ascii_case(core) {
            let Value::Object(inner) = value else {
                return Err(ScimError::invalid_value(format!("{key} must be an object")));
            };
            for (k, v) in inner {
                out.push((PatchPath::parse(k)?, v));
            }
        } else if key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("urn:"))
            && !key
                .to_ascii_lowercase()
                .starts_with(&format!("{}:", core.to_ascii_lowercase()))
        {
            continue;
        } else {
            out.push((PatchPath::parse(key)?, value));
        }
    }
    Ok(out)
}

/// Calls `apply` with every (op, path, value) of a PATCH whose path is in the `core` schema,
/// in the request's order: an operation's own path, or each entry of a path-less operation's
/// object value ([`pathless_entries`]). Paths of other schemas (extensions) are accepted and
/// ignored. The first error stops it, so a later operation's bad path does not hide an
/// earlier one's error.
fn for_each_core_path(
    patch: &PatchOp,
    core: &str,
    mut apply: impl FnMut(PatchOpKind, &PatchPath, Option<&Value>) -> Result<(), ScimError>,
) -> Result<(), ScimError> {
    let mut core_only = |op, path: &PatchPath, value| {
        if is_core_or_none(&path.attr.urn, core) {
            apply(op, path, value)
        } else {
            Ok(())
        }
    };
    for op in &patch.operations {
        match &op.path {
            Some(path) => core_only(op.op, &PatchPath::parse(path)?, op.value.as_ref())?,
            None => {
                // Path-less: an object whose keys are attribute paths.
                let Some(Value::Object(values)) = &op.value else {
                    return Err(ScimError::invalid_value(
                        "a PATCH operation without a path needs an object value",
                    ));
                };
                for (path, value) in pathless_entries(values, core)? {
                    core_only(op.op, &path, Some(value))?;
                }
            }
        }
    }
    Ok(())
}

/// Planned membership changes of one request, applied only once the whole request is valid;
/// O(changed members).
#[derive(Debug, Default)]
struct MembershipPlan {
    clear: bool,
    changes: IndexMap<Uuid, bool>,
}

impl MembershipPlan {
    fn has(&self, base: &OrderedSet, id: &Uuid) -> bool {
        match self.changes.get(id) {
            Some(present) => *present,
            None => !self.clear && base.contains(id),
        }
    }
    fn add(&mut self, ids: Vec<Uuid>) {
        for id in ids {
            self.changes.insert(id, true);
        }
    }
    fn remove(&mut self, ids: impl IntoIterator<Item = Uuid>) {
        for id in ids {
            self.changes.insert(id, false);
        }
    }
    fn replace(&mut self, ids: Vec<Uuid>) {
        self.clear = true;
        self.changes.clear();
        self.add(ids);
    }
    /// The members the plan would leave, for filter evaluation.
    fn current(&self, base: &OrderedSet) -> Vec<Uuid> {
        let mut out: Vec<Uuid> = if self.clear {
            Vec::new()
        } else {
            base.iter()
                .filter(|id| self.changes.get(id).copied().unwrap_or(true))
                .collect()
        };
        out.extend(
            self.changes
                .iter()
                .filter(|(id, p)| **p && (self.clear || !base.contains(id)))
                .map(|(id, _)| *id),
        );
        out
    }
}

/// Evaluates a value filter on a member (`value`, `display`), for `members[…]` paths.
fn member_matches(filter: &Filter, value: &str, display: &str) -> Result<bool, ScimError> {
    Ok(match filter {
        Filter::Compare {
            attr,
            op,
            value: CompValue::Str(v),
        } => {
            let actual = if attr.is("value") {
                value
            } else if attr.is("display") {
                display
            } else {
                return Err(ScimError::invalid_filter(format!(
                    "members can be filtered on value or display, not {attr}"
                )));
            };
            match op {
                CompareOp::Eq => actual == v,
                CompareOp::Ne => actual != v,
                CompareOp::Co => actual.contains(v.as_str()),
                CompareOp::Sw => actual.starts_with(v.as_str()),
                CompareOp::Ew => actual.ends_with(v.as_str()),
                _ => {
                    return Err(ScimError::invalid_filter(format!(
                        "operator {} is not supported on members",
                        op.as_str()
                    )));
                }
            }
        }
        Filter::Present(attr) if attr.is("value") || attr.is("display") => true,
        // Flat lists (see `Filter::And`): a loop over the terms, not one frame per term.
        Filter::And(terms) => {
            for t in terms {
                if !member_matches(t, value, display)? {
                    return Ok(false);
                }
            }
            true
        }
        Filter::Or(terms) => {
            for t in terms {
                if member_matches(t, value, display)? {
                    return Ok(true);
                }
            }
            false
        }
        Filter::Not(a) => !member_matches(a, value, display)?,
        _ => return Err(ScimError::invalid_filter("unsupported member filter")),
    })
}

impl Directory {
    /// A directory with the settings of `config`; `base_url` is the absolute SCIM base URL
    /// used in `meta.location` (e.g. `http://127.0.0.1:8080/scim/v2`).
    pub fn new(config: &ZincConfig, base_url: impl Into<String>) -> Self {
        let token = match config.provisioning {
            Provisioning::Enabled => Some(config.token.clone().unwrap_or_else(new_token)),
            Provisioning::Disabled => None,
        };
        Self {
            state: RwLock::new(State::default()),
            settings: RwLock::new(SettingsState {
                provisioning: config.provisioning,
                preset_token: config.token.clone(),
                token,
                scope: config.scope,
                policy: config.deleted_group_policy,
            }),
            rules: Rules::new(config.broken_rules().clone(), config.bugs().clone()),
            base_url: base_url.into(),
        }
    }

    /// The absolute SCIM base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    pub(crate) fn on(&self, rule: Rule) -> bool {
        self.rules.on(rule)
    }

    /// True while the mock makes this test-only mistake ([`Bug`]).
    pub(crate) fn bug(&self, bug: Bug) -> bool {
        self.rules.has(bug)
    }

    // ----------------------------------------------------------------------------------
    // Instance gate

    /// Z1, Z2: checks the `Authorization` header of a SCIM request.
    pub fn authenticate(&self, authorization: Option<&[u8]>) -> Result<(), ScimError> {
        let settings = self.settings.read();
        // Z1: while provisioning is disabled no token exists and every SCIM request is 401.
        let Some(token) = settings.token.as_deref() else {
            if !self.on(Rule::Z1) {
                return Ok(());
            }
            return Err(ScimError::new(
                401,
                "Provisioning is not enabled for this Zinc instance, so no API token exists. \
                 Contact Zinc Customer Support to have user and group provisioning enabled and \
                 to obtain a token.",
            ));
        };
        if !self.on(Rule::Z2) {
            return Ok(());
        }
        // Z2: only `Bearer <current token>`, compared in constant time.
        let Some(header) = authorization else {
            return Err(ScimError::new(
                401,
                "Missing Authorization header: send `Authorization: Bearer <token>` with the \
                 token issued by Zinc Customer Support.",
            ));
        };
        let presented = header
            .iter()
            .position(|b| *b == b' ')
            .filter(|&i| header[..i].eq_ignore_ascii_case(b"bearer"))
            .map(|i| header[i + 1..].trim_ascii());
        let Some(presented) = presented else {
            return Err(ScimError::new(
                401,
                "Malformed Authorization header: expected `Bearer <token>`.",
            ));
        };
        if bool::from(presented.ct_eq(token.as_bytes())) {
            Ok(())
        } else {
            Err(ScimError::new(
                401,
                "Invalid bearer token; it is not the current token of this Zinc instance \
                 (it may have been rotated).",
            ))
        }
    }

    /// Z3: the sync scope allows this kind of resource.
    pub fn check_scope(&self, kind: ResourceKind) -> Result<(), ScimError> {
        if !self.on(Rule::Z3) {
            return Ok(());
        }
        let scope = self.settings.read().scope;
        if scope.contains(kind) {
            return Ok(());
        }
        let missing = kind.as_str();
        Err(ScimError::new(
            403,
            format!(
                "This Zinc instance is not allowed to sync {missing} (its sync scope is: \
                 {scope}). Contact Zinc Customer Support to allow syncing both users and groups."
            ),
        ))
    }

    // ----------------------------------------------------------------------------------
    // Representations

    fn location(&self, kind: &str, id: &Uuid) -> String {
        // Built by hand, not `format!`: this runs on every read (see `bench`).
        let mut buf = Uuid::encode_buffer();
        let id = id.hyphenated().encode_lower(&mut buf);
        let mut s = String::with_capacity(self.base_url.len() + kind.len() + id.len() + 2);
        for part in [&*self.base_url, "/", kind, "/", id] {
            s.push_str(part);
        }
        s
    }

    /// A user's body as served: built once, kept until the record changes (see `Cached`).
    fn user_json<'a>(&self, id: &Uuid, u: &'a UserRec) -> &'a RawValue {
        u.json.get_or_init(|| raw_json(&self.user_repr(id, u)))
    }

    /// A group's body as served, like [`Directory::user_json`].
    fn group_json<'a>(&self, state: &State, id: &Uuid, g: &'a GroupRec) -> &'a RawValue {
        g.json
            .get_or_init(|| raw_json(&self.group_repr(state, id, g)))
    }

    /// A group's body for a read that excluded `members` (not cached: Entra's reads only).
    /// While [`Bug::MembersDespiteExcluded`] is on, the members stay in.
    fn group_json_for(
        &self,
        state: &State,
        id: &Uuid,
        g: &GroupRec,
        exclude_members: bool,
    ) -> Json {
        if !exclude_members || self.bug(Bug::MembersDespiteExcluded) {
            return self.group_json(state, id, g).to_owned();
        }
        let mut v = serde_json::to_value(self.group_repr(state, id, g)).unwrap_or(Value::Null);
        if let Some(obj) = v.as_object_mut() {
            obj.remove("members");
        }
        raw_json(&v)
    }

    /// The extension objects a user keeps: none while Z9 holds (Zinc ignores them); as a
    /// generic server (Z9 off, `Bug::KeepsExtensions`), those sent (a PUT replaces them).
    fn kept_extensions(
        &self,
        sent: Map<String, Value>,
        old: Option<&Map<String, Value>>,
    ) -> Map<String, Value> {
        if !self.keeps_extensions() {
            return Map::new();
        }
        let mut kept = match old {
            // Bug: a PUT merged into the stored user, so what it left out survives.
            Some(old) if self.bug(Bug::PutKeepsOmittedAttributes) => {
                let mut merged = old.clone();
                for (urn, obj) in sent {
                    match (merged.get_mut(&urn), obj) {
                        (Some(Value::Object(m)), Value::Object(o)) => m.extend(o),
                        (_, o) => {
                            merged.insert(urn, o);
                        }
                    }
                }
                merged
            }
            _ => sent,
        };
        if self.bug(Bug::DropsEnterpriseExtension) {
            kept.retain(|urn, _| !urn.eq_ignore_ascii_case(scim::ENTERPRISE_USER_SCHEMA));
        }
        kept
    }

    fn user_repr(&self, id: &Uuid, u: &UserRec) -> scim::User {
        let naive = u.naive.as_deref();
        // Z8: displayName is derived from the name parts.
        let derived = [u.given.trim(), u.family.trim()]
            .join(" ")
            .trim()
            .to_owned();
        let display_name = match naive.and_then(|n| n.display_name.clone()) {
            Some(sent) if !self.on(Rule::Z8) => Some(sent),
            _ if derived.is_empty() => None,
            _ => Some(derived),
        };
        // Z5: exactly one email, the userName, work and primary.
        let emails = match naive.and_then(|n| n.emails.as_ref()) {
            Some(sent) if !self.on(Rule::Z5) => {
                serde_json::from_value::<Vec<scim::Email>>(sent.clone()).unwrap_or_default()
            }
            _ => vec![scim::Email {
                value: u.user_name.to_string(),
                kind: Some("work".to_owned()),
                primary: Some(true),
            }],
        };
        let non_empty = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        let mut schemas = vec![scim::USER_SCHEMA.to_owned()];
        let mut extra = Map::new();
        if self.keeps_extensions()
            && let Some(n) = naive
        {
            for (urn, obj) in &n.extensions {
                schemas.push(urn.clone());
                extra.insert(urn.clone(), obj.clone());
            }
        }
        scim::User {
            schemas,
            id: Some(id.to_string()),
            external_id: u.external_id.as_deref().map(str::to_owned),
            user_name: u.user_name.to_string(),
            // RFC 7643 §2.5: an empty complex attribute is unassigned, so it is not returned.
            name: Some(Name {
                given_name: non_empty(&u.given),
                family_name: non_empty(&u.family),
                formatted: None,
            })
            .filter(|n| *n != Name::default()),
            display_name,
            emails,
            active: Some(u.active),
            meta: Some(Meta {
                resource_type: "User".to_owned(),
                created: Some(rfc3339(u.created)),
                last_modified: Some(rfc3339(u.modified)),
                location: Some(self.location("Users", id)),
            }),
            extra,
        }
    }

    fn group_repr(&self, state: &State, id: &Uuid, g: &GroupRec) -> scim::Group {
        scim::Group {
            schemas: vec![scim::GROUP_SCHEMA.to_owned()],
            id: Some(id.to_string()),
            external_id: g.external_id.as_deref().map(str::to_owned),
            display_name: g.display_name.to_string(),
            // Z16: members as {value, display}, display being the member's userName.
            members: {
                let mut members: Vec<Member> = g
                    .members
                    .iter()
                    .map(|m| Member {
                        value: m.to_string(),
                        display: state.users.get(&m).map(|u| {
                            if self.bug(Bug::OwnsMemberDisplay) {
                                [u.given.trim(), u.family.trim()]
                                    .join(" ")
                                    .trim()
                                    .to_owned()
                            } else {
                                u.user_name.to_string()
                            }
                        }),
                    })
                    .collect();
                if self.bug(Bug::SortsMembers) {
                    members.sort_by(|a, b| a.value.cmp(&b.value));
                }
                members
            },
            meta: Some(Meta {
                resource_type: "Group".to_owned(),
                created: Some(rfc3339(g.created)),
                last_modified: Some(rfc3339(g.modified)),
                location: Some(self.location("Groups", id)),
            }),
            extra: Map::new(),
        }
    }

    // ----------------------------------------------------------------------------------
    // Users

    fn user_not_found(id: &str) -> ScimError {
        ScimError::not_found(format!("User {id} not found"))
    }

    fn validate_user_name(&self, name: &str) -> Result<(), ScimError> {
        if name.trim().is_empty() {
            return Err(ScimError::invalid_value("userName is required"));
        }
        // Z4: userName must be an email address.
        if self.on(Rule::Z4) && !is_email(name) {
            return Err(ScimError::invalid_value(format!(
                "userName {name:?} is not an email address: Zinc users are identified by their \
                 email (local@domain)"
            )));
        }
        Ok(())
    }

    /// Z6: is `name` taken (case-insensitively) by a user other than `except`?
    fn user_name_taken(&self, state: &State, name: &str, except: Option<Uuid>) -> bool {
        let case_sensitive = self.bug(Bug::UserNameUniqueCaseSensitive);
        self.on(Rule::Z6)
            && state.user_by_name.get(&fold(name)).iter().any(|id| {
                Some(*id) != except
                    && (!case_sensitive
                        || state.users.get(id).is_some_and(|u| *u.user_name == *name))
            })
    }

    fn conflict(&self, name: &str) -> ScimError {
        let detail =
            format!("userName {name:?} is already taken (userNames compare case-insensitively)");
        if self.bug(Bug::ConflictWithoutScimType) {
            return ScimError::new(409, detail);
        }
        ScimError::typed(409, ScimType::Uniqueness, detail)
    }

    fn insert_user(state: &mut State, id: Uuid, work: &UserWork, naive: bool, created: u64) {
        let slot = state.user_order.push(id);
        state.user_by_name.insert(&fold(&work.user_name), id);
        if let Some(ext) = &work.external_id {
            state.user_by_ext.insert(ext, id);
        }
        let now = now_ms();
        state.users.insert(
            id,
            UserRec {
                slot,
                user_name: work.user_name.as_str().into(),
                given: work.given.as_str().into(),
                family: work.family.as_str().into(),
                external_id: work.external_id.as_deref().map(Into::into),
                active: work.active,
                created,
                modified: now,
                links: None,
                naive: naive.then(|| {
                    Box::new(NaiveUser {
                        emails: work.emails.clone(),
                        display_name: work.display_name.clone(),
                        extensions: work.extensions.clone(),
                    })
                }),
                json: Cached::default(),
            },
        );
    }

    fn naive_user_fields(&self) -> bool {
        !self.on(Rule::Z5) || !self.on(Rule::Z8) || self.keeps_extensions()
    }

    /// Extension objects are kept like a generic server's: Z9 off or `Bug::KeepsExtensions`.
    fn keeps_extensions(&self) -> bool {
        !self.on(Rule::Z9) || self.bug(Bug::KeepsExtensions)
    }

    /// `POST /Users`.
    pub fn create_user(&self, body: &Value) -> Result<scim::User, ScimError> {
        let mut state = self.state.write();
        if self.bug(Bug::ThrottlesWithoutRetryAfter)
            && !std::mem::replace(&mut state.throttled, true)
        {
            return Err(ScimError::new(429, "Too many requests"));
        }
        let id = self.seed_user(&mut state, body)?;
        Ok(self.user_repr(&id, &state.users[&id]))
    }

    /// Validates a User body and adds the user (POST /Users, fixtures).
    pub(crate) fn seed_user(&self, state: &mut State, body: &Value) -> Result<Uuid, ScimError> {
        let input = decode_user(body)?;
        let user_name = input.user_name.unwrap_or_default();
        self.validate_user_name(&user_name)?;
        // Z10: a user cannot be created deactivated (ours).
        if input.active == Some(false)
            && self.on(Rule::Z10)
            && !self.bug(Bug::KeepsDeactivatedUsers)
        {
            return Err(ScimError::invalid_value(
                "Zinc has no deactivated users: a user cannot be created with active: false",
            ));
        }
        let work = UserWork {
            user_name,
            given: input.given.unwrap_or_default(),
            family: input.family.unwrap_or_default(),
            external_id: input.external_id,
            active: input.active.unwrap_or(true),
            emails: input.emails,
            display_name: input.display_name,
            extensions: self.kept_extensions(input.extensions, None),
        };
        // Z6: unique, case-insensitively.
        if self.user_name_taken(state, &work.user_name, None) {
            return Err(self.conflict(&work.user_name));
        }
        if self.bug(Bug::ExternalIdUnique)
            && let Some(ext) = &work.external_id
            && !state.user_by_ext.get(ext).is_empty()
        {
            return Err(ScimError::typed(
                409,
                ScimType::Uniqueness,
                format!("externalId {ext:?} is already taken"),
            ));
        }
        let old = state.graveyard.remove(&fold(&work.user_name));
        let id = match old {
            Some((old_id, _)) if self.bug(Bug::RecreatedUserGetsOldId) => old_id,
            _ => Uuid::new_v4(),
        };
        Self::insert_user(state, id, &work, self.naive_user_fields(), now_ms());
        if let Some((_, groups)) = old.filter(|_| self.bug(Bug::RecreatedUserGetsOldGroups)) {
            let changes: IndexMap<Uuid, bool> = [(id, true)].into_iter().collect();
            for gid in groups {
                Self::apply_plan_members(state, gid, false, &changes);
            }
        }
        Ok(id)
    }

    /// `GET /Users/{id}`.
    pub fn get_user(&self, id: &str) -> Result<Json, ScimError> {
        let not_found = || {
            if self.bug(Bug::NotFoundWithoutDetail) {
                ScimError::new(404, "")
            } else {
                Self::user_not_found(id)
            }
        };
        let uid = Uuid::parse_str(id).map_err(|_| not_found())?;
        let state = self.state.read();
        let user = state.users.get(&uid).ok_or_else(not_found)?;
        Ok(self.user_json(&uid, user).to_owned())
    }

    /// The page window, with the paging bugs of [`Bug`] when switched on (test only).
    fn window(
        &self,
        query: &ListQuery,
        total: impl Fn() -> usize,
    ) -> Result<(usize, usize, usize), ScimError> {
        let (start, count) = query.window();
        if self.bug(Bug::ErrorPastTheEnd) && start > total() {
            return Err(ScimError::invalid_value(format!(
                "startIndex {start} is past the end"
            )));
        }
        // The first resource the page shows, 1-based (a 0-based reading skips one).
        let first = if self.bug(Bug::ZeroBasedStartIndex) {
            start + 1
        } else {
            start
        };
        Ok((start, first, count))
    }

    /// `totalResults` as answered: every match, or the page only under [`Bug::TotalResultsOfPage`].
    fn total_of(&self, page: &Page) -> u64 {
        if self.bug(Bug::TotalResultsOfPage) {
            page.ids.len() as u64
        } else {
            page.total as u64
        }
    }

    /// `GET /Users` (Z22, Z23).
    pub fn list_users(&self, query: &ListQuery) -> Result<ListResponse<Json>, ScimError> {
        if self.bug(Bug::CredentialTestServerError)
            && query.filter.is_none()
            && query.start_index == Some(1)
            && query.count == Some(2)
        {
            return Err(ScimError::new(500, "database connection pool exhausted"));
        }
        let filter = query.parsed_filter()?;
        let state = self.state.read();
        let filtered = (filter.as_ref())
            .map(|f| self.user_filter_ids(&state, f))
            .transpose()?;
        self.listing(query, filtered, &state.user_order, |id| {
            (state.users.get(id)).map(|u| self.user_json(id, u).to_owned())
        })
    }

    /// The ListResponse of the page `query` asks for (Z22, see [`Self::listing_page`]), each
    /// id on it shown by `show`.
    fn listing(
        &self,
        query: &ListQuery,
        filtered: Option<Vec<Uuid>>,
        order: &OrderIndex,
        show: impl Fn(&Uuid) -> Option<Json>,
    ) -> Result<ListResponse<Json>, ScimError> {
        let (start, page) = self.listing_page(query, filtered, order)?;
        let resources = page.ids.iter().filter_map(show).collect();
        Ok(ListResponse::new(
            self.total_of(&page),
            start as u64,
            resources,
        ))
    }

    /// The page a listing asks for (Z22): of `filtered`, the matching ids in order, when it
    /// filtered, else of everything in `order`. Returns the `startIndex` to echo with it.
    fn listing_page(
        &self,
        query: &ListQuery,
        filtered: Option<Vec<Uuid>>,
        order: &OrderIndex,
    ) -> Result<(usize, Page), ScimError> {
        let total = || filtered.as_ref().map_or(order.len(), Vec::len);
        let (start, first, count) = self.window(query, total)?;
        let page = match filtered {
            None => page_of(order.len(), first, count, |k| order.nth(k)),
            Some(ids) => page_of(ids.len(), first, count, |k| ids.get(k).copied()),
        };
        Ok((start, page))
    }

    /// Z23: the filters served on Users, by index (no scan).
    fn user_filter_ids(&self, state: &State, filter: &Filter) -> Result<Vec<Uuid>, ScimError> {
        let unsupported = || {
            ScimError::invalid_filter(
                "unsupported filter: Users can be filtered by `userName eq \"…\"`, \
                 `externalId eq \"…\"` or `id eq \"…\"`",
            )
        };
        if Self::is_manager_check(filter) {
            return Ok(Vec::new());
        }
        let (attr, value) = filter.as_string_eq().ok_or_else(unsupported)?;
        if !is_core_or_none(&attr.urn, scim::USER_SCHEMA) {
            return Err(unsupported());
        }
        let value = if self.bug(Bug::PlusInFilterValueIsSpace) {
            std::borrow::Cow::Owned(value.replace('+', " "))
        } else {
            std::borrow::Cow::Borrowed(value)
        };
        let value = value.as_ref();
        if attr.is("externalId") && self.bug(Bug::ExternalIdFilterIgnored) {
            return Ok(state.user_order.iter().collect());
        }
        let mut ids: Vec<Uuid> = if attr.is("userName") {
            state.user_by_name.get(&fold(value)).to_vec()
        } else if attr.is("externalId") {
            if self.bug(Bug::ExternalIdLookupFindsNothing) {
                return Ok(Vec::new());
            }
            state.user_by_ext.get(value).to_vec()
        } else if attr.is("id") {
            id_hit(value, |id| state.users.contains_key(id))
        } else {
            return Err(unsupported());
        };
        ids.sort_by_key(|id| state.users.get(id).map(|u| u.slot));
        Ok(ids)
    }

    /// Entra's reference check before a manager update, `id eq "…" and manager eq "…"`
    /// (entra-client-reference.md row 13, E1): Zinc keeps no manager (Z9), so no user has
    /// that manager and the answer is an empty list, not 400 (ours).
    fn is_manager_check(filter: &Filter) -> bool {
        let Filter::And(terms) = filter else {
            return false;
        };
        let [a, b] = terms.as_slice() else {
            return false;
        };
        let is_eq = |f: &Filter, name: &str| {
            f.as_string_eq()
                .is_some_and(|(attr, _)| attr.is(name) && attr.sub.is_none())
        };
        let manager = |f: &Filter| {
            f.as_string_eq().is_some_and(|(attr, _)| {
                attr.is("manager")
                    && (attr.urn.is_none()
                        || attr
                            .urn
                            .as_deref()
                            .is_some_and(|u| u.eq_ignore_ascii_case(scim::ENTERPRISE_USER_SCHEMA)))
            })
        };
        (is_eq(a, "id") && manager(b)) || (manager(a) && is_eq(b, "id"))
    }

    /// Looks up a user for an update; while Z11 is off a removed user can be found too.
    fn find_for_update(
        &self,
        state: &State,
        id: &str,
    ) -> Result<(Uuid, UserWork, bool), ScimError> {
        let uid = Uuid::parse_str(id).map_err(|_| Self::user_not_found(id))?;
        if let Some(u) = state.users.get(&uid) {
            return Ok((uid, UserWork::from_rec(u), false));
        }
        if let Some(u) = state.removed.get(&uid) {
            let mut work = UserWork::from_rec(u);
            work.active = false;
            return Ok((uid, work, true));
        }
        Err(Self::user_not_found(id))
    }

    /// Validates and commits an update computed from `old` to `new`: Z7, Z6, Z10, Z11.
    fn commit_user(
        &self,
        state: &mut State,
        id: Uuid,
        old: &UserWork,
        mut new: UserWork,
        removed: bool,
    ) -> Result<scim::User, ScimError> {
        if removed {
            // Z11 is off here (only then are removed users kept): `active: true` brings the
            // user back with its old id; anything else still finds nothing.
            if !new.active {
                return Err(Self::user_not_found(&id.to_string()));
            }
            let rec = state.removed.remove(&id).expect("removed user");
            Self::insert_user(state, id, &new, self.naive_user_fields(), rec.created);
            return Ok(self.user_repr(&id, &state.users[&id]));
        }
        let renamed = fold(&new.user_name) != fold(&old.user_name);
        if renamed {
            // Z7: userName is immutable (letter case aside); the whole request is refused.
            if self.on(Rule::Z7) {
                return Err(ScimError::bad_request(
                    ScimType::Mutability,
                    format!(
                        "userName is immutable in Zinc: it cannot change from {:?} to {:?}. \
                         Remove the user and create a new one with the new email.",
                        old.user_name, new.user_name
                    ),
                ));
            }
            self.validate_user_name(&new.user_name)?;
            if self.user_name_taken(state, &new.user_name, Some(id)) {
                return Err(self.conflict(&new.user_name));
            }
        }
        let deactivate = !new.active && old.active;
        // Index maintenance.
        if renamed {
            state.user_by_name.remove(&fold(&old.user_name), id);
            state.user_by_name.insert(&fold(&new.user_name), id);
            // Z16: a group shows its members' userNames, so its cached body is stale.
            let groups: Vec<Uuid> = state.users[&id]
                .links
                .iter()
                .flat_map(|l| l.member_of.iter().copied())
                .collect();
            for gid in groups {
                state.groups.forget(&gid);
            }
        }
        if old.external_id != new.external_id {
            if let Some(ext) = &old.external_id {
                state.user_by_ext.remove(ext, id);
            }
            if let Some(ext) = &new.external_id {
                state.user_by_ext.insert(ext, id);
            }
        }
        let naive = self.naive_user_fields();
        let user = state.users.get_mut(&id).expect("user exists");
        user.user_name = new.user_name.as_str().into();
        user.given = new.given.as_str().into();
        user.family = new.family.as_str().into();
        user.external_id = new.external_id.as_deref().map(Into::into);
        user.modified = now_ms();
        if naive {
            user.naive = Some(Box::new(NaiveUser {
                emails: new.emails.take(),
                display_name: new.display_name.take(),
                extensions: std::mem::take(&mut new.extensions),
            }));
        }
        if deactivate && self.on(Rule::Z10) && !self.bug(Bug::KeepsDeactivatedUsers) {
            // Z10: deactivation removes the user; the answer is the representation as it
            // was, with active: false.
            let mut repr = self.user_repr(&id, &state.users[&id]);
            repr.active = Some(false);
            self.remove_user(state, id);
            return Ok(repr);
        }
        let user = state.users.get_mut(&id).expect("user exists");
        user.active = new.active;
        Ok(self.user_repr(&id, &state.users[&id]))
    }

    /// Z10: removes a user from the instance and from every group.
    fn remove_user(&self, state: &mut State, id: Uuid) {
        let Some(mut user) = state.users.remove(&id) else {
            return;
        };
        state.user_order.remove(user.slot);
        state.user_by_name.remove(&fold(&user.user_name), id);
        if let Some(ext) = &user.external_id {
            state.user_by_ext.remove(ext, id);
        }
        let now = now_ms();
        let links = user.links.take().map(|l| *l).unwrap_or_default();
        if self.bug(Bug::RecreatedUserGetsOldId) || self.bug(Bug::RecreatedUserGetsOldGroups) {
            let groups = links.member_of.iter().copied().collect();
            state.graveyard.insert(fold(&user.user_name), (id, groups));
        }
        for gid in &links.member_of {
            if let Some(g) = state.groups.get_mut(gid) {
                g.members.remove(&id);
                g.modified = now;
            }
        }
        for gid in &links.admin_of {
            if let Some(g) = state.groups.get_mut(gid) {
                g.admins.remove(&id);
            }
        }
        if !self.on(Rule::Z11) {
            state.removed.insert(id, user);
        }
    }

    /// [`Bug::OpCaseSensitive`]: refuses an `op` that is not lowercase.
    fn op_case_bug(&self, body: &Value) -> Result<(), ScimError> {
        if !self.bug(Bug::OpCaseSensitive) {
            return Ok(());
        }
        let ops = body.get("Operations").and_then(Value::as_array);
        for op in ops.into_iter().flatten() {
            if let Some(name) = op.get("op").and_then(Value::as_str)
                && name != name.to_ascii_lowercase()
            {
                return Err(ScimError::invalid_syntax(format!("unknown op {name:?}")));
            }
        }
        Ok(())
    }

    /// `PUT /Users/{id}` (Z12).
    pub fn replace_user(&self, id: &str, body: &Value) -> Result<scim::User, ScimError> {
        let input = decode_user(body)?;
        let user_name = input
            .user_name
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| ScimError::invalid_value("userName is required"))?;
        let mut state = self.state.write();
        let (uid, old, removed) = self.find_for_update(&state, id)?;
        // Z12: a missing `active` keeps its value; other missing attributes become empty.
        let new = UserWork {
            user_name,
            given: input.given.unwrap_or_default(),
            family: input.family.unwrap_or_default(),
            external_id: input.external_id,
            active: input
                .active
                .unwrap_or(old.active && !self.bug(Bug::PutWithoutActiveDeactivates)),
            emails: input.emails,
            display_name: input.display_name,
            extensions: self.kept_extensions(input.extensions, Some(&old.extensions)),
        };
        self.commit_user(&mut state, uid, &old, new, removed)
    }

    /// `PATCH /Users/{id}` (Z13).
    pub fn patch_user(&self, id: &str, body: &Value) -> Result<scim::User, ScimError> {
        self.op_case_bug(body)?;
        if self.bug(Bug::CapitalisedOpRefused) {
            refuse_capitalised_ops(body)?;
        }
        let patch = PatchOp::from_json(body)?;
        let mut state = self.state.write();
        let (uid, old, removed) = self.find_for_update(&state, id)?;
        let mut work = old.clone();
        // Z9: extension attributes (enterprise, custom) are accepted and ignored.
        for_each_core_path(&patch, scim::USER_SCHEMA, |op, path, value| {
            self.apply_user_path(&mut work, op, path, value)
        })?;
        if self.bug(Bug::NoOpPatchRefused) && work == old {
            return Err(ScimError::invalid_value(
                "nothing to update: the PATCH changes no attribute",
            ));
        }
        self.commit_user(&mut state, uid, &old, work, removed)
    }

    fn apply_user_path(
        &self,
        work: &mut UserWork,
        op: PatchOpKind,
        path: &PatchPath,
        value: Option<&Value>,
    ) -> Result<(), ScimError> {
        let attr = &path.attr;
        let name = attr.name.as_str();
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        // Z13: the path is judged before the value, so an unknown path is `invalidPath`
        // whatever value it carries (a simple attribute has no filter and no sub-attribute).
        let no_filter = || {
            if path.filter.is_some() {
                Err(ScimError::invalid_path(format!(
                    "{name} is not multi-valued"
                )))
            } else if let Some(sub) = &attr.sub {
                Err(ScimError::invalid_path(format!(
                    "{name}.{sub} is not an attribute of a Zinc User: {name} is a simple \
                     attribute"
                )))
            } else {
                Ok(())
            }
        };
        let remove = op == PatchOpKind::Remove;
        if is("userName") {
            no_filter()?;
            if remove {
                return Err(ScimError::invalid_value(
                    "userName is required and cannot be removed",
                ));
            }
            work.user_name = opt_string(value, "userName")?
                .ok_or_else(|| ScimError::invalid_value("userName is required"))?;
        } else if is("name") {
            if path.filter.is_some() {
                return Err(ScimError::invalid_path("name is not multi-valued"));
            }
            match attr.sub.as_deref() {
                None if remove => {
                    work.given.clear();
                    work.family.clear();
                }
                None => match value {
                    Some(Value::Object(name)) => {
                        for (k, v) in name {
                            self.apply_name_part(work, k, Some(v), false)?;
                        }
                    }
                    Some(Value::Null) => {
                        work.given.clear();
                        work.family.clear();
                    }
                    Some(other) => {
                        return Err(ScimError::invalid_value(format!(
                            "name must be an object, got {}",
                            json_kind(other)
                        )));
                    }
                    None => {}
                },
                Some(sub) => self.apply_name_part(work, sub, value, remove)?,
            }
        } else if is("externalId") {
            no_filter()?;
            work.external_id = if remove {
                None
            } else {
                opt_string(value, "externalId")?
            };
        } else if is("active") {
            no_filter()?;
            if remove {
                return Err(ScimError::invalid_value("active cannot be removed"));
            }
            let v = value.ok_or_else(|| ScimError::invalid_value("active needs a value"))?;
            if self.bug(Bug::StringActiveRefused)
                && let Value::String(s) = v
            {
                return Err(ScimError::invalid_value(format!(
                    "active must be a boolean, got the string {s:?}"
                )));
            }
            work.active = parse_active(v)?;
        } else if is("displayName") {
            // Z8: displayName is derived; a sent one is ignored (stored while Z8 is off).
            no_filter()?;
            if !self.on(Rule::Z8) {
                work.display_name = value.and_then(Value::as_str).map(str::to_owned);
            }
        } else if is("emails") {
            // Z5: emails are ignored (stored as sent while Z5 is off).
            if !self.on(Rule::Z5) && path.filter.is_none() && attr.sub.is_none() {
                work.emails = if remove { None } else { value.cloned() };
            }
        } else if IGNORED_USER_ATTRS.iter().any(|a| is(a))
            || READ_ONLY_ATTRS.iter().any(|a| is(a))
            || is("manager")
        {
            // `manager` without its URN is how Entra's legacy PATCH names the enterprise
            // extension's manager (entra-client-reference.md row 13): ignored like the
            // extension (Z9, ours).
            // Z9 / Z12: accepted and ignored.
        } else {
            // Z13: unknown paths are refused.
            return Err(ScimError::invalid_path(format!(
                "{attr} is not an attribute of a Zinc User"
            )));
        }
        Ok(())
    }

    fn apply_name_part(
        &self,
        work: &mut UserWork,
        part: &str,
        value: Option<&Value>,
        remove: bool,
    ) -> Result<(), ScimError> {
        // Z13: the path first (an unknown sub-attribute is `invalidPath` whatever its
        // value), then the value.
        let slot = if part.eq_ignore_ascii_case("givenName") {
            Some(&mut work.given)
        } else if part.eq_ignore_ascii_case("familyName") {
            Some(&mut work.family)
        } else if [
            "formatted",
            "middleName",
            "honorificPrefix",
            "honorificSuffix",
        ]
        .iter()
        .any(|p| part.eq_ignore_ascii_case(p))
        {
            // Z9: accepted and ignored.
            None
        } else {
            return Err(ScimError::invalid_path(format!(
                "name.{part} is not an attribute of a Zinc User"
            )));
        };
        let text = if remove {
            None
        } else {
            opt_string(value, &format!("name.{part}"))?
        };
        if let Some(slot) = slot {
            *slot = text.unwrap_or_default();
        }
        Ok(())
    }

    /// `DELETE /Users/{id}` (Z10: same effect as deactivation).
    pub fn delete_user(&self, id: &str) -> Result<(), ScimError> {
        let uid = Uuid::parse_str(id).map_err(|_| Self::user_not_found(id))?;
        let mut state = self.state.write();
        if !state.users.contains_key(&uid) {
            return Err(Self::user_not_found(id));
        }
        self.remove_user(&mut state, uid);
        Ok(())
    }

    // ----------------------------------------------------------------------------------
    // Groups

    fn group_not_found(id: &str) -> ScimError {
        ScimError::not_found(format!("Group {id} not found"))
    }

    /// Z15: the group is visible over SCIM.
    fn scim_group(state: &State, id: &str) -> Result<Uuid, ScimError> {
        let gid = Uuid::parse_str(id).map_err(|_| Self::group_not_found(id))?;
        match state.groups.get(&gid) {
            Some(g) if g.slot_scim.is_some() => Ok(gid),
            _ => Err(Self::group_not_found(id)),
        }
    }

    /// Z16: member ids must be users of the instance (dropped silently while Z16 is off).
    fn resolve_members(&self, state: &State, ids: Vec<String>) -> Result<Vec<Uuid>, ScimError> {
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            match Uuid::parse_str(&id)
                .ok()
                .filter(|u| state.users.contains_key(u))
            {
                Some(uid) => out.push(uid),
                None if self.on(Rule::Z16) => {
                    return Err(ScimError::invalid_value(format!(
                        "member {id:?} is not a user of this Zinc instance"
                    )));
                }
                None => {}
            }
        }
        Ok(out)
    }

    /// Z16: a SCIM-visible group other than `except` with this displayName (case-insensitive).
    fn group_name_taken(&self, state: &State, name: &str, except: Option<Uuid>) -> bool {
        self.on(Rule::Z16)
            && !self.bug(Bug::DuplicateGroupNames)
            && state
                .group_by_name
                .get(&fold(name))
                .iter()
                .any(|id| Some(*id) != except)
    }

    fn group_conflict(name: &str) -> ScimError {
        ScimError::typed(
            409,
            ScimType::Uniqueness,
            format!("a group named {name:?} already exists"),
        )
    }

    fn decode_group(body: &Value) -> Result<GroupInput, ScimError> {
        let obj = body_object(body)?;
        let name = opt_string(get_ci(obj, "displayName"), "displayName")?
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| ScimError::invalid_value("displayName is required"))?;
        let ext = opt_string(get_ci(obj, "externalId"), "externalId")?;
        let members = get_ci(obj, "members").map(decode_members).transpose()?;
        Ok((name, ext, members))
    }

    /// Adds a group to the state; `scim` says whether it is visible over SCIM.
    pub(crate) fn insert_group(
        state: &mut State,
        name: &str,
        ext: Option<String>,
        origin: Origin,
        scim: bool,
        members: &[Uuid],
    ) -> Uuid {
        let id = Uuid::new_v4();
        let now = now_ms();
        let slot_all = state.group_order.push(id);
        let mut group = GroupRec {
            slot_all,
            slot_scim: None,
            display_name: name.into(),
            external_id: ext.map(Into::into),
            origin,
            linked: origin == Origin::Okta,
            members: OrderedSet::default(),
            admins: OrderedSet::default(),
            created: now,
            modified: now,
            json: Cached::default(),
        };
        for m in members {
            if group.members.insert(*m)
                && let Some(u) = state.users.get_mut(m)
            {
                u.set_member_of(id, true);
            }
        }
        state.groups.insert(id, group);
        if scim {
            Self::show_group(state, id);
        }
        id
    }

    /// Makes a group visible over SCIM (indexes it).
    fn show_group(state: &mut State, id: Uuid) {
        let slot = state.scim_order.push(id);
        let g = state.groups.get_mut(&id).expect("group");
        g.slot_scim = Some(slot);
        let name = fold(&g.display_name);
        let ext = g.external_id.clone();
        state.group_by_name.insert(&name, id);
        if let Some(ext) = ext {
            state.group_by_ext.insert(&ext, id);
        }
    }

    /// Takes a group out of SCIM (Z15, Z18, Z19).
    pub(crate) fn hide_group(state: &mut State, id: Uuid) {
        let Some(g) = state.groups.get_mut(&id) else {
            return;
        };
        let Some(slot) = g.slot_scim.take() else {
            return;
        };
        let name = fold(&g.display_name);
        let ext = g.external_id.clone();
        state.scim_order.remove(slot);
        state.group_by_name.remove(&name, id);
        if let Some(ext) = ext {
            state.group_by_ext.remove(&ext, id);
        }
    }

    /// Removes a group from Zinc altogether.
    pub(crate) fn drop_group(state: &mut State, id: Uuid) {
        Self::hide_group(state, id);
        let Some(g) = state.groups.remove(&id) else {
            return;
        };
        state.group_order.remove(g.slot_all);
        for m in g.members.iter() {
            if let Some(u) = state.users.get_mut(&m) {
                u.set_member_of(id, false);
            }
        }
        for a in g.admins.iter() {
            if let Some(u) = state.users.get_mut(&a) {
                u.set_admin_of(id, false);
            }
        }
    }

    /// Renames a group, keeping the SCIM name index right.
    pub(crate) fn rename_group_in(state: &mut State, id: Uuid, name: &str) {
        let Some(g) = state.groups.get_mut(&id) else {
            return;
        };
        let old = fold(&g.display_name);
        g.display_name = name.into();
        g.modified = now_ms();
        if g.slot_scim.is_some() {
            state.group_by_name.remove(&old, id);
            state.group_by_name.insert(&fold(name), id);
        }
    }

    fn set_group_ext(state: &mut State, id: Uuid, ext: Option<String>) {
        let Some(g) = state.groups.get_mut(&id) else {
            return;
        };
        if g.external_id.as_deref() == ext.as_deref() {
            return;
        }
        let old = g.external_id.take();
        g.external_id = ext.as_deref().map(Into::into);
        if g.slot_scim.is_some() {
            if let Some(old) = old {
                state.group_by_ext.remove(&old, id);
            }
            if let Some(ext) = ext {
                state.group_by_ext.insert(&ext, id);
            }
        }
    }

    /// Applies a membership plan: O(changed members), plus the old members on a replace.
    pub(crate) fn apply_plan_members(
        state: &mut State,
        id: Uuid,
        clear: bool,
        changes: &IndexMap<Uuid, bool>,
    ) {
        let Some(g) = state.groups.get_mut(&id) else {
            return;
        };
        let mut touched: Vec<(Uuid, bool)> = Vec::new();
        if clear {
            touched.extend(g.members.iter().map(|m| (m, false)));
            g.members.clear();
        }
        for (m, present) in changes {
            if *present {
                g.members.insert(*m);
            } else {
                g.members.remove(m);
            }
            touched.push((*m, *present));
        }
        g.modified = now_ms();
        for (m, _) in &touched {
            let is_member = state.groups[&id].members.contains(m);
            if let Some(u) = state.users.get_mut(m) {
                u.set_member_of(id, is_member);
            }
        }
    }

    /// `POST /Groups` (Z16).
    pub fn create_group(&self, body: &Value) -> Result<scim::Group, ScimError> {
        let (name, ext, members) = Self::decode_group(body)?;
        let mut state = self.state.write();
        let members = self.resolve_members(&state, members.unwrap_or_default())?;
        if self.group_name_taken(&state, &name, None) {
            return Err(Self::group_conflict(&name));
        }
        // Z14: created over SCIM = origin okta, linked.
        let id = Self::insert_group(&mut state, &name, ext, Origin::Okta, true, &members);
        Ok(self.group_repr(&state, &id, &state.groups[&id]))
    }

    /// `GET /Groups/{id}` (Z15: only linked synced groups).
    pub fn get_group(&self, id: &str) -> Result<Json, ScimError> {
        self.get_group_with(id, &ListQuery::default())
    }

    /// `GET /Groups/{id}?excludedAttributes=members` and the like (only `excludedAttributes`
    /// of `query` is read).
    pub fn get_group_with(&self, id: &str, query: &ListQuery) -> Result<Json, ScimError> {
        let state = self.state.read();
        let gid = Self::scim_group(&state, id)?;
        Ok(self.group_json_for(&state, &gid, &state.groups[&gid], query.exclude_members))
    }

    /// `GET /Groups` (Z15, Z22, Z23).
    pub fn list_groups(&self, query: &ListQuery) -> Result<ListResponse<Json>, ScimError> {
        let mut filter = query.parsed_filter()?;
        if self.bug(Bug::GroupFilterIgnored) {
            filter = None;
        }
        let state = self.state.read();
        let filtered = (filter.as_ref())
            .map(|f| self.group_filter_ids(&state, f))
            .transpose()?;
        self.listing(query, filtered, &state.scim_order, |id| {
            (state.groups.get(id))
                .map(|g| self.group_json_for(&state, id, g, query.exclude_members))
        })
    }

    fn group_filter_ids(&self, state: &State, filter: &Filter) -> Result<Vec<Uuid>, ScimError> {
        let unsupported = || {
            ScimError::invalid_filter(
                "unsupported filter: Groups can be filtered by `displayName eq \"…\"`, \
                 `externalId eq \"…\"` or `id eq \"…\"`",
            )
        };
        let (attr, value) = filter.as_string_eq().ok_or_else(unsupported)?;
        if !is_core_or_none(&attr.urn, scim::GROUP_SCHEMA) {
            return Err(unsupported());
        }
        let mut ids: Vec<Uuid> = if attr.is("displayName") {
            if self.bug(Bug::GroupLookupFindsNothing) {
                return Ok(Vec::new());
            }
            let mut ids = state.group_by_name.get(&fold(value)).to_vec();
            if self.bug(Bug::GroupFilterCaseSensitive) {
                ids.retain(|id| {
                    state
                        .groups
                        .get(id)
                        .is_some_and(|g| *g.display_name == *value)
                });
            }
            ids
        } else if attr.is("externalId") {
            state.group_by_ext.get(value).to_vec()
        } else if attr.is("id") {
            id_hit(value, |id| {
                state.groups.get(id).is_some_and(|g| g.slot_scim.is_some())
            })
        } else {
            return Err(unsupported());
        };
        ids.sort_by_key(|id| state.groups.get(id).and_then(|g| g.slot_scim));
        Ok(ids)
    }

    /// `PUT /Groups/{id}` (Z12, Z16).
    pub fn replace_group(&self, id: &str, body: &Value) -> Result<scim::Group, ScimError> {
        let (name, ext, members) = Self::decode_group(body)?;
        let mut state = self.state.write();
        let gid = Self::scim_group(&state, id)?;
        let members = self.resolve_members(&state, members.unwrap_or_default())?;
        if self.group_name_taken(&state, &name, Some(gid)) {
            return Err(Self::group_conflict(&name));
        }
        Self::rename_group_in(&mut state, gid, &name);
        Self::set_group_ext(&mut state, gid, ext);
        if !self.bug(Bug::GroupPutIgnoresMembers) {
            let mut plan = MembershipPlan::default();
            plan.replace(members);
            Self::apply_plan_members(&mut state, gid, true, &plan.changes);
        }
        Ok(self.group_repr(&state, &gid, &state.groups[&gid]))
    }

    /// `PATCH /Groups/{id}` (Z16): answers 204, so nothing is returned.
    pub fn patch_group(&self, id: &str, body: &Value) -> Result<(), ScimError> {
        self.op_case_bug(body)?;
        if self.bug(Bug::CapitalisedOpRefused) {
            refuse_capitalised_ops(body)?;
        }
        let patch = PatchOp::from_json(body)?;
        let mut state = self.state.write();
        let gid = Self::scim_group(&state, id)?;
        let group = &state.groups[&gid];
        let mut name = group.display_name.to_string();
        let mut ext = group.external_id.as_deref().map(str::to_owned);
        let mut plan = MembershipPlan::default();
        // Extension data (e.g. Okta's `urn:okta:custom:group:1.0` description): ignored.
        for_each_core_path(&patch, scim::GROUP_SCHEMA, |op, path, value| {
            self.apply_group_path(&state, gid, &mut name, &mut ext, &mut plan, op, path, value)
        })?;
        if fold(&name) != fold(&state.groups[&gid].display_name)
            && self.group_name_taken(&state, &name, Some(gid))
        {
            return Err(Self::group_conflict(&name));
        }
        if *name != *state.groups[&gid].display_name {
            Self::rename_group_in(&mut state, gid, &name);
        }
        let members_change = plan.clear || !plan.changes.is_empty();
        if members_change
            && self.bug(Bug::SecondMemberPatchRefused)
            && !state.member_patched.insert(gid)
        {
            return Err(ScimError::new(
                409,
                "the group is being updated: try the membership change again later",
            ));
        }
        Self::set_group_ext(&mut state, gid, ext);
        if members_change {
            Self::apply_plan_members(&mut state, gid, plan.clear, &plan.changes);
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn apply_group_path(
        &self,
        state: &State,
        gid: Uuid,
        name: &mut String,
        ext: &mut Option<String>,
        plan: &mut MembershipPlan,
        op: PatchOpKind,
        path: &PatchPath,
        value: Option<&Value>,
    ) -> Result<(), ScimError> {
        let attr = &path.attr;
        let is = |n: &str| attr.name.eq_ignore_ascii_case(n);
        let remove = op == PatchOpKind::Remove;
        if is("members") {
            if attr.sub.is_some() || path.sub.is_some() {
                return Err(ScimError::invalid_path(format!(
                    "{attr}: member sub-attributes cannot be patched; patch members"
                )));
            }
            if let Some(filter) = &path.filter {
                if !remove {
                    return Err(ScimError::invalid_path(
                        "a members[…] filter path is supported for remove only",
                    ));
                }
                if self.bug(Bug::FilteredRemoveDropsAll) {
                    plan.replace(Vec::new());
                    return Ok(());
                }
                // Z16: removal by `members[value eq "id"]`, by index when it is that shape.
                let base = &state.groups[&gid].members;
                if self.bug(Bug::MemberRemoveRemovesEveryone) {
                    plan.replace(Vec::new());
                    return Ok(());
                }
                let hits: Vec<Uuid> = match filter.as_string_eq() {
                    Some((a, v)) if a.is("value") => Uuid::parse_str(v)
                        .ok()
                        .filter(|id| plan.has(base, id))
                        .into_iter()
                        .collect(),
                    _ => {
                        let mut hits = Vec::new();
                        for m in plan.current(base) {
                            let display = state
                                .users
                                .get(&m)
                                .map(|u| u.user_name.as_ref())
                                .unwrap_or("");
                            if member_matches(filter, &m.to_string(), display)? {
                                hits.push(m);
                            }
                        }
                        hits
                    }
                };
                if hits.is_empty() && self.bug(Bug::RemoveAbsentMemberFails) {
                    return Err(ScimError::invalid_value(format!(
                        "{attr}[…]: no such member in this group"
                    )));
                }
                plan.remove(hits);
                return Ok(());
            }
            match op {
                PatchOpKind::Add => {
                    let ids = decode_members(value.unwrap_or(&Value::Null))?;
                    let ids = self.resolve_members(state, ids)?;
                    let base = &state.groups[&gid].members;
                    if self.bug(Bug::ExistingMemberAddRefused)
                        && let Some(id) = ids.iter().find(|id| plan.has(base, id))
                    {
                        return Err(ScimError::typed(
                            409,
                            ScimType::Uniqueness,
                            format!("{id} is already a member of this group"),
                        ));
                    }
                    if self.bug(Bug::MemberAddReplaces) {
                        plan.replace(ids);
                    } else {
                        plan.add(ids);
                    }
                }
                PatchOpKind::Replace => {
                    // Z16: an empty list empties the group.
                    let ids = decode_members(value.unwrap_or(&Value::Null))?;
                    let ids = self.resolve_members(state, ids)?;
                    if !(ids.is_empty() && self.bug(Bug::EmptyMemberReplaceIgnored)) {
                        plan.replace(ids);
                    }
                }
                PatchOpKind::Remove => match value {
                    None | Some(Value::Null) => plan.replace(Vec::new()),
                    Some(v) => {
                        let ids = decode_members(v)?;
                        plan.remove(ids.iter().filter_map(|id| Uuid::parse_str(id).ok()));
                    }
                },
            }
        } else if is("displayName") {
            if path.filter.is_some() || attr.sub.is_some() {
                return Err(ScimError::invalid_path("displayName is a simple attribute"));
            }
            if remove {
                return Err(ScimError::invalid_value("displayName is required"));
            }
            *name = opt_string(value, "displayName")?
                .filter(|n| !n.trim().is_empty())
                .ok_or_else(|| ScimError::invalid_value("displayName is required"))?;
        } else if is("externalId") {
            if path.filter.is_some() || attr.sub.is_some() {
                return Err(ScimError::invalid_path("externalId is a simple attribute"));
            }
            *ext = if remove {
                None
            } else {
                opt_string(value, "externalId")?
            };
        } else if READ_ONLY_ATTRS.iter().any(|a| is(a)) {
            // Okta's rename PATCH carries `id` in its value: the id comes from the URL.
        } else {
            return Err(ScimError::invalid_path(format!(
                "{attr} is not an attribute of a Zinc Group"
            )));
        }
        Ok(())
    }

    /// `DELETE /Groups/{id}` (Z19).
    pub fn delete_group(&self, id: &str) -> Result<(), ScimError> {
        let policy = self.settings.read().policy;
        let mut state = self.state.write();
        let gid = Self::scim_group(&state, id)?;
        if self.bug(Bug::DeletedGroupStaysReadable) {
            return Ok(());
        }
        if policy == DeletedGroupPolicy::Retain && self.on(Rule::Z19) {
            // Z19 retain: stays in the console, unlinked, with members and admins.
            Self::hide_group(&mut state, gid);
            if let Some(g) = state.groups.get_mut(&gid) {
                g.linked = false;
            }
        } else {
            Self::drop_group(&mut state, gid);
        }
        Ok(())
    }
}

/// displayName, externalId, member ids of a POST/PUT Group body.
type GroupInput = (String, Option<String>, Option<Vec<String>>);

struct Page {
    total: usize,
    ids: Vec<Uuid>,
}

/// Z22: one page out of `total` items, `start` 1-based; past the end is an empty page.
fn page_of(total: usize, start: usize, count: usize, nth: impl Fn(usize) -> Option<Uuid>) -> Page {
    let first = start - 1;
    let ids = (first..total.min(first.saturating_add(count)))
        .filter_map(nth)
        .collect();
    Page { total, ids }
}
