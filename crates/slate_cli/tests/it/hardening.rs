//! Resource limits, filesystem safety and atomic writes, as a user meets them.

use std::path::Path;
use std::process::Command;

use crate::support::{Run, repo_root, slate_in};

/// Runs `slate ARGS` in `dir` with extra environment variables.
fn slate_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_slate"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn exceeded_policy_limits_name_the_limit_and_how_to_raise_it() {
    let root = repo_root();
    // A file over SLATE_MAX_FILE_BYTES.
    let run = slate_env(
        &root,
        &["check", "policies"],
        &[("SLATE_MAX_FILE_BYTES", "2000")],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stdout.contains("load::too-large"), "{}", run.stdout);
    assert!(
        run.stdout.contains("SLATE_MAX_FILE_BYTES"),
        "{}",
        run.stdout
    );
    // The tree over SLATE_MAX_TOTAL_BYTES.
    let run = slate_env(
        &root,
        &["check", "policies"],
        &[("SLATE_MAX_TOTAL_BYTES", "20000")],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stdout.contains("load::tree-too-large"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("SLATE_MAX_TOTAL_BYTES"),
        "{}",
        run.stdout
    );
    // Too many files.
    let run = slate_env(&root, &["check", "policies"], &[("SLATE_MAX_FILES", "3")]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stdout.contains("load::too-many-files"),
        "{}",
        run.stdout
    );
    // Nesting, nodes and scalar text: the parse budget.
    for (variable, value) in [
        ("SLATE_MAX_DEPTH", "3"),
        ("SLATE_MAX_NODES", "50"),
        ("SLATE_MAX_SCALAR_BYTES", "100"),
    ] {
        let run = slate_env(&root, &["check", "policies"], &[(variable, value)]);
        assert_eq!(run.code, 1, "{variable}: {}", run.transcript());
        assert!(
            run.stdout.contains("parse::budget"),
            "{variable}: {}",
            run.stdout
        );
        assert!(run.stdout.contains(variable), "{variable}: {}", run.stdout);
    }
    // Raised limits let the same tree through; a bad value is a usage error.
    let run = slate_env(
        &root,
        &["check", "policies"],
        &[("SLATE_MAX_FILE_BYTES", "5000000")],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let run = slate_env(&root, &["check"], &[("SLATE_MAX_DEPTH", "deep")]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("SLATE_MAX_DEPTH=`deep` is not a positive whole number")
    );
}

#[test]
fn over_long_lines_and_huge_tickets_are_skipped_and_located() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(repo_root().join("data/sample-month.jsonl")).unwrap();
    let good: Vec<&str> = sample.lines().take(3).collect();
    // Line 2: 17 MiB, more than a ticket line may be. Line 4: 100 001 events.
    let long = format!(
        "{{\"id\":\"X\",\"subject\":\"{}\"}}",
        "a".repeat(17 * 1024 * 1024)
    );
    let event = r#"{"at":"2026-10-01T00:00:05Z","type":"internal_note"}"#;
    let events = vec![event; 100_001].join(",");
    let huge =
        format!("{{\"id\":\"H\",\"created_at\":\"2026-10-01T00:00:05Z\",\"events\":[{events}]}}");
    let text = format!("{}\n{long}\n{}\n{huge}\n{}\n", good[0], good[1], good[2]);
    std::fs::write(tmp.path().join("t.jsonl"), text).unwrap();
    let policies = repo_root().join("policies");
    let run = slate_in(
        tmp.path(),
        &[
            "simulate",
            "--policies",
            policies.to_str().unwrap(),
            "--tickets",
            "t.jsonl",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("t.jsonl:2:1: ticket::malformed: the line is longer than 16 MiB"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("t.jsonl:4:1: ticket::malformed: ticket `H` has 100001 events, more than the limit of 100000"),
        "{}",
        run.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["proposal"]["tickets"], 3);
    assert_eq!(report["proposal"]["errors"], 2);
}

#[cfg(unix)]
#[test]
fn policy_trees_never_reach_outside_their_root() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("policies");
    std::fs::create_dir(&root).unwrap();
    std::fs::copy(
        repo_root().join("policies/sla.yaml"),
        tmp.path().join("outside.yaml"),
    )
    .unwrap();
    // A link to a file outside, and a link to a directory outside.
    std::os::unix::fs::symlink(tmp.path().join("outside.yaml"), root.join("sla.yaml")).unwrap();
    std::os::unix::fs::symlink(tmp.path(), root.join("up")).unwrap();
    let run = slate_in(tmp.path(), &["check", "policies", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let codes: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes.iter().filter(|c| **c == "load::symlink").count(),
        2,
        "{codes:?}"
    );
    // Nothing from outside was read: no policy-level finding at all.
    assert!(codes.iter().all(|c| c.starts_with("load::")), "{codes:?}");
}

/// A writer killed while writing leaves the old file whole: reports, months
/// and snapshots are written to a temporary file and renamed over the old one.
/// The kill is deterministic: a file-size limit (`ulimit -f`) smaller than the
/// new content stops the writer with SIGXFSZ in the middle of its write.
#[cfg(unix)]
#[test]
fn a_killed_writer_leaves_the_old_file_intact() {
    use std::os::unix::process::ExitStatusExt;
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("month.jsonl");
    let old = "the previous month\n";
    std::fs::write(&out, old).unwrap();
    let status = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "ulimit -f 256 && exec '{}' gen --tickets 20000 --seed 9 --out month.jsonl",
            env!("CARGO_BIN_EXE_slate")
        ))
        .current_dir(tmp.path())
        .status()
        .unwrap();
    // Killed by the limit while writing (SIGXFSZ is signal 25 on Linux).
    assert_eq!(status.signal(), Some(25), "{status:?}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), old);
    // What the killed writer left is under one name next to the target…
    assert!(tmp.path().join(".month.jsonl.slate-tmp").exists());
    // Run to completion, the file is replaced whole.
    let run = slate_in(
        tmp.path(),
        &[
            "gen",
            "--tickets",
            "20",
            "--seed",
            "9",
            "--out",
            "month.jsonl",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 20);
    // … and the next write leaves nothing behind.
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["month.jsonl"]);
    assert!(text.lines().all(|l| l.starts_with('{') && l.ends_with('}')));
}
