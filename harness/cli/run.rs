//! `zinc-harness run`.

use super::exit_codes;

#[derive(Debug, clap::Args)]
pub struct RunArgs {}

pub async fn exec(_args: RunArgs) -> u8 {
    eprintln!("error: `zinc-harness run` is not built yet");
    exit_codes::BROKEN_RUN
}
