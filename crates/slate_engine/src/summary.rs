//! What a replay decided, without the trace: the compact result simulation
//! aggregates. It borrows from the policies and the ticket, and allocates
//! nothing beyond its two lists (empty for most tickets).

use std::fmt;

use slate_policy::model::{SlaEntry, SlaMetric};

/// Where a ticket moved: a level or team by name, or a support tier that no
/// level of the matrix staffs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place<'a> {
    Named(&'a str),
    Tier(u8),
}

impl fmt::Display for Place<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Named(name) => f.write_str(name),
            Self::Tier(tier) => write!(f, "tier {tier}"),
        }
    }
}

/// A breached target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Breach {
    pub metric: SlaMetric,
    pub cycle: u32,
    /// Unix seconds of the breach.
    pub at: i64,
}

impl fmt::Display for Breach {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.metric.name(), self.cycle)
    }
}

/// An escalation, recorded on the timeline or decided by the policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Escalation<'a> {
    /// Unix seconds.
    pub at: i64,
    pub from: Option<Place<'a>>,
    pub to: Place<'a>,
    /// The support tier reached, when known.
    pub tier: Option<u8>,
    /// A policy trigger fired (else the timeline recorded it).
    pub policy: bool,
}

/// What the policy decided for one ticket.
#[derive(Clone, Debug)]
pub struct Summary<'a> {
    /// The priority in force at the end (an id).
    pub priority: &'a str,
    /// The SLA entry in force at the end.
    pub sla_entry: Option<&'a SlaEntry>,
    /// Per metric of [`SlaMetric::ALL`]: `None` when no target started, else
    /// whether any of its targets was breached.
    pub targets: [Option<bool>; 4],
    /// Breaches in the order they happened.
    pub breaches: Vec<Breach>,
    /// Escalations in the order they happened.
    pub escalations: Vec<Escalation<'a>>,
    pub refunds_needing_approval: usize,
    /// The requester's segment as the catalogue names it; `None` without
    /// one or when it is outside the catalogue.
    pub segment: Option<&'a str>,
    /// Ticket values outside the catalogue: (field, value as written).
    pub unknown: Vec<(&'static str, &'a str)>,
    /// Every level response target started: (level id, breached).
    pub level_response: Vec<(&'a str, bool)>,
}

impl Summary<'_> {
    /// The id of the SLA entry in force at the end.
    pub fn sla_entry_id(&self) -> Option<&str> {
        self.sla_entry.map(|e| e.id.as_str())
    }
}

/// Equal when every decision is: SLA entries compare by id.
impl PartialEq for Summary<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.priority == other.priority
            && self.sla_entry_id() == other.sla_entry_id()
            && self.targets == other.targets
            && self.breaches == other.breaches
            && self.escalations == other.escalations
            && self.refunds_needing_approval == other.refunds_needing_approval
            && self.segment == other.segment
            && self.unknown == other.unknown
            && self.level_response == other.level_response
    }
}
