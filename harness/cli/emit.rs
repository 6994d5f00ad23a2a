//! Where the report of `run` and `explore` goes (`--format`, `--output`), written by one
//! function, and how their errors end the command.

use std::path::PathBuf;

use crate::contract::ExitCode;
use crate::report::{RunReport, json, junit, pretty};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    Pretty,
    Json,
    Junit,
}

#[derive(Debug, Clone, clap::Args)]
pub(crate) struct ReportArgs {
    /// Report format.
    #[arg(long, value_enum, default_value = "pretty")]
    pub format: Format,
    /// Write the report to FILE (the readable report still goes to stdout).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

impl ReportArgs {
    /// Writes `report`: to `--output` in `--format` (and the readable one to stdout), or to
    /// stdout in `--format`. `readable` renders the readable report with the options given.
    pub(crate) fn emit(
        &self,
        report: &RunReport,
        readable: impl Fn(pretty::PrettyOptions) -> String,
    ) -> Result<(), (ExitCode, String)> {
        let stdout = std::io::stdout();
        let rendered = |format: Format, opts: pretty::PrettyOptions| match format {
            Format::Pretty => readable(opts),
            Format::Json => json::render(report),
            Format::Junit => junit::render(report),
        };
        match &self.output {
            Some(file) => {
                std::fs::write(file, rendered(self.format, pretty::PrettyOptions::plain()))
                    .map_err(|e| {
                        (
                            ExitCode::BrokenRun,
                            format!("cannot write {}: {e}", file.display()),
                        )
                    })?;
                super::out::print(&readable(pretty::PrettyOptions::for_stream(&stdout)));
            }
            None => super::out::print(&rendered(
                self.format,
                pretty::PrettyOptions::for_stream(&stdout),
            )),
        }
        Ok(())
    }
}

/// The exit code of a command that ended with `result`; an error's message goes to stderr.
pub(crate) fn exit_code(result: Result<ExitCode, (ExitCode, String)>) -> ExitCode {
    match result {
        Ok(code) => code,
        Err((code, message)) => {
            eprintln!("error: {message}");
            code
        }
    }
}
