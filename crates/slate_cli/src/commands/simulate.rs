//! `slate simulate`: streams the ticket file through the policies (and the
//! baseline's), in parallel batches, into one accumulator.

use std::io::IsTerminal;

use rayon::prelude::*;
use slate_engine::Engine;
use slate_engine::Ticket;
use slate_engine::ticket::{TicketError, TicketErrorKind};
use slate_sim::Accumulator;
use slate_sim::input::Record;

use crate::args::{ReportFormat, SimulateArgs};
use crate::exit::Exit;
use crate::render;

/// Tickets per batch from a CSV event log.
const BATCH: usize = 8192;
/// Bytes per block of JSONL (whole lines, so about 6 000 tickets).
const BLOCK: usize = 4 << 20;

/// A progress bar on stderr when it is a terminal: the share of the file
/// read, with the tickets simulated so far.
fn progress_bar(size: u64) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar = indicatif::ProgressBar::new(size);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:30} {percent:>3}% {binary_bytes}/{binary_total_bytes} · {msg} · eta {eta}",
    ) {
        bar.set_style(style);
    }
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    Some(bar)
}

/// The policies of `policies` at git revision `rev`, checked.
fn baseline_at_revision(
    policies: &std::path::Path,
    rev: &str,
) -> Result<slate_policy::Checked, Exit> {
    let sources = super::lint::base_sources(policies, rev).map_err(|message| {
        eprintln!(
            "error: --baseline `{rev}` is neither a directory nor a revision of `{}`: {message}",
            policies.display()
        );
        Exit::Usage
    })?;
    let checked = slate_policy::check::check_sources(
        &sources,
        slate_policy::Scope::Complete,
        &slate_policy::Limits::default(),
    );
    if checked
        .diagnostics
        .iter()
        .any(|d| d.severity == slate_policy::Severity::Error)
    {
        render::human::eprint(&checked.diagnostics);
        eprintln!("error: the baseline policies at `{rev}` are invalid");
        return Err(Exit::Findings);
    }
    Ok(checked)
}

pub fn run(args: &SimulateArgs) -> Exit {
    let proposal = match super::load_policies(&args.policies) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let baseline = match &args.baseline {
        Some(dir) if dir.is_dir() => match super::load_policies(dir) {
            Ok(c) => Some(c),
            Err(exit) => return exit,
        },
        // Not a directory: a git revision of the policy tree.
        Some(rev) => match baseline_at_revision(&args.policies, &rev.to_string_lossy()) {
            Ok(c) => Some(c),
            Err(exit) => return exit,
        },
        None => None,
    };
    let engine = match Engine::new(&proposal.set) {
        Ok(e) => e,
        Err(message) => {
            eprintln!("error: {message}");
            return Exit::Findings;
        }
    };
    let base_engine = match baseline.as_ref().map(|b| Engine::new(&b.set)).transpose() {
        Ok(e) => e,
        Err(message) => {
            eprintln!("error: baseline: {message}");
            return Exit::Findings;
        }
    };
    let input = match slate_sim::input::open(&args.tickets) {
        Ok(input) => input,
        Err(e) => {
            eprintln!("error: cannot read `{}`: {e}", args.tickets.display());
            return Exit::Usage;
        }
    };
    let mut source = if slate_sim::input::is_csv(&args.tickets) {
        match slate_sim::input::CsvEvents::new(input.reader) {
            Ok(events) => Source::Csv(Box::new(events)),
            Err(message) => {
                eprintln!(
                    "error: `{}`: {message}\n  help: see the CSV event log columns in the README",
                    args.tickets.display()
                );
                return Exit::Usage;
            }
        }
    } else {
        Source::Json(slate_sim::input::JsonBlocks::new(input.reader, BLOCK))
    };
    let name = args.tickets.display().to_string();
    let progress = progress_bar(input.size);
    let mut accumulator = Accumulator::new(args.top);
    let mut baseline_acc = Accumulator::default();
    let mut errors: u64 = 0;
    let run = Run {
        engine: &engine,
        base_engine: base_engine.as_ref(),
        top: args.top,
    };
    // The next batch is read while the current one is replayed.
    let mut batch = source.next_batch();
    while let Some(current) = batch.take() {
        let (next, (acc, base, mut bad)) =
            rayon::join(|| source.next_batch(), || run.batch(current));
        batch = next;
        accumulator.merge(acc);
        baseline_acc.merge(base);
        if let Some(bar) = &progress {
            bar.set_position(input.read.load(std::sync::atomic::Ordering::Relaxed));
            bar.set_message(format!("{} tickets", accumulator.tickets()));
        }
        bad.sort_by_key(|e| e.line);
        for e in &bad {
            if errors < 10 {
                eprintln!(
                    "{name}:{}:{}: {}: {}",
                    e.line,
                    e.column,
                    crate::tickets::code(e.kind),
                    e.message
                );
            }
            errors += 1;
        }
        if args.max_errors.is_some_and(|max| errors >= max) {
            eprintln!("error: stopped after {errors} unreadable ticket records (--max-errors)");
            return Exit::Findings;
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let priorities = engine.priorities();
    let report = accumulator.report(engine.benchmarks(), &priorities, errors);
    let baseline_report = base_engine
        .as_ref()
        .map(|b| baseline_acc.report(b.benchmarks(), &b.priorities(), errors));
    let text = match args.format {
        ReportFormat::Human => render::report::human(&report, baseline_report.as_ref(), args.top),
        ReportFormat::Markdown => {
            render::report::markdown(&report, baseline_report.as_ref(), args.top)
        }
        ReportFormat::Json => render::report::json(&report, baseline_report.as_ref()),
        ReportFormat::Html => render::html::render(&report, baseline_report.as_ref(), args.top),
    };
    if let Err(exit) = super::emit(&text, args.out.as_deref()) {
        return exit;
    }
    if errors > 0 {
        eprintln!("warning: {errors} ticket record(s) could not be read and were skipped");
    }
    if args.gate && report.out_of_band() {
        eprintln!("error: metrics outside their benchmark bands (--gate)");
        return Exit::Findings;
    }
    if errors > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

/// Where tickets come from, a batch at a time.
enum Source {
    Csv(Box<slate_sim::input::CsvEvents<Box<dyn std::io::BufRead + Send>>>),
    Json(slate_sim::input::JsonBlocks),
}

/// A batch of input: tickets assembled from CSV rows, or a block of JSONL.
enum Batch {
    Records(Vec<Record>),
    Block(slate_sim::input::Block),
    Unreadable(TicketError),
}

impl Source {
    fn next_batch(&mut self) -> Option<Batch> {
        match self {
            Self::Csv(events) => {
                let records: Vec<Record> = events.by_ref().take(BATCH).collect();
                (!records.is_empty()).then_some(Batch::Records(records))
            }
            Self::Json(blocks) => Some(match blocks.next()? {
                Ok(block) => Batch::Block(block),
                Err(e) => Batch::Unreadable(TicketError {
                    kind: TicketErrorKind::Malformed,
                    line: blocks.line(),
                    column: 1,
                    message: format!("cannot read: {e}"),
                }),
            }),
        }
    }
}

/// The engines a simulation replays with.
struct Run<'r, 'p> {
    engine: &'r Engine<'p>,
    base_engine: Option<&'r Engine<'p>>,
    top: usize,
}

type Outcome = (Accumulator, Accumulator, Vec<TicketError>);

impl Run<'_, '_> {
    /// What one batch adds: the proposal's and the baseline's accumulators,
    /// and the records that could not be read.
    fn batch(&self, batch: Batch) -> Outcome {
        match batch {
            Batch::Records(records) => self.replay(records, |record| match record {
                Record::Ticket(t) => Ok(*t),
                Record::Error(e) => Err(e),
            }),
            Batch::Block(block) => self.replay(block.lines(), |(line, text)| {
                slate_engine::ticket::parse_line_bytes(text, line)
            }),
            Batch::Unreadable(e) => (Accumulator::default(), Accumulator::default(), vec![e]),
        }
    }

    fn replay<T: Send>(
        &self,
        items: Vec<T>,
        parse: impl Fn(T) -> Result<Ticket, TicketError> + Sync + Send,
    ) -> Outcome {
        items
            .into_par_iter()
            .fold(
                || {
                    (
                        Accumulator::new(self.top),
                        Accumulator::default(),
                        Vec::new(),
                    )
                },
                |(mut acc, mut base, mut bad), item| {
                    match parse(item) {
                        Ok(ticket) => {
                            let facts = slate_sim::facts::facts(self.engine, &ticket);
                            if let Some(base_engine) = self.base_engine {
                                let before = slate_sim::facts::facts(base_engine, &ticket);
                                if let Some(difference) = slate_sim::facts::difference(
                                    &before.decisions,
                                    &facts.decisions,
                                ) {
                                    acc.add_difference(&ticket.id, difference);
                                }
                                base.add(&before);
                            }
                            acc.add(&facts);
                        }
                        Err(e) => bad.push(e),
                    }
                    (acc, base, bad)
                },
            )
            .reduce(
                || (Accumulator::default(), Accumulator::default(), Vec::new()),
                |(mut a, mut b, mut x), (a2, b2, x2)| {
                    a.merge(a2);
                    b.merge(b2);
                    x.extend(x2);
                    (a, b, x)
                },
            )
    }
}
