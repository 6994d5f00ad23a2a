//! The command line itself: the clap parser, the subcommands and `main`, which maps every outcome to an exit code.

use super::{bench, check, explore, list, manual, new, rules, run, scenarios, schema, serve};
use clap::{Parser, Subcommand};

use crate::contract::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "zinc-harness",
    version,
    about = "Okta → Zinc SCIM provisioning test harness"
)]
pub(crate) struct Cli {
    /// Colours: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(
        long,
        value_enum,
        global = true,
        default_value = "auto",
        value_name = "WHEN"
    )]
    pub color: ColorArg,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum ColorArg {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run scenarios against the embedded mock Zinc (default) or a live SCIM server.
    Run(run::RunArgs),
    /// Run the mock Zinc SCIM server until Ctrl-C.
    Serve(serve::ServeArgs),
    /// Validate scenario files without running them.
    Check(check::CheckArgs),
    /// List scenarios with their case, title, rules and profiles.
    List(list::ListArgs),
    /// Write a commented scenario skeleton under scenarios/.
    New(new::NewArgs),
    /// List the rules reports cite (Z1…Z25, okta:…) with text, hint, severity and evidence.
    Rules(rules::RulesArgs),
    /// Print the JSON Schema of the scenario format.
    Schema(schema::SchemaArgs),
    /// Provision a generated directory the way Okta would and measure the server.
    Bench(bench::BenchArgs),
    /// See the built-in scenarios: export them to a folder, or print one.
    Scenarios(scenarios::ScenariosArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(manual::CompletionsArgs),
    /// Print the man page (roff), or write one page per subcommand into a folder.
    Man(manual::ManArgs),
    /// Random Okta action sequences against a server and a model; a divergence is shrunk
    /// to a scenario file.
    Explore(explore::ExploreArgs),
}

pub fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    match cli.color {
        ColorArg::Auto => {}
        ColorArg::Always => crate::report::pretty::force_color(true),
        ColorArg::Never => crate::report::pretty::force_color(false),
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => {
            eprintln!("error: cannot start the async runtime: {err}");
            return ExitCode::BrokenRun.into();
        }
    };
    let code = runtime.block_on(async move {
        match cli.command {
            Command::Run(args) => run::exec(args).await,
            Command::Serve(args) => serve::exec(args).await,
            Command::Check(args) => check::exec(args).await,
            Command::List(args) => list::exec(args).await,
            Command::New(args) => new::exec(args).await,
            Command::Rules(args) => rules::exec(args),
            Command::Schema(args) => schema::exec(args).await,
            Command::Bench(args) => bench::exec(args).await,
            Command::Scenarios(args) => scenarios::exec(args).await,
            Command::Completions(args) => manual::completions(args),
            Command::Man(args) => manual::man(args),
            Command::Explore(args) => explore::exec(args).await,
        }
    });
    code.into()
}
