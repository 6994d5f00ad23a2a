//! `zinc-harness list`.

use super::exit_codes;

#[derive(Debug, clap::Args)]
pub struct ListArgs {}

pub async fn exec(_args: ListArgs) -> u8 {
    eprintln!("error: `zinc-harness list` is not built yet");
    exit_codes::BROKEN_RUN
}
