//! Valid files: what the runner gets.

use zinc_harness::contract::Rule;
use zinc_harness::scenario::{
    self, Action, App, ConsoleAction, ConsoleGroup, DeletedGroupPolicy, HttpMethod, Profile,
    Provisioning, RequestAuth, ResourceKind, SupportAction,
};

use crate::support::runs::parsed;

#[test]
fn every_builtin_scenario_is_valid_and_compiled_in() {
    let builtin = scenario::builtin();
    let names: Vec<&str> = builtin.iter().map(|(n, _)| *n).collect();
    let on_disk: Vec<String> = scenario::yaml_files("scenarios".as_ref())
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(
        names, on_disk,
        "every scenarios/**/*.yaml is built in, sorted"
    );
    assert!(names.contains(&"scenarios/troubleshooting/t3-email-immutable.yaml"));
    for (name, text) in builtin {
        let file = std::fs::read_to_string(name).expect("a built-in scenario exists on disk");
        assert_eq!(&file, text, "{name} is stale in the binary");
        if let Err(d) = scenario::parse(name, text) {
            panic!("{d}");
        }
    }
}

#[test]
fn the_t3_example_parses_into_resolved_steps() {
    let s = scenario::load("scenarios/troubleshooting/t3-email-immutable.yaml").unwrap();
    assert_eq!(s.case.as_deref(), Some("T3"));
    assert_eq!(
        s.rules,
        [Rule::Z7.into(), Rule::Z10.into()] as [zinc_harness::contract::RuleId; 2]
    );
    assert_eq!(s.profiles, [Profile::Zinc]);
    assert_eq!(s.okta.app, Some(App::Oin));
    assert_eq!(s.steps.len(), 8);
    assert_eq!(
        s.steps[0].action,
        Action::AssignUser {
            people: vec!["alice".into()]
        }
    );
    let step = &s.steps[1];
    assert_eq!((step.location.line, step.location.column), (14, 5));
    assert_eq!(
        step.location.to_string(),
        "scenarios/troubleshooting/t3-email-immutable.yaml:14:5"
    );
    let Action::UpdateUser { set, .. } = &step.action else {
        panic!("{:?}", step.action)
    };
    assert_eq!(set.email.as_deref(), Some("alice.smith@example.com"));
    let e = step.expect.as_ref().unwrap();
    assert_eq!(
        (e.ok, e.status, e.scim_type.as_deref()),
        (Some(false), Some(400), Some("mutability"))
    );
    assert!(step.note.as_deref().unwrap().contains("Z7"));
    assert_eq!(s.steps[5].expect.as_ref().unwrap().new_id, Some(true));
    let alice = s.person("alice").unwrap();
    assert_eq!(alice.user_name, "alice@example.com");
    assert_eq!(alice.display_name, "Alice Smith");
}

#[test]
fn idp_and_its_older_name_okta_set_the_same_client() {
    let with = |key: &str| {
        let text = format!(
            "title: T\n{key}: {{ app: entra-compliant, matching: [externalId, userName], unassign: delete }}\nsteps:\n  - test_credentials\n"
        );
        parsed("idp.yaml", &text)
    };
    let (idp, okta) = (with("idp"), with("okta"));
    assert_eq!(idp.okta, okta.okta);
    assert_eq!(idp.okta.app, Some(scenario::App::EntraCompliant));
}

#[test]
fn defaults_fill_in_what_a_file_leaves_out() {
    let s = scenario::parse("min.yaml", "title: Minimal\nsteps:\n  - test_credentials\n").unwrap();
    assert_eq!(s.profiles, [Profile::Zinc]);
    assert_eq!(s.okta.app, None, "absent app = the run's --app");
    assert!(s.okta.push_groups);
    assert_eq!(s.zinc.provisioning, Provisioning::Enabled);
    assert_eq!(s.zinc.scope, [ResourceKind::Users, ResourceKind::Groups]);
    assert_eq!(s.zinc.deleted_group_policy, DeletedGroupPolicy::Retain);
    assert_eq!(s.steps[0].action, Action::TestCredentials);
    assert!(s.case.is_none() && s.rules.is_empty() && s.people.is_empty());
}

// A scenario file as a user writes it (its PatchOp URN spelled out, as in YAML it must be).
const EVERY_KIND: &str = r#"
title: Every step kind
case: okta-every-kind
profiles: [okta, zinc, okta]
okta: { app: aiw, push_groups: false, auth: header }
zinc: { provisioning: disabled, scope: [users], deleted_group_policy: delete }
people:
  alice: { first: Alice, last: Smith, email: alice@example.com, user_name: asmith@example.com, title: CTO, locale: en_US }
  bob: { first: Bob, last: Jones, email: bob@example.com, display_name: Bobby }
  generate: { count: 12, seed: 7, domain: example.org, prefix: emp }
groups:
  eng: { name: Engineering, members: [alice, "emp00*"] }
  ops: { name: Ops }
steps:
  - test_credentials
  - test_credentials:
    expect: { ok: false, status: 401, detail: Customer Support }
  - assign_user: [alice, bob, 3, "5..6", alice]
  - update_user: alice
    set: { last: Smith-Jones, title: CEO }
  - deactivate_user: bob
  - unassign_user: emp*
  - reactivate_user: bob
    expect: { new_id: true }
  - reassign_user: [emp001]
    expect: { same_id: false }
  - get_user: alice
    expect: { status: 404, absent: true }
  - push_group: [eng, ops]
  - add_members: { group: ops, people: [bob] }
  - remove_members: { group: ops, people: bob }
  - rename_group: { group: eng, to: R&D }
  - push_now: eng
  - unlink_group: { group: ops, delete: true }
  - unlink_group: { group: eng }
  - refresh_app_groups
  - import_users:
  - edit_person: bob
    set: { email: robert@example.com }
  - scim:
      method: PATCH
      path: /Users/{user:alice}
      body: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: replace, value: { active: false } }] }
      headers: { Content-Type: application/json }
      auth: wrong
    expect:
      status: 401
      requests: ["PATCH /Users/{user:alice}"]
  - console: { create_group: { key: lunch, name: Lunch club } }
  - console: { rename_group: { group: lunch, to: Lunch } }
  - console: { add_members: { group: eng, people: [alice] } }
    expect: { ok: false, message: unlink }
  - console: { remove_members: { group: lunch, people: [alice] } }
  - console: { set_admins: { group: eng, people: [] } }
  - console: { delete_group: lunch }
  - console: { unlink_group: eng }
  - console: list_users
  - console: { list_groups: }
    expect: { ok: true, body: [{ name: Lunch }] }
  - support: enable_provisioning
  - support: disable_provisioning
  - support: { rotate_token: { update_okta: false } }
  - support: { rotate_token: {} }
  - support: { set_scope: [users, groups] }
  - support: { set_deleted_group_policy: retain }
  - fault: { method: POST, path: /Users*, times: 2, status: 429, headers: { Retry-After: "1" }, body: { detail: slow down } }
  - fault: { path: /Groups, delay_ms: 50 }
  - fault: { path: "*", drop: true }
    note: everything fails from here
  - sync_password: [alice, bob]
"#;

#[test]
fn every_step_kind_resolves() {
    let s = parsed("every.yaml", EVERY_KIND);
    assert_eq!(
        s.profiles,
        [Profile::Zinc, Profile::Okta],
        "sorted, without duplicates"
    );
    assert_eq!(s.people.len(), 14);
    assert_eq!(s.person("alice").unwrap().user_name, "asmith@example.com");
    assert_eq!(s.person("bob").unwrap().display_name, "Bobby");
    let eng = s.group("eng").unwrap();
    let expected: Vec<String> = std::iter::once("alice".to_string())
        .chain((1..=9).map(|n| format!("emp00{n}")))
        .collect();
    assert_eq!(eng.members, expected, "a pattern expands in file order");
    assert!(s.group("ops").unwrap().members.is_empty());

    let first = &s.steps[0].location;
    assert_eq!(
        (first.line, first.column),
        (15, 5),
        "a bare step knows where it is"
    );
    let kinds: Vec<&str> = s.steps.iter().map(|s| s.action.kind()).collect();
    for k in scenario::STEP_KINDS {
        assert!(kinds.contains(k), "{k} is exercised");
    }
    let actions: Vec<&Action> = s.steps.iter().map(|s| &s.action).collect();
    assert_eq!(
        actions[2],
        &Action::AssignUser {
            people: ["alice", "bob", "emp003", "emp005", "emp006"]
                .map(String::from)
                .to_vec()
        },
        "numbers and ranges name generated people; duplicates dropped"
    );
    assert_eq!(
        actions[5],
        &Action::UnassignUser {
            people: (1..=12).map(|n| format!("emp{n:03}")).collect()
        }
    );
    assert_eq!(
        actions[14],
        &Action::UnlinkGroup {
            group: "ops".into(),
            delete: true
        }
    );
    assert_eq!(
        actions[15],
        &Action::UnlinkGroup {
            group: "eng".into(),
            delete: false
        }
    );
    let Action::Scim(req) = actions[19] else {
        panic!()
    };
    assert_eq!(
        (req.method, req.auth),
        (HttpMethod::Patch, RequestAuth::Wrong)
    );
    assert_eq!(req.path, "/Users/{user:alice}");
    assert_eq!(
        req.body.as_ref().unwrap()["Operations"][0]["value"]["active"],
        false
    );
    assert_eq!(
        actions[22],
        &Action::Console(ConsoleAction::AddMembers {
            group: ConsoleGroup::Okta("eng".into()),
            people: vec!["alice".into()]
        })
    );
    assert_eq!(
        actions[23],
        &Action::Console(ConsoleAction::RemoveMembers {
            group: ConsoleGroup::Console("lunch".into()),
            people: vec!["alice".into()]
        })
    );
    assert_eq!(
        actions[31],
        &Action::Support(SupportAction::RotateToken { update_okta: false })
    );
    assert_eq!(
        actions[32],
        &Action::Support(SupportAction::RotateToken { update_okta: true })
    );
    let Action::Fault(f) = actions[35] else {
        panic!()
    };
    assert_eq!(
        (f.times, f.status, f.method),
        (Some(2), Some(429), Some(HttpMethod::Post))
    );
    let Action::Fault(f) = actions[37] else {
        panic!()
    };
    assert!(f.drop && f.times.is_none());
    assert!(actions[37].needs_embedded_mock() && !actions[0].needs_embedded_mock());
    assert_eq!(
        actions[38],
        &Action::SyncPassword {
            people: vec!["alice".into(), "bob".into()]
        }
    );
}

#[test]
fn all_errors_of_a_file_are_reported_in_file_order() {
    let text = "title: x\npeople:\n  alice: { first: A, last: B, email: a@example.com }\nsteps:\n  - assign_user: bobb\n  - asign_user: alice\n  - get_user: alice\n    expect: { status: 99 }\n  - push_group: eng\n";
    let d = scenario::parse("many.yaml", text).unwrap_err();
    let lines: Vec<u32> = d.iter().map(|d| d.line).collect();
    assert_eq!(lines, [5, 6, 8, 9], "{d}");
}

#[test]
fn check_as_a_library_call() {
    assert!(scenario::check("scenarios/troubleshooting/t3-email-immutable.yaml").is_empty());
    let d = scenario::check("tests/scenario-errors/13-unknown-person.yaml");
    assert_eq!(d.len(), 2);
    assert_eq!((d[0].line, d[0].column), (6, 26));
    assert!(d[0].message.contains("did you mean `bob`"));
    assert_eq!(
        d[0].source_line.as_deref(),
        Some("  - assign_user: [alice, bobb]")
    );
    let missing = scenario::check("tests/scenario-errors/no-such-file.yaml");
    assert!(missing[0].message.contains("cannot read"), "{missing:?}");
}

#[test]
fn windows_line_endings_and_a_byte_order_mark_are_fine() {
    let text = "\u{feff}title: crlf\r\npeople:\r\n  alice: { first: A, last: B, email: a@example.com }\r\nsteps:\r\n  - assign_user: alice\r\n  - get_user: bobb\r\n";
    let d = scenario::parse("crlf.yaml", text).unwrap_err();
    assert_eq!(d.len(), 1);
    assert_eq!((d.0[0].line, d.0[0].column), (6, 15));
    assert_eq!(
        d.0[0].source_line.as_deref(),
        Some("  - get_user: bobb"),
        "no stray \\r"
    );
    let ok = text.replace("bobb", "alice");
    assert_eq!(scenario::parse("crlf.yaml", &ok).unwrap().steps.len(), 2);
}

#[test]
fn a_lone_carriage_return_is_a_line_break_in_positions_and_shown_lines() {
    // Old Mac line endings: YAML counts a lone \r as a line break, and so must the caret.
    let text = "title: cr\rpeople:\r  alice: { first: A, last: B, email: a@example.com }\rsteps:\r  - get_user: bobb\r";
    let d = scenario::parse("cr.yaml", text).unwrap_err();
    assert_eq!((d.0[0].line, d.0[0].column), (5, 15), "{d}");
    assert_eq!(d.0[0].source_line.as_deref(), Some("  - get_user: bobb"));
}
