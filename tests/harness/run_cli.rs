//! `zinc-harness run` as users run it: exit codes, formats, live targets, secrets.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use zinc_harness::cli::exit_codes;
use zinc_harness::zinc::MockZinc;

fn zinc_harness(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zinc-harness"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
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
    assert_eq!(
        out.status.code(),
        Some(i32::from(exit_codes::FAILURES)),
        "{stdout}"
    );
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
    assert_eq!(
        out.status.code(),
        Some(i32::from(exit_codes::BAD_INPUT)),
        "{stderr}"
    );
    assert!(
        stderr.contains("typo.yaml:7:5"),
        "file:line:column: {stderr}"
    );
    assert!(stdout.is_empty(), "nothing ran: {stdout}");

    let out = zinc_harness(&["run", "no/such/file.yaml"]);
    assert_eq!(out.status.code(), Some(i32::from(exit_codes::BAD_INPUT)));
    let out = zinc_harness(&["run", "--jobs", "0"]);
    assert_eq!(out.status.code(), Some(i32::from(exit_codes::BAD_INPUT)));
    let out = zinc_harness(&["run", "--token", "t"]);
    assert_eq!(
        out.status.code(),
        Some(i32::from(exit_codes::BAD_INPUT)),
        "--token needs --target"
    );
    let out = zinc_harness(&["run", "--filter", "no scenario has this in its name"]);
    assert_eq!(out.status.code(), Some(i32::from(exit_codes::BAD_INPUT)));
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
    assert_eq!(
        out.status.code(),
        Some(i32::from(exit_codes::BROKEN_RUN)),
        "{stdout}{stderr}"
    );
    assert!(stderr.contains("unreachable"), "{stderr}");
    assert!(!stderr.contains("secret-token-123456") && !stdout.contains("secret-token-123456"));
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
    let files: Vec<&str> = doc["scenarios"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"scenarios/troubleshooting/t3-email-immutable.yaml"),
        "{files:?}"
    );
}
