//! The PatchOp message (RFC 7644 §3.5.2), decoded leniently the way Okta needs: `op` in any
//! letter case, `path` optional (a path-less op carries an object `value`), value-filter paths
//! such as `members[value eq "id"]`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::filter::{AttrPath, Filter};
use super::{PATCH_OP_SCHEMA, ScimError};

/// `add`, `remove` or `replace`; read case-insensitively, written lowercase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PatchOpKind {
    Add,
    Remove,
    Replace,
}

impl PatchOpKind {
    pub fn parse(text: &str) -> Option<Self> {
        match text.to_ascii_lowercase().as_str() {
            "add" => Some(Self::Add),
            "remove" => Some(Self::Remove),
            "replace" => Some(Self::Replace),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for PatchOpKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("unknown op {text:?}")))
    }
}

/// One operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatchOperation {
    pub op: PatchOpKind,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value: Option<Value>,
}

/// A PatchOp request body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatchOp {
    pub schemas: Vec<String>,
    #[serde(rename = "Operations")]
    pub operations: Vec<PatchOperation>,
}

impl PatchOp {
    /// A PatchOp with the standard schema.
    pub fn new(operations: Vec<PatchOperation>) -> Self {
        Self {
            schemas: vec![PATCH_OP_SCHEMA.to_owned()],
            operations,
        }
    }

    /// Decodes a request body, with a SCIM error that says what is wrong: a body that is not
    /// a PatchOp message (not an object, a missing or malformed `Operations`, an unknown `op`)
    /// is `invalidSyntax` (RFC 7644 §3.12, Table 9: the structure does not conform to the
    /// request schema; `invalidValue` is kept for an attribute's value), a `remove` without
    /// `path` is `noTarget`, a malformed `path` is `invalidPath`.
    pub fn from_json(body: &Value) -> Result<PatchOp, ScimError> {
        let obj = body
            .as_object()
            .ok_or_else(|| ScimError::invalid_syntax("a PatchOp body must be a JSON object"))?;
        let schemas = match obj.get("schemas") {
            None => vec![PATCH_OP_SCHEMA.to_owned()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|s| s.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    ScimError::invalid_syntax("`schemas` must be an array of strings")
                })?,
            Some(_) => return Err(ScimError::invalid_syntax("`schemas` must be an array")),
        };
        let ops = obj
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("Operations"))
            .map(|(_, v)| v)
            .ok_or_else(|| ScimError::invalid_syntax("a PatchOp needs `Operations`"))?;
        let ops = ops
            .as_array()
            .ok_or_else(|| ScimError::invalid_syntax("`Operations` must be an array"))?;
        if ops.is_empty() {
            return Err(ScimError::invalid_syntax("`Operations` is empty"));
        }
        let mut operations = Vec::with_capacity(ops.len());
        for (i, op) in ops.iter().enumerate() {
            let op = op.as_object().ok_or_else(|| {
                ScimError::invalid_syntax(format!("Operations[{i}] must be an object"))
            })?;
            let get = |name: &str| {
                op.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v)
            };
            let kind = get("op")
                .and_then(Value::as_str)
                .and_then(PatchOpKind::parse)
                .ok_or_else(|| {
                    ScimError::invalid_syntax(format!(
                        "Operations[{i}].op must be \"add\", \"remove\" or \"replace\""
                    ))
                })?;
            let path = match get("path") {
                None | Some(Value::Null) => None,
                Some(Value::String(p)) if p.trim().is_empty() => None,
                Some(Value::String(p)) => {
                    PatchPath::parse(p)?;
                    Some(p.clone())
                }
                Some(_) => {
                    return Err(ScimError::invalid_path(format!(
                        "Operations[{i}].path must be a string"
                    )));
                }
            };
            let value = get("value").cloned();
            match kind {
                PatchOpKind::Remove if path.is_none() => {
                    return Err(ScimError::bad_request(
                        super::ScimType::NoTarget,
                        format!("Operations[{i}]: remove needs a path"),
                    ));
                }
                PatchOpKind::Add | PatchOpKind::Replace if value.is_none() => {
                    return Err(ScimError::invalid_value(format!(
                        "Operations[{i}]: {kind:?} needs a value"
                    )));
                }
                _ => {}
            }
            operations.push(PatchOperation {
                op: kind,
                path,
                value,
            });
        }
        Ok(PatchOp {
            schemas,
            operations,
        })
    }
}

/// A parsed PATCH `path`: `attr[.sub]` or `attr[filter][.sub]`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    pub attr: AttrPath,
    /// The value filter of `members[value eq "id"]`.
    pub filter: Option<Filter>,
    /// A sub-attribute after the filter (`emails[type eq "work"].value`).
    pub sub: Option<String>,
}

impl PatchPath {
    /// Parses a path; a malformed one is `invalidPath`.
    pub fn parse(text: &str) -> Result<PatchPath, ScimError> {
        let bad = || ScimError::invalid_path(format!("{text:?} is not a valid attribute path"));
        let text_trim = text.trim();
        if let Some(open) = text_trim.find('[') {
            let close = text_trim.rfind(']').ok_or_else(bad)?;
            if close < open {
                return Err(bad());
            }
            let attr = AttrPath::parse(&text_trim[..open]).ok_or_else(bad)?;
            if attr.sub.is_some() {
                return Err(bad());
            }
            let filter = Filter::parse(&text_trim[open + 1..close]).map_err(|e| {
                ScimError::invalid_path(format!("bad filter in path {text:?}: {}", e.detail))
            })?;
            let rest = &text_trim[close + 1..];
            let sub = if rest.is_empty() {
                None
            } else {
                let sub = rest.strip_prefix('.').ok_or_else(bad)?;
                AttrPath::parse(sub)
                    .filter(|p| p.urn.is_none() && p.sub.is_none())
                    .ok_or_else(bad)?;
                Some(sub.to_owned())
            };
            Ok(PatchPath {
                attr,
                filter: Some(filter),
                sub,
            })
        } else {
            let attr = AttrPath::parse(text_trim).ok_or_else(bad)?;
            Ok(PatchPath {
                attr,
                filter: None,
                sub: None,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::scim::ScimType;

    #[test]
    fn decodes_okta_patch_shapes() {
        let p = PatchOp::from_json(&json!({"schemas": [PATCH_OP_SCHEMA], "Operations": [
            {"op": "Replace", "value": {"active": false}},
            {"op": "remove", "path": "members[value eq \"u1\"]"},
            {"op": "ADD", "path": "members", "value": [{"value": "u2"}]}
        ]}))
        .unwrap();
        assert_eq!(
            p.operations.iter().map(|o| o.op).collect::<Vec<_>>(),
            [PatchOpKind::Replace, PatchOpKind::Remove, PatchOpKind::Add]
        );
        let path = PatchPath::parse(p.operations[1].path.as_deref().unwrap()).unwrap();
        assert!(path.attr.is("members"));
        let (attr, v) = path.filter.as_ref().unwrap().as_string_eq().unwrap();
        assert_eq!((attr.name.as_str(), v), ("value", "u1"));
        // Written back lowercase.
        assert_eq!(
            serde_json::to_value(&p).unwrap()["Operations"][0]["op"],
            "replace"
        );
    }

    #[test]
    fn malformed_patches_say_why() {
        let kind = |body| PatchOp::from_json(&body).unwrap_err().scim_type;
        // Not a PatchOp message: the structure is wrong (RFC 7644 Table 9).
        assert_eq!(kind(json!([])), Some(ScimType::InvalidSyntax));
        assert_eq!(
            kind(json!({"Operations": []})),
            Some(ScimType::InvalidSyntax)
        );
        assert_eq!(
            kind(json!({"Operations": [{"op": "jump"}]})),
            Some(ScimType::InvalidSyntax)
        );
        assert_eq!(
            kind(json!({"Operations": [{"op": "remove"}]})),
            Some(ScimType::NoTarget)
        );
        assert_eq!(
            kind(json!({"Operations": [{"op": "add", "path": "a"}]})),
            Some(ScimType::InvalidValue)
        );
        assert_eq!(
            kind(json!({"Operations": [{"op": "add", "path": "a[", "value": 1}]})),
            Some(ScimType::InvalidPath)
        );
    }

    #[test]
    fn paths_with_sub_attributes_and_filters() {
        let p = PatchPath::parse(r#"emails[type eq "work"].value"#).unwrap();
        assert_eq!(
            (p.attr.name.as_str(), p.sub.as_deref()),
            ("emails", Some("value"))
        );
        let p = PatchPath::parse("name.givenName").unwrap();
        assert_eq!(
            (p.attr.name.as_str(), p.attr.sub.as_deref()),
            ("name", Some("givenName"))
        );
        for bad in [
            "",
            "a..b",
            "a[b eq \"c\"]x",
            "]a[",
            "a.b[c eq \"d\"]",
            "a b",
        ] {
            assert!(PatchPath::parse(bad).is_err(), "{bad}");
        }
    }
}
