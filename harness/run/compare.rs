//! How an expected `body` is matched against what the server answered, following RFC 7643:
//!
//! - **A subset**: objects may have more members than expected; attribute names compare
//!   case-insensitively (§2.1); an empty multi-valued attribute and an absent one are the same
//!   state (§2.5). Numbers compare by value (`1` = `1.0`).
//! - **Multi-valued attributes are sets** (§2.4 gives their values no order): `members`,
//!   `emails`, `groups` and the other multi-valued attributes of the core schemas match when
//!   each expected value matches a different returned value, paired by `value` where the
//!   expected one has it; the lengths must be equal. A server may return members sorted by id.
//!   Arrays that are ordered by definition (`Resources` of a ListResponse, in the server's
//!   paging order; `Operations` of a PatchOp) and any other array compare item by item.
//! - **Server-owned sub-attributes are not compared** with what was sent: `display`, `$ref`
//!   and `type` of a `members` or `groups` value are read-only (§4.1, §4.2: the server fills
//!   them). One Zinc rule says what `display` is (Z16: the member's userName), so the zinc
//!   profile compares `display`; `type` and `$ref` are never compared.

use serde_json::Value;

/// The multi-valued attributes of RFC 7643's User, Group and enterprise schemas (§4.1, §4.2,
/// §4.3), whose values have no order.
const UNORDERED: &[&str] = &[
    "members",
    "emails",
    "groups",
    "phoneNumbers",
    "ims",
    "photos",
    "addresses",
    "entitlements",
    "roles",
    "x509Certificates",
    "schemas",
];

/// The sub-attributes of a `members` / `groups` value that the server owns.
const SERVER_OWNED: &[&str] = &["display", "$ref", "type"];

/// What a comparison may take as given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Compare {
    /// Compare `members[].display` (zinc profile: Z16 says it is the member's userName).
    pub member_display: bool,
}

/// A mismatch: where (`body.members`), what was expected there, what was there.
pub(crate) type Mismatch = (String, Value, Value);

/// The first place where `expected` is not a subset of `actual`.
pub(crate) fn subset(
    expected: &Value,
    actual: &Value,
    path: &str,
    cmp: Compare,
) -> Option<Mismatch> {
    at(expected, actual, path, None, cmp)
}

/// `key` is the attribute whose value this is (`members`), if any.
fn at(
    expected: &Value,
    actual: &Value,
    path: &str,
    key: Option<&str>,
    cmp: Compare,
) -> Option<Mismatch> {
    let miss = || Some((path.to_owned(), expected.clone(), actual.clone()));
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (k, ev) in e {
                if key.is_some_and(owns_sub_attributes) && server_owned(k, key, cmp) {
                    continue;
                }
                // SCIM attribute names are case-insensitive (RFC 7643 §2.1).
                let av = a.get(k).or_else(|| {
                    a.iter()
                        .find(|(ak, _)| ak.eq_ignore_ascii_case(k))
                        .map(|(_, v)| v)
                });
                let p = format!("{path}.{k}");
                match av {
                    Some(av) => {
                        // The values of a multi-valued attribute are its items: an object
                        // inside `members: [...]` knows it belongs to `members`.
                        if let Some(m) = at(ev, av, &p, Some(k), cmp) {
                            return Some(m);
                        }
                    }
                    // An empty multi-valued attribute and an absent one are the same state
                    // (RFC 7643 §2.5): servers may leave `members: []` out.
                    None if ev.as_array().is_some_and(Vec::is_empty) => {}
                    // `null` expects the attribute unassigned: absent and null are the same
                    // (RFC 7643 §2.5), so `{title: null}` says "no title".
                    None if ev.is_null() => {}
                    None => return Some((p, ev.clone(), Value::Null)),
                }
            }
            None
        }
        (Value::Array(e), Value::Array(a)) => {
            if e.len() != a.len() {
                return miss();
            }
            let item =
                |i: usize, ev: &Value, av: &Value| at(ev, av, &format!("{path}[{i}]"), key, cmp);
            if key.is_some_and(unordered) && e.len() > 1 {
                return (!set_match(e, a, |ev, av| item(0, ev, av).is_none()))
                    .then(|| (path.to_owned(), expected.clone(), actual.clone()));
            }
            e.iter()
                .zip(a)
                .enumerate()
                .find_map(|(i, (ev, av))| item(i, ev, av))
        }
        (Value::Array(e), Value::Null) if e.is_empty() => None,
        (Value::Number(e), Value::Number(a)) => {
            (e.as_f64() != a.as_f64()).then(|| (path.to_owned(), expected.clone(), actual.clone()))
        }
        (e, a) if e == a => None,
        _ => miss(),
    }
}

fn unordered(key: &str) -> bool {
    UNORDERED.iter().any(|u| u.eq_ignore_ascii_case(key))
}

/// `members` and `groups` values carry sub-attributes the server fills.
fn owns_sub_attributes(key: &str) -> bool {
    key.eq_ignore_ascii_case("members") || key.eq_ignore_ascii_case("groups")
}

fn server_owned(sub: &str, key: Option<&str>, cmp: Compare) -> bool {
    if !SERVER_OWNED.iter().any(|s| s.eq_ignore_ascii_case(sub)) {
        return false;
    }
    let member_display = sub.eq_ignore_ascii_case("display")
        && key.is_some_and(|k| k.eq_ignore_ascii_case("members"));
    !(member_display && cmp.member_display)
}

/// Whether every expected item matches a different actual item (the lengths are equal).
/// Items that name a `value` are paired with the actual item of that value first; the rest
/// are paired by a search that backtracks, so `[{}, {primary: true}]` finds its pairing
/// whatever the order.
fn set_match(
    expected: &[Value],
    actual: &[Value],
    matches: impl Fn(&Value, &Value) -> bool,
) -> bool {
    let mut used = vec![false; actual.len()];
    let mut rest = Vec::new();
    for ev in expected {
        let Some(v) = ev.get("value").filter(|v| !v.is_null()) else {
            rest.push(ev);
            continue;
        };
        let found = actual
            .iter()
            .enumerate()
            .find(|(j, av)| !used[*j] && av.get("value") == Some(v) && matches(ev, av));
        match found {
            Some((j, _)) => used[j] = true,
            None => return false,
        }
    }
    pair(&rest, actual, &mut used, &matches)
}

fn pair(
    rest: &[&Value],
    actual: &[Value],
    used: &mut [bool],
    matches: &impl Fn(&Value, &Value) -> bool,
) -> bool {
    let Some((first, others)) = rest.split_first() else {
        return true;
    };
    for j in 0..actual.len() {
        if !used[j] && matches(first, &actual[j]) {
            used[j] = true;
            if pair(others, actual, used, matches) {
                return true;
            }
            used[j] = false;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const OKTA: Compare = Compare {
        member_display: false,
    };
    const ZINC: Compare = Compare {
        member_display: true,
    };

    #[test]
    fn subset_objects_arrays_and_numbers() {
        let a = json!({"userName": "a@b.co", "emails": [{"value": "a@b.co", "primary": true}], "n": 1.0});
        assert_eq!(
            subset(&json!({"userName": "a@b.co"}), &a, "body", OKTA),
            None
        );
        assert_eq!(
            subset(&json!({"USERNAME": "a@b.co"}), &a, "body", OKTA),
            None
        );
        assert_eq!(subset(&json!({"n": 1}), &a, "body", OKTA), None);
        assert_eq!(
            subset(&json!({"emails": [{"primary": true}]}), &a, "body", OKTA),
            None
        );
        let m = subset(&json!({"emails": []}), &a, "body", OKTA).unwrap();
        assert_eq!(m.0, "body.emails");
        let m = subset(&json!({"emails": [{"value": "x"}]}), &a, "body", OKTA).unwrap();
        assert_eq!(m.0, "body.emails[0].value");
        let m = subset(&json!({"title": "x"}), &a, "body", OKTA).unwrap();
        assert_eq!((m.0.as_str(), m.2), ("body.title", Value::Null));
        // RFC 7643 §2.5: an empty multi-valued attribute may be left out (or null); a
        // non-empty one may not.
        assert_eq!(subset(&json!({"members": []}), &a, "body", OKTA), None);
        assert_eq!(
            subset(
                &json!({"members": []}),
                &json!({"members": null}),
                "body",
                OKTA
            ),
            None
        );
        let m = subset(&json!({"members": [{}]}), &a, "body", OKTA).unwrap();
        assert_eq!(m.0, "body.members");
    }

    #[test]
    fn members_are_a_set_keyed_on_value() {
        let sent = json!({"members": [{"value": "a"}, {"value": "b"}]});
        let sorted = json!({"members": [{"value": "b"}, {"value": "a"}]});
        assert_eq!(subset(&sent, &sorted, "body", OKTA), None);
        assert_eq!(subset(&sent, &sorted, "body", ZINC), None);
        // Still a check: a member missing, one too many, or another one fails.
        let other = json!({"members": [{"value": "b"}, {"value": "c"}]});
        assert_eq!(
            subset(&sent, &other, "body", OKTA).unwrap().0,
            "body.members"
        );
        let more = json!({"members": [{"value": "b"}, {"value": "a"}, {"value": "c"}]});
        assert_eq!(
            subset(&sent, &more, "body", OKTA).unwrap().0,
            "body.members"
        );
        // The same value twice must be there twice.
        let twice = json!({"members": [{"value": "a"}, {"value": "a"}]});
        assert!(subset(&twice, &sorted, "body", OKTA).is_some());
    }

    #[test]
    fn items_without_value_find_their_pairing_whatever_the_order() {
        let e = json!({"emails": [{}, {"primary": true}]});
        let a = json!({"emails": [{"primary": true, "value": "x"}, {"value": "y"}]});
        assert_eq!(subset(&e, &a, "body", OKTA), None);
        let two_primaries = json!({"emails": [{"primary": true}, {"primary": true}]});
        assert!(subset(&two_primaries, &a, "body", OKTA).is_some());
    }

    #[test]
    fn member_display_is_the_servers_except_under_z16() {
        let e =
            json!({"members": [{"value": "a", "display": "alice@example.com", "type": "User"}]});
        let owned = json!({"members": [{"value": "a", "display": "Alice Smith"}]});
        assert_eq!(subset(&e, &owned, "body", OKTA), None);
        let m = subset(&e, &owned, "body", ZINC).unwrap();
        assert_eq!(m.0, "body.members[0].display");
        // `type` and `$ref` are never compared; `value` always is.
        let wrong = json!({"members": [{"value": "b", "display": "alice@example.com"}]});
        assert_eq!(
            subset(&e, &wrong, "body", OKTA).unwrap().0,
            "body.members[0].value"
        );
        // Several members, sorted and with the server's display: still equal for okta.
        let e2 = json!({"members": [{"value": "a", "display": "a@x.io"}, {"value": "b", "display": "b@x.io"}]});
        let a2 =
            json!({"members": [{"value": "b", "display": "Bee"}, {"value": "a", "display": "Ay"}]});
        assert_eq!(subset(&e2, &a2, "body", OKTA), None);
        assert!(subset(&e2, &a2, "body", ZINC).is_some());
    }

    #[test]
    fn resources_and_other_arrays_keep_their_order() {
        let e = json!({"Resources": [{"id": "a"}, {"id": "b"}]});
        let a = json!({"Resources": [{"id": "b"}, {"id": "a"}]});
        assert_eq!(
            subset(&e, &a, "body", OKTA).unwrap().0,
            "body.Resources[0].id"
        );
        // `display` outside members/groups is an ordinary attribute.
        let e = json!({"display": "x"});
        assert!(subset(&e, &json!({"display": "y"}), "body", OKTA).is_some());
    }
}
