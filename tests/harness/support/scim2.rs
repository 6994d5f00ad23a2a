//! Starts `scim2-server` (PyPI, version pinned by `.ci/run`) on a free loopback port, waits
//! until it answers, and kills it on drop.
//!
//! Where the binary comes from:
//! 1. `ZINC_HARNESS_SCIM2_SERVER` (set by `.ci/run` after installing it into `.venv`);
//! 2. else, under `CI=true`, the test fails: CI must run against the real server, a skip
//!    there would hide that nothing was checked;
//! 3. else `.venv/bin/scim2-server` in the crate, if it is there;
//! 4. else the test is skipped with a loud message saying how to install it.

use std::fs::File;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The env var naming the `scim2-server` executable.
pub const ENV: &str = "ZINC_HARNESS_SCIM2_SERVER";

/// How long the server may take to answer its first request (Python start-up on a busy
/// 2-core machine takes a second or two).
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// A running `scim2-server`; killed (and reaped) when dropped.
pub struct Scim2Server {
    child: Child,
    port: u16,
    token: String,
    log: PathBuf,
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
        let log = std::env::temp_dir().join(format!(
            "zinc-harness-scim2-{port}-{}.log",
            uuid::Uuid::new_v4().simple()
        ));
        // Its access log goes to a file: a pipe nobody reads would fill and block it.
        let out = File::create(&log).map_err(|e| format!("cannot create {log:?}: {e}"))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(bin)
            .args(["--hostname", "127.0.0.1", "--port", &port.to_string()])
            .args(["--bearer-token", &token])
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", bin.display()))?;
        let mut server = Scim2Server {
            child,
            port,
            token,
            log,
        };
        server.wait_until_up().await?;
        Ok(server)
    }

    async fn wait_until_up(&mut self) -> Result<(), String> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .expect("client");
        // Up means: *this* server answers with *its* token. Another test's scim2-server may
        // have taken the port we picked (ours then fails to bind and exits); it would answer
        // too, but 401 to our token.
        let url = format!("{}/Users?startIndex=1&count=1", self.base_url());
        let started = Instant::now();
        while started.elapsed() < START_TIMEOUT {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(format!("it exited with {status}: {}", self.log_text()));
            }
            if let Ok(r) = http.get(&url).bearer_auth(&self.token).send().await {
                if r.status().is_success() {
                    return Ok(());
                }
                return Err(format!(
                    "port {} answers {} to our token: another server holds it",
                    self.port,
                    r.status()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!(
            "no answer on port {} within {START_TIMEOUT:?}: {}",
            self.port,
            self.log_text()
        ))
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

    /// What the server logged so far (its access log and errors).
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Scim2Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}
