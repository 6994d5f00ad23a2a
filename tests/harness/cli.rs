//! The command line as a user meets it (issue 16): each test spawns the built binary, the way
//! a newcomer with only the installed `zinc-harness` would run it, from a folder of its own.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::support::json::{get_json, strings};

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_zinc-harness");
/// A scenario that passes quickly against the embedded mock, with a known step line.
const T3: &str = "t3-email-immutable";

/// An empty folder of this test's own.
pub(crate) fn empty_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zh-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `text` to the file `name` in `dir`.
fn write(dir: &Path, name: &str, text: impl AsRef<str>) {
    std::fs::write(dir.join(name), text.as_ref()).unwrap();
}

/// `zinc-harness ARGS` in `dir`, with the colour variables of the caller's terminal removed.
pub(crate) fn zh(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("ZINC_HARNESS_TOKEN")
        .stdin(Stdio::null())
        .output()
        .expect("the binary runs")
}

pub(crate) fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}
pub(crate) fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// [`zh`], which must exit with `want`.
#[track_caller]
fn zh_exits(dir: &Path, args: &[&str], want: i32) -> Output {
    let o = zh(dir, args);
    code(&o, want);
    o
}

#[track_caller]
fn code(o: &Output, want: i32) {
    assert_eq!(
        o.status.code(),
        Some(want),
        "exit code; stdout:\n{}\nstderr:\n{}",
        out(o),
        err(o)
    );
}

// -------------------------------------------------------------------------------------
// The built-in suite: visible, exportable, named so a reader can find it

#[test]
fn scenarios_export_writes_the_builtin_suite_that_check_and_run_then_read() {
    let dir = empty_dir("export");
    zh_exits(&dir, &["scenarios", "export", "suite"], 0);
    let count = zinc_harness::scenario::builtin().len();
    for (path, text) in zinc_harness::scenario::builtin() {
        let rel = path.strip_prefix("scenarios/").unwrap();
        let written = std::fs::read_to_string(dir.join("suite").join(rel)).unwrap();
        assert_eq!(&written, text, "{rel}");
    }
    // What the scenarios' `$schema` lines point at, and the format reference.
    assert!(dir.join("suite/scenario.schema.json").is_file());
    assert!(dir.join("suite/README.md").is_file());
    // Nothing is overwritten unasked.
    let again = zh_exits(&dir, &["scenarios", "export", "suite"], 2);
    assert!(err(&again).contains("already exist"), "{}", err(&again));
    zh_exits(&dir, &["scenarios", "export", "suite", "--force"], 0);
    let check = zh_exits(&dir, &["check", "-q", "suite"], 0);
    assert!(
        out(&check).contains(&format!("checked {count} scenario file(s)")),
        "{}",
        out(&check)
    );
}

#[test]
fn scenarios_show_prints_a_builtin_by_the_name_a_report_gives() {
    let dir = empty_dir("show");
    let on_disk = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/troubleshooting/t3-email-immutable.yaml"),
    )
    .unwrap();
    for name in [
        "builtin:troubleshooting/t3-email-immutable.yaml:14",
        "troubleshooting/t3-email-immutable.yaml",
        "builtin:troubleshooting/t3-email-immutable",
    ] {
        let o = zh_exits(&dir, &["scenarios", "show", name], 0);
        assert_eq!(out(&o), on_disk, "{name}");
    }
    let o = zh_exits(&dir, &["scenarios", "show", "builtin:nope.yaml"], 2);
    assert!(err(&o).contains("list --builtin"), "{}", err(&o));
}

#[test]
fn a_run_names_its_source_first_and_builtin_scenarios_as_builtin_paths() {
    let dir = empty_dir("source");
    let o = zh_exits(&dir, &["run", "--filter", T3, "--verbose"], 0);
    let text = out(&o);
    let first = text.lines().next().unwrap_or("");
    assert!(
        first.starts_with("scenarios: ") && first.contains("built into zinc-harness"),
        "{text}"
    );
    assert!(first.contains("scenarios export"), "{first}");
    // A step line of the verbose report: builtin:PATH:LINE, where `scenarios show` finds it.
    assert!(
        text.contains("(builtin:troubleshooting/t3-email-immutable.yaml:"),
        "{text}"
    );
    assert!(!text.contains("scenarios/troubleshooting/"), "{text}");
}

#[test]
fn builtin_runs_the_builtin_suite_in_a_folder_with_its_own_scenarios() {
    let dir = empty_dir("own");
    code(
        &zh(
            &dir,
            &["new", "mine", "--dir", "scenarios", "--profile", "okta"],
        ),
        0,
    );
    let local = zh_exits(&dir, &["list", "--format", "json"], 0);
    let local: Value = serde_json::from_str(&out(&local)).unwrap();
    assert_eq!(local["scenarios"].as_array().unwrap().len(), 1);
    assert_eq!(local["source"], "the folder scenarios");

    let builtin = zh_exits(&dir, &["list", "--builtin", "--format", "json"], 0);
    let builtin: Value = serde_json::from_str(&out(&builtin)).unwrap();
    let files = strings(&builtin["scenarios"], "file");
    assert_eq!(files.len(), zinc_harness::scenario::builtin().len());
    assert!(files.iter().all(|f| f.starts_with("builtin:")), "{files:?}");

    let run = zh_exits(&dir, &["run", "--builtin", "--filter", T3], 0);
    assert!(
        out(&run).contains("built into zinc-harness"),
        "{}",
        out(&run)
    );
    assert!(out(&run).contains("1 passed"), "{}", out(&run));
    // PATHS and --builtin say two different things.
    zh_exits(&dir, &["run", "--builtin", "scenarios"], 2);
}

#[test]
fn list_json_names_the_file_as_the_run_json_does() {
    let dir = empty_dir("listjson");
    let list = zh_exits(&dir, &["list", "--format", "json"], 0);
    let list: Value = serde_json::from_str(&out(&list)).unwrap();
    let entry = &list["scenarios"][0];
    assert!(entry.get("path").is_none(), "{entry}");
    let file = entry["file"].as_str().unwrap().to_owned();
    let run = zh(
        &dir,
        &[
            "run",
            "--format",
            "json",
            "--filter",
            file.trim_start_matches("builtin:"),
        ],
    );
    let report: Value = serde_json::from_str(&out(&run)).unwrap();
    assert_eq!(report["scenarios"][0]["file"], Value::String(file));
}

// -------------------------------------------------------------------------------------
// Flags that surprised

#[test]
fn auth_other_than_bearer_needs_a_target() {
    let dir = empty_dir("auth");
    for auth in ["basic", "header"] {
        let o = zh_exits(&dir, &["run", "--auth", auth, "--filter", T3], 2);
        assert!(
            err(&o).contains("needs --target") && err(&o).contains("Bearer"),
            "{}",
            err(&o)
        );
    }
    zh_exits(&dir, &["run", "--auth", "bearer", "--filter", T3], 0);
    // `explore` takes the same target flags (one definition) and checks them the same way.
    let o = zh_exits(&dir, &["explore", "--auth", "basic", "--sequences", "1"], 2);
    assert!(err(&o).contains("needs --target"), "{}", err(&o));
    let o = zh_exits(
        &dir,
        &[
            "explore",
            "--target",
            "http://127.0.0.1:9/v2",
            "--token",
            "short",
        ],
        2,
    );
    assert!(err(&o).contains("--allow-short-token"), "{}", err(&o));
}

#[test]
fn new_with_profile_okta_prints_a_run_command_that_runs_the_new_scenario() {
    let dir = empty_dir("newokta");
    let o = zh_exits(&dir, &["new", "probe", "--profile", "okta"], 0);
    let said = out(&o);
    let run_it = said
        .lines()
        .find_map(|l| l.strip_prefix("run it:"))
        .expect("a run it: line")
        .trim();
    let args: Vec<&str> = run_it
        .strip_prefix("zinc-harness ")
        .unwrap()
        .split_whitespace()
        .collect();
    let run = zh_exits(&dir, &args, 0);
    assert!(
        out(&run).contains("1 passed, 0 failed, 0 skipped"),
        "{run_it}:\n{}",
        out(&run)
    );
    // The skeleton's own comment says the same.
    let text = std::fs::read_to_string(dir.join("scenarios/probe.yaml")).unwrap();
    assert!(text.contains("run --profile okta <this file>"), "{text}");
}

#[test]
fn a_zero_timeout_says_it_must_be_more_than_zero() {
    let dir = empty_dir("timeout");
    for (flag, value, says) in [
        ("--timeout", "0", "more than 0"),
        ("--deadline", "-3", "more than 0"),
        ("--timeout", "90000", "at most 86400"),
        ("--timeout", "soon", "not a number of seconds"),
    ] {
        let o = zh_exits(&dir, &["run", &format!("{flag}={value}")], 2);
        assert!(err(&o).contains(says), "{flag} {value}: {}", err(&o));
        assert!(!err(&o).contains("between 0 and"), "{}", err(&o));
    }
}

#[test]
fn bench_names_match_run_and_small_directories_work_with_the_defaults() {
    let dir = empty_dir("bench");
    let help = zh_exits(&dir, &["bench", "--help"], 0);
    let help = out(&help);
    assert!(
        help.contains("--timeout") && help.contains("--deadline"),
        "{help}"
    );
    // Every option has a line of help after its name.
    for line in help.lines().filter(|l| l.trim_start().starts_with("--")) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let described = words
            .iter()
            .skip(1)
            .any(|w| !w.starts_with('<') && !w.starts_with('-'));
        assert!(described, "an option without help: {line}");
    }
    let o = zh_exits(
        &dir,
        &[
            "bench",
            "--users",
            "10",
            "--groups",
            "2",
            "--reads",
            "20",
            "--no-baseline",
            "--time-limit",
            "120",
            "--request-timeout",
            "10",
            "--format",
            "json",
        ],
        0,
    );
    let report: Value = serde_json::from_str(&out(&o)).unwrap();
    assert!(report.is_object(), "{report}");
    // Members per group above the users is still refused when asked for.
    zh_exits(
        &dir,
        &["bench", "--users", "10", "--members-per-group", "11"],
        2,
    );
}

#[test]
fn short_output_and_jobs_flags() {
    let dir = empty_dir("short");
    zh_exits(
        &dir,
        &[
            "run",
            "-j",
            "1",
            "-o",
            "report.json",
            "--format",
            "json",
            "--filter",
            T3,
        ],
        0,
    );
    let written: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap();
    assert_eq!(written["scenarios"].as_array().unwrap().len(), 1);
}

#[test]
fn filter_repeats_and_exclude_leaves_out() {
    let dir = empty_dir("filter");
    let o = zh_exits(
        &dir,
        &[
            "run",
            "--format",
            "json",
            "--filter",
            "t5-display",
            "--filter",
            "t8-deactivated",
            "--exclude",
            "aiw",
        ],
        0,
    );
    let report: Value = serde_json::from_str(&out(&o)).unwrap();
    let mut files = strings(&report["scenarios"], "file");
    files.sort();
    assert_eq!(
        files,
        [
            "builtin:troubleshooting/t5-display-name.yaml",
            "builtin:troubleshooting/t8-deactivated-users.yaml"
        ]
    );
    let none = zh_exits(&dir, &["run", "--filter", "t5", "--exclude", "t5"], 2);
    assert!(
        err(&none).contains("--filter \"t5\" --exclude \"t5\""),
        "{}",
        err(&none)
    );
}

#[test]
fn serve_refuses_an_empty_scope_and_takes_a_host_name() {
    let dir = empty_dir("scope");
    let o = zh_exits(&dir, &["serve", "--scope", ""], 2);
    assert!(err(&o).contains("the scope is empty"), "{}", err(&o));
    let o = zh_exits(&dir, &["serve", "--addr", "localhost"], 2);
    assert!(err(&o).contains("HOST:PORT"), "{}", err(&o));
}

/// `serve --addr localhost:0 --log`: listens on loopback, and prints one line per request
/// without the token.
#[tokio::test]
async fn serve_log_prints_one_redacted_line_per_request() {
    use tokio::io::{AsyncBufReadExt, BufReader};
    let token = "zinc_log_test_token_0123456789abcdef";
    let mut child = tokio::process::Command::new(BIN)
        .args(["serve", "--addr", "localhost:0", "--log", "--token", token])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let next = async |lines: &mut tokio::io::Lines<BufReader<tokio::process::ChildStdout>>| {
        tokio::time::timeout(std::time::Duration::from_secs(20), lines.next_line())
            .await
            .expect("a line in time")
            .unwrap()
            .expect("serve is still running")
    };
    let base = loop {
        let line = next(&mut lines).await;
        if let Some(url) = line.trim().strip_prefix("SCIM base URL:") {
            break url.trim().to_owned();
        }
    };
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    for path in [
        "/Users?filter=userName%20eq%20%22a%40example.com%22",
        "/Groups/nope",
    ] {
        http.get(format!("{base}{path}"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
    }
    // The banner (token line, "Press Ctrl-C") comes first, then the log.
    let mut logged = Vec::new();
    while logged.len() < 2 {
        let line = next(&mut lines).await;
        if line.contains(" -> ") {
            logged.push(line);
        }
    }
    assert!(
        logged[0].ends_with("GET /Users?filter=userName%20eq%20%22a%40example.com%22 -> 200"),
        "{logged:?}"
    );
    assert!(logged[1].ends_with("GET /Groups/nope -> 404"), "{logged:?}");
    assert!(logged.iter().all(|l| !l.contains(token)), "{logged:?}");
    child.kill().await.unwrap();
}

/// `run | tee log` on a terminal: the report reaches the terminal once, so the progress on
/// stderr must not print every scenario line a second time. `script` gives the run a
/// terminal for stderr while stdout goes into a pipe.
#[test]
fn a_piped_run_on_a_terminal_prints_each_scenario_line_once() {
    if Command::new("script").arg("--version").output().is_err() {
        panic!("`script` (util-linux) is needed for this test");
    }
    let dir = empty_dir("tee");
    let inner = format!("{BIN} run --filter {T3} | cat");
    let o = Command::new("script")
        .args(["-qec", &inner, "/dev/null"])
        .current_dir(&dir)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    code(&o, 0);
    let seen = out(&o);
    let lines = seen
        .lines()
        .filter(|l| l.contains("The userName (email) of a synced user cannot be changed"))
        .count();
    assert_eq!(lines, 1, "{seen}");
}

#[test]
fn cleanup_counts_a_user_that_answered_404_as_already_gone() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, MockServer, ResponseTemplate};
        use zinc_harness::okta::{Auth, Body, Exchange, OktaClient, OktaConfig, Response};
        let server = MockServer::start().await;
        Mock::given(method("PATCH"))
            .and(path("/scim/v2/Users/u1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "u1"})))
            .mount(&server)
            .await;
        Mock::given(method("PATCH"))
            .and(path("/scim/v2/Users/u2"))
            .respond_with(ResponseTemplate::new(404))
            .mount(&server)
            .await;
        let created = |id: &str| Exchange {
            method: "POST".into(),
            path: "/Users".into(),
            request_headers: Vec::new(),
            request_body: None,
            response: Some(Response {
                status: 201,
                headers: Vec::new(),
                body: Body::Json(serde_json::json!({"id": id})),
            }),
            duration: std::time::Duration::ZERO,
            okta_retry: None,
            error: None,
        };
        let okta = OktaClient::new(OktaConfig::new(
            format!("{}/scim/v2", server.uri()),
            Auth::Bearer("t".into()),
        ))
        .unwrap();
        let out = zinc_harness::run::cleanup::cleanup(&okta, &[created("u1"), created("u2")]).await;
        assert_eq!(out.deactivated_users, ["u1"]);
        assert_eq!(out.already_gone, ["u2"]);
        assert_eq!(
            out.summary(),
            "cleanup: 1 user deactivated, 0 groups deleted, 1 already gone (404)"
        );
    });
}

// -------------------------------------------------------------------------------------
// What such tools have

#[test]
fn completions_and_man_pages_come_from_the_binary() {
    let dir = empty_dir("man");
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = zh_exits(&dir, &["completions", shell], 0);
        assert!(out(&o).contains("zinc-harness"), "{shell}");
        assert!(out(&o).contains("filter"), "{shell}");
    }
    let bash = out(&zh(&dir, &["completions", "bash"]));
    assert!(
        bash.contains("scenarios") && bash.contains("--builtin"),
        "{bash}"
    );
    let man = zh_exits(&dir, &["man"], 0);
    assert!(
        out(&man).starts_with(".ie") || out(&man).contains(".TH"),
        "{}",
        out(&man)
    );
    assert!(out(&man).contains("zinc\\-harness"), "{}", out(&man));
    zh_exits(&dir, &["man", "--dir", "pages"], 0);
    for page in [
        "zinc-harness.1",
        "zinc-harness-run.1",
        "zinc-harness-scenarios.1",
    ] {
        assert!(dir.join("pages").join(page).is_file(), "{page}");
    }
}

#[test]
fn color_always_and_never_win_over_the_terminal_and_the_environment() {
    let dir = empty_dir("color");
    let always = zh_exits(&dir, &["--color", "always", "run", "--filter", T3], 0);
    assert!(out(&always).contains("\x1b["), "{}", out(&always));
    let never = Command::new(BIN)
        .args(["run", "--color", "never", "--filter", T3])
        .current_dir(&dir)
        .env("CLICOLOR_FORCE", "1")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    code(&never, 0);
    assert!(!out(&never).contains('\x1b'), "{}", out(&never));
    // auto: not a terminal here, so plain.
    let auto = zh(&dir, &["run", "--filter", T3]);
    assert!(!out(&auto).contains('\x1b'), "{}", out(&auto));
}

#[test]
fn verbose_shows_what_a_passing_scenario_exchanged() {
    let dir = empty_dir("verbose");
    let quiet = out(&zh(&dir, &["run", "--filter", T3]));
    assert!(!quiet.contains("→ POST /Users"), "{quiet}");
    let verbose = zh_exits(&dir, &["run", "-v", "--filter", T3], 0);
    let text = out(&verbose);
    assert!(text.contains("→ POST /Users"), "{text}");
    assert!(text.contains("← 201"), "{text}");
}

#[test]
fn check_json_gives_every_error_with_its_position() {
    let dir = empty_dir("checkjson");
    let broken =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenario-errors/13-unknown-person.yaml");
    let o = zh_exits(
        &dir,
        &["check", "--format", "json", broken.to_str().unwrap()],
        2,
    );
    let doc: Value = serde_json::from_str(&out(&o)).unwrap();
    assert_eq!(doc["invalid_files"], 1);
    let errors = doc["files"][0]["errors"].as_array().unwrap();
    assert_eq!(errors.len() as u64, doc["errors"].as_u64().unwrap());
    assert!(!errors.is_empty());
    for e in errors {
        assert!(e["line"].as_u64().unwrap() > 0, "{e}");
        assert!(e["column"].as_u64().unwrap() > 0, "{e}");
        assert!(!e["message"].as_str().unwrap().is_empty(), "{e}");
    }
    let ok = zh_exits(&dir, &["check", "--format", "json", "--builtin"], 0);
    let doc: Value = serde_json::from_str(&out(&ok)).unwrap();
    assert_eq!(doc["invalid_files"], 0);
    assert!(
        doc["files"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["valid"] == true)
    );
    let missing = zh_exits(&dir, &["check", "--format", "json", "nope.yaml"], 2);
    let doc: Value = serde_json::from_str(&out(&missing)).unwrap();
    assert_eq!(doc["files"][0]["file"], "nope.yaml");
}

// -------------------------------------------------------------------------------------
// Fixture errors

#[test]
fn fixture_errors_come_all_at_once_each_with_its_position_once() {
    let dir = empty_dir("fixture");
    write(
        &dir,
        "bad.yaml",
        "users:\n  - userName: not-an-email\n  - userName: a@example.com\n  - userName: A@example.com\ngroups:\n  - displayName: G\n    members: [ghost@example.com]\n",
    );
    let o = zh_exits(
        &dir,
        &["serve", "--addr", "127.0.0.1:0", "--fixture", "bad.yaml"],
        2,
    );
    let e = err(&o);
    for at in ["bad.yaml:2:", "bad.yaml:4:", "bad.yaml:7:"] {
        assert!(e.contains(at), "{at} missing:\n{e}");
    }
    assert!(
        e.contains("not an email") && e.contains("twice") && e.contains("ghost"),
        "{e}"
    );

    write(
        &dir,
        "syntax.yaml",
        "users:\n  - userName: a@example.com\n    givenName: [\n",
    );
    let o = zh_exits(
        &dir,
        &["serve", "--addr", "127.0.0.1:0", "--fixture", "syntax.yaml"],
        2,
    );
    let e = err(&o);
    assert!(e.contains("syntax.yaml:"), "{e}");
    assert!(e.contains("syntax.yaml:3:16: expected"), "{e}");
    assert!(
        !e.contains(" at line ") && !e.contains("line 3 column") && !e.contains("error: error"),
        "the position twice:\n{e}"
    );

    let o = zh_exits(
        &dir,
        &[
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--fixture",
            "missing.yaml",
        ],
        2,
    );
    let e = err(&o);
    assert!(e.contains("missing.yaml: cannot read the fixture"), "{e}");
    assert!(!e.contains(":0:0:"), "{e}");
}

// -------------------------------------------------------------------------------------
// --fail-fast

/// Three scenarios, run one at a time: the first fails (alice is created, then a check of her
/// that cannot hold), the other two would pass.
fn fail_fast_suite(name: &str) -> PathBuf {
    let dir = empty_dir(name);
    write(
        &dir,
        "a-fails.yaml",
        "case: okta-ff-a\ntitle: fails\nprofiles: [okta, zinc]\npeople:\n  alice: { first: Alice, last: A, email: alice@example.com }\n  bob: { first: Bob, last: B, email: bob@example.com }\nsteps:\n  - assign_user: alice\n    expect: { status: 409 }\n  - assign_user: bob\n",
    );
    for f in ["b", "c"] {
        write(
            &dir,
            &format!("{f}-passes.yaml"),
            format!(
                "case: okta-ff-{f}\ntitle: passes\nprofiles: [okta, zinc]\npeople:\n  carol: {{ first: Carol, last: C, email: carol@example.com }}\nsteps:\n  - assign_user: carol\n"
            ),
        );
    }
    dir
}

#[test]
fn fail_fast_starts_no_scenario_after_the_first_failure_and_says_so() {
    let dir = fail_fast_suite("fail-fast");
    let all = zh_exits(&dir, &["run", ".", "-j", "1", "--color", "never"], 1);
    assert!(
        out(&all).contains("2 passed, 1 failed, 0 skipped"),
        "{}",
        out(&all)
    );
    assert!(!out(&all).contains("Stopped early"), "{}", out(&all));

    let ff = zh(
        &dir,
        &["run", ".", "-j", "1", "--fail-fast", "--color", "never"],
    );
    // Exit 1, as for any failure: the scenarios not started are skipped, not broken.
    code(&ff, 1);
    let text = out(&ff);
    assert!(text.contains("0 passed, 1 failed, 2 skipped"), "{text}");
    assert!(
        text.contains("not started: --fail-fast stopped the run after okta-ff-a failed"),
        "{text}"
    );
    assert!(
        text.contains("Stopped early: --fail-fast: okta-ff-a failed, so no new scenario started (those under way ran to their end); 2 scenarios did not start (reported skipped)"),
        "{text}"
    );

    let json = zh_exits(
        &dir,
        &["run", ".", "-j", "1", "--fail-fast", "--format", "json"],
        1,
    );
    let r: Value = serde_json::from_str(&out(&json)).unwrap();
    assert_eq!(r["stopped_early"]["reason"], "fail_fast", "{r}");
    assert_eq!(r["stopped_early"]["scenario"], "okta-ff-a", "{r}");
    assert_eq!(r["stopped_early"]["not_started"], 2, "{r}");
    let statuses = strings(&r["scenarios"], "status");
    assert_eq!(statuses, ["failed", "skipped", "skipped"]);
}

/// Against a live server the failed scenario still cleans up what it made.
#[test]
fn fail_fast_still_cleans_up_on_a_live_target() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let zinc = runtime.block_on(zinc_harness::zinc::MockZinc::start());
    let dir = fail_fast_suite("fail-fast-live");
    let token = zinc.token().unwrap();
    let o = zh_exits(
        &dir,
        &[
            "run",
            ".",
            "-j",
            "1",
            "--fail-fast",
            "--target",
            &zinc.base_url(),
            "--token",
            &token,
            "--format",
            "json",
        ],
        1,
    );
    let r: Value = serde_json::from_str(&out(&o)).unwrap();
    let a = &r["scenarios"][0];
    assert_eq!(a["status"], "failed", "{a}");
    let last = a["steps"].as_array().unwrap().last().unwrap();
    assert!(
        last["label"].as_str().unwrap().starts_with("cleanup: "),
        "the failed scenario cleaned up: {last}"
    );
    assert_eq!(r["scenarios"][1]["status"], "skipped");
    // Zinc removes deactivated users: the clean-up left nothing.
    let users = runtime.block_on(get_json(&format!("{}/Users", zinc.base_url()), &token));
    assert_eq!(users["totalResults"], 0, "{users}");
}

// -------------------------------------------------------------------------------------
// Rule ids link to `zinc-harness rules`

#[test]
fn a_report_says_how_to_look_up_the_rules_it_cites_and_rules_prints_them() {
    let dir = empty_dir("rule-links");
    // T4's rule (Z4) broken on purpose: a userName that is not an email is refused with 400,
    // and this scenario says the server accepts it. A scenario file as a user writes it: the
    // User URN spelled out.
    write(
        &dir,
        "z4.yaml",
        "title: cites Z4\nrules: [Z4]\nprofiles: [zinc]\npeople:\n  alice: { first: Alice, last: A, email: alice@example.com }\nsteps:\n  - scim: { method: POST, path: /Users, body: { schemas: [\"urn:ietf:params:scim:schemas:core:2.0:User\"], userName: not-an-email } }\n    expect: { status: 201 }\n",
    );
    let o = zh_exits(&dir, &["run", "z4.yaml", "--color", "never"], 1);
    let text = out(&o);
    let line = text
        .lines()
        .find(|l| l.contains("look a rule up:"))
        .unwrap_or_else(|| panic!("no rule link in:\n{text}"));
    let cmd = line.trim().strip_prefix("look a rule up: ").unwrap();
    let ids: Vec<&str> = cmd
        .strip_prefix("zinc-harness rules ")
        .unwrap()
        .split(' ')
        .collect();
    assert!(ids.contains(&"Z4"), "{line}");
    // Every id the summary names, with the rule's text: the command works as printed.
    let mut args = vec!["rules"];
    args.extend(&ids);
    let rules = zh_exits(&dir, &args, 0);
    for id in &ids {
        assert!(
            out(&rules)
                .lines()
                .any(|l| l.starts_with(&format!("{id} "))),
            "{id} in:\n{}",
            out(&rules)
        );
    }
    // The JSON report's findings keep the id itself.
    let j = zh(&dir, &["run", "z4.yaml", "--format", "json"]);
    let r: Value = serde_json::from_str(&out(&j)).unwrap();
    let rules_cited: Vec<&str> = r["scenarios"][0]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["findings"].as_array().unwrap())
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(rules_cited.contains(&"Z4"), "{r}");
    // An unknown id is refused with a pointer to the list.
    zh_exits(&dir, &["rules", "Z99"], 2);
}

// -------------------------------------------------------------------------------------
// Scenario references

/// `listed:` names people as every step does: numbers and ranges of generated people too.
#[test]
fn listed_takes_numbers_and_ranges_like_every_people_reference() {
    let text = "title: listed by number\npeople:\n  generate: { count: 5, seed: 1, domain: example.com }\nsteps:\n  - assign_user: user*\n  - import_users:\n    expect: { listed: [1, \"2..3\", user004] }\n  - import_users:\n    expect: { listed: \"1..5\" }\n";
    let s = zinc_harness::scenario::parse("listed.yaml", text).expect("valid");
    let listed = |i: usize| s.steps[i].expect.as_ref().unwrap().listed.clone().unwrap();
    assert_eq!(listed(1), ["user001", "user002", "user003", "user004"]);
    assert_eq!(
        listed(2),
        ["user001", "user002", "user003", "user004", "user005"]
    );
    let dir = empty_dir("listed");
    write(&dir, "listed.yaml", text);
    let o = zh_exits(&dir, &["run", "listed.yaml"], 0);
    assert!(out(&o).contains("1 passed, 0 failed"), "{}", out(&o));
    // Its own hint's range is accepted; one past the end is refused where it is written.
    write(&dir, "bad.yaml", text.replace("\"1..5\"", "\"1..6\""));
    let bad = zh_exits(&dir, &["check", "bad.yaml"], 2);
    assert!(
        out(&bad).contains("bad.yaml:9:23: error: generated person number out of range: 1..6"),
        "{}",
        out(&bad)
    );
    assert!(out(&bad).contains("numbers from 1 to 5"), "{}", out(&bad));
    // Someone unknown: the hint offers the range form, which (above) works.
    write(&dir, "bad.yaml", text.replace("\"1..5\"", "[nobody]"));
    let bad = zh_exits(&dir, &["check", "bad.yaml"], 2);
    assert!(
        out(&bad).contains("bad.yaml:9:24: error: unknown person `nobody`")
            && out(&bad).contains("a range \"1..5\""),
        "{}",
        out(&bad)
    );
}

#[test]
fn check_catches_an_unquoted_placeholder_and_says_to_quote_it() {
    let dir = empty_dir("unquoted");
    let head = "title: unquoted\npeople:\n  jane: { first: Jane, last: D, email: jane@example.com }\nsteps:\n  - assign_user: jane\n";
    // Block style: YAML reads `{user:jane}` as the mapping {"user:jane": null}.
    write(
        &dir,
        "block.yaml",
        format!("{head}  - scim:\n      method: GET\n      path: {{user:jane}}\n"),
    );
    // A one-line step: the braces end the flow mapping, a YAML syntax error.
    write(
        &dir,
        "flow.yaml",
        format!("{head}  - scim: {{ method: GET, path: /Users/{{user:jane}} }}\n"),
    );
    let o = zh_exits(&dir, &["check", "block.yaml", "flow.yaml"], 2);
    let text = out(&o);
    assert!(
        text.contains("block.yaml:8:13: error: `{user:jane}` unquoted is a YAML mapping here, not a placeholder: quote it: \"{user:jane}\""),
        "{text}"
    );
    assert!(
        text.contains("flow.yaml:6:39: error: this is not valid YAML")
            && text.contains("quote it: \"/Users/{user:jane}\""),
        "{text}"
    );
    // Quoted, both pass.
    write(
        &dir,
        "block.yaml",
        format!("{head}  - scim:\n      method: GET\n      path: \"/Users/{{user:jane}}\"\n"),
    );
    write(
        &dir,
        "flow.yaml",
        format!("{head}  - scim: {{ method: GET, path: \"/Users/{{user:jane}}\" }}\n"),
    );
    zh_exits(&dir, &["check", "block.yaml", "flow.yaml"], 0);
}

#[test]
fn an_email_must_be_an_address() {
    let dir = empty_dir("email");
    write(
        &dir,
        "e.yaml",
        "title: numeric email\npeople:\n  jane: { first: Jane, last: D, email: 42 }\nsteps:\n  - assign_user: jane\n",
    );
    let o = zh_exits(&dir, &["check", "--format", "json", "e.yaml"], 2);
    let doc: Value = serde_json::from_str(&out(&o)).unwrap();
    let e = &doc["files"][0]["errors"][0];
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(3), Some(40)),
        "{e}"
    );
    assert_eq!(
        e["message"],
        "the email of `jane` is the number `42`, not an email address (it has no @)"
    );
}
