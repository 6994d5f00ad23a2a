//! The YAML scenario format: types, a parser that reports every mistake with
//! file:line:column, validation, the JSON Schema, generated people and the built-in scenarios.
//!
//! ```no_run
//! let scenario = zinc_harness::scenario::load("scenarios/troubleshooting/t3-email-immutable.yaml")
//!     .unwrap_or_else(|diags| panic!("{diags}"));
//! for step in &scenario.steps {
//!     println!("{}: {}", step.location, step.action.kind());
//! }
//! ```
//!
//! The format reference for authors is `scenarios/README.md`.
//!
//! For the runner:
//! - [`sources`] gives the files to run (the given paths, `./scenarios/`, or [`builtin`]) and
//!   says which ([`Origin`]); [`Source::load`] reads one.
//! - A [`Scenario`] is fully resolved: [`Action`]s name person keys of [`Scenario::people`]
//!   (generated people included, patterns expanded) and group keys of [`Scenario::groups`];
//!   console actions say whether a group is an Okta group or a console one ([`ConsoleGroup`]).
//! - `{user:KEY}` / `{group:KEY}` in `scim:` paths and `expect: requests:` lines are filled in
//!   (or recognised) with [`substitute`] / [`placeholders`].
//! - [`Action::needs_embedded_mock`] marks steps to skip against a third-party server;
//!   [`Scenario::zinc`] only configures the embedded mock.
//!
//! How a file is read: serde-saphyr parses the text into a tree of positioned nodes (YAML
//! syntax, duplicate keys, size and depth limits); our own deserializer walks that tree into
//! the file types of [`file`] (types, unknown fields, step kinds), recording every error and
//! carrying on; `validate` then resolves references (people, groups, rules, placeholders)
//! and refuses expectations that can never hold.

mod attributes;
pub(crate) mod cases;
mod de;
mod diag;
mod file;
mod load;
pub(crate) mod model;
mod named;
mod node;
pub mod people;
mod placeholder;
mod validate;

pub use diag::{Diagnostic, Diagnostics};
pub(crate) use load::{BUILTIN_PREFIX, BUILTIN_README, builtin_name, builtin_sources};
pub use load::{
    Origin, STEP_KINDS, Source, builtin, check, load, parse, parse_bytes, schema, sources,
    yaml_files,
};
pub use model::{
    Action, App, AuthMode, ConsoleAction, ConsoleGroup, CustomAttributes, DeletedGroupPolicy,
    Expect, Fault, Group, GroupCreate, HttpMethod, Location, MatchAttr, OktaSettings, Person,
    PersonChanges, Profile, Provisioning, RequestAuth, ResourceKind, Scenario, ScimRequest, Step,
    SupportAction, UnassignMode, ZincSettings,
};
pub(crate) use named::Carried;
pub use node::{MAX_DEPTH, MAX_FILE_BYTES, MAX_NODES};
pub use placeholder::{IdRef, placeholders, substitute};
pub use validate::SCIM_TYPES;
