//! The one integration-test binary (nextest style). Each part has its own module.

mod bench;
mod bugs_bite;
mod catalogue;
mod cli;
mod conformance;
mod explore;
mod interop;
mod okta;
mod report;
mod rules_bite;
mod run;
mod scenario;
mod scenarios;
mod support;
mod verdicts;
mod zinc;
