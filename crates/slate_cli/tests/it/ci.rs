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

/// Replaces `${{ inputs.x }}` with the input's value.
fn expand(text: &str, inputs: &BTreeMap<String, String>) -> String {
    let mut out = text.to_owned();
    for (name, value) in inputs {
        out = out.replace(&format!("${{{{ inputs.{name} }}}}"), value);
    }
    out
}

#[test]
fn action_steps_run_lint_and_scenarios() {
    let text = std::fs::read_to_string(repo_root().join("action.yml")).unwrap();
    let action: Action = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(action.runs.using, "composite");
    let tmp = tempfile::tempdir().unwrap();
    let mut inputs: BTreeMap<String, String> = action
        .inputs
        .iter()
        .map(|(k, v)| (k.clone(), v.default.clone()))
        .collect();
    inputs.insert(
        "sarif".into(),
        tmp.path().join("slate.sarif").display().to_string(),
    );
    inputs.insert(
        "junit".into(),
        tmp.path().join("junit.xml").display().to_string(),
    );
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
        let script = step.run.as_deref().unwrap();
        let mut command = Command::new("bash");
        command
            .args(["-eo", "pipefail", "-c", script])
            .current_dir(repo_root());
        command
            .env("PATH", path_with_slate())
            .env("NO_COLOR", "1")
            .env("GITHUB_STEP_SUMMARY", &summary);
        for (key, value) in &step.env {
            command.env(key, expand(value, &inputs));
        }
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "step `{}` failed:\n{}\n{}",
            step.id,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        ran.push(step.id.clone());
    }
    assert_eq!(ran, ["lint", "test"]);
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("slate.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let junit = std::fs::read_to_string(tmp.path().join("junit.xml")).unwrap();
    roxmltree::Document::parse(&junit).unwrap();
    assert!(
        std::fs::read_to_string(&summary)
            .unwrap()
            .contains("## Slate policy lint")
    );
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
