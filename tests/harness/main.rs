//! The one integration-test binary (nextest style). Each part has its own module.

// Not a library: its `pub` items are for its own modules (Cargo.toml, [lints]).
#![allow(unreachable_pub)]

mod bench;
mod bugs_bite;
mod catalogue;
mod cli;
mod conformance;
mod entra_bugs;
mod explore;
mod fuzz;
mod hardening;
mod interop;
mod okta;
mod raw_steps;
mod report;
mod rule_coverage;
mod rules_bite;
mod run;
mod scenario;
mod scenarios;
mod support;
mod verdicts;
mod zinc;
