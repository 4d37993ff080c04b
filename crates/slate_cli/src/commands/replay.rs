//! `slate replay`.

use slate_engine::InForce;

use crate::args::{ReplayArgs, TraceFormat};
use crate::exit::Exit;
use crate::render;
use crate::tickets;

pub fn run(args: &ReplayArgs) -> Exit {
    super::with_engine(&args.policies, |engine| run_with(engine, args))
}

fn run_with(engine: &InForce<'_>, args: &ReplayArgs) -> Exit {
    let file = match tickets::read(&args.tickets) {
        Ok(f) => f,
        Err(d) => {
            render::human::eprint(&[*d]);
            return Exit::Usage;
        }
    };
    // A ticket created after the horizon had not happened yet: said, not
    // replayed from a horizon moved to its creation.
    let (judged, later): (Vec<_>, Vec<_>) = file
        .tickets
        .iter()
        .partition(|t| args.until.is_none_or(|u| u >= t.created_at.timestamp()));
    let traces: Vec<_> = judged
        .iter()
        .map(|t| engine.replay_until(t, args.until))
        .collect();
    let text = match args.format {
        TraceFormat::Human => traces
            .iter()
            .map(render::trace::table)
            .collect::<Vec<_>>()
            .join("\n"),
        TraceFormat::Yaml => traces
            .iter()
            .map(render::trace::yaml)
            .collect::<Vec<_>>()
            .join("---\n"),
        TraceFormat::Json => {
            let mut text = serde_json::to_string_pretty(&traces).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    if let Err(exit) = super::print(&text) {
        return exit;
    }
    for t in &later {
        eprintln!(
            "error: {}: ticket `{}` was created at {}, after the horizon --until {}; it was not replayed\n  help: give a later --until, or leave it out to replay each ticket to its last event",
            args.tickets.display(),
            t.id,
            slate_engine::engine::instant(t.created_at.timestamp()),
            args.until
                .map(slate_engine::engine::instant)
                .unwrap_or_default(),
        );
    }
    if file.diagnostics.is_empty() && later.is_empty() {
        Exit::Clean
    } else if file.diagnostics.is_empty() {
        Exit::Findings
    } else {
        render::human::eprint(&file.diagnostics);
        eprintln!(
            "error: {} ticket record(s) could not be read and were skipped; {} replayed",
            file.diagnostics.len(),
            traces.len()
        );
        Exit::Findings
    }
}
