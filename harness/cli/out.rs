//! Standard output that a closed pipe cannot break. `println!` panics when stdout is gone
//! (`run … | head`: rc 101 and a panic message); here the first failed write ends all
//! later output quietly, and the command goes on to exit with its usual status.

use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set once a write to stdout failed: nothing more is tried.
static CLOSED: AtomicBool = AtomicBool::new(false);

/// Writes `text` to stdout and flushes it.
pub(crate) fn print(text: &str) {
    if CLOSED.load(Ordering::Relaxed) {
        return;
    }
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        CLOSED.store(true, Ordering::Relaxed);
        // A reader that went away is the normal end of `| head`; anything else (a full
        // disk behind `>`) is worth one line.
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("zinc-harness: cannot write to standard output: {e}");
        }
    }
}

/// [`print`] with a line break.
pub(crate) fn println(text: &str) {
    print(&format!("{text}\n"));
}
