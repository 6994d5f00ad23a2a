//! zinc-harness: a test harness for Okta → Zinc user and group provisioning over SCIM 2.0.
//!
//! The parts, and the one direction data flows through them:
//! scenario file → [`scenario`] → [`run`] → [`okta`] (simulated client) → HTTP → [`zinc`]
//! (mock server) or a real server; transcript → [`report`]. [`scim`] is the wire model both
//! ends share; [`contract`] holds the words every part shares (the rule catalogue, profiles, URNs,
//! exit codes) and imports from none of them; [`cli`] is the thin command-line front end;
//! [`bench`](mod@bench) measures throughput.

pub mod bench;
pub mod cli;
pub mod contract;
pub mod explore;
pub mod okta;
pub mod report;
pub mod run;
pub mod scenario;
pub mod scim;
pub mod zinc;

#[cfg(test)]
mod test_support;
