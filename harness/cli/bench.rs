//! `zinc-harness bench`.

use super::exit_codes;

#[derive(Debug, clap::Args)]
pub struct BenchArgs {}

pub async fn exec(_args: BenchArgs) -> u8 {
    eprintln!("error: `zinc-harness bench` is not built yet");
    exit_codes::BROKEN_RUN
}
