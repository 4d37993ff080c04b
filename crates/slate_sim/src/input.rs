//! Ticket inputs: canonical JSONL (plain or gzip) and a flat CSV event log.
//!
//! The CSV event log has one event per row, rows of a ticket next to each
//! other, and these columns (a header row names them; order is free; empty
//! cells are absent values):
//!
//! | column | meaning |
//! |---|---|
//! | `ticket_id` | the ticket (required on every row) |
//! | `created_at` | RFC 3339; read from the ticket's first row (required there) |
//! | `subject`, `priority`, `channel`, `segment`, `account`, `vip`, `arr`, `tags` | ticket attributes, from the first row; `tags` separated by `;` |
//! | `event_at` | RFC 3339 (required) |
//! | `event_type` | an event type of the ticket contract (required) |
//! | `text`, `sentiment`, `agent`, `tier`, `public`, `team`, `to_tier`, `reason`, `status`, `priority_to`, `amount`, `currency`, `approved`, `score` | the event's fields |

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde_json::{Map, Value, json};
use slate_engine::Ticket;
use slate_engine::ticket::{TicketError, TicketErrorKind};

/// One ticket assembled from CSV rows, or why it could not be.
#[derive(Debug)]
pub enum Record {
    Ticket(Box<Ticket>),
    Error(TicketError),
}

/// Counts the bytes read through it, for progress reports.
#[derive(Debug)]
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// An opened input: its reader, its size on disk, and the bytes of the
/// file read so far (compressed bytes for `.gz`).
pub struct Opened {
    pub reader: Box<dyn BufRead + Send>,
    pub size: u64,
    pub read: Arc<AtomicU64>,
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Opened")
            .field("size", &self.size)
            .finish_non_exhaustive()
    }
}

/// Opens a file, decompressing `.gz`.
pub fn open(path: &Path) -> std::io::Result<Opened> {
    let file = std::fs::File::open(path)?;
    let size = file.metadata()?.len();
    let read = Arc::new(AtomicU64::new(0));
    let file = Counted {
        inner: file,
        read: Arc::clone(&read),
    };
    let gz = path.extension().is_some_and(|e| e == "gz");
    let reader: Box<dyn BufRead + Send> = if gz {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    };
    Ok(Opened { reader, size, read })
}

/// Whether the file is a CSV event log (`.csv` or `.csv.gz`).
pub fn is_csv(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.ends_with(".csv") || name.ends_with(".csv.gz")
}

impl<R: Read> std::fmt::Debug for CsvEvents<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvEvents")
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

/// JSONL read in blocks of whole lines: parsed in parallel without a copy
/// per line.
pub struct JsonBlocks {
    reader: Box<dyn BufRead + Send>,
    /// The number of the next block's first line.
    line: usize,
    /// Bytes after the last newline of the previous block.
    carry: Vec<u8>,
    size: usize,
    done: bool,
}

/// Longest JSONL line read: one ticket per line, and a ticket of even
/// thousands of events is far shorter. Longer lines are skipped unbuffered.
pub const MAX_LINE_BYTES: usize = 16 * 1024 * 1024;

/// Whole lines of a JSONL input, numbered from `first_line`.
#[derive(Debug, Default)]
pub struct Block {
    pub first_line: usize,
    pub bytes: Vec<u8>,
    /// Lines longer than the limit, skipped without being kept.
    pub too_long: Vec<usize>,
}

impl Block {
    /// The non-blank lines with their numbers.
    pub fn lines(&self) -> Vec<(usize, &[u8])> {
        self.bytes
            .split(|&b| b == b'\n')
            .enumerate()
            .filter(|(_, line)| !line.trim_ascii().is_empty())
            .map(|(i, line)| (self.first_line + i, line))
            .collect()
    }
}

impl std::fmt::Debug for JsonBlocks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonBlocks")
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

impl JsonBlocks {
    /// Skips the rest of an over-long line: reads and drops bytes up to its
    /// newline, keeping what follows it.
    fn skip_line(&mut self) -> std::io::Result<()> {
        loop {
            let buffer = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if buffer.is_empty() {
                self.done = true;
                return Ok(());
            }
            match buffer.iter().position(|&b| b == b'\n') {
                Some(at) => {
                    self.reader.consume(at + 1);
                    return Ok(());
                }
                None => {
                    let n = buffer.len();
                    self.reader.consume(n);
                }
            }
        }
    }

    /// The number of the line the next block starts with.
    pub fn line(&self) -> usize {
        self.line
    }

    /// Blocks of about `size` bytes (longer when a line is).
    pub fn new(reader: Box<dyn BufRead + Send>, size: usize) -> Self {
        Self {
            reader,
            line: 1,
            carry: Vec::new(),
            size: size.max(1),
            done: false,
        }
    }
}

impl Iterator for JsonBlocks {
    type Item = std::io::Result<Block>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut bytes = std::mem::take(&mut self.carry);
        bytes.reserve(self.size);
        // Fill to the block size, then on to the end of a line.
        while bytes.len() < self.size || !bytes.ends_with(b"\n") {
            let room = if bytes.len() < self.size {
                self.size - bytes.len()
            } else {
                64 * 1024
            };
            let start = bytes.len();
            bytes.resize(start + room, 0);
            let read = match self.reader.read(bytes.get_mut(start..).unwrap_or_default()) {
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {
                    bytes.truncate(start);
                    continue;
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            bytes.truncate(start + read);
            if read == 0 {
                self.done = true;
                break;
            }
            if bytes.len() >= self.size
                && let Some(cut) = bytes.iter().rposition(|&b| b == b'\n')
            {
                self.carry = bytes.split_off(cut + 1);
                break;
            }
            if bytes.len() > MAX_LINE_BYTES {
                // One line, longer than any ticket: drop it, keep its number.
                let line = self.line;
                self.line += 1;
                if let Err(e) = self.skip_line() {
                    self.done = true;
                    return Some(Err(e));
                }
                return Some(Ok(Block {
                    first_line: self.line,
                    bytes: Vec::new(),
                    too_long: vec![line],
                }));
            }
        }
        if bytes.is_empty() {
            return None;
        }
        let first_line = self.line;
        self.line += bytes.iter().filter(|&&b| b == b'\n').count();
        Some(Ok(Block {
            first_line,
            bytes,
            too_long: Vec::new(),
        }))
    }
}

/// Assembles tickets from a CSV event log.
pub struct CsvEvents<R: Read> {
    rows: csv::StringRecordsIntoIter<R>,
    header: csv::StringRecord,
    pending: Option<(usize, Map<String, Value>, Vec<Value>)>,
    seen: std::collections::HashSet<String>,
    done: bool,
}

impl<R: Read> CsvEvents<R> {
    pub fn new(reader: R) -> Result<Self, String> {
        let mut csv = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(reader);
        let header = csv
            .headers()
            .map_err(|e| format!("cannot read the header row: {e}"))?
            .clone();
        for required in ["ticket_id", "event_at", "event_type"] {
            if !header.iter().any(|h| h == required) {
                return Err(format!("the header row has no `{required}` column"));
            }
        }
        Ok(Self {
            rows: csv.into_records(),
            header,
            pending: None,
            seen: std::collections::HashSet::new(),
            done: false,
        })
    }

    fn cell<'a>(&self, row: &'a csv::StringRecord, name: &str) -> Option<&'a str> {
        let i = self.header.iter().position(|h| h == name)?;
        row.get(i).map(str::trim).filter(|v| !v.is_empty())
    }

    fn finish(&mut self) -> Option<Record> {
        let (line, mut ticket, events) = self.pending.take()?;
        ticket.insert("events".into(), Value::Array(events));
        Some(
            match serde_json::from_value::<Ticket>(Value::Object(ticket)) {
                Ok(t) => match slate_engine::ticket::validate(&t) {
                    Ok(()) => Record::Ticket(Box::new(t)),
                    Err(e) => Record::Error(TicketError {
                        kind: e.kind,
                        line,
                        column: 1,
                        message: e.message,
                    }),
                },
                Err(e) => Record::Error(TicketError {
                    kind: TicketErrorKind::Malformed,
                    line,
                    column: 1,
                    message: e.to_string(),
                }),
            },
        )
    }

    fn event(&self, row: &csv::StringRecord) -> Value {
        let mut event = Map::new();
        let number = |v: &str| {
            v.parse::<f64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::String(v.to_owned()))
        };
        let integer = |v: &str| {
            v.parse::<u64>()
                .map(Value::from)
                .unwrap_or_else(|_| Value::String(v.to_owned()))
        };
        let boolean = |v: &str| match v.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Value::Bool(true),
            "false" | "0" | "no" => Value::Bool(false),
            other => Value::String(other.to_owned()),
        };
        for (column, key) in [
            ("event_at", "at"),
            ("event_type", "type"),
            ("text", "text"),
            ("agent", "agent"),
            ("team", "team"),
            ("reason", "reason"),
            ("status", "status"),
            ("currency", "currency"),
            ("amount", "amount"),
        ] {
            if let Some(v) = self.cell(row, column) {
                event.insert(key.into(), Value::String(v.to_owned()));
            }
        }
        if let Some(v) = self.cell(row, "priority_to") {
            event.insert("priority".into(), Value::String(v.to_owned()));
        }
        if let Some(v) = self.cell(row, "sentiment") {
            event.insert("sentiment".into(), number(v));
        }
        for key in ["tier", "to_tier", "score"] {
            if let Some(v) = self.cell(row, key) {
                event.insert(key.into(), integer(v));
            }
        }
        for key in ["public", "approved"] {
            if let Some(v) = self.cell(row, key) {
                event.insert(key.into(), boolean(v));
            }
        }
        Value::Object(event)
    }
}

impl<R: Read> Iterator for CsvEvents<R> {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if self.done {
                return self.finish();
            }
            let Some(row) = self.rows.next() else {
                self.done = true;
                continue;
            };
            let row = match row {
                Ok(r) => r,
                Err(e) => {
                    let line = e
                        .position()
                        .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
                    return Some(Record::Error(TicketError {
                        kind: TicketErrorKind::Malformed,
                        line,
                        column: 1,
                        message: format!("invalid CSV: {e}"),
                    }));
                }
            };
            let line = row
                .position()
                .map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
            let Some(id) = self.cell(&row, "ticket_id").map(str::to_owned) else {
                return Some(Record::Error(TicketError {
                    kind: TicketErrorKind::Malformed,
                    line,
                    column: 1,
                    message: "row without `ticket_id`".into(),
                }));
            };
            let same = self
                .pending
                .as_ref()
                .is_some_and(|(_, t, _)| t.get("id") == Some(&Value::String(id.clone())));
            if same {
                let event = self.event(&row);
                if let Some((_, _, events)) = self.pending.as_mut() {
                    events.push(event);
                }
                continue;
            }
            if !self.seen.insert(id.clone()) {
                return Some(Record::Error(TicketError {
                    kind: TicketErrorKind::Malformed,
                    line,
                    column: 1,
                    message: format!(
                        "ticket `{id}` appears again after other tickets: keep each ticket's rows together"
                    ),
                }));
            }
            let mut ticket = Map::new();
            ticket.insert("id".into(), Value::String(id));
            for key in ["created_at", "subject", "priority", "channel"] {
                if let Some(v) = self.cell(&row, key) {
                    ticket.insert(key.into(), Value::String(v.to_owned()));
                }
            }
            let mut requester = Map::new();
            for key in ["segment", "account"] {
                if let Some(v) = self.cell(&row, key) {
                    requester.insert(key.into(), Value::String(v.to_owned()));
                }
            }
            if let Some(v) = self.cell(&row, "vip") {
                requester.insert(
                    "vip".into(),
                    json!(matches!(
                        v.to_ascii_lowercase().as_str(),
                        "true" | "1" | "yes"
                    )),
                );
            }
            if let Some(v) = self.cell(&row, "arr").and_then(|v| v.parse::<f64>().ok()) {
                requester.insert("arr".into(), json!(v));
            }
            ticket.insert("requester".into(), Value::Object(requester));
            if let Some(tags) = self.cell(&row, "tags") {
                ticket.insert(
                    "tags".into(),
                    json!(
                        tags.split(';')
                            .map(str::trim)
                            .filter(|t| !t.is_empty())
                            .collect::<Vec<_>>()
                    ),
                );
            }
            let event = self.event(&row);
            let previous = self.finish();
            self.pending = Some((line, ticket, vec![event]));
            if previous.is_some() {
                return previous;
            }
        }
    }
}

#[cfg(test)]
mod block_tests {
    use super::*;

    fn blocks(text: &'static str, size: usize) -> Vec<(usize, String)> {
        let reader: Box<dyn BufRead + Send> = Box::new(BufReader::new(text.as_bytes()));
        JsonBlocks::new(reader, size)
            .flat_map(|block| {
                let block = block.unwrap();
                block
                    .lines()
                    .into_iter()
                    .map(|(n, l)| (n, String::from_utf8(l.to_vec()).unwrap()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn lines_keep_their_numbers_across_blocks_of_any_size() {
        let text = "{\"a\":1}\n\n{\"b\":22222222222222}\r\n   \n{\"c\":3}";
        let expected = vec![
            (1, "{\"a\":1}".to_owned()),
            (3, "{\"b\":22222222222222}\r".to_owned()),
            (5, "{\"c\":3}".to_owned()),
        ];
        for size in [1, 2, 5, 8, 13, 64, 4096] {
            assert_eq!(blocks(text, size), expected, "block size {size}");
        }
        assert!(blocks("", 8).is_empty());
        assert!(blocks("\n\n", 8).is_empty());
    }
}
