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

use serde_json::{Map, Value, json};
use slate_engine::Ticket;
use slate_engine::ticket::{TicketError, TicketErrorKind};

/// One record of an input: a raw JSONL line to parse, or a ticket already
/// assembled (from CSV).
#[derive(Debug)]
pub enum Record {
    Json { line: usize, text: String },
    Ticket(Box<Ticket>),
    Error(TicketError),
}

/// Opens a file, decompressing `.gz`.
pub fn open(path: &Path) -> std::io::Result<Box<dyn BufRead + Send>> {
    let file = std::fs::File::open(path)?;
    let gz = path.extension().is_some_and(|e| e == "gz");
    Ok(if gz {
        Box::new(BufReader::new(flate2::read::MultiGzDecoder::new(file)))
    } else {
        Box::new(BufReader::new(file))
    })
}

/// Whether the file is a CSV event log (`.csv` or `.csv.gz`).
pub fn is_csv(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    name.ends_with(".csv") || name.ends_with(".csv.gz")
}

/// Reads JSONL lines lazily.
pub struct JsonLines {
    reader: Box<dyn BufRead + Send>,
    line: usize,
}

impl JsonLines {
    pub fn new(reader: Box<dyn BufRead + Send>) -> Self {
        Self { reader, line: 0 }
    }
}

impl std::fmt::Debug for JsonLines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonLines")
            .field("line", &self.line)
            .finish_non_exhaustive()
    }
}

impl<R: Read> std::fmt::Debug for CsvEvents<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvEvents")
            .field("header", &self.header)
            .finish_non_exhaustive()
    }
}

impl Iterator for JsonLines {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            let mut text = String::new();
            match self.reader.read_line(&mut text) {
                Ok(0) => return None,
                Ok(_) => {
                    self.line += 1;
                    if !text.trim().is_empty() {
                        return Some(Record::Json {
                            line: self.line,
                            text,
                        });
                    }
                }
                Err(e) => {
                    self.line += 1;
                    return Some(Record::Error(TicketError {
                        kind: TicketErrorKind::Malformed,
                        line: self.line,
                        column: 1,
                        message: format!("cannot read: {e}"),
                    }));
                }
            }
        }
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
