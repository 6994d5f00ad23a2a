//! Generated people: the same seed gives the same people, on every machine.

use zinc_harness::scenario::{self, people};

use crate::support::runs::parsed;

#[test]
fn the_same_seed_gives_the_same_people() {
    let a = people::generate(300, 42, "example.com", "user");
    let b = people::generate(300, 42, "example.com", "user");
    assert_eq!(a, b);
    let other = people::generate(300, 43, "example.com", "user");
    assert_ne!(a, other, "another seed, other people");
    assert_eq!(a[0].key, "user001");
    assert_eq!(a[299].key, "user300");
    let keys: std::collections::HashSet<&str> = a.iter().map(|p| p.user_name.as_str()).collect();
    assert_eq!(
        keys.len(),
        300,
        "userNames are unique even when names repeat"
    );
    for p in &a {
        assert!(
            p.email.ends_with("@example.com") && p.email.is_ascii(),
            "{p:?}"
        );
        assert_eq!(p.user_name, p.email);
        assert_eq!(p.display_name, format!("{} {}", p.first, p.last));
    }
}

/// The snapshot pins the actual people of seed 42: if an upgrade of `fake` or `rand` (or a
/// different machine) produced other people, this fails rather than silently changing every
/// bulk scenario.
#[test]
fn seed_42_gives_these_people() {
    let few: Vec<String> = people::generate(1000, 42, "example.com", "user")
        .iter()
        .take(5)
        .map(|p| format!("{} {} {} <{}>", p.key, p.first, p.last, p.email))
        .collect();
    super::snapshots().bind(|| insta::assert_snapshot!(few.join("\n")));
}

#[test]
fn keys_widen_with_the_count() {
    assert_eq!(people::generated_key("user", 7, 50), "user007");
    assert_eq!(people::generated_key("user", 7, 5000), "user0007");
    assert_eq!(people::generated_key("p", 12345, 12345), "p12345");
}

#[test]
fn a_scenario_materialises_generated_people_after_named_ones() {
    let text = "title: bulk\npeople:\n  zed: { first: Zed, last: Z, email: zed@example.com }\n  generate: { count: 500, seed: 5, domain: corp.example }\ngroups:\n  all: { name: All, members: [user*] }\nsteps:\n  - assign_user: [zed, user*]\n  - push_group: all\n";
    let s = parsed("bulk.yaml", text);
    assert_eq!(s.people.len(), 501);
    assert_eq!(s.people[0].key, "zed");
    assert_eq!(
        s.people[1],
        people::generate(500, 5, "corp.example", "user")[0]
    );
    assert_eq!(s.group("all").unwrap().members.len(), 500);
    let scenario::Action::AssignUser { people } = &s.steps[0].action else {
        panic!()
    };
    assert_eq!(people.len(), 501);
}
