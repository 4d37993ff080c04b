//! What one replayed ticket contributes to the metrics.

use std::fmt::Write as _;

use slate_engine::summary::{Breach, Escalation, Summary};
use slate_engine::ticket::{EventBody, Status, Ticket};
use slate_engine::{Engine, engine::instant};

/// Per-ticket facts: everything the metrics need, borrowed from the ticket
/// and the policies.
#[derive(Clone, Debug)]
pub struct Facts<'a> {
    pub id: &'a str,
    /// The priority in force at the end.
    pub priority: &'a str,
    /// The requester's segment as the catalogue names it (as written when
    /// it is outside the catalogue), `(none)` without one.
    pub segment: &'a str,
    pub recorded_escalations: u32,
    pub policy_escalations: u32,
    /// Escalation → first assignment or reply at the new tier, seconds.
    pub handoff_delays: Vec<i64>,
    /// Escalations followed by a return to a lower tier.
    pub bounced: u32,
    /// Escalated again after a return.
    pub repeat_escalation: bool,
    /// The customer wrote again while the ticket was escalated.
    pub recontact: bool,
    /// Information was re-collected after an escalation.
    pub context_loss: bool,
    /// Per metric of [`SlaMetric::ALL`]: `None` without a target, else breached?
    pub targets: [Option<bool>; 4],
    /// First public reply: (calendar, business) seconds after creation.
    pub first_response: Option<(i64, i64)>,
    /// First solve: (calendar, business) seconds after creation.
    pub resolution: Option<(i64, i64)>,
    pub csat: Option<u8>,
    /// Open intervals (unix seconds); the end is `None` while unresolved.
    pub open: Vec<(i64, Option<i64>)>,
    /// The last instant of the timeline.
    pub last_event: i64,
    /// What the policy decided, compared between policy versions.
    pub decisions: Summary<'a>,
}

/// The first difference between two replays of one ticket, in words.
pub fn difference(before: &Summary<'_>, after: &Summary<'_>) -> Option<String> {
    if before.priority != after.priority {
        return Some(format!("priority {} → {}", before.priority, after.priority));
    }
    if before.sla_entry_id() != after.sla_entry_id() {
        return Some(format!(
            "SLA entry {} → {}",
            before.sla_entry_id().unwrap_or("none"),
            after.sla_entry_id().unwrap_or("none")
        ));
    }
    if before.breaches != after.breaches {
        return Some(format!(
            "breaches [{}] → [{}]",
            breaches(&before.breaches),
            breaches(&after.breaches)
        ));
    }
    let was = before.escalations.iter().filter(|e| e.policy);
    let now = after.escalations.iter().filter(|e| e.policy);
    if was.clone().ne(now.clone()) {
        return Some(format!(
            "escalations [{}] → [{}]",
            escalations(was),
            escalations(now)
        ));
    }
    if before.refunds_needing_approval != after.refunds_needing_approval {
        return Some(format!(
            "refunds needing approval {} → {}",
            before.refunds_needing_approval, after.refunds_needing_approval
        ));
    }
    None
}

fn breaches(list: &[Breach]) -> String {
    let mut out = String::new();
    for (i, b) in list.iter().enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let _ = write!(out, "{sep}{b}@{}", instant(b.at));
    }
    out
}

fn escalations<'e, 'a: 'e>(list: impl Iterator<Item = &'e Escalation<'a>>) -> String {
    let mut out = String::new();
    for (i, e) in list.enumerate() {
        let sep = if i == 0 { "" } else { ", " };
        let from = e.from.map_or_else(|| "-".to_owned(), |p| p.to_string());
        let _ = write!(out, "{sep}{from}→{}@{}", e.to, instant(e.at));
    }
    out
}

/// Replays `ticket` without a trace up to the horizon `until` (its last
/// event when `None`) and derives its facts.
pub fn facts<'a>(engine: &'a Engine<'_>, ticket: &'a Ticket, until: Option<i64>) -> Facts<'a> {
    from_summary(engine, ticket, engine.evaluate(ticket, until))
}

/// The ticket as it stood at the horizon `until`: its events after it have
/// not happened yet (DESIGN §4.17). Borrowed when nothing is cut.
pub fn at_horizon(ticket: &Ticket, until: Option<i64>) -> std::borrow::Cow<'_, Ticket> {
    match until {
        Some(until) if ticket.events.iter().any(|e| e.at.timestamp() > until) => {
            let mut cut = ticket.clone();
            cut.events.retain(|e| e.at.timestamp() <= until);
            std::borrow::Cow::Owned(cut)
        }
        _ => std::borrow::Cow::Borrowed(ticket),
    }
}

/// Derives facts from a ticket and what the policy decided for it.
pub fn from_summary<'a>(
    engine: &Engine<'_>,
    ticket: &'a Ticket,
    summary: Summary<'a>,
) -> Facts<'a> {
    let created = ticket.created_at.timestamp();
    let clock = summary.sla_entry.and_then(|e| engine.clock(&e.calendar));
    let mut f = Facts {
        id: &ticket.id,
        priority: summary.priority,
        segment: summary
            .segment
            .or(ticket.requester.segment.as_deref())
            .unwrap_or("(none)"),
        recorded_escalations: 0,
        policy_escalations: 0,
        handoff_delays: Vec::new(),
        bounced: 0,
        repeat_escalation: false,
        recontact: false,
        context_loss: false,
        targets: summary.targets,
        first_response: None,
        resolution: None,
        csat: None,
        open: Vec::new(),
        last_event: ticket.events.last().map_or(created, |e| e.at.timestamp()),
        decisions: summary,
    };
    let escalations = std::mem::take(&mut f.decisions.escalations);
    for e in &escalations {
        if e.policy {
            f.policy_escalations += 1;
        } else {
            f.recorded_escalations += 1;
        }
    }
    // Handoff delay: first assignment or reply at the tier reached.
    for e in &escalations {
        let Some(tier) = e.tier else { continue };
        let handled = ticket.events.iter().find(|ev| {
            ev.at.timestamp() >= e.at
                && match &ev.body {
                    EventBody::Assigned { tier: Some(t), .. }
                    | EventBody::AgentReply { tier: Some(t), .. } => *t == tier,
                    _ => false,
                }
        });
        if let Some(ev) = handled {
            f.handoff_delays.push(ev.at.timestamp() - e.at);
        }
    }
    // The first escalated window: from the first escalation to the first
    // return or solve after it.
    let first_escalation = escalations.iter().map(|e| e.at).min();
    let window_end = first_escalation.and_then(|fe| {
        ticket
            .events
            .iter()
            .filter(|e| e.at.timestamp() >= fe)
            .find(|e| {
                matches!(
                    e.body,
                    EventBody::Returned { .. } | EventBody::Solved {} | EventBody::Closed {}
                )
            })
            .map(|e| e.at.timestamp())
    });
    let mut first_return = None;
    let mut open_since = Some(created);
    let mut first_reply = None;
    let mut first_solve = None;
    for e in &ticket.events {
        let at = e.at.timestamp();
        let in_window =
            first_escalation.is_some_and(|fe| at > fe) && window_end.is_none_or(|end| at < end);
        let solved = matches!(
            &e.body,
            EventBody::Solved {}
                | EventBody::Closed {}
                | EventBody::StatusChanged {
                    status: Status::Solved | Status::Closed
                }
        );
        if solved {
            if let Some(start) = open_since.take() {
                f.open.push((start, Some(at)));
            }
            first_solve.get_or_insert(at);
        }
        match &e.body {
            EventBody::Escalated { .. } if first_return.is_some() => f.repeat_escalation = true,
            EventBody::Returned { .. } => {
                f.bounced += 1;
                first_return.get_or_insert(at);
            }
            EventBody::CustomerMessage { .. } if in_window => f.recontact = true,
            EventBody::ContextRequested {} if first_escalation.is_some_and(|fe| at >= fe) => {
                f.context_loss = true
            }
            EventBody::AgentReply { public: true, .. } if first_reply.is_none() => {
                first_reply = Some(at)
            }
            EventBody::Reopened {} if open_since.is_none() => open_since = Some(at),
            EventBody::Csat { score } => f.csat = Some(*score),
            _ => {}
        }
    }
    // A policy escalation after a return is a repeat escalation too.
    if let Some(first_return) = first_return
        && escalations.iter().any(|e| e.at > first_return)
    {
        f.repeat_escalation = true;
    }
    if let Some(start) = open_since {
        f.open.push((start, None));
    }
    f.decisions.escalations = escalations;
    let business = |end: i64| clock.map_or(end - created, |c| c.elapsed_seconds(created, end));
    f.first_response = first_reply.map(|t| (t - created, business(t)));
    f.resolution = first_solve.map(|t| (t - created, business(t)));
    f
}
