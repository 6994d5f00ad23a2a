//! Every Okta action of okta-client.md, in Okta's order, for both personalities.
//!
//! Each action snapshots what it needs from Okta's directory, sends its requests (no lock
//! held across a request), then writes back what Okta learned. A failed request ends the
//! action with the message Okta would show; requests Okta would not send are not sent.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Map, Value, json};

use super::client::OktaClient;
use super::config::GroupPush;
use super::directory::{
    GROUP_URN, ImportedUser, OktaGroup, Person, PersonProfile, ProfileChanges, PushedGroup,
    member_value, placeholder_password, synced_password,
};
use super::http::{Parsed, Reply, segment};
use super::personality::{
    Attrs, GroupCall, GroupView, GroupWrite, Membership, Personality, UserWrite,
};
use super::{ActionKind, ActionOutcome, ActionResult, AppGroup, OktaError};
use crate::contract::Exchange;
use crate::scim::error::json_kind;

/// Okta's page size for every list it reads.
const PAGE: usize = 100;
/// A bound on paging, so a server whose `totalResults` never ends cannot hold a run forever.
const MAX_PAGES: usize = 10_000;

/// Why a client that never reads the app's lists sends nothing for an import or a refresh.
/// Why a client that never sends passwords sends nothing for a password sync.
const NO_PASSWORDS: &str = "this client sends no passwords (Microsoft Entra ID: no password in its create, entra-client-reference.md row 7, and no password sync)";

const NO_LISTS: &str = "this client does not read the app's users or groups (Microsoft Entra ID provisions one way only)";

/// A request that did not give Okta what it needed.
#[derive(Debug)]
struct Fail {
    /// The status, when a response arrived.
    status: Option<u16>,
    message: String,
}

type Step<T> = Result<T, Fail>;

/// An Okta-side error met inside an action (e.g. a person removed meanwhile) ends it too.
impl From<OktaError> for Fail {
    fn from(e: OktaError) -> Self {
        Fail {
            status: None,
            message: e.to_string(),
        }
    }
}

/// One action in progress: its exchanges so far.
struct Run<'c> {
    client: &'c OktaClient,
    action: ActionKind,
    log: Vec<Exchange>,
    /// The exchange that decides the action's status (see `ActionOutcome::primary`).
    primary: Option<usize>,
    /// The request in flight updates a reference (a manager): a failure is a "reference
    /// failure" in Entra's counts.
    reference: bool,
}

impl<'c> Run<'c> {
    fn new(client: &'c OktaClient, action: ActionKind) -> Self {
        Run {
            client,
            action,
            log: Vec::new(),
            primary: None,
            reference: false,
        }
    }

    /// Sends one request; a status outside `accept`, no response, or a body that is not JSON
    /// is a `Fail` carrying Okta's message, prefixed by `ctx`.
    async fn call(
        &mut self,
        ctx: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
        accept: fn(u16) -> bool,
    ) -> Step<(u16, Option<Value>)> {
        let reply = self.send(method, path, body, true).await;
        self.settle(ctx, reply, accept)
    }

    /// Sends one request, logged; `wanted: false` when the action does not read a
    /// success's body (it is checked, not kept).
    async fn send(
        &mut self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        wanted: bool,
    ) -> Reply {
        let sender = &self.client.inner.sender;
        sender.send(method, path, body, wanted, &mut self.log).await
    }

    /// A reply as [`Run::call`] takes it.
    fn settle(
        &self,
        ctx: &str,
        reply: Reply,
        accept: fn(u16) -> bool,
    ) -> Step<(u16, Option<Value>)> {
        let scrub = |m: String| self.client.inner.sender.scrub(&m);
        match reply {
            Reply::Failed(why) => Err(Fail {
                status: None,
                message: scrub(format!("{ctx}: {why}")),
            }),
            Reply::Answer { status, body } if accept(status) => match body {
                Parsed::Empty | Parsed::Checked => Ok((status, None)),
                Parsed::Json(v) => Ok((status, Some(v))),
                Parsed::NotJson(e) => Err(Fail {
                    status: Some(status),
                    message: scrub(format!("{ctx}: {e}")),
                }),
            },
            Reply::Answer { status, body } => Err(Fail {
                status: Some(status),
                message: scrub(error_message(ctx, status, &body)),
            }),
        }
    }

    /// The body must be a JSON object.
    async fn call_object(
        &mut self,
        ctx: &str,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Step<Map<String, Value>> {
        let (status, v) = self.call(ctx, method, path, body, is_2xx).await?;
        match v {
            Some(Value::Object(m)) => Ok(m),
            Some(other) => Err(Fail {
                status: Some(status),
                message: format!(
                    "{ctx}: the response is not a JSON object (got {})",
                    json_kind(&other)
                ),
            }),
            None => Err(Fail {
                status: Some(status),
                message: format!("{ctx}: the response body is empty"),
            }),
        }
    }

    /// A lookup before a create (`path`: the personality's filter). The first match's id and
    /// body, or `None` when nothing matches (Okta's docs also accept a 404 Error body for "no
    /// match"). More than one match fails when the personality says so (Entra's
    /// `DuplicateTargetEntries`). `what` names the resource in the error of a match without
    /// an id.
    async fn find(&mut self, ctx: &str, path: &str, what: &str) -> Step<Option<(String, Value)>> {
        let (status, body) = self
            .call(ctx, Method::GET, path, None, is_2xx_or_404)
            .await?;
        if status == 404 {
            return Ok(None);
        }
        let mut found = list_of(ctx, status, body)?.1;
        if found.len() > 1 && self.personality().several_matches_fail() {
            return Err(Fail {
                status: Some(status),
                message: format!(
                    "{ctx}: DuplicateTargetEntries: the lookup found {} {what}s where at most one may match",
                    found.len()
                ),
            });
        }
        if self.personality().excludes_members()
            && found.iter().any(|hit| hit.get("members").is_some())
        {
            return Err(members_despite_excluded(ctx, status));
        }
        if found.is_empty() {
            return Ok(None);
        }
        let hit = found.swap_remove(0);
        let id = id_of(Some(&hit), status, || {
            format!("{ctx}: the matching {what} has no id")
        })?;
        Ok(Some((id, hit)))
    }

    /// The last exchange so far is the action's main one (follow-ups come after it).
    fn mark(&mut self) {
        if !self.log.is_empty() {
            self.primary = Some(self.log.len() - 1);
        }
    }

    fn done(self, result: Step<ActionResult>) -> ActionOutcome {
        let last = self.log.len().checked_sub(1);
        let (ok, message, result, primary) = match result {
            Ok(r) => (true, None, r, self.primary.or(last)),
            Err(f) => {
                let message = match self.failure_note(&f) {
                    Some(note) => format!("{}. {note}", f.message),
                    None => f.message,
                };
                (false, Some(message), ActionResult::None, last)
            }
        };
        if let Some(m) = &message {
            tracing::info!(action = %self.action, message = %m, "Okta action failed");
        }
        ActionOutcome {
            action: self.action,
            ok,
            message,
            result,
            primary,
            exchanges: self.log,
        }
    }

    /// The action ends without a request, and says why.
    fn nothing_sent(self, reason: impl Into<String>) -> ActionOutcome {
        self.done(Ok(ActionResult::NothingSent {
            reason: reason.into(),
        }))
    }

    /// What this client's kind of app integration sends (the `Personality` seam).
    fn personality(&self) -> &'c dyn Personality {
        &*self.client.inner.personality
    }

    /// What the personality says the IdP would do about the failure `f` of this action.
    fn failure_note(&self, f: &Fail) -> Option<String> {
        let by_id = self.log.last().is_some_and(|e| names_an_id(&e.path));
        let reference = matches!(
            self.action,
            ActionKind::AddMembers | ActionKind::RemoveMembers
        ) || self.reference;
        self.personality().failure_note(f.status, by_id, reference)
    }
}

/// `/Users/{id}` or `/Groups/{id}` (with or without a query).
fn names_an_id(path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let mut segments = path.trim_end_matches('/').rsplit('/');
    segments.next().is_some_and(|s| !s.is_empty())
        && segments
            .next()
            .is_some_and(|p| p.eq_ignore_ascii_case("Users") || p.eq_ignore_ascii_case("Groups"))
}

/// A group lookup or read that asked for no `members` and got them (Entra counts this as an
/// error, entra-client-reference.md row 15).
fn members_despite_excluded(ctx: &str, status: u16) -> Fail {
    Fail {
        status: Some(status),
        message: format!(
            "{ctx}: the answer carries members although the request excluded them (excludedAttributes=members)"
        ),
    }
}

fn is_2xx(s: u16) -> bool {
    (200..300).contains(&s)
}

fn is_200(s: u16) -> bool {
    s == 200
}

fn is_2xx_or_404(s: u16) -> bool {
    is_2xx(s) || s == 404
}

fn any_status(_: u16) -> bool {
    true
}

/// Okta's wording: `<context>: <HTTP reason>. Errors reported by remote server: <detail>`
/// (okta-client-reference.md §5). A body that is not JSON gives Jackson's parse error.
pub(super) fn error_message(ctx: &str, status: u16, body: &Parsed) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Unknown Status");
    match body {
        Parsed::NotJson(e) => format!("{ctx}: {reason}. {e}"),
        Parsed::Json(v) => match detail_of(v) {
            Some(d) => format!("{ctx}: {reason}. Errors reported by remote server: {d}"),
            None => format!("{ctx}: {reason}"),
        },
        Parsed::Empty | Parsed::Checked => format!("{ctx}: {reason}"),
    }
}

/// The server's error text: SCIM 2.0 `detail`, else SCIM 1.1 `Errors[].description`.
fn detail_of(v: &Value) -> Option<String> {
    if let Some(d) = v
        .get("detail")
        .and_then(Value::as_str)
        .filter(|d| !d.is_empty())
    {
        return Some(d.to_owned());
    }
    let list: Vec<&str> = v
        .get("Errors")
        .and_then(Value::as_array)?
        .iter()
        .filter_map(|e| e.get("description").and_then(Value::as_str))
        .collect();
    (!list.is_empty()).then(|| list.join(", "))
}

fn user_path(id: &str) -> String {
    format!("/Users/{}", segment(id))
}

fn group_path(id: &str) -> String {
    format!("/Groups/{}", segment(id))
}

/// The PUT body: the GET body with Okta's attributes written over it. With `since`, only
/// the attributes that changed since that profile (Okta diffs against its last push).
fn put_body(
    mut got: Map<String, Value>,
    snap: &UserSnap,
    since: Option<&PersonProfile>,
    active: Option<bool>,
) -> Value {
    let ids = snap.manager_id();
    let now = snap.profile.attributes(&ids);
    let old = since.map(|p| p.attributes(&ids));
    for (attr, value) in &now {
        let changed = old.as_ref().is_none_or(|o| {
            o.iter()
                .find(|(a, _)| a == attr)
                .and_then(|(_, v)| v.as_ref())
                != value.as_ref()
        });
        if changed {
            attr.set(&mut got, value.as_ref());
        }
    }
    // A custom attribute Okta no longer has is cleared (the others are always listed).
    for (attr, _) in old.iter().flatten() {
        if !now.iter().any(|(a, _)| a == attr) {
            attr.set(&mut got, None);
        }
    }
    if let Some(a) = active {
        got.insert("active".into(), json!(a));
    }
    Value::Object(got)
}

/// Where a `Resources` list and `totalResults` count are read from a ListResponse. Counters
/// that are not JSON numbers break Okta's listing (reference §9.14).
fn list_of(ctx: &str, status: u16, body: Option<Value>) -> Step<(u64, Vec<Value>)> {
    let bad = |why: String| Fail {
        status: Some(status),
        message: format!("{ctx}: invalid ListResponse: {why}"),
    };
    let Some(Value::Object(mut m)) = body else {
        return Err(bad("the body is not a JSON object".into()));
    };
    let total = match m.get("totalResults") {
        Some(Value::Number(n)) => n
            .as_u64()
            .ok_or_else(|| bad(format!("totalResults {n} is not a count")))?,
        Some(other) => return Err(bad(format!("totalResults is {}", json_kind(other)))),
        None => return Err(bad("totalResults is missing".into())),
    };
    let resources = match m.remove("Resources") {
        Some(Value::Array(a)) => a,
        None | Some(Value::Null) => Vec::new(),
        Some(other) => return Err(bad(format!("Resources is {}", json_kind(&other)))),
    };
    Ok((total, resources))
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// The result of an action on a user it did not create.
fn existing_user(server_id: String) -> ActionResult {
    ActionResult::User {
        server_id,
        created: false,
    }
}

/// The result of an action on a group it did not create.
fn existing_group(server_id: String) -> ActionResult {
    ActionResult::Group {
        server_id,
        created: false,
    }
}

/// The non-empty `id` of a resource the server answered with; without one, a `Fail` with
/// the `missing` message.
fn id_of(v: Option<&Value>, status: u16, missing: impl FnOnce() -> String) -> Step<String> {
    v.and_then(|v| str_field(v, "id"))
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| Fail {
            status: Some(status),
            message: missing(),
        })
}

/// What one action needs of a person, copied out of the lock.
struct UserSnap {
    okta_id: String,
    profile: PersonProfile,
    server_id: Option<String>,
    pushed: Option<PersonProfile>,
    app_active: bool,
    creates: u32,
    /// The manager (person key) the client last sent as its own request (Entra).
    pushed_manager: Option<String>,
    /// The server ids of the managers the profiles name (person key → id).
    managers: BTreeMap<String, String>,
}

impl UserSnap {
    /// The server id of a person key that names a manager, if Okta knows it.
    fn manager_id(&self) -> impl Fn(&str) -> Option<String> + '_ {
        |key| self.managers.get(key).cloned()
    }
}

/// What one action needs of a pushed group.
struct GroupSnap {
    name: String,
    server_id: Option<String>,
    members: Vec<Value>,
}

impl GroupSnap {
    /// What a personality sees of the group (pushed as `id`).
    fn view<'a>(&'a self, id: &'a str, push: &'a GroupPush) -> GroupView<'a> {
        GroupView {
            id,
            name: &self.name,
            members: &self.members,
            push,
        }
    }
}

/// A copy of the person or group `key` after `edit` (`unknown`: the error when there is none).
fn edited<T: Clone>(
    map: &mut BTreeMap<String, T>,
    key: &str,
    unknown: fn(String) -> OktaError,
    edit: impl FnOnce(&mut T),
) -> Result<T, OktaError> {
    let entry = map.get_mut(key).ok_or_else(|| unknown(key.to_owned()))?;
    edit(entry);
    Ok(entry.clone())
}

impl OktaClient {
    fn user_snap(&self, key: &str, edit: impl FnOnce(&mut Person)) -> Result<UserSnap, OktaError> {
        let mut dir = self.inner.dir.lock();
        let p = edited(&mut dir.people, key, OktaError::UnknownPerson, edit)?;
        let managers = [&Some(p.profile.clone()), &p.pushed]
            .into_iter()
            .flatten()
            .filter_map(|profile| profile.manager.clone())
            .filter_map(|m| {
                let id = dir.people.get(&m)?.server_id.clone()?;
                Some((m, id))
            })
            .collect();
        Ok(UserSnap {
            okta_id: p.okta_id,
            profile: self.inner.personality.mapped(p.profile),
            server_id: p.server_id,
            pushed: p.pushed,
            app_active: p.app_active,
            creates: p.creates,
            pushed_manager: p.pushed_manager,
            managers,
        })
    }

    fn group_snap(
        &self,
        key: &str,
        edit: impl FnOnce(&mut OktaGroup),
    ) -> Result<GroupSnap, OktaError> {
        let mut dir = self.inner.dir.lock();
        let g = edited(&mut dir.groups, key, OktaError::UnknownGroup, edit)?;
        Ok(GroupSnap {
            members: dir.member_values(&g),
            name: g.name,
            server_id: g.pushed.map(|p| p.server_id),
        })
    }

    fn with_person(&self, key: &str, f: impl FnOnce(&mut Person)) {
        if let Some(p) = self.inner.dir.lock().people.get_mut(key) {
            f(p);
        }
    }

    fn set_pushed_group(&self, key: &str, server_id: Option<String>) {
        if let Some(g) = self.inner.dir.lock().groups.get_mut(key) {
            g.pushed = server_id.map(|server_id| PushedGroup { server_id });
        }
    }

    // ----- Credentials -----------------------------------------------------------------------

    /// "Test API Credentials": `GET /Users?startIndex=1&count=2`, and with Group Push on
    /// `GET /Groups?startIndex=1&count=100`. Passes when each answers 200 with a ListResponse.
    pub async fn test_credentials(&self) -> ActionOutcome {
        let mut run = Run::new(self, ActionKind::TestCredentials);
        let n = self
            .inner
            .probes
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let probes = run
            .personality()
            .test_connection(self.inner.push_groups, n + 1);
        let mut result = Ok(ActionResult::None);
        for p in probes {
            let ctx = format!("Error while testing the connection (listing {})", p.what);
            let step = run.call(&ctx, Method::GET, &p.path, None, is_200).await;
            match step.and_then(|(status, body)| list_of(&ctx, status, body).map(|l| (status, l))) {
                Ok((status, (total, found)))
                    if p.must_be_empty && (total > 0 || !found.is_empty()) =>
                {
                    result = Err(Fail {
                        status: Some(status),
                        message: format!(
                            "{ctx}: the filter on a random GUID must find nothing, but {} resources came back (totalResults {total})",
                            found.len()
                        ),
                    });
                    break;
                }
                Ok(_) => {}
                Err(f) => {
                    result = Err(f);
                    break;
                }
            }
        }
        run.done(result)
    }

    // ----- Users -----------------------------------------------------------------------------

    /// Assign the person to the app: lookup by `userName` filter; no match → `POST /Users`;
    /// a match → link (`oin`: `PATCH active:true`; `aiw`: `GET` + `PUT` with the profile and
    /// `active:true`). Then every pushed group the person is in gets them added.
    pub async fn assign_user(&self, key: &str) -> Result<ActionOutcome, OktaError> {
        self.user_snap(key, |p| {
            p.assigned = true;
        })?;
        let mut run = Run::new(self, ActionKind::AssignUser);
        let r = self.provision(&mut run, key).await;
        let r = self.then_push_groups(&mut run, key, r).await;
        Ok(run.done(r))
    }

    /// Lookup, then create or link (the `assign_user` sequence, shared with reactivation).
    async fn provision(&self, run: &mut Run<'_>, key: &str) -> Step<ActionResult> {
        let snap = self.user_snap(key, |_| {})?;
        let user_name = snap.profile.user_name().to_owned();
        let ctx = format!("Error while verifying if user {user_name} exists");
        let external_id = run.personality().user_external_id(key, &snap.okta_id);
        for path in run.personality().user_lookups(&snap.profile, &external_id) {
            if let Some((id, hit)) = run.find(&ctx, &path, "user").await? {
                return self.link_user(run, key, &snap, id, &hit).await;
            }
        }
        self.create_user(run, key, &snap, &external_id).await
    }

    async fn create_user(
        &self,
        run: &mut Run<'_>,
        key: &str,
        snap: &UserSnap,
        external_id: &str,
    ) -> Step<ActionResult> {
        let user_name = snap.profile.user_name();
        let password = placeholder_password(&snap.okta_id, snap.creates + 1);
        if run.personality().sends_password() {
            self.inner.sender.add_secret(password.clone());
        }
        self.with_person(key, |p| p.creates += 1);
        let body = run.personality().create_user_body(
            &snap.profile,
            external_id,
            &password,
            &snap.manager_id(),
        );
        let ctx = format!("Error while creating user {user_name}");
        let (status, got) = run
            .call(&ctx, Method::POST, "/Users", Some(&body), is_2xx)
            .await?;
        let Some(got) = got else {
            return Err(Fail {
                status: Some(status),
                message: format!("{ctx}: Create new user returned empty user"),
            });
        };
        let id = id_of(Some(&got), status, || {
            format!("{ctx}: the created user has no id")
        })?;
        let profile = snap.profile.clone();
        self.with_person(key, |p| {
            p.server_id = Some(id.clone());
            p.app_active = true;
            p.pushed = Some(profile);
        });
        Ok(ActionResult::User {
            server_id: id,
            created: true,
        })
    }

    async fn link_user(
        &self,
        run: &mut Run<'_>,
        key: &str,
        snap: &UserSnap,
        id: String,
        hit: &Value,
    ) -> Step<ActionResult> {
        let user_name = snap.profile.user_name().to_owned();
        // Okta stores the server id as soon as it has found the user.
        self.with_person(key, |p| p.server_id = Some(id.clone()));
        let ctx = format!("Error while activating user {user_name}");
        let link = run.personality().link_user(hit, &snap.profile);
        // A link that wrote the profile is Okta's last push of it; one that did not leaves
        // the next profile push to write every attribute.
        let pushed = link.writes_profile.then(|| snap.profile.clone());
        if let Some(write) = link.write {
            self.user_write(run, &ctx, &id, snap, write).await?;
        }
        self.with_person(key, |p| {
            p.app_active = true;
            p.pushed = pushed;
        });
        Ok(existing_user(id))
    }

    /// Sends a personality's `write` to the user `id`; `ctx` words a failed PATCH.
    async fn user_write(
        &self,
        run: &mut Run<'_>,
        ctx: &str,
        id: &str,
        snap: &UserSnap,
        write: UserWrite,
    ) -> Step<()> {
        match write {
            UserWrite::Patch(body) => run
                .call(ctx, Method::PATCH, &user_path(id), Some(&body), is_2xx)
                .await
                .map(|_| ()),
            UserWrite::GetPut { attrs, active } => {
                let since = match attrs {
                    Attrs::Every => None,
                    Attrs::SinceLastPush => snap.pushed.as_ref(),
                    Attrs::Nothing => Some(&snap.profile),
                };
                self.get_put_user(run, id, snap, since, active, Map::new())
                    .await
            }
            UserWrite::LinkPut => {
                let mut link = Map::new();
                link.insert("externalId".into(), json!(snap.okta_id));
                link.insert("groups".into(), json!([]));
                let locale = snap.profile.locale.as_deref().unwrap_or("en-US");
                link.insert("locale".into(), json!(locale));
                self.get_put_user(run, id, snap, None, Some(true), link)
                    .await
            }
            UserWrite::PasswordPut(password) => {
                let mut set = Map::new();
                set.insert("password".into(), json!(password));
                self.get_put_user(run, id, snap, Some(&snap.profile), None, set)
                    .await
            }
            UserWrite::Delete => run
                .call(ctx, Method::DELETE, &user_path(id), None, is_2xx)
                .await
                .map(|_| ()),
        }
    }

    /// Read-modify-write of a user: `GET /Users/{id}` (a 404 stops), then `PUT` of the GET
    /// body with Okta's attributes (only those changed since `since`, when given).
    async fn get_put_user(
        &self,
        run: &mut Run<'_>,
        id: &str,
        snap: &UserSnap,
        since: Option<&PersonProfile>,
        active: Option<bool>,
        extra: Map<String, Value>,
    ) -> Step<()> {
        let user_name = snap.profile.user_name();
        let path = user_path(id);
        let got = run
            .call_object(
                &format!("Error while reading user {user_name}"),
                Method::GET,
                &path,
                None,
            )
            .await?;
        let mut body = put_body(got, snap, since, active);
        if let Value::Object(m) = &mut body {
            m.extend(extra);
        }
        run.call(
            &format!("Error while updating user {user_name}"),
            Method::PUT,
            &path,
            Some(&body),
            is_2xx,
        )
        .await?;
        Ok(())
    }

    /// Applies `changes` to the Okta profile, then pushes it: `GET /Users/{id}` and `PUT` of
    /// the GET body with the attributes changed since Okta's last push. A 404 on the GET
    /// stops the action (Okta raises an admin task; it does not re-create the user).
    /// Nothing is sent for a person without an active app user.
    pub async fn update_user(
        &self,
        key: &str,
        changes: &ProfileChanges,
    ) -> Result<ActionOutcome, OktaError> {
        let snap = self.user_snap(key, |p| p.profile.apply(changes))?;
        let mut run = Run::new(self, ActionKind::UpdateUser);
        let (Some(id), true) = (snap.server_id.clone(), snap.app_active) else {
            return Ok(run.nothing_sent(format!(
                "{key} has no active app user: only the Okta profile changed"
            )));
        };
        let ctx = format!("Error while updating user {}", snap.profile.user_name());
        let write = run
            .personality()
            .update_user(snap.pushed.as_ref(), &snap.profile);
        let r = match write {
            Some(write) => self.user_write(&mut run, &ctx, &id, &snap, write).await,
            None => Ok(()),
        };
        if r.is_ok() {
            let profile = snap.profile.clone();
            self.with_person(key, |p| p.pushed = Some(profile));
        }
        let r = match r {
            Ok(()) => self.manager_update(&mut run, key, &id, &snap).await,
            Err(f) => Err(f),
        };
        if run.log.is_empty() {
            return Ok(run.nothing_sent(format!(
                "no mapped attribute of {key} changed: nothing to send"
            )));
        }
        Ok(run.done(r.map(|()| existing_user(id))))
    }

    /// A manager change after a profile push (Entra maps the manager; Okta sends nothing):
    /// the check that it is already so, then the PATCH. An unprovisioned manager cannot be
    /// referenced yet: nothing is sent for it.
    async fn manager_update(
        &self,
        run: &mut Run<'_>,
        key: &str,
        id: &str,
        snap: &UserSnap,
    ) -> Step<()> {
        let wanted_key = snap.profile.manager.clone();
        let pushed_key = snap.pushed_manager.clone();
        if wanted_key == pushed_key {
            return Ok(());
        }
        let (current, wanted) = {
            let dir = self.inner.dir.lock();
            let sid = |k: &Option<String>| {
                k.as_ref()
                    .and_then(|k| dir.people.get(k))
                    .and_then(|p| p.server_id.clone())
            };
            (sid(&pushed_key), sid(&wanted_key))
        };
        if wanted_key.is_some() && wanted.is_none() {
            return Ok(());
        }
        let Some(write) =
            run.personality()
                .manager_change(id, current.as_deref(), wanted.as_deref())
        else {
            return Ok(());
        };
        let user_name = snap.profile.user_name();
        run.reference = true;
        if let Some(check) = &write.check {
            let ctx = format!("Error while reading the manager of user {user_name}");
            let (status, body) = run.call(&ctx, Method::GET, check, None, is_200).await?;
            if !list_of(&ctx, status, body)?.1.is_empty() {
                self.with_person(key, |p| p.pushed_manager = wanted_key.clone());
                run.reference = false;
                return Ok(());
            }
        }
        let ctx = format!("Error while updating the manager of user {user_name}");
        run.call(
            &ctx,
            Method::PATCH,
            &user_path(id),
            Some(&write.patch),
            is_2xx,
        )
        .await?;
        run.reference = false;
        self.with_person(key, |p| p.pushed_manager = wanted_key);
        Ok(())
    }

    /// Deactivates the Okta user (which also removes the app assignment, as in Okta) and
    /// deprovisions the app user: `oin` path-less `PATCH active:false`; `aiw` `GET` + `PUT`
    /// with `active:false` (a 404 on the GET stops). Group memberships are not touched.
    pub async fn deactivate_user(&self, key: &str) -> Result<ActionOutcome, OktaError> {
        self.deprovision(key, ActionKind::DeactivateUser, |p| {
            p.active = false;
            p.assigned = false;
        })
        .await
    }

    /// Removes the app assignment; the same requests as `deactivate_user`.
    pub async fn unassign_user(&self, key: &str) -> Result<ActionOutcome, OktaError> {
        self.deprovision(key, ActionKind::UnassignUser, |p| p.assigned = false)
            .await
    }

    async fn deprovision(
        &self,
        key: &str,
        action: ActionKind,
        edit: impl FnOnce(&mut Person),
    ) -> Result<ActionOutcome, OktaError> {
        let snap = self.user_snap(key, edit)?;
        let mut run = Run::new(self, action);
        let (Some(id), true) = (snap.server_id.clone(), snap.app_active) else {
            return Ok(run.nothing_sent(format!("{key} has no active app user to deprovision")));
        };
        let ctx = format!("Error while deactivating user {}", snap.profile.user_name());
        let write = run
            .personality()
            .deprovision(action == ActionKind::UnassignUser);
        let deleted = write == UserWrite::Delete;
        let r = self.user_write(&mut run, &ctx, &id, &snap, write).await;
        if r.is_ok() {
            self.with_person(key, |p| {
                p.app_active = false;
                if deleted {
                    // A deleted user is gone: a later assignment creates it again.
                    p.server_id = None;
                    p.pushed = None;
                    p.pushed_manager = None;
                }
            });
        }
        Ok(run.done(r.map(|()| existing_user(id))))
    }

    /// "Sync Password": sends the person's Okta password to the app user (`oin`: path-less
    /// `PATCH {password}`; `aiw`: `GET` + `PUT` with `password`). The password is redacted in
    /// every transcript, message and report. Nothing is sent without an active app user.
    pub async fn sync_password(&self, key: &str) -> Result<ActionOutcome, OktaError> {
        let snap = self.user_snap(key, |p| p.password_syncs += 1)?;
        let mut run = Run::new(self, ActionKind::SyncPassword);
        let (Some(id), true) = (snap.server_id.clone(), snap.app_active) else {
            return Ok(run.nothing_sent(format!("{key} has no active app user")));
        };
        let syncs = self.person(key)?.password_syncs;
        let password = synced_password(&snap.okta_id, syncs);
        self.inner.sender.add_secret(password.clone());
        let ctx = format!(
            "Error while syncing the password of user {}",
            snap.profile.user_name()
        );
        let Some(write) = run.personality().sync_password(&password) else {
            return Ok(run.nothing_sent(NO_PASSWORDS));
        };
        let r = self.user_write(&mut run, &ctx, &id, &snap, write).await;
        Ok(run.done(r.map(|()| existing_user(id))))
    }

    /// Deprovisions a server user Okta has no person for (one a raw `scim:` step made), the
    /// way this app deprovisions (`aiw` never PATCHes): used by a run's clean-up.
    pub async fn deprovision_server_user(&self, id: &str) -> ActionOutcome {
        let snap = UserSnap {
            okta_id: String::new(),
            profile: PersonProfile::default(),
            server_id: Some(id.to_owned()),
            pushed: None,
            app_active: true,
            creates: 0,
            pushed_manager: None,
            managers: BTreeMap::new(),
        };
        let mut run = Run::new(self, ActionKind::DeactivateUser);
        let ctx = format!("Error while deactivating user {id}");
        let write = run.personality().deprovision(false);
        let r = self.user_write(&mut run, &ctx, id, &snap, write).await;
        run.done(r.map(|()| existing_user(id.to_owned())))
    }

    /// Reactivates the Okta user and restores the assignment. `oin`: `PATCH active:true` on
    /// the known id; on 404 (or with no id), the `assign_user` sequence, so the user may come
    /// back with a new id. `aiw`: the `assign_user` sequence (a hit is re-activated by
    /// `GET` + `PUT active:true`). Then the person's pushed groups get them added again.
    pub async fn reactivate_user(&self, key: &str) -> Result<ActionOutcome, OktaError> {
        self.reprovision(key, ActionKind::ReactivateUser).await
    }

    /// Assigns the app again after an unassignment: the same requests as `reactivate_user`.
    pub async fn reassign_user(&self, key: &str) -> Result<ActionOutcome, OktaError> {
        self.reprovision(key, ActionKind::ReassignUser).await
    }

    async fn reprovision(&self, key: &str, action: ActionKind) -> Result<ActionOutcome, OktaError> {
        let snap = self.user_snap(key, |p| {
            p.active = true;
            p.assigned = true;
        })?;
        let mut run = Run::new(self, action);
        let r = match (run.personality().reactivate_known(), snap.server_id.clone()) {
            (Some(write), Some(id)) => {
                let ctx = format!("Error while activating user {}", snap.profile.user_name());
                match self.user_write(&mut run, &ctx, &id, &snap, write).await {
                    Ok(()) => {
                        self.with_person(key, |p| p.app_active = true);
                        Ok(existing_user(id))
                    }
                    // The server lost the user: Okta's recovery is a fresh lookup + create.
                    Err(Fail {
                        status: Some(404), ..
                    }) if run.personality().recreates_on_404() => {
                        self.with_person(key, |p| p.app_active = false);
                        self.provision(&mut run, key).await
                    }
                    Err(f) => Err(f),
                }
            }
            (None, _) | (Some(_), None) => self.provision(&mut run, key).await,
        };
        let r = self.then_push_groups(&mut run, key, r).await;
        Ok(run.done(r))
    }

    /// After a user became an active app user, Okta adds them to each pushed group they are
    /// in (reference §4.3: "Assigning a user who is in a pushed group sends POST /Users and
    /// then a group update that adds them").
    async fn then_push_groups(
        &self,
        run: &mut Run<'_>,
        key: &str,
        r: Step<ActionResult>,
    ) -> Step<ActionResult> {
        let result = r?;
        run.mark();
        let groups: Vec<(String, Value)> = {
            let dir = self.inner.dir.lock();
            let Some(p) = dir.people.get(key).filter(|p| p.pushable()) else {
                return Ok(result);
            };
            let member = member_value(p);
            dir.groups
                .values()
                .filter(|g| g.pushed.is_some() && g.members.iter().any(|m| m == key))
                .map(|g| (g.key.clone(), member.clone()))
                .collect()
        };
        for (group, member) in groups {
            let snap = self.group_snap(&group, |_| {})?;
            self.membership_change(run, &snap, Membership::Add(vec![member]))
                .await?;
        }
        Ok(result)
    }

    // ----- Groups ----------------------------------------------------------------------------

    /// A membership change of a pushed group (`ops`: incremental PATCH operations), sent as
    /// the personality says (`oin`: the PATCH, then the rename PATCH Okta sends after every
    /// membership change; `aiw`: `GET` + `PUT` with all members).
    async fn membership_change(
        &self,
        run: &mut Run<'_>,
        g: &GroupSnap,
        change: Membership,
    ) -> Step<()> {
        let id = g.server_id.as_deref().unwrap_or_default();
        let writes = run
            .personality()
            .membership_change(&g.view(id, &self.inner.group_push), change);
        self.group_writes(run, id, g, writes).await
    }

    /// Sends a personality's group `writes` in order; the first membership PATCH of an
    /// action is its main exchange.
    async fn group_writes(
        &self,
        run: &mut Run<'_>,
        id: &str,
        g: &GroupSnap,
        writes: Vec<GroupWrite>,
    ) -> Step<()> {
        for write in writes {
            match write {
                GroupWrite::Patch { call, body } => {
                    let ctx = match call {
                        GroupCall::Membership => {
                            format!("Error while updating the membership of group {}", g.name)
                        }
                        GroupCall::Rename => format!("Error while updating group {}", g.name),
                        GroupCall::PushNow => format!("Error while pushing group {}", g.name),
                    };
                    run.call(&ctx, Method::PATCH, &group_path(id), Some(&body), is_2xx)
                        .await?;
                    if call == GroupCall::Membership && run.primary.is_none() {
                        run.mark();
                    }
                }
                GroupWrite::GetPut => self.get_put_group(run, id, g).await?,
                GroupWrite::Get => {
                    run.call_object(
                        &format!("Error while reading group {}", g.name),
                        Method::GET,
                        &group_path(id),
                        None,
                    )
                    .await?;
                }
                GroupWrite::Read { query } => {
                    let ctx = format!("Error while reading group {}", g.name);
                    let path = format!("{}{query}", group_path(id));
                    let (status, got) = run.call(&ctx, Method::GET, &path, None, is_200).await?;
                    let excluded = query.contains("excludedAttributes=members");
                    if excluded && got.as_ref().is_some_and(|v| v.get("members").is_some()) {
                        return Err(members_despite_excluded(&ctx, status));
                    }
                }
            }
        }
        Ok(())
    }

    /// `GET /Groups/{id}` (a 404 stops), then the minimal `PUT` of every capture (reference
    /// §10.4, S20): `{schemas, id, displayName, members}`, not an echo of the GET.
    async fn get_put_group(&self, run: &mut Run<'_>, id: &str, g: &GroupSnap) -> Step<()> {
        let path = group_path(id);
        run.call_object(
            &format!("Error while reading group {}", g.name),
            Method::GET,
            &path,
            None,
        )
        .await?;
        let body = json!({
            "schemas": [GROUP_URN],
            "id": id,
            "displayName": g.name,
            "members": g.members,
        });
        run.call(
            &format!("Error while updating group {}", g.name),
            Method::PUT,
            &path,
            Some(&body),
            is_2xx,
        )
        .await
        .map(|_| ())
    }

    /// Push Groups: lookup by `displayName` filter; none → `POST /Groups` with the pushable
    /// members (`aiw` then `GET` + `PUT`); a match → link to it and push the members (`oin`:
    /// replace-members PATCH, then the rename PATCH; `aiw`: `GET` + `PUT`).
    pub async fn push_group(&self, key: &str) -> Result<ActionOutcome, OktaError> {
        if !self.inner.push_groups {
            return Err(OktaError::GroupPushDisabled);
        }
        let mut g = self.group_snap(key, |_| {})?;
        let mut run = Run::new(self, ActionKind::PushGroup);
        if let Some(limit) = run.personality().group_size_limit()
            && g.members.len() > limit
        {
            return Ok(run.done(Err(Fail {
                status: None,
                message: format!(
                    "Error while provisioning group {} on demand: it has {} members, on-demand provisioning takes at most {limit}",
                    g.name,
                    g.members.len()
                ),
            })));
        }
        let r = async {
            // Okta looks the group up only when it does not know its external id (S1 2024;
            // Entra too caches the ids it provisioned, E3):
            // a group it pushed before is linked by id; with Import Groups on, the imported
            // list decides.
            let found = match (&g.server_id, self.inner.group_push.import_groups) {
                (Some(id), _) => Some(id.clone()),
                (None, true) => self
                    .inner
                    .dir
                    .lock()
                    .app_groups
                    .iter()
                    .find(|a| a.display_name == g.name)
                    .map(|a| a.id.clone()),
                (None, false) => {
                    let ctx = format!("Error while verifying if group {} exists", g.name);
                    let lookup = run.personality().group_lookup(&g.name);
                    run.find(&ctx, &lookup, "group").await?.map(|(id, _)| id)
                }
            };
            if let Some(id) = found {
                self.set_pushed_group(key, Some(id.clone()));
                g.server_id = Some(id.clone());
                let writes = run
                    .personality()
                    .link_group(&g.view(&id, &self.inner.group_push));
                self.group_writes(&mut run, &id, &g, writes).await?;
                return Ok(existing_group(id));
            }
            let ctx = format!("Error while creating group {}", g.name);
            let external_id = run.personality().group_external_id(key);
            let body =
                run.personality()
                    .create_group_body(&g.name, external_id.as_deref(), &g.members);
            let (status, got) = run
                .call(&ctx, Method::POST, "/Groups", Some(&body), is_2xx)
                .await?;
            let id = id_of(got.as_ref(), status, || {
                format!("{ctx}: the created group has no id")
            })?;
            self.set_pushed_group(key, Some(id.clone()));
            // The create is what a scenario's expected status refers to, not aiw's follow-up.
            run.mark();
            let writes = run
                .personality()
                .after_group_create(&g.view(&id, &self.inner.group_push));
            self.group_writes(&mut run, &id, &g, writes).await?;
            Ok(ActionResult::Group {
                server_id: id,
                created: true,
            })
        }
        .await;
        Ok(run.done(r))
    }

    /// Adds `people` to the Okta group; when the group is pushed, sends the change for those
    /// who are pushable (`oin`: `add` PATCH + rename PATCH; `aiw`: `GET` + `PUT`).
    pub async fn add_members(
        &self,
        group: &str,
        people: &[&str],
    ) -> Result<ActionOutcome, OktaError> {
        let before = self.group(group)?.members;
        self.add_to_group(group, people)?;
        let g = self.group_snap(group, |_| {})?;
        let added: Vec<Value> = {
            let dir = self.inner.dir.lock();
            people
                .iter()
                .filter(|k| !before.iter().any(|b| b == *k))
                .filter_map(|k| dir.people.get(*k))
                .filter(|p| p.pushable())
                .map(member_value)
                .collect()
        };
        let nobody = "no new member is an assigned, provisioned user";
        let change = Membership::Add(added);
        Ok(self
            .send_membership(ActionKind::AddMembers, group, &g, change, nobody)
            .await)
    }

    /// Removes `people` from the Okta group; when pushed, sends `remove` operations with the
    /// `members[value eq "<id>"]` path (no value) + rename PATCH (`oin`) or `GET` + `PUT`.
    pub async fn remove_members(
        &self,
        group: &str,
        people: &[&str],
    ) -> Result<ActionOutcome, OktaError> {
        let removed: Vec<String> = {
            let mut dir = self.inner.dir.lock();
            let g = dir.group_for_members(group, people)?;
            let was: Vec<String> = g.members.clone();
            g.members.retain(|m| !people.contains(&m.as_str()));
            people
                .iter()
                .filter(|k| was.iter().any(|w| w == *k))
                .filter_map(|k| dir.people.get(*k))
                .filter_map(|p| p.server_id.clone())
                .collect()
        };
        let g = self.group_snap(group, |_| {})?;
        let nobody = "no removed member was provisioned";
        let change = Membership::Remove(removed);
        Ok(self
            .send_membership(ActionKind::RemoveMembers, group, &g, change, nobody)
            .await)
    }

    /// What `add_members` and `remove_members` send once Okta's group has changed: nothing
    /// when the group is not pushed, or when `change` names nobody Okta sends (`nobody`
    /// says why); else the change, as the personality sends it.
    async fn send_membership(
        &self,
        action: ActionKind,
        group: &str,
        g: &GroupSnap,
        change: Membership,
        nobody: &str,
    ) -> ActionOutcome {
        let mut run = Run::new(self, action);
        let Some(id) = g.server_id.clone() else {
            return run.nothing_sent(format!("group {group} is not pushed"));
        };
        if change.is_empty() {
            return run.nothing_sent(nobody);
        }
        let r = self.membership_change(&mut run, g, change).await;
        run.done(r.map(|()| existing_group(id)))
    }

    /// Renames the Okta group; when pushed, `oin` sends the rename PATCH (`id` in `value`),
    /// `aiw` `GET` + `PUT` of the whole group.
    pub async fn rename_group(
        &self,
        group: &str,
        new_name: &str,
    ) -> Result<ActionOutcome, OktaError> {
        let g = self.group_snap(group, |g| g.name = new_name.to_owned())?;
        let mut run = Run::new(self, ActionKind::RenameGroup);
        let Some(id) = g.server_id.clone() else {
            return Ok(run.nothing_sent(format!("group {group} is not pushed")));
        };
        let writes = run
            .personality()
            .rename_group(&g.view(&id, &self.inner.group_push));
        let r = self.group_writes(&mut run, &id, &g, writes).await;
        Ok(run.done(r.map(|()| existing_group(id))))
    }

    /// "Push now": the whole membership. `oin`: `PATCH replace path members` with every
    /// pushable member (`[]` for an empty group); `aiw`: `GET` + `PUT`.
    pub async fn push_now(&self, group: &str) -> Result<ActionOutcome, OktaError> {
        let g = self.group_snap(group, |_| {})?;
        let id = g
            .server_id
            .clone()
            .ok_or_else(|| OktaError::NotPushed(group.to_owned()))?;
        let mut run = Run::new(self, ActionKind::PushNow);
        let writes = run
            .personality()
            .push_now(&g.view(&id, &self.inner.group_push));
        let r = self.group_writes(&mut run, &id, &g, writes).await;
        Ok(run.done(r.map(|()| existing_group(id))))
    }

    /// "Unlink pushed group": with `delete`, `DELETE /Groups/{id}` ("Delete the group in the
    /// target app"); without, nothing is sent. Okta forgets the link either way.
    pub async fn unlink_group(
        &self,
        group: &str,
        delete: bool,
    ) -> Result<ActionOutcome, OktaError> {
        let g = self.group_snap(group, |_| {})?;
        let id = g
            .server_id
            .clone()
            .ok_or_else(|| OktaError::NotPushed(group.to_owned()))?;
        // Okta drops the link first; the delete is a job that may then fail on its own.
        self.set_pushed_group(group, None);
        let mut run = Run::new(self, ActionKind::UnlinkGroup);
        if !delete {
            return Ok(run.nothing_sent("unlinked, group left in the target app"));
        }
        let r = run
            .call(
                &format!("Error while deleting group {}", g.name),
                Method::DELETE,
                &group_path(&id),
                None,
                is_2xx,
            )
            .await;
        Ok(run.done(r.map(|_| existing_group(id))))
    }

    // ----- Lists -----------------------------------------------------------------------------

    /// Reads a whole list the way Okta pages: `startIndex=1&count=100`, then +100 while
    /// `totalResults` says more remain. Keeps `keep(item)` of each item as its page arrives,
    /// so a page's JSON is dropped before the next is read (100,000 users held as JSON were
    /// most of the `bench` peak memory).
    async fn list_all<T>(
        &self,
        run: &mut Run<'_>,
        resource: &str,
        ctx: &str,
        mut keep: impl FnMut(&Value) -> T,
    ) -> Step<Vec<T>> {
        let mut out = Vec::new();
        let mut start = 1usize;
        for _ in 0..MAX_PAGES {
            let path = format!("/{resource}?startIndex={start}&count={PAGE}");
            let (status, body) = run.call(ctx, Method::GET, &path, None, is_200).await?;
            let (total, items) = list_of(ctx, status, body)?;
            let n = items.len();
            out.extend(items.iter().map(&mut keep));
            if n == 0 || (start - 1 + PAGE) as u64 >= total {
                break;
            }
            start += PAGE;
        }
        Ok(out)
    }

    /// "Refresh App Groups": pages through `GET /Groups`; the list becomes Okta's cache.
    pub async fn refresh_app_groups(&self) -> ActionOutcome {
        let mut run = Run::new(self, ActionKind::RefreshAppGroups);
        if !run.personality().reads_app_lists() {
            return run.nothing_sent(NO_LISTS);
        }
        let r = self
            .list_all(
                &mut run,
                "Groups",
                "Error while refreshing app groups",
                |g| AppGroup {
                    id: str_field(g, "id").unwrap_or_default().to_owned(),
                    display_name: str_field(g, "displayName").unwrap_or_default().to_owned(),
                },
            )
            .await
            .map(|groups| {
                self.inner.dir.lock().app_groups = groups.clone();
                ActionResult::AppGroups { groups }
            });
        run.done(r)
    }

    /// "Import Now": pages through `GET /Users`; `active:false` users are skipped. Writes
    /// nothing to the app and changes nothing in Okta's directory.
    pub async fn import_users(&self) -> ActionOutcome {
        let mut run = Run::new(self, ActionKind::ImportUsers);
        if !run.personality().reads_app_lists() {
            return run.nothing_sent(NO_LISTS);
        }
        let r = self
            .list_all(&mut run, "Users", "Error while importing users", |u| {
                let inactive = matches!(u.get("active"), Some(Value::Bool(false)))
                    || matches!(u.get("active"), Some(Value::String(s)) if s.eq_ignore_ascii_case("false"));
                (!inactive).then(|| ImportedUser {
                    id: str_field(u, "id").unwrap_or_default().to_owned(),
                    user_name: str_field(u, "userName").unwrap_or_default().to_owned(),
                    external_id: str_field(u, "externalId").map(str::to_owned),
                })
            })
            .await
            .map(|items| {
                let skipped_inactive = items.iter().filter(|u| u.is_none()).count();
                let users: Vec<ImportedUser> = items.into_iter().flatten().collect();
                ActionResult::Imported {
                    users,
                    skipped_inactive,
                }
            });
        run.done(r)
    }

    // ----- Verification and raw requests -----------------------------------------------------

    /// Not an Okta action: `GET /Users/{server id}` with Okta's headers, to check the server.
    /// `ok` when the answer is 200.
    pub async fn get_user(&self, key: &str) -> Result<ActionOutcome, OktaError> {
        let id = self
            .user_snap(key, |_| {})?
            .server_id
            .ok_or_else(|| OktaError::NotProvisioned(key.to_owned()))?;
        let mut run = Run::new(self, ActionKind::GetUser);
        let r = self
            .read(&mut run, Method::GET, &user_path(&id), None, is_200)
            .await;
        Ok(run.done(r))
    }

    /// A scenario's raw SCIM request with Okta's headers. `path` is relative to the base URL
    /// and may hold a query (spaces and quotes are encoded). `ok` when the answer is 2xx.
    pub async fn raw(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<ActionOutcome, OktaError> {
        let method = Method::from_bytes(method.trim().to_ascii_uppercase().as_bytes())
            .map_err(|_| OktaError::Method(method.to_owned()))?;
        let mut path = raw_path(path);
        if !path.starts_with('/') {
            path.insert(0, '/');
        }
        let mut run = Run::new(self, ActionKind::Raw);
        let r = self.read(&mut run, method, &path, body, is_2xx).await;
        Ok(run.done(r))
    }

    async fn read(
        &self,
        run: &mut Run<'_>,
        method: Method,
        path: &str,
        body: Option<&Value>,
        ok: fn(u16) -> bool,
    ) -> Step<ActionResult> {
        let ctx = format!("{method} {path}");
        // A success's body is taken from the transcript (none when Lean), never from `got`.
        let reply = run.send(method, path, body, false).await;
        let (status, got) = run.settle(&ctx, reply, any_status)?;
        if ok(status) {
            Ok(ActionResult::Resource {
                status,
                body: run
                    .log
                    .last()
                    .and_then(|e| e.response.as_ref())
                    .and_then(|r| match &r.body {
                        crate::contract::Body::Json(v) => Some(v.clone()),
                        _ => None,
                    }),
            })
        } else {
            Err(Fail {
                status: Some(status),
                message: self.inner.sender.scrub(&error_message(
                    &ctx,
                    status,
                    &got.map_or(Parsed::Empty, Parsed::Json),
                )),
            })
        }
    }
}

/// Encodes what a URL may not carry raw (spaces, quotes, controls); the rest is kept as the
/// scenario wrote it.
pub(super) fn raw_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.trim().chars() {
        match c {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_control() || !c.is_ascii() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    out
}
