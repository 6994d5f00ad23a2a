//! Issue 17: the five answers where the mock differed from RFC 7644 and the Zinc contract. Each
//! test is named for the rule it pins and failed against the mock before the fix.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zinc_harness::scim::ScimType;
use zinc_harness::zinc::ZincConfig;

use super::{Scim, assert_scim_error, okta_user, patch_op, start};

/// Every place a user or a group is served: create/replace answers, by id, in a list.
async fn served(scim: &Scim, kind: &str, id: &str) -> Vec<Value> {
    let one = scim.get(&format!("/{kind}/{id}")).await;
    assert_eq!(one.status, 200, "{}", one.text);
    let list = scim
        .get(&format!("/{kind}?filter=id%20eq%20%22{id}%22"))
        .await;
    assert_eq!(list.status, 200, "{}", list.text);
    vec![one.body, list.body["Resources"][0].clone()]
}

/// RFC 7643 §2.5: unassigned and empty are the same, and a service provider returns neither;
/// Z12 makes an attribute missing from a PUT empty, so a PUT without `name` leaves no `name`.
#[tokio::test]
async fn z12_put_without_name_returns_no_empty_name() {
    let (_zinc, scim) = start(ZincConfig::default()).await;
    let id = scim.user("ann@example.com", "Ann", "Lee").await;
    let mut body = okta_user("ann@example.com", "Ann", "Lee");
    body.as_object_mut().unwrap().remove("name");
    let put = scim.put(&format!("/Users/{id}"), body).await;
    assert_eq!(put.status, 200, "{}", put.text);
    let mut bodies = vec![put.body];
    bodies.extend(served(&scim, "Users", &id).await);
    for user in bodies {
        assert!(
            user.get("name").is_none(),
            "an empty name is returned: {user}"
        );
        assert!(user.get("displayName").is_none(), "{user}");
    }
    // One name part left: `name` holds just that part.
    let r = scim
        .patch(
            &format!("/Users/{id}"),
            patch_op(json!([{"op": "add", "path": "name.familyName", "value": "Lee"}])),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["name"], json!({"familyName": "Lee"}), "{}", r.text);
}

/// The same for a multi-valued attribute: a group emptied by Okta has no `members: []`.
#[tokio::test]
async fn z16_an_empty_group_returns_no_empty_members() {
    let (_zinc, scim) = start(ZincConfig::default()).await;
    let ann = scim.user("ann@example.com", "Ann", "Lee").await;
    let gid = scim.group("Empty soon", &[&ann]).await;
    let r = scim
        .patch(
            &format!("/Groups/{gid}"),
            patch_op(json!([{"op": "replace", "path": "members", "value": []}])),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    for group in served(&scim, "Groups", &gid).await {
        assert!(
            group.get("members").is_none(),
            "empty members returned: {group}"
        );
    }
    let created = scim
        .post(
            "/Groups",
            json!({"schemas": [zinc_harness::scim::GROUP_SCHEMA], "displayName": "Never filled"}),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert!(created.body.get("members").is_none(), "{}", created.text);
}

/// Z13: unknown paths are `invalidPath`, whatever value they carry: the path is judged first.
#[tokio::test]
async fn z13_an_unknown_patch_path_is_invalid_path_whatever_its_value() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    let id = scim.user("ann@example.com", "Ann", "Lee").await;
    let gid = scim.group("Team", &[&id]).await;
    for (kind, target, op) in [
        (
            "Users",
            &id,
            json!({"op": "replace", "path": "name.nickname", "value": 3}),
        ),
        (
            "Users",
            &id,
            json!({"op": "replace", "path": "name.nickname", "value": "Annie"}),
        ),
        (
            "Users",
            &id,
            json!({"op": "replace", "value": {"name": {"nickname": 3}}}),
        ),
        (
            "Users",
            &id,
            json!({"op": "replace", "path": "userName.first", "value": 3}),
        ),
        (
            "Users",
            &id,
            json!({"op": "replace", "path": "active.now", "value": "maybe"}),
        ),
        (
            "Users",
            &id,
            json!({"op": "replace", "path": "externalId.part", "value": 7}),
        ),
        (
            "Groups",
            &gid,
            json!({"op": "replace", "path": "externalId.part", "value": 7}),
        ),
    ] {
        let before = (zinc.admin().list_users(), zinc.admin().list_groups());
        let r = scim
            .patch(&format!("/{kind}/{target}"), patch_op(json!([op.clone()])))
            .await;
        assert_scim_error(&r, 400, Some(ScimType::InvalidPath));
        assert_eq!(
            (zinc.admin().list_users(), zinc.admin().list_groups()),
            before,
            "{op} changed something"
        );
    }
    // A known path with a wrong value stays `invalidValue`.
    let r = scim
        .patch(
            &format!("/Users/{id}"),
            patch_op(json!([{"op": "replace", "path": "name.givenName", "value": 3}])),
        )
        .await;
    assert_scim_error(&r, 400, Some(ScimType::InvalidValue));
}

/// Z20 and RFC 7644 §3.12 (Table 9): JSON that is not the expected message structure is
/// `invalidSyntax`; `invalidValue` is for a value that is wrong for an attribute.
#[tokio::test]
async fn z20_json_of_the_wrong_structure_is_invalid_syntax() {
    let (_zinc, scim) = start(ZincConfig::default()).await;
    let id = scim.user("ann@example.com", "Ann", "Lee").await;
    let gid = scim.group("Team", &[&id]).await;
    for target in [format!("/Users/{id}"), format!("/Groups/{gid}")] {
        for body in [
            json!([1, 2]),
            json!("text"),
            json!(42),
            json!({"schemas": [zinc_harness::scim::PATCH_OP_SCHEMA]}),
            json!({"Operations": {"op": "add"}}),
            json!({"Operations": [7]}),
            json!({"Operations": []}),
            json!({"Operations": [{"op": "merge", "path": "active", "value": true}]}),
            json!({"schemas": "urn", "Operations": [{"op": "add", "value": {}}]}),
        ] {
            let r = scim.patch(&target, body.clone()).await;
            assert_scim_error(&r, 400, Some(ScimType::InvalidSyntax));
        }
    }
    for body in [json!([1, 2]), json!(null)] {
        assert_scim_error(
            &scim.post("/Users", body.clone()).await,
            400,
            Some(ScimType::InvalidSyntax),
        );
        assert_scim_error(
            &scim.put(&format!("/Users/{id}"), body).await,
            400,
            Some(ScimType::InvalidSyntax),
        );
    }
}

/// Z23: anything but the supported comparisons is 400 `invalidFilter`, an empty filter too:
/// answering everyone hides a client that lost its filter.
#[tokio::test]
async fn z23_an_empty_filter_is_invalid_filter() {
    let (_zinc, scim) = start(ZincConfig::default()).await;
    let id = scim.user("ann@example.com", "Ann", "Lee").await;
    scim.group("Team", &[&id]).await;
    for kind in ["Users", "Groups"] {
        for query in [
            "filter=",
            "filter=%20%20",
            "filter=+",
            "filter",
            "FILTER=&count=5",
        ] {
            let r = scim.get(&format!("/{kind}?{query}")).await;
            assert_scim_error(&r, 400, Some(ScimType::InvalidFilter));
        }
        // No filter parameter at all still lists everyone.
        let all = scim.get(&format!("/{kind}?count=5")).await;
        assert_eq!(all.status, 200, "{}", all.text);
        assert_eq!(all.body["totalResults"], json!(1), "{}", all.text);
    }
}

/// Z24: a declared body over 1 MiB gets its 413 from the header, before the body is read,
/// with a SCIM Error body, and the connection is closed.
#[tokio::test]
async fn z24_a_declared_oversized_body_is_refused_at_once() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    let token = scim.token.clone().unwrap();
    let addr = zinc.addr();
    for (method, path) in [("POST", "/scim/v2/Users"), ("PATCH", "/scim/v2/Users/x")] {
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/scim+json\r\nContent-Length: 99999999\r\n\r\n{{"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let mut response = Vec::new();
        // Read to the end: only a closed connection ends this within the time.
        let read =
            tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut response)).await;
        let text = String::from_utf8_lossy(&response);
        assert!(
            read.is_ok(),
            "no answer (or the connection kept open) within 5 s; got so far: {text:?}"
        );
        assert!(text.starts_with("HTTP/1.1 413"), "{text}");
        assert!(
            text.to_ascii_lowercase().contains("connection: close"),
            "{text}"
        );
        let body = text.split("\r\n\r\n").nth(1).unwrap_or("");
        let error: Value = serde_json::from_str(body).expect("a SCIM Error body");
        assert_eq!(error["status"], json!("413"), "{body}");
        assert_eq!(
            error["schemas"],
            json!([zinc_harness::scim::ERROR_SCHEMA]),
            "{body}"
        );
    }
    assert!(zinc.admin().list_users().is_empty());
}
