//! Okta fidelity v2 (okta-client-reference.md §10): enterprise and custom attributes, group
//! create follow-ups, membership batches, the minimal AIW group PUT, links as captured, Import
//! Groups, password sync and the clean-up's deprovisioning, each as the exact request sequence
//! (wiremock, insta snapshots) in both personalities.

use std::collections::BTreeMap;

use rstest::rstest;
use serde_json::{Value, json};
use wiremock::MockServer;
use zinc_harness::okta::{AfterCreate, App, OktaClient, PersonProfile, synced_password};
use zinc_harness::scim::{ENTERPRISE_USER_SCHEMA as ENTERPRISE, GROUP_SCHEMA, USER_SCHEMA};

use super::support::*;

// A custom extension of the test's own, not a SCIM one: no library constant names it.
const CUSTOM: &str = "urn:ietf:params:scim:schemas:extension:zinc:2.0:User";

/// alice with every enterprise attribute, bob as her manager, and two custom attributes.
fn rich_alice() -> PersonProfile {
    let mut p = PersonProfile::new("Alice", "Smith", "alice@example.com");
    p.department = Some("Engineering".into());
    p.employee_number = Some("1042".into());
    p.cost_center = Some("CC-7".into());
    p.organization = Some("Zinc Inc".into());
    p.division = Some("R&D".into());
    p.manager = Some("bob".into());
    p.custom = BTreeMap::from([(
        CUSTOM.to_owned(),
        BTreeMap::from([
            ("badge".to_owned(), json!(1042)),
            ("remote".to_owned(), json!(true)),
        ]),
    )]);
    p
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn enterprise_and_custom_attributes_go_under_their_urns_in_post_and_put(#[case] app: App) {
    let server = MockServer::start().await;
    let okta = client(&server, app);
    okta.add_person("bob", PersonProfile::new("Bob", "Jones", "bob@example.com"))
        .unwrap();
    okta.add_person("alice", rich_alice()).unwrap();
    mount_creates(&server).await;
    assert!(okta.assign_user("bob").await.unwrap().ok);
    let from = count(&server).await;
    let o = ok(okta.assign_user("alice")).await;
    let post = wire(&server).await[from + 1].body.clone().unwrap();
    assert_eq!(post["schemas"], json!([USER_SCHEMA, ENTERPRISE, CUSTOM]));
    assert_eq!(
        post[ENTERPRISE],
        json!({"department": "Engineering", "employeeNumber": "1042", "costCenter": "CC-7",
               "organization": "Zinc Inc", "division": "R&D", "manager": {"value": "zu-bob"}})
    );
    assert_eq!(post[CUSTOM], json!({"badge": 1042, "remote": true}));
    // Core attributes stay at the top level; the OIN template maps locale to en-US.
    assert_eq!(post.get("department"), None);
    match app {
        // Entra has its own tests (tests/harness/okta/entra.rs).
        App::Entra | App::EntraCompliant => unreachable!("an Okta case"),
        App::Oin => assert_eq!(post["locale"], json!("en-US")),
        App::Aiw => assert_eq!(post.get("locale"), None),
    }
    check(&server, from, &o, &named(app, "assign_enterprise")).await;

    // A profile push: the GET body (which has the extensions) with the changes under their
    // URNs; a cleared attribute is left out.
    let mut on_server = user("zu-alice", "alice@example.com", "Alice", "Smith");
    on_server[ENTERPRISE] = post[ENTERPRISE].clone();
    on_server[CUSTOM] = post[CUSTOM].clone();
    server.reset().await;
    let at = "/Users/zu-alice";
    on(&server, "GET", at, ok_json(200, on_server.clone())).await;
    on(&server, "PUT", at, ok_json(200, on_server.clone())).await;
    let changed = changes(json!({
        "department": "Sales", "cost_center": "",
        "attributes": {CUSTOM: {"badge": 7, "remote": ""}}
    }));
    let o = ok(okta.update_user("alice", &changed)).await;
    let put = wire(&server).await[1].body.clone().unwrap();
    assert_eq!(
        put[ENTERPRISE],
        json!({"department": "Sales", "employeeNumber": "1042",
               "organization": "Zinc Inc", "division": "R&D", "manager": {"value": "zu-bob"}})
    );
    assert_eq!(put[CUSTOM], json!({"badge": 7}));
    check(&server, 0, &o, &named(app, "update_enterprise")).await;
}

async fn pushed_setup(
    app: App,
    tweak: impl FnOnce(&mut zinc_harness::okta::OktaConfig),
) -> (MockServer, OktaClient) {
    let (server, okta) = setup_with(app, tweak).await;
    assigned(&server, &okta, &["alice", "bob", "carol"]).await;
    okta.add_group("eng", "Engineering").unwrap();
    okta.add_to_group("eng", &["alice", "bob", "carol"])
        .unwrap();
    on_group_filter(&server, "Engineering", vec![]).await;
    let created = group("zg-eng", "Engineering", everyone());
    on(&server, "POST", "/Groups", ok_json(201, created.clone())).await;
    let at = "/Groups/zg-eng";
    on(&server, "GET", at, ok_json(200, created.clone())).await;
    on(&server, "PUT", at, ok_json(200, created)).await;
    on(&server, "PATCH", at, no_content()).await;
    (server, okta)
}

/// alice, bob and carol as members.
fn everyone() -> Value {
    json!([member("alice"), member("bob"), member("carol")])
}

#[tokio::test]
async fn oin_create_with_rename_first_and_batches_of_two() {
    let (server, okta) = pushed_setup(App::Oin, |c| {
        c.group_push.batch_size = 2;
        c.group_push.after_create = AfterCreate::RenameThenMembers;
    })
    .await;
    let from = count(&server).await;
    let o = ok(okta.push_group("eng")).await;
    assert_eq!(o.status(), Some(201), "the create is the main exchange");
    let w = &wire(&server).await[from..];
    assert_eq!(methods(w), ["GET", "POST", "PATCH", "PATCH", "PATCH"]);
    assert_eq!(
        ops(&w[2]),
        json!([{"op": "replace", "value": {"id": "zg-eng", "displayName": "Engineering"}}])
    );
    assert_eq!(
        ops(&w[3]),
        json!([{"op": "add", "path": "members", "value": [member("alice"), member("bob")]}])
    );
    assert_eq!(
        ops(&w[4]),
        json!([{"op": "add", "path": "members", "value": [member("carol")]}])
    );
    check(
        &server,
        from,
        &o,
        "oin_push_group_create_rename_first_batched",
    )
    .await;
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn push_now_and_membership_changes_in_batches(#[case] app: App) {
    let (server, okta) = pushed_setup(app, |c| {
        c.group_push.batch_size = 2;
        c.group_push.get_before_rename = true;
    })
    .await;
    assert!(okta.push_group("eng").await.unwrap().ok);
    let from = count(&server).await;
    let o = ok(okta.push_now("eng")).await;
    let w = &wire(&server).await[from..];
    match app {
        // Entra has its own tests (tests/harness/okta/entra.rs).
        App::Entra | App::EntraCompliant => unreachable!("an Okta case"),
        App::Oin => {
            // The first part keeps the replace, the rest are adds: the end state is the
            // replace's, no PATCH carries more than 2 values.
            assert_eq!(w.len(), 2);
            assert_eq!(
                ops(&w[0]),
                json!([{"op": "replace", "path": "members", "value": [member("alice"), member("bob")]}])
            );
            assert_eq!(
                ops(&w[1]),
                json!([{"op": "add", "path": "members", "value": [member("carol")]}])
            );
        }
        App::Aiw => {
            // AIW never batches or PATCHes: GET, then one minimal PUT with every member.
            assert_eq!(methods(w), ["GET", "PUT"]);
            assert_eq!(
                w[1].body,
                Some(json!({"schemas": [GROUP_SCHEMA], "id": "zg-eng",
                            "displayName": "Engineering", "members": [member("alice"), member("bob"), member("carol")]}))
            );
        }
    }
    check(&server, from, &o, &named(app, "push_now_batched")).await;

    let from = count(&server).await;
    let o = ok(okta.remove_members("eng", &["alice", "bob", "carol"])).await;
    let w = &wire(&server).await[from..];
    match app {
        // Entra has its own tests (tests/harness/okta/entra.rs).
        App::Entra | App::EntraCompliant => unreachable!("an Okta case"),
        // Two PATCHes of removes (2 + 1), the GET the setting asks for, then the rename.
        App::Oin => assert_eq!(methods(w), ["PATCH", "PATCH", "GET", "PATCH"]),
        App::Aiw => assert_eq!(methods(w), ["GET", "PUT"]),
    }
    check(&server, from, &o, &named(app, "remove_members_batched")).await;
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn import_groups_links_by_the_imported_list_without_a_lookup(#[case] app: App) {
    let (server, okta) = pushed_setup(app, |c| c.group_push.import_groups = true).await;
    let imported = list(vec![group("zg-eng", "Engineering", json!([]))]);
    on(&server, "GET", "/Groups", ok_json(200, imported)).await;
    assert!(okta.refresh_app_groups().await.ok);
    let from = count(&server).await;
    let o = ok(okta.push_group("eng")).await;
    let w = &wire(&server).await[from..];
    assert!(
        w.iter().all(|r| !r.path.contains("filter=")),
        "no displayName lookup with Import Groups on"
    );
    assert_eq!(okta.server_group_id("eng").as_deref(), Some("zg-eng"));
    check(&server, from, &o, &named(app, "push_group_imported")).await;

    // A group Okta knows by id is never looked up again either.
    let from = count(&server).await;
    let o = okta.push_group("eng").await.unwrap();
    assert!(o.ok);
    assert!(
        wire(&server).await[from..]
            .iter()
            .all(|r| !r.path.contains("filter="))
    );
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn sync_password_sends_the_okta_password_redacted(#[case] app: App) {
    let (server, okta) = setup(app).await;
    assigned(&server, &okta, &["alice"]).await;
    let alice = user("zu-alice", "alice@example.com", "Alice", "Smith");
    mount_user_rw(&server, "zu-alice", alice).await;
    let from = count(&server).await;
    let o = ok(okta.sync_password("alice")).await;
    let password = synced_password(&okta.okta_id("alice").unwrap(), 1);
    let w = &wire(&server).await[from..];
    match app {
        // Entra has its own tests (tests/harness/okta/entra.rs).
        App::Entra | App::EntraCompliant => unreachable!("an Okta case"),
        App::Oin => {
            assert_eq!(methods(w), ["PATCH"]);
            assert_eq!(
                ops(&w[0]),
                json!([{"op": "replace", "value": {"password": password}}])
            );
        }
        App::Aiw => {
            assert_eq!(methods(w), ["GET", "PUT"]);
            assert_eq!(w[1].body.as_ref().unwrap()["password"], json!(password));
        }
    }
    let text = serde_json::to_string(&o).unwrap();
    assert!(!text.contains(&password), "the synced password is redacted");
    check(&server, from, &o, &named(app, "sync_password")).await;
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn a_server_user_okta_has_no_person_for_is_deprovisioned_in_the_apps_way(#[case] app: App) {
    let server = MockServer::start().await;
    let okta = client(&server, app);
    let u = user("zu-raw", "raw@example.com", "Raw", "User");
    mount_user_rw(&server, "zu-raw", u.clone()).await;
    let o = okta.deprovision_server_user("zu-raw").await;
    assert!(o.ok, "{:?}", o.message);
    let w = wire(&server).await;
    match app {
        // Entra has its own tests (tests/harness/okta/entra.rs).
        App::Entra | App::EntraCompliant => unreachable!("an Okta case"),
        App::Oin => assert_eq!(methods(&w), ["PATCH"]),
        // AIW apps never PATCH (reference §10.13): the GET body with active:false.
        App::Aiw => {
            assert_eq!(methods(&w), ["GET", "PUT"]);
            let mut expected = u;
            expected["active"] = json!(false);
            assert_eq!(w[1].body, Some(expected));
        }
    }
}
