//! The generated directory: the same seed gives the same people and groups.

use super::config::*;
use crate::okta::PersonProfile;

/// The generated directory: the same seed gives the same people and groups.
pub(super) struct Plan {
    pub(super) people: Vec<(String, PersonProfile)>,
    pub(super) groups: Vec<(String, String, Vec<String>)>,
}

pub(super) const FIRST: &[&str] = &[
    "Ada", "Alan", "Barbara", "Claude", "Dana", "Edsger", "Frances", "Grace", "Hedy", "Ivan",
    "Joan", "Ken", "Linus", "Margaret", "Niklaus", "Ole", "Peter", "Radia", "Sophie", "Tim",
];
pub(super) const LAST: &[&str] = &[
    "Lovelace",
    "Turing",
    "Liskov",
    "Shannon",
    "Scott",
    "Dijkstra",
    "Allen",
    "Hopper",
    "Lamarr",
    "Sutherland",
    "Clarke",
    "Thompson",
    "Torvalds",
    "Hamilton",
    "Wirth",
    "Dahl",
    "Naur",
    "Perlman",
    "Wilson",
    "Berners-Lee",
];

/// splitmix64 step (stable across platforms, no dependency).
pub(super) fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

impl Plan {
    pub(super) fn new(c: &BenchConfig) -> Plan {
        let people = (0..c.users)
            .map(|i| {
                let h = mix(c.seed ^ mix(i as u64));
                let first = FIRST[(h % FIRST.len() as u64) as usize];
                let last = LAST[((h >> 32) % LAST.len() as u64) as usize];
                // Unique per user and per seed: a new seed is a fresh directory on a live server.
                let email = format!(
                    "{}.{}.{i}@bench-{}.example.com",
                    first.to_lowercase(),
                    last.to_lowercase(),
                    c.seed
                );
                (format!("u{i}"), PersonProfile::new(first, last, email))
            })
            .collect();
        let k = c.members_per_group.min(c.users);
        let groups = (0..c.groups)
            .map(|j| {
                let start = if c.users == 0 {
                    0
                } else {
                    (mix(c.seed.wrapping_add(0x5eed) ^ mix(j as u64)) % c.users as u64) as usize
                };
                let members = (0..k)
                    .map(|t| format!("u{}", (start + t) % c.users))
                    .collect();
                (
                    format!("g{j}"),
                    format!("Bench {} Group {j}", c.seed),
                    members,
                )
            })
            .collect();
        Plan { people, groups }
    }
}
