//! The conformance profiles: whose expectations a run checks.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A conformance profile.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Profile {
    /// Zinc's documented behaviour (zinc-contract.md).
    Zinc,
    /// What any SCIM server meant for Okta must do (Okta's published checks).
    Okta,
    /// What any SCIM server meant for Microsoft Entra ID must do (entra-client-reference.md).
    Entra,
}

impl Profile {
    /// `zinc`, `okta`.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Zinc => "zinc",
            Profile::Okta => "okta",
            Profile::Entra => "entra",
        }
    }
}

impl std::fmt::Display for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
