//! `slate due`.

use chrono::DateTime;
use slate_engine::engine::instant;
use slate_engine::{Engine, InForce};
use slate_policy::duration::Duration;

use crate::args::{DueArgs, DueFormat};
use crate::exit::Exit;
use crate::render;
use crate::tickets;

pub fn run(args: &DueArgs) -> Exit {
    super::with_engine(&args.policies, |engine| run_with(engine, args))
}

fn run_with(engine: &InForce<'_>, args: &DueArgs) -> Exit {
    let text = match &args.ticket {
        Some(path) => match for_ticket(engine, path, args.format) {
            Ok(text) => text,
            Err(exit) => return exit,
        },
        None => match for_calendar(engine, args) {
            Ok(text) => text,
            Err(exit) => return exit,
        },
    };
    match super::print(&text) {
        Ok(()) => Exit::Clean,
        Err(exit) => exit,
    }
}

fn for_calendar(in_force: &InForce<'_>, args: &DueArgs) -> Result<String, Exit> {
    let (Some(name), Some(start), Some(duration)) = (&args.calendar, &args.start, &args.duration)
    else {
        eprintln!("error: give --calendar, --start and --duration, or --ticket");
        return Err(Exit::Usage);
    };
    let start_at = DateTime::parse_from_rfc3339(start).map_err(|e| {
        eprintln!(
            "error: invalid --start `{start}`: {e}\n  help: write an RFC 3339 instant with an offset, e.g. 2026-10-05T16:30:00Z"
        );
        Exit::Usage
    })?;
    // The calendar's version in force at the start (DESIGN §4.11).
    let engine = in_force.engine(start_at.timestamp());
    let Some((engine, clock)) = engine.and_then(|e| e.clock(name).map(|c| (e, c))) else {
        let known: Vec<String> = in_force
            .engines()
            .flat_map(|(_, e)| checked_calendars(e))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if known.iter().any(|k| k == name) {
            eprintln!(
                "error: no version of calendar `{name}` is in force at {}\n  help: give a --start at or after its first `effective_from`",
                instant(start_at.timestamp())
            );
        } else {
            let hint = slate_policy::diagnostic::suggestion(name, known.iter().map(String::as_str))
                .unwrap_or_else(|| format!("known calendars: {}", known.join(", ")));
            eprintln!("error: unknown calendar `{name}`\n  help: {hint}");
        }
        return Err(Exit::Usage);
    };
    let version = engine
        .policies()
        .iter()
        .find(|p| p.kind == "Calendar" && p.name == *name)
        .map(|p| p.version);
    let target = Duration::parse(duration).map_err(|e| {
        eprintln!("error: {}\n  help: {}", e.message, e.help);
        Exit::Usage
    })?;
    let due = clock.due(start_at.to_utc(), target);
    let due_text = due.map_or_else(|| "never".to_owned(), |d| instant(d.timestamp()));
    Ok(match args.format {
        DueFormat::Text => format!("{due_text}\n"),
        DueFormat::Json => {
            // The closed days the target crosses, named as the calendar
            // names them.
            let holidays: Vec<serde_json::Value> = due
                .map(|d| clock.holidays_between(start_at.timestamp(), d.timestamp()))
                .unwrap_or_default()
                .into_iter()
                .map(|(date, name)| serde_json::json!({"date": date.to_string(), "name": name}))
                .collect();
            let value = serde_json::json!({
                "calendar": name,
                "version": version,
                "start": instant(start_at.timestamp()),
                "duration": target.to_string(),
                "due": due.map(|d| instant(d.timestamp())),
                "holidays": holidays,
            });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            )
        }
    })
}

fn checked_calendars(engine: &Engine<'_>) -> Vec<String> {
    engine.calendar_names().map(str::to_owned).collect()
}

fn for_ticket(
    engine: &InForce<'_>,
    path: &std::path::Path,
    format: DueFormat,
) -> Result<String, Exit> {
    let file = tickets::read(path).map_err(|d| {
        render::human::eprint(&[*d]);
        Exit::Usage
    })?;
    if !file.diagnostics.is_empty() {
        render::human::eprint(&file.diagnostics);
        return Err(Exit::Findings);
    }
    let all: Vec<(String, Vec<slate_engine::engine::RunningTarget>)> = file
        .tickets
        .iter()
        .map(|t| {
            let running = engine
                .engine(t.created_at.timestamp())
                .map(|e| e.running_targets(t, None))
                .unwrap_or_default();
            (t.id.clone(), running)
        })
        .collect();
    Ok(match format {
        DueFormat::Json => {
            let value: Vec<serde_json::Value> = all
                .iter()
                .map(|(id, targets)| serde_json::json!({"ticket": id, "running": targets}))
                .collect();
            format!(
                "{}\n",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            )
        }
        DueFormat::Text => {
            let mut out = String::new();
            for (id, targets) in &all {
                out.push_str(&format!("ticket {id}\n"));
                if targets.is_empty() {
                    out.push_str("  no running targets\n");
                }
                for t in targets {
                    let due = match (&t.due, t.paused) {
                        (_, true) => "paused".to_owned(),
                        (Some(d), false) => d.clone(),
                        (None, false) => "never (calendar closed)".to_owned(),
                    };
                    out.push_str(&format!(
                        "  {:<16} #{}  {:>6} in {:<18} due {due}\n",
                        t.level
                            .as_ref()
                            .map_or_else(|| t.metric.clone(), |l| format!("{} {l}", t.metric)),
                        t.cycle,
                        t.target,
                        t.calendar
                    ));
                }
            }
            out
        }
    })
}
