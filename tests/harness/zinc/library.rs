//! The library API: the admin HTTP API mirrors [`Admin`], shutdown frees the port.

use serde_json::json;
use zinc_harness::scim::PATCH_OP_SCHEMA;
use zinc_harness::zinc::{MockZinc, ZincConfig};

use super::{Scim, start};
use crate::support::json::get;

#[tokio::test]
async fn the_admin_api_mirrors_the_console_and_support_actions() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    let a = scim.user("a@example.com", "Ann", "Lee").await;
    let b = scim.user("b@example.com", "Bo", "Ng").await;
    assert_eq!(
        zinc.admin().user_by_name("A@EXAMPLE.COM").map(|u| u.id),
        Some(a.clone())
    );
    assert!(zinc.admin().user_by_name("nobody@example.com").is_none());
    let users = scim.admin_send("GET", "/users", None).await;
    assert_eq!(users.body[0]["displayName"], "Ann Lee");
    let r = scim
        .admin_send("POST", "/groups", Some(json!({"displayName": "Lunch"})))
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        (r.body["origin"].as_str(), r.body["linked"].as_bool()),
        (Some("console"), Some(false))
    );
    let g = r.body["id"].as_str().unwrap().to_owned();
    let r = scim
        .admin_send(
            "POST",
            &format!("/groups/{g}/members/add"),
            Some(json!({"members": [a, b]})),
        )
        .await;
    assert_eq!(r.body["members"].as_array().unwrap().len(), 2, "{}", r.text);
    let r = scim
        .admin_send(
            "POST",
            &format!("/groups/{g}/members/remove"),
            Some(json!({"members": [a]})),
        )
        .await;
    assert_eq!(
        r.body["members"],
        json!([{"id": b, "userName": "b@example.com"}])
    );
    let r = scim
        .admin_send(
            "PUT",
            &format!("/groups/{g}/admins"),
            Some(json!({"admins": [a]})),
        )
        .await;
    assert_eq!(r.body["admins"][0]["userName"], "a@example.com");
    let r = scim
        .admin_send(
            "PATCH",
            &format!("/groups/{g}"),
            Some(json!({"displayName": "Lunch club"})),
        )
        .await;
    assert_eq!(r.body["displayName"], "Lunch club");
    let r = scim
        .admin_send(
            "POST",
            &format!("/groups/{g}/members/add"),
            Some(json!({"members": ["nobody"]})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (404, Some("user_not_found"))
    );
    let r = scim
        .admin_send("POST", &format!("/groups/{g}/unlink"), None)
        .await;
    assert_eq!(
        (r.status, r.body["error"].as_str()),
        (409, Some("not_linked"))
    );
    let pushed = scim.group("Eng", &[&a]).await;
    let r = scim
        .admin_send("POST", &format!("/groups/{pushed}/unlink"), None)
        .await;
    assert_eq!(r.body["linked"], false);
    assert_eq!(scim.get(&format!("/Groups/{pushed}")).await.status, 404);
    assert_eq!(
        scim.admin_send("DELETE", &format!("/groups/{g}"), None)
            .await
            .status,
        204
    );
    assert_eq!(
        scim.admin_send("GET", &format!("/groups/{g}"), None)
            .await
            .status,
        404
    );
    // Settings and support actions.
    let r = scim
        .admin_send(
            "PATCH",
            "/settings",
            Some(json!({"scope": ["users"], "deleted_group_policy": "delete"})),
        )
        .await;
    assert_eq!(
        r.body,
        json!({"provisioning": "enabled", "token_issued": true, "scope": ["users"], "deleted_group_policy": "delete"})
    );
    assert_eq!(scim.get("/Groups").await.status, 403);
    let r = scim
        .admin_send("PATCH", "/settings", Some(json!({"scope": "users,groups"})))
        .await;
    assert_eq!(r.body["scope"], json!(["users", "groups"]));
    let r = scim.admin_send("POST", "/token/rotate", None).await;
    let new = r.body["token"].as_str().unwrap().to_owned();
    assert_eq!(scim.get("/Users").await.status, 401);
    assert_eq!(scim.with_token(Some(&new)).get("/Users").await.status, 200);
    assert_eq!(zinc.token().as_deref(), Some(new.as_str()));
    let r = scim.admin_send("POST", "/provisioning/disable", None).await;
    assert_eq!(r.body["token_issued"], false);
    assert_eq!(scim.with_token(Some(&new)).get("/Users").await.status, 401);
    assert_eq!(
        scim.admin_send("POST", "/token/rotate", None).await.status,
        409
    );
    let r = scim.admin_send("POST", "/provisioning/enable", None).await;
    let issued = r.body["token"].as_str().unwrap().to_owned();
    assert_ne!(issued, new);
    assert_eq!(
        scim.with_token(Some(&issued)).get("/Users").await.status,
        200
    );
    let r = scim
        .admin_send("PATCH", "/settings", Some(json!({"scope": ["everything"]})))
        .await;
    assert_eq!(r.status, 400);
    // The token never appears in the settings.
    assert!(
        !scim
            .admin_send("GET", "/settings", None)
            .await
            .text
            .contains(&issued)
    );
}

#[tokio::test]
async fn shutdown_and_drop_free_the_port() {
    for explicit in [true, false] {
        let zinc = MockZinc::start().await;
        let addr = zinc.addr();
        let scim = Scim::new(&zinc);
        assert_eq!(scim.get("/Users").await.status, 200);
        if explicit {
            zinc.shutdown().await;
        } else {
            drop(zinc);
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert!(
            tokio::net::TcpStream::connect(addr).await.is_err(),
            "nothing listens on {addr} any more"
        );
    }
}

#[test]
fn a_mock_can_start_from_a_plain_test_and_serve_while_the_caller_blocks() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let zinc = rt.block_on(MockZinc::start());
    let url = format!("{}/Users", zinc.base_url());
    let token = zinc.token().unwrap();
    // A blocking client on another thread: the server runs on its own runtime.
    let status = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async { get(&url, &token).await.status().as_u16() })
    })
    .join()
    .unwrap();
    assert_eq!(status, 200);
    drop(zinc);
}

#[tokio::test]
async fn a_configured_token_is_the_one_issued_when_provisioning_is_enabled() {
    let mut config = ZincConfig::default();
    config.provisioning = zinc_harness::zinc::Provisioning::Disabled;
    config.token = Some("preset-token".to_owned());
    let (zinc, scim) = start(config).await;
    assert_eq!(zinc.token(), None);
    assert_eq!(
        scim.with_token(Some("preset-token"))
            .get("/Users")
            .await
            .status,
        401
    );
    assert_eq!(zinc.admin().enable_provisioning(), "preset-token");
    assert_eq!(
        scim.with_token(Some("preset-token"))
            .get("/Users")
            .await
            .status,
        200
    );
    let rotated = zinc.admin().rotate_token().unwrap();
    zinc.admin().disable_provisioning();
    let again = zinc.admin().enable_provisioning();
    assert_ne!(
        again, "preset-token",
        "a rotated-away token never comes back"
    );
    assert_ne!(again, rotated);
}

/// The request log records each SCIM request with its body and status, redacted, and the
/// admin API serves the same log.
#[tokio::test]
async fn the_request_log_records_what_a_client_sent_redacted() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    let token = zinc.token().expect("token");
    let r = scim
        .post(
            "/Users",
            json!({"userName": "a@example.com", "name": {"givenName": "Ann", "familyName": "Lee"},
                   "password": "S3cret!pass"}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let missing = scim.send("GET", "/Users/nope", None).await;
    assert_eq!(missing.status, 404);
    scim.admin_send("GET", "/users", None).await; // not SCIM: not logged

    let got = zinc.received_requests();
    let lines: Vec<(String, Option<u16>)> = got.iter().map(|r| (r.line(), r.status)).collect();
    assert_eq!(
        lines,
        [
            ("POST /Users".to_owned(), Some(201)),
            ("GET /Users/nope".to_owned(), Some(404))
        ]
    );
    let body = got[0].body.as_ref().expect("the POST body is kept");
    assert_eq!(body["userName"], "a@example.com");
    assert_ne!(body["password"], "S3cret!pass", "passwords are redacted");
    let auth = got[0]
        .headers
        .iter()
        .find(|(k, _)| k == "authorization")
        .map(|(_, v)| v.clone())
        .expect("authorization header is listed");
    assert!(!auth.contains(&token), "the token is redacted: {auth}");

    let served = scim.admin_send("GET", "/requests", None).await;
    assert_eq!(
        served.body["requests"][1]["path"], "/Users/nope",
        "{}",
        served.text
    );
    assert!(!served.text.contains(&token) && !served.text.contains("S3cret!pass"));
    assert_eq!(
        scim.admin_send("DELETE", "/requests", None).await.status,
        204
    );
    assert!(zinc.received_requests().is_empty());
}

/// A request whose connection a fault drops is logged without a status; a log limit of 0
/// records nothing.
#[tokio::test]
async fn dropped_requests_are_logged_and_recording_can_be_off() {
    use zinc_harness::zinc::FaultRule;
    let (zinc, scim) = start(ZincConfig::default()).await;
    zinc.faults()
        .add(
            FaultRule::drop_connection()
                .method("GET")
                .path("/Groups")
                .times(1),
        )
        .expect("a valid rule");
    assert!(scim.request("GET", "/Groups").send().await.is_err());
    // The entry is written when the server drops the request's handling, which may be just
    // after the client saw the connection close: wait for it (bounded).
    let mut got = zinc.received_requests();
    for _ in 0..200 {
        if !got.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        got = zinc.received_requests();
    }
    assert_eq!(
        (got[0].line(), got[0].status),
        ("GET /Groups".to_owned(), None)
    );

    let mut off = ZincConfig::default();
    off.request_log_limit = 0;
    let (quiet, scim) = start(off).await;
    assert_eq!(scim.send("GET", "/Users", None).await.status, 200);
    assert!(quiet.received_requests().is_empty());
}

/// Expectations: `verify` reports what was expected and what arrived.
#[tokio::test]
async fn unmet_expectations_say_what_arrived() {
    use zinc_harness::zinc::Expect;
    let (zinc, scim) = start(ZincConfig::default()).await;
    zinc.expect(Expect::request("PATCH", "/Groups/*").times(1));
    assert_eq!(scim.send("GET", "/Users", None).await.status, 200);
    let unmet = zinc.verify().expect_err("no PATCH was sent");
    assert_eq!(
        unmet.failures,
        ["expected exactly 1 × PATCH /Groups/*: received 0"]
    );
    assert_eq!(unmet.received, ["GET /Users → 200"]);
    // Meet it, so dropping the mock does not fail this test.
    let g = scim
        .post("/Groups", json!({"displayName": "Eng", "members": []}))
        .await;
    let id = g.body["id"].as_str().expect("group id");
    let r = scim
        .send(
            "PATCH",
            &format!("/Groups/{id}"),
            Some(json!({"schemas": [PATCH_OP_SCHEMA],
                        "Operations": [{"op": "replace", "value": {"id": id, "displayName": "Eng2"}}]})),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    zinc.verify().expect("met now");
}
