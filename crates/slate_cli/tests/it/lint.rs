//! The lint rules: registry self-tests, every rule's bad and good fixture
//! through the CLI, SARIF validity, configuration and suppressions.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;
use slate_lint::registry::RULES;

use crate::support::{git, json, repo_root, slate, slate_in};

const TODAY: &str = "2026-11-24";

#[derive(Deserialize)]
struct Patch {
    file: String,
    replace: String,
    with: String,
}

#[derive(Deserialize)]
struct Fixture {
    rule: String,
    bad: Vec<Patch>,
    #[serde(default)]
    good: Vec<Patch>,
    #[serde(default)]
    bad_base: Option<Vec<Patch>>,
    #[serde(default)]
    good_base: Option<Vec<Patch>>,
    #[serde(default)]
    add_bad: std::collections::BTreeMap<String, String>,
}

fn fixture(rule: &str) -> Fixture {
    let path = repo_root().join(format!("tests/lint/{rule}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Writes the base policy set with `patches` applied into `dir`.
fn materialize(dir: &Path, patches: &[Patch], add: &std::collections::BTreeMap<String, String>) {
    std::fs::create_dir_all(dir).unwrap();
    let base = repo_root().join("tests/lint/base");
    for entry in std::fs::read_dir(&base).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut text = std::fs::read_to_string(&path).unwrap();
        for patch in patches.iter().filter(|p| p.file == name) {
            assert_eq!(
                text.matches(&patch.replace).count(),
                1,
                "patch of {name} must match exactly once: {:?}",
                patch.replace
            );
            text = text.replacen(&patch.replace, &patch.with, 1);
        }
        std::fs::write(dir.join(&name), text).unwrap();
    }
    for patch in patches {
        assert!(
            base.join(&patch.file).exists(),
            "patch names a missing file {}",
            patch.file
        );
    }
    for (name, text) in add {
        std::fs::write(dir.join(name), text).unwrap();
    }
}

/// Runs `slate lint` on a patched set (with a base revision in a temporary
/// git repository when the fixture has one). Returns exit code and codes.
fn run(
    patches: &[Patch],
    base: Option<&[Patch]>,
    add: &std::collections::BTreeMap<String, String>,
    sarif: Option<&Path>,
) -> (i32, Vec<String>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let policies = tmp.path().join("policies");
    let mut args: Vec<String> = vec![
        "lint".into(),
        "policies".into(),
        "--format".into(),
        "json".into(),
        "--deny".into(),
        "warnings".into(),
        "--today".into(),
        TODAY.into(),
    ];
    if let Some(base) = base {
        git(tmp.path(), &["init", "-q"]);
        materialize(&policies, base, &Default::default());
        git(tmp.path(), &["add", "-A"]);
        git(tmp.path(), &["commit", "-q", "-m", "base"]);
        std::fs::remove_dir_all(&policies).unwrap();
        args.extend(["--base".into(), "HEAD".into()]);
    }
    materialize(&policies, patches, add);
    if let Some(path) = sarif {
        args.extend(["--format".into(), format!("sarif={}", path.display())]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    codes_of(&slate_in(tmp.path(), &args))
}

/// Exit code, diagnostic codes and output of a `--format json` lint run.
fn codes_of(run: &crate::support::Run) -> (i32, Vec<String>, String) {
    let codes = json(run)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_owned())
        .collect();
    (run.code, codes, run.stdout.clone())
}

#[test]
fn registry_is_sorted_unique_documented_and_has_fixtures() {
    assert!(RULES.len() >= 25, "{} rules", RULES.len());
    let names: Vec<&str> = RULES.iter().map(|r| r.name).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(names, sorted, "the registry must be sorted and unique");
    for rule in RULES {
        assert!(!rule.summary.is_empty(), "{}: no summary", rule.name);
        for section in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
        ] {
            assert!(
                rule.doc.contains(section),
                "{}: doc lacks `{section}`",
                rule.name
            );
        }
        assert_eq!(fixture(rule.name).rule, rule.name);
        let file = format!(
            "crates/slate_lint/src/rules/{}.rs",
            rule.name.replace('-', "_")
        );
        assert!(
            repo_root().join(&file).exists(),
            "{}: no rule file {file}",
            rule.name
        );
    }
}

#[test]
fn the_fixture_base_lints_clean() {
    let (code, codes, out) = run(&[], None, &Default::default(), None);
    assert_eq!(code, 0, "{codes:?}\n{out}");
}

#[test]
fn every_bad_fixture_fires_and_every_good_fixture_is_silent() {
    // The published schema has one pattern that is not a valid regular
    // expression (`run.language`, a property Slate never writes); it is
    // corrected before compiling, everything else is used as published.
    let text = std::fs::read_to_string(repo_root().join("tests/data/sarif-schema-2.1.0.json"))
        .unwrap()
        .replace(
            "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$",
            "^[a-zA-Z]{2}$|^[a-zA-Z]{2}-[a-zA-Z]{2}$",
        );
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    for rule in RULES {
        let f = fixture(rule.name);
        let code = rule.code();
        let sarif_dir = tempfile::tempdir().unwrap();
        let sarif_path: PathBuf = sarif_dir.path().join("out.sarif");
        let (exit, codes, out) = run(&f.bad, f.bad_base.as_deref(), &f.add_bad, Some(&sarif_path));
        assert_eq!(exit, 1, "{code}: bad fixture must exit 1\n{out}");
        assert!(
            codes.contains(&code),
            "{code}: bad fixture does not fire; found {codes:?}"
        );
        let sarif: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{code}: SARIF does not validate: {errors:#?}"
        );
        let ids: Vec<&str> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["ruleId"].as_str().unwrap())
            .collect();
        assert!(
            ids.contains(&code.as_str()),
            "{code}: missing from SARIF results"
        );

        let (exit, codes, out) = run(&f.good, f.good_base.as_deref(), &Default::default(), None);
        assert!(!codes.contains(&code), "{code}: good fixture fires\n{out}");
        assert_eq!(
            exit, 0,
            "{code}: good fixture must lint clean, found {codes:?}"
        );
    }
}

#[test]
fn shipped_policies_lint_clean() {
    let run = slate(&["lint", "--deny", "warnings", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.starts_with("ok: 8 policies"), "{}", run.stdout);
}

#[test]
fn several_formats_in_one_run_and_github_output() {
    let tmp = tempfile::tempdir().unwrap();
    let policies = tmp.path().join("policies");
    let f = fixture("escalation-cycle");
    materialize(&policies, &f.bad, &Default::default());
    let summary = tmp.path().join("summary.md");
    let out = Command::new(env!("CARGO_BIN_EXE_slate"))
        .args([
            "lint",
            "policies",
            "--today",
            TODAY,
            "--format",
            "sarif=out.sarif",
            "--format",
            "github",
            "--format",
            "json=out.json",
        ])
        .current_dir(tmp.path())
        .env("NO_COLOR", "1")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::error file=policies/escalation-matrix.yaml,line=")
            && stdout.contains("title=lint%3A%3Aescalation-cycle::escalation cycle: L2 → L3 → L2"),
        "{stdout}"
    );
    assert!(tmp.path().join("out.sarif").exists());
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(tmp.path().join("out.json")).unwrap())
            .unwrap();
    assert!(json["summary"]["errors"].as_u64().unwrap() >= 1);
    let markdown = std::fs::read_to_string(&summary).unwrap();
    assert!(markdown.starts_with("## Slate policy lint"), "{markdown}");
    assert!(markdown.contains("`lint::escalation-cycle`"), "{markdown}");
}

#[test]
fn findings_name_related_locations_and_help() {
    let tmp = tempfile::tempdir().unwrap();
    let f = fixture("escalation-cycle");
    materialize(&tmp.path().join("policies"), &f.bad, &Default::default());
    let run = slate_in(tmp.path(), &["lint", "policies", "--today", TODAY]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn configuration_sets_severities_and_excludes() {
    let tmp = tempfile::tempdir().unwrap();
    let policies = tmp.path().join("policies");
    let f = fixture("level-without-backup");
    materialize(&policies, &f.bad, &Default::default());
    // Warning by default: exit 0 without --deny.
    let run = slate_in(tmp.path(), &["lint", "policies", "--today", TODAY]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("lint::level-without-backup"));
    std::fs::write(
        policies.join("slate.toml"),
        "[lint.rules]\nlevel-without-backup = \"error\"\n",
    )
    .unwrap();
    let run = slate_in(tmp.path(), &["lint", "policies", "--today", TODAY]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    std::fs::write(
        policies.join("slate.toml"),
        "[lint.rules]\nlevel-without-backup = \"off\"\n",
    )
    .unwrap();
    let run = slate_in(
        tmp.path(),
        &["lint", "policies", "--today", TODAY, "--deny", "warnings"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    std::fs::write(
        policies.join("slate.toml"),
        "[lint]\nexclude = [\"support-tiers.yaml\"]\n",
    )
    .unwrap();
    let run = slate_in(
        tmp.path(),
        &["lint", "policies", "--today", TODAY, "--deny", "warnings"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    std::fs::write(
        policies.join("slate.toml"),
        "[lint.rules]\nlevel-without-bakup = \"off\"\n",
    )
    .unwrap();
    let run = slate_in(tmp.path(), &["lint", "policies", "--today", TODAY]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `level-without-backup`?"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("slate.toml:2:"), "{}", run.stderr);
}

#[test]
fn explain_prints_rule_docs() {
    let run = slate(&["explain", "lint::escalation-cycle"]);
    assert_eq!(run.code, 0);
    let page = std::fs::read_to_string(repo_root().join("docs/rules/escalation-cycle.md")).unwrap();
    assert_eq!(run.stdout, page);
    let run = slate(&["explain", "escalation-cycle"]);
    assert_eq!(run.stdout, page);
    let run = slate(&["explain", "parse::duplicate-key"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("duplicate"));
    let run = slate(&["explain", "lint::escalation-cycel"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("did you mean `lint::escalation-cycle`?"),
        "{}",
        run.stderr
    );
    let run = slate(&["explain", "--list"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.lines().count() > RULES.len());
}

#[test]
fn invalid_policies_are_reported_by_lint_too() {
    let run = slate(&[
        "lint",
        "tests/corpus/duplicate-key.yaml",
        "--format",
        "sarif",
    ]);
    assert_eq!(run.code, 1);
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["ruleId"],
        "parse::duplicate-key"
    );
}

/// The base revision of `tests/lint/base/` committed in a temporary
/// repository, with the working tree left for the test to change.
fn based_repository() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let policies = tmp.path().join("policies");
    git(tmp.path(), &["init", "-q"]);
    materialize(&policies, &[], &Default::default());
    git(tmp.path(), &["add", "-A"]);
    git(tmp.path(), &["commit", "-q", "-m", "base"]);
    (tmp, policies)
}

fn lint_codes(dir: &Path) -> (i32, Vec<String>, String) {
    let run = slate_in(
        dir,
        &[
            "lint", "policies", "--base", "HEAD", "--format", "json", "--deny", "warnings",
            "--today", TODAY,
        ],
    );
    codes_of(&run)
}

#[test]
fn deleting_a_policy_fails_the_gate() {
    // The whole SLA file: the set is incomplete, and the base had it.
    let (tmp, policies) = based_repository();
    std::fs::remove_file(policies.join("sla.yaml")).unwrap();
    let (code, codes, out) = lint_codes(tmp.path());
    assert_eq!(code, 1, "{out}");
    assert!(codes.contains(&"check::missing-policy".to_owned()), "{out}");
    assert!(out.contains("no `SlaPolicy` policy"), "{out}");
    // `check` alone says so too.
    let run = slate_in(tmp.path(), &["check", "policies"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stdout.contains("check::missing-policy"),
        "{}",
        run.stdout
    );

    // A calendar nothing refers to: valid without it, but gone since the base.
    let (tmp, policies) = based_repository();
    let spare = std::fs::read_to_string(policies.join("calendar-around-the-clock.yaml"))
        .unwrap()
        .replace("name: around-the-clock", "name: weekend-cover");
    std::fs::write(policies.join("calendar-weekend.yaml"), spare).unwrap();
    git(tmp.path(), &["add", "-A"]);
    git(tmp.path(), &["commit", "-q", "-m", "spare calendar"]);
    std::fs::remove_file(policies.join("calendar-weekend.yaml")).unwrap();
    let (code, codes, out) = lint_codes(tmp.path());
    assert_eq!(code, 1, "{out}");
    assert_eq!(codes, vec!["lint::policy-removed".to_owned()], "{out}");
    assert!(
        out.contains("`Calendar` `weekend-cover` (version 1) was removed"),
        "{out}"
    );
}

#[test]
fn a_second_version_next_to_the_first_is_not_a_lowered_version() {
    // Merged: sla.yaml (v1) and sla-v2.yaml (v2). The next pull request
    // touches neither and must pass; editing v1 in place must not.
    let (tmp, policies) = based_repository();
    let v2 = std::fs::read_to_string(policies.join("sla.yaml"))
        .unwrap()
        .replace(
            "  version: 1\n  effective_from: 2026-09-01",
            "  version: 2\n  effective_from: 2026-12-01",
        );
    std::fs::write(policies.join("sla-v2.yaml"), v2).unwrap();
    git(tmp.path(), &["add", "-A"]);
    git(tmp.path(), &["commit", "-q", "-m", "sla v2"]);
    let (code, codes, out) = lint_codes(tmp.path());
    assert_eq!((code, codes.len()), (0, 0), "{out}");
    let v1 = std::fs::read_to_string(policies.join("sla.yaml"))
        .unwrap()
        .replace("  warnings: [50, 75, 90]", "  warnings: [50, 80, 90]");
    std::fs::write(policies.join("sla.yaml"), v1).unwrap();
    let (code, codes, out) = lint_codes(tmp.path());
    assert_eq!(code, 1, "{out}");
    assert_eq!(codes, vec!["lint::version-not-bumped".to_owned()], "{out}");
}

#[test]
fn durations_are_compared_by_value() {
    // `1h` written as `60m`: the same target, so no version bump is needed.
    let (tmp, policies) = based_repository();
    let text = std::fs::read_to_string(policies.join("sla.yaml")).unwrap();
    assert!(text.contains("periodic_update: 1h, resolution: 4h"));
    std::fs::write(
        policies.join("sla.yaml"),
        text.replacen(
            "periodic_update: 1h, resolution: 4h",
            "periodic_update: 60m, resolution: 240m",
            1,
        ),
    )
    .unwrap();
    let (code, codes, out) = lint_codes(tmp.path());
    assert_eq!((code, codes.len()), (0, 0), "{out}");
}

#[test]
fn every_sla_gap_is_reported_in_one_run_even_behind_the_default() {
    let patch = |replace: &str, with: &str| Patch {
        file: "sla.yaml".into(),
        replace: replace.into(),
        with: with.into(),
    };
    // Critical × smb dropped from its entry, low × enterprise narrowed to
    // VIPs: both cells fall to the 8h/45h default, which hid them before.
    let patches = [
        patch(
            "      priority: critical\n      segments: [mid-market, smb]\n",
            "      priority: critical\n      segments: [mid-market]\n",
        ),
        patch(
            "      priority: low\n      segments: [enterprise]\n",
            "      priority: low\n      segments: [enterprise]\n      when: {vip: true}\n",
        ),
    ];
    let (code, codes, out) = run(&patches, None, &Default::default(), None);
    assert_eq!(code, 1, "{out}");
    let gaps = codes.iter().filter(|c| *c == "lint::sla-no-target").count();
    assert_eq!(gaps, 2, "{out}");
    assert!(out.contains("critical × smb: a ticket with priority=critical, segment=smb matches no entry and silently gets the default's targets"), "{out}");
    assert!(
        out.contains("low × enterprise: a ticket with priority=low, segment=enterprise, vip=false"),
        "{out}"
    );
}

#[test]
fn one_policy_file_linted_on_its_own_has_no_false_findings() {
    // Without the classification the entries' priorities cannot be told
    // apart; the rules that need them stay silent rather than call every
    // entry shadowed.
    for file in ["policies/sla.yaml", "policies/escalation-matrix.yaml"] {
        let run = slate(&["lint", file, "--deny", "warnings", "--today", TODAY]);
        assert_eq!(run.code, 0, "{file}: {}", run.transcript());
        assert!(!run.stdout.contains("shadowed-rule"), "{}", run.stdout);
    }
}

#[test]
fn the_domain_rules_look_at_every_version_in_its_own_file() {
    // sla.yaml (v1, in force) next to sla-v2.yaml (v2, from December): an
    // unsafe edit to v1 is found in v1's file, not hidden behind v2.
    let (tmp, policies) = based_repository();
    let v1 = std::fs::read_to_string(policies.join("sla.yaml")).unwrap();
    let v2 = v1.replace(
        "  version: 1\n  effective_from: 2026-09-01",
        "  version: 2\n  effective_from: 2026-12-01",
    );
    std::fs::write(policies.join("sla-v2.yaml"), v2).unwrap();
    let v1 = v1.replace(
        "      priority: critical\n      segments: [mid-market, smb]\n",
        "      priority: critical\n      segments: [mid-market]\n",
    );
    std::fs::write(policies.join("sla.yaml"), v1).unwrap();
    let run = slate_in(
        tmp.path(),
        &["lint", "policies", "--format", "json", "--today", TODAY],
    );
    let report = json(&run);
    let found: Vec<(String, String)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["location"]["file"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(run.code, 1, "{}", run.stdout);
    // The gap, and the default's looser targets inverting against high.
    assert!(
        found.iter().all(|(_, file)| file == "policies/sla.yaml"),
        "{}",
        run.stdout
    );
    assert!(
        found.contains(&(
            "lint::sla-no-target".to_owned(),
            "policies/sla.yaml".to_owned()
        )),
        "{}",
        run.stdout
    );
    assert!(
        found
            .iter()
            .any(|(code, _)| code == "lint::priority-inversion"),
        "{}",
        run.stdout
    );
}

#[test]
fn inversions_are_judged_on_effective_targets() {
    let patch = |replace: &str, with: &str| Patch {
        file: "sla.yaml".into(),
        replace: replace.into(),
        with: with.into(),
    };
    // Critical × smb narrowed to VIPs: a non-VIP critical smb ticket falls to
    // the 8h default, looser than the 2h it gets as high.
    let patches = [patch(
        "      priority: critical\n      segments: [mid-market, smb]\n",
        "      priority: critical\n      segments: [mid-market, smb]\n      when: {vip: true}\n",
    )];
    let (code, codes, out) = run(&patches, None, &Default::default(), None);
    assert_eq!(code, 1, "{out}");
    assert!(
        codes.contains(&"lint::priority-inversion".to_owned()),
        "{out}"
    );
    assert!(
        out.contains("a `critical` ticket with segment=mid-market, vip=false gets first_response target 8h from `default`, looser than the 2h it gets as `high` from `high-smaller-accounts`"),
        "{out}"
    );
}

#[test]
fn a_large_classification_is_decided_in_full() {
    // 150 generated rules that overlap and shadow each other: every
    // question the rules ask is answered (none left to the budget), and the
    // review lists what changed.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("policies");
    crate::large::write(&repo_root(), &dir, 150);
    let dir_arg = dir.to_str().unwrap();
    let run = slate(&["lint", dir_arg, "--format", "json", "--today", TODAY]);
    let (code, codes, out) = codes_of(&run);
    assert_eq!(code, 1, "{out}");
    assert!(codes.contains(&"lint::shadowed-rule".to_owned()), "{out}");
    assert!(!out.contains("could not decide"), "{out}");
    let run = slate(&["diff", "policies", dir_arg, "--format", "json"]);
    assert!(run.code <= 1, "{}", run.transcript());
    assert!(run.stdout.contains("generated-000"), "{}", run.transcript());
}

#[test]
fn an_exhausted_solver_budget_is_a_located_finding_never_a_pass() {
    let run = slate(&[
        "lint",
        "--solver-budget",
        "2000",
        "--format",
        "json",
        "--today",
        TODAY,
    ]);
    let report = json(&run);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let undecided: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["message"]
                .as_str()
                .unwrap()
                .starts_with("could not decide within the solver's budget whether")
        })
        .collect();
    assert!(!undecided.is_empty(), "{}", run.stdout);
    for d in &undecided {
        assert!(d["code"].as_str().unwrap().starts_with("lint::"), "{d}");
        assert!(
            d["location"]["file"]
                .as_str()
                .unwrap()
                .starts_with("policies/"),
            "{d}"
        );
        assert!(d["location"]["line"].as_u64().unwrap() > 0, "{d}");
    }
    // The gap rule is among them: an undecided coverage question fails the gate.
    assert!(
        undecided
            .iter()
            .any(|d| d["code"] == "lint::sla-no-target" && d["severity"] == "error"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_change_to_the_gates_own_configuration_is_reported_in_every_format() {
    let (tmp, policies) = based_repository();
    // The pull request switches off the gap rule, and the rule that would
    // report that, and excludes the SLA file.
    std::fs::write(
        policies.join("slate.toml"),
        "[lint]\nexclude = [\"sla.yaml\"]\n\n[lint.rules]\nsla-no-target = \"off\"\ngate-weakened = \"off\"\nunused-team = \"info\"\n",
    )
    .unwrap();
    let sarif = tmp.path().join("out.sarif");
    let sarif_arg = format!("sarif={}", sarif.display());
    let run = slate_in(
        tmp.path(),
        &[
            "lint", "policies", "--base", "HEAD", "--format", "human", "--format", &sarif_arg,
            "--today", TODAY,
        ],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let human = &run.stdout;
    for expected in [
        "this change switches `lint::sla-no-target` off (it was error)",
        "this change switches `lint::gate-weakened` off (it was error)",
        "this change lowers `lint::unused-team` from warning to info",
        "this change excludes `sla.yaml` from lint",
        "rules off: gate-weakened, sla-no-target",
        "policies/slate.toml",
    ] {
        assert!(human.contains(expected), "{expected}\n{human}");
    }
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let overrides = &sarif["runs"][0]["invocations"][0]["ruleConfigurationOverrides"];
    let off: Vec<&str> = overrides
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["descriptor"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(off, ["lint::gate-weakened", "lint::sla-no-target"]);
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert_eq!(
        results
            .iter()
            .filter(|r| r["ruleId"] == "lint::gate-weakened")
            .count(),
        4
    );
    let run = slate_in(
        tmp.path(),
        &[
            "lint", "policies", "--base", "HEAD", "--format", "json", "--today", TODAY,
        ],
    );
    let report = json(&run);
    assert_eq!(
        report["summary"]["rules_off"],
        serde_json::json!(["gate-weakened", "sla-no-target"])
    );
    // Committed, the configuration is the base's: the next change is judged
    // by it and reported only for what it changes itself.
    git(tmp.path(), &["add", "-A"]);
    git(tmp.path(), &["commit", "-q", "-m", "configuration"]);
    let (code, codes, out) = lint_codes(tmp.path());
    assert_eq!((code, codes.len()), (0, 0), "{out}");
}

#[test]
fn a_suppression_added_by_the_change_is_reported() {
    let (tmp, policies) = based_repository();
    let path = policies.join("classification.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replacen(
        "    - id: recorded-high\n",
        "    # slate-allow: shadowed-rule reason=\"reviewed\"\n    - id: recorded-high\n",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let (code, codes, out) = lint_codes(tmp.path());
    assert_eq!(code, 1, "{out}");
    assert!(
        codes.contains(&"lint::suppression-added".to_owned()),
        "{out}"
    );
    assert!(
        out.contains("this change adds a suppression of `lint::shadowed-rule`: \\\"reviewed\\\""),
        "{out}"
    );
    // Without --deny warnings it is shown, and the gate passes.
    let run = slate_in(
        tmp.path(),
        &["lint", "policies", "--base", "HEAD", "--today", TODAY],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("suppression-added"), "{}", run.stdout);
}

#[test]
fn critical_routes_are_each_checked_entry_rules_by_priority_and_triggers_too() {
    let patch = |file: &str, replace: &str, with: &str| Patch {
        file: file.into(),
        replace: replace.into(),
        with: with.into(),
    };
    // An entry rule for medium and low tickets to an office-hours level is
    // no critical route.
    let entry_for_calm = patch(
        "escalation-matrix.yaml",
        "  entry:\n",
        "  entry:\n    - id: calm-to-l2\n      when: {priority: [medium, low]}\n      level: L2\n",
    );
    let (_, codes, out) = run(&[entry_for_calm], None, &Default::default(), None);
    assert!(
        !codes.contains(&"lint::critical-not-24x7".to_owned()),
        "{out}"
    );
    // The same for critical tickets is.
    let entry_for_critical = patch(
        "escalation-matrix.yaml",
        "  entry:\n",
        "  entry:\n    - id: critical-to-l2\n      when: {all: [{priority: critical}, {tags: [api]}]}\n      level: L2\n",
    );
    let (code, codes, out) = run(&[entry_for_critical], None, &Default::default(), None);
    assert_eq!(code, 1, "{out}");
    assert!(
        codes.contains(&"lint::critical-not-24x7".to_owned()),
        "{out}"
    );
    assert!(
        out.contains("entry rule `critical-to-l2` sends `critical` issues to `technical-support`"),
        "{out}"
    );
    // A trigger that sends critical tickets to a team: leadership without its
    // around-the-clock calendar and rota.
    let leadership_office_hours = [
        patch(
            "support-tiers.yaml",
            "          calendar: around-the-clock\n          owner: {name: Robert Chen",
            "          calendar: business-hours\n          owner: {name: Robert Chen",
        ),
        patch(
            "support-tiers.yaml",
            "pager: leadership-bridge}\n          on_call: true\n",
            "pager: leadership-bridge}\n",
        ),
    ];
    let (code, codes, out) = run(&leadership_office_hours, None, &Default::default(), None);
    assert_eq!(code, 1, "{out}");
    assert!(
        codes.contains(&"lint::critical-not-24x7".to_owned()),
        "{out}"
    );
    assert!(
        out.contains("trigger `system-wide-instant` sends `critical` issues to `leadership`"),
        "{out}"
    );
    // A second critical route to frontline is reported on its own, though
    // the shipped one (recorded-critical) is suppressed.
    let second_route = patch(
        "classification.yaml",
        "    - id: recorded-high\n",
        "    - id: vip-critical\n      when: {all: [{vip: true}, {priority: critical}]}\n      priority: critical\n      action: {route_to: frontline}\n    - id: recorded-high\n",
    );
    let (code, codes, out) = run(&[second_route], None, &Default::default(), None);
    assert_eq!(code, 1, "{out}");
    assert!(
        codes.contains(&"lint::critical-not-24x7".to_owned()),
        "{out}"
    );
    assert!(
        out.contains("rule `vip-critical` sends `critical` issues to `frontline`"),
        "{out}"
    );
}

#[test]
fn dead_rules_and_triggers_and_overlapping_keyword_triggers_are_found() {
    let patch = |file: &str, replace: &str, with: &str| Patch {
        file: file.into(),
        replace: replace.into(),
        with: with.into(),
    };
    // The first rule can never match: a tag and its negation.
    let impossible_first = patch(
        "classification.yaml",
        "    - id: system-wide-outage\n      description: \"Critical: system-wide outage affecting all users.\"\n      when:\n",
        "    - id: never\n      when: {all: [{tags: [x]}, {not: {tags: [x]}}]}\n      priority: low\n      action: {route_to: frontline}\n    - id: system-wide-outage\n      description: \"Critical: system-wide outage affecting all users.\"\n      when:\n",
    );
    let (code, _, out) = run(&[impossible_first], None, &Default::default(), None);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "classification rule `never` can never match: its condition holds for no ticket"
        ),
        "{out}"
    );
    // A sentiment trigger below the scale.
    let below_scale = patch(
        "escalation-matrix.yaml",
        "      on: {sentiment_below: -0.5}\n",
        "      on: {sentiment_below: -1}\n",
    );
    let (code, _, out) = run(&[below_scale], None, &Default::default(), None);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("trigger `negative-sentiment` can never fire: sentiment is never below -1"),
        "{out}"
    );
    // A keyword trigger sharing `legal` with high-risk-keywords, to another level.
    let overlapping = patch(
        "escalation-matrix.yaml",
        "    - id: negative-sentiment\n",
        "    - id: legal-to-l4\n      on: {keywords: [lawsuit, legal]}\n      at_levels: [L1]\n      escalate: {to: L4, kind: hierarchical}\n    - id: negative-sentiment\n",
    );
    let (code, codes, out) = run(&[overlapping], None, &Default::default(), None);
    assert_eq!(code, 1, "{out}");
    assert!(
        codes.contains(&"lint::conflicting-triggers".to_owned()),
        "{out}"
    );
}

#[derive(Deserialize)]
struct Theme {
    theme: String,
    code: String,
    patches: Vec<Patch>,
    #[serde(default)]
    add: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    remove: Vec<String>,
}

#[derive(Deserialize)]
struct Themes {
    themes: Vec<Theme>,
}

#[derive(Deserialize)]
struct Copy {
    from: String,
    to: String,
    replace: String,
    with: String,
}

#[derive(Deserialize)]
struct Harmless {
    change: String,
    #[serde(default)]
    patches: Vec<Patch>,
    #[serde(default)]
    add_copy: Option<Copy>,
}

#[derive(Deserialize)]
struct HarmlessChanges {
    changes: Vec<Harmless>,
}

/// The base committed in a temporary repository; the head is the base with
/// `patches`, `add` and `remove` applied in the working tree. Linted as the
/// action does, `--base HEAD`, with `--deny warnings`.
fn gate(
    patches: &[Patch],
    add: &std::collections::BTreeMap<String, String>,
    remove: &[String],
) -> (i32, Vec<String>, String) {
    let (tmp, policies) = based_repository();
    std::fs::remove_dir_all(&policies).unwrap();
    materialize(&policies, patches, add);
    for file in remove {
        std::fs::remove_file(policies.join(file)).unwrap();
    }
    lint_codes(tmp.path())
}

#[test]
fn every_unsafe_theme_fails_the_gate_with_the_rule_that_names_it() {
    let text = std::fs::read_to_string(repo_root().join("tests/lint/themes.yaml")).unwrap();
    let themes: Themes = serde_saphyr::from_str(&text).unwrap();
    assert!(themes.themes.len() >= 30);
    for t in &themes.themes {
        let (code, codes, out) = gate(&t.patches, &t.add, &t.remove);
        assert_eq!(code, 1, "{}: the gate passed\n{out}", t.theme);
        assert!(
            codes.contains(&t.code),
            "{}: `{}` not among {codes:?}\n{out}",
            t.theme,
            t.code
        );
        // An error by default fails the shipped action without deny-warnings.
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        let severity = report["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == t.code.as_str())
            .map(|d| d["severity"].as_str().unwrap().to_owned())
            .unwrap();
        let hygiene = ["lint::level-without-backup"];
        assert_eq!(
            severity == "error",
            !hygiene.contains(&t.code.as_str()),
            "{}: `{}` is {severity}",
            t.theme,
            t.code
        );
    }
}

#[test]
fn harmless_changes_pass_the_gate() {
    let text = std::fs::read_to_string(repo_root().join("tests/lint/harmless.yaml")).unwrap();
    let changes: HarmlessChanges = serde_saphyr::from_str(&text).unwrap();
    for c in &changes.changes {
        let mut add = std::collections::BTreeMap::new();
        if let Some(copy) = &c.add_copy {
            let text =
                std::fs::read_to_string(repo_root().join("tests/lint/base").join(&copy.from))
                    .unwrap();
            assert!(text.contains(&copy.replace), "{}", c.change);
            add.insert(copy.to.clone(), text.replacen(&copy.replace, &copy.with, 1));
        }
        let (code, codes, out) = gate(&c.patches, &add, &[]);
        assert_eq!(
            (code, codes.len()),
            (0, 0),
            "{}: {codes:?}\n{out}",
            c.change
        );
    }
}
