//! `slate simulate`: streams the ticket file through the policies (and the
//! baseline's), in parallel batches, into one accumulator.

use std::io::BufRead;

use rayon::prelude::*;
use slate_engine::Engine;
use slate_sim::Accumulator;

use crate::args::{ReportFormat, SimulateArgs};
use crate::exit::Exit;
use crate::render;

const BATCH: usize = 8192;

pub fn run(args: &SimulateArgs) -> Exit {
    let proposal = match super::load_policies(&args.policies) {
        Ok(c) => c,
        Err(exit) => return exit,
    };
    let baseline = match &args.baseline {
        Some(dir) => match super::load_policies(dir) {
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
    let file = match std::fs::File::open(&args.tickets) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: cannot read `{}`: {e}", args.tickets.display());
            return Exit::Usage;
        }
    };
    let name = args.tickets.display().to_string();
    let mut reader = std::io::BufReader::new(file);
    let mut accumulator = Accumulator::default();
    let mut baseline_acc = Accumulator::default();
    let mut errors: u64 = 0;
    let mut line_no = 0usize;
    let mut batch: Vec<(usize, String)> = Vec::with_capacity(BATCH);
    let mut done = false;
    while !done {
        batch.clear();
        while batch.len() < BATCH {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) => {
                    done = true;
                    break;
                }
                Ok(_) => {
                    line_no += 1;
                    if !line.trim().is_empty() {
                        batch.push((line_no, line));
                    }
                }
                Err(e) => {
                    eprintln!("error: cannot read `{name}` at line {}: {e}", line_no + 1);
                    return Exit::Usage;
                }
            }
        }
        let (acc, base, bad) = batch
            .par_iter()
            .fold(
                || (Accumulator::default(), Accumulator::default(), Vec::new()),
                |(mut acc, mut base, mut bad), (line, text)| {
                    match slate_engine::ticket::parse_line(text, *line) {
                        Ok(ticket) => {
                            let facts = slate_sim::facts::facts(&engine, &ticket);
                            if let Some(base_engine) = &base_engine {
                                let before = slate_sim::facts::facts(base_engine, &ticket);
                                if let Some(difference) =
                                    before.decisions.difference(&facts.decisions)
                                {
                                    acc.differing.push((ticket.id.clone(), difference));
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
            );
        accumulator.merge(acc);
        baseline_acc.merge(base);
        let mut bad = bad;
        bad.sort_by_key(|e| e.line);
        for e in &bad {
            if errors < 10 {
                eprintln!(
                    "{name}:{}:{}: ticket::malformed: {}",
                    e.line, e.column, e.message
                );
            }
            errors += 1;
        }
        if args.max_errors.is_some_and(|max| errors >= max) {
            eprintln!("error: stopped after {errors} unreadable ticket records (--max-errors)");
            return Exit::Findings;
        }
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
    };
    let written = match &args.out {
        Some(path) => render::write_atomically(path, &text).map_err(|e| {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            Exit::Usage
        }),
        None => super::print(&text),
    };
    if let Err(exit) = written {
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
