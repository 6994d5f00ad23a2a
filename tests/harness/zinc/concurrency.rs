//! 32 clients changing the memberships of the same groups at once lose no update: the final
//! state equals the one a serial run of the same requests gives.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use zinc_harness::zinc::{MockZinc, ZincConfig};

use super::{Scim, patch_op, start};

const CLIENTS: usize = 32;
const GROUPS: usize = 4;
const ROUNDS: usize = 6;

/// The requests of one client: for its own two users, on every group, add/remove rounds in
/// the OIN shapes (add, remove by value filter, rename PATCH after each change).
fn script(client: usize, users: &[String], groups: &[String]) -> Vec<(String, Value)> {
    let (a, b) = (&users[2 * client], &users[2 * client + 1]);
    let mut ops = Vec::new();
    for round in 0..ROUNDS {
        for (gi, g) in groups.iter().enumerate() {
            let path = format!("/Groups/{g}");
            ops.push((path.clone(), patch_op(json!([{"op": "add", "path": "members", "value": [{"value": a}, {"value": b}]}]))));
            if (round + gi + client).is_multiple_of(2) {
                ops.push((
                    path.clone(),
                    patch_op(
                        json!([{"op": "remove", "path": format!("members[value eq \"{b}\"]")}]),
                    ),
                ));
            }
            if round == ROUNDS - 1 && (gi + client).is_multiple_of(3) {
                ops.push((
                    path.clone(),
                    patch_op(json!([{"op": "remove", "path": "members", "value": [{"value": a}]}])),
                ));
            }
            ops.push((
                path,
                patch_op(
                    json!([{"op": "replace", "value": {"id": g, "displayName": format!("G{gi}")}}]),
                ),
            ));
        }
    }
    ops
}

async fn setup() -> (MockZinc, Scim, Vec<String>, Vec<String>) {
    let (zinc, scim) = start(ZincConfig::default()).await;
    let mut users = Vec::new();
    for i in 0..2 * CLIENTS {
        users.push(
            scim.user(&format!("user{i:02}@example.com"), "U", &format!("{i}"))
                .await,
        );
    }
    let mut groups = Vec::new();
    for gi in 0..GROUPS {
        groups.push(scim.group(&format!("G{gi}"), &[]).await);
    }
    (zinc, scim, users, groups)
}

/// Memberships by group name, as sets of userNames.
async fn state(scim: &Scim, groups: &[String]) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for g in groups {
        let r = scim.get(&format!("/Groups/{g}")).await;
        let mut names: Vec<String> = r.body["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["display"].as_str().unwrap().to_owned())
            .collect();
        names.sort();
        out.insert(r.body["displayName"].as_str().unwrap().to_owned(), names);
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_membership_changes_lose_no_update() {
    // Serial run.
    let (_z1, serial, users, groups) = setup().await;
    for client in 0..CLIENTS {
        for (path, body) in script(client, &users, &groups) {
            assert_eq!(serial.patch(&path, body).await.status, 204);
        }
    }
    let expected = state(&serial, &groups).await;
    // Concurrent run: 32 clients, each with its own connection pool.
    let (_z2, scim, users, groups) = setup().await;
    let mut tasks = Vec::new();
    for client in 0..CLIENTS {
        let scim = Scim {
            http: reqwest::Client::builder().no_proxy().build().unwrap(),
            ..scim.clone()
        };
        let ops = script(client, &users, &groups);
        tasks.push(tokio::spawn(async move {
            for (path, body) in ops {
                let r = scim.patch(&path, body).await;
                assert_eq!(r.status, 204, "{}", r.text);
            }
        }));
    }
    for t in tasks {
        t.await.expect("client finished");
    }
    let got = state(&scim, &groups).await;
    assert_eq!(got, expected);
    // The model agrees too: something really happened.
    assert!(got.values().all(|m| !m.is_empty()));
    assert!(got.values().any(|m| m.len() < 2 * CLIENTS));
}
