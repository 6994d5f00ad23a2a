//! The `zinc-harness` command line: a thin clap front end over the library.
//! Each subcommand lives in its own file with its arguments and an `exec` that returns an
//! [`ExitCode`](crate::contract::ExitCode).

mod app;
pub(crate) mod bench;
pub mod check;
pub(crate) mod explore;
pub mod list;
pub(crate) mod manual;
pub mod new;
mod out;
pub mod rules;
pub(crate) mod run;
pub(crate) mod scenarios;
pub mod schema;
pub(crate) mod serve;
pub(crate) mod target;

pub use app::*;
