//! Ticket reading: any bytes as a JSONL ticket file (in blocks of any size)
//! and as a CSV event log. Never a panic; line numbers stay in the file.
#![no_main]

use std::io::{BufRead, BufReader};

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
    let block = usize::from(data.first().copied().unwrap_or(1)).max(1);
    let reader: Box<dyn BufRead + Send> =
        Box::new(BufReader::new(std::io::Cursor::new(data.to_vec())));
    for block in slate_sim::input::JsonBlocks::new(reader, block) {
        let Ok(block) = block else { continue };
        for (line, text) in block.lines() {
            assert!(line >= 1 && line <= lines, "line {line} of {lines}");
            match slate_engine::ticket::parse_line_bytes(text, line) {
                Ok(ticket) => {
                    // A ticket that reads is valid: its events are in time order.
                    assert!(ticket.events.windows(2).all(|w| w[0].at <= w[1].at));
                }
                Err(e) => assert_eq!(e.line, line),
            }
        }
    }
    let reader: Box<dyn BufRead + Send> =
        Box::new(BufReader::new(std::io::Cursor::new(data.to_vec())));
    if let Ok(events) = slate_sim::input::CsvEvents::new(reader) {
        for record in events.take(10_000) {
            let _ = record;
        }
    }
});
