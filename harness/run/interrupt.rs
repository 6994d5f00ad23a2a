//! Stopping a run early (Ctrl-C): the runner starts no new step once it is raised, still runs
//! each scenario's clean-up, and reports what was cut short.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

/// A flag any task may raise once and every scenario watches. Clones share it.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    raised: AtomicBool,
    notify: Notify,
}

/// Why a cut scenario or step did not run to the end.
pub const INTERRUPTED: &str =
    "the run was interrupted (Ctrl-C): this step and the ones after it did not run";

/// Why a scenario did not start at all.
pub const NOT_STARTED: &str = "the run was interrupted (Ctrl-C) before this scenario started";

impl Interrupt {
    pub fn new() -> Self {
        Self::default()
    }

    /// Asks the run to stop: no new step starts; clean-ups still run.
    pub fn raise(&self) {
        self.inner.raised.store(true, Ordering::SeqCst);
        self.inner.notify.notify_waiters();
    }

    pub fn raised(&self) -> bool {
        self.inner.raised.load(Ordering::SeqCst)
    }

    /// Resolves once [`raise`](Self::raise) was called (at once if it was already).
    pub async fn wait(&self) {
        loop {
            let notified = self.inner.notify.notified();
            if self.raised() {
                return;
            }
            notified.await;
        }
    }
}
