//! `zinc-harness check`.

use super::exit_codes;

#[derive(Debug, clap::Args)]
pub struct CheckArgs {}

pub async fn exec(_args: CheckArgs) -> u8 {
    eprintln!("error: `zinc-harness check` is not built yet");
    exit_codes::BROKEN_RUN
}
