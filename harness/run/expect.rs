//! Checking a step's `expect:` against what happened, one [`Finding`] per mismatch.
//!
//! What each expectation reads (the same for every target):
//! - `ok`: what Okta records for the action (for console and support steps: whether Zinc
//!   accepted it). A step without `expect:` must succeed: it is checked as `ok: true`.
//! - `status`, `scimType`, `detail`, `body`, `absent`: the action's main exchange
//!   ([`crate::okta::ActionOutcome::primary`]: the create `POST` of an assignment, the
//!   failing request of a failed action); `body` of a console or support step is its result.
//! - `message`: Okta's (or the console's) error text contains it.
//! - `new_id` / `same_id`: the server id Okta holds after the step against the last one the
//!   run had seen for that person or group before it.
//! - `requests`: the exact request lines, percent-decoded, server ids as `{user:KEY}`.
//!
//! Text checks (`detail`, `message`) are case-insensitive "contains"; `body` is a JSON
//! subset as RFC 7643 has it ([`compare`](super::compare): multi-valued attributes as sets,
//! server-owned sub-attributes left to the server), strings matching exactly once server ids
//! are written as `{user:KEY}` / `{group:KEY}`.

use serde_json::{Value, json};

use super::compare::{self, Compare};
use super::ids::IdBook;
use crate::okta::Exchange;
use crate::report::Finding;
use crate::scenario::{Action, ConsoleAction, Expect};

/// What one action (for one person or group) came to, as the checks see it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Observed {
    /// The person or group key, when the step acted on several.
    pub who: Option<String>,
    pub ok: bool,
    pub message: Option<String>,
    pub status: Option<u16>,
    /// The JSON body of the main response (or the console/support result).
    pub body: Option<Value>,
    pub exchanges: Vec<Exchange>,
    /// The server id the run knew before the step, and the one Okta holds after it.
    pub id_before: Option<String>,
    pub id_after: Option<String>,
    /// The server ids an import listed (every page), for `listed`.
    pub listed: Option<Vec<String>>,
}

/// Every mismatch between `expect` (or the implicit `ok: true`) and `obs`.
pub(crate) fn check(
    expect: Option<&Expect>,
    obs: &Observed,
    action: &Action,
    rules: &[String],
    book: &IdBook,
    cmp: Compare,
) -> Vec<Finding> {
    let implicit = Expect {
        ok: Some(true),
        ..Expect::default()
    };
    let e = expect.unwrap_or(&implicit);
    let mut out = Vec::new();
    let who = |what: &str| match &obs.who {
        Some(w) => format!("{what} [{w}]"),
        None => what.to_owned(),
    };
    let mut push = |what: &str, expected: Value, actual: Value| {
        let rule = rule_for(what, &expected, action, rules);
        let mut f = Finding::new(who(what), expected, actual);
        if let Some(r) = rule {
            if let Some(h) = hint(r) {
                f = f.hint(h);
            }
            f = f.rule(r);
        }
        out.push(f);
    };

    if let Some(ok) = e.ok
        && ok != obs.ok
    {
        let actual = match (&obs.message, obs.ok) {
            (Some(m), false) => json!(format!("false: {m}")),
            _ => json!(obs.ok),
        };
        push("ok", json!(ok), actual);
    }
    if let Some(status) = e.status
        && obs.status != Some(status)
    {
        push("status", json!(status), json!(obs.status));
    }
    let field = |name: &str| {
        obs.body
            .as_ref()
            .and_then(|b| b.get(name))
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    if let Some(t) = &e.scim_type {
        let actual = field("scimType");
        if actual.as_deref() != Some(t.as_str()) {
            push("scimType", json!(t), json!(actual));
        }
    }
    if let Some(d) = &e.detail {
        let actual = field("detail");
        // Z21: a detail is never empty, so `detail: ""` checks that there is one.
        if !actual
            .as_deref()
            .is_some_and(|a| !a.trim().is_empty() && contains_ci(a, d))
        {
            push("detail", json!(d), json!(actual));
        }
    }
    if let Some(m) = &e.message
        && !obs.message.as_deref().is_some_and(|a| contains_ci(a, m))
    {
        push("message", json!(m), json!(obs.message));
    }
    if let Some(expected) = &e.body {
        let actual = obs.body.as_ref().map(|b| book.to_placeholders(b));
        match &actual {
            None => push("body", expected.clone(), Value::Null),
            Some(a) => {
                if let Some((path, exp, act)) = compare::subset(expected, a, "body", cmp) {
                    push(&path, exp, act);
                }
            }
        }
    }
    if let Some(new) = e.new_id {
        let is_new = obs.id_after.is_some() && obs.id_after != obs.id_before;
        if new != is_new {
            push(
                "new_id",
                json!(if new {
                    "a new server id"
                } else {
                    "not a new server id"
                }),
                id_change(obs, book),
            );
        }
    }
    if let Some(same) = e.same_id {
        let is_same = obs.id_after.is_some() && obs.id_after == obs.id_before;
        if same != is_same {
            push(
                "same_id",
                json!(if same {
                    "the same server id"
                } else {
                    "another server id"
                }),
                id_change(obs, book),
            );
        }
    }
    if let Some(absent) = e.absent {
        let is_absent = obs.status == Some(404)
            || obs.body.as_ref().is_some_and(|b| {
                b.get("totalResults").and_then(Value::as_u64) == Some(0)
                    || b.get("Resources")
                        .and_then(Value::as_array)
                        .is_some_and(Vec::is_empty)
            });
        if absent != is_absent {
            let actual = match (obs.status, &obs.body) {
                (Some(s), Some(b)) if b.get("totalResults").is_some() => {
                    json!(format!("{s} with totalResults {}", b["totalResults"]))
                }
                (Some(s), _) => json!(format!("status {s}")),
                (None, _) => Value::Null,
            };
            push(
                "absent",
                json!(if absent {
                    "404, or a list with 0 results"
                } else {
                    "the resource"
                }),
                actual,
            );
        }
    }
    if let Some(keys) = &e.listed {
        let ids = obs.listed.as_deref().unwrap_or_default();
        let (mut missing, mut twice) = (Vec::new(), Vec::new());
        for key in keys {
            let n = book
                .user(key)
                .map_or(0, |id| ids.iter().filter(|i| i.as_str() == id).count());
            match n {
                1 => {}
                0 => missing.push(key.as_str()),
                _ => twice.push(key.as_str()),
            }
        }
        if !missing.is_empty() || !twice.is_empty() {
            let mut why = Vec::new();
            if !missing.is_empty() {
                why.push(format!("not listed: {}", missing.join(", ")));
            }
            if !twice.is_empty() {
                why.push(format!("listed more than once: {}", twice.join(", ")));
            }
            push(
                "listed",
                json!(format!("each of {} people exactly once", keys.len())),
                json!(format!("{} ({} listed in all)", why.join("; "), ids.len())),
            );
        }
    }
    if let Some(expected) = &e.requests {
        let exp: Vec<String> = expected.iter().map(|r| percent_decode(r)).collect();
        let act: Vec<String> = obs
            .exchanges
            .iter()
            .map(|x| percent_decode(&format!("{} {}", x.method, book.path_placeholders(&x.path))))
            .collect();
        if exp != act {
            push("requests", json!(exp), json!(act));
        }
    }
    out
}

fn id_change(obs: &Observed, book: &IdBook) -> Value {
    let name = |id: &Option<String>| match id {
        Some(id) => book
            .placeholder(id)
            .map(|p| format!("{p} ({id})"))
            .unwrap_or_else(|| id.clone()),
        None => "none".to_owned(),
    };
    json!(format!(
        "before: {}, after: {}",
        name(&obs.id_before),
        name(&obs.id_after)
    ))
}

fn contains_ci(haystack: &str, needle: &str) -> bool {
    haystack.to_lowercase().contains(&needle.to_lowercase())
}

/// `%XX` sequences decoded (a `+` stays a `+`: Okta encodes spaces as `%20`).
pub(crate) fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// The scenario rule a finding checks: the first candidate for this expectation (then for
/// this kind of step) that the scenario cites; its only rule when none fits.
fn rule_for<'r>(
    what: &str,
    expected: &Value,
    action: &Action,
    rules: &'r [String],
) -> Option<&'r str> {
    let by_expect: &[&str] = match what {
        "status" => match expected.as_u64() {
            Some(401) => &["Z1", "Z2"],
            Some(403) => &["Z3"],
            Some(404) => &["Z10", "Z11", "Z15", "Z18", "Z19"],
            Some(409) => &["Z6", "Z16"],
            Some(413) => &["Z24"],
            _ => &[],
        },
        "scimType" => match expected.as_str() {
            Some("mutability") => &["Z7"],
            Some("invalidValue") => &["Z4", "Z10", "Z16"],
            Some("uniqueness") => &["Z6", "Z16"],
            Some("invalidPath") => &["Z13"],
            Some("invalidFilter") => &["Z23"],
            Some("invalidSyntax") => &["Z20"],
            _ => &[],
        },
        "detail" => &["Z1", "Z3", "Z2", "Z21"],
        "new_id" | "same_id" => &["Z11", "Z18", "Z7", "Z10"],
        "absent" => &["Z10", "Z15", "Z18", "Z19"],
        "listed" => &["Z22"],
        p if p.starts_with("body.userName") => &["Z7", "Z6", "Z4"],
        p if p.starts_with("body.emails") => &["Z5"],
        p if p.starts_with("body.displayName") || p.starts_with("body.name") => &["Z8"],
        p if p.starts_with("body.active") => &["Z10", "Z11"],
        p if p.starts_with("body.members") => &["Z16", "Z18", "Z19"],
        p if p.starts_with("body.Resources") || p.starts_with("body.totalResults") => {
            &["Z15", "Z10", "Z18", "Z22", "Z23"]
        }
        _ => &[],
    };
    let by_action: &[&str] = match action {
        Action::TestCredentials => &["Z1", "Z2", "Z3"],
        Action::AssignUser { .. } => &["Z4", "Z5", "Z6", "Z11", "Z3"],
        Action::UpdateUser { .. } => &["Z7", "Z8", "Z12"],
        Action::DeactivateUser { .. } | Action::UnassignUser { .. } => &["Z10"],
        Action::ReactivateUser { .. } | Action::ReassignUser { .. } => &["Z11", "Z10"],
        Action::GetUser { .. } => &["Z10", "Z7", "Z5", "Z8"],
        Action::PushGroup { .. } => &["Z15", "Z18", "Z16", "Z14"],
        Action::AddMembers { .. }
        | Action::RemoveMembers { .. }
        | Action::RenameGroup { .. }
        | Action::PushNow { .. } => &["Z16", "Z18", "Z17"],
        Action::UnlinkGroup { .. } => &["Z19", "Z16"],
        Action::RefreshAppGroups => &["Z15", "Z14", "Z18", "Z22"],
        Action::ImportUsers => &["Z10", "Z22"],
        Action::Console(c) => match c {
            ConsoleAction::UnlinkGroup { .. } => &["Z18", "Z17"],
            ConsoleAction::DeleteGroup { .. } => &["Z17", "Z19", "Z18"],
            ConsoleAction::SetAdmins { .. } => &["Z17", "Z18"],
            ConsoleAction::ListUsers => &["Z10", "Z11"],
            ConsoleAction::ListGroups => &["Z14", "Z19", "Z18", "Z15"],
            ConsoleAction::CreateGroup { .. } => &["Z14", "Z15"],
            _ => &["Z17", "Z18", "Z19"],
        },
        Action::Support(_) => &["Z1", "Z2", "Z3", "Z19"],
        Action::Scim(_) => &["Z10", "Z15", "Z18", "Z2"],
        Action::EditPerson { .. } | Action::Fault(_) => &[],
    };
    by_expect
        .iter()
        .chain(by_action)
        .find_map(|c| rules.iter().find(|r| r.as_str() == *c))
        .or_else(|| (rules.len() == 1).then(|| &rules[0]))
        .map(String::as_str)
}

/// A one-line fix hint for the implementer of a target, per rule of zinc-contract.md.
pub(crate) fn hint(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "Z1" => {
            "while provisioning is disabled, answer every SCIM request 401 with a detail saying Customer Support enables it"
        }
        "Z2" => {
            "accept only `Authorization: Bearer <current token>`; answer anything else 401 with a SCIM Error"
        }
        "Z3" => {
            "answer requests outside the instance's sync scope 403 with a detail naming the missing scope"
        }
        "Z4" => "refuse a userName that is not an email address with 400 invalidValue",
        "Z5" => {
            "return exactly one email: the userName, type work, primary, whatever emails were sent"
        }
        "Z6" => "refuse a userName already taken (in any letter case) with 409 uniqueness",
        "Z7" => {
            "refuse a PUT or PATCH that changes userName with 400 mutability, and change nothing else"
        }
        "Z8" => {
            "derive displayName from givenName and familyName; ignore a displayName that is sent"
        }
        "Z9" => "keep only the documented attributes; never return password",
        "Z10" => {
            "remove a deactivated user: 404 by id, absent from filters, the console and every group"
        }
        "Z11" => {
            "answer 404 to active:true on a removed user's id, so Okta creates the user again with a new id"
        }
        "Z12" => {
            "PUT replaces the mutable attributes; keep active when it is missing; ignore read-only ones"
        }
        "Z13" => {
            "accept PATCH with and without path, case-insensitive op; unknown paths 400 invalidPath"
        }
        "Z14" => "keep every group's origin: console-made groups are not synced groups",
        "Z15" => {
            "never show console-created or unlinked groups over SCIM: not in lists, filters or by id"
        }
        "Z16" => {
            "support Okta's group writes (POST, PUT, PATCH forms, DELETE) with the documented statuses"
        }
        "Z17" => {
            "refuse console edits of a linked group with a message naming the external directory and saying to unlink first"
        }
        "Z18" => {
            "an unlinked group stays in Zinc with members and admins, leaves SCIM, and a new push creates a new group"
        }
        "Z19" => {
            "on DELETE /Groups/{id}, keep the group in the console, unlinked (retain), or remove it (delete)"
        }
        "Z20" => {
            "accept application/scim+json and application/json bodies; a body that is not JSON is 400 invalidSyntax"
        }
        "Z21" => "answer every error with a SCIM Error: status as a string and a non-empty detail",
        "Z22" => {
            "ListResponse counters are numbers, itemsPerPage equals what is returned, startIndex is 1-based"
        }
        "Z23" => {
            "support eq filters on userName, externalId, id and displayName, case-insensitively"
        }
        "Z24" => "answer a body over 1 MiB with 413 and cap count at 1000",
        "Z25" => "describe the service in /ServiceProviderConfig, /ResourceTypes and /Schemas",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding_keeps_plus() {
        assert_eq!(
            percent_decode("/Users?filter=userName%20eq%20%22a+b%40c.co%22"),
            "/Users?filter=userName eq \"a+b@c.co\""
        );
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
    }
}
