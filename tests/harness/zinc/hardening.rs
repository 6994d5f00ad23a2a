//! Issue #13: no request kills the mock or holds it, and what enters it is bounded.

use serde_json::json;
use zinc_harness::scim::ScimType;
use zinc_harness::zinc::ZincConfig;

use super::{assert_scim_error, okta_user, patch_op, start};

/// 20,000 `or` terms in a members path (≈380 KB, under the 1 MiB body cap) overflowed the
/// mock's stack and aborted it. Now: `invalidPath` naming the limit, and the mock answers on.
#[tokio::test]
async fn a_20000_term_member_path_is_refused_and_the_mock_lives_on() {
    let (_zinc, scim) = start(ZincConfig::default()).await;
    let user = scim.user("alice@example.com", "Alice", "Smith").await;
    let group = scim.group("Engineering", &[&user]).await;
    let chain = vec![r#"value eq "zz""#; 20_000].join(" or ");
    let r = scim
        .patch(
            &format!("/Groups/{group}"),
            patch_op(json!([{"op": "remove", "path": format!("members[{chain}]")}])),
        )
        .await;
    assert_scim_error(&r, 400, Some(ScimType::InvalidPath));
    assert!(r.text.contains("1000"), "names the limit: {}", r.text);
    assert_eq!(scim.members(&group).await, vec![user.clone()]);

    // At the limit a chain works, evaluated as one flat list.
    let mut terms = vec![r#"value eq "zz""#.to_owned(); 999];
    terms.push(format!(r#"value eq "{user}""#));
    let r = scim
        .patch(
            &format!("/Groups/{group}"),
            patch_op(json!([{"op": "remove", "path": format!("members[{}]", terms.join(" or "))}])),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert!(scim.members(&group).await.is_empty());
}

#[tokio::test]
async fn a_list_filter_past_the_term_limit_is_invalid_filter() {
    let (_zinc, scim) = start(ZincConfig::default()).await;
    let chain = vec![r#"userName eq "a""#; 1001].join(" or ");
    let r = scim
        .get(&format!("/Users?filter={}", urlencode(&chain)))
        .await;
    assert_scim_error(&r, 400, Some(ScimType::InvalidFilter));
    assert!(r.text.contains("1000"), "{}", r.text);
    assert_eq!(scim.get("/Users").await.status, 200);
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// A 1 MB `givenName` was stored; 100 of them made one list answer 200 MB.
#[tokio::test]
async fn values_past_the_size_limit_are_invalid_value_naming_it() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    let big = "x".repeat(zinc_harness::zinc::MAX_VALUE_BYTES + 1);
    let mut body = okta_user("alice@example.com", "Alice", "Smith");
    body["name"]["givenName"] = json!(big);
    let r = scim.post("/Users", body).await;
    assert_scim_error(&r, 400, Some(ScimType::InvalidValue));
    assert!(
        r.text
            .contains(&zinc_harness::zinc::MAX_VALUE_BYTES.to_string()),
        "{}",
        r.text
    );
    assert!(zinc.admin().list_users().is_empty());
    let user = scim.user("alice@example.com", "Alice", "Smith").await;
    let r = scim
        .patch(
            &format!("/Users/{user}"),
            patch_op(json!([{"op": "replace", "path": "name.familyName", "value": big}])),
        )
        .await;
    assert_scim_error(&r, 400, Some(ScimType::InvalidValue));
    let r = scim
        .post(
            "/Groups",
            json!({"schemas": [zinc_harness::scim::GROUP_SCHEMA], "displayName": big}),
        )
        .await;
    assert_scim_error(&r, 400, Some(ScimType::InvalidValue));
}

/// `times: 0` fired once, status 0/99/1000 became 500, 101 broke the connection, CRLF went
/// into a header, `delay_ms: u64::MAX` held a request for ever: each is refused with why.
#[tokio::test]
async fn the_admin_api_refuses_bad_fault_rules_with_the_reason() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    for (rule, says) in [
        (json!({"action": {"respond": {"status": 0}}}), "200 to 599"),
        (json!({"action": {"respond": {"status": 99}}}), "200 to 599"),
        (
            json!({"action": {"respond": {"status": 101}}}),
            "200 to 599",
        ),
        (
            json!({"action": {"respond": {"status": 1000}}}),
            "200 to 599",
        ),
        (
            json!({"times": 0, "action": {"respond": {"status": 500}}}),
            "times: 0",
        ),
        (
            json!({"delay_ms": u64::MAX, "action": "pass"}),
            "10 minutes",
        ),
        (
            json!({"action": {"respond": {"status": 503, "headers": {"Retry-After": "1\r\nSet-Cookie: x=1"}}}}),
            "Retry-After",
        ),
        (
            json!({"action": {"respond": {"status": 503, "headers": {"Bad Name": "1"}}}}),
            "Bad Name",
        ),
    ] {
        let r = scim.admin_send("POST", "/faults", Some(rule.clone())).await;
        assert_eq!(r.status, 400, "{rule}: {}", r.text);
        assert_eq!(r.body["error"], "invalid_fault", "{}", r.text);
        assert!(r.text.contains(says), "{rule}: {}", r.text);
    }
    assert!(zinc.faults().list().is_empty());
    assert_eq!(scim.get("/Users").await.status, 200);
}

/// Ten rules and a 60,000-character path stalled every request for seconds (quadratic
/// matching under one lock). The answer is the fault's, and other requests go on.
#[tokio::test]
async fn long_paths_against_many_fault_rules_are_matched() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    for i in 0..10 {
        zinc.faults()
            .add(
                zinc_harness::zinc::FaultRule::respond(503)
                    .path(&format!("{}*b{i}", "*a".repeat(20))),
            )
            .expect("a valid rule");
    }
    let long = format!("/Users/{}", "a".repeat(60_000));
    let r = scim.get(&long).await;
    assert_eq!(
        r.status, 404,
        "no rule matches, the directory answers: {}",
        r.text
    );
    assert_eq!(scim.get("/Users").await.status, 200);
}

/// Sends `head` (a request line and headers) on a fresh connection and returns what comes
/// back before the server closes it, or `None` when it is still open after `wait`.
async fn raw_exchange(
    addr: std::net::SocketAddr,
    head: &str,
    wait: std::time::Duration,
) -> Option<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    stream.write_all(head.as_bytes()).await.expect("send");
    let mut got = Vec::new();
    let read = tokio::time::timeout(wait, stream.read_to_end(&mut got)).await;
    read.ok()
        .map(|_| String::from_utf8_lossy(&got).into_owned())
}

/// A connection that sent its headers and one byte of body was held for ever; 140 of them
/// made a server with 128 descriptors unreachable. Now: 408 and closed at the timeout.
#[tokio::test]
async fn a_stalled_body_is_answered_408_and_dropped_within_the_timeout() {
    let mut config = ZincConfig::default();
    config.request_timeout = std::time::Duration::from_millis(300);
    let (zinc, scim) = start(config).await;
    let head = format!(
        "POST /scim/v2/Users HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: application/scim+json\r\nContent-Length: 100\r\n\r\n{{",
        zinc.addr(),
        zinc.token().unwrap()
    );
    let answer = raw_exchange(zinc.addr(), &head, std::time::Duration::from_secs(10))
        .await
        .expect("the server closes the connection");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request timeout"), "{answer}");
    assert!(
        answer.to_ascii_lowercase().contains("connection: close"),
        "{answer}"
    );
    assert_eq!(scim.get("/Users").await.status, 200);
}

/// Past the connection cap a new connection gets a 503 SCIM Error at once and is closed;
/// the ones already open keep working, and a freed slot is usable again.
#[tokio::test]
async fn connections_past_the_cap_are_answered_503_and_closed() {
    let mut config = ZincConfig::default();
    config.max_connections = 4;
    let (zinc, scim) = start(config).await;
    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(tokio::net::TcpStream::connect(zinc.addr()).await.unwrap());
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let answer = raw_exchange(
        zinc.addr(),
        "GET /scim/v2/Users HTTP/1.1\r\nHost: x\r\n\r\n",
        std::time::Duration::from_secs(5),
    )
    .await
    .expect("closed at once");
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("connection limit"), "{answer}");
    drop(idle);
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(scim.get("/Users").await.status, 200);
}

/// Any page a developer opened could install faults, rotate the token or disable
/// provisioning; DNS rebinding could read the new token.
#[tokio::test]
async fn a_cross_origin_admin_post_is_refused_and_changes_nothing() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    let token = zinc.token();
    let post = |path: &str| scim.http.post(format!("{}{path}", scim.admin));
    // What a page's fetch() or form sends.
    let r = super::read(post("/token/rotate").header("Origin", "https://evil.example")).await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(r.body["error"], "cross_origin");
    let r = super::read(
        post("/faults")
            .header("Content-Type", "text/plain")
            .body(r#"{"action": "drop"}"#),
    )
    .await;
    assert_eq!(r.status, 415, "{}", r.text);
    let r = super::read(post("/provisioning/disable").header("Host", "rebind.example:80")).await;
    assert_eq!(r.status, 403, "{}", r.text);
    assert_eq!(r.body["error"], "forbidden_host");
    assert_eq!(zinc.token(), token, "nothing changed");
    assert!(zinc.faults().list().is_empty());
    // The server's own origin still works.
    let own = format!("http://{}", zinc.addr());
    let r = super::read(post("/token/rotate").header("Origin", own)).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn an_admin_token_is_then_required() {
    let mut config = ZincConfig::default();
    config.admin_token = Some("admin-secret-123".into());
    let (_zinc, scim) = start(config).await;
    let r = scim.admin_send("GET", "/settings", None).await;
    assert_eq!(r.status, 401, "{}", r.text);
    let r = super::read(
        scim.http
            .get(format!("{}/settings", scim.admin))
            .bearer_auth("admin-secret-123"),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

#[tokio::test]
async fn an_admin_api_turned_off_answers_404_and_scim_goes_on() {
    let mut config = ZincConfig::default();
    config.admin_api = false;
    let (_zinc, scim) = start(config).await;
    let r = scim.admin_send("POST", "/token/rotate", None).await;
    assert_eq!(r.status, 404, "{}", r.text);
    assert!(r.text.contains("--admin-token"), "{}", r.text);
    assert_eq!(scim.get("/Users").await.status, 200);
}
