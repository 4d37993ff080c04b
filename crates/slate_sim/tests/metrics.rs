//! Metric values on a hand-built ticket set equal hand-computed values.

use std::path::Path;

use slate_engine::{Engine, Ticket};
use slate_policy::Limits;
use slate_sim::Accumulator;

/// Five low-priority smb tickets on Monday 2026-10-05 (New York business
/// hours are 13:00–22:00Z). First response target 8h business.
const TICKETS: &str = r#"
{"id":"T1","created_at":"2026-10-05T14:00:00Z","subject":"Feature request","priority":"low","requester":{"segment":"smb"},"events":[{"at":"2026-10-05T14:00:00Z","type":"customer_message","text":"hi"},{"at":"2026-10-05T14:30:00Z","type":"agent_reply","tier":1},{"at":"2026-10-05T15:00:00Z","type":"escalated","to_tier":2,"reason":"functional"},{"at":"2026-10-05T15:20:00Z","type":"assigned","tier":2},{"at":"2026-10-05T15:40:00Z","type":"customer_message","text":"any news"},{"at":"2026-10-05T16:00:00Z","type":"context_requested"},{"at":"2026-10-05T16:10:00Z","type":"agent_reply","tier":2},{"at":"2026-10-05T17:00:00Z","type":"solved"},{"at":"2026-10-05T18:00:00Z","type":"csat","score":5}]}
{"id":"T2","created_at":"2026-10-05T14:00:00Z","subject":"Feature request","priority":"low","requester":{"segment":"smb"},"events":[{"at":"2026-10-05T14:00:00Z","type":"customer_message","text":"hi"},{"at":"2026-10-05T15:00:00Z","type":"agent_reply","tier":1},{"at":"2026-10-05T15:30:00Z","type":"escalated","to_tier":2,"reason":"functional"},{"at":"2026-10-05T16:30:00Z","type":"agent_reply","tier":2},{"at":"2026-10-05T17:00:00Z","type":"returned","to_tier":1},{"at":"2026-10-05T18:00:00Z","type":"solved"},{"at":"2026-10-05T19:00:00Z","type":"csat","score":2}]}
{"id":"T3","created_at":"2026-10-05T14:00:00Z","subject":"Feature request","priority":"low","requester":{"segment":"smb"},"events":[{"at":"2026-10-05T14:00:00Z","type":"customer_message","text":"hi"},{"at":"2026-10-06T14:00:00Z","type":"agent_reply","tier":1},{"at":"2026-10-06T15:00:00Z","type":"solved"}]}
{"id":"T4","created_at":"2026-10-05T14:00:00Z","subject":"Feature request","priority":"low","requester":{"segment":"smb"},"events":[{"at":"2026-10-05T14:00:00Z","type":"customer_message","text":"hi"},{"at":"2026-10-05T14:10:00Z","type":"agent_reply","tier":1},{"at":"2026-10-05T14:40:00Z","type":"solved"}]}
{"id":"T5","created_at":"2026-10-05T14:00:00Z","subject":"Feature request","priority":"low","requester":{"segment":"smb"},"events":[{"at":"2026-10-05T14:00:00Z","type":"customer_message","text":"hi"},{"at":"2026-10-05T14:20:00Z","type":"agent_reply","tier":1}]}
"#;

#[test]
fn metrics_equal_hand_computed_values() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
    let checked = slate_policy::check_path(&root, &Limits::default()).unwrap();
    let engine = Engine::new(&checked.set).unwrap();
    let mut acc = Accumulator::default();
    let tickets: Vec<Ticket> = TICKETS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    // Judged, as `simulate` does, at the export time: T3's solve, the
    // latest event.
    let export = chrono::DateTime::parse_from_rfc3339("2026-10-06T15:00:00Z")
        .unwrap()
        .timestamp();
    for ticket in &tickets {
        acc.add(&slate_sim::facts::facts(&engine, ticket, Some(export)));
    }
    let horizon = slate_sim::Horizon::latest_event(export);
    let report = acc.report(&engine, 0, horizon, Default::default());
    let all = &report.groups[0];
    assert_eq!(all.tickets, 5);
    // T1 and T2 escalated by the timeline; T3 by first-response-at-risk at
    // 90 % of 8h business (Monday 21:12Z).
    assert_eq!(
        (all.escalation_rate.count, all.escalation_rate.percent),
        (3, Some(60.0))
    );
    assert_eq!(all.recorded_escalation_rate.count, 2);
    assert_eq!(all.policy_escalation_rate.count, 1);
    // One of three escalations returned.
    assert_eq!((all.bounceback_rate.count, all.bounceback_rate.of), (1, 3));
    assert_eq!(all.bounceback_rate.percent, Some(33.3));
    assert_eq!(all.repeat_escalation_rate.count, 0);
    // T1: the customer wrote while escalated and context was re-collected.
    assert_eq!((all.recontact_rate.count, all.recontact_rate.of), (1, 3));
    assert_eq!(
        (all.context_loss_rate.count, all.context_loss_rate.of),
        (1, 3)
    );
    // Handoff: T1 20 min (assigned at tier 2), T2 60 min (reply at tier 2).
    assert_eq!(all.handoff_delay.count, 2);
    assert_eq!(
        (all.handoff_delay.p50_minutes, all.handoff_delay.p90_minutes),
        (Some(20.0), Some(60.0))
    );
    // First response: only T3 (answered Tuesday 14:00, due Tuesday 13:00) breaches.
    let fr = &all.breach_rates[0];
    assert_eq!(
        (fr.metric, fr.overall.count, fr.overall.of),
        ("first_response", 1, 5)
    );
    // Calendar 10/20/30/60/1440 min; business 10/20/30/60/540 min.
    assert_eq!(all.first_response_calendar.p50_minutes, Some(30.0));
    assert_eq!(all.first_response_calendar.p90_minutes, Some(1440.0));
    assert_eq!(all.first_response_business.p90_minutes, Some(540.0));
    // CSAT: 5 and 2.
    assert_eq!(all.csat_average, Some(3.5));
    assert_eq!((all.csat_satisfied.count, all.csat_satisfied.of), (1, 2));
    // Backlog: at the end of Monday T3 and T5 are open; at the end of
    // Tuesday (the day the data ends) T5 is.
    let backlog: Vec<(&str, u64)> = report
        .backlog
        .iter()
        .map(|b| (b.day_end.as_str(), b.unresolved))
        .collect();
    assert_eq!(backlog, [("2026-10-05", 2), ("2026-10-06", 1)]);
    // The escalation rate is far outside the 6–12 % band.
    let esc = report
        .benchmarks
        .iter()
        .find(|v| v.metric == "escalation_rate")
        .unwrap();
    assert_eq!(esc.verdict, "alert");
}
