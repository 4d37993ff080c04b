//! `slate simulate` and `slate gen` as a user runs them.

use crate::support::{repo_root, slate, slate_in};

#[test]
fn simulate_runs_on_the_shipped_defaults() {
    let run = slate(&["simulate"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(
        run.stdout
            .starts_with("simulated 3000 tickets (0 unreadable)"),
        "{}",
        run.stdout
    );
    for metric in [
        "escalation_rate",
        "handoff_delay",
        "bounceback_rate",
        "repeat_escalation_rate",
        "recontact_rate",
        "context_loss_rate",
        "escalated_breach_rate_gap",
    ] {
        assert!(run.stdout.contains(metric), "missing {metric}");
    }
    insta::assert_snapshot!(run.stdout);
    // No progress bar when stderr is not a terminal.
    assert_eq!(run.stderr, "");
}

#[test]
fn the_sample_month_is_what_gen_writes() {
    let run = slate(&[
        "gen",
        "--tickets",
        "3000",
        "--seed",
        "1",
        "--month",
        "2026-10",
    ]);
    assert_eq!(run.code, 0);
    let shipped = std::fs::read_to_string(repo_root().join("data/sample-month.jsonl")).unwrap();
    assert!(shipped.len() < 5 * 1024 * 1024);
    assert_eq!(
        run.stdout, shipped,
        "data/sample-month.jsonl is stale: regenerate it with the command in the README"
    );
    let other = slate(&[
        "gen",
        "--tickets",
        "10",
        "--seed",
        "2",
        "--month",
        "2026-02",
    ]);
    assert_eq!(other.stdout.lines().count(), 10);
    assert!(other.stdout.contains("\"created_at\":\"2026-02-"));
}

#[test]
fn json_and_markdown_reports() {
    let run = slate(&["simulate", "--format", "json"]);
    assert_eq!(run.code, 0);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["proposal"]["version"], 1);
    assert_eq!(value["proposal"]["tickets"], 3000);
    assert!(value["baseline"].is_null());
    let run = slate(&["simulate", "--format", "markdown"]);
    assert!(
        run.stdout.starts_with("## Slate simulation\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("<details>"));
}

/// A copy of the shipped policies with one edit.
fn variant(dir: &std::path::Path, file: &str, from: &str, to: &str) {
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(repo_root().join("policies")).unwrap() {
        let path = entry.unwrap().path();
        let mut text = std::fs::read_to_string(&path).unwrap();
        if path.file_name().unwrap() == file {
            assert_eq!(text.matches(from).count(), 1, "{from}");
            text = text.replace(from, to);
        }
        std::fs::write(dir.join(path.file_name().unwrap()), text).unwrap();
    }
}

#[test]
fn gate_fails_only_when_a_band_is_violated() {
    // The shipped month escalates far more than the 6–12 % band allows.
    let run = slate(&["simulate", "--gate"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("outside their benchmark bands"),
        "{}",
        run.stderr
    );
    // A benchmarks policy with a single band the month meets passes the gate.
    let tmp = tempfile::tempdir().unwrap();
    let policies = tmp.path().join("policies");
    std::fs::create_dir_all(&policies).unwrap();
    for entry in std::fs::read_dir(repo_root().join("policies")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = if name == "benchmarks.yaml" {
            "apiVersion: slate.dev/v1\nkind: Benchmarks\nmetadata: {name: escalation-benchmarks, version: 1, effective_from: 2026-09-01, owners: [a@example.com]}\nspec:\n  bands:\n    - {metric: context_loss_rate, max: 10}\n".to_owned()
        } else {
            std::fs::read_to_string(&path).unwrap()
        };
        std::fs::write(policies.join(name), text).unwrap();
    }
    let sample = repo_root().join("data/sample-month.jsonl");
    let run = slate_in(
        tmp.path(),
        &[
            "simulate",
            "--policies",
            "policies",
            "--tickets",
            sample.to_str().unwrap(),
            "--gate",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
}

#[test]
fn baseline_shows_deltas_and_differing_tickets() {
    let tmp = tempfile::tempdir().unwrap();
    let proposal = tmp.path().join("proposal");
    // Tighter L1 inactivity: more tickets escalate, sooner.
    variant(
        &proposal,
        "escalation-matrix.yaml",
        "      on: {inactivity: 1h}",
        "      on: {inactivity: 30m}",
    );
    let sample = repo_root().join("data/sample-month.jsonl");
    let baseline = repo_root().join("policies");
    let run = slate_in(
        tmp.path(),
        &[
            "simulate",
            "--policies",
            "proposal",
            "--baseline",
            baseline.to_str().unwrap(),
            "--tickets",
            sample.to_str().unwrap(),
            "--format",
            "json",
            "--top",
            "100000",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let differing = value["proposal"]["differing"].as_array().unwrap();
    assert!(!differing.is_empty());
    assert_eq!(
        value["proposal"]["differing_tickets"].as_u64(),
        Some(differing.len() as u64)
    );
    let ids: Vec<&str> = differing
        .iter()
        .map(|d| d["ticket"].as_str().unwrap())
        .collect();
    assert!(ids.is_sorted(), "listed by ticket id");
    // Earlier escalations move the escalations and the customer-update breaches that follow them.
    let unexpected: Vec<&serde_json::Value> = differing
        .iter()
        .filter(|d| {
            let text = d["difference"].as_str().unwrap();
            !(text.starts_with("escalations") || text.starts_with("breaches"))
        })
        .collect();
    assert!(unexpected.is_empty(), "{unexpected:?}");
    assert!(differing.iter().any(|d| {
        d["difference"]
            .as_str()
            .unwrap()
            .starts_with("escalations [] → [L1→L2@")
    }));
    let before = value["baseline"]["groups"][0]["policy_escalation_rate"]["count"]
        .as_u64()
        .unwrap();
    let after = value["proposal"]["groups"][0]["policy_escalation_rate"]["count"]
        .as_u64()
        .unwrap();
    assert!(after >= before, "{before} → {after}");
    let human = slate_in(
        tmp.path(),
        &[
            "simulate",
            "--policies",
            "proposal",
            "--baseline",
            baseline.to_str().unwrap(),
            "--tickets",
            sample.to_str().unwrap(),
            "--top",
            "3",
        ],
    );
    let header = human
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("metric") && l.contains("scope"))
        .unwrap_or_default();
    let words: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(
        words,
        [
            "metric", "scope", "baseline", "proposal", "delta", "band", "verdict"
        ],
        "{}",
        human.stdout
    );
    let total = differing.len();
    assert!(
        human.stdout.contains(&format!(
            "{total} ticket(s) decided differently than with the baseline:"
        )),
        "{}",
        human.stdout
    );
    // --top bounds the list, not the count: the three listed are the first by id.
    let listed: Vec<&str> = human
        .stdout
        .lines()
        .skip_while(|l| !l.contains("decided differently"))
        .skip(1)
        .take_while(|l| l.starts_with("  ") && !l.contains("more (--top"))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(listed, ids[..3], "{}", human.stdout);
    assert!(
        human.stdout.contains(&format!("… and {} more", total - 3)),
        "{}",
        human.stdout
    );
}

#[test]
fn malformed_records_are_counted_and_max_errors_stops() {
    let tmp = tempfile::tempdir().unwrap();
    let sample = std::fs::read_to_string(repo_root().join("data/sample-month.jsonl")).unwrap();
    let mut lines: Vec<&str> = sample.lines().take(50).collect();
    lines.insert(3, "{not json");
    lines.insert(10, "{\"id\":\"x\"}");
    std::fs::write(tmp.path().join("t.jsonl"), lines.join("\n")).unwrap();
    let run = simulate_shipped(tmp.path(), "t.jsonl", &["--format", "json"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("t.jsonl:4:2: ticket::malformed"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("t.jsonl:11:"), "{}", run.stderr);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["proposal"]["errors"], 2);
    assert_eq!(value["proposal"]["tickets"], 50);
    let run = simulate_shipped(tmp.path(), "t.jsonl", &["--max-errors", "1"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("stopped after"), "{}", run.stderr);
}

/// `slate simulate` with the shipped policies, in `dir`.
fn simulate_shipped(dir: &std::path::Path, tickets: &str, extra: &[&str]) -> crate::support::Run {
    let policies = repo_root().join("policies");
    let mut args = vec![
        "simulate",
        "--policies",
        policies.to_str().unwrap(),
        "--tickets",
        tickets,
    ];
    args.extend_from_slice(extra);
    slate_in(dir, &args)
}

fn report_json(dir: &std::path::Path, tickets: &str) -> serde_json::Value {
    let run = simulate_shipped(dir, tickets, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn csv_event_log_and_gzip_read_like_jsonl() {
    let data = repo_root().join("tests/data");
    let jsonl = report_json(&data, "events.jsonl");
    assert_eq!(jsonl["proposal"]["tickets"], 2);
    assert_eq!(report_json(&data, "events.csv"), jsonl);
    let tmp = tempfile::tempdir().unwrap();
    let plain = std::fs::read(data.join("events.jsonl")).unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    std::io::Write::write_all(&mut encoder, &plain).unwrap();
    std::fs::write(
        tmp.path().join("events.jsonl.gz"),
        encoder.finish().unwrap(),
    )
    .unwrap();
    assert_eq!(report_json(tmp.path(), "events.jsonl.gz"), jsonl);
}

#[test]
fn csv_rows_of_a_ticket_must_stay_together() {
    let tmp = tempfile::tempdir().unwrap();
    let csv = "ticket_id,created_at,event_at,event_type\nA,2026-10-05T14:00:00Z,2026-10-05T14:00:00Z,customer_message\nB,2026-10-05T14:00:00Z,2026-10-05T14:00:00Z,customer_message\nA,,2026-10-05T15:00:00Z,solved\n";
    std::fs::write(tmp.path().join("log.csv"), csv).unwrap();
    let run = simulate_shipped(tmp.path(), "log.csv", &["--format", "json"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "log.csv:4:1: ticket::malformed: ticket `A` appears again after other tickets"
        ),
        "{}",
        run.stderr
    );
    std::fs::write(tmp.path().join("bad.csv"), "id,when\n1,2\n").unwrap();
    let run = simulate_shipped(tmp.path(), "bad.csv", &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no `ticket_id` column"),
        "{}",
        run.stderr
    );
}

#[test]
fn baseline_can_be_a_git_revision() {
    let tmp = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| crate::support::git(tmp.path(), args);
    git(&["init", "-q"]);
    variant(
        &tmp.path().join("policies"),
        "escalation-matrix.yaml",
        "      on: {inactivity: 1h}",
        "      on: {inactivity: 1h}",
    );
    git(&["add", "-A"]);
    git(&["commit", "-q", "-m", "today"]);
    let text = std::fs::read_to_string(tmp.path().join("policies/escalation-matrix.yaml")).unwrap();
    std::fs::write(
        tmp.path().join("policies/escalation-matrix.yaml"),
        text.replace("      on: {inactivity: 1h}", "      on: {inactivity: 30m}"),
    )
    .unwrap();
    let sample = repo_root().join("data/sample-month.jsonl");
    let run = slate_in(
        tmp.path(),
        &[
            "simulate",
            "--baseline",
            "HEAD",
            "--tickets",
            sample.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(
        !value["proposal"]["differing"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let run = slate_in(
        tmp.path(),
        &[
            "simulate",
            "--baseline",
            "no-such-rev",
            "--tickets",
            sample.to_str().unwrap(),
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("neither a directory nor a revision"),
        "{}",
        run.stderr
    );
}

#[test]
fn html_report_is_self_contained() {
    let tmp = tempfile::tempdir().unwrap();
    let run = slate_in(
        tmp.path(),
        &[
            "simulate",
            "--policies",
            repo_root().join("policies").to_str().unwrap(),
            "--tickets",
            repo_root()
                .join("data/sample-month.jsonl")
                .to_str()
                .unwrap(),
            "--format",
            "html",
            "--out",
            "report.html",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.is_empty());
    let html = std::fs::read_to_string(tmp.path().join("report.html")).unwrap();
    assert!(html.starts_with("<!doctype html>"));
    assert!(html.contains("uPlot"), "the charting library is embedded");
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http"),
        "nothing is loaded from the network"
    );
    for chart in [
        "id=\"breach\"",
        "id=\"backlog\"",
        "id=\"handoff\"",
        "id=\"bench\"",
    ] {
        assert!(html.contains(chart), "{chart}");
    }
}

#[test]
fn zendesk_export_imports_into_the_ticket_contract() {
    let data = repo_root().join("tests/data/zendesk");
    let import = |extra: &[&str]| {
        let mut args = vec![
            "import",
            "zendesk",
            "--tickets",
            "incremental-tickets.json",
            "--audits",
            "ticket-audits.json",
        ];
        args.extend_from_slice(extra);
        slate_in(&data, &args)
    };
    let run = import(&[]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    insta::assert_snapshot!(run.stdout);
    // Every imported line is a valid ticket, and simulates.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("zd.jsonl"), &run.stdout).unwrap();
    let report = report_json(tmp.path(), "zd.jsonl");
    assert_eq!(report["proposal"]["tickets"], 2);
    assert_eq!(report["proposal"]["errors"], 0);
    // Groups map to the policy's teams; unmapped ones keep their id.
    assert!(run.stdout.contains("\"team\":\"group-98738\""));
    let mapped = import(&["--group", "98738=technical-support"]);
    assert_eq!(mapped.code, 0, "{}", mapped.transcript());
    assert!(mapped.stdout.contains("\"team\":\"technical-support\""));
    assert!(!mapped.stdout.contains("group-98738"));
    let bad = slate_in(
        &data,
        &[
            "import",
            "zendesk",
            "--tickets",
            "x.json",
            "--group",
            "support",
        ],
    );
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("is not GROUP_ID=TEAM"),
        "{}",
        bad.stderr
    );
    // A malformed export is located.
    std::fs::write(
        tmp.path().join("bad.json"),
        "{\"tickets\": [\n  {\"id\": \"x\"}\n]}",
    )
    .unwrap();
    let run = slate_in(tmp.path(), &["import", "zendesk", "--tickets", "bad.json"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.starts_with("bad.json:2:"), "{}", run.stderr);
}

#[test]
fn simulate_states_its_horizon_and_until_moves_it() {
    let data = repo_root().join("tests/data");
    let default = report_json(&data, "events.jsonl");
    let horizon = &default["proposal"]["horizon"];
    assert_eq!(horizon["source"], "latest_event", "{horizon}");
    let run = simulate_shipped(
        &data,
        "events.jsonl",
        &["--format", "json", "--until", "2030-01-01T00:00:00Z"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let later: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        later["proposal"]["horizon"],
        serde_json::json!({"at": "2030-01-01T00:00:00Z", "source": "until"})
    );
    // Before every ticket: none had happened, each is counted as left out.
    let run = simulate_shipped(
        &data,
        "events.jsonl",
        &["--format", "json", "--until", "2000-01-01T00:00:00Z"],
    );
    assert_eq!(run.code, 0, "{}", run.transcript());
    let early: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(early["proposal"]["tickets"], 0);
    assert_eq!(early["proposal"]["after_horizon"], 2);
    let run = simulate_shipped(&data, "events.jsonl", &["--until", "2000-01-01T00:00:00Z"]);
    assert!(
        run.stdout
            .contains("judged at 2000-01-01T00:00:00Z (--until)")
            && run
                .stdout
                .contains("2 ticket(s) created after the horizon were left out"),
        "{}",
        run.stdout
    );
}

#[test]
fn tickets_with_values_outside_the_catalogue_are_counted_in_every_format() {
    let tmp = tempfile::tempdir().unwrap();
    let ticket = |id: &str, priority: &str, segment: &str| {
        format!(
            r#"{{"id":"{id}","created_at":"2026-10-05T14:00:00Z","priority":"{priority}","channel":"email","requester":{{"segment":"{segment}"}},"events":[{{"at":"2026-10-05T14:00:00Z","type":"customer_message","text":"hi"}},{{"at":"2026-10-05T15:00:00Z","type":"solved"}}]}}"#
        )
    };
    let lines = [
        ticket("U1", "Critical", "Enterprise"),
        ticket("U2", "P9", "gold"),
        ticket("U3", "low", "gold"),
        ticket("U4", "low", "<b>x</b>|y"),
    ];
    std::fs::write(tmp.path().join("t.jsonl"), lines.join("\n") + "\n").unwrap();
    let report = report_json(tmp.path(), "t.jsonl");
    assert_eq!(
        report["proposal"]["unknown_values"],
        serde_json::json!([
            {"field": "priority", "value": "P9", "tickets": 1},
            {"field": "segment", "value": "<b>x</b>|y", "tickets": 1},
            {"field": "segment", "value": "gold", "tickets": 2},
        ])
    );
    let human = simulate_shipped(tmp.path(), "t.jsonl", &[]);
    assert!(
        human.stdout.contains("ticket values outside the catalogue"),
        "{}",
        human.stdout
    );
    let md = simulate_shipped(tmp.path(), "t.jsonl", &["--format", "markdown"]);
    assert!(
        md.stdout
            .contains("| segment | &lt;b&gt;x&lt;/b&gt;\\|y | 1 |"),
        "{}",
        md.stdout
    );
    let html = simulate_shipped(tmp.path(), "t.jsonl", &["--format", "html"]);
    assert!(
        html.stdout.contains("<code>&lt;b&gt;x&lt;/b&gt;|y</code>")
            && !html.stdout.contains("<b>x</b>"),
        "html escapes the value"
    );
}

#[test]
fn level_response_breach_rates_are_reported_per_level() {
    let tmp = tempfile::tempdir().unwrap();
    // Escalated to L2 on a Monday morning; no tier-2 activity for 5 hours
    // against L2's 4h maximum.
    let line = r#"{"id":"L-1","created_at":"2026-10-19T14:00:00Z","priority":"medium","requester":{"segment":"smb"},"events":[{"at":"2026-10-19T14:00:00Z","type":"customer_message","text":"hi"},{"at":"2026-10-19T14:05:00Z","type":"agent_reply","tier":1},{"at":"2026-10-19T14:10:00Z","type":"escalated","to_tier":2,"reason":"functional"},{"at":"2026-10-19T19:00:00Z","type":"agent_reply","tier":2},{"at":"2026-10-19T20:00:00Z","type":"solved"}]}"#;
    std::fs::write(tmp.path().join("t.jsonl"), format!("{line}\n")).unwrap();
    let report = report_json(tmp.path(), "t.jsonl");
    assert_eq!(
        report["proposal"]["level_response"],
        serde_json::json!([
            {"level": "L1", "name": "Frontline Support", "breach": {"percent": 0.0, "count": 0, "of": 1}},
            {"level": "L2", "name": "Technical Specialists", "breach": {"percent": 100.0, "count": 1, "of": 1}},
        ])
    );
    let human = simulate_shipped(tmp.path(), "t.jsonl", &[]);
    assert!(
        human.stdout.contains("level response breach rate by level"),
        "{}",
        human.stdout
    );
}
