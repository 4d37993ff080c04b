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
    /// Validate, then run the lint rules: reject unsafe policy sets with located findings.
    ///
    /// Exits 0 when clean, 1 when there are errors (or warnings with
    /// `--deny warnings`), 2 on usage or I/O errors.
    Lint(LintArgs),
    /// Print the documentation of a diagnostic code or lint rule.
    Explain(ExplainArgs),
    /// Replay recorded tickets against the policies and print their decision traces.
    Replay(ReplayArgs),
    /// When does a target breach? For a calendar and start, or for a ticket's running targets.
    Due(DueArgs),
    /// Run the scenario corpus: replay each recorded ticket, check its
    /// expectations and compare its trace with the stored snapshot.
    Test(TestArgs),
    /// Replay a month of tickets against the policies: every support metric per
    /// priority and segment, checked against the Benchmarks policy, optionally
    /// compared with a baseline policy set.
    Simulate(SimulateArgs),
    /// Review a policy change: what changed in meaning and in which direction,
    /// which ticket attributes now classify differently, and — with
    /// `--tickets` — which tickets would be decided differently.
    ///
    /// BASE and HEAD are git revisions of the policy tree or directories; HEAD
    /// defaults to the working tree. Exits 0 when reviewed, 1 when a changed
    /// policy's version was not bumped or was lowered, 2 on usage or I/O errors.
    Diff(DiffArgs),
    /// Generate a deterministic synthetic month of tickets (JSONL).
    Gen(GenArgs),
    /// Convert a helpdesk export into the ticket contract (JSONL).
    #[command(subcommand)]
    Import(ImportCommand),
    /// Print the JSON Schema of the policy language, or of the ticket contract.
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
pub struct LintArgs {
    /// Policy directory (read recursively) or a single policy file.
    #[arg(default_value = "policies")]
    pub path: PathBuf,
    /// Output format, optionally to a file: `human`, `json`, `sarif`, `github`,
    /// `sarif=out.sarif`. Repeat for several.
    #[arg(long = "format", value_name = "FORMAT[=FILE]", default_value = "human")]
    pub formats: Vec<String>,
    /// Compare with this git revision of the policy tree (versioning rules).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Configuration file (default: `slate.toml` in the policy root, then in the current directory).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Treat warnings as errors for the exit code.
    #[arg(long, value_name = "warnings", value_parser = ["warnings"])]
    pub deny: Option<String>,
    /// The date suppressions expire against (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
    /// The solver's allowance for the whole run, in units of work (formula
    /// nodes visited; about 15 million a second). A question left undecided
    /// is reported where it was asked, under the asking rule.
    #[arg(long, value_name = "UNITS", default_value_t = slate_lint::sat::Budget::TOTAL)]
    pub solver_budget: usize,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A code such as `lint::escalation-cycle`, `escalation-cycle` or `parse::duplicate-key`.
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,
    /// List every code instead.
    #[arg(long)]
    pub list: bool,
}

#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// Tickets: JSONL (one per line), JSON (one or a list), or YAML (one, a list, or a scenario).
    pub tickets: PathBuf,
    /// Policy directory.
    #[arg(long, default_value = "policies")]
    pub policies: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TraceFormat::Human)]
    pub format: TraceFormat,
    /// The horizon: timers fire up to and including this RFC 3339 instant
    /// (e.g. 2026-10-31T23:59:59Z), later events have not happened yet.
    /// Default: each ticket's last event.
    #[arg(long, value_name = "INSTANT", value_parser = instant)]
    pub until: Option<i64>,
}

#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["calendar", "ticket"]))]
pub struct DueArgs {
    /// Calendar name (with --start and --duration).
    #[arg(long, requires_all = ["start", "duration"])]
    pub calendar: Option<String>,
    /// Start instant, RFC 3339 with offset (e.g. 2026-10-05T16:30:00Z).
    #[arg(long)]
    pub start: Option<String>,
    /// Target duration, e.g. 30m, 2h, 1h30m, 1d.
    #[arg(long)]
    pub duration: Option<String>,
    /// A ticket file: list every running target of its (single) ticket with its breach instant.
    #[arg(long, conflicts_with_all = ["calendar", "start", "duration"])]
    pub ticket: Option<PathBuf>,
    /// Policy directory.
    #[arg(long, default_value = "policies")]
    pub policies: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DueFormat::Text)]
    pub format: DueFormat,
}

#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Scenario directory (`*.yaml`, read recursively; `*.trace.yaml` are snapshots).
    #[arg(default_value = "tests/scenarios")]
    pub dir: PathBuf,
    /// Policy directory.
    #[arg(long, default_value = "policies")]
    pub policies: PathBuf,
    /// Rewrite the trace snapshots (atomically) instead of comparing with them.
    #[arg(long)]
    pub update: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TestFormat::Human)]
    pub format: TestFormat,
}

#[derive(Debug, clap::Args)]
pub struct SimulateArgs {
    /// Policy directory (the proposal).
    #[arg(long, default_value = "policies")]
    pub policies: PathBuf,
    /// Tickets, one per JSONL line.
    #[arg(long, default_value = "data/sample-month.jsonl")]
    pub tickets: PathBuf,
    /// The policies to compare with (today's): a directory, or a git revision of `--policies`.
    #[arg(long, value_name = "DIR|REV")]
    pub baseline: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Write the report to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Exit 1 when a metric is outside its benchmark band.
    #[arg(long)]
    pub gate: bool,
    /// Stop after this many unreadable ticket records.
    #[arg(long, value_name = "N")]
    pub max_errors: Option<u64>,
    /// How many differing tickets to list.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Decide each ticket by the policy versions in force at its creation
    /// (`metadata.effective_from`), not by each side's newest versions.
    #[arg(long)]
    pub in_force: bool,
    /// The horizon: timers fire up to and including this RFC 3339 instant
    /// (e.g. 2026-10-31T23:59:59Z), later events have not happened yet.
    /// Default: the latest event instant in the ticket file (its export time).
    #[arg(long, value_name = "INSTANT", value_parser = instant)]
    pub until: Option<i64>,
}

#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The base: a git revision of the policy tree (`main`, `HEAD~1`) or a directory.
    #[arg(value_name = "BASE")]
    pub base: String,
    /// The head: a git revision or a directory (default: the working tree of `--policies`).
    #[arg(value_name = "HEAD")]
    pub head: Option<String>,
    /// The policy tree revisions are read from, and the head when HEAD is left out.
    #[arg(long, default_value = "policies")]
    pub policies: PathBuf,
    /// Replay these tickets under both sides and report the impact.
    #[arg(long)]
    pub tickets: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// How many changed tickets to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
    /// With --tickets: decide each ticket by the versions in force at its
    /// creation on each side, not by each side's newest versions.
    #[arg(long, requires = "tickets")]
    pub in_force: bool,
    /// The horizon: timers fire up to and including this RFC 3339 instant
    /// (e.g. 2026-10-31T23:59:59Z), later events have not happened yet.
    /// Default: the latest event instant in `--tickets` (its export time).
    #[arg(long, value_name = "INSTANT", value_parser = instant)]
    #[arg(requires = "tickets")]
    pub until: Option<i64>,

    /// Write the review to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
    /// A pull-request comment: summary first, details folded.
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Human,
    Json,
    /// A PR comment.
    Markdown,
    /// A self-contained page with charts.
    Html,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Zendesk: Incremental Ticket Export pages plus Ticket Audits.
    Zendesk(ZendeskArgs),
}

#[derive(Debug, clap::Args)]
pub struct ZendeskArgs {
    /// Incremental ticket export pages (`{"tickets": [...]}`), one or more.
    #[arg(long = "tickets", required = true, num_args = 1..)]
    pub tickets: Vec<PathBuf>,
    /// Ticket audit files (`{"audits": [...]}`), one or more.
    #[arg(long = "audits", num_args = 1..)]
    pub audits: Vec<PathBuf>,
    /// Tags starting with this give the segment (`segment_enterprise` → `enterprise`).
    #[arg(long, default_value = "segment_")]
    pub segment_tag_prefix: String,
    /// A Zendesk group and the team it is in the SupportTiers policy, as
    /// `GROUP_ID=TEAM` (repeatable). Unmapped groups are named `group-<id>`.
    #[arg(long = "group", value_name = "GROUP_ID=TEAM", value_parser = group_mapping)]
    pub groups: Vec<(String, String)>,
    /// Write the JSONL to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct GenArgs {
    /// Number of tickets (1 to 5 000 000).
    #[arg(long, default_value_t = 3000, value_parser = clap::value_parser!(u64).range(1..=5_000_000))]
    pub tickets: u64,
    /// Seed: the same seed always gives the same month.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The month, YYYY-MM.
    #[arg(long, default_value = "2026-10")]
    pub month: String,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// Which schema.
    #[arg(value_enum, default_value_t = SchemaKind::Policy)]
    pub kind: SchemaKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// The policy language.
    Policy,
    /// The ticket JSONL contract.
    Ticket,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with source snippets, for people.
    Human,
    /// One JSON document, for tools.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TraceFormat {
    /// A compact table per ticket.
    Human,
    /// YAML, as stored in snapshots.
    Yaml,
    /// One JSON document.
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DueFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TestFormat {
    Human,
    Json,
    /// JUnit XML, for CI test reports.
    Junit,
}

/// Parses `GROUP_ID=TEAM`.
fn group_mapping(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((group, team))
            if !group.is_empty()
                && group.bytes().all(|b| b.is_ascii_digit())
                && !team.trim().is_empty() =>
        {
            Ok((group.to_owned(), team.trim().to_owned()))
        }
        _ => Err(format!(
            "`{text}` is not GROUP_ID=TEAM (a numeric Zendesk group id, `=`, a team id), e.g. 98738=frontline"
        )),
    }
}

/// An RFC 3339 instant with offset, as unix seconds.
fn instant(text: &str) -> Result<i64, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|d| d.timestamp())
        .map_err(|e| {
            format!("not an RFC 3339 instant with offset ({e}); write e.g. 2026-10-31T23:59:59Z")
        })
}
