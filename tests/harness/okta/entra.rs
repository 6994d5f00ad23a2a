//! The Entra ID personality against a recording wiremock server: each action's exact
//! sequence in both dialects (`entra`: legacy, `entra-compliant`: the `aadOptscim062020`
//! flag), kept as insta snapshots, checked against what the server received; and Entra's
//! failure model stated on the action (entra-client-reference.md rows and sources cited).

use rstest::rstest;
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer};
use zinc_harness::okta::entra::{MatchAttr, UnassignMode, entra_group_id, entra_user_id};
use zinc_harness::okta::{ActionResult, App, OktaClient, ProfileChanges};
use zinc_harness::scim::{ENTERPRISE_USER_SCHEMA, PATCH_OP_SCHEMA};

use super::support::*;

#[rstest]
#[case(App::Entra)]
#[case(App::EntraCompliant)]
#[tokio::test]
async fn test_connection_filters_by_a_random_guid_and_wants_an_empty_list(#[case] app: App) {
    let (server, okta) = setup(app).await;
    on(&server, "GET", "/Users", ok_json(200, list(vec![]))).await;
    let o = okta.test_credentials().await;
    assert!(o.ok, "{:?}", o.message);
    let w = wire(&server).await;
    assert_eq!(w.len(), 1, "users only, whatever Group Push says (row 3)");
    let filter = w[0].path.strip_prefix("/Users?filter=").expect("a filter");
    let filter = url::form_urlencoded::parse(format!("f={filter}").as_bytes())
        .next()
        .unwrap()
        .1
        .into_owned();
    let guid = filter
        .strip_prefix("userName eq \"")
        .and_then(|f| f.strip_suffix('"'))
        .expect("userName eq \"<guid>\"");
    assert!(uuid::Uuid::parse_str(guid).is_ok(), "{guid}");
    // Entra's headers: no Okta User-Agent, the 2019 capture's ADSCIMVersion (row 2).
    assert_eq!(w[0].headers["accept"], "application/scim+json");
    assert_eq!(w[0].headers["adscimversion"], "5.0");
    assert!(!w[0].headers.contains_key("user-agent"));
    check(&server, 0, &o, &named(app, "test_connection")).await;
    // A second test uses a fresh GUID.
    okta.test_credentials().await;
    assert_ne!(wire(&server).await[1].path, w[0].path);
}

#[tokio::test]
async fn test_connection_fails_when_the_guid_filter_finds_someone() {
    let (server, okta) = setup(App::Entra).await;
    let someone = user("zu-x", "x@example.com", "X", "Y");
    on(&server, "GET", "/Users", ok_json(200, list(vec![someone]))).await;
    let o = okta.test_credentials().await;
    assert!(!o.ok);
    let m = o.message.unwrap();
    assert!(m.contains("must find nothing"), "{m}");
}

#[rstest]
#[case(App::Entra)]
#[case(App::EntraCompliant)]
#[tokio::test]
async fn assign_creates_with_the_enterprise_schema_and_the_object_id(#[case] app: App) {
    let (server, okta) = setup(app).await;
    mount_creates(&server).await;
    let o = ok(okta.assign_user("alice")).await;
    assert_eq!(o.result, user_result("zu-alice", true));
    let w = wire(&server).await;
    assert_eq!(
        w[0].path,
        "/Users?filter=userName%20eq%20%22alice%40example.com%22"
    );
    let body = w[1].body.as_ref().unwrap();
    assert_eq!(body["externalId"], json!(entra_user_id("alice")));
    assert!(body.get("password").is_none(), "Entra sends no password");
    assert_eq!(body["roles"], json!([]));
    check(&server, 0, &o, &named(app, "assign_create")).await;
}

#[rstest]
#[case(App::Entra)]
#[case(App::EntraCompliant)]
#[tokio::test]
async fn a_match_is_updated_with_what_differs_and_enabled(#[case] app: App) {
    let (server, okta) = setup(app).await;
    let mut found = user("zu-old", "alice@example.com", "Alicia", "Smith");
    found["active"] = json!(false);
    on_user_filter(&server, "alice@example.com", vec![found]).await;
    on(&server, "PATCH", "/Users/zu-old", ok_json(200, json!({}))).await;
    let o = ok(okta.assign_user("alice")).await;
    let w = wire(&server).await;
    assert!(
        w.iter().all(|r| r.method != "POST"),
        "a match is not created"
    );
    let expected = match app {
        App::Entra => json!([
            {"op": "Replace", "path": "displayName", "value": "Alice Smith"},
            {"op": "Replace", "path": "name.givenName", "value": "Alice"},
            {"op": "Replace", "path": "active", "value": "True"},
        ]),
        App::EntraCompliant => json!([
            {"op": "replace", "value": {"displayName": "Alice Smith", "name.givenName": "Alice"}},
            {"op": "replace", "path": "active", "value": true},
        ]),
        App::Oin | App::Aiw => unreachable!(),
    };
    assert_eq!(ops(&w[1]), expected);
    check(&server, 0, &o, &named(app, "assign_match")).await;
}

#[tokio::test]
async fn a_match_that_is_already_right_gets_no_patch() {
    let (server, okta) = setup(App::Entra).await;
    let mut found = user("zu-alice", "alice@example.com", "Alice", "Smith");
    found["displayName"] = json!("Alice Smith");
    on_user_filter(&server, "alice@example.com", vec![found]).await;
    ok(okta.assign_user("alice")).await;
    assert_eq!(wire(&server).await.len(), 1);
}

#[tokio::test]
async fn matching_attributes_are_tried_in_precedence_order_and_duplicates_fail() {
    let (server, okta) = setup_with(App::Entra, |c| {
        c.entra.matching = vec![MatchAttr::ExternalId, MatchAttr::UserName];
    })
    .await;
    let ext = entra_user_id("alice");
    on_filter(
        &server,
        "Users",
        &format!("externalId eq \"{ext}\""),
        vec![],
    )
    .await;
    let mut hit = user("zu-alice", "alice@example.com", "Alice", "Smith");
    hit["displayName"] = json!("Alice Smith");
    on_user_filter(&server, "alice@example.com", vec![hit]).await;
    ok(okta.assign_user("alice")).await;
    let w = wire(&server).await;
    assert_eq!(
        w.len(),
        2,
        "externalId first, then userName, then nothing to change"
    );
    assert!(w[0].path.contains("externalId"));
    assert!(w[1].path.contains("userName"));
    // Two hits: DuplicateTargetEntries (row 6), and no write.
    let bob = entra_user_id("bob");
    let two = vec![
        user("zu-1", "bob@example.com", "Bob", "Jones"),
        user("zu-2", "bob@example.com", "Bob", "Jones"),
    ];
    on_filter(&server, "Users", &format!("externalId eq \"{bob}\""), two).await;
    let o = okta.assign_user("bob").await.unwrap();
    assert!(!o.ok);
    let m = o.message.unwrap();
    assert!(m.contains("DuplicateTargetEntries"), "{m}");
    assert!(m.contains("escrow"), "{m}");
}

#[rstest]
#[case(App::Entra)]
#[case(App::EntraCompliant)]
#[tokio::test]
async fn update_sends_the_changed_attributes_in_the_dialects_shape(#[case] app: App) {
    let (server, okta) = setup(app).await;
    assigned(&server, &okta, &["alice"]).await;
    on(&server, "PATCH", "/Users/zu-alice", no_content()).await;
    let from = count(&server).await;
    let changed = changes(json!({
        "first": "Alicia", "user_name": "alice@example.com", "email": "alicia@example.com",
        "title": "Engineer", "department": "R&D"
    }));
    let o = ok(okta.update_user("alice", &changed)).await;
    let w = &wire(&server).await[from..];
    assert_eq!(w.len(), 1, "one PATCH, no GET + PUT");
    let dept = format!("{ENTERPRISE_USER_SCHEMA}:department");
    let expected = match app {
        // Row 8: one operation per attribute, `Add` where there was no value.
        App::Entra => json!([
            {"op": "Replace", "path": "displayName", "value": "Alicia Smith"},
            {"op": "Replace", "path": "emails[type eq \"work\"].value", "value": "alicia@example.com"},
            {"op": "Replace", "path": "name.givenName", "value": "Alicia"},
            {"op": "Add", "path": "title", "value": "Engineer"},
            {"op": "Add", "path": dept, "value": "R&D"},
        ]),
        // Row 9: the multi-valued path apart, the rest in one path-less value map.
        App::EntraCompliant => json!([
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "alicia@example.com"},
            {"op": "replace", "value": {"displayName": "Alicia Smith", "name.givenName": "Alicia"}},
            {"op": "add", "path": "title", "value": "Engineer"},
            {"op": "add", "path": dept, "value": "R&D"},
        ]),
        App::Oin | App::Aiw => unreachable!(),
    };
    assert_eq!(ops(&w[0]), expected);
    check(&server, from, &o, &named(app, "update_user")).await;
    // Nothing changed: nothing is sent.
    let o = okta
        .update_user("alice", &ProfileChanges::default())
        .await
        .unwrap();
    assert_eq!(o.exchanges.len(), 0);
    assert!(matches!(o.result, ActionResult::NothingSent { .. }));
}

#[rstest]
#[case(App::Entra)]
#[case(App::EntraCompliant)]
#[tokio::test]
async fn unassign_disables_and_reassign_enables_the_same_id(#[case] app: App) {
    let (server, okta) = setup(app).await;
    assigned(&server, &okta, &["alice"]).await;
    on(&server, "PATCH", "/Users/zu-alice", ok_json(200, json!({}))).await;
    let from = count(&server).await;
    let o = ok(okta.unassign_user("alice")).await;
    let disable = match app {
        App::Entra => json!([{"op": "Replace", "path": "active", "value": "False"}]),
        App::EntraCompliant => json!([{"op": "replace", "path": "active", "value": false}]),
        App::Oin | App::Aiw => unreachable!(),
    };
    assert_eq!(ops(&wire(&server).await[from]), disable);
    check(&server, from, &o, &named(app, "unassign_user")).await;
    let from = count(&server).await;
    let o = ok(okta.reassign_user("alice")).await;
    let w = &wire(&server).await[from..];
    assert_eq!(w.len(), 1, "the cached id, no lookup");
    assert_eq!(ops(&w[0])[0]["path"], "active");
    check(&server, from, &o, &named(app, "reassign_user")).await;
}

#[tokio::test]
async fn unassign_set_to_delete_deletes_and_a_reassign_creates_again() {
    let (server, okta) = setup_with(App::Entra, |c| c.entra.unassign = UnassignMode::Delete).await;
    assigned(&server, &okta, &["alice"]).await;
    on(&server, "DELETE", "/Users/zu-alice", no_content()).await;
    let o = ok(okta.unassign_user("alice")).await;
    assert_eq!(o.exchanges[0].method, "DELETE");
    // Deactivation (soft delete in Entra) still only disables (row 10).
    let o = ok(okta.reassign_user("alice")).await;
    let methods: Vec<_> = o.exchanges.iter().map(|e| e.method.as_str()).collect();
    assert_eq!(
        methods,
        ["GET", "POST"],
        "the id was forgotten: lookup and create"
    );
}

#[tokio::test]
async fn a_404_on_a_cached_id_would_quarantine_the_job_and_is_not_recreated() {
    let (server, okta) = setup(App::Entra).await;
    assigned(&server, &okta, &["alice"]).await;
    on(&server, "PATCH", "/Users/zu-alice", ok_json(200, json!({}))).await;
    okta.unassign_user("alice").await.unwrap();
    server.reset().await;
    on(&server, "PATCH", "/Users/zu-alice", scim_error(404, "gone")).await;
    let o = okta.reassign_user("alice").await.unwrap();
    assert!(!o.ok);
    assert_eq!(o.exchanges.len(), 1, "no lookup, no create");
    let m = o.message.clone().unwrap();
    assert!(m.contains("Entra would quarantine this job at once"), "{m}");
    check(&server, 0, &o, "entra_reassign_404").await;
}

#[rstest]
#[case(401, "quarantine this job at once: the credentials were refused")]
#[case(500, "retry this object on the next cycle, in about 40 minutes")]
#[case(429, "retry this object on the next cycle, in about 40 minutes")]
#[case(409, "put this object in escrow")]
#[tokio::test]
async fn failures_say_what_entra_would_do(#[case] status: u16, #[case] says: &str) {
    let (server, okta) = setup(App::Entra).await;
    on_user_filter(&server, "alice@example.com", vec![]).await;
    on(&server, "POST", "/Users", scim_error(status, "no")).await;
    let o = okta.assign_user("alice").await.unwrap();
    assert!(!o.ok);
    let m = o.message.unwrap();
    assert!(m.contains(says), "{status}: {m}");
    // Nothing waits and nothing is retried at once, not even a 429, and no exchange carries
    // Okta's retry schedule.
    assert_eq!(o.exchanges.len(), 2);
    assert!(o.exchanges.iter().all(|e| e.okta_retry.is_none()));
}

#[rstest]
#[case(App::Entra)]
#[case(App::EntraCompliant)]
#[tokio::test]
async fn manager_set_change_and_remove(#[case] app: App) {
    let (server, okta) = setup(app).await;
    assigned(&server, &okta, &["alice", "bob", "carol"]).await;
    on(&server, "PATCH", "/Users/zu-alice", no_content()).await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/Users")))
        .and(query_param("attributes", "id"))
        .respond_with(ok_json(200, list(vec![])))
        .mount(&server)
        .await;
    let set = |m: &str| changes(json!({ "manager": m }));
    // Set: the reference check finds nothing, then `Add` (row 13).
    let from = count(&server).await;
    let o = ok(okta.update_user("alice", &set("bob"))).await;
    let w = &wire(&server).await[from..];
    assert_eq!(w.len(), 2);
    assert!(w[0].path.starts_with("/Users?filter="));
    assert!(w[0].path.ends_with("&attributes=id"));
    let op = &ops(&w[1])[0];
    assert_eq!(op["op"], if app == App::Entra { "Add" } else { "add" });
    assert_eq!(op["path"], "manager");
    assert_eq!(op["value"][0]["value"], "zu-bob");
    assert_eq!(
        op["value"][0]["$ref"],
        format!("{}{BASE}/Users/zu-bob", server.uri())
    );
    // No snapshot: the `$ref` carries wiremock's port.
    assert_wire_is_transcript(w, &o, &format!("Bearer {TOKEN}"));
    // Change: `Replace`.
    let from = count(&server).await;
    ok(okta.update_user("alice", &set("carol"))).await;
    let w = &wire(&server).await[from..];
    assert_eq!(ops(&w[1])[0]["value"][0]["value"], "zu-carol");
    assert_eq!(
        ops(&w[1])[0]["op"],
        if app == App::Entra {
            "Replace"
        } else {
            "replace"
        }
    );
    // Remove: `Replace` with an empty value, no check.
    let from = count(&server).await;
    ok(okta.update_user("alice", &set(""))).await;
    let w = &wire(&server).await[from..];
    assert_eq!(w.len(), 1);
    assert_eq!(ops(&w[0])[0]["value"], "");
}

#[tokio::test]
async fn a_manager_already_set_is_not_patched() {
    let (server, okta) = setup(App::Entra).await;
    assigned(&server, &okta, &["alice", "bob"]).await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/Users")))
        .and(query_param("attributes", "id"))
        .respond_with(ok_json(200, list(vec![json!({"id": "zu-alice"})])))
        .mount(&server)
        .await;
    let from = count(&server).await;
    ok(okta.update_user("alice", &changes(json!({"manager": "bob"})))).await;
    assert_eq!(count(&server).await - from, 1, "the check only");
}

async fn mount_group(server: &MockServer, name: &str, id: &str) {
    on_group_filter(server, name, vec![]).await;
    let created = group(id, name, json!([]));
    on(server, "POST", "/Groups", ok_json(201, created)).await;
    let at = format!("/Groups/{id}");
    on(server, "PATCH", &at, no_content()).await;
    let without_members = json!({"id": id, "displayName": name});
    on(server, "GET", &at, ok_json(200, without_members)).await;
    on(server, "DELETE", &at, no_content()).await;
}

#[rstest]
#[case(App::Entra)]
#[case(App::EntraCompliant)]
#[tokio::test]
async fn groups_push_membership_rename_push_now_and_delete(#[case] app: App) {
    let (server, okta) = setup(app).await;
    assigned(&server, &okta, &["alice", "bob"]).await;
    okta.add_group("eng", "Engineering").unwrap();
    okta.add_to_group("eng", &["alice"]).unwrap();
    mount_group(&server, "Engineering", "zg-eng").await;

    // Lookup without members (row 15), create without members (row 16), then Add (row 18).
    let from = count(&server).await;
    let o = ok(okta.push_group("eng")).await;
    let w = &wire(&server).await[from..];
    assert!(
        w[0].path
            .starts_with("/Groups?excludedAttributes=members&filter=")
    );
    let create = w[1].body.as_ref().unwrap();
    assert!(create.get("members").is_none());
    assert_eq!(create["externalId"], json!(entra_group_id("eng")));
    assert_eq!(
        ops(&w[2])[0]["value"],
        json!([{"$ref": null, "value": "zu-alice"}])
    );
    assert_eq!(o.status(), Some(201), "the create is the main exchange");
    check(&server, from, &o, &named(app, "push_group")).await;

    let from = count(&server).await;
    let o = ok(okta.add_members("eng", &["bob"])).await;
    assert_eq!(o.exchanges.len(), 1, "no rename after a membership change");
    check(&server, from, &o, &named(app, "add_members")).await;

    let from = count(&server).await;
    let o = ok(okta.remove_members("eng", &["alice"])).await;
    let expected = match app {
        App::Entra => {
            json!([{"op": "Remove", "path": "members", "value": [{"value": "zu-alice"}]}])
        }
        App::EntraCompliant => json!([{"op": "remove", "path": "members[value eq \"zu-alice\"]"}]),
        App::Oin | App::Aiw => unreachable!(),
    };
    assert_eq!(ops(&wire(&server).await[from]), expected);
    check(&server, from, &o, &named(app, "remove_members")).await;

    let from = count(&server).await;
    let o = ok(okta.rename_group("eng", "Platform")).await;
    let op = if app == App::Entra {
        "Replace"
    } else {
        "replace"
    };
    assert_eq!(
        ops(&wire(&server).await[from]),
        json!([{"op": op, "path": "displayName", "value": "Platform"}])
    );
    check(&server, from, &o, &named(app, "rename_group")).await;

    // A cycle: read without members (row 17), then re-send Add of every member.
    let from = count(&server).await;
    let o = ok(okta.push_now("eng")).await;
    let w = &wire(&server).await[from..];
    assert_eq!(w[0].path, "/Groups/zg-eng?excludedAttributes=members");
    assert_eq!(
        ops(&w[1])[0]["value"],
        json!([{"$ref": null, "value": "zu-bob"}])
    );
    check(&server, from, &o, &named(app, "push_now")).await;

    let from = count(&server).await;
    ok(okta.unlink_group("eng", true)).await;
    assert_eq!(wire(&server).await[from].method, "DELETE");
}

#[tokio::test]
async fn members_in_an_answer_that_excluded_them_fail_the_push() {
    let (server, okta) = setup(App::Entra).await;
    okta.add_group("eng", "Engineering").unwrap();
    let with_members = group("zg-eng", "Engineering", json!([{"value": "zu-x"}]));
    on_group_filter(&server, "Engineering", vec![with_members]).await;
    let o = okta.push_group("eng").await.unwrap();
    assert!(!o.ok);
    let m = o.message.unwrap();
    assert!(m.contains("excludedAttributes=members"), "{m}");
}

#[tokio::test]
async fn on_demand_is_always_legacy() {
    let (server, okta) = setup_with(App::EntraCompliant, |c| c.entra.on_demand = true).await;
    assigned(&server, &okta, &["alice"]).await;
    on(&server, "PATCH", "/Users/zu-alice", ok_json(200, json!({}))).await;
    let o = ok(okta.unassign_user("alice")).await;
    assert_eq!(
        o.exchanges[0].request_body,
        Some(zinc_harness::okta::Body::Json(json!({
            "schemas": [PATCH_OP_SCHEMA],
            "Operations": [{"op": "Replace", "path": "active", "value": "False"}]
        })))
    );
}

#[tokio::test]
async fn entra_reads_no_lists() {
    let (server, okta) = setup(App::Entra).await;
    let o = okta.import_users().await;
    assert!(matches!(o.result, ActionResult::NothingSent { .. }));
    let o = okta.refresh_app_groups().await;
    assert!(matches!(o.result, ActionResult::NothingSent { .. }));
    assert_eq!(count(&server).await, 0);
}

#[tokio::test]
async fn on_demand_takes_a_group_of_at_most_five_members() {
    let server = MockServer::start().await;
    let mut c = config(&server, App::Entra);
    c.entra.on_demand = true;
    let okta = OktaClient::new(c).unwrap();
    on(&server, "GET", "/Users", ok_json(200, list(vec![]))).await;
    let created = user("zu-x", "x@example.com", "U", "X");
    on(&server, "POST", "/Users", ok_json(201, created)).await;
    let keys: Vec<String> = (1..=6).map(|i| format!("u{i}")).collect();
    for k in &keys {
        let profile = zinc_harness::okta::PersonProfile::new("U", k, format!("{k}@example.com"));
        okta.add_person(k, profile).unwrap();
        assert!(okta.assign_user(k).await.unwrap().ok);
    }
    okta.add_group("big", "Big").unwrap();
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    okta.add_to_group("big", &refs).unwrap();
    let from = count(&server).await;
    let o = okta.push_group("big").await.unwrap();
    assert!(!o.ok);
    assert!(o.message.unwrap().contains("at most 5"));
    assert_eq!(count(&server).await, from, "nothing sent");
}
