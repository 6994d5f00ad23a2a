//! Request shapes Okta really sends (okta-client-reference.md §3, §4, §9), each accepted.

use serde_json::json;
use zinc_harness::scim::{ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};
use zinc_harness::zinc::ZincConfig;

use super::{patch_op, read, start};

#[tokio::test]
async fn user_bodies_with_every_okta_quirk_are_accepted() {
    let (_zinc, scim) = start(ZincConfig::default()).await;
    // §3.2: captured create, enterprise extension, old-template locale and userType.
    let r = scim
        .post(
            "/Users",
            json!({
                "schemas": [USER_SCHEMA, ENTERPRISE_USER_SCHEMA],
                "userName": "jane.doe@example.com",
                "name": {"givenName": "Jane", "familyName": "Doe", "middleName": "undefined"},
                "emails": [{"primary": true, "value": "jane.doe@example.com"}],
                "locale": "en_US", "userType": "Employee", "title": "Engineer",
                "externalId": "00u1jane", "groups": [], "password": "aB3$efgh", "active": true,
                ENTERPRISE_USER_SCHEMA: {"department": "R&D", "manager": {"value": "x"}},
                "urn:okta:custom:user:1.0": {"shoe": 42}
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let path = format!("/Users/{id}");
    // §9.9: PUT echoes the GET body, with odd types such as active "true".
    let mut put = scim.get(&path).await.body;
    put["active"] = json!("true");
    put["password"] = json!("echoed");
    put[ENTERPRISE_USER_SCHEMA] = json!({"department": "Ops"});
    let r = scim.put(&path, put).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // §3.7 password sync, extension attributes by path and path-less.
    for ops in [
        json!([{"op": "replace", "value": {"password": "n3w"}}]),
        json!([{"op": "replace", "path": format!("{ENTERPRISE_USER_SCHEMA}:department"), "value": "Ops"}]),
        json!([{"op": "replace", "value": {ENTERPRISE_USER_SCHEMA: {"department": "Ops"}, "urn:okta:custom:user:1.0": {"a": 1}}}]),
        json!([{"op": "replace", "value": {USER_SCHEMA: {"name": {"givenName": "Janet"}}}}]),
    ] {
        let r = scim.patch(&path, patch_op(ops.clone())).await;
        assert_eq!(r.status, 200, "{ops}: {}", r.text);
    }
    assert_eq!(scim.get(&path).await.body["name"]["givenName"], "Janet");
    // SCIM 1.1-style headers; a DELETE carrying a Content-Type and no body; a GET with one.
    let r = read(
        scim.request("GET", &path)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json"),
    )
    .await;
    assert_eq!(r.status, 200);
    let r = read(
        scim.request("DELETE", &path)
            .header("Content-Type", "application/scim+json; charset=utf-8"),
    )
    .await;
    assert_eq!(r.status, 204);
}

#[tokio::test]
async fn group_bodies_with_every_okta_quirk_are_accepted() {
    let (_zinc, scim) = start(ZincConfig::default()).await;
    let a = scim.user("a@example.com", "A", "A").await;
    let b = scim.user("b@example.com", "B", "B").await;
    // SCIM 1.1-style group description extension, members with display and $ref.
    let r = scim
        .post(
            "/Groups",
            json!({
                "schemas": [GROUP_SCHEMA, "urn:okta:custom:group:1.0"],
                "displayName": "Eng",
                "urn:okta:custom:group:1.0": {"description": "Engineers"},
                "members": [{"value": a, "display": "a@example.com", "$ref": "x"}]
            }),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let g = r.body["id"].as_str().unwrap().to_owned();
    let path = format!("/Groups/{g}");
    for ops in [
        json!([{"op": "replace", "value": {"id": g, "displayName": "Eng", "urn:okta:custom:group:1.0": {"description": "x"}}}]),
        json!([{"op": "replace", "path": "urn:okta:custom:group:1.0:description", "value": "y"}]),
        json!([{"op": "add", "path": "members", "value": [{"value": b, "display": "b@example.com"}]}]),
        json!([{"op": "remove", "path": format!("members[value eq \"{b}\"]")}, {"op": "remove", "path": format!("members[value eq \"{b}\"]")}]),
        json!([{"op": "remove", "path": "members", "value": [{"value": a}]}]),
        json!([{"op": "add", "path": "members", "value": [{"value": a}]}, {"op": "add", "path": "members", "value": [{"value": a}]}]),
        json!([{"op": "replace", "path": "members", "value": null}]),
    ] {
        let r = scim.patch(&path, patch_op(ops.clone())).await;
        assert_eq!(r.status, 204, "{ops}: {}", r.text);
    }
    // AIW: PUT of the whole group, members possibly null.
    let r = scim.put(&path, json!({"schemas": [GROUP_SCHEMA], "id": g, "displayName": "Eng", "members": null, "meta": {}})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    // Emptied: no `members` at all (RFC 7643 §2.5, an empty attribute is not returned).
    assert_eq!(r.body.get("members"), None, "{}", r.text);
}
