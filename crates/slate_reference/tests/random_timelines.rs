//! Property test: arbitrary timelines — events at the same instant, on
//! minute boundaries and one second off them, long silences, every event
//! type in any order, unknown priorities, teams and currencies — replay the
//! same through the engine and the reference.

#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test helpers fail the test by panicking"
)]

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use serde_json::{Value, json};
use slate_engine::{Engine, Ticket};
use slate_policy::Limits;
use slate_policy::model::PolicySet;
use slate_reference::Reference;

const TEXTS: &[&str] = &[
    "Hello, any update?",
    "Total OUTAGE here, all users affected",
    "We will cancel and involve legal",
    "Billing: we were double charged on the invoice",
    "Security breach? unauthorized access seen",
    "This is a suggestion, would be nice",
    "We are considering to switch to a competitor",
    "launch go-live tomorrow",
    "",
];
const TEAMS: &[&str] = &[
    "frontline",
    "technical-support",
    "finance-billing",
    "senior-engineering",
    "on-call-engineering",
    "security-response",
    "leadership",
    "partner-escalations",
    "nobody-knows",
];
const PRIORITIES: &[&str] = &["critical", "high", "medium", "low", "P1", "p4", "urgent"];
const STATUSES: &[&str] = &["new", "open", "pending", "on_hold", "solved", "closed"];
const AMOUNTS: &[&str] = &["50", "100.00", "100.01", "450", "2500", "99999"];
const CURRENCIES: &[&str] = &["USD", "EUR", "GBP", "JPY"];
/// Seconds between events: often none, often a minute boundary or one
/// second either side, sometimes hours or days.
const GAPS: &[i64] = &[
    0, 0, 1, 59, 60, 61, 599, 3_600, 5_400, 28_800, 86_400, 259_200,
];

fn pick(items: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    proptest::sample::select(items)
}

fn event() -> impl Strategy<Value = (i64, Value)> {
    let gap = prop_oneof![
        3 => proptest::sample::select(GAPS),
        1 => 0..200_000i64,
    ];
    let body = prop_oneof![
        4 => (pick(TEXTS), proptest::option::of(-1.0..1.0f64)).prop_map(|(text, sentiment)| {
            json!({"type": "customer_message", "text": text, "sentiment": sentiment})
        }),
        4 => (any::<bool>(), 0..5u8).prop_map(|(private, tier)| {
            json!({"type": "agent_reply", "public": !private || tier == 0, "tier": tier})
        }),
        1 => Just(json!({"type": "internal_note"})),
        1 => Just(json!({"type": "context_requested"})),
        1 => (proptest::option::of(pick(TEAMS)), proptest::option::of(0..5u8))
            .prop_map(|(team, tier)| json!({"type": "assigned", "team": team, "tier": tier})),
        2 => (1..5u8, any::<bool>()).prop_map(|(tier, functional)| json!({
            "type": "escalated",
            "to_tier": tier,
            "reason": if functional { "functional" } else { "hierarchical" },
        })),
        1 => (1..4u8).prop_map(|tier| json!({"type": "returned", "to_tier": tier})),
        3 => pick(STATUSES).prop_map(|s| json!({"type": "status_changed", "status": s})),
        2 => pick(PRIORITIES).prop_map(|p| json!({"type": "priority_changed", "priority": p})),
        1 => (pick(AMOUNTS), pick(CURRENCIES)).prop_map(|(amount, currency)| json!({
            "type": "refund_requested", "amount": amount, "currency": currency,
        })),
        1 => Just(json!({"type": "refund_decided", "approved": true})),
        2 => Just(json!({"type": "solved"})),
        2 => Just(json!({"type": "reopened"})),
        1 => Just(json!({"type": "closed"})),
        1 => Just(json!({"type": "csat", "score": 4})),
        1 => Just(json!({"type": "webhook_fired"})),
    ];
    (gap, body)
}

fn ticket() -> impl Strategy<Value = Ticket> {
    let requester = (
        proptest::option::of(pick(&["enterprise", "mid-market", "smb", "consumer"])),
        any::<bool>(),
        proptest::option::of(0.0..500_000.0f64),
    );
    let attributes = (
        proptest::option::of(pick(PRIORITIES)),
        proptest::option::of(pick(TEXTS)),
        proptest::option::of(pick(&["email", "chat", "phone", "web"])),
        proptest::sample::subsequence(
            &[
                "outage",
                "system-wide",
                "billing",
                "security",
                "third-party",
                "feature-request",
            ][..],
            0..3,
        ),
        proptest::option::of(0..5i64),
    );
    // Created within two months that hold a DST change (US, 2026-11-01).
    (
        0..61 * 86_400i64,
        requester,
        attributes,
        proptest::collection::vec(event(), 0..24),
    )
        .prop_map(|(offset, requester, attributes, events)| {
            let created = 1_790_812_800 + offset; // 2026-10-01T00:00:00Z
            let (segment, vip, arr) = requester;
            let (priority, subject, channel, tags, affected) = attributes;
            let mut at = created;
            let events: Vec<Value> = events
                .into_iter()
                .map(|(gap, mut body)| {
                    at += gap;
                    body["at"] = json!(rfc3339(at));
                    body
                })
                .collect();
            let ticket = json!({
                "id": format!("R-{created}"),
                "created_at": rfc3339(created),
                "subject": subject,
                "priority": priority,
                "channel": channel,
                "requester": {"segment": segment, "vip": vip, "arr": arr},
                "tags": tags,
                "fields": {"affected_customers": affected},
                "events": events,
            });
            serde_json::from_value(ticket).unwrap()
        })
}

fn rfc3339(t: i64) -> String {
    chrono::DateTime::from_timestamp(t, 0)
        .unwrap()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn shipped() -> &'static PolicySet {
    static SET: OnceLock<PolicySet> = OnceLock::new();
    SET.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../policies");
        slate_policy::check_path(&root, &Limits::default())
            .unwrap()
            .set
    })
}

fn engine() -> &'static Engine<'static> {
    static ENGINE: OnceLock<Engine<'static>> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(shipped()).unwrap())
}

fn reference() -> &'static Reference<'static> {
    static REFERENCE: OnceLock<Reference<'static>> = OnceLock::new();
    REFERENCE.get_or_init(|| Reference::new(shipped()).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn random_timelines_replay_identically(ticket in ticket()) {
        let fast = engine().replay(&ticket);
        let slow = reference().replay(&ticket);
        for (i, (a, b)) in fast.entries.iter().zip(&slow.entries).enumerate() {
            prop_assert_eq!(a, b, "entry {}", i);
        }
        prop_assert_eq!(fast, slow);
    }
}
