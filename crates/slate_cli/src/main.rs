//! `slate`: support-operations policy as code.
//!
//! The only place that knows clap, terminals and output formats; the
//! libraries return data and this binary renders it and picks the exit code.

mod args;
mod commands;
mod exit;
mod git;
mod render;
mod tickets;

use std::process::ExitCode;

use clap::Parser;

/// Replay allocates a little per ticket, millions of times: mimalloc keeps
/// that cheap on every thread.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

static LIMITS: std::sync::OnceLock<slate_policy::Limits> = std::sync::OnceLock::new();

/// The policy limits, with their `SLATE_MAX_*` variables applied (read and
/// checked once, when Slate starts).
pub fn limits() -> &'static slate_policy::Limits {
    LIMITS.get_or_init(slate_policy::Limits::default)
}

fn main() -> ExitCode {
    match slate_policy::Limits::from_env() {
        Ok(limits) => {
            let _ = LIMITS.set(limits);
        }
        Err(message) => {
            eprintln!("error: {message}");
            return exit::Exit::Usage.into();
        }
    }
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // clap prints help and version to stdout (exit 0) and usage
            // errors to stderr (exit 2).
            let _ = e.print();
            return if e.use_stderr() {
                exit::Exit::Usage.into()
            } else {
                exit::Exit::Clean.into()
            };
        }
    };
    commands::run(cli).into()
}
