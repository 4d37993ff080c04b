//! The GitHub Action and the pre-commit hooks run what they say.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde::Deserialize;

use crate::support::repo_root;

#[derive(Deserialize)]
struct Action {
    inputs: BTreeMap<String, Input>,
    runs: Runs,
}

#[derive(Deserialize)]
struct Input {
    #[serde(default)]
    default: String,
}

#[derive(Deserialize)]
struct Runs {
    using: String,
    steps: Vec<Step>,
}

#[derive(Deserialize)]
struct Step {
    id: String,
    #[serde(default)]
    run: Option<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    #[serde(default)]
    uses: Option<String>,
    #[serde(default)]
    with: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Hook {
    id: String,
    entry: String,
    language: String,
}

/// The directory holding the `slate` binary under test.
fn bin_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_BIN_EXE_slate"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn path_with_slate() -> String {
    format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

/// Replaces `${{ inputs.x }}` with the input's value, and the pull-request
/// context with a test one.
fn expand(text: &str, inputs: &BTreeMap<String, String>) -> String {
    let mut out = text.to_owned();
    for (name, value) in inputs {
        out = out.replace(&format!("${{{{ inputs.{name} }}}}"), value);
    }
    out.replace("${{ github.event.pull_request.number }}", "7")
        .replace("${{ github.token }}", "test-token")
}

/// A stand-in `gh` in `dir/fake-bin` that appends its arguments to
/// `dir/gh-calls.txt`, then runs `tail` (shell); returns both paths.
fn fake_gh(dir: &Path, tail: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let fake = dir.join("fake-bin");
    std::fs::create_dir(&fake).unwrap();
    let calls = dir.join("gh-calls.txt");
    let script = format!("#!/bin/sh\necho \"$*\" >> '{}'\n{tail}", calls.display());
    std::fs::write(fake.join("gh"), script).unwrap();
    std::fs::set_permissions(fake.join("gh"), std::fs::Permissions::from_mode(0o755)).unwrap();
    (fake, calls)
}

/// The action and its inputs at their defaults.
fn action() -> (Action, BTreeMap<String, String>) {
    let text = std::fs::read_to_string(repo_root().join("action.yml")).unwrap();
    let action: Action = serde_saphyr::from_str(&text).unwrap();
    let inputs = action
        .inputs
        .iter()
        .map(|(k, v)| (k.clone(), v.default.clone()))
        .collect();
    (action, inputs)
}

/// Runs one step's script as the runner would, from the repository root,
/// with `fake` first on the PATH and a pull-request context.
fn run_step(
    step: &Step,
    inputs: &BTreeMap<String, String>,
    fake: &Path,
    summary: &Path,
) -> std::process::Output {
    let mut command = Command::new("bash");
    command
        .args(["-eo", "pipefail", "-c", step.run.as_deref().unwrap()])
        .current_dir(repo_root())
        .env("PATH", format!("{}:{}", fake.display(), path_with_slate()))
        .env("NO_COLOR", "1")
        .env("GITHUB_REPOSITORY", "acme/support-policies")
        .env("GITHUB_STEP_SUMMARY", summary);
    for (key, value) in &step.env {
        command.env(key, expand(value, inputs));
    }
    command.output().unwrap()
}

#[test]
fn action_steps_run_lint_and_scenarios() {
    let (action, mut inputs) = action();
    assert_eq!(action.runs.using, "composite");
    let tmp = tempfile::tempdir().unwrap();
    inputs.insert(
        "sarif".into(),
        tmp.path().join("slate.sarif").display().to_string(),
    );
    inputs.insert(
        "junit".into(),
        tmp.path().join("junit.xml").display().to_string(),
    );
    // The review step: against HEAD (the working tree is the head), with a
    // pull-request comment through a stand-in `gh` that records its calls.
    inputs.insert("diff-base".into(), "HEAD".into());
    inputs.insert(
        "diff-out".into(),
        tmp.path().join("diff.md").display().to_string(),
    );
    inputs.insert("diff-comment".into(), "true".into());
    let (fake, calls) = fake_gh(tmp.path(), "");
    let summary = tmp.path().join("summary.md");
    let mut ran = Vec::new();
    for step in &action.runs.steps {
        match step.id.as_str() {
            // Installing builds the whole project (minutes); the test uses the
            // binary built for it and checks that the path the step installs from exists.
            "install" => {
                assert!(
                    step.run
                        .as_deref()
                        .unwrap()
                        .contains("--path \"$SLATE_SOURCE/crates/slate_cli\"")
                );
                assert!(repo_root().join("crates/slate_cli/Cargo.toml").exists());
                continue;
            }
            "upload" => {
                assert_eq!(
                    step.uses.as_deref(),
                    Some("github/codeql-action/upload-sarif@v3")
                );
                assert_eq!(
                    step.with.get("sarif_file").map(String::as_str),
                    Some("${{ inputs.sarif }}")
                );
                continue;
            }
            _ => {}
        }
        let output = run_step(step, &inputs, &fake, &summary);
        assert!(
            output.status.success(),
            "step `{}` failed:\n{}\n{}",
            step.id,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        ran.push(step.id.clone());
    }
    assert_eq!(ran, ["lint", "test", "diff"]);
    let review = std::fs::read_to_string(tmp.path().join("diff.md")).unwrap();
    assert!(review.starts_with("<!-- slate:diff -->"), "{review}");
    let calls = std::fs::read_to_string(&calls).unwrap();
    let calls: Vec<&str> = calls.lines().collect();
    // No earlier comment found: a new one is posted with the review as its body.
    assert_eq!(calls.len(), 2, "{calls:?}");
    assert!(calls[0].starts_with("api repos/acme/support-policies/issues/7/comments --paginate"));
    assert!(calls[1].starts_with("api repos/acme/support-policies/issues/7/comments -F body=@"));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("slate.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let junit = std::fs::read_to_string(tmp.path().join("junit.xml")).unwrap();
    roxmltree::Document::parse(&junit).unwrap();
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.contains("## Slate policy lint"));
    assert!(summary.contains("## Slate policy review"));
}

#[test]
fn pre_commit_hooks_run() {
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Vec<Hook> = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(
        hooks.iter().map(|h| h.id.as_str()).collect::<Vec<_>>(),
        ["slate-lint", "slate-test"]
    );
    for hook in hooks {
        assert_eq!(hook.language, "system");
        let output = Command::new("bash")
            .args(["-c", &hook.entry])
            .current_dir(repo_root())
            .env("PATH", path_with_slate())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "hook `{}` failed:\n{}",
            hook.id,
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

/// The review step updates Slate's earlier comment instead of adding one.
#[test]
fn action_review_updates_its_comment_in_place() {
    let (action, mut inputs) = action();
    let step = action.runs.steps.iter().find(|s| s.id == "diff").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("diff.md");
    inputs.insert("diff-base".into(), "HEAD".into());
    inputs.insert("diff-out".into(), out.display().to_string());
    inputs.insert("diff-comment".into(), "true".into());
    // An earlier comment with the marker exists: its id is 42.
    let (fake, calls) = fake_gh(tmp.path(), "case \"$*\" in *--paginate*) echo 42;; esac\n");
    let output = run_step(step, &inputs, &fake, &tmp.path().join("summary.md"));
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let calls = std::fs::read_to_string(&calls).unwrap();
    let last = calls.lines().last().unwrap();
    assert!(
        last.starts_with("api -X PATCH repos/acme/support-policies/issues/comments/42 -F body=@"),
        "{calls}"
    );
}

/// `deny-warnings: true` fails the lint step on a warning; the default
/// passes it (errors fail both).
#[test]
fn action_deny_warnings_fails_the_gate_on_warnings() {
    let (action, mut inputs) = action();
    let step = action.runs.steps.iter().find(|s| s.id == "lint").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let policies = tmp.path().join("policies");
    crate::support::copy_policies(&policies);
    // A calendar nothing counts in: `unused-calendar`, a warning.
    let spare = std::fs::read_to_string(policies.join("calendar-around-the-clock.yaml"))
        .unwrap()
        .replace("name: around-the-clock", "name: spare");
    std::fs::write(policies.join("calendar-spare.yaml"), spare).unwrap();
    inputs.insert("policies".into(), policies.display().to_string());
    inputs.insert(
        "sarif".into(),
        tmp.path().join("slate.sarif").display().to_string(),
    );
    let summary = tmp.path().join("summary.md");
    let (fake, _) = fake_gh(tmp.path(), "");
    let output = run_step(step, &inputs, &fake, &summary);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("calendar `spare` is not used"), "{stdout}");
    inputs.insert("deny-warnings".into(), "true".into());
    let output = run_step(step, &inputs, &fake, &summary);
    assert_eq!(output.status.code(), Some(1), "{stdout}");
    inputs.insert("deny-warnings".into(), "yes".into());
    let output = run_step(step, &inputs, &fake, &summary);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("deny-warnings must be true or false")
    );
}
