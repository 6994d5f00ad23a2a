//! The fault layer, from the library API and from the admin API.

use std::time::{Duration, Instant};

use serde_json::json;
use zinc_harness::zinc::{FaultRule, ZincConfig};

use super::{okta_user, start};

#[tokio::test]
async fn a_counted_fault_answers_its_response_then_lets_requests_through() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    zinc.faults().add(
        FaultRule::respond(429)
            .method("POST")
            .path("/Users")
            .times(2)
            .header("Retry-After", "3")
            .body(json!({"schemas": [zinc_harness::scim::ERROR_SCHEMA], "status": "429", "detail": "slow down"})),
    ).expect("a valid rule");
    // Other methods and paths are untouched.
    assert_eq!(scim.get("/Users").await.status, 200);
    for _ in 0..2 {
        let r = scim
            .post("/Users", okta_user("a@example.com", "A", "B"))
            .await;
        assert_eq!(r.status, 429);
        assert_eq!(r.headers["retry-after"], "3");
        assert_eq!(r.body["detail"], "slow down");
    }
    assert!(
        zinc.admin().list_users().is_empty(),
        "a faulted request does not reach the directory"
    );
    assert_eq!(
        scim.post("/Users", okta_user("a@example.com", "A", "B"))
            .await
            .status,
        201
    );
    assert!(zinc.faults().list().is_empty(), "used up");
}

#[tokio::test]
async fn an_always_fault_stays_until_cleared_and_text_bodies_are_plain() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    let id = zinc
        .faults()
        .add(
            FaultRule::respond(502)
                .path("/Groups*")
                .body(json!("<html>Bad gateway</html>")),
        )
        .expect("a valid rule");
    for path in ["/Groups", "/Groups/x", "/Groups?startIndex=1&count=100"] {
        let r = scim.get(path).await;
        assert_eq!(r.status, 502);
        assert_eq!(r.text, "<html>Bad gateway</html>");
        assert!(r.content_type().starts_with("text/plain"));
    }
    assert!(zinc.faults().remove(id));
    assert_eq!(scim.get("/Groups").await.status, 200);
}

#[tokio::test]
async fn delays_and_dropped_connections() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    zinc.faults()
        .add(
            FaultRule::delay_only(Duration::from_millis(300))
                .path("/Users")
                .times(1),
        )
        .expect("a valid rule");
    let t = Instant::now();
    assert_eq!(scim.get("/Users").await.status, 200);
    assert!(t.elapsed() >= Duration::from_millis(300));
    zinc.faults()
        .add(
            FaultRule::drop_connection()
                .method("GET")
                .path("/Users/*")
                .times(1),
        )
        .expect("a valid rule");
    let err = scim
        .request("GET", "/Users/abc")
        .send()
        .await
        .expect_err("the connection is dropped");
    assert!(!err.is_status(), "{err}");
    // The next request is served normally.
    assert_eq!(scim.get("/Users/abc").await.status, 404);
}

#[tokio::test]
async fn faults_can_be_managed_over_the_admin_api() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    let rule = json!({"method": "GET", "path": "/Users", "times": 1, "delay_ms": 10,
                      "action": {"respond": {"status": 503, "headers": [["Retry-After", "1"]]}}});
    let r = scim.admin_send("POST", "/faults", Some(rule)).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = scim.admin_send("GET", "/faults", None).await;
    assert_eq!(r.body[0]["remaining"], 1);
    // Headers come back in the object form the README documents, whichever form was sent.
    assert_eq!(
        r.body[0]["rule"]["action"]["respond"]["headers"],
        json!({"Retry-After": "1"}),
        "{}",
        r.text
    );
    let r = scim.get("/Users").await;
    assert_eq!(
        (r.status, r.headers["retry-after"].to_str().unwrap()),
        (503, "1")
    );
    assert_eq!(scim.get("/Users").await.status, 200);
    scim.admin_send(
        "POST",
        "/faults",
        Some(json!({"path": "*", "action": "drop"})),
    )
    .await;
    assert_eq!(zinc.faults().list().len(), 1);
    // The admin API itself is never faulted.
    assert_eq!(scim.admin_send("DELETE", "/faults", None).await.status, 204);
    assert!(zinc.faults().list().is_empty());
    assert_eq!(scim.get("/Users").await.status, 200);
    let r = scim
        .admin_send("POST", "/faults", Some(json!({"action": {"explode": {}}})))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        scim.admin_send("DELETE", "/faults/999", None).await.status,
        404
    );
}
