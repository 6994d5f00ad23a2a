//! `zinc-harness completions SHELL` and `zinc-harness man`: generated from the clap
//! definition itself (clap_complete, clap_mangen), so they never drift from the flags.

use std::path::PathBuf;

use clap::CommandFactory;

use super::Cli;
use crate::contract::ExitCode;

#[derive(Debug, clap::Args)]
pub(crate) struct CompletionsArgs {
    /// The shell, e.g. `zinc-harness completions bash > ~/.local/share/bash-completion/completions/zinc-harness`.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, clap::Args)]
pub(crate) struct ManArgs {
    /// Write zinc-harness.1 and one zinc-harness-SUBCOMMAND.1 per subcommand into this folder
    /// instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

pub(crate) fn completions(args: CompletionsArgs) -> ExitCode {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "zinc-harness", &mut std::io::stdout());
    ExitCode::Success
}

pub(crate) fn man(args: ManArgs) -> ExitCode {
    let cmd = Cli::command();
    let result = match &args.dir {
        None => clap_mangen::Man::new(cmd).render(&mut std::io::stdout()),
        Some(dir) => std::fs::create_dir_all(dir)
            .and_then(|()| clap_mangen::generate_to(cmd, dir))
            .map(|()| eprintln!("wrote the man pages into {}", dir.display())),
    };
    match result {
        Ok(()) => ExitCode::Success,
        Err(e) => {
            eprintln!("error: cannot write the man page: {e}");
            ExitCode::BrokenRun
        }
    }
}
