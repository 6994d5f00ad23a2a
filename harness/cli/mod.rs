//! The `zinc-harness` command line: a thin clap front end over the library.
//! Each subcommand lives in its own file with its arguments and an `exec` that returns an
//! [`ExitCode`](crate::contract::ExitCode).

mod app;
pub(crate) mod bench;
pub(crate) mod check;
mod emit;
pub(crate) mod explore;
pub(crate) mod list;
pub(crate) mod manual;
pub(crate) mod new;
mod out;
pub(crate) mod rules;
pub(crate) mod run;
pub(crate) mod scenarios;
pub(crate) mod schema;
pub(crate) mod serve;
pub(crate) mod target;

pub(crate) use app::Cli;
pub use app::main;
