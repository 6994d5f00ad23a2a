//! Testing your own SCIM *client* against the mock Zinc, the way wiremock users test an HTTP
//! client: start a mock, point the client at it, then assert what it sent (the request log) and
//! what it must never send (expectations checked when the mock is dropped).
//!
//! The client here is a tiny deprovisioning job: find a user by userName, deactivate it with a
//! path-less PATCH (as Okta's OIN apps do). Run it with
//! `cargo run --example grade_a_scim_client`; `cargo test` runs its test.

// Not a library: its `pub` items are for its own modules (Cargo.toml, [lints]).
#![allow(unreachable_pub)]

use serde_json::{Value, json};
use zinc_harness::zinc::{Expect, MockZinc};

/// The client under test: deactivates `user_name`, if the server knows it.
async fn deactivate(base_url: &str, token: &str, user_name: &str) -> Result<bool, reqwest::Error> {
    let http = reqwest::Client::new();
    let filter: String =
        url::form_urlencoded::byte_serialize(format!("userName eq \"{user_name}\"").as_bytes())
            .collect();
    let found: Value = http
        .get(format!("{base_url}/Users?filter={filter}"))
        .bearer_auth(token)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let Some(id) = found["Resources"][0]["id"].as_str() else {
        return Ok(false);
    };
    http.patch(format!("{base_url}/Users/{id}"))
        .bearer_auth(token)
        .json(&json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "value": {"active": false}}]
        }))
        .send()
        .await?
        .error_for_status()?;
    Ok(true)
}

/// Grades the client: one lookup, one deactivating PATCH, never a DELETE.
async fn grade() {
    let zinc = MockZinc::start().await;
    let token = zinc.token().expect("provisioning is enabled by default");
    let created = reqwest::Client::new()
        .post(format!("{}/Users", zinc.base_url()))
        .bearer_auth(&token)
        .json(&json!({"userName": "alice@example.com",
                      "name": {"givenName": "Alice", "familyName": "Smith"}}))
        .send()
        .await
        .expect("create alice");
    assert_eq!(created.status(), 201);
    zinc.reset_requests(); // grade only what the client sends

    zinc.expect(Expect::request("GET", "/Users?filter=*").times(1));
    zinc.expect(
        Expect::request("PATCH", "/Users/*")
            .with_body(json!({"Operations": [{"value": {"active": false}}]}))
            .times(1),
    );
    zinc.expect(Expect::request("DELETE", "*").never());

    let done = deactivate(&zinc.base_url(), &token, "alice@example.com")
        .await
        .expect("the client talks to the mock");
    assert!(done, "the client found alice");

    let sent: Vec<String> = zinc.received_requests().iter().map(|r| r.line()).collect();
    println!("the client sent:\n  {}", sent.join("\n  "));
    // Zinc removes a deactivated user (Z10): the directory proves the PATCH took effect.
    assert!(zinc.admin().list_users().is_empty());
    // `zinc` is dropped here: an unmet expectation would fail with the requests received.
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    grade().await;
    println!("the client passes");
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn the_tiny_client_passes_its_grading() {
        super::grade().await;
    }

    /// The grading bites: a client that deletes instead of deactivating fails it.
    #[tokio::test]
    #[should_panic(expected = "expected exactly 0 × * *: received 1")]
    async fn a_client_that_deletes_fails_its_grading() {
        use zinc_harness::zinc::{Expect, MockZinc};
        let zinc = MockZinc::start().await;
        zinc.expect(Expect::request("*", "*").never());
        let _ = reqwest::Client::new()
            .delete(format!("{}/Users/whatever", zinc.base_url()))
            .bearer_auth(zinc.token().unwrap())
            .send()
            .await;
    }
}
