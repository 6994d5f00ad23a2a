//! `zinc-harness new`.

use super::exit_codes;

#[derive(Debug, clap::Args)]
pub struct NewArgs {}

pub async fn exec(_args: NewArgs) -> u8 {
    eprintln!("error: `zinc-harness new` is not built yet");
    exit_codes::BROKEN_RUN
}
