//! The mock Zinc's hot operations at 100 and at 100,000 users: by-id reads, `userName eq` and
//! `displayName eq` lookups, a page of a list and a membership change must cost the same at
//! both sizes (indexes, no scan per request). `cargo bench --bench zinc_directory`.

// Not a library: its `pub` items are for its own modules (Cargo.toml, [lints]).
#![allow(unreachable_pub)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use zinc_harness::zinc::{Directory, ListQuery, ZincConfig};

const SIZES: [usize; 2] = [100, 100_000];

struct Fixture {
    dir: Directory,
    users: Vec<String>,
    groups: Vec<String>,
}

/// `n` users and `n / 10` groups of 20 members each (the bench's shape).
fn fixture(n: usize) -> Fixture {
    let dir = Directory::new(&ZincConfig::default(), "http://127.0.0.1:1/scim/v2");
    let users: Vec<String> = (0..n)
        .map(|i| {
            let u = dir
                .create_user(&json!({
                    "userName": format!("user{i}@example.com"),
                    "name": {"givenName": "Given", "familyName": format!("Family{i}")},
                    "externalId": format!("00u{i:017}"),
                    "active": true,
                }))
                .expect("create user");
            u.id.expect("an id")
        })
        .collect();
    let groups: Vec<String> = (0..(n / 10).max(1))
        .map(|j| {
            let members: Vec<Value> = (0..20)
                .map(|t| json!({"value": users[(j * 20 + t) % n]}))
                .collect();
            dir.create_group(&json!({"displayName": format!("Group {j}"), "members": members}))
                .expect("create group")
                .id
                .expect("an id")
        })
        .collect();
    Fixture { dir, users, groups }
}

fn operations(c: &mut Criterion) {
    let mut g = c.benchmark_group("zinc");
    for n in SIZES {
        let f = fixture(n);
        let mid = n / 2;
        g.bench_with_input(BenchmarkId::new("get_user", n), &f, |b, f| {
            b.iter(|| f.dir.get_user(black_box(&f.users[mid])).unwrap())
        });
        let by_name = ListQuery {
            filter: Some(format!("userName eq \"user{mid}@example.com\"")),
            ..ListQuery::default()
        };
        g.bench_with_input(BenchmarkId::new("userName_eq", n), &f, |b, f| {
            b.iter(|| f.dir.list_users(black_box(&by_name)).unwrap())
        });
        let group_name = ListQuery {
            filter: Some(format!("displayName eq \"Group {}\"", f.groups.len() / 2)),
            ..ListQuery::default()
        };
        g.bench_with_input(BenchmarkId::new("displayName_eq", n), &f, |b, f| {
            b.iter(|| f.dir.list_groups(black_box(&group_name)).unwrap())
        });
        // The last full page: the order index must find it without walking the list.
        let page = ListQuery {
            start_index: Some((n - 100 + 1) as i64),
            count: Some(100),
            ..ListQuery::default()
        };
        g.bench_with_input(BenchmarkId::new("users_page_of_100", n), &f, |b, f| {
            b.iter(|| f.dir.list_users(black_box(&page)).unwrap())
        });
        let gid = &f.groups[f.groups.len() / 2];
        let member = &f.users[(mid + 7) % n];
        let add = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": member}]}]});
        let remove = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "remove", "path": format!("members[value eq \"{member}\"]")}]});
        g.bench_with_input(BenchmarkId::new("membership_add_remove", n), &f, |b, f| {
            b.iter(|| {
                f.dir.patch_group(gid, black_box(&add)).unwrap();
                f.dir.patch_group(gid, black_box(&remove)).unwrap();
            })
        });
    }
    g.finish();
}

criterion_group!(benches, operations);
criterion_main!(benches);
