//! Running the `slate` binary the way a user does.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root: tests run Slate from there, with relative paths,
/// so that file names in the output are stable.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Exit code, stdout and stderr of one run.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr together, for snapshots.
    pub fn transcript(&self) -> String {
        let mut out = format!("exit: {}\n", self.code);
        if !self.stdout.is_empty() {
            out.push_str("--- stdout\n");
            out.push_str(&self.stdout);
        }
        if !self.stderr.is_empty() {
            out.push_str("--- stderr\n");
            out.push_str(&self.stderr);
        }
        out
    }
}

/// Runs `slate ARGS` in `dir` with colour off.
pub fn slate_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_slate"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap_or_else(|e| panic!("cannot run slate: {e}"));
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Runs `slate ARGS` from the repository root.
pub fn slate(args: &[&str]) -> Run {
    slate_in(&repo_root(), args)
}

/// Parses `--format json` output of `slate check`.
pub fn json(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}", run.stdout))
}

/// Every diagnostic (and related one) names a file, a line and a column.
pub fn assert_all_located(document: &serde_json::Value) {
    let diagnostics = document["diagnostics"]
        .as_array()
        .unwrap_or_else(|| panic!("no diagnostics array in {document}"));
    assert!(
        !diagnostics.is_empty(),
        "expected diagnostics in {document}"
    );
    for d in diagnostics {
        let location = &d["location"];
        assert!(
            location["file"].as_str().is_some_and(|f| !f.is_empty())
                && location["line"].as_u64().is_some_and(|l| l >= 1)
                && location["column"].as_u64().is_some_and(|c| c >= 1),
            "diagnostic without file:line:col: {d}"
        );
        assert!(
            d["code"].as_str().is_some_and(|c| c.contains("::")),
            "diagnostic without a code: {d}"
        );
    }
}

/// Runs git in `dir` with a fixed identity; panics on failure.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=slate",
            "-c",
            "user.email=slate@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run git: {e}"));
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Copies the shipped `policies/` into `dir` (created).
pub fn copy_policies(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(repo_root().join("policies")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
}
