//! `cargo bench -p slate_cli --bench gate`: the release `slate` binary end
//! to end on the shipped policies with a large classification in front
//! (100, 200 and 400 generated rules, `tests/it/large.rs`): `slate lint` and
//! `slate diff policies DIR`, next to their yardstick `slate check` on the
//! same files (read, parse, validate) in the same run. Best of three wall
//! times; peak memory from GNU time when it is installed. Prints figures,
//! asserts nothing about time.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a benchmark, not code that handles user input"
)]

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

#[path = "../tests/it/large.rs"]
mod large;

const SLATE: &str = env!("CARGO_BIN_EXE_slate");

/// Best wall time of three runs, and the peak resident memory of one.
fn measure(args: &[&str], dir: &Path) -> (Duration, Option<u64>) {
    let best = (0..3)
        .map(|_| {
            let start = Instant::now();
            let out = Command::new(SLATE)
                .args(args)
                .current_dir(dir)
                .output()
                .unwrap();
            assert!(
                out.status.code().is_some_and(|c| c <= 1),
                "{args:?}: {out:?}"
            );
            start.elapsed()
        })
        .min()
        .unwrap();
    let memory = Command::new("/usr/bin/time")
        .args(["-f", "%M", SLATE])
        .args(args)
        .current_dir(dir)
        .output()
        .ok()
        .and_then(|out| {
            String::from_utf8_lossy(&out.stderr)
                .lines()
                .last()?
                .trim()
                .parse::<u64>()
                .ok()
        });
    (best, memory)
}

fn show(what: &str, (time, memory): (Duration, Option<u64>), yardstick: Duration) {
    let memory = memory.map_or_else(|| "n/a".to_owned(), |kb| format!("{} MB", kb / 1024));
    println!(
        "  {what:<6} {:>8.3} s  {:>6.1}× check  peak {memory}",
        time.as_secs_f64(),
        time.as_secs_f64() / yardstick.as_secs_f64()
    );
}

fn main() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let repo = repo.canonicalize().unwrap();
    let tmp = std::env::temp_dir().join(format!("slate-gate-bench-{}", std::process::id()));
    for rules in [100, 200, 400] {
        let dir = tmp.join(format!("rules-{rules}"));
        let bytes = large::write(&repo, &dir, rules);
        let dir_arg = dir.to_str().unwrap();
        let text = std::fs::read_to_string(dir.join("classification.yaml")).unwrap();
        println!(
            "classification of {} rules ({rules} generated), {} KB",
            text.matches("\n    - id: ").count(),
            bytes / 1024
        );
        let check = measure(&["check", dir_arg], &repo);
        show("check", check, check.0);
        let lint = measure(
            &["lint", dir_arg, "--format", "json", "--today", "2026-12-01"],
            &repo,
        );
        show("lint", lint, check.0);
        let diff = measure(&["diff", "policies", dir_arg, "--format", "json"], &repo);
        show("diff", diff, check.0);
    }
    let _ = std::fs::remove_dir_all(&tmp);
}
