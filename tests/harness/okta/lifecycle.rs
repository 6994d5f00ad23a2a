//! End to end against the mock Zinc: a full lifecycle (assign, update, deactivate,
//! reactivate, push group, membership changes, rename, push now, unlink, import, refresh)
//! in each personality, checked through the Zinc Admin Console.

use std::time::Duration;

use rstest::rstest;
use serde_json::json;
use zinc_harness::okta::{
    ActionOutcome, ActionResult, App, Auth, OktaClient, OktaConfig, PersonProfile,
};
use zinc_harness::zinc::{Admin, MockZinc};

use super::support::changes;

fn ok(o: &ActionOutcome) {
    assert!(o.ok, "{} failed: {:?}", o.action, o.message);
}

fn member_names(admin: &Admin, group_id: &str) -> Vec<String> {
    let mut names: Vec<String> = admin
        .group(group_id)
        .unwrap()
        .members
        .into_iter()
        .map(|m| m.user_name)
        .collect();
    names.sort();
    names
}

fn user_names(admin: &Admin) -> Vec<String> {
    let mut names: Vec<String> = admin
        .list_users()
        .into_iter()
        .map(|u| u.user_name)
        .collect();
    names.sort();
    names
}

#[rstest]
#[case(App::Oin)]
#[case(App::Aiw)]
#[tokio::test]
async fn full_lifecycle_against_the_mock_zinc(#[case] app: App) {
    let zinc = MockZinc::start().await;
    let admin = zinc.admin();
    let token = zinc.token().expect("provisioning enabled");
    let mut config = OktaConfig::new(zinc.base_url(), Auth::Bearer(token.clone()));
    config.app = app;
    config.timeout = Duration::from_secs(10);
    let okta = OktaClient::new(config).unwrap();
    for (k, first, last) in [
        ("alice", "Alice", "Smith"),
        ("bob", "Bob", "Jones"),
        ("carol", "Carol", "White"),
    ] {
        okta.add_person(
            k,
            PersonProfile::new(first, last, format!("{k}@example.com")),
        )
        .unwrap();
    }
    let mut transcript = Vec::new();
    let mut keep = |o: ActionOutcome| {
        transcript.extend(o.exchanges.clone());
        o
    };

    ok(&keep(okta.test_credentials().await));

    // Assign: created with Okta's id as externalId.
    for k in ["alice", "bob", "carol"] {
        let o = keep(okta.assign_user(k).await.unwrap());
        ok(&o);
        assert_eq!(o.status(), Some(201));
    }
    let alice = admin
        .list_users()
        .into_iter()
        .find(|u| u.user_name == "alice@example.com")
        .unwrap();
    assert_eq!(alice.external_id, okta.okta_id("alice"));
    assert_eq!(Some(alice.id.clone()), okta.server_user_id("alice"));

    // Update: GET + PUT; Zinc derives displayName (Z8).
    ok(&keep(
        okta.update_user("alice", &changes(json!({"first": "Alicia"})))
            .await
            .unwrap(),
    ));
    let alice = admin
        .list_users()
        .into_iter()
        .find(|u| u.user_name == "alice@example.com")
        .unwrap();
    assert_eq!(
        (alice.given_name.as_str(), alice.display_name.as_str()),
        ("Alicia", "Alicia Smith")
    );

    // Changing the userName is refused (Z7) and Okta shows the server's detail.
    let o = keep(
        okta.update_user("carol", &changes(json!({"email": "carol.w@example.com"})))
            .await
            .unwrap(),
    );
    assert!(!o.ok);
    assert_eq!(o.status(), Some(400));
    assert!(
        o.message
            .as_deref()
            .unwrap()
            .contains("Bad Request. Errors reported by remote server: "),
        "{:?}",
        o.message
    );

    // Push a group: only provisioned members, by server id.
    okta.add_group("eng", "Engineering").unwrap();
    okta.add_to_group("eng", &["alice", "bob"]).unwrap();
    let o = keep(okta.push_group("eng").await.unwrap());
    ok(&o);
    assert!(matches!(
        o.result,
        ActionResult::Group { created: true, .. }
    ));
    let gid = okta.server_group_id("eng").unwrap();
    assert_eq!(
        member_names(&admin, &gid),
        ["alice@example.com", "bob@example.com"]
    );

    // Membership changes and rename.
    ok(&keep(okta.remove_members("eng", &["bob"]).await.unwrap()));
    assert_eq!(member_names(&admin, &gid), ["alice@example.com"]);
    ok(&keep(
        okta.add_members("eng", &["carol", "bob"]).await.unwrap(),
    ));
    assert_eq!(
        member_names(&admin, &gid),
        ["alice@example.com", "bob@example.com", "carol@example.com"]
    );
    ok(&keep(okta.rename_group("eng", "Platform").await.unwrap()));
    assert_eq!(admin.group(&gid).unwrap().display_name, "Platform");

    // Deactivate: Zinc removes the user (Z10); Okta keeps the old id and gets 404 on it.
    let old_alice = okta.server_user_id("alice").unwrap();
    ok(&keep(okta.deactivate_user("alice").await.unwrap()));
    assert!(!user_names(&admin).contains(&"alice@example.com".to_owned()));
    assert_eq!(
        member_names(&admin, &gid),
        ["bob@example.com", "carol@example.com"]
    );
    let o = keep(okta.get_user("alice").await.unwrap());
    assert_eq!(o.status(), Some(404));

    // Reactivate: a new user with a new id (Z11), then Okta adds it back to the pushed group.
    let o = keep(okta.reactivate_user("alice").await.unwrap());
    ok(&o);
    let ActionResult::User {
        server_id,
        created: true,
    } = &o.result
    else {
        panic!("{:?}", o.result)
    };
    assert_ne!(*server_id, old_alice);
    assert_eq!(
        member_names(&admin, &gid),
        ["alice@example.com", "bob@example.com", "carol@example.com"]
    );

    // Unassign bob: removed from Zinc, and push now sends the remaining members.
    ok(&keep(okta.unassign_user("bob").await.unwrap()));
    ok(&keep(okta.push_now("eng").await.unwrap()));
    assert_eq!(
        member_names(&admin, &gid),
        ["alice@example.com", "carol@example.com"]
    );

    // Import lists the active users; Refresh App Groups lists the pushed group.
    let o = keep(okta.import_users().await);
    let ActionResult::Imported { users, .. } = &o.result else {
        panic!()
    };
    let mut imported: Vec<_> = users.iter().map(|u| u.user_name.clone()).collect();
    imported.sort();
    assert_eq!(imported, ["alice@example.com", "carol@example.com"]);
    let o = keep(okta.refresh_app_groups().await);
    ok(&o);
    assert_eq!(
        okta.app_groups()
            .iter()
            .map(|g| g.display_name.as_str())
            .collect::<Vec<_>>(),
        ["Platform"]
    );

    // Unlink and delete: gone from SCIM, kept unlinked in the console (Z19 retain).
    ok(&keep(okta.unlink_group("eng", true).await.unwrap()));
    let g = admin.group(&gid).unwrap();
    assert!(!g.linked);
    ok(&keep(okta.refresh_app_groups().await));
    assert!(okta.app_groups().is_empty());

    // Okta never deletes users, and the token never reached the transcript.
    assert!(
        transcript
            .iter()
            .all(|e| !(e.method == "DELETE" && e.path.starts_with("/Users")))
    );
    assert!(!serde_json::to_string(&transcript).unwrap().contains(&token));
    zinc.shutdown().await;
}
