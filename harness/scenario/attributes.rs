//! What a scenario may write under a person's `attributes:` (custom app attributes by schema
//! URN): the URN must be one Okta could send, each attribute a SCIM attribute name with a
//! string, number or boolean value. Pure checks; `validate.rs` places the errors.

use serde_json::Value;

use crate::scim::{ENTERPRISE_USER_SCHEMA as ENTERPRISE_URN, USER_SCHEMA as USER_URN};

/// An example for error messages.
pub(crate) const EXAMPLE_URN: &str = "urn:ietf:params:scim:schemas:extension:zinc:2.0:User";

/// The enterprise fields a person has of its own (they are not written under `attributes:`).
pub(crate) const ENTERPRISE_FIELDS: &str =
    "department, employee_number, cost_center, organization, division, manager";

/// Whether `urn` can name a custom schema: `Err((message, expected))` otherwise.
pub(crate) fn check_urn(urn: &str) -> Result<(), (String, String)> {
    let expected = || format!("a schema URN such as `{EXAMPLE_URN}`");
    let lower = urn.to_ascii_lowercase();
    if lower == USER_URN.to_ascii_lowercase() {
        return Err((
            format!("`{urn}` is the core User schema: core attributes are person fields"),
            "first, last, email, user_name, display_name, title or locale".to_owned(),
        ));
    }
    if lower == ENTERPRISE_URN.to_ascii_lowercase()
        || strsim::levenshtein(&lower, &ENTERPRISE_URN.to_ascii_lowercase()) <= 4
    {
        return Err((
            format!(
                "`{urn}` is (or looks like) the enterprise extension, whose attributes are person fields"
            ),
            ENTERPRISE_FIELDS.to_owned(),
        ));
    }
    let Some(rest) = lower.strip_prefix("urn:") else {
        return Err((
            format!("`{urn}` is not a URN (it must start with `urn:`)"),
            expected(),
        ));
    };
    // RFC 8141: `urn:<NID>:<NSS>`, NID 2-32 letters, digits or hyphens.
    let Some((nid, nss)) = rest.split_once(':') else {
        return Err((
            format!("`{urn}` has no namespace-specific part"),
            expected(),
        ));
    };
    let nid_ok = (2..=32).contains(&nid.len())
        && !nid.starts_with('-')
        && nid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !nid_ok || nss.is_empty() || urn.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err((format!("`{urn}` is not a valid URN (RFC 8141)"), expected()));
    }
    // SCIM's own namespace has one shape for extensions (RFC 7643 §3.3, §10.3).
    if nid == "ietf" {
        let parts: Vec<&str> = urn.split(':').collect();
        let shaped = parts.len() == 9
            && parts[2..6] == ["params", "scim", "schemas", "extension"]
            && !parts[6].is_empty()
            && !parts[7].is_empty()
            && parts[7].chars().all(|c| c.is_ascii_digit() || c == '.')
            && parts[8]
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_uppercase());
        if !shaped {
            return Err((
                format!("`{urn}` is not a SCIM extension URN"),
                format!(
                    "`urn:ietf:params:scim:schemas:extension:<app>:<version>:<Resource>`, e.g. `{EXAMPLE_URN}`"
                ),
            ));
        }
    }
    Ok(())
}

/// Whether `name` is a SCIM attribute name (RFC 7643 §2.1: a letter, then letters, digits,
/// `-` or `_`).
pub(crate) fn check_name(name: &str) -> Result<(), (String, String)> {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err((
            format!("`{name}` is not a SCIM attribute name"),
            "a letter followed by letters, digits, `-` or `_` (RFC 7643 §2.1)".to_owned(),
        ))
    }
}

/// Whether `value` can be sent: a string, number or boolean (`""` only in `set:`, where it
/// removes the attribute).
pub(crate) fn check_value(value: &Value, in_set: bool) -> Result<(), (String, String)> {
    let expected = || {
        if in_set {
            "a string, number or boolean (`\"\"` removes the attribute)".to_owned()
        } else {
            "a string, number or boolean".to_owned()
        }
    };
    match value {
        Value::String(s) if s.is_empty() && !in_set => Err((
            "an empty attribute value (Okta leaves out attributes without a value)".to_owned(),
            "a value, or leave the attribute out".to_owned(),
        )),
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Ok(()),
        Value::Null => Err(("an attribute value of null".to_owned(), expected())),
        Value::Array(_) => Err(("an attribute value that is a list".to_owned(), expected())),
        Value::Object(_) => Err((
            "an attribute value that is a mapping".to_owned(),
            expected(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn urns_okta_could_send_pass_and_typos_fail() {
        assert!(check_urn(EXAMPLE_URN).is_ok());
        assert!(check_urn("urn:okta:custom:user:1.0").is_ok());
        assert!(check_urn("urn:ietf:params:scim:schemas:extension:acme:2.0:User").is_ok());
        for bad in [
            "urn:ietf:params:scim:schemas:extention:zinc:2.0:User",
            "urn:ietf:param:scim:schemas:extension:zinc:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:Usr",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn::x",
            "urn:x:y",
            "ietf:params:scim:schemas:extension:zinc:2.0:User",
            "urn:ok ta:x",
        ] {
            assert!(check_urn(bad).is_err(), "{bad} passed");
        }
    }

    #[test]
    fn names_and_values() {
        assert!(check_name("badgeNumber").is_ok());
        assert!(check_name("9lives").is_err());
        assert!(check_name("a.b").is_err());
        for ok in [json!("x"), json!(7), json!(1.5), json!(true)] {
            assert!(check_value(&ok, false).is_ok());
        }
        for bad in [json!(null), json!([1]), json!({"a": 1}), json!("")] {
            assert!(check_value(&bad, false).is_err(), "{bad}");
        }
        assert!(check_value(&json!(""), true).is_ok());
    }
}
