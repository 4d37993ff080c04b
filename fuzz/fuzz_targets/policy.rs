//! Policy loading: any bytes as a policy file through every stage of
//! `check`. Never a panic; every diagnostic is located inside the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slate_policy::source::Source;
use slate_policy::{Limits, Scope};

fuzz_target!(|data: &[u8]| {
    // The loader refuses non-UTF-8 files before parsing (with a location);
    // the stages after it see text.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count().max(1);
    let source = Source::new("fuzz.yaml", text);
    for scope in [Scope::Complete, Scope::Partial] {
        let checked = slate_policy::check::check_sources(
            std::slice::from_ref(&source),
            scope,
            &Limits::default(),
        );
        for d in &checked.diagnostics {
            if let Some((file, line, column)) = d.location() {
                assert_eq!(file, "fuzz.yaml");
                assert!(line >= 1 && line <= lines + 1, "line {line} of {lines}");
                assert!(column >= 1);
            }
        }
    }
});
