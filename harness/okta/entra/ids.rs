//! Entra object ids: GUIDs, derived from the client's id seed and the person or group key
//! (and a counter for the Test Connection probe), as the Okta ids are (`okta_user_id_in`):
//! reproducible for snapshots and reruns, distinct between runs and scenarios, so that two
//! runs on one shared live server never send the same `externalId`.

/// FNV-1a, then splitmix64: the same stable mixing the Okta ids use.
fn mixed(seed: &str) -> u128 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut next = || {
        h = h.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = h;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    (u128::from(next()) << 64) | u128::from(next())
}

/// A version-4-shaped GUID, lowercase, as Entra writes object ids.
fn guid(seed: &str) -> String {
    let mut n = mixed(seed);
    // Version 4 and the RFC 4122 variant, so the ids look like Entra's.
    n = (n & !(0xf << 76)) | (0x4 << 76);
    n = (n & !(0x3 << 62)) | (0x2 << 62);
    let hex = format!("{n:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

/// `entra-user:alice` without a seed, `entra-user:<seed>:alice` with one.
fn seeded(kind: &str, seed: &str, key: &str) -> String {
    if seed.is_empty() {
        format!("entra-{kind}:{key}")
    } else {
        format!("entra-{kind}:{seed}:{key}")
    }
}

/// The Entra object id of a user, sent as `externalId` (reference row 7, I1), with no seed.
pub fn entra_user_id(key: &str) -> String {
    entra_user_id_in("", key)
}

/// The Entra object id of a group, sent as `externalId` (reference row 16), with no seed.
pub fn entra_group_id(key: &str) -> String {
    entra_group_id_in("", key)
}

/// The Entra object id of the user `key` under `seed` (see `OktaConfig::id_seed`).
pub fn entra_user_id_in(seed: &str, key: &str) -> String {
    guid(&seeded("user", seed, key))
}

/// The Entra object id of the group `key` under `seed`.
pub fn entra_group_id_in(seed: &str, key: &str) -> String {
    guid(&seeded("group", seed, key))
}

/// The `n`th random GUID of Test Connection's probe filter (reference row 3) under `seed`.
pub fn probe_guid(seed: &str, n: u32) -> String {
    guid(&seeded("probe", seed, &n.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_distinct_guids() {
        let a = entra_user_id("alice");
        assert_eq!(a, entra_user_id("alice"));
        assert_ne!(a, entra_user_id("bob"));
        assert_ne!(a, entra_group_id("alice"));
        let parsed = uuid::Uuid::parse_str(&a).expect("a GUID");
        assert_eq!(parsed.get_version_num(), 4);
        assert_eq!(a, a.to_ascii_lowercase());
        assert_ne!(probe_guid("", 1), probe_guid("", 2));
    }

    #[test]
    fn a_seed_separates_runs_and_no_seed_keeps_the_old_ids() {
        assert_eq!(entra_user_id_in("", "alice"), entra_user_id("alice"));
        let a = entra_user_id_in("run-1/a.yaml", "alice");
        assert_eq!(a, entra_user_id_in("run-1/a.yaml", "alice"));
        assert_ne!(a, entra_user_id_in("run-2/a.yaml", "alice"));
        assert_ne!(a, entra_user_id_in("run-1/b.yaml", "alice"));
        assert_ne!(a, entra_user_id("alice"));
        assert_ne!(
            entra_group_id_in("run-1/a.yaml", "eng"),
            entra_group_id_in("run-2/a.yaml", "eng")
        );
        assert_ne!(probe_guid("run-1", 1), probe_guid("run-2", 1));
    }
}
