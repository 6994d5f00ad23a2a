//! Conformance checks of third-party SCIM servers: the Okta client against misbehaving
//! targets (each a failed action with a clear reason, never a panic or a hang), the wire
//! checks peers miss (`run::wire`), and a real server nobody here wrote (`scim2-server`).

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};
use zinc_harness::okta::{ActionOutcome, Auth, OktaClient, OktaConfig, PersonProfile};

use crate::support::scim2::Scim2Server;
use crate::support::targets;

const TOKEN: &str = "conf-S3CRET-token";

/// Every request's timeout in these tests: short, so a hang would show as a slow test, and a
/// test must finish well within `BOUND`.
const TIMEOUT: Duration = Duration::from_secs(1);
const BOUND: Duration = Duration::from_secs(20);

fn okta_at(base: &str) -> OktaClient {
    let mut c = OktaConfig::new(base, Auth::Bearer(TOKEN.into()));
    c.timeout = TIMEOUT;
    c.retry.max_wait = Duration::from_millis(50);
    let okta = OktaClient::new(c).expect("valid config");
    okta.add_person(
        "alice",
        PersonProfile::new("Alice", "Smith", "alice@example.com"),
    )
    .unwrap();
    okta.add_group("eng", "Engineering").unwrap();
    okta
}

/// The actions a conformance run starts with, each bounded by `BOUND` in all.
async fn first_actions(okta: &OktaClient) -> Vec<ActionOutcome> {
    let started = Instant::now();
    let out = tokio::time::timeout(BOUND, async {
        vec![
            okta.test_credentials().await,
            okta.assign_user("alice").await.unwrap(),
            okta.push_group("eng").await.unwrap(),
            okta.import_users().await,
        ]
    })
    .await
    .expect("the actions hung");
    assert!(started.elapsed() < BOUND);
    out
}

/// Every action failed, no secret leaked, and each message contains `reason`.
fn all_failed_with(outcomes: &[ActionOutcome], reason: &str) {
    for o in outcomes {
        assert!(!o.ok, "{} passed against a misbehaving target", o.action);
        let msg = o.message.as_deref().expect("a failed action says why");
        assert!(
            msg.contains(reason),
            "{}: {msg:?} does not say {reason:?}",
            o.action
        );
        assert!(!msg.contains(TOKEN), "the token leaked: {msg}");
        assert!(!o.exchanges.is_empty(), "{}: nothing recorded", o.action);
    }
}

mod misbehaving_targets {
    use super::*;

    #[tokio::test]
    async fn connection_refused() {
        let okta = okta_at(&targets::refused_url());
        let out = first_actions(&okta).await;
        all_failed_with(&out, "Connect to the SCIM server failed");
        assert!(out.iter().all(|o| o.exchanges[0].response.is_none()));
    }

    #[tokio::test]
    async fn a_body_that_drips_past_the_timeout() {
        let base = targets::slow_drip(Duration::from_millis(100)).await;
        let okta = okta_at(&base);
        let started = Instant::now();
        let o = okta.test_credentials().await;
        let took = started.elapsed();
        assert!(!o.ok);
        assert_eq!(
            o.message.as_deref(),
            Some("Error while testing the connection (listing users): Read timed out")
        );
        // The headers arrived: the status is recorded, the body is not.
        assert_eq!(
            o.exchanges[0].response.as_ref().map(|r| r.status),
            Some(200)
        );
        assert_eq!(o.exchanges[0].error.as_deref(), Some("Read timed out"));
        assert!(took >= TIMEOUT, "gave up before the timeout: {took:?}");
        assert!(
            took < TIMEOUT * 5,
            "the timeout did not bound the body: {took:?}"
        );
    }

    #[tokio::test]
    async fn a_50_mb_body_is_not_buffered() {
        for declared in [true, false] {
            let base = targets::huge_body(50 * 1024 * 1024, declared).await;
            let mut c = OktaConfig::new(&base, Auth::Bearer(TOKEN.into()));
            // Long enough to read 50 MB on loopback: the cap, not the timeout, must stop it.
            c.timeout = Duration::from_secs(30);
            let okta = OktaClient::new(c).unwrap();
            let started = Instant::now();
            let o = okta.test_credentials().await;
            assert!(!o.ok);
            let msg = o.message.unwrap();
            assert!(
                msg.contains("the body is larger than 4 MiB") && msg.contains("stopped reading"),
                "declared={declared}: {msg}"
            );
            if declared {
                assert!(msg.contains("Content-Length: 52428800"), "{msg}");
            }
            assert!(started.elapsed() < Duration::from_secs(15));
        }
    }

    #[tokio::test]
    async fn an_html_502_page() {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(502).set_body_raw(
                "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
                "text/html",
            ))
            .mount(&server)
            .await;
        let okta = okta_at(&format!("{}/scim/v2", server.uri()));
        let out = first_actions(&okta).await;
        all_failed_with(&out, "Bad Gateway. Invalid JSON: Unexpected character ('<'");
    }

    #[tokio::test]
    async fn a_200_that_is_not_json() {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_raw("OK", "text/plain"))
            .mount(&server)
            .await;
        let okta = okta_at(&format!("{}/scim/v2", server.uri()));
        let out = first_actions(&okta).await;
        all_failed_with(&out, "Invalid JSON: Unrecognized token 'OK'");
    }

    #[tokio::test]
    async fn a_redirect_loop() {
        let server = MockServer::start().await;
        let to = format!("{}/scim/v2/Users", server.uri());
        Mock::given(any())
            .respond_with(ResponseTemplate::new(302).insert_header("Location", to.as_str()))
            .mount(&server)
            .await;
        let okta = okta_at(&format!("{}/scim/v2", server.uri()));
        let out = first_actions(&okta).await;
        all_failed_with(&out, "Found (302): the server redirects to");
        assert!(out[0].message.as_deref().unwrap().contains(&to));
        // Not followed: one request per action step, not a loop.
        let sent = server.received_requests().await.unwrap().len();
        assert_eq!(sent, out.len(), "each action stopped at its first 302");
    }

    #[tokio::test]
    async fn every_request_answers_500() {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(500).set_body_json(json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                "status": "500", "detail": "database is down"})))
            .mount(&server)
            .await;
        let okta = okta_at(&format!("{}/scim/v2", server.uri()));
        let out = first_actions(&okta).await;
        all_failed_with(
            &out,
            "Internal Server Error. Errors reported by remote server: database is down",
        );
        // No automatic retry of a 500.
        assert!(out.iter().all(|o| o.exchanges.len() == 1));
    }
}

mod scim2_server {
    use super::*;

    #[tokio::test]
    async fn starts_answers_and_is_killed_on_drop() {
        let Some(server) = Scim2Server::start().await else {
            return;
        };
        let http = reqwest::Client::new();
        let list: Value = http
            .get(format!("{}/Users?startIndex=1&count=2", server.base_url()))
            .bearer_auth(server.token())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(list["totalResults"], json!(0), "{list}");
        let denied = http
            .get(format!("{}/Users", server.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(denied.status(), 401, "the bearer token is enforced");
        // The simulated Okta client gets through: the target is usable for a run.
        let mut c = OktaConfig::new(server.base_url(), Auth::Bearer(server.token().into()));
        c.timeout = Duration::from_secs(10);
        let okta = OktaClient::new(c).unwrap();
        let o = okta.test_credentials().await;
        assert!(o.ok, "{:?}", o.message);

        let port = server.port();
        drop(server);
        let gone = std::net::TcpStream::connect(("127.0.0.1", port));
        assert!(gone.is_err(), "scim2-server still listens after drop");
    }
}
