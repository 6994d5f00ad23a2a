//! Signals to the processes the tests start (`serve`, `run`), as a user sends them.

use std::process::Command;

/// Sends `signal` (`-INT` for Ctrl-C, `-TERM`) to the process `pid` with kill(1); whether it
/// was delivered.
pub(crate) fn kill(signal: &str, pid: u32) -> bool {
    Command::new("kill")
        .args([signal, &pid.to_string()])
        .status()
        .expect("kill runs")
        .success()
}
