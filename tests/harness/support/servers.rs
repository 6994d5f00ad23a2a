//! The interop matrix's servers (`fixtures/servers/<name>/`): each started on a free loopback
//! port it picks itself (`--port 0`, it prints `listening on PORT`), waited for until it answers
//! an authenticated `GET /Users`, and killed on drop.
//!
//! Where their runtimes come from (installed by `.ci/run` into the project's own folders):
//! - Node servers (SCIMMY, better-auth): `node` on PATH and `fixtures/servers/node_modules`
//!   (`npm ci` from the committed lockfile);
//! - django-scim2: the Python named by `ZINC_HARNESS_INTEROP_PYTHON` (`.ci/run` sets it to
//!   `.venv/bin/python`), else `.venv/bin/python`, if it can import `django_scim`;
//! - the reference server: `python3` (standard library only).
//!
//! A missing runtime skips the test with a loud message, except under `CI=true`, where the test
//! fails: a skip there would hide that nothing was checked.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::logged::Logged;

/// The env var naming the Python that has django-scim2 installed.
pub const PYTHON_ENV: &str = "ZINC_HARNESS_INTEROP_PYTHON";

/// Start-up on a busy 2-core machine (Django migrates its in-memory database first).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A server of the interop matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Our own, written from `zinc-contract.md` alone (`fixtures/servers/reference/`).
    Reference,
    /// npm `scimmy` + `scimmy-routers` behind Express.
    Scimmy,
    /// npm `better-auth` + `@better-auth/scim`, memory adapter.
    BetterAuth,
    /// PyPI `django-scim2` in a minimal Django project.
    DjangoScim2,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Reference => "reference",
            Kind::Scimmy => "scimmy",
            Kind::BetterAuth => "better-auth",
            Kind::DjangoScim2 => "django-scim2",
        }
    }

    /// The SCIM base path each one serves.
    fn base_path(self) -> &'static str {
        match self {
            Kind::Reference | Kind::Scimmy | Kind::DjangoScim2 => "/scim/v2",
            Kind::BetterAuth => "/api/auth/scim/v2",
        }
    }

    /// The program and its script, or why it cannot run here.
    fn command(self) -> Result<(PathBuf, PathBuf), String> {
        let dir = fixtures().join(self.name());
        match self {
            Kind::Reference => Ok(("python3".into(), dir.join("server.py"))),
            Kind::Scimmy | Kind::BetterAuth => {
                let modules = fixtures().join("node_modules");
                if !modules.join(".package-lock.json").is_file() {
                    return Err(format!(
                        "{} is not installed: cd fixtures/servers && npm ci",
                        modules.display()
                    ));
                }
                Ok(("node".into(), dir.join("server.mjs")))
            }
            Kind::DjangoScim2 => {
                let python = std::env::var_os(PYTHON_ENV)
                    .filter(|p| !p.is_empty())
                    .map(PathBuf::from)
                    .unwrap_or_else(|| crate_dir().join(".venv/bin/python"));
                let ok = Command::new(&python)
                    .args(["-c", "import django_scim"])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success());
                if !ok {
                    return Err(format!(
                        "{} cannot import django_scim: .venv/bin/pip install \
                         'django-scim2==0.23.0' 'Django==5.2.19' (or set {PYTHON_ENV})",
                        python.display()
                    ));
                }
                Ok((python, dir.join("server.py")))
            }
        }
    }
}

fn crate_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixtures() -> PathBuf {
    crate_dir().join("fixtures/servers")
}

/// A running server; killed (and reaped) when dropped.
pub struct Server {
    kind: Kind,
    process: Logged,
    port: u16,
    token: String,
}

impl Server {
    /// Starts `kind`, or returns `None` (after a loud message) when its runtime is not
    /// installed outside CI. Panics when it cannot start, or is missing under `CI=true`.
    pub async fn start(kind: Kind) -> Option<Server> {
        let (program, script) = match kind.command() {
            Ok(c) => c,
            Err(why) => {
                assert!(
                    std::env::var("CI").map(|v| v != "true").unwrap_or(true),
                    "CI=true but {} cannot run: {why} (.ci/run installs it; the interop tests \
                     must not be skipped in CI)",
                    kind.name()
                );
                eprintln!(
                    "\n==================== SKIPPED: {} not installed ====================\n\
                     {why}\n\
                     ====================================================================\n",
                    kind.name()
                );
                return None;
            }
        };
        match Self::try_start(kind, &program, &script).await {
            Ok(s) => Some(s),
            Err(why) => panic!("{} did not start: {why}", kind.name()),
        }
    }

    async fn try_start(kind: Kind, program: &Path, script: &Path) -> Result<Server, String> {
        let token = format!("interop-tok-{}", uuid::Uuid::new_v4().simple());
        let mut cmd = Command::new(program);
        cmd.arg(script)
            .args(["--port", "0", "--token", &token])
            .current_dir(script.parent().expect("a script in a folder"));
        let mut server = Server {
            kind,
            process: Logged::spawn(cmd, kind.name())?,
            port: 0,
            token,
        };
        server.wait_until_up().await?;
        Ok(server)
    }

    async fn wait_until_up(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + START_TIMEOUT;
        while Instant::now() < deadline {
            self.process.running()?;
            let port = self
                .log_text()
                .lines()
                .find_map(|l| l.strip_prefix("listening on ")?.trim().parse().ok());
            if let Some(port) = port {
                self.port = port;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if self.port == 0 {
            return Err(format!(
                "it named no port within {START_TIMEOUT:?}: {}",
                self.log_text()
            ));
        }
        let url = format!("{}/Users?startIndex=1&count=1", self.base_url());
        let timeout = Duration::from_secs(5);
        self.process
            .answers(&url, &self.token, timeout, deadline)
            .await
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The SCIM base URL, e.g. `http://127.0.0.1:PORT/scim/v2`.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}{}", self.port, self.kind.base_path())
    }

    /// The bearer token it accepts (random per start).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// What the server printed so far.
    pub fn log_text(&self) -> String {
        self.process.log_text()
    }
}
