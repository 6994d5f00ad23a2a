//! Bounded fuzzing on the stable toolchain (issue #13). cargo-fuzz needs libFuzzer and a
//! nightly compiler, which this project's machines and CI do not have, so these are
//! mutational fuzzers of our own: each takes seed inputs (the shipped scenarios, the filters
//! and PATCH bodies Okta sends, the attack shapes of #13), mutates them at random (byte flips,
//! insertions, deletions, splices, dictionary words, long repetitions) and runs the target for
//! a time budget: `ZINC_HARNESS_FUZZ_SECS` (default 3 s each, what CI runs; raise it to fuzz
//! longer). A failing input is printed with the seed that finds it again
//! (`ZINC_HARNESS_FUZZ_SEED`). A stack overflow aborts the test binary: that is a finding too.

use std::time::{Duration, Instant};

use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};
use serde_json::{Value, json};
use zinc_harness::scim::{Filter, ScimType};
use zinc_harness::zinc::{Directory, ListQuery, ZincConfig};

/// Words that make mutations reach the grammar's corners.
const DICTIONARY: &[&str] = &[
    " or ",
    " and ",
    "not (",
    "(",
    ")",
    "[",
    "]",
    " eq ",
    " pr",
    " sw ",
    "\"",
    "\\\"",
    "value",
    "display",
    "members",
    "userName",
    // The wire text on purpose: a fuzz token is what a client would type.
    "urn:ietf:params:scim:schemas:core:2.0:User:",
    ".",
    "{",
    "}",
    ":",
    ",",
    "- ",
    "\n",
    "  ",
    "*",
    "&a ",
    "*a",
    "!!str",
    "|",
    ">",
    "null",
    "true",
    "1e999",
    "\u{0}",
    "\u{1F600}",
];

struct Fuzzer {
    rng: ChaCha8Rng,
    seed: u64,
    until: Instant,
    runs: u64,
}

impl Fuzzer {
    fn new(name: &str) -> Fuzzer {
        let seed = std::env::var("ZINC_HARNESS_FUZZ_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(rand::random);
        let secs: f64 = std::env::var("ZINC_HARNESS_FUZZ_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(3.0);
        eprintln!("fuzz {name}: ZINC_HARNESS_FUZZ_SEED={seed}, {secs} s");
        Fuzzer {
            rng: ChaCha8Rng::seed_from_u64(seed),
            seed,
            until: Instant::now() + Duration::from_secs_f64(secs),
            runs: 0,
        }
    }

    /// The next input: a seed with a few random mutations, or `None` when time is up.
    fn next(&mut self, seeds: &[Vec<u8>]) -> Option<Vec<u8>> {
        if Instant::now() >= self.until {
            eprintln!("fuzz: {} inputs, seed {}", self.runs, self.seed);
            return None;
        }
        self.runs += 1;
        let mut input = seeds[self.rng.random_range(0..seeds.len())].clone();
        for _ in 0..self.rng.random_range(1..6) {
            self.mutate(&mut input, seeds);
        }
        Some(input)
    }

    fn mutate(&mut self, input: &mut Vec<u8>, seeds: &[Vec<u8>]) {
        let at = |rng: &mut ChaCha8Rng, len: usize| rng.random_range(0..=len);
        match self.rng.random_range(0..7) {
            0 if !input.is_empty() => {
                let i = self.rng.random_range(0..input.len());
                input[i] ^= 1 << self.rng.random_range(0..8);
            }
            1 => {
                let i = at(&mut self.rng, input.len());
                input.insert(i, self.rng.random());
            }
            2 if !input.is_empty() => {
                let i = self.rng.random_range(0..input.len());
                let n = self.rng.random_range(1..=16).min(input.len() - i);
                input.drain(i..i + n);
            }
            3 => {
                let word = DICTIONARY[self.rng.random_range(0..DICTIONARY.len())];
                let i = at(&mut self.rng, input.len());
                input.splice(i..i, word.bytes());
            }
            4 => {
                // A long repetition of a piece: the chains and nestings of #13.
                let word = DICTIONARY[self.rng.random_range(0..DICTIONARY.len())];
                let times = self.rng.random_range(10..3000);
                let i = at(&mut self.rng, input.len());
                input.splice(i..i, word.repeat(times).into_bytes());
            }
            5 => {
                let other = &seeds[self.rng.random_range(0..seeds.len())];
                let from = at(&mut self.rng, other.len());
                let to = self.rng.random_range(from..=other.len());
                let i = at(&mut self.rng, input.len());
                input.splice(i..i, other[from..to].iter().copied());
            }
            _ => {
                let i = at(&mut self.rng, input.len());
                input.truncate(i);
            }
        }
    }
}

fn filter_seeds() -> Vec<Vec<u8>> {
    let chain = vec![r#"value eq "zz""#; 1200].join(" or ");
    [
        r#"userName eq "alice@example.com""#.to_owned(),
        r#"externalId eq "00u1" and active eq true"#.to_owned(),
        r#"a eq "1" or b pr and not (c gt 2)"#.to_owned(),
        r#"emails[type eq "work" and value co "@"]"#.to_owned(),
        format!("{}a pr{}", "(".repeat(70), ")".repeat(70)),
        chain,
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect()
}

#[test]
fn fuzz_the_filter_parser() {
    let seeds = filter_seeds();
    let mut f = Fuzzer::new("filter parser");
    while let Some(input) = f.next(&seeds) {
        let text = String::from_utf8_lossy(&input);
        if let Err(e) = Filter::parse(&text) {
            assert_eq!(
                (e.status, e.scim_type),
                (400, Some(ScimType::InvalidFilter)),
                "seed {}: {text:?}",
                f.seed
            );
            assert!(!e.detail.is_empty(), "seed {}: {text:?}", f.seed);
        }
    }
}

fn directory() -> (Directory, String, String) {
    let dir = Directory::new(&ZincConfig::default(), "http://127.0.0.1:1/scim/v2");
    let a = dir
        .create_user(
            &json!({"userName": "a@example.com", "name": {"givenName": "A", "familyName": "B"}}),
        )
        .unwrap()
        .id
        .unwrap();
    let g = dir
        .create_group(&json!({"displayName": "x", "members": [{"value": a}]}))
        .unwrap()
        .id
        .unwrap();
    (dir, a, g)
}

fn state(dir: &Directory) -> (Value, Value) {
    (
        serde_json::to_value(dir.list_users(&ListQuery::default()).unwrap().resources).unwrap(),
        serde_json::to_value(dir.list_groups(&ListQuery::default()).unwrap().resources).unwrap(),
    )
}

/// PATCH bodies as JSON text: mutated, most no longer parse, those that do reach the applier.
#[test]
fn fuzz_the_patch_applier() {
    let (dir, user, group) = directory();
    let chain = vec![format!(r#"value eq \"{user}\""#); 1100].join(" or ");
    let seeds: Vec<Vec<u8>> = [
        // A seed is the body as a client sends it, URN spelled out on purpose.
        r#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":{"active":false}}]}"#.to_owned(),
        r#"{"Operations":[{"op":"Replace","path":"name.givenName","value":"Z"}]}"#.to_owned(),
        format!(r#"{{"Operations":[{{"op":"remove","path":"members[value eq \"{user}\"]"}}]}}"#),
        format!(r#"{{"Operations":[{{"op":"add","path":"members","value":[{{"value":"{user}"}}]}}]}}"#),
        format!(r#"{{"Operations":[{{"op":"remove","path":"members[{chain}]"}}]}}"#),
        r#"{"Operations":[{"op":"replace","value":{"displayName":"y","externalId":"e"}}]}"#.to_owned(),
    ]
    .into_iter()
    .map(String::into_bytes)
    .collect();
    let mut f = Fuzzer::new("PATCH applier");
    while let Some(input) = f.next(&seeds) {
        let Ok(body) = serde_json::from_slice::<Value>(&input) else {
            continue;
        };
        let before = state(&dir);
        let results = [
            dir.patch_user(&user, &body).map(|_| ()),
            dir.patch_group(&group, &body),
        ];
        for r in results {
            if let Err(e) = r {
                assert!(
                    (400..500).contains(&e.status),
                    "seed {}: {body}: {e}",
                    f.seed
                );
            }
        }
        if state(&dir) != before {
            // A change: put the directory back for the next input.
            let _ = dir.patch_user(
                &user,
                &json!({"Operations": [{"op": "replace", "value": {"active": true, "name": {"givenName": "A", "familyName": "B"}}}]}),
            );
            let _ = dir.patch_group(
                &group,
                &json!({"Operations": [{"op": "replace", "path": "members", "value": [{"value": user}]}, {"op": "replace", "value": {"displayName": "x"}}]}),
            );
        }
    }
}

#[test]
fn fuzz_scenario_parsing() {
    let mut seeds = Vec::new();
    yaml_files(std::path::Path::new("scenarios"), &mut seeds);
    assert!(seeds.len() > 10, "the shipped scenarios are the seeds");
    let mut f = Fuzzer::new("scenario parsing");
    while let Some(input) = f.next(&seeds) {
        if let Err(diags) = zinc_harness::scenario::parse_bytes("fuzz.yaml", &input) {
            assert!(!diags.is_empty(), "seed {}", f.seed);
            for d in diags.iter() {
                assert!(!d.message.is_empty(), "seed {}", f.seed);
            }
        }
    }
}

/// Every `*.yaml` under `dir`, read.
fn yaml_files(dir: &std::path::Path, out: &mut Vec<Vec<u8>>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            yaml_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            out.extend(std::fs::read(&path));
        }
    }
}
