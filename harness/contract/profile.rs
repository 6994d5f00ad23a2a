//! The conformance profiles: whose expectations a run checks.

use super::names::named_enum;

named_enum! {
    /// A conformance profile.
    pub enum Profile as "profile" {
        /// Zinc's documented behaviour (zinc-contract.md).
        Zinc = "zinc",
        /// What any SCIM server meant for Okta must do (Okta's published checks).
        Okta = "okta",
        /// What any SCIM server meant for Microsoft Entra ID must do (entra-client-reference.md).
        Entra = "entra",
    }
}
