//! The mock Zinc SCIM server: every rule of `zinc-contract.md` (Z1–Z25).
//!
//! - [`Directory`]: the HTTP-agnostic core, one function per SCIM operation, each rule
//!   enforced where its id appears in a comment.
//! - `http`: the thin axum shell (SCIM under `/scim/v2`, the admin API under `/admin/v1`).
//! - [`Faults`]: the fault layer. [`Admin`]: the Admin Console and support actions.
//! - [`MockZinc`]: start one in a test with `MockZinc::start().await`.

mod admin_gate;
pub(crate) mod bugs;
pub(crate) mod config;
pub(crate) mod console;
pub(crate) mod directory;
mod discovery;
pub(crate) mod faults;
pub(crate) mod fixture;
pub(crate) mod http;
mod received;
pub(crate) mod server;
mod store;

pub use bugs::Bug;
pub use config::{DeletedGroupPolicy, Provisioning, ResourceKind, Rule, Scope, ZincConfig};
pub use console::{Admin, ConsoleError, ConsoleGroup, ConsoleMember, ConsoleUser, Settings};
pub use directory::{Directory, ListQuery, MAX_COUNT, MAX_VALUE_BYTES};
pub use faults::{
    FaultAction, FaultError, FaultId, FaultResponse, FaultRule, Faults, InstalledFault, MAX_DELAY,
};
pub use fixture::{FixtureError, FixtureProblem};
pub use received::{Expect, ReceivedRequest, Unmet};
pub use server::{MockZinc, ZincError};
pub use store::Origin;
