//! The mock serves each user's and group's body from a cache kept until the record changes
//! (`harness/zinc/store.rs`, `Cached`). Each test reads first, so the body is cached, then
//! changes the record by one route (SCIM, console, a member's rename or removal) and reads
//! again: a stale cache fails it.

use serde_json::json;
use zinc_harness::zinc::{Rule, ZincConfig};

use super::{Scim, patch_op, start};

/// Reads a resource by id and through its `eq` lookup; both must agree.
async fn both_reads(scim: &Scim, path: &str, lookup: &str) -> serde_json::Value {
    let by_id = scim.get(path).await;
    assert_eq!(by_id.status, 200, "{}", by_id.text);
    let listed = scim.get(lookup).await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    assert_eq!(
        listed.body["Resources"][0], by_id.body,
        "the lookup and the by-id read serve the same body"
    );
    by_id.body
}

#[tokio::test]
async fn a_user_read_after_a_patch_shows_the_patch() {
    let (_zinc, scim) = start(ZincConfig::default()).await;
    let id = scim.user("ada@example.com", "Ada", "Lovelace").await;
    let path = format!("/Users/{id}");
    let lookup = "/Users?filter=userName%20eq%20%22ada@example.com%22";
    let before = both_reads(&scim, &path, lookup).await;
    assert_eq!(before["displayName"], "Ada Lovelace");

    let r = scim
        .patch(
            &path,
            patch_op(json!([{"op": "replace", "value": {"name.familyName": "King"}}])),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    let after = both_reads(&scim, &path, lookup).await;
    assert_eq!(after["name"]["familyName"], "King");
    // Z8: the derived displayName follows the name.
    assert_eq!(after["displayName"], "Ada King");
    // Also in a page of the whole list.
    let page = scim.get("/Users").await;
    assert_eq!(page.body["Resources"][0], after);
}

#[tokio::test]
async fn a_group_read_after_membership_changes_shows_them() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    let ada = scim.user("ada@example.com", "Ada", "Lovelace").await;
    let bob = scim.user("bob@example.com", "Bob", "Byte").await;
    let gid = scim.group("Engineers", &[&ada]).await;
    let path = format!("/Groups/{gid}");
    let lookup = "/Groups?filter=displayName%20eq%20%22Engineers%22";
    assert_eq!(
        both_reads(&scim, &path, lookup).await["members"][0]["value"],
        ada
    );

    // Over SCIM: add bob, the way Okta pushes a membership.
    let r = scim
        .patch(
            &path,
            patch_op(json!([{"op": "add", "path": "members", "value": [{"value": bob}]}])),
        )
        .await;
    assert_eq!(r.status, 204, "Z16: a group PATCH answers 204: {}", r.text);
    assert_eq!(scim.members(&gid).await.len(), 2);
    let listed = both_reads(&scim, &path, lookup).await;
    assert_eq!(listed["members"].as_array().map(Vec::len), Some(2));

    // Removing a user (Z10: deactivation removes) takes it out of the cached group too.
    let r = scim
        .patch(
            &format!("/Users/{bob}"),
            patch_op(json!([{"op": "replace", "value": {"active": false}}])),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(scim.members(&gid).await, vec![ada.clone()]);

    // Unlinking in the console (Z18) hides the group from SCIM at once.
    zinc.admin().unlink_group(&gid).expect("unlink");
    assert_eq!(scim.get(&path).await.status, 404);
    let listed = scim.get(lookup).await;
    assert_eq!(listed.body["totalResults"], 0, "{}", listed.text);
}

#[tokio::test]
async fn a_renamed_member_shows_its_new_user_name_in_a_cached_group() {
    // userName changes only while Z7 is off; a group shows its members' userNames (Z16).
    let (_zinc, scim) = start(ZincConfig::default().with_broken_rule(Rule::Z7)).await;
    let ada = scim.user("ada@example.com", "Ada", "Lovelace").await;
    let gid = scim.group("Engineers", &[&ada]).await;
    let path = format!("/Groups/{gid}");
    assert_eq!(
        scim.get(&path).await.body["members"][0]["display"],
        "ada@example.com"
    );
    let r = scim
        .patch(
            &format!("/Users/{ada}"),
            patch_op(json!([{"op": "replace", "path": "userName", "value": "ada@example.org"}])),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        scim.get(&path).await.body["members"][0]["display"],
        "ada@example.org"
    );
}

#[tokio::test]
async fn a_put_rename_shows_in_the_next_read_and_in_the_console() {
    let (zinc, scim) = start(ZincConfig::default()).await;
    let gid = scim.group("Engineers", &[]).await;
    let path = format!("/Groups/{gid}");
    assert_eq!(scim.get(&path).await.body["displayName"], "Engineers");
    // (A console rename of a linked group is refused, Z17, and an unlinked one is no longer
    // visible over SCIM, Z15: the unlink case is in the membership test above.)
    let r = scim
        .put(
            &path,
            json!({"schemas": [zinc_harness::scim::GROUP_SCHEMA], "displayName": "Builders"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(scim.get(&path).await.body["displayName"], "Builders");
    let console = zinc.admin().group(&gid).expect("group");
    assert_eq!(console.display_name, "Builders");
}

#[tokio::test]
async fn an_unknown_scim_path_without_a_token_is_401() {
    // The gate stands in front of every SCIM path (Z1: "every SCIM request").
    let (_zinc, scim) = start(ZincConfig::default()).await;
    let anonymous = scim.with_token(None);
    let r = anonymous.get("/Nothing").await;
    assert_eq!(r.status, 401, "{}", r.text);
    assert_eq!(r.body["status"], "401");
    // With the token, the same path is an unknown endpoint.
    let r = scim.get("/Nothing").await;
    assert_eq!(r.status, 404, "{}", r.text);
}
