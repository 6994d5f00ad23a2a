//! Hand-built reports: a pass, a failure with findings and exchanges, a skip, a broken
//! scenario, and a second failure sharing a root cause with the first.

use std::time::Duration;

use serde_json::json;
use zinc_harness::contract::Rule;
use zinc_harness::report::{
    Body, Exchange, Finding, Response, RunReport, ScenarioReport, ScenarioStatus, StepReport,
    StepStatus,
};
use zinc_harness::scim::{ERROR_SCHEMA, ScimType, USER_SCHEMA};

pub const ALICE_ID: &str = "2819c223-7f76-453a-919d-413861904646";
pub const OKTA_ALICE: &str = "00u1a2b3c4d5e6f7g8h9";

pub fn exchange(
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
    status: u16,
    response: serde_json::Value,
) -> Exchange {
    Exchange {
        method: method.to_string(),
        path: path.to_string(),
        request_headers: vec![
            ("Authorization".into(), "Bearer <redacted>".into()),
            (
                "Content-Type".into(),
                "application/scim+json; charset=utf-8".into(),
            ),
            ("Accept".into(), "application/scim+json".into()),
            ("User-Agent".into(), "Okta SCIM Client 1.0.0".into()),
        ],
        request_body: body.map(Body::Json),
        response: Some(Response {
            status,
            headers: vec![
                ("Content-Type".into(), "application/scim+json".into()),
                ("Date".into(), "Sat, 28 Nov 2026 12:00:00 GMT".into()),
            ],
            body: if response.is_null() {
                Body::Empty
            } else {
                Body::Json(response)
            },
        }),
        error: None,
        duration: Duration::from_millis(12),
        okta_retry: None,
    }
}

pub fn step(index: usize, label: &str, line: usize, exchanges: Vec<Exchange>) -> StepReport {
    StepReport {
        index,
        label: label.to_string(),
        line: Some(line),
        status: StepStatus::Passed,
        skip_reason: None,
        findings: vec![],
        exchanges,
        okta_message: None,
    }
}

pub fn alice_user() -> serde_json::Value {
    json!({
        "schemas": [USER_SCHEMA],
        "id": ALICE_ID,
        "externalId": OKTA_ALICE,
        "userName": "alice@example.com",
        "name": {"givenName": "Alice", "familyName": "Smith"},
        "displayName": "Alice Smith",
        "emails": [{"value": "alice@example.com", "type": "work", "primary": true}],
        "active": true,
        "meta": {
            "resourceType": "User",
            "created": "2026-11-28T12:00:00.123Z",
            "lastModified": "2026-11-28T12:00:00.123Z",
            "location": format!("http://127.0.0.1:40123/scim/v2/Users/{ALICE_ID}")
        }
    })
}

fn scenario(file: &str, case: &str, title: &str, status: ScenarioStatus) -> ScenarioReport {
    ScenarioReport {
        file: file.to_string(),
        case: case.to_string(),
        title: title.to_string(),
        rules: vec![],
        profiles: vec!["zinc".into()],
        app: Some("oin".into()),
        status,
        duration: Duration::from_millis(120),
        steps: vec![],
        skip_reason: None,
        error: None,
    }
}

pub fn passed() -> ScenarioReport {
    let mut s = scenario(
        "scenarios/troubleshooting/t8-deactivated-users.yaml",
        "T8",
        "Deactivated users are not in Zinc",
        ScenarioStatus::Passed,
    );
    s.rules = vec!["Z10".into(), "Z11".into()];
    s.steps = vec![
        step(
            1,
            "assign_user alice",
            12,
            vec![exchange(
                "POST",
                "/Users",
                Some(json!({"userName": "alice@example.com"})),
                201,
                alice_user(),
            )],
        ),
        step(
            2,
            "deactivate_user alice",
            14,
            vec![exchange(
                "PATCH",
                &format!("/Users/{ALICE_ID}"),
                Some(json!({"Operations": [{"op": "replace", "value": {"active": false}}]})),
                200,
                alice_user(),
            )],
        ),
        StepReport {
            status: StepStatus::Skipped,
            skip_reason: Some("needs the Admin Console; the target has none".into()),
            ..step(3, "console: list_users", 16, vec![])
        },
    ];
    s
}

pub fn failed() -> ScenarioReport {
    let mut s = scenario(
        "scenarios/troubleshooting/t4-username-email.yaml",
        "T4",
        "A userName that is not an email is refused",
        ScenarioStatus::Failed,
    );
    s.rules = vec!["Z4".into(), "Z5".into()];
    let refused = exchange(
        "POST",
        "/Users",
        Some(json!({
            "schemas": [USER_SCHEMA],
            "userName": "alice",
            "name": {"givenName": "Alice", "familyName": "Smith"},
            "emails": [{"value": "alice@example.com", "primary": true}],
            "active": true
        })),
        201,
        json!({"id": "1234", "userName": "alice", "note": "line one\nline two <b>&amp;</b>"}),
    );
    let mut long_body = exchange(
        "GET",
        &format!("/Users/{ALICE_ID}"),
        None,
        200,
        alice_user(),
    );
    long_body.response.as_mut().unwrap().headers.push((
        "Location".into(),
        format!("http://127.0.0.1:40123/scim/v2/Users/{ALICE_ID}"),
    ));
    s.steps = vec![
        StepReport {
            status: StepStatus::Failed,
            findings: vec![
                Finding::new("status", 400, 201)
                    .cite(Rule::Z4.into()),
                Finding::new("scimType", ScimType::InvalidValue.as_str(), serde_json::Value::Null)
                    .cite(Rule::Z4.into()),
            ],
            okta_message: Some(
                "Automatic provisioning of user Alice Smith to app Zinc failed".into(),
            ),
            ..step(1, "scim: POST /Users userName=alice", 9, vec![refused])
        },
        StepReport {
            status: StepStatus::Failed,
            findings: vec![
                Finding::new(
                    "body",
                    json!({"emails": [{"value": "alice@example.com", "type": "work", "primary": true}]}),
                    json!({"emails": [{"value": "alice@example.com", "primary": true}, {"value": "alice.smith@example.com", "type": "home"}]}),
                )
                .cite(Rule::Z5.into()),
            ],
            ..step(2, "get_user alice", 13, vec![long_body])
        },
    ];
    s
}

pub fn failed_again() -> ScenarioReport {
    let mut s = scenario(
        "scenarios/okta/create-user.yaml",
        "okta-create",
        "Create echoes what was sent",
        ScenarioStatus::Failed,
    );
    s.profiles = vec!["okta".into(), "zinc".into()];
    s.app = None;
    s.steps = vec![StepReport {
        status: StepStatus::Failed,
        findings: vec![
            Finding::new("status", 400, 201).cite(Rule::Z4.into()),
            Finding::new("body.userName", "Bob@Example.com", "bob@example.com"),
        ],
        line: None,
        ..step(1, "assign_user bob", 0, vec![])
    }];
    s
}

/// A passed scenario whose one step holds a warning (a numeric error `status`, which Okta
/// tolerates): cited from the catalogue, as the wire checks do.
pub fn warned() -> ScenarioReport {
    let mut s = scenario(
        "scenarios/okta/unknown-user-by-id.yaml",
        "okta-unknown-id",
        "An unknown id gets a SCIM 404",
        ScenarioStatus::Passed,
    );
    s.profiles = vec!["okta".into(), "zinc".into()];
    let mut st = step(
        1,
        "get_user ghost",
        7,
        vec![exchange(
            "GET",
            "/Users/nope",
            None,
            404,
            json!({"schemas": [ERROR_SCHEMA], "status": 404, "detail": "no such user"}),
        )],
    );
    st.fail(
        Finding::new("error body of GET /Users/nope → 404: status", "404", 404).cite(
            zinc_harness::contract::RuleId::Okta(
                zinc_harness::contract::OktaRule::ErrorStatusString,
            ),
        ),
    );
    s.steps = vec![st];
    s
}

pub fn skipped() -> ScenarioReport {
    let mut s = scenario(
        "scenarios/troubleshooting/t6-console-groups.yaml",
        "T6",
        "New console groups are missing from Okta",
        ScenarioStatus::Skipped,
    );
    s.duration = Duration::ZERO;
    s.skip_reason = Some("needs the Admin Console of the embedded mock".into());
    s
}

pub fn broken() -> ScenarioReport {
    let mut s = scenario(
        "scenarios/faults/unreachable.yaml",
        "",
        "Target that cannot be reached",
        ScenarioStatus::Broken,
    );
    s.error = Some("connection refused (127.0.0.1:9)".into());
    let mut e = exchange("GET", "/Users?count=1", None, 0, serde_json::Value::Null);
    e.response = None;
    e.error = Some("connection refused".into());
    s.steps = vec![StepReport {
        status: StepStatus::Skipped,
        ..step(1, "test_credentials", 5, vec![e])
    }];
    s
}

pub fn report(scenarios: Vec<ScenarioReport>) -> RunReport {
    RunReport {
        target: "embedded mock".into(),
        profile: "zinc".into(),
        app: "oin".into(),
        started_at: Some("2026-11-28T12:00:00Z".into()),
        duration: Duration::from_millis(1534),
        scenarios,
        stopped_early: None,
    }
}

/// Every kind of outcome in one run.
pub fn mixed() -> RunReport {
    report(vec![
        passed(),
        failed(),
        skipped(),
        broken(),
        failed_again(),
    ])
}
