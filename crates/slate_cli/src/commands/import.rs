//! `slate import`.

use std::path::Path;

use serde::de::DeserializeOwned;
use slate_sim::zendesk::{self, Mapping};

use crate::args::{ImportCommand, ZendeskArgs};
use crate::exit::Exit;

pub fn run(command: &ImportCommand) -> Exit {
    match command {
        ImportCommand::Zendesk(args) => zendesk(args),
    }
}

/// Reads one JSON file; a syntax or shape error names file, line and column.
fn read<T: DeserializeOwned>(path: &Path) -> Result<T, Exit> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("error: cannot read `{}`: {e}", path.display());
        Exit::Usage
    })?;
    serde_json::from_str(&text).map_err(|e| {
        eprintln!(
            "{}:{}:{}: import::malformed: {}",
            path.display(),
            e.line(),
            e.column(),
            e.to_string().split(" at line ").next().unwrap_or_default()
        );
        Exit::Findings
    })
}

fn zendesk(args: &ZendeskArgs) -> Exit {
    let mut pages = Vec::new();
    for path in &args.tickets {
        match read::<zendesk::TicketPage>(path) {
            Ok(p) => pages.push(p),
            Err(exit) => return exit,
        }
    }
    let mut audits = Vec::new();
    for path in &args.audits {
        match read::<zendesk::AuditPage>(path) {
            Ok(p) => audits.push(p),
            Err(exit) => return exit,
        }
    }
    let mapping = Mapping {
        segment_tag_prefix: args.segment_tag_prefix.clone(),
        groups: args.groups.iter().cloned().collect(),
    };
    let mut out = String::new();
    let mut failed = 0;
    for result in zendesk::assemble(&pages, &audits, &mapping) {
        match result.and_then(|t| serde_json::to_string(&t).map_err(|e| e.to_string())) {
            Ok(line) => {
                out.push_str(&line);
                out.push('\n');
            }
            Err(message) => {
                eprintln!("error: import::ticket: {message}");
                failed += 1;
            }
        }
    }
    if let Err(exit) = super::emit(&out, args.out.as_deref()) {
        return exit;
    }
    if failed > 0 {
        Exit::Findings
    } else {
        Exit::Clean
    }
}
