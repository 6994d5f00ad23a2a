//! Configuration, Okta ids, auth modes, token rotation, concurrency limit, gzip.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};
use zinc_harness::okta::{
    App, Auth, AuthMode, OktaClient, OktaError, PersonProfile, REDACTED, okta_group_id,
    okta_user_id, placeholder_password,
};

use super::support::*;

#[test]
fn app_and_auth_mode_parse_from_their_names() {
    assert_eq!("oin".parse::<App>().unwrap(), App::Oin);
    assert_eq!("AIW".parse::<App>().unwrap(), App::Aiw);
    assert_eq!(App::default(), App::Oin);
    assert!(matches!(
        "saml".parse::<App>(),
        Err(zinc_harness::contract::UnknownName { what: "app", .. })
    ));
    assert_eq!("bearer".parse::<AuthMode>().unwrap(), AuthMode::Bearer);
    assert_eq!("header".parse::<AuthMode>().unwrap(), AuthMode::Header);
    assert_eq!("basic".parse::<AuthMode>().unwrap(), AuthMode::Basic);
    assert!("oauth".parse::<AuthMode>().is_err());
    assert_eq!(
        Auth::from_mode(AuthMode::Basic, "okta:pa:ss"),
        Auth::Basic {
            user: "okta".into(),
            password: "pa:ss".into()
        }
    );
}

#[test]
fn okta_ids_are_deterministic_and_shaped_like_okta_ids() {
    let a = okta_user_id("alice");
    assert_eq!(a, okta_user_id("alice"));
    assert_ne!(a, okta_user_id("bob"));
    assert_eq!(a.len(), 20);
    assert!(a.starts_with("00u") && a.chars().all(|c| c.is_ascii_alphanumeric()));
    let g = okta_group_id("eng");
    assert!(g.starts_with("00g") && g.len() == 20);
    let p = placeholder_password(&a, 1);
    assert_eq!(p.len(), 8);
    assert_eq!(p, placeholder_password(&a, 1));
    assert_ne!(p, placeholder_password(&a, 2));
    // Okta's captured placeholders carry symbols (`gl^m&qWZ`, reference §10.10).
    assert!(p.chars().any(|c| c.is_ascii_alphabetic()), "{p}");
    assert_eq!(
        p.chars().filter(|c| !c.is_ascii_alphanumeric()).count(),
        2,
        "{p}"
    );
}

#[tokio::test]
async fn directory_misuse_is_an_error_not_an_outcome() {
    let server = MockServer::start().await;
    let okta = client(&server, App::Oin);
    let id = okta
        .add_person("alice", PersonProfile::new("A", "S", "a@example.com"))
        .unwrap();
    assert_eq!(id, okta_user_id("alice"));
    assert_eq!(okta.okta_id("alice"), Some(id));
    assert!(matches!(
        okta.add_person("alice", PersonProfile::default()),
        Err(OktaError::DuplicatePerson(_))
    ));
    assert!(matches!(
        okta.assign_user("nobody").await,
        Err(OktaError::UnknownPerson(_))
    ));
    assert!(matches!(
        okta.get_user("alice").await,
        Err(OktaError::NotProvisioned(_))
    ));
    assert!(matches!(
        okta.push_now("nogroup").await,
        Err(OktaError::UnknownGroup(_))
    ));
    okta.add_group("g", "G").unwrap();
    assert!(matches!(
        okta.push_now("g").await,
        Err(OktaError::NotPushed(_))
    ));
    assert!(OktaClient::new(zinc_harness::okta::OktaConfig::new("not a url", Auth::None)).is_err());
    assert!(count(&server).await == 0, "misuse sends nothing");

    let mut c = config(&server, App::Oin);
    c.push_groups = false;
    let off = OktaClient::new(c).unwrap();
    off.add_group("g", "G").unwrap();
    assert!(matches!(
        off.push_group("g").await,
        Err(OktaError::GroupPushDisabled)
    ));
}

#[tokio::test]
async fn each_auth_mode_sends_its_header_and_records_it_redacted() {
    let basic = format!("Basic {}", {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode("okta:hunter2-pass")
    });
    let cases = [
        (
            Auth::Bearer(TOKEN.into()),
            Some(format!("Bearer {TOKEN}")),
            Some(format!("Bearer {REDACTED}")),
        ),
        (
            Auth::Header(TOKEN.into()),
            Some(TOKEN.to_owned()),
            Some(REDACTED.to_owned()),
        ),
        (
            Auth::Basic {
                user: "okta".into(),
                password: "hunter2-pass".into(),
            },
            Some(basic),
            Some(format!("Basic {REDACTED}")),
        ),
        (Auth::None, None, None),
    ];
    for (auth, wire_value, recorded) in cases {
        let server = MockServer::start().await;
        on(&server, "GET", "/Users", ok_json(200, list(vec![]))).await;
        let mut c = config(&server, App::Oin);
        c.auth = auth.clone();
        c.push_groups = false;
        let o = OktaClient::new(c).unwrap().test_credentials().await;
        let w = wire(&server).await;
        assert_eq!(
            w[0].headers.get("authorization"),
            wire_value.as_ref(),
            "{auth:?}"
        );
        let rec = o.exchanges[0]
            .request_headers
            .iter()
            .find(|(k, _)| k == "Authorization")
            .map(|(_, v)| v.clone());
        assert_eq!(rec, recorded);
        let text = serde_json::to_string(&o).unwrap();
        assert!(!text.contains(TOKEN) && !text.contains("hunter2"));
        assert!(!format!("{auth:?}").contains(TOKEN) && !format!("{auth:?}").contains("hunter2"));
    }
}

#[tokio::test]
async fn a_rotated_token_is_used_from_the_next_request() {
    let server = MockServer::start().await;
    on(&server, "GET", "/Users", ok_json(200, list(vec![]))).await;
    let mut c = config(&server, App::Oin);
    c.push_groups = false;
    let okta = OktaClient::new(c).unwrap();
    okta.test_credentials().await;
    okta.set_auth(Auth::Bearer("rotated-token-2".into()));
    let o = okta.test_credentials().await;
    okta.set_auth(Auth::Header("raw-token-3".into()));
    okta.set_token("raw-token-4");
    okta.test_credentials().await;
    let w = wire(&server).await;
    assert_eq!(w[0].headers["authorization"], format!("Bearer {TOKEN}"));
    assert_eq!(w[1].headers["authorization"], "Bearer rotated-token-2");
    assert_eq!(
        w[2].headers["authorization"], "raw-token-4",
        "set_token keeps the mode"
    );
    assert!(
        !serde_json::to_string(&o)
            .unwrap()
            .contains("rotated-token-2")
    );
}

#[tokio::test]
async fn the_concurrency_limit_serialises_requests() {
    let server = MockServer::start().await;
    let delay = Duration::from_millis(100);
    on(&server, "GET", "/Users", empty_list_after(delay)).await;
    let mut c = config(&server, App::Oin);
    c.push_groups = false;
    c.concurrency = Some(1);
    let okta = OktaClient::new(c).unwrap();
    let started = Instant::now();
    let outcomes = futures::future::join_all((0..4).map(|_| okta.test_credentials())).await;
    assert!(outcomes.iter().all(|o| o.ok));
    // With one request at a time, four delayed answers cannot overlap.
    assert!(started.elapsed() >= delay * 4, "{:?}", started.elapsed());
}

/// A gzip member with one stored (uncompressed) deflate block, so no compressor is needed.
fn gzip_stored(data: &[u8]) -> Vec<u8> {
    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xffff_ffffu32;
        for b in data {
            crc ^= u32::from(*b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xedb8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let len = data.len() as u16;
    out.push(1);
    out.extend(len.to_le_bytes());
    out.extend((!len).to_le_bytes());
    out.extend(data);
    out.extend(crc32(data).to_le_bytes());
    out.extend((data.len() as u32).to_le_bytes());
    out
}

#[tokio::test]
async fn gzip_answers_are_decoded() {
    let server = MockServer::start().await;
    let body =
        serde_json::to_vec(&list(vec![json!({"id": "g1", "displayName": "Zipped"})])).unwrap();
    on(
        &server,
        "GET",
        "/Groups",
        ResponseTemplate::new(200)
            .insert_header("Content-Encoding", "gzip")
            .set_body_raw(gzip_stored(&body), "application/scim+json"),
    )
    .await;
    let okta = client(&server, App::Oin);
    let o = okta.refresh_app_groups().await;
    assert!(o.ok, "{:?}", o.message);
    assert_eq!(okta.app_groups()[0].display_name, "Zipped");
    assert_eq!(
        wire(&server).await[0].headers["accept-encoding"],
        "gzip,deflate"
    );
}

#[tokio::test]
async fn actions_run_concurrently_from_spawned_tasks_on_one_client() {
    let server = MockServer::start().await;
    let okta = client(&server, App::Oin);
    mount_creates(&server).await;
    people(&okta);
    // Spawning needs Send futures: no lock is held across a request.
    let tasks: Vec<_> = ["alice", "bob", "carol"]
        .into_iter()
        .map(|k| {
            let okta = okta.clone();
            tokio::spawn(async move { okta.assign_user(k).await.unwrap() })
        })
        .collect();
    for t in tasks {
        assert!(t.await.unwrap().ok);
    }
    for k in ["alice", "bob", "carol"] {
        assert_eq!(okta.server_user_id(k), Some(format!("zu-{k}")));
    }
    assert_eq!(count(&server).await, 6);
}

#[test]
fn profiles_deserialize_from_scenario_style_maps() {
    let p: PersonProfile =
        serde_json::from_value(json!({"first": "A", "last": "B", "email": "a@b.co", "title": "T"}))
            .unwrap();
    assert_eq!(p.user_name(), "a@b.co");
    assert_eq!(p.display_name(), "A B");
    assert!(serde_json::from_value::<PersonProfile>(json!({"frist": "A"})).is_err());
}

/// The bytes on the wire, read by a bare TCP server: header names as Okta writes them and
/// in the transcript's order.
#[tokio::test]
async fn the_raw_request_carries_okta_header_names_in_order() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = sock.read(&mut chunk).await.unwrap();
            assert!(n > 0);
            buf.extend_from_slice(&chunk[..n]);
        }
        let body = br#"{"schemas":[],"totalResults":0,"Resources":[]}"#;
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/scim+json\r\ncontent-length: {}\r\n\r\n",
            body.len()
        );
        sock.write_all(head.as_bytes()).await.unwrap();
        sock.write_all(body).await.unwrap();
        String::from_utf8(buf).unwrap()
    });
    let mut c = zinc_harness::okta::OktaConfig::new(
        format!("http://{addr}/scim/v2"),
        Auth::Bearer(TOKEN.into()),
    );
    c.push_groups = false;
    let o = OktaClient::new(c).unwrap().test_credentials().await;
    assert!(o.ok, "{:?}", o.message);
    let raw = server.await.unwrap();
    let lines: Vec<&str> = raw.lines().collect();
    assert_eq!(lines[0], "GET /scim/v2/Users?startIndex=1&count=2 HTTP/1.1");
    let names: Vec<&str> = lines[1..]
        .iter()
        .filter_map(|l| l.split_once(':').map(|(k, _)| k))
        .collect();
    let okta: Vec<&str> = names.iter().copied().filter(|n| *n != "Host").collect();
    assert_eq!(
        okta,
        [
            "User-Agent",
            "Accept",
            "Accept-Charset",
            "Accept-Encoding",
            "Authorization"
        ]
    );
    assert!(raw.contains(&format!("\r\nAuthorization: Bearer {TOKEN}\r\n")));
}
