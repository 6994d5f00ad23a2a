//! Stopping a run early: Ctrl-C, or `--fail-fast` after the first failure. Either way no new
//! scenario starts and each scenario under way still runs its clean-up; the report says why
//! the run stopped ([`StopReason`], kept in [`RunReport::stopped_early`]).
//!
//! The two differ in what is cut: Ctrl-C means "stop now", so no new *step* starts either
//! and the scenarios under way end broken; `--fail-fast` only starts no new *scenario* (as
//! cargo-nextest lets running tests finish), so the verdicts of the scenarios under way stay
//! real ones and those not started are skipped, not broken: the run fails for its failure.
//!
//! [`RunReport::stopped_early`]: crate::report::RunReport::stopped_early

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

pub(crate) use crate::report::StopReason;

/// A flag any task may raise and every scenario watches. Clones share it.
#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    inner: Arc<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    /// The first reason given, except that Ctrl-C replaces a fail-fast stop (it cuts more).
    reason: Mutex<Option<StopReason>>,
    /// Scenarios that did not start because of the stop.
    not_started: AtomicUsize,
    notify: Notify,
}

/// Why a cut scenario or step did not run to the end.
pub(crate) const INTERRUPTED: &str =
    "the run was interrupted (Ctrl-C): this step and the ones after it did not run";

/// Why a scenario did not start at all.
pub(crate) const NOT_STARTED: &str =
    "the run was interrupted (Ctrl-C) before this scenario started";

impl Interrupt {
    pub fn new() -> Self {
        Self::default()
    }

    /// Ctrl-C: no new step starts; clean-ups still run.
    pub fn raise(&self) {
        self.stop(StopReason::Interrupted);
    }

    /// Asks the run to stop for `reason`. The first reason stays, but Ctrl-C replaces a
    /// fail-fast stop: after it not even the steps of running scenarios go on.
    pub fn stop(&self, reason: StopReason) {
        {
            let mut held = self.inner.reason.lock().unwrap_or_else(|p| p.into_inner());
            match (&*held, &reason) {
                (None, _) | (Some(StopReason::FailFast { .. }), StopReason::Interrupted) => {
                    *held = Some(reason);
                }
                (Some(StopReason::FailFast { .. }), StopReason::FailFast { .. })
                | (Some(StopReason::Interrupted), _) => {}
            }
        }
        self.inner.notify.notify_waiters();
    }

    /// Whether Ctrl-C was pressed (the steps of running scenarios stop too).
    pub fn raised(&self) -> bool {
        matches!(self.reason(), Some(StopReason::Interrupted))
    }

    /// Why the run is stopping, if it is: then no new scenario starts.
    pub fn reason(&self) -> Option<StopReason> {
        self.inner
            .reason
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Counts a scenario left out because of the stop.
    pub(crate) fn count_not_started(&self) {
        self.inner.not_started.fetch_add(1, Ordering::SeqCst);
    }

    /// How many scenarios did not start because of the stop.
    pub fn not_started(&self) -> usize {
        self.inner.not_started.load(Ordering::SeqCst)
    }

    /// Resolves once the run is asked to stop (at once if it already was).
    pub async fn wait(&self) {
        loop {
            let notified = self.inner.notify.notified();
            if self.reason().is_some() {
                return;
            }
            notified.await;
        }
    }
}

/// Why a scenario did not start, when `--fail-fast` stopped the run after `failed`.
pub(crate) fn not_started_after(failed: &str) -> String {
    format!("not started: --fail-fast stopped the run after {failed} failed")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fail_fast(s: &str) -> StopReason {
        StopReason::FailFast {
            scenario: s.to_owned(),
        }
    }

    #[test]
    fn the_first_failure_stays_and_ctrl_c_replaces_it() {
        let i = Interrupt::new();
        assert_eq!(i.reason(), None);
        i.stop(fail_fast("T3"));
        i.stop(fail_fast("T4"));
        assert_eq!(i.reason(), Some(fail_fast("T3")));
        assert!(!i.raised(), "a fail-fast stop does not cut running steps");
        i.raise();
        assert!(i.raised());
        i.stop(fail_fast("T5"));
        assert_eq!(i.reason(), Some(StopReason::Interrupted));
    }
}
