//! `zinc-harness schema`.

use super::exit_codes;

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {}

pub async fn exec(_args: SchemaArgs) -> u8 {
    eprintln!("error: `zinc-harness schema` is not built yet");
    exit_codes::BROKEN_RUN
}
