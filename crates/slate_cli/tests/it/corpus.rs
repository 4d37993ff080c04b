//! The bad-input corpus: every case is rejected with exit 1 and located
//! diagnostics; the rendered output is snapshotted per case.

use std::path::Path;

use crate::support::{assert_all_located, json, repo_root, slate, slate_in};

/// Cases under `tests/corpus/`: files are checked alone, directories as a
/// whole policy set.
fn cases() -> Vec<String> {
    let dir = repo_root().join("tests/corpus");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

#[test]
fn corpus_is_large_enough() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} corpus cases", cases.len());
}

#[test]
fn every_corpus_case_is_rejected_with_located_diagnostics() {
    for case in cases() {
        let path = format!("tests/corpus/{case}");
        let human = slate(&["check", &path]);
        assert_eq!(
            human.code,
            1,
            "{case}: expected exit 1\n{}",
            human.transcript()
        );
        assert!(!human.stdout.contains("panicked"), "{case} panicked");
        let name = case.trim_end_matches(".yaml").to_owned();
        insta::assert_snapshot!(name, human.transcript());

        let machine = slate(&["check", &path, "--format", "json"]);
        assert_eq!(
            machine.code, 1,
            "{case}: expected exit 1 with --format json"
        );
        assert_all_located(&json(&machine));
    }
}

/// Cases that cannot live in git (an empty directory, a 10 MiB file, a
/// link out of the tree, a FIFO) are made in a temporary directory.
fn check_generated(root: &Path, target: &str) -> String {
    let human = slate_in(root, &["check", target]);
    assert_eq!(
        human.code,
        1,
        "{target}: expected exit 1\n{}",
        human.transcript()
    );
    let machine = slate_in(root, &["check", target, "--format", "json"]);
    assert_eq!(machine.code, 1);
    let document = json(&machine);
    assert_all_located(&document);
    human.transcript()
        + &format!(
            "--- json codes\n{}\n",
            document["diagnostics"]
                .as_array()
                .map(|d| d
                    .iter()
                    .map(|d| d["code"].to_string())
                    .collect::<Vec<_>>()
                    .join(", "))
                .unwrap_or_default()
        )
}

#[test]
fn empty_directory_is_rejected() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir(tmp.path().join("policies")).unwrap_or_else(|e| panic!("{e}"));
    insta::assert_snapshot!("empty_directory", check_generated(tmp.path(), "policies"));
}

#[test]
fn ten_mib_file_is_rejected_before_parsing() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("policies");
    std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let mut text = String::from("apiVersion: slate.dev/v1\nkind: Calendar\n");
    while text.len() < 10 * 1024 * 1024 {
        text.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    std::fs::write(dir.join("huge.yaml"), text).unwrap_or_else(|e| panic!("{e}"));
    let transcript = check_generated(tmp.path(), "policies");
    assert!(transcript.contains("load::too-large"), "{transcript}");
    insta::assert_snapshot!("ten_mib_file", transcript);
}

#[cfg(unix)]
#[test]
fn symlink_out_of_the_policy_root_is_refused() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("policies");
    std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let outside = tmp.path().join("secret.yaml");
    std::fs::write(&outside, "apiVersion: slate.dev/v1\n").unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink("../secret.yaml", dir.join("escape.yaml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let transcript = check_generated(tmp.path(), "policies");
    assert!(transcript.contains("load::symlink"), "{transcript}");
    // The target was never read: its content would fail the schema.
    assert!(!transcript.contains("schema::"), "{transcript}");
    insta::assert_snapshot!("symlink_outside_root", transcript);
}

#[cfg(unix)]
#[test]
fn fifo_is_refused() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tmp.path().join("policies");
    std::fs::create_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    let status = std::process::Command::new("mkfifo")
        .arg(dir.join("pipe.yaml"))
        .status()
        .unwrap_or_else(|e| panic!("mkfifo: {e}"));
    assert!(status.success());
    let transcript = check_generated(tmp.path(), "policies");
    assert!(transcript.contains("load::not-regular"), "{transcript}");
    insta::assert_snapshot!("fifo", transcript);
}
