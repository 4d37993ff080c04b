//! One module per subcommand.

mod check;
mod schema;

use crate::args::{Cli, Command};
use crate::exit::Exit;

pub fn run(cli: Cli) -> Exit {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Schema(args) => schema::run(&args),
    }
}
