//! Every exit code of `zinc-harness`, in one place (see design.md, "Command line").

/// Every scenario passed (skipped checks do not fail a run).
pub const SUCCESS: u8 = 0;
/// At least one scenario or check failed.
pub const FAILURES: u8 = 1;
/// Bad command line, scenario file or fixture.
pub const BAD_INPUT: u8 = 2;
/// The target could not be reached, or the run itself broke.
pub const BROKEN_RUN: u8 = 3;
