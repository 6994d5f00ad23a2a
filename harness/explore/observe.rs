//! What the oracle looks at after each step: the target's observable state, read the way a
//! SCIM client can read it, and what each action came to.
//!
//! The state of one step is a map from what was asked (`GET /Users/{user:user001}`) to what
//! came back, reduced to what the contract lets a client rely on: server-owned fields (`id`,
//! `meta`, `schemas`) are left out, server ids are written as `{user:KEY}` / `{group:KEY}`,
//! multi-valued attributes (members, emails, filter hits) are compared as sets, list totals
//! relative to the start, and on a live server the run's tag is taken out of every name. Each
//! entry keeps, beside that comparable form, what the answer looked like in the server's own
//! order, so that the shrunk scenario can expect exactly what the reference gave.

use std::collections::{BTreeMap, BTreeSet};

use futures::FutureExt as _;
use futures::future::BoxFuture;
use serde_json::{Map, Value, json};

use super::okta_view::{Beliefs, GroupFold};
use crate::okta::{ActionOutcome, Body, OktaClient};
use crate::run::json::map_strings;
use crate::run::observe::{ActionSummary, Observer, StepView};
use crate::scenario::Profile;
use crate::zinc::Admin;

/// How a state entry is asked again in a scenario step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Ask {
    /// A `GET` below the SCIM base URL, placeholders and untagged names as a scenario
    /// writes them.
    Scim(String),
    ConsoleUsers,
    ConsoleGroups,
}

/// One thing observed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub ask: Ask,
    /// The comparable form (sets sorted, server-owned fields left out).
    pub norm: Value,
    /// The same answer in the server's order and shape (`status` plus a body subset).
    pub raw: Value,
}

/// Everything observed after one step (index 0: before the first).
#[derive(Debug, Clone, Default)]
pub(crate) struct Snapshot {
    pub index: usize,
    pub actions: Vec<ActionSummary>,
    pub state: BTreeMap<String, Entry>,
    /// Okta's own view (okta profile only).
    pub beliefs: Option<Beliefs>,
}

/// The [`Observer`] explore runs a sequence with.
pub(crate) struct Probe {
    profile: Profile,
    /// `zh-<run>-<sc>` on a live server: taken out of every observed string.
    tag: Option<String>,
    people: Vec<String>,
    groups: Vec<String>,
    pub trace: Vec<Snapshot>,
    /// Requests sent (the steps' and the probe's own) and the cap.
    pub requests: usize,
    cap: usize,
    /// Every server id seen, and whose it is.
    ids: BTreeMap<String, String>,
    /// How many different server ids Okta has held for each key (a re-created user counts 2).
    generations: BTreeMap<String, usize>,
    base_totals: BTreeMap<&'static str, i64>,
    folds: GroupFold,
    /// Set when the request cap stopped the run.
    pub capped: bool,
    /// Read the Admin Console (both sides are embedded mocks).
    console: bool,
}

impl Probe {
    pub(crate) fn new(
        profile: Profile,
        tag: Option<String>,
        people: Vec<String>,
        groups: Vec<String>,
        cap: usize,
        console: bool,
    ) -> Probe {
        Probe {
            profile,
            tag,
            people,
            groups,
            trace: Vec::new(),
            requests: 0,
            cap,
            ids: BTreeMap::new(),
            generations: BTreeMap::new(),
            base_totals: BTreeMap::new(),
            folds: GroupFold::default(),
            capped: false,
            console,
        }
    }

    fn untag(&self, text: &str) -> String {
        match &self.tag {
            Some(t) => text
                .replace(&format!("{t}-"), "")
                .replace(&format!("{t} "), ""),
            None => text.to_owned(),
        }
    }

    fn untag_value(&self, v: &Value) -> Value {
        map_strings(v, |s| self.id_name(s).unwrap_or_else(|| self.untag(s)))
    }

    /// `{user:KEY}` for a server id the run knows (`{user:KEY}#1` for an earlier id of KEY).
    fn id_name(&self, id: &str) -> Option<String> {
        self.ids.get(id).cloned()
    }

    fn learn_ids(&mut self, okta: &OktaClient) {
        let mut current: BTreeMap<String, String> = BTreeMap::new();
        for p in &self.people {
            if let Some(id) = okta.server_user_id(p) {
                current.insert(id, format!("{{user:{p}}}"));
            }
        }
        for g in &self.groups {
            if let Some(id) = okta.server_group_id(g) {
                current.insert(id, format!("{{group:{g}}}"));
            }
        }
        for (id, name) in current {
            if self.ids.get(&id) == Some(&name) {
                continue;
            }
            let n = self.generations.entry(name.clone()).or_insert(0);
            *n += 1;
            // An earlier id of the same key keeps a numbered name.
            let earlier = *n - 1;
            for v in self.ids.values_mut() {
                if *v == name {
                    *v = format!("{name}#{earlier}");
                }
            }
            self.ids.insert(id, name);
        }
    }

    async fn get(&mut self, okta: &OktaClient, path: &str) -> (u16, Value) {
        self.requests += 1;
        let outcome: Option<ActionOutcome> = okta.raw("GET", path, None).await.ok();
        let response = outcome
            .as_ref()
            .and_then(|o| o.exchanges.last())
            .and_then(|e| e.response.as_ref());
        match response {
            Some(r) => (
                r.status,
                match &r.body {
                    Body::Json(v) => v.clone(),
                    Body::Empty | Body::Text(_) => Value::Null,
                },
            ),
            // No answer at all (timeout, reset): status 0.
            None => (0, Value::Null),
        }
    }

    async fn look(&mut self, view: &StepView<'_>) -> Snapshot {
        let okta = view.okta;
        self.learn_ids(okta);
        if let Some(step) = view.step {
            self.requests += step.exchanges.len();
            if self.profile == Profile::Okta {
                self.folds.apply(&step.exchanges);
            }
        }
        let mut state = BTreeMap::new();
        let people = self.people.clone();
        for p in &people {
            if let Some(id) = okta.server_user_id(p) {
                let (status, body) = self.get(okta, &format!("/Users/{id}")).await;
                let ask = format!("/Users/{{user:{p}}}");
                let held = self
                    .generations
                    .get(&format!("{{user:{p}}}"))
                    .copied()
                    .unwrap_or(0);
                let (mut norm, raw) = self.user_entry(status, &body);
                norm["ids Okta held"] = json!(held);
                put(&mut state, ask, (norm, raw));
            }
            let user_name = okta
                .profile(p)
                .map(|pr| pr.user_name().to_owned())
                .unwrap_or_default();
            let path = format!("/Users?filter=userName eq \"{user_name}\"");
            let (status, body) = self.get(okta, &path).await;
            put(&mut state, self.untag(&path), self.hits(status, &body));
        }
        let groups = self.groups.clone();
        for g in &groups {
            if let Some(id) = okta.server_group_id(g) {
                let (status, body) = self.get(okta, &format!("/Groups/{id}")).await;
                let ask = format!("/Groups/{{group:{g}}}");
                put(&mut state, ask, self.group_entry(status, &body));
            }
            let name = okta.group(g).map(|x| x.name).unwrap_or_default();
            let path = format!("/Groups?filter=displayName eq \"{name}\"");
            let (status, body) = self.get(okta, &path).await;
            put(&mut state, self.untag(&path), self.hits(status, &body));
        }
        for kind in ["Users", "Groups"] {
            let path = format!("/{kind}?startIndex=1&count=1");
            let (status, body) = self.get(okta, &path).await;
            let total = body.get("totalResults").and_then(Value::as_i64);
            let read = match total {
                Some(t) if status == 200 => {
                    let base = *self.base_totals.entry(kind_key(kind)).or_insert(t);
                    (
                        json!({"status": status, "totalResults relative to the start": t - base}),
                        json!({"status": status, "body": {"totalResults": t}}),
                    )
                }
                _ => status_only(status),
            };
            put(&mut state, path, read);
        }
        // The console only when both sides have one (a live target has none).
        if let Some(admin) = view.admin.as_ref().filter(|_| self.console) {
            let (users, groups) = self.console(admin);
            state.insert("console: list_users".to_owned(), users);
            state.insert("console: list_groups".to_owned(), groups);
        }
        let beliefs = (self.profile == Profile::Okta).then(|| {
            Beliefs::of(
                okta,
                &self.people,
                &self.groups,
                &self.folds,
                &|id: &str| self.id_name(id),
                &|text: &str| self.untag(text),
            )
        });
        Snapshot {
            index: view.index,
            actions: view.actions.to_vec(),
            state,
            beliefs,
        }
    }

    /// A user by id: status and the attributes Okta maps.
    fn user_entry(&self, status: u16, body: &Value) -> (Value, Value) {
        if status != 200 {
            return status_only(status);
        }
        let b = self.untag_value(body);
        let s = |v: Option<&Value>| v.cloned().unwrap_or(Value::Null);
        let mut emails: Vec<Value> = b
            .get("emails")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|e| e.get("value").cloned()).collect())
            .unwrap_or_default();
        let raw_emails: Vec<Value> = emails.iter().map(|v| json!({ "value": v })).collect();
        emails.sort_by_key(Value::to_string);
        let name = b.get("name");
        let norm = json!({
            "status": status,
            "userName": s(b.get("userName")),
            "active": s(b.get("active")),
            "displayName": s(b.get("displayName")),
            "givenName": s(name.and_then(|n| n.get("givenName"))),
            "familyName": s(name.and_then(|n| n.get("familyName"))),
            "emails": emails,
            "title": s(b.get("title")),
            "locale": s(b.get("locale")),
        });
        let mut raw = Map::new();
        for k in ["userName", "active", "displayName", "title", "locale"] {
            if let Some(v) = b.get(k) {
                raw.insert(k.to_owned(), v.clone());
            }
        }
        if let Some(n) = name {
            raw.insert("name".to_owned(), n.clone());
        }
        if !raw_emails.is_empty() {
            raw.insert("emails".to_owned(), Value::Array(raw_emails));
        }
        (norm, json!({"status": status, "body": raw}))
    }

    /// A group by id: status, name, members as a set.
    fn group_entry(&self, status: u16, body: &Value) -> (Value, Value) {
        if status != 200 {
            return status_only(status);
        }
        let b = self.untag_value(body);
        let members: Vec<Value> = b
            .get("members")
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(|m| m.get("value").cloned())
                    .map(|v| json!({ "value": v }))
                    .collect()
            })
            .unwrap_or_default();
        let set: BTreeSet<String> = members.iter().map(|m| text(&m["value"])).collect();
        let name = b.get("displayName").cloned().unwrap_or(Value::Null);
        (
            json!({"status": status, "displayName": name, "members": set}),
            json!({"status": status, "body": {"displayName": name, "members": members}}),
        )
    }

    /// A filter's hits, as a set of ids.
    fn hits(&self, status: u16, body: &Value) -> (Value, Value) {
        let b = self.untag_value(body);
        let ids: Vec<Value> = b
            .get("Resources")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(|r| r.get("id").cloned()).collect())
            .unwrap_or_default();
        let set: BTreeSet<String> = ids.iter().map(text).collect();
        let total = b.get("totalResults").cloned().unwrap_or(Value::Null);
        if status != 200 {
            return status_only(status);
        }
        (
            json!({"status": status, "totalResults": total, "ids": set}),
            json!({"status": status, "body": {"totalResults": total, "Resources": ids.iter().map(|i| json!({"id": i})).collect::<Vec<_>>()}}),
        )
    }

    /// The Admin Console's view (embedded mock only): users, and groups with their origin,
    /// link and members. Console groups have no key Okta knows, so they go by name.
    fn console(&self, admin: &Admin) -> (Entry, Entry) {
        let users = self.untag_value(&serde_json::to_value(admin.list_users()).unwrap_or_default());
        // Console users by id and userName: in the console's order, and sorted to compare.
        let raw_users: Vec<Value> = users
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|u| json!({"id": u.get("id"), "userName": u.get("userName")}))
                    .collect()
            })
            .unwrap_or_default();
        let mut norm_users = raw_users.clone();
        norm_users.sort_by_key(Value::to_string);
        let groups =
            self.untag_value(&serde_json::to_value(admin.list_groups()).unwrap_or_default());
        let members = |g: &Value, k: &str| -> Vec<Value> {
            g.get(k)
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|m| json!({"id": m.get("id").cloned().unwrap_or(Value::Null)}))
                        .collect()
                })
                .unwrap_or_default()
        };
        let raw_groups: Vec<Value> = groups
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|g| {
                        json!({
                            "displayName": g.get("displayName"),
                            "origin": g.get("origin"),
                            "linked": g.get("linked"),
                            "members": members(g, "members"),
                            "admins": members(g, "admins"),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut norm_groups: Vec<Value> = raw_groups
            .iter()
            .map(|g| {
                let set = |k: &str| -> BTreeSet<String> {
                    g[k].as_array()
                        .map(|a| a.iter().map(|m| text(&m["id"])).collect())
                        .unwrap_or_default()
                };
                json!({
                    "displayName": g["displayName"],
                    "origin": g["origin"],
                    "linked": g["linked"],
                    "members": set("members"),
                    "admins": set("admins"),
                })
            })
            .collect();
        norm_groups.sort_by_key(Value::to_string);
        (
            Entry {
                ask: Ask::ConsoleUsers,
                norm: Value::Array(norm_users),
                raw: json!({ "body": raw_users }),
            },
            Entry {
                ask: Ask::ConsoleGroups,
                norm: Value::Array(norm_groups),
                raw: json!({ "body": raw_groups }),
            },
        )
    }
}

/// Files what `GET {ask}` read (`ask` below the base URL, as a scenario writes it): its
/// comparable form and its raw form.
fn put(state: &mut BTreeMap<String, Entry>, ask: String, (norm, raw): (Value, Value)) {
    state.insert(
        format!("GET {ask}"),
        Entry {
            ask: Ask::Scim(ask),
            norm,
            raw,
        },
    );
}

/// A read that did not answer 200: only its status is compared and expected.
fn status_only(status: u16) -> (Value, Value) {
    (json!({ "status": status }), json!({ "status": status }))
}

/// A string as itself, anything else as JSON.
fn text(v: &Value) -> String {
    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
}

fn kind_key(kind: &str) -> &'static str {
    if kind == "Users" { "Users" } else { "Groups" }
}

impl Observer for Probe {
    fn observe<'a>(&'a mut self, view: StepView<'a>) -> BoxFuture<'a, bool> {
        async move {
            let snap = self.look(&view).await;
            self.trace.push(snap);
            if self.requests > self.cap {
                self.capped = true;
                return false;
            }
            true
        }
        .boxed()
    }
}
