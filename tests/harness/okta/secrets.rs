//! No secret reaches a transcript or a message: not the token, not a password Okta sent,
//! not one a server echoed.

use serde_json::json;
use wiremock::MockServer;
use zinc_harness::okta::{App, Body, REDACTED};

use super::support::*;

#[tokio::test]
async fn passwords_and_tokens_are_redacted_as_stored() {
    let server = MockServer::start().await;
    let okta = client(&server, App::Oin);
    people(&okta);
    on_user_filter(&server, "alice@example.com", vec![]).await;
    let password = password_of(&okta, "alice", 1);
    // A careless server echoes the password it got and the token in its answer.
    on(
        &server,
        "POST",
        "/Users",
        ok_json(
            201,
            json!({
                "id": "zu-alice", "userName": "alice@example.com", "password": password,
                "note": format!("token was {TOKEN} and pw {password}")
            }),
        ),
    )
    .await;
    let o = okta.assign_user("alice").await.unwrap();
    assert!(o.ok);
    let post = &o.exchanges[1];
    let Some(Body::Json(sent)) = &post.request_body else {
        panic!()
    };
    assert_eq!(sent["password"], json!(REDACTED));
    let Body::Json(got) = &post.response.as_ref().unwrap().body else {
        panic!()
    };
    assert_eq!(got["password"], json!(REDACTED));
    assert_eq!(
        got["note"],
        json!(format!("token was {REDACTED} and pw {REDACTED}"))
    );
    let text = serde_json::to_string(&o).unwrap() + &format!("{o:?}");
    assert!(!text.contains(TOKEN) && !text.contains(&password));
    // The wire did carry the real password.
    assert_eq!(
        wire(&server).await[1].body.as_ref().unwrap()["password"],
        json!(password)
    );
}

#[tokio::test]
async fn an_error_detail_quoting_the_token_is_redacted_in_the_message() {
    let server = MockServer::start().await;
    let okta = client(&server, App::Oin);
    on(
        &server,
        "GET",
        "/Users",
        scim_error(401, &format!("Invalid SCIM token {TOKEN}")),
    )
    .await;
    let o = okta.test_credentials().await;
    assert!(!o.ok);
    assert_eq!(
        o.message.as_deref(),
        Some(
            "Error while testing the connection (listing users): Unauthorized. Errors reported by remote server: Invalid SCIM token <redacted>"
        )
    );
    assert!(!serde_json::to_string(&o).unwrap().contains(TOKEN));
}
