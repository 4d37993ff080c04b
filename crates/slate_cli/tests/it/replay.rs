//! `slate replay` and `slate due` as a user runs them.

use crate::support::{repo_root, slate, slate_in};

const JSONL: &str = r#"{"id":"T-1001","created_at":"2026-10-05T13:12:00Z","subject":"Outage in EU region","priority":"high","channel":"email","requester":{"segment":"enterprise","account":"acme","vip":false,"arr":120000},"tags":["api"],"fields":{"complexity":"high","financial_impact":7500},"events":[{"at":"2026-10-05T13:12:00Z","type":"customer_message","text":"Our EU region is down"},{"at":"2026-10-05T13:40:00Z","type":"agent_reply","agent":"a17","tier":1},{"at":"2026-10-05T13:50:00Z","type":"survey_sent","extra":1},{"at":"2026-10-05T15:00:00Z","type":"solved"}]}
{"id":"T-1002","created_at":"2026-10-05T14:00:00Z","events":[{"at":"2026-10-05T14:00:00Z","type":"customer_message"}]
{"id":"T-1003","created_at":"2026-10-05T14:00:00Z","events":[{"at":"2026-10-05T15:00:00Z","type":"solved"},{"at":"2026-10-05T14:30:00Z","type":"agent_reply"}]}
{"id":"T-1004","created_at":"2026-10-05T14:00:00Z","subject":"Question","events":[{"at":"2026-10-05T14:00:00Z","type":"customer_message","text":"How do I export?"},{"at":"2026-10-05T14:30:00Z","type":"agent_reply"}]}
"#;

fn tickets_dir() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("tickets.jsonl"), JSONL).unwrap();
    std::os::unix::fs::symlink(repo_root().join("policies"), tmp.path().join("policies")).unwrap();
    tmp
}

#[test]
fn replay_reports_malformed_lines_and_replays_the_rest() {
    let tmp = tickets_dir();
    // The policy root given by a link is refused; copy instead.
    std::fs::remove_file(tmp.path().join("policies")).unwrap();
    let policies = repo_root().join("policies");
    let run = slate_in(
        tmp.path(),
        &[
            "replay",
            "tickets.jsonl",
            "--policies",
            policies.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    let traces: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let ids: Vec<&str> = traces
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["ticket"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["T-1001", "T-1004"]);
    assert!(run.stderr.contains("tickets.jsonl:2:"), "{}", run.stderr);
    assert!(run.stderr.contains("tickets.jsonl:3:1"), "{}", run.stderr);
    assert!(run.stderr.contains("ticket::order"), "{}", run.stderr);
    assert!(
        run.stderr.contains("2 ticket record(s) could not be read"),
        "{}",
        run.stderr
    );
    insta::assert_snapshot!(run.stderr);
}

#[test]
fn replay_human_and_yaml() {
    let tmp = tempfile::tempdir().unwrap();
    let line = JSONL.lines().next().unwrap();
    std::fs::write(tmp.path().join("one.jsonl"), format!("{line}\n")).unwrap();
    let policies = repo_root().join("policies");
    let policies = policies.to_str().unwrap();
    let human = slate_in(tmp.path(), &["replay", "one.jsonl", "--policies", policies]);
    assert_eq!(human.code, 0, "{}", human.transcript());
    insta::assert_snapshot!(human.stdout);
    let yaml = slate_in(
        tmp.path(),
        &[
            "replay",
            "one.jsonl",
            "--policies",
            policies,
            "--format",
            "yaml",
        ],
    );
    assert_eq!(yaml.code, 0);
    assert!(
        yaml.stdout
            .starts_with("trace_version: 1\nticket: T-1001\n"),
        "{}",
        yaml.stdout
    );
}

#[test]
fn replay_missing_file_is_a_usage_error() {
    let run = slate(&["replay", "no-such.jsonl"]);
    assert_eq!(run.code, 2);
}

#[test]
fn due_for_a_calendar() {
    // Friday 17:30 New York + 1h of business time: 30 minutes on Friday,
    // 30 on Monday from 09:00 New York (13:00Z).
    let run = slate(&[
        "due",
        "--calendar",
        "business-hours",
        "--start",
        "2026-10-02T17:30:00-04:00",
        "--duration",
        "1h",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(run.stdout, "2026-10-05T13:30:00Z\n");
    // A week later Monday 2026-10-12 is Columbus Day: Tuesday instead.
    let run = slate(&[
        "due",
        "--calendar",
        "business-hours",
        "--start",
        "2026-10-09T17:30:00-04:00",
        "--duration",
        "1h",
        "--format",
        "json",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["due"], "2026-10-13T13:30:00Z");
    assert_eq!(value["start"], "2026-10-09T21:30:00Z");
    assert_eq!(value["duration"], "1h");
    // The closed day it crosses, named as the calendar names it.
    assert_eq!(
        value["holidays"],
        serde_json::json!([{"date": "2026-10-12", "name": "Columbus Day"}])
    );
    // Used up exactly at closing: the next opening.
    let run = slate(&[
        "due",
        "--calendar",
        "business-hours",
        "--start",
        "2026-10-05T17:00:00-04:00",
        "--duration",
        "1h",
    ]);
    assert_eq!(run.stdout, "2026-10-06T13:00:00Z\n");
}

#[test]
fn due_rejects_bad_arguments_with_help() {
    let run = slate(&[
        "due",
        "--calendar",
        "business-hours",
        "--start",
        "2026-10-09T16:30:00Z",
        "--duration",
        "30 mins",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("did you mean `30m`?"), "{}", run.stderr);
    let run = slate(&[
        "due",
        "--calendar",
        "busines-hours",
        "--start",
        "2026-10-09T16:30:00Z",
        "--duration",
        "1h",
    ]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean `business-hours`?"),
        "{}",
        run.stderr
    );
    let run = slate(&[
        "due",
        "--calendar",
        "business-hours",
        "--start",
        "2026-10-09 16:30",
        "--duration",
        "1h",
    ]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("RFC 3339"), "{}", run.stderr);
    let run = slate(&["due"]);
    assert_eq!(run.code, 2);
}

#[test]
fn due_for_a_ticket_lists_running_targets() {
    let run = slate(&[
        "due",
        "--ticket",
        "tests/scenarios/pending-pauses-resolution.yaml",
    ]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    // The ticket is solved at the end: nothing runs.
    assert!(run.stdout.contains("no running targets"), "{}", run.stdout);
    let tmp = tempfile::tempdir().unwrap();
    let line = JSONL.lines().nth(3).unwrap();
    std::fs::write(tmp.path().join("open.jsonl"), format!("{line}\n")).unwrap();
    let policies = repo_root().join("policies");
    let run = slate_in(
        tmp.path(),
        &[
            "due",
            "--ticket",
            "open.jsonl",
            "--policies",
            policies.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn replay_until_judges_tickets_at_the_horizon() {
    let tmp = tickets_dir();
    let policies = repo_root().join("policies");
    let policies = policies.to_str().unwrap();
    let line = JSONL.lines().nth(3).unwrap();
    std::fs::write(tmp.path().join("open.jsonl"), format!("{line}\n")).unwrap();
    let json = |extra: &[&str]| {
        let mut args = vec![
            "replay",
            "open.jsonl",
            "--policies",
            policies,
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        let run = slate_in(tmp.path(), &args);
        assert_eq!(run.code, 0, "{}", run.transcript());
        let traces: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
        traces[0].clone()
    };
    // To its last event (the reply at 14:30) nothing is due yet; judged at
    // the export time nine days later the resolution target has breached.
    let own = json(&[]);
    assert_eq!(own["horizon"], "2026-10-05T14:30:00Z");
    assert_eq!(own["outcome"]["breaches"], serde_json::json!([]));
    let later = json(&["--until", "2026-10-14T14:00:00Z"]);
    assert_eq!(later["horizon"], "2026-10-14T14:00:00Z");
    let breaches = later["outcome"]["breaches"].as_array().unwrap();
    assert!(
        breaches
            .iter()
            .any(|b| b.as_str().unwrap().starts_with("resolution#")),
        "{breaches:?}"
    );
    // Before the reply: the reply has not happened, first response is open.
    let early = json(&["--until", "2026-10-05T14:10:00Z"]);
    let decisions: Vec<&str> = early["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["decision"].as_str().unwrap())
        .collect();
    assert!(!decisions.contains(&"target_met"), "{decisions:?}");

    // A horizon before the ticket's creation is an error naming both.
    let run = slate_in(
        tmp.path(),
        &[
            "replay",
            "open.jsonl",
            "--policies",
            policies,
            "--until",
            "2026-10-05T13:00:00Z",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stderr.contains("ticket `T-1004` was created at 2026-10-05T14:00:00Z, after the horizon --until 2026-10-05T13:00:00Z"),
        "{}",
        run.stderr
    );
    // Not an instant: a usage error that says how to write one.
    let run = slate_in(
        tmp.path(),
        &[
            "replay",
            "open.jsonl",
            "--policies",
            policies,
            "--until",
            "monday",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.transcript());
    assert!(
        run.stderr.contains("2026-10-31T23:59:59Z"),
        "{}",
        run.stderr
    );
}

#[test]
fn refund_amounts_are_decimals_from_the_json_text() {
    let tmp = tickets_dir();
    let policies = repo_root().join("policies");
    let line = |id: &str, amount: &str| {
        format!(
            r#"{{"id":"{id}","created_at":"2026-10-05T14:00:00Z","requester":{{"segment":"smb"}},"events":[{{"at":"2026-10-05T14:00:00Z","type":"refund_requested","amount":{amount},"currency":"USD"}}]}}"#
        )
    };
    // One ten-quadrillionth of a cent above tier 1's 100 USD: through a
    // float it would be 100 exactly, and within authority.
    let lines = [
        line("M-1", "100.000000000000001"),
        line("M-2", "\"ten\""),
        line("M-3", "100.00"),
    ];
    std::fs::write(tmp.path().join("money.jsonl"), lines.join("\n") + "\n").unwrap();
    let run = slate_in(
        tmp.path(),
        &[
            "replay",
            "money.jsonl",
            "--policies",
            policies.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(
        run.stderr.contains("money.jsonl:2:") && run.stderr.contains("invalid amount `ten`"),
        "{}",
        run.stderr
    );
    let traces: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let refund = |i: usize| {
        traces[i]["entries"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["decision"].as_str().unwrap().starts_with("refund_"))
            .cloned()
            .unwrap()
    };
    assert_eq!(refund(0)["decision"], "refund_needs_approval");
    assert_eq!(refund(0)["amount"], "100.000000000000001 USD");
    assert_eq!(refund(1)["decision"], "refund_within_authority");
}

/// `to: next` from a team at no level (DESIGN §4.14): a finance ticket
/// (tier 2, outside the matrix) goes to the lowest level whose team's tier
/// is above 2, L3; a security ticket (tier 3) has no level above its tier,
/// and the trigger is held rather than handing it down.
#[test]
fn to_next_from_a_team_at_no_level_goes_above_its_tier() {
    let tmp = tempfile::tempdir().unwrap();
    let policies = tmp.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    for entry in std::fs::read_dir(repo_root().join("policies")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, policies.join(path.file_name().unwrap())).unwrap();
    }
    let matrix = policies.join("escalation-matrix.yaml");
    let mut text = std::fs::read_to_string(&matrix).unwrap();
    // Armed everywhere (no `at_levels`), so it fires at no level too.
    text.push_str(
        "    - id: idle-anywhere\n      on: {inactivity: 4h}\n      escalate: {to: next, kind: functional}\n",
    );
    std::fs::write(&matrix, text).unwrap();
    let ticket = |id: &str, tags: &str, fields: &str| {
        format!(
            r#"{{"id":"{id}","created_at":"2026-10-19T14:00:00Z","requester":{{"segment":"smb"}},"tags":[{tags}],"fields":{{{fields}}},"events":[{{"at":"2026-10-19T14:00:00Z","type":"customer_message","text":"hello"}},{{"at":"2026-10-20T14:00:00Z","type":"customer_message","text":"anyone?"}}]}}"#
        )
    };
    let lines = [
        ticket("FIN", r#""billing""#, r#""affected_customers":5"#),
        ticket("SEC", r#""security""#, ""),
    ];
    std::fs::write(tmp.path().join("t.jsonl"), lines.join("\n") + "\n").unwrap();
    let run = slate_in(
        tmp.path(),
        &[
            "replay",
            "t.jsonl",
            "--policies",
            "policies",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let traces: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let entries = |i: usize, decision: &str| -> Vec<serde_json::Value> {
        traces[i]["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["decision"] == decision)
            .cloned()
            .collect()
    };
    let routed = &entries(0, "routed")[0];
    assert_eq!(routed["team"], "finance-billing");
    assert!(routed.get("level").is_none(), "{routed}");
    // Four quiet hours at finance: up to L3; four more at L3: L4.
    let escalated = entries(0, "escalated");
    assert_eq!(escalated.len(), 2, "{escalated:?}");
    assert_eq!(escalated[0]["at"], "2026-10-19T18:00:00Z");
    assert_eq!(escalated[0]["trigger"], "idle-anywhere");
    assert_eq!(escalated[0]["from"], "finance-billing");
    assert_eq!(escalated[0]["to"], "L3");
    assert_eq!(
        escalated[0]["responsibility"],
        "Major risks, high-impact failures, urgent account crises."
    );
    assert_eq!(entries(1, "routed")[0]["team"], "security-response");
    assert!(entries(1, "escalated").is_empty());
    let held = entries(1, "trigger_held");
    assert!(
        held.iter().any(|h| h["trigger"] == "idle-anywhere"
            && h["reason"].as_str().unwrap().starts_with("no level above")),
        "{held:?}"
    );
}
