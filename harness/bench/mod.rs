//! The `bench` load generator: provisions a generated directory through the real simulated
//! Okta client ([`crate::okta::OktaClient`]), the way Okta would, with `concurrency` actions
//! in flight, and measures the server.
//!
//! Phases, in Okta's order: **assign users** (lookup by `userName` + create, per user),
//! **push groups** (lookup by `displayName` + create), **add members** (the membership PATCH
//! and the rename PATCH Okta sends after it; `aiw`: GET + PUT), **import users** and
//! **refresh app groups** (paging through everything, 100 a page), then **reads** (a fixed
//! number of by-id reads and `eq` lookups), and with [`BenchConfig::load`] a time-bound
//! **load** of the same reads while the resident memory is sampled every second.
//!
//! The **baseline** runs the same phases, with the same client code, against a server that
//! answers one fixed body (`baseline.rs`), in the same process just before; the report gives
//! `target throughput / baseline throughput` per phase, a ratio that holds on a noisy machine
//! where absolute times do not.
//!
//! **Harness overhead** per request is the actions' wall time not spent inside an exchange
//! (an exchange runs from sending the request to having read the whole response): building
//! bodies, Okta's bookkeeping, recording the transcript, parsing answers, scheduling. With
//! the embedded mock the report also splits this process's CPU time between the server's
//! threads and everyone else (the client), per request.

mod config;
mod drive;
mod plan;
mod report;
mod runner;
mod session;

pub(crate) mod baseline;
pub(crate) mod procfs;
pub mod render;
pub(crate) mod stats;

pub use config::{BenchConfig, BenchError, MAX_GROUPS, MAX_USERS, Target};
pub use report::{
    BaselineReport, BenchReport, DirectoryCounts, LoadReport, Memory, Overhead, PhaseReport, Ratio,
    Totals,
};
pub use runner::run;
