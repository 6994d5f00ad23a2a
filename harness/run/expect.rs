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
use crate::contract::{Profile, RuleId};
use crate::okta::Exchange;
use crate::report::Finding;
use crate::scenario::Expect;

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
    cites: Option<RuleId>,
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
        let mut f = Finding::new(who(what), expected, actual);
        if let Some(r) = cites {
            f = f.cite(r);
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

/// The rule a step's findings cite in `profile`: the step's own `expect: { rule: … }` of
/// that profile, else the scenario's only rule of that profile, else none. Never a guess
/// from a status code, and never a rule of another profile (an okta-profile run does not cite
/// a Zinc rule's hint).
pub(crate) fn cited_rule(
    expect: Option<&Expect>,
    scenario_rules: &[RuleId],
    profile: Profile,
) -> Option<RuleId> {
    let of_profile = |r: &&RuleId| r.profile() == profile;
    if let Some(r) = expect.and_then(|e| e.rule.iter().find(of_profile)) {
        return Some(*r);
    }
    let mut mine = scenario_rules.iter().filter(of_profile);
    match (mine.next(), mine.next()) {
        (Some(r), None) => Some(*r),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(ids: &[&str]) -> Vec<RuleId> {
        ids.iter().map(|s| s.parse().unwrap()).collect()
    }

    fn step_rule(ids: &[&str]) -> Expect {
        Expect {
            rule: rules(ids),
            ..Expect::default()
        }
    }

    #[test]
    fn a_finding_cites_the_steps_rule_of_the_profile_else_the_scenarios_only_one() {
        let both = rules(&["Z6", "Z23", "okta:username-case"]);
        // The step names one per profile: each profile gets its own.
        let e = step_rule(&["Z6", "okta:username-case"]);
        assert_eq!(
            cited_rule(Some(&e), &both, Profile::Zinc),
            Some("Z6".parse().unwrap())
        );
        assert_eq!(
            cited_rule(Some(&e), &both, Profile::Okta),
            Some("okta:username-case".parse().unwrap())
        );
        // No step rule: the scenario's only okta rule; two Zinc rules → none (no guess).
        assert_eq!(
            cited_rule(None, &both, Profile::Okta),
            Some("okta:username-case".parse().unwrap())
        );
        assert_eq!(cited_rule(None, &both, Profile::Zinc), None);
        // A step rule of the other profile is never cited; the okta profile never cites Z.
        let z = step_rule(&["Z23"]);
        assert_eq!(cited_rule(Some(&z), &rules(&["Z23"]), Profile::Okta), None);
        assert_eq!(
            cited_rule(Some(&z), &both, Profile::Zinc),
            Some("Z23".parse().unwrap())
        );
    }

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
