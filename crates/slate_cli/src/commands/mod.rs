//! One module per subcommand, and what they share.

mod check;
mod diff;
mod due;
mod explain;
mod generate;
mod import;
mod lint;
mod replay;
mod schema;
mod simulate;
mod stream;
mod test;

use std::io::Write;
use std::path::Path;

use slate_policy::{Checked, Severity};

use crate::args::{Cli, Command};
use crate::exit::Exit;
use crate::render;

pub fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Lint(args) => lint::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Replay(args) => replay::run(&args),
        Command::Due(args) => due::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Simulate(args) => simulate::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Gen(args) => generate::run(&args),
        Command::Import(command) => import::run(&command),
        Command::Schema(args) => schema::run(&args),
    }
}

/// Loads and checks the policies a command replays with. Invalid policies
/// are reported on stderr: nothing can be decided with them.
pub fn load_policies(dir: &Path) -> Result<Checked, Exit> {
    match slate_policy::check_path(dir, crate::limits()) {
        Err(e) => {
            render::human::eprint(&[*e.diagnostic]);
            Err(Exit::Usage)
        }
        Ok(checked)
            if checked
                .diagnostics
                .iter()
                .any(|d| d.severity == Severity::Error) =>
        {
            render::human::eprint(&checked.diagnostics);
            eprintln!(
                "error: the policies in `{}` are invalid; fix them first (`slate check {}`)",
                dir.display(),
                dir.display()
            );
            Err(Exit::Findings)
        }
        Ok(checked) => Ok(checked),
    }
}

/// The policies of the tree `policies` at git revision `rev`, checked;
/// `what` names the argument in messages.
pub fn policies_at(policies: &Path, rev: &str, what: &str) -> Result<Checked, Exit> {
    let sources = crate::git::tree_at(policies, rev, crate::limits()).map_err(|message| {
        eprintln!(
            "error: {what} `{rev}` is neither a directory nor a revision of `{}`: {message}",
            policies.display()
        );
        Exit::Usage
    })?;
    let mut checked = slate_policy::check::check_sources(
        &sources,
        slate_policy::Scope::Complete,
        crate::limits(),
    );
    checked.require_every_kind(&format!("{}@{rev}", policies.display()));
    if checked
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
    {
        render::human::eprint(&checked.diagnostics);
        eprintln!("error: the policies at `{rev}` are invalid");
        return Err(Exit::Findings);
    }
    Ok(checked)
}

/// Runs `f` with the policies in `dir` compiled by the versions in force
/// over time (DESIGN §4.11): each ticket is decided by those in force at its
/// creation.
pub fn with_engine(dir: &Path, f: impl FnOnce(&slate_engine::InForce<'_>) -> Exit) -> Exit {
    let checked = match load_policies(dir) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    if let Err(message) = slate_engine::Engine::new(&checked.set) {
        eprintln!("error: {message}");
        return Exit::Findings;
    }
    f(&slate_engine::InForce::new(&checked.set))
}

/// Writes `text` to `out` atomically, or to stdout without one.
pub fn emit(text: &str, out: Option<&Path>) -> Result<(), Exit> {
    match out {
        Some(path) => render::write_atomically(path, text).map_err(|e| {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            Exit::Usage
        }),
        None => print(text),
    }
}

/// Writes to stdout; a closed pipe or full disk is an I/O error.
pub fn print(text: &str) -> Result<(), Exit> {
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|_| Exit::Usage)
}
