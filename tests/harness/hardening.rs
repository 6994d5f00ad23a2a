//! Issue #13 on the runner's side: secrets of any length stay out of reports, the command
//! line refuses what cannot work or cannot be redacted, a closed stdout ends quietly, and
//! `serve` stops on SIGTERM.

use std::io::{BufRead as _, BufReader, Lines};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Duration;

use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use zinc_harness::report::{json as json_report, pretty};
use zinc_harness::run::{self, RunOptions};
use zinc_harness::scim::LIST_RESPONSE_SCHEMA;

use crate::support::mocks::scim_base;
use crate::support::process::kill;
use crate::support::runs::{parsed, stand_in_target};

/// Echoes the request's credentials back in every way a careless server does: as a header,
/// the token alone as a header and as a whole JSON string, and inside an Authorization
/// member and a sentence.
struct Echo;

impl Respond for Echo {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let auth = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let token = auth.split_whitespace().last().unwrap_or("").to_owned();
        ResponseTemplate::new(200)
            .insert_header("X-Echo-Authorization", auth.as_str())
            .insert_header("X-Echo-Token", token.as_str())
            .set_body_json(json!({
                "schemas": [LIST_RESPONSE_SCHEMA],
                "totalResults": 0, "startIndex": 1, "itemsPerPage": 0, "Resources": [],
                "echo": {"Authorization": auth, "seen": token, "note": format!("you sent Authorization: {auth}")}
            }))
    }
}

/// `--token a9Z` against an echoing server appeared 1,581 times in a report: a secret under
/// 4 characters was never redacted.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_3_character_token_echoed_back_never_reaches_a_report() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(Echo).mount(&server).await;
    let s = parsed(
        "echo.yaml",
        "title: an echoing server\nsteps:\n  - test_credentials:\n  - scim: { method: GET, path: /Users }\n  - scim: { method: GET, path: /Groups, headers: { X-Probe: \"1\" } }\n",
    );
    let opts = RunOptions {
        target: stand_in_target(scim_base(&server), "a9Z"),
        ..RunOptions::default()
    };
    let out = run::run_all(vec![s], &opts, None).await;
    let requests = server.received_requests().await.unwrap_or_default();
    assert!(
        requests.len() >= 3,
        "the server was asked: {}",
        requests.len()
    );
    let shown = [
        json_report::render(&out.report),
        pretty::render(&out.report, &pretty::PrettyOptions::plain()),
        zinc_harness::report::junit::render(&out.report),
    ];
    for text in &shown {
        assert!(!text.contains("a9Z"), "the token leaks:\n{text}");
    }
    // It was there to redact: the echo is in the report, redacted.
    assert!(shown[0].contains("<redacted>"), "{}", shown[0]);
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zinc-harness"))
}

#[track_caller]
fn refused(args: &[&str], says: &str) {
    let out = bin().args(args).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(stderr.contains(says), "{args:?}: {stderr}");
}

#[test]
fn tokens_that_cannot_work_or_be_redacted_are_refused() {
    let target = "http://127.0.0.1:9/scim/v2";
    refused(
        &["run", "--target", target, "--token", ""],
        "--token is empty",
    );
    refused(
        &["run", "--target", target, "--token", "a9Z"],
        "--allow-short-token",
    );
    refused(
        &[
            "run", "--target", target, "--auth", "basic", "--token", "user:pw",
        ],
        "--allow-short-token",
    );
    refused(
        &[
            "run",
            "--target",
            "http://alice:s3cret-pass@127.0.0.1:9/scim/v2",
        ],
        "--auth basic",
    );
    refused(
        &["serve", "--addr", "127.0.0.1:0", "--token", ""],
        "--token is empty",
    );
    refused(
        &["serve", "--addr", "127.0.0.1:0", "--token", "short"],
        "--allow-short-token",
    );
}

/// `run … | head` panicked on the closed pipe (rc 101), for every format.
#[test]
fn a_closed_stdout_ends_quietly_with_the_usual_status() {
    for format in ["pretty", "json", "junit"] {
        let mut child = piped(&["run", "--format", format, "--filter", "okta-crud"]);
        // The reader goes away before anything is written.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("ends");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{format}: {stderr}");
        assert!(!stderr.contains("panicked"), "{format}: {stderr}");
    }
    let mut child = piped(&["list"]);
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("ends");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The binary started with `args`, its stdout and stderr piped.
fn piped(args: &[&str]) -> Child {
    bin()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts")
}

/// `serve --addr <addr>` started, with its stdout read by line (stderr kept for the end).
fn serve(addr: &str) -> (Child, Lines<BufReader<ChildStdout>>) {
    let mut child = piped(&["serve", "--addr", addr]);
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    (child, lines)
}

/// `serve` stopped on Ctrl-C only; `kill` (SIGTERM) killed it without its shutdown.
#[cfg(unix)]
#[test]
fn serve_stops_gracefully_on_sigterm() {
    let (mut child, mut lines) = serve("127.0.0.1:0");
    let listening = lines.next().expect("a line").expect("text");
    assert!(listening.contains("listening"), "{listening}");
    assert!(kill("-TERM", child.id()));
    let started = std::time::Instant::now();
    let out = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "still running");
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    assert_eq!(out.code(), Some(0), "{stderr}");
    assert!(stderr.contains("SIGTERM: stopping"), "{stderr}");
}

/// On an address beyond loopback: a loud warning, the real address, and no admin API
/// without an admin token.
#[test]
fn serve_beyond_loopback_warns_and_turns_the_admin_api_off() {
    let (child, lines) = serve("0.0.0.0:0");
    let lines: Vec<String> = lines.take(3).map(|l| l.expect("text")).collect();
    kill("-TERM", child.id());
    let out = child.wait_with_output().expect("ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("beyond loopback"), "{stderr}");
    assert!(stderr.contains("admin API is OFF"), "{stderr}");
    assert!(
        lines[1].contains("0.0.0.0:") && lines[1].contains("every interface"),
        "{lines:?}"
    );
    assert!(lines[2].contains("SCIM base URL"), "{lines:?}");
}

/// The target checks before the run outran `--deadline` (each had the whole `--timeout`).
#[test]
fn the_deadline_bounds_the_target_checks_too() {
    // Accepts connections and never answers.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().unwrap();
    let _holder = std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in listener.incoming().take(16) {
            held.push(s);
        }
    });
    let out = bin()
        .args([
            "run",
            "--target",
            &format!("http://{addr}/scim/v2"),
            "--token",
            "a-long-enough-token",
            "--timeout",
            "120",
            "--deadline",
            "1",
        ])
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains("deadline (1 s) passed while checking the target"),
        "{stderr}"
    );
}
