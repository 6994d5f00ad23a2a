//! Generated people: `people: { generate: { count, seed, domain, prefix? } }`.
//!
//! Reproducible by construction: the RNG is ChaCha8 (a named, portable algorithm, unlike
//! `StdRng` whose algorithm may change) seeded from the scenario's seed, and the `fake` and
//! `rand` versions are pinned by Cargo.lock. The same seed gives the same people on every
//! machine; a test pins the first few of a known seed.

use fake::Fake;
use fake::faker::name::en::{FirstName, LastName};
use rand::SeedableRng;

use super::model::Person;

/// The default key prefix of generated people.
pub const DEFAULT_PREFIX: &str = "user";
/// The most people one scenario may generate.
pub const MAX_GENERATED: u32 = 10_000;

/// The key of generated person number `n` (1-based) of `count`: `user001`.
pub fn generated_key(prefix: &str, n: u32, count: u32) -> String {
    let width = count.to_string().len().max(3);
    format!("{prefix}{n:0width$}")
}

/// `count` people from `seed`, with emails at `domain`; keys `prefix001`…
pub fn generate(count: u32, seed: u64, domain: &str, prefix: &str) -> Vec<Person> {
    let mut rng = rand::rngs::ChaCha8Rng::seed_from_u64(seed);
    (1..=count)
        .map(|n| {
            let first: String = FirstName().fake_with_rng(&mut rng);
            let last: String = LastName().fake_with_rng(&mut rng);
            let key = generated_key(prefix, n, count);
            // The key makes the email unique even when two people share a name.
            let email = format!(
                "{}.{}.{key}@{domain}",
                ascii_slug(&first),
                ascii_slug(&last)
            );
            Person {
                key,
                display_name: format!("{first} {last}"),
                first,
                last,
                user_name: email.clone(),
                email,
                title: None,
                locale: None,
                department: None,
                employee_number: None,
                cost_center: None,
                organization: None,
                division: None,
                manager: None,
                attributes: Default::default(),
            }
        })
        .collect()
}

/// Lower-case ASCII letters and digits only, so generated emails are valid userNames (Z4).
fn ascii_slug(s: &str) -> String {
    let slug: String = s
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if slug.is_empty() {
        "x".to_string()
    } else {
        slug
    }
}
