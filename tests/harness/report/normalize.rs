//! Snapshot normalization: ids, base URLs, timestamps and secrets become placeholders, and
//! two runs that differ only in those give the same snapshot.

use serde_json::json;
use zinc_harness::report::snapshot::{FinalState, NameMap, StepTranscript, normalize};
use zinc_harness::report::{Body, Exchange};
use zinc_harness::scim::{ERROR_SCHEMA, ScimType, USER_SCHEMA};

use super::fixtures::exchange;

/// What differs between two runs of the same scenario.
struct Run {
    port: u16,
    alice: &'static str,
    alice2: &'static str,
    eng: &'static str,
    console_group: &'static str,
    okta_alice: &'static str,
    token: &'static str,
    time: &'static str,
}

const RUN_A: Run = Run {
    port: 40123,
    alice: "2819c223-7f76-453a-919d-413861904646",
    alice2: "c0ffee00-1111-4222-8333-444455556666",
    eng: "e9e30dba-f08f-4109-8486-d5c6a331660a",
    console_group: "0b0e5c2a-9d3e-4a51-a7a6-5b1f2f0c0d01",
    okta_alice: "00u1a2b3c4d5e6f7g8h9",
    token: "tok_A_9f8e7d6c5b4a3928",
    time: "2026-11-28T12:00:00.123Z",
};

const RUN_B: Run = Run {
    port: 51999,
    alice: "7d3c1a52-0000-4bbb-8ccc-0123456789ab",
    alice2: "9a9a9a9a-2222-4333-8444-555566667777",
    eng: "1f1f1f1f-3333-4444-8555-666677778888",
    console_group: "abcdef01-2345-4678-89ab-cdef01234567",
    okta_alice: "00uZZZZZZZZZZZZZZZZZ",
    token: "tok_B_0011223344556677",
    time: "2027-01-02T03:04:05Z",
};

fn user(run: &Run, id: &str) -> serde_json::Value {
    json!({
        "schemas": [USER_SCHEMA],
        "id": id,
        "externalId": run.okta_alice,
        "userName": "alice@example.com",
        "active": true,
        "meta": {
            "resourceType": "User",
            "created": run.time,
            "lastModified": run.time,
            "location": format!("http://127.0.0.1:{}/scim/v2/Users/{id}", run.port)
        }
    })
}

fn with_headers(mut e: Exchange, run: &Run, location: Option<String>) -> Exchange {
    e.request_headers[0].1 = format!("Bearer {}", run.token);
    e.request_headers
        .push(("X-Request-Id".into(), "req-81723".into()));
    let r = e.response.as_mut().unwrap();
    r.headers[1].1 = "Sun, 03 Jan 2027 04:05:06 GMT".into();
    r.headers
        .push(("ETag".into(), format!("W/\"{}\"", run.time)));
    if let Some(l) = location {
        r.headers.push(("Location".into(), l));
    }
    e.duration = std::time::Duration::from_millis(u64::from(run.port % 97));
    e
}

fn transcript(run: &Run) -> (Vec<StepTranscript>, NameMap, FinalState) {
    let base = format!("http://127.0.0.1:{}/scim/v2", run.port);
    let create = with_headers(
        exchange(
            "POST",
            "/Users",
            Some(
                json!({"userName": "alice@example.com", "externalId": run.okta_alice,
                        "password": "Pa55w0rd-planted"}),
            ),
            201,
            user(run, run.alice),
        ),
        run,
        Some(format!("{base}/Users/{}", run.alice)),
    );
    let refused = with_headers(
        exchange(
            "PATCH",
            &format!("/Users/{}", run.alice),
            Some(json!({"Operations": [{"op": "replace", "path": "userName",
                                        "value": "alice.smith@example.com"}]})),
            400,
            json!({"schemas": [ERROR_SCHEMA], "status": "400",
                   "scimType": ScimType::Mutability.as_str(),
                   "detail": format!("userName of user {} cannot be changed", run.alice)}),
        ),
        run,
        None,
    );
    let recreate = with_headers(
        exchange(
            "POST",
            "/Users",
            Some(json!({"userName": "alice.smith@example.com"})),
            201,
            user(run, run.alice2),
        ),
        run,
        Some(format!("{base}/Users/{}", run.alice2)),
    );
    let filter = with_headers(
        exchange(
            "GET",
            &format!(
                "/Groups?filter=id%20eq%20%22{}%22&startIndex=1&count=100",
                run.eng
            ),
            None,
            200,
            json!({"totalResults": 1, "Resources": [{"id": run.eng, "displayName": "Eng",
                   "members": [{"value": run.alice2, "display": "alice.smith@example.com"}]}]}),
        ),
        run,
        None,
    );
    let mut dropped = exchange(
        "DELETE",
        &format!("/Users/{}", run.alice2),
        None,
        0,
        json!(null),
    );
    dropped.response = None;
    dropped.error = Some(format!("connection reset by 127.0.0.1:{}", run.port));

    let steps = vec![
        StepTranscript {
            label: "assign_user alice".into(),
            exchanges: vec![create],
        },
        StepTranscript {
            label: "update_user alice".into(),
            exchanges: vec![refused],
        },
        StepTranscript {
            label: "assign_user alice".into(),
            exchanges: vec![recreate],
        },
        StepTranscript {
            label: "push_group eng".into(),
            exchanges: vec![filter],
        },
        StepTranscript {
            label: "unassign_user alice".into(),
            exchanges: vec![dropped],
        },
    ];
    let mut names = NameMap::new();
    names
        .user(run.alice, "alice")
        .user(run.alice2, "alice")
        .group(run.eng, "eng")
        .okta_user(run.okta_alice, "alice")
        .base_url(&base)
        .secret(run.token);
    let state = FinalState {
        scim_users: json!([user(run, run.alice2)]),
        scim_groups: json!([{"id": run.eng, "displayName": "Eng",
                             "members": [{"value": run.alice2}],
                             "meta": {"created": run.time, "lastModified": run.time}}]),
        console: Some(json!({
            "settings": {"provisioning": "enabled", "token": run.token, "scope": ["users", "groups"]},
            "groups": [
                {"id": run.eng, "name": "Eng", "origin": "okta", "linked": true},
                {"id": run.console_group, "name": "Eng", "origin": "console", "linked": false,
                 "created_at": run.time}
            ]
        })),
    };
    (steps, names, state)
}

#[test]
fn normalized_transcript() {
    let (steps, names, state) = transcript(&RUN_A);
    snapshot!(assert_yaml_snapshot!(normalize(&steps, &names, &state)));
}

#[test]
fn runs_differing_only_in_ids_ports_times_and_secrets_look_the_same() {
    let (s, n, st) = transcript(&RUN_A);
    let a = normalize(&s, &n, &st);
    let (s, n, st) = transcript(&RUN_B);
    let b = normalize(&s, &n, &st);
    assert_eq!(a, b);
    // And normalizing twice gives the same thing.
    let (s, n, st) = transcript(&RUN_A);
    assert_eq!(a, normalize(&s, &n, &st));
}

#[test]
fn nothing_run_specific_survives() {
    for run in [&RUN_A, &RUN_B] {
        let (s, n, st) = transcript(run);
        let text = serde_json::to_string(&normalize(&s, &n, &st)).unwrap();
        for leak in [
            run.alice,
            run.alice2,
            run.eng,
            run.console_group,
            run.okta_alice,
            run.token,
            run.time,
            &run.port.to_string(),
            "Pa55w0rd-planted",
            "2027",
            "GMT",
            "req-81723",
        ] {
            assert!(
                !text.contains(leak),
                "{leak} survived normalization: {text}"
            );
        }
        for placeholder in [
            "<user:alice>",
            "<user:alice#2>",
            "<group:eng>",
            "<okta:alice>",
            "<base>/Users/<user:alice>",
            "<origin>",
            "<timestamp>",
            "<redacted>",
            "<id:1>",
        ] {
            assert!(text.contains(placeholder), "{placeholder} missing: {text}");
        }
    }
}

#[test]
fn only_meaningful_headers_are_kept() {
    let (s, n, st) = transcript(&RUN_A);
    let snap = normalize(&s, &n, &st);
    let req = &snap.steps[0].exchanges[0].request;
    assert_eq!(
        req.headers.keys().collect::<Vec<_>>(),
        ["authorization", "content-type"]
    );
    assert_eq!(req.headers["authorization"], "Bearer <redacted>");
    let resp = snap.steps[0].exchanges[0].response.as_ref().unwrap();
    assert_eq!(
        resp.headers.keys().collect::<Vec<_>>(),
        ["content-type", "location"]
    );
}

#[test]
fn short_ids_only_as_whole_values_or_path_segments() {
    // A third-party server with small integer ids.
    let e = exchange(
        "GET",
        "/Users/1?startIndex=1&count=1",
        None,
        200,
        json!({"id": "1", "userName": "a1@example.com", "groups": [{"value": "7"}],
               "detail": "user 1 of 1"}),
    );
    let mut names = NameMap::new();
    names.user("1", "alice").group("7", "eng");
    let snap = normalize(
        &[StepTranscript {
            label: "get_user alice".into(),
            exchanges: vec![e],
        }],
        &names,
        &FinalState::default(),
    );
    let x = &snap.steps[0].exchanges[0];
    assert_eq!(x.request.path, "/Users/<user:alice>?startIndex=1&count=1");
    let body = &x.response.as_ref().unwrap().body;
    assert_eq!(body["id"], "<user:alice>");
    assert_eq!(body["userName"], "a1@example.com");
    assert_eq!(body["groups"][0]["value"], "<group:eng>");
    assert_eq!(body["detail"], "user 1 of 1");
}

#[test]
fn text_bodies_and_errors_are_normalized_too() {
    let mut e = exchange("POST", "/Users", None, 502, json!(null));
    e.request_body = Some(Body::Text(
        "userName=a@example.com&password=hunter22".into(),
    ));
    e.response.as_mut().unwrap().body = Body::Text(
        "<html>Bad gateway at 2026-11-28T12:00:00Z from http://localhost:8080</html>".into(),
    );
    let snap = normalize(
        &[StepTranscript {
            label: "assign_user alice".into(),
            exchanges: vec![e],
        }],
        &NameMap::new(),
        &FinalState::default(),
    );
    let text = serde_json::to_string(&snap).unwrap();
    assert!(!text.contains("hunter22"), "{text}");
    assert!(!text.contains("8080"), "{text}");
    assert!(text.contains("password=<redacted>"), "{text}");
    assert!(
        text.contains("Bad gateway at <timestamp> from <origin>"),
        "{text}"
    );
}

#[test]
fn ids_used_as_keys_are_normalized() {
    let mut names = NameMap::new();
    names.group(RUN_A.eng, "eng");
    let state = FinalState {
        console: Some(json!({"admins": {RUN_A.eng: ["alice@example.com"],
                                        RUN_A.console_group: []}})),
        ..FinalState::default()
    };
    let snap = normalize(&[], &names, &state);
    let admins = &snap.state.console.as_ref().unwrap()["admins"];
    assert_eq!(admins["<group:eng>"][0], "alice@example.com");
    assert!(admins.get("<id:1>").is_some(), "{admins}");
}
