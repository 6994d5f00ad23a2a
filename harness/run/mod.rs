//! The scenario runner: replays scenario files with the simulated Okta client against a
//! target (a fresh embedded mock Zinc per scenario, or a live SCIM server), checks every
//! step's expectations and builds the report.
//!
//! ```no_run
//! # async fn demo() {
//! use zinc_harness::{run, scenario};
//! let s = scenario::load("scenarios/troubleshooting/t3-email-immutable.yaml").unwrap();
//! let outcome = run::run_scenario(&s, &run::RunOptions::default()).await;
//! assert_eq!(outcome.report.status, zinc_harness::report::ScenarioStatus::Passed);
//! let snapshot = outcome.snapshot(); // what the scenario tests keep with insta
//! # }
//! ```
//!
//! One scenario: start the target (`target`), make an [`OktaClient`](crate::okta::OktaClient) (app from the
//! scenario, else the run's; Group Push from the scenario; the target's token), add the
//! people and groups to Okta, then run the steps in order: Okta actions call the client's
//! methods, `scim:` its raw request (placeholders `{user:alice}` resolved), `console:` and
//! `support:` the mock's in-process Admin handle, `fault:` its fault layer. After each step
//! its expectations are checked (`expect.rs`); a mismatch is a [`Finding`](crate::report::Finding), never an error.
//! Against a live server, console, support and fault steps are skipped with the reason.
//!
//! Many scenarios: [`run_all`] runs up to `jobs` at once (each has its own target, so they
//! are independent), under one deadline for the whole run, and keeps the input order. On a
//! live server, scenarios that count the whole directory run alone, after the others, and
//! count relative to what the server held at their start (`baseline`).

mod baseline;
pub mod cleanup;
mod compare;
mod entra_wire;
mod exec;
mod expect;
mod ids;
pub(crate) mod interrupt;
pub(crate) mod json;
pub(crate) mod observe;
pub(crate) mod preflight;
mod runner;
pub(crate) mod target;
pub(crate) mod wire;

pub use interrupt::Interrupt;
pub(crate) use runner::{CLEANUP_GRACE, Started, default_jobs, redact, run_observed};
pub use runner::{RunOptions, RunOutcome, ScenarioRun, run_all, run_scenario};
pub(crate) use runner::{could_not_run, okta_client, okta_id_seed, profile_skip};
pub use target::{Embedded, External, TargetSpec};
/// The Okta rules the wire checks enforce on every exchange of a run (`okta:list-counters`, …).
pub use wire::ALL as WIRE_RULES;
