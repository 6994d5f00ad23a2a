//! The okta profile's oracle: Okta's own view of what it pushed, which a server meant for
//! Okta must give back (okta-client.md: Okta keeps its own copy and never reads it back).
//!
//! - Users: what the simulated client believes (`Person::app_active`, the profile it last
//!   pushed). An active user must read back `active: true` with that userName (compared
//!   case-insensitively: userName is `caseExact: false`, RFC 7643 §4.1.1) and names; one
//!   Okta deactivated or unassigned must read back `active: false` or be gone (Okta tolerates
//!   both: okta-client-reference.md, deprovisioning). Okta's lookup must find an active user.
//! - Groups: folded from the group writes Okta sent and the server accepted (2xx): the
//!   `POST`, `PUT`, `PATCH` add/remove/replace of members and the rename, the `DELETE`. The
//!   group must read back with that name and exactly those members (as a set, RFC 7643
//!   §2.4), and a deleted one must be gone.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::observe::Snapshot;
use crate::okta::{Body, Exchange, OktaClient};

/// What Okta pushed to each group, by server id.
#[derive(Debug, Clone, Default)]
pub(crate) struct GroupFold {
    groups: BTreeMap<String, FoldedGroup>,
    deleted: BTreeSet<String>,
}

#[derive(Debug, Clone, Default)]
struct FoldedGroup {
    display_name: Option<String>,
    members: BTreeSet<String>,
}

impl GroupFold {
    /// Applies every accepted group write of a step, in order.
    pub(crate) fn apply(&mut self, exchanges: &[Exchange]) {
        for x in exchanges {
            let Some(resp) = &x.response else { continue };
            if !(200..300).contains(&resp.status) {
                continue;
            }
            let path = x.path.split('?').next().unwrap_or("");
            let Some(rest) = path.strip_prefix("/Groups") else {
                continue;
            };
            let sent = match &x.request_body {
                Some(Body::Json(v)) => v.clone(),
                _ => Value::Null,
            };
            let id = rest.trim_start_matches('/').to_owned();
            match (x.method.as_str(), id.is_empty()) {
                ("POST", true) => {
                    let Some(id) = (match &resp.body {
                        Body::Json(v) => v.get("id").and_then(Value::as_str).map(str::to_owned),
                        _ => None,
                    }) else {
                        continue;
                    };
                    let g = self.groups.entry(id).or_default();
                    g.display_name = sent
                        .get("displayName")
                        .and_then(Value::as_str)
                        .map(str::to_owned);
                    g.members = member_ids(sent.get("members"));
                }
                ("PUT", false) => {
                    let g = self.groups.entry(id).or_default();
                    if let Some(n) = sent.get("displayName").and_then(Value::as_str) {
                        g.display_name = Some(n.to_owned());
                    }
                    g.members = member_ids(sent.get("members"));
                }
                ("PATCH", false) => {
                    let g = self.groups.entry(id).or_default();
                    for op in sent
                        .get("Operations")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                    {
                        g.patch(op);
                    }
                }
                ("DELETE", false) => {
                    self.groups.remove(&id);
                    self.deleted.insert(id);
                }
                _ => {}
            }
        }
    }
}

impl FoldedGroup {
    fn patch(&mut self, op: &Value) {
        let verb = op
            .get("op")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_ascii_lowercase();
        let path = op.get("path").and_then(Value::as_str);
        let value = op.get("value");
        match (verb.as_str(), path) {
            ("add", Some(p)) if p.eq_ignore_ascii_case("members") => {
                self.members.extend(member_ids(value));
            }
            ("replace", Some(p)) if p.eq_ignore_ascii_case("members") => {
                self.members = member_ids(value);
            }
            ("replace", Some(p)) if p.eq_ignore_ascii_case("displayName") => {
                self.display_name = value.and_then(Value::as_str).map(str::to_owned);
            }
            ("replace", None) => {
                if let Some(n) = value
                    .and_then(|v| v.get("displayName"))
                    .and_then(Value::as_str)
                {
                    self.display_name = Some(n.to_owned());
                }
                if let Some(m) = value.and_then(|v| v.get("members")) {
                    self.members = member_ids(Some(m));
                }
            }
            ("remove", Some(p)) if p.eq_ignore_ascii_case("members") => match value {
                Some(v) => {
                    for id in member_ids(Some(v)) {
                        self.members.remove(&id);
                    }
                }
                None => self.members.clear(),
            },
            ("remove", Some(p)) => {
                // `members[value eq "ID"]`
                if let Some(id) = p
                    .strip_prefix("members[value eq \"")
                    .and_then(|r| r.strip_suffix("\"]"))
                {
                    self.members.remove(id);
                }
            }
            _ => {}
        }
    }
}

fn member_ids(v: Option<&Value>) -> BTreeSet<String> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|m| m.get("value").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// What Okta believes after a step.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Beliefs {
    users: BTreeMap<String, UserBelief>,
    groups: BTreeMap<String, GroupBelief>,
}

#[derive(Debug, Clone, PartialEq)]
enum UserBelief {
    Active {
        user_name: Option<String>,
        given: Option<String>,
        family: Option<String>,
    },
    Inactive,
}

#[derive(Debug, Clone, PartialEq)]
enum GroupBelief {
    Pushed {
        display_name: Option<String>,
        /// Members as `{user:KEY}` (a server id the run does not know stays as it is).
        members: BTreeSet<String>,
        /// Members Okta since deactivated or unassigned (or re-created under a new id): a
        /// server may drop them from the group (Zinc does, Z10); Okta adds them again when
        /// they come back.
        optional: BTreeSet<String>,
    },
    Deleted,
}

impl Beliefs {
    pub(crate) fn of(
        okta: &OktaClient,
        people: &[String],
        groups: &[String],
        fold: &GroupFold,
        name: &dyn Fn(&str) -> Option<String>,
        untag: &dyn Fn(&str) -> String,
    ) -> Beliefs {
        let mut b = Beliefs::default();
        for p in people {
            let Ok(person) = okta.person(p) else { continue };
            if person.server_id.is_none() {
                continue;
            }
            let belief = if person.app_active {
                let pushed = person.pushed.as_ref();
                UserBelief::Active {
                    // An `oin` link pushes no profile: Okta then has no belief about it.
                    user_name: pushed.map(|x| untag(x.user_name())),
                    given: pushed.map(|x| x.first.clone()).filter(|s| !s.is_empty()),
                    family: pushed.map(|x| x.last.clone()).filter(|s| !s.is_empty()),
                }
            } else {
                UserBelief::Inactive
            };
            b.users.insert(p.clone(), belief);
        }
        for g in groups {
            let Some(id) = okta.server_group_id(g) else {
                continue;
            };
            if fold.deleted.contains(&id) {
                b.groups.insert(g.clone(), GroupBelief::Deleted);
            } else if let Some(f) = fold.groups.get(&id) {
                let named: BTreeSet<String> = f
                    .members
                    .iter()
                    .map(|m| name(m).unwrap_or_else(|| m.clone()))
                    .collect();
                // Members Okta deprovisioned, and earlier ids of re-created users (`#1`):
                // Okta no longer holds those ids, so it has no claim on them.
                let gone = |m: &String| {
                    m.contains("}#")
                        || b.users.iter().any(|(k, u)| {
                            *u == UserBelief::Inactive && *m == format!("{{user:{k}}}")
                        })
                };
                let (optional, members) = named.into_iter().partition(gone);
                b.groups.insert(
                    g.clone(),
                    GroupBelief::Pushed {
                        display_name: f.display_name.as_deref().map(untag),
                        members,
                        optional,
                    },
                );
            }
        }
        b
    }
}

/// Where the target's state after a step is not what Okta believes: (state key, what Okta
/// believes, what came back, the body subset a scenario expects).
pub(crate) fn check(snap: &Snapshot) -> Option<Mismatch> {
    let beliefs = snap.beliefs.as_ref()?;
    for (key, belief) in &beliefs.users {
        let ask = format!("GET /Users/{{user:{key}}}");
        let Some((got, status)) = read(snap, &ask) else {
            continue;
        };
        match belief {
            UserBelief::Active {
                user_name,
                given,
                family,
            } => {
                let mut expect = json!({ "active": true });
                if let Some(u) = user_name {
                    expect["userName"] = json!(u);
                }
                if let Some(g) = given {
                    expect["name"] = json!({ "givenName": g });
                }
                if let Some(f) = family {
                    expect["name"]["familyName"] = json!(f);
                }
                let wrong = if status != 200 {
                    Some(("status", json!(200), json!(status)))
                } else if got["active"] == json!(false) {
                    Some(("active", json!(true), got["active"].clone()))
                } else if let Some(user_name) = user_name
                    && !got["userName"]
                        .as_str()
                        .is_some_and(|u| u.eq_ignore_ascii_case(user_name))
                {
                    Some(("userName", json!(user_name), got["userName"].clone()))
                } else if given.as_ref().is_some_and(|g| got["givenName"] != json!(g)) {
                    Some(("name.givenName", json!(given), got["givenName"].clone()))
                } else if family
                    .as_ref()
                    .is_some_and(|f| got["familyName"] != json!(f))
                {
                    Some(("name.familyName", json!(family), got["familyName"].clone()))
                } else {
                    None
                };
                if let Some(wrong) = wrong {
                    return Some(Mismatch::of_read(ask, wrong, expect));
                }
            }
            UserBelief::Inactive => {
                if status == 200 && got["active"] != json!(false) {
                    return Some(Mismatch {
                        key: ask,
                        field: "active".to_owned(),
                        expected: json!("false, or the user gone (404)"),
                        actual: got["active"].clone(),
                        expect: json!({"status": 200, "body": {"active": false}}),
                    });
                }
            }
        }
        if let UserBelief::Active {
            user_name: Some(user_name),
            ..
        } = belief
        {
            let ask = format!("GET /Users?filter=userName eq \"{user_name}\"");
            if let Some(e) = snap.state.get(&ask) {
                let me = format!("{{user:{key}}}");
                let found = e.norm["ids"]
                    .as_array()
                    .is_some_and(|ids| ids.iter().any(|i| i == &json!(me)));
                if !found {
                    return Some(Mismatch {
                        key: ask,
                        field: "Resources".to_owned(),
                        expected: json!(format!("a hit with id {me}")),
                        actual: e.norm.get("ids").cloned().unwrap_or(Value::Null),
                        expect: json!({"status": 200, "body": {"totalResults": 1, "Resources": [{"id": me}]}}),
                    });
                }
            }
        }
    }
    for (key, belief) in &beliefs.groups {
        let ask = format!("GET /Groups/{{group:{key}}}");
        let Some((got, status)) = read(snap, &ask) else {
            continue;
        };
        match belief {
            GroupBelief::Deleted => {
                if status != 404 {
                    return Some(Mismatch {
                        key: ask,
                        field: "status".to_owned(),
                        expected: json!(404),
                        actual: json!(status),
                        expect: json!({ "status": 404 }),
                    });
                }
            }
            GroupBelief::Pushed {
                display_name,
                members,
                optional,
            } => {
                let got_members: BTreeSet<String> = got["members"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(|s| s.trim_matches('"').to_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                let expect_body = json!({
                    "displayName": display_name,
                    "members": members.iter().map(|m| json!({"value": m})).collect::<Vec<_>>(),
                });
                let wrong = if status != 200 {
                    Some(("status", json!(200), json!(status)))
                } else if display_name
                    .as_ref()
                    .is_some_and(|n| got["displayName"] != json!(n))
                {
                    Some((
                        "displayName",
                        json!(display_name),
                        got["displayName"].clone(),
                    ))
                } else if !members.is_subset(&got_members)
                    || got_members
                        .iter()
                        .any(|m| !members.contains(m) && !optional.contains(m))
                {
                    Some(("members", json!(members), json!(got_members)))
                } else {
                    None
                };
                if let Some(wrong) = wrong {
                    return Some(Mismatch::of_read(ask, wrong, expect_body));
                }
            }
        }
    }
    None
}

/// The comparable form of what `ask` read after the step, and its status (0: no answer).
fn read<'s>(snap: &'s Snapshot, ask: &str) -> Option<(&'s Value, u64)> {
    let got = &snap.state.get(ask)?.norm;
    Some((got, got["status"].as_u64().unwrap_or(0)))
}

/// One difference between Okta's view and the target.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mismatch {
    pub key: String,
    pub field: String,
    pub expected: Value,
    pub actual: Value,
    /// What a scenario step reading `key` expects (`status` and a body subset).
    pub expect: Value,
}

impl Mismatch {
    /// `field` of the read `key` is not what Okta believes (`expected`, and `actual` came
    /// back); a step reading it again expects 200 and `body`.
    fn of_read(key: String, (field, expected, actual): (&str, Value, Value), body: Value) -> Self {
        Mismatch {
            key,
            field: field.to_owned(),
            expected,
            actual,
            expect: json!({"status": 200, "body": body}),
        }
    }
}
