//! `zinc-harness check [PATHS…]`: validate scenario files without running them.

use std::path::PathBuf;

use super::exit_codes;
use crate::scenario;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Scenario files or folders (searched for *.yaml). Default: ./scenarios/ when it exists,
    /// else the scenarios built into zinc-harness.
    pub paths: Vec<PathBuf>,
    /// Print nothing for valid files, only the errors.
    #[arg(long, short)]
    pub quiet: bool,
}

pub async fn exec(args: CheckArgs) -> u8 {
    let (code, out) = run(&args);
    print!("{out}");
    code
}

/// The whole check as text (for tests): the exit code and what is printed.
pub fn run(args: &CheckArgs) -> (u8, String) {
    let mut out = String::new();
    let (origin, sources) = match scenario::sources(&args.paths) {
        Ok(found) => found,
        Err(diags) => return (exit_codes::BAD_INPUT, format!("{diags}")),
    };
    if sources.is_empty() {
        out.push_str(&format!("error: no scenario files (*.yaml) in {origin}\n"));
        return (exit_codes::BAD_INPUT, out);
    }
    let (mut bad_files, mut errors) = (0, 0);
    for source in &sources {
        match source.load() {
            Ok(_) => {
                if !args.quiet {
                    out.push_str(&format!("ok: {}\n", source.name()));
                }
            }
            Err(diags) => {
                bad_files += 1;
                errors += diags.len();
                out.push_str(&format!("{diags}\n"));
            }
        }
    }
    let total = sources.len();
    if bad_files == 0 {
        out.push_str(&format!(
            "checked {total} scenario file(s) from {origin}: all valid\n"
        ));
        (exit_codes::SUCCESS, out)
    } else {
        out.push_str(&format!(
            "checked {total} scenario file(s) from {origin}: {bad_files} with errors ({errors} error(s))\n"
        ));
        (exit_codes::BAD_INPUT, out)
    }
}
