//! One check per rule Z1–Z25, each run against a correct mock (`zN_…` tests) and, for every
//! switchable rule, against a mock with that rule switched off, where it must fail
//! (`every_rule_check_fails_against_a_server_lacking_the_rule`): proof that each check can
//! catch a broken server.

use std::future::Future;
use std::pin::Pin;

use serde_json::{Value, json};
use zinc_harness::scim::ScimType;
use zinc_harness::scim::USER_SCHEMA;
use zinc_harness::zinc::{DeletedGroupPolicy, Origin, Provisioning, Rule, Scope, ZincConfig};

use super::{assert_scim_error, okta_user, patch_op, start};
use crate::support::json::strings;

type Check = fn(ZincConfig) -> Pin<Box<dyn Future<Output = ()> + Send>>;

macro_rules! rule_checks {
    ($( $rule:ident => $test:ident, $check:ident; )*) => {
        $(
            #[tokio::test]
            async fn $test() {
                $check(ZincConfig::default()).await
            }
        )*
        /// Every check, by the rule it proves.
        const CHECKS: &[(Rule, Check)] = &[ $( (Rule::$rule, |c| Box::pin($check(c))) ),* ];
    };
}

rule_checks! {
    Z1 => z1_disabled_provisioning_answers_401_pointing_to_support, check_z1;
    Z2 => z2_only_the_current_bearer_token_is_accepted, check_z2;
    Z3 => z3_requests_outside_the_sync_scope_answer_403, check_z3;
    Z4 => z4_user_name_must_be_an_email, check_z4;
    Z5 => z5_emails_are_exactly_the_user_name, check_z5;
    Z6 => z6_user_name_is_unique_case_insensitively, check_z6;
    Z7 => z7_user_name_is_immutable, check_z7;
    Z8 => z8_display_name_is_derived_from_the_name, check_z8;
    Z9 => z9_other_attributes_are_accepted_and_ignored, check_z9;
    Z10 => z10_deactivation_removes_the_user, check_z10;
    Z11 => z11_reactivation_recreates_with_a_new_id, check_z11;
    Z12 => z12_put_replaces_mutable_attributes, check_z12;
    Z13 => z13_patch_accepts_okta_shapes_and_refuses_unknown_paths, check_z13;
    Z14 => z14_every_group_has_an_origin, check_z14;
    Z15 => z15_console_groups_are_never_visible_over_scim, check_z15;
    Z16 => z16_group_writes_over_scim, check_z16;
    Z17 => z17_console_cannot_edit_linked_groups, check_z17;
    Z18 => z18_unlink_keeps_the_group_and_takes_it_out_of_scim, check_z18;
    Z19 => z19_deleted_group_follows_the_policy, check_z19;
    Z20 => z20_media_types, check_z20;
    Z21 => z21_errors_use_the_scim_error_schema, check_z21;
    Z22 => z22_list_responses_page_in_creation_order, check_z22;
    Z23 => z23_filters, check_z23;
    Z24 => z24_limits, check_z24;
    Z25 => z25_discovery, check_z25;
}

/// Each switchable rule's check must fail against a server lacking that rule.
#[tokio::test]
async fn every_rule_check_fails_against_a_server_lacking_the_rule() {
    let mut caught = Vec::new();
    for rule in Rule::switchable() {
        let (_, check) = CHECKS
            .iter()
            .find(|(r, _)| *r == rule)
            .expect("a check per rule");
        let mut config = ZincConfig::default();
        config.break_rule(rule);
        // A failed check panics; run it as a task to observe that.
        let outcome = tokio::spawn(check(config)).await;
        assert!(
            outcome.is_err(),
            "the {rule} check passed against a server without {rule}"
        );
        caught.push(rule.to_string());
    }
    assert_eq!(caught.len(), Rule::switchable().count());
}

async fn check_z1(mut config: ZincConfig) {
    config.provisioning = Provisioning::Disabled;
    let (zinc, scim) = start(config).await;
    assert_eq!(zinc.token(), None, "Z1: no token exists while disabled");
    for path in [
        "/Users?startIndex=1&count=2",
        "/Groups?startIndex=1&count=100",
        "/ServiceProviderConfig",
    ] {
        let r = scim.get(path).await;
        assert_scim_error(&r, 401, None);
        let detail = r.body["detail"].as_str().unwrap();
        assert!(detail.contains("not enabled"), "{detail}");
        assert!(detail.contains("Customer Support"), "{detail}");
    }
    // Even a guessed token gets nowhere.
    assert_scim_error(
        &scim.with_token(Some("guess")).get("/Users").await,
        401,
        None,
    );
    // Support enables it: a token is issued and works.
    let token = zinc.admin().enable_provisioning();
    assert_eq!(zinc.token().as_deref(), Some(token.as_str()));
    assert_eq!(
        scim.with_token(Some(&token))
            .get("/Users?startIndex=1&count=2")
            .await
            .status,
        200
    );
    // Disabled again: the token stops existing.
    zinc.admin().disable_provisioning();
    assert_scim_error(
        &scim.with_token(Some(&token)).get("/Users").await,
        401,
        None,
    );
}

async fn check_z2(config: ZincConfig) {
    let (zinc, scim) = start(config).await;
    let token = zinc.token().unwrap();
    assert_eq!(scim.get("/Users").await.status, 200);
    assert_scim_error(&scim.with_token(None).get("/Users").await, 401, None);
    assert_scim_error(
        &scim.with_token(Some("wrong")).get("/Users").await,
        401,
        None,
    );
    assert_scim_error(
        &scim
            .with_token(Some(&format!("{token}x")))
            .get("/Users")
            .await,
        401,
        None,
    );
    // Malformed: raw token without the scheme, Basic, empty bearer.
    for header in [
        token.clone(),
        format!("Basic {token}"),
        "Bearer".to_owned(),
        "Bearer ".to_owned(),
    ] {
        let r = super::read(
            scim.with_token(None)
                .request("GET", "/Users")
                .header("Authorization", header),
        )
        .await;
        assert_scim_error(&r, 401, None);
    }
    // Rotation invalidates the old token at once.
    let new = zinc.admin().rotate_token().unwrap();
    assert_ne!(new, token);
    assert_scim_error(&scim.get("/Users").await, 401, None);
    assert_eq!(scim.with_token(Some(&new)).get("/Users").await.status, 200);
}

async fn check_z3(mut config: ZincConfig) {
    config.scope = Scope::USERS;
    let (zinc, scim) = start(config).await;
    assert_eq!(scim.get("/Users?startIndex=1&count=2").await.status, 200);
    let r = scim.get("/Groups?startIndex=1&count=100").await;
    assert_scim_error(&r, 403, None);
    assert!(
        r.body["detail"].as_str().unwrap().contains("groups"),
        "{}",
        r.text
    );
    assert_scim_error(
        &scim.post("/Groups", json!({"displayName": "x"})).await,
        403,
        None,
    );
    zinc.admin().set_scope(Scope::GROUPS);
    let r = scim.get("/Users").await;
    assert_scim_error(&r, 403, None);
    assert!(
        r.body["detail"].as_str().unwrap().contains("users"),
        "{}",
        r.text
    );
    assert_eq!(scim.get("/Groups").await.status, 200);
    zinc.admin().set_scope(Scope::BOTH);
    assert_eq!(scim.get("/Users").await.status, 200);
    assert_eq!(scim.get("/Groups").await.status, 200);
}

async fn check_z4(config: ZincConfig) {
    let (zinc, scim) = start(config).await;
    for bad in [
        "alice",
        "alice@localhost",
        "al ice@example.com",
        "@example.com",
        "alice@.com",
        "alice@example.",
    ] {
        let r = scim.post("/Users", okta_user(bad, "A", "B")).await;
        assert_scim_error(&r, 400, Some(ScimType::InvalidValue));
    }
    let mut missing = okta_user("x@example.com", "A", "B");
    missing.as_object_mut().unwrap().remove("userName");
    assert_scim_error(
        &scim.post("/Users", missing).await,
        400,
        Some(ScimType::InvalidValue),
    );
    assert!(zinc.admin().list_users().is_empty(), "Z4: nothing created");
    scim.user("alice@example.com", "Alice", "Smith").await;
}

async fn check_z5(config: ZincConfig) {
    let (_zinc, scim) = start(config).await;
    let mut body = okta_user("alice@example.com", "Alice", "Smith");
    body["emails"] = json!([{"value": "other@example.com", "type": "home", "primary": true},
                            {"value": "alice@example.com", "primary": false}]);
    let r = scim.post("/Users", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let expected = json!([{"value": "alice@example.com", "type": "work", "primary": true}]);
    assert_eq!(r.body["emails"], expected);
    let id = r.body["id"].as_str().unwrap();
    assert_eq!(
        scim.get(&format!("/Users/{id}")).await.body["emails"],
        expected
    );
    let mut put = scim.get(&format!("/Users/{id}")).await.body;
    put["emails"] = json!([{"value": "x@example.com", "primary": true}]);
    assert_eq!(
        scim.put(&format!("/Users/{id}"), put).await.body["emails"],
        expected
    );
    let r = scim
        .patch(
            &format!("/Users/{id}"),
            patch_op(
                json!([{"op": "replace", "path": "emails", "value": [{"value": "y@example.com"}]}]),
            ),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["emails"], expected);
}

async fn check_z6(config: ZincConfig) {
    let (zinc, scim) = start(config).await;
    let r = scim
        .post(
            "/Users",
            okta_user("Alice.Smith@Example.com", "Alice", "Smith"),
        )
        .await;
    assert_eq!(r.status, 201);
    assert_eq!(
        r.body["userName"], "Alice.Smith@Example.com",
        "Z6: the case as sent"
    );
    for dup in [
        "Alice.Smith@Example.com",
        "alice.smith@example.com",
        "ALICE.SMITH@EXAMPLE.COM",
    ] {
        assert_scim_error(
            &scim.post("/Users", okta_user(dup, "A", "S")).await,
            409,
            Some(ScimType::Uniqueness),
        );
    }
    assert_eq!(zinc.admin().list_users().len(), 1);
}

async fn check_z7(config: ZincConfig) {
    let (_zinc, scim) = start(config).await;
    let id = scim.user("alice@example.com", "Alice", "Smith").await;
    let path = format!("/Users/{id}");
    let mut put = scim.get(&path).await.body;
    put["userName"] = json!("alice.smith@example.com");
    put["name"]["givenName"] = json!("Alicia");
    assert_scim_error(&scim.put(&path, put).await, 400, Some(ScimType::Mutability));
    let shapes = [
        json!([{"op": "replace", "path": "userName", "value": "alice.smith@example.com"}]),
        json!([{"op": "replace", "value": {"userName": "alice.smith@example.com", "name": {"givenName": "Alicia"}}}]),
        json!([{"op": "replace", "path": "name.givenName", "value": "Alicia"},
               {"op": "add", "path": "userName", "value": "alice.smith@example.com"}]),
    ];
    for ops in shapes {
        assert_scim_error(
            &scim.patch(&path, patch_op(ops)).await,
            400,
            Some(ScimType::Mutability),
        );
    }
    // Nothing else changed either.
    let now = scim.get(&path).await.body;
    assert_eq!(now["userName"], "alice@example.com");
    assert_eq!(now["name"]["givenName"], "Alice");
    // Letter case alone may change.
    let r = scim
        .patch(
            &path,
            patch_op(json!([{"op": "replace", "path": "userName", "value": "Alice@Example.com"}])),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

async fn check_z8(config: ZincConfig) {
    let (_zinc, scim) = start(config).await;
    let mut body = okta_user("alice@example.com", "Alice", "Smith");
    body["displayName"] = json!("The Boss");
    let r = scim.post("/Users", body).await;
    assert_eq!(r.body["displayName"], "Alice Smith", "{}", r.text);
    let path = format!("/Users/{}", r.body["id"].as_str().unwrap());
    let r = scim
        .patch(
            &path,
            patch_op(json!([{"op": "replace", "path": "name.givenName", "value": "Alicia"}])),
        )
        .await;
    assert_eq!(r.body["displayName"], "Alicia Smith", "{}", r.text);
    let r = scim
        .patch(
            &path,
            patch_op(json!([{"op": "replace", "path": "displayName", "value": "Boss"}])),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["displayName"], "Alicia Smith", "{}", r.text);
    let mut put = scim.get(&path).await.body;
    put["displayName"] = json!("Someone Else");
    put["name"] = json!({"familyName": "Jones"});
    let r = scim.put(&path, put).await;
    assert_eq!(
        r.body["displayName"], "Jones",
        "only the family name: {}",
        r.text
    );
}

async fn check_z9(config: ZincConfig) {
    let (_zinc, scim) = start(config).await;
    let mut body = okta_user("alice@example.com", "Alice", "Smith");
    body["locale"] = json!("en-US");
    body["title"] = json!("Engineer");
    body["schemas"] = json!([
        zinc_harness::scim::USER_SCHEMA,
        zinc_harness::scim::ENTERPRISE_USER_SCHEMA
    ]);
    body[zinc_harness::scim::ENTERPRISE_USER_SCHEMA] = json!({"department": "R&D"});
    let r = scim.post("/Users", body).await;
    assert_eq!(r.status, 201, "{}", r.text);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let got = scim.get(&format!("/Users/{id}")).await.body;
    for absent in [
        "password",
        "locale",
        "title",
        "groups",
        zinc_harness::scim::ENTERPRISE_USER_SCHEMA,
    ] {
        assert!(got.get(absent).is_none(), "Z9: {absent} is not kept: {got}");
    }
    for kept in ["id", "userName", "name", "externalId", "active", "meta"] {
        assert!(got.get(kept).is_some(), "Z9: {kept} is kept");
    }
    assert_eq!(got["meta"]["resourceType"], "User");
    assert!(
        got["meta"]["location"]
            .as_str()
            .unwrap()
            .starts_with("http://127.0.0.1:")
    );
    // Password sync (OIN) is accepted and ignored.
    let r = scim
        .patch(
            &format!("/Users/{id}"),
            patch_op(json!([{"op": "replace", "value": {"password": "n3w!"}}])),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(r.body.get("password").is_none());
}

async fn check_z10(config: ZincConfig) {
    let (zinc, scim) = start(config).await;
    let alice = scim.user("alice@example.com", "Alice", "Smith").await;
    let bob = scim.user("bob@example.com", "Bob", "Jones").await;
    let carol = scim.user("carol@example.com", "Carol", "King").await;
    let group = scim.group("Engineering", &[&alice, &bob, &carol]).await;
    // OIN: path-less PATCH.
    let r = scim
        .patch(
            &format!("/Users/{alice}"),
            patch_op(json!([{"op": "replace", "value": {"active": false}}])),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["active"], false);
    assert_eq!(r.body["userName"], "alice@example.com");
    // AIW: GET then PUT active:false.
    let mut put = scim.get(&format!("/Users/{bob}")).await.body;
    put["active"] = json!(false);
    let r = scim.put(&format!("/Users/{bob}"), put).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["active"], false);
    // DELETE has the same effect.
    assert_eq!(scim.delete(&format!("/Users/{carol}")).await.status, 204);
    for (id, name) in [
        (&alice, "alice@example.com"),
        (&bob, "bob@example.com"),
        (&carol, "carol@example.com"),
    ] {
        assert_scim_error(&scim.get(&format!("/Users/{id}")).await, 404, None);
        let r = scim
            .get(&format!("/Users?filter=userName%20eq%20%22{name}%22"))
            .await;
        assert_eq!(r.body["totalResults"], 0, "{}", r.text);
    }
    assert!(
        zinc.admin().list_users().is_empty(),
        "the console lists no such user"
    );
    assert!(
        scim.members(&group).await.is_empty(),
        "the users left every group"
    );
    assert!(zinc.admin().list_groups()[0].members.is_empty());
    // A create with active:false is refused.
    let mut body = okta_user("dave@example.com", "Dave", "D");
    body["active"] = json!(false);
    assert_scim_error(
        &scim.post("/Users", body).await,
        400,
        Some(ScimType::InvalidValue),
    );
}

async fn check_z11(config: ZincConfig) {
    let (zinc, scim) = start(config).await;
    let old = scim.user("alice@example.com", "Alice", "Smith").await;
    let group = scim.group("Engineering", &[&old]).await;
    let path = format!("/Users/{old}");
    assert_eq!(
        scim.patch(
            &path,
            patch_op(json!([{"op": "replace", "value": {"active": false}}]))
        )
        .await
        .status,
        200
    );
    // OIN reactivation: PATCH active:true on the removed id.
    assert_scim_error(
        &scim
            .patch(
                &path,
                patch_op(json!([{"op": "replace", "value": {"active": true}}])),
            )
            .await,
        404,
        None,
    );
    // AIW: PUT active:true.
    let mut put = okta_user("alice@example.com", "Alice", "Smith");
    put["id"] = json!(old);
    assert_scim_error(&scim.put(&path, put).await, 404, None);
    // Okta then searches (nothing) and creates: a new id, no old memberships.
    let r = scim
        .get("/Users?filter=userName%20eq%20%22alice%40example.com%22&startIndex=1&count=100")
        .await;
    assert_eq!(r.body["totalResults"], 0);
    let new = scim.user("alice@example.com", "Alice", "Smith").await;
    assert_ne!(new, old);
    assert!(scim.members(&group).await.is_empty());
    assert_scim_error(&scim.get(&path).await, 404, None);
    assert_eq!(zinc.admin().list_users().len(), 1);
}

async fn check_z12(config: ZincConfig) {
    let (_zinc, scim) = start(config).await;
    let id = scim.user("alice@example.com", "Alice", "Smith").await;
    let path = format!("/Users/{id}");
    // Okta echoes what GET returned, read-only attributes included, with a changed name.
    let mut put = scim.get(&path).await.body;
    put["name"]["familyName"] = json!("Jones");
    put["id"] = json!("something-else");
    put["meta"] = json!({"resourceType": "Nope"});
    put["password"] = json!("secret");
    let r = scim.put(&path, put).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["id"], json!(id));
    assert_eq!(r.body["name"]["familyName"], "Jones");
    assert_eq!(r.body["meta"]["resourceType"], "User");
    assert!(r.body.get("password").is_none());
    // Missing attributes become empty, except `active`, which keeps its value.
    let r = scim
        .put(&path, json!({"userName": "alice@example.com"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["active"], true, "a PUT without active keeps it");
    assert!(r.body.get("externalId").is_none(), "{}", r.text);
    assert!(r.body["name"].get("givenName").is_none(), "{}", r.text);
    assert!(scim.get(&path).await.body.get("externalId").is_none());
}

async fn check_z13(config: ZincConfig) {
    let (_zinc, scim) = start(config).await;
    let id = scim.user("alice@example.com", "Alice", "Smith").await;
    let path = format!("/Users/{id}");
    let ok = [
        json!([{"op": "Replace", "path": "name.givenName", "value": "Al"}]),
        json!([{"op": "REPLACE", "value": {"name": {"familyName": "Stone"}, "externalId": "00uX"}}]),
        json!([{"op": "add", "path": "externalId", "value": "00uY"}]),
        json!([{"op": "replace", "path": format!("{USER_SCHEMA}:name.givenName"), "value": "Ally"}]),
        json!([{"op": "replace", "path": "active", "value": "True"}]),
        json!([{"op": "replace", "value": {"displayName": "ignored", "emails": [], "id": "x"}}]),
    ];
    for ops in ok {
        let r = scim.patch(&path, patch_op(ops.clone())).await;
        assert_eq!(r.status, 200, "{ops}: {}", r.text);
    }
    let got = scim.get(&path).await.body;
    assert_eq!(
        got["name"],
        json!({"givenName": "Ally", "familyName": "Stone"})
    );
    assert_eq!(got["externalId"], "00uY");
    // Unknown paths are refused, and the whole request changes nothing.
    for ops in [
        json!([{"op": "replace", "path": "name.givenName", "value": "Z"}, {"op": "replace", "path": "nickname2", "value": "x"}]),
        json!([{"op": "replace", "path": "name.nope", "value": "x"}]),
        json!([{"op": "replace", "value": {"favouriteColour": "blue"}}]),
    ] {
        assert_scim_error(
            &scim.patch(&path, patch_op(ops)).await,
            400,
            Some(ScimType::InvalidPath),
        );
    }
    assert_eq!(scim.get(&path).await.body["name"]["givenName"], "Ally");
    // String "false" deactivates (Z10 applies).
    let r = scim
        .patch(
            &path,
            patch_op(json!([{"op": "replace", "path": "active", "value": "false"}])),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["active"], false);
}

async fn check_z14(config: ZincConfig) {
    let (zinc, scim) = start(config).await;
    let pushed = scim.group("Engineering", &[]).await;
    let console = zinc.admin().create_group("Lunch club").unwrap();
    let groups = zinc.admin().list_groups();
    let find = |id: &str| groups.iter().find(|g| g.id == id).unwrap().clone();
    assert_eq!(find(&pushed).origin, Origin::Okta);
    assert!(find(&pushed).linked);
    assert_eq!(find(&console.id).origin, Origin::Console);
    assert!(!find(&console.id).linked);
    let r = scim.admin_send("GET", "/groups", None).await;
    let origins = strings(&r.body, "origin");
    assert_eq!(origins, ["okta", "console"]);
}

async fn check_z15(config: ZincConfig) {
    let (zinc, scim) = start(config).await;
    let console = zinc.admin().create_group("Engineering").unwrap();
    let r = scim.get("/Groups?startIndex=1&count=100").await;
    assert_eq!(
        r.body["totalResults"], 0,
        "Refresh App Groups shows no console group: {}",
        r.text
    );
    let r = scim
        .get("/Groups?filter=displayName%20eq%20%22Engineering%22")
        .await;
    assert_eq!(r.body["totalResults"], 0, "{}", r.text);
    assert_scim_error(
        &scim.get(&format!("/Groups/{}", console.id)).await,
        404,
        None,
    );
    // A push with the same name creates a separate synced group.
    let pushed = scim.group("Engineering", &[]).await;
    assert_ne!(pushed, console.id);
    assert_eq!(zinc.admin().list_groups().len(), 2);
    let r = scim.get("/Groups").await;
    assert_eq!(r.body["totalResults"], 1);
    assert_eq!(r.body["Resources"][0]["id"], json!(pushed));
}

async fn check_z16(config: ZincConfig) {
    let (_zinc, scim) = start(config).await;
    let a = scim.user("a@example.com", "A", "A").await;
    let b = scim.user("b@example.com", "B", "B").await;
    let c = scim.user("c@example.com", "C", "C").await;
    // Create: members must exist; names unique case-insensitively; displayName required.
    let unknown = "0b7e1a58-0000-4000-8000-000000000000";
    let r = scim
        .post(
            "/Groups",
            json!({"displayName": "Eng", "members": [{"value": a}, {"value": unknown}]}),
        )
        .await;
    assert_scim_error(&r, 400, Some(ScimType::InvalidValue));
    assert_scim_error(
        &scim.post("/Groups", json!({"members": []})).await,
        400,
        Some(ScimType::InvalidValue),
    );
    let r = scim
        .post(
            "/Groups",
            json!({"displayName": "Eng", "members": [{"value": a, "display": "a@example.com"}]}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(
        r.body["members"],
        json!([{"value": a, "display": "a@example.com"}])
    );
    let g = r.body["id"].as_str().unwrap().to_owned();
    assert_scim_error(
        &scim
            .post("/Groups", json!({"displayName": "ENG", "members": []}))
            .await,
        409,
        Some(ScimType::Uniqueness),
    );
    let path = format!("/Groups/{g}");
    // OIN incremental: removes by value filter and one add of many, members without type.
    let r = scim
        .patch(&path, patch_op(json!([
            {"op": "remove", "path": format!("members[value eq \"{a}\"]")},
            {"op": "add", "path": "members", "value": [{"value": b, "display": "b@example.com"}, {"value": c}]}
        ])))
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    let mut want = vec![b.clone(), c.clone()];
    want.sort();
    assert_eq!(scim.members(&g).await, want);
    // Adding an unknown member refuses the whole PATCH.
    let r = scim
        .patch(&path, patch_op(json!([{"op": "remove", "path": format!("members[value eq \"{b}\"]")},
                                      {"op": "add", "path": "members", "value": [{"value": unknown}]}])))
        .await;
    assert_scim_error(&r, 400, Some(ScimType::InvalidValue));
    assert_eq!(scim.members(&g).await, want);
    // Rename PATCH with id in value, after every membership change.
    let r = scim
        .patch(
            &path,
            patch_op(json!([{"op": "replace", "value": {"id": g, "displayName": "Engineering"}}])),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(scim.get(&path).await.body["displayName"], "Engineering");
    // Full push and empty push; path-less members replace.
    assert_eq!(
        scim.patch(
            &path,
            patch_op(json!([{"op": "replace", "path": "members", "value": [{"value": a}]}]))
        )
        .await
        .status,
        204
    );
    assert_eq!(scim.members(&g).await, vec![a.clone()]);
    assert_eq!(
        scim.patch(
            &path,
            patch_op(json!([{"op": "replace", "path": "members", "value": []}]))
        )
        .await
        .status,
        204
    );
    assert!(scim.members(&g).await.is_empty());
    assert_eq!(
        scim.patch(
            &path,
            patch_op(json!([{"op": "replace", "value": {"members": [{"value": c}]}}]))
        )
        .await
        .status,
        204
    );
    assert_eq!(scim.members(&g).await, vec![c.clone()]);
    // AIW: PUT the whole group.
    let r = scim
        .put(
            &path,
            json!({"displayName": "Engineering", "members": [{"value": a}, {"value": b}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mut ab = vec![a.clone(), b.clone()];
    ab.sort();
    assert_eq!(scim.members(&g).await, ab);
    // Renaming onto another linked group's name is a conflict.
    scim.group("Sales", &[]).await;
    let r = scim
        .patch(
            &path,
            patch_op(json!([{"op": "replace", "path": "displayName", "value": "sales"}])),
        )
        .await;
    assert_scim_error(&r, 409, Some(ScimType::Uniqueness));
    assert_eq!(scim.delete(&path).await.status, 204);
}

async fn check_z17(config: ZincConfig) {
    let (zinc, scim) = start(config).await;
    let a = scim.user("a@example.com", "A", "A").await;
    let b = scim.user("b@example.com", "B", "B").await;
    let g = scim.group("Engineering", &[&a]).await;
    let admin = zinc.admin();
    let refusals = [
        admin.rename_group(&g, "Other").err(),
        admin.add_members(&g, &[&b]).err(),
        admin.remove_members(&g, &[&a]).err(),
        admin.delete_group(&g).err(),
    ];
    for err in refusals {
        let err = err.expect("Z17: refused");
        let msg = err.to_string();
        assert!(
            msg.contains("Okta") && msg.contains("external directory"),
            "{msg}"
        );
        assert!(msg.contains("unlink"), "{msg}");
    }
    // Over the admin API too: 409 with the same message.
    let r = scim
        .admin_send(
            "PATCH",
            &format!("/groups/{g}"),
            Some(json!({"displayName": "Other"})),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert_eq!(r.body["error"], "linked_group");
    // Nothing changed.
    assert_eq!(scim.members(&g).await, vec![a.clone()]);
    assert_eq!(
        scim.get(&format!("/Groups/{g}")).await.body["displayName"],
        "Engineering"
    );
    // Admins are Zinc's own role: allowed.
    let view = admin
        .set_admins(&g, &[&b])
        .expect("admins can be set on a linked group");
    assert_eq!(view.admins[0].user_name, "b@example.com");
}

async fn check_z18(config: ZincConfig) {
    let (zinc, scim) = start(config).await;
    let a = scim.user("a@example.com", "A", "A").await;
    let b = scim.user("b@example.com", "B", "B").await;
    let g = scim.group("Engineering", &[&a]).await;
    let admin = zinc.admin();
    admin.set_admins(&g, &[&b]).unwrap();
    let view = admin.unlink_group(&g).unwrap();
    assert!(!view.linked);
    assert_eq!(view.members.len(), 1);
    assert_eq!(view.admins.len(), 1);
    // Gone from SCIM: by id, in lists, in filters; later pushes do not reach it.
    assert_scim_error(&scim.get(&format!("/Groups/{g}")).await, 404, None);
    assert_eq!(scim.get("/Groups").await.body["totalResults"], 0);
    assert_eq!(
        scim.get("/Groups?filter=displayName+eq+%22Engineering%22")
            .await
            .body["totalResults"],
        0
    );
    let r = scim
        .patch(
            &format!("/Groups/{g}"),
            patch_op(json!([{"op": "add", "path": "members", "value": [{"value": b}]}])),
        )
        .await;
    assert_scim_error(&r, 404, None);
    // Editable in the console now.
    admin.add_members(&g, &[&b]).unwrap();
    admin.rename_group(&g, "Engineering (old)").unwrap();
    // Linking again is a new push: a new group; the unlinked one stays as it is.
    let again = scim.group("Engineering", &[&a]).await;
    assert_ne!(again, g);
    let old = admin.group(&g).unwrap();
    assert_eq!(old.display_name, "Engineering (old)");
    assert_eq!(old.members.len(), 2);
    assert!(!old.linked);
}

async fn check_z19(config: ZincConfig) {
    let (zinc, scim) = start(config).await;
    let a = scim.user("a@example.com", "A", "A").await;
    let g = scim.group("Engineering", &[&a]).await;
    zinc.admin().set_admins(&g, &[&a]).unwrap();
    assert_eq!(scim.delete(&format!("/Groups/{g}")).await.status, 204);
    assert_scim_error(&scim.get(&format!("/Groups/{g}")).await, 404, None);
    assert_scim_error(&scim.delete(&format!("/Groups/{g}")).await, 404, None);
    // retain (default): kept in the console, unlinked, with members and admins.
    let kept = zinc.admin().group(&g).expect("Z19 retain keeps the group");
    assert!(!kept.linked);
    assert_eq!(kept.members.len(), 1);
    assert_eq!(kept.admins.len(), 1);
    // ... and the console can remove it.
    zinc.admin().delete_group(&g).unwrap();
    assert!(zinc.admin().list_groups().is_empty());
    // delete: gone.
    zinc.admin()
        .set_deleted_group_policy(DeletedGroupPolicy::Delete);
    let g2 = scim.group("Sales", &[&a]).await;
    assert_eq!(scim.delete(&format!("/Groups/{g2}")).await.status, 204);
    assert!(zinc.admin().group(&g2).is_err());
    assert!(zinc.admin().list_groups().is_empty());
}

async fn check_z20(config: ZincConfig) {
    let (_zinc, scim) = start(config).await;
    let body = serde_json::to_vec(&okta_user("a@example.com", "A", "B")).unwrap();
    let r = super::read(
        scim.request("POST", "/Users")
            .header("Content-Type", "application/json")
            .body(body),
    )
    .await;
    assert_eq!(
        r.status, 201,
        "application/json bodies are accepted: {}",
        r.text
    );
    assert!(
        r.content_type().starts_with("application/scim+json"),
        "{}",
        r.content_type()
    );
    let r = super::read(
        scim.request("POST", "/Users")
            .header("Content-Type", "application/scim+json")
            .body("{not json"),
    )
    .await;
    assert_scim_error(&r, 400, Some(ScimType::InvalidSyntax));
    for path in ["/Users", "/Groups", "/ServiceProviderConfig"] {
        assert!(
            scim.get(path)
                .await
                .content_type()
                .starts_with("application/scim+json")
        );
    }
}

async fn check_z21(config: ZincConfig) {
    let (_zinc, scim) = start(config).await;
    assert_scim_error(
        &scim.get("/Users/010101001010101011001010101011").await,
        404,
        None,
    );
    assert_scim_error(&scim.get("/Nope").await, 404, None);
    let r = super::read(
        scim.http
            .get(format!("{}/nowhere", scim.base.replace("/scim/v2", ""))),
    )
    .await;
    assert_scim_error(&r, 404, None);
    assert_scim_error(
        &scim
            .send("POST", "/ServiceProviderConfig", Some(json!({})))
            .await,
        405,
        None,
    );
    assert_scim_error(&scim.send("DELETE", "/Users", None).await, 405, None);
    assert_scim_error(&scim.with_token(Some("x")).get("/Users").await, 401, None);
}

async fn check_z22(config: ZincConfig) {
    let (zinc, scim) = start(config).await;
    let dir = zinc.directory();
    let mut ids = Vec::new();
    for i in 0..105 {
        ids.push(
            dir.create_user(&okta_user(&format!("u{i:03}@example.com"), "U", "N"))
                .unwrap()
                .id
                .unwrap(),
        );
    }
    let page = |r: &super::Resp| -> Vec<String> {
        r.body["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let r = scim.get("/Users?startIndex=1&count=2").await;
    assert_eq!(
        r.body["schemas"],
        json!([zinc_harness::scim::LIST_RESPONSE_SCHEMA])
    );
    assert_eq!(
        (
            r.body["totalResults"].clone(),
            r.body["startIndex"].clone(),
            r.body["itemsPerPage"].clone()
        ),
        (json!(105), json!(1), json!(2))
    );
    assert_eq!(page(&r), ids[0..2]);
    let r = scim.get("/Users?startIndex=3&count=4").await;
    assert_eq!(page(&r), ids[2..6], "stable creation order");
    // Default count is 100.
    let r = scim.get("/Users").await;
    assert_eq!(r.body["itemsPerPage"], 100);
    assert_eq!(page(&r), ids[0..100]);
    // Okta's import: the second page holds the rest; itemsPerPage equals what is returned.
    let r = scim.get("/Users?startIndex=101&count=100").await;
    assert_eq!(r.body["itemsPerPage"], 5);
    assert_eq!(page(&r), ids[100..105]);
    // Past the end: an empty page, not an error.
    let r = scim.get("/Users?startIndex=500&count=100").await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["itemsPerPage"], 0);
    assert_eq!(r.body["totalResults"], 105);
    assert_eq!(r.body["Resources"], json!([]));
    // Removing users keeps the order of the others.
    scim.delete(&format!("/Users/{}", ids[1])).await;
    let r = scim.get("/Users?startIndex=1&count=3").await;
    assert_eq!(
        page(&r),
        vec![ids[0].clone(), ids[2].clone(), ids[3].clone()]
    );
    assert_eq!(r.body["totalResults"], 104);
    // Groups page too.
    for i in 0..3 {
        scim.group(&format!("G{i}"), &[]).await;
    }
    let r = scim.get("/Groups?startIndex=2&count=5").await;
    assert_eq!(r.body["itemsPerPage"], 2);
    assert_eq!(r.body["Resources"][0]["displayName"], "G1");
}

async fn check_z23(config: ZincConfig) {
    let (_zinc, scim) = start(config).await;
    let mut body = okta_user("Alice@Example.com", "Alice", "Smith");
    body["externalId"] = json!("00uAlice");
    let alice = scim.post("/Users", body).await.body["id"]
        .as_str()
        .unwrap()
        .to_owned();
    scim.user("bob@example.com", "Bob", "Jones").await;
    let one = |r: &super::Resp| {
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["totalResults"], 1, "{}", r.text);
        r.body["Resources"][0]["id"].as_str().unwrap().to_owned()
    };
    for q in [
        "filter=userName%20eq%20%22alice%40example.com%22",
        "filter=userName+eq+%22ALICE%40EXAMPLE.COM%22",
        "filter=USERNAME%20EQ%20%22alice@example.com%22",
        "filter=externalId%20eq%20%2200uAlice%22",
        &format!("filter=id+eq+%22{alice}%22"),
        "filter=urn%3Aietf%3Aparams%3Ascim%3Aschemas%3Acore%3A2.0%3AUser%3AuserName+eq+%22alice%40example.com%22",
    ] {
        assert_eq!(
            one(&scim
                .get(&format!("/Users?{q}&startIndex=1&count=100"))
                .await),
            alice,
            "{q}"
        );
    }
    assert_eq!(
        scim.get("/Users?filter=userName+eq+%22abcdefgh%40atko.com%22")
            .await
            .body["totalResults"],
        0
    );
    let g = scim.group("Engineering", &[&alice]).await;
    assert_eq!(
        one(&scim
            .get("/Groups?filter=displayName%20eq%20%22engineering%22")
            .await),
        g
    );
    assert_eq!(
        one(&scim
            .get("/Groups?filter=displayName+eq+%22Engineering%22")
            .await),
        g
    );
    assert_eq!(
        one(&scim
            .get(&format!("/Groups?filter=id%20eq%20%22{g}%22"))
            .await),
        g
    );
    for bad in [
        "userName+co+%22alice%22",
        "name.givenName+eq+%22Alice%22",
        "userName+eq+%22a%40b.c%22+and+active+eq+true",
        "userName+eq",
        "userName+eq+alice",
        "%22unterminated",
        "active+eq+true",
        "userName+pr",
    ] {
        assert_scim_error(
            &scim.get(&format!("/Users?filter={bad}")).await,
            400,
            Some(ScimType::InvalidFilter),
        );
    }
    assert_scim_error(
        &scim.get("/Groups?filter=members+eq+%22x%22").await,
        400,
        Some(ScimType::InvalidFilter),
    );
}

async fn check_z24(config: ZincConfig) {
    let (zinc, scim) = start(config).await;
    let mut big = okta_user("a@example.com", "A", "B");
    big["title"] = Value::String("x".repeat(1024 * 1024));
    assert_scim_error(&scim.post("/Users", big).await, 413, None);
    assert!(zinc.admin().list_users().is_empty());
    let dir = zinc.directory();
    for i in 0..1001 {
        dir.create_user(&okta_user(&format!("u{i}@example.com"), "U", "N"))
            .unwrap();
    }
    let r = scim.get("/Users?startIndex=1&count=5000").await;
    assert_eq!(r.body["itemsPerPage"], 1000, "count is capped at 1000");
    assert_eq!(r.body["totalResults"], 1001);
}

async fn check_z25(config: ZincConfig) {
    let (_zinc, scim) = start(config).await;
    let spc = scim.get("/ServiceProviderConfig").await;
    assert_eq!(spc.status, 200);
    assert_eq!(spc.body["patch"]["supported"], true);
    assert_eq!(spc.body["filter"]["supported"], true);
    assert_eq!(spc.body["bulk"]["supported"], false);
    assert_eq!(
        spc.body["authenticationSchemes"][0]["type"],
        "oauthbearertoken"
    );
    let rt = scim.get("/ResourceTypes").await;
    let names = strings(&rt.body["Resources"], "name");
    assert_eq!(names, ["User", "Group"]);
    assert_eq!(
        scim.get("/ResourceTypes/User").await.body["endpoint"],
        "/Users"
    );
    let schemas = scim.get("/Schemas").await;
    let ids = strings(&schemas.body["Resources"], "id");
    assert_eq!(
        ids,
        [
            zinc_harness::scim::USER_SCHEMA,
            zinc_harness::scim::GROUP_SCHEMA
        ]
    );
    let user_schema = scim
        .get(&format!("/Schemas/{}", zinc_harness::scim::USER_SCHEMA))
        .await;
    assert_eq!(user_schema.body["attributes"][0]["name"], "userName");
    assert_eq!(user_schema.body["attributes"][0]["mutability"], "immutable");
}
