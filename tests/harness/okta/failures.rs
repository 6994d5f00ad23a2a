//! Failure handling as Okta does it: 404 stops, 429 retries by Okta's schedule (reported;
//! the real wait bounded),
//! other errors fail with Okta's wording, non-JSON bodies fail with a parse error, timeouts
//! and refused connections fail with no response.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};
use zinc_harness::okta::{ActionOutcome, App, OktaClient, ProfileChanges, RetryPolicy};

use super::support::*;

/// alice provisioned as `zu-alice`, and the server's mocks and log cleared.
async fn provisioned(app: App) -> (MockServer, OktaClient) {
    let (server, okta) = setup(app).await;
    assigned(&server, &okta, &["alice"]).await;
    server.reset().await;
    (server, okta)
}

fn smythe() -> ProfileChanges {
    changes(json!({"last": "Smythe"}))
}

/// alice's profile push with the GET of her answered by `answer`: it fails; its outcome.
async fn push_against(
    server: &MockServer,
    okta: &OktaClient,
    answer: ResponseTemplate,
) -> ActionOutcome {
    on(server, "GET", "/Users/zu-alice", answer).await;
    let o = okta.update_user("alice", &smythe()).await.unwrap();
    assert!(!o.ok);
    o
}

#[tokio::test]
async fn a_404_on_the_get_before_a_put_stops_the_action() {
    for app in [App::Oin, App::Aiw] {
        let (server, okta) = provisioned(app).await;
        let o = push_against(&server, &okta, scim_error(404, "User zu-alice not found")).await;
        assert_eq!(
            o.message.as_deref(),
            Some(
                "Error while reading user alice@example.com: Not Found. Errors reported by remote server: User zu-alice not found"
            )
        );
        let w = wire(&server).await;
        assert_eq!(w.len(), 1, "no PUT, no lookup, no create after the 404");
        assert_eq!(o.status(), Some(404));
        check(&server, 0, &o, &format!("{app}_update_user_404")).await;
    }
    // AIW deprovisioning reads first too: the 404 ends it.
    let (server, okta) = provisioned(App::Aiw).await;
    on(&server, "GET", "/Users/zu-alice", scim_error(404, "gone")).await;
    let o = okta.unassign_user("alice").await.unwrap();
    assert!(!o.ok);
    assert_eq!(wire(&server).await.len(), 1);
}

#[tokio::test]
async fn a_429_waits_for_retry_after_then_retries() {
    let (server, okta) = provisioned(App::Oin).await;
    let throttled = scim_error(429, "slow down").insert_header("Retry-After", "0");
    on_first(
        &server,
        "PATCH",
        "/Users/zu-alice",
        (1, throttled),
        no_content(),
    )
    .await;
    let o = okta.deactivate_user("alice").await.unwrap();
    assert!(o.ok, "{:?}", o.message);
    let statuses: Vec<_> = o
        .exchanges
        .iter()
        .map(|e| e.response.as_ref().unwrap().status)
        .collect();
    assert_eq!(statuses, [429, 204]);
    let w = wire(&server).await;
    assert_eq!(w[0].body, w[1].body, "the retry is the same request");
    check(&server, 0, &o, "oin_deactivate_after_429").await;
}

#[tokio::test]
async fn a_429_wait_is_capped_and_the_tries_are_bounded() {
    let (server, okta) = provisioned(App::Oin).await;
    // Asks for an hour: Okta would wait it; the policy waits 50 ms and stops after 3 tries.
    let answer = scim_error(429, "rate limited").insert_header("Retry-After", "3600");
    on(&server, "PATCH", "/Users/zu-alice", answer).await;
    let started = Instant::now();
    let o = okta.deactivate_user("alice").await.unwrap();
    let took = started.elapsed();
    assert!(!o.ok);
    assert_eq!(o.exchanges.len(), 3);
    assert!(
        took >= Duration::from_millis(100),
        "two capped waits: {took:?}"
    );
    assert!(
        took < Duration::from_secs(10),
        "the cap is honoured: {took:?}"
    );
    assert_eq!(
        o.message.as_deref(),
        Some(
            "Error while deactivating user alice@example.com: Too Many Requests. Errors reported by remote server: rate limited"
        )
    );
    assert_eq!(
        retry_notes(&o),
        [
            "Okta would retry in 3600 s (Retry-After: 3600)",
            "Okta would retry in 3600 s (Retry-After: 3600)",
            "Okta would retry in 3600 s (Retry-After: 3600); the harness stopped after 3 tries",
        ]
    );
}

fn retry_notes(o: &zinc_harness::okta::ActionOutcome) -> Vec<&str> {
    o.exchanges
        .iter()
        .map(|e| e.okta_retry.as_deref().unwrap_or("-"))
        .collect()
}

/// A client with Okta's own 10 tries and a 1 ms bound on the real wait.
fn okta_tries(server: &MockServer) -> OktaClient {
    let mut c = config(server, App::Oin);
    c.retry = RetryPolicy {
        max_tries: zinc_harness::okta::OKTA_MAX_TRIES,
        max_wait: Duration::from_millis(1),
    };
    let okta = OktaClient::new(c).unwrap();
    people(&okta);
    okta
}

#[tokio::test]
async fn without_retry_after_okta_waits_five_minutes_doubling_and_gives_up_after_ten_tries() {
    let server = MockServer::start().await;
    let okta = okta_tries(&server);
    // Every try throttled, never a Retry-After (reference §10.8, S19).
    let answer = scim_error(429, "Too many requests");
    on(&server, "GET", "/Users", answer).await;
    let started = Instant::now();
    let o = okta.test_credentials().await;
    assert!(!o.ok);
    assert_eq!(o.exchanges.len(), 10, "Okta's 10 tries");
    assert_eq!(
        retry_notes(&o),
        [
            "Okta would retry in 300 s; this server sent no Retry-After",
            "Okta would retry in 600 s; this server sent no Retry-After",
            "Okta would retry in 1200 s; this server sent no Retry-After",
            "Okta would retry in 2400 s; this server sent no Retry-After",
            "Okta would retry in 4800 s; this server sent no Retry-After",
            "Okta would retry in 9600 s; this server sent no Retry-After",
            "Okta would retry in 19200 s; this server sent no Retry-After",
            "Okta would retry in 38400 s; this server sent no Retry-After",
            "Okta would retry in 76800 s; this server sent no Retry-After",
            "Okta gives up after 10 tries; this server sent no Retry-After",
        ]
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "Okta's hours are reported, not waited: {:?}",
        started.elapsed()
    );
    check(
        &server,
        0,
        &o,
        "oin_credential_test_429_without_retry_after",
    )
    .await;
}

#[rstest::rstest]
#[case::http_date("Wed, 21 Oct 2015 07:28:00 GMT")]
#[case::fraction("1.5")]
#[case::negative("-1")]
#[case::empty("")]
#[tokio::test]
async fn a_retry_after_that_is_not_integer_seconds_counts_as_none(#[case] header: &str) {
    let (server, okta) = provisioned(App::Oin).await;
    let throttled = scim_error(429, "later").insert_header("Retry-After", header);
    on_first(
        &server,
        "PATCH",
        "/Users/zu-alice",
        (2, throttled),
        no_content(),
    )
    .await;
    let started = Instant::now();
    let o = okta.deactivate_user("alice").await.unwrap();
    assert!(o.ok, "{:?}", o.message);
    assert_eq!(o.exchanges.len(), 3, "third and last try succeeds");
    // An HTTP date is legal HTTP (RFC 9110 §10.2.3) but Okta reads integer seconds only.
    let unread =
        format!("this server sent Retry-After: {header:?}, and Okta reads only integer seconds");
    assert_eq!(
        retry_notes(&o),
        [
            format!("Okta would retry in 300 s; {unread}").as_str(),
            format!("Okta would retry in 600 s; {unread}").as_str(),
            "-",
        ]
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "waits are the bound (50 ms), not Okta's: {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_500_fails_with_the_servers_detail() {
    let (server, okta) = provisioned(App::Oin).await;
    let answer = scim_error(500, "Unsupported attribute: null");
    on(&server, "PATCH", "/Users/zu-alice", answer).await;
    let o = okta.deactivate_user("alice").await.unwrap();
    assert!(!o.ok);
    assert_eq!(o.exchanges.len(), 1, "no automatic retry of a 500");
    assert_eq!(
        o.message.as_deref(),
        Some(
            "Error while deactivating user alice@example.com: Internal Server Error. Errors reported by remote server: Unsupported attribute: null"
        )
    );
    check(&server, 0, &o, "oin_deactivate_500").await;
}

#[tokio::test]
async fn an_html_body_fails_with_a_parse_error() {
    let (server, okta) = provisioned(App::Oin).await;
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let answer = ResponseTemplate::new(502).set_body_raw(html, "text/html");
    let o = push_against(&server, &okta, answer).await;
    let msg = o.message.clone().unwrap();
    assert!(msg.starts_with("Error while reading user alice@example.com: Bad Gateway. Invalid JSON: Unexpected character ('<' (code 60))"), "{msg}");
    assert_eq!(wire(&server).await.len(), 1);
    check(&server, 0, &o, "oin_update_user_html_502").await;

    // A 200 whose body is not JSON fails just the same; Cloudflare's text gives Jackson's
    // "Unrecognized token" at column 6.
    server.reset().await;
    let answer = ResponseTemplate::new(200).set_body_raw("error code: 502", "text/plain");
    let o = push_against(&server, &okta, answer).await;
    assert_eq!(
        o.message.as_deref(),
        Some(
            "Error while reading user alice@example.com: Invalid JSON: Unrecognized token 'error': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false') at [line: 1, column: 6]"
        )
    );
}

#[tokio::test]
async fn list_counters_that_are_strings_fail_the_listing() {
    let server = MockServer::start().await;
    let okta = client(&server, App::Oin);
    let strings = json!({"schemas": [LIST_URN], "totalResults": "0",
        "startIndex": "1", "itemsPerPage": "0", "Resources": []});
    on(&server, "GET", "/Users", ok_json(200, strings)).await;
    let o = okta.import_users().await;
    assert!(!o.ok);
    assert_eq!(
        o.message.as_deref(),
        Some("Error while importing users: invalid ListResponse: totalResults is a string")
    );
}

#[tokio::test]
async fn a_timeout_fails_the_action_with_no_response() {
    let server = MockServer::start().await;
    let mut c = config(&server, App::Oin);
    c.timeout = Duration::from_millis(200);
    c.push_groups = false;
    let okta = OktaClient::new(c).unwrap();
    on(
        &server,
        "GET",
        "/Users",
        empty_list_after(Duration::from_secs(3)),
    )
    .await;
    let o = okta.test_credentials().await;
    assert!(!o.ok);
    assert_eq!(o.exchanges.len(), 1);
    assert!(o.exchanges[0].response.is_none());
    assert_eq!(o.exchanges[0].error.as_deref(), Some("Read timed out"));
    assert_eq!(
        o.message.as_deref(),
        Some("Error while testing the connection (listing users): Read timed out")
    );
    assert_eq!(o.status(), None);
}

#[tokio::test]
async fn a_refused_connection_fails_the_action() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut c = zinc_harness::okta::OktaConfig::new(
        format!("http://127.0.0.1:{port}/scim/v2"),
        zinc_harness::okta::Auth::Bearer(TOKEN.into()),
    );
    c.timeout = Duration::from_secs(5);
    let okta = OktaClient::new(c).unwrap();
    let o = okta.test_credentials().await;
    assert!(!o.ok);
    assert!(o.exchanges[0].response.is_none());
    let msg = o.message.unwrap();
    assert!(
        msg.starts_with(
            "Error while testing the connection (listing users): Connect to the SCIM server failed"
        ),
        "{msg}"
    );
    assert!(msg.to_lowercase().contains("refused"), "{msg}");
}

#[tokio::test]
async fn a_create_without_an_id_fails() {
    let server = MockServer::start().await;
    let okta = client(&server, App::Oin);
    people(&okta);
    on_user_filter(&server, "alice@example.com", vec![]).await;
    on(&server, "POST", "/Users", ResponseTemplate::new(201)).await;
    let o = okta.assign_user("alice").await.unwrap();
    assert!(!o.ok);
    assert_eq!(
        o.message.as_deref(),
        Some("Error while creating user alice@example.com: Create new user returned empty user")
    );
    assert_eq!(okta.server_user_id("alice"), None);
    // A 409 is a failure with the server's detail.
    server.reset().await;
    on_user_filter(&server, "alice@example.com", vec![]).await;
    let answer = scim_error(409, "userName is taken");
    on(&server, "POST", "/Users", answer).await;
    let o = okta.assign_user("alice").await.unwrap();
    assert_eq!(
        o.message.as_deref(),
        Some(
            "Error while creating user alice@example.com: Conflict. Errors reported by remote server: userName is taken"
        )
    );
}

#[tokio::test]
async fn a_redirect_is_not_followed() {
    let (server, okta) = provisioned(App::Oin).await;
    on(
        &server,
        "PATCH",
        "/Users/zu-alice",
        ResponseTemplate::new(307).insert_header(
            "Location",
            "https://elsewhere.example/scim/v2/Users/zu-alice",
        ),
    )
    .await;
    let o = okta.deactivate_user("alice").await.unwrap();
    assert!(!o.ok);
    assert_eq!(o.exchanges.len(), 1);
    // Okta's context and the reason come first; the rest says where the redirect pointed.
    let message = o.message.as_deref().unwrap_or_default();
    assert!(
        message.starts_with("Error while deactivating user alice@example.com: Temporary Redirect"),
        "{message}"
    );
    assert!(message.contains("redirects are not followed"), "{message}");
}
