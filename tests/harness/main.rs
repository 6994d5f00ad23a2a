//! The one integration-test binary (nextest style). Each part has its own module.

mod bench;
mod cli;
mod conformance;
mod okta;
mod report;
mod scenario;
mod support;
mod zinc;
