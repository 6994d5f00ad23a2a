//! `zinc-harness bench`: provisions a generated directory the way Okta would and measures the
//! server (see [`crate::bench`]).

use std::time::Duration;

use crate::bench::{self, BenchConfig, BenchError, Target, render};
use crate::contract::ExitCode;
use crate::okta::{App, Auth, AuthMode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Pretty,
    Json,
}

#[derive(Debug, clap::Args)]
pub(crate) struct BenchArgs {
    /// `embedded` (a mock Zinc in this process) or a live server's SCIM base URL.
    #[arg(long, default_value = "embedded")]
    pub target: String,
    /// The token for a live target (never printed).
    #[arg(long, conflicts_with = "token_env")]
    pub token: Option<String>,
    /// The environment variable holding the token for a live target.
    #[arg(long)]
    pub token_env: Option<String>,
    /// How Okta authenticates to a live target: bearer, header or basic (token `user:password`).
    #[arg(
        long,
        value_enum,
        default_value = "bearer",
        hide_possible_values = true
    )]
    pub auth: AuthMode,
    /// Users Okta assigns (created with the lookups and POSTs Okta makes).
    #[arg(long, default_value_t = 1000)]
    pub users: usize,
    /// Groups Okta pushes, each with --members-per-group members.
    #[arg(long, default_value_t = 100)]
    pub groups: usize,
    /// Members of each pushed group. Default: 20, or --users when there are fewer users.
    #[arg(long, value_name = "N")]
    pub members_per_group: Option<usize>,
    /// Okta actions in flight at once.
    #[arg(long, default_value_t = 8)]
    pub concurrency: usize,
    /// Okta app personality: oin or aiw (or Entra's entra, entra-compliant).
    #[arg(long, value_enum, default_value = "oin", hide_possible_values = true)]
    pub app: App,
    /// Picks names and memberships; a new seed is a fresh directory on a live server.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// By-id reads and eq lookups in the reads phase.
    #[arg(long, default_value_t = 5000)]
    pub reads: usize,
    /// Also run a read/lookup load for this many seconds, sampling memory every second.
    #[arg(long)]
    pub duration: Option<u64>,
    /// Skip the fixed-body baseline server.
    #[arg(long)]
    pub no_baseline: bool,
    /// Give up after this many seconds in all (as `run --deadline`; `--time-limit` is the
    /// old name).
    #[arg(long, visible_alias = "time-limit", value_name = "SECS", default_value_t = 600.0, value_parser = super::run::positive_secs)]
    pub deadline: f64,
    /// Timeout of each HTTP request, in seconds (as `run --timeout`; `--request-timeout` is
    /// the old name).
    #[arg(long, visible_alias = "request-timeout", value_name = "SECS", default_value_t = 30.0, value_parser = super::run::positive_secs)]
    pub timeout: f64,
    /// Report format: the readable table, or one JSON document.
    #[arg(long, value_enum, default_value = "pretty")]
    pub format: Format,
}

/// Members per pushed group when the command line does not say.
const DEFAULT_MEMBERS_PER_GROUP: usize = 20;

fn target_of(args: &BenchArgs) -> Result<Target, String> {
    if args.target == "embedded" {
        if args.token.is_some() || args.token_env.is_some() {
            return Err("--token/--token-env are for a live --target URL".into());
        }
        return Ok(Target::Embedded);
    }
    let url = url::Url::parse(&args.target)
        .map_err(|e| format!("--target must be `embedded` or a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("--target URL must be http or https".into());
    }
    let token = match (&args.token, &args.token_env) {
        (Some(t), _) => t.clone(),
        (None, Some(var)) => {
            std::env::var(var).map_err(|_| format!("environment variable {var} is not set"))?
        }
        (None, None) => return Err("a live --target needs --token or --token-env".into()),
    };
    Ok(Target::Live {
        base_url: args.target.clone(),
        auth: Auth::from_mode(args.auth, &token),
    })
}

pub(crate) async fn exec(args: BenchArgs) -> ExitCode {
    let target = match target_of(&args) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::BadInput;
        }
    };
    let config = BenchConfig {
        users: args.users,
        groups: args.groups,
        members_per_group: args
            .members_per_group
            .unwrap_or(DEFAULT_MEMBERS_PER_GROUP.min(args.users)),
        concurrency: args.concurrency,
        app: args.app,
        seed: args.seed,
        reads: args.reads,
        baseline: !args.no_baseline,
        load: args.duration.map(Duration::from_secs),
        time_limit: Duration::from_secs_f64(args.deadline),
        request_timeout: Duration::from_secs_f64(args.timeout),
    };
    match bench::run(target, &config).await {
        Ok(report) => {
            match args.format {
                Format::Pretty => super::out::print(&render::pretty(&report)),
                Format::Json => super::out::println(&render::json(&report)),
            }
            if report.totals.errors > 0 || report.totals.failed_actions > 0 {
                ExitCode::Failures
            } else {
                ExitCode::Success
            }
        }
        Err(e @ BenchError::Config(_)) => {
            eprintln!("error: {e}");
            ExitCode::BadInput
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::BrokenRun
        }
    }
}
