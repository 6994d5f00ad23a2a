//! No secret reaches a transcript or a message: not the token, not a password Okta sent,
//! not one a server echoed.

use serde_json::json;
use wiremock::MockServer;
use zinc_harness::okta::{App, Body, REDACTED};

use super::support::*;
use crate::support::runs::{builtin, live_target};

#[tokio::test]
async fn passwords_and_tokens_are_redacted_as_stored() {
    let server = MockServer::start().await;
    let okta = client(&server, App::Oin);
    people(&okta);
    on_user_filter(&server, "alice@example.com", vec![]).await;
    let password = password_of(&okta, "alice", 1);
    // A careless server echoes the password it got and the token in its answer.
    let echo = json!({
        "id": "zu-alice", "userName": "alice@example.com", "password": password,
        "note": format!("token was {TOKEN} and pw {password}")
    });
    on(&server, "POST", "/Users", ok_json(201, echo)).await;
    let o = okta.assign_user("alice").await.unwrap();
    assert!(o.ok);
    let post = &o.exchanges[1];
    let Some(Body::Json(sent)) = &post.request_body else {
        panic!()
    };
    assert_eq!(sent["password"], json!(REDACTED));
    let Body::Json(got) = &post.response.as_ref().unwrap().body else {
        panic!()
    };
    assert_eq!(got["password"], json!(REDACTED));
    assert_eq!(
        got["note"],
        json!(format!("token was {REDACTED} and pw {REDACTED}"))
    );
    let text = serde_json::to_string(&o).unwrap() + &format!("{o:?}");
    assert!(!text.contains(TOKEN) && !text.contains(&password));
    // The wire did carry the real password.
    assert_eq!(
        wire(&server).await[1].body.as_ref().unwrap()["password"],
        json!(password)
    );
}

#[tokio::test]
async fn an_error_detail_quoting_the_token_is_redacted_in_the_message() {
    let server = MockServer::start().await;
    let okta = client(&server, App::Oin);
    let answer = scim_error(401, &format!("Invalid SCIM token {TOKEN}"));
    on(&server, "GET", "/Users", answer).await;
    let o = okta.test_credentials().await;
    assert!(!o.ok);
    assert_eq!(
        o.message.as_deref(),
        Some(
            "Error while testing the connection (listing users): Unauthorized. Errors reported by remote server: Invalid SCIM token <redacted>"
        )
    );
    assert!(!serde_json::to_string(&o).unwrap().contains(TOKEN));
}

/// The `sync_password` step end to end, both personalities, against a live mock: the synced
/// passwords reach no report format, no snapshot and no line of the server's request log,
/// while the requests show that a (redacted) password was sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_synced_password_is_redacted_in_every_report_snapshot_and_log() {
    use zinc_harness::okta::{okta_user_id_in, synced_password};
    use zinc_harness::report::{json, junit, pretty};
    use zinc_harness::run::{self, RunOptions, cleanup::RunId};
    use zinc_harness::zinc::MockZinc;

    let zinc = MockZinc::start().await;
    let run_id = RunId::new("zhpwsync").unwrap();
    let opts = RunOptions {
        target: live_target(&zinc),
        run_id: run_id.clone(),
        ..RunOptions::default()
    };
    let scenarios = vec![
        builtin("okta/sync-password-zinc.yaml"),
        builtin("okta/aiw-sync-password-zinc.yaml"),
    ];
    let mut outputs = Vec::new();
    let mut passwords = Vec::new();
    for s in &scenarios {
        let one = run::run_scenario(s, &opts).await;
        assert_eq!(
            one.report.status,
            zinc_harness::report::ScenarioStatus::Passed,
            "{}",
            one.findings_text()
        );
        // The Okta id the runner seeded (`<run>/<file>`) is the one the create sent.
        let file = s.name.rsplit('/').next().unwrap();
        let okta_id = okta_user_id_in(&format!("{}/{file}", run_id.as_str()), "alice");
        let sent = one.report.steps[0]
            .exchanges
            .iter()
            .find(|e| e.method == "POST")
            .and_then(|e| match &e.request_body {
                Some(Body::Json(v)) => v["externalId"].as_str().map(str::to_owned),
                _ => None,
            });
        assert_eq!(sent.as_deref(), Some(okta_id.as_str()));
        passwords.extend((1..=2).map(|n| synced_password(&okta_id, n)));
        // Each sync's write carries a password, redacted.
        let syncs: Vec<&Body> = one
            .report
            .steps
            .iter()
            .filter(|st| st.label.starts_with("sync_password"))
            .flat_map(|st| &st.exchanges)
            .filter(|e| e.method != "GET")
            .filter_map(|e| e.request_body.as_ref())
            .collect();
        assert!(!syncs.is_empty());
        for b in syncs {
            let Body::Json(v) = b else { panic!("{b:?}") };
            let pw = v
                .pointer("/Operations/0/value/password")
                .or_else(|| v.get("password"));
            assert_eq!(pw, Some(&json!(REDACTED)), "{v}");
        }
        outputs.push(serde_json::to_string(&one.snapshot()).unwrap());
    }
    let all = run::run_all(scenarios, &opts, None).await.report;
    outputs.push(json::render(&all));
    outputs.push(junit::render(&all));
    let readable = pretty::render(
        &all,
        &pretty::PrettyOptions {
            verbose: true,
            ..pretty::PrettyOptions::default()
        },
    );
    assert!(readable.contains("sync_password alice"), "{readable}");
    outputs.push(readable);
    outputs.push(format!("{:?}", zinc.received_requests()));
    outputs.extend(zinc.received_requests().iter().map(|r| r.line()));
    for out in &outputs {
        for pw in &passwords {
            assert!(
                !out.contains(pw.as_str()),
                "the password {pw} leaked: {out}"
            );
        }
    }
}
