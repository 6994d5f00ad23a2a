//! `zinc-harness serve`: the mock Zinc, standalone, until Ctrl-C.

use std::net::SocketAddr;
use std::path::PathBuf;

use super::exit_codes;
use crate::zinc::{DeletedGroupPolicy, MockZinc, Provisioning, Scope, ZincConfig, ZincError};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on (loopback unless told otherwise).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub addr: SocketAddr,
    /// Bearer token to accept (default: a random one, printed on start).
    #[arg(long, env = "ZINC_HARNESS_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Directory fixture (YAML) to load before serving, e.g. fixtures/directory.yaml.
    #[arg(long)]
    pub fixture: Option<PathBuf>,
    /// What the instance may sync: users, groups, or users,groups (Z3).
    #[arg(long, default_value = "users,groups")]
    pub scope: Scope,
    /// Provisioning gate (Z1): enabled or disabled.
    #[arg(long, default_value = "enabled")]
    pub provisioning: Provisioning,
    /// What DELETE /Groups/{id} does in Zinc (Z19): retain or delete.
    #[arg(long, default_value = "retain")]
    pub deleted_group_policy: DeletedGroupPolicy,
}

pub async fn exec(args: ServeArgs) -> u8 {
    let mut config = ZincConfig::default();
    config.addr = args.addr;
    config.token = args.token;
    config.provisioning = args.provisioning;
    config.scope = args.scope;
    config.deleted_group_policy = args.deleted_group_policy;
    config.fixture = args.fixture;
    let zinc = match MockZinc::start_with(config).await {
        Ok(z) => z,
        Err(e @ ZincError::Fixture(_)) => {
            eprintln!("error: {e}");
            return exit_codes::BAD_INPUT;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return exit_codes::BROKEN_RUN;
        }
    };
    // The one place the token is printed: the user asked for a server to point Okta at.
    println!("mock Zinc SCIM server listening");
    println!("  SCIM base URL: {}", zinc.base_url());
    println!("  admin API:     {}", zinc.admin_url());
    match zinc.token() {
        Some(token) => println!("  bearer token:  {token}"),
        None => println!(
            "  bearer token:  none (provisioning disabled; POST {}/provisioning/enable)",
            zinc.admin_url()
        ),
    }
    println!("Press Ctrl-C to stop.");
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("error: cannot wait for Ctrl-C: {e}");
    }
    zinc.shutdown().await;
    exit_codes::SUCCESS
}
