//! How the simulated identity-provider client is set up: which personality it is and how it
//! sends its token. Scenarios (`okta: { app, auth }`), the command line (`--app`, `--auth`)
//! and the client itself all use these types, so each name is spelled in one place.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A name that is not one of an enum's values (`--app saml`, `"oauth".parse::<AuthMode>()`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}: expected {expected}")]
pub struct UnknownName {
    /// What was being named, e.g. `app`.
    pub what: &'static str,
    /// What was given.
    pub value: String,
    /// The names there are, e.g. `oin, aiw, entra or entra-compliant`.
    pub expected: String,
}

/// `s` as one of `T`'s names (case-insensitive, trimmed), as clap and serde spell them.
pub(crate) fn parse_name<T: clap::ValueEnum>(
    what: &'static str,
    s: &str,
) -> Result<T, UnknownName> {
    T::from_str(s.trim(), true).map_err(|_| {
        let names: Vec<String> = T::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_owned()))
            .collect();
        let expected = match names.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => String::new(),
        };
        UnknownName {
            what,
            value: s.to_owned(),
            expected,
        }
    })
}

/// Which client personality: a kind of Okta app integration (okta-client.md,
/// "Personalities"), or Microsoft Entra ID's provisioning service
/// (entra-client-reference.md) in one of its two PATCH dialects.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum App {
    /// Okta, an OIN catalog app: PATCH for (de)activation and group changes.
    #[default]
    Oin,
    /// Okta, an App Integration Wizard app: every change is GET + PUT of the whole resource.
    Aiw,
    /// Microsoft Entra ID, the default non-gallery `scim` job (legacy PATCH dialect).
    Entra,
    /// Microsoft Entra ID with the `aadOptscim062020` flag (RFC-compliant PATCH).
    EntraCompliant,
}

impl App {
    /// `oin`, `aiw`, `entra`, `entra-compliant`: as scenarios and the command line write it.
    pub fn as_str(self) -> &'static str {
        match self {
            App::Oin => "oin",
            App::Aiw => "aiw",
            App::Entra => "entra",
            App::EntraCompliant => "entra-compliant",
        }
    }

    /// Whether this is one of Entra's personalities.
    pub fn is_entra(self) -> bool {
        match self {
            App::Entra | App::EntraCompliant => true,
            App::Oin | App::Aiw => false,
        }
    }
}

impl std::str::FromStr for App {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_name("app", s)
    }
}

impl std::fmt::Display for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How the client sends its token.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    JsonSchema,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum AuthMode {
    /// `Authorization: Bearer <token>`.
    #[default]
    Bearer,
    /// `Authorization: <token>`.
    Header,
    /// `Authorization: Basic …`, the token being `user:password`.
    Basic,
}

impl AuthMode {
    /// `bearer`, `header`, `basic`.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthMode::Bearer => "bearer",
            AuthMode::Header => "header",
            AuthMode::Basic => "basic",
        }
    }
}

impl std::str::FromStr for AuthMode {
    type Err = UnknownName;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_name("auth mode", s)
    }
}

impl std::fmt::Display for AuthMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_as_serde_and_clap_spell_them() {
        for app in [App::Oin, App::Aiw, App::Entra, App::EntraCompliant] {
            assert_eq!(app.as_str().parse::<App>(), Ok(app));
            assert_eq!(
                serde_json::to_value(app).unwrap(),
                serde_json::json!(app.as_str())
            );
        }
        assert_eq!(
            "saml".parse::<App>().unwrap_err().to_string(),
            "unknown app \"saml\": expected oin, aiw, entra or entra-compliant"
        );
        assert_eq!(" Basic ".parse::<AuthMode>(), Ok(AuthMode::Basic));
    }
}
