//! What Entra puts on the wire, in both PATCH dialects (reference §1.1 "Two wire dialects",
//! E2's before/after samples): request bodies and paths only, no I/O.
//!
//! Choices where the reference is silent (documented in the README's Entra section):
//! - the user attributes mapped are Entra's defaults that the scenario's people carry:
//!   `userName`, `displayName`, `emails[type eq "work"].value`, `name.givenName`,
//!   `name.familyName`, `title`, and the enterprise `department` (no `locale` mapping);
//! - a value cleared in Entra is not sent (row 26: "null attributes are never sent");
//! - the compliant dialect writes manager, membership and rename operations as the legacy
//!   one does but with lowercase `op` (E2 shows only the four shapes it changes).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::okta::directory::{ENTERPRISE_URN, GROUP_URN, PATCH_URN, PersonProfile, USER_URN};

/// Entra's extra Group schema URN in a group create (reference row 16).
pub(crate) const ADSCIM_GROUP_URN: &str =
    "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

/// Which PATCH shapes the provisioning job sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// The default non-gallery `scim` job (and every on-demand run): capitalised `op`,
    /// `active` as the strings `"True"`/`"False"`, one operation per attribute, member
    /// removal by a `value` list.
    Legacy,
    /// The `aadOptscim062020` flag: lowercase `op`, boolean `active`, single-valued
    /// attributes in one path-less `replace` value map (dotted and URN keys), member
    /// removal by a `members[value eq "…"]` path.
    Compliant,
}

/// A PATCH operation kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Replace,
    Remove,
}

/// An attribute Entra matches users by (its "matching precedence", E7): tried one at a time,
/// in the order configured, until one finds the user (row 6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum MatchAttr {
    /// `userName eq "<UPN>"`: Entra's default.
    #[serde(rename = "userName")]
    UserName,
    /// `externalId eq "<object id>"` (I1: seen in the field).
    #[serde(rename = "externalId")]
    ExternalId,
    /// `emails[type eq "work"].value eq "<mail>"`.
    #[serde(rename = "email")]
    WorkEmail,
}

/// What unassigning a user from the app sends (the sources conflict, reference §1.2 end:
/// E3 says it disables, the Logic-App suite E11 expects a delete).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum UnassignMode {
    /// `PATCH active` false (E3, the how-provisioning-works page). Default.
    #[default]
    Disable,
    /// `DELETE /Users/{id}` (E11's Restore_User_Test).
    Delete,
}

impl MatchAttr {
    /// The filter attribute path and the value Entra sends for this person.
    pub fn filter(self, profile: &PersonProfile, object_id: &str) -> (&'static str, String) {
        match self {
            MatchAttr::UserName => ("userName", profile.user_name().to_owned()),
            MatchAttr::ExternalId => ("externalId", object_id.to_owned()),
            MatchAttr::WorkEmail => ("emails[type eq \"work\"].value", profile.email.clone()),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            MatchAttr::UserName => "userName",
            MatchAttr::ExternalId => "externalId",
            MatchAttr::WorkEmail => "email",
        }
    }
}

impl Dialect {
    /// How `op` is spelt: `Add`/`Replace`/`Remove` in legacy, lowercase when compliant.
    pub fn op(self, op: Op) -> &'static str {
        match (self, op) {
            (Dialect::Legacy, Op::Add) => "Add",
            (Dialect::Legacy, Op::Replace) => "Replace",
            (Dialect::Legacy, Op::Remove) => "Remove",
            (Dialect::Compliant, Op::Add) => "add",
            (Dialect::Compliant, Op::Replace) => "replace",
            (Dialect::Compliant, Op::Remove) => "remove",
        }
    }

    /// Disable / re-enable (rows 10, 11): `{"op":"Replace","path":"active","value":"False"}`
    /// in legacy, `{"op":"replace","path":"active","value":false}` compliant.
    pub fn active_op(self, active: bool) -> Value {
        let value = match self {
            Dialect::Legacy => json!(if active { "True" } else { "False" }),
            Dialect::Compliant => json!(active),
        };
        json!({"op": self.op(Op::Replace), "path": "active", "value": value})
    }

    /// The operations of a user update from `old` to `new` (rows 8, 9). Legacy: one
    /// operation per changed attribute, `Add` where it had no value before. Compliant: the
    /// work email as its own path operation, every other changed single-valued attribute in
    /// one path-less `replace` map, newly set ones as path `add`s. Empty when nothing changed.
    pub fn user_update_ops(self, old: &PersonProfile, new: &PersonProfile) -> Vec<Value> {
        let (before, after) = (mapped(old), mapped(new));
        let changed: Vec<(&'static str, Option<&String>, &String)> = after
            .iter()
            .filter_map(|(path, v)| {
                let was = before.iter().find(|(p, _)| p == path).map(|(_, v)| v);
                // A cleared value is not sent (row 26).
                let v = v.as_ref()?;
                let was = was.and_then(Option::as_ref);
                (was != Some(v)).then_some((*path, was, v))
            })
            .collect();
        match self {
            Dialect::Legacy => changed
                .into_iter()
                .map(|(path, was, v)| {
                    let op = if was.is_none() { Op::Add } else { Op::Replace };
                    json!({"op": self.op(op), "path": path, "value": v})
                })
                .collect(),
            Dialect::Compliant => {
                let mut ops = Vec::new();
                let mut map = Map::new();
                let mut adds = Vec::new();
                for (path, was, v) in changed {
                    if was.is_none() {
                        adds.push(json!({"op": "add", "path": path, "value": v}));
                    } else if path == WORK_EMAIL {
                        ops.push(json!({"op": "replace", "path": path, "value": v}));
                    } else {
                        map.insert(path.to_owned(), json!(v));
                    }
                }
                if !map.is_empty() {
                    ops.push(json!({"op": "replace", "value": map}));
                }
                ops.extend(adds);
                ops
            }
        }
    }

    /// Manager set (`Add`), change (`Replace`) or removal (`Replace` with an empty value),
    /// row 13; the value shape of E1's legacy sample (`[{"$ref": …, "value": …}]`).
    pub fn manager_op(self, change: ManagerChange<'_>, base_url: &str) -> Value {
        let reference = |id: &str| json!([{"$ref": format!("{base_url}/Users/{id}"), "value": id}]);
        match change {
            ManagerChange::Set(id) => {
                json!({"op": self.op(Op::Add), "path": "manager", "value": reference(id)})
            }
            ManagerChange::Change(id) => {
                json!({"op": self.op(Op::Replace), "path": "manager", "value": reference(id)})
            }
            ManagerChange::Remove => {
                json!({"op": self.op(Op::Replace), "path": "manager", "value": ""})
            }
        }
    }

    /// `Add members` with the SCIM ids Entra cached, `$ref` null (row 18).
    pub fn add_members_op(self, ids: &[String]) -> Value {
        let value: Vec<Value> = ids
            .iter()
            .map(|id| json!({"$ref": null, "value": id}))
            .collect();
        json!({"op": self.op(Op::Add), "path": "members", "value": value})
    }

    /// Member removal (row 19): legacy one `Remove` with a `value` list; compliant one
    /// `remove` per member with a `members[value eq "<id>"]` path and no value.
    pub fn remove_members_ops(self, ids: &[String]) -> Vec<Value> {
        match self {
            Dialect::Legacy => {
                let value: Vec<Value> = ids.iter().map(|id| json!({"value": id})).collect();
                vec![json!({"op": "Remove", "path": "members", "value": value})]
            }
            Dialect::Compliant => ids
                .iter()
                .map(|id| json!({"op": "remove", "path": format!("members[value eq \"{id}\"]")}))
                .collect(),
        }
    }

    /// Group rename (row 21).
    pub fn rename_op(self, name: &str) -> Value {
        json!({"op": self.op(Op::Replace), "path": "displayName", "value": name})
    }
}

/// A change of a user's manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManagerChange<'a> {
    /// The user had no manager; the new one's SCIM id.
    Set(&'a str),
    /// Another manager; the new one's SCIM id.
    Change(&'a str),
    Remove,
}

const WORK_EMAIL: &str = "emails[type eq \"work\"].value";
const DEPARTMENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department";

/// The mapped attributes as (PATCH path, value), in the order of E2's legacy sample.
fn mapped(p: &PersonProfile) -> Vec<(&'static str, Option<String>)> {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    vec![
        ("userName", some(p.user_name())),
        ("displayName", some(&p.display_name())),
        (WORK_EMAIL, some(&p.email)),
        ("name.givenName", some(&p.first)),
        ("name.familyName", some(&p.last)),
        ("title", p.title.clone()),
        (DEPARTMENT, p.department.clone()),
    ]
}

/// The mapped attributes of a resource the server returned (a lookup's hit), as a profile,
/// so that Entra's update of a match sends only what differs from it.
pub(crate) fn profile_of(resource: &Value) -> PersonProfile {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
    let name = resource.get("name");
    let emails = resource.get("emails").and_then(Value::as_array);
    let email = emails.and_then(|list| {
        let pick = |want: &dyn Fn(&Value) -> bool| {
            list.iter()
                .find(|e| want(e))
                .and_then(|e| text(e.get("value")))
        };
        pick(&|e| e.get("type").and_then(Value::as_str) == Some("work"))
            .or_else(|| pick(&|e| e.get("primary") == Some(&Value::Bool(true))))
    });
    PersonProfile {
        first: text(name.and_then(|n| n.get("givenName"))).unwrap_or_default(),
        last: text(name.and_then(|n| n.get("familyName"))).unwrap_or_default(),
        email: email.unwrap_or_default(),
        user_name: text(resource.get("userName")),
        display_name: text(resource.get("displayName")),
        title: text(resource.get("title")),
        locale: None,
        department: text(
            resource
                .get(ENTERPRISE_URN)
                .and_then(|e| e.get("department")),
        ),
        ..PersonProfile::default()
    }
}

/// A PatchOp body.
pub(crate) fn patch(ops: Vec<Value>) -> Value {
    json!({"schemas": [PATCH_URN], "Operations": ops})
}

/// `POST /Users` (row 7, E1's sample and its key order): both schemas, `externalId` = the
/// Entra object id, `userName`, `active: true`, the work email, `meta.resourceType`, `name`
/// with `formatted`, `roles: []`; attributes without a value are left out.
pub(crate) fn create_user_body(p: &PersonProfile, object_id: &str) -> Value {
    let mut body = Map::new();
    body.insert("schemas".into(), json!([USER_URN, ENTERPRISE_URN]));
    body.insert("externalId".into(), json!(object_id));
    body.insert("userName".into(), json!(p.user_name()));
    body.insert("active".into(), json!(true));
    let display = p.display_name();
    if !display.is_empty() {
        body.insert("displayName".into(), json!(display));
    }
    if !p.email.is_empty() {
        body.insert(
            "emails".into(),
            json!([{"primary": true, "type": "work", "value": p.email}]),
        );
    }
    body.insert("meta".into(), json!({"resourceType": "User"}));
    let mut name = Map::new();
    let formatted = format!("{} {}", p.first, p.last).trim().to_owned();
    if !formatted.is_empty() {
        name.insert("formatted".into(), json!(formatted));
    }
    if !p.last.is_empty() {
        name.insert("familyName".into(), json!(p.last));
    }
    if !p.first.is_empty() {
        name.insert("givenName".into(), json!(p.first));
    }
    if !name.is_empty() {
        body.insert("name".into(), Value::Object(name));
    }
    if let Some(t) = &p.title {
        body.insert("title".into(), json!(t));
    }
    if let Some(d) = &p.department {
        body.insert(ENTERPRISE_URN.into(), json!({"department": d}));
    }
    body.insert("roles".into(), json!([]));
    Value::Object(body)
}

/// `POST /Groups` (row 16): both schemas, `externalId` = the group's object id,
/// `displayName`, `meta`; never members (they follow as `Add members`).
pub(crate) fn create_group_body(name: &str, object_id: &str) -> Value {
    json!({
        "schemas": [GROUP_URN, ADSCIM_GROUP_URN],
        "externalId": object_id,
        "displayName": name,
        "meta": {"resourceType": "Group"},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alice() -> PersonProfile {
        let mut p = PersonProfile::new("Alice", "Smith", "alice@example.com");
        // The UPN stays when the mail changes (otherwise userName follows the email).
        p.user_name = Some("alice@example.com".into());
        p
    }

    #[test]
    fn disable_is_a_string_in_legacy_and_a_boolean_when_compliant() {
        assert_eq!(
            Dialect::Legacy.active_op(false),
            json!({"op": "Replace", "path": "active", "value": "False"})
        );
        assert_eq!(
            Dialect::Compliant.active_op(false),
            json!({"op": "replace", "path": "active", "value": false})
        );
        assert_eq!(Dialect::Legacy.active_op(true)["value"], "True");
    }

    #[test]
    fn legacy_update_is_one_op_per_attribute_with_add_for_new_values() {
        let mut new = alice();
        new.first = "Alicia".into();
        new.email = "alicia@example.com".into();
        new.title = Some("Engineer".into());
        assert_eq!(
            Dialect::Legacy.user_update_ops(&alice(), &new),
            vec![
                json!({"op": "Replace", "path": "displayName", "value": "Alicia Smith"}),
                json!({"op": "Replace", "path": WORK_EMAIL, "value": "alicia@example.com"}),
                json!({"op": "Replace", "path": "name.givenName", "value": "Alicia"}),
                json!({"op": "Add", "path": "title", "value": "Engineer"}),
            ]
        );
    }

    #[test]
    fn compliant_update_puts_single_valued_attributes_in_one_value_map() {
        let mut new = alice();
        new.first = "Alicia".into();
        new.email = "alicia@example.com".into();
        let mut old = alice();
        old.department = Some("R&D".into());
        new.department = Some("Sales".into());
        new.title = Some("Engineer".into());
        assert_eq!(
            Dialect::Compliant.user_update_ops(&old, &new),
            vec![
                json!({"op": "replace", "path": WORK_EMAIL, "value": "alicia@example.com"}),
                json!({"op": "replace", "value": {
                    "displayName": "Alicia Smith",
                    "name.givenName": "Alicia",
                    DEPARTMENT: "Sales",
                }}),
                json!({"op": "add", "path": "title", "value": "Engineer"}),
            ]
        );
        assert!(Dialect::Compliant.user_update_ops(&old, &old).is_empty());
    }

    #[test]
    fn member_removal_differs_by_dialect() {
        let ids = ["u1".to_owned(), "u2".to_owned()];
        assert_eq!(
            Dialect::Legacy.remove_members_ops(&ids),
            vec![
                json!({"op": "Remove", "path": "members", "value": [{"value": "u1"}, {"value": "u2"}]})
            ]
        );
        assert_eq!(
            Dialect::Compliant.remove_members_ops(&ids),
            vec![
                json!({"op": "remove", "path": "members[value eq \"u1\"]"}),
                json!({"op": "remove", "path": "members[value eq \"u2\"]"}),
            ]
        );
        assert_eq!(
            Dialect::Legacy.add_members_op(&ids[..1]),
            json!({"op": "Add", "path": "members", "value": [{"$ref": null, "value": "u1"}]})
        );
    }

    #[test]
    fn create_bodies_follow_the_reference() {
        let body = create_user_body(&alice(), "oid");
        let keys: Vec<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "schemas",
                "externalId",
                "userName",
                "active",
                "displayName",
                "emails",
                "meta",
                "name",
                "roles"
            ]
        );
        assert_eq!(body["active"], json!(true));
        assert_eq!(body["schemas"][1], ENTERPRISE_URN);
        let g = create_group_body("Eng", "gid");
        assert!(g.get("members").is_none());
        assert_eq!(g["schemas"][1], ADSCIM_GROUP_URN);
    }
}
