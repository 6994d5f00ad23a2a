//! `zinc-harness serve`.

use super::exit_codes;

#[derive(Debug, clap::Args)]
pub struct ServeArgs {}

pub async fn exec(_args: ServeArgs) -> u8 {
    eprintln!("error: `zinc-harness serve` is not built yet");
    exit_codes::BROKEN_RUN
}
