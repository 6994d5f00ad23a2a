//! Every action in each personality: the exact request sequence (snapshots), checked
//! against what the wiremock server received.

use rstest::rstest;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer};
use zinc_harness::okta::{
    ACCEPT, ACCEPT_CHARSET, ACCEPT_ENCODING, ActionResult, App, CONTENT_TYPE, OktaClient,
    USER_AGENT,
};
use zinc_harness::scim::{GROUP_SCHEMA, PATCH_OP_SCHEMA};

use super::support::*;

fn alice_on_server() -> Value {
    let mut u = user("zu-alice", "alice@example.com", "Alice", "Smith");
    // Server-only attributes Okta must echo back in a PUT.
    u["zincRole"] = json!("member");
    u["password"] = json!("server-held");
    u
}

#[tokio::test]
async fn test_credentials_reads_users_then_groups_with_group_push() {
    let (server, okta) = setup(App::Oin).await;
    on(&server, "GET", "/Users", ok_json(200, list(vec![]))).await;
    on(&server, "GET", "/Groups", ok_json(200, list(vec![]))).await;
    let o = okta.test_credentials().await;
    assert!(o.ok, "{:?}", o.message);
    let w = wire(&server).await;
    assert_eq!(w[0].path, "/Users?startIndex=1&count=2");
    assert_eq!(w[1].path, "/Groups?startIndex=1&count=100");
    // Every Okta header, exactly; GET carries no Content-Type.
    assert_eq!(w[0].headers["user-agent"], USER_AGENT);
    assert_eq!(w[0].headers["accept"], ACCEPT);
    assert_eq!(w[0].headers["accept-charset"], ACCEPT_CHARSET);
    assert_eq!(w[0].headers["accept-encoding"], ACCEPT_ENCODING);
    assert_eq!(w[0].headers["authorization"], format!("Bearer {TOKEN}"));
    assert!(!w[0].headers.contains_key("content-type"));
    check(&server, 0, &o, "test_credentials_push_on").await;
}

#[tokio::test]
async fn test_credentials_without_group_push_reads_users_only() {
    let server = MockServer::start().await;
    let mut c = config(&server, App::Oin);
    c.push_groups = false;
    let okta = OktaClient::new(c).unwrap();
    on(&server, "GET", "/Users", ok_json(200, list(vec![]))).await;
    let o = okta.test_credentials().await;
    assert!(o.ok);
    assert_eq!(o.exchanges.len(), 1);
    check(&server, 0, &o, "test_credentials_push_off").await;
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn assign_user_creates_when_the_lookup_finds_nobody(#[case] app: App) {
    let (server, okta) = setup(app).await;
    okta.edit_person("alice", &changes(json!({"title": "Engineer"})))
        .unwrap();
    mount_creates(&server).await;
    let o = ok(okta.assign_user("alice")).await;
    assert_eq!(o.result, user_result("zu-alice", true));
    assert_eq!(okta.server_user_id("alice").as_deref(), Some("zu-alice"));
    assert_eq!(o.status(), Some(201));
    let w = wire(&server).await;
    assert_eq!(
        w[0].path,
        "/Users?filter=userName%20eq%20%22alice%40example.com%22&startIndex=1&count=100"
    );
    assert_eq!(w[1].headers["content-type"], CONTENT_TYPE);
    let body = w[1].body.clone().unwrap();
    assert_eq!(body["externalId"], json!(okta.okta_id("alice").unwrap()));
    assert_eq!(body["password"], json!(password_of(&okta, "alice", 1)));
    assert_eq!(
        body["emails"],
        json!([{"primary": true, "value": "alice@example.com", "type": "work"}])
    );
    assert_eq!(body["active"], json!(true));
    assert_eq!(body["title"], json!("Engineer"));
    check(&server, 0, &o, &named(app, "assign_create")).await;
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn assign_user_links_to_the_user_the_lookup_finds(#[case] app: App) {
    let (server, okta) = setup(app).await;
    let mut existing = alice_on_server();
    existing["active"] = json!(false);
    existing["name"]["givenName"] = json!("Ally");
    on_user_filter(&server, "alice@example.com", vec![existing.clone()]).await;
    mount_user_rw(&server, "zu-alice", existing).await;
    let o = ok(okta.assign_user("alice")).await;
    assert_eq!(o.result, user_result("zu-alice", false));
    let w = wire(&server).await;
    assert!(w.iter().all(|r| r.method != "POST"), "a link never creates");
    // Both send the profile by GET + PUT (oin: UNCERTAIN, reference §10.6); aiw's link also
    // writes externalId = the Okta id, groups: [] and locale over the server's (§10.5, S14).
    assert_eq!(w.len(), 3);
    let put = w[2].body.clone().unwrap();
    assert_eq!(put["active"], json!(true));
    assert_eq!(
        put["name"]["givenName"],
        json!("Alice"),
        "Okta pushes its profile"
    );
    assert_eq!(put["zincRole"], json!("member"), "echoes server attributes");
    let okta_id = okta.okta_id("alice").unwrap();
    match app {
        // Entra's sequences have their own tests (tests/harness/okta/entra.rs).
        App::Entra | App::EntraCompliant => unreachable!("an Okta case"),
        App::Oin => assert_eq!(put.get("groups"), None),
        App::Aiw => {
            assert_eq!(put["externalId"], json!(okta_id));
            assert_eq!(put["groups"], json!([]));
            assert_eq!(put["locale"], json!("en-US"));
        }
    }
    check(&server, 0, &o, &named(app, "assign_link")).await;
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn update_user_puts_the_get_body_with_the_changed_fields(#[case] app: App) {
    let (server, okta) = setup(app).await;
    assigned(&server, &okta, &["alice"]).await;
    mount_user_rw(&server, "zu-alice", alice_on_server()).await;
    let from = count(&server).await;
    let o = ok(okta.update_user("alice", &changes(json!({"first": "Alicia"})))).await;
    let w = &wire(&server).await[from..];
    assert_eq!(methods(w), ["GET", "PUT"]);
    let mut expected = alice_on_server();
    expected["name"]["givenName"] = json!("Alicia");
    expected["displayName"] = json!("Alicia Smith");
    assert_eq!(
        w[1].body,
        Some(expected),
        "GET body echoed, changed fields only"
    );
    check(&server, from, &o, &named(app, "update_user")).await;
}

#[rstest]
#[case(App::Oin, "deactivate")]
#[case(App::Aiw, "deactivate")]
#[case(App::Oin, "unassign")]
#[case(App::Aiw, "unassign")]
#[tokio::test]
async fn deprovisioning_sets_active_false(#[case] app: App, #[case] how: &str) {
    let (server, okta) = setup(app).await;
    assigned(&server, &okta, &["alice"]).await;
    mount_user_rw(&server, "zu-alice", alice_on_server()).await;
    let from = count(&server).await;
    let o = match how {
        "deactivate" => ok(okta.deactivate_user("alice")).await,
        _ => ok(okta.unassign_user("alice")).await,
    };
    let w = &wire(&server).await[from..];
    match app {
        // Entra's sequences have their own tests (tests/harness/okta/entra.rs).
        App::Entra | App::EntraCompliant => unreachable!("an Okta case"),
        App::Oin => {
            assert_eq!(w.len(), 1);
            assert_eq!(w[0].method, "PATCH");
            assert_eq!(
                ops(&w[0]),
                json!([{"op": "replace", "value": {"active": false}}])
            );
        }
        App::Aiw => {
            assert_eq!(methods(w), ["GET", "PUT"]);
            let mut expected = alice_on_server();
            expected["active"] = json!(false);
            assert_eq!(w[1].body, Some(expected));
        }
    }
    assert!(
        w.iter().all(|r| r.method != "DELETE"),
        "Okta never deletes users"
    );
    check(&server, from, &o, &named(app, &format!("{how}_user"))).await;
    // Nothing more to deprovision: a second one sends nothing.
    let again = okta.unassign_user("alice").await.unwrap();
    assert!(again.exchanges.is_empty());
}

#[rstest]
#[case(App::Oin, "reactivate")]
#[case(App::Aiw, "reactivate")]
#[case(App::Oin, "reassign")]
#[case(App::Aiw, "reassign")]
#[tokio::test]
async fn reprovisioning_sets_active_true_on_the_same_id(#[case] app: App, #[case] how: &str) {
    let (server, okta) = setup(app).await;
    assigned(&server, &okta, &["alice"]).await;
    let mut inactive = alice_on_server();
    inactive["active"] = json!(false);
    mount_user_rw(&server, "zu-alice", inactive.clone()).await;
    okta.deactivate_user("alice").await.unwrap();
    server.reset().await;
    on_user_filter(&server, "alice@example.com", vec![inactive.clone()]).await;
    mount_user_rw(&server, "zu-alice", inactive).await;
    let o = match how {
        "reactivate" => ok(okta.reactivate_user("alice")).await,
        _ => ok(okta.reassign_user("alice")).await,
    };
    assert_eq!(o.result, user_result("zu-alice", false));
    let w = wire(&server).await;
    match app {
        // Entra's sequences have their own tests (tests/harness/okta/entra.rs).
        App::Entra | App::EntraCompliant => unreachable!("an Okta case"),
        App::Oin => assert_eq!(methods(&w), ["PATCH"]),
        App::Aiw => {
            assert_eq!(methods(&w), ["GET", "GET", "PUT"]);
            assert_eq!(w[2].body.as_ref().unwrap()["active"], json!(true));
        }
    }
    check(&server, 0, &o, &named(app, &format!("{how}_user"))).await;
}

#[tokio::test]
async fn oin_reactivation_after_a_404_looks_up_and_creates_again() {
    let (server, okta) = setup(App::Oin).await;
    assigned(&server, &okta, &["alice"]).await;
    on(&server, "PATCH", "/Users/zu-alice", no_content()).await;
    okta.deactivate_user("alice").await.unwrap();
    server.reset().await;
    let gone = scim_error(404, "User not found");
    on(&server, "PATCH", "/Users/zu-alice", gone).await;
    on_user_filter(&server, "alice@example.com", vec![]).await;
    let again = user("zu-alice-2", "alice@example.com", "Alice", "Smith");
    on(&server, "POST", "/Users", ok_json(201, again)).await;
    let o = ok(okta.reactivate_user("alice")).await;
    assert_eq!(o.result, user_result("zu-alice-2", true));
    assert_eq!(okta.server_user_id("alice").as_deref(), Some("zu-alice-2"));
    let w = wire(&server).await;
    assert_eq!(methods(&w), ["PATCH", "GET", "POST"]);
    // The second create sends a fresh placeholder password.
    assert_eq!(
        w[2].body.as_ref().unwrap()["password"],
        json!(password_of(&okta, "alice", 2))
    );
    check(&server, 0, &o, "oin_reactivate_after_404").await;
}

async fn mount_group(server: &MockServer, id: &str, name: &str, members: Value) {
    let at = format!("/Groups/{id}");
    let body = group(id, name, members);
    on(server, "GET", &at, ok_json(200, body.clone())).await;
    on(server, "PUT", &at, ok_json(200, body)).await;
    on(server, "PATCH", &at, no_content()).await;
    on(server, "DELETE", &at, no_content()).await;
}

/// alice and bob provisioned; carol in the Okta group but never assigned.
async fn eng(server: &MockServer, okta: &OktaClient) {
    assigned(server, okta, &["alice", "bob"]).await;
    okta.add_group("eng", "Engineering").unwrap();
    okta.add_to_group("eng", &["alice", "bob", "carol"])
        .unwrap();
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn push_group_creates_with_provisioned_members_only(#[case] app: App) {
    let (server, okta) = setup(app).await;
    eng(&server, &okta).await;
    on_group_filter(&server, "Engineering", vec![]).await;
    let members = json!([member("alice"), member("bob")]);
    let created = group("zg-eng", "Engineering", members.clone());
    on(&server, "POST", "/Groups", ok_json(201, created)).await;
    mount_group(&server, "zg-eng", "Engineering", members.clone()).await;
    let from = count(&server).await;
    let o = ok(okta.push_group("eng")).await;
    assert_eq!(o.result, group_result("zg-eng", true));
    assert_eq!(o.status(), Some(201), "the create decides the status");
    assert_eq!(okta.server_group_id("eng").as_deref(), Some("zg-eng"));
    let w = &wire(&server).await[from..];
    assert_eq!(
        w[0].path,
        "/Groups?filter=displayName%20eq%20%22Engineering%22&startIndex=1&count=100"
    );
    assert_eq!(
        w[1].body,
        Some(json!({"schemas": [GROUP_SCHEMA], "displayName": "Engineering", "members": members})),
        "no carol, no type"
    );
    match app {
        // Entra's sequences have their own tests (tests/harness/okta/entra.rs).
        App::Entra | App::EntraCompliant => unreachable!("an Okta case"),
        // Okta's capture (S18): the create is followed by an add of the same members.
        App::Oin => {
            assert_eq!(methods(w), ["GET", "POST", "PATCH"]);
            assert_eq!(
                ops(&w[2]),
                json!([{"op": "add", "path": "members", "value": members}])
            );
        }
        App::Aiw => {
            assert_eq!(methods(w), ["GET", "POST", "GET", "PUT"]);
            // The minimal PUT of every capture (§10.4), not an echo of the GET.
            let put = w[3].body.clone().unwrap();
            let keys: Vec<&str> = put
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str)
                .collect();
            assert_eq!(keys, ["schemas", "id", "displayName", "members"]);
        }
    }
    check(&server, from, &o, &named(app, "push_group_create")).await;
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn push_group_links_to_a_same_named_group(#[case] app: App) {
    let (server, okta) = setup(app).await;
    eng(&server, &okta).await;
    let old = group("zg-old", "Engineering", json!([]));
    on_group_filter(&server, "Engineering", vec![old]).await;
    mount_group(&server, "zg-old", "Engineering", json!([])).await;
    let from = count(&server).await;
    let o = ok(okta.push_group("eng")).await;
    assert_eq!(o.result, group_result("zg-old", false));
    let w = &wire(&server).await[from..];
    assert!(w.iter().all(|r| r.method != "POST"));
    let members = json!([member("alice"), member("bob")]);
    match app {
        // Entra's sequences have their own tests (tests/harness/okta/entra.rs).
        App::Entra | App::EntraCompliant => unreachable!("an Okta case"),
        App::Oin => {
            assert_eq!(
                ops(&w[1]),
                json!([{"op": "replace", "path": "members", "value": members}])
            );
            assert_eq!(
                ops(&w[2]),
                json!([{"op": "replace", "value": {"id": "zg-old", "displayName": "Engineering"}}])
            );
        }
        App::Aiw => assert_eq!(w[2].body.as_ref().unwrap()["members"], members),
    }
    check(&server, from, &o, &named(app, "push_group_link")).await;
}

async fn pushed_eng(server: &MockServer, okta: &OktaClient) {
    eng(server, okta).await;
    on_group_filter(server, "Engineering", vec![]).await;
    let created = group("zg-eng", "Engineering", json!([]));
    on(server, "POST", "/Groups", ok_json(201, created)).await;
    let members = json!([member("alice"), member("bob")]);
    mount_group(server, "zg-eng", "Engineering", members).await;
    assert!(okta.push_group("eng").await.unwrap().ok);
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn membership_changes(#[case] app: App) {
    let (server, okta) = setup(app).await;
    pushed_eng(&server, &okta).await;
    // carol gets assigned: Okta creates her and adds her to the pushed group.
    let from = count(&server).await;
    let o = ok(okta.assign_user("carol")).await;
    assert_eq!(
        o.status(),
        Some(201),
        "the assignment's status is the create's"
    );
    check(
        &server,
        from,
        &o,
        &named(app, "assign_user_in_pushed_group"),
    )
    .await;

    let from = count(&server).await;
    let o = ok(okta.remove_members("eng", &["alice", "bob"])).await;
    let w = &wire(&server).await[from..];
    if app == App::Oin {
        assert_eq!(
            ops(&w[0]),
            json!([
            {"op": "remove", "path": "members[value eq \"zu-alice\"]"},
            {"op": "remove", "path": "members[value eq \"zu-bob\"]"}])
        );
        assert_eq!(
            ops(&w[1])[0]["value"],
            json!({"id": "zg-eng", "displayName": "Engineering"}),
            "rename PATCH after the change"
        );
    } else {
        let members = &w[1].body.as_ref().unwrap()["members"];
        assert_eq!(members, &json!([member("carol")]));
    }
    check(&server, from, &o, &named(app, "remove_members")).await;

    let from = count(&server).await;
    let o = ok(okta.add_members("eng", &["alice"])).await;
    let w = &wire(&server).await[from..];
    if app == App::Oin {
        assert_eq!(
            ops(&w[0]),
            json!([{"op": "add", "path": "members", "value": [member("alice")]}])
        );
    } else {
        let members = &w[1].body.as_ref().unwrap()["members"];
        assert_eq!(members, &json!([member("carol"), member("alice")]));
    }
    check(&server, from, &o, &named(app, "add_members")).await;
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn rename_push_now_and_unlink(#[case] app: App) {
    let (server, okta) = setup(app).await;
    pushed_eng(&server, &okta).await;

    let from = count(&server).await;
    let o = ok(okta.rename_group("eng", "Platform")).await;
    let w = &wire(&server).await[from..];
    match app {
        // Entra's sequences have their own tests (tests/harness/okta/entra.rs).
        App::Entra | App::EntraCompliant => unreachable!("an Okta case"),
        App::Oin => assert_eq!(
            ops(&w[0]),
            json!([{"op": "replace", "value": {"id": "zg-eng", "displayName": "Platform"}}])
        ),
        App::Aiw => assert_eq!(
            w[1].body.as_ref().unwrap()["displayName"],
            json!("Platform")
        ),
    }
    check(&server, from, &o, &named(app, "rename_group")).await;

    let from = count(&server).await;
    let o = ok(okta.push_now("eng")).await;
    check(&server, from, &o, &named(app, "push_now")).await;

    let from = count(&server).await;
    let o = ok(okta.unlink_group("eng", true)).await;
    let w = &wire(&server).await[from..];
    assert_eq!(
        (w[0].method.as_str(), w[0].path.as_str()),
        ("DELETE", "/Groups/zg-eng")
    );
    assert_eq!(okta.server_group_id("eng"), None);
    check(&server, from, &o, &named(app, "unlink_delete")).await;
}

#[tokio::test]
async fn oin_push_now_of_an_empty_group_replaces_with_an_empty_list() {
    let (server, okta) = setup(App::Oin).await;
    okta.add_group("empty", "Nobody").unwrap();
    on_group_filter(&server, "Nobody", vec![]).await;
    let created = group("zg-empty", "Nobody", json!([]));
    on(&server, "POST", "/Groups", ok_json(201, created)).await;
    mount_group(&server, "zg-empty", "Nobody", json!([])).await;
    let o = okta.push_group("empty").await.unwrap();
    assert!(o.ok);
    assert_eq!(
        wire(&server).await[1].body.as_ref().unwrap()["members"],
        json!([])
    );
    let from = count(&server).await;
    let o = ok(okta.push_now("empty")).await;
    assert_eq!(
        wire(&server).await[from].body,
        Some(json!({
        "schemas": [PATCH_OP_SCHEMA],
        "Operations": [{"op": "replace", "path": "members", "value": []}]}))
    );
    check(&server, from, &o, "oin_push_now_empty").await;
}

#[tokio::test]
async fn unlink_without_delete_sends_nothing_and_forgets_the_link() {
    let (server, okta) = setup(App::Oin).await;
    pushed_eng(&server, &okta).await;
    let from = count(&server).await;
    let o = okta.unlink_group("eng", false).await.unwrap();
    assert!(o.ok);
    assert!(o.exchanges.is_empty());
    assert_eq!(count(&server).await, from);
    assert_eq!(okta.server_group_id("eng"), None);
    // Changes after the unlink no longer reach the server.
    let o = okta.rename_group("eng", "Other").await.unwrap();
    assert!(o.exchanges.is_empty());
}

fn groups_page(start: usize, n: usize) -> Vec<Value> {
    (start..start + n)
        .map(|i| group(&format!("g{i}"), &format!("Group {i}"), json!([])))
        .collect()
}

#[tokio::test]
async fn refresh_app_groups_pages_by_100_until_total_results() {
    let (server, okta) = setup(App::Oin).await;
    for (start, n) in [(1, 100), (101, 100), (201, 50)] {
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/Groups")))
            .and(query_param("startIndex", start.to_string()))
            .and(query_param("count", "100"))
            .respond_with(ok_json(200, list_page(250, start, groups_page(start, n))))
            .mount(&server)
            .await;
    }
    let o = okta.refresh_app_groups().await;
    assert!(o.ok, "{:?}", o.message);
    let paths: Vec<_> = o.exchanges.iter().map(|e| e.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/Groups?startIndex=1&count=100",
            "/Groups?startIndex=101&count=100",
            "/Groups?startIndex=201&count=100"
        ]
    );
    let ActionResult::AppGroups { groups } = &o.result else {
        panic!("{:?}", o.result)
    };
    assert_eq!(groups.len(), 250);
    assert_eq!(groups[249].display_name, "Group 250");
    assert_eq!(okta.app_groups().len(), 250);
    let all = wire(&server).await;
    assert_wire_is_transcript(&all, &o, &format!("Bearer {TOKEN}"));
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn import_users_pages_and_skips_inactive(#[case] app: App) {
    let (server, okta) = setup(app).await;
    let mut page1: Vec<Value> = (1..=100)
        .map(|i| user(&format!("u{i}"), &format!("u{i}@example.com"), "U", "Ser"))
        .collect();
    page1[4]["active"] = json!(false);
    let page2 = vec![user("u101", "u101@example.com", "U", "Ser")];
    for (start, page) in [(1, page1), (101, page2)] {
        Mock::given(method("GET"))
            .and(path(format!("{BASE}/Users")))
            .and(query_param("startIndex", start.to_string()))
            .respond_with(ok_json(200, list_page(101, start, page)))
            .mount(&server)
            .await;
    }
    let o = okta.import_users().await;
    assert!(o.ok, "{:?}", o.message);
    let ActionResult::Imported {
        users,
        skipped_inactive,
    } = &o.result
    else {
        panic!()
    };
    assert_eq!((users.len(), *skipped_inactive), (100, 1));
    assert!(users.iter().all(|u| u.id != "u5"));
    assert_eq!(o.exchanges.len(), 2);
    let all = wire(&server).await;
    assert_wire_is_transcript(&all, &o, &format!("Bearer {TOKEN}"));
    assert!(
        all.iter().all(|r| r.method == "GET"),
        "import writes nothing"
    );
}

#[tokio::test]
async fn get_user_and_raw_requests_carry_okta_headers() {
    let (server, okta) = setup(App::Oin).await;
    assigned(&server, &okta, &["alice"]).await;
    let alice = ok_json(200, alice_on_server());
    on(&server, "GET", "/Users/zu-alice", alice).await;
    let from = count(&server).await;
    let o = okta.get_user("alice").await.unwrap();
    assert!(o.ok);
    let ActionResult::Resource { status, body } = &o.result else {
        panic!()
    };
    assert_eq!(*status, 200);
    assert_eq!(
        body.as_ref().unwrap()["password"],
        json!("<redacted>"),
        "redacted as stored"
    );
    check(&server, from, &o, "get_user").await;

    on(&server, "POST", "/Users", scim_error(409, "userName taken")).await;
    let from = count(&server).await;
    let o = okta
        .raw(
            "post",
            "/Users?x=a b",
            Some(&json!({"userName": "dave@example.com", "password": "pw-123456"})),
        )
        .await
        .unwrap();
    assert!(!o.ok);
    assert_eq!(o.status(), Some(409));
    assert_eq!(o.exchanges[0].path, "/Users?x=a%20b");
    let w = &wire(&server).await[from..];
    assert_eq!(w[0].body.as_ref().unwrap()["password"], json!("pw-123456"));
    check(&server, from, &o, "raw_post").await;
}

#[tokio::test]
async fn a_profile_push_sends_what_changed_since_the_last_push_only() {
    let (server, okta) = setup(App::Oin).await;
    assigned(&server, &okta, &["alice"]).await;
    // The server holds a stale family name Okta does not know about: Okta leaves it alone.
    let mut on_server = alice_on_server();
    on_server["name"]["familyName"] = json!("Stale");
    mount_user_rw(&server, "zu-alice", on_server.clone()).await;
    // An Okta-side edit (nothing sent), then a push with one more change.
    let email = changes(json!({"email": "alice.smith@example.com"}));
    okta.edit_person("alice", &email).unwrap();
    let from = count(&server).await;
    assert_eq!(from, 2, "edit_person sends nothing");
    ok(okta.update_user("alice", &changes(json!({"title": "Engineer"})))).await;
    let put = wire(&server).await[from + 1].body.clone().unwrap();
    let mut expected = on_server.clone();
    expected["userName"] = json!("alice.smith@example.com");
    expected["emails"] =
        json!([{"primary": true, "value": "alice.smith@example.com", "type": "work"}]);
    expected["title"] = json!("Engineer");
    assert_eq!(put, expected);
    assert_eq!(put["name"]["familyName"], json!("Stale"));

    // Pushed once: the next push (clearing title) sends the GET body with title removed.
    let mut with_title = on_server.clone();
    with_title["title"] = json!("Engineer");
    server.reset().await;
    mount_user_rw(&server, "zu-alice", with_title).await;
    let o = okta
        .update_user("alice", &changes(json!({"title": ""})))
        .await
        .unwrap();
    assert!(o.ok);
    assert_eq!(
        wire(&server).await[1].body,
        Some(on_server),
        "title removed, the rest echoed"
    );
}

#[tokio::test]
async fn nothing_is_sent_for_a_person_without_an_active_app_user() {
    let (server, okta) = setup(App::Aiw).await;
    let o = okta
        .update_user("alice", &changes(json!({"first": "Al"})))
        .await
        .unwrap();
    assert!(o.ok && o.exchanges.is_empty());
    assert!(matches!(o.result, ActionResult::NothingSent { .. }));
    assert_eq!(okta.profile("alice").unwrap().first, "Al");
    let o = okta.deactivate_user("alice").await.unwrap();
    assert!(o.exchanges.is_empty());
    assert_eq!(count(&server).await, 0);
}
