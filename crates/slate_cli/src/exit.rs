//! Typed exit codes.

use std::process::ExitCode;

/// How a command ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    /// No problems.
    Clean = 0,
    /// The input has problems (invalid policies, failed checks).
    Findings = 1,
    /// Bad usage or an I/O error: the command could not do its job.
    Usage = 2,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        ExitCode::from(exit as u8)
    }
}
