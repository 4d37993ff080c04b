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
    let parse_once = || {
        lines
            .par_iter()
            .map(|l| serde_json::from_str::<Ticket>(l).unwrap().events.len())
            .sum::<usize>()
    };
    let simulate_once = || {
        lines
            .par_iter()
            .fold(Accumulator::default, |mut acc, l| {
                let t: Ticket = serde_json::from_str(l).unwrap();
                acc.add(&slate_sim::facts::facts(&engine, &t, None));
                acc
            })
            .reduce(Accumulator::default, |mut a, b| {
                a.merge(b);
                a
            })
            .tickets() as usize
    };
    // Parse and simulate alternate, so both see the same machine; the
    // ratio is the median of the pairs, the rates the best runs.
    let time = |f: &dyn Fn() -> usize| {
        let t = Instant::now();
        std::hint::black_box(f());
        t.elapsed()
    };
    let pairs: Vec<_> = (0..9)
        .map(|_| (time(&parse_once), time(&simulate_once)))
        .collect();
    let parse = pairs.iter().map(|p| p.0).min().unwrap();
    let simulate = pairs.iter().map(|p| p.1).min().unwrap();
    let mut ratios: Vec<f64> = pairs
        .iter()
        .map(|(p, s)| s.as_secs_f64() / p.as_secs_f64())
        .collect();
    ratios.sort_by(f64::total_cmp);
    let median_ratio = ratios.get(ratios.len() / 2).copied().unwrap();
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
        "simulate / parse:       {median_ratio:.2}x (median of {} alternating pairs)",
        pairs.len()
    );

    // Where the time goes, per ticket on one thread, on parsed tickets.
    let per_ticket = |d: std::time::Duration| d.as_secs_f64() * 1e9 / n as f64;
    let evaluate = best(&|| {
        tickets
            .iter()
            .map(|t| engine.evaluate(t, None).breaches.len())
            .sum()
    });
    let facts = best(&|| {
        tickets
            .iter()
            .map(|t| {
                slate_sim::facts::facts(&engine, t, None)
                    .handoff_delays
                    .len()
            })
            .sum()
    });
    let accumulate = best(&|| {
        let mut acc = Accumulator::default();
        for t in &tickets {
            acc.add(&slate_sim::facts::facts(&engine, t, None));
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
