//! Directory fixtures: loading, and errors with file:line:column.

use std::path::PathBuf;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};
use zinc_harness::zinc::{MockZinc, Origin, ZincConfig, ZincError};

use super::Scim;
use crate::support::process::kill;

fn fixture_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

fn write_temp(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zinc-fixture-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[tokio::test]
async fn the_sample_fixture_loads_users_and_groups_of_every_origin() {
    let mut config = ZincConfig::default();
    config.fixture = Some(fixture_path("directory.yaml"));
    let zinc = MockZinc::start_with(config).await.unwrap();
    let scim = Scim::new(&zinc);
    let users = zinc.admin().list_users();
    assert_eq!(
        users
            .iter()
            .map(|u| u.user_name.as_str())
            .collect::<Vec<_>>(),
        ["alice@example.com", "bob@example.com", "carol@example.com"]
    );
    let groups = zinc.admin().list_groups();
    assert_eq!(groups.len(), 3);
    assert_eq!(
        (
            groups[0].origin,
            groups[0].linked,
            groups[0].members.len(),
            groups[0].admins.len()
        ),
        (Origin::Okta, true, 2, 1)
    );
    assert_eq!(
        (groups[1].origin, groups[1].linked),
        (Origin::Console, false)
    );
    assert_eq!((groups[2].origin, groups[2].linked), (Origin::Okta, false));
    // Over SCIM: the users, and only the linked synced group.
    let r = scim
        .get("/Users?filter=userName+eq+%22alice%40example.com%22")
        .await;
    assert_eq!(r.body["Resources"][0]["externalId"], "00u1alice");
    let r = scim.get("/Groups").await;
    assert_eq!(r.body["totalResults"], 1);
    assert_eq!(r.body["Resources"][0]["displayName"], "Engineering");
    assert_eq!(
        r.body["Resources"][0]["members"][0]["display"],
        "alice@example.com"
    );
}

#[tokio::test]
async fn bad_fixtures_name_file_line_and_column() {
    let cases = [
        (
            "users:\n  - userName: alice@example.com\n  - userName: not-an-email\n",
            3,
            "not an email",
        ),
        (
            "users:\n  - userName: a@example.com\n    shoeSize: 42\n",
            3,
            "shoeSize",
        ),
        (
            "users:\n  - userName: a@example.com\ngroups:\n  - displayName: G\n    members: [a@example.com, ghost@example.com]\n",
            5,
            "ghost@example.com",
        ),
        (
            "users:\n  - userName: a@example.com\n  - userName: A@example.com\n",
            3,
            "twice",
        ),
        ("users: [\n", 0, ""),
    ];
    for (text, line, needle) in cases {
        let path = write_temp("bad.yaml", text);
        let mut config = ZincConfig::default();
        config.fixture = Some(path.clone());
        let err = MockZinc::start_with(config)
            .await
            .expect_err("a bad fixture does not start");
        let ZincError::Fixture(err) = &err else {
            panic!("not a fixture error: {err}")
        };
        let msg = err.to_string();
        assert!(msg.starts_with(&format!("{}:", path.display())), "{msg}");
        let first = &err.problems[0];
        if line > 0 {
            assert_eq!(first.line, line, "{msg}");
            assert!(first.column > 0, "{msg}");
        } else {
            assert!(first.line > 0, "{msg}");
        }
        // The position once, in front; never again inside the message.
        assert!(!msg.contains(" at line "), "{msg}");
        assert!(msg.contains(needle), "{msg}");
    }
}

#[tokio::test]
async fn serve_prints_its_url_and_token_and_refuses_a_bad_fixture() {
    let bin = env!("CARGO_BIN_EXE_zinc-harness");
    // Bad fixture: exit code 2, file:line:column on stderr, nothing listens.
    let bad = write_temp("bad.yaml", "users:\n  - userName: nope\n");
    let out = tokio::process::Command::new(bin)
        .args(["serve", "--addr", "127.0.0.1:0", "--fixture"])
        .arg(&bad)
        .output()
        .await
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("{}:2:", bad.display())),
        "{stderr}"
    );
    // Good start: prints the base URL and token, answers SCIM with that token.
    let mut child = tokio::process::Command::new(bin)
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--token",
            "s3cret-token",
            "--scope",
            "users",
            "--fixture",
        ])
        .arg(fixture_path("directory.yaml"))
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut base, mut token) = (None, None);
    while let Some(line) = lines.next_line().await.unwrap() {
        if let Some(u) = line.trim().strip_prefix("SCIM base URL:") {
            base = Some(u.trim().to_owned());
        }
        if let Some(t) = line.trim().strip_prefix("bearer token:") {
            token = Some(t.trim().to_owned());
            break;
        }
    }
    let (base, token) = (
        base.expect("base URL printed"),
        token.expect("token printed"),
    );
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/scim/v2"),
        "{base}"
    );
    assert_eq!(token, "s3cret-token");
    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let r = http
        .get(format!("{base}/Users?startIndex=1&count=2"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["totalResults"], 3);
    let r = http
        .get(format!("{base}/Groups"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403, "--scope users");
    // Ctrl-C stops it cleanly.
    assert!(kill("-INT", child.id().expect("running")));
    let status = tokio::time::timeout(std::time::Duration::from_secs(10), child.wait())
        .await
        .expect("stops on SIGINT")
        .unwrap();
    assert_eq!(status.code(), Some(0));
    assert!(
        http.get(format!("{base}/Users"))
            .bearer_auth(&token)
            .send()
            .await
            .is_err(),
        "nothing listens after Ctrl-C"
    );
}
