//! Reading ticket files: JSONL, JSON (one ticket or a list), YAML (one, a
//! list, or a scenario). Malformed records become located diagnostics and are
//! skipped; the rest are read.

use std::path::Path;

use slate_engine::Ticket;
use slate_engine::ticket::{self, TicketErrorKind};
use slate_policy::source::{Source, Span};
use slate_policy::{Code, Diagnostic};

/// What a ticket file held.
#[derive(Debug, Default)]
pub struct TicketFile {
    pub tickets: Vec<Ticket>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The diagnostic code of a refused ticket.
pub fn code(kind: TicketErrorKind) -> Code {
    match kind {
        TicketErrorKind::Malformed => Code::TicketMalformed,
        TicketErrorKind::Order => Code::TicketOrder,
    }
}

fn located(
    source: &Source,
    line: usize,
    column: usize,
    kind: TicketErrorKind,
    message: String,
) -> Diagnostic {
    let code = code(kind);
    let offset = source.offset_of(line, column);
    Diagnostic::error(code, message, source, source.token_at(offset))
        .label("here")
        .help("see schema/ticket.schema.json for the ticket contract")
}

#[derive(serde::Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    Many(Vec<Ticket>),
    One(Box<Ticket>),
}

/// Reads a ticket file. `Err` when the file cannot be read at all.
pub fn read(path: &Path) -> Result<TicketFile, Box<Diagnostic>> {
    let text = std::fs::read(path).map_err(|e| {
        let code = if e.kind() == std::io::ErrorKind::NotFound {
            Code::IoNotFound
        } else {
            Code::IoRead
        };
        Box::new(Diagnostic::global(
            code,
            format!("cannot read `{}`: {e}", path.display()),
        ))
    })?;
    let text = String::from_utf8_lossy(&text).into_owned();
    let source = Source::new(path.display().to_string(), text);
    let mut out = TicketFile::default();
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    match extension {
        "yaml" | "yml" => {
            let node = slate_policy::yaml::parse_tree(&source, crate::limits());
            let is_scenario = node.as_ref().is_ok_and(|n| n.get("ticket").is_some());
            if is_scenario {
                match slate_engine::scenario::parse(&source) {
                    Ok(s) => out.tickets.push(s.ticket.value),
                    Err(e) => out.diagnostics.push(
                        Diagnostic::error(Code::ScenarioMalformed, e.message, &source, e.span)
                            .label("here"),
                    ),
                }
            } else {
                match slate_policy::yaml::deserialize::<OneOrMany>(&source, crate::limits()) {
                    Ok(OneOrMany::One(t)) => out.tickets.push(*t),
                    Ok(OneOrMany::Many(ts)) => out.tickets.extend(ts),
                    Err(e) => out.diagnostics.push(
                        Diagnostic::error(Code::TicketMalformed, e.message, &source, e.span)
                            .label("here")
                            .help(
                                "a ticket file holds one ticket, a list of tickets, or a scenario",
                            ),
                    ),
                }
            }
        }
        "json" => match serde_json::from_str::<OneOrMany>(source.text()) {
            Ok(OneOrMany::One(t)) => out.tickets.push(*t),
            Ok(OneOrMany::Many(ts)) => out.tickets.extend(ts),
            Err(e) => out.diagnostics.push(located(
                &source,
                e.line(),
                e.column(),
                TicketErrorKind::Malformed,
                e.to_string(),
            )),
        },
        _ => {
            for (i, line) in source.text().lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                match ticket::parse_line(line, i + 1) {
                    Ok(t) => out.tickets.push(t),
                    Err(e) => out
                        .diagnostics
                        .push(located(&source, e.line, e.column, e.kind, e.message)),
                }
            }
        }
    }
    // JSONL lines were validated as they were read; this covers JSON and YAML.
    let mut kept = Vec::with_capacity(out.tickets.len());
    for t in out.tickets {
        match ticket::validate(&t) {
            Ok(()) => kept.push(t),
            Err(e) => {
                out.diagnostics.push(
                    Diagnostic::error(code(e.kind), e.message, &source, Span::default())
                        .label("in this file"),
                );
            }
        }
    }
    out.tickets = kept;
    Ok(out)
}
