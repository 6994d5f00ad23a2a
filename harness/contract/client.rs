//! How the simulated identity-provider client is set up: which personality it is and how it
//! sends its token. Scenarios (`okta: { app, auth }`), the command line (`--app`, `--auth`)
//! and the client itself all use these types, so each name is spelled in one place.

use super::names::named_enum;

named_enum! {
    /// Which client personality: a kind of Okta app integration (okta-client.md,
    /// "Personalities"), or Microsoft Entra ID's provisioning service
    /// (entra-client-reference.md) in one of its two PATCH dialects.
    #[derive(Default)]
    pub enum App as "app" {
        /// Okta, an OIN catalog app: PATCH for (de)activation and group changes.
        #[default]
        Oin = "oin",
        /// Okta, an App Integration Wizard app: every change is GET + PUT of the whole resource.
        Aiw = "aiw",
        /// Microsoft Entra ID, the default non-gallery `scim` job (legacy PATCH dialect).
        Entra = "entra",
        /// Microsoft Entra ID with the `aadOptscim062020` flag (RFC-compliant PATCH).
        EntraCompliant = "entra-compliant",
    }
}

impl App {
    /// Whether this is one of Entra's personalities.
    pub fn is_entra(self) -> bool {
        match self {
            App::Entra | App::EntraCompliant => true,
            App::Oin | App::Aiw => false,
        }
    }
}

named_enum! {
    /// How the client sends its token.
    #[derive(Default)]
    pub enum AuthMode as "auth mode" {
        /// `Authorization: Bearer <token>`.
        #[default]
        Bearer = "bearer",
        /// `Authorization: <token>`.
        Header = "header",
        /// `Authorization: Basic …`, the token being `user:password`.
        Basic = "basic",
    }
}
