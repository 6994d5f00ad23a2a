//! The wire format pinned as snapshots: what Okta reads back from the mock (ids and times
//! redacted).

use serde_json::{Value, json};
use zinc_harness::zinc::ZincConfig;

use super::{okta_user, patch_op, start};

#[tokio::test]
async fn an_okta_exchange_reads_back_as_pinned() {
    let (_zinc, scim) = start(ZincConfig::default()).await;
    let mut transcript: Vec<Value> = Vec::new();
    let mut record = |label: &str, r: super::Resp| {
        transcript.push(json!({"step": label, "status": r.status, "content_type": r.content_type(), "body": r.body}));
    };
    record(
        "credential test",
        scim.get("/Users?startIndex=1&count=2").await,
    );
    record(
        "lookup",
        scim.get("/Users?filter=userName%20eq%20%22alice%40example.com%22&startIndex=1&count=100")
            .await,
    );
    let created = scim
        .post("/Users", okta_user("alice@example.com", "Alice", "Smith"))
        .await;
    let alice = created.body["id"].as_str().unwrap().to_owned();
    record("create", created);
    record(
        "duplicate",
        scim.post("/Users", okta_user("ALICE@example.com", "Alice", "Smith"))
            .await,
    );
    record(
        "rename refused",
        scim.patch(
            &format!("/Users/{alice}"),
            patch_op(json!([{"op": "replace", "path": "userName", "value": "a@example.com"}])),
        )
        .await,
    );
    let g = scim.group("Engineering", &[&alice]).await;
    record("group read", scim.get(&format!("/Groups/{g}")).await);
    record(
        "deactivate",
        scim.patch(
            &format!("/Users/{alice}"),
            patch_op(json!([{"op": "replace", "value": {"active": false}}])),
        )
        .await,
    );
    record(
        "read after deactivation",
        scim.get(&format!("/Users/{alice}")).await,
    );
    record(
        "bad filter",
        scim.get("/Users?filter=userName%20co%20%22a%22").await,
    );
    // Ids are random: name them.
    let text = serde_json::to_string(&transcript)
        .unwrap()
        .replace(&alice, "<user:alice>")
        .replace(&g, "<group:engineering>");
    let transcript: Value = serde_json::from_str(&text).unwrap();
    insta::with_settings!({snapshot_path => "../snapshots"}, {
        insta::assert_yaml_snapshot!(transcript, {
            "[].body.meta.created" => "[time]",
            "[].body.meta.lastModified" => "[time]",
            "[].body.Resources[].meta.created" => "[time]",
            "[].body.Resources[].meta.lastModified" => "[time]",
            "[].body.meta.location" => "[location]",
        });
    });
}
