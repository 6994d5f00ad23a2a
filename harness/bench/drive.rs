//! Runs one phase's work with `concurrency` workers and times it.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::report::*;
use super::stats::Tally;
use crate::okta::{ActionOutcome, OktaError};

/// A phase's work, given the item index.
pub(super) type Job = Arc<
    dyn Fn(
            usize,
        )
            -> std::pin::Pin<Box<dyn Future<Output = Result<ActionOutcome, OktaError>> + Send>>
        + Send
        + Sync,
>;

/// How long a phase runs.
#[derive(Clone, Copy)]
pub(super) enum Limit {
    /// Items `0..n`.
    Count(usize),
    /// Items `0, 1, 2, …` until the deadline.
    Until(Instant),
}

/// Runs `job` with `concurrency` workers; each keeps its own tally (no shared lock).
/// Dropping the returned future aborts the workers (the `JoinSet` goes with it).
pub(super) async fn drive(limit: Limit, concurrency: usize, job: Job) -> Tally {
    let next = Arc::new(AtomicUsize::new(0));
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..concurrency.max(1) {
        let next = next.clone();
        let job = job.clone();
        set.spawn(async move {
            let mut tally = Tally::default();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                match limit {
                    Limit::Count(n) if i >= n => break,
                    Limit::Until(t) if Instant::now() >= t => break,
                    _ => {}
                }
                let started = Instant::now();
                match job(i).await {
                    Ok(outcome) => {
                        tally.action(started.elapsed(), &outcome);
                        tally.result(&outcome.result, outcome.ok);
                    }
                    Err(e) => tally.broken(started.elapsed(), e.to_string()),
                }
            }
            tally
        });
    }
    let mut total = Tally::default();
    while let Some(done) = set.join_next().await {
        if let Ok(t) = done {
            total.merge(t);
        }
    }
    total
}

/// One phase's tally and wall time.
pub(super) struct Phase {
    pub(super) name: &'static str,
    pub(super) tally: Tally,
    pub(super) wall: Duration,
}

impl Phase {
    pub(super) fn report(&self) -> PhaseReport {
        let secs = self.wall.as_secs_f64();
        PhaseReport {
            name: self.name.to_owned(),
            actions: self.tally.actions,
            requests: self.tally.requests,
            errors: self.tally.failed_requests(),
            failed_actions: self.tally.failed_actions,
            wall_ms: secs * 1000.0,
            requests_per_sec: if secs > 0.0 {
                self.tally.requests as f64 / secs
            } else {
                0.0
            },
        }
    }
}
