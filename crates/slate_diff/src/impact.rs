//! Replay impact: the same tickets under both policy sets, in one pass.

use std::collections::BTreeSet;

use serde::Serialize;
use slate_engine::summary::{Place, Summary};
use slate_engine::trace::{Cause, Entry};
use slate_engine::{Engine, Ticket};
use slate_sim::facts::{self, Facts};
use slate_sim::{Accumulator, Horizon, Report};

/// What changed for one ticket.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Classification,
    SlaTarget,
    BreachAppears,
    BreachDisappears,
    EscalationAppears,
    EscalationDisappears,
    EscalationMoves,
    RefundNeedsApproval,
    RefundNoLongerNeedsApproval,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Self::Classification,
        Self::SlaTarget,
        Self::BreachAppears,
        Self::BreachDisappears,
        Self::EscalationAppears,
        Self::EscalationDisappears,
        Self::EscalationMoves,
        Self::RefundNeedsApproval,
        Self::RefundNoLongerNeedsApproval,
    ];

    pub fn words(self) -> &'static str {
        match self {
            Self::Classification => "a different classification",
            Self::SlaTarget => "a different SLA target",
            Self::BreachAppears => "a breach that appears",
            Self::BreachDisappears => "a breach that disappears",
            Self::EscalationAppears => "an escalation that appears",
            Self::EscalationDisappears => "an escalation that disappears",
            Self::EscalationMoves => "an escalation that moves",
            Self::RefundNeedsApproval => "a refund that now needs approval",
            Self::RefundNoLongerNeedsApproval => "a refund that no longer needs approval",
        }
    }
}

/// A ticket decided differently, with the first trace entry that differs.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ChangedTicket {
    pub ticket: String,
    pub changes: Vec<Kind>,
    pub first_difference: String,
}

/// Tickets per kind of change; serialised as `{kind: count}` in
/// [`Kind::ALL`] order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Counts([u64; Kind::ALL.len()]);

impl Counts {
    pub fn get(&self, kind: Kind) -> u64 {
        self.0.get(kind as usize).copied().unwrap_or(0)
    }

    fn add(&mut self, kind: Kind) {
        if let Some(n) = self.0.get_mut(kind as usize) {
            *n += 1;
        }
    }

    fn merge(&mut self, other: &Counts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }
}

impl Serialize for Counts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(Kind::ALL.len()))?;
        for kind in Kind::ALL {
            map.serialize_entry(&kind, &self.get(kind))?;
        }
        map.end()
    }
}

/// The impact of a change on a ticket file.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Impact {
    pub tickets: u64,
    pub unreadable: u64,
    /// The instant both sides judged the tickets at (DESIGN §4.17).
    pub horizon: Horizon,
    /// Tickets created after the horizon, left out.
    pub after_horizon: u64,
    /// Tickets with any difference in what the policy decided.
    pub decided_differently: u64,
    /// Tickets per kind of change (a ticket may count under several).
    pub counts: Counts,
    /// The first changed tickets by id.
    pub changed: Vec<ChangedTicket>,
    /// Every metric under each side, with benchmark verdicts.
    pub base: Report,
    pub head: Report,
}

/// A mergeable accumulation of a comparison, for parallel replay.
#[derive(Debug, Default)]
pub struct Tally {
    decided_differently: u64,
    counts: Counts,
    /// The first changed tickets by id (at most `keep`), with their kinds.
    changed: Vec<(Ticket, Vec<Kind>)>,
    keep: usize,
    base: Accumulator,
    head: Accumulator,
    /// Timers fire up to and including it (each ticket's last event when
    /// `None`).
    until: Option<i64>,
    after_horizon: u64,
}

/// What differs for one ticket between two summaries.
pub fn kinds(before: &Facts<'_>, after: &Facts<'_>) -> Vec<Kind> {
    let (b, h) = (&before.decisions, &after.decisions);
    let mut out = Vec::new();
    if b.priority != h.priority {
        out.push(Kind::Classification);
    }
    if b.sla_entry_id() != h.sla_entry_id()
        || b.sla_entry.map(|e| &e.targets) != h.sla_entry.map(|e| &e.targets)
    {
        out.push(Kind::SlaTarget);
    }
    let breaches = |s: &Summary<'_>| -> BTreeSet<(usize, u32)> {
        s.breaches
            .iter()
            .map(|x| (x.metric.index(), x.cycle))
            .collect()
    };
    let (bb, hb) = (breaches(b), breaches(h));
    if hb.difference(&bb).next().is_some() {
        out.push(Kind::BreachAppears);
    }
    if bb.difference(&hb).next().is_some() {
        out.push(Kind::BreachDisappears);
    }
    let escalations = |s: &Summary<'_>| -> Vec<(String, i64)> {
        s.escalations
            .iter()
            .filter(|e| e.policy)
            .map(|e| (place(e.to), e.at))
            .collect()
    };
    let (be, he) = (escalations(b), escalations(h));
    let places = |list: &[(String, i64)]| -> BTreeSet<String> {
        list.iter().map(|(p, _)| p.clone()).collect()
    };
    let (bp, hp) = (places(&be), places(&he));
    if hp.difference(&bp).next().is_some() {
        out.push(Kind::EscalationAppears);
    }
    if bp.difference(&hp).next().is_some() {
        out.push(Kind::EscalationDisappears);
    }
    let moved = bp.intersection(&hp).any(|p| {
        let at = |list: &[(String, i64)]| -> Vec<i64> {
            list.iter()
                .filter(|(q, _)| q == p)
                .map(|(_, t)| *t)
                .collect()
        };
        at(&be) != at(&he)
    });
    if moved {
        out.push(Kind::EscalationMoves);
    }
    match h.refunds_needing_approval.cmp(&b.refunds_needing_approval) {
        std::cmp::Ordering::Greater => out.push(Kind::RefundNeedsApproval),
        std::cmp::Ordering::Less => out.push(Kind::RefundNoLongerNeedsApproval),
        std::cmp::Ordering::Equal => {}
    }
    out
}

fn place(p: Place<'_>) -> String {
    p.to_string()
}

impl Tally {
    /// A tally listing up to `keep` changed tickets, judged at `until`.
    pub fn new(keep: usize, until: i64) -> Self {
        Self {
            keep,
            until: Some(until),
            ..Self::default()
        }
    }

    /// Replays `ticket` under both sides, up to the horizon.
    pub fn add(&mut self, base: (usize, &Engine<'_>), head: (usize, &Engine<'_>), ticket: &Ticket) {
        let ((base_span, base), (head_span, head)) = (base, head);
        self.base.add_span(base_span);
        self.head.add_span(head_span);
        if self
            .until
            .is_some_and(|u| ticket.created_at.timestamp() > u)
        {
            self.after_horizon += 1;
            return;
        }
        let ticket = &*facts::at_horizon(ticket, self.until);
        let before = facts::facts(base, ticket, self.until);
        let after = facts::facts(head, ticket, self.until);
        self.base.add(&before);
        self.head.add(&after);
        let kinds = kinds(&before, &after);
        if kinds.is_empty() && facts::difference(&before.decisions, &after.decisions).is_none() {
            return;
        }
        self.decided_differently += 1;
        for kind in &kinds {
            self.counts.add(*kind);
        }
        if self.keep > 0 {
            self.changed.push((ticket.clone(), kinds));
            if self.changed.len() >= 2 * self.keep {
                self.trim();
            }
        }
    }

    /// Notes a ticket one side has no Classification in force for.
    pub fn add_no_policy_in_force(&mut self) {
        self.base.add_no_policy_in_force();
        self.head.add_no_policy_in_force();
    }

    /// The spans of versions in force that decided tickets: (base, head).
    pub fn spans_used(&self) -> (u64, u64) {
        (self.base.spans_used(), self.head.spans_used())
    }

    fn trim(&mut self) {
        self.changed.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        self.changed.truncate(self.keep);
    }

    pub fn merge(&mut self, other: Tally) {
        self.decided_differently += other.decided_differently;
        self.after_horizon += other.after_horizon;
        self.counts.merge(&other.counts);
        self.keep = self.keep.max(other.keep);
        self.changed.extend(other.changed);
        if self.changed.len() >= 2 * self.keep {
            self.trim();
        }
        self.base.merge(other.base);
        self.head.merge(other.head);
    }

    pub fn tickets(&self) -> u64 {
        self.base.tickets()
    }

    /// The impact at `horizon`, with the first differing trace entry of
    /// each listed ticket.
    pub fn finish<'e>(
        mut self,
        (base, head): (&Engine<'_>, &Engine<'_>),
        engines: impl Fn(&Ticket) -> Option<(&'e Engine<'e>, &'e Engine<'e>)>,
        unreadable: u64,
        horizon: Horizon,
    ) -> Impact {
        self.trim();
        let changed = self
            .changed
            .iter()
            .map(|(ticket, kinds)| ChangedTicket {
                ticket: ticket.id.clone(),
                changes: kinds.clone(),
                first_difference: engines(ticket)
                    .map(|(b, h)| first_difference(b, h, ticket, Some(horizon.at)))
                    .unwrap_or_default(),
            })
            .collect();
        let tickets = self.base.tickets();
        Impact {
            tickets,
            unreadable,
            horizon,
            after_horizon: self.after_horizon,
            decided_differently: self.decided_differently,
            counts: self.counts,
            changed,
            base: self
                .base
                .report(base, unreadable, horizon, Default::default()),
            head: self
                .head
                .report(head, unreadable, horizon, Default::default()),
        }
    }
}

fn cause(c: &Cause) -> String {
    match c {
        Cause::Created => "created".to_owned(),
        Cause::Event { index, event } => format!("event #{index} {event}"),
        Cause::Timer { timer } => format!("timer {timer}"),
    }
}

/// A decision in one line: its name and fields.
fn decision(entry: &Entry) -> String {
    let value = serde_json::to_value(&entry.decision).unwrap_or_default();
    let mut words = Vec::new();
    if let Some(map) = value.as_object() {
        if let Some(name) = map.get("decision").and_then(|d| d.as_str()) {
            words.push(name.to_owned());
        }
        for (k, v) in map.iter().filter(|(k, _)| *k != "decision") {
            let shown = match v {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            words.push(format!("{k}={shown}"));
        }
    }
    words.join(" ")
}

/// The first trace entry where the two replays differ (provenance aside:
/// policy versions differ by design).
pub fn first_difference(
    base: &Engine<'_>,
    head: &Engine<'_>,
    ticket: &Ticket,
    until: Option<i64>,
) -> String {
    let (a, b) = (
        base.replay_until(ticket, until),
        head.replay_until(ticket, until),
    );
    let same =
        |x: &Entry, y: &Entry| x.at == y.at && x.cause == y.cause && x.decision == y.decision;
    let i = a
        .entries
        .iter()
        .zip(&b.entries)
        .take_while(|(x, y)| same(x, y))
        .count();
    let (x, y) = (a.entries.get(i), b.entries.get(i));
    let Some(first) = x.or(y) else {
        return "the same trace entries".to_owned();
    };
    format!(
        "at {} ({}): base {} · head {}",
        slate_engine::engine::instant(first.at),
        cause(&first.cause),
        x.map_or_else(|| "nothing".to_owned(), decision),
        y.map_or_else(|| "nothing".to_owned(), decision)
    )
}
