//! Exit codes and usage, as CI sees them.

use crate::support::slate;

#[test]
fn missing_path_is_a_usage_error() {
    let run = slate(&["check", "no/such/dir"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let run = slate(&["check", "--frobnicate"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--frobnicate"), "{}", run.stderr);
}

#[test]
fn unknown_format_is_a_usage_error() {
    let run = slate(&["check", "--format", "xml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("xml"), "{}", run.stderr);
}

#[test]
fn help_and_version_exit_zero() {
    for args in [
        &["--help"][..],
        &["check", "--help"],
        &["schema", "--help"],
        &["--version"],
    ] {
        let run = slate(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.transcript());
        assert!(!run.stdout.is_empty());
    }
    let run = slate(&["--version"]);
    assert_eq!(
        run.stdout.trim(),
        format!("slate {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let run = slate(&["schema"]);
    assert_eq!(run.code, 0);
    let committed =
        std::fs::read_to_string(crate::support::repo_root().join("schema/slate.schema.json"))
            .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run.stdout, committed);
}
