//! Isolation and cleanup for runs against a live, possibly shared, SCIM server.
//!
//! - **Isolation** ([`isolate`]): every person and group a run creates gets a unique,
//!   recognisable name: the scenario's own (seeded, reproducible) names with the run's and
//!   the scenario's tag in front, `zh-<run id>-<scenario>-alice@example.com` and
//!   `zh-<run id>-<scenario> Engineering`. Two runs, or two scenarios of one run, never
//!   meet on one server, and an administrator can tell (and remove) what a run left.
//! - **Cleanup** ([`cleanup`]): at the end of each scenario, pass or fail, the run removes
//!   what it created the way its client would: it deletes the groups it pushed (`DELETE
//!   /Groups/{id}`, Okta's "unlink and delete", Entra's group delete, row 22) and
//!   deprovisions the users it provisioned through the personality (Okta: `PATCH
//!   active:false`, or `GET` + `PUT` in `aiw`; Entra: the disable PATCH of its dialect,
//!   `"False"` or `false`, row 10, with its headers). Neither sends `DELETE /Users` here
//!   (Entra's unassign-as-delete setting is a scenario's choice, not the clean-up's). Users
//!   and groups a raw `scim:` step created are found in the transcript and get the same
//!   treatment. `--keep` skips it.
//! - **Normalization** ([`normalize_run_id`]): the run id is replaced by `<run>` everywhere
//!   in a report, so two runs of the same scenarios give the same report.

use std::collections::BTreeSet;

use rand::RngExt;
use serde_json::Value;

use crate::contract::{Body, Exchange};
use crate::okta::{ActionOutcome, OktaClient};
use crate::report::RunReport;
use crate::scenario::{Carried, Expect, PersonChanges, Scenario, ScimRequest};

/// What a normalized report shows instead of the run id.
pub const RUN_PLACEHOLDER: &str = "<run>";

/// The start of every name a run creates: `zh-` (zinc-harness) and the run id.
const TAG_PREFIX: &str = "zh-";

/// A run's id: 8 lowercase letters and digits (URL-safe in every encoding, so it appears
/// unchanged in paths, filters and bodies).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunId(String);

impl RunId {
    /// A fresh random id.
    pub fn random() -> RunId {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let mut rng = rand::rng();
        RunId(
            (0..8)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect(),
        )
    }

    /// A given id (tests, reproducing a run); must be lowercase ASCII letters and digits.
    pub fn new(id: &str) -> Option<RunId> {
        (!id.is_empty()
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()))
        .then(|| RunId(id.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `zh-<id>`: what every created name starts with.
    pub fn tag(&self) -> String {
        format!("{TAG_PREFIX}{}", self.0)
    }
}

/// A copy of `s` whose people and groups carry the [`scenario_tag`]: userNames and emails
/// become `zh-<run>-<sc>-<original>`, group names `zh-<run>-<sc> <original>`, and every mention of those
/// names in raw requests and expectations (plain or percent-encoded, in any letter case)
/// follows, so the scenario means the same thing.
pub fn isolate(s: &Scenario, run: &RunId) -> Scenario {
    let names = Names::of(s, run);
    let mut out = s.clone();
    for p in &mut out.people {
        names.apply(&mut p.email);
        names.apply(&mut p.user_name);
    }
    for g in &mut out.groups {
        names.apply(&mut g.name);
    }
    for step in &mut out.steps {
        match step.action.named().carried {
            Some(Carried::Person(set)) => names.changes(set),
            Some(Carried::Group(name)) => names.apply(name),
            Some(Carried::Raw(req)) => names.request(req),
            None => {}
        }
        if let Some(e) = &mut step.expect {
            names.expect(e);
        }
    }
    out
}

/// `zh-<run id>-<4 characters from the scenario file's name>`: scenarios of one run use the
/// same people (`alice@example.com`) and must not meet on the server either. The suffix is
/// a stable hash of the file name (not its folder), so reruns give the same names.
pub fn scenario_tag(s: &Scenario, run: &RunId) -> String {
    let file = s.name.rsplit(['/', '\\']).next().unwrap_or(&s.name);
    // FNV-1a: stable across Rust versions and platforms, unlike `DefaultHasher`.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in file.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let suffix: String = (0..4)
        .map(|i| ALPHABET[((h >> (i * 8)) % ALPHABET.len() as u64) as usize] as char)
        .collect();
    format!("{}-{suffix}", run.tag())
}

/// The names a scenario creates and the prefix each gets.
struct Names {
    /// (name lower-cased, prefix), longest first: one pass finds the longest name at each
    /// position, so a name inside another is not tagged twice.
    list: Vec<(String, String)>,
    /// What any other email address gets in front (`zh-<run>-<sc>-`): a raw request may
    /// bring a new one (`alice.smith@…`) that must not meet another run's either.
    email_prefix: String,
}

impl Names {
    fn of(s: &Scenario, run: &RunId) -> Names {
        let tag = scenario_tag(s, run);
        let mut people: BTreeSet<String> = BTreeSet::new();
        let mut groups: BTreeSet<String> = BTreeSet::new();
        for p in &s.people {
            people.insert(p.email.clone());
            people.insert(p.user_name.clone());
        }
        for g in &s.groups {
            groups.insert(g.name.clone());
        }
        for step in &s.steps {
            // A copy: `carried` hands out the names to rewrite; here they are only read.
            let mut action = step.action.clone();
            match action.named().carried {
                Some(Carried::Person(set)) => {
                    people.extend(set.email.clone());
                    people.extend(set.user_name.clone());
                }
                Some(Carried::Group(name)) => {
                    groups.insert(name.clone());
                }
                // Raw requests carry no new name: they are rewritten with the names
                // collected here.
                Some(Carried::Raw(_)) | None => {}
            }
        }
        let mut list = Vec::new();
        for n in people.into_iter().filter(|n| !n.is_empty()) {
            for (variant, _) in variants(&n) {
                list.push((variant.to_ascii_lowercase(), format!("{tag}-")));
            }
        }
        for n in groups.into_iter().filter(|n| !n.trim().is_empty()) {
            for (variant, space) in variants(&n) {
                list.push((variant.to_ascii_lowercase(), format!("{tag}{space}")));
            }
        }
        list.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        list.dedup_by(|a, b| a.0 == b.0);
        Names {
            list,
            email_prefix: format!("{tag}-"),
        }
    }

    fn apply(&self, text: &mut String) {
        *text = self.tag_text(text);
    }

    /// Inserts the prefix before every occurrence of a name (ASCII case-insensitive) that
    /// starts at a word boundary.
    fn tag_text(&self, text: &str) -> String {
        let lower = text.to_ascii_lowercase();
        let bytes = lower.as_bytes();
        let mut out = String::with_capacity(text.len() + 16);
        let mut i = 0;
        let mut copied = 0;
        while i < bytes.len() {
            if text.is_char_boundary(i)
                && at_boundary(bytes, i)
                && let Some((name, prefix)) = self
                    .list
                    .iter()
                    .find(|(n, _)| lower[i..].starts_with(n.as_str()))
            {
                out.push_str(&text[copied..i]);
                out.push_str(prefix);
                out.push_str(&text[i..i + name.len()]);
                i += name.len();
                copied = i;
                continue;
            }
            if text.is_char_boundary(i)
                && at_boundary(bytes, i)
                && let Some(len) = email_at(bytes, i)
            {
                out.push_str(&text[copied..i]);
                out.push_str(&self.email_prefix);
                out.push_str(&text[i..i + len]);
                i += len;
                copied = i;
                continue;
            }
            i += 1;
        }
        out.push_str(&text[copied..]);
        out
    }

    fn json(&self, v: &mut Value) {
        super::json::each_string(v, &mut |s| self.apply(s));
    }

    fn changes(&self, set: &mut PersonChanges) {
        set.email.iter_mut().for_each(|e| self.apply(e));
        set.user_name.iter_mut().for_each(|e| self.apply(e));
    }

    fn request(&self, req: &mut ScimRequest) {
        self.apply(&mut req.path);
        if let Some(b) = &mut req.body {
            self.json(b);
        }
    }

    fn expect(&self, e: &mut Expect) {
        e.detail.iter_mut().for_each(|t| self.apply(t));
        e.message.iter_mut().for_each(|t| self.apply(t));
        if let Some(b) = &mut e.body {
            self.json(b);
        }
        if let Some(r) = &mut e.requests {
            r.iter_mut().for_each(|t| self.apply(t));
        }
    }
}

/// How a name may be written (plain, `%40`/`%20` percent-encoded, `+` for spaces), each with
/// how a space is written in that form (the separator between a group's tag and name).
fn variants(name: &str) -> Vec<(String, &'static str)> {
    let mut out = vec![(name.to_owned(), " ")];
    let pct = name.replace('@', "%40").replace(' ', "%20");
    if pct != name {
        out.push((pct, "%20"));
    }
    if name.contains(' ') {
        out.push((name.replace('@', "%40").replace(' ', "+"), "+"));
    }
    out
}

/// Percent-encodes a server id for a path segment (RFC 3986 unreserved characters kept).
fn segment(id: &str) -> String {
    id.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The length of the email address (`local@domain.tld`, `@` possibly written `%40`) that
/// starts at `i`, if one does.
fn email_at(bytes: &[u8], i: usize) -> Option<usize> {
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'+' | b'-');
    let mut j = i;
    while j < bytes.len() {
        if local(bytes[j]) {
            j += 1;
        } else if is_encoded_plus(&bytes[j..]) {
            // `bob%2Btag%40x.io`: a + in an encoded local part is part of the address.
            j += 3;
        } else {
            break;
        }
    }
    if j == i {
        return None;
    }
    let at = if bytes[j..].starts_with(b"@") {
        1
    } else if bytes[j..].starts_with(b"%40") {
        3
    } else {
        return None;
    };
    let start = j + at;
    let mut k = start;
    while k < bytes.len() && (bytes[k].is_ascii_alphanumeric() || matches!(bytes[k], b'.' | b'-')) {
        k += 1;
    }
    let domain = std::str::from_utf8(&bytes[start..k])
        .ok()?
        .trim_end_matches('.');
    let tld = domain.rsplit_once('.')?.1;
    (tld.len() >= 2 && tld.bytes().all(|c| c.is_ascii_alphabetic()))
        .then_some(start + domain.len() - i)
}

fn is_encoded_plus(bytes: &[u8]) -> bool {
    bytes.len() >= 3 && bytes[0] == b'%' && bytes[1] == b'2' && bytes[2].eq_ignore_ascii_case(&b'b')
}

/// A name starts at `i` only after a character that cannot be part of it (or after a
/// percent-escape such as `%22`), so `bob@x.io` is not found inside `jimbob@x.io`.
fn at_boundary(bytes: &[u8], i: usize) -> bool {
    if i == 0 {
        return true;
    }
    if i >= 3 && bytes[i - 3] == b'%' && bytes[i - 2].is_ascii_hexdigit() {
        // An encoded + continues a local part (`bob%2Btag`); other escapes (`%22`) end a word.
        return !is_encoded_plus(&bytes[i - 3..]);
    }
    let c = bytes[i - 1];
    !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'+' | b'%'))
}

/// Replaces the run's tag `zh-<id>` with `zh-<run>` everywhere in `report` (the tag, not
/// the bare id, so a server id that happens to contain the id's letters is left alone).
pub fn normalize_run_id(report: &mut RunReport, run: &RunId) {
    let from = run.tag();
    let to = format!("{TAG_PREFIX}{RUN_PLACEHOLDER}");
    let fix = |s: &mut String| {
        if s.contains(&from) {
            *s = s.replace(&from, &to);
        }
    };
    fn fix_json(v: &mut Value, fix: &dyn Fn(&mut String)) {
        match v {
            Value::String(s) => fix(s),
            Value::Array(a) => a.iter_mut().for_each(|v| fix_json(v, fix)),
            Value::Object(m) => {
                let keys: Vec<String> = m.keys().cloned().collect();
                for k in keys {
                    let mut nk = k.clone();
                    fix(&mut nk);
                    let mut val = m.remove(&k).unwrap_or(Value::Null);
                    fix_json(&mut val, fix);
                    m.insert(nk, val);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }
    fn fix_body(b: &mut Body, fix: &dyn Fn(&mut String)) {
        match b {
            Body::Json(v) => fix_json(v, fix),
            Body::Text(t) => fix(t),
            Body::Empty => {}
        }
    }
    fix(&mut report.target);
    for s in &mut report.scenarios {
        s.skip_reason.iter_mut().for_each(fix);
        s.error.iter_mut().for_each(fix);
        for st in &mut s.steps {
            fix(&mut st.label);
            st.skip_reason.iter_mut().for_each(fix);
            st.okta_message.iter_mut().for_each(fix);
            for f in &mut st.findings {
                fix(&mut f.what);
                f.hint.iter_mut().for_each(fix);
                fix_json(&mut f.expected, &fix);
                fix_json(&mut f.actual, &fix);
            }
            for e in &mut st.exchanges {
                fix(&mut e.path);
                e.error.iter_mut().for_each(fix);
                for (_, v) in &mut e.request_headers {
                    fix(v);
                }
                if let Some(b) = &mut e.request_body {
                    fix_body(b, &fix);
                }
                if let Some(r) = &mut e.response {
                    for (_, v) in &mut r.headers {
                        fix(v);
                    }
                    fix_body(&mut r.body, &fix);
                }
            }
        }
    }
}

/// What the cleanup did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CleanupOutcome {
    /// Server ids of the users deactivated.
    pub deactivated_users: Vec<String>,
    /// Server ids of the groups deleted.
    pub deleted_groups: Vec<String>,
    /// Server ids of the users and groups that answered 404: already gone, so nothing was
    /// left behind, but the cleanup did not remove them either.
    pub already_gone: Vec<String>,
    /// What could not be removed, and why (Okta's message).
    pub problems: Vec<String>,
    /// Every request the cleanup sent (secrets redacted).
    pub exchanges: Vec<Exchange>,
}

impl CleanupOutcome {
    /// `cleanup: 3 users deactivated, 1 group deleted` (and `, 1 already gone (404)` when
    /// some answered 404: those were not deactivated by the cleanup).
    pub fn summary_counts(&self) -> String {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut s = format!(
            "cleanup: {} deactivated, {} deleted",
            plural(self.deactivated_users.len(), "user", "users"),
            plural(self.deleted_groups.len(), "group", "groups")
        );
        if !self.already_gone.is_empty() {
            s.push_str(&format!(", {} already gone (404)", self.already_gone.len()));
        }
        s
    }

    /// [`summary_counts`](Self::summary_counts) plus what could not be removed, if anything.
    pub fn summary(&self) -> String {
        let mut s = self.summary_counts();
        if !self.problems.is_empty() {
            s.push_str(&format!("; not removed: {}", self.problems.join("; ")));
        }
        s
    }
}

/// Server ids that `POST`s in `exchanges` created (a 2xx answer with an `id`), users and
/// groups apart, in order, each once.
pub fn created_ids(exchanges: &[Exchange]) -> (Vec<String>, Vec<String>) {
    let (mut users, mut groups) = (Vec::new(), Vec::new());
    for e in exchanges {
        let Some(r) = &e.response else { continue };
        if !e.method.eq_ignore_ascii_case("POST") || !(200..300).contains(&r.status) {
            continue;
        }
        let Body::Json(body) = &r.body else { continue };
        let Some(id) = body.get("id").and_then(Value::as_str) else {
            continue;
        };
        let path = e.path.split('?').next().unwrap_or("").trim_end_matches('/');
        let list = if path.ends_with("/Users") {
            &mut users
        } else if path.ends_with("/Groups") {
            &mut groups
        } else {
            continue;
        };
        if !list.iter().any(|x| x == id) {
            list.push(id.to_owned());
        }
    }
    (users, groups)
}

/// Removes what a scenario created, as its client would: every group it pushed is deleted
/// (`unlink_group` with delete), every user Okta provisioned and still has active is
/// deactivated (`deactivate_user`), and users and groups that other requests in
/// `exchanges` created (raw `scim:` steps) get the same requests. A 404 means it is gone
/// already. Never fails: what could not be removed is listed in the outcome.
pub async fn cleanup(okta: &OktaClient, exchanges: &[Exchange]) -> CleanupOutcome {
    let mut out = CleanupOutcome::default();
    let mut known_users: BTreeSet<String> = BTreeSet::new();
    let mut known_groups: BTreeSet<String> = BTreeSet::new();
    // Groups first: a group's removal never depends on its members.
    for key in okta.groups() {
        let Some(id) = okta.server_group_id(&key) else {
            continue;
        };
        known_groups.insert(id.clone());
        match okta.unlink_group(&key, true).await {
            Ok(o) => record(&mut out, o, id, Kind::Group),
            Err(e) => out.problems.push(format!("group {id}: {e}")),
        }
    }
    for key in okta.people() {
        let Some(id) = okta.server_user_id(&key) else {
            continue;
        };
        known_users.insert(id.clone());
        match okta.deactivate_user(&key).await {
            Ok(o) if matches!(o.result, crate::okta::ActionResult::NothingSent { .. }) => {}
            Ok(o) => record(&mut out, o, id, Kind::User),
            Err(e) => out.problems.push(format!("user {id}: {e}")),
        }
    }
    let (users, groups) = created_ids(exchanges);
    for id in groups.into_iter().filter(|id| !known_groups.contains(id)) {
        let path = format!("/Groups/{}", segment(&id));
        match okta.raw("DELETE", &path, None).await {
            Ok(o) => record(&mut out, o, id, Kind::Group),
            Err(e) => out.problems.push(format!("group {id}: {e}")),
        }
    }
    // In the scenario's personality: an `aiw` app never PATCHes (reference §10.13); Entra
    // disables in its dialect.
    for id in users.into_iter().filter(|id| !known_users.contains(id)) {
        let o = okta.deprovision_server_user(&id).await;
        record(&mut out, o, id, Kind::User);
    }
    out
}

#[derive(Clone, Copy)]
enum Kind {
    User,
    Group,
}

fn record(out: &mut CleanupOutcome, o: ActionOutcome, id: String, kind: Kind) {
    let status = o.status();
    out.exchanges.extend(o.exchanges.iter().cloned());
    if status == Some(404) {
        out.already_gone.push(id);
        return;
    }
    let done = matches!(status, Some(s) if (200..300).contains(&s));
    match (done, kind) {
        (true, Kind::User) => out.deactivated_users.push(id),
        (true, Kind::Group) => out.deleted_groups.push(id),
        (false, k) => {
            let what = match k {
                Kind::User => "user",
                Kind::Group => "group",
            };
            let why = o
                .message
                .unwrap_or_else(|| format!("answered {}", status.unwrap_or(0)));
            out.problems.push(format!("{what} {id}: {why}"));
        }
    }
}
