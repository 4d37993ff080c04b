//! Streaming a ticket file through a replay on every core: JSONL in blocks
//! of whole lines (the next block read while the current one is replayed),
//! CSV event logs in batches of assembled tickets; unreadable records
//! located, counted and skipped; a progress bar on a terminal.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::atomic::Ordering;

use rayon::prelude::*;
use slate_engine::Ticket;
use slate_engine::ticket::{TicketError, TicketErrorKind};
use slate_sim::input::Record;

use crate::exit::Exit;

/// Tickets per batch from a CSV event log.
const BATCH: usize = 8192;
/// Bytes per block of JSONL (whole lines, so about 6 000 tickets).
const BLOCK: usize = 4 << 20;

/// What a replay over a ticket file accumulates: one per worker, merged.
pub trait Sink: Send + Sized {
    fn add(&mut self, ticket: &Ticket);
    fn merge(&mut self, other: Self);
    /// Tickets added so far, for the progress bar.
    fn tickets(&self) -> u64;
}

/// A progress bar on stderr when it is a terminal: the share of the file
/// read, with the tickets replayed so far.
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

/// Replays every readable ticket of `path` into a sink made by `new`.
/// Returns the merged sink and the number of unreadable records (the first
/// ten reported on stderr with their location).
pub fn stream<S: Sink>(
    path: &Path,
    max_errors: Option<u64>,
    new: impl Fn() -> S + Sync + Send,
) -> Result<(S, u64), Exit> {
    stream_with(path, max_errors, new, true)
}

/// The latest event instant in `path` (a ticket's creation when it has no
/// events): the export time, the default horizon of `simulate` and `diff`
/// (DESIGN §4.17). A first, quiet pass over the file; the replay pass
/// reports what cannot be read.
pub fn latest_event(path: &Path) -> Result<i64, Exit> {
    let meta = std::fs::metadata(path).map_err(|e| {
        eprintln!("error: cannot read `{}`: {e}", path.display());
        Exit::Usage
    })?;
    if !meta.is_file() {
        eprintln!(
            "error: `{}` is not a regular file, so its export time cannot be found before replaying it\n  help: give the horizon with --until INSTANT",
            path.display()
        );
        return Err(Exit::Usage);
    }
    let (latest, _) = stream_with(path, None, Latest::default, false)?;
    latest.0.ok_or_else(|| {
        eprintln!(
            "error: `{}` holds no readable ticket, so it has no export time\n  help: give the horizon with --until INSTANT",
            path.display()
        );
        Exit::Usage
    })
}

/// The latest instant seen, and how many tickets.
#[derive(Default)]
struct Latest(Option<i64>, u64);

impl Sink for Latest {
    fn add(&mut self, ticket: &Ticket) {
        let created = ticket.created_at.timestamp();
        let last = ticket.events.iter().map(|e| e.at.timestamp()).max();
        let at = last.map_or(created, |l| l.max(created));
        self.0 = Some(self.0.map_or(at, |a| a.max(at)));
        self.1 += 1;
    }

    fn merge(&mut self, other: Self) {
        self.0 = match (self.0, other.0) {
            (Some(a), Some(b)) => Some(a.max(b)),
            (a, b) => a.or(b),
        };
        self.1 += other.1;
    }

    fn tickets(&self) -> u64 {
        self.1
    }
}

fn stream_with<S: Sink>(
    path: &Path,
    max_errors: Option<u64>,
    new: impl Fn() -> S + Sync + Send,
    report: bool,
) -> Result<(S, u64), Exit> {
    let input = slate_sim::input::open(path).map_err(|e| {
        eprintln!("error: cannot read `{}`: {e}", path.display());
        Exit::Usage
    })?;
    let mut source = if slate_sim::input::is_csv(path) {
        match slate_sim::input::CsvEvents::new(input.reader) {
            Ok(events) => Source::Csv(Box::new(events)),
            Err(message) => {
                eprintln!(
                    "error: `{}`: {message}\n  help: see the CSV event log columns in the README",
                    path.display()
                );
                return Err(Exit::Usage);
            }
        }
    } else {
        Source::Json(slate_sim::input::JsonBlocks::new(input.reader, BLOCK))
    };
    let name = path.display().to_string();
    let progress = if report {
        progress_bar(input.size)
    } else {
        None
    };
    let mut sink = new();
    let mut errors: u64 = 0;
    let mut batch = source.next_batch();
    while let Some(current) = batch.take() {
        let (next, (part, mut bad)) = rayon::join(|| source.next_batch(), || replay(current, &new));
        batch = next;
        sink.merge(part);
        if let Some(bar) = &progress {
            bar.set_position(input.read.load(Ordering::Relaxed));
            bar.set_message(format!("{} tickets", sink.tickets()));
        }
        bad.sort_by_key(|e| e.line);
        for e in &bad {
            if report && errors < 10 {
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
        if max_errors.is_some_and(|max| errors >= max) {
            eprintln!("error: stopped after {errors} unreadable ticket records (--max-errors)");
            return Err(Exit::Findings);
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    Ok((sink, errors))
}

/// One batch into a sink, and the records that could not be read.
fn replay<S: Sink>(batch: Batch, new: &(impl Fn() -> S + Sync + Send)) -> (S, Vec<TicketError>) {
    match batch {
        Batch::Records(records) => fold(records, new, |record| match record {
            Record::Ticket(t) => Ok(*t),
            Record::Error(e) => Err(e),
        }),
        Batch::Block(block) => {
            let (sink, mut bad) = fold(block.lines(), new, |(line, text)| {
                slate_engine::ticket::parse_line_bytes(text, line)
            });
            bad.extend(block.too_long.iter().map(|&line| TicketError {
                kind: TicketErrorKind::Malformed,
                line,
                column: 1,
                message: format!(
                    "the line is longer than {} MiB, the limit for one ticket; it was skipped (a JSONL file holds one ticket per line)",
                    slate_sim::input::MAX_LINE_BYTES / (1024 * 1024)
                ),
            }));
            (sink, bad)
        }
        Batch::Unreadable(e) => (new(), vec![e]),
    }
}

fn fold<S: Sink, T: Send>(
    items: Vec<T>,
    new: &(impl Fn() -> S + Sync + Send),
    parse: impl Fn(T) -> Result<Ticket, TicketError> + Sync + Send,
) -> (S, Vec<TicketError>) {
    items
        .into_par_iter()
        .fold(
            || (new(), Vec::new()),
            |(mut sink, mut bad), item| {
                match parse(item) {
                    Ok(ticket) => sink.add(&ticket),
                    Err(e) => bad.push(e),
                }
                (sink, bad)
            },
        )
        .reduce(
            || (new(), Vec::new()),
            |(mut a, mut x), (b, y)| {
                a.merge(b);
                x.extend(y);
                (a, x)
            },
        )
}
