//! The scenario corpus, through the library and through the CLI.

use std::path::Path;

use slate_engine::{Engine, scenario};
use slate_policy::Limits;
use slate_policy::source::Source;

use crate::support::{repo_root, slate, slate_in};

fn scenario_files() -> Vec<std::path::PathBuf> {
    let dir = repo_root().join("tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".yaml") && !name.ends_with(".trace.yaml")
        })
        .collect();
    files.sort();
    files
}

#[test]
fn corpus_has_at_least_forty_scenarios() {
    assert!(
        scenario_files().len() >= 40,
        "{} scenarios",
        scenario_files().len()
    );
}

/// Every scenario replayed by the library meets its expectations; its trace
/// is snapshotted and equals the trace stored for `slate test`.
#[test]
fn scenarios_through_the_library() {
    let root = repo_root();
    let checked = slate_policy::check_path(&root.join("policies"), &Limits::default()).unwrap();
    assert!(checked.diagnostics.is_empty());
    let engine = Engine::new(&checked.set).unwrap();
    for path in scenario_files() {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let source = Source::new(path.display().to_string(), text);
        let scenario = scenario::parse(&source).unwrap_or_else(|e| panic!("{name}: {}", e.message));
        let trace = engine.replay_until(&scenario.ticket, scenario.horizon);
        for verdict in scenario::check(&scenario, &trace) {
            assert!(
                verdict.passed,
                "{name}: {} — {:?}",
                verdict.expectation, verdict.detail
            );
        }
        let yaml = slate_policy::yaml::to_string(&trace).unwrap();
        let stored = std::fs::read_to_string(path.with_extension("trace.yaml")).unwrap();
        assert_eq!(
            yaml, stored,
            "{name}: library trace differs from the stored one"
        );
        insta::assert_snapshot!(name, yaml);
    }
}

#[test]
fn scenarios_through_the_cli() {
    let run = slate(&["test"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let count = scenario_files().len();
    assert!(
        run.stdout
            .ends_with(&format!("\n{count} passed, 0 failed\n")),
        "{}",
        run.stdout
    );
}

/// A policy change shows up as failed expectations and a readable diff.
#[test]
fn a_changed_policy_value_fails_with_a_diff() {
    let tmp = tempfile::tempdir().unwrap();
    let policies = tmp.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    for entry in std::fs::read_dir(repo_root().join("policies")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let text = text.replace("on: {inactivity: 1h}", "on: {inactivity: 90m}");
        std::fs::write(policies.join(path.file_name().unwrap()), text).unwrap();
    }
    let scenarios = repo_root().join("tests/scenarios");
    let run = slate(&[
        "test",
        scenarios.to_str().unwrap(),
        "--policies",
        policies.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stdout.contains("FAIL    "), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("l1-inactivity-one-hour.yaml:16:5: expectation not met"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--- stored\n    +++ replayed"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("-- at: \"2026-10-05T15:10:00Z\"\n    +- at: \"2026-10-05T15:40:00Z\""),
        "{}",
        run.stdout
    );
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

const TICKET: &str = "ticket:
  id: X-1
  created_at: 2026-10-05T14:00:00Z
  subject: Feature request
  tags: [feature-request]
  events:
    - {at: 2026-10-05T14:00:00Z, type: customer_message, text: hi}
    - {at: 2026-10-05T15:00:00Z, type: solved}
";

#[test]
fn missing_expectations_snapshots_and_vacuous_scenarios_are_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("scenarios");
    std::fs::create_dir(&dir).unwrap();
    let policies = repo_root().join("policies");
    write(&dir, "no-expectations.yaml", TICKET);
    write(
        &dir,
        "vacuous.yaml",
        &format!("{TICKET}expect:\n  - {{decision: escalated, absent: true}}\n"),
    );
    write(
        &dir,
        "good.yaml",
        &format!(
            "{TICKET}expect:\n  - {{decision: classified, priority: low, rule: minor-bug-or-feature-request}}\n"
        ),
    );
    let policies = policies.to_str().unwrap();

    // Without snapshots every scenario fails, and nothing is written.
    let run = slate_in(tmp.path(), &["test", "scenarios", "--policies", policies]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("no stored trace"), "{}", run.stdout);
    assert!(!dir.join("good.trace.yaml").exists());

    // --update stores them; expectation problems are still reported.
    let run = slate_in(
        tmp.path(),
        &["test", "scenarios", "--policies", policies, "--update"],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(dir.join("good.trace.yaml").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".yaml"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files left behind: {leftovers:?}"
    );

    let run = slate_in(tmp.path(), &["test", "scenarios", "--policies", policies]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn junit_output_is_valid_xml_with_counts() {
    let run = slate(&["test", "--format", "junit"]);
    assert_eq!(run.code, 0);
    let doc = roxmltree::Document::parse(&run.stdout).unwrap();
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    let count = scenario_files().len().to_string();
    assert_eq!(suite.attribute("tests"), Some(count.as_str()));
    assert_eq!(suite.attribute("failures"), Some("0"));
    assert_eq!(
        doc.descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .count(),
        scenario_files().len()
    );
}

#[test]
fn junit_reports_failures() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "x.yaml",
        &format!("{TICKET}expect:\n  - {{decision: classified, priority: \"<critical>\"}}\n"),
    );
    let policies = repo_root().join("policies");
    let run = slate_in(
        tmp.path(),
        &[
            "test",
            ".",
            "--policies",
            policies.to_str().unwrap(),
            "--format",
            "junit",
        ],
    );
    assert_eq!(run.code, 1);
    let doc = roxmltree::Document::parse(&run.stdout).unwrap();
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(failure.attribute("type"), Some("test::expectation"));
    assert!(failure.attribute("message").unwrap().contains("<critical>"));
}

#[test]
fn bad_horizons_and_float_amounts_are_located_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("scenarios");
    std::fs::create_dir(&dir).unwrap();
    let expect = "expect:\n  - {decision: classified}\n";
    write(
        &dir,
        "early.yaml",
        &format!("until: 2026-10-05T13:00:00Z\n{TICKET}{expect}"),
    );
    write(&dir, "word.yaml", &format!("until: soon\n{TICKET}{expect}"));
    let refund = TICKET.replace(
        "type: solved}",
        "type: solved}\n    - {at: 2026-10-05T15:00:00Z, type: refund_requested, amount: 99.5, currency: USD}",
    );
    write(&dir, "float.yaml", &format!("{refund}{expect}"));
    let policies = repo_root().join("policies");
    let run = slate_in(
        tmp.path(),
        &[
            "test",
            "scenarios",
            "--policies",
            policies.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    for wanted in [
        "early.yaml:1:8: `until: 2026-10-05T13:00:00Z` is before the ticket's creation",
        "word.yaml:1:8: `until: soon` is not an RFC 3339 instant",
        "float.yaml:9:7: the amount 99.5 was read as a binary float",
    ] {
        assert!(run.stdout.contains(wanted), "{wanted}\n{}", run.stdout);
    }
}
