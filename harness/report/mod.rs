//! The outcome of a run and the ways it is shown.
//!
//! [`RunReport`] is the model: one [`ScenarioReport`] per scenario, one [`StepReport`] per
//! step, each failed expectation a [`Finding`] (what was expected, what came back, the rule it
//! checks and a one-line fix hint), and the HTTP [`Exchange`]s the step made. The runner builds
//! it; the renderers only read it:
//!
//! - [`pretty`]: terminal text, one line per scenario, failed steps expanded, then the
//!   `N passed, N failed, N skipped` line and a summary of failures grouped by root cause;
//! - [`json`]: a stable, versioned JSON document (documented in `docs/report-json.md`);
//! - [`junit`]: JUnit XML for CI systems;
//! - [`snapshot`]: the normalized transcript and final state that insta keeps as YAML;
//! - [`progress`]: the live progress display on a terminal.
//!
//! Findings are data, not errors: a failed check is a [`Finding`] in a failed step, and a
//! scenario that could not run at all is [`ScenarioStatus::Broken`]. Skips are never failures:
//! see [`RunReport::exit_code`].
//!
//! A finding cites its rule from the catalogue, which decides its hint and whether it fails
//! the step or only warns:
//!
//! ```
//! use zinc_harness::contract::{ExitCode, OktaRule, Rule};
//! use zinc_harness::report::{Finding, RunReport, ScenarioReport, StepReport, json};
//!
//! let mut step = StepReport::new(1, "assign_user alice", Some(9));
//! step.fail(Finding::new("status", 201, 200).cite(Rule::Z4.into()));
//! // okta:error-status-string is a warning: Okta tolerates a numeric error status (§5).
//! step.fail(Finding::new("body.status", "404", 404).cite(OktaRule::ErrorStatusString.into()));
//! let mut scenario = ScenarioReport::new("scenarios/t4.yaml", "T4", "userName must be an email");
//! scenario.steps.push(step);
//! scenario.settle();
//! let mut run = RunReport::new("embedded mock", "zinc", "oin");
//! run.scenarios.push(scenario);
//!
//! assert_eq!(run.counts().summary_line(), "0 passed, 1 failed, 0 skipped, 1 warning");
//! assert_eq!(run.exit_code(), ExitCode::Failures);
//! let doc: serde_json::Value = serde_json::from_str(&json::render(&run)).unwrap();
//! let finding = &doc["scenarios"][0]["steps"][0]["findings"][0];
//! assert_eq!(finding["rule"], "Z4");
//! assert_eq!(finding["hint"], zinc_harness::contract::spec(Rule::Z4.into()).hint);
//! ```
//!
//! Secrets: transcripts arrive redacted (the record-time rules of `contract::redact`); every renderer
//! scrubs again on the way out (`redact`), so a token or password that slipped into a body,
//! a header, an error or a message still never reaches a report.

mod bulk;
pub mod json;
pub mod junit;
mod model;
pub mod pretty;
pub mod progress;
pub(crate) mod redact;
pub mod snapshot;

pub use crate::contract::{Body, Exchange, Response};
pub use model::{
    Counts, Finding, RootCause, RunReport, ScenarioReport, ScenarioStatus, StepReport, StepStatus,
    StopReason, StoppedEarly, rfc3339_utc,
};
pub(crate) use model::{format_duration, seconds};
