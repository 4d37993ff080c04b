//! The pull-request boundary for revisions (DESIGN §9): nothing inside a
//! policy tree chooses what git reads, revisions are never options, and a
//! tree read from git gets the refusals it gets on disk.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{git, repo_root, slate_in};

/// A repository whose first commit holds the shipped policies; returns it,
/// the policy folder and the commit.
fn repository() -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().unwrap();
    let policies = tmp.path().join("policies");
    crate::support::copy_policies(&policies);
    git(tmp.path(), &["init", "-q"]);
    git(tmp.path(), &["add", "-A"]);
    git(tmp.path(), &["commit", "-q", "-m", "base"]);
    let sha = head(tmp.path());
    (tmp, policies, sha)
}

fn head(dir: &Path) -> String {
    let out = Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(dir)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

/// The critical enterprise first response loosened from 15 minutes to 8
/// hours without a version bump: the gate must fail it.
fn loosen(policies: &Path) {
    let path = policies.join("sla.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let loosened = text.replacen("first_response: 15m", "first_response: 8h", 1);
    assert_ne!(text, loosened);
    std::fs::write(path, loosened).unwrap();
}

#[test]
fn a_repository_laid_out_inside_the_policy_tree_is_refused() {
    let (tmp, policies, base) = repository();
    loosen(&policies);
    // A second repository whose metadata the pull request adds to the
    // policy folder: HEAD, config (core.worktree = .), objects/, refs/,
    // and a replace ref for the base commit. Run with the policy folder as
    // git's working directory, git would read this repository instead.
    let fake = tempfile::tempdir().unwrap();
    git(fake.path(), &["init", "-q", "--bare", "fake.git"]);
    let fake_git = fake.path().join("fake.git");
    for name in ["HEAD", "config", "objects", "refs"] {
        let status = Command::new("cp")
            .args(["-r"])
            .arg(fake_git.join(name))
            .arg(policies.join(name))
            .status()
            .unwrap();
        assert!(status.success());
    }
    std::fs::create_dir_all(policies.join("refs/replace")).unwrap();
    std::fs::write(
        policies.join("refs/replace").join(&base),
        format!("{base}\n"),
    )
    .unwrap();
    for args in [
        vec!["lint", "policies", "--base", base.as_str()],
        vec!["diff", base.as_str()],
        vec![
            "simulate",
            "--tickets",
            "tickets.jsonl",
            "--baseline",
            base.as_str(),
        ],
    ] {
        std::fs::copy(
            repo_root().join("data/sample-month.jsonl"),
            tmp.path().join("tickets.jsonl"),
        )
        .unwrap();
        let run = slate_in(tmp.path(), &args);
        assert_eq!(run.code, 2, "{args:?}\n{}", run.transcript());
        assert!(
            run.stderr.contains("holds git metadata"),
            "{args:?}\n{}",
            run.transcript()
        );
    }
    // Without the planted metadata the same change fails the gate.
    for name in ["HEAD", "config", "objects", "refs"] {
        let path = policies.join(name);
        if path.is_dir() {
            std::fs::remove_dir_all(path).unwrap();
        } else {
            std::fs::remove_file(path).unwrap();
        }
    }
    let run = slate_in(tmp.path(), &["lint", "policies", "--base", &base]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stdout.contains("version-not-bumped"), "{}", run.stdout);
}

#[test]
fn git_is_run_on_the_checkouts_repository_from_any_directory() {
    // Run from inside the policy folder, with GIT_DIR pointing elsewhere:
    // the checkout's repository is still the one read.
    let (tmp, policies, base) = repository();
    loosen(&policies);
    let elsewhere = tempfile::tempdir().unwrap();
    git(elsewhere.path(), &["init", "-q"]);
    let out = Command::new(env!("CARGO_BIN_EXE_slate"))
        .args(["lint", ".", "--base", &base])
        .current_dir(&policies)
        .env("GIT_DIR", elsewhere.path().join(".git"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("version-not-bumped"), "{stdout}");
    drop(tmp);
}

#[test]
fn a_revision_is_never_an_option() {
    let (tmp, _, _) = repository();
    // `--base=…` hands clap's value through whatever it looks like.
    for rev in ["--output=/tmp/slate-pwned", "-h", ""] {
        let arg = format!("--base={rev}");
        let run = slate_in(tmp.path(), &["lint", "policies", &arg]);
        assert_eq!(run.code, 2, "{rev}: {}", run.transcript());
        assert!(
            run.stderr.contains("is not a revision"),
            "{rev}: {}",
            run.transcript()
        );
    }
    assert!(!Path::new("/tmp/slate-pwned").exists());
}

#[test]
fn a_revision_gets_the_refusals_of_the_disk() {
    // A policy named with non-ASCII characters is read (git would quote its
    // name); a hidden folder is skipped as on disk; a committed link is
    // refused as on disk.
    let (tmp, policies, _) = repository();
    std::fs::rename(
        policies.join("benchmarks.yaml"),
        policies.join("référence-métriques.yaml"),
    )
    .unwrap();
    std::fs::create_dir(policies.join(".drafts")).unwrap();
    std::fs::write(policies.join(".drafts/broken.yaml"), "not: [a policy").unwrap();
    git(tmp.path(), &["add", "-A"]);
    git(tmp.path(), &["commit", "-q", "-m", "renamed"]);
    let base = head(tmp.path());
    // Changed without a bump: found in the file with the non-ASCII name.
    let path = policies.join("référence-métriques.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("max: 12", "max: 14", 1)).unwrap();
    let run = slate_in(tmp.path(), &["lint", "policies", "--base", &base]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stdout.contains("version-not-bumped"), "{}", run.stdout);
    assert!(
        run.stdout.contains("référence-métriques.yaml"),
        "{}",
        run.stdout
    );
    // A link committed in the tree.
    std::os::unix::fs::symlink("/etc/passwd", policies.join("link.yaml")).unwrap();
    git(tmp.path(), &["add", "-A"]);
    git(tmp.path(), &["commit", "-q", "-m", "link"]);
    let linked = head(tmp.path());
    std::fs::remove_file(policies.join("link.yaml")).unwrap();
    let run = slate_in(tmp.path(), &["lint", "policies", "--base", &linked]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr.contains("link.yaml` is a symbolic link"),
        "{}",
        run.transcript()
    );
}

/// `slate` in `dir` with a secret in its environment.
fn with_secret(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_slate"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SLATE_TEST_SECRET", "hunter2-token")
        .output()
        .unwrap();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), all)
}

fn fifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn a_configuration_that_is_a_link_or_a_fifo_is_refused_by_name() {
    let (tmp, policies, _) = repository();
    let config = policies.join("slate.toml");
    for target in ["/proc/self/environ", "/dev/zero"] {
        std::os::unix::fs::symlink(target, &config).unwrap();
        let (code, out) = with_secret(tmp.path(), &["lint", "policies"]);
        assert_eq!(code, 2, "{out}");
        assert!(out.contains("slate.toml` is a symbolic link"), "{out}");
        assert!(!out.contains("hunter2-token"), "{out}");
        std::fs::remove_file(&config).unwrap();
    }
    fifo(&config);
    let (code, out) = with_secret(tmp.path(), &["lint", "policies"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("slate.toml` is not a regular file"), "{out}");
}

#[test]
fn a_scenario_or_snapshot_that_is_a_link_or_a_fifo_fails_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let scenarios = tmp.path().join("scenarios");
    std::fs::create_dir(&scenarios).unwrap();
    let shipped = repo_root().join("tests/scenarios/churn-threat.yaml");
    std::fs::copy(&shipped, scenarios.join("churn-threat.yaml")).unwrap();
    let policies = repo_root().join("policies");
    let policies = policies.to_str().unwrap();
    // The snapshot a link to the environment: the diff would print it.
    std::os::unix::fs::symlink(
        "/proc/self/environ",
        scenarios.join("churn-threat.trace.yaml"),
    )
    .unwrap();
    for format in ["human", "junit"] {
        let (code, out) = with_secret(
            tmp.path(),
            &[
                "test",
                "scenarios",
                "--policies",
                policies,
                "--format",
                format,
            ],
        );
        assert_eq!(code, 1, "{out}");
        assert!(
            out.contains("churn-threat.trace.yaml` is a symbolic link"),
            "{out}"
        );
        assert!(!out.contains("hunter2-token"), "{out}");
    }
    // --update does not write through it either.
    let (code, out) = with_secret(
        tmp.path(),
        &["test", "scenarios", "--policies", policies, "--update"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        std::fs::symlink_metadata(scenarios.join("churn-threat.trace.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    std::fs::remove_file(scenarios.join("churn-threat.trace.yaml")).unwrap();
    // A FIFO as snapshot, and a FIFO and a link as scenarios: named, no hang.
    fifo(&scenarios.join("churn-threat.trace.yaml"));
    fifo(&scenarios.join("waiting.yaml"));
    std::os::unix::fs::symlink(&shipped, scenarios.join("linked.yaml")).unwrap();
    let (code, out) = with_secret(tmp.path(), &["test", "scenarios", "--policies", policies]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("churn-threat.trace.yaml` is not a regular file"),
        "{out}"
    );
    assert!(out.contains("waiting.yaml` is not a regular file"), "{out}");
    assert!(out.contains("linked.yaml` is a symbolic link"), "{out}");
}

#[test]
fn out_replaces_regular_files_only_with_the_umasks_mode() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    std::fs::create_dir(dir.join("a-directory")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", dir.join("a-link.jsonl")).unwrap();
    fifo(&dir.join("a-fifo.jsonl"));
    for (out, why) in [
        ("/dev/null", "not a regular file"),
        ("a-directory", "not a regular file"),
        ("a-link.jsonl", "symbolic link"),
        ("a-fifo.jsonl", "not a regular file"),
    ] {
        let run = slate_in(dir, &["gen", "--tickets", "3", "--out", out]);
        assert_eq!(run.code, 2, "{out}: {}", run.transcript());
        assert!(run.stderr.contains(why), "{out}: {}", run.transcript());
    }
    assert!(
        std::fs::symlink_metadata(dir.join("a-link.jsonl"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A new file gets the umask's mode (here 027: 0640), not 0600.
    let status = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "umask 027 && exec '{}' gen --tickets 3 --out month.jsonl",
            env!("CARGO_BIN_EXE_slate")
        ))
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success());
    let mode = std::fs::metadata(dir.join("month.jsonl"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o640, "{mode:o}");
}

#[test]
fn hostile_scenario_names_never_start_a_workflow_command_or_reach_the_terminal_raw() {
    let tmp = tempfile::tempdir().unwrap();
    let scenarios = tmp.path().join("scenarios");
    std::fs::create_dir(&scenarios).unwrap();
    let name = "x\n::stop-commands::pwned\n\u{1b}]0;title\u{7}.yaml";
    std::fs::write(scenarios.join(name), "ticket: {id: [broken\n").unwrap();
    let policies = repo_root().join("policies");
    let (code, out) = with_secret(
        tmp.path(),
        &[
            "test",
            "scenarios",
            "--policies",
            policies.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("x\\n::stop-commands::pwned\\n\\u{1b}]0;title\\u{7}.yaml"),
        "{out}"
    );
    for line in out.lines() {
        assert!(!line.trim_start().starts_with("::"), "{line:?} in\n{out}");
    }
    assert!(!out.contains('\u{1b}'), "{out}");
}

#[test]
fn hostile_values_are_escaped_in_the_review_and_sarif() {
    let (tmp, policies, base) = repository();
    // A keyword that would close the review's fold, forge its verdict, add
    // an image and break a table.
    let path = policies.join("classification.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let hostile = "x</details>\\n\\n**Risk: none**<img src=https://evil.example/p.png>|[click](https://evil.example)";
    std::fs::write(
        &path,
        text.replacen(
            "keywords: [outage, system down, all users, site down]",
            &format!("keywords: [outage, system down, all users, site down, \"{hostile}\"]"),
            1,
        ),
    )
    .unwrap();
    let run = slate_in(tmp.path(), &["diff", &base, "--format", "markdown"]);
    assert!(run.code <= 1, "{}", run.transcript());
    let md = &run.stdout;
    assert!(md.contains("evil.example"), "{md}");
    assert!(!md.contains("<img"), "{md}");
    assert!(!md.contains("[click]("), "{md}");
    assert_eq!(
        md.matches("</details>").count(),
        md.matches("<details").count(),
        "{md}"
    );
    assert!(!md.contains("\n**Risk: none**"), "{md}");
    for line in md.lines().filter(|l| l.starts_with('|')) {
        assert!(!line.contains("|[click"), "{line}");
    }
    // A policy file whose name needs encoding, in SARIF.
    std::fs::rename(policies.join("sla.yaml"), policies.join("sla #1?.yaml")).unwrap();
    let sla = policies.join("sla #1?.yaml");
    let text = std::fs::read_to_string(&sla).unwrap();
    std::fs::write(
        &sla,
        text.replacen("warnings: [50, 75, 90]", "warnings: [50, 90, 75]", 1),
    )
    .unwrap();
    let run = slate_in(tmp.path(), &["lint", "policies", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stdout
            .contains("\"uri\": \"policies/sla%20%231%3F.yaml\""),
        "{}",
        run.stdout
    );
}

#[test]
fn an_overflowing_ticket_count_is_a_clear_error_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    for count in ["18446744073709551615", "99999999999999999999999", "0", "-1"] {
        let arg = format!("--tickets={count}");
        let run = slate_in(tmp.path(), &["gen", &arg]);
        assert_eq!(run.code, 2, "{count}: {}", run.transcript());
        assert!(
            run.stderr.contains("--tickets"),
            "{count}: {}",
            run.transcript()
        );
        assert!(
            !run.stderr.contains("panicked"),
            "{count}: {}",
            run.transcript()
        );
    }
}
