//! `slate replay`.

use slate_engine::Engine;

use crate::args::{ReplayArgs, TraceFormat};
use crate::exit::Exit;
use crate::render;
use crate::tickets;

pub fn run(args: &ReplayArgs) -> Exit {
    super::with_engine(&args.policies, |engine| run_with(engine, args))
}

fn run_with(engine: &Engine<'_>, args: &ReplayArgs) -> Exit {
    let file = match tickets::read(&args.tickets) {
        Ok(f) => f,
        Err(d) => {
            render::human::eprint(&[*d]);
            return Exit::Usage;
        }
    };
    let traces: Vec<_> = file.tickets.iter().map(|t| engine.replay(t)).collect();
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
    if file.diagnostics.is_empty() {
        Exit::Clean
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
