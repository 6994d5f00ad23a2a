//! Trustworthy verdicts on live servers (issue 18): no false alarm by default.
//!
//! - Okta ids are unique per run, scenario and person, and reproducible from the run id.
//! - The built-in suite against one shared, correct live server (the mock over HTTP, as
//!   `zinc-harness serve` runs it), with the default number of jobs, passes: scenarios that
//!   count the whole directory run alone and count relative to a baseline.
//! - Legal behaviours of servers that are not Zinc (members sorted, `display` owned by the
//!   server, `externalId` unique, deactivated users kept) pass the okta profile, also on a
//!   rerun against the same server (the first run's users still there).

use std::path::Path;

use rstest::rstest;
use serde_json::Value;
use zinc_harness::contract::ExitCode;
use zinc_harness::okta::Body;
use zinc_harness::report::{RunReport, ScenarioStatus};
use zinc_harness::run::cleanup::RunId;
use zinc_harness::run::{self, RunOptions, TargetSpec};
use zinc_harness::scenario::{self, Profile, Scenario};
use zinc_harness::zinc::{Bug, MockZinc, ZincConfig};

use crate::support::runs::live_target;

fn load_dir(dir: &str) -> Vec<Scenario> {
    scenario::yaml_files(Path::new(dir))
        .iter()
        .map(|p| scenario::load(p).unwrap_or_else(|d| panic!("{d}")))
        .collect()
}

fn live(zinc: &MockZinc, profile: Profile) -> RunOptions {
    RunOptions {
        target: live_target(zinc),
        profile,
        ..RunOptions::default()
    }
}

/// Every failed or broken scenario with its findings, for an assertion message.
fn failures(report: &RunReport) -> String {
    let mut out = String::new();
    for s in &report.scenarios {
        if matches!(s.status, ScenarioStatus::Passed | ScenarioStatus::Skipped) {
            continue;
        }
        out.push_str(&format!("{} ({:?}): {:?}\n", s.file, s.status, s.error));
        for st in &s.steps {
            for f in &st.findings {
                out.push_str(&format!(
                    "  step {} `{}`: {}: expected {}, got {}\n",
                    st.index, st.label, f.what, f.expected, f.actual
                ));
            }
        }
    }
    out
}

/// Runs `scenarios` twice on the same live server with at least 4 jobs, each round with a
/// new run id; each round must succeed (`what` names the case in a failure). The reports.
async fn passes_twice(scenarios: &[Scenario], mut opts: RunOptions, what: &str) -> Vec<RunReport> {
    opts.jobs = opts.jobs.max(4);
    let mut reports = Vec::new();
    for round in 1..=2 {
        let out = run::run_all(scenarios.to_vec(), &opts, None).await;
        assert_eq!(
            out.report.exit_code(),
            ExitCode::Success,
            "{what}round {round}:\n{}",
            failures(&out.report)
        );
        reports.push(out.report);
        opts.run_id = RunId::random();
    }
    reports
}

/// The `externalId`s the scenario's `POST /Users` sent, in order.
fn sent_external_ids(run: &run::ScenarioRun) -> Vec<String> {
    run.report
        .steps
        .iter()
        .flat_map(|s| &s.exchanges)
        .filter(|x| x.method == "POST" && x.path.ends_with("/Users"))
        .filter_map(|x| match &x.request_body {
            Some(Body::Json(v)) => v
                .get("externalId")
                .and_then(Value::as_str)
                .map(str::to_owned),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn okta_ids_are_unique_per_run_scenario_and_person_and_reproducible() {
    let text = |title: &str| {
        format!(
            "title: {title}\npeople:\n  alice: {{ first: Alice, last: Smith, email: alice@example.com }}\n  bob: {{ first: Bob, last: Jones, email: bob@example.com }}\nsteps:\n  - assign_user: [alice, bob]\n"
        )
    };
    let one = scenario::parse("scenarios/okta/one.yaml", &text("one")).unwrap();
    let two = scenario::parse("scenarios/okta/two.yaml", &text("two")).unwrap();
    let with = |id: &str| RunOptions {
        run_id: RunId::new(id).unwrap(),
        ..RunOptions::default()
    };
    let ids = |s: &Scenario, id: &'static str| {
        let (s, opts) = (s.clone(), with(id));
        async move { sent_external_ids(&run::run_scenario(&s, &opts).await) }
    };
    let a = ids(&one, "run1").await;
    assert_eq!(a.len(), 2, "{a:?}");
    assert!(
        a.iter().all(|i| i.starts_with("00u") && i.len() == 20),
        "{a:?}"
    );
    assert_ne!(a[0], a[1], "two people");
    assert_eq!(ids(&one, "run1").await, a, "the same run id: the same ids");
    let other_run = ids(&one, "run2").await;
    let other_scenario = ids(&two, "run1").await;
    for i in &a {
        assert!(!other_run.contains(i), "another run reused {i}");
        assert!(!other_scenario.contains(i), "another scenario reused {i}");
    }
}

/// The default `run --target URL --token T --profile zinc` (jobs = CPUs) against a correct
/// server passes: scenarios beside each other never see each other's users, and those that
/// count the directory run alone, relative to what the server already held (a second run
/// on the same server too).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_default_zinc_run_against_a_correct_live_server_passes() {
    let zinc = MockZinc::start().await;
    let all: Vec<Scenario> = [
        "scenarios/okta",
        "scenarios/troubleshooting",
        "scenarios/faults",
    ]
    .iter()
    .flat_map(|d| load_dir(d))
    .collect();
    for report in passes_twice(&all, live(&zinc, Profile::Zinc), "").await {
        let counted = report
            .scenarios
            .iter()
            .filter(|s| {
                s.steps
                    .first()
                    .is_some_and(|st| st.label.starts_with("baseline: "))
            })
            .count();
        assert!(
            counted >= 4,
            "only {counted} scenarios counted relative to a baseline"
        );
    }
}

/// Each legal behaviour of a SCIM server that is not Zinc passes the okta profile, on a
/// shared server, twice (the first run's deactivated users still there for the second).
/// The server is a generic one: it keeps deactivated users (as the okta-only scenarios
/// expect), and shows the behaviour under test besides.
#[rstest]
#[case::sorts_members(Bug::SortsMembers)]
#[case::owns_member_display(Bug::OwnsMemberDisplay)]
#[case::external_id_unique(Bug::ExternalIdUnique)]
#[case::keeps_deactivated_users(Bug::KeepsDeactivatedUsers)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legal_server_behaviour_passes_the_okta_profile(#[case] bug: Bug) {
    let config = ZincConfig::default()
        .with_bug(Bug::KeepsDeactivatedUsers)
        .with_bug(Bug::KeepsExtensions)
        .with_bug(bug);
    let zinc = MockZinc::start_with(config).await.unwrap();
    let okta = load_dir("scenarios/okta");
    passes_twice(&okta, live(&zinc, Profile::Okta), &format!("{bug}, ")).await;
    if bug == Bug::KeepsDeactivatedUsers {
        // The two runs left their deactivated users on the server: a later scenario's totals
        // count relative to them (Zinc's own list counters, which this server keeps too).
        let totals = scenario::load("scenarios/okta/list-counters-zinc.yaml").unwrap();
        let out = run::run_all(vec![totals], &live(&zinc, Profile::Zinc), None).await;
        assert_eq!(
            out.report.exit_code(),
            ExitCode::Success,
            "{}",
            failures(&out.report)
        );
        let first = &out.report.scenarios[0].steps[0];
        assert!(
            first.label.starts_with("baseline: the server holds ")
                && !first.label.contains(" 0 users"),
            "{}",
            first.label
        );
    }
}

/// The embedded mock with the legal behaviour on (a fresh one per scenario): the okta
/// profile passes there too.
#[rstest]
#[case::sorts_members(Bug::SortsMembers)]
#[case::owns_member_display(Bug::OwnsMemberDisplay)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_legal_member_representation_passes_the_okta_profile_embedded(#[case] bug: Bug) {
    let opts = RunOptions {
        target: TargetSpec::Embedded(
            run::Embedded::default()
                .with_bug(Bug::KeepsDeactivatedUsers)
                .with_bug(Bug::KeepsExtensions)
                .with_bug(bug),
        ),
        profile: Profile::Okta,
        ..RunOptions::default()
    };
    let out = run::run_all(load_dir("scenarios/okta"), &opts, None).await;
    assert_eq!(
        out.report.exit_code(),
        ExitCode::Success,
        "{bug}:\n{}",
        failures(&out.report)
    );
}

/// Rule attribution: the okta profile cites the scenario's `okta:` rule and its hint, never a
/// Zinc rule (the mock removes deactivated users, so Okta's CRUD test fails against it: the
/// finding says what Okta's CRUD test needs, not "[Z10] answer 404").
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_okta_profile_cites_okta_rules_only() {
    let opts = RunOptions {
        profile: Profile::Okta,
        ..RunOptions::default()
    };
    let s = scenario::load("scenarios/okta/deactivate-stays-readable.yaml").unwrap();
    let out = run::run_all(vec![s], &opts, None).await;
    assert_eq!(out.report.exit_code(), ExitCode::Failures);
    let findings: Vec<_> = out.report.scenarios[0]
        .steps
        .iter()
        .flat_map(|st| &st.findings)
        .collect();
    assert!(!findings.is_empty());
    let crud = zinc_harness::contract::spec("okta:crud-test".parse().unwrap());
    for f in findings {
        assert_eq!(f.rule.as_deref(), Some("okta:crud-test"), "{f:?}");
        assert_eq!(f.hint.as_deref(), Some(crud.hint), "{f:?}");
    }
}

/// In the zinc profile a scenario with several rules cites, per step, the one its
/// `expect: { rule: … }` names, and its hint: T4's userName check is Z4, its email check Z5.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_cites_the_rule_it_names() {
    use zinc_harness::contract::Rule;
    let s = scenario::load("scenarios/troubleshooting/t4-username-is-email.yaml").unwrap();
    let opts = RunOptions {
        target: TargetSpec::Embedded(
            run::Embedded::default()
                .with_broken_rule(Rule::Z4)
                .with_broken_rule(Rule::Z5),
        ),
        ..RunOptions::default()
    };
    let out = run::run_all(vec![s], &opts, None).await;
    let steps = &out.report.scenarios[0].steps;
    let cited = |i: usize| -> Vec<Option<String>> {
        steps[i - 1]
            .findings
            .iter()
            .map(|f| f.rule.clone())
            .collect()
    };
    assert!(!cited(1).is_empty() && cited(1).iter().all(|r| r.as_deref() == Some("Z4")));
    assert!(!cited(4).is_empty() && cited(4).iter().all(|r| r.as_deref() == Some("Z5")));
}

/// `run --target` checks that Okta can be set up with the target before any scenario: each
/// way it cannot is one message on stderr, exit 3, and a report file with that outcome.
mod preflight {
    use std::process::Stdio;
    use std::sync::Arc;
    use std::time::Duration;

    use serde_json::{Value, json};
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use wiremock::ResponseTemplate;

    use crate::support::mocks::{answering, database_is_down};

    const TOKEN: &str = "preflight-S3CRET-9f2c";

    struct Out {
        code: i32,
        stdout: String,
        stderr: String,
        json: Value,
        junit: String,
    }

    const SCENARIO: &str = "case: okta-preflight\ntitle: t\nprofiles: [okta]\npeople:\n  alice: { first: A, last: S, email: a@example.com }\nsteps:\n  - assign_user: alice\n";

    /// `run` against `base` twice, once writing JSON and once JUnit, with extra `args`.
    async fn run(base: &str, args: &[&str]) -> Out {
        let dir = std::env::temp_dir().join(format!("zh-pre-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("s.yaml");
        std::fs::write(&file, SCENARIO).unwrap();
        let go = |format: &'static str, out: std::path::PathBuf| {
            let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_zinc-harness"));
            cmd.args([
                "run",
                file.to_str().unwrap(),
                "--target",
                base,
                "--token",
                TOKEN,
                "--profile",
                "okta",
                "--timeout",
                "2",
                "--format",
                format,
                "--output",
                out.to_str().unwrap(),
            ])
            .args(args)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .kill_on_drop(true);
            async move {
                tokio::time::timeout(Duration::from_secs(60), cmd.output())
                    .await
                    .expect("run hung")
                    .unwrap()
            }
        };
        let (jf, xf) = (dir.join("r.json"), dir.join("r.xml"));
        let out = go("json", jf.clone()).await;
        let junit_out = go("junit", xf.clone()).await;
        assert_eq!(out.status.code(), junit_out.status.code());
        let json = serde_json::from_str(&std::fs::read_to_string(&jf).unwrap_or_default())
            .unwrap_or(Value::Null);
        let junit = std::fs::read_to_string(&xf).unwrap_or_default();
        let _ = std::fs::remove_dir_all(&dir);
        Out {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            json,
            junit,
        }
    }

    /// Exit 3, one `error:` line saying `why`, nothing run, the reports say it too, no token.
    fn stopped(out: &Out, why: &[&str]) {
        assert_eq!(out.code, 3, "{}\n{}", out.stdout, out.stderr);
        let errors: Vec<&str> = out
            .stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        assert_eq!(errors.len(), 1, "{}", out.stderr);
        for w in why {
            assert!(errors[0].contains(w), "{:?} does not say {w:?}", errors[0]);
        }
        assert_eq!(out.json["exit_code"], 3, "{}", out.json);
        let s = &out.json["scenarios"];
        assert_eq!(s.as_array().map(Vec::len), Some(1), "{}", out.json);
        assert_eq!(s[0]["file"], "preflight");
        assert_eq!(s[0]["status"], "broken");
        assert!(s[0]["error"].as_str().unwrap().contains(why[0]), "{}", s[0]);
        crate::report::junit::well_formed(&out.junit);
        assert!(
            out.junit.contains("preflight") && out.junit.contains(why[0]),
            "{}",
            out.junit
        );
        for text in [&out.stdout, &out.stderr, &out.junit] {
            assert!(!text.contains(TOKEN), "the token leaked");
        }
        assert!(!out.json.to_string().contains(TOKEN));
        assert!(
            !out.stdout.contains("assign_user"),
            "no scenario ran: {}",
            out.stdout
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_wrong_base_path_404() {
        let server =
            answering(ResponseTemplate::new(404).set_body_raw("Not Found", "text/plain")).await;
        let out = run(&format!("{}/api", server.uri()), &[]).await;
        stopped(&out, &["404", "base URL is probably wrong", "/api"]);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_non_scim_answer_on_users() {
        let html = answering(
            ResponseTemplate::new(200)
                .set_body_raw("<!doctype html><title>My app</title>", "text/html"),
        )
        .await;
        stopped(
            &run(&html.uri(), &[]).await,
            &["not JSON", "not a SCIM endpoint"],
        );
        let app_json =
            answering(ResponseTemplate::new(200).set_body_json(json!({"users": []}))).await;
        stopped(
            &run(&app_json.uri(), &[]).await,
            &["not a SCIM ListResponse"],
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_5xx_or_non_json_error_to_the_credential_test() {
        let s500 = answering(database_is_down()).await;
        stopped(
            &run(&s500.uri(), &[]).await,
            &["500", "Okta cannot save the app", "database is down"],
        );
        let text503 =
            answering(ResponseTemplate::new(503).set_body_raw("upstream down", "text/plain")).await;
        stopped(
            &run(&text503.uri(), &[]).await,
            &["503", "Okta cannot save the app", "Invalid JSON"],
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn https_against_a_plain_http_server() {
        let server = answering(ResponseTemplate::new(200)).await;
        let https = server.uri().replacen("http://", "https://", 1);
        stopped(
            &run(&https, &[]).await,
            &["does not speak TLS", "try http://"],
        );
    }

    /// A TLS server on loopback with the untrusted certificate of fixtures/tls: every
    /// connection gets the handshake, then is dropped.
    async fn untrusted_tls() -> String {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/tls");
        let certs: Vec<CertificateDer<'static>> =
            CertificateDer::pem_file_iter(format!("{dir}/self-signed.crt"))
                .unwrap()
                .map(Result::unwrap)
                .collect();
        let key = PrivateKeyDer::from_pem_file(format!("{dir}/self-signed.key")).unwrap();
        let config = tokio_rustls::rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(certs, key)
            .unwrap();
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((tcp, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let _ = acceptor.accept(tcp).await;
                });
            }
        });
        format!("https://127.0.0.1:{port}/scim/v2")
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn an_untrusted_certificate_names_insecure() {
        let base = untrusted_tls().await;
        stopped(
            &run(&base, &[]).await,
            &["certificate is not trusted", "--insecure"],
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_correct_target_passes_the_preflight() {
        // The control: the same run against a correct server runs its scenario.
        let mut config = zinc_harness::zinc::ZincConfig::default();
        config.token = Some(TOKEN.to_owned());
        let zinc = zinc_harness::zinc::MockZinc::start_with(config)
            .await
            .unwrap();
        let out = run(&zinc.base_url(), &[]).await;
        assert_eq!(out.code, 0, "{}\n{}", out.stdout, out.stderr);
        assert_eq!(out.json["scenarios"][0]["status"], "passed");
    }
}

/// Ctrl-C during `run --target`: the binary, spawned, gets SIGINT while a scenario runs.
#[cfg(unix)]
mod ctrl_c {
    use std::process::Stdio;
    use std::time::{Duration, Instant};

    use serde_json::Value;
    use zinc_harness::zinc::{FaultAction, FaultRule, MockZinc};

    use crate::support::json::{get_json, strings};
    use crate::support::process::kill;

    const A: &str = "case: okta-ctrl-c\ntitle: four people, one by one\nprofiles: [okta, zinc]\npeople:\n  alice: { first: Alice, last: A, email: alice@example.com }\n  bob: { first: Bob, last: B, email: bob@example.com }\n  carol: { first: Carol, last: C, email: carol@example.com }\n  dave: { first: Dave, last: D, email: dave@example.com }\nsteps:\n  - assign_user: alice\n  - assign_user: bob\n  - assign_user: carol\n  - assign_user: dave\n";
    const B: &str = "case: okta-ctrl-c-2\ntitle: one more\nprofiles: [okta, zinc]\npeople:\n  erin: { first: Erin, last: E, email: erin@example.com }\nsteps:\n  - assign_user: erin\n";

    /// A mock whose every request waits `delay` (so a run lasts), and a run of A then B
    /// against it; returns the mock, the child, the report's path.
    async fn start(delay: Duration) -> (MockZinc, tokio::process::Child, std::path::PathBuf) {
        let zinc = MockZinc::start().await;
        zinc.faults()
            .add(FaultRule {
                method: None,
                path: "*".to_owned(),
                times: None,
                delay: Some(delay),
                action: FaultAction::Pass,
            })
            .expect("a valid fault rule");
        let dir = std::env::temp_dir().join(format!("zh-int-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.yaml"), A).unwrap();
        std::fs::write(dir.join("b.yaml"), B).unwrap();
        let report = dir.join("r.json");
        let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_zinc-harness"))
            .args([
                "run",
                dir.to_str().unwrap(),
                "--target",
                &zinc.base_url(),
                "--token",
                &zinc.token().unwrap(),
                "--jobs",
                "1",
                "--format",
                "json",
                "--output",
                report.to_str().unwrap(),
            ])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        (zinc, child, report)
    }

    /// The userNames of the users the server holds (active or not).
    async fn users(zinc: &MockZinc) -> Vec<String> {
        let url = format!("{}/Users?count=1000", zinc.base_url());
        let v = get_json(&url, &zinc.token().unwrap()).await;
        v["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["userName"].as_str().unwrap().to_owned())
            .collect()
    }

    /// Waits until the run has created its first user.
    async fn first_user(zinc: &MockZinc) {
        let until = Instant::now() + Duration::from_secs(30);
        while users(zinc).await.is_empty() {
            assert!(Instant::now() < until, "the run created no user");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    fn sigint(child: &tokio::process::Child) {
        assert!(kill("-INT", child.id().expect("running")));
    }

    async fn finish(child: tokio::process::Child) -> (i32, String) {
        let out = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
            .await
            .expect("the run did not stop")
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn ctrl_c_stops_new_steps_cleans_up_and_writes_the_partial_report() {
        let (zinc, child, report) = start(Duration::from_millis(250)).await;
        first_user(&zinc).await;
        sigint(&child);
        let (code, stderr) = finish(child).await;
        assert_eq!(code, 3, "{stderr}");
        assert!(stderr.contains("interrupted"), "{stderr}");
        let tag = stderr
            .split("run tag ")
            .nth(1)
            .and_then(|t| t.get(..11))
            .unwrap_or_else(|| panic!("no run tag in {stderr}"));
        assert!(tag.starts_with("zh-"), "{tag}");
        let r: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
        let (a, b) = (&r["scenarios"][0], &r["scenarios"][1]);
        assert_eq!(a["status"], "broken", "{a}");
        assert!(a["error"].as_str().unwrap().contains("Ctrl-C"), "{a}");
        let steps = a["steps"].as_array().unwrap();
        let statuses = strings(&a["steps"], "status");
        assert_eq!(statuses[0], "passed", "{statuses:?}");
        assert!(
            statuses.contains(&"skipped"),
            "later steps did not run: {statuses:?}"
        );
        let last = steps.last().unwrap();
        assert!(
            last["label"].as_str().unwrap().starts_with("cleanup: "),
            "the clean-up ran: {last}"
        );
        assert_eq!(b["status"], "broken", "{b}");
        assert!(
            b["error"]
                .as_str()
                .unwrap()
                .contains("before this scenario started"),
            "{b}"
        );
        // Zinc removes deactivated users: the clean-up left nothing.
        assert_eq!(users(&zinc).await, Vec::<String>::new());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_second_ctrl_c_stops_at_once_and_says_what_was_left_behind() {
        let (zinc, child, report) = start(Duration::from_millis(1500)).await;
        first_user(&zinc).await;
        sigint(&child);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let second = Instant::now();
        sigint(&child);
        let (code, stderr) = finish(child).await;
        assert!(
            second.elapsed() < Duration::from_millis(1200),
            "{:?}",
            second.elapsed()
        );
        assert_eq!(code, 130, "{stderr}");
        assert!(stderr.contains("stopped at once"), "{stderr}");
        let left = users(&zinc).await;
        assert!(!left.is_empty(), "the clean-up had no time to finish");
        let tag = stderr
            .split("whose names start with ")
            .nth(1)
            .and_then(|t| t.get(..11))
            .unwrap_or_else(|| panic!("no tag in {stderr}"));
        assert!(left.iter().all(|u| u.starts_with(tag)), "{tag}: {left:?}");
        assert!(!report.exists(), "no report is written on a hard stop");
    }
}
