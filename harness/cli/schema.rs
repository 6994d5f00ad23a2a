//! `zinc-harness schema`: the JSON Schema of the scenario format, for editors.

use std::path::PathBuf;

use crate::contract::ExitCode;

#[derive(Debug, clap::Args)]
pub(crate) struct SchemaArgs {
    /// Write the schema to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub(crate) async fn exec(args: SchemaArgs) -> ExitCode {
    let text = schema_text();
    match args.output {
        None => {
            super::out::print(&text);
            ExitCode::Success
        }
        Some(path) => match std::fs::write(&path, text) {
            Ok(()) => {
                eprintln!("wrote {}", path.display());
                ExitCode::Success
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                ExitCode::BadInput
            }
        },
    }
}

/// The schema as printed: pretty JSON with a final newline.
pub(crate) fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&crate::scenario::schema()).unwrap_or_default();
    text.push('\n');
    text
}
