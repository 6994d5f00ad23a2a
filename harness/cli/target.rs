//! The flags that say what `run` and `explore` hold against what: the profile, the client
//! personality, and the live SCIM server (default: the embedded mock). One definition,
//! flattened into both, and one check of what they say.

use crate::contract::redact;
use crate::contract::{App, AuthMode, Profile};
use crate::run::{External, TargetSpec};

#[derive(Debug, Clone, clap::Args)]
pub(crate) struct TargetArgs {
    /// Whose expectations: `zinc`, Zinc's contract; `okta`, what any SCIM server meant for
    /// Okta must do; `entra`, the same for Microsoft Entra ID. `run` runs that profile's
    /// scenarios; `explore` compares the target with a fresh embedded mock Zinc (`zinc`) or
    /// with what the client believes it pushed (`okta`, `entra`).
    #[arg(long, value_enum, default_value = "zinc")]
    pub profile: Profile,
    /// The client personality (Okta's `oin`/`aiw`, Entra's `entra`/`entra-compliant`): the one
    /// `explore` drives, and `run`'s for the scenarios that do not fix one.
    #[arg(long, value_enum, default_value = "oin")]
    pub app: App,
    /// Run against this live SCIM server (its base URL, e.g. https://host/scim/v2) instead
    /// of the embedded mock. What needs the mock's console, support or faults is skipped
    /// there.
    #[arg(long, value_name = "URL")]
    pub target: Option<String>,
    /// The target's token (for --auth basic: user:password). Never printed.
    #[arg(
        long,
        value_name = "T",
        requires = "target",
        conflicts_with = "token_env"
    )]
    pub token: Option<String>,
    /// Read the target's token from this environment variable.
    #[arg(long, value_name = "VAR", requires = "target")]
    pub token_env: Option<String>,
    /// How the client sends the token to a --target, for scenarios that do not say (the
    /// embedded mock takes Bearer only).
    #[arg(long, value_enum, default_value = "bearer")]
    pub auth: AuthMode,
    /// Accept a --token shorter than 8 characters (it cannot be redacted everywhere).
    #[arg(long, requires = "target")]
    pub allow_short_token: bool,
    /// Accept any TLS certificate of the target.
    #[arg(long, requires = "target")]
    pub insecure: bool,
    /// Leave the users and groups the run created on the target.
    #[arg(long, requires = "target")]
    pub keep: bool,
}

impl TargetArgs {
    /// Where to run: the embedded mock, or the live server with its token, refusing what
    /// would fail every request for the command line's sake rather than the server's.
    pub(crate) fn spec(&self) -> Result<TargetSpec, String> {
        let Some(url) = &self.target else {
            // The embedded mock takes Bearer tokens only (Z2).
            return match self.auth {
                AuthMode::Bearer => Ok(TargetSpec::default()),
                AuthMode::Header | AuthMode::Basic => Err(format!(
                    "--auth {} needs --target: the embedded mock Zinc accepts `Authorization: Bearer` only (Z2)",
                    self.auth
                )),
            };
        };
        let parsed = url::Url::parse(url).map_err(|e| format!("--target {url:?}: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!(
                "--target {url:?}: the scheme must be http or https"
            ));
        }
        // It would go out as a second Authorization header on every request, also on the
        // steps meant to send none.
        if !parsed.username().is_empty() || parsed.password().is_some() {
            return Err(
                "--target carries credentials in its URL (user:password@): give them with --auth basic --token user:password instead"
                    .to_owned(),
            );
        }
        let token =
            match (&self.token, &self.token_env) {
                (Some(t), _) => Some(t.clone()),
                (None, Some(var)) => Some(std::env::var(var).map_err(|_| {
                    format!("--token-env {var}: the environment variable is not set")
                })?),
                (None, None) => None,
            };
        let flag = if self.token.is_some() {
            "--token".to_owned()
        } else {
            format!(
                "--token-env {}",
                self.token_env.as_deref().unwrap_or_default()
            )
        };
        if let Some(problem) = token.as_deref().and_then(|t| {
            redact::token_problem(
                &flag,
                t,
                self.auth == AuthMode::Basic,
                self.allow_short_token,
            )
        }) {
            return Err(problem);
        }
        Ok(TargetSpec::External(External {
            base_url: url.trim_end_matches('/').to_owned(),
            token,
            insecure: self.insecure,
            keep: self.keep,
        }))
    }
}
