//! `cargo bench -p slate_sim`: simulation throughput against its yardstick,
//! the same JSONL parsed into typed tickets by serde_json alone, both on all
//! cores. Prints figures; asserts nothing about time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a benchmark, not code that handles user input"
)]

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;
use slate_engine::{Engine, Ticket};
use slate_policy::Limits;
use slate_sim::Accumulator;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let n = 200_000;
    let tickets = slate_sim::synthetic::month(n, 7, 2026, 10);
    let lines: Vec<String> = tickets
        .iter()
        .map(|t| serde_json::to_string(t).unwrap())
        .collect();
    let bytes: usize = lines.iter().map(String::len).sum();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let checked = slate_policy::check_path(&root, &Limits::default()).unwrap();
    let engine = Engine::new(&checked.set).unwrap();
    println!(
        "{n} generated tickets, {:.0} MB of JSONL, {} threads",
        bytes as f64 / 1e6,
        rayon::current_num_threads()
    );

    let best = |f: &dyn Fn() -> usize| {
        (0..3)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(f());
                t.elapsed()
            })
            .min()
            .unwrap()
    };
    let parse = best(&|| {
        lines
            .par_iter()
            .map(|l| serde_json::from_str::<Ticket>(l).unwrap().events.len())
            .sum()
    });
    let simulate = best(&|| {
        lines
            .par_iter()
            .fold(Accumulator::default, |mut acc, l| {
                let t: Ticket = serde_json::from_str(l).unwrap();
                acc.add(&slate_sim::facts::facts(&engine, &t));
                acc
            })
            .reduce(Accumulator::default, |mut a, b| {
                a.merge(b);
                a
            })
            .tickets() as usize
    });
    let rate = |d: std::time::Duration| n as f64 / d.as_secs_f64();
    println!(
        "parse only (yardstick): {:.0} ms, {:.0} tickets/s",
        parse.as_secs_f64() * 1e3,
        rate(parse)
    );
    println!(
        "simulate:               {:.0} ms, {:.0} tickets/s",
        simulate.as_secs_f64() * 1e3,
        rate(simulate)
    );
    println!(
        "simulate / parse:       {:.1}x",
        simulate.as_secs_f64() / parse.as_secs_f64()
    );

    // Where the time goes, per ticket on one thread, on parsed tickets.
    let per_ticket = |d: std::time::Duration| d.as_secs_f64() * 1e9 / n as f64;
    let evaluate = best(&|| {
        tickets
            .iter()
            .map(|t| engine.evaluate(t).breaches.len())
            .sum()
    });
    let facts = best(&|| {
        tickets
            .iter()
            .map(|t| slate_sim::facts::facts(&engine, t).handoff_delays.len())
            .sum()
    });
    let accumulate = best(&|| {
        let mut acc = Accumulator::default();
        for t in &tickets {
            acc.add(&slate_sim::facts::facts(&engine, t));
        }
        acc.tickets() as usize
    });
    println!(
        "one thread, per ticket: evaluate {:.0} ns, + facts {:.0} ns, + accumulate {:.0} ns",
        per_ticket(evaluate),
        per_ticket(facts) - per_ticket(evaluate),
        per_ticket(accumulate) - per_ticket(facts)
    );
}
