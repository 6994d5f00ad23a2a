//! Tests of the simulated Okta client against a recording wiremock server: each action in
//! each personality (exact sequence, methods, paths with queries, headers and bodies, kept
//! as insta snapshots), the failure paths, redaction, and configuration.

mod actions;
mod basics;
mod entra;
mod failures;
mod fidelity;
mod lifecycle;
mod mistakes;
mod secrets;
mod support;
