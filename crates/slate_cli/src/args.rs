//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Support-operations policy as code: validate, lint and replay support
/// policies kept as YAML in git.
#[derive(Debug, Parser)]
#[command(name = "slate", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a policy tree: YAML, schema, values and cross-references.
    ///
    /// Reports every problem in one run with its code and location. Exits 0
    /// when the policies are valid, 1 when they are not, 2 on usage or I/O
    /// errors.
    Check(CheckArgs),
    /// Print the JSON Schema of the policy language.
    Schema(SchemaArgs),
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Policy directory (read recursively) or a single policy file.
    #[arg(default_value = "policies")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, for people.
    Human,
    /// One JSON document, for tools.
    Json,
}
