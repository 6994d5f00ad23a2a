//! `zinc-harness check [PATHS…]`: validate scenario files without running them.

use std::path::PathBuf;

use serde::Serialize;

use crate::contract::ExitCode;
use crate::scenario::Diagnostic;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum CheckFormat {
    /// rustc-style messages with the source line and a caret.
    #[default]
    Pretty,
    /// One JSON document (for editors and CI annotations): every file with its errors, each
    /// with file, line, column (1-based; 0 for the whole file), message and expected.
    Json,
}

#[derive(Debug, Default, clap::Args)]
pub(crate) struct CheckArgs {
    /// Scenario files or folders (searched for *.yaml). Default: ./scenarios/ when it exists,
    /// else the scenarios built into zinc-harness.
    pub paths: Vec<PathBuf>,
    /// Check the scenarios built into zinc-harness, even where ./scenarios/ exists.
    #[arg(long, conflicts_with = "paths")]
    pub builtin: bool,
    /// Print nothing for valid files, only the errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "pretty")]
    pub format: CheckFormat,
}

pub(crate) async fn exec(args: CheckArgs) -> ExitCode {
    let (code, out) = run(&args);
    super::out::print(&out);
    code
}

#[derive(Serialize)]
struct JsonFile {
    file: String,
    valid: bool,
    errors: Vec<Diagnostic>,
}

#[derive(Serialize)]
struct JsonCheck {
    source: String,
    files: Vec<JsonFile>,
    /// How many files have errors, and how many errors in all.
    invalid_files: usize,
    errors: usize,
}

/// The whole check as text (for tests): the exit code and what is printed.
pub(crate) fn run(args: &CheckArgs) -> (ExitCode, String) {
    let json = args.format == CheckFormat::Json;
    let (origin, sources) = match super::scenarios::select(&args.paths, args.builtin) {
        Ok(found) => found,
        Err(diags) if json => {
            let files = diags
                .iter()
                .map(|d| JsonFile {
                    file: d.file.clone(),
                    valid: false,
                    errors: vec![d.clone()],
                })
                .collect();
            let doc = JsonCheck {
                source: "the given paths".to_owned(),
                invalid_files: diags.len(),
                errors: diags.len(),
                files,
            };
            return (ExitCode::BadInput, to_json(&doc));
        }
        Err(diags) => return (ExitCode::BadInput, format!("{diags}")),
    };
    if sources.is_empty() {
        let message = format!("no scenario files (*.yaml) in {origin}");
        return (
            ExitCode::BadInput,
            if json {
                format!("{}\n", serde_json::json!({ "error": message }))
            } else {
                format!("error: {message}\n")
            },
        );
    }
    let mut out = String::new();
    let mut files = Vec::new();
    let (mut bad_files, mut errors) = (0, 0);
    for source in &sources {
        match source.load() {
            Ok(_) => {
                if !args.quiet && !json {
                    out.push_str(&format!("ok: {}\n", source.name()));
                }
                files.push(JsonFile {
                    file: source.name(),
                    valid: true,
                    errors: Vec::new(),
                });
            }
            Err(diags) => {
                bad_files += 1;
                errors += diags.len();
                if !json {
                    out.push_str(&format!("{diags}\n"));
                }
                files.push(JsonFile {
                    file: source.name(),
                    valid: false,
                    errors: diags.into_iter().collect(),
                });
            }
        }
    }
    let code = if bad_files == 0 {
        ExitCode::Success
    } else {
        ExitCode::BadInput
    };
    if json {
        let doc = JsonCheck {
            source: origin.to_string(),
            files,
            invalid_files: bad_files,
            errors,
        };
        return (code, to_json(&doc));
    }
    let total = sources.len();
    if bad_files == 0 {
        out.push_str(&format!(
            "checked {total} scenario file(s) from {origin}: all valid\n"
        ));
    } else {
        out.push_str(&format!(
            "checked {total} scenario file(s) from {origin}: {bad_files} with errors ({errors} error(s))\n"
        ));
    }
    (code, out)
}

fn to_json(doc: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_default();
    s.push('\n');
    s
}
