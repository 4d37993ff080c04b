//! Versions in force (DESIGN §4.11) as a user meets them: the shipped
//! policies with a later SLA version (`tests/versions/policies`) decide the
//! scenarios of `tests/versions/scenarios` by each ticket's creation date;
//! `simulate` and `diff` use the newest versions unless `--in-force`.

use std::path::{Path, PathBuf};

use crate::support::{repo_root, slate_in};

/// `policies/` plus the later versions, in a temporary directory.
fn versioned_policies() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("policies");
    std::fs::create_dir(&dir).unwrap();
    for from in ["policies", "tests/versions/policies"] {
        for entry in std::fs::read_dir(repo_root().join(from)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
        }
    }
    (tmp, dir)
}

fn arg(p: &Path) -> &str {
    p.to_str().unwrap()
}

#[test]
fn scenarios_are_decided_by_the_versions_in_force_at_creation() {
    let (tmp, policies) = versioned_policies();
    let scenarios = repo_root().join("tests/versions/scenarios");
    let run = slate_in(
        tmp.path(),
        &["test", arg(&scenarios), "--policies", arg(&policies)],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout.ends_with("3 passed, 0 failed\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn replay_lists_the_versions_that_decided() {
    let (tmp, policies) = versioned_policies();
    let ticket = |id: &str, at: &str| {
        format!(
            r#"{{"id":"{id}","created_at":"{at}","priority":"high","requester":{{"segment":"enterprise"}},"events":[{{"at":"{at}","type":"customer_message","text":"hi"}}]}}"#
        )
    };
    let lines = [
        ticket("OCT", "2026-10-19T14:00:00Z"),
        ticket("DEC", "2026-12-07T15:00:00Z"),
    ];
    std::fs::write(tmp.path().join("t.jsonl"), lines.join("\n") + "\n").unwrap();
    let run = slate_in(
        tmp.path(),
        &[
            "replay",
            "t.jsonl",
            "--policies",
            arg(&policies),
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let traces: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let sla_version = |i: usize| {
        traces[i]["policies"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["kind"] == "SlaPolicy")
            .map(|p| p["version"].clone())
    };
    assert_eq!(sla_version(0), Some(serde_json::json!(1)));
    assert_eq!(sla_version(1), Some(serde_json::json!(2)));
}

#[test]
fn simulate_uses_the_newest_versions_unless_in_force() {
    let (tmp, policies) = versioned_policies();
    let tickets = repo_root().join("data/sample-month.jsonl");
    let report = |extra: &[&str]| {
        let mut args = vec![
            "simulate",
            "--policies",
            arg(&policies),
            "--tickets",
            arg(&tickets),
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let run = slate_in(tmp.path(), &args);
        assert_eq!(run.code, 0, "{}", run.transcript());
        let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        value["proposal"].clone()
    };
    let sla = |r: &serde_json::Value| {
        r["versions"]["policies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["kind"] == "SlaPolicy")
            .map(|p| p["version"].as_u64().unwrap())
            .collect::<Vec<_>>()
    };
    // The sample month is October: the newest SLA (December) decides it as
    // a what-if; by date, version 1 does.
    let newest = report(&[]);
    assert_eq!(newest["versions"]["mode"], "newest");
    assert_eq!(sla(&newest), [2]);
    let dated = report(&["--in-force"]);
    assert_eq!(dated["versions"]["mode"], "in_force");
    assert_eq!(sla(&dated), [1]);
    assert_ne!(newest["groups"], dated["groups"]);
}

#[test]
fn due_takes_the_calendar_version_in_force_at_the_start() {
    let (tmp, policies) = versioned_policies();
    // Business hours from 07:00 on Mondays from December.
    let v1 = std::fs::read_to_string(policies.join("calendar-business-hours.yaml")).unwrap();
    let v2 = v1
        .replace("version: 1\n", "version: 2\n")
        .replace(
            "effective_from: 2026-09-01",
            "effective_from: 2026-12-01T05:00:00Z",
        )
        .replace("monday: [\"09:00-18:00\"]", "monday: [\"07:00-18:00\"]");
    std::fs::write(policies.join("calendar-business-hours-v2.yaml"), v2).unwrap();
    let due = |start: &str| {
        let run = slate_in(
            tmp.path(),
            &[
                "due",
                "--calendar",
                "business-hours",
                "--start",
                start,
                "--duration",
                "1h",
                "--policies",
                arg(&policies),
                "--format",
                "json",
            ],
        );
        assert_eq!(run.code, 0, "{}", run.transcript());
        serde_json::from_str::<serde_json::Value>(&run.stdout).unwrap()
    };
    // Monday 2026-11-30 06:00 New York: version 1 opens at 09:00.
    let november = due("2026-11-30T11:00:00Z");
    assert_eq!(november["version"], 1);
    assert_eq!(november["due"], "2026-11-30T15:00:00Z");
    // Monday 2026-12-07 06:00 New York: version 2 opens at 07:00.
    let december = due("2026-12-07T11:00:00Z");
    assert_eq!(december["version"], 2);
    assert_eq!(december["due"], "2026-12-07T13:00:00Z");
    // Before every version of the calendar: said, not a silent default.
    let run = slate_in(
        tmp.path(),
        &[
            "due",
            "--calendar",
            "business-hours",
            "--start",
            "2026-08-03T11:00:00Z",
            "--duration",
            "1h",
            "--policies",
            arg(&policies),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr.contains(
            "no version of calendar `business-hours` is in force at 2026-08-03T11:00:00Z"
        ),
        "{}",
        run.stderr
    );
}
