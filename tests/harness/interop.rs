//! The interop matrix: the okta profile against real third-party SCIM servers (SCIMMY,
//! better-auth's SCIM plugin, django-scim2; scim2-server is in `conformance.rs`), as `oin` and
//! as `aiw`, each report a snapshot; and the zinc profile against our own reference server,
//! written from `zinc-contract.md` alone, which must pass. Every failure in these snapshots is
//! triaged in `docs/interop.md` (the server's defect, and the evidence Okta breaks on it).

use std::collections::BTreeSet;
use std::path::PathBuf;

use rstest::rstest;
use serde_json::Value;

use crate::conformance::live_run::{condensed, zinc_harness};
use crate::support::servers::{Kind, Server};

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!(
        "zh-interop-{}-{name}",
        uuid::Uuid::new_v4().simple()
    ))
}

/// `run ARGS --target <server> … --format json`: the report, and stdout for messages.
async fn run_json(server: &Server, extra: &[&str]) -> (Value, String) {
    let out_file = temp("report.json");
    let base = server.base_url();
    let out_path = out_file.display().to_string();
    let mut args = vec!["run"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&[
        "--target",
        &base,
        "--token-env",
        "ZH_CONF_TOKEN",
        "--format",
        "json",
        "--output",
        &out_path,
    ]);
    let out = zinc_harness(&args, Some(server.token())).await;
    let text = std::fs::read_to_string(&out_file).unwrap_or_else(|e| {
        panic!(
            "no report from {args:?} ({e}): exit {}\n{}\n{}",
            out.code, out.stdout, out.stderr
        )
    });
    let _ = std::fs::remove_file(&out_file);
    assert!(
        !text.contains(server.token()) && !out.stdout.contains(server.token()),
        "the token leaked"
    );
    let report: Value = serde_json::from_str(&text).expect("the JSON report parses");
    assert_eq!(
        out.code as u64,
        report["exit_code"].as_u64().unwrap(),
        "{}",
        out.stderr
    );
    (report, out.stdout)
}

/// Every id the server made (the `id` of each resource it returned), long enough to be
/// replaced safely: uuids, better-auth's random ids. (django-scim2's ids are small integers,
/// the same on every fresh server with `--jobs 1`.)
fn server_ids(report: &Value) -> BTreeSet<String> {
    fn walk(v: &Value, out: &mut BTreeSet<String>) {
        match v {
            Value::Object(m) => {
                if let Some(Value::String(id)) = m.get("id")
                    && id.len() >= 16
                {
                    out.insert(id.clone());
                }
                m.values().for_each(|v| walk(v, out));
            }
            Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    walk(report, &mut out);
    out
}

/// Findings kept per step in a snapshot.
const MAX_FINDINGS: usize = 4;

/// The condensed report with the server's ids and timestamps made stable.
fn snapshot_of(report: &Value) -> Value {
    let ids = server_ids(report);
    fn scrub(v: Value, ids: &BTreeSet<String>) -> Value {
        match v {
            Value::String(mut s) => {
                for id in ids {
                    if s.contains(id.as_str()) {
                        s = s.replace(id.as_str(), "<id>");
                    }
                }
                Value::String(scrub_times(&s))
            }
            Value::Array(a) => Value::Array(a.into_iter().map(|v| scrub(v, ids)).collect()),
            // A finding's hint and evidence repeat its rule's (the root causes list each rule
            // once, `zinc-harness rules` shows the row); a bulk
            // step's label names every person; a quoted resource can be long: kept short.
            Value::Object(m) => Value::Object(
                m.into_iter()
                    .filter(|(k, _)| k != "hint" && k != "evidence")
                    .map(|(k, v)| {
                        let v = scrub(v, ids);
                        match (k.as_str(), v) {
                            ("expected" | "actual" | "step", v) => (k, shortened(v)),
                            // A server that gets one wire rule wrong gets it wrong on every
                            // exchange: the first few of a step show it.
                            ("findings", Value::Array(mut a)) if a.len() > MAX_FINDINGS => {
                                let more = a.len() - MAX_FINDINGS;
                                a.truncate(MAX_FINDINGS);
                                a.push(Value::String(format!("… and {more} more")));
                                (k, Value::Array(a))
                            }
                            (_, v) => (k, v),
                        }
                    })
                    .collect(),
            ),
            other => other,
        }
    }
    scrub(condensed(report), &ids)
}

/// Past 160 characters the snapshot keeps the start (the point of a finding is its check and
/// rule; the full text is in the JSON report).
fn shortened(v: Value) -> Value {
    const KEEP: usize = 160;
    let text = match &v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    if text.len() <= KEEP {
        return v;
    }
    let cut = (0..=KEEP)
        .rev()
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(0);
    Value::String(format!("{}…", &text[..cut]))
}

/// `2026-12-01T09:03:44.324Z`-like timestamps (in findings that quote a resource) → `<time>`.
fn scrub_times(s: &str) -> String {
    let b = s.as_bytes();
    let is_stamp = |i: usize| {
        b.len() >= i + 19
            && b[i..i + 4].iter().all(u8::is_ascii_digit)
            && b[i + 4] == b'-'
            && b[i + 7] == b'-'
            && b[i + 10] == b'T'
            && b[i + 13] == b':'
    };
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        if is_stamp(i) {
            let mut j = i + 19;
            while j < b.len() && (b[j].is_ascii_digit() || b".:+-Z".contains(&b[j])) {
                j += 1;
            }
            out.push_str("<time>");
            i = j;
        } else {
            let ch = s[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The okta profile against each real server, as each Okta app: the report is what the
/// snapshot (and `docs/interop.md`) says, and nothing broke or leaked.
#[rstest]
#[case::scimmy_oin(Kind::Scimmy, "oin")]
#[case::scimmy_aiw(Kind::Scimmy, "aiw")]
#[case::better_auth_oin(Kind::BetterAuth, "oin")]
#[case::better_auth_aiw(Kind::BetterAuth, "aiw")]
#[case::django_scim2_oin(Kind::DjangoScim2, "oin")]
#[case::django_scim2_aiw(Kind::DjangoScim2, "aiw")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn okta_profile(#[case] kind: Kind, #[case] app: &str) {
    let Some(server) = Server::start(kind).await else {
        return;
    };
    let (report, stdout) = run_json(
        &server,
        // One job: the snapshot's order of events is then the same on every run.
        &[
            "scenarios/okta",
            "--profile",
            "okta",
            "--app",
            app,
            "--jobs",
            "1",
        ],
    )
    .await;
    let n_files = std::fs::read_dir("scenarios/okta").unwrap().count();
    assert_eq!(
        report["summary"]["total"].as_u64().unwrap() as usize,
        n_files
    );
    assert_eq!(report["summary"]["broken"], 0, "{stdout}");
    eprintln!(
        "{} --app {app}: {}",
        server.kind().name(),
        stdout
            .lines()
            .rev()
            .find(|l| l.contains("passed,"))
            .unwrap_or("")
    );
    insta::assert_yaml_snapshot!(
        format!("{}_okta_profile_{app}", kind.name()),
        snapshot_of(&report)
    );
}

/// The default zinc-profile run (the whole built-in suite, default jobs) against a Zinc-like
/// server nobody derived from the mock exits 0: the harness's reading of the contract and an
/// independent one agree.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn zinc_profile_passes_on_the_reference_server() {
    let server = Server::start(Kind::Reference)
        .await
        .expect("python3 runs the reference server");
    let (report, stdout) = run_json(&server, &["--profile", "zinc"]).await;
    assert_eq!(report["exit_code"], 0, "{stdout}");
    assert_eq!(report["summary"]["failed"], 0, "{stdout}");
    assert!(
        report["summary"]["passed"].as_u64().unwrap() > 30,
        "{stdout}"
    );
}
