//! Bad input: each kind gets the right SCIM Error and changes nothing.

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use zinc_harness::scim::ScimType;
use zinc_harness::zinc::{ConsoleGroup, ConsoleUser, MockZinc, ZincConfig};

use super::{Scim, assert_scim_error, okta_user, patch_op, start};

/// Everything the console can see, to compare before and after a bad request.
fn snapshot(zinc: &MockZinc) -> (Vec<ConsoleUser>, Vec<ConsoleGroup>) {
    (zinc.admin().list_users(), zinc.admin().list_groups())
}

async fn seeded() -> (MockZinc, Scim, String, String) {
    let (zinc, scim) = start(ZincConfig::default()).await;
    let user = scim.user("alice@example.com", "Alice", "Smith").await;
    let group = scim.group("Engineering", &[&user]).await;
    (zinc, scim, user, group)
}

async fn raw_body(
    scim: &Scim,
    method: &str,
    path: &str,
    content_type: &str,
    body: &'static str,
) -> super::Resp {
    super::read(
        scim.request(method, path)
            .header("Content-Type", content_type)
            .body(body),
    )
    .await
}

#[tokio::test]
async fn non_json_bodies_are_invalid_syntax_and_change_nothing() {
    let (zinc, scim, user, group) = seeded().await;
    let before = snapshot(&zinc);
    let targets = [
        ("POST", "/Users".to_owned()),
        ("PUT", format!("/Users/{user}")),
        ("PATCH", format!("/Users/{user}")),
        ("POST", "/Groups".to_owned()),
        ("PUT", format!("/Groups/{group}")),
        ("PATCH", format!("/Groups/{group}")),
    ];
    for (method, path) in &targets {
        for body in [
            "{\"userName\": ",
            "not json",
            "",
            "   ",
            "<html></html>",
            "[1,2",
            "{\"a\":1}}",
        ] {
            let r = raw_body(&scim, method, path, "application/scim+json", body).await;
            assert_scim_error(&r, 400, Some(ScimType::InvalidSyntax));
        }
        // Valid JSON that is not an object.
        let r = raw_body(&scim, method, path, "application/json", "[1, 2]").await;
        assert_eq!(r.status, 400, "{method} {path}: {}", r.text);
    }
    assert_eq!(snapshot(&zinc), before);
}

#[tokio::test]
async fn wrong_types_are_invalid_value_and_change_nothing() {
    let (zinc, scim, user, group) = seeded().await;
    let before = snapshot(&zinc);
    let u = format!("/Users/{user}");
    let g = format!("/Groups/{group}");
    let mut cases: Vec<(&str, String, Value)> = Vec::new();
    for (field, value) in [
        ("active", json!(3)),
        ("userName", json!(5)),
        ("name", json!("x")),
        ("externalId", json!(7)),
        ("active", json!("maybe")),
    ] {
        let mut body = okta_user("bob@example.com", "Bob", "Jones");
        body[field] = value.clone();
        cases.push(("POST", "/Users".into(), body.clone()));
        let mut put = okta_user("alice@example.com", "Alice", "Smith");
        put[field] = value.clone();
        cases.push(("PUT", u.clone(), put));
        cases.push((
            "PATCH",
            u.clone(),
            patch_op(json!([{"op": "replace", "path": field, "value": value}])),
        ));
        cases.push((
            "PATCH",
            u.clone(),
            patch_op(json!([{"op": "replace", "value": {field: value}}])),
        ));
    }
    cases.push((
        "PATCH",
        u.clone(),
        patch_op(json!([{"op": "replace", "path": "name.givenName", "value": 1}])),
    ));
    cases.push((
        "PATCH",
        u.clone(),
        patch_op(json!([{"op": "replace", "value": "active"}])),
    ));
    for members in [
        json!("x"),
        json!(3),
        json!([1]),
        json!([{"display": "no value"}]),
        json!([{"value": 5}]),
    ] {
        cases.push((
            "POST",
            "/Groups".into(),
            json!({"displayName": "New", "members": members}),
        ));
        cases.push((
            "PUT",
            g.clone(),
            json!({"displayName": "Engineering", "members": members}),
        ));
        cases.push((
            "PATCH",
            g.clone(),
            patch_op(json!([{"op": "add", "path": "members", "value": members}])),
        ));
        cases.push((
            "PATCH",
            g.clone(),
            patch_op(json!([{"op": "replace", "value": {"members": members}}])),
        ));
    }
    cases.push(("POST", "/Groups".into(), json!({"displayName": 5})));
    cases.push((
        "PATCH",
        g.clone(),
        patch_op(json!([{"op": "replace", "path": "displayName", "value": ["x"]}])),
    ));
    cases.push((
        "PATCH",
        u.clone(),
        patch_op(json!([{"op": "replace", "path": "active"}])),
    ));
    // Malformed PatchOp messages: the structure is wrong, not an attribute's value, so
    // `invalidSyntax` (RFC 7644 §3.12, Table 9).
    let malformed = [
        (
            u.clone(),
            json!({"schemas": [zinc_harness::scim::PATCH_OP_SCHEMA]}),
        ),
        (u.clone(), json!({"Operations": "replace"})),
        (
            u.clone(),
            patch_op(json!([{"op": "move", "path": "active", "value": true}])),
        ),
        (g.clone(), patch_op(json!([]))),
    ];
    let wrong = cases
        .into_iter()
        .map(|case| (case, ScimType::InvalidValue))
        .chain(
            malformed
                .into_iter()
                .map(|(path, body)| (("PATCH", path, body), ScimType::InvalidSyntax)),
        );
    for ((method, path, body), scim_type) in wrong {
        let r = scim.send(method, &path, Some(body.clone())).await;
        assert_scim_error(&r, 400, Some(scim_type));
        assert_eq!(
            snapshot(&zinc),
            before,
            "{method} {path} {body} changed state"
        );
    }
    // remove without a path: noTarget.
    let r = scim.patch(&u, patch_op(json!([{"op": "remove"}]))).await;
    assert_scim_error(&r, 400, Some(ScimType::NoTarget));
    assert_eq!(snapshot(&zinc), before);
}

#[tokio::test]
async fn unknown_patch_paths_are_invalid_path_and_change_nothing() {
    let (zinc, scim, user, group) = seeded().await;
    let before = snapshot(&zinc);
    let u = format!("/Users/{user}");
    let g = format!("/Groups/{group}");
    for (path, ops) in [
        (
            &u,
            json!([{"op": "replace", "path": "shoeSize", "value": 42}]),
        ),
        (
            &u,
            json!([{"op": "replace", "path": "name.nickname", "value": "x"}]),
        ),
        (
            &u,
            json!([{"op": "replace", "path": "active[value eq \"x\"]", "value": true}]),
        ),
        (
            &u,
            json!([{"op": "replace", "path": "name[", "value": "x"}]),
        ),
        (&u, json!([{"op": "replace", "path": "..", "value": "x"}])),
        (&u, json!([{"op": "replace", "path": 12, "value": "x"}])),
        (
            &g,
            json!([{"op": "replace", "path": "owner", "value": "x"}]),
        ),
        (
            &g,
            json!([{"op": "add", "path": "members[value eq \"x\"]", "value": [{"value": "x"}]}]),
        ),
        (
            &g,
            json!([{"op": "replace", "path": "members.value", "value": "x"}]),
        ),
        (&g, json!([{"op": "replace", "value": {"colour": "red"}}])),
        (&g, json!([{"op": "remove", "path": "members[value eq"}])),
    ] {
        let r = scim.patch(path, patch_op(ops.clone())).await;
        assert_scim_error(&r, 400, Some(ScimType::InvalidPath));
        assert_eq!(snapshot(&zinc), before, "{ops}");
    }
}

#[tokio::test]
async fn unsupported_filters_and_bad_paging_are_refused() {
    let (zinc, scim, _user, _group) = seeded().await;
    let before = snapshot(&zinc);
    for q in [
        "filter=userName+sw+%22a%22",
        "filter=(userName+eq+%22a%22)+or+(userName+eq+%22b%22)",
        "filter=not(userName+eq+%22a%22)",
        "filter=emails%5Btype+eq+%22work%22%5D",
        "filter=%29",
    ] {
        assert_scim_error(
            &scim.get(&format!("/Users?{q}")).await,
            400,
            Some(ScimType::InvalidFilter),
        );
        assert_scim_error(
            &scim.get(&format!("/Groups?{q}")).await,
            400,
            Some(ScimType::InvalidFilter),
        );
    }
    for q in ["startIndex=abc", "count=1.5", "count=many"] {
        assert_scim_error(
            &scim.get(&format!("/Users?{q}")).await,
            400,
            Some(ScimType::InvalidValue),
        );
    }
    // Out-of-range numbers are read leniently (RFC 7644): below 1 is 1, negative count is 0.
    let r = scim.get("/Users?startIndex=-5&count=-1").await;
    assert_eq!(
        (
            r.status,
            r.body["startIndex"].clone(),
            r.body["itemsPerPage"].clone()
        ),
        (200, json!(1), json!(0))
    );
    assert_eq!(snapshot(&zinc), before);
}

#[tokio::test]
async fn oversized_bodies_get_413_and_change_nothing() {
    let (zinc, scim, user, _group) = seeded().await;
    let before = snapshot(&zinc);
    let mut big = okta_user("bob@example.com", "Bob", "Jones");
    big["title"] = Value::String("x".repeat(1024 * 1024 + 1));
    assert_scim_error(&scim.post("/Users", big.clone()).await, 413, None);
    assert_scim_error(&scim.put(&format!("/Users/{user}"), big).await, 413, None);
    // Without a Content-Length (chunked), the limit holds while reading.
    let addr = scim
        .base
        .trim_start_matches("http://")
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let mut stream = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /scim/v2/Users HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nContent-Type: application/scim+json\r\nTransfer-Encoding: chunked\r\n\r\n",
        scim.token.as_deref().unwrap()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b' '; 64 * 1024];
    let mut response = Vec::new();
    for _ in 0..20 {
        let frame = [
            format!("{:x}\r\n", chunk.len()).into_bytes(),
            chunk.clone(),
            b"\r\n".to_vec(),
        ]
        .concat();
        if stream.write_all(&frame).await.is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        stream.read_to_end(&mut response),
    )
    .await;
    let text = String::from_utf8_lossy(&response);
    assert!(text.starts_with("HTTP/1.1 413"), "{text}");
    assert!(text.contains("\"status\":\"413\""), "{text}");
    assert_eq!(snapshot(&zinc), before);
}

#[tokio::test]
async fn unknown_routes_wrong_methods_and_bad_tokens_are_scim_errors() {
    let (zinc, scim, user, group) = seeded().await;
    let before = snapshot(&zinc);
    for path in ["/Userz", "/Users/a/b", "/Bulk", "/Me"] {
        assert_scim_error(&scim.get(path).await, 404, None);
    }
    assert_scim_error(
        &super::read(scim.http.get(format!("{}/nope", scim.admin))).await,
        404,
        None,
    );
    for (method, path) in [
        ("PUT", "/Users".to_owned()),
        ("PATCH", "/Groups".to_owned()),
        ("POST", format!("/Users/{user}")),
        ("POST", format!("/Groups/{group}")),
        ("DELETE", "/Schemas".to_owned()),
    ] {
        assert_scim_error(&scim.send(method, &path, Some(json!({}))).await, 405, None);
    }
    for token in [None, Some("nope"), Some("")] {
        let bad = scim.with_token(token);
        assert_scim_error(&bad.get("/Users").await, 401, None);
        assert_scim_error(
            &bad.post("/Users", okta_user("eve@example.com", "E", "V"))
                .await,
            401,
            None,
        );
        assert_scim_error(&bad.delete(&format!("/Users/{user}")).await, 401, None);
        assert_scim_error(&bad.delete(&format!("/Groups/{group}")).await, 401, None);
    }
    let r = super::read(
        scim.request("POST", "/Users")
            .header("Content-Type", "text/plain")
            .body("{}"),
    )
    .await;
    assert_scim_error(&r, 415, None);
    assert_eq!(snapshot(&zinc), before);
}
