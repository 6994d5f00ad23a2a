//! `zinc-harness serve`: the mock Zinc, standalone, until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;

use super::out::println;
use crate::contract::ExitCode;
use crate::contract::redact::token_problem;
use crate::zinc::{DeletedGroupPolicy, MockZinc, Provisioning, Scope, ZincConfig, ZincError};

#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// Address to listen on, HOST:PORT (a name such as localhost:8080 is resolved; loopback
    /// unless told otherwise; beyond loopback the admin API is off unless --admin-token).
    #[arg(long, default_value = "127.0.0.1:8080", value_parser = listen_addr)]
    pub addr: SocketAddr,
    /// Bearer token to accept (default: a random one, printed on start). At least 8
    /// characters unless --allow-short-token.
    #[arg(long, env = "ZINC_HARNESS_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// Accept a --token shorter than 8 characters (it cannot be redacted everywhere).
    #[arg(long)]
    pub allow_short_token: bool,
    /// Require `Authorization: Bearer <this>` on every admin API request; needed to have the
    /// admin API at all on an address beyond loopback.
    #[arg(long, env = "ZINC_HARNESS_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Directory fixture (YAML) to load before serving, e.g. fixtures/directory.yaml.
    #[arg(long)]
    pub fixture: Option<PathBuf>,
    /// What the instance may sync: users, groups, users,groups, or none (Z3).
    #[arg(long, default_value = "users,groups", value_parser = sync_scope)]
    pub scope: Scope,
    /// Provisioning gate (Z1): enabled or disabled.
    #[arg(long, default_value = "enabled")]
    pub provisioning: Provisioning,
    /// What DELETE /Groups/{id} does in Zinc (Z19): retain or delete.
    #[arg(long, default_value = "retain")]
    pub deleted_group_policy: DeletedGroupPolicy,
    /// Print one line per SCIM request as it is answered (time, method, path, status);
    /// credentials never appear, as in every report.
    #[arg(long)]
    pub log: bool,
}

/// `--addr`: an address, or a host name resolved to its first address (IPv4 first, so
/// `localhost:8080` listens where curl's `localhost` looks first).
fn listen_addr(s: &str) -> Result<SocketAddr, String> {
    use std::net::ToSocketAddrs as _;
    if let Ok(addr) = s.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let addrs: Vec<SocketAddr> = s
        .to_socket_addrs()
        .map_err(|e| {
            format!("{s:?} is not HOST:PORT (e.g. 127.0.0.1:8080 or localhost:8080): {e}")
        })?
        .collect();
    addrs
        .iter()
        .find(|a| a.is_ipv4())
        .or_else(|| addrs.first())
        .copied()
        .ok_or_else(|| format!("{s:?} resolves to no address"))
}

/// `--scope`: as [`Scope`] reads it, but an empty value is a mistake (say `none`).
fn sync_scope(s: &str) -> Result<Scope, String> {
    if s.trim().is_empty() {
        return Err(
            "the scope is empty: give users, groups, users,groups, or none for a scope that syncs nothing"
                .to_owned(),
        );
    }
    s.parse()
}

/// How often `--log` looks for new requests.
const LOG_POLL: std::time::Duration = std::time::Duration::from_millis(100);

/// One `--log` line.
fn log_line(r: &crate::zinc::ReceivedRequest) -> String {
    let status = r
        .status
        .map_or_else(|| "connection dropped".to_owned(), |s| s.to_string());
    let when = crate::report::rfc3339_utc(std::time::SystemTime::now());
    crate::contract::redact::scrub_text(&format!("{when} {} -> {status}", r.line())).into_owned()
}

pub(crate) async fn exec(args: ServeArgs) -> ExitCode {
    let tokens = [
        ("--token", &args.token),
        ("--admin-token", &args.admin_token),
    ];
    for (flag, token) in tokens {
        if let Some(problem) = token
            .as_deref()
            .and_then(|t| token_problem(flag, t, false, args.allow_short_token))
        {
            eprintln!("error: {problem}");
            return ExitCode::BadInput;
        }
    }
    let beyond_loopback = !args.addr.ip().is_loopback();
    let mut config = ZincConfig::default();
    config.addr = args.addr;
    config.token = args.token;
    config.provisioning = args.provisioning;
    config.scope = args.scope;
    config.deleted_group_policy = args.deleted_group_policy;
    config.fixture = args.fixture;
    config.admin_api = !beyond_loopback || args.admin_token.is_some();
    config.admin_token = args.admin_token;
    let admin_api = config.admin_api;
    let zinc = match MockZinc::start_with(config).await {
        Ok(z) => z,
        Err(e @ ZincError::Fixture(_)) => {
            eprintln!("error: {e}");
            return ExitCode::BadInput;
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::BrokenRun;
        }
    };
    if beyond_loopback {
        warn_beyond_loopback(args.addr, admin_api);
    }
    // Watch for SIGTERM before saying "listening": a supervisor may send it at once.
    let stop = stop_signal();
    // The one place the token is printed: the user asked for a server to point Okta at.
    println("mock Zinc SCIM server listening");
    println(&format!(
        "  listening on:  {}",
        listen_description(zinc.addr(), args.addr)
    ));
    println(&format!("  SCIM base URL: {}", zinc.base_url()));
    if admin_api {
        println(&format!("  admin API:     {}", zinc.admin_url()));
    } else {
        println("  admin API:     off (beyond loopback without --admin-token)");
    }
    match zinc.token() {
        Some(token) => println(&format!("  bearer token:  {token}")),
        None => println(&format!(
            "  bearer token:  none (provisioning disabled; POST {}/provisioning/enable)",
            zinc.admin_url()
        )),
    }
    println("Press Ctrl-C to stop.");
    let result = if args.log {
        tokio::pin!(stop);
        let mut seen = 0;
        loop {
            tokio::select! {
                r = &mut stop => break r,
                () = tokio::time::sleep(LOG_POLL) => {
                    let (new, next) = zinc.received_since(seen);
                    seen = next;
                    for r in &new {
                        println(&log_line(r));
                    }
                }
            }
        }
    } else {
        stop.await
    };
    eprintln!("zinc-harness: {result}: stopping the mock Zinc");
    zinc.shutdown().await;
    ExitCode::Success
}

/// Where the server really listens: every interface is said as such, not as 127.0.0.1.
fn listen_description(bound: SocketAddr, asked: SocketAddr) -> String {
    if asked.ip().is_unspecified() {
        format!(
            "{}:{} (every interface: reachable at this machine's addresses)",
            asked.ip(),
            bound.port()
        )
    } else {
        bound.to_string()
    }
}

fn warn_beyond_loopback(addr: SocketAddr, admin_api: bool) {
    eprintln!("warning: ------------------------------------------------------------------");
    eprintln!("warning: --addr {addr} is beyond loopback: anyone who can reach it can call");
    eprintln!("warning: the SCIM API with the bearer token printed below.");
    if admin_api {
        eprintln!("warning: the admin API is on and requires the --admin-token.");
    } else {
        eprintln!("warning: the admin API is OFF; pass --admin-token to turn it on.");
    }
    eprintln!("warning: ------------------------------------------------------------------");
}

/// Waits for Ctrl-C or SIGTERM (what `kill`, systemd and container runtimes send) and says
/// which came. The SIGTERM handler is installed when this is called, not when the future is
/// first polled, so a signal sent right after the "listening" line is not lost.
fn stop_signal() -> impl std::future::Future<Output = &'static str> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    async move {
        #[cfg(unix)]
        match term {
            Ok(mut term) => {
                return tokio::select! {
                    r = tokio::signal::ctrl_c() => ctrl_c_result(r),
                    _ = term.recv() => "SIGTERM",
                };
            }
            Err(e) => eprintln!("warning: cannot watch for SIGTERM: {e}"),
        }
        ctrl_c_result(tokio::signal::ctrl_c().await)
    }
}

fn ctrl_c_result(r: std::io::Result<()>) -> &'static str {
    match r {
        Ok(()) => "Ctrl-C",
        Err(e) => {
            eprintln!("error: cannot wait for Ctrl-C: {e}");
            "no signal handler"
        }
    }
}
