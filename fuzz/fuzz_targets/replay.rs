//! Replay: an arbitrary ticket (any event types, in time order, with the
//! shipped policies' keywords, tags, priorities and segments) against the
//! shipped policies. Never a panic, every step bounded, and the trace-free
//! evaluation decides exactly what the traced replay decides.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((line, ticket)) = slate_fuzz::input(data) else {
        return;
    };
    let engine = slate_fuzz::engine();
    // Judged a day past the last event: timers run on after it (§4.17).
    let until = ticket.events.last().map(|e| e.at.timestamp() + 86_400);
    let (trace, traced) = engine.replay_with_summary(&ticket, until);
    assert_eq!(engine.evaluate(&ticket, until), traced, "{line}");
    assert_eq!(trace.outcome.priority, traced.priority);
    let facts = slate_sim::facts::facts(engine, &ticket, until);
    let mut acc = slate_sim::Accumulator::default();
    acc.add(&facts);
});
