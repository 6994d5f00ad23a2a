//! The runner: `zinc-harness run` as users run it (exit codes, formats, live targets, secrets)
//! and the library API (skips, deadlines, findings).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zinc_harness::contract::ExitCode;
use zinc_harness::zinc::MockZinc;

use crate::support::json::strings;
use crate::support::runs::{live_target, parsed};

fn zinc_harness(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zinc-harness"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

/// The run ended with `want`; `why` says more where it did not.
#[track_caller]
fn exited(o: &Output, want: ExitCode, why: &str) {
    assert_eq!(o.status.code(), Some(i32::from(want)), "{why}");
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A folder of its own under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let p = std::env::temp_dir().join(format!("zinc-harness-run-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
    fn file(&self, name: &str, content: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, content).unwrap();
        p.display().to_string()
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const ASSIGN: &str = r#"
title: Alice is created
people:
  alice: { first: Alice, last: Smith, email: alice@example.com }
steps:
  - assign_user: alice
    expect: { ok: true, status: 201 }
  - console: list_users
    expect: { ok: true, body: [{ userName: alice@example.com }] }
  - get_user: alice
    expect: { status: 200, body: { userName: alice@example.com, displayName: Alice Smith } }
"#;

#[test]
fn a_passing_scenario_exits_0_and_a_failing_one_1() {
    let dir = TempDir::new();
    let good = dir.file("good.yaml", ASSIGN);
    let out = zinc_harness(&["run", &good]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(
        stdout.ends_with("1 passed, 0 failed, 0 skipped\n"),
        "{stdout}"
    );
    assert!(stderr.contains("3 HTTP requests"), "{stderr}");

    let bad = dir.file("bad.yaml", &ASSIGN.replace("status: 201", "status: 200"));
    let out = zinc_harness(&["run", &bad]);
    let (stdout, _) = text(&out);
    exited(&out, ExitCode::Failures, &stdout);
    assert!(stdout.contains("status: expected 200, got 201"), "{stdout}");
    assert!(
        stdout.contains("bad.yaml:6"),
        "the failed step's file:line: {stdout}"
    );
    assert!(
        stdout.ends_with("0 passed, 1 failed, 0 skipped\n"),
        "{stdout}"
    );
}

#[test]
fn bad_input_exits_2_and_runs_nothing() {
    let dir = TempDir::new();
    let typo = dir.file("typo.yaml", &ASSIGN.replace("expect:", "expcet:"));
    let good = dir.file("good.yaml", ASSIGN);
    let out = zinc_harness(&["run", &good, &typo]);
    let (stdout, stderr) = text(&out);
    exited(&out, ExitCode::BadInput, &stderr);
    assert!(
        stderr.contains("typo.yaml:7:5"),
        "file:line:column: {stderr}"
    );
    assert!(stdout.is_empty(), "nothing ran: {stdout}");

    let out = zinc_harness(&["run", "no/such/file.yaml"]);
    exited(&out, ExitCode::BadInput, "");
    let out = zinc_harness(&["run", "--jobs", "0"]);
    exited(&out, ExitCode::BadInput, "");
    let out = zinc_harness(&["run", "--token", "t"]);
    exited(&out, ExitCode::BadInput, "--token needs --target");
    let out = zinc_harness(&["run", "--filter", "no scenario has this in its name"]);
    exited(&out, ExitCode::BadInput, "");
}

#[test]
fn an_unreachable_target_exits_3_at_once() {
    // Port 9 (discard) on loopback: nothing listens there in a test environment.
    let dir = TempDir::new();
    let file = dir.file("good.yaml", ASSIGN);
    let out = zinc_harness(&[
        "run",
        &file,
        "--target",
        "http://127.0.0.1:9/scim/v2",
        "--token",
        "secret-token-123456",
        "--timeout",
        "2",
    ]);
    let (stdout, stderr) = text(&out);
    exited(&out, ExitCode::BrokenRun, &format!("{stdout}{stderr}"));
    assert!(stderr.contains("unreachable"), "{stderr}");
    assert!(!stderr.contains("secret-token-123456") && !stdout.contains("secret-token-123456"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_credential_exits_3_with_one_message() {
    // A wrong token used to fail every scenario with the same 401; Okta's credential test
    // runs first now and stops the run.
    let zinc = MockZinc::start().await;
    let dir = TempDir::new();
    let file = dir.file("good.yaml", ASSIGN);
    let base = zinc.base_url();
    let wrong = "wrong-token-5f3a9c";
    let run = |token: Option<&'static str>| {
        let mut args = vec![
            "run".to_owned(),
            file.clone(),
            "--target".to_owned(),
            base.clone(),
        ];
        if let Some(t) = token {
            args.extend(["--token".to_owned(), t.to_owned()]);
        }
        tokio::task::spawn_blocking(move || {
            Command::new(env!("CARGO_BIN_EXE_zinc-harness"))
                .args(args)
                .env("NO_COLOR", "1")
                .output()
                .unwrap()
        })
    };
    let out = run(Some(wrong)).await.unwrap();
    let (stdout, stderr) = text(&out);
    exited(&out, ExitCode::BrokenRun, &format!("{stdout}{stderr}"));
    assert!(
        stderr.contains("refused the credential") && stderr.contains("401"),
        "{stderr}"
    );
    assert!(stdout.is_empty(), "no scenario ran: {stdout}");
    assert!(!stderr.contains(wrong), "the token leaked: {stderr}");
    // No token at all: the same stop, saying what is missing.
    let out = run(None).await.unwrap();
    let (_, stderr) = text(&out);
    exited(&out, ExitCode::BrokenRun, "");
    assert!(stderr.contains("no credential was given"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_target_runs_okta_steps_skips_console_steps_and_never_shows_the_token() {
    let zinc = MockZinc::start().await;
    let token = zinc.token().unwrap();
    let dir = TempDir::new();
    let file = dir.file("live.yaml", ASSIGN);
    let json_path = dir.path("report.json");
    let base = zinc.base_url();
    let args: Vec<String> = [
        "run",
        file.as_str(),
        "--target",
        base.as_str(),
        "--token-env",
        "ZH_TEST_TOKEN",
        "--format",
        "json",
        "--output",
        json_path.to_str().unwrap(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let out = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_zinc-harness"))
            .args(args)
            .env("ZH_TEST_TOKEN", &token)
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    })
    .await
    .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "skips never fail a run: {stdout}{stderr}"
    );
    let token = zinc.token().unwrap();
    let json = std::fs::read_to_string(&json_path).unwrap();
    for s in [&stdout, &stderr, &json] {
        assert!(!s.contains(&token), "the token leaked: {s}");
    }
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["target"], base.as_str());
    let steps = &doc["scenarios"][0]["steps"];
    assert_eq!(steps[0]["status"], "passed");
    assert_eq!(steps[1]["status"], "skipped");
    assert!(
        steps[1]["skip_reason"]
            .as_str()
            .unwrap()
            .contains("Admin Console"),
        "{}",
        steps[1]
    );
    assert_eq!(steps[2]["status"], "passed");
    // Cleanup: what the scenario made is gone from the live server (no --keep).
    assert!(
        zinc.admin().list_users().is_empty(),
        "the user was cleaned up"
    );
}

#[test]
fn junit_goes_to_the_file_and_the_readable_report_to_stdout() {
    let dir = TempDir::new();
    let file = dir.file("good.yaml", ASSIGN);
    let xml = dir.path("junit.xml");
    let out = zinc_harness(&[
        "run",
        &file,
        "--format",
        "junit",
        "--output",
        xml.to_str().unwrap(),
    ]);
    let (stdout, _) = text(&out);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains("1 passed"), "{stdout}");
    let xml = std::fs::read_to_string(xml).unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(xml.contains("<testcase"), "{xml}");
}

#[test]
fn the_builtin_suite_runs_from_any_folder() {
    // Outside the checkout there is no ./scenarios: the built-in scenarios run.
    let dir = TempDir::new();
    let out = Command::new(env!("CARGO_BIN_EXE_zinc-harness"))
        .args(["run", "--filter", "T3", "--format", "json"])
        .current_dir(Path::new(&dir.0))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let files = strings(&doc["scenarios"], "file");
    assert!(
        files.contains(&"builtin:troubleshooting/t3-email-immutable.yaml"),
        "{files:?}"
    );
}

fn parse(text: &str) -> zinc_harness::scenario::Scenario {
    parsed("inline.yaml", text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scenario_needing_other_mock_settings_is_skipped_on_a_live_target() {
    use zinc_harness::report::ScenarioStatus;
    use zinc_harness::run::{self, RunOptions};
    let zinc = MockZinc::start().await;
    let s = parse(
        "title: t\nzinc: { provisioning: disabled }\nsteps:\n  - test_credentials:\n    expect: { ok: false, status: 401 }\n",
    );
    let opts = RunOptions {
        target: live_target(&zinc),
        ..RunOptions::default()
    };
    let out = run::run_all(vec![s.clone()], &opts, None).await;
    let r = &out.report.scenarios[0];
    assert_eq!(r.status, ScenarioStatus::Skipped);
    assert!(
        r.skip_reason
            .as_deref()
            .unwrap()
            .contains("provisioning: disabled"),
        "{:?}",
        r.skip_reason
    );
    assert_eq!(
        out.report.exit_code(),
        ExitCode::Success,
        "a skip never fails a run"
    );
    assert_eq!(out.requests, 0);
    // The same scenario on the embedded mock runs and passes.
    let out = run::run_all(vec![s], &RunOptions::default(), None).await;
    assert_eq!(out.report.scenarios[0].status, ScenarioStatus::Passed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_run_deadline_stops_a_hanging_scenario_as_broken() {
    use std::time::{Duration, Instant};
    use zinc_harness::report::ScenarioStatus;
    use zinc_harness::run::{self, RunOptions};
    let hang = parse(
        "title: hangs\npeople:\n  alice: { first: A, last: S, email: a@example.com }\nsteps:\n  - fault: { path: \"/Users*\", delay_ms: 60000 }\n  - assign_user: alice\n",
    );
    let quick = parse(
        "title: quick\npeople:\n  bob: { first: B, last: S, email: b@example.com }\nsteps:\n  - assign_user: bob\n",
    );
    let opts = RunOptions {
        deadline: Duration::from_millis(500),
        timeout: Duration::from_secs(30),
        ..RunOptions::default()
    };
    let started = Instant::now();
    let out = run::run_all(vec![hang, quick], &opts, None).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    let s = &out.report.scenarios;
    assert_eq!(s[0].status, ScenarioStatus::Broken);
    assert!(s[0].error.as_deref().unwrap().contains("deadline"));
    assert_eq!(
        s[1].status,
        ScenarioStatus::Passed,
        "the other scenario is kept"
    );
    assert_eq!(out.report.exit_code(), ExitCode::BrokenRun);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn findings_name_the_mismatch_the_rule_and_a_fix() {
    use zinc_harness::report::{ScenarioStatus, StepStatus};
    use zinc_harness::run::{self, RunOptions};
    let s = parse(
        r#"title: t
rules: [Z7]
people:
  alice: { first: Alice, last: Smith, email: alice@example.com }
steps:
  - assign_user: alice
  - update_user: alice
    set: { user_name: alice.smith@example.com }
    expect: { ok: true, status: 200 }
  - scim: { method: GET, path: "/Users/{user:alice}" }
    expect: { body: { id: "{user:alice}", userName: alice.smith@example.com, emails: [] } }
  - scim: { method: GET, path: "/Users/{user:alice}" }
    expect: { body: { id: "{user:alice}", emails: [{ value: alice@example.com }] } }
"#,
    );
    let run = run::run_scenario(&s, &RunOptions::default()).await;
    let r = &run.report;
    assert_eq!(r.status, ScenarioStatus::Failed, "{}", run.findings_text());
    let st: Vec<StepStatus> = r.steps.iter().map(|s| s.status).collect();
    assert_eq!(
        st,
        [
            StepStatus::Passed,
            StepStatus::Failed,
            StepStatus::Failed,
            StepStatus::Passed
        ],
        "{}",
        run.findings_text()
    );
    let f = &r.steps[1].findings;
    assert_eq!(f[0].what, "ok");
    assert_eq!(f[1].what, "status");
    assert_eq!(f[1].expected, 200);
    assert_eq!(f[1].actual, 400);
    assert_eq!(f[1].rule.as_deref(), Some("Z7"));
    assert!(f[1].hint.as_deref().unwrap().contains("mutability"));
    // The first mismatch of the body, by path; ids compared as placeholders.
    let f = &r.steps[2].findings;
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].what, "body.userName");
    assert_eq!(f[0].actual, "alice@example.com");
    assert_eq!(r.steps[1].line, Some(7));
    assert_eq!(run.requests(), 2 + 2 + 1 + 1);
}

#[test]
fn run_help_gives_okta_s_timeout_how_to_lower_it_and_the_429_wait() {
    let o = zinc_harness(&["run", "--help"]);
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(0));
    let flat = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("Okta's 60 by default. Lower it (e.g. `--timeout 5`)")
            && flat.contains("[default: 60]"),
        "{out}"
    );
    assert!(
        flat.contains("--retry-wait <SECS>") && flat.contains("[default: 0.1]"),
        "{out}"
    );
    for bad in ["-1", "3601", "soon"] {
        let o = zinc_harness(&["run", &format!("--retry-wait={bad}")]);
        assert_eq!(o.status.code(), Some(2), "--retry-wait {bad}");
        assert!(text(&o).1.contains(bad), "{}", text(&o).1);
    }
}

/// Two 429s without Retry-After before the create succeeds: Okta would wait 5 and 10
/// minutes; the run waits what `--retry-wait` (or the scenario's `retry_wait_ms`) allows.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_429_wait_is_the_run_s_bound_or_the_scenario_s() {
    use std::time::{Duration, Instant};
    use zinc_harness::report::ScenarioStatus;
    use zinc_harness::run::{self, RunOptions};
    let throttled = |okta: &str| {
        parse(&format!(
            "title: throttled\n{okta}people:\n  alice: {{ first: A, last: S, email: a@example.com }}\nsteps:\n  - fault: {{ method: POST, path: /Users, times: 2, status: 429 }}\n  - assign_user: alice\n    expect: {{ ok: true, status: 201 }}\n"
        ))
    };
    // Runs `s` with `retry_wait` as the run's bound on a real wait: it passes; how long it took.
    let passes = async |s: &zinc_harness::scenario::Scenario, retry_wait: Duration| {
        let opts = RunOptions {
            retry_wait,
            ..RunOptions::default()
        };
        let started = Instant::now();
        let out = run::run_scenario(s, &opts).await;
        let took = started.elapsed();
        assert_eq!(
            out.report.status,
            ScenarioStatus::Passed,
            "{}",
            out.findings_text()
        );
        (out, took)
    };
    let (out, took) = passes(&throttled(""), Duration::from_millis(200)).await;
    assert!(
        took >= Duration::from_millis(400),
        "two waits of 200 ms: {took:?}"
    );
    let notes: Vec<&str> = out.report.steps[1]
        .exchanges
        .iter()
        .filter_map(|e| e.okta_retry.as_deref())
        .collect();
    assert_eq!(
        notes,
        [
            "Okta would retry in 300 s; this server sent no Retry-After",
            "Okta would retry in 600 s; this server sent no Retry-After"
        ]
    );

    let zero = throttled("okta: { retry_wait_ms: 0 }\n");
    let (_, took) = passes(&zero, Duration::from_secs(30)).await;
    assert!(
        took < Duration::from_secs(10),
        "the scenario's 0 ms wins over the run's 30 s: {took:?}"
    );
}

#[test]
fn a_429_without_retry_after_warns_and_the_run_exits_0() {
    let o = zinc_harness(&["run", "--builtin", "--filter", "rate-limit-no-retry-after"]);
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{err}");
    assert!(
        out.contains("1 passed, 0 failed, 0 skipped, 3 warnings"),
        "{out}"
    );
    assert!(
        out.contains("Okta would retry in 600 s; this server sent no Retry-After")
            && out.contains("[okta:retry-after]"),
        "{out}"
    );
}

#[test]
fn the_readme_example_is_a_real_scenario_file() {
    // The README shows scenarios/troubleshooting/t3-email-immutable.yaml in full; that file
    // runs as a test with its snapshot, so the example is known to work as printed.
    let readme = std::fs::read_to_string("README.md").unwrap();
    let at = readme
        .find("### A scenario file")
        .expect("the README's example section");
    let start = readme[at..].find("```yaml\n").expect("a yaml block") + at + 8;
    let end = readme[start..].find("```\n").expect("the block ends") + start;
    let file =
        std::fs::read_to_string("scenarios/troubleshooting/t3-email-immutable.yaml").unwrap();
    assert_eq!(
        &readme[start..end],
        file,
        "README.md's example differs from the file"
    );
}
