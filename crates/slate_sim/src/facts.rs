//! What one replayed ticket contributes to the metrics.

use slate_engine::Engine;
use slate_engine::ticket::{EventBody, Ticket};
use slate_engine::trace::{Decision, Trace};

/// SLA metrics in report order.
pub const METRICS: [&str; 4] = [
    "first_response",
    "next_response",
    "periodic_update",
    "resolution",
];

/// Per-ticket facts: everything the metrics need, nothing else.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    pub id: String,
    pub priority: String,
    pub segment: String,
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
    /// Per metric of [`METRICS`]: `None` without a target, else breached?
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
    pub decisions: Decisions,
}

/// The decisions that make two replays of one ticket "different".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Decisions {
    pub priority: String,
    pub sla_entry: Option<String>,
    /// `metric#cycle@instant` of every breach.
    pub breaches: Vec<String>,
    /// `from→to@instant` of every policy escalation.
    pub escalations: Vec<String>,
    pub refunds_needing_approval: usize,
}

impl Decisions {
    /// The first difference, in words.
    pub fn difference(&self, other: &Self) -> Option<String> {
        if self.priority != other.priority {
            return Some(format!("priority {} → {}", self.priority, other.priority));
        }
        if self.sla_entry != other.sla_entry {
            return Some(format!(
                "SLA entry {} → {}",
                self.sla_entry.as_deref().unwrap_or("none"),
                other.sla_entry.as_deref().unwrap_or("none")
            ));
        }
        if self.breaches != other.breaches {
            return Some(format!(
                "breaches [{}] → [{}]",
                self.breaches.join(", "),
                other.breaches.join(", ")
            ));
        }
        if self.escalations != other.escalations {
            return Some(format!(
                "escalations [{}] → [{}]",
                self.escalations.join(", "),
                other.escalations.join(", ")
            ));
        }
        if self.refunds_needing_approval != other.refunds_needing_approval {
            return Some(format!(
                "refunds needing approval {} → {}",
                self.refunds_needing_approval, other.refunds_needing_approval
            ));
        }
        None
    }
}

/// Replays `ticket` and derives its facts.
pub fn facts(engine: &Engine<'_>, ticket: &Ticket) -> Facts {
    let trace = engine.replay(ticket);
    from_trace(engine, ticket, &trace)
}

/// Derives facts from a ticket and its trace.
pub fn from_trace(engine: &Engine<'_>, ticket: &Ticket, trace: &Trace) -> Facts {
    let created = ticket.created_at.timestamp();
    let mut f = Facts {
        id: ticket.id.clone(),
        priority: trace.outcome.priority.clone(),
        segment: ticket
            .requester
            .segment
            .clone()
            .unwrap_or_else(|| "(none)".to_owned()),
        ..Facts::default()
    };
    f.decisions.priority = trace.outcome.priority.clone();
    f.decisions.refunds_needing_approval = trace.outcome.refunds_needing_approval;
    // Escalations from the trace: (instant, tier reached).
    let mut escalations: Vec<(i64, Option<u8>)> = Vec::new();
    for entry in &trace.entries {
        let at = entry.at;
        match &entry.decision {
            Decision::SlaSelected { entry } => f.decisions.sla_entry = Some(entry.clone()),
            Decision::TargetStarted { metric, .. } => {
                if let Some(i) = METRICS.iter().position(|m| m == metric)
                    && let Some(slot) = f.targets.get_mut(i)
                {
                    slot.get_or_insert(false);
                }
            }
            Decision::TargetBreached { metric, cycle, .. } => {
                if let Some(i) = METRICS.iter().position(|m| m == metric)
                    && let Some(slot) = f.targets.get_mut(i)
                {
                    *slot = Some(true);
                }
                f.decisions
                    .breaches
                    .push(format!("{metric}#{cycle}@{}", entry.at));
            }
            Decision::Escalated {
                from, to, origin, ..
            } => {
                let tier = engine
                    .level_tier(to)
                    .or_else(|| to.strip_prefix("tier ").and_then(|t| t.parse().ok()));
                escalations.push((at, tier));
                if origin == "policy" {
                    f.policy_escalations += 1;
                    f.decisions.escalations.push(format!(
                        "{}→{to}@{}",
                        from.as_deref().unwrap_or("-"),
                        entry.at
                    ));
                } else {
                    f.recorded_escalations += 1;
                }
            }
            _ => {}
        }
    }
    // Handoff delay: first assignment or reply at the tier reached.
    for &(at, tier) in &escalations {
        let Some(tier) = tier else { continue };
        let handled = ticket.events.iter().find(|e| {
            e.at.timestamp() >= at
                && match &e.body {
                    EventBody::Assigned { tier: Some(t), .. }
                    | EventBody::AgentReply { tier: Some(t), .. } => *t == tier,
                    _ => false,
                }
        });
        if let Some(e) = handled {
            f.handoff_delays.push(e.at.timestamp() - at);
        }
    }
    // The first escalated window: from the first escalation to the first
    // return or solve after it.
    let first_escalation = escalations.iter().map(|(at, _)| *at).min();
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
    let mut returned = false;
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
                    status: slate_engine::ticket::Status::Solved
                        | slate_engine::ticket::Status::Closed
                }
        );
        if solved {
            if let Some(start) = open_since.take() {
                f.open.push((start, Some(at)));
            }
            first_solve.get_or_insert(at);
        }
        match &e.body {
            EventBody::Escalated { .. } if returned => f.repeat_escalation = true,
            EventBody::Returned { .. } => {
                f.bounced += 1;
                returned = true;
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
    if let Some(first_return) = ticket
        .events
        .iter()
        .find(|e| matches!(e.body, EventBody::Returned { .. }))
        .map(|e| e.at.timestamp())
        && escalations.iter().any(|(at, _)| *at > first_return)
    {
        f.repeat_escalation = true;
    }
    if let Some(start) = open_since {
        f.open.push((start, None));
    }
    f.last_event = ticket.events.last().map_or(created, |e| e.at.timestamp());
    let clock = f
        .decisions
        .sla_entry
        .as_deref()
        .and_then(|e| engine.sla_clock(e));
    let business = |end: i64| clock.map_or(end - created, |c| c.elapsed_seconds(created, end));
    f.first_response = first_reply.map(|t| (t - created, business(t)));
    f.resolution = first_solve.map(|t| (t - created, business(t)));
    f
}
