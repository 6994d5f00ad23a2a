//! Tests of bench: small runs, asserting the report's structure and counts (never timings).

use std::time::Duration;

use zinc_harness::bench::{self, BenchConfig, BenchError, BenchReport, Target, render};
use zinc_harness::okta::{App, Auth};
use zinc_harness::zinc::MockZinc;

fn small(app: App) -> BenchConfig {
    BenchConfig {
        // 120 users: the import reads two pages of 100.
        users: 120,
        groups: 6,
        members_per_group: 10,
        concurrency: 4,
        app,
        seed: 7,
        reads: 40,
        baseline: true,
        load: None,
        time_limit: Duration::from_secs(120),
        request_timeout: Duration::from_secs(10),
    }
}

fn phase<'a>(r: &'a BenchReport, name: &str) -> &'a bench::PhaseReport {
    r.phases
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no phase {name}: {:?}", r.phases))
}

fn kind(r: &BenchReport, name: &str) -> u64 {
    r.requests
        .iter()
        .find(|k| k.kind == name)
        .map_or(0, |k| k.requests)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn embedded_oin_run_provisions_every_user_and_group() {
    let r = bench::run(Target::Embedded, &small(App::Oin))
        .await
        .expect("bench runs");

    let names: Vec<&str> = r.phases.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "assign users",
            "push groups",
            "add members",
            "import users",
            "refresh app groups",
            "reads"
        ]
    );
    assert_eq!(r.totals.errors, 0, "{:?}", r.errors);
    assert_eq!(r.totals.failed_actions, 0, "{:?}", r.errors);
    assert!(r.errors.is_empty());

    // Every user looked up then created; every group looked up, created, then one membership
    // PATCH and Okta's rename PATCH; the import paged twice, the refresh once.
    assert_eq!(phase(&r, "assign users").actions, 120);
    assert_eq!(phase(&r, "assign users").requests, 240);
    assert_eq!(phase(&r, "push groups").requests, 12);
    assert_eq!(phase(&r, "add members").requests, 12);
    assert_eq!(phase(&r, "import users").requests, 2);
    assert_eq!(phase(&r, "refresh app groups").requests, 1);
    assert_eq!(phase(&r, "reads").requests, 40);
    assert_eq!(r.totals.requests, 240 + 12 + 12 + 2 + 1 + 40);

    assert_eq!(kind(&r, "user create"), 120);
    // 120 assignment lookups + a quarter of the reads.
    assert_eq!(kind(&r, "user lookup (userName eq)"), 130);
    assert_eq!(kind(&r, "user read"), 10);
    assert_eq!(kind(&r, "group create"), 6);
    assert_eq!(kind(&r, "group lookup (displayName eq)"), 6 + 10);
    assert_eq!(kind(&r, "group read"), 10);
    assert_eq!(kind(&r, "group patch (members)"), 6);
    assert_eq!(kind(&r, "group patch (rename)"), 6);
    assert_eq!(kind(&r, "user list page"), 2);
    assert_eq!(kind(&r, "group list page"), 1);
    for k in &r.requests {
        assert!(k.p50_ms <= k.p95_ms && k.p95_ms <= k.p99_ms && k.p99_ms <= k.max_ms);
    }

    let d = &r.directory;
    assert_eq!(d.users_created, 120);
    assert_eq!(d.users_linked, 0);
    assert_eq!(d.groups_created, 6);
    assert_eq!(d.memberships_pushed, 6);
    assert_eq!(d.imported_users, 120, "the import saw every user");
    assert_eq!(d.app_groups, 6);

    // The baseline ran the same phases; the ratios cover the phases with the same mix.
    let b = r.baseline.as_ref().expect("baseline on");
    assert_eq!(b.phases.len(), 6);
    assert_eq!(b.phases[0].requests, 240);
    assert_eq!(b.phases[0].errors, 0);
    let ratio_phases: Vec<&str> = b.ratios.iter().map(|x| x.phase.as_str()).collect();
    assert_eq!(
        ratio_phases,
        ["assign users", "push groups", "add members", "reads"]
    );
    assert!(b.ratios.iter().all(|x| x.ratio > 0.0));

    assert!(r.overhead.wait_us_per_request > 0.0);
    if cfg!(target_os = "linux") {
        assert!(r.memory.peak_rss_kib.is_some());
        assert!(r.overhead.server_cpu_us_per_request.is_some());
    }
    assert!(r.load.is_none());

    let json: serde_json::Value = serde_json::from_str(&render::json(&r)).unwrap();
    assert_eq!(json["directory"]["users_created"], 120);
    assert_eq!(json["target"], "embedded");
    let text = render::pretty(&r);
    assert!(text.contains("assign users"), "{text}");
    assert!(text.contains("target/baseline throughput"), "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn aiw_pushes_membership_with_get_and_put() {
    let mut c = small(App::Aiw);
    c.baseline = false;
    c.reads = 0;
    let r = bench::run(Target::Embedded, &c).await.expect("bench runs");
    assert_eq!(r.totals.errors, 0, "{:?}", r.errors);
    // aiw: group create is POST then GET + PUT; a membership change is GET + PUT.
    assert_eq!(phase(&r, "push groups").requests, 6 * 4);
    assert_eq!(phase(&r, "add members").requests, 6 * 2);
    assert_eq!(kind(&r, "group replace"), 12);
    assert_eq!(r.directory.users_created, 120);
    assert_eq!(r.directory.imported_users, 120);
    assert!(r.baseline.is_none());
    assert!(r.phases.iter().all(|p| p.name != "reads"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_target_links_on_rerun_and_never_shows_the_token() {
    let zinc = MockZinc::start().await;
    let token = zinc.token().unwrap();
    let live = || Target::Live {
        base_url: zinc.base_url(),
        auth: Auth::Bearer(token.clone()),
    };
    let mut c = small(App::Oin);
    c.users = 30;
    c.groups = 3;
    c.baseline = false;
    c.reads = 8;
    let first = bench::run(live(), &c).await.expect("first run");
    assert_eq!(first.directory.users_created, 30);
    assert_eq!(first.target, zinc.base_url());
    // Same seed again: Okta's lookups find everyone, so users and groups are linked.
    let again = bench::run(live(), &c).await.expect("second run");
    assert_eq!(again.totals.errors, 0, "{:?}", again.errors);
    assert_eq!(again.directory.users_created, 0);
    assert_eq!(again.directory.users_linked, 30);
    assert_eq!(again.directory.groups_linked, 3);
    for out in [render::json(&again), render::pretty(&again)] {
        assert!(!out.contains(&token), "the token leaked");
    }

    let wrong = Target::Live {
        base_url: zinc.base_url(),
        auth: Auth::Bearer("not-the-token".into()),
    };
    match bench::run(wrong, &c).await {
        Err(BenchError::Unreachable(m)) => assert!(m.contains("Unauthorized"), "{m}"),
        other => panic!("expected Unreachable, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_phase_samples_memory_every_second() {
    let mut c = small(App::Oin);
    c.users = 20;
    c.groups = 2;
    c.baseline = false;
    c.load = Some(Duration::from_secs(2));
    let r = bench::run(Target::Embedded, &c).await.expect("bench runs");
    let load = r.load.expect("load ran");
    assert!(load.requests > 0);
    assert_eq!(load.errors, 0);
    if cfg!(target_os = "linux") {
        assert!(
            load.rss_kib_samples.len() >= 2,
            "{:?}",
            load.rss_kib_samples
        );
        assert_eq!(load.rss_first_kib, load.rss_kib_samples.first().copied());
    }
}

#[tokio::test]
async fn bad_settings_are_rejected_before_anything_runs() {
    let mut c = small(App::Oin);
    c.members_per_group = 500;
    assert!(matches!(
        bench::run(Target::Embedded, &c).await,
        Err(BenchError::Config(_))
    ));
    c.members_per_group = 5;
    c.concurrency = 0;
    assert!(matches!(
        bench::run(Target::Embedded, &c).await,
        Err(BenchError::Config(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lean_recording_keeps_timing_and_requests_but_not_success_bodies() {
    use zinc_harness::okta::{Body, OktaClient, OktaConfig, PersonProfile, Recording};
    let zinc = MockZinc::start().await;
    let mut config = OktaConfig::new(zinc.base_url(), Auth::Bearer(zinc.token().unwrap()));
    config.recording = Recording::Lean;
    let okta = OktaClient::new(config).unwrap();
    okta.add_person("a", PersonProfile::new("Ann", "Lee", "ann@example.com"))
        .unwrap();
    let out = okta.assign_user("a").await.unwrap();
    assert!(out.ok, "{:?}", out.message);
    let create = &out.exchanges[1];
    assert_eq!(create.method, "POST");
    assert!(matches!(&create.request_body, Some(Body::Json(b)) if b["password"] == "<redacted>"));
    let resp = create.response.as_ref().unwrap();
    assert_eq!(resp.status, 201);
    assert_eq!(resp.body, Body::Empty);
    assert!(resp.headers.is_empty());
    // A failure is kept whole: creating the same user again is a 409 with its SCIM Error.
    let again = okta.raw("POST", "/Users", create_body(&out)).await.unwrap();
    let resp = again.exchanges[0].response.as_ref().unwrap();
    assert_eq!(resp.status, 409);
    assert!(
        matches!(&resp.body, Body::Json(b) if b["status"] == "409"),
        "{resp:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lean_reads_still_refuse_a_body_that_is_not_json() {
    // Lean reads check the answer is JSON without building it (Parsed::Checked): a proxy's
    // text page must still fail the read, as Okta's parser fails it.
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    use zinc_harness::okta::{OktaClient, OktaConfig, Recording};
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users/good"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"id":"good","members":[{"value":"x"}]}"#,
            "application/scim+json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/scim/v2/Users/text"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("error code: 502", "text/plain"))
        .mount(&server)
        .await;
    let mut config = OktaConfig::new(
        format!("{}/scim/v2", server.uri()),
        Auth::Bearer("t0ken-123456".into()),
    );
    config.recording = Recording::Lean;
    let okta = OktaClient::new(config).unwrap();
    let good = okta.raw("GET", "/Users/good", None).await.unwrap();
    assert!(good.ok, "{:?}", good.message);
    let text = okta.raw("GET", "/Users/text", None).await.unwrap();
    assert!(!text.ok, "a non-JSON 200 must fail");
    let message = text.message.unwrap_or_default();
    assert!(message.contains("Invalid JSON"), "{message}");
}

fn create_body(out: &zinc_harness::okta::ActionOutcome) -> Option<&serde_json::Value> {
    match &out.exchanges[1].request_body {
        Some(zinc_harness::okta::Body::Json(b)) => Some(b),
        _ => None,
    }
}
