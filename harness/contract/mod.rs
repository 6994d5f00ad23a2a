//! The contract: the words every part of the harness shares, defined once.
//!
//! A leaf module: it imports nothing from the other parts, and they all import from it.
//!
//! - `rule`: rule ids ([`RuleId`]: the Zinc rules [`Rule`] Z1–Z25, the Okta rules
//!   [`OktaRule`] and the Microsoft Entra ID rules [`EntraRule`]), [`Severity`] and
//!   [`Evidence`];
//! - [`catalogue`]: the one table of every rule with its title, hint, severity, evidence and
//!   whether a test may switch it off ([`RuleSpec`], [`spec`], [`all`]);
//! - `profile`: the conformance [`Profile`]s;
//! - `client`: how the simulated client is set up ([`App`], [`AuthMode`]);
//! - `instance`: a Zinc instance's settings ([`Provisioning`], [`Scope`] of
//!   [`ResourceKind`]s, [`DeletedGroupPolicy`]);
//! - `names`: `named_enum!`, which declares those enums, each name
//!   written once, and [`UnknownName`];
//! - [`urn`]: the SCIM schema and message URNs;
//! - `transcript`: what the client recorded of each HTTP exchange ([`Exchange`], [`Response`],
//!   [`Body`]), written by the client and read by the checks and the reports;
//! - `redact`: the redaction rules, at record time and at show time ([`REDACTED`]);
//! - `exit`: the process [`ExitCode`]s errors and outcomes map to.

pub mod catalogue;
pub(crate) mod client;
pub(crate) mod doc;
pub(crate) mod exit;
pub(crate) mod instance;
pub(crate) mod names;
pub(crate) mod profile;
pub(crate) mod redact;
pub(crate) mod rule;
pub(crate) mod transcript;
pub mod urn;

pub use catalogue::{RuleSpec, all, spec};
pub use client::{App, AuthMode};
pub use exit::ExitCode;
pub use instance::{DeletedGroupPolicy, Provisioning, ResourceKind, Scope};
pub use names::UnknownName;
pub use profile::Profile;
pub use redact::REDACTED;
pub use rule::{EntraRule, Evidence, OktaRule, Rule, RuleId, Severity};
pub use transcript::{Body, Exchange, Response};
