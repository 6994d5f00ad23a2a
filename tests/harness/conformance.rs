//! Conformance checks of third-party SCIM servers: the Okta client against misbehaving
//! targets (each a failed action with a clear reason, never a panic or a hang), isolation and
//! clean-up on live servers, and a real server nobody here wrote (`scim2-server`). The wire
//! checks' own cases are beside them, in `harness/run/wire/cases.rs`.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use zinc_harness::okta::{ActionOutcome, Auth, OktaClient, OktaConfig, PersonProfile};
use zinc_harness::scim::USER_SCHEMA;

use crate::support::json::{get_json, strings};
use crate::support::mocks::{answering, database_is_down, scim_base};
use crate::support::scim2::Scim2Server;
use crate::support::targets;

const TOKEN: &str = "conf-S3CRET-token";

/// Every request's timeout in these tests: short, so a hang would show as a slow test, and a
/// test must finish well within `BOUND`.
const TIMEOUT: Duration = Duration::from_secs(1);
const BOUND: Duration = Duration::from_secs(20);

fn okta_at(base: &str) -> OktaClient {
    let mut c = OktaConfig::new(base, Auth::Bearer(TOKEN.into()));
    c.timeout = TIMEOUT;
    c.retry.max_wait = Duration::from_millis(50);
    let okta = OktaClient::new(c).expect("valid config");
    okta.add_person(
        "alice",
        PersonProfile::new("Alice", "Smith", "alice@example.com"),
    )
    .unwrap();
    okta.add_group("eng", "Engineering").unwrap();
    okta
}

/// The actions a conformance run starts with, each bounded by `BOUND` in all.
async fn first_actions(okta: &OktaClient) -> Vec<ActionOutcome> {
    let started = Instant::now();
    let out = tokio::time::timeout(BOUND, async {
        vec![
            okta.test_credentials().await,
            okta.assign_user("alice").await.unwrap(),
            okta.push_group("eng").await.unwrap(),
            okta.import_users().await,
        ]
    })
    .await
    .expect("the actions hung");
    assert!(started.elapsed() < BOUND);
    out
}

/// Every action failed, no secret leaked, and each message contains `reason`.
fn all_failed_with(outcomes: &[ActionOutcome], reason: &str) {
    for o in outcomes {
        assert!(!o.ok, "{} passed against a misbehaving target", o.action);
        let msg = o.message.as_deref().expect("a failed action says why");
        assert!(
            msg.contains(reason),
            "{}: {msg:?} does not say {reason:?}",
            o.action
        );
        assert!(!msg.contains(TOKEN), "the token leaked: {msg}");
        assert!(!o.exchanges.is_empty(), "{}: nothing recorded", o.action);
    }
}

mod misbehaving_targets {
    use super::*;

    #[tokio::test]
    async fn connection_refused() {
        let okta = okta_at(&targets::refused_url());
        let out = first_actions(&okta).await;
        all_failed_with(&out, "Connect to the SCIM server failed");
        assert!(out.iter().all(|o| o.exchanges[0].response.is_none()));
    }

    #[tokio::test]
    async fn a_body_that_drips_past_the_timeout() {
        let base = targets::slow_drip(Duration::from_millis(100)).await;
        let okta = okta_at(&base);
        let started = Instant::now();
        let o = okta.test_credentials().await;
        let took = started.elapsed();
        assert!(!o.ok);
        assert_eq!(
            o.message.as_deref(),
            Some("Error while testing the connection (listing users): Read timed out")
        );
        // The headers arrived: the status is recorded, the body is not.
        assert_eq!(
            o.exchanges[0].response.as_ref().map(|r| r.status),
            Some(200)
        );
        assert_eq!(o.exchanges[0].error.as_deref(), Some("Read timed out"));
        assert!(took >= TIMEOUT, "gave up before the timeout: {took:?}");
        assert!(
            took < TIMEOUT * 5,
            "the timeout did not bound the body: {took:?}"
        );
    }

    #[tokio::test]
    async fn a_50_mb_body_is_not_buffered() {
        for declared in [true, false] {
            let base = targets::huge_body(50 * 1024 * 1024, declared).await;
            let mut c = OktaConfig::new(&base, Auth::Bearer(TOKEN.into()));
            // Long enough to read 50 MB on loopback: the cap, not the timeout, must stop it.
            c.timeout = Duration::from_secs(30);
            let okta = OktaClient::new(c).unwrap();
            let started = Instant::now();
            let o = okta.test_credentials().await;
            assert!(!o.ok);
            let msg = o.message.unwrap();
            assert!(
                msg.contains("the body is larger than 4 MiB") && msg.contains("stopped reading"),
                "declared={declared}: {msg}"
            );
            if declared {
                assert!(msg.contains("Content-Length: 52428800"), "{msg}");
            }
            assert!(started.elapsed() < Duration::from_secs(15));
        }
    }

    #[tokio::test]
    async fn an_html_502_page() {
        let server = answering(ResponseTemplate::new(502).set_body_raw(
            "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
            "text/html",
        ))
        .await;
        let out = first_actions(&okta_at(&scim_base(&server))).await;
        all_failed_with(&out, "Bad Gateway. Invalid JSON: Unexpected character ('<'");
    }

    #[tokio::test]
    async fn a_200_that_is_not_json() {
        let server = answering(ResponseTemplate::new(200).set_body_raw("OK", "text/plain")).await;
        let out = first_actions(&okta_at(&scim_base(&server))).await;
        all_failed_with(&out, "Invalid JSON: Unrecognized token 'OK'");
    }

    #[tokio::test]
    async fn a_redirect_loop() {
        let server = MockServer::start().await;
        let to = format!("{}/scim/v2/Users", server.uri());
        Mock::given(any())
            .respond_with(ResponseTemplate::new(302).insert_header("Location", to.as_str()))
            .mount(&server)
            .await;
        let out = first_actions(&okta_at(&scim_base(&server))).await;
        all_failed_with(&out, "Found (302): the server redirects to");
        assert!(out[0].message.as_deref().unwrap().contains(&to));
        // Not followed: one request per action step, not a loop.
        let sent = server.received_requests().await.unwrap().len();
        assert_eq!(sent, out.len(), "each action stopped at its first 302");
    }

    #[tokio::test]
    async fn every_request_answers_500() {
        let server = answering(database_is_down()).await;
        let out = first_actions(&okta_at(&scim_base(&server))).await;
        all_failed_with(
            &out,
            "Internal Server Error. Errors reported by remote server: database is down",
        );
        // No automatic retry of a 500.
        assert!(out.iter().all(|o| o.exchanges.len() == 1));
    }
}

mod scim2_server {
    use super::*;

    #[tokio::test]
    async fn starts_answers_and_is_killed_on_drop() {
        let Some(server) = Scim2Server::start().await else {
            return;
        };
        let http = reqwest::Client::new();
        let url = format!("{}/Users?startIndex=1&count=2", server.base_url());
        let list = get_json(&url, server.token()).await;
        assert_eq!(list["totalResults"], json!(0), "{list}");
        let denied = http
            .get(format!("{}/Users", server.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(denied.status(), 401, "the bearer token is enforced");
        // The simulated Okta client gets through: the target is usable for a run.
        let mut c = OktaConfig::new(server.base_url(), Auth::Bearer(server.token().into()));
        c.timeout = Duration::from_secs(10);
        let okta = OktaClient::new(c).unwrap();
        let o = okta.test_credentials().await;
        assert!(o.ok, "{:?}", o.message);

        let port = server.port();
        drop(server);
        let gone = std::net::TcpStream::connect(("127.0.0.1", port));
        assert!(gone.is_err(), "scim2-server still listens after drop");
    }
}

/// Isolation (unique names per run), cleanup as Okta would, and run-id normalization.
mod cleanup {
    use zinc_harness::okta::{App, Body, Exchange, Response};
    use zinc_harness::report::{
        Finding, RunReport, ScenarioReport, ScenarioStatus, StepReport, StepStatus,
    };
    use zinc_harness::run::cleanup::{self, RunId};
    use zinc_harness::scenario::{self, Action};

    use super::*;

    /// A raw `POST /Users` of `user_name`, as a scenario's `scim:` step sends one.
    async fn raw_create(okta: &OktaClient, user_name: &str) -> ActionOutcome {
        let body = json!({"schemas": [USER_SCHEMA], "userName": user_name, "active": true});
        okta.raw("POST", "/Users", Some(&body)).await.unwrap()
    }

    const SCENARIO: &str = r#"
case: okta-isolation
title: names are tagged
profiles: [okta]
people:
  alice: { first: Alice, last: Smith, email: alice@example.com }
  bob: { first: Bob, last: Jones, email: jimbob@example.com }
groups:
  eng: { name: Engineering Team, members: [alice] }
steps:
  - assign_user: alice
  - update_user: alice
    set: { email: alice.smith@example.com, user_name: alice.smith@example.com }
    expect: { detail: "alice.smith@example.com is taken" }
  - scim:
      method: GET
      path: /Users?filter=userName eq "ALICE@example.com"
    expect: { body: { Resources: [ { userName: alice@example.com } ] } }
  - scim:
      method: GET
      path: /Groups?filter=displayName%20eq%20%22Engineering%20Team%22
  - push_group: eng
  - rename_group: { group: eng, to: Platform }
  - scim:
      method: PATCH
      path: "/Users/{user:alice}?x=carol.new%40example.org"
      body: { Operations: [{ op: replace, path: userName, value: Carol.New@example.org }] }
    expect: { body: { userName: Carol.New@example.org }, detail: "not an email: a@b" }
"#;

    #[test]
    fn run_ids_are_random_url_safe_and_validated() {
        let (a, b) = (RunId::random(), RunId::random());
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 8);
        assert!(RunId::new(a.as_str()).is_some());
        assert_eq!(a.tag(), format!("zh-{}", a.as_str()));
        assert!(RunId::new("Abc").is_none());
        assert!(RunId::new("a b").is_none());
        assert!(RunId::new("").is_none());
    }

    #[test]
    fn isolate_tags_every_name_and_every_mention() {
        let s = scenario::parse("iso.yaml", SCENARIO).expect("valid scenario");
        let run = RunId::new("r1n2").unwrap();
        let iso = cleanup::isolate(&s, &run);
        // The scenario's part of the tag is a stable hash of its file name: pinned here, so
        // a change that would alter names between releases (and reports) is noticed.
        assert_eq!(cleanup::scenario_tag(&s, &run), "zh-r1n2-ld20");
        let alice = iso.person("alice").unwrap();
        assert_eq!(alice.email, "zh-r1n2-ld20-alice@example.com");
        assert_eq!(alice.user_name, "zh-r1n2-ld20-alice@example.com");
        // Not confused with bob's jimbob@…, which is tagged on its own.
        assert_eq!(
            iso.person("bob").unwrap().email,
            "zh-r1n2-ld20-jimbob@example.com"
        );
        assert_eq!(
            iso.group("eng").unwrap().name,
            "zh-r1n2-ld20 Engineering Team"
        );
        // Display names are not identities: untouched.
        assert_eq!(alice.first, "Alice");
        match &iso.steps[1].action {
            Action::UpdateUser { set, .. } => {
                assert_eq!(
                    set.email.as_deref(),
                    Some("zh-r1n2-ld20-alice.smith@example.com")
                );
                assert_eq!(
                    set.user_name.as_deref(),
                    Some("zh-r1n2-ld20-alice.smith@example.com")
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            iso.steps[1].expect.as_ref().unwrap().detail.as_deref(),
            Some("zh-r1n2-ld20-alice.smith@example.com is taken")
        );
        match &iso.steps[2].action {
            // Any letter case is found, and keeps its case.
            Action::Scim(r) => assert_eq!(
                r.path,
                r#"/Users?filter=userName eq "zh-r1n2-ld20-ALICE@example.com""#
            ),
            other => panic!("{other:?}"),
        }
        assert_eq!(
            iso.steps[2].expect.as_ref().unwrap().body,
            Some(json!({"Resources": [{"userName": "zh-r1n2-ld20-alice@example.com"}]}))
        );
        match &iso.steps[3].action {
            Action::Scim(r) => assert_eq!(
                r.path,
                "/Groups?filter=displayName%20eq%20%22zh-r1n2-ld20%20Engineering%20Team%22"
            ),
            other => panic!("{other:?}"),
        }
        match &iso.steps[5].action {
            Action::RenameGroup { to, .. } => assert_eq!(to, "zh-r1n2-ld20 Platform"),
            other => panic!("{other:?}"),
        }
        // An email no person has, brought by a raw request, is tagged as well (plain or
        // %40-encoded); text that only looks like one is not.
        let t = cleanup::scenario_tag(&s, &run);
        match &iso.steps[6].action {
            Action::Scim(r) => {
                assert_eq!(
                    r.path,
                    format!("/Users/{{user:alice}}?x={t}-carol.new%40example.org")
                );
                assert_eq!(
                    r.body,
                    Some(json!({"Operations": [{"op": "replace", "path": "userName",
                    "value": format!("{t}-Carol.New@example.org")}]}))
                );
            }
            other => panic!("{other:?}"),
        }
        let e = iso.steps[6].expect.as_ref().unwrap();
        assert_eq!(
            e.body,
            Some(json!({"userName": format!("{t}-Carol.New@example.org")}))
        );
        assert_eq!(e.detail.as_deref(), Some("not an email: a@b"));
        // The original is untouched, and isolating twice with two ids gives two names.
        assert_eq!(s.person("alice").unwrap().email, "alice@example.com");
        let other = cleanup::isolate(&s, &RunId::new("zz99").unwrap());
        assert_ne!(other.person("alice").unwrap().email, alice.email);
    }

    fn report_with(run: &RunId) -> RunReport {
        let tag = run.tag();
        let email = format!("{tag}-alice@example.com");
        let exchange = Exchange {
            method: "GET".into(),
            path: format!("/Users?filter=userName%20eq%20%22{tag}-alice%40example.com%22"),
            request_headers: vec![],
            request_body: None,
            response: Some(Response {
                status: 200,
                headers: vec![],
                body: Body::Json(json!({"Resources": [{"userName": email}], email.clone(): 1})),
            }),
            error: None,
            duration: Duration::ZERO,
            okta_retry: None,
        };
        RunReport {
            target: "http://127.0.0.1:1/v2".into(),
            profile: "okta".into(),
            app: "oin".into(),
            started_at: None,
            duration: Duration::ZERO,
            scenarios: vec![ScenarioReport {
                file: "x.yaml".into(),
                case: "okta-x".into(),
                title: "x".into(),
                rules: vec![],
                profiles: vec!["okta".into()],
                app: None,
                status: ScenarioStatus::Failed,
                duration: Duration::ZERO,
                steps: vec![StepReport {
                    index: 1,
                    label: format!("assign_user {email}"),
                    line: Some(1),
                    status: StepStatus::Failed,
                    skip_reason: None,
                    findings: vec![Finding::new(
                        format!("userName of {email}"),
                        email.clone(),
                        json!({"u": email}),
                    )],
                    exchanges: vec![exchange],
                    okta_message: Some(format!("Error while creating user {email}")),
                }],
                skip_reason: None,
                error: None,
            }],
            stopped_early: None,
        }
    }

    #[test]
    fn normalizing_removes_the_run_id_so_reruns_compare_equal() {
        let (a, b) = (RunId::random(), RunId::random());
        let (mut ra, mut rb) = (report_with(&a), report_with(&b));
        assert_ne!(ra, rb);
        cleanup::normalize_run_id(&mut ra, &a);
        cleanup::normalize_run_id(&mut rb, &b);
        assert_eq!(ra, rb);
        let text = zinc_harness::report::json::render(&ra);
        assert!(!text.contains(a.as_str()), "{text}");
        assert!(text.contains("zh-<run>-alice@example.com"), "{text}");
    }

    fn created(method: &str, path: &str, status: u16, id: &str) -> Exchange {
        Exchange {
            method: method.into(),
            path: path.into(),
            request_headers: vec![],
            request_body: None,
            response: Some(Response {
                status,
                headers: vec![],
                body: Body::Json(json!({"id": id})),
            }),
            error: None,
            duration: Duration::ZERO,
            okta_retry: None,
        }
    }

    #[test]
    fn created_ids_come_from_successful_posts_only() {
        let exchanges = vec![
            created("POST", "/Users", 201, "u1"),
            created("POST", "/Users", 409, "nope"),
            created("GET", "/Users/u1", 200, "u1"),
            created("POST", "/Groups/", 201, "g1"),
            created("POST", "/Users", 201, "u1"),
            created("POST", "/Users/.search", 200, "s1"),
        ];
        let (users, groups) = cleanup::created_ids(&exchanges);
        assert_eq!(users, ["u1"]);
        assert_eq!(groups, ["g1"]);
    }

    /// Against the real scim2-server: what a scenario made is gone (groups) or inactive
    /// (users) afterwards, including what a raw request made.
    #[tokio::test]
    async fn cleanup_removes_what_the_run_made_as_okta_would() {
        let Some(server) = Scim2Server::start().await else {
            return;
        };
        for app in [App::Oin, App::Aiw] {
            let run = RunId::random();
            let tag = run.tag();
            let mut c = OktaConfig::new(server.base_url(), Auth::Bearer(server.token().into()));
            c.app = app;
            c.timeout = Duration::from_secs(10);
            let okta = OktaClient::new(c).unwrap();
            okta.add_person(
                "alice",
                PersonProfile::new("Alice", "Smith", format!("{tag}-alice@example.com")),
            )
            .unwrap();
            okta.add_person(
                "bob",
                PersonProfile::new("Bob", "Jones", format!("{tag}-bob@example.com")),
            )
            .unwrap();
            okta.add_group("eng", &format!("{tag} Engineering"))
                .unwrap();
            okta.add_to_group("eng", &["alice"]).unwrap();
            let mut log = Vec::new();
            for o in [
                okta.assign_user("alice").await.unwrap(),
                okta.assign_user("bob").await.unwrap(),
                okta.deactivate_user("bob").await.unwrap(),
                okta.push_group("eng").await.unwrap(),
                raw_create(&okta, &format!("{tag}-raw@example.com")).await,
            ] {
                assert!(o.ok, "{app}: {:?}", o.message);
                log.extend(o.exchanges);
            }
            let alice = okta.server_user_id("alice").unwrap();
            let group = okta.server_group_id("eng").unwrap();
            let (raw_users, _) = cleanup::created_ids(&log);
            let raw = raw_users.last().unwrap().clone();

            let out = cleanup::cleanup(&okta, &log).await;
            assert!(out.problems.is_empty(), "{app}: {:?}", out.problems);
            // bob was deactivated by the scenario already: nothing more is sent for him.
            assert_eq!(out.deactivated_users, [alice.clone(), raw.clone()], "{app}");
            assert_eq!(out.deleted_groups, std::slice::from_ref(&group), "{app}");
            assert!(
                out.exchanges
                    .iter()
                    .all(|e| e.method != "DELETE" || e.path.starts_with("/Groups/")),
                "{app}: Okta never deletes users"
            );
            assert_eq!(
                out.summary(),
                "cleanup: 2 users deactivated, 1 group deleted"
            );

            let http = reqwest::Client::new();
            let get = |p: String| {
                let http = http.clone();
                let url = format!("{}{p}", server.base_url());
                let token = server.token().to_owned();
                async move {
                    let r = http.get(url).bearer_auth(token).send().await.unwrap();
                    (
                        r.status().as_u16(),
                        r.json::<Value>().await.unwrap_or(Value::Null),
                    )
                }
            };
            for id in [&alice, &raw] {
                let (status, body) = get(format!("/Users/{id}")).await;
                assert_eq!(
                    (status, &body["active"]),
                    (200, &json!(false)),
                    "{app}: {body}"
                );
            }
            assert_eq!(get(format!("/Groups/{group}")).await.0, 404, "{app}");
        }
    }

    /// The clean-up speaks the scenario's personality: with Entra it disables users in the
    /// dialect's shape (legacy `"False"`, compliant `false`) with Entra's headers, deletes
    /// groups, and never sends Okta's path-less `{"active": false}` nor `DELETE /Users`.
    #[rstest::rstest]
    #[case(App::Entra, json!("False"), "Replace")]
    #[case(App::EntraCompliant, json!(false), "replace")]
    #[tokio::test]
    async fn cleanup_disables_the_way_entra_does(
        #[case] app: App,
        #[case] value: Value,
        #[case] op: &str,
    ) {
        let zinc = zinc_harness::zinc::MockZinc::start().await;
        let mut c = OktaConfig::new(zinc.base_url(), Auth::Bearer(zinc.token().unwrap()));
        c.app = app;
        let okta = OktaClient::new(c).unwrap();
        okta.add_person(
            "alice",
            PersonProfile::new("Alice", "Smith", "alice@example.com"),
        )
        .unwrap();
        okta.add_group("eng", "Engineering").unwrap();
        okta.add_to_group("eng", &["alice"]).unwrap();
        let mut log = Vec::new();
        for o in [
            okta.assign_user("alice").await.unwrap(),
            okta.push_group("eng").await.unwrap(),
            raw_create(&okta, "raw@example.com").await,
        ] {
            assert!(o.ok, "{app}: {:?}", o.message);
            log.extend(o.exchanges);
        }
        let alice = okta.server_user_id("alice").unwrap();
        let group = okta.server_group_id("eng").unwrap();
        let raw = cleanup::created_ids(&log).0.last().unwrap().clone();

        let out = cleanup::cleanup(&okta, &log).await;
        assert!(out.problems.is_empty(), "{app}: {:?}", out.problems);
        assert_eq!(out.deactivated_users, [alice.clone(), raw.clone()]);
        assert_eq!(out.deleted_groups, std::slice::from_ref(&group));
        let sent: Vec<String> = out
            .exchanges
            .iter()
            .map(|e| format!("{} {}", e.method, e.path))
            .collect();
        assert_eq!(
            sent,
            [
                format!("DELETE /Groups/{group}"),
                format!("PATCH /Users/{alice}"),
                format!("PATCH /Users/{raw}"),
            ]
        );
        for e in &out.exchanges {
            assert!(
                e.request_headers
                    .iter()
                    .any(|(k, v)| k == "ADSCIMVersion" && v == "5.0"),
                "{app}: Entra's headers on {} {}",
                e.method,
                e.path
            );
            assert!(!e.request_headers.iter().any(|(k, _)| k == "User-Agent"));
            if e.method == "PATCH" {
                let Some(Body::Json(body)) = &e.request_body else {
                    panic!("a PATCH body")
                };
                assert_eq!(
                    body["Operations"],
                    json!([{"op": op, "path": "active", "value": value}]),
                    "{app}"
                );
            }
        }
    }

    #[tokio::test]
    async fn cleanup_lists_what_it_could_not_remove_and_never_panics() {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(500).set_body_raw("<html>oops</html>", "text/html"))
            .mount(&server)
            .await;
        let okta = okta_at(&format!("{}/scim/v2", server.uri()));
        // Nothing Okta knows was provisioned; one raw create in the transcript.
        let log = vec![created("POST", "/Users", 201, "u7")];
        let out = cleanup::cleanup(&okta, &log).await;
        assert!(out.deactivated_users.is_empty());
        assert_eq!(out.problems.len(), 1, "{:?}", out.problems);
        assert!(
            out.problems[0].starts_with("user u7: "),
            "{:?}",
            out.problems
        );
        assert!(
            out.summary().contains("not removed: user u7"),
            "{}",
            out.summary()
        );
    }
}

/// `zinc-harness run --target <scim2-server> --profile okta`, the command a user runs: the
/// report (normalized) is a snapshot, reruns give the same report, the JUnit output is read
/// by a real consumer, and the server keeps nothing active of ours afterwards.
pub(crate) mod live_run {
    use std::path::PathBuf;
    use std::process::Stdio;

    use super::*;

    /// The most one `run` against scim2-server may take (it takes seconds).
    const RUN_BOUND: Duration = Duration::from_secs(240);

    pub(crate) struct Out {
        pub code: i32,
        pub stdout: String,
        pub stderr: String,
    }

    /// Runs the binary with `args` (the token passed through `ZH_CONF_TOKEN`), bounded.
    pub(crate) async fn zinc_harness(args: &[&str], token: Option<&str>) -> Out {
        let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_zinc-harness"));
        cmd.args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .kill_on_drop(true);
        if let Some(t) = token {
            cmd.env("ZH_CONF_TOKEN", t);
        }
        let out = tokio::time::timeout(RUN_BOUND, cmd.output())
            .await
            .expect("zinc-harness run hung")
            .expect("zinc-harness runs");
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn temp(name: &str) -> PathBuf {
        std::env::temp_dir().join(format!("zh-conf-{}-{name}", uuid::Uuid::new_v4().simple()))
    }

    /// What the snapshot keeps of a JSON report: outcomes, skip reasons, findings and the
    /// root causes; server ids, ports, times and durations normalized away.
    pub(crate) fn condensed(report: &Value) -> Value {
        let scenarios: Vec<Value> = report["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                if s["status"] == "skipped" {
                    return json!({"file": s["file"], "status": s["status"], "skip_reason": s["skip_reason"]});
                }
                let steps: Vec<Value> = s["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|st| {
                        st["status"] != "passed"
                            || st["label"]
                                .as_str()
                                .is_some_and(|l| l.starts_with("cleanup"))
                    })
                    .map(|st| {
                        json!({"step": st["label"], "status": st["status"],
                        "skip_reason": st["skip_reason"], "findings": st["findings"]})
                    })
                    .collect();
                json!({"file": s["file"], "case": s["case"], "status": s["status"],
                    "skip_reason": s["skip_reason"], "error": s["error"], "steps": steps})
            })
            .collect();
        let v = json!({"target": report["target"], "exit_code": report["exit_code"],
            "summary": report["summary"], "root_causes": report["root_causes"],
            "scenarios": scenarios});
        normalize(v)
    }

    /// Server ids (32 hex digits), the loopback port and anything time-like become stable.
    fn normalize(v: Value) -> Value {
        match v {
            Value::String(s) => Value::String(normalize_text(&s)),
            Value::Array(a) => Value::Array(a.into_iter().map(normalize).collect()),
            Value::Object(m) => {
                Value::Object(m.into_iter().map(|(k, v)| (k, normalize(v))).collect())
            }
            other => other,
        }
    }

    fn normalize_text(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let run = b[i..]
                .iter()
                .take_while(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
                .count();
            if run == 32 {
                out.push_str("<id>");
                i += 32;
            } else if s[i..].starts_with("127.0.0.1:") {
                let digits = b[i + 10..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                out.push_str("127.0.0.1:<port>");
                i += 10 + digits;
            } else {
                let ch = s[i..].chars().next().unwrap();
                out.push(ch);
                i += ch.len_utf8();
            }
        }
        out
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn okta_profile_against_scim2_server() {
        let Some(server) = Scim2Server::start().await else {
            return;
        };
        let base = server.base_url();
        let json_out = |f: &PathBuf| {
            vec![
                "run".to_owned(),
                "scenarios/okta".into(),
                "--target".into(),
                base.clone(),
                "--token-env".into(),
                "ZH_CONF_TOKEN".into(),
                "--profile".into(),
                "okta".into(),
                // The default number of jobs: scenarios that count the directory run alone.
                "--format".into(),
                "json".into(),
                "--output".into(),
                f.display().to_string(),
            ]
        };
        let (f1, f2, f3) = (temp("1.json"), temp("2.json"), temp("3.xml"));
        let started = Instant::now();
        let args1 = json_out(&f1);
        let run1 = zinc_harness(
            &args1.iter().map(String::as_str).collect::<Vec<_>>(),
            Some(server.token()),
        )
        .await;
        let wall = started.elapsed();
        eprintln!("run --target scim2-server --profile okta: {wall:?}");
        let r1: Value = serde_json::from_str(&std::fs::read_to_string(&f1).unwrap()).unwrap();
        assert_eq!(
            run1.code as u64,
            r1["exit_code"].as_u64().unwrap(),
            "{}",
            run1.stderr
        );
        // The readable report went to stdout, with the root-cause summary when anything failed.
        assert!(run1.stdout.contains("passed,"), "{}", run1.stdout);
        assert!(!run1.stdout.contains(server.token()) && !run1.stderr.contains(server.token()));
        let text = std::fs::read_to_string(&f1).unwrap();
        assert!(
            !text.contains(server.token()),
            "the token leaked into the JSON report"
        );
        assert!(
            !text.contains("\"zh-") || text.contains("zh-<run>"),
            "the run id is normalized"
        );
        // Every okta scenario ran to the end: none broken, none left out.
        let n_files = std::fs::read_dir("scenarios/okta").unwrap().count();
        assert_eq!(r1["summary"]["total"].as_u64().unwrap() as usize, n_files);
        assert_eq!(r1["summary"]["broken"], 0, "{}", run1.stdout);
        // Scenarios that left something active end with the cleanup, as Okta would do it
        // (the server's state after the runs, checked below, shows it missed nothing).
        let cleaned = r1["scenarios"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["steps"].as_array().unwrap().last())
            .filter(|st| st["label"].as_str().unwrap().starts_with("cleanup: "))
            .count();
        assert!(cleaned > 10, "only {cleaned} scenarios cleaned up");
        insta::assert_yaml_snapshot!("scim2_server_okta_profile", condensed(&r1));

        // A rerun on the same server (the first run's users still there, deactivated) gives
        // the same report.
        let args2 = json_out(&f2);
        let run2 = zinc_harness(
            &args2.iter().map(String::as_str).collect::<Vec<_>>(),
            Some(server.token()),
        )
        .await;
        let r2: Value = serde_json::from_str(&std::fs::read_to_string(&f2).unwrap()).unwrap();
        assert_eq!(run2.code, run1.code);
        assert_eq!(
            condensed(&r2),
            condensed(&r1),
            "a rerun gave another report"
        );

        // JUnit for CI: read back by a real JUnit consumer, counts as in the JSON report.
        let mut args3 = json_out(&f3);
        let at = args3.iter().position(|a| a == "json").unwrap();
        args3[at] = "junit".into();
        let run3 = zinc_harness(
            &args3.iter().map(String::as_str).collect::<Vec<_>>(),
            Some(server.token()),
        )
        .await;
        assert_eq!(run3.code, run1.code);
        let xml = std::fs::read_to_string(&f3).unwrap();
        crate::report::junit::well_formed(&xml);
        let suites = crate::report::junit::parse(&xml);
        let summary = &r1["summary"];
        assert_eq!(suites.tests as u64, summary["total"].as_u64().unwrap());
        assert_eq!(suites.skipped as u64, summary["skipped"].as_u64().unwrap());
        assert_eq!(
            (suites.failures + suites.errors) as u64,
            summary["failed"].as_u64().unwrap() + summary["broken"].as_u64().unwrap()
        );
        assert!(!xml.contains(server.token()));

        // After three runs the server holds nothing active of ours: users deactivated,
        // groups deleted.
        let list = async |what: &str| {
            let v = get_json(&format!("{base}/{what}?count=10000"), server.token()).await;
            v["Resources"].as_array().cloned().unwrap_or_default()
        };
        let users = list("Users").await;
        assert!(!users.is_empty(), "the runs created users");
        let active: Vec<&Value> = users
            .iter()
            .filter(|u| u["active"] != json!(false))
            .collect();
        assert!(active.is_empty(), "left active: {active:#?}");
        assert!(
            users
                .iter()
                .all(|u| u["userName"].as_str().unwrap().starts_with("zh-")),
            "every user a run made carries the run tag"
        );
        let groups = list("Groups").await;
        assert!(groups.is_empty(), "groups left: {groups:#?}");
        for f in [f1, f2, f3] {
            let _ = std::fs::remove_file(f);
        }
    }
}

mod keep {
    use super::live_run::zinc_harness;
    use super::*;

    /// `--keep` leaves what the run made (active, as the scenario left it) and says which tag
    /// to look for; the report still shows `zh-<run>`.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn keep_leaves_the_users_and_names_the_tag() {
        let Some(server) = Scim2Server::start().await else {
            return;
        };
        let out = zinc_harness(
            &[
                "run",
                "scenarios/okta/create-user.yaml",
                "--target",
                &server.base_url(),
                "--token-env",
                "ZH_CONF_TOKEN",
                "--profile",
                "okta",
                "--keep",
            ],
            Some(server.token()),
        )
        .await;
        assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
        assert!(!out.stdout.contains("cleanup:"), "{}", out.stdout);
        let tag = out
            .stderr
            .split("its names start with ")
            .nth(1)
            .and_then(|t| t.split_whitespace().next())
            .unwrap_or_else(|| panic!("no tag in {}", out.stderr))
            .to_owned();
        assert!(tag.starts_with("zh-") && tag.len() == 11, "{tag}");
        let url = format!("{}/Users?count=1000", server.base_url());
        let list = get_json(&url, server.token()).await;
        let ours: Vec<&Value> = list["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|u| u["userName"].as_str().unwrap().starts_with(&tag))
            .collect();
        assert!(
            !ours.is_empty() && ours.iter().all(|u| u["active"] == json!(true)),
            "{list}"
        );
    }
}

/// The misbehaving-target catalogue end to end: `zinc-harness run --target …` against each,
/// with a short timeout. Each run ends within a bound with the documented exit code and a
/// report that says why; none panics or hangs.
mod misbehaving_runs {
    use super::live_run::zinc_harness;
    use super::*;

    const SCENARIO: &str = r#"
case: okta-misbehaving
title: The first thing Okta does with a new app
profiles: [okta]
people:
  alice: { first: Alice, last: Smith, email: alice@example.com }
steps:
  - test_credentials:
    expect: { ok: true }
  - assign_user: alice
    expect: { ok: true, status: 201 }
"#;

    /// `zinc-harness run <scenario> --target <base> <options> --format json --output <file>`
    /// in a folder of its own (removed after): what it printed, its JSON report (null where
    /// it wrote none) and how long it took.
    async fn run_file(
        scenario: &str,
        base: &str,
        options: &[&str],
        token: Option<&str>,
    ) -> (super::live_run::Out, Value, Duration) {
        let dir = std::env::temp_dir().join(format!("zh-misb-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("scenario.yaml");
        std::fs::write(&file, scenario).unwrap();
        let report = dir.join("report.json");
        let mut args = vec!["run", file.to_str().unwrap(), "--target", base];
        args.extend(options);
        args.extend(["--format", "json", "--output", report.to_str().unwrap()]);
        let started = Instant::now();
        let out = zinc_harness(&args, token).await;
        let took = started.elapsed();
        let json = std::fs::read_to_string(&report)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(Value::Null);
        let _ = std::fs::remove_dir_all(&dir);
        (out, json, took)
    }

    async fn run_against(base: &str) -> (super::live_run::Out, Value, Duration) {
        let options = [
            "--token-env",
            "ZH_CONF_TOKEN",
            "--profile",
            "okta",
            "--timeout",
            "1",
            "--deadline",
            "60",
        ];
        let (out, json, took) = run_file(SCENARIO, base, &options, Some(TOKEN)).await;
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
        assert!(!out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN));
        (out, json, took)
    }

    /// Okta could not even pass its credential test: exit 3 before any scenario, one message
    /// on stderr that says `why` (Okta's own words), and a report file whose one broken
    /// `preflight` entry says it too, with the failed request.
    fn failed_with(out: &super::live_run::Out, report: &Value, why: &str) {
        assert_eq!(out.code, 3, "{}\n{}", out.stdout, out.stderr);
        assert!(
            out.stderr.contains(why),
            "{:?} does not say {why:?}",
            out.stderr
        );
        assert_eq!(report["exit_code"], 3, "{report}");
        let s = &report["scenarios"][0];
        assert_eq!(s["file"], "preflight", "{s}");
        assert_eq!(s["status"], "broken", "{s}");
        assert!(s["error"].as_str().unwrap_or_default().contains(why), "{s}");
        let first = &s["steps"][0];
        assert_eq!(first["status"], "failed");
        assert!(
            !first["exchanges"].as_array().unwrap().is_empty(),
            "{first}"
        );
        assert!(
            out.stdout.contains(why),
            "the readable report says why:\n{}",
            out.stdout
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn each_misbehaving_target_is_a_clear_failure() {
        let html = answering(ResponseTemplate::new(502).set_body_raw(
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
            "text/html",
        ))
        .await;
        let not_json = answering(ResponseTemplate::new(200).set_body_raw("OK", "text/plain")).await;
        let all_500 = answering(database_is_down()).await;
        let redirect = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(302).insert_header(
                "Location",
                format!("{}/scim/v2/Users", redirect.uri()).as_str(),
            ))
            .mount(&redirect)
            .await;
        let cases: Vec<(String, &str)> = vec![
            (
                scim_base(&html),
                "Bad Gateway. Invalid JSON: Unexpected character ('<'",
            ),
            (
                scim_base(&not_json),
                "Invalid JSON: Unrecognized token 'OK'",
            ),
            (
                scim_base(&all_500),
                "Internal Server Error. Errors reported by remote server: database is down",
            ),
            (scim_base(&redirect), "Found (302): the server redirects to"),
            (
                targets::slow_drip(Duration::from_millis(100)).await,
                "Read timed out",
            ),
            (
                targets::huge_body(50 * 1024 * 1024, false).await,
                "the body is larger than 4 MiB",
            ),
        ];
        for (base, why) in cases {
            let (out, report, took) = run_against(&base).await;
            failed_with(&out, &report, why);
            assert!(took < Duration::from_secs(60), "{why}: took {took:?}");
            // The wire checks see the broken error bodies too (not for a 200 or no answer).
            if why.contains("Bad Gateway") {
                let rules: Vec<&str> = report["scenarios"][0]["steps"][0]["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter_map(|f| f["rule"].as_str())
                    .collect();
                assert!(rules.contains(&"okta:error-body"), "{rules:?}");
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_whole_run_has_a_deadline() {
        // Each request gives up after 1 s; the run's deadline (2 s) cuts the scenario
        // during its second step: broken, exit 3, the steps done so far kept. The first
        // request (Okta's credential test, before any scenario) is answered at once.
        let server = MockServer::start().await;
        let list = json!({"schemas": [zinc_harness::scim::LIST_RESPONSE_SCHEMA],
            "totalResults": 0, "startIndex": 1, "itemsPerPage": 0, "Resources": []});
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(list.clone()))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(list)
                    .set_delay(Duration::from_secs(30)),
            )
            .with_priority(2)
            .mount(&server)
            .await;
        let steps = "  - test_credentials:\n".repeat(5);
        let slow = format!("case: okta-slow\ntitle: slow\nprofiles: [okta]\nsteps:\n{steps}");
        let options = ["--profile", "okta", "--timeout", "1", "--deadline", "2.5"];
        let (out, r, took) = run_file(&slow, &scim_base(&server), &options, None).await;
        assert_eq!(out.code, 3, "{}\n{}", out.stdout, out.stderr);
        assert!(took < Duration::from_secs(30), "{took:?}");
        assert!(r.is_object(), "a report was written");
        let s = &r["scenarios"][0];
        assert_eq!(s["status"], "broken");
        assert!(s["error"].as_str().unwrap().contains("deadline"), "{s}");
        let statuses = strings(&s["steps"], "status");
        assert_eq!(statuses.len(), 5, "every step is reported: {statuses:?}");
        assert!(
            statuses[0] == "failed" && statuses[4] == "skipped",
            "{statuses:?}"
        );
    }

    #[tokio::test]
    async fn a_refused_connection_is_a_broken_run() {
        let (out, _, took) = run_against(&targets::refused_url()).await;
        assert_eq!(out.code, 3, "{}", out.stderr);
        assert!(
            out.stderr.contains("the target is unreachable"),
            "{}",
            out.stderr
        );
        assert!(
            out.stderr.to_lowercase().contains("refused"),
            "{}",
            out.stderr
        );
        assert!(took < Duration::from_secs(30));
    }
}
