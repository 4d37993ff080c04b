//! Differential replay: the same arbitrary tickets as `replay`, through the
//! engine and through the slow reference engine (`crates/slate_reference`:
//! minute-stepping clocks, no caches or indexes). The traces must be
//! identical, entry by entry. The reference steps every minute of a ticket's
//! life, so tickets longer than `REFERENCE_SPAN` are skipped.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((line, ticket)) = slate_fuzz::input(data) else {
        return;
    };
    let span = ticket
        .events
        .last()
        .map_or(0, |e| e.at.timestamp() - ticket.created_at.timestamp());
    if span > slate_fuzz::REFERENCE_SPAN {
        return;
    }
    let trace = slate_fuzz::engine().replay(&ticket);
    let reference = slate_fuzz::reference().replay(&ticket);
    assert!(
        trace == reference,
        "the reference decides otherwise: {line}"
    );
});
