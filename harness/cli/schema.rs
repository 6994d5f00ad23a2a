//! `zinc-harness schema`: the JSON Schema of the scenario format, for editors.

use std::path::PathBuf;

use super::exit_codes;

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Write the schema to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

pub async fn exec(args: SchemaArgs) -> u8 {
    let text = schema_text();
    match args.output {
        None => {
            print!("{text}");
            exit_codes::SUCCESS
        }
        Some(path) => match std::fs::write(&path, text) {
            Ok(()) => {
                eprintln!("wrote {}", path.display());
                exit_codes::SUCCESS
            }
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                exit_codes::BAD_INPUT
            }
        },
    }
}

/// The schema as printed: pretty JSON with a final newline.
pub fn schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&crate::scenario::schema()).unwrap_or_default();
    text.push('\n');
    text
}
