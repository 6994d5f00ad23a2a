//! A server process the tests start (`scim2-server`, the interop servers): its output goes to
//! a log file, it is waited for until it answers, and it is killed, reaped and its log removed
//! on drop.

use std::fs::File;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server process; killed (and reaped) when dropped.
pub(crate) struct Logged {
    child: Child,
    log: PathBuf,
}

impl Logged {
    /// Runs `cmd` with no stdin and its stdout and stderr in a fresh log file whose name
    /// starts with `name`.
    pub(crate) fn spawn(mut cmd: Command, name: &str) -> Result<Logged, String> {
        let log = std::env::temp_dir().join(format!(
            "zinc-harness-{name}-{}.log",
            uuid::Uuid::new_v4().simple()
        ));
        // A file, not a pipe: a pipe nobody reads would fill and block the server.
        let out = File::create(&log).map_err(|e| format!("cannot create {log:?}: {e}"))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let child = cmd
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
        Ok(Logged { child, log })
    }

    /// An error with its log where the process has exited.
    pub(crate) fn running(&mut self) -> Result<(), String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Err(format!("it exited with {status}: {}", self.log_text())),
            _ => Ok(()),
        }
    }

    /// Waits until `GET url` with `token` as the bearer answers, each try bounded by
    /// `timeout`, until `deadline`: a success is up; any other status, an exit, or no answer
    /// by the deadline is an error saying so.
    pub(crate) async fn answers(
        &mut self,
        url: &str,
        token: &str,
        timeout: Duration,
        deadline: Instant,
    ) -> Result<(), String> {
        let http = reqwest::Client::builder()
            .no_proxy()
            .timeout(timeout)
            .build()
            .expect("client");
        while Instant::now() < deadline {
            self.running()?;
            if let Ok(r) = http.get(url).bearer_auth(token).send().await {
                if r.status().is_success() {
                    return Ok(());
                }
                return Err(format!(
                    "{url} answers {} to our token: {}",
                    r.status(),
                    self.log_text()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(format!("{url}: no answer in time: {}", self.log_text()))
    }

    /// What the process printed so far.
    pub(crate) fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Logged {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}
