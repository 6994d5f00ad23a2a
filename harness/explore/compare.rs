//! The zinc profile's oracle: the target and the reference model (a fresh embedded mock
//! Zinc, whose `Directory` is the contract made executable) ran the same sequence; the first
//! step after which they differ is the divergence.
//!
//! Compared after each step: every action's outcome (`ok`, and the status class: 201 and 200
//! are both a success, 400 and 409 both a refusal) and every state entry (see `observe`:
//! server-owned fields left out, multi-valued attributes as sets, totals relative to the
//! start). What the contract leaves to the server is not compared, so it is no divergence.
//!
//! Not `run/compare.rs`: that one holds a scenario's expected subset against one answer
//! (attribute names case-insensitive, values paired on `value`); this one diffs two observed
//! traces for equality after `observe` has projected each answer onto what Okta maps (so
//! server-owned fields are already gone and sets already sorted). The scenario written from
//! a divergence (`emit`) is then checked with `run/compare.rs`, as any scenario is.

use serde_json::{Value, json};

use super::observe::{Ask, Entry, Snapshot};
use super::okta_view;

/// The first difference found.
#[derive(Debug, Clone, PartialEq)]
pub struct Divergence {
    /// The step after which it shows (1-based).
    pub step: usize,
    /// What differs, e.g. `GET /Users/{user:user001}: active` or `outcome [user001]`.
    pub what: String,
    /// What the reference (the model, or Okta's view) has, and what the target gave.
    pub expected: Value,
    pub actual: Value,
    pub(crate) kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    /// The action itself came out differently: the step expects the model's outcome.
    Outcome { ok: bool, status: Option<u16> },
    /// Whether the step gave the person a new server id.
    NewId { new: bool },
    /// The state differs: a step reading `ask` expects `expect` (`status`, `body`, `ok`).
    State { ask: Ask, expect: Value },
}

fn class(status: Option<u16>) -> Value {
    match status {
        Some(s) => json!(format!("{}xx", s / 100)),
        None => Value::Null,
    }
}

/// Zinc profile: the first difference between the target's trace and the model's.
pub(crate) fn against_model(target: &[Snapshot], model: &[Snapshot]) -> Option<Divergence> {
    for (t, m) in target.iter().zip(model) {
        if t.actions.len() != m.actions.len() {
            return Some(Divergence {
                step: t.index,
                what: "actions".to_owned(),
                expected: json!(m.actions.len()),
                actual: json!(t.actions.len()),
                kind: Kind::Outcome {
                    ok: m.actions.iter().all(|a| a.ok),
                    status: None,
                },
            });
        }
        for (ta, ma) in t.actions.iter().zip(&m.actions) {
            let who = ta
                .who
                .as_deref()
                .map(|w| format!(" [{w}]"))
                .unwrap_or_default();
            let outcome = Kind::Outcome {
                ok: ma.ok,
                status: ma.status,
            };
            if ta.ok != ma.ok {
                return Some(Divergence {
                    step: t.index,
                    what: format!("ok{who}"),
                    expected: json!({"ok": ma.ok, "status": ma.status}),
                    actual: json!({"ok": ta.ok, "status": ta.status}),
                    kind: outcome,
                });
            }
            if class(ta.status) != class(ma.status) {
                return Some(Divergence {
                    step: t.index,
                    what: format!("status class{who}"),
                    expected: json!({"status": ma.status}),
                    actual: json!({"status": ta.status}),
                    kind: outcome,
                });
            }
        }
        for (key, me) in &m.state {
            let te = t.state.get(key);
            if te.map(|e| &e.norm) == Some(&me.norm) {
                continue;
            }
            return Some(state_divergence(t.index, key, me, te));
        }
    }
    None
}

/// Okta profile: the first step after which the target is not what Okta believes.
pub(crate) fn against_okta(target: &[Snapshot]) -> Option<Divergence> {
    target.iter().find_map(|snap| {
        okta_view::check(snap).map(|m| {
            let ask = snap
                .state
                .get(&m.key)
                .map(|e| e.ask.clone())
                .unwrap_or_else(|| Ask::Scim(m.key.trim_start_matches("GET ").to_owned()));
            Divergence {
                step: snap.index,
                what: format!("{}: {}", m.key, m.field),
                expected: m.expected,
                actual: m.actual,
                kind: Kind::State {
                    ask,
                    expect: m.expect,
                },
            }
        })
    })
}

fn state_divergence(step: usize, key: &str, model: &Entry, target: Option<&Entry>) -> Divergence {
    let tn = target.map(|e| e.norm.clone()).unwrap_or(Value::Null);
    // The first field that differs, for the finding and a narrow expectation.
    let field = match (&model.norm, &tn) {
        (Value::Object(m), Value::Object(t)) => m
            .iter()
            .find(|(k, v)| t.get(*k) != Some(*v))
            .map(|(k, _)| k.clone()),
        _ => None,
    };
    let (expected, actual) = match &field {
        Some(f) => (
            model.norm[f.as_str()].clone(),
            tn.get(f.as_str()).cloned().unwrap_or(Value::Null),
        ),
        None => (model.norm.clone(), tn.clone()),
    };
    let what = match &field {
        Some(f) => format!("{key}: {f}"),
        None => key.to_owned(),
    };
    let kind = if field.as_deref() == Some("ids Okta held") {
        Kind::NewId {
            new: expected.as_u64() > Some(1),
        }
    } else {
        Kind::State {
            ask: model.ask.clone(),
            expect: narrow(model, field.as_deref(), &tn),
        }
    };
    Divergence {
        step,
        what,
        expected,
        actual,
        kind,
    }
}

/// What a step reading the entry again expects: the model's status, and of its body the
/// part that differs (the whole body when the statuses agree but no single field tells).
fn narrow(model: &Entry, field: Option<&str>, target: &Value) -> Value {
    let raw = &model.raw;
    let status = raw.get("status").cloned();
    if matches!(model.ask, Ask::ConsoleUsers | Ask::ConsoleGroups) {
        return json!({"ok": true, "body": raw["body"]});
    }
    let mut out = json!({});
    if let Some(s) = &status {
        out["status"] = s.clone();
    }
    if status.as_ref() != target.get("status") {
        return out;
    }
    let body = &raw["body"];
    let part = match field {
        Some("givenName") | Some("familyName") => body
            .get("name")
            .and_then(|n| n.get(field.unwrap_or_default()))
            .map(|v| json!({ "name": { field.unwrap_or_default(): v } })),
        Some("ids") => Some(json!({
            "totalResults": body.get("totalResults"),
            "Resources": body.get("Resources"),
        })),
        Some("totalResults relative to the start") => {
            Some(json!({ "totalResults": body.get("totalResults") }))
        }
        Some(f) => body.get(f).map(|v| json!({ f: v })),
        None => Some(body.clone()),
    };
    match part {
        Some(p) => out["body"] = p,
        // The model has no such attribute (the target made one up): the whole body.
        None => out["body"] = body.clone(),
    }
    out
}
