//! `slate diff`: two revisions in a temporary git repository, one kind of
//! change per commit, each review snapshotted; a pure reformat shows no
//! change; versioning findings; impact counts agree with `slate simulate`.

use std::path::Path;

use crate::support::{git, repo_root, slate_in};

/// Replaces `from` by `to` in `policies/FILE`, which must contain it.
fn edit(repo: &Path, file: &str, from: &str, to: &str) {
    let path = repo.join("policies").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Bumps a policy's version 1 → `to` with a later `effective_from`.
fn bump(repo: &Path, file: &str, to: u32) {
    let path = repo.join("policies").join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let from = format!("version: {}", to - 1);
    assert!(text.contains(&from), "{file} is not at version {}", to - 1);
    let text = text.replacen(&from, &format!("version: {to}"), 1).replacen(
        "effective_from: 2026-09-01",
        "effective_from: 2026-12-01",
        1,
    );
    std::fs::write(&path, text).unwrap();
}

fn commit(repo: &Path, tag: &str) {
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "--allow-empty", "-m", tag]);
    git(repo, &["tag", tag]);
}

/// A repository whose first commit holds the shipped policies.
fn repository() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let policies = tmp.path().join("policies");
    crate::support::copy_policies(&policies);
    git(tmp.path(), &["init", "-q"]);
    commit(tmp.path(), "base");
    tmp
}

fn review(repo: &Path, base: &str, head: &str) -> crate::support::Run {
    slate_in(repo, &["diff", base, head])
}

/// One kind of change: a name, the file, the text replaced and its
/// replacement, and the version the policy moves to.
type Step = (&'static str, &'static str, &'static str, &'static str, u32);

const STEPS: [Step; 7] = [
    (
        "sla-target",
        "sla.yaml",
        "segments: [enterprise]\n      targets: {first_response: 30m, next_response: 2h",
        "segments: [enterprise]\n      targets: {first_response: 1h, next_response: 2h",
        2,
    ),
    (
        "trigger",
        "escalation-matrix.yaml",
        "on: {inactivity: 30m}",
        "on: {inactivity: 15m}",
        2,
    ),
    (
        "refund-authority",
        "refund-authority.yaml",
        "100.00 USD",
        "250.00 USD",
        2,
    ),
    (
        "rule-condition",
        "classification.yaml",
        "- keywords: [outage, system down, all users, site down]",
        "- keywords: [outage, system down, all users, site down]\n          - channel: chat",
        2,
    ),
    (
        "new-level",
        "escalation-matrix.yaml",
        "      response: {target: 0m, max: 30m}\n      notify_via: [pager, email]",
        "      response: {target: 0m, max: 30m}\n      escalates_to: L5\n      notify_via: [pager, email]\n    - id: L5\n      name: Board\n      responsibility: Company-wide crises.\n      team: leadership\n      response: {target: 1h}\n      notify_via: [email]",
        3,
    ),
    (
        "benchmark-band",
        "benchmarks.yaml",
        "    - metric: escalation_rate\n      min: 6\n      max: 12",
        "    - metric: escalation_rate\n      min: 7\n      max: 10",
        2,
    ),
    (
        "classification-set",
        "classification.yaml",
        "  rules:\n",
        "  rules:\n    - id: smb-outage\n      when: {all: [{segment: smb}, {keywords: [outage]}]}\n      priority: high\n      action: {route_to: technical-support}\n",
        3,
    ),
];

#[test]
fn each_kind_of_change_in_domain_words() {
    let tmp = repository();
    let repo = tmp.path();
    let mut previous = "base".to_owned();
    let snapshot = |name: &str, previous: &mut String| {
        commit(repo, name);
        let run = review(repo, previous, name);
        assert_eq!(run.code, 0, "{name}: {}", run.transcript());
        insta::assert_snapshot!(format!("diff_{name}"), run.stdout);
        *previous = name.to_owned();
    };
    for (name, file, from, to, version) in STEPS {
        edit(repo, file, from, to);
        bump(repo, file, version);
        snapshot(name, &mut previous);
    }
    // A policy added: a second calendar.
    let text = std::fs::read_to_string(repo.join("policies/calendar-around-the-clock.yaml"))
        .unwrap()
        .replace("name: around-the-clock", "name: weekend-cover");
    std::fs::write(repo.join("policies/calendar-weekend.yaml"), text).unwrap();
    snapshot("policy-added", &mut previous);
    // The expected words, as a reviewer reads them.
    let all = review(repo, "base", &previous);
    for words in [
        "high × enterprise first response 30m → 1h (looser)",
        "trigger `p1-inactivity` (L1, L2, L3 · priority=critical) inactivity 30m → 15m (tighter)",
        "Tier 1 refund authority 100.00 USD → 250.00 USD (more authority)",
        "rule `system-wide-outage` now also matches channel=chat",
        "new level L5 (team `leadership`, response 1h)",
        "escalation_rate band 6–12% → 7–10% (tighter)",
        "segment=smb",
        ": critical → high",
        "Calendar `weekend-cover` added",
        "version 1 → 2",
    ] {
        assert!(
            all.stdout.contains(words),
            "missing {words:?}:\n{}",
            all.stdout
        );
    }
}

#[test]
fn a_pure_reformat_changes_nothing() {
    let tmp = repository();
    let repo = tmp.path();
    // Keys reordered, flow mappings as blocks, comments: same meaning, same version.
    edit(
        repo,
        "sla.yaml",
        "      targets: {first_response: 30m, next_response: 2h, periodic_update: 2h, resolution: 9h}",
        "      # Reformatted: block style, keys in another order.\n      targets:\n        resolution: 9h\n        periodic_update: 2h\n        next_response: 2h\n        first_response: 30m",
    );
    edit(
        repo,
        "refund-authority.yaml",
        "      up_to: [100.00 USD, 90.00 EUR, 80.00 GBP]",
        "      up_to:\n        - 100.00 USD # tier one\n        - 90.00 EUR\n        - 80.00 GBP",
    );
    commit(repo, "reformat");
    let run = review(repo, "base", "reformat");
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!("diff_reformat", run.stdout);
    assert!(run.stdout.contains("risk: none"), "{}", run.stdout);
    assert!(run.stdout.contains("no policy changed in meaning"));
    // And as JSON: no policies, no regions, no findings.
    let run = slate_in(repo, &["diff", "base", "reformat", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(doc["review"]["policies"], serde_json::json!([]));
    assert_eq!(
        doc["review"]["classification"]["regions"],
        serde_json::json!([])
    );
    assert_eq!(doc["versioning"], serde_json::json!([]));
}

#[test]
fn versioning_rules_are_reported_as_in_lint() {
    let tmp = repository();
    let repo = tmp.path();
    edit(repo, "refund-authority.yaml", "100.00 USD", "150.00 USD");
    commit(repo, "not-bumped");
    let run = review(repo, "base", "not-bumped");
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stdout
            .contains("lint::version-not-bumped not-bumped:refund-authority.yaml:15:12:"),
        "{}",
        run.stdout
    );
    let lint = slate_in(repo, &["lint", "policies", "--base", "base"]);
    assert!(
        lint.stdout.contains("version-not-bumped"),
        "{}",
        lint.transcript()
    );
    // A lowered version.
    bump(repo, "sla.yaml", 2);
    commit(repo, "bumped");
    edit(repo, "sla.yaml", "version: 2", "version: 1");
    commit(repo, "lowered");
    let run = review(repo, "bumped", "lowered");
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stdout.contains("lint::version-lowered"),
        "{}",
        run.stdout
    );
    // The working tree is the head when HEAD is left out.
    edit(repo, "sla.yaml", "version: 1", "version: 3");
    let run = slate_in(repo, &["diff", "lowered"]);
    assert!(
        run.stdout.contains("policies (working tree)"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("version 1 → 3"), "{}", run.stdout);
}

#[test]
fn bad_revisions_and_directories_are_usage_errors() {
    let tmp = repository();
    let run = slate_in(tmp.path(), &["diff", "no-such-revision"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr
            .contains("BASE `no-such-revision` is neither a directory nor a revision")
    );
    let run = slate_in(tmp.path(), &["diff", "base", "--tickets", "missing.jsonl"]);
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr.contains("cannot read `missing.jsonl`"),
        "{}",
        run.stderr
    );
}

/// The impact of a change on the bundled month equals what `slate simulate`
/// reports on each revision separately.
#[test]
fn impact_matches_simulate_on_each_revision() {
    let tmp = repository();
    let repo = tmp.path();
    let copy = |to: &str| {
        let dir = repo.join(to);
        std::fs::create_dir(&dir).unwrap();
        for entry in std::fs::read_dir(repo.join("policies")).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    };
    copy("before");
    edit(
        repo,
        "escalation-matrix.yaml",
        "on: {inactivity: 1h}",
        "on: {inactivity: 30m}",
    );
    bump(repo, "escalation-matrix.yaml", 2);
    edit(
        repo,
        "sla.yaml",
        "segments: [enterprise]\n      targets: {first_response: 30m, next_response: 2h",
        "segments: [enterprise]\n      targets: {first_response: 1h, next_response: 2h",
    );
    bump(repo, "sla.yaml", 2);
    commit(repo, "proposal");
    copy("after");
    let sample = repo_root().join("data/sample-month.jsonl");
    let sample = sample.to_str().unwrap();
    let run = slate_in(
        repo,
        &[
            "diff",
            "base",
            "proposal",
            "--tickets",
            sample,
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let impact = &doc["impact"];
    for (side, dir) in [("base", "before"), ("head", "after")] {
        let sim = slate_in(
            repo,
            &[
                "simulate",
                "--policies",
                dir,
                "--tickets",
                sample,
                "--format",
                "json",
            ],
        );
        assert_eq!(sim.code, 0, "{}", sim.transcript());
        let report: serde_json::Value = serde_json::from_str(&sim.stdout).unwrap();
        for key in ["tickets", "groups", "backlog", "benchmarks"] {
            assert_eq!(impact[side][key], report["proposal"][key], "{side} {key}");
        }
    }
    assert_eq!(impact["tickets"], 3000);
    let changed = impact["decided_differently"].as_u64().unwrap();
    assert!(changed > 0);
    // The SLA change moves targets for high × enterprise tickets only.
    let counts = &impact["counts"];
    assert!(counts["sla_target"].as_u64().unwrap() > 0);
    assert_eq!(counts["classification"], 0);
    assert!(counts["escalation_appears"].as_u64().unwrap() > 0);
    let listed = impact["changed"].as_array().unwrap();
    assert_eq!(listed.len(), 10);
    assert!(listed.iter().all(|t| {
        t["first_difference"]
            .as_str()
            .unwrap()
            .starts_with("at 2026-")
    }));
    // The Markdown comment: marker first, summary, details folded; stable.
    let md = slate_in(
        repo,
        &[
            "diff",
            "base",
            "proposal",
            "--tickets",
            sample,
            "--format",
            "markdown",
        ],
    );
    assert!(
        md.stdout
            .starts_with("<!-- slate:diff -->\n## Slate policy review")
    );
    assert!(md.stdout.contains("**Risk: high**"));
    assert!(
        md.stdout
            .contains("<details><summary>Impact on 3000 tickets</summary>")
    );
    let again = slate_in(
        repo,
        &[
            "diff",
            "base",
            "proposal",
            "--tickets",
            sample,
            "--format",
            "markdown",
        ],
    );
    assert_eq!(md.stdout, again.stdout);
}
