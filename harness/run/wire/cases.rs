//! The wire checks on hand-made exchanges: legal answers give nothing, each violation gives
//! its rule; the catalogue of broken answers breaks every rule.

use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::{Value, json};

use crate::contract::urn::{ERROR, LIST_RESPONSE, USER};
use crate::contract::{Body, Exchange, Profile, Response};
use crate::report::Finding;
use crate::run::wire::{self, WireChecker};

fn ex(method: &str, path: &str, sent: Option<Value>, status: u16, body: Body) -> Exchange {
    ex_typed(method, path, sent, status, body, "application/scim+json")
}

fn ex_typed(
    method: &str,
    path: &str,
    sent: Option<Value>,
    status: u16,
    body: Body,
    content_type: &str,
) -> Exchange {
    Exchange {
        method: method.into(),
        path: path.into(),
        request_headers: vec![],
        request_body: sent.map(Body::Json),
        response: Some(Response {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body,
        }),
        error: None,
        duration: Duration::ZERO,
        okta_retry: None,
    }
}

/// A GET of `path` answered 200 with `body`.
fn get(path: &str, body: Body) -> Exchange {
    ex("GET", path, None, 200, body)
}

/// A POST /Users of `sent` answered 201 with the user `id` named `name`.
fn create(sent: Value, id: &str, name: &str) -> Exchange {
    ex(
        "POST",
        "/Users",
        Some(sent),
        201,
        Body::Json(user(id, name)),
    )
}

/// A GET /Users/{id} answered 200 with the user `id` named `name`.
fn read(id: &str, name: &str) -> Exchange {
    get(&format!("/Users/{id}"), Body::Json(user(id, name)))
}

fn user(id: &str, name: &str) -> Value {
    json!({"schemas": [USER], "id": id, "userName": name, "active": true,
           "emails": [{"value": name, "primary": true}]})
}

fn page(total: Value, start: Value, per: Value, res: Vec<Value>) -> Body {
    Body::Json(json!({"schemas": [LIST_RESPONSE], "totalResults": total,
        "startIndex": start, "itemsPerPage": per, "Resources": res}))
}

fn list(start: u64, res: Vec<Value>, total: u64) -> Body {
    let n = res.len();
    page(json!(total), json!(start), json!(n), res)
}

fn scim_error(status: u16) -> Body {
    Body::Json(json!({"schemas": [ERROR], "status": status.to_string(),
                      "detail": "not found"}))
}

const LOOKUP: &str =
    "/Users?filter=userName%20eq%20%22alice%40example.com%22&startIndex=1&count=100";

fn rules(findings: &[Finding]) -> BTreeSet<String> {
    findings.iter().filter_map(|f| f.rule.clone()).collect()
}

#[test]
fn legal_answers_and_legal_variations_give_no_finding() {
    let sent = json!({"schemas": [USER], "userName": "Alice@Example.com", "active": true});
    let no_resources = Body::Json(json!({"schemas": [LIST_RESPONSE],
            "totalResults": 0, "startIndex": 1, "itemsPerPage": 0}));
    let alice = vec![user("u1", "Alice@Example.com")];
    let exchanges = vec![
        get("/Users?startIndex=1&count=2", list(1, vec![], 0)),
        // No match: an empty list without Resources (legal when totalResults is 0).
        get(LOOKUP, no_resources),
        // Okta's docs also accept a 404 for no match; its body is SCIM.
        ex("GET", LOOKUP, None, 404, scim_error(404)),
        // application/json instead of application/scim+json.
        ex_typed(
            "POST",
            "/Users",
            Some(sent),
            201,
            Body::Json(user("u1", "Alice@Example.com")),
            "application/json",
        ),
        // A lookup in another case finds the user: userName is caseExact false.
        get(
            "/Users?filter=userName+eq+%22ALICE%40EXAMPLE.COM%22",
            list(1, alice, 1),
        ),
        // PATCH answering 204, then 200 with the resource.
        ex(
            "PATCH",
            "/Users/u1",
            Some(json!({"Operations": []})),
            204,
            Body::Empty,
        ),
        ex(
            "PATCH",
            "/Users/u1",
            Some(json!({"Operations": []})),
            200,
            Body::Json(user("u1", "Alice@Example.com")),
        ),
        read("u1", "Alice@Example.com"),
        // Past the end: empty.
        get("/Users?startIndex=101&count=100", list(101, vec![], 2)),
        ex("DELETE", "/Groups/g1", None, 204, Body::Empty),
        // No answer at all: nothing to check here (the action failed already).
        Exchange {
            response: None,
            error: Some("Read timed out".into()),
            ..ex("GET", "/Users", None, 200, Body::Empty)
        },
    ];
    // Real paging: page 2 starts with the second user.
    let paged = two_pages(user("p1", "a@x.io"), user("p2", "b@x.io"));
    let findings = wire::check_all(&[exchanges, paged].concat(), Profile::Okta);
    assert!(findings.is_empty(), "{findings:#?}");
}

/// Two pages of one user each, of two in all: the first holds `first`, the second `second`
/// (the same user on both is a server that ignores `startIndex`).
fn two_pages(first: Value, second: Value) -> Vec<Exchange> {
    vec![
        get("/Users?startIndex=1&count=1", list(1, vec![first], 2)),
        get("/Users?startIndex=2&count=1", list(2, vec![second], 2)),
    ]
}

/// Each broken answer and the one rule it breaks.
fn catalogue() -> Vec<(&'static str, Vec<Exchange>, &'static str)> {
    let sent = json!({"schemas": [USER], "userName": "Alice@Example.com"});
    let strings = page(
        json!("1"),
        json!("1"),
        json!("1"),
        vec![user("u1", "a@x.io")],
    );
    let three = vec![
        user("u1", "a@x.io"),
        user("u2", "b@x.io"),
        user("u3", "c@x.io"),
    ];
    let someone_else = vec![user("u9", "someone.else@example.com")];
    vec![
        (
            "counters as strings",
            vec![get("/Users?startIndex=1&count=2", strings)],
            "okta:list-counters",
        ),
        (
            "itemsPerPage is the page size",
            vec![get(
                "/Users?startIndex=101&count=100",
                page(json!(2), json!(101), json!(100), vec![]),
            )],
            "okta:items-per-page",
        ),
        (
            "startIndex not echoed",
            vec![get(
                "/Users?startIndex=3&count=1",
                page(json!(5), json!(1), json!(1), vec![user("u3", "c@x.io")]),
            )],
            "okta:start-index",
        ),
        (
            "count ignored",
            vec![get("/Users?startIndex=1&count=2", list(1, three, 3))],
            "okta:page-size",
        ),
        (
            "startIndex ignored",
            two_pages(user("u1", "a@x.io"), user("u1", "a@x.io")),
            "okta:paging",
        ),
        (
            "filter ignored",
            vec![get(LOOKUP, list(1, someone_else, 1))],
            "okta:filter",
        ),
        (
            "HTML error page",
            vec![ex(
                "GET",
                "/Users/u1",
                None,
                502,
                Body::Text("<html><body>Bad Gateway</body></html>".into()),
            )],
            "okta:error-body",
        ),
        (
            "numeric error status",
            vec![ex(
                "GET",
                "/Users/u1",
                None,
                404,
                Body::Json(json!({"schemas": [wire::ERROR_URN], "status": 404, "detail": "gone"})),
            )],
            "okta:error-status-string",
        ),
        (
            "userName lower-cased on create",
            vec![create(sent.clone(), "u1", "alice@example.com")],
            "okta:username-case",
        ),
        (
            "userName lower-cased when read back",
            vec![
                create(sent, "u1", "Alice@Example.com"),
                read("u1", "alice@example.com"),
            ],
            "okta:username-case",
        ),
    ]
}

#[test]
fn each_broken_answer_breaks_its_rule_and_only_it() {
    let mut all = Vec::new();
    for (name, exchanges, rule) in catalogue() {
        let findings = wire::check_all(&exchanges, Profile::Okta);
        assert!(!findings.is_empty(), "{name}: no finding");
        assert_eq!(
            rules(&findings),
            BTreeSet::from([rule.to_owned()]),
            "{name}: {findings:#?}"
        );
        for f in &findings {
            assert!(
                f.hint.as_deref().is_some_and(|h| !h.is_empty()),
                "{name}: no hint"
            );
            assert!(
                f.what.contains(" → "),
                "{name}: `what` names the request: {}",
                f.what
            );
        }
        all.push(json!({"case": name, "findings": findings}));
    }
    insta::assert_yaml_snapshot!("wire_findings", all);
}

/// Every rule the catalogue's broken answers break in `profile`.
fn cited(profile: Profile) -> BTreeSet<String> {
    catalogue()
        .iter()
        .flat_map(|(_, e, _)| rules(&wire::check_all(e, profile)))
        .collect()
}

#[test]
fn every_wire_rule_can_fail() {
    let hit = cited(Profile::Okta);
    let all: BTreeSet<String> = wire::ALL
        .iter()
        .map(|r| crate::contract::RuleId::Okta(*r).to_string())
        .collect();
    assert_eq!(hit, all);
}

#[test]
fn the_zinc_profile_cites_zinc_rules() {
    let got = cited(Profile::Zinc);
    let want: BTreeSet<String> = ["Z6", "Z21", "Z22", "Z23"].map(String::from).into();
    assert_eq!(got, want);
}

#[test]
fn the_entra_profile_cites_entra_rules_where_its_reference_has_evidence() {
    let got = cited(Profile::Entra);
    // The shared checks Entra's reference backs cite `entra:` rows; the paging, status
    // string and userName-case checks keep their `okta:` rows (the reference is silent).
    for want in ["entra:list-response", "entra:filter", "entra:error-body"] {
        assert!(got.contains(want), "{want} in {got:?}");
    }
    for not in ["okta:list-counters", "okta:filter", "okta:error-body"] {
        assert!(!got.contains(not), "{not} in {got:?}");
    }
    assert!(got.contains("okta:paging"), "{got:?}");
}

#[test]
fn a_checker_remembers_across_steps() {
    // The runner keeps one checker per scenario and feeds it step by step.
    let mut c = WireChecker::new(Profile::Okta);
    let sent = json!({"userName": "Bob@Example.com"});
    assert!(c.check(&create(sent, "u2", "Bob@Example.com")).is_empty());
    let bob = vec![user("u2", "bob@example.com")];
    let later = c.check(&get("/Users?startIndex=1&count=100", list(1, bob, 1)));
    assert_eq!(
        rules(&later),
        BTreeSet::from(["okta:username-case".to_owned()])
    );
}

#[test]
fn findings_go_to_the_step_that_made_the_exchange() {
    use crate::report::{StepReport, StepStatus};
    let step = |index: usize, exchanges: Vec<Exchange>| StepReport {
        index,
        label: format!("step {index}"),
        line: None,
        status: StepStatus::Passed,
        skip_reason: None,
        findings: vec![],
        exchanges,
        okta_message: None,
    };
    let sent = json!({"userName": "Carol@Example.com"});
    let mut steps = vec![
        step(1, vec![create(sent, "u3", "Carol@Example.com")]),
        step(2, vec![]),
        step(3, vec![read("u3", "carol@example.com")]),
    ];
    assert_eq!(wire::check_steps(&mut steps, Profile::Okta), 1);
    let status: Vec<StepStatus> = steps.iter().map(|s| s.status).collect();
    assert_eq!(
        status,
        [StepStatus::Passed, StepStatus::Passed, StepStatus::Failed]
    );
    assert_eq!(
        steps[2].findings[0].rule.as_deref(),
        Some("okta:username-case")
    );
}

#[test]
fn a_write_without_a_body_forgets_the_name_it_may_have_changed() {
    let mut c = WireChecker::new(Profile::Okta);
    let sent = json!({"userName": "Dan@Example.com"});
    assert!(c.check(&create(sent, "u4", "Dan@Example.com")).is_empty());
    let patch =
        json!({"Operations": [{"op": "replace", "path": "userName", "value": "dan@example.com"}]});
    assert!(
        c.check(&ex("PATCH", "/Users/u4", Some(patch), 204, Body::Empty))
            .is_empty()
    );
    let back = c.check(&read("u4", "dan@example.com"));
    assert!(back.is_empty(), "{back:#?}");
}

#[test]
fn filters_are_parsed_or_left_alone() {
    assert_eq!(
        wire::parse_eq(r#"userName eq "a@b.c""#),
        Some(("userName".into(), "a@b.c".into()))
    );
    assert_eq!(
        wire::parse_eq(r#"USERNAME EQ "x \"q\" y""#),
        Some(("USERNAME".into(), r#"x "q" y"#.into()))
    );
    assert_eq!(
        wire::parse_eq(r#"userName eq "a" and active eq true"#),
        None
    );
    assert_eq!(wire::parse_eq(r#"userName sw "a""#), None);
    assert_eq!(wire::parse_eq("active eq true"), None);
}
