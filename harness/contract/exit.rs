//! Every exit code of `zinc-harness`, in one place (design.md, "Command line"). Outcomes and
//! errors map to one of these (the way nextest's `process_exit_code()` does), so nothing below
//! the command line needs to know the numbers.

/// What the process reports to its caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ExitCode {
    /// 0: every scenario passed (skips and warnings do not fail a run).
    Success,
    /// 1: at least one scenario or check failed.
    Failures,
    /// 2: bad command line, scenario file or fixture.
    BadInput,
    /// 3: the target could not be reached or refused the credential, or the run itself broke
    /// (a first Ctrl-C ends the run with its partial report and this code).
    BrokenRun,
    /// 130 (128 + SIGINT, as shells report it): a second Ctrl-C stopped the run at once.
    Interrupted,
}

impl ExitCode {
    /// The number the process exits with.
    pub const fn code(self) -> u8 {
        match self {
            ExitCode::Success => 0,
            ExitCode::Failures => 1,
            ExitCode::BadInput => 2,
            ExitCode::BrokenRun => 3,
            ExitCode::Interrupted => 130,
        }
    }
}

impl From<ExitCode> for u8 {
    fn from(c: ExitCode) -> u8 {
        c.code()
    }
}

impl From<ExitCode> for i32 {
    fn from(c: ExitCode) -> i32 {
        i32::from(c.code())
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(c: ExitCode) -> Self {
        std::process::ExitCode::from(c.code())
    }
}
