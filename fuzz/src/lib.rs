//! What the replay fuzz targets share: the shipped policies, loaded once,
//! and arbitrary tickets built from fuzz bytes (any event types, in time
//! order, with the shipped policies' keywords, tags, priorities and
//! segments).

use std::sync::OnceLock;

use arbitrary::{Result, Unstructured};
use serde_json::{Value, json};
use slate_engine::Engine;

fn checked() -> &'static slate_policy::Checked {
    static CHECKED: OnceLock<slate_policy::Checked> = OnceLock::new();
    CHECKED.get_or_init(|| {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
        slate_policy::check_path(&root, &slate_policy::Limits::default())
            .unwrap_or_else(|e| panic!("the shipped policies do not load: {e:?}"))
    })
}

pub fn engine() -> &'static Engine<'static> {
    static ENGINE: OnceLock<Engine<'static>> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(&checked().set).unwrap_or_else(|e| panic!("{e}")))
}

pub fn reference() -> &'static slate_reference::Reference<'static> {
    static REFERENCE: OnceLock<slate_reference::Reference<'static>> = OnceLock::new();
    REFERENCE.get_or_init(|| {
        slate_reference::Reference::new(&checked().set).unwrap_or_else(|e| panic!("{e}"))
    })
}

/// The reference steps every minute of a ticket's life; longer tickets are
/// left to the engine alone.
pub const REFERENCE_SPAN: i64 = 60 * 86_400;

const WORDS: [&str; 12] = [
    "outage",
    "system down",
    "launch",
    "billing",
    "invoice",
    "legal",
    "cancel",
    "churn",
    "hacked",
    "feature request",
    "hello",
    "Go-Live",
];
const PRIORITIES: [&str; 7] = ["critical", "high", "medium", "low", "P1", "urgent", ""];
const SEGMENTS: [&str; 4] = ["enterprise", "mid-market", "smb", "other"];
const TAGS: [&str; 6] = [
    "outage",
    "system-wide",
    "billing",
    "vip",
    "security",
    "launch-blocker",
];
const STATUSES: [&str; 6] = ["new", "open", "pending", "on_hold", "solved", "closed"];

fn text(u: &mut Unstructured<'_>) -> Result<String> {
    let n = u.int_in_range(0..=4)?;
    let mut words = Vec::new();
    for _ in 0..n {
        words.push(*u.choose(&WORDS)?);
    }
    Ok(words.join(" "))
}

fn event(u: &mut Unstructured<'_>, at: &str) -> Result<Value> {
    let tier = u.int_in_range(0..=4u8)?;
    Ok(match u.int_in_range(0..=13)? {
        0 => {
            json!({"at": at, "type": "customer_message", "text": text(u)?, "sentiment": f64::from(u.int_in_range(-10..=10i8)?) / 10.0})
        }
        1 => {
            json!({"at": at, "type": "agent_reply", "tier": tier, "public": u.arbitrary::<bool>()?})
        }
        2 => json!({"at": at, "type": "internal_note"}),
        3 => json!({"at": at, "type": "assigned", "tier": tier}),
        4 => {
            json!({"at": at, "type": "escalated", "to_tier": tier, "reason": if u.arbitrary::<bool>()? { "functional" } else { "hierarchical" }})
        }
        5 => json!({"at": at, "type": "returned", "to_tier": tier}),
        6 => json!({"at": at, "type": "context_requested"}),
        7 => json!({"at": at, "type": "status_changed", "status": *u.choose(&STATUSES)?}),
        8 => json!({"at": at, "type": "priority_changed", "priority": *u.choose(&PRIORITIES)?}),
        9 => {
            json!({"at": at, "type": "refund_requested", "amount": format!("{}.00", u.int_in_range(0..=5000u32)?), "currency": *u.choose(&["USD", "EUR", "JPY"])?})
        }
        10 => json!({"at": at, "type": "solved"}),
        11 => json!({"at": at, "type": "reopened"}),
        12 => json!({"at": at, "type": "closed"}),
        _ => json!({"at": at, "type": "csat", "score": u.int_in_range(1..=5u8)?}),
    })
}

pub fn ticket(u: &mut Unstructured<'_>) -> Result<String> {
    let created = 1_791_158_400 + i64::from(u.int_in_range(0..=40 * 86_400u32)?);
    let instant = |t: i64| slate_engine::engine::instant(t);
    let mut t = created;
    let mut events = Vec::new();
    for _ in 0..u.int_in_range(0..=25)? {
        t += i64::from(u.int_in_range(0..=36 * 3600u32)?);
        events.push(event(u, &instant(t))?);
    }
    let mut tags = Vec::new();
    for _ in 0..u.int_in_range(0..=2)? {
        tags.push(*u.choose(&TAGS)?);
    }
    let priority = *u.choose(&PRIORITIES)?;
    let ticket = json!({
        "id": "F-1",
        "created_at": instant(created),
        "subject": text(u)?,
        "priority": if priority.is_empty() { Value::Null } else { json!(priority) },
        "channel": *u.choose(&["email", "chat", "phone", "web"])?,
        "requester": {"segment": *u.choose(&SEGMENTS)?, "vip": u.arbitrary::<bool>()?, "arr": f64::from(u.int_in_range(0..=500u16)?) * 1000.0},
        "tags": tags,
        "fields": {"affected_customers": u.int_in_range(0..=5u8)?},
        "events": events,
    });
    Ok(ticket.to_string())
}

/// The ticket a fuzz input stands for: JSON as it is (the scenario seeds),
/// or one built from the bytes. `None` when neither reads.
pub fn input(data: &[u8]) -> Option<(String, slate_engine::Ticket)> {
    let line = match std::str::from_utf8(data) {
        Ok(text) if text.starts_with('{') => text.to_owned(),
        _ => ticket(&mut Unstructured::new(data)).ok()?,
    };
    let ticket = slate_engine::ticket::parse_line(&line, 1).ok()?;
    Some((line, ticket))
}
