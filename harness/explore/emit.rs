//! A sequence as a scenario file, ready for `zinc-harness check` and `run`.
//!
//! Every step that did not succeed on the reference gets `expect: { ok: false }` (a step
//! without `expect:` must succeed); the divergence becomes the last expectation: on the step
//! itself (an outcome, a new server id) or on a `scim:` / `console:` read right after it.
//! Strings are written as JSON strings, which YAML reads as double-quoted scalars, so no name
//! or value can change meaning on the way.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::compare::{Divergence, Kind};
use super::generate::Sequence;
use super::observe::Ask;
use crate::scenario::{
    Action, ConsoleAction, ConsoleGroup, Person, PersonChanges, Profile, SupportAction,
};

/// What the scenario file says about where it came from.
pub(crate) struct Header<'a> {
    pub title: String,
    pub comment: Vec<String>,
    pub profile: Profile,
    pub app: &'a str,
}

/// The scenario text. `outcomes[i]`: whether step `i + 1` succeeded on the reference (`None`:
/// not known, expect nothing).
pub(crate) fn scenario(
    h: &Header<'_>,
    seq: &Sequence,
    outcomes: &[Option<bool>],
    divergence: Option<&Divergence>,
) -> String {
    let mut out = String::new();
    for line in &h.comment {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "title: {}", q(&h.title));
    let _ = writeln!(out, "profiles: [{}]", h.profile.as_str());
    let _ = writeln!(out, "okta: {{ app: {}, push_groups: true }}", h.app);
    if !seq.people.is_empty() {
        out.push_str("people:\n");
        for p in &seq.people {
            let _ = writeln!(out, "  {}: {}", p.key, person(p));
        }
    }
    if !seq.groups.is_empty() {
        out.push_str("groups:\n");
        for g in &seq.groups {
            let _ = writeln!(
                out,
                "  {}: {{ name: {}, members: {} }}",
                g.key,
                q(&g.name),
                list(&g.members)
            );
        }
    }
    out.push_str("steps:\n");
    for (i, a) in seq.steps.iter().enumerate() {
        let n = i + 1;
        let mut expect = match outcomes.get(i).copied().flatten() {
            Some(false) => Some(json!({ "ok": false })),
            _ => None,
        };
        let mut after = None;
        if let Some(d) = divergence.filter(|d| d.step == n) {
            match &d.kind {
                Kind::Outcome { ok, status } => {
                    let mut e = json!({ "ok": ok });
                    if let Some(s) = status {
                        e["status"] = json!(s);
                    }
                    expect = Some(e);
                }
                Kind::NewId { new } => {
                    let mut e = expect.unwrap_or_else(|| json!({}));
                    e[if *new { "new_id" } else { "same_id" }] = json!(true);
                    expect = Some(e);
                }
                Kind::State { ask, expect: e } => after = Some((ask.clone(), e.clone())),
            }
            expect_note(&mut out, d);
        }
        step(&mut out, a, expect.as_ref());
        if let Some((ask, e)) = after {
            let read = match ask {
                Ask::Scim(path) => Action::Scim(crate::scenario::ScimRequest {
                    method: crate::scenario::HttpMethod::Get,
                    path,
                    body: None,
                    headers: Default::default(),
                    auth: Default::default(),
                }),
                Ask::ConsoleUsers => Action::Console(ConsoleAction::ListUsers),
                Ask::ConsoleGroups => Action::Console(ConsoleAction::ListGroups),
            };
            step(&mut out, &read, Some(&e));
        }
    }
    out
}

fn expect_note(out: &mut String, d: &Divergence) {
    let _ = writeln!(
        out,
        "  # divergence after this step: {}: the reference gives {}, the target gave {}",
        d.what, d.expected, d.actual
    );
}

/// A JSON string: a YAML double-quoted scalar.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

fn list(v: &[String]) -> String {
    format!(
        "[{}]",
        v.iter().map(|s| q(s)).collect::<Vec<_>>().join(", ")
    )
}

fn person(p: &Person) -> String {
    let mut parts = vec![
        format!("first: {}", q(&p.first)),
        format!("last: {}", q(&p.last)),
        format!("email: {}", q(&p.email)),
    ];
    // What Okta's default mappings give (userName = email, displayName = first last) is
    // left out, as a scenario author writes it.
    let profile = p.okta_profile();
    if let Some(u) = &profile.user_name {
        parts.push(format!("user_name: {}", q(u)));
    }
    if let Some(d) = &profile.display_name {
        parts.push(format!("display_name: {}", q(d)));
    }
    for (k, v) in [
        ("title", &p.title),
        ("locale", &p.locale),
        ("department", &p.department),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k}: {}", q(v)));
        }
    }
    format!("{{ {} }}", parts.join(", "))
}

fn changes(c: &PersonChanges) -> String {
    serde_json::to_string(c).unwrap_or_else(|_| "{}".to_owned())
}

fn console_group(g: &ConsoleGroup) -> String {
    match g {
        ConsoleGroup::Okta(k) | ConsoleGroup::Console(k) => q(k),
    }
}

fn step(out: &mut String, a: &Action, expect: Option<&Value>) {
    let (head, set) = match a {
        Action::TestCredentials | Action::RefreshAppGroups | Action::ImportUsers => {
            (format!("{}:", a.kind()), None)
        }
        Action::AssignUser { people }
        | Action::DeactivateUser { people }
        | Action::UnassignUser { people }
        | Action::ReactivateUser { people }
        | Action::ReassignUser { people }
        | Action::GetUser { people }
        | Action::SyncPassword { people } => (format!("{}: {}", a.kind(), list(people)), None),
        Action::UpdateUser { people, set } | Action::EditPerson { people, set } => (
            format!("{}: {}", a.kind(), list(people)),
            Some(changes(set)),
        ),
        Action::PushGroup { groups } | Action::PushNow { groups } => {
            (format!("{}: {}", a.kind(), list(groups)), None)
        }
        Action::AddMembers { group, people } | Action::RemoveMembers { group, people } => (
            format!(
                "{}: {{ group: {}, people: {} }}",
                a.kind(),
                q(group),
                list(people)
            ),
            None,
        ),
        Action::RenameGroup { group, to } => (
            format!("rename_group: {{ group: {}, to: {} }}", q(group), q(to)),
            None,
        ),
        Action::UnlinkGroup { group, delete } => (
            format!("unlink_group: {{ group: {}, delete: {delete} }}", q(group)),
            None,
        ),
        Action::Scim(r) => (
            format!(
                "scim: {{ method: {}, path: {} }}",
                r.method.as_str(),
                q(&r.path)
            ),
            None,
        ),
        Action::Console(c) => (format!("console: {}", console(c)), None),
        Action::Support(s) => (format!("support: {}", support(s)), None),
        // Explore generates no faults; written as a comment should one ever appear.
        Action::Fault(_) => {
            out.push_str("  # (a fault step, not written)\n");
            return;
        }
    };
    let _ = writeln!(out, "  - {head}");
    if let Some(set) = set {
        let _ = writeln!(out, "    set: {set}");
    }
    if let Some(e) = expect {
        let _ = writeln!(out, "    expect: {e}");
    }
}

fn console(c: &ConsoleAction) -> String {
    match c {
        ConsoleAction::CreateGroup { key, name } => {
            format!(
                "{{ create_group: {{ key: {}, name: {} }} }}",
                q(key),
                q(name)
            )
        }
        ConsoleAction::RenameGroup { group, to } => format!(
            "{{ rename_group: {{ group: {}, to: {} }} }}",
            console_group(group),
            q(to)
        ),
        ConsoleAction::AddMembers { group, people } => format!(
            "{{ add_members: {{ group: {}, people: {} }} }}",
            console_group(group),
            list(people)
        ),
        ConsoleAction::RemoveMembers { group, people } => format!(
            "{{ remove_members: {{ group: {}, people: {} }} }}",
            console_group(group),
            list(people)
        ),
        ConsoleAction::SetAdmins { group, people } => format!(
            "{{ set_admins: {{ group: {}, people: {} }} }}",
            console_group(group),
            list(people)
        ),
        ConsoleAction::DeleteGroup { group } => {
            format!("{{ delete_group: {} }}", console_group(group))
        }
        ConsoleAction::UnlinkGroup { group } => {
            format!("{{ unlink_group: {} }}", console_group(group))
        }
        ConsoleAction::ListUsers => "list_users".to_owned(),
        ConsoleAction::ListGroups => "list_groups".to_owned(),
    }
}

fn support(s: &SupportAction) -> String {
    match s {
        SupportAction::EnableProvisioning => "enable_provisioning".to_owned(),
        SupportAction::DisableProvisioning => "disable_provisioning".to_owned(),
        SupportAction::RotateToken { update_okta } => {
            format!("{{ rotate_token: {{ update_okta: {update_okta} }} }}")
        }
        SupportAction::SetScope(v) => format!(
            "{{ set_scope: [{}] }}",
            v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
        ),
        SupportAction::SetDeletedGroupPolicy(p) => {
            format!("{{ set_deleted_group_policy: {} }}", p.as_str())
        }
    }
}
