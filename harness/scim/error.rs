//! The SCIM Error message (RFC 7644 §3.12), with `status` as a string on the wire.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::ERROR_SCHEMA;

/// `scimType` of a 400 (and 409) error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ScimType {
    InvalidFilter,
    TooMany,
    Uniqueness,
    Mutability,
    InvalidSyntax,
    InvalidPath,
    NoTarget,
    InvalidValue,
    InvalidVers,
    Sensitive,
}

impl ScimType {
    /// Every scimType of RFC 7644 §3.12, in its order.
    pub const ALL: [ScimType; 10] = [
        ScimType::InvalidFilter,
        ScimType::TooMany,
        ScimType::Uniqueness,
        ScimType::Mutability,
        ScimType::InvalidSyntax,
        ScimType::InvalidPath,
        ScimType::NoTarget,
        ScimType::InvalidValue,
        ScimType::InvalidVers,
        ScimType::Sensitive,
    ];

    /// Their wire spellings, in the same order (what scenarios may expect).
    pub const NAMES: [&'static str; 10] = {
        let mut out = [""; 10];
        let mut i = 0;
        while i < out.len() {
            out[i] = ScimType::ALL[i].as_str();
            i += 1;
        }
        out
    };

    /// The wire spelling, e.g. `invalidValue`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ScimType::InvalidFilter => "invalidFilter",
            ScimType::TooMany => "tooMany",
            ScimType::Uniqueness => "uniqueness",
            ScimType::Mutability => "mutability",
            ScimType::InvalidSyntax => "invalidSyntax",
            ScimType::InvalidPath => "invalidPath",
            ScimType::NoTarget => "noTarget",
            ScimType::InvalidValue => "invalidValue",
            ScimType::InvalidVers => "invalidVers",
            ScimType::Sensitive => "sensitive",
        }
    }
}

/// A SCIM Error: an HTTP status, an optional `scimType` and a human `detail`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status}{}: {detail}", scim_type.map(|t| format!(" {}", t.as_str())).unwrap_or_default())]
pub struct ScimError {
    pub status: u16,
    pub scim_type: Option<ScimType>,
    pub detail: String,
}

impl ScimError {
    pub fn new(status: u16, detail: impl Into<String>) -> Self {
        Self {
            status,
            scim_type: None,
            detail: detail.into(),
        }
    }
    pub fn typed(status: u16, scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self {
            status,
            scim_type: Some(scim_type),
            detail: detail.into(),
        }
    }
    /// 400 with a `scimType`.
    pub fn bad_request(scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self::typed(400, scim_type, detail)
    }
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidValue, detail)
    }
    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidSyntax, detail)
    }
    pub fn invalid_path(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidPath, detail)
    }
    pub fn invalid_filter(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidFilter, detail)
    }
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(404, detail)
    }

    /// The wire form: `{"schemas":[Error],"status":"404","scimType":…,"detail":…}`.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(ErrorBody::from(self)).unwrap_or(Value::Null)
    }

    /// Reads an Error body; accepts `status` as a string or a number (Okta's own examples
    /// use a number). `None` when the body is not a SCIM Error.
    pub fn from_json(value: &Value) -> Option<Self> {
        let body: ErrorBody = serde_json::from_value(value.clone()).ok()?;
        if !body.schemas.iter().any(|s| s == ERROR_SCHEMA) {
            return None;
        }
        let status = match &body.status {
            Value::String(s) => s.parse().ok()?,
            Value::Number(n) => u16::try_from(n.as_u64()?).ok()?,
            _ => return None,
        };
        Some(Self {
            status,
            scim_type: body.scim_type,
            detail: body.detail.unwrap_or_default(),
        })
    }
}

#[derive(Serialize, Deserialize)]
struct ErrorBody {
    schemas: Vec<String>,
    status: Value,
    #[serde(rename = "scimType", skip_serializing_if = "Option::is_none", default)]
    scim_type: Option<ScimType>,
    #[serde(default)]
    detail: Option<String>,
}

impl From<&ScimError> for ErrorBody {
    fn from(e: &ScimError) -> Self {
        Self {
            schemas: vec![ERROR_SCHEMA.to_owned()],
            status: Value::String(e.status.to_string()),
            scim_type: e.scim_type,
            detail: Some(e.detail.clone()),
        }
    }
}

impl Serialize for ScimError {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ErrorBody::from(self).serialize(s)
    }
}

/// How an error message names the JSON type of a value it did not expect (`a boolean`),
/// one wording for the mock's SCIM errors and the client's own messages.
pub(crate) fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn the_list_is_every_variant_as_serde_spells_it() {
        assert_eq!(
            ScimType::NAMES,
            crate::test_support::serde_variants::<ScimType>()
        );
        for t in ScimType::ALL {
            assert_eq!(serde_json::to_value(t).unwrap(), json!(t.as_str()));
        }
    }

    #[test]
    fn status_is_a_string_on_the_wire_and_read_either_way() {
        let e = ScimError::typed(409, ScimType::Uniqueness, "taken");
        let wire = e.to_json();
        assert_eq!(
            wire,
            json!({"schemas": [ERROR_SCHEMA], "status": "409", "scimType": "uniqueness", "detail": "taken"})
        );
        assert_eq!(ScimError::from_json(&wire), Some(e));
        let numeric = json!({"schemas": [ERROR_SCHEMA], "status": 404, "detail": "gone"});
        assert_eq!(
            ScimError::from_json(&numeric),
            Some(ScimError::not_found("gone"))
        );
        assert_eq!(ScimError::from_json(&json!({"status": "404"})), None);
    }
}
