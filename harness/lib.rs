//! zinc-harness: a test harness for Okta → Zinc user and group provisioning over SCIM 2.0.
//!
//! The parts, and the one direction data flows through them:
//! scenario file → [`scenario`] → [`run`] → [`okta`] (simulated client) → HTTP → [`zinc`]
//! (mock server) or a real server; transcript → [`report`]. [`scim`] is the wire model both
//! ends share; [`contract`] holds the words every part shares (the rule catalogue, profiles, URNs,
//! exit codes) and imports from none of them; [`bench`](mod@bench) measures throughput. The
//! command line is a thin front end over these parts, run by [`main`]; it is not API.

pub mod bench;
mod cli;
pub mod contract;
pub mod explore;
pub mod okta;
pub mod report;
pub mod run;
pub mod scenario;
pub mod scim;
pub mod zinc;

/// The `zinc-harness` command line, as the binary runs it: parses the arguments, runs the
/// subcommand and returns its [`contract::ExitCode`] as the process's.
pub use cli::main;

#[cfg(test)]
mod test_support;
