//! Starts `scim2-server` (PyPI, version pinned by `.ci/run`) on a free loopback port, waits
//! until it answers, and kills it on drop.
//!
//! Where the binary comes from:
//! 1. `ZINC_HARNESS_SCIM2_SERVER` (set by `.ci/run` after installing it into `.venv`);
//! 2. else, under `CI=true`, the test fails: CI must run against the real server, a skip
//!    there would hide that nothing was checked;
//! 3. else `.venv/bin/scim2-server` in the crate, if it is there;
//! 4. else the test is skipped with a loud message saying how to install it.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use super::logged::Logged;

/// The env var naming the `scim2-server` executable.
pub const ENV: &str = "ZINC_HARNESS_SCIM2_SERVER";

/// How long the server may take to answer its first request (Python start-up on a busy
/// 2-core machine takes a second or two).
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running `scim2-server`; killed (and reaped) when dropped.
pub struct Scim2Server {
    process: Logged,
    port: u16,
    token: String,
}

/// The `scim2-server` executable to use, or `None` (after a loud message) when the test
/// should be skipped. Panics where a skip would be wrong (see the module doc).
pub fn binary() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(ENV).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "{ENV}={} does not name an executable file",
            path.display()
        );
        return Some(path);
    }
    assert!(
        std::env::var("CI").map(|v| v != "true").unwrap_or(true),
        "CI=true but {ENV} is not set: .ci/run installs scim2-server==0.8.3 into .venv and \
         exports {ENV}; the conformance tests must not be skipped in CI"
    );
    let local = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/scim2-server");
    if local.is_file() {
        return Some(local);
    }
    eprintln!(
        "\n==================== SKIPPED: scim2-server not found ====================\n\
         The conformance tests against a real SCIM server did not run.\n\
         Install it:  python3 -m venv .venv && .venv/bin/pip install 'scim2-server==0.8.3'\n\
         or set {ENV} to its path (.ci/run does both).\n\
         =========================================================================\n"
    );
    None
}

impl Scim2Server {
    /// Starts the server, or returns `None` when it is not installed (outside CI).
    pub async fn start() -> Option<Scim2Server> {
        let bin = binary()?;
        // The free port we pick may be taken before the server binds it: try again.
        let mut last = String::new();
        for _ in 0..3 {
            match Self::try_start(&bin).await {
                Ok(server) => return Some(server),
                Err(why) => last = why,
            }
        }
        panic!("scim2-server did not start: {last}");
    }

    async fn try_start(bin: &PathBuf) -> Result<Scim2Server, String> {
        let port = free_port();
        let token = format!("scim2-tok-{}", uuid::Uuid::new_v4().simple());
        let mut cmd = Command::new(bin);
        cmd.args(["--hostname", "127.0.0.1", "--port", &port.to_string()])
            .args(["--bearer-token", &token]);
        let mut server = Scim2Server {
            process: Logged::spawn(cmd, &format!("scim2-{port}"))?,
            port,
            token,
        };
        // Up means: *this* server answers with *its* token. Another test's scim2-server may
        // have taken the port we picked (ours then fails to bind and exits); it would answer
        // too, but 401 to our token.
        let url = format!("{}/Users?startIndex=1&count=1", server.base_url());
        let deadline = Instant::now() + START_TIMEOUT;
        let timeout = Duration::from_secs(2);
        server
            .process
            .answers(&url, &server.token, timeout, deadline)
            .await?;
        Ok(server)
    }

    /// The SCIM base URL, e.g. `http://127.0.0.1:PORT/v2`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v2", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The bearer token it accepts (random per start).
    pub fn token(&self) -> &str {
        &self.token
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}
